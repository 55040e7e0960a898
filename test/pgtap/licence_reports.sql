-- pgTAP: the reporting views of API §7 on applications walked with a pinned
-- clock, who sees which rows, and that one provider's report uses indexes.
BEGIN;
\ir licence_fixture.psql
SELECT plan(28);

-- Monday 3 March 2025, 10:00 in Kazakhstan: an application granted, signed,
-- delivered and surveyed, all within its norms.
SELECT licensing.set_clock('2025-03-03 10:00+05');
SELECT lic_test.walk('scrap-metal', 'issue', '160140001230', '{}') AS good \gset
SET LOCAL ROLE lic_clerk;
SELECT licensing.deliver(:good);
SET LOCAL ROLE lic_portal;
SELECT licensing.act_for('160140001230');
SELECT licensing.survey(:good, 3, 2);
RESET ROLE;

-- An application the office registers a day late (norm: 15 minutes).
SET LOCAL ROLE lic_clerk;
SELECT licensing.create_application('scrap-metal', 'issue', '170240007770', 'lic-south', '{}', 'office') AS late \gset
SET LOCAL ROLE lic_gateway;
SELECT licensing.record_payment(:late, 19820, 'lic-rep-late') AS payment \gset
SET LOCAL ROLE lic_clerk;
SELECT accepted AS late_accepted FROM licensing.submit(:late) \gset
RESET ROLE;
SELECT licensing.set_clock('2025-03-04 10:00+05');
SET LOCAL ROLE lic_clerk;
SELECT licensing.register(:late);
RESET ROLE;

-- Refused by the executor, and an intake refusal for want of payment.
SELECT lic_test.walk('scrap-metal', 'issue', '170240007770', '{}', NULL, '{}', 'in_review') AS refused \gset
SET LOCAL ROLE lic_exec;
SELECT licensing.refuse(:refused, 'qualification_requirements', 'Талаптарға сәйкес емес', 'Не соответствует требованиям');
SET LOCAL ROLE lic_clerk;
SELECT licensing.create_application('scrap-metal', 'issue', '180340009990', 'lic-south', '{}', 'office') AS unpaid \gset
SELECT ground AS unpaid_ground FROM licensing.submit(:unpaid) \gset
RESET ROLE;

-- Two days on, the late application's next step (assign, 2 hours) is still open.
SELECT licensing.set_clock('2025-03-06 10:00+05');

-- ---- overdue_steps -----------------------------------------------------------------------
SET LOCAL ROLE lic_reporter;
SELECT results_eq(format('SELECT step, open FROM licensing.overdue_steps WHERE application = %s ORDER BY step', :late),
                  $$VALUES ('assign'::text, true), ('register', false)$$,
                  'overdue_steps: the register step closed late and the assign step open past due');
SELECT is((SELECT count(*) FROM licensing.overdue_steps WHERE application = :good), 0::bigint,
          'overdue_steps: nothing of the application handled in time');
SELECT ok((SELECT overdue_by > interval '23 hours' FROM licensing.overdue_steps WHERE application = :late AND step = 'register'),
          'overdue_steps: by how much');

-- ---- term_compliance ---------------------------------------------------------------------
RESET ROLE;
SELECT results_eq($$SELECT steps, late, share_within_norm FROM licensing.term_compliance
                     WHERE provider = 'lic-south' AND service = 'scrap-metal' AND step = 'register'$$,
                  $$SELECT count(*), count(*) FILTER (WHERE s.finished_at > s.due_at),
                           round(avg(CASE WHEN s.finished_at <= s.due_at THEN 1 ELSE 0 END), 4)
                      FROM licensing.application_step s JOIN licensing.application a ON a.id = s.application
                     WHERE a.provider = 'lic-south' AND a.service = 'scrap-metal' AND s.step = 'register' AND s.finished_at IS NOT NULL$$,
                  'term_compliance: count, late and share within the norm of the register step');
SET LOCAL ROLE lic_reporter;
SELECT ok((SELECT share_within_norm < 1 AND late = 1 FROM licensing.term_compliance
            WHERE provider = 'lic-south' AND service = 'scrap-metal' AND step = 'register'),
          'term_compliance: the late registration lowers the share');
SELECT ok((SELECT median_time = interval '0' AND p90_time > median_time FROM licensing.term_compliance
            WHERE provider = 'lic-south' AND service = 'scrap-metal' AND step = 'register'),
          'term_compliance: median and 90th percentile of the time taken');

-- ---- service_quality ---------------------------------------------------------------------
SELECT results_eq($$SELECT answers, process_satisfied, process_not_satisfied, information_partially
                      FROM licensing.service_quality WHERE provider = 'lic-south' AND service = 'scrap-metal'$$,
                  $$VALUES (1::bigint, 1.0000, 0.0000, 1.0000)$$,
                  'service_quality: survey shares');

