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
DECLARE
    -- the histories it guards: an application's and (1.1) a complaint's
    history text := CASE COALESCE(pg_catalog.pg_partition_root(TG_RELID), TG_RELID::pg_catalog.regclass)
                        WHEN 'licensing.application_event'::pg_catalog.regclass THEN 'applications'
                        WHEN 'licensing.complaint_event'::pg_catalog.regclass THEN 'complaints' END;
BEGIN
    IF history IS NULL OR TG_WHEN OPERATOR(pg_catalog.<>) 'BEFORE' OR TG_OP OPERATOR(pg_catalog.=) 'INSERT' THEN
        RAISE EXCEPTION 'licensing._history_immutable() cannot fire % % for each % on table %',
                        TG_WHEN, TG_OP, TG_LEVEL, TG_RELID::pg_catalog.regclass
            USING ERRCODE = '39P01',
                  DETAIL = 'It is a BEFORE UPDATE, DELETE or TRUNCATE trigger of licensing.application_event and licensing.complaint_event only.',
                  HINT = 'Drop the trigger; the extension creates its own triggers.';
    END IF;
    RAISE EXCEPTION 'history of % cannot be changed', history
        USING ERRCODE = '55000',
              DETAIL = pg_catalog.format('%s on %s is refused: the history is append-only and hash-chained.', TG_OP, TG_TABLE_NAME),
              HINT = CASE history WHEN 'applications'
                          THEN 'Events are appended by the functions of licensing; licensing.verify_history() checks the chain.'
                          ELSE 'Events are appended by lodge_complaint and decide_complaint; licensing.verify_complaint_history() checks the chain.' END;
END
$$;
COMMENT ON FUNCTION licensing._history_immutable() IS 'Trigger refusing UPDATE, DELETE and TRUNCATE of the history (of applications and of complaints)';

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

-- verify_history (replaced in 62_history_complete.sql) also checks continuity and that each event is a move or an event of the transition table where it stands

-- workflow_dot (replaced in 63_echoes.sql) draws who withdraws, and from which states, from the transition table
