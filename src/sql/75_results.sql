-- 75_results.sql: what the applicant receives (issue #15, API §6 revision 2).
--
-- Which provider renders which service (provider_service, with the providers
-- of the seeds); the content of a conclusion of the ecological expertise (its
-- object, finding, conditions and the documents examined), checked when the
-- application is created and when it is granted, carried in the signed
-- decision, the register and the printed form; annexes with a life of their
-- own (a number, a date, a status that follows the licence's; added to an
-- existing licence, re-issued or duplicated alone); duplicates printed as
-- duplicates.

-- ---- which provider renders which service --------------------------------------
CREATE TABLE licensing.provider_service (
    provider text NOT NULL REFERENCES licensing.provider ON UPDATE CASCADE ON DELETE CASCADE,
    service  text NOT NULL REFERENCES licensing.service ON UPDATE CASCADE,
    shipped  boolean NOT NULL DEFAULT false,
    PRIMARY KEY (provider, service)
);
COMMENT ON TABLE licensing.provider_service IS
    'Which provider renders which service (API §6): no row, and create_application refuses the application (22023)';
SELECT pg_catalog.pg_extension_config_dump('licensing.provider_service', 'WHERE NOT shipped');
GRANT SELECT ON licensing.provider_service TO PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON licensing.provider_service TO licensing_admin;

-- The providers the seeds name, each with the service its regulation is about.
INSERT INTO licensing.provider (code, name_kk, name_ru, name_en, region, shipped) VALUES
('sko-ent-2012',
 'Оңтүстік Қазақстан облысының кәсіпкерлік және өнеркәсіп басқармасы',
 'Управление предпринимательства и промышленности Южно-Казахстанской области',
 'Department of entrepreneurship and industry of South Kazakhstan region', 'South Kazakhstan', true),
('alm-ent-2014',
 'Алматы облысы кәсіпкерлік басқармасы',
 'Управление предпринимательства Алматинской области',
 'Department of entrepreneurship of Almaty region', 'Almaty region', true),
('sko-ent-2015',
 'Оңтүстік Қазақстан облысының кәсіпкерлік, индустриалды-инновациялық даму және туризм басқармасы',
 'Управление предпринимательства, индустриально-инновационного развития и туризма Южно-Казахстанской области',
 'Department of entrepreneurship, industrial and innovative development and tourism of South Kazakhstan region', 'South Kazakhstan', true),
('krg-nat-2013',
 'Қарағанды облысының табиғи ресурстар және табиғат пайдалануды реттеу басқармасы',
 'Управление природных ресурсов и регулирования природопользования Карагандинской области',
 'Department of natural resources and environmental management of Karaganda region', 'Karaganda region', true),
('zko-ent-2013',
 'Батыс Қазақстан облысының кәсіпкерлік және өнеркәсіп басқармасы',
 'Управление предпринимательства и промышленности Западно-Казахстанской области',
 'Department of entrepreneurship and industry of West Kazakhstan region', 'West Kazakhstan', true)
ON CONFLICT (code) DO NOTHING;

INSERT INTO licensing.provider_service (provider, service, shipped)
SELECT v.provider, v.service, true
  FROM (VALUES ('sko-ent-2012', 'scrap-metal'), ('alm-ent-2014', 'scrap-metal'), ('sko-ent-2015', 'scrap-metal'),
               ('zko-ent-2013', 'scrap-metal'), ('krg-nat-2013', 'eco-expertise')) v(provider, service)
  JOIN licensing.provider p ON p.code OPERATOR(pg_catalog.=) v.provider AND p.shipped
ON CONFLICT DO NOTHING;

-- licensing._check_application_form(service, operation, provider, form, licence_number) → void
-- Called by create_application before it writes anything: the provider
-- renders the service (22023); a conclusion's form names its object (name,
-- address, category II, III or IV: Karaganda region No 29/02 of 22.05.2013, §1)
-- and nothing else there (22023); an
-- annex is added, re-issued alone or duplicated, and a licence duplicated, by
-- the provider of the licence (22023).
CREATE FUNCTION licensing._check_application_form(service text, operation text, provider text, form jsonb,
                                                  licence_number text) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_kind text;
    o jsonb := form->'object';
    k text;
    lp text;
