#!/usr/bin/env bash
# test/scripts/licence_dump.sh: the licence register across sessions and
# across pg_dump / pg_restore (QUALITY §3 R6).
#
# Walks real applications (issue with annexes, duplicate, re-issue, suspension,
# an ecological conclusion) in one database, then checks that
#   - each licence's canonical document bytes are the same in another session
#     with other TimeZone, DateStyle and float settings, and equal the signed bytes;
#   - pg_dump + a plain pg_restore into a fresh database keeps every
#     licence, annex, duplicate and history event, the documents' bytes, the
#     head's signatures (still verifying), the history chains and the guard;
#   - the number sequence carries over: a licence issued after the restore gets
#     a number never seen before.
# Prints TAP lines.  Uses the shared cluster (PGHOST/PGPORT) and $LICENSING_PKI.
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
WORK_DIR=${WORK_DIR:-$(mktemp -d)}
mkdir -p "$WORK_DIR"
chmod 777 "$WORK_DIR"

n=0
check() {   # check <0 = ok> <description>
    n=$((n + 1))
    if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}
same() {    # same <file a> <file b> <description>
    if cmp -s "$1" "$2" && [ -s "$1" ]; then check 0 "$3"; else check 1 "$3"; diff "$1" "$2" | head -20 | sed 's/^/# /'; fi
}
q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }

SRC=lic_dump_src
DST=lic_dump_dst
q -c "DROP DATABASE IF EXISTS $SRC" -c "DROP DATABASE IF EXISTS $DST" -c "CREATE DATABASE $SRC" >/dev/null

q -d $SRC -c "CREATE EXTENSION licensing" >/dev/null
q -d $SRC >"$WORK_DIR/walk.out" 2>&1 <<SQL
SET test_pki.dir = '$LICENSING_PKI';
\i $ROOT/test/pgtap/licence_fixture.psql
SELECT lic_test.walk('scrap-metal', 'issue', '160140001230',
    '{"annexes": [{"subtype": "Заготовка лома", "address": "Шымкент, ул. Байтурсынова 1", "branch_bin": "160141001236"},
                  {"subtype": "Хранение", "address": "Туркестан"}]}') AS a1 \gset
SELECT lic_test.licence_of(:a1) AS l1 \gset
SELECT lic_test.walk('scrap-metal', 'duplicate', '160140001230', '{}', :'l1', '{"annex": 1}');
SELECT lic_test.walk('scrap-metal', 'reissue', '160140001230', '{}', :'l1', '{"ground": "name_change"}') AS a2 \gset
SELECT lic_test.licence_of(:a2) AS l2 \gset
SET ROLE lic_head;
SELECT licensing.suspend_licence(:'l2', 'licensee_request', '2099-12-31');
RESET ROLE;
SELECT lic_test.walk('eco-expertise', 'issue', '901120405675', '{}');
SQL
check $? "licences issued, duplicated, re-issued, suspended in $SRC"

DOCS="SELECT l.number, encode(sha256(convert_to(licensing.canonical_json(licensing.licence_document(l.number)), 'UTF8')), 'hex'),
              encode(sha256((licensing.licence_signed(l.number)).payload), 'hex')
         FROM licensing.licence l ORDER BY l.number"
REGISTER="SELECT number, kind, holder, holder_name, service, status, issued_on, provider, annexes, supersedes, superseded_by,
                 status_ground, suspended_until FROM licensing.licence_register ORDER BY number"
REST="SELECT 'duplicates', count(*) FROM licensing.licence_duplicate
      UNION ALL SELECT 'events', count(*) FROM licensing.licence_event
      UNION ALL SELECT 'event hashes', count(DISTINCT hash) FROM licensing.licence_event
      UNION ALL SELECT 'annexes', count(*) FROM licensing.licence_annex"
SIGS="SELECT bool_and(v.valid) AND count(*) > 0 FROM licensing.licence l,
             LATERAL licensing.licence_signed(l.number) s, LATERAL licensing.verify_signature(s.payload, s.signature) v"

