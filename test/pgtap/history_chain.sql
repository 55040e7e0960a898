-- pgTAP (issue #19): one hash chain and one canonical encoder for both
-- histories (history.c, row_json.c; README "Hash chains").
--   - what 1.1 writes is chain_encoding 2, and its hash is the documented
--     formula (recomputed here in SQL: an independent oracle), for both tables;
--   - the encodings of 1.0 (chain_encoding NULL) are the 1.0 formulas exactly,
--     on the walked events and on edge values, so chains written before the
--     update keep verifying; a chain may go from 1.0's encoding to 2, never back;
--   - a change to any hashed column is found, an unknown encoding fails;
--   - UPDATE, DELETE and TRUNCATE of either history are refused with 55000;
--   - a column retyped under the chain is not read as its old type (39P01).
-- Tampering is done as a superuser with triggers off and undone by savepoints.
BEGIN;
\ir licence_fixture.psql
SELECT plan(40);

SELECT lic_test.walk('scrap-metal', 'issue', '160140001230') AS a1 \gset
SELECT lic_test.licence_of(:a1) AS l1 \gset
SET LOCAL ROLE lic_head;
SELECT licensing.suspend_licence(:'l1', 'court_decision', (current_date + 40)::date);
RESET ROLE;

-- ---- the formulas, in SQL ------------------------------------------------------------
-- encoding 2, both tables: SHA-256(prev_hash || canonical JSON of the columns),
-- but the chain's own and the closed step's (checked against the replay instead)
CREATE FUNCTION pg_temp.app_2(e licensing.application_event) RETURNS bytea LANGUAGE sql AS $$
    SELECT sha256(coalesce(e.prev_hash, '') || convert_to(licensing.canonical_json(jsonb_build_object(
        'application', e.application, 'seq', e.seq, 'at', licensing._utc(e.at), 'actor_role', e.actor_role,
        'actor_iin', e.actor_iin::text, 'what', e.what, 'from_state', e.from_state, 'to_state', e.to_state,
        'payload', e.payload)), 'UTF8'))
$$;
CREATE FUNCTION pg_temp.lic_2(e licensing.licence_event) RETURNS bytea LANGUAGE sql AS $$
    SELECT sha256(coalesce(e.prev_hash, '') || convert_to(licensing.canonical_json(jsonb_build_object(
        'licence', e.licence, 'seq', e.seq, 'event', e.event, 'from_status', e.from_status, 'to_status', e.to_status,
        'ground', e.ground, 'until', to_char(e.until, 'YYYY-MM-DD'), 'application', e.application,
        'related', e.related, 'actor', e.actor::text, 'at', licensing._utc(e.at))), 'UTF8'))
$$;
-- the encodings of 1.0, as its verify_history and _licence_event_bytes wrote them
CREATE FUNCTION pg_temp.app_1(e licensing.application_event) RETURNS bytea LANGUAGE sql AS $$
    SELECT sha256(coalesce(e.prev_hash, '') || convert_to(licensing.canonical_json(jsonb_build_object(
        'application', e.application, 'seq', e.seq, 'at', licensing._utc(e.at),
        'actor_role', e.actor_role, 'actor_iin', e.actor_iin::text, 'what', e.what,
        'from', e.from_state, 'to', e.to_state, 'payload', e.payload)), 'UTF8'))
$$;
CREATE FUNCTION pg_temp.lic_1(e licensing.licence_event) RETURNS bytea LANGUAGE sql AS $$
    SELECT sha256(convert_to(licensing.canonical_json(jsonb_build_object(
        'licence', e.licence, 'seq', e.seq, 'event', e.event,
        'from', e.from_status, 'to', e.to_status, 'ground', e.ground,
        'until', to_char(e.until, 'YYYY-MM-DD'),
        'application', e.application, 'related', e.related, 'actor', e.actor::text,
        'at', to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        'prev', encode(e.prev_hash, 'hex'))), 'UTF8'))
$$;
-- an event with its encoding set (what a row written by 1.0 looks like when NULL)
CREATE FUNCTION pg_temp.as_app(e licensing.application_event, enc smallint) RETURNS licensing.application_event
LANGUAGE plpgsql AS $$ BEGIN e.chain_encoding := enc; RETURN e; END $$;
CREATE FUNCTION pg_temp.as_lic(e licensing.licence_event, enc smallint) RETURNS licensing.licence_event
LANGUAGE plpgsql AS $$ BEGIN e.chain_encoding := enc; RETURN e; END $$;

-- ---- what 1.1 writes -------------------------------------------------------------------
SELECT is((SELECT count(*) FROM licensing.application_event WHERE application = :a1 AND chain_encoding IS DISTINCT FROM 2),
          0::bigint, 'every application event the walk wrote is chain_encoding 2');
SELECT is((SELECT count(*) FROM licensing.licence_event WHERE licence = :'l1' AND chain_encoding IS DISTINCT FROM 2),
          0::bigint, 'every licence event is chain_encoding 2');
SELECT ok((SELECT count(*) > 5 AND bool_and(e.hash = pg_temp.app_2(e)) AND count(e.step) > 0 AND count(e.actor_iin) > 0
             FROM licensing.application_event e WHERE e.application = :a1),
          'each application event''s hash is SHA-256(prev_hash || canonical JSON of its columns), actor_iin included');
SELECT ok((SELECT count(*) >= 2 AND bool_and(e.hash = pg_temp.lic_2(e)) AND count(e.until) > 0
             FROM licensing.licence_event e WHERE e.licence = :'l1'),
          'each licence event''s hash is the same formula over its own columns (until included)');
SELECT ok((SELECT bool_and(licensing._chain_hash(e) = e.hash) FROM licensing.application_event e WHERE e.application = :a1)
          AND (SELECT bool_and(licensing._chain_hash(e) = e.hash) FROM licensing.licence_event e WHERE e.licence = :'l1'),
          '_chain_hash, the one routine of both verifications, gives the hash the appends wrote');

-- ---- the encodings of 1.0 --------------------------------------------------------------
SELECT ok((SELECT bool_and(licensing._chain_hash(pg_temp.as_app(e, NULL)) = pg_temp.app_1(e))
             FROM licensing.application_event e WHERE e.application = :a1),
          'chain_encoding NULL: an application event hashes as 1.0 hashed it');
SELECT ok((SELECT bool_and(licensing._chain_hash(pg_temp.as_lic(e, NULL)) = pg_temp.lic_1(e))
             FROM licensing.licence_event e WHERE e.licence = :'l1'),
          'chain_encoding NULL: a licence event hashes as 1.0 hashed it (the previous hash inside the body)');
SELECT ok((SELECT bool_and(licensing._chain_hash(pg_temp.as_app(e, 1::smallint)) = pg_temp.app_1(e))
             FROM licensing.application_event e WHERE e.application = :a1),
          'chain_encoding 1 is 1.0''s encoding too');

-- edge values: escapes, characters beyond U+FFFF, BC and infinite moments, a day
-- beyond 9999, NULLs, numbers beyond 2^53, an empty and a nested payload
CREATE TEMP TABLE edge_app AS
SELECT ROW(9007199254740993 + g, g, m, 'wf"clerk\', CASE WHEN g % 2 = 0 THEN '901120405675'::licensing.iin END,
           E'what\n\t\u0001', CASE WHEN g % 3 = 0 THEN E'from \U0001F600' END, 'to ü',
           CASE WHEN g % 2 = 0 THEN '{}'::jsonb ELSE '{"b": [1, 2.50, null], "a": {"é": "x", "\ud83d\ude00": 1e30}}'::jsonb END,
           CASE WHEN g > 1 THEN '\x00ff'::bytea END, '\x00'::bytea,
           'step', g, 'performer', m, m, NULL)::licensing.application_event AS e
  FROM (VALUES (1, '2025-03-03 10:00:00.000001+05'::timestamptz), (2, '0044-03-15 12:00:00+00 BC'),
               (3, 'infinity'), (4, '-infinity'), (5, '9999-12-31 23:59:59.999999+00'), (6, '0001-01-01 00:00:00+00')) v(g, m);
SELECT ok((SELECT count(*) = 6 AND bool_and(licensing._chain_hash(pg_temp.as_app(e, NULL)) IS NOT DISTINCT FROM pg_temp.app_1(e))
             FROM edge_app),
          'edge values: 1.0''s application encoding, exactly');
SELECT ok((SELECT bool_and(licensing._chain_hash(pg_temp.as_app(e, 2::smallint)) IS NOT DISTINCT FROM pg_temp.app_2(e)) FROM edge_app),
          'edge values: encoding 2 of an application event, exactly the documented formula');
CREATE TEMP TABLE edge_lic AS
SELECT ROW(E'KZ\\"L\u00e9', g, 'issued', NULL, E'to\r', CASE WHEN g % 2 = 1 THEN 'ground' END, d,
           CASE WHEN g % 2 = 0 THEN 9007199254740993 + g END, E'\U0001F600', 'lic"actor', m,
           CASE WHEN g > 1 THEN '\xdeadbeef'::bytea END, '\x00'::bytea, NULL)::licensing.licence_event AS e
  FROM (VALUES (1, '2025-03-03'::date, '2025-03-03 10:00:00.5+05'::timestamptz), (2, '0044-03-15 BC', '0044-03-15 12:00:00+00 BC'),
               (3, 'infinity', 'infinity'), (4, '-infinity', '-infinity'), (5, '12000-01-01', '9999-12-31 23:59:59.999999+00'),
               (6, NULL, '0001-01-01 00:00:00+00')) v(g, d, m);
SELECT ok((SELECT count(*) = 6 AND bool_and(licensing._chain_hash(pg_temp.as_lic(e, NULL)) IS NOT DISTINCT FROM pg_temp.lic_1(e))
             FROM edge_lic),
          'edge values: 1.0''s licence encoding, exactly');
SELECT ok((SELECT bool_and(licensing._chain_hash(pg_temp.as_lic(e, 2::smallint)) IS NOT DISTINCT FROM pg_temp.lic_2(e)) FROM edge_lic),
          'edge values: encoding 2 of a licence event, exactly the documented formula');
SELECT ok(licensing._chain_hash(pg_temp.as_app((SELECT e FROM edge_app LIMIT 1), 3::smallint)) IS NULL
          AND licensing._chain_hash(pg_temp.as_lic((SELECT e FROM edge_lic LIMIT 1), 0::smallint)) IS NULL,
          'an encoding that does not exist hashes to NULL (verifies against no hash)');

-- ---- a chain written by 1.0, continued by 1.1 -------------------------------------------
-- rechain: the events of one chain rewritten in order, the first `legacy` in
-- 1.0's encoding and the rest in 2, each linked to the one before (what an
-- update of a 1.0 database followed by new events leaves), or any given list
CREATE FUNCTION pg_temp.rechain_app(app bigint, encodings smallint[], rest smallint) RETURNS void LANGUAGE plpgsql AS $$
DECLARE e licensing.application_event; prev bytea;
BEGIN
    SET LOCAL session_replication_role = replica;
    FOR e IN SELECT * FROM licensing.application_event x WHERE x.application = app ORDER BY x.seq LOOP
        e.prev_hash := prev;
        e.chain_encoding := CASE WHEN e.seq <= cardinality(encodings) THEN encodings[e.seq] ELSE rest END;
        e.hash := licensing._chain_hash(e);
        UPDATE licensing.application_event x SET prev_hash = e.prev_hash, chain_encoding = e.chain_encoding, hash = e.hash
         WHERE x.application = app AND x.seq = e.seq;
        prev := e.hash;
    END LOOP;
    SET LOCAL session_replication_role = origin;
