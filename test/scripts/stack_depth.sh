#!/usr/bin/env bash
# stack_depth (issue #16 part 1): a form nested deeper than the C stack holds
# ends in a clean "stack depth limit exceeded" (54001), never in SIGSEGV.
# The jsonb parser checks the stack itself, so the form is nested as deep as it
# accepts under a raised max_stack_depth (superuser, up to the ulimit) and our
# recursive encoder (canonical_json, reached by create_application's hashing)
# is the one that overflows.  Own cluster: a crash must not take down the
# shared one.
set -uo pipefail
cd "$(dirname "$0")/../.."
source test/cluster.sh
DIR=${WORK_DIR:-/tmp/stack_depth}/cluster
mkdir -p "$(dirname "$DIR")"
chmod 755 "$(dirname "$DIR")"
n=0
check() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fi; }
trap 'cluster_stop "$DIR"' EXIT
cluster_start "$DIR" >/dev/null || { echo "not ok 1 - cluster starts"; exit 1; }

psql -X -q -v ON_ERROR_STOP=1 >/dev/null 2>&1 <<'SQL' || { echo "not ok 1 - setup"; exit 1; }
SET client_min_messages = warning;
CREATE EXTENSION licensing;
\i test/fixtures/workflow.sql
DROP SCHEMA wf_test CASCADE;
SQL

# The deepest stack the server may be told it has: the soft ulimit less 1 MB
# (PostgreSQL refuses more), at most 7 MB.
kb=$(ulimit -s)
[ "$kb" = unlimited ] && kb=8192
mb=$(( kb / 1024 - 1 )); [ "$mb" -gt 7 ] && mb=7; [ "$mb" -lt 2 ] && mb=2
# As deep as the parser accepts (its frames are smaller than the encoder's):
# the first of these depths that parses.
depth=
for d in 90000 70000 55000 45000 35000 25000; do
    if [ "$(psql -X -q -At -c "SET max_stack_depth = '${mb}MB'" \
             -c "SELECT pg_catalog.jsonb_typeof((pg_catalog.repeat('[', $d) || pg_catalog.repeat(']', $d))::jsonb)" 2>/dev/null)" = array ]; then
        depth=$d; break
    fi
done
check "the jsonb parser accepts a form ${depth:-?} deep under max_stack_depth ${mb}MB" '[ -n "$depth" ]'
depth=${depth:-25000}

# SQLSTATE of a statement run as superuser with the raised limit (psql prints
# it with VERBOSITY verbose); "crash" when the connection was lost.
run() {
    psql -X -q -v VERBOSITY=verbose -c "SET max_stack_depth = '${mb}MB'" -c "$1" >"$DIR/out" 2>&1
    if grep -qE "server closed the connection|connection to server was lost|terminated abnormally" "$DIR/out"; then
        echo crash
    else
        sed -n 's/^ERROR:  \([0-9A-Z]\{5\}\):.*/\1/p' "$DIR/out" | head -1
    fi
}
alive() {
    for _ in $(seq 1 100); do psql -X -At -c "SELECT 1" >/dev/null 2>&1 && return 0; sleep 0.2; done
    return 1
}
deep="(pg_catalog.repeat('[', $depth) || pg_catalog.repeat(']', $depth))::jsonb"

r=$(run "SELECT pg_catalog.length(licensing.canonical_json($deep))")
check "canonical_json of a form $depth deep: 54001 ($r)" '[ "$r" = 54001 ]'
alive
r=$(run "SELECT licensing.set_clock('2025-03-03 10:00+05'); SET ROLE wf_clerk;
         SELECT licensing.create_application('scrap-metal', 'issue', '160140001230', 'sko',
                                             form => ('{\"x\": ' || pg_catalog.repeat('[', $depth) || pg_catalog.repeat(']', $depth) || '}')::jsonb, channel => 'office')")
check "create_application with a form $depth deep: 54001 ($r)" '[ "$r" = 54001 ]'
check "the server is alive and was never restarted" 'alive && ! grep -qE "terminated by signal|was terminated" "$DIR/server.log"'
# jsonb orders keys by length first, RFC 8785 by code units: an insertion
# sort of these is quadratic (about 100 s); sorted properly, well under a second.
r=$(run "SET statement_timeout = '20s'; SELECT pg_catalog.length(licensing.canonical_json((SELECT pg_catalog.jsonb_object_agg(g::text, g) FROM pg_catalog.generate_series(1, 200000) g)))")
check "canonical_json of an object of 200000 keys finishes within 20 s (not quadratic) (${r:-no error})" '[ -z "$r" ] && grep -q "^ *[0-9]" "$DIR/out"'
