#!/usr/bin/env bash
# deadlines_cron: check_deadlines as pg_cron runs it (README "Deadlines that act").
# A cluster of its own with shared_preload_libraries = pg_cron; the one
# cron.schedule line of the README; the overdue steps' events appear in the
# applications' chains and a LISTEN licensing_deadlines session receives the
# notifications.  Then two sweeps at once (READ COMMITTED, as pg_cron runs them,
# and REPEATABLE READ) record each step's event once.  pgTAP cannot show any of
# this: its transaction never commits and no other session sees it.
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
OUT=${WORK_DIR:-/tmp/deadlines_cron}
mkdir -p "$OUT"
chmod 755 "$OUT"
n=0
check() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fi; }
source test/cluster.sh
if [ ! -f "$("$PG_CONFIG" --pkglibdir)/pg_cron.so" ]; then
    echo "ok 1 # SKIP pg_cron is not installed for this server (postgresql-15-cron, test/deps.sh)"
    exit 0
fi
DB=dl_cron
cluster_start "$OUT/cluster" "shared_preload_libraries = 'pg_cron'" "cron.database_name = '$DB'" \
    "cron.use_background_workers = on" "max_worker_processes = 16" || exit 1
trap 'cluster_stop "$OUT/cluster"' EXIT
q() { psql -X -At -v ON_ERROR_STOP=1 -d $DB -c "$1"; }

psql -X -q -d postgres -c "CREATE DATABASE $DB" || exit 1
psql -X -q -v ON_ERROR_STOP=1 -v pki="${LICENSING_PKI:-$ROOT/test/fixtures/pki}" -d $DB >"$OUT/fill.out" 2>&1 <<'SQL' || { cat "$OUT/fill.out"; exit 1; }
CREATE EXTENSION pg_cron;
CREATE EXTENSION licensing;
SET test_pki.dir = :'pki';
\i test/fixtures/signing.sql
SELECT test_pki.load_trust();
\i test/fixtures/workflow.sql
-- March 2025: by the server's real clock every open step is long overdue
SELECT wf_test.advance(wf_test.draft('scrap-metal', '160140001230', 'sko'), 'submitted');
SELECT wf_test.advance(wf_test.draft('scrap-metal', '160140001230', 'sko', 'office'), 'assigned');
SELECT wf_test.advance(wf_test.draft('scrap-metal', '160140001230', 'sko'), 'delivered');
SQL

# the listener: LISTEN, then one statement a second (psql prints what arrived after each) until told to stop
rm -f "$OUT/stop"
( echo "LISTEN licensing_deadlines;"
  for _ in $(seq 1 150); do [ -f "$OUT/stop" ] && break; echo "SELECT pg_sleep(1);"; sleep 1; done ) |
    psql -X -d $DB >"$OUT/listener.out" 2>&1 &
listener=$!
sleep 1

# the README's line, as the superuser (the job runs as the role that schedules it)
q "SELECT cron.schedule('licensing-deadlines', '* * * * *', 'SELECT licensing.check_deadlines()')" >"$OUT/schedule.out" 2>&1
check "cron.schedule takes the README's line" '[ -s "$OUT/schedule.out" ] && grep -qE "^[0-9]+$" "$OUT/schedule.out"'

# pg_cron starts jobs on the minute: wait for the sweep (at most two minutes)
events=0
for _ in $(seq 1 130); do
    events=$(q "SELECT count(*) FROM licensing.application_event WHERE what = 'overdue'")
    [ "$events" -ge 2 ] && break
    sleep 1
done
sleep 2
touch "$OUT/stop"
wait $listener
check "pg_cron ran check_deadlines: two overdue events appeared (register, confirm_complete)" '[ "$events" -eq 2 ]'
check "cron.job_run_details says the run succeeded" \
      '[ "$(q "SELECT count(*) FROM cron.job_run_details WHERE status = '"'"'succeeded'"'"' AND command LIKE '"'"'%check_deadlines%'"'"'")" -ge 1 ]'
check "the events name the steps that were open" \
      '[ "$(q "SELECT string_agg(e.payload->>'"'"'step'"'"', '"'"','"'"' ORDER BY e.application) FROM licensing.application_event e WHERE e.what = '"'"'overdue'"'"'")" = "register,confirm_complete" ]'
