-- licence_forms: the printed forms an applicant receives, in full (issue #15):
-- a conclusion with its object, finding, conditions and the documents
-- examined; a licence whose annexes were added and re-issued alone, then
-- duplicated; one annex printed alone, re-issued and as a duplicate; a
-- refusal.  Any change of a text shows here in review.
CREATE EXTENSION licensing;
\set ECHO none
\set QUIET on
BEGIN;
SET LOCAL client_min_messages = warning;
\i test/pgtap/licence_fixture.psql
SET LOCAL client_min_messages = notice;
SELECT licensing.set_clock('2026-03-03 10:00+05') \gset
\set QUIET off
\set ECHO all
\pset format unaligned
\pset tuples_only on
-- one element of the page a line, to read in a diff
CREATE FUNCTION pg_temp.lines(html text) RETURNS text LANGUAGE sql
    RETURN regexp_replace(html, '(<(p|h1|h2|tr|li|div|table|ol|style|body)[ >])', E'\n\\1', 'g');

-- a conclusion of the ecological expertise
SELECT lic_test.walk('eco-expertise', 'issue', '901120405675',
    '{"finding": "positive", "conditions": ["Выбросы пыли — не более 50 т/год", "Мониторинг атмосферного воздуха ежеквартально"]}', NULL,
    '{"object": {"name": "Цементный завод ТОО «Темір»", "address": "Қарағанды облысы, Теміртау қ., Өнеркәсіп к-сі, 7", "category": "II"}}') AS c \gset
SELECT pg_temp.lines(licensing.licence_html(lic_test.licence_of(:c)));
SELECT jsonb_pretty(licensing.licence_document(lic_test.licence_of(:c)) -> 'conclusion');
SELECT conclusion FROM licensing.licence_register WHERE number = lic_test.licence_of(:c);

-- a negative conclusion
SELECT lic_test.walk('eco-expertise', 'issue', '901120405675', '{"finding": "negative"}', NULL,
    '{"object": {"name": "Карьер", "address": "Қарағанды облысы, Шахтинск қ.", "category": "IV"}}') AS n \gset
SELECT pg_temp.lines(licensing._conclusion_html(l, lang)) FROM licensing.licence l, unnest(ARRAY['kk', 'ru']) lang
 WHERE l.number = lic_test.licence_of(:n);

-- a licence with two annexes; one added, one re-issued alone
SELECT lic_test.walk('scrap-metal', 'issue', '160140001230',
    '{"annexes": [{"subtype": "Заготовка лома чёрных металлов", "address": "г. Шымкент, ул. Темирлановское шоссе, 12", "branch_bin": "160141001236"},
                  {"subtype": "Хранение лома", "address": "г. Туркестан, промзона 3"}]}') AS a \gset
SELECT lic_test.licence_of(:a) AS l \gset
SELECT lic_test.walk('scrap-metal', 'annex', '160140001230',
    '{"annexes": [{"subtype": "Переработка лома цветных металлов", "address": "г. Кентау, промзона 1"}]}', :'l') AS x \gset
SELECT lic_test.walk('scrap-metal', 'reissue', '160140001230',
    '{"annexes": [{"subtype": "Хранение лома", "address": "г. Туркестан, ул. Новая, 5"}]}', :'l',
    '{"ground": "object_address", "annex": 2}') AS r \gset
SELECT jsonb_pretty(convert_from(decision_payload, 'UTF8')::jsonb - 'decided_at' - 'id' - 'revision' - 'application')
  FROM licensing.application WHERE id = :r;
SELECT pg_temp.lines(licensing.licence_html(:'l'));
SELECT pg_temp.lines(licensing.annex_html(:'l' || '-04'));
SELECT jsonb_pretty(annexes) FROM licensing.licence_register WHERE number = :'l';

-- duplicates: of annex 01, then of the whole licence
SELECT lic_test.walk('scrap-metal', 'duplicate', '160140001230', '{}', :'l', '{"annex": 1}') AS d1 \gset
SELECT pg_temp.lines(licensing.annex_html(:'l' || '-01'));
SELECT lic_test.walk('scrap-metal', 'duplicate', '160140001230', '{}', :'l') AS d2 \gset
SELECT pg_temp.lines(licensing.licence_html(:'l'));
SELECT licensing.licence_document(:'l') -> 'duplicate_of';

-- suspended: the annexes with it
SET LOCAL ROLE lic_head;
SELECT licensing.suspend_licence(:'l', 'licensee_request');
RESET ROLE;
SELECT pg_temp.lines(licensing._annex_table_html(:'l', lang)) FROM unnest(ARRAY['kk', 'ru']) lang;

-- a refusal of a conclusion
SELECT lic_test.walk('eco-expertise', 'issue', '901120405675', '{}', NULL,
    '{"object": {"name": "Полигон ТБО", "address": "Қарағанды қ.", "category": "III"}}', 'in_review') AS f \gset
SET LOCAL ROLE lic_exec;
SELECT licensing.refuse(:f, 'qualification_requirements', 'Жобада шаң шығарындылары есептелмеген', 'В проекте не рассчитаны выбросы пыли');
RESET ROLE;
SELECT lic_test.sign(:f);
SELECT pg_temp.lines(licensing.refusal_html(:f));

ROLLBACK;
\pset format aligned
\pset tuples_only off
DROP EXTENSION licensing CASCADE;
