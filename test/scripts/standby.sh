#!/usr/bin/env bash
# standby (QUALITY §6, API §7): reports run on a hot standby.  A primary with
# applications in every kind of state, licences, refusals, a late step and a
# survey streams to a standby (pg_basebackup -R); once the standby has
# replayed everything, every view of API §7 and §7.1 and every read-only
# function is run on it, by a superuser and by each reading role, and must
# give what the primary gives.  A workflow step on the standby must be refused
# as a read-only transaction (SQLSTATE 25006), never as an internal error.
set -uo pipefail
cd "$(dirname "$0")/../.."
source test/cluster.sh
OUT=${WORK_DIR:-/tmp/licensing_standby}
mkdir -p "$OUT"
chmod 755 "$OUT"
n=0
check() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fi; }

P=$OUT/p
S=$OUT/s
trap 'cluster_stop "$S"; cluster_stop "$P"' EXIT

cluster_start "$P" "wal_level = replica" "max_wal_senders = 4" "hot_standby = on" || exit 1
PH=$PGHOST PP=$PGPORT
mkdir -p "$S"
[ "$(id -u)" = 0 ] && chown postgres: "$S"
SP=$(free_port) || exit 1
as_cluster_owner "$PGBIN/pg_basebackup" -h "$PH" -p "$PP" -U postgres -D "$S/data" -R -X stream -c fast \
    >"$OUT/basebackup.log" 2>&1 || { cat "$OUT/basebackup.log"; exit 1; }
printf "port = %s\nunix_socket_directories = '%s'\n" "$SP" "$S" | as_cluster_owner tee -a "$S/data/postgresql.conf" >/dev/null
as_cluster_owner env ${PG_SERVER_ENV:-} "$PGBIN/pg_ctl" -D "$S/data" -l "$S/server.log" -w -t 60 start >/dev/null \
    || { cat "$S/server.log"; exit 1; }

qp() { psql -X -At -v ON_ERROR_STOP=1 -h "$PH" -p "$PP" -d postgres "$@"; }
qs() { psql -X -At -v ON_ERROR_STOP=1 -h "$S" -p "$SP" -d postgres "$@"; }
check "the standby is in recovery (hot standby)" '[ "$(qs -c "SELECT pg_is_in_recovery()")" = t ]'

t0=$(date +%s)
# ---- the primary: applications, licences, refusals, a late step, a survey ----
qp -q -v pki="${LICENSING_PKI:-$PWD/test/fixtures/pki}" >"$OUT/fill.out" 2>&1 <<'SQL'
CREATE EXTENSION licensing;
SET test_pki.dir = :'pki';
\i test/fixtures/signing.sql
SELECT test_pki.load_trust();
\i test/fixtures/workflow.sql
SELECT wf_test.advance(wf_test.draft('scrap-metal', '160140001230', 'sko'), 'delivered');
SELECT wf_test.advance(wf_test.draft('scrap-metal', '160140001230', 'alm', 'office'), 'approved');
SELECT wf_test.advance(wf_test.draft('eco-expertise', '901120405675', 'krg'), 'assigned');
SELECT wf_test.advance(wf_test.draft('eco-expertise', '901120405675', 'krg', 'office'), 'submitted');
\i test/pgtap/licence_fixture.psql
SELECT licensing.set_clock('2025-03-03 10:00+05');
SELECT lic_test.walk('scrap-metal', 'issue', '160140001230', '{}') AS good \gset
SET ROLE lic_clerk;
SELECT licensing.deliver(:good);
SET ROLE lic_portal;
BEGIN;   -- the portal names its applicant for one transaction
SELECT licensing.act_for('160140001230');
SELECT licensing.survey(:good, 3, 2);
COMMIT;
RESET ROLE;
SET ROLE lic_clerk;
SELECT licensing.create_application('scrap-metal', 'issue', '170240007770', 'lic-south', '{}', 'office') AS late \gset
SET ROLE lic_gateway;
SELECT licensing.record_payment(:late, 19820, 'lic-rep-late');
SET ROLE lic_clerk;
SELECT accepted FROM licensing.submit(:late);
RESET ROLE;
SELECT licensing.set_clock('2025-03-04 10:00+05');
SET ROLE lic_clerk;
SELECT licensing.register(:late);
RESET ROLE;
SELECT lic_test.walk('scrap-metal', 'issue', '170240007770', '{}', NULL, '{}', 'in_review') AS refused \gset
SET ROLE lic_exec;
SELECT licensing.refuse(:refused, 'qualification_requirements', 'Талаптарға сәйкес емес', 'Не соответствует требованиям');
RESET ROLE;
SELECT lic_test.sign(:refused);
SET ROLE lic_clerk;
SELECT licensing.create_application('scrap-metal', 'issue', '180340009990', 'lic-south', '{}', 'office') AS unpaid \gset
SELECT ground FROM licensing.submit(:unpaid);
RESET ROLE;
-- what the standby reads back: ids, and a signature made by the test PKI
CREATE TABLE public.sb (k text PRIMARY KEY, v text, b bytea);
INSERT INTO public.sb (k, v) VALUES ('good', :good), ('late', :late), ('refused', :refused), ('unpaid', :unpaid),
    ('draft', (SELECT min(id) FROM licensing.application WHERE state = 'draft')),
    ('submitted', (SELECT min(id) FROM licensing.application WHERE state = 'submitted')),
    ('licence', (SELECT number FROM licensing.licence WHERE application = :good));
