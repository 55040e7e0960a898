-- pgTAP: the role matrix of README "Role matrix" (API §8, QUALITY R11), stated
-- here as data and compared with the catalog: every grant on every table,
-- view, sequence, column and function of schema licensing (aclexplode of the
-- ACLs, the owner's own left out).  A grant that is not in the matrix fails,
-- and so does one that is missing: a later change cannot widen (or narrow)
-- the privileges silently.  A new function is executable by PUBLIC only when
-- it is named in the allow-list below (and in src/sql/99_finish.sql).
BEGIN;
SELECT plan(10);

-- ---- the matrix: relations (table, view, sequence; "table(column)" for column grants)
CREATE TEMP TABLE want_rel (obj text, grantee text, privileges text) ON COMMIT DROP;
INSERT INTO want_rel VALUES
 -- configuration everyone reads, admins maintain (API §3)
 ('service', 'PUBLIC', 'SELECT'), ('service', 'licensing_admin', 'DELETE,INSERT,SELECT,UPDATE'),
 ('service_fee', 'PUBLIC', 'SELECT'), ('service_fee', 'licensing_admin', 'DELETE,INSERT,SELECT,UPDATE'),
 ('provider', 'PUBLIC', 'SELECT'), ('provider', 'licensing_admin', 'DELETE,INSERT,SELECT,UPDATE'),
 ('profile', 'PUBLIC', 'SELECT'), ('profile', 'licensing_admin', 'DELETE,INSERT,SELECT,UPDATE'),
 ('profile_step', 'PUBLIC', 'SELECT'), ('profile_step', 'licensing_admin', 'DELETE,INSERT,SELECT,UPDATE'),
 ('provider_profile', 'PUBLIC', 'SELECT'), ('provider_profile', 'licensing_admin', 'DELETE,INSERT,SELECT,UPDATE'),
 ('provider_service', 'PUBLIC', 'SELECT'), ('provider_service', 'licensing_admin', 'DELETE,INSERT,SELECT,UPDATE'),
 ('refusal_ground', 'PUBLIC', 'SELECT'), ('refusal_ground', 'licensing_admin', 'DELETE,INSERT,SELECT,UPDATE'),
 ('required_document', 'PUBLIC', 'SELECT'), ('required_document', 'licensing_admin', 'DELETE,INSERT,SELECT,UPDATE'),
 ('required_form_field', 'PUBLIC', 'SELECT'), ('required_form_field', 'licensing_admin', 'DELETE,INSERT,SELECT,UPDATE'),
 ('qualification_requirement', 'PUBLIC', 'SELECT'), ('qualification_requirement', 'licensing_admin', 'DELETE,INSERT,SELECT,UPDATE'),
 ('intake_reason', 'PUBLIC', 'SELECT'), ('intake_reason', 'licensing_admin', 'DELETE,INSERT,SELECT,UPDATE'),
 ('ground_citation', 'PUBLIC', 'SELECT'), ('ground_citation', 'licensing_admin', 'DELETE,INSERT,SELECT,UPDATE'),
 ('signing_role', 'PUBLIC', 'SELECT'), ('signing_role', 'licensing_admin', 'DELETE,INSERT,SELECT,UPDATE'),
 ('reissue_ground', 'PUBLIC', 'SELECT'), ('reissue_ground', 'licensing_admin', 'DELETE,INSERT,UPDATE'),
 ('suspension_ground', 'PUBLIC', 'SELECT'), ('suspension_ground', 'licensing_admin', 'DELETE,INSERT,UPDATE'),
 ('termination_ground', 'PUBLIC', 'SELECT'), ('termination_ground', 'licensing_admin', 'DELETE,INSERT,UPDATE'),
 ('calendar_year', 'PUBLIC', 'SELECT'), ('calendar_year', 'licensing_admin', 'DELETE,INSERT,UPDATE'),
 ('calendar_exception', 'PUBLIC', 'SELECT'), ('calendar_exception', 'licensing_admin', 'DELETE,INSERT,UPDATE'),
 -- the trust store: public certificates, admins load them (read-only columns filled by the extension)
 ('trusted_certificate', 'PUBLIC', 'SELECT'), ('trusted_certificate', 'licensing_admin', 'DELETE,TRUNCATE'),
 ('trusted_certificate(certificate)', 'licensing_admin', 'INSERT,UPDATE'),
 ('trusted_certificate(time_stamping)', 'licensing_admin', 'INSERT,UPDATE'),
 ('revocation_list', 'PUBLIC', 'SELECT'), ('revocation_list', 'licensing_admin', 'DELETE,TRUNCATE'),
 ('revocation_list(crl)', 'licensing_admin', 'INSERT,UPDATE'),
 -- staff and the registry mirrors: admins maintain, staff read (row-level security narrows)
 ('staff', 'licensing_admin', 'DELETE,INSERT,SELECT,UPDATE'), ('staff', 'licensing_staff', 'SELECT'),
 ('person', 'licensing_admin', 'DELETE,INSERT,SELECT,UPDATE'), ('person', 'licensing_staff', 'SELECT'),
 ('power_of_attorney', 'licensing_admin', 'DELETE,INSERT,SELECT,UPDATE'), ('power_of_attorney', 'licensing_staff', 'SELECT'),
 ('legal_entity', 'licensing_admin', 'DELETE,INSERT,SELECT,UPDATE'), ('legal_entity', 'licensing_staff', 'SELECT'),
 ('registry_max_age', 'PUBLIC', 'SELECT'), ('registry_max_age', 'licensing_admin', 'DELETE,INSERT,SELECT,UPDATE'),
 -- applications: read by staff and the portal (row-level security), written by the functions only
 ('application', 'licensing_staff', 'SELECT'), ('application', 'licensing_portal', 'SELECT'),
 ('application_step', 'licensing_staff', 'SELECT'), ('application_step', 'licensing_portal', 'SELECT'),
 ('application_event', 'licensing_staff', 'SELECT'), ('application_event', 'licensing_portal', 'SELECT'),
 ('application_document', 'licensing_staff', 'SELECT'), ('application_document', 'licensing_portal', 'SELECT'),
 ('application_payment', 'licensing_staff', 'SELECT'), ('application_payment', 'licensing_portal', 'SELECT'),
 ('application_survey', 'licensing_staff', 'SELECT'), ('application_survey', 'licensing_portal', 'SELECT'),
 -- the register: public; its history and duplicates: staff and admins
 ('licence', 'PUBLIC', 'SELECT'), ('licence_annex', 'PUBLIC', 'SELECT'), ('licence_register', 'PUBLIC', 'SELECT'),
 ('licence_duplicate', 'licensing_staff', 'SELECT'), ('licence_duplicate', 'licensing_admin', 'SELECT'),
 ('licence_event', 'licensing_staff', 'SELECT'), ('licence_event', 'licensing_admin', 'SELECT'),
 -- reports (API §7): the reporter reads the aggregates and overdue_steps, not application_history
 ('application_history', 'licensing_staff', 'SELECT'), ('application_history', 'licensing_admin', 'SELECT'),
 ('application_history', 'licensing_portal', 'SELECT'),
 ('overdue_steps', 'licensing_staff', 'SELECT'), ('overdue_steps', 'licensing_admin', 'SELECT'),
 ('overdue_steps', 'licensing_reporter', 'SELECT'),
 ('term_compliance', 'licensing_staff', 'SELECT'), ('term_compliance', 'licensing_admin', 'SELECT'),
 ('term_compliance', 'licensing_reporter', 'SELECT'),
 ('service_quality', 'licensing_staff', 'SELECT'), ('service_quality', 'licensing_admin', 'SELECT'),
 ('service_quality', 'licensing_reporter', 'SELECT'),
 ('refusals', 'licensing_staff', 'SELECT'), ('refusals', 'licensing_admin', 'SELECT'),
 ('refusals', 'licensing_reporter', 'SELECT'),
 -- operations (API §7.1): counts only, for the DBA and reporting
 ('calendar_status', 'licensing_admin', 'SELECT'), ('calendar_status', 'licensing_reporter', 'SELECT'),
 ('trust_store_health', 'PUBLIC', 'SELECT'),
 -- complaints (API §4.1): the terms are public data admins maintain; complaints and their
 -- chains read by staff, the portal (row-level security) and admins; the report by all four
 ('complaint_term', 'PUBLIC', 'SELECT'), ('complaint_term', 'licensing_admin', 'DELETE,INSERT,UPDATE'),
 ('complaint', 'licensing_staff', 'SELECT'), ('complaint', 'licensing_portal', 'SELECT'), ('complaint', 'licensing_admin', 'SELECT'),
 ('complaint_event', 'licensing_staff', 'SELECT'), ('complaint_event', 'licensing_portal', 'SELECT'),
 ('complaint_event', 'licensing_admin', 'SELECT'),
 ('complaints', 'licensing_admin', 'SELECT'), ('complaints', 'licensing_reporter', 'SELECT'),
 ('complaints', 'licensing_staff', 'SELECT'), ('complaints', 'licensing_portal', 'SELECT'),
 -- deadlines: the due-soon share is public data admins maintain
 ('deadline_setting', 'PUBLIC', 'SELECT'), ('deadline_setting', 'licensing_admin', 'DELETE,INSERT,SELECT,UPDATE');
 -- sequences: no grant (the functions allocate, as the owner)

-- ---- the matrix: functions, by name (every overload)
-- Executable by PUBLIC: the allow-list of src/sql/99_finish.sql.
CREATE TEMP TABLE want_public (name text) ON COMMIT DROP;
INSERT INTO want_public SELECT unnest(ARRAY[
    'iin_in', 'iin_out', 'iin_recv', 'iin_send', 'bin_in', 'bin_out', 'bin_recv', 'bin_send',
    'iin_eq', 'iin_ne', 'iin_lt', 'iin_le', 'iin_gt', 'iin_ge', 'iin_cmp', 'iin_hash', 'iin_hash_extended',
    'bin_eq', 'bin_ne', 'bin_lt', 'bin_le', 'bin_gt', 'bin_ge', 'bin_cmp', 'bin_hash', 'bin_hash_extended',
    'iin_smaller', 'iin_larger', 'bin_smaller', 'bin_larger', 'min', 'max',
    'iin_is_valid', 'bin_is_valid', 'iin_birth_date', 'iin_sex', 'bin_registered_on', 'bin_kind', 'bin_division',
    'is_working_day', 'add_working_days', 'working_days_between', 'calendar_covers', 'check_schedule',
    'add_working_time', 'working_time_between', 'receipt_day', 'term_due_on', 'norm_due_at',
    'verify_signature', 'certificate_info',
    'actor', 'acting_for', 'clock', 'canonical_json', 'workflow_dot',
    'licence_number_is_valid', 'licence_number']);
-- Executable by a role.
CREATE TEMP TABLE want_exec (name text, grantee text) ON COMMIT DROP;
INSERT INTO want_exec SELECT v.name, unnest(v.roles) FROM (VALUES
    ('act_for',                ARRAY['licensing_portal']),
    ('survey',                 ARRAY['licensing_portal']),
    ('create_application',     ARRAY['licensing_portal', 'licensing_staff']),
    ('attach_document',        ARRAY['licensing_portal', 'licensing_staff']),
    ('signing_payload',        ARRAY['licensing_portal', 'licensing_staff']),
    ('submit',                 ARRAY['licensing_portal', 'licensing_staff']),
    ('withdraw',               ARRAY['licensing_portal', 'licensing_staff']),
    ('missing_documents',      ARRAY['licensing_portal', 'licensing_staff']),
    ('missing_form_fields',    ARRAY['licensing_portal', 'licensing_staff']),
    ('record_payment',         ARRAY['licensing_gateway']),
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
    ('lodge_complaint',        ARRAY['licensing_portal', 'licensing_staff']),
    ('decide_complaint',       ARRAY['licensing_staff', 'licensing_admin']),
    ('verify_complaint_history', ARRAY['licensing_admin', 'licensing_reporter', 'licensing_staff']),
    ('check_deadlines',        ARRAY['licensing_admin']),
    ('reassign',               ARRAY['licensing_staff']),
    ('return_step',            ARRAY['licensing_staff']),
    ('revise',                 ARRAY['licensing_staff']),
    ('suspend_licence',        ARRAY['licensing_staff', 'licensing_admin']),
    ('resume_licence',         ARRAY['licensing_staff', 'licensing_admin']),
    ('terminate_licence',      ARRAY['licensing_staff', 'licensing_admin']),
    ('licence_document',       ARRAY['licensing_admin', 'licensing_staff', 'licensing_portal']),
    ('licence_signed',         ARRAY['licensing_admin', 'licensing_staff', 'licensing_portal']),
    ('licence_html',           ARRAY['licensing_admin', 'licensing_staff', 'licensing_portal']),
    ('annex_html',             ARRAY['licensing_admin', 'licensing_staff', 'licensing_portal']),
    ('refusal_html',           ARRAY['licensing_admin', 'licensing_staff', 'licensing_portal']),
    ('verify_history',         ARRAY['licensing_admin', 'licensing_reporter', 'licensing_staff']),
    ('verify_licence_history', ARRAY['licensing_admin', 'licensing_reporter', 'licensing_staff']),
    ('calendar_generate_carries', ARRAY['licensing_admin']),
    ('trust_store_status',     ARRAY['licensing_admin']),
    ('_calendar_status_at',    ARRAY['licensing_admin', 'licensing_reporter']),
    ('calendar_changes_impact', ARRAY['licensing_admin', 'licensing_reporter']),
    -- called with the reader's rights by the views (_report_scope, _kz_local) and the staff policies
    ('_report_scope',          ARRAY['licensing_admin', 'licensing_reporter', 'licensing_staff', 'licensing_portal']),
    ('_kz_local',              ARRAY['licensing_admin', 'licensing_reporter', 'licensing_staff', 'licensing_portal']),
    ('_is_staff_of',           ARRAY['licensing_staff']),
    ('_handles_person',        ARRAY['licensing_staff']),
    ('_handles_attorney',      ARRAY['licensing_staff'])) v(name, roles);

-- ---- the catalog
CREATE TEMP VIEW have_rel AS
SELECT obj, grantee, string_agg(privilege_type, ',' ORDER BY privilege_type) AS privileges
  FROM (SELECT c.relname::text AS obj,
               CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE a.grantee::regrole::text END AS grantee, a.privilege_type
          FROM pg_class c,
               aclexplode(coalesce(c.relacl, acldefault(CASE c.relkind WHEN 'S' THEN 's' ELSE 'r' END::"char", c.relowner))) a
         WHERE c.relnamespace = 'licensing'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
           AND a.grantee <> c.relowner
        UNION ALL
        SELECT c.relname || '(' || att.attname || ')',
               CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE a.grantee::regrole::text END, a.privilege_type
          FROM pg_class c
          JOIN pg_attribute att ON att.attrelid = c.oid AND att.attacl IS NOT NULL,
               aclexplode(att.attacl) a
         WHERE c.relnamespace = 'licensing'::regnamespace AND a.grantee <> c.relowner) x
 GROUP BY obj, grantee;

CREATE TEMP VIEW have_exec AS
SELECT p.oid::regprocedure::text AS fn, p.proname::text AS name,
       CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE a.grantee::regrole::text END AS grantee
  FROM pg_proc p, aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
 WHERE p.pronamespace = 'licensing'::regnamespace AND a.grantee <> p.proowner AND a.privilege_type = 'EXECUTE';

CREATE TEMP VIEW want_fn AS
SELECT p.oid::regprocedure::text AS fn, 'PUBLIC'::text AS grantee
  FROM pg_proc p JOIN want_public w ON w.name = p.proname
 WHERE p.pronamespace = 'licensing'::regnamespace
UNION
SELECT p.oid::regprocedure::text, w.grantee
  FROM pg_proc p JOIN want_exec w ON w.name = p.proname
 WHERE p.pronamespace = 'licensing'::regnamespace;

-- ---- relations
SELECT is(ARRAY(SELECT h.obj || ' ' || h.grantee || ' ' || h.privileges FROM have_rel h
                 EXCEPT SELECT w.obj || ' ' || w.grantee || ' ' || w.privileges FROM want_rel w ORDER BY 1),
          ARRAY[]::text[], 'no table, view, sequence or column grants more than the role matrix');
SELECT is(ARRAY(SELECT w.obj || ' ' || w.grantee || ' ' || w.privileges FROM want_rel w
                 EXCEPT SELECT h.obj || ' ' || h.grantee || ' ' || h.privileges FROM have_rel h ORDER BY 1),
          ARRAY[]::text[], 'every grant of the role matrix on tables, views and columns is there');
SELECT is(ARRAY(SELECT c.relname::text FROM pg_class c
                 WHERE c.relnamespace = 'licensing'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
                   AND NOT EXISTS (SELECT FROM want_rel w WHERE w.obj = c.relname)
                   AND c.relkind <> 'S'
                   AND EXISTS (SELECT FROM have_rel h WHERE h.obj = c.relname) ORDER BY 1),
          ARRAY[]::text[], 'every relation with a grant is in the matrix');
SELECT is(ARRAY(SELECT c.relname::text FROM pg_class c
                 WHERE c.relnamespace = 'licensing'::regnamespace AND c.relkind = 'S'
                   AND EXISTS (SELECT FROM have_rel h WHERE h.obj = c.relname) ORDER BY 1),
          ARRAY[]::text[], 'no sequence is granted to anyone: the functions allocate as the owner');

-- ---- functions
SELECT is(ARRAY(SELECT h.fn || ' ' || h.grantee FROM have_exec h
                 EXCEPT SELECT w.fn || ' ' || w.grantee FROM want_fn w ORDER BY 1),
          ARRAY[]::text[], 'no function is executable by PUBLIC or a role beyond the role matrix');
SELECT is(ARRAY(SELECT w.fn || ' ' || w.grantee FROM want_fn w
                 EXCEPT SELECT h.fn || ' ' || h.grantee FROM have_exec h ORDER BY 1),
          ARRAY[]::text[], 'every EXECUTE of the role matrix is granted');
SELECT is(ARRAY(SELECT n.name FROM (SELECT name FROM want_public UNION SELECT name FROM want_exec) n
                 WHERE NOT EXISTS (SELECT FROM pg_proc p
                                    WHERE p.pronamespace = 'licensing'::regnamespace AND p.proname = n.name)
                 ORDER BY 1),
          ARRAY[]::text[], 'every function the matrix names exists');

-- What has_function_privilege says, for the cases that matter most.
SELECT is(ARRAY(SELECT p.oid::regprocedure::text FROM pg_proc p
                 WHERE p.pronamespace = 'licensing'::regnamespace
                   AND (p.proname LIKE '\_%' OR p.prorettype = 'trigger'::regtype)
                   AND has_function_privilege('public', p.oid, 'EXECUTE') ORDER BY 1),
          ARRAY[]::text[], 'no internal (_name) or trigger function is executable by PUBLIC');
SELECT is(ARRAY(SELECT p.oid::regprocedure::text FROM pg_proc p
                 WHERE p.pronamespace = 'licensing'::regnamespace AND p.prosecdef
                   AND has_function_privilege('public', p.oid, 'EXECUTE') ORDER BY 1),
          ARRAY[]::text[], 'no SECURITY DEFINER function is executable by PUBLIC');

-- A function added without a thought is closed: the mechanism of 99_finish.sql
-- run again (it is idempotent, ALTER EXTENSION UPDATE runs it too) closes a new one.
CREATE FUNCTION licensing._probe_new_helper() RETURNS int LANGUAGE sql RETURN 1;
\ir ../../src/sql/99_finish.sql
SELECT ok(NOT has_function_privilege('public', 'licensing._probe_new_helper()', 'EXECUTE')
          AND NOT has_function_privilege('licensing_staff', 'licensing._probe_new_helper()', 'EXECUTE'),
          '99_finish.sql closes a function it does not know to PUBLIC and every role');

SELECT * FROM finish();
ROLLBACK;
