-- signature_verify.sql: licensing.verify_signature (API §5), one test per rule.
-- Every signature is made by the openssl CLI during the test (test/fixtures/signing.sql).
-- A fixed `at` (2026-06-01) inside every fixture's window keeps answers independent of today.
BEGIN;
\ir ../fixtures/signing.sql
SELECT plan(78);

SELECT test_pki.load_trust();
CREATE TEMP TABLE t_at AS SELECT timestamptz '2026-06-01 00:00+00' AS at;

-- v(signer, content, detached): verify a fresh signature over content at the fixed moment.
CREATE FUNCTION pg_temp.v(signer text, content bytea DEFAULT 'hello', detached boolean DEFAULT true)
RETURNS SETOF record LANGUAGE sql AS $$
    SELECT (licensing.verify_signature(CASE WHEN detached THEN content END,
                                       test_pki.sign(content, signer, detached),
                                       (SELECT at FROM t_at))).*
$$;
CREATE TEMP TABLE r AS
SELECT s AS signer, d AS detached, x.*
  FROM (VALUES ('company'), ('person'), ('head'), ('ecdsa'), ('ecdsa384'), ('pss'), ('expired'),
               ('notyet'), ('revoked'), ('nokeyusage'), ('lookalike'), ('badiin'), ('untrusted')) a(s)
 CROSS JOIN (VALUES (true), (false)) b(d)
 CROSS JOIN LATERAL pg_temp.v(s, 'hello', d) AS x(valid boolean, problem text, signer_iin licensing.iin,
        signer_bin licensing.bin, subject text, issuer text, serial text, not_before timestamptz,
        not_after timestamptz, signed_at timestamptz, key_purpose text, roles text[],
        timestamped_at timestamptz, revocation_source text);

-- the row has exactly the columns of API §5
SELECT function_returns('licensing', 'verify_signature', ARRAY['bytea', 'bytea', 'timestamp with time zone', 'bytea[]'], 'record',
                        'verify_signature(bytea, bytea, timestamptz, bytea[]) returns a record');
SELECT is(
    (SELECT pg_catalog.array_to_string(pg_catalog.array_agg(a.attname::text ORDER BY a.attnum), ',')
        FROM pg_catalog.pg_proc p,
             ROWS FROM (pg_catalog.unnest(p.proargnames), pg_catalog.unnest(p.proargmodes)) WITH ORDINALITY a(attname, mode, attnum)
       WHERE p.oid = 'licensing.verify_signature(bytea, bytea, timestamptz, bytea[])'::regprocedure AND a.mode = 'o'),
    'valid,problem,signer_iin,signer_bin,subject,issuer,serial,not_before,not_after,signed_at,key_purpose,roles,timestamped_at,revocation_source',
    'the output columns are those of API §5 (revision 2), in order');

-- valid signers, detached and embedded, every algorithm
SELECT is((SELECT pg_catalog.count(*)::int FROM r WHERE signer = ANY('{company,person,head,ecdsa,ecdsa384,pss,lookalike,badiin}') AND valid AND problem IS NULL),
          16, 'RSA PKCS#1 v1.5, RSA-PSS, ECDSA P-256 and P-384: valid, detached and embedded');
SELECT is((SELECT problem FROM r WHERE signer = 'company' AND detached), NULL, 'company detached: no problem');
SELECT is((SELECT problem FROM r WHERE signer = 'company' AND NOT detached), NULL, 'company embedded: no problem');
SELECT is((SELECT problem FROM r WHERE signer = 'ecdsa' AND detached), NULL, 'ECDSA P-256 verifies');
SELECT is((SELECT problem FROM r WHERE signer = 'ecdsa384' AND detached), NULL, 'ECDSA P-384 verifies');
SELECT is((SELECT problem FROM r WHERE signer = 'pss' AND detached), NULL, 'RSA-PSS verifies');

-- identifiers by OID
SELECT is((SELECT signer_iin::text FROM r WHERE signer = 'company' AND detached), '850625300123',
          'IIN from the subject serialNumber (2.5.4.5)');
