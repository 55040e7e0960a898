-- Complaints (issue #14, API §4.1; Almaty region No 161 of 13.05.2014, §11; Law "On state services" No. 88-V
-- art. 25): lodge and decide, each allowed and refused (nothing changed), the
-- term as data, the chain, the report, who sees what, and direct writes.
BEGIN;
SELECT plan(53);
\ir ../fixtures/signing.sql
SELECT test_pki.load_trust();
\ir ../fixtures/workflow.sql

-- the complaints and their chains, to show that a refused call changed nothing
CREATE FUNCTION wf_test.complaints_snapshot() RETURNS text LANGUAGE sql AS $$
    SELECT md5(COALESCE((SELECT string_agg(licensing._complaint_json(c)::text, ',' ORDER BY c.id) FROM licensing.complaint c), '')
               || COALESCE((SELECT string_agg(e.complaint || '.' || e.seq || e.what, ',' ORDER BY e.complaint, e.seq)
                              FROM licensing.complaint_event e), ''))
$$;

-- A (sko, portal) decided; B (sko) still registered; D a draft
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko') AS a \gset
SELECT wf_test.advance(:a, 'decided') IS NOT NULL AS decided;
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko', 'office') AS b \gset
SELECT wf_test.advance(:b, 'registered') IS NOT NULL AS registered;
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko') AS d \gset
SELECT wf_test.snapshot(:a) AS app_a \gset

-- ---- lodge: refused, nothing changed
SELECT wf_test.complaints_snapshot() AS c0 \gset
SELECT throws_ok(format($$SELECT wf_test.portal('901120405675', 'SELECT licensing.lodge_complaint(%s, ''decision'', NULL, ''Не согласен'')')$$, :a),
    'P0002', NULL, 'the portal acting for another applicant: as if there were no application');
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_exec', 'SELECT licensing.lodge_complaint(%s, ''decision'', NULL, ''Не согласен'')')$$, :a),
    '42501', NULL, 'an executor does not lodge complaints (the applicant or a clerk does)');
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_other', 'SELECT licensing.lodge_complaint(%s, ''decision'', NULL, ''Не согласен'')')$$, :a),
    'P0002', NULL, 'a clerk of another provider: as if there were no application');
SELECT throws_ok(format($$SELECT wf_test.portal('160140001230', 'SELECT licensing.lodge_complaint(%s, ''mood'', NULL, ''Не согласен'')')$$, :a),
    '22023', NULL, 'against is decision, action or inaction');
SELECT throws_ok(format($$SELECT wf_test.portal('160140001230', 'SELECT licensing.lodge_complaint(%s, ''decision'', '' '', NULL)')$$, :a),
    '22023', NULL, 'a complaint needs its text');
SELECT throws_ok(format($$SELECT wf_test.portal('160140001230', 'SELECT licensing.lodge_complaint(%s, ''decision'', NULL, repeat(''я'', 20001))')$$, :a),
    '54000', NULL, 'a text beyond 20000 characters is refused');
SELECT throws_ok(format($$SELECT wf_test.portal('160140001230', 'SELECT licensing.lodge_complaint(%s, ''decision'', NULL, ''x'', ''court'')')$$, :a),
    '22023', NULL, 'an unknown body is refused');
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_clerk', 'SELECT licensing.lodge_complaint(%s, ''decision'', NULL, ''Не согласен'')')$$, :b),
    '55000', NULL, 'no complaint against a decision before there is one');
SELECT throws_ok(format($$SELECT wf_test.portal('160140001230', 'SELECT licensing.lodge_complaint(%s, ''inaction'', NULL, ''Не согласен'')')$$, :d),
    '55000', NULL, 'a draft was never submitted: nothing of the provider to complain about');
SELECT is(wf_test.complaints_snapshot(), :'c0', 'the refused complaints changed nothing');
SELECT is((SELECT count(*) FROM licensing.complaint), 0::bigint, 'no complaint exists');

-- ---- lodge: the portal for its applicant (Mon 3 March 2025, after 18:00: registered Tue 4 March)
SELECT licensing.set_clock('2025-03-03 18:30+05');
SELECT wf_test.portal('160140001230', format($$SELECT licensing.lodge_complaint(%s, 'decision', 'Шешіммен келіспеймін', 'Не согласен с решением')$$, :a)) AS c1 \gset
SELECT is((SELECT state || ' ' || channel || ' ' || addressed_to || ' ' || receipt_day || ' ' || working_days || ' ' || due_on
             FROM licensing.complaint WHERE id = :c1),
    'lodged portal provider 2025-03-04 5 2025-03-12', 'lodged on the portal; registered on the next working day; due 5 working days later (art. 25; 10 March, for 8 March, is off)');
