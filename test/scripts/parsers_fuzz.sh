#!/usr/bin/env bash
# parsers_fuzz.sh: libFuzzer with ASan and UBSan on the other C parsers, each
# compiled from its real source without a server (identifiers_fuzz.sh and
# signature_fuzz.sh cover the IIN/BIN and CMS parsers):
#   licence_number  src/licence.c        ln_parse, ISO 7064 MOD 37-2
#   norm            src/calendar_time.c  parse_norm
#   schedule        src/calendar_time.c  schedule_set, schedule_finish (the
#                                        values of a working schedule)
#   canonical_json  src/canonical_json.c string escaping, UTF-16 member order
# The parsing code sits in files that include postgres.h, so the region each
# harness needs is cut out of the source by its first and last lines (a
# rename breaks the build here, loudly) and compiled with test/fuzz/pg_shim.c
# standing in for the few PostgreSQL helpers it calls.  schedule_parse itself
# only walks a Jsonb with PostgreSQL's iterator and hands each key and value
# to schedule_set, which is fuzzed here; pgTAP covers the walk.
# Budget: $FUZZ_SECONDS (default 30) shared by the four harnesses.  Seeds are
# in test/fuzz/corpus/<harness>/; the runs' new inputs stay in $WORK_DIR.
# Prints one TAP line per harness with its executions.
set -u
cd "$(dirname "$0")/../.."
out=${WORK_DIR:-/tmp/parsers_fuzz}
mkdir -p "$out"
each=$(( ${FUZZ_SECONDS:-30} / 4 ))
[ "$each" -ge 1 ] || each=1
n=0

# region FILE FIRST-LINE-REGEX STOP-LINE-REGEX: the lines from the first match
# up to (not including) the stop line, then cut back to the last line that
# closes a function or type ("}" or "} Name;").
region() {
    awk -v a="$2" -v b="$3" '$0 ~ a {p = 1} $0 ~ b && p {exit} p' "$1" \
        | tac | sed -n '/^}/,$p' | tac
}
region src/licence.c '^#define LN_LENGTH' '^ln_quotable\(' >"$out/licence_region.c"
{ region src/calendar_time.c '^typedef enum NormUnit' '^$'; echo
  echo 'static void parse_norm(text *norm_text, int64 *n, NormUnit *unit);'
  region src/calendar_time.c '^/\* ---- norms' '^static void term_outside'; } >"$out/norm_region.c"
{ grep '^#define DEFAULT_TIME_ZONE' src/calendar_time.c
  region src/calendar_time.c '^typedef struct Schedule' '^typedef enum NormUnit'; echo
  region src/calendar_time.c "^/\\* 'HH:MM'" '^/\* Parses a schedule'; } >"$out/schedule_region.c"
region src/canonical_json.c '^typedef struct Member' '^/\* A double as ECMAScript' >"$out/canonical_region.c"

for h in licence_number norm schedule canonical_json; do
    n=$((n + 1))
    mkdir -p "$out/$h.corpus"
    cp test/fuzz/corpus/$h/* "$out/$h.corpus/"
    if ! clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
            -Wno-unused-function -Itest/fuzz -I"$out" -o "$out/$h" \
            test/fuzz/${h}_fuzz.c test/fuzz/pg_shim.c 2>"$out/$h.build.log"; then
        sed 's/^/# /' "$out/$h.build.log" | head -30
        echo "not ok $n - $h fuzz harness builds from the source"
        continue
    fi
    if "$out/$h" -artifact_prefix="$out/$h-" -max_total_time="$each" -max_len=4096 -timeout=5 "$out/$h.corpus" >"$out/$h.log" 2>&1; then
        runs=$(grep -oE 'Done [0-9]+ runs' "$out/$h.log" | tail -1)
        echo "ok $n - $h parser survives $each s of libFuzzer with ASan/UBSan ($runs)"
    else
        tail -40 "$out/$h.log" | sed 's/^/# /'
        echo "not ok $n - $h parser fuzzing found a failure (see above)"
    fi
done
