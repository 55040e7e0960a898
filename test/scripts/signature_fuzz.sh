#!/usr/bin/env bash
# test/scripts/signature_fuzz.sh: libFuzzer (clang -fsanitize=fuzzer,address) over the
# DER/CMS path of src/sigcore.c for $FUZZ_SECONDS seconds, seeded with the test PKI's
# signatures (timestamped ones too), certificates, CRLs and OCSP responses.  Prints TAP lines.
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
SECONDS_BUDGET=${FUZZ_SECONDS:-30}
OUT=${WORK_DIR:-$(mktemp -d /tmp/signature-fuzz.XXXXXX)}
export LICENSING_PKI=${LICENSING_PKI:-$ROOT/test/fixtures/pki}
mkdir -p "$OUT/corpus"
[ -f "$LICENSING_PKI/root.crt.der" ] || bash test/fixtures/make-pki.sh >/dev/null

if clang -g -O1 -fsanitize=fuzzer,address -Isrc test/fuzz/signature_fuzz.c src/sigcore.c src/sha256.c \
        -lcrypto -o "$OUT/signature_fuzz" 2>"$OUT/build.log"; then
    echo "ok 1 - the signature fuzz harness builds with libFuzzer and AddressSanitizer"
else
    cat "$OUT/build.log"
    echo "not ok 1 - the signature fuzz harness builds with libFuzzer and AddressSanitizer"
    exit 0
fi

# Seeds: each file behind each entry point's selector byte.
i=0
for f in "$LICENSING_PKI"/*.p7s "$LICENSING_PKI"/*.crt.der "$LICENSING_PKI"/*.crl.der; do
    for sel in 0 1 3 4; do
        { printf "\\x0$sel"; cat "$f"; } > "$OUT/corpus/seed$((i++))"
    done
done
# OCSP responses (issue #17) behind selector 5; timestamped signatures are *.ts*.p7s above
for f in "$LICENSING_PKI"/*.ocsp*.der; do
    { printf "\\x05"; cat "$f"; } > "$OUT/corpus/seed$((i++))"
done

"$OUT/signature_fuzz" -max_total_time="$SECONDS_BUDGET" -max_len=16384 -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 "$OUT/corpus" >"$OUT/fuzz.log" 2>&1
rc=$?
tail -n 12 "$OUT/fuzz.log" | sed 's/^/# /'
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$OUT/fuzz.log")
if [ $rc -eq 0 ] && ! grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)' "$OUT/fuzz.log"; then
    echo "ok 2 - libFuzzer ran ${runs:-?} inputs over the signature path in ${SECONDS_BUDGET}s: no crash, no leak"
else
    grep -A30 -E 'ERROR: ' "$OUT/fuzz.log" | head -60 | sed 's/^/# /'
    echo "not ok 2 - libFuzzer found a problem in the signature path (exit $rc)"
fi
