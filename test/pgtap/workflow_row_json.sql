-- workflow_row_json: licensing._row_json (history.c, in C since the perf work)
-- encodes a row as to_jsonb(row) - 'updated_at' with TimeZone UTC and
-- bytea_output hex, whatever the session's settings, and leaves them as they were.
BEGIN;
SELECT plan(10);

CREATE TEMP TABLE perf_rows AS
SELECT pg_catalog.jsonb_populate_record(NULL::licensing.application, pg_catalog.jsonb_build_object(
        'id', 7, 'service', 's', 'operation', 'issue', 'channel', 'office', 'applicant', '901120405675',
        'provider', 'p', 'profile', 'pr', 'state', 'signed', 'form', '{"b": [1, 2.50], "a": null}',
        'created_at', '2025-06-02 17:30:00.123456+05', 'submitted_at', '2025-06-02 23:59:59+05',
        'receipt_day', '2025-06-03', 'decision_payload', '\x00ff10', 'on_paper', true,
        'updated_at', '2025-06-04 10:00+05', 'step', 'register', 'step_position', 1,
        'step_started_at', '2025-06-03 09:00+05', 'step_due_at', 'infinity')) AS a;

-- the reference: the former SQL body under the former SET clauses (correction_reason,
-- a column of 1.1, left out while NULL: the applications of 1.0 were recorded without it)
CREATE FUNCTION pg_temp.reference(a licensing.application) RETURNS jsonb
    LANGUAGE sql STABLE SET TimeZone = 'UTC' SET bytea_output = 'hex'
    AS $$ SELECT pg_catalog.to_jsonb($1) OPERATOR(pg_catalog.-) 'updated_at'::text
                 OPERATOR(pg_catalog.-) CASE WHEN $1.correction_reason IS NULL THEN 'correction_reason' ELSE '' END $$;

SET LOCAL TimeZone = 'Asia/Tokyo';
SET LOCAL bytea_output = 'escape';
SELECT is(licensing._row_json(r.a), pg_temp.reference(r.a),
          'the encoding equals to_jsonb(row) - updated_at in UTC with hex bytea')
  FROM perf_rows r;
SELECT is(licensing._row_json(r.a) ->> 'created_at', '2025-06-02T12:30:00.123456+00:00',
          'moments are written in UTC, not in the session''s zone')
  FROM perf_rows r;
SELECT is(licensing._row_json(r.a) ->> 'decision_payload', '\x00ff10',
          'bytea is written in hex, not in the session''s escape format')
  FROM perf_rows r;
SELECT ok(NOT licensing._row_json(r.a) ? 'updated_at', 'updated_at is left out')
  FROM perf_rows r;
SELECT is(licensing._row_json(pg_catalog.jsonb_populate_record(r.a, '{"correction_reason": "why"}')) ->> 'correction_reason', 'why',
          'correction_reason is written once a correction set it (left out only while NULL)')
  FROM perf_rows r;
SELECT is(pg_catalog.current_setting('TimeZone') || ' ' || pg_catalog.current_setting('bytea_output'),
          'Asia/Tokyo escape', 'the session''s settings are as they were');
SELECT is(licensing._row_json(NULL), NULL, 'NULL gives NULL');

-- the two-argument form: only the named columns, each as the whole-row form has it
-- (text, integers, booleans, moments and dates take history.c's direct path, the rest to_jsonb)
SELECT is(licensing._row_json(r.a, '{state,created_at,decision_payload,form,receipt_day,on_paper,ground,id,step,step_position,step_started_at,step_due_at}'),
          (SELECT pg_catalog.jsonb_object_agg(k, licensing._row_json(r.a) OPERATOR(pg_catalog.->) k)
             FROM pg_catalog.unnest('{state,created_at,decision_payload,form,receipt_day,on_paper,ground,id,step,step_position,step_started_at,step_due_at}'::text[]) k),
          'named columns are encoded as in the whole row (text, integers, moments and infinity, bytea, jsonb, NULL, date, boolean)')
  FROM perf_rows r;
SELECT is(licensing._row_json(r.a, '{}'), '{}'::jsonb, 'no columns: an empty object') FROM perf_rows r;
SELECT throws_ok($$SELECT licensing._row_json(r.a, '{state,nope}') FROM perf_rows r$$, '42703',
                 'row type licensing.application has no column "nope"', 'a name that is not a column is an error');

SELECT * FROM finish();
ROLLBACK;
