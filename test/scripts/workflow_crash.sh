#!/usr/bin/env bash
# workflow_crash (R2, issue #16 part 3): kill -9 of the postmaster alone, at
# three moments, while several clients walk whole lifecycles with real
# signatures (the applicant's over signing_payload, the head's over
# decision_payload, made by the openssl CLI with the test PKI) and licences.
#
# Each client logs every step whose COMMIT psql saw acknowledged (exit 0) to
# its own file; after each recovery every logged step must be in the history
# (the application, an event reaching the logged state, the payment, the
# licence), every chain must verify, and the per-backend caches of a fresh
# backend must show the trust store and the calendar as last committed.  The
# load must really have run before each kill (acknowledged steps since the
# previous one > 0).  About 30-40 s.
#   CRASH_CLIENTS (default 3), CRASH_LOAD_SECONDS (default 3) per kill.
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
source test/cluster.sh
DIR=${WORK_DIR:-/tmp/wf_crash}/cluster
LOGS=${WORK_DIR:-/tmp/wf_crash}/clients
PKI=${LICENSING_PKI:-$ROOT/test/fixtures/pki}
CLIENTS=${CRASH_CLIENTS:-3}
LOAD=${CRASH_LOAD_SECONDS:-3}
rm -rf "$LOGS"
mkdir -p "$(dirname "$DIR")" "$LOGS"
chmod 755 "$(dirname "$DIR")"
n=0
check() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; return 1; fi; }
walkers=()
cleanup() {
    touch "$LOGS/stop"
    for w in "${walkers[@]}"; do kill "$w" 2>/dev/null; done
    wait 2>/dev/null
    cluster_stop "$DIR"
}
trap cleanup EXIT
cluster_start "$DIR" "synchronous_commit = on" "restart_after_crash = off" >/dev/null \
    || { echo "not ok 1 - cluster starts"; exit 1; }
q() { psql -X -At -v ON_ERROR_STOP=1 -c "$1"; }

psql -X -q -v ON_ERROR_STOP=1 -v pki="$PKI" >"$LOGS/setup.out" 2>&1 <<'SQL' || { echo "not ok 1 - setup"; sed 's/^/# /' "$LOGS/setup.out"; exit 1; }
SET client_min_messages = warning;
CREATE EXTENSION licensing;
SET test_pki.dir = :'pki';
\i test/fixtures/signing.sql
SELECT test_pki.load_trust();
\i test/fixtures/workflow.sql
DROP SCHEMA wf_test CASCADE;
DROP SCHEMA test_pki CASCADE;
SQL
fee=$(q "SELECT amount FROM licensing.service_fee WHERE service = 'scrap-metal' AND operation = 'issue'")

