#!/usr/bin/env bash
# bench/identifiers/run.sh: benchmark P1 (QUALITY §2).
#
# COPY of N valid IINs (default 5,000,000) from a server-side file into a
# licensing.iin column, a bigint column and a text column, ROUNDS times
# (default 7) in interleaved order, on a throw-away cluster; then the same
# rows, fewer of them (PLPGSQL_ROWS, default 500,000), into a text column whose
# CHECK is a PL/pgSQL check-digit function.  Prints medians and ratios.
#
#   bash bench/identifiers/run.sh            # needs the extension installed
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${N:-5000000}
ROUNDS=${ROUNDS:-7}
PLPGSQL_ROWS=${PLPGSQL_ROWS:-500000}
source test/cluster.sh

DIR=$(mktemp -d /tmp/licensing-bench-p1.XXXXXX)
chmod 755 "$DIR"
trap 'cluster_stop "$DIR/cluster"; rm -rf "$DIR"' EXIT
cluster_start "$DIR/cluster" "synchronous_commit = off" "max_wal_size = 4GB" "checkpoint_timeout = 30min"

# N valid IINs (birth dates 1950-2005, serials varying), written by Python.
python3 - "$N" "$DIR/iins.txt" <<'PY'
import sys, datetime
n, path = int(sys.argv[1]), sys.argv[2]
w2 = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]
def check(p):
    s = sum(int(c) * (i + 1) for i, c in enumerate(p)) % 11
    if s != 10: return s
    s = sum(int(c) * w2[i] for i, c in enumerate(p)) % 11
    return None if s == 10 else s
base = datetime.date(1950, 1, 1)
out, i = [], 0
while len(out) < n:
    d = base + datetime.timedelta(days=i % 20000)
    century = 3 if d.year < 2000 else 5
    p = d.strftime('%y%m%d') + str(century + (i // 20000) % 2) + '%04d' % ((i * 7919) % 10000)
    c = check(p)
    if c is not None:
        out.append(p + str(c))
    i += 1
open(path, 'w').write('\n'.join(out) + '\n')
PY
head -n "$PLPGSQL_ROWS" "$DIR/iins.txt" > "$DIR/iins_small.txt"
chmod 644 "$DIR"/*.txt

psql -X -q -v ON_ERROR_STOP=1 <<'SQL'
CREATE EXTENSION licensing;
CREATE TABLE t_iin (v licensing.iin);
CREATE TABLE t_bigint (v bigint);
CREATE TABLE t_text (v text);
-- The hand-written alternative: a PL/pgSQL check-digit function in a CHECK.
CREATE FUNCTION plpgsql_iin_ok(v text) RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    w2 int[] := ARRAY[3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];
    s1 int := 0;
    s2 int := 0;
    r int;
BEGIN
    IF v !~ '^[0-9]{12}$' THEN RETURN false; END IF;
    FOR i IN 1..11 LOOP
        s1 := s1 + substr(v, i, 1)::int * i;
        s2 := s2 + substr(v, i, 1)::int * w2[i];
    END LOOP;
    r := s1 % 11;
    IF r = 10 THEN r := s2 % 11; END IF;
    RETURN r <> 10 AND r = substr(v, 12, 1)::int;
END
$$;
CREATE TABLE t_plpgsql (v text CHECK (plpgsql_iin_ok(v)));
SQL

# copy_ms TABLE FILE: milliseconds of one COPY into an emptied table.
copy_ms() {
    psql -X -q -c "TRUNCATE $1" -c "CHECKPOINT" >/dev/null
    psql -X -c '\timing on' -c "COPY $1 FROM '$2'" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p'
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

: >"$DIR/iin.ms"; : >"$DIR/bigint.ms"; : >"$DIR/text.ms"
for r in $(seq 1 "$ROUNDS"); do
    # Rotate the order so no target always runs first.
    case $((r % 3)) in
        0) order="t_iin t_bigint t_text" ;;
        1) order="t_bigint t_text t_iin" ;;
        2) order="t_text t_iin t_bigint" ;;
    esac
    for t in $order; do
        copy_ms "$t" "$DIR/iins.txt" >>"$DIR/${t#t_}.ms"
    done
done
: >"$DIR/plpgsql.ms"; : >"$DIR/iin_small.ms"
for r in 1 2 3; do
    copy_ms t_plpgsql "$DIR/iins_small.txt" >>"$DIR/plpgsql.ms"
    copy_ms t_iin "$DIR/iins_small.txt" >>"$DIR/iin_small.ms"
done

iin=$(median <"$DIR/iin.ms"); big=$(median <"$DIR/bigint.ms"); txt=$(median <"$DIR/text.ms")
pl=$(median <"$DIR/plpgsql.ms"); iin_s=$(median <"$DIR/iin_small.ms")
echo "P1 identifiers: COPY of $N IINs, median of $ROUNDS rounds (ms)"
printf '  %-34s %10.1f ms  %6.1f ns/row\n' "licensing.iin" "$iin" "$(echo "$iin * 1000000 / $N" | bc -l)"
printf '  %-34s %10.1f ms  %6.1f ns/row\n' "bigint (baseline)" "$big" "$(echo "$big * 1000000 / $N" | bc -l)"
printf '  %-34s %10.1f ms  %6.1f ns/row\n' "text, no check" "$txt" "$(echo "$txt * 1000000 / $N" | bc -l)"
printf '  ratio iin / bigint: %.3f   (target <= 1.2)\n' "$(echo "$iin / $big" | bc -l)"
echo "P1 identifiers: COPY of $PLPGSQL_ROWS IINs, median of 3 rounds (ms)"
printf '  %-34s %10.1f ms\n' "text + PL/pgSQL check-digit CHECK" "$pl"
printf '  %-34s %10.1f ms\n' "licensing.iin" "$iin_s"
printf '  PL/pgSQL / iin: %.1fx faster  (target >= 10)\n' "$(echo "$pl / $iin_s" | bc -l)"
