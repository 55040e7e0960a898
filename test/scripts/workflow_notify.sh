#!/usr/bin/env bash
# workflow_notify: a listener in another session sees NOTIFY licensing_events
# for each committed change (JSON: application, number, from, to, at), and
# nothing for a rolled-back or refused one.  (pgTAP cannot show this: inside
# its rolled-back transaction no other session ever sees a notification.)
set -uo pipefail
cd "$(dirname "$0")/../.."
DB=wf_notify
OUT=${WORK_DIR:-/tmp/wf_notify}
mkdir -p "$OUT"
n=0
check() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fi; }

psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null || exit 1
psql -X -q -v ON_ERROR_STOP=1 -d $DB -c "CREATE EXTENSION licensing" -f test/fixtures/workflow.sql >/dev/null 2>&1 || exit 1

# the listener: LISTEN, wait while the other session works, then one more command
psql -X -d $DB -c "LISTEN licensing_events" -c "SELECT pg_sleep(4)" -c "SELECT 1" >"$OUT/listener.out" 2>&1 &
listener=$!
sleep 1

psql -X -q -v ON_ERROR_STOP=0 -d $DB >"$OUT/writer.out" 2>&1 <<'SQL'
SELECT licensing.set_clock('2025-03-03 10:00+05');
SET ROLE wf_clerk;
SELECT licensing.create_application('eco-expertise', 'issue', '901120405675', 'krg', jsonb_build_object('object', jsonb_build_object('name', 'АЗС', 'address', 'Қарағанды', 'category', 'III')), channel => 'office') AS app \gset
SELECT licensing.submit(:app);
-- rolled back: no notification
BEGIN; SELECT licensing.register(:app); ROLLBACK;
-- refused (out of order): no notification
SELECT licensing.assign(:app, 'wf_exec');
SELECT licensing.register(:app);
SQL
wait $listener

grep 'Asynchronous notification' "$OUT/listener.out" | sed 's/.*payload "//; s/" received.*//' >"$OUT/payloads.txt"
count=$(wc -l <"$OUT/payloads.txt")
check "the listener received 3 notifications (create, submit, register)" '[ "$count" -eq 3 ]'
check "one announces draft -> submitted with the application number" 'grep -q "\"from\" : \"draft\", \"to\" : \"submitted\"" "$OUT/payloads.txt" && grep "\"to\" : \"submitted\"" "$OUT/payloads.txt" | grep -q "\"number\" : \"krg-2025-"'
check "one announces submitted -> registered" '[ "$(grep -c "\"from\" : \"submitted\", \"to\" : \"registered\"" "$OUT/payloads.txt")" -eq 1 ]'
check "each payload is JSON with application, number, from, to, at" \
      '[ "$(psql -X -At -d $DB -c "SELECT count(*) FROM unnest(string_to_array(\$x\$$(cat "$OUT/payloads.txt")\$x\$, E'"'"'\n'"'"')) p WHERE p::jsonb ?& ARRAY['"'"'application'"'"','"'"'number'"'"','"'"'from'"'"','"'"'to'"'"','"'"'at'"'"']")" -eq 3 ]'
# Any role may LISTEN: the payload is minimal (README), those five keys and nothing else.
check "each payload has only application, number, from, to, at (no applicant, no IIN)" \
      '[ "$(psql -X -At -d $DB -c "SELECT count(*) FROM unnest(string_to_array(\$x\$$(cat "$OUT/payloads.txt")\$x\$, E'"'"'\n'"'"')) p WHERE ARRAY(SELECT jsonb_object_keys(p::jsonb) ORDER BY 1) = ARRAY['"'"'application'"'"','"'"'at'"'"','"'"'from'"'"','"'"'number'"'"','"'"'to'"'"']")" -eq 3 ]'
check "the rolled-back and the refused step sent nothing (the refusal raised)" 'grep -q "cannot go from submitted to assigned" "$OUT/writer.out"'

psql -X -q -d postgres -c "DROP DATABASE $DB" >/dev/null
[ "$count" -eq 3 ] || { echo "# listener output:"; sed 's/^/# /' "$OUT/listener.out"; }