END $$;
CREATE FUNCTION pg_temp.rechain_lic(number text, encodings smallint[], rest smallint) RETURNS void LANGUAGE plpgsql AS $$
DECLARE e licensing.licence_event; prev bytea;
BEGIN
    SET LOCAL session_replication_role = replica;
    FOR e IN SELECT * FROM licensing.licence_event x WHERE x.licence = number ORDER BY x.seq LOOP
        e.prev_hash := prev;
        e.chain_encoding := CASE WHEN e.seq <= cardinality(encodings) THEN encodings[e.seq] ELSE rest END;
        e.hash := licensing._chain_hash(e);
        UPDATE licensing.licence_event x SET prev_hash = e.prev_hash, chain_encoding = e.chain_encoding, hash = e.hash
         WHERE x.licence = number AND x.seq = e.seq;
        prev := e.hash;
    END LOOP;
    SET LOCAL session_replication_role = origin;
END $$;

SAVEPOINT t;
SELECT pg_temp.rechain_app(:a1, ARRAY[NULL, NULL, NULL]::smallint[], 2::smallint);
SELECT pg_temp.rechain_lic(:'l1', ARRAY[NULL]::smallint[], 2::smallint);
SELECT ok(licensing.verify_history(:a1), 'an application chain begun in 1.0''s encoding and continued in encoding 2 verifies');
SELECT ok(licensing.verify_licence_history(:'l1'), 'a licence chain begun in 1.0''s encoding and continued in encoding 2 verifies');
ROLLBACK TO t;

