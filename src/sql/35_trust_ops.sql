-- 35_trust_ops.sql: a trust store that does not go stale (API §7.1, issue #18).
--
-- A signature is checked against its issuer's current CRL (the one with the
-- latest this_update); once the clock passes that CRL's next_update, every
-- signature by a certificate of that CA is revocation_unknown, so every portal
-- submit signed under it is refused as signature_not_confirmed until the CA's
-- next CRL is loaded (README, "Operations").  licensing.trust_store_health
-- shows each trusted CA certificate and each CA's current CRL with the time
-- left; loading a certificate or CRL that is already stale, or soon will be,
-- says so with a NOTICE.  SQL only: the verification itself is
-- src/sigcore.c and src/signature.c.

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