BEGIN
    IF NOT EXISTS (SELECT FROM licensing.provider_service ps
                    WHERE ps.provider OPERATOR(pg_catalog.=) _check_application_form.provider
                      AND ps.service OPERATOR(pg_catalog.=) _check_application_form.service) THEN
        RAISE EXCEPTION 'provider % does not render service %', licensing._short(provider), licensing._short(service)
            USING ERRCODE = '22023',
                  DETAIL = pg_catalog.format('Services of %s: %s.', licensing._short(provider),
                               coalesce((SELECT pg_catalog.string_agg(ps.service, ', ' ORDER BY ps.service)
                                           FROM licensing.provider_service ps
                                          WHERE ps.provider OPERATOR(pg_catalog.=) _check_application_form.provider), 'none')),
                  HINT = 'Apply to a provider that renders the service (licensing.provider_service).';
    END IF;
    SELECT s.result_kind INTO v_kind FROM licensing.service s WHERE s.code OPERATOR(pg_catalog.=) _check_application_form.service;
    IF v_kind OPERATOR(pg_catalog.=) 'conclusion' THEN
        IF jsonb_typeof(o) IS DISTINCT FROM 'object' THEN
            RAISE EXCEPTION 'an application for a conclusion names its object'
                USING ERRCODE = '22023',
                      DETAIL = pg_catalog.format('The form''s "object" is %s.', coalesce(licensing._short(o::text), 'missing')),
                      HINT = 'Pass form {"object": {"name": ..., "address": ..., "category": "II", "III" or "IV"}}.';
        END IF;
        FOR k IN SELECT jsonb_object_keys(o) LOOP
            IF k NOT IN ('name', 'address', 'category') THEN
                RAISE EXCEPTION 'unknown key "%" in the object of the conclusion', licensing._short(k)
                    USING ERRCODE = '22023', DETAIL = 'An object has a name, an address and a category.';
            END IF;
        END LOOP;
        IF jsonb_typeof(o->'name') IS DISTINCT FROM 'string' OR btrim(o->>'name') OPERATOR(pg_catalog.=) '' THEN
            RAISE EXCEPTION 'the object of the conclusion has no name'
                USING ERRCODE = '22023', HINT = 'Give "name" as a non-empty text.';
        END IF;
        IF jsonb_typeof(o->'address') IS DISTINCT FROM 'string' OR btrim(o->>'address') OPERATOR(pg_catalog.=) '' THEN
            RAISE EXCEPTION 'the object of the conclusion has no address'
                USING ERRCODE = '22023', HINT = 'Give "address" as a non-empty text.';
        END IF;
        IF jsonb_typeof(o->'category') IS DISTINCT FROM 'string' OR o->>'category' NOT IN ('II', 'III', 'IV') THEN
            RAISE EXCEPTION 'category % is not one the ecological expertise of this service examines',
                            coalesce(licensing._short((o->'category')::text), 'missing')
                USING ERRCODE = '22023',
                      DETAIL = 'The service gives conclusions for objects of categories II, III and IV (a category I object goes to the ministry).',
                      HINT = 'Give "category" as "II", "III" or "IV".';
        END IF;
    END IF;
    -- what changes or copies the licence in place (an annex added or re-issued
    -- alone, a duplicate) is done by its licensor; a whole re-issue may move
    IF licence_number IS NOT NULL
       AND (operation IN ('annex', 'duplicate')
            OR (operation OPERATOR(pg_catalog.=) 'reissue' AND jsonb_typeof(form->'annex') OPERATOR(pg_catalog.=) 'number')) THEN
        SELECT l.provider INTO lp FROM licensing.licence l
         WHERE l.number OPERATOR(pg_catalog.=) licensing.licence_number(licence_number);
        IF FOUND AND lp OPERATOR(pg_catalog.<>) provider THEN
            RAISE EXCEPTION 'licence % was issued by %: its annexes and duplicates are issued there, not at %',
                            licensing.licence_number(licence_number), lp, licensing._short(provider)
                USING ERRCODE = '22023', HINT = pg_catalog.format('Apply to provider %s.', lp);
        END IF;
    END IF;
END
$$;
COMMENT ON FUNCTION licensing._check_application_form(text, text, text, jsonb, text) IS
    'internal, called by create_application: the provider renders the service, a conclusion''s form names its object (category II–IV), an annex or duplicate goes to its licence''s provider (22023 otherwise)';
REVOKE ALL ON FUNCTION licensing._check_application_form(text, text, text, jsonb, text) FROM PUBLIC;

-- ---- annexes ---------------------------------------------------------------------

-- An annex's number: its licence's number, a hyphen, its position (two digits at least).
CREATE FUNCTION licensing._annex_number(licence text, annex_position integer) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN licence OPERATOR(pg_catalog.||) '-'
       OPERATOR(pg_catalog.||) pg_catalog.lpad(annex_position::text, GREATEST(2, pg_catalog.length(annex_position::text)), '0');
COMMENT ON FUNCTION licensing._annex_number(text, integer) IS 'internal: the number of an annex (licence number, hyphen, position zero-padded)';
REVOKE ALL ON FUNCTION licensing._annex_number(text, integer) FROM PUBLIC;

-- The annex with this number (the licence's number in any spelling, a hyphen,
-- the position), or 22P02 / P0002.
CREATE FUNCTION licensing._annex_find(p_number text) RETURNS licensing.licence_annex
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    m text[] := pg_catalog.regexp_match(pg_catalog.btrim(p_number), '^(.+)-([0-9]{1,9})$');
    an licensing.licence_annex;
