#!/usr/bin/env bash
# bench/calendar/run.sh: benchmark P2 (QUALITY §2) on a throw-away cluster.
#
# licensing.add_working_days(d, n) (C, cached calendar: two array lookups)
# against the naive SQL a developer would write (generate_series over the days,
# NOT EXISTS on licensing.calendar_exception), for n = 2, 15, 22, 250.
# Each figure is the time per call net of the harness's own per-row cost
# (the same scan computing count(d)), the median of ROUNDS rounds in one run.
# Targets: C >= 50x faster than the naive SQL at n = 15 and <= 1 us a call;
# C at n = 250 within 1.5x of C at n = 2.
#
#   PG_CONFIG=... bash bench/calendar/run.sh        (ROUNDS=7, C_ROWS=200000)
set -euo pipefail
cd "$(dirname "$0")/../.."
export PG_CONFIG=${PG_CONFIG:-pg_config}
ROUNDS=${ROUNDS:-7}
C_ROWS=${C_ROWS:-200000}

make -s >/dev/null && make -s install >/dev/null
source test/cluster.sh
DIR=$(mktemp -d /tmp/licensing-bench-cal.XXXXXX)
chmod 755 "$DIR"
trap 'cluster_stop "$DIR"' EXIT
cluster_start "$DIR" "jit = off" "max_parallel_workers_per_gather = 0"

psql -X -q -v ON_ERROR_STOP=1 -v rounds="$ROUNDS" -v c_rows="$C_ROWS" <<'SQL'
CREATE EXTENSION licensing;
DO $$ BEGIN PERFORM setseed(0.15); END $$;
CREATE TABLE bench_dates (id integer PRIMARY KEY, d date NOT NULL);
INSERT INTO bench_dates SELECT i, '2013-01-01'::date + (random() * 4900)::integer FROM generate_series(1, :c_rows) AS i;
VACUUM ANALYZE bench_dates;

CREATE FUNCTION bench_ms(q text) RETURNS double precision LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz;
BEGIN
    t0 := clock_timestamp();
    EXECUTE q;
    RETURN extract(epoch FROM clock_timestamp() - t0) * 1000;
END $$;

-- The naive SQL: walk the days, keep the working ones, take the n-th.
CREATE FUNCTION naive_query(n integer, rows integer) RETURNS text LANGUAGE sql AS $$
SELECT format($q$
SELECT count((SELECT g::date FROM generate_series(b.d + 1, b.d + %1$s, interval '1 day') AS g
               WHERE (extract(isodow FROM g) < 6
                      AND NOT EXISTS (SELECT 1 FROM licensing.calendar_exception e
                                       WHERE e.day = g::date AND e.kind IN ('holiday', 'day_off')))
                  OR EXISTS (SELECT 1 FROM licensing.calendar_exception e
                              WHERE e.day = g::date AND e.kind = 'working_day')
               ORDER BY g OFFSET %2$s LIMIT 1))
  FROM bench_dates b WHERE b.id <= %3$s$q$, 3 * n + 30, n - 1, rows)
$$;

-- Both give the same answers (on a sample), or the benchmark means nothing.
DO $$
DECLARE n integer; bad bigint; r date;
BEGIN
    FOREACH n IN ARRAY ARRAY[2, 15, 22, 250] LOOP
        SELECT count(*) INTO bad FROM bench_dates b
         WHERE b.id <= 300 AND licensing.add_working_days(b.d, n) <>
               (SELECT g::date FROM generate_series(b.d + 1, b.d + 3 * n + 30, interval '1 day') AS g
                 WHERE (extract(isodow FROM g) < 6 AND NOT EXISTS (SELECT 1 FROM licensing.calendar_exception e
                        WHERE e.day = g::date AND e.kind IN ('holiday', 'day_off')))
                    OR EXISTS (SELECT 1 FROM licensing.calendar_exception e WHERE e.day = g::date AND e.kind = 'working_day')
                 ORDER BY g OFFSET n - 1 LIMIT 1);
        IF bad > 0 THEN RAISE EXCEPTION 'C and naive SQL disagree for n = %: % dates', n, bad; END IF;
    END LOOP;
END $$;

SET bench.rounds = :rounds;
CREATE TEMP TABLE runs (round integer, n integer, what text, rows integer, ms double precision);
DO $$
DECLARE
    r integer; n integer; naive_rows integer; c_rows integer;
BEGIN
    SELECT count(*) INTO c_rows FROM bench_dates;
    PERFORM bench_ms('SELECT count(licensing.add_working_days(d, 1)) FROM bench_dates');  -- warm-up: builds the cache
    FOR r IN 1 .. current_setting('bench.rounds')::integer LOOP
        FOREACH n IN ARRAY ARRAY[2, 15, 22, 250] LOOP
            naive_rows := CASE WHEN n >= 100 THEN 100 ELSE 400 END;
            INSERT INTO runs VALUES
              (r, n, 'harness', c_rows, bench_ms(format('SELECT count(d) FROM bench_dates WHERE id <= %s', c_rows))),
              (r, n, 'c', c_rows, bench_ms(format('SELECT count(licensing.add_working_days(d, %s)) FROM bench_dates WHERE id <= %s', n, c_rows))),
              (r, n, 'harness_naive', naive_rows, bench_ms(format('SELECT count(d) FROM bench_dates b WHERE b.id <= %s', naive_rows))),
              (r, n, 'naive', naive_rows, bench_ms(naive_query(n, naive_rows)));
        END LOOP;
    END LOOP;
END $$;

-- Per call, net of the harness: medians over the rounds.
CREATE TEMP VIEW per_call AS
SELECT n,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY h.ms * 1000 / h.rows) AS harness_us,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY (c.ms - h.ms) * 1000 / c.rows) AS c_us,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY (v.ms - hv.ms) * 1000 / v.rows) AS naive_us
  FROM runs c
  JOIN runs h USING (round, n)
  JOIN runs v USING (round, n)
  JOIN runs hv USING (round, n)
 WHERE c.what = 'c' AND h.what = 'harness' AND v.what = 'naive' AND hv.what = 'harness_naive'
 GROUP BY n;
\echo
\echo 'P2: licensing.add_working_days(d, n) vs naive SQL, microseconds per call net of the harness, median of the rounds'
SELECT n,
       round(harness_us::numeric, 3) AS "harness us/row",
       round(c_us::numeric, 3) AS "C us/call",
       round(naive_us::numeric, 1) AS "naive SQL us/call",
       round((naive_us / c_us)::numeric, 0) || 'x' AS "C faster by",
       round((c_us / (SELECT c_us FROM per_call WHERE n = 2))::numeric, 2) AS "C cost vs n=2"
  FROM per_call ORDER BY n;
SELECT CASE WHEN (SELECT naive_us / c_us FROM per_call WHERE n = 15) >= 50 THEN 'met' ELSE 'NOT met' END
           AS "target >= 50x at n = 15",
       CASE WHEN (SELECT c_us FROM per_call WHERE n = 15) <= 1 THEN 'met' ELSE 'NOT met' END
           AS "target <= 1 us at n = 15",
       CASE WHEN (SELECT c_us FROM per_call WHERE n = 250) <= 1.5 * (SELECT c_us FROM per_call WHERE n = 2)
            THEN 'met' ELSE 'NOT met' END AS "target n=250 within 1.5x of n=2";
SQL
