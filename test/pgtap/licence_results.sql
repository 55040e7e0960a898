-- pgTAP: what the applicant receives (issue #15, API §6 revision 2): which
-- provider renders which service, a conclusion's content (object and its
-- category, finding, conditions, documents examined) in the signed decision,
-- the register and the printed form; annexes with their own number, date and
-- status (added to a licence, re-issued or duplicated alone, suspended and
-- terminated with it); duplicates printed as duplicates; who may do what.
BEGIN;
\ir licence_fixture.psql
SELECT plan(96);

-- Creates an application as the clerk of a provider: the SQLSTATE, or NULL.
CREATE FUNCTION pg_temp.create_as(r text, service text, op text, applicant text, provider text,
                                  form jsonb, num text DEFAULT NULL) RETURNS text
LANGUAGE sql AS $$
    SELECT lic_test.state_of(r, format('SELECT licensing.create_application(%L, %L, %L, %L, %L, %L, %L)',
                             service, op, applicant, provider, form, 'office', num))
$$;
-- The message of the error a statement raises as role r.
CREATE FUNCTION pg_temp.message(r text, stmt text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('SET LOCAL ROLE %I', r);
    EXECUTE stmt;
    RESET ROLE;
    RETURN NULL;
EXCEPTION WHEN OTHERS THEN
    RESET ROLE;
    RETURN SQLSTATE || ' ' || SQLERRM;
END
$$;

-- ---- provider_service: which provider renders which service --------------------
SELECT count(*) AS apps_before FROM licensing.application \gset
SELECT is(pg_temp.create_as('lic_clerk', 'eco-expertise', 'issue', '901120405675', 'lic-south',
                            '{"object": {"name": "АЗС", "address": "Шымкент", "category": "III"}}'),
          '22023', 'an entrepreneurship department (lic-south) is refused an ecological conclusion: 22023');
SELECT is(pg_temp.message('lic_clerk', $$SELECT licensing.create_application('eco-expertise', 'issue', '901120405675', 'lic-south',
              '{"object": {"name": "АЗС", "address": "Шымкент", "category": "III"}}', 'office')$$),
          '22023 provider lic-south does not render service eco-expertise', '... and the message names the provider and the service');
SELECT is((SELECT count(*) FROM licensing.application), :apps_before::bigint, '... before anything is written');
SELECT is(pg_temp.create_as('lic_clerk', 'scrap-metal', 'issue', '160140001230', 'lic-nature', '{}'),
          '22023', 'a natural resources department is refused a scrap-metal licence');
SELECT results_eq($$SELECT provider, service FROM licensing.provider_service WHERE shipped ORDER BY 1$$,
    $$VALUES ('alm-ent-2014', 'scrap-metal'), ('krg-nat-2013', 'eco-expertise'), ('sko-ent-2012', 'scrap-metal'),
             ('sko-ent-2015', 'scrap-metal'), ('zko-ent-2013', 'scrap-metal')$$,
    'shipped: the seeds'' entrepreneurship departments license scrap metal, the Karaganda natural resources department concludes');
SELECT ok((SELECT bool_and(p.shipped) FROM licensing.provider p JOIN licensing.provider_service ps ON ps.provider = p.code WHERE ps.shipped),
          'the seeds'' providers are shipped rows (not dumped, restored by CREATE EXTENSION)');
SELECT is(lic_test.state_of('lic_nobody', $$INSERT INTO licensing.provider_service VALUES ('lic-south', 'eco-expertise')$$),
          '42501', 'only licensing_admin changes provider_service');

-- ---- a conclusion's object: category II, III or IV, checked per service ----------
SELECT is(pg_temp.create_as('lic_clerk', 'eco-expertise', 'issue', '901120405675', 'lic-nature', f::jsonb), '22023',
          'a conclusion''s form refused: ' || f)
  FROM unnest(ARRAY[
    '{}',
    '{"object": "АЗС, категория III"}',
    '{"object": {"name": "АЗС", "address": "Шымкент", "category": "I"}}',
    '{"object": {"name": "АЗС", "address": "Шымкент", "category": "V"}}',
    '{"object": {"name": "АЗС", "address": "Шымкент", "category": "ii"}}',
    '{"object": {"name": "АЗС", "address": "Шымкент", "category": 2}}',
    '{"object": {"name": "АЗС", "address": "Шымкент"}}',
    '{"object": {"name": " ", "address": "Шымкент", "category": "II"}}',
    '{"object": {"name": "АЗС", "category": "II"}}',
    '{"object": {"name": "АЗС", "address": "Шымкент", "category": "II", "owner": "x"}}']) f;
SELECT is(pg_temp.message('lic_clerk', $$SELECT licensing.create_application('eco-expertise', 'issue', '901120405675', 'lic-nature',
              '{"object": {"name": "АЗС", "address": "Шымкент", "category": "I"}}', 'office')$$),
          '22023 category "I" is not one the ecological expertise of this service examines', 'category I: the message names it');
SELECT is(pg_temp.create_as('lic_clerk', 'eco-expertise', 'issue', '901120405675', 'lic-nature',
                            format('{"object": {"name": "АЗС", "address": "Шымкент", "category": "%s"}}', c)::jsonb),
          NULL, 'category ' || c || ' is accepted')
  FROM unnest(ARRAY['II', 'III', 'IV']) c;

-- ---- a conclusion's decision: finding and conditions -----------------------------
SELECT lic_test.walk('eco-expertise', 'issue', '901120405675', '{}', NULL,
    '{"object": {"name": "Цементный завод", "address": "Қарағанды облысы, Теміртау қ., Өнеркәсіп к-сі, 7", "category": "II"}}',
    'in_review') AS e1 \gset
SELECT is(lic_test.state_of('lic_exec', format('SELECT licensing.grant(%s, %L)', :e1, d)), '22023',
          'a conclusion''s grant refused: ' || d)
  FROM unnest(ARRAY[
    '{}',
    '{"finding": "maybe"}',
    '{"finding": true}',
    '{"finding": "positive", "conditions": "no dust"}',
    '{"finding": "positive", "conditions": ["", "x"]}',
    '{"finding": "positive", "conditions": [1]}',
    '{"finding": "positive", "colour": "green"}']) d;
SELECT is(lic_test.state_of('lic_exec', format($$SELECT licensing.grant(%s, '{"finding": "positive"}')$$,
          lic_test.walk('scrap-metal', 'issue', '160140001230', '{}', NULL, '{}', 'in_review'))),
          '22023', 'a licence''s grant carries no finding');
SET LOCAL ROLE lic_exec;
SELECT licensing.grant(:e1, '{"finding": "positive", "conditions": ["Выбросы пыли не более 50 т/год", "Мониторинг <воздуха> & воды ежеквартально"]}');
RESET ROLE;
SELECT convert_from(licensing.decision_payload(:e1), 'UTF8')::jsonb -> 'conclusion' AS c1 \gset
SELECT is(:'c1'::jsonb -> 'object', '{"name": "Цементный завод", "address": "Қарағанды облысы, Теміртау қ., Өнеркәсіп к-сі, 7", "category": "II"}'::jsonb,
          'the decision the head signs names the object and its category');
SELECT is(:'c1'::jsonb -> 'finding', '"positive"'::jsonb, '... the finding');
SELECT is(jsonb_array_length(:'c1'::jsonb -> 'conditions'), 2, '... the conditions');
SELECT is(:'c1'::jsonb #>> '{documents,0,sha256}',
          (SELECT encode(sha256, 'hex') FROM licensing.application_document WHERE application = :e1 ORDER BY id LIMIT 1),
          '... and the documents examined, by SHA-256');
SELECT lic_test.sign(:e1);
SELECT lic_test.licence_of(:e1) AS c \gset
SELECT is(licensing.licence_document(:'c') -> 'conclusion', :'c1'::jsonb, 'the signed conclusion carries its content');
SELECT is((SELECT provider FROM licensing.licence WHERE number = :'c'), 'lic-nature', 'issued by the natural resources department');
SELECT is((SELECT conclusion FROM licensing.licence_register WHERE number = :'c'),
          jsonb_build_object('object', :'c1'::jsonb -> 'object', 'finding', 'positive', 'conditions', :'c1'::jsonb -> 'conditions'),
          'the public register shows the object, the finding and the conditions');
SELECT licensing.licence_html(:'c') AS ch \gset
SELECT ok(strpos(:'ch', 'Цементный завод') > 0 AND strpos(:'ch', 'Санаты: II') > 0 AND strpos(:'ch', 'Категория: II') > 0,
          'the printed conclusion names the object and its category on both pages');
SELECT ok(strpos(:'ch', 'оң қорытынды') > 0 AND strpos(:'ch', 'положительное заключение') > 0,
          '... the finding');
SELECT ok(strpos(:'ch', 'Мониторинг &lt;воздуха&gt; &amp; воды') > 0 AND strpos(:'ch', 'Мониторинг <воздуха>') = 0,
          '... the conditions, escaped');
SELECT ok(strpos(:'ch', 'Қаралған құжаттар') > 0 AND strpos(:'ch', 'Рассмотренные документы') > 0,
          '... and the documents examined');

-- ---- annexes: numbers, dates, status -----------------------------------------------
SELECT lic_test.walk('scrap-metal', 'issue', '160140001230',
    '{"annexes": [{"subtype": "Заготовка", "address": "Шымкент", "branch_bin": "160141001236"},
                  {"subtype": "Хранение", "address": "Туркестан"}]}') AS a1 \gset
