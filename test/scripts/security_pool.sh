#!/usr/bin/env bash
# security_pool: the applicant named by act_for never outlives the transaction
# that named it, through a real PgBouncer in transaction mode (API §0, revision 2).
#
# Two portal clients log in as the same service account through one PgBouncer
# (pool_mode = transaction, default_pool_size = 1), so every transaction of
# either runs on the same server connection.  Client A acts for the company,
# client B for the person; interleaved, a transaction of B that did not call
# act_for must not act for A's applicant, see A's rows, or create for it.
# Before revision 2 act_for lasted for the backend's session, and B inherited A's
# applicant from the connection.
set -uo pipefail
cd "$(dirname "$0")/../.."
source test/cluster.sh
DB=sec_pool
OUT=${WORK_DIR:-/tmp/sec_pool}
rm -rf "$OUT"
mkdir -p "$OUT"
chmod 755 "$OUT"
[ "$(id -u)" = 0 ] && chown postgres: "$OUT"
n=0
check() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; echo "# got: ${got:-}"; fi; }

COMPANY=160140001230
PERSON=901120405675

psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null || exit 1
psql -X -q -v ON_ERROR_STOP=1 -d $DB -c "CREATE EXTENSION licensing" -f test/fixtures/workflow.sql >/dev/null 2>"$OUT/setup.err" \
    || { cat "$OUT/setup.err"; exit 1; }
# one draft of each applicant, committed
psql -X -q -At -v ON_ERROR_STOP=1 -d $DB >"$OUT/drafts.out" 2>&1 <<SQL || { cat "$OUT/drafts.out"; exit 1; }
SELECT wf_test.draft('scrap-metal', '$COMPANY', 'sko');
SELECT wf_test.draft('eco-expertise', '$PERSON', 'krg');
SQL

# PgBouncer, in its own directory, on a Unix socket and a port of its own
BPORT=$(free_port) || exit 1
cat >"$OUT/pgbouncer.ini" <<INI
[databases]
$DB = host=$PGHOST port=$PGPORT dbname=$DB
[pgbouncer]
listen_addr =
listen_port = $BPORT
unix_socket_dir = $OUT
auth_type = trust
auth_file = $OUT/userlist.txt
pool_mode = transaction
default_pool_size = 1
min_pool_size = 0
reserve_pool_size = 0
max_client_conn = 20
server_reset_query =
ignore_startup_parameters = extra_float_digits
logfile = $OUT/pgbouncer.log
pidfile = $OUT/pgbouncer.pid
INI
echo '"wf_portal" ""' >"$OUT/userlist.txt"
[ "$(id -u)" = 0 ] && chown postgres: "$OUT"/pgbouncer.ini "$OUT"/userlist.txt
as_cluster_owner pgbouncer -d "$OUT/pgbouncer.ini" >"$OUT/pgbouncer.start" 2>&1 \
    || { cat "$OUT/pgbouncer.start" "$OUT/pgbouncer.log" 2>/dev/null; exit 1; }
stop_bouncer() {
    [ -f "$OUT/pgbouncer.pid" ] && kill "$(cat "$OUT/pgbouncer.pid")" 2>/dev/null
    exec 3>&- 4>&- 2>/dev/null
    wait 2>/dev/null
}
trap stop_bouncer EXIT
for _ in $(seq 1 50); do [ -S "$OUT/.s.PGSQL.$BPORT" ] && break; sleep 0.1; done

# The two clients: psql sessions fed through FIFOs, one statement at a time.
mkfifo "$OUT/a.in" "$OUT/b.in"
PGUSER=wf_portal psql -X -q -At -h "$OUT" -p "$BPORT" -d $DB -v ON_ERROR_STOP=0 <"$OUT/a.in" >"$OUT/a.out" 2>&1 &
exec 3>"$OUT/a.in"
PGUSER=wf_portal psql -X -q -At -h "$OUT" -p "$BPORT" -d $DB -v ON_ERROR_STOP=0 <"$OUT/b.in" >"$OUT/b.out" 2>&1 &
exec 4>"$OUT/b.in"
echo 0 >"$OUT/step"
# send CLIENT FD SQL: sends SQL to a client between two marks, prints the mark
# (called in $(...) subshells too: the step counter lives in a file)
send() {
    local fd=$2 sql=$3 mark step
    step=$(($(cat "$OUT/step") + 1))
    echo $step >"$OUT/step"
    mark="--step $step--"
    printf '\\echo %s\n%s\n\\echo %s\n' "$mark" "$sql" "$mark" >&"$fd"
    echo "$mark"
}
# answer CLIENT MARK: waits for the client's answer between the marks, prints it
answer() {
    local client=$1 mark=$2
    for _ in $(seq 1 1200); do      # up to a minute (a server under valgrind is slow)
        [ "$(grep -c -- "$mark" "$OUT/$client.out")" -ge 2 ] && break
        sleep 0.05
    done
    sed -n "/^$mark\$/,/^$mark\$/p" "$OUT/$client.out" | sed '1d;$d;/^$/d'
}
# run CLIENT FD SQL: both
run() { answer "$1" "$(send "$@")"; }

