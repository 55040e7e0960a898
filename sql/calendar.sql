-- calendar: the working calendar of Kazakhstan, working time and term rules
-- (API §2, DOMAIN §5, QUALITY §5).  Each rule has a case that fails without it.
CREATE EXTENSION licensing;
SET TimeZone = '<+05>-05';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
\set VERBOSITY default

-- == covered years and shipped data
SELECT min(year), max(year), count(*), bool_and(shipped) AS all_shipped
  FROM licensing.calendar_year;
SELECT kind, count(*) FROM licensing.calendar_exception GROUP BY kind ORDER BY kind;

-- == worked examples of QUALITY §5 (15 working days from registration)
SELECT licensing.add_working_days('2025-03-05', 15) AS "Wed 2025-03-05 + 15",
       licensing.add_working_days('2024-12-27', 15) AS "Fri 2024-12-27 + 15";
-- the second one counts Sun 5 Jan 2025 (a working day by decree)
SELECT d::date, to_char(d, 'Dy') AS dow, licensing.is_working_day(d::date)
  FROM generate_series('2024-12-28'::date, '2025-01-08', '1 day') AS g(d) ORDER BY d;

-- == holiday rules
-- carry: Sat 8 Mar 2025 gives Mon 10 Mar off
SELECT licensing.is_working_day('2025-03-08') AS sat_8_mar, licensing.is_working_day('2025-03-10') AS mon_10_mar;
-- no carry: Orthodox Christmas on Sun 7 Jan 2024 and Kurban Ait on Sun 16 Jun 2024: Mondays work
SELECT licensing.is_working_day('2024-01-08') AS mon_8_jan_2024, licensing.is_working_day('2024-06-17') AS mon_17_jun_2024;
-- Nauryz weekend days carry separately: 2025 Sat 22 and Sun 23 Mar give Mon 24 and Tue 25
SELECT d::date, to_char(d, 'Dy') AS dow, licensing.is_working_day(d::date)
  FROM generate_series('2025-03-20'::date, '2025-03-26', '1 day') AS g(d) ORDER BY d;
-- 2020: Sat 21 and Sun 22 Mar (Mon 23 a holiday itself) give Tue 24 and Wed 25
SELECT day, kind, carry_of FROM licensing.calendar_exception
 WHERE day BETWEEN '2020-03-21' AND '2020-03-26' ORDER BY day;
-- decree transfers: 2024 Sat 4 May worked and Wed 8 May off; 2025 Sun 5 Jan worked and Fri 3 Jan off
SELECT licensing.is_working_day('2024-05-04') AS sat_4_may_2024, licensing.is_working_day('2024-05-08') AS wed_8_may_2024,
       licensing.is_working_day('2025-01-05') AS sun_5_jan_2025, licensing.is_working_day('2025-01-03') AS fri_3_jan_2025;
-- 2026: only statutory carries (Sun 8 Mar -> Mon 9 Mar; Sat 21/Sun 22 Mar -> Tue 24/Wed 25)
SELECT day, to_char(day, 'Dy') AS dow, kind FROM licensing.calendar_exception
 WHERE day BETWEEN '2026-01-01' AND '2026-12-31' AND kind <> 'holiday' ORDER BY day;
-- holidays as the law stood: 25 Oct from 2022, 1 Dec and 17 Dec until 2021, 7 May from 2013
SELECT y,
       licensing.is_working_day(make_date(y, 10, 25)) OR extract(isodow FROM make_date(y, 10, 25)) >= 6 AS oct_25_worked_or_weekend,
       EXISTS (SELECT FROM licensing.calendar_exception WHERE day = make_date(y, 12, 1)) AS dec_1,
       EXISTS (SELECT FROM licensing.calendar_exception WHERE day = make_date(y, 12, 17)) AS dec_17,
       EXISTS (SELECT FROM licensing.calendar_exception WHERE day = make_date(y, 5, 7)) AS may_7
  FROM generate_series(2012, 2027) AS y WHERE y IN (2012, 2013, 2021, 2022, 2027) ORDER BY y;

