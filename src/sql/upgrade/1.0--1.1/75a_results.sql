-- 75a_results.sql: what the applicant receives (issue #15, API §6 revision 2):
-- the changes to the tables; then 75b_results.include inserts the fresh
-- install's src/sql/75_results.sql itself, and 75c_results.sql the functions
-- of src/sql/50_workflow.sql, 60_licence.sql and 70_reports.sql that revision
-- 2 changes: create_application (from
-- 40_bounds.sql), _decision_payload (from 30_payload_binding.sql),
-- _check_licence_target (from 63_echoes.sql), _licence_check_details,
-- _licence_number_for, _issue_result, licence_document, licence_signed,
-- licence_html and the view licence_register.  Keep these copies equal to those files.

-- ---- annexes: their own number, date, status, issuing application, predecessor
-- (existing annexes: numbered by their position, dated and issued by their
-- licence's issue, with their licence's status; no column added with a
-- default, which would leave a "missing value" a fresh install lacks)
SELECT licensing._licence_guard(true);
ALTER TABLE licensing.licence_annex
    ADD COLUMN number text,
    ADD COLUMN issued_on date,
    ADD COLUMN status text CHECK (status IN ('active', 'suspended', 'terminated', 'reissued')),
    ADD COLUMN application bigint REFERENCES licensing.application (id),
    ADD COLUMN supersedes integer;
UPDATE licensing.licence_annex la
   SET number = la.licence OPERATOR(pg_catalog.||) '-'
                OPERATOR(pg_catalog.||) pg_catalog.lpad(la.position::text, GREATEST(2, pg_catalog.length(la.position::text)), '0'),
       issued_on = l.issued_on, status = l.status, application = l.application
  FROM licensing.licence l
 WHERE l.number OPERATOR(pg_catalog.=) la.licence;
SELECT licensing._licence_guard(false);
ALTER TABLE licensing.licence_annex
    ALTER COLUMN number SET NOT NULL,
    ALTER COLUMN issued_on SET NOT NULL,
    ALTER COLUMN status SET DEFAULT 'active',
    ALTER COLUMN status SET NOT NULL,
    ALTER COLUMN application SET NOT NULL,
    ADD CONSTRAINT licence_annex_number_key UNIQUE (number),
    ADD FOREIGN KEY (licence, supersedes) REFERENCES licensing.licence_annex (licence, position) DEFERRABLE INITIALLY DEFERRED;
COMMENT ON COLUMN licensing.licence_annex.number IS 'the annex''s own number: the licence''s number, a hyphen and the position (two digits at least), never reused';
COMMENT ON COLUMN licensing.licence_annex.status IS 'follows the licence (suspended, resumed, terminated, re-issued with it); reissued when re-issued alone';
COMMENT ON COLUMN licensing.licence_annex.supersedes IS 'for an annex re-issued alone: the position of the annex it replaced (now status reissued)';

-- ---- the licence's history records annexes added and re-issued alone
ALTER TABLE licensing.licence_event DROP CONSTRAINT licence_event_event_check,
    ADD CONSTRAINT licence_event_event_check CHECK (event IN ('issued', 'reissued', 'duplicate', 'suspended', 'resumed', 'terminated',
                                                             'annex_added', 'annex_reissued'));
COMMENT ON COLUMN licensing.licence_event.related IS 'the licence on the other side of a re-issue (the new one for reissued, the old one for issued); the new annex''s number for annex_added and annex_reissued';

-- ---- scrap metal: an annex is added to an existing licence (operation annex)
UPDATE licensing.service SET operations = '{issue,reissue,duplicate,annex}'
 WHERE code OPERATOR(pg_catalog.=) 'scrap-metal' AND shipped;

