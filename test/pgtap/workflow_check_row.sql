-- The CHECK of licensing.application takes the whole row (P3: one whole-row
-- argument is read from the catalog at each statement's start in a fifth of
-- the time of six columns).  The same rule and errors as the six-column form
-- of version 1.0, the echo of a long value bounded, and no call by PUBLIC.
BEGIN;
SELECT plan(8);
\ir ../fixtures/signing.sql
SELECT test_pki.load_trust();
\ir ../fixtures/workflow.sql

SELECT wf_test.draft('scrap-metal', '160140001230', 'sko', 'office') AS a \gset

SELECT is((SELECT pg_get_constraintdef(c.oid) FROM pg_constraint c
            WHERE c.conrelid = 'licensing.application'::regclass AND c.conname = 'application_values'),
          'CHECK (licensing._application_row_values(application.*))',
          'the CHECK of licensing.application passes the whole row');
SELECT ok(NOT has_function_privilege('public', 'licensing._application_row_values(licensing.application)', 'EXECUTE'),
          'PUBLIC may not call the CHECK function');

-- the guard would refuse these changes first: without it, the CHECK alone
SET LOCAL session_replication_role = replica;
SELECT throws_ok(format($$UPDATE licensing.application SET channel = 'fax' WHERE id = %s$$, :a),
    '23514', '"fax" is not a valid channel of an application', 'a channel outside its set is refused (23514, naming it)');
SELECT throws_ok(format($$UPDATE licensing.application SET state = 'lost' WHERE id = %s$$, :a),
    '23514', '"lost" is not a valid state of an application', 'a state outside its set is refused');
SELECT throws_ok(format($$UPDATE licensing.application SET outcome = 'maybe' WHERE id = %s$$, :a),
    '23514', '"maybe" is not a valid outcome of an application', 'an outcome outside its set is refused');
SELECT throws_ok(format($$UPDATE licensing.application SET step = 'register' WHERE id = %s$$, :a),
    '23514', 'an open step of an application needs its due moment', 'an open step without its due moment is refused');
SELECT throws_ok(format($$UPDATE licensing.application SET state = repeat('x', 5000) WHERE id = %s$$, :a),
    '23514', '"' || repeat('x', 64) || '..." is not a valid state of an application',
    'a long value is named by its first 64 characters, not echoed whole');
SELECT lives_ok(format($$UPDATE licensing.application SET operation = 'duplicate', outcome = 'refused' WHERE id = %s$$, :a),
    'values of their sets pass');
RESET session_replication_role;

SELECT * FROM finish();
ROLLBACK;
