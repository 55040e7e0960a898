#!/usr/bin/env bash
# calendar_law (QUALITY §5): every day of 2024-2027 in the shipped calendar is
# what the law and the decrees make it, by a reference computed here, in
# Python, from the rules themselves and not from our tables: the holidays of
# the Law "On holidays" as it stood each year (Constitution Day on 30 August
# until 2025, none in 2026, 15 March from 2027: the Constitution of 2026, in
# force 1 July 2026), the carry rule of the Labour Code (a holiday on a
# Saturday or Sunday gives the next working day off, each Nauryz day
# separately, never 7 January or Kurban Ait), the decree transfers (2024: Sat
# 4 May worked, Wed 8 May off; 2025: Sun 5 Jan worked, Fri 3 Jan off; 2026 and
# 2027: none) and Kurban Ait's first day as data.
# CAL_LAW_VERSION=1.0 runs it on a 1.0 install (which fails 2026: 31 Aug off).
set -uo pipefail
cd "$(dirname "$0")/../.."
DB=cal_law
OUT=${WORK_DIR:-/tmp/licensing_calendar_law}
mkdir -p "$OUT"
n=0
check() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fi; }
q() { psql -X -At -v ON_ERROR_STOP=1 -d $DB -c "$1"; }

psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" 2>/dev/null
psql -X -q -d postgres -c "CREATE DATABASE $DB" || exit 1
q "CREATE EXTENSION licensing${CAL_LAW_VERSION:+ VERSION '$CAL_LAW_VERSION'}" >/dev/null || exit 1

# The reference: "YYYY-MM-DD w" (working) or "YYYY-MM-DD o" (off) per day.
python3 - >"$OUT/expected" <<'PY'
from datetime import date, timedelta

KURBAN_AIT = {2024: date(2024, 6, 16), 2025: date(2025, 6, 6),
              2026: date(2026, 5, 27), 2027: date(2027, 5, 16)}   # 2026, 2027 expected
DECREE_WORKED = {date(2024, 5, 4), date(2025, 1, 5)}
DECREE_OFF = {date(2024, 5, 8), date(2025, 1, 3)}

def holidays(y):
    """(day, carries) of the Law "On holidays" as it stood in year y."""
    md = [(1, 1), (1, 2), (3, 8), (3, 21), (3, 22), (3, 23), (5, 1), (5, 9), (7, 6), (12, 16)]
    if y >= 2013: md.append((5, 7))                  # Defender of the Fatherland Day
    if y <= 2021: md += [(12, 1), (12, 17)]          # First President; second Independence Day
    if y >= 2022: md.append((10, 25))                # Republic Day restored
    if y <= 2025: md.append((8, 30))                 # Constitution Day, 1995 Constitution
    if y >= 2027: md.append((3, 15))                 # Constitution Day, Constitution of 2026
    h = [(date(y, m, d), True) for m, d in md]
    h += [(date(y, 1, 7), False), (KURBAN_AIT[y], False)]   # never carried
    return sorted(h)

off = set(DECREE_OFF)
hol = set()
for y in range(2024, 2028):
    for d, _ in holidays(y):
        hol.add(d)
for y in range(2024, 2028):
    for d, carries in holidays(y):
        if carries and d.weekday() >= 5:
            t = d + timedelta(days=1)
            while t.weekday() >= 5 or t in hol or t in off:
                t += timedelta(days=1)
            off.add(t)

d = date(2024, 1, 1)
while d <= date(2027, 12, 31):
    working = (d.weekday() < 5 and d not in hol and d not in off) or d in DECREE_WORKED
    print(d.isoformat(), 'w' if working else 'o')
    d += timedelta(days=1)
PY
check "the reference has every day of 2024-2027" '[ "$(wc -l <"$OUT/expected")" = 1461 ]'

q "SELECT d::date || ' ' || CASE WHEN licensing.is_working_day(d::date) THEN 'w' ELSE 'o' END
     FROM generate_series('2024-01-01'::date, '2027-12-31', '1 day') d ORDER BY d" >"$OUT/actual"
for y in 2024 2025 2026 2027; do
    diff <(grep "^$y-" "$OUT/expected") <(grep "^$y-" "$OUT/actual") >"$OUT/diff.$y"
    check "every day of $y is working or not as the law and decrees make it ($(grep -c "^$y-.* o" "$OUT/expected") days not worked)" \
          '[ ! -s "$OUT/diff.$y" ]'
    grep '^>' "$OUT/diff.$y" | sed 's/^> \(.*\) \([wo]\)$/#   \1: the calendar says \2/' | head -10
done
check "30 Aug 2026 is no holiday and Mon 31 Aug 2026 a working day" \
      '[ "$(q "SELECT NOT EXISTS (SELECT FROM licensing.calendar_exception WHERE day IN ('"'2026-08-30'"', '"'2026-08-31'"')) AND licensing.is_working_day('"'2026-08-31'"')")" = t ]'
check "Constitution Day 2027 is 15 March, a holiday" \
      '[ "$(q "SELECT kind || '"' '"' || name FROM licensing.calendar_exception WHERE day = '"'2027-03-15'"'")" = "holiday Constitution Day" ]'
check "every shipped year names its sources" \
      '[ "$(q "SELECT count(*) FROM licensing.calendar_year WHERE shipped AND source ~ '"'Law No 267-II.*Labour Code'"'")" = 16 ]'
check "2026 and 2027 name the Constitution of 2026 as their source" \
      '[ "$(q "SELECT count(*) FROM licensing.calendar_year WHERE year IN (2026, 2027) AND source LIKE '"'%Constitution of the Republic of Kazakhstan of 2026%'"'")" = 2 ]'

[ -n "${KEEP:-}" ] || psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB"
