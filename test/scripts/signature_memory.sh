#!/usr/bin/env bash
# signature_memory: what a role can make one backend keep through verify_signature
# stays bounded (security issue #13, part 4).  Prints TAP lines.
#
# The attacks, all in one backend, its resident memory (VmRSS of /proc/self/status,
# read by the backend itself; OpenSSL allocates outside palloc) measured before
# and after each:
#   A  40 CMS of ~1 MB, each carrying 30 large dummy certificates (~30 kB, none of
#      them chaining to a trust anchor), every certificate different from call to
#      call (the bytes of a comment changed in SQL; decoding does not check a
#      certificate's signature): 1,200 certificates, ~36 MB of DER.  Refused
#      without decoding by licensing.max_signature_size; and, with the limit raised
#      by a superuser, decoded per call and kept by nobody.
#   B  120 valid signatures, each by its own fresh certificate (~40 kB) issued by
#      the trusted intermediate: certificates the store may keep, bounded by
#      licensing.signature_cache_size (set to 2MB here).
#   C  a role that is not a superuser sets the limits before the library is
#      loaded (a placeholder) and after: neither raises them.
#   D  sigcore.c's cache under AddressSanitizer, bounded from 0 to 60 kB.
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
PKI=${LICENSING_PKI:-$ROOT/test/fixtures/pki}
[ -f "$PKI/inter.key.pem" ] || bash test/fixtures/make-pki.sh >/dev/null
W=${WORK_DIR:-$(mktemp -d /tmp/signature-memory.XXXXXX)}
G=$W/gen
rm -rf "$G"
mkdir -p "$G"
DB=signature_memory
n=0
tap() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi; }
MB=1024   # VmRSS is in kB

# ---------------------------------------------------------------- generation
cd "$G"
filler() { head -c "$1" /dev/zero | tr '\0' 'X'; }
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out k.pem 2>/dev/null
# A: 30 self-signed dummies, each with a ~30 kB comment starting with a marker.
f30=$(filler 30000)
: > dummies.pem
for k in $(seq -w 0 29); do
    openssl req -x509 -new -key k.pem -subj "/CN=dummy $k" -days 30 \
        -addext "nsComment=MARK$k-000000-$f30" -out d$k.pem 2>/dev/null
    cat d$k.pem >> dummies.pem
done
openssl cms -sign -binary -md sha256 -in "$PKI/hello.txt" -signer "$PKI/company.crt.pem" \
    -inkey "$PKI/company.key.pem" -certfile dummies.pem -outform DER -out dummies.p7s
# B: 120 signers issued by the trusted intermediate, each with a ~40 kB comment.
printf '[big]\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\nnsComment="%s"\n' \
    "$(filler 40000)" > big.cnf
openssl req -new -key k.pem -subj "/C=KZ/CN=BIG SIGNER/serialNumber=IIN850625300123" -out big.csr 2>/dev/null
NB=120
for i in $(seq 1 $NB); do
    openssl x509 -req -in big.csr -CA "$PKI/inter.crt.pem" -CAkey "$PKI/inter.key.pem" \
        -set_serial $((500000 + i)) -days 3650 -extfile big.cnf -extensions big -out b$i.pem 2>/dev/null &&
    openssl cms -sign -binary -md sha256 -in "$PKI/hello.txt" -signer b$i.pem -inkey k.pem \
        -outform DER -out b$i.p7s
done
chmod -R a+rX "$W"
cd "$ROOT"
tap $([ -s "$G/dummies.p7s" ] && [ -s "$G/b$NB.p7s" ] && echo 0 || echo 1) \
    "openssl made a CMS of $(stat -c %s "$G/dummies.p7s" 2>/dev/null) bytes with 30 dummy certificates and $NB signatures by large certificates"

psql -X -q -c "DROP DATABASE IF EXISTS $DB" 2>/dev/null
psql -X -q -c "CREATE DATABASE $DB"
psql -X -q -At -v ON_ERROR_STOP=1 -d $DB >/dev/null <<SQL
CREATE EXTENSION licensing;
INSERT INTO licensing.trusted_certificate (certificate)
VALUES (pg_read_binary_file('$PKI/root.crt.der')), (pg_read_binary_file('$PKI/inter.crt.der'));
INSERT INTO licensing.revocation_list (crl)
VALUES (pg_read_binary_file('$PKI/root.crl.der')), (pg_read_binary_file('$PKI/inter.crl.der'));
CREATE ROLE signature_memory_user LOGIN;
SQL