SELECT lic_test.licence_of(:a1) AS l \gset
SELECT results_eq(format('SELECT position, number, issued_on, status, application FROM licensing.licence_annex WHERE licence = %L ORDER BY 1', :'l'),
    format($$VALUES (1, %L, licensing._licence_today(), 'active', %s::bigint), (2, %L, licensing._licence_today(), 'active', %s::bigint)$$,
           :'l' || '-01', :a1, :'l' || '-02', :a1),
    'an issued licence''s annexes have their own numbers, date, status and application');

-- add an annex to the licence
SELECT lic_test.walk('scrap-metal', 'annex', '160140001230',
    '{"annexes": [{"subtype": "Переработка", "address": "Кентау, промзона 1"}]}', :'l', '{}', 'decided') AS an \gset
SELECT is(convert_from(licensing.decision_payload(:an), 'UTF8')::jsonb -> 'annex_numbers', jsonb_build_array(:'l' || '-03'),
          'the decision to add an annex names the number it will carry');
SELECT is((SELECT result_number FROM licensing.application WHERE id = :an), :'l', '... and the licence it belongs to (no new licence number)');
SELECT lic_test.sign(:an);
SELECT results_eq(format('SELECT number, subtype, status, application FROM licensing.licence_annex WHERE licence = %L AND position = 3', :'l'),
    format($$VALUES (%L, 'Переработка', 'active', %s::bigint)$$, :'l' || '-03', :an),
    'signing added annex 03 to the licence');
