-- bench/reports/data.sql: synthetic history for the reporting views (P6).
-- :apps applications over 20 providers, profile south-kazakhstan-2015 (6 steps):
--   id / 20 % 10 = 0  draft, 10 events, an intake refusal among them;
--   id / 20 % 10 = 5  in progress: the steps before the open one closed, the open
--                one on the application row (started up to 10 days ago, so
--                some are past due and some are not);
--   otherwise    delivered over two years, all 6 steps closed, 10 events.
-- A step starts when the one before it ends; one in 8 closes late (the kind, the lateness and
-- the time taken vary within each provider: id / 20).  A closed
-- step lives on the event that closed it (step columns, at = its end, actor =
-- its performer), as the workflow writes it; a refusal in 7 decisions, a
-- survey in 3 delivered.  Loaded with session_replication_role = replica (as
-- pg_restore would), so the workflow's triggers do not recompute what is given.
SET session_replication_role = replica;
INSERT INTO licensing.provider (code, name_kk, name_ru, name_en)
SELECT 'p' || i, 'p' || i, 'p' || i, 'provider ' || i FROM generate_series(1, 20) i;

-- the steps of every non-draft application: in progress ones up to and with
-- the open step (position 1 + id / 200 % 6); off = start offset from submit
CREATE TEMP TABLE bench_step AS
SELECT i AS app, s.pos, s.step, s.who, s.norm, s.from_state, s.to_state,
       sum(d.dur) OVER w - d.dur AS off, d.dur,
       i / 20 % 10 = 5 AND s.pos = 1 + i / 200 % 6 AS open
  FROM generate_series(1, :apps) i,
       (VALUES (1, 'register', 'clerk', interval '15 minutes', 'submitted', 'registered'),
               (2, 'assign', 'head', interval '2 hours', 'registered', 'assigned'),
               (3, 'confirm_complete', 'executor', interval '2 days', 'assigned', 'in_review'),
               (4, 'decide', 'executor', interval '10 days', 'in_review', 'decided'),
               (5, 'sign_decision', 'head', interval '2 hours', 'decided', 'signed'),
               (6, 'deliver', 'clerk', interval '15 minutes', 'signed', 'delivered')) s(pos, step, who, norm, from_state, to_state),
       LATERAL (SELECT s.norm * CASE WHEN (i / 20 * 3 + s.pos) % 8 = 0 THEN 3 ELSE 0.5 END * (0.5 + ((i / 20 * 7 + s.pos) % 10) / 10.0)) d(dur)
 WHERE i / 20 % 10 <> 0 AND (i / 20 % 10 <> 5 OR s.pos <= 1 + i / 200 % 6)
WINDOW w AS (PARTITION BY i ORDER BY s.pos);

-- submit moment: delivered ones over two years; in progress ones so that the
-- open step started (id * 13 % 240) hours before the load
CREATE TEMP TABLE bench_app AS
SELECT i AS app,
       CASE WHEN i / 20 % 10 = 5
            THEN now() - (i * 13 % 240) * interval '1 hour' - o.off
            ELSE timestamptz '2024-01-01 09:00+05' + (i % 700) * interval '1 day' + (i % 9) * interval '1 hour' END AS t,
       CASE WHEN i / 20 % 10 = 5 THEN 1 + i / 200 % 6 END AS open_pos
  FROM generate_series(1, :apps) i
  LEFT JOIN bench_step o ON o.app = i AND o.open;
CREATE INDEX ON bench_step (app, pos);
ANALYZE bench_step, bench_app;

INSERT INTO licensing.application (id, number, service, operation, channel, applicant, provider, profile, state,
                                   outcome, created_at, submitted_at, receipt_day, due_on, decided_at, signed_at, delivered_at, ground,
                                   step, step_position, step_performer, step_started_at, step_due_at)