INSERT INTO public.sb (k, b) VALUES ('content', convert_to('a document to sign', 'UTF8'));
INSERT INTO public.sb (k, b) VALUES ('person_sig', test_pki.sign(convert_to('a document to sign', 'UTF8'), 'person'));
INSERT INTO public.sb (k, b) VALUES ('root', test_pki.cert('root'));
GRANT SELECT ON public.sb TO PUBLIC;
SQL
rc=$?
echo "# primary filled in $(( $(date +%s) - t0 )) s (clusters started at +0)"
check "the primary walks applications, licences, a refusal, a late step and a survey" '[ $rc -eq 0 ]'
[ $rc -eq 0 ] || tail -20 "$OUT/fill.out" | sed 's/^/# /'

# ---- wait for the standby to replay it all ----------------------------------
lsn=$(qp -c "SELECT pg_current_wal_lsn()")
replayed=f
for _ in $(seq 1 120); do
    replayed=$(qs -c "SELECT pg_last_wal_replay_lsn() >= '$lsn'::pg_lsn" 2>/dev/null)
    [ "$replayed" = t ] && break
    sleep 0.5
done
check "the standby replays the primary's WAL up to $lsn" '[ "$replayed" = t ]'

v() { qp -c "SELECT v FROM public.sb WHERE k = '$1'"; }
GOOD=$(v good) LATE=$(v late) REFUSED=$(v refused) DRAFT=$(v draft) SUBMITTED=$(v submitted) LIC=$(v licence)

# ---- the same query on both: the standby must answer, and answer alike -------
# same ROLE SQL DESCRIPTION queues SQL (one value) to run on both servers as
# ROLE (superuser when -); compare_all runs each role's queue in one session
# per server, with the workflow clock pinned alike (the portal acts for the
# company), and compares the answers one by one.
Q_ROLE=() Q_SQL=() Q_DESC=()
same() { Q_ROLE+=("$1"); Q_SQL+=("$2"); Q_DESC+=("$3"); }
compare_all() {
    local role i side
    : >"$OUT/answers.p"; : >"$OUT/answers.s"
    for role in $(printf '%s\n' "${Q_ROLE[@]}" | sort -u); do
        {
            echo "SELECT licensing.set_clock('2025-03-20 12:00+05');"
            # one transaction (act_for lasts one); a failing query rolls back to
            # its savepoint and the next goes on
            echo "\\set ON_ERROR_ROLLBACK on"
            echo "BEGIN;"
            [ "$role" = - ] || echo "SET ROLE $role;"
            [ "$role" = lic_portal ] && echo "SELECT licensing.act_for('160140001230');"
            for i in "${!Q_ROLE[@]}"; do
                [ "${Q_ROLE[$i]}" = "$role" ] || continue
                printf '\\echo @@%s\n%s;\n' "$i" "${Q_SQL[$i]}"
            done
            echo "COMMIT;"
        } >"$OUT/queue.sql"
        for side in p s; do
            if [ $side = p ]; then host=$PH port=$PP; else host=$S port=$SP; fi
            psql -X -At -q -h "$host" -p "$port" -d postgres -f "$OUT/queue.sql" 2>>"$OUT/errors.$side" \
                | awk '/^@@[0-9]+$/ { k = substr($0, 3); next } k != "" { v[k] = $0 } END { for (k in v) print k "\t" v[k] }' \
                >>"$OUT/answers.$side"
        done
    done
    for i in "${!Q_ROLE[@]}"; do
        local a b who=${Q_ROLE[$i]}
        a=$(awk -F'\t' -v k="$i" '$1 == k { print $2 }' "$OUT/answers.p")
        b=$(awk -F'\t' -v k="$i" '$1 == k { print $2 }' "$OUT/answers.s")
        n=$((n + 1))
        if [ -n "$a" ] && [ "$a" = "$b" ]; then
            echo "ok $n - standby, as ${who/-/superuser}: ${Q_DESC[$i]}"
        else
            echo "not ok $n - standby, as ${who/-/superuser}: ${Q_DESC[$i]}"
            echo "#   primary: ${a:0:300}"
            echo "#   standby: ${b:0:300}"
        fi
    done
    Q_ROLE=() Q_SQL=() Q_DESC=()
    [ -s "$OUT/errors.s" ] && sed 's/^/# standby said: /' "$OUT/errors.s" | head -20
    [ -s "$OUT/errors.p" ] && sed 's/^/# primary said: /' "$OUT/errors.p" | head -20
}
agg() { echo "SELECT count(*) || ' rows, ' || coalesce(md5(string_agg(x::text, ',' ORDER BY x::text)), '-') FROM ($1) x"; }

