#!/usr/bin/env bash
# identifiers_fuzz.sh: build the libFuzzer harness for the IIN/BIN parser with
# ASan and UBSan from src/idcore.c and run it for $FUZZ_SECONDS (default 30).
set -u
cd "$(dirname "$0")/../.."
out=${WORK_DIR:-/tmp/identifiers_fuzz}
mkdir -p "$out/corpus"
# Seeds: valid and invalid values from QUALITY §4 and the edges of each rule.
for v in 850625300123 901120405675 160140001230 230741005553 900101300811 \
         850625300124 921529350859 850625700129 160170001234 " 850625300123 " \
         "85062 300123" 000229500008 850625301300; do
    printf '%s' "$v" > "$out/corpus/$(printf '%s' "$v" | md5sum | cut -c1-12)"
done
if ! clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
        -Isrc -o "$out/fuzz" test/fuzz/identifiers_fuzz.c src/idcore.c 2>"$out/build.log"; then
    cat "$out/build.log"
    echo "not ok 1 - identifier parser fuzz harness builds"
    exit 0
fi
if "$out/fuzz" -max_total_time="${FUZZ_SECONDS:-30}" -max_len=64 -timeout=5 \
        "$out/corpus" >"$out/fuzz.log" 2>&1; then
    runs=$(grep -oE 'Done [0-9]+ runs' "$out/fuzz.log" | tail -1)
    echo "ok 1 - identifier parser survives ${FUZZ_SECONDS:-30} s of libFuzzer with ASan/UBSan ($runs)"
else
    tail -40 "$out/fuzz.log"
    echo "not ok 1 - identifier parser fuzzing found a failure (see above)"
fi