SELECT is((SELECT count(*) FROM licensing.licence WHERE application = :an), 0::bigint, '... and created no licence');
SELECT results_eq(format($$SELECT event, related FROM licensing.licence_event WHERE licence = %L AND application = %s$$, :'l', :an),
    format($$VALUES ('annex_added', %L)$$, :'l' || '-03'), 'the licence''s history records the annex added');
-- an annex application and its arguments
SELECT is(lic_test.state_of('lic_exec', format('SELECT licensing.grant(%s, %L)',
          lic_test.walk('scrap-metal', 'annex', '160140001230', '{}', :'l', '{}', 'in_review'), '{}')),
          '22023', 'an added annex is granted with its content');
SELECT is(pg_temp.create_as('lic_clerk', 'scrap-metal', 'annex', '160140001230', 'lic-south', '{"annex": 1}', :'l'),
          '22023', 'an annex application names no existing annex');
SELECT is(pg_temp.create_as('lic_clerk', 'scrap-metal', 'annex', '160140001230', 'lic-south', '{}', NULL),
          '22023', 'an annex application names the licence');
SELECT is(pg_temp.create_as('lic_clerk', 'scrap-metal', 'annex', '180340009990', 'lic-south', '{}', :'l'),
          '42501', 'someone else''s licence: 42501');
INSERT INTO licensing.staff (role, provider, position) VALUES ('lic_clerk', 'lic-west', 'clerk');
SELECT is(pg_temp.create_as('lic_clerk', 'scrap-metal', 'annex', '160140001230', 'lic-west', '{}', :'l'),
          '22023', 'an annex is added by the licence''s own provider only');
