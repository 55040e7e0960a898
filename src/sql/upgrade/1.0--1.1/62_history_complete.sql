-- 62_history_complete.sql (upgrade part of src/sql/66_history_complete.sql): the histories detect missing rows as well as
-- changed ones (issue #16 part 6).  A chain proves each row it holds; it cannot
-- tell that a whole row, a whole chain or its tail was deleted behind the
-- extension's back (a superuser with triggers off).  verify_history and
-- verify_licence_history ask these functions, one line each, whether
-- everything that must exist does:
--   applications: every event has its application, every application its
--     events (at least the create event);
--   licences: every event has its licence, every licence its chain, opened by
--     its issue and ending in the status the licence holds (a cut tail shows),
--     and every decision signed as granted names a licence that exists.

CREATE FUNCTION licensing._history_complete(app bigint) RETURNS boolean
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
AS $$
    SELECT NOT EXISTS (SELECT FROM licensing.application_event e
                        WHERE (app IS NULL OR e.application OPERATOR(pg_catalog.=) app)
                          AND NOT EXISTS (SELECT FROM licensing.application a
                                           WHERE a.id OPERATOR(pg_catalog.=) e.application))
       AND NOT EXISTS (SELECT FROM licensing.application a
                        WHERE (app IS NULL OR a.id OPERATOR(pg_catalog.=) app)
                          AND NOT EXISTS (SELECT FROM licensing.application_event e
                                           WHERE e.application OPERATOR(pg_catalog.=) a.id
                                             AND e.seq OPERATOR(pg_catalog.=) 1
                                             AND e.what OPERATOR(pg_catalog.=) 'create'))
$$;
COMMENT ON FUNCTION licensing._history_complete(bigint) IS
    'internal: whether every event of the application (or of all) has its application and every application its create event';
REVOKE ALL ON FUNCTION licensing._history_complete(bigint) FROM PUBLIC;

CREATE FUNCTION licensing._licence_history_complete(number text) RETURNS boolean
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
AS $$
    -- $1, not the name: licence and application have columns called number
    SELECT NOT EXISTS (SELECT FROM licensing.licence_event le
                        WHERE ($1 IS NULL OR le.licence OPERATOR(pg_catalog.=) $1)
                          AND NOT EXISTS (SELECT FROM licensing.licence l
                                           WHERE l.number OPERATOR(pg_catalog.=) le.licence))
       AND NOT EXISTS (SELECT FROM licensing.licence l
                        WHERE ($1 IS NULL OR l.number OPERATOR(pg_catalog.=) $1)
                          AND (NOT EXISTS (SELECT FROM licensing.licence_event le
                                            WHERE le.licence OPERATOR(pg_catalog.=) l.number
                                              AND le.seq OPERATOR(pg_catalog.=) 1
                                              AND le.event OPERATOR(pg_catalog.=) 'issued')
                               OR l.status IS DISTINCT FROM
                                  (SELECT le.to_status FROM licensing.licence_event le
                                    WHERE le.licence OPERATOR(pg_catalog.=) l.number
                                    ORDER BY le.seq DESC LIMIT 1)))
       AND NOT EXISTS (SELECT FROM licensing.application a
                        WHERE ($1 IS NULL OR a.result_number OPERATOR(pg_catalog.=) $1)
                          AND a.state IN ('signed', 'delivered')
                          AND a.outcome OPERATOR(pg_catalog.=) 'granted'
                          AND a.result_number IS NOT NULL
                          AND NOT EXISTS (SELECT FROM licensing.licence l
                                           WHERE l.number OPERATOR(pg_catalog.=) a.result_number))
$$;
COMMENT ON FUNCTION licensing._licence_history_complete(text) IS
    'internal: whether every licence event has its licence, every licence its chain (issued first, ending in its status), and every granted signed decision its licence';
REVOKE ALL ON FUNCTION licensing._licence_history_complete(text) FROM PUBLIC;

-- verify_history and verify_licence_history ask them (one line each).  CAUTION:
-- these must stay exactly the fresh install's text (50_workflow.sql,
-- 60_licence.sql); verify_history is also replaced by 50_contents.sql, and
-- this later part wins.
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
    IF NOT licensing._history_complete($1) THEN RETURN false; END IF;  -- rows missing (66_history_complete.sql)
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
            -- continuity: the first event creates, each starts where the one before ended,
            -- and is a move or an event of the transition table where it stands
            IF (n OPERATOR(pg_catalog.=) 1) IS DISTINCT FROM (e.what OPERATOR(pg_catalog.=) 'create')
               OR e.from_state IS DISTINCT FROM state
               OR (n OPERATOR(pg_catalog.>) 1 AND NOT EXISTS (
                   SELECT FROM licensing.workflow_transitions() t
                    WHERE e.what OPERATOR(pg_catalog.=) ANY (t.events)
                      AND ((t.from_state OPERATOR(pg_catalog.=) e.from_state AND t.to_state OPERATOR(pg_catalog.=) e.to_state)
                           OR (t.from_state OPERATOR(pg_catalog.=) '*' AND e.to_state OPERATOR(pg_catalog.=) e.from_state)))) THEN
                RETURN false;
            END IF;
            state := e.to_state;
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

CREATE OR REPLACE FUNCTION licensing.verify_licence_history(number text DEFAULT NULL) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    e licensing.licence_event;
    prev_licence text := NULL;
    prev_hash bytea := NULL;
    prev_seq integer := 0;
    canon text := CASE WHEN number IS NULL THEN NULL ELSE licensing.licence_number(number) END;
BEGIN
    IF NOT licensing._licence_history_complete(canon) THEN RETURN false; END IF;  -- rows missing (66_history_complete.sql)
    FOR e IN SELECT * FROM licensing.licence_event le
              WHERE canon IS NULL OR le.licence OPERATOR(pg_catalog.=) canon
              ORDER BY le.licence, le.seq
    LOOP
        IF prev_licence IS DISTINCT FROM e.licence THEN
            prev_licence := e.licence;
            prev_hash := NULL;
            prev_seq := 0;
        END IF;
        IF e.seq OPERATOR(pg_catalog.<>) prev_seq + 1
           OR e.prev_hash IS DISTINCT FROM prev_hash
           OR e.hash IS DISTINCT FROM pg_catalog.sha256(licensing._licence_event_bytes(e)) THEN
            RETURN false;
        END IF;
        prev_hash := e.hash;
        prev_seq := e.seq;
    END LOOP;
    -- every licence has at least its issue event
    IF EXISTS (SELECT FROM licensing.licence l
                WHERE (canon IS NULL OR l.number OPERATOR(pg_catalog.=) canon)
                  AND NOT EXISTS (SELECT FROM licensing.licence_event le
                                   WHERE le.licence OPERATOR(pg_catalog.=) l.number)) THEN
        RETURN false;
    END IF;
    RETURN true;
END
$$;
