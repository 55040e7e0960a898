/*
 * licensing.h
 *		Declarations shared by the C files of the licensing extension.
 */
#ifndef LICENSING_H
#define LICENSING_H

#include "postgres.h"
#include "fmgr.h"
#include "access/tupdesc.h"
#include "catalog/pg_trigger.h"	/* TRIGGER_TYPE_* */

#include "idcore.h"

/* licensing.iin and licensing.bin are stored like int8. */
#define DatumGetIdentifier(d)	DatumGetInt64(d)
#define IdentifierGetDatum(v)	Int64GetDatum(v)
#define PG_GETARG_IDENTIFIER(n) PG_GETARG_INT64(n)
#define PG_RETURN_IDENTIFIER(v) PG_RETURN_INT64(v)

/*
 * Parses text as an IIN or BIN.  With raise = true an invalid value is an
 * error 22P02 naming the value and the rule; with raise = false it returns
 * false instead.  (identifiers.c)
 */
extern bool identifier_parse(const char *s, size_t len, IdKind kind,
							 int64 *value, bool raise);

/*
 * Where a trigger function of licensing fires (triggers.c): raises 39P01
 * unless called as a trigger at timing (TRIGGER_TYPE_BEFORE or _AFTER), row
 * or statement level, by one of events (TRIGGER_TYPE_INSERT | ...), on
 * licensing.T for one of the NULL-terminated table names T (or a partition of
 * one).  And a column's type checked before C reads it as that type.
 */
struct TriggerData;
extern struct TriggerData *licensing_trigger_check(FunctionCallInfo fcinfo, const char *fname,
												   const char *const *tables, int timing,
												   bool row, int events);
extern void licensing_column_type_check(TupleDesc desc, int attnum, Oid typid);

#endif
