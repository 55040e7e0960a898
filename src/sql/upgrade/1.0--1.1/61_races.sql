-- 61_races.sql (issue #16 part 5): the same payment reference or survey sent
-- twice at once.  The second call waits for the first's row lock; its snapshot
-- may predate the first's commit (REPEATABLE READ), so the check before the
-- INSERT cannot see the winner: INSERT ... ON CONFLICT DO NOTHING waits for it,
-- read committed then reads it, and a snapshot that cannot see it gets a
-- documented 40001 (retry) instead of a raw unique violation (23505).
-- record_payment is replaced in 60_moments.sql (with this change in it).
CREATE OR REPLACE FUNCTION licensing.survey(application bigint, process_quality integer, information_quality integer) RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    a licensing.application := licensing._lock($1);
    n bigint;
BEGIN
    IF licensing.acting_for() IS DISTINCT FROM a.applicant THEN
        RAISE EXCEPTION 'role "%" may not answer the survey of application %', licensing.actor(), a.id
            USING ERRCODE = '42501', DETAIL = 'The survey is answered by the portal for the applicant.';
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
