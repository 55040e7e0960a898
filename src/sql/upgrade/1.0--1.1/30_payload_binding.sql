-- 30_payload_binding.sql: a signature binds to one application as it was signed
-- (API §4, revision 2).  The payloads carry the application's id and its
-- revision, the seq of the last event that changed it; the definitions are the
-- same as in 50_workflow.sql (see there why the revision is derived from the
-- history).  The C guard reads the payloads through these SQL functions, so the
-- change is SQL only.  (_decision_payload: defined in 75c_results.sql, which
-- changes it again.)
CREATE FUNCTION licensing._revision(application bigint) RETURNS integer
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    SELECT COALESCE(pg_catalog.max(e.seq), 0) FROM licensing.application_event e
     WHERE e.application OPERATOR(pg_catalog.=) $1
       AND e.what NOT IN ('record_payment', 'intake_refused', 'survey', 'due_soon', 'overdue')
$$;
COMMENT ON FUNCTION licensing._revision(bigint) IS 'internal: the seq of the last event that changed the application (not a payment, intake refusal, survey or deadline notice); enters the signed payloads';
REVOKE ALL ON FUNCTION licensing._revision(bigint) FROM PUBLIC;

CREATE OR REPLACE FUNCTION licensing._signing_payload(application bigint) RETURNS bytea
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    SELECT pg_catalog.convert_to(licensing.canonical_json(pg_catalog.jsonb_build_object(
        'id', a.id, 'revision', licensing._revision(a.id),
        'service', a.service, 'operation', a.operation, 'applicant', a.applicant, 'provider', a.provider,
        'licence_number', a.licence_number, 'form', a.form,
        'documents', COALESCE((SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
                        'kind', d.kind, 'filename', d.filename, 'sha256', pg_catalog.encode(d.sha256, 'hex'),
                        'paper_original', d.paper_original) ORDER BY d.id)
                     FROM licensing.application_document d WHERE d.application OPERATOR(pg_catalog.=) a.id), '[]'))), 'UTF8')
    FROM licensing.application a WHERE a.id OPERATOR(pg_catalog.=) $1
$$;
COMMENT ON FUNCTION licensing._signing_payload(bigint) IS 'The bytes an applicant signs, without the visibility check (used by the guard)';
COMMENT ON FUNCTION licensing.signing_payload(bigint) IS 'RFC 8785 canonical JSON the applicant signs: the application''s id and revision, service, operation, applicant, provider, form, documents'' SHA-256';

