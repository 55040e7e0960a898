-- signature_chain.sql: revocation all the way up (issue #17): every certificate of the
-- chain, the CA certificates too, against its issuer's CRL, up through the trust anchors.
-- inter2 (make-pki.sh) is an intermediate the root revoked on 2024-01-01; revinter signs under it.
BEGIN;
\ir ../fixtures/signing.sql
SELECT plan(14);
SELECT test_pki.load_trust();
CREATE TEMP TABLE s AS SELECT test_pki.file('revinter.hello.p7s') AS revinter,
                              test_pki.file('company.hello.p7s') AS company;

SELECT is((SELECT (valid, problem, revocation_source)::text FROM s, licensing.verify_signature('hello', company, '2026-06-01')),
    '(t,,crl)', 'company: the signer against inter''s CRL, inter against root''s: valid');
SELECT is((SELECT problem FROM s, licensing.verify_signature('hello', revinter, '2026-06-01')), 'revoked',
    'the revoked intermediate in the CMS (not an anchor): revoked, though its signer''s own revocation is unknown');
SELECT is((SELECT problem FROM s, licensing.verify_signature('hello', revinter, '2026-06-01')), 'revoked',
    'the same again, from the backend''s certificate cache');

INSERT INTO licensing.trusted_certificate (certificate) VALUES (test_pki.cert('inter2'));
INSERT INTO licensing.revocation_list (crl) VALUES (test_pki.file('inter2.crl.der'));
SELECT is((SELECT problem FROM s, licensing.verify_signature('hello', revinter, '2026-06-01')), 'revoked',
    'the revoked intermediate loaded as an anchor itself: the root above it still revokes it');
SELECT is((SELECT problem FROM s, licensing.verify_signature('hello', revinter, '2026-06-01')), 'revoked',
    '... and from the cache');
SELECT is((SELECT problem FROM s, licensing.verify_signature('hello', revinter, '2023-06-01')), 'revoked',
    'without a trusted time, a listed CA certificate is revoked whatever `at` says');
DELETE FROM licensing.trusted_certificate WHERE certificate = test_pki.cert('root');
SELECT is((SELECT problem FROM s, licensing.verify_signature('hello', revinter, '2026-06-01')), NULL,
    'the root no longer trusted: inter2 is the top anchor, nothing above it speaks');
SELECT is((SELECT problem FROM s, licensing.verify_signature('hello', company, '2026-06-01')), NULL,
    'only the intermediate and its CRL: company is valid');

-- the root trusted again, without its CRL: the intermediate's revocation is unknown
INSERT INTO licensing.trusted_certificate (certificate) VALUES (test_pki.cert('root'));
SELECT is((SELECT (valid, problem)::text FROM s, licensing.verify_signature('hello', company, '2026-06-01')),
    '(f,revocation_unknown)', 'root trusted without its CRL: the intermediate''s revocation is unknown');
SELECT is((SELECT (valid, problem)::text FROM s, licensing.verify_signature('hello', company, '2026-06-01')),
    '(f,revocation_unknown)', '... and from the cache');
INSERT INTO licensing.revocation_list (crl) VALUES (test_pki.file('root-stale.crl.der'));
SELECT is((SELECT problem FROM s, licensing.verify_signature('hello', company, '2026-06-01')), 'revocation_unknown',
    'root''s CRL past its next update: the intermediate''s revocation is unknown');
SELECT is((SELECT problem FROM s, licensing.verify_signature('hello', company, '2020-03-01')), NULL,
    'at a moment inside that CRL''s window: valid');
SELECT is((SELECT problem FROM s, licensing.verify_signature('hello', revinter, '2020-03-01')), 'revoked',
    'that CRL lists inter2 already: revoked');
INSERT INTO licensing.revocation_list (crl) VALUES (test_pki.file('root.crl.der'));
SELECT is((SELECT problem FROM s, licensing.verify_signature('hello', company, '2026-06-01')), NULL,
    'root''s current CRL back: valid');

SELECT * FROM finish();
ROLLBACK;
