-- 76_texts.sql (upgrade part of issue #15, "texts"): what an applicant reads.
-- The same as the fresh-install parts 40_config.sql (refusal_ground.article_kk/_ru,
-- service.activity_*, intake_reason, the profiles south-kazakhstan-2012 and
-- west-kazakhstan-2013, citations by each regulation's own identity),
-- 50_workflow.sql (verdict.reason, submit) and 60_licence.sql (licence_html,
-- refusal_html).  Shipped rows are rewritten in place; rows users added are left
-- as they are.

-- ---- verdict.reason (API §4, revision 2)
ALTER TYPE licensing.verdict ADD ATTRIBUTE reason text;
ALTER TYPE licensing._transition_verdict ADD ATTRIBUTE reason text;
COMMENT ON TYPE licensing.verdict IS 'What submit answers: accepted with its number, or an intake refusal with its ground, its specific reason (licensing.intake_reason) and texts naming both';
COMMENT ON TYPE licensing._transition_verdict IS 'The guard''s answer: allowed, or the SQLSTATE, intake ground, its specific reason and texts of why not';

-- ---- the licensed activity (service.activity_*)
ALTER TABLE licensing.service ADD COLUMN activity_kk text, ADD COLUMN activity_ru text, ADD COLUMN activity_en text;
COMMENT ON COLUMN licensing.service.activity_kk IS 'the licensed activity printed on the licence (not the name of the state service); NULL for a service whose result is no licence';
UPDATE licensing.service SET
    activity_kk = 'Заңды тұлғалардың түсті және қара металл сынықтары мен қалдықтарын жинау (дайындау), сақтау, қайта өңдеу және өткізу жөніндегі қызметі',
    activity_ru = 'Сбор (заготовка), хранение, переработка и реализация юридическими лицами лома и отходов цветных и черных металлов',
    activity_en = 'Collecting (procuring), storing, processing and selling of scrap and waste of non-ferrous and ferrous metals by legal entities'
 WHERE code OPERATOR(pg_catalog.=) 'scrap-metal';

-- ---- refusal grounds cite the regulations by their identity, in each language
ALTER TABLE licensing.refusal_ground ADD COLUMN article_kk text, ADD COLUMN article_ru text;
COMMENT ON COLUMN licensing.refusal_ground.article IS 'the legal basis in English: the regulation by its own identity (the akimat''s resolution, its date and number) and the paragraph';
COMMENT ON COLUMN licensing.refusal_ground.article_kk IS 'the legal basis on the Kazakh page of a refusal (refusal_html)';
COMMENT ON COLUMN licensing.refusal_ground.article_ru IS 'the legal basis on the Russian page of a refusal (refusal_html)';
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
 'пункт 5 регламента, утверждённого постановлением акимата Алматинской области от 13 мая 2014 года № 161 (пункт 10 стандарта государственной услуги)')
ON CONFLICT (code) DO UPDATE SET article = EXCLUDED.article, article_kk = EXCLUDED.article_kk,
    article_ru = EXCLUDED.article_ru WHERE refusal_ground.shipped;
-- the ground of the corrections (73_corrections.sql), shipped before these columns
UPDATE licensing.refusal_ground SET
    article_kk = 'Оңтүстік Қазақстан облысы әкімдігінің 2012 жылғы 19 желтоқсандағы № 382 қаулысымен бекітілген регламенттің 1-тармағы; Батыс Қазақстан облысы әкімдігінің 2013 жылғы 29 наурыздағы № 40 қаулысымен бекітілген регламенттің 1-тармағы (қолданыстағы лицензияны қайта ресімдеу және оның телнұсқасын беру)',
    article_ru = 'пункт 1 регламента, утверждённого постановлением акимата Южно-Казахстанской области от 19 декабря 2012 года № 382; пункт 1 регламента, утверждённого постановлением акимата Западно-Казахстанской области от 29 марта 2013 года № 40 (переоформление и выдача дубликата действующей лицензии)'
 WHERE code OPERATOR(pg_catalog.=) 'licence_status_changed' AND shipped;

-- ---- intake refusal reasons
CREATE TABLE licensing.intake_reason (
    code    text PRIMARY KEY,
    ground  text NOT NULL REFERENCES licensing.refusal_ground ON UPDATE CASCADE,
    text_kk text NOT NULL,
    text_ru text NOT NULL,
    text_en text NOT NULL,
    shipped boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE licensing.intake_reason IS 'Specific causes of intake refusals (verdict.reason of submit) with kk/ru/en texts, each under its ground';
SELECT pg_catalog.pg_extension_config_dump('licensing.intake_reason', 'WHERE NOT shipped');
INSERT INTO licensing.intake_reason (code, ground, text_kk, text_ru, text_en, shipped) VALUES
('not_paid', 'no_payment',
 'Төлем шлюзі бұл өтініш бойынша бірде-бір төлем туралы хабарламаған',
 'Платёжный шлюз не сообщил ни об одном платеже по этому заявлению',
 'The payment gateway has reported no payment for this application', true),
('underpaid', 'no_payment',
 'Төленген сома алым мөлшерінен аз',
 'Оплаченная сумма меньше размера сбора',
 'The amount paid is less than the fee', true),
('no_signature', 'signature_not_confirmed',
 'Сұрауға ЭЦҚ-мен қол қойылмаған',
 'Запрос не подписан ЭЦП',
 'The request is not signed', true),
('malformed', 'signature_not_confirmed',
 'Қолтаңбаны оқу мүмкін емес: ол CMS пішімінде емес немесе бүлінген',
 'Подпись невозможно прочитать: она не в формате CMS или повреждена',
 'The signature cannot be read: it is not CMS, or it is damaged', true),
('bad_signature', 'signature_not_confirmed',
 'Қолтаңба тексеруден өтпеді: ол бүлінген',
 'Подпись не прошла проверку: она повреждена',
 'The signature does not verify: it is broken', true),
('untrusted', 'signature_not_confirmed',
 'ЭЦҚ тіркеу куәлігін сенім білдірілген куәландырушы орталық бермеген',
 'Регистрационное свидетельство ЭЦП выдано удостоверяющим центром, которому нет доверия',
 'The certificate was not issued by a trusted certification authority', true),
('expired', 'signature_not_confirmed',
 'ЭЦҚ тіркеу куәлігінің қолданылу мерзімі өтіп кеткен',
 'Истёк срок действия регистрационного свидетельства ЭЦП',
 'The certificate has expired', true),
('not_yet_valid', 'signature_not_confirmed',
 'ЭЦҚ тіркеу куәлігінің қолданылу мерзімі әлі басталмаған',
 'Срок действия регистрационного свидетельства ЭЦП ещё не начался',
 'The certificate is not valid yet', true),
('revoked', 'signature_not_confirmed',
 'ЭЦҚ тіркеу куәлігі кері қайтарылған (жойылған)',
 'Регистрационное свидетельство ЭЦП отозвано (аннулировано)',
 'The certificate has been revoked', true),
('revocation_unknown', 'signature_not_confirmed',
 'ЭЦҚ тіркеу куәлігінің кері қайтарылмағанын тексеру мүмкін болмады',
 'Не удалось проверить, не отозвано ли регистрационное свидетельство ЭЦП',
 'Whether the certificate has been revoked could not be checked', true),
('key_usage', 'signature_not_confirmed',
 'ЭЦҚ тіркеу куәлігінің кілті қол қоюға арналмаған',
 'Ключ регистрационного свидетельства ЭЦП не предназначен для подписи',
 'The certificate''s key may not be used to sign', true),
('not_for_signing', 'signature_not_confirmed',
 'Сұрауға қол қою кілтімен емес, аутентификация кілтімен қол қойылған',
 'Запрос подписан ключом аутентификации, а не ключом подписи',
 'The request is signed with an authentication key, not a signing key', true),
('no_signing_right', 'signature_not_confirmed',
 'Тіркеу куәлігінің иесінің заңды тұлғаның атынан қол қою құқығы жоқ',
 'У владельца регистрационного свидетельства нет права подписи от имени юридического лица',
 'The certificate''s holder has no right to sign for the legal entity', true),
('bad_timestamp', 'signature_not_confirmed',
 'Қолтаңбаның уақыт белгісі жарамсыз',
 'Метка времени подписи недействительна',
 'The signature''s time stamp is not valid', true),
('not_the_applicant', 'signature_not_confirmed',
 'Сұрауға басқа тұлғаның ЭЦҚ-сымен қол қойылған: тіркеу куәлігіндегі ЖСН/БСН сұраудағы ЖСН/БСН-мен сәйкес келмейді',
 'Запрос подписан ЭЦП другого лица: ИИН/БИН в регистрационном свидетельстве не совпадает с ИИН/БИН в запросе',
 'The request is signed with another person''s certificate: its IIN/BIN differs from the one in the request', true),
('not_this_application', 'signature_not_confirmed',
 'Қолтаңба басқа мазмұнға қойылған: сұрау қол қойылғаннан кейін өзгертілген немесе қолтаңба басқа өтінішке тиесілі',
 'Подпись поставлена под другим содержимым: запрос изменён после подписания или подпись относится к другому заявлению',
 'The signature was made over other content: the request changed after it was signed, or the signature belongs to another application', true),
('not_in_registry', 'applicant_not_found',
 'Қызмет алушы туралы деректер мемлекеттік деректер базасында жоқ',
 'Сведения о получателе услуги отсутствуют в государственной базе данных',
 'The applicant is not in the state database (of individuals or of legal entities)', true),
('entity_not_active', 'applicant_not_found',
 'Заңды тұлғалар мемлекеттік деректер базасында заңды тұлға әрекет етпейтін деп көрсетілген',
 'В государственной базе данных юридических лиц юридическое лицо значится недействующим',
 'The state database of legal entities marks the legal entity as not active', true),
('attorney_not_given', 'attorney_not_found',
 'Өкілдің нотариат куәландырған сенімхатының нөмірі көрсетілмеген',
 'Не указан номер нотариально удостоверенной доверенности представителя',
 'The number of the representative''s notarised power of attorney is not given', true),
('attorney_not_in_registry', 'attorney_not_found',
 'Бірыңғай нотариаттық ақпараттық жүйеде мұндай нөмірлі сенімхат жоқ',
 'В единой нотариальной информационной системе нет доверенности с таким номером',
 'The unified notary system has no power of attorney with this number', true),
('attorney_other_parties', 'attorney_not_found',
 'Сенімхатты басқа сенім білдіруші берген немесе ол басқа өкілге берілген',
 'Доверенность выдана другим доверителем или другому представителю',
 'The power of attorney names another principal or another representative', true),
('attorney_revoked', 'attorney_not_found',
 'Сенімхаттың күші жойылған',
 'Доверенность отменена',
 'The power of attorney has been revoked', true),
('attorney_not_valid_today', 'attorney_not_found',
 'Сенімхат бүгін жарамсыз: оның мерзімі өтіп кеткен немесе әлі басталмаған',
 'Доверенность сегодня не действует: её срок истёк или ещё не начался',
 'The power of attorney is not in force today: it has expired or has not started yet', true);
GRANT SELECT ON licensing.intake_reason TO PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON licensing.intake_reason TO licensing_admin;

-- ---- profiles: the 2012 South Kazakhstan and 2013 West Kazakhstan regulations, and
-- every source and clause by the regulation's identity
INSERT INTO licensing.profile (code, service, name, source, shipped) VALUES
('south-kazakhstan-2015', 'scrap-metal', 'South Kazakhstan region, 2015', 'South Kazakhstan resolution No 441 of 28.12.2015, §4–5', true),
('almaty-2014', 'scrap-metal', 'Almaty region, 2014', 'Almaty region resolution No 161 of 13.05.2014, §17–24, §26', true),
('karaganda-2013', 'eco-expertise', 'Karaganda region, 2013', 'Karaganda region resolution No 29/02 of 22.05.2013, §6–7, table 1 step 9', true),
('south-kazakhstan-2012', 'scrap-metal', 'South Kazakhstan region, 2012', 'South Kazakhstan resolution No 382 of 19.12.2012, §6–7, tables 1–2', true),
('west-kazakhstan-2013', 'scrap-metal', 'West Kazakhstan region, 2013', 'West Kazakhstan resolution No 40 of 29.03.2013, §6–7, tables 1–2', true)
ON CONFLICT (code) DO UPDATE SET source = EXCLUDED.source WHERE profile.shipped;
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
('west-kazakhstan-2013', 6, 'deliver',          'clerk',    '15 working days', 'term_end', NULL, 'No 40 of 29.03.2013, §6 16), §7 12); table 1 step 11', true)
ON CONFLICT (profile, position) DO UPDATE SET seed_clause = EXCLUDED.seed_clause WHERE profile_step.shipped;
-- a step's clause is the paragraph of its regulation, not a "seed clause" (40_config.sql, 70_reports.sql)
COMMENT ON TABLE licensing.profile_step IS 'Steps of a profile in order: the step (a function of API §4; decide = grant or refuse), the staff position performing it, its norm and anchor, the paragraph of its regulation (seed_clause)';
COMMENT ON FUNCTION licensing.workflow_dot(text) IS
    'the profile''s chain of steps (performer, norm, the paragraph of its regulation) as a Graphviz diagram';

-- The legal basis of a provider's refusal under the regulation the application's
-- profile follows: refusal_html cites this row, or, for a ground and profile without
-- one, every regulation the ground table names.  An applicant of West Kazakhstan
-- reads West Kazakhstan's resolution, not South Kazakhstan's.
CREATE TABLE licensing.ground_citation (
    ground     text NOT NULL REFERENCES licensing.refusal_ground ON UPDATE CASCADE ON DELETE CASCADE,
    profile    text NOT NULL REFERENCES licensing.profile ON UPDATE CASCADE ON DELETE CASCADE,
    article_kk text NOT NULL,
    article_ru text NOT NULL,
    article_en text NOT NULL,
    shipped    boolean NOT NULL DEFAULT false,
    PRIMARY KEY (ground, profile)
);
COMMENT ON TABLE licensing.ground_citation IS 'The legal basis of a refusal ground under one profile''s regulation, in Kazakh, Russian and English (refusal_html prints it)';

SELECT pg_catalog.pg_extension_config_dump('licensing.ground_citation', 'WHERE NOT shipped');
INSERT INTO licensing.ground_citation (ground, profile, article_kk, article_ru, article_en, shipped) VALUES
('qualification_requirements', 'south-kazakhstan-2012',
 'Оңтүстік Қазақстан облысы әкімдігінің 2012 жылғы 19 желтоқсандағы № 382 қаулысымен бекітілген регламенттің 6-тармағының 14)–15) және 7-тармағының 10)–11) тармақшалары',
 'подпункты 14)–15) пункта 6 и 10)–11) пункта 7 регламента, утверждённого постановлением акимата Южно-Казахстанской области от 19 декабря 2012 года № 382',
 'South Kazakhstan resolution No 382 of 19.12.2012, §6 14)–15), §7 10)–11)', true),
('qualification_requirements', 'west-kazakhstan-2013',
 'Батыс Қазақстан облысы әкімдігінің 2013 жылғы 29 наурыздағы № 40 қаулысымен бекітілген регламенттің 6-тармағының 14)–15) және 7-тармағының 10)–11) тармақшалары',
 'подпункты 14)–15) пункта 6 и 10)–11) пункта 7 регламента, утверждённого постановлением акимата Западно-Казахстанской области от 29 марта 2013 года № 40',
 'West Kazakhstan resolution No 40 of 29.03.2013, §6 14)–15), §7 10)–11)', true),
('qualification_requirements', 'karaganda-2013',
 'Қарағанды облысы әкімдігінің 2013 жылғы 22 мамырдағы № 29/02 қаулысымен бекітілген регламенттің 6-тармағының 11)–12) және 7-тармағының 10)–11) тармақшалары',
 'подпункты 11)–12) пункта 6 и 10)–11) пункта 7 регламента, утверждённого постановлением акимата Карагандинской области от 22 мая 2013 года № 29/02',
 'Karaganda region resolution No 29/02 of 22.05.2013, §6 11)–12), §7 10)–11)', true),
('incomplete_documents', 'south-kazakhstan-2015',
 'Оңтүстік Қазақстан облысы әкімдігінің 2015 жылғы 28 желтоқсандағы № 441 қаулысымен бекітілген регламенттің 4-тармағы',
 'пункт 4 регламента, утверждённого постановлением акимата Южно-Казахстанской области от 28 декабря 2015 года № 441',
 'South Kazakhstan resolution No 441 of 28.12.2015, §4', true),
('false_information', 'almaty-2014',
 'Алматы облысы әкімдігінің 2014 жылғы 13 мамырдағы № 161 қаулысымен бекітілген регламенттің 5-тармағы (мемлекеттік көрсетілетін қызмет стандартының 10-тармағы)',
 'пункт 5 регламента, утверждённого постановлением акимата Алматинской области от 13 мая 2014 года № 161 (пункт 10 стандарта государственной услуги)',
 'Almaty region resolution No 161 of 13.05.2014, §5 (the state service standard, §10)', true);

GRANT SELECT ON licensing.ground_citation TO PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON licensing.ground_citation TO licensing_admin;

-- ---- submit returns the reason (moved here from 40_bounds.sql)
CREATE OR REPLACE FUNCTION licensing.submit(application bigint, signature bytea DEFAULT NULL) RETURNS licensing.verdict
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    size_ok boolean := licensing._limit_input('signature', $2);
    a licensing.application := licensing._lock($1);
    b licensing.application;
    v licensing._transition_verdict;
    g licensing.refusal_ground;
    note record;
    r licensing.intake_reason;
BEGIN
    PERFORM licensing._require_visible(a);
    b := a;
    b.state := 'submitted';
    b.applicant_signature := $2;
    v := licensing._check_transition(a, b);
    IF NOT v.ok AND v.ground IS NOT NULL THEN
        -- an intake refusal: the draft stays as it was, the history records it;
        -- each message names the ground, then the specific reason (API §4)
        SELECT * INTO g FROM licensing.refusal_ground x WHERE x.code OPERATOR(pg_catalog.=) v.ground;
        SELECT * INTO r FROM licensing.intake_reason x
         WHERE x.code OPERATOR(pg_catalog.=) v.reason AND x.ground OPERATOR(pg_catalog.=) v.ground;
        PERFORM licensing._append_event(a.id, 'intake_refused', 'draft', 'draft',
            pg_catalog.jsonb_build_object('ground', v.ground, 'reason', v.reason, 'message', v.message, 'detail', v.detail));
        PERFORM licensing._notify(a.id, 'draft', 'draft');
        note := licensing._registry_note(a);   -- a stale registry mirror says so (69_registry_freshness.sql)
        RETURN ROW(false, NULL, v.ground,
                   pg_catalog.concat_ws(' ', g.text_kk || coalesce('. ' || r.text_kk, '') || '.', note.note_kk),
                   pg_catalog.concat_ws(' ', g.text_ru || coalesce('. ' || r.text_ru, '') || '.', note.note_ru),
                   pg_catalog.concat_ws(' ', g.text_en || coalesce('. ' || r.text_en, '') || '.', note.note_en),
                   v.reason)::licensing.verdict;
    END IF;
    PERFORM licensing._raise_unless(v);
    UPDATE licensing.application x SET state = 'submitted', applicant_signature = $2
     WHERE x.id OPERATOR(pg_catalog.=) a.id RETURNING * INTO b;
    PERFORM licensing._notify(a.id, 'draft', 'submitted');
    note := licensing._registry_note(a);
    RETURN ROW(true, b.number, NULL, note.note_kk, note.note_ru, note.note_en, NULL)::licensing.verdict;
END
$$;
COMMENT ON FUNCTION licensing.submit(bigint, bytea) IS 'Submits a draft: accepted with a number, or an intake refusal (no_payment, signature_not_confirmed, applicant_not_found, attorney_not_found) with its reason';

-- ---- annexes keep the sub-type and address in Kazakh too, when the clerk gives them
ALTER TABLE licensing.licence_annex ADD COLUMN subtype_kk text, ADD COLUMN address_kk text;
COMMENT ON COLUMN licensing.licence_annex.subtype_kk IS 'the sub-type of activity in Kazakh; NULL: the Kazakh page prints subtype (Russian), marked so';
COMMENT ON COLUMN licensing.licence_annex.address_kk IS 'the address in Kazakh; NULL: the Kazakh page prints address (Russian), marked so';
COMMENT ON TABLE licensing.licence_annex IS
    'annexes of a licence: sub-type of activity, object or site address, branch or representative office (No 382 of 19.12.2012 and No 40 of 29.03.2013, §5 3))';
CREATE OR REPLACE FUNCTION licensing._licence_check_details(p_kind text, p_operation text, p_holder text,
                                                 details jsonb) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    k text;
    a jsonb;
    i integer := 0;
    b text;
    le record;
BEGIN
    IF details IS NULL OR details OPERATOR(pg_catalog.=) 'null'::jsonb THEN
        RETURN;
    END IF;
    IF jsonb_typeof(details) OPERATOR(pg_catalog.<>) 'object' THEN
        RAISE EXCEPTION 'grant details must be a JSON object, not %', jsonb_typeof(details)
            USING ERRCODE = '22023', HINT = 'Pass {"annexes": [{"subtype": ..., "address": ..., "branch_bin": ...}]} or {}.';
    END IF;
    FOR k IN SELECT jsonb_object_keys(details) LOOP
        IF p_kind OPERATOR(pg_catalog.=) 'conclusion' AND k IN ('finding', 'conditions') THEN
            CONTINUE;
        END IF;
        IF k OPERATOR(pg_catalog.<>) 'annexes' THEN
            RAISE EXCEPTION 'unknown key "%" in grant details', licensing._short(k)
                USING ERRCODE = '22023',
                      DETAIL = CASE p_kind WHEN 'conclusion' THEN 'The grant of a conclusion knows the keys "finding" and "conditions".'
                                       ELSE 'Grant details know only the key "annexes".' END,
                      HINT = CASE p_kind WHEN 'conclusion' THEN 'Pass {"finding": "positive" or "negative", "conditions": [text, ...]}.'
                                     ELSE 'Pass {"annexes": [{"subtype": ..., "address": ..., "branch_bin": ...}]} or {}.' END;
        END IF;
    END LOOP;
    -- a conclusion's content (API §6, revision 2; the result of Karaganda region
    -- No 29/02 of 22.05.2013, §6 13)): its finding and conditions
    IF p_kind OPERATOR(pg_catalog.=) 'conclusion' THEN
        IF jsonb_typeof(details->'finding') IS DISTINCT FROM 'string'
           OR details->>'finding' NOT IN ('positive', 'negative') THEN
            RAISE EXCEPTION 'the grant of a conclusion needs its finding, not %',
                            coalesce(licensing._short((details->'finding')::text), 'none')
                USING ERRCODE = '22023', DETAIL = 'A conclusion of the ecological expertise is positive or negative.',
                      HINT = 'Pass {"finding": "positive"} or {"finding": "negative"}, and "conditions": [text, ...] if any.';
        END IF;
        IF details ? 'conditions' THEN
            IF jsonb_typeof(details->'conditions') OPERATOR(pg_catalog.<>) 'array' THEN
                RAISE EXCEPTION 'grant details: "conditions" must be an array of texts'
                    USING ERRCODE = '22023', HINT = 'Pass "conditions": ["…", "…"], or leave it out.';
            END IF;
            FOR a IN SELECT value FROM jsonb_array_elements(details->'conditions') LOOP
                i := i + 1;
                IF jsonb_typeof(a) OPERATOR(pg_catalog.<>) 'string' OR btrim(a #>> '{}') OPERATOR(pg_catalog.=) '' THEN
                    RAISE EXCEPTION 'condition % of the conclusion is not a non-empty text', i
                        USING ERRCODE = '22023', DETAIL = pg_catalog.format('It is %s.', licensing._short(a::text)),
                              HINT = 'Each condition is a text the holder must comply with.';
                END IF;
            END LOOP;
            i := 0;
        END IF;
    END IF;
    IF NOT details ? 'annexes' THEN
        RETURN;
    END IF;
    IF jsonb_typeof(details->'annexes') OPERATOR(pg_catalog.<>) 'array' THEN
        RAISE EXCEPTION 'grant details: "annexes" must be an array'
            USING ERRCODE = '22023', HINT = 'Pass "annexes": [{"subtype": ..., "address": ...}].';
    END IF;
    IF jsonb_array_length(details->'annexes') OPERATOR(pg_catalog.>) 0 THEN
        IF p_kind OPERATOR(pg_catalog.=) 'conclusion' THEN
            RAISE EXCEPTION 'a conclusion has no annexes'
                USING ERRCODE = '22023', DETAIL = 'Annexes belong to licences; the ecological expertise gives a conclusion.',
                      HINT = 'Grant with details {}.';
        END IF;
        IF p_operation OPERATOR(pg_catalog.=) 'duplicate' THEN
            RAISE EXCEPTION 'a duplicate carries no new annexes'
                USING ERRCODE = '22023', DETAIL = 'A duplicate copies the licence or the annex named by the application.',
                      HINT = 'Grant with details {}.';
        END IF;
    END IF;
    FOR a IN SELECT value FROM jsonb_array_elements(details->'annexes') LOOP
        i := i + 1;
        IF jsonb_typeof(a) OPERATOR(pg_catalog.<>) 'object' THEN
            RAISE EXCEPTION 'annex % must be a JSON object', i USING ERRCODE = '22023',
                HINT = 'Each annex is {"subtype": ..., "address": ..., "branch_bin": ...}.';
        END IF;
        FOR k IN SELECT jsonb_object_keys(a) LOOP
            IF k NOT IN ('subtype', 'address', 'branch_bin', 'subtype_kk', 'address_kk') THEN
                RAISE EXCEPTION 'unknown key "%" in annex %', k, i USING ERRCODE = '22023',
                    DETAIL = 'An annex has subtype, address and optionally branch_bin, subtype_kk and address_kk.';
            END IF;
            -- the Kazakh texts are optional; given, they are texts
            IF k IN ('subtype_kk', 'address_kk') AND jsonb_typeof(a->k) OPERATOR(pg_catalog.<>) 'null'
               AND (jsonb_typeof(a->k) OPERATOR(pg_catalog.<>) 'string' OR btrim(a->>k) OPERATOR(pg_catalog.=) '') THEN
                RAISE EXCEPTION 'annex %: "%" must be a non-empty text', i, k USING ERRCODE = '22023',
                    HINT = 'Give the Kazakh text, or leave the key out: the Kazakh page then prints the Russian one, marked so.';
            END IF;
        END LOOP;
        IF jsonb_typeof(a->'subtype') IS DISTINCT FROM 'string' OR btrim(a->>'subtype') OPERATOR(pg_catalog.=) '' THEN
            RAISE EXCEPTION 'annex % has no sub-type of activity', i USING ERRCODE = '22023',
                HINT = 'Give "subtype" as a non-empty text.';
        END IF;
        IF jsonb_typeof(a->'address') IS DISTINCT FROM 'string' OR btrim(a->>'address') OPERATOR(pg_catalog.=) '' THEN
            RAISE EXCEPTION 'annex % has no address of the object or site', i USING ERRCODE = '22023',
                HINT = 'Give "address" as a non-empty text.';
        END IF;
        IF a ? 'branch_bin' AND jsonb_typeof(a->'branch_bin') OPERATOR(pg_catalog.<>) 'null' THEN
            b := a->>'branch_bin';
            IF jsonb_typeof(a->'branch_bin') OPERATOR(pg_catalog.<>) 'string' OR NOT licensing.bin_is_valid(b) THEN
                RAISE EXCEPTION 'annex %: branch_bin "%" is not a valid BIN', i, b USING ERRCODE = '22023',
                    HINT = 'Give the 12-digit BIN of the branch or representative office as a text.';
            END IF;
            IF licensing.bin_division(b::licensing.bin) NOT IN ('branch', 'representative_office') THEN
                RAISE EXCEPTION 'annex %: BIN % is not a branch or representative office', i, b USING ERRCODE = '22023',
                    DETAIL = pg_catalog.format('Its division digit says %s; an annex names a branch (1) or representative office (2).',
                                               licensing.bin_division(b::licensing.bin));
            END IF;
            SELECT e.head_office::text AS head_office, e.active INTO le
              FROM licensing.legal_entity e WHERE e.bin OPERATOR(licensing.=) b::licensing.bin;
            IF NOT FOUND THEN
                RAISE EXCEPTION 'annex %: branch % is not in the legal-entity registry', i, b USING ERRCODE = '22023',
                    HINT = 'Check the BIN, or load the registry row into licensing.legal_entity.';
            END IF;
            IF le.head_office IS DISTINCT FROM p_holder THEN
                RAISE EXCEPTION 'annex %: branch % does not belong to the licensee %', i, b, p_holder USING ERRCODE = '22023',
                    DETAIL = pg_catalog.format('Its head office in the legal-entity registry is %s.', coalesce(le.head_office, 'not recorded'));
            END IF;
            IF le.active IS NOT TRUE THEN
                RAISE EXCEPTION 'annex %: branch % is not active in the legal-entity registry', i, b USING ERRCODE = '22023';
            END IF;
        END IF;
    END LOOP;
END
$$;
CREATE OR REPLACE FUNCTION licensing._issue_result(application bigint) RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    a record;
    v_kind text;
    today date := licensing._licence_today();
    prior licensing.licence;
    v_annex integer;
BEGIN
    SELECT ap.id, ap.service, ap.operation, ap.applicant, ap.provider, ap.outcome, ap.licence_number,
           ap.result_number, ap.decision, ap.form, ap.state, ap.decision_signature, ap.decision_payload
      INTO a FROM licensing.application ap WHERE ap.id OPERATOR(pg_catalog.=) _issue_result.application;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'application % does not exist', _issue_result.application USING ERRCODE = 'P0002';
    END IF;
    -- only a decision whose head's signature the workflow has verified
    IF a.state OPERATOR(pg_catalog.<>) 'signed' OR a.decision_signature IS NULL THEN
        RAISE EXCEPTION 'application % is %, not signed', a.id, a.state
            USING ERRCODE = '55000', DETAIL = 'A licence is created only from a decision signed by the provider''s head.',
                  HINT = 'Sign the decision with licensing.sign_decision.';
    END IF;
    IF a.outcome IS DISTINCT FROM 'granted' OR a.result_number IS NULL THEN
        RAISE EXCEPTION 'application % has no granted decision with a number', a.id
            USING ERRCODE = '55000', HINT = 'A result is issued only for a granted decision.';
    END IF;
    SELECT s.result_kind INTO v_kind FROM licensing.service s WHERE s.code OPERATOR(pg_catalog.=) a.service;

    PERFORM licensing._licence_guard(true);
    IF a.operation OPERATOR(pg_catalog.=) 'duplicate' THEN
        prior := licensing._licence_find(a.licence_number, true);
        IF prior.status OPERATOR(pg_catalog.<>) 'active' THEN
            RAISE EXCEPTION 'licence % is %', prior.number, prior.status
                USING ERRCODE = '55000', DETAIL = 'Only an active licence can be duplicated.';
        END IF;
        v_annex := CASE WHEN jsonb_typeof(a.form->'annex') OPERATOR(pg_catalog.=) 'number'
                        THEN (a.form->>'annex')::integer END;
        IF v_annex IS NOT NULL THEN
            PERFORM licensing._annex_require_active(prior.number, v_annex, 'duplicated');
        END IF;
        INSERT INTO licensing.licence_duplicate (application, licence, annex, issued_on)
        VALUES (a.id, prior.number, v_annex, today);
        PERFORM licensing._licence_append(prior.number, 'duplicate', prior.status, prior.status,
                                          NULL, NULL, a.id, NULL);
        PERFORM licensing._licence_guard(false);
        RETURN prior.number;
    END IF;

    IF a.operation OPERATOR(pg_catalog.=) 'annex'
       OR (a.operation OPERATOR(pg_catalog.=) 'reissue' AND jsonb_typeof(a.form->'annex') OPERATOR(pg_catalog.=) 'number') THEN
        -- an annex added to the licence, or one annex re-issued alone: the
        -- licence keeps its number and status; the annex gets the number the
        -- signed decision names (40001 if another annex took it meanwhile)
        prior := licensing._licence_find(a.licence_number, true);
        IF prior.status OPERATOR(pg_catalog.<>) 'active' THEN
            RAISE EXCEPTION 'licence % is %', prior.number, prior.status
                USING ERRCODE = '55000',
                      DETAIL = CASE a.operation WHEN 'annex' THEN 'An annex is added only to an active licence.'
                                                ELSE 'An annex of an active licence only is re-issued.' END,
                      HINT = 'A lifecycle change came first; refuse the application with ground licence_status_changed.';
        END IF;
        PERFORM licensing._annex_issue(a.id, prior.number,
                                       pg_catalog.convert_from(a.decision_payload, 'UTF8')::jsonb, today);
        PERFORM licensing._licence_guard(false);
        RETURN prior.number;
    END IF;

    IF a.operation OPERATOR(pg_catalog.=) 'reissue' THEN
        prior := licensing._licence_find(a.licence_number, true);
        IF prior.status OPERATOR(pg_catalog.<>) 'active' THEN
            RAISE EXCEPTION 'licence % is %', prior.number, prior.status
                USING ERRCODE = '55000', DETAIL = 'Only an active licence can be re-issued.',
                      HINT = 'Another re-issue or a lifecycle change came first.';
        END IF;
    END IF;

    INSERT INTO licensing.licence (number, kind, holder, service, status, issued_on, provider, application, supersedes)
    VALUES (a.result_number, v_kind, a.applicant, a.service, 'active', today, a.provider, a.id, prior.number);

    IF jsonb_typeof(a.decision->'annexes') OPERATOR(pg_catalog.=) 'array'
       AND jsonb_array_length(a.decision->'annexes') OPERATOR(pg_catalog.>) 0 THEN
        INSERT INTO licensing.licence_annex (licence, position, subtype, address, branch_bin,
                                             number, issued_on, status, application, subtype_kk, address_kk)
        SELECT a.result_number, x.ord, x.e->>'subtype', x.e->>'address', (x.e->>'branch_bin')::licensing.bin,
               licensing._annex_number(a.result_number, x.ord::integer), today, 'active', a.id,
               x.e->>'subtype_kk', x.e->>'address_kk'
          FROM jsonb_array_elements(a.decision->'annexes') WITH ORDINALITY AS x(e, ord);
    ELSIF prior.number IS NOT NULL THEN
        -- a re-issue without new annexes carries the old licence's annexes in
        -- force over, each under the new licence's number
        INSERT INTO licensing.licence_annex (licence, position, subtype, address, branch_bin,
                                             number, issued_on, status, application, subtype_kk, address_kk)
        SELECT a.result_number, la.position, la.subtype, la.address, la.branch_bin,
               licensing._annex_number(a.result_number, la.position), today, 'active', a.id,
               la.subtype_kk, la.address_kk
          FROM licensing.licence_annex la
         WHERE la.licence OPERATOR(pg_catalog.=) prior.number AND la.status OPERATOR(pg_catalog.=) 'active';
    END IF;

    IF prior.number IS NOT NULL THEN
        UPDATE licensing.licence SET status = 'reissued', status_since = licensing.clock(),
                                     status_ground = a.form->>'ground', suspended_until = NULL
         WHERE number OPERATOR(pg_catalog.=) prior.number;
        PERFORM licensing._licence_append(prior.number, 'reissued', 'active', 'reissued',
                                          a.form->>'ground', NULL, a.id, a.result_number);
    END IF;
    PERFORM licensing._licence_append(a.result_number, 'issued', NULL, 'active',
                                      CASE WHEN prior.number IS NOT NULL THEN a.form->>'ground' END,
                                      NULL, a.id, prior.number);
    PERFORM licensing._licence_guard(false);
    RETURN a.result_number;
END
$$;

-- ---- the printed forms (refusal_html moved here from 90_privacy.sql)
CREATE OR REPLACE FUNCTION licensing.licence_html(number text) RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    l licensing.licence := licensing._licence_find(number, false);
    s record;
    p record;
    holder_name text := licensing._licence_holder_name(l.holder);
    is_bin boolean := licensing.bin_is_valid(l.holder);
    fingerprint text;
    body text := '';
    lang text;
BEGIN
    -- a licence names the licensed activity, a conclusion the state service
    SELECT CASE WHEN l.kind OPERATOR(pg_catalog.=) 'licence' THEN coalesce(sv.activity_kk, sv.name_kk) ELSE sv.name_kk END AS name_kk,
           CASE WHEN l.kind OPERATOR(pg_catalog.=) 'licence' THEN coalesce(sv.activity_ru, sv.name_ru) ELSE sv.name_ru END AS name_ru
      INTO s FROM licensing.service sv WHERE sv.code OPERATOR(pg_catalog.=) l.service;
    SELECT pv.name_kk, pv.name_ru INTO p FROM licensing.provider pv WHERE pv.code OPERATOR(pg_catalog.=) l.provider;
    -- the signed document in force: the original's, or the latest duplicate's
    SELECT pg_catalog.encode(pg_catalog.sha256(ap.decision_payload), 'hex') INTO fingerprint
      FROM licensing.application ap WHERE ap.id OPERATOR(pg_catalog.=) licensing._licence_document_application(l);
    FOREACH lang IN ARRAY ARRAY['kk', 'ru'] LOOP
        body := body || pg_catalog.format('<div class="doc" lang="%s">', lang);
        IF lang OPERATOR(pg_catalog.=) 'kk' THEN
            body := body
              || '<h1>' || CASE l.kind WHEN 'licence' THEN 'ЛИЦЕНЗИЯ' ELSE 'МЕМЛЕКЕТТІК ЭКОЛОГИЯЛЫҚ САРАПТАМАНЫҢ ҚОРЫТЫНДЫСЫ' END || '</h1>'
              || licensing._duplicate_html(l, NULL, 'kk')
              || '<p><b>№ ' || licensing._html(l.number) || '</b>, берілген күні ' || pg_catalog.to_char(l.issued_on, 'DD.MM.YYYY') || '</p>'
              || '<p>' || CASE l.kind WHEN 'licence' THEN 'Лицензиат' ELSE 'Қызмет алушы' END || ': '
              || licensing._html(coalesce(holder_name, '')) || ' (' || CASE WHEN is_bin THEN 'БСН' ELSE 'ЖСН' END || ' ' || l.holder || ')</p>'
              || '<p>' || CASE l.kind WHEN 'licence' THEN 'Лицензияланатын қызмет түрі' ELSE 'Мемлекеттік көрсетілетін қызмет' END || ': ' || licensing._html(s.name_kk) || '</p>'
              || '<p>' || CASE l.kind WHEN 'licence' THEN 'Лицензиар' ELSE 'Қызмет беруші' END || ': ' || licensing._html(p.name_kk) || '</p>'
              || CASE WHEN l.supersedes IS NOT NULL
                      THEN '<p>№ ' || l.supersedes || ' лицензияның орнына қайта ресімделді.</p>' ELSE '' END
              || licensing._conclusion_html(l, 'kk')
              || licensing._annex_table_html(l.number, 'kk')
              || '<p class="note">Тізілімдегі ағымдағы мәртебесі: '
              || CASE l.status WHEN 'active' THEN 'қолданыста' WHEN 'suspended' THEN 'тоқтатыла тұрған'
                               WHEN 'terminated' THEN 'тоқтатылған' ELSE 'қайта ресімделген' END || '.<br>'
              || 'Электрондық құжатқа қызмет берушінің уәкілетті тұлғасының ЭЦҚ-сымен қол қойылған. '
              || 'Қағаз нұсқасы электрондық құжаттан басып шығарылып, мөрмен және қолмен куәландырылады.'
              || CASE WHEN fingerprint IS NOT NULL THEN '<br>Қол қойылған құжаттың SHA-256: <code>' || fingerprint || '</code>' ELSE '' END
              || '</p>';
        ELSE
            body := body
              || '<h1>' || CASE l.kind WHEN 'licence' THEN 'ЛИЦЕНЗИЯ' ELSE 'ЗАКЛЮЧЕНИЕ ГОСУДАРСТВЕННОЙ ЭКОЛОГИЧЕСКОЙ ЭКСПЕРТИЗЫ' END || '</h1>'
              || licensing._duplicate_html(l, NULL, 'ru')
              || '<p><b>№ ' || licensing._html(l.number) || '</b>, дата выдачи ' || pg_catalog.to_char(l.issued_on, 'DD.MM.YYYY') || '</p>'
              || '<p>' || CASE l.kind WHEN 'licence' THEN 'Лицензиат' ELSE 'Получатель услуги' END || ': '
              || licensing._html(coalesce(holder_name, '')) || ' (' || CASE WHEN is_bin THEN 'БИН' ELSE 'ИИН' END || ' ' || l.holder || ')</p>'
              || '<p>' || CASE l.kind WHEN 'licence' THEN 'Лицензируемый вид деятельности' ELSE 'Государственная услуга' END || ': ' || licensing._html(s.name_ru) || '</p>'
              || '<p>' || CASE l.kind WHEN 'licence' THEN 'Лицензиар' ELSE 'Услугодатель' END || ': ' || licensing._html(p.name_ru) || '</p>'
              || CASE WHEN l.supersedes IS NOT NULL
                      THEN '<p>Переоформлена взамен лицензии № ' || l.supersedes || '.</p>' ELSE '' END
              || licensing._conclusion_html(l, 'ru')
              || licensing._annex_table_html(l.number, 'ru')
              || '<p class="note">Текущий статус в реестре: '
              -- лицензия is feminine, заключение neuter
              || CASE WHEN l.kind OPERATOR(pg_catalog.=) 'licence' THEN
                      CASE l.status WHEN 'active' THEN 'действующая' WHEN 'suspended' THEN 'приостановлена'
                                    WHEN 'terminated' THEN 'прекращена' ELSE 'переоформлена' END
                 ELSE CASE l.status WHEN 'active' THEN 'действующее' WHEN 'suspended' THEN 'приостановлено'
                                    WHEN 'terminated' THEN 'прекращено' ELSE 'переоформлено' END END || '.<br>'
              || 'Электронный документ подписан ЭЦП уполномоченного лица услугодателя. '
              || 'Бумажная копия распечатывается с электронного документа и заверяется печатью и подписью.'
              || CASE WHEN fingerprint IS NOT NULL THEN '<br>SHA-256 подписанного документа: <code>' || fingerprint || '</code>' ELSE '' END
              || '</p>';
        END IF;
        body := body || '</div>' || E'\n';
    END LOOP;
    RETURN licensing._html_page(l.number, body);
END
$$;
COMMENT ON FUNCTION licensing.licence_html(text) IS
    'printable form (HTML, Kazakh and Russian) of a licence or conclusion, for the paper result (DOMAIN §3.2)';

CREATE OR REPLACE FUNCTION licensing.refusal_html(application bigint) RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    a record;
    g record;
    s record;
    p record;
    holder_name text;
    is_bin boolean;
    fingerprint text;
BEGIN
    IF refusal_html.application IS NULL THEN
        RAISE EXCEPTION 'application must not be NULL' USING ERRCODE = '22023';
    END IF;
    SELECT ap.id, ap.number, ap.applicant, ap.service, ap.provider, ap.outcome, ap.state, ap.ground,
           ap.reason_kk, ap.reason_ru, ap.decided_at, ap.decision_payload, ap.profile
      INTO a FROM licensing.application ap WHERE ap.id OPERATOR(pg_catalog.=) refusal_html.application;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'application % does not exist', refusal_html.application
            USING ERRCODE = 'P0002', HINT = 'Check the application id.';
    END IF;
    IF NOT licensing._licence_may_read(a.provider, a.applicant) THEN
        -- an application the caller may not see: as if there were none (API §8)
        RAISE EXCEPTION 'application % does not exist', refusal_html.application
            USING ERRCODE = 'P0002', HINT = 'Check the application id.';
    END IF;
    IF a.outcome IS DISTINCT FROM 'refused' THEN
        RAISE EXCEPTION 'application % was not refused', a.id
            USING ERRCODE = '55000', DETAIL = pg_catalog.format('Its state is %s, its outcome %s.', a.state, coalesce(a.outcome, 'not decided')),
                  HINT = 'A reasoned refusal exists only for a refused application.';
    END IF;
    -- the legal basis under the regulation of the application's profile, else every one the ground names
    SELECT rg.text_kk, rg.text_ru, coalesce(gc.article_kk, rg.article_kk, rg.article) AS article_kk,
           coalesce(gc.article_ru, rg.article_ru, rg.article) AS article_ru
      INTO g FROM licensing.refusal_ground rg
      LEFT JOIN licensing.ground_citation gc
        ON gc.ground OPERATOR(pg_catalog.=) rg.code AND gc.profile OPERATOR(pg_catalog.=) a.profile
     WHERE rg.code OPERATOR(pg_catalog.=) a.ground;
    SELECT sv.name_kk, sv.name_ru INTO s FROM licensing.service sv WHERE sv.code OPERATOR(pg_catalog.=) a.service;
    SELECT pv.name_kk, pv.name_ru INTO p FROM licensing.provider pv WHERE pv.code OPERATOR(pg_catalog.=) a.provider;
    holder_name := licensing._licence_holder_name(a.applicant);
    is_bin := licensing.bin_is_valid(a.applicant);
    fingerprint := pg_catalog.encode(pg_catalog.sha256(a.decision_payload), 'hex');
    RETURN licensing._html_page('refusal ' || coalesce(a.number, a.id::text),
        '<div class="doc" lang="kk"><h1>ДӘЛЕЛДІ БАС ТАРТУ</h1>'
        || '<p>Өтініш № ' || licensing._html(coalesce(a.number, a.id::text))
        || CASE WHEN a.decided_at IS NOT NULL
                THEN ', шешім күні ' || pg_catalog.to_char((a.decided_at AT TIME ZONE 'UTC') OPERATOR(pg_catalog.+) interval '5 hours', 'DD.MM.YYYY') ELSE '' END || '</p>'
        || '<p>Қызмет алушы: ' || licensing._html(coalesce(holder_name, '')) || ' (' || CASE WHEN is_bin THEN 'БСН' ELSE 'ЖСН' END || ' ' || licensing._html(a.applicant) || ')</p>'
        || '<p>Мемлекеттік көрсетілетін қызмет: ' || licensing._html(s.name_kk) || '</p>'
        || '<p>Қызмет беруші: ' || licensing._html(p.name_kk) || '</p>'
        || '<p>Бас тарту негізі: <b>' || licensing._html(g.text_kk) || '</b>'
        || CASE WHEN g.article_kk IS NOT NULL THEN ' (' || licensing._html(g.article_kk) || ')' ELSE '' END || '</p>'
        || '<p>Себебі: ' || licensing._html(a.reason_kk) || '</p>'
        || '<p class="note">Электрондық құжатқа қызмет берушінің уәкілетті тұлғасының ЭЦҚ-сымен қол қойылған.'
        || CASE WHEN fingerprint IS NOT NULL THEN '<br>Қол қойылған құжаттың SHA-256: <code>' || fingerprint || '</code>' ELSE '' END
        || '</p></div>' || E'\n'
        || '<div class="doc" lang="ru"><h1>МОТИВИРОВАННЫЙ ОТКАЗ</h1>'
        || '<p>Заявление № ' || licensing._html(coalesce(a.number, a.id::text))
        || CASE WHEN a.decided_at IS NOT NULL
                THEN ', дата решения ' || pg_catalog.to_char((a.decided_at AT TIME ZONE 'UTC') OPERATOR(pg_catalog.+) interval '5 hours', 'DD.MM.YYYY') ELSE '' END || '</p>'
        || '<p>Получатель услуги: ' || licensing._html(coalesce(holder_name, '')) || ' (' || CASE WHEN is_bin THEN 'БИН' ELSE 'ИИН' END || ' ' || licensing._html(a.applicant) || ')</p>'
        || '<p>Государственная услуга: ' || licensing._html(s.name_ru) || '</p>'
        || '<p>Услугодатель: ' || licensing._html(p.name_ru) || '</p>'
        || '<p>Основание отказа: <b>' || licensing._html(g.text_ru) || '</b>'
        || CASE WHEN g.article_ru IS NOT NULL THEN ' (' || licensing._html(g.article_ru) || ')' ELSE '' END || '</p>'
        || '<p>Причина: ' || licensing._html(a.reason_ru) || '</p>'
        || '<p class="note">Электронный документ подписан ЭЦП уполномоченного лица услугодателя.'
        || CASE WHEN fingerprint IS NOT NULL THEN '<br>SHA-256 подписанного документа: <code>' || fingerprint || '</code>' ELSE '' END
        || '</p></div>' || E'\n');
END
$$;
COMMENT ON FUNCTION licensing.refusal_html(bigint) IS
    'printable form (HTML, Kazakh and Russian) of a reasoned refusal, for the paper result (DOMAIN §3.2)';
