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

#include <openssl/evp.h>

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "nodes/makefuncs.h"
#include "pgtime.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/bytea.h"
#include "utils/fmgroids.h"
#include "utils/datetime.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"
#include "utils/syscache.h"
#include "utils/typcache.h"

#include "licensing.h"
#include "workflow.h"

/*
 * SHA-256 of prev (may be NULL) followed by canon, the canonical JSON of an
 * event's body, as a bytea.  OpenSSL's, with the digest fetched once per
 * backend and one context reused: an implicit fetch at every init cost more
 * than hashing a step's few hundred bytes.  Both live for the backend's life.
 */
static bytea *
event_hash_canonical(bytea *prev, const char *canon, size_t len)
{
	static EVP_MD *sha256 = NULL;
	static EVP_MD_CTX *ctx = NULL;
	bytea	   *result;
	unsigned int hashlen = 0;

	if (sha256 == NULL && (sha256 = EVP_MD_fetch(NULL, "SHA256", NULL)) == NULL)
		elog(ERROR, "could not fetch SHA-256 from OpenSSL");
	if (ctx == NULL && (ctx = EVP_MD_CTX_new()) == NULL)
		elog(ERROR, "out of memory for an OpenSSL digest context");
	result = (bytea *) palloc(VARHDRSZ + EVP_MAX_MD_SIZE);
	if (EVP_DigestInit_ex(ctx, sha256, NULL) != 1 ||
		(prev != NULL && EVP_DigestUpdate(ctx, VARDATA_ANY(prev), VARSIZE_ANY_EXHDR(prev)) != 1) ||
		EVP_DigestUpdate(ctx, canon, len) != 1 ||
		EVP_DigestFinal_ex(ctx, (unsigned char *) VARDATA(result), &hashlen) != 1 || hashlen != 32)
		elog(ERROR, "could not compute SHA-256");
	SET_VARSIZE(result, VARHDRSZ + hashlen);
	return result;
}

/* The hash of an event whose body is a jsonb value (verify_history's way). */
static bytea *
event_hash(bytea *prev, Jsonb *body)
{
	char	   *canon = canonical_json_cstring(body);
	bytea	   *result = event_hash_canonical(prev, canon, strlen(canon));

	pfree(canon);
	return result;
}

/*
 * licensing._event_hash(prev bytea, body jsonb) RETURNS bytea
 */
PG_FUNCTION_INFO_V1(licensing_event_hash);
Datum
licensing_event_hash(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(1))
		PG_RETURN_NULL();
	PG_RETURN_BYTEA_P(event_hash(PG_ARGISNULL(0) ? NULL : PG_GETARG_BYTEA_PP(0), PG_GETARG_JSONB_P(1)));
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
	j = DirectFunctionCall2(jsonb_delete, j, c->updated_at);
	/*
	 * correction_reason (1.1, issue #14) while NULL is left out too: the
	 * applications of 1.0 were created (their first event records this row)
	 * without it, and a correction sets it, never back to NULL.
	 */
	{
		JsonbValue	v;
		Jsonb	   *jb = DatumGetJsonbP(j);

		if (getKeyJsonValueFromContainer(&jb->root, "correction_reason", strlen("correction_reason"), &v) != NULL &&
			v.type == jbvNull)
			j = DirectFunctionCall2(jsonb_delete, j, CStringGetTextDatum("correction_reason"));
	}
	PG_RETURN_DATUM(j);
}

/*
 * to_jsonb set up once per column type of the application row: the column
 * encoder of the records and of licensing._row_json(a, columns).  Kept for
 * the backend's life (a column's type never changes under a running backend
 * without the row type's natts or oid changing too, which rebuilds it).
 */
typedef struct ColsJsonCache
{
	Oid			typid;			/* the row type the columns belong to */
	int			natts;
	FmgrInfo   *to_jsonb;		/* [natts]: to_jsonb set up for each column's type */
	Oid		   *ready;			/* [natts]: the column type to_jsonb was set up for, or 0 */
	pg_tz	   *utc;
} ColsJsonCache;

static ColsJsonCache *cols_cache = NULL;

