#!/usr/bin/env bash
# security_install (R10, issue #13 part 1): CREATE EXTENSION licensing by a
# superuser in a database whose owner planted operators and functions in
# `public` binds nothing from `public` and runs none of it, at install, on
# upgrade, or later through what the install stored (CHECKs, views, defaults).
#
# The database owner (an ordinary role) plants, for every pair of the common
# argument types that has no exact operator in pg_catalog, every comparison,
# arithmetic and concatenation operator; and overloads of the pg_catalog
# functions the install script calls, for argument types they lack.  Each
# planted function records that it ran and tries to make its owner superuser.
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT=${WORK_DIR:-/tmp/licensing_security_install}
mkdir -p "$OUT"
chmod 755 "$OUT"
n=0
check() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fi; }
q() { psql -X -At -v ON_ERROR_STOP=1 "$@"; }
# The test's own queries run with public off the path (they compare oid with
# regclass, which the planted operators would capture); only the install and
# the update run with the database's default path, as a DBA's would.
export PGOPTIONS="-c search_path=pg_catalog"
as_dba() { PGOPTIONS="-c search_path=\"\$user\",public" "$@"; }

for d in sec_install sec_upgrade; do psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $d" 2>/dev/null; done
psql -X -q -d postgres -c "DROP ROLE IF EXISTS sec_owner" 2>/dev/null
q -d postgres -c "CREATE ROLE sec_owner LOGIN" >/dev/null
q -d postgres -c "CREATE DATABASE sec_install OWNER sec_owner" -c "CREATE DATABASE sec_upgrade OWNER sec_owner" >/dev/null

