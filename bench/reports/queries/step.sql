-- a workflow step's writes without the workflow's triggers (run with
-- session_replication_role = replica): the application's state, decision
-- moment and open step (signed opens deliver; delivered opens none), then the
-- one history row, carrying the step it closed (sign_decision within its norm,
-- deliver late for one application in 4: one event in 8 enters the late-step
-- index, as one step in 8 closes late in data.sql).
-- The UPDATE first, as in the workflow: its row lock orders two clients on the
-- same application, so the next seq is read after the other has committed.
\set id random(1, :apps)
BEGIN;
UPDATE licensing.application
   SET state = CASE state WHEN 'delivered' THEN 'signed' ELSE 'delivered' END,
       decided_at = decided_at + interval '1 second',
       step = CASE state WHEN 'delivered' THEN 'deliver' END,
       step_position = CASE state WHEN 'delivered' THEN 6 END,
       step_performer = CASE state WHEN 'delivered' THEN 'clerk' END,
       step_started_at = CASE state WHEN 'delivered' THEN now() END,
       step_due_at = CASE state WHEN 'delivered' THEN now() + interval '15 minutes' END
 WHERE id = :id;
INSERT INTO licensing.application_event (application, seq, at, actor_role, what, payload, hash,
                                         step, step_position, step_performer, step_started_at, step_due_at)
SELECT a.id, (SELECT max(e.seq) + 1 FROM licensing.application_event e WHERE e.application = a.id), now(), 'bench', 'step', '{}', '\x00',
       c.step, c.pos, c.who, now() - c.took, now() - c.took + c.norm
  FROM licensing.application a,
       LATERAL (SELECT 'sign_decision', 5, 'head', interval '2 hours', interval '1 hour' WHERE a.state = 'signed'
                UNION ALL
                SELECT 'deliver', 6, 'clerk', interval '15 minutes', CASE WHEN a.id % 4 = 0 THEN interval '1 hour' ELSE interval '5 minutes' END
                 WHERE a.state = 'delivered') c(step, pos, who, norm, took)
 WHERE a.id = :id;
END;
