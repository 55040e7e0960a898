-- 40_config.sql: configuration tables of API §3 and the presets shipped from the seeds.
--
-- Every table carries "shipped boolean DEFAULT false": rows this script ships are
-- marked true, and pg_extension_config_dump dumps only "WHERE NOT shipped", so a
-- dump keeps what users added and a restore into a fresh CREATE EXTENSION does not
-- clash with the presets.  Tables without presets dump all their rows.

-- ---------------------------------------------------------------- services
CREATE TABLE licensing.service (
    code            text PRIMARY KEY,
    name_kk         text NOT NULL,
    name_ru         text NOT NULL,
    name_en         text NOT NULL,
    -- which applicants the service accepts: 'individual' (an IIN), or a BIN's kind as
    -- licensing.bin_kind() names it, optionally with its division ('resident_legal_entity/head_office')
    applicant_kinds text[] NOT NULL,
    result_kind     text NOT NULL CHECK (result_kind IN ('licence', 'conclusion')),
    operations      text[] NOT NULL DEFAULT '{issue}',
    term            text NOT NULL,                 -- '15 working days', '1 month'
    default_profile text,                          -- FK added below, once profiles exist
    shipped         boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE licensing.service IS 'State services the extension handles (API §3): names, accepted applicants, result kind, overall term';
COMMENT ON COLUMN licensing.service.applicant_kinds IS '''individual'' for an IIN, or a BIN kind (resident_legal_entity, non_resident_legal_entity, joint_individual_entrepreneurship), optionally ''/division''';
COMMENT ON COLUMN licensing.service.term IS 'overall term from the receipt day: ''N working days'' or ''N month(s)''';
COMMENT ON COLUMN licensing.service.shipped IS 'true for rows shipped by the extension (not dumped)';

CREATE TABLE licensing.service_fee (
    service   text NOT NULL REFERENCES licensing.service ON UPDATE CASCADE,
    operation text NOT NULL CHECK (operation IN ('issue', 'reissue', 'duplicate')),
    amount    numeric(12,2) NOT NULL CHECK (amount OPERATOR(pg_catalog.>=) 0::numeric),
    shipped   boolean NOT NULL DEFAULT false,
    PRIMARY KEY (service, operation)
);
COMMENT ON TABLE licensing.service_fee IS 'Fee owed per service and operation, in both channels (no row: no fee)';

-- ---------------------------------------------------------------- providers
CREATE TABLE licensing.provider (
    code     text PRIMARY KEY,
    name_kk  text NOT NULL,
    name_ru  text NOT NULL,
    name_en  text NOT NULL,
    region   text,
    schedule jsonb NOT NULL DEFAULT '{}' CHECK (licensing.check_schedule(schedule)),
    shipped  boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE licensing.provider IS 'Service providers (regional departments): names, region, working schedule and time zone';
COMMENT ON COLUMN licensing.provider.schedule IS 'working hours and time zone, read by the calendar functions; {} means the default';
-- the calendar functions cache provider schedules per backend (calendar_time.c):
-- any change of the table drops every backend's cache
CREATE TRIGGER provider_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON licensing.provider
    FOR EACH STATEMENT EXECUTE FUNCTION licensing.invalidate_cache();
COMMENT ON TRIGGER provider_invalidate ON licensing.provider IS 'Drops the cached provider schedules of every backend (calendar_time.c)';

-- ---------------------------------------------------------------- profiles
CREATE TABLE licensing.profile (
    code    text PRIMARY KEY,
    service text NOT NULL REFERENCES licensing.service ON UPDATE CASCADE,
    name    text NOT NULL,
    source  text,                                  -- the seed it comes from
    shipped boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE licensing.profile IS 'Regulation profiles: a region''s ordered steps and norms for a service (API §3)';

ALTER TABLE licensing.service
    ADD FOREIGN KEY (default_profile) REFERENCES licensing.profile DEFERRABLE INITIALLY DEFERRED;

CREATE TABLE licensing.profile_step (
    profile     text NOT NULL REFERENCES licensing.profile ON UPDATE CASCADE ON DELETE CASCADE,
    position    integer NOT NULL CHECK (position > 0),
    step        text NOT NULL CHECK (step IN ('register', 'route', 'assign', 'confirm_complete',
                                              'decide', 'approve', 'sign_decision', 'deliver')),
    performer   text NOT NULL CHECK (performer IN ('clerk', 'head', 'unit_head', 'executor')),
    norm        text,                              -- '15 minutes', '2 hours', '2 working days', '15 days', '1 month'; NULL: the term's end
    anchor      text NOT NULL DEFAULT 'step_start' CHECK (anchor IN ('step_start', 'receipt', 'term_end')),
    paper_norm  text,                              -- the norm when the application came on paper (office), if different
    seed_clause text NOT NULL,
    shipped     boolean NOT NULL DEFAULT false,
    PRIMARY KEY (profile, position),
    UNIQUE (profile, step)
);
COMMENT ON TABLE licensing.profile_step IS 'Steps of a profile in order: the step (a function of API §4; decide = grant or refuse), the staff position performing it, its norm and anchor, the seed clause';
COMMENT ON COLUMN licensing.profile_step.anchor IS 'step_start: from when the step became possible; receipt: from the receipt day; term_end: the overall due date';

CREATE TABLE licensing.provider_profile (
    provider text NOT NULL REFERENCES licensing.provider ON UPDATE CASCADE ON DELETE CASCADE,
    service  text NOT NULL REFERENCES licensing.service ON UPDATE CASCADE,
    profile  text NOT NULL REFERENCES licensing.profile ON UPDATE CASCADE,
    PRIMARY KEY (provider, service)
);
COMMENT ON TABLE licensing.provider_profile IS 'Which profile a provider follows for a service (no row: the service''s default profile)';

-- ---------------------------------------------------------------- staff
CREATE TABLE licensing.staff (
    role     name NOT NULL,
    provider text NOT NULL REFERENCES licensing.provider ON UPDATE CASCADE ON DELETE CASCADE,
    position text NOT NULL CHECK (position IN ('clerk', 'head', 'unit_head', 'executor')),
    iin      licensing.iin,
    PRIMARY KEY (role, provider, position)
);
CREATE INDEX ON licensing.staff (provider, position);
-- each backend caches the table (staff.c): any change drops every backend's copy
CREATE TRIGGER staff_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON licensing.staff
    FOR EACH STATEMENT EXECUTE FUNCTION licensing.invalidate_cache();
COMMENT ON TRIGGER staff_invalidate ON licensing.staff IS 'Drops the cached staff of every backend (staff.c)';
COMMENT ON TABLE licensing.staff IS 'Staff of providers: a database role acts at a provider in a position (grants nothing by itself; the DBA grants licensing_staff)';

-- ---------------------------------------------------------------- registry mirrors
CREATE TABLE licensing.legal_entity (
    bin         licensing.bin PRIMARY KEY,
    name        text NOT NULL,
    active      boolean NOT NULL DEFAULT true,
    head_office licensing.bin,
    predecessor licensing.bin
);
COMMENT ON TABLE licensing.legal_entity IS 'Mirror of the legal-entity registry (ГБД ЮЛ); head_office for branches, predecessor for a reorganised entity';

CREATE TABLE licensing.person (
    iin  licensing.iin PRIMARY KEY,
    name text NOT NULL
);
COMMENT ON TABLE licensing.person IS 'Mirror of the person registry (ГБД ФЛ)';

CREATE TABLE licensing.power_of_attorney (
    number         text PRIMARY KEY,
    principal      text NOT NULL,                  -- IIN or BIN of the applicant
    representative licensing.iin NOT NULL,
    valid_from     date NOT NULL,
    valid_to       date NOT NULL,
    revoked        boolean NOT NULL DEFAULT false,
    CHECK (valid_from <= valid_to)
);
COMMENT ON TABLE licensing.power_of_attorney IS 'Mirror of the notary registry (ЕНИС): notarised powers of attorney only';

-- ---------------------------------------------------------------- refusal grounds
CREATE TABLE licensing.refusal_ground (
    code    text PRIMARY KEY,
    text_kk text NOT NULL,
    text_ru text NOT NULL,
    text_en text NOT NULL,
    article text,                                  -- the law's article or the seed clause
    intake  boolean NOT NULL DEFAULT false,        -- an intake refusal of submit (not a provider decision)
    shipped boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE licensing.refusal_ground IS 'Grounds of refusal with kk/ru/en texts; intake grounds are returned by submit, the others by refuse';

-- ---------------------------------------------------------------- dump filters
SELECT pg_catalog.pg_extension_config_dump('licensing.service', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('licensing.service_fee', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('licensing.provider', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('licensing.profile', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('licensing.profile_step', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('licensing.provider_profile', '');
SELECT pg_catalog.pg_extension_config_dump('licensing.staff', '');
SELECT pg_catalog.pg_extension_config_dump('licensing.legal_entity', '');
SELECT pg_catalog.pg_extension_config_dump('licensing.person', '');
SELECT pg_catalog.pg_extension_config_dump('licensing.power_of_attorney', '');
SELECT pg_catalog.pg_extension_config_dump('licensing.refusal_ground', 'WHERE NOT shipped');

-- ---------------------------------------------------------------- presets
-- Services (DOMAIN §2; 000 §1–5, 004 §1–5 scrap metal; 003 §1–5 ecological expertise).
INSERT INTO licensing.service (code, name_kk, name_ru, name_en, applicant_kinds, result_kind, operations, term, shipped) VALUES
('scrap-metal',
 'Түсті және қара металл сынықтары мен қалдықтарын жинау (дайындау), сақтау, қайта өңдеу және өткізу жөніндегі қызметке лицензия беру, қайта ресімдеу, телнұсқасын беру',
 'Выдача лицензии, переоформление, выдача дубликата лицензии на деятельность по сбору (заготовке), хранению, переработке и реализации лома и отходов цветных и черных металлов',
 'Licence for collecting, storing, processing and selling scrap and waste of non-ferrous and ferrous metals: issue, re-issue, duplicate',
 '{resident_legal_entity/head_office,non_resident_legal_entity/head_office}', 'licence',
 '{issue,reissue,duplicate,annex}', '15 working days', true),
('eco-expertise',
 'II, III және IV санаттағы объектілер үшін мемлекеттік экологиялық сараптаманың қорытындысын беру',
 'Выдача заключения государственной экологической экспертизы для объектов II, III и IV категорий',
 'Conclusion of the state ecological expertise for objects of categories II, III and IV',
 '{individual,resident_legal_entity,non_resident_legal_entity,joint_individual_entrepreneurship}', 'conclusion',
 '{issue}', '1 month', true);

-- Fees (000 §6.6–6.8, 004 §6 p.6–8): a fee per operation is owed and checked before
-- signing, in both channels.  The seeds name no amount: the rows below are the licence
-- fee of the Tax Code as 10 MRP of 2015 (1 982 tenge), a tenth of it for a re-issue and
-- the full rate for a duplicate.  A DBA updates them; the checks read whatever is here.
INSERT INTO licensing.service_fee (service, operation, amount, shipped) VALUES
('scrap-metal', 'issue',     19820.00, true),
('scrap-metal', 'reissue',    1982.00, true),
('scrap-metal', 'duplicate', 19820.00, true);

INSERT INTO licensing.profile (code, service, name, source, shipped) VALUES
('south-kazakhstan-2015', 'scrap-metal', 'South Kazakhstan region, 2015', '002_0b62dce62e1dc425.txt §4–5', true),
('almaty-2014', 'scrap-metal', 'Almaty region, 2014', '001_63dfd95066e7cd6b.txt §17–24, §26', true),
('karaganda-2013', 'eco-expertise', 'Karaganda region, 2013', '003_a74bda05652fe1c9.txt §6–7, table 1 step 9', true);

UPDATE licensing.service SET default_profile = 'south-kazakhstan-2015' WHERE code OPERATOR(pg_catalog.=) 'scrap-metal';
UPDATE licensing.service SET default_profile = 'karaganda-2013' WHERE code OPERATOR(pg_catalog.=) 'eco-expertise';

INSERT INTO licensing.profile_step (profile, position, step, performer, norm, anchor, paper_norm, seed_clause, shipped) VALUES
-- 002 §5 1)–5); §4: completeness within 2 working days of receipt
('south-kazakhstan-2015', 1, 'register',         'clerk',    '15 minutes',      'step_start', NULL, '002 §5 1)', true),
('south-kazakhstan-2015', 2, 'assign',           'head',     '2 hours',         'step_start', NULL, '002 §5 2)', true),
('south-kazakhstan-2015', 3, 'confirm_complete', 'executor', '2 working days',  'receipt',    NULL, '002 §4', true),
('south-kazakhstan-2015', 4, 'decide',           'executor', '15 working days', 'term_end',   NULL, '002 §5 3)', true),
('south-kazakhstan-2015', 5, 'sign_decision',    'head',     '2 hours',         'step_start', NULL, '002 §5 4)', true),
('south-kazakhstan-2015', 6, 'deliver',          'clerk',    '15 minutes',      'step_start', NULL, '002 §5 5)', true),
-- 001 §17–24; §26: a result for a paper application printed within 20 minutes
('almaty-2014', 1, 'register',         'clerk',     '1 hour',   'step_start', NULL, '001 §17', true),
('almaty-2014', 2, 'route',            'head',      '1 hour',   'step_start', NULL, '001 §18–19', true),
('almaty-2014', 3, 'assign',           'unit_head', '1 hour',   'step_start', NULL, '001 §20', true),
('almaty-2014', 4, 'confirm_complete', 'executor',  '15 days',  'step_start', NULL, '001 §21', true),
('almaty-2014', 5, 'decide',           'executor',  '15 days',  'step_start', NULL, '001 §21', true),
('almaty-2014', 6, 'approve',          'unit_head', '1 hour',   'step_start', NULL, '001 §22', true),
('almaty-2014', 7, 'sign_decision',    'head',      '1 hour',   'step_start', NULL, '001 §23', true),
('almaty-2014', 8, 'deliver',          'clerk',     NULL,       'step_start', '20 minutes', '001 §24, §26', true),
-- 003 §6–7: no internal norms; the conclusion within one month (003 table 1, step 9)
('karaganda-2013', 1, 'register',         'clerk',    '1 month', 'term_end', NULL, '003 §7 5)', true),
('karaganda-2013', 2, 'assign',           'head',     '1 month', 'term_end', NULL, '003 §7', true),
('karaganda-2013', 3, 'confirm_complete', 'executor', '1 month', 'term_end', NULL, '003 §6 11)', true),
('karaganda-2013', 4, 'decide',           'executor', '1 month', 'term_end', NULL, '003 §6 11)–12)', true),
('karaganda-2013', 5, 'sign_decision',    'head',     '1 month', 'term_end', NULL, '003 §6 13)', true),
('karaganda-2013', 6, 'deliver',          'clerk',    '1 month', 'term_end', NULL, '003 §6 13)', true);

-- Refusal grounds (DOMAIN §8).  Intake: 000 §6 / 004 §6 processes 5 and 7, §7 process 5.
INSERT INTO licensing.refusal_ground (code, text_kk, text_ru, text_en, article, intake, shipped) VALUES
('no_payment',
 'Қызмет үшін төлем жасалмаған',
 'Отсутствует оплата за услугу',
 'No payment for the service',
 '000 §6.6–6.8 (process 5); 004 §6 p.6–8', true, true),
('signature_not_confirmed',
 'Қызмет алушының ЭЦҚ түпнұсқалығы расталмаған',
 'Не подтверждена подлинность ЭЦП получателя услуги',
 'The applicant''s electronic signature is not confirmed',
 '000 §6 (process 7); 003 §6 8); 004 §6 (process 7)', true, true),
('applicant_not_found',
 'Қызмет алушы туралы деректерді алу мүмкін емес',
 'Невозможно получить данные о получателе услуги',
 'The applicant''s data cannot be obtained from the registry',
 '000 §7 (process 5); 004 §7 7)', true, true),
('attorney_not_found',
 'Сенімхат туралы деректерді алу мүмкін емес',
 'Невозможно получить данные о доверенности',
 'The notarised power of attorney cannot be obtained',
 '000 §7 (process 5); 004 §7 7)', true, true),
('incomplete_documents',
 'Құжаттардың толық емес топтамасы ұсынылды',
 'Представлен неполный пакет документов',
 'An incomplete set of documents was submitted',
 '002 §4', false, true),
('qualification_requirements',
 'Қызмет алушы біліктілік талаптарына сәйкес келмейді',
 'Несоответствие получателя услуги квалификационным требованиям',
 'The applicant does not meet the qualification requirements',
 '000 §6 (condition 4, process 10); 003 §6 11)–12)', false, true),
('false_information',
 'Ұсынылған құжаттарда дәйексіз мәліметтер анықталды',
 'В представленных документах выявлены недостоверные сведения',
 'The documents submitted contain false information',
 '001 §5 (Standard §10)', false, true);