SELECT is(pg_temp.create_as('lic_clerk', 'scrap-metal', 'reissue', '160140001230', 'lic-west', '{"ground": "object_address", "annex": 1}', :'l'),
          '22023', 'an annex is re-issued alone by the licence''s own provider only');
SELECT is(pg_temp.create_as('lic_clerk', 'scrap-metal', 'duplicate', '160140001230', 'lic-west', '{"annex": 1}', :'l'),
          '22023', 'an annex is duplicated by the licence''s own provider only');
SELECT is(pg_temp.create_as('lic_clerk', 'scrap-metal', 'duplicate', '160140001230', 'lic-west', '{}', :'l'),
          '22023', 'a licence is duplicated by its own provider only');
SELECT is(pg_temp.create_as('lic_clerk', 'eco-expertise', 'annex', '901120405675', 'lic-nature', '{}', :'c'),
          '22023', 'a conclusion takes no annex (eco-expertise has no operation annex)');
SELECT is(lic_test.state_of('lic_portal', format($$SELECT licensing.act_for('180340009990'), licensing.create_application('scrap-metal', 'annex', '160140001230', 'lic-south', '{}', 'portal', %L)$$, :'l')),
          '42501', 'the portal acting for another applicant cannot add an annex to the licence');

-- two annex decisions for one licence: the second signed names the next number
SELECT lic_test.walk('scrap-metal', 'annex', '160140001230', '{"annexes": [{"subtype": "A", "address": "x"}]}', :'l', '{}', 'decided') AS an4 \gset
SELECT lic_test.walk('scrap-metal', 'annex', '160140001230', '{"annexes": [{"subtype": "B", "address": "y"}]}', :'l', '{}', 'decided') AS an5 \gset
SELECT licensing.decision_payload(:an5) AS stale \gset
SELECT lic_test.sign(:an4);
SELECT is(convert_from(licensing.decision_payload(:an5), 'UTF8')::jsonb -> 'annex_numbers', jsonb_build_array(:'l' || '-05'),
          'once another annex took 04, the pending decision names 05');
SELECT isnt(lic_test.state_of('lic_head', format('SELECT licensing.sign_decision(%s, %L::bytea)', :an5, lic_test.cms(:'stale'::bytea, 'head'))),
          NULL, 'a signature over the stale decision (naming 04) is refused');
SELECT lic_test.sign(:an5);
SELECT is((SELECT subtype FROM licensing.licence_annex WHERE number = :'l' || '-05'), 'B', 'signed afresh, the annex carries the number it names');
SELECT is(convert_from(licensing.decision_payload(:an4), 'UTF8')::jsonb -> 'annex_numbers',
          (SELECT convert_from(decision_payload, 'UTF8')::jsonb -> 'annex_numbers' FROM licensing.application WHERE id = :an4),
          'once signed, decision_payload still names the annex numbers the head signed (those it issued)');

-- ---- one annex re-issued alone (No 441 of 28.12.2015, §3) --------------------------------
SELECT is(lic_test.state_of('lic_exec', format('SELECT licensing.grant(%s, %L)',
          lic_test.walk('scrap-metal', 'reissue', '160140001230', '{}', :'l', '{"ground": "object_address", "annex": 2}', 'in_review'),
          '{"annexes": [{"subtype": "a", "address": "b"}, {"subtype": "c", "address": "d"}]}')),
          '22023', 'an annex re-issued alone takes one annex''s content');
SELECT lic_test.walk('scrap-metal', 'reissue', '160140001230', '{"annexes": [{"subtype": "Хранение", "address": "Туркестан, ул. Новая, 5"}]}',
                     :'l', '{"ground": "object_address", "annex": 2}', 'decided') AS ra \gset
SELECT is(convert_from(licensing.decision_payload(:ra), 'UTF8')::jsonb -> 'replaces_annex', to_jsonb(:'l' || '-02'),
          'the re-issue decision names the annex it replaces');
SELECT lic_test.sign(:ra);
SELECT results_eq(format('SELECT number, address, status, supersedes FROM licensing.licence_annex WHERE licence = %L AND position IN (2, 6) ORDER BY position', :'l'),
    format($$VALUES (%L, 'Туркестан', 'reissued', NULL::integer), (%L, 'Туркестан, ул. Новая, 5', 'active', 2)$$, :'l' || '-02', :'l' || '-06'),
    'annex 02 is re-issued as 06 with the new address; 02 is marked reissued');
