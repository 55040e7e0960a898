-- a workflow step's writes without the workflow's triggers (run with
-- session_replication_role = replica): the application's state, decision
-- moment and open step (signed opens deliver; delivered opens none), then the
-- one history row, carrying the step it closed (sign_decision within its norm,
-- deliver late: half the events enter the late-step index, more than in life).
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
       c.step, c.pos, c.who, now() - interval '1 hour', now() - interval '1 hour' + c.norm
  FROM licensing.application a,
       LATERAL (SELECT 'sign_decision', 5, 'head', interval '2 hours' WHERE a.state = 'signed'
                UNION ALL
                SELECT 'deliver', 6, 'clerk', interval '15 minutes' WHERE a.state = 'delivered') c(step, pos, who, norm)
 WHERE a.id = :id;
END;
