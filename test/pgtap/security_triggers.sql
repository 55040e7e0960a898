-- Security issue #13, part 2: the trigger functions of licensing trust no table
-- but their own.  Every function of schema licensing returning trigger is
-- attached to look-alike temp tables (columns of the wrong types; the right
-- types with a copy of a real row) by an unprivileged role, by staff and by a
-- superuser, at every timing and level, and fired: a clean 39P01 (or 42501
-- when the role may not attach it), no crash, no event appended.  A trigger
-- of the extension attached to its own table at the wrong timing is refused
-- too.  verify_history finds an event inserted behind the extension's back
-- that is chain-valid but discontinuous, or of a kind out of its place.
BEGIN;
SELECT plan(23);
\ir ../fixtures/signing.sql
SELECT test_pki.load_trust();
\ir ../fixtures/workflow.sql

DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'trg_nobody') THEN
        CREATE ROLE trg_nobody LOGIN;
    END IF;
END $$;

SELECT wf_test.draft('scrap-metal', '160140001230', 'sko', 'office') AS a \gset
SELECT wf_test.advance(:a, 'assigned');
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko', 'office') AS d \gset
SELECT count(*) AS events0 FROM licensing.application_event \gset

-- the extension's trigger functions, each with a table it is attached to
CREATE TEMP VIEW trg_functions AS
SELECT p.oid::regprocedure AS fn, p.proname::text AS proname,
       (SELECT t.tgrelid FROM pg_trigger t WHERE t.tgfoid = p.oid AND NOT t.tgisinternal
         ORDER BY t.tgrelid::regclass::text LIMIT 1) AS own
  FROM pg_proc p
 WHERE p.pronamespace = 'licensing'::regnamespace AND p.prorettype = 'trigger'::regtype;
GRANT SELECT ON trg_functions TO PUBLIC;

SELECT cmp_ok((SELECT count(*) FROM trg_functions WHERE own IS NOT NULL), '>=', 10::bigint,
    'every trigger function of licensing is attached to a table of its own (at least ten)');