# each client's own server connection: the same one, through the pool of one
pid_a=$(run a 3 "SELECT pg_backend_pid();")
pid_b=$(run b 4 "SELECT pg_backend_pid();")
check "both clients run on one server connection (pool of one, transaction mode)" '[ -n "$pid_a" ] && [ "$pid_a" = "$pid_b" ]'

# A names its applicant in a transaction of its own (autocommit)
run a 3 "SELECT licensing.act_for('$COMPANY');" >/dev/null
got=$(run b 4 "SELECT coalesce(licensing.acting_for(), 'none');")
check "B, without act_for, does not act for A's applicant after A's autocommit act_for" '[ "$got" = none ]'
got=$(run b 4 "SELECT count(*) FROM licensing.application;")
check "B sees none of A's applications" '[ "$got" = 0 ]'

# A works in an explicit transaction and commits
got=$(run a 3 "BEGIN; SELECT licensing.act_for('$COMPANY'); SELECT string_agg(applicant, ',') FROM licensing.application; COMMIT;")
check "A sees its own application inside the transaction that named it" '[ "$got" = "$COMPANY" ]'
got=$(run b 4 "SELECT coalesce(licensing.acting_for(), 'none');")
check "after A's COMMIT, B does not act for A's applicant" '[ "$got" = none ]'
got=$(run b 4 "SELECT count(*) FROM licensing.application_document;")
check "after A's COMMIT, B sees none of A's documents" '[ "$got" = 0 ]'
got=$(run b 4 "SELECT licensing.create_application('scrap-metal', 'issue', '$COMPANY', 'sko');")
check "after A's COMMIT, B cannot create an application for A's applicant (42501)" '[[ "$got" == *"does not act for applicant $COMPANY"* ]]'

# A names its applicant and rolls back
run a 3 "BEGIN; SELECT licensing.act_for('$COMPANY'); ROLLBACK;" >/dev/null
got=$(run b 4 "SELECT coalesce(licensing.acting_for(), 'none');")
check "after A's ROLLBACK, B does not act for A's applicant" '[ "$got" = none ]'

# B acts for its own applicant in its transaction, then A's next transaction is clean
got=$(run b 4 "BEGIN; SELECT licensing.act_for('$PERSON'); SELECT string_agg(applicant, ',') FROM licensing.application; COMMIT;")
check "B sees only its own applicant's application while it acts for it" '[ "$got" = "$PERSON" ]'
got=$(run a 3 "SELECT coalesce(licensing.acting_for(), 'none') || '/' || (SELECT count(*) FROM licensing.application);")
check "A, in its next transaction without act_for, acts for nobody and sees nothing" '[ "$got" = none/0 ]'

# interleaved: B's request waits for the one server connection while A's
# transaction, which named A's applicant, is open; it runs after A's COMMIT
run a 3 "BEGIN; SELECT licensing.act_for('$COMPANY');" >/dev/null
mark_b=$(send b 4 "SELECT coalesce(licensing.acting_for(), 'none') || '/' || (SELECT count(*) FROM licensing.application);")
sleep 0.5
early=$(grep -c -- "$mark_b" "$OUT/b.out")
got=$(run a 3 "SELECT string_agg(applicant, ',') FROM licensing.application; COMMIT;")
check "A's open transaction holds the connection and acts for A (B waits)" '[ "$early" -le 1 ] && [ "$got" = "$COMPANY" ]'
got=$(answer b "$mark_b")
check "B's request, queued behind A's open transaction, acts for nobody and sees nothing" '[ "$got" = none/0 ]'

# DISCARD ALL (what a pool in session mode sends between clients) leaves nothing
run a 3 "SELECT licensing.act_for('$COMPANY'); DISCARD ALL;" >/dev/null
got=$(run b 4 "SELECT coalesce(licensing.acting_for(), 'none');")
check "after act_for and DISCARD ALL, the connection acts for nobody" '[ "$got" = none ]'

pid_a2=$(run a 3 "SELECT pg_backend_pid();")
check "the clients were still sharing one server connection at the end" '[ "$pid_a2" = "$pid_a" ]'

exec 3>&- 4>&-
wait 2>/dev/null
psql -X -q -d postgres -c "DROP DATABASE $DB" >/dev/null 2>&1
echo; true
