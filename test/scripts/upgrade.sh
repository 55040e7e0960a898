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
SELECT lic_test.walk('scrap-metal', 'issue', '160140001230',
    '{"annexes": [{"subtype": "Заготовка", "address": "Шымкент"}, {"subtype": "Хранение", "address": "Туркестан"}]}');
-- a DBA's own calendar rows: an added day and a changed shipped day
INSERT INTO licensing.calendar_exception (day, kind, name) VALUES ('2026-12-31', 'day_off', 'New Year''s Eve (a DBA''s row)');
UPDATE licensing.calendar_exception SET name = 'Capital Day (checked by a DBA)' WHERE day = '2026-07-06';
SQL
rc=$?
check "the library of today serves the 1.0 script: install and a full walk" '[ $rc -eq 0 ]'
[ $rc -eq 0 ] || sed 's/^/# /' "$OUT/fill.out" | tail -20
check "the walk made licences and events" \
      '[ "$(q $OLD "SELECT count(*) > 0 FROM licensing.licence")" = t ] && [ "$(q $OLD "SELECT count(*) > 10 FROM licensing.application_event")" = t ]'

# Every row of every table of 1.0, by the columns 1.0 had; of the calendar, the
# profiles, the refusal grounds, services and providers, the rows a DBA added or
# changed (the update corrects shipped rows: below; 1.1 adds the operation annex
# and ships the seeds' providers).
q $OLD "SELECT c.relname || ' ' || string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum)
          FROM pg_class c
          JOIN pg_depend d ON d.objid = c.oid AND d.classid = 'pg_class'::regclass AND d.deptype = 'e'
          JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'licensing'
          JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
         WHERE c.relkind IN ('r', 'p') GROUP BY c.relname ORDER BY 1" >"$OUT/cols"
calendar_where() { case $1 in calendar_year|calendar_exception|profile|profile_step|refusal_ground|service|provider) echo "WHERE NOT shipped" ;; esac; }
snapshot() {
    : >"$1"
    while read -r t cols; do
        echo "$t $(q $OLD "SELECT count(*) || ' ' || coalesce(md5(string_agg(x::text, ',' ORDER BY x::text)), '-')
                             FROM (SELECT $cols FROM licensing.$t $(calendar_where $t)) x")" >>"$1"
    done <"$OUT/cols"
}
snapshot "$OUT/before"
q $OLD "CREATE SCHEMA up_snap" >/dev/null
while read -r t cols; do
    q $OLD "CREATE TABLE up_snap.$t AS SELECT $cols FROM licensing.$t $(calendar_where $t)" >/dev/null
done <"$OUT/cols"
check "the snapshot covers the tables of 1.0" '[ "$(wc -l <"$OUT/before")" -gt 20 ]'

q $OLD "ALTER EXTENSION licensing UPDATE" >"$OUT/update.out" 2>&1
rc=$?
check "ALTER EXTENSION licensing UPDATE succeeds" '[ $rc -eq 0 ]'
[ $rc -eq 0 ] || sed 's/^/# /' "$OUT/update.out"
check "the updated database is at version $current" '[ "$(q $OLD "SELECT extversion FROM pg_extension WHERE extname = '"'licensing'"'")" = "$current" ]'

snapshot "$OUT/after"
# every row of 1.0 is still there, unchanged; rows the new version ships (say a
# refusal ground of 1.1) may be added to them
missing_rows() {
    local t cols lost
    while read -r t cols; do
        lost=$(q $OLD "SELECT count(*) FROM (SELECT * FROM up_snap.$t EXCEPT ALL SELECT $cols FROM licensing.$t $(calendar_where $t)) x")
        [ "$lost" = 0 ] || echo "$t: $lost rows of 1.0 missing or changed"
    done <"$OUT/cols"
}
missing_rows >"$OUT/data.diff"
check "every row of 1.0 is there and unchanged after the update" '[ ! -s "$OUT/data.diff" ]'
[ -s "$OUT/data.diff" ] && { sed 's/^/# /' "$OUT/data.diff"; diff "$OUT/before" "$OUT/after" | sed 's/^/# /' | head -20; }
check "every application chain verifies after the update" '[ "$(q $OLD "SELECT licensing.verify_history()")" = t ]'
check "every licence chain verifies after the update" '[ "$(q $OLD "SELECT licensing.verify_licence_history()")" = t ]'
check "the annexes of 1.0 have their number, date, status and application after the update" \
      '[ "$(q $OLD "SELECT count(*) FILTER (WHERE la.number = la.licence || '"'-0'"' || la.position AND la.issued_on = l.issued_on
                                                AND la.status = l.status AND la.application = l.application)
                       || '"'/'"' || count(*) FROM licensing.licence_annex la JOIN licensing.licence l ON l.number = la.licence")" = 2/2 ]'
