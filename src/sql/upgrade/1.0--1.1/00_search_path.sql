-- 00_search_path.sql: the upgrade binds names in pg_catalog and licensing only.
-- ALTER EXTENSION runs this script with the extension's schema on the path
-- (public, for 1.0 installs); a comparison or call written here must never
-- resolve to an object a database owner planted there.  The setting ends with
-- the script.
SET search_path = pg_catalog, licensing;
