-- Input bounds (security issue #13): the settings licensing.max_signature_size,
-- licensing.max_document_size, licensing.max_form_size and
-- licensing.signature_cache_size are defined by the library (bounds.c,
-- superusers only).  The API functions that take a signature, a document or a
-- form call this first, before any other work.
CREATE FUNCTION licensing._limit_input(kind text, value "any") RETURNS boolean
    AS 'MODULE_PATHNAME', 'licensing_limit_input' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION licensing._limit_input(text, "any") IS
    'True, or 54000 when a signature, document or form (bytea or jsonb) is larger than licensing.max_signature_size, max_document_size or max_form_size; read without detoasting';
REVOKE ALL ON FUNCTION licensing._limit_input(text, "any") FROM PUBLIC;

-- Error messages quote at most a short prefix of a caller's text (an argument
-- may be up to 1 GB, and each message goes to the client and the server log).
CREATE FUNCTION licensing._short(value text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
AS $$
    SELECT CASE WHEN pg_catalog.length($1) OPERATOR(pg_catalog.<=) 40 THEN $1
                ELSE pg_catalog.left($1, 40) OPERATOR(pg_catalog.||) '...' END
$$;
COMMENT ON FUNCTION licensing._short(text) IS
    'A caller''s text as an error message quotes it: at most its first 40 characters, then ...';
REVOKE ALL ON FUNCTION licensing._short(text) FROM PUBLIC;
