-- 90_privacy.sql: who sees what (issue #13, part 6; API §8).  The same as the
-- fresh-install parts 50_workflow.sql, 60_licence.sql and 70_reports.sql; the
-- EXECUTE revocation from PUBLIC follows in 99_finish.sql, which the Makefile
-- appends to this script.

-- A caller who may not see an application is told it does not exist (P0002).
CREATE OR REPLACE FUNCTION licensing._require_visible(a licensing.application) RETURNS void
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- the words of a missing id (_lock, _visible): no state, no provider (API §8)
    IF NOT licensing._may_see(a.applicant, a.provider)
       AND NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) licensing.actor()) THEN
        RAISE EXCEPTION 'application % does not exist', a.id USING ERRCODE = 'P0002',
            HINT = 'Check the application id.';
    END IF;
END
$$;
COMMENT ON FUNCTION licensing._require_visible(licensing.application) IS 'Raises P0002, as for a missing id, unless the acting role sees the application';
COMMENT ON FUNCTION licensing._visible(bigint) IS 'An application the acting role may see, unlocked (P0002 when none or not its own)';

CREATE OR REPLACE FUNCTION licensing.survey(application bigint, process_quality integer, information_quality integer) RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    a licensing.application := licensing._lock($1);
    n bigint;
BEGIN
    IF licensing.acting_for() IS DISTINCT FROM a.applicant THEN
        -- another applicant's application: as if there were none (API §8)
        RAISE EXCEPTION 'application % does not exist', a.id USING ERRCODE = 'P0002',
            HINT = 'Check the application id.';
    END IF;
    IF a.state OPERATOR(pg_catalog.<>) 'delivered' THEN
        RAISE EXCEPTION 'application % is %, the survey follows delivery', a.id, a.state USING ERRCODE = '55000';
    END IF;
    IF $2 IS NULL OR $3 IS NULL OR $2 NOT BETWEEN 1 AND 3 OR $3 NOT BETWEEN 1 AND 3 THEN
        RAISE EXCEPTION 'survey answers must be 1, 2 or 3' USING ERRCODE = '22023',
            DETAIL = '1 not satisfied, 2 partially satisfied, 3 satisfied.';
    END IF;
    IF EXISTS (SELECT 1 FROM licensing.application_survey s WHERE s.application OPERATOR(pg_catalog.=) a.id) THEN
        RAISE EXCEPTION 'the survey of application % is already answered', a.id USING ERRCODE = '55000';
    END IF;
    -- a concurrent answer committed after this snapshot was taken is not seen
    -- above: ON CONFLICT waits for it, and a snapshot that cannot see it gets a
    -- serialization failure (issue #16 part 5)
    BEGIN
        INSERT INTO licensing.application_survey (application, process_quality, information_quality, answered_at)
        VALUES (a.id, $2, $3, licensing.clock())
        ON CONFLICT ON CONSTRAINT application_survey_pkey DO NOTHING;
        GET DIAGNOSTICS n = ROW_COUNT;
    EXCEPTION WHEN serialization_failure THEN
        RAISE EXCEPTION 'the survey of application % was answered by a concurrent transaction', a.id
            USING ERRCODE = '40001',
            DETAIL = 'This transaction''s snapshot was taken before that one committed.',
            HINT = 'Retry the transaction: it then sees the survey answered.';
    END;
    IF n OPERATOR(pg_catalog.=) 0 THEN
        RAISE EXCEPTION 'the survey of application % is already answered', a.id USING ERRCODE = '55000';
    END IF;
    PERFORM licensing._append_event(a.id, 'survey', a.state, a.state,
        pg_catalog.jsonb_build_object('process_quality', $2, 'information_quality', $3));
END
$$;
COMMENT ON FUNCTION licensing.survey(bigint, integer, integer) IS 'The applicant''s survey of a delivered application (once)';

-- refusal_html (visible to its applicant and provider only) is replaced in 76_texts.sql

-- Staff see their provider's staff and the registry rows of the applications
-- they handle; admins maintain all rows.
CREATE INDEX application_representative_idx ON licensing.application (representative)
    WHERE representative IS NOT NULL;
CREATE FUNCTION licensing._handles_person(iin licensing.iin) RETURNS boolean
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
    AS $$ SELECT EXISTS (SELECT 1 FROM licensing.application a WHERE a.applicant OPERATOR(pg_catalog.=) $1::text)
              OR EXISTS (SELECT 1 FROM licensing.application a WHERE a.representative OPERATOR(licensing.=) $1) $$;
COMMENT ON FUNCTION licensing._handles_person(licensing.iin) IS 'Whether the person applies, or represents an applicant, in an application the caller sees (row-level security of person)';
CREATE FUNCTION licensing._handles_attorney(principal text, representative licensing.iin) RETURNS boolean
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
    AS $$ SELECT EXISTS (SELECT 1 FROM licensing.application a WHERE a.applicant OPERATOR(pg_catalog.=) $1
                                                               AND a.representative OPERATOR(licensing.=) $2) $$;
COMMENT ON FUNCTION licensing._handles_attorney(text, licensing.iin) IS 'Whether an application the caller sees has this applicant and representative (row-level security of power_of_attorney)';
ALTER TABLE licensing.staff ENABLE ROW LEVEL SECURITY;
ALTER TABLE licensing.person ENABLE ROW LEVEL SECURITY;
ALTER TABLE licensing.power_of_attorney ENABLE ROW LEVEL SECURITY;
CREATE POLICY staff_own_provider ON licensing.staff FOR SELECT TO licensing_staff
    USING (licensing._is_staff_of(provider));
CREATE POLICY person_handled ON licensing.person FOR SELECT TO licensing_staff
    USING (licensing._handles_person(iin));
CREATE POLICY power_of_attorney_handled ON licensing.power_of_attorney FOR SELECT TO licensing_staff
    USING (licensing._handles_attorney(principal, representative));
CREATE POLICY staff_admin ON licensing.staff TO licensing_admin USING (true) WITH CHECK (true);
CREATE POLICY person_admin ON licensing.person TO licensing_admin USING (true) WITH CHECK (true);
CREATE POLICY power_of_attorney_admin ON licensing.power_of_attorney TO licensing_admin USING (true) WITH CHECK (true);
COMMENT ON POLICY staff_own_provider ON licensing.staff IS 'Staff see the staff rows of the providers they have a staff row at';
COMMENT ON POLICY person_handled ON licensing.person IS 'Staff see the persons who are applicants or representatives of applications they see';
COMMENT ON POLICY power_of_attorney_handled ON licensing.power_of_attorney IS 'Staff see the powers of attorney of the applicants and representatives of applications they see';
COMMENT ON POLICY staff_admin ON licensing.staff IS 'Admins maintain every staff row';
COMMENT ON POLICY person_admin ON licensing.person IS 'Admins maintain the person registry mirror';
COMMENT ON POLICY power_of_attorney_admin ON licensing.power_of_attorney IS 'Admins maintain the notary registry mirror';

-- _may_see runs only inside SECURITY DEFINER functions; _is_staff_of is
-- called by the staff policies.
REVOKE EXECUTE ON FUNCTION licensing._may_see(text, text)
    FROM licensing_staff, licensing_portal, licensing_reporter, licensing_admin;
REVOKE EXECUTE ON FUNCTION licensing._is_staff_of(text) FROM licensing_portal, licensing_reporter, licensing_admin;

-- The reporter reads the aggregates and the public register only: no
-- application_history (IINs, drafts), no signed documents or refusals (names),
-- no licence history or duplicates.
REVOKE SELECT ON licensing.application_history FROM licensing_reporter;
REVOKE SELECT ON licensing.licence_duplicate, licensing.licence_event FROM licensing_reporter;
REVOKE EXECUTE ON FUNCTION licensing.licence_document(text), licensing.licence_signed(text),
                           licensing.licence_html(text), licensing.refusal_html(bigint) FROM licensing_reporter;
