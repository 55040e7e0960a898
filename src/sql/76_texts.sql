-- 76_texts.sql: the specific causes of intake refusals (issue #15; API §4,
-- revision 2: verdict.reason), and each refusal ground's legal basis per profile.  submit (50_workflow.sql) returns the ground's
-- text and the reason's, in Kazakh, Russian and English; the guard
-- (workflow.c) names the reason.  Last of the parts before 99_finish.sql, as
-- the upgrade part of the same name is last: pg_extension_config_dump lists
-- the tables in the order they were registered, and both orders must agree.

-- The specific cause of an intake refusal (API §4 verdict.reason): submit returns the
-- ground's text and this one, in Kazakh, Russian and English.
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
-- The specific causes of intake refusals (API §4 verdict.reason): the signature problems
-- of API §5 and who signed what, the payment, the registries.
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