q -d $SRC -c "$DOCS" >"$WORK_DIR/docs.src"
awk -F'|' '$2 != $3 { bad = 1 } END { exit bad }' "$WORK_DIR/docs.src"
check $? "each licence's document re-encodes to exactly the signed bytes"
PGOPTIONS="-c TimeZone=Pacific/Chatham -c DateStyle=German,DMY -c extra_float_digits=-3 -c IntervalStyle=sql_standard" \
    q -d $SRC -c "$DOCS" >"$WORK_DIR/docs.other"
same "$WORK_DIR/docs.src" "$WORK_DIR/docs.other" "document bytes are the same in another session with other TimeZone, DateStyle, float digits"
q -d $SRC -c "$REGISTER" >"$WORK_DIR/register.src"
q -d $SRC -c "$REST" >"$WORK_DIR/rest.src"
q -d $SRC -c "SELECT max(number) FROM licensing.licence" >/dev/null
q -d $SRC -c "SELECT number FROM licensing.licence UNION SELECT result_number FROM licensing.application WHERE result_number IS NOT NULL" \
    >"$WORK_DIR/numbers.src"

pg_dump -Fc -f "$WORK_DIR/src.dump" $SRC 2>"$WORK_DIR/dump.err"
check $? "pg_dump of $SRC"
q -c "CREATE DATABASE $DST" >/dev/null
pg_restore -d $DST "$WORK_DIR/src.dump" 2>"$WORK_DIR/restore.err"
rc=$?
[ $rc -ne 0 ] && head -20 "$WORK_DIR/restore.err" | sed 's/^/# /'
check $rc "plain pg_restore into $DST"

q -d $DST -c "$REGISTER" >"$WORK_DIR/register.dst"
same "$WORK_DIR/register.src" "$WORK_DIR/register.dst" "the register is the same after restore (status, annexes, re-issue links, suspension)"
q -d $DST -c "$REST" >"$WORK_DIR/rest.dst"
same "$WORK_DIR/rest.src" "$WORK_DIR/rest.dst" "duplicates, annexes and history events are all restored"
q -d $DST -c "$DOCS" >"$WORK_DIR/docs.dst"
same "$WORK_DIR/docs.src" "$WORK_DIR/docs.dst" "document bytes are the same after restore"
[ "$(q -d $DST -c "SELECT licensing.verify_licence_history()")" = t ]
check $? "every licence's history chain verifies after restore"
[ "$(q -d $SRC -c "$SIGS")" = t ] && [ "$(q -d $DST -c "$SIGS")" = t ]
check $? "the head's signature on every stored licence verifies, before and after restore"
[ "$(q -d $DST -c "SELECT count(*) FROM licensing.reissue_ground WHERE shipped") " = "5 " ]
check $? "shipped grounds are not doubled by the restore"

out=$(q -d $DST -c "UPDATE licensing.licence SET status = 'active'" 2>&1)
echo "$out" | grep -q "cannot update licence directly"
check $? "the guard still refuses a raw UPDATE after restore"
out=$(q -d $DST -c "INSERT INTO licensing.licence_annex SELECT licence, position + 10, subtype, address, branch_bin FROM licensing.licence_annex" 2>&1)
echo "$out" | grep -q "cannot insert into licence_annex directly"
check $? "and a superuser's raw INSERT (only COPY, as pg_restore does, loads rows)"

q -d $DST >"$WORK_DIR/walk2.out" 2>&1 <<SQL
SET test_pki.dir = '$LICENSING_PKI';
\i $ROOT/test/pgtap/licence_fixture.psql
SELECT lic_test.licence_of(lic_test.walk('scrap-metal', 'issue', '170240007770', '{}')) AS fresh \gset
\echo :fresh
SQL
check $? "a licence is issued in the restored database"
fresh=$(tail -1 "$WORK_DIR/walk2.out")
if [ -n "$fresh" ] && ! grep -qx "$fresh" "$WORK_DIR/numbers.src" \
   && [ "${fresh:5:8}" \> "$(cut -c6-13 "$WORK_DIR/numbers.src" | sort | tail -1)" ]; then
    check 0 "its number ($fresh) is new: the sequence carried over, nothing is reused"
else
    check 1 "its number ($fresh) is new: the sequence carried over, nothing is reused"
fi

q -c "DROP DATABASE $SRC" -c "DROP DATABASE $DST" >/dev/null
echo "1..$n"