SAVEPOINT t;
SELECT pg_temp.rechain_app(:a1, ARRAY[]::smallint[], NULL::smallint);
SELECT pg_temp.rechain_lic(:'l1', ARRAY[]::smallint[], NULL::smallint);
SELECT ok(licensing.verify_history(:a1) AND licensing.verify_licence_history(:'l1'), 'chains wholly in 1.0''s encoding verify');
ROLLBACK TO t;

SAVEPOINT t;
SELECT pg_temp.rechain_app(:a1, ARRAY[2, 2, NULL]::smallint[], 2::smallint);
SELECT ok(NOT licensing.verify_history(:a1), 'an application chain going back to 1.0''s encoding after encoding 2 fails, every hash right');
ROLLBACK TO t;
SAVEPOINT t;
SELECT pg_temp.rechain_lic(:'l1', ARRAY[2]::smallint[], NULL::smallint);
SELECT ok(NOT licensing.verify_licence_history(:'l1'), 'a licence chain going back to 1.0''s encoding fails, every hash right');
ROLLBACK TO t;

-- ---- changes found ----------------------------------------------------------------------
SELECT ok(licensing.verify_history(:a1) AND licensing.verify_licence_history(:'l1'), 'untouched, both chains verify');
SAVEPOINT t;
SET LOCAL session_replication_role = replica;
UPDATE licensing.application_event SET at = at + interval '1 microsecond' WHERE application = :a1 AND seq = 3;
RESET session_replication_role;
SELECT ok(NOT licensing.verify_history(:a1), 'an application event''s moment moved by 1 µs: false');
ROLLBACK TO t;
SAVEPOINT t;
SET LOCAL session_replication_role = replica;
UPDATE licensing.application_event SET actor_iin = NULL WHERE application = :a1 AND actor_iin IS NOT NULL;
RESET session_replication_role;
SELECT ok(NOT licensing.verify_history(:a1), 'an application event''s acting person removed: false');
ROLLBACK TO t;
SAVEPOINT t;
SET LOCAL session_replication_role = replica;
UPDATE licensing.application_event SET step_due_at = step_due_at + interval '1 day'
 WHERE application = :a1 AND seq = (SELECT max(seq) FROM licensing.application_event WHERE application = :a1 AND step IS NOT NULL);
