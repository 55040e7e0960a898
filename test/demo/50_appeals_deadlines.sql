-- Demo, part 4b: complaints (Almaty region No 161 of 13.05.2014, §11; Law "On state services" No. 88-V art. 25) and
-- deadlines that act (check_deadlines, run every minute by pg_cron in production).
\set QUIET on
SET client_min_messages = warning;

\echo
\echo '== 4b. Complaints and deadlines that act'
\echo 'The terms of complaints are data (working days from registration, Law No. 88-V art. 25):'
SELECT body, working_days, name_ru FROM licensing.complaint_term ORDER BY working_days;

-- the ecological expertise refused in review (part 4, C): its applicant complains on the portal
SELECT id AS c, number AS c_number FROM licensing.application
 WHERE service = 'eco-expertise' AND outcome = 'refused' ORDER BY id LIMIT 1 \gset
SELECT licensing.set_clock('2025-03-21 16:00+05') \gset
SET ROLE wf_portal;
BEGIN;
SELECT licensing.act_for('901120405675') \gset
SELECT licensing.lodge_complaint(:c, 'decision', 'Жоба III санат талаптарына сәйкес келеді, бас тарту негізсіз',
                                 'Проект соответствует требованиям III категории, отказ необоснован') AS k1 \gset
COMMIT;
RESET ROLE;
\echo
\echo 'The applicant complains on the portal about the refusal of' :c_number '(Fri 21 March: Nauryz, so registered on the next working day):'
SELECT number, against, addressed_to, channel, state, receipt_day AS "registered", working_days AS "days", due_on AS "due on"
  FROM licensing.complaint WHERE id = :k1;
\echo 'The executor may not decide it; the head of the provider rejects it, reasoned in both languages:'
SET ROLE wf_exec;
\set ON_ERROR_STOP 0
SELECT licensing.decide_complaint(:k1, 'upheld', 'себеп', 'причина');
\set ON_ERROR_STOP 1
RESET ROLE;
SELECT licensing.set_clock('2025-03-27 11:00+05') \gset
SET ROLE wf_head;
SELECT licensing.decide_complaint(:k1, 'rejected', 'Жоба III санаттағы объектілерге қойылатын талаптарға сәйкес келмейді; бас тарту заңды',
                                  'Проект не соответствует требованиям к объектам III категории; отказ законен') \gset
RESET ROLE;
-- the office lodges another, about inaction, to the quality-control body
SELECT id AS a FROM licensing.application WHERE service = 'scrap-metal' AND provider = 'sko' ORDER BY id LIMIT 1 \gset
SET ROLE wf_clerk;
SELECT licensing.lodge_complaint(:a, 'action', NULL, 'Лицензия выдана без пояснения условий', 'quality_control') \gset
RESET ROLE;
\echo
\echo 'The complaints report (for reporting tools; outcomes worded as an official reply words them):'
SELECT number, application_number AS "application", against_ru, addressed_to, due_on AS "due on",
       to_char(decided_at AT TIME ZONE INTERVAL '+05:00', 'DD Mon HH24:MI') AS decided, outcome_kk, outcome_ru, decided_late AS late
  FROM licensing.complaints ORDER BY complaint;
\echo 'Each complaint has its own hash-chained history:'
SELECT c.number, e.seq AS "#", e.what, coalesce(e.from_state || ' → ', '') || e.to_state AS "state", e.actor_role AS "by", e.actor_iin AS "IIN"
  FROM licensing.complaint_event e JOIN licensing.complaint c ON c.id = e.complaint ORDER BY e.complaint, e.seq;
SELECT licensing.verify_complaint_history() AS "every complaint's history verifies";

-- E: a new office application at South Kazakhstan, submitted Fri 14 March 10:00; register is due in 15 minutes
SELECT licensing.set_clock('2025-03-14 10:00+05') \gset
SET ROLE wf_clerk;
SELECT licensing.create_application('scrap-metal', 'issue', '160140001230', 'sko', channel => 'office') AS e \gset
RESET ROLE;
SET ROLE wf_gateway; SELECT licensing.record_payment(:e, 19820, 'KZ-PAY-0005') \gset
RESET ROLE;
SET ROLE wf_clerk; SELECT licensing.submit(:e) \gset
RESET ROLE;
\echo
\echo 'Deadlines that act.  In production pg_cron runs, every minute:'
\echo '  SELECT cron.schedule(''licensing-deadlines'', ''* * * * *'', ''SELECT licensing.check_deadlines()'');'
\echo 'Here the clock is pinned and the sweep called by hand; this session listens on licensing_deadlines.'
LISTEN licensing_deadlines;
SELECT licensing.set_clock('2025-03-14 10:05+05') \gset
SELECT '10:05' AS "clock", licensing.check_deadlines(licensing.clock()) AS "recorded (10 of 15 minutes left)";
SELECT licensing.set_clock('2025-03-14 10:12+05') \gset
SELECT '10:12' AS "clock", licensing.check_deadlines(licensing.clock()) AS "recorded (3 minutes left: due soon)";
SELECT '10:12' AS "clock", licensing.check_deadlines(licensing.clock()) AS "recorded (again: nothing new)";
SELECT licensing.set_clock('2025-03-14 10:20+05') \gset
SELECT '10:20' AS "clock", licensing.check_deadlines(licensing.clock()) AS "recorded (overdue)";
SELECT licensing.set_clock('2025-03-14 10:25+05') \gset
SET ROLE wf_clerk; SELECT licensing.register(:e) \gset
RESET ROLE;
\echo 'The deadline events stand in the application''s own chain (the late register still happens, and is a violation):'
SELECT e.seq AS "#", e.what, coalesce(e.from_state || ' → ', '') || e.to_state AS "state", e.actor_role AS "by",
       to_char(e.at AT TIME ZONE INTERVAL '+05:00', 'DD Mon HH24:MI') AS "at", e.payload->>'step' AS "step"
  FROM licensing.application_event e WHERE e.application = :e ORDER BY e.seq;
SELECT licensing.verify_history(:e) AS "its history verifies";
UNLISTEN licensing_deadlines;
SELECT licensing.set_clock(NULL) \gset
SET client_min_messages = notice;
