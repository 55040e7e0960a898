-- 70_reports.sql: views for reporting tools (API §7) and the workflow diagram.
--
-- The views run with the extension owner's rights and filter rows themselves
-- through licensing._report_scope(): one call per query (a function in FROM),
-- then a plain comparison per row, so there is no subquery over a large table
-- in any row filter (QUALITY §6) and a provider's report walks the indexes on
-- application(provider, ...) and the event table's primary key, never a
-- sequential scan of the events (QUALITY §2 P6).  Everything here only reads,
-- so it runs on a hot standby too.
--
-- Who sees what: licensing_admin and licensing_reporter every row; staff the
-- rows of the providers where they have a staff row; the portal the rows of
-- the applicant it acts for.  licence_register is public.  The reporter does
-- not read application_history (see the grants below).

-- A moment as Kazakhstan (UTC+5) local time, for months and dates.
CREATE FUNCTION licensing._kz_local(t timestamptz) RETURNS timestamp
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN (t AT TIME ZONE 'UTC') OPERATOR(pg_catalog.+) interval '5 hours';
COMMENT ON FUNCTION licensing._kz_local(timestamptz) IS 'internal: the Kazakhstan (UTC+5) local time of a moment';

-- ---- licence_register (public) ------------------------------------------------------
CREATE VIEW licensing.licence_register AS
SELECT l.number,
       l.kind,
       l.holder,
       coalesce(le.name, pe.name) AS holder_name,
       l.service,
       l.status,
       l.issued_on,
       l.provider,
       coalesce((SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
                            'position', la.position, 'subtype', la.subtype, 'address', la.address,
                            'branch_bin', la.branch_bin::text, 'number', la.number,
                            'issued_on', la.issued_on, 'status', la.status, 'supersedes', la.supersedes) ORDER BY la.position)
                   FROM licensing.licence_annex la
                  WHERE la.licence OPERATOR(pg_catalog.=) l.number), '[]'::jsonb) AS annexes,
       l.supersedes,
       (SELECT n.number FROM licensing.licence n WHERE n.supersedes OPERATOR(pg_catalog.=) l.number) AS superseded_by,
       l.status_since,
       l.status_ground,
       l.suspended_until,
       -- a conclusion's content (API §6, revision 2): the object, the finding, the conditions
       CASE WHEN l.kind OPERATOR(pg_catalog.=) 'conclusion' THEN
            (SELECT pg_catalog.jsonb_build_object('object', ap.form OPERATOR(pg_catalog.->) 'object',
                                                  'finding', ap.decision OPERATOR(pg_catalog.->) 'finding',
                                                  'conditions', coalesce(ap.decision OPERATOR(pg_catalog.->) 'conditions', '[]'::jsonb))
               FROM licensing.application ap WHERE ap.id OPERATOR(pg_catalog.=) l.application) END AS conclusion
  FROM licensing.licence l
  LEFT JOIN licensing.legal_entity le
         ON le.bin OPERATOR(licensing.=) CASE WHEN licensing.bin_is_valid(l.holder) THEN l.holder::licensing.bin END
  LEFT JOIN licensing.person pe
         ON pe.iin OPERATOR(licensing.=) CASE WHEN licensing.iin_is_valid(l.holder) THEN l.holder::licensing.iin END;
COMMENT ON VIEW licensing.licence_register IS
    'the public register of licences and conclusions: number, kind, holder and name, service, current status, issue date, provider, annexes (number, date, status), re-issue links, a conclusion''s object, finding and conditions';
GRANT SELECT ON licensing.licence_register TO PUBLIC;

