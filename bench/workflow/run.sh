#!/usr/bin/env bash
# bench/workflow/run.sh: benchmarks P3 and P5 (QUALITY §2) on a throw-away cluster.
#
# P3, one workflow step per transaction (register), pgbench -M prepared, 2 clients,
# synchronous_commit = off, history tables of equal size, ROUNDS rounds, medians:
#   api    licensing.register(id) as a clerk: C guard (who, order, immutable columns),
#          derived columns with the next step's due moment from the calendar, a
#          SHA-256 hash-chained event over canonical JSON closing the step, NOTIFY
#   floor  the same row UPDATE plus a history INSERT as one plain SQL statement (CTE)
#   naive  a PL/pgSQL state machine: lock, allowed-transitions lookup, UPDATE, INSERT
#   floorix the floor's statement, writing a step's columns, on tables with every
#          index of licensing.application and application_event: index upkeep's share
# P5, whole lifecycles per second (office channel, scrap-metal: create, pay, submit,
# register, assign, confirm, grant, the head's signature made by the openssl CLI and
# verified, deliver), 2 clients, with SMALL and then LARGE applications in the table
# (filler rows copied from walked applications, with their history).  At each size
# P5_REPEATS runs, each preceded by a run of a control: a fixed write (a CTE that
# updates a row of a 10,000-row table and appends to its log, the floor's shape on
# tables that do not grow with ours), so the machine's drift between the two sizes
# cancels in the ratio lifecycles / control; the drift is the ratio of the two
# sizes' median ratios (also printed raw).
#
#   PG_CONFIG=... [P3_ONLY=1|P5_ONLY=1] bash bench/workflow/run.sh
#   (ROUNDS=5 STEPS=5000 P5_SECONDS=20 P5_REPEATS=5 CONTROL_SECONDS=5 SMALL=10000 LARGE=1000000)
set -euo pipefail
cd "$(dirname "$0")/../.."
export PG_CONFIG=${PG_CONFIG:-pg_config}
ROUNDS=${ROUNDS:-5}
STEPS=${STEPS:-5000}          # transactions per client per round
P5_SECONDS=${P5_SECONDS:-20}
P5_REPEATS=${P5_REPEATS:-5}
CONTROL_SECONDS=${CONTROL_SECONDS:-5}
SMALL=${SMALL:-10000}
LARGE=${LARGE:-1000000}
PGBENCH=$("$PG_CONFIG" --bindir)/pgbench

make -s >/dev/null && make -s install >/dev/null
[ -d test/fixtures/pki ] || bash test/fixtures/make-pki.sh >/dev/null
export LICENSING_PKI=$PWD/test/fixtures/pki
source test/cluster.sh
DIR=$(mktemp -d /tmp/licensing-bench-wf.XXXXXX)
chmod 755 "$DIR"
[ -n "${KEEP:-}" ] || trap 'cluster_stop "$DIR"' EXIT
# autovacuum off: on two cores a worker that wakes in the middle of one run
# takes a core from it alone; instead every run starts on freshly vacuumed tables
cluster_start "$DIR" "synchronous_commit = off" "jit = off" "max_connections = 20" "autovacuum = off"
N=$((ROUNDS * 2 * STEPS))
[ -z "${P5_ONLY:-}" ] || N=10

echo "== setup: $N applications submitted through the API, copied to the floor and naive tables"
psql -X -q -v ON_ERROR_STOP=1 -v n="$N" -v pki="$LICENSING_PKI" <<'SQL' >/dev/null
SET client_min_messages = warning;
CREATE EXTENSION licensing;
SET test_pki.dir = :'pki';
\i test/fixtures/signing.sql
SELECT test_pki.load_trust();
DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'bench_clerk') THEN
        CREATE ROLE bench_clerk LOGIN; CREATE ROLE bench_head LOGIN; CREATE ROLE bench_exec LOGIN; CREATE ROLE bench_gw LOGIN;
    END IF;
END $$;
GRANT licensing_staff TO bench_clerk, bench_head, bench_exec;
GRANT licensing_gateway TO bench_gw;
INSERT INTO licensing.provider (code, name_kk, name_ru, name_en) VALUES ('bp', 'bench', 'bench', 'bench');
INSERT INTO licensing.provider_service (provider, service) VALUES ('bp', 'eco-expertise'), ('bp', 'scrap-metal');
INSERT INTO licensing.staff (role, provider, position, iin) VALUES
 ('bench_clerk', 'bp', 'clerk', NULL), ('bench_head', 'bp', 'head', '900101300811'), ('bench_exec', 'bp', 'executor', NULL);
