-- 70_ops.sql (upgrade part of src/sql/25_calendar_ops.sql, src/sql/35_trust_ops.sql and
-- the calendar data of 20_calendar.sql): operations, issue #18.

-- ---- the calendar's data as the law stands (20_calendar.sql) -----------------
-- The Constitution of 2026 (in force 1 July 2026) moved Constitution Day from
-- 30 August to 15 March from 2027; 2026 has none.  1.0 shipped 30 Aug 2026 as a
-- holiday and Mon 31 Aug 2026 as its carried day off: both shipped rows go
-- (a row a DBA inserted or changed is not shipped and stays, and the carry
-- stays while a DBA's 30 August holiday does), and the two years name their
-- source as a fresh install does.  The user-row trigger would mark the
-- corrected sources as a DBA's; it is off for that one statement.
DELETE FROM licensing.calendar_exception e
 WHERE e.shipped AND e.day OPERATOR(pg_catalog.=) '2026-08-30'::date
   AND e.kind OPERATOR(pg_catalog.=) 'holiday' AND e.name OPERATOR(pg_catalog.=) 'Constitution Day';
DELETE FROM licensing.calendar_exception e
 WHERE e.shipped AND e.day OPERATOR(pg_catalog.=) '2026-08-31'::date
   AND e.carry_of OPERATOR(pg_catalog.=) '2026-08-30'::date
   AND NOT EXISTS (SELECT FROM licensing.calendar_exception h
                    WHERE h.day OPERATOR(pg_catalog.=) '2026-08-30'::date AND h.kind OPERATOR(pg_catalog.=) 'holiday');
ALTER TABLE licensing.calendar_year DISABLE TRIGGER calendar_year_user_row;
UPDATE licensing.calendar_year c
   SET source = pg_catalog.format('Law No 267-II of 13 Dec 2001 "On holidays in the Republic of Kazakhstan" as in force in %s; Labour Code (weekend holidays carried to the next working day, not 7 Jan and Kurban Ait)%s',
                                  c.year, COALESCE('; ' OPERATOR(pg_catalog.||) d.decrees, ''))
  FROM (VALUES
    (2026, 'Constitution of the Republic of Kazakhstan of 2026, in force 1 July 2026 (Constitution Day no longer on 30 August; none in 2026); no transfers beyond the statutory carries'),
    (2027, 'Constitution of the Republic of Kazakhstan of 2026 (Constitution Day on 15 March from 2027); no transfers known yet; Kurban Ait date expected')
  ) AS d(year, decrees)
 WHERE c.shipped AND c.year OPERATOR(pg_catalog.=) d.year;
ALTER TABLE licensing.calendar_year ENABLE TRIGGER calendar_year_user_row;

-- ---- calendar_status (25_calendar_ops.sql) -------------------------------------
-- calendar_status as of a given day (the view passes Kazakhstan's date today, UTC+5).
CREATE FUNCTION licensing._calendar_status_at(today date,
    OUT covered_from integer, OUT covered_to integer, OUT missing_years integer[],
    OUT first_uncovered date, OUT days_left integer,
    OUT open_applications bigint, OUT open_due_within_6_months bigint, OUT status text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $fn$
-- covered_from, covered_to: the first and last year of licensing.calendar_year;
-- missing_years: years between them without a row; first_uncovered: the first
-- day from today on that the calendar does not cover; days_left: days until
-- then; open_applications: applications submitted and not yet delivered or
-- withdrawn; open_due_within_6_months: those of them due on or after six months
-- before first_uncovered; status: expired (today is not covered), warning
-- (first_uncovered within six months, or an open term within six months of it),
-- ok.
DECLARE
    y integer;
BEGIN
    IF today IS NULL OR NOT pg_catalog.isfinite(today) THEN
        RAISE EXCEPTION 'today must be a finite date' USING ERRCODE = '22023';
    END IF;
    SELECT pg_catalog.min(c.year), pg_catalog.max(c.year) INTO covered_from, covered_to
      FROM licensing.calendar_year c;
    SELECT COALESCE(pg_catalog.array_agg(g ORDER BY g), '{}') INTO missing_years
      FROM pg_catalog.generate_series(covered_from, covered_to) AS g
     WHERE NOT EXISTS (SELECT FROM licensing.calendar_year c WHERE c.year OPERATOR(pg_catalog.=) g);
    y := pg_catalog.date_part('year', today)::integer;
    WHILE EXISTS (SELECT FROM licensing.calendar_year c WHERE c.year OPERATOR(pg_catalog.=) y) LOOP
        y := y OPERATOR(pg_catalog.+) 1;
    END LOOP;
    first_uncovered := CASE WHEN y OPERATOR(pg_catalog.=) pg_catalog.date_part('year', today)::integer
                            THEN today ELSE pg_catalog.make_date(y, 1, 1) END;
    days_left := first_uncovered OPERATOR(pg_catalog.-) today;
    SELECT pg_catalog.count(*),
           pg_catalog.count(*) FILTER (WHERE a.due_on OPERATOR(pg_catalog.>=)
                                       (first_uncovered OPERATOR(pg_catalog.-) interval '6 months')::date)
      INTO open_applications, open_due_within_6_months
      FROM licensing.application a
     WHERE a.state OPERATOR(pg_catalog.<>) ALL (ARRAY['draft', 'delivered', 'withdrawn']::text[]);
    status := CASE WHEN days_left OPERATOR(pg_catalog.<=) 0 THEN 'expired'
                   WHEN (first_uncovered OPERATOR(pg_catalog.-) interval '6 months')::date OPERATOR(pg_catalog.<=) today
                        OR open_due_within_6_months OPERATOR(pg_catalog.>) 0 THEN 'warning'
                   ELSE 'ok' END;
END
$fn$;
COMMENT ON FUNCTION licensing._calendar_status_at(date) IS
    'internal: licensing.calendar_status as of the given day';
REVOKE ALL ON FUNCTION licensing._calendar_status_at(date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION licensing._calendar_status_at(date) TO licensing_admin, licensing_reporter;

CREATE VIEW licensing.calendar_status AS
SELECT s.covered_from, s.covered_to, s.missing_years, s.first_uncovered, s.days_left,
       s.open_applications, s.open_due_within_6_months, s.status
  FROM licensing._calendar_status_at(((pg_catalog.now() AT TIME ZONE 'UTC') OPERATOR(pg_catalog.+) interval '5 hours')::date) s;
COMMENT ON VIEW licensing.calendar_status IS
    'How far the working calendar reaches: covered years, years missing between them, the first uncovered day from today (Kazakhstan time) and the days left until it, open applications and those due within six months of it; status ok, warning (six months or less, or such a term open) or expired';
GRANT SELECT ON licensing.calendar_status TO licensing_admin, licensing_reporter;

-- calendar_changes_impact: in 72_calendar_moves.sql, with the recomputation it shows

-- ---- the trust store (35_trust_ops.sql) ----------------------------------------
-- ---- trust_store_health ------------------------------------------------------------
-- A certificate is a warning within 30 days of its end; a CRL within 7 days of
-- its next update, or within the last quarter of its validity when that is
-- shorter (a CRL issued for a day warns in its last six hours).
CREATE VIEW licensing.trust_store_health AS
SELECT 'certificate'::text AS kind,
       c.fingerprint,
       c.subject,
       c.fingerprint AS ca_fingerprint,
       c.not_before AS valid_from,
       c.not_after AS valid_until,
       c.not_after OPERATOR(pg_catalog.-) pg_catalog.now() AS time_left,
       CASE WHEN c.not_after OPERATOR(pg_catalog.<=) pg_catalog.now() THEN 'expired'
            WHEN c.not_after OPERATOR(pg_catalog.-) interval '30 days' OPERATOR(pg_catalog.<=) pg_catalog.now() THEN 'warning'
            ELSE 'ok' END AS status,
       CASE WHEN c.not_after OPERATOR(pg_catalog.<=) pg_catalog.now()
                 THEN 'expired: every signature whose chain ends in it is expired; trust its successor'
            WHEN c.not_after OPERATOR(pg_catalog.-) interval '30 days' OPERATOR(pg_catalog.<=) pg_catalog.now()
                 THEN 'expires within 30 days: insert its successor'
       END AS note
  FROM licensing.trusted_certificate c
UNION ALL
SELECT 'crl'::text,
       r.fingerprint,
       c.subject,
       c.fingerprint,
       r.this_update,
       r.next_update,
       r.next_update OPERATOR(pg_catalog.-) pg_catalog.now(),
       CASE WHEN r.fingerprint IS NULL THEN 'expired'
            WHEN r.next_update IS NULL THEN 'ok'
            WHEN r.next_update OPERATOR(pg_catalog.<=) pg_catalog.now() THEN 'expired'
            WHEN r.next_update OPERATOR(pg_catalog.-)
                 LEAST(interval '7 days', (r.next_update OPERATOR(pg_catalog.-) r.this_update) OPERATOR(pg_catalog./) 4::float8)
                 OPERATOR(pg_catalog.<=) pg_catalog.now() THEN 'warning'
            ELSE 'ok' END,
       CASE WHEN r.fingerprint IS NULL
                 THEN 'no CRL of this CA: signatures by certificates it issues are revocation_unknown'
            WHEN r.next_update IS NULL THEN 'the CRL names no next update'
            WHEN r.next_update OPERATOR(pg_catalog.<=) pg_catalog.now()
                 THEN 'past its next update: signatures by certificates this CA issues are revocation_unknown (portal submits refused as signature_not_confirmed) until its next CRL is inserted'
            WHEN r.next_update OPERATOR(pg_catalog.-)
                 LEAST(interval '7 days', (r.next_update OPERATOR(pg_catalog.-) r.this_update) OPERATOR(pg_catalog./) 4::float8)
                 OPERATOR(pg_catalog.<=) pg_catalog.now()
                 THEN 'next update soon: insert the CA''s next CRL'
       END
  FROM licensing.trusted_certificate c
  LEFT JOIN LATERAL (SELECT l.fingerprint, l.this_update, l.next_update
                       FROM licensing.revocation_list l
                      WHERE l.issuer_fingerprint OPERATOR(pg_catalog.=) c.fingerprint
                      ORDER BY l.this_update DESC NULLS LAST
                      LIMIT 1) r ON true;
COMMENT ON VIEW licensing.trust_store_health IS
    'Each trusted CA certificate (kind certificate: validity, time to its end) and each CA''s current CRL (kind crl: this_update, next_update, time to it; no CRL is a row too), with status ok, warning (certificate within 30 days of its end; CRL within 7 days of its next update, or its validity''s last quarter) or expired, and a note saying what it does to signatures';
GRANT SELECT ON licensing.trust_store_health TO PUBLIC;

-- ---- a NOTICE when a stale certificate or CRL is loaded -------------------------------
CREATE FUNCTION licensing._trust_store_notice() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $fn$
-- AFTER INSERT OR UPDATE of a row of trusted_certificate or revocation_list
-- (the C triggers before it filled not_after, next_update, this_update): a
-- NOTICE when the certificate has expired or expires within 7 days, when the
-- CRL is past its next update or is a warning in trust_store_health, and when the CRL
-- is older than one already loaded for its CA (so it is not the one used).
BEGIN
    IF TG_WHEN OPERATOR(pg_catalog.<>) 'AFTER' OR TG_LEVEL OPERATOR(pg_catalog.<>) 'ROW'
       OR TG_OP NOT IN ('INSERT', 'UPDATE')
       OR TG_RELID NOT IN ('licensing.trusted_certificate'::regclass, 'licensing.revocation_list'::regclass) THEN
        RAISE EXCEPTION 'licensing._trust_store_notice() fired on %.% (%, %, %)',
                        TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_WHEN, TG_LEVEL, TG_OP
            USING ERRCODE = '39P01',
                  DETAIL = 'It is the AFTER INSERT OR UPDATE row trigger of licensing.trusted_certificate and licensing.revocation_list only.';
    END IF;
    IF TG_RELID OPERATOR(pg_catalog.=) 'licensing.trusted_certificate'::regclass THEN
        IF NEW.not_after OPERATOR(pg_catalog.<=) pg_catalog.now() THEN
            RAISE NOTICE 'trusted certificate "%" expired on %', NEW.subject, NEW.not_after
                USING DETAIL = 'Every signature whose chain ends in this certificate verifies as expired.',
                      HINT = 'Insert the CA''s current certificate; licensing.trust_store_health lists what is stale.';
        ELSIF NEW.not_after OPERATOR(pg_catalog.<=) (pg_catalog.now() OPERATOR(pg_catalog.+) interval '7 days') THEN
            RAISE NOTICE 'trusted certificate "%" expires on %, within 7 days', NEW.subject, NEW.not_after
                USING HINT = 'Insert its successor before then; licensing.trust_store_health lists what is stale.';
        END IF;
    ELSE
        IF NEW.next_update OPERATOR(pg_catalog.<=) pg_catalog.now() THEN
            RAISE NOTICE 'the CRL of "%" is past its next update (%)', NEW.issuer, NEW.next_update
                USING DETAIL = 'While it is the CA''s latest CRL, signatures by certificates of that CA verify as revocation_unknown, and portal submits signed with them are refused as signature_not_confirmed.',
                      HINT = 'Insert the CA''s current CRL (README, "Operations").';
        ELSIF NEW.next_update OPERATOR(pg_catalog.<=) (pg_catalog.now() OPERATOR(pg_catalog.+)
                  LEAST(interval '7 days', (NEW.next_update OPERATOR(pg_catalog.-) NEW.this_update) OPERATOR(pg_catalog./) 4::float8)) THEN
            RAISE NOTICE 'the CRL of "%" reaches its next update soon, on %', NEW.issuer, NEW.next_update
                USING HINT = 'Insert the CA''s next CRL before then (README, "Operations").';
        END IF;
        IF EXISTS (SELECT FROM licensing.revocation_list l
                    WHERE l.issuer_fingerprint OPERATOR(pg_catalog.=) NEW.issuer_fingerprint
                      AND l.this_update OPERATOR(pg_catalog.>) NEW.this_update) THEN
            RAISE NOTICE 'the CRL of "%" issued on % is older than one already loaded for that CA', NEW.issuer, NEW.this_update
                USING DETAIL = 'Signatures are checked against the CA''s CRL with the latest this_update; this one is not used.';
        END IF;
    END IF;
    RETURN NULL;
END
$fn$;
COMMENT ON FUNCTION licensing._trust_store_notice() IS
    'Trigger: a NOTICE when an inserted or changed trusted certificate or CRL is stale, or soon will be, or is not its CA''s latest CRL';
REVOKE ALL ON FUNCTION licensing._trust_store_notice() FROM PUBLIC;

CREATE TRIGGER trust_store_notice
    AFTER INSERT OR UPDATE ON licensing.trusted_certificate
    FOR EACH ROW EXECUTE FUNCTION licensing._trust_store_notice();
CREATE TRIGGER trust_store_notice
    AFTER INSERT OR UPDATE ON licensing.revocation_list
    FOR EACH ROW EXECUTE FUNCTION licensing._trust_store_notice();
