-- Demo, part 3: electronic digital signatures (API §5), verified inside the database.
\set QUIET on
SELECT set_config('test_pki.dir', :'pki', false) \gset
\ir ../fixtures/signing.sql
\echo
\echo '== 3. Electronic digital signatures: the trust store and verify_signature'
\echo 'The DBA trusts the (test) national CA: root and intermediate certificates and their CRLs.'
SELECT test_pki.load_trust() \gset
SELECT subject, serial, not_before::date AS "valid from", not_after::date AS "valid to"
  FROM licensing.trusted_certificate ORDER BY not_before, serial;
SELECT issuer AS "CRL of", this_update::date AS "issued", next_update::date AS "next update",
       revoked_count AS "revoked certificates"
  FROM licensing.revocation_list ORDER BY issuer;

\echo 'A signer''s own certificate is no trust anchor: the insert is refused.'
DO $$
DECLARE m text; h text;
BEGIN
    INSERT INTO licensing.trusted_certificate (certificate) VALUES (test_pki.cert('company'));
EXCEPTION WHEN invalid_parameter_value THEN
    GET STACKED DIAGNOSTICS m = MESSAGE_TEXT, h = PG_EXCEPTION_HINT;
    RAISE NOTICE '% (hint: %)', m, h;
END $$;

\echo
\echo 'What the signature of an employee signing for his company says (detached CMS over the request):'
CREATE TEMP TABLE demo_request AS
SELECT convert_to('{"applicant":"160140001230","service":"scrap-metal"}', 'UTF8') AS payload;
SELECT valid, problem, signer_iin AS "IIN (serialNumber)", signer_bin AS "BIN (OU)", subject, issuer, serial
  FROM demo_request, licensing.verify_signature(payload, test_pki.sign(payload, 'company'));

\echo 'Every signer of the test PKI over the same request, verified now:'
SELECT s AS "signer", valid, coalesce(problem, '-') AS problem,
       coalesce(signer_iin::text, '-') AS "IIN", coalesce(signer_bin::text, '-') AS "BIN"
  FROM demo_request,
       unnest(ARRAY['company', 'person', 'head', 'ecdsa', 'ecdsa384', 'pss', 'expired', 'notyet',
                    'revoked', 'nokeyusage', 'lookalike', 'untrusted']) WITH ORDINALITY AS t(s, n),
       licensing.verify_signature(payload, test_pki.sign(payload, s))
 ORDER BY n;

\echo 'The request changed after signing, and a signature that is no CMS at all:'
SELECT 'content changed' AS "case", valid, problem
  FROM demo_request, licensing.verify_signature(payload || '\x20'::bytea, test_pki.sign(payload, 'company'))
UNION ALL
SELECT 'garbage signature', valid, problem FROM licensing.verify_signature('x', '\xdeadbeef');
DROP TABLE demo_request;
\set QUIET off
