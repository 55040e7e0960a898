-- Corrections (API §4.1, issue #14): reassign, return_step (the unit head at
-- approve, the head declining to sign), revise.  Each correction once allowed
-- and once refused, and a refused one changes nothing.
BEGIN;
SELECT plan(52);
\ir ../fixtures/signing.sql
SELECT test_pki.load_trust();
\ir ../fixtures/workflow.sql

CREATE FUNCTION pg_temp.run(r name, q text) RETURNS text LANGUAGE sql AS $$ SELECT wf_test.as_role(r, q) $$;

-- ================================================================ reassign (head)
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko') AS a \gset
SELECT wf_test.advance(:a, 'assigned') IS NOT NULL AS assigned;
SELECT step_due_at AS due0, term_end_at AS term0 FROM licensing.application WHERE id = :a \gset
SELECT wf_test.snapshot(:a) AS s0 \gset
SELECT throws_ok(format($$SELECT pg_temp.run('wf_exec', 'SELECT licensing.reassign(%s, ''wf_exec2'', ''ill'')')$$, :a),
    '42501', NULL, 'reassign: the executor cannot hand its work on (the head reassigns)');
SELECT throws_ok(format($$SELECT pg_temp.run('wf_clerk', 'SELECT licensing.reassign(%s, ''wf_exec2'', ''ill'')')$$, :a),
    '42501', NULL, 'reassign: a clerk cannot');
SELECT throws_ok(format($$SELECT pg_temp.run('wf_head', 'SELECT licensing.reassign(%s, ''wf_clerk'', ''ill'')')$$, :a),
    '22023', NULL, 'reassign: the new executor must be an executor of the provider');
SELECT throws_ok(format($$SELECT pg_temp.run('wf_head', 'SELECT licensing.reassign(%s, ''wf_exec2'', NULL)')$$, :a),
    '22023', 'reassign of application ' || :a || ' needs its reason', 'reassign: needs its reason');
SELECT throws_ok(format($$SELECT pg_temp.run('wf_head', 'SELECT licensing.reassign(%s, ''wf_exec2'', repeat(''x'', 4001))')$$, :a),
    '22001', NULL, 'reassign: a reason is bounded');
SELECT throws_ok(format($$SELECT pg_temp.run('wf_head', 'SELECT licensing.reassign(%s, ''wf_exec'', ''same'')')$$, :a),
    '55000', 'application ' || :a || ' is already assigned to wf_exec', 'reassign: to the same executor is refused');
SELECT throws_ok(format($$SELECT pg_temp.run('wf_other', 'SELECT licensing.reassign(%s, ''wf_exec2'', ''ill'')')$$, :a),
    'P0002', NULL, 'reassign: staff of another provider do not see the application');
SELECT is(wf_test.snapshot(:a), :'s0', 'reassign: the refused reassignments changed nothing');
SELECT lives_ok(format($$SELECT pg_temp.run('wf_head', 'SELECT licensing.reassign(%s, ''wf_exec2'', ''wf_exec is on sick leave'')')$$, :a),
    'reassign: the head replaces the executor of an assigned application');
SELECT is((SELECT executor::text || ' ' || state || ' ' || correction_reason FROM licensing.application WHERE id = :a),
    'wf_exec2 assigned wf_exec is on sick leave', 'reassign: the new executor, the state kept, the reason on the row');
SELECT is((SELECT what || ' ' || actor_role || ' ' || (payload->>'correction_reason') FROM licensing.application_event
            WHERE application = :a ORDER BY seq DESC LIMIT 1),
    'reassign wf_head wf_exec is on sick leave', 'reassign: an event of the chain, with the head and the reason');
SELECT is((SELECT step_due_at = :'due0' AND term_end_at = :'term0' AND step = 'confirm_complete'
             FROM licensing.application WHERE id = :a), true,
    'reassign: the open step keeps its due moment and the term keeps running');
SELECT throws_ok(format($$SELECT pg_temp.run('wf_exec', 'SELECT licensing.confirm_complete(%s)')$$, :a),
    '42501', NULL, 'reassign: the old executor can no longer act');
SELECT lives_ok(format($$SELECT pg_temp.run('wf_exec2', 'SELECT licensing.confirm_complete(%s)')$$, :a),
    'reassign: the new executor confirms completeness');
SELECT lives_ok(format($$SELECT pg_temp.run('wf_head', 'SELECT licensing.reassign(%s, ''wf_exec'', ''back from leave'')')$$, :a),
    'reassign: in review too');