SELECT is((SELECT signer_bin::text FROM r WHERE signer = 'company' AND detached), '160140001230',
          'BIN from the subject OU');
SELECT is((SELECT signer_iin::text FROM r WHERE signer = 'head' AND detached), '900101300811',
          'the head''s IIN');
SELECT is((SELECT signer_bin::text FROM r WHERE signer = 'person' AND detached), NULL, 'no OU BIN: signer_bin is NULL');
SELECT is((SELECT signer_iin::text FROM r WHERE signer = 'lookalike' AND detached), NULL,
          'a surname SN=IIN... is not the serialNumber: signer_iin is NULL');
SELECT ok((SELECT subject LIKE 'SN=IIN850625300123,%' FROM r WHERE signer = 'lookalike' AND detached),
          'the look-alike''s surname is still shown in the subject');
SELECT is((SELECT signer_iin::text FROM r WHERE signer = 'badiin' AND detached), NULL,
          'an IIN with a wrong check digit in the certificate gives NULL');
SELECT is((SELECT signer_bin::text FROM r WHERE signer = 'badiin' AND detached), NULL,
          'a BIN of an impossible kind in the certificate gives NULL');

-- names, serial, dates
SELECT is((SELECT subject FROM r WHERE signer = 'person' AND detached),
          'serialNumber=IIN901120405675,CN=ИВАНОВА АЙГЕРИМ,C=KZ', 'subject in RFC 2253 with UTF-8');
SELECT is((SELECT issuer FROM r WHERE signer = 'company' AND detached),
          'CN=Test Intermediate CA,O=Test National CA,C=KZ', 'issuer in RFC 2253');
SELECT is((SELECT serial FROM r WHERE signer = 'nokeyusage' AND detached), '100A', 'serial in upper-case hex');
SELECT is((SELECT serial FROM r WHERE signer = 'company' AND detached),
          (SELECT serial FROM licensing.certificate_info(test_pki.cert('company'))), 'serial equals certificate_info''s');
SELECT is((SELECT not_before FROM r WHERE signer = 'company' AND detached), '2020-01-01 00:00:00+00'::timestamptz, 'not_before');
SELECT is((SELECT not_after FROM r WHERE signer = 'expired' AND detached), '2021-12-31 23:59:59+00'::timestamptz, 'not_after');
SELECT ok((SELECT signed_at BETWEEN pg_catalog.now() - interval '1 hour' AND pg_catalog.clock_timestamp() + interval '1 minute'
             FROM r WHERE signer = 'company' AND detached), 'signed_at reports the signing-time attribute');

-- one test per problem code
SELECT is((SELECT problem FROM r WHERE signer = 'expired' AND detached), 'expired', 'expired');
SELECT is((SELECT problem FROM r WHERE signer = 'notyet' AND detached), 'not_yet_valid', 'not_yet_valid');
SELECT is((SELECT problem FROM r WHERE signer = 'revoked' AND detached), 'revoked', 'revoked (listed in the intermediate''s CRL)');
SELECT is((SELECT problem FROM r WHERE signer = 'nokeyusage' AND detached), 'key_usage', 'key_usage');
SELECT is((SELECT problem FROM r WHERE signer = 'untrusted' AND detached), 'untrusted',
          'untrusted: same subject as company, separate root with the same name as ours');
SELECT is((SELECT signer_bin::text FROM r WHERE signer = 'untrusted' AND detached), '160140001230',
          'an untrusted signer''s fields are still filled');
SELECT is((SELECT pg_catalog.count(*)::int FROM r WHERE NOT valid AND problem IS NOT NULL AND subject IS NOT NULL), 10,
          'every invalid row names its problem and its signer');
SELECT is((SELECT problem FROM pg_temp.v('company', 'hello', true) AS x(valid boolean, problem text, a licensing.iin,
           b licensing.bin, c text, d text, e text, f timestamptz, g timestamptz, h timestamptz, i text, j text[], k timestamptz, l text)), NULL, 'helper sanity');

