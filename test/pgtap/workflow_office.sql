-- The office channel (No 382 of 19.12.2012 and No 40 of 29.03.2013, §7) on profile
-- almaty-2014 (route and approve steps, No 161 of 13.05.2014, §17–24), and the
-- ecological expertise on karaganda-2013 (No 29/02 of 22.05.2013).
BEGIN;
SELECT plan(50);
\ir ../fixtures/signing.sql
SELECT test_pki.load_trust();
\ir ../fixtures/workflow.sql

-- ---- create at the office
SELECT throws_ok($$SELECT wf_test.as_role('wf_head', $q$SELECT licensing.create_application('scrap-metal', 'issue', '160140001230', 'alm', channel => 'office')$q$)$$,
    '42501', NULL, 'only a clerk enters office applications');
SELECT throws_ok($$SELECT wf_test.as_role('wf_clerk', $q$SELECT licensing.create_application('scrap-metal', 'issue', '230741005553', 'alm', channel => 'office')$q$)$$,
    '22023', NULL, 'scrap-metal refuses a branch BIN: the licence is for the head office');
SELECT throws_ok($$SELECT wf_test.as_role('wf_clerk', $q$SELECT licensing.create_application('scrap-metal', 'issue', '160140001230', 'alm', channel => 'office', representative => '850625300123')$q$)$$,
    '22023', NULL, 'a representative without a power of attorney number is 22023');
SELECT throws_ok($$SELECT wf_test.portal('160140001230', $q$SELECT licensing.create_application('scrap-metal', 'issue', '160140001230', 'alm', representative => '850625300123', attorney_number => 'PoA-2025-1')$q$)$$,
    '22023', NULL, 'a representative is named at the office only');

-- ---- registry and power-of-attorney checks
SELECT wf_test.as_role('wf_clerk', $q$SELECT licensing.create_application('scrap-metal', 'issue', '160140002000', 'alm', channel => 'office')$q$) AS unknown \gset
SELECT wf_test.pay(:unknown);
SELECT wf_test.snapshot(:unknown) AS s0 \gset
SELECT is((wf_test.submit(:unknown)).ground, 'applicant_not_found', 'an entity missing from the registry: applicant_not_found');
SELECT is((SELECT state FROM licensing.application WHERE id = :unknown), 'draft', '... and the application stays a draft');
SELECT is((SELECT what || ' ' || (payload->>'ground') FROM licensing.application_event WHERE application = :unknown ORDER BY seq DESC LIMIT 1),
    'intake_refused applicant_not_found', '... recorded in its history');
INSERT INTO licensing.legal_entity (bin, name, active) VALUES ('160140002000', 'ТОО «Жаңа»', false);
SELECT is((wf_test.submit(:unknown)).ground, 'applicant_not_found', 'an inactive entity: applicant_not_found');

SELECT wf_test.as_role('wf_clerk', $q$SELECT licensing.create_application('scrap-metal', 'issue', '160140001230', 'alm', channel => 'office', representative => '850625300123', attorney_number => 'PoA-X')$q$) AS rep \gset
SELECT wf_test.pay(:rep);
SELECT is((wf_test.submit(:rep)).ground, 'attorney_not_found', 'an unknown power of attorney: attorney_not_found');
INSERT INTO licensing.power_of_attorney (number, principal, representative, valid_from, valid_to, revoked) VALUES
('PoA-X', '160140001230', '850625300123', '2025-01-01', '2025-12-31', true);
SELECT is((wf_test.submit(:rep)).ground, 'attorney_not_found', 'a revoked power of attorney: attorney_not_found');
UPDATE licensing.power_of_attorney SET revoked = false, valid_to = '2025-02-28' WHERE number = 'PoA-X';
SELECT is((wf_test.submit(:rep)).ground, 'attorney_not_found', 'an expired power of attorney: attorney_not_found');
UPDATE licensing.power_of_attorney SET valid_to = '2025-12-31', representative = '901120405675' WHERE number = 'PoA-X';
SELECT is((wf_test.submit(:rep)).ground, 'attorney_not_found', 'a power of attorney for another representative: attorney_not_found');
UPDATE licensing.power_of_attorney SET representative = '850625300123' WHERE number = 'PoA-X';
SELECT ok((wf_test.submit(:rep)).accepted, 'a valid notarised power of attorney: accepted');

