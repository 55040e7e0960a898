-- licensing.canonical_json: RFC 8785 (JSON Canonicalization Scheme)
CREATE EXTENSION licensing;

-- §3.2.3: members sorted by UTF-16 code units (the RFC's own example)
SELECT licensing.canonical_json(E'{"\\u20ac": "Euro Sign", "\\r": "Carriage Return", "\\ufb33": "Hebrew Letter Dalet With Dagesh", "1": "One", "\\ud83d\\ude00": "Emoji: Grinning Face", "\\u0080": "Control", "\\u00f6": "Latin Small Letter O With Diaeresis"}'::jsonb);

-- characters past U+FFFF sort by their surrogates: above U+D7FF, below U+E000..U+FFFF,
-- also after a common prefix
SELECT licensing.canonical_json(E'{"\\uffff": 1, "\\ud83d\\ude00": 2, "z": 3, "\\ue000": 4, "\\u00e9": 5, "\\ud7ff": 6, "a\\ue000": 7, "a\\ud83d\\ude00": 8, "ab": 9, "a": 10}'::jsonb);

-- many members: in code point order (what COLLATE "C" gives for these keys),
-- whatever the lengths that order jsonb's own storage
WITH k AS (SELECT md5(i::text) || repeat('x', i % 3) AS key, i FROM generate_series(1, 40) i)
SELECT licensing.canonical_json(jsonb_object_agg(key, i)) =
       '{' || string_agg(format('"%s":%s', key, i), ',' ORDER BY key COLLATE "C") || '}' AS sorted_40
  FROM k;

-- §3.2.2.3: numbers as ECMAScript writes a double
SELECT v, licensing.canonical_json(v::jsonb) AS canonical
FROM (VALUES ('0'), ('-0'), ('1'), ('-1.5'), ('1.0'), ('100'), ('1e21'), ('1e20'), ('123456789012345678901'),
             ('0.000001'), ('0.0000001'), ('1e-7'), ('333333333.33333329'), ('4.50'), ('2e-3'),
             ('9007199254740993'), ('1.7976931348623157e308'), ('5e-324')) t(v);

-- §3.2.2.2: strings escape only what JSON requires, in the shortest form
SELECT licensing.canonical_json(E'{"s": "quote \\" backslash \\\\ slash / tab \\t nl \\n bell \\u0007 del \\u007f é €"}'::jsonb);

-- nesting, arrays keep their order, no white space, literals
SELECT licensing.canonical_json('{"b": [3, {"z": null, "a": true}, "x"], "a": {"d": false, "c": []}, "": {}}'::jsonb);
SELECT licensing.canonical_json('"scalar"'::jsonb), licensing.canonical_json('[]'::jsonb), licensing.canonical_json('42'::jsonb);

-- the same value however it was written
SELECT licensing.canonical_json('{"a":1,"b":2}'::jsonb) = licensing.canonical_json('{ "b" : 2.0 , "a" : 1e0 }'::jsonb) AS same;

-- NULL in, NULL out
SELECT licensing.canonical_json(NULL) IS NULL AS null_is_null;

-- the hash chain (SHA-256 of prev || canonical JSON of the event's columns) is
-- recomputed from its documented formula by test/pgtap/history_chain.sql

DROP EXTENSION licensing CASCADE;
