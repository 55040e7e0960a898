-- signature_timestamp.sql: RFC 3161 timestamp tokens (issue #17, API §5 rev. 2).
-- make-pki.sh stamps signatures with `openssl ts` at the time it runs (after 2026-01-01)
-- and puts the token in the SignerInfo's unsigned attributes (cms_tool).  The TSA is
-- trusted when a trusted_certificate row of its chain is marked time_stamping.
BEGIN;
\ir ../fixtures/signing.sql
SELECT plan(16);
SELECT test_pki.load_trust();
CREATE TEMP TABLE f AS SELECT n, test_pki.file(n || '.p7s') AS sig
  FROM unnest(ARRAY['company.ts', 'company.hello', 'revoked.ts', 'laterrev.ts', 'laterrev.hello',
                    'company.tsbadimprint', 'company.tsrogue']) n;
CREATE FUNCTION pg_temp.v(name text, at timestamptz, content bytea DEFAULT 'hello')
RETURNS TABLE (valid boolean, problem text, timestamped_at timestamptz, revocation_source text)
LANGUAGE sql AS $$
    SELECT v.valid, v.problem, v.timestamped_at, v.revocation_source
      FROM f, licensing.verify_signature(content, f.sig, at) v WHERE f.n = name
$$;

-- no anchor marked for time stamping: a token cannot be trusted
SELECT is((SELECT problem FROM pg_temp.v('company.ts', '2026-06-01')), 'bad_timestamp',
    'a token whose TSA no anchor marked time_stamping vouches for: bad_timestamp');
SELECT is((SELECT problem FROM pg_temp.v('company.hello', '2026-06-01')), NULL,
    'the same signature without its token: valid');
UPDATE licensing.trusted_certificate SET time_stamping = true WHERE certificate = test_pki.cert('root');

SELECT is((SELECT (valid, problem, revocation_source)::text FROM pg_temp.v('company.ts', '2026-06-01')), '(t,,crl)',
    'root marked for time stamping: the token verifies');
SELECT ok((SELECT timestamped_at > '2026-01-01' AND timestamped_at <= now() FROM pg_temp.v('company.ts', '2026-06-01')),
    'timestamped_at is the token''s genTime');
SELECT is((SELECT timestamped_at FROM pg_temp.v('company.hello', '2026-06-01')), NULL,
    'no token: timestamped_at is NULL');
SELECT is((SELECT problem FROM pg_temp.v('company.hello', '2036-06-01')), 'expired',
    'in 2036, after the signer''s certificate ended, a signature without token is expired');
SELECT is((SELECT (valid, problem)::text FROM pg_temp.v('company.ts', '2036-06-01')), '(t,)',
    'in 2036 the timestamped signature is still valid: checked at its token''s time');
SELECT is((SELECT (valid, problem)::text FROM pg_temp.v('company.ts', '2036-06-01')), '(t,)',
    '... and again, from the certificate cache');
SELECT is((SELECT problem FROM pg_temp.v('revoked.ts', '2026-06-01')), 'revoked',
    'revoked (2023) before its token: revoked');
SELECT is((SELECT problem FROM pg_temp.v('laterrev.hello', '2026-06-01')), 'revoked',
    'revoked in 2034, no token: a listed certificate is revoked whatever `at` says');
SELECT is((SELECT (valid, problem)::text FROM pg_temp.v('laterrev.ts', '2035-06-01')), '(t,)',
    'revoked in 2034, after its token: valid at the token''s time');
SELECT is((SELECT problem FROM pg_temp.v('company.tsbadimprint', '2026-06-01')), 'bad_timestamp',
    'revoked.ts.p7s''s token, verified just above, on another signature (bad imprint): bad_timestamp');
SELECT is((SELECT problem FROM pg_temp.v('company.tsrogue', '2026-06-01')), 'bad_timestamp',
    'a token by a TSA of an untrusted root: bad_timestamp');
SELECT is((SELECT problem FROM pg_temp.v('company.ts', '2026-06-01', 'hellO')), 'bad_signature',
    'a token does not mend a broken signature: bad_signature comes first');
INSERT INTO licensing.trusted_certificate (certificate, time_stamping) VALUES (test_pki.cert('untrusted-root'), false);
SELECT is((SELECT problem FROM pg_temp.v('company.tsrogue', '2026-06-01')), 'bad_timestamp',
    'the rogue TSA''s root trusted for signatures but not marked: still bad_timestamp');
UPDATE licensing.trusted_certificate SET time_stamping = false WHERE certificate = test_pki.cert('root');
SELECT is((SELECT problem FROM pg_temp.v('company.ts', '2036-06-01')), 'bad_timestamp',
    'the mark taken back: the token is no longer trusted (the cache follows the table)');

SELECT * FROM finish();
ROLLBACK;