-- ---- the almaty-2014 chain: route and approve
SELECT wf_test.draft('scrap-metal', '160140001230', 'alm', 'office') AS a \gset
SELECT is((SELECT paper_original FROM licensing.application_document WHERE application = :a AND kind = 'charter'), true, 'the clerk marks the paper original');
SELECT is((wf_test.submit(:a)).ground, 'no_payment', 'the fee is owed at the office too');
SELECT wf_test.pay(:a);
SELECT ok((wf_test.submit(:a)).accepted, 'the clerk submits without a signature after the registry checks');
SELECT ok((SELECT number ~ '^alm-2025-' FROM licensing.application WHERE id = :a), 'numbered for the provider and year');
SELECT is((SELECT due_at FROM licensing.application_step WHERE application = :a AND step = 'register'),
    '2025-03-03 11:00+05'::timestamptz, 'register is due in 1 working hour (No 161 of 13.05.2014, §17)');
SELECT lives_ok(format($$SELECT wf_test.as_role('wf_clerk', 'SELECT licensing.register(%s)')$$, :a), 'registered');
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_head', 'SELECT licensing.assign(%s, ''wf_exec'')')$$, :a),
    '55000', NULL, 'almaty-2014 routes before assigning');
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_unit_head', 'SELECT licensing.route(%s, ''metals'')')$$, :a),
    '42501', NULL, 'the unit head cannot route (the head''s position)');
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_head', 'SELECT licensing.route(%s, '''')')$$, :a),
    '22023', NULL, 'routing needs a unit');
SELECT lives_ok(format($$SELECT wf_test.as_role('wf_head', 'SELECT licensing.route(%s, ''metals'')')$$, :a), 'the head routes to a unit');
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_head', 'SELECT licensing.assign(%s, ''wf_exec'')')$$, :a),
    '42501', NULL, 'in almaty-2014 the unit head assigns, not the head');
SELECT lives_ok(format($$SELECT wf_test.as_role('wf_unit_head', 'SELECT licensing.assign(%s, ''wf_exec'')')$$, :a), 'the unit head assigns');
SELECT wf_test.advance(:a, 'decided');
SELECT throws_ok(format($$SELECT wf_test.sign_as('wf_head', %s, %L)$$, :a, test_pki.sign(licensing.decision_payload(:a), 'head')),
    '55000', NULL, 'almaty-2014 approves before the head signs');
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_exec', 'SELECT licensing.approve(%s)')$$, :a),
    '42501', NULL, 'the executor cannot approve');
SELECT lives_ok(format($$SELECT wf_test.as_role('wf_unit_head', 'SELECT licensing.approve(%s)')$$, :a), 'the unit head approves (No 161 of 13.05.2014, §22)');
SELECT lives_ok(format($$SELECT wf_test.sign_as('wf_head', %s, %L)$$, :a, test_pki.sign(licensing.decision_payload(:a), 'head')), 'the head signs');
SELECT is((SELECT due_at - started_at FROM licensing.application_step WHERE application = :a AND step = 'deliver'),
    '00:20:00'::interval, 'a paper application''s result is due in 20 minutes (No 161 of 13.05.2014, §26)');
SELECT lives_ok(format($$SELECT wf_test.as_role('wf_clerk', 'SELECT licensing.deliver(%s, true)')$$, :a), 'delivered on paper');
SELECT is((SELECT string_agg(step, ',' ORDER BY position) FROM licensing.application_step WHERE application = :a),
    'register,route,assign,confirm_complete,decide,approve,sign_decision,deliver', 'every step of almaty-2014 was opened in order');
SELECT ok((SELECT bool_and(finished_at IS NOT NULL AND due_at <= (SELECT term_end_at FROM licensing.application WHERE id = :a))
           FROM licensing.application_step WHERE application = :a), 'every step closed, none due after the term''s end');

-- ---- ecological expertise (karaganda-2013): an individual, no fee, one month
SELECT wf_test.draft('eco-expertise', '901120405675', 'krg') AS e \gset
SELECT is((wf_test.submit(:e, 'company')).ground, 'signature_not_confirmed', 'the company cannot sign for an individual');
SELECT ok((wf_test.submit(:e)).accepted, 'an individual signs with its IIN; no fee is owed');
SELECT is((SELECT due_on FROM licensing.application WHERE id = :e), '2025-04-03'::date, 'a one-month term from receipt 2025-03-03 ends 2025-04-03');
SELECT is((SELECT due_at FROM licensing.application_step WHERE application = :e AND step = 'register'),
    (SELECT term_end_at FROM licensing.application WHERE id = :e), 'karaganda-2013 steps are due at the term''s end');
SELECT is(wf_test.advance(:e, 'delivered'), 'delivered', 'the conclusion walks to delivery');
SELECT is((SELECT kind FROM licensing.licence l JOIN licensing.application a ON a.result_number = l.number WHERE a.id = :e),
    'conclusion', 'the result is a conclusion');

SELECT wf_test.as_role('wf_clerk', $q$SELECT licensing.create_application('eco-expertise', 'issue', '990101401008', 'krg', '{"object": {"name": "Карьер", "address": "Теміртау қ.", "category": "II"}}', channel => 'office')$q$) AS p \gset
SELECT is((wf_test.submit(:p)).ground, 'applicant_not_found', 'an individual missing from the person registry: applicant_not_found');
SELECT ok((wf_test.submit(wf_test.draft('eco-expertise', '901120405675', 'krg', 'office'))).accepted, 'an individual in the registry is accepted at the office');

-- ---- receipt outside working hours (API §2)
SELECT licensing.set_clock('2025-03-07 19:30+05');
SELECT wf_test.draft('eco-expertise', '901120405675', 'krg') AS late \gset
SELECT ok((wf_test.submit(:late)).accepted, 'submitted on Friday evening');
SELECT is((SELECT receipt_day FROM licensing.application WHERE id = :late), licensing.receipt_day('2025-03-07 19:30+05', 'krg'),
    'the receipt day follows the calendar''s rule');
SELECT ok((SELECT receipt_day > '2025-03-07' FROM licensing.application WHERE id = :late), '... the next working day');

-- ---- lateness never blocks
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko', 'office') AS slow \gset
SELECT licensing.set_clock('2025-03-10 09:00+05');
SELECT wf_test.advance(:slow, 'submitted');
SELECT licensing.set_clock('2025-03-12 16:00+05');
SELECT lives_ok(format($$SELECT wf_test.as_role('wf_clerk', 'SELECT licensing.register(%s)')$$, :slow), 'registering two days late is allowed');
SELECT ok((SELECT violation AND finished_at > due_at FROM licensing.application_step WHERE application = :slow AND step = 'register'),
    'the late step is recorded as a violation (finished after its due moment)');
SELECT is((SELECT state FROM licensing.application WHERE id = :slow), 'registered', '... and the application went on');
SELECT ok(licensing.verify_history(), 'every history chain verifies');

-- ---- an id past 2^53: the hashed body writes it as JSON's double does (9007199254740992)
SELECT setval('licensing.application_id_seq', 9007199254740992);
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko', 'office') AS huge \gset
SELECT is(:huge::bigint, 9007199254740993, 'an application id that a double cannot hold');
SELECT wf_test.advance(:huge, 'registered');
SELECT ok(licensing.verify_history(:huge), '... its chain, written by the C append and recomputed in SQL, verifies');

SELECT * FROM finish();
ROLLBACK;
