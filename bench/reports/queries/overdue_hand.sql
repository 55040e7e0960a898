SELECT e.application, a.number, a.provider, a.service, e.step, e.step_performer, e.actor_role, e.step_started_at,
       e.step_due_at, e.at, false, e.at - e.step_due_at
  FROM licensing.application a JOIN licensing.application_event e ON e.application = a.id
 WHERE a.provider = 'p7' AND e.at > e.step_due_at
UNION ALL
SELECT a.id, a.number, a.provider, a.service, a.step, a.step_performer, NULL::name, a.step_started_at,
       a.step_due_at, NULL::timestamptz, true, now() - a.step_due_at
  FROM licensing.application a
 WHERE a.provider = 'p7' AND a.step IS NOT NULL AND a.step_due_at < now();
