-- 10_identifiers.sql: base types licensing.iin and licensing.bin (API §1, QUALITY §4).
-- Stored like int8 so that comparison and hashing reuse the built-in int8 support.

CREATE TYPE licensing.iin;
CREATE TYPE licensing.bin;

CREATE FUNCTION licensing.iin_in(cstring) RETURNS licensing.iin
    AS 'MODULE_PATHNAME', 'iin_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION licensing.iin_out(licensing.iin) RETURNS cstring
    AS 'MODULE_PATHNAME', 'identifier_output' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION licensing.iin_recv(internal) RETURNS licensing.iin
    AS 'MODULE_PATHNAME', 'iin_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION licensing.iin_send(licensing.iin) RETURNS bytea
    AS 'MODULE_PATHNAME', 'identifier_send_binary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION licensing.bin_in(cstring) RETURNS licensing.bin
    AS 'MODULE_PATHNAME', 'bin_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION licensing.bin_out(licensing.bin) RETURNS cstring
    AS 'MODULE_PATHNAME', 'identifier_output' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION licensing.bin_recv(internal) RETURNS licensing.bin
    AS 'MODULE_PATHNAME', 'bin_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION licensing.bin_send(licensing.bin) RETURNS bytea
    AS 'MODULE_PATHNAME', 'identifier_send_binary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE licensing.iin (
    INPUT = licensing.iin_in, OUTPUT = licensing.iin_out,
    RECEIVE = licensing.iin_recv, SEND = licensing.iin_send,
    LIKE = pg_catalog.int8, CATEGORY = 'U'
);
COMMENT ON TYPE licensing.iin IS 'Individual identification number of Kazakhstan (12 digits, check digit verified)';

CREATE TYPE licensing.bin (
    INPUT = licensing.bin_in, OUTPUT = licensing.bin_out,
    RECEIVE = licensing.bin_recv, SEND = licensing.bin_send,
    LIKE = pg_catalog.int8, CATEGORY = 'U'
);
COMMENT ON TYPE licensing.bin IS 'Business identification number of Kazakhstan (12 digits, check digit verified)';

