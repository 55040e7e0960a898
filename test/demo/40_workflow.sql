-- Demo, part 4: applications and the workflow (API §4).  Four applications of both
-- services through both channels and three regional profiles, with intake
-- refusals, a reasoned refusal, a late step, their timelines and their history.
\set QUIET on
SET client_min_messages = warning;
SELECT set_config('test_pki.dir', :'pki', false) \gset
\ir ../fixtures/signing.sql
SELECT test_pki.load_trust() \gset
\ir ../fixtures/workflow.sql
SET client_min_messages = warning;

\echo
\echo '== 4. Applications and the workflow'
\echo 'Regulation profiles shipped as data (each step: who performs it, its norm, its anchor, its seed clause):'
SELECT profile, position AS "#", step, performer AS "performed by",
       coalesce(norm, 'term end') || coalesce(' (paper: ' || paper_norm || ')', '') AS norm, anchor, seed_clause AS "seed"
  FROM licensing.profile_step ORDER BY profile DESC, position;

-- A: scrap-metal on the portal, South Kazakhstan (Mon 3 March 2025, 10:00 local time)
SELECT licensing.set_clock('2025-03-03 10:00+05') \gset
-- the portal names its applicant in each transaction (act_for lasts until its end)
SET ROLE wf_portal;
BEGIN;
SELECT licensing.act_for('160140001230') \gset
SELECT licensing.create_application('scrap-metal', 'issue', '160140001230', 'sko') AS a \gset
SELECT licensing.attach_document(:a, 'charter', 'Устав ТОО «Металл-Сервис»', 'charter.pdf') \gset
SELECT licensing.attach_document(:a, 'qualification_documents', 'Сведения о соответствии квалификационным требованиям', 'qualification.pdf') \gset
COMMIT;
RESET ROLE;
\echo
\echo 'A company applies on the portal for a scrap-metal licence and signs before paying:'
SELECT test_pki.sign(licensing.signing_payload(:a), 'company') AS sig \gset
SET ROLE wf_portal;
BEGIN;
SELECT licensing.act_for('160140001230') \gset
SELECT accepted, number, ground, reason, message_ru, message_en FROM licensing.submit(:a, :'sig');
COMMIT;
RESET ROLE;
SET ROLE wf_gateway;
SELECT licensing.record_payment(:a, 19820, 'KZ-PAY-0001') \gset
RESET ROLE;
\echo 'The gateway reports the fee; the draft, signed again, is accepted with a number:'
SELECT test_pki.sign(licensing.signing_payload(:a), 'company') AS sig \gset
SET ROLE wf_portal;
BEGIN;
SELECT licensing.act_for('160140001230') \gset
SELECT accepted, number FROM licensing.submit(:a, :'sig');
COMMIT;
RESET ROLE;
SELECT licensing.set_clock('2025-03-03 10:10+05') \gset
SET ROLE wf_clerk;  SELECT licensing.register(:a) \gset
RESET ROLE; SELECT licensing.set_clock('2025-03-03 11:30+05') \gset
SET ROLE wf_head;   SELECT licensing.assign(:a, 'wf_exec') \gset
RESET ROLE; SELECT licensing.set_clock('2025-03-04 10:00+05') \gset
SET ROLE wf_exec;   SELECT licensing.confirm_complete(:a) \gset
RESET ROLE; SELECT licensing.set_clock('2025-03-05 12:00+05') \gset
SET ROLE wf_exec;
SELECT licensing.grant(:a) \gset
RESET ROLE;
-- the head signs at 16:30: two working hours from 12:00 (lunch 13–14) ended at 15:00
SELECT licensing.set_clock('2025-03-05 16:30+05') \gset
SELECT test_pki.sign(licensing.decision_payload(:a), 'head') AS dsig \gset
SET ROLE wf_head;   SELECT licensing.sign_decision(:a, :'dsig') \gset
RESET ROLE; SELECT licensing.set_clock('2025-03-05 16:40+05') \gset
SET ROLE wf_clerk;  SELECT licensing.deliver(:a) \gset
RESET ROLE;
SET ROLE wf_portal; BEGIN; SELECT licensing.act_for('160140001230') \gset
SELECT licensing.survey(:a, 3, 2) \gset
COMMIT;
RESET ROLE;

