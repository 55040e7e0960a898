-- 77_nca.sql: signatures as the national CA (NCA RK) issues them (issue #17, API §5
-- revision 2).  The same as the fresh-install parts 30_signature.sql (the
-- time_stamping column of trusted_certificate; the two functions, whose rows
-- gain columns and verify_signature the ocsp argument: a new identity, so
-- dropped and created) and 80_signing_right.sql.  The C
-- functions fill as many columns as the declared row has, so the 1.0 script's
-- declarations keep working with this library.
-- A volatile default (always false) rewrites the rows, so the column has no "missing
-- value" a fresh install lacks (pg_dump --binary-upgrade would show it); then the default.
ALTER TABLE licensing.trusted_certificate ADD COLUMN time_stamping boolean NOT NULL
    DEFAULT (pg_catalog.random() OPERATOR(pg_catalog.<) 0::float8);
ALTER TABLE licensing.trusted_certificate ALTER COLUMN time_stamping SET DEFAULT false;
COMMENT ON COLUMN licensing.trusted_certificate.time_stamping IS
    'true: this CA also anchors the chains of time-stamping authorities whose RFC 3161 tokens set a signature''s time (issue #17)';
GRANT INSERT (time_stamping), UPDATE (time_stamping) ON licensing.trusted_certificate TO licensing_admin;

DROP FUNCTION licensing.verify_signature(bytea, bytea, timestamptz);
DROP FUNCTION licensing.certificate_info(bytea);

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

CREATE TABLE licensing.signing_role (
    service text NOT NULL REFERENCES licensing.service ON UPDATE CASCADE ON DELETE CASCADE,
    role    text NOT NULL CHECK (role OPERATOR(pg_catalog.=) ANY
                 ('{individual,employee,first_head,may_sign,may_sign_financial,hr}'::text[])),
    PRIMARY KEY (service, role)
);
COMMENT ON TABLE licensing.signing_role IS
    'NCA roles (verify_signature.roles) any one of which suffices to sign a legal entity''s application of a service; a service without rows: first_head or may_sign';
COMMENT ON COLUMN licensing.signing_role.role IS 'individual, employee, first_head, may_sign, may_sign_financial or hr';
REVOKE ALL ON licensing.signing_role FROM PUBLIC;
GRANT SELECT ON licensing.signing_role TO PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON licensing.signing_role TO licensing_admin;
SELECT pg_catalog.pg_extension_config_dump('licensing.signing_role', '');
