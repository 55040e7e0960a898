#!/usr/bin/env bash
# workflow_crash (R2): kill -9 of the postmaster (and then of its children, by
# their ids) under a pgbench load of whole workflows; after recovery every
# committed application is whole (its history chain and row agree), no
# application or licence number is duplicated, and the workflow goes on.
set -uo pipefail
cd "$(dirname "$0")/../.."
source test/cluster.sh
DIR=${WORK_DIR:-/tmp/wf_crash}/cluster
mkdir -p "$(dirname "$DIR")"
chmod 755 "$(dirname "$DIR")"
n=0
check() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fi; }
trap 'cluster_stop "$DIR"' EXIT
cluster_start "$DIR" "synchronous_commit = on" >/dev/null || { echo "not ok 1 - cluster starts"; exit 1; }
PGBENCH=$PGBIN/pgbench

psql -X -q -v ON_ERROR_STOP=1 >/dev/null 2>&1 <<'SQL' || { echo "not ok 1 - setup"; exit 1; }
SET client_min_messages = warning;
CREATE EXTENSION licensing;
\i test/fixtures/workflow.sql
DROP SCHEMA wf_test CASCADE;
SQL

cat >"$DIR/walk.sql" <<'EOF'
SET ROLE wf_clerk;
SELECT licensing.create_application('eco-expertise', 'issue', '901120405675', 'krg', channel => 'office') AS app \gset
SELECT licensing.submit(:app);
SELECT licensing.register(:app);
SET ROLE wf_head;
SELECT licensing.assign(:app, 'wf_exec');
SET ROLE wf_exec;
SELECT licensing.confirm_complete(:app);
SELECT licensing.grant(:app);
RESET ROLE;
EOF

"$PGBENCH" -n -M simple -c 2 -j 2 -T 30 -f "$DIR/walk.sql" postgres >"$DIR/pgbench.out" 2>&1 &
bench=$!
sleep 4
pm=$(head -1 "$DIR/data/postmaster.pid")
children=$(pgrep -P "$pm" | tr '\n' ' ')
kill -9 "$pm"
# shellcheck disable=SC2086
[ -n "$children" ] && kill -9 $children 2>/dev/null
wait "$bench" 2>/dev/null
check "the server was killed under load (pgbench lost its connections)" 'grep -qiE "terminat|connection|server closed|aborted" "$DIR/pgbench.out"'

for _ in $(seq 1 100); do kill -0 "$pm" 2>/dev/null || break; sleep 0.1; done
as_cluster_owner "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 120 start >/dev/null 2>&1
check "the server recovers and accepts connections" 'psql -X -At -c "SELECT 1" >/dev/null 2>&1' || true
psql -X -At -c "SELECT 1" >/dev/null 2>&1 || tail -20 "$DIR/server.log" | sed 's/^/# /'
check "the log shows crash recovery" 'grep -qiE "not properly shut down|redo (starts|done)|automatic recovery" "$DIR/server.log"'

apps=$(psql -X -At -c "SELECT count(*) FROM licensing.application")
check "committed applications survive ($apps)" '[ "$apps" -gt 0 ]'
check "every history chain verifies and every row equals its recorded changes" '[ "$(psql -X -At -c "SELECT licensing.verify_history()")" = t ]'
check "no application number is duplicated" \
      '[ "$(psql -X -At -c "SELECT count(number) = count(DISTINCT number) FROM licensing.application")" = t ]'
check "no licence number allocated twice" \
      '[ "$(psql -X -At -c "SELECT count(result_number) = count(DISTINCT result_number) FROM licensing.application")" = t ]'
check "every application has at most one open step, and one for each state that has a step" \
      '[ "$(psql -X -At -c "SELECT count(*) FROM licensing.application a WHERE (SELECT count(*) FROM licensing.application_step s WHERE s.application = a.id AND s.finished_at IS NULL) <> CASE WHEN a.state IN ('"'"'draft'"'"', '"'"'delivered'"'"', '"'"'withdrawn'"'"') THEN 0 ELSE 1 END")" = 0 ]'
"$PGBENCH" -n -M simple -c 1 -t 3 -f "$DIR/walk.sql" postgres >"$DIR/after.out" 2>&1
check "the workflow goes on after recovery" 'grep -q "number of failed transactions: 0" "$DIR/after.out" || grep -q "processed: 3/3" "$DIR/after.out"'
check "new numbers do not clash with the old ones" \
      '[ "$(psql -X -At -c "SELECT count(number) = count(DISTINCT number) FROM licensing.application")" = t ]'