-- ---- refusals ---------------------------------------------------------------------------
SELECT results_eq($$SELECT ground, intake, month, refusals FROM licensing.refusals WHERE provider = 'lic-south' ORDER BY ground$$,
                  $$VALUES ('no_payment'::text, true, '2025-03-01'::date, 1::bigint),
                           ('qualification_requirements', false, '2025-03-01', 1)$$,
                  'refusals: the provider''s decision and the intake refusal, per ground and month');

-- ---- application_history: who sees what ---------------------------------------------------
RESET ROLE;
SELECT count(*) AS south_apps FROM licensing.application WHERE provider = 'lic-south' \gset
SET LOCAL ROLE lic_admin;
SELECT is((SELECT count(*) FROM licensing.application_history WHERE provider = 'lic-south'), :south_apps::bigint,
          'an admin sees every application (the reporter none: security_privacy.sql)');
RESET ROLE;
SELECT ok((SELECT delivered_late = false AND state = 'delivered' FROM licensing.application_history WHERE application = :good),
          'application_history: the delivered application, in time');
SET LOCAL ROLE lic_clerk;
SELECT is((SELECT count(*) FROM licensing.application_history), :south_apps::bigint, 'staff see their provider''s applications');
SELECT is((SELECT count(*) FROM licensing.overdue_steps WHERE provider <> 'lic-south'), 0::bigint, 'and only their provider''s steps');
SET LOCAL ROLE lic_west_head;
SELECT is((SELECT count(*) FROM licensing.application_history WHERE provider = 'lic-south'), 0::bigint,
          'staff of another provider see none of them');
SELECT is((SELECT count(*) FROM licensing.term_compliance WHERE provider = 'lic-south'), 0::bigint,
          'nor their term compliance');
SELECT is((SELECT count(*) FROM licensing.refusals WHERE provider = 'lic-south'), 0::bigint, 'nor their refusals');
SET LOCAL ROLE lic_portal;
SELECT licensing.act_for('160140001230');
SELECT results_eq('SELECT DISTINCT applicant FROM licensing.application_history', $$VALUES ('160140001230'::text)$$,
                  'the portal sees the applications of the applicant it acts for');
SELECT is((SELECT count(*) FROM licensing.application_history WHERE application = :refused), 0::bigint, 'and not another''s');
SELECT licensing.act_for(NULL);
SELECT is((SELECT count(*) FROM licensing.application_history), 0::bigint, 'the portal acting for nobody sees nothing');
RESET ROLE;
SELECT is(lic_test.state_of('lic_nobody', 'SELECT count(*) FROM licensing.term_compliance'), '42501',
          'a role outside the groups cannot read the reports');
SELECT is(lic_test.state_of('lic_gateway', 'SELECT count(*) FROM licensing.application_history'), '42501',
          'nor can the payment gateway');

-- ---- documents follow the same scope ------------------------------------------------------
SELECT lic_test.licence_of(:good) AS lic \gset
SELECT is(lic_test.state_of('lic_west_head', format('SELECT licensing.licence_document(%L)', :'lic')), '42501',
          'staff of another provider may not read the signed document');
SELECT is(lic_test.state_of('lic_reporter', format('SELECT licensing.licence_document(%L)', :'lic')), '42501',
          'nor may a reporter (it names individuals)');
SELECT is(lic_test.state_of('lic_west_head', format('SELECT licensing.licence_html(%L)', :'lic')), NULL,
          'any staff member may print the public form');
SELECT is(lic_test.state_of('lic_west_head', format('SELECT licensing.refusal_html(%s)', :refused)), 'P0002',
          'staff of another provider may not read a refusal: it does not exist for them');
SET LOCAL ROLE lic_portal;
SELECT licensing.act_for('160140001230');
SELECT is((licensing.licence_document(:'lic'))->>'number', :'lic'::text, 'the portal reads the signed licence of the holder it acts for');
SELECT throws_ok(format('SELECT licensing.refusal_html(%s)', :refused), 'P0002', NULL, 'but not another applicant''s refusal (it does not exist for it)');
SELECT licensing.act_for('170240007770');
SELECT ok(licensing.refusal_html(:refused) LIKE '%МОТИВИРОВАННЫЙ ОТКАЗ%', 'the refused applicant reads its reasoned refusal');
SELECT throws_ok(format('SELECT licensing.licence_document(%L)', :'lic'), '42501', NULL, 'and not someone else''s licence document');
SELECT licensing.act_for(NULL);
RESET ROLE;

SELECT licensing.set_clock(NULL);
SELECT * FROM finish();
ROLLBACK;
