/*
 * history.c
 *		The hash chain of licensing.application_event.
 *
 * Each event's hash is SHA-256 over the previous event's hash (of the same
 * application; nothing for the first) followed by the RFC 8785 canonical JSON
 * of the event (application, seq, at in UTC, actor, what, from, to, payload).
 * The same routine serves the append and licensing.verify_history(), so a
 * chain built by one is checked by exactly the same encoding.
 *
 * licensing._row_json() is the row as the history records it: to_jsonb of
 * the row without updated_at, with TimeZone UTC and bytea_output hex so the
 * encoding is the same in every session.  It swaps the two settings' values
 * for the call only (no GUC machinery: that cost more than the encoding).
 * Its two-argument form encodes only the named columns, each exactly as the
 * whole-row form does (to_jsonb of the column): the after-update trigger
 * records the few columns a step changes without encoding the whole row.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "common/cryptohash.h"
#include "common/sha2.h"
#include "fmgr.h"
#include "nodes/makefuncs.h"
#include "pgtime.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/bytea.h"
#include "utils/fmgroids.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"

#include "workflow.h"

/*
 * licensing._event_hash(prev bytea, body jsonb) RETURNS bytea
 */
PG_FUNCTION_INFO_V1(licensing_event_hash);
Datum
licensing_event_hash(PG_FUNCTION_ARGS)
{
	Jsonb	   *body;
	char	   *canon;
	pg_cryptohash_ctx *ctx;
	bytea	   *result;

	if (PG_ARGISNULL(1))
		PG_RETURN_NULL();
	body = PG_GETARG_JSONB_P(1);
	canon = canonical_json_cstring(body);

	ctx = pg_cryptohash_create(PG_SHA256);
	if (ctx == NULL || pg_cryptohash_init(ctx) < 0)
		elog(ERROR, "could not initialise SHA-256: %s", pg_cryptohash_error(ctx));
	if (!PG_ARGISNULL(0))
	{
		bytea	   *prev = PG_GETARG_BYTEA_PP(0);

		if (pg_cryptohash_update(ctx, (uint8 *) VARDATA_ANY(prev), VARSIZE_ANY_EXHDR(prev)) < 0)
			elog(ERROR, "could not compute SHA-256: %s", pg_cryptohash_error(ctx));
	}
	result = (bytea *) palloc(VARHDRSZ + PG_SHA256_DIGEST_LENGTH);
	SET_VARSIZE(result, VARHDRSZ + PG_SHA256_DIGEST_LENGTH);
	if (pg_cryptohash_update(ctx, (uint8 *) canon, strlen(canon)) < 0 ||
		pg_cryptohash_final(ctx, (uint8 *) VARDATA(result), PG_SHA256_DIGEST_LENGTH) < 0)
		elog(ERROR, "could not compute SHA-256: %s", pg_cryptohash_error(ctx));
	pg_cryptohash_free(ctx);
	PG_RETURN_BYTEA_P(result);
}

typedef struct RowJsonCache
{
	Oid			typid;			/* the row type to_jsonb was set up for */
	FmgrInfo	to_jsonb;		/* with an fn_expr naming that type */
	pg_tz	   *utc;
	Datum		updated_at;		/* the key left out, as text */
} RowJsonCache;

/*
 * licensing._row_json(a licensing.application) RETURNS jsonb
 *
 * to_jsonb(a) - 'updated_at', computed with TimeZone = 'UTC' and
 * bytea_output = 'hex' whatever the session says.
 */
PG_FUNCTION_INFO_V1(licensing_row_json);
Datum
licensing_row_json(PG_FUNCTION_ARGS)
{
	HeapTupleHeader row = PG_GETARG_HEAPTUPLEHEADER(0);
	Oid			typid = HeapTupleHeaderGetTypeId(row);
	RowJsonCache *c = (RowJsonCache *) fcinfo->flinfo->fn_extra;
	pg_tz	   *save_tz = session_timezone;
	int			save_bytea = bytea_output;
	Datum		j;

	if (c == NULL || c->typid != typid)
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);

		c = palloc0(sizeof(RowJsonCache));
		fmgr_info_cxt(F_TO_JSONB, &c->to_jsonb, fcinfo->flinfo->fn_mcxt);
		/* to_jsonb reads its argument's type from the call expression */
		c->to_jsonb.fn_expr = (Node *) makeFuncExpr(F_TO_JSONB, JSONBOID,
													list_make1(makeNullConst(typid, -1, InvalidOid)),
													InvalidOid, InvalidOid, COERCE_EXPLICIT_CALL);
		c->utc = pg_tzset("UTC");
		if (c->utc == NULL)
			elog(ERROR, "time zone \"UTC\" is not known");
		c->updated_at = CStringGetTextDatum("updated_at");
		c->typid = typid;
		MemoryContextSwitchTo(old);
		fcinfo->flinfo->fn_extra = c;
	}
	PG_TRY();
	{
		session_timezone = c->utc;
		bytea_output = BYTEA_OUTPUT_HEX;
		j = FunctionCall1Coll(&c->to_jsonb, InvalidOid, PointerGetDatum(row));
	}
	PG_FINALLY();
	{
		session_timezone = save_tz;
		bytea_output = save_bytea;
	}
	PG_END_TRY();
	PG_RETURN_DATUM(DirectFunctionCall2(jsonb_delete, j, c->updated_at));
}

typedef struct ColsJsonCache
{
	Oid			typid;			/* the row type the columns belong to */
	int			natts;
	FmgrInfo   *to_jsonb;		/* [natts]: to_jsonb set up for each column's type */
	bool	   *ready;			/* [natts] */
	pg_tz	   *utc;
} ColsJsonCache;

