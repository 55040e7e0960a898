-- licensing.act_for lasts until the end of the transaction that named it, like
-- SET LOCAL (API §0, revision 2): gone after COMMIT, ROLLBACK, ROLLBACK TO a
-- savepoint opened before it, an error caught by an exception block, and
-- DISCARD ALL.  (test/scripts/security_pool.sh shows it through PgBouncer.)
CREATE EXTENSION licensing;
SET ROLE licensing_portal;

-- a statement in autocommit is a transaction of its own
SELECT licensing.act_for('160140001230');
SELECT licensing.acting_for() AS after_autocommit;

-- kept for the transaction, gone at COMMIT
BEGIN;
SELECT licensing.act_for('160140001230');
SELECT licensing.acting_for() AS in_transaction;
SELECT licensing.acting_for() AS still_in_transaction;
COMMIT;
SELECT licensing.acting_for() AS after_commit;

-- gone at ROLLBACK
BEGIN;
SELECT licensing.act_for('160140001230');
ROLLBACK;
SELECT licensing.acting_for() AS after_rollback;

-- gone at the ROLLBACK that ends a failed transaction
BEGIN;
SELECT licensing.act_for('160140001230');
SELECT 1 / 0;
ROLLBACK;
SELECT licensing.acting_for() AS after_failed_transaction;

-- ROLLBACK TO SAVEPOINT restores what the savepoint saw
BEGIN;
SAVEPOINT before_any;
SELECT licensing.act_for('160140001230');
ROLLBACK TO SAVEPOINT before_any;
SELECT licensing.acting_for() AS rolled_back_to_before_any;
SELECT licensing.act_for('160140001230');
SAVEPOINT s1;
SELECT licensing.act_for('901120405675');
SELECT licensing.acting_for() AS in_s1;
ROLLBACK TO SAVEPOINT s1;
SELECT licensing.acting_for() AS rolled_back_to_s1;
-- a released savepoint hands its change to the one around it
SAVEPOINT s2;
SAVEPOINT s3;
SELECT licensing.act_for(NULL);
RELEASE SAVEPOINT s3;
SELECT licensing.acting_for() AS forgotten_in_released_s3;
RELEASE SAVEPOINT s2;
SELECT licensing.acting_for() AS forgotten_in_released_s2;
ROLLBACK TO SAVEPOINT s1;
SELECT licensing.acting_for() AS rolled_back_to_s1_again;
-- a change at the top level survives a savepoint that did not touch it
SAVEPOINT s4;
SELECT 1 AS untouched;
ROLLBACK TO SAVEPOINT s4;
SELECT licensing.acting_for() AS after_untouched_s4;
COMMIT;
SELECT licensing.acting_for() AS after_savepoints_commit;

-- an error caught by an exception block undoes an act_for inside it
BEGIN;
SELECT licensing.act_for('160140001230');
DO $$
BEGIN
    PERFORM licensing.act_for('901120405675');
    PERFORM 1 / 0;
EXCEPTION WHEN division_by_zero THEN
    RAISE NOTICE 'after the caught error the portal acts for %', licensing.acting_for();
END $$;
SELECT licensing.acting_for() AS after_caught_error;
DO $$
BEGIN
    PERFORM licensing.act_for('901120405675');
EXCEPTION WHEN OTHERS THEN
    NULL;
END $$;
SELECT licensing.acting_for() AS after_block_without_error;
COMMIT;
SELECT licensing.acting_for() AS after_blocks_commit;

-- DISCARD ALL leaves nothing
SELECT licensing.act_for('160140001230');
DISCARD ALL;
SET ROLE licensing_portal;
SELECT licensing.acting_for() AS after_discard_all;

-- the applicant is bound to the role that named it, within the transaction too
BEGIN;
SELECT licensing.act_for('160140001230');
RESET ROLE;
SELECT licensing.acting_for() AS as_another_role;
SET LOCAL ROLE licensing_portal;
SELECT licensing.acting_for() AS as_the_naming_role_again;
COMMIT;

RESET ROLE;
DROP EXTENSION licensing CASCADE;