# ---------------------------------------------------------------- A and B, one backend
out=$(psql -X -q -At -v ON_ERROR_STOP=1 -d $DB 2>&1 <<SQL
CREATE FUNCTION pg_temp.rss() RETURNS bigint LANGUAGE sql AS
\$\$ SELECT (regexp_match(pg_read_file('/proc/self/status'), 'VmRSS:\s+(\d+)'))[1]::bigint \$\$;
-- one CMS with its 30 dummies made different by a counter after each marker
CREATE FUNCTION pg_temp.mutate(s bytea, g integer) RETURNS bytea LANGUAGE plpgsql AS \$\$
DECLARE p integer;
BEGIN
    FOR k IN 0 .. 29 LOOP
        p := position(convert_to('MARK' || lpad(k::text, 2, '0') || '-', 'UTF8') IN s);
        s := overlay(s PLACING convert_to(lpad(g::text, 6, '0'), 'UTF8') FROM p + 7 FOR 6);
    END LOOP;
    RETURN s;
END \$\$;
CREATE TEMP TABLE a1 AS SELECT g, pg_temp.mutate(pg_read_binary_file('$G/dummies.p7s'), g) AS sig
  FROM generate_series(1, 40) g;
CREATE TEMP TABLE a2 AS SELECT g, pg_temp.mutate(pg_read_binary_file('$G/dummies.p7s'), g) AS sig
  FROM generate_series(101, 140) g;
-- warm up: the trust store, the functions, one row of each table
SELECT 'w ' || count(*) FROM licensing.verify_signature('hello', pg_read_binary_file('$PKI/company.hello.p7s'));
SELECT 'w ' || count(*) FROM (SELECT length(sig) FROM a1 UNION ALL SELECT length(sig) FROM a2) x;
SELECT 'r0 ' || pg_temp.rss();
SELECT 'a1 ' || string_agg(DISTINCT coalesce(v.problem, 'valid'), ',') FROM a1, licensing.verify_signature('hello', a1.sig) v;
SELECT 'r1 ' || pg_temp.rss();
SET licensing.max_signature_size = '2MB';
SELECT 'a2 ' || string_agg(DISTINCT coalesce(v.problem, 'valid'), ',') FROM a2, licensing.verify_signature('hello', a2.sig) v;
SELECT 'r2 ' || pg_temp.rss();
SQL
)
# B in a backend of its own, so that A's freed memory does not hide its growth
out="$out
$(psql -X -q -At -v ON_ERROR_STOP=1 -d $DB 2>&1 <<SQL
CREATE FUNCTION pg_temp.rss() RETURNS bigint LANGUAGE sql AS
\$\$ SELECT (regexp_match(pg_read_file('/proc/self/status'), 'VmRSS:\s+(\d+)'))[1]::bigint \$\$;
CREATE TEMP TABLE b AS SELECT i, pg_read_binary_file('$G/b' || i || '.p7s') AS sig FROM generate_series(1, $NB) i;
SELECT 'w ' || count(*) FROM licensing.verify_signature('hello', pg_read_binary_file('$PKI/company.hello.p7s'));
SELECT 'w ' || count(*) FROM (SELECT length(sig) FROM b) x;
SET licensing.signature_cache_size = '2MB';
SELECT 'r2b ' || pg_temp.rss();
SELECT 'b ' || count(*) FILTER (WHERE v.valid) FROM b, licensing.verify_signature('hello', b.sig) v;
SELECT 'r3 ' || pg_temp.rss();
SELECT 'b2 ' || count(*) FILTER (WHERE v.valid) FROM b, licensing.verify_signature('hello', b.sig) v;
SELECT 'r4 ' || pg_temp.rss();
SQL
)"
echo "$out" | grep -v '^[rabw][0-9b]* ' | sed 's/^/# /'
val() { echo "$out" | sed -n "s/^$1 //p"; }
r0=$(val r0); r1=$(val r1); r2=$(val r2); r3=$(val r3); r4=$(val r4)
echo "# VmRSS kB: start $r0, after A1 $r1, after A2 $r2, B from $(val r2b) to $r3, after B again $r4"
grow() { [ -n "$1" ] && [ -n "$2" ] && echo $(( ($2 - $1) / MB )) || echo 9999; }

