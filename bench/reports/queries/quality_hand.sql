SELECT a.service, a.provider, count(*),
       round(avg((q.process_quality = 3)::int), 4), round(avg((q.process_quality = 2)::int), 4),
       round(avg((q.process_quality = 1)::int), 4), round(avg((q.information_quality = 3)::int), 4),
       round(avg((q.information_quality = 2)::int), 4), round(avg((q.information_quality = 1)::int), 4)
  FROM licensing.application_survey q JOIN licensing.application a ON a.id = q.application
 WHERE a.provider = 'p7'
 GROUP BY a.service, a.provider;
