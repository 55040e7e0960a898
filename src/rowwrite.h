/*
 * rowwrite.h
 *		One row written as an INSERT or UPDATE statement would write it,
 *		without planning a statement (rowwrite.c).
 */
#ifndef LICENSING_ROWWRITE_H
#define LICENSING_ROWWRITE_H

#include "postgres.h"
#include "executor/execdesc.h"
#include "nodes/execnodes.h"
#include "utils/relcache.h"

typedef struct RowWriter
{
	Relation	rel;
	AttrNumber	updated_attnum;	/* the column an UPDATE sets; 0 for INSERT */
	EState	   *estate;
	ResultRelInfo *rri;
	EPQState	epq;
} RowWriter;

extern void rowwrite_begin(RowWriter *w, Relation rel, AttrNumber updated_attnum);
extern void rowwrite_end(RowWriter *w);
extern void rowwrite_insert(RowWriter *w, Datum *values, bool *nulls);
extern bool rowwrite_update_usable(Relation rel);
extern TupleTableSlot *rowwrite_update(RowWriter *w, AttrNumber key_column, int64 key,
									   Datum value, bool isnull);
extern void rowwrite_skip_triggers(RowWriter *w, int n, const Oid *tgoids);
extern TupleTableSlot *rowwrite_lock(RowWriter *w, AttrNumber key_column, int64 key);
extern TupleTableSlot *rowwrite_slot(RowWriter *w, Datum *values, bool *isnull);
extern bool rowwrite_replace(RowWriter *w, TupleTableSlot *oldslot, TupleTableSlot *newslot);

#endif