# One client: lifecycles of portal applications of company 160140001230 at
# provider sko, one psql session (and transaction) per step.  A step that fails
# (the server is down, or restarting) abandons the application.
cat >"$LOGS/walk.sh" <<'EOF'
#!/usr/bin/env bash
c=$1; LOGS=$2; PKI=$3; fee=$4
ack="$LOGS/ack.$c"
tmp="$LOGS/tmp.$c"
# runs statements as a role (one session); prints the last line of output
as() {
    local r=$1 out; shift
    local args=(-c "SET ROLE $r")
    for s in "$@"; do args+=(-c "$s"); done
    out=$(psql -X -At -q -v ON_ERROR_STOP=1 "${args[@]}" 2>>"$LOGS/err.$c") || return 1
    printf '%s\n' "$out" | tail -1
}
# the portal names its applicant in the transaction of each request (act_for
# lasts one transaction); the request is acknowledged when COMMIT returns
portal() { as wf_portal "BEGIN" "SELECT licensing.act_for('160140001230') IS NULL" "$@" "COMMIT"; }
# DER CMS signature (hex) by a signer of the test PKI over base64 content
sign() {
    printf '%s' "$2" | openssl base64 -d -A -out "$tmp.in" &&
    openssl cms -sign -binary -md sha256 -in "$tmp.in" -outform DER -out "$tmp.sig" \
        -signer "$PKI/$1.crt.pem" -inkey "$PKI/$1.key.pem" -certfile "$PKI/inter.crt.pem" 2>>"$LOGS/err.$c" &&
    od -An -v -tx1 "$tmp.sig" | tr -d ' \n'
}
walk() {
    local app p s v
    app=$(portal "SELECT licensing.create_application('scrap-metal', 'issue', '160140001230', 'sko')") || return
    echo "$app draft" >>"$ack"
    portal "SELECT licensing.attach_document($app, 'charter', pg_catalog.convert_to('charter $c', 'UTF8'), 'charter.pdf')" >/dev/null || return
    # the document the catalogue requires (issue #14)
    portal "SELECT licensing.attach_document($app, 'qualification_documents', pg_catalog.convert_to('qualification $c', 'UTF8'), 'q.pdf')" >/dev/null || return
    echo "$app document" >>"$ack"
    as wf_gateway "SELECT licensing.record_payment($app, $fee, 'PAY-$c-$app')" >/dev/null || return
    echo "$app paid" >>"$ack"
    p=$(portal "SELECT pg_catalog.translate(pg_catalog.encode(licensing.signing_payload($app), 'base64'), E'\\n', '')") || return
    s=$(sign company "$p") || return
    v=$(portal "SELECT (licensing.submit($app, '\\x$s'::bytea)).accepted") || return
    [ "$v" = t ] || { echo "submit of $app refused" >>"$LOGS/err.$c"; return; }
    echo "$app submitted" >>"$ack"
    as wf_clerk "SELECT licensing.register($app)" >/dev/null || return
    echo "$app registered" >>"$ack"
    as wf_head "SELECT licensing.assign($app, 'wf_exec')" >/dev/null || return
    echo "$app assigned" >>"$ack"
    as wf_exec "SELECT licensing.confirm_complete($app)" >/dev/null || return
    echo "$app in_review" >>"$ack"
    as wf_exec "SELECT licensing.grant($app)" >/dev/null || return
    echo "$app decided" >>"$ack"
    p=$(as wf_head "SELECT pg_catalog.translate(pg_catalog.encode(licensing.decision_payload($app), 'base64'), E'\\n', '')") || return
    s=$(sign head "$p") || return
    as wf_head "SELECT licensing.sign_decision($app, '\\x$s'::bytea)" >/dev/null || return
    echo "$app signed" >>"$ack"
    as wf_clerk "SELECT licensing.deliver($app)" >/dev/null || return
    echo "$app delivered" >>"$ack"
}
while [ ! -f "$LOGS/stop" ]; do
    walk || true
    [ -f "$LOGS/once" ] && break
    sleep 0.05
done
EOF

start_walkers() {
    walkers=()
    for c in $(seq 1 "$CLIENTS"); do
        bash "$LOGS/walk.sh" "$c" "$LOGS" "$PKI" "$fee" &
        walkers+=($!)
    done
}
acks() { cat "$LOGS"/ack.* 2>/dev/null | wc -l; }

# Every acknowledged step, as (application, step), checked against the database.
verify_acks() {
    cat "$LOGS"/ack.* 2>/dev/null | sort -u | awk '{print $1 "\t" $2}' >"$LOGS/acked.tsv"
    psql -X -q -At -v ON_ERROR_STOP=1 >"$LOGS/missing" 2>&1 <<SQL
CREATE TEMP TABLE acked (app bigint, step text);
\\copy acked FROM '$LOGS/acked.tsv'
SELECT k.app || ' ' || k.step FROM acked k
 WHERE NOT CASE k.step
     WHEN 'draft' THEN EXISTS (SELECT FROM licensing.application_event e WHERE e.application = k.app AND e.what = 'create')
     WHEN 'document' THEN EXISTS (SELECT FROM licensing.application_document d WHERE d.application = k.app)
     WHEN 'paid' THEN EXISTS (SELECT FROM licensing.application_payment p WHERE p.application = k.app)
     WHEN 'signed' THEN EXISTS (SELECT FROM licensing.application_event e WHERE e.application = k.app AND e.to_state = 'signed')
                        AND EXISTS (SELECT FROM licensing.licence l WHERE l.application = k.app)
     ELSE EXISTS (SELECT FROM licensing.application_event e WHERE e.application = k.app AND e.to_state = k.step)
   END;
SQL
}

# Kill -9 of the postmaster alone; its children see it gone and exit by
# themselves (they are waited for: the next postmaster refuses to start while
# one is still attached to the old shared memory).
kill_postmaster() {
    local pm children
    pm=$(head -1 "$DIR/data/postmaster.pid")
    children=$(pgrep -P "$pm" | tr '\n' ' ')
    kill -9 "$pm"
    for _ in $(seq 1 300); do
        local alive=0
        for p in $pm $children; do kill -0 "$p" 2>/dev/null && alive=1; done
        [ $alive = 0 ] && return 0
        sleep 0.1
    done
    return 1
}
restart() {
    as_cluster_owner "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 120 start >/dev/null 2>&1
}

