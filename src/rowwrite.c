/*
 * rowwrite.c
 *		One row written as an INSERT or UPDATE statement would write it,
 *		without planning a statement.
 *
 * A step is one UPDATE of an application and one INSERT of its event.  As
 * planned statements through SPI, each paid for the plan's executor start
 * and end, and PostgreSQL re-read the table's CHECK from its catalog text
 * for every statement.  Here the row goes through the executor routines that
 * logical replication applies rows with (ExecSimpleRelationInsert and
 * ExecSimpleRelationUpdate): the table's row triggers, CHECK and NOT NULL
 * constraints, unique and partial indexes all act as they do for a
 * statement.  What this file adds:
 *
 *	- the row to update is found by its primary key and locked as UPDATE
 *	  locks it: in READ COMMITTED the newest version after waiting for a
 *	  concurrent writer, in REPEATABLE READ and SERIALIZABLE a serialization
 *	  failure when it changed after the transaction's snapshot;
 *	- the CHECK expressions are parsed and planned once per backend, kept by
 *	  their catalog text (a changed constraint has another text), and copied
 *	  into each write;
 *	- each index's key information (IndexInfo) and its predicate's
 *	  expression state are built once per backend and index, and kept until
 *	  the relcache says the index changed.
 *
 * rowwrite_update_usable() says when a statement must be used instead: the
 * caller is subject to row-level security or lacks the privileges, or the
 * table has rules or statement-level UPDATE triggers, which only a statement
 * fires.
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/relscan.h"
#include "access/stratnum.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/index.h"
#include "catalog/pg_trigger.h"
#include "commands/trigger.h"
#include "executor/executor.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "optimizer/optimizer.h"
#include "utils/acl.h"
#include "utils/fmgroids.h"
#include "utils/inval.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/rls.h"
#include "utils/snapmgr.h"

#include "rowwrite.h"

/* ------------------------------------------------------------------ CHECK expressions */

/* A relation's CHECK constraints, planned, with the catalog text they came from. */
typedef struct CheckCacheEntry
{
	Oid			relid;
	int			ncheck;
	char	  **ccbin;
	Expr	  **planned;
	MemoryContext cxt;
} CheckCacheEntry;

#define CHECK_CACHE_SIZE 4
static CheckCacheEntry check_cache[CHECK_CACHE_SIZE];
static int	check_cache_next;		/* the entry a miss replaces */

static bool
check_entry_matches(CheckCacheEntry *e, Relation rel)
{
	TupleConstr *constr = rel->rd_att->constr;
	int			i;

	if (e->relid != RelationGetRelid(rel) || e->ncheck != constr->num_check)
		return false;
	for (i = 0; i < e->ncheck; i++)
		if (strcmp(e->ccbin[i], constr->check[i].ccbin) != 0)
			return false;
	return true;
}

/* The planned CHECK expressions of rel, from the cache or parsed and planned now. */
static CheckCacheEntry *
check_entry(Relation rel)
{
	TupleConstr *constr = rel->rd_att->constr;
	CheckCacheEntry *e;
	MemoryContext old;
	int			i;

	for (i = 0; i < CHECK_CACHE_SIZE; i++)
		if (check_entry_matches(&check_cache[i], rel))
			return &check_cache[i];

	e = &check_cache[check_cache_next];
	check_cache_next = (check_cache_next + 1) % CHECK_CACHE_SIZE;
	if (e->cxt == NULL)
		e->cxt = AllocSetContextCreate(CacheMemoryContext, "licensing CHECK expressions",
									   ALLOCSET_SMALL_SIZES);
	else
		MemoryContextReset(e->cxt);
	e->relid = InvalidOid;		/* until complete: an error below leaves no half entry */
	old = MemoryContextSwitchTo(e->cxt);
	e->ccbin = palloc(sizeof(char *) * Max(constr->num_check, 1));
	e->planned = palloc(sizeof(Expr *) * Max(constr->num_check, 1));
	for (i = 0; i < constr->num_check; i++)
	{
		e->ccbin[i] = pstrdup(constr->check[i].ccbin);
		/* as ExecRelCheck prepares each: parsed, then expression_planner */
		e->planned[i] = expression_planner(stringToNode(constr->check[i].ccbin));
	}
	MemoryContextSwitchTo(old);
	e->ncheck = constr->num_check;
	e->relid = RelationGetRelid(rel);
	return e;
}