-- ---- application_history ("history of received services", No 382 of 19.12.2012 and No 40 of 29.03.2013, §9) ----------
CREATE VIEW licensing.application_history WITH (security_barrier) AS
SELECT a.id AS application,
       a.number,
       a.service,
       a.operation,
       a.channel,
       a.applicant,
       a.provider,
       a.state,
       a.outcome,
       a.created_at,
       a.submitted_at,
       a.receipt_day,
       a.due_on,
       a.decided_at,
       a.signed_at,
       a.delivered_at,
       a.result_number,
       a.licence_number,
       a.ground,
       a.reason_kk,
       a.reason_ru,
       (a.delivered_at IS NOT NULL
        AND licensing._kz_local(a.delivered_at)::date OPERATOR(pg_catalog.>) a.due_on) AS delivered_late
  FROM licensing.application a,
       licensing._report_scope() sc
 WHERE sc.all_rows
    OR a.provider OPERATOR(pg_catalog.=) ANY (sc.providers)
    OR a.applicant OPERATOR(pg_catalog.=) sc.applicant;
COMMENT ON VIEW licensing.application_history IS
    'applications with their state, term and result: the portal sees its applicant''s, staff their providers'', reporters and admins all';

-- ---- overdue_steps --------------------------------------------------------------------
-- Steps closed late are found through a partial index on the events that
-- closed them (small: only violations); open steps past due through the
-- workflow's index on the open step of each application.  Both halves read the
-- tables, not the application_step view, so that the report's own scope filters
-- and not the per-row policies of the caller.
CREATE INDEX application_event_late_step_idx ON licensing.application_event (step_due_at)
    WHERE at > step_due_at;

CREATE VIEW licensing.overdue_steps WITH (security_barrier) AS
SELECT s.application,
       a.number,
       a.provider,
       a.service,
       s.step,
       s.performer_position,
       s.performer,
       s.started_at,
       s.due_at,
       s.finished_at,
       s.finished_at IS NULL AS open,
       coalesce(s.finished_at, licensing.clock()) OPERATOR(pg_catalog.-) s.due_at AS overdue_by
  FROM (SELECT e.application, e.step, e.step_performer AS performer_position, e.actor_role AS performer,
               e.step_started_at AS started_at, e.step_due_at AS due_at, e.at AS finished_at
          FROM licensing.application_event e
         WHERE e.at OPERATOR(pg_catalog.>) e.step_due_at
        UNION ALL
        SELECT o.id, o.step, o.step_performer, NULL::name, o.step_started_at, o.step_due_at, NULL::timestamptz
          FROM licensing.application o
         WHERE o.step IS NOT NULL AND o.step_due_at OPERATOR(pg_catalog.<) licensing.clock()) s
  JOIN licensing.application a ON a.id OPERATOR(pg_catalog.=) s.application,
       licensing._report_scope() sc
 WHERE sc.all_rows OR a.provider OPERATOR(pg_catalog.=) ANY (sc.providers);
COMMENT ON VIEW licensing.overdue_steps IS
    'steps past their due moment: open ones and those closed late (violations of the term, DOMAIN §5)';

-- ---- term_compliance ----------------------------------------------------------------------
-- Finished steps are the events that closed them.  One provider's report walks
-- its applications and, for each, the events' primary key, which includes the
-- step, its moments and the event's moment (50_workflow.sql): an index-only
-- scan.  Without those columns the planner reads every event of every
-- provider (a sequential scan, ~4x slower at 2 M events, QUALITY §2 P6).

CREATE VIEW licensing.term_compliance WITH (security_barrier) AS
SELECT a.provider,
       a.service,
       e.step,
       pg_catalog.count(*) AS steps,
       pg_catalog.percentile_cont(0.5) WITHIN GROUP (ORDER BY e.at OPERATOR(pg_catalog.-) e.step_started_at) AS median_time,
       pg_catalog.percentile_cont(0.9) WITHIN GROUP (ORDER BY e.at OPERATOR(pg_catalog.-) e.step_started_at) AS p90_time,
       pg_catalog.count(*) FILTER (WHERE e.at OPERATOR(pg_catalog.>) e.step_due_at) AS late,
       pg_catalog.round(pg_catalog.avg(CASE WHEN e.at OPERATOR(pg_catalog.<=) e.step_due_at THEN 1 ELSE 0 END), 4) AS share_within_norm
  FROM licensing.application_event e
  JOIN licensing.application a ON a.id OPERATOR(pg_catalog.=) e.application,
       licensing._report_scope() sc
 WHERE e.step IS NOT NULL
   AND (sc.all_rows OR a.provider OPERATOR(pg_catalog.=) ANY (sc.providers))
 GROUP BY a.provider, a.service, e.step;
