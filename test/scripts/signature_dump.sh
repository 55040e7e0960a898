#!/usr/bin/env bash
# signature_dump: pg_dump / pg_restore keep the trust store (trusted certificates
# and their CRLs, QUALITY R6); the restore re-checks every row through the
# triggers (CRLs after their issuers) and the restored store verifies signatures.
# Prints TAP lines.
set -uo pipefail
BIN=$("${PG_CONFIG:-pg_config}" --bindir)
PKI=${LICENSING_PKI:-$(cd "$(dirname "$0")/../fixtures" && pwd)/pki}
SRC=signature_dump_src
DST=signature_dump_dst
DUMP=${WORK_DIR:-/tmp}/signature.dump
mkdir -p "$(dirname "$DUMP")"
n=0
tap() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi; }
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }
rows="SELECT string_agg(fingerprint || ' ' || subject || ' ' || serial, '; ' ORDER BY fingerprint) FROM licensing.trusted_certificate
      UNION ALL
      SELECT string_agg(fingerprint || ' ' || issuer_fingerprint || ' ' || revoked_count, '; ' ORDER BY fingerprint) FROM licensing.revocation_list"
check="SELECT string_agg(coalesce(v.problem, 'valid'), ',' ORDER BY f)
         FROM unnest(ARRAY['company', 'revoked', 'expired']) f,
              licensing.verify_signature('hello', pg_read_binary_file('$PKI/' || f || '.hello.p7s'), '2026-06-01') v"

psql -X -q -c "DROP DATABASE IF EXISTS $SRC" -c "DROP DATABASE IF EXISTS $DST" 2>/dev/null
psql -X -q -c "CREATE DATABASE $SRC" -c "CREATE DATABASE $DST"
q $SRC "CREATE EXTENSION licensing" >/dev/null
q $SRC "
INSERT INTO licensing.trusted_certificate (certificate)
VALUES (pg_read_binary_file('$PKI/root.crt.der')), (pg_read_binary_file('$PKI/inter.crt.der'));
INSERT INTO licensing.revocation_list (crl)
VALUES (pg_read_binary_file('$PKI/root.crl.der')), (pg_read_binary_file('$PKI/inter.crl.der')),
       (pg_read_binary_file('$PKI/inter-stale.crl.der'));" >/dev/null
before=$(q $SRC "$rows")
verdict=$(q $SRC "$check")
tap $([ "$verdict" = "valid,expired,revoked" ] && echo 0 || echo 1) "the source database verifies (got $verdict)"

"$BIN/pg_dump" -Fc -d $SRC -f "$DUMP" 2>"$DUMP.err"
tap $? "pg_dump of a database with a trust store"
q $DST "CREATE EXTENSION licensing" >/dev/null
"$BIN/pg_restore" -d $DST --data-only "$DUMP" 2>"$DUMP.restore.err"
rc=$?
[ $rc = 0 ] || sed 's/^/# /' "$DUMP.restore.err" | head -20
tap $rc "pg_restore --data-only into a database with the extension: every row passes the triggers again"
after=$(q $DST "$rows")
tap $([ -n "$before" ] && [ "$before" = "$after" ] && echo 0 || echo 1) "both tables come back row for row (3 CRLs after 2 certificates)"
verdict=$(q $DST "$check")
tap $([ "$verdict" = "valid,expired,revoked" ] && echo 0 || echo 1) "the restored trust store verifies the same (got $verdict)"

psql -X -q -c "DROP DATABASE $DST"
psql -X -q -c "CREATE DATABASE $DST"
"$BIN/pg_restore" -d $DST "$DUMP" 2>"$DUMP.restore.err"
rc=$?
[ $rc = 0 ] || sed 's/^/# /' "$DUMP.restore.err" | head -20
tap $rc "pg_restore of the whole dump into an empty database (extension, then its configuration rows)"
after=$(q $DST "$rows")
tap $([ "$before" = "$after" ] && echo 0 || echo 1) "the whole restore keeps both tables"

psql -X -q -c "DROP DATABASE $SRC" -c "DROP DATABASE $DST"
rm -f "$DUMP" "$DUMP.err" "$DUMP.restore.err"
