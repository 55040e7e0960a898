-- The portal channel on profile south-kazakhstan-2015 (scrap-metal): each guard
-- of API §4 once passing and once refusing, with the refused call changing nothing.
BEGIN;
SELECT plan(69);
\ir ../fixtures/signing.sql
SELECT test_pki.load_trust();
\ir ../fixtures/workflow.sql

-- ---- create_application
SELECT throws_ok($$SELECT wf_test.as_role('wf_portal', $q$SELECT licensing.create_application('scrap-metal', 'issue', '160140001230', 'sko')$q$)$$,
    '42501', NULL, 'the portal cannot create before naming the applicant with act_for');
SELECT throws_ok($$SELECT wf_test.as_role('wf_clerk', $q$SELECT licensing.act_for('160140001230')$q$)$$,
    '42501', NULL, 'act_for is refused to a role outside licensing_portal');
SELECT throws_ok($$SELECT wf_test.portal('901120405675', $q$SELECT licensing.create_application('scrap-metal', 'issue', '901120405675', 'sko')$q$)$$,
    '22023', NULL, 'scrap-metal refuses an individual (IIN) applicant');
SELECT throws_ok($$SELECT wf_test.portal('160140001230', $q$SELECT licensing.create_application('scrap-metal', 'issue', '160140001231', 'sko')$q$)$$,
    '22P02', NULL, 'an applicant that does not parse is 22P02');
SELECT throws_ok($$SELECT wf_test.portal('160140001230', $q$SELECT licensing.create_application('scrap-metal', 'renew', '160140001230', 'sko')$q$)$$,
    '22023', NULL, 'an unknown operation is 22023');
SELECT throws_ok($$SELECT wf_test.portal('160140001230', $q$SELECT licensing.create_application('fishing', 'issue', '160140001230', 'sko')$q$)$$,
    '22023', NULL, 'an unknown service is 22023');
SELECT throws_ok($$SELECT wf_test.portal('901120405675', $q$SELECT licensing.create_application('scrap-metal', 'issue', '160140001230', 'sko')$q$)$$,
    '42501', NULL, 'the portal creates only for the applicant it acts for');
SELECT is((SELECT count(*) FROM licensing.application), 0::bigint, 'no refused call created an application');

SELECT wf_test.draft('scrap-metal', '160140001230', 'sko') AS a \gset
SELECT is((SELECT state || ' ' || profile || ' ' || channel FROM licensing.application WHERE id = :a),
    'draft south-kazakhstan-2015 portal', 'a portal draft with the provider''s default profile');

-- ---- signing_payload: canonical and deterministic
SELECT licensing.signing_payload(:a) AS p1 \gset
SET LOCAL TimeZone = 'America/New_York';
SET LOCAL DateStyle = 'German';
SET LOCAL extra_float_digits = -10;
SELECT is(licensing.signing_payload(:a), :'p1'::bytea, 'signing_payload does not depend on TimeZone, DateStyle or float settings');
RESET TimeZone; RESET DateStyle; RESET extra_float_digits;
SELECT is(convert_from(licensing.signing_payload(:a), 'UTF8'),
    licensing.canonical_json(convert_from(licensing.signing_payload(:a), 'UTF8')::jsonb),
    'signing_payload is RFC 8785 canonical JSON');
SELECT ok(convert_from(licensing.signing_payload(:a), 'UTF8') LIKE '{"applicant":"160140001230","documents":[{"filename":"charter.pdf","kind":"charter","paper_original":false,"sha256":"' || encode(sha256('charter of 160140001230'::bytea), 'hex') || '"},%',
    'the payload names the applicant and each document''s SHA-256, keys sorted');

-- ---- submit: payment
SELECT wf_test.snapshot(:a) AS s0 \gset
SELECT is(wf_test.psubmit('160140001230', :a, test_pki.sign(licensing.signing_payload(:a), 'company')),
    ROW(false, NULL, 'no_payment', 'Қызмет үшін төлем жасалмаған. Төлем шлюзі бұл өтініш бойынша бірде-бір төлем туралы хабарламаған.',
        'Отсутствует оплата за услугу. Платёжный шлюз не сообщил ни об одном платеже по этому заявлению.',
        'No payment for the service. The payment gateway has reported no payment for this application.', 'not_paid')::licensing.verdict,
    'submit without payment: refused with no_payment, its reason not_paid and their kk/ru/en texts');
SELECT is((SELECT licensing._row_json(x) FROM licensing.application x WHERE id = :a)->>'state', 'draft', 'the refused application stays a draft');
SELECT is((SELECT what || ' ' || (payload->>'ground') FROM licensing.application_event WHERE application = :a ORDER BY seq DESC LIMIT 1),
    'intake_refused no_payment', 'the intake refusal is recorded in the history');
SELECT is((SELECT count(*) FROM licensing.application_step WHERE application = :a), 0::bigint, 'no step opened for a refused submit');