-- tampered content and signatures
CREATE TEMP TABLE sigs AS
SELECT test_pki.sign('hello', 'company') AS det, test_pki.sign('hello', 'company', false) AS emb,
       test_pki.sign('hello', 'expired') AS exp_det, test_pki.sign('hello', 'ecdsa') AS ec_det;
SELECT is((SELECT problem FROM sigs, licensing.verify_signature('hellO', det, (SELECT at FROM t_at))), 'bad_signature',
          'detached: tampered content is bad_signature');
SELECT is((SELECT problem FROM sigs, licensing.verify_signature('', det, (SELECT at FROM t_at))), 'bad_signature',
          'detached: empty content is bad_signature');
SELECT is((SELECT problem FROM sigs, licensing.verify_signature('hellO', ec_det, (SELECT at FROM t_at))), 'bad_signature',
          'ECDSA detached: tampered content is bad_signature');
SELECT is((SELECT problem FROM sigs, licensing.verify_signature(NULL, det, (SELECT at FROM t_at))), 'malformed',
          'detached signature without content is malformed');
SELECT is((SELECT signer_iin::text FROM sigs, licensing.verify_signature(NULL, det, (SELECT at FROM t_at))), '850625300123',
          '... with the signer''s fields filled');
SELECT is((SELECT problem FROM sigs, licensing.verify_signature(NULL, overlay(emb PLACING 'hellO' FROM position('hello'::bytea IN emb)),
                                                                (SELECT at FROM t_at))),
          'bad_signature', 'embedded: content tampered inside the CMS is bad_signature');
SELECT is((SELECT problem FROM sigs, licensing.verify_signature('hello', emb, (SELECT at FROM t_at))), NULL,
          'embedded with the same content given: valid');
SELECT is((SELECT problem FROM sigs, licensing.verify_signature('other', emb, (SELECT at FROM t_at))), 'bad_signature',
          'embedded with a different content given: bad_signature');
