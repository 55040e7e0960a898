-- 50_workflow.sql: applications and the workflow of API §4, roles and row security of API §8.
--
-- Tables first (other parts reference them), then the C guard trigger, the history
-- chain, the API functions, row-level security and grants.

-- ---------------------------------------------------------------- tables
CREATE SEQUENCE licensing.application_id_seq;
CREATE SEQUENCE licensing.application_number_seq;

-- At least six digits, never fewer: lpad() would cut a seventh digit off and
-- reuse numbers after the millionth application.
CREATE FUNCTION licensing._serial_text(serial bigint) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN pg_catalog.lpad(serial::text, GREATEST(6, pg_catalog.length(serial::text)), '0');
COMMENT ON FUNCTION licensing._serial_text(bigint) IS 'serial part of an application number: zero-padded to six digits, never truncated';
COMMENT ON SEQUENCE licensing.application_id_seq IS 'ids of licensing.application';
COMMENT ON SEQUENCE licensing.application_number_seq IS 'serial part of application numbers (one allocator for all providers)';

CREATE TABLE licensing.application (
    id                  bigint PRIMARY KEY DEFAULT pg_catalog.nextval('licensing.application_id_seq'),
    number              text UNIQUE,               -- given when accepted: PROVIDER-YYYY-NNNNNN
    service             text NOT NULL REFERENCES licensing.service ON UPDATE CASCADE,
    operation           text NOT NULL,
    channel             text NOT NULL,
    applicant           text NOT NULL,             -- IIN or BIN
    provider            text NOT NULL REFERENCES licensing.provider ON UPDATE CASCADE,
    profile             text NOT NULL REFERENCES licensing.profile ON UPDATE CASCADE,
    state               text NOT NULL DEFAULT 'draft',
    outcome             text,
    licence_number      text,                      -- reissue/duplicate: the target licence
    form                jsonb NOT NULL DEFAULT '{}',
    representative      licensing.iin,
    attorney_number     text,
    created_at          timestamptz NOT NULL DEFAULT pg_catalog.now(),
    created_by          name,
    applicant_signature bytea,                     -- portal: CMS over signing_payload
    submitted_at        timestamptz,
    receipt_day         date,
    due_on              date,
    term_end_at         timestamptz,               -- end of due_on in the provider's time zone
    steps               jsonb,                     -- the profile's steps, pinned at submit
    unit                text,
    executor            name,
    ground              text REFERENCES licensing.refusal_ground ON UPDATE CASCADE,
    reason_kk           text,
    reason_ru           text,
    result_number       text,                      -- the number grant allocates
    decision            jsonb,                     -- grant's details
    decided_at          timestamptz,
    decision_payload    bytea,
    decision_signature  bytea,
    signed_at           timestamptz,
    on_paper            boolean,
    delivered_at        timestamptz,
    updated_at          timestamptz,
    -- the open step (API §3): set by the derive trigger when a state opens one,
    -- recorded in the history; the event of the next state change closes it
    step                text,
    step_position       integer,
    step_performer      text,
    step_started_at     timestamptz,
    step_due_at         timestamptz,
    correction_reason   text                       -- the reason of the last correction (API §4.1), recorded by its event
)
-- every application is updated once per step (about eight times in its life),
-- and each step changes indexed columns, so no update is HOT: room left on the
-- page keeps the new version beside the old one (the page the step has just
-- read and locked), instead of on another page found through the free space
-- map, read, dirtied and logged as well
WITH (fillfactor = 80);
-- the closed sets of values (state, operation, channel, outcome) and an open
-- step with its due moment, in one C call given the whole row: a table CHECK
-- is re-read from its catalog text at the start of every statement that
-- writes the table, and one whole-row argument reads in a fifth of the time
-- of six columns (workflow.c)
CREATE FUNCTION licensing._application_row_values(a licensing.application) RETURNS boolean
    AS 'MODULE_PATHNAME', 'licensing_application_row_values' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION licensing._application_row_values(licensing.application) IS
    'CHECK of licensing.application: state, operation, channel and outcome from their closed sets, an open step with its due moment (23514 naming the value otherwise)';
ALTER TABLE licensing.application
    ADD CONSTRAINT application_values CHECK (licensing._application_row_values(application));
CREATE INDEX ON licensing.application (provider, state);
CREATE INDEX ON licensing.application (applicant);
-- open steps by due moment (overdue work lists, QUALITY P6)
CREATE INDEX application_step_due_idx ON licensing.application (step_due_at) WHERE step IS NOT NULL;
COMMENT ON TABLE licensing.application IS 'Applications for services; state changes are guarded by a C trigger (API §4)';
COMMENT ON COLUMN licensing.application.steps IS 'the profile''s steps (step, performer, norm, anchor, paper_norm) as they were at submit';
COMMENT ON COLUMN licensing.application.result_number IS 'the licence or conclusion number allocated by grant';
COMMENT ON COLUMN licensing.application.decision IS 'grant''s details (annexes)';
COMMENT ON COLUMN licensing.application.step IS 'the open step (NULL when none): its name, position, performer position, start and due moment (never after the term''s end)';

CREATE SEQUENCE licensing.application_document_id_seq;
COMMENT ON SEQUENCE licensing.application_document_id_seq IS 'ids of licensing.application_document';
CREATE TABLE licensing.application_document (
    id             bigint PRIMARY KEY DEFAULT pg_catalog.nextval('licensing.application_document_id_seq'),
    application    bigint NOT NULL REFERENCES licensing.application ON DELETE CASCADE,
    kind           text NOT NULL,
    filename       text NOT NULL,
    content        bytea NOT NULL,
    sha256         bytea NOT NULL,
    paper_original boolean NOT NULL DEFAULT false,
    attached_at    timestamptz NOT NULL DEFAULT pg_catalog.now()
);
CREATE INDEX ON licensing.application_document (application);
COMMENT ON TABLE licensing.application_document IS 'Documents of an application (scans of paper originals marked); their SHA-256 enters the signing payload';

CREATE SEQUENCE licensing.application_payment_id_seq;
COMMENT ON SEQUENCE licensing.application_payment_id_seq IS 'ids of licensing.application_payment';
CREATE TABLE licensing.application_payment (
    id          bigint PRIMARY KEY DEFAULT pg_catalog.nextval('licensing.application_payment_id_seq'),
    application bigint NOT NULL REFERENCES licensing.application ON DELETE CASCADE,
    amount      numeric(12,2) NOT NULL CHECK (amount OPERATOR(pg_catalog.>) 0::numeric),
    reference   text NOT NULL UNIQUE,
    paid_at     timestamptz NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    recorded_by name
);
CREATE INDEX ON licensing.application_payment (application);
COMMENT ON TABLE licensing.application_payment IS 'Payments reported by the payment gateway (ПШЭП); a reference is recorded once';

CREATE TABLE licensing.application_event (
    application bigint NOT NULL,
    seq         integer NOT NULL,
    at          timestamptz NOT NULL,
    actor_role  name NOT NULL,
    actor_iin   licensing.iin,
    what        text NOT NULL,
    from_state  text,
    to_state    text,
    payload     jsonb NOT NULL DEFAULT '{}',
    prev_hash   bytea,
    hash        bytea NOT NULL,
    -- the step this event closed (a state change closes the open step): as it
    -- was opened, recorded in an earlier event's payload; verify_history checks
    -- that the two agree, so the chain covers these columns too
    step            text,
    step_position   integer,
    step_performer  text,
    step_started_at timestamptz,
    step_due_at     timestamptz,
    -- the encoding of the hashed body (history.c): 2 for the events 1.1 writes,
    -- NULL for those written before (the encoding of 1.0)
    chain_encoding  smallint,
    -- included columns: a step finds its chain's last hash in the index it is
    -- about to insert into, without reading the old event's page (history.c);
    -- term_compliance reads the closed steps' moments from it, index only
    -- (70_reports.sql), without a second index for every step to write
    PRIMARY KEY (application, seq) INCLUDE (hash, step, at, step_started_at, step_due_at)
);
CREATE INDEX ON licensing.application_event (at);
COMMENT ON TABLE licensing.application_event IS 'Append-only history of every change and intake refusal, SHA-256 chained per application (verify_history recomputes)';
COMMENT ON COLUMN licensing.application_event.chain_encoding IS 'how the hash covers the event (README "Hash chains"): 2 = its columns, as in both histories; NULL = written before 1.1, in the encoding of 1.0';
COMMENT ON COLUMN licensing.application_event.step IS 'the step this event closed (finished at the event''s moment, by its actor), NULL when it closed none';

