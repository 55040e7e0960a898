-- 72_calendar_moves.sql (upgrade part of src/sql/68_calendar_moves.sql): a calendar
-- change moves the terms of running applications (issue #18).  The same text
-- as the fresh install; calendar_changes_impact (70_ops.sql in 1.1 before)
-- and verify_history (62_history_complete.sql before) are defined here once.


CREATE FUNCTION licensing._calendar_recomputed(a licensing.application, term text, toggled date[],
    OUT receipt_day date, OUT due_on date, OUT term_end_at timestamptz, OUT step_due_at timestamptz)
    AS 'MODULE_PATHNAME', 'licensing_calendar_recomputed' LANGUAGE C STABLE;
COMMENT ON FUNCTION licensing._calendar_recomputed(licensing.application, text, date[]) IS
    'internal: the receipt day, term and open step''s due moment of an application counted again on the calendar with the toggled days'' working status flipped';
REVOKE ALL ON FUNCTION licensing._calendar_recomputed(licensing.application, text, date[]) FROM PUBLIC;

-- The rule.  made: the change is made (the trigger: the calendar before it is
-- today's with the days toggled back); else it is to be made (the impact: the
-- calendar after it is today's with the days toggled).  A value moves when
-- the change moves it and the new one is later than the recorded one.
CREATE FUNCTION licensing._calendar_move(a licensing.application, toggled date[], made boolean,
    OUT receipt_day date, OUT due_on date, OUT term_end_at timestamptz, OUT step_due_at timestamptz)
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
AS $$
    SELECT COALESCE(x.receipt_day, a.receipt_day), COALESCE(x.due_on, a.due_on),
           COALESCE(x.term_end_at, a.term_end_at), COALESCE(x.step_due_at, a.step_due_at)
      FROM (SELECT) one
      LEFT JOIN LATERAL (
        SELECT CASE WHEN n.receipt_day IS DISTINCT FROM o.receipt_day AND n.receipt_day OPERATOR(pg_catalog.>) a.receipt_day
                    THEN n.receipt_day ELSE a.receipt_day END AS receipt_day,
               CASE WHEN n.due_on IS DISTINCT FROM o.due_on AND n.due_on OPERATOR(pg_catalog.>) a.due_on
                    THEN n.due_on ELSE a.due_on END AS due_on,
               CASE WHEN n.term_end_at IS DISTINCT FROM o.term_end_at AND n.term_end_at OPERATOR(pg_catalog.>) a.term_end_at
                    THEN n.term_end_at ELSE a.term_end_at END AS term_end_at,
               CASE WHEN n.step_due_at IS DISTINCT FROM o.step_due_at AND n.step_due_at OPERATOR(pg_catalog.>) a.step_due_at
                    THEN n.step_due_at ELSE a.step_due_at END AS step_due_at
          FROM licensing.service s,
               licensing._calendar_recomputed(a, s.term, CASE WHEN made THEN NULL ELSE toggled END) n,
               licensing._calendar_recomputed(a, s.term, CASE WHEN made THEN toggled END) o
         WHERE s.code OPERATOR(pg_catalog.=) a.service
           AND a.state OPERATOR(pg_catalog.<>) ALL (ARRAY['draft', 'delivered', 'withdrawn']::text[])) x ON true
$$;
COMMENT ON FUNCTION licensing._calendar_move(licensing.application, date[], boolean) IS
    'internal: the receipt day, term and open step''s due moment an open application has once the toggled days change (made: changed already); a value moves only when the change lengthens it';
REVOKE ALL ON FUNCTION licensing._calendar_move(licensing.application, date[], boolean) FROM PUBLIC;

CREATE FUNCTION licensing._calendar_moves(toggled date[], made boolean)
    RETURNS TABLE (application bigint, number text, provider text, state text, term text,
                   receipt_day date, due_on date, due_on_if_changed date,
                   term_end_at timestamptz, term_end_at_if_changed timestamptz,
                   step text, step_due_at timestamptz, step_due_at_if_changed timestamptz,
                   receipt_day_if_changed date)
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
AS $$
    SELECT a.id, a.number, a.provider, a.state, s.term, a.receipt_day, a.due_on, m.due_on,
           a.term_end_at, m.term_end_at, a.step, a.step_due_at, m.step_due_at, m.receipt_day
      FROM licensing.application a
      JOIN licensing.service s ON s.code OPERATOR(pg_catalog.=) a.service
      CROSS JOIN LATERAL licensing._calendar_move(a, $1, $2) m
     WHERE a.state OPERATOR(pg_catalog.<>) ALL (ARRAY['draft', 'delivered', 'withdrawn']::text[])
       -- a day can move only what is counted across it (a margin for terms recorded on another calendar)
       AND EXISTS (SELECT FROM pg_catalog.unnest($1) d(day)
                    WHERE d.day OPERATOR(pg_catalog.>=) ((a.submitted_at AT TIME ZONE 'UTC')::date OPERATOR(pg_catalog.-) 2)
                      AND d.day OPERATOR(pg_catalog.<=) ((GREATEST(a.term_end_at, a.step_due_at) AT TIME ZONE 'UTC')::date OPERATOR(pg_catalog.+) 40))
       AND (m.receipt_day, m.due_on, m.term_end_at, m.step_due_at) IS DISTINCT FROM
           (a.receipt_day, a.due_on, a.term_end_at, a.step_due_at)
     ORDER BY a.due_on, a.id
$$;
COMMENT ON FUNCTION licensing._calendar_moves(date[], boolean) IS
    'internal: the open applications a change of the toggled days moves (made: changed already), with what each gets';
REVOKE ALL ON FUNCTION licensing._calendar_moves(date[], boolean) FROM PUBLIC;

-- ---- calendar_changes_impact -----------------------------------------------------
CREATE FUNCTION licensing.calendar_changes_impact(day date)
    RETURNS TABLE (application bigint, number text, provider text, state text, term text,
                   receipt_day date, due_on date, due_on_if_changed date,
                   term_end_at timestamptz, term_end_at_if_changed timestamptz,
                   step text, step_due_at timestamptz, step_due_at_if_changed timestamptz,
                   receipt_day_if_changed date)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $fn$
-- What a change of the day (a working day made a day off, or a day off made
-- working) would move: each open application (submitted, not yet delivered or
-- withdrawn) whose receipt day, term (due_on, term_end_at) or open step's due
-- moment the change would move, with what each would get.  Exactly what the
-- calendar's trigger moves when the change is made (the same rule,
-- licensing._calendar_move): a change that would shorten a running term moves
-- nothing, so making a day off working lists no rows.  Changes nothing.
BEGIN
    IF day IS NULL OR NOT pg_catalog.isfinite(day) THEN
        RAISE EXCEPTION 'day must be a finite date' USING ERRCODE = '22023';
    END IF;
    PERFORM licensing.is_working_day(day);     -- 22023 outside the covered years
    RETURN QUERY SELECT * FROM licensing._calendar_moves(ARRAY[day], false);
END
$fn$;
COMMENT ON FUNCTION licensing.calendar_changes_impact(date) IS
    'What making the day a day off (if it is a working day) or a working day (if not) would move: open applications whose receipt day, term or open step''s due moment the change would lengthen, with what each would get (a change never shortens a running term); changes nothing';
REVOKE ALL ON FUNCTION licensing.calendar_changes_impact(date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION licensing.calendar_changes_impact(date) TO licensing_admin, licensing_reporter;

-- ---- the recomputation -------------------------------------------------------------
-- SECURITY DEFINER: licensing_admin (who alone writes the calendar) writes no
-- application; the events still name the role that changed the calendar.
CREATE FUNCTION licensing._calendar_recompute() RETURNS trigger
    AS 'MODULE_PATHNAME', 'licensing_calendar_recompute'
    LANGUAGE C SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION licensing._calendar_recompute() IS
    'AFTER statement trigger of licensing.calendar_exception: moves what the change lengthens in open applications, each by an event calendar_change naming the days and their decrees';
REVOKE ALL ON FUNCTION licensing._calendar_recompute() FROM PUBLIC;
-- one trigger per event: PostgreSQL gives transition tables to single-event triggers only
CREATE TRIGGER calendar_exception_recompute_insert AFTER INSERT ON licensing.calendar_exception
    REFERENCING NEW TABLE AS new_days
    FOR EACH STATEMENT EXECUTE FUNCTION licensing._calendar_recompute();
CREATE TRIGGER calendar_exception_recompute_update AFTER UPDATE ON licensing.calendar_exception
    REFERENCING OLD TABLE AS old_days NEW TABLE AS new_days
    FOR EACH STATEMENT EXECUTE FUNCTION licensing._calendar_recompute();
CREATE TRIGGER calendar_exception_recompute_delete AFTER DELETE ON licensing.calendar_exception
    REFERENCING OLD TABLE AS old_days
    FOR EACH STATEMENT EXECUTE FUNCTION licensing._calendar_recompute();
COMMENT ON TRIGGER calendar_exception_recompute_insert ON licensing.calendar_exception IS
    'Moves the terms and due moments of open applications that the inserted days lengthen (fires after calendar_exception_invalidate, by name)';
COMMENT ON TRIGGER calendar_exception_recompute_update ON licensing.calendar_exception IS
    'Moves the terms and due moments of open applications that the changed days lengthen (fires after calendar_exception_invalidate, by name)';
COMMENT ON TRIGGER calendar_exception_recompute_delete ON licensing.calendar_exception IS
    'Moves the terms and due moments of open applications that the deleted days lengthen (fires after calendar_exception_invalidate, by name)';

-- verify_history: a calendar change's "calendar" member is no column of the row
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
    encoding smallint;
BEGIN
    IF NOT licensing._history_complete($1) THEN RETURN false; END IF;  -- rows missing (66_history_complete.sql)
    FOR a IN SELECT * FROM licensing.application x WHERE $1 IS NULL OR x.id OPERATOR(pg_catalog.=) $1 LOOP
        prev := NULL; n := 0; replay := NULL; state := NULL; encoding := 1;
        FOR e IN SELECT * FROM licensing.application_event y WHERE y.application OPERATOR(pg_catalog.=) a.id ORDER BY y.seq LOOP
            n := n OPERATOR(pg_catalog.+) 1;
            -- the hash by the event's encoding (history.c), which never goes back within a chain
            IF e.seq OPERATOR(pg_catalog.<>) n OR e.prev_hash IS DISTINCT FROM prev
               OR e.hash IS DISTINCT FROM licensing._chain_hash(e)
               OR COALESCE(e.chain_encoding, 1) OPERATOR(pg_catalog.<) encoding THEN
                RETURN false;
            END IF;
            prev := e.hash;
            encoding := COALESCE(e.chain_encoding, 1);
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
                -- a calendar change's "calendar" member names the change, no column
                replay := replay OPERATOR(pg_catalog.||) (e.payload OPERATOR(pg_catalog.-) 'calendar'::text);
            END IF;
        END LOOP;
        IF replay IS DISTINCT FROM licensing._row_json(a) OR NOT licensing._contents_verify(a.id) THEN
            RETURN false;
        END IF;
    END LOOP;
    RETURN true;
END
$$;
