-- pgTAP (issue #16 part 2): a moment or day the histories cannot record is
-- refused before anything is written.  Both chains write times as ISO 8601
-- UTC with a four-digit year and no era: infinity became null, a BC year the
-- same AD year, and an infinite workflow clock made the next step fail with
-- XX000 ("function ... returned NULL").  Accepted: 0001-01-01 .. 9999-12-31 UTC;
-- 22023 when not finite, 22008 when outside those years (src/sql/65_moments.sql).
BEGIN;
\ir licence_fixture.psql
SET LOCAL TimeZone = 'UTC';
SET LOCAL DateStyle = 'ISO, YMD';
SELECT plan(27);

-- SQLSTATE and message of a statement run as a role, or NULL
CREATE FUNCTION pg_temp.err(r text, stmt text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    BEGIN
        IF r IS NOT NULL THEN
            EXECUTE format('SET LOCAL ROLE %I', r);
        END IF;
        EXECUTE stmt;
    EXCEPTION WHEN OTHERS THEN
        RESET ROLE;
        RETURN SQLSTATE || ': ' || SQLERRM;
    END;
    RESET ROLE;
    RETURN NULL;
END
$$;

SET LOCAL ROLE lic_clerk;
SELECT licensing.create_application('scrap-metal', 'issue', '160140001230', 'lic-south', channel => 'office') AS app \gset
RESET ROLE;

-- ---- record_payment(paid_at) ---------------------------------------------------------
SELECT is(pg_temp.err('lic_gateway', format($$SELECT licensing.record_payment(%s, 100, 'M-1', 'infinity')$$, :app)),
          '22023: paid_at infinity is not a finite moment', 'paid_at infinity: 22023, named');
SELECT is(pg_temp.err('lic_gateway', format($$SELECT licensing.record_payment(%s, 100, 'M-2', '-infinity')$$, :app)),
          '22023: paid_at -infinity is not a finite moment', 'paid_at -infinity: 22023, named');
SELECT is(pg_temp.err('lic_gateway', format($$SELECT licensing.record_payment(%s, 100, 'M-3', '0044-03-15 12:00+00 BC')$$, :app)),
          '22008: paid_at 0044-03-15 12:00:00+00 BC is outside the years the history records', 'a BC paid_at: 22008, named');
SELECT is(pg_temp.err('lic_gateway', format($$SELECT licensing.record_payment(%s, 100, 'M-4', '4713-01-01 00:00+00 BC')$$, :app)),
          '22008: paid_at 4713-01-01 00:00:00+00 BC is outside the years the history records', 'the earliest timestamptz: 22008');
SELECT is(pg_temp.err('lic_gateway', format($$SELECT licensing.record_payment(%s, 100, 'M-5', '10000-01-01 00:00+00')$$, :app)),
          '22008: paid_at 10000-01-01 00:00:00+00 is outside the years the history records', 'a five-digit year: 22008');
SELECT is(pg_temp.err('lic_gateway', format($$SELECT licensing.record_payment(%s, 100, 'M-6', '294276-12-31 23:59:59+00')$$, :app)),
          '22008: paid_at 294276-12-31 23:59:59+00 is outside the years the history records', 'the latest timestamptz: 22008');
SELECT is((SELECT count(*) FROM licensing.application_payment WHERE application = :app), 0::bigint,
          'no refused payment was written');
SELECT is((SELECT count(*) FROM licensing.application_event WHERE application = :app AND what = 'record_payment'), 0::bigint,
          'no refused payment reached the history');
SELECT is(pg_temp.err('lic_gateway', format($$SELECT licensing.record_payment(%s, 100, 'M-7', '0001-01-01 00:00+00')$$, :app)),
          NULL, 'the first moment of year 1 is recorded');
SELECT is(pg_temp.err('lic_gateway', format($$SELECT licensing.record_payment(%s, 100, 'M-8', '9999-12-31 23:59:59.999999+00')$$, :app)),
          NULL, 'the last moment of year 9999 is recorded');
SELECT is((SELECT array_agg(payload->>'paid_at' ORDER BY seq) FROM licensing.application_event
            WHERE application = :app AND what = 'record_payment'),
          ARRAY['0001-01-01T00:00:00.000000Z', '9999-12-31T23:59:59.999999Z'], 'both recorded as they are');
SELECT ok(licensing.verify_history(:app), 'the history verifies');

-- ---- set_clock -------------------------------------------------------------------------
SELECT licensing.clock() AS clock_before \gset
SELECT is(pg_temp.err(NULL, $$SELECT licensing.set_clock('infinity')$$),
          '22023: workflow clock infinity is not a finite moment', 'set_clock(infinity): 22023, not XX000 later');
SELECT is(pg_temp.err(NULL, $$SELECT licensing.set_clock('-infinity')$$),
          '22023: workflow clock -infinity is not a finite moment', 'set_clock(-infinity): 22023');
SELECT is(pg_temp.err(NULL, $$SELECT licensing.set_clock('0001-12-31 23:59:59.999999+00 BC')$$),
          '22008: workflow clock 0001-12-31 23:59:59.999999+00 BC is outside the years the history records', 'a BC clock: 22008');
SELECT is(pg_temp.err(NULL, $$SELECT licensing.set_clock('10000-01-01 00:00+00')$$),
          '22008: workflow clock 10000-01-01 00:00:00+00 is outside the years the history records', 'a clock in year 10000: 22008');
SELECT is(licensing.clock(), :'clock_before'::timestamptz, 'the refused settings left the clock as it was');
SELECT is(pg_temp.err('lic_clerk', $$SELECT licensing.create_application('scrap-metal', 'issue', '160140001230', 'lic-south', channel => 'office')$$),
          NULL, 'the workflow goes on');

-- ---- suspend_licence(until) ------------------------------------------------------------
SELECT lic_test.walk('scrap-metal', 'issue', '160140001230',
    '{"annexes": [{"subtype": "Заготовка", "address": "Шымкент"}]}') AS a1 \gset
SELECT lic_test.licence_of(:a1) AS l1 \gset
SELECT count(*) AS events_before FROM licensing.licence_event WHERE licence = :'l1' \gset
SELECT is(pg_temp.err('lic_head', format($$SELECT licensing.suspend_licence(%L, 'court_decision', 'infinity')$$, :'l1')),
          '22023: suspension until infinity is not a finite day', 'until infinity: 22023, named');
SELECT is(pg_temp.err('lic_head', format($$SELECT licensing.suspend_licence(%L, 'court_decision', '294276-01-01')$$, :'l1')),
          '22008: suspension until 294276-01-01 is outside the years the history records', 'until 294276-01-01: 22008');
SELECT is(pg_temp.err('lic_head', format($$SELECT licensing.suspend_licence(%L, 'court_decision', '10000-01-01')$$, :'l1')),
          '22008: suspension until 10000-01-01 is outside the years the history records', 'until 10000-01-01: 22008');
SELECT is(pg_temp.err('lic_head', format($$SELECT licensing.suspend_licence(%L, 'court_decision', '5874897-12-31')$$, :'l1')),
          '22008: suspension until 5874897-12-31 is outside the years the history records', 'until the latest date: 22008');
SELECT is(pg_temp.err('lic_head', format($$SELECT licensing.suspend_licence(%L, 'court_decision', '-infinity')$$, :'l1')),
          '22023: suspension until -infinity is not a finite day', 'until -infinity: 22023');
SELECT is((SELECT status FROM licensing.licence WHERE number = :'l1'), 'active', 'the licence is still active');
SELECT is((SELECT count(*) FROM licensing.licence_event WHERE licence = :'l1'), :events_before::bigint,
          'no refused suspension reached the licence history');
SELECT is(pg_temp.err('lic_head', format($$SELECT licensing.suspend_licence(%L, 'court_decision', '9999-12-31')$$, :'l1')),
          NULL, 'until 9999-12-31 is recorded');
SELECT ok(licensing.verify_licence_history(:'l1'), 'the licence history verifies');

SELECT * FROM finish();
ROLLBACK;
