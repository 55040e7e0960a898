/* licensing--1.0.sql: the install script of version 1.0, frozen as released; changes go into src/sql and an upgrade script */
\echo Use "CREATE EXTENSION licensing" to load this file. \quit

-- ==== src/sql/00_schema.sql ====
-- 00_schema.sql: the schema and the group roles every later part grants to.

CREATE SCHEMA licensing;
COMMENT ON SCHEMA licensing IS 'E-licensing service of Kazakhstan, enforced inside the database';
GRANT USAGE ON SCHEMA licensing TO PUBLIC;

-- Group roles of API §8.  Roles are cluster-wide: create only the missing ones,
-- so a second database (or a re-created extension) finds them in place.
DO $roles$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['licensing_admin', 'licensing_portal', 'licensing_gateway',
                             'licensing_staff', 'licensing_reporter']
    LOOP
        IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname OPERATOR(pg_catalog.=) r) THEN
            EXECUTE pg_catalog.format('CREATE ROLE %I NOLOGIN', r);
        END IF;
    END LOOP;
END
$roles$;

-- The trigger every cached table carries (calendar, providers, trust store):
-- a change drops the per-backend caches of that table in every session.
CREATE FUNCTION licensing.invalidate_cache() RETURNS trigger
    AS 'MODULE_PATHNAME', 'invalidate_cache' LANGUAGE C;
COMMENT ON FUNCTION licensing.invalidate_cache() IS
    'Statement trigger on cached tables: queues a relcache invalidation so every backend drops its cache of the table';

-- ==== src/sql/10_identifiers.sql ====
-- 10_identifiers.sql: base types licensing.iin and licensing.bin (API §1, QUALITY §4).
-- Stored like int8 so that comparison and hashing reuse the built-in int8 support.

CREATE TYPE licensing.iin;
CREATE TYPE licensing.bin;

CREATE FUNCTION licensing.iin_in(cstring) RETURNS licensing.iin
    AS 'MODULE_PATHNAME', 'iin_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION licensing.iin_out(licensing.iin) RETURNS cstring
    AS 'MODULE_PATHNAME', 'identifier_output' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION licensing.iin_recv(internal) RETURNS licensing.iin
    AS 'MODULE_PATHNAME', 'iin_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION licensing.iin_send(licensing.iin) RETURNS bytea
    AS 'MODULE_PATHNAME', 'identifier_send_binary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION licensing.bin_in(cstring) RETURNS licensing.bin
    AS 'MODULE_PATHNAME', 'bin_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION licensing.bin_out(licensing.bin) RETURNS cstring
    AS 'MODULE_PATHNAME', 'identifier_output' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION licensing.bin_recv(internal) RETURNS licensing.bin
    AS 'MODULE_PATHNAME', 'bin_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION licensing.bin_send(licensing.bin) RETURNS bytea
    AS 'MODULE_PATHNAME', 'identifier_send_binary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE licensing.iin (
    INPUT = licensing.iin_in, OUTPUT = licensing.iin_out,
    RECEIVE = licensing.iin_recv, SEND = licensing.iin_send,
    LIKE = pg_catalog.int8, CATEGORY = 'U'
);
COMMENT ON TYPE licensing.iin IS 'Individual identification number of Kazakhstan (12 digits, check digit verified)';

CREATE TYPE licensing.bin (
    INPUT = licensing.bin_in, OUTPUT = licensing.bin_out,
    RECEIVE = licensing.bin_recv, SEND = licensing.bin_send,
    LIKE = pg_catalog.int8, CATEGORY = 'U'
);
COMMENT ON TYPE licensing.bin IS 'Business identification number of Kazakhstan (12 digits, check digit verified)';

