SELECT a.provider, a.service, e.step, count(*),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY e.at - e.step_started_at),
       percentile_cont(0.9) WITHIN GROUP (ORDER BY e.at - e.step_started_at),
       count(*) FILTER (WHERE e.at > e.step_due_at),
       round(avg(CASE WHEN e.at <= e.step_due_at THEN 1 ELSE 0 END), 4)
  FROM licensing.application a JOIN licensing.application_event e ON e.application = a.id
 WHERE a.provider = 'p7' AND e.step IS NOT NULL
 GROUP BY a.provider, a.service, e.step;
