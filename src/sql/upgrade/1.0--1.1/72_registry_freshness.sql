-- 72_registry_freshness.sql (upgrade part of src/sql/69_registry_freshness.sql
-- and of submit in 50_workflow.sql): registry mirrors that say how old they are
-- (issue #18).  Rows loaded before 1.1 get no load date (NULL: unknown, so an
-- office check against them says so), rows inserted from now on the moment
-- of their insert.

ALTER TABLE licensing.legal_entity ADD COLUMN loaded_at timestamptz;
ALTER TABLE licensing.legal_entity ALTER COLUMN loaded_at SET DEFAULT pg_catalog.now();
ALTER TABLE licensing.person ADD COLUMN loaded_at timestamptz;
ALTER TABLE licensing.person ALTER COLUMN loaded_at SET DEFAULT pg_catalog.now();
ALTER TABLE licensing.power_of_attorney ADD COLUMN loaded_at timestamptz;
ALTER TABLE licensing.power_of_attorney ALTER COLUMN loaded_at SET DEFAULT pg_catalog.now();

COMMENT ON COLUMN licensing.legal_entity.loaded_at IS
    'When the row was loaded from the registry (NULL: unknown); set it again whenever a load confirms the row';
COMMENT ON COLUMN licensing.person.loaded_at IS
    'When the row was loaded from the registry (NULL: unknown); set it again whenever a load confirms the row';
COMMENT ON COLUMN licensing.power_of_attorney.loaded_at IS
    'When the row was loaded from the notary registry (NULL: unknown); set it again whenever a load confirms the row';

CREATE TABLE licensing.registry_max_age (
    mirror  text PRIMARY KEY
            CHECK (mirror OPERATOR(pg_catalog.=) ANY (ARRAY['legal_entity', 'person', 'power_of_attorney']::text[])),
    max_age interval NOT NULL CHECK (max_age OPERATOR(pg_catalog.>) interval '0')
);
COMMENT ON TABLE licensing.registry_max_age IS
    'How old each registry mirror may be before an office submit''s verdict says it checked against a stale copy (no row: 7 days; power_of_attorney 1 day)';
SELECT pg_catalog.pg_extension_config_dump('licensing.registry_max_age', '');
GRANT SELECT ON licensing.registry_max_age TO PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON licensing.registry_max_age TO licensing_admin;