BEGIN
    IF p_number IS NULL THEN
        RAISE EXCEPTION 'annex number must not be null'
            USING ERRCODE = '22023', HINT = 'Pass the number printed on the annex.';
    END IF;
    IF m IS NULL THEN
        RAISE EXCEPTION 'invalid annex number "%"', licensing._short(p_number)
            USING ERRCODE = '22P02', DETAIL = 'An annex number is its licence''s number, a hyphen and the annex''s position.',
                  HINT = 'For example KZ26L00000001X-01; see licensing.licence_register.';
    END IF;
    SELECT * INTO an FROM licensing.licence_annex la
     WHERE la.licence OPERATOR(pg_catalog.=) licensing.licence_number(m[1])
       AND la.position OPERATOR(pg_catalog.=) m[2]::integer;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'annex "%" does not exist', licensing._short(p_number)
            USING ERRCODE = 'P0002', HINT = 'Look the licence up in licensing.licence_register: its annexes are listed there.';
    END IF;
    RETURN an;
END
$$;
COMMENT ON FUNCTION licensing._annex_find(text) IS 'internal: the annex with this number, or 22P02 / P0002';
REVOKE ALL ON FUNCTION licensing._annex_find(text) FROM PUBLIC;

-- The numbers of the annexes a granted decision issues, as the register stands
-- (once signed: those it issued): {"annex_numbers": [...]} for an added annex,
-- and "replaces_annex" for an annex re-issued alone; NULL for any other
-- decision.  decision_payload carries it, so the head signs the numbers
-- _annex_issue then gives.
CREATE FUNCTION licensing._annex_plan(a licensing.application) RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    lic text;
    base integer;
    n integer;
BEGIN
    IF a.outcome IS DISTINCT FROM 'granted' OR a.licence_number IS NULL
       OR NOT (a.operation OPERATOR(pg_catalog.=) 'annex'
               OR (a.operation OPERATOR(pg_catalog.=) 'reissue'
                   AND jsonb_typeof(a.form->'annex') OPERATOR(pg_catalog.=) 'number')) THEN
        RETURN NULL;
    END IF;
    lic := licensing.licence_number(a.licence_number);
    IF a.state IN ('signed', 'delivered') THEN
        -- signed: the annexes it issued, as its signed payload names them
        RETURN jsonb_build_object('annex_numbers',
                   coalesce((SELECT jsonb_agg(la.number ORDER BY la.position) FROM licensing.licence_annex la
                              WHERE la.licence OPERATOR(pg_catalog.=) lic
                                AND la.application OPERATOR(pg_catalog.=) a.id), '[]'))
            OPERATOR(pg_catalog.||) CASE WHEN a.operation OPERATOR(pg_catalog.=) 'reissue'
                    THEN jsonb_build_object('replaces_annex', licensing._annex_number(lic, (a.form->>'annex')::integer))
                    ELSE '{}' END;
    END IF;
    SELECT coalesce(max(la.position), 0) INTO base FROM licensing.licence_annex la
     WHERE la.licence OPERATOR(pg_catalog.=) lic;
    IF a.operation OPERATOR(pg_catalog.=) 'annex' THEN
        n := CASE WHEN jsonb_typeof(a.decision->'annexes') OPERATOR(pg_catalog.=) 'array'
                  THEN jsonb_array_length(a.decision->'annexes') ELSE 0 END;
        RETURN jsonb_build_object('annex_numbers',
                   coalesce((SELECT jsonb_agg(licensing._annex_number(lic, base + i) ORDER BY i)
                               FROM pg_catalog.generate_series(1, n) i), '[]'));
    END IF;
    RETURN jsonb_build_object('annex_numbers', jsonb_build_array(licensing._annex_number(lic, base + 1)),
                              'replaces_annex', licensing._annex_number(lic, (a.form->>'annex')::integer));
END
$$;
COMMENT ON FUNCTION licensing._annex_plan(licensing.application) IS
    'internal: the numbers of the annexes a granted annex or annex re-issue decision issues (carried in its signed payload)';
REVOKE ALL ON FUNCTION licensing._annex_plan(licensing.application) FROM PUBLIC;

