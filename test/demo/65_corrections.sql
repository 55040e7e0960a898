-- Demo, part 6½: corrections (API §4.1, issue #14).  A head reassigns a sick
-- executor's application, declines to sign a decision and returns it; an
-- application whose target licence was suspended after its grant finds its
-- way on.
\set QUIET on
SET client_min_messages = warning;
SELECT set_config('test_pki.dir', :'pki', false) \gset
\ir ../fixtures/signing.sql
SELECT test_pki.load_trust() \gset
\ir ../fixtures/workflow.sql
SET client_min_messages = warning;
\ir ../pgtap/licence_fixture.psql
SET client_min_messages = warning;
\set SHOW_CONTEXT never

\echo
\echo '== 6½. Corrections: each by the position that would make it, each an event with its reason'
SELECT licensing.set_clock('2025-04-07 10:00+05') \gset
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko') AS c \gset
SELECT wf_test.advance(:c, 'assigned') \gset
\echo 'The executor falls ill; the head (who assigned) reassigns the application:'
SET ROLE wf_head;
SELECT licensing.reassign(:c, 'wf_exec2', 'Ахметов Е. на больничном / on sick leave') \gset
RESET ROLE;
SELECT number, state, executor, step, step_due_at AT TIME ZONE '+05' AS "step due (local)", due_on AS "term due"
  FROM licensing.application WHERE id = :c;
\echo 'The old executor can no longer act on it:'
SET ROLE wf_exec;
\set ON_ERROR_STOP off
SELECT licensing.confirm_complete(:c);
\set ON_ERROR_STOP on
RESET ROLE;
SELECT licensing.set_clock('2025-04-08 10:00+05') \gset
SET ROLE wf_exec2; SELECT licensing.confirm_complete(:c) \gset
SELECT licensing.grant(:c) \gset
RESET ROLE;
\echo 'The head declines to sign the grant and returns it to the executor; the number it carried is withdrawn for good:'
SELECT result_number AS withdrawn FROM licensing.application WHERE id = :c \gset
SET ROLE wf_head;
SELECT licensing.return_step(:c, 'Не указан адрес объекта / the site address is missing') \gset
RESET ROLE;
SELECT state, outcome, result_number, step, executor FROM licensing.application WHERE id = :c;
\echo 'The executor decides again (a new number), revises the details before signature, and the head signs:'
SET ROLE wf_exec2;
SELECT licensing.grant(:c) \gset
SELECT licensing.revise(:c, '{"reason": "адрес добавлен / site address added", "decision": {"annexes": [{"subtype": "Заготовка", "address": "Шымкент, ул. Байтурсынова 1"}]}}') \gset
RESET ROLE;
SELECT wf_test.advance(:c, 'delivered') \gset
SELECT :'withdrawn' AS "withdrawn number", result_number AS "issued number", state FROM licensing.application WHERE id = :c;
SELECT seq, what, from_state, to_state, actor_role, payload->>'correction_reason' AS reason
  FROM licensing.application_event WHERE application = :c AND seq > 5 ORDER BY seq;
SELECT licensing.verify_history(:c) AS "chain verifies";

\echo
\echo 'A re-issue granted, then its licence suspended by a court before the head signs:'
SELECT licensing.set_clock(NULL) \gset
SELECT lic_test.walk('scrap-metal', 'issue', '160140001230') AS i \gset
SELECT lic_test.licence_of(:i) AS l \gset
SELECT lic_test.walk('scrap-metal', 'reissue', '160140001230', '{}', :'l', '{"ground": "name_change"}', 'decided') AS r \gset
SET ROLE lic_head; SELECT licensing.suspend_licence(:'l', 'court_decision') \gset
RESET ROLE;
\echo 'Signing the grant is refused, and the error names the way on:'
\set ON_ERROR_STOP off
SELECT lic_test.sign(:r);
\set ON_ERROR_STOP on
\echo 'The executor refuses it with ground licence_status_changed; the head signs the refusal:'
SET ROLE lic_exec;
SELECT licensing.refuse(:r, 'licence_status_changed', 'Лицензияның қолданылуы тоқтатылды', 'Действие лицензии приостановлено') \gset
RESET ROLE;
SELECT lic_test.sign(:r) \gset
SELECT a.number, a.operation, a.state, a.outcome, a.ground, g.text_en, a.step AS "open step"
  FROM licensing.application a JOIN licensing.refusal_ground g ON g.code = a.ground WHERE a.id = :r;

\echo
\echo '== The catalogue: what each service requires (data a DBA changes), from the seeds'
SELECT service, operation, applicant_kind AS applicant, kind, paper_allowed AS paper, clause
  FROM licensing.required_document ORDER BY service, kind;
SELECT service, operation, code, text_en, clause FROM licensing.qualification_requirement ORDER BY service;
\echo 'A portal draft with only its charter: what it lacks, and confirm_complete refused naming it:'
SELECT licensing.set_clock('2025-04-14 10:00+05') \gset
SELECT wf_test.portal('160140001230', $$SELECT licensing.create_application('scrap-metal', 'issue', '160140001230', 'sko')$$) AS m \gset
SELECT wf_test.portal('160140001230', format($$SELECT licensing.attach_document(%s, 'charter', 'Устав'::bytea, 'charter.pdf')$$, :m)) \gset
SELECT licensing.missing_documents(:m) AS missing;
SELECT wf_test.advance(:m, 'assigned') \gset
SET ROLE wf_exec;
\set ON_ERROR_STOP off
SELECT licensing.confirm_complete(:m);
\set ON_ERROR_STOP on
\echo 'Within the completeness window (South Kazakhstan No 441 of 28.12.2015, §4) the executor refuses the incomplete set:'
SELECT licensing.refuse(:m, 'incomplete_documents', 'Біліктілік талаптарына сәйкестік туралы мәліметтер жоқ', 'Нет сведений о соответствии квалификационным требованиям') \gset
RESET ROLE;
SELECT number, state, outcome, ground FROM licensing.application WHERE id = :m;