SELECT lives_ok(format($$SELECT pg_temp.run('wf_exec', 'SELECT licensing.grant(%s)')$$, :a), 'the executor grants');
SELECT wf_test.snapshot(:a) AS s1 \gset
SELECT throws_ok(format($$SELECT pg_temp.run('wf_head', 'SELECT licensing.reassign(%s, ''wf_exec2'', ''late'')')$$, :a),
    '55000', 'application ' || :a || ' is decided: reassign is not possible there', 'reassign: not after the decision');
SELECT is(wf_test.snapshot(:a), :'s1', 'reassign: the refused reassignment of a decision changed nothing');

-- ================================================================ return_step: the head declines to sign
SELECT result_number AS num0 FROM licensing.application WHERE id = :a \gset
SELECT throws_ok(format($$SELECT pg_temp.run('wf_exec', 'SELECT licensing.return_step(%s, ''why'')')$$, :a),
    '42501', NULL, 'return_step: the executor does not return its own decision');
SELECT throws_ok(format($$SELECT pg_temp.run('wf_clerk', 'SELECT licensing.return_step(%s, ''why'')')$$, :a),
    '42501', NULL, 'return_step: a clerk cannot');
SELECT throws_ok(format($$SELECT pg_temp.run('wf_head', 'SELECT licensing.return_step(%s, '' '')')$$, :a),
    '22023', NULL, 'return_step: a blank reason is no reason');
SELECT is(wf_test.snapshot(:a), :'s1', 'return_step: the refused returns changed nothing');
SELECT lives_ok(format($$SELECT pg_temp.run('wf_head', 'SELECT licensing.return_step(%s, ''Annex address is missing'')')$$, :a),
    'return_step: the head declines to sign and returns the decision');
SELECT is((SELECT state || ' ' || COALESCE(outcome, '-') || ' ' || COALESCE(result_number, '-') || ' ' || step || ' ' || executor
             FROM licensing.application WHERE id = :a),
    'in_review - - decide wf_exec', 'return_step: back in review with the executor, the decision withdrawn');
SELECT is((SELECT what || ' ' || from_state || ' ' || to_state || ' ' || step || ' ' || (payload->>'correction_reason')
             FROM licensing.application_event WHERE application = :a ORDER BY seq DESC LIMIT 1),
    'return_step decided in_review sign_decision Annex address is missing',
    'return_step: the event closes the signing step and carries the reason');
SELECT is((SELECT term_end_at = :'term0' FROM licensing.application WHERE id = :a), true, 'return_step: the term keeps running');
SELECT throws_ok(format($$SELECT pg_temp.run('wf_head', 'SELECT licensing.return_step(%s, ''again'')')$$, :a),
    '55000', NULL, 'return_step: nothing to return in review');
SELECT lives_ok(format($$SELECT pg_temp.run('wf_exec', 'SELECT licensing.grant(%s)')$$, :a), 'the executor decides again');
SELECT isnt((SELECT result_number FROM licensing.application WHERE id = :a), :'num0',
    'return_step: the withdrawn number is never given again');
SELECT is(wf_test.advance(:a, 'delivered'), 'delivered', 'the corrected application is signed and delivered');
SELECT is((SELECT count(*) FROM licensing.licence WHERE number = :'num0'), 0::bigint, 'no licence carries the withdrawn number');
SELECT ok(licensing.verify_history(:a), 'the chain with its corrections verifies');

-- ================================================================ return_step at approve (unit head), then the head
SELECT wf_test.draft('scrap-metal', '160140001230', 'alm') AS b \gset
SELECT wf_test.advance(:b, 'decided') IS NOT NULL AS decided;
SELECT wf_test.snapshot(:b) AS s2 \gset
SELECT throws_ok(format($$SELECT pg_temp.run('wf_head', 'SELECT licensing.return_step(%s, ''why'')')$$, :b),
    '42501', NULL, 'return_step: at approve the unit head returns, not the head');
SELECT is(wf_test.snapshot(:b), :'s2', 'return_step: the refused return changed nothing');
SELECT lives_ok(format($$SELECT pg_temp.run('wf_unit_head', 'SELECT licensing.return_step(%s, ''Қате / Ошибка в приложении'')')$$, :b),
    'return_step: the unit head returns a draft decision');
SELECT is((SELECT state FROM licensing.application WHERE id = :b), 'in_review', 'return_step: in review again');
SELECT wf_test.advance(:b, 'approved') IS NOT NULL AS approved;
SELECT throws_ok(format($$SELECT pg_temp.run('wf_unit_head', 'SELECT licensing.return_step(%s, ''why'')')$$, :b),
    '42501', NULL, 'return_step: an approved decision is returned by the head who would sign it');
