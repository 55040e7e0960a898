-- Annexes keep what the clerk enters per language (issue #15): the sub-type and
-- the address in Russian (subtype, address) and, when given, in Kazakh
-- (subtype_kk, address_kk).  The Kazakh page of the printed licence shows the
-- Kazakh text, or the Russian one marked "(орысша)"; the Russian page the
-- Russian text.  A re-issue without new annexes carries both over.
BEGIN;
SELECT plan(12);
\ir ../fixtures/signing.sql
SELECT test_pki.load_trust();
\ir ../fixtures/workflow.sql

-- the executor grants application app with details d
CREATE FUNCTION wf_test.grant_as_exec(app bigint, d text) RETURNS text LANGUAGE sql AS $$
    SELECT wf_test.as_role('wf_exec', format('SELECT licensing.grant(%s, %L)', app, d))
$$;

SELECT wf_test.draft('scrap-metal', '160140001230', 'sko') AS a \gset
SELECT wf_test.advance(:a, 'in_review') IS NOT NULL AS in_review;

SELECT throws_ok(format('SELECT wf_test.grant_as_exec(%s, %L)', :a,
    '{"annexes": [{"subtype": "Сбор лома", "address": "г. Шымкент", "subtype_kk": 5}]}'),
    '22023', NULL, 'a Kazakh sub-type that is no text is 22023');
SELECT throws_ok(format('SELECT wf_test.grant_as_exec(%s, %L)', :a,
    '{"annexes": [{"subtype": "Сбор лома", "address": "г. Шымкент", "address_kk": "  "}]}'),
    '22023', NULL, 'an empty Kazakh address is 22023');
SELECT throws_ok(format('SELECT wf_test.grant_as_exec(%s, %L)', :a,
    '{"annexes": [{"subtype": "Сбор лома", "address": "г. Шымкент", "subtype_en": "Collecting"}]}'),
    '22023', NULL, 'any other key is still refused');
SELECT lives_ok(format('SELECT wf_test.grant_as_exec(%s, %L)', :a,
    '{"annexes": [{"subtype": "Сбор (заготовка) лома черных металлов", "address": "г. Шымкент, ул. Толе би, 10",
                   "subtype_kk": "Қара металл сынықтарын жинау (дайындау)", "address_kk": "Шымкент қ., Төле би к-сі, 10"},
                  {"subtype": "Хранение лома <цветных> металлов", "address": "г. Шымкент, промзона 3", "address_kk": null}]}'),
    'the executor grants with one annex in both languages and one in Russian only');
SELECT is(wf_test.advance(:a, 'delivered'), 'delivered', 'signed and delivered');
SELECT result_number AS num FROM licensing.application WHERE id = :a \gset

SELECT is((SELECT string_agg(position || ':' || coalesce(subtype_kk, '-') || '|' || coalesce(address_kk, '-'), ' ' ORDER BY position)
             FROM licensing.licence_annex WHERE licence = :'num'),
    '1:Қара металл сынықтарын жинау (дайындау)|Шымкент қ., Төле би к-сі, 10 2:-|-', 'the register keeps the Kazakh texts given, NULL where none');
SELECT ok(convert_from((licensing.licence_signed(:'num')).payload, 'UTF8') LIKE '%"subtype_kk":"Қара металл сынықтарын жинау (дайындау)"%',
    'the head signed the Kazakh texts with the decision');
SELECT ok(split_part(licensing.licence_html(:'num'), 'lang="ru"', 1)
            LIKE '%<td>Қара металл сынықтарын жинау (дайындау)</td><td>Шымкент қ., Төле би к-сі, 10</td>%',
    'the Kazakh page prints the Kazakh sub-type and address');
SELECT ok(split_part(licensing.licence_html(:'num'), 'lang="ru"', 1)
            LIKE '%<td>Хранение лома &lt;цветных&gt; металлов <i>(орысша)</i></td><td>г. Шымкент, промзона 3 <i>(орысша)</i></td>%',
    'where no Kazakh is given, the Kazakh page prints the Russian, escaped and marked (орысша)');
SELECT ok(split_part(licensing.licence_html(:'num'), 'lang="ru"', 2)
            LIKE '%<td>Сбор (заготовка) лома черных металлов</td><td>г. Шымкент, ул. Толе би, 10</td>%'
          AND split_part(licensing.licence_html(:'num'), 'lang="ru"', 2) NOT LIKE '%орысша%'
          AND split_part(licensing.licence_html(:'num'), 'lang="ru"', 2) NOT LIKE '%Қара металл%',
    'the Russian page prints the Russian texts only');

-- a re-issue without new annexes carries the Kazakh texts over
SELECT wf_test.portal('160140001230', format($q$SELECT licensing.create_application('scrap-metal', 'reissue', '160140001230', 'sko', %L, licence_number => %L)$q$,
    '{"ground": "name_change"}', :'num')) AS r \gset
SELECT wf_test.portal('160140001230', format('SELECT licensing.attach_document(%s, %L, %L::bytea, %L)', :r, 'charter', 'new charter', 'charter.pdf')) IS NOT NULL AS doc;
SELECT is(wf_test.advance(:r, 'delivered'), 'delivered', 'the re-issue is delivered');
SELECT is((SELECT string_agg(position || ':' || coalesce(subtype_kk, '-') || '|' || coalesce(address_kk, '-'), ' ' ORDER BY position)
             FROM licensing.licence_annex la JOIN licensing.application ap ON la.licence = ap.result_number WHERE ap.id = :r),
    '1:Қара металл сынықтарын жинау (дайындау)|Шымкент қ., Төле би к-сі, 10 2:-|-', 'the re-issued licence carries the annexes in both languages');

SELECT * FROM finish();
ROLLBACK;
