-- pgTAP: the register's objects, privileges, guard for every role, dump
-- registration and the workflow diagram.
BEGIN;
SELECT plan(70);

-- API §6 and §7 names
SELECT has_table('licensing', t, 'table licensing.' || t) FROM unnest(ARRAY['licence', 'licence_annex', 'licence_duplicate',
    'licence_event', 'reissue_ground', 'suspension_ground', 'termination_ground']) t;
SELECT has_view('licensing', v, 'view licensing.' || v) FROM unnest(ARRAY['licence_register', 'application_history',
    'overdue_steps', 'term_compliance', 'service_quality', 'refusals']) v;
SELECT columns_are('licensing', 'licence_annex', ARRAY['licence', 'position', 'subtype', 'address', 'branch_bin',
                                                        'number', 'issued_on', 'status', 'application', 'supersedes',
                                                        'subtype_kk', 'address_kk'],
                   'licence_annex has licence, position, subtype, address, branch_bin, (revision 2) number, issued_on, status, application, supersedes, and the Kazakh subtype_kk, address_kk');
SELECT has_column('licensing', 'licence', c, 'licence.' || c) FROM unnest(ARRAY['number', 'kind', 'holder', 'service',
    'status', 'issued_on', 'provider', 'application', 'supersedes']) c;
SELECT has_function('licensing', f, args, pg_catalog.format('%s(%s)', f, pg_catalog.array_to_string(args, ', ')))
  FROM (VALUES ('_licence_number_for', ARRAY['bigint', 'jsonb']),
               ('_issue_result', ARRAY['bigint']),
               ('_check_licence_target', ARRAY['text', 'text', 'text', 'text', 'jsonb']),
               ('suspend_licence', ARRAY['text', 'text', 'date']),
               ('resume_licence', ARRAY['text']),
               ('terminate_licence', ARRAY['text', 'text']),
               ('licence_document', ARRAY['text']),
               ('licence_html', ARRAY['text']),
               ('refusal_html', ARRAY['bigint']),
               ('workflow_dot', ARRAY['text']),
               ('licence_number_is_valid', ARRAY['text'])) AS f(f, args);

-- The internal entry points are not for PUBLIC or the API roles.
SELECT ok(NOT has_function_privilege(r, 'licensing._licence_number_for(bigint, jsonb)', 'EXECUTE')
          AND NOT has_function_privilege(r, 'licensing._issue_result(bigint)', 'EXECUTE')
          AND NOT has_function_privilege(r, 'licensing._licence_guard(boolean)', 'EXECUTE'),
          r || ' cannot call _licence_number_for, _issue_result or _licence_guard')
  FROM unnest(ARRAY['licensing_portal', 'licensing_staff', 'licensing_reporter', 'licensing_gateway']) r;

