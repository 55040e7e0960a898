#!/usr/bin/env bash
# bench/signature/run.sh: benchmark P4 (QUALITY §2).
#
# licensing.verify_signature calls/s against verify_standalone.c, a plain C
# program doing the same CMS verification with OpenSSL (chain to the same
# anchors, CRL check, key usage) on the same files, its trust store built once.
# RSA-2048 (company) and ECDSA P-256 (ecdsa) detached signatures over "hello",
# verified at the fixed moment 2026-06-01 by both; and (issue #17) company's
# signature with an RFC 3161 token, and with an OCSP response for the signer.  The two alternate in
# ROUNDS rounds of SECONDS each; medians and their ratio are printed.
#
#   PG_CONFIG=... bash bench/signature/run.sh          # ROUNDS=5 SECONDS_PER_ROUND=2 CALLS=30000
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
export PG_CONFIG=${PG_CONFIG:-pg_config}
ROUNDS=${ROUNDS:-5}
SECS=${SECONDS_PER_ROUND:-2}
CALLS=${CALLS:-30000}
KEEP_OUT=${OUT:+1}
OUT=${OUT:-$(mktemp -d /tmp/sigbench.XXXXXX)}
chmod 755 "$OUT"

bash test/fixtures/make-pki.sh >/dev/null
export LICENSING_PKI=$ROOT/test/fixtures/pki
make -s >/dev/null && make -s install >/dev/null
cc -O2 -Wall -o "$OUT/verify_standalone" bench/signature/verify_standalone.c -lcrypto

source test/cluster.sh
trap 'cluster_stop "$OUT/cluster"; [ -n "$KEEP_OUT" ] || rm -rf "$OUT"' EXIT
cluster_start "$OUT/cluster" >/dev/null
psql -X -q -v ON_ERROR_STOP=1 -c "CREATE EXTENSION licensing" \
     -c "\\ir test/fixtures/signing.sql" -c "SELECT test_pki.load_trust()" >/dev/null

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# calls/s of verify_signature inside one statement; `at` varies with g so that
# every row is a real call (a constant call would be evaluated once).
# sql_rate SIGFILE [OCSPFILE]
sql_rate() {
    local ocsp=NULL::bytea[]
    [ -n "${2:-}" ] && ocsp="ARRAY[pg_read_binary_file('$LICENSING_PKI/$2')]"
    psql -X -At -v ON_ERROR_STOP=1 <<SQL | tail -1
CREATE TEMP TABLE s AS SELECT pg_read_binary_file('$LICENSING_PKI/$1') AS sig, $ocsp AS ocsp;
SELECT CASE WHEN pg_catalog.count(*) = $CALLS
            THEN round(pg_catalog.count(*) / extract(epoch FROM pg_catalog.clock_timestamp() - pg_catalog.statement_timestamp()))
            ELSE -1 END
  FROM pg_catalog.generate_series(1, $CALLS) g,
       LATERAL licensing.verify_signature('hello', (SELECT sig FROM s),
                                          timestamptz '2026-06-01 00:00+00' + (g % 2) * interval '1 second',
                                          (SELECT ocsp FROM s)) v
 WHERE v.valid;
SQL
}

# the cases: name, signature file, standalone's extra mode (issue #17: a timestamped
# signature, its token checked by both; an OCSP-checked one, the response checked by both)
CASES="company:company.hello.p7s:: ecdsa:ecdsa.hello.p7s:: company-ts:company.ts.p7s:ts: company-ocsp:company.hello.p7s:ocsp:company.ocsp.der"
psql -X -q -v ON_ERROR_STOP=1 -c "UPDATE licensing.trusted_certificate SET time_stamping = true WHERE subject LIKE 'CN=Test Root CA,%'" >/dev/null

printf '%-13s %6s %14s %14s %8s\n' case round standalone/s extension/s ratio
for c in $CASES; do
    IFS=: read -r name file mode ocsp <<< "$c"
    extra=(); [ -n "$mode" ] && extra=("$mode"); [ -n "$ocsp" ] && extra+=("$LICENSING_PKI/$ocsp")
    : > "$OUT/$name.base"; : > "$OUT/$name.ext"; : > "$OUT/$name.ratio"
    for r in $(seq 1 "$ROUNDS"); do
        b=$("$OUT/verify_standalone" "$LICENSING_PKI" "$LICENSING_PKI/$file" "$LICENSING_PKI/hello.txt" "$SECS" "${extra[@]}")
        e=$(sql_rate "$file" "$ocsp")
        [ "$e" -gt 0 ] || { echo "verify_signature did not say valid for $name" >&2; exit 1; }
        echo "$b" >> "$OUT/$name.base"; echo "$e" >> "$OUT/$name.ext"
        echo "$e / $b" | bc -l >> "$OUT/$name.ratio"
        printf '%-13s %6s %14s %14s %8.2f\n' "$name" "$r" "$b" "$e" "$(echo "$e / $b" | bc -l)"
    done
done
echo
echo "medians of $ROUNDS rounds (ratio: median of the per-round ratios; P4 target >= 0.8x, goal >= 1.5x):"
for c in $CASES; do
    IFS=: read -r name file mode ocsp <<< "$c"
    b=$(median < "$OUT/$name.base"); e=$(median < "$OUT/$name.ext"); q=$(median < "$OUT/$name.ratio")
    case $name in
        company) label="RSA-2048" ;; ecdsa) label="ECDSA P-256" ;;
        company-ts) label="RSA+RFC3161" ;; company-ocsp) label="RSA+OCSP" ;;
    esac
    printf '  %-12s standalone %8s/s  verify_signature %8s/s  ratio %.2fx\n' "$label" "$b" "$e" "$q"
done
