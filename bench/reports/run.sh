#!/usr/bin/env bash
# bench/reports/run.sh: P6 (QUALITY §2) — each reporting view of API §7, read
# for one provider by a licensing_reporter (application_history, which the
# reporter may not read, by a licensing_admin: the same all-rows scope),
# against the hand-written query for the same answer run directly on the tables
# by a superuser, in the same run.
#
#   APPS=100000 ROUNDS=5 TXNS=20 bash bench/reports/run.sh
#
# Own throw-away cluster; synthetic data from data.sql (APPS applications over
# 20 providers, 6 steps and about 10 events each, a closed step on the event
# that closed it, an open one on the application: at APPS=1000000, ~10 M events).
# Each round runs pgbench -t TXNS on the view and on the hand-written query,
# alternating; the figure is the median over ROUNDS of the mean latency, and
# the ratio view / hand-written.  Also prints whether any plan of a view for
# one provider scans application_event sequentially.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PG_CONFIG=${PG_CONFIG:-pg_config}
APPS=${APPS:-100000}
ROUNDS=${ROUNDS:-5}
TXNS=${TXNS:-20}
PGBIN=$("$PG_CONFIG" --bindir)
export PATH=$PGBIN:$PATH

source test/cluster.sh
DIR=$(mktemp -d /tmp/lic-bench-reports.XXXXXX)
chmod 755 "$DIR"
trap 'cluster_stop "$DIR"' EXIT
cluster_start "$DIR" "shared_buffers = 512MB" "max_parallel_workers_per_gather = 0" >/dev/null
psql -X -q -c "CREATE DATABASE bench" >/dev/null
export PGDATABASE=bench
psql -X -q -c "CREATE EXTENSION licensing" -c "CREATE ROLE bench_reporter LOGIN IN ROLE licensing_reporter" \
     -c "CREATE ROLE bench_admin LOGIN IN ROLE licensing_admin" >/dev/null
echo "== loading $APPS applications (~$((APPS * 10)) events)"
start=$(date +%s)
psql -X -q -v ON_ERROR_STOP=1 -v apps="$APPS" -f bench/reports/data.sql >/dev/null
echo "   loaded in $(( $(date +%s) - start )) s: $(psql -X -At -c "SELECT pg_size_pretty(pg_database_size('bench'))")"

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
latency() {  # latency <user> <file>: mean latency in ms of TXNS runs
    pgbench -n -U "$1" -t "$TXNS" -f "$2" 2>/dev/null | awk '/latency average/ { print $4 }'
}

printf '\n%-12s %12s %12s %8s  %s\n' view "view ms" "hand ms" ratio "seq scan of application_event?"
for q in register history overdue compliance quality refusals; do
    v=(); h=()
    reader=bench_reporter
    [ "$q" = history ] && reader=bench_admin
    for _ in $(seq "$ROUNDS"); do
        v+=("$(latency $reader bench/reports/queries/${q}_view.sql)")
        h+=("$(latency postgres bench/reports/queries/${q}_hand.sql)")
    done
    mv=$(printf '%s\n' "${v[@]}" | median)
    mh=$(printf '%s\n' "${h[@]}" | median)
    plan=$(psql -X -At -U $reader -c "EXPLAIN $(cat bench/reports/queries/${q}_view.sql)")
    if echo "$plan" | grep -q "Seq Scan on application_event"; then seq=yes; else seq=no; fi
    printf '%-12s %12.3f %12.3f %8.2f  %s\n' "$q" "$mv" "$mh" "$(echo "$mv $mh" | awk '{ print $1 / $2 }')" "$seq"
done

# What the report indexes (application_event_late_step_idx,
# application_refused_idx, application_event_intake_refused_idx, and the open
# steps' application_step_due_idx)
# cost a workflow step's writes: pgbench on step.sql for STEP_SECONDS with and
# without them, alternating.
STEP_SECONDS=${STEP_SECONDS:-10}
IDX="CREATE INDEX application_event_late_step_idx ON licensing.application_event (step_due_at) WHERE at > step_due_at;
     CREATE INDEX application_refused_idx ON licensing.application (provider, decided_at) WHERE outcome = 'refused';
     CREATE INDEX application_event_intake_refused_idx ON licensing.application_event (application) WHERE what = 'intake_refused';
     CREATE INDEX application_step_due_idx ON licensing.application (step_due_at) WHERE step IS NOT NULL;"
NOIDX="DROP INDEX licensing.application_event_late_step_idx, licensing.application_refused_idx,
                  licensing.application_event_intake_refused_idx, licensing.application_step_due_idx;"
tps() { PGOPTIONS="-c session_replication_role=replica" pgbench -n -c 2 -j 2 -T "$STEP_SECONDS" -D apps="$APPS" \
            -f bench/reports/queries/step.sql 2>/dev/null | awk '/^tps/ { print $3 }'; }
w=(); wo=()
for _ in $(seq 3); do
    w+=("$(tps)")
    psql -X -q -c "$NOIDX"
    wo+=("$(tps)")
    psql -X -q -c "$IDX"
done
mw=$(printf '%s\n' "${w[@]}" | median)
mwo=$(printf '%s\n' "${wo[@]}" | median)
printf '\nstep writes, 2 clients, %s s x 3: with report indexes %.0f tps, without %.0f tps: %.2fx\n' \
    "$STEP_SECONDS" "$mw" "$mwo" "$(echo "$mw $mwo" | awk '{ print $1 / $2 }')"
