-- Application numbers past the millionth stay unique (lpad would truncate them).
BEGIN;
SELECT plan(4);
\ir ../fixtures/signing.sql
SELECT test_pki.load_trust();
\ir ../fixtures/workflow.sql

SELECT is(licensing._serial_text(42), '000042', 'serials are padded to six digits');
SELECT is(licensing._serial_text(1234567), '1234567', 'a seventh digit is kept, not cut off');

-- Sequences ignore ROLLBACK: remember where it stood and put it back at the end.
SELECT last_value AS seq_last, is_called AS seq_called FROM licensing.application_number_seq \gset
SELECT setval('licensing.application_number_seq', 999999, false);
SELECT wf_test.as_role('wf_clerk', $q$SELECT licensing.create_application('scrap-metal', 'issue', '160140001230', 'sko', channel => 'office')$q$) AS a \gset
SELECT wf_test.as_role('wf_clerk', $q$SELECT licensing.create_application('scrap-metal', 'issue', '160140001230', 'sko', channel => 'office')$q$) AS b \gset
SELECT wf_test.pay(:a);
SELECT wf_test.pay(:b);
SELECT is((wf_test.submit(:a)).number, 'sko-2025-999999', 'the 999,999th application');
SELECT is((wf_test.submit(:b)).number, 'sko-2025-1000000', 'the millionth gets seven digits and its own number');

SELECT setval('licensing.application_number_seq', :seq_last, :'seq_called'::boolean);
SELECT * FROM finish();
ROLLBACK;