/*
 * licensing._row_json(a licensing.application, columns text[]) RETURNS jsonb
 *
 * The object of the named columns of _row_json(a), each with the value
 * _row_json(a) gives it (to_jsonb of the column, TimeZone UTC, bytea hex),
 * without encoding the rest of the row.  A name that is not a column is an
 * error.
 */
PG_FUNCTION_INFO_V1(licensing_row_json_columns);
Datum
licensing_row_json_columns(PG_FUNCTION_ARGS)
{
	HeapTupleHeader row = PG_GETARG_HEAPTUPLEHEADER(0);
	ArrayType  *names = PG_GETARG_ARRAYTYPE_P(1);
	Oid			typid = HeapTupleHeaderGetTypeId(row);
	ColsJsonCache *c = (ColsJsonCache *) fcinfo->flinfo->fn_extra;
	TupleDesc	desc;
	HeapTupleData tuple;
	Datum	   *keys;
	bool	   *keynulls;
	int			nkeys,
				i;
	JsonbParseState *state = NULL;
	JsonbValue *res;
	pg_tz	   *save_tz = session_timezone;
	int			save_bytea = bytea_output;

	desc = lookup_rowtype_tupdesc(typid, HeapTupleHeaderGetTypMod(row));
	if (c == NULL || c->typid != typid || c->natts != desc->natts)
	{
		c = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(ColsJsonCache));
		c->typid = typid;
		c->natts = desc->natts;
		c->to_jsonb = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(FmgrInfo) * Max(desc->natts, 1));
		c->ready = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(bool) * Max(desc->natts, 1));
		c->utc = pg_tzset("UTC");
		if (c->utc == NULL)
			elog(ERROR, "time zone \"UTC\" is not known");
		fcinfo->flinfo->fn_extra = c;
	}
	tuple.t_len = HeapTupleHeaderGetDatumLength(row);
	ItemPointerSetInvalid(&tuple.t_self);
	tuple.t_tableOid = InvalidOid;
	tuple.t_data = row;

	deconstruct_array(names, TEXTOID, -1, false, TYPALIGN_INT, &keys, &keynulls, &nkeys);
	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	for (i = 0; i < nkeys; i++)
	{
		char	   *name;
		int			att;
		JsonbValue	k,
					v;
		bool		isnull;
		Datum		d;

		if (keynulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("column names must not be NULL")));
		name = TextDatumGetCString(keys[i]);
		for (att = 0; att < desc->natts; att++)
		{
			Form_pg_attribute a = TupleDescAttr(desc, att);

			if (!a->attisdropped && strcmp(NameStr(a->attname), name) == 0)
				break;
		}
		if (att == desc->natts)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_COLUMN),
					 errmsg("row type %s has no column \"%s\"", format_type_be(typid), name)));
		if (!c->ready[att])
		{
			MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);

			fmgr_info_cxt(F_TO_JSONB, &c->to_jsonb[att], fcinfo->flinfo->fn_mcxt);
			/* to_jsonb reads its argument's type from the call expression */
			c->to_jsonb[att].fn_expr =
				(Node *) makeFuncExpr(F_TO_JSONB, JSONBOID,
									  list_make1(makeNullConst(TupleDescAttr(desc, att)->atttypid, -1, InvalidOid)),
									  InvalidOid, InvalidOid, COERCE_EXPLICIT_CALL);
			MemoryContextSwitchTo(old);
			c->ready[att] = true;
		}
		k.type = jbvString;
		k.val.string.val = name;
		k.val.string.len = strlen(name);
		pushJsonbValue(&state, WJB_KEY, &k);
		d = heap_getattr(&tuple, att + 1, desc, &isnull);
		if (isnull)
			v.type = jbvNull;
		else
		{
			Jsonb	   *j;

			PG_TRY();
			{
				session_timezone = c->utc;
				bytea_output = BYTEA_OUTPUT_HEX;
				j = DatumGetJsonbP(FunctionCall1Coll(&c->to_jsonb[att], InvalidOid, d));
			}
			PG_FINALLY();
			{
				session_timezone = save_tz;
				bytea_output = save_bytea;
			}
			PG_END_TRY();
			if (JB_ROOT_IS_SCALAR(j))
			{
				if (!JsonbExtractScalar(&j->root, &v))
					elog(ERROR, "could not read a scalar jsonb");
			}
			else
			{
				v.type = jbvBinary;
				v.val.binary.data = &j->root;
				v.val.binary.len = VARSIZE(j) - VARHDRSZ;
			}
		}
		pushJsonbValue(&state, WJB_VALUE, &v);
	}
	res = pushJsonbValue(&state, WJB_END_OBJECT, NULL);
	ReleaseTupleDesc(desc);
	PG_RETURN_JSONB_P(JsonbValueToJsonb(res));
}

/*
 * licensing._utc(at timestamptz) RETURNS text
 *
 * to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'): the UTC
 * value of a timestamptz is its stored value, so to_char(timestamp) is
 * called on it directly; an infinite moment gives NULL, as to_char does.
 */
PG_FUNCTION_INFO_V1(licensing_utc);
Datum
licensing_utc(PG_FUNCTION_ARGS)
{
	static text *format = NULL;
	TimestampTz at = PG_GETARG_TIMESTAMPTZ(0);

	if (TIMESTAMP_NOT_FINITE(at))
		PG_RETURN_NULL();
	if (format == NULL)
	{
		text	   *f = cstring_to_text("YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"");
		text	   *keep = MemoryContextAlloc(TopMemoryContext, VARSIZE(f));

		memcpy(keep, f, VARSIZE(f));
		format = keep;
	}
	PG_RETURN_DATUM(DirectFunctionCall2(timestamp_to_char, TimestampGetDatum((Timestamp) at),
										PointerGetDatum(format)));
}
