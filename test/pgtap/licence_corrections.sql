-- pgTAP: an application whose target licence was suspended, terminated or
-- re-issued after its decision is never stuck (API §4.1, issue #14): signing
-- the grant is refused with 55000 naming the way on; the executor refuses it
-- with ground licence_status_changed (only then, only from decided); the
-- refusal is signed and goes on to delivery.
BEGIN;
\ir licence_fixture.psql
SELECT plan(13);

SELECT lic_test.walk('scrap-metal', 'issue', '160140001230') AS a1 \gset
SELECT lic_test.licence_of(:a1) AS l1 \gset
SELECT lic_test.walk('scrap-metal', 'reissue', '160140001230', '{}', :'l1', '{"ground": "name_change"}', 'decided') AS r \gset
SELECT lic_test.walk('scrap-metal', 'duplicate', '160140001230', '{}', :'l1', '{}', 'decided') AS d \gset
CREATE FUNCTION pg_temp.snap(app bigint) RETURNS text LANGUAGE sql AS $$
    SELECT md5(licensing._row_json(a)::text || (SELECT string_agg(e.seq || e.what, ',' ORDER BY e.seq)
               FROM licensing.application_event e WHERE e.application = a.id))
      FROM licensing.application a WHERE a.id = app $$;
SELECT pg_temp.snap(:r) AS s0 \gset

-- the licence is still active: the grant cannot be refused late
SELECT is(lic_test.state_of('lic_exec', format($$SELECT licensing.refuse(%s, 'licence_status_changed', 'себеп', 'причина')$$, :r)),
    '55000', 'refuse from decided while the licence is active: 55000');
SELECT is(pg_temp.snap(:r), :'s0', 'the refused refusal changed nothing');

SET LOCAL ROLE lic_head;
SELECT licensing.suspend_licence(:'l1', 'court_decision');
RESET ROLE;

SELECT throws_ok(format($$SELECT lic_test.sign(%s)$$, :r), '55000',
    format('the grant of application %s cannot be signed: licence %s is suspended', :r, :'l1'),
    'sign_decision of a re-issue of a suspended licence: 55000 naming the licence and its status');
SELECT is(lic_test.state_of('lic_exec', format($$SELECT licensing.refuse(%s, 'qualification_requirements', 'себеп', 'причина')$$, :r)),
    '55000', 'refuse from decided with another ground: 55000 (return_step is the way for that)');
SELECT is(lic_test.state_of('lic_head', format($$SELECT licensing.refuse(%s, 'licence_status_changed', 'себеп', 'причина')$$, :r)),
    '42501', 'the head does not refuse: the executor decides');
SELECT is(pg_temp.snap(:r), :'s0', 'the refused signature and refusals changed nothing');
SELECT is(lic_test.state_of('lic_exec', format($$SELECT licensing.refuse(%s, 'licence_status_changed',
    'Лицензияның қолданылуы тоқтатылды', 'Действие лицензии приостановлено')$$, :r)),
    NULL, 'the executor refuses the re-issue: licence_status_changed');
SELECT is((SELECT state || ' ' || outcome || ' ' || ground || ' ' || COALESCE(result_number, '-') FROM licensing.application WHERE id = :r),
    'decided refused licence_status_changed -', 'decided, refused with its ground, the number withdrawn');
SELECT lives_ok(format($$SELECT lic_test.sign(%s)$$, :r), 'the head signs the refusal');
SELECT is((SELECT state || ' ' || step FROM licensing.application WHERE id = :r), 'signed deliver',
    'its way on: signed, the delivery step open (no longer stuck at the signing step)');
SELECT ok(licensing.verify_history(:r), 'its chain verifies');

-- terminated: the duplicate's way on
SET LOCAL ROLE lic_head;
SELECT licensing.terminate_licence(:'l1', 'licensee_request');
RESET ROLE;
SELECT is(lic_test.state_of('lic_head', format($$SELECT licensing.return_step(%s, 'the licence is terminated')$$, :d)),
    NULL, 'the head may also return the duplicate to the executor');
SELECT is(lic_test.state_of('lic_exec', format($$SELECT licensing.refuse(%s, 'licence_status_changed', 'себеп', 'причина')$$, :d)),
    NULL, 'who refuses it in review with the same ground');

SELECT * FROM finish();
ROLLBACK;