-- Each step of each application (API §4): the closed ones from the events that
-- closed them, the open one from the application.  A step is written once, with
-- the row or the event the step itself writes: no table of its own to update.
-- security_invoker: a role sees the steps of the applications its policies show.
CREATE VIEW licensing.application_step WITH (security_invoker = true) AS
SELECT e.application, e.step, e.step_position AS position, e.step_performer AS performer_position,
       e.step_started_at AS started_at, e.step_due_at AS due_at, e.at AS finished_at, e.actor_role AS performer,
       e.at OPERATOR(pg_catalog.>) e.step_due_at AS violation
  FROM licensing.application_event e
 WHERE e.step IS NOT NULL
UNION ALL
SELECT a.id, a.step, a.step_position, a.step_performer, a.step_started_at, a.step_due_at,
       NULL::timestamptz, NULL::name, NULL::boolean
  FROM licensing.application a
 WHERE a.step IS NOT NULL;
COMMENT ON VIEW licensing.application_step IS 'Each step of each application: start, due moment (never after the term''s end), end and performer; finished after due_at = a violation of the term';
COMMENT ON COLUMN licensing.application_step.violation IS 'true when the step finished after its due moment (a violation of the term; never blocks the step)';

CREATE TABLE licensing.application_survey (
    application         bigint PRIMARY KEY REFERENCES licensing.application ON DELETE CASCADE,
    process_quality     integer NOT NULL CHECK (process_quality BETWEEN 1 AND 3),
    information_quality integer NOT NULL CHECK (information_quality BETWEEN 1 AND 3),
    answered_at         timestamptz NOT NULL DEFAULT pg_catalog.now()
);
COMMENT ON TABLE licensing.application_survey IS 'The applicant''s survey of a delivered application: 1 not satisfied, 2 partially, 3 satisfied';

