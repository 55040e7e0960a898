-- 63_echoes.sql (issue #16 part 4): messages name a short prefix of the value
-- they refuse, never all of it (the hostile sweep passed megabytes and got
-- them back in the error).  The fresh text of the functions changed in
-- 60_licence.sql and 70_reports.sql.
CREATE OR REPLACE FUNCTION licensing._check_licence_target(service text, operation text, applicant text,
                                                licence_number text, form jsonb) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    l licensing.licence;
    g text := form->>'ground';
    predecessor text;
    n jsonb := form->'annex';
BEGIN
    IF operation NOT IN ('reissue', 'duplicate') THEN
        IF licence_number IS NOT NULL THEN
            RAISE EXCEPTION 'an application to % names no licence', pg_catalog.left(operation, 64)
                USING ERRCODE = '22023', DETAIL = pg_catalog.format('It named %s.', pg_catalog.left(licence_number, 64)),
                      HINT = 'Only reissue and duplicate applications name an existing licence.';
        END IF;
        RETURN;
    END IF;
    IF licence_number IS NULL THEN
        RAISE EXCEPTION 'an application for a % must name the licence', operation
            USING ERRCODE = '22023', HINT = 'Pass licence_number, the number printed on the licence.';
    END IF;
    l := licensing._licence_find(licence_number, false);
    IF l.service OPERATOR(pg_catalog.<>) _check_licence_target.service THEN
        RAISE EXCEPTION 'licence % is not a licence of service %', l.number, _check_licence_target.service
            USING ERRCODE = '22023', DETAIL = pg_catalog.format('It was issued for service %s.', l.service),
                  HINT = 'Apply for the service the licence belongs to.';
    END IF;
    IF l.status OPERATOR(pg_catalog.<>) 'active' THEN
        RAISE EXCEPTION 'licence % is %', l.number, l.status
            USING ERRCODE = '55000',
                  DETAIL = pg_catalog.format('Only an active licence can be %s.',
                                             CASE operation WHEN 'reissue' THEN 're-issued' ELSE 'duplicated' END),
                  HINT = CASE l.status WHEN 'reissued' THEN pg_catalog.format('Apply for the licence that replaced it (see licensing.licence where supersedes = %L).', l.number)
                                       WHEN 'suspended' THEN 'Apply again when the licence is resumed.'
                                       ELSE 'A terminated licence cannot be re-issued or duplicated; apply for a new licence.' END;
    END IF;
    IF operation OPERATOR(pg_catalog.=) 'reissue' THEN
        IF g IS NULL THEN
            RAISE EXCEPTION 'a re-issue must name its ground'
                USING ERRCODE = '22023', HINT = 'Put the ground in the form, e.g. {"ground": "name_change"}; see licensing.reissue_ground.';
        END IF;
        IF NOT EXISTS (SELECT FROM licensing.reissue_ground rg WHERE rg.code OPERATOR(pg_catalog.=) g) THEN
            RAISE EXCEPTION 'unknown re-issue ground "%"', licensing._short(g)
                USING ERRCODE = '22023', HINT = 'Use a code of licensing.reissue_ground (Law 202-V art. 33).';
        END IF;
    END IF;
    IF l.holder OPERATOR(pg_catalog.<>) applicant THEN
        IF operation OPERATOR(pg_catalog.=) 'reissue' AND g OPERATOR(pg_catalog.=) 'reorganisation'
           AND licensing.bin_is_valid(applicant) THEN
            SELECT le.predecessor::text INTO predecessor
              FROM licensing.legal_entity le WHERE le.bin OPERATOR(licensing.=) applicant::licensing.bin;
            IF predecessor IS NOT DISTINCT FROM l.holder THEN
                RETURN;
            END IF;
            RAISE EXCEPTION 'licence % does not belong to % or its predecessor', l.number, applicant
                USING ERRCODE = '42501',
                      DETAIL = pg_catalog.format('The licence is held by %s; the legal-entity registry names %s as the predecessor of %s.',
                                                 l.holder, coalesce(predecessor, 'no entity'), applicant),
                      HINT = 'A reorganised entity re-issues the licence of the entity it succeeded, as the registry records it.';
        END IF;
        RAISE EXCEPTION 'licence % does not belong to %', l.number, applicant
            USING ERRCODE = '42501',
                  DETAIL = pg_catalog.format('The licence is held by %s.', l.holder),
                  HINT = 'Only the holder applies for its re-issue or duplicate (a successor: re-issue with ground reorganisation).';
    END IF;
    IF operation OPERATOR(pg_catalog.=) 'duplicate' AND n IS NOT NULL AND jsonb_typeof(n) OPERATOR(pg_catalog.<>) 'null' THEN
        IF jsonb_typeof(n) OPERATOR(pg_catalog.<>) 'number' OR (n #>> '{}') !~ '^[0-9]{1,9}$' THEN
            RAISE EXCEPTION 'form "annex" must be an annex number, not %', licensing._short(n::text)
                USING ERRCODE = '22023', HINT = 'Pass {"annex": 2} for a duplicate of annex 2, or no annex for the licence.';
        END IF;
        IF NOT EXISTS (SELECT FROM licensing.licence_annex la
                        WHERE la.licence OPERATOR(pg_catalog.=) l.number
                          AND la.position OPERATOR(pg_catalog.=) (n #>> '{}')::integer) THEN
            RAISE EXCEPTION 'licence % has no annex %', l.number, n #>> '{}'
                USING ERRCODE = '22023',
                      DETAIL = pg_catalog.format('It has %s annex(es).',
                                 (SELECT count(*) FROM licensing.licence_annex la WHERE la.licence OPERATOR(pg_catalog.=) l.number)),
                      HINT = 'See licensing.licence_register for the licence''s annexes.';
        END IF;
    END IF;
END
$$;

-- (workflow_dot: moved to 73_corrections.sql, which changes it again)
