#!/usr/bin/env bash
# workflow_chain_vacuumed: a step reads its chain's last hash from the primary
# key (application, seq) INCLUDE (hash) when the visibility map says the last
# event's page is all-visible, and from the event itself otherwise (history.c,
# event_last).  Both paths must chain the new event to the right hash.  VACUUM
# cannot run inside pgTAP's transaction, so this runs in sessions of its own.
set -uo pipefail
cd "$(dirname "$0")/../.."
DB=wf_chain_vacuumed
n=0
check() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fi; }
q() { psql -X -At -v ON_ERROR_STOP=1 -d $DB "$@"; }

psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null || exit 1
q -q -c "CREATE EXTENSION licensing" -c "CREATE EXTENSION pg_visibility" -f test/fixtures/workflow.sql >/dev/null 2>&1 || exit 1

app=$(q -q -c "SET ROLE wf_clerk" \
        -c "SELECT licensing.create_application('eco-expertise', 'issue', '901120405675', 'krg', jsonb_build_object('object', jsonb_build_object('name', 'АЗС', 'address', 'Қарағанды', 'category', 'III')), channel => 'office')" | tail -1)
q -q -c "SET ROLE wf_clerk" -c "SELECT licensing.submit($app)" >/dev/null
q -q -c "VACUUM licensing.application_event" >/dev/null

# the event the next step chains to, and whether its page is all-visible now
last="SELECT e.seq, encode(e.hash, 'hex'), (SELECT v.all_visible FROM pg_visibility_map('licensing.application_event', (e.ctid::text::point)[0]::bigint) v)
        FROM licensing.application_event e WHERE e.application = $app ORDER BY e.seq DESC LIMIT 1"
# the event a step has just appended: its seq and the hash it chained to
newest="SELECT seq, encode(prev_hash, 'hex') FROM licensing.application_event WHERE application = $app ORDER BY seq DESC LIMIT 1"
IFS='|' read -r seq1 hash1 visible1 <<<"$(q -c "$last")"
check "after VACUUM the last event's page is all-visible (the index answers alone)" '[ "$visible1" = t ]'
q -q -c "SET ROLE wf_clerk" -c "SELECT licensing.register($app)" >/dev/null
IFS='|' read -r seq2 prev2 <<<"$(q -c "$newest")"
check "register, read through the index: the next seq ($seq2 after $seq1)" '[ "$seq2" -eq $((seq1 + 1)) ]'
check "... chained to the last event's hash" '[ -n "$hash1" ] && [ "$prev2" = "$hash1" ]'

# no VACUUM since: the register event's page is not all-visible, the event itself is read
IFS='|' read -r seq3 hash3 visible3 <<<"$(q -c "$last")"
check "without VACUUM the last event's page is not all-visible (the event itself is read)" '[ "$visible3" = f ]'
q -q -c "SET ROLE wf_head" -c "SELECT licensing.assign($app, 'wf_exec')" >/dev/null
IFS='|' read -r seq4 prev4 <<<"$(q -c "$newest")"
check "assign, read from the event: the next seq, chained to its hash" '[ "$seq4" -eq $((seq3 + 1)) ] && [ "$prev4" = "$hash3" ]'
check "the whole chain verifies" '[ "$(q -c "SELECT licensing.verify_history($app)")" = t ]'

psql -X -q -d postgres -c "DROP DATABASE $DB" >/dev/null