/* ------------------------------------------------------------------ index information */

/*
 * An index's IndexInfo as BuildIndexInfo makes it, with its predicate's
 * expression state, kept per backend: ExecOpenIndices rebuilt both for every
 * statement (copying the expressions out of the relcache and initialising
 * the predicate), for the eleven indexes a step writes.  An entry is dropped
 * when the relcache invalidates its index (REINDEX, a changed pg_class or
 * pg_index row, a dropped index); its memory is kept to the end of the
 * transaction, as a writer of this transaction may still be using it.
 */
typedef struct IndexCacheEntry
{
	Oid			indexoid;
	IndexInfo  *ii;
	MemoryContext cxt;			/* NULL: a free slot */
} IndexCacheEntry;

#define INDEX_CACHE_SIZE 16
static IndexCacheEntry index_cache[INDEX_CACHE_SIZE];
static int	index_cache_next;		/* the slot a miss replaces when all are taken */
static bool index_cache_watched;

static void
index_cache_retire(IndexCacheEntry *e)
{
	if (TopTransactionContext != NULL)
		MemoryContextSetParent(e->cxt, TopTransactionContext);
	else
		MemoryContextDelete(e->cxt);
	e->cxt = NULL;
	e->ii = NULL;
	e->indexoid = InvalidOid;
}

static void
index_cache_invalidate(Datum arg, Oid relid)
{
	int			i;

	for (i = 0; i < INDEX_CACHE_SIZE; i++)
		if (index_cache[i].cxt != NULL && (relid == InvalidOid || index_cache[i].indexoid == relid))
			index_cache_retire(&index_cache[i]);
}

/*
 * The IndexInfo of an open index for this statement: a copy of the kept one
 * (its expression lists and predicate state shared, read only), with the
 * per-statement fields of BuildIndexInfo fresh.  Called with the index
 * locked, so that the invalidations that lock brought are already applied.
 */
static IndexInfo *
index_info(Relation index)
{
	Oid			oid = RelationGetRelid(index);
	IndexCacheEntry *e = NULL;
	IndexInfo  *ii;
	int			i;

	for (i = 0; i < INDEX_CACHE_SIZE && e == NULL; i++)
		if (index_cache[i].cxt != NULL && index_cache[i].indexoid == oid)
			e = &index_cache[i];
	if (e == NULL)
	{
		MemoryContext old;
		MemoryContext cxt;

		if (!index_cache_watched)
		{
			CacheRegisterRelcacheCallback(index_cache_invalidate, (Datum) 0);
			index_cache_watched = true;
		}
		for (i = 0; i < INDEX_CACHE_SIZE && e == NULL; i++)
			if (index_cache[i].cxt == NULL)
				e = &index_cache[i];
		if (e == NULL)
		{
			e = &index_cache[index_cache_next];
			index_cache_next = (index_cache_next + 1) % INDEX_CACHE_SIZE;
			index_cache_retire(e);
		}
		cxt = AllocSetContextCreate(CacheMemoryContext, "licensing index information",
									ALLOCSET_SMALL_SIZES);
		old = MemoryContextSwitchTo(cxt);
		PG_TRY();
		{
			ii = BuildIndexInfo(index);
			/* RelationGetIndexPredicate planned it (constants folded, op funcs set) */
			if (ii->ii_Predicate != NIL)
				ii->ii_PredicateState = ExecInitQual(ii->ii_Predicate, NULL);
		}
		PG_CATCH();
		{
			MemoryContextSwitchTo(old);
			MemoryContextDelete(cxt);
			PG_RE_THROW();
		}
		PG_END_TRY();
		MemoryContextSwitchTo(old);
		e->indexoid = oid;
		e->ii = ii;
		e->cxt = cxt;
	}
	ii = palloc(sizeof(IndexInfo));
	memcpy(ii, e->ii, sizeof(IndexInfo));
	ii->ii_ExpressionsState = NIL;	/* FormIndexDatum prepares them in the statement's memory */
	ii->ii_AmCache = NULL;
	ii->ii_Context = CurrentMemoryContext;
	return ii;
}