-- Comparison: the built-in int8 functions, declared on our types.
CREATE FUNCTION licensing.iin_eq(licensing.iin, licensing.iin) RETURNS boolean AS 'int8eq' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION licensing.iin_ne(licensing.iin, licensing.iin) RETURNS boolean AS 'int8ne' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION licensing.iin_lt(licensing.iin, licensing.iin) RETURNS boolean AS 'int8lt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION licensing.iin_le(licensing.iin, licensing.iin) RETURNS boolean AS 'int8le' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION licensing.iin_gt(licensing.iin, licensing.iin) RETURNS boolean AS 'int8gt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION licensing.iin_ge(licensing.iin, licensing.iin) RETURNS boolean AS 'int8ge' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION licensing.iin_cmp(licensing.iin, licensing.iin) RETURNS integer AS 'btint8cmp' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION licensing.iin_hash(licensing.iin) RETURNS integer AS 'hashint8' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION licensing.iin_hash_extended(licensing.iin, bigint) RETURNS bigint AS 'hashint8extended' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE FUNCTION licensing.bin_eq(licensing.bin, licensing.bin) RETURNS boolean AS 'int8eq' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION licensing.bin_ne(licensing.bin, licensing.bin) RETURNS boolean AS 'int8ne' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION licensing.bin_lt(licensing.bin, licensing.bin) RETURNS boolean AS 'int8lt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION licensing.bin_le(licensing.bin, licensing.bin) RETURNS boolean AS 'int8le' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION licensing.bin_gt(licensing.bin, licensing.bin) RETURNS boolean AS 'int8gt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION licensing.bin_ge(licensing.bin, licensing.bin) RETURNS boolean AS 'int8ge' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION licensing.bin_cmp(licensing.bin, licensing.bin) RETURNS integer AS 'btint8cmp' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION licensing.bin_hash(licensing.bin) RETURNS integer AS 'hashint8' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION licensing.bin_hash_extended(licensing.bin, bigint) RETURNS bigint AS 'hashint8extended' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE OPERATOR licensing.= (LEFTARG = licensing.iin, RIGHTARG = licensing.iin, FUNCTION = licensing.iin_eq,
    COMMUTATOR = OPERATOR(licensing.=), NEGATOR = OPERATOR(licensing.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
CREATE OPERATOR licensing.<> (LEFTARG = licensing.iin, RIGHTARG = licensing.iin, FUNCTION = licensing.iin_ne,
    COMMUTATOR = OPERATOR(licensing.<>), NEGATOR = OPERATOR(licensing.=), RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR licensing.< (LEFTARG = licensing.iin, RIGHTARG = licensing.iin, FUNCTION = licensing.iin_lt,
    COMMUTATOR = OPERATOR(licensing.>), NEGATOR = OPERATOR(licensing.>=), RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR licensing.<= (LEFTARG = licensing.iin, RIGHTARG = licensing.iin, FUNCTION = licensing.iin_le,
    COMMUTATOR = OPERATOR(licensing.>=), NEGATOR = OPERATOR(licensing.>), RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR licensing.> (LEFTARG = licensing.iin, RIGHTARG = licensing.iin, FUNCTION = licensing.iin_gt,
    COMMUTATOR = OPERATOR(licensing.<), NEGATOR = OPERATOR(licensing.<=), RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR licensing.>= (LEFTARG = licensing.iin, RIGHTARG = licensing.iin, FUNCTION = licensing.iin_ge,
    COMMUTATOR = OPERATOR(licensing.<=), NEGATOR = OPERATOR(licensing.<), RESTRICT = scalargesel, JOIN = scalargejoinsel);

CREATE OPERATOR licensing.= (LEFTARG = licensing.bin, RIGHTARG = licensing.bin, FUNCTION = licensing.bin_eq,
    COMMUTATOR = OPERATOR(licensing.=), NEGATOR = OPERATOR(licensing.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
CREATE OPERATOR licensing.<> (LEFTARG = licensing.bin, RIGHTARG = licensing.bin, FUNCTION = licensing.bin_ne,
    COMMUTATOR = OPERATOR(licensing.<>), NEGATOR = OPERATOR(licensing.=), RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR licensing.< (LEFTARG = licensing.bin, RIGHTARG = licensing.bin, FUNCTION = licensing.bin_lt,
    COMMUTATOR = OPERATOR(licensing.>), NEGATOR = OPERATOR(licensing.>=), RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR licensing.<= (LEFTARG = licensing.bin, RIGHTARG = licensing.bin, FUNCTION = licensing.bin_le,
    COMMUTATOR = OPERATOR(licensing.>=), NEGATOR = OPERATOR(licensing.>), RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR licensing.> (LEFTARG = licensing.bin, RIGHTARG = licensing.bin, FUNCTION = licensing.bin_gt,
    COMMUTATOR = OPERATOR(licensing.<), NEGATOR = OPERATOR(licensing.<=), RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR licensing.>= (LEFTARG = licensing.bin, RIGHTARG = licensing.bin, FUNCTION = licensing.bin_ge,
    COMMUTATOR = OPERATOR(licensing.<=), NEGATOR = OPERATOR(licensing.<), RESTRICT = scalargesel, JOIN = scalargejoinsel);

CREATE OPERATOR CLASS licensing.iin_ops DEFAULT FOR TYPE licensing.iin USING btree AS
    OPERATOR 1 licensing.<, OPERATOR 2 licensing.<=, OPERATOR 3 licensing.=,
    OPERATOR 4 licensing.>=, OPERATOR 5 licensing.>,
    FUNCTION 1 licensing.iin_cmp(licensing.iin, licensing.iin),
    FUNCTION 2 (licensing.iin, licensing.iin) pg_catalog.btint8sortsupport(internal),
    FUNCTION 4 (licensing.iin, licensing.iin) pg_catalog.btequalimage(oid);
CREATE OPERATOR CLASS licensing.iin_hash_ops DEFAULT FOR TYPE licensing.iin USING hash AS
    OPERATOR 1 licensing.=,
    FUNCTION 1 licensing.iin_hash(licensing.iin),
    FUNCTION 2 licensing.iin_hash_extended(licensing.iin, bigint);

CREATE OPERATOR CLASS licensing.bin_ops DEFAULT FOR TYPE licensing.bin USING btree AS
    OPERATOR 1 licensing.<, OPERATOR 2 licensing.<=, OPERATOR 3 licensing.=,
    OPERATOR 4 licensing.>=, OPERATOR 5 licensing.>,
    FUNCTION 1 licensing.bin_cmp(licensing.bin, licensing.bin),
    FUNCTION 2 (licensing.bin, licensing.bin) pg_catalog.btint8sortsupport(internal),
    FUNCTION 4 (licensing.bin, licensing.bin) pg_catalog.btequalimage(oid);
CREATE OPERATOR CLASS licensing.bin_hash_ops DEFAULT FOR TYPE licensing.bin USING hash AS
    OPERATOR 1 licensing.=,
    FUNCTION 1 licensing.bin_hash(licensing.bin),
    FUNCTION 2 licensing.bin_hash_extended(licensing.bin, bigint);

-- Casts with text: through the validating I/O functions.
CREATE CAST (text AS licensing.iin) WITH INOUT AS ASSIGNMENT;
CREATE CAST (licensing.iin AS text) WITH INOUT AS ASSIGNMENT;
CREATE CAST (text AS licensing.bin) WITH INOUT AS ASSIGNMENT;
CREATE CAST (licensing.bin AS text) WITH INOUT AS ASSIGNMENT;

-- Validity without errors, and what the digits say.
CREATE FUNCTION licensing.iin_is_valid(text) RETURNS boolean
    AS 'MODULE_PATHNAME', 'iin_is_valid' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION licensing.iin_is_valid(text) IS 'true when the text is a valid IIN; never raises';
CREATE FUNCTION licensing.bin_is_valid(text) RETURNS boolean
    AS 'MODULE_PATHNAME', 'bin_is_valid' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION licensing.bin_is_valid(text) IS 'true when the text is a valid BIN; never raises';

CREATE FUNCTION licensing.iin_birth_date(licensing.iin) RETURNS date
    AS 'MODULE_PATHNAME', 'iin_birth_date' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION licensing.iin_birth_date(licensing.iin) IS 'date of birth from digits 1-7';
CREATE FUNCTION licensing.iin_sex(licensing.iin) RETURNS text
    AS 'MODULE_PATHNAME', 'iin_sex' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION licensing.iin_sex(licensing.iin) IS 'male or female, from digit 7';
CREATE FUNCTION licensing.bin_registered_on(licensing.bin) RETURNS date
    AS 'MODULE_PATHNAME', 'bin_registered_on' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION licensing.bin_registered_on(licensing.bin) IS 'first day of the registration month; YY above this year''s two digits is 19YY';
CREATE FUNCTION licensing.bin_kind(licensing.bin) RETURNS text
    AS 'MODULE_PATHNAME', 'bin_kind' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION licensing.bin_kind(licensing.bin) IS 'resident_legal_entity, non_resident_legal_entity or joint_individual_entrepreneurship';
CREATE FUNCTION licensing.bin_division(licensing.bin) RETURNS text
    AS 'MODULE_PATHNAME', 'bin_division' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION licensing.bin_division(licensing.bin) IS 'head_office, branch, representative_office or peasant_farm';

-- min and max, so reports can aggregate identifiers like numbers.
CREATE FUNCTION licensing.iin_smaller(licensing.iin, licensing.iin) RETURNS licensing.iin AS 'int8smaller' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION licensing.iin_larger(licensing.iin, licensing.iin) RETURNS licensing.iin AS 'int8larger' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION licensing.bin_smaller(licensing.bin, licensing.bin) RETURNS licensing.bin AS 'int8smaller' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION licensing.bin_larger(licensing.bin, licensing.bin) RETURNS licensing.bin AS 'int8larger' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
CREATE AGGREGATE licensing.min(licensing.iin) (SFUNC = licensing.iin_smaller, STYPE = licensing.iin, SORTOP = OPERATOR(licensing.<), COMBINEFUNC = licensing.iin_smaller, PARALLEL = SAFE);
CREATE AGGREGATE licensing.max(licensing.iin) (SFUNC = licensing.iin_larger, STYPE = licensing.iin, SORTOP = OPERATOR(licensing.>), COMBINEFUNC = licensing.iin_larger, PARALLEL = SAFE);
CREATE AGGREGATE licensing.min(licensing.bin) (SFUNC = licensing.bin_smaller, STYPE = licensing.bin, SORTOP = OPERATOR(licensing.<), COMBINEFUNC = licensing.bin_smaller, PARALLEL = SAFE);
CREATE AGGREGATE licensing.max(licensing.bin) (SFUNC = licensing.bin_larger, STYPE = licensing.bin, SORTOP = OPERATOR(licensing.>), COMBINEFUNC = licensing.bin_larger, PARALLEL = SAFE);