SELECT pg_catalog.pg_extension_config_dump('licensing.application', '');
SELECT pg_catalog.pg_extension_config_dump('licensing.application_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('licensing.application_number_seq', '');
SELECT pg_catalog.pg_extension_config_dump('licensing.application_document', '');
SELECT pg_catalog.pg_extension_config_dump('licensing.application_document_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('licensing.application_payment', '');
SELECT pg_catalog.pg_extension_config_dump('licensing.application_payment_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('licensing.application_event', '');
SELECT pg_catalog.pg_extension_config_dump('licensing.application_survey', '');

CREATE TYPE licensing.verdict AS (
    accepted   boolean,
    number     text,
    ground     text,
    message_kk text,
    message_ru text,
    message_en text,
    reason     text
);
COMMENT ON TYPE licensing.verdict IS 'What submit answers: accepted with its number, or an intake refusal with its ground, its specific reason (licensing.intake_reason) and texts naming both';

-- ---------------------------------------------------------------- who is acting (actor.c)
CREATE FUNCTION licensing.actor() RETURNS name
    AS 'MODULE_PATHNAME', 'licensing_actor' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION licensing.actor() IS 'The acting role: the session''s role after SET ROLE (GetOuterUserId), never a SECURITY DEFINER owner';

CREATE FUNCTION licensing.act_for(applicant text) RETURNS void
    AS 'MODULE_PATHNAME', 'licensing_act_for' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION licensing.act_for(text) IS 'The portal names the applicant (IIN or BIN) it acts for; kept in backend memory until the end of the transaction (like SET LOCAL); members of licensing_portal only; NULL forgets';

CREATE FUNCTION licensing.acting_for() RETURNS text
    AS 'MODULE_PATHNAME', 'licensing_acting_for' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION licensing.acting_for() IS 'The applicant named by act_for, while the role that named it is acting; else NULL';

CREATE FUNCTION licensing.clock() RETURNS timestamptz
    AS 'MODULE_PATHNAME', 'licensing_clock' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION licensing.clock() IS 'The moment the workflow records: now(), unless a superuser pinned it with set_clock';

CREATE FUNCTION licensing.set_clock(at timestamptz) RETURNS void
    AS 'MODULE_PATHNAME', 'licensing_set_clock' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION licensing.set_clock(timestamptz) IS 'Superusers: pin the workflow clock for demonstrations and tests (NULL: back to now())';
REVOKE ALL ON FUNCTION licensing.set_clock(timestamptz) FROM PUBLIC;

-- ---------------------------------------------------------------- canonical JSON, hashes
CREATE FUNCTION licensing.canonical_json(value jsonb) RETURNS text
    AS 'MODULE_PATHNAME', 'licensing_canonical_json' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION licensing.canonical_json(jsonb) IS 'RFC 8785 canonical JSON of a jsonb value (sorted keys, no white space, ECMAScript numbers)';

-- The hash chain of both histories (history.c): a whole row of application_event
-- or licence_event, whichever table has that name now (a DBA may have rebuilt it,
-- e.g. partitioned), so the argument is a record and the C code checks its type.
CREATE FUNCTION licensing._chain_hash(e record) RETURNS bytea
    AS 'MODULE_PATHNAME', 'licensing_chain_hash' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION licensing._chain_hash(record) IS 'The hash an event of application_event or licence_event must carry: SHA-256 over its prev_hash and the canonical JSON of its body, by its chain_encoding (NULL for an unknown encoding)';

-- ---------------------------------------------------------------- internal helpers
CREATE FUNCTION licensing._is_staff_of(provider text) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$ SELECT EXISTS (SELECT 1 FROM licensing.staff s
                         WHERE s.role OPERATOR(pg_catalog.=) licensing.actor()
                           AND s.provider OPERATOR(pg_catalog.=) $1) $$;
COMMENT ON FUNCTION licensing._is_staff_of(text) IS 'Whether the acting role has a staff row at the provider (row-level security)';

CREATE FUNCTION licensing._may_see(applicant text, provider text) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$ SELECT COALESCE($1 OPERATOR(pg_catalog.=) licensing.acting_for(), false) OR licensing._is_staff_of($2) $$;
COMMENT ON FUNCTION licensing._may_see(text, text) IS 'Whether the acting role sees an application of this applicant and provider (the portal: its applicant; staff: their provider)';

-- (row_json.c: to_char($1 AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
CREATE FUNCTION licensing._utc(at timestamptz) RETURNS text
    AS 'MODULE_PATHNAME', 'licensing_utc' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION licensing._utc(timestamptz) IS 'A moment as ISO 8601 UTC text, independent of TimeZone and DateStyle';

-- Appends one event to the application's hash chain (history.c, the same
-- routine the record trigger uses).  Callers hold the application's row lock
-- (an UPDATE of it, or SELECT ... FOR UPDATE), so events of one application
-- are appended one at a time.
CREATE FUNCTION licensing._append_event(app bigint, what text, from_state text, to_state text, payload jsonb)
    RETURNS void
    AS 'MODULE_PATHNAME', 'licensing_append_event'
    LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION licensing._append_event(bigint, text, text, text, jsonb) IS 'Appends an event to an application''s SHA-256 chained history';
REVOKE ALL ON FUNCTION licensing._append_event(bigint, text, text, text, jsonb) FROM PUBLIC;

-- (the caller that already holds the row passes its number: no query; step.c,
-- the same payload the step functions send)
CREATE FUNCTION licensing._notify(app bigint, number text, from_state text, to_state text) RETURNS void
    AS 'MODULE_PATHNAME', 'licensing_notify' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION licensing._notify(bigint, text, text, text) IS 'NOTIFY licensing_events with {application, number, from, to, at}, the number given by the caller';
REVOKE ALL ON FUNCTION licensing._notify(bigint, text, text, text) FROM PUBLIC;

CREATE FUNCTION licensing._notify(app bigint, from_state text, to_state text) RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$ BEGIN PERFORM licensing._notify($1,
              (SELECT a.number FROM licensing.application a WHERE a.id OPERATOR(pg_catalog.=) $1), $2, $3); END $$;
COMMENT ON FUNCTION licensing._notify(bigint, text, text) IS 'NOTIFY licensing_events with {application, number, from, to, at} (sent by the API functions, QUALITY §6)';
REVOKE ALL ON FUNCTION licensing._notify(bigint, text, text) FROM PUBLIC;

-- The row without what the history does not track.
-- TimeZone and bytea_output are fixed, so the encoding is the same in every session.
-- (history.c: to_jsonb($1) - 'updated_at' with TimeZone UTC and bytea_output hex)
CREATE FUNCTION licensing._row_json(a licensing.application) RETURNS jsonb
    AS 'MODULE_PATHNAME', 'licensing_row_json' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION licensing._row_json(licensing.application) IS 'An application row as jsonb, as the history records it';

CREATE FUNCTION licensing._row_json(a licensing.application, columns text[]) RETURNS jsonb
    AS 'MODULE_PATHNAME', 'licensing_row_json_columns' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION licensing._row_json(licensing.application, text[]) IS 'The named columns of _row_json(a), each encoded as there (without encoding the rest of the row)';

-- ---------------------------------------------------------------- the guard (workflow.c)
CREATE TYPE licensing._transition_verdict AS (ok boolean, sqlstate text, ground text, message text,
                                              detail text, hint text, reason text);
COMMENT ON TYPE licensing._transition_verdict IS 'The guard''s answer: allowed, or the SQLSTATE, intake ground, its specific reason and texts of why not';

CREATE FUNCTION licensing._check_transition(old licensing.application, new licensing.application)
    RETURNS licensing._transition_verdict
    AS 'MODULE_PATHNAME', 'licensing_check_transition' LANGUAGE C STABLE STRICT;
COMMENT ON FUNCTION licensing._check_transition(licensing.application, licensing.application) IS 'The one routine deciding whether an application may change from old to new (also run by the row trigger)';
REVOKE ALL ON FUNCTION licensing._check_transition(licensing.application, licensing.application) FROM PUBLIC;

CREATE FUNCTION licensing._application_guard() RETURNS trigger
    AS 'MODULE_PATHNAME', 'licensing_application_guard' LANGUAGE C;
COMMENT ON FUNCTION licensing._application_guard() IS 'BEFORE row trigger: raises when a change of an application is not allowed (API §4)';

CREATE TRIGGER application_10_guard BEFORE INSERT OR UPDATE OR DELETE ON licensing.application
    FOR EACH ROW EXECUTE FUNCTION licensing._application_guard();

-- Derived columns, computed on the row itself (QUALITY §6): at submit the number,
-- the receipt day and term (API §2), and the profile's steps pinned; on every
-- state change the step it opens, with its due moment from the calendar (step.c).
CREATE FUNCTION licensing._application_derive() RETURNS trigger
    AS 'MODULE_PATHNAME', 'licensing_application_derive' LANGUAGE C;
COMMENT ON FUNCTION licensing._application_derive() IS 'BEFORE row trigger after the guard: number, receipt day, term and pinned steps at submit; the step a state opens, with its due moment; moments of later steps';

CREATE TRIGGER application_20_derive BEFORE UPDATE ON licensing.application
    FOR EACH ROW EXECUTE FUNCTION licensing._application_derive();

-- The step a state opens, given the pinned steps.
-- (workflow.c: submitted opens register; registered route when the pinned steps
-- have it, else assign; routed assign; assigned confirm_complete; in_review decide;
-- decided approve when pinned, else sign_decision; approved sign_decision; signed deliver)
CREATE FUNCTION licensing._step_for_state(state text, steps jsonb) RETURNS text
    AS 'MODULE_PATHNAME', 'licensing_step_for_state' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION licensing._step_for_state(text, jsonb) IS 'Which profile step becomes possible when an application enters a state';

-- The transition table of the workflow (transitions.c): each move (the state it
-- leaves and reaches, the profile step it performs, the columns it may change,
-- those its step function sets, the events it records, the step the reached
-- state opens) and each event that is no move, with the state it stands in.
CREATE FUNCTION licensing.workflow_transitions()
    RETURNS TABLE (step text, from_state text, to_state text, unless_step text, performer text,
                   events text[], sets text[], columns text[], opens text[])
    AS 'MODULE_PATHNAME', 'licensing_workflow_transitions' LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 32;
COMMENT ON FUNCTION licensing.workflow_transitions() IS 'The transition table: every move of an application and every event that is no move (from = to; * any state), as the guard, the step triggers and verify_history use it';

-- AFTER UPDATE: the event, closing the open step (step.c).
CREATE FUNCTION licensing._application_record() RETURNS trigger
    AS 'MODULE_PATHNAME', 'licensing_application_record' LANGUAGE C;
COMMENT ON FUNCTION licensing._application_record() IS 'AFTER row trigger: appends the hash-chained event of the change, with the step it closed';

CREATE TRIGGER application_30_record AFTER UPDATE ON licensing.application
    FOR EACH ROW EXECUTE FUNCTION licensing._application_record();

-- History is append-only: UPDATE, DELETE and TRUNCATE fail for every role.
CREATE FUNCTION licensing._history_immutable() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    -- the histories it guards: an application's and (1.1) a complaint's
    history text := CASE COALESCE(pg_catalog.pg_partition_root(TG_RELID), TG_RELID::pg_catalog.regclass)
                        WHEN 'licensing.application_event'::pg_catalog.regclass THEN 'applications'
                        WHEN 'licensing.complaint_event'::pg_catalog.regclass THEN 'complaints' END;
BEGIN
    IF history IS NULL OR TG_WHEN OPERATOR(pg_catalog.<>) 'BEFORE' OR TG_OP OPERATOR(pg_catalog.=) 'INSERT' THEN
        RAISE EXCEPTION 'licensing._history_immutable() cannot fire % % for each % on table %',
                        TG_WHEN, TG_OP, TG_LEVEL, TG_RELID::pg_catalog.regclass
            USING ERRCODE = '39P01',
                  DETAIL = 'It is a BEFORE UPDATE, DELETE or TRUNCATE trigger of licensing.application_event and licensing.complaint_event only.',
                  HINT = 'Drop the trigger; the extension creates its own triggers.';
    END IF;
    RAISE EXCEPTION 'history of % cannot be changed', history
        USING ERRCODE = '55000',
              DETAIL = pg_catalog.format('%s on %s is refused: the history is append-only and hash-chained.', TG_OP, TG_TABLE_NAME),
              HINT = CASE history WHEN 'applications'
                          THEN 'Events are appended by the functions of licensing; licensing.verify_history() checks the chain.'
                          ELSE 'Events are appended by lodge_complaint and decide_complaint; licensing.verify_complaint_history() checks the chain.' END;
END
$$;
COMMENT ON FUNCTION licensing._history_immutable() IS 'Trigger refusing UPDATE, DELETE and TRUNCATE of the history (of applications and of complaints)';
CREATE TRIGGER application_event_immutable BEFORE UPDATE OR DELETE ON licensing.application_event
    FOR EACH ROW EXECUTE FUNCTION licensing._history_immutable();
CREATE TRIGGER application_event_no_truncate BEFORE TRUNCATE ON licensing.application_event
    FOR EACH STATEMENT EXECUTE FUNCTION licensing._history_immutable();

-- ---------------------------------------------------------------- API §4
-- Locks and returns an application (P0002 when none); callers check that the acting role may see it.
CREATE FUNCTION licensing._lock(app bigint) RETURNS licensing.application
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    a licensing.application;
BEGIN
    IF app IS NULL THEN
        RAISE EXCEPTION 'application must not be NULL' USING ERRCODE = '22023';
    END IF;
    SELECT * INTO a FROM licensing.application x WHERE x.id OPERATOR(pg_catalog.=) app FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'application % does not exist', app USING ERRCODE = 'P0002',
            HINT = 'Check the application id.';
    END IF;
    RETURN a;
END
$$;
COMMENT ON FUNCTION licensing._lock(bigint) IS 'Locks an application row for a step (P0002 when there is none)';
REVOKE ALL ON FUNCTION licensing._lock(bigint) FROM PUBLIC;

CREATE FUNCTION licensing._require_visible(a licensing.application) RETURNS void
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- the words of a missing id (_lock, _visible): no state, no provider (API §8)
    IF NOT licensing._may_see(a.applicant, a.provider)
       AND NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) licensing.actor()) THEN
        RAISE EXCEPTION 'application % does not exist', a.id USING ERRCODE = 'P0002',
            HINT = 'Check the application id.';
    END IF;
END
$$;
COMMENT ON FUNCTION licensing._require_visible(licensing.application) IS 'Raises P0002, as for a missing id, unless the acting role sees the application';

-- Reads (without locking) an application the acting role may see: for the
-- STABLE readers, which cannot take _lock's row lock.
CREATE FUNCTION licensing._visible(app bigint) RETURNS licensing.application
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    a licensing.application;
BEGIN
    SELECT * INTO a FROM licensing.application x WHERE x.id OPERATOR(pg_catalog.=) app;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'application % does not exist', app USING ERRCODE = 'P0002',
            HINT = 'Check the application id.';
    END IF;
    PERFORM licensing._require_visible(a);
    RETURN a;
END
$$;
COMMENT ON FUNCTION licensing._visible(bigint) IS 'An application the acting role may see, unlocked (P0002 when none or not its own)';
REVOKE ALL ON FUNCTION licensing._visible(bigint) FROM PUBLIC;

-- Raises the guard's answer (used where a function checks before acting).
CREATE FUNCTION licensing._raise_unless(v licensing._transition_verdict) RETURNS void
    LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT v.ok THEN
        RAISE EXCEPTION USING MESSAGE = v.message, ERRCODE = v.sqlstate,
            DETAIL = COALESCE(v.detail, ''), HINT = COALESCE(v.hint, '');
    END IF;
END
$$;
COMMENT ON FUNCTION licensing._raise_unless(licensing._transition_verdict) IS 'Raises with the guard''s answer when it refused';

CREATE FUNCTION licensing.create_application(service text, operation text, applicant text, provider text,
        form jsonb DEFAULT '{}', channel text DEFAULT 'portal', licence_number text DEFAULT NULL,
        representative licensing.iin DEFAULT NULL, attorney_number text DEFAULT NULL)
    RETURNS bigint
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    size_ok boolean := licensing._limit_input('form', $5);
    svc licensing.service;
    who text;
    kind text;
    prof text;
    app licensing.application;
    p_service text := $1; p_operation text := $2; p_applicant text := $3; p_provider text := $4;
    p_form jsonb := COALESCE($5, '{}'); p_channel text := $6; p_licence text := $7;
    p_rep licensing.iin := $8; p_attorney text := $9;
BEGIN
    SELECT * INTO svc FROM licensing.service s WHERE s.code OPERATOR(pg_catalog.=) p_service;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown service "%"', licensing._short(p_service) USING ERRCODE = '22023',
            HINT = 'See licensing.service for the services offered.';
    END IF;
    IF p_operation IS NULL OR NOT p_operation OPERATOR(pg_catalog.=) ANY (svc.operations) THEN
        RAISE EXCEPTION 'service % has no operation "%"', p_service, licensing._short(p_operation) USING ERRCODE = '22023',
            DETAIL = pg_catalog.format('Operations of %s: %s.', p_service, pg_catalog.array_to_string(svc.operations, ', '));
    END IF;
    IF p_channel IS NULL OR p_channel NOT IN ('portal', 'office') THEN
        RAISE EXCEPTION 'unknown channel "%"', licensing._short(p_channel) USING ERRCODE = '22023', HINT = 'Use portal or office.';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM licensing.provider pr WHERE pr.code OPERATOR(pg_catalog.=) p_provider) THEN
        RAISE EXCEPTION 'unknown provider "%"', licensing._short(p_provider) USING ERRCODE = '22023',
            HINT = 'See licensing.provider.';
    END IF;
    IF pg_catalog.jsonb_typeof(p_form) OPERATOR(pg_catalog.<>) 'object' THEN
        RAISE EXCEPTION 'form must be a JSON object' USING ERRCODE = '22023';
    END IF;
    -- the applicant: an IIN or a BIN of a kind the service accepts (22P02 when it does not parse)
    IF p_applicant IS NULL THEN
        RAISE EXCEPTION 'applicant must not be NULL' USING ERRCODE = '22023';
    END IF;
    IF pg_catalog.substr(pg_catalog.btrim(p_applicant), 5, 1) OPERATOR(pg_catalog.<=) '3' THEN
        who := p_applicant::licensing.iin::text;
        kind := 'individual';
        IF NOT kind OPERATOR(pg_catalog.=) ANY (svc.applicant_kinds) THEN
            RAISE EXCEPTION 'service % does not accept an individual (IIN %) as applicant', p_service, who
                USING ERRCODE = '22023', DETAIL = 'Accepted: ' OPERATOR(pg_catalog.||) pg_catalog.array_to_string(svc.applicant_kinds, ', ');
        END IF;
    ELSE
        who := p_applicant::licensing.bin::text;
        kind := licensing.bin_kind(who::licensing.bin);
        IF NOT (kind OPERATOR(pg_catalog.=) ANY (svc.applicant_kinds)
                OR (kind OPERATOR(pg_catalog.||) '/' OPERATOR(pg_catalog.||) licensing.bin_division(who::licensing.bin))
                   OPERATOR(pg_catalog.=) ANY (svc.applicant_kinds)) THEN
            RAISE EXCEPTION 'service % does not accept BIN % (%, %) as applicant', p_service, who, kind,
                licensing.bin_division(who::licensing.bin)
                USING ERRCODE = '22023', DETAIL = 'Accepted: ' OPERATOR(pg_catalog.||) pg_catalog.array_to_string(svc.applicant_kinds, ', '),
                      HINT = 'A licence is applied for by the legal entity''s head office.';
        END IF;
    END IF;
    -- who may create it
    IF p_channel OPERATOR(pg_catalog.=) 'portal' THEN
        IF licensing.acting_for() IS DISTINCT FROM who THEN
            RAISE EXCEPTION 'role "%" does not act for applicant %', licensing.actor(), who USING ERRCODE = '42501',
                DETAIL = 'On the portal the applicant is the one named by licensing.act_for().',
                HINT = 'Call licensing.act_for() as a member of licensing_portal first.';
        END IF;
        IF p_rep IS NOT NULL OR p_attorney IS NOT NULL THEN
            RAISE EXCEPTION 'a representative is named at the office only' USING ERRCODE = '22023',
                DETAIL = 'On the portal the applicant signs for itself (South Kazakhstan No 382 of 19.12.2012, §6).';
        END IF;
    ELSE
        IF NOT EXISTS (SELECT 1 FROM licensing.staff s WHERE s.role OPERATOR(pg_catalog.=) licensing.actor()
                         AND s.provider OPERATOR(pg_catalog.=) p_provider AND s.position OPERATOR(pg_catalog.=) 'clerk') THEN
            RAISE EXCEPTION 'role "%" is not a clerk of provider %', licensing.actor(), p_provider USING ERRCODE = '42501',
                DETAIL = 'Office applications are entered by a clerk of the provider (South Kazakhstan No 382 of 19.12.2012, §7).';
        END IF;
        IF p_rep IS NOT NULL AND p_attorney IS NULL THEN
            RAISE EXCEPTION 'representative % needs a notarised power of attorney', p_rep USING ERRCODE = '22023',
                HINT = 'Pass attorney_number.';
        END IF;
    END IF;
    -- the provider renders the service, and the form carries what the service
    -- needs (a conclusion's object: API §6, revision 2), before anything is written
    PERFORM licensing._check_application_form(p_service, p_operation, p_provider, p_form, p_licence);
    -- reissue, duplicate and annex name an active licence of the applicant (checked by the licence register)
    IF p_operation IN ('reissue', 'duplicate', 'annex') THEN
        IF p_licence IS NULL THEN
            RAISE EXCEPTION '% needs the number of the licence', p_operation USING ERRCODE = '22023',
                HINT = 'Pass licence_number.';
        END IF;
        PERFORM licensing._check_licence_target(p_service, p_operation, who, p_licence, p_form);
    ELSIF p_licence IS NOT NULL THEN
        RAISE EXCEPTION 'operation issue takes no licence number' USING ERRCODE = '22023';
    END IF;
    prof := COALESCE((SELECT pp.profile FROM licensing.provider_profile pp
                       WHERE pp.provider OPERATOR(pg_catalog.=) p_provider AND pp.service OPERATOR(pg_catalog.=) p_service),
                     svc.default_profile);
    IF prof IS NULL THEN
        RAISE EXCEPTION 'provider % has no profile for service %', p_provider, p_service USING ERRCODE = '22023',
            HINT = 'Add a row to licensing.provider_profile or set the service''s default_profile.';
    END IF;
    INSERT INTO licensing.application (service, operation, channel, applicant, provider, profile, licence_number,
                                       form, representative, attorney_number, created_at, created_by)
    VALUES (p_service, p_operation, p_channel, who, p_provider, prof, p_licence, p_form, p_rep, p_attorney,
            licensing.clock(), licensing.actor())
    RETURNING * INTO app;
    PERFORM licensing._append_event(app.id, 'create', NULL, 'draft', licensing._row_json(app));
    PERFORM licensing._notify(app.id, NULL, 'draft');
    RETURN app.id;
END
$$;
COMMENT ON FUNCTION licensing.create_application(text, text, text, text, jsonb, text, text, licensing.iin, text) IS 'Creates a draft application (portal: for the applicant named by act_for; office: by a clerk)';

CREATE FUNCTION licensing.attach_document(application bigint, kind text, content bytea, filename text,
        paper_original boolean DEFAULT false) RETURNS bigint
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    size_ok boolean := licensing._limit_input('document', $3);
    a licensing.application := licensing._lock($1);
    doc bigint;
    h bytea;
BEGIN
    PERFORM licensing._require_visible(a);
    IF a.state OPERATOR(pg_catalog.<>) 'draft' THEN
        RAISE EXCEPTION 'application % is %, documents are attached to drafts only', a.id, a.state USING ERRCODE = '55000';
    END IF;
    IF NOT (CASE WHEN a.channel OPERATOR(pg_catalog.=) 'portal' THEN licensing.acting_for() IS NOT DISTINCT FROM a.applicant
                 ELSE EXISTS (SELECT 1 FROM licensing.staff s WHERE s.role OPERATOR(pg_catalog.=) licensing.actor()
                                AND s.provider OPERATOR(pg_catalog.=) a.provider AND s.position OPERATOR(pg_catalog.=) 'clerk') END) THEN
        RAISE EXCEPTION 'role "%" may not attach documents to application %', licensing.actor(), a.id USING ERRCODE = '42501',
            DETAIL = 'Documents are attached by the portal for its applicant, or at the office by a clerk.';
    END IF;
    IF $2 IS NULL OR pg_catalog.btrim($2) OPERATOR(pg_catalog.=) '' OR $4 IS NULL OR pg_catalog.btrim($4) OPERATOR(pg_catalog.=) '' THEN
        RAISE EXCEPTION 'a document needs a kind and a file name' USING ERRCODE = '22023';
    END IF;
    IF $3 IS NULL OR pg_catalog.length($3) OPERATOR(pg_catalog.=) 0 THEN
        RAISE EXCEPTION 'document "%" is empty', licensing._short($4) USING ERRCODE = '22023';
    END IF;
    h := pg_catalog.sha256($3);
    INSERT INTO licensing.application_document (application, kind, filename, content, sha256, paper_original, attached_at)
    VALUES (a.id, $2, $4, $3, h, COALESCE($5, false), licensing.clock())
    RETURNING id INTO doc;
    PERFORM licensing._append_event(a.id, 'attach_document', 'draft', 'draft',
        pg_catalog.jsonb_build_object('document', doc, 'kind', $2, 'filename', $4,
                                      'sha256', pg_catalog.encode(h, 'hex'), 'paper_original', COALESCE($5, false)));
    PERFORM licensing._notify(a.id, 'draft', 'draft');
    RETURN doc;
END
$$;
COMMENT ON FUNCTION licensing.attach_document(bigint, text, bytea, text, boolean) IS 'Attaches a document to a draft (paper_original: a scan of a paper original presented at the office)';

CREATE FUNCTION licensing.record_payment(application bigint, amount numeric, reference text,
        paid_at timestamptz DEFAULT now()) RETURNS bigint
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    a licensing.application;
    pay licensing.application_payment;
BEGIN
    IF NOT pg_catalog.pg_has_role(licensing.actor(), 'licensing_gateway', 'MEMBER') THEN
        RAISE EXCEPTION 'role "%" may not record payments', licensing.actor() USING ERRCODE = '42501',
            DETAIL = 'Payments are reported by the payment gateway (licensing_gateway).';
    END IF;
    IF $3 IS NULL OR pg_catalog.btrim($3) OPERATOR(pg_catalog.=) '' THEN
        RAISE EXCEPTION 'a payment needs its reference' USING ERRCODE = '22023';
    END IF;
    IF $2 IS NULL OR $2 OPERATOR(pg_catalog.<=) 0 OR $2 OPERATOR(pg_catalog.>=) 10000000000 THEN
        RAISE EXCEPTION 'payment amount % is not positive', pg_catalog.left($2::text, 64) USING ERRCODE = '22023';
    END IF;
    PERFORM licensing._check_moment($4, 'paid_at');
    a := licensing._lock($1);
    SELECT * INTO pay FROM licensing.application_payment p WHERE p.reference OPERATOR(pg_catalog.=) $3;
    IF NOT FOUND THEN
        -- a fee is paid for a draft of a service and operation that owes one (No 382 of
        -- 19.12.2012 and No 40 of 29.03.2013, §6 6)–8)): any other payment is refused, so
        -- the payment system returns it and neither the register nor the statistics count
        -- it as a fee (issue #14)
        IF NOT EXISTS (SELECT 1 FROM licensing.service_fee f WHERE f.service OPERATOR(pg_catalog.=) a.service
                          AND f.operation OPERATOR(pg_catalog.=) a.operation AND f.amount OPERATOR(pg_catalog.>) 0) THEN
            RAISE EXCEPTION 'application % owes no fee: a payment to it is refused', a.id USING ERRCODE = '55000',
                DETAIL = pg_catalog.format('Service %s, operation %s has no fee (licensing.service_fee).', a.service, a.operation),
                HINT = 'Return the payment to the payer through the payment system.';
        END IF;
        IF a.state OPERATOR(pg_catalog.<>) 'draft' THEN
            -- (the gateway may name any id: the words do not say the application's state)
            RAISE EXCEPTION 'application % is no longer a draft: a payment after acceptance is refused', a.id USING ERRCODE = '55000',
                DETAIL = 'The fee is paid before the draft is submitted; the accepted application''s fee is settled.',
                HINT = 'Return the payment to the payer through the payment system.';
        END IF;
        -- a concurrent call may have recorded the reference after this snapshot was
        -- taken: ON CONFLICT waits for it; read committed then reads the winner below,
        -- a snapshot that cannot see it gets a serialization failure (issue #16 part 5)
        BEGIN
            INSERT INTO licensing.application_payment (application, amount, reference, paid_at, recorded_at, recorded_by)
            VALUES (a.id, $2, $3, COALESCE($4, licensing.clock()), licensing.clock(), licensing.actor())
            ON CONFLICT ON CONSTRAINT application_payment_reference_key DO NOTHING
            RETURNING * INTO pay;
        EXCEPTION WHEN serialization_failure THEN
            RAISE EXCEPTION 'payment reference % was recorded by a concurrent transaction', pg_catalog.left($3, 64)
                USING ERRCODE = '40001',
                DETAIL = 'This transaction''s snapshot was taken before that one committed, so it cannot return its id.',
                HINT = 'Retry the transaction: the same reference then returns the same id.';
        END;
        IF pay.id IS NOT NULL THEN
            PERFORM licensing._append_event(a.id, 'record_payment', a.state, a.state,
                pg_catalog.jsonb_build_object('payment', pay.id, 'amount', pay.amount, 'reference', pay.reference,
                                              'paid_at', licensing._utc(pay.paid_at)));
            PERFORM licensing._notify(a.id, a.state, a.state);
            RETURN pay.id;
        END IF;
        SELECT * INTO STRICT pay FROM licensing.application_payment p WHERE p.reference OPERATOR(pg_catalog.=) $3;
    END IF;
    IF pay.application OPERATOR(pg_catalog.<>) a.id OR pay.amount OPERATOR(pg_catalog.<>) $2 THEN
        RAISE EXCEPTION 'payment reference % is already recorded for another payment', pg_catalog.left($3, 64) USING ERRCODE = '22023',
            DETAIL = pg_catalog.format('It was recorded for application %s, amount %s.', pay.application, pay.amount);
    END IF;
    RETURN pay.id;
END
$$;
COMMENT ON FUNCTION licensing.record_payment(bigint, numeric, text, timestamptz) IS 'The gateway records a payment of a fee owed by a draft (a service without a fee, or an accepted application: 55000); a reference already recorded returns the same id';

-- The revision of an application (API §4, revision 2): the number (seq) of the
-- last event of its history that changed it.  Every change of a draft (its
-- creation, each document) and of a decision appends an event, so the revision
-- changes with it; payments, intake refusals, the survey and the deadline notices of
-- check_deadlines (58_deadlines.sql) change neither and
-- do not count, so the same draft keeps the same revision (a payment recorded
-- between signing and submitting does not void the signature).  Derived from the
-- append-only, hash-chained history rather than kept in a column of its own: no
-- role can set it back, nothing else has to remember to bump it, and a change
-- that appends an event of a new kind counts by default (it voids a signature
-- rather than letting one stand for a draft it never saw).
CREATE FUNCTION licensing._revision(application bigint) RETURNS integer
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    SELECT COALESCE(pg_catalog.max(e.seq), 0) FROM licensing.application_event e
     WHERE e.application OPERATOR(pg_catalog.=) $1
       AND e.what NOT IN ('record_payment', 'intake_refused', 'survey', 'due_soon', 'overdue')
$$;
COMMENT ON FUNCTION licensing._revision(bigint) IS 'internal: the seq of the last event that changed the application (not a payment, intake refusal, survey or deadline notice); enters the signed payloads';
REVOKE ALL ON FUNCTION licensing._revision(bigint) FROM PUBLIC;

-- The id and the revision bind a signature to one application as it was signed:
-- two drafts of the same content differ by their ids, and a document attached
-- after signing changes the revision.
CREATE FUNCTION licensing._signing_payload(application bigint) RETURNS bytea
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    SELECT pg_catalog.convert_to(licensing.canonical_json(pg_catalog.jsonb_build_object(
        'id', a.id, 'revision', licensing._revision(a.id),
        'service', a.service, 'operation', a.operation, 'applicant', a.applicant, 'provider', a.provider,
        'licence_number', a.licence_number, 'form', a.form,
        'documents', COALESCE((SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
                        'kind', d.kind, 'filename', d.filename, 'sha256', pg_catalog.encode(d.sha256, 'hex'),
                        'paper_original', d.paper_original) ORDER BY d.id)
                     FROM licensing.application_document d WHERE d.application OPERATOR(pg_catalog.=) a.id), '[]'))), 'UTF8')
    FROM licensing.application a WHERE a.id OPERATOR(pg_catalog.=) $1
$$;
COMMENT ON FUNCTION licensing._signing_payload(bigint) IS 'The bytes an applicant signs, without the visibility check (used by the guard)';
REVOKE ALL ON FUNCTION licensing._signing_payload(bigint) FROM PUBLIC;

CREATE FUNCTION licensing.signing_payload(application bigint) RETURNS bytea
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    a licensing.application := licensing._visible($1);
BEGIN
    RETURN licensing._signing_payload($1);
END
$$;
COMMENT ON FUNCTION licensing.signing_payload(bigint) IS 'RFC 8785 canonical JSON the applicant signs: the application''s id and revision, service, operation, applicant, provider, form, documents'' SHA-256';

CREATE FUNCTION licensing.submit(application bigint, signature bytea DEFAULT NULL) RETURNS licensing.verdict
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

-- One step: update (the guard decides, the derive trigger opens the next step,
-- the record trigger appends the event), then NOTIFY (step.c).
CREATE FUNCTION licensing._step(app bigint, to_state text, changes jsonb DEFAULT '{}') RETURNS licensing.application
    AS 'MODULE_PATHNAME', 'licensing_step'
    LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION licensing._step(bigint, text, jsonb) IS 'Moves an application to a state with the given column values; the row trigger decides';
REVOKE ALL ON FUNCTION licensing._step(bigint, text, jsonb) FROM PUBLIC;

CREATE FUNCTION licensing.register(application bigint) RETURNS void
    AS 'MODULE_PATHNAME', 'licensing_register'
    LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION licensing.register(bigint) IS 'The office registers a submitted application (clerk)';

CREATE FUNCTION licensing.route(application bigint, unit text) RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$ BEGIN PERFORM licensing._step($1, 'routed', pg_catalog.jsonb_build_object('unit', $2)); END $$;
COMMENT ON FUNCTION licensing.route(bigint, text) IS 'The head routes a registered application to a unit (profiles with that step)';

CREATE FUNCTION licensing.assign(application bigint, executor name) RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$ BEGIN PERFORM licensing._step($1, 'assigned', pg_catalog.jsonb_build_object('executor', $2)); END $$;
COMMENT ON FUNCTION licensing.assign(bigint, name) IS 'The head (or unit head) assigns an executor';

CREATE FUNCTION licensing.confirm_complete(application bigint) RETURNS void
    AS 'MODULE_PATHNAME', 'licensing_confirm_complete'
    LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION licensing.confirm_complete(bigint) IS 'The executor confirms the documents are complete';

CREATE FUNCTION licensing.refuse(application bigint, ground text, reason_kk text, reason_ru text) RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$ BEGIN PERFORM licensing._step($1, 'decided', pg_catalog.jsonb_build_object(
              'outcome', 'refused', 'ground', $2, 'reason_kk', $3, 'reason_ru', $4,
              'result_number', NULL, 'decision', NULL)); END $$;
COMMENT ON FUNCTION licensing.refuse(bigint, text, text, text) IS 'The executor decides a reasoned refusal (from assigned: incomplete_documents only; from decided: licence_status_changed only, a grant''s number withdrawn)';

CREATE FUNCTION licensing.grant(application bigint, details jsonb DEFAULT '{}') RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    a licensing.application := licensing._lock($1);
    b licensing.application;
    num text;
BEGIN
    IF $2 IS NULL OR pg_catalog.jsonb_typeof($2) OPERATOR(pg_catalog.<>) 'object' THEN
        RAISE EXCEPTION 'details must be a JSON object' USING ERRCODE = '22023';
    END IF;
    -- the state and the role first, so that no number is allocated for a refused call
    b := a;
    b.state := 'decided';
    b.outcome := 'granted';
    b.result_number := '(to be allocated)';
    b.decision := $2;
    PERFORM licensing._raise_unless(licensing._check_transition(a, b));
    num := licensing._licence_number_for(a.id, $2);
    PERFORM licensing._step(a.id, 'decided', pg_catalog.jsonb_build_object(
        'outcome', 'granted', 'result_number', num, 'decision', $2));
END
$$;
COMMENT ON FUNCTION licensing.grant(bigint, jsonb) IS 'The executor decides to grant; the licence or conclusion number is allocated here';

CREATE FUNCTION licensing.approve(application bigint) RETURNS void
    AS 'MODULE_PATHNAME', 'licensing_approve'
    LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION licensing.approve(bigint) IS 'The unit head approves the decision (profiles with that step)';

CREATE FUNCTION licensing._decision_payload(application bigint) RETURNS bytea
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    SELECT pg_catalog.convert_to(licensing.canonical_json(pg_catalog.jsonb_build_object(
        'id', a.id, 'revision', licensing._revision(a.id),
        'application', a.number, 'service', a.service, 'operation', a.operation, 'applicant', a.applicant,
        'provider', a.provider, 'outcome', a.outcome, 'number', a.result_number,
        'target_licence', a.licence_number, 'ground', a.ground,
        'ground_text_kk', g.text_kk, 'ground_text_ru', g.text_ru,
        'reason_kk', a.reason_kk, 'reason_ru', a.reason_ru,
        'annexes', COALESCE(a.decision OPERATOR(pg_catalog.->) 'annexes', '[]'),
        'details', COALESCE(a.decision, '{}'),
        'decided_at', licensing._utc(a.decided_at), 'executor', a.executor::text)
        -- revision 2 (API §6): a conclusion's content, an annex's number, what a duplicate copies
        OPERATOR(pg_catalog.||) licensing._decision_content(a)), 'UTF8')
    FROM licensing.application a
    LEFT JOIN licensing.refusal_ground g ON g.code OPERATOR(pg_catalog.=) a.ground
    WHERE a.id OPERATOR(pg_catalog.=) $1 AND a.outcome IS NOT NULL
$$;
COMMENT ON FUNCTION licensing._decision_payload(bigint) IS 'The bytes of a decision the head signs, without the visibility check (used by the guard)';
REVOKE ALL ON FUNCTION licensing._decision_payload(bigint) FROM PUBLIC;

CREATE FUNCTION licensing.decision_payload(application bigint) RETURNS bytea
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    a licensing.application := licensing._visible($1);
BEGIN
    IF a.outcome IS NULL THEN
        RAISE EXCEPTION 'application % has no decision yet', a.id USING ERRCODE = '55000',
            DETAIL = pg_catalog.format('It is %s; a decision exists from state decided on.', a.state);
    END IF;
    RETURN licensing._decision_payload($1);
END
$$;
COMMENT ON FUNCTION licensing.decision_payload(bigint) IS 'RFC 8785 canonical JSON of the decision (the application''s id, number and revision, outcome, ground and reasons, annexes; a conclusion''s object, finding, conditions and documents; the numbers of the annexes it issues; what a duplicate copies) the head signs';

CREATE FUNCTION licensing.sign_decision(application bigint, signature bytea) RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    size_ok boolean := licensing._limit_input('signature', $2);
    b licensing.application;
BEGIN
    b := licensing._step($1, 'signed', pg_catalog.jsonb_build_object(
        'decision_payload', licensing._decision_payload($1), 'decision_signature', $2));
    IF b.outcome OPERATOR(pg_catalog.=) 'granted' THEN
        PERFORM licensing._issue_result(b.id);
    END IF;
END
$$;
COMMENT ON FUNCTION licensing.sign_decision(bigint, bytea) IS 'The head signs the decision (verified; signer IIN = the head''s in staff); a grant creates the licence or conclusion';

CREATE FUNCTION licensing.deliver(application bigint, on_paper boolean DEFAULT false) RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$ BEGIN PERFORM licensing._step($1, 'delivered', pg_catalog.jsonb_build_object('on_paper', COALESCE($2, false))); END $$;
COMMENT ON FUNCTION licensing.deliver(bigint, boolean) IS 'The office delivers the signed result (on paper: printed and certified)';

CREATE FUNCTION licensing.withdraw(application bigint) RETURNS void
    AS 'MODULE_PATHNAME', 'licensing_withdraw'
    LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION licensing.withdraw(bigint) IS 'The applicant withdraws its application before a decision';

CREATE FUNCTION licensing.survey(application bigint, process_quality integer, information_quality integer) RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    a licensing.application := licensing._lock($1);
    n bigint;
BEGIN
    IF licensing.acting_for() IS DISTINCT FROM a.applicant THEN
        -- another applicant's application: as if there were none (API §8)
        RAISE EXCEPTION 'application % does not exist', a.id USING ERRCODE = 'P0002',
            HINT = 'Check the application id.';
    END IF;
    IF a.state OPERATOR(pg_catalog.<>) 'delivered' THEN
        RAISE EXCEPTION 'application % is %, the survey follows delivery', a.id, a.state USING ERRCODE = '55000';
    END IF;
    IF $2 IS NULL OR $3 IS NULL OR $2 NOT BETWEEN 1 AND 3 OR $3 NOT BETWEEN 1 AND 3 THEN
        RAISE EXCEPTION 'survey answers must be 1, 2 or 3' USING ERRCODE = '22023',
            DETAIL = '1 not satisfied, 2 partially satisfied, 3 satisfied.';
    END IF;
    IF EXISTS (SELECT 1 FROM licensing.application_survey s WHERE s.application OPERATOR(pg_catalog.=) a.id) THEN
        RAISE EXCEPTION 'the survey of application % is already answered', a.id USING ERRCODE = '55000';
    END IF;
    -- a concurrent answer committed after this snapshot was taken is not seen
    -- above: ON CONFLICT waits for it, and a snapshot that cannot see it gets a
    -- serialization failure (issue #16 part 5)
    BEGIN
        INSERT INTO licensing.application_survey (application, process_quality, information_quality, answered_at)
        VALUES (a.id, $2, $3, licensing.clock())
        ON CONFLICT ON CONSTRAINT application_survey_pkey DO NOTHING;
        GET DIAGNOSTICS n = ROW_COUNT;
    EXCEPTION WHEN serialization_failure THEN
        RAISE EXCEPTION 'the survey of application % was answered by a concurrent transaction', a.id
            USING ERRCODE = '40001',
            DETAIL = 'This transaction''s snapshot was taken before that one committed.',
            HINT = 'Retry the transaction: it then sees the survey answered.';
    END;
    IF n OPERATOR(pg_catalog.=) 0 THEN
        RAISE EXCEPTION 'the survey of application % is already answered', a.id USING ERRCODE = '55000';
    END IF;
    PERFORM licensing._append_event(a.id, 'survey', a.state, a.state,
        pg_catalog.jsonb_build_object('process_quality', $2, 'information_quality', $3));
END
$$;
COMMENT ON FUNCTION licensing.survey(bigint, integer, integer) IS 'The applicant''s survey of a delivered application (once)';

-- Recomputes the chain of one application or of all; also replays the recorded
-- changes and compares them with the row, so a change made with triggers off is found.
CREATE FUNCTION licensing.verify_history(application bigint DEFAULT NULL) RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    a licensing.application;
    e licensing.application_event;
    prev bytea;
    n integer;
    replay jsonb;
    state text;
    closes boolean;
    encoding smallint;
BEGIN
    IF NOT licensing._history_complete($1) THEN RETURN false; END IF;  -- rows missing (66_history_complete.sql)
    FOR a IN SELECT * FROM licensing.application x WHERE $1 IS NULL OR x.id OPERATOR(pg_catalog.=) $1 LOOP
        prev := NULL; n := 0; replay := NULL; state := NULL; encoding := 1;
        FOR e IN SELECT * FROM licensing.application_event y WHERE y.application OPERATOR(pg_catalog.=) a.id ORDER BY y.seq LOOP
            n := n OPERATOR(pg_catalog.+) 1;
            -- the hash by the event's encoding (history.c), which never goes back within a chain
            IF e.seq OPERATOR(pg_catalog.<>) n OR e.prev_hash IS DISTINCT FROM prev
               OR e.hash IS DISTINCT FROM licensing._chain_hash(e)
               OR COALESCE(e.chain_encoding, 1) OPERATOR(pg_catalog.<) encoding THEN
                RETURN false;
            END IF;
            prev := e.hash;
            encoding := COALESCE(e.chain_encoding, 1);
            -- continuity: the first event creates, each starts where the one before ended,
            -- and is a move or an event of the transition table where it stands
            IF (n OPERATOR(pg_catalog.=) 1) IS DISTINCT FROM (e.what OPERATOR(pg_catalog.=) 'create')
               OR e.from_state IS DISTINCT FROM state
               OR (n OPERATOR(pg_catalog.>) 1 AND NOT EXISTS (
                   SELECT FROM licensing.workflow_transitions() t
                    WHERE e.what OPERATOR(pg_catalog.=) ANY (t.events)
                      AND ((t.from_state OPERATOR(pg_catalog.=) e.from_state AND t.to_state OPERATOR(pg_catalog.=) e.to_state)
                           OR (t.from_state OPERATOR(pg_catalog.=) '*' AND e.to_state OPERATOR(pg_catalog.=) e.from_state)))) THEN
                RETURN false;
            END IF;
            state := e.to_state;
            closes := e.what NOT IN ('create', 'attach_document', 'record_payment', 'intake_refused', 'survey')
                      AND e.from_state IS DISTINCT FROM e.to_state;
            -- a change of state closes the step that was open: the event carries it
            -- exactly as the replayed row held it (no step: none), no other event any
            IF (closes AND (e.step IS DISTINCT FROM replay OPERATOR(pg_catalog.->>) 'step'
                    OR e.step_position IS DISTINCT FROM (replay OPERATOR(pg_catalog.->>) 'step_position')::integer
                    OR e.step_performer IS DISTINCT FROM replay OPERATOR(pg_catalog.->>) 'step_performer'
                    OR e.step_started_at IS DISTINCT FROM (replay OPERATOR(pg_catalog.->>) 'step_started_at')::timestamptz
                    OR e.step_due_at IS DISTINCT FROM (replay OPERATOR(pg_catalog.->>) 'step_due_at')::timestamptz))
               OR (NOT closes AND NOT (e.step, e.step_position, e.step_performer, e.step_started_at, e.step_due_at) IS NULL) THEN
                RETURN false;
            END IF;
            IF e.what OPERATOR(pg_catalog.=) 'create' THEN
                replay := e.payload;
            ELSIF e.to_state IS NOT NULL AND e.what NOT IN ('attach_document', 'record_payment', 'intake_refused', 'survey') THEN
                -- a calendar change's "calendar" member names the change, no column
                replay := replay OPERATOR(pg_catalog.||) (e.payload OPERATOR(pg_catalog.-) 'calendar'::text);
            END IF;
        END LOOP;
        IF replay IS DISTINCT FROM licensing._row_json(a) OR NOT licensing._contents_verify(a.id) THEN
            RETURN false;
        END IF;
    END LOOP;
    RETURN true;
END
$$;
COMMENT ON FUNCTION licensing.verify_history(bigint) IS 'Recomputes the hash chain of one application (or all) and checks the row equals its recorded changes';

-- ---------------------------------------------------------------- row-level security (API §8)
ALTER TABLE licensing.application ENABLE ROW LEVEL SECURITY;
CREATE POLICY application_staff ON licensing.application FOR SELECT TO licensing_staff
    USING (licensing._is_staff_of(provider));
CREATE POLICY application_portal ON licensing.application FOR SELECT TO licensing_portal
    USING (applicant OPERATOR(pg_catalog.=) licensing.acting_for());

ALTER TABLE licensing.application_event ENABLE ROW LEVEL SECURITY;
ALTER TABLE licensing.application_document ENABLE ROW LEVEL SECURITY;
ALTER TABLE licensing.application_payment ENABLE ROW LEVEL SECURITY;
ALTER TABLE licensing.application_survey ENABLE ROW LEVEL SECURITY;
-- the children: visible when their application is (a primary-key lookup under its own policies)
CREATE POLICY application_event_visible ON licensing.application_event FOR SELECT TO licensing_staff, licensing_portal
    USING (EXISTS (SELECT 1 FROM licensing.application a WHERE a.id OPERATOR(pg_catalog.=) application));
CREATE POLICY application_document_visible ON licensing.application_document FOR SELECT TO licensing_staff, licensing_portal
    USING (EXISTS (SELECT 1 FROM licensing.application a WHERE a.id OPERATOR(pg_catalog.=) application));
CREATE POLICY application_payment_visible ON licensing.application_payment FOR SELECT TO licensing_staff, licensing_portal
    USING (EXISTS (SELECT 1 FROM licensing.application a WHERE a.id OPERATOR(pg_catalog.=) application));
CREATE POLICY application_survey_visible ON licensing.application_survey FOR SELECT TO licensing_staff, licensing_portal
    USING (EXISTS (SELECT 1 FROM licensing.application a WHERE a.id OPERATOR(pg_catalog.=) application));

-- Who works where and the registry mirrors (API §8): staff see the staff of
-- their own provider, and the persons and powers of attorney of the
-- applications their provider handles (its applicants and their
-- representatives); admins maintain all rows.  Legal entities are not
-- personal data and stay readable.  The policies ask two functions (not
-- inlined, so each row costs index probes, never a scan of the applications,
-- QUALITY §6) that read application with the caller's rights, under its own
-- policy: only the applications the caller sees count.
CREATE INDEX application_representative_idx ON licensing.application (representative)
    WHERE representative IS NOT NULL;
CREATE FUNCTION licensing._handles_person(iin licensing.iin) RETURNS boolean
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
    AS $$ SELECT EXISTS (SELECT 1 FROM licensing.application a WHERE a.applicant OPERATOR(pg_catalog.=) $1::text)
              OR EXISTS (SELECT 1 FROM licensing.application a WHERE a.representative OPERATOR(licensing.=) $1) $$;
COMMENT ON FUNCTION licensing._handles_person(licensing.iin) IS 'Whether the person applies, or represents an applicant, in an application the caller sees (row-level security of person)';
CREATE FUNCTION licensing._handles_attorney(principal text, representative licensing.iin) RETURNS boolean
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
    AS $$ SELECT EXISTS (SELECT 1 FROM licensing.application a WHERE a.applicant OPERATOR(pg_catalog.=) $1
                                                               AND a.representative OPERATOR(licensing.=) $2) $$;
COMMENT ON FUNCTION licensing._handles_attorney(text, licensing.iin) IS 'Whether an application the caller sees has this applicant and representative (row-level security of power_of_attorney)';
ALTER TABLE licensing.staff ENABLE ROW LEVEL SECURITY;
ALTER TABLE licensing.person ENABLE ROW LEVEL SECURITY;
ALTER TABLE licensing.power_of_attorney ENABLE ROW LEVEL SECURITY;
CREATE POLICY staff_own_provider ON licensing.staff FOR SELECT TO licensing_staff
    USING (licensing._is_staff_of(provider));
CREATE POLICY person_handled ON licensing.person FOR SELECT TO licensing_staff
    USING (licensing._handles_person(iin));
CREATE POLICY power_of_attorney_handled ON licensing.power_of_attorney FOR SELECT TO licensing_staff
    USING (licensing._handles_attorney(principal, representative));
CREATE POLICY staff_admin ON licensing.staff TO licensing_admin USING (true) WITH CHECK (true);
CREATE POLICY person_admin ON licensing.person TO licensing_admin USING (true) WITH CHECK (true);
CREATE POLICY power_of_attorney_admin ON licensing.power_of_attorney TO licensing_admin USING (true) WITH CHECK (true);

-- ---------------------------------------------------------------- grants
GRANT SELECT ON licensing.service, licensing.service_fee, licensing.provider, licensing.profile,
                licensing.profile_step, licensing.provider_profile, licensing.refusal_ground TO PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON licensing.service, licensing.service_fee, licensing.provider,
                licensing.profile, licensing.profile_step, licensing.provider_profile, licensing.staff,
                licensing.legal_entity, licensing.person, licensing.power_of_attorney,
                licensing.refusal_ground TO licensing_admin;
GRANT SELECT ON licensing.staff, licensing.legal_entity, licensing.person, licensing.power_of_attorney TO licensing_staff;
GRANT SELECT ON licensing.application, licensing.application_step, licensing.application_event,
                licensing.application_document, licensing.application_payment, licensing.application_survey
             TO licensing_staff, licensing_portal;

REVOKE ALL ON FUNCTION licensing.act_for(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION licensing.act_for(text) TO licensing_portal;
DO $grants$
DECLARE
    f text;
BEGIN
    FOREACH f IN ARRAY ARRAY[
        'licensing.create_application(text, text, text, text, jsonb, text, text, licensing.iin, text)',
        'licensing.attach_document(bigint, text, bytea, text, boolean)',
        'licensing.signing_payload(bigint)', 'licensing.submit(bigint, bytea)', 'licensing.withdraw(bigint)']
    LOOP
        EXECUTE pg_catalog.format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
        EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION %s TO licensing_portal, licensing_staff', f);
    END LOOP;
    EXECUTE 'REVOKE ALL ON FUNCTION licensing.survey(bigint, integer, integer) FROM PUBLIC';
    EXECUTE 'GRANT EXECUTE ON FUNCTION licensing.survey(bigint, integer, integer) TO licensing_portal';
    EXECUTE 'REVOKE ALL ON FUNCTION licensing.record_payment(bigint, numeric, text, timestamptz) FROM PUBLIC';
    EXECUTE 'GRANT EXECUTE ON FUNCTION licensing.record_payment(bigint, numeric, text, timestamptz) TO licensing_gateway';
    FOREACH f IN ARRAY ARRAY['licensing.register(bigint)', 'licensing.route(bigint, text)',
        'licensing.assign(bigint, name)', 'licensing.confirm_complete(bigint)',
        'licensing.refuse(bigint, text, text, text)', 'licensing.grant(bigint, jsonb)',
        'licensing.approve(bigint)', 'licensing.decision_payload(bigint)',
        'licensing.sign_decision(bigint, bytea)', 'licensing.deliver(bigint, boolean)']
    LOOP
        EXECUTE pg_catalog.format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
        EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION %s TO licensing_staff', f);
    END LOOP;
    EXECUTE 'REVOKE ALL ON FUNCTION licensing.verify_history(bigint) FROM PUBLIC';
    EXECUTE 'GRANT EXECUTE ON FUNCTION licensing.verify_history(bigint) TO licensing_admin, licensing_reporter, licensing_staff';
    -- _is_staff_of: the staff policies call it with the reader's rights;
    -- _may_see only runs inside the API's SECURITY DEFINER functions
    FOREACH f IN ARRAY ARRAY['licensing._is_staff_of(text)', 'licensing._may_see(text, text)']
    LOOP
        EXECUTE pg_catalog.format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
    END LOOP;
    EXECUTE 'GRANT EXECUTE ON FUNCTION licensing._is_staff_of(text) TO licensing_staff';
END
$grants$;

COMMENT ON TRIGGER application_10_guard ON licensing.application IS 'The C guard: refuses any change the workflow does not allow, for every role';
COMMENT ON TRIGGER application_20_derive ON licensing.application IS 'Number, receipt day, term and pinned steps at submit; the step each state opens, with its due moment; moments of later steps';
COMMENT ON TRIGGER application_30_record ON licensing.application IS 'Appends the hash-chained event of each change, closing the open step';
COMMENT ON TRIGGER application_event_immutable ON licensing.application_event IS 'History is append-only: UPDATE and DELETE fail';
COMMENT ON TRIGGER application_event_no_truncate ON licensing.application_event IS 'History is append-only: TRUNCATE fails';
COMMENT ON POLICY application_staff ON licensing.application IS 'Staff see the applications of the providers they have a staff row at';
COMMENT ON POLICY application_portal ON licensing.application IS 'The portal sees the applications of the applicant it acts for';
COMMENT ON POLICY application_event_visible ON licensing.application_event IS 'History of the applications the role sees';
COMMENT ON POLICY application_document_visible ON licensing.application_document IS 'Documents of the applications the role sees';
COMMENT ON POLICY application_payment_visible ON licensing.application_payment IS 'Payments of the applications the role sees';
COMMENT ON POLICY application_survey_visible ON licensing.application_survey IS 'Surveys of the applications the role sees';
COMMENT ON POLICY staff_own_provider ON licensing.staff IS 'Staff see the staff rows of the providers they have a staff row at';
COMMENT ON POLICY person_handled ON licensing.person IS 'Staff see the persons who are applicants or representatives of applications they see';
COMMENT ON POLICY power_of_attorney_handled ON licensing.power_of_attorney IS 'Staff see the powers of attorney of the applicants and representatives of applications they see';
COMMENT ON POLICY staff_admin ON licensing.staff IS 'Admins maintain every staff row';
COMMENT ON POLICY person_admin ON licensing.person IS 'Admins maintain the person registry mirror';
COMMENT ON POLICY power_of_attorney_admin ON licensing.power_of_attorney IS 'Admins maintain the notary registry mirror';
