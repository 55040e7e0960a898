-- Demo, part 6: the licence register.  Real applications walked through the
-- office channel (test PKI signatures), then the register, one licence's
-- history, its life (suspend, resume, terminate), a mistyped number, and the
-- printable form of a licence.
\set QUIET on
SET client_min_messages = warning;
SELECT set_config('test_pki.dir', :'pki', false) \gset
\ir ../pgtap/licence_fixture.psql
-- Monday 2 March 2026, 10:00 in Kazakhstan
SELECT licensing.set_clock('2026-03-02 10:00+05') \gset

SELECT lic_test.walk('scrap-metal', 'issue', '160140001230',
    '{"annexes": [{"subtype": "Заготовка и хранение лома чёрных металлов", "address": "г. Шымкент, Темирлановское шоссе, 12", "branch_bin": "160141001236"},
                  {"subtype": "Переработка лома цветных металлов", "address": "г. Туркестан, промзона 3", "branch_bin": "160142001231"}]}') AS a1 \gset
SELECT lic_test.licence_of(:a1) AS l1 \gset
SELECT lic_test.walk('eco-expertise', 'issue', '901120405675', '{}') AS e1 \gset
SELECT lic_test.walk('scrap-metal', 'duplicate', '160140001230', '{}', :'l1', '{"annex": 2}') AS d1 \gset
SELECT lic_test.walk('scrap-metal', 'reissue', '160140001230', '{}', :'l1', '{"ground": "name_change"}') AS r1 \gset
SELECT lic_test.licence_of(:r1) AS l2 \gset
SELECT lic_test.walk('scrap-metal', 'issue', '170240007770',
    '{"annexes": [{"subtype": "Заготовка лома", "address": "г. Уральск, ул. Промышленная, 7"}]}') AS a3 \gset
SELECT lic_test.licence_of(:a3) AS l3 \gset
SET ROLE lic_head;
SELECT licensing.suspend_licence(:'l3', 'non_compliance', '2026-04-30') \gset
SELECT licensing.resume_licence(:'l3') \gset
SELECT licensing.terminate_licence(:'l3', 'licensee_request') \gset
RESET ROLE;

\echo
\echo '== 5. The licence register (public: everyone may read licensing.licence_register)'
SELECT number AS "licence number", kind, holder, holder_name AS "holder name", status, issued_on AS "issued",
       jsonb_array_length(annexes) AS annexes, supersedes AS "replaces", superseded_by AS "replaced by"
  FROM licensing.licence_register ORDER BY number;

\echo
\echo 'Annexes of the re-issued licence (carried over from the one it replaced):'
SELECT a->>'position' AS "#", a->>'subtype' AS "sub-type of activity", a->>'address' AS "object address",
       a->>'branch_bin' AS "branch / rep. office BIN"
  FROM licensing.licence_register, jsonb_array_elements(annexes) a WHERE number = :'l2';

\echo
\echo 'Duplicates issued (the licence itself is unchanged):'
SELECT licence AS "licence", coalesce('annex ' || annex, 'the licence') AS "duplicate of", issued_on AS "issued"
  FROM licensing.licence_duplicate ORDER BY application;

\echo
\echo 'The life of one licence, hash-chained (licensing.licence_event):'
SELECT seq AS "#", event, coalesce(from_status || ' → ', '') || to_status AS "status", ground, until, actor AS "by",
       left(encode(hash, 'hex'), 16) || '…' AS "SHA-256"
  FROM licensing.licence_event WHERE licence = :'l3' ORDER BY seq;
SELECT licensing.verify_licence_history() AS "every licence's history verifies";

\echo
\echo 'Forbidden moves and mistyped numbers fail clearly:'
CREATE TEMP TABLE demo_refused (call text, sqlstate text, error text);
DO $$
DECLARE
    stmt text;
    msg text;
    det text;
    st text;
    l2 text := (SELECT number FROM licensing.licence WHERE supersedes IS NOT NULL LIMIT 1);
BEGIN
    FOREACH stmt IN ARRAY ARRAY[
        format('resume_licence(%L)', (SELECT number FROM licensing.licence WHERE status = 'terminated' LIMIT 1)),
        format('suspend_licence(%L, %L)', (SELECT number FROM licensing.licence WHERE status = 'reissued' LIMIT 1), 'court_decision'),
        format('licence_document(%L)', left(l2, 11) || substr(l2, 13, 1) || substr(l2, 12, 1) || right(l2, 1))]
    LOOP
        BEGIN
            EXECUTE 'SELECT licensing.' || stmt;
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL, st = RETURNED_SQLSTATE;
            INSERT INTO demo_refused VALUES (stmt, st, msg || E'\n' || det);
        END;
    END LOOP;
END
$$;
SELECT call AS "call", sqlstate, error FROM demo_refused;

\echo
\echo 'The signed document of the conclusion (licensing.licence_document), and its signature:'
SELECT jsonb_pretty(licensing.licence_document(lic_test.licence_of(:e1))) AS "signed snapshot";
SELECT v.valid AS "signature valid", v.signer_iin AS "signed by IIN", v.subject AS "signer"
  FROM licensing.licence_signed(lic_test.licence_of(:e1)) s, licensing.verify_signature(s.payload, s.signature) v;

\echo
\echo 'Printable form of the re-issued licence (licensing.licence_html), Kazakh and Russian:'
\pset format unaligned
\pset tuples_only on
SELECT licensing.licence_html(:'l2');
\pset format aligned
\pset tuples_only off

SELECT licensing.set_clock(NULL) \gset
