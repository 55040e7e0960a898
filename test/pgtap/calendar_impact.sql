-- calendar_changes_impact (API §7.1): what a change of a day would move.  For
-- every day of March to May 2025 the function's answer is compared with what
-- really happens: the day is changed (a working day made a day off, a day off
-- made working), the calendar's trigger moves what it moves
-- (68_calendar_moves.sql), the moved applications are read back, and the
-- change is rolled back.  A change that would shorten a running term moves
-- nothing, and the impact says so.
BEGIN;
SELECT plan(11);
\ir ../fixtures/signing.sql
SELECT test_pki.load_trust();
\ir ../fixtures/workflow.sql

-- open applications with working-day and month terms, received on several days
SELECT licensing.set_clock('2025-03-03 10:00+05');
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko', 'office') AS a1 \gset
SELECT wf_test.advance(:a1, 'registered') AS state_a1 \gset
SELECT wf_test.draft('eco-expertise', '901120405675', 'krg', 'office') AS a2 \gset
SELECT wf_test.advance(:a2, 'submitted') AS state_a2 \gset
SELECT licensing.set_clock('2025-03-19 17:30+05');
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko', 'office') AS a3 \gset
SELECT wf_test.advance(:a3, 'submitted') AS state_a3 \gset
SELECT licensing.set_clock('2025-03-31 11:00+05');
SELECT wf_test.draft('eco-expertise', '901120405675', 'krg', 'office') AS a4 \gset
SELECT wf_test.advance(:a4, 'assigned') AS state_a4 \gset
SELECT licensing.set_clock('2025-04-08 09:30+05');
SELECT wf_test.draft('scrap-metal', '160140001230', 'alm', 'office') AS done \gset
SELECT wf_test.advance(:done, 'delivered') AS state_done \gset
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko', 'office') AS draft \gset

-- What really happens: change the day, read what the trigger moved, undo.
CREATE TEMP TABLE before AS SELECT * FROM licensing.application WITH NO DATA;
CREATE FUNCTION pg_temp.really(d date)
RETURNS TABLE (app bigint, new_due date, new_end timestamptz, new_step_due timestamptz, new_receipt date)
LANGUAGE plpgsql AS $$
DECLARE
    moved record;
    rows bigint[] := '{}';
    dues date[] := '{}';
    ends timestamptz[] := '{}';
    steps timestamptz[] := '{}';
    receipts date[] := '{}';
BEGIN
    TRUNCATE before;
    INSERT INTO before SELECT * FROM licensing.application;
    BEGIN
        IF licensing.is_working_day(d) THEN
            IF extract(isodow FROM d) >= 6 THEN
                DELETE FROM licensing.calendar_exception WHERE day = d;                -- a worked weekend day
            ELSE
                INSERT INTO licensing.calendar_exception (day, kind, name) VALUES (d, 'day_off', 'test');
            END IF;
        ELSE
            IF extract(isodow FROM d) >= 6 THEN
                INSERT INTO licensing.calendar_exception (day, kind, name) VALUES (d, 'working_day', 'test');
            ELSE
                DELETE FROM licensing.calendar_exception WHERE day = d;                -- a holiday or day off
            END IF;
        END IF;
        FOR moved IN SELECT a.id, a.due_on, a.term_end_at, a.step_due_at, a.receipt_day
                       FROM licensing.application a JOIN before b ON b.id = a.id
                      WHERE (a.due_on, a.term_end_at, a.step_due_at, a.receipt_day)
                            IS DISTINCT FROM (b.due_on, b.term_end_at, b.step_due_at, b.receipt_day) LOOP
            rows := rows || moved.id;
            dues := dues || moved.due_on;
            ends := ends || moved.term_end_at;
            steps := steps || moved.step_due_at;
            receipts := receipts || moved.receipt_day;
        END LOOP;
        RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = 'undo';
    EXCEPTION WHEN raise_exception THEN
        NULL;
    END;
    RETURN QUERY SELECT * FROM unnest(rows, dues, ends, steps, receipts);
END $$;

SELECT results_eq(format($$SELECT application, due_on, due_on_if_changed FROM licensing.calendar_changes_impact('2025-04-03')
                           WHERE application IN (%s, %s)$$, :a2, :a3),
    format($$VALUES (%s::bigint, '2025-04-03'::date, '2025-04-04'::date), (%s, (SELECT due_on FROM licensing.application WHERE id = %s),
                   licensing.add_working_days((SELECT due_on FROM licensing.application WHERE id = %s), 1))$$, :a2, :a3, :a3, :a3),
    'Thu 3 Apr 2025 made a day off would move the month term due that day to Fri 4 Apr, and a working-day term running over it by a day');
SELECT is(licensing.is_working_day('2025-04-03'), true, 'the function changed nothing');
SELECT is_empty(format($$SELECT * FROM licensing.calendar_changes_impact('2025-04-03')
                   WHERE application IN (%s, %s)$$, :done, :draft), 'delivered applications and drafts are not listed');

CREATE TEMP TABLE mismatch AS
SELECT d::date AS day, x.*
  FROM generate_series('2025-03-01'::date, '2025-05-15', '1 day') d,
       LATERAL ((SELECT application, due_on_if_changed, term_end_at_if_changed, step_due_at_if_changed, receipt_day_if_changed
                   FROM licensing.calendar_changes_impact(d::date)
                 EXCEPT SELECT * FROM pg_temp.really(d::date))
                UNION ALL
                (SELECT * FROM pg_temp.really(d::date)
                 EXCEPT SELECT application, due_on_if_changed, term_end_at_if_changed, step_due_at_if_changed, receipt_day_if_changed
                          FROM licensing.calendar_changes_impact(d::date))) x;
SELECT is((SELECT count(*) FROM mismatch), 0::bigint,
    'for every day of March to May 2025, the impact is exactly what changing the day really moves');
SELECT is((SELECT count(DISTINCT d) FROM generate_series('2025-03-01'::date, '2025-05-15', '1 day') d
            WHERE EXISTS (SELECT FROM licensing.calendar_changes_impact(d::date))) > 20, true,
    'and many of those days move something (the comparison is not empty)');
SELECT is((SELECT count(*) FROM licensing.calendar_changes_impact('2025-04-03') WHERE step_due_at_if_changed <> step_due_at) > 0,
          true, 'open steps'' due moments are among what moves');
-- Sat 29 Mar 2025 made working would shorten the working-day terms running over it
-- (the law counts it), but a running term never gets shorter: nothing moves.
SELECT is((SELECT count(*) FROM licensing.application a JOIN licensing.service s ON s.code = a.service
            WHERE a.id = :a3 AND a.receipt_day < '2025-03-29' AND a.due_on > '2025-03-29'), 1::bigint,
          'a working-day term runs over Sat 29 Mar 2025');
SELECT is_empty($$SELECT * FROM licensing.calendar_changes_impact('2025-03-29')$$,
    'making that Saturday working moves nothing: a running term never gets shorter');
SELECT is(licensing.is_working_day('2025-03-24'), false, 'the calendar is as it was after the comparison');

SELECT throws_ok($$SELECT wf_test.as_role('wf_clerk', 'SELECT * FROM licensing.calendar_changes_impact(''2025-03-12'')')$$,
    '42501', NULL, 'staff cannot call it (it lists every provider''s applications)');
SELECT is(wf_test.as_role('wf_reporter', 'SELECT count(*) FROM licensing.calendar_changes_impact(''2025-04-03'')'),
          (SELECT count(*)::text FROM licensing.calendar_changes_impact('2025-04-03')), 'a reporter can');

SELECT * FROM finish();
ROLLBACK;