/* ExecOpenIndices(rri, false), with each IndexInfo from index_info. */
static void
open_indices(ResultRelInfo *rri)
{
	Relation	rel = rri->ri_RelationDesc;
	List	   *oids;
	ListCell   *l;
	int			i = 0;

	rri->ri_NumIndices = 0;
	if (!RelationGetForm(rel)->relhasindex)
		return;
	oids = RelationGetIndexList(rel);
	if (oids == NIL)
		return;
	rri->ri_NumIndices = list_length(oids);
	rri->ri_IndexRelationDescs = palloc(sizeof(Relation) * list_length(oids));
	rri->ri_IndexRelationInfo = palloc(sizeof(IndexInfo *) * list_length(oids));
	foreach(l, oids)
	{
		Relation	index = index_open(lfirst_oid(l), RowExclusiveLock);

		rri->ri_IndexRelationDescs[i] = index;
		rri->ri_IndexRelationInfo[i] = index_info(index);
		i++;
	}
	list_free(oids);
}

/* ------------------------------------------------------------------ the writer */

/*
 * An executor state for writes to rel, as a statement's would be: a range
 * table of rel, its result relation with indexes open, the snapshot of the
 * active one, AFTER triggers queued until rowwrite_end.  updated_attnum, for
 * an UPDATE, is the column the statement would SET (the row triggers and the
 * tuple lock's strength look at it); 0 for an INSERT.
 */
void
rowwrite_begin(RowWriter *w, Relation rel, AttrNumber updated_attnum)
{
	RangeTblEntry *rte = makeNode(RangeTblEntry);
	TupleConstr *constr = rel->rd_att->constr;
	MemoryContext old;
	int			i;

	w->rel = rel;
	w->updated_attnum = updated_attnum;
	w->estate = CreateExecutorState();
	w->rri = makeNode(ResultRelInfo);
	rte->rtekind = RTE_RELATION;
	rte->relid = RelationGetRelid(rel);
	rte->relkind = rel->rd_rel->relkind;
	rte->rellockmode = RowExclusiveLock;
	if (updated_attnum)
		rte->updatedCols = bms_make_singleton(updated_attnum - FirstLowInvalidHeapAttributeNumber);
	ExecInitRangeTable(w->estate, list_make1(rte));
	InitResultRelInfo(w->rri, rel, 1, NULL, 0);
	/* where ExecGetTriggerResultRel finds it for the AFTER triggers */
	w->estate->es_opened_result_relations = lappend(w->estate->es_opened_result_relations, w->rri);
	w->estate->es_output_cid = GetCurrentCommandId(true);
	w->estate->es_snapshot = ActiveSnapshotSet() ? GetActiveSnapshot() : InvalidSnapshot;
	open_indices(w->rri);
	EvalPlanQualInit(&w->epq, w->estate, NULL, NIL, -1);

	old = MemoryContextSwitchTo(w->estate->es_query_cxt);
	if (constr != NULL && constr->num_check > 0)
	{
		CheckCacheEntry *e = check_entry(rel);

		w->rri->ri_ConstraintExprs = palloc(sizeof(ExprState *) * e->ncheck);
		for (i = 0; i < e->ncheck; i++)
			w->rri->ri_ConstraintExprs[i] = ExecInitExpr(copyObject(e->planned[i]), NULL);
	}
	MemoryContextSwitchTo(old);

	AfterTriggerBeginQuery();
}

/* Fires the queued AFTER row triggers and releases the executor state. */
void
rowwrite_end(RowWriter *w)
{
	AfterTriggerEndQuery(w->estate);
	EvalPlanQualEnd(&w->epq);
	ExecCloseIndices(w->rri);
	ExecResetTupleTable(w->estate->es_tupleTable, false);
	FreeExecutorState(w->estate);
}

