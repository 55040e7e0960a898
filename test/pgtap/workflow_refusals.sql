-- Reasoned refusals (DOMAIN §8; No 441 of 28.12.2015, §4), withdrawal, and the decision payload.
BEGIN;
SELECT plan(23);
\ir ../fixtures/signing.sql
SELECT test_pki.load_trust();
\ir ../fixtures/workflow.sql

-- ---- refusal for an incomplete set, within the completeness check (No 441 of 28.12.2015, §4)
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko') AS a \gset
SELECT wf_test.advance(:a, 'assigned') IS NOT NULL AS assigned;
SELECT wf_test.snapshot(:a) AS s0 \gset
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_exec', 'SELECT licensing.refuse(%s, ''qualification_requirements'', ''себеп'', ''причина'')')$$, :a),
    '22023', NULL, 'before completeness is confirmed, only incomplete_documents refuses');
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_exec', 'SELECT licensing.refuse(%s, ''incomplete_documents'', ''себеп'', NULL)')$$, :a),
    '22023', NULL, 'a refusal needs its reason in Russian');
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_exec', 'SELECT licensing.refuse(%s, ''incomplete_documents'', '''', ''причина'')')$$, :a),
    '22023', NULL, 'a refusal needs its reason in Kazakh');
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_exec', 'SELECT licensing.refuse(%s, ''no_such_ground'', ''себеп'', ''причина'')')$$, :a),
    '22023', NULL, 'an unknown ground is 22023');
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_exec', 'SELECT licensing.refuse(%s, ''no_payment'', ''себеп'', ''причина'')')$$, :a),
    '22023', NULL, 'an intake ground is not a provider''s refusal');
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_head', 'SELECT licensing.refuse(%s, ''incomplete_documents'', ''себеп'', ''причина'')')$$, :a),
    '42501', NULL, 'the head does not decide');
SELECT is(wf_test.snapshot(:a), :'s0', 'the refused refusals changed nothing');
SELECT lives_ok(format($$SELECT wf_test.as_role('wf_exec', 'SELECT licensing.refuse(%s, ''incomplete_documents'', ''Құжаттар толық емес'', ''Не представлен устав'')')$$, :a),
    'the executor refuses an incomplete set');
SELECT is((SELECT state || ' ' || outcome || ' ' || ground FROM licensing.application WHERE id = :a),
    'decided refused incomplete_documents', 'decided with outcome refused and its ground');
SELECT is((SELECT count(*) FROM licensing.application_step WHERE application = :a AND step = 'decide'), 0::bigint,
    'the refusal within the completeness check skips the decide step');
SELECT ok(convert_from(licensing.decision_payload(:a), 'UTF8') LIKE '%"ground":"incomplete_documents"%"reason_ru":"Не представлен устав"%',
    'the decision payload carries the ground and the reasons');
SELECT lives_ok(format($$SELECT wf_test.sign_as('wf_head', %s, %L)$$, :a, test_pki.sign(licensing.decision_payload(:a), 'head')),
    'the head signs the reasoned refusal');
SELECT lives_ok(format($$SELECT wf_test.as_role('wf_clerk', 'SELECT licensing.deliver(%s)')$$, :a), 'the refusal is delivered');
SELECT is((SELECT count(*) FROM licensing.licence), 0::bigint, 'a refusal creates no licence');

-- ---- refusal in review, any ground
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko') AS b \gset
SELECT wf_test.advance(:b, 'in_review') IS NOT NULL AS in_review;
SELECT lives_ok(format($$SELECT wf_test.as_role('wf_exec', 'SELECT licensing.refuse(%s, ''qualification_requirements'', ''Талаптарға сай емес'', ''Нет производственной базы'')')$$, :b),
    'in review the executor refuses for the qualification requirements');
SELECT is(wf_test.advance(:b, 'delivered'), 'delivered', 'the refusal is signed and delivered');
SELECT is((SELECT string_agg(what, ',' ORDER BY seq) FROM licensing.application_event WHERE application = :b AND what NOT IN ('create', 'attach_document', 'record_payment')),
    'submit,register,assign,confirm_complete,refuse,sign_decision,deliver', 'its history shows the refusal');

-- ---- withdraw
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko') AS c \gset
SELECT wf_test.advance(:c, 'registered') IS NOT NULL AS registered;
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_clerk', 'SELECT licensing.withdraw(%s)')$$, :c),
    '42501', NULL, 'a clerk cannot withdraw a portal application');
SELECT throws_ok(format($$SELECT wf_test.portal('901120405675', 'SELECT licensing.withdraw(%s)')$$, :c),
    'P0002', NULL, 'the portal acting for someone else cannot withdraw it: it does not exist for that applicant');
SELECT lives_ok(format($$SELECT wf_test.portal('160140001230', 'SELECT licensing.withdraw(%s)')$$, :c), 'the applicant withdraws');
SELECT is((SELECT count(*) FROM licensing.application_step WHERE application = :c AND finished_at IS NULL), 0::bigint,
    'withdrawal closes the open step');
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_head', 'SELECT licensing.assign(%s, ''wf_exec'')')$$, :c),
    '55000', NULL, 'a withdrawn application takes no further step');
SELECT throws_ok(format($$SELECT wf_test.portal('160140001230', 'SELECT licensing.withdraw(%s)')$$, :b),
    '55000', NULL, 'a decided application cannot be withdrawn');

SELECT * FROM finish();
ROLLBACK;
