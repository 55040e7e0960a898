-- pgTAP: issuing licences and conclusions through the workflow, the grant
-- details, numbering, documents and printable forms.
BEGIN;
\ir licence_fixture.psql
SELECT plan(51);

-- ---- a scrap-metal licence with two annexes ------------------------------------
SELECT lic_test.walk('scrap-metal', 'issue', '160140001230',
    '{"annexes": [{"subtype": "Заготовка лома чёрных металлов", "address": "г. Шымкент, ул. Темирлановское шоссе, 12", "branch_bin": "160141001236"},
                  {"subtype": "Хранение <лома> & отходов", "address": "г. Туркестан, промзона 3"}]}') AS app \gset
SELECT lic_test.licence_of(:app) AS lic \gset

SELECT ok(licensing.licence_number_is_valid(:'lic') AND :'lic' ~ '^KZL[0-9]{10}[0-9A-Z]$',
          'the licence carries a valid number of kind L');
SELECT is((SELECT result_number FROM licensing.application WHERE id = :app), :'lic'::text,
          'the number is the one grant allocated for the decision');
SELECT results_eq(
    format($$SELECT kind, holder, service, status, issued_on, provider, application, supersedes
               FROM licensing.licence WHERE number = %L$$, :'lic'),
    format($$VALUES ('licence', '160140001230', 'scrap-metal', 'active', licensing._licence_today(), 'lic-south', %s::bigint, NULL::text)$$, :app),
    'sign_decision created the licence: kind, holder, service, active, today, provider, application');
SELECT results_eq(
    format($$SELECT position, subtype, branch_bin::text FROM licensing.licence_annex WHERE licence = %L ORDER BY position$$, :'lic'),
    $$VALUES (1, 'Заготовка лома чёрных металлов', '160141001236'), (2, 'Хранение <лома> & отходов', NULL)$$,
    'its annexes, in order, with the branch');
SELECT results_eq(
    format($$SELECT seq, event, from_status, to_status, application FROM licensing.licence_event WHERE licence = %L$$, :'lic'),
    format($$VALUES (1, 'issued', NULL::text, 'active', %s::bigint)$$, :app),
    'its history starts with the issue');
SELECT ok(licensing.verify_licence_history(:'lic'), 'the history chain verifies');

-- the public register
SELECT results_eq(
    format($$SELECT kind, holder, holder_name, status, jsonb_array_length(annexes) FROM licensing.licence_register WHERE number = %L$$, :'lic'),
    $$VALUES ('licence', '160140001230', 'ТОО "Metall Trade"', 'active', 2)$$,
    'licence_register shows the holder''s name and the annexes');
SET LOCAL ROLE lic_nobody;
SELECT is((SELECT count(*) FROM licensing.licence_register WHERE number = :'lic'), 1::bigint,
          'any role reads licence_register');
RESET ROLE;

-- ---- the signed document -----------------------------------------------------------
SELECT is(licensing.licence_document(:'lic'),
          (SELECT convert_from(decision_payload, 'UTF8')::jsonb FROM licensing.application WHERE id = :app),
          'licence_document is the signed decision payload');
SELECT ok(position(:'lic' IN licensing.licence_document(:'lic')::text) > 0, 'the signed document carries the licence number');
SELECT results_eq(
    format($$SELECT v.valid, v.signer_iin::text FROM licensing.licence_signed(%L) s,
                    LATERAL licensing.verify_signature(s.payload, s.signature) v$$, :'lic'),
    $$VALUES (true, '900101300811')$$,
    'the head''s signature over the stored licence still verifies');
SELECT is(convert_to(licensing.canonical_json(licensing.licence_document(:'lic')), 'UTF8'),
          (SELECT payload FROM licensing.licence_signed(:'lic')),
          'the document re-encodes to exactly the signed bytes');
SET LOCAL TimeZone = 'America/Los_Angeles';
SET LOCAL DateStyle = 'SQL, DMY';
SET LOCAL extra_float_digits = -3;
SELECT is(convert_to(licensing.canonical_json(licensing.licence_document(:'lic')), 'UTF8'),
          (SELECT payload FROM licensing.licence_signed(:'lic')),
          'same bytes under another TimeZone, DateStyle and float setting');
RESET TimeZone; RESET DateStyle; RESET extra_float_digits;

