-- signature_store.sql: the trust store tables (API §3), their checks, rights and cache.
BEGIN;
\ir ../fixtures/signing.sql
SELECT plan(41);
-- start from an empty store (inside this rolled-back transaction)
DELETE FROM licensing.revocation_list;
DELETE FROM licensing.trusted_certificate;

-- refused inserts: clear errors (22023), nothing stored
SELECT throws_ok($$INSERT INTO licensing.trusted_certificate (certificate) VALUES ('garbage')$$,
                 '22023', 'invalid certificate: not a DER X.509 certificate', 'garbage is no certificate');
SELECT throws_ok($$INSERT INTO licensing.trusted_certificate (certificate) VALUES (test_pki.file('root.crt.pem'))$$,
                 '22023', 'invalid certificate: not a DER X.509 certificate', 'PEM text is refused (DER expected)');
SELECT throws_ok($$INSERT INTO licensing.trusted_certificate (certificate) VALUES (test_pki.cert('root') || '\x00'::bytea)$$,
                 '22023', 'invalid certificate: not a DER X.509 certificate', 'trailing bytes after the DER are refused');
SELECT throws_ok($$INSERT INTO licensing.trusted_certificate (certificate) VALUES (pg_catalog.substr(test_pki.cert('root'), 1, 200))$$,
                 '22023', 'invalid certificate: not a DER X.509 certificate', 'a truncated certificate is refused');
SELECT throws_ok($$INSERT INTO licensing.trusted_certificate (certificate) VALUES (test_pki.cert('company'))$$,
                 '22023', NULL, 'a signer''s certificate is no trust anchor');
SELECT throws_like($$INSERT INTO licensing.trusted_certificate (certificate) VALUES (test_pki.cert('company'))$$,
                   '%is not a CA certificate', '... and the message says why');
SELECT throws_ok($$INSERT INTO licensing.trusted_certificate (certificate) VALUES (NULL)$$,
                 '23502', NULL, 'NULL is refused');
SELECT throws_ok($$INSERT INTO licensing.revocation_list (crl) VALUES (test_pki.file('root.crl.der'))$$,
                 '22023', NULL, 'a CRL whose issuer is not trusted is refused');
SELECT is((SELECT pg_catalog.count(*)::int FROM licensing.trusted_certificate), 0, 'nothing was stored');

SELECT lives_ok($$SELECT test_pki.load_trust()$$, 'root, intermediate and their CRLs load');
SELECT is((SELECT pg_catalog.count(*)::int FROM licensing.trusted_certificate), 2, 'two trusted certificates');
SELECT is((SELECT pg_catalog.count(*)::int FROM licensing.revocation_list), 2, 'two CRLs');
SELECT throws_ok($$INSERT INTO licensing.trusted_certificate (certificate) VALUES (test_pki.cert('root'))$$,
                 '23505', NULL, 'the same certificate twice is refused');
SELECT throws_ok($$INSERT INTO licensing.revocation_list (crl) VALUES ('\x3003020100'::bytea)$$,
                 '22023', 'invalid certificate revocation list: not a DER X.509 CRL', 'garbage is no CRL');
SELECT throws_ok($$INSERT INTO licensing.revocation_list (crl) VALUES (test_pki.cert('inter'))$$,
                 '22023', 'invalid certificate revocation list: not a DER X.509 CRL', 'a certificate is no CRL');
SELECT throws_like($$INSERT INTO licensing.revocation_list (crl) VALUES (test_pki.file('untrusted-root.crl.der'))$$,
                   'certificate revocation list of "CN=Test Root CA,O=Test National CA,C=KZ" is not signed by a trusted certificate',
                   'a CRL with a trusted issuer''s name but another key is refused');

-- read-only columns, filled from the DER
SELECT is((SELECT (subject, issuer, serial, not_before, not_after)::text FROM licensing.trusted_certificate
            WHERE certificate = test_pki.cert('inter')),
          '("CN=Test Intermediate CA,O=Test National CA,C=KZ","CN=Test Root CA,O=Test National CA,C=KZ",02,"2020-01-01 00:00:00+00","2035-12-31 23:59:59+00")',
          'subject, issuer, serial and validity are filled');
SELECT is((SELECT fingerprint FROM licensing.trusted_certificate WHERE certificate = test_pki.cert('root')),
          pg_catalog.encode(pg_catalog.sha256(test_pki.cert('root')), 'hex'), 'the fingerprint is the SHA-256 of the DER');
SELECT is((SELECT (issuer, this_update, next_update, revoked_count)::text FROM licensing.revocation_list
            WHERE crl = test_pki.file('inter.crl.der')),
          '("CN=Test Intermediate CA,O=Test National CA,C=KZ","2020-01-01 00:00:00+00","2035-12-31 23:59:59+00",2)',
          'CRL issuer, this and next update, revoked count are filled (revoked and laterrev)');
SELECT is((SELECT issuer_fingerprint FROM licensing.revocation_list WHERE crl = test_pki.file('inter.crl.der')),
          pg_catalog.encode(pg_catalog.sha256(test_pki.cert('inter')), 'hex'), 'the CRL names the certificate that signed it');