COMMENT ON VIEW licensing.term_compliance IS
    'per provider, service and step: finished steps, median and 90th percentile time taken, late ones, share within the norm';

-- ---- service_quality (survey, DOMAIN §6) --------------------------------------------------
CREATE VIEW licensing.service_quality WITH (security_barrier) AS
SELECT a.service,
       a.provider,
       pg_catalog.count(*) AS answers,
       pg_catalog.round(pg_catalog.avg(CASE WHEN q.process_quality OPERATOR(pg_catalog.=) 3 THEN 1 ELSE 0 END), 4) AS process_satisfied,
       pg_catalog.round(pg_catalog.avg(CASE WHEN q.process_quality OPERATOR(pg_catalog.=) 2 THEN 1 ELSE 0 END), 4) AS process_partially,
       pg_catalog.round(pg_catalog.avg(CASE WHEN q.process_quality OPERATOR(pg_catalog.=) 1 THEN 1 ELSE 0 END), 4) AS process_not_satisfied,
       pg_catalog.round(pg_catalog.avg(CASE WHEN q.information_quality OPERATOR(pg_catalog.=) 3 THEN 1 ELSE 0 END), 4) AS information_satisfied,
       pg_catalog.round(pg_catalog.avg(CASE WHEN q.information_quality OPERATOR(pg_catalog.=) 2 THEN 1 ELSE 0 END), 4) AS information_partially,
       pg_catalog.round(pg_catalog.avg(CASE WHEN q.information_quality OPERATOR(pg_catalog.=) 1 THEN 1 ELSE 0 END), 4) AS information_not_satisfied
  FROM licensing.application_survey q
  JOIN licensing.application a ON a.id OPERATOR(pg_catalog.=) q.application,
       licensing._report_scope() sc
 WHERE sc.all_rows OR a.provider OPERATOR(pg_catalog.=) ANY (sc.providers)
 GROUP BY a.service, a.provider;
COMMENT ON VIEW licensing.service_quality IS
    'survey shares per service and provider: quality of the process and result (process_*) and of the information (information_*)';

