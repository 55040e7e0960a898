-- Statistics that do not lie (issue #14): a draft refused at intake again and
-- again for one ground counts once in refusals; a payment to a service without
-- a fee, or to an application already accepted, is refused (55000) and leaves
-- nothing behind; the gateway's retry of a payment already recorded still
-- returns its id.
BEGIN;
SELECT plan(12);
\ir ../fixtures/signing.sql
SELECT test_pki.load_trust();
\ir ../fixtures/workflow.sql

CREATE FUNCTION pg_temp.refusals(g text) RETURNS bigint LANGUAGE sql AS $$
    SELECT wf_test.as_role('wf_reporter', format(
        'SELECT COALESCE(sum(refusals), 0) FROM licensing.refusals WHERE provider = ''sko'' AND ground = %L', g))::bigint $$;
CREATE FUNCTION pg_temp.payments(app bigint) RETURNS text LANGUAGE sql AS $$
    SELECT (SELECT count(*) FROM licensing.application_payment WHERE application = app) || ' payments, '
        || (SELECT count(*) FROM licensing.application_event WHERE application = app) || ' events' $$;

-- ---- repeated intake refusals of one draft count once (per ground)
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko') AS a \gset
SELECT (wf_test.submit(:a)).ground, (wf_test.submit(:a)).ground, (wf_test.submit(:a)).ground;
SELECT is((SELECT count(*) FROM licensing.application_event WHERE application = :a AND what = 'intake_refused'), 3::bigint,
    'three intake refusals are recorded in the draft''s history');
SELECT is(pg_temp.refusals('no_payment'), 1::bigint, 'refusals counts the draft once for no_payment');
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko') AS b \gset
SELECT (wf_test.submit(:b)).ground;
SELECT is(pg_temp.refusals('no_payment'), 2::bigint, 'another draft refused for the same ground counts again');
SELECT wf_test.pay(:a);
SELECT (wf_test.submit(:a, 'person')).ground AS bad_signer;
SELECT is(pg_temp.refusals('signature_not_confirmed'), 1::bigint, 'the same draft refused for another ground counts for that ground');

-- ---- payments: to a draft that owes a fee (allowed), to a fee-free service, after acceptance
SELECT wf_test.draft('eco-expertise', '901120405675', 'krg') AS e \gset
SELECT pg_temp.payments(:e) AS e0 \gset
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_gateway', 'SELECT licensing.record_payment(%s, 1000, ''ECO-1'')')$$, :e),
    '55000', format('application %s owes no fee: a payment to it is refused', :e), 'a payment to a service without a fee: 55000');
SELECT is(pg_temp.payments(:e), :'e0', 'and nothing was recorded');
SELECT lives_ok(format($$SELECT wf_test.as_role('wf_gateway', 'SELECT licensing.record_payment(%s, 19820, ''FEE-A'')')$$, :a),
    'the fee of a draft that owes one is recorded');
SELECT is(wf_test.as_role('wf_gateway', format('SELECT licensing.record_payment(%s, 19820, ''FEE-A'')', :a))::bigint,
    (SELECT id FROM licensing.application_payment WHERE reference = 'FEE-A'), 'its retry returns the same id');
SELECT (wf_test.submit(:a)).accepted;
SELECT pg_temp.payments(:a) AS a0 \gset
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_gateway', 'SELECT licensing.record_payment(%s, 19820, ''LATE-1'')')$$, :a),
    '55000', format('application %s is no longer a draft: a payment after acceptance is refused', :a), 'a payment after acceptance: 55000');
SELECT is(pg_temp.payments(:a), :'a0', 'and nothing was recorded');
SELECT is(wf_test.as_role('wf_gateway', format('SELECT licensing.record_payment(%s, 19820, ''FEE-A'')', :a))::bigint,
    (SELECT id FROM licensing.application_payment WHERE reference = 'FEE-A'),
    'a retry of a payment recorded before acceptance still returns its id');
SELECT is((SELECT sum(amount) FROM licensing.application_payment WHERE application = :a), 39640.00::numeric,
    'the accepted application''s payments are what it paid before acceptance');

SELECT * FROM finish();
ROLLBACK;
