-- 71_chain.sql: one hash chain and one canonical encoder for both histories (issue #19).
--
-- application_event and licence_event hashed differently in 1.0, and the
-- append wrote an event's body by hand while verify_history built it with
-- jsonb_build_object.  Now one C routine (history.c: chain_hash over
-- row_json.c's event_body_json, SHA-256 from sha256.c) computes every hash,
-- for both appends and both verifications, through licensing._chain_hash(record).
-- Each event records the encoding its hash was made with, in a new column at
-- the end of each table: 2 for what 1.1 writes, NULL for the events written
-- before this update, which keep verifying by the encoding of 1.0 (kept in
-- history.c for that alone).  Adding a nullable column without a default
-- rewrites no row.  README "Hash chains".

ALTER TABLE licensing.application_event ADD COLUMN chain_encoding smallint;
COMMENT ON COLUMN licensing.application_event.chain_encoding IS 'how the hash covers the event (README "Hash chains"): 2 = its columns, as in both histories; NULL = written before 1.1, in the encoding of 1.0';
ALTER TABLE licensing.licence_event ADD COLUMN chain_encoding smallint;
COMMENT ON COLUMN licensing.licence_event.chain_encoding IS 'how the hash covers the event (README "Hash chains"): 2 = its columns, as in both histories; NULL = written before 1.1, in the encoding of 1.0';

CREATE FUNCTION licensing._chain_hash(e record) RETURNS bytea
    AS 'MODULE_PATHNAME', 'licensing_chain_hash' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION licensing._chain_hash(record) IS 'The hash an event of application_event or licence_event must carry: SHA-256 over its prev_hash and the canonical JSON of its body, by its chain_encoding (NULL for an unknown encoding)';

CREATE OR REPLACE FUNCTION licensing._licence_append(p_licence text, p_event text, p_from text, p_to text,
                                          p_ground text, p_until date, p_application bigint,
                                          p_related text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    e licensing.licence_event;
BEGIN
    SELECT le.seq, le.hash INTO e.seq, e.prev_hash
      FROM licensing.licence_event le
     WHERE le.licence OPERATOR(pg_catalog.=) p_licence
     ORDER BY le.seq DESC LIMIT 1;
    e.seq := coalesce(e.seq, 0) + 1;
    e.licence := p_licence;
    e.event := p_event;
    e.from_status := p_from;
    e.to_status := p_to;
    e.ground := p_ground;
    e.until := p_until;
    e.application := p_application;
    e.related := p_related;
    e.actor := licensing.actor();
    e.at := licensing.clock();
    e.chain_encoding := 2;
    e.hash := licensing._chain_hash(e);
    INSERT INTO licensing.licence_event VALUES (e.*);
END
$$;

-- verify_history: replaced in a later part

CREATE OR REPLACE FUNCTION licensing.verify_licence_history(number text DEFAULT NULL) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    e licensing.licence_event;
    prev_licence text := NULL;
    prev_hash bytea := NULL;
    prev_seq integer := 0;
    encoding smallint := 1;
    canon text := CASE WHEN number IS NULL THEN NULL ELSE licensing.licence_number(number) END;
BEGIN
    IF NOT licensing._licence_history_complete(canon) THEN RETURN false; END IF;  -- rows missing (66_history_complete.sql)
    FOR e IN SELECT * FROM licensing.licence_event le
              WHERE canon IS NULL OR le.licence OPERATOR(pg_catalog.=) canon
              ORDER BY le.licence, le.seq
    LOOP
        IF prev_licence IS DISTINCT FROM e.licence THEN
            prev_licence := e.licence;
            prev_hash := NULL;
            prev_seq := 0;
            encoding := 1;
        END IF;
        -- the hash by the event's encoding (history.c), which never goes back within a chain
        IF e.seq OPERATOR(pg_catalog.<>) prev_seq + 1
           OR e.prev_hash IS DISTINCT FROM prev_hash
           OR e.hash IS DISTINCT FROM licensing._chain_hash(e)
           OR COALESCE(e.chain_encoding, 1) OPERATOR(pg_catalog.<) encoding THEN
            RETURN false;
        END IF;
        prev_hash := e.hash;
        prev_seq := e.seq;
        encoding := COALESCE(e.chain_encoding, 1);
    END LOOP;
    -- every licence has at least its issue event
    IF EXISTS (SELECT FROM licensing.licence l
                WHERE (canon IS NULL OR l.number OPERATOR(pg_catalog.=) canon)
                  AND NOT EXISTS (SELECT FROM licensing.licence_event le
                                   WHERE le.licence OPERATOR(pg_catalog.=) l.number)) THEN
        RETURN false;
    END IF;
    RETURN true;
END
$$;

-- the encodings of 1.0 in SQL: history.c verifies their events now
DROP FUNCTION licensing._licence_event_bytes(licensing.licence_event);
DROP FUNCTION licensing._event_hash(bytea, jsonb);
