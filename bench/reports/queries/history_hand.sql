SELECT a.id, a.number, a.service, a.operation, a.channel, a.applicant, a.provider, a.state, a.outcome, a.created_at,
       a.submitted_at, a.receipt_day, a.due_on, a.decided_at, a.signed_at, a.delivered_at, a.result_number,
       a.licence_number, a.ground, a.reason_kk, a.reason_ru,
       (a.delivered_at IS NOT NULL AND ((a.delivered_at AT TIME ZONE 'UTC') + interval '5 hours')::date > a.due_on)
  FROM licensing.application a WHERE a.provider = 'p7';
