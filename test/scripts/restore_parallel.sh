#!/usr/bin/env bash
# restore_parallel (issue #16): a parallel pg_restore of a full database, by
# the procedure README "Operations" documents, keeps every row.
#
# Why a procedure: the extension's tables are configuration tables
# (pg_extension_config_dump), created with their foreign keys by CREATE
# EXTENSION, so their data is loaded with the keys already checked.  pg_dump
# orders the TABLE DATA entries of such tables by their foreign keys, but
# records each one as depending only on its own table, so `pg_restore -j N` in
# one go loads application, licence and their children concurrently: COPYs fail
# on foreign keys and the tables stay empty.  The documented procedure:
#   A. pre-data; data in one job (-j 1: the archive's order); post-data -j N;
#   B. (superuser) pre-data; --data-only -j N --disable-triggers; post-data -j N.
# Checks, against the source: count and md5 of every table; every chain
# verifies; and a restore that leaves out application and licence data is
# caught by verify_history / verify_licence_history (66_history_complete.sql).
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
source test/cluster.sh          # PGBIN only; the shared cluster is PGHOST/PGPORT
OUT=${WORK_DIR:-/tmp/restore_parallel}
mkdir -p "$OUT"
chmod 755 "$OUT"
SRC=rp_src
n=0
check() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fi; }
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }
DBS="$SRC rp_a rp_b rp_one rp_cut rp_cutl"
for d in $DBS; do psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $d" 2>/dev/null; done
psql -X -q -d postgres -c "CREATE DATABASE $SRC" || exit 1
psql -X -q -v ON_ERROR_STOP=1 -d $SRC >"$OUT/setup.out" 2>&1 <<SQL || { sed 's/^/# /' "$OUT/setup.out" | tail -20; echo "not ok 1 - setup"; exit 1; }
CREATE EXTENSION licensing;
SET test_pki.dir = '${LICENSING_PKI:-$ROOT/test/fixtures/pki}';
\i test/pgtap/licence_fixture.psql
SELECT lic_test.walk('scrap-metal', 'issue', '160140001230',
    '{"annexes": [{"subtype": "Заготовка лома", "address": "Шымкент, ул. Байтурсынова 1"},
                  {"subtype": "Хранение", "address": "Туркестан"}]}') AS a1 \gset
