SELECT r.provider, r.ground, g.text_en, g.intake, r.month, count(*)
  FROM (SELECT a.provider, a.ground, date_trunc('month', (a.decided_at AT TIME ZONE 'UTC') + interval '5 hours')::date AS month
          FROM licensing.application a WHERE a.outcome = 'refused' AND a.provider = 'p7'
        UNION ALL
        SELECT a.provider, e.payload->>'ground', date_trunc('month', (e.at AT TIME ZONE 'UTC') + interval '5 hours')::date
          FROM licensing.application a JOIN licensing.application_event e ON e.application = a.id
         WHERE e.what = 'intake_refused' AND a.provider = 'p7') r
  LEFT JOIN licensing.refusal_ground g ON g.code = r.ground
 GROUP BY r.provider, r.ground, g.text_en, g.intake, r.month;