UPDATE licensing.trusted_certificate SET subject = 'CN=forged', serial = 'FF', not_after = 'infinity'
 WHERE certificate = test_pki.cert('root');
SELECT is((SELECT (subject, serial, not_after)::text FROM licensing.trusted_certificate WHERE certificate = test_pki.cert('root')),
          '("CN=Test Root CA,O=Test National CA,C=KZ",01,"2035-12-31 23:59:59+00")',
          'even a superuser''s UPDATE of a derived column is overwritten from the DER');
SELECT throws_ok($$UPDATE licensing.trusted_certificate SET certificate = test_pki.cert('person') WHERE serial = '01'$$,
                 '22023', NULL, 'an UPDATE to a non-CA certificate is refused');

-- who may change the store
SELECT ok(NOT pg_catalog.has_table_privilege('public', 'licensing.trusted_certificate', 'INSERT'), 'PUBLIC may not insert certificates');
SELECT ok(pg_catalog.has_table_privilege('public', 'licensing.trusted_certificate', 'SELECT'), 'PUBLIC may read certificates');
SELECT ok(pg_catalog.has_column_privilege('licensing_admin', 'licensing.trusted_certificate', 'certificate', 'INSERT'),
          'licensing_admin may insert certificates');
SELECT ok(NOT pg_catalog.has_column_privilege('licensing_admin', 'licensing.trusted_certificate', 'subject', 'UPDATE'),
          'nobody but a superuser may update the derived columns');
SELECT ok(pg_catalog.has_column_privilege('licensing_admin', 'licensing.revocation_list', 'crl', 'INSERT'),
          'licensing_admin may insert CRLs');
CREATE ROLE test_sig_nobody;
CREATE ROLE test_sig_admin IN ROLE licensing_admin;
CREATE TEMP TABLE stale AS SELECT test_pki.file('inter-stale.crl.der') AS crl, test_pki.file('company.hello.p7s') AS sig;
GRANT SELECT ON stale TO test_sig_admin, test_sig_nobody;
SET LOCAL ROLE test_sig_nobody;
SELECT throws_ok($$INSERT INTO licensing.revocation_list (crl) SELECT crl FROM stale$$,
                 '42501', NULL, 'a role without licensing_admin cannot insert a CRL');
SELECT throws_ok($$DELETE FROM licensing.trusted_certificate$$, '42501', NULL, '... nor delete a trusted certificate');
SELECT is((SELECT problem FROM stale, licensing.verify_signature('hello', sig, '2026-06-01')), NULL,
          'but it can verify signatures');
RESET ROLE;
SET LOCAL ROLE test_sig_admin;
SELECT lives_ok($$INSERT INTO licensing.revocation_list (crl) SELECT crl FROM stale$$, 'licensing_admin inserts a CRL');
SELECT throws_ok($$UPDATE licensing.revocation_list SET revoked_count = 0$$, '42501', NULL,
                 'licensing_admin cannot write a derived column');
RESET ROLE;

-- pg_dump keeps both tables
SELECT ok((SELECT 'licensing.trusted_certificate'::regclass = ANY (extconfig) AND 'licensing.revocation_list'::regclass = ANY (extconfig)
             FROM pg_catalog.pg_extension WHERE extname = 'licensing'), 'both tables are extension configuration (dumped)');

-- the cache follows the tables within a session (other sessions: test/specs/signature_cache.spec)
SELECT is((SELECT (anchors, crls)::text FROM licensing.trust_store_status()), '(2,3)', 'the cache holds 2 anchors and 3 CRLs');
DELETE FROM licensing.revocation_list WHERE crl <> test_pki.file('root.crl.der');
SELECT is((SELECT (anchors, crls)::text FROM licensing.trust_store_status()), '(2,1)', 'a DELETE is seen at once');
SELECT is((SELECT problem FROM licensing.verify_signature('hello', test_pki.file('revoked.hello.p7s'), '2026-06-01')),
          'revocation_unknown', 'without the intermediate''s CRL: revocation_unknown');
INSERT INTO licensing.revocation_list (crl) VALUES (test_pki.file('inter.crl.der'));
SELECT is((SELECT problem FROM licensing.verify_signature('hello', test_pki.file('revoked.hello.p7s'), '2026-06-01')),
          'revoked', 'a CRL inserted is used by the next statement');
TRUNCATE licensing.revocation_list;
SELECT is((SELECT (anchors, crls)::text FROM licensing.trust_store_status()), '(2,0)', 'a TRUNCATE is seen at once');

-- certificate_info
SELECT is((SELECT (iin, bin, key_usage, is_ca)::text FROM licensing.certificate_info(test_pki.cert('company'))),
          '(850625300123,160140001230,"{digitalSignature,nonRepudiation}",f)', 'certificate_info of a signer');
SELECT is((SELECT (iin, key_usage, is_ca)::text FROM licensing.certificate_info(test_pki.cert('root'))),
          '(,"{keyCertSign,cRLSign}",t)', 'certificate_info of a CA');
SELECT throws_ok($$SELECT licensing.certificate_info('\xdeadbeef')$$, '22023', 'invalid certificate: not a DER X.509 certificate',
                 'certificate_info of garbage: a clear error');

SELECT * FROM finish();
ROLLBACK;
