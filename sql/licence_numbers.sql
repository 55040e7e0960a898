-- Licence numbers: format, ISO 7064 MOD 37-2 check character, clear errors,
-- and the write guard of the register.
CREATE EXTENSION licensing;
\set VERBOSITY default

-- Well-formed numbers of both kinds; the check character is the 14th.
SELECT licensing.licence_number_make('licence', 2026, 1) AS licence_1,
       licensing.licence_number_make('licence', 2026, 99999999) AS licence_max,
       licensing.licence_number_make('conclusion', 2027, 42) AS conclusion_42;
SELECT n, licensing.licence_number_is_valid(n)
  FROM (SELECT licensing.licence_number_make(k, 2026, s) AS n
          FROM unnest(ARRAY['licence', 'conclusion']) k, generate_series(1, 3) s) t;

-- Every single-character substitution and every transposition of adjacent
-- or once-removed characters of 1000 numbers is caught.
WITH nums AS (
    SELECT n FROM (SELECT licensing.licence_number_make(CASE WHEN s % 2 = 0 THEN 'licence' ELSE 'conclusion' END,
                                                       2000 + s % 30, s * 7919 % 99999999 + 1) AS n
                     FROM generate_series(1, 1040) s) t
     WHERE n IS NOT NULL
), alphabet AS (
    SELECT chr(c) AS ch FROM generate_series(48, 57) c UNION ALL SELECT chr(c) FROM generate_series(65, 90) c
), substituted AS (
    SELECT overlay(n PLACING a.ch FROM i FOR 1) AS m
      FROM nums, generate_series(4, 14) i, alphabet a
     WHERE substr(n, i, 1) <> a.ch AND (i = 14 OR a.ch BETWEEN '0' AND '9')
), transposed AS (
    SELECT overlay(n PLACING substr(n, i + 1, 1) || substr(n, i, 1) FROM i FOR 2) AS m
      FROM nums, generate_series(1, 13) i
     WHERE substr(n, i, 1) <> substr(n, i + 1, 1)
    UNION ALL
    SELECT overlay(n PLACING substr(n, i + 2, 1) || substr(n, i + 1, 1) || substr(n, i, 1) FROM i FOR 3)
      FROM nums, generate_series(1, 12) i
     WHERE substr(n, i, 1) <> substr(n, i + 2, 1)
)
SELECT (SELECT count(*) FROM substituted) AS substitutions,
       (SELECT count(*) FROM substituted WHERE licensing.licence_number_is_valid(m)) AS substitutions_accepted,
       (SELECT count(*) FROM transposed) AS transpositions,
       (SELECT count(*) FROM transposed WHERE licensing.licence_number_is_valid(m)) AS transpositions_accepted;

-- Typed with spaces, hyphens, lower case: the same number.
SELECT licensing.licence_number(' kzl26-00000001-j ') AS canonical,
       licensing.licence_number_is_valid('KZL 26 00000001 J') AS spaced;

-- licence_number_is_valid never raises.
SELECT licensing.licence_number_is_valid(NULL) AS null_in,
       licensing.licence_number_is_valid('') AS empty,
       licensing.licence_number_is_valid(repeat('K', 100000)) AS huge,
       licensing.licence_number_is_valid('KZL26000000０1J') AS fullwidth_digit,
       licensing.licence_number_is_valid(E'KZL2600000001\u0422') AS cyrillic_te;

-- Each broken rule has its own error.
SELECT licensing.licence_number('KZL2600000001X');   -- check character
SELECT licensing.licence_number('KZL2600000010J');   -- mistyped digit
SELECT licensing.licence_number('KZL2600000001');    -- too short
SELECT licensing.licence_number('RUL2600000001J');   -- prefix
SELECT licensing.licence_number('KZX2600000001J');   -- kind letter
SELECT licensing.licence_number('KZL26O0000001J');   -- letter O among the digits
SELECT licensing.licence_number('KZL2600000001#');   -- check outside the alphabet
SELECT licensing.licence_number(repeat('9', 300));   -- long input quoted clipped

-- About 1 serial in 37 has no printable check character (it would be '*'):
-- make returns NULL and the allocator skips it.
SELECT count(*) FILTER (WHERE n IS NULL) AS skipped, count(*) FILTER (WHERE n !~ '^KZL26[0-9]{8}[0-9A-Z]$') AS malformed
  FROM (SELECT licensing.licence_number_make('licence', 2026, s) AS n FROM generate_series(1, 3700) s) t;
SELECT licensing.licence_number_is_valid('KZL2600000000*') AS star_check;

-- Making a number: bad kind or serial.
SELECT licensing.licence_number_make('permit', 2026, 1);
SELECT licensing.licence_number_make('licence', 2026, 0);
SELECT licensing.licence_number_make('licence', 2026, 100000000);

-- The shipped grounds, with kk/ru/en texts and articles.
SELECT 'reissue' AS kind, code, name_en, article FROM licensing.reissue_ground
UNION ALL SELECT 'suspension', code, name_en, article FROM licensing.suspension_ground
UNION ALL SELECT 'termination', code, name_en, article FROM licensing.termination_ground
ORDER BY 1, 2;
SELECT count(*) AS grounds_without_all_texts
  FROM (SELECT name_kk, name_ru, name_en FROM licensing.reissue_ground
        UNION ALL SELECT name_kk, name_ru, name_en FROM licensing.suspension_ground
        UNION ALL SELECT name_kk, name_ru, name_en FROM licensing.termination_ground) g
 WHERE coalesce(name_kk, '') = '' OR coalesce(name_ru, '') = '' OR coalesce(name_en, '') = '';

-- The guard: no raw write, not even by a superuser.
INSERT INTO licensing.licence_event (licence, seq, event, to_status, actor, at, hash)
VALUES ('KZL2600000001J', 1, 'issued', 'active', current_user, now(), '\x00');
UPDATE licensing.licence SET status = 'active';
DELETE FROM licensing.licence_annex;
-- A superuser's COPY FROM loads rows (this is how pg_restore brings a dump
-- back); nobody else may, and no INSERT passes.
COPY licensing.licence_annex FROM stdin;
\.
CREATE ROLE licence_numbers_loader;
GRANT INSERT ON licensing.licence_annex TO licence_numbers_loader;
SET ROLE licence_numbers_loader;
COPY licensing.licence_annex FROM stdin;
\.
RESET ROLE;
REVOKE INSERT ON licensing.licence_annex FROM licence_numbers_loader;
DROP ROLE licence_numbers_loader;
TRUNCATE licensing.licence_duplicate;
-- A window opened in a subtransaction that fails is closed with it.
DO $$
BEGIN
    BEGIN
        PERFORM licensing._licence_guard(true);
        RAISE EXCEPTION 'boom';
    EXCEPTION WHEN raise_exception THEN NULL;
    END;
END
$$;
DELETE FROM licensing.licence_annex;
-- And a window left open ends with its transaction.
BEGIN;
SELECT licensing._licence_guard(true);
COMMIT;
DELETE FROM licensing.licence_annex;
-- Others may not open the window at all.
CREATE ROLE licence_numbers_nobody;
SET ROLE licence_numbers_nobody;
SELECT licensing._licence_guard(true);
RESET ROLE;
DROP ROLE licence_numbers_nobody;

DROP EXTENSION licensing CASCADE;
