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
    shipped         boolean NOT NULL DEFAULT false,
    activity_kk     text,                          -- the licensed activity, as the licence names it
    activity_ru     text,
    activity_en     text
);
COMMENT ON TABLE licensing.service IS 'State services the extension handles (API §3): names, accepted applicants, result kind, overall term';
COMMENT ON COLUMN licensing.service.applicant_kinds IS '''individual'' for an IIN, or a BIN kind (resident_legal_entity, non_resident_legal_entity, joint_individual_entrepreneurship), optionally ''/division''';
COMMENT ON COLUMN licensing.service.term IS 'overall term from the receipt day: ''N working days'' or ''N month(s)''';
COMMENT ON COLUMN licensing.service.activity_kk IS 'the licensed activity printed on the licence (not the name of the state service); NULL for a service whose result is no licence';
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
    source  text,                                  -- the regulation it follows, by its identity
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
COMMENT ON TABLE licensing.profile_step IS 'Steps of a profile in order: the step (a function of API §4; decide = grant or refuse), the staff position performing it, its norm and anchor, the paragraph of its regulation (seed_clause)';
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
    predecessor licensing.bin,
    loaded_at   timestamptz DEFAULT pg_catalog.now()
);
COMMENT ON TABLE licensing.legal_entity IS 'Mirror of the legal-entity registry (ГБД ЮЛ); head_office for branches, predecessor for a reorganised entity';

CREATE TABLE licensing.person (
    iin  licensing.iin PRIMARY KEY,
    name text NOT NULL,
    loaded_at timestamptz DEFAULT pg_catalog.now()
);
COMMENT ON TABLE licensing.person IS 'Mirror of the person registry (ГБД ФЛ)';

CREATE TABLE licensing.power_of_attorney (
    number         text PRIMARY KEY,
    principal      text NOT NULL,                  -- IIN or BIN of the applicant
    representative licensing.iin NOT NULL,
    valid_from     date NOT NULL,
    valid_to       date NOT NULL,
    revoked        boolean NOT NULL DEFAULT false,
    CHECK (valid_from <= valid_to),
    loaded_at      timestamptz DEFAULT pg_catalog.now()
);
COMMENT ON TABLE licensing.power_of_attorney IS 'Mirror of the notary registry (ЕНИС): notarised powers of attorney only';

-- ---------------------------------------------------------------- refusal grounds
CREATE TABLE licensing.refusal_ground (
    code    text PRIMARY KEY,
    text_kk text NOT NULL,
    text_ru text NOT NULL,
    text_en text NOT NULL,
    article text,                                  -- the law's article or the regulation's paragraph
    intake  boolean NOT NULL DEFAULT false,        -- an intake refusal of submit (not a provider decision)
    shipped boolean NOT NULL DEFAULT false,
    article_kk text,                               -- the legal basis as a Kazakh reader cites it
    article_ru text                                -- the legal basis as a Russian reader cites it
);
COMMENT ON TABLE licensing.refusal_ground IS 'Grounds of refusal with kk/ru/en texts; intake grounds are returned by submit, the others by refuse';
COMMENT ON COLUMN licensing.refusal_ground.article IS 'the legal basis in English: the regulation by its own identity (the akimat''s resolution, its date and number) and the paragraph';
COMMENT ON COLUMN licensing.refusal_ground.article_kk IS 'the legal basis on the Kazakh page of a refusal (refusal_html)';
COMMENT ON COLUMN licensing.refusal_ground.article_ru IS 'the legal basis on the Russian page of a refusal (refusal_html)';

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
-- Services (DOMAIN §2; No 382 of 19.12.2012 and No 40 of 29.03.2013, §1–5: scrap metal;
-- No 29/02 of 22.05.2013, §1–5: ecological expertise).
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

-- The licensed activity, as a licence names it (the name of the state service is
-- "issue, re-issue, duplicate of a licence for ..."): the activity of the seeds'
-- titles, South Kazakhstan No 382 of 2012 (Kazakh) and West Kazakhstan No 40 of 2013
-- (Russian).
UPDATE licensing.service SET
    activity_kk = 'Заңды тұлғалардың түсті және қара металл сынықтары мен қалдықтарын жинау (дайындау), сақтау, қайта өңдеу және өткізу жөніндегі қызметі',
    activity_ru = 'Сбор (заготовка), хранение, переработка и реализация юридическими лицами лома и отходов цветных и черных металлов',
    activity_en = 'Collecting (procuring), storing, processing and selling of scrap and waste of non-ferrous and ferrous metals by legal entities'
 WHERE code OPERATOR(pg_catalog.=) 'scrap-metal';

