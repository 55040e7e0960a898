-- 58_deadlines.sql: deadlines that act (issue #14, API §4.1).  Each step of an
-- application has a due moment (step.c); check_deadlines() records, once per
-- step, that the open step is due soon (a configurable share of its norm left,
-- counted in the provider's working time) and that it is overdue, as events of
-- the application's own hash-chained history, and announces each with NOTIFY
-- licensing_deadlines.  Meant for pg_cron, every minute:
--   SELECT cron.schedule('licensing-deadlines', '* * * * *', 'SELECT licensing.check_deadlines()');
-- Nothing here needs pg_cron: without it, call check_deadlines() from any
-- scheduler (or not at all); lateness is still recorded when a step closes.
--
-- The events (due_soon, overdue) are rows of the transition table
-- (src/transitions.c) that change no state.  Their payload is the open step
-- exactly as the application row holds it and as the event that opened it
-- recorded it (_row_json of the five step columns), so verify_history's replay
-- of the row is unchanged by them, and a deadline event naming any other step
-- than the open one breaks that replay.  They change nothing of the
-- application, so they do not count in its revision (_revision, 50_workflow.sql):
-- a signature made before a sweep still signs after it.

-- The share of a step's norm left at which it is "due soon".  One row or none
-- (none: a quarter).  A DBA's row is dumped by pg_dump.
CREATE TABLE licensing.deadline_setting (
    singleton      boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    due_soon_share numeric NOT NULL
                   CHECK (due_soon_share OPERATOR(pg_catalog.>) 0::numeric
                          AND due_soon_share OPERATOR(pg_catalog.<) 1::numeric)
);
COMMENT ON TABLE licensing.deadline_setting IS
    'check_deadlines: a step is due soon when at most due_soon_share of its norm (working time) is left; no row: 0.25';
SELECT pg_catalog.pg_extension_config_dump('licensing.deadline_setting', '');
GRANT SELECT ON licensing.deadline_setting TO PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON licensing.deadline_setting TO licensing_admin;

CREATE FUNCTION licensing.check_deadlines(at timestamptz DEFAULT now()) RETURNS integer
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    share numeric := COALESCE((SELECT s.due_soon_share FROM licensing.deadline_setting s), 0.25);
    a licensing.application;
    b licensing.application;
    kind text;
    r record;
    recorded integer := 0;
BEGIN
    IF $1 IS NULL OR NOT pg_catalog.isfinite($1) THEN
        RAISE EXCEPTION 'check_deadlines needs a finite moment' USING ERRCODE = '22023';
    END IF;
    -- the history says when a step fell due: never before it has
    IF $1 OPERATOR(pg_catalog.>) licensing.clock() THEN
        RAISE EXCEPTION 'check_deadlines cannot look ahead to %', $1 USING ERRCODE = '22023',
            DETAIL = pg_catalog.format('It is %s by the workflow clock; a step is recorded due soon or overdue only once it is.',
                                       licensing.clock()),
            HINT = 'Call it without an argument (now), or with licensing.clock().';
    END IF;
    -- once per step (a step is its application, name and start): one sweep at a
    -- time, a second one waits, then (READ COMMITTED) sees the first one's events;
    -- a REPEATABLE READ sweep whose snapshot predates the first one's commit reads
    -- a stale end of the chain, and its event's (application, seq) is refused (23505)
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('licensing.check_deadlines'));
    -- the open steps due soon or overdue without their event yet, in one
    -- statement (a quiet sweep costs one pass over the open steps)
    FOR r IN SELECT x AS app, k.kind
               FROM licensing.application x,
                    LATERAL (SELECT CASE
                        WHEN x.step_due_at OPERATOR(pg_catalog.<) $1 THEN 'overdue'
                        WHEN x.step_due_at OPERATOR(pg_catalog.>) x.step_started_at
                             AND licensing.working_time_between($1, x.step_due_at, x.provider)
                                 OPERATOR(pg_catalog.<=)
                                 (licensing.working_time_between(x.step_started_at, x.step_due_at, x.provider)
                                  OPERATOR(pg_catalog.*) share::float8) THEN 'due_soon' END AS kind) k
              WHERE x.step IS NOT NULL AND x.step_due_at IS NOT NULL AND k.kind IS NOT NULL
                AND NOT EXISTS (SELECT FROM licensing.application_event e
                                 WHERE e.application OPERATOR(pg_catalog.=) x.id
                                   AND e.what OPERATOR(pg_catalog.=) k.kind
                                   AND e.payload OPERATOR(pg_catalog.->>) 'step' OPERATOR(pg_catalog.=) x.step
                                   AND e.payload OPERATOR(pg_catalog.->) 'step_started_at' OPERATOR(pg_catalog.=)
                                       (licensing._row_json(x, ARRAY['step_started_at']) OPERATOR(pg_catalog.->) 'step_started_at'))
              ORDER BY x.id
    LOOP
        a := r.app;
        kind := r.kind;
        -- the row lock every append holds; an application a step is changing
        -- right now is left to the next sweep (a sweep never waits for a user)
        SELECT * INTO b FROM licensing.application x WHERE x.id OPERATOR(pg_catalog.=) a.id FOR UPDATE SKIP LOCKED;
        CONTINUE WHEN NOT FOUND OR b.step IS DISTINCT FROM a.step OR b.step_started_at IS DISTINCT FROM a.step_started_at;
        PERFORM licensing._append_event(a.id, kind, b.state, b.state,
            licensing._row_json(b, ARRAY['step', 'step_position', 'step_performer', 'step_started_at', 'step_due_at']));
        PERFORM pg_catalog.pg_notify('licensing_deadlines', pg_catalog.jsonb_build_object(
            'application', a.id, 'number', a.number, 'event', kind, 'step', a.step,
            'due_at', licensing._utc(a.step_due_at), 'at', licensing._utc(licensing.clock()))::text);
        recorded := recorded OPERATOR(pg_catalog.+) 1;
    END LOOP;
    RETURN recorded;
END
$$;
COMMENT ON FUNCTION licensing.check_deadlines(timestamptz) IS
    'Records once per step due_soon (at most licensing.deadline_setting''s share of its norm left, in working time) and overdue events in the application''s history, NOTIFY licensing_deadlines for each; returns how many it recorded (pg_cron, every minute)';
