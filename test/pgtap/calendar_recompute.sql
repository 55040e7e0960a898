-- A calendar change moves the terms of running applications (issue #18,
-- 68_calendar_moves.sql, src/calendar_moves.c): what it lengthens moves, each
-- application by a calendar_change event naming the decree; what it would
-- shorten stays; closed applications and drafts never change; only the
-- calendar's own trigger makes that move, and only licensing_admin changes
-- the calendar.
BEGIN;
SELECT plan(27);
\ir ../fixtures/signing.sql
SELECT test_pki.load_trust();
\ir ../fixtures/workflow.sql

SELECT licensing.set_clock('2025-03-03 10:00+05');
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko', 'office') AS a \gset
SELECT wf_test.advance(:a, 'registered');
SELECT wf_test.draft('scrap-metal', '160140001230', 'alm', 'office') AS done \gset
SELECT wf_test.advance(:done, 'delivered');
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko', 'office') AS draft \gset
CREATE TEMP TABLE was AS SELECT * FROM licensing.application;

-- 1. A decree makes Wed 12 Mar 2025 a day off: the 15-working-day term moves by a day.
SET ROLE wf_admin;
INSERT INTO licensing.calendar_exception (day, kind, name)
VALUES ('2025-03-12', 'day_off', 'Day off: Government decree No 999 of 2025 (test)');
RESET ROLE;
SELECT is((SELECT due_on FROM licensing.application WHERE id = :a),
          licensing.add_working_days((SELECT due_on FROM was WHERE id = :a), 1),
          'the term''s due day moved by the working day the decree took');
SELECT is((SELECT term_end_at FROM licensing.application WHERE id = :a),
          licensing.norm_due_at((SELECT submitted_at FROM was WHERE id = :a), '15 working days', 'sko'),
          'and its end moment, as submit counts it on the new calendar');
SELECT is((SELECT concat_ws(' ', what, from_state, to_state, actor_role)
             FROM licensing.application_event WHERE application = :a ORDER BY seq DESC LIMIT 1),
          'calendar_change registered registered wf_admin',
          'the move is an event of the chain, by the role that changed the calendar, in the state it stands');
SELECT is((SELECT payload -> 'calendar' -> 0 ->> 'name' FROM licensing.application_event
            WHERE application = :a ORDER BY seq DESC LIMIT 1),
          'Day off: Government decree No 999 of 2025 (test)', 'the event names the decree');
SELECT is((SELECT payload -> 'calendar' -> 0 ->> 'source' FROM licensing.application_event
            WHERE application = :a ORDER BY seq DESC LIMIT 1),
          (SELECT source FROM licensing.calendar_year WHERE year = 2025), '... and the year''s sources');
SELECT is((SELECT (payload ->> 'due_on')::date FROM licensing.application_event
            WHERE application = :a ORDER BY seq DESC LIMIT 1),
          (SELECT due_on FROM licensing.application WHERE id = :a), '... and records the moved columns');
SELECT is((SELECT step_due_at FROM licensing.application WHERE id = :a),
          (SELECT step_due_at FROM was WHERE id = :a), 'the open step due on 3 March does not move');
SELECT ok(licensing.verify_history(:a), 'the chain verifies with the move in it');
SELECT is((SELECT count(*) FROM licensing.application_event WHERE application IN (:done, :draft) AND what = 'calendar_change'),
          0::bigint, 'a delivered application and a draft get no event');
SELECT is((SELECT (due_on, term_end_at) FROM licensing.application WHERE id = :done),
          (SELECT (due_on, term_end_at) FROM was WHERE id = :done), 'and a delivered application keeps its term');
SELECT is((SELECT (a.id, a.due_on) FROM licensing.application a WHERE a.id = :draft),
          (SELECT (w.id, w.due_on) FROM was w WHERE w.id = :draft), 'so does the draft');

-- 2. Mon 3 Mar 2025, the day of receipt, becomes a day off: receipt day and the open step move.
SET ROLE wf_admin;
INSERT INTO licensing.calendar_exception (day, kind, name)
VALUES ('2025-03-03', 'day_off', 'Day off: Government decree No 1000 of 2025 (test)');
RESET ROLE;
SELECT is((SELECT receipt_day FROM licensing.application WHERE id = :a), '2025-03-04'::date,
          'an application received on a day made off counts as received on the next working day');
SELECT is((SELECT step_due_at FROM licensing.application WHERE id = :a), '2025-03-04 11:00+05'::timestamptz,
          'the open step''s two working hours run from the next working day');
