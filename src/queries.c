/*
 * queries.c
 *		Kept SPI plans of the workflow, under the extension's own search path,
 *		and the opener of its tables by name.
 *
 * The workflow's C code reads and writes its tables with plans prepared once
 * per backend (SPI_keepplan).  A plan is parsed under search_path =
 * pg_catalog, pg_temp, so a caller's hostile search_path cannot capture a
 * type, function or operator of its text (QUALITY R7).  The plan cache
 * re-analyses a kept plan whenever the search path differs from the one it was
 * made under, so the plans are also run under that path: the API functions
 * carry SET search_path = pg_catalog, pg_temp, and the row triggers, which a
 * raw UPDATE may fire under any path, pin it for the call when it differs.
 */
#include "postgres.h"

#include "access/relation.h"
#include "access/table.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "executor/spi.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"

#include "workflow.h"

#define PINNED_PATH "pg_catalog, pg_temp"

int
workflow_pin_search_path(void)
{
	int			level;

	if (namespace_search_path != NULL && strcmp(namespace_search_path, PINNED_PATH) == 0)
		return -1;
	level = NewGUCNestLevel();
	(void) set_config_option("search_path", PINNED_PATH, PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	return level;
}

void
workflow_unpin_search_path(int level)
{
	if (level >= 0)
		AtEOXact_GUC(true, level);
}

/*
 * A plan kept for the backend's life.  Generic from its first run: each of
 * the workflow's statements finds its rows by key, so a custom plan for the
 * arguments is the same plan, and the plan cache's five custom plans before
 * it settles on the generic one each cost a whole planning (a new backend's
 * first steps paid about 200 k instructions apiece for them).
 */
SPIPlanPtr
workflow_prepare(const char *sql, int nargs, Oid *types)
{
	int			level = workflow_pin_search_path();
	SPIPlanPtr	plan = SPI_prepare_cursor(sql, nargs, types, CURSOR_OPT_GENERIC_PLAN);

	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed for \"%s\": %s", sql, SPI_result_code_string(SPI_result));
	if (SPI_keepplan(plan) != 0)
		elog(ERROR, "SPI_keepplan failed");
	workflow_unpin_search_path(level);
	return plan;
}

void
workflow_execute(SPIPlanPtr plan, Datum *values, const char *nulls, int expect, long count)
{
	int			rc = SPI_execute_plan(plan, values, nulls, false, count);

	if (rc != expect)
		elog(ERROR, "SPI_execute_plan failed: %s", SPI_result_code_string(rc));
}

/*
 * Table licensing.name, opened with lockmode (kept to the end of the
 * transaction).  Each step opens two: their OIDs are remembered by name and
 * confirmed once the table is open and locked, as RangeVarGetRelid confirms a
 * lookup made before the lock; a table dropped, renamed or moved is looked up
 * again.
 */
#define TABLE_MEMO_SIZE 4

static struct
{
	const char *name;			/* a string literal of the caller */
	Oid			relid;
	Oid			nspid;
}			table_memo[TABLE_MEMO_SIZE];

Relation
workflow_table_open(const char *name, LOCKMODE lockmode)
{
	Oid			nspid,
				relid;
	int			i;

	for (i = 0; i < TABLE_MEMO_SIZE && table_memo[i].name != NULL; i++)
	{
		if (table_memo[i].name == name)
		{
			Relation	rel = try_relation_open(table_memo[i].relid, lockmode);

			if (rel != NULL && rel->rd_rel->relkind == RELKIND_RELATION &&
				RelationGetNamespace(rel) == table_memo[i].nspid &&
				strcmp(RelationGetRelationName(rel), name) == 0)
				return rel;
			if (rel != NULL)
				relation_close(rel, lockmode);
			break;
		}
	}
	nspid = get_namespace_oid("licensing", false);
	relid = get_relname_relid(name, nspid);
	if (!OidIsValid(relid))
		elog(ERROR, "relation licensing.%s does not exist", name);
	if (i < TABLE_MEMO_SIZE)
	{
		table_memo[i].name = name;
		table_memo[i].relid = relid;
		table_memo[i].nspid = nspid;
	}
	return table_open(relid, lockmode);
}