SELECT is((SELECT problem FROM sigs, licensing.verify_signature('hello',
              pg_catalog.set_byte(det, pg_catalog.length(det) - 10, pg_catalog.get_byte(det, pg_catalog.length(det) - 10) # 1),
              (SELECT at FROM t_at))),
          'bad_signature', 'a flipped bit in the signature value is bad_signature');
SELECT is((SELECT problem FROM sigs, licensing.verify_signature('hellO', exp_det, (SELECT at FROM t_at))), 'bad_signature',
          'order: bad_signature comes before expired');

-- the moment of verification
SELECT is((SELECT problem FROM sigs, licensing.verify_signature('hello', exp_det, '2021-06-01')), NULL,
          'the expired certificate was valid in 2021');
SELECT is((SELECT problem FROM sigs, licensing.verify_signature('hello', exp_det)), 'expired',
          'at defaults to now(): expired');
SELECT is((SELECT problem FROM sigs, licensing.verify_signature('hello', det)), NULL, 'at defaults to now(): valid');
SELECT is((SELECT problem FROM sigs, licensing.verify_signature('hello', det, '2019-06-01')), 'not_yet_valid',
          'before the validity window: not_yet_valid');
SELECT is((SELECT problem FROM sigs, licensing.verify_signature('hello', det, '2036-06-01')), 'expired',
          'after it: expired');
SELECT is((SELECT problem FROM licensing.verify_signature('hello', test_pki.sign('hello', 'untrusted'), '2036-06-01')),
          'untrusted', 'order: untrusted comes before expired');
SELECT is((SELECT problem FROM sigs, licensing.verify_signature('hello', det, NULL)), 'malformed', 'at NULL: malformed');
SELECT is((SELECT problem FROM sigs, licensing.verify_signature('hello', det, 'infinity')), 'malformed', 'at infinity: malformed');

-- several signers: all must be valid; the first failure is reported.  SignerInfos are a
-- DER SET OF, sorted by their encoding: "first" is the first as encoded.
SELECT is((SELECT problem FROM licensing.verify_signature('hello', test_pki.sign('hello', 'company,person'), (SELECT at FROM t_at))),
          NULL, 'two valid signers: valid');
SELECT ok((SELECT signer_iin::text IN ('850625300123', '901120405675') FROM licensing.verify_signature('hello', test_pki.sign('hello', 'company,person'), (SELECT at FROM t_at))),
          'two valid signers: one of them is reported');
SELECT is((SELECT (problem, serial)::text FROM licensing.verify_signature('hello', test_pki.sign('hello', 'company,revoked'), (SELECT at FROM t_at))),
          '(revoked,1009)', 'valid then revoked: revoked, with the revoked signer''s fields');
SELECT ok((SELECT (problem, serial) IN (('key_usage', '100A'), ('expired', '1007'))
             FROM licensing.verify_signature('hello', test_pki.sign('hello', 'nokeyusage,expired'), (SELECT at FROM t_at))),
          'two failing signers: one signer''s problem, with that signer''s fields');
SELECT is((SELECT pg_catalog.count(DISTINCT (v.problem, v.serial))::int
             FROM (VALUES ('nokeyusage,expired'), ('expired,nokeyusage')) o(s),
                  licensing.verify_signature('hello', test_pki.sign('hello', o.s), (SELECT at FROM t_at)) v),
          1, 'the same signers given in either order report the same (first encoded) failure');
SELECT is((SELECT problem FROM licensing.verify_signature('hello', test_pki.sign('hello', 'ecdsa,pss,head'), (SELECT at FROM t_at))),
          NULL, 'three signers of three algorithms: valid');

-- chain: intermediates from the CMS or from the store
SELECT is((SELECT problem FROM licensing.verify_signature('hello', test_pki.sign('hello', 'company', true, false), (SELECT at FROM t_at))),
          NULL, 'intermediate not in the CMS but trusted in the store: valid');
DELETE FROM licensing.trusted_certificate WHERE subject LIKE 'CN=Test Intermediate CA,%';
SELECT is((SELECT pg_catalog.count(*)::int FROM licensing.revocation_list), 1,
          'deleting a trusted certificate deletes its CRLs');
SELECT is((SELECT problem FROM licensing.verify_signature('hello', test_pki.sign('hello', 'company', true, false), (SELECT at FROM t_at))),
          'untrusted', 'only the root trusted, intermediate missing: untrusted');
SELECT is((SELECT problem FROM sigs, licensing.verify_signature('hello', det, (SELECT at FROM t_at))),
          'revocation_unknown', 'only the root trusted, intermediate from the CMS: the chain holds, but no CRL of the issuer');
DELETE FROM licensing.trusted_certificate;
SELECT is((SELECT problem FROM sigs, licensing.verify_signature('hello', det, (SELECT at FROM t_at))), 'untrusted',
          'an empty trust store trusts nothing');
INSERT INTO licensing.trusted_certificate (certificate) VALUES (test_pki.cert('inter'));
SELECT is((SELECT problem FROM sigs, licensing.verify_signature('hello', det, (SELECT at FROM t_at))), 'revocation_unknown',
          'the intermediate alone is an anchor (partial chain); no CRL yet');
INSERT INTO licensing.revocation_list (crl) VALUES (test_pki.file('inter-stale.crl.der'));
SELECT is((SELECT problem FROM sigs, licensing.verify_signature('hello', det, (SELECT at FROM t_at))), 'revocation_unknown',
          'a CRL past its next update: revocation_unknown');
SELECT is((SELECT problem FROM sigs, licensing.verify_signature('hello', det, '2020-03-01')), NULL,
          'at a moment before its next update the same CRL is current: valid');
INSERT INTO licensing.revocation_list (crl) VALUES (test_pki.file('inter.crl.der'));
SELECT is((SELECT problem FROM sigs, licensing.verify_signature('hello', det, (SELECT at FROM t_at))), NULL,
          'with a current CRL (the latest thisUpdate wins): valid again');
SELECT is((SELECT problem FROM licensing.verify_signature('hello', test_pki.sign('hello', 'revoked'), (SELECT at FROM t_at))),
          'revoked', 'the current CRL lists the revoked signer');
DELETE FROM licensing.revocation_list;
INSERT INTO licensing.revocation_list (crl) VALUES (test_pki.file('inter.crl.der'));
INSERT INTO licensing.revocation_list (crl) VALUES (test_pki.file('inter-stale.crl.der'));
SELECT is((SELECT problem FROM sigs, licensing.verify_signature('hello', det, (SELECT at FROM t_at))), NULL,
          'a stale CRL inserted after the current one does not replace it (same thisUpdate: the later nextUpdate wins)');

-- garbage, truncated and huge inputs: malformed, never a crash
SELECT is((SELECT problem FROM licensing.verify_signature('hello', NULL)), 'malformed', 'NULL signature');
SELECT is((SELECT problem FROM licensing.verify_signature(NULL, NULL, NULL)), 'malformed', 'all NULL');
SELECT is((SELECT problem FROM licensing.verify_signature('hello', '')), 'malformed', 'empty signature');
SELECT is((SELECT problem FROM licensing.verify_signature('hello', 'not a signature at all')), 'malformed', 'text as signature');
SELECT is((SELECT problem FROM licensing.verify_signature('hello', test_pki.cert('company'))), 'malformed',
          'a certificate is no signature');
SELECT is((SELECT problem FROM sigs, licensing.verify_signature('hello', det || '\x00'::bytea)), 'malformed',
          'bytes after the DER');
SELECT is((SELECT pg_catalog.count(*)::int FROM sigs, pg_catalog.generate_series(1, pg_catalog.length(det) - 1) n,
                  licensing.verify_signature('hello', pg_catalog.substr(det, 1, n)) v WHERE v.problem = 'malformed'),
          (SELECT pg_catalog.length(det) - 1 FROM sigs), 'every truncation of a signature is malformed');
SELECT is((SELECT pg_catalog.count(*)::int FROM pg_catalog.generate_series(1, 300) n,
                  licensing.verify_signature(pg_catalog.decode(pg_catalog.md5(n::text), 'hex'),
                      pg_catalog.decode(pg_catalog.repeat(pg_catalog.md5(n::text), n % 40 + 1), 'hex')) v
            WHERE v.problem = 'malformed' AND NOT v.valid),
          300, '300 random byte strings are malformed');
SELECT is((SELECT pg_catalog.count(*)::int FROM sigs, pg_catalog.generate_series(1, 400) n,
                  licensing.verify_signature('hello', pg_catalog.set_byte(det, (n * 7919) % pg_catalog.length(det),
                      pg_catalog.get_byte(det, (n * 7919) % pg_catalog.length(det)) # (1 << (n % 8)))) v
            WHERE v.valid = (v.problem IS NULL)),
          400, '400 single bit flips of a signature: an answer every time, never a crash');
SELECT is((SELECT pg_catalog.count(*)::int FROM sigs, pg_catalog.generate_series(1, 40) n,
                  licensing.verify_signature('hello', pg_catalog.set_byte(det, pg_catalog.length(det) - n,
                      pg_catalog.get_byte(det, pg_catalog.length(det) - n) # 128)) v
            WHERE NOT v.valid),
          40, 'a flip in any of the last 40 bytes (the signature value) never verifies');
SELECT is((SELECT problem FROM licensing.verify_signature('hello', '\x30'::bytea || pg_catalog.decode(pg_catalog.repeat('ff', 20000000), 'hex'))),
          'malformed', 'a 20 MB signature of garbage');
SELECT is((SELECT problem FROM sigs, licensing.verify_signature(pg_catalog.decode(pg_catalog.repeat('00', 30000000), 'hex'), det,
                                                                (SELECT at FROM t_at))),
          'bad_signature', 'a 30 MB content that was not signed');

SELECT * FROM finish();
ROLLBACK;
