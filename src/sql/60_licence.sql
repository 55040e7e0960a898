-- 60_licence.sql: the licence register (API §6, DOMAIN §4).
--
-- Licences and conclusions, their annexes and duplicates, numbered centrally
-- (No 382 of 19.12.2012 and No 40 of 29.03.2013, §5 3): the E-licensing database "централизованно формирует
-- идентификационный номер лицензий"), and each licence's own hash-chained
-- history of issue, re-issue, duplicate, suspension, resumption and
-- termination.  Only the functions here write these tables: guard triggers
-- (licence.c) refuse every raw INSERT, UPDATE, DELETE or TRUNCATE, by any role.
--
-- Dump and restore: the tables are extension configuration tables, so
-- pg_dump saves their rows and pg_restore loads them with COPY as a
-- superuser, which the guard lets through (COPY FROM by a superuser only;
-- INSERT, UPDATE, DELETE stay refused).  licence.supersedes is checked at
-- commit, as a dump may list a re-issued licence after its successor.
-- Loading with session_replication_role = replica works too.

-- ---- numbers -----------------------------------------------------------------

CREATE FUNCTION licensing.licence_number_make(kind text, year integer, serial bigint) RETURNS text
    AS 'MODULE_PATHNAME', 'licence_number_make' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION licensing.licence_number_make(text, integer, bigint) IS
    'licence number KZ + L (licence) or C (conclusion) + 2-digit year + 8-digit serial + ISO 7064 MOD 37-2 check character';

CREATE FUNCTION licensing.licence_number_is_valid(text) RETURNS boolean
    AS 'MODULE_PATHNAME', 'licence_number_is_valid' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION licensing.licence_number_is_valid(text) IS
    'true when the text is a well-formed licence number whose check character holds (spaces, hyphens, case forgiven); never raises';

CREATE FUNCTION licensing.licence_number(text) RETURNS text
    AS 'MODULE_PATHNAME', 'licence_number_canonical' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION licensing.licence_number(text) IS
    'the licence number in canonical form, or error 22P02 saying which rule a mistyped number breaks';

-- One national sequence: numbers never collide between providers or
-- concurrent grants, and a number taken by a decision that is never signed
-- is simply skipped (sequences are not transactional), never reused.
CREATE SEQUENCE licensing.licence_number_seq AS bigint MINVALUE 1 MAXVALUE 99999999 NO CYCLE;
COMMENT ON SEQUENCE licensing.licence_number_seq IS 'serials of licence and conclusion numbers, national, never reused';
SELECT pg_catalog.pg_extension_config_dump('licensing.licence_number_seq', '');

-- ---- the write guard ---------------------------------------------------------

CREATE FUNCTION licensing._licence_guard(open boolean) RETURNS void
    AS 'MODULE_PATHNAME', 'licence_guard' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION licensing._licence_guard(boolean) IS
    'internal: opens or closes the register''s write window for the current (sub)transaction';
REVOKE ALL ON FUNCTION licensing._licence_guard(boolean) FROM PUBLIC;

CREATE FUNCTION licensing._licence_guard_trigger() RETURNS trigger
    AS 'MODULE_PATHNAME', 'licence_guard_trigger' LANGUAGE C;
COMMENT ON FUNCTION licensing._licence_guard_trigger() IS
    'internal: refuses writes to the licence register outside its functions';

-- ---- code tables: grounds of re-issue, suspension, termination ----------------
-- Shipped rows have shipped = true; pg_dump saves only the rows users added.

CREATE TABLE licensing.reissue_ground (
    code    text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]*$'),
    name_kk text NOT NULL,
    name_ru text NOT NULL,
    name_en text NOT NULL,
    article text NOT NULL,
    shipped boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE licensing.reissue_ground IS 'grounds for re-issuing a licence (Law 202-V art. 33), with kk/ru/en texts';

CREATE TABLE licensing.suspension_ground (LIKE licensing.reissue_ground INCLUDING ALL);
COMMENT ON TABLE licensing.suspension_ground IS 'grounds for suspending a licence, with kk/ru/en texts and the article';

CREATE TABLE licensing.termination_ground (LIKE licensing.reissue_ground INCLUDING ALL);
COMMENT ON TABLE licensing.termination_ground IS 'grounds for terminating a licence, with kk/ru/en texts and the article';

-- Law of the Republic of Kazakhstan No. 202-V of 16 May 2014 "On permits and
-- notifications": art. 33 (re-issue), art. 45 (suspension), art. 46 (termination);
-- Code of Administrative Offences No. 235-V: art. 46 (suspension or deprivation
-- by a court).  The article column is data: a DBA corrects or adds rows.
INSERT INTO licensing.reissue_ground (code, name_kk, name_ru, name_en, article, shipped) VALUES
 ('name_change', 'Лицензиат атауының өзгеруі', 'Изменение наименования лицензиата',
  'Change of the licensee''s name', 'Law 202-V art. 33 p. 1', true),
 ('re_registration', 'Лицензиатты қайта тіркеу', 'Перерегистрация лицензиата',
  'Re-registration of the licensee', 'Law 202-V art. 33 p. 1', true),
 ('legal_address', 'Лицензиаттың заңды мекенжайының өзгеруі', 'Изменение юридического адреса лицензиата',
  'Change of the licensee''s legal address', 'Law 202-V art. 33 p. 1', true),
 ('reorganisation', 'Лицензиат заңды тұлғаны қайта ұйымдастыру', 'Реорганизация юридического лица-лицензиата',
  'Reorganisation of the licensee (merger, accession, division, spin-off, transformation)', 'Law 202-V art. 33 p. 1, art. 34', true),
 ('object_address', 'Объектінің мекенжайының өзгеруі', 'Изменение адреса объекта',
  'Change of the address of the licensed object', 'Law 202-V art. 33 p. 1', true);

INSERT INTO licensing.suspension_ground (code, name_kk, name_ru, name_en, article, shipped) VALUES
 ('court_decision', 'Сот шешімі бойынша', 'По решению суда',
  'By a court decision in a case of an administrative offence', 'Code 235-V art. 46; Law 202-V art. 45', true),
 ('licensee_request', 'Лицензиаттың өтініші бойынша', 'По заявлению лицензиата',
  'At the licensee''s request', 'Law 202-V art. 45', true),
 ('non_compliance', 'Біліктілік талаптарына сәйкес келмеуі', 'Несоответствие квалификационным требованиям',
  'Non-compliance with the qualification requirements found by an inspection', 'Law 202-V art. 45', true);