check "the providers 1.0 served keep rendering what they rendered (provider_service)" \
      '[ "$(q $OLD "SELECT string_agg(provider || '"':'"' || service, '"','"' ORDER BY provider) FROM licensing.provider_service WHERE NOT shipped")" = "alm:scrap-metal,krg:eco-expertise,lic-south:scrap-metal,sko:scrap-metal" ]'

# The chains of 1.0 go on in 1.1's encoding (chain_encoding 2 after the NULLs of
# 1.0) and verify: an application walked on, a licence suspended and resumed.
q $OLD "SELECT wf_test.advance(id, 'registered') FROM licensing.application WHERE state = 'submitted'" >"$OUT/after-walk.out" 2>&1 &&
q $OLD "SET ROLE lic_admin; SELECT licensing.suspend_licence(number, 'court_decision') FROM licensing.licence WHERE status = 'active';
        SELECT licensing.resume_licence(number) FROM licensing.licence WHERE status = 'suspended'" >>"$OUT/after-walk.out" 2>&1
rc=$?
check "after the update, 1.1 appends to the chains 1.0 wrote" '[ $rc -eq 0 ]'
[ $rc -eq 0 ] || sed 's/^/# /' "$OUT/after-walk.out" | tail -10
check "... each such chain: 1.0's events (encoding NULL), then 1.1's (2), both histories" \
      '[ "$(q $OLD "SELECT (SELECT count(DISTINCT application) > 0 FROM licensing.application_event e WHERE e.chain_encoding = 2
                             AND EXISTS (SELECT FROM licensing.application_event o WHERE o.application = e.application AND o.chain_encoding IS NULL)),
                                (SELECT count(DISTINCT licence) > 0 FROM licensing.licence_event e WHERE e.chain_encoding = 2
                             AND EXISTS (SELECT FROM licensing.licence_event o WHERE o.licence = e.licence AND o.chain_encoding IS NULL))")" = "t|t" ]'
check "... and they verify" '[ "$(q $OLD "SELECT licensing.verify_history() AND licensing.verify_licence_history()")" = t ]'

# One backend through it all: 1.1, dropped, 1.0 walked, updated, walked on; the
# library's memos (the append's encoding and plan, licensing.iin's oid) follow.
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS up_same" -c "CREATE DATABASE up_same" >/dev/null 2>&1
same=$(psql -X -At -v ON_ERROR_STOP=1 -v pki="${LICENSING_PKI:-$PWD/test/fixtures/pki}" -d up_same 2>&1 <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION licensing;
SET test_pki.dir = :'pki';
\i test/fixtures/signing.sql
SELECT test_pki.load_trust();
\i test/fixtures/workflow.sql
SELECT wf_test.advance(wf_test.draft('scrap-metal', '160140001230', 'sko'), 'registered');
DROP SCHEMA wf_test CASCADE; DROP SCHEMA test_pki CASCADE;
DROP EXTENSION licensing CASCADE;
CREATE EXTENSION licensing VERSION '1.0';
\i test/fixtures/signing.sql
SELECT test_pki.load_trust();
\i test/fixtures/workflow.sql
SELECT wf_test.advance(wf_test.draft('scrap-metal', '160140001230', 'sko'), 'registered');
ALTER EXTENSION licensing UPDATE;
SELECT wf_test.advance(id, 'assigned') FROM licensing.application;
SELECT 'result ' || licensing.verify_history() || ' ' || array_to_string(array_agg(coalesce(chain_encoding::text, '-') ORDER BY seq), ',')
  FROM licensing.application_event;
SQL
)
check "one backend: 1.1 dropped, 1.0 walked (1.0's encoding), updated, walked on (2): the chain verifies" \
      '[ "$(echo "$same" | grep "^result ")" = "result true -,-,-,-,-,2" ]'
echo "$same" | grep -q "^result true" || echo "$same" | sed 's/^/# /' | tail -5
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS up_same" >/dev/null 2>&1

# The shipped calendar: the update corrects it to a fresh install's (30 Aug
# 2026 no longer Constitution Day, nor 31 Aug its carry; the years' sources).
q $NEW "CREATE EXTENSION licensing" >/dev/null
shipped() { q $1 "SELECT md5(string_agg(x::text, ',' ORDER BY x::text)) FROM (
                     SELECT 'y', year::text, source, NULL FROM licensing.calendar_year WHERE shipped
                     UNION ALL SELECT 'e', day::text, kind || '/' || name || '/' || carries, carry_of::text
                       FROM licensing.calendar_exception WHERE shipped AND day::text NOT IN ($user_days)) x"; }