SELECT throws_ok(format($$SELECT wf_test.portal('160140001230', 'SELECT licensing.record_payment(%s, 19820, ''X-1'')')$$, :a),
    '42501', NULL, 'the portal cannot record a payment');
SELECT lives_ok(format($$SELECT wf_test.as_role('wf_gateway', 'SELECT licensing.record_payment(%s, 10000, ''PAY-A'')')$$, :a),
    'the gateway records a partial payment');
SELECT is(wf_test.as_role('wf_gateway', format('SELECT licensing.record_payment(%s, 10000, ''PAY-A'')', :a))::bigint,
    (SELECT id FROM licensing.application_payment WHERE reference = 'PAY-A'), 'a reference already recorded returns the same id');
SELECT is((SELECT count(*) FROM licensing.application_payment WHERE application = :a), 1::bigint, '... and records nothing twice');
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_gateway', 'SELECT licensing.record_payment(%s, 5, ''PAY-A'')')$$, :a),
    '22023', NULL, 'a reference reused with another amount is 22023');
SELECT is((wf_test.submit(:a)).ground, 'no_payment', 'a partial payment does not cover the fee');
SELECT lives_ok(format($$SELECT wf_test.as_role('wf_gateway', 'SELECT licensing.record_payment(%s, 9820, ''PAY-B'')')$$, :a),
    'the rest is paid');

-- ---- submit: the applicant's signature
SELECT is((wf_test.submit(:a, 'person')).ground, 'signature_not_confirmed', 'a valid signature by someone else is not confirmed');
SELECT is((wf_test.submit(:a, 'expired')).ground, 'signature_not_confirmed', 'an expired certificate is not confirmed');
SELECT is((wf_test.submit(:a, 'revoked')).ground, 'signature_not_confirmed', 'a revoked certificate is not confirmed');
SELECT is((wf_test.portal('160140001230', format('SELECT licensing.submit(%s, NULL)', :a))::licensing.verdict).ground,
    'signature_not_confirmed', 'no signature on the portal is not confirmed');
SELECT is((wf_test.psubmit('160140001230', :a, test_pki.sign('other content'::bytea, 'company'))).ground,
    'signature_not_confirmed', 'a signature over other content is not confirmed');
SELECT is((SELECT state FROM licensing.application WHERE id = :a), 'draft', 'still a draft after the refusals');
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_clerk', 'SELECT licensing.submit(%s)')$$, :a),
    '42501', NULL, 'a clerk cannot submit a portal application');

SELECT wf_test.submit(:a) AS v \gset
SELECT ok((:'v'::licensing.verdict).accepted AND (:'v'::licensing.verdict).number ~ '^sko-2025-[0-9]{6}$',
    'signed by the company: accepted with a number carrying provider and year');
SELECT is((SELECT number FROM licensing.application WHERE id = :a), (:'v'::licensing.verdict).number, 'the number is stored');
SELECT is((SELECT due_on FROM licensing.application WHERE id = :a),
    licensing.term_due_on(licensing.receipt_day('2025-03-03 10:00+05', 'sko'), '15 working days'), 'the term: 15 working days from the receipt day');
SELECT is((SELECT jsonb_array_length(steps) FROM licensing.application WHERE id = :a), 6, 'the profile''s six steps are pinned');
SELECT is((SELECT due_at FROM licensing.application_step WHERE application = :a AND step = 'register'),
    '2025-03-03 10:15+05'::timestamptz, 'the register step is due in 15 working minutes (No 441 of 28.12.2015, §5 1))');
SELECT throws_ok(format($$SELECT wf_test.portal('160140001230', 'SELECT licensing.submit(%s, NULL)')$$, :a),
    '55000', NULL, 'a submitted application cannot be submitted again');
UPDATE licensing.profile_step SET norm = '5 minutes' WHERE profile = 'south-kazakhstan-2015' AND step = 'assign';
SELECT is((SELECT s->>'norm' FROM licensing.application, jsonb_array_elements(steps) s WHERE id = :a AND s->>'step' = 'assign'),
    '2 hours', 'a later change of the profile does not change the pinned steps');

-- ---- register
SELECT wf_test.snapshot(:a) AS s1 \gset
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_head', 'SELECT licensing.register(%s)')$$, :a),
    '42501', NULL, 'the head cannot register (the clerk''s position)');
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_other', 'SELECT licensing.register(%s)')$$, :a),
    'P0002', NULL, 'a clerk of another provider cannot register: the application does not exist for it');
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_head', 'SELECT licensing.assign(%s, ''wf_exec'')')$$, :a),
    '55000', NULL, 'assign before register is out of order');
SELECT is(wf_test.snapshot(:a), :'s1', 'the refused steps changed nothing');
SELECT lives_ok(format($$SELECT wf_test.as_role('wf_clerk', 'SELECT licensing.register(%s)')$$, :a), 'the clerk registers');
SELECT is((SELECT performer || ' ' || (finished_at IS NOT NULL) FROM licensing.application_step WHERE application = :a AND step = 'register'),
    'wf_clerk true', 'the register step is closed with its performer');

