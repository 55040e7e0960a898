-- 80_signing_right.sql: who may sign a legal entity's application (issue #17, API §5 rev. 2).
-- NCA RK certificates name the holder's role in extended-key-usage OIDs under
-- 1.2.398.3.3.4.1 (verify_signature and certificate_info report them in `roles`).
-- A legal entity's application is accepted only when signed by a holder of one of
-- the roles listed here for its service; a service without rows takes the default
-- of the regulation: the first head or someone with the right to sign.
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
