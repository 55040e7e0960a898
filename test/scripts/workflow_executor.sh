#!/usr/bin/env bash
# workflow_executor: a step's writes are statements run by PostgreSQL's executor
# (issue #19), so what watches statements sees them:
#   - pgaudit (loaded by shared_preload_libraries on a cluster of this test's own)
#     logs every write of a walked application, by session auditing
#     (pgaudit.log = write) and by object auditing (pgaudit.role), on both
#     licensing.application and licensing.application_event;
#   - a publication of licensing.application_event delivers the walked
#     application's events to a subscriber (a second local cluster);
#   - a DBA partitions licensing.application_event by month after install: every
#     step appends to the partitions and verify_history still answers true.
set -uo pipefail
cd "$(dirname "$0")/../.."
source test/cluster.sh
OUT=${WORK_DIR:-/tmp/licensing_executor}
mkdir -p "$OUT"
chmod 755 "$OUT"
PKI=${LICENSING_PKI:-$PWD/test/fixtures/pki}
n=0
check() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fi; }

PUB="$OUT/pub"
SUB="$OUT/sub"
trap 'cluster_stop "$PUB"; cluster_stop "$SUB"' EXIT

cluster_start "$SUB" || exit 1
SUBHOST=$PGHOST SUBPORT=$PGPORT
cluster_start "$PUB" "shared_preload_libraries = 'pgaudit'" "wal_level = logical" \
    "pgaudit.log = 'write'" "pgaudit.log_relation = on" "pgaudit.role = 'auditor'" || exit 1
PUBHOST=$PGHOST PUBPORT=$PGPORT
qp() { psql -X -At -v ON_ERROR_STOP=1 -h "$PUBHOST" -p "$PUBPORT" -d "$1" -c "$2"; }
qs() { psql -X -At -v ON_ERROR_STOP=1 -h "$SUBHOST" -p "$SUBPORT" -d postgres -c "$2"; }

# ---- the publisher: licensing with pgaudit's object auditor and a publication of the history
psql -X -q -v ON_ERROR_STOP=1 -v pki="$PKI" -h "$PUBHOST" -p "$PUBPORT" -d postgres >"$OUT/setup.out" 2>&1 <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION pgaudit;
CREATE EXTENSION licensing;
RESET search_path;
CREATE ROLE auditor NOLOGIN;
GRANT UPDATE ON licensing.application TO auditor;
GRANT INSERT ON licensing.application_event TO auditor;
CREATE PUBLICATION history FOR TABLE licensing.application_event;
SQL
rc=$?
check "a cluster with pgaudit preloaded and wal_level = logical installs licensing and publishes its history" '[ $rc -eq 0 ]'
[ $rc -eq 0 ] || sed 's/^/# /' "$OUT/setup.out" | tail -20

# ---- the subscriber: the history's columns (identifiers as text) and a subscription
qs postgres "CREATE SCHEMA licensing;
  CREATE TABLE licensing.application_event (application bigint, seq integer, at timestamptz, actor_role name,
      actor_iin text, what text, from_state text, to_state text, payload jsonb, prev_hash bytea, hash bytea,
      step text, step_position integer, step_performer text, step_started_at timestamptz, step_due_at timestamptz,
      chain_encoding smallint, PRIMARY KEY (application, seq));" >/dev/null
qs postgres "CREATE SUBSCRIPTION history CONNECTION 'host=$PUBHOST port=$PUBPORT dbname=postgres user=postgres'
             PUBLICATION history" >"$OUT/sub.out" 2>&1
rc=$?
check "a second cluster subscribes to the history" '[ $rc -eq 0 ]'
[ $rc -eq 0 ] || sed 's/^/# /' "$OUT/sub.out"

