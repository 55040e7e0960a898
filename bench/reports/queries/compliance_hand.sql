SELECT a.provider, a.service, s.step, count(*),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY s.finished_at - s.started_at),
       percentile_cont(0.9) WITHIN GROUP (ORDER BY s.finished_at - s.started_at),
       count(*) FILTER (WHERE s.finished_at > s.due_at),
       round(avg(CASE WHEN s.finished_at <= s.due_at THEN 1 ELSE 0 END), 4)
  FROM licensing.application_step s JOIN licensing.application a ON a.id = s.application
 WHERE s.finished_at IS NOT NULL AND a.provider = 'p7'
 GROUP BY a.provider, a.service, s.step;
