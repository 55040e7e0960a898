-- 40_bounds.sql: input bounds (security issue #13, part 4).  The helpers of
-- src/sql/35_bounds.sql; the four API functions of src/sql/50_workflow.sql that
-- call licensing._limit_input first (each by its one line `size_ok boolean :=
-- licensing._limit_input(...)`) and quote callers' text through
-- licensing._short; and _check_licence_target of src/sql/60_licence.sql, which
-- quotes the form through it too.  Keep these copies equal to those files.
-- (create_application and _check_licence_target: defined in 75c_results.sql,
-- which changes them again.)

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

CREATE OR REPLACE FUNCTION licensing.attach_document(application bigint, kind text, content bytea, filename text,
        paper_original boolean DEFAULT false) RETURNS bigint
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    size_ok boolean := licensing._limit_input('document', $3);
    a licensing.application := licensing._lock($1);
    doc bigint;
    h bytea;
BEGIN
    PERFORM licensing._require_visible(a);
    IF a.state OPERATOR(pg_catalog.<>) 'draft' THEN
        RAISE EXCEPTION 'application % is %, documents are attached to drafts only', a.id, a.state USING ERRCODE = '55000';
    END IF;
    IF NOT (CASE WHEN a.channel OPERATOR(pg_catalog.=) 'portal' THEN licensing.acting_for() IS NOT DISTINCT FROM a.applicant
                 ELSE EXISTS (SELECT 1 FROM licensing.staff s WHERE s.role OPERATOR(pg_catalog.=) licensing.actor()
                                AND s.provider OPERATOR(pg_catalog.=) a.provider AND s.position OPERATOR(pg_catalog.=) 'clerk') END) THEN
        RAISE EXCEPTION 'role "%" may not attach documents to application %', licensing.actor(), a.id USING ERRCODE = '42501',
            DETAIL = 'Documents are attached by the portal for its applicant, or at the office by a clerk.';
    END IF;
    IF $2 IS NULL OR pg_catalog.btrim($2) OPERATOR(pg_catalog.=) '' OR $4 IS NULL OR pg_catalog.btrim($4) OPERATOR(pg_catalog.=) '' THEN
        RAISE EXCEPTION 'a document needs a kind and a file name' USING ERRCODE = '22023';
    END IF;
    IF $3 IS NULL OR pg_catalog.length($3) OPERATOR(pg_catalog.=) 0 THEN
        RAISE EXCEPTION 'document "%" is empty', licensing._short($4) USING ERRCODE = '22023';
    END IF;
    h := pg_catalog.sha256($3);
    INSERT INTO licensing.application_document (application, kind, filename, content, sha256, paper_original, attached_at)
    VALUES (a.id, $2, $4, $3, h, COALESCE($5, false), licensing.clock())
    RETURNING id INTO doc;
    PERFORM licensing._append_event(a.id, 'attach_document', 'draft', 'draft',
        pg_catalog.jsonb_build_object('document', doc, 'kind', $2, 'filename', $4,
                                      'sha256', pg_catalog.encode(h, 'hex'), 'paper_original', COALESCE($5, false)));
    PERFORM licensing._notify(a.id, 'draft', 'draft');
    RETURN doc;
END
$$;

-- submit (it calls licensing._limit_input first too) is replaced in 76_texts.sql

CREATE OR REPLACE FUNCTION licensing.sign_decision(application bigint, signature bytea) RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    size_ok boolean := licensing._limit_input('signature', $2);
    b licensing.application;
BEGIN
    b := licensing._step($1, 'signed', pg_catalog.jsonb_build_object(
        'decision_payload', licensing._decision_payload($1), 'decision_signature', $2));
    IF b.outcome OPERATOR(pg_catalog.=) 'granted' THEN
        PERFORM licensing._issue_result(b.id);
    END IF;
END
$$;

