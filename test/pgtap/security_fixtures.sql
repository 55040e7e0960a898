-- The signing helpers of the test fixtures (test/fixtures/signing.sql) are no
-- way into the server for the roles of a test or demo cluster (a demo left
-- running with KEEP=1 holds them too): no role but their owner may call them,
-- no path comes from a setting a role can change, and nothing a caller passes
-- reaches a shell.
BEGIN;
SELECT plan(16);
\ir ../fixtures/signing.sql

SET client_min_messages = warning;
CREATE ROLE pki_intruder;          -- gone with the transaction
-- even where the schema is reachable (an older load granted it to PUBLIC)
GRANT USAGE ON SCHEMA test_pki TO pki_intruder;
RESET client_min_messages;
SELECT '/tmp/test_pki_pwned_' || pg_backend_pid() || '_' || md5(random()::text) AS marker \gset

-- ---- an unprivileged role, with the setting pointed at /etc or at a command
SET LOCAL ROLE pki_intruder;
SET LOCAL test_pki.dir = '/etc';
SELECT throws_ok($$SELECT test_pki.file('passwd')$$, '42501', NULL,
    'an unprivileged role cannot call test_pki.file (with test_pki.dir = /etc: /etc/passwd)');
SELECT throws_ok($$SELECT test_pki.cert('../passwd#')$$, '42501', NULL, 'nor test_pki.cert');
SELECT throws_ok($$SELECT test_pki.dir()$$, '42501', NULL, 'nor test_pki.dir');
SELECT throws_ok($$SELECT test_pki.load_trust()$$, '42501', NULL, 'nor test_pki.load_trust');
SELECT set_config('test_pki.dir', format('/tmp/x; touch %s; echo ', :'marker'), true) IS NOT NULL AS set_injection \gset
SELECT throws_ok($$SELECT test_pki.sign('hello', 'person')$$, '42501', NULL,
    'an unprivileged role cannot call test_pki.sign (with a command in test_pki.dir)');
SELECT throws_ok($$SELECT test_pki.sign('hello', 'person; touch /tmp/x')$$, '42501', NULL,
    'nor with a command in the signer');
SELECT throws_ok($$UPDATE test_pki.config SET dir = '/etc'$$, '42501', NULL,
    'an unprivileged role cannot change the PKI directory kept in test_pki.config');
SELECT throws_ok($$INSERT INTO test_pki.config (one, dir) VALUES (true, '/etc') ON CONFLICT (one) DO UPDATE SET dir = '/etc'$$, '42501', NULL,
    'nor insert one');
RESET ROLE;
SELECT is(pg_stat_file(:'marker', true), NULL, 'no command of the unprivileged role ran');

-- ---- even the superuser's calls take no path from the setting
SET LOCAL test_pki.dir = '/etc';
SELECT throws_ok($$SELECT test_pki.file('passwd')$$, '58P01', NULL,
    'test_pki.file reads the PKI directory fixed at load, not test_pki.dir (no passwd there)');
SELECT throws_ok($$SELECT test_pki.file('../../../../../../etc/passwd')$$, '22023', NULL,
    'test_pki.file takes a plain file name, not a path');
SELECT throws_ok($$SELECT test_pki.cert('../../../../../../etc/passwd#')$$, '22023', NULL,
    'test_pki.cert likewise');
SELECT set_config('test_pki.dir', format('/tmp/x; touch %s; echo ', :'marker'), true) IS NOT NULL AS set_injection \gset
SELECT ok(length(test_pki.sign('hello', 'person')) > 0,
    'with a command in test_pki.dir, test_pki.sign still signs with the PKI fixed at load');
SELECT is(pg_stat_file(:'marker', true), NULL, 'and the command did not run');
SELECT throws_ok($$SELECT test_pki.sign('hello', 'person;touch /tmp/x')$$, '22023', NULL,
    'a signer name with a command is refused before any program runs');
SELECT test_pki.load_trust();
SELECT is((licensing.verify_signature('hello'::bytea, test_pki.sign('hello', 'person'), '2025-03-03 10:00+05')).valid, true,
    'the constant program signs: a signature the extension verifies');

SELECT * FROM finish();
ROLLBACK;
