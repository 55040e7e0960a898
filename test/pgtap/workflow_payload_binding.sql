-- A signature binds to one application as it was signed (API §4, revision 2):
-- signing_payload and decision_payload carry the application's id and its
-- revision (the last event that changed it), so a signature over one draft does
-- not submit its twin, one made before a document was attached does not submit
-- the changed draft, and a head's signature does not sign another decision.
BEGIN;
SELECT plan(15);
\ir ../fixtures/signing.sql
SELECT test_pki.load_trust();
\ir ../fixtures/workflow.sql

-- ---- twin drafts: the same service, applicant, provider, form and documents
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko') AS x \gset
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko') AS y \gset
SELECT wf_test.pay(:x);
SELECT wf_test.pay(:y);
SELECT isnt(licensing.signing_payload(:x), licensing.signing_payload(:y), 'twin drafts yield different bytes');
SELECT is((convert_from(licensing.signing_payload(:x), 'UTF8')::jsonb ->> 'id')::bigint, :x::bigint,
    'the payload names its application''s id');
SELECT test_pki.sign(licensing.signing_payload(:x), 'company') AS sig_x \gset
SELECT is((wf_test.psubmit('160140001230', :y, :'sig_x')).ground, 'signature_not_confirmed',
    'a valid signature over one draft does not submit its twin (signature_not_confirmed)');
SELECT is((SELECT state FROM licensing.application WHERE id = :y), 'draft', 'the twin stays a draft');
SELECT is((wf_test.psubmit('160140001230', :x, :'sig_x')).accepted, true,
    'the same signature submits the draft it was made for');

-- ---- the same draft yields the same bytes; a change of the draft voids a signature
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko') AS z \gset
SELECT licensing.signing_payload(:z) AS p0 \gset
SELECT test_pki.sign(:'p0'::bytea, 'company') AS sig_z \gset
SELECT is((wf_test.psubmit('160140001230', :z, :'sig_z')).ground, 'no_payment', 'submit before the payment is refused');
SELECT wf_test.pay(:z);
SELECT is(licensing.signing_payload(:z), :'p0'::bytea,
    'an intake refusal and a payment do not change the draft: the same bytes');
SELECT ok(wf_test.portal('160140001230', format('SELECT licensing.attach_document(%s, %L, %L::bytea, %L)',
              :z, 'licence_copy', 'a document attached after signing', 'copy.pdf')) IS NOT NULL,
    'a document is attached after the applicant signed');
SELECT isnt(licensing.signing_payload(:z), :'p0'::bytea, 'the changed draft yields other bytes');
SELECT is((wf_test.psubmit('160140001230', :z, :'sig_z')).ground, 'signature_not_confirmed',
    'the signature made before the document was attached is refused');
SELECT is((wf_test.psubmit('160140001230', :z, test_pki.sign(licensing.signing_payload(:z), 'company'))).accepted, true,
    'signed again over the changed draft, it is accepted');

-- ---- decisions: twins decided alike, and a decision approved after signing
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko', 'office') AS d1 \gset
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko', 'office') AS d2 \gset
SELECT wf_test.advance(:d1, 'decided'), wf_test.advance(:d2, 'decided');
SELECT test_pki.sign(licensing.decision_payload(:d1), 'head') AS dsig1 \gset
SELECT throws_ok(format($$SELECT wf_test.sign_as('wf_head', %s, %L::bytea)$$, :d2, :'dsig1'), '22023', NULL,
    'a head''s signature over one decision does not sign its twin''s');
SELECT lives_ok(format($$SELECT wf_test.sign_as('wf_head', %s, %L::bytea)$$, :d1, :'dsig1'),
    'the same signature signs the decision it was made for');

SELECT wf_test.draft('scrap-metal', '160140001230', 'alm', 'office') AS d3 \gset
SELECT wf_test.advance(:d3, 'decided');
SELECT test_pki.sign(licensing.decision_payload(:d3), 'head') AS dsig3 \gset
SELECT wf_test.advance(:d3, 'approved');
SELECT throws_ok(format($$SELECT wf_test.sign_as('wf_head', %s, %L::bytea)$$, :d3, :'dsig3'), '22023', NULL,
    'a signature made before the decision''s last step (the unit head''s approval) is refused');
SELECT lives_ok(format($$SELECT wf_test.sign_as('wf_head', %s, %L::bytea)$$, :d3,
                       test_pki.sign(licensing.decision_payload(:d3), 'head')),
    'signed again over the approved decision, it is signed');

SELECT * FROM finish();
ROLLBACK;
