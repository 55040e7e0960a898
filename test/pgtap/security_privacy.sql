-- pgTAP: who sees what (API §8, issue #13 part 6), by the effect of the
-- policies and grants: staff of one provider see none of another's
-- applications, registry rows or staff; the reporter gets no IIN, name or
-- draft from any view it may read; the portal only its applicant's; and an
-- application a caller may not see gives P0002 in the words of a missing id.
BEGIN;
\ir licence_fixture.psql
SELECT plan(50);

-- A clerk of lic-west (the fixture has its head only), and persons: an
-- applicant at lic-south, a representative at lic-south, an applicant at
-- lic-west, and one in no application at all.
CREATE ROLE priv_west_clerk IN ROLE licensing_staff;
INSERT INTO licensing.staff (role, provider, position) VALUES ('priv_west_clerk', 'lic-west', 'clerk');
INSERT INTO licensing.person (iin, name) VALUES ('770315400305', 'Западный Заявитель'), ('770315400206', 'Никто Ниоткуда')
ON CONFLICT DO NOTHING;
INSERT INTO licensing.power_of_attorney (number, principal, representative, valid_from, valid_to) VALUES
 ('PRIV-POA-1', '160140001230', '850625300123', '2020-01-01', '2035-12-31'),
 ('PRIV-POA-2', '180340009990', '770315400206', '2020-01-01', '2035-12-31');

-- this test's providers render both services (the privacy of an individual's
-- application is the point, not which department concludes)
INSERT INTO licensing.provider_service (provider, service) VALUES ('lic-south', 'eco-expertise'), ('lic-west', 'eco-expertise')
ON CONFLICT DO NOTHING;
SET LOCAL ROLE lic_clerk;
SELECT licensing.create_application('eco-expertise', 'issue', '901120405675', 'lic-south',
                                    '{"object": {"name": "Цех", "address": "Шымкент қ.", "category": "IV"}}', 'office') AS s1 \gset
SELECT licensing.create_application('scrap-metal', 'issue', '160140001230', 'lic-south', '{}', 'office',
                                    representative => '850625300123', attorney_number => 'PRIV-POA-1') AS s2 \gset
SET LOCAL ROLE priv_west_clerk;
SELECT licensing.create_application('eco-expertise', 'issue', '770315400305', 'lic-west',
                                    '{"object": {"name": "Цех", "address": "Орал қ.", "category": "IV"}}', 'office') AS w1 \gset
RESET ROLE;
-- a refused application, so the reports have rows with reasons in them
SELECT lic_test.walk('scrap-metal', 'issue', '170240007770', '{}', NULL, '{}', 'in_review') AS refused \gset
SET LOCAL ROLE lic_exec;
SELECT licensing.refuse(:refused, 'qualification_requirements', 'Иванова Айгерим талаптарға сай емес', 'Иванова Айгерим 901120405675 не соответствует');
RESET ROLE;
SELECT max(id) + 1000000 AS missing FROM licensing.application \gset

-- Runs stmt as role r (acting for applicant a when not NULL): the SQLSTATE,
-- message, detail and hint it raised, with the application id written <id>.
CREATE FUNCTION pg_temp.err(r text, a text, stmt text, app bigint) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    st text; msg text; det text; hnt text;
BEGIN
    BEGIN
        EXECUTE format('SET LOCAL ROLE %I', r);
        IF a IS NOT NULL THEN PERFORM licensing.act_for(a); END IF;
        EXECUTE format(stmt, app);
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL, hnt = PG_EXCEPTION_HINT;
        IF a IS NOT NULL THEN PERFORM licensing.act_for(NULL); END IF;
        RESET ROLE;
        RETURN concat_ws(' | ', st, replace(msg, app::text, '<id>'), nullif(det, ''), nullif(hnt, ''));
    END;
    IF a IS NOT NULL THEN PERFORM licensing.act_for(NULL); END IF;
    RESET ROLE;
    RETURN 'no error';
