-- pgTAP: re-issue chains, duplicates, suspension, resumption, termination,
-- every forbidden transition, who may act, and the licence's history chain.
BEGIN;
\ir licence_fixture.psql
SELECT plan(67);

SELECT lic_test.walk('scrap-metal', 'issue', '160140001230',
    '{"annexes": [{"subtype": "Заготовка", "address": "Шымкент", "branch_bin": "160141001236"},
                  {"subtype": "Хранение", "address": "Туркестан"}]}') AS a1 \gset
SELECT lic_test.licence_of(:a1) AS l1 \gset

-- ---- what a reissue or duplicate application may name ----------------------------------
CREATE FUNCTION pg_temp.create_as_clerk(op text, applicant text, num text, form jsonb) RETURNS text
LANGUAGE sql AS $$
    SELECT lic_test.state_of('lic_clerk', format('SELECT licensing.create_application(%L, %L, %L, %L, %L, %L, %L)',
                             'scrap-metal', op, applicant, 'lic-south', form, 'office', num))
$$;
SELECT is(pg_temp.create_as_clerk('reissue', '160140001230', NULL, '{"ground": "name_change"}'), '22023', 'a re-issue without a licence number: 22023');
SELECT is(pg_temp.create_as_clerk('reissue', '160140001230', left(:'l1', 13) || CASE WHEN right(:'l1', 1) = 'A' THEN 'B' ELSE 'A' END, '{"ground": "name_change"}'),
          '22P02', 'a mistyped licence number: 22P02');
SELECT is(pg_temp.create_as_clerk('reissue', '160140001230', licensing.licence_number_make('licence', 2099, 99999998), '{"ground": "name_change"}'),
          'P0002', 'a licence nobody holds: P0002');
SELECT is(pg_temp.create_as_clerk('reissue', '160140001230', :'l1'::text, '{}'), '22023', 'a re-issue without a ground: 22023');
SELECT is(pg_temp.create_as_clerk('reissue', '160140001230', :'l1'::text, '{"ground": "whim"}'), '22023', 'an unknown re-issue ground: 22023');
SELECT is(pg_temp.create_as_clerk('reissue', '180340009990', :'l1'::text, '{"ground": "name_change"}'), '42501', 'someone else''s licence: 42501');
SELECT is(pg_temp.create_as_clerk('reissue', '170240008888', :'l1'::text, '{"ground": "name_change"}'), '42501',
          'the successor without the ground reorganisation: 42501');
SELECT is(pg_temp.create_as_clerk('reissue', '180340009990', :'l1'::text, '{"ground": "reorganisation"}'), '42501',
          'reorganisation claimed by an entity that is not the successor: 42501');
SELECT is(pg_temp.create_as_clerk('duplicate', '160140001230', :'l1'::text, '{"annex": 9}'), '22023', 'a duplicate of an annex that does not exist: 22023');
SELECT is(pg_temp.create_as_clerk('duplicate', '160140001230', :'l1'::text, '{"annex": "two"}'), '22023', 'an annex that is not a number: 22023');
SELECT is(pg_temp.create_as_clerk('issue', '160140001230', :'l1'::text, '{}'), '22023', 'an issue that names a licence: 22023');

-- ---- duplicates -------------------------------------------------------------------------
SELECT row_to_json(l)::text AS l1_before FROM licensing.licence l WHERE number = :'l1' \gset
SELECT lic_test.walk('scrap-metal', 'duplicate', '160140001230', '{}', :'l1') AS d1 \gset
SELECT lic_test.walk('scrap-metal', 'duplicate', '160140001230', '{}', :'l1', '{"annex": 2}') AS d2 \gset
SELECT results_eq(format('SELECT application, annex FROM licensing.licence_duplicate WHERE licence = %L ORDER BY application', :'l1'),
                  format('VALUES (%s::bigint, NULL::integer), (%s, 2)', :d1, :d2),
                  'duplicates of the licence and of annex 2 are recorded');
SELECT is((SELECT row_to_json(l)::text FROM licensing.licence l WHERE number = :'l1'), :'l1_before'::text,
          'a duplicate leaves the licence as it was');
SELECT is((SELECT result_number FROM licensing.application WHERE id = :d1), :'l1'::text, 'a duplicate carries the licence''s own number');
SELECT is((SELECT count(*) FROM licensing.licence), (SELECT count(*) FROM licensing.licence WHERE application NOT IN (:d1, :d2)),
          'a duplicate creates no licence');
