-- calendar_property: the C calendar against a straightforward SQL one, over
-- every day of the covered years and thousands of random (date, n) pairs,
-- before and after a DBA's changes of every kind (which the cache must see).
BEGIN;
SELECT plan(14);

-- The reference: the rule of DOMAIN §5 read directly off the tables.
CREATE FUNCTION pg_temp.naive_is_working(d date) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT CASE
        WHEN EXISTS (SELECT 1 FROM licensing.calendar_exception e WHERE e.day = d AND e.kind = 'working_day') THEN true
        WHEN EXISTS (SELECT 1 FROM licensing.calendar_exception e WHERE e.day = d AND e.kind IN ('holiday', 'day_off')) THEN false
        ELSE extract(isodow FROM d) < 6
    END
$$;
CREATE FUNCTION pg_temp.naive_add(d date, n integer) RETURNS date LANGUAGE sql STABLE AS $$
    SELECT CASE
        WHEN n = 0 THEN d
        WHEN n > 0 THEN (SELECT g::date FROM generate_series(d + 1, d + 3 * n + 30, interval '1 day') AS g
                          WHERE pg_temp.naive_is_working(g::date) ORDER BY g OFFSET n - 1 LIMIT 1)
        ELSE (SELECT g::date FROM generate_series(d - 1, d + 3 * n - 30, interval '-1 day') AS g
               WHERE pg_temp.naive_is_working(g::date) ORDER BY g DESC OFFSET -n - 1 LIMIT 1)
    END
$$;
CREATE FUNCTION pg_temp.naive_between(a date, b date) RETURNS integer LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN b >= a
        THEN (SELECT count(*)::integer FROM generate_series(a + 1, b, interval '1 day') AS g WHERE pg_temp.naive_is_working(g::date))
        ELSE -(SELECT count(*)::integer FROM generate_series(b, a - 1, interval '1 day') AS g WHERE pg_temp.naive_is_working(g::date))
    END
$$;

-- Random pairs, reproducible: 2,500 with |n| <= 40 and 500 with |n| <= 250.
SELECT setseed(0.20250305);
CREATE TEMP TABLE pairs AS
SELECT '2013-03-01'::date + (random() * 4960)::integer AS d,
       CASE WHEN i <= 2500 THEN (random() * 80 - 40)::integer ELSE (random() * 500 - 250)::integer END AS n
  FROM generate_series(1, 3000) AS i;

SELECT is((SELECT count(*) FROM generate_series('2012-01-01'::date, '2027-12-31', '1 day') AS g
            WHERE licensing.is_working_day(g::date) <> pg_temp.naive_is_working(g::date)),
          0::bigint, 'is_working_day agrees with the tables on every day of 2012-2027');

SELECT ok((SELECT bool_and(EXISTS (SELECT FROM pairs p, licensing.calendar_exception e
                                    WHERE e.kind = k AND e.day BETWEEN least(p.d, p.d + 2 * p.n) AND greatest(p.d, p.d + 2 * p.n)))
             FROM unnest(ARRAY['holiday', 'day_off', 'working_day']) AS k),
          'the random windows cross exceptions of every kind');

SELECT is((SELECT count(*) FROM pairs WHERE licensing.add_working_days(d, n) IS DISTINCT FROM pg_temp.naive_add(d, n)),
          0::bigint, 'add_working_days agrees with the SQL reference on 3,000 random (date, n) pairs');

SELECT is((SELECT count(*) FROM pairs WHERE n <> 0 AND n > -40 AND n < 40
              AND licensing.working_days_between(d, d + 2 * n) <> pg_temp.naive_between(d, d + 2 * n)),
          0::bigint, 'working_days_between agrees with the SQL reference');

SELECT is((SELECT count(*) FROM pairs
            WHERE licensing.working_days_between(d, licensing.add_working_days(d, n))
                  <> n AND n <> 0),
          0::bigint, 'working_days_between(d, add_working_days(d, n)) = n for n <> 0');

SELECT is((SELECT count(*) FROM pairs
            WHERE licensing.is_working_day(d)
              AND licensing.add_working_days(licensing.add_working_days(d, n), -n) <> d),
          0::bigint, 'from a working day, n forward then n back returns to it');

-- A DBA's changes of every kind, in this transaction: the cache must follow.
INSERT INTO licensing.calendar_exception (day, kind, name) VALUES
    ('2019-06-12', 'day_off', 'test: a weekday off'),
    ('2019-06-15', 'working_day', 'test: a working Saturday'),
    ('2021-09-08', 'holiday', 'test: a new holiday');
UPDATE licensing.calendar_exception SET kind = 'day_off' WHERE day = '2024-05-07';   -- holiday -> day_off: still off
DELETE FROM licensing.calendar_exception WHERE day = '2024-05-04';                    -- working Saturday removed
DELETE FROM licensing.calendar_exception WHERE day = '2023-07-07';                    -- a decree day off removed

SELECT is(licensing.is_working_day('2019-06-15'), true, 'a Saturday made working is seen at once');
SELECT is(licensing.is_working_day('2024-05-04'), false, 'a removed working Saturday is seen at once');
SELECT is(licensing.add_working_days('2019-06-11', 1), '2019-06-13'::date, 'a weekday off is skipped at once');

CREATE TEMP TABLE pairs2 AS
SELECT d, n FROM pairs
 WHERE d BETWEEN '2019-01-01' AND '2024-12-31' OR abs(n) > 200;
SELECT is((SELECT count(*) FROM pairs2 WHERE licensing.add_working_days(d, n) IS DISTINCT FROM pg_temp.naive_add(d, n)),
          0::bigint, 'after the changes, add_working_days still agrees with the SQL reference');
SELECT is((SELECT count(*) FROM generate_series('2019-01-01'::date, '2024-12-31', '1 day') AS g
            WHERE licensing.is_working_day(g::date) <> pg_temp.naive_is_working(g::date)),
          0::bigint, 'after the changes, is_working_day agrees on every day of 2019-2024');

-- Working time: whatever the start and amount, the clock measures back the
-- amount, and the end lies inside working hours of a working day.
CREATE TEMP TABLE moments AS
SELECT '2013-03-01 00:00+05'::timestamptz + (random() * 4900 * 86400) * interval '1 second' AS t,
       ((1 + random() * 6000)::integer) * interval '1 minute' AS amount
  FROM generate_series(1, 2000);
SELECT is((SELECT count(*) FROM moments
            WHERE licensing.working_time_between(t, licensing.add_working_time(t, amount)) <> amount),
          0::bigint, 'working_time_between(t, add_working_time(t, x)) = x on 2,000 random moments');
SELECT is((SELECT count(*) FROM moments,
                  LATERAL (SELECT licensing.add_working_time(t, amount) AT TIME ZONE '<+05>-05' AS e) AS x
            WHERE NOT licensing.is_working_day(e::date)
               OR e::time <= '09:00' OR e::time > '18:00'
               OR (e::time > '13:00' AND e::time <= '14:00')),
          0::bigint, 'every end lies in working hours (09:00-13:00, 14:00-18:00) of a working day');
SELECT is((SELECT count(*) FROM moments,
                  LATERAL (SELECT t + amount * 3 AS b, t + amount * 7 AS c) AS x
            WHERE licensing.working_time_between(t, b) + licensing.working_time_between(b, c)
                  <> licensing.working_time_between(t, c)),
          0::bigint, 'working_time_between adds up: (a, b) + (b, c) = (a, c)');

SELECT * FROM finish();
ROLLBACK;