-- 55000 unless the annex is active (the caller holds the licence's row lock).
CREATE FUNCTION licensing._annex_require_active(licence text, annex_position integer, what text) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    an licensing.licence_annex;
BEGIN
    SELECT * INTO an FROM licensing.licence_annex la
     WHERE la.licence OPERATOR(pg_catalog.=) _annex_require_active.licence
       AND la.position OPERATOR(pg_catalog.=) annex_position;
    IF NOT FOUND OR an.status OPERATOR(pg_catalog.<>) 'active' THEN
        RAISE EXCEPTION 'annex % is %', licensing._short(coalesce(an.number, licensing._annex_number(licence, annex_position))),
                        coalesce(an.status, 'missing')
            USING ERRCODE = '55000', DETAIL = pg_catalog.format('Only an active annex can be %s.', licensing._short(what)),
                  HINT = 'A re-issue of the annex came first; refuse the application with ground licence_status_changed.';
    END IF;
END
$$;
COMMENT ON FUNCTION licensing._annex_require_active(text, integer, text) IS 'internal: 55000 unless the annex is active';
REVOKE ALL ON FUNCTION licensing._annex_require_active(text, integer, text) FROM PUBLIC;

-- Called by _issue_result (write window open, licence row locked) for a signed
-- annex or annex re-issue decision: creates the annexes under the numbers the
-- signed payload names, marks a re-issued annex, records the licence's events.
CREATE FUNCTION licensing._annex_issue(application bigint, licence text, payload jsonb, today date) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    a licensing.application;
    plan jsonb;
    base integer;
    old licensing.licence_annex;
    c jsonb;
    x record;
BEGIN
    SELECT * INTO a FROM licensing.application ap WHERE ap.id OPERATOR(pg_catalog.=) _annex_issue.application;
    -- the numbers the register gives now (as for the decision before its signature)
    a.state := 'decided';
    plan := licensing._annex_plan(a);
    IF plan IS NULL OR plan->'annex_numbers' IS DISTINCT FROM payload->'annex_numbers' THEN
        RAISE EXCEPTION 'the annexes of licence % changed since the decision was signed', licensing._short(licence)
            USING ERRCODE = '40001',
                  DETAIL = pg_catalog.format('The signed decision names annex(es) %s; the register would now give %s.',
                                             coalesce(licensing._short((payload->'annex_numbers')::text), 'none'),
                                             coalesce(licensing._short((plan->'annex_numbers')::text), 'none')),
                  HINT = 'Read licensing.decision_payload again and sign it.';
    END IF;
    SELECT coalesce(max(la.position), 0) INTO base FROM licensing.licence_annex la
     WHERE la.licence OPERATOR(pg_catalog.=) _annex_issue.licence;
    IF a.operation OPERATOR(pg_catalog.=) 'annex' THEN
        FOR x IN SELECT e, ord::integer AS ord FROM jsonb_array_elements(a.decision->'annexes') WITH ORDINALITY AS t(e, ord) ORDER BY ord LOOP
            INSERT INTO licensing.licence_annex (licence, position, subtype, address, branch_bin,
                                                 number, issued_on, status, application, subtype_kk, address_kk)
            VALUES (licence, base + x.ord, x.e->>'subtype', x.e->>'address', (x.e->>'branch_bin')::licensing.bin,
                    licensing._annex_number(licence, base + x.ord), today, 'active', a.id,
                    x.e->>'subtype_kk', x.e->>'address_kk');
            PERFORM licensing._licence_append(licence, 'annex_added', 'active', 'active', NULL, NULL, a.id,
                                              licensing._annex_number(licence, base + x.ord));
        END LOOP;
        RETURN;
    END IF;
    -- one annex re-issued alone: the old one is marked, the new one takes the next position
    PERFORM licensing._annex_require_active(licence, (a.form->>'annex')::integer, 're-issued');
    SELECT * INTO old FROM licensing.licence_annex la
     WHERE la.licence OPERATOR(pg_catalog.=) _annex_issue.licence
       AND la.position OPERATOR(pg_catalog.=) (a.form->>'annex')::integer;
    UPDATE licensing.licence_annex SET status = 'reissued'
     WHERE licence_annex.licence OPERATOR(pg_catalog.=) _annex_issue.licence
       AND licence_annex.position OPERATOR(pg_catalog.=) old.position;
    c := coalesce(a.decision->'annexes'->0,
                  jsonb_build_object('subtype', old.subtype, 'address', old.address, 'branch_bin', old.branch_bin::text,
                                     'subtype_kk', old.subtype_kk, 'address_kk', old.address_kk));
    INSERT INTO licensing.licence_annex (licence, position, subtype, address, branch_bin,
                                         number, issued_on, status, application, supersedes, subtype_kk, address_kk)
    VALUES (licence, base + 1, c->>'subtype', c->>'address', (c->>'branch_bin')::licensing.bin,
            licensing._annex_number(licence, base + 1), today, 'active', a.id, old.position,
            c->>'subtype_kk', c->>'address_kk');
    PERFORM licensing._licence_append(licence, 'annex_reissued', 'active', 'active', a.form->>'ground', NULL, a.id,
                                      licensing._annex_number(licence, base + 1));
END
$$;
COMMENT ON FUNCTION licensing._annex_issue(bigint, text, jsonb, date) IS
    'internal, called by _issue_result: adds the annexes of a signed annex decision, or re-issues one annex alone, under the numbers the signed payload names';
REVOKE ALL ON FUNCTION licensing._annex_issue(bigint, text, jsonb, date) FROM PUBLIC;

-- An annex's status follows its licence's: suspended, resumed, terminated and
-- re-issued with it (an annex re-issued alone stays reissued).
CREATE FUNCTION licensing._annex_follow_licence() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF COALESCE(pg_catalog.pg_partition_root(TG_RELID), TG_RELID::pg_catalog.regclass) IS DISTINCT FROM 'licensing.licence'::pg_catalog.regclass
       OR TG_WHEN OPERATOR(pg_catalog.<>) 'AFTER' OR TG_OP OPERATOR(pg_catalog.<>) 'UPDATE'
       OR TG_LEVEL OPERATOR(pg_catalog.<>) 'ROW' THEN
        RAISE EXCEPTION 'licensing._annex_follow_licence() cannot fire % % for each % on table %',
                        TG_WHEN, TG_OP, TG_LEVEL, TG_RELID::pg_catalog.regclass
            USING ERRCODE = '39P01',
                  DETAIL = 'It is an AFTER UPDATE row trigger of licensing.licence only.',
                  HINT = 'Drop the trigger; the extension creates its own triggers.';
    END IF;
    IF NEW.status IS DISTINCT FROM OLD.status THEN
        UPDATE licensing.licence_annex la SET status = NEW.status
         WHERE la.licence OPERATOR(pg_catalog.=) NEW.number
           AND la.status IN ('active', 'suspended')
           AND la.status OPERATOR(pg_catalog.<>) NEW.status;
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION licensing._annex_follow_licence() IS
    'internal: the annexes in force of a licence take its new status (suspended, active, terminated, reissued)';
CREATE TRIGGER licence_annex_follow AFTER UPDATE OF status ON licensing.licence
    FOR EACH ROW EXECUTE FUNCTION licensing._annex_follow_licence();
COMMENT ON TRIGGER licence_annex_follow ON licensing.licence IS
    'The annexes in force follow the licence''s status (API §6: suspended and terminated with the licence)';

-- ---- the signed decision's content -------------------------------------------------

-- What decision_payload adds for revision 2: a conclusion's object (from the
-- form), finding and conditions (from the grant) and the documents examined;
-- the numbers of the annexes an annex decision issues; for a duplicate, what it
-- copies.  Empty for everything else, so those payloads are as before.
CREATE FUNCTION licensing._decision_content(a licensing.application) RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    c jsonb := '{}';
    l licensing.licence;
