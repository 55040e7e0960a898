-- signature.sql: the trust store and certificate_info as a DBA sees them (API §3, §5).
CREATE EXTENSION licensing;
\getenv pki LICENSING_PKI
SET TimeZone = 'UTC';
CREATE FUNCTION pg_temp.pki(name text) RETURNS bytea LANGUAGE sql
    AS $$ SELECT pg_read_binary_file(current_setting('sig.pki') || '/' || name) $$;
SELECT set_config('sig.pki', :'pki', false) IS NOT NULL AS pki_set;

-- a CRL before its issuer is trusted: refused, with what to do
INSERT INTO licensing.revocation_list (crl) VALUES (pg_temp.pki('inter.crl.der'));
-- a signer's certificate is no trust anchor
INSERT INTO licensing.trusted_certificate (certificate) VALUES (pg_temp.pki('company.crt.der'));
\set VERBOSITY terse
INSERT INTO licensing.trusted_certificate (certificate) VALUES ('\x300100'::bytea);
INSERT INTO licensing.trusted_certificate (certificate) VALUES (pg_temp.pki('root.crt.pem'));
\set VERBOSITY default

INSERT INTO licensing.trusted_certificate (certificate)
VALUES (pg_temp.pki('root.crt.der')), (pg_temp.pki('inter.crt.der'));
INSERT INTO licensing.revocation_list (crl)
VALUES (pg_temp.pki('root.crl.der')), (pg_temp.pki('inter.crl.der'));
-- a CRL that names our root but was signed by another key
INSERT INTO licensing.revocation_list (crl) VALUES (pg_temp.pki('untrusted-root.crl.der'));

SELECT subject, issuer, serial, not_before, not_after FROM licensing.trusted_certificate ORDER BY serial;
SELECT issuer, this_update, next_update, revoked_count FROM licensing.revocation_list ORDER BY issuer;
SELECT * FROM licensing.trust_store_status();

SELECT n AS certificate, iin, bin, subject, serial, key_usage, is_ca
  FROM unnest(ARRAY['company', 'person', 'lookalike', 'badiin', 'nokeyusage', 'inter']) n,
       licensing.certificate_info(pg_temp.pki(n || '.crt.der'));

SELECT n AS signature, valid, problem, signer_iin, signer_bin, serial
  FROM unnest(ARRAY['company.hello.p7s', 'company.hello-embedded.p7s', 'ecdsa.hello.p7s', 'pss.hello.p7s',
                    'expired.hello.p7s', 'revoked.hello.p7s']) n,
       licensing.verify_signature(CASE WHEN n LIKE '%embedded%' THEN NULL ELSE 'hello'::bytea END,
                                  pg_temp.pki(n), '2026-06-01');

DROP EXTENSION licensing CASCADE;
