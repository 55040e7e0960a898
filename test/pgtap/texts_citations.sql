-- Citations a reader sees name each regulation by its own identity (issue #15; README
-- "Regulations and the texts a reader sees"): never a file number of ours ("000 §6",
-- "001 §11", "003 §6 5)") nor a seed file.  Shipped rows, comments, function texts
-- (their RAISE details and hints) and the C library's messages, each read where a
-- reader meets it.
BEGIN;
SELECT plan(12);
\ir ../fixtures/signing.sql
SELECT test_pki.load_trust();
\ir ../fixtures/workflow.sql

-- a file number of ours: 000…004 before a paragraph sign, the seeds' "Standard §",
-- or a seed file's name
CREATE FUNCTION pg_temp.ours(t text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT t ~ '\m00[0-4] ?(§|p\.)|\mStandard §|\m00[0-4]_[0-9a-f]{16}\.txt' $$;

-- the error stmt raises, as a reader gets it: SQLSTATE | message | detail | hint
CREATE FUNCTION pg_temp.err(stmt text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    st text; msg text; det text; hnt text;
BEGIN
    EXECUTE stmt;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL, hnt = PG_EXCEPTION_HINT;
    RETURN concat_ws(' | ', st, msg, nullif(det, ''), nullif(hnt, ''));
END $$;

SELECT ok(pg_temp.ours('the legal basis: 000 §6 (condition 4)') AND pg_temp.ours('001 §11; Standard §11')
          AND pg_temp.ours('003 §6 5)') AND pg_temp.ours('004 §6 p.6–8')
          AND NOT pg_temp.ours('South Kazakhstan No 382 of 19.12.2012, §6') AND NOT pg_temp.ours('No 29/02 of 22.05.2013, §6 5)'),
    'the probe tells a file number of ours from a regulation''s identity');

-- ---- shipped rows: every table of the schema, each row read as text
CREATE FUNCTION pg_temp.tables_citing_ours() RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    r regclass;
    n bigint;
    found text[] := '{}';
BEGIN
    FOR r IN SELECT c.oid FROM pg_class c WHERE c.relnamespace = 'licensing'::regnamespace AND c.relkind IN ('r', 'p')
             ORDER BY c.relname LOOP
        EXECUTE format('SELECT count(*) FROM %s t WHERE pg_temp.ours(t::text)', r) INTO n;
        IF n > 0 THEN found := found || format('%s (%s)', r, n); END IF;
    END LOOP;
    RETURN array_to_string(found, ', ');
END $$;
SELECT is(pg_temp.tables_citing_ours(), '', 'no row of the extension''s tables cites a file number of ours');
SELECT is((SELECT article FROM licensing.complaint_term WHERE body = 'provider'),
    'Law of the Republic of Kazakhstan "On state services" No. 88-V of 15 April 2013, art. 25; Almaty region resolution No 161 of 13.05.2014, §11',
    'a complaint''s term cites the Law and the Almaty regulation by its resolution');
SELECT is((SELECT clause FROM licensing._complaint_transitions() WHERE event = 'lodge'),
    'Almaty region No 161 of 13.05.2014, §11 (the state service standard, §11)',
    'lodging a complaint cites the regulation and the standard''s paragraph, not "001 §11; Standard §11"');
SELECT is((SELECT count(*) FROM licensing.required_document WHERE shipped AND clause !~ 'resolution No')
        + (SELECT count(*) FROM licensing.required_form_field WHERE shipped AND clause !~ 'resolution No')
        + (SELECT count(*) FROM licensing.qualification_requirement WHERE shipped AND clause !~ 'resolution No'),
    0::bigint, 'every clause of the shipped catalogue names a regulation by its resolution');

-- licence_status_changed: its legal basis on each page of a refusal, in that page's language
SELECT is((SELECT article_kk FROM licensing.refusal_ground WHERE code = 'licence_status_changed'),
    'Оңтүстік Қазақстан облысы әкімдігінің 2012 жылғы 19 желтоқсандағы № 382 қаулысымен бекітілген регламенттің 1-тармағы; '
    'Батыс Қазақстан облысы әкімдігінің 2013 жылғы 29 наурыздағы № 40 қаулысымен бекітілген регламенттің 1-тармағы '
    '(қолданыстағы лицензияны қайта ресімдеу және оның телнұсқасын беру)',
    'licence_status_changed: the Kazakh page cites both regulations in Kazakh');
SELECT is((SELECT article_ru FROM licensing.refusal_ground WHERE code = 'licence_status_changed'),
    'пункт 1 регламента, утверждённого постановлением акимата Южно-Казахстанской области от 19 декабря 2012 года № 382; '
    'пункт 1 регламента, утверждённого постановлением акимата Западно-Казахстанской области от 29 марта 2013 года № 40 '
    '(переоформление и выдача дубликата действующей лицензии)',
    'licence_status_changed: the Russian page cites both regulations in Russian');

-- ---- comments and function texts (RAISE messages, details and hints)
SELECT is((SELECT string_agg(pg_describe_object(d.classoid, d.objoid, d.objsubid), ', ')
             FROM pg_description d JOIN pg_depend x ON x.classid = d.classoid AND x.objid = d.objoid AND x.deptype = 'e'
            WHERE x.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'licensing') AND pg_temp.ours(d.description)),
    NULL, 'no comment of the extension''s objects cites a file number of ours');
SELECT is((SELECT string_agg(p.oid::regprocedure::text, ', ') FROM pg_proc p
            WHERE p.pronamespace = 'licensing'::regnamespace AND pg_temp.ours(p.prosrc)),
    NULL, 'no function of the extension cites a file number of ours (its errors, details, hints and comments)');
SELECT is(pg_temp.err($$SELECT wf_test.portal('160140001230', $q$SELECT licensing.create_application('scrap-metal', 'issue', '160140001230', 'alm', representative => '850625300123', attorney_number => 'PoA-2025-1')$q$)$$),
    '22023 | a representative is named at the office only | On the portal the applicant signs for itself (South Kazakhstan No 382 of 19.12.2012, §6).',
    'create_application: the detail cites the regulation by its resolution');

-- ---- the C library's messages (workflow.c)
-- Monday 3 March 2025: received that day, the completeness check due Wednesday 5 March at 24:00 local
SELECT licensing.set_clock('2025-03-03 10:00+05');
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko') AS a \gset
SELECT wf_test.advance(:a, 'assigned') IS NOT NULL AS assigned;
SELECT licensing.set_clock('2025-03-06 09:30+05');
SELECT is(pg_temp.err(format($$SELECT wf_test.as_role('wf_exec', 'SELECT licensing.refuse(%s, ''incomplete_documents'', ''себеп'', ''причина'')')$$, :a)),
    format('55000 | application %s can no longer be refused for incomplete documents: the completeness check ended at 2025-03-05T19:00:00.000000Z'
           ' | South Kazakhstan No 441 of 28.12.2015, §4: an incomplete set of documents is refused within the completeness check (the step confirm_complete), which ended at 2025-03-05T19:00:00.000000Z.'
           ' | Decide on the merits with another ground, or grant.', :a),
    'the closed completeness window: the detail cites the regulation by its resolution');

-- a draft without the documents the catalogue requires
SELECT licensing.set_clock('2025-03-04 10:00+05');
SELECT wf_test.portal('160140001230', $$SELECT licensing.create_application('scrap-metal', 'issue', '160140001230', 'sko')$$) AS b \gset
SELECT wf_test.portal('160140001230', format('SELECT licensing.attach_document(%s, ''charter'', ''charter''::bytea, ''charter.pdf'')', :b)) AS charter \gset
SELECT wf_test.advance(:b, 'assigned') IS NOT NULL AS assigned;
SELECT is(split_part(pg_temp.err(format($$SELECT wf_test.as_role('wf_exec', 'SELECT licensing.confirm_complete(%s)')$$, :b)), ' | ', 4),
    'Refuse it for incomplete_documents within the completeness check (South Kazakhstan No 441 of 28.12.2015, §4); '
    'licensing.missing_documents() names what is missing.',
    'an incomplete application: the hint cites the regulation by its resolution');

SELECT * FROM finish();
ROLLBACK;
