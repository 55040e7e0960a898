-- A calendar that does not run out (API §7.1, issue #18): licensing.calendar_status
-- says how far the calendar reaches, and a submit whose term would end in a year
-- the calendar lacks is refused with 22023 naming that year and the fix, before
-- anything is written (no number taken, no event, the draft unchanged).
BEGIN;
SELECT plan(27);
\ir ../fixtures/signing.sql
SELECT test_pki.load_trust();
\ir ../fixtures/workflow.sql

-- The SQLSTATE, message and hint a statement raises (NULL when it does not raise).
CREATE FUNCTION pg_temp.error_of(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE m text; h text;
BEGIN
    EXECUTE q;
    RETURN NULL;
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS m = MESSAGE_TEXT, h = PG_EXCEPTION_HINT;
    RETURN SQLSTATE || ' | ' || m || ' | ' || COALESCE(h, '');
END $$;

-- ---- calendar_status -----------------------------------------------------------
SELECT has_view('licensing', 'calendar_status', 'licensing.calendar_status exists');
SELECT columns_are('licensing', 'calendar_status',
    ARRAY['covered_from', 'covered_to', 'missing_years', 'first_uncovered', 'days_left',
          'open_applications', 'open_due_within_6_months', 'status'],
    'calendar_status: covered years, gaps, first uncovered day, days left, open terms, status');
SELECT results_eq(
    $$SELECT covered_from, covered_to, missing_years, first_uncovered, days_left, status
        FROM licensing._calendar_status_at('2026-12-03')$$,
    $$VALUES (2012, 2027, '{}'::integer[], '2028-01-01'::date, 394, 'ok')$$,
    'on 3 Dec 2026 the calendar covers 2012-2027 and runs out on 1 Jan 2028, 394 days away');
SELECT is((SELECT status FROM licensing._calendar_status_at('2027-07-01')), 'warning',
    'six months before the end the status is warning');
SELECT is((SELECT status FROM licensing._calendar_status_at('2027-06-30')), 'ok',
    'the day before, with no open term near the end, ok');
SELECT results_eq(
    $$SELECT first_uncovered, days_left, status FROM licensing._calendar_status_at('2028-02-01')$$,
    $$VALUES ('2028-02-01'::date, 0, 'expired')$$,
    'on a day the calendar does not cover, the status is expired and that day is the first uncovered');
SELECT is((SELECT first_uncovered FROM licensing.calendar_status),
          (SELECT first_uncovered FROM licensing._calendar_status_at(((now() AT TIME ZONE 'UTC') + interval '5 hours')::date)),
          'the view reports as of Kazakhstan''s date today');

-- a gap between covered years is reported; a DBA's added year moves the end
DELETE FROM licensing.calendar_year WHERE year = 2020;
INSERT INTO licensing.calendar_year (year, source) VALUES (2028, 'test: a DBA adds 2028');
SELECT results_eq(
    $$SELECT missing_years, first_uncovered FROM licensing._calendar_status_at('2026-12-03')$$,
    $$VALUES ('{2020}'::integer[], '2029-01-01'::date)$$,
    'a missing year between covered ones is listed; an added year moves the first uncovered day');
DELETE FROM licensing.calendar_year WHERE year = 2028;
INSERT INTO licensing.calendar_year (year, source) VALUES (2020, 'test: back');

-- who may read it: admins and reporters; the counts span every provider
SELECT ok(has_table_privilege('licensing_reporter', 'licensing.calendar_status', 'SELECT')
          AND has_table_privilege('licensing_admin', 'licensing.calendar_status', 'SELECT'),
    'admins and reporters read calendar_status');
SELECT ok(NOT has_table_privilege('licensing_staff', 'licensing.calendar_status', 'SELECT')
          AND NOT has_table_privilege('licensing_portal', 'licensing.calendar_status', 'SELECT')
          AND NOT has_table_privilege('licensing_gateway', 'licensing.calendar_status', 'SELECT'),
    'staff, the portal and the gateway do not (it counts every provider''s applications)');
SELECT throws_ok($$SELECT wf_test.as_role('wf_clerk', 'SELECT status FROM licensing._calendar_status_at(''2027-01-01'')')$$,
    '42501', NULL, 'staff cannot call the counting function behind the view');
SELECT throws_ok($$SELECT wf_test.as_role('wf_portal', 'SELECT status FROM licensing._calendar_status_at(''2027-01-01'')')$$,
    '42501', NULL, 'nor can the portal');
SELECT is(wf_test.as_role('wf_reporter', 'SELECT status FROM licensing.calendar_status'),
          (SELECT status FROM licensing.calendar_status), 'a reporter reads the view');
SELECT throws_ok($$SELECT * FROM licensing._calendar_status_at(NULL)$$, '22023', NULL, 'a NULL day is 22023');

-- open applications whose term ends within six months of the end
SELECT open_applications AS open0, open_due_within_6_months AS near0
  FROM licensing._calendar_status_at('2027-01-01') \gset
SELECT licensing.set_clock('2027-11-01 10:00+05');
SELECT wf_test.advance(wf_test.draft('scrap-metal', '160140001230', 'sko', 'office'), 'registered') AS near_app \gset
SELECT licensing.set_clock('2027-02-01 10:00+05');
SELECT wf_test.advance(wf_test.draft('scrap-metal', '160140001230', 'sko', 'office'), 'registered') AS far_app \gset
SELECT results_eq(
    format($$SELECT open_applications - %s, open_due_within_6_months - %s, status
               FROM licensing._calendar_status_at('2027-01-01')$$, :open0, :near0),
    $$VALUES (2::bigint, 1::bigint, 'warning')$$,
    'two open applications; the one due in November 2027 is within six months of the end, so: warning');

-- ---- submit near the end: refused, naming the year and the fix ------------------
SELECT licensing.set_clock('2027-12-20 10:00+05');
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko', 'office') AS late_app \gset
SELECT wf_test.pay(:late_app);
SELECT last_value AS seq0 FROM licensing.application_number_seq \gset
SELECT count(*) AS events0 FROM licensing.application_event \gset
SELECT wf_test.snapshot(:late_app) AS snap0 \gset
SELECT pg_temp.error_of(format($$SELECT wf_test.as_role('wf_clerk', 'SELECT licensing.submit(%s)')$$, :late_app)) AS err \gset
SELECT is(split_part(:'err', ' | ', 1), '22023', 'a term of 15 working days from 20 Dec 2027 is refused with 22023');
SELECT matches(split_part(:'err', ' | ', 2), '^a term of 15 working days from the receipt day 2027-12-20 runs into 2028, a year the working calendar does not cover$',
    'the message names the term, the receipt day and the missing year');
SELECT matches(split_part(:'err', ' | ', 3), 'adds the year 2028: .*calendar_year.*calendar_exception.*calendar_generate_carries\(2028\)',
    'the hint says how to add the year');
SELECT is(wf_test.snapshot(:late_app), :'snap0', 'the draft and its history are unchanged');
SELECT is((SELECT count(*) FROM licensing.application_event), :events0::bigint, 'no event was appended');
SELECT is((SELECT last_value FROM licensing.application_number_seq), :seq0::bigint, 'no application number was taken');
SELECT is((SELECT state FROM licensing.application WHERE id = :late_app), 'draft', 'it is still a draft');

-- a month's term runs into the missing year the same way
SELECT matches(pg_temp.error_of($$SELECT licensing.term_due_on('2027-12-20', '1 month')$$),
    '^22023 \| a term of 1 month from the receipt day 2027-12-20 runs into 2028',
    'term_due_on in months names the year too');
-- and a term that ends on the last covered day still works
SELECT is(licensing.term_due_on('2027-12-01', '15 working days'), '2027-12-23'::date,
    'a term ending inside the covered years is counted (16 Dec a holiday)');

-- once the DBA adds 2028, the same submit goes through
INSERT INTO licensing.calendar_year (year, source) VALUES (2028, 'test: a DBA adds 2028');
INSERT INTO licensing.calendar_exception (day, kind, name, carries) VALUES
    ('2028-01-01', 'holiday', 'New Year', true), ('2028-01-02', 'holiday', 'New Year', true),
    ('2028-01-07', 'holiday', 'Orthodox Christmas', false);
SELECT licensing.calendar_generate_carries(2028) AS carries_2028 \gset
SELECT is((wf_test.as_role('wf_clerk', format('SELECT licensing.submit(%s)', :late_app))::licensing.verdict).accepted, true,
    'after the DBA adds 2028 the submit is accepted');
SELECT is((SELECT due_on FROM licensing.application WHERE id = :late_app), '2028-01-13'::date,
    'and its due day is counted in 2028 (Sat 1 and Sun 2 Jan carried to Mon 3 and Tue 4, Fri 7 Jan off)');
SELECT is((SELECT status FROM licensing._calendar_status_at('2027-12-20')), 'ok',
    'and calendar_status as of 20 Dec 2027 reaches to 2029 again');

SELECT * FROM finish();
ROLLBACK;
