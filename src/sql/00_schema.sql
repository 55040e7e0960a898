-- 00_schema.sql: the schema and the group roles every later part grants to.

-- The script binds names in pg_catalog and licensing only.  CREATE EXTENSION
-- runs it with the current schema (usually public) on the path, where a
-- database owner could have planted an operator or function that a comparison,
-- a CHECK or a view would otherwise bind to and run as the installing
-- superuser.
-- SET LOCAL, not SET: CREATE/ALTER EXTENSION restores a LOCAL setting when
-- the script ends, while a plain SET would stay in the caller's session.
SET LOCAL search_path = pg_catalog, licensing;

CREATE SCHEMA licensing;
COMMENT ON SCHEMA licensing IS 'E-licensing service of Kazakhstan, enforced inside the database';
GRANT USAGE ON SCHEMA licensing TO PUBLIC;

-- Group roles of API §8.  Roles are cluster-wide: create only the missing ones,
-- so a second database (or a re-created extension) finds them in place.
DO $roles$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['licensing_admin', 'licensing_portal', 'licensing_gateway',
                             'licensing_staff', 'licensing_reporter']
    LOOP
        IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname OPERATOR(pg_catalog.=) r) THEN
            EXECUTE pg_catalog.format('CREATE ROLE %I NOLOGIN', r);
        END IF;
    END LOOP;
END
$roles$;

-- The trigger every cached table carries (calendar, providers, trust store):
-- a change drops the per-backend caches of that table in every session.
CREATE FUNCTION licensing.invalidate_cache() RETURNS trigger
    AS 'MODULE_PATHNAME', 'invalidate_cache' LANGUAGE C;
COMMENT ON FUNCTION licensing.invalidate_cache() IS
    'Statement trigger on cached tables: queues a relcache invalidation so every backend drops its cache of the table';