RESET session_replication_role;
SELECT ok(NOT licensing.verify_history(:a1), 'the due moment of a closed step moved (not hashed: it must equal the replayed row): false');
ROLLBACK TO t;
SAVEPOINT t;
SET LOCAL session_replication_role = replica;
UPDATE licensing.application_event SET chain_encoding = 3 WHERE application = :a1 AND seq = 2;
RESET session_replication_role;
SELECT ok(NOT licensing.verify_history(:a1), 'an application event of an encoding that does not exist: false');
ROLLBACK TO t;
SAVEPOINT t;
SET LOCAL session_replication_role = replica;
UPDATE licensing.application_event SET chain_encoding = NULL WHERE application = :a1 AND seq = 2;
RESET session_replication_role;
SELECT ok(NOT licensing.verify_history(:a1), 'an application event''s encoding changed to 1.0''s, its hash kept: false');
ROLLBACK TO t;
SAVEPOINT t;
SET LOCAL session_replication_role = replica;
UPDATE licensing.licence_event SET until = until + 1 WHERE licence = :'l1' AND until IS NOT NULL;
RESET session_replication_role;
SELECT ok(NOT licensing.verify_licence_history(:'l1'), 'a licence suspension''s end moved by a day: false');
ROLLBACK TO t;
SAVEPOINT t;
SET LOCAL session_replication_role = replica;
UPDATE licensing.licence_event SET actor = 'someone_else' WHERE licence = :'l1' AND seq = 1;
RESET session_replication_role;
SELECT ok(NOT licensing.verify_licence_history(:'l1'), 'a licence event''s actor changed: false');
ROLLBACK TO t;

