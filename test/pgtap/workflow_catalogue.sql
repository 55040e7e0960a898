-- The catalogue (issue #14, API §4.1): documents, form fields and qualification
-- requirements per service, operation and applicant kind; shipped from the seeds,
-- changed by a DBA; confirm_complete refuses (55000) while anything required is
-- missing and names it; each rule once passed and once refused (nothing changed).
BEGIN;
SELECT plan(20);
\ir ../fixtures/signing.sql
SELECT test_pki.load_trust();
\ir ../fixtures/workflow.sql

-- a portal draft with only its charter (wf_test.draft would complete it)
CREATE FUNCTION pg_temp.bare(service text, applicant text, provider text, form jsonb DEFAULT '{}') RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE id bigint;
BEGIN
    id := wf_test.portal(applicant, format('SELECT licensing.create_application(%L, ''issue'', %L, %L, %L)',
                                           service, applicant, provider, form))::bigint;
    PERFORM wf_test.portal(applicant, format('SELECT licensing.attach_document(%s, ''charter'', ''charter''::bytea, ''charter.pdf'')', id));
    RETURN id;
END $$;
CREATE FUNCTION pg_temp.missing(app bigint) RETURNS text LANGUAGE sql AS $$
    SELECT COALESCE(string_agg(m, ',' ORDER BY m), '') FROM licensing.missing_documents(app) m $$;

-- ---- shipped, citing the regulations
SELECT is((SELECT string_agg(service || '/' || operation || '/' || kind || '/' || paper_allowed, ' ' ORDER BY service)
             FROM licensing.required_document WHERE shipped),
    'eco-expertise/issue/expertise_materials/true scrap-metal/issue/qualification_documents/true',
    'documents shipped for both services (paper originals allowed at the office)');
SELECT ok((SELECT bool_and(clause ~ 'resolution No') FROM licensing.required_document WHERE shipped),
    'each shipped document cites its regulation by resolution and number');
SELECT is((SELECT count(DISTINCT service) FROM licensing.qualification_requirement WHERE shipped), 2::bigint,
    'qualification requirements shipped for both services');
SELECT is((SELECT array_agg(c.relname::text ORDER BY c.relname) FROM pg_extension e, unnest(e.extconfig) r(oid) JOIN pg_class c ON c.oid = r.oid
            WHERE e.extname = 'licensing' AND c.relname IN ('required_document', 'required_form_field', 'qualification_requirement')),
    ARRAY['qualification_requirement', 'required_document', 'required_form_field'], 'the catalogue is dumped by pg_dump (rows a DBA adds)');

-- ---- required documents: missing, then attached
SELECT pg_temp.bare('scrap-metal', '160140001230', 'sko') AS a \gset
SELECT is(pg_temp.missing(:a), 'qualification_documents', 'missing_documents names the kind a draft lacks');
SELECT throws_ok(format($$SELECT wf_test.portal('901120405675', 'SELECT licensing.missing_documents(%s)')$$, :a),
    'P0002', NULL, 'missing_documents of another applicant''s draft: P0002');
SELECT wf_test.advance(:a, 'assigned') IS NOT NULL AS assigned;
SELECT wf_test.snapshot(:a) AS s0 \gset
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_exec', 'SELECT licensing.confirm_complete(%s)')$$, :a),
    '55000', format('application %s is not complete: it lacks document qualification_documents', :a),
    'confirm_complete refuses while a required document is missing, naming it');
SELECT is(wf_test.snapshot(:a), :'s0', 'and nothing changed');
SELECT lives_ok(format($$SELECT wf_test.as_role('wf_exec', 'SELECT licensing.refuse(%s, ''incomplete_documents'', ''құжат жоқ'', ''нет документа'')')$$, :a),
    'the executor refuses it for incomplete documents instead (South Kazakhstan No 441 of 28.12.2015, §4)');

