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
        CHECK (kind <> 'day_off' OR pg_catalog.date_part('isodow', day) OPERATOR(pg_catalog.<) 6::float8),
    CONSTRAINT calendar_exception_working_day_on_weekend
        CHECK (kind <> 'working_day' OR pg_catalog.date_part('isodow', day) OPERATOR(pg_catalog.>=) 6::float8),
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
-- 25 Oct restored in 2022; Constitution Day on 30 Aug until 2025, on 15 Mar
-- from 2027, and none in 2026: the Constitution of 2026 (in force 1 July 2026)
-- moved it, so 30 Aug 2026 is an ordinary Sunday and Mon 31 Aug 2026 a working
-- day (QUALITY §5).  Kurban Ait: first day, as announced each year by the
-- Spiritual Administration of Muslims of Kazakhstan (2026 and 2027 expected).
-- Each year's sources are its licensing.calendar_year row.

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
    (2026, 'Constitution of the Republic of Kazakhstan of 2026, in force 1 July 2026 (Constitution Day no longer on 30 August; none in 2026); no transfers beyond the statutory carries'),
    (2027, 'Constitution of the Republic of Kazakhstan of 2026 (Constitution Day on 15 March from 2027); no transfers known yet; Kurban Ait date expected')
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
    (8, 30, 'Constitution Day', true, 2012, 2025),
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
    IF NOT COALESCE(COALESCE(pg_catalog.pg_partition_root(TG_RELID), TG_RELID::pg_catalog.regclass) OPERATOR(pg_catalog.=) ANY (ARRAY[
           'licensing.calendar_year'::pg_catalog.regclass, 'licensing.calendar_exception'::pg_catalog.regclass]), false)
       OR TG_WHEN OPERATOR(pg_catalog.<>) 'BEFORE' OR TG_LEVEL OPERATOR(pg_catalog.<>) 'ROW'
       OR TG_OP OPERATOR(pg_catalog.<>) ALL (ARRAY['INSERT', 'UPDATE']) THEN
        RAISE EXCEPTION 'licensing.calendar_user_row() cannot fire % % for each % on table %',
                        TG_WHEN, TG_OP, TG_LEVEL, TG_RELID::pg_catalog.regclass
            USING ERRCODE = '39P01',
                  DETAIL = 'It is a BEFORE INSERT OR UPDATE row trigger of licensing.calendar_year and licensing.calendar_exception only.',
                  HINT = 'Drop the trigger; the extension creates its own triggers.';
    END IF;
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
