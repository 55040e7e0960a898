-- A step is an UPDATE statement run by the executor from a plan kept per
-- backend, and its event an INSERT statement (step.c, history.c; the direct row
-- writes of rowwrite.c and step_own are gone).  It acts as any statement:
-- the table's CHECK constraints as they are now, partial indexes, a BEFORE
-- trigger that skips the row, statement triggers; a trigger of the workflow that
-- is disabled, not firing in the session, or replaced does not act.
BEGIN;
SELECT plan(26);
\ir ../fixtures/signing.sql
SELECT test_pki.load_trust();
\ir ../fixtures/workflow.sql

SELECT wf_test.draft('scrap-metal', '160140001230', 'sko', 'office') AS a \gset
SELECT wf_test.advance(:a, 'submitted');
SELECT wf_test.snapshot(:a) AS s0 \gset

-- ---- a CHECK added after the backend cached the table's CHECKs is enforced
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko', 'office') AS warm \gset
SELECT wf_test.advance(:warm, 'registered');
ALTER TABLE licensing.application ADD CONSTRAINT test_no_register CHECK (state <> 'registered') NOT VALID;
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_clerk', 'SELECT licensing.register(%s)')$$, :a),
    '23514', NULL, 'a CHECK constraint added later refuses the step (23514)');
SELECT is(wf_test.snapshot(:a), :'s0', '... and nothing changed, no event appended');
ALTER TABLE licensing.application DROP CONSTRAINT test_no_register;
ALTER TABLE licensing.application ADD CONSTRAINT test_no_register CHECK (state <> 'in_review') NOT VALID;
SELECT lives_ok(format($$SELECT wf_test.as_role('wf_clerk', 'SELECT licensing.register(%s)')$$, :a),
    'once the constraint is replaced by another, the step is allowed');
SELECT is((SELECT state FROM licensing.application WHERE id = :a), 'registered', '... and made');
SELECT wf_test.advance(:a, 'assigned');
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_exec', 'SELECT licensing.confirm_complete(%s)')$$, :a),
    '23514', NULL, '... and the replacement is the one enforced');
ALTER TABLE licensing.application DROP CONSTRAINT test_no_register;

-- ---- partial indexes get their entries: the open step's due moment
CREATE FUNCTION wf_test.open_steps(by_index boolean) RETURNS bigint[] LANGUAGE plpgsql AS $$
DECLARE
    plan text := '';
    line text;
    ids bigint[];
    q text := $q$SELECT array_agg(id ORDER BY id) FROM licensing.application WHERE step IS NOT NULL AND step_due_at > '2000-01-01'$q$;
BEGIN
    EXECUTE format('SET LOCAL enable_seqscan = %s', NOT by_index);
    EXECUTE format('SET LOCAL enable_indexscan = %s', by_index);
    EXECUTE format('SET LOCAL enable_bitmapscan = %s', by_index);
    FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP plan := plan || line; END LOOP;
    IF by_index <> (plan LIKE '%application_step_due_idx%') THEN
        RAISE EXCEPTION 'unexpected plan: %', plan;
    END IF;
    EXECUTE q INTO ids;
    RESET enable_seqscan; RESET enable_indexscan; RESET enable_bitmapscan;
    RETURN ids;
END $$;
SELECT ok(wf_test.open_steps(true) @> ARRAY[:a, :warm]::bigint[],
    'the partial index on open steps has the rows the direct writes moved');
SELECT is(wf_test.open_steps(true), wf_test.open_steps(false), '... and the same rows as the table');

-- ---- every index has every row (amcheck, heapallindexed): also one made or
-- rebuilt after the backend kept the indexes' information
CREATE EXTENSION IF NOT EXISTS amcheck;
CREATE FUNCTION wf_test.indexes_complete() RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    i regclass;
BEGIN
    FOR i IN SELECT indexrelid FROM pg_index WHERE indrelid IN ('licensing.application'::regclass,
                                                             'licensing.application_event'::regclass) LOOP
        PERFORM bt_index_check(i, true);
    END LOOP;
    RETURN true;
END $$;
SELECT ok(wf_test.indexes_complete(), 'each index of the application and its history has every row the steps wrote');
CREATE INDEX test_open_assign_idx ON licensing.application (updated_at) WHERE step = 'assign';
REINDEX INDEX licensing.application_step_due_idx;
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko', 'office') AS later \gset
SELECT wf_test.advance(:later, 'registered');
SELECT ok(wf_test.indexes_complete(), '... and after a partial index was added and another rebuilt, too');
SET LOCAL enable_seqscan = off;
SELECT is((SELECT count(*) FROM licensing.application WHERE step = 'assign' AND updated_at IS NOT NULL AND id = :later),
    1::bigint, '... and the new partial index finds the step written after it was made');
RESET enable_seqscan;
DROP INDEX licensing.test_open_assign_idx;

-- ---- a BEFORE trigger that skips the row: the step reports it, nothing recorded
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko', 'office') AS skipped \gset
SELECT wf_test.advance(:skipped, 'submitted');
SELECT wf_test.snapshot(:skipped) AS s1 \gset
CREATE FUNCTION wf_test.skip_row() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE TRIGGER application_05_test_skip BEFORE UPDATE ON licensing.application
    FOR EACH ROW WHEN (NEW.state = 'registered') EXECUTE FUNCTION wf_test.skip_row();
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_clerk', 'SELECT licensing.register(%s)')$$, :skipped),
    'P0002', NULL, 'a BEFORE trigger that skips the row: the step says no row was changed (P0002)');
