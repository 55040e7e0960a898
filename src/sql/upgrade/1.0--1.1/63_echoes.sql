-- 63_echoes.sql (issue #16 part 4): messages name a short prefix of the value
-- they refuse, never all of it (the hostile sweep passed megabytes and got
-- them back in the error).  The fresh text of the functions changed in
-- 60_licence.sql and 70_reports.sql.  (_check_licence_target: defined in
-- 75_results.sql, which changes it again.)
CREATE OR REPLACE FUNCTION licensing.workflow_dot(profile text) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    p record;
    s record;
    out text;
    prev text := 'submitted';
    q text;
BEGIN
    SELECT pr.code, pr.name, pr.source, pr.service INTO p
      FROM licensing.profile pr WHERE pr.code OPERATOR(pg_catalog.=) workflow_dot.profile;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'profile "%" does not exist', pg_catalog.left(workflow_dot.profile, 64)
            USING ERRCODE = '22023', HINT = 'See licensing.profile for the profiles.';
    END IF;
    -- DOT string literal: escape backslash and double quote
    out := pg_catalog.format(E'digraph "%s" {\n  label="%s (%s)";\n  labelloc=t;\n  rankdir=LR;\n  node [shape=box, style=rounded, fontname="Helvetica"];\n',
                             pg_catalog.replace(pg_catalog.replace(p.code, E'\\', E'\\\\'), '"', E'\\"'),
                             pg_catalog.replace(pg_catalog.replace(p.name, E'\\', E'\\\\'), '"', E'\\"'),
                             pg_catalog.replace(pg_catalog.replace(coalesce(p.source, p.service), E'\\', E'\\\\'), '"', E'\\"'));
    out := out || E'  submitted [shape=circle, label="submitted"];\n';
    FOR s IN SELECT ps.position, ps.step, ps.performer, ps.norm, ps.anchor, ps.paper_norm, ps.seed_clause
               FROM licensing.profile_step ps
              WHERE ps.profile OPERATOR(pg_catalog.=) p.code ORDER BY ps.position
    LOOP
        q := s.step || CASE s.step WHEN 'decide' THEN ' (grant or refuse)' ELSE '' END
             || E'\\n' || s.performer || ', '
             || CASE WHEN s.norm IS NULL THEN 'by the term''s end'
                     ELSE s.norm || CASE s.anchor WHEN 'receipt' THEN ' from receipt'
                                                  WHEN 'term_end' THEN ', capped at the term''s end' ELSE '' END END
             || CASE WHEN s.paper_norm IS NOT NULL THEN '; on paper ' || s.paper_norm ELSE '' END
             || E'\\n' || s.seed_clause;
        out := out || pg_catalog.format(E'  s%s [label="%s"];\n  %s -> s%s;\n', s.position,
                                        pg_catalog.replace(q, '"', E'\\"'), prev, s.position);
        prev := 's' || s.position;
    END LOOP;
    out := out || pg_catalog.format(E'  delivered [shape=doublecircle, label="delivered"];\n  %s -> delivered;\n', prev);
    -- who withdraws, and from which states: the transition table (workflow_transitions)
    SELECT t.performer || ', from ' || pg_catalog.string_agg(t.from_state, ', ' ORDER BY t.n) INTO q
      FROM licensing.workflow_transitions() WITH ORDINALITY
           t(step, from_state, to_state, unless_step, performer, events, sets, columns, opens, n)
     WHERE 'withdraw' OPERATOR(pg_catalog.=) ANY (t.events)
     GROUP BY t.performer;
    out := out || pg_catalog.format(E'  withdrawn [shape=circle, style=dashed, label="withdrawn"];\n  submitted -> withdrawn [style=dashed, label="%s"];\n}\n',
                                    pg_catalog.replace(q, '"', E'\\"'));
    RETURN out;
END
$$;
