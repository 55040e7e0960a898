-- The completeness window (South Kazakhstan No 441 of 28.12.2015, §4; API §4.1): refuse(…, 'incomplete_documents', …)
-- only while the completeness check (step confirm_complete, its norm as pinned:
-- 2 working days from receipt in south-kazakhstan-2015) is open and not past due;
-- after it, 55000 naming the application and the step's due moment.
BEGIN;
SELECT plan(8);
\ir ../fixtures/signing.sql
SELECT test_pki.load_trust();
\ir ../fixtures/workflow.sql

-- Monday 3 March 2025 10:00: received that day, the check due Wednesday 5 March at 24:00 local
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko') AS a \gset
SELECT wf_test.advance(:a, 'assigned') IS NOT NULL AS assigned;
SELECT licensing._utc(step_due_at) AS due FROM licensing.application WHERE id = :a \gset
SELECT is(:'due'::text, '2025-03-05T19:00:00.000000Z', 'the completeness check is due at the end of the second working day');

-- Thursday 6 March: the window has closed
SELECT licensing.set_clock('2025-03-06 09:30+05');
SELECT wf_test.snapshot(:a) AS s0 \gset
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_exec', 'SELECT licensing.refuse(%s, ''incomplete_documents'', ''себеп'', ''причина'')')$$, :a),
    '55000', format('application %s can no longer be refused for incomplete documents: the completeness check ended at %s', :a, :'due'),
    'after the window: 55000 naming the application and the due moment');
SELECT is(wf_test.snapshot(:a), :'s0', 'the refused refusal changed nothing');

-- the same application within its window (set the clock back): refused
SELECT licensing.set_clock('2025-03-05 17:59+05');
SELECT lives_ok(format($$SELECT wf_test.as_role('wf_exec', 'SELECT licensing.refuse(%s, ''incomplete_documents'', ''себеп'', ''причина'')')$$, :a),
    'within the window the executor refuses an incomplete set');
SELECT is((SELECT ground FROM licensing.application WHERE id = :a), 'incomplete_documents', 'decided with that ground');

-- once completeness is confirmed, the ground is closed for good (in review)
SELECT licensing.set_clock('2025-03-04 10:00+05');
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko') AS b \gset
SELECT wf_test.advance(:b, 'in_review') IS NOT NULL AS in_review;
SELECT wf_test.snapshot(:b) AS s1 \gset
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_exec', 'SELECT licensing.refuse(%s, ''incomplete_documents'', ''себеп'', ''причина'')')$$, :b),
    '55000', NULL, 'in review, after completeness was confirmed: 55000');
SELECT is(wf_test.snapshot(:b), :'s1', 'and nothing changed');
SELECT lives_ok(format($$SELECT wf_test.as_role('wf_exec', 'SELECT licensing.refuse(%s, ''qualification_requirements'', ''себеп'', ''причина'')')$$, :b),
    'another ground refuses in review');

SELECT * FROM finish();
ROLLBACK;
