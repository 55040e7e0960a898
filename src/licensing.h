/*
 * licensing.h
 *		Declarations shared by the C files of the licensing extension.
 */
#ifndef LICENSING_H
#define LICENSING_H

#include "postgres.h"
#include "fmgr.h"

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

#endif