-- B: scrap-metal at the office, Almaty region, by a representative with a notarised power of attorney
SELECT licensing.set_clock('2025-03-03 15:00+05') \gset
SET ROLE wf_clerk;
SELECT licensing.create_application('scrap-metal', 'issue', '160140001230', 'alm', channel => 'office',
       representative => '850625300123', attorney_number => 'PoA-2025-1') AS b \gset
SELECT licensing.attach_document(:b, 'charter', 'Устав (скан бумажного оригинала)', 'charter-scan.pdf', paper_original => true) \gset
SELECT licensing.attach_document(:b, 'qualification_documents', 'Сведения (скан бумажного оригинала)', 'qualification-scan.pdf', paper_original => true) \gset
RESET ROLE;
SET ROLE wf_gateway; SELECT licensing.record_payment(:b, 19820, 'KZ-PAY-0002') \gset
RESET ROLE;
SET ROLE wf_clerk;
SELECT licensing.submit(:b) \gset
RESET ROLE; SELECT licensing.set_clock('2025-03-03 15:40+05') \gset
SET ROLE wf_clerk;
SELECT licensing.register(:b) \gset
RESET ROLE; SELECT licensing.set_clock('2025-03-03 16:20+05') \gset
SET ROLE wf_head;      SELECT licensing.route(:b, 'Отдел лицензирования') \gset
RESET ROLE; SELECT licensing.set_clock('2025-03-04 09:30+05') \gset
SET ROLE wf_unit_head; SELECT licensing.assign(:b, 'wf_exec') \gset
RESET ROLE; SELECT licensing.set_clock('2025-03-06 11:00+05') \gset
SET ROLE wf_exec;      SELECT licensing.confirm_complete(:b) \gset
RESET ROLE; SELECT licensing.set_clock('2025-03-11 11:00+05') \gset
SET ROLE wf_exec;
SELECT licensing.grant(:b) \gset
RESET ROLE; SELECT licensing.set_clock('2025-03-11 11:45+05') \gset
SET ROLE wf_unit_head; SELECT licensing.approve(:b) \gset
RESET ROLE;
SELECT licensing.set_clock('2025-03-11 12:15+05') \gset
SELECT test_pki.sign(licensing.decision_payload(:b), 'head') AS dsig \gset
SET ROLE wf_head;      SELECT licensing.sign_decision(:b, :'dsig') \gset
RESET ROLE; SELECT licensing.set_clock('2025-03-11 12:30+05') \gset
SET ROLE wf_clerk;     SELECT licensing.deliver(:b, on_paper => true) \gset
RESET ROLE;

-- C: ecological expertise on the portal, Karaganda region, refused in review
SELECT licensing.set_clock('2025-03-07 19:30+05') \gset
SET ROLE wf_portal;
BEGIN;
SELECT licensing.act_for('901120405675') \gset
SELECT licensing.create_application('eco-expertise', 'issue', '901120405675', 'krg',
    '{"object": {"name": "АЗС", "address": "Қарағанды қ., Бұқар жырау д-лы, 120", "category": "III"}}') AS c \gset
SELECT licensing.attach_document(:c, 'expertise_materials', 'Проект АЗС', 'project.pdf') \gset
COMMIT;
RESET ROLE;
SELECT test_pki.sign(licensing.signing_payload(:c), 'person') AS sig \gset
SET ROLE wf_portal; BEGIN; SELECT licensing.act_for('901120405675') \gset
SELECT licensing.submit(:c, :'sig') \gset
COMMIT;
RESET ROLE;
SELECT licensing.set_clock('2025-03-11 09:20+05') \gset
SET ROLE wf_clerk; SELECT licensing.register(:c) \gset
SET ROLE wf_head;  SELECT licensing.assign(:c, 'wf_exec') \gset
RESET ROLE; SELECT licensing.set_clock('2025-03-12 10:00+05') \gset
SET ROLE wf_exec;  SELECT licensing.confirm_complete(:c) \gset
RESET ROLE; SELECT licensing.set_clock('2025-03-20 10:00+05') \gset
SET ROLE wf_exec;
SELECT licensing.refuse(:c, 'qualification_requirements', 'Жоба санат талаптарына сәйкес келмейді',
                        'Проект не соответствует требованиям для объектов III категории') \gset
