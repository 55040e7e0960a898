-- Demo, part 7: what the applicant receives (issue #15).  Which provider
-- renders which service; a conclusion of the ecological expertise with its
-- object, finding, conditions and the documents examined; an annex added to a
-- licence and another re-issued alone, each with its own number; a duplicate
-- printed as a duplicate.
\set QUIET on
SET client_min_messages = warning;
SELECT set_config('test_pki.dir', :'pki', false) \gset
\ir ../pgtap/licence_fixture.psql
-- Tuesday 10 March 2026, 10:00 in Kazakhstan
SELECT licensing.set_clock('2026-03-10 10:00+05') \gset

\echo
\echo '== 6. What the applicant receives'
\echo 'Which provider renders which service (licensing.provider_service; the seeds'' providers are shipped):'
SELECT ps.provider, p.name_ru AS "provider (ru)", ps.service, ps.shipped
  FROM licensing.provider_service ps JOIN licensing.provider p ON p.code = ps.provider
 ORDER BY ps.service, ps.provider;

\echo
\echo 'An entrepreneurship department does not conclude, and a conclusion names its object of category II, III or IV:'
CREATE TEMP TABLE demo_refused (attempt text, sqlstate text, error text);
DO $$
DECLARE
    a record;
    msg text;
    det text;
    st text;
BEGIN
    FOR a IN SELECT * FROM (VALUES
        ('ecological expertise at the entrepreneurship department lic-south', 'lic-south',
         '{"object": {"name": "АЗС", "address": "Шымкент қ.", "category": "III"}}'),
        ('an object of category I', 'lic-nature',
         '{"object": {"name": "ГРЭС", "address": "Екібастұз қ.", "category": "I"}}'),
        ('no object', 'lic-nature', '{}')) v(attempt, provider, form)
    LOOP
        BEGIN
            SET LOCAL ROLE lic_clerk;
            PERFORM licensing.create_application('eco-expertise', 'issue', '901120405675', a.provider, a.form::jsonb, 'office');
            RESET ROLE;
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL, st = RETURNED_SQLSTATE;
            INSERT INTO demo_refused VALUES (a.attempt, st, msg || coalesce(E'\n' || nullif(det, ''), ''));
        END;
    END LOOP;
END
$$;
RESET ROLE;
SELECT attempt, sqlstate, error FROM demo_refused;

-- a conclusion with its content, at the natural resources department
SELECT lic_test.walk('eco-expertise', 'issue', '901120405675',
    '{"finding": "positive", "conditions": ["Выбросы пыли — не более 50 т/год", "Ежеквартальный мониторинг атмосферного воздуха на границе СЗЗ"]}', NULL,
    '{"object": {"name": "Цементный завод ТОО «Темір»", "address": "Қарағанды облысы, Теміртау қ., Өнеркәсіп к-сі, 7", "category": "II"}}') AS c \gset
SELECT lic_test.licence_of(:c) AS cn \gset

\echo
\echo 'Conclusions in the public register, with their content (licence_register.conclusion):'
SELECT number, provider, holder_name AS "holder", conclusion #>> '{object,name}' AS "object",
       conclusion #>> '{object,category}' AS "category", conclusion ->> 'finding' AS "finding",
       jsonb_array_length(conclusion -> 'conditions') AS "conditions"
  FROM licensing.licence_register WHERE kind = 'conclusion' ORDER BY number;

\echo
\echo 'What the head signed (licence_document -> conclusion):'
SELECT jsonb_pretty(licensing.licence_document(:'cn') -> 'conclusion') AS "signed conclusion";

\echo
\echo 'Its printed form:'
\pset format unaligned
\pset tuples_only on
SELECT licensing.licence_html(:'cn');
\pset format aligned
\pset tuples_only off

-- the re-issued licence of part 5 (active): an annex added, then annex 1 re-issued alone, then a duplicate
SELECT number AS l2 FROM licensing.licence WHERE holder = '160140001230' AND supersedes IS NOT NULL AND status = 'active'
 ORDER BY number LIMIT 1 \gset
SELECT lic_test.walk('scrap-metal', 'annex', '160140001230',
    '{"annexes": [{"subtype": "Переработка лома чёрных металлов", "address": "г. Кентау, промзона 1"}]}', :'l2') AS x \gset
SELECT lic_test.walk('scrap-metal', 'reissue', '160140001230',
    '{"annexes": [{"subtype": "Заготовка и хранение лома чёрных металлов", "address": "г. Шымкент, ул. Жибек жолы, 40", "branch_bin": "160141001236"}]}',
    :'l2', '{"ground": "object_address", "annex": 1}') AS r \gset
SELECT lic_test.walk('scrap-metal', 'duplicate', '160140001230', '{}', :'l2') AS d \gset

\echo
\echo 'Annexes of the licence: an annex added (03), annex 01 re-issued alone as 04; the licence keeps its number:'
SELECT a->>'number' AS "annex number", a->>'subtype' AS "sub-type of activity", a->>'address' AS "object address",
       a->>'issued_on' AS "issued", a->>'status' AS "status", a->>'supersedes' AS "replaces position"
  FROM licensing.licence_register, jsonb_array_elements(annexes) a WHERE number = :'l2';

\echo
\echo 'The licence''s history records them:'
SELECT seq AS "#", event, coalesce(from_status || ' → ', '') || to_status AS "status", ground, related AS "annex"
  FROM licensing.licence_event WHERE licence = :'l2' ORDER BY seq;

\echo
\echo 'The signed decision of the annex re-issue names the number it gives and the annex it replaces:'
SELECT d ->> 'number' AS "licence", d -> 'annex_numbers' AS "annex numbers", d ->> 'replaces_annex' AS "replaces"
  FROM (SELECT convert_from(decision_payload, 'UTF8')::jsonb AS d FROM licensing.application WHERE id = :r) x;

\echo
\echo 'The printed re-issued annex (licensing.annex_html):'
\pset format unaligned
\pset tuples_only on
SELECT licensing.annex_html(:'l2' || '-04');

\echo
\echo 'The printed licence after its duplicate was issued: ТЕЛНҰСҚА / ДУБЛИКАТ, the date and the original''s number:'
SELECT licensing.licence_html(:'l2');
\pset format aligned
\pset tuples_only off
SELECT licensing.licence_document(:'l2') -> 'duplicate_of' AS "licence_document of a duplicated licence: the duplicate";

SELECT licensing.set_clock(NULL) \gset
