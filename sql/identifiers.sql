--
-- identifiers: licensing.iin and licensing.bin (API §1, QUALITY §4)
--
CREATE EXTENSION licensing;
-- Operators live in schema licensing; put it on the path as users do.
SET search_path = public, licensing;

-- The worked example and the valid values of QUALITY §4.
SELECT '900101300811'::licensing.iin AS worked_example;
SELECT v, licensing.iin_is_valid(v) AS iin, licensing.bin_is_valid(v) AS bin
  FROM (VALUES ('850625300123'), ('901120405675'), ('160140001230'), ('230741005553'),
               ('900101300811'), ('850625300124'), ('921529350859'), ('850625700129'),
               ('160170001234')) AS t(v);

-- Output is zero-padded; white space around the digits is trimmed.
SELECT '  000101500001 '::licensing.iin AS padded, E'\t160140001230\n'::licensing.bin AS trimmed;

-- Every error branch, each with its own detail.
\set VERBOSITY verbose
SELECT '850625300124'::licensing.iin;     -- check digit
SELECT '921529350859'::licensing.iin;     -- month 15
SELECT '850230300129'::licensing.iin;     -- 30 February
SELECT '850625700129'::licensing.iin;     -- century digit 7
SELECT '850625000129'::licensing.iin;     -- century digit 0
SELECT '85062530012'::licensing.iin;      -- 11 digits
SELECT '8506253001234'::licensing.iin;    -- 13 digits
SELECT ''::licensing.iin;                 -- empty
SELECT '850625 300123'::licensing.iin;    -- white space inside
SELECT '85062530012x'::licensing.iin;     -- letter
SELECT '850600300008'::licensing.iin;     -- day 00
SELECT '85062 300123'::licensing.iin;     -- a space inside, 12 characters
SELECT E'85062\x01300123'::licensing.iin;  -- a control byte
SELECT '160170001234'::licensing.bin;     -- kind 7
SELECT '161340001234'::licensing.bin;     -- month 13
SELECT '160040001234'::licensing.bin;     -- month 00
SELECT '160144001234'::licensing.bin;     -- division 4
SELECT '850625300123'::licensing.bin;     -- an IIN is not a BIN
SELECT '160140001231'::licensing.bin;     -- check digit
SELECT repeat('9', 200)::licensing.bin;   -- long values are clipped in the message
\set VERBOSITY default

-- A prefix whose both weightings give 10 admits no check digit at all.
SELECT count(*) FILTER (WHERE licensing.iin_is_valid('85062530130' || d)) AS valid_digits
  FROM generate_series(0, 9) AS d;
\set VERBOSITY verbose
SELECT '850625301300'::licensing.iin;
\set VERBOSITY default

-- Leap years follow the century digit: 2000 was leap, 1900 was not.
SELECT licensing.iin_is_valid('000229500008') AS y2000_feb29,
       licensing.iin_is_valid('000229300005') AS y1900_feb29;

-- The validity functions never raise, and are strict.
SELECT licensing.iin_is_valid(NULL), licensing.bin_is_valid(NULL),
       licensing.iin_is_valid(''), licensing.iin_is_valid(E'\u0416\u0421\u041d'),
       licensing.bin_is_valid(repeat('1', 100000));

-- Accessors.
SELECT licensing.iin_birth_date('850625300123'), licensing.iin_sex('850625300123'),
       licensing.iin_birth_date('900101300811'), licensing.iin_sex('901120405675');
SELECT licensing.bin_registered_on('160140001230'), licensing.bin_kind('160140001230'),
       licensing.bin_division('160140001230'),
       licensing.bin_kind('230741005553'), licensing.bin_division('230741005553');
SELECT licensing.bin_registered_on('990140000007') AS last_century;

-- Casts with text, and comparison.
SELECT '850625300123'::licensing.iin::text = '850625300123' AS to_text,
       '850625300123'::licensing.iin < '901120405675'::licensing.iin AS lt,
       '850625300123'::licensing.iin = '850625300123'::licensing.iin AS eq,
       '850625300123'::licensing.iin <> '901120405675'::licensing.iin AS ne;

-- The operator classes are valid.
SELECT opcname, amname, amvalidate(c.oid)
  FROM pg_opclass c JOIN pg_am a ON a.oid = c.opcmethod
 WHERE opcnamespace = 'licensing'::regnamespace ORDER BY opcname;