BEGIN
    IF (SELECT s.result_kind FROM licensing.service s WHERE s.code OPERATOR(pg_catalog.=) a.service)
       OPERATOR(pg_catalog.=) 'conclusion' THEN
        c := jsonb_build_object('conclusion', jsonb_build_object(
                 'object', a.form->'object',
                 'finding', a.decision->'finding',
                 'conditions', coalesce(a.decision->'conditions', '[]'),
                 'documents', coalesce((SELECT jsonb_agg(jsonb_build_object(
                                          'kind', d.kind, 'filename', d.filename,
                                          'sha256', pg_catalog.encode(d.sha256, 'hex')) ORDER BY d.id)
                                          FROM licensing.application_document d
                                         WHERE d.application OPERATOR(pg_catalog.=) a.id), '[]')));
    END IF;
    c := c OPERATOR(pg_catalog.||) coalesce(licensing._annex_plan(a), '{}');
    IF a.operation OPERATOR(pg_catalog.=) 'duplicate' AND a.licence_number IS NOT NULL THEN
        SELECT * INTO l FROM licensing.licence li
         WHERE li.number OPERATOR(pg_catalog.=) licensing.licence_number(a.licence_number);
        c := c OPERATOR(pg_catalog.||) jsonb_build_object('duplicate_of', jsonb_build_object(
                 'licence', l.number, 'issued_on', pg_catalog.to_char(l.issued_on, 'YYYY-MM-DD'),
                 'annex', (SELECT la.number FROM licensing.licence_annex la
                            WHERE la.licence OPERATOR(pg_catalog.=) l.number
                              AND jsonb_typeof(a.form->'annex') OPERATOR(pg_catalog.=) 'number'
                              AND la.position OPERATOR(pg_catalog.=) (a.form->>'annex')::integer)));
    END IF;
    RETURN c;
END
$$;
COMMENT ON FUNCTION licensing._decision_content(licensing.application) IS
    'internal: the revision-2 members of a decision payload (conclusion content, annex numbers, what a duplicate copies)';
REVOKE ALL ON FUNCTION licensing._decision_content(licensing.application) FROM PUBLIC;

-- The application whose signed decision is the licence's document in force:
-- its latest duplicate of the whole licence, or the one that issued it.
CREATE FUNCTION licensing._licence_document_application(l licensing.licence) RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
RETURN coalesce((SELECT d.application FROM licensing.licence_duplicate d
                  WHERE d.licence OPERATOR(pg_catalog.=) l.number AND d.annex IS NULL
                  ORDER BY d.issued_on DESC, d.application DESC LIMIT 1),
                l.application);
COMMENT ON FUNCTION licensing._licence_document_application(licensing.licence) IS
    'internal: the application whose signed decision is the licence''s document in force (its latest duplicate''s, else the original''s)';
REVOKE ALL ON FUNCTION licensing._licence_document_application(licensing.licence) FROM PUBLIC;

-- ---- printed forms ------------------------------------------------------------------

-- The duplicate mark of a licence (annex NULL) or of one annex: ТЕЛНҰСҚА /
-- ДУБЛИКАТ, the duplicate's date, the original's number and date; '' when none.
CREATE FUNCTION licensing._duplicate_html(l licensing.licence, annex integer, lang text) RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    d record;
    orig_number text := l.number;
    orig_date date := l.issued_on;
