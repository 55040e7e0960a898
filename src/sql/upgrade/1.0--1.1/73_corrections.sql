-- 73_corrections.sql: issue #14 (API §4.1): corrections, the document catalogue, statistics
-- that do not lie.  The fresh texts are src/sql/50_workflow.sql (the column, refuse,
-- record_payment), src/sql/70_reports.sql (refusals) and src/sql/73_corrections.sql.

ALTER TABLE licensing.application ADD COLUMN correction_reason text;

CREATE OR REPLACE FUNCTION licensing.record_payment(application bigint, amount numeric, reference text,
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

CREATE OR REPLACE FUNCTION licensing.refuse(application bigint, ground text, reason_kk text, reason_ru text) RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$ BEGIN PERFORM licensing._step($1, 'decided', pg_catalog.jsonb_build_object(
              'outcome', 'refused', 'ground', $2, 'reason_kk', $3, 'reason_ru', $4,
              'result_number', NULL, 'decision', NULL)); END $$;
COMMENT ON FUNCTION licensing.refuse(bigint, text, text, text) IS 'The executor decides a reasoned refusal (from assigned: incomplete_documents only; from decided: licence_status_changed only, a grant''s number withdrawn)';

CREATE OR REPLACE VIEW licensing.refusals WITH (security_barrier) AS
SELECT r.provider,
       r.ground,
       g.text_en AS ground_text,
       g.intake,
       r.month,
       pg_catalog.count(*) AS refusals
  FROM (SELECT a.provider, a.ground,
               pg_catalog.date_trunc('month', licensing._kz_local(a.decided_at))::date AS month
          FROM licensing.application a
         WHERE a.outcome OPERATOR(pg_catalog.=) 'refused'
        UNION ALL
        -- a draft refused at intake again and again for one ground counts once, in the
        -- month of its first refusal (issue #14)
        SELECT a.provider, e.payload->>'ground',
               pg_catalog.date_trunc('month', licensing._kz_local(pg_catalog.min(e.at)))::date
          FROM licensing.application a
          JOIN licensing.application_event e ON e.application OPERATOR(pg_catalog.=) a.id
         WHERE e.what OPERATOR(pg_catalog.=) 'intake_refused'
         GROUP BY a.id, a.provider, e.payload->>'ground') r
  LEFT JOIN licensing.refusal_ground g ON g.code OPERATOR(pg_catalog.=) r.ground,
       licensing._report_scope() sc
 WHERE sc.all_rows OR r.provider OPERATOR(pg_catalog.=) ANY (sc.providers)
 GROUP BY r.provider, r.ground, g.text_en, g.intake, r.month;
COMMENT ON VIEW licensing.refusals IS
    'refusals per provider, ground and month (Kazakhstan time): provider decisions and intake refusals (a draft refused again for the same ground counts once)';

CREATE OR REPLACE FUNCTION licensing.workflow_dot(profile text) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    p record;
    s record;
    out text;
    prev text := 'submitted';
    q text;
    c record;
BEGIN
    SELECT pr.code, pr.name, pr.source, pr.service INTO p
      FROM licensing.profile pr WHERE pr.code OPERATOR(pg_catalog.=) workflow_dot.profile;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'profile "%" does not exist', pg_catalog.left(workflow_dot.profile, 64)
            USING ERRCODE = '22023', HINT = 'See licensing.profile for the profiles.';
    END IF;
    -- DOT string literal: escape backslash and double quote
    out := pg_catalog.format(E'digraph "%s" {\n  label="%s (%s)";\n  labelloc=t;\n  rankdir=LR;\n  node [shape=box, style=rounded, fontname="Helvetica"];\n',
                             pg_catalog.replace(pg_catalog.replace(p.code, E'\\', E'\\\\'), '"', E'\\"'),
                             pg_catalog.replace(pg_catalog.replace(p.name, E'\\', E'\\\\'), '"', E'\\"'),
                             pg_catalog.replace(pg_catalog.replace(coalesce(p.source, p.service), E'\\', E'\\\\'), '"', E'\\"'));
    out := out || E'  submitted [shape=circle, label="submitted"];\n';
    FOR s IN SELECT ps.position, ps.step, ps.performer, ps.norm, ps.anchor, ps.paper_norm, ps.seed_clause
               FROM licensing.profile_step ps
              WHERE ps.profile OPERATOR(pg_catalog.=) p.code ORDER BY ps.position
    LOOP
        q := s.step || CASE s.step WHEN 'decide' THEN ' (grant or refuse)' ELSE '' END
             || E'\\n' || s.performer || ', '
             || CASE WHEN s.norm IS NULL THEN 'by the term''s end'
                     ELSE s.norm || CASE s.anchor WHEN 'receipt' THEN ' from receipt'
                                                  WHEN 'term_end' THEN ', capped at the term''s end' ELSE '' END END
             || CASE WHEN s.paper_norm IS NOT NULL THEN '; on paper ' || s.paper_norm ELSE '' END
             || E'\\n' || s.seed_clause;
        out := out || pg_catalog.format(E'  s%s [label="%s"];\n  %s -> s%s;\n', s.position,
                                        pg_catalog.replace(q, '"', E'\\"'), prev, s.position);
        prev := 's' || s.position;
    END LOOP;
    out := out || pg_catalog.format(E'  delivered [shape=doublecircle, label="delivered"];\n  %s -> delivered;\n', prev);
    -- who withdraws, and from which states: the transition table (workflow_transitions)
    SELECT t.performer || ', from ' || pg_catalog.string_agg(t.from_state, ', ' ORDER BY t.n) INTO q
      FROM licensing.workflow_transitions() WITH ORDINALITY
           t(step, from_state, to_state, unless_step, performer, events, sets, columns, opens, n)
     WHERE 'withdraw' OPERATOR(pg_catalog.=) ANY (t.events)
     GROUP BY t.performer;
    out := out || pg_catalog.format(E'  withdrawn [shape=circle, style=dashed, label="withdrawn"];\n  submitted -> withdrawn [style=dashed, label="%s"];\n',
                                    pg_catalog.replace(q, '"', E'\\"'));
    -- the corrections (issue #14), rows of the transition table whose step the profile has:
    -- dotted, from the step whose performer makes them (return_step: back to decide)
    FOR c IN SELECT t.events[1] AS event, ps.position AS pos, ps.performer,
                    (SELECT d.position FROM licensing.profile_step d
                      WHERE d.profile OPERATOR(pg_catalog.=) p.code AND d.step OPERATOR(pg_catalog.=) 'decide') AS decide_pos
               FROM licensing.workflow_transitions() WITH ORDINALITY
                    t(step, from_state, to_state, unless_step, performer, events, sets, columns, opens, n)
               JOIN licensing.profile_step ps ON ps.profile OPERATOR(pg_catalog.=) p.code AND ps.step OPERATOR(pg_catalog.=) t.step
              WHERE (t.events[1] IN ('reassign', 'return_step', 'revise')
                     OR (t.events[1] OPERATOR(pg_catalog.=) 'refuse' AND t.from_state OPERATOR(pg_catalog.=) t.to_state))
                AND NOT EXISTS (SELECT FROM licensing.profile_step u WHERE u.profile OPERATOR(pg_catalog.=) p.code
                                   AND u.step OPERATOR(pg_catalog.=) t.unless_step)
              GROUP BY t.events[1], ps.position, ps.performer
              ORDER BY pg_catalog.min(t.n)
    LOOP
        out := out || pg_catalog.format(E'  s%s -> s%s [style=dotted, label="%s (%s)"];\n', c.pos,
                                        CASE WHEN c.event OPERATOR(pg_catalog.=) 'return_step' THEN c.decide_pos ELSE c.pos END,
                                        CASE WHEN c.event OPERATOR(pg_catalog.=) 'refuse' THEN 'refuse: licence_status_changed' ELSE c.event END,
                                        c.performer);
    END LOOP;
    RETURN out || E'}\n';
END
$$;

--
-- Each correction is a move of the transition table (src/transitions.c), made by
-- the position that performs its step in an office, guarded by the same C
-- trigger as every step and recorded as an event of the application's chain with
-- its reason (column correction_reason, recorded by the event):
--   reassign     the performer of assign (the head; the unit head in a profile
--                that routes) replaces the executor of an assigned or in_review
--                application; the open step keeps its start and due moment;
--   return_step  the performer of the open step after a decision (the unit head
--                at approve, the head at sign_decision: the head declining to
--                sign) sends the decision back to the executor (in_review); the
--                decision is withdrawn, its allocated number is never reused;
--   revise       the executor changes a decision not yet approved or signed.
-- The term of the application is never touched: it keeps running.  A grant whose
-- target licence was suspended, terminated or re-issued after the decision is not
-- signed (55000, its hint names the way on) and may be refused with ground
-- licence_status_changed from state decided (licensing.refuse).

INSERT INTO licensing.refusal_ground (code, text_kk, text_ru, text_en, article, intake, shipped) VALUES
('licence_status_changed',
 'Қайта ресімделетін немесе телнұсқасы берілетін лицензия енді қолданыста емес (тоқтатылған, қолданылуы тоқтатылған немесе қайта ресімделген)',
 'Лицензия, подлежащая переоформлению или выдаче дубликата, более не действует (приостановлена, прекращена или переоформлена)',
 'The licence to be re-issued or duplicated is no longer active (suspended, terminated or re-issued)',
 'South Kazakhstan resolution No 382 of 19.12.2012, §1; West Kazakhstan resolution No 40 of 29.03.2013, §1 (re-issue and duplicate of a licence in force)', false, true);

-- (step.c: finds the move of the transition table recording event from
-- from_state to to_state, and makes it as a step, the columns from changes)
CREATE FUNCTION licensing._correct(app bigint, event text, from_state text, to_state text, changes jsonb)
    RETURNS void
    AS 'MODULE_PATHNAME', 'licensing_correct'
    LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION licensing._correct(bigint, text, text, text, jsonb) IS 'internal: makes the correction event of the transition table from a state, with the given column values; the row trigger decides';
REVOKE ALL ON FUNCTION licensing._correct(bigint, text, text, text, jsonb) FROM PUBLIC;

CREATE FUNCTION licensing.reassign(application bigint, executor name, reason text) RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    a licensing.application := licensing._lock($1);
BEGIN
    PERFORM licensing._require_visible(a);
    IF $2 IS NULL THEN
        RAISE EXCEPTION 'reassignment of application % needs the new executor', a.id USING ERRCODE = '22023',
            HINT = 'Name the role of an executor of the provider.';
    END IF;
    IF a.executor OPERATOR(pg_catalog.=) $2 THEN
        RAISE EXCEPTION 'application % is already assigned to %', a.id, $2 USING ERRCODE = '55000',
            DETAIL = 'A reassignment names another executor.',
            HINT = 'Name the executor who takes the application over.';
    END IF;
    PERFORM licensing._correct(a.id, 'reassign', a.state, a.state,
        pg_catalog.jsonb_build_object('executor', $2, 'correction_reason', $3));
END
$$;
COMMENT ON FUNCTION licensing.reassign(bigint, name, text) IS 'The performer of assign (the head) replaces the executor of an assigned or in_review application, with the reason; the open step and the term keep running';

CREATE FUNCTION licensing.return_step(application bigint, reason text) RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    a licensing.application := licensing._lock($1);
BEGIN
    PERFORM licensing._require_visible(a);
    -- the decision is withdrawn: its columns go back to NULL (a number it
    -- allocated stays allocated, the sequence never gives it again)
    PERFORM licensing._correct(a.id, 'return_step', a.state, 'in_review',
        pg_catalog.jsonb_build_object('outcome', NULL, 'ground', NULL, 'reason_kk', NULL, 'reason_ru', NULL,
                                      'result_number', NULL, 'decision', NULL, 'decided_at', NULL,
                                      'correction_reason', $2));
END
$$;
COMMENT ON FUNCTION licensing.return_step(bigint, text) IS 'The performer of the next step (unit head at approve, head at sign_decision) sends a decided or approved application back to the executor (in_review) with the reason; the decision is withdrawn';

CREATE FUNCTION licensing.revise(application bigint, details jsonb DEFAULT '{}') RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    a licensing.application := licensing._lock($1);
    bad text;
    changes jsonb;
BEGIN
    PERFORM licensing._require_visible(a);
    IF $2 IS NULL OR pg_catalog.jsonb_typeof($2) OPERATOR(pg_catalog.<>) 'object' THEN
        RAISE EXCEPTION 'details of the revision of application % must be a JSON object', a.id USING ERRCODE = '22023',
            HINT = 'Pass {"reason": ..., "decision": {...}} for a grant, {"reason": ..., "reason_kk": ..., "reason_ru": ...} for a refusal.';
    END IF;
    SELECT k INTO bad FROM pg_catalog.jsonb_object_keys($2) k
     WHERE k NOT IN ('reason', 'decision', 'reason_kk', 'reason_ru') LIMIT 1;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'a revision of application % takes no key "%"', a.id, licensing._short(bad) USING ERRCODE = '22023',
            DETAIL = 'A revision changes a grant''s details (decision) or a refusal''s reasons (reason_kk, reason_ru), and says why (reason).',
            HINT = 'To change the outcome, ask for the decision to be returned (licensing.return_step) and decide again.';
    END IF;
    IF $2 ? 'decision' THEN
        IF pg_catalog.jsonb_typeof($2 OPERATOR(pg_catalog.->) 'decision') OPERATOR(pg_catalog.<>) 'object' THEN
            RAISE EXCEPTION 'the decision details of application % must be a JSON object', a.id USING ERRCODE = '22023';
        END IF;
        IF a.outcome OPERATOR(pg_catalog.=) 'granted' THEN
            PERFORM licensing._licence_check_details(
                (SELECT s.result_kind FROM licensing.service s WHERE s.code OPERATOR(pg_catalog.=) a.service),
                a.operation, a.applicant, $2 OPERATOR(pg_catalog.->) 'decision');
        END IF;
    END IF;
    changes := ($2 OPERATOR(pg_catalog.-) 'reason')
               OPERATOR(pg_catalog.||) pg_catalog.jsonb_build_object('correction_reason', $2 OPERATOR(pg_catalog.->>) 'reason');
    PERFORM licensing._correct(a.id, 'revise', a.state, a.state, changes);
END
$$;
COMMENT ON FUNCTION licensing.revise(bigint, jsonb) IS 'The executor changes a decision not yet approved or signed: a grant''s details ({"decision": ...}) or a refusal''s reasons ({"reason_kk", "reason_ru"}), with {"reason": why}';

DO $grants$
DECLARE
    f text;
BEGIN
    FOREACH f IN ARRAY ARRAY['licensing.reassign(bigint, name, text)', 'licensing.return_step(bigint, text)',
                             'licensing.revise(bigint, jsonb)']
    LOOP
        EXECUTE pg_catalog.format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
        EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION %s TO licensing_staff', f);
    END LOOP;
END
$grants$;