SELECT wf_test.draft('scrap-metal', '160140001230', 'sko') AS b \gset
SELECT is(pg_temp.missing(:b), '', 'a draft with the required documents lacks nothing');
SELECT wf_test.advance(:b, 'assigned') IS NOT NULL AS assigned;
SELECT lives_ok(format($$SELECT wf_test.as_role('wf_exec', 'SELECT licensing.confirm_complete(%s)')$$, :b),
    'confirm_complete passes with every required document');

-- ---- a DBA's row: a document not allowed on paper; a row for one applicant kind
SELECT throws_ok($$SELECT wf_test.as_role('wf_clerk', 'INSERT INTO licensing.required_document VALUES (''scrap-metal'', ''issue'', ''*'', ''x'', ''x'', ''x'', ''x'', false, ''x'')')$$,
    '42501', NULL, 'staff cannot change the catalogue');
SELECT lives_ok($$SELECT wf_test.as_role('wf_admin', $q$INSERT INTO licensing.required_document (service, operation, applicant_kind, kind, name_kk, name_ru, name_en, paper_allowed, clause)
    VALUES ('scrap-metal', 'issue', 'resident_legal_entity/head_office', 'charter_e', 'Жарғы', 'Устав', 'Charter (electronic)', false, 'a DBA''s row'),
           ('eco-expertise', 'issue', 'individual', 'identity', 'Жеке басын куәландыратын құжат', 'Удостоверение личности', 'Identity document', true, 'a DBA''s row') RETURNING kind$q$)$$,
    'an admin adds rows to the catalogue');
SELECT licensing.set_clock('2025-03-03 11:00+05');
SELECT wf_test.as_role('wf_clerk', $$SELECT licensing.create_application('scrap-metal', 'issue', '160140001230', 'sko', channel => 'office')$$)::bigint AS c \gset
SELECT wf_test.as_role('wf_clerk', format($$SELECT licensing.attach_document(%s, 'qualification_documents', 'scan'::bytea, 'q.pdf', true)$$, :c));
SELECT wf_test.as_role('wf_clerk', format($$SELECT licensing.attach_document(%s, 'charter_e', 'scan'::bytea, 'charter.pdf', true)$$, :c));
SELECT is(pg_temp.missing(:c), 'charter_e', 'a scan of a paper original does not count where the catalogue allows no paper');
SELECT wf_test.as_role('wf_clerk', format($$SELECT licensing.attach_document(%s, 'charter_e', 'e-doc'::bytea, 'charter.xml')$$, :c));
SELECT is(pg_temp.missing(:c), '', 'the electronic document does');
SELECT is(pg_temp.missing(wf_test.draft('eco-expertise', '160140001230', 'krg')), '', 'a row for individuals binds no company');
SELECT is(pg_temp.missing(pg_temp.bare('eco-expertise', '901120405675', 'krg',
    '{"object": {"name": "АЗС №7", "address": "Қарағанды қ., Бұқар жырау д-лы, 12", "category": "III"}}')), 'expertise_materials,identity', 'and binds an individual');

-- ---- required form fields
SELECT lives_ok($$SELECT wf_test.as_role('wf_admin', $q$INSERT INTO licensing.required_form_field (service, operation, field, name_kk, name_ru, name_en, clause)
    VALUES ('eco-expertise', 'issue', 'object_category', 'Объект санаты', 'Категория объекта', 'Object category (II, III or IV)', 'Karaganda region resolution No 29/02 of 22.05.2013, title') RETURNING field$q$)$$,
    'an admin requires a form field');
SELECT wf_test.draft('eco-expertise', '160140001230', 'krg') AS e \gset
SELECT wf_test.advance(:e, 'assigned') IS NOT NULL AS assigned;
SELECT wf_test.snapshot(:e) AS s1 \gset
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_exec', 'SELECT licensing.confirm_complete(%s)')$$, :e),
    '55000', format('application %s is not complete: it lacks form field object_category', :e),
    'confirm_complete refuses while a required form field is missing, naming it');
SELECT is(wf_test.snapshot(:e), :'s1', 'and nothing changed');

SELECT * FROM finish();
ROLLBACK;
