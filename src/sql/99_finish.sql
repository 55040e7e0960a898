-- 99_finish.sql: what spans all parts and must come last.
--
-- The Makefile appends this file to the install script AND to every upgrade
-- script, after the upgrade's own parts, so a fresh install and an updated one
-- end with the same privileges.  It must stay idempotent.

-- Least privilege for functions (API §8, QUALITY R11).  PostgreSQL lets PUBLIC
-- execute every new function; here, once every part has created its functions,
-- EXECUTE is taken from PUBLIC on every function of schema licensing except
-- those meant for everyone, named below.  A function a later change adds is
-- therefore closed to PUBLIC unless it is added to the list on purpose (and to
-- the matrix of test/pgtap/security_privileges.sql and README "Role matrix").
-- Then the functions of the API that belong to a role are granted to it, as are
-- the internal functions that the views and row-level security policies of
-- those roles call with the reader's rights (a view checks EXECUTE as the
-- reader, a policy runs as the reader).  Grants are by name: every overload.
DO $privileges$
DECLARE
    everyone CONSTANT text[] := ARRAY[
        -- identifiers (API §1): the types' input, output, binary I/O, operators,
        -- btree and hash support, min/max and their transition functions
        'iin_in', 'iin_out', 'iin_recv', 'iin_send', 'bin_in', 'bin_out', 'bin_recv', 'bin_send',
        'iin_eq', 'iin_ne', 'iin_lt', 'iin_le', 'iin_gt', 'iin_ge', 'iin_cmp', 'iin_hash', 'iin_hash_extended',
        'bin_eq', 'bin_ne', 'bin_lt', 'bin_le', 'bin_gt', 'bin_ge', 'bin_cmp', 'bin_hash', 'bin_hash_extended',
        'iin_smaller', 'iin_larger', 'bin_smaller', 'bin_larger', 'min', 'max',
        'iin_is_valid', 'bin_is_valid', 'iin_birth_date', 'iin_sex',
        'bin_registered_on', 'bin_kind', 'bin_division',
        -- calendar and working time (API §2; check_schedule is provider.schedule's CHECK)
        'is_working_day', 'add_working_days', 'working_days_between', 'calendar_covers', 'check_schedule',
        'add_working_time', 'working_time_between', 'receipt_day', 'term_due_on', 'norm_due_at',
        -- signatures (API §5)
        'verify_signature', 'certificate_info',
        -- who acts (API §0; acting_for is read by the portal's policy), the
        -- workflow clock (overdue_steps), RFC 8785, the workflow diagram
        'actor', 'acting_for', 'clock', 'canonical_json', 'workflow_dot',
        -- licence numbers (the register is public, API §6-7)
        'licence_number_is_valid', 'licence_number'];
    p record;
    g record;
BEGIN
    FOR p IN SELECT f.oid, f.proname, pg_catalog.pg_get_function_identity_arguments(f.oid) AS args
               FROM pg_catalog.pg_proc f
              WHERE f.pronamespace OPERATOR(pg_catalog.=) 'licensing'::regnamespace
                AND NOT f.proname OPERATOR(pg_catalog.=) ANY (everyone)
              ORDER BY f.oid
    LOOP
        EXECUTE pg_catalog.format('REVOKE EXECUTE ON ROUTINE licensing.%I(%s) FROM PUBLIC', p.proname, p.args);
    END LOOP;

    FOR g IN SELECT v.name, v.roles FROM (VALUES
        -- the portal (API §0, §4)
        ('act_for',                ARRAY['licensing_portal']),
        ('survey',                 ARRAY['licensing_portal']),
        ('create_application',     ARRAY['licensing_portal', 'licensing_staff']),
        ('attach_document',        ARRAY['licensing_portal', 'licensing_staff']),
        ('signing_payload',        ARRAY['licensing_portal', 'licensing_staff']),
        ('submit',                 ARRAY['licensing_portal', 'licensing_staff']),
        ('withdraw',               ARRAY['licensing_portal', 'licensing_staff']),
        ('missing_documents',      ARRAY['licensing_portal', 'licensing_staff']),
        ('missing_form_fields',    ARRAY['licensing_portal', 'licensing_staff']),
        -- the payment gateway
        ('record_payment',         ARRAY['licensing_gateway']),
        -- staff, by the position their profile names (API §4)
        ('register',               ARRAY['licensing_staff']),
        ('route',                  ARRAY['licensing_staff']),
        ('assign',                 ARRAY['licensing_staff']),
        ('confirm_complete',       ARRAY['licensing_staff']),
        ('refuse',                 ARRAY['licensing_staff']),
        ('grant',                  ARRAY['licensing_staff']),
        ('approve',                ARRAY['licensing_staff']),
        ('decision_payload',       ARRAY['licensing_staff']),
        ('sign_decision',          ARRAY['licensing_staff']),
        ('deliver',                ARRAY['licensing_staff']),
        -- complaints (API §4.1): the portal for its applicant or a clerk lodges, the head decides
        -- (licensing_admin for the quality-control body); deadlines: pg_cron's role
        ('lodge_complaint',        ARRAY['licensing_portal', 'licensing_staff']),
        ('decide_complaint',       ARRAY['licensing_staff', 'licensing_admin']),
        ('verify_complaint_history', ARRAY['licensing_admin', 'licensing_reporter', 'licensing_staff']),
        ('check_deadlines',        ARRAY['licensing_admin']),
        ('reassign',               ARRAY['licensing_staff']),
        ('return_step',            ARRAY['licensing_staff']),
        ('revise',                 ARRAY['licensing_staff']),
        -- the licence's life (API §6): the head of its provider or an admin
        ('suspend_licence',        ARRAY['licensing_staff', 'licensing_admin']),
        ('resume_licence',         ARRAY['licensing_staff', 'licensing_admin']),
        ('terminate_licence',      ARRAY['licensing_staff', 'licensing_admin']),
        -- signed documents and printable forms: not the reporter (no names, API §8)
        ('licence_document',       ARRAY['licensing_admin', 'licensing_staff', 'licensing_portal']),
        ('licence_signed',         ARRAY['licensing_admin', 'licensing_staff', 'licensing_portal']),
        ('licence_html',           ARRAY['licensing_admin', 'licensing_staff', 'licensing_portal']),
        ('annex_html',             ARRAY['licensing_admin', 'licensing_staff', 'licensing_portal']),
        ('refusal_html',           ARRAY['licensing_admin', 'licensing_staff', 'licensing_portal']),
        -- integrity checks: a boolean, no rows
        ('verify_history',         ARRAY['licensing_admin', 'licensing_reporter', 'licensing_staff']),
        ('verify_licence_history', ARRAY['licensing_staff', 'licensing_admin', 'licensing_reporter']),
        -- configuration
        ('calendar_generate_carries', ARRAY['licensing_admin']),
        ('trust_store_status',     ARRAY['licensing_admin']),
        -- called with the reader's rights by the views of API §7 and the policies
        ('_report_scope',          ARRAY['licensing_admin', 'licensing_reporter', 'licensing_staff', 'licensing_portal']),
        ('_kz_local',              ARRAY['licensing_admin', 'licensing_reporter', 'licensing_staff', 'licensing_portal']),
        ('_is_staff_of',           ARRAY['licensing_staff']),
        ('_handles_person',        ARRAY['licensing_staff']),
        ('_handles_attorney',      ARRAY['licensing_staff'])
        ) v(name, roles)
    LOOP
        -- a name another version lacks is skipped: security_privileges.sql
        -- compares the outcome with the matrix
        FOR p IN SELECT f.proname, pg_catalog.pg_get_function_identity_arguments(f.oid) AS args
                   FROM pg_catalog.pg_proc f
                  WHERE f.pronamespace OPERATOR(pg_catalog.=) 'licensing'::regnamespace
                    AND f.proname OPERATOR(pg_catalog.=) g.name
                  ORDER BY f.oid
        LOOP
            EXECUTE pg_catalog.format('GRANT EXECUTE ON ROUTINE licensing.%I(%s) TO %s', p.proname, p.args,
                                      (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(r), ', ')
                                         FROM pg_catalog.unnest(g.roles) r));
        END LOOP;
    END LOOP;
END
$privileges$;
