#!/usr/bin/env bash
# trust_ops (API §7.1, issue #18): licensing.trust_store_health shows each
# trusted CA certificate and each CA's current CRL with the time left and a
# status; inserting a certificate or CRL that is stale, or soon will be, or
# that is older than its CA's current CRL, says so with a NOTICE.  Fresh
# certificates and CRLs are made here by the openssl CLI with the test PKI's
# CA keys (test/fixtures/make-pki.sh), in a copy of the CA's directory.
set -uo pipefail
cd "$(dirname "$0")/../.."
DB=trust_ops
PKI=${LICENSING_PKI:-$PWD/test/fixtures/pki}
OUT=${WORK_DIR:-/tmp/licensing_trust_ops}
mkdir -p "$OUT"
chmod 755 "$OUT"
n=0
check() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fi; }
q() { psql -X -At -v ON_ERROR_STOP=1 -d $DB -c "$1"; }
# notice SQL: the NOTICE lines the statement prints
notice() { psql -X -At -v ON_ERROR_STOP=1 -d $DB -c "$1" 2>&1 >/dev/null | grep -E '^(NOTICE|DETAIL|HINT|ERROR)'; }
health() { q "SELECT status FROM licensing.trust_store_health WHERE kind = '$1' AND subject LIKE '%$2%'"; }

psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" 2>/dev/null
psql -X -q -d postgres -c "CREATE DATABASE $DB" || exit 1
q "CREATE EXTENSION licensing" >/dev/null || exit 1
q "CREATE FUNCTION pg_read_binary_file(text) RETURNS bytea LANGUAGE sql AS \$\$ SELECT pg_read_binary_file(\$1) \$\$" >/dev/null

# A CRL of the intermediate CA issued 20 days ago whose next update is in 3 days,
# and a CA certificate that ends in 3 days.
cp -r "$PKI/ca-inter" "$OUT/" && cp "$PKI/ca.cnf" "$OUT/"
ts() { date -u -d "$1" +%Y%m%d%H%M%SZ; }
( cd "$OUT" && CADIR=$OUT/ca-inter openssl ca -config ca.cnf -gencrl -cert "$PKI/inter.crt.pem" -keyfile "$PKI/inter.key.pem" \
      -crlexts crl_ext -crl_lastupdate "$(ts '20 days ago')" -crl_nextupdate "$(ts '3 days')" -out soon.crl.pem 2>/dev/null \
  && openssl crl -in soon.crl.pem -outform DER -out soon.crl.der \
  && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout soonca.key.pem -out soonca.crt.pem \
         -days 3 -subj "/CN=Soon Ending CA" -addext "basicConstraints=critical,CA:TRUE" \
         -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null \
  && openssl x509 -in soonca.crt.pem -outform DER -out soonca.crt.der )
chmod 644 "$OUT"/*.der
check "the test makes a CRL due in 3 days and a CA certificate ending in 3 days" '[ -s "$OUT/soon.crl.der" ] && [ -s "$OUT/soonca.crt.der" ]'

check "an empty trust store has no rows" '[ "$(q "SELECT count(*) FROM licensing.trust_store_health")" = 0 ]'
out=$(notice "INSERT INTO licensing.trusted_certificate (certificate) VALUES (pg_read_binary_file('$PKI/root.crt.der')), (pg_read_binary_file('$PKI/inter.crt.der'))")
check "trusting certificates valid until 2035 says nothing" '[ -z "$out" ]'
check "each trusted certificate is a row, ok, with about nine years left" \
      '[ "$(q "SELECT count(*) FROM licensing.trust_store_health WHERE kind = '"'certificate'"' AND status = '"'ok'"' AND time_left > interval '"'8 years'"'")" = 2 ]'
check "a CA without a CRL is a crl row: expired, saying signatures are revocation_unknown" \
      '[ "$(q "SELECT count(*) FROM licensing.trust_store_health WHERE kind = '"'crl'"' AND fingerprint IS NULL AND status = '"'expired'"' AND note LIKE '"'%revocation_unknown%'"'")" = 2 ]'

out=$(notice "INSERT INTO licensing.revocation_list (crl) VALUES (pg_read_binary_file('$PKI/root.crl.der')), (pg_read_binary_file('$PKI/inter-stale.crl.der'))")
echo "$out" | sed 's/^/#   /'
check "inserting a CRL past its next update raises a NOTICE naming it" \
      '[[ "$out" == *"NOTICE:  the CRL of \""*"Intermediate"*"\" is past its next update (2020-06-30"* ]]'
check "  ... whose detail says portal submits are refused as signature_not_confirmed" '[[ "$out" == *"signature_not_confirmed"* ]]'
check "  ... and the root's CRL (valid until 2035) raises none" '[ "$(echo "$out" | grep -c "^NOTICE")" = 1 ]'
check "the stale CRL is its CA's current CRL: status expired" '[ "$(health crl Intermediate)" = expired ]'
check "the root's CRL: ok" '[ "$(q "SELECT status FROM licensing.trust_store_health WHERE kind = '"'crl'"' AND subject NOT LIKE '"'%Intermediate%'"'")" = ok ]'

out=$(notice "INSERT INTO licensing.revocation_list (crl) VALUES (pg_read_binary_file('$OUT/soon.crl.der'))")
echo "$out" | sed 's/^/#   /'
check "inserting a CRL whose next update is within 7 days raises a NOTICE" '[[ "$out" == *"reaches its next update soon, on "* ]]'
check "the newer CRL is now the CA's current one: warning, about 3 days left" \
      '[ "$(q "SELECT status || '"' '"' || (time_left BETWEEN interval '"'2 days'"' AND interval '"'3 days'"') FROM licensing.trust_store_health WHERE kind = '"'crl'"' AND subject LIKE '"'%Intermediate%'"'")" = "warning true" ]'
out=$(notice "INSERT INTO licensing.revocation_list (crl) VALUES (pg_read_binary_file('$PKI/inter.crl.der'))")
check "inserting a CRL older than the CA's current one says it is not used" '[[ "$out" == *"is older than one already loaded for that CA"* ]]'
check "  ... and the current CRL stays the newer one" '[ "$(health crl Intermediate)" = warning ]'

out=$(notice "INSERT INTO licensing.trusted_certificate (certificate) VALUES (pg_read_binary_file('$OUT/soonca.crt.der'))")
check "trusting a CA certificate that ends within 7 days raises a NOTICE" '[[ "$out" == *"trusted certificate \"CN=Soon Ending CA\" expires on "*"within 7 days"* ]]'
check "  ... and it is a warning in the view" '[ "$(health certificate "Soon Ending")" = warning ]'

check "everyone may read the view, as they may read the trust store" \
      '[ "$(q "SELECT has_table_privilege('"'public'"', '"'licensing.trust_store_health'"', '"'SELECT'"')")" = t ]'
check "the NOTICE trigger function is not executable by PUBLIC" \
      '[ "$(q "SELECT has_function_privilege('"'public'"', '"'licensing._trust_store_notice()'"', '"'EXECUTE'"')")" = f ]'
q "CREATE TABLE public.other (not_after timestamptz, next_update timestamptz)" >/dev/null
err=$(psql -X -At -d $DB -c "CREATE TRIGGER t AFTER INSERT ON public.other FOR EACH ROW EXECUTE FUNCTION licensing._trust_store_notice()" \
        -c "INSERT INTO public.other VALUES (now(), now())" 2>&1)
check "the trigger function refuses to run on any other table" '[[ "$err" == *"fired on public.other"* ]]'

[ -n "${KEEP:-}" ] || psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB"