SELECT lic_test.walk('scrap-metal', 'duplicate', '160140001230', '{}', :'l1', '{}', 'in_review') AS d3 \gset
SELECT is(lic_test.state_of('lic_exec', format($$SELECT licensing.grant(%s, '{"annexes": [{"subtype": "s", "address": "x"}]}')$$, :d3)),
          '22023', 'a duplicate carries no new annexes');

-- ---- re-issue ---------------------------------------------------------------------------
SELECT lic_test.walk('scrap-metal', 'reissue', '160140001230', '{}', :'l1', '{"ground": "name_change"}') AS r1 \gset
SELECT lic_test.licence_of(:r1) AS l2 \gset
SELECT isnt(:'l2', :'l1'::text, 'a re-issue gives a new number');
SELECT results_eq(format('SELECT number, status, supersedes FROM licensing.licence WHERE number IN (%L, %L) ORDER BY application', :'l1', :'l2'),
                  format('VALUES (%L::text, %L::text, NULL::text), (%L, %L, %L)', :'l1', 'reissued', :'l2', 'active', :'l1'),
                  'the new licence supersedes the old one, now reissued');
SELECT results_eq(format('SELECT position, subtype, address, branch_bin::text FROM licensing.licence_annex WHERE licence = %L ORDER BY 1', :'l2'),
                  format('SELECT position, subtype, address, branch_bin::text FROM licensing.licence_annex WHERE licence = %L ORDER BY 1', :'l1'),
                  'a re-issue without new annexes carries the annexes over');
SELECT results_eq(format('SELECT event, ground, related FROM licensing.licence_event WHERE licence = %L ORDER BY seq', :'l1'),
                  format($$VALUES ('issued'::text, NULL::text, NULL::text), ('duplicate', NULL, NULL), ('duplicate', NULL, NULL), ('reissued', 'name_change', %L)$$, :'l2'),
                  'the old licence''s history: issued, two duplicates, reissued (with the new number)');
SELECT is((SELECT superseded_by FROM licensing.licence_register WHERE number = :'l1'), :'l2'::text, 'the register links the old licence to the new one');

-- a chain: the re-issued licence is re-issued again, with new annexes
SELECT lic_test.walk('scrap-metal', 'reissue', '160140001230',
                     '{"annexes": [{"subtype": "Переработка", "address": "Кентау", "branch_bin": "160142001231"}]}',
                     :'l2', '{"ground": "object_address"}') AS r2 \gset
SELECT lic_test.licence_of(:r2) AS l3 \gset
SELECT results_eq(format($$WITH RECURSIVE chain AS (
                              SELECT number, supersedes, 1 AS depth FROM licensing.licence WHERE number = %L
                              UNION ALL
                              SELECT l.number, l.supersedes, depth + 1 FROM licensing.licence l JOIN chain c ON l.number = c.supersedes)
                           SELECT number FROM chain ORDER BY depth$$, :'l3'),
                  format('VALUES (%L::text), (%L), (%L)', :'l3', :'l2', :'l1'),
                  'the re-issue chain runs l3 → l2 → l1');
SELECT results_eq(format('SELECT subtype FROM licensing.licence_annex WHERE licence = %L', :'l3'), $$VALUES ('Переработка'::text)$$,
                  'a re-issue with annexes takes the new ones');
SELECT is(pg_temp.create_as_clerk('reissue', '160140001230', :'l1'::text, '{"ground": "name_change"}'), '55000', 'a re-issued licence cannot be re-issued again: 55000');
SELECT is(pg_temp.create_as_clerk('duplicate', '160140001230', :'l2'::text, '{}'), '55000', 'nor duplicated: 55000');

-- two re-issues of the same licence race: the second signature finds it re-issued
SELECT lic_test.walk('scrap-metal', 'reissue', '160140001230', '{}', :'l3', '{"ground": "legal_address"}', 'decided') AS ra \gset
SELECT lic_test.walk('scrap-metal', 'reissue', '160140001230', '{}', :'l3', '{"ground": "re_registration"}', 'decided') AS rb \gset
SELECT lic_test.sign(:ra);
SELECT lic_test.licence_of(:ra) AS l4 \gset
SELECT (SELECT state FROM licensing.application WHERE id = :rb) AS rb_state \gset
SELECT throws_ok(format('SELECT lic_test.sign(%s)', :rb), '55000', NULL, 'signing a second re-issue of the same licence: 55000');
SELECT is((SELECT state FROM licensing.application WHERE id = :rb), :'rb_state'::text, 'the losing decision stays unsigned');
SELECT is((SELECT count(*) FROM licensing.licence WHERE supersedes = :'l3'), 1::bigint, 'the licence was re-issued once');