static ColsJsonCache *
cols_cache_for(TupleDesc desc)
{
	ColsJsonCache *c = cols_cache;

	if (c == NULL || c->typid != desc->tdtypeid || c->natts != desc->natts)
	{
		MemoryContext cxt = TopMemoryContext;

		if (c != NULL)
		{
			pfree(c->to_jsonb);
			pfree(c->ready);
			pfree(c);
			cols_cache = NULL;
		}
		c = MemoryContextAllocZero(cxt, sizeof(ColsJsonCache));
		c->typid = desc->tdtypeid;
		c->natts = desc->natts;
		c->to_jsonb = MemoryContextAllocZero(cxt, sizeof(FmgrInfo) * Max(desc->natts, 1));
		c->ready = MemoryContextAllocZero(cxt, sizeof(Oid) * Max(desc->natts, 1));
		c->utc = pg_tzset("UTC");
		if (c->utc == NULL)
			elog(ERROR, "time zone \"UTC\" is not known");
		cols_cache = c;
	}
	return c;
}

/*
 * The jsonb scalar to_jsonb gives a value of the types a step changes (text,
 * integers, boolean, moments in UTC, dates) without a call through fmgr and
 * the type's output function; false for any other type, which the caller
 * encodes with to_jsonb itself.
 */
static bool
column_scalar(Datum d, Oid typid, JsonbValue *v)
{
	static const int utc = 0;
	char		buf[MAXDATELEN + 1];

	switch (typid)
	{
		case TEXTOID:
			{
				text	   *t = DatumGetTextPP(d);

				v->type = jbvString;
				v->val.string.val = VARDATA_ANY(t);
				v->val.string.len = VARSIZE_ANY_EXHDR(t);
				return true;
			}
		case INT4OID:
			v->type = jbvNumeric;
			v->val.numeric = int64_to_numeric(DatumGetInt32(d));
			return true;
		case INT8OID:
			v->type = jbvNumeric;
			v->val.numeric = int64_to_numeric(DatumGetInt64(d));
			return true;
		case BOOLOID:
			v->type = jbvBool;
			v->val.boolean = DatumGetBool(d);
			return true;
		case TIMESTAMPTZOID:
		case DATEOID:
			/* what to_jsonb writes with TimeZone UTC: the offset +00:00, as an explicit zone */
			JsonEncodeDateTime(buf, d, typid, typid == TIMESTAMPTZOID ? &utc : NULL);
			v->type = jbvString;
			v->val.string.val = pstrdup(buf);
			v->val.string.len = strlen(buf);
			return true;
		default:
			return false;
	}
}

/*
 * The object of the named columns (NULL-terminated list) of a row, given
 * deformed (values and isnull by column), each with the value _row_json(a)
 * gives it: to_jsonb of the column, TimeZone UTC, bytea hex.  A name that is
 * not a column is an error.
 */
Jsonb *
history_row_json_columns(Datum *values, bool *isnulls, TupleDesc desc, const char *const *names)
{
	ColsJsonCache *c = cols_cache_for(desc);
	JsonbParseState *state = NULL;
	JsonbValue *res;
	pg_tz	   *save_tz = session_timezone;
	int			save_bytea = bytea_output;

	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	for (; *names; names++)
	{
		const char *name = *names;
		int			att;
		JsonbValue	k,
					v;
		bool		isnull;
		Datum		d;

		att = workflow_attnum(desc, name, true) - 1;
		if (att < 0)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_COLUMN),
					 errmsg("row type %s has no column \"%s\"", format_type_be(desc->tdtypeid), name)));
		/* ALTER COLUMN TYPE keeps the row type and its number of columns */
		if (c->ready[att] != TupleDescAttr(desc, att)->atttypid)
		{
			MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);

			fmgr_info_cxt(F_TO_JSONB, &c->to_jsonb[att], TopMemoryContext);
			/* to_jsonb reads its argument's type from the call expression */
			c->to_jsonb[att].fn_expr =
				(Node *) makeFuncExpr(F_TO_JSONB, JSONBOID,
									  list_make1(makeNullConst(TupleDescAttr(desc, att)->atttypid, -1, InvalidOid)),
									  InvalidOid, InvalidOid, COERCE_EXPLICIT_CALL);
			MemoryContextSwitchTo(old);
			c->ready[att] = TupleDescAttr(desc, att)->atttypid;
		}
		k.type = jbvString;
		k.val.string.val = (char *) name;
		k.val.string.len = strlen(name);
		pushJsonbValue(&state, WJB_KEY, &k);
		d = values[att];
		isnull = isnulls[att];
		if (isnull)
			v.type = jbvNull;
		else if (column_scalar(d, TupleDescAttr(desc, att)->atttypid, &v))
			;
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
	return JsonbValueToJsonb(res);
}

/*
 * licensing._row_json(a licensing.application, columns text[]) RETURNS jsonb
 *
 * The object of the named columns of _row_json(a), without encoding the rest
 * of the row.
 */
