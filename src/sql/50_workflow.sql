-- 50_workflow.sql: applications and the workflow of API §4, roles and row security of API §8.
--
-- Tables first (other parts reference them), then the C guard trigger, the history
-- chain, the API functions, row-level security and grants.

-- ---------------------------------------------------------------- tables
CREATE SEQUENCE licensing.application_id_seq;
CREATE SEQUENCE licensing.application_number_seq;
COMMENT ON SEQUENCE licensing.application_id_seq IS 'ids of licensing.application';
COMMENT ON SEQUENCE licensing.application_number_seq IS 'serial part of application numbers (one allocator for all providers)';

CREATE TABLE licensing.application (
    id                  bigint PRIMARY KEY DEFAULT pg_catalog.nextval('licensing.application_id_seq'),
    number              text UNIQUE,               -- given when accepted: PROVIDER-YYYY-NNNNNN
    service             text NOT NULL REFERENCES licensing.service ON UPDATE CASCADE,
    operation           text NOT NULL CHECK (operation IN ('issue', 'reissue', 'duplicate')),
    channel             text NOT NULL CHECK (channel IN ('portal', 'office')),
    applicant           text NOT NULL,             -- IIN or BIN
    provider            text NOT NULL REFERENCES licensing.provider ON UPDATE CASCADE,
    profile             text NOT NULL REFERENCES licensing.profile ON UPDATE CASCADE,
    state               text NOT NULL DEFAULT 'draft'
                        CHECK (state IN ('draft', 'submitted', 'registered', 'routed', 'assigned', 'in_review',
                                         'decided', 'approved', 'signed', 'delivered', 'withdrawn')),
    outcome             text CHECK (outcome IN ('granted', 'refused')),
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
    updated_at          timestamptz
);
CREATE INDEX ON licensing.application (provider, state);
CREATE INDEX ON licensing.application (applicant);
COMMENT ON TABLE licensing.application IS 'Applications for services; state changes are guarded by a C trigger (API §4)';
COMMENT ON COLUMN licensing.application.steps IS 'the profile''s steps (step, performer, norm, anchor, paper_norm) as they were at submit';
COMMENT ON COLUMN licensing.application.result_number IS 'the licence or conclusion number allocated by grant';
COMMENT ON COLUMN licensing.application.decision IS 'grant''s details (annexes)';

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
    amount      numeric(12,2) NOT NULL CHECK (amount > 0),
    reference   text NOT NULL UNIQUE,
    paid_at     timestamptz NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    recorded_by name
);
CREATE INDEX ON licensing.application_payment (application);
COMMENT ON TABLE licensing.application_payment IS 'Payments reported by the payment gateway (ПШЭП); a reference is recorded once';

CREATE TABLE licensing.application_step (
    application bigint NOT NULL REFERENCES licensing.application ON DELETE CASCADE,
    step        text NOT NULL,
    position    integer NOT NULL,
    performer_position text NOT NULL,
    started_at  timestamptz NOT NULL,
    due_at      timestamptz NOT NULL,
    finished_at timestamptz,
    performer   name,
    PRIMARY KEY (application, step)
);
CREATE INDEX ON licensing.application_step (due_at) WHERE finished_at IS NULL;
COMMENT ON TABLE licensing.application_step IS 'Each step of each application: start, due moment (never after the term''s end), end and performer; finished after due_at = a violation of the term';

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
    PRIMARY KEY (application, seq)
);
CREATE INDEX ON licensing.application_event (at);
COMMENT ON TABLE licensing.application_event IS 'Append-only history of every change and intake refusal, SHA-256 chained per application (verify_history recomputes)';

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
SELECT pg_catalog.pg_extension_config_dump('licensing.application_step', '');
SELECT pg_catalog.pg_extension_config_dump('licensing.application_event', '');
SELECT pg_catalog.pg_extension_config_dump('licensing.application_survey', '');

CREATE TYPE licensing.verdict AS (
    accepted   boolean,
    number     text,
    ground     text,
    message_kk text,
    message_ru text,
    message_en text
);
COMMENT ON TYPE licensing.verdict IS 'What submit answers: accepted with its number, or an intake refusal with its ground and texts';
