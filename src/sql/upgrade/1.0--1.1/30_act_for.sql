-- 30_act_for.sql: the applicant named by act_for lasts until the end of the
-- transaction that named it (API §0, revision 2; the C library does it).
COMMENT ON FUNCTION licensing.act_for(text) IS 'The portal names the applicant (IIN or BIN) it acts for; kept in backend memory until the end of the transaction (like SET LOCAL); members of licensing_portal only; NULL forgets';
