-- 30_signature.sql: electronic digital signatures (API §5) and their trust store (API §3).
-- The regulation's condition 3 (No 382 of 19.12.2012 §6 10), No 40 of 29.03.2013 §6 10), No 29/02 of 22.05.2013 §6 7)): a request counts only when
-- signed with a certificate within its validity period and not revoked; the result is
-- signed by the provider's authorised person (No 382 of 19.12.2012, §6 16)).

-- ---------------------------------------------------------------- trust store
CREATE TABLE licensing.trusted_certificate (
    fingerprint text PRIMARY KEY,
    certificate bytea NOT NULL,
    subject     text,
    issuer      text,
    serial      text,
    not_before  timestamptz,
    not_after   timestamptz,
    added_at    timestamptz NOT NULL DEFAULT pg_catalog.now(),
    added_by    name NOT NULL DEFAULT CURRENT_USER,
    time_stamping boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE licensing.trusted_certificate IS
    'Trust anchors for signatures: DER CA certificates; every row is an anchor. Insert only the certificate column; the others are filled from it';
COMMENT ON COLUMN licensing.trusted_certificate.fingerprint IS 'SHA-256 of the DER, lower-case hex (read-only, filled on insert)';
COMMENT ON COLUMN licensing.trusted_certificate.certificate IS 'The DER X.509 certificate of a CA (basicConstraints CA:TRUE)';
COMMENT ON COLUMN licensing.trusted_certificate.subject IS 'Subject in RFC 2253 form (read-only)';
COMMENT ON COLUMN licensing.trusted_certificate.issuer IS 'Issuer in RFC 2253 form (read-only)';
COMMENT ON COLUMN licensing.trusted_certificate.serial IS 'Serial number, upper-case hex (read-only)';
COMMENT ON COLUMN licensing.trusted_certificate.not_before IS 'Start of validity (read-only)';
COMMENT ON COLUMN licensing.trusted_certificate.not_after IS 'End of validity (read-only)';
COMMENT ON COLUMN licensing.trusted_certificate.added_at IS 'When the row was inserted';
COMMENT ON COLUMN licensing.trusted_certificate.added_by IS 'Who inserted the row';
COMMENT ON COLUMN licensing.trusted_certificate.time_stamping IS
    'true: this CA also anchors the chains of time-stamping authorities whose RFC 3161 tokens set a signature''s time (issue #17)';

CREATE TABLE licensing.revocation_list (
    fingerprint        text PRIMARY KEY,
    crl                bytea NOT NULL,
    issuer             text,
    issuer_fingerprint text NOT NULL
                       REFERENCES licensing.trusted_certificate (fingerprint) ON DELETE CASCADE,
    this_update        timestamptz,
    next_update        timestamptz,
    revoked_count      integer,
    added_at           timestamptz NOT NULL DEFAULT pg_catalog.now(),
    added_by           name NOT NULL DEFAULT CURRENT_USER
);
CREATE INDEX ON licensing.revocation_list (issuer_fingerprint);
COMMENT ON TABLE licensing.revocation_list IS
    'Certificate revocation lists (DER), each verified against a trusted certificate on insert; the latest of an issuer is used. Insert only the crl column';
COMMENT ON COLUMN licensing.revocation_list.fingerprint IS 'SHA-256 of the DER, lower-case hex (read-only)';
COMMENT ON COLUMN licensing.revocation_list.crl IS 'The DER X.509 CRL';
COMMENT ON COLUMN licensing.revocation_list.issuer IS 'Issuer in RFC 2253 form (read-only)';
COMMENT ON COLUMN licensing.revocation_list.issuer_fingerprint IS 'The trusted certificate whose key signed this CRL (read-only)';
COMMENT ON COLUMN licensing.revocation_list.this_update IS 'thisUpdate of the CRL (read-only)';
COMMENT ON COLUMN licensing.revocation_list.next_update IS 'nextUpdate: after it, signatures checked against this CRL are revocation_unknown (read-only)';
COMMENT ON COLUMN licensing.revocation_list.revoked_count IS 'Number of certificates the CRL lists (read-only)';
COMMENT ON COLUMN licensing.revocation_list.added_at IS 'When the row was inserted';
COMMENT ON COLUMN licensing.revocation_list.added_by IS 'Who inserted the row';

CREATE FUNCTION licensing.trusted_certificate_check() RETURNS trigger
    AS 'MODULE_PATHNAME', 'trusted_certificate_check' LANGUAGE C;
COMMENT ON FUNCTION licensing.trusted_certificate_check() IS
    'Trigger: refuses what is not a DER CA certificate and fills the read-only columns';
CREATE FUNCTION licensing.revocation_list_check() RETURNS trigger
    AS 'MODULE_PATHNAME', 'revocation_list_check' LANGUAGE C;
COMMENT ON FUNCTION licensing.revocation_list_check() IS
    'Trigger: refuses what is not a DER CRL signed by a trusted certificate and fills the read-only columns';

CREATE TRIGGER trusted_certificate_check
    BEFORE INSERT OR UPDATE ON licensing.trusted_certificate
    FOR EACH ROW EXECUTE FUNCTION licensing.trusted_certificate_check();
CREATE TRIGGER trust_store_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON licensing.trusted_certificate
    FOR EACH STATEMENT EXECUTE FUNCTION licensing.invalidate_cache();
CREATE TRIGGER revocation_list_check
    BEFORE INSERT OR UPDATE ON licensing.revocation_list
    FOR EACH ROW EXECUTE FUNCTION licensing.revocation_list_check();
CREATE TRIGGER trust_store_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON licensing.revocation_list
    FOR EACH STATEMENT EXECUTE FUNCTION licensing.invalidate_cache();

-- Certificates and CRLs are public documents: anyone may read them.  Only
-- licensing_admin (and superusers) change them, and only the DER column.
REVOKE ALL ON licensing.trusted_certificate, licensing.revocation_list FROM PUBLIC;
GRANT SELECT ON licensing.trusted_certificate, licensing.revocation_list TO PUBLIC;
GRANT INSERT (certificate), UPDATE (certificate), DELETE, TRUNCATE
    ON licensing.trusted_certificate TO licensing_admin;
GRANT INSERT (time_stamping), UPDATE (time_stamping) ON licensing.trusted_certificate TO licensing_admin;
GRANT INSERT (crl), UPDATE (crl), DELETE, TRUNCATE
    ON licensing.revocation_list TO licensing_admin;

-- Both hold the users' trust decisions: pg_dump must keep them.
SELECT pg_catalog.pg_extension_config_dump('licensing.trusted_certificate', '');
SELECT pg_catalog.pg_extension_config_dump('licensing.revocation_list', '');

-- ---------------------------------------------------------------- verification
CREATE FUNCTION licensing.verify_signature(
        content bytea, signature bytea, at timestamptz DEFAULT pg_catalog.now(),
        ocsp bytea[] DEFAULT NULL,
        OUT valid boolean, OUT problem text,
        OUT signer_iin licensing.iin, OUT signer_bin licensing.bin,
        OUT subject text, OUT issuer text, OUT serial text,
        OUT not_before timestamptz, OUT not_after timestamptz, OUT signed_at timestamptz,
        OUT key_purpose text, OUT roles text[], OUT timestamped_at timestamptz,
        OUT revocation_source text)
    RETURNS record
    AS 'MODULE_PATHNAME', 'verify_signature' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION licensing.verify_signature(bytea, bytea, timestamptz, bytea[]) IS
    'Verifies a DER CMS SignedData (detached, or embedded with content NULL) at a moment (an RFC 3161 timestamp''s time when the signature carries a valid one): chain to licensing.trusted_certificate, validity, revocation of every certificate of the chain (OCSP responses given or the issuers'' CRLs), key usage and purpose, an NCA legal entity''s right to sign; problem is the first failure (malformed, bad_signature, bad_timestamp, untrusted, expired, not_yet_valid, revoked, revocation_unknown, key_usage, not_for_signing, no_signing_right), NULL when valid';

CREATE FUNCTION licensing.certificate_info(
        certificate bytea,
        OUT iin licensing.iin, OUT bin licensing.bin,
        OUT subject text, OUT issuer text, OUT serial text,
        OUT not_before timestamptz, OUT not_after timestamptz,
        OUT key_usage text[], OUT is_ca boolean, OUT fingerprint text,
        OUT key_purpose text, OUT roles text[], OUT timestamped_at timestamptz,
        OUT revocation_source text)
    RETURNS record
    AS 'MODULE_PATHNAME', 'certificate_info' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION licensing.certificate_info(bytea) IS
    'What a DER certificate says: IIN (subject serialNumber), BIN (OU), names in RFC 2253, serial in hex, validity, key usage, CA or not, SHA-256 fingerprint, key purpose (sign, auth) and NCA roles from its extended key usage; timestamped_at and revocation_source, which belong to a signature, are NULL';

CREATE FUNCTION licensing.trust_store_status(OUT anchors integer, OUT crls integer)
    RETURNS record
    AS 'MODULE_PATHNAME', 'trust_store_status' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION licensing.trust_store_status() IS
    'Trust anchors and verified CRLs in this session''s cached trust store (built if needed)';
