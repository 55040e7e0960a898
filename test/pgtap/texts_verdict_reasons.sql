-- Intake refusals carry their specific reason (API §4 verdict.reason, issue #15):
-- a code of licensing.intake_reason and kk/ru/en messages naming the ground and
-- the reason, for every cause the checks tell apart — the payment, each
-- signature problem of API §5, a signer who is not the applicant, a signature
-- over other content, the registries and the power of attorney.
BEGIN;
SELECT plan(36);
\ir ../fixtures/signing.sql
SELECT test_pki.load_trust();
\ir ../fixtures/workflow.sql

-- the reason of a verdict, and the verdict's three messages end with the reason's texts
CREATE FUNCTION wf_test.reason(v licensing.verdict) RETURNS text LANGUAGE sql AS $$
    SELECT v.ground || '/' || coalesce(v.reason, '-')
        || CASE WHEN EXISTS (SELECT FROM licensing.intake_reason r
                              WHERE r.code = v.reason AND r.ground = v.ground
                                AND v.message_kk = (SELECT g.text_kk FROM licensing.refusal_ground g WHERE g.code = v.ground) || '. ' || r.text_kk || '.'
                                AND v.message_ru = (SELECT g.text_ru FROM licensing.refusal_ground g WHERE g.code = v.ground) || '. ' || r.text_ru || '.'
                                AND v.message_en = (SELECT g.text_en FROM licensing.refusal_ground g WHERE g.code = v.ground) || '. ' || r.text_en || '.')
                THEN '' ELSE ' (messages do not name it)' END
$$;

-- ---- the reason table: every reason under an intake ground, three texts each
SELECT is((SELECT count(*) FROM licensing.intake_reason r JOIN licensing.refusal_ground g ON g.code = r.ground
            WHERE g.intake AND r.shipped AND btrim(r.text_kk) <> '' AND btrim(r.text_ru) <> '' AND btrim(r.text_en) <> ''),
    (SELECT count(*) FROM licensing.intake_reason), 'every shipped reason belongs to an intake ground and has kk, ru and en texts');
SELECT set_eq($$SELECT code FROM licensing.intake_reason WHERE ground = 'signature_not_confirmed'$$,
    ARRAY['no_signature', 'malformed', 'bad_signature', 'untrusted', 'expired', 'not_yet_valid', 'revoked',
          'revocation_unknown', 'key_usage', 'not_for_signing', 'no_signing_right', 'bad_timestamp',
          'not_the_applicant', 'not_this_application'],
    'signature_not_confirmed has a reason for each problem of API §5 and for who signed what');

-- ---- portal: payment
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko') AS a \gset
SELECT is(wf_test.reason(wf_test.psubmit('160140001230', :a, test_pki.sign(licensing.signing_payload(:a), 'company'))),
    'no_payment/not_paid', 'nothing paid: no_payment, not_paid');
SELECT is((wf_test.psubmit('160140001230', :a, test_pki.sign(licensing.signing_payload(:a), 'company'))).message_ru,
    'Отсутствует оплата за услугу. Платёжный шлюз не сообщил ни об одном платеже по этому заявлению.', 'the Russian message reads as a sentence each');
SELECT is((SELECT payload->>'reason' FROM licensing.application_event WHERE application = :a ORDER BY seq DESC LIMIT 1),
    'not_paid', 'the history records the reason with the ground');
SELECT wf_test.as_role('wf_gateway', format('SELECT licensing.record_payment(%s, 100, ''PAY-R1'')', :a)) IS NOT NULL AS paid_some;
SELECT is(wf_test.reason(wf_test.submit(:a)), 'no_payment/underpaid', 'part of the fee paid: no_payment, underpaid');
SELECT wf_test.as_role('wf_gateway', format('SELECT licensing.record_payment(%s, 19720, ''PAY-R2'')', :a)) IS NOT NULL AS paid_rest;

-- ---- portal: the signature, each problem its own reason
SELECT is(wf_test.reason(wf_test.psubmit('160140001230', :a, NULL)), 'signature_not_confirmed/no_signature',
    'no signature: no_signature');
SELECT is(wf_test.reason(wf_test.psubmit('160140001230', :a, '\x3082'::bytea)), 'signature_not_confirmed/malformed',
    'bytes that are no CMS: malformed');
SELECT is(wf_test.reason(wf_test.submit(:a, 'expired')), 'signature_not_confirmed/expired', 'an expired certificate: expired');
SELECT is((wf_test.submit(:a, 'expired')).message_kk,
    'Қызмет алушының ЭЦҚ түпнұсқалығы расталмаған. ЭЦҚ тіркеу куәлігінің қолданылу мерзімі өтіп кеткен.',
    'the Kazakh message names the ground and the reason');
SELECT is(wf_test.reason(wf_test.submit(:a, 'notyet')), 'signature_not_confirmed/not_yet_valid', 'a certificate not valid yet: not_yet_valid');
SELECT is(wf_test.reason(wf_test.submit(:a, 'revoked')), 'signature_not_confirmed/revoked', 'a revoked certificate: revoked');
SELECT is(wf_test.reason(wf_test.submit(:a, 'untrusted')), 'signature_not_confirmed/untrusted', 'a certificate of an unknown CA: untrusted');
SELECT is(wf_test.reason(wf_test.submit(:a, 'nokeyusage')), 'signature_not_confirmed/key_usage', 'a key not for signing: key_usage');
SELECT is(wf_test.reason(wf_test.submit(:a, 'person')), 'signature_not_confirmed/not_the_applicant',
    'a valid signature of another person: not_the_applicant');
SELECT is((wf_test.submit(:a, 'person')).message_en,
    'The applicant''s electronic signature is not confirmed. The request is signed with another person''s certificate: its IIN/BIN differs from the one in the request.',
    'the English message names the ground and the reason');
-- the applicant signed, then the draft changed: the old signature is over other content
SELECT test_pki.sign(licensing.signing_payload(:a), 'company') AS stale \gset
SELECT wf_test.portal('160140001230', format('SELECT licensing.attach_document(%s, %L, %L::bytea, %L)', :a, 'licence_copy', 'scan', 'copy.pdf')) IS NOT NULL AS changed;
SELECT is(wf_test.reason(wf_test.psubmit('160140001230', :a, :'stale')), 'signature_not_confirmed/not_this_application',
    'a signature made before the draft changed: not_this_application');
SELECT is(wf_test.reason(wf_test.psubmit('160140001230', :a, test_pki.sign('another application'::bytea, 'company', false))),
    'signature_not_confirmed/not_this_application', 'an embedded signature over other content: not_this_application');
-- a broken signature: the last byte of the signature value flipped
SELECT test_pki.sign(licensing.signing_payload(:a), 'company') AS good \gset
SELECT is(wf_test.reason(wf_test.psubmit('160140001230', :a,
        set_byte(:'good'::bytea, length(:'good'::bytea) - 1, get_byte(:'good'::bytea, length(:'good'::bytea) - 1) # 1))),
    'signature_not_confirmed/bad_signature', 'a signature whose value was changed: bad_signature, not not_this_application');
SELECT is((SELECT string_agg(payload->>'reason', ',' ORDER BY seq) FROM licensing.application_event
            WHERE application = :a AND what = 'intake_refused'),
    'not_paid,not_paid,underpaid,no_signature,malformed,expired,expired,not_yet_valid,revoked,untrusted,key_usage,not_the_applicant,not_the_applicant,not_this_application,not_this_application,bad_signature',
    'the history records each refusal''s reason');
SELECT is((SELECT state FROM licensing.application WHERE id = :a), 'draft', 'still a draft after every refusal');
-- a reason the table has no text for (a DBA deleted it, or a newer problem code): the code, the ground's text alone
DELETE FROM licensing.intake_reason WHERE code = 'expired';
SELECT is((wf_test.submit(:a, 'expired'))::text,
    ROW(false, NULL, 'signature_not_confirmed', 'Қызмет алушының ЭЦҚ түпнұсқалығы расталмаған.',
        'Не подтверждена подлинность ЭЦП получателя услуги.', 'The applicant''s electronic signature is not confirmed.',
        'expired')::licensing.verdict::text,
    'a reason without texts: its code, and each message is the ground''s sentence alone');
SELECT ok(licensing.verify_history(:a), 'the chain with the reasons verifies');
SELECT is((wf_test.submit(:a)).reason, NULL, 'an accepted submit has no reason');
SELECT is((SELECT state FROM licensing.application WHERE id = :a), 'submitted', '... and is submitted');

-- ---- office: the registries
SELECT wf_test.as_role('wf_clerk', $q$SELECT licensing.create_application('scrap-metal', 'issue', '160140002000', 'alm', channel => 'office')$q$) AS unknown \gset
SELECT wf_test.pay(:unknown);
SELECT is(wf_test.reason(wf_test.submit(:unknown)), 'applicant_not_found/not_in_registry', 'an entity missing from the registry: not_in_registry');
INSERT INTO licensing.legal_entity (bin, name, active) VALUES ('160140002000', 'ТОО «Жаңа»', false);
SELECT is(wf_test.reason(wf_test.submit(:unknown)), 'applicant_not_found/entity_not_active', 'an entity marked not active: entity_not_active');
SELECT wf_test.as_role('wf_clerk', $q$SELECT licensing.create_application('eco-expertise', 'issue', '900101300811', 'krg', '{"object": {"name": "АЗС №7", "address": "Қарағанды қ., Бұқар жырау д-лы, 12", "category": "III"}}', channel => 'office')$q$) AS nobody \gset
SELECT is(wf_test.reason(wf_test.submit(:nobody)), 'applicant_not_found/not_in_registry', 'a person missing from the registry: not_in_registry');

-- ---- office: the power of attorney
SELECT wf_test.as_role('wf_clerk', $q$SELECT licensing.create_application('scrap-metal', 'issue', '160140001230', 'alm', channel => 'office', representative => '850625300123', attorney_number => 'PoA-X')$q$) AS rep \gset
SELECT wf_test.pay(:rep);
SELECT is(wf_test.reason(wf_test.submit(:rep)), 'attorney_not_found/attorney_not_in_registry', 'an unknown number: attorney_not_in_registry');
INSERT INTO licensing.power_of_attorney (number, principal, representative, valid_from, valid_to, revoked) VALUES
('PoA-X', '160140001230', '901120405675', '2025-01-01', '2025-12-31', true);
SELECT is(wf_test.reason(wf_test.submit(:rep)), 'attorney_not_found/attorney_other_parties', 'another representative: attorney_other_parties');
UPDATE licensing.power_of_attorney SET representative = '850625300123', principal = '160140002000' WHERE number = 'PoA-X';
SELECT is(wf_test.reason(wf_test.submit(:rep)), 'attorney_not_found/attorney_other_parties', 'another principal: attorney_other_parties');
UPDATE licensing.power_of_attorney SET principal = '160140001230' WHERE number = 'PoA-X';
SELECT is(wf_test.reason(wf_test.submit(:rep)), 'attorney_not_found/attorney_revoked', 'a revoked power: attorney_revoked');
UPDATE licensing.power_of_attorney SET revoked = false, valid_to = '2025-02-28' WHERE number = 'PoA-X';
SELECT is(wf_test.reason(wf_test.submit(:rep)), 'attorney_not_found/attorney_not_valid_today', 'an expired power: attorney_not_valid_today');
UPDATE licensing.power_of_attorney SET valid_from = '2025-04-01', valid_to = '2025-12-31' WHERE number = 'PoA-X';
SELECT is(wf_test.reason(wf_test.submit(:rep)), 'attorney_not_found/attorney_not_valid_today', 'a power not yet in force: attorney_not_valid_today');
UPDATE licensing.power_of_attorney SET valid_from = '2025-01-01' WHERE number = 'PoA-X';
SELECT ok((wf_test.submit(:rep)).accepted, 'with a valid power of attorney the application is accepted');

SELECT is((SELECT count(*) FROM licensing.intake_reason r WHERE NOT EXISTS
            (SELECT FROM licensing.refusal_ground g WHERE g.code = r.ground AND g.intake)), 0::bigint,
    'no reason hangs under a provider''s ground');

SELECT * FROM finish();
ROLLBACK;
