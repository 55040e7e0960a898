-- 00_search_path.sql: the upgrade binds names in pg_catalog and licensing only.
-- ALTER EXTENSION runs this script with the extension's schema on the path
-- (public, for 1.0 installs); a comparison or call written here must never
-- resolve to an object a database owner planted there.
-- SET LOCAL, not SET: CREATE/ALTER EXTENSION restores a LOCAL setting when
-- the script ends, while a plain SET would stay in the caller's session.
SET LOCAL search_path = pg_catalog, licensing;
