-- 73_corrections.sql: corrections of API §4.1 (issue #14).
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

INSERT INTO licensing.refusal_ground (code, text_kk, text_ru, text_en, article, intake, shipped, article_kk, article_ru) VALUES
('licence_status_changed',
 'Қайта ресімделетін немесе телнұсқасы берілетін лицензия енді қолданыста емес (тоқтатылған, қолданылуы тоқтатылған немесе қайта ресімделген)',
 'Лицензия, подлежащая переоформлению или выдаче дубликата, более не действует (приостановлена, прекращена или переоформлена)',
 'The licence to be re-issued or duplicated is no longer active (suspended, terminated or re-issued)',
 'South Kazakhstan resolution No 382 of 19.12.2012, §1; West Kazakhstan resolution No 40 of 29.03.2013, §1 (re-issue and duplicate of a licence in force)', false, true,
 'Оңтүстік Қазақстан облысы әкімдігінің 2012 жылғы 19 желтоқсандағы № 382 қаулысымен бекітілген регламенттің 1-тармағы; Батыс Қазақстан облысы әкімдігінің 2013 жылғы 29 наурыздағы № 40 қаулысымен бекітілген регламенттің 1-тармағы (қолданыстағы лицензияны қайта ресімдеу және оның телнұсқасын беру)',
 'пункт 1 регламента, утверждённого постановлением акимата Южно-Казахстанской области от 19 декабря 2012 года № 382; пункт 1 регламента, утверждённого постановлением акимата Западно-Казахстанской области от 29 марта 2013 года № 40 (переоформление и выдача дубликата действующей лицензии)');

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
