-- Bypass attempts (QUALITY R4, R5): raw writes per role, a superuser's stray
-- UPDATE, history edits, tampering found by verify_history, row-level security,
-- and who the actor is.
BEGIN;
SELECT plan(53);
\ir ../fixtures/signing.sql
SELECT test_pki.load_trust();
\ir ../fixtures/workflow.sql

SELECT wf_test.draft('scrap-metal', '160140001230', 'sko') AS a \gset
SELECT wf_test.advance(:a, 'submitted') IS NOT NULL AS submitted;
SELECT wf_test.draft('scrap-metal', '160140001230', 'alm', 'office') AS b \gset

-- ---- raw writes per role: no group role holds write privileges on applications or history
SELECT throws_ok(format($$SELECT wf_test.as_role(%L, 'UPDATE licensing.application SET state = ''registered'' WHERE id = %s')$$, r, :a),
    '42501', NULL, 'raw UPDATE of an application as ' || r || ' is refused')
  FROM unnest(ARRAY['wf_portal', 'wf_clerk', 'wf_head', 'wf_exec', 'wf_gateway', 'wf_reporter', 'wf_admin']) r;
SELECT throws_ok(format($$SELECT wf_test.as_role(%L, 'INSERT INTO licensing.application (service, operation, channel, applicant, provider, profile, state) VALUES (''scrap-metal'', ''issue'', ''portal'', ''160140001230'', ''sko'', ''south-kazakhstan-2015'', ''signed'')')$$, r),
    '42501', NULL, 'raw INSERT of an application as ' || r || ' is refused')
  FROM unnest(ARRAY['wf_portal', 'wf_clerk', 'wf_admin']) r;
SELECT throws_ok(format($$SELECT wf_test.as_role(%L, 'DELETE FROM licensing.application_event WHERE application = %s')$$, r, :a),
    '42501', NULL, 'raw DELETE of history as ' || r || ' is refused')
  FROM unnest(ARRAY['wf_clerk', 'wf_admin']) r;
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_gateway', 'INSERT INTO licensing.application_payment (application, amount, reference, paid_at) VALUES (%s, 1, ''raw'', now())')$$, :a),
    '42501', NULL, 'the gateway records payments only through record_payment');
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_clerk', 'UPDATE licensing.application_step SET finished_at = now() WHERE application = %s')$$, :a),
    '55000', NULL, 'steps are a view of the row and the history: nobody updates them there');
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_clerk', 'UPDATE licensing.application SET step_due_at = now() + interval ''1 year'' WHERE id = %s')$$, :a),
    '42501', NULL, 'staff cannot rewrite the open step''s due moment');
SELECT throws_ok(format($$UPDATE licensing.application SET step_due_at = now() + interval '1 year' WHERE id = %s$$, :a),
    '55000', NULL, 'nor can a superuser: the guard refuses a change of the step columns');

-- ---- a superuser's stray UPDATE meets the same guard
SELECT wf_test.snapshot(:a) AS s0 \gset
SELECT throws_ok(format('UPDATE licensing.application SET state = ''assigned'', executor = ''wf_exec'' WHERE id = %s', :a),
    '55000', NULL, 'a superuser cannot skip register');
SELECT throws_ok(format('UPDATE licensing.application SET state = ''registered'' WHERE id = %s', :a),
    '42501', NULL, 'a superuser who is not the provider''s clerk cannot register');
SELECT throws_ok(format('UPDATE licensing.application SET number = ''sko-2025-999999'' WHERE id = %s', :a),
    '55000', NULL, 'a superuser cannot renumber a submitted application');
SELECT throws_ok(format('UPDATE licensing.application SET applicant = ''901120405675'' WHERE id = %s', :a),
    '55000', NULL, 'a superuser cannot change the applicant');
SELECT throws_ok(format('DELETE FROM licensing.application WHERE id = %s', :a),
    '55000', NULL, 'a superuser cannot delete a submitted application');