-- Attaches each trigger function to a look-alike of its own table as role r
-- (NULL: the superuser) at each timing and level, and fires it by INSERT,
-- UPDATE and DELETE.  variant: 'text' (every column text), 'int8' (every
-- column bigint), 'copy' (the real types, with a real row's values).  Returns
-- what went wrong: a firing without error, or an error other than 39P01 (42501
-- when a role may not attach the function).
CREATE FUNCTION pg_temp.attack(r name, variant text) RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE
    f record;
    combo text;
    cols text;
    vals text;
    first_col text;
    failures text[] := '{}';
    n integer := 0;
BEGIN
    FOR f IN SELECT * FROM trg_functions WHERE own IS NOT NULL ORDER BY proname LOOP
        SELECT string_agg(format('%I %s', a.attname,
                   CASE variant WHEN 'text' THEN 'text' WHEN 'int8' THEN 'bigint'
                   ELSE format_type(a.atttypid, a.atttypmod) END), ', ' ORDER BY a.attnum),
               string_agg('''1''', ', ' ORDER BY a.attnum),
               (array_agg(quote_ident(a.attname) ORDER BY a.attnum))[1]
          INTO cols, vals, first_col
          FROM pg_attribute a WHERE a.attrelid = f.own AND a.attnum > 0 AND NOT a.attisdropped;
        IF variant = 'copy' THEN
            EXECUTE format('SELECT (SELECT string_agg(quote_nullable(j.value), '', '') FROM json_each_text(row_to_json(x)) j) '
                           'FROM %s x ORDER BY 1 LIMIT 1', f.own::regclass) INTO vals;
            IF vals IS NULL THEN
                SELECT string_agg('NULL', ', ') INTO vals
                  FROM pg_attribute a WHERE a.attrelid = f.own AND a.attnum > 0 AND NOT a.attisdropped;
            END IF;
        END IF;
        FOREACH combo IN ARRAY ARRAY['BEFORE ROW', 'AFTER ROW', 'BEFORE STATEMENT', 'AFTER STATEMENT'] LOOP
            n := n + 1;
            BEGIN
                IF r IS NOT NULL THEN
                    EXECUTE format('SET LOCAL ROLE %I', r);
                END IF;
                EXECUTE format('CREATE TEMP TABLE trg_t%s (%s)', n, cols);
                EXECUTE format('INSERT INTO trg_t%s VALUES (%s)', n, vals);
                BEGIN
                    EXECUTE format('CREATE TRIGGER trg_x %s INSERT OR UPDATE OR DELETE ON trg_t%s FOR EACH %s EXECUTE FUNCTION %s',
                                   split_part(combo, ' ', 1), n, split_part(combo, ' ', 2), f.fn);
                EXCEPTION WHEN insufficient_privilege THEN
                    IF r IS NULL THEN
                        failures := failures || format('%s %s: a superuser may not attach it', f.proname, combo);
                    END IF;
                    RAISE EXCEPTION 'undo' USING ERRCODE = 'P0001';
                END;
                EXECUTE format('INSERT INTO trg_t%s VALUES (%s)', n, vals);
                EXECUTE format('UPDATE trg_t%s SET %s = %s', n, first_col, first_col);
                EXECUTE format('DELETE FROM trg_t%s', n);
                failures := failures || format('%s %s: fired on a look-alike without error', f.proname, combo);
                RAISE EXCEPTION 'undo' USING ERRCODE = 'P0001';
            EXCEPTION
                WHEN SQLSTATE '39P01' OR raise_exception THEN NULL;
                WHEN OTHERS THEN
                    failures := failures || format('%s %s: %s %s', f.proname, combo, SQLSTATE, SQLERRM);
            END;
        END LOOP;
    END LOOP;
    RETURN failures;
END
$$;

SELECT is(pg_temp.attack(r, v), '{}'::text[],
          format('%s attaching every trigger function to a %s look-alike: clean errors only',
                 coalesce(r, 'a superuser'), v))
  FROM unnest(ARRAY['trg_nobody', 'wf_clerk', NULL]::name[]) r,
       unnest(ARRAY['text', 'int8', 'copy']) v;

SELECT is((SELECT count(*) FROM licensing.application_event), :events0::bigint,
          '... and no event was appended to any history');

-- ---- staff with a correctly typed copy of an application and the record trigger
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_clerk', $q$
    CREATE TEMP TABLE trg_copy (LIKE licensing.application);
    INSERT INTO trg_copy SELECT * FROM licensing.application WHERE id = %s;
    CREATE TRIGGER rec AFTER UPDATE ON trg_copy FOR EACH ROW EXECUTE FUNCTION licensing._application_record();
    UPDATE trg_copy SET state = 'delivered';
    SELECT 1 $q$)$$, :a), '42501', NULL,
    'staff cannot append to a history with the record trigger on a copy of the application (not even create the trigger: no EXECUTE)');
SELECT ok(licensing.verify_history(:a), '... and its chain is whole');

-- ---- a trigger of the extension on its own table, at the wrong timing
CREATE TRIGGER zz_wrong BEFORE UPDATE ON licensing.application
    FOR EACH ROW EXECUTE FUNCTION licensing._application_record();
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_exec', 'SELECT licensing.confirm_complete(%s)')$$, :a),
    '39P01', NULL, 'the record trigger attached BEFORE UPDATE on its own table refuses to fire');
DROP TRIGGER zz_wrong ON licensing.application;
CREATE TRIGGER zz_wrong AFTER INSERT ON licensing.staff
    FOR EACH ROW EXECUTE FUNCTION licensing.invalidate_cache();
SELECT throws_ok($$INSERT INTO licensing.staff (role, provider, position) VALUES ('wf_exec2', 'alm', 'executor')$$,
    '39P01', NULL, 'invalidate_cache attached for each row refuses to fire');
DROP TRIGGER zz_wrong ON licensing.staff;