PG_FUNCTION_INFO_V1(licensing_row_json_columns);
Datum
licensing_row_json_columns(PG_FUNCTION_ARGS)
{
	HeapTupleHeader row = PG_GETARG_HEAPTUPLEHEADER(0);
	ArrayType  *names = PG_GETARG_ARRAYTYPE_P(1);
	TupleDesc	desc;
	HeapTupleData tuple;
	Datum	   *keys;
	bool	   *keynulls;
	const char **list;
	int			nkeys,
				i;
	Jsonb	   *result;
	Datum	   *values;
	bool	   *isnulls;

	desc = lookup_rowtype_tupdesc(HeapTupleHeaderGetTypeId(row), HeapTupleHeaderGetTypMod(row));
	tuple.t_len = HeapTupleHeaderGetDatumLength(row);
	ItemPointerSetInvalid(&tuple.t_self);
	tuple.t_tableOid = InvalidOid;
	tuple.t_data = row;

	deconstruct_array(names, TEXTOID, -1, false, TYPALIGN_INT, &keys, &keynulls, &nkeys);
	list = palloc(sizeof(char *) * (nkeys + 1));
	for (i = 0; i < nkeys; i++)
	{
		if (keynulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("column names must not be NULL")));
		list[i] = TextDatumGetCString(keys[i]);
	}
	list[nkeys] = NULL;
	values = palloc(sizeof(Datum) * desc->natts);
	isnulls = palloc(sizeof(bool) * desc->natts);
	heap_deform_tuple(&tuple, desc, values, isnulls);
	result = history_row_json_columns(values, isnulls, desc, list);
	ReleaseTupleDesc(desc);
	PG_RETURN_JSONB_P(result);
}

/* v (0 <= v < 10^width) as width digits, then after; returns the end (as %0*d, without printf) */
static char *
put_digits(char *p, int v, int width, char after)
{
	int			i;

	for (i = width - 1; i >= 0; i--)
	{
		p[i] = '0' + v % 10;
		v /= 10;
	}
	p[width] = after;
	return p + width + 1;
}

/*
 * licensing._utc(at timestamptz) RETURNS text
 *
 * to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'): the UTC
 * value of a timestamptz is its stored value, so it is broken down without a
 * zone; years 1-9999 are printed directly, others (BC, beyond 9999) through
 * to_char itself.  An infinite moment gives NULL, as to_char does.
 */
PG_FUNCTION_INFO_V1(licensing_utc);
Datum
licensing_utc(PG_FUNCTION_ARGS)
{
	static text *format = NULL;
	TimestampTz at = PG_GETARG_TIMESTAMPTZ(0);
	struct pg_tm tm;
	fsec_t		fsec;
	char		buf[32];

	if (TIMESTAMP_NOT_FINITE(at))
		PG_RETURN_NULL();
	/* years 1-9999: the digits to_char writes, without parsing its format */
	if (timestamp2tm((Timestamp) at, NULL, &tm, &fsec, NULL, NULL) == 0 &&
		tm.tm_year >= 1 && tm.tm_year <= 9999)
	{
		char	   *p = buf;

		p = put_digits(p, tm.tm_year, 4, '-');
		p = put_digits(p, tm.tm_mon, 2, '-');
		p = put_digits(p, tm.tm_mday, 2, 'T');
		p = put_digits(p, tm.tm_hour, 2, ':');
		p = put_digits(p, tm.tm_min, 2, ':');
		p = put_digits(p, tm.tm_sec, 2, '.');
		p = put_digits(p, (int) fsec, 6, 'Z');
		PG_RETURN_TEXT_P(cstring_to_text_with_len(buf, p - buf));
	}
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

/* ------------------------------------------------------------------ append */

static SPIPlanPtr provider_plan;

/* Appends ,"key": and a canonical string, or null. */
static void
body_text(StringInfo out, const char *key, const char *value)
{
	appendStringInfo(out, ",\"%s\":", key);
	if (value == NULL)
		appendStringInfoString(out, "null");
	else
		canonical_json_string(out, value, strlen(value));
}

/*
 * The acting person's IIN at the provider: a staff member's, or the portal's
 * individual.  False when there is none; else *iin is the int8 value (check
 * digit verified) that the event's licensing.iin column actor_iin holds.
 */
static bool
actor_iin(const char *role, const char *provider, int64 *iin)
{
	const char *person = staff_iin(role, provider);

	if (person == NULL)
		person = workflow_acting_for();
	return person != NULL && identifier_parse(person, strlen(person), ID_IIN, iin, false);
}

/*
 * The kept plans of the append: the chain's last event, and the INSERT.
 * Both are statements run by the executor, so the event table may be
 * partitioned, and hooks, privileges, triggers, policies and publications
 * see the INSERT as any other.  In READ COMMITTED each statement takes a
 * fresh snapshot, so the last event is one another session committed while
 * this one waited for the application's row lock.
 */
/* The parameters of the INSERT, in its column order. */
enum
{
	EV_APPLICATION, EV_SEQ, EV_AT, EV_ACTOR_ROLE, EV_ACTOR_IIN, EV_WHAT, EV_FROM, EV_TO,
	EV_PAYLOAD, EV_PREV_HASH, EV_HASH, EV_STEP, EV_STEP_POSITION, EV_STEP_PERFORMER,
	EV_STEP_STARTED_AT, EV_STEP_DUE_AT,
	EV_COUNT
};

static SPIPlanPtr last_plan,
			insert_plan;

/* The seq of an application's last event and its hash (0 and NULL when it has none). */
static int32
event_last(int64 app, bytea **hash)
{
	Datum		vals[1];
	bool		isnull;
	Datum		d;
	int32		seq;

	*hash = NULL;
	if (last_plan == NULL)
	{
		Oid			types[1] = {INT8OID};

		last_plan = workflow_prepare("SELECT e.seq, e.hash FROM licensing.application_event e "
									 "WHERE e.application OPERATOR(pg_catalog.=) $1 "
									 "ORDER BY e.seq DESC LIMIT 1", 1, types);
	}
	vals[0] = Int64GetDatum(app);
	workflow_execute(last_plan, vals, NULL, SPI_OK_SELECT, 1);
	if (SPI_processed == 0)
		return 0;
	seq = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull);
	if (!isnull)
		*hash = DatumGetByteaPCopy(d);
	return seq;
}

