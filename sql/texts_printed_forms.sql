-- The printed forms (issue #15): what a Kazakh and a Russian reader see on a
-- licence, a conclusion and a reasoned refusal, and the texts of every refusal
-- ground and intake reason.  Any change of a text shows in review as a change of
-- expected/texts_printed_forms.out.  Needs the test PKI (LICENSING_PKI, as
-- test/run-all.sh sets it).
CREATE EXTENSION licensing;
\set VERBOSITY terse
SET client_min_messages = warning;
\pset format unaligned
-- the fixtures of the pgTAP tests, quietly
\set ECHO none
\o /dev/null
\i test/fixtures/signing.sql
SELECT test_pki.load_trust();
\i test/fixtures/workflow.sql
\o
\set ECHO all
-- one HTML element per line; the signed payload's SHA-256 masked (it changes with
-- whatever a decision carries, which is not a text)
CREATE FUNCTION wf_test.lines(html text) RETURNS SETOF text LANGUAGE sql AS $$
    SELECT regexp_replace(l, '<code>[0-9a-f]{64}</code>', '<code>(sha-256)</code>')
      FROM regexp_split_to_table(html, '(?=<(p|h1|h2|div|tr|table)[ >])') l WHERE l !~ '^<!DOCTYPE'
$$;

-- ---- a licence with two annexes (south-kazakhstan-2015): the first in Kazakh and Russian, the
-- second in Russian only (the Kazakh page prints it marked "(орысша)")
\o /dev/null
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko') AS lic \gset
SELECT wf_test.advance(:lic, 'in_review');
SELECT wf_test.as_role('wf_exec', format('SELECT licensing.grant(%s, %L)', :lic,
    '{"annexes": [{"subtype": "Сбор (заготовка) лома черных металлов", "address": "г. Шымкент, ул. Толе би, 10",
                   "subtype_kk": "Қара металл сынықтарын жинау (дайындау)", "address_kk": "Шымкент қ., Төле би к-сі, 10"},
                  {"subtype": "Хранение лома цветных металлов", "address": "г. Шымкент, промзона «Оңтүстік», 3"}]}'));
SELECT wf_test.advance(:lic, 'delivered');
\o
SELECT wf_test.lines(licensing.licence_html((SELECT result_number FROM licensing.application WHERE id = :lic)));

-- ---- a conclusion (karaganda-2013), active, then suspended (its status is neuter in Russian)
\o /dev/null
SELECT wf_test.draft('eco-expertise', '901120405675', 'krg') AS con \gset
SELECT wf_test.advance(:con, 'delivered');
\o
SELECT wf_test.lines(licensing.licence_html((SELECT result_number FROM licensing.application WHERE id = :con)));
\o /dev/null
SELECT wf_test.as_role('wf_head', format('SELECT licensing.suspend_licence(%L, %L)',
    (SELECT result_number FROM licensing.application WHERE id = :con), 'licensee_request'));
\o
SELECT l FROM wf_test.lines(licensing.licence_html((SELECT result_number FROM licensing.application WHERE id = :con))) l
 WHERE l ~ 'class="note"';

-- ---- a reasoned refusal of a conclusion (karaganda-2013): it cites the Karaganda resolution
\o /dev/null
SELECT wf_test.draft('eco-expertise', '901120405675', 'krg') AS ref \gset
SELECT wf_test.advance(:ref, 'in_review');
SELECT wf_test.as_role('wf_exec', format('SELECT licensing.refuse(%s, %L, %L, %L)', :ref, 'qualification_requirements',
    'Объектінің жобалау құжаттамасы толық ұсынылмаған: қоршаған ортаға әсерді бағалау бөлімі жоқ',
    'Проектная документация объекта представлена не полностью: нет раздела оценки воздействия на окружающую среду'));
SELECT wf_test.advance(:ref, 'delivered');
\o
SELECT wf_test.lines(licensing.refusal_html(:ref));

-- ---- the grounds and the intake reasons, as the applicant reads them (one field a line)
\x on
SELECT code, text_kk, text_ru, text_en FROM licensing.refusal_ground ORDER BY intake DESC, code;
SELECT code, article_kk, article_ru, article FROM licensing.refusal_ground ORDER BY intake DESC, code;
SELECT ground, profile, article_kk, article_ru, article_en FROM licensing.ground_citation ORDER BY ground, profile;
SELECT ground, code, text_kk, text_ru, text_en FROM licensing.intake_reason ORDER BY ground, code;
SELECT code, activity_kk, activity_ru, activity_en FROM licensing.service ORDER BY code;

\x off
DROP SCHEMA wf_test, test_pki CASCADE;
DROP EXTENSION licensing CASCADE;