INSERT INTO licensing.person (iin, name) VALUES ('901120405675', 'bench');
INSERT INTO licensing.legal_entity (bin, name) VALUES ('160140001230', 'bench');
SET ROLE bench_clerk;
SELECT count(licensing.submit(licensing.create_application('eco-expertise', 'issue', '901120405675', 'bp',
    '{"object": {"name": "bench", "address": "bench", "category": "II"}}', channel => 'office')))
  FROM generate_series(1, :n);
RESET ROLE;

-- the floor and the naive state machine get the same rows and the same history
CREATE TABLE floor_app AS SELECT * FROM licensing.application;
ALTER TABLE floor_app ADD PRIMARY KEY (id);
CREATE INDEX ON floor_app (provider, state);
CREATE INDEX ON floor_app (applicant);
CREATE TABLE floor_event AS SELECT * FROM licensing.application_event;
ALTER TABLE floor_event ADD PRIMARY KEY (application, seq);
CREATE INDEX ON floor_event (at);
-- the floor again on tables with every index of licensing.application and its
-- history (LIKE ... INCLUDING INDEXES: unique number, open-step due moment,
-- closed steps, late steps): what index upkeep alone costs a step
CREATE TABLE floorix_app (LIKE licensing.application INCLUDING DEFAULTS INCLUDING INDEXES);
INSERT INTO floorix_app SELECT * FROM licensing.application;
CREATE TABLE floorix_event (LIKE licensing.application_event INCLUDING DEFAULTS INCLUDING INDEXES);
INSERT INTO floorix_event SELECT * FROM licensing.application_event;
CREATE SEQUENCE seq_floorix START 1;
CREATE TABLE naive_app AS SELECT * FROM floor_app;
ALTER TABLE naive_app ADD PRIMARY KEY (id);
CREATE INDEX ON naive_app (provider, state);
CREATE INDEX ON naive_app (applicant);
CREATE TABLE naive_event AS SELECT * FROM floor_event;
ALTER TABLE naive_event ADD PRIMARY KEY (application, seq);
CREATE INDEX ON naive_event (at);
CREATE TABLE naive_transition (from_state text, to_state text, PRIMARY KEY (from_state, to_state));
INSERT INTO naive_transition VALUES ('draft', 'submitted'), ('submitted', 'registered'), ('registered', 'assigned'),
    ('assigned', 'in_review'), ('in_review', 'decided'), ('decided', 'signed'), ('signed', 'delivered');
CREATE FUNCTION naive_step(app bigint, target text) RETURNS void LANGUAGE plpgsql AS $f$
DECLARE
    cur text;
BEGIN
    SELECT state INTO cur FROM naive_app WHERE id = app FOR UPDATE;
    IF NOT EXISTS (SELECT 1 FROM naive_transition t WHERE t.from_state = cur AND t.to_state = target) THEN
        RAISE EXCEPTION 'cannot go from % to %', cur, target USING ERRCODE = '55000';
    END IF;
    UPDATE naive_app SET state = target, updated_at = now() WHERE id = app;
    INSERT INTO naive_event (application, seq, at, actor_role, what, from_state, to_state, payload, hash)
    VALUES (app, 3, now(), current_user, 'register', cur, target, '{}', '\x');
END $f$;
CREATE SEQUENCE seq_api START 1;
CREATE SEQUENCE seq_floor START 1;
CREATE SEQUENCE seq_naive START 1;
GRANT USAGE ON SEQUENCE seq_api TO bench_clerk;
VACUUM ANALYZE;
CHECKPOINT;
SQL

cat >"$DIR/api.sql" <<'EOF'
SELECT licensing.register(nextval('seq_api'));
EOF
cat >"$DIR/floor.sql" <<'EOF'
WITH n AS (SELECT nextval('seq_floor') AS id),
     u AS (UPDATE floor_app f SET state = 'registered', updated_at = now() FROM n
            WHERE f.id = n.id AND f.state = 'submitted' RETURNING f.id)
INSERT INTO floor_event (application, seq, at, actor_role, what, from_state, to_state, payload, hash)
SELECT id, 3, now(), current_user, 'register', 'submitted', 'registered', '{}', '\x' FROM u;
EOF
# the same writes as a step: state, the next open step on the row; the closed step on the event
cat >"$DIR/floorix.sql" <<'EOF'
WITH n AS (SELECT nextval('seq_floorix') AS id),
     u AS (UPDATE floorix_app f SET state = 'registered', updated_at = now(), step = 'assign', step_position = 2,
                  step_performer = 'head', step_started_at = now(), step_due_at = now() + interval '1 day' FROM n
            WHERE f.id = n.id AND f.state = 'submitted' RETURNING f.id)
INSERT INTO floorix_event (application, seq, at, actor_role, what, from_state, to_state, payload, hash,
                           step, step_position, step_performer, step_started_at, step_due_at)
SELECT id, 3, now(), current_user, 'register', 'submitted', 'registered', '{}', '\x',
       'register', 1, 'clerk', now() - interval '1 hour', now() + interval '1 hour' FROM u;
