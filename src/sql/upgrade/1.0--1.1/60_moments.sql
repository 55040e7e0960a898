-- 60_moments.sql (upgrade part of src/sql/65_moments.sql): the moments the histories can record (issue #16 part 2).
-- Both chains write times as ISO 8601 UTC with a four-digit year and no era
-- (licensing._utc, row_json.c): infinity is written as null, a BC
-- year as the same AD year, a year beyond 9999 with five digits.  A moment or
-- day a caller hands to a function that writes history must therefore lie in
-- 0001-01-01 .. 9999-12-31 (UTC); it is refused before anything is written:
-- 22023 when it is not finite, 22008 when it is outside those years.

CREATE FUNCTION licensing._check_moment(at timestamptz, what text) RETURNS void
    LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF at IS NULL THEN
        RETURN;
    END IF;
    IF NOT pg_catalog.isfinite(at) THEN
        RAISE EXCEPTION '% % is not a finite moment', what, at USING ERRCODE = '22023',
            DETAIL = 'The history records moments as ISO 8601 UTC text; infinity has none.',
            HINT = 'Give a moment from 0001-01-01 to 9999-12-31 UTC.';
    END IF;
    IF at OPERATOR(pg_catalog.<) '0001-01-01 00:00:00+00'::timestamptz
       OR at OPERATOR(pg_catalog.>=) '10000-01-01 00:00:00+00'::timestamptz THEN
        RAISE EXCEPTION '% % is outside the years the history records', what, at USING ERRCODE = '22008',
            DETAIL = 'The history writes a moment as ISO 8601 UTC with a four-digit year and no era: years 1 to 9999 AD.',
            HINT = 'Give a moment from 0001-01-01 to 9999-12-31 UTC.';
    END IF;
END
$$;
COMMENT ON FUNCTION licensing._check_moment(timestamptz, text) IS
    'internal: raises 22023 (not finite) or 22008 (outside 0001-01-01 .. 9999-12-31 UTC) for a moment the history cannot record';
REVOKE ALL ON FUNCTION licensing._check_moment(timestamptz, text) FROM PUBLIC;

CREATE FUNCTION licensing._check_day(day date, what text) RETURNS void
    LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF day IS NULL THEN
        RETURN;
    END IF;
    IF NOT pg_catalog.isfinite(day) THEN
        RAISE EXCEPTION '% % is not a finite day', what, day USING ERRCODE = '22023',
            DETAIL = 'The history records days as ISO 8601 text; infinity has none.',
            HINT = 'Give a day from 0001-01-01 to 9999-12-31.';
    END IF;
    IF day OPERATOR(pg_catalog.<) '0001-01-01'::date OR day OPERATOR(pg_catalog.>) '9999-12-31'::date THEN
        RAISE EXCEPTION '% % is outside the years the history records', what, day USING ERRCODE = '22008',
            DETAIL = 'The history writes a day as ISO 8601 with a four-digit year and no era: years 1 to 9999 AD.',
            HINT = 'Give a day from 0001-01-01 to 9999-12-31.';
    END IF;
END
$$;
COMMENT ON FUNCTION licensing._check_day(date, text) IS
    'internal: raises 22023 (not finite) or 22008 (outside 0001-01-01 .. 9999-12-31) for a day the history cannot record';
REVOKE ALL ON FUNCTION licensing._check_day(date, text) FROM PUBLIC;

-- the functions that take a moment or day from the caller check it
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

CREATE OR REPLACE FUNCTION licensing.suspend_licence(number text, ground text, until date DEFAULT NULL) RETURNS void
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