# (a day the DBA inserted or changed is the DBA's in the updated database only)
user_days=$(q $OLD "SELECT string_agg(quote_literal(day::text), ',') FROM licensing.calendar_exception WHERE NOT shipped")
check "the shipped calendar rows after the update are a fresh install's" '[ "$(shipped $OLD)" = "$(shipped $NEW)" ]'
# The shipped profiles, their steps, the refusal grounds and intake reasons (issue
# #15: the regulations cited by their identity, two more profiles): a fresh install's.
texts() { q $1 "SELECT md5(string_agg(x, ',' ORDER BY x)) FROM (
                  SELECT p::text AS x FROM licensing.profile p WHERE shipped
                  UNION ALL SELECT s::text FROM licensing.profile_step s WHERE shipped
                  UNION ALL SELECT g::text FROM licensing.refusal_ground g WHERE shipped
                  UNION ALL SELECT r::text FROM licensing.intake_reason r WHERE shipped
                  UNION ALL SELECT c::text FROM licensing.ground_citation c WHERE shipped
                  UNION ALL SELECT v::text FROM licensing.service v WHERE shipped) y"; }
check "the shipped profiles, grounds, reasons and services after the update are a fresh install's" '[ "$(texts $OLD)" = "$(texts $NEW)" ]'
check "after the update 30 Aug 2026 is a Sunday like any other and Mon 31 Aug 2026 a working day" \
      '[ "$(q $OLD "SELECT NOT EXISTS (SELECT FROM licensing.calendar_exception WHERE day IN ('"'2026-08-30'"', '"'2026-08-31'"')) AND licensing.is_working_day('"'2026-08-31'"')")" = t ]'
shipped_results() { q $1 "SELECT md5(string_agg(x::text, ',' ORDER BY x::text)) FROM (
                             SELECT 'p', code, name_kk, name_ru, name_en, region FROM licensing.provider WHERE shipped
                             UNION ALL SELECT 's', provider, service, NULL, NULL, NULL FROM licensing.provider_service WHERE shipped
                             UNION ALL SELECT 'o', code, array_to_string(operations, ','), NULL, NULL, NULL FROM licensing.service WHERE shipped) x"; }
check "the shipped providers, provider_service rows and service operations after the update are a fresh install's" \
      '[ "$(shipped_results $OLD)" = "$(shipped_results $NEW)" ]'
check "the DBA's calendar rows are still the DBA's after the update" \
      '[ "$(q $OLD "SELECT count(*) FROM licensing.calendar_exception WHERE NOT shipped AND day IN ('"'2026-12-31'"', '"'2026-07-06'"')")" = 2 ]'

# The catalog: a fresh install of the current version and the updated one dump alike.
for d in $OLD $NEW; do
    # the walk's own schemas are not the extension's
    q $d "DROP SCHEMA IF EXISTS wf_test CASCADE; DROP SCHEMA IF EXISTS test_pki CASCADE; DROP SCHEMA IF EXISTS lic_test CASCADE; DROP SCHEMA IF EXISTS up_snap CASCADE" >/dev/null 2>&1
    pg_dump --schema-only --binary-upgrade -d $d 2>"$OUT/$d.dump.err" \
        | grep -v -E "binary_upgrade_set_next_|pg_catalog.setval|^\\\\(un)?restrict |^-- Dumped (from|by)" \
        | sed -E "s/'\\{[0-9,]+\\}'/'{oids}'/; s/oid = '[0-9]+'/oid = '-'/; s/relfrozenxid = '[0-9]+', relminmxid = '[0-9]+'/relfrozenxid = '-', relminmxid = '-'/" \
        >"$OUT/$d.schema.sql"
done
check "pg_dump --binary-upgrade dumps both" '[ -s "$OUT/$OLD.schema.sql" ] && [ -s "$OUT/$NEW.schema.sql" ]'
check "the updated catalog is the fresh install's catalog" 'diff -u "$OUT/$NEW.schema.sql" "$OUT/$OLD.schema.sql" >"$OUT/schema.diff"'
[ -s "$OUT/schema.diff" ] && sed 's/^/# /' "$OUT/schema.diff" | head -60

[ -n "${KEEP:-}" ] || for d in $OLD $NEW; do psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $d"; done