# The functions the install scripts call, by name (words followed by "(").
grep -ohE '\b[a-z_][a-z0-9_]*\s*\(' licensing--*.sql src/sql/versions/*.sql | tr -d ' (' | sort -u >"$OUT/names"

plant() {
    psql -X -q -v ON_ERROR_STOP=1 -d "$1" -U sec_owner >"$OUT/plant-$1.out" 2>&1 <<'SQL'
CREATE TABLE public.captured (who name, what text);
GRANT INSERT ON public.captured TO PUBLIC;
CREATE FUNCTION public.planted(what text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO public.captured VALUES (current_user, what);
    BEGIN
        EXECUTE 'ALTER ROLE sec_owner SUPERUSER';
    EXCEPTION WHEN insufficient_privilege THEN NULL;
    END;
END $$;
DO $plant$
DECLARE
    types text[] := ARRAY['smallint', 'integer', 'bigint', 'numeric', 'real', 'double precision',
                          'text', 'character varying', 'character', 'name', '"char"', 'boolean',
                          'date', 'timestamp without time zone', 'timestamp with time zone',
                          'interval', 'time without time zone', 'bytea', 'oid',
                          'regclass', 'regrole', 'text[]', 'integer[]', 'inet', 'uuid'];
    ops text[] := ARRAY['=', '<>', '<', '>', '<=', '>=', '+', '-', '*', '/', '%', '||', '~~', '~',
                        '@>', '<@', '&&', '?', '->', '->>', '#>', '#>>'];
    l text; r text; o text; k int := 0;
BEGIN
    FOREACH l IN ARRAY types LOOP
        FOREACH r IN ARRAY types LOOP
            k := k + 1;
            EXECUTE format('CREATE FUNCTION public.op_%s(%s, %s) RETURNS boolean LANGUAGE plpgsql AS '
                           '$f$ BEGIN PERFORM public.planted(%L); RETURN true; END $f$',
                           k, l, r, l || ' op ' || r);
            FOREACH o IN ARRAY ops LOOP
                CONTINUE WHEN EXISTS (
                    SELECT FROM pg_operator
                     WHERE oprname = o AND oprnamespace = 'pg_catalog'::regnamespace
                       AND oprleft = l::regtype AND oprright = r::regtype);
                EXECUTE format('CREATE OPERATOR public.%s (LEFTARG = %s, RIGHTARG = %s, FUNCTION = public.op_%s)',
                               o, l, r, k);
            END LOOP;
        END LOOP;
    END LOOP;
END $plant$;
SQL
}
plant sec_install
check "the database owner planted operators in public" \
      '[ "$(q -d sec_install -c "SELECT count(*) > 1000 FROM pg_operator WHERE oprnamespace = '"'public'"'::regnamespace")" = t ]'

# Overloads of every pg_catalog function the scripts call, for argument types it lacks.
q -d sec_install -U sec_owner >"$OUT/plant-functions.out" 2>&1 <<SQL
DO \$plant\$
DECLARE
    f record; t text; args text; k int := 0;
BEGIN
    FOR f IN SELECT DISTINCT p.proname, p.pronargs FROM pg_proc p
              WHERE p.pronamespace = 'pg_catalog'::regnamespace AND p.pronargs BETWEEN 1 AND 3
                AND p.prokind = 'f'
                AND p.proname = ANY (string_to_array('$(tr '\n' ',' <"$OUT/names" | sed 's/,$//')', ','))
    LOOP
        FOREACH t IN ARRAY ARRAY['character varying', 'name', 'integer', 'numeric', 'jsonb', 'text'] LOOP
            args := array_to_string(array_fill(t, ARRAY[f.pronargs]), ', ');
            CONTINUE WHEN EXISTS (SELECT FROM pg_proc WHERE proname = f.proname
                                     AND pronamespace = 'pg_catalog'::regnamespace
                                     AND proargtypes::text = array_to_string(array_fill(t::regtype::oid, ARRAY[f.pronargs]), ' '));
            k := k + 1;
            BEGIN
                EXECUTE format('CREATE FUNCTION public.%I(%s) RETURNS %s LANGUAGE plpgsql AS '
                               '\$f\$ BEGIN PERFORM public.planted(%L); RETURN NULL; END \$f\$',
                               f.proname, args, t, f.proname || '(' || args || ')');
            EXCEPTION WHEN others THEN NULL;
            END;
        END LOOP;
    END LOOP;
END \$plant\$;
SELECT count(*) FROM pg_proc WHERE pronamespace = 'public'::regnamespace;
SQL
check "the database owner planted function overloads in public" \
      '[ "$(q -d sec_install -c "SELECT count(*) > 100 FROM pg_proc WHERE pronamespace = '"'public'"'::regnamespace")" = t ]'

# The superuser installs; then walks an application as staff and gateway, reads
# every view, and verifies the history: everything the install stored runs.
as_dba q -d sec_install >"$OUT/install.out" 2>&1 <<SQL
SHOW search_path;
CREATE EXTENSION licensing;
-- the fixtures are not the extension: they run with public off the path
SET search_path = pg_catalog, licensing;
\set QUIET on
SET test_pki.dir = '${LICENSING_PKI:-$PWD/test/fixtures/pki}';
\i test/fixtures/signing.sql
SELECT test_pki.load_trust();
\i test/fixtures/workflow.sql
SET search_path = pg_catalog, licensing;
SELECT wf_test.advance(wf_test.draft('scrap-metal', '160140001230', 'sko', 'office'), 'delivered');
SELECT count(*) FROM licensing.licence_register;
SELECT count(*) FROM licensing.application_history;
SELECT count(*) FROM licensing.term_compliance;
SELECT count(*) FROM licensing.service_quality;
SELECT count(*) FROM licensing.refusals;
SELECT count(*) FROM licensing.overdue_steps;
SELECT licensing.verify_history();
SQL
rc=$?
check "CREATE EXTENSION and a whole walk succeed beside the planted objects" '[ $rc -eq 0 ]'
[ $rc -eq 0 ] || sed 's/^/# /' "$OUT/install.out" | tail -15
check "no planted function ran" '[ "$(q -d sec_install -c "SELECT count(*) FROM public.captured")" = 0 ]'
q -d sec_install -c "SELECT format('%s: %s', who, what) FROM public.captured LIMIT 10" | sed 's/^/# ran: /'
check "the database owner is not superuser" '[ "$(q -d postgres -c "SELECT rolsuper FROM pg_roles WHERE rolname = '"'sec_owner'"'")" = f ]'

# No object of the extension depends on anything outside pg_catalog and licensing.
deps=$(q -d sec_install -c "
    SELECT pg_describe_object(d.classid, d.objid, d.objsubid) || ' -> ' || pg_describe_object(d.refclassid, d.refobjid, d.refobjsubid)
      FROM pg_depend d
     WHERE d.refclassid IN ('pg_proc'::regclass, 'pg_operator'::regclass, 'pg_type'::regclass, 'pg_class'::regclass,
                            'pg_collation'::regclass, 'pg_opclass'::regclass, 'pg_opfamily'::regclass,
                            'pg_ts_config'::regclass, 'pg_ts_dict'::regclass, 'pg_conversion'::regclass)
       AND (pg_identify_object(d.refclassid, d.refobjid, 0)).schema NOT IN ('pg_catalog', 'licensing')
       AND coalesce((pg_identify_object(d.classid, d.objid, 0)).schema, '') IN ('licensing')")
check "no object of schema licensing depends on an object outside pg_catalog and licensing" '[ -z "$deps" ]'
[ -n "$deps" ] && echo "$deps" | head -10 | sed 's/^/# /'
members=$(q -d sec_install -c "
    SELECT count(*) FROM pg_depend e JOIN pg_depend d ON d.classid = e.classid AND d.objid = e.objid
     WHERE e.refclassid = 'pg_extension'::regclass AND e.deptype = 'e'
       AND e.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'licensing')
       AND d.refclassid IN ('pg_proc'::regclass, 'pg_operator'::regclass, 'pg_type'::regclass)
       AND (pg_identify_object(d.refclassid, d.refobjid, 0)).schema NOT IN ('pg_catalog', 'licensing')")
check "no member of the extension depends on a function, operator or type outside pg_catalog and licensing" '[ "$members" = 0 ]'

# The same for an update from 1.0 (installed before the owner planted anything).
as_dba q -d sec_upgrade -c "CREATE EXTENSION licensing VERSION '1.0'" >/dev/null 2>&1
plant sec_upgrade
as_dba q -d sec_upgrade -c "ALTER EXTENSION licensing UPDATE" >"$OUT/update.out" 2>&1
rc=$?
check "ALTER EXTENSION licensing UPDATE succeeds beside the planted objects" '[ $rc -eq 0 ]'
check "no planted function ran during the update" '[ "$(q -d sec_upgrade -c "SELECT count(*) FROM public.captured")" = 0 ]'
check "the database owner is still not superuser" '[ "$(q -d postgres -c "SELECT rolsuper FROM pg_roles WHERE rolname = '"'sec_owner'"'")" = f ]'

# The scripts' own search_path ends with them: the caller's session keeps its own,
# in autocommit and inside a transaction block, after CREATE and after UPDATE.
for d in sec_path sec_path_up; do psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $d" 2>/dev/null; done
q -d postgres -c "CREATE DATABASE sec_path" -c "CREATE DATABASE sec_path_up" >/dev/null
paths=$(PGOPTIONS="-c search_path=public,pg_temp" q -d sec_path -c "CREATE EXTENSION licensing" -c "SHOW search_path" \
        -c "BEGIN" -c "DROP EXTENSION licensing" -c "CREATE EXTENSION licensing" -c "SHOW search_path" -c "COMMIT" | grep pg_temp | tr '\n' '|')
check "after CREATE EXTENSION the caller's search_path is its own (autocommit and in a transaction)" \
      '[ "$paths" = "public,pg_temp|public,pg_temp|" ]'
[ "$paths" = "public,pg_temp|public,pg_temp|" ] || echo "# got: $paths"
paths=$(PGOPTIONS="-c search_path=public,pg_temp" q -d sec_path_up -c "CREATE EXTENSION licensing VERSION '1.0'" \
        -c "BEGIN" -c "ALTER EXTENSION licensing UPDATE" -c "SHOW search_path" -c "COMMIT" | grep pg_temp | tr '\n' '|')
check "after ALTER EXTENSION UPDATE the caller's search_path is its own" '[ "$paths" = "public,pg_temp|" ]'
[ "$paths" = "public,pg_temp|" ] || echo "# got: $paths"
for d in sec_path sec_path_up; do psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $d"; done

[ -n "${KEEP:-}" ] || {
    for d in sec_install sec_upgrade; do psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $d"; done
    psql -X -q -d postgres -c "DROP ROLE IF EXISTS sec_owner"
}