SELECT is((SELECT status FROM licensing.licence WHERE number = :'l'), 'active', 'the licence itself stays active, under its number');
SELECT results_eq(format($$SELECT event, ground, related FROM licensing.licence_event WHERE licence = %L AND application = %s$$, :'l', :ra),
    format($$VALUES ('annex_reissued', 'object_address', %L)$$, :'l' || '-06'), 'the history records the annex re-issued');
SELECT is(pg_temp.create_as('lic_clerk', 'scrap-metal', 'reissue', '160140001230', 'lic-south', '{"ground": "object_address", "annex": 2}', :'l'),
          '55000', 'a re-issued annex cannot be re-issued again');
SELECT is(pg_temp.create_as('lic_clerk', 'scrap-metal', 'duplicate', '160140001230', 'lic-south', '{"annex": 2}', :'l'),
          '55000', '... nor duplicated');
SELECT ok(strpos(licensing.annex_html(:'l' || '-06'), 'взамен приложения № ' || :'l' || '-02') > 0,
          'the printed annex 06 says which annex it replaces');

-- ---- duplicates printed as duplicates -------------------------------------------------------
SELECT lic_test.walk('scrap-metal', 'duplicate', '160140001230', '{}', :'l', '{"annex": 1}') AS d1 \gset
SELECT licensing.annex_html(:'l' || '-01') AS ah \gset
SELECT ok(strpos(:'ah', '<b>ТЕЛНҰСҚА</b>') > 0 AND strpos(:'ah', '<b>ДУБЛИКАТ</b>') > 0,
          'a duplicated annex prints as ТЕЛНҰСҚА on the Kazakh page and ДУБЛИКАТ on the Russian');
SELECT ok(strpos(:'ah', 'Оригинал: № ' || :'l' || '-01 от ' || to_char(licensing._licence_today(), 'DD.MM.YYYY')) > 0,
          '... with the original''s number and date');
SELECT ok(strpos(licensing.licence_html(:'l'), 'ДУБЛИКАТ') = 0, 'the licence itself is not marked: only its annex was duplicated');
SELECT lic_test.walk('scrap-metal', 'duplicate', '160140001230', '{}', :'l') AS d2 \gset
SELECT licensing.licence_html(:'l') AS lh \gset
SELECT ok(strpos(:'lh', '<b>ТЕЛНҰСҚА</b>, берілген күні ' || to_char(licensing._licence_today(), 'DD.MM.YYYY')) > 0
          AND strpos(:'lh', '<b>ДУБЛИКАТ</b>, дата выдачи ' || to_char(licensing._licence_today(), 'DD.MM.YYYY')) > 0,
          'a duplicated licence prints as a duplicate with its date');
SELECT ok(strpos(:'lh', 'Түпнұсқасы: № ' || :'l') > 0 AND strpos(:'lh', 'Оригинал: № ' || :'l') > 0,
          '... and the original''s number on both pages');