-- reorganisation: the successor re-issues its predecessor's licence
SELECT lic_test.walk('scrap-metal', 'reissue', '170240008888', '{}', :'l4', '{"ground": "reorganisation"}') AS ro \gset
SELECT lic_test.licence_of(:ro) AS l5 \gset
SELECT results_eq(format('SELECT holder, supersedes, status FROM licensing.licence WHERE number = %L', :'l5'),
                  format($$VALUES ('170240008888'::text, %L::text, 'active'::text)$$, :'l4'),
                  'after a reorganisation the successor holds the re-issued licence');

-- ---- suspension, resumption, termination ----------------------------------------------
SELECT lic_test.walk('scrap-metal', 'issue', '170240007770', '{}') AS a6 \gset
SELECT lic_test.licence_of(:a6) AS l6 \gset
CREATE FUNCTION pg_temp.act(r text, stmt text, num text) RETURNS text LANGUAGE sql AS $$
    SELECT lic_test.state_of(r, format(stmt, num))
$$;

SELECT is(pg_temp.act('lic_exec', $$SELECT licensing.suspend_licence(%L, 'court_decision')$$, :'l6'), '42501', 'an executor may not suspend: 42501');
SELECT is(pg_temp.act('lic_clerk', $$SELECT licensing.suspend_licence(%L, 'court_decision')$$, :'l6'), '42501', 'a clerk may not suspend: 42501');
SELECT is(pg_temp.act('lic_west_head', $$SELECT licensing.suspend_licence(%L, 'court_decision')$$, :'l6'), '42501', 'the head of another provider may not: 42501');
SELECT is(pg_temp.act('lic_portal', $$SELECT licensing.suspend_licence(%L, 'court_decision')$$, :'l6'), '42501', 'the portal may not: 42501');
SELECT is(pg_temp.act('lic_reporter', $$SELECT licensing.terminate_licence(%L, 'liquidation')$$, :'l6'), '42501', 'a reporter may not terminate: 42501');
SELECT is(pg_temp.act('lic_head', $$SELECT licensing.suspend_licence(%L, 'whim')$$, :'l6'), '22023', 'an unknown suspension ground: 22023');
SELECT is(pg_temp.act('lic_head', $$SELECT licensing.suspend_licence(%L, 'court_decision', '2000-01-01')$$, :'l6'), '22023', 'a suspension until a past date: 22023');
SELECT is(pg_temp.act('lic_head', $$SELECT licensing.resume_licence(%L)$$, :'l6'), '55000', 'resume an active licence: 55000');
SELECT is(pg_temp.act('lic_head', $$SELECT licensing.suspend_licence(%L, 'court_decision')$$, 'KZL2600000001X'), '22P02', 'a mistyped number: 22P02');
SELECT is(pg_temp.act('lic_head', $$SELECT licensing.suspend_licence(%L, 'court_decision')$$, licensing.licence_number_make('licence', 2099, 99999998)),
          'P0002', 'an unknown licence: P0002');
SELECT results_eq(format('SELECT status, (SELECT count(*) FROM licensing.licence_event WHERE licence = %L) FROM licensing.licence WHERE number = %L', :'l6', :'l6'),
                  $$VALUES ('active'::text, 1::bigint)$$, 'after the refused moves the licence and its history are unchanged');

-- (the date is computed here: the head may not execute the internal _licence_today)
SELECT licensing._licence_today() + 30 AS until30 \gset
SELECT is(pg_temp.act('lic_head', $$SELECT licensing.suspend_licence(%L, 'court_decision', '$$ || :'until30' || $$')$$, :'l6'), NULL,
          'the head of the provider suspends');
SELECT results_eq(format('SELECT status, status_ground, suspended_until FROM licensing.licence WHERE number = %L', :'l6'),
                  $$VALUES ('suspended'::text, 'court_decision'::text, licensing._licence_today() + 30)$$, 'suspended, with ground and until');
SELECT is(pg_temp.act('lic_head', $$SELECT licensing.suspend_licence(%L, 'court_decision')$$, :'l6'), '55000', 'suspend a suspended licence: 55000');
SELECT is(pg_temp.create_as_clerk('duplicate', '170240007770', :'l6'::text, '{}'), '55000', 'a suspended licence cannot be duplicated: 55000');
SELECT is(pg_temp.act('lic_head', $$SELECT licensing.resume_licence(%L)$$, :'l6'), NULL, 'the head resumes it');
SELECT results_eq(format('SELECT status, status_ground, suspended_until FROM licensing.licence WHERE number = %L', :'l6'),
                  $$VALUES ('active'::text, NULL::text, NULL::date)$$, 'active again');
