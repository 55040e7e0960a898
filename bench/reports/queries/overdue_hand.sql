SELECT s.application, a.number, a.provider, a.service, s.step, s.performer_position, s.performer, s.started_at,
       s.due_at, s.finished_at, s.finished_at IS NULL, coalesce(s.finished_at, now()) - s.due_at
  FROM licensing.application_step s JOIN licensing.application a ON a.id = s.application
 WHERE a.provider = 'p7' AND ((s.finished_at IS NULL AND s.due_at < now()) OR s.finished_at > s.due_at);
