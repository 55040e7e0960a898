-- 62_history_complete.sql (upgrade part of src/sql/66_history_complete.sql): the histories detect missing rows as well as
-- changed ones (issue #16 part 6).  A chain proves each row it holds; it cannot
-- tell that a whole row, a whole chain or its tail was deleted behind the
-- extension's back (a superuser with triggers off).  verify_history and
-- verify_licence_history ask these functions, one line each, whether
-- everything that must exist does:
--   applications: every event has its application, every application its
--     events (at least the create event);
--   licences: every event has its licence, every licence its chain, opened by
--     its issue and ending in the status the licence holds (a cut tail shows),
--     and every decision signed as granted names a licence that exists.

CREATE FUNCTION licensing._history_complete(app bigint) RETURNS boolean
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
AS $$
    SELECT NOT EXISTS (SELECT FROM licensing.application_event e
                        WHERE (app IS NULL OR e.application OPERATOR(pg_catalog.=) app)
                          AND NOT EXISTS (SELECT FROM licensing.application a
                                           WHERE a.id OPERATOR(pg_catalog.=) e.application))
       AND NOT EXISTS (SELECT FROM licensing.application a
                        WHERE (app IS NULL OR a.id OPERATOR(pg_catalog.=) app)
                          AND NOT EXISTS (SELECT FROM licensing.application_event e
                                           WHERE e.application OPERATOR(pg_catalog.=) a.id
                                             AND e.seq OPERATOR(pg_catalog.=) 1
                                             AND e.what OPERATOR(pg_catalog.=) 'create'))
$$;
COMMENT ON FUNCTION licensing._history_complete(bigint) IS
    'internal: whether every event of the application (or of all) has its application and every application its create event';
REVOKE ALL ON FUNCTION licensing._history_complete(bigint) FROM PUBLIC;

CREATE FUNCTION licensing._licence_history_complete(number text) RETURNS boolean
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
AS $$
    -- $1, not the name: licence and application have columns called number
    SELECT NOT EXISTS (SELECT FROM licensing.licence_event le
                        WHERE ($1 IS NULL OR le.licence OPERATOR(pg_catalog.=) $1)
                          AND NOT EXISTS (SELECT FROM licensing.licence l
                                           WHERE l.number OPERATOR(pg_catalog.=) le.licence))
       AND NOT EXISTS (SELECT FROM licensing.licence l
                        WHERE ($1 IS NULL OR l.number OPERATOR(pg_catalog.=) $1)
                          AND (NOT EXISTS (SELECT FROM licensing.licence_event le
                                            WHERE le.licence OPERATOR(pg_catalog.=) l.number
                                              AND le.seq OPERATOR(pg_catalog.=) 1
                                              AND le.event OPERATOR(pg_catalog.=) 'issued')
                               OR l.status IS DISTINCT FROM
                                  (SELECT le.to_status FROM licensing.licence_event le
                                    WHERE le.licence OPERATOR(pg_catalog.=) l.number
                                    ORDER BY le.seq DESC LIMIT 1)))
       AND NOT EXISTS (SELECT FROM licensing.application a
                        WHERE ($1 IS NULL OR a.result_number OPERATOR(pg_catalog.=) $1)
                          AND a.state IN ('signed', 'delivered')
                          AND a.outcome OPERATOR(pg_catalog.=) 'granted'
                          AND a.result_number IS NOT NULL
                          AND NOT EXISTS (SELECT FROM licensing.licence l
                                           WHERE l.number OPERATOR(pg_catalog.=) a.result_number))
$$;
COMMENT ON FUNCTION licensing._licence_history_complete(text) IS
    'internal: whether every licence event has its licence, every licence its chain (issued first, ending in its status), and every granted signed decision its licence';
REVOKE ALL ON FUNCTION licensing._licence_history_complete(text) FROM PUBLIC;

-- verify_history and verify_licence_history ask them (one line each):
-- verify_licence_history is replaced in 71_chain.sql, verify_history in
-- 72_calendar_moves.sql, which change them last.
