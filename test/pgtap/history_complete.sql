-- pgTAP (issue #16 part 6): verify_history and verify_licence_history find
-- rows that are missing, not only rows that changed: an event whose
-- application is gone, an application without its create event, licence
-- events whose licence is gone, a licence gone with its whole chain (its
-- granted decision names it), a chain whose tail was cut.  Each tampering is
-- done as a superuser with triggers off (session_replication_role = replica)
-- and undone by a savepoint.
BEGIN;
\ir licence_fixture.psql
SELECT plan(14);

SELECT lic_test.walk('scrap-metal', 'issue', '160140001230',
    '{"annexes": [{"subtype": "Заготовка", "address": "Шымкент"}]}') AS a1 \gset
SELECT lic_test.licence_of(:a1) AS l1 \gset
SET LOCAL ROLE lic_clerk;
SELECT licensing.create_application('scrap-metal', 'issue', '160140001230', 'lic-south', channel => 'office') AS d1 \gset
SET LOCAL ROLE lic_head;
SELECT licensing.suspend_licence(:'l1', 'court_decision');
RESET ROLE;

SELECT ok(licensing.verify_history() AND licensing.verify_licence_history(), 'untouched, both histories verify');

-- ---- applications -------------------------------------------------------------------
SAVEPOINT t;
SET LOCAL session_replication_role = replica;
DELETE FROM licensing.application WHERE id = :d1;
RESET session_replication_role;
SELECT ok(NOT licensing.verify_history(:d1), 'an application deleted under its events: verify_history(app) is false');
SELECT ok(NOT licensing.verify_history(), 'and verify_history() is false');
ROLLBACK TO t;

SAVEPOINT t;
SET LOCAL session_replication_role = replica;
DELETE FROM licensing.application_event WHERE application = :d1;
RESET session_replication_role;
SELECT ok(NOT licensing.verify_history(:d1), 'an application whose events were all deleted: false');
ROLLBACK TO t;

SAVEPOINT t;
SET LOCAL session_replication_role = replica;
DELETE FROM licensing.application_event WHERE application = :d1;
DELETE FROM licensing.application WHERE id = :d1;
RESET session_replication_role;
SELECT ok(licensing.verify_history(), 'an application deleted with its whole history leaves nothing behind: true');
ROLLBACK TO t;

-- ---- licences -----------------------------------------------------------------------
SAVEPOINT t;
SET LOCAL session_replication_role = replica;
DELETE FROM licensing.licence WHERE number = :'l1';
RESET session_replication_role;
SELECT ok(NOT licensing.verify_licence_history(:'l1'), 'a licence deleted under its chain: verify_licence_history(number) is false');
SELECT ok(NOT licensing.verify_licence_history(), 'and verify_licence_history() is false');
ROLLBACK TO t;

SAVEPOINT t;
SET LOCAL session_replication_role = replica;
DELETE FROM licensing.licence_event WHERE licence = :'l1';
DELETE FROM licensing.licence_annex WHERE licence = :'l1';
DELETE FROM licensing.licence WHERE number = :'l1';
RESET session_replication_role;
SELECT ok(NOT licensing.verify_licence_history(:'l1'), 'a licence deleted with its whole chain: its granted decision names it, false');
SELECT ok(NOT licensing.verify_licence_history(), 'and verify_licence_history() is false');
ROLLBACK TO t;

SAVEPOINT t;
SET LOCAL session_replication_role = replica;
DELETE FROM licensing.licence_event WHERE licence = :'l1' AND seq = 2;
RESET session_replication_role;
SELECT ok(NOT licensing.verify_licence_history(:'l1'), 'the tail of a chain cut (the suspension): the licence is suspended, its chain ends active: false');
ROLLBACK TO t;

SAVEPOINT t;
SET LOCAL session_replication_role = replica;
DELETE FROM licensing.licence_event WHERE licence = :'l1';
RESET session_replication_role;
SELECT ok(NOT licensing.verify_licence_history(:'l1'), 'a licence without its chain: false');
ROLLBACK TO t;

SAVEPOINT t;
SET LOCAL session_replication_role = replica;
UPDATE licensing.licence SET status = 'active' WHERE number = :'l1';
RESET session_replication_role;
SELECT ok(NOT licensing.verify_licence_history(:'l1'), 'a licence status changed behind the chain''s back: false');
ROLLBACK TO t;

SELECT ok(licensing.verify_history() AND licensing.verify_licence_history(), 'restored, both histories verify again');
SELECT is(pg_catalog.has_function_privilege('lic_reporter', 'licensing._history_complete(bigint)', 'EXECUTE')
          OR pg_catalog.has_function_privilege('lic_reporter', 'licensing._licence_history_complete(text)', 'EXECUTE'),
          false, 'the internal checks are not executable by the roles');

SELECT * FROM finish();
ROLLBACK;