SELECT is(wf_test.snapshot(:skipped), :'s1', '... and nothing changed, no event appended');
DROP TRIGGER application_05_test_skip ON licensing.application;

-- ---- a statement trigger: the step runs as a statement, so it fires
CREATE TABLE wf_test.statements (n int);
CREATE FUNCTION wf_test.count_statement() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN INSERT INTO wf_test.statements VALUES (1); RETURN NULL; END $$;
CREATE TRIGGER application_test_statement AFTER UPDATE ON licensing.application
    FOR EACH STATEMENT EXECUTE FUNCTION wf_test.count_statement();
SELECT lives_ok(format($$SELECT wf_test.as_role('wf_clerk', 'SELECT licensing.register(%s)')$$, :skipped),
    'with a statement trigger on the table the step still goes through');
SELECT is((SELECT count(*) FROM wf_test.statements), 1::bigint, '... and the statement trigger fired once');
DROP TRIGGER application_test_statement ON licensing.application;

SELECT ok(licensing.verify_history(), 'every history chain verifies');
SELECT is((SELECT string_agg(what, ',' ORDER BY seq) FILTER (WHERE what IN ('register', 'assign', 'confirm_complete'))
             FROM licensing.application_event WHERE application = :a),
    'register,assign', 'one event per step made, none for the refused ones');

-- ---- another row trigger: the executor fires the workflow's and that one, in name order
CREATE TABLE wf_test.seen (state text, step text, updated boolean);
CREATE FUNCTION wf_test.see_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN INSERT INTO wf_test.seen VALUES (NEW.state, NEW.step, NEW.updated_at IS NOT NULL); RETURN NEW; END $$;
CREATE TRIGGER application_25_test_see BEFORE UPDATE ON licensing.application
    FOR EACH ROW EXECUTE FUNCTION wf_test.see_row();
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko', 'office') AS seen \gset
SELECT wf_test.advance(:seen, 'submitted');
SELECT lives_ok(format($$SELECT wf_test.as_role('wf_clerk', 'SELECT licensing.register(%s)')$$, :seen),
    'with a row trigger of its own added to the table the step goes through');
SELECT results_eq($$SELECT state, step, updated FROM wf_test.seen WHERE state = 'registered'$$,
    $$VALUES ('registered', 'assign', true)$$,
    '... and that trigger saw the row after the guard and the derive trigger (the next step open)');
SELECT is((SELECT what FROM licensing.application_event WHERE application = :seen ORDER BY seq DESC LIMIT 1),
    'register', '... and the record trigger appended the event');
DROP TRIGGER application_25_test_see ON licensing.application;

-- ---- the record trigger disabled: the step records nothing (verify_history notices)
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko', 'office') AS unrecorded \gset
SELECT wf_test.advance(:unrecorded, 'submitted');
ALTER TABLE licensing.application DISABLE TRIGGER application_30_record;
SELECT lives_ok(format($$SELECT wf_test.as_role('wf_clerk', 'SELECT licensing.register(%s)')$$, :unrecorded),
    'with the record trigger disabled the step is made');
SELECT is((SELECT count(*) FROM licensing.application_event WHERE application = :unrecorded AND what = 'register'),
    0::bigint, '... without an event, as the disabled trigger says');
SELECT ok(NOT licensing.verify_history(:unrecorded), '... and verify_history finds the state its history does not explain');
ALTER TABLE licensing.application ENABLE TRIGGER application_30_record;

-- ---- session_replication_role = replica: no trigger of the workflow fires (a superuser's restore)
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko', 'office') AS replica \gset
SELECT wf_test.advance(:replica, 'submitted');
SET LOCAL session_replication_role = replica;
SELECT lives_ok(format('SELECT licensing.register(%s)', :replica),
    'as replica a superuser, who is no clerk, moves the application: the guard does not fire');
RESET session_replication_role;
SELECT results_eq(format($$SELECT state, step, (SELECT count(*) FROM licensing.application_event e
                                                  WHERE e.application = a.id AND e.what = 'register')
                             FROM licensing.application a WHERE a.id = %s$$, :replica),
    $$VALUES ('registered', 'register', 0::bigint)$$,
    '... nor the derive trigger (the open step stays register), nor the record trigger');

-- ---- the record function replaced: the replacement fires, not the library's code
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko', 'office') AS replaced \gset
SELECT wf_test.advance(:replaced, 'submitted');
CREATE TABLE wf_test.recorded (application bigint);
CREATE OR REPLACE FUNCTION licensing._application_record() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN INSERT INTO wf_test.recorded VALUES (NEW.id); RETURN NULL; END $$;
SELECT lives_ok(format($$SELECT wf_test.as_role('wf_clerk', 'SELECT licensing.register(%s)')$$, :replaced),
    'with the record function replaced the step is made');
SELECT results_eq(format($$SELECT (SELECT array_agg(application) FROM wf_test.recorded),
                                  (SELECT count(*) FROM licensing.application_event WHERE application = %s AND what = 'register')$$,
                         :replaced),
    format('VALUES (ARRAY[%s]::bigint[], 0::bigint)', :replaced),
    '... and the replacement ran instead of the library''s record');

SELECT * FROM finish();
ROLLBACK;
