-- 57_appeals.sql: complaints against a provider (issue #14, API §4.1).
--
-- Almaty region No 161 of 13.05.2014, §11, sends complaints about the decisions,
-- actions and inaction of a provider and its officials to §11 of the state service
-- standard; the Law of the Republic of
-- Kazakhstan "On state services" No. 88-V of 15 April 2013, art. 25, gives
-- their terms: 5 working days from registration at the provider, 15 working
-- days at the authorised body for assessing and controlling the quality of
-- state services.  The terms are data (complaint_term).  A complaint has its
-- own number, term, outcome (upheld or rejected, reasoned in Kazakh and
-- Russian), its own append-only SHA-256 chain (complaint_event: hashed by
-- licensing._chain_hash, the one chain routine of src/history.c that both
-- other histories use, over the canonical JSON of the event's columns) and its own transitions
-- (_complaint_transitions(), the one definition the functions, the guard
-- trigger and verify_complaint_history read).  It never touches the
-- application's chain: lodging a complaint does not change the application.

-- ---------------------------------------------------------------- the terms (data)
CREATE TABLE licensing.complaint_term (
    body         text PRIMARY KEY
                 CHECK (body OPERATOR(pg_catalog.=) ANY (ARRAY['provider', 'quality_control']::text[])),
    working_days integer NOT NULL
                 CHECK (working_days OPERATOR(pg_catalog.>) 0 AND working_days OPERATOR(pg_catalog.<=) 60),
    name_kk      text NOT NULL,
    name_ru      text NOT NULL,
    name_en      text NOT NULL,
    article      text NOT NULL,
    shipped      boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE licensing.complaint_term IS
    'Who considers a complaint and in how many working days from its registration (Law No. 88-V of 15 April 2013, art. 25); a DBA may change the norms';
INSERT INTO licensing.complaint_term (body, working_days, name_kk, name_ru, name_en, article) VALUES
('provider', 5, 'Көрсетілетін қызметті беруші', 'Услугодатель', 'The service provider',
 'Law of the Republic of Kazakhstan "On state services" No. 88-V of 15 April 2013, art. 25; Almaty region resolution No 161 of 13.05.2014, §11'),
('quality_control', 15,
 'Мемлекеттік қызметтер көрсету сапасын бағалау және бақылау жөніндегі уәкілетті орган',
 'Уполномоченный орган по оценке и контролю за качеством оказания государственных услуг',
 'The authorised body for assessing and controlling the quality of state services',
 'Law of the Republic of Kazakhstan "On state services" No. 88-V of 15 April 2013, art. 25; Almaty region resolution No 161 of 13.05.2014, §11');
UPDATE licensing.complaint_term SET shipped = true;
SELECT pg_catalog.pg_extension_config_dump('licensing.complaint_term', 'WHERE NOT shipped');

-- A row a DBA inserts or changes is the DBA's (shipped = false: pg_dump keeps
-- it); an inserted row replaces the shipped row of the same body.
CREATE FUNCTION licensing._complaint_term_user_row() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF COALESCE(pg_catalog.pg_partition_root(TG_RELID), TG_RELID::pg_catalog.regclass) IS DISTINCT FROM 'licensing.complaint_term'::pg_catalog.regclass
       OR TG_WHEN OPERATOR(pg_catalog.<>) 'BEFORE' OR TG_LEVEL OPERATOR(pg_catalog.<>) 'ROW'
       OR TG_OP OPERATOR(pg_catalog.<>) ALL (ARRAY['INSERT', 'UPDATE']) THEN
        RAISE EXCEPTION 'licensing._complaint_term_user_row() cannot fire % % for each % on table %',
                        TG_WHEN, TG_OP, TG_LEVEL, TG_RELID::pg_catalog.regclass
            USING ERRCODE = '39P01',
                  DETAIL = 'It is a BEFORE INSERT OR UPDATE row trigger of licensing.complaint_term only.',
                  HINT = 'Drop the trigger; the extension creates its own triggers.';
    END IF;
    NEW.shipped := false;
    IF TG_OP OPERATOR(pg_catalog.=) 'INSERT' THEN
        DELETE FROM licensing.complaint_term t WHERE t.body OPERATOR(pg_catalog.=) NEW.body AND t.shipped;
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION licensing._complaint_term_user_row() IS 'internal: a DBA''s row of complaint_term is not shipped (dumped) and replaces the shipped one';
CREATE TRIGGER complaint_term_user_row BEFORE INSERT OR UPDATE ON licensing.complaint_term
    FOR EACH ROW EXECUTE FUNCTION licensing._complaint_term_user_row();

-- ---------------------------------------------------------------- the transitions
-- Every move of a complaint: the state it leaves (NULL: it is lodged), the
-- state it reaches, the event it records, who performs it and why.
CREATE FUNCTION licensing._complaint_transitions()
    RETURNS TABLE (from_state text, to_state text, event text, performer text, clause text)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    VALUES (NULL::text, 'lodged'::text, 'lodge'::text,
            'the applicant through the portal, or a clerk of the provider on its behalf'::text,
            'Almaty region No 161 of 13.05.2014, §11 (the state service standard, §11)'::text),
           ('lodged', 'upheld', 'decide',
            'the head of the provider (body provider); licensing_admin for the quality-control body',
            'Law No. 88-V of 15 April 2013, art. 25'),
           ('lodged', 'rejected', 'decide',
            'the head of the provider (body provider); licensing_admin for the quality-control body',
            'Law No. 88-V of 15 April 2013, art. 25')
$$;
COMMENT ON FUNCTION licensing._complaint_transitions() IS
    'internal: the transitions of a complaint (lodge, then decide once: upheld or rejected), read by the functions, the guard and verify_complaint_history';

-- ---------------------------------------------------------------- complaints
CREATE SEQUENCE licensing.complaint_id_seq;
CREATE SEQUENCE licensing.complaint_number_seq;
COMMENT ON SEQUENCE licensing.complaint_id_seq IS 'ids of licensing.complaint';
COMMENT ON SEQUENCE licensing.complaint_number_seq IS 'serial part of complaint numbers PROVIDER-C-YYYY-NNNNNN (one allocator for all providers)';

CREATE TABLE licensing.complaint (
    id           bigint PRIMARY KEY DEFAULT pg_catalog.nextval('licensing.complaint_id_seq'),
    number       text NOT NULL UNIQUE,
    application  bigint NOT NULL REFERENCES licensing.application,
    provider     text NOT NULL,
    applicant    text NOT NULL,
    against      text NOT NULL
                 CHECK (against OPERATOR(pg_catalog.=) ANY (ARRAY['decision', 'action', 'inaction']::text[])),
    addressed_to text NOT NULL
                 CHECK (addressed_to OPERATOR(pg_catalog.=) ANY (ARRAY['provider', 'quality_control']::text[])),
    channel      text NOT NULL CHECK (channel OPERATOR(pg_catalog.=) ANY (ARRAY['portal', 'office']::text[])),
    text_kk      text,
    text_ru      text,
    state        text NOT NULL DEFAULT 'lodged'
                 CHECK (state OPERATOR(pg_catalog.=) ANY (ARRAY['lodged', 'upheld', 'rejected']::text[])),
    lodged_at    timestamptz NOT NULL,
    lodged_by    name NOT NULL,
    receipt_day  date NOT NULL,
    working_days integer NOT NULL,
    due_on       date NOT NULL,
    reason_kk    text,
    reason_ru    text,
    decided_at   timestamptz,
    decided_by   name,
    CONSTRAINT complaint_text CHECK (text_kk IS NOT NULL OR text_ru IS NOT NULL),
    CONSTRAINT complaint_decided CHECK ((state OPERATOR(pg_catalog.=) 'lodged'::text)
        OPERATOR(pg_catalog.=) (decided_at IS NULL AND decided_by IS NULL AND reason_kk IS NULL AND reason_ru IS NULL))
);
CREATE INDEX ON licensing.complaint (application);
CREATE INDEX ON licensing.complaint (provider, state);
COMMENT ON TABLE licensing.complaint IS
    'Complaints against a decision, an action or the inaction of a provider (Almaty region No 161 of 13.05.2014, §11; Law No. 88-V art. 25): term, outcome and reasons; changed only by lodge_complaint and decide_complaint';
COMMENT ON COLUMN licensing.complaint.working_days IS 'the term of complaint_term when it was lodged (a later change of the norm does not move it)';
COMMENT ON COLUMN licensing.complaint.due_on IS 'the last day of the term: working_days working days after the day of registration (receipt_day)';

CREATE TABLE licensing.complaint_event (
    complaint   bigint NOT NULL,
    seq         integer NOT NULL,
    at          timestamptz NOT NULL,
    actor_role  name NOT NULL,
    actor_iin   licensing.iin,
    what        text NOT NULL,
    from_state  text,
    to_state    text NOT NULL,
    payload     jsonb NOT NULL DEFAULT '{}',
    prev_hash   bytea,
    hash        bytea NOT NULL,
    chain_encoding smallint NOT NULL,           -- 2: the encoding of README "Hash chains"
    PRIMARY KEY (complaint, seq)
);
COMMENT ON TABLE licensing.complaint_event IS
    'Append-only history of each complaint, SHA-256 chained as the other histories (licensing._chain_hash); verify_complaint_history recomputes it';

SELECT pg_catalog.pg_extension_config_dump('licensing.complaint', '');
SELECT pg_catalog.pg_extension_config_dump('licensing.complaint_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('licensing.complaint_number_seq', '');
SELECT pg_catalog.pg_extension_config_dump('licensing.complaint_event', '');

-- The row as its history records it: moments as ISO 8601 UTC, days as
-- YYYY-MM-DD, whatever TimeZone and DateStyle say.
CREATE FUNCTION licensing._complaint_json(c licensing.complaint) RETURNS jsonb
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
AS $$
    SELECT pg_catalog.jsonb_build_object(
        'id', c.id, 'number', c.number, 'application', c.application, 'provider', c.provider,
        'applicant', c.applicant, 'against', c.against, 'addressed_to', c.addressed_to, 'channel', c.channel,
        'text_kk', c.text_kk, 'text_ru', c.text_ru, 'state', c.state,
        'lodged_at', licensing._utc(c.lodged_at), 'lodged_by', c.lodged_by::text,
        'receipt_day', pg_catalog.to_char(c.receipt_day, 'YYYY-MM-DD'), 'working_days', c.working_days,
        'due_on', pg_catalog.to_char(c.due_on, 'YYYY-MM-DD'),
        'reason_kk', c.reason_kk, 'reason_ru', c.reason_ru,
        'decided_at', licensing._utc(c.decided_at), 'decided_by', c.decided_by::text)
$$;
COMMENT ON FUNCTION licensing._complaint_json(licensing.complaint) IS 'internal: a complaint row as its history records it';

-- Appends one event to a complaint's chain; the caller holds the complaint's row lock.
CREATE FUNCTION licensing._complaint_append(c licensing.complaint, what text, from_state text, payload jsonb)
    RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    e licensing.complaint_event;
    who text := licensing.acting_for();
BEGIN
    SELECT x.seq, x.hash INTO e.seq, e.prev_hash FROM licensing.complaint_event x
     WHERE x.complaint OPERATOR(pg_catalog.=) c.id ORDER BY x.seq DESC LIMIT 1;
    e.complaint := c.id;
    e.seq := COALESCE(e.seq, 0) OPERATOR(pg_catalog.+) 1;
    e.at := licensing.clock();
    e.actor_role := licensing.actor();
    -- the acting person, as the application chain records it: a staff member's IIN, or the portal's individual
    e.actor_iin := COALESCE((SELECT s.iin FROM licensing.staff s
                              WHERE s.role OPERATOR(pg_catalog.=) e.actor_role
                                AND s.provider OPERATOR(pg_catalog.=) c.provider AND s.iin IS NOT NULL
                              ORDER BY s.position LIMIT 1),
                            CASE WHEN licensing.iin_is_valid(who) THEN who::licensing.iin END);
    e.what := what;
    e.from_state := from_state;
    e.to_state := c.state;
    e.payload := payload;
    e.chain_encoding := 2;
    e.hash := licensing._chain_hash(e);
    INSERT INTO licensing.complaint_event VALUES (e.*);
END
$$;
COMMENT ON FUNCTION licensing._complaint_append(licensing.complaint, text, text, jsonb) IS
    'internal: appends an event to a complaint''s SHA-256 chained history';

-- Only the moves of _complaint_transitions() change a complaint, and only in
-- their columns; nothing deletes one.  For every role (the functions write as
-- the owner; a superuser's direct write is refused too).
CREATE FUNCTION licensing._complaint_guard() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF COALESCE(pg_catalog.pg_partition_root(TG_RELID), TG_RELID::pg_catalog.regclass) IS DISTINCT FROM 'licensing.complaint'::pg_catalog.regclass
       OR TG_WHEN OPERATOR(pg_catalog.<>) 'BEFORE'
       OR NOT ((TG_LEVEL OPERATOR(pg_catalog.=) 'ROW' AND TG_OP OPERATOR(pg_catalog.=) ANY (ARRAY['UPDATE', 'DELETE']))
               OR (TG_LEVEL OPERATOR(pg_catalog.=) 'STATEMENT' AND TG_OP OPERATOR(pg_catalog.=) 'TRUNCATE')) THEN
        RAISE EXCEPTION 'licensing._complaint_guard() cannot fire % % for each % on table %',
                        TG_WHEN, TG_OP, TG_LEVEL, TG_RELID::pg_catalog.regclass
            USING ERRCODE = '39P01',
                  DETAIL = 'It is a BEFORE UPDATE, DELETE or TRUNCATE trigger of licensing.complaint only.',
                  HINT = 'Drop the trigger; the extension creates its own triggers.';
    END IF;
    IF TG_OP OPERATOR(pg_catalog.<>) 'UPDATE' THEN
        RAISE EXCEPTION 'complaints cannot be deleted' USING ERRCODE = '55000',
            DETAIL = pg_catalog.format('%s on %s is refused: a complaint and its history are kept.', TG_OP, TG_TABLE_NAME),
            HINT = 'A complaint ends with its decision (licensing.decide_complaint).';
    END IF;
    IF NOT EXISTS (SELECT FROM licensing._complaint_transitions() t
                    WHERE t.from_state OPERATOR(pg_catalog.=) OLD.state AND t.to_state OPERATOR(pg_catalog.=) NEW.state)
       OR (pg_catalog.to_jsonb(OLD) OPERATOR(pg_catalog.-) ARRAY['state', 'reason_kk', 'reason_ru', 'decided_at', 'decided_by'])
          IS DISTINCT FROM
          (pg_catalog.to_jsonb(NEW) OPERATOR(pg_catalog.-) ARRAY['state', 'reason_kk', 'reason_ru', 'decided_at', 'decided_by']) THEN
        RAISE EXCEPTION 'complaint % cannot go from % to %', OLD.number, OLD.state, NEW.state USING ERRCODE = '55000',
            DETAIL = 'A lodged complaint is decided once (upheld or rejected); nothing else of it changes.',
            HINT = 'Use licensing.decide_complaint.';
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION licensing._complaint_guard() IS 'internal: trigger refusing any change of a complaint but its one decision, and its deletion';
CREATE TRIGGER complaint_guard BEFORE UPDATE OR DELETE ON licensing.complaint
    FOR EACH ROW EXECUTE FUNCTION licensing._complaint_guard();
CREATE TRIGGER complaint_no_truncate BEFORE TRUNCATE ON licensing.complaint
    FOR EACH STATEMENT EXECUTE FUNCTION licensing._complaint_guard();

-- its history is append-only as an application's: the same trigger function (50_workflow.sql)
CREATE TRIGGER complaint_event_immutable BEFORE UPDATE OR DELETE ON licensing.complaint_event
    FOR EACH ROW EXECUTE FUNCTION licensing._history_immutable();
CREATE TRIGGER complaint_event_no_truncate BEFORE TRUNCATE ON licensing.complaint_event
    FOR EACH STATEMENT EXECUTE FUNCTION licensing._history_immutable();

-- ---------------------------------------------------------------- API §4.1
CREATE FUNCTION licensing.lodge_complaint(application bigint, against text, text_kk text, text_ru text,
        addressed_to text DEFAULT 'provider') RETURNS bigint
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    a licensing.application := licensing._visible($1);
    t licensing.complaint_term;
    c licensing.complaint;
    ch text;
    kk text := NULLIF(pg_catalog.btrim($3), '');
    ru text := NULLIF(pg_catalog.btrim($4), '');
    receipt date;
BEGIN
    -- who: the portal for its applicant, or a clerk of the provider at the office (Almaty region No 161 of 13.05.2014, §11)
    IF licensing.acting_for() IS NOT DISTINCT FROM a.applicant THEN
        ch := 'portal';
    ELSIF EXISTS (SELECT FROM licensing.staff s WHERE s.role OPERATOR(pg_catalog.=) licensing.actor()
                     AND s.provider OPERATOR(pg_catalog.=) a.provider AND s.position OPERATOR(pg_catalog.=) 'clerk') THEN
        ch := 'office';
    ELSE
        RAISE EXCEPTION 'role "%" may not lodge a complaint about application %', licensing.actor(), a.id
            USING ERRCODE = '42501',
            DETAIL = 'A complaint is lodged by the applicant through the portal, or by a clerk of the provider on the applicant''s behalf.';
    END IF;
    IF $2 IS NULL OR NOT $2 OPERATOR(pg_catalog.=) ANY (ARRAY['decision', 'action', 'inaction']) THEN
        RAISE EXCEPTION 'a complaint is against a decision, an action or an inaction, not "%"', licensing._short($2)
            USING ERRCODE = '22023', HINT = 'Pass against => decision, action or inaction.';
    END IF;
    SELECT * INTO t FROM licensing.complaint_term x WHERE x.body OPERATOR(pg_catalog.=) COALESCE($5, 'provider');
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no complaint body "%"', licensing._short($5) USING ERRCODE = '22023',
            HINT = 'provider or quality_control (licensing.complaint_term).';
    END IF;
    IF kk IS NULL AND ru IS NULL THEN
        RAISE EXCEPTION 'a complaint needs its text, in Kazakh or Russian' USING ERRCODE = '22023';
    END IF;
    IF pg_catalog.length(COALESCE(kk, '')) OPERATOR(pg_catalog.>) 20000 OR pg_catalog.length(COALESCE(ru, '')) OPERATOR(pg_catalog.>) 20000 THEN
        RAISE EXCEPTION 'complaint text of % characters exceeds 20000',
            GREATEST(pg_catalog.length(COALESCE(kk, '')), pg_catalog.length(COALESCE(ru, ''))) USING ERRCODE = '54000',
            HINT = 'Attach a longer statement at the office; keep the complaint''s text to its substance.';
    END IF;
    IF a.submitted_at IS NULL THEN
        RAISE EXCEPTION 'application % was never submitted: the provider has not acted on it', a.id USING ERRCODE = '55000',
            DETAIL = pg_catalog.format('It is %s; a complaint concerns what a provider decided, did or failed to do.', a.state);
    END IF;
    IF $2 OPERATOR(pg_catalog.=) 'decision' AND a.outcome IS NULL THEN
        RAISE EXCEPTION 'application % has no decision to complain about', a.number USING ERRCODE = '55000',
            DETAIL = pg_catalog.format('It is %s.', a.state),
            HINT = 'Complain about an action or an inaction of the provider instead.';
    END IF;
    -- registered on the provider's working day of receipt; the term counts working days after it
    receipt := licensing.receipt_day(licensing.clock(), a.provider);
    INSERT INTO licensing.complaint (number, application, provider, applicant, against, addressed_to, channel,
                                     text_kk, text_ru, lodged_at, lodged_by, receipt_day, working_days, due_on)
    VALUES (a.provider OPERATOR(pg_catalog.||) '-C-' OPERATOR(pg_catalog.||) pg_catalog.to_char(receipt, 'YYYY')
                OPERATOR(pg_catalog.||) '-' OPERATOR(pg_catalog.||) licensing._serial_text(pg_catalog.nextval('licensing.complaint_number_seq')),
            a.id, a.provider, a.applicant, $2, t.body, ch, kk, ru, licensing.clock(), licensing.actor(),
            receipt, t.working_days, licensing.add_working_days(receipt, t.working_days))
    RETURNING * INTO c;
    PERFORM licensing._complaint_append(c, 'lodge', NULL, licensing._complaint_json(c));
    RETURN c.id;
END
$$;
COMMENT ON FUNCTION licensing.lodge_complaint(bigint, text, text, text, text) IS
    'Lodges a complaint against a decision, an action or an inaction of the provider (portal for its applicant, or a clerk); its term from complaint_term (5 working days at the provider, 15 at the quality-control body)';

CREATE FUNCTION licensing.decide_complaint(complaint bigint, outcome text, reason_kk text, reason_ru text)
    RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    c licensing.complaint;
    admin boolean := pg_catalog.pg_has_role(licensing.actor(), 'licensing_admin', 'MEMBER');
BEGIN
    IF $1 IS NULL THEN
        RAISE EXCEPTION 'complaint must not be NULL' USING ERRCODE = '22023';
    END IF;
    SELECT * INTO c FROM licensing.complaint x WHERE x.id OPERATOR(pg_catalog.=) $1 FOR UPDATE;
    -- one the caller may not see: the words of a missing id
    IF NOT FOUND OR NOT (licensing._may_see(c.applicant, c.provider) OR admin
                         OR COALESCE((SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) licensing.actor()), false)) THEN
        RAISE EXCEPTION 'complaint % does not exist', $1 USING ERRCODE = 'P0002', HINT = 'Check the complaint id.';
    END IF;
    IF (CASE c.addressed_to
          WHEN 'provider' THEN NOT EXISTS (SELECT FROM licensing.staff s WHERE s.role OPERATOR(pg_catalog.=) licensing.actor()
                                             AND s.provider OPERATOR(pg_catalog.=) c.provider AND s.position OPERATOR(pg_catalog.=) 'head')
          ELSE NOT admin END) THEN
        RAISE EXCEPTION 'role "%" may not decide complaint %', licensing.actor(), c.number USING ERRCODE = '42501',
            DETAIL = CASE c.addressed_to WHEN 'provider' THEN pg_catalog.format('A complaint to the provider is decided by the head of %s.', c.provider)
                          ELSE 'A complaint to the quality-control body is recorded by licensing_admin on the body''s behalf.' END;
    END IF;
    IF $2 IS NULL OR NOT $2 OPERATOR(pg_catalog.=) ANY (ARRAY['upheld', 'rejected']) THEN
        RAISE EXCEPTION 'a complaint is upheld or rejected, not "%"', licensing._short($2) USING ERRCODE = '22023';
    END IF;
    IF NOT EXISTS (SELECT FROM licensing._complaint_transitions() t
                    WHERE t.from_state OPERATOR(pg_catalog.=) c.state AND t.to_state OPERATOR(pg_catalog.=) $2) THEN
        RAISE EXCEPTION 'complaint % is already %', c.number, c.state USING ERRCODE = '55000',
            DETAIL = pg_catalog.format('It was decided at %s by %s; a complaint is decided once.', c.decided_at, c.decided_by),
            HINT = 'A complaint about this decision goes to the quality-control body (addressed_to => quality_control) or to court.';
    END IF;
    IF NULLIF(pg_catalog.btrim($3), '') IS NULL OR NULLIF(pg_catalog.btrim($4), '') IS NULL THEN
        RAISE EXCEPTION 'the decision on complaint % needs its reasons in Kazakh and Russian', c.number USING ERRCODE = '22023';
    END IF;
    IF pg_catalog.length($3) OPERATOR(pg_catalog.>) 20000 OR pg_catalog.length($4) OPERATOR(pg_catalog.>) 20000 THEN
        RAISE EXCEPTION 'reasons of % characters exceed 20000', GREATEST(pg_catalog.length($3), pg_catalog.length($4))
            USING ERRCODE = '54000';
    END IF;
    UPDATE licensing.complaint x SET state = $2, reason_kk = pg_catalog.btrim($3), reason_ru = pg_catalog.btrim($4),
           decided_at = licensing.clock(), decided_by = licensing.actor()
     WHERE x.id OPERATOR(pg_catalog.=) c.id RETURNING * INTO c;
    PERFORM licensing._complaint_append(c, 'decide', 'lodged',
        (SELECT pg_catalog.jsonb_object_agg(j.key, j.value) FROM pg_catalog.jsonb_each(licensing._complaint_json(c)) j
          WHERE j.key OPERATOR(pg_catalog.=) ANY (ARRAY['state', 'reason_kk', 'reason_ru', 'decided_at', 'decided_by'])));
END
$$;
COMMENT ON FUNCTION licensing.decide_complaint(bigint, text, text, text) IS
    'Decides a lodged complaint once: upheld or rejected, with reasons in Kazakh and Russian (the head of the provider; licensing_admin for the quality-control body)';

-- Recomputes each complaint's chain and replays it against the row.
CREATE FUNCTION licensing.verify_complaint_history(complaint bigint DEFAULT NULL) RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    c licensing.complaint;
    e licensing.complaint_event;
    prev bytea;
    n integer;
    st text;
    replay jsonb;
BEGIN
    -- events without their complaint
    IF EXISTS (SELECT FROM licensing.complaint_event y
                WHERE ($1 IS NULL OR y.complaint OPERATOR(pg_catalog.=) $1)
                  AND NOT EXISTS (SELECT FROM licensing.complaint x WHERE x.id OPERATOR(pg_catalog.=) y.complaint)) THEN
        RETURN false;
    END IF;
    FOR c IN SELECT * FROM licensing.complaint x WHERE $1 IS NULL OR x.id OPERATOR(pg_catalog.=) $1 LOOP
        prev := NULL; n := 0; st := NULL; replay := NULL;
        FOR e IN SELECT * FROM licensing.complaint_event y WHERE y.complaint OPERATOR(pg_catalog.=) c.id ORDER BY y.seq LOOP
            n := n OPERATOR(pg_catalog.+) 1;
            IF e.seq OPERATOR(pg_catalog.<>) n OR e.prev_hash IS DISTINCT FROM prev
               OR e.hash IS DISTINCT FROM licensing._chain_hash(e)
               OR e.from_state IS DISTINCT FROM st
               OR NOT EXISTS (SELECT FROM licensing._complaint_transitions() t
                               WHERE t.from_state IS NOT DISTINCT FROM e.from_state
                                 AND t.to_state OPERATOR(pg_catalog.=) e.to_state AND t.event OPERATOR(pg_catalog.=) e.what) THEN
                RETURN false;
            END IF;
            prev := e.hash;
            st := e.to_state;
            replay := CASE WHEN n OPERATOR(pg_catalog.=) 1 THEN e.payload ELSE replay OPERATOR(pg_catalog.||) e.payload END;
        END LOOP;
        IF n OPERATOR(pg_catalog.=) 0 OR replay IS DISTINCT FROM licensing._complaint_json(c) THEN
            RETURN false;
        END IF;
    END LOOP;
    RETURN true;
END
$$;
COMMENT ON FUNCTION licensing.verify_complaint_history(bigint) IS
    'Recomputes the hash chain of one complaint (or all) and checks the row equals its recorded events; false when anything was changed or is missing';

-- ---------------------------------------------------------------- who sees what
ALTER TABLE licensing.complaint ENABLE ROW LEVEL SECURITY;
ALTER TABLE licensing.complaint_event ENABLE ROW LEVEL SECURITY;
CREATE POLICY complaint_staff ON licensing.complaint FOR SELECT TO licensing_staff
    USING (licensing._is_staff_of(provider));
CREATE POLICY complaint_portal ON licensing.complaint FOR SELECT TO licensing_portal
    USING (applicant OPERATOR(pg_catalog.=) licensing.acting_for());
CREATE POLICY complaint_admin ON licensing.complaint FOR SELECT TO licensing_admin USING (true);
CREATE POLICY complaint_event_visible ON licensing.complaint_event FOR SELECT
    TO licensing_staff, licensing_portal, licensing_admin
    USING (EXISTS (SELECT 1 FROM licensing.complaint c WHERE c.id OPERATOR(pg_catalog.=) complaint));
COMMENT ON POLICY complaint_staff ON licensing.complaint IS 'Staff see the complaints about their providers';
COMMENT ON POLICY complaint_portal ON licensing.complaint IS 'The portal sees the complaints of the applicant it acts for';
COMMENT ON POLICY complaint_admin ON licensing.complaint IS 'Admins see every complaint (they record the quality-control body''s decisions)';
COMMENT ON POLICY complaint_event_visible ON licensing.complaint_event IS 'History of the complaints the role sees';

GRANT SELECT ON licensing.complaint_term TO PUBLIC;
GRANT INSERT, UPDATE, DELETE ON licensing.complaint_term TO licensing_admin;
GRANT SELECT ON licensing.complaint, licensing.complaint_event TO licensing_staff, licensing_portal, licensing_admin;

-- ---------------------------------------------------------------- the report (API §7)
-- Each complaint with its term and outcome, for reporting tools: no applicant,
-- no text (the reporter reads it too); admins and reporters every row, staff
-- their providers', the portal its applicant's.
CREATE VIEW licensing.complaints WITH (security_barrier) AS
SELECT c.id AS complaint,
       c.number,
       c.application,
       a.number AS application_number,
       c.provider,
       a.service,
       c.against,
       CASE c.against WHEN 'decision' THEN 'шешімге шағым' WHEN 'action' THEN 'әрекетке шағым'
                      ELSE 'әрекетсіздікке шағым' END AS against_kk,
       CASE c.against WHEN 'decision' THEN 'жалоба на решение' WHEN 'action' THEN 'жалоба на действие'
                      ELSE 'жалоба на бездействие' END AS against_ru,
       c.addressed_to,
       c.channel,
       c.state,
       NULLIF(c.state, 'lodged') AS outcome,
       CASE c.state WHEN 'upheld' THEN 'Шағым қанағаттандырылды'
                    WHEN 'rejected' THEN 'Шағым қанағаттандырусыз қалдырылды' END AS outcome_kk,
       CASE c.state WHEN 'upheld' THEN 'Жалоба удовлетворена'
                    WHEN 'rejected' THEN 'Жалоба оставлена без удовлетворения' END AS outcome_ru,
       c.lodged_at,
       c.receipt_day,
       c.working_days,
       c.due_on,
       c.decided_at,
       (c.decided_at IS NOT NULL
        AND licensing._kz_local(c.decided_at)::date OPERATOR(pg_catalog.>) c.due_on) AS decided_late,
       (c.decided_at IS NULL
        AND licensing._kz_local(licensing.clock())::date OPERATOR(pg_catalog.>) c.due_on) AS overdue
  FROM licensing.complaint c
  JOIN licensing.application a ON a.id OPERATOR(pg_catalog.=) c.application,
       licensing._report_scope() sc
 WHERE sc.all_rows
    OR c.provider OPERATOR(pg_catalog.=) ANY (sc.providers)
    OR c.applicant OPERATOR(pg_catalog.=) sc.applicant;
COMMENT ON VIEW licensing.complaints IS
    'complaints with their term (due_on), outcome in Kazakh and Russian, and lateness (decided_late, overdue): admins and reporters all, staff their providers'', the portal its applicant''s';
GRANT SELECT ON licensing.complaints TO licensing_admin, licensing_reporter, licensing_staff, licensing_portal;