-- Fees (No 382 of 19.12.2012 and No 40 of 29.03.2013, §6 6)–8)): a fee per operation is owed and checked before
-- signing, in both channels.  The seeds name no amount: the rows below are the licence
-- fee of the Tax Code as 10 MRP of 2015 (1 982 tenge), a tenth of it for a re-issue and
-- the full rate for a duplicate.  A DBA updates them; the checks read whatever is here.
INSERT INTO licensing.service_fee (service, operation, amount, shipped) VALUES
('scrap-metal', 'issue',     19820.00, true),
('scrap-metal', 'reissue',    1982.00, true),
('scrap-metal', 'duplicate', 19820.00, true);

-- Profiles.  Each regulation is cited by its own identity: the akimat's resolution
-- that approved it (region, number, date) and its paragraph; README "Regulations"
-- maps each to its source text in ../shared/seeds.
INSERT INTO licensing.profile (code, service, name, source, shipped) VALUES
('south-kazakhstan-2015', 'scrap-metal', 'South Kazakhstan region, 2015', 'South Kazakhstan resolution No 441 of 28.12.2015, §4–5', true),
('almaty-2014', 'scrap-metal', 'Almaty region, 2014', 'Almaty region resolution No 161 of 13.05.2014, §17–24, §26', true),
('karaganda-2013', 'eco-expertise', 'Karaganda region, 2013', 'Karaganda region resolution No 29/02 of 22.05.2013, §6–7, table 1 step 9', true),
('south-kazakhstan-2012', 'scrap-metal', 'South Kazakhstan region, 2012', 'South Kazakhstan resolution No 382 of 19.12.2012, §6–7, tables 1–2', true),
('west-kazakhstan-2013', 'scrap-metal', 'West Kazakhstan region, 2013', 'West Kazakhstan resolution No 40 of 29.03.2013, §6–7, tables 1–2', true);

UPDATE licensing.service SET default_profile = 'south-kazakhstan-2015' WHERE code OPERATOR(pg_catalog.=) 'scrap-metal';
UPDATE licensing.service SET default_profile = 'karaganda-2013' WHERE code OPERATOR(pg_catalog.=) 'eco-expertise';

