#!/usr/bin/env bash
# upgrade: version 1.0, filled with applications in every state and licences,
# is updated with ALTER EXTENSION licensing UPDATE by the library of today.
#   - the library serves the frozen 1.0 script (the walk below runs on it);
#   - the update ends in the catalog of a fresh install of the current version
#     (pg_dump --binary-upgrade dumps every member of the extension; the OIDs it
#     pins are left out of the comparison);
#   - every row that was there is there, unchanged, and every chain verifies.
set -uo pipefail
cd "$(dirname "$0")/../.."
OLD=up_old
NEW=up_new
OUT=${WORK_DIR:-/tmp/licensing_upgrade}
mkdir -p "$OUT"
chmod 755 "$OUT"
n=0
check() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fi; }
q() { psql -X -At -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }
current=$(sed -n "s/^default_version *= *'\(.*\)'/\1/p" licensing.control)

for d in $OLD $NEW; do psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $d" 2>/dev/null; done
psql -X -q -d postgres -c "CREATE DATABASE $OLD" -c "CREATE DATABASE $NEW" || exit 1

# 1.0, walked by the API of 1.0 through the fixtures the other tests use.
psql -X -q -v ON_ERROR_STOP=1 -v pki="${LICENSING_PKI:-$PWD/test/fixtures/pki}" -d $OLD >"$OUT/fill.out" 2>&1 <<'SQL'
CREATE EXTENSION licensing VERSION '1.0';
SET test_pki.dir = :'pki';
\i test/fixtures/signing.sql
SELECT test_pki.load_trust();
\i test/fixtures/workflow.sql
SELECT wf_test.advance(wf_test.draft('scrap-metal', '160140001230', 'sko'), 'delivered');
SELECT wf_test.advance(wf_test.draft('scrap-metal', '160140001230', 'alm', 'office'), 'approved');
SELECT wf_test.advance(wf_test.draft('eco-expertise', '901120405675', 'krg'), 'assigned');
SELECT wf_test.advance(wf_test.draft('eco-expertise', '901120405675', 'krg', 'office'), 'submitted');
SELECT wf_test.draft('eco-expertise', '901120405675', 'krg');
\i test/pgtap/licence_fixture.psql
SELECT lic_test.walk('scrap-metal', 'issue', '160140001230');
SQL
rc=$?
check "the library of today serves the 1.0 script: install and a full walk" '[ $rc -eq 0 ]'
[ $rc -eq 0 ] || sed 's/^/# /' "$OUT/fill.out" | tail -20
check "the walk made licences and events" \
      '[ "$(q $OLD "SELECT count(*) > 0 FROM licensing.licence")" = t ] && [ "$(q $OLD "SELECT count(*) > 10 FROM licensing.application_event")" = t ]'

# Every row of every table of 1.0, by the columns 1.0 had.
q $OLD "SELECT c.relname || ' ' || string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum)
          FROM pg_class c
          JOIN pg_depend d ON d.objid = c.oid AND d.classid = 'pg_class'::regclass AND d.deptype = 'e'
          JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'licensing'
          JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
         WHERE c.relkind IN ('r', 'p') GROUP BY c.relname ORDER BY 1" >"$OUT/cols"
snapshot() {
    : >"$1"
    while read -r t cols; do
        echo "$t $(q $OLD "SELECT count(*) || ' ' || coalesce(md5(string_agg(x::text, ',' ORDER BY x::text)), '-')
                             FROM (SELECT $cols FROM licensing.$t) x")" >>"$1"
    done <"$OUT/cols"
}
snapshot "$OUT/before"
check "the snapshot covers the tables of 1.0" '[ "$(wc -l <"$OUT/before")" -gt 20 ]'

q $OLD "ALTER EXTENSION licensing UPDATE" >"$OUT/update.out" 2>&1
rc=$?
check "ALTER EXTENSION licensing UPDATE succeeds" '[ $rc -eq 0 ]'
[ $rc -eq 0 ] || sed 's/^/# /' "$OUT/update.out"
check "the updated database is at version $current" '[ "$(q $OLD "SELECT extversion FROM pg_extension WHERE extname = '"'licensing'"'")" = "$current" ]'

snapshot "$OUT/after"
check "every row of 1.0 is there and unchanged after the update" 'diff "$OUT/before" "$OUT/after" >"$OUT/data.diff"'
[ -s "$OUT/data.diff" ] && sed 's/^/# /' "$OUT/data.diff" | head -20
check "every application chain verifies after the update" '[ "$(q $OLD "SELECT licensing.verify_history()")" = t ]'
check "every licence chain verifies after the update" '[ "$(q $OLD "SELECT licensing.verify_licence_history()")" = t ]'

# The catalog: a fresh install of the current version and the updated one dump alike.
q $NEW "CREATE EXTENSION licensing" >/dev/null
for d in $OLD $NEW; do
    # the walk's own schemas are not the extension's
    q $d "DROP SCHEMA IF EXISTS wf_test CASCADE; DROP SCHEMA IF EXISTS test_pki CASCADE; DROP SCHEMA IF EXISTS lic_test CASCADE" >/dev/null 2>&1
    pg_dump --schema-only --binary-upgrade -d $d 2>"$OUT/$d.dump.err" \
        | grep -v -E "binary_upgrade_set_next_|pg_catalog.setval|^\\\\(un)?restrict |^-- Dumped (from|by)" \
        | sed -E "s/'\\{[0-9,]+\\}'/'{oids}'/; s/oid = '[0-9]+'/oid = '-'/; s/relfrozenxid = '[0-9]+', relminmxid = '[0-9]+'/relfrozenxid = '-', relminmxid = '-'/" \
        >"$OUT/$d.schema.sql"
done
check "pg_dump --binary-upgrade dumps both" '[ -s "$OUT/$OLD.schema.sql" ] && [ -s "$OUT/$NEW.schema.sql" ]'
check "the updated catalog is the fresh install's catalog" 'diff -u "$OUT/$NEW.schema.sql" "$OUT/$OLD.schema.sql" >"$OUT/schema.diff"'
[ -s "$OUT/schema.diff" ] && sed 's/^/# /' "$OUT/schema.diff" | head -60

[ -n "${KEEP:-}" ] || for d in $OLD $NEW; do psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $d"; done
