-- The profiles south-kazakhstan-2012 (South Kazakhstan akimat resolution No 382 of
-- 19.12.2012) and west-kazakhstan-2013 (West Kazakhstan akimat resolution No 40 of
-- 29.03.2013): their steps, clauses and due moments (issue #15).  Neither
-- regulation gives an internal step a norm of its own: tables 1–2 time the
-- portal's and the office's screens, and No 40's table 1 step 9 gives the
-- processing 15 working days; every step is due by the end of the term.
BEGIN;
SELECT plan(24);
\ir ../fixtures/signing.sql
SELECT test_pki.load_trust();
\ir ../fixtures/workflow.sql

INSERT INTO licensing.provider (code, name_kk, name_ru, name_en, region) VALUES
('sko12', 'ОҚО кәсіпкерлік және өнеркәсіп басқармасы', 'Управление предпринимательства и промышленности ЮКО',
 'Department of entrepreneurship and industry, South Kazakhstan', 'South Kazakhstan'),
('zko13', 'БҚО кәсіпкерлік және өнеркәсіп басқармасы', 'Управление предпринимательства и промышленности ЗКО',
 'Department of entrepreneurship and industry, West Kazakhstan', 'West Kazakhstan');
INSERT INTO licensing.provider_profile (provider, service, profile) VALUES
('sko12', 'scrap-metal', 'south-kazakhstan-2012'), ('zko13', 'scrap-metal', 'west-kazakhstan-2013');
INSERT INTO licensing.provider_service (provider, service) VALUES ('sko12', 'scrap-metal'), ('zko13', 'scrap-metal');
INSERT INTO licensing.staff (role, provider, position, iin) VALUES
('wf_clerk', 'sko12', 'clerk', NULL), ('wf_head', 'sko12', 'head', '900101300811'), ('wf_exec', 'sko12', 'executor', '850625300123'),
('wf_clerk', 'zko13', 'clerk', NULL), ('wf_head', 'zko13', 'head', '900101300811'), ('wf_exec', 'zko13', 'executor', '850625300123');

-- ---- the shipped rows
SELECT is((SELECT string_agg(step || ':' || performer || ':' || coalesce(norm, '-') || ':' || anchor, ' ' ORDER BY position)
             FROM licensing.profile_step WHERE profile = 'south-kazakhstan-2012'),
    'register:clerk:15 working days:term_end assign:head:15 working days:term_end confirm_complete:executor:15 working days:term_end '
    'decide:executor:15 working days:term_end sign_decision:head:15 working days:term_end deliver:clerk:15 working days:term_end',
    'south-kazakhstan-2012: register, assign, completeness, decide, sign, deliver, each by the term''s end');
SELECT is((SELECT string_agg(step || ':' || performer || ':' || coalesce(norm, '-') || ':' || anchor, ' ' ORDER BY position)
             FROM licensing.profile_step WHERE profile = 'west-kazakhstan-2013'),
    'register:clerk:15 working days:term_end assign:head:15 working days:term_end confirm_complete:executor:15 working days:term_end '
    'decide:executor:15 working days:term_end sign_decision:head:15 working days:term_end deliver:clerk:15 working days:term_end',
    'west-kazakhstan-2013: the same chain, 15 working days (table 1 step 9)');
SELECT is((SELECT service || ' ' || source FROM licensing.profile WHERE code = 'south-kazakhstan-2012'),
    'scrap-metal South Kazakhstan resolution No 382 of 19.12.2012, §6–7, tables 1–2', 'the 2012 profile cites resolution No 382 of 19.12.2012');
SELECT is((SELECT service || ' ' || source FROM licensing.profile WHERE code = 'west-kazakhstan-2013'),
    'scrap-metal West Kazakhstan resolution No 40 of 29.03.2013, §6–7, tables 1–2', 'the 2013 profile cites resolution No 40 of 29.03.2013');
SELECT is((SELECT seed_clause FROM licensing.profile_step WHERE profile = 'west-kazakhstan-2013' AND step = 'decide'),
    'No 40 of 29.03.2013, §6 14)–15), §7 10)–11); table 1 steps 9–10', 'a step names its paragraphs of the regulation');
SELECT is((SELECT count(*) FROM licensing.profile_step WHERE seed_clause ~ '(^|[^0-9/])00[0-4]( |$|§)'
                                                            OR seed_clause ~ '^[0-9]{3} '), 0::bigint,
    'no clause cites a file number of ours (000…004)');
SELECT is((SELECT count(*) FROM licensing.profile WHERE source ~ '_[0-9a-f]{16}\.txt|^00[0-4] '), 0::bigint,
    'no profile cites a seed file');
SELECT is((SELECT count(*) FROM licensing.refusal_ground WHERE shipped AND (article ~ '(^|; )00[0-4] ' OR article_kk IS NULL OR article_ru IS NULL)),
    0::bigint, 'every shipped ground cites its regulations by their identity, in Kazakh and Russian too');

-- ---- south-kazakhstan-2012: a portal application walked to delivery, every step due at the term's end
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko12') AS a \gset
SELECT wf_test.pay(:a);
SELECT ok((wf_test.submit(:a)).accepted, 'accepted on the 2012 profile');
SELECT is((SELECT profile FROM licensing.application WHERE id = :a), 'south-kazakhstan-2012', 'the provider''s profile is pinned');
SELECT is((SELECT due_on FROM licensing.application WHERE id = :a),
    licensing.term_due_on(licensing.receipt_day('2025-03-03 10:00+05', 'sko12'), '15 working days'), 'the term: 15 working days from the receipt day');
SELECT is((SELECT due_at FROM licensing.application_step WHERE application = :a AND step = 'register'),
    (SELECT term_end_at FROM licensing.application WHERE id = :a), 'register is due at the term''s end');
SELECT is(wf_test.advance(:a, 'delivered'), 'delivered', 'walked to delivery');
SELECT is((SELECT count(*) FROM licensing.application_step s JOIN licensing.application a ON a.id = s.application
            WHERE s.application = :a AND s.due_at = a.term_end_at), 6::bigint, 'each of its six steps was due at the term''s end');
SELECT is((SELECT string_agg(step || ':' || performer, ',' ORDER BY step) FROM licensing.application_step WHERE application = :a),
    'assign:wf_head,confirm_complete:wf_exec,decide:wf_exec,deliver:wf_clerk,register:wf_clerk,sign_decision:wf_head',
    'each step performed by its profile''s position');

-- ---- west-kazakhstan-2013: at the office, registered late on a Friday
SELECT licensing.set_clock('2025-03-07 19:30+05') IS NULL AS late;
SELECT wf_test.draft('scrap-metal', '160140001230', 'zko13', 'office') AS b \gset
SELECT wf_test.pay(:b);
SELECT ok((wf_test.submit(:b)).accepted, 'accepted at the office on the 2013 profile');
SELECT is((SELECT receipt_day FROM licensing.application WHERE id = :b), '2025-03-11'::date,
    'received after hours on Friday 7 March: the receipt day is Tuesday 11 March (8 March, a Saturday, carried to Monday)');
SELECT is((SELECT due_on FROM licensing.application WHERE id = :b),
    licensing.term_due_on('2025-03-11'::date, '15 working days'), 'the term: 15 working days from the receipt day');
SELECT is((SELECT array_agg(DISTINCT s.due_at) FROM licensing.application_step s WHERE s.application = :b),
    (SELECT array[term_end_at] FROM licensing.application WHERE id = :b), 'its open step is due at the term''s end');
SELECT is(wf_test.advance(:b, 'delivered'), 'delivered', 'walked to delivery on the 2013 profile');

-- ---- a refusal cites the regulation of its own profile
SELECT wf_test.draft('scrap-metal', '160140001230', 'zko13') AS r \gset
SELECT wf_test.advance(:r, 'in_review') IS NOT NULL AS in_review;
SELECT wf_test.as_role('wf_exec', format('SELECT licensing.refuse(%s, %L, %L, %L)', :r, 'qualification_requirements',
    'Өндірістік база жоқ', 'Нет производственной базы')) IS NULL AS refused;
SELECT ok(licensing.refusal_html(:r) LIKE '%(подпункты 14)–15) пункта 6 и 10)–11) пункта 7 регламента, утверждённого постановлением акимата Западно-Казахстанской области от 29 марта 2013 года № 40)%'
          AND licensing.refusal_html(:r) LIKE '%(Батыс Қазақстан облысы әкімдігінің 2013 жылғы 29 наурыздағы № 40 қаулысымен бекітілген регламенттің 6-тармағының 14)–15) және 7-тармағының 10)–11) тармақшалары)%',
    'a West Kazakhstan refusal cites resolution No 40 of 29.03.2013 on both pages');
SELECT ok(licensing.refusal_html(:r) NOT LIKE '%№ 382%' AND licensing.refusal_html(:r) NOT LIKE '%29/02%',
    '... and no other region''s regulation');
-- on the 2015 profile the ground has no citation of its own: every regulation the ground names
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko') AS r2 \gset
SELECT wf_test.advance(:r2, 'in_review') IS NOT NULL AS in_review;
SELECT wf_test.as_role('wf_exec', format('SELECT licensing.refuse(%s, %L, %L, %L)', :r2, 'qualification_requirements',
    'Өндірістік база жоқ', 'Нет производственной базы')) IS NULL AS refused;
SELECT ok(licensing.refusal_html(:r2) LIKE '%№ 382%№ 29/02%№ 40%', 'without a citation for its profile a refusal cites every regulation of the ground');
SELECT is((SELECT count(*) FROM licensing.ground_citation c JOIN licensing.refusal_ground g ON g.code = c.ground WHERE g.intake), 0::bigint,
    'citations per profile are for the provider''s refusals (intake refusals are answered by submit)');

SELECT * FROM finish();
ROLLBACK;