check "every chain verifies with the events pg_cron recorded" '[ "$(q "SELECT licensing.verify_history()")" = t ]'
grep 'Asynchronous notification "licensing_deadlines"' "$OUT/listener.out" | sed 's/.*payload "//; s/" received.*//' >"$OUT/payloads.txt"
check "the LISTEN session received two notifications on licensing_deadlines" '[ "$(wc -l <"$OUT/payloads.txt")" -eq 2 ]'
check "each payload is application, number, event, step, due_at, at" \
      '[ "$(while IFS= read -r p; do q "SELECT ARRAY(SELECT jsonb_object_keys(\$x\$$p\$x\$::jsonb) ORDER BY 1)::text"; done <"$OUT/payloads.txt" | sort -u)" = "{application,at,due_at,event,number,step}" ]'
sleep 61
check "a minute later the next runs recorded nothing twice" \
      '[ "$(q "SELECT count(*) FROM licensing.application_event WHERE what = '"'"'overdue'"'"'")" -eq 2 ]'
q "SELECT cron.unschedule('licensing-deadlines')" >/dev/null

# ---- two sweeps at once: new overdue steps, then two sessions sweep together
psql -X -q -v ON_ERROR_STOP=1 -d $DB >>"$OUT/fill.out" 2>&1 <<'SQL'
SELECT set_config('search_path', 'public', false);
SELECT licensing.set_clock('2025-03-03 10:00+05');
SELECT wf_test.advance(wf_test.draft('scrap-metal', '160140001230', 'sko'), 'submitted') FROM generate_series(1, 20);
SQL
sweep() { psql -X -At -d $DB -c "BEGIN ISOLATION LEVEL $1" -c "SELECT 'recorded', licensing.check_deadlines()" -c "SELECT pg_sleep(1)" -c "COMMIT" 2>&1; }
sweep "READ COMMITTED" >"$OUT/sweep1.out" & s1=$!
sweep "READ COMMITTED" >"$OUT/sweep2.out" & s2=$!
wait $s1 $s2
r1=$(sed -n 's/^recorded|//p' "$OUT/sweep1.out"); r2=$(sed -n 's/^recorded|//p' "$OUT/sweep2.out")
check "two READ COMMITTED sweeps at once record the 20 new steps once between them ($r1 + $r2)" '[ $((r1 + r2)) -eq 20 ] && [ "$r1" -eq 0 -o "$r2" -eq 0 ]'
check "no step has two overdue events" \
      '[ "$(q "SELECT count(*) FROM (SELECT application, payload->>'"'"'step_started_at'"'"' FROM licensing.application_event WHERE what = '"'"'overdue'"'"' GROUP BY 1, 2 HAVING count(*) > 1) d")" -eq 0 ]'

psql -X -q -v ON_ERROR_STOP=1 -d $DB >>"$OUT/fill.out" 2>&1 <<'SQL'
SELECT licensing.set_clock('2025-03-03 10:00+05');
SELECT wf_test.advance(wf_test.draft('scrap-metal', '160140001230', 'sko'), 'submitted') FROM generate_series(1, 5);
SQL
before=$(q "SELECT count(*) FROM licensing.application_event WHERE what = 'overdue'")
# each takes its snapshot first and sweeps 3 s later, so both snapshots predate
# either sweep's commit however slowly the two psql start on a loaded machine
sweep_late() { psql -X -At -d $DB -c "BEGIN ISOLATION LEVEL $1" -c "SELECT 'snapshot', count(*) FROM licensing.application" \
                    -c "SELECT pg_sleep(3)" -c "SELECT 'recorded', licensing.check_deadlines()" -c "COMMIT" 2>&1; }
sweep_late "REPEATABLE READ" >"$OUT/sweep3.out" & s3=$!
sweep_late "REPEATABLE READ" >"$OUT/sweep4.out" & s4=$!
wait $s3 $s4
after=$(q "SELECT count(*) FROM licensing.application_event WHERE what = 'overdue'")
check "two REPEATABLE READ sweeps at once: the 5 new steps recorded once ($before -> $after), the late snapshot refused" \
      '[ $((after - before)) -eq 5 ] && cat "$OUT/sweep3.out" "$OUT/sweep4.out" | grep -qE "duplicate key|could not serialize"'
check "every chain still verifies" '[ "$(q "SELECT licensing.verify_history()")" = t ]'

[ "$events" -eq 2 ] || { echo "# listener:"; sed 's/^/# /' "$OUT/listener.out" | tail -20; }
