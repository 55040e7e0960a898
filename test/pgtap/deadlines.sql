-- Deadlines that act (issue #14, API §4.1): check_deadlines records, once per
-- step, due_soon (at most deadline_setting's share of the norm left, in working
-- time) and overdue, as events of the application's chain, against a pinned clock.
BEGIN;
SELECT plan(31);
\ir ../fixtures/signing.sql
SELECT test_pki.load_trust();
\ir ../fixtures/workflow.sql

CREATE FUNCTION wf_test.deadline_events(app bigint) RETURNS text LANGUAGE sql AS $$
    SELECT COALESCE(string_agg(e.what || ':' || (e.payload->>'step'), ',' ORDER BY e.seq), '')
      FROM licensing.application_event e WHERE e.application = app AND e.what IN ('due_soon', 'overdue')
$$;

-- Monday 3 March 2025, 10:00 (UTC+5): submitted at South Kazakhstan, where
-- register is due 15 minutes later (No 441 of 28.12.2015, §5: a quarter of it is 3 min 45 s)
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko') AS a \gset
SELECT wf_test.advance(:a, 'submitted') IS NOT NULL AS submitted;
SELECT ok((SELECT step = 'register' AND step_due_at = '2025-03-03 10:15+05' FROM licensing.application WHERE id = :a),
    'register is due at 10:15');

-- ---- nothing is due yet
SELECT licensing.set_clock('2025-03-03 10:11:00+05');
SELECT wf_test.snapshot(:a) AS s0 \gset
SELECT is(licensing.check_deadlines(licensing.clock()), 0, 'at 10:11 (4 of 15 minutes left, more than a quarter) nothing is due soon');
SELECT is(wf_test.snapshot(:a), :'s0', 'and nothing was recorded');

-- ---- due soon: once
SELECT licensing.set_clock('2025-03-03 10:12:00+05');
SELECT is(licensing.check_deadlines(licensing.clock()), 1, 'at 10:12 (3 minutes left) the step is due soon: one event');
SELECT is(wf_test.deadline_events(:a), 'due_soon:register', 'a due_soon event of the register step in the application''s chain');
SELECT is((SELECT payload FROM licensing.application_event WHERE application = :a AND what = 'due_soon'),
    (SELECT licensing._row_json(x, ARRAY['step', 'step_position', 'step_performer', 'step_started_at', 'step_due_at'])
       FROM licensing.application x WHERE x.id = :a),
    'its payload is the open step as the row holds it');
SELECT is((SELECT from_state || '>' || to_state || ' ' || (step IS NULL) FROM licensing.application_event WHERE application = :a AND what = 'due_soon'),
    'submitted>submitted true', 'it stands in the state and closes no step');
SELECT wf_test.snapshot(:a) AS s1 \gset
SELECT is(licensing.check_deadlines(licensing.clock()), 0, 'a second sweep records nothing');
SELECT is(wf_test.snapshot(:a), :'s1', 'idempotent: the chain is as it was');
SELECT ok(licensing.verify_history(:a), 'verify_history accepts the due_soon event');

-- ---- overdue: once
SELECT licensing.set_clock('2025-03-03 10:20:00+05');
SELECT is(licensing.check_deadlines(licensing.clock()), 1, 'at 10:20 the step is overdue: one event');
SELECT is(licensing.check_deadlines(licensing.clock()), 0, 'and not twice');
SELECT is(wf_test.deadline_events(:a), 'due_soon:register,overdue:register', 'due_soon, then overdue, once each');
SELECT is((SELECT state FROM licensing.application WHERE id = :a), 'submitted', 'the application did not move');

-- ---- the next step is a new step: its own events; a step first seen overdue gets only overdue
SELECT licensing.set_clock('2025-03-03 10:25:00+05');
SELECT lives_ok(format($$SELECT wf_test.as_role('wf_clerk', 'SELECT licensing.register(%s)')$$, :a), 'the late register still happens');
SELECT ok(licensing.verify_history(:a), 'verify_history accepts the chain with its deadline events and the late step');
SELECT is((SELECT violation FROM licensing.application_step WHERE application = :a AND step = 'register'), true,
    'the late step is still a violation when it closes');
SELECT licensing.set_clock('2025-03-03 14:30:00+05');
SELECT is(licensing.check_deadlines(licensing.clock()), 1, 'assign (2 working hours from 10:25, due 13:25 after lunch) swept at 14:30: one event');
SELECT is(wf_test.deadline_events(:a), 'due_soon:register,overdue:register,overdue:assign', 'only overdue for a step first seen past due');

-- ---- the share is data: a DBA sets one half
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko') AS b \gset
SELECT licensing.set_clock('2025-03-04 10:00:00+05');
SELECT wf_test.advance(:b, 'submitted') IS NOT NULL AS submitted;
SELECT licensing.set_clock('2025-03-04 10:08:00+05');
SELECT is(licensing.check_deadlines(licensing.clock()), 0, 'at 10:08, 7 of 15 minutes left: not due soon at the default quarter');
SELECT lives_ok($$SELECT wf_test.as_role('wf_admin', 'INSERT INTO licensing.deadline_setting (due_soon_share) VALUES (0.5) RETURNING 1')$$,
    'licensing_admin sets the share to one half');
SELECT is(licensing.check_deadlines(licensing.clock()), 1, 'then 7 of 15 minutes left is due soon');
SELECT throws_ok($$INSERT INTO licensing.deadline_setting (singleton, due_soon_share) VALUES (false, 0.3)$$, '23514', NULL,
    'one setting row only');

-- ---- a sweep voids no signature: deadline events are no change of the application
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko') AS c \gset
SELECT licensing.set_clock('2025-03-05 10:00:00+05');
SELECT wf_test.advance(:c, 'decided') IS NOT NULL AS decided;
SELECT licensing.decision_payload(:c) AS p0 \gset
SELECT test_pki.sign(licensing.decision_payload(:c), 'head') AS dsig \gset
SELECT licensing.set_clock('2025-03-06 10:00:00+05');
SELECT ok(licensing.check_deadlines(licensing.clock()) > 0, 'the sweep records the sign_decision step overdue');
SELECT is(licensing.decision_payload(:c), :'p0'::bytea, 'the decision payload (its revision) is unchanged by the sweep');
SELECT lives_ok(format($$SELECT wf_test.sign_as('wf_head', %s, %L)$$, :c, :'dsig'), 'the head''s signature made before the sweep signs after it');

-- ---- refusals: nothing recorded
SELECT licensing.set_clock('2025-03-10 10:00:00+05');
SELECT (SELECT count(*) FROM licensing.application_event) AS n0 \gset
SELECT throws_ok($$SELECT licensing.check_deadlines(licensing.clock() + interval '1 second')$$, '22023', NULL,
    'a sweep cannot look ahead: a moment after the clock is refused');
SELECT throws_ok($$SELECT licensing.check_deadlines(NULL)$$, '22023', NULL, 'NULL is refused');
SELECT throws_ok($$SELECT wf_test.as_role('wf_head', 'SELECT licensing.check_deadlines()')$$, '42501', NULL,
    'staff may not run the sweep (licensing_admin, pg_cron''s role)');
SELECT is((SELECT count(*) FROM licensing.application_event), :n0::bigint, 'the refused sweeps recorded nothing');

-- ---- verify_history checks what a deadline event claims: one naming another step breaks the replay
SELECT licensing._append_event(:b, 'due_soon', 'submitted', 'submitted',
    jsonb_build_object('step', 'deliver', 'step_position', 6, 'step_performer', 'clerk',
                       'step_started_at', '2025-03-04T05:00:00+00:00', 'step_due_at', '2025-03-04T05:15:00+00:00'));
SELECT ok(NOT licensing.verify_history(:b), 'a forged deadline event naming a step that was not open fails verify_history');

SELECT * FROM finish();
ROLLBACK;
