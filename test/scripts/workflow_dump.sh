#!/usr/bin/env bash
# workflow_dump (R6): pg_dump / pg_restore of a database with applications in
# every state keeps every row and every rule: the shipped presets are not
# duplicated, the history chains verify, numbers continue without clashing,
# and the guard still refuses an out-of-order step in the restored database.
set -uo pipefail
cd "$(dirname "$0")/../.."
SRC=wf_dump_src
DST=wf_dump_dst
OUT=${WORK_DIR:-/tmp/wf_dump}
mkdir -p "$OUT"
chmod 755 "$OUT"
n=0
check() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fi; }
q() { psql -X -At -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }

for d in $SRC $DST; do psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $d" 2>/dev/null; done
psql -X -q -d postgres -c "CREATE DATABASE $SRC" || exit 1
psql -X -q -v ON_ERROR_STOP=1 -v pki="${LICENSING_PKI:-$PWD/test/fixtures/pki}" -d $SRC >"$OUT/setup.out" 2>&1 <<'SQL' || { cat "$OUT/setup.out"; exit 1; }
CREATE EXTENSION licensing;
SET test_pki.dir = :'pki';
\i test/fixtures/signing.sql
SELECT test_pki.load_trust();
\i test/fixtures/workflow.sql
SELECT wf_test.advance(wf_test.draft('scrap-metal', '160140001230', 'sko'), 'delivered');
SELECT wf_test.advance(wf_test.draft('scrap-metal', '160140001230', 'alm', 'office'), 'approved');
SELECT wf_test.advance(wf_test.draft('eco-expertise', '901120405675', 'krg'), 'assigned');
SELECT wf_test.advance(wf_test.draft('eco-expertise', '901120405675', 'krg', 'office'), 'submitted');
SELECT wf_test.draft('eco-expertise', '901120405675', 'krg');
DROP SCHEMA wf_test CASCADE;
DROP SCHEMA test_pki CASCADE;
SQL

pg_dump -Fc -d $SRC -f "$OUT/src.dump" 2>"$OUT/dump.err"
check "pg_dump succeeds" '[ -s "$OUT/src.dump" ]'
psql -X -q -d postgres -c "CREATE DATABASE $DST"
pg_restore -d $DST "$OUT/src.dump" >"$OUT/restore.out" 2>&1
# the workflow's own tables must load without a single error (other parts report theirs)
check "pg_restore loads every workflow table without error" \
      '! grep -E "error: .*(table|TABLE DATA) \"(application|application_[a-z]+|service|service_fee|provider|profile|profile_step|provider_profile|staff|legal_entity|person|power_of_attorney|refusal_ground)\"" "$OUT/restore.out"'
grep -q "error" "$OUT/restore.out" && sed 's/^/# /' "$OUT/restore.out" | head -20

for t in application application_step application_event application_document application_payment provider staff \
         legal_entity person power_of_attorney profile profile_step service service_fee refusal_ground; do
    a=$(q $SRC "SELECT md5(string_agg(x::text, ',' ORDER BY x::text)) FROM licensing.$t x")
    b=$(q $DST "SELECT md5(string_agg(x::text, ',' ORDER BY x::text)) FROM licensing.$t x")
    check "licensing.$t is the same after restore (presets not duplicated)" '[ "$a" = "$b" ]'
done
check "every history chain verifies in the restored database" '[ "$(q $DST "SELECT licensing.verify_history()")" = t ]'
guard=$(psql -X -At -d $DST -c "SET ROLE wf_clerk" \
        -c "SELECT licensing.assign((SELECT id FROM licensing.application WHERE state = 'submitted'), 'wf_exec')" 2>&1)
check "the restored database still guards the order of steps" '[[ "$guard" == *"cannot go from submitted to assigned"* ]]'
fresh=$(psql -X -At -d $DST -c "SELECT licensing.set_clock('2025-03-03 10:00+05')" -c "SET ROLE wf_clerk" \
        -c "SELECT number FROM licensing.submit(licensing.create_application('eco-expertise', 'issue', '901120405675', 'krg', jsonb_build_object('object', jsonb_build_object('name', 'АЗС', 'address', 'Қарағанды', 'category', 'III')), channel => 'office'))" 2>&1 | tail -1)
check "the restored database continues: a new submit gets a fresh number" '[ "$fresh" = krg-2025-000005 ]'

[ -n "${KEEP:-}" ] || for d in $SRC $DST; do psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $d"; done
