-- Demo, part 1: identifiers as a clerk meets them.
\echo
\echo '== 1. Identifiers: IIN (individuals) and BIN (legal entities)'
SELECT v AS "typed in",
       CASE WHEN licensing.iin_is_valid(v) THEN 'IIN' WHEN licensing.bin_is_valid(v) THEN 'BIN' ELSE 'invalid' END AS "is a",
       CASE WHEN licensing.iin_is_valid(v)
            THEN licensing.iin_sex(v::licensing.iin) || ', born ' || licensing.iin_birth_date(v::licensing.iin)
            WHEN licensing.bin_is_valid(v)
            THEN licensing.bin_kind(v::licensing.bin) || ', ' || licensing.bin_division(v::licensing.bin)
                 || ', registered ' || to_char(licensing.bin_registered_on(v::licensing.bin), 'Mon YYYY')
       END AS "what the digits say"
  FROM (VALUES ('850625300123'), ('901120405675'), (' 160140001230 '), ('230741005553'),
               ('850625300124'), ('921529350859'), ('160170001234')) AS t(v);
\echo 'Why the invalid ones fail (the error a client gets):'
DO $$
DECLARE
    v text;
    d text;
BEGIN
    FOREACH v IN ARRAY ARRAY['850625300124', '921529350859', '850625700129', '160170001234'] LOOP
        BEGIN
            IF licensing.iin_is_valid(v) OR substr(v, 5, 1) < '4' THEN
                PERFORM v::licensing.iin;
            ELSE
                PERFORM v::licensing.bin;
            END IF;
        EXCEPTION WHEN invalid_text_representation THEN
            GET STACKED DIAGNOSTICS d = PG_EXCEPTION_DETAIL;
            RAISE NOTICE '%: %', v, d;
        END;
    END LOOP;
END
$$;