-- == add_working_days and working_days_between
SELECT licensing.add_working_days('2025-03-05', 0) AS n0,
       licensing.add_working_days('2025-03-08', 0) AS n0_on_saturday,
       licensing.add_working_days('2025-03-08', 1) AS sat_plus_1,
       licensing.add_working_days('2025-04-01', -15) AS back_15,
       licensing.add_working_days('2025-03-08', -1) AS sat_minus_1;
SELECT licensing.working_days_between('2025-03-05', '2025-04-01') AS forward,
       licensing.working_days_between('2025-04-01', '2025-03-05') AS backward,
       licensing.working_days_between('2025-03-08', '2025-03-07') AS sat_to_fri,
       licensing.working_days_between('2025-03-08', '2025-03-09') AS sat_to_sun;
-- the identity of API §2 across the whole covered span, both directions
SELECT count(*) AS pairs,
       count(*) FILTER (WHERE licensing.add_working_days(a, licensing.working_days_between(a, b)) <> b) AS broken
  FROM (SELECT '2012-01-01'::date + (i * 37) % 5800 AS a, '2012-01-01'::date + (i * 53 + 11) % 5800 AS b
          FROM generate_series(1, 3000) AS i) AS p
 WHERE licensing.is_working_day(b);
-- the last and the first working days of the calendar
SELECT licensing.add_working_days('2027-12-30', 1) AS last_working_day,
       licensing.add_working_days('2012-01-05', -1) AS first_working_day;
SELECT licensing.add_working_days('2012-01-04', -1);

-- == working time (default schedule: Mon-Fri 09:00-18:00, lunch 13:00-14:00, UTC+5)
-- "2 hours" received at 17:30 on a Friday ends at 10:30 on the next working day
SELECT licensing.add_working_time('2025-02-28 17:30+05', '2 hours') AS fri_1730_plus_2h;
-- ... and over the carried Mon 10 Mar 2025 it ends on Tuesday
SELECT licensing.add_working_time('2025-03-07 17:30+05', '2 hours') AS before_carry;
SELECT licensing.add_working_time('2025-03-05 12:30+05', '1 hour') AS over_lunch,
       licensing.add_working_time('2025-03-05 12:00+05', '1 hour') AS to_lunch,
       licensing.add_working_time('2025-03-05 16:00+05', '2 hours') AS to_day_end,
       licensing.add_working_time('2025-03-05 07:00+05', '15 minutes') AS before_hours,
       licensing.add_working_time('2025-03-08 11:00+05', '15 minutes') AS on_saturday,
       licensing.add_working_time('2025-03-05 10:00+05', '0 minutes') AS zero,
       licensing.add_working_time('2025-03-05 10:00+05', '40 hours') AS five_days;
-- the same moment written in another zone gives the same answer
SELECT licensing.add_working_time('2025-02-28 12:30+00', '2 hours') AS utc_input;
SELECT licensing.working_time_between('2025-02-28 17:30+05', '2025-03-03 10:30+05') AS fri_to_mon,
       licensing.working_time_between('2025-03-03 10:30+05', '2025-02-28 17:30+05') AS backwards,
       licensing.working_time_between('2025-03-05 09:00+05', '2025-03-05 18:00+05') AS one_day,
       licensing.working_time_between('2025-03-08 09:00+05', '2025-03-09 18:00+05') AS weekend,
       licensing.working_time_between('2025-03-03 09:00+05', '2025-04-01 09:00+05') AS march;
-- NULL provider is the default schedule
SELECT licensing.add_working_time('2025-02-28 17:30+05', '2 hours', NULL::text) AS null_provider,
       licensing.working_time_between('2025-02-28 17:30+05', '2025-03-03 10:30+05', NULL::text) AS null_provider_between;

-- == schedules given directly
SELECT licensing.check_schedule('{}') AS empty,
       licensing.check_schedule('{"time_zone": "Asia/Almaty", "day_start": "08:30", "day_end": "17:30", "lunch_start": "12:30", "lunch_end": "13:30"}') AS full,
       licensing.check_schedule('{"lunch_start": "13:00", "lunch_end": "13:00"}') AS no_lunch;