RESET ROLE;
SELECT licensing.set_clock('2025-03-20 11:00+05') \gset
SELECT test_pki.sign(licensing.decision_payload(:c), 'head') AS dsig \gset
SET ROLE wf_head;  SELECT licensing.sign_decision(:c, :'dsig') \gset
SET ROLE wf_clerk; SELECT licensing.deliver(:c) \gset
RESET ROLE;
\echo
\echo 'The reasoned refusal as printed: its ground and legal basis, the Karaganda resolution the'
\echo 'profile follows, cited by its date and number on each language''s page (refusal_html):'
SELECT regexp_replace(l, '<[^>]+>', '', 'g') AS "refusal, printed"
  FROM regexp_split_to_table(licensing.refusal_html(:c), '(?=<p)') l
 WHERE l ~ '^<p>(Бас тарту негізі|Основание отказа)';

-- D: ecological expertise at the office for someone the person registry does not know
SELECT licensing.set_clock('2025-03-12 10:00+05') \gset
SET ROLE wf_clerk;
SELECT licensing.create_application('eco-expertise', 'issue', '990101401008', 'krg',
    '{"object": {"name": "Автомойка", "address": "Теміртау қ., Республика д-лы, 5", "category": "IV"}}', channel => 'office') AS d \gset
\echo
\echo 'At the office, the clerk submits for an individual missing from the person registry:'
SELECT accepted, number, ground, reason, message_kk, message_ru FROM licensing.submit(:d);
RESET ROLE;
SELECT licensing.set_clock(NULL) \gset

\echo
\echo 'The applications (numbers carry provider and year; terms from the receipt day, API §2):'
SELECT number, service, channel, profile, state, outcome, ground,
       to_char(submitted_at AT TIME ZONE INTERVAL '+05:00', 'Dy DD Mon HH24:MI') AS "submitted (UTC+5)",
       receipt_day AS "receipt day", due_on AS "due on", result_number AS "licence / conclusion"
  FROM licensing.application WHERE id IN (:a, :b, :c, :d) ORDER BY id;

\echo
\echo 'Timelines: every step with its due moment from the norm; a step finished after it is a violation of the term'
\echo '(recorded, never a reason to refuse the applicant).  Times are UTC+5.'
SELECT a.number, s.step, s.performer_position AS "position", s.performer,
       to_char(s.started_at AT TIME ZONE INTERVAL '+05:00', 'DD Mon HH24:MI') AS started,
       to_char(s.due_at AT TIME ZONE INTERVAL '+05:00', 'DD Mon HH24:MI') AS due,
       to_char(s.finished_at AT TIME ZONE INTERVAL '+05:00', 'DD Mon HH24:MI') AS finished,
       CASE WHEN s.violation THEN 'LATE by ' || to_char(s.finished_at - s.due_at, 'HH24:MI') ELSE '' END AS "term"
  FROM licensing.application_step s JOIN licensing.application a ON a.id = s.application
 WHERE a.id IN (:a, :b, :c) ORDER BY a.id, s.position;

\echo
\echo 'The hash-chained history of the first application (who, what, when; SHA-256 over the previous event):'
SELECT e.seq AS "#", e.what, coalesce(e.from_state || ' → ', '') || e.to_state AS "state", e.actor_role AS "by",
       e.actor_iin AS "IIN", to_char(e.at AT TIME ZONE INTERVAL '+05:00', 'DD Mon HH24:MI') AS "at",
       coalesce(e.payload->>'ground', e.payload->>'number', e.payload->>'executor', e.payload->>'reference', '') AS detail
  FROM licensing.application_event e WHERE e.application = :a ORDER BY e.seq;
SELECT licensing.verify_history() AS "every application's history verifies";

\echo
\echo 'The table guards itself, for every role.  A superuser''s stray UPDATE skipping steps:'
DO $$
DECLARE m text; c text;
BEGIN
    UPDATE licensing.application SET state = 'decided', outcome = 'granted' WHERE state = 'draft';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS m = MESSAGE_TEXT, c = RETURNED_SQLSTATE;
    RAISE WARNING 'refused (%): %', c, m;
END $$;
\echo 'and a clerk of another region trying to see South Kazakhstan''s applications sees none:'
SET ROLE wf_other;
SELECT count(*) AS "applications visible to wf_other (staff of alm only)",
       count(*) FILTER (WHERE provider = 'sko') AS "of them from sko"
  FROM licensing.application;
RESET ROLE;

DROP SCHEMA wf_test CASCADE;
SET client_min_messages = notice;