-- The note of a stale mirror for an office application's checks, or NULLs.
-- The mirror's age for a row found is the row's loaded_at; for one not found,
-- the last load of the mirror (its latest loaded_at).
CREATE FUNCTION licensing._registry_note(a licensing.application,
    OUT note_kk text, OUT note_ru text, OUT note_en text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    m record;
    loaded timestamptz;
    max_age interval;
    day_text text;
BEGIN
    IF a.channel OPERATOR(pg_catalog.<>) 'office' THEN
        RETURN;
    END IF;
    FOR m IN
        SELECT x.mirror, x.kk, x.ru, x.en FROM (VALUES
            (1, 'person', '«Жеке тұлғалар» мемлекеттік дерекқорының',
             'Государственной базы данных «Физические лица»', 'the State Database "Individuals"'),
            (1, 'legal_entity', '«Заңды тұлғалар» мемлекеттік дерекқорының',
             'Государственной базы данных «Юридические лица»', 'the State Database "Legal Entities"'),
            (2, 'power_of_attorney', 'Бірыңғай нотариаттық ақпараттық жүйенің',
             'Единой нотариальной информационной системы', 'the Unified Notarial Information System')
        ) AS x(n, mirror, kk, ru, en)
         WHERE CASE x.mirror
               WHEN 'person' THEN pg_catalog.substr(a.applicant, 5, 1) OPERATOR(pg_catalog.<=) '3'
               WHEN 'legal_entity' THEN pg_catalog.substr(a.applicant, 5, 1) OPERATOR(pg_catalog.>) '3'
               ELSE a.representative IS NOT NULL END
         ORDER BY x.n
    LOOP
        -- the row the guard's check reads (src/workflow.c), else the mirror's last load
        IF m.mirror OPERATOR(pg_catalog.=) 'person' THEN
            SELECT p.loaded_at INTO loaded FROM licensing.person p
             WHERE licensing.iin_is_valid(a.applicant) AND p.iin OPERATOR(licensing.=) a.applicant::licensing.iin;
            IF NOT FOUND THEN
                SELECT pg_catalog.max(p.loaded_at) INTO loaded FROM licensing.person p;
            END IF;
        ELSIF m.mirror OPERATOR(pg_catalog.=) 'legal_entity' THEN
            SELECT e.loaded_at INTO loaded FROM licensing.legal_entity e
             WHERE licensing.bin_is_valid(a.applicant) AND e.bin OPERATOR(licensing.=) a.applicant::licensing.bin AND e.active;
            IF NOT FOUND THEN
                SELECT pg_catalog.max(e.loaded_at) INTO loaded FROM licensing.legal_entity e;
            END IF;
        ELSE
            SELECT p.loaded_at INTO loaded FROM licensing.power_of_attorney p
             WHERE p.number OPERATOR(pg_catalog.=) a.attorney_number AND p.principal OPERATOR(pg_catalog.=) a.applicant
               AND p.representative OPERATOR(licensing.=) a.representative;
            IF NOT FOUND THEN
                SELECT pg_catalog.max(p.loaded_at) INTO loaded FROM licensing.power_of_attorney p;
            END IF;
        END IF;
        max_age := COALESCE((SELECT r.max_age FROM licensing.registry_max_age r WHERE r.mirror OPERATOR(pg_catalog.=) m.mirror),
                            CASE m.mirror WHEN 'power_of_attorney' THEN interval '1 day' ELSE interval '7 days' END);
        CONTINUE WHEN loaded IS NOT NULL AND loaded OPERATOR(pg_catalog.>=) (licensing.clock() OPERATOR(pg_catalog.-) max_age);
        day_text := pg_catalog.to_char(licensing._kz_local(loaded), 'DD.MM.YYYY');
        note_kk := pg_catalog.concat_ws(' ', note_kk, CASE WHEN loaded IS NULL
            THEN pg_catalog.format('Назар аударыңыз: тексеру %s жүктелген күні белгісіз көшірмесі бойынша жүргізілді, ондағы мәліметтер ескірген болуы мүмкін. Тізілім көшірмесін жаңартыңыз.', m.kk)
            ELSE pg_catalog.format('Назар аударыңыз: тексеру %s %s жүктелген көшірмесі бойынша жүргізілді; көшірме рұқсат етілген мерзімнен ескі, ондағы мәліметтер ескірген болуы мүмкін. Тізілім көшірмесін жаңартыңыз.', m.kk, day_text) END);
        note_ru := pg_catalog.concat_ws(' ', note_ru, CASE WHEN loaded IS NULL
            THEN pg_catalog.format('Внимание: проверка выполнена по копии %s с неизвестной датой загрузки, сведения в ней могут быть устаревшими. Обновите копию реестра.', m.ru)
            ELSE pg_catalog.format('Внимание: проверка выполнена по копии %s, загруженной %s; копия старше допустимого срока, сведения в ней могут быть устаревшими. Обновите копию реестра.', m.ru, day_text) END);
        note_en := pg_catalog.concat_ws(' ', note_en, CASE WHEN loaded IS NULL
            THEN pg_catalog.format('Note: the check used a copy of %s whose load date is unknown; it may be out of date. Refresh the registry copy.', m.en)
            ELSE pg_catalog.format('Note: the check used a copy of %s loaded on %s, older than allowed; it may be out of date. Refresh the registry copy.', m.en,
                                   pg_catalog.to_char(licensing._kz_local(loaded), 'YYYY-MM-DD')) END);
    END LOOP;
END
$fn$;
COMMENT ON FUNCTION licensing._registry_note(licensing.application) IS
    'internal: for an office application, the kk/ru/en note that its registry checks used a mirror older than licensing.registry_max_age allows (NULLs when none)';
REVOKE ALL ON FUNCTION licensing._registry_note(licensing.application) FROM PUBLIC;

-- submit: replaced in a later part