/* Inserts one row (values and nulls in the relation's column order). */
void
rowwrite_insert(RowWriter *w, Datum *values, bool *nulls)
{
	ExecSimpleRelationInsert(w->rri, w->estate, rowwrite_slot(w, values, nulls));
}

/*
 * Whether rowwrite_update does what an UPDATE statement of the current user
 * would: the user may SELECT and UPDATE rel and is not subject to its
 * row-level security, and rel has no rules and no statement-level UPDATE
 * triggers or transition tables.
 */
bool
rowwrite_update_usable(Relation rel)
{
	TriggerDesc *td = rel->trigdesc;
	Oid			relid = RelationGetRelid(rel);

	if (rel->rd_rules != NULL || rel->rd_rel->relkind != RELKIND_RELATION)
		return false;
	if (td != NULL && (td->trig_update_before_statement || td->trig_update_after_statement ||
					   td->trig_update_old_table || td->trig_update_new_table ||
					   td->trig_update_instead_row))
		return false;
	if (pg_class_aclmask(relid, GetUserId(), ACL_SELECT | ACL_UPDATE, ACLMASK_ALL) !=
		(ACL_SELECT | ACL_UPDATE))
		return false;
	return check_enable_rls(relid, InvalidOid, true) != RLS_ENABLED;
}

/*
 * Leaves the row triggers tgoids[0..n-1] out of this writer's UPDATE: its
 * caller does their work itself, at the points where they would fire.
 */
void
rowwrite_skip_triggers(RowWriter *w, int n, const Oid *tgoids)
{
	TriggerDesc *td = w->rri->ri_TrigDesc;	/* the writer's own copy */
	bool		before = false,
				after = false;
	int			i,
				j;

	if (td == NULL)
		return;
	for (i = 0; i < td->numtriggers; i++)
	{
		Trigger    *t = &td->triggers[i];
		bool		skipped = false;

		for (j = 0; j < n; j++)
			if (t->tgoid == tgoids[j])
				skipped = true;
		if (skipped)
		{
			t->tgenabled = TRIGGER_DISABLED;
			continue;
		}
		if (TRIGGER_FOR_ROW(t->tgtype) && TRIGGER_FOR_UPDATE(t->tgtype))
		{
			if (TRIGGER_FOR_BEFORE(t->tgtype))
				before = true;
			else if (TRIGGER_FOR_AFTER(t->tgtype))
				after = true;
		}
	}
	/* so that the executor does not lock and fetch the row for none */
	td->trig_update_before_row = before;
	td->trig_update_after_row = after;
}

/*
 * The row of rel whose primary key, the single int8 column key_column, is
 * key, locked as UPDATE locks it; NULL when there is none.  The caller has
 * pushed the statement's snapshot (rowwrite_begin takes it).
 */