/*
 * Appends one event to an application's chain: the next seq, the acting role
 * and person, the moment of the workflow clock, and the SHA-256 over the
 * previous hash and the canonical JSON of the event.  closed, when present,
 * is the step the event closed (columns outside the hashed body, checked by
 * verify_history against the payload that opened the step).  The caller
 * holds the application's row lock.
 */
void
history_append(int64 app, const char *provider, const char *what,
			   const char *from_state, const char *to_state,
			   Jsonb *payload, const StepFacts *closed)
{
	TimestampTz at = workflow_clock();
	char	   *role = workflow_actor_name();
	int64		iin;
	bool		has_iin = actor_iin(role, provider, &iin);
	char		iin_text[ID_DIGITS + 1];
	bytea	   *prev;
	int32		seq;
	bytea	   *hash;
	StringInfoData body;
	Datum		values[EV_COUNT];
	char		nulls[EV_COUNT];
	int			i;
	text	   *at_text;
	int			level = workflow_pin_search_path();

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	seq = event_last(app, &prev) + 1;
	if (payload == NULL)
		payload = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum("{}")));
	at_text = DatumGetTextPP(DirectFunctionCall1(licensing_utc, TimestampTzGetDatum(at)));
	if (has_iin)
		id_format(iin, iin_text);

	/*
	 * The hashed body: the canonical JSON of the object verify_history builds
	 * with jsonb_build_object, written directly with its members in canonical
	 * order (actor_iin < actor_role < application < at < from < payload < seq
	 * < to < what).
	 */
	initStringInfo(&body);
	appendStringInfoString(&body, "{\"actor_iin\":");
	if (has_iin)
		canonical_json_string(&body, iin_text, strlen(iin_text));
	else
		appendStringInfoString(&body, "null");
	body_text(&body, "actor_role", role);
	appendStringInfoString(&body, ",\"application\":");
	canonical_json_int64(&body, app);
	body_text(&body, "at", text_to_cstring(at_text));
	body_text(&body, "from", from_state);
	appendStringInfoString(&body, ",\"payload\":");
	canonical_json_append(&body, payload);
	appendStringInfoString(&body, ",\"seq\":");
	canonical_json_int64(&body, seq);
	body_text(&body, "to", to_state);
	body_text(&body, "what", what);
	appendStringInfoChar(&body, '}');
	hash = event_hash_canonical(prev, body.data, body.len);

	/* the row, as an INSERT statement of the current user writes it */
	for (i = 0; i < EV_COUNT; i++)
	{
		values[i] = (Datum) 0;
		nulls[i] = 'n';
	}
