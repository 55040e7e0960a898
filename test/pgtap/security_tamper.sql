-- Tamper evidence covers everything an application is made of (issue #13 part 7,
-- QUALITY R5): a document's content, a payment, a survey changed, added or
-- deleted behind the extension's back (a superuser with triggers off) is found
-- by verify_history, which re-hashes each document and compares the payments
-- and the survey with what the chain recorded.
BEGIN;
SELECT plan(15);
\ir ../fixtures/signing.sql
SELECT test_pki.load_trust();
\ir ../fixtures/workflow.sql

SELECT wf_test.draft('scrap-metal', '160140001230', 'sko') AS a \gset
SELECT wf_test.advance(:a, 'delivered') IS NOT NULL AS delivered;
SELECT wf_test.portal('160140001230', format('SELECT licensing.survey(%s, 3, 2)', :a)) IS NULL AS surveyed;
SELECT wf_test.draft('eco-expertise', '901120405675', 'krg') AS b \gset

SELECT ok(licensing.verify_history(:a) AND licensing.verify_history(:b) AND licensing.verify_history(),
          'untouched: every chain and every content verifies');

-- Each tampering in its own savepoint, with triggers off (session_replication_role = replica).
CREATE FUNCTION pg_temp.tampered(app bigint, q text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    r boolean;
BEGIN
    SET LOCAL session_replication_role = replica;
    EXECUTE q;
    SET LOCAL session_replication_role = origin;
    r := licensing.verify_history(app);
    RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = CASE WHEN r THEN 'undetected' ELSE 'detected' END;
EXCEPTION WHEN raise_exception THEN
    RETURN SQLERRM = 'detected';
END $$;

SELECT ok(pg_temp.tampered(:a, format($$UPDATE licensing.application_document SET content = 'forged charter' WHERE application = %s$$, :a)),
          'a document''s content changed (its stored SHA-256 kept) is found');
SELECT ok(pg_temp.tampered(:a, format($$UPDATE licensing.application_document SET content = 'forged', sha256 = sha256('forged') WHERE application = %s$$, :a)),
          'a document''s content and SHA-256 both changed are found');
SELECT ok(pg_temp.tampered(:a, format($$UPDATE licensing.application_document SET filename = 'other.pdf' WHERE application = %s$$, :a)),
          'a document renamed is found');
SELECT ok(pg_temp.tampered(:a, format($$DELETE FROM licensing.application_document WHERE application = %s$$, :a)),
          'a document deleted is found');
SELECT ok(pg_temp.tampered(:a, format($$INSERT INTO licensing.application_document (application, kind, filename, content, sha256)
                                         VALUES (%s, 'charter', 'late.pdf', 'late', sha256('late'))$$, :a)),
          'a document added without its event is found');
SELECT ok(pg_temp.tampered(:a, format($$UPDATE licensing.application_payment SET amount = amount * 10 WHERE application = %s$$, :a)),
          'a payment''s amount changed is found');
SELECT ok(pg_temp.tampered(:a, format($$UPDATE licensing.application_payment SET paid_at = paid_at - interval '1 day' WHERE application = %s$$, :a)),
          'a payment''s date changed is found');
SELECT ok(pg_temp.tampered(:a, format($$DELETE FROM licensing.application_payment WHERE application = %s$$, :a)),
          'a payment deleted is found');
SELECT ok(pg_temp.tampered(:b, format($$INSERT INTO licensing.application_payment (application, amount, reference, paid_at)
                                         VALUES (%s, 100, 'FORGED-1', now())$$, :b)),
          'a payment added without its event is found');
SELECT ok(pg_temp.tampered(:a, format($$UPDATE licensing.application_survey SET process_quality = 1 WHERE application = %s$$, :a)),
          'a survey answer changed is found');
SELECT ok(pg_temp.tampered(:a, format($$DELETE FROM licensing.application_survey WHERE application = %s$$, :a)),
          'a survey deleted is found');
SELECT ok(NOT pg_temp.tampered(:a, 'SELECT 1'),
          'control: the same harness with no change finds nothing');

SELECT ok(licensing.verify_history(), 'after the rolled-back tamperings every chain verifies again');
SELECT is(has_function_privilege('public', 'licensing._contents_verify(bigint)', 'EXECUTE'), false,
          'the content check is not executable by PUBLIC');

SELECT * FROM finish();
ROLLBACK;