-- ---- the printable form --------------------------------------------------------------
SELECT licensing.licence_html(:'lic') AS html \gset
SELECT ok(:'html' LIKE '<!DOCTYPE html>%' AND :'html' LIKE '%lang="kk"%' AND :'html' LIKE '%lang="ru"%',
          'licence_html: one page, a Kazakh and a Russian part');
SELECT ok(:'html' LIKE '%' || :'lic' || '%' AND :'html' LIKE '%ТОО &quot;Metall Trade&quot;%'
          AND :'html' LIKE '%Лицензияға қосымшалар%' AND :'html' LIKE '%Приложения к лицензии%'
          AND :'html' LIKE '%160141001236%',
          'licence_html: number, holder, annexes and branch in both languages');
SELECT ok(:'html' LIKE '%Хранение &lt;лома&gt; &amp; отходов%' AND :'html' NOT LIKE '%<лома>%',
          'licence_html escapes text');
SELECT ok(:'html' LIKE '%' || encode(sha256((SELECT payload FROM licensing.licence_signed(:'lic'))), 'hex') || '%',
          'licence_html prints the SHA-256 of the signed document');

-- ---- grant details are checked before a number is taken ------------------------------
SELECT lic_test.walk('scrap-metal', 'issue', '160140001230', NULL, NULL, '{}', 'in_review') AS app2 \gset
SELECT last_value AS seq_before FROM licensing.licence_number_seq \gset
SELECT is(lic_test.state_of('lic_exec', format('SELECT licensing.grant(%s, %L)', :app2, d)), '22023', 'grant refuses details ' || d)
  FROM unnest(ARRAY[
    '[1, 2]',
    '{"annex": []}',
    '{"annexes": {}}',
    '{"annexes": [{"address": "x"}]}',
    '{"annexes": [{"subtype": " ", "address": "x"}]}',
    '{"annexes": [{"subtype": "s"}]}',
    '{"annexes": [{"subtype": "s", "address": "x", "colour": "red"}]}',
    '{"annexes": [{"subtype": "s", "address": "x", "branch_bin": "160141001237"}]}',
    '{"annexes": [{"subtype": "s", "address": "x", "branch_bin": "170240007770"}]}',
    '{"annexes": [{"subtype": "s", "address": "x", "branch_bin": "160141004568"}]}',
    '{"annexes": [{"subtype": "s", "address": "x", "branch_bin": 160141001236}]}']) d;
SELECT is((SELECT state FROM licensing.application WHERE id = :app2), 'in_review', 'after refused details the application is still in review');
SELECT is((SELECT last_value FROM licensing.licence_number_seq), :seq_before::bigint, 'and no number was taken');
SELECT is(lic_test.state_of('lic_exec', format($$SELECT licensing.grant(%s, '{"annexes": [{"subtype": "s", "address": "x", "branch_bin": "160142001231"}]}')$$, :app2)),
          NULL, 'a representative office of the holder is a valid annex branch');

-- ---- numbers: unique, never reused ---------------------------------------------------
SELECT lic_test.walk('scrap-metal', 'issue', '160140001230', '{}', NULL, '{}', 'in_review') AS app3 \gset
SAVEPOINT before_grant;
SET LOCAL ROLE lic_exec;
SELECT licensing.grant(:app3, '{}');
RESET ROLE;
SELECT result_number AS lost FROM licensing.application WHERE id = :app3 \gset
ROLLBACK TO SAVEPOINT before_grant;
SET LOCAL ROLE lic_exec;
SELECT licensing.grant(:app3, '{}');
RESET ROLE;
SELECT isnt((SELECT result_number FROM licensing.application WHERE id = :app3), :'lost'::text,
            'a number taken by a rolled-back grant is not given again');
SELECT ok((SELECT result_number FROM licensing.application WHERE id = :app2) <> (SELECT result_number FROM licensing.application WHERE id = :app3),
          'two grants, two numbers');
SELECT is((SELECT count(*) FROM licensing.licence WHERE application IN (:app2, :app3)), 0::bigint,
          'granted but unsigned decisions create no licence');
SELECT throws_ok(format('SELECT licensing._issue_result(%s)', :app3), '55000', NULL,
                 'not even a superuser calling _issue_result creates a licence from an unsigned decision');
SELECT lic_test.sign(:app3);
SELECT is(lic_test.licence_of(:app3), (SELECT result_number FROM licensing.application WHERE id = :app3),
          'signing later creates the licence under the number the decision carries');