-- Raw writes fail for every role (privileges or the guard, both 42501).
CREATE FUNCTION pg_temp.raw_writes_fail(r text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    stmt text;
    failures int := 0;
BEGIN
    FOREACH stmt IN ARRAY ARRAY[
        $q$INSERT INTO licensing.licence (number, kind, holder, service, issued_on, provider, application) VALUES ('KZL2600000001J', 'licence', '160140001230', 'scrap-metal', current_date, 'x', 1)$q$,
        $q$UPDATE licensing.licence SET status = 'active'$q$,
        $q$DELETE FROM licensing.licence$q$,
        $q$INSERT INTO licensing.licence_annex VALUES ('KZL2600000001J', 1, 's', 'a', NULL)$q$,
        $q$DELETE FROM licensing.licence_duplicate$q$,
        $q$INSERT INTO licensing.licence_event (licence, seq, event, to_status, actor, at, hash) VALUES ('KZL2600000001J', 1, 'issued', 'active', 'x', now(), '\x00')$q$]
    LOOP
        BEGIN
            IF r IS NOT NULL THEN EXECUTE pg_catalog.format('SET LOCAL ROLE %I', r); END IF;
            EXECUTE stmt;
        EXCEPTION WHEN insufficient_privilege THEN
            failures := failures + 1;
        END;
    END LOOP;
    RESET ROLE;
    RETURN failures = 6;
END
$$;
SELECT ok(pg_temp.raw_writes_fail(r), coalesce(r, 'superuser') || ': raw INSERT/UPDATE/DELETE on the register fail')
  FROM unnest(ARRAY[NULL, 'licensing_admin', 'licensing_staff', 'licensing_portal', 'licensing_reporter', 'licensing_gateway']) r;

-- pg_dump keeps the register and the grounds users added.
SELECT ok(c::regclass::text = ANY (SELECT unnest(e.extconfig)::regclass::text FROM pg_extension e WHERE e.extname = 'licensing'),
          c || ' is dumped with the extension')
  FROM unnest(ARRAY['licensing.licence', 'licensing.licence_annex', 'licensing.licence_duplicate', 'licensing.licence_event',
                    'licensing.licence_number_seq', 'licensing.reissue_ground', 'licensing.suspension_ground',
                    'licensing.termination_ground']) c;

-- Everyone may read the register; only admins maintain the grounds.
SELECT ok(has_table_privilege('public', 'licensing.licence_register', 'SELECT'), 'PUBLIC reads licence_register');
SELECT ok(has_table_privilege('licensing_admin', 'licensing.reissue_ground', 'INSERT')
          AND NOT has_table_privilege('licensing_staff', 'licensing.reissue_ground', 'INSERT'),
          'licensing_admin (not staff) adds grounds');

-- workflow_dot: every step of each shipped profile, in order, as a graph.
SELECT ok(licensing.workflow_dot(p) ~ ('^digraph "' || p || '" \{')
          AND licensing.workflow_dot(p) ~ '\}\s*$'
          AND (SELECT bool_and(position(ps.step IN licensing.workflow_dot(p)) > 0) FROM licensing.profile_step ps WHERE ps.profile = p)
          AND (SELECT count(*) FROM regexp_matches(licensing.workflow_dot(p), ' -> s[0-9]+;', 'g'))
              = (SELECT count(*) FROM licensing.profile_step ps WHERE ps.profile = p),
          'workflow_dot(' || p || ') draws each step once, in a chain')
  FROM unnest(ARRAY['south-kazakhstan-2015', 'almaty-2014', 'karaganda-2013']) p;
SELECT throws_ok($$SELECT licensing.workflow_dot('atlantis-2099')$$, '22023', NULL, 'workflow_dot of an unknown profile: 22023');

-- Bad input: a clear error, never a crash.
SELECT is(licensing.licence_number(NULL), NULL, 'licence_number(NULL) is NULL');
SELECT throws_ok($$SELECT licensing.licence_number('')$$, '22P02', NULL, 'licence_number of an empty text: 22P02');
SELECT throws_ok($$SELECT licensing.suspend_licence(NULL, 'court_decision')$$, '22023', NULL, 'suspend_licence(NULL): 22023');
SELECT throws_ok($$SELECT licensing.resume_licence('')$$, '22P02', NULL, 'resume_licence of an empty number: 22P02');
SELECT throws_ok($$SELECT licensing.terminate_licence(repeat('K', 1000000), 'liquidation')$$, '22P02', NULL, 'terminate_licence of a megabyte: 22P02');
SELECT throws_ok($$SELECT licensing.licence_document(NULL)$$, '22023', NULL, 'licence_document(NULL): 22023');
SELECT throws_ok($$SELECT licensing.licence_html(E'KZL\\x01')$$, '22P02', NULL, 'licence_html of control characters: 22P02');
SELECT throws_ok($$SELECT licensing.refusal_html(NULL)$$, '22023', NULL, 'refusal_html(NULL): 22023');
SELECT throws_ok($$SELECT licensing.refusal_html(-1)$$, 'P0002', NULL, 'refusal_html of no application: P0002');
SELECT throws_ok($$SELECT licensing.workflow_dot(NULL)$$, '22023', NULL, 'workflow_dot(NULL): 22023');
SELECT throws_ok($$SELECT licensing.verify_licence_history('not a number')$$, '22P02', NULL, 'verify_licence_history of a bad number: 22P02');
SELECT ok(licensing.verify_licence_history(), 'verify_licence_history() of an empty register is true');

SELECT * FROM finish();
ROLLBACK;
