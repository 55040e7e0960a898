-- workflow_c_helpers: _utc and _step_for_state (in C since the perf work) answer
-- exactly as their former SQL bodies, for every state and edge input.
BEGIN;
SELECT plan(4);

CREATE FUNCTION pg_temp.utc_ref(at timestamptz) RETURNS text LANGUAGE sql IMMUTABLE
    AS $$ SELECT pg_catalog.to_char($1 AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') $$;
CREATE FUNCTION pg_temp.step_ref(state text, steps jsonb) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE $1
        WHEN 'submitted' THEN 'register'
        WHEN 'registered' THEN CASE WHEN $2 OPERATOR(pg_catalog.@>) '[{"step": "route"}]' THEN 'route' ELSE 'assign' END
        WHEN 'routed' THEN 'assign'
        WHEN 'assigned' THEN 'confirm_complete'
        WHEN 'in_review' THEN 'decide'
        WHEN 'decided' THEN CASE WHEN $2 OPERATOR(pg_catalog.@>) '[{"step": "approve"}]' THEN 'approve' ELSE 'sign_decision' END
        WHEN 'approved' THEN 'sign_decision'
        WHEN 'signed' THEN 'deliver'
    END $$;

SET LOCAL TimeZone = 'America/St_Johns';
SET LOCAL DateStyle = 'SQL, DMY';
SELECT is(pg_catalog.count(*) FILTER (WHERE licensing._utc(t) IS DISTINCT FROM pg_temp.utc_ref(t)), 0::bigint,
          '_utc equals to_char(at AT TIME ZONE ''UTC'', ...) in another zone and DateStyle')
  FROM pg_catalog.unnest(ARRAY['2025-06-02 17:30:00.123456+05', '2024-12-31 23:59:59.999999-12', '1999-01-01 00:00+00',
                               '0044-03-15 12:00+00', '0001-01-01 00:00+00', '9999-12-31 23:59:59.999999+00',
                               '4713-01-01 00:00+00 BC', '20000-01-01 00:00+00', '2026-11-25 16:00:00.000001+00',
                               'infinity', '-infinity', NULL]::timestamptz[]) t;
SELECT is(licensing._utc('2025-06-02 17:30:00.5+05'), '2025-06-02T12:30:00.500000Z', 'a moment in UTC with microseconds');

SELECT is(pg_catalog.count(*) FILTER (WHERE licensing._step_for_state(s, j) IS DISTINCT FROM pg_temp.step_ref(s, j)), 0::bigint,
          '_step_for_state equals the former CASE for every state and kind of pinned steps')
  FROM pg_catalog.unnest(ARRAY['draft', 'submitted', 'registered', 'routed', 'assigned', 'in_review', 'decided',
                               'approved', 'signed', 'delivered', 'withdrawn', 'nonsense', NULL]) s,
       pg_catalog.unnest(ARRAY['[{"step": "register"}, {"step": "route"}, {"step": "approve"}]',
                               '[{"step": "register", "performer": "clerk"}]', '[]', '{}', '"route"', '[["route"]]',
                               '[{"step": ["route"]}]', '[{"x": "approve"}]', '[{"step": "approve", "norm": null}]',
                               '[1, {"step": "route"}]', NULL]::jsonb[]) j;
SELECT is(licensing._step_for_state('registered', '[{"step": "route"}]'), 'route', 'a pinned route step is opened');

SELECT * FROM finish();
ROLLBACK;
