#!/usr/bin/env bash
# bench/workflow/instructions.sh: P3's step counted in instructions (callgrind), a
# steady instrument where tps on a shared two-core machine varies by +-20 % a run.
#
# COUNT register() calls, one per transaction, then COUNT of the floor's statement
# (bench/workflow/run.sh), each in a single-user backend under callgrind; only
# execution is counted (PortalRun, transaction start and commit), not parsing or
# planning, nor the client round trip.  Prints instructions per step of each and
# their ratio.  Needs valgrind (apt-get install valgrind).
#
#   PG_CONFIG=... [COUNT=300] bash bench/workflow/instructions.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
export PG_CONFIG=${PG_CONFIG:-pg_config}
COUNT=${COUNT:-300}
command -v valgrind >/dev/null || { echo "valgrind is needed: apt-get install valgrind" >&2; exit 2; }

make -s >/dev/null && make -s install >/dev/null
source test/cluster.sh
DIR=$(mktemp -d /tmp/licensing-bench-instr.XXXXXX)
chmod 755 "$DIR"
trap 'cluster_stop "$DIR"' EXIT
cluster_start "$DIR"

psql -X -q -v ON_ERROR_STOP=1 -v n="$COUNT" <<'SQL' >/dev/null
SET client_min_messages = warning;
CREATE EXTENSION licensing;
CREATE ROLE bench_clerk LOGIN;
GRANT licensing_staff TO bench_clerk;
INSERT INTO licensing.provider (code, name_kk, name_ru, name_en) VALUES ('bp', 'bench', 'bench', 'bench');
INSERT INTO licensing.provider_service (provider, service) VALUES ('bp', 'eco-expertise');
INSERT INTO licensing.staff (role, provider, position, iin) VALUES ('bench_clerk', 'bp', 'clerk', NULL);
INSERT INTO licensing.person (iin, name) VALUES ('901120405675', 'bench');
SET ROLE bench_clerk;
SELECT count(licensing.submit(licensing.create_application('eco-expertise', 'issue', '901120405675', 'bp',
    '{"object": {"name": "bench", "address": "bench", "category": "II"}}', channel => 'office')))
  FROM generate_series(1, :n);
RESET ROLE;
CREATE TABLE floor_app AS SELECT * FROM licensing.application;
ALTER TABLE floor_app ADD PRIMARY KEY (id);
CREATE INDEX ON floor_app (provider, state);
CREATE INDEX ON floor_app (applicant);
CREATE TABLE floor_event AS SELECT * FROM licensing.application_event;
ALTER TABLE floor_event ADD PRIMARY KEY (application, seq);
CREATE INDEX ON floor_event (at);
VACUUM ANALYZE;
SQL
ids=$(psql -X -At -c "SELECT id FROM licensing.application WHERE state = 'submitted' ORDER BY id")
as_cluster_owner "$PGBIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null

{ echo "SET ROLE bench_clerk;"
  for id in $ids; do echo "SELECT licensing.register($id);"; done; } >"$DIR/api.sql"
for id in $ids; do
    echo "WITH u AS (UPDATE floor_app f SET state = 'registered', updated_at = now() WHERE f.id = $id AND f.state = 'submitted' RETURNING f.id) INSERT INTO floor_event (application, seq, at, actor_role, what, from_state, to_state, payload, hash) SELECT id, 3, now(), current_user, 'register', 'submitted', 'registered', '{}', '\\x' FROM u;"
done >"$DIR/floor.sql"
chmod 644 "$DIR"/*.sql

count() { # variant: instructions per step
    as_cluster_owner valgrind --tool=callgrind --callgrind-out-file="$DIR/cg.$1" --collect-atstart=no \
        --toggle-collect=PortalRun --toggle-collect=StartTransactionCommand --toggle-collect=CommitTransactionCommand \
        "$PGBIN/postgres" --single -D "$DIR/data" -c synchronous_commit=off postgres <"$DIR/$1.sql" >"$DIR/$1.log" 2>&1
    if grep -q ERROR "$DIR/$1.log"; then grep -m3 ERROR "$DIR/$1.log" >&2; exit 1; fi
    callgrind_annotate "$DIR/cg.$1" 2>/dev/null | awk -v n="$COUNT" '/PROGRAM TOTALS/ {gsub(",", "", $1); print int($1 / n)}'
}
api=$(count api)
floor=$(count floor)
echo "instructions per step ($COUNT each): api $api, floor $floor; api/floor = $(awk -v a="$api" -v f="$floor" 'BEGIN {printf "%.2f", a / f}')"