-- a provider working 08:00-17:00 with lunch 12:00-13:00
SELECT licensing.add_working_time('2025-02-28 16:30+05', '2 hours',
           '{"day_start": "08:00", "day_end": "17:00", "lunch_start": "12:00", "lunch_end": "13:00"}'::jsonb) AS early_office;
-- a provider in UTC+6 (fixed) gets its local hours: 17:30 there is 16:30 here
SELECT licensing.add_working_time('2025-02-28 17:30+06', '2 hours', '{"time_zone": "<+06>-06"}'::jsonb) AS utc6_office;
-- without a lunch break
SELECT licensing.add_working_time('2025-03-05 12:30+05', '1 hour', '{"lunch_start": "13:00", "lunch_end": "13:00"}'::jsonb) AS no_lunch;
SELECT licensing.working_time_between('2025-03-05 00:00+05', '2025-03-06 00:00+05', '{"lunch_start": "13:00", "lunch_end": "13:00"}'::jsonb) AS no_lunch_day;

-- == receipt day (API §2)
SELECT licensing.receipt_day('2025-03-05 10:00+05') AS in_hours,
       licensing.receipt_day('2025-03-05 07:10+05') AS before_hours,
       licensing.receipt_day('2025-03-05 13:30+05') AS at_lunch,
       licensing.receipt_day('2025-03-05 18:00+05') AS at_day_end,
       licensing.receipt_day('2024-12-27 17:45+05') AS fri_1745,
       licensing.receipt_day('2024-12-27 18:45+05') AS fri_1845,
       licensing.receipt_day('2025-03-08 11:00+05') AS saturday,
       licensing.receipt_day('2025-03-07 19:00+05') AS fri_evening_before_carry;
-- local date, not UTC: 20:30 UTC on Tuesday is 01:30 on Wednesday in UTC+5
SELECT licensing.receipt_day('2025-03-04 20:30+00') AS wednesday_night;

-- == term_due_on
SELECT licensing.term_due_on('2025-03-05', '15 working days') AS wd15,
       licensing.term_due_on('2024-12-27', '15 working days') AS wd15_new_year,
       licensing.term_due_on('2025-03-05', '15 days') AS days15_are_working_days,
       licensing.term_due_on('2025-03-05', '2 working days') AS wd2,
       licensing.term_due_on('2025-03-05', '1 working day') AS wd1;
-- months: same date next month, else its last day, then the next working day
SELECT licensing.term_due_on('2025-03-05', '1 month') AS sat_5_apr_moves_to_mon,
       licensing.term_due_on('2025-01-31', '1 month') AS jan_31_to_feb_28,
       licensing.term_due_on('2024-01-31', '1 month') AS leap_feb_29,
       licensing.term_due_on('2025-02-07', '1 month') AS mar_7_working,
       licensing.term_due_on('2025-02-08', '1 month') AS mar_8_holiday_then_carry,
       licensing.term_due_on('2025-03-03', '1 Month') AS case_ignored,
       licensing.term_due_on('2024-12-03', '2 months') AS two_months;

-- == norm_due_at (step norms)
SELECT licensing.norm_due_at('2025-02-28 17:30+05', '2 hours') AS h2,
       licensing.norm_due_at('2025-03-05 17:50+05', '15 minutes') AS m15,
       licensing.norm_due_at('2025-03-05 10:00+05', '2 working days') AS wd2_end_of_fri,
       licensing.norm_due_at('2025-03-05 19:00+05', '2 working days') AS wd2_after_hours,
       licensing.norm_due_at('2025-03-05 10:00+05', '15 days') AS d15,
       licensing.norm_due_at('2025-03-05 10:00+05', '1 month') AS month1;
SELECT licensing.norm_due_at('2025-03-05 10:00+05', '2 working days', '{"time_zone": "<+06>-06"}'::jsonb) AS end_of_day_in_utc6;