before=0
trust_expected=$(q "SELECT anchors || '/' || crls FROM licensing.trust_store_status()")
day_expected=t
start_walkers
for kill_no in 1 2 3; do
    # the moment: 1) after LOAD seconds; 2) right after a decision was signed
    # (a licence issued) in this round; 3) during a CHECKPOINT
    sleep "$LOAD"
    case $kill_no in
        2) for _ in $(seq 1 100); do
               [ "$(cat "$LOGS"/ack.* | grep -c ' signed$')" -gt "$signed_before" ] && break
               sleep 0.1
           done ;;
        3) psql -X -q -c "CHECKPOINT" >/dev/null 2>&1 & sleep 0.05 ;;
    esac
    now=$(acks)
    check "kill $kill_no: the load ran ($((now - before)) steps acknowledged since the last kill)" '[ $((now - before)) -gt 0 ]'
    check "kill $kill_no: the postmaster alone is killed (-9) and its children exit" 'kill_postmaster'
    check "kill $kill_no: the server recovers" 'restart && q "SELECT 1" >/dev/null 2>&1' \
        || tail -20 "$DIR/server.log" | sed 's/^/# /'
    check "kill $kill_no: right after the restart the trust store is as committed ($trust_expected)" \
          '[ "$(q "SELECT anchors || '"'/'"' || crls FROM licensing.trust_store_status()")" = "$trust_expected" ]'
    check "kill $kill_no: right after the restart the calendar is as committed (2027-06-16 working: $day_expected)" \
          '[ "$(q "SELECT licensing.is_working_day('"'2027-06-16'"')")" = "$day_expected" ]'
    sleep 0.5
    now=$(acks)
    verify_acks
    check "kill $kill_no: all $now acknowledged steps are there after recovery" '[ ! -s "$LOGS/missing" ]' \
        || head -5 "$LOGS/missing" | sed 's/^/# missing: /'
    check "kill $kill_no: every application chain verifies" '[ "$(q "SELECT licensing.verify_history()")" = t ]'
    check "kill $kill_no: every licence chain verifies" '[ "$(q "SELECT licensing.verify_licence_history()")" = t ]'
    before=$now
    signed_before=$(cat "$LOGS"/ack.* 2>/dev/null | grep -c ' signed$')
    # committed between kills: a trust anchor and a day off, which the caches
    # of the backends after the next restart must show
    if [ $kill_no = 1 ]; then
        q "INSERT INTO licensing.trusted_certificate (certificate) VALUES (pg_read_binary_file('$PKI/untrusted-root.crt.der'))" >/dev/null
        q "INSERT INTO licensing.calendar_exception (day, kind, name) VALUES ('2027-06-16', 'day_off', 'crash test')" >/dev/null
        trust_expected=$(q "SELECT anchors || '/' || crls FROM licensing.trust_store_status()")
        day_expected=f
    fi
done
touch "$LOGS/stop"
for w in "${walkers[@]}"; do kill "$w" 2>/dev/null; done
wait 2>/dev/null

total=$(acks)
lic=$(q "SELECT count(*) FROM licensing.licence")
check "the clients walked whole lifecycles: $(grep -h ' delivered$' "$LOGS"/ack.* | wc -l) delivered, $lic licences" \
      '[ "$(grep -h " signed$" "$LOGS"/ack.* | wc -l)" -gt 0 ] && [ "$lic" -gt 0 ]'
check "no application number is duplicated" \
      '[ "$(q "SELECT count(number) = count(DISTINCT number) FROM licensing.application")" = t ]'
check "no licence number allocated twice" \
      '[ "$(q "SELECT count(result_number) = count(DISTINCT result_number) FROM licensing.application")" = t ]'
rm -f "$LOGS"/ack.* "$LOGS/stop"
touch "$LOGS/once"
bash "$LOGS/walk.sh" 1 "$LOGS" "$PKI" "$fee"
check "after recovery a whole lifecycle still goes through (signatures, licence, delivery)" 'grep -q " delivered$" "$LOGS/ack.1"' \
    || tail -5 "$LOGS/err.1" | sed 's/^/# /'
check "new numbers do not clash with the old ones" \
      '[ "$(q "SELECT count(number) = count(DISTINCT number) FROM licensing.application")" = t ]'
echo "# $total steps acknowledged by $CLIENTS clients over 3 kills"
