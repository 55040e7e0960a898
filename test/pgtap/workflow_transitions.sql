-- The transition table (transitions.c, licensing.workflow_transitions()): the one
-- list of moves the guard, the step triggers, the step functions and
-- verify_history read.  What the workflow does agrees with it.
BEGIN;
SELECT plan(8);
\ir ../fixtures/signing.sql
SELECT test_pki.load_trust();
\ir ../fixtures/workflow.sql

SELECT wf_test.advance(wf_test.draft('scrap-metal', '160140001230', 'sko'), 'delivered');
SELECT wf_test.advance(wf_test.draft('scrap-metal', '160140001230', 'alm', 'office'), 'delivered');
SELECT wf_test.draft('eco-expertise', '901120405675', 'krg') AS w \gset
SELECT wf_test.portal('901120405675', format('SELECT licensing.withdraw(%s)', :w));

SELECT is((SELECT array_agg(DISTINCT e.what ORDER BY e.what) FROM licensing.application_event e
            WHERE e.what <> 'create'
              AND NOT EXISTS (SELECT FROM licensing.workflow_transitions() t
                               WHERE e.what = ANY (t.events)
                                 AND ((t.from_state = e.from_state AND t.to_state = e.to_state)
                                      OR (t.from_state = '*' AND e.from_state = e.to_state)))),
          NULL, 'every event of walked applications is a move or an event of the table where it stands');
SELECT is((SELECT count(*) FROM licensing.workflow_transitions() t
            WHERE t.step IS NOT NULL AND t.step NOT IN (SELECT ps.step FROM licensing.profile_step ps)), 0::bigint,
          'every step of the table is a step profiles may have');
SELECT is((SELECT array_agg(DISTINCT ps.step) FROM licensing.profile_step ps
            WHERE ps.step NOT IN (SELECT t.step FROM licensing.workflow_transitions() t WHERE t.step IS NOT NULL)),
          NULL, 'every step of every profile is a move of the table');
SELECT is((SELECT count(*) FROM licensing.workflow_transitions() t
            WHERE t.opens[1] IS NOT NULL
              AND licensing._step_for_state(t.to_state, '[]') IS DISTINCT FROM coalesce(t.opens[2], t.opens[1])),
          0::bigint, 'the step a state opens without optional steps pinned is the table''s');
SELECT is((SELECT count(*) FROM licensing.workflow_transitions() t
            WHERE t.opens[2] IS NOT NULL
              AND licensing._step_for_state(t.to_state, jsonb_build_array(jsonb_build_object('step', t.opens[1])))
                  IS DISTINCT FROM t.opens[1]),
          0::bigint, '... and with the optional step pinned, that step');
SELECT is((SELECT count(*) FROM licensing.workflow_transitions() t WHERE t.step IS NULL AND t.performer IS NULL),
          0::bigint, 'a move that is no profile step names who performs it');
SELECT ok(position('submitted -> withdrawn [style=dashed, label="applicant, from draft, submitted, registered, routed, assigned, in_review"]'
                   IN licensing.workflow_dot('almaty-2014')) > 0,
          'workflow_dot draws who withdraws, and from which states, from the table');
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko', 'office') AS a \gset
SELECT wf_test.advance(:a, 'submitted');
SELECT throws_ok(format($$SELECT licensing._step(%s, 'delivered')$$, :a),
    '55000', NULL, 'a move the table does not have (submitted to delivered) is refused');

SELECT * FROM finish();
ROLLBACK;
