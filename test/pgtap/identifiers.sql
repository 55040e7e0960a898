-- pgTAP: identifiers raise the SQLSTATEs of API §0 and behave as keys.
BEGIN;
SELECT plan(16);
SET LOCAL search_path = public, licensing;

SELECT throws_ok($$SELECT '850625300124'::licensing.iin$$, '22P02',
                 'invalid input syntax for type iin: "850625300124"',
                 'a wrong check digit is 22P02 naming the value');
SELECT throws_ok($$SELECT '160170001234'::licensing.bin$$, '22P02', NULL, 'BIN kind 7 is 22P02');
SELECT throws_ok($$SELECT 'abc'::licensing.iin$$, '22P02', NULL, 'letters are 22P02');
SELECT lives_ok($$SELECT ' 850625300123 '::licensing.iin$$, 'surrounding white space is trimmed');
SELECT is(licensing.iin_is_valid('850625300124'), false, 'iin_is_valid says false and does not raise');
SELECT is(licensing.bin_is_valid(NULL), NULL, 'bin_is_valid is NULL for NULL');

-- As keys: a unique column refuses a duplicate written differently.
CREATE TEMP TABLE holders (iin licensing.iin PRIMARY KEY);
INSERT INTO holders VALUES ('850625300123');
SELECT throws_ok($$INSERT INTO holders VALUES (' 850625300123')$$, '23505', NULL,
                 'the same IIN with white space is the same key');
SELECT throws_ok($$INSERT INTO holders VALUES ('850625300124')$$, '22P02', NULL,
                 'an invalid IIN never reaches the table');
SELECT is((SELECT count(*) FROM holders), 1::bigint, 'nothing was added by the failed inserts');

-- Assignment casts from text work in INSERT; the reverse gives the 12 digits.
SELECT lives_ok($$INSERT INTO holders SELECT '901120405675'::text$$, 'text is assigned to an iin column');
SELECT is((SELECT licensing.min(iin)::text FROM holders), '850625300123', 'min over iin, and iin to text gives the digits');

-- Hash and merge joins are allowed by the operator's properties.
SELECT ok((SELECT oprcanhash AND oprcanmerge FROM pg_operator
            WHERE oprname = '=' AND oprleft = 'licensing.iin'::regtype), '= on iin hashes and merges');
SELECT ok((SELECT oprcanhash AND oprcanmerge FROM pg_operator
            WHERE oprname = '=' AND oprleft = 'licensing.bin'::regtype), '= on bin hashes and merges');

-- Input functions are immutable: no check depends on today's date.
SELECT is((SELECT provolatile FROM pg_proc WHERE oid = 'licensing.iin_in'::regproc), 'i'::"char", 'iin_in is immutable');
SELECT is((SELECT provolatile FROM pg_proc WHERE oid = 'licensing.bin_registered_on'::regproc), 's'::"char",
          'bin_registered_on reads today''s date, so it is stable');
SELECT is(licensing.bin_registered_on('990140000007'), date '1999-01-01',
          'a BIN year above this year''s two digits is in the 1900s');

SELECT * FROM finish();
ROLLBACK;
