-- pgTAP: catalog-wide rules that keep the extension safe (QUALITY R6, R7; STYLE).
BEGIN;
SELECT plan(5);

-- R7: every SECURITY DEFINER function pins its search_path.
SELECT is(
    ARRAY(SELECT p.oid::regprocedure::text FROM pg_proc p
           WHERE p.pronamespace = 'licensing'::regnamespace AND p.prosecdef
             AND NOT coalesce(p.proconfig @> ARRAY['search_path=pg_catalog, pg_temp'], false)
           ORDER BY 1),
    ARRAY[]::text[],
    'every SECURITY DEFINER function sets search_path = pg_catalog, pg_temp');

-- SECURITY DEFINER functions are not executable by PUBLIC unless meant for all.
SELECT is(
    ARRAY(SELECT p.oid::regprocedure::text FROM pg_proc p
           WHERE p.pronamespace = 'licensing'::regnamespace AND p.prosecdef
             AND has_function_privilege('public', p.oid, 'EXECUTE')
             AND p.proname NOT IN ('actor', 'verify_signature', 'certificate_info',
                                   'licence_document', 'licence_number_is_valid')
           ORDER BY 1),
    ARRAY[]::text[],
    'no SECURITY DEFINER function is open to PUBLIC by accident');

-- R6: every table of the extension that can hold user rows is dumped by pg_dump.
SELECT is(
    ARRAY(SELECT c.oid::regclass::text FROM pg_class c
           WHERE c.relnamespace = 'licensing'::regnamespace AND c.relkind IN ('r', 'p', 'S')
             AND NOT EXISTS (SELECT FROM pg_extension e
                              WHERE e.extname = 'licensing' AND c.oid = ANY (e.extconfig))
           ORDER BY 1),
    ARRAY[]::text[],
    'every table and sequence is marked with pg_extension_config_dump');

-- Every object of the extension has a comment.
SELECT is(
    ARRAY(SELECT c.oid::regclass::text FROM pg_class c
           WHERE c.relnamespace = 'licensing'::regnamespace AND c.relkind IN ('r', 'v', 'p')
             AND obj_description(c.oid, 'pg_class') IS NULL ORDER BY 1),
    ARRAY[]::text[],
    'every table and view has a comment');

-- The opclasses pass amvalidate.
SELECT ok(bool_and(amvalidate(oid)), 'every operator class of the extension is valid')
  FROM pg_opclass WHERE opcnamespace = 'licensing'::regnamespace;

SELECT * FROM finish();
ROLLBACK;
