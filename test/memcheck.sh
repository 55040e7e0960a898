#!/usr/bin/env bash
# test/memcheck.sh (QUALITY R8): the pg_regress and pgTAP suites against a
# server running under valgrind memcheck (--trace-children=yes, --leak-check=no),
# then a summary of the errors whose stacks pass through licensing.so or libcrypto.
# TESTS=pattern narrows it to sql/PATTERN.sql and test/pgtap/PATTERN.sql
# (default: every test); TEST_SCRIPTS=pattern also runs test/scripts/PATTERN.sh
# against the same server (default: none; they need sessions of their own).
#
# Debian's server is built without USE_VALGRIND, so palloc misuse is not seen;
# what is seen: invalid reads/writes and uses of uninitialised values in the
# extension's C code and in OpenSSL as the extension drives it (malloc memory).
# A one-off check (slow: minutes), not part of test/run-all.sh.
#
# (ASan was tried first: Debian's postgres deadlocks in bindtextdomain at start
# with libasan preloaded, so valgrind it is.)
#
#   PG_CONFIG=... [TESTS=signature*] [TEST_SCRIPTS=workflow*] bash test/memcheck.sh
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export PG_CONFIG=${PG_CONFIG:-pg_config}
PGBIN=$("$PG_CONFIG" --bindir)
source test/cluster.sh
bash test/fixtures/make-pki.sh >/dev/null
export LICENSING_PKI=$ROOT/test/fixtures/pki
make -s && make -s install >/dev/null || exit 1

DIR=$(mktemp -d /tmp/licensing-memcheck.XXXXXX)
chmod 755 "$DIR"; chown postgres: "$DIR"
PORT=$(free_port)
as_cluster_owner "$PGBIN/initdb" -D "$DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
as_cluster_owner bash -c "cd '$DIR' && LICENSING_PKI='$LICENSING_PKI' valgrind --quiet --leak-check=no --trace-children=yes --trace-children-skip='*/sh,*/openssl,*/rm' \
    --error-limit=no --num-callers=30 --log-file='$DIR/vg.%p.log' \
    '$PGBIN/postgres' -D '$DIR/data' -c listen_addresses= -c unix_socket_directories='$DIR' -c port=$PORT \
    -c fsync=off -c max_connections=20 >'$DIR/server.log' 2>&1 &"
export PGHOST=$DIR PGPORT=$PORT PGUSER=postgres PGDATABASE=postgres
for _ in $(seq 1 120); do pg_isready -q && break; sleep 1; done

TESTS=${TESTS:-*}
regress=$(cd sql && ls $TESTS.sql 2>/dev/null | sed 's/\.sql$//' | tr '\n' ' ')
[ -n "$regress" ] && make -s installcheck REGRESS="$regress" ISOLATION= 2>&1 | grep -E ' (ok|FAILED)'
psql -X -q -c "CREATE DATABASE licensing_tap" && \
psql -X -q -d licensing_tap -c "CREATE EXTENSION pgtap; CREATE EXTENSION dblink; CREATE EXTENSION licensing"
for f in test/pgtap/$TESTS.sql; do
    [ -f "$f" ] || continue
    pg_prove -v -d licensing_tap "$f" 2>&1 | grep -vE "^ok [0-9]+" | tail -25 | sed "s|^|$(basename "$f"): |"
done

for f in ${TEST_SCRIPTS:+test/scripts/$TEST_SCRIPTS.sh}; do
    [ -f "$f" ] || continue
    WORK_DIR="$DIR/$(basename "$f" .sh)" bash "$f" 2>&1 | grep -E "^(not )?ok" | sed "s|^|$(basename "$f"): |"
done

as_cluster_owner "$PGBIN/pg_ctl" -D "$DIR/data" -m fast -w -t 300 stop >/dev/null
echo "== valgrind: processes logged: $(ls "$DIR"/vg.*.log | wc -l)"
echo "== error summaries (all processes): $(cat "$DIR"/vg.*.log | grep -c 'ERROR SUMMARY: [1-9]') processes with errors"
echo "== errors with licensing.so or libcrypto on the stack:"
awk '/^==[0-9]+== [A-Z][a-z]/{blk=$0; next} /^==[0-9]+==    (at|by)/{blk=blk"\n"$0; next} /^==[0-9]+== $/{ if (blk ~ /licensing\.so|libcrypto/) print blk"\n"; blk=""}' "$DIR"/vg.*.log | head -100
n=$(awk '/^==[0-9]+== [A-Z][a-z]/{blk=$0; next} /^==[0-9]+==    (at|by)/{blk=blk"\n"$0; next} /^==[0-9]+== $/{ if (blk ~ /licensing\.so|libcrypto/) c++; blk=""} END{print c+0}' "$DIR"/vg.*.log)
echo "== $n error(s) involving the extension or OpenSSL; logs in $DIR"
