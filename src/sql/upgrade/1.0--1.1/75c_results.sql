-- 75c_results.sql: the rest of the update to what the applicant receives
-- (issue #15), after the fresh install's src/sql/75_results.sql (75b).

-- The providers a 1.0 database already served keep rendering what they
-- rendered: each (provider, service) of an application or a provider_profile
-- row (the DBA's rows, dumped).  Anything else needs a row by the DBA.
INSERT INTO licensing.provider_service (provider, service)
SELECT DISTINCT a.provider, a.service FROM licensing.application a
UNION
SELECT pp.provider, pp.service FROM licensing.provider_profile pp
ON CONFLICT DO NOTHING;

-- ==== changed functions and the register view
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
                DETAIL = 'On the portal the applicant signs for itself (South Kazakhstan No 382 of 19.12.2012, §6).';
        END IF;
    ELSE
        IF NOT EXISTS (SELECT 1 FROM licensing.staff s WHERE s.role OPERATOR(pg_catalog.=) licensing.actor()
                         AND s.provider OPERATOR(pg_catalog.=) p_provider AND s.position OPERATOR(pg_catalog.=) 'clerk') THEN
            RAISE EXCEPTION 'role "%" is not a clerk of provider %', licensing.actor(), p_provider USING ERRCODE = '42501',
                DETAIL = 'Office applications are entered by a clerk of the provider (South Kazakhstan No 382 of 19.12.2012, §7).';
        END IF;
        IF p_rep IS NOT NULL AND p_attorney IS NULL THEN
            RAISE EXCEPTION 'representative % needs a notarised power of attorney', p_rep USING ERRCODE = '22023',
                HINT = 'Pass attorney_number.';
        END IF;
    END IF;
    -- the provider renders the service, and the form carries what the service
    -- needs (a conclusion's object: API §6, revision 2), before anything is written
    PERFORM licensing._check_application_form(p_service, p_operation, p_provider, p_form, p_licence);
    -- reissue, duplicate and annex name an active licence of the applicant (checked by the licence register)
    IF p_operation IN ('reissue', 'duplicate', 'annex') THEN
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
CREATE OR REPLACE FUNCTION licensing._decision_payload(application bigint) RETURNS bytea
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    SELECT pg_catalog.convert_to(licensing.canonical_json(pg_catalog.jsonb_build_object(
        'id', a.id, 'revision', licensing._revision(a.id),
        'application', a.number, 'service', a.service, 'operation', a.operation, 'applicant', a.applicant,
        'provider', a.provider, 'outcome', a.outcome, 'number', a.result_number,
        'target_licence', a.licence_number, 'ground', a.ground,
        'ground_text_kk', g.text_kk, 'ground_text_ru', g.text_ru,
        'reason_kk', a.reason_kk, 'reason_ru', a.reason_ru,
        'annexes', COALESCE(a.decision OPERATOR(pg_catalog.->) 'annexes', '[]'),
        'details', COALESCE(a.decision, '{}'),
        'decided_at', licensing._utc(a.decided_at), 'executor', a.executor::text)
        -- revision 2 (API §6): a conclusion's content, an annex's number, what a duplicate copies
        OPERATOR(pg_catalog.||) licensing._decision_content(a)), 'UTF8')
    FROM licensing.application a
    LEFT JOIN licensing.refusal_ground g ON g.code OPERATOR(pg_catalog.=) a.ground
    WHERE a.id OPERATOR(pg_catalog.=) $1 AND a.outcome IS NOT NULL
$$;
COMMENT ON FUNCTION licensing.decision_payload(bigint) IS 'RFC 8785 canonical JSON of the decision (the application''s id, number and revision, outcome, ground and reasons, annexes; a conclusion''s object, finding, conditions and documents; the numbers of the annexes it issues; what a duplicate copies) the head signs';

-- _licence_check_details: replaced in a later part

CREATE OR REPLACE FUNCTION licensing._licence_number_for(application bigint, details jsonb) RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    a record;
    v_kind text;
    v_number text;
BEGIN
    SELECT ap.id, ap.service, ap.operation, ap.applicant, ap.licence_number, ap.form
      INTO a FROM licensing.application ap WHERE ap.id OPERATOR(pg_catalog.=) _licence_number_for.application;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'application % does not exist', _licence_number_for.application USING ERRCODE = 'P0002';
    END IF;
    SELECT s.result_kind INTO v_kind FROM licensing.service s WHERE s.code OPERATOR(pg_catalog.=) a.service;
    PERFORM licensing._licence_check_details(v_kind, a.operation, a.applicant, details);
    -- an added annex needs its content; an annex re-issued alone takes at most one
    -- (its new content; none: the old one's, under a new number)
    IF a.operation OPERATOR(pg_catalog.=) 'annex'
       AND coalesce(jsonb_array_length(CASE WHEN jsonb_typeof(details->'annexes') OPERATOR(pg_catalog.=) 'array'
                                            THEN details->'annexes' END), 0) OPERATOR(pg_catalog.=) 0 THEN
        RAISE EXCEPTION 'the grant of an added annex names the annex'
            USING ERRCODE = '22023', DETAIL = 'An application to add an annex is granted with the annex''s content.',
                  HINT = 'Pass {"annexes": [{"subtype": ..., "address": ..., "branch_bin": ...}]}.';
    END IF;
    IF a.operation OPERATOR(pg_catalog.=) 'reissue' AND jsonb_typeof(a.form->'annex') OPERATOR(pg_catalog.=) 'number'
       AND jsonb_typeof(details->'annexes') OPERATOR(pg_catalog.=) 'array'
       AND jsonb_array_length(details->'annexes') OPERATOR(pg_catalog.>) 1 THEN
        RAISE EXCEPTION 'an annex re-issued alone takes one annex, not %', jsonb_array_length(details->'annexes')
            USING ERRCODE = '22023', DETAIL = pg_catalog.format('The application re-issues annex %s only.', a.form->>'annex'),
                  HINT = 'Pass the annex''s new content as the one element of "annexes", or {} to keep it.';
    END IF;
    IF a.operation OPERATOR(pg_catalog.=) 'duplicate' OR a.operation OPERATOR(pg_catalog.=) 'annex'
       OR (a.operation OPERATOR(pg_catalog.=) 'reissue' AND jsonb_typeof(a.form->'annex') OPERATOR(pg_catalog.=) 'number') THEN
        -- a duplicate, an added annex and an annex re-issued alone carry the
        -- number of the licence they belong to (the annex its own, at signing)
        RETURN (licensing._licence_find(a.licence_number, false)).number;
    END IF;
    -- 1 serial in 37 has no printable check character: take the next one
    LOOP
        v_number := licensing.licence_number_make(v_kind,
                                                  pg_catalog.date_part('year', licensing._licence_today())::integer,
                                                  pg_catalog.nextval('licensing.licence_number_seq'));
        EXIT WHEN v_number IS NOT NULL;
    END LOOP;
    RETURN v_number;
END
$$;

CREATE OR REPLACE FUNCTION licensing._check_licence_target(service text, operation text, applicant text,
                                                licence_number text, form jsonb) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    l licensing.licence;
    g text := form->>'ground';
    predecessor text;
    n jsonb := form->'annex';
    an record;
BEGIN
    IF operation NOT IN ('reissue', 'duplicate', 'annex') THEN
        IF licence_number IS NOT NULL THEN
            RAISE EXCEPTION 'an application to % names no licence', pg_catalog.left(operation, 64)
                USING ERRCODE = '22023', DETAIL = pg_catalog.format('It named %s.', pg_catalog.left(licence_number, 64)),
                      HINT = 'Only reissue, duplicate and annex applications name an existing licence.';
        END IF;
        RETURN;
    END IF;
    IF licence_number IS NULL THEN
        RAISE EXCEPTION 'an application for a % must name the licence', operation
            USING ERRCODE = '22023', HINT = 'Pass licence_number, the number printed on the licence.';
    END IF;
    l := licensing._licence_find(licence_number, false);
    IF l.service OPERATOR(pg_catalog.<>) _check_licence_target.service THEN
        RAISE EXCEPTION 'licence % is not a licence of service %', l.number, _check_licence_target.service
            USING ERRCODE = '22023', DETAIL = pg_catalog.format('It was issued for service %s.', l.service),
                  HINT = 'Apply for the service the licence belongs to.';
    END IF;
    IF l.status OPERATOR(pg_catalog.<>) 'active' THEN
        RAISE EXCEPTION 'licence % is %', l.number, l.status
            USING ERRCODE = '55000',
                  DETAIL = pg_catalog.format('Only an active licence can be %s.',
                                             CASE operation WHEN 'reissue' THEN 're-issued' WHEN 'annex' THEN 'given a new annex'
                                                            ELSE 'duplicated' END),
                  HINT = CASE l.status WHEN 'reissued' THEN pg_catalog.format('Apply for the licence that replaced it (see licensing.licence where supersedes = %L).', l.number)
                                       WHEN 'suspended' THEN 'Apply again when the licence is resumed.'
                                       ELSE 'A terminated licence cannot be re-issued or duplicated; apply for a new licence.' END;
    END IF;
    IF operation OPERATOR(pg_catalog.=) 'reissue' THEN
        IF g IS NULL THEN
            RAISE EXCEPTION 'a re-issue must name its ground'
                USING ERRCODE = '22023', HINT = 'Put the ground in the form, e.g. {"ground": "name_change"}; see licensing.reissue_ground.';
        END IF;
        IF NOT EXISTS (SELECT FROM licensing.reissue_ground rg WHERE rg.code OPERATOR(pg_catalog.=) g) THEN
            RAISE EXCEPTION 'unknown re-issue ground "%"', licensing._short(g)
                USING ERRCODE = '22023', HINT = 'Use a code of licensing.reissue_ground (Law 202-V art. 33).';
        END IF;
    END IF;
    IF l.holder OPERATOR(pg_catalog.<>) applicant THEN
        IF operation OPERATOR(pg_catalog.=) 'reissue' AND g OPERATOR(pg_catalog.=) 'reorganisation'
           AND licensing.bin_is_valid(applicant) THEN
            SELECT le.predecessor::text INTO predecessor
              FROM licensing.legal_entity le WHERE le.bin OPERATOR(licensing.=) applicant::licensing.bin;
            IF predecessor IS NOT DISTINCT FROM l.holder THEN
                RETURN;
            END IF;
            RAISE EXCEPTION 'licence % does not belong to % or its predecessor', l.number, applicant
                USING ERRCODE = '42501',
                      DETAIL = pg_catalog.format('The licence is held by %s; the legal-entity registry names %s as the predecessor of %s.',
                                                 l.holder, coalesce(predecessor, 'no entity'), applicant),
                      HINT = 'A reorganised entity re-issues the licence of the entity it succeeded, as the registry records it.';
        END IF;
        RAISE EXCEPTION 'licence % does not belong to %', l.number, applicant
            USING ERRCODE = '42501',
                  DETAIL = pg_catalog.format('The licence is held by %s.', l.holder),
                  HINT = 'Only the holder applies for its re-issue or duplicate (a successor: re-issue with ground reorganisation).';
    END IF;
    IF operation OPERATOR(pg_catalog.=) 'annex' AND n IS NOT NULL THEN
        RAISE EXCEPTION 'an application to add an annex names no existing annex'
            USING ERRCODE = '22023', DETAIL = pg_catalog.format('Its form names annex %s.', licensing._short(n::text)),
                  HINT = 'The new annex''s content comes with the grant; to re-issue or duplicate annex n, apply for reissue or duplicate with {"annex": n}.';
    END IF;
    IF operation IN ('duplicate', 'reissue') AND n IS NOT NULL AND jsonb_typeof(n) OPERATOR(pg_catalog.<>) 'null' THEN
        IF jsonb_typeof(n) OPERATOR(pg_catalog.<>) 'number' OR (n #>> '{}') !~ '^[0-9]{1,9}$' THEN
            RAISE EXCEPTION 'form "annex" must be an annex number, not %', licensing._short(n::text)
                USING ERRCODE = '22023', HINT = 'Pass {"annex": 2} for annex 2 alone, or no annex for the whole licence.';
        END IF;
        IF NOT EXISTS (SELECT FROM licensing.licence_annex la
                        WHERE la.licence OPERATOR(pg_catalog.=) l.number
                          AND la.position OPERATOR(pg_catalog.=) (n #>> '{}')::integer) THEN
            RAISE EXCEPTION 'licence % has no annex %', l.number, n #>> '{}'
                USING ERRCODE = '22023',
                      DETAIL = pg_catalog.format('It has %s annex(es).',
                                 (SELECT count(*) FROM licensing.licence_annex la WHERE la.licence OPERATOR(pg_catalog.=) l.number)),
                      HINT = 'See licensing.licence_register for the licence''s annexes.';
        END IF;
        SELECT la.number, la.status INTO an
          FROM licensing.licence_annex la
         WHERE la.licence OPERATOR(pg_catalog.=) l.number AND la.position OPERATOR(pg_catalog.=) (n #>> '{}')::integer;
        IF an.status OPERATOR(pg_catalog.<>) 'active' THEN
            RAISE EXCEPTION 'annex % is %', an.number, an.status
                USING ERRCODE = '55000',
                      DETAIL = pg_catalog.format('Only an active annex can be %s.', CASE operation WHEN 'reissue' THEN 're-issued' ELSE 'duplicated' END),
                      HINT = CASE an.status WHEN 'reissued' THEN pg_catalog.format('Apply for the annex that replaced it (see licensing.licence_annex where licence = %L and supersedes = %s).', l.number, n #>> '{}')
                                            ELSE 'Apply for the annex in force.' END;
        END IF;
    END IF;
END
$$;

-- _issue_result: replaced in a later part

CREATE OR REPLACE FUNCTION licensing.licence_document(number text) RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    l licensing.licence := licensing._licence_find(number, false);
BEGIN
    PERFORM licensing._licence_require_reader(l);
    -- once the licence was duplicated, the document in force is the latest duplicate
    RETURN (SELECT pg_catalog.convert_from(ap.decision_payload, 'UTF8')::jsonb
              FROM licensing.application ap
             WHERE ap.id OPERATOR(pg_catalog.=) licensing._licence_document_application(l));
END
$$;
COMMENT ON FUNCTION licensing.licence_document(text) IS
    'the signed snapshot of a licence or conclusion: the decision payload its provider''s head signed, or that of its latest duplicate (never changes; status is in licence_register)';

CREATE OR REPLACE FUNCTION licensing.licence_signed(number text, OUT payload bytea, OUT signature bytea)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    l licensing.licence := licensing._licence_find(number, false);
BEGIN
    PERFORM licensing._licence_require_reader(l);
    SELECT ap.decision_payload, ap.decision_signature INTO payload, signature
      FROM licensing.application ap WHERE ap.id OPERATOR(pg_catalog.=) licensing._licence_document_application(l);
END
$$;
COMMENT ON FUNCTION licensing.licence_signed(text) IS
    'the exact signed bytes of a licence''s decision (or its latest duplicate''s) and the head''s CMS signature, for licensing.verify_signature(payload, signature)';

-- licence_html: replaced in a later part

CREATE OR REPLACE VIEW licensing.licence_register AS
SELECT l.number,
       l.kind,
       l.holder,
       coalesce(le.name, pe.name) AS holder_name,
       l.service,
       l.status,
       l.issued_on,
       l.provider,
       coalesce((SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
                            'position', la.position, 'subtype', la.subtype, 'address', la.address,
                            'branch_bin', la.branch_bin::text, 'number', la.number,
                            'issued_on', la.issued_on, 'status', la.status, 'supersedes', la.supersedes) ORDER BY la.position)
                   FROM licensing.licence_annex la
                  WHERE la.licence OPERATOR(pg_catalog.=) l.number), '[]'::jsonb) AS annexes,
       l.supersedes,
       (SELECT n.number FROM licensing.licence n WHERE n.supersedes OPERATOR(pg_catalog.=) l.number) AS superseded_by,
       l.status_since,
       l.status_ground,
       l.suspended_until,
       -- a conclusion's content (API §6, revision 2): the object, the finding, the conditions
       CASE WHEN l.kind OPERATOR(pg_catalog.=) 'conclusion' THEN
            (SELECT pg_catalog.jsonb_build_object('object', ap.form OPERATOR(pg_catalog.->) 'object',
                                                  'finding', ap.decision OPERATOR(pg_catalog.->) 'finding',
                                                  'conditions', coalesce(ap.decision OPERATOR(pg_catalog.->) 'conditions', '[]'::jsonb))
               FROM licensing.application ap WHERE ap.id OPERATOR(pg_catalog.=) l.application) END AS conclusion
  FROM licensing.licence l
  LEFT JOIN licensing.legal_entity le
         ON le.bin OPERATOR(licensing.=) CASE WHEN licensing.bin_is_valid(l.holder) THEN l.holder::licensing.bin END
  LEFT JOIN licensing.person pe
         ON pe.iin OPERATOR(licensing.=) CASE WHEN licensing.iin_is_valid(l.holder) THEN l.holder::licensing.iin END;
COMMENT ON VIEW licensing.licence_register IS
    'the public register of licences and conclusions: number, kind, holder and name, service, current status, issue date, provider, annexes (number, date, status), re-issue links, a conclusion''s object, finding and conditions';
