-- bench/reports/data.sql: synthetic history for the reporting views (P6).
-- :apps applications over 20 providers and two years, 6 steps each for the
-- decided ones (one in 8 closed late), 10 events an application, a refusal in
-- 7, an intake refusal in 10, a survey in 3.  Loaded with
-- session_replication_role = replica (as pg_restore would), so the workflow's
-- triggers do not recompute what is given here.
SET session_replication_role = replica;
INSERT INTO licensing.provider (code, name_kk, name_ru, name_en)
SELECT 'p' || i, 'p' || i, 'p' || i, 'provider ' || i FROM generate_series(1, 20) i;

INSERT INTO licensing.application (id, number, service, operation, channel, applicant, provider, profile, state,
                                   outcome, created_at, submitted_at, receipt_day, due_on, decided_at, delivered_at, ground)
SELECT i, CASE WHEN i % 10 <> 0 THEN 'p' || (i % 20 + 1) || '-' || i END, 'scrap-metal', 'issue', 'office', '160140001230',
       'p' || (i % 20 + 1), 'south-kazakhstan-2015',
       CASE WHEN i % 10 = 0 THEN 'draft' ELSE 'delivered' END,
       CASE WHEN i % 10 = 0 THEN NULL WHEN i % 7 = 0 THEN 'refused' ELSE 'granted' END,
       t, CASE WHEN i % 10 <> 0 THEN t END, t::date, t::date + 21,
       CASE WHEN i % 10 <> 0 THEN t + interval '10 days' END, CASE WHEN i % 10 <> 0 THEN t + interval '12 days' END,
       CASE WHEN i % 10 <> 0 AND i % 7 = 0 THEN 'qualification_requirements' END
  FROM generate_series(1, :apps) i,
       LATERAL (SELECT timestamptz '2024-01-01 09:00+05' + (i % 700) * interval '1 day' + (i % 9) * interval '1 hour') x(t);

INSERT INTO licensing.application_step (application, step, position, performer_position, started_at, due_at, finished_at, performer)
SELECT a.id, s.step, s.pos, s.who, a.submitted_at + (s.pos - 1) * interval '1 day',
       a.submitted_at + (s.pos - 1) * interval '1 day' + s.norm,
       a.submitted_at + (s.pos - 1) * interval '1 day' + s.norm * CASE WHEN (a.id + s.pos) % 8 = 0 THEN 3 ELSE 0.5 END
                      * (0.5 + ((a.id * 7 + s.pos) % 10) / 10.0),
       'bench'
  FROM licensing.application a,
       (VALUES (1, 'register', 'clerk', interval '15 minutes'), (2, 'assign', 'head', interval '2 hours'),
               (3, 'confirm_complete', 'executor', interval '2 days'), (4, 'decide', 'executor', interval '10 days'),
               (5, 'sign_decision', 'head', interval '2 hours'), (6, 'deliver', 'clerk', interval '15 minutes')) s(pos, step, who, norm)
 WHERE a.state = 'delivered';

INSERT INTO licensing.application_event (application, seq, at, actor_role, what, from_state, to_state, payload, prev_hash, hash)
SELECT a.id, e.seq, a.created_at + e.seq * interval '1 hour', 'bench',
       CASE WHEN a.state = 'draft' AND e.seq = 2 THEN 'intake_refused' ELSE 'step' END, 'x', 'y',
       CASE WHEN a.state = 'draft' AND e.seq = 2 THEN '{"ground": "no_payment"}'::jsonb ELSE '{}'::jsonb END,
       NULL, '\x00'
  FROM licensing.application a, generate_series(1, 10) e(seq);

INSERT INTO licensing.application_survey (application, process_quality, information_quality, answered_at)
SELECT id, 1 + id % 3, 1 + (id / 3) % 3, delivered_at FROM licensing.application WHERE state = 'delivered' AND id % 3 = 0;
-- licences of the granted applications, one or two annexes each
INSERT INTO licensing.licence (number, kind, holder, service, status, issued_on, provider, application, status_since)
SELECT n, 'licence', a.applicant, a.service, CASE WHEN a.id % 50 = 0 THEN 'suspended' ELSE 'active' END,
       a.decided_at::date, a.provider, a.id, a.decided_at
  FROM licensing.application a, LATERAL licensing.licence_number_make('licence', 24, a.id) n
 WHERE a.outcome = 'granted' AND n IS NOT NULL;
INSERT INTO licensing.licence_annex (licence, position, subtype, address, branch_bin)
SELECT l.number, p, 'subtype ' || p, 'address ' || l.application, CASE WHEN p = 1 THEN '160141001236'::licensing.bin END
  FROM licensing.licence l, generate_series(1, 1 + (l.application % 2)::int) p;
RESET session_replication_role;
SELECT setval('licensing.application_id_seq', :apps);
VACUUM ANALYZE licensing.application, licensing.application_step, licensing.application_event, licensing.application_survey,
               licensing.licence, licensing.licence_annex;
