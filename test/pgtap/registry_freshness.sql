-- Registry mirrors with freshness (issue #18, 69_registry_freshness.sql): each
-- mirror row knows when it was loaded; an office submit whose registry checks
-- used a mirror older than licensing.registry_max_age allows says so in its
-- verdict (kk/ru/en), accepted or refused; a fresh mirror adds nothing; the
-- portal (no registry check) never; who may set the age.
BEGIN;
SELECT plan(19);
\ir ../fixtures/signing.sql
SELECT test_pki.load_trust();
\ir ../fixtures/workflow.sql

SELECT licensing.set_clock('2025-03-03 10:00+05');
UPDATE licensing.legal_entity SET loaded_at = '2025-03-02 20:00+05';
UPDATE licensing.person SET loaded_at = '2025-03-02 20:00+05';
UPDATE licensing.power_of_attorney SET loaded_at = '2025-03-02 20:00+05';

SELECT ok(loaded_at IS NOT NULL, 'a mirror row records when it was loaded')
  FROM (SELECT loaded_at FROM licensing.legal_entity WHERE bin::text = '160140001230') x;

-- fresh mirrors: the verdict is as before
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko', 'office') AS a1 \gset
SELECT wf_test.pay(:a1);
CREATE TEMP TABLE v1 AS SELECT * FROM wf_test.submit(:a1);
SELECT ok((SELECT accepted AND number IS NOT NULL AND message_kk IS NULL AND message_ru IS NULL AND message_en IS NULL FROM v1),
          'checked against a fresh mirror: accepted, no note');

-- the legal-entity row loaded ten days before: accepted, and the verdict says so
UPDATE licensing.legal_entity SET loaded_at = '2025-02-21 12:00+05' WHERE bin::text = '160140001230';
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko', 'office') AS a2 \gset
SELECT wf_test.pay(:a2);
CREATE TEMP TABLE v2 AS SELECT * FROM wf_test.submit(:a2);
SELECT ok((SELECT accepted FROM v2), 'a stale mirror does not refuse: the check found the entity');
SELECT is((SELECT message_ru FROM v2),
          'Внимание: проверка выполнена по копии Государственной базы данных «Юридические лица», загруженной 21.02.2025; копия старше допустимого срока, сведения в ней могут быть устаревшими. Обновите копию реестра.',
          'the Russian note names the registry and the day its copy was loaded');
SELECT is((SELECT message_kk FROM v2),
          'Назар аударыңыз: тексеру «Заңды тұлғалар» мемлекеттік дерекқорының 21.02.2025 жүктелген көшірмесі бойынша жүргізілді; көшірме рұқсат етілген мерзімнен ескі, ондағы мәліметтер ескірген болуы мүмкін. Тізілім көшірмесін жаңартыңыз.',
          'the Kazakh note too');
SELECT is((SELECT message_en FROM v2),
          'Note: the check used a copy of the State Database "Legal Entities" loaded on 2025-02-21, older than allowed; it may be out of date. Refresh the registry copy.',
          'the English note too');

-- the age is configurable per mirror
INSERT INTO licensing.registry_max_age (mirror, max_age) VALUES ('legal_entity', '30 days');
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko', 'office') AS a3 \gset
SELECT wf_test.pay(:a3);
SELECT is((wf_test.submit(:a3)).message_en, NULL, 'within a longer allowed age (30 days): no note');
UPDATE licensing.registry_max_age SET max_age = '5 days' WHERE mirror = 'legal_entity';

-- an entity missing from a stale mirror: refused, and the verdict says the mirror may be why
SELECT wf_test.as_role('wf_clerk', $q$SELECT licensing.create_application('scrap-metal', 'issue', '170240006782', 'sko', channel => 'office')$q$) AS a4 \gset
SELECT wf_test.pay(:a4);
CREATE TEMP TABLE v4 AS SELECT * FROM wf_test.submit(:a4);
SELECT is((SELECT ground FROM v4), 'applicant_not_found', 'an entity the mirror lacks is refused as before');
SELECT is((SELECT reason FROM v4), 'not_in_registry', '... for the reason that it is not in the registry');
SELECT ok((SELECT message_ru FROM v4) = (SELECT text_ru FROM licensing.refusal_ground WHERE code = 'applicant_not_found')
          || '. ' || (SELECT text_ru FROM licensing.intake_reason WHERE code = 'not_in_registry')
          || '. Внимание: проверка выполнена по копии Государственной базы данных «Юридические лица», загруженной 21.02.2025; копия старше допустимого срока, сведения в ней могут быть устаревшими. Обновите копию реестра.',
          '... with the ground''s text, the reason''s and the note, dated by the mirror''s last load');

-- a power of attorney loaded two days before (the default for the notary mirror is one day)
UPDATE licensing.registry_max_age SET max_age = '30 days' WHERE mirror = 'legal_entity';
UPDATE licensing.power_of_attorney SET loaded_at = '2025-03-01 09:00+05';
SELECT wf_test.as_role('wf_clerk', $q$SELECT licensing.create_application('scrap-metal', 'issue', '160140001230', 'sko', channel => 'office', representative => '850625300123', attorney_number => 'PoA-2025-1')$q$) AS a5 \gset
SELECT wf_test.pay(:a5);
CREATE TEMP TABLE v5 AS SELECT * FROM wf_test.submit(:a5);
SELECT ok((SELECT accepted FROM v5), 'a representative with a power of attorney: accepted');
SELECT is((SELECT message_en FROM v5),
          'Note: the check used a copy of the Unified Notarial Information System loaded on 2025-03-01, older than allowed; it may be out of date. Refresh the registry copy.',
          'the note names the notary registry (a power of attorney may be revoked any day: one day by default)');
SELECT ok((SELECT message_ru FROM v5) LIKE '%Единой нотариальной информационной системы, загруженной 01.03.2025%', '... in Russian too');

-- a row from before 1.1 (no load date)
UPDATE licensing.legal_entity SET loaded_at = NULL WHERE bin::text = '160140001230';
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko', 'office') AS a6 \gset
SELECT wf_test.pay(:a6);
SELECT is((wf_test.submit(:a6)).message_ru,
          'Внимание: проверка выполнена по копии Государственной базы данных «Юридические лица» с неизвестной датой загрузки, сведения в ней могут быть устаревшими. Обновите копию реестра.',
          'a row without a load date counts as stale');

-- the portal checks no registry: no note
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko') AS a7 \gset
SELECT wf_test.pay(:a7);
SELECT is((wf_test.submit(:a7)).message_ru, NULL, 'a portal submit carries no registry note');

-- who may set the age
SELECT throws_ok($$SELECT wf_test.as_role('wf_clerk', $q$UPDATE licensing.registry_max_age SET max_age = '100 years' RETURNING 1$q$)$$,
    '42501', NULL, 'staff cannot change the allowed age');
SELECT is((SELECT max_age FROM licensing.registry_max_age WHERE mirror = 'legal_entity'), '30 days'::interval,
          'and it did not change');
SELECT is(wf_test.as_role('wf_admin', $q$UPDATE licensing.registry_max_age SET max_age = '2 days' WHERE mirror = 'legal_entity' RETURNING max_age::text$q$),
          '2 days', 'the admin, who loads the mirrors, can');
SELECT throws_ok($$INSERT INTO licensing.registry_max_age VALUES ('staff', '1 day')$$, '23514', NULL,
    'only the three mirrors have an age');

SELECT * FROM finish();
ROLLBACK;