SELECT lic_test.licence_of(:a1) AS l1 \gset
SELECT lic_test.walk('scrap-metal', 'duplicate', '160140001230', '{}', :'l1', '{"annex": 1}');
SELECT lic_test.walk('scrap-metal', 'reissue', '160140001230', '{}', :'l1', '{"ground": "name_change"}');
SELECT lic_test.walk('eco-expertise', 'issue', '901120405675', '{}');
\i test/fixtures/workflow.sql
SELECT wf_test.advance(wf_test.draft('scrap-metal', '160140001230', 'alm', 'office'), 'approved');
SELECT wf_test.advance(wf_test.draft('eco-expertise', '901120405675', 'krg'), 'assigned');
SELECT wf_test.advance(wf_test.draft('eco-expertise', '901120405675', 'krg', 'office'), 'submitted');
SELECT wf_test.draft('eco-expertise', '901120405675', 'krg');
SQL
TABLES=$(q $SRC "SELECT string_agg(c.relname, ' ' ORDER BY c.relname) FROM pg_class c
                  WHERE c.relnamespace = 'licensing'::regnamespace AND c.relkind = 'r'")
states=$(q $SRC "SELECT count(DISTINCT state) FROM licensing.application")
lic=$(q $SRC "SELECT count(*) FROM licensing.licence")
check "source: applications in $states states, $lic licences" '[ "$states" -ge 5 ] && [ "$lic" -ge 3 ]'
"$PGBIN/pg_dump" -Fc -d $SRC -f "$OUT/src.dump" 2>"$OUT/dump.err"
check "pg_dump succeeds" '[ -s "$OUT/src.dump" ]'

sums() {    # count and md5 of every table of licensing
    local t
    for t in $TABLES; do
        echo "$t $(q "$1" "SELECT count(*) || ' ' || coalesce(md5(string_agg(x::text, ',' ORDER BY x::text)), '-') FROM licensing.$t x")"
    done
}
sums $SRC >"$OUT/src.sums"
same_rows_of() { [ "$(grep "^$2 " "$OUT/src.sums")" = "$2 $(q "$1" "SELECT count(*) || ' ' || coalesce(md5(string_agg(x::text, ',' ORDER BY x::text)), '-') FROM licensing.$2 x")" ]; }
verified() { [ "$(q "$1" "SELECT licensing.verify_history() AND licensing.verify_licence_history()")" = t ]; }
same_rows() {
    sums "$1" >"$OUT/$1.sums"
    if cmp -s "$OUT/src.sums" "$OUT/$1.sums"; then return 0; fi
    diff "$OUT/src.sums" "$OUT/$1.sums" | head -10 | sed 's/^/# /'
    return 1
}

# A: data in one job, the rest in two
psql -X -q -d postgres -c "CREATE DATABASE rp_a"
rc=0
"$PGBIN/pg_restore" --section=pre-data -d rp_a "$OUT/src.dump" >"$OUT/a.out" 2>&1 || rc=1
"$PGBIN/pg_restore" --section=data -j 1 -d rp_a "$OUT/src.dump" >>"$OUT/a.out" 2>&1 || rc=1
"$PGBIN/pg_restore" --section=post-data -j 2 -d rp_a "$OUT/src.dump" >>"$OUT/a.out" 2>&1 || rc=1
check "procedure A (pre-data; data; post-data -j 2) restores without an error" '[ $rc = 0 ]'
[ $rc = 0 ] || sed 's/^/# /' "$OUT/a.out" | head -10
check "procedure A: every table has the same count and md5 ($(echo $TABLES | wc -w) tables)" 'same_rows rp_a'
check "procedure A: every application and licence chain verifies" 'verified rp_a'

# B: data with -j 2 and triggers (foreign keys) off, as a superuser
psql -X -q -d postgres -c "CREATE DATABASE rp_b"
rc=0
"$PGBIN/pg_restore" --section=pre-data -d rp_b "$OUT/src.dump" >"$OUT/b.out" 2>&1 || rc=1
"$PGBIN/pg_restore" --data-only --disable-triggers -j 2 -d rp_b "$OUT/src.dump" >>"$OUT/b.out" 2>&1 || rc=1
"$PGBIN/pg_restore" --section=post-data -j 2 -d rp_b "$OUT/src.dump" >>"$OUT/b.out" 2>&1 || rc=1
check "procedure B (pre-data; --data-only --disable-triggers -j 2; post-data -j 2) restores without an error" '[ $rc = 0 ]'
[ $rc = 0 ] || sed 's/^/# /' "$OUT/b.out" | head -10
check "procedure B: every table has the same count and md5" 'same_rows rp_b'
check "procedure B: every application and licence chain verifies" 'verified rp_b'
check "procedure B: every trigger is enabled again" \
      '[ "$(q rp_b "SELECT count(*) FROM pg_trigger WHERE tgenabled <> '"'O'"'")" = 0 ]'

# -j 2 in one go: not the procedure; whether it loses rows depends on timing,
# but if it does, verify_history must say so
psql -X -q -d postgres -c "CREATE DATABASE rp_one"
"$PGBIN/pg_restore" -j 2 -d rp_one "$OUT/src.dump" >"$OUT/one.out" 2>&1
lost=0; same_rows rp_one >/dev/null || lost=1
echo "# pg_restore -j 2 in one go: $(grep -c 'COPY failed' "$OUT/one.out") COPYs failed; rows lost: $lost"
check "pg_restore -j 2 in one go: rows lost are detected by the verify functions" \
      '[ $lost = 0 ] || ! verified rp_one'

# restores that deterministically leave tables empty, as -j 2 in one go does
cut() {     # cut <database> <regex of the tables whose data is left out>
    psql -X -q -d postgres -c "CREATE DATABASE $1"
    "$PGBIN/pg_restore" -l "$OUT/src.dump" | grep -vE "TABLE DATA licensing ($2) " >"$OUT/$1.list"
    "$PGBIN/pg_restore" -L "$OUT/$1.list" -d "$1" "$OUT/src.dump" >"$OUT/$1.out" 2>&1
}
cut rp_cut 'application|application_document|application_payment|application_survey|licence|licence_annex|licence_duplicate'
check "a restore without the application and licence data leaves them empty" \
      '[ "$(q rp_cut "SELECT (SELECT count(*) FROM licensing.application) + (SELECT count(*) FROM licensing.licence)")" = 0 ]'
check "verify_history() detects the applications missing behind their events" \
      '[ "$(q rp_cut "SELECT licensing.verify_history()")" = f ]'
cut rp_cutl 'licence|licence_annex|licence_duplicate|licence_event'
check "a restore without the licence data keeps the applications but no licence" \
      '[ "$(q rp_cutl "SELECT count(*) FROM licensing.licence")" = 0 ] && same_rows_of rp_cutl application'
check "verify_licence_history() detects the granted decisions whose licence is missing" \
      '[ "$(q rp_cutl "SELECT licensing.verify_licence_history()")" = f ]'

[ -n "${KEEP:-}" ] || for d in $DBS; do psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $d"; done