# ---- walk one application to delivered through the API (the fixtures of the pgTAP tests)
: >"$OUT/mark"
log_before=$(wc -l <"$PUB/server.log")
psql -X -q -v ON_ERROR_STOP=1 -v pki="$PKI" -h "$PUBHOST" -p "$PUBPORT" -d postgres >"$OUT/walk.out" 2>&1 <<'SQL'
SET client_min_messages = warning;
SET test_pki.dir = :'pki';
\i test/fixtures/signing.sql
SELECT test_pki.load_trust();
\i test/fixtures/workflow.sql
SELECT wf_test.advance(wf_test.draft('scrap-metal', '160140001230', 'alm', 'office'), 'delivered');
SQL
rc=$?
check "an application is walked to delivered on the audited cluster" '[ $rc -eq 0 ]'
[ $rc -eq 0 ] || sed 's/^/# /' "$OUT/walk.out" | tail -20
app=$(qp postgres "SELECT max(id) FROM licensing.application")
events=$(qp postgres "SELECT count(*) FROM licensing.application_event WHERE application = $app")
changes=$(qp postgres "SELECT count(*) FROM licensing.application_event WHERE application = $app
                         AND from_state IS NOT NULL AND from_state IS DISTINCT FROM to_state")
registers=$(qp postgres "SELECT count(*) FROM licensing.application_event WHERE what = 'register'")
sleep 1
tail -n +"$((log_before + 1))" "$PUB/server.log" >"$OUT/audit.log"
count() { grep -c "$1" "$OUT/audit.log"; }
s_upd=$(count 'AUDIT: SESSION,[0-9]*,[0-9]*,WRITE,UPDATE,TABLE,licensing.application,')
s_ins=$(count 'AUDIT: SESSION,[0-9]*,[0-9]*,WRITE,INSERT,TABLE,licensing.application_event,')
o_upd=$(count 'AUDIT: OBJECT,[0-9]*,[0-9]*,WRITE,UPDATE,TABLE,licensing.application,')
o_ins=$(count 'AUDIT: OBJECT,[0-9]*,[0-9]*,WRITE,INSERT,TABLE,licensing.application_event,')
echo "# application $app: $events events, $changes state changes; session audit: $s_upd UPDATEs, $s_ins event INSERTs; object audit: $o_upd, $o_ins"
check "session auditing logs an UPDATE of licensing.application for every change of state ($s_upd >= $changes)" \
      '[ "$changes" -gt 5 ] && [ "$s_upd" -ge "$changes" ]'
check "session auditing logs the INSERT of every event ($s_ins >= $events)" '[ "$events" -gt 5 ] && [ "$s_ins" -ge "$events" ]'
check "object auditing logs the same UPDATEs ($o_upd >= $changes)" '[ "$o_upd" -ge "$changes" ]'
check "object auditing logs the same event INSERTs ($o_ins >= $events)" '[ "$o_ins" -ge "$events" ]'
direct=$(grep -F 'AUDIT: SESSION,' "$OUT/audit.log" | grep -cF 'WRITE,UPDATE,TABLE,licensing.application,UPDATE licensing.application x SET state = $2 WHERE')
check "the steps that change the state alone (register, confirm_complete), once written without a statement, are audited ($direct)" \
      '[ "$direct" -ge 2 ]'

# ---- the subscriber receives the walked application's events
got=0
for _ in $(seq 1 60); do
    got=$(qs postgres "SELECT count(*) FROM licensing.application_event WHERE application = $app")
    [ "$got" = "$events" ] && break
    sleep 0.5
done
check "the publication delivers the application's $events events to the subscriber ($got)" '[ "$got" = "$events" ]'
check "... with the publisher's hashes" \
      '[ "$(qs postgres "SELECT md5(string_agg(encode(hash, '"'hex'"'), '"','"' ORDER BY seq)) FROM licensing.application_event WHERE application = $app")" = "$(qp postgres "SELECT md5(string_agg(encode(hash, '"'hex'"'), '"','"' ORDER BY seq)) FROM licensing.application_event WHERE application = $app")" ]'
qs postgres "DROP SUBSCRIPTION history" >/dev/null 2>&1

# ---- a DBA partitions the history by month after install
qp postgres "CREATE DATABASE parted" >/dev/null
psql -X -q -v ON_ERROR_STOP=1 -v pki="$PKI" -h "$PUBHOST" -p "$PUBPORT" -d parted >"$OUT/parted.out" 2>&1 <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION licensing;
RESET search_path;
-- the new parent takes the name; the views that read the history are re-pointed at it
ALTER TABLE licensing.application_event RENAME TO application_event_unpartitioned;
CREATE TABLE licensing.application_event
    (LIKE licensing.application_event_unpartitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS)
    PARTITION BY RANGE (at);
ALTER TABLE licensing.application_event
    ADD PRIMARY KEY (application, seq, at) INCLUDE (hash, step, step_started_at, step_due_at);
CREATE TABLE licensing.application_event_2025_02 PARTITION OF licensing.application_event
    FOR VALUES FROM ('2025-02-01 00:00+00') TO ('2025-03-01 00:00+00');
CREATE TABLE licensing.application_event_2025_03 PARTITION OF licensing.application_event
    FOR VALUES FROM ('2025-03-01 00:00+00') TO ('2025-04-01 00:00+00');
CREATE TABLE licensing.application_event_2025_04 PARTITION OF licensing.application_event
    FOR VALUES FROM ('2025-04-01 00:00+00') TO ('2025-05-01 00:00+00');
CREATE TABLE licensing.application_event_later PARTITION OF licensing.application_event DEFAULT;
CREATE TRIGGER application_event_immutable BEFORE UPDATE OR DELETE ON licensing.application_event
    FOR EACH ROW EXECUTE FUNCTION licensing._history_immutable();
CREATE TRIGGER application_event_no_truncate BEFORE TRUNCATE ON licensing.application_event
    FOR EACH STATEMENT EXECUTE FUNCTION licensing._history_immutable();
DO $$
DECLARE v regclass;
BEGIN
    FOR v IN SELECT DISTINCT r.ev_class::regclass FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid
              WHERE d.classid = 'pg_rewrite'::regclass
                AND d.refobjid = 'licensing.application_event_unpartitioned'::regclass
                AND r.ev_class <> d.refobjid
    LOOP
        EXECUTE format('CREATE OR REPLACE VIEW %s AS %s', v,
                       replace(pg_get_viewdef(v), 'application_event_unpartitioned', 'application_event'));
    END LOOP;
END $$;
SET test_pki.dir = :'pki';
\i test/fixtures/signing.sql
SELECT test_pki.load_trust();
\i test/fixtures/workflow.sql
SELECT wf_test.advance(wf_test.draft('scrap-metal', '160140001230', 'alm', 'office'), 'delivered');
SELECT wf_test.advance(wf_test.draft('scrap-metal', '160140001230', 'sko'), 'delivered');
SELECT licensing.set_clock('2025-04-14 11:00+05');
SELECT wf_test.advance(wf_test.draft('eco-expertise', '901120405675', 'krg'), 'assigned');
SQL
rc=$?
check "with the history partitioned by month, applications are walked through every step" '[ $rc -eq 0 ]'
[ $rc -eq 0 ] || sed 's/^/# /' "$OUT/parted.out" | tail -20
march=$(qp parted "SELECT count(*) FROM licensing.application_event_2025_03")
april=$(qp parted "SELECT count(*) FROM licensing.application_event_2025_04")
old=$(qp parted "SELECT count(*) FROM licensing.application_event_unpartitioned")
check "the events are in the month partitions (March $march, April $april), none in the old table ($old)" \
      '[ "$march" -gt 10 ] && [ "$april" -gt 0 ] && [ "$old" = 0 ]'
check "verify_history answers true for every application" '[ "$(qp parted "SELECT licensing.verify_history()")" = t ]'
check "the steps view reads the partitioned history" \
      '[ "$(qp parted "SELECT count(*) > 5 FROM licensing.application_step WHERE finished_at IS NOT NULL")" = t ]'
out=$(qp parted "UPDATE licensing.application_event SET what = 'x'" 2>&1)
check "a partition's history still refuses UPDATE (55000, not a trigger-placement error)" \
      'echo "$out" | grep -q "history of applications cannot be changed"'
qp parted "SET session_replication_role = replica; UPDATE licensing.application_event_2025_03 SET to_state = 'routed' WHERE what = 'register'" >/dev/null 2>&1
check "a tampered event in a partition fails verify_history" '[ "$(qp parted "SELECT licensing.verify_history()")" = f ]'
