-- Bad input to every workflow function: a clear SQLSTATE, never a crash, nothing changed.
BEGIN;
SELECT plan(30);
\ir ../fixtures/signing.sql
SELECT test_pki.load_trust();
\ir ../fixtures/workflow.sql

SELECT wf_test.draft('scrap-metal', '160140001230', 'sko') AS a \gset
SELECT wf_test.snapshot(:a) AS s0 \gset

-- create_application
SELECT throws_ok($$SELECT wf_test.portal('160140001230', $q$SELECT licensing.create_application('scrap-metal', 'issue', NULL, 'sko')$q$)$$,
    '22023', NULL, 'a NULL applicant is 22023');
SELECT throws_ok($$SELECT wf_test.portal('160140001230', $q$SELECT licensing.create_application('scrap-metal', 'issue', '160140001230', 'nowhere')$q$)$$,
    '22023', NULL, 'an unknown provider is 22023');
SELECT throws_ok($$SELECT wf_test.portal('160140001230', $q$SELECT licensing.create_application('scrap-metal', 'issue', '160140001230', 'sko', channel => 'fax')$q$)$$,
    '22023', NULL, 'an unknown channel is 22023');
SELECT throws_ok($$SELECT wf_test.portal('160140001230', $q$SELECT licensing.create_application('scrap-metal', 'issue', '160140001230', 'sko', '[1,2]')$q$)$$,
    '22023', NULL, 'a form that is not an object is 22023');
SELECT throws_ok($$SELECT wf_test.portal('160140001230', $q$SELECT licensing.create_application('scrap-metal', 'issue', '1601400012301601400012301', 'sko')$q$)$$,
    '22P02', NULL, 'an oversized identifier is 22P02');
SELECT throws_ok($$SELECT wf_test.portal('160140001230', $q$SELECT licensing.create_application('scrap-metal', 'issue', '160140001230', 'sko', licence_number => 'KZL1')$q$)$$,
    '22023', NULL, 'an issue names no licence');
SELECT throws_ok($$SELECT wf_test.portal('160140001230', $q$SELECT licensing.create_application('scrap-metal', 'duplicate', '160140001230', 'sko')$q$)$$,
    '22023', NULL, 'a duplicate needs the licence number');
SELECT throws_ok(format($$SELECT wf_test.portal('160140001230', 'SELECT licensing.create_application(''scrap-metal'', ''duplicate'', ''160140001230'', ''sko'', licence_number => ''%s'')')$$,
                        coalesce(licensing.licence_number_make('licence', 2025, 99), licensing.licence_number_make('licence', 2025, 98))),
    'P0002', NULL, 'a duplicate of a licence that does not exist is P0002');
SELECT throws_ok($$SELECT wf_test.portal('160140001230', $q$SELECT licensing.create_application('eco-expertise', 'reissue', '160140001230', 'krg', licence_number => 'X')$q$)$$,
    '22023', NULL, 'eco-expertise has no re-issue');
SELECT throws_ok($$SELECT wf_test.as_role('wf_portal', $q$SELECT licensing.act_for('not a number')$q$)$$,
    '22P02', NULL, 'act_for with garbage is 22P02');

-- attach_document
SELECT throws_ok(format($$SELECT wf_test.portal('160140001230', 'SELECT licensing.attach_document(%s, ''charter'', ''''::bytea, ''x.pdf'')')$$, :a),
    '22023', NULL, 'an empty document is 22023');
SELECT throws_ok(format($$SELECT wf_test.portal('160140001230', 'SELECT licensing.attach_document(%s, NULL, ''abc''::bytea, ''x.pdf'')')$$, :a),
    '22023', NULL, 'a document without kind is 22023');
SELECT throws_ok(format($$SELECT wf_test.portal('160140001230', 'SELECT licensing.attach_document(%s, ''charter'', ''abc''::bytea, '' '')')$$, :a),
    '22023', NULL, 'a document without file name is 22023');
SELECT throws_ok($$SELECT wf_test.portal('160140001230', 'SELECT licensing.attach_document(987654, ''charter'', ''abc''::bytea, ''x.pdf'')')$$,
    'P0002', NULL, 'a document for a missing application is P0002');
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_clerk', 'SELECT licensing.attach_document(%s, ''charter'', ''abc''::bytea, ''x.pdf'')')$$, :a),
    '42501', NULL, 'a clerk cannot attach to a portal application');

-- record_payment
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_gateway', 'SELECT licensing.record_payment(%s, 0, ''P-0'')')$$, :a),
    '22023', NULL, 'a zero payment is 22023');
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_gateway', 'SELECT licensing.record_payment(%s, -5, ''P-0'')')$$, :a),
    '22023', NULL, 'a negative payment is 22023');
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_gateway', 'SELECT licensing.record_payment(%s, 10, NULL)')$$, :a),
    '22023', NULL, 'a payment without reference is 22023');
SELECT throws_ok($$SELECT wf_test.as_role('wf_gateway', 'SELECT licensing.record_payment(987654, 10, ''P-9'')')$$,
    'P0002', NULL, 'a payment for a missing application is P0002');
SELECT throws_ok($$SELECT wf_test.as_role('wf_gateway', 'SELECT licensing.record_payment(NULL, 10, ''P-9'')')$$,
    '22023', NULL, 'a payment for a NULL application is 22023');
SELECT is(wf_test.snapshot(:a), :'s0', 'none of the bad calls changed the application');

-- the others
SELECT throws_ok('SELECT licensing.signing_payload(987654)', 'P0002', NULL, 'signing_payload of a missing application is P0002');
SELECT throws_ok(format('SELECT licensing.decision_payload(%s)', :a), '55000', NULL, 'decision_payload before a decision is 55000');
SELECT throws_ok($$SELECT wf_test.portal('160140001230', 'SELECT licensing.submit(987654)')$$, 'P0002', NULL, 'submit of a missing application is P0002');
SELECT throws_ok(format($$SELECT wf_test.portal('160140001230', 'SELECT licensing.survey(%s, 3, 3)')$$, :a), '55000', NULL, 'a survey before delivery is 55000');
SELECT wf_test.pay(:a);
SELECT is((wf_test.psubmit('160140001230', :a, '\x00ff00'::bytea)).ground, 'signature_not_confirmed', 'random bytes as a signature: not confirmed, no crash');
SELECT wf_test.advance(:a, 'delivered') IS NOT NULL AS delivered;
SELECT throws_ok(format($$SELECT wf_test.portal('160140001230', 'SELECT licensing.survey(%s, 4, 3)')$$, :a), '22023', NULL, 'a survey answer of 4 is 22023');
SELECT throws_ok(format($$SELECT wf_test.portal('160140001230', 'SELECT licensing.survey(%s, NULL, 3)')$$, :a), '22023', NULL, 'a NULL survey answer is 22023');
SELECT throws_ok(format($$SELECT wf_test.portal('160140001230', 'SELECT licensing.attach_document(%s, ''late'', ''abc''::bytea, ''x.pdf'')')$$, :a),
    '55000', NULL, 'documents are attached to drafts only');
SELECT ok(licensing.verify_history(NULL), 'verify_history(NULL) checks every chain');

SELECT * FROM finish();
ROLLBACK;
