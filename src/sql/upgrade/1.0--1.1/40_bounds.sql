-- 40_bounds.sql: input bounds (security issue #13, part 4).  The helpers of
-- src/sql/35_bounds.sql; the four API functions of src/sql/50_workflow.sql that
-- call licensing._limit_input first (each by its one line `size_ok boolean :=
-- licensing._limit_input(...)`) and quote callers' text through
-- licensing._short; and _check_licence_target of src/sql/60_licence.sql, which
-- quotes the form through it too.  Keep these copies equal to those files.

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

CREATE OR REPLACE FUNCTION licensing.create_application(service text, operation text, applicant text, provider text,
        form jsonb DEFAULT '{}', channel text DEFAULT 'portal', licence_number text DEFAULT NULL,
        representative licensing.iin DEFAULT NULL, attorney_number text DEFAULT NULL)
    RETURNS bigint
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    size_ok boolean := licensing._limit_input('form', $5);
    svc licensing.service;
    who text;
    kind text;
    prof text;
    app licensing.application;
    p_service text := $1; p_operation text := $2; p_applicant text := $3; p_provider text := $4;
    p_form jsonb := COALESCE($5, '{}'); p_channel text := $6; p_licence text := $7;
    p_rep licensing.iin := $8; p_attorney text := $9;
BEGIN
    SELECT * INTO svc FROM licensing.service s WHERE s.code OPERATOR(pg_catalog.=) p_service;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown service "%"', licensing._short(p_service) USING ERRCODE = '22023',
            HINT = 'See licensing.service for the services offered.';
    END IF;
    IF p_operation IS NULL OR NOT p_operation OPERATOR(pg_catalog.=) ANY (svc.operations) THEN
        RAISE EXCEPTION 'service % has no operation "%"', p_service, licensing._short(p_operation) USING ERRCODE = '22023',
            DETAIL = pg_catalog.format('Operations of %s: %s.', p_service, pg_catalog.array_to_string(svc.operations, ', '));
    END IF;
    IF p_channel IS NULL OR p_channel NOT IN ('portal', 'office') THEN
        RAISE EXCEPTION 'unknown channel "%"', licensing._short(p_channel) USING ERRCODE = '22023', HINT = 'Use portal or office.';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM licensing.provider pr WHERE pr.code OPERATOR(pg_catalog.=) p_provider) THEN
        RAISE EXCEPTION 'unknown provider "%"', licensing._short(p_provider) USING ERRCODE = '22023',
            HINT = 'See licensing.provider.';
    END IF;
    IF pg_catalog.jsonb_typeof(p_form) OPERATOR(pg_catalog.<>) 'object' THEN
        RAISE EXCEPTION 'form must be a JSON object' USING ERRCODE = '22023';
    END IF;
    -- the applicant: an IIN or a BIN of a kind the service accepts (22P02 when it does not parse)
    IF p_applicant IS NULL THEN
        RAISE EXCEPTION 'applicant must not be NULL' USING ERRCODE = '22023';
    END IF;
    IF pg_catalog.substr(pg_catalog.btrim(p_applicant), 5, 1) OPERATOR(pg_catalog.<=) '3' THEN
        who := p_applicant::licensing.iin::text;
        kind := 'individual';
        IF NOT kind OPERATOR(pg_catalog.=) ANY (svc.applicant_kinds) THEN
            RAISE EXCEPTION 'service % does not accept an individual (IIN %) as applicant', p_service, who
                USING ERRCODE = '22023', DETAIL = 'Accepted: ' OPERATOR(pg_catalog.||) pg_catalog.array_to_string(svc.applicant_kinds, ', ');
        END IF;
    ELSE
        who := p_applicant::licensing.bin::text;
        kind := licensing.bin_kind(who::licensing.bin);
        IF NOT (kind OPERATOR(pg_catalog.=) ANY (svc.applicant_kinds)
                OR (kind OPERATOR(pg_catalog.||) '/' OPERATOR(pg_catalog.||) licensing.bin_division(who::licensing.bin))
                   OPERATOR(pg_catalog.=) ANY (svc.applicant_kinds)) THEN
            RAISE EXCEPTION 'service % does not accept BIN % (%, %) as applicant', p_service, who, kind,
                licensing.bin_division(who::licensing.bin)
                USING ERRCODE = '22023', DETAIL = 'Accepted: ' OPERATOR(pg_catalog.||) pg_catalog.array_to_string(svc.applicant_kinds, ', '),
                      HINT = 'A licence is applied for by the legal entity''s head office.';
        END IF;
    END IF;
    -- who may create it
    IF p_channel OPERATOR(pg_catalog.=) 'portal' THEN
        IF licensing.acting_for() IS DISTINCT FROM who THEN
            RAISE EXCEPTION 'role "%" does not act for applicant %', licensing.actor(), who USING ERRCODE = '42501',
                DETAIL = 'On the portal the applicant is the one named by licensing.act_for().',
                HINT = 'Call licensing.act_for() as a member of licensing_portal first.';
        END IF;
        IF p_rep IS NOT NULL OR p_attorney IS NOT NULL THEN
            RAISE EXCEPTION 'a representative is named at the office only' USING ERRCODE = '22023',
                DETAIL = 'On the portal the applicant signs for itself (000 §6).';
        END IF;
    ELSE
        IF NOT EXISTS (SELECT 1 FROM licensing.staff s WHERE s.role OPERATOR(pg_catalog.=) licensing.actor()
                         AND s.provider OPERATOR(pg_catalog.=) p_provider AND s.position OPERATOR(pg_catalog.=) 'clerk') THEN
            RAISE EXCEPTION 'role "%" is not a clerk of provider %', licensing.actor(), p_provider USING ERRCODE = '42501',
                DETAIL = 'Office applications are entered by a clerk of the provider (000 §7).';
        END IF;
        IF p_rep IS NOT NULL AND p_attorney IS NULL THEN
            RAISE EXCEPTION 'representative % needs a notarised power of attorney', p_rep USING ERRCODE = '22023',
                HINT = 'Pass attorney_number.';
        END IF;
    END IF;
    -- reissue and duplicate name an active licence of the applicant (checked by the licence register)
    IF p_operation IN ('reissue', 'duplicate') THEN
        IF p_licence IS NULL THEN
            RAISE EXCEPTION '% needs the number of the licence', p_operation USING ERRCODE = '22023',
                HINT = 'Pass licence_number.';
        END IF;
        PERFORM licensing._check_licence_target(p_service, p_operation, who, p_licence, p_form);
    ELSIF p_licence IS NOT NULL THEN
        RAISE EXCEPTION 'operation issue takes no licence number' USING ERRCODE = '22023';
    END IF;
    prof := COALESCE((SELECT pp.profile FROM licensing.provider_profile pp
                       WHERE pp.provider OPERATOR(pg_catalog.=) p_provider AND pp.service OPERATOR(pg_catalog.=) p_service),
                     svc.default_profile);
    IF prof IS NULL THEN
        RAISE EXCEPTION 'provider % has no profile for service %', p_provider, p_service USING ERRCODE = '22023',
            HINT = 'Add a row to licensing.provider_profile or set the service''s default_profile.';
    END IF;
    INSERT INTO licensing.application (service, operation, channel, applicant, provider, profile, licence_number,
                                       form, representative, attorney_number, created_at, created_by)
    VALUES (p_service, p_operation, p_channel, who, p_provider, prof, p_licence, p_form, p_rep, p_attorney,
            licensing.clock(), licensing.actor())
    RETURNING * INTO app;
    PERFORM licensing._append_event(app.id, 'create', NULL, 'draft', licensing._row_json(app));
    PERFORM licensing._notify(app.id, NULL, 'draft');
    RETURN app.id;
END
$$;

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

