-- signature_ocsp.sql: OCSP responses in place of a CRL (issue #17, API §5 rev. 2:
-- verify_signature's `ocsp bytea[]`).  make-pki.sh makes the responses offline with
-- `openssl ocsp` from the intermediate's index, at the time it runs (after 2026-01-01),
-- valid 3650 days (the stale one: one minute); `at` 2030-06-01 is inside every window.
BEGIN;
\ir ../fixtures/signing.sql
SELECT plan(18);
SELECT test_pki.load_trust();
CREATE TEMP TABLE f AS SELECT n, test_pki.file(n) AS b
  FROM unnest(ARRAY['company.hello.p7s', 'revoked.hello.p7s', 'company.ocsp.der', 'revoked.ocsp.der',
                    'company.ocspstale.der', 'company.ocsprogue.der']) n;
CREATE FUNCTION pg_temp.v(signer text, responses text[])
RETURNS text LANGUAGE sql AS $$
    SELECT (v.valid, v.problem, v.revocation_source)::text
      FROM licensing.verify_signature('hello', (SELECT b FROM f WHERE n = signer || '.hello.p7s'), '2030-06-01',
                                      (SELECT array_agg(b ORDER BY n) FROM f WHERE n = ANY (responses))) v
$$;

SELECT is(pg_temp.v('company', NULL), '(t,,crl)', 'no response: the CRL decides');
SELECT is(pg_temp.v('company', '{company.ocsp.der}'), '(t,,ocsp)', 'a good response of inter''s responder: ocsp decides');
SELECT is(pg_temp.v('revoked', '{revoked.ocsp.der}'), '(f,revoked,ocsp)', 'a revoked response: revoked, by ocsp');
SELECT is(pg_temp.v('company', '{company.ocspstale.der}'), '(t,,crl)', 'a stale response is left aside: the CRL decides');
SELECT is(pg_temp.v('company', '{company.ocsprogue.der}'), '(t,,crl)',
    'a response signed by a responder the issuer did not authorise is left aside');

-- the intermediate's CRL gone: only the responses speak of the signer
DELETE FROM licensing.revocation_list WHERE crl = test_pki.file('inter.crl.der');
SELECT is(pg_temp.v('company', NULL), '(f,revocation_unknown,)', 'no CRL, no response: revocation_unknown');
SELECT is(pg_temp.v('company', '{company.ocsp.der}'), '(t,,ocsp)', 'no CRL, a good response: valid by ocsp');
SELECT is(pg_temp.v('company', '{company.ocsp.der}'), '(t,,ocsp)', '... again (its verification remembered by the store, its verdict not)');
SELECT is(pg_temp.v('company', NULL), '(f,revocation_unknown,)', '... and the next call without it is unknown again');
SELECT is(pg_temp.v('company', '{company.ocspstale.der}'), '(f,revocation_unknown,)', 'no CRL, a stale response: revocation_unknown');
SELECT is(pg_temp.v('company', '{company.ocsprogue.der}'), '(f,revocation_unknown,)', 'no CRL, the wrong responder: revocation_unknown');
SELECT is(pg_temp.v('company', '{company.ocsprogue.der}'), '(f,revocation_unknown,)',
    '... again: a response that did not verify is not remembered as verified');
SELECT is(pg_temp.v('company', '{revoked.ocsp.der}'), '(f,revocation_unknown,)', 'a response about another certificate says nothing of this one');
SELECT is(pg_temp.v('company', '{company.ocsprogue.der,company.ocsp.der,company.ocspstale.der}'), '(t,,ocsp)',
    'among several, the usable one decides');

-- garbage never crashes: malformed
SELECT is((SELECT problem FROM f, licensing.verify_signature('hello', b, '2030-06-01', ARRAY['\xdeadbeef'::bytea]) WHERE n = 'company.hello.p7s'),
    'malformed', 'an OCSP response that is not DER: malformed');
SELECT is((SELECT problem FROM f, licensing.verify_signature('hello', b, '2030-06-01', ARRAY[NULL::bytea]) WHERE n = 'company.hello.p7s'),
    'revocation_unknown', 'a NULL response is skipped');
SELECT is((SELECT problem FROM f, licensing.verify_signature('hello', b, '2030-06-01',
              array_fill(test_pki.file('company.ocsp.der'), ARRAY[17])) WHERE n = 'company.hello.p7s'),
    'malformed', 'more than 16 responses: malformed');
SELECT is((SELECT problem FROM f, licensing.verify_signature('hello', b, '2030-06-01',
              ARRAY[test_pki.file('company.hello.p7s')]) WHERE n = 'company.hello.p7s'),
    'malformed', 'a CMS passed as an OCSP response: malformed');

SELECT * FROM finish();
ROLLBACK;