-- ---- refusals -------------------------------------------------------------------------------
-- Provider decisions (outcome refused) and intake refusals of submit (recorded
-- in the application's history), per ground, provider and month (UTC+5).
CREATE INDEX application_refused_idx ON licensing.application (provider, decided_at) WHERE outcome = 'refused';
CREATE INDEX application_event_intake_refused_idx ON licensing.application_event (application)
    WHERE what = 'intake_refused';

CREATE VIEW licensing.refusals WITH (security_barrier) AS
SELECT r.provider,
       r.ground,
       g.text_en AS ground_text,
       g.intake,
       r.month,
       pg_catalog.count(*) AS refusals
  FROM (SELECT a.provider, a.ground,
               pg_catalog.date_trunc('month', licensing._kz_local(a.decided_at))::date AS month
          FROM licensing.application a
         WHERE a.outcome OPERATOR(pg_catalog.=) 'refused'
        UNION ALL
        -- a draft refused at intake again and again for one ground counts once, in the
        -- month of its first refusal (issue #14)
        SELECT a.provider, e.payload->>'ground',
               pg_catalog.date_trunc('month', licensing._kz_local(pg_catalog.min(e.at)))::date
          FROM licensing.application a
          JOIN licensing.application_event e ON e.application OPERATOR(pg_catalog.=) a.id
         WHERE e.what OPERATOR(pg_catalog.=) 'intake_refused'
         GROUP BY a.id, a.provider, e.payload->>'ground') r
  LEFT JOIN licensing.refusal_ground g ON g.code OPERATOR(pg_catalog.=) r.ground,
       licensing._report_scope() sc
 WHERE sc.all_rows OR r.provider OPERATOR(pg_catalog.=) ANY (sc.providers)
 GROUP BY r.provider, r.ground, g.text_en, g.intake, r.month;
COMMENT ON VIEW licensing.refusals IS
    'refusals per provider, ground and month (Kazakhstan time): provider decisions and intake refusals (a draft refused again for the same ground counts once)';

-- The reporter gets the aggregates and overdue_steps (no IIN, no name, no
-- draft: a draft has no step), not application_history, which names each
-- applicant and shows drafts (API §8).
GRANT SELECT ON licensing.overdue_steps, licensing.term_compliance,
                licensing.service_quality, licensing.refusals
    TO licensing_reporter, licensing_staff, licensing_admin;
GRANT SELECT ON licensing.application_history TO licensing_staff, licensing_admin;
GRANT SELECT ON licensing.application_history TO licensing_portal;

-- ---- workflow_dot ------------------------------------------------------------------------
-- licensing.workflow_dot(profile text) → text
CREATE FUNCTION licensing.workflow_dot(profile text) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    p record;
    s record;
    out text;
    prev text := 'submitted';
    q text;
    c record;
BEGIN
    SELECT pr.code, pr.name, pr.source, pr.service INTO p
      FROM licensing.profile pr WHERE pr.code OPERATOR(pg_catalog.=) workflow_dot.profile;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'profile "%" does not exist', pg_catalog.left(workflow_dot.profile, 64)
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
    out := out || pg_catalog.format(E'  withdrawn [shape=circle, style=dashed, label="withdrawn"];\n  submitted -> withdrawn [style=dashed, label="%s"];\n',
                                    pg_catalog.replace(q, '"', E'\\"'));
    -- the corrections (issue #14), rows of the transition table whose step the profile has:
    -- dotted, from the step whose performer makes them (return_step: back to decide)
    FOR c IN SELECT t.events[1] AS event, ps.position AS pos, ps.performer,
                    (SELECT d.position FROM licensing.profile_step d
                      WHERE d.profile OPERATOR(pg_catalog.=) p.code AND d.step OPERATOR(pg_catalog.=) 'decide') AS decide_pos
               FROM licensing.workflow_transitions() WITH ORDINALITY
                    t(step, from_state, to_state, unless_step, performer, events, sets, columns, opens, n)
               JOIN licensing.profile_step ps ON ps.profile OPERATOR(pg_catalog.=) p.code AND ps.step OPERATOR(pg_catalog.=) t.step
              WHERE (t.events[1] IN ('reassign', 'return_step', 'revise')
                     OR (t.events[1] OPERATOR(pg_catalog.=) 'refuse' AND t.from_state OPERATOR(pg_catalog.=) t.to_state))
                AND NOT EXISTS (SELECT FROM licensing.profile_step u WHERE u.profile OPERATOR(pg_catalog.=) p.code
                                   AND u.step OPERATOR(pg_catalog.=) t.unless_step)
              GROUP BY t.events[1], ps.position, ps.performer
              ORDER BY pg_catalog.min(t.n)
    LOOP
        out := out || pg_catalog.format(E'  s%s -> s%s [style=dotted, label="%s (%s)"];\n', c.pos,
                                        CASE WHEN c.event OPERATOR(pg_catalog.=) 'return_step' THEN c.decide_pos ELSE c.pos END,
                                        CASE WHEN c.event OPERATOR(pg_catalog.=) 'refuse' THEN 'refuse: licence_status_changed' ELSE c.event END,
                                        c.performer);
    END LOOP;
    RETURN out || E'}\n';
END
$$;
COMMENT ON FUNCTION licensing.workflow_dot(text) IS
    'the profile''s chain of steps (performer, norm, the paragraph of its regulation) as a Graphviz diagram';
GRANT EXECUTE ON FUNCTION licensing.workflow_dot(text) TO PUBLIC;