SELECT is((SELECT count(DISTINCT result_number) FROM licensing.application WHERE result_number IS NOT NULL AND operation <> 'duplicate'),
          (SELECT count(result_number) FROM licensing.application WHERE result_number IS NOT NULL AND operation <> 'duplicate'),
          'no number is shared by two decisions');

-- ---- ecological expertise: a conclusion -----------------------------------------------
SELECT lic_test.walk('eco-expertise', 'issue', '901120405675', '{}') AS eco \gset
SELECT lic_test.licence_of(:eco) AS concl \gset
SELECT ok(:'concl' ~ '^KZC', 'the ecological expertise gives a conclusion numbered KZC…');
SELECT results_eq(format($$SELECT kind, holder, holder_name, status FROM licensing.licence_register WHERE number = %L$$, :'concl'),
    $$VALUES ('conclusion', '901120405675', 'Иванова Айгерим', 'active')$$,
    'the conclusion is in the register with the individual''s name');
SELECT ok(licensing.licence_html(:'concl') LIKE '%ЗАКЛЮЧЕНИЕ ГОСУДАРСТВЕННОЙ ЭКОЛОГИЧЕСКОЙ ЭКСПЕРТИЗЫ%'
          AND licensing.licence_html(:'concl') LIKE '%ҚОРЫТЫНДЫСЫ%' AND licensing.licence_html(:'concl') LIKE '%ЖСН 901120405675%',
          'the printable conclusion, in Kazakh and Russian');
SELECT lic_test.walk('eco-expertise', 'issue', '170240007770', '{}', NULL, '{}', 'in_review') AS eco2 \gset
SELECT is(lic_test.state_of('lic_exec', format($$SELECT licensing.grant(%s, '{"annexes": [{"subtype": "s", "address": "x"}]}')$$, :eco2)),
          '22023', 'a conclusion has no annexes');

-- ---- refusal: the printable reasoned refusal -------------------------------------------
SELECT lic_test.walk('scrap-metal', 'issue', '170240007770', '{}', NULL, '{}', 'in_review') AS ref \gset
SET LOCAL ROLE lic_exec;
SELECT licensing.refuse(:ref, 'qualification_requirements', 'Біліктілік талаптарына сәйкес емес: <алаң жоқ>', 'Нет площадки для хранения лома');
RESET ROLE;
SELECT licensing.refusal_html(:ref) AS rhtml \gset
SELECT ok(:'rhtml' LIKE '%ДӘЛЕЛДІ БАС ТАРТУ%' AND :'rhtml' LIKE '%МОТИВИРОВАННЫЙ ОТКАЗ%',
          'refusal_html: titled in Kazakh and Russian');
SELECT ok(:'rhtml' LIKE '%Несоответствие получателя услуги квалификационным требованиям%'
          AND :'rhtml' LIKE '%Нет площадки для хранения лома%' AND :'rhtml' LIKE '%&lt;алаң жоқ&gt;%'
          AND :'rhtml' LIKE '%ТОО &quot;Other Scrap&quot;%',
          'refusal_html: the ground, both reasons (escaped) and the applicant');
SELECT throws_ok(format('SELECT licensing.refusal_html(%s)', :app), '55000', NULL, 'refusal_html of a granted application: 55000');
SELECT throws_ok('SELECT licensing.refusal_html(-1)', 'P0002', NULL, 'refusal_html of no application: P0002');
SELECT is((SELECT count(*) FROM licensing.licence WHERE application = :ref), 0::bigint, 'a refusal creates no licence');

-- ---- documents: errors ------------------------------------------------------------------
SELECT throws_ok($$SELECT licensing.licence_document('KZL2600000001X')$$, '22P02', NULL, 'licence_document of a mistyped number: 22P02');
SELECT throws_ok($$SELECT licensing.licence_document('KZL9999999999' || '0')$$, '22P02', NULL, 'a wrong check character: 22P02');
SELECT throws_ok(format('SELECT licensing.licence_document(%L)', licensing.licence_number_make('licence', 2099, 99999998)),
                 'P0002', NULL, 'licence_document of a well-formed number nobody holds: P0002');
SELECT throws_ok(format('SELECT licensing.licence_html(%L)', licensing.licence_number_make('licence', 2099, 99999998)),
                 'P0002', NULL, 'licence_html of an unknown licence: P0002');
SELECT throws_ok(format('SELECT licensing._issue_result(%s)', :ref), '55000', NULL, '_issue_result of a refused application: 55000');

SELECT * FROM finish();
ROLLBACK;