echo "# views of API §7 and §7.1 (row counts as the superuser sees them):"
for view in licence_register application_history overdue_steps term_compliance service_quality refusals \
            calendar_status trust_store_health; do
    if [ "$(qp -c "SELECT to_regclass('licensing.$view') IS NOT NULL")" != t ]; then
        echo "# (licensing.$view does not exist in this version)"
        continue
    fi
    echo "#   $view: $(qp -c "SELECT count(*) FROM licensing.$view") rows"
    check "licensing.$view has rows to compare" '[ "$(qp -c "SELECT count(*) > 0 FROM licensing.$view")" = t ]'
    roles="- lic_reporter lic_head lic_admin"
    # the portal reads the public register and its applicant's history only;
    # the reporter reads aggregates, not the history of individuals' applications;
    # the operations views are for admins and reporters
    case $view in
        licence_register) roles="$roles lic_portal" ;;
        application_history) roles="- lic_head lic_admin lic_portal" ;;
        calendar_status|trust_store_health) roles="- lic_reporter lic_admin" ;;
    esac
    # time_left runs with now(): compared by everything else
    cols="*"
    [ $view = trust_store_health ] && cols="kind, fingerprint, subject, ca_fingerprint, valid_from, valid_until, status, note, time_left > interval '0' AS left"
    for role in $roles; do
        same $role "$(agg "SELECT $cols FROM licensing.$view")" "licensing.$view reads as on the primary"
    done
done

echo "# read-only functions:"
same - "SELECT licensing.verify_history()" "verify_history() of every application"
same lic_reporter "SELECT licensing.verify_history($GOOD)" "verify_history(app)"
same - "SELECT licensing.verify_licence_history()" "verify_licence_history()"
same lic_reporter "SELECT licensing.verify_licence_history('$LIC')" "verify_licence_history(number)"
same - "SELECT (v.valid, v.problem, v.signer_iin, v.subject) FROM public.sb c, public.sb s,
        licensing.verify_signature(c.b, s.b) v WHERE c.k = 'content' AND s.k = 'person_sig'" \
     "verify_signature of a person's real signature"
check "  ... and it is valid there, with the signer's IIN" \
      '[ "$(qs -c "SELECT v.valid AND v.signer_iin::text = '"'901120405675'"' FROM public.sb c, public.sb s, licensing.verify_signature(c.b, s.b) v WHERE c.k = '"'content'"' AND s.k = '"'person_sig'"'")" = t ]'
same lic_head "SELECT (v.valid, v.problem, v.signer_iin) FROM licensing.licence_signed('$LIC') d,
        licensing.verify_signature(d.payload, d.signature) v" "verify_signature of the licence's signed decision"
same - "SELECT (licensing.certificate_info(b)).subject FROM public.sb WHERE k = 'root'" "certificate_info"
same - "SELECT (t.anchors, t.crls) FROM licensing.trust_store_status() t" "trust_store_status()"
same - "SELECT (licensing.is_working_day('2025-03-21'), licensing.add_working_days('2025-03-05', 15),
        licensing.working_days_between('2024-12-27', '2025-01-22'), licensing.calendar_covers('2031-01-01'))" \
     "is_working_day, add_working_days, working_days_between, calendar_covers"