SELECT matches((SELECT number FROM licensing.complaint WHERE id = :c1), '^sko-C-2025-[0-9]{6}$', 'its own number: PROVIDER-C-YYYY-NNNNNN');
SELECT is((SELECT string_agg(what || ':' || COALESCE(from_state, '-') || '>' || to_state, ',' ORDER BY seq) FROM licensing.complaint_event WHERE complaint = :c1),
    'lodge:->lodged', 'its own chain opens with the lodge event');
SELECT is((SELECT actor_iin::text FROM licensing.complaint_event WHERE complaint = :c1), NULL, 'a company (BIN) applicant has no IIN in the chain');
SELECT is(wf_test.snapshot(:a), :'app_a', 'the application and its chain are untouched by the complaint');
SELECT ok(licensing.verify_complaint_history(:c1), 'verify_complaint_history: true');

-- ---- lodge: a clerk at the office on the applicant's behalf, about an inaction; and to the quality-control body
SELECT wf_test.as_role('wf_clerk', format($$SELECT licensing.lodge_complaint(%s, 'inaction', NULL, 'Заявление не рассматривается')$$, :b)) AS c2 \gset
SELECT is((SELECT channel || ' ' || against || ' ' || lodged_by FROM licensing.complaint WHERE id = :c2), 'office inaction wf_clerk',
    'a clerk lodges at the office');
SELECT wf_test.portal('160140001230', format($$SELECT licensing.lodge_complaint(%s, 'action', 'Әрекетке шағым', NULL, 'quality_control')$$, :a)) AS c3 \gset
SELECT is((SELECT working_days || ' ' || due_on FROM licensing.complaint WHERE id = :c3), '15 2025-03-31',
    'to the quality-control body: 15 working days (10 March and Nauryz, 21-25 March, off)');

-- ---- decide: refused, nothing changed
SELECT licensing.set_clock('2025-03-06 11:00+05');
SELECT wf_test.complaints_snapshot() AS c4 \gset
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_exec', 'SELECT licensing.decide_complaint(%s, ''upheld'', ''себеп'', ''причина'')')$$, :c1),
    '42501', NULL, 'an executor does not decide a complaint');
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_other', 'SELECT licensing.decide_complaint(%s, ''upheld'', ''себеп'', ''причина'')')$$, :c1),
    'P0002', NULL, 'the head of another provider: as if there were no complaint');