-- == bad input: clear errors
SELECT licensing.is_working_day(NULL);
SELECT licensing.is_working_day('infinity');
SELECT licensing.is_working_day('-infinity');
SELECT licensing.is_working_day('2011-12-31');
SELECT licensing.is_working_day('2028-01-03');
SELECT licensing.add_working_days('2027-12-20', 30);
SELECT licensing.add_working_days('2012-01-10', -10);
SELECT licensing.add_working_days('2025-03-05', 2147483647);
SELECT licensing.add_working_days('2025-03-05', -2147483648);
SELECT licensing.add_working_days('2025-03-05', NULL);
SELECT licensing.add_working_days(NULL, 3);
SELECT licensing.working_days_between('2025-03-05', '2030-01-01');
SELECT licensing.working_days_between(NULL, '2025-01-01');
SELECT licensing.add_working_time(NULL, '2 hours');
SELECT licensing.add_working_time('infinity', '2 hours');
SELECT licensing.add_working_time('2025-03-05 10:00+05', NULL);
SELECT licensing.add_working_time('2025-03-05 10:00+05', '1 day');
SELECT licensing.add_working_time('2025-03-05 10:00+05', '1 mon');
SELECT licensing.add_working_time('2025-03-05 10:00+05', '-2 hours');
SELECT licensing.add_working_time('2027-12-31 17:00+05', '2 hours');
SELECT licensing.add_working_time('2025-03-05 10:00+05', '2000000 hours');
SELECT licensing.working_time_between('2025-03-05 10:00+05', '2031-01-01 10:00+05');
SELECT licensing.check_schedule(NULL);
SELECT licensing.check_schedule('[]');
SELECT licensing.check_schedule('"09:00"');
SELECT licensing.check_schedule('{"day_begin": "09:00"}');
SELECT licensing.check_schedule('{"day_start": 9}');
SELECT licensing.check_schedule('{"day_start": "9:00"}');
SELECT licensing.check_schedule('{"day_end": "24:30"}');
SELECT licensing.check_schedule('{"day_start": "18:00", "day_end": "09:00"}');
SELECT licensing.check_schedule('{"day_start": "13:00", "day_end": "14:00"}');
SELECT licensing.check_schedule('{"lunch_start": "14:00", "lunch_end": "13:00"}');
SELECT licensing.check_schedule('{"lunch_start": "08:00", "lunch_end": "10:00"}');
SELECT licensing.check_schedule('{"time_zone": "+05:00"}');
SELECT licensing.check_schedule('{"time_zone": "UTC+5"}');
SELECT licensing.check_schedule('{"time_zone": "Asia/Nowhere"}');
SELECT licensing.check_schedule('{"time_zone": ""}');
SELECT licensing.add_working_time('2025-03-05 10:00+05', '2 hours', '{"day_start": "25:00"}'::jsonb);
SELECT licensing.receipt_day(NULL);
SELECT licensing.receipt_day('2030-06-01 10:00+05');
SELECT licensing.term_due_on(NULL, '1 month');
SELECT licensing.term_due_on('2025-03-05', NULL);
SELECT licensing.term_due_on('2025-03-05', '');
SELECT licensing.term_due_on('2025-03-05', 'fifteen days');
SELECT licensing.term_due_on('2025-03-05', '15 weeks');
SELECT licensing.term_due_on('2025-03-05', '0 days');
SELECT licensing.term_due_on('2025-03-05', '-3 days');
SELECT licensing.term_due_on('2025-03-05', '99999999999 days');
SELECT licensing.term_due_on('2025-03-05', '2 hours');
SELECT licensing.term_due_on('2027-12-15', '1 month');
SELECT licensing.term_due_on('2025-03-05', '5000 months');
SELECT licensing.norm_due_at('2025-03-05 10:00+05', '2 fortnights');
SELECT licensing.norm_due_at(NULL, '2 hours');
-- the provider table belongs to the workflow; a named provider needs it
SELECT count(*) AS provider_table FROM pg_class WHERE relname = 'provider' AND relnamespace = 'licensing'::regnamespace;

