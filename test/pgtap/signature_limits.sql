-- Input bounds (security issue #13, part 4): licensing.max_signature_size,
-- max_document_size, max_form_size and signature_cache_size.  An oversized
-- signature is malformed for verify_signature and refused with 54000 by submit
-- and sign_decision; an oversized document or form by attach_document and
-- create_application; each refusal comes before any other work, quotes sizes
-- and settings only, and changes nothing.  Roles that are not superusers cannot
-- raise the limits.
BEGIN;
SELECT plan(36);
\ir ../fixtures/signing.sql
SELECT test_pki.load_trust();
\ir ../fixtures/workflow.sql

-- An error's SQLSTATE, message, detail and hint, as one text.
CREATE FUNCTION wf_test.error_of(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    st text; m text; d text; h text;
BEGIN
    EXECUTE q;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, m = MESSAGE_TEXT, d = PG_EXCEPTION_DETAIL, h = PG_EXCEPTION_HINT;
    RETURN st || ' | ' || m || ' | ' || d || ' | ' || h;
END $$;

-- ------------------------------------------------------------ the settings
SELECT is(current_setting('licensing.max_signature_size') || ' ' || current_setting('licensing.max_document_size') || ' '
          || current_setting('licensing.max_form_size') || ' ' || current_setting('licensing.signature_cache_size'),
    '64kB 20MB 1MB 8MB', 'defaults: signatures 64kB, documents 20MB, forms 1MB, signature cache 8MB');
SELECT is((SELECT string_agg(name || ' ' || context || ' ' || unit, ', ' ORDER BY name) FROM pg_settings
            WHERE name IN ('licensing.max_signature_size', 'licensing.max_document_size',
                           'licensing.max_form_size', 'licensing.signature_cache_size')),
    'licensing.max_document_size superuser kB, licensing.max_form_size superuser kB, '
    'licensing.max_signature_size superuser kB, licensing.signature_cache_size superuser kB',
    'the four settings are in kB and only superusers set them');
SELECT throws_ok($$SELECT wf_test.as_role('wf_portal', 'SELECT set_config(''licensing.max_signature_size'', ''1GB'', false)')$$,
    '42501', 'permission denied to set parameter "licensing.max_signature_size"', 'the portal cannot raise max_signature_size');
SELECT throws_ok($$SELECT wf_test.as_role('wf_clerk', 'SELECT set_config(''licensing.max_document_size'', ''1GB'', true)')$$,
    '42501', 'permission denied to set parameter "licensing.max_document_size"', 'staff cannot raise max_document_size, even locally');
SELECT throws_ok($$SELECT wf_test.as_role('wf_admin', 'SELECT set_config(''licensing.max_form_size'', ''1GB'', false)')$$,
    '42501', 'permission denied to set parameter "licensing.max_form_size"', 'licensing_admin cannot raise max_form_size');
SELECT throws_ok($$SELECT wf_test.as_role('wf_other', 'SELECT set_config(''licensing.signature_cache_size'', ''1GB'', false)')$$,
    '42501', 'permission denied to set parameter "licensing.signature_cache_size"', 'an ordinary role cannot raise signature_cache_size');
SELECT is(current_setting('licensing.max_signature_size') || ' ' || current_setting('licensing.max_document_size') || ' '
          || current_setting('licensing.max_form_size') || ' ' || current_setting('licensing.signature_cache_size'),
    '64kB 20MB 1MB 8MB', 'the refused attempts changed nothing');
SELECT throws_ok($$SET licensing.max_signature_size = '2GB'$$, '22023', NULL, 'a limit above 1GB is refused');
SELECT ok(NOT has_function_privilege('wf_portal', 'licensing._limit_input(text, "any")', 'EXECUTE')
          AND NOT has_function_privilege('public', 'licensing._limit_input(text, "any")', 'EXECUTE'),
    '_limit_input is internal: not executable by PUBLIC');

-- ------------------------------------------------------------ verify_signature
-- A valid signature with 70 kB of embedded content: over the default limit.
SELECT test_pki.sign(convert_to(repeat('x', 70000), 'UTF8'), 'company', detached => false) AS big_sig \gset
SELECT is((SELECT coalesce(problem, 'valid') || ' ' || coalesce(subject, 'no subject')
             FROM licensing.verify_signature(NULL, :'big_sig'::bytea)),
    'malformed no subject', 'verify_signature: a 70 kB CMS is malformed, and not decoded (no signer fields)');
SET LOCAL licensing.max_signature_size = '128kB';
SELECT is((SELECT coalesce(problem, 'valid') FROM licensing.verify_signature(NULL, :'big_sig'::bytea)),
    'valid', 'verify_signature: the same CMS is valid once a superuser raises the limit to 128kB');
RESET licensing.max_signature_size;
CREATE TEMP TABLE toasted (sig bytea);
INSERT INTO toasted VALUES (decode(repeat('30', 3000000), 'hex'));
SELECT ok((SELECT pg_column_size(sig) < 100000 FROM toasted), 'a 3 MB signature stored compressed');
SELECT is((SELECT v.valid::text || ' ' || v.problem FROM toasted, licensing.verify_signature('hello', toasted.sig) v),
    'false malformed', 'verify_signature: a toasted 3 MB signature is malformed (its size read without detoasting)');
SELECT lives_ok($$SELECT wf_test.as_role('wf_portal', format('SELECT count(*) FROM licensing.verify_signature(''hello'', %L::bytea)',
                                                             decode(repeat('30', 70000), 'hex')))$$,
    'verify_signature never raises for an oversized signature, for any role');

SELECT throws_ok(format('SELECT licensing.certificate_info(%L::bytea)', decode(repeat('30', 70000), 'hex')),
    '54000', 'certificate of 70000 bytes exceeds licensing.max_signature_size (64kB)',
    'certificate_info: a 70 kB certificate is refused with 54000, not decoded');

-- ------------------------------------------------------------ submit
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko') AS a \gset
SELECT wf_test.pay(:a);
SELECT wf_test.snapshot(:a) AS s0 \gset
SELECT throws_ok(format($$SELECT wf_test.psubmit('160140001230', %s, decode(repeat('30', 65537), 'hex'))$$, :a),
    '54000', 'signature of 65537 bytes exceeds licensing.max_signature_size (64kB)',
    'submit: a signature of 64 kB + 1 byte is refused with 54000, quoting its size and the limit');
SELECT is(wf_test.snapshot(:a), :'s0', 'submit: the refused call changed nothing (not even an intake refusal event)');
SELECT throws_ok($$SELECT wf_test.psubmit('160140001230', 987654, decode(repeat('30', 65537), 'hex'))$$,
    '54000', NULL, 'submit: the size is checked before the application is looked up');
SELECT is(split_part(wf_test.error_of(format($$SELECT wf_test.psubmit('160140001230', %s, decode(repeat('30', 70000), 'hex'))$$, :a)), ' | ', 4),
    'Send a detached CMS signature carrying only the signer''s chain; a superuser may raise licensing.max_signature_size.',
    'submit: the hint says what to send and who may raise the limit');
SELECT ok(split_part(wf_test.error_of(format($$SELECT wf_test.psubmit('160140001230', %s, decode(repeat('30', 70000), 'hex'))$$, :a)), ' | ', 3)
          LIKE 'A signature larger than licensing.max_signature_size is refused before any other work%',
    'submit: the detail says why');
SELECT is((wf_test.submit(:a)).accepted, true, 'submit: a real signature of the same application is still accepted');

-- ------------------------------------------------------------ sign_decision
SELECT wf_test.advance(wf_test.draft('scrap-metal', '160140001230', 'sko'), 'decided') IS NOT NULL AS advanced \gset
SELECT max(id) AS d FROM licensing.application WHERE state = 'decided' \gset
SELECT wf_test.snapshot(:d) AS s1 \gset
SELECT throws_ok(format($$SELECT wf_test.sign_as('wf_head', %s, decode(repeat('30', 100000), 'hex'))$$, :d),
    '54000', 'signature of 100000 bytes exceeds licensing.max_signature_size (64kB)',
    'sign_decision: an oversized signature is refused with 54000');
SELECT is(wf_test.snapshot(:d), :'s1', 'sign_decision: the refused call changed nothing');
SELECT throws_ok($$SELECT wf_test.sign_as('wf_exec', 987654, decode(repeat('30', 100000), 'hex'))$$,
    '54000', NULL, 'sign_decision: the size is checked first, before the application, the role or the state');
SELECT lives_ok(format($$SELECT wf_test.sign_as('wf_head', %s, %L::bytea)$$, :d,
                       test_pki.sign(licensing.decision_payload(:d), 'head')),
    'sign_decision: the head''s real signature still signs');

-- ------------------------------------------------------------ attach_document
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko') AS b \gset
SELECT wf_test.snapshot(:b) AS s2 \gset
SET LOCAL licensing.max_document_size = '1kB';
SELECT throws_ok(format($$SELECT wf_test.portal('160140001230', format('SELECT licensing.attach_document(%s, ''act'', %%L::bytea, ''act.pdf'')',
                                                                      decode(repeat('25', 1025), 'hex')))$$, :b),
    '54000', 'document of 1025 bytes exceeds licensing.max_document_size (1kB)',
    'attach_document: a document over the limit is refused with 54000');
SELECT is(wf_test.snapshot(:b), :'s2', 'attach_document: the refused call changed nothing');
SELECT throws_ok($$SELECT wf_test.portal('160140001230', format('SELECT licensing.attach_document(987654, NULL, %L::bytea, NULL)',
                                                               decode(repeat('25', 1025), 'hex')))$$,
    '54000', NULL, 'attach_document: the size is checked before the application or the other arguments');
SELECT lives_ok(format($$SELECT wf_test.portal('160140001230', format('SELECT licensing.attach_document(%s, ''act'', %%L::bytea, ''act.pdf'')',
                                                                     decode(repeat('25', 1024), 'hex')))$$, :b),
    'attach_document: a document of exactly the limit is attached');
RESET licensing.max_document_size;

-- ------------------------------------------------------------ create_application
SET LOCAL licensing.max_form_size = '1kB';
SELECT count(*) AS apps FROM licensing.application \gset
SELECT throws_matching(
    $$SELECT wf_test.portal('160140001230', format('SELECT licensing.create_application(''scrap-metal'', ''issue'', ''160140001230'', ''sko'', %L::jsonb)',
                                                  jsonb_build_object('note', repeat('SECRET', 400))))$$,
    '^form of [0-9]+ bytes exceeds licensing.max_form_size \(1kB\)$',
    'create_application: a form over the limit is refused, quoting its size and the limit');
SELECT is((SELECT count(*) FROM licensing.application), :'apps'::bigint, 'create_application: nothing was created');
SELECT alike(wf_test.error_of($$SELECT wf_test.portal('160140001230', format('SELECT licensing.create_application(%L, ''issue'', ''160140001230'', ''sko'', %L::jsonb)',
                                                                            repeat('no such service ', 100), jsonb_build_object('note', repeat('SECRET', 400))))$$),
    '54000 | form of % bytes exceeds licensing.max_form_size (1kB) | A form larger than % | Send a smaller form; a superuser may raise licensing.max_form_size.',
    'create_application: the size is checked first (an unknown service is not reported), with detail and hint');
SELECT ok(wf_test.error_of($$SELECT wf_test.portal('160140001230', format('SELECT licensing.create_application(''scrap-metal'', ''issue'', ''160140001230'', ''sko'', %L::jsonb)',
                                                                          jsonb_build_object('note', repeat('SECRET', 400))))$$) NOT LIKE '%SECRET%',
    'create_application: the error quotes no part of the form');
RESET licensing.max_form_size;

-- ------------------------------------------------------------ no long argument echoed
SELECT is(split_part(wf_test.error_of(format($$SELECT wf_test.portal('160140001230', %L)$$,
              format('SELECT licensing.create_application(%L, ''issue'', ''160140001230'', ''sko'')', repeat('s', 100000)))), ' | ', 2),
    'unknown service "ssssssssssssssssssssssssssssssssssssssss..."', 'create_application: an unknown 100 kB service is quoted by its first 40 characters');
SELECT is(split_part(wf_test.error_of(format($$SELECT wf_test.portal('160140001230', %L)$$,
              format('SELECT licensing.create_application(''scrap-metal'', ''issue'', ''160140001230'', %L)', repeat('п', 100000)))), ' | ', 2),
    'unknown provider "' || repeat('п', 40) || '..."', 'create_application: an unknown provider is cut at a character boundary');
SELECT is(split_part(wf_test.error_of(format($$SELECT wf_test.portal('160140001230', %L)$$,
              format('SELECT licensing.attach_document(%s, ''act'', ''''::bytea, %L)', :b, repeat('f', 100000)))), ' | ', 2),
    'document "ffffffffffffffffffffffffffffffffffffffff..." is empty', 'attach_document: a long file name is quoted by its first 40 characters');

SELECT * FROM finish();
ROLLBACK;
