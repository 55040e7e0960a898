/*
 * triggers.c
 *		Where a trigger function of licensing may fire.
 *
 * Anyone who may create a table may attach any trigger function he can
 * execute to it, and a superuser may attach any: a look-alike temp table
 * with columns of other types would have the C triggers read a column as the
 * wrong type, and a correctly typed copy would have the record trigger
 * append chain-valid events to any application's history.  So every trigger
 * function of the extension first checks that it is called as a trigger, at
 * its timing, level and events, on one of its own tables: a table of schema
 * licensing by name (or a partition whose root is one, for a DBA who
 * partitions a table after install), and raises 39P01 otherwise.  The
 * relation's name and namespace come from its relcache entry, and the
 * schema's OID is looked up again only when the syscache of namespaces
 * changes.
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "catalog/partition.h"
#include "commands/trigger.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/syscache.h"

#include "licensing.h"

static Oid	licensing_nsp = InvalidOid;
static bool nsp_watched;

static void
nsp_forget(Datum arg, int cacheid, uint32 hashvalue)
{
	licensing_nsp = InvalidOid;
}

static Oid
licensing_namespace(void)
{
	if (!nsp_watched)
	{
		CacheRegisterSyscacheCallback(NAMESPACEOID, nsp_forget, (Datum) 0);
		nsp_watched = true;
	}
	if (!OidIsValid(licensing_nsp))
		licensing_nsp = get_namespace_oid("licensing", false);
	return licensing_nsp;
}

static const char *
event_name(TriggerEvent ev)
{
	if (TRIGGER_FIRED_BY_INSERT(ev))
		return "INSERT";
	if (TRIGGER_FIRED_BY_UPDATE(ev))
		return "UPDATE";
	if (TRIGGER_FIRED_BY_DELETE(ev))
		return "DELETE";
	return "TRUNCATE";
}

/*
 * Raises 39P01 unless fcinfo is a trigger call of function fname, fired
 * timing (TRIGGER_TYPE_BEFORE, _AFTER) for each row (row) or statement, by
 * one of events (TRIGGER_TYPE_INSERT | ...), on licensing.table for one of
 * the NULL-terminated tables or a partition of one.  Returns the trigger data.
 */
TriggerData *
licensing_trigger_check(FunctionCallInfo fcinfo, const char *fname,
						const char *const *tables, int timing, bool row, int events)
{
	TriggerData *td;
	TriggerEvent ev;
	Relation	rel;
	Oid			nsp;
	const char *name;
	char	   *root_name = NULL;
	int			fired;
	const char *const *t;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s was not called as a trigger", fname),
				 errhint("It is a trigger function of the extension licensing, on its own tables.")));
	td = (TriggerData *) fcinfo->context;
	ev = td->tg_event;
	rel = td->tg_relation;

	nsp = RelationGetNamespace(rel);
	name = RelationGetRelationName(rel);
	if (rel->rd_rel->relispartition)
	{
		List	   *ancestors = get_partition_ancestors(RelationGetRelid(rel));
		Oid			root = llast_oid(ancestors);

		nsp = get_rel_namespace(root);
		root_name = get_rel_name(root);
		name = root_name ? root_name : "";
	}
	for (t = tables; *t != NULL; t++)
		if (strcmp(*t, name) == 0)
			break;
	if (nsp != licensing_namespace() || *t == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s cannot fire on table \"%s\"", fname, RelationGetRelationName(rel)),
				 errdetail("It is a trigger of licensing.%s%s only.", tables[0],
						   tables[1] != NULL ? " and the extension's other tables" : ""),
				 errhint("Drop the trigger; the extension creates its own triggers.")));

	fired = 0;
	if (TRIGGER_FIRED_BY_INSERT(ev))
		fired = TRIGGER_TYPE_INSERT;
	else if (TRIGGER_FIRED_BY_UPDATE(ev))
		fired = TRIGGER_TYPE_UPDATE;
	else if (TRIGGER_FIRED_BY_DELETE(ev))
		fired = TRIGGER_TYPE_DELETE;
	else if (TRIGGER_FIRED_BY_TRUNCATE(ev))
		fired = TRIGGER_TYPE_TRUNCATE;
	if ((timing == TRIGGER_TYPE_BEFORE) != (TRIGGER_FIRED_BEFORE(ev) != 0) ||
		(timing == TRIGGER_TYPE_AFTER) != (TRIGGER_FIRED_AFTER(ev) != 0) ||
		row != (TRIGGER_FIRED_FOR_ROW(ev) != 0) || (fired & events) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s cannot fire %s %s for each %s", fname,
						TRIGGER_FIRED_BEFORE(ev) ? "BEFORE" : TRIGGER_FIRED_AFTER(ev) ? "AFTER" : "INSTEAD OF",
						event_name(ev), TRIGGER_FIRED_FOR_ROW(ev) ? "row" : "statement"),
				 errdetail("It fires %s, for each %s.", timing == TRIGGER_TYPE_BEFORE ? "before" : "after",
						   row ? "row" : "statement"),
				 errhint("Drop the trigger; the extension creates its own triggers.")));
	return td;
}

/*
 * Raises 39P01 unless column attnum (1-based) of desc has type typid: the
 * C code checks a column's type before it reads the column as that type.
 */
void
licensing_column_type_check(TupleDesc desc, int attnum, Oid typid)
{
	Form_pg_attribute a = TupleDescAttr(desc, attnum - 1);

	if (a->atttypid != typid)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("column \"%s\" is of type %s, not %s", NameStr(a->attname),
						format_type_be(a->atttypid), format_type_be(typid)),
				 errdetail("The extension reads this column as %s.", format_type_be(typid)),
				 errhint("Do not change the types of the extension's columns.")));
}
