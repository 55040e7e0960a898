-- 20_engine.sql: the workflow engine (issue #19) and its triggers' hardening (#13).
--
-- Every trigger function of the extension checks that it fires on its own
-- table, at its timing and level (39P01 otherwise); the refusal of both
-- append-only histories is 55000.  The C trigger functions check in the
-- library; the PL/pgSQL ones are replaced here, as 20_calendar.sql,
-- 50_workflow.sql and 60_licence.sql create them.

CREATE OR REPLACE FUNCTION licensing.calendar_user_row() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $fn$
-- A row inserted or changed by a user is the user's (shipped = false), so
-- pg_dump keeps it.  An inserted row replaces a shipped row with the same
-- key: this is how a restore (the dump's rows after CREATE EXTENSION's) and a
-- DBA's correction of a shipped day both work without a clash.
BEGIN
    IF NOT COALESCE(COALESCE(pg_catalog.pg_partition_root(TG_RELID), TG_RELID::pg_catalog.regclass) OPERATOR(pg_catalog.=) ANY (ARRAY[
           'licensing.calendar_year'::pg_catalog.regclass, 'licensing.calendar_exception'::pg_catalog.regclass]), false)
       OR TG_WHEN OPERATOR(pg_catalog.<>) 'BEFORE' OR TG_LEVEL OPERATOR(pg_catalog.<>) 'ROW'
       OR TG_OP OPERATOR(pg_catalog.<>) ALL (ARRAY['INSERT', 'UPDATE']) THEN
        RAISE EXCEPTION 'licensing.calendar_user_row() cannot fire % % for each % on table %',
                        TG_WHEN, TG_OP, TG_LEVEL, TG_RELID::pg_catalog.regclass
            USING ERRCODE = '39P01',
                  DETAIL = 'It is a BEFORE INSERT OR UPDATE row trigger of licensing.calendar_year and licensing.calendar_exception only.',
                  HINT = 'Drop the trigger; the extension creates its own triggers.';
    END IF;
    NEW.shipped := false;
    IF TG_OP OPERATOR(pg_catalog.=) 'INSERT' THEN
        IF TG_TABLE_NAME OPERATOR(pg_catalog.=) 'calendar_exception' THEN
            DELETE FROM licensing.calendar_exception
             WHERE day OPERATOR(pg_catalog.=) NEW.day AND shipped;
        ELSE
            DELETE FROM licensing.calendar_year
             WHERE year OPERATOR(pg_catalog.=) NEW.year AND shipped;
        END IF;
    END IF;
    RETURN NEW;
END
$fn$;

CREATE OR REPLACE FUNCTION licensing._history_immutable() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF COALESCE(pg_catalog.pg_partition_root(TG_RELID), TG_RELID::pg_catalog.regclass) IS DISTINCT FROM 'licensing.application_event'::pg_catalog.regclass
       OR TG_WHEN OPERATOR(pg_catalog.<>) 'BEFORE' OR TG_OP OPERATOR(pg_catalog.=) 'INSERT' THEN
        RAISE EXCEPTION 'licensing._history_immutable() cannot fire % % for each % on table %',
                        TG_WHEN, TG_OP, TG_LEVEL, TG_RELID::pg_catalog.regclass
            USING ERRCODE = '39P01',
                  DETAIL = 'It is a BEFORE UPDATE, DELETE or TRUNCATE trigger of licensing.application_event only.',
                  HINT = 'Drop the trigger; the extension creates its own triggers.';
    END IF;
    RAISE EXCEPTION 'history of applications cannot be changed'
        USING ERRCODE = '55000',
              DETAIL = pg_catalog.format('%s on %s is refused: the history is append-only and hash-chained.', TG_OP, TG_TABLE_NAME),
              HINT = 'Events are appended by the functions of licensing; licensing.verify_history() checks the chain.';
END
$$;

CREATE OR REPLACE FUNCTION licensing._licence_event_append_only() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF COALESCE(pg_catalog.pg_partition_root(TG_RELID), TG_RELID::pg_catalog.regclass) IS DISTINCT FROM 'licensing.licence_event'::pg_catalog.regclass
       OR TG_WHEN OPERATOR(pg_catalog.<>) 'BEFORE' OR TG_OP OPERATOR(pg_catalog.=) 'INSERT' THEN
        RAISE EXCEPTION 'licensing._licence_event_append_only() cannot fire % % for each % on table %',
                        TG_WHEN, TG_OP, TG_LEVEL, TG_RELID::pg_catalog.regclass
            USING ERRCODE = '39P01',
                  DETAIL = 'It is a BEFORE UPDATE or DELETE trigger of licensing.licence_event only.',
                  HINT = 'Drop the trigger; the extension creates its own triggers.';
    END IF;
    -- the one refusal of both append-only histories (application_event: _history_immutable)
    RAISE EXCEPTION 'cannot % licence history', lower(TG_OP)
        USING ERRCODE = '55000',
              DETAIL = 'The history of a licence is append-only and hash-chained.',
              HINT = 'Record a new event through the lifecycle functions.';
END
$$;


-- The transition table of the workflow (transitions.c): each move (the state it
-- leaves and reaches, the profile step it performs, the columns it may change,
-- those its step function sets, the events it records, the step the reached
-- state opens) and each event that is no move, with the state it stands in.
CREATE FUNCTION licensing.workflow_transitions()
    RETURNS TABLE (step text, from_state text, to_state text, unless_step text, performer text,
                   events text[], sets text[], columns text[], opens text[])
    AS 'MODULE_PATHNAME', 'licensing_workflow_transitions' LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 32;
COMMENT ON FUNCTION licensing.workflow_transitions() IS 'The transition table: every move of an application and every event that is no move (from = to; * any state), as the guard, the step triggers and verify_history use it';

-- verify_history also checks continuity and that each event is a move or an event of the transition table where it stands
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

-- workflow_dot draws who withdraws, and from which states, from the transition table
CREATE OR REPLACE FUNCTION licensing.workflow_dot(profile text) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    p record;
    s record;
    out text;
    prev text := 'submitted';
    q text;
BEGIN
    SELECT pr.code, pr.name, pr.source, pr.service INTO p
      FROM licensing.profile pr WHERE pr.code OPERATOR(pg_catalog.=) workflow_dot.profile;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'profile "%" does not exist', workflow_dot.profile
            USING ERRCODE = '22023', HINT = 'See licensing.profile for the profiles.';
    END IF;
    -- DOT string literal: escape backslash and double quote
    out := pg_catalog.format(E'digraph "%s" {\n  label="%s (%s)";\n  labelloc=t;\n  rankdir=LR;\n  node [shape=box, style=rounded, fontname="Helvetica"];\n',
                             pg_catalog.replace(pg_catalog.replace(p.code, E'\\', E'\\\\'), '"', E'\\"'),
                             pg_catalog.replace(pg_catalog.replace(p.name, E'\\', E'\\\\'), '"', E'\\"'),
                             pg_catalog.replace(pg_catalog.replace(coalesce(p.source, p.service), E'\\', E'\\\\'), '"', E'\\"'));
    out := out || E'  submitted [shape=circle, label="submitted"];\n';
    FOR s IN SELECT ps.position, ps.step, ps.performer, ps.norm, ps.anchor, ps.paper_norm, ps.seed_clause
               FROM licensing.profile_step ps
              WHERE ps.profile OPERATOR(pg_catalog.=) p.code ORDER BY ps.position
    LOOP
        q := s.step || CASE s.step WHEN 'decide' THEN ' (grant or refuse)' ELSE '' END
             || E'\\n' || s.performer || ', '
             || CASE WHEN s.norm IS NULL THEN 'by the term''s end'
                     ELSE s.norm || CASE s.anchor WHEN 'receipt' THEN ' from receipt'
                                                  WHEN 'term_end' THEN ', capped at the term''s end' ELSE '' END END
             || CASE WHEN s.paper_norm IS NOT NULL THEN '; on paper ' || s.paper_norm ELSE '' END
             || E'\\n' || s.seed_clause;
        out := out || pg_catalog.format(E'  s%s [label="%s"];\n  %s -> s%s;\n', s.position,
                                        pg_catalog.replace(q, '"', E'\\"'), prev, s.position);
        prev := 's' || s.position;
    END LOOP;
    out := out || pg_catalog.format(E'  delivered [shape=doublecircle, label="delivered"];\n  %s -> delivered;\n', prev);
    -- who withdraws, and from which states: the transition table (workflow_transitions)
    SELECT t.performer || ', from ' || pg_catalog.string_agg(t.from_state, ', ' ORDER BY t.n) INTO q
      FROM licensing.workflow_transitions() WITH ORDINALITY
           t(step, from_state, to_state, unless_step, performer, events, sets, columns, opens, n)
     WHERE 'withdraw' OPERATOR(pg_catalog.=) ANY (t.events)
     GROUP BY t.performer;
    out := out || pg_catalog.format(E'  withdrawn [shape=circle, style=dashed, label="withdrawn"];\n  submitted -> withdrawn [style=dashed, label="%s"];\n}\n',
                                    pg_catalog.replace(q, '"', E'\\"'));
    RETURN out;
END
$$;