BEGIN
    SELECT du.issued_on INTO d FROM licensing.licence_duplicate du
     WHERE du.licence OPERATOR(pg_catalog.=) l.number AND du.annex IS NOT DISTINCT FROM _duplicate_html.annex
     ORDER BY du.issued_on DESC, du.application DESC LIMIT 1;
    IF NOT FOUND THEN
        RETURN '';
    END IF;
    IF annex IS NOT NULL THEN
        SELECT la.number, la.issued_on INTO orig_number, orig_date FROM licensing.licence_annex la
         WHERE la.licence OPERATOR(pg_catalog.=) l.number AND la.position OPERATOR(pg_catalog.=) annex;
    END IF;
    IF lang OPERATOR(pg_catalog.=) 'kk' THEN
        RETURN '<p class="duplicate"><b>ТЕЛНҰСҚА</b>, берілген күні ' || pg_catalog.to_char(d.issued_on, 'DD.MM.YYYY')
            || '. Түпнұсқасы: № ' || licensing._html(orig_number) || ', берілген күні '
            || pg_catalog.to_char(orig_date, 'DD.MM.YYYY') || '.</p>';
    END IF;
    RETURN '<p class="duplicate"><b>ДУБЛИКАТ</b>, дата выдачи ' || pg_catalog.to_char(d.issued_on, 'DD.MM.YYYY')
        || '. Оригинал: № ' || licensing._html(orig_number) || ' от '
        || pg_catalog.to_char(orig_date, 'DD.MM.YYYY') || '.</p>';
END
$$;
COMMENT ON FUNCTION licensing._duplicate_html(licensing.licence, integer, text) IS
    'internal: the duplicate mark of a printed licence or annex (kk ТЕЛНҰСҚА, ru ДУБЛИКАТ), with its date and the original''s number and date';
REVOKE ALL ON FUNCTION licensing._duplicate_html(licensing.licence, integer, text) FROM PUBLIC;

-- A conclusion's content on its printed form: the object, the finding, the
-- conditions, the documents examined; '' for a licence.
CREATE FUNCTION licensing._conclusion_html(l licensing.licence, lang text) RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    a record;
    kk boolean := lang OPERATOR(pg_catalog.=) 'kk';
    conditions text := '';
    documents text := '';
    r record;
BEGIN
    IF l.kind OPERATOR(pg_catalog.<>) 'conclusion' THEN
        RETURN '';
    END IF;
    SELECT ap.id, ap.form->'object' AS object, ap.decision->>'finding' AS finding, ap.decision->'conditions' AS conds
      INTO a FROM licensing.application ap WHERE ap.id OPERATOR(pg_catalog.=) l.application;
    FOR r IN SELECT value #>> '{}' AS t FROM jsonb_array_elements(
                 CASE WHEN jsonb_typeof(a.conds) OPERATOR(pg_catalog.=) 'array' THEN a.conds ELSE '[]' END) LOOP
        conditions := conditions || '<li>' || licensing._html(r.t) || '</li>';
    END LOOP;
    FOR r IN SELECT d.kind, d.filename FROM licensing.application_document d
              WHERE d.application OPERATOR(pg_catalog.=) a.id ORDER BY d.id LOOP
        documents := documents || '<li>' || licensing._html(r.filename) || ' (' || licensing._html(r.kind) || ')</li>';
    END LOOP;
    RETURN '<h2>' || CASE WHEN kk THEN 'Сараптама объектісі' ELSE 'Объект экспертизы' END || '</h2>'
        || '<p>' || CASE WHEN kk THEN 'Атауы' ELSE 'Наименование' END || ': ' || licensing._html(a.object->>'name') || '<br>'
        || CASE WHEN kk THEN 'Мекенжайы' ELSE 'Адрес' END || ': ' || licensing._html(a.object->>'address') || '<br>'
        || CASE WHEN kk THEN 'Санаты' ELSE 'Категория' END || ': ' || licensing._html(a.object->>'category') || '</p>'
        || '<p>' || CASE WHEN kk THEN 'Сараптама нәтижесі' ELSE 'Вывод экспертизы' END || ': <b>'
        || CASE WHEN kk THEN CASE a.finding WHEN 'positive' THEN 'оң қорытынды' ELSE 'теріс қорытынды' END
                ELSE CASE a.finding WHEN 'positive' THEN 'положительное заключение' ELSE 'отрицательное заключение' END END
        || '</b></p>'
        || CASE WHEN conditions OPERATOR(pg_catalog.<>) ''
                THEN '<h2>' || CASE WHEN kk THEN 'Шарттар' ELSE 'Условия' END || '</h2><ol>' || conditions || '</ol>' ELSE '' END
        || CASE WHEN documents OPERATOR(pg_catalog.<>) ''
                THEN '<h2>' || CASE WHEN kk THEN 'Қаралған құжаттар' ELSE 'Рассмотренные документы' END || '</h2><ol>' || documents || '</ol>'
                ELSE '' END;