INSERT INTO licensing.termination_ground (code, name_kk, name_ru, name_en, article, shipped) VALUES
 ('licensee_request', 'Лицензиаттың өтініші бойынша', 'По заявлению лицензиата',
  'At the licensee''s request (voluntary return)', 'Law 202-V art. 46', true),
 ('liquidation', 'Заңды тұлғаның таратылуы', 'Ликвидация юридического лица',
  'Liquidation of the licensee (legal entity)', 'Law 202-V art. 46', true),
 ('court_deprivation', 'Сот шешімімен лицензиядан айыру', 'Лишение лицензии по решению суда',
  'Deprivation of the licence by a court', 'Code 235-V art. 46; Law 202-V art. 46', true),
 ('activity_ceased', 'Қызметті тоқтату', 'Прекращение деятельности',
  'The licensee ceased the licensed activity', 'Law 202-V art. 46', true);

SELECT pg_catalog.pg_extension_config_dump('licensing.reissue_ground', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('licensing.suspension_ground', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('licensing.termination_ground', 'WHERE NOT shipped');

-- ---- the register --------------------------------------------------------------

CREATE TABLE licensing.licence (
    number          text PRIMARY KEY CHECK (licensing.licence_number_is_valid(number)
                                            AND number OPERATOR(pg_catalog.=) licensing.licence_number(number)),
    kind            text NOT NULL CHECK (kind IN ('licence', 'conclusion')),
    holder          text NOT NULL,
    service         text NOT NULL REFERENCES licensing.service (code),
    status          text NOT NULL DEFAULT 'active'
                    CHECK (status IN ('active', 'suspended', 'terminated', 'reissued')),
    issued_on       date NOT NULL,
    provider        text NOT NULL REFERENCES licensing.provider (code),
    application     bigint NOT NULL UNIQUE REFERENCES licensing.application (id),
    supersedes      text UNIQUE REFERENCES licensing.licence (number) DEFERRABLE INITIALLY DEFERRED,
    status_since    timestamptz NOT NULL DEFAULT licensing.clock(),
    status_ground   text,
    suspended_until date,
    CHECK (pg_catalog.substr(number, 3, 1) OPERATOR(pg_catalog.=)
           CASE kind WHEN 'licence' THEN 'L' ELSE 'C' END)
);
COMMENT ON TABLE licensing.licence IS
    'licences and conclusions: created by sign_decision, changed only by suspend/resume/terminate_licence and re-issue';
COMMENT ON COLUMN licensing.licence.holder IS 'IIN or BIN of the licensee';
COMMENT ON COLUMN licensing.licence.supersedes IS 'for a re-issue: the licence this one replaced (now status reissued)';
COMMENT ON COLUMN licensing.licence.status_ground IS 'ground code of the last suspension or termination';
COMMENT ON COLUMN licensing.licence.suspended_until IS 'recorded end of a suspension; it ends only by resume_licence';
CREATE INDEX licence_holder_idx ON licensing.licence (holder);
CREATE INDEX licence_provider_idx ON licensing.licence (provider, issued_on);

CREATE TABLE licensing.licence_annex (
    licence    text NOT NULL REFERENCES licensing.licence (number),
    position   integer NOT NULL CHECK (position > 0),
    subtype    text NOT NULL,
    address    text NOT NULL,
    branch_bin licensing.bin,
    -- revision 2 (API §6): an annex's own number, date and status, the
    -- application that issued it, the annex of the same licence it re-issued
    number      text NOT NULL UNIQUE,
    issued_on   date NOT NULL,
    status      text NOT NULL DEFAULT 'active'
                CHECK (status IN ('active', 'suspended', 'terminated', 'reissued')),
    application bigint NOT NULL REFERENCES licensing.application (id),
    supersedes  integer,
    subtype_kk  text,                              -- the sub-type in Kazakh, when the clerk gave it
    address_kk  text,                              -- the address in Kazakh, when the clerk gave it
    PRIMARY KEY (licence, position),
    FOREIGN KEY (licence, supersedes) REFERENCES licensing.licence_annex (licence, position) DEFERRABLE INITIALLY DEFERRED
);
COMMENT ON TABLE licensing.licence_annex IS
    'annexes of a licence: sub-type of activity, object or site address, branch or representative office (No 382 of 19.12.2012 and No 40 of 29.03.2013, §5 3))';
COMMENT ON COLUMN licensing.licence_annex.subtype_kk IS 'the sub-type of activity in Kazakh; NULL: the Kazakh page prints subtype (Russian), marked so';
COMMENT ON COLUMN licensing.licence_annex.address_kk IS 'the address in Kazakh; NULL: the Kazakh page prints address (Russian), marked so';
CREATE INDEX licence_annex_branch_idx ON licensing.licence_annex (branch_bin) WHERE branch_bin IS NOT NULL;
COMMENT ON COLUMN licensing.licence_annex.number IS 'the annex''s own number: the licence''s number, a hyphen and the position (two digits at least), never reused';
COMMENT ON COLUMN licensing.licence_annex.status IS 'follows the licence (suspended, resumed, terminated, re-issued with it); reissued when re-issued alone';
COMMENT ON COLUMN licensing.licence_annex.supersedes IS 'for an annex re-issued alone: the position of the annex it replaced (now status reissued)';

CREATE TABLE licensing.licence_duplicate (
    application bigint PRIMARY KEY REFERENCES licensing.application (id),
    licence     text NOT NULL REFERENCES licensing.licence (number),
    annex       integer,
    issued_on   date NOT NULL,
    FOREIGN KEY (licence, annex) REFERENCES licensing.licence_annex (licence, position)
);
COMMENT ON TABLE licensing.licence_duplicate IS
    'duplicates issued of a licence (annex NULL) or of one annex; the licence itself is unchanged';
CREATE INDEX licence_duplicate_licence_idx ON licensing.licence_duplicate (licence);

CREATE TABLE licensing.licence_event (
    licence     text NOT NULL REFERENCES licensing.licence (number),
    seq         integer NOT NULL CHECK (seq > 0),
    event       text NOT NULL CHECK (event IN ('issued', 'reissued', 'duplicate', 'suspended', 'resumed', 'terminated',
                                               'annex_added', 'annex_reissued')),
    from_status text,
    to_status   text NOT NULL,
    ground      text,
    until       date,
    application bigint,
    related     text,
    actor       name NOT NULL,
    at          timestamptz NOT NULL,
    prev_hash   bytea,
    hash        bytea NOT NULL,
    chain_encoding smallint,
    PRIMARY KEY (licence, seq)
);
COMMENT ON TABLE licensing.licence_event IS
    'each licence''s own append-only history, hash-chained (SHA-256 over canonical JSON with UTC times); see verify_licence_history';
COMMENT ON COLUMN licensing.licence_event.chain_encoding IS 'how the hash covers the event (README "Hash chains"): 2 = its columns, as in both histories; NULL = written before 1.1, in the encoding of 1.0';
COMMENT ON COLUMN licensing.licence_event.related IS 'the licence on the other side of a re-issue (the new one for reissued, the old one for issued); the new annex''s number for annex_added and annex_reissued';

SELECT pg_catalog.pg_extension_config_dump('licensing.licence', '');
SELECT pg_catalog.pg_extension_config_dump('licensing.licence_annex', '');
SELECT pg_catalog.pg_extension_config_dump('licensing.licence_duplicate', '');
SELECT pg_catalog.pg_extension_config_dump('licensing.licence_event', '');

-- Statement-level: a raw write fails even when it would touch no row.
CREATE TRIGGER licence_guard BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON licensing.licence
    FOR EACH STATEMENT EXECUTE FUNCTION licensing._licence_guard_trigger();
CREATE TRIGGER licence_annex_guard BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON licensing.licence_annex
    FOR EACH STATEMENT EXECUTE FUNCTION licensing._licence_guard_trigger();
CREATE TRIGGER licence_duplicate_guard BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON licensing.licence_duplicate
    FOR EACH STATEMENT EXECUTE FUNCTION licensing._licence_guard_trigger();
CREATE TRIGGER licence_event_guard BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON licensing.licence_event
    FOR EACH STATEMENT EXECUTE FUNCTION licensing._licence_guard_trigger();

-- The history is append-only even for the register's own functions.
CREATE FUNCTION licensing._licence_event_append_only() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF COALESCE(pg_catalog.pg_partition_root(TG_RELID), TG_RELID::pg_catalog.regclass) IS DISTINCT FROM 'licensing.licence_event'::pg_catalog.regclass
       OR TG_WHEN OPERATOR(pg_catalog.<>) 'BEFORE' OR TG_OP OPERATOR(pg_catalog.=) 'INSERT' THEN
        RAISE EXCEPTION 'licensing._licence_event_append_only() cannot fire % % for each % on table %',
                        TG_WHEN, TG_OP, TG_LEVEL, TG_RELID::pg_catalog.regclass
            USING ERRCODE = '39P01',
                  DETAIL = 'It is a BEFORE UPDATE or DELETE trigger of licensing.licence_event only.',
                  HINT = 'Drop the trigger; the extension creates its own triggers.';
    END IF;
    -- the one refusal of both append-only histories (application_event: _history_immutable)
    RAISE EXCEPTION 'cannot % licence history', lower(TG_OP)
        USING ERRCODE = '55000',
              DETAIL = 'The history of a licence is append-only and hash-chained.',
              HINT = 'Record a new event through the lifecycle functions.';
END
$$;
COMMENT ON FUNCTION licensing._licence_event_append_only() IS 'internal: refuses UPDATE and DELETE of licence_event';
CREATE TRIGGER licence_event_append_only BEFORE UPDATE OR DELETE ON licensing.licence_event
    FOR EACH ROW EXECUTE FUNCTION licensing._licence_event_append_only();

-- ---- helpers ---------------------------------------------------------------------

-- Today in Kazakhstan (UTC+5 nationwide since 2024-03-01), by the workflow's
-- clock (licensing.clock(): now(), or the moment a superuser pinned).
CREATE FUNCTION licensing._licence_today() RETURNS date
LANGUAGE sql STABLE PARALLEL RESTRICTED
RETURN ((licensing.clock() AT TIME ZONE 'UTC') OPERATOR(pg_catalog.+) interval '5 hours')::date;
COMMENT ON FUNCTION licensing._licence_today() IS 'internal: today''s date in Kazakhstan (UTC+5)';

-- Appends one event to a licence's chain.  Callers hold the licence row lock.
CREATE FUNCTION licensing._licence_append(p_licence text, p_event text, p_from text, p_to text,
                                          p_ground text, p_until date, p_application bigint,
                                          p_related text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    e licensing.licence_event;
BEGIN
    SELECT le.seq, le.hash INTO e.seq, e.prev_hash
      FROM licensing.licence_event le
     WHERE le.licence OPERATOR(pg_catalog.=) p_licence
     ORDER BY le.seq DESC LIMIT 1;
    e.seq := coalesce(e.seq, 0) + 1;
    e.licence := p_licence;
    e.event := p_event;
    e.from_status := p_from;
    e.to_status := p_to;
    e.ground := p_ground;
    e.until := p_until;
    e.application := p_application;
    e.related := p_related;
    e.actor := licensing.actor();
    e.at := licensing.clock();
    e.chain_encoding := 2;
    e.hash := licensing._chain_hash(e);
    INSERT INTO licensing.licence_event VALUES (e.*);
END
$$;
COMMENT ON FUNCTION licensing._licence_append(text, text, text, text, text, date, bigint, text) IS
    'internal: appends an event to the licence''s hash-chained history';
REVOKE ALL ON FUNCTION licensing._licence_append(text, text, text, text, text, date, bigint, text) FROM PUBLIC;

-- licensing.verify_licence_history(number text DEFAULT NULL) → boolean
CREATE FUNCTION licensing.verify_licence_history(number text DEFAULT NULL) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    e licensing.licence_event;
    prev_licence text := NULL;
    prev_hash bytea := NULL;
    prev_seq integer := 0;
    encoding smallint := 1;
    canon text := CASE WHEN number IS NULL THEN NULL ELSE licensing.licence_number(number) END;
BEGIN
    IF NOT licensing._licence_history_complete(canon) THEN RETURN false; END IF;  -- rows missing (66_history_complete.sql)
    FOR e IN SELECT * FROM licensing.licence_event le
              WHERE canon IS NULL OR le.licence OPERATOR(pg_catalog.=) canon
              ORDER BY le.licence, le.seq
    LOOP
        IF prev_licence IS DISTINCT FROM e.licence THEN
            prev_licence := e.licence;
            prev_hash := NULL;
            prev_seq := 0;
            encoding := 1;
        END IF;
        -- the hash by the event's encoding (history.c), which never goes back within a chain
        IF e.seq OPERATOR(pg_catalog.<>) prev_seq + 1
           OR e.prev_hash IS DISTINCT FROM prev_hash
           OR e.hash IS DISTINCT FROM licensing._chain_hash(e)
           OR COALESCE(e.chain_encoding, 1) OPERATOR(pg_catalog.<) encoding THEN
            RETURN false;
        END IF;
        prev_hash := e.hash;
        prev_seq := e.seq;
        encoding := COALESCE(e.chain_encoding, 1);
    END LOOP;
    -- every licence has at least its issue event
    IF EXISTS (SELECT FROM licensing.licence l
                WHERE (canon IS NULL OR l.number OPERATOR(pg_catalog.=) canon)
                  AND NOT EXISTS (SELECT FROM licensing.licence_event le
                                   WHERE le.licence OPERATOR(pg_catalog.=) l.number)) THEN
        RETURN false;
    END IF;
    RETURN true;
END
$$;
COMMENT ON FUNCTION licensing.verify_licence_history(text) IS
    'recomputes the hash chain of one licence''s history (or all): false when any event was changed, removed or reordered';
REVOKE ALL ON FUNCTION licensing.verify_licence_history(text) FROM PUBLIC;

-- Name of a holder from the registry mirrors.
CREATE FUNCTION licensing._licence_holder_name(holder text) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
RETURN CASE
    WHEN licensing.bin_is_valid(holder) THEN
        (SELECT le.name FROM licensing.legal_entity le
          WHERE le.bin OPERATOR(licensing.=) holder::licensing.bin)
    WHEN licensing.iin_is_valid(holder) THEN
        (SELECT p.name FROM licensing.person p
          WHERE p.iin OPERATOR(licensing.=) holder::licensing.iin)
    END;
COMMENT ON FUNCTION licensing._licence_holder_name(text) IS 'internal: the name of a licence holder (IIN or BIN) from the registry mirrors';
REVOKE ALL ON FUNCTION licensing._licence_holder_name(text) FROM PUBLIC;

-- Finds a licence by number (any spelling) or raises P0002; locks it when asked.
CREATE FUNCTION licensing._licence_find(p_number text, p_lock boolean) RETURNS licensing.licence
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    canon text;
    l licensing.licence;
BEGIN
    IF p_number IS NULL THEN
        RAISE EXCEPTION 'licence number must not be null'
            USING ERRCODE = '22023', HINT = 'Pass the number printed on the licence.';
    END IF;
    canon := licensing.licence_number(p_number);
    IF p_lock THEN
        SELECT * INTO l FROM licensing.licence WHERE number OPERATOR(pg_catalog.=) canon FOR UPDATE;
    ELSE
        SELECT * INTO l FROM licensing.licence WHERE number OPERATOR(pg_catalog.=) canon;
    END IF;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'licence "%" does not exist', canon
            USING ERRCODE = 'P0002',
                  DETAIL = 'The number is well formed but no licence or conclusion carries it.',
                  HINT = 'Look the number up in licensing.licence_register.';
    END IF;
    RETURN l;
END
$$;
COMMENT ON FUNCTION licensing._licence_find(text, boolean) IS 'internal: the licence with this number, or P0002';
REVOKE ALL ON FUNCTION licensing._licence_find(text, boolean) FROM PUBLIC;

-- ---- the details a grant carries -------------------------------------------------

-- Validates grant details {"annexes": [{"subtype", "address", "branch_bin"}]}
-- for a result of this kind and operation held by holder.
CREATE FUNCTION licensing._licence_check_details(p_kind text, p_operation text, p_holder text,
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
COMMENT ON FUNCTION licensing._licence_check_details(text, text, text, jsonb) IS 'internal: validates the details of a grant';
REVOKE ALL ON FUNCTION licensing._licence_check_details(text, text, text, jsonb) FROM PUBLIC;

-- licensing._licence_number_for(application bigint, details jsonb) → text
-- Called by grant: validates the details and allocates the number the
-- decision will carry.
CREATE FUNCTION licensing._licence_number_for(application bigint, details jsonb) RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    a record;
    v_kind text;
    v_number text;
BEGIN
    SELECT ap.id, ap.service, ap.operation, ap.applicant, ap.licence_number, ap.form
      INTO a FROM licensing.application ap WHERE ap.id OPERATOR(pg_catalog.=) _licence_number_for.application;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'application % does not exist', _licence_number_for.application USING ERRCODE = 'P0002';
    END IF;
    SELECT s.result_kind INTO v_kind FROM licensing.service s WHERE s.code OPERATOR(pg_catalog.=) a.service;
    PERFORM licensing._licence_check_details(v_kind, a.operation, a.applicant, details);
    -- an added annex needs its content; an annex re-issued alone takes at most one
    -- (its new content; none: the old one's, under a new number)
    IF a.operation OPERATOR(pg_catalog.=) 'annex'
       AND coalesce(jsonb_array_length(CASE WHEN jsonb_typeof(details->'annexes') OPERATOR(pg_catalog.=) 'array'
                                            THEN details->'annexes' END), 0) OPERATOR(pg_catalog.=) 0 THEN
        RAISE EXCEPTION 'the grant of an added annex names the annex'
            USING ERRCODE = '22023', DETAIL = 'An application to add an annex is granted with the annex''s content.',
                  HINT = 'Pass {"annexes": [{"subtype": ..., "address": ..., "branch_bin": ...}]}.';
    END IF;
    IF a.operation OPERATOR(pg_catalog.=) 'reissue' AND jsonb_typeof(a.form->'annex') OPERATOR(pg_catalog.=) 'number'
       AND jsonb_typeof(details->'annexes') OPERATOR(pg_catalog.=) 'array'
       AND jsonb_array_length(details->'annexes') OPERATOR(pg_catalog.>) 1 THEN
        RAISE EXCEPTION 'an annex re-issued alone takes one annex, not %', jsonb_array_length(details->'annexes')
            USING ERRCODE = '22023', DETAIL = pg_catalog.format('The application re-issues annex %s only.', a.form->>'annex'),
                  HINT = 'Pass the annex''s new content as the one element of "annexes", or {} to keep it.';
    END IF;
    IF a.operation OPERATOR(pg_catalog.=) 'duplicate' OR a.operation OPERATOR(pg_catalog.=) 'annex'
       OR (a.operation OPERATOR(pg_catalog.=) 'reissue' AND jsonb_typeof(a.form->'annex') OPERATOR(pg_catalog.=) 'number') THEN
        -- a duplicate, an added annex and an annex re-issued alone carry the
        -- number of the licence they belong to (the annex its own, at signing)
        RETURN (licensing._licence_find(a.licence_number, false)).number;
    END IF;
    -- 1 serial in 37 has no printable check character: take the next one
    LOOP
        v_number := licensing.licence_number_make(v_kind,
                                                  pg_catalog.date_part('year', licensing._licence_today())::integer,
                                                  pg_catalog.nextval('licensing.licence_number_seq'));
        EXIT WHEN v_number IS NOT NULL;
    END LOOP;
    RETURN v_number;
END
$$;
COMMENT ON FUNCTION licensing._licence_number_for(bigint, jsonb) IS
    'internal, called by grant: validates the grant details and allocates the number of the result (a duplicate keeps its licence''s number)';
REVOKE ALL ON FUNCTION licensing._licence_number_for(bigint, jsonb) FROM PUBLIC;

-- licensing._check_licence_target(service, operation, applicant, licence_number, form) → void
-- Called by create_application for a reissue or duplicate: the licence exists
-- (P0002), is of this service (22023) and active (55000), belongs to the
-- applicant or, for a re-issue with ground reorganisation, to the applicant's
-- predecessor in the legal-entity registry (42501: someone else's licence is
-- a matter of who may act, not of a mistyped argument); the re-issue ground is
-- in reissue_ground (22023); the annex of a duplicate exists (22023).
CREATE FUNCTION licensing._check_licence_target(service text, operation text, applicant text,
                                                licence_number text, form jsonb) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    l licensing.licence;
    g text := form->>'ground';
    predecessor text;
    n jsonb := form->'annex';
    an record;
BEGIN
    IF operation NOT IN ('reissue', 'duplicate', 'annex') THEN
        IF licence_number IS NOT NULL THEN
            RAISE EXCEPTION 'an application to % names no licence', pg_catalog.left(operation, 64)
                USING ERRCODE = '22023', DETAIL = pg_catalog.format('It named %s.', pg_catalog.left(licence_number, 64)),
                      HINT = 'Only reissue, duplicate and annex applications name an existing licence.';
        END IF;
        RETURN;
    END IF;
    IF licence_number IS NULL THEN
        RAISE EXCEPTION 'an application for a % must name the licence', operation
            USING ERRCODE = '22023', HINT = 'Pass licence_number, the number printed on the licence.';
    END IF;
    l := licensing._licence_find(licence_number, false);
    IF l.service OPERATOR(pg_catalog.<>) _check_licence_target.service THEN
        RAISE EXCEPTION 'licence % is not a licence of service %', l.number, _check_licence_target.service
            USING ERRCODE = '22023', DETAIL = pg_catalog.format('It was issued for service %s.', l.service),
                  HINT = 'Apply for the service the licence belongs to.';
    END IF;
    IF l.status OPERATOR(pg_catalog.<>) 'active' THEN
        RAISE EXCEPTION 'licence % is %', l.number, l.status
            USING ERRCODE = '55000',
                  DETAIL = pg_catalog.format('Only an active licence can be %s.',
                                             CASE operation WHEN 'reissue' THEN 're-issued' WHEN 'annex' THEN 'given a new annex'
                                                            ELSE 'duplicated' END),
                  HINT = CASE l.status WHEN 'reissued' THEN pg_catalog.format('Apply for the licence that replaced it (see licensing.licence where supersedes = %L).', l.number)
                                       WHEN 'suspended' THEN 'Apply again when the licence is resumed.'
                                       ELSE 'A terminated licence cannot be re-issued or duplicated; apply for a new licence.' END;
    END IF;
    IF operation OPERATOR(pg_catalog.=) 'reissue' THEN
        IF g IS NULL THEN
            RAISE EXCEPTION 'a re-issue must name its ground'
                USING ERRCODE = '22023', HINT = 'Put the ground in the form, e.g. {"ground": "name_change"}; see licensing.reissue_ground.';
        END IF;
        IF NOT EXISTS (SELECT FROM licensing.reissue_ground rg WHERE rg.code OPERATOR(pg_catalog.=) g) THEN
            RAISE EXCEPTION 'unknown re-issue ground "%"', licensing._short(g)
                USING ERRCODE = '22023', HINT = 'Use a code of licensing.reissue_ground (Law 202-V art. 33).';
        END IF;
    END IF;
    IF l.holder OPERATOR(pg_catalog.<>) applicant THEN
        IF operation OPERATOR(pg_catalog.=) 'reissue' AND g OPERATOR(pg_catalog.=) 'reorganisation'
           AND licensing.bin_is_valid(applicant) THEN
            SELECT le.predecessor::text INTO predecessor
              FROM licensing.legal_entity le WHERE le.bin OPERATOR(licensing.=) applicant::licensing.bin;
            IF predecessor IS NOT DISTINCT FROM l.holder THEN
                RETURN;
            END IF;
            RAISE EXCEPTION 'licence % does not belong to % or its predecessor', l.number, applicant
                USING ERRCODE = '42501',
                      DETAIL = pg_catalog.format('The licence is held by %s; the legal-entity registry names %s as the predecessor of %s.',
                                                 l.holder, coalesce(predecessor, 'no entity'), applicant),
                      HINT = 'A reorganised entity re-issues the licence of the entity it succeeded, as the registry records it.';
        END IF;
        RAISE EXCEPTION 'licence % does not belong to %', l.number, applicant
            USING ERRCODE = '42501',
                  DETAIL = pg_catalog.format('The licence is held by %s.', l.holder),
                  HINT = 'Only the holder applies for its re-issue or duplicate (a successor: re-issue with ground reorganisation).';
    END IF;
    IF operation OPERATOR(pg_catalog.=) 'annex' AND n IS NOT NULL THEN
        RAISE EXCEPTION 'an application to add an annex names no existing annex'
            USING ERRCODE = '22023', DETAIL = pg_catalog.format('Its form names annex %s.', licensing._short(n::text)),
                  HINT = 'The new annex''s content comes with the grant; to re-issue or duplicate annex n, apply for reissue or duplicate with {"annex": n}.';
    END IF;
    IF operation IN ('duplicate', 'reissue') AND n IS NOT NULL AND jsonb_typeof(n) OPERATOR(pg_catalog.<>) 'null' THEN
        IF jsonb_typeof(n) OPERATOR(pg_catalog.<>) 'number' OR (n #>> '{}') !~ '^[0-9]{1,9}$' THEN
            RAISE EXCEPTION 'form "annex" must be an annex number, not %', licensing._short(n::text)
                USING ERRCODE = '22023', HINT = 'Pass {"annex": 2} for annex 2 alone, or no annex for the whole licence.';
        END IF;
        IF NOT EXISTS (SELECT FROM licensing.licence_annex la
                        WHERE la.licence OPERATOR(pg_catalog.=) l.number
                          AND la.position OPERATOR(pg_catalog.=) (n #>> '{}')::integer) THEN
            RAISE EXCEPTION 'licence % has no annex %', l.number, n #>> '{}'
                USING ERRCODE = '22023',
                      DETAIL = pg_catalog.format('It has %s annex(es).',
                                 (SELECT count(*) FROM licensing.licence_annex la WHERE la.licence OPERATOR(pg_catalog.=) l.number)),
                      HINT = 'See licensing.licence_register for the licence''s annexes.';
        END IF;
        SELECT la.number, la.status INTO an
          FROM licensing.licence_annex la
         WHERE la.licence OPERATOR(pg_catalog.=) l.number AND la.position OPERATOR(pg_catalog.=) (n #>> '{}')::integer;
        IF an.status OPERATOR(pg_catalog.<>) 'active' THEN
            RAISE EXCEPTION 'annex % is %', an.number, an.status
                USING ERRCODE = '55000',
                      DETAIL = pg_catalog.format('Only an active annex can be %s.', CASE operation WHEN 'reissue' THEN 're-issued' ELSE 'duplicated' END),
                      HINT = CASE an.status WHEN 'reissued' THEN pg_catalog.format('Apply for the annex that replaced it (see licensing.licence_annex where licence = %L and supersedes = %s).', l.number, n #>> '{}')
                                            ELSE 'Apply for the annex in force.' END;
        END IF;
    END IF;
END
$$;
COMMENT ON FUNCTION licensing._check_licence_target(text, text, text, text, jsonb) IS
    'internal, called by create_application: checks the licence a reissue or duplicate names';
REVOKE ALL ON FUNCTION licensing._check_licence_target(text, text, text, text, jsonb) FROM PUBLIC;

-- licensing._issue_result(application bigint) → text
-- Called by sign_decision once the head's signature is verified, for a
-- granted decision: creates the licence or conclusion with its annexes; for a
-- re-issue a new licence superseding the old one (marked reissued); for a
-- duplicate a licence_duplicate row.  Returns the number.
CREATE FUNCTION licensing._issue_result(application bigint) RETURNS text
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
COMMENT ON FUNCTION licensing._issue_result(bigint) IS
    'internal, called by sign_decision after the head''s verified signature: creates the licence or conclusion, the re-issued licence, or the duplicate';
REVOKE ALL ON FUNCTION licensing._issue_result(bigint) FROM PUBLIC;

-- ---- the licence's life: suspend, resume, terminate --------------------------------

-- The head of the licence's provider (by the actor's staff row) or licensing_admin.
CREATE FUNCTION licensing._licence_authorise(l licensing.licence, what text) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    who name := licensing.actor();
BEGIN
    IF pg_catalog.pg_has_role(who, 'licensing_admin', 'MEMBER') THEN
        RETURN;
    END IF;
    IF EXISTS (SELECT FROM licensing.staff s
                WHERE s.role OPERATOR(pg_catalog.=) who
                  AND s.provider OPERATOR(pg_catalog.=) l.provider
                  AND s.position OPERATOR(pg_catalog.=) 'head')
       AND pg_catalog.pg_has_role(who, 'licensing_staff', 'MEMBER') THEN
        RETURN;
    END IF;
    RAISE EXCEPTION 'role % may not % licence %', who, what, l.number
        USING ERRCODE = '42501',
              DETAIL = pg_catalog.format('Only the head of provider %s or a member of licensing_admin may %s it.', l.provider, what),
              HINT = 'Ask the head of the licence''s provider.';
END
$$;
COMMENT ON FUNCTION licensing._licence_authorise(licensing.licence, text) IS
    'internal: the actor is the head of the licence''s provider or licensing_admin, else 42501';
REVOKE ALL ON FUNCTION licensing._licence_authorise(licensing.licence, text) FROM PUBLIC;

-- The one place that says which lifecycle move a status allows.
CREATE FUNCTION licensing._licence_move_check(l licensing.licence, what text) RETURNS void
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF l.status IN ('terminated', 'reissued') THEN
        RAISE EXCEPTION 'cannot % licence %: it is %', what, l.number, l.status
            USING ERRCODE = '55000',
                  DETAIL = CASE l.status WHEN 'terminated' THEN 'A terminated licence is final.'
                                         ELSE 'A re-issued licence was replaced by a new one.' END,
                  HINT = CASE l.status WHEN 'reissued' THEN 'Act on the licence that supersedes it.'
                                       ELSE 'Nothing can change a terminated licence.' END;
    END IF;
    IF what OPERATOR(pg_catalog.=) 'suspend' AND l.status OPERATOR(pg_catalog.<>) 'active' THEN
        RAISE EXCEPTION 'cannot suspend licence %: it is %', l.number, l.status
            USING ERRCODE = '55000', DETAIL = 'Only an active licence can be suspended.',
                  HINT = 'A suspended licence stays suspended until resume_licence.';
    END IF;
    IF what OPERATOR(pg_catalog.=) 'resume' AND l.status OPERATOR(pg_catalog.<>) 'suspended' THEN
        RAISE EXCEPTION 'cannot resume licence %: it is %', l.number, l.status
            USING ERRCODE = '55000', DETAIL = 'Only a suspended licence can be resumed.';
    END IF;
END
$$;
COMMENT ON FUNCTION licensing._licence_move_check(licensing.licence, text) IS
    'internal: raises 55000 when the licence''s status does not allow suspend, resume or terminate';

-- licensing.suspend_licence(number text, ground text, until date DEFAULT NULL) → void
CREATE FUNCTION licensing.suspend_licence(number text, ground text, until date DEFAULT NULL) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    l licensing.licence := licensing._licence_find(number, true);
BEGIN
    PERFORM licensing._licence_authorise(l, 'suspend');
    PERFORM licensing._licence_move_check(l, 'suspend');
    IF ground IS NULL OR NOT EXISTS (SELECT FROM licensing.suspension_ground g
                                      WHERE g.code OPERATOR(pg_catalog.=) suspend_licence.ground) THEN
        RAISE EXCEPTION 'unknown suspension ground "%"', ground
            USING ERRCODE = '22023', HINT = 'Use a code of licensing.suspension_ground.';
    END IF;
    PERFORM licensing._check_day(until, 'suspension until');
    IF until IS NOT NULL AND until OPERATOR(pg_catalog.<) licensing._licence_today() THEN
        RAISE EXCEPTION 'suspension until % is in the past', until
            USING ERRCODE = '22023', HINT = 'Give a date from today on, or NULL for a suspension until resumed.';
    END IF;
    PERFORM licensing._licence_guard(true);
    UPDATE licensing.licence SET status = 'suspended', status_since = licensing.clock(),
                                 status_ground = suspend_licence.ground, suspended_until = suspend_licence.until
     WHERE licence.number OPERATOR(pg_catalog.=) l.number;
    PERFORM licensing._licence_append(l.number, 'suspended', l.status, 'suspended', ground, until, NULL, NULL);
    PERFORM licensing._licence_guard(false);
END
$$;
COMMENT ON FUNCTION licensing.suspend_licence(text, text, date) IS
    'suspends an active licence with a ground of suspension_ground (until is recorded; it ends only by resume_licence); head of the provider or licensing_admin';

-- licensing.resume_licence(number text) → void
CREATE FUNCTION licensing.resume_licence(number text) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    l licensing.licence := licensing._licence_find(number, true);
BEGIN
    PERFORM licensing._licence_authorise(l, 'resume');
    PERFORM licensing._licence_move_check(l, 'resume');
    PERFORM licensing._licence_guard(true);
    UPDATE licensing.licence SET status = 'active', status_since = licensing.clock(),
                                 status_ground = NULL, suspended_until = NULL
     WHERE licence.number OPERATOR(pg_catalog.=) l.number;
    PERFORM licensing._licence_append(l.number, 'resumed', l.status, 'active', NULL, NULL, NULL, NULL);
    PERFORM licensing._licence_guard(false);
END
$$;
COMMENT ON FUNCTION licensing.resume_licence(text) IS 'resumes a suspended licence; head of the provider or licensing_admin';

-- licensing.terminate_licence(number text, ground text) → void
CREATE FUNCTION licensing.terminate_licence(number text, ground text) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    l licensing.licence := licensing._licence_find(number, true);
BEGIN
    PERFORM licensing._licence_authorise(l, 'terminate');
    PERFORM licensing._licence_move_check(l, 'terminate');
    IF ground IS NULL OR NOT EXISTS (SELECT FROM licensing.termination_ground g
                                      WHERE g.code OPERATOR(pg_catalog.=) terminate_licence.ground) THEN
        RAISE EXCEPTION 'unknown termination ground "%"', ground
            USING ERRCODE = '22023', HINT = 'Use a code of licensing.termination_ground.';
    END IF;
    PERFORM licensing._licence_guard(true);
    UPDATE licensing.licence SET status = 'terminated', status_since = licensing.clock(),
                                 status_ground = terminate_licence.ground, suspended_until = NULL
     WHERE licence.number OPERATOR(pg_catalog.=) l.number;
    PERFORM licensing._licence_append(l.number, 'terminated', l.status, 'terminated', ground, NULL, NULL, NULL);
    PERFORM licensing._licence_guard(false);
END
$$;
COMMENT ON FUNCTION licensing.terminate_licence(text, text) IS
    'terminates an active or suspended licence with a ground of termination_ground (final); head of the provider or licensing_admin';

REVOKE ALL ON FUNCTION licensing.suspend_licence(text, text, date) FROM PUBLIC;
REVOKE ALL ON FUNCTION licensing.resume_licence(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION licensing.terminate_licence(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION licensing.suspend_licence(text, text, date) TO licensing_staff, licensing_admin;
GRANT EXECUTE ON FUNCTION licensing.resume_licence(text) TO licensing_staff, licensing_admin;
GRANT EXECUTE ON FUNCTION licensing.terminate_licence(text, text) TO licensing_staff, licensing_admin;
GRANT EXECUTE ON FUNCTION licensing.verify_licence_history(text) TO licensing_staff, licensing_admin, licensing_reporter;

-- ---- who may read documents ----------------------------------------------------------

-- Who the caller is for reporting: all rows, some providers, or one applicant.
CREATE FUNCTION licensing._report_scope(OUT all_rows boolean, OUT providers text[], OUT applicant text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    who name := licensing.actor();
BEGIN
    all_rows := pg_catalog.pg_has_role(who, 'licensing_admin', 'MEMBER')
             OR pg_catalog.pg_has_role(who, 'licensing_reporter', 'MEMBER');
    IF pg_catalog.pg_has_role(who, 'licensing_staff', 'MEMBER') THEN
        SELECT pg_catalog.array_agg(DISTINCT s.provider) INTO providers
          FROM licensing.staff s WHERE s.role OPERATOR(pg_catalog.=) who;
    END IF;
    providers := coalesce(providers, '{}');
    IF pg_catalog.pg_has_role(who, 'licensing_portal', 'MEMBER') THEN
        applicant := licensing.acting_for();
    END IF;
END
$$;
COMMENT ON FUNCTION licensing._report_scope() IS
    'internal: which rows of the reporting views the actor sees (all, its providers'' or its applicant''s)';
-- The views call it with the reader's rights: the API's group roles only.
REVOKE ALL ON FUNCTION licensing._report_scope() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION licensing._report_scope()
    TO licensing_admin, licensing_reporter, licensing_staff, licensing_portal;

-- Whether the actor may read the documents of an application or licence of
-- this provider and party (applicant or holder): admins and reporters all,
-- staff their providers', the portal its applicant's.
CREATE FUNCTION licensing._licence_may_read(provider text, party text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT coalesce(sc.all_rows OR $1 OPERATOR(pg_catalog.=) ANY (sc.providers)
                       OR $2 OPERATOR(pg_catalog.=) sc.applicant, false)
        FROM licensing._report_scope() sc $$;
COMMENT ON FUNCTION licensing._licence_may_read(text, text) IS
    'internal: whether the actor may read a signed document of this provider and applicant or holder';
REVOKE ALL ON FUNCTION licensing._licence_may_read(text, text) FROM PUBLIC;

-- ---- documents --------------------------------------------------------------------
-- The signed documents are read by admins and reporters, the staff of the
-- licence's provider and the portal for the holder; the printable licence
-- shows only what the public register shows, plus the signed bytes' SHA-256.

CREATE FUNCTION licensing._licence_require_reader(l licensing.licence) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NOT licensing._licence_may_read(l.provider, l.holder) THEN
        RAISE EXCEPTION 'role "%" may not read the signed document of licence %', licensing.actor(), l.number
            USING ERRCODE = '42501',
                  DETAIL = 'Signed documents are read by the holder (through the portal), the staff of the licence''s provider, reporters and admins.',
                  HINT = 'The public register licensing.licence_register shows every licence''s current status.';
    END IF;
END
$$;
COMMENT ON FUNCTION licensing._licence_require_reader(licensing.licence) IS 'internal: 42501 unless the actor may read the licence''s signed document';
REVOKE ALL ON FUNCTION licensing._licence_require_reader(licensing.licence) FROM PUBLIC;

-- licensing.licence_document(number text) → jsonb
CREATE FUNCTION licensing.licence_document(number text) RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    l licensing.licence := licensing._licence_find(number, false);
BEGIN
    PERFORM licensing._licence_require_reader(l);
    -- once the licence was duplicated, the document in force is the latest duplicate
    RETURN (SELECT pg_catalog.convert_from(ap.decision_payload, 'UTF8')::jsonb
              FROM licensing.application ap
             WHERE ap.id OPERATOR(pg_catalog.=) licensing._licence_document_application(l));
END
$$;
COMMENT ON FUNCTION licensing.licence_document(text) IS
    'the signed snapshot of a licence or conclusion: the decision payload its provider''s head signed, or that of its latest duplicate (never changes; status is in licence_register)';

-- licensing.licence_signed(number text) → (payload bytea, signature bytea)
CREATE FUNCTION licensing.licence_signed(number text, OUT payload bytea, OUT signature bytea)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    l licensing.licence := licensing._licence_find(number, false);
BEGIN
    PERFORM licensing._licence_require_reader(l);
    SELECT ap.decision_payload, ap.decision_signature INTO payload, signature
      FROM licensing.application ap WHERE ap.id OPERATOR(pg_catalog.=) licensing._licence_document_application(l);
END
$$;
COMMENT ON FUNCTION licensing.licence_signed(text) IS
    'the exact signed bytes of a licence''s decision (or its latest duplicate''s) and the head''s CMS signature, for licensing.verify_signature(payload, signature)';

-- HTML text with & < > " ' escaped.
CREATE FUNCTION licensing._html(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(
           coalesce(t, ''), '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'), '''', '&#39;');
COMMENT ON FUNCTION licensing._html(text) IS 'internal: escapes text for HTML';

CREATE FUNCTION licensing._html_page(title text, body text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN '<!DOCTYPE html>' || E'\n' || '<html><head><meta charset="utf-8"><title>' || licensing._html(title)
    || '</title><style>body{font-family:serif;max-width:50em;margin:2em auto}'
    || '.doc{border:1px solid #000;padding:1.5em;margin-bottom:2em}h1{text-align:center;font-size:1.4em}'
    || 'table{border-collapse:collapse;width:100%}td,th{border:1px solid #000;padding:.3em;text-align:left}'
    || '.note{font-size:.85em;margin-top:1.5em}</style></head><body>' || E'\n' || body || '</body></html>' || E'\n';
COMMENT ON FUNCTION licensing._html_page(text, text) IS 'internal: wraps a printable form in an HTML page';

-- licensing.licence_html(number text) → text
-- The printable form of a licence or conclusion in Kazakh and Russian, for the
-- paper result (DOMAIN §3.2; No 441 of 28.12.2015, §3: printed from the electronic document and
-- certified with seal and signature).
CREATE FUNCTION licensing.licence_html(number text) RETURNS text
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

-- licensing.refusal_html(application bigint) → text
CREATE FUNCTION licensing.refusal_html(application bigint) RETURNS text
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

-- ---- privileges ----------------------------------------------------------------------
-- The register is public (licence_register, API §7): everyone may read licences
-- and annexes.  Duplicates and history: staff and admins (the reporter reads
-- the views of §7 only, API §8).  Code tables: everyone reads,
-- licensing_admin maintains.
GRANT SELECT ON licensing.licence, licensing.licence_annex TO PUBLIC;
GRANT SELECT ON licensing.licence_duplicate, licensing.licence_event
    TO licensing_staff, licensing_admin;
GRANT SELECT ON licensing.reissue_ground, licensing.suspension_ground, licensing.termination_ground TO PUBLIC;
GRANT INSERT, UPDATE, DELETE ON licensing.reissue_ground, licensing.suspension_ground, licensing.termination_ground
    TO licensing_admin;

-- Documents and printable forms: admins, staff and the portal (each then sees
-- what its scope allows; the printable licence shows only public register
-- data).  Not the reporter: signed decisions and refusals name individuals.
REVOKE ALL ON FUNCTION licensing.licence_document(text), licensing.licence_signed(text),
                       licensing.licence_html(text), licensing.refusal_html(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION licensing.licence_document(text), licensing.licence_signed(text),
                          licensing.licence_html(text), licensing.refusal_html(bigint)
    TO licensing_admin, licensing_staff, licensing_portal;