same - "SELECT (licensing.add_working_time('2025-03-07 17:00+05', '2 hours', 'sko'),
        licensing.working_time_between('2025-03-07 17:00+05', '2025-03-11 10:00+05', 'sko'),
        licensing.add_working_time('2025-03-07 17:00+05', '2 hours', '{\"day_end\": \"17:00\"}'::jsonb))" \
     "add_working_time, working_time_between (provider and schedule)"
same - "SELECT (licensing.receipt_day('2025-03-07 18:30+05', 'sko'), licensing.term_due_on('2025-03-05', '15 working days'),
        licensing.term_due_on('2025-01-31', '1 month'), licensing.norm_due_at('2025-03-07 17:00+05', '2 hours', 'sko'),
        licensing.check_schedule('{\"time_zone\": \"Asia/Almaty\"}'))" \
     "receipt_day, term_due_on, norm_due_at, check_schedule"
same lic_reporter "$(agg "SELECT * FROM licensing.calendar_changes_impact('2025-03-05')")" "calendar_changes_impact"
same lic_head "SELECT md5(licensing.licence_html('$LIC'))" "licence_html"
same lic_head "SELECT md5(licensing.refusal_html($REFUSED))" "refusal_html"
same lic_head "SELECT md5(licensing.licence_document('$LIC')::text)" "licence_document"
same lic_portal "SELECT md5(licensing.licence_document('$LIC')::text)" "licence_document (the holder)"
same - "SELECT md5(licensing.workflow_dot('south-kazakhstan-2015'))" "workflow_dot"
same lic_clerk "SELECT md5(licensing.signing_payload($DRAFT))" "signing_payload of a draft"
same lic_head "SELECT md5(licensing.decision_payload($GOOD))" "decision_payload"
same - "SELECT licensing.canonical_json('{\"b\": [1, 2.50], \"a\": \"x\"}')" "canonical_json"
same - "SELECT (licensing.licence_number_is_valid('$LIC'), licensing.licence_number(lower('$LIC')))" \
     "licence_number_is_valid, licence_number"
same - "SELECT ('901120405675'::licensing.iin, licensing.iin_birth_date('901120405675'), licensing.bin_kind('160140001230'))" \
     "identifier types and functions"
same lic_portal "SELECT (licensing.actor(), licensing.acting_for(), licensing.clock())" "actor, act_for, acting_for, clock"

compare_all
echo "# views and functions compared in $(( $(date +%s) - t0 )) s since the fill began"

# ---- a step on the standby: refused as read-only (25006) ----------------------
step_state() {
    printf '\\set VERBOSITY sqlstate\nSET ROLE %s;\n%s\n' "$1" "$2" | psql -X -At -h "$S" -p "$SP" -d postgres 2>&1 \
        | sed -n 's/^ERROR: *\([0-9A-Z]\{5\}\).*/\1/p' | head -1
}
st=$(step_state wf_clerk "SELECT licensing.register($SUBMITTED)")
msg=$(printf 'SET ROLE wf_clerk;\nSELECT licensing.register(%s);\n' "$SUBMITTED" | psql -X -At -h "$S" -p "$SP" -d postgres 2>&1 | grep -m1 '^ERROR')
echo "# register on the standby: SQLSTATE ${st:-none}: $msg"
# A step writes its row and its event as planned statements through the executor,
# which refuses them in a read-only transaction.
check "a step (register) on the standby is refused as read-only: 25006, not ${st:-none}" '[ "$st" = 25006 ]'
st=$(step_state lic_clerk "SELECT licensing.create_application('scrap-metal', 'issue', '160140001230', 'lic-south', '{}', 'office')")
echo "# create_application on the standby: SQLSTATE ${st:-none}"
check "create_application on the standby is refused as read-only: 25006, not ${st:-none}" '[ "$st" = 25006 ]'
st=$(step_state lic_admin "INSERT INTO licensing.calendar_year (year, source) VALUES (2099, 'test')")
check "a calendar change on the standby is refused as read-only: 25006, not ${st:-none}" '[ "$st" = 25006 ]'
check "the primary still takes steps" '[ "$(qp -c "SET ROLE wf_clerk" -c "SELECT licensing.register($SUBMITTED)" -c "RESET ROLE" -c "SELECT state FROM licensing.application WHERE id = $SUBMITTED" | tail -1)" = registered ]'
