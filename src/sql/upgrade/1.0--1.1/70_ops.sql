-- 70_ops.sql (upgrade part of src/sql/25_calendar_ops.sql, 35_trust_ops.sql and
-- the calendar data of 20_calendar.sql): operations, issue #18.

-- ---- the calendar's data as the law stands (20_calendar.sql) -----------------
-- The Constitution of 2026 (in force 1 July 2026) moved Constitution Day from
-- 30 August to 15 March from 2027; 2026 has none.  1.0 shipped 30 Aug 2026 as a
-- holiday and Mon 31 Aug 2026 as its carried day off: both shipped rows go
-- (a row a DBA inserted or changed is not shipped and stays, and the carry
-- stays while a DBA's 30 August holiday does), and the two years name their
-- source as a fresh install does.  The user-row trigger would mark the
-- corrected sources as a DBA's; it is off for that one statement.
DELETE FROM licensing.calendar_exception e
 WHERE e.shipped AND e.day OPERATOR(pg_catalog.=) '2026-08-30'::date
   AND e.kind OPERATOR(pg_catalog.=) 'holiday' AND e.name OPERATOR(pg_catalog.=) 'Constitution Day';
DELETE FROM licensing.calendar_exception e
 WHERE e.shipped AND e.day OPERATOR(pg_catalog.=) '2026-08-31'::date
   AND e.carry_of OPERATOR(pg_catalog.=) '2026-08-30'::date
   AND NOT EXISTS (SELECT FROM licensing.calendar_exception h
                    WHERE h.day OPERATOR(pg_catalog.=) '2026-08-30'::date AND h.kind OPERATOR(pg_catalog.=) 'holiday');
ALTER TABLE licensing.calendar_year DISABLE TRIGGER calendar_year_user_row;
UPDATE licensing.calendar_year c
   SET source = pg_catalog.format('Law No 267-II of 13 Dec 2001 "On holidays in the Republic of Kazakhstan" as in force in %s; Labour Code (weekend holidays carried to the next working day, not 7 Jan and Kurban Ait)%s',
                                  c.year, COALESCE('; ' OPERATOR(pg_catalog.||) d.decrees, ''))
  FROM (VALUES
    (2026, 'Constitution of the Republic of Kazakhstan of 2026, in force 1 July 2026 (Constitution Day no longer on 30 August; none in 2026); no transfers beyond the statutory carries'),
    (2027, 'Constitution of the Republic of Kazakhstan of 2026 (Constitution Day on 15 March from 2027); no transfers known yet; Kurban Ait date expected')
  ) AS d(year, decrees)
 WHERE c.shipped AND c.year OPERATOR(pg_catalog.=) d.year;
ALTER TABLE licensing.calendar_year ENABLE TRIGGER calendar_year_user_row;

-- ---- calendar_status (25_calendar_ops.sql) -------------------------------------
-- calendar_status as of a given day (the view passes Kazakhstan's date today, UTC+5).
CREATE FUNCTION licensing._calendar_status_at(today date,
    OUT covered_from integer, OUT covered_to integer, OUT missing_years integer[],
    OUT first_uncovered date, OUT days_left integer,
    OUT open_applications bigint, OUT open_due_within_6_months bigint, OUT status text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $fn$
-- covered_from, covered_to: the first and last year of licensing.calendar_year;
-- missing_years: years between them without a row; first_uncovered: the first
-- day from today on that the calendar does not cover; days_left: days until
-- then; open_applications: applications submitted and not yet delivered or
-- withdrawn; open_due_within_6_months: those of them due on or after six months
-- before first_uncovered; status: expired (today is not covered), warning
-- (first_uncovered within six months, or an open term within six months of it),
-- ok.
DECLARE
    y integer;
BEGIN
    IF today IS NULL OR NOT pg_catalog.isfinite(today) THEN
        RAISE EXCEPTION 'today must be a finite date' USING ERRCODE = '22023';
    END IF;
    SELECT pg_catalog.min(c.year), pg_catalog.max(c.year) INTO covered_from, covered_to
      FROM licensing.calendar_year c;
    SELECT COALESCE(pg_catalog.array_agg(g ORDER BY g), '{}') INTO missing_years
      FROM pg_catalog.generate_series(covered_from, covered_to) AS g
     WHERE NOT EXISTS (SELECT FROM licensing.calendar_year c WHERE c.year OPERATOR(pg_catalog.=) g);
    y := pg_catalog.date_part('year', today)::integer;
    WHILE EXISTS (SELECT FROM licensing.calendar_year c WHERE c.year OPERATOR(pg_catalog.=) y) LOOP
        y := y OPERATOR(pg_catalog.+) 1;
    END LOOP;
    first_uncovered := CASE WHEN y OPERATOR(pg_catalog.=) pg_catalog.date_part('year', today)::integer
                            THEN today ELSE pg_catalog.make_date(y, 1, 1) END;
    days_left := first_uncovered OPERATOR(pg_catalog.-) today;
    SELECT pg_catalog.count(*),
           pg_catalog.count(*) FILTER (WHERE a.due_on OPERATOR(pg_catalog.>=)
                                       (first_uncovered OPERATOR(pg_catalog.-) interval '6 months')::date)
      INTO open_applications, open_due_within_6_months
      FROM licensing.application a
     WHERE a.state OPERATOR(pg_catalog.<>) ALL (ARRAY['draft', 'delivered', 'withdrawn']::text[]);
    status := CASE WHEN days_left OPERATOR(pg_catalog.<=) 0 THEN 'expired'
                   WHEN (first_uncovered OPERATOR(pg_catalog.-) interval '6 months')::date OPERATOR(pg_catalog.<=) today
                        OR open_due_within_6_months OPERATOR(pg_catalog.>) 0 THEN 'warning'
                   ELSE 'ok' END;
END
$fn$;
COMMENT ON FUNCTION licensing._calendar_status_at(date) IS
    'internal: licensing.calendar_status as of the given day';
REVOKE ALL ON FUNCTION licensing._calendar_status_at(date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION licensing._calendar_status_at(date) TO licensing_admin, licensing_reporter;

CREATE VIEW licensing.calendar_status AS
SELECT s.covered_from, s.covered_to, s.missing_years, s.first_uncovered, s.days_left,
       s.open_applications, s.open_due_within_6_months, s.status
  FROM licensing._calendar_status_at(((pg_catalog.now() AT TIME ZONE 'UTC') OPERATOR(pg_catalog.+) interval '5 hours')::date) s;
COMMENT ON VIEW licensing.calendar_status IS
    'How far the working calendar reaches: covered years, years missing between them, the first uncovered day from today (Kazakhstan time) and the days left until it, open applications and those due within six months of it; status ok, warning (six months or less, or such a term open) or expired';
GRANT SELECT ON licensing.calendar_status TO licensing_admin, licensing_reporter;
