-- 74_catalogue.sql: what a service requires, per operation and applicant kind (issue #14,
-- API §4.1): the documents (and which may come as paper originals at the office), the
-- form fields, and the qualification requirements the executor checks.  Data a DBA
-- changes (rows of licensing_admin; shipped rows are marked and not dumped, rows a DBA
-- adds are dumped by pg_dump).  confirm_complete refuses (55000) while a required
-- document or form field is missing, naming them; missing_documents() names them before.
--
-- applicant_kind: 'individual' (an IIN), a BIN kind as licensing.bin_kind() names it,
-- that kind with its division ('resident_legal_entity/head_office'), or '*' for every
-- applicant; operation: issue, reissue, duplicate or '*'.

CREATE TABLE licensing.required_document (
    service        text NOT NULL REFERENCES licensing.service ON UPDATE CASCADE ON DELETE CASCADE,
    operation      text NOT NULL CHECK (operation IN ('issue', 'reissue', 'duplicate', '*')),
    applicant_kind text NOT NULL DEFAULT '*',
    kind           text NOT NULL CHECK (kind OPERATOR(pg_catalog.<>) ''),
    name_kk        text NOT NULL,
    name_ru        text NOT NULL,
    name_en        text NOT NULL,
    paper_allowed  boolean NOT NULL DEFAULT false,
    clause         text NOT NULL,
    shipped        boolean NOT NULL DEFAULT false,
    PRIMARY KEY (service, operation, applicant_kind, kind)
);
COMMENT ON TABLE licensing.required_document IS 'Documents a service requires per operation and applicant kind (attach_document''s kind); paper_allowed: may be a scan of a paper original presented at the office';

CREATE TABLE licensing.required_form_field (
    service        text NOT NULL REFERENCES licensing.service ON UPDATE CASCADE ON DELETE CASCADE,
    operation      text NOT NULL CHECK (operation IN ('issue', 'reissue', 'duplicate', '*')),
    applicant_kind text NOT NULL DEFAULT '*',
    field          text NOT NULL CHECK (field OPERATOR(pg_catalog.<>) ''),
    name_kk        text NOT NULL,
    name_ru        text NOT NULL,
    name_en        text NOT NULL,
    clause         text NOT NULL,
    shipped        boolean NOT NULL DEFAULT false,
    PRIMARY KEY (service, operation, applicant_kind, field)
);
COMMENT ON TABLE licensing.required_form_field IS 'Keys of the application form a service requires per operation and applicant kind (present, not JSON null, not an empty string)';

CREATE TABLE licensing.qualification_requirement (
    service   text NOT NULL REFERENCES licensing.service ON UPDATE CASCADE ON DELETE CASCADE,
    operation text NOT NULL CHECK (operation IN ('issue', 'reissue', 'duplicate', '*')),
    code      text NOT NULL,
    text_kk   text NOT NULL,
    text_ru   text NOT NULL,
    text_en   text NOT NULL,
    clause    text NOT NULL,
    shipped   boolean NOT NULL DEFAULT false,
    PRIMARY KEY (service, operation, code)
);
COMMENT ON TABLE licensing.qualification_requirement IS 'What the executor checks before a decision (a failure is refused with ground qualification_requirements)';