SELECT throws_ok(format('UPDATE licensing.application SET state = ''submitted'' WHERE id = %s', :b),
    '42501', NULL, 'a superuser cannot submit an office draft');
SELECT is(wf_test.snapshot(:a), :'s0', 'none of the stray statements changed anything');
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_clerk', 'SELECT licensing.register(%s)')$$, 999999),
    'P0002', NULL, 'a step on an application that does not exist is P0002');

-- ---- history is append-only
SELECT throws_ok(format('UPDATE licensing.application_event SET what = ''x'' WHERE application = %s', :a),
    '55000', NULL, 'UPDATE of history fails even for a superuser');
SELECT throws_ok(format('DELETE FROM licensing.application_event WHERE application = %s', :a),
    '55000', NULL, 'DELETE of history fails even for a superuser');
SELECT throws_ok('TRUNCATE licensing.application_event', '55000', NULL, 'TRUNCATE of history fails');

-- ---- tampering with triggers off is detected
SELECT ok(licensing.verify_history(:a), 'the chain verifies before tampering');
SET LOCAL session_replication_role = replica;
SAVEPOINT tamper;
UPDATE licensing.application SET state = 'assigned', executor = 'wf_exec' WHERE id = :a;
RESET session_replication_role;
SELECT ok(NOT licensing.verify_history(:a), 'a state changed with triggers off is detected');
SELECT ok(NOT licensing.verify_history(), '... also when verifying every chain');
ROLLBACK TO SAVEPOINT tamper;
SET LOCAL session_replication_role = replica;
UPDATE licensing.application_event SET payload = '{"ground": "forged"}' WHERE application = :a AND seq = 2;
RESET session_replication_role;
SELECT ok(NOT licensing.verify_history(:a), 'an edited event breaks the chain');
ROLLBACK TO SAVEPOINT tamper;
SET LOCAL session_replication_role = replica;
DELETE FROM licensing.application_event WHERE application = :a AND seq = 2;
RESET session_replication_role;
SELECT ok(NOT licensing.verify_history(:a), 'a deleted event breaks the chain');
ROLLBACK TO SAVEPOINT tamper;
SELECT ok(licensing.verify_history(:a), 'untouched, the chain verifies again');

-- ---- steps live on the row (open) and on the event that closed them: both checked
-- (rolling back to "tamper" brought back the replica role set before it)
RESET session_replication_role;
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko') AS s \gset
SELECT wf_test.advance(:s, 'registered') IS NOT NULL AS registered;
SELECT is((SELECT count(*) FROM licensing.application_event WHERE application = :s AND step = 'register'), 1::bigint,
    'the register event carries the step it closed');
SAVEPOINT steps;
SET LOCAL session_replication_role = replica;
UPDATE licensing.application_event SET step_due_at = step_due_at + interval '30 days' WHERE application = :s AND step = 'register';
RESET session_replication_role;
SELECT ok(NOT licensing.verify_history(:s), 'a closed step''s due moment moved with triggers off is detected');
ROLLBACK TO SAVEPOINT steps;
SET LOCAL session_replication_role = replica;
UPDATE licensing.application SET step_due_at = step_due_at + interval '30 days' WHERE id = :s;
RESET session_replication_role;
SELECT ok(NOT licensing.verify_history(:s), 'an open step''s due moment moved with triggers off is detected');
ROLLBACK TO SAVEPOINT steps;
SELECT ok(licensing.verify_history(:s), 'untouched, the steps agree with the chain');

-- ---- staff are cached per backend: a change of licensing.staff counts at once
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko') AS c \gset
SELECT wf_test.advance(:c, 'submitted') IS NOT NULL AS submitted;
DELETE FROM licensing.staff WHERE role = 'wf_clerk' AND provider = 'sko' AND position = 'clerk';
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_clerk', 'SELECT licensing.register(%s)')$$, :c),
    'P0002', NULL, 'a clerk whose position is removed cannot register, in the same transaction (nor see it)');