-- ---- a column of the application changed to another type is not read as the old one
SAVEPOINT retyped;
SELECT wf_test.draft('scrap-metal', '160140001230', 'sko', 'office') AS r \gset
SELECT wf_test.advance(:r, 'submitted');
ALTER TABLE licensing.application ALTER COLUMN updated_at TYPE text USING updated_at::text;
SELECT throws_ok(format($$SELECT wf_test.as_role('wf_clerk', 'SELECT licensing.register(%s)')$$, :r),
    '39P01', NULL, 'a step on an application whose updated_at became text raises 39P01 (no column written as the wrong type)');
ROLLBACK TO retyped;

-- ---- verify_history: chain-valid events inserted behind the extension's back
-- (the hash recomputed as verify_history does, so only the new checks can see them)
CREATE FUNCTION pg_temp.forge(app bigint, what text, from_state text, to_state text, payload jsonb DEFAULT '{}') RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    last licensing.application_event;
    e licensing.application_event;
BEGIN
    SELECT * INTO last FROM licensing.application_event x WHERE x.application = app ORDER BY x.seq DESC LIMIT 1;
    e := ROW(app, last.seq + 1, licensing.clock() + interval '1 minute', current_user, NULL, what, from_state, to_state,
             payload, last.hash, NULL, NULL, NULL, NULL, NULL, NULL, 2)::licensing.application_event;
    e.hash := licensing._chain_hash(e);
    SET LOCAL session_replication_role = replica;
    INSERT INTO licensing.application_event SELECT e.*;
    SET LOCAL session_replication_role = origin;
END
$$;

SELECT ok(licensing.verify_history(:a), 'the walked application verifies');
SAVEPOINT forged;
-- the positive controls write the payment or document row the event stands for
-- (verify_history compares them one for one, security_tamper.sql)
SET LOCAL session_replication_role = replica;
INSERT INTO licensing.application_payment (id, application, amount, reference, paid_at)
VALUES (990001, :a, 1, 'FORGED-CONTROL', '2025-03-03 10:00+05');
SET LOCAL session_replication_role = origin;
SELECT pg_temp.forge(:a, 'record_payment', 'assigned', 'assigned',
    jsonb_build_object('payment', 990001, 'amount', 1.00::numeric(12,2), 'reference', 'FORGED-CONTROL',
                       'paid_at', licensing._utc('2025-03-03 10:00+05')));
SELECT ok(licensing.verify_history(:a), 'a payment event where it may stand, continuous, verifies (the checks are not overbroad)');
ROLLBACK TO forged;
SELECT pg_temp.forge(:a, 'record_payment', 'in_review', 'in_review');
SELECT ok(NOT licensing.verify_history(:a), 'an event that does not start where the previous one ended fails verification');
ROLLBACK TO forged;
SELECT pg_temp.forge(:a, 'survey', 'assigned', 'assigned');
SELECT ok(NOT licensing.verify_history(:a), 'a survey before delivery (a kind out of its place) fails verification');
ROLLBACK TO forged;
SELECT pg_temp.forge(:a, 'register', 'assigned', 'registered');
SELECT ok(NOT licensing.verify_history(:a), 'a continuous event that is no move of the transition table (register from assigned) fails verification');
ROLLBACK TO forged;
SET LOCAL session_replication_role = replica;
INSERT INTO licensing.application_document (id, application, kind, filename, content, sha256)
VALUES (990002, :d, 'charter', 'late.pdf', 'late', sha256('late'));
SET LOCAL session_replication_role = origin;
SELECT pg_temp.forge(:d, 'attach_document', 'draft', 'draft',
    jsonb_build_object('document', 990002, 'kind', 'charter', 'filename', 'late.pdf',
                       'sha256', encode(sha256('late'), 'hex'), 'paper_original', false));
SELECT ok(licensing.verify_history(:d), 'a document attached to a draft verifies');
ROLLBACK TO forged;
SELECT pg_temp.forge(:a, 'attach_document', 'assigned', 'assigned');
SELECT ok(NOT licensing.verify_history(:a), 'a document attached after submit (out of place) fails verification');
ROLLBACK TO forged;

SELECT * FROM finish();
ROLLBACK;