-- ---- a column retyped under the chain ---------------------------------------------------
DROP TABLE edge_app, edge_lic;
SELECT throws_ok('SELECT licensing._chain_hash(a) FROM licensing.application a LIMIT 1', '42804', NULL,
                 '_chain_hash refuses a row of another table (it hashes events only)');
SELECT throws_ok('SELECT licensing._chain_hash(ROW(1, 2))', '42804', NULL, '... and an anonymous record');
SELECT ok(NOT has_function_privilege(r, 'licensing._chain_hash(record)', 'EXECUTE'), r || ' cannot call _chain_hash')
  FROM unnest(ARRAY['public', 'licensing_staff', 'licensing_portal', 'licensing_admin', 'licensing_reporter']) r;
SAVEPOINT t;
ALTER TABLE licensing.licence_event ALTER COLUMN ground TYPE varchar;
SELECT throws_ok(format('SELECT licensing.verify_licence_history(%L)', :'l1'), '39P01', NULL,
                 'a licence_event column retyped: the chain refuses to read it as text (39P01)');
ROLLBACK TO t;

-- ---- one refusal for both histories ------------------------------------------------------
SELECT throws_ok(format('UPDATE licensing.application_event SET what = what WHERE application = %s', :a1), '55000', NULL,
                 'UPDATE of application_event: 55000, even for a superuser');
SELECT throws_ok(format('DELETE FROM licensing.application_event WHERE application = %s', :a1), '55000', NULL,
                 'DELETE from application_event: 55000');
SELECT throws_ok('TRUNCATE licensing.application_event', '55000', NULL, 'TRUNCATE of application_event: 55000');
SELECT throws_ok(format('UPDATE licensing.licence_event SET ground = ground WHERE licence = %L', :'l1'), '55000', NULL,
                 'UPDATE of licence_event: 55000, even for a superuser');
SELECT throws_ok(format('DELETE FROM licensing.licence_event WHERE licence = %L', :'l1'), '55000', NULL,
                 'DELETE from licence_event: 55000');
SELECT throws_ok('TRUNCATE licensing.licence_event', '55000', NULL, 'TRUNCATE of licence_event: 55000');

SELECT * FROM finish();
ROLLBACK;