SELECT b.app, CASE WHEN b.app / 20 % 10 <> 0 THEN 'p' || (b.app % 20 + 1) || '-' || b.app END, 'scrap-metal', 'issue', 'office', '160140001230',
       'p' || (b.app % 20 + 1), 'south-kazakhstan-2015',
       CASE WHEN b.app / 20 % 10 = 0 THEN 'draft' WHEN b.open_pos IS NULL THEN 'delivered' ELSE o.from_state END,
       CASE WHEN b.app / 20 % 10 = 0 OR b.open_pos <= 4 THEN NULL WHEN b.app % 7 = 0 THEN 'refused' ELSE 'granted' END,
       b.t - interval '1 hour', CASE WHEN b.app / 20 % 10 <> 0 THEN b.t END, b.t::date, b.t::date + 21,
       b.t + dd.off + dd.dur, b.t + ds.off + ds.dur, b.t + dv.off + dv.dur,
       CASE WHEN b.app / 20 % 10 <> 0 AND b.app % 7 = 0 AND coalesce(b.open_pos, 6) > 4 THEN 'qualification_requirements' END,
       o.step, o.pos, o.who, b.t + o.off, b.t + o.off + o.norm
  FROM bench_app b
  LEFT JOIN bench_step o ON o.app = b.app AND o.open
  LEFT JOIN bench_step dd ON dd.app = b.app AND dd.pos = 4 AND NOT dd.open
  LEFT JOIN bench_step ds ON ds.app = b.app AND ds.pos = 5 AND NOT ds.open
  LEFT JOIN bench_step dv ON dv.app = b.app AND dv.pos = 6 AND NOT dv.open;

-- drafts: 10 events, the second an intake refusal
INSERT INTO licensing.application_event (application, seq, at, actor_role, what, from_state, to_state, payload, prev_hash, hash)
SELECT b.app, e.seq, b.t + e.seq * interval '1 hour', 'bench',
       CASE WHEN e.seq = 2 THEN 'intake_refused' ELSE 'edit' END, 'draft', 'draft',
       CASE WHEN e.seq = 2 THEN '{"ground": "no_payment"}'::jsonb ELSE '{}'::jsonb END, NULL, '\x00'
  FROM bench_app b, generate_series(1, 10) e(seq)
 WHERE b.app / 20 % 10 = 0;
-- the others: three events before submit, the submit (opens register), then
-- one event per closed step, at its end, carrying the step it closed
INSERT INTO licensing.application_event (application, seq, at, actor_role, what, from_state, to_state, payload, prev_hash, hash)
SELECT b.app, e.seq, b.t - (4 - e.seq) * interval '10 minutes', 'bench',
       CASE WHEN e.seq = 4 THEN 'submit' ELSE 'edit' END, 'draft', CASE WHEN e.seq = 4 THEN 'submitted' ELSE 'draft' END,
       '{}'::jsonb, NULL, '\x00'
  FROM bench_app b, generate_series(1, 4) e(seq)
 WHERE b.app / 20 % 10 <> 0;
INSERT INTO licensing.application_event (application, seq, at, actor_role, what, from_state, to_state, payload, prev_hash, hash,
                                         step, step_position, step_performer, step_started_at, step_due_at)
SELECT s.app, 4 + s.pos, b.t + s.off + s.dur, 'bench', 'step', s.from_state, s.to_state, '{}'::jsonb, NULL, '\x00',
       s.step, s.pos, s.who, b.t + s.off, b.t + s.off + s.norm
  FROM bench_step s JOIN bench_app b ON b.app = s.app
 WHERE NOT s.open;

INSERT INTO licensing.application_survey (application, process_quality, information_quality, answered_at)
SELECT id, 1 + id % 3, 1 + (id / 3) % 3, delivered_at FROM licensing.application WHERE state = 'delivered' AND id % 3 = 0;
-- licences of the granted delivered applications, one or two annexes each
INSERT INTO licensing.licence (number, kind, holder, service, status, issued_on, provider, application, status_since)
SELECT n, 'licence', a.applicant, a.service, CASE WHEN a.id % 50 = 0 THEN 'suspended' ELSE 'active' END,
       a.decided_at::date, a.provider, a.id, a.decided_at
  FROM licensing.application a, LATERAL licensing.licence_number_make('licence', 24, a.id) n
 WHERE a.outcome = 'granted' AND a.state = 'delivered' AND n IS NOT NULL;
INSERT INTO licensing.licence_annex (licence, position, subtype, address, branch_bin)
SELECT l.number, p, 'subtype ' || p, 'address ' || l.application, CASE WHEN p = 1 THEN '160141001236'::licensing.bin END
  FROM licensing.licence l, generate_series(1, 1 + (l.application % 2)::int) p;
RESET session_replication_role;
DROP TABLE bench_step, bench_app;
SELECT setval('licensing.application_id_seq', :apps);
VACUUM ANALYZE licensing.application, licensing.application_event, licensing.application_survey,
               licensing.licence, licensing.licence_annex;