SELECT throws_ok(format($$SELECT wf_test.portal('160140001230', 'SELECT licensing.decide_complaint(%s, ''upheld'', ''себеп'', ''причина'')')$$, :c1),
    '42501', NULL, 'the applicant does not decide its own complaint');
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_admin', 'SELECT licensing.decide_complaint(%s, ''upheld'', ''себеп'', ''причина'')')$$, :c1),
    '42501', NULL, 'an admin does not decide a complaint to the provider');
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_head', 'SELECT licensing.decide_complaint(%s, ''maybe'', ''себеп'', ''причина'')')$$, :c1),
    '22023', NULL, 'the outcome is upheld or rejected');
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_head', 'SELECT licensing.decide_complaint(%s, ''upheld'', ''себеп'', NULL)')$$, :c1),
    '22023', NULL, 'the decision is reasoned in Russian too');
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_head', 'SELECT licensing.decide_complaint(%s, ''rejected'', '''', ''причина'')')$$, :c1),
    '22023', NULL, 'and in Kazakh');
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_head', 'SELECT licensing.decide_complaint(%s, ''upheld'', ''себеп'', ''причина'')')$$, :c3),
    '42501', NULL, 'the head of the provider does not decide a complaint to the quality-control body');
SELECT throws_ok($$SELECT wf_test.as_role('wf_head', 'SELECT licensing.decide_complaint(-1, ''upheld'', ''себеп'', ''причина'')')$$,
    'P0002', NULL, 'no such complaint');
SELECT is(wf_test.complaints_snapshot(), :'c4', 'the refused decisions changed nothing');

-- ---- decide: the head upholds (within the term); decided once
SELECT lives_ok(format($$SELECT wf_test.as_role('wf_head', 'SELECT licensing.decide_complaint(%s, ''upheld'', ''Шешім қайта қаралады'', ''Решение будет пересмотрено'')')$$, :c1),
    'the head of the provider upholds the complaint');
SELECT is((SELECT state || ' ' || decided_by || ' ' || reason_ru FROM licensing.complaint WHERE id = :c1),
    'upheld wf_head Решение будет пересмотрено', 'upheld, by the head, with its reasons');
SELECT is((SELECT string_agg(what || ':' || COALESCE(from_state, '-') || '>' || to_state, ',' ORDER BY seq) FROM licensing.complaint_event WHERE complaint = :c1),
    'lodge:->lodged,decide:lodged>upheld', 'the decision is the chain''s second event');
SELECT is((SELECT actor_iin::text FROM licensing.complaint_event WHERE complaint = :c1 AND seq = 2), '900101300811', 'with the head''s IIN');
SELECT wf_test.complaints_snapshot() AS c5 \gset
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_head', 'SELECT licensing.decide_complaint(%s, ''rejected'', ''себеп'', ''причина'')')$$, :c1),
    '55000', NULL, 'a complaint is decided once');
SELECT is(wf_test.complaints_snapshot(), :'c5', 'and the second decision changed nothing');

-- ---- decide: licensing_admin records the quality-control body's rejection; late
SELECT licensing.set_clock('2025-04-01 10:00+05');
SELECT lives_ok(format($$SELECT wf_test.as_role('wf_admin', 'SELECT licensing.decide_complaint(%s, ''rejected'', ''Бұзушылық анықталмады'', ''Нарушений не выявлено'')')$$, :c3),
    'licensing_admin records the quality-control body''s decision');

-- ---- the report
SELECT is((SELECT string_agg(number IS NOT NULL || ' ' || against_ru || ' ' || COALESCE(outcome, '-') || ' ' || COALESCE(outcome_ru, '-') || ' ' || decided_late || ' ' || overdue, '; ' ORDER BY complaint)
             FROM licensing.complaints),
    'true жалоба на решение upheld Жалоба удовлетворена false false; true жалоба на бездействие - - false true; true жалоба на действие rejected Жалоба оставлена без удовлетворения true false',
    'complaints: outcome in Russian as written there, decided late, open past its term');
SELECT is((SELECT outcome_kk FROM licensing.complaints WHERE complaint = :c3), 'Шағым қанағаттандырусыз қалдырылды', 'and in Kazakh');
SELECT is(wf_test.as_role('wf_reporter', 'SELECT count(*) FROM licensing.complaints'), '3', 'the reporter reads the report');
SELECT throws_ok($$SELECT wf_test.as_role('wf_reporter', 'SELECT count(*) FROM licensing.complaint')$$, '42501', NULL,
    'but not the complaints'' texts');
SELECT is(wf_test.portal('901120405675', 'SELECT count(*) FROM licensing.complaint'), '0', 'the portal acting for another applicant sees none');
SELECT is(wf_test.portal('160140001230', 'SELECT count(*) FROM licensing.complaint_event'), '5', 'the portal sees its applicant''s complaints'' chains');
SELECT is(wf_test.as_role('wf_unit_head', 'SELECT count(*) FROM licensing.complaints'), '0', 'staff of another provider see none in the report');

-- ---- the term is data: a DBA's norm applies to complaints lodged after it
SELECT lives_ok($$SELECT wf_test.as_role('wf_admin', 'UPDATE licensing.complaint_term SET working_days = 7 WHERE body = ''provider'' RETURNING 1')$$,
    'licensing_admin changes the provider''s norm');
SELECT is((SELECT working_days || ' ' || shipped FROM licensing.complaint_term WHERE body = 'provider'), '7 false', 'the changed row is the DBA''s (dumped)');
SELECT wf_test.as_role('wf_clerk', format($$SELECT licensing.lodge_complaint(%s, 'action', 'Шағым', NULL)$$, :b)) AS c6 \gset
SELECT is((SELECT working_days FROM licensing.complaint WHERE id = :c6) || ' ' || (SELECT working_days FROM licensing.complaint WHERE id = :c2), '7 5',
    'a new complaint has the new term; one lodged before keeps its own');

-- ---- direct writes: refused for every role; a change behind the triggers is found
SELECT throws_ok(format($$UPDATE licensing.complaint SET text_ru = 'другое' WHERE id = %s$$, :c2), '55000', NULL,
    'the superuser cannot change a complaint''s text');
SELECT throws_ok(format($$UPDATE licensing.complaint SET state = 'upheld', reason_kk = 'x', reason_ru = 'x', decided_at = now(), decided_by = 'x' WHERE id = %s$$, :c1),
    '55000', NULL, 'nor decide a decided one again');
SELECT throws_ok(format($$DELETE FROM licensing.complaint WHERE id = %s$$, :c2), '55000', NULL, 'nor delete a complaint');
SELECT throws_ok(format($$UPDATE licensing.complaint_event SET payload = '{}' WHERE complaint = %s$$, :c2), '55000', NULL,
    'nor change its history');
SELECT throws_ok($$SELECT wf_test.as_role('wf_head', 'UPDATE licensing.complaint SET state = ''rejected'' RETURNING 1')$$, '42501', NULL,
    'staff hold no write privilege on complaints');
SELECT ok(licensing.verify_complaint_history(), 'every complaint''s chain verifies');
SET LOCAL session_replication_role = replica;
UPDATE licensing.complaint SET due_on = due_on + 30 WHERE id = :c2;
SET LOCAL session_replication_role = origin;
SELECT ok(NOT licensing.verify_complaint_history(:c2) AND licensing.verify_complaint_history(:c1),
    'a term moved with triggers off fails verify_complaint_history (that complaint only)');

SELECT * FROM finish();
ROLLBACK;