SELECT ok(licensing.verify_history(:a), 'the chain verifies');
SELECT wf_test.advance(:a, 'assigned');
SELECT is((SELECT step_due_at FROM licensing.application_event WHERE application = :a AND what = 'assign'),
          '2025-03-04 11:00+05'::timestamptz, 'the next step closes the step with its moved due moment');
SELECT ok(licensing.verify_history(:a), 'and the chain still verifies');

-- 3. A change that would shorten the running term moves nothing back.
CREATE TEMP TABLE moved AS SELECT * FROM licensing.application WHERE id = :a;
SET ROLE wf_admin;
DELETE FROM licensing.calendar_exception WHERE day = '2025-03-12';
RESET ROLE;
SELECT is((SELECT (due_on, term_end_at, receipt_day, step_due_at) FROM licensing.application WHERE id = :a),
          (SELECT (due_on, term_end_at, receipt_day, step_due_at) FROM moved),
          'the decree withdrawn: the term already given stays (a running term never gets shorter)');
SELECT is((SELECT count(*) FROM licensing.application_event WHERE application = :a AND what = 'calendar_change'),
          2::bigint, 'and no event is recorded for it');

-- 4. Who may change the calendar and thereby move terms.
SELECT throws_ok($$SELECT wf_test.as_role('wf_clerk', $q$INSERT INTO licensing.calendar_exception (day, kind, name)
                                                       VALUES ('2025-03-13', 'day_off', 'mine') RETURNING 1$q$)$$,
    '42501', NULL, 'staff cannot change the calendar');
SELECT is((SELECT count(*) FROM licensing.calendar_exception WHERE day = '2025-03-13'), 0::bigint,
          'and nothing changed');
SELECT is(has_function_privilege('wf_admin', 'licensing._calendar_recompute()', 'EXECUTE'), false,
          'the trigger function is not executable by PUBLIC (nor by the admin)');
SELECT throws_ok(format($$UPDATE licensing.application SET due_on = due_on + 30 WHERE id = %s$$, :a),
    '55000', NULL, 'outside the calendar''s trigger the move is refused, even to a superuser');
CREATE TEMP TABLE calendar_exception (day date, kind text, name text);
CREATE TRIGGER look_alike AFTER INSERT ON pg_temp.calendar_exception REFERENCING NEW TABLE AS new_days
    FOR EACH STATEMENT EXECUTE FUNCTION licensing._calendar_recompute();
SELECT throws_ok($$INSERT INTO pg_temp.calendar_exception VALUES ('2025-03-14', 'day_off', 'x')$$,
    '39P01', NULL, 'the trigger function refuses a look-alike table');
SELECT is((SELECT count(*) FROM licensing.workflow_transitions() t
            WHERE 'calendar_change' = ANY (t.events) AND t.performer = 'calendar' AND t.from_state = t.to_state
              AND t.from_state NOT IN ('draft', 'delivered', 'withdrawn')), 8::bigint,
          'the move is a row of the transition table in each open state, and in no other');

-- 5. verify_history knows the move only where the table has it: a chain-valid
-- calendar_change forged (by a superuser) into a delivered application fails it.
CREATE FUNCTION pg_temp.forge(app bigint) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    last licensing.application_event;
    e licensing.application_event;
    st text := (SELECT a.state FROM licensing.application a WHERE a.id = app);
BEGIN
    -- the hash made as the chain makes it (README "Hash chains"), so only the table can refuse it
    SELECT * INTO last FROM licensing.application_event x WHERE x.application = app ORDER BY x.seq DESC LIMIT 1;
    e := last;
    e.seq := last.seq + 1; e.actor_role := 'postgres'; e.actor_iin := NULL; e.what := 'calendar_change';
    e.from_state := st; e.to_state := st; e.payload := '{}'; e.prev_hash := last.hash;
    e.step := NULL; e.step_position := NULL; e.step_performer := NULL; e.step_started_at := NULL; e.step_due_at := NULL;
    e.chain_encoding := 2;
    e.hash := licensing._chain_hash(e);
    INSERT INTO licensing.application_event SELECT e.*;
END
$$;
SELECT pg_temp.forge(:a);
SELECT ok(licensing.verify_history(:a), 'a calendar_change (moving nothing) in an open state is a move of the table: the chain verifies');
SELECT ok(licensing.verify_history(:done), 'the delivered application verifies before');
SELECT pg_temp.forge(:done);
SELECT is(licensing.verify_history(:done), false, 'the same event in a delivered application fails verify_history');

SELECT * FROM finish();
ROLLBACK;