-- Index scans, btree and hash.
CREATE TABLE people (iin licensing.iin PRIMARY KEY, note text);
CREATE FUNCTION licensing_test_check(p text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    -- An independent implementation of the check digit (QUALITY §4).
    SELECT CASE WHEN r1 <> 10 THEN r1::text WHEN r2 <> 10 THEN r2::text END
      FROM (SELECT sum(substr(p, i, 1)::int * i) % 11 AS r1,
                   sum(substr(p, i, 1)::int * (ARRAY[3,4,5,6,7,8,9,10,11,1,2])[i]) % 11 AS r2
              FROM generate_series(1, 11) AS i) s
$$;
INSERT INTO people
SELECT p || licensing_test_check(p), 'n' || i
  FROM generate_series(1, 2000) AS i,
       LATERAL (SELECT '850625' || '3' || lpad(i::text, 4, '0') AS p) s
 WHERE licensing_test_check(p) IS NOT NULL;
CREATE INDEX people_hash ON people USING hash (iin);
ANALYZE people;
SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT note FROM people WHERE iin = '850625300123';
SELECT note FROM people WHERE iin = '850625300123';
SET enable_indexscan = off;
SET enable_bitmapscan = on;
EXPLAIN (COSTS OFF) SELECT count(*) FROM people WHERE iin BETWEEN '850625300123' AND '850625301002';
SELECT count(*) FROM people WHERE iin BETWEEN '850625300123' AND '850625301002';
RESET enable_seqscan; RESET enable_bitmapscan; RESET enable_indexscan;
SELECT count(DISTINCT iin), count(*) FROM people;

-- Binary COPY round trip keeps every value; binary input validates like text.
COPY people TO '/tmp/licensing_identifiers.bin' WITH (FORMAT binary);
CREATE TABLE people_copy (LIKE people);
COPY people_copy FROM '/tmp/licensing_identifiers.bin' WITH (FORMAT binary);
SELECT count(*) AS same FROM people JOIN people_copy USING (iin, note);
SELECT licensing.iin_send('850625300123') AS wire;
-- Numbers that are not identifiers are refused on binary input too (22P03).
CREATE TABLE raw (iin bigint, note text);
INSERT INTO raw VALUES (850625300124, 'bad check digit');
COPY raw TO '/tmp/licensing_identifiers.bin' WITH (FORMAT binary);
\set VERBOSITY verbose
COPY people_copy FROM '/tmp/licensing_identifiers.bin' WITH (FORMAT binary);
TRUNCATE raw; INSERT INTO raw VALUES (-1, 'negative');
COPY raw TO '/tmp/licensing_identifiers.bin' WITH (FORMAT binary);
COPY people_copy FROM '/tmp/licensing_identifiers.bin' WITH (FORMAT binary);
\set VERBOSITY default
SELECT count(*) AS unchanged FROM people_copy;

-- The property test: the C parser agrees with the independent SQL check digit
-- on 20,000 pseudo-random prefixes (fixed seed, so the output is stable).
SELECT setseed(0.42);
WITH prefixes AS (
    SELECT lpad((random() * 99999999999)::bigint::text, 11, '0') AS p,
           (random() * 9)::int AS guess
      FROM generate_series(1, 20000)
), judged AS (
    SELECT p, guess, licensing_test_check(p) AS sql_check,
           licensing.iin_is_valid(p || guess) AS c_iin,
           licensing.bin_is_valid(p || guess) AS c_bin,
           licensing.iin_is_valid(p || coalesce(licensing_test_check(p), '0')) AS c_iin_right
      FROM prefixes
)
SELECT count(*) FILTER (WHERE c_iin AND (sql_check IS NULL OR sql_check <> guess::text)) AS iin_accepts_wrong,
       count(*) FILTER (WHERE c_bin AND (sql_check IS NULL OR sql_check <> guess::text)) AS bin_accepts_wrong,
       count(*) FILTER (WHERE sql_check IS NULL AND c_iin_right) AS accepts_no_check_prefix,
       count(*) FILTER (WHERE sql_check IS NOT NULL AND c_iin_right) > 0 AS some_valid
  FROM judged;
-- Among prefixes whose structure is a real IIN, the C parser accepts exactly the SQL check digit.
WITH prefixes AS (
    SELECT to_char(date '1950-01-01' + (random() * 25000)::int, 'YYMMDD')
           || (3 + (random())::int) || lpad((random() * 9999)::int::text, 4, '0') AS p
      FROM generate_series(1, 20000)
)
SELECT count(*) AS prefixes,
       count(*) FILTER (WHERE licensing_test_check(p) IS NULL) AS without_check_digit,
       count(*) FILTER (WHERE licensing_test_check(p) IS NOT NULL
                          AND licensing.iin_is_valid(p || licensing_test_check(p))) AS c_agrees,
       count(*) FILTER (WHERE (SELECT count(*) FROM generate_series(0, 9) d
                                WHERE licensing.iin_is_valid(p || d)) > 1) AS more_than_one_digit
  FROM prefixes;

DROP EXTENSION licensing CASCADE;