EOF
cat >"$DIR/naive.sql" <<'EOF'
SELECT naive_step(nextval('seq_naive'), 'registered');
EOF

tps() { # variant user
    psql -X -q -c "VACUUM" -c "CHECKPOINT"
    "$PGBENCH" -n -M prepared -c 2 -j 2 -t "$STEPS" -U "$2" -f "$DIR/$1.sql" postgres 2>&1 \
        | awk '/^tps = / {print $3}'
}
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

if [ -z "${P5_ONLY:-}" ]; then
echo "== P3: one step per transaction, $ROUNDS rounds of 2 x $STEPS transactions"
: >"$DIR/p3"
for r in $(seq 1 "$ROUNDS"); do
    a=$(tps api bench_clerk); f=$(tps floor postgres); v=$(tps naive postgres); x=$(tps floorix postgres)
    echo "round $r: api $a tps, floor $f tps, naive $v tps, floor with every index $x tps"
    echo "$a $f $v $x" >>"$DIR/p3"
done
api=$(awk '{print $1}' "$DIR/p3" | median); floor=$(awk '{print $2}' "$DIR/p3" | median); naive=$(awk '{print $3}' "$DIR/p3" | median)
floorix=$(awk '{print $4}' "$DIR/p3" | median)
psql -X -At -c "SELECT format('P3 medians: api %s tps, floor %s tps, naive %s tps; api/floor = %s, naive/floor = %s',
                 round($api), round($floor), round($naive), round($api / $floor, 2), round($naive / $floor, 2))"
psql -X -At -c "SELECT format('P3 index upkeep: the floor on tables with every index of ours %s tps = %s x the floor; api/that = %s',
                 round($floorix), round($floorix / $floor, 2), round($api / $floorix, 2))"
psql -X -At -c "SELECT format('P3 check: %s registered through the API, every history chain verifies: %s',
                 count(*) FILTER (WHERE state = 'registered'), licensing.verify_history()) FROM licensing.application"

fi
[ -z "${P3_ONLY:-}" ] || exit 0   # P3_ONLY=1: stop after P3

# ---- P5
cat >"$DIR/lifecycle.sql" <<'EOF'
SET ROLE bench_clerk;
SELECT licensing.create_application('scrap-metal', 'issue', '160140001230', 'bp', channel => 'office') AS app \gset
SELECT licensing.attach_document(:app, 'qualification_documents', 'scan'::bytea, 'q.pdf', true);
SET ROLE bench_gw;
SELECT licensing.record_payment(:app, 19820, 'B-' || :app);
SET ROLE bench_clerk;
SELECT licensing.submit(:app);
SELECT licensing.register(:app);
SET ROLE bench_head;
SELECT licensing.assign(:app, 'bench_exec');
SET ROLE bench_exec;
SELECT licensing.confirm_complete(:app);
SELECT licensing.grant(:app);
SET ROLE bench_head;
SELECT licensing.sign_decision(:app, bench_head_signature(:app));
SET ROLE bench_clerk;
SELECT licensing.deliver(:app);
RESET ROLE;
EOF
psql -X -q -v ON_ERROR_STOP=1 <<'SQL' >/dev/null
-- the head's signature, made by the openssl CLI (superuser only: a definer wrapper)
-- (the openssl pipe now and then breaks under load: try again, up to three times)
CREATE FUNCTION bench_head_signature(app bigint) RETURNS bytea LANGUAGE plpgsql SECURITY DEFINER AS $f$
BEGIN
    FOR i IN 1..3 LOOP
        BEGIN
            RETURN test_pki.sign(licensing.decision_payload(app), 'head');
        EXCEPTION WHEN external_routine_exception OR io_error OR OTHERS THEN
            IF i = 3 THEN RAISE; END IF;
        END;
    END LOOP;
END $f$;
GRANT EXECUTE ON FUNCTION bench_head_signature(bigint) TO bench_head;
GRANT USAGE ON SCHEMA test_pki TO bench_head;
SQL

