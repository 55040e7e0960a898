-- a workflow step's writes without the workflow's triggers (run with
-- session_replication_role = replica): the application's state and decision
-- columns, the step's end, one history row
\set id random(1, :apps)
BEGIN;
UPDATE licensing.application
   SET state = CASE state WHEN 'delivered' THEN 'signed' ELSE 'delivered' END,
       decided_at = decided_at + interval '1 second'
 WHERE id = :id;
UPDATE licensing.application_step SET finished_at = finished_at + interval '1 second'
 WHERE application = :id AND step = 'decide';
INSERT INTO licensing.application_event (application, seq, at, actor_role, what, payload, hash)
SELECT :id, max(seq) + 1, now(), 'bench', 'step', '{}', '\x00' FROM licensing.application_event WHERE application = :id;
END;
