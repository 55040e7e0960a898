-- 50_contents.sql (upgrade part of src/sql/55_contents.sql): tamper evidence for what an application is made of besides
-- its row (issue #13 part 7).  The chain records each document's SHA-256, each
-- payment and the survey as they were written; verify_history asks this
-- function whether the tables still hold exactly that: a document whose
-- content no longer hashes to its recorded SHA-256, a payment or survey changed,
-- added or deleted behind the extension's back (superuser, triggers off) is
-- found.  The signing payload trusts the stored SHA-256, so the content itself
-- is hashed again here.

CREATE FUNCTION licensing._contents_verify(app bigint) RETURNS boolean
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
AS $$
    SELECT
      -- documents: each row's content hashes to its stored SHA-256, and the rows
      -- are the attach_document events, one for one
      (SELECT COALESCE(pg_catalog.jsonb_agg(x ORDER BY x::text), '[]')
         FROM (SELECT pg_catalog.jsonb_build_object('document', d.id, 'kind', d.kind, 'filename', d.filename,
                          'sha256', pg_catalog.encode(d.sha256, 'hex'), 'paper_original', d.paper_original) AS x
                 FROM licensing.application_document d
                WHERE d.application OPERATOR(pg_catalog.=) app
                  AND d.sha256 OPERATOR(pg_catalog.=) pg_catalog.sha256(d.content)) docs)
      OPERATOR(pg_catalog.=)
      (SELECT COALESCE(pg_catalog.jsonb_agg(e.payload ORDER BY e.payload::text), '[]')
         FROM licensing.application_event e
        WHERE e.application OPERATOR(pg_catalog.=) app AND e.what OPERATOR(pg_catalog.=) 'attach_document')
      -- documents whose content no longer hashes to their SHA-256 are not counted above
      AND NOT EXISTS (SELECT FROM licensing.application_document d
                       WHERE d.application OPERATOR(pg_catalog.=) app
                         AND d.sha256 OPERATOR(pg_catalog.<>) pg_catalog.sha256(d.content))
      -- payments: the rows are the record_payment events, one for one
      AND (SELECT COALESCE(pg_catalog.jsonb_agg(x ORDER BY x::text), '[]')
             FROM (SELECT pg_catalog.jsonb_build_object('payment', p.id, 'amount', p.amount, 'reference', p.reference,
                              'paid_at', licensing._utc(p.paid_at)) AS x
                     FROM licensing.application_payment p
                    WHERE p.application OPERATOR(pg_catalog.=) app) pays)
          OPERATOR(pg_catalog.=)
          (SELECT COALESCE(pg_catalog.jsonb_agg(e.payload ORDER BY e.payload::text), '[]')
             FROM licensing.application_event e
            WHERE e.application OPERATOR(pg_catalog.=) app AND e.what OPERATOR(pg_catalog.=) 'record_payment')
      -- the survey: the row is the survey event (none, or one)
      AND (SELECT COALESCE(pg_catalog.jsonb_agg(x ORDER BY x::text), '[]')
             FROM (SELECT pg_catalog.jsonb_build_object('process_quality', s.process_quality,
                              'information_quality', s.information_quality) AS x
                     FROM licensing.application_survey s
                    WHERE s.application OPERATOR(pg_catalog.=) app) surveys)
          OPERATOR(pg_catalog.=)
          (SELECT COALESCE(pg_catalog.jsonb_agg(e.payload ORDER BY e.payload::text), '[]')
             FROM licensing.application_event e
            WHERE e.application OPERATOR(pg_catalog.=) app AND e.what OPERATOR(pg_catalog.=) 'survey')
$$;
COMMENT ON FUNCTION licensing._contents_verify(bigint) IS
    'internal: whether an application''s documents (re-hashed), payments and survey are exactly what its history recorded';
REVOKE ALL ON FUNCTION licensing._contents_verify(bigint) FROM PUBLIC;

-- verify_history asks it for every application
CREATE OR REPLACE FUNCTION licensing.verify_history(application bigint DEFAULT NULL) RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    a licensing.application;
    e licensing.application_event;
    prev bytea;
    n integer;
    replay jsonb;
    state text;
    closes boolean;
BEGIN
    FOR a IN SELECT * FROM licensing.application x WHERE $1 IS NULL OR x.id OPERATOR(pg_catalog.=) $1 LOOP
        prev := NULL; n := 0; replay := NULL; state := NULL;
        FOR e IN SELECT * FROM licensing.application_event y WHERE y.application OPERATOR(pg_catalog.=) a.id ORDER BY y.seq LOOP
            n := n OPERATOR(pg_catalog.+) 1;
            IF e.seq OPERATOR(pg_catalog.<>) n OR e.prev_hash IS DISTINCT FROM prev
               OR e.hash IS DISTINCT FROM licensing._event_hash(prev, pg_catalog.jsonb_build_object(
                    'application', e.application, 'seq', e.seq, 'at', licensing._utc(e.at),
                    'actor_role', e.actor_role, 'actor_iin', e.actor_iin::text, 'what', e.what,
                    'from', e.from_state, 'to', e.to_state, 'payload', e.payload)) THEN
                RETURN false;
            END IF;
            prev := e.hash;
            closes := e.what NOT IN ('create', 'attach_document', 'record_payment', 'intake_refused', 'survey')
                      AND e.from_state IS DISTINCT FROM e.to_state;
            -- a change of state closes the step that was open: the event carries it
            -- exactly as the replayed row held it (no step: none), no other event any
            IF (closes AND (e.step IS DISTINCT FROM replay OPERATOR(pg_catalog.->>) 'step'
                    OR e.step_position IS DISTINCT FROM (replay OPERATOR(pg_catalog.->>) 'step_position')::integer
                    OR e.step_performer IS DISTINCT FROM replay OPERATOR(pg_catalog.->>) 'step_performer'
                    OR e.step_started_at IS DISTINCT FROM (replay OPERATOR(pg_catalog.->>) 'step_started_at')::timestamptz
                    OR e.step_due_at IS DISTINCT FROM (replay OPERATOR(pg_catalog.->>) 'step_due_at')::timestamptz))
               OR (NOT closes AND NOT (e.step, e.step_position, e.step_performer, e.step_started_at, e.step_due_at) IS NULL) THEN
                RETURN false;
            END IF;
            IF e.what OPERATOR(pg_catalog.=) 'create' THEN
                replay := e.payload;
            ELSIF e.to_state IS NOT NULL AND e.what NOT IN ('attach_document', 'record_payment', 'intake_refused', 'survey') THEN
                replay := replay OPERATOR(pg_catalog.||) e.payload;
            END IF;
        END LOOP;
        IF replay IS DISTINCT FROM licensing._row_json(a) OR NOT licensing._contents_verify(a.id) THEN
            RETURN false;
        END IF;
    END LOOP;
    RETURN true;
END
$$;
COMMENT ON FUNCTION licensing.verify_history(bigint) IS 'Recomputes the hash chain of one application (or all) and checks the row equals its recorded changes';