# grows licensing.application to $1 rows by copying walked applications (with history)
fill_to() {
    psql -X -q -v ON_ERROR_STOP=1 -v target="$1" <<'SQL' >/dev/null
SET session_replication_role = replica;   -- bulk load: no triggers, as pg_restore would
CREATE TEMP TABLE tmpl AS SELECT * FROM licensing.application WHERE state = 'delivered' ORDER BY id LIMIT 1;
CREATE TEMP TABLE tmpl_ev AS SELECT e.* FROM licensing.application_event e JOIN tmpl t ON t.id = e.application;
SELECT GREATEST(:target - count(*), 0) AS need, max(id) AS top FROM licensing.application \gset
SELECT setval('licensing.application_id_seq', :top + :need + 1);
INSERT INTO licensing.application SELECT (jsonb_populate_record(t, jsonb_build_object('id', :top + g, 'number', 'fill-' || (:top + g)))).*
  FROM tmpl t, generate_series(1, :need) g;
INSERT INTO licensing.application_event SELECT (jsonb_populate_record(e, jsonb_build_object('application', :top + g))).*
  FROM tmpl_ev e, generate_series(1, :need) g;
RESET session_replication_role;
VACUUM ANALYZE licensing.application;
VACUUM ANALYZE licensing.application_event;
CHECKPOINT;
SQL
}
lifecycles() {
    "$PGBENCH" -n -M simple -c 2 -j 2 -T "$P5_SECONDS" -f "$DIR/lifecycle.sql" postgres 2>&1 | awk '/^tps = / {print $3}'
}
# the control: the same fixed write at every size (its tables never grow with ours)
psql -X -q -v ON_ERROR_STOP=1 <<'SQL' >/dev/null
CREATE TABLE ctl_app (id int PRIMARY KEY, state text NOT NULL, updated_at timestamptz NOT NULL) WITH (fillfactor = 80);
INSERT INTO ctl_app SELECT g, 'a', now() FROM generate_series(1, 10000) g;
CREATE TABLE ctl_event (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, application int NOT NULL,
                        at timestamptz NOT NULL, state text NOT NULL);
VACUUM ANALYZE ctl_app;
SQL
cat >"$DIR/control.sql" <<'EOF'
\set id random(1, 10000)
WITH u AS (UPDATE ctl_app SET state = CASE state WHEN 'a' THEN 'b' ELSE 'a' END, updated_at = now()
            WHERE id = :id RETURNING id, state)
INSERT INTO ctl_event (application, at, state) SELECT id, now(), state FROM u;
EOF
control() {
    psql -X -q -c "TRUNCATE ctl_event" -c "VACUUM ctl_app"
    "$PGBENCH" -n -M prepared -c 2 -j 2 -T "$CONTROL_SECONDS" -f "$DIR/control.sql" postgres 2>&1 | awk '/^tps = / {print $3}'
}
# measure LABEL: P5_REPEATS pairs (control, lifecycles), each printed and kept in $DIR/p5.LABEL
measure() {
    : >"$DIR/p5.$1"
    for r in $(seq 1 "$P5_REPEATS"); do
        c=$(control); l=$(lifecycles)
        echo "  repeat $r: control $c tps, lifecycles $l/s, ratio $(awk -v l="$l" -v c="$c" 'BEGIN {printf "%.5f", l / c}')"
        echo "$l $c" >>"$DIR/p5.$1"
    done
}
# col LABEL K: the median of lifecycles (1), control (2) or their ratio (3)
col() { awk -v k="$2" '{print (k == 3) ? $1 / $2 : $k}' "$DIR/p5.$1" | median; }

echo "== P5: whole lifecycles per second, 2 clients, $P5_REPEATS x ($CONTROL_SECONDS s control, $P5_SECONDS s lifecycles) per size"
"$PGBENCH" -n -M simple -c 1 -t 3 -f "$DIR/lifecycle.sql" postgres >/dev/null 2>&1 || { echo "lifecycle script failed"; "$PGBENCH" -n -c 1 -t 1 -f "$DIR/lifecycle.sql" postgres; exit 1; }
fill_to "$SMALL"
n_small=$(psql -X -At -c 'SELECT count(*) FROM licensing.application')
echo "at $n_small applications:"
measure small
fill_to "$LARGE"
n_large=$(psql -X -At -c 'SELECT count(*) FROM licensing.application')
echo "at $n_large applications, $(psql -X -At -c 'SELECT count(*) FROM licensing.application_event') events:"
measure large
ls_=$(col small 1); cs=$(col small 2); rs=$(col small 3)
ll=$(col large 1); cl=$(col large 2); rl=$(col large 3)
psql -X -At -c "SELECT format('P5 medians: %s lifecycles/s at %s applications (control %s tps, ratio %s), %s at %s (control %s tps, ratio %s)',
                 $ls_, $n_small, $cs, round($rs, 5), $ll, $n_large, $cl, round($rl, 5))"
psql -X -At -c "SELECT format('P5 drift against the control: %s (target <= 1.2); raw lifecycles %s; the control itself %s',
                 round(greatest($rs / $rl, $rl / $rs), 2), round(greatest($ls_ / $ll, $ll / $ls_), 2), round(greatest($cs / $cl, $cl / $cs), 2))"
psql -X -At -c "SELECT format('P5 check: %s lifecycles delivered through the API; their history chains verify: %s',
                 count(*), bool_and(licensing.verify_history(id))) FROM licensing.application WHERE state = 'delivered' AND number NOT LIKE 'fill-%'"
