#!/usr/bin/env bash
# calendar_dump: pg_dump / pg_restore keep the calendar rows a DBA added or
# changed, leave the shipped rows to CREATE EXTENSION, and the restore does
# not clash with them (QUALITY R6).  Prints TAP lines.
set -uo pipefail
BIN=$("${PG_CONFIG:-pg_config}" --bindir)
SRC=calendar_dump_src
DST=calendar_dump_dst
DUMP=${WORK_DIR:-/tmp}/calendar.dump
mkdir -p "$(dirname "$DUMP")"
n=0
tap() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi; }
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }

psql -X -q -c "DROP DATABASE IF EXISTS $SRC" -c "DROP DATABASE IF EXISTS $DST" 2>/dev/null
psql -X -q -c "CREATE DATABASE $SRC" -c "CREATE DATABASE $DST"
q $SRC "CREATE EXTENSION licensing" >/dev/null
q $SRC "
INSERT INTO licensing.calendar_year (year, source) VALUES (2028, 'a DBA''s year');
INSERT INTO licensing.calendar_exception (day, kind, name, carries) VALUES
    ('2028-01-01', 'holiday', 'New Year', true), ('2028-01-02', 'holiday', 'New Year', true),
    ('2028-01-07', 'holiday', 'Orthodox Christmas', false);
SELECT licensing.calendar_generate_carries(2028);
-- a shipped row replaced by an INSERT, another changed by an UPDATE
INSERT INTO licensing.calendar_exception (day, kind, name, carries) VALUES ('2026-05-27', 'holiday', 'Kurban Ait (announced)', false);
UPDATE licensing.calendar_exception SET name = 'Capital Day (checked)' WHERE day = '2026-07-06';
UPDATE licensing.calendar_year SET source = source || '; checked' WHERE year = 2026;" >/dev/null

"$BIN/pg_dump" -Fc -d $SRC -f "$DUMP" 2>"$DUMP.err"
tap $? "pg_dump of a database with user calendar rows"
q $SRC "SELECT count(*) FROM licensing.calendar_exception WHERE NOT shipped" >"$DUMP.users"
tap $([ "$(cat "$DUMP.users")" = 7 ] && echo 0 || echo 1) "7 user rows to dump: 3 holidays, 2 carries, 1 replacement, 1 update (found $(cat "$DUMP.users"))"

"$BIN/pg_restore" -d $DST "$DUMP" 2>"$DUMP.rerr"
rc=$?
tap $rc "pg_restore into a fresh database without errors$( [ $rc = 0 ] || echo ": $(head -c 300 "$DUMP.rerr")")"

sig() { q "$1" "SELECT md5(string_agg(format('%s|%s|%s|%s|%s|%s', day, kind, name, carries, carry_of, shipped), ',' ORDER BY day)) FROM licensing.calendar_exception"; }
ysig() { q "$1" "SELECT md5(string_agg(format('%s|%s|%s', year, source, shipped), ',' ORDER BY year)) FROM licensing.calendar_year"; }
tap $([ "$(sig $SRC)" = "$(sig $DST)" ] && echo 0 || echo 1) "calendar_exception restored row for row (shipped and user rows)"
tap $([ "$(ysig $SRC)" = "$(ysig $DST)" ] && echo 0 || echo 1) "calendar_year restored row for row"
tap $([ "$(q $DST "SELECT licensing.add_working_days('2027-12-31', 1)")" = 2028-01-05 ] && echo 0 || echo 1) \
    "the restored calendar covers the DBA's year 2028 with its carries"
tap $([ "$(q $DST "SELECT name FROM licensing.calendar_exception WHERE day = '2026-05-27'")" = "Kurban Ait (announced)" ] && echo 0 || echo 1) \
    "the DBA's replacement of a shipped row survives"

psql -X -q -c "DROP DATABASE IF EXISTS $SRC" -c "DROP DATABASE IF EXISTS $DST"
rm -f "$DUMP" "$DUMP".*