-- Comparison: the built-in int8 functions, declared on our types.
CREATE FUNCTION licensing.iin_eq(licensing.iin, licensing.iin) RETURNS boolean AS 'int8eq' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION licensing.iin_ne(licensing.iin, licensing.iin) RETURNS boolean AS 'int8ne' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION licensing.iin_lt(licensing.iin, licensing.iin) RETURNS boolean AS 'int8lt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION licensing.iin_le(licensing.iin, licensing.iin) RETURNS boolean AS 'int8le' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION licensing.iin_gt(licensing.iin, licensing.iin) RETURNS boolean AS 'int8gt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION licensing.iin_ge(licensing.iin, licensing.iin) RETURNS boolean AS 'int8ge' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION licensing.iin_cmp(licensing.iin, licensing.iin) RETURNS integer AS 'btint8cmp' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION licensing.iin_hash(licensing.iin) RETURNS integer AS 'hashint8' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION licensing.iin_hash_extended(licensing.iin, bigint) RETURNS bigint AS 'hashint8extended' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE FUNCTION licensing.bin_eq(licensing.bin, licensing.bin) RETURNS boolean AS 'int8eq' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION licensing.bin_ne(licensing.bin, licensing.bin) RETURNS boolean AS 'int8ne' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION licensing.bin_lt(licensing.bin, licensing.bin) RETURNS boolean AS 'int8lt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION licensing.bin_le(licensing.bin, licensing.bin) RETURNS boolean AS 'int8le' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION licensing.bin_gt(licensing.bin, licensing.bin) RETURNS boolean AS 'int8gt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION licensing.bin_ge(licensing.bin, licensing.bin) RETURNS boolean AS 'int8ge' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION licensing.bin_cmp(licensing.bin, licensing.bin) RETURNS integer AS 'btint8cmp' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION licensing.bin_hash(licensing.bin) RETURNS integer AS 'hashint8' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION licensing.bin_hash_extended(licensing.bin, bigint) RETURNS bigint AS 'hashint8extended' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE OPERATOR licensing.= (LEFTARG = licensing.iin, RIGHTARG = licensing.iin, FUNCTION = licensing.iin_eq,
    COMMUTATOR = OPERATOR(licensing.=), NEGATOR = OPERATOR(licensing.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
CREATE OPERATOR licensing.<> (LEFTARG = licensing.iin, RIGHTARG = licensing.iin, FUNCTION = licensing.iin_ne,
    COMMUTATOR = OPERATOR(licensing.<>), NEGATOR = OPERATOR(licensing.=), RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR licensing.< (LEFTARG = licensing.iin, RIGHTARG = licensing.iin, FUNCTION = licensing.iin_lt,
    COMMUTATOR = OPERATOR(licensing.>), NEGATOR = OPERATOR(licensing.>=), RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR licensing.<= (LEFTARG = licensing.iin, RIGHTARG = licensing.iin, FUNCTION = licensing.iin_le,
    COMMUTATOR = OPERATOR(licensing.>=), NEGATOR = OPERATOR(licensing.>), RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR licensing.> (LEFTARG = licensing.iin, RIGHTARG = licensing.iin, FUNCTION = licensing.iin_gt,
    COMMUTATOR = OPERATOR(licensing.<), NEGATOR = OPERATOR(licensing.<=), RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR licensing.>= (LEFTARG = licensing.iin, RIGHTARG = licensing.iin, FUNCTION = licensing.iin_ge,
    COMMUTATOR = OPERATOR(licensing.<=), NEGATOR = OPERATOR(licensing.<), RESTRICT = scalargesel, JOIN = scalargejoinsel);

CREATE OPERATOR licensing.= (LEFTARG = licensing.bin, RIGHTARG = licensing.bin, FUNCTION = licensing.bin_eq,
    COMMUTATOR = OPERATOR(licensing.=), NEGATOR = OPERATOR(licensing.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
CREATE OPERATOR licensing.<> (LEFTARG = licensing.bin, RIGHTARG = licensing.bin, FUNCTION = licensing.bin_ne,
    COMMUTATOR = OPERATOR(licensing.<>), NEGATOR = OPERATOR(licensing.=), RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR licensing.< (LEFTARG = licensing.bin, RIGHTARG = licensing.bin, FUNCTION = licensing.bin_lt,
    COMMUTATOR = OPERATOR(licensing.>), NEGATOR = OPERATOR(licensing.>=), RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR licensing.<= (LEFTARG = licensing.bin, RIGHTARG = licensing.bin, FUNCTION = licensing.bin_le,
    COMMUTATOR = OPERATOR(licensing.>=), NEGATOR = OPERATOR(licensing.>), RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR licensing.> (LEFTARG = licensing.bin, RIGHTARG = licensing.bin, FUNCTION = licensing.bin_gt,
    COMMUTATOR = OPERATOR(licensing.<), NEGATOR = OPERATOR(licensing.<=), RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR licensing.>= (LEFTARG = licensing.bin, RIGHTARG = licensing.bin, FUNCTION = licensing.bin_ge,
    COMMUTATOR = OPERATOR(licensing.<=), NEGATOR = OPERATOR(licensing.<), RESTRICT = scalargesel, JOIN = scalargejoinsel);

CREATE OPERATOR CLASS licensing.iin_ops DEFAULT FOR TYPE licensing.iin USING btree AS
    OPERATOR 1 licensing.<, OPERATOR 2 licensing.<=, OPERATOR 3 licensing.=,
    OPERATOR 4 licensing.>=, OPERATOR 5 licensing.>,
    FUNCTION 1 licensing.iin_cmp(licensing.iin, licensing.iin),
    FUNCTION 2 (licensing.iin, licensing.iin) pg_catalog.btint8sortsupport(internal),
    FUNCTION 4 (licensing.iin, licensing.iin) pg_catalog.btequalimage(oid);
CREATE OPERATOR CLASS licensing.iin_hash_ops DEFAULT FOR TYPE licensing.iin USING hash AS
    OPERATOR 1 licensing.=,
    FUNCTION 1 licensing.iin_hash(licensing.iin),
    FUNCTION 2 licensing.iin_hash_extended(licensing.iin, bigint);

CREATE OPERATOR CLASS licensing.bin_ops DEFAULT FOR TYPE licensing.bin USING btree AS
    OPERATOR 1 licensing.<, OPERATOR 2 licensing.<=, OPERATOR 3 licensing.=,
    OPERATOR 4 licensing.>=, OPERATOR 5 licensing.>,
    FUNCTION 1 licensing.bin_cmp(licensing.bin, licensing.bin),
    FUNCTION 2 (licensing.bin, licensing.bin) pg_catalog.btint8sortsupport(internal),
    FUNCTION 4 (licensing.bin, licensing.bin) pg_catalog.btequalimage(oid);
CREATE OPERATOR CLASS licensing.bin_hash_ops DEFAULT FOR TYPE licensing.bin USING hash AS
    OPERATOR 1 licensing.=,
    FUNCTION 1 licensing.bin_hash(licensing.bin),
    FUNCTION 2 licensing.bin_hash_extended(licensing.bin, bigint);

-- Casts with text: through the validating I/O functions.
CREATE CAST (text AS licensing.iin) WITH INOUT AS ASSIGNMENT;
CREATE CAST (licensing.iin AS text) WITH INOUT AS ASSIGNMENT;
CREATE CAST (text AS licensing.bin) WITH INOUT AS ASSIGNMENT;
CREATE CAST (licensing.bin AS text) WITH INOUT AS ASSIGNMENT;

-- Validity without errors, and what the digits say.
CREATE FUNCTION licensing.iin_is_valid(text) RETURNS boolean
    AS 'MODULE_PATHNAME', 'iin_is_valid' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION licensing.iin_is_valid(text) IS 'true when the text is a valid IIN; never raises';
CREATE FUNCTION licensing.bin_is_valid(text) RETURNS boolean
    AS 'MODULE_PATHNAME', 'bin_is_valid' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION licensing.bin_is_valid(text) IS 'true when the text is a valid BIN; never raises';

CREATE FUNCTION licensing.iin_birth_date(licensing.iin) RETURNS date
    AS 'MODULE_PATHNAME', 'iin_birth_date' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION licensing.iin_birth_date(licensing.iin) IS 'date of birth from digits 1-7';
CREATE FUNCTION licensing.iin_sex(licensing.iin) RETURNS text
    AS 'MODULE_PATHNAME', 'iin_sex' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION licensing.iin_sex(licensing.iin) IS 'male or female, from digit 7';
CREATE FUNCTION licensing.bin_registered_on(licensing.bin) RETURNS date
    AS 'MODULE_PATHNAME', 'bin_registered_on' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION licensing.bin_registered_on(licensing.bin) IS 'first day of the registration month; YY above this year''s two digits is 19YY';
CREATE FUNCTION licensing.bin_kind(licensing.bin) RETURNS text
    AS 'MODULE_PATHNAME', 'bin_kind' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION licensing.bin_kind(licensing.bin) IS 'resident_legal_entity, non_resident_legal_entity or joint_individual_entrepreneurship';
CREATE FUNCTION licensing.bin_division(licensing.bin) RETURNS text
    AS 'MODULE_PATHNAME', 'bin_division' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION licensing.bin_division(licensing.bin) IS 'head_office, branch, representative_office or peasant_farm';

-- min and max, so reports can aggregate identifiers like numbers.
CREATE FUNCTION licensing.iin_smaller(licensing.iin, licensing.iin) RETURNS licensing.iin AS 'int8smaller' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION licensing.iin_larger(licensing.iin, licensing.iin) RETURNS licensing.iin AS 'int8larger' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION licensing.bin_smaller(licensing.bin, licensing.bin) RETURNS licensing.bin AS 'int8smaller' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION licensing.bin_larger(licensing.bin, licensing.bin) RETURNS licensing.bin AS 'int8larger' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
CREATE AGGREGATE licensing.min(licensing.iin) (SFUNC = licensing.iin_smaller, STYPE = licensing.iin, SORTOP = OPERATOR(licensing.<), COMBINEFUNC = licensing.iin_smaller, PARALLEL = SAFE);
CREATE AGGREGATE licensing.max(licensing.iin) (SFUNC = licensing.iin_larger, STYPE = licensing.iin, SORTOP = OPERATOR(licensing.>), COMBINEFUNC = licensing.iin_larger, PARALLEL = SAFE);
CREATE AGGREGATE licensing.min(licensing.bin) (SFUNC = licensing.bin_smaller, STYPE = licensing.bin, SORTOP = OPERATOR(licensing.<), COMBINEFUNC = licensing.bin_smaller, PARALLEL = SAFE);
CREATE AGGREGATE licensing.max(licensing.bin) (SFUNC = licensing.bin_larger, STYPE = licensing.bin, SORTOP = OPERATOR(licensing.>), COMBINEFUNC = licensing.bin_larger, PARALLEL = SAFE);

-- ==== src/sql/20_calendar.sql ====
-- 20_calendar.sql: the working calendar of Kazakhstan and deadline arithmetic
-- (API §2, DOMAIN §3.3 and §5, QUALITY §5).  The C side is src/calendar.c
-- (the cached calendar) and src/calendar_time.c (schedules, working time,
-- term rules).

-- ---- tables ----------------------------------------------------------------

CREATE TABLE licensing.calendar_year (
    year    integer PRIMARY KEY CHECK (year BETWEEN 1900 AND 2200),
    source  text NOT NULL,
    shipped boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE licensing.calendar_year IS
    'Years the working calendar covers, with the legal sources of each year; a date in any other year is an error 22023';
COMMENT ON COLUMN licensing.calendar_year.source IS 'The law, code and decrees the year''s calendar follows';
COMMENT ON COLUMN licensing.calendar_year.shipped IS
    'True for rows shipped with the extension (not dumped); rows you add or change are false and pg_dump keeps them';

CREATE TABLE licensing.calendar_exception (
    day      date PRIMARY KEY,
    kind     text NOT NULL CHECK (kind IN ('holiday', 'day_off', 'working_day')),
    name     text NOT NULL,
    carries  boolean NOT NULL DEFAULT true,
    carry_of date,
    shipped  boolean NOT NULL DEFAULT false,
    CONSTRAINT calendar_exception_day_off_on_weekday
        CHECK (kind <> 'day_off' OR pg_catalog.date_part('isodow', day) < 6),
    CONSTRAINT calendar_exception_working_day_on_weekend
        CHECK (kind <> 'working_day' OR pg_catalog.date_part('isodow', day) >= 6),
    CONSTRAINT calendar_exception_carry_of_day_off
        CHECK (carry_of IS NULL OR kind = 'day_off')
);
COMMENT ON TABLE licensing.calendar_exception IS
    'Exceptions to the Monday-to-Friday week: public holidays, weekdays off (carried holidays, decree transfers) and weekend days made working';
COMMENT ON COLUMN licensing.calendar_exception.kind IS
    'holiday (a public holiday), day_off (a weekday off: a carried holiday or a decree), working_day (a Saturday or Sunday made working by decree)';
COMMENT ON COLUMN licensing.calendar_exception.name IS 'What the day is, and for transfers the decree that made it';
COMMENT ON COLUMN licensing.calendar_exception.carries IS
    'For a holiday: whether falling on a Saturday or Sunday gives the next working day off (false for 7 January and Kurban Ait)';
COMMENT ON COLUMN licensing.calendar_exception.carry_of IS
    'For a day_off: the weekend holiday it makes up for (set by calendar_generate_carries, or by a decree that moves a carry)';
COMMENT ON COLUMN licensing.calendar_exception.shipped IS
    'True for rows shipped with the extension (not dumped); rows you add or change are false and pg_dump keeps them';

-- ---- the carry rule ------------------------------------------------------------

CREATE FUNCTION licensing.calendar_generate_carries(year integer) RETURNS integer
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $fn$
-- Adds the days off that the year's weekend holidays give.  The rule (Labour
-- Code; Law No 267-II "On holidays in the Republic of Kazakhstan"): a holiday
-- that falls on a Saturday or Sunday gives a day off on the next working day,
-- except the religious holidays 7 January and Kurban Ait (carries = false);
-- each weekend day of Nauryz carries separately.  Holidays are taken in date
-- order, and each carry goes to the next Monday-to-Friday day that has no row
-- yet (no holiday, no earlier carry, no decree day off).  A holiday that
-- already has a day off (carry_of) -- from an earlier run or a decree that
-- moved its carry -- is skipped, so the function may be run again safely.
-- To redo a year after changing its holidays, first
--   DELETE FROM licensing.calendar_exception WHERE carry_of >= make_date(y, 1, 1)
--     AND carry_of < make_date(y + 1, 1, 1) AND name LIKE '%, carried from the weekend';
-- Returns the number of rows added.
DECLARE
    h       record;
    target  date;
    added   integer := 0;
BEGIN
    IF year IS NULL OR NOT EXISTS (SELECT FROM licensing.calendar_year y
                                    WHERE y.year OPERATOR(pg_catalog.=) calendar_generate_carries.year) THEN
        RAISE EXCEPTION 'year % is not in licensing.calendar_year', year
            USING ERRCODE = '22023',
                  DETAIL = 'Carries are generated for a covered year, after its holidays are inserted.',
                  HINT = 'INSERT INTO licensing.calendar_year (year, source) VALUES (...) first.';
    END IF;
    FOR h IN
        SELECT e.day, e.name FROM licensing.calendar_exception e
         WHERE e.kind OPERATOR(pg_catalog.=) 'holiday' AND e.carries
           AND e.day OPERATOR(pg_catalog.>=) pg_catalog.make_date(calendar_generate_carries.year, 1, 1)
           AND e.day OPERATOR(pg_catalog.<) pg_catalog.make_date(calendar_generate_carries.year OPERATOR(pg_catalog.+) 1, 1, 1)
           AND pg_catalog.date_part('isodow', e.day) OPERATOR(pg_catalog.>=) 6
         ORDER BY e.day
    LOOP
        CONTINUE WHEN EXISTS (SELECT FROM licensing.calendar_exception c
                               WHERE c.carry_of OPERATOR(pg_catalog.=) h.day);
        target := h.day OPERATOR(pg_catalog.+) 1;
        WHILE pg_catalog.date_part('isodow', target) OPERATOR(pg_catalog.>=) 6
              OR EXISTS (SELECT FROM licensing.calendar_exception c WHERE c.day OPERATOR(pg_catalog.=) target)
        LOOP
            target := target OPERATOR(pg_catalog.+) 1;
        END LOOP;
        INSERT INTO licensing.calendar_exception (day, kind, name, carry_of)
        VALUES (target, 'day_off',
                pg_catalog.format('Day off for %s (%s), carried from the weekend', h.name,
                                  pg_catalog.to_char(h.day, 'Dy DD Mon YYYY')),
                h.day);
        added := added OPERATOR(pg_catalog.+) 1;
    END LOOP;
    RETURN added;
END
$fn$;
COMMENT ON FUNCTION licensing.calendar_generate_carries(integer) IS
    'Adds the days off that a year''s weekend holidays give (next free weekday; not for 7 Jan and Kurban Ait; each Nauryz weekend day separately); returns how many rows it added. To add a year: INSERT its calendar_year row, its holidays and decree rows, then call this.';

-- ---- shipped data: 2012-2027 -------------------------------------------------
-- Holidays as Law No 267-II of 13 Dec 2001 "On holidays in the Republic of
-- Kazakhstan" stood each year: 7 May from 2013; 1 Dec and 17 Dec until 2021;
-- 25 Oct restored in 2022; Constitution Day on 30 Aug, on 15 Mar from 2027
-- (QUALITY §5).  Kurban Ait: first day, as announced each year by the
-- Spiritual Administration of Muslims of Kazakhstan (2026 and 2027 expected).

INSERT INTO licensing.calendar_year (year, source)
SELECT y, pg_catalog.format('Law No 267-II of 13 Dec 2001 "On holidays in the Republic of Kazakhstan" as in force in %s; Labour Code (weekend holidays carried to the next working day, not 7 Jan and Kurban Ait)%s',
                            y, COALESCE('; ' || d.decrees, ''))
  FROM pg_catalog.generate_series(2012, 2027) AS y
  LEFT JOIN (VALUES
    (2012, 'Government decrees No 268, No 458, No 1538 of 2012 (adilet.zan.kz P1200000268, P1200000458, P1200001538)'),
    (2013, 'Government decrees No 345, No 1068 of 2013 (P1300000345, P1300001068)'),
    (2014, 'Government decrees No 1322 of 2013 and No 365 of 2014 (P1300001322, P1400000365)'),
    (2015, 'no transfers by decree'),
    (2016, 'Government decree No 67 of 2016 (P1600000067)'),
    (2017, 'Government decree No 5 of 2017 (P1700000005)'),
    (2018, 'Government decree No 864 of 2017 (P1700000864)'),
    (2019, 'Government decree No 888 of 2018 (P1800000888)'),
    (2020, 'Government decree No 820 of 2019 (P1900000820)'),
    (2021, 'Government decree No 930 of 2020 (P2000000930)'),
    (2022, 'Government decree No 796 of 2022 (P2200000796)'),
    (2023, 'Government decree No 326 of 2023 (P2300000326)'),
    (2024, 'Government decree No 109 of 2024 (G24G0000109)'),
    (2025, 'Government decree No 436 of 2024 (G24G0000436)'),
    (2026, 'no transfers beyond the statutory carries'),
    (2027, 'no transfers known yet; Kurban Ait date expected')
  ) AS d(year, decrees) ON d.year OPERATOR(pg_catalog.=) y;

INSERT INTO licensing.calendar_exception (day, kind, name, carries)
SELECT pg_catalog.make_date(y, h.month, h.mday), 'holiday', h.name, h.carries
  FROM pg_catalog.generate_series(2012, 2027) AS y
  JOIN (VALUES
    (1, 1, 'New Year', true, 2012, 9999),
    (1, 2, 'New Year', true, 2012, 9999),
    (1, 7, 'Orthodox Christmas', false, 2012, 9999),
    (3, 8, 'International Women''s Day', true, 2012, 9999),
    (3, 15, 'Constitution Day', true, 2027, 9999),
    (3, 21, 'Nauryz', true, 2012, 9999),
    (3, 22, 'Nauryz', true, 2012, 9999),
    (3, 23, 'Nauryz', true, 2012, 9999),
    (5, 1, 'Day of Unity of the People of Kazakhstan', true, 2012, 9999),
    (5, 7, 'Defender of the Fatherland Day', true, 2013, 9999),
    (5, 9, 'Victory Day', true, 2012, 9999),
    (7, 6, 'Capital Day', true, 2012, 9999),
    (8, 30, 'Constitution Day', true, 2012, 2026),
    (10, 25, 'Republic Day', true, 2022, 9999),
    (12, 1, 'Day of the First President', true, 2012, 2021),
    (12, 16, 'Independence Day', true, 2012, 9999),
    (12, 17, 'Independence Day', true, 2012, 2021)
  ) AS h(month, mday, name, carries, from_year, to_year)
    ON y BETWEEN h.from_year AND h.to_year;

INSERT INTO licensing.calendar_exception (day, kind, name, carries) VALUES
    ('2012-10-26', 'holiday', 'Kurban Ait', false),
    ('2013-10-15', 'holiday', 'Kurban Ait', false),
    ('2014-10-04', 'holiday', 'Kurban Ait', false),
    ('2015-09-24', 'holiday', 'Kurban Ait', false),
    ('2016-09-12', 'holiday', 'Kurban Ait', false),
    ('2017-09-01', 'holiday', 'Kurban Ait', false),
    ('2018-08-21', 'holiday', 'Kurban Ait', false),
    ('2019-08-11', 'holiday', 'Kurban Ait', false),
    ('2020-07-31', 'holiday', 'Kurban Ait', false),
    ('2021-07-20', 'holiday', 'Kurban Ait', false),
    ('2022-07-09', 'holiday', 'Kurban Ait', false),
    ('2023-06-28', 'holiday', 'Kurban Ait', false),
    ('2024-06-16', 'holiday', 'Kurban Ait', false),
    ('2025-06-06', 'holiday', 'Kurban Ait', false),
    ('2026-05-27', 'holiday', 'Kurban Ait (date expected; confirm when announced)', false),
    ('2027-05-16', 'holiday', 'Kurban Ait (date expected; confirm when announced)', false);

-- Transfers by decree: a weekend day worked, a weekday off.  The decree
-- numbers are those the python-holidays project (vacanza/holidays,
-- holidays/countries/kazakhstan.py) cites from adilet.zan.kz.
INSERT INTO licensing.calendar_exception (day, kind, name, carry_of) VALUES
    ('2012-03-11', 'working_day', 'Working day for Fri 9 Mar 2012: Government decree No 268 of 2012 (P1200000268)', NULL),
    ('2012-03-09', 'day_off', 'Day off moved from Sun 11 Mar 2012: Government decree No 268 of 2012 (P1200000268)', NULL),
    ('2012-04-28', 'working_day', 'Working day for Mon 30 Apr 2012: Government decree No 458 of 2012 (P1200000458)', NULL),
    ('2012-04-30', 'day_off', 'Day off moved from Sat 28 Apr 2012: Government decree No 458 of 2012 (P1200000458)', NULL),
    ('2012-12-29', 'working_day', 'Working day for Mon 31 Dec 2012: Government decree No 1538 of 2012 (P1200001538)', NULL),
    ('2012-12-31', 'day_off', 'Day off moved from Sat 29 Dec 2012: Government decree No 1538 of 2012 (P1200001538)', NULL),
    ('2013-05-04', 'working_day', 'Working day for Fri 10 May 2013: Government decree No 345 of 2013 (P1300000345)', NULL),
    ('2013-05-10', 'day_off', 'Day off moved from Sat 4 May 2013: Government decree No 345 of 2013 (P1300000345)', NULL),
    ('2013-10-12', 'working_day', 'Working day for Mon 14 Oct 2013: Government decree No 1068 of 2013 (P1300001068)', NULL),
    ('2013-10-14', 'day_off', 'Day off moved from Sat 12 Oct 2013: Government decree No 1068 of 2013 (P1300001068)', NULL),
    ('2013-12-28', 'working_day', 'Working day for Fri 3 Jan 2014: Government decree No 1322 of 2013 (P1300001322)', NULL),
    ('2014-01-03', 'day_off', 'Day off moved from Sat 28 Dec 2013: Government decree No 1322 of 2013 (P1300001322)', NULL),
    ('2014-05-04', 'working_day', 'Working day for Fri 2 May 2014: Government decree No 365 of 2014 (P1400000365)', NULL),
    ('2014-05-02', 'day_off', 'Day off moved from Sun 4 May 2014: Government decree No 365 of 2014 (P1400000365)', NULL),
    ('2014-05-11', 'working_day', 'Working day for Thu 8 May 2014: Government decree No 365 of 2014 (P1400000365)', NULL),
    ('2014-05-08', 'day_off', 'Day off moved from Sun 11 May 2014: Government decree No 365 of 2014 (P1400000365)', NULL),
    ('2016-03-05', 'working_day', 'Working day for Mon 7 Mar 2016: Government decree No 67 of 2016 (P1600000067)', NULL),
    ('2016-03-07', 'day_off', 'Day off moved from Sat 5 Mar 2016: Government decree No 67 of 2016 (P1600000067)', NULL),
    ('2017-03-18', 'working_day', 'Working day for Mon 20 Mar 2017: Government decree No 5 of 2017 (P1700000005)', NULL),
    ('2017-03-20', 'day_off', 'Day off moved from Sat 18 Mar 2017: Government decree No 5 of 2017 (P1700000005)', NULL),
    ('2017-07-01', 'working_day', 'Working day for Fri 7 Jul 2017: Government decree No 5 of 2017 (P1700000005)', NULL),
    ('2017-07-07', 'day_off', 'Day off moved from Sat 1 Jul 2017: Government decree No 5 of 2017 (P1700000005)', NULL),
    ('2018-03-03', 'working_day', 'Working day for Fri 9 Mar 2018: Government decree No 864 of 2017 (P1700000864)', NULL),
    ('2018-03-09', 'day_off', 'Day off moved from Sat 3 Mar 2018: Government decree No 864 of 2017 (P1700000864)', NULL),
    ('2018-04-28', 'working_day', 'Working day for Mon 30 Apr 2018: Government decree No 864 of 2017 (P1700000864)', NULL),
    ('2018-04-30', 'day_off', 'Day off moved from Sat 28 Apr 2018: Government decree No 864 of 2017 (P1700000864)', NULL),
    ('2018-05-05', 'working_day', 'Working day for Tue 8 May 2018: Government decree No 864 of 2017 (P1700000864)', NULL),
    ('2018-05-08', 'day_off', 'Day off moved from Sat 5 May 2018: Government decree No 864 of 2017 (P1700000864)', NULL),
    ('2018-08-25', 'working_day', 'Working day for Fri 31 Aug 2018: Government decree No 864 of 2017 (P1700000864)', NULL),
    ('2018-08-31', 'day_off', 'Day off moved from Sat 25 Aug 2018: Government decree No 864 of 2017 (P1700000864)', NULL),
    ('2018-12-29', 'working_day', 'Working day for Mon 31 Dec 2018: Government decree No 864 of 2017 (P1700000864)', NULL),
    ('2018-12-31', 'day_off', 'Day off moved from Sat 29 Dec 2018: Government decree No 864 of 2017 (P1700000864)', NULL),
    ('2019-05-04', 'working_day', 'Working day for Fri 10 May 2019: Government decree No 888 of 2018 (P1800000888)', NULL),
    ('2019-05-10', 'day_off', 'Day off moved from Sat 4 May 2019: Government decree No 888 of 2018 (P1800000888)', NULL),
    ('2020-01-05', 'working_day', 'Working day for Fri 3 Jan 2020: Government decree No 820 of 2019 (P1900000820)', NULL),
    ('2020-01-03', 'day_off', 'Day off moved from Sun 5 Jan 2020: Government decree No 820 of 2019 (P1900000820)', NULL),
    ('2020-05-08', 'day_off', 'Day off for Victory Day (Sat 9 May 2020) given on Fri 8 May instead of Mon 11 May (as python-holidays records it; decree to be confirmed)', '2020-05-09'),
    ('2020-12-20', 'working_day', 'Working day for Fri 18 Dec 2020: Government decree No 820 of 2019 (P1900000820)', NULL),
    ('2020-12-18', 'day_off', 'Day off moved from Sun 20 Dec 2020: Government decree No 820 of 2019 (P1900000820)', NULL),
    ('2021-07-03', 'working_day', 'Working day for Mon 5 Jul 2021: Government decree No 930 of 2020 (P2000000930)', NULL),
    ('2021-07-05', 'day_off', 'Day off moved from Sat 3 Jul 2021: Government decree No 930 of 2020 (P2000000930)', NULL),
    ('2022-03-05', 'working_day', 'Working day for Mon 7 Mar 2022: Government decree No 796 of 2022 (P2200000796)', NULL),
    ('2022-03-07', 'day_off', 'Day off moved from Sat 5 Mar 2022: Government decree No 796 of 2022 (P2200000796)', NULL),
    ('2022-08-27', 'working_day', 'Working day for Mon 29 Aug 2022: Government decree No 796 of 2022 (P2200000796)', NULL),
    ('2022-08-29', 'day_off', 'Day off moved from Sat 27 Aug 2022: Government decree No 796 of 2022 (P2200000796)', NULL),
    ('2022-10-22', 'working_day', 'Working day for Mon 24 Oct 2022: Government decree No 796 of 2022 (P2200000796)', NULL),
    ('2022-10-24', 'day_off', 'Day off moved from Sat 22 Oct 2022: Government decree No 796 of 2022 (P2200000796)', NULL),
    ('2023-07-01', 'working_day', 'Working day for Fri 7 Jul 2023: Government decree No 326 of 2023 (P2300000326)', NULL),
    ('2023-07-07', 'day_off', 'Day off moved from Sat 1 Jul 2023: Government decree No 326 of 2023 (P2300000326)', NULL),
    ('2024-05-04', 'working_day', 'Working day for Wed 8 May 2024: Government decree No 109 of 2024 (G24G0000109)', NULL),
    ('2024-05-08', 'day_off', 'Day off moved from Sat 4 May 2024: Government decree No 109 of 2024 (G24G0000109)', NULL),
    ('2025-01-05', 'working_day', 'Working day for Fri 3 Jan 2025: Government decree No 436 of 2024 (G24G0000436)', NULL),
    ('2025-01-03', 'day_off', 'Day off moved from Sun 5 Jan 2025: Government decree No 436 of 2024 (G24G0000436)', NULL);

SELECT licensing.calendar_generate_carries(y) FROM pg_catalog.generate_series(2012, 2027) AS y;

-- Everything so far is shipped: pg_dump leaves it to CREATE EXTENSION.
UPDATE licensing.calendar_year SET shipped = true;
UPDATE licensing.calendar_exception SET shipped = true;

SELECT pg_catalog.pg_extension_config_dump('licensing.calendar_year', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('licensing.calendar_exception', 'WHERE NOT shipped');

-- ---- rows users add or change ---------------------------------------------------

CREATE FUNCTION licensing.calendar_user_row() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $fn$
-- A row inserted or changed by a user is the user's (shipped = false), so
-- pg_dump keeps it.  An inserted row replaces a shipped row with the same
-- key: this is how a restore (the dump's rows after CREATE EXTENSION's) and a
-- DBA's correction of a shipped day both work without a clash.
BEGIN
    NEW.shipped := false;
    IF TG_OP OPERATOR(pg_catalog.=) 'INSERT' THEN
        IF TG_TABLE_NAME OPERATOR(pg_catalog.=) 'calendar_exception' THEN
            DELETE FROM licensing.calendar_exception
             WHERE day OPERATOR(pg_catalog.=) NEW.day AND shipped;
        ELSE
            DELETE FROM licensing.calendar_year
             WHERE year OPERATOR(pg_catalog.=) NEW.year AND shipped;
        END IF;
    END IF;
    RETURN NEW;
END
$fn$;
COMMENT ON FUNCTION licensing.calendar_user_row() IS
    'Trigger: rows users insert or change are not shipped (so pg_dump keeps them); an inserted row replaces a shipped row with the same key';

CREATE TRIGGER calendar_year_user_row BEFORE INSERT OR UPDATE ON licensing.calendar_year
    FOR EACH ROW EXECUTE FUNCTION licensing.calendar_user_row();
CREATE TRIGGER calendar_exception_user_row BEFORE INSERT OR UPDATE ON licensing.calendar_exception
    FOR EACH ROW EXECUTE FUNCTION licensing.calendar_user_row();
CREATE TRIGGER calendar_year_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON licensing.calendar_year
    FOR EACH STATEMENT EXECUTE FUNCTION licensing.invalidate_cache();
CREATE TRIGGER calendar_exception_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON licensing.calendar_exception
    FOR EACH STATEMENT EXECUTE FUNCTION licensing.invalidate_cache();

GRANT SELECT ON licensing.calendar_year, licensing.calendar_exception TO PUBLIC;
GRANT INSERT, UPDATE, DELETE ON licensing.calendar_year, licensing.calendar_exception TO licensing_admin;
REVOKE EXECUTE ON FUNCTION licensing.calendar_generate_carries(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION licensing.calendar_generate_carries(integer) TO licensing_admin;

-- ---- working days ---------------------------------------------------------------

CREATE FUNCTION licensing.is_working_day(day date) RETURNS boolean
    AS 'MODULE_PATHNAME', 'calendar_is_working_day' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION licensing.is_working_day(date) IS
    'Whether the date is a working day of Kazakhstan''s calendar (22023 outside the covered years)';

CREATE FUNCTION licensing.add_working_days(day date, n integer) RETURNS date
    AS 'MODULE_PATHNAME', 'calendar_add_working_days_sql' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION licensing.add_working_days(date, integer) IS
    'The n-th working day after the date (n = 0: the date itself; negative n counts back)';

CREATE FUNCTION licensing.working_days_between(from_day date, to_day date) RETURNS integer
    AS 'MODULE_PATHNAME', 'calendar_working_days_between' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION licensing.working_days_between(date, date) IS
    'Working days after from_day up to and including to_day (negative when to_day is earlier); add_working_days(a, working_days_between(a, b)) = b for a working day b';

CREATE FUNCTION licensing.calendar_covers(day date) RETURNS boolean
    AS 'MODULE_PATHNAME', 'calendar_covers' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION licensing.calendar_covers(date) IS
    'Whether the working calendar covers the date (never raises)';

-- ---- schedules and working time ------------------------------------------------

CREATE FUNCTION licensing.check_schedule(schedule jsonb) RETURNS boolean
    AS 'MODULE_PATHNAME', 'calendar_check_schedule' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION licensing.check_schedule(jsonb) IS
    'True for a valid working schedule {time_zone, day_start, day_end, lunch_start, lunch_end}; 22023 with the reason otherwise';

CREATE FUNCTION licensing.add_working_time(start timestamptz, amount interval, provider text DEFAULT NULL)
    RETURNS timestamptz
    AS 'MODULE_PATHNAME', 'calendar_add_working_time_provider' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION licensing.add_working_time(timestamptz, interval, text) IS
    'The moment when the amount of the provider''s working time (NULL: the default schedule) has run from start';

CREATE FUNCTION licensing.add_working_time(start timestamptz, amount interval, schedule jsonb)
    RETURNS timestamptz
    AS 'MODULE_PATHNAME', 'calendar_add_working_time_schedule' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION licensing.add_working_time(timestamptz, interval, jsonb) IS
    'The moment when the amount of working time of the given schedule has run from start';

CREATE FUNCTION licensing.working_time_between(from_at timestamptz, to_at timestamptz, provider text DEFAULT NULL)
    RETURNS interval
    AS 'MODULE_PATHNAME', 'calendar_working_time_between_provider' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION licensing.working_time_between(timestamptz, timestamptz, text) IS
    'Working time of the provider (NULL: the default schedule) from from_at to to_at (negative when to_at is earlier)';

CREATE FUNCTION licensing.working_time_between(from_at timestamptz, to_at timestamptz, schedule jsonb)
    RETURNS interval
    AS 'MODULE_PATHNAME', 'calendar_working_time_between_schedule' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION licensing.working_time_between(timestamptz, timestamptz, jsonb) IS
    'Working time of the given schedule from from_at to to_at (negative when to_at is earlier)';

-- ---- term rules -------------------------------------------------------------------

CREATE FUNCTION licensing.receipt_day(submitted_at timestamptz, provider text DEFAULT NULL) RETURNS date
    AS 'MODULE_PATHNAME', 'calendar_receipt_day_provider' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION licensing.receipt_day(timestamptz, text) IS
    'The receipt day: the provider-local date, or the next working day when submitted at or after the end of the working day or on a day off';

CREATE FUNCTION licensing.receipt_day(submitted_at timestamptz, schedule jsonb) RETURNS date
    AS 'MODULE_PATHNAME', 'calendar_receipt_day_schedule' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION licensing.receipt_day(timestamptz, jsonb) IS
    'The receipt day under the given schedule';

CREATE FUNCTION licensing.term_due_on(receipt_day date, norm text) RETURNS date
    AS 'MODULE_PATHNAME', 'calendar_term_due_on' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION licensing.term_due_on(date, text) IS
    'The due day of a term counted from the receipt day: ''15 working days'' (or ''15 days''), ''1 month'' (same date or the month''s last day, then the next working day)';

CREATE FUNCTION licensing.norm_due_at(anchor timestamptz, norm text, provider text DEFAULT NULL) RETURNS timestamptz
    AS 'MODULE_PATHNAME', 'calendar_norm_due_at_provider' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION licensing.norm_due_at(timestamptz, text, text) IS
    'The due moment of a step norm from its anchor: minutes and hours in the provider''s working time; days and months from the anchor''s receipt day, due at the end of that day (the next local midnight)';

CREATE FUNCTION licensing.norm_due_at(anchor timestamptz, norm text, schedule jsonb) RETURNS timestamptz
    AS 'MODULE_PATHNAME', 'calendar_norm_due_at_schedule' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION licensing.norm_due_at(timestamptz, text, jsonb) IS
    'The due moment of a step norm from its anchor under the given schedule';

-- ==== src/sql/30_signature.sql ====
-- 30_signature.sql: electronic digital signatures (API §5) and their trust store (API §3).
-- The regulation's condition 3 (000 §6 p.6, 004 §6 p.6, 003 §6): a request counts only when
-- signed with a certificate within its validity period and not revoked; the result is
-- signed by the provider's authorised person (000 §6 p.11).

-- ---------------------------------------------------------------- trust store
CREATE TABLE licensing.trusted_certificate (
    fingerprint text PRIMARY KEY,
    certificate bytea NOT NULL,
    subject     text,
    issuer      text,
    serial      text,
    not_before  timestamptz,
    not_after   timestamptz,
    added_at    timestamptz NOT NULL DEFAULT pg_catalog.now(),
    added_by    name NOT NULL DEFAULT CURRENT_USER
);
COMMENT ON TABLE licensing.trusted_certificate IS
    'Trust anchors for signatures: DER CA certificates; every row is an anchor. Insert only the certificate column; the others are filled from it';
COMMENT ON COLUMN licensing.trusted_certificate.fingerprint IS 'SHA-256 of the DER, lower-case hex (read-only, filled on insert)';
COMMENT ON COLUMN licensing.trusted_certificate.certificate IS 'The DER X.509 certificate of a CA (basicConstraints CA:TRUE)';
COMMENT ON COLUMN licensing.trusted_certificate.subject IS 'Subject in RFC 2253 form (read-only)';
COMMENT ON COLUMN licensing.trusted_certificate.issuer IS 'Issuer in RFC 2253 form (read-only)';
COMMENT ON COLUMN licensing.trusted_certificate.serial IS 'Serial number, upper-case hex (read-only)';
COMMENT ON COLUMN licensing.trusted_certificate.not_before IS 'Start of validity (read-only)';
COMMENT ON COLUMN licensing.trusted_certificate.not_after IS 'End of validity (read-only)';
COMMENT ON COLUMN licensing.trusted_certificate.added_at IS 'When the row was inserted';
COMMENT ON COLUMN licensing.trusted_certificate.added_by IS 'Who inserted the row';

CREATE TABLE licensing.revocation_list (
    fingerprint        text PRIMARY KEY,
    crl                bytea NOT NULL,
    issuer             text,
    issuer_fingerprint text NOT NULL
                       REFERENCES licensing.trusted_certificate (fingerprint) ON DELETE CASCADE,
    this_update        timestamptz,
    next_update        timestamptz,
    revoked_count      integer,
    added_at           timestamptz NOT NULL DEFAULT pg_catalog.now(),
    added_by           name NOT NULL DEFAULT CURRENT_USER
);
CREATE INDEX ON licensing.revocation_list (issuer_fingerprint);
COMMENT ON TABLE licensing.revocation_list IS
    'Certificate revocation lists (DER), each verified against a trusted certificate on insert; the latest of an issuer is used. Insert only the crl column';
COMMENT ON COLUMN licensing.revocation_list.fingerprint IS 'SHA-256 of the DER, lower-case hex (read-only)';
COMMENT ON COLUMN licensing.revocation_list.crl IS 'The DER X.509 CRL';
COMMENT ON COLUMN licensing.revocation_list.issuer IS 'Issuer in RFC 2253 form (read-only)';
COMMENT ON COLUMN licensing.revocation_list.issuer_fingerprint IS 'The trusted certificate whose key signed this CRL (read-only)';
COMMENT ON COLUMN licensing.revocation_list.this_update IS 'thisUpdate of the CRL (read-only)';
COMMENT ON COLUMN licensing.revocation_list.next_update IS 'nextUpdate: after it, signatures checked against this CRL are revocation_unknown (read-only)';
COMMENT ON COLUMN licensing.revocation_list.revoked_count IS 'Number of certificates the CRL lists (read-only)';
COMMENT ON COLUMN licensing.revocation_list.added_at IS 'When the row was inserted';
COMMENT ON COLUMN licensing.revocation_list.added_by IS 'Who inserted the row';

CREATE FUNCTION licensing.trusted_certificate_check() RETURNS trigger
    AS 'MODULE_PATHNAME', 'trusted_certificate_check' LANGUAGE C;
COMMENT ON FUNCTION licensing.trusted_certificate_check() IS
    'Trigger: refuses what is not a DER CA certificate and fills the read-only columns';
CREATE FUNCTION licensing.revocation_list_check() RETURNS trigger
    AS 'MODULE_PATHNAME', 'revocation_list_check' LANGUAGE C;
COMMENT ON FUNCTION licensing.revocation_list_check() IS
    'Trigger: refuses what is not a DER CRL signed by a trusted certificate and fills the read-only columns';

CREATE TRIGGER trusted_certificate_check
    BEFORE INSERT OR UPDATE ON licensing.trusted_certificate
    FOR EACH ROW EXECUTE FUNCTION licensing.trusted_certificate_check();
CREATE TRIGGER trust_store_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON licensing.trusted_certificate
    FOR EACH STATEMENT EXECUTE FUNCTION licensing.invalidate_cache();
CREATE TRIGGER revocation_list_check
    BEFORE INSERT OR UPDATE ON licensing.revocation_list
    FOR EACH ROW EXECUTE FUNCTION licensing.revocation_list_check();
CREATE TRIGGER trust_store_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON licensing.revocation_list
    FOR EACH STATEMENT EXECUTE FUNCTION licensing.invalidate_cache();

-- Certificates and CRLs are public documents: anyone may read them.  Only
-- licensing_admin (and superusers) change them, and only the DER column.
REVOKE ALL ON licensing.trusted_certificate, licensing.revocation_list FROM PUBLIC;
GRANT SELECT ON licensing.trusted_certificate, licensing.revocation_list TO PUBLIC;
GRANT INSERT (certificate), UPDATE (certificate), DELETE, TRUNCATE
    ON licensing.trusted_certificate TO licensing_admin;
GRANT INSERT (crl), UPDATE (crl), DELETE, TRUNCATE
    ON licensing.revocation_list TO licensing_admin;

-- Both hold the users' trust decisions: pg_dump must keep them.
SELECT pg_catalog.pg_extension_config_dump('licensing.trusted_certificate', '');
SELECT pg_catalog.pg_extension_config_dump('licensing.revocation_list', '');

-- ---------------------------------------------------------------- verification
CREATE FUNCTION licensing.verify_signature(
        content bytea, signature bytea, at timestamptz DEFAULT pg_catalog.now(),
        OUT valid boolean, OUT problem text,
        OUT signer_iin licensing.iin, OUT signer_bin licensing.bin,
        OUT subject text, OUT issuer text, OUT serial text,
        OUT not_before timestamptz, OUT not_after timestamptz, OUT signed_at timestamptz)
    RETURNS record
    AS 'MODULE_PATHNAME', 'verify_signature' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION licensing.verify_signature(bytea, bytea, timestamptz) IS
    'Verifies a DER CMS SignedData (detached, or embedded with content NULL) at a moment: chain to licensing.trusted_certificate, validity, the issuer''s CRL, key usage; problem is the first failure (malformed, bad_signature, untrusted, expired, not_yet_valid, revoked, revocation_unknown, key_usage), NULL when valid';

CREATE FUNCTION licensing.certificate_info(
        certificate bytea,
        OUT iin licensing.iin, OUT bin licensing.bin,
        OUT subject text, OUT issuer text, OUT serial text,
        OUT not_before timestamptz, OUT not_after timestamptz,
        OUT key_usage text[], OUT is_ca boolean, OUT fingerprint text)
    RETURNS record
    AS 'MODULE_PATHNAME', 'certificate_info' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION licensing.certificate_info(bytea) IS
    'What a DER certificate says: IIN (subject serialNumber), BIN (OU), names in RFC 2253, serial in hex, validity, key usage, CA or not, SHA-256 fingerprint';

CREATE FUNCTION licensing.trust_store_status(OUT anchors integer, OUT crls integer)
    RETURNS record
    AS 'MODULE_PATHNAME', 'trust_store_status' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION licensing.trust_store_status() IS
    'Trust anchors and verified CRLs in this session''s cached trust store (built if needed)';

-- ==== src/sql/40_config.sql ====
-- 40_config.sql: configuration tables of API §3 and the presets shipped from the seeds.
--
-- Every table carries "shipped boolean DEFAULT false": rows this script ships are
-- marked true, and pg_extension_config_dump dumps only "WHERE NOT shipped", so a
-- dump keeps what users added and a restore into a fresh CREATE EXTENSION does not
-- clash with the presets.  Tables without presets dump all their rows.

-- ---------------------------------------------------------------- services
CREATE TABLE licensing.service (
    code            text PRIMARY KEY,
    name_kk         text NOT NULL,
    name_ru         text NOT NULL,
    name_en         text NOT NULL,
    -- which applicants the service accepts: 'individual' (an IIN), or a BIN's kind as
    -- licensing.bin_kind() names it, optionally with its division ('resident_legal_entity/head_office')
    applicant_kinds text[] NOT NULL,
    result_kind     text NOT NULL CHECK (result_kind IN ('licence', 'conclusion')),
    operations      text[] NOT NULL DEFAULT '{issue}',
    term            text NOT NULL,                 -- '15 working days', '1 month'
    default_profile text,                          -- FK added below, once profiles exist
    shipped         boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE licensing.service IS 'State services the extension handles (API §3): names, accepted applicants, result kind, overall term';
COMMENT ON COLUMN licensing.service.applicant_kinds IS '''individual'' for an IIN, or a BIN kind (resident_legal_entity, non_resident_legal_entity, joint_individual_entrepreneurship), optionally ''/division''';
COMMENT ON COLUMN licensing.service.term IS 'overall term from the receipt day: ''N working days'' or ''N month(s)''';
COMMENT ON COLUMN licensing.service.shipped IS 'true for rows shipped by the extension (not dumped)';

CREATE TABLE licensing.service_fee (
    service   text NOT NULL REFERENCES licensing.service ON UPDATE CASCADE,
    operation text NOT NULL CHECK (operation IN ('issue', 'reissue', 'duplicate')),
    amount    numeric(12,2) NOT NULL CHECK (amount >= 0),
    shipped   boolean NOT NULL DEFAULT false,
    PRIMARY KEY (service, operation)
);
COMMENT ON TABLE licensing.service_fee IS 'Fee owed per service and operation, in both channels (no row: no fee)';

-- ---------------------------------------------------------------- providers
CREATE TABLE licensing.provider (
    code     text PRIMARY KEY,
    name_kk  text NOT NULL,
    name_ru  text NOT NULL,
    name_en  text NOT NULL,
    region   text,
    schedule jsonb NOT NULL DEFAULT '{}' CHECK (licensing.check_schedule(schedule)),
    shipped  boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE licensing.provider IS 'Service providers (regional departments): names, region, working schedule and time zone';
COMMENT ON COLUMN licensing.provider.schedule IS 'working hours and time zone, read by the calendar functions; {} means the default';
-- the calendar functions cache provider schedules per backend (calendar_time.c):
-- any change of the table drops every backend's cache
CREATE TRIGGER provider_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON licensing.provider
    FOR EACH STATEMENT EXECUTE FUNCTION licensing.invalidate_cache();
COMMENT ON TRIGGER provider_invalidate ON licensing.provider IS 'Drops the cached provider schedules of every backend (calendar_time.c)';

-- ---------------------------------------------------------------- profiles
CREATE TABLE licensing.profile (
    code    text PRIMARY KEY,
    service text NOT NULL REFERENCES licensing.service ON UPDATE CASCADE,
    name    text NOT NULL,
    source  text,                                  -- the seed it comes from
    shipped boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE licensing.profile IS 'Regulation profiles: a region''s ordered steps and norms for a service (API §3)';

ALTER TABLE licensing.service
    ADD FOREIGN KEY (default_profile) REFERENCES licensing.profile DEFERRABLE INITIALLY DEFERRED;

CREATE TABLE licensing.profile_step (
    profile     text NOT NULL REFERENCES licensing.profile ON UPDATE CASCADE ON DELETE CASCADE,
    position    integer NOT NULL CHECK (position > 0),
    step        text NOT NULL CHECK (step IN ('register', 'route', 'assign', 'confirm_complete',
                                              'decide', 'approve', 'sign_decision', 'deliver')),
    performer   text NOT NULL CHECK (performer IN ('clerk', 'head', 'unit_head', 'executor')),
    norm        text,                              -- '15 minutes', '2 hours', '2 working days', '15 days', '1 month'; NULL: the term's end
    anchor      text NOT NULL DEFAULT 'step_start' CHECK (anchor IN ('step_start', 'receipt', 'term_end')),
    paper_norm  text,                              -- the norm when the application came on paper (office), if different
    seed_clause text NOT NULL,
    shipped     boolean NOT NULL DEFAULT false,
    PRIMARY KEY (profile, position),
    UNIQUE (profile, step)
);
COMMENT ON TABLE licensing.profile_step IS 'Steps of a profile in order: the step (a function of API §4; decide = grant or refuse), the staff position performing it, its norm and anchor, the seed clause';
COMMENT ON COLUMN licensing.profile_step.anchor IS 'step_start: from when the step became possible; receipt: from the receipt day; term_end: the overall due date';

CREATE TABLE licensing.provider_profile (
    provider text NOT NULL REFERENCES licensing.provider ON UPDATE CASCADE ON DELETE CASCADE,
    service  text NOT NULL REFERENCES licensing.service ON UPDATE CASCADE,
    profile  text NOT NULL REFERENCES licensing.profile ON UPDATE CASCADE,
    PRIMARY KEY (provider, service)
);
COMMENT ON TABLE licensing.provider_profile IS 'Which profile a provider follows for a service (no row: the service''s default profile)';

-- ---------------------------------------------------------------- staff
CREATE TABLE licensing.staff (
    role     name NOT NULL,
    provider text NOT NULL REFERENCES licensing.provider ON UPDATE CASCADE ON DELETE CASCADE,
    position text NOT NULL CHECK (position IN ('clerk', 'head', 'unit_head', 'executor')),
    iin      licensing.iin,
    PRIMARY KEY (role, provider, position)
);
CREATE INDEX ON licensing.staff (provider, position);
-- each backend caches the table (staff.c): any change drops every backend's copy
CREATE TRIGGER staff_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON licensing.staff
    FOR EACH STATEMENT EXECUTE FUNCTION licensing.invalidate_cache();
COMMENT ON TRIGGER staff_invalidate ON licensing.staff IS 'Drops the cached staff of every backend (staff.c)';
COMMENT ON TABLE licensing.staff IS 'Staff of providers: a database role acts at a provider in a position (grants nothing by itself; the DBA grants licensing_staff)';

-- ---------------------------------------------------------------- registry mirrors
CREATE TABLE licensing.legal_entity (
    bin         licensing.bin PRIMARY KEY,
    name        text NOT NULL,
    active      boolean NOT NULL DEFAULT true,
    head_office licensing.bin,
    predecessor licensing.bin
);
COMMENT ON TABLE licensing.legal_entity IS 'Mirror of the legal-entity registry (ГБД ЮЛ); head_office for branches, predecessor for a reorganised entity';

CREATE TABLE licensing.person (
    iin  licensing.iin PRIMARY KEY,
    name text NOT NULL
);
COMMENT ON TABLE licensing.person IS 'Mirror of the person registry (ГБД ФЛ)';

CREATE TABLE licensing.power_of_attorney (
    number         text PRIMARY KEY,
    principal      text NOT NULL,                  -- IIN or BIN of the applicant
    representative licensing.iin NOT NULL,
    valid_from     date NOT NULL,
    valid_to       date NOT NULL,
    revoked        boolean NOT NULL DEFAULT false,
    CHECK (valid_from <= valid_to)
);
COMMENT ON TABLE licensing.power_of_attorney IS 'Mirror of the notary registry (ЕНИС): notarised powers of attorney only';

-- ---------------------------------------------------------------- refusal grounds
CREATE TABLE licensing.refusal_ground (
    code    text PRIMARY KEY,
    text_kk text NOT NULL,
    text_ru text NOT NULL,
    text_en text NOT NULL,
    article text,                                  -- the law's article or the seed clause
    intake  boolean NOT NULL DEFAULT false,        -- an intake refusal of submit (not a provider decision)
    shipped boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE licensing.refusal_ground IS 'Grounds of refusal with kk/ru/en texts; intake grounds are returned by submit, the others by refuse';

-- ---------------------------------------------------------------- dump filters
SELECT pg_catalog.pg_extension_config_dump('licensing.service', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('licensing.service_fee', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('licensing.provider', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('licensing.profile', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('licensing.profile_step', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('licensing.provider_profile', '');
SELECT pg_catalog.pg_extension_config_dump('licensing.staff', '');
SELECT pg_catalog.pg_extension_config_dump('licensing.legal_entity', '');
SELECT pg_catalog.pg_extension_config_dump('licensing.person', '');
SELECT pg_catalog.pg_extension_config_dump('licensing.power_of_attorney', '');
SELECT pg_catalog.pg_extension_config_dump('licensing.refusal_ground', 'WHERE NOT shipped');

-- ---------------------------------------------------------------- presets
-- Services (DOMAIN §2; 000 §1–5, 004 §1–5 scrap metal; 003 §1–5 ecological expertise).
INSERT INTO licensing.service (code, name_kk, name_ru, name_en, applicant_kinds, result_kind, operations, term, shipped) VALUES
('scrap-metal',
 'Түсті және қара металл сынықтары мен қалдықтарын жинау (дайындау), сақтау, қайта өңдеу және өткізу жөніндегі қызметке лицензия беру, қайта ресімдеу, телнұсқасын беру',
 'Выдача лицензии, переоформление, выдача дубликата лицензии на деятельность по сбору (заготовке), хранению, переработке и реализации лома и отходов цветных и черных металлов',
 'Licence for collecting, storing, processing and selling scrap and waste of non-ferrous and ferrous metals: issue, re-issue, duplicate',
 '{resident_legal_entity/head_office,non_resident_legal_entity/head_office}', 'licence',
 '{issue,reissue,duplicate}', '15 working days', true),
('eco-expertise',
 'II, III және IV санаттағы объектілер үшін мемлекеттік экологиялық сараптаманың қорытындысын беру',
 'Выдача заключения государственной экологической экспертизы для объектов II, III и IV категорий',
 'Conclusion of the state ecological expertise for objects of categories II, III and IV',
 '{individual,resident_legal_entity,non_resident_legal_entity,joint_individual_entrepreneurship}', 'conclusion',
 '{issue}', '1 month', true);

-- Fees (000 §6.6–6.8, 004 §6 p.6–8): a fee per operation is owed and checked before
-- signing, in both channels.  The seeds name no amount: the rows below are the licence
-- fee of the Tax Code as 10 MRP of 2015 (1 982 tenge), a tenth of it for a re-issue and
-- the full rate for a duplicate.  A DBA updates them; the checks read whatever is here.
INSERT INTO licensing.service_fee (service, operation, amount, shipped) VALUES
('scrap-metal', 'issue',     19820.00, true),
('scrap-metal', 'reissue',    1982.00, true),
('scrap-metal', 'duplicate', 19820.00, true);

INSERT INTO licensing.profile (code, service, name, source, shipped) VALUES
('south-kazakhstan-2015', 'scrap-metal', 'South Kazakhstan region, 2015', '002_0b62dce62e1dc425.txt §4–5', true),
('almaty-2014', 'scrap-metal', 'Almaty region, 2014', '001_63dfd95066e7cd6b.txt §17–24, §26', true),
('karaganda-2013', 'eco-expertise', 'Karaganda region, 2013', '003_a74bda05652fe1c9.txt §6–7, table 1 step 9', true);

UPDATE licensing.service SET default_profile = 'south-kazakhstan-2015' WHERE code OPERATOR(pg_catalog.=) 'scrap-metal';
UPDATE licensing.service SET default_profile = 'karaganda-2013' WHERE code OPERATOR(pg_catalog.=) 'eco-expertise';

INSERT INTO licensing.profile_step (profile, position, step, performer, norm, anchor, paper_norm, seed_clause, shipped) VALUES
-- 002 §5 1)–5); §4: completeness within 2 working days of receipt
('south-kazakhstan-2015', 1, 'register',         'clerk',    '15 minutes',      'step_start', NULL, '002 §5 1)', true),
('south-kazakhstan-2015', 2, 'assign',           'head',     '2 hours',         'step_start', NULL, '002 §5 2)', true),
('south-kazakhstan-2015', 3, 'confirm_complete', 'executor', '2 working days',  'receipt',    NULL, '002 §4', true),
('south-kazakhstan-2015', 4, 'decide',           'executor', '15 working days', 'term_end',   NULL, '002 §5 3)', true),
('south-kazakhstan-2015', 5, 'sign_decision',    'head',     '2 hours',         'step_start', NULL, '002 §5 4)', true),
('south-kazakhstan-2015', 6, 'deliver',          'clerk',    '15 minutes',      'step_start', NULL, '002 §5 5)', true),
-- 001 §17–24; §26: a result for a paper application printed within 20 minutes
('almaty-2014', 1, 'register',         'clerk',     '1 hour',   'step_start', NULL, '001 §17', true),
('almaty-2014', 2, 'route',            'head',      '1 hour',   'step_start', NULL, '001 §18–19', true),
('almaty-2014', 3, 'assign',           'unit_head', '1 hour',   'step_start', NULL, '001 §20', true),
('almaty-2014', 4, 'confirm_complete', 'executor',  '15 days',  'step_start', NULL, '001 §21', true),
('almaty-2014', 5, 'decide',           'executor',  '15 days',  'step_start', NULL, '001 §21', true),
('almaty-2014', 6, 'approve',          'unit_head', '1 hour',   'step_start', NULL, '001 §22', true),
('almaty-2014', 7, 'sign_decision',    'head',      '1 hour',   'step_start', NULL, '001 §23', true),
('almaty-2014', 8, 'deliver',          'clerk',     NULL,       'step_start', '20 minutes', '001 §24, §26', true),
-- 003 §6–7: no internal norms; the conclusion within one month (003 table 1, step 9)
('karaganda-2013', 1, 'register',         'clerk',    '1 month', 'term_end', NULL, '003 §7 5)', true),
('karaganda-2013', 2, 'assign',           'head',     '1 month', 'term_end', NULL, '003 §7', true),
('karaganda-2013', 3, 'confirm_complete', 'executor', '1 month', 'term_end', NULL, '003 §6 11)', true),
('karaganda-2013', 4, 'decide',           'executor', '1 month', 'term_end', NULL, '003 §6 11)–12)', true),
('karaganda-2013', 5, 'sign_decision',    'head',     '1 month', 'term_end', NULL, '003 §6 13)', true),
('karaganda-2013', 6, 'deliver',          'clerk',    '1 month', 'term_end', NULL, '003 §6 13)', true);

-- Refusal grounds (DOMAIN §8).  Intake: 000 §6 / 004 §6 processes 5 and 7, §7 process 5.
INSERT INTO licensing.refusal_ground (code, text_kk, text_ru, text_en, article, intake, shipped) VALUES
('no_payment',
 'Қызмет үшін төлем жасалмаған',
 'Отсутствует оплата за услугу',
 'No payment for the service',
 '000 §6.6–6.8 (process 5); 004 §6 p.6–8', true, true),
('signature_not_confirmed',
 'Қызмет алушының ЭЦҚ түпнұсқалығы расталмаған',
 'Не подтверждена подлинность ЭЦП получателя услуги',
 'The applicant''s electronic signature is not confirmed',
 '000 §6 (process 7); 003 §6 8); 004 §6 (process 7)', true, true),
('applicant_not_found',
 'Қызмет алушы туралы деректерді алу мүмкін емес',
 'Невозможно получить данные о получателе услуги',
 'The applicant''s data cannot be obtained from the registry',
 '000 §7 (process 5); 004 §7 7)', true, true),
('attorney_not_found',
 'Сенімхат туралы деректерді алу мүмкін емес',
 'Невозможно получить данные о доверенности',
 'The notarised power of attorney cannot be obtained',
 '000 §7 (process 5); 004 §7 7)', true, true),
('incomplete_documents',
 'Құжаттардың толық емес топтамасы ұсынылды',
 'Представлен неполный пакет документов',
 'An incomplete set of documents was submitted',
 '002 §4', false, true),
('qualification_requirements',
 'Қызмет алушы біліктілік талаптарына сәйкес келмейді',
 'Несоответствие получателя услуги квалификационным требованиям',
 'The applicant does not meet the qualification requirements',
 '000 §6 (condition 4, process 10); 003 §6 11)–12)', false, true),
('false_information',
 'Ұсынылған құжаттарда дәйексіз мәліметтер анықталды',
 'В представленных документах выявлены недостоверные сведения',
 'The documents submitted contain false information',
 '001 §5 (Standard §10)', false, true);

-- ==== src/sql/50_workflow.sql ====
-- 50_workflow.sql: applications and the workflow of API §4, roles and row security of API §8.
--
-- Tables first (other parts reference them), then the C guard trigger, the history
-- chain, the API functions, row-level security and grants.

-- ---------------------------------------------------------------- tables
CREATE SEQUENCE licensing.application_id_seq;
CREATE SEQUENCE licensing.application_number_seq;

-- At least six digits, never fewer: lpad() would cut a seventh digit off and
-- reuse numbers after the millionth application.
CREATE FUNCTION licensing._serial_text(serial bigint) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN pg_catalog.lpad(serial::text, GREATEST(6, pg_catalog.length(serial::text)), '0');
COMMENT ON FUNCTION licensing._serial_text(bigint) IS 'serial part of an application number: zero-padded to six digits, never truncated';
COMMENT ON SEQUENCE licensing.application_id_seq IS 'ids of licensing.application';
COMMENT ON SEQUENCE licensing.application_number_seq IS 'serial part of application numbers (one allocator for all providers)';

CREATE FUNCTION licensing._application_values(state text, operation text, channel text, outcome text,
                                               step text, step_due_at timestamptz) RETURNS boolean
    AS 'MODULE_PATHNAME', 'licensing_application_values' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION licensing._application_values(text, text, text, text, text, timestamptz) IS
    'CHECK of licensing.application: state, operation, channel and outcome from their closed sets, an open step with its due moment (23514 naming the value otherwise)';

CREATE TABLE licensing.application (
    id                  bigint PRIMARY KEY DEFAULT pg_catalog.nextval('licensing.application_id_seq'),
    number              text UNIQUE,               -- given when accepted: PROVIDER-YYYY-NNNNNN
    service             text NOT NULL REFERENCES licensing.service ON UPDATE CASCADE,
    operation           text NOT NULL,
    channel             text NOT NULL,
    applicant           text NOT NULL,             -- IIN or BIN
    provider            text NOT NULL REFERENCES licensing.provider ON UPDATE CASCADE,
    profile             text NOT NULL REFERENCES licensing.profile ON UPDATE CASCADE,
    state               text NOT NULL DEFAULT 'draft',
    outcome             text,
    licence_number      text,                      -- reissue/duplicate: the target licence
    form                jsonb NOT NULL DEFAULT '{}',
    representative      licensing.iin,
    attorney_number     text,
    created_at          timestamptz NOT NULL DEFAULT pg_catalog.now(),
    created_by          name,
    applicant_signature bytea,                     -- portal: CMS over signing_payload
    submitted_at        timestamptz,
    receipt_day         date,
    due_on              date,
    term_end_at         timestamptz,               -- end of due_on in the provider's time zone
    steps               jsonb,                     -- the profile's steps, pinned at submit
    unit                text,
    executor            name,
    ground              text REFERENCES licensing.refusal_ground ON UPDATE CASCADE,
    reason_kk           text,
    reason_ru           text,
    result_number       text,                      -- the number grant allocates
    decision            jsonb,                     -- grant's details
    decided_at          timestamptz,
    decision_payload    bytea,
    decision_signature  bytea,
    signed_at           timestamptz,
    on_paper            boolean,
    delivered_at        timestamptz,
    updated_at          timestamptz,
    -- the open step (API §3): set by the derive trigger when a state opens one,
    -- recorded in the history; the event of the next state change closes it
    step                text,
    step_position       integer,
    step_performer      text,
    step_started_at     timestamptz,
    step_due_at         timestamptz,
    -- the closed sets of values (state, operation, channel, outcome) and an open
    -- step with its due moment, in one C call: a table CHECK is re-read from the
    -- catalog text on every UPDATE, so one small expression costs far less than
    -- four IN lists (workflow.c)
    CONSTRAINT application_values CHECK (licensing._application_values(state, operation, channel, outcome, step, step_due_at))
)
-- every application is updated once per step (about eight times in its life),
-- and each step changes indexed columns, so no update is HOT: room left on the
-- page keeps the new version beside the old one (the page the step has just
-- read and locked), instead of on another page found through the free space
-- map, read, dirtied and logged as well
WITH (fillfactor = 80);
CREATE INDEX ON licensing.application (provider, state);
CREATE INDEX ON licensing.application (applicant);
-- open steps by due moment (overdue work lists, QUALITY P6)
CREATE INDEX application_step_due_idx ON licensing.application (step_due_at) WHERE step IS NOT NULL;
COMMENT ON TABLE licensing.application IS 'Applications for services; state changes are guarded by a C trigger (API §4)';
COMMENT ON COLUMN licensing.application.steps IS 'the profile''s steps (step, performer, norm, anchor, paper_norm) as they were at submit';
COMMENT ON COLUMN licensing.application.result_number IS 'the licence or conclusion number allocated by grant';
COMMENT ON COLUMN licensing.application.decision IS 'grant''s details (annexes)';
COMMENT ON COLUMN licensing.application.step IS 'the open step (NULL when none): its name, position, performer position, start and due moment (never after the term''s end)';

CREATE SEQUENCE licensing.application_document_id_seq;
COMMENT ON SEQUENCE licensing.application_document_id_seq IS 'ids of licensing.application_document';
CREATE TABLE licensing.application_document (
    id             bigint PRIMARY KEY DEFAULT pg_catalog.nextval('licensing.application_document_id_seq'),
    application    bigint NOT NULL REFERENCES licensing.application ON DELETE CASCADE,
    kind           text NOT NULL,
    filename       text NOT NULL,
    content        bytea NOT NULL,
    sha256         bytea NOT NULL,
    paper_original boolean NOT NULL DEFAULT false,
    attached_at    timestamptz NOT NULL DEFAULT pg_catalog.now()
);
CREATE INDEX ON licensing.application_document (application);
COMMENT ON TABLE licensing.application_document IS 'Documents of an application (scans of paper originals marked); their SHA-256 enters the signing payload';

CREATE SEQUENCE licensing.application_payment_id_seq;
COMMENT ON SEQUENCE licensing.application_payment_id_seq IS 'ids of licensing.application_payment';
CREATE TABLE licensing.application_payment (
    id          bigint PRIMARY KEY DEFAULT pg_catalog.nextval('licensing.application_payment_id_seq'),
    application bigint NOT NULL REFERENCES licensing.application ON DELETE CASCADE,
    amount      numeric(12,2) NOT NULL CHECK (amount > 0),
    reference   text NOT NULL UNIQUE,
    paid_at     timestamptz NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    recorded_by name
);
CREATE INDEX ON licensing.application_payment (application);
COMMENT ON TABLE licensing.application_payment IS 'Payments reported by the payment gateway (ПШЭП); a reference is recorded once';

CREATE TABLE licensing.application_event (
    application bigint NOT NULL,
    seq         integer NOT NULL,
    at          timestamptz NOT NULL,
    actor_role  name NOT NULL,
    actor_iin   licensing.iin,
    what        text NOT NULL,
    from_state  text,
    to_state    text,
    payload     jsonb NOT NULL DEFAULT '{}',
    prev_hash   bytea,
    hash        bytea NOT NULL,
    -- the step this event closed (a state change closes the open step): as it
    -- was opened, recorded in an earlier event's payload; verify_history checks
    -- that the two agree, so the chain covers these columns too
    step            text,
    step_position   integer,
    step_performer  text,
    step_started_at timestamptz,
    step_due_at     timestamptz,
    -- included columns: a step finds its chain's last hash in the index it is
    -- about to insert into, without reading the old event's page (history.c);
    -- term_compliance reads the closed steps' moments from it, index only
    -- (70_reports.sql), without a second index for every step to write
    PRIMARY KEY (application, seq) INCLUDE (hash, step, at, step_started_at, step_due_at)
);
CREATE INDEX ON licensing.application_event (at);
COMMENT ON TABLE licensing.application_event IS 'Append-only history of every change and intake refusal, SHA-256 chained per application (verify_history recomputes)';
COMMENT ON COLUMN licensing.application_event.step IS 'the step this event closed (finished at the event''s moment, by its actor), NULL when it closed none';

-- Each step of each application (API §4): the closed ones from the events that
-- closed them, the open one from the application.  A step is written once, with
-- the row or the event the step itself writes: no table of its own to update.
-- security_invoker: a role sees the steps of the applications its policies show.
CREATE VIEW licensing.application_step WITH (security_invoker = true) AS
SELECT e.application, e.step, e.step_position AS position, e.step_performer AS performer_position,
       e.step_started_at AS started_at, e.step_due_at AS due_at, e.at AS finished_at, e.actor_role AS performer,
       e.at OPERATOR(pg_catalog.>) e.step_due_at AS violation
  FROM licensing.application_event e
 WHERE e.step IS NOT NULL
UNION ALL
SELECT a.id, a.step, a.step_position, a.step_performer, a.step_started_at, a.step_due_at,
       NULL::timestamptz, NULL::name, NULL::boolean
  FROM licensing.application a
 WHERE a.step IS NOT NULL;
COMMENT ON VIEW licensing.application_step IS 'Each step of each application: start, due moment (never after the term''s end), end and performer; finished after due_at = a violation of the term';
COMMENT ON COLUMN licensing.application_step.violation IS 'true when the step finished after its due moment (a violation of the term; never blocks the step)';

CREATE TABLE licensing.application_survey (
    application         bigint PRIMARY KEY REFERENCES licensing.application ON DELETE CASCADE,
    process_quality     integer NOT NULL CHECK (process_quality BETWEEN 1 AND 3),
    information_quality integer NOT NULL CHECK (information_quality BETWEEN 1 AND 3),
    answered_at         timestamptz NOT NULL DEFAULT pg_catalog.now()
);
COMMENT ON TABLE licensing.application_survey IS 'The applicant''s survey of a delivered application: 1 not satisfied, 2 partially, 3 satisfied';

SELECT pg_catalog.pg_extension_config_dump('licensing.application', '');
SELECT pg_catalog.pg_extension_config_dump('licensing.application_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('licensing.application_number_seq', '');
SELECT pg_catalog.pg_extension_config_dump('licensing.application_document', '');
SELECT pg_catalog.pg_extension_config_dump('licensing.application_document_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('licensing.application_payment', '');
SELECT pg_catalog.pg_extension_config_dump('licensing.application_payment_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('licensing.application_event', '');
SELECT pg_catalog.pg_extension_config_dump('licensing.application_survey', '');

CREATE TYPE licensing.verdict AS (
    accepted   boolean,
    number     text,
    ground     text,
    message_kk text,
    message_ru text,
    message_en text
);
COMMENT ON TYPE licensing.verdict IS 'What submit answers: accepted with its number, or an intake refusal with its ground and texts';

-- ---------------------------------------------------------------- who is acting (actor.c)
CREATE FUNCTION licensing.actor() RETURNS name
    AS 'MODULE_PATHNAME', 'licensing_actor' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION licensing.actor() IS 'The acting role: the session''s role after SET ROLE (GetOuterUserId), never a SECURITY DEFINER owner';

CREATE FUNCTION licensing.act_for(applicant text) RETURNS void
    AS 'MODULE_PATHNAME', 'licensing_act_for' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION licensing.act_for(text) IS 'The portal names the applicant (IIN or BIN) it acts for; kept in backend memory; members of licensing_portal only; NULL forgets';

CREATE FUNCTION licensing.acting_for() RETURNS text
    AS 'MODULE_PATHNAME', 'licensing_acting_for' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION licensing.acting_for() IS 'The applicant named by act_for, while the role that named it is acting; else NULL';

CREATE FUNCTION licensing.clock() RETURNS timestamptz
    AS 'MODULE_PATHNAME', 'licensing_clock' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION licensing.clock() IS 'The moment the workflow records: now(), unless a superuser pinned it with set_clock';

CREATE FUNCTION licensing.set_clock(at timestamptz) RETURNS void
    AS 'MODULE_PATHNAME', 'licensing_set_clock' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION licensing.set_clock(timestamptz) IS 'Superusers: pin the workflow clock for demonstrations and tests (NULL: back to now())';
REVOKE ALL ON FUNCTION licensing.set_clock(timestamptz) FROM PUBLIC;

-- ---------------------------------------------------------------- canonical JSON, hashes
CREATE FUNCTION licensing.canonical_json(value jsonb) RETURNS text
    AS 'MODULE_PATHNAME', 'licensing_canonical_json' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION licensing.canonical_json(jsonb) IS 'RFC 8785 canonical JSON of a jsonb value (sorted keys, no white space, ECMAScript numbers)';

CREATE FUNCTION licensing._event_hash(prev bytea, body jsonb) RETURNS bytea
    AS 'MODULE_PATHNAME', 'licensing_event_hash' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION licensing._event_hash(bytea, jsonb) IS 'SHA-256 of the previous hash followed by the canonical JSON of an event';

-- ---------------------------------------------------------------- internal helpers
CREATE FUNCTION licensing._is_staff_of(provider text) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$ SELECT EXISTS (SELECT 1 FROM licensing.staff s
                         WHERE s.role OPERATOR(pg_catalog.=) licensing.actor()
                           AND s.provider OPERATOR(pg_catalog.=) $1) $$;
COMMENT ON FUNCTION licensing._is_staff_of(text) IS 'Whether the acting role has a staff row at the provider (row-level security)';

CREATE FUNCTION licensing._may_see(applicant text, provider text) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$ SELECT COALESCE($1 OPERATOR(pg_catalog.=) licensing.acting_for(), false) OR licensing._is_staff_of($2) $$;
COMMENT ON FUNCTION licensing._may_see(text, text) IS 'Whether the acting role sees an application of this applicant and provider (the portal: its applicant; staff: their provider)';

-- (history.c: to_char($1 AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
CREATE FUNCTION licensing._utc(at timestamptz) RETURNS text
    AS 'MODULE_PATHNAME', 'licensing_utc' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION licensing._utc(timestamptz) IS 'A moment as ISO 8601 UTC text, independent of TimeZone and DateStyle';

-- Appends one event to the application's hash chain (history.c, the same
-- routine the record trigger uses).  Callers hold the application's row lock
-- (an UPDATE of it, or SELECT ... FOR UPDATE), so events of one application
-- are appended one at a time.
CREATE FUNCTION licensing._append_event(app bigint, what text, from_state text, to_state text, payload jsonb)
    RETURNS void
    AS 'MODULE_PATHNAME', 'licensing_append_event'
    LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION licensing._append_event(bigint, text, text, text, jsonb) IS 'Appends an event to an application''s SHA-256 chained history';
REVOKE ALL ON FUNCTION licensing._append_event(bigint, text, text, text, jsonb) FROM PUBLIC;

-- (the caller that already holds the row passes its number: no query; step.c,
-- the same payload the step functions send)
CREATE FUNCTION licensing._notify(app bigint, number text, from_state text, to_state text) RETURNS void
    AS 'MODULE_PATHNAME', 'licensing_notify' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION licensing._notify(bigint, text, text, text) IS 'NOTIFY licensing_events with {application, number, from, to, at}, the number given by the caller';
REVOKE ALL ON FUNCTION licensing._notify(bigint, text, text, text) FROM PUBLIC;

CREATE FUNCTION licensing._notify(app bigint, from_state text, to_state text) RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$ BEGIN PERFORM licensing._notify($1,
              (SELECT a.number FROM licensing.application a WHERE a.id OPERATOR(pg_catalog.=) $1), $2, $3); END $$;
COMMENT ON FUNCTION licensing._notify(bigint, text, text) IS 'NOTIFY licensing_events with {application, number, from, to, at} (sent by the API functions, QUALITY §6)';
REVOKE ALL ON FUNCTION licensing._notify(bigint, text, text) FROM PUBLIC;

-- The row without what the history does not track.
-- TimeZone and bytea_output are fixed, so the encoding is the same in every session.
-- (history.c: to_jsonb($1) - 'updated_at' with TimeZone UTC and bytea_output hex)
CREATE FUNCTION licensing._row_json(a licensing.application) RETURNS jsonb
    AS 'MODULE_PATHNAME', 'licensing_row_json' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION licensing._row_json(licensing.application) IS 'An application row as jsonb, as the history records it';

CREATE FUNCTION licensing._row_json(a licensing.application, columns text[]) RETURNS jsonb
    AS 'MODULE_PATHNAME', 'licensing_row_json_columns' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION licensing._row_json(licensing.application, text[]) IS 'The named columns of _row_json(a), each encoded as there (without encoding the rest of the row)';

-- ---------------------------------------------------------------- the guard (workflow.c)
CREATE TYPE licensing._transition_verdict AS (ok boolean, sqlstate text, ground text, message text,
                                              detail text, hint text);
COMMENT ON TYPE licensing._transition_verdict IS 'The guard''s answer: allowed, or the SQLSTATE, intake ground and texts of why not';

CREATE FUNCTION licensing._check_transition(old licensing.application, new licensing.application)
    RETURNS licensing._transition_verdict
    AS 'MODULE_PATHNAME', 'licensing_check_transition' LANGUAGE C STABLE STRICT;
COMMENT ON FUNCTION licensing._check_transition(licensing.application, licensing.application) IS 'The one routine deciding whether an application may change from old to new (also run by the row trigger)';
REVOKE ALL ON FUNCTION licensing._check_transition(licensing.application, licensing.application) FROM PUBLIC;

CREATE FUNCTION licensing._application_guard() RETURNS trigger
    AS 'MODULE_PATHNAME', 'licensing_application_guard' LANGUAGE C;
COMMENT ON FUNCTION licensing._application_guard() IS 'BEFORE row trigger: raises when a change of an application is not allowed (API §4)';

CREATE TRIGGER application_10_guard BEFORE INSERT OR UPDATE OR DELETE ON licensing.application
    FOR EACH ROW EXECUTE FUNCTION licensing._application_guard();

-- Derived columns, computed on the row itself (QUALITY §6): at submit the number,
-- the receipt day and term (API §2), and the profile's steps pinned; on every
-- state change the step it opens, with its due moment from the calendar (step.c).
CREATE FUNCTION licensing._application_derive() RETURNS trigger
    AS 'MODULE_PATHNAME', 'licensing_application_derive' LANGUAGE C;
COMMENT ON FUNCTION licensing._application_derive() IS 'BEFORE row trigger after the guard: number, receipt day, term and pinned steps at submit; the step a state opens, with its due moment; moments of later steps';

CREATE TRIGGER application_20_derive BEFORE UPDATE ON licensing.application
    FOR EACH ROW EXECUTE FUNCTION licensing._application_derive();

-- The step a state opens, given the pinned steps.
-- (workflow.c: submitted opens register; registered route when the pinned steps
-- have it, else assign; routed assign; assigned confirm_complete; in_review decide;
-- decided approve when pinned, else sign_decision; approved sign_decision; signed deliver)
CREATE FUNCTION licensing._step_for_state(state text, steps jsonb) RETURNS text
    AS 'MODULE_PATHNAME', 'licensing_step_for_state' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION licensing._step_for_state(text, jsonb) IS 'Which profile step becomes possible when an application enters a state';

-- AFTER UPDATE: the event, closing the open step (step.c).
CREATE FUNCTION licensing._application_record() RETURNS trigger
    AS 'MODULE_PATHNAME', 'licensing_application_record' LANGUAGE C;
COMMENT ON FUNCTION licensing._application_record() IS 'AFTER row trigger: appends the hash-chained event of the change, with the step it closed';

CREATE TRIGGER application_30_record AFTER UPDATE ON licensing.application
    FOR EACH ROW EXECUTE FUNCTION licensing._application_record();

-- History is append-only: UPDATE, DELETE and TRUNCATE fail for every role.
CREATE FUNCTION licensing._history_immutable() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RAISE EXCEPTION 'history of applications cannot be changed'
        USING ERRCODE = '55000',
              DETAIL = pg_catalog.format('%s on %s is refused: the history is append-only and hash-chained.', TG_OP, TG_TABLE_NAME),
              HINT = 'Events are appended by the functions of licensing; licensing.verify_history() checks the chain.';
END
$$;
COMMENT ON FUNCTION licensing._history_immutable() IS 'Trigger refusing UPDATE, DELETE and TRUNCATE of the history';
CREATE TRIGGER application_event_immutable BEFORE UPDATE OR DELETE ON licensing.application_event
    FOR EACH ROW EXECUTE FUNCTION licensing._history_immutable();
CREATE TRIGGER application_event_no_truncate BEFORE TRUNCATE ON licensing.application_event
    FOR EACH STATEMENT EXECUTE FUNCTION licensing._history_immutable();

-- ---------------------------------------------------------------- API §4
-- Locks and returns an application the acting role may see (P0002 when none, 42501 when not its own).
CREATE FUNCTION licensing._lock(app bigint) RETURNS licensing.application
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    a licensing.application;
BEGIN
    IF app IS NULL THEN
        RAISE EXCEPTION 'application must not be NULL' USING ERRCODE = '22023';
    END IF;
    SELECT * INTO a FROM licensing.application x WHERE x.id OPERATOR(pg_catalog.=) app FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'application % does not exist', app USING ERRCODE = 'P0002',
            HINT = 'Check the application id.';
    END IF;
    RETURN a;
END
$$;
COMMENT ON FUNCTION licensing._lock(bigint) IS 'Locks an application row for a step (P0002 when there is none)';
REVOKE ALL ON FUNCTION licensing._lock(bigint) FROM PUBLIC;

CREATE FUNCTION licensing._require_visible(a licensing.application) RETURNS void
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT licensing._may_see(a.applicant, a.provider)
       AND NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) licensing.actor()) THEN
        RAISE EXCEPTION 'role "%" may not see application %', licensing.actor(), a.id USING ERRCODE = '42501',
            DETAIL = 'The portal sees the applications of the applicant it acts for; staff those of their provider.',
            HINT = 'Name the applicant with licensing.act_for(), or act as staff of the provider.';
    END IF;
END
$$;
COMMENT ON FUNCTION licensing._require_visible(licensing.application) IS 'Raises 42501 unless the acting role sees the application';

-- Reads (without locking) an application the acting role may see: for the
-- STABLE readers, which cannot take _lock's row lock.
CREATE FUNCTION licensing._visible(app bigint) RETURNS licensing.application
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    a licensing.application;
BEGIN
    SELECT * INTO a FROM licensing.application x WHERE x.id OPERATOR(pg_catalog.=) app;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'application % does not exist', app USING ERRCODE = 'P0002',
            HINT = 'Check the application id.';
    END IF;
    PERFORM licensing._require_visible(a);
    RETURN a;
END
$$;
COMMENT ON FUNCTION licensing._visible(bigint) IS 'An application the acting role may see, unlocked (P0002 when none, 42501 when not its own)';
REVOKE ALL ON FUNCTION licensing._visible(bigint) FROM PUBLIC;

-- Raises the guard's answer (used where a function checks before acting).
CREATE FUNCTION licensing._raise_unless(v licensing._transition_verdict) RETURNS void
    LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT v.ok THEN
        RAISE EXCEPTION USING MESSAGE = v.message, ERRCODE = v.sqlstate,
            DETAIL = COALESCE(v.detail, ''), HINT = COALESCE(v.hint, '');
    END IF;
END
$$;
COMMENT ON FUNCTION licensing._raise_unless(licensing._transition_verdict) IS 'Raises with the guard''s answer when it refused';

CREATE FUNCTION licensing.create_application(service text, operation text, applicant text, provider text,
        form jsonb DEFAULT '{}', channel text DEFAULT 'portal', licence_number text DEFAULT NULL,
        representative licensing.iin DEFAULT NULL, attorney_number text DEFAULT NULL)
    RETURNS bigint
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    svc licensing.service;
    who text;
    kind text;
    prof text;
    app licensing.application;
    p_service text := $1; p_operation text := $2; p_applicant text := $3; p_provider text := $4;
    p_form jsonb := COALESCE($5, '{}'); p_channel text := $6; p_licence text := $7;
    p_rep licensing.iin := $8; p_attorney text := $9;
BEGIN
    SELECT * INTO svc FROM licensing.service s WHERE s.code OPERATOR(pg_catalog.=) p_service;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown service "%"', p_service USING ERRCODE = '22023',
            HINT = 'See licensing.service for the services offered.';
    END IF;
    IF p_operation IS NULL OR NOT p_operation OPERATOR(pg_catalog.=) ANY (svc.operations) THEN
        RAISE EXCEPTION 'service % has no operation "%"', p_service, p_operation USING ERRCODE = '22023',
            DETAIL = pg_catalog.format('Operations of %s: %s.', p_service, pg_catalog.array_to_string(svc.operations, ', '));
    END IF;
    IF p_channel IS NULL OR p_channel NOT IN ('portal', 'office') THEN
        RAISE EXCEPTION 'unknown channel "%"', p_channel USING ERRCODE = '22023', HINT = 'Use portal or office.';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM licensing.provider pr WHERE pr.code OPERATOR(pg_catalog.=) p_provider) THEN
        RAISE EXCEPTION 'unknown provider "%"', p_provider USING ERRCODE = '22023',
            HINT = 'See licensing.provider.';
    END IF;
    IF pg_catalog.jsonb_typeof(p_form) OPERATOR(pg_catalog.<>) 'object' THEN
        RAISE EXCEPTION 'form must be a JSON object' USING ERRCODE = '22023';
    END IF;
    -- the applicant: an IIN or a BIN of a kind the service accepts (22P02 when it does not parse)
    IF p_applicant IS NULL THEN
        RAISE EXCEPTION 'applicant must not be NULL' USING ERRCODE = '22023';
    END IF;
    IF pg_catalog.substr(pg_catalog.btrim(p_applicant), 5, 1) OPERATOR(pg_catalog.<=) '3' THEN
        who := p_applicant::licensing.iin::text;
        kind := 'individual';
        IF NOT kind OPERATOR(pg_catalog.=) ANY (svc.applicant_kinds) THEN
            RAISE EXCEPTION 'service % does not accept an individual (IIN %) as applicant', p_service, who
                USING ERRCODE = '22023', DETAIL = 'Accepted: ' OPERATOR(pg_catalog.||) pg_catalog.array_to_string(svc.applicant_kinds, ', ');
        END IF;
    ELSE
        who := p_applicant::licensing.bin::text;
        kind := licensing.bin_kind(who::licensing.bin);
        IF NOT (kind OPERATOR(pg_catalog.=) ANY (svc.applicant_kinds)
                OR (kind OPERATOR(pg_catalog.||) '/' OPERATOR(pg_catalog.||) licensing.bin_division(who::licensing.bin))
                   OPERATOR(pg_catalog.=) ANY (svc.applicant_kinds)) THEN
            RAISE EXCEPTION 'service % does not accept BIN % (%, %) as applicant', p_service, who, kind,
                licensing.bin_division(who::licensing.bin)
                USING ERRCODE = '22023', DETAIL = 'Accepted: ' OPERATOR(pg_catalog.||) pg_catalog.array_to_string(svc.applicant_kinds, ', '),
                      HINT = 'A licence is applied for by the legal entity''s head office.';
        END IF;
    END IF;
    -- who may create it
    IF p_channel OPERATOR(pg_catalog.=) 'portal' THEN
        IF licensing.acting_for() IS DISTINCT FROM who THEN
            RAISE EXCEPTION 'role "%" does not act for applicant %', licensing.actor(), who USING ERRCODE = '42501',
                DETAIL = 'On the portal the applicant is the one named by licensing.act_for().',
                HINT = 'Call licensing.act_for() as a member of licensing_portal first.';
        END IF;
        IF p_rep IS NOT NULL OR p_attorney IS NOT NULL THEN
            RAISE EXCEPTION 'a representative is named at the office only' USING ERRCODE = '22023',
                DETAIL = 'On the portal the applicant signs for itself (000 §6).';
        END IF;
    ELSE
        IF NOT EXISTS (SELECT 1 FROM licensing.staff s WHERE s.role OPERATOR(pg_catalog.=) licensing.actor()
                         AND s.provider OPERATOR(pg_catalog.=) p_provider AND s.position OPERATOR(pg_catalog.=) 'clerk') THEN
            RAISE EXCEPTION 'role "%" is not a clerk of provider %', licensing.actor(), p_provider USING ERRCODE = '42501',
                DETAIL = 'Office applications are entered by a clerk of the provider (000 §7).';
        END IF;
        IF p_rep IS NOT NULL AND p_attorney IS NULL THEN
            RAISE EXCEPTION 'representative % needs a notarised power of attorney', p_rep USING ERRCODE = '22023',
                HINT = 'Pass attorney_number.';
        END IF;
    END IF;
    -- reissue and duplicate name an active licence of the applicant (checked by the licence register)
    IF p_operation IN ('reissue', 'duplicate') THEN
        IF p_licence IS NULL THEN
            RAISE EXCEPTION '% needs the number of the licence', p_operation USING ERRCODE = '22023',
                HINT = 'Pass licence_number.';
        END IF;
        PERFORM licensing._check_licence_target(p_service, p_operation, who, p_licence, p_form);
    ELSIF p_licence IS NOT NULL THEN
        RAISE EXCEPTION 'operation issue takes no licence number' USING ERRCODE = '22023';
    END IF;
    prof := COALESCE((SELECT pp.profile FROM licensing.provider_profile pp
                       WHERE pp.provider OPERATOR(pg_catalog.=) p_provider AND pp.service OPERATOR(pg_catalog.=) p_service),
                     svc.default_profile);
    IF prof IS NULL THEN
        RAISE EXCEPTION 'provider % has no profile for service %', p_provider, p_service USING ERRCODE = '22023',
            HINT = 'Add a row to licensing.provider_profile or set the service''s default_profile.';
    END IF;
    INSERT INTO licensing.application (service, operation, channel, applicant, provider, profile, licence_number,
                                       form, representative, attorney_number, created_at, created_by)
    VALUES (p_service, p_operation, p_channel, who, p_provider, prof, p_licence, p_form, p_rep, p_attorney,
            licensing.clock(), licensing.actor())
    RETURNING * INTO app;
    PERFORM licensing._append_event(app.id, 'create', NULL, 'draft', licensing._row_json(app));
    PERFORM licensing._notify(app.id, NULL, 'draft');
    RETURN app.id;
END
$$;
COMMENT ON FUNCTION licensing.create_application(text, text, text, text, jsonb, text, text, licensing.iin, text) IS 'Creates a draft application (portal: for the applicant named by act_for; office: by a clerk)';

CREATE FUNCTION licensing.attach_document(application bigint, kind text, content bytea, filename text,
        paper_original boolean DEFAULT false) RETURNS bigint
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    a licensing.application := licensing._lock($1);
    doc bigint;
    h bytea;
BEGIN
    PERFORM licensing._require_visible(a);
    IF a.state OPERATOR(pg_catalog.<>) 'draft' THEN
        RAISE EXCEPTION 'application % is %, documents are attached to drafts only', a.id, a.state USING ERRCODE = '55000';
    END IF;
    IF NOT (CASE WHEN a.channel OPERATOR(pg_catalog.=) 'portal' THEN licensing.acting_for() IS NOT DISTINCT FROM a.applicant
                 ELSE EXISTS (SELECT 1 FROM licensing.staff s WHERE s.role OPERATOR(pg_catalog.=) licensing.actor()
                                AND s.provider OPERATOR(pg_catalog.=) a.provider AND s.position OPERATOR(pg_catalog.=) 'clerk') END) THEN
        RAISE EXCEPTION 'role "%" may not attach documents to application %', licensing.actor(), a.id USING ERRCODE = '42501',
            DETAIL = 'Documents are attached by the portal for its applicant, or at the office by a clerk.';
    END IF;
    IF $2 IS NULL OR pg_catalog.btrim($2) OPERATOR(pg_catalog.=) '' OR $4 IS NULL OR pg_catalog.btrim($4) OPERATOR(pg_catalog.=) '' THEN
        RAISE EXCEPTION 'a document needs a kind and a file name' USING ERRCODE = '22023';
    END IF;
    IF $3 IS NULL OR pg_catalog.length($3) OPERATOR(pg_catalog.=) 0 THEN
        RAISE EXCEPTION 'document "%" is empty', $4 USING ERRCODE = '22023';
    END IF;
    h := pg_catalog.sha256($3);
    INSERT INTO licensing.application_document (application, kind, filename, content, sha256, paper_original, attached_at)
    VALUES (a.id, $2, $4, $3, h, COALESCE($5, false), licensing.clock())
    RETURNING id INTO doc;
    PERFORM licensing._append_event(a.id, 'attach_document', 'draft', 'draft',
        pg_catalog.jsonb_build_object('document', doc, 'kind', $2, 'filename', $4,
                                      'sha256', pg_catalog.encode(h, 'hex'), 'paper_original', COALESCE($5, false)));
    PERFORM licensing._notify(a.id, 'draft', 'draft');
    RETURN doc;
END
$$;
COMMENT ON FUNCTION licensing.attach_document(bigint, text, bytea, text, boolean) IS 'Attaches a document to a draft (paper_original: a scan of a paper original presented at the office)';

CREATE FUNCTION licensing.record_payment(application bigint, amount numeric, reference text,
        paid_at timestamptz DEFAULT now()) RETURNS bigint
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    a licensing.application;
    pay licensing.application_payment;
BEGIN
    IF NOT pg_catalog.pg_has_role(licensing.actor(), 'licensing_gateway', 'MEMBER') THEN
        RAISE EXCEPTION 'role "%" may not record payments', licensing.actor() USING ERRCODE = '42501',
            DETAIL = 'Payments are reported by the payment gateway (licensing_gateway).';
    END IF;
    IF $3 IS NULL OR pg_catalog.btrim($3) OPERATOR(pg_catalog.=) '' THEN
        RAISE EXCEPTION 'a payment needs its reference' USING ERRCODE = '22023';
    END IF;
    IF $2 IS NULL OR $2 OPERATOR(pg_catalog.<=) 0 OR $2 OPERATOR(pg_catalog.>=) 10000000000 THEN
        RAISE EXCEPTION 'payment amount % is not positive', $2 USING ERRCODE = '22023';
    END IF;
    a := licensing._lock($1);
    SELECT * INTO pay FROM licensing.application_payment p WHERE p.reference OPERATOR(pg_catalog.=) $3;
    IF FOUND THEN
        IF pay.application OPERATOR(pg_catalog.<>) a.id OR pay.amount OPERATOR(pg_catalog.<>) $2 THEN
            RAISE EXCEPTION 'payment reference % is already recorded for another payment', $3 USING ERRCODE = '22023',
                DETAIL = pg_catalog.format('It was recorded for application %s, amount %s.', pay.application, pay.amount);
        END IF;
        RETURN pay.id;
    END IF;
    INSERT INTO licensing.application_payment (application, amount, reference, paid_at, recorded_at, recorded_by)
    VALUES (a.id, $2, $3, COALESCE($4, licensing.clock()), licensing.clock(), licensing.actor())
    RETURNING * INTO pay;
    PERFORM licensing._append_event(a.id, 'record_payment', a.state, a.state,
        pg_catalog.jsonb_build_object('payment', pay.id, 'amount', pay.amount, 'reference', pay.reference,
                                      'paid_at', licensing._utc(pay.paid_at)));
    PERFORM licensing._notify(a.id, a.state, a.state);
    RETURN pay.id;
END
$$;
COMMENT ON FUNCTION licensing.record_payment(bigint, numeric, text, timestamptz) IS 'The gateway records a payment; a reference already recorded returns the same id';

CREATE FUNCTION licensing._signing_payload(application bigint) RETURNS bytea
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    SELECT pg_catalog.convert_to(licensing.canonical_json(pg_catalog.jsonb_build_object(
        'service', a.service, 'operation', a.operation, 'applicant', a.applicant, 'provider', a.provider,
        'licence_number', a.licence_number, 'form', a.form,
        'documents', COALESCE((SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
                        'kind', d.kind, 'filename', d.filename, 'sha256', pg_catalog.encode(d.sha256, 'hex'),
                        'paper_original', d.paper_original) ORDER BY d.id)
                     FROM licensing.application_document d WHERE d.application OPERATOR(pg_catalog.=) a.id), '[]'))), 'UTF8')
    FROM licensing.application a WHERE a.id OPERATOR(pg_catalog.=) $1
$$;
COMMENT ON FUNCTION licensing._signing_payload(bigint) IS 'The bytes an applicant signs, without the visibility check (used by the guard)';
REVOKE ALL ON FUNCTION licensing._signing_payload(bigint) FROM PUBLIC;

CREATE FUNCTION licensing.signing_payload(application bigint) RETURNS bytea
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    a licensing.application := licensing._visible($1);
BEGIN
    RETURN licensing._signing_payload($1);
END
$$;
COMMENT ON FUNCTION licensing.signing_payload(bigint) IS 'RFC 8785 canonical JSON the applicant signs: service, operation, applicant, provider, form, documents'' SHA-256';

CREATE FUNCTION licensing.submit(application bigint, signature bytea DEFAULT NULL) RETURNS licensing.verdict
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    a licensing.application := licensing._lock($1);
    b licensing.application;
    v licensing._transition_verdict;
    g licensing.refusal_ground;
BEGIN
    PERFORM licensing._require_visible(a);
    b := a;
    b.state := 'submitted';
    b.applicant_signature := $2;
    v := licensing._check_transition(a, b);
    IF NOT v.ok AND v.ground IS NOT NULL THEN
        -- an intake refusal: the draft stays as it was, the history records it
        SELECT * INTO g FROM licensing.refusal_ground r WHERE r.code OPERATOR(pg_catalog.=) v.ground;
        PERFORM licensing._append_event(a.id, 'intake_refused', 'draft', 'draft',
            pg_catalog.jsonb_build_object('ground', v.ground, 'message', v.message, 'detail', v.detail));
        PERFORM licensing._notify(a.id, 'draft', 'draft');
        RETURN ROW(false, NULL, v.ground, g.text_kk, g.text_ru, g.text_en)::licensing.verdict;
    END IF;
    PERFORM licensing._raise_unless(v);
    UPDATE licensing.application x SET state = 'submitted', applicant_signature = $2
     WHERE x.id OPERATOR(pg_catalog.=) a.id RETURNING * INTO b;
    PERFORM licensing._notify(a.id, 'draft', 'submitted');
    RETURN ROW(true, b.number, NULL, NULL, NULL, NULL)::licensing.verdict;
END
$$;
COMMENT ON FUNCTION licensing.submit(bigint, bytea) IS 'Submits a draft: accepted with a number, or an intake refusal (no_payment, signature_not_confirmed, applicant_not_found, attorney_not_found)';

-- One step: update (the guard decides, the derive trigger opens the next step,
-- the record trigger appends the event), then NOTIFY (step.c).
CREATE FUNCTION licensing._step(app bigint, to_state text, changes jsonb DEFAULT '{}') RETURNS licensing.application
    AS 'MODULE_PATHNAME', 'licensing_step'
    LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION licensing._step(bigint, text, jsonb) IS 'Moves an application to a state with the given column values; the row trigger decides';
REVOKE ALL ON FUNCTION licensing._step(bigint, text, jsonb) FROM PUBLIC;

CREATE FUNCTION licensing.register(application bigint) RETURNS void
    AS 'MODULE_PATHNAME', 'licensing_register'
    LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION licensing.register(bigint) IS 'The office registers a submitted application (clerk)';

CREATE FUNCTION licensing.route(application bigint, unit text) RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$ BEGIN PERFORM licensing._step($1, 'routed', pg_catalog.jsonb_build_object('unit', $2)); END $$;
COMMENT ON FUNCTION licensing.route(bigint, text) IS 'The head routes a registered application to a unit (profiles with that step)';

CREATE FUNCTION licensing.assign(application bigint, executor name) RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$ BEGIN PERFORM licensing._step($1, 'assigned', pg_catalog.jsonb_build_object('executor', $2)); END $$;
COMMENT ON FUNCTION licensing.assign(bigint, name) IS 'The head (or unit head) assigns an executor';

CREATE FUNCTION licensing.confirm_complete(application bigint) RETURNS void
    AS 'MODULE_PATHNAME', 'licensing_confirm_complete'
    LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION licensing.confirm_complete(bigint) IS 'The executor confirms the documents are complete';

CREATE FUNCTION licensing.refuse(application bigint, ground text, reason_kk text, reason_ru text) RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$ BEGIN PERFORM licensing._step($1, 'decided', pg_catalog.jsonb_build_object(
              'outcome', 'refused', 'ground', $2, 'reason_kk', $3, 'reason_ru', $4)); END $$;
COMMENT ON FUNCTION licensing.refuse(bigint, text, text, text) IS 'The executor decides a reasoned refusal (from assigned: incomplete_documents only)';

CREATE FUNCTION licensing.grant(application bigint, details jsonb DEFAULT '{}') RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    a licensing.application := licensing._lock($1);
    b licensing.application;
    num text;
BEGIN
    IF $2 IS NULL OR pg_catalog.jsonb_typeof($2) OPERATOR(pg_catalog.<>) 'object' THEN
        RAISE EXCEPTION 'details must be a JSON object' USING ERRCODE = '22023';
    END IF;
    -- the state and the role first, so that no number is allocated for a refused call
    b := a;
    b.state := 'decided';
    b.outcome := 'granted';
    b.result_number := '(to be allocated)';
    b.decision := $2;
    PERFORM licensing._raise_unless(licensing._check_transition(a, b));
    num := licensing._licence_number_for(a.id, $2);
    PERFORM licensing._step(a.id, 'decided', pg_catalog.jsonb_build_object(
        'outcome', 'granted', 'result_number', num, 'decision', $2));
END
$$;
COMMENT ON FUNCTION licensing.grant(bigint, jsonb) IS 'The executor decides to grant; the licence or conclusion number is allocated here';

CREATE FUNCTION licensing.approve(application bigint) RETURNS void
    AS 'MODULE_PATHNAME', 'licensing_approve'
    LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION licensing.approve(bigint) IS 'The unit head approves the decision (profiles with that step)';

CREATE FUNCTION licensing._decision_payload(application bigint) RETURNS bytea
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    SELECT pg_catalog.convert_to(licensing.canonical_json(pg_catalog.jsonb_build_object(
        'application', a.number, 'service', a.service, 'operation', a.operation, 'applicant', a.applicant,
        'provider', a.provider, 'outcome', a.outcome, 'number', a.result_number,
        'target_licence', a.licence_number, 'ground', a.ground,
        'ground_text_kk', g.text_kk, 'ground_text_ru', g.text_ru,
        'reason_kk', a.reason_kk, 'reason_ru', a.reason_ru,
        'annexes', COALESCE(a.decision OPERATOR(pg_catalog.->) 'annexes', '[]'),
        'details', COALESCE(a.decision, '{}'),
        'decided_at', licensing._utc(a.decided_at), 'executor', a.executor::text)), 'UTF8')
    FROM licensing.application a
    LEFT JOIN licensing.refusal_ground g ON g.code OPERATOR(pg_catalog.=) a.ground
    WHERE a.id OPERATOR(pg_catalog.=) $1 AND a.outcome IS NOT NULL
$$;
COMMENT ON FUNCTION licensing._decision_payload(bigint) IS 'The bytes of a decision the head signs, without the visibility check (used by the guard)';
REVOKE ALL ON FUNCTION licensing._decision_payload(bigint) FROM PUBLIC;

CREATE FUNCTION licensing.decision_payload(application bigint) RETURNS bytea
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    a licensing.application := licensing._visible($1);
BEGIN
    IF a.outcome IS NULL THEN
        RAISE EXCEPTION 'application % has no decision yet', a.id USING ERRCODE = '55000',
            DETAIL = pg_catalog.format('It is %s; a decision exists from state decided on.', a.state);
    END IF;
    RETURN licensing._decision_payload($1);
END
$$;
COMMENT ON FUNCTION licensing.decision_payload(bigint) IS 'RFC 8785 canonical JSON of the decision (number, outcome, ground and reasons, annexes) the head signs';

CREATE FUNCTION licensing.sign_decision(application bigint, signature bytea) RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    b licensing.application;
BEGIN
    b := licensing._step($1, 'signed', pg_catalog.jsonb_build_object(
        'decision_payload', licensing._decision_payload($1), 'decision_signature', $2));
    IF b.outcome OPERATOR(pg_catalog.=) 'granted' THEN
        PERFORM licensing._issue_result(b.id);
    END IF;
END
$$;
COMMENT ON FUNCTION licensing.sign_decision(bigint, bytea) IS 'The head signs the decision (verified; signer IIN = the head''s in staff); a grant creates the licence or conclusion';

CREATE FUNCTION licensing.deliver(application bigint, on_paper boolean DEFAULT false) RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$ BEGIN PERFORM licensing._step($1, 'delivered', pg_catalog.jsonb_build_object('on_paper', COALESCE($2, false))); END $$;
COMMENT ON FUNCTION licensing.deliver(bigint, boolean) IS 'The office delivers the signed result (on paper: printed and certified)';

CREATE FUNCTION licensing.withdraw(application bigint) RETURNS void
    AS 'MODULE_PATHNAME', 'licensing_withdraw'
    LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION licensing.withdraw(bigint) IS 'The applicant withdraws its application before a decision';

CREATE FUNCTION licensing.survey(application bigint, process_quality integer, information_quality integer) RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    a licensing.application := licensing._lock($1);
BEGIN
    IF licensing.acting_for() IS DISTINCT FROM a.applicant THEN
        RAISE EXCEPTION 'role "%" may not answer the survey of application %', licensing.actor(), a.id
            USING ERRCODE = '42501', DETAIL = 'The survey is answered by the portal for the applicant.';
    END IF;
    IF a.state OPERATOR(pg_catalog.<>) 'delivered' THEN
        RAISE EXCEPTION 'application % is %, the survey follows delivery', a.id, a.state USING ERRCODE = '55000';
    END IF;
    IF $2 IS NULL OR $3 IS NULL OR $2 NOT BETWEEN 1 AND 3 OR $3 NOT BETWEEN 1 AND 3 THEN
        RAISE EXCEPTION 'survey answers must be 1, 2 or 3' USING ERRCODE = '22023',
            DETAIL = '1 not satisfied, 2 partially satisfied, 3 satisfied.';
    END IF;
    IF EXISTS (SELECT 1 FROM licensing.application_survey s WHERE s.application OPERATOR(pg_catalog.=) a.id) THEN
        RAISE EXCEPTION 'the survey of application % is already answered', a.id USING ERRCODE = '55000';
    END IF;
    INSERT INTO licensing.application_survey (application, process_quality, information_quality, answered_at)
    VALUES (a.id, $2, $3, licensing.clock());
    PERFORM licensing._append_event(a.id, 'survey', a.state, a.state,
        pg_catalog.jsonb_build_object('process_quality', $2, 'information_quality', $3));
END
$$;
COMMENT ON FUNCTION licensing.survey(bigint, integer, integer) IS 'The applicant''s survey of a delivered application (once)';

-- Recomputes the chain of one application or of all; also replays the recorded
-- changes and compares them with the row, so a change made with triggers off is found.
CREATE FUNCTION licensing.verify_history(application bigint DEFAULT NULL) RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    a licensing.application;
    e licensing.application_event;
    prev bytea;
    n integer;
    replay jsonb;
    state text;
    closes boolean;
BEGIN
    FOR a IN SELECT * FROM licensing.application x WHERE $1 IS NULL OR x.id OPERATOR(pg_catalog.=) $1 LOOP
        prev := NULL; n := 0; replay := NULL; state := NULL;
        FOR e IN SELECT * FROM licensing.application_event y WHERE y.application OPERATOR(pg_catalog.=) a.id ORDER BY y.seq LOOP
            n := n OPERATOR(pg_catalog.+) 1;
            IF e.seq OPERATOR(pg_catalog.<>) n OR e.prev_hash IS DISTINCT FROM prev
               OR e.hash IS DISTINCT FROM licensing._event_hash(prev, pg_catalog.jsonb_build_object(
                    'application', e.application, 'seq', e.seq, 'at', licensing._utc(e.at),
                    'actor_role', e.actor_role, 'actor_iin', e.actor_iin::text, 'what', e.what,
                    'from', e.from_state, 'to', e.to_state, 'payload', e.payload)) THEN
                RETURN false;
            END IF;
            prev := e.hash;
            closes := e.what NOT IN ('create', 'attach_document', 'record_payment', 'intake_refused', 'survey')
                      AND e.from_state IS DISTINCT FROM e.to_state;
            -- a change of state closes the step that was open: the event carries it
            -- exactly as the replayed row held it (no step: none), no other event any
            IF (closes AND (e.step IS DISTINCT FROM replay OPERATOR(pg_catalog.->>) 'step'
                    OR e.step_position IS DISTINCT FROM (replay OPERATOR(pg_catalog.->>) 'step_position')::integer
                    OR e.step_performer IS DISTINCT FROM replay OPERATOR(pg_catalog.->>) 'step_performer'
                    OR e.step_started_at IS DISTINCT FROM (replay OPERATOR(pg_catalog.->>) 'step_started_at')::timestamptz
                    OR e.step_due_at IS DISTINCT FROM (replay OPERATOR(pg_catalog.->>) 'step_due_at')::timestamptz))
               OR (NOT closes AND NOT (e.step, e.step_position, e.step_performer, e.step_started_at, e.step_due_at) IS NULL) THEN
                RETURN false;
            END IF;
            IF e.what OPERATOR(pg_catalog.=) 'create' THEN
                replay := e.payload;
            ELSIF e.to_state IS NOT NULL AND e.what NOT IN ('attach_document', 'record_payment', 'intake_refused', 'survey') THEN
                replay := replay OPERATOR(pg_catalog.||) e.payload;
            END IF;
        END LOOP;
        IF replay IS DISTINCT FROM licensing._row_json(a) THEN
            RETURN false;
        END IF;
    END LOOP;
    RETURN true;
END
$$;
COMMENT ON FUNCTION licensing.verify_history(bigint) IS 'Recomputes the hash chain of one application (or all) and checks the row equals its recorded changes';

-- ---------------------------------------------------------------- row-level security (API §8)
ALTER TABLE licensing.application ENABLE ROW LEVEL SECURITY;
CREATE POLICY application_staff ON licensing.application FOR SELECT TO licensing_staff
    USING (licensing._is_staff_of(provider));
CREATE POLICY application_portal ON licensing.application FOR SELECT TO licensing_portal
    USING (applicant OPERATOR(pg_catalog.=) licensing.acting_for());

ALTER TABLE licensing.application_event ENABLE ROW LEVEL SECURITY;
ALTER TABLE licensing.application_document ENABLE ROW LEVEL SECURITY;
ALTER TABLE licensing.application_payment ENABLE ROW LEVEL SECURITY;
ALTER TABLE licensing.application_survey ENABLE ROW LEVEL SECURITY;
-- the children: visible when their application is (a primary-key lookup under its own policies)
CREATE POLICY application_event_visible ON licensing.application_event FOR SELECT TO licensing_staff, licensing_portal
    USING (EXISTS (SELECT 1 FROM licensing.application a WHERE a.id OPERATOR(pg_catalog.=) application));
CREATE POLICY application_document_visible ON licensing.application_document FOR SELECT TO licensing_staff, licensing_portal
    USING (EXISTS (SELECT 1 FROM licensing.application a WHERE a.id OPERATOR(pg_catalog.=) application));
CREATE POLICY application_payment_visible ON licensing.application_payment FOR SELECT TO licensing_staff, licensing_portal
    USING (EXISTS (SELECT 1 FROM licensing.application a WHERE a.id OPERATOR(pg_catalog.=) application));
CREATE POLICY application_survey_visible ON licensing.application_survey FOR SELECT TO licensing_staff, licensing_portal
    USING (EXISTS (SELECT 1 FROM licensing.application a WHERE a.id OPERATOR(pg_catalog.=) application));

-- ---------------------------------------------------------------- grants
GRANT SELECT ON licensing.service, licensing.service_fee, licensing.provider, licensing.profile,
                licensing.profile_step, licensing.provider_profile, licensing.refusal_ground TO PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON licensing.service, licensing.service_fee, licensing.provider,
                licensing.profile, licensing.profile_step, licensing.provider_profile, licensing.staff,
                licensing.legal_entity, licensing.person, licensing.power_of_attorney,
                licensing.refusal_ground TO licensing_admin;
GRANT SELECT ON licensing.staff, licensing.legal_entity, licensing.person, licensing.power_of_attorney TO licensing_staff;
GRANT SELECT ON licensing.application, licensing.application_step, licensing.application_event,
                licensing.application_document, licensing.application_payment, licensing.application_survey
             TO licensing_staff, licensing_portal;

REVOKE ALL ON FUNCTION licensing.act_for(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION licensing.act_for(text) TO licensing_portal;
DO $grants$
DECLARE
    f text;
BEGIN
    FOREACH f IN ARRAY ARRAY[
        'licensing.create_application(text, text, text, text, jsonb, text, text, licensing.iin, text)',
        'licensing.attach_document(bigint, text, bytea, text, boolean)',
        'licensing.signing_payload(bigint)', 'licensing.submit(bigint, bytea)', 'licensing.withdraw(bigint)']
    LOOP
        EXECUTE pg_catalog.format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
        EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION %s TO licensing_portal, licensing_staff', f);
    END LOOP;
    EXECUTE 'REVOKE ALL ON FUNCTION licensing.survey(bigint, integer, integer) FROM PUBLIC';
    EXECUTE 'GRANT EXECUTE ON FUNCTION licensing.survey(bigint, integer, integer) TO licensing_portal';
    EXECUTE 'REVOKE ALL ON FUNCTION licensing.record_payment(bigint, numeric, text, timestamptz) FROM PUBLIC';
    EXECUTE 'GRANT EXECUTE ON FUNCTION licensing.record_payment(bigint, numeric, text, timestamptz) TO licensing_gateway';
    FOREACH f IN ARRAY ARRAY['licensing.register(bigint)', 'licensing.route(bigint, text)',
        'licensing.assign(bigint, name)', 'licensing.confirm_complete(bigint)',
        'licensing.refuse(bigint, text, text, text)', 'licensing.grant(bigint, jsonb)',
        'licensing.approve(bigint)', 'licensing.decision_payload(bigint)',
        'licensing.sign_decision(bigint, bytea)', 'licensing.deliver(bigint, boolean)']
    LOOP
        EXECUTE pg_catalog.format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
        EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION %s TO licensing_staff', f);
    END LOOP;
    EXECUTE 'REVOKE ALL ON FUNCTION licensing.verify_history(bigint) FROM PUBLIC';
    EXECUTE 'GRANT EXECUTE ON FUNCTION licensing.verify_history(bigint) TO licensing_admin, licensing_reporter, licensing_staff';
    FOREACH f IN ARRAY ARRAY['licensing._is_staff_of(text)', 'licensing._may_see(text, text)']
    LOOP
        EXECUTE pg_catalog.format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
        EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION %s TO licensing_staff, licensing_portal, licensing_reporter, licensing_admin', f);
    END LOOP;
END
$grants$;

COMMENT ON TRIGGER application_10_guard ON licensing.application IS 'The C guard: refuses any change the workflow does not allow, for every role';
COMMENT ON TRIGGER application_20_derive ON licensing.application IS 'Number, receipt day, term and pinned steps at submit; the step each state opens, with its due moment; moments of later steps';
COMMENT ON TRIGGER application_30_record ON licensing.application IS 'Appends the hash-chained event of each change, closing the open step';
COMMENT ON TRIGGER application_event_immutable ON licensing.application_event IS 'History is append-only: UPDATE and DELETE fail';
COMMENT ON TRIGGER application_event_no_truncate ON licensing.application_event IS 'History is append-only: TRUNCATE fails';
COMMENT ON POLICY application_staff ON licensing.application IS 'Staff see the applications of the providers they have a staff row at';
COMMENT ON POLICY application_portal ON licensing.application IS 'The portal sees the applications of the applicant it acts for';
COMMENT ON POLICY application_event_visible ON licensing.application_event IS 'History of the applications the role sees';
COMMENT ON POLICY application_document_visible ON licensing.application_document IS 'Documents of the applications the role sees';
COMMENT ON POLICY application_payment_visible ON licensing.application_payment IS 'Payments of the applications the role sees';
COMMENT ON POLICY application_survey_visible ON licensing.application_survey IS 'Surveys of the applications the role sees';

-- ==== src/sql/60_licence.sql ====
-- 60_licence.sql: the licence register (API §6, DOMAIN §4).
--
-- Licences and conclusions, their annexes and duplicates, numbered centrally
-- (000 §5.3, 004 §5.3: the E-licensing database "централизованно формирует
-- идентификационный номер лицензий"), and each licence's own hash-chained
-- history of issue, re-issue, duplicate, suspension, resumption and
-- termination.  Only the functions here write these tables: guard triggers
-- (licence.c) refuse every raw INSERT, UPDATE, DELETE or TRUNCATE, by any role.
--
-- Dump and restore: the tables are extension configuration tables, so
-- pg_dump saves their rows and pg_restore loads them with COPY as a
-- superuser, which the guard lets through (COPY FROM by a superuser only;
-- INSERT, UPDATE, DELETE stay refused).  licence.supersedes is checked at
-- commit, as a dump may list a re-issued licence after its successor.
-- Loading with session_replication_role = replica works too.

-- ---- numbers -----------------------------------------------------------------

CREATE FUNCTION licensing.licence_number_make(kind text, year integer, serial bigint) RETURNS text
    AS 'MODULE_PATHNAME', 'licence_number_make' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION licensing.licence_number_make(text, integer, bigint) IS
    'licence number KZ + L (licence) or C (conclusion) + 2-digit year + 8-digit serial + ISO 7064 MOD 37-2 check character';

CREATE FUNCTION licensing.licence_number_is_valid(text) RETURNS boolean
    AS 'MODULE_PATHNAME', 'licence_number_is_valid' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION licensing.licence_number_is_valid(text) IS
    'true when the text is a well-formed licence number whose check character holds (spaces, hyphens, case forgiven); never raises';

CREATE FUNCTION licensing.licence_number(text) RETURNS text
    AS 'MODULE_PATHNAME', 'licence_number_canonical' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION licensing.licence_number(text) IS
    'the licence number in canonical form, or error 22P02 saying which rule a mistyped number breaks';

-- One national sequence: numbers never collide between providers or
-- concurrent grants, and a number taken by a decision that is never signed
-- is simply skipped (sequences are not transactional), never reused.
CREATE SEQUENCE licensing.licence_number_seq AS bigint MINVALUE 1 MAXVALUE 99999999 NO CYCLE;
COMMENT ON SEQUENCE licensing.licence_number_seq IS 'serials of licence and conclusion numbers, national, never reused';
SELECT pg_catalog.pg_extension_config_dump('licensing.licence_number_seq', '');

-- ---- the write guard ---------------------------------------------------------

CREATE FUNCTION licensing._licence_guard(open boolean) RETURNS void
    AS 'MODULE_PATHNAME', 'licence_guard' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION licensing._licence_guard(boolean) IS
    'internal: opens or closes the register''s write window for the current (sub)transaction';
REVOKE ALL ON FUNCTION licensing._licence_guard(boolean) FROM PUBLIC;

CREATE FUNCTION licensing._licence_guard_trigger() RETURNS trigger
    AS 'MODULE_PATHNAME', 'licence_guard_trigger' LANGUAGE C;
COMMENT ON FUNCTION licensing._licence_guard_trigger() IS
    'internal: refuses writes to the licence register outside its functions';

-- ---- code tables: grounds of re-issue, suspension, termination ----------------
-- Shipped rows have shipped = true; pg_dump saves only the rows users added.

CREATE TABLE licensing.reissue_ground (
    code    text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]*$'),
    name_kk text NOT NULL,
    name_ru text NOT NULL,
    name_en text NOT NULL,
    article text NOT NULL,
    shipped boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE licensing.reissue_ground IS 'grounds for re-issuing a licence (Law 202-V art. 33), with kk/ru/en texts';

CREATE TABLE licensing.suspension_ground (LIKE licensing.reissue_ground INCLUDING ALL);
COMMENT ON TABLE licensing.suspension_ground IS 'grounds for suspending a licence, with kk/ru/en texts and the article';

CREATE TABLE licensing.termination_ground (LIKE licensing.reissue_ground INCLUDING ALL);
COMMENT ON TABLE licensing.termination_ground IS 'grounds for terminating a licence, with kk/ru/en texts and the article';

-- Law of the Republic of Kazakhstan No. 202-V of 16 May 2014 "On permits and
-- notifications": art. 33 (re-issue), art. 45 (suspension), art. 46 (termination);
-- Code of Administrative Offences No. 235-V: art. 46 (suspension or deprivation
-- by a court).  The article column is data: a DBA corrects or adds rows.
INSERT INTO licensing.reissue_ground (code, name_kk, name_ru, name_en, article, shipped) VALUES
 ('name_change', 'Лицензиат атауының өзгеруі', 'Изменение наименования лицензиата',
  'Change of the licensee''s name', 'Law 202-V art. 33 p. 1', true),
 ('re_registration', 'Лицензиатты қайта тіркеу', 'Перерегистрация лицензиата',
  'Re-registration of the licensee', 'Law 202-V art. 33 p. 1', true),
 ('legal_address', 'Лицензиаттың заңды мекенжайының өзгеруі', 'Изменение юридического адреса лицензиата',
  'Change of the licensee''s legal address', 'Law 202-V art. 33 p. 1', true),
 ('reorganisation', 'Лицензиат заңды тұлғаны қайта ұйымдастыру', 'Реорганизация юридического лица-лицензиата',
  'Reorganisation of the licensee (merger, accession, division, spin-off, transformation)', 'Law 202-V art. 33 p. 1, art. 34', true),
 ('object_address', 'Объектінің мекенжайының өзгеруі', 'Изменение адреса объекта',
  'Change of the address of the licensed object', 'Law 202-V art. 33 p. 1', true);

INSERT INTO licensing.suspension_ground (code, name_kk, name_ru, name_en, article, shipped) VALUES
 ('court_decision', 'Сот шешімі бойынша', 'По решению суда',
  'By a court decision in a case of an administrative offence', 'Code 235-V art. 46; Law 202-V art. 45', true),
 ('licensee_request', 'Лицензиаттың өтініші бойынша', 'По заявлению лицензиата',
  'At the licensee''s request', 'Law 202-V art. 45', true),
 ('non_compliance', 'Біліктілік талаптарына сәйкес келмеуі', 'Несоответствие квалификационным требованиям',
  'Non-compliance with the qualification requirements found by an inspection', 'Law 202-V art. 45', true);

INSERT INTO licensing.termination_ground (code, name_kk, name_ru, name_en, article, shipped) VALUES
 ('licensee_request', 'Лицензиаттың өтініші бойынша', 'По заявлению лицензиата',
  'At the licensee''s request (voluntary return)', 'Law 202-V art. 46', true),
 ('liquidation', 'Заңды тұлғаның таратылуы', 'Ликвидация юридического лица',
  'Liquidation of the licensee (legal entity)', 'Law 202-V art. 46', true),
 ('court_deprivation', 'Сот шешімімен лицензиядан айыру', 'Лишение лицензии по решению суда',
  'Deprivation of the licence by a court', 'Code 235-V art. 46; Law 202-V art. 46', true),
 ('activity_ceased', 'Қызметті тоқтату', 'Прекращение деятельности',
  'The licensee ceased the licensed activity', 'Law 202-V art. 46', true);

SELECT pg_catalog.pg_extension_config_dump('licensing.reissue_ground', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('licensing.suspension_ground', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('licensing.termination_ground', 'WHERE NOT shipped');

-- ---- the register --------------------------------------------------------------

CREATE TABLE licensing.licence (
    number          text PRIMARY KEY CHECK (licensing.licence_number_is_valid(number)
                                            AND number OPERATOR(pg_catalog.=) licensing.licence_number(number)),
    kind            text NOT NULL CHECK (kind IN ('licence', 'conclusion')),
    holder          text NOT NULL,
    service         text NOT NULL REFERENCES licensing.service (code),
    status          text NOT NULL DEFAULT 'active'
                    CHECK (status IN ('active', 'suspended', 'terminated', 'reissued')),
    issued_on       date NOT NULL,
    provider        text NOT NULL REFERENCES licensing.provider (code),
    application     bigint NOT NULL UNIQUE REFERENCES licensing.application (id),
    supersedes      text UNIQUE REFERENCES licensing.licence (number) DEFERRABLE INITIALLY DEFERRED,
    status_since    timestamptz NOT NULL DEFAULT licensing.clock(),
    status_ground   text,
    suspended_until date,
    CHECK (pg_catalog.substr(number, 3, 1) OPERATOR(pg_catalog.=)
           CASE kind WHEN 'licence' THEN 'L' ELSE 'C' END)
);
COMMENT ON TABLE licensing.licence IS
    'licences and conclusions: created by sign_decision, changed only by suspend/resume/terminate_licence and re-issue';
COMMENT ON COLUMN licensing.licence.holder IS 'IIN or BIN of the licensee';
COMMENT ON COLUMN licensing.licence.supersedes IS 'for a re-issue: the licence this one replaced (now status reissued)';
COMMENT ON COLUMN licensing.licence.status_ground IS 'ground code of the last suspension or termination';
COMMENT ON COLUMN licensing.licence.suspended_until IS 'recorded end of a suspension; it ends only by resume_licence';
CREATE INDEX licence_holder_idx ON licensing.licence (holder);
CREATE INDEX licence_provider_idx ON licensing.licence (provider, issued_on);

CREATE TABLE licensing.licence_annex (
    licence    text NOT NULL REFERENCES licensing.licence (number),
    position   integer NOT NULL CHECK (position > 0),
    subtype    text NOT NULL,
    address    text NOT NULL,
    branch_bin licensing.bin,
    PRIMARY KEY (licence, position)
);
COMMENT ON TABLE licensing.licence_annex IS
    'annexes of a licence: sub-type of activity, object or site address, branch or representative office (000 §5.3, 004 §5.3)';
CREATE INDEX licence_annex_branch_idx ON licensing.licence_annex (branch_bin) WHERE branch_bin IS NOT NULL;

CREATE TABLE licensing.licence_duplicate (
    application bigint PRIMARY KEY REFERENCES licensing.application (id),
    licence     text NOT NULL REFERENCES licensing.licence (number),
    annex       integer,
    issued_on   date NOT NULL,
    FOREIGN KEY (licence, annex) REFERENCES licensing.licence_annex (licence, position)
);
COMMENT ON TABLE licensing.licence_duplicate IS
    'duplicates issued of a licence (annex NULL) or of one annex; the licence itself is unchanged';
CREATE INDEX licence_duplicate_licence_idx ON licensing.licence_duplicate (licence);

CREATE TABLE licensing.licence_event (
    licence     text NOT NULL REFERENCES licensing.licence (number),
    seq         integer NOT NULL CHECK (seq > 0),
    event       text NOT NULL CHECK (event IN ('issued', 'reissued', 'duplicate', 'suspended', 'resumed', 'terminated')),
    from_status text,
    to_status   text NOT NULL,
    ground      text,
    until       date,
    application bigint,
    related     text,
    actor       name NOT NULL,
    at          timestamptz NOT NULL,
    prev_hash   bytea,
    hash        bytea NOT NULL,
    PRIMARY KEY (licence, seq)
);
COMMENT ON TABLE licensing.licence_event IS
    'each licence''s own append-only history, hash-chained (SHA-256 over canonical JSON with UTC times); see verify_licence_history';
COMMENT ON COLUMN licensing.licence_event.related IS 'the licence on the other side of a re-issue (the new one for reissued, the old one for issued)';

SELECT pg_catalog.pg_extension_config_dump('licensing.licence', '');
SELECT pg_catalog.pg_extension_config_dump('licensing.licence_annex', '');
SELECT pg_catalog.pg_extension_config_dump('licensing.licence_duplicate', '');
SELECT pg_catalog.pg_extension_config_dump('licensing.licence_event', '');

-- Statement-level: a raw write fails even when it would touch no row.
CREATE TRIGGER licence_guard BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON licensing.licence
    FOR EACH STATEMENT EXECUTE FUNCTION licensing._licence_guard_trigger();
CREATE TRIGGER licence_annex_guard BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON licensing.licence_annex
    FOR EACH STATEMENT EXECUTE FUNCTION licensing._licence_guard_trigger();
CREATE TRIGGER licence_duplicate_guard BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON licensing.licence_duplicate
    FOR EACH STATEMENT EXECUTE FUNCTION licensing._licence_guard_trigger();
CREATE TRIGGER licence_event_guard BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON licensing.licence_event
    FOR EACH STATEMENT EXECUTE FUNCTION licensing._licence_guard_trigger();

-- The history is append-only even for the register's own functions.
CREATE FUNCTION licensing._licence_event_append_only() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RAISE EXCEPTION 'cannot % licence history', lower(TG_OP)
        USING ERRCODE = '42501',
              DETAIL = 'The history of a licence is append-only and hash-chained.',
              HINT = 'Record a new event through the lifecycle functions.';
END
$$;
COMMENT ON FUNCTION licensing._licence_event_append_only() IS 'internal: refuses UPDATE and DELETE of licence_event';
CREATE TRIGGER licence_event_append_only BEFORE UPDATE OR DELETE ON licensing.licence_event
    FOR EACH ROW EXECUTE FUNCTION licensing._licence_event_append_only();

-- ---- helpers ---------------------------------------------------------------------

-- Today in Kazakhstan (UTC+5 nationwide since 2024-03-01), by the workflow's
-- clock (licensing.clock(): now(), or the moment a superuser pinned).
CREATE FUNCTION licensing._licence_today() RETURNS date
LANGUAGE sql STABLE PARALLEL RESTRICTED
RETURN ((licensing.clock() AT TIME ZONE 'UTC') OPERATOR(pg_catalog.+) interval '5 hours')::date;
COMMENT ON FUNCTION licensing._licence_today() IS 'internal: today''s date in Kazakhstan (UTC+5)';

-- Canonical encoding of one history event (hashed).  Timestamps in UTC with
-- microseconds, so neither TimeZone nor DateStyle changes the bytes.
CREATE FUNCTION licensing._licence_event_bytes(e licensing.licence_event) RETURNS bytea
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RETURN pg_catalog.convert_to(licensing.canonical_json(pg_catalog.jsonb_build_object(
        'licence', e.licence, 'seq', e.seq, 'event', e.event,
        'from', e.from_status, 'to', e.to_status, 'ground', e.ground,
        'until', pg_catalog.to_char(e.until, 'YYYY-MM-DD'),
        'application', e.application, 'related', e.related, 'actor', e.actor::text,
        'at', pg_catalog.to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        'prev', pg_catalog.encode(e.prev_hash, 'hex'))), 'UTF8');
END
$$;
COMMENT ON FUNCTION licensing._licence_event_bytes(licensing.licence_event) IS
    'internal: the canonical bytes of a licence history event (the input of its SHA-256 with the previous hash)';

-- Appends one event to a licence's chain.  Callers hold the licence row lock.
CREATE FUNCTION licensing._licence_append(p_licence text, p_event text, p_from text, p_to text,
                                          p_ground text, p_until date, p_application bigint,
                                          p_related text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    e licensing.licence_event;
BEGIN
    SELECT le.seq, le.hash INTO e.seq, e.prev_hash
      FROM licensing.licence_event le
     WHERE le.licence OPERATOR(pg_catalog.=) p_licence
     ORDER BY le.seq DESC LIMIT 1;
    e.seq := coalesce(e.seq, 0) + 1;
    e.licence := p_licence;
    e.event := p_event;
    e.from_status := p_from;
    e.to_status := p_to;
    e.ground := p_ground;
    e.until := p_until;
    e.application := p_application;
    e.related := p_related;
    e.actor := licensing.actor();
    e.at := licensing.clock();
    e.hash := pg_catalog.sha256(licensing._licence_event_bytes(e));
    INSERT INTO licensing.licence_event VALUES (e.*);
END
$$;
COMMENT ON FUNCTION licensing._licence_append(text, text, text, text, text, date, bigint, text) IS
    'internal: appends an event to the licence''s hash-chained history';
REVOKE ALL ON FUNCTION licensing._licence_append(text, text, text, text, text, date, bigint, text) FROM PUBLIC;

-- licensing.verify_licence_history(number text DEFAULT NULL) → boolean
CREATE FUNCTION licensing.verify_licence_history(number text DEFAULT NULL) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    e licensing.licence_event;
    prev_licence text := NULL;
    prev_hash bytea := NULL;
    prev_seq integer := 0;
    canon text := CASE WHEN number IS NULL THEN NULL ELSE licensing.licence_number(number) END;
BEGIN
    FOR e IN SELECT * FROM licensing.licence_event le
              WHERE canon IS NULL OR le.licence OPERATOR(pg_catalog.=) canon
              ORDER BY le.licence, le.seq
    LOOP
        IF prev_licence IS DISTINCT FROM e.licence THEN
            prev_licence := e.licence;
            prev_hash := NULL;
            prev_seq := 0;
        END IF;
        IF e.seq OPERATOR(pg_catalog.<>) prev_seq + 1
           OR e.prev_hash IS DISTINCT FROM prev_hash
           OR e.hash IS DISTINCT FROM pg_catalog.sha256(licensing._licence_event_bytes(e)) THEN
            RETURN false;
        END IF;
        prev_hash := e.hash;
        prev_seq := e.seq;
    END LOOP;
    -- every licence has at least its issue event
    IF EXISTS (SELECT FROM licensing.licence l
                WHERE (canon IS NULL OR l.number OPERATOR(pg_catalog.=) canon)
                  AND NOT EXISTS (SELECT FROM licensing.licence_event le
                                   WHERE le.licence OPERATOR(pg_catalog.=) l.number)) THEN
        RETURN false;
    END IF;
    RETURN true;
END
$$;
COMMENT ON FUNCTION licensing.verify_licence_history(text) IS
    'recomputes the hash chain of one licence''s history (or all): false when any event was changed, removed or reordered';
REVOKE ALL ON FUNCTION licensing.verify_licence_history(text) FROM PUBLIC;

-- Name of a holder from the registry mirrors.
CREATE FUNCTION licensing._licence_holder_name(holder text) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
RETURN CASE
    WHEN licensing.bin_is_valid(holder) THEN
        (SELECT le.name FROM licensing.legal_entity le
          WHERE le.bin OPERATOR(licensing.=) holder::licensing.bin)
    WHEN licensing.iin_is_valid(holder) THEN
        (SELECT p.name FROM licensing.person p
          WHERE p.iin OPERATOR(licensing.=) holder::licensing.iin)
    END;
COMMENT ON FUNCTION licensing._licence_holder_name(text) IS 'internal: the name of a licence holder (IIN or BIN) from the registry mirrors';
REVOKE ALL ON FUNCTION licensing._licence_holder_name(text) FROM PUBLIC;

-- Finds a licence by number (any spelling) or raises P0002; locks it when asked.
CREATE FUNCTION licensing._licence_find(p_number text, p_lock boolean) RETURNS licensing.licence
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    canon text;
    l licensing.licence;
BEGIN
    IF p_number IS NULL THEN
        RAISE EXCEPTION 'licence number must not be null'
            USING ERRCODE = '22023', HINT = 'Pass the number printed on the licence.';
    END IF;
    canon := licensing.licence_number(p_number);
    IF p_lock THEN
        SELECT * INTO l FROM licensing.licence WHERE number OPERATOR(pg_catalog.=) canon FOR UPDATE;
    ELSE
        SELECT * INTO l FROM licensing.licence WHERE number OPERATOR(pg_catalog.=) canon;
    END IF;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'licence "%" does not exist', canon
            USING ERRCODE = 'P0002',
                  DETAIL = 'The number is well formed but no licence or conclusion carries it.',
                  HINT = 'Look the number up in licensing.licence_register.';
    END IF;
    RETURN l;
END
$$;
COMMENT ON FUNCTION licensing._licence_find(text, boolean) IS 'internal: the licence with this number, or P0002';
REVOKE ALL ON FUNCTION licensing._licence_find(text, boolean) FROM PUBLIC;

-- ---- the details a grant carries -------------------------------------------------

-- Validates grant details {"annexes": [{"subtype", "address", "branch_bin"}]}
-- for a result of this kind and operation held by holder.
CREATE FUNCTION licensing._licence_check_details(p_kind text, p_operation text, p_holder text,
                                                 details jsonb) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    k text;
    a jsonb;
    i integer := 0;
    b text;
    le record;
BEGIN
    IF details IS NULL OR details OPERATOR(pg_catalog.=) 'null'::jsonb THEN
        RETURN;
    END IF;
    IF jsonb_typeof(details) OPERATOR(pg_catalog.<>) 'object' THEN
        RAISE EXCEPTION 'grant details must be a JSON object, not %', jsonb_typeof(details)
            USING ERRCODE = '22023', HINT = 'Pass {"annexes": [{"subtype": ..., "address": ..., "branch_bin": ...}]} or {}.';
    END IF;
    FOR k IN SELECT jsonb_object_keys(details) LOOP
        IF k OPERATOR(pg_catalog.<>) 'annexes' THEN
            RAISE EXCEPTION 'unknown key "%" in grant details', k
                USING ERRCODE = '22023', DETAIL = 'Grant details know only the key "annexes".',
                      HINT = 'Pass {"annexes": [{"subtype": ..., "address": ..., "branch_bin": ...}]} or {}.';
        END IF;
    END LOOP;
    IF NOT details ? 'annexes' THEN
        RETURN;
    END IF;
    IF jsonb_typeof(details->'annexes') OPERATOR(pg_catalog.<>) 'array' THEN
        RAISE EXCEPTION 'grant details: "annexes" must be an array'
            USING ERRCODE = '22023', HINT = 'Pass "annexes": [{"subtype": ..., "address": ...}].';
    END IF;
    IF jsonb_array_length(details->'annexes') OPERATOR(pg_catalog.>) 0 THEN
        IF p_kind OPERATOR(pg_catalog.=) 'conclusion' THEN
            RAISE EXCEPTION 'a conclusion has no annexes'
                USING ERRCODE = '22023', DETAIL = 'Annexes belong to licences; the ecological expertise gives a conclusion.',
                      HINT = 'Grant with details {}.';
        END IF;
        IF p_operation OPERATOR(pg_catalog.=) 'duplicate' THEN
            RAISE EXCEPTION 'a duplicate carries no new annexes'
                USING ERRCODE = '22023', DETAIL = 'A duplicate copies the licence or the annex named by the application.',
                      HINT = 'Grant with details {}.';
        END IF;
    END IF;
    FOR a IN SELECT value FROM jsonb_array_elements(details->'annexes') LOOP
        i := i + 1;
        IF jsonb_typeof(a) OPERATOR(pg_catalog.<>) 'object' THEN
            RAISE EXCEPTION 'annex % must be a JSON object', i USING ERRCODE = '22023',
                HINT = 'Each annex is {"subtype": ..., "address": ..., "branch_bin": ...}.';
        END IF;
        FOR k IN SELECT jsonb_object_keys(a) LOOP
            IF k NOT IN ('subtype', 'address', 'branch_bin') THEN
                RAISE EXCEPTION 'unknown key "%" in annex %', k, i USING ERRCODE = '22023',
                    DETAIL = 'An annex has subtype, address and optionally branch_bin.';
            END IF;
        END LOOP;
        IF jsonb_typeof(a->'subtype') IS DISTINCT FROM 'string' OR btrim(a->>'subtype') OPERATOR(pg_catalog.=) '' THEN
            RAISE EXCEPTION 'annex % has no sub-type of activity', i USING ERRCODE = '22023',
                HINT = 'Give "subtype" as a non-empty text.';
        END IF;
        IF jsonb_typeof(a->'address') IS DISTINCT FROM 'string' OR btrim(a->>'address') OPERATOR(pg_catalog.=) '' THEN
            RAISE EXCEPTION 'annex % has no address of the object or site', i USING ERRCODE = '22023',
                HINT = 'Give "address" as a non-empty text.';
        END IF;
        IF a ? 'branch_bin' AND jsonb_typeof(a->'branch_bin') OPERATOR(pg_catalog.<>) 'null' THEN
            b := a->>'branch_bin';
            IF jsonb_typeof(a->'branch_bin') OPERATOR(pg_catalog.<>) 'string' OR NOT licensing.bin_is_valid(b) THEN
                RAISE EXCEPTION 'annex %: branch_bin "%" is not a valid BIN', i, b USING ERRCODE = '22023',
                    HINT = 'Give the 12-digit BIN of the branch or representative office as a text.';
            END IF;
            IF licensing.bin_division(b::licensing.bin) NOT IN ('branch', 'representative_office') THEN
                RAISE EXCEPTION 'annex %: BIN % is not a branch or representative office', i, b USING ERRCODE = '22023',
                    DETAIL = pg_catalog.format('Its division digit says %s; an annex names a branch (1) or representative office (2).',
                                               licensing.bin_division(b::licensing.bin));
            END IF;
            SELECT e.head_office::text AS head_office, e.active INTO le
              FROM licensing.legal_entity e WHERE e.bin OPERATOR(licensing.=) b::licensing.bin;
            IF NOT FOUND THEN
                RAISE EXCEPTION 'annex %: branch % is not in the legal-entity registry', i, b USING ERRCODE = '22023',
                    HINT = 'Check the BIN, or load the registry row into licensing.legal_entity.';
            END IF;
            IF le.head_office IS DISTINCT FROM p_holder THEN
                RAISE EXCEPTION 'annex %: branch % does not belong to the licensee %', i, b, p_holder USING ERRCODE = '22023',
                    DETAIL = pg_catalog.format('Its head office in the legal-entity registry is %s.', coalesce(le.head_office, 'not recorded'));
            END IF;
            IF le.active IS NOT TRUE THEN
                RAISE EXCEPTION 'annex %: branch % is not active in the legal-entity registry', i, b USING ERRCODE = '22023';
            END IF;
        END IF;
    END LOOP;
END
$$;
COMMENT ON FUNCTION licensing._licence_check_details(text, text, text, jsonb) IS 'internal: validates the details of a grant';
REVOKE ALL ON FUNCTION licensing._licence_check_details(text, text, text, jsonb) FROM PUBLIC;

-- licensing._licence_number_for(application bigint, details jsonb) → text
-- Called by grant: validates the details and allocates the number the
-- decision will carry.
CREATE FUNCTION licensing._licence_number_for(application bigint, details jsonb) RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    a record;
    v_kind text;
    v_number text;
BEGIN
    SELECT ap.id, ap.service, ap.operation, ap.applicant, ap.licence_number
      INTO a FROM licensing.application ap WHERE ap.id OPERATOR(pg_catalog.=) _licence_number_for.application;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'application % does not exist', _licence_number_for.application USING ERRCODE = 'P0002';
    END IF;
    SELECT s.result_kind INTO v_kind FROM licensing.service s WHERE s.code OPERATOR(pg_catalog.=) a.service;
    PERFORM licensing._licence_check_details(v_kind, a.operation, a.applicant, details);
    IF a.operation OPERATOR(pg_catalog.=) 'duplicate' THEN
        -- a duplicate carries the number of the licence it copies
        RETURN (licensing._licence_find(a.licence_number, false)).number;
    END IF;
    -- 1 serial in 37 has no printable check character: take the next one
    LOOP
        v_number := licensing.licence_number_make(v_kind,
                                                  pg_catalog.date_part('year', licensing._licence_today())::integer,
                                                  pg_catalog.nextval('licensing.licence_number_seq'));
        EXIT WHEN v_number IS NOT NULL;
    END LOOP;
    RETURN v_number;
END
$$;
COMMENT ON FUNCTION licensing._licence_number_for(bigint, jsonb) IS
    'internal, called by grant: validates the grant details and allocates the number of the result (a duplicate keeps its licence''s number)';
REVOKE ALL ON FUNCTION licensing._licence_number_for(bigint, jsonb) FROM PUBLIC;

-- licensing._check_licence_target(service, operation, applicant, licence_number, form) → void
-- Called by create_application for a reissue or duplicate: the licence exists
-- (P0002), is of this service (22023) and active (55000), belongs to the
-- applicant or, for a re-issue with ground reorganisation, to the applicant's
-- predecessor in the legal-entity registry (42501: someone else's licence is
-- a matter of who may act, not of a mistyped argument); the re-issue ground is
-- in reissue_ground (22023); the annex of a duplicate exists (22023).
CREATE FUNCTION licensing._check_licence_target(service text, operation text, applicant text,
                                                licence_number text, form jsonb) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    l licensing.licence;
    g text := form->>'ground';
    predecessor text;
    n jsonb := form->'annex';
BEGIN
    IF operation NOT IN ('reissue', 'duplicate') THEN
        IF licence_number IS NOT NULL THEN
            RAISE EXCEPTION 'an application to % names no licence', operation
                USING ERRCODE = '22023', DETAIL = pg_catalog.format('It named %s.', licence_number),
                      HINT = 'Only reissue and duplicate applications name an existing licence.';
        END IF;
        RETURN;
    END IF;
    IF licence_number IS NULL THEN
        RAISE EXCEPTION 'an application for a % must name the licence', operation
            USING ERRCODE = '22023', HINT = 'Pass licence_number, the number printed on the licence.';
    END IF;
    l := licensing._licence_find(licence_number, false);
    IF l.service OPERATOR(pg_catalog.<>) _check_licence_target.service THEN
        RAISE EXCEPTION 'licence % is not a licence of service %', l.number, _check_licence_target.service
            USING ERRCODE = '22023', DETAIL = pg_catalog.format('It was issued for service %s.', l.service),
                  HINT = 'Apply for the service the licence belongs to.';
    END IF;
    IF l.status OPERATOR(pg_catalog.<>) 'active' THEN
        RAISE EXCEPTION 'licence % is %', l.number, l.status
            USING ERRCODE = '55000',
                  DETAIL = pg_catalog.format('Only an active licence can be %s.',
                                             CASE operation WHEN 'reissue' THEN 're-issued' ELSE 'duplicated' END),
                  HINT = CASE l.status WHEN 'reissued' THEN pg_catalog.format('Apply for the licence that replaced it (see licensing.licence where supersedes = %L).', l.number)
                                       WHEN 'suspended' THEN 'Apply again when the licence is resumed.'
                                       ELSE 'A terminated licence cannot be re-issued or duplicated; apply for a new licence.' END;
    END IF;
    IF operation OPERATOR(pg_catalog.=) 'reissue' THEN
        IF g IS NULL THEN
            RAISE EXCEPTION 'a re-issue must name its ground'
                USING ERRCODE = '22023', HINT = 'Put the ground in the form, e.g. {"ground": "name_change"}; see licensing.reissue_ground.';
        END IF;
        IF NOT EXISTS (SELECT FROM licensing.reissue_ground rg WHERE rg.code OPERATOR(pg_catalog.=) g) THEN
            RAISE EXCEPTION 'unknown re-issue ground "%"', g
                USING ERRCODE = '22023', HINT = 'Use a code of licensing.reissue_ground (Law 202-V art. 33).';
        END IF;
    END IF;
    IF l.holder OPERATOR(pg_catalog.<>) applicant THEN
        IF operation OPERATOR(pg_catalog.=) 'reissue' AND g OPERATOR(pg_catalog.=) 'reorganisation'
           AND licensing.bin_is_valid(applicant) THEN
            SELECT le.predecessor::text INTO predecessor
              FROM licensing.legal_entity le WHERE le.bin OPERATOR(licensing.=) applicant::licensing.bin;
            IF predecessor IS NOT DISTINCT FROM l.holder THEN
                RETURN;
            END IF;
            RAISE EXCEPTION 'licence % does not belong to % or its predecessor', l.number, applicant
                USING ERRCODE = '42501',
                      DETAIL = pg_catalog.format('The licence is held by %s; the legal-entity registry names %s as the predecessor of %s.',
                                                 l.holder, coalesce(predecessor, 'no entity'), applicant),
                      HINT = 'A reorganised entity re-issues the licence of the entity it succeeded, as the registry records it.';
        END IF;
        RAISE EXCEPTION 'licence % does not belong to %', l.number, applicant
            USING ERRCODE = '42501',
                  DETAIL = pg_catalog.format('The licence is held by %s.', l.holder),
                  HINT = 'Only the holder applies for its re-issue or duplicate (a successor: re-issue with ground reorganisation).';
    END IF;
    IF operation OPERATOR(pg_catalog.=) 'duplicate' AND n IS NOT NULL AND jsonb_typeof(n) OPERATOR(pg_catalog.<>) 'null' THEN
        IF jsonb_typeof(n) OPERATOR(pg_catalog.<>) 'number' OR (n #>> '{}') !~ '^[0-9]{1,9}$' THEN
            RAISE EXCEPTION 'form "annex" must be an annex number, not %', n
                USING ERRCODE = '22023', HINT = 'Pass {"annex": 2} for a duplicate of annex 2, or no annex for the licence.';
        END IF;
        IF NOT EXISTS (SELECT FROM licensing.licence_annex la
                        WHERE la.licence OPERATOR(pg_catalog.=) l.number
                          AND la.position OPERATOR(pg_catalog.=) (n #>> '{}')::integer) THEN
            RAISE EXCEPTION 'licence % has no annex %', l.number, n #>> '{}'
                USING ERRCODE = '22023',
                      DETAIL = pg_catalog.format('It has %s annex(es).',
                                 (SELECT count(*) FROM licensing.licence_annex la WHERE la.licence OPERATOR(pg_catalog.=) l.number)),
                      HINT = 'See licensing.licence_register for the licence''s annexes.';
        END IF;
    END IF;
END
$$;
COMMENT ON FUNCTION licensing._check_licence_target(text, text, text, text, jsonb) IS
    'internal, called by create_application: checks the licence a reissue or duplicate names';
REVOKE ALL ON FUNCTION licensing._check_licence_target(text, text, text, text, jsonb) FROM PUBLIC;

-- licensing._issue_result(application bigint) → text
-- Called by sign_decision once the head's signature is verified, for a
-- granted decision: creates the licence or conclusion with its annexes; for a
-- re-issue a new licence superseding the old one (marked reissued); for a
-- duplicate a licence_duplicate row.  Returns the number.
CREATE FUNCTION licensing._issue_result(application bigint) RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    a record;
    v_kind text;
    today date := licensing._licence_today();
    prior licensing.licence;
    v_annex integer;
BEGIN
    SELECT ap.id, ap.service, ap.operation, ap.applicant, ap.provider, ap.outcome, ap.licence_number,
           ap.result_number, ap.decision, ap.form, ap.state, ap.decision_signature
      INTO a FROM licensing.application ap WHERE ap.id OPERATOR(pg_catalog.=) _issue_result.application;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'application % does not exist', _issue_result.application USING ERRCODE = 'P0002';
    END IF;
    -- only a decision whose head's signature the workflow has verified
    IF a.state OPERATOR(pg_catalog.<>) 'signed' OR a.decision_signature IS NULL THEN
        RAISE EXCEPTION 'application % is %, not signed', a.id, a.state
            USING ERRCODE = '55000', DETAIL = 'A licence is created only from a decision signed by the provider''s head.',
                  HINT = 'Sign the decision with licensing.sign_decision.';
    END IF;
    IF a.outcome IS DISTINCT FROM 'granted' OR a.result_number IS NULL THEN
        RAISE EXCEPTION 'application % has no granted decision with a number', a.id
            USING ERRCODE = '55000', HINT = 'A result is issued only for a granted decision.';
    END IF;
    SELECT s.result_kind INTO v_kind FROM licensing.service s WHERE s.code OPERATOR(pg_catalog.=) a.service;

    PERFORM licensing._licence_guard(true);
    IF a.operation OPERATOR(pg_catalog.=) 'duplicate' THEN
        prior := licensing._licence_find(a.licence_number, true);
        IF prior.status OPERATOR(pg_catalog.<>) 'active' THEN
            RAISE EXCEPTION 'licence % is %', prior.number, prior.status
                USING ERRCODE = '55000', DETAIL = 'Only an active licence can be duplicated.';
        END IF;
        v_annex := CASE WHEN jsonb_typeof(a.form->'annex') OPERATOR(pg_catalog.=) 'number'
                        THEN (a.form->>'annex')::integer END;
        INSERT INTO licensing.licence_duplicate (application, licence, annex, issued_on)
        VALUES (a.id, prior.number, v_annex, today);
        PERFORM licensing._licence_append(prior.number, 'duplicate', prior.status, prior.status,
                                          NULL, NULL, a.id, NULL);
        PERFORM licensing._licence_guard(false);
        RETURN prior.number;
    END IF;

    IF a.operation OPERATOR(pg_catalog.=) 'reissue' THEN
        prior := licensing._licence_find(a.licence_number, true);
        IF prior.status OPERATOR(pg_catalog.<>) 'active' THEN
            RAISE EXCEPTION 'licence % is %', prior.number, prior.status
                USING ERRCODE = '55000', DETAIL = 'Only an active licence can be re-issued.',
                      HINT = 'Another re-issue or a lifecycle change came first.';
        END IF;
    END IF;

    INSERT INTO licensing.licence (number, kind, holder, service, status, issued_on, provider, application, supersedes)
    VALUES (a.result_number, v_kind, a.applicant, a.service, 'active', today, a.provider, a.id, prior.number);

    IF jsonb_typeof(a.decision->'annexes') OPERATOR(pg_catalog.=) 'array'
       AND jsonb_array_length(a.decision->'annexes') OPERATOR(pg_catalog.>) 0 THEN
        INSERT INTO licensing.licence_annex (licence, position, subtype, address, branch_bin)
        SELECT a.result_number, x.ord, x.e->>'subtype', x.e->>'address', (x.e->>'branch_bin')::licensing.bin
          FROM jsonb_array_elements(a.decision->'annexes') WITH ORDINALITY AS x(e, ord);
    ELSIF prior.number IS NOT NULL THEN
        -- a re-issue without new annexes carries the old licence's annexes over
        INSERT INTO licensing.licence_annex (licence, position, subtype, address, branch_bin)
        SELECT a.result_number, la.position, la.subtype, la.address, la.branch_bin
          FROM licensing.licence_annex la WHERE la.licence OPERATOR(pg_catalog.=) prior.number;
    END IF;

    IF prior.number IS NOT NULL THEN
        UPDATE licensing.licence SET status = 'reissued', status_since = licensing.clock(),
                                     status_ground = a.form->>'ground', suspended_until = NULL
         WHERE number OPERATOR(pg_catalog.=) prior.number;
        PERFORM licensing._licence_append(prior.number, 'reissued', 'active', 'reissued',
                                          a.form->>'ground', NULL, a.id, a.result_number);
    END IF;
    PERFORM licensing._licence_append(a.result_number, 'issued', NULL, 'active',
                                      CASE WHEN prior.number IS NOT NULL THEN a.form->>'ground' END,
                                      NULL, a.id, prior.number);
    PERFORM licensing._licence_guard(false);
    RETURN a.result_number;
END
$$;
COMMENT ON FUNCTION licensing._issue_result(bigint) IS
    'internal, called by sign_decision after the head''s verified signature: creates the licence or conclusion, the re-issued licence, or the duplicate';
REVOKE ALL ON FUNCTION licensing._issue_result(bigint) FROM PUBLIC;

-- ---- the licence's life: suspend, resume, terminate --------------------------------

-- The head of the licence's provider (by the actor's staff row) or licensing_admin.
CREATE FUNCTION licensing._licence_authorise(l licensing.licence, what text) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    who name := licensing.actor();
BEGIN
    IF pg_catalog.pg_has_role(who, 'licensing_admin', 'MEMBER') THEN
        RETURN;
    END IF;
    IF EXISTS (SELECT FROM licensing.staff s
                WHERE s.role OPERATOR(pg_catalog.=) who
                  AND s.provider OPERATOR(pg_catalog.=) l.provider
                  AND s.position OPERATOR(pg_catalog.=) 'head')
       AND pg_catalog.pg_has_role(who, 'licensing_staff', 'MEMBER') THEN
        RETURN;
    END IF;
    RAISE EXCEPTION 'role % may not % licence %', who, what, l.number
        USING ERRCODE = '42501',
              DETAIL = pg_catalog.format('Only the head of provider %s or a member of licensing_admin may %s it.', l.provider, what),
              HINT = 'Ask the head of the licence''s provider.';
END
$$;
COMMENT ON FUNCTION licensing._licence_authorise(licensing.licence, text) IS
    'internal: the actor is the head of the licence''s provider or licensing_admin, else 42501';
REVOKE ALL ON FUNCTION licensing._licence_authorise(licensing.licence, text) FROM PUBLIC;

-- The one place that says which lifecycle move a status allows.
CREATE FUNCTION licensing._licence_move_check(l licensing.licence, what text) RETURNS void
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF l.status IN ('terminated', 'reissued') THEN
        RAISE EXCEPTION 'cannot % licence %: it is %', what, l.number, l.status
            USING ERRCODE = '55000',
                  DETAIL = CASE l.status WHEN 'terminated' THEN 'A terminated licence is final.'
                                         ELSE 'A re-issued licence was replaced by a new one.' END,
                  HINT = CASE l.status WHEN 'reissued' THEN 'Act on the licence that supersedes it.'
                                       ELSE 'Nothing can change a terminated licence.' END;
    END IF;
    IF what OPERATOR(pg_catalog.=) 'suspend' AND l.status OPERATOR(pg_catalog.<>) 'active' THEN
        RAISE EXCEPTION 'cannot suspend licence %: it is %', l.number, l.status
            USING ERRCODE = '55000', DETAIL = 'Only an active licence can be suspended.',
                  HINT = 'A suspended licence stays suspended until resume_licence.';
    END IF;
    IF what OPERATOR(pg_catalog.=) 'resume' AND l.status OPERATOR(pg_catalog.<>) 'suspended' THEN
        RAISE EXCEPTION 'cannot resume licence %: it is %', l.number, l.status
            USING ERRCODE = '55000', DETAIL = 'Only a suspended licence can be resumed.';
    END IF;
END
$$;
COMMENT ON FUNCTION licensing._licence_move_check(licensing.licence, text) IS
    'internal: raises 55000 when the licence''s status does not allow suspend, resume or terminate';

-- licensing.suspend_licence(number text, ground text, until date DEFAULT NULL) → void
CREATE FUNCTION licensing.suspend_licence(number text, ground text, until date DEFAULT NULL) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    l licensing.licence := licensing._licence_find(number, true);
BEGIN
    PERFORM licensing._licence_authorise(l, 'suspend');
    PERFORM licensing._licence_move_check(l, 'suspend');
    IF ground IS NULL OR NOT EXISTS (SELECT FROM licensing.suspension_ground g
                                      WHERE g.code OPERATOR(pg_catalog.=) suspend_licence.ground) THEN
        RAISE EXCEPTION 'unknown suspension ground "%"', ground
            USING ERRCODE = '22023', HINT = 'Use a code of licensing.suspension_ground.';
    END IF;
    IF until IS NOT NULL AND until OPERATOR(pg_catalog.<) licensing._licence_today() THEN
        RAISE EXCEPTION 'suspension until % is in the past', until
            USING ERRCODE = '22023', HINT = 'Give a date from today on, or NULL for a suspension until resumed.';
    END IF;
    PERFORM licensing._licence_guard(true);
    UPDATE licensing.licence SET status = 'suspended', status_since = licensing.clock(),
                                 status_ground = suspend_licence.ground, suspended_until = suspend_licence.until
     WHERE licence.number OPERATOR(pg_catalog.=) l.number;
    PERFORM licensing._licence_append(l.number, 'suspended', l.status, 'suspended', ground, until, NULL, NULL);
    PERFORM licensing._licence_guard(false);
END
$$;
COMMENT ON FUNCTION licensing.suspend_licence(text, text, date) IS
    'suspends an active licence with a ground of suspension_ground (until is recorded; it ends only by resume_licence); head of the provider or licensing_admin';

-- licensing.resume_licence(number text) → void
CREATE FUNCTION licensing.resume_licence(number text) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    l licensing.licence := licensing._licence_find(number, true);
BEGIN
    PERFORM licensing._licence_authorise(l, 'resume');
    PERFORM licensing._licence_move_check(l, 'resume');
    PERFORM licensing._licence_guard(true);
    UPDATE licensing.licence SET status = 'active', status_since = licensing.clock(),
                                 status_ground = NULL, suspended_until = NULL
     WHERE licence.number OPERATOR(pg_catalog.=) l.number;
    PERFORM licensing._licence_append(l.number, 'resumed', l.status, 'active', NULL, NULL, NULL, NULL);
    PERFORM licensing._licence_guard(false);
END
$$;
COMMENT ON FUNCTION licensing.resume_licence(text) IS 'resumes a suspended licence; head of the provider or licensing_admin';

-- licensing.terminate_licence(number text, ground text) → void
CREATE FUNCTION licensing.terminate_licence(number text, ground text) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    l licensing.licence := licensing._licence_find(number, true);
BEGIN
    PERFORM licensing._licence_authorise(l, 'terminate');
    PERFORM licensing._licence_move_check(l, 'terminate');
    IF ground IS NULL OR NOT EXISTS (SELECT FROM licensing.termination_ground g
                                      WHERE g.code OPERATOR(pg_catalog.=) terminate_licence.ground) THEN
        RAISE EXCEPTION 'unknown termination ground "%"', ground
            USING ERRCODE = '22023', HINT = 'Use a code of licensing.termination_ground.';
    END IF;
    PERFORM licensing._licence_guard(true);
    UPDATE licensing.licence SET status = 'terminated', status_since = licensing.clock(),
                                 status_ground = terminate_licence.ground, suspended_until = NULL
     WHERE licence.number OPERATOR(pg_catalog.=) l.number;
    PERFORM licensing._licence_append(l.number, 'terminated', l.status, 'terminated', ground, NULL, NULL, NULL);
    PERFORM licensing._licence_guard(false);
END
$$;
COMMENT ON FUNCTION licensing.terminate_licence(text, text) IS
    'terminates an active or suspended licence with a ground of termination_ground (final); head of the provider or licensing_admin';

REVOKE ALL ON FUNCTION licensing.suspend_licence(text, text, date) FROM PUBLIC;
REVOKE ALL ON FUNCTION licensing.resume_licence(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION licensing.terminate_licence(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION licensing.suspend_licence(text, text, date) TO licensing_staff, licensing_admin;
GRANT EXECUTE ON FUNCTION licensing.resume_licence(text) TO licensing_staff, licensing_admin;
GRANT EXECUTE ON FUNCTION licensing.terminate_licence(text, text) TO licensing_staff, licensing_admin;
GRANT EXECUTE ON FUNCTION licensing.verify_licence_history(text) TO licensing_staff, licensing_admin, licensing_reporter;

-- ---- who may read documents ----------------------------------------------------------

-- Who the caller is for reporting: all rows, some providers, or one applicant.
CREATE FUNCTION licensing._report_scope(OUT all_rows boolean, OUT providers text[], OUT applicant text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    who name := licensing.actor();
BEGIN
    all_rows := pg_catalog.pg_has_role(who, 'licensing_admin', 'MEMBER')
             OR pg_catalog.pg_has_role(who, 'licensing_reporter', 'MEMBER');
    IF pg_catalog.pg_has_role(who, 'licensing_staff', 'MEMBER') THEN
        SELECT pg_catalog.array_agg(DISTINCT s.provider) INTO providers
          FROM licensing.staff s WHERE s.role OPERATOR(pg_catalog.=) who;
    END IF;
    providers := coalesce(providers, '{}');
    IF pg_catalog.pg_has_role(who, 'licensing_portal', 'MEMBER') THEN
        applicant := licensing.acting_for();
    END IF;
END
$$;
COMMENT ON FUNCTION licensing._report_scope() IS
    'internal: which rows of the reporting views the actor sees (all, its providers'' or its applicant''s)';
-- The views call it with the reader's rights: the API's group roles only.
REVOKE ALL ON FUNCTION licensing._report_scope() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION licensing._report_scope()
    TO licensing_admin, licensing_reporter, licensing_staff, licensing_portal;

-- Whether the actor may read the documents of an application or licence of
-- this provider and party (applicant or holder): admins and reporters all,
-- staff their providers', the portal its applicant's.
CREATE FUNCTION licensing._licence_may_read(provider text, party text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT coalesce(sc.all_rows OR $1 OPERATOR(pg_catalog.=) ANY (sc.providers)
                       OR $2 OPERATOR(pg_catalog.=) sc.applicant, false)
        FROM licensing._report_scope() sc $$;
COMMENT ON FUNCTION licensing._licence_may_read(text, text) IS
    'internal: whether the actor may read a signed document of this provider and applicant or holder';
REVOKE ALL ON FUNCTION licensing._licence_may_read(text, text) FROM PUBLIC;

-- ---- documents --------------------------------------------------------------------
-- The signed documents are read by admins and reporters, the staff of the
-- licence's provider and the portal for the holder; the printable licence
-- shows only what the public register shows, plus the signed bytes' SHA-256.

CREATE FUNCTION licensing._licence_require_reader(l licensing.licence) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NOT licensing._licence_may_read(l.provider, l.holder) THEN
        RAISE EXCEPTION 'role "%" may not read the signed document of licence %', licensing.actor(), l.number
            USING ERRCODE = '42501',
                  DETAIL = 'Signed documents are read by the holder (through the portal), the staff of the licence''s provider, reporters and admins.',
                  HINT = 'The public register licensing.licence_register shows every licence''s current status.';
    END IF;
END
$$;
COMMENT ON FUNCTION licensing._licence_require_reader(licensing.licence) IS 'internal: 42501 unless the actor may read the licence''s signed document';
REVOKE ALL ON FUNCTION licensing._licence_require_reader(licensing.licence) FROM PUBLIC;

-- licensing.licence_document(number text) → jsonb
CREATE FUNCTION licensing.licence_document(number text) RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    l licensing.licence := licensing._licence_find(number, false);
BEGIN
    PERFORM licensing._licence_require_reader(l);
    RETURN (SELECT pg_catalog.convert_from(ap.decision_payload, 'UTF8')::jsonb
              FROM licensing.application ap WHERE ap.id OPERATOR(pg_catalog.=) l.application);
END
$$;
COMMENT ON FUNCTION licensing.licence_document(text) IS
    'the signed snapshot of a licence or conclusion: the decision payload its provider''s head signed (never changes; status is in licence_register)';

-- licensing.licence_signed(number text) → (payload bytea, signature bytea)
CREATE FUNCTION licensing.licence_signed(number text, OUT payload bytea, OUT signature bytea)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    l licensing.licence := licensing._licence_find(number, false);
BEGIN
    PERFORM licensing._licence_require_reader(l);
    SELECT ap.decision_payload, ap.decision_signature INTO payload, signature
      FROM licensing.application ap WHERE ap.id OPERATOR(pg_catalog.=) l.application;
END
$$;
COMMENT ON FUNCTION licensing.licence_signed(text) IS
    'the exact signed bytes of a licence''s decision and the head''s CMS signature, for licensing.verify_signature(payload, signature)';

-- HTML text with & < > " ' escaped.
CREATE FUNCTION licensing._html(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(
           coalesce(t, ''), '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'), '''', '&#39;');
COMMENT ON FUNCTION licensing._html(text) IS 'internal: escapes text for HTML';

CREATE FUNCTION licensing._html_page(title text, body text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN '<!DOCTYPE html>' || E'\n' || '<html><head><meta charset="utf-8"><title>' || licensing._html(title)
    || '</title><style>body{font-family:serif;max-width:50em;margin:2em auto}'
    || '.doc{border:1px solid #000;padding:1.5em;margin-bottom:2em}h1{text-align:center;font-size:1.4em}'
    || 'table{border-collapse:collapse;width:100%}td,th{border:1px solid #000;padding:.3em;text-align:left}'
    || '.note{font-size:.85em;margin-top:1.5em}</style></head><body>' || E'\n' || body || '</body></html>' || E'\n';
COMMENT ON FUNCTION licensing._html_page(text, text) IS 'internal: wraps a printable form in an HTML page';

-- licensing.licence_html(number text) → text
-- The printable form of a licence or conclusion in Kazakh and Russian, for the
-- paper result (DOMAIN §3.2; 002 §3: printed from the electronic document and
-- certified with seal and signature).
CREATE FUNCTION licensing.licence_html(number text) RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    l licensing.licence := licensing._licence_find(number, false);
    s record;
    p record;
    holder_name text := licensing._licence_holder_name(l.holder);
    is_bin boolean := licensing.bin_is_valid(l.holder);
    fingerprint text;
    annexes_kk text := '';
    annexes_ru text := '';
    body text := '';
    lang text;
    r record;
BEGIN
    SELECT sv.name_kk, sv.name_ru INTO s FROM licensing.service sv WHERE sv.code OPERATOR(pg_catalog.=) l.service;
    SELECT pv.name_kk, pv.name_ru INTO p FROM licensing.provider pv WHERE pv.code OPERATOR(pg_catalog.=) l.provider;
    SELECT pg_catalog.encode(pg_catalog.sha256(ap.decision_payload), 'hex') INTO fingerprint
      FROM licensing.application ap WHERE ap.id OPERATOR(pg_catalog.=) l.application;
    FOR r IN SELECT la.position, la.subtype, la.address, la.branch_bin::text AS branch
               FROM licensing.licence_annex la WHERE la.licence OPERATOR(pg_catalog.=) l.number ORDER BY la.position
    LOOP
        annexes_kk := annexes_kk || pg_catalog.format('<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>',
                          r.position, licensing._html(r.subtype), licensing._html(r.address), coalesce(r.branch, '—'));
    END LOOP;
    annexes_ru := annexes_kk;
    FOREACH lang IN ARRAY ARRAY['kk', 'ru'] LOOP
        body := body || pg_catalog.format('<div class="doc" lang="%s">', lang);
        IF lang OPERATOR(pg_catalog.=) 'kk' THEN
            body := body
              || '<h1>' || CASE l.kind WHEN 'licence' THEN 'ЛИЦЕНЗИЯ' ELSE 'МЕМЛЕКЕТТІК ЭКОЛОГИЯЛЫҚ САРАПТАМАНЫҢ ҚОРЫТЫНДЫСЫ' END || '</h1>'
              || '<p><b>№ ' || licensing._html(l.number) || '</b>, берілген күні ' || pg_catalog.to_char(l.issued_on, 'DD.MM.YYYY') || '</p>'
              || '<p>' || CASE l.kind WHEN 'licence' THEN 'Лицензиат' ELSE 'Қызмет алушы' END || ': '
              || licensing._html(coalesce(holder_name, '')) || ' (' || CASE WHEN is_bin THEN 'БСН' ELSE 'ЖСН' END || ' ' || l.holder || ')</p>'
              || '<p>' || CASE l.kind WHEN 'licence' THEN 'Қызмет түрі' ELSE 'Мемлекеттік қызмет' END || ': ' || licensing._html(s.name_kk) || '</p>'
              || '<p>' || CASE l.kind WHEN 'licence' THEN 'Лицензиар' ELSE 'Қызмет беруші' END || ': ' || licensing._html(p.name_kk) || '</p>'
              || CASE WHEN l.supersedes IS NOT NULL
                      THEN '<p>№ ' || l.supersedes || ' лицензияның орнына қайта ресімделді.</p>' ELSE '' END
              || CASE WHEN annexes_kk OPERATOR(pg_catalog.<>) ''
                      THEN '<h2>Лицензияға қосымшалар</h2><table><tr><th>№</th><th>Кіші түрі</th><th>Объектінің мекенжайы</th><th>Филиалдың БСН</th></tr>'
                           || annexes_kk || '</table>' ELSE '' END
              || '<p class="note">Тізілімдегі ағымдағы мәртебесі: '
              || CASE l.status WHEN 'active' THEN 'қолданыста' WHEN 'suspended' THEN 'тоқтатыла тұрған'
                               WHEN 'terminated' THEN 'тоқтатылған' ELSE 'қайта ресімделген' END || '.<br>'
              || 'Электрондық құжат қызмет берушінің уәкілетті тұлғасының ЭЦҚ-сымен қойылған. '
              || 'Қағаз нұсқасы электрондық құжаттан басып шығарылады және мөрмен, қолмен куәландырылады.'
              || CASE WHEN fingerprint IS NOT NULL THEN '<br>Қол қойылған құжаттың SHA-256: <code>' || fingerprint || '</code>' ELSE '' END
              || '</p>';
        ELSE
            body := body
              || '<h1>' || CASE l.kind WHEN 'licence' THEN 'ЛИЦЕНЗИЯ' ELSE 'ЗАКЛЮЧЕНИЕ ГОСУДАРСТВЕННОЙ ЭКОЛОГИЧЕСКОЙ ЭКСПЕРТИЗЫ' END || '</h1>'
              || '<p><b>№ ' || licensing._html(l.number) || '</b>, дата выдачи ' || pg_catalog.to_char(l.issued_on, 'DD.MM.YYYY') || '</p>'
              || '<p>' || CASE l.kind WHEN 'licence' THEN 'Лицензиат' ELSE 'Получатель' END || ': '
              || licensing._html(coalesce(holder_name, '')) || ' (' || CASE WHEN is_bin THEN 'БИН' ELSE 'ИИН' END || ' ' || l.holder || ')</p>'
              || '<p>' || CASE l.kind WHEN 'licence' THEN 'Вид деятельности' ELSE 'Государственная услуга' END || ': ' || licensing._html(s.name_ru) || '</p>'
              || '<p>' || CASE l.kind WHEN 'licence' THEN 'Лицензиар' ELSE 'Услугодатель' END || ': ' || licensing._html(p.name_ru) || '</p>'
              || CASE WHEN l.supersedes IS NOT NULL
                      THEN '<p>Переоформлена взамен лицензии № ' || l.supersedes || '.</p>' ELSE '' END
              || CASE WHEN annexes_ru OPERATOR(pg_catalog.<>) ''
                      THEN '<h2>Приложения к лицензии</h2><table><tr><th>№</th><th>Подвид</th><th>Адрес объекта</th><th>БИН филиала</th></tr>'
                           || annexes_ru || '</table>' ELSE '' END
              || '<p class="note">Текущий статус в реестре: '
              || CASE l.status WHEN 'active' THEN 'действующая' WHEN 'suspended' THEN 'приостановлена'
                               WHEN 'terminated' THEN 'прекращена' ELSE 'переоформлена' END || '.<br>'
              || 'Электронный документ подписан ЭЦП уполномоченного лица услугодателя. '
              || 'Копия на бумаге распечатывается с электронного документа и заверяется печатью и подписью.'
              || CASE WHEN fingerprint IS NOT NULL THEN '<br>SHA-256 подписанного документа: <code>' || fingerprint || '</code>' ELSE '' END
              || '</p>';
        END IF;
        body := body || '</div>' || E'\n';
    END LOOP;
    RETURN licensing._html_page(l.number, body);
END
$$;
COMMENT ON FUNCTION licensing.licence_html(text) IS
    'printable form (HTML, Kazakh and Russian) of a licence or conclusion, for the paper result (DOMAIN §3.2)';

-- licensing.refusal_html(application bigint) → text
CREATE FUNCTION licensing.refusal_html(application bigint) RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    a record;
    g record;
    s record;
    p record;
    holder_name text;
    is_bin boolean;
    fingerprint text;
BEGIN
    IF refusal_html.application IS NULL THEN
        RAISE EXCEPTION 'application must not be NULL' USING ERRCODE = '22023';
    END IF;
    SELECT ap.id, ap.number, ap.applicant, ap.service, ap.provider, ap.outcome, ap.state, ap.ground,
           ap.reason_kk, ap.reason_ru, ap.decided_at, ap.decision_payload
      INTO a FROM licensing.application ap WHERE ap.id OPERATOR(pg_catalog.=) refusal_html.application;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'application % does not exist', refusal_html.application
            USING ERRCODE = 'P0002', HINT = 'Check the application id.';
    END IF;
    IF NOT licensing._licence_may_read(a.provider, a.applicant) THEN
        RAISE EXCEPTION 'role "%" may not read the refusal of application %', licensing.actor(), a.id
            USING ERRCODE = '42501',
                  DETAIL = 'A refusal is read by its applicant (through the portal), the provider''s staff, reporters and admins.';
    END IF;
    IF a.outcome IS DISTINCT FROM 'refused' THEN
        RAISE EXCEPTION 'application % was not refused', a.id
            USING ERRCODE = '55000', DETAIL = pg_catalog.format('Its state is %s, its outcome %s.', a.state, coalesce(a.outcome, 'not decided')),
                  HINT = 'A reasoned refusal exists only for a refused application.';
    END IF;
    SELECT rg.text_kk, rg.text_ru, rg.article INTO g FROM licensing.refusal_ground rg WHERE rg.code OPERATOR(pg_catalog.=) a.ground;
    SELECT sv.name_kk, sv.name_ru INTO s FROM licensing.service sv WHERE sv.code OPERATOR(pg_catalog.=) a.service;
    SELECT pv.name_kk, pv.name_ru INTO p FROM licensing.provider pv WHERE pv.code OPERATOR(pg_catalog.=) a.provider;
    holder_name := licensing._licence_holder_name(a.applicant);
    is_bin := licensing.bin_is_valid(a.applicant);
    fingerprint := pg_catalog.encode(pg_catalog.sha256(a.decision_payload), 'hex');
    RETURN licensing._html_page('refusal ' || coalesce(a.number, a.id::text),
        '<div class="doc" lang="kk"><h1>ДӘЛЕЛДІ БАС ТАРТУ</h1>'
        || '<p>Өтініш № ' || licensing._html(coalesce(a.number, a.id::text))
        || CASE WHEN a.decided_at IS NOT NULL
                THEN ', шешім күні ' || pg_catalog.to_char((a.decided_at AT TIME ZONE 'UTC') OPERATOR(pg_catalog.+) interval '5 hours', 'DD.MM.YYYY') ELSE '' END || '</p>'
        || '<p>Қызмет алушы: ' || licensing._html(coalesce(holder_name, '')) || ' (' || CASE WHEN is_bin THEN 'БСН' ELSE 'ЖСН' END || ' ' || licensing._html(a.applicant) || ')</p>'
        || '<p>Мемлекеттік қызмет: ' || licensing._html(s.name_kk) || '</p>'
        || '<p>Қызмет беруші: ' || licensing._html(p.name_kk) || '</p>'
        || '<p>Бас тарту негізі: <b>' || licensing._html(g.text_kk) || '</b>'
        || CASE WHEN g.article IS NOT NULL THEN ' (' || licensing._html(g.article) || ')' ELSE '' END || '</p>'
        || '<p>Себебі: ' || licensing._html(a.reason_kk) || '</p>'
        || '<p class="note">Электрондық құжат қызмет берушінің уәкілетті тұлғасының ЭЦҚ-сымен қойылған.'
        || CASE WHEN fingerprint IS NOT NULL THEN '<br>Қол қойылған құжаттың SHA-256: <code>' || fingerprint || '</code>' ELSE '' END
        || '</p></div>' || E'\n'
        || '<div class="doc" lang="ru"><h1>МОТИВИРОВАННЫЙ ОТКАЗ</h1>'
        || '<p>Заявление № ' || licensing._html(coalesce(a.number, a.id::text))
        || CASE WHEN a.decided_at IS NOT NULL
                THEN ', дата решения ' || pg_catalog.to_char((a.decided_at AT TIME ZONE 'UTC') OPERATOR(pg_catalog.+) interval '5 hours', 'DD.MM.YYYY') ELSE '' END || '</p>'
        || '<p>Получатель: ' || licensing._html(coalesce(holder_name, '')) || ' (' || CASE WHEN is_bin THEN 'БИН' ELSE 'ИИН' END || ' ' || licensing._html(a.applicant) || ')</p>'
        || '<p>Государственная услуга: ' || licensing._html(s.name_ru) || '</p>'
        || '<p>Услугодатель: ' || licensing._html(p.name_ru) || '</p>'
        || '<p>Основание отказа: <b>' || licensing._html(g.text_ru) || '</b>'
        || CASE WHEN g.article IS NOT NULL THEN ' (' || licensing._html(g.article) || ')' ELSE '' END || '</p>'
        || '<p>Причина: ' || licensing._html(a.reason_ru) || '</p>'
        || '<p class="note">Электронный документ подписан ЭЦП уполномоченного лица услугодателя.'
        || CASE WHEN fingerprint IS NOT NULL THEN '<br>SHA-256 подписанного документа: <code>' || fingerprint || '</code>' ELSE '' END
        || '</p></div>' || E'\n');
END
$$;
COMMENT ON FUNCTION licensing.refusal_html(bigint) IS
    'printable form (HTML, Kazakh and Russian) of a reasoned refusal, for the paper result (DOMAIN §3.2)';

-- ---- privileges ----------------------------------------------------------------------
-- The register is public (licence_register, API §7): everyone may read licences
-- and annexes.  Duplicates and history: staff, reporters, admins.  Code tables:
-- everyone reads, licensing_admin maintains.
GRANT SELECT ON licensing.licence, licensing.licence_annex TO PUBLIC;
GRANT SELECT ON licensing.licence_duplicate, licensing.licence_event
    TO licensing_staff, licensing_reporter, licensing_admin;
GRANT SELECT ON licensing.reissue_ground, licensing.suspension_ground, licensing.termination_ground TO PUBLIC;
GRANT INSERT, UPDATE, DELETE ON licensing.reissue_ground, licensing.suspension_ground, licensing.termination_ground
    TO licensing_admin;

-- Documents and printable forms: the API's group roles (each then sees what
-- its scope allows; the printable licence shows only public register data).
REVOKE ALL ON FUNCTION licensing.licence_document(text), licensing.licence_signed(text),
                       licensing.licence_html(text), licensing.refusal_html(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION licensing.licence_document(text), licensing.licence_signed(text),
                          licensing.licence_html(text), licensing.refusal_html(bigint)
    TO licensing_admin, licensing_reporter, licensing_staff, licensing_portal;

-- ==== src/sql/70_reports.sql ====
-- 70_reports.sql: views for reporting tools (API §7) and the workflow diagram.
--
-- The views run with the extension owner's rights and filter rows themselves
-- through licensing._report_scope(): one call per query (a function in FROM),
-- then a plain comparison per row, so there is no subquery over a large table
-- in any row filter (QUALITY §6) and a provider's report walks the indexes on
-- application(provider, ...) and the event table's primary key, never a
-- sequential scan of the events (QUALITY §2 P6).  Everything here only reads,
-- so it runs on a hot standby too.
--
-- Who sees what: licensing_admin and licensing_reporter every row; staff the
-- rows of the providers where they have a staff row; the portal the rows of
-- the applicant it acts for.  licence_register is public.

-- A moment as Kazakhstan (UTC+5) local time, for months and dates.
CREATE FUNCTION licensing._kz_local(t timestamptz) RETURNS timestamp
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN (t AT TIME ZONE 'UTC') OPERATOR(pg_catalog.+) interval '5 hours';
COMMENT ON FUNCTION licensing._kz_local(timestamptz) IS 'internal: the Kazakhstan (UTC+5) local time of a moment';

-- ---- licence_register (public) ------------------------------------------------------
CREATE VIEW licensing.licence_register AS
SELECT l.number,
       l.kind,
       l.holder,
       coalesce(le.name, pe.name) AS holder_name,
       l.service,
       l.status,
       l.issued_on,
       l.provider,
       coalesce((SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
                            'position', la.position, 'subtype', la.subtype, 'address', la.address,
                            'branch_bin', la.branch_bin::text) ORDER BY la.position)
                   FROM licensing.licence_annex la
                  WHERE la.licence OPERATOR(pg_catalog.=) l.number), '[]'::jsonb) AS annexes,
       l.supersedes,
       (SELECT n.number FROM licensing.licence n WHERE n.supersedes OPERATOR(pg_catalog.=) l.number) AS superseded_by,
       l.status_since,
       l.status_ground,
       l.suspended_until
  FROM licensing.licence l
  LEFT JOIN licensing.legal_entity le
         ON le.bin OPERATOR(licensing.=) CASE WHEN licensing.bin_is_valid(l.holder) THEN l.holder::licensing.bin END
  LEFT JOIN licensing.person pe
         ON pe.iin OPERATOR(licensing.=) CASE WHEN licensing.iin_is_valid(l.holder) THEN l.holder::licensing.iin END;
COMMENT ON VIEW licensing.licence_register IS
    'the public register of licences and conclusions: number, kind, holder and name, service, current status, issue date, provider, annexes, re-issue links';
GRANT SELECT ON licensing.licence_register TO PUBLIC;

-- ---- application_history ("history of received services", 000 §9, 004 §9) ----------
CREATE VIEW licensing.application_history WITH (security_barrier) AS
SELECT a.id AS application,
       a.number,
       a.service,
       a.operation,
       a.channel,
       a.applicant,
       a.provider,
       a.state,
       a.outcome,
       a.created_at,
       a.submitted_at,
       a.receipt_day,
       a.due_on,
       a.decided_at,
       a.signed_at,
       a.delivered_at,
       a.result_number,
       a.licence_number,
       a.ground,
       a.reason_kk,
       a.reason_ru,
       (a.delivered_at IS NOT NULL
        AND licensing._kz_local(a.delivered_at)::date OPERATOR(pg_catalog.>) a.due_on) AS delivered_late
  FROM licensing.application a,
       licensing._report_scope() sc
 WHERE sc.all_rows
    OR a.provider OPERATOR(pg_catalog.=) ANY (sc.providers)
    OR a.applicant OPERATOR(pg_catalog.=) sc.applicant;
COMMENT ON VIEW licensing.application_history IS
    'applications with their state, term and result: the portal sees its applicant''s, staff their providers'', reporters and admins all';

-- ---- overdue_steps --------------------------------------------------------------------
-- Steps closed late are found through a partial index on the events that
-- closed them (small: only violations); open steps past due through the
-- workflow's index on the open step of each application.  Both halves read the
-- tables, not the application_step view, so that the report's own scope filters
-- and not the per-row policies of the caller.
CREATE INDEX application_event_late_step_idx ON licensing.application_event (step_due_at)
    WHERE at > step_due_at;

CREATE VIEW licensing.overdue_steps WITH (security_barrier) AS
SELECT s.application,
       a.number,
       a.provider,
       a.service,
       s.step,
       s.performer_position,
       s.performer,
       s.started_at,
       s.due_at,
       s.finished_at,
       s.finished_at IS NULL AS open,
       coalesce(s.finished_at, licensing.clock()) OPERATOR(pg_catalog.-) s.due_at AS overdue_by
  FROM (SELECT e.application, e.step, e.step_performer AS performer_position, e.actor_role AS performer,
               e.step_started_at AS started_at, e.step_due_at AS due_at, e.at AS finished_at
          FROM licensing.application_event e
         WHERE e.at OPERATOR(pg_catalog.>) e.step_due_at
        UNION ALL
        SELECT o.id, o.step, o.step_performer, NULL::name, o.step_started_at, o.step_due_at, NULL::timestamptz
          FROM licensing.application o
         WHERE o.step IS NOT NULL AND o.step_due_at OPERATOR(pg_catalog.<) licensing.clock()) s
  JOIN licensing.application a ON a.id OPERATOR(pg_catalog.=) s.application,
       licensing._report_scope() sc
 WHERE sc.all_rows OR a.provider OPERATOR(pg_catalog.=) ANY (sc.providers);
COMMENT ON VIEW licensing.overdue_steps IS
    'steps past their due moment: open ones and those closed late (violations of the term, DOMAIN §5)';

-- ---- term_compliance ----------------------------------------------------------------------
-- Finished steps are the events that closed them.  One provider's report walks
-- its applications and, for each, the events' primary key, which includes the
-- step, its moments and the event's moment (50_workflow.sql): an index-only
-- scan.  Without those columns the planner reads every event of every
-- provider (a sequential scan, ~4x slower at 2 M events, QUALITY §2 P6).

CREATE VIEW licensing.term_compliance WITH (security_barrier) AS
SELECT a.provider,
       a.service,
       e.step,
       pg_catalog.count(*) AS steps,
       pg_catalog.percentile_cont(0.5) WITHIN GROUP (ORDER BY e.at OPERATOR(pg_catalog.-) e.step_started_at) AS median_time,
       pg_catalog.percentile_cont(0.9) WITHIN GROUP (ORDER BY e.at OPERATOR(pg_catalog.-) e.step_started_at) AS p90_time,
       pg_catalog.count(*) FILTER (WHERE e.at OPERATOR(pg_catalog.>) e.step_due_at) AS late,
       pg_catalog.round(pg_catalog.avg(CASE WHEN e.at OPERATOR(pg_catalog.<=) e.step_due_at THEN 1 ELSE 0 END), 4) AS share_within_norm
  FROM licensing.application_event e
  JOIN licensing.application a ON a.id OPERATOR(pg_catalog.=) e.application,
       licensing._report_scope() sc
 WHERE e.step IS NOT NULL
   AND (sc.all_rows OR a.provider OPERATOR(pg_catalog.=) ANY (sc.providers))
 GROUP BY a.provider, a.service, e.step;
COMMENT ON VIEW licensing.term_compliance IS
    'per provider, service and step: finished steps, median and 90th percentile time taken, late ones, share within the norm';

-- ---- service_quality (survey, DOMAIN §6) --------------------------------------------------
CREATE VIEW licensing.service_quality WITH (security_barrier) AS
SELECT a.service,
       a.provider,
       pg_catalog.count(*) AS answers,
       pg_catalog.round(pg_catalog.avg(CASE WHEN q.process_quality OPERATOR(pg_catalog.=) 3 THEN 1 ELSE 0 END), 4) AS process_satisfied,
       pg_catalog.round(pg_catalog.avg(CASE WHEN q.process_quality OPERATOR(pg_catalog.=) 2 THEN 1 ELSE 0 END), 4) AS process_partially,
       pg_catalog.round(pg_catalog.avg(CASE WHEN q.process_quality OPERATOR(pg_catalog.=) 1 THEN 1 ELSE 0 END), 4) AS process_not_satisfied,
       pg_catalog.round(pg_catalog.avg(CASE WHEN q.information_quality OPERATOR(pg_catalog.=) 3 THEN 1 ELSE 0 END), 4) AS information_satisfied,
       pg_catalog.round(pg_catalog.avg(CASE WHEN q.information_quality OPERATOR(pg_catalog.=) 2 THEN 1 ELSE 0 END), 4) AS information_partially,
       pg_catalog.round(pg_catalog.avg(CASE WHEN q.information_quality OPERATOR(pg_catalog.=) 1 THEN 1 ELSE 0 END), 4) AS information_not_satisfied
  FROM licensing.application_survey q
  JOIN licensing.application a ON a.id OPERATOR(pg_catalog.=) q.application,
       licensing._report_scope() sc
 WHERE sc.all_rows OR a.provider OPERATOR(pg_catalog.=) ANY (sc.providers)
 GROUP BY a.service, a.provider;
COMMENT ON VIEW licensing.service_quality IS
    'survey shares per service and provider: quality of the process and result (process_*) and of the information (information_*)';

-- ---- refusals -------------------------------------------------------------------------------
-- Provider decisions (outcome refused) and intake refusals of submit (recorded
-- in the application's history), per ground, provider and month (UTC+5).
CREATE INDEX application_refused_idx ON licensing.application (provider, decided_at) WHERE outcome = 'refused';
CREATE INDEX application_event_intake_refused_idx ON licensing.application_event (application)
    WHERE what = 'intake_refused';

CREATE VIEW licensing.refusals WITH (security_barrier) AS
SELECT r.provider,
       r.ground,
       g.text_en AS ground_text,
       g.intake,
       r.month,
       pg_catalog.count(*) AS refusals
  FROM (SELECT a.provider, a.ground,
               pg_catalog.date_trunc('month', licensing._kz_local(a.decided_at))::date AS month
          FROM licensing.application a
         WHERE a.outcome OPERATOR(pg_catalog.=) 'refused'
        UNION ALL
        SELECT a.provider, e.payload->>'ground',
               pg_catalog.date_trunc('month', licensing._kz_local(e.at))::date
          FROM licensing.application a
          JOIN licensing.application_event e ON e.application OPERATOR(pg_catalog.=) a.id
         WHERE e.what OPERATOR(pg_catalog.=) 'intake_refused') r
  LEFT JOIN licensing.refusal_ground g ON g.code OPERATOR(pg_catalog.=) r.ground,
       licensing._report_scope() sc
 WHERE sc.all_rows OR r.provider OPERATOR(pg_catalog.=) ANY (sc.providers)
 GROUP BY r.provider, r.ground, g.text_en, g.intake, r.month;
COMMENT ON VIEW licensing.refusals IS
    'refusals per provider, ground and month (Kazakhstan time): provider decisions and intake refusals';

GRANT SELECT ON licensing.application_history, licensing.overdue_steps, licensing.term_compliance,
                licensing.service_quality, licensing.refusals
    TO licensing_reporter, licensing_staff, licensing_admin;
GRANT SELECT ON licensing.application_history TO licensing_portal;

-- ---- workflow_dot ------------------------------------------------------------------------
-- licensing.workflow_dot(profile text) → text
CREATE FUNCTION licensing.workflow_dot(profile text) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    p record;
    s record;
    out text;
    prev text := 'submitted';
    q text;
BEGIN
    SELECT pr.code, pr.name, pr.source, pr.service INTO p
      FROM licensing.profile pr WHERE pr.code OPERATOR(pg_catalog.=) workflow_dot.profile;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'profile "%" does not exist', workflow_dot.profile
            USING ERRCODE = '22023', HINT = 'See licensing.profile for the profiles.';
    END IF;
    -- DOT string literal: escape backslash and double quote
    out := pg_catalog.format(E'digraph "%s" {\n  label="%s (%s)";\n  labelloc=t;\n  rankdir=LR;\n  node [shape=box, style=rounded, fontname="Helvetica"];\n',
                             pg_catalog.replace(pg_catalog.replace(p.code, E'\\', E'\\\\'), '"', E'\\"'),
                             pg_catalog.replace(pg_catalog.replace(p.name, E'\\', E'\\\\'), '"', E'\\"'),
                             pg_catalog.replace(pg_catalog.replace(coalesce(p.source, p.service), E'\\', E'\\\\'), '"', E'\\"'));
    out := out || E'  submitted [shape=circle, label="submitted"];\n';
    FOR s IN SELECT ps.position, ps.step, ps.performer, ps.norm, ps.anchor, ps.paper_norm, ps.seed_clause
               FROM licensing.profile_step ps
              WHERE ps.profile OPERATOR(pg_catalog.=) p.code ORDER BY ps.position
    LOOP
        q := s.step || CASE s.step WHEN 'decide' THEN ' (grant or refuse)' ELSE '' END
             || E'\\n' || s.performer || ', '
             || CASE WHEN s.norm IS NULL THEN 'by the term''s end'
                     ELSE s.norm || CASE s.anchor WHEN 'receipt' THEN ' from receipt'
                                                  WHEN 'term_end' THEN ', capped at the term''s end' ELSE '' END END
             || CASE WHEN s.paper_norm IS NOT NULL THEN '; on paper ' || s.paper_norm ELSE '' END
             || E'\\n' || s.seed_clause;
        out := out || pg_catalog.format(E'  s%s [label="%s"];\n  %s -> s%s;\n', s.position,
                                        pg_catalog.replace(q, '"', E'\\"'), prev, s.position);
        prev := 's' || s.position;
    END LOOP;
    out := out || pg_catalog.format(E'  delivered [shape=doublecircle, label="delivered"];\n  %s -> delivered;\n', prev);
    out := out || E'  withdrawn [shape=circle, style=dashed, label="withdrawn"];\n  submitted -> withdrawn [style=dashed, label="applicant, before decided"];\n}\n';
    RETURN out;
END
$$;
COMMENT ON FUNCTION licensing.workflow_dot(text) IS
    'the profile''s chain of steps (performer, norm, seed clause) as a Graphviz diagram';
GRANT EXECUTE ON FUNCTION licensing.workflow_dot(text) TO PUBLIC;

-- ==== src/sql/99_finish.sql ====
-- 99_finish.sql: what spans all parts and must come last.

-- Functions are executable by PUBLIC unless a part revoked that; the parts
-- that define SECURITY DEFINER functions revoke and grant them themselves.