SELECT is(pg_temp.act('lic_admin', $$SELECT licensing.suspend_licence(%L, 'licensee_request')$$, :'l6'), NULL, 'licensing_admin suspends too');
SELECT is(pg_temp.act('lic_head', $$SELECT licensing.terminate_licence(%L, 'whim')$$, :'l6'), '22023', 'an unknown termination ground: 22023');
SELECT is(pg_temp.act('lic_head', $$SELECT licensing.terminate_licence(%L, 'liquidation')$$, :'l6'), NULL, 'a suspended licence is terminated');
SELECT is((SELECT status FROM licensing.licence WHERE number = :'l6'), 'terminated', 'terminated');
SELECT is(pg_temp.act('lic_head', $$SELECT licensing.suspend_licence(%L, 'court_decision')$$, :'l6'), '55000', 'suspend a terminated licence: 55000');
SELECT is(pg_temp.act('lic_head', $$SELECT licensing.resume_licence(%L)$$, :'l6'), '55000', 'resume a terminated licence: 55000');
SELECT is(pg_temp.act('lic_admin', $$SELECT licensing.terminate_licence(%L, 'liquidation')$$, :'l6'), '55000', 'terminate a terminated licence: 55000');
SELECT is(pg_temp.create_as_clerk('reissue', '170240007770', :'l6'::text, '{"ground": "name_change"}'), '55000', 'a terminated licence cannot be re-issued: 55000');
SELECT results_eq(format('SELECT event, from_status, to_status, ground FROM licensing.licence_event WHERE licence = %L ORDER BY seq', :'l6'),
                  $$VALUES ('issued'::text, NULL::text, 'active'::text, NULL::text), ('suspended', 'active', 'suspended', 'court_decision'),
                           ('resumed', 'suspended', 'active', NULL), ('suspended', 'active', 'suspended', 'licensee_request'),
                           ('terminated', 'suspended', 'terminated', 'liquidation')$$,
                  'each move is in the licence''s history, in order');
SELECT results_eq(format('SELECT actor::text COLLATE "default" FROM licensing.licence_event WHERE licence = %L AND seq > 1 ORDER BY seq', :'l6'),
                  $$VALUES ('lic_head'::text), ('lic_head'), ('lic_admin'), ('lic_head')$$, 'with who did it');

-- a re-issued licence allows no move
SELECT is(pg_temp.act('lic_head', s, :'l1'), '55000', 'on a re-issued licence: ' || s)
  FROM unnest(ARRAY[$$SELECT licensing.suspend_licence(%L, 'court_decision')$$, $$SELECT licensing.resume_licence(%L)$$,
                    $$SELECT licensing.terminate_licence(%L, 'liquidation')$$]) s;

-- ---- the register's guard with rows present ---------------------------------------------
SELECT throws_ok(format($$UPDATE licensing.licence SET status = 'active' WHERE number = %L$$, :'l6'), '42501', NULL,
                 'a superuser cannot revive a terminated licence by UPDATE');
SELECT throws_ok(format($$DELETE FROM licensing.licence_annex WHERE licence = %L$$, :'l1'), '42501', NULL, 'nor delete annexes');
SELECT throws_ok(format($$UPDATE licensing.licence_duplicate SET annex = NULL WHERE licence = %L$$, :'l1'), '42501', NULL, 'nor edit duplicates');

-- ---- the history chain -------------------------------------------------------------------
SELECT ok(licensing.verify_licence_history(), 'every licence''s history verifies');
ALTER TABLE licensing.licence_event DISABLE TRIGGER USER;
UPDATE licensing.licence_event SET ground = 'licensee_request' WHERE licence = :'l6' AND seq = 2;
ALTER TABLE licensing.licence_event ENABLE TRIGGER USER;
SELECT ok(NOT licensing.verify_licence_history(:'l6'), 'a changed event breaks the chain (found by verify)');
SELECT ok(licensing.verify_licence_history(:'l1'), 'other licences'' chains still verify');
ALTER TABLE licensing.licence_event DISABLE TRIGGER USER;
DELETE FROM licensing.licence_event WHERE licence = :'l1' AND seq = 2;
ALTER TABLE licensing.licence_event ENABLE TRIGGER USER;
SELECT ok(NOT licensing.verify_licence_history(:'l1'), 'a removed event breaks the chain');
SELECT ok(NOT licensing.verify_licence_history(), 'and the whole register fails verification');

SELECT * FROM finish();
ROLLBACK;