INSERT INTO licensing.profile_step (profile, position, step, performer, norm, anchor, paper_norm, seed_clause, shipped) VALUES
-- South Kazakhstan No 441 of 2015, §5 1)–5); §4: completeness within 2 working days of receipt
('south-kazakhstan-2015', 1, 'register',         'clerk',    '15 minutes',      'step_start', NULL, 'No 441 of 28.12.2015, §5 1)', true),
('south-kazakhstan-2015', 2, 'assign',           'head',     '2 hours',         'step_start', NULL, 'No 441 of 28.12.2015, §5 2)', true),
('south-kazakhstan-2015', 3, 'confirm_complete', 'executor', '2 working days',  'receipt',    NULL, 'No 441 of 28.12.2015, §4', true),
('south-kazakhstan-2015', 4, 'decide',           'executor', '15 working days', 'term_end',   NULL, 'No 441 of 28.12.2015, §5 3)', true),
('south-kazakhstan-2015', 5, 'sign_decision',    'head',     '2 hours',         'step_start', NULL, 'No 441 of 28.12.2015, §5 4)', true),
('south-kazakhstan-2015', 6, 'deliver',          'clerk',    '15 minutes',      'step_start', NULL, 'No 441 of 28.12.2015, §5 5)', true),
-- Almaty region No 161 of 2014, §17–24; §26: a result for a paper application printed within 20 minutes
('almaty-2014', 1, 'register',         'clerk',     '1 hour',   'step_start', NULL, 'No 161 of 13.05.2014, §17', true),
('almaty-2014', 2, 'route',            'head',      '1 hour',   'step_start', NULL, 'No 161 of 13.05.2014, §18–19', true),
('almaty-2014', 3, 'assign',           'unit_head', '1 hour',   'step_start', NULL, 'No 161 of 13.05.2014, §20', true),
('almaty-2014', 4, 'confirm_complete', 'executor',  '15 days',  'step_start', NULL, 'No 161 of 13.05.2014, §21', true),
('almaty-2014', 5, 'decide',           'executor',  '15 days',  'step_start', NULL, 'No 161 of 13.05.2014, §21', true),
('almaty-2014', 6, 'approve',          'unit_head', '1 hour',   'step_start', NULL, 'No 161 of 13.05.2014, §22', true),
('almaty-2014', 7, 'sign_decision',    'head',      '1 hour',   'step_start', NULL, 'No 161 of 13.05.2014, §23', true),
('almaty-2014', 8, 'deliver',          'clerk',     NULL,       'step_start', '20 minutes', 'No 161 of 13.05.2014, §24, §26', true),
-- Karaganda region No 29/02 of 2013, §6–7: no internal norms; the conclusion within one
-- month (table 1, step 9)
('karaganda-2013', 1, 'register',         'clerk',    '1 month', 'term_end', NULL, 'No 29/02 of 22.05.2013, §7 5)', true),
('karaganda-2013', 2, 'assign',           'head',     '1 month', 'term_end', NULL, 'No 29/02 of 22.05.2013, §7', true),
('karaganda-2013', 3, 'confirm_complete', 'executor', '1 month', 'term_end', NULL, 'No 29/02 of 22.05.2013, §6 11)', true),
('karaganda-2013', 4, 'decide',           'executor', '1 month', 'term_end', NULL, 'No 29/02 of 22.05.2013, §6 11)–12)', true),
('karaganda-2013', 5, 'sign_decision',    'head',     '1 month', 'term_end', NULL, 'No 29/02 of 22.05.2013, §6 13)', true),
('karaganda-2013', 6, 'deliver',          'clerk',    '1 month', 'term_end', NULL, 'No 29/02 of 22.05.2013, §6 13)', true),
-- South Kazakhstan No 382 of 2012, §6 (portal) and §7 (office): the request is registered
-- and processed (§6 13), §7 9)), checked against the qualification requirements and
-- grounds (§6 14), §7 10)), refused with reasons (§6 15), §7 11)) or the electronic
-- licence formed with the EDS of the provider's authorised person (§6 16), §7 12)).  No
-- internal step has a norm of its own (tables 1–2 time only the portal's and the
-- office's screens): each step is due by the end of the licence's term.
('south-kazakhstan-2012', 1, 'register',         'clerk',    '15 working days', 'term_end', NULL, 'No 382 of 19.12.2012, §6 13), §7 9)', true),
('south-kazakhstan-2012', 2, 'assign',           'head',     '15 working days', 'term_end', NULL, 'No 382 of 19.12.2012, §6 13), §7 9)', true),
('south-kazakhstan-2012', 3, 'confirm_complete', 'executor', '15 working days', 'term_end', NULL, 'No 382 of 19.12.2012, §6 14), §7 10)', true),
('south-kazakhstan-2012', 4, 'decide',           'executor', '15 working days', 'term_end', NULL, 'No 382 of 19.12.2012, §6 14)–15), §7 10)–11)', true),
('south-kazakhstan-2012', 5, 'sign_decision',    'head',     '15 working days', 'term_end', NULL, 'No 382 of 19.12.2012, §6 16), §7 12)', true),
('south-kazakhstan-2012', 6, 'deliver',          'clerk',    '15 working days', 'term_end', NULL, 'No 382 of 19.12.2012, §6 16), §7 12)', true),
-- West Kazakhstan No 40 of 2013, §6–7, the same flow; table 1 step 9 (table 2 step 7 at
-- the office): the request registered with a number and processed in 15 working days,
-- then a reasoned refusal (step 10) or the electronic licence (step 11)
('west-kazakhstan-2013', 1, 'register',         'clerk',    '15 working days', 'term_end', NULL, 'No 40 of 29.03.2013, §6 13), §7 9); table 1 step 9', true),
('west-kazakhstan-2013', 2, 'assign',           'head',     '15 working days', 'term_end', NULL, 'No 40 of 29.03.2013, §6 13), §7 9); table 1 step 9', true),
('west-kazakhstan-2013', 3, 'confirm_complete', 'executor', '15 working days', 'term_end', NULL, 'No 40 of 29.03.2013, §6 14), §7 10)', true),
('west-kazakhstan-2013', 4, 'decide',           'executor', '15 working days', 'term_end', NULL, 'No 40 of 29.03.2013, §6 14)–15), §7 10)–11); table 1 steps 9–10', true),
('west-kazakhstan-2013', 5, 'sign_decision',    'head',     '15 working days', 'term_end', NULL, 'No 40 of 29.03.2013, §6 16), §7 12)', true),
('west-kazakhstan-2013', 6, 'deliver',          'clerk',    '15 working days', 'term_end', NULL, 'No 40 of 29.03.2013, §6 16), §7 12); table 1 step 11', true);

-- Refusal grounds (DOMAIN §8), each with its legal basis in English, Kazakh and Russian.
-- Intake: the portal's processes 5 and 7 (§6), the office's process 5 (§7).
INSERT INTO licensing.refusal_ground (code, text_kk, text_ru, text_en, article, intake, shipped, article_kk, article_ru) VALUES
('no_payment',
 'Қызмет үшін төлем жасалмаған',
 'Отсутствует оплата за услугу',
 'No payment for the service',
 'South Kazakhstan resolution No 382 of 19.12.2012, §6 7)–8); West Kazakhstan resolution No 40 of 29.03.2013, §6 7)–8)', true, true,
 'Оңтүстік Қазақстан облысы әкімдігінің 2012 жылғы 19 желтоқсандағы № 382 қаулысымен бекітілген регламенттің 6-тармағының 7)–8) тармақшалары; Батыс Қазақстан облысы әкімдігінің 2013 жылғы 29 наурыздағы № 40 қаулысымен бекітілген регламенттің 6-тармағының 7)–8) тармақшалары',
 'подпункты 7)–8) пункта 6 регламента, утверждённого постановлением акимата Южно-Казахстанской области от 19 декабря 2012 года № 382; подпункты 7)–8) пункта 6 регламента, утверждённого постановлением акимата Западно-Казахстанской области от 29 марта 2013 года № 40'),
('signature_not_confirmed',
 'Қызмет алушының ЭЦҚ түпнұсқалығы расталмаған',
 'Не подтверждена подлинность ЭЦП получателя услуги',
 'The applicant''s electronic signature is not confirmed',
 'South Kazakhstan resolution No 382 of 19.12.2012, §6 10)–11); Karaganda region resolution No 29/02 of 22.05.2013, §6 7)–8); West Kazakhstan resolution No 40 of 29.03.2013, §6 10)–11)', true, true,
 'Оңтүстік Қазақстан облысы әкімдігінің 2012 жылғы 19 желтоқсандағы № 382 қаулысымен бекітілген регламенттің 6-тармағының 10)–11) тармақшалары; Қарағанды облысы әкімдігінің 2013 жылғы 22 мамырдағы № 29/02 қаулысымен бекітілген регламенттің 6-тармағының 7)–8) тармақшалары; Батыс Қазақстан облысы әкімдігінің 2013 жылғы 29 наурыздағы № 40 қаулысымен бекітілген регламенттің 6-тармағының 10)–11) тармақшалары',
 'подпункты 10)–11) пункта 6 регламента, утверждённого постановлением акимата Южно-Казахстанской области от 19 декабря 2012 года № 382; подпункты 7)–8) пункта 6 регламента, утверждённого постановлением акимата Карагандинской области от 22 мая 2013 года № 29/02; подпункты 10)–11) пункта 6 регламента, утверждённого постановлением акимата Западно-Казахстанской области от 29 марта 2013 года № 40'),
('applicant_not_found',
 'Қызмет алушы туралы деректерді алу мүмкін емес',
 'Невозможно получить данные о получателе услуги',
 'The applicant''s data cannot be obtained from the registry',
 'South Kazakhstan resolution No 382 of 19.12.2012, §7 6)–7); Karaganda region resolution No 29/02 of 22.05.2013, §7 6)–7); West Kazakhstan resolution No 40 of 29.03.2013, §7 6)–7)', true, true,
 'Оңтүстік Қазақстан облысы әкімдігінің 2012 жылғы 19 желтоқсандағы № 382 қаулысымен бекітілген регламенттің 7-тармағының 6)–7) тармақшалары; Қарағанды облысы әкімдігінің 2013 жылғы 22 мамырдағы № 29/02 қаулысымен бекітілген регламенттің 7-тармағының 6)–7) тармақшалары; Батыс Қазақстан облысы әкімдігінің 2013 жылғы 29 наурыздағы № 40 қаулысымен бекітілген регламенттің 7-тармағының 6)–7) тармақшалары',
 'подпункты 6)–7) пункта 7 регламента, утверждённого постановлением акимата Южно-Казахстанской области от 19 декабря 2012 года № 382; подпункты 6)–7) пункта 7 регламента, утверждённого постановлением акимата Карагандинской области от 22 мая 2013 года № 29/02; подпункты 6)–7) пункта 7 регламента, утверждённого постановлением акимата Западно-Казахстанской области от 29 марта 2013 года № 40'),
('attorney_not_found',
 'Сенімхат туралы деректерді алу мүмкін емес',
 'Невозможно получить данные о доверенности',
 'The notarised power of attorney cannot be obtained',
 'South Kazakhstan resolution No 382 of 19.12.2012, §7 6)–7); West Kazakhstan resolution No 40 of 29.03.2013, §7 6)–7)', true, true,
 'Оңтүстік Қазақстан облысы әкімдігінің 2012 жылғы 19 желтоқсандағы № 382 қаулысымен бекітілген регламенттің 7-тармағының 6)–7) тармақшалары; Батыс Қазақстан облысы әкімдігінің 2013 жылғы 29 наурыздағы № 40 қаулысымен бекітілген регламенттің 7-тармағының 6)–7) тармақшалары',
 'подпункты 6)–7) пункта 7 регламента, утверждённого постановлением акимата Южно-Казахстанской области от 19 декабря 2012 года № 382; подпункты 6)–7) пункта 7 регламента, утверждённого постановлением акимата Западно-Казахстанской области от 29 марта 2013 года № 40'),
('incomplete_documents',
 'Құжаттардың толық емес топтамасы ұсынылды',
 'Представлен неполный пакет документов',
 'An incomplete set of documents was submitted',
 'South Kazakhstan resolution No 441 of 28.12.2015, §4', false, true,
 'Оңтүстік Қазақстан облысы әкімдігінің 2015 жылғы 28 желтоқсандағы № 441 қаулысымен бекітілген регламенттің 4-тармағы',
 'пункт 4 регламента, утверждённого постановлением акимата Южно-Казахстанской области от 28 декабря 2015 года № 441'),
('qualification_requirements',
 'Қызмет алушы біліктілік талаптарына сәйкес келмейді',
 'Несоответствие получателя услуги квалификационным требованиям',
 'The applicant does not meet the qualification requirements',
 'South Kazakhstan resolution No 382 of 19.12.2012, §6 14)–15), §7 10)–11); Karaganda region resolution No 29/02 of 22.05.2013, §6 11)–12), §7 10)–11); West Kazakhstan resolution No 40 of 29.03.2013, §6 14)–15), §7 10)–11)', false, true,
 'Оңтүстік Қазақстан облысы әкімдігінің 2012 жылғы 19 желтоқсандағы № 382 қаулысымен бекітілген регламенттің 6-тармағының 14)–15) және 7-тармағының 10)–11) тармақшалары; Қарағанды облысы әкімдігінің 2013 жылғы 22 мамырдағы № 29/02 қаулысымен бекітілген регламенттің 6-тармағының 11)–12) және 7-тармағының 10)–11) тармақшалары; Батыс Қазақстан облысы әкімдігінің 2013 жылғы 29 наурыздағы № 40 қаулысымен бекітілген регламенттің 6-тармағының 14)–15) және 7-тармағының 10)–11) тармақшалары',
 'подпункты 14)–15) пункта 6 и 10)–11) пункта 7 регламента, утверждённого постановлением акимата Южно-Казахстанской области от 19 декабря 2012 года № 382; подпункты 11)–12) пункта 6 и 10)–11) пункта 7 регламента, утверждённого постановлением акимата Карагандинской области от 22 мая 2013 года № 29/02; подпункты 14)–15) пункта 6 и 10)–11) пункта 7 регламента, утверждённого постановлением акимата Западно-Казахстанской области от 29 марта 2013 года № 40'),
('false_information',
 'Ұсынылған құжаттарда дәйексіз мәліметтер анықталды',
 'В представленных документах выявлены недостоверные сведения',
 'The documents submitted contain false information',
 'Almaty region resolution No 161 of 13.05.2014, §5 (the state service standard, §10)', false, true,
 'Алматы облысы әкімдігінің 2014 жылғы 13 мамырдағы № 161 қаулысымен бекітілген регламенттің 5-тармағы (мемлекеттік көрсетілетін қызмет стандартының 10-тармағы)',
 'пункт 5 регламента, утверждённого постановлением акимата Алматинской области от 13 мая 2014 года № 161 (пункт 10 стандарта государственной услуги)');
