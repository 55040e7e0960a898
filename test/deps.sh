#!/usr/bin/env bash
# test/deps.sh: install the Debian packages licensing needs to build, test and
# demonstrate itself.  Idempotent: does nothing when all are present.
set -euo pipefail

PACKAGES=(
    make gcc clang libclang-rt-14-dev       # build; libFuzzer + ASan for the fuzz harnesses
    postgresql-15 postgresql-server-dev-15  # server and PGXS
    postgresql-contrib                      # dblink, used by cross-session tests
    postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl   # pgTAP and pg_prove
    libssl-dev openssl                      # OpenSSL library and the CLI that makes test PKI
    libkrb5-dev                             # needed by libpq/libpq-be.h
    pgbouncer                               # the pooled-session test (test/scripts/security_pool.sh)
    postgresql-15-pgaudit                   # audit of a step's writes (test/scripts/workflow_executor.sh)
    postgresql-15-cron                      # check_deadlines every minute (test/scripts/deadlines_cron.sh)
    jq bc python3                           # demo and benchmark helpers
    dpkg-dev debhelper postgresql-server-dev-all  # the Debian package (pg_buildext; test/scripts/package_deb.sh)
)

missing=()
for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" != 0 ]; then
        echo "missing packages: ${missing[*]}; run this as root" >&2
        exit 1
    fi
    echo "installing: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Debian's package starts a cluster of its own; nothing here uses it.