#define SET(col, value) (values[col] = (value), nulls[col] = ' ')
	SET(EV_APPLICATION, Int64GetDatum(app));
	SET(EV_SEQ, Int32GetDatum(seq));
	SET(EV_AT, TimestampTzGetDatum(at));
	SET(EV_ACTOR_ROLE, DirectFunctionCall1(namein, CStringGetDatum(role)));
	if (has_iin)
		SET(EV_ACTOR_IIN, Int64GetDatum(iin));
	SET(EV_WHAT, CStringGetTextDatum(what));
	if (from_state)
		SET(EV_FROM, CStringGetTextDatum(from_state));
	if (to_state)
		SET(EV_TO, CStringGetTextDatum(to_state));
	SET(EV_PAYLOAD, JsonbPGetDatum(payload));
	if (prev)
		SET(EV_PREV_HASH, PointerGetDatum(prev));
	SET(EV_HASH, PointerGetDatum(hash));
	if (closed != NULL && closed->present)
	{
		SET(EV_STEP, CStringGetTextDatum(closed->step));
		SET(EV_STEP_POSITION, Int32GetDatum(closed->position));
		if (closed->performer)
			SET(EV_STEP_PERFORMER, CStringGetTextDatum(closed->performer));
		SET(EV_STEP_STARTED_AT, TimestampTzGetDatum(closed->started_at));
		SET(EV_STEP_DUE_AT, TimestampTzGetDatum(closed->due_at));
	}
#undef SET
	if (insert_plan == NULL)
	{
		Oid			types[EV_COUNT] = {INT8OID, INT4OID, TIMESTAMPTZOID, NAMEOID, InvalidOid, TEXTOID,
			TEXTOID, TEXTOID, JSONBOID, BYTEAOID, BYTEAOID, TEXTOID, INT4OID, TEXTOID,
		TIMESTAMPTZOID, TIMESTAMPTZOID};
		int16		len;
		bool		byval;

		/*
		 * actor_iin is passed as a licensing.iin itself (an int8 like
		 * pg_catalog.int8, the value identifier_parse verified), not as text
		 * cast by the statement through the type's output and input functions.
		 */
		types[EV_ACTOR_IIN] = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid, CStringGetDatum("iin"),
											  ObjectIdGetDatum(get_namespace_oid("licensing", false)));
		if (!OidIsValid(types[EV_ACTOR_IIN]))
			elog(ERROR, "type licensing.iin does not exist");
		get_typlenbyval(types[EV_ACTOR_IIN], &len, &byval);
		if (len != sizeof(int64) || !byval)
			elog(ERROR, "type licensing.iin is not stored as an int8");

		insert_plan = workflow_prepare(
			"INSERT INTO licensing.application_event (application, seq, at, actor_role, actor_iin, "
			"what, from_state, to_state, payload, prev_hash, hash, step, step_position, "
			"step_performer, step_started_at, step_due_at) "
			"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
			EV_COUNT, types);
	}
	workflow_execute(insert_plan, values, nulls, SPI_OK_INSERT, 0);
	SPI_finish();
	workflow_unpin_search_path(level);
}

/*
 * licensing._append_event(app bigint, what text, from_state text, to_state text, payload jsonb)
 *	 RETURNS void
 *
 * The events that are not a change of the row (a document, a payment, an
 * intake refusal, the survey), appended by the SQL functions.
 */
PG_FUNCTION_INFO_V1(licensing_append_event);
Datum
licensing_append_event(PG_FUNCTION_ARGS)
{
	int64		app;
	char	   *provider = NULL;
	Datum		vals[1];
	int			level;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("an event needs its application and what happened")));
	app = PG_GETARG_INT64(0);
	level = workflow_pin_search_path();
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (provider_plan == NULL)
	{
		Oid			types[1] = {INT8OID};

		provider_plan = workflow_prepare(
			"SELECT a.provider FROM licensing.application a WHERE a.id OPERATOR(pg_catalog.=) $1", 1, types);
	}
	vals[0] = Int64GetDatum(app);
	workflow_execute(provider_plan, vals, NULL, SPI_OK_SELECT, 1);
	if (SPI_processed > 0)
		provider = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	history_append(app, provider, text_to_cstring(PG_GETARG_TEXT_PP(1)),
				   PG_ARGISNULL(2) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(2)),
				   PG_ARGISNULL(3) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(3)),
				   PG_ARGISNULL(4) ? NULL : PG_GETARG_JSONB_P(4), NULL);
	SPI_finish();
	workflow_unpin_search_path(level);
	PG_RETURN_VOID();
}