SELECT pg_catalog.pg_extension_config_dump('licensing.required_document', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('licensing.required_form_field', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('licensing.qualification_requirement', 'WHERE NOT shipped');

-- Shipped from the regulations (README "Regulations").  They name the documents through
-- the state service standard (its §9 and appendix 2, not among the regulations we hold);
-- what they name themselves is below.  A DBA adds
-- the Standard's list (INSERT ... shipped false: dumped and restored with the database).
INSERT INTO licensing.required_document (service, operation, applicant_kind, kind, name_kk, name_ru, name_en,
                                         paper_allowed, clause, shipped) VALUES
('scrap-metal', 'issue', '*', 'qualification_documents',
 'Өнеркәсіп саласында қызметті жүргізу үшін біліктілік талаптарына сәйкестігін растайтын құжаттар тізбесі және мәліметтер нысаны',
 'Перечень документов, подтверждающих соответствие квалификационным требованиям для осуществления деятельности в сфере промышленности, и форма сведений',
 'Documents confirming compliance with the qualification requirements for industrial activity, with the information form (the Standard, appendix 2)',
 true, 'Almaty region resolution No 161 of 13.05.2014, §8; paper at the office: Almaty region resolution No 161 of 13.05.2014, §16 8); South Kazakhstan resolution No 382 of 19.12.2012, §7 8) (process 6)', true),
('eco-expertise', 'issue', '*', 'expertise_materials',
 'Мемлекеттік экологиялық сараптамаға ұсынылатын объект материалдары',
 'Материалы объекта, представляемые на государственную экологическую экспертизу',
 'The object''s materials submitted for the state ecological expertise',
 true, 'Karaganda region resolution No 29/02 of 22.05.2013, §6 5) (process 3: the documents attached electronically), §7 8) (process 6: paper documents scanned at the office)', true);

INSERT INTO licensing.required_form_field (service, operation, applicant_kind, field, name_kk, name_ru, name_en, clause, shipped) VALUES
('scrap-metal', 'reissue', '*', 'ground', 'Қайта ресімдеу негізі', 'Основание переоформления', 'Ground of the re-issue (licensing.reissue_ground)',
 'Law 202-V art. 33 p. 1; South Kazakhstan resolution No 382 of 19.12.2012, §1; West Kazakhstan resolution No 40 of 29.03.2013, §1 (re-issue)', true);

INSERT INTO licensing.qualification_requirement (service, operation, code, text_kk, text_ru, text_en, clause, shipped) VALUES
('scrap-metal', '*', 'industrial_activity',
 'Өнеркәсіп саласында қызметті жүргізу үшін біліктілік талаптарына және лицензия беру негіздеріне сәйкестік',
 'Соответствие квалификационным требованиям для осуществления деятельности в сфере промышленности и основаниям для выдачи лицензии',
 'Compliance with the qualification requirements for industrial activity and the grounds for issuing a licence',
 'South Kazakhstan resolution No 382 of 19.12.2012, §6 14) (condition 4); Almaty region resolution No 161 of 13.05.2014, §8; West Kazakhstan resolution No 40 of 29.03.2013, §6 14) (condition 4)', true),
('eco-expertise', '*', 'expertise_grounds',
 'Қорытынды беру үшін негізге және біліктілік талабына сәйкестік',
 'Соответствие основаниям и квалификационным требованиям для выдачи заключения',
 'Compliance with the grounds and qualification requirements for the conclusion',
 'Karaganda region resolution No 29/02 of 22.05.2013, §6 11) (condition 3)', true);

-- The kinds an applicant is, as the catalogue names them: {individual} for an IIN,
-- {kind, kind/division} for a BIN, each with '*'.
CREATE FUNCTION licensing._applicant_kinds(applicant text) RETURNS text[]
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
AS $$
    SELECT CASE WHEN licensing.iin_is_valid($1) THEN ARRAY['*', 'individual']
                WHEN licensing.bin_is_valid($1) THEN ARRAY['*', licensing.bin_kind($1::licensing.bin),
                     licensing.bin_kind($1::licensing.bin) OPERATOR(pg_catalog.||) '/' OPERATOR(pg_catalog.||) licensing.bin_division($1::licensing.bin)]
                ELSE ARRAY['*'] END
$$;
COMMENT ON FUNCTION licensing._applicant_kinds(text) IS 'internal: the applicant kinds of an IIN or BIN as the catalogue names them (with *)';

-- What the application still lacks, without the visibility check (the guard's).
-- A document counts when attached with its kind; a scan of a paper original only
-- where the catalogue allows paper.
CREATE FUNCTION licensing._missing(application bigint) RETURNS TABLE (what text, name text)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    SELECT 'document'::text, r.kind
      FROM licensing.application a
      JOIN licensing.required_document r ON r.service OPERATOR(pg_catalog.=) a.service
       AND r.operation IN (a.operation, '*') AND r.applicant_kind OPERATOR(pg_catalog.=) ANY (licensing._applicant_kinds(a.applicant))
     WHERE a.id OPERATOR(pg_catalog.=) $1
       AND NOT EXISTS (SELECT 1 FROM licensing.application_document d
                        WHERE d.application OPERATOR(pg_catalog.=) a.id AND d.kind OPERATOR(pg_catalog.=) r.kind
                          AND (NOT d.paper_original OR r.paper_allowed))
    UNION
    SELECT 'form field', f.field
      FROM licensing.application a
      JOIN licensing.required_form_field f ON f.service OPERATOR(pg_catalog.=) a.service
       AND f.operation IN (a.operation, '*') AND f.applicant_kind OPERATOR(pg_catalog.=) ANY (licensing._applicant_kinds(a.applicant))
     WHERE a.id OPERATOR(pg_catalog.=) $1
       AND COALESCE(a.form OPERATOR(pg_catalog.->>) f.field, '') OPERATOR(pg_catalog.=) ''
    ORDER BY 1, 2
$$;
COMMENT ON FUNCTION licensing._missing(bigint) IS 'internal: the documents and form fields an application lacks by the catalogue (used by the guard of confirm_complete)';

CREATE FUNCTION licensing.missing_documents(application bigint) RETURNS SETOF text
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    a licensing.application := licensing._visible($1);
BEGIN
    RETURN QUERY SELECT m.name FROM licensing._missing(a.id) m WHERE m.what OPERATOR(pg_catalog.=) 'document';
END
$$;
COMMENT ON FUNCTION licensing.missing_documents(bigint) IS 'The kinds of the documents the catalogue requires that the application lacks (a scan of a paper original counts only where paper is allowed)';

CREATE FUNCTION licensing.missing_form_fields(application bigint) RETURNS SETOF text
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    a licensing.application := licensing._visible($1);
BEGIN
    RETURN QUERY SELECT m.name FROM licensing._missing(a.id) m WHERE m.what OPERATOR(pg_catalog.=) 'form field';
END
$$;
COMMENT ON FUNCTION licensing.missing_form_fields(bigint) IS 'The keys of the form the catalogue requires that the application lacks';

GRANT SELECT ON licensing.required_document, licensing.required_form_field, licensing.qualification_requirement TO PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON licensing.required_document, licensing.required_form_field,
                                        licensing.qualification_requirement TO licensing_admin;
REVOKE ALL ON FUNCTION licensing._missing(bigint) FROM PUBLIC;
REVOKE ALL ON FUNCTION licensing._applicant_kinds(text) FROM PUBLIC;