TupleTableSlot *
rowwrite_lock(RowWriter *w, AttrNumber key_column, int64 key)
{
	Relation	rel = w->rel;
	Oid			pkey = RelationGetPrimaryKeyIndex(rel);
	Relation	idx = NULL;
	ScanKeyData skey;
	IndexScanDesc scan;
	TupleTableSlot *oldslot = table_slot_create(rel, &w->estate->es_tupleTable);
	TM_FailureData tmfd;
	TM_Result	res;
	bool		found;
	int			i;

	for (i = 0; i < w->rri->ri_NumIndices; i++)
		if (RelationGetRelid(w->rri->ri_IndexRelationDescs[i]) == pkey)
			idx = w->rri->ri_IndexRelationDescs[i];
	if (idx == NULL || idx->rd_index->indnatts != 1 || idx->rd_index->indkey.values[0] != key_column)
		elog(ERROR, "relation \"%s\" has no primary key on column %d",
			 RelationGetRelationName(rel), key_column);

	ScanKeyInit(&skey, 1, BTEqualStrategyNumber, F_INT8EQ, Int64GetDatum(key));
	scan = index_beginscan(rel, idx, w->estate->es_snapshot, 1, 0);
	index_rescan(scan, &skey, 1, NULL, 0);
	found = index_getnext_slot(scan, ForwardScanDirection, oldslot);
	index_endscan(scan);
	if (!found)
		return NULL;

	/*
	 * Lock it as UPDATE's row trigger lock does (GetTupleForTrigger): in READ
	 * COMMITTED the newest version, after any concurrent writer ends.
	 */
	res = table_tuple_lock(rel, &oldslot->tts_tid, w->estate->es_snapshot, oldslot,
						   w->estate->es_output_cid, ExecUpdateLockMode(w->estate, w->rri),
						   LockWaitBlock,
						   IsolationUsesXactSnapshot() ? 0 : TUPLE_LOCK_FLAG_FIND_LAST_VERSION,
						   &tmfd);
	switch (res)
	{
		case TM_Ok:
			break;
		case TM_Deleted:
			if (IsolationUsesXactSnapshot())
				ereport(ERROR,
						(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
						 errmsg("could not serialize access due to concurrent delete")));
			return NULL;
		case TM_Updated:
			ereport(ERROR,
					(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
					 errmsg("could not serialize access due to concurrent update")));
			break;
		case TM_SelfModified:
			ereport(ERROR,
					(errcode(ERRCODE_TRIGGERED_DATA_CHANGE_VIOLATION),
					 errmsg("tuple to be updated was already modified by an operation triggered by the current command")));
			break;
		default:
			elog(ERROR, "unexpected table_tuple_lock status: %u", res);
	}
	if (tmfd.traversed)
	{
		/* a newer version: the WHERE clause again, as EvalPlanQual would */
		bool		keynull;
		Datum		k = slot_getattr(oldslot, key_column, &keynull);

		if (keynull || DatumGetInt64(k) != key)
			return NULL;
	}
	return oldslot;
}

/*
 * A virtual slot of the writer holding the row values, isnull (in the
 * relation's column order; by-reference values are not copied).
 */
TupleTableSlot *
rowwrite_slot(RowWriter *w, Datum *values, bool *isnull)
{
	TupleDesc	desc = RelationGetDescr(w->rel);
	TupleTableSlot *slot = ExecInitExtraTupleSlot(w->estate, desc, &TTSOpsVirtual);

	ExecClearTuple(slot);
	memcpy(slot->tts_values, values, sizeof(Datum) * desc->natts);
	memcpy(slot->tts_isnull, isnull, sizeof(bool) * desc->natts);
	return ExecStoreVirtualTuple(slot);
}

/*
 * Replaces the row of oldslot (locked by rowwrite_lock) with newslot's,
 * through the BEFORE triggers, constraints, indexes and queued AFTER
 * triggers.  False when a BEFORE trigger skipped it (as the statement would
 * update no row); else newslot holds the row as written.
 */
bool
rowwrite_replace(RowWriter *w, TupleTableSlot *oldslot, TupleTableSlot *newslot)
{
	ItemPointerData oldtid = oldslot->tts_tid;

	ExecSimpleRelationUpdate(w->rri, w->estate, &w->epq, oldslot, newslot);
	/* the table AM gave the slot the new version's TID; a BEFORE trigger that skipped did not */
	return ItemPointerIsValid(&newslot->tts_tid) && !ItemPointerEquals(&newslot->tts_tid, &oldtid);
}

/*
 * UPDATE rel SET column = value WHERE key_column = key (rowwrite_lock); the
 * column is the updated_attnum of rowwrite_begin.  Returns the new row as the
 * BEFORE triggers left it (a slot of the writer's executor state), or NULL
 * when no row has that key or a BEFORE trigger skipped the update.
 */
TupleTableSlot *
rowwrite_update(RowWriter *w, AttrNumber key_column, int64 key, Datum value, bool isnull)
{
	TupleTableSlot *oldslot = rowwrite_lock(w, key_column, key);
	TupleTableSlot *newslot;

	if (oldslot == NULL)
		return NULL;
	slot_getallattrs(oldslot);
	newslot = rowwrite_slot(w, oldslot->tts_values, oldslot->tts_isnull);
	newslot->tts_values[w->updated_attnum - 1] = value;
	newslot->tts_isnull[w->updated_attnum - 1] = isnull;
	return rowwrite_replace(w, oldslot, newslot) ? newslot : NULL;
}