INSERT INTO licensing.staff (role, provider, position) VALUES ('wf_clerk', 'sko', 'clerk');
SELECT lives_ok(format($$SELECT wf_test.as_role('wf_clerk', 'SELECT licensing.register(%s)')$$, :c),
    'given the position back, the clerk registers');
INSERT INTO licensing.application (service, operation, channel, applicant, provider, profile, state, number)
VALUES ('scrap-metal', 'issue', 'portal', '160140001230', 'sko', 'south-kazakhstan-2015', 'signed', 'forged-1');
SELECT ok(NOT licensing.verify_history(), 'a row loaded by a superuser without its history does not verify');
ROLLBACK TO SAVEPOINT tamper;

-- ---- row-level security
SELECT is(wf_test.as_role('wf_clerk', 'SELECT count(*) FROM licensing.application'), '2', 'a clerk of sko and alm sees both');
SELECT is(wf_test.as_role('wf_other', 'SELECT count(*) FROM licensing.application'), '1', 'staff of alm only see alm''s application');
SELECT is(wf_test.as_role('wf_other', format('SELECT count(*) FROM licensing.application_event WHERE application = %s', :a)), '0',
    '... and none of sko''s history');
SELECT is(wf_test.portal('160140001230', 'SELECT count(*) FROM licensing.application'), '2', 'the portal sees its applicant''s applications');
SELECT is(wf_test.portal('901120405675', 'SELECT count(*) FROM licensing.application'), '0', 'the portal acting for another applicant sees none');
SELECT throws_ok($$SELECT wf_test.as_role('wf_gateway', 'SELECT count(*) FROM licensing.application')$$, '42501', NULL,
    'the gateway reads no applications');
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_other', 'SELECT licensing.signing_payload(%s)')$$, :a), 'P0002', NULL,
    'staff of another provider cannot read a payload: the application does not exist for them');

-- ---- the actor
CREATE FUNCTION wf_test.definer_actor() RETURNS name LANGUAGE sql SECURITY DEFINER AS 'SELECT licensing.actor()';
GRANT USAGE ON SCHEMA wf_test TO wf_clerk;
SELECT is(wf_test.as_role('wf_clerk', 'SELECT wf_test.definer_actor()'), 'wf_clerk', 'inside a SECURITY DEFINER function the actor is the caller');
SELECT is(wf_test.as_role('wf_portal', 'SELECT licensing.act_for(''160140001230''); SELECT licensing.acting_for()'), '160140001230',
    'act_for is remembered for the portal role');
SELECT is(wf_test.as_role('wf_clerk', 'SELECT licensing.acting_for()'), NULL, 'another role does not inherit what the portal acts for');
SELECT throws_ok($$SELECT wf_test.as_role('wf_clerk', 'SELECT licensing.set_clock(now())')$$, '42501', NULL, 'only a superuser sets the clock');

-- ---- a hostile search_path cannot capture the guard's operators (R7)
CREATE SCHEMA evil;
CREATE FUNCTION evil.plus(timestamp, interval) RETURNS timestamp LANGUAGE plpgsql AS
    $e$ BEGIN RAISE EXCEPTION 'captured'; END $e$;
CREATE OPERATOR evil.+ (LEFTARG = timestamp, RIGHTARG = interval, FUNCTION = evil.plus);
GRANT USAGE ON SCHEMA evil TO PUBLIC;
SELECT wf_test.as_role('wf_clerk', $q$SELECT licensing.create_application('scrap-metal', 'issue', '160140001230', 'alm', channel => 'office', representative => '850625300123', attorney_number => 'PoA-2025-1')$q$) AS r \gset
SELECT wf_test.pay(:r);
SET LOCAL search_path = evil, pg_catalog, public;
SELECT throws_ok($$SELECT now()::timestamp + interval '1 hour'$$, 'P0001', 'captured', 'the hostile operator captures unqualified SQL');
SELECT is((wf_test.submit(:r)).accepted, true, 'submit (and the guard under it) is not captured: power-of-attorney check passes');
RESET search_path;

SELECT * FROM finish();
ROLLBACK;
