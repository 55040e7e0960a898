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
-- (record_payment: moved to 73_corrections.sql, which changes it again)
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