SELECT lives_ok(format($$SELECT pg_temp.run('wf_head', 'SELECT licensing.return_step(%s, ''I do not sign this'')')$$, :b),
    'return_step: the head declines to sign an approved decision');
SELECT ok(licensing.verify_history(:b), 'its chain verifies');

-- ================================================================ revise (executor, before approval or signature)
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko') AS c \gset
SELECT wf_test.advance(:c, 'in_review') IS NOT NULL AS in_review;
SELECT pg_temp.run('wf_exec', format('SELECT licensing.refuse(%s, ''qualification_requirements'', ''себеп'', ''причина'')', :c));
SELECT licensing.decision_payload(:c) AS p0 \gset
SELECT wf_test.snapshot(:c) AS s3 \gset
SELECT throws_ok(format($$SELECT pg_temp.run('wf_head', 'SELECT licensing.revise(%s, ''{"reason": "x", "reason_ru": "y"}'')')$$, :c),
    '42501', NULL, 'revise: the executor revises, not the head');
SELECT throws_ok(format($$SELECT pg_temp.run('wf_exec', 'SELECT licensing.revise(%s, ''{"reason": "x", "outcome": "granted"}'')')$$, :c),
    '22023', NULL, 'revise: the outcome is not revised (return it and decide again)');
SELECT throws_ok(format($$SELECT pg_temp.run('wf_exec', 'SELECT licensing.revise(%s, ''{"reason_ru": "y"}'')')$$, :c),
    '22023', NULL, 'revise: needs its reason');
SELECT throws_ok(format($$SELECT pg_temp.run('wf_exec', 'SELECT licensing.revise(%s, ''{"reason": "x", "reason_ru": "причина"}'')')$$, :c),
    '22023', NULL, 'revise: a revision that changes nothing is refused');
SELECT throws_ok(format($$SELECT pg_temp.run('wf_exec', 'SELECT licensing.revise(%s, ''{"reason": "x", "decision": {}}'')')$$, :c),
    '22023', NULL, 'revise: a refusal takes no grant details');
SELECT is(wf_test.snapshot(:c), :'s3', 'revise: the refused revisions changed nothing');
SELECT lives_ok(format($$SELECT pg_temp.run('wf_exec', 'SELECT licensing.revise(%s, ''{"reason": "the base is leased, not owned", "reason_ru": "Производственная база арендована"}'')')$$, :c),
    'revise: the executor changes the reasons of a refusal not yet signed');
SELECT is((SELECT reason_ru || ' / ' || (SELECT what FROM licensing.application_event WHERE application = :c ORDER BY seq DESC LIMIT 1)
             FROM licensing.application WHERE id = :c),
    'Производственная база арендована / revise', 'revise: the decision changed, recorded as revise');
SELECT isnt(licensing.decision_payload(:c), :'p0'::bytea, 'revise: the head signs the revised decision (its payload changed)');
SELECT is(wf_test.advance(:c, 'signed'), 'signed', 'the revised refusal is signed');
SELECT throws_ok(format($$SELECT pg_temp.run('wf_exec', 'SELECT licensing.revise(%s, ''{"reason": "x", "reason_ru": "z"}'')')$$, :c),
    '55000', 'application ' || :c || ' is signed: revise is not possible there', 'revise: not after signature');

-- ================================================================ the diagram shows them (rows of the transition table)
SELECT ok(licensing.workflow_dot('almaty-2014') ~ 's3 -> s3 \[style=dotted, label="reassign \(unit_head\)"\]'
          AND licensing.workflow_dot('almaty-2014') ~ 's6 -> s5 \[style=dotted, label="return_step \(unit_head\)"\]'
          AND licensing.workflow_dot('almaty-2014') ~ 's7 -> s5 \[style=dotted, label="return_step \(head\)"\]',
    'workflow_dot: almaty-2014 shows the unit head''s reassignment and both returns');
SELECT ok(licensing.workflow_dot('south-kazakhstan-2015') ~ 's5 -> s4 \[style=dotted, label="return_step \(head\)"\]'
          AND licensing.workflow_dot('south-kazakhstan-2015') ~ 's4 -> s4 \[style=dotted, label="revise \(executor\)"\]'
          AND licensing.workflow_dot('south-kazakhstan-2015') !~ 'unit_head',
    'workflow_dot: south-kazakhstan-2015 shows the head''s return and the executor''s revision, no unit head');

SELECT * FROM finish();
ROLLBACK;