-- == the calendar is data: a DBA's changes are seen at once (same session)
BEGIN;
-- Wed 11 Jun 2025 declared a day off
INSERT INTO licensing.calendar_exception (day, kind, name) VALUES ('2025-06-11', 'day_off', 'test: a decree');
SELECT licensing.is_working_day('2025-06-11') AS wed_11_jun, licensing.add_working_days('2025-06-10', 1) AS after_tue;
ROLLBACK;
-- the rollback undoes it in the cache too
SELECT licensing.is_working_day('2025-06-11') AS wed_11_jun_again;
-- a year is added with holidays, decree rows and the carry generator
BEGIN;
SET LOCAL ROLE licensing_admin;
INSERT INTO licensing.calendar_year (year, source) VALUES (2028, 'test: a year added by a DBA');
INSERT INTO licensing.calendar_exception (day, kind, name, carries) VALUES
    ('2028-01-01', 'holiday', 'New Year', true), ('2028-01-02', 'holiday', 'New Year', true),
    ('2028-01-07', 'holiday', 'Orthodox Christmas', false),
    ('2028-03-08', 'holiday', 'International Women''s Day', true),
    ('2028-05-05', 'holiday', 'Kurban Ait', false), ('2028-05-06', 'working_day', 'test: a decree', true);
SELECT licensing.calendar_generate_carries(2028) AS added, licensing.calendar_generate_carries(2028) AS added_again;
SELECT day, to_char(day, 'Dy') AS dow, kind, name, carry_of, shipped FROM licensing.calendar_exception
 WHERE day >= '2028-01-01' ORDER BY day;
SELECT licensing.add_working_days('2027-12-30', 1) AS into_2028, licensing.is_working_day('2028-05-06') AS sat_6_may_2028;
SELECT licensing.calendar_generate_carries(2029);
RESET ROLE;
ROLLBACK;
SELECT licensing.calendar_covers('2028-01-04') AS covers_2028_after_rollback;
-- a gap year: 2030 without 2028-2029
BEGIN;
INSERT INTO licensing.calendar_year (year, source) VALUES (2030, 'test');
SELECT licensing.is_working_day('2030-01-04') AS fri_4_jan_2030, licensing.calendar_covers('2029-01-04') AS covers_2029;
SELECT licensing.add_working_days('2027-12-30', 10);
ROLLBACK;
-- constraints on the data
INSERT INTO licensing.calendar_exception (day, kind, name) VALUES ('2025-06-14', 'day_off', 'a Saturday off');
INSERT INTO licensing.calendar_exception (day, kind, name) VALUES ('2025-06-11', 'working_day', 'a Wednesday made working');
INSERT INTO licensing.calendar_exception (day, kind, name) VALUES ('2025-06-11', 'feast', 'unknown kind');
INSERT INTO licensing.calendar_year (year, source) VALUES (3000, 'far');
-- the public may read the calendar but not change it
SET ROLE licensing_portal;
SELECT count(*) > 0 AS can_read FROM licensing.calendar_exception;
INSERT INTO licensing.calendar_exception (day, kind, name) VALUES ('2025-06-11', 'day_off', 'not allowed');
SELECT licensing.calendar_generate_carries(2025);
RESET ROLE;

-- == dump: only rows users add or change; an inserted row replaces a shipped one
SELECT c.relname, x.extcondition[e.n] AS dump_condition
  FROM pg_extension x
 CROSS JOIN LATERAL unnest(x.extconfig) WITH ORDINALITY AS e(oid, n)
  JOIN pg_class c ON c.oid = e.oid
 WHERE x.extname = 'licensing' AND c.relname LIKE 'calendar%' ORDER BY 1;
BEGIN;
-- correct the expected Kurban Ait 2026 (shipped) by inserting the announced day
INSERT INTO licensing.calendar_exception (day, kind, name, carries) VALUES ('2026-05-27', 'holiday', 'Kurban Ait (announced)', false);
UPDATE licensing.calendar_exception SET name = 'Capital Day (checked)' WHERE day = '2026-07-06';
SELECT day, name, shipped FROM licensing.calendar_exception WHERE day IN ('2026-05-27', '2026-07-06') ORDER BY day;
ROLLBACK;

DROP EXTENSION licensing CASCADE;