-- ---- route / assign
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_head', 'SELECT licensing.route(%s, ''unit'')')$$, :a),
    '55000', NULL, 'south-kazakhstan-2015 has no route step');
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_clerk', 'SELECT licensing.assign(%s, ''wf_exec'')')$$, :a),
    '42501', NULL, 'a clerk cannot assign');
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_head', 'SELECT licensing.assign(%s, ''wf_clerk'')')$$, :a),
    '22023', NULL, 'the executor must be an executor of the provider');
SELECT lives_ok(format($$SELECT wf_test.as_role('wf_head', 'SELECT licensing.assign(%s, ''wf_exec'')')$$, :a), 'the head assigns wf_exec');

-- ---- confirm_complete / grant
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_exec2', 'SELECT licensing.confirm_complete(%s)')$$, :a),
    '42501', NULL, 'another executor cannot act on it');
SELECT lives_ok(format($$SELECT wf_test.as_role('wf_exec', 'SELECT licensing.confirm_complete(%s)')$$, :a), 'the executor confirms completeness');
SELECT is((SELECT due_at FROM licensing.application_step WHERE application = :a AND step = 'confirm_complete'),
    licensing.norm_due_at('2025-03-03 10:00+05', '2 working days', 'sko'), 'completeness was due 2 working days from receipt (No 441 of 28.12.2015, §4)');
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_head', 'SELECT licensing.grant(%s)')$$, :a),
    '42501', NULL, 'the head cannot decide');
SELECT is((SELECT count(*) FROM licensing.licence), 0::bigint, 'no licence before the decision is signed');
SELECT lives_ok(format($$SELECT wf_test.as_role('wf_exec', 'SELECT licensing.grant(%s)')$$, :a), 'the executor grants');
SELECT ok((SELECT outcome = 'granted' AND result_number IS NOT NULL FROM licensing.application WHERE id = :a),
    'the grant carries the allocated licence number');

-- ---- sign_decision
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_clerk', 'SELECT licensing.deliver(%s)')$$, :a),
    '55000', NULL, 'an unsigned decision cannot be delivered');
SELECT wf_test.snapshot(:a) AS s2 \gset
SELECT throws_ok(format($$SELECT wf_test.sign_as('wf_head', %s, %L)$$, :a, test_pki.sign(licensing.decision_payload(:a), 'person')),
    '42501', NULL, 'a valid signature by someone who is not the head is refused');
SELECT throws_ok(format($$SELECT wf_test.sign_as('wf_head', %s, '\x3082')$$, :a),
    '22023', NULL, 'a malformed signature is refused');
SELECT throws_ok(format($$SELECT wf_test.sign_as('wf_head', %s, %L)$$, :a, test_pki.sign(licensing.signing_payload(:a), 'head')),
    '22023', NULL, 'the head''s signature over other content is refused');
SELECT throws_ok(format($$SELECT wf_test.sign_as('wf_exec', %s, %L)$$, :a, test_pki.sign(licensing.decision_payload(:a), 'head')),
    '42501', NULL, 'the executor cannot sign');
SELECT is(wf_test.snapshot(:a), :'s2', 'the refused signatures changed nothing');
SELECT lives_ok(format($$SELECT wf_test.sign_as('wf_head', %s, %L)$$, :a, test_pki.sign(licensing.decision_payload(:a), 'head')), 'the head signs');
SELECT is((SELECT status FROM licensing.licence l JOIN licensing.application a ON a.result_number = l.number WHERE a.id = :a),
    'active', 'the signed grant created the licence');

-- ---- deliver, survey, history
SELECT lives_ok(format($$SELECT wf_test.as_role('wf_clerk', 'SELECT licensing.deliver(%s)')$$, :a), 'the clerk delivers');
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_clerk', 'SELECT licensing.survey(%s, 3, 3)')$$, :a),
    '42501', NULL, 'staff cannot answer the applicant''s survey');
SELECT lives_ok(format($$SELECT wf_test.portal('160140001230', 'SELECT licensing.survey(%s, 3, 2)')$$, :a), 'the applicant answers the survey');
SELECT throws_ok(format($$SELECT wf_test.portal('160140001230', 'SELECT licensing.survey(%s, 3, 2)')$$, :a),
    '55000', NULL, 'the survey is answered once');
SELECT is((SELECT string_agg(what, ',' ORDER BY seq) FROM licensing.application_event WHERE application = :a AND what NOT IN ('intake_refused', 'record_payment')),
    'create,attach_document,attach_document,submit,register,assign,confirm_complete,grant,sign_decision,deliver,survey', 'the history lists every step in order');
SELECT ok(licensing.verify_history(:a), 'the history chain verifies');
SET LOCAL TimeZone = 'Pacific/Kiritimati';
SET LOCAL bytea_output = 'escape';
SELECT ok(licensing.verify_history(:a), '... in a session with another TimeZone and bytea_output too');
RESET TimeZone; RESET bytea_output;

SELECT * FROM finish();
ROLLBACK;
