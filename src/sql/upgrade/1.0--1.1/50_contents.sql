-- 50_contents.sql (upgrade part of src/sql/55_contents.sql): tamper evidence for what an application is made of besides
-- its row (issue #13 part 7).  The chain records each document's SHA-256, each
-- payment and the survey as they were written; verify_history asks this
-- function whether the tables still hold exactly that: a document whose
-- content no longer hashes to its recorded SHA-256, a payment or survey changed,
-- added or deleted behind the extension's back (superuser, triggers off) is
-- found.  The signing payload trusts the stored SHA-256, so the content itself
-- is hashed again here.

CREATE FUNCTION licensing._contents_verify(app bigint) RETURNS boolean
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
AS $$
    SELECT
      -- documents: each row's content hashes to its stored SHA-256, and the rows
      -- are the attach_document events, one for one
      (SELECT COALESCE(pg_catalog.jsonb_agg(x ORDER BY x::text), '[]')
         FROM (SELECT pg_catalog.jsonb_build_object('document', d.id, 'kind', d.kind, 'filename', d.filename,
                          'sha256', pg_catalog.encode(d.sha256, 'hex'), 'paper_original', d.paper_original) AS x
                 FROM licensing.application_document d
                WHERE d.application OPERATOR(pg_catalog.=) app
                  AND d.sha256 OPERATOR(pg_catalog.=) pg_catalog.sha256(d.content)) docs)
      OPERATOR(pg_catalog.=)
      (SELECT COALESCE(pg_catalog.jsonb_agg(e.payload ORDER BY e.payload::text), '[]')
         FROM licensing.application_event e
        WHERE e.application OPERATOR(pg_catalog.=) app AND e.what OPERATOR(pg_catalog.=) 'attach_document')
      -- documents whose content no longer hashes to their SHA-256 are not counted above
      AND NOT EXISTS (SELECT FROM licensing.application_document d
                       WHERE d.application OPERATOR(pg_catalog.=) app
                         AND d.sha256 OPERATOR(pg_catalog.<>) pg_catalog.sha256(d.content))
      -- payments: the rows are the record_payment events, one for one
      AND (SELECT COALESCE(pg_catalog.jsonb_agg(x ORDER BY x::text), '[]')
             FROM (SELECT pg_catalog.jsonb_build_object('payment', p.id, 'amount', p.amount, 'reference', p.reference,
                              'paid_at', licensing._utc(p.paid_at)) AS x
                     FROM licensing.application_payment p
                    WHERE p.application OPERATOR(pg_catalog.=) app) pays)
          OPERATOR(pg_catalog.=)
          (SELECT COALESCE(pg_catalog.jsonb_agg(e.payload ORDER BY e.payload::text), '[]')
             FROM licensing.application_event e
            WHERE e.application OPERATOR(pg_catalog.=) app AND e.what OPERATOR(pg_catalog.=) 'record_payment')
      -- the survey: the row is the survey event (none, or one)
      AND (SELECT COALESCE(pg_catalog.jsonb_agg(x ORDER BY x::text), '[]')
             FROM (SELECT pg_catalog.jsonb_build_object('process_quality', s.process_quality,
                              'information_quality', s.information_quality) AS x
                     FROM licensing.application_survey s
                    WHERE s.application OPERATOR(pg_catalog.=) app) surveys)
          OPERATOR(pg_catalog.=)
          (SELECT COALESCE(pg_catalog.jsonb_agg(e.payload ORDER BY e.payload::text), '[]')
             FROM licensing.application_event e
            WHERE e.application OPERATOR(pg_catalog.=) app AND e.what OPERATOR(pg_catalog.=) 'survey')
$$;
COMMENT ON FUNCTION licensing._contents_verify(bigint) IS
    'internal: whether an application''s documents (re-hashed), payments and survey are exactly what its history recorded';
REVOKE ALL ON FUNCTION licensing._contents_verify(bigint) FROM PUBLIC;

