#!/usr/bin/env bash
# test/demo.sh: install what is needed, build, install, start a throw-away
# cluster and walk real applications through licensing, printing what a user
# would want to see.  The walk is test/demo/*.sql, run in name order.
#
#   bash test/demo.sh          # stops its cluster at the end
#   KEEP=1 bash test/demo.sh   # leaves it running and prints how to connect
set -euo pipefail
cd "$(dirname "$0")/.."
export PG_CONFIG=${PG_CONFIG:-pg_config}

bash test/deps.sh
echo "== building and installing licensing"
make -s >/dev/null
make -s install >/dev/null
if [ -x test/fixtures/make-pki.sh ]; then
    bash test/fixtures/make-pki.sh >/dev/null
fi
export LICENSING_PKI=$PWD/test/fixtures/pki

source test/cluster.sh
DEMO_DIR=$(mktemp -d /tmp/licensing-demo.XXXXXX)
chmod 755 "$DEMO_DIR"
if [ "${KEEP:-0}" != 1 ]; then
    trap 'cluster_stop "$DEMO_DIR"' EXIT
fi
cluster_start "$DEMO_DIR"
echo "== a throw-away cluster is running in $DEMO_DIR (port $PGPORT)"
psql -X -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE demo" >/dev/null
export PGDATABASE=demo
psql -X -q -v ON_ERROR_STOP=1 -c "CREATE EXTENSION licensing" >/dev/null
echo "== CREATE EXTENSION licensing: done"

for f in test/demo/*.sql; do
    psql -X -q -v ON_ERROR_STOP=1 -v pki="$LICENSING_PKI" -P pager=off -f "$f"
done

if [ "${KEEP:-0}" = 1 ]; then
    echo
    echo "The cluster keeps running. Connect with:"
    echo "  psql -h $PGHOST -p $PGPORT -U postgres demo"
    echo "Stop it with:"
    echo "  ${SUDO_PREFIX:-}$PGBIN/pg_ctl -D $DEMO_DIR/data stop"
fi
