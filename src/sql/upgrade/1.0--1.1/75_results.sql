-- 75_results.sql: what the applicant receives (issue #15, API §6 revision 2).
-- The fresh install's src/sql/75_results.sql (below, after the changes to the
-- tables), and the functions of src/sql/50_workflow.sql, 60_licence.sql and
-- 70_reports.sql that revision 2 changes: create_application (from
-- 40_bounds.sql), _decision_payload (from 30_payload_binding.sql),
-- _check_licence_target (from 63_echoes.sql), _licence_check_details,
-- _licence_number_for, _issue_result, licence_document, licence_signed,
-- licence_html and the view licence_register.  Keep these copies equal to those files.

-- ---- annexes: their own number, date, status, issuing application, predecessor
-- (existing annexes: numbered by their position, dated and issued by their
-- licence's issue, with their licence's status; no column added with a
-- default, which would leave a "missing value" a fresh install lacks)
SELECT licensing._licence_guard(true);
ALTER TABLE licensing.licence_annex
    ADD COLUMN number text,
    ADD COLUMN issued_on date,
    ADD COLUMN status text CHECK (status IN ('active', 'suspended', 'terminated', 'reissued')),
    ADD COLUMN application bigint REFERENCES licensing.application (id),
    ADD COLUMN supersedes integer;
UPDATE licensing.licence_annex la
   SET number = la.licence OPERATOR(pg_catalog.||) '-'
                OPERATOR(pg_catalog.||) pg_catalog.lpad(la.position::text, GREATEST(2, pg_catalog.length(la.position::text)), '0'),
       issued_on = l.issued_on, status = l.status, application = l.application
  FROM licensing.licence l
 WHERE l.number OPERATOR(pg_catalog.=) la.licence;
SELECT licensing._licence_guard(false);
ALTER TABLE licensing.licence_annex
    ALTER COLUMN number SET NOT NULL,
    ALTER COLUMN issued_on SET NOT NULL,
    ALTER COLUMN status SET DEFAULT 'active',
    ALTER COLUMN status SET NOT NULL,
    ALTER COLUMN application SET NOT NULL,
    ADD CONSTRAINT licence_annex_number_key UNIQUE (number),
    ADD FOREIGN KEY (licence, supersedes) REFERENCES licensing.licence_annex (licence, position) DEFERRABLE INITIALLY DEFERRED;
COMMENT ON COLUMN licensing.licence_annex.number IS 'the annex''s own number: the licence''s number, a hyphen and the position (two digits at least), never reused';
COMMENT ON COLUMN licensing.licence_annex.status IS 'follows the licence (suspended, resumed, terminated, re-issued with it); reissued when re-issued alone';
COMMENT ON COLUMN licensing.licence_annex.supersedes IS 'for an annex re-issued alone: the position of the annex it replaced (now status reissued)';

-- ---- the licence's history records annexes added and re-issued alone
ALTER TABLE licensing.licence_event DROP CONSTRAINT licence_event_event_check,
    ADD CONSTRAINT licence_event_event_check CHECK (event IN ('issued', 'reissued', 'duplicate', 'suspended', 'resumed', 'terminated',
                                                             'annex_added', 'annex_reissued'));
COMMENT ON COLUMN licensing.licence_event.related IS 'the licence on the other side of a re-issue (the new one for reissued, the old one for issued); the new annex''s number for annex_added and annex_reissued';

-- ---- scrap metal: an annex is added to an existing licence (operation annex)
UPDATE licensing.service SET operations = '{issue,reissue,duplicate,annex}'
 WHERE code OPERATOR(pg_catalog.=) 'scrap-metal' AND shipped;

-- ==== src/sql/75_results.sql (the fresh install's text)
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