SELECT is(licensing.licence_document(:'l') ->> 'id', :d2::text, 'licence_document of a duplicated licence returns the duplicate');
SELECT is(licensing.licence_document(:'l') #>> '{duplicate_of,licence}', :'l', '... which names the original it copies');
SELECT is((licensing.licence_signed(:'l')).payload, (SELECT decision_payload FROM licensing.application WHERE id = :d2),
          'licence_signed gives the duplicate''s signed bytes');
SELECT ok((SELECT valid FROM licensing.verify_signature((licensing.licence_signed(:'l')).payload, (licensing.licence_signed(:'l')).signature)),
          '... which verify');

-- ---- the annexes follow the licence ---------------------------------------------------------
SET LOCAL ROLE lic_head;
SELECT licensing.suspend_licence(:'l', 'licensee_request');
RESET ROLE;
SELECT results_eq(format('SELECT position, status FROM licensing.licence_annex WHERE licence = %L ORDER BY 1', :'l'),
    $$VALUES (1, 'suspended'), (2, 'reissued'), (3, 'suspended'), (4, 'suspended'), (5, 'suspended'), (6, 'suspended')$$,
    'suspending the licence suspends its annexes in force (a re-issued one stays re-issued)');
SELECT is(pg_temp.create_as('lic_clerk', 'scrap-metal', 'annex', '160140001230', 'lic-south', '{}', :'l'),
          '55000', 'no annex is added to a suspended licence');
SET LOCAL ROLE lic_head;
SELECT licensing.resume_licence(:'l');
RESET ROLE;
SELECT is((SELECT array_agg(status ORDER BY position) FROM licensing.licence_annex WHERE licence = :'l'),
          ARRAY['active', 'reissued', 'active', 'active', 'active', 'active'], 'resuming it resumes them');
SELECT is((SELECT jsonb_agg(a ->> 'status' ORDER BY (a ->> 'position')::int) FROM licensing.licence_register r, jsonb_array_elements(r.annexes) a WHERE r.number = :'l'),
          '["active", "reissued", "active", "active", "active", "active"]'::jsonb, 'the register shows each annex''s status');
SELECT ok((SELECT bool_and(a ? 'number' AND a ? 'issued_on') FROM licensing.licence_register r, jsonb_array_elements(r.annexes) a WHERE r.number = :'l'),
          '... its number and date');
-- a whole re-issue carries the annexes in force over under the new number
SELECT lic_test.walk('scrap-metal', 'reissue', '160140001230', '{}', :'l', '{"ground": "name_change"}') AS r2 \gset
SELECT lic_test.licence_of(:r2) AS l2 \gset
SELECT is((SELECT array_agg(number ORDER BY position) FROM licensing.licence_annex WHERE licence = :'l2'),
          ARRAY[:'l2' || '-01', :'l2' || '-03', :'l2' || '-04', :'l2' || '-05', :'l2' || '-06'],
          're-issuing the licence carries the annexes in force over, numbered under the new licence');
SELECT is((SELECT array_agg(DISTINCT status) FROM licensing.licence_annex WHERE licence = :'l'), ARRAY['reissued'],
          'the old licence''s annexes are all re-issued with it');
SET LOCAL ROLE lic_head;
SELECT licensing.terminate_licence(:'l2', 'liquidation');
RESET ROLE;
SELECT is((SELECT array_agg(DISTINCT status) FROM licensing.licence_annex WHERE licence = :'l2'), ARRAY['terminated'],
          'terminating the licence terminates its annexes');
SELECT ok(licensing.verify_licence_history(:'l') AND licensing.verify_licence_history(:'l2'), 'both histories verify');

-- ---- who may call what ---------------------------------------------------------------------
SELECT is(lic_test.state_of('lic_admin', format($$UPDATE licensing.licence_annex SET status = 'active' WHERE licence = %L$$, :'l2')),
          '42501', 'no role writes an annex''s status directly');
SELECT ok(NOT has_function_privilege(r, f, 'EXECUTE'), r || ' may not execute ' || f)
  FROM unnest(ARRAY['lic_head', 'lic_portal', 'lic_admin']) r,
       unnest(ARRAY['licensing._annex_issue(bigint,text,jsonb,date)', 'licensing._annex_plan(licensing.application)',
                    'licensing._check_application_form(text,text,text,jsonb,text)']) f
 WHERE r = 'lic_head' OR f LIKE '%_annex_issue%';
CREATE TABLE pg_temp.decoy (number text, status text);
CREATE TRIGGER decoy AFTER UPDATE ON pg_temp.decoy FOR EACH ROW EXECUTE FUNCTION licensing._annex_follow_licence();
INSERT INTO pg_temp.decoy VALUES ('x', 'active');
SELECT throws_ok($$UPDATE pg_temp.decoy SET status = 'terminated'$$, '39P01', NULL,
                 'the annex trigger refuses to fire on another table');
SELECT is(lic_test.state_of('lic_reporter', format('SELECT licensing.annex_html(%L)', :'l' || '-01')), '42501',
          'the reporter does not print annexes (they name the holder)');
SELECT is(lic_test.state_of('lic_head', $$SELECT licensing.annex_html('KZ-not-an-annex')$$), '22P02', 'a malformed annex number: 22P02');
SELECT is(lic_test.state_of('lic_head', format('SELECT licensing.annex_html(%L)', :'l' || '-99')), 'P0002', 'an annex nobody holds: P0002');

SELECT * FROM finish();
ROLLBACK;