g1=$(grow "$r0" "$r1")
tap $([ "$(val a1)" = malformed ] && echo 0 || echo 1) \
    "A: 40 CMS of ~1 MB with 30 dummy certificates each are malformed by the default size limit (got $(val a1))"
tap $([ "$g1" -lt 8 ] && echo 0 || echo 1) \
    "A: 1,200 large certificates sent in 40 oversized CMS grow the backend by < 8 MB (grew $g1 MB)"
g2=$(grow "$r0" "$r2")
tap $([ "$(val a2)" = valid ] && echo 0 || echo 1) \
    "A: with max_signature_size raised to 2MB the same CMS are decoded and their signer is valid (got $(val a2))"
tap $([ "$g2" -lt 8 ] && echo 0 || echo 1) \
    "A: 1,200 more dummy certificates decoded under the raised limit are not kept (< 8 MB since the start, grew $g2 MB)"
g3=$(grow "$(val r2b)" "$r3")
tap $([ "$(val b)" = "$NB" ] && echo 0 || echo 1) \
    "B: $NB signatures by $NB fresh trusted certificates of ~40 kB are valid (got $(val b))"
tap $([ "$g3" -lt 8 ] && echo 0 || echo 1) \
    "B: with signature_cache_size = 2MB the backend grows by < 8 MB while keeping trusted signers (grew $g3 MB)"
g4=$(grow "$r3" "$r4")
tap $([ "$(val b2)" = "$NB" ] && [ "$g4" -lt 4 ] && echo 0 || echo 1) \
    "B: the same $NB again: still valid, and the cache does not grow past its bound (grew $g4 MB more)"

# ---------------------------------------------------------------- C, placeholders
# A new session of an ordinary role: SET before the library is loaded makes a
# placeholder; loading the library must not accept the role's value.
big=$(stat -c %s "$G/dummies.p7s")
# the role cannot read files: the bytes come from a table a superuser made
psql -X -q -d $DB -c "CREATE TABLE public.big_sig AS SELECT pg_read_binary_file('$G/dummies.p7s') AS sig;
                      GRANT SELECT ON public.big_sig TO signature_memory_user" >/dev/null
out=$(psql -X -q -At -d $DB -U signature_memory_user 2>&1 <<SQL
SET licensing.max_signature_size = '1GB';
SELECT 'c1 ' || coalesce(v.problem, 'valid') FROM public.big_sig, licensing.verify_signature('hello', big_sig.sig) v;
SELECT 'c2 ' || current_setting('licensing.max_signature_size');
SET licensing.max_signature_size = '1GB';
SQL
)
echo "$out" | sed 's/^/# /'
tap $(echo "$out" | grep -qx 'c1 malformed' && echo 0 || echo 1) \
    "C: an ordinary role's placeholder SET before the library loads does not let a $big-byte CMS through"
tap $(echo "$out" | grep -qx 'c2 64kB' && echo 0 || echo 1) \
    "C: the limit stays at its default 64kB after the library loads"
tap $(echo "$out" | grep -q 'ERROR:  permission denied to set parameter "licensing.max_signature_size"' && echo 0 || echo 1) \
    "C: SET after the library is loaded is refused (42501)"

psql -X -q -c "DROP DATABASE $DB" -c "DROP ROLE signature_memory_user"

# ---------------------------------------------------------------- D, eviction
# sigcore.c alone under AddressSanitizer: cache bounds from nothing to a few
# signers, evicting all the time; every verdict as without a cache.
if clang -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -Isrc test/fuzz/signature_cache.c src/sigcore.c src/sha256.c \
        -lcrypto -o "$W/signature_cache" 2>"$W/cache-build.log"; then
    "$W/signature_cache" "$PKI" >"$W/cache.log" 2>&1
    rc=$?
    sed 's/^/# /; s/^# # /# /' "$W/cache.log" | head -20
    tap $rc "D: the bounded cache keeps, finds and evicts under ASan with every verdict unchanged (6,000 verifications)"
else
    sed 's/^/# /' "$W/cache-build.log" | head -20
    tap 1 "D: test/fuzz/signature_cache.c builds with AddressSanitizer"
fi
[ -n "${WORK_DIR:-}" ] || rm -rf "$W"