END
$$;
COMMENT ON FUNCTION licensing._conclusion_html(licensing.licence, text) IS
    'internal: a conclusion''s object, finding, conditions and documents examined on its printed form';
REVOKE ALL ON FUNCTION licensing._conclusion_html(licensing.licence, text) FROM PUBLIC;

-- The status of an annex as its page says it (an annex: қосымша / приложение, neuter).
CREATE FUNCTION licensing._annex_status_text(status text, lang text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN lang OPERATOR(pg_catalog.=) 'kk'
            THEN CASE status WHEN 'active' THEN 'қолданыста' WHEN 'suspended' THEN 'тоқтатыла тұрған'
                             WHEN 'terminated' THEN 'тоқтатылған' ELSE 'қайта ресімделген' END
            ELSE CASE status WHEN 'active' THEN 'действующее' WHEN 'suspended' THEN 'приостановлено'
                             WHEN 'terminated' THEN 'прекращено' ELSE 'переоформлено' END END;
COMMENT ON FUNCTION licensing._annex_status_text(text, text) IS 'internal: an annex''s status in Kazakh or Russian';
REVOKE ALL ON FUNCTION licensing._annex_status_text(text, text) FROM PUBLIC;

-- An annex's sub-type or address as HTML for a page: on the Kazakh page the
-- Kazakh text the clerk gave, else the Russian one marked "(орысша)".
CREATE FUNCTION licensing._annex_text(ru text, kk text, lang text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN lang OPERATOR(pg_catalog.<>) 'kk' THEN licensing._html(ru)
            WHEN kk IS NULL THEN licensing._html(ru) OPERATOR(pg_catalog.||) ' <i>(орысша)</i>'
            ELSE licensing._html(kk) END;
COMMENT ON FUNCTION licensing._annex_text(text, text, text) IS
    'internal: an annex''s sub-type or address on a page; the Kazakh page marks a Russian text given for want of a Kazakh one';
REVOKE ALL ON FUNCTION licensing._annex_text(text, text, text) FROM PUBLIC;

-- The table of a licence's annexes on its printed form; '' when it has none.
CREATE FUNCTION licensing._annex_table_html(licence text, lang text) RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    kk boolean := lang OPERATOR(pg_catalog.=) 'kk';
    rows text := '';
    r record;
BEGIN
    FOR r IN SELECT la.number, la.branch_bin::text AS branch, la.issued_on, la.status,
                    licensing._annex_text(la.subtype, la.subtype_kk, lang) AS subtype,
                    licensing._annex_text(la.address, la.address_kk, lang) AS address,
                    (SELECT o.number FROM licensing.licence_annex o
                      WHERE o.licence OPERATOR(pg_catalog.=) la.licence AND o.position OPERATOR(pg_catalog.=) la.supersedes) AS replaces
               FROM licensing.licence_annex la WHERE la.licence OPERATOR(pg_catalog.=) _annex_table_html.licence
              ORDER BY la.position
    LOOP
        rows := rows || pg_catalog.format('<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s%s</td></tr>',
                    licensing._html(r.number), r.subtype, r.address, coalesce(r.branch, '—'),
                    pg_catalog.to_char(r.issued_on, 'DD.MM.YYYY'), licensing._annex_status_text(r.status, lang),
                    CASE WHEN r.replaces IS NULL THEN ''
                         WHEN kk THEN ' (№ ' || licensing._html(r.replaces) || ' орнына)'
                         ELSE ' (взамен № ' || licensing._html(r.replaces) || ')' END);
    END LOOP;
    IF rows OPERATOR(pg_catalog.=) '' THEN
        RETURN '';
    END IF;
    IF kk THEN
        RETURN '<h2>Лицензияға қосымшалар</h2><table><tr><th>№</th><th>Кіші түрі</th><th>Объектінің мекенжайы</th><th>Филиалдың БСН</th>'
            || '<th>Берілген күні</th><th>Мәртебесі</th></tr>' || rows || '</table>';
    END IF;
    RETURN '<h2>Приложения к лицензии</h2><table><tr><th>№</th><th>Подвид</th><th>Адрес объекта</th><th>БИН филиала</th>'
        || '<th>Дата выдачи</th><th>Статус</th></tr>' || rows || '</table>';
END
$$;
COMMENT ON FUNCTION licensing._annex_table_html(text, text) IS
    'internal: the table of a licence''s annexes (number, sub-type, address, branch, date, status) on its printed form';
REVOKE ALL ON FUNCTION licensing._annex_table_html(text, text) FROM PUBLIC;

-- licensing.annex_html(number text) → text
-- The printable form of one annex in Kazakh and Russian (South Kazakhstan No 441 of
-- 28.12.2015, §3: an annex is
-- issued, re-issued and duplicated alone), marked as a duplicate when one was issued.
CREATE FUNCTION licensing.annex_html(number text) RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    an licensing.licence_annex := licensing._annex_find(number);
    l licensing.licence := licensing._licence_find(an.licence, false);
    holder_name text := licensing._licence_holder_name(l.holder);
    is_bin boolean := licensing.bin_is_valid(l.holder);
    replaces text;
    fingerprint text;
    body text := '';
    lang text;
    kk boolean;
BEGIN
    PERFORM licensing._licence_require_reader(l);
    SELECT o.number INTO replaces FROM licensing.licence_annex o
     WHERE o.licence OPERATOR(pg_catalog.=) an.licence AND o.position OPERATOR(pg_catalog.=) an.supersedes;
    -- the signed document in force: the annex's latest duplicate's, or the decision that issued it
    SELECT pg_catalog.encode(pg_catalog.sha256(ap.decision_payload), 'hex') INTO fingerprint
      FROM licensing.application ap
     WHERE ap.id OPERATOR(pg_catalog.=) coalesce(
               (SELECT d.application FROM licensing.licence_duplicate d
                 WHERE d.licence OPERATOR(pg_catalog.=) an.licence AND d.annex OPERATOR(pg_catalog.=) an.position
                 ORDER BY d.issued_on DESC, d.application DESC LIMIT 1),
               an.application);
    FOREACH lang IN ARRAY ARRAY['kk', 'ru'] LOOP
        kk := lang OPERATOR(pg_catalog.=) 'kk';
        body := body || pg_catalog.format('<div class="doc" lang="%s">', lang)
            || '<h1>' || CASE WHEN kk THEN 'ЛИЦЕНЗИЯҒА ҚОСЫМША' ELSE 'ПРИЛОЖЕНИЕ К ЛИЦЕНЗИИ' END || '</h1>'
            || licensing._duplicate_html(l, an.position, lang)
            || '<p><b>№ ' || licensing._html(an.number) || '</b>, '
            || CASE WHEN kk THEN 'берілген күні ' ELSE 'дата выдачи ' END || pg_catalog.to_char(an.issued_on, 'DD.MM.YYYY') || '</p>'
            || CASE WHEN kk THEN '<p>' || pg_catalog.to_char(l.issued_on, 'DD.MM.YYYY') || ' берілген № ' || licensing._html(l.number) || ' лицензияға</p>'
                    ELSE '<p>К лицензии № ' || licensing._html(l.number) || ' от ' || pg_catalog.to_char(l.issued_on, 'DD.MM.YYYY') || '</p>' END
            || '<p>Лицензиат: ' || licensing._html(coalesce(holder_name, ''))
            || ' (' || CASE WHEN is_bin THEN CASE WHEN kk THEN 'БСН' ELSE 'БИН' END
                            ELSE CASE WHEN kk THEN 'ЖСН' ELSE 'ИИН' END END || ' ' || l.holder || ')</p>'
            || '<p>' || CASE WHEN kk THEN 'Кіші түрі' ELSE 'Подвид' END || ': ' || licensing._annex_text(an.subtype, an.subtype_kk, lang) || '</p>'
            || '<p>' || CASE WHEN kk THEN 'Объектінің мекенжайы' ELSE 'Адрес объекта' END || ': ' || licensing._annex_text(an.address, an.address_kk, lang) || '</p>'
            || CASE WHEN an.branch_bin IS NOT NULL
                    THEN '<p>' || CASE WHEN kk THEN 'Филиалдың БСН' ELSE 'БИН филиала' END || ': ' || an.branch_bin::text || '</p>' ELSE '' END
            || CASE WHEN replaces IS NULL THEN ''
                    WHEN kk THEN '<p>№ ' || licensing._html(replaces) || ' қосымшаның орнына қайта ресімделді.</p>'
                    ELSE '<p>Переоформлено взамен приложения № ' || licensing._html(replaces) || '.</p>' END
            || '<p class="note">' || CASE WHEN kk THEN 'Тізілімдегі ағымдағы мәртебесі: ' ELSE 'Текущий статус в реестре: ' END
            || licensing._annex_status_text(an.status, lang) || '.<br>'
            || CASE WHEN kk THEN 'Электрондық құжатқа қызмет берушінің уәкілетті тұлғасы ЭЦҚ-мен қол қойған.'
                    ELSE 'Электронный документ подписан ЭЦП уполномоченного лица услугодателя.' END
            || CASE WHEN fingerprint IS NULL THEN ''
                    WHEN kk THEN '<br>Қол қойылған құжаттың SHA-256: <code>' || fingerprint || '</code>'
                    ELSE '<br>SHA-256 подписанного документа: <code>' || fingerprint || '</code>' END
            || '</p></div>' || E'\n';
    END LOOP;
    RETURN licensing._html_page(an.number, body);
END
$$;
COMMENT ON FUNCTION licensing.annex_html(text) IS
    'printable form (HTML, Kazakh and Russian) of one annex of a licence by its number, marked as a duplicate when one was issued';
REVOKE ALL ON FUNCTION licensing.annex_html(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION licensing.annex_html(text) TO licensing_admin, licensing_staff, licensing_portal;
