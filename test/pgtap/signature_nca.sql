-- signature_nca.sql: signatures as the national CA issues them (issue #17, API §5 rev. 2):
-- who may sign (role EKUs under 1.2.398.3.3.4.1, key purpose), one test per rule.
-- The signers are those of test/fixtures/make-pki.sh; a fixed `at` inside their window.
BEGIN;
\ir ../fixtures/signing.sql
SELECT plan(39);
SELECT test_pki.load_trust();
\ir ../fixtures/workflow.sql

CREATE TEMP TABLE r AS
SELECT s AS signer, v.*
  FROM (VALUES ('company'), ('lmaysign'), ('lfinancial'), ('lhr'), ('lemployee'), ('individual'),
               ('lnoroles'), ('person'), ('auth'), ('nokeyusage')) a(s),
       LATERAL licensing.verify_signature('hello', test_pki.sign('hello', s), '2026-06-01 00:00+00') v;

-- ---- roles and key purpose, reported
SELECT is((SELECT (valid, problem, key_purpose, roles)::text FROM r WHERE signer = 'company'),
    '(t,,sign,"{employee,first_head}")', 'first head (1.2 + 1.2.1): a signing key, valid');
SELECT is((SELECT (valid, problem, key_purpose, roles)::text FROM r WHERE signer = 'lmaysign'),
    '(t,,sign,"{employee,may_sign}")', 'right to sign (1.2.2): valid');
SELECT is((SELECT (valid, problem, roles)::text FROM r WHERE signer = 'lfinancial'),
    '(f,no_signing_right,"{employee,may_sign_financial}")', 'financial documents only (1.2.3): no_signing_right');
SELECT is((SELECT (valid, problem, roles)::text FROM r WHERE signer = 'lhr'),
    '(f,no_signing_right,"{employee,hr}")', 'HR (1.2.4): no_signing_right');
SELECT is((SELECT (valid, problem, roles)::text FROM r WHERE signer = 'lemployee'),
    '(f,no_signing_right,{employee})', 'employee (1.2.5): no_signing_right');
SELECT is((SELECT (signer_iin, signer_bin, subject)::text FROM r WHERE signer = 'lhr'),
    '(901120405675,160140001230,"serialNumber=IIN901120405675,CN=HR,OU=BIN160140001230,O=TOO Metall Trade,C=KZ")',
    'a signer without the right to sign is still named');
SELECT is((SELECT (valid, problem, key_purpose, roles)::text FROM r WHERE signer = 'individual'),
    '(t,,sign,{individual})', 'individual (1.1): valid, no legal entity to sign for');
SELECT is((SELECT (valid, problem, key_purpose, roles)::text FROM r WHERE signer = 'lnoroles'),
    '(t,,sign,{})', 'a BIN certificate without role EKUs (another CA''s profile): reported with no roles, valid');
SELECT is((SELECT (valid, problem, key_purpose, roles)::text FROM r WHERE signer = 'person'),
    '(t,,sign,{})', 'no NCA EKU at all: roles empty, not a crash');
SELECT is((SELECT (valid, problem, key_purpose, roles)::text FROM r WHERE signer = 'auth'),
    '(f,not_for_signing,auth,"{employee,first_head}")', 'an authentication key (clientAuth, digitalSignature + keyEncipherment) does not sign');
SELECT is((SELECT (problem, key_purpose)::text FROM r WHERE signer = 'nokeyusage'),
    '(key_usage,)', 'keyEncipherment only: key_usage comes first, no purpose');
SELECT is((SELECT (revocation_source, timestamped_at)::text FROM r WHERE signer = 'company'),
    '(crl,)', 'revocation decided by the issuer''s CRL; no timestamp token');
SELECT is((SELECT revocation_source FROM r WHERE signer = 'auth'), 'crl',
    'revocation was checked before the key purpose refused');
SELECT is((SELECT (problem, revocation_source, key_purpose)::text
             FROM licensing.verify_signature('hellO', test_pki.sign('hello', 'auth'), '2026-06-01 00:00+00')),
    '(bad_signature,,auth)', 'a broken signature: revocation not reached, the purpose still reported');
SELECT is((SELECT problem FROM licensing.verify_signature('hello', test_pki.sign('hello', 'company,lhr'), '2026-06-01 00:00+00')),
    'no_signing_right', 'two signers: the one without the right to sign is reported');

-- ---- certificate_info
SELECT is((SELECT (key_purpose, roles, timestamped_at, revocation_source)::text FROM licensing.certificate_info(test_pki.cert('company'))),
    '(sign,"{employee,first_head}",,)', 'certificate_info: purpose and roles of the first head');
SELECT is((SELECT (key_purpose, roles)::text FROM licensing.certificate_info(test_pki.cert('auth'))),
    '(auth,"{employee,first_head}")', 'certificate_info: an authentication key');
SELECT is((SELECT (key_purpose, roles)::text FROM licensing.certificate_info(test_pki.cert('root'))),
    '(,{})', 'certificate_info: a CA has no purpose and no roles');
SELECT is((SELECT (key_purpose, roles)::text FROM licensing.certificate_info(test_pki.cert('individual'))),
    '(sign,{individual})', 'certificate_info: an individual');

-- ---- a legal entity's application: first head or right to sign (default, no rows)
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko') AS a1 \gset
SELECT wf_test.pay(:a1);
SELECT is((wf_test.submit(:a1, 'lfinancial')).ground, 'signature_not_confirmed', 'submit: financial right only is refused');
SELECT is((wf_test.submit(:a1, 'lhr')).ground, 'signature_not_confirmed', 'submit: HR is refused');
SELECT is((wf_test.submit(:a1, 'lemployee')).ground, 'signature_not_confirmed', 'submit: an employee is refused');
SELECT is((wf_test.submit(:a1, 'lnoroles')).ground, 'signature_not_confirmed', 'submit: a BIN certificate without roles is refused');
SELECT is((wf_test.submit(:a1, 'auth')).ground, 'signature_not_confirmed', 'submit: the first head''s authentication key is refused');
SELECT is((wf_test.submit(:a1, 'individual')).ground, 'signature_not_confirmed', 'submit: an individual (another IIN, no BIN) is refused');
SELECT ok((SELECT payload::text LIKE '%holds none of the roles%may_sign_financial%' FROM licensing.application_event
            WHERE application = :a1 AND what = 'intake_refused' ORDER BY seq LIMIT 1),
    'the refusal names the roles the certificate has');
SELECT is((SELECT state FROM licensing.application WHERE id = :a1), 'draft', 'the refused application stays a draft');
SELECT is((wf_test.submit(:a1, 'lmaysign')).accepted, true, 'submit: the right to sign (1.2.2) is accepted');
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko') AS a2 \gset
SELECT wf_test.pay(:a2);
SELECT is((wf_test.submit(:a2, 'company')).accepted, true, 'submit: the first head (1.2.1) is accepted');

-- ---- per service, as data: only financial signers for scrap-metal
SELECT throws_ok($$SELECT wf_test.as_role('wf_portal', $q$INSERT INTO licensing.signing_role VALUES ('scrap-metal', 'hr') RETURNING role$q$)$$,
    '42501', NULL, 'the portal cannot change who may sign');
SELECT throws_ok($$INSERT INTO licensing.signing_role VALUES ('scrap-metal', 'owner')$$,
    '23514', NULL, 'only the roles of API §5');
SELECT lives_ok($$SELECT wf_test.as_role('wf_admin', $q$INSERT INTO licensing.signing_role VALUES ('scrap-metal', 'may_sign_financial') RETURNING role$q$)$$,
    'an admin names the roles that suffice for a service');
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko') AS a3 \gset
SELECT wf_test.pay(:a3);
SELECT is((wf_test.submit(:a3, 'company')).ground, 'signature_not_confirmed', 'with rows: the first head no longer suffices');
SELECT is((wf_test.submit(:a3, 'lmaysign')).ground, 'signature_not_confirmed', 'with rows: nor the right to sign');
SELECT is((wf_test.submit(:a3, 'lhr')).ground, 'signature_not_confirmed', 'with rows: HR still refused');
SELECT is((wf_test.submit(:a3, 'lfinancial')).accepted, true, 'with rows: the financial signer is accepted');
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko') AS a4 \gset
SELECT wf_test.pay(:a4);
SELECT is((wf_test.submit(:a4, 'auth')).ground, 'signature_not_confirmed', 'the rows never admit an authentication key');
DELETE FROM licensing.signing_role;
SELECT is((wf_test.submit(:a4, 'company')).accepted, true, 'rows gone: the default again');
SELECT is((SELECT count(*)::int FROM licensing.application WHERE id IN (:a1, :a2, :a3, :a4) AND state <> 'draft'), 4,
    'four applications accepted, each by a signer with the right');

SELECT * FROM finish();
ROLLBACK;