END
$$;
-- A count as role r.
CREATE FUNCTION pg_temp.n(r text, stmt text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    c bigint;
BEGIN
    EXECUTE format('SET LOCAL ROLE %I', r);
    EXECUTE stmt INTO c;
    RESET ROLE;
    RETURN c;
END
$$;

-- ---- staff see their provider's rows only ---------------------------------------------
SELECT is(pg_temp.n('lic_west_head', 'SELECT count(*) FROM licensing.application WHERE provider = ''lic-south'''), 0::bigint,
          'staff of lic-west see none of lic-south''s applications');
SELECT is(pg_temp.n('lic_west_head', 'SELECT count(*) FROM licensing.application_history WHERE provider = ''lic-south'''), 0::bigint,
          '... nor their history rows');
SELECT is(pg_temp.n('lic_clerk', 'SELECT count(*) FROM licensing.application WHERE provider = ''lic-west'''), 0::bigint,
          'and lic-south''s clerk none of lic-west''s');
SELECT is(pg_temp.n('lic_clerk', 'SELECT count(*) FROM licensing.staff WHERE provider NOT IN (''lic-south'', ''lic-nature'')'), 0::bigint,
          'staff see no staff row of another provider (lic_clerk works at lic-south and lic-nature)');
SELECT is(pg_temp.n('lic_clerk', 'SELECT count(*) FROM licensing.staff WHERE provider = ''lic-south'''),
          (SELECT count(*) FROM licensing.staff WHERE provider = 'lic-south'),
          '... and every staff row of their own');
SELECT is(pg_temp.n('lic_west_head', 'SELECT count(*) FROM licensing.staff WHERE provider = ''lic-south'''), 0::bigint,
          'the head of lic-west sees no staff of lic-south (nor their IINs)');
SELECT is(pg_temp.n('lic_clerk', 'SELECT count(*) FROM licensing.person WHERE iin::text = ''901120405675'''), 1::bigint,
          'lic-south''s clerk sees the person who applies there');
SELECT is(pg_temp.n('lic_clerk', 'SELECT count(*) FROM licensing.person WHERE iin::text = ''850625300123'''), 1::bigint,
          '... and the representative of its application');
SELECT is(pg_temp.n('lic_clerk', 'SELECT count(*) FROM licensing.power_of_attorney WHERE number = ''PRIV-POA-1'''), 1::bigint,
          '... and the power of attorney that application names');
SELECT is(pg_temp.n('lic_clerk', 'SELECT count(*) FROM licensing.person WHERE iin::text = ''770315400305'''), 0::bigint,
          'lic-south''s clerk does not see the person who applies at lic-west');
SELECT is(pg_temp.n('lic_clerk', 'SELECT count(*) FROM licensing.person WHERE iin::text = ''770315400206'''), 0::bigint,
          '... nor a person in no application');
SELECT is(pg_temp.n('lic_clerk', 'SELECT count(*) FROM licensing.power_of_attorney WHERE number = ''PRIV-POA-2'''), 0::bigint,
          '... nor a power of attorney no application of theirs names');
SELECT is(pg_temp.n('lic_west_head', 'SELECT count(*) FROM licensing.person WHERE iin::text IN (''901120405675'', ''850625300123'')'), 0::bigint,
          'staff of lic-west see none of lic-south''s applicants and representatives');
SELECT is(pg_temp.n('lic_west_head', 'SELECT count(*) FROM licensing.power_of_attorney'), 0::bigint,
          '... nor its powers of attorney');
SELECT is(pg_temp.n('lic_west_head', 'SELECT count(*) FROM licensing.person WHERE iin::text = ''770315400305'''), 1::bigint,
          'staff of lic-west see their own applicant');
SELECT is(pg_temp.n('lic_admin', 'SELECT count(*) FROM licensing.person'), (SELECT count(*) FROM licensing.person),
          'admins see every person (they maintain the mirror)');
SELECT is(pg_temp.n('lic_admin', 'SELECT count(*) FROM licensing.staff'), (SELECT count(*) FROM licensing.staff),
          '... and every staff row');
SELECT is(pg_temp.err('lic_admin', NULL, $$INSERT INTO licensing.person VALUES ('770315400216', 'Новый')$$, 0), 'no error',
          '... and write them');

-- ---- the reporter: no IIN, no name, no draft -----------------------------------------------
SELECT is(lic_test.state_of('lic_reporter', 'SELECT count(*) FROM licensing.application_history'), '42501',
          'the reporter may not read application_history (IINs, drafts)');
SELECT is(lic_test.state_of('lic_reporter', 'SELECT count(*) FROM licensing.person'), '42501',
          'nor the person registry');
SELECT is(lic_test.state_of('lic_reporter', 'SELECT count(*) FROM licensing.application'), '42501',
          'nor applications');
SELECT is(lic_test.state_of('lic_reporter', format('SELECT licensing.refusal_html(%s)', :refused)), '42501',
          'nor the refusal documents, which name the applicant');
SELECT is(lic_test.state_of('lic_reporter', 'SELECT count(*) FROM licensing.licence_event'), '42501',
          'nor the licences'' history');
-- Every relation the reporter may read but the public register: all its rows
-- as text hold no IIN of an individual (persons, applicants, staff) and no
-- person's name.
CREATE TEMP TABLE secrets ON COMMIT DROP AS
SELECT iin::text AS s FROM licensing.person UNION SELECT name FROM licensing.person
UNION SELECT applicant FROM licensing.application WHERE licensing.iin_is_valid(applicant)
UNION SELECT iin::text FROM licensing.staff WHERE iin IS NOT NULL;
GRANT SELECT ON secrets TO PUBLIC;
CREATE FUNCTION pg_temp.reporter_leaks() RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE
    v text;
    body text;
    found text[] := '{}';
BEGIN
    FOR v IN SELECT c.oid::regclass::text FROM pg_class c
              WHERE c.relnamespace = 'licensing'::regnamespace AND c.relkind IN ('r', 'v', 'm', 'p')
                AND c.relname <> 'licence_register'
                AND has_table_privilege('licensing_reporter', c.oid, 'SELECT')
    LOOP
        SET LOCAL ROLE lic_reporter;
        EXECUTE format('SELECT coalesce(string_agg(x::text, E''\n''), '''') FROM %s x', v) INTO body;
        RESET ROLE;
        found := found || ARRAY(SELECT v || ': ' || s FROM secrets WHERE strpos(body, s) > 0);
    END LOOP;
    RETURN found;
END
$$;
SELECT cmp_ok((SELECT count(*) FROM pg_temp.secrets), '>=', 6::bigint, 'the secrets are there to be found');
SELECT is(pg_temp.reporter_leaks(), '{}'::text[], 'no relation the reporter reads shows an individual''s IIN or name');
SELECT cmp_ok(pg_temp.n('lic_reporter', 'SELECT count(*) FROM licensing.refusals'), '>', 0::bigint,
              'the reporter still reads the aggregates');
SELECT is(pg_temp.n('lic_reporter', format('SELECT count(*) FROM licensing.overdue_steps WHERE application IN (%s, %s, %s)', :s1, :s2, :w1)),
          0::bigint, 'overdue_steps shows no draft');

-- ---- the portal: its applicant's rows only ---------------------------------------------------
SET LOCAL ROLE lic_portal;
SELECT licensing.act_for('901120405675');
SELECT results_eq('SELECT id FROM licensing.application', format('VALUES (%s::bigint)', :s1),
                  'the portal acting for an applicant sees its application only');
SELECT results_eq('SELECT application FROM licensing.application_history', format('VALUES (%s::bigint)', :s1),
                  '... in application_history too');
SELECT licensing.act_for(NULL);
RESET ROLE;
SELECT is(lic_test.state_of('lic_portal', 'SELECT count(*) FROM licensing.person'), '42501', 'the portal reads no registry');

-- ---- an application the caller may not see does not exist --------------------------------------
-- Each call on lic-south's draft by the head of lic-west, and by the portal
-- acting for another applicant, answers as the same call on a missing id.
CREATE TEMP TABLE calls (stmt text) ON COMMIT DROP;
INSERT INTO calls VALUES
 ('SELECT licensing.signing_payload(%s)'),
 ('SELECT licensing.submit(%s)'),
 ($$SELECT licensing.attach_document(%s, 'plan', '\x01', 'plan.pdf')$$),
 ('SELECT licensing.withdraw(%s)'),
 ('SELECT licensing.register(%s)'),
 ($$SELECT licensing.assign(%s, 'lic_exec')$$),
 ('SELECT licensing.confirm_complete(%s)'),
 ($$SELECT licensing.grant(%s, '{}')$$),
 ($$SELECT licensing.refuse(%s, 'qualification_requirements', 'kk', 'ru')$$),
 ('SELECT licensing.decision_payload(%s)'),
 ($$SELECT licensing.sign_decision(%s, '\x00')$$),
 ('SELECT licensing.deliver(%s)'),
 ('SELECT licensing.refusal_html(%s)');
SELECT is(pg_temp.err('lic_west_head', NULL, c.stmt, :s1), pg_temp.err('lic_west_head', NULL, c.stmt, :missing),
          'staff of another provider: ' || split_part(c.stmt, '(', 1) || ' says what it says of a missing id')
  FROM calls c;
SELECT is(pg_temp.err('lic_portal', '770315400305', c.stmt, :s1), pg_temp.err('lic_portal', '770315400305', c.stmt, :missing),
          'the portal for another applicant: ' || split_part(c.stmt, '(', 1) || ' says what it says of a missing id')
  FROM calls c WHERE c.stmt ~ '(signing_payload|submit|attach_document|withdraw|refusal_html)';
SELECT is(pg_temp.err('lic_portal', '770315400305', 'SELECT licensing.survey(%s, 3, 3)', :s1),
          pg_temp.err('lic_portal', '770315400305', 'SELECT licensing.survey(%s, 3, 3)', :missing),
          'the portal for another applicant: survey says what it says of a missing id');
SELECT is(pg_temp.err('lic_west_head', NULL, 'SELECT licensing.register(%s)', :s1),
          'P0002 | application <id> does not exist | Check the application id.',
          'the words: no state, no provider');

SELECT * FROM finish();
ROLLBACK;
