/*
 * row_json.c
 *		The row-to-JSON encodings of the histories.
 *
 * The canonical body of an event (event_body_json): the one encoder of both
 * hash chains, for the append and for the verification alike (history.c).
 * Each member is one column of the event, written by its type alone, so
 * neither TimeZone, DateStyle nor bytea_output changes a byte: text and name
 * as JSON strings, integers as numbers, licensing.iin as its twelve digits,
 * a moment as licensing._utc writes it (ISO 8601 UTC, microseconds, "Z"), a
 * day as YYYY-MM-DD, bytea as lower-case hex, jsonb as its RFC 8785 text; a
 * NULL (and an infinite moment or day) as null.  The members are written in
 * the order the caller lists them, which is RFC 8785's (history.c checks).
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
#include "fmgr.h"
#include "nodes/makefuncs.h"
#include "pgtime.h"
#include "catalog/namespace.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/bytea.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/fmgroids.h"
#include "utils/inval.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"

#include "licensing.h"
#include "workflow.h"

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

/* A text of to_char's, for the years to_char alone writes (BC, beyond 9999). */
static text *
to_char_text(Timestamp ts, const char *format, text **keep)
{
	if (*keep == NULL)
	{
		text	   *f = cstring_to_text(format);
		text	   *k = MemoryContextAlloc(TopMemoryContext, VARSIZE(f));

		memcpy(k, f, VARSIZE(f));
		*keep = k;
	}
	return DatumGetTextPP(DirectFunctionCall2(timestamp_to_char, TimestampGetDatum(ts),
											  PointerGetDatum(*keep)));
}

/*
 * Appends to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') to
 * out, or returns false (nothing appended) for an infinite moment, where
 * to_char gives NULL.  The UTC value of a timestamptz is its stored value, so
 * it is broken down without a zone; years 1-9999 are printed directly, others
 * (BC, beyond 9999) through to_char itself.
 */
static bool
moment_utc(StringInfo out, TimestampTz at)
{
	static text *format = NULL;
	struct pg_tm tm;
	fsec_t		fsec;

	if (TIMESTAMP_NOT_FINITE(at))
		return false;
	/* years 1-9999: the digits to_char writes, without parsing its format */
	if (timestamp2tm((Timestamp) at, NULL, &tm, &fsec, NULL, NULL) == 0 &&
		tm.tm_year >= 1 && tm.tm_year <= 9999)
	{
		char		buf[32];
		char	   *p = buf;

		p = put_digits(p, tm.tm_year, 4, '-');
		p = put_digits(p, tm.tm_mon, 2, '-');
		p = put_digits(p, tm.tm_mday, 2, 'T');
		p = put_digits(p, tm.tm_hour, 2, ':');
		p = put_digits(p, tm.tm_min, 2, ':');
		p = put_digits(p, tm.tm_sec, 2, '.');
		p = put_digits(p, (int) fsec, 6, 'Z');
		appendBinaryStringInfo(out, buf, p - buf);
	}
	else
	{
		text	   *t = to_char_text((Timestamp) at, "YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"", &format);

		appendBinaryStringInfo(out, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
	}
	return true;
}

/*
 * Appends to_char(day, 'YYYY-MM-DD') to out, or returns false for an
 * infinite day (to_char: NULL).  A day's digits are its own in every zone.
 */
static bool
day_iso(StringInfo out, DateADT day)
{
	static text *format = NULL;
	int			y,
				m,
				d;

	if (DATE_NOT_FINITE(day))
		return false;
	j2date(day + POSTGRES_EPOCH_JDATE, &y, &m, &d);
	if (y >= 1 && y <= 9999)
	{
		char		buf[16];
		char	   *p = buf;

		p = put_digits(p, y, 4, '-');
		p = put_digits(p, m, 2, '-');
		p = put_digits(p, d, 2, ' ');
		appendBinaryStringInfo(out, buf, p - buf - 1);
	}
	else
	{
		text	   *t = to_char_text(DatumGetTimestamp(DirectFunctionCall1(date_timestamp, DateADTGetDatum(day))),
									 "YYYY-MM-DD", &format);

		appendBinaryStringInfo(out, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
	}
	return true;
}

/*
 * licensing._utc(at timestamptz) RETURNS text
 *
 * to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'); NULL for
 * an infinite moment, as to_char.  The moments of the events' bodies.
 */
PG_FUNCTION_INFO_V1(licensing_utc);
Datum
licensing_utc(PG_FUNCTION_ARGS)
{
	StringInfoData out;

	initStringInfo(&out);
	if (!moment_utc(&out, PG_GETARG_TIMESTAMPTZ(0)))
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text_with_len(out.data, out.len));
}

/*
 * licensing.iin's oid, looked up once and forgotten at any invalidation of
 * pg_type (the extension dropped and created again in the same backend).
 */
static Oid	iin_type = InvalidOid;

static void
iin_type_invalidate(Datum arg, int cacheid, uint32 hashvalue)
{
	iin_type = InvalidOid;
}

/* The type of the column each kind of member reads (licensing.iin: looked up). */
Oid
event_field_type(EventFieldType type)
{
	static bool registered = false;
	Oid			iin = iin_type;

	switch (type)
	{
		case EVF_TEXT:
			return TEXTOID;
		case EVF_NAME:
			return NAMEOID;
		case EVF_INT4:
			return INT4OID;
		case EVF_INT8:
			return INT8OID;
		case EVF_IIN:
			if (!OidIsValid(iin))
			{
				Oid			t = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid, CStringGetDatum("iin"),
												ObjectIdGetDatum(get_namespace_oid("licensing", false)));
				int16		len;
				bool		byval;

				if (!OidIsValid(t))
					elog(ERROR, "type licensing.iin does not exist");
				get_typlenbyval(t, &len, &byval);
				if (len != sizeof(int64) || !byval)
					elog(ERROR, "type licensing.iin is not stored as an int8");
				if (!registered)
				{
					CacheRegisterSyscacheCallback(TYPEOID, iin_type_invalidate, (Datum) 0);
					registered = true;
				}
				iin_type = iin = t;
			}
			return iin;
		case EVF_MOMENT:
			return TIMESTAMPTZOID;
		case EVF_DAY:
			return DATEOID;
		case EVF_JSONB:
			return JSONBOID;
		case EVF_HEX:
			return BYTEAOID;
	}
	elog(ERROR, "unknown event field type %d", (int) type);
	return InvalidOid;			/* keep the compiler quiet */
}

/*
 * Appends the canonical JSON object of an event's body to out: one member
 * per field, fields[i].key with values[i] (nulls[i]: null) as its type
 * writes it.  The caller lists the fields sorted as RFC 8785 sorts members
 * and passes each value as a column of that field's type.
 */
void
event_body_json(StringInfo out, const EventField *fields, int nfields,
				const Datum *values, const bool *nulls)
{
	int			i;

	appendStringInfoChar(out, '{');
	for (i = 0; i < nfields; i++)
	{
		Datum		d = values[i];
		bool		written = false;

		/* ,"key": (keys are [a-z_], history.c checks: nothing to escape) */
		{
			size_t		klen = strlen(fields[i].key);
			char	   *p;

			enlargeStringInfo(out, klen + 4);
			p = out->data + out->len;
			if (i > 0)
				*p++ = ',';
			*p++ = '"';
			memcpy(p, fields[i].key, klen);
			p += klen;
			*p++ = '"';
			*p++ = ':';
			*p = '\0';
			out->len = p - out->data;
		}
		if (!nulls[i])
		{
			written = true;
			switch (fields[i].type)
			{
				case EVF_TEXT:
					{
						text	   *t = DatumGetTextPP(d);

						canonical_json_string(out, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
						break;
					}
				case EVF_NAME:
					{
						const char *n = NameStr(*DatumGetName(d));

						canonical_json_string(out, n, strlen(n));
						break;
					}
				case EVF_INT4:
					canonical_json_int64(out, DatumGetInt32(d));
					break;
				case EVF_INT8:
					canonical_json_int64(out, DatumGetInt64(d));
					break;
				case EVF_IIN:
					{
						char		digits[ID_DIGITS + 1];

						id_format(DatumGetIdentifier(d), digits);
						canonical_json_string(out, digits, strlen(digits));
						break;
					}
				case EVF_MOMENT:
				case EVF_DAY:
					{
						/* digits, '-', 'T', ':', '.' and 'Z' only: nothing to escape */
						int			start = out->len;

						appendStringInfoChar(out, '"');
						written = fields[i].type == EVF_MOMENT ? moment_utc(out, DatumGetTimestampTz(d))
							: day_iso(out, DatumGetDateADT(d));
						if (written)
							appendStringInfoChar(out, '"');
						else
						{
							out->len = start;	/* infinite: null */
							out->data[start] = '\0';
						}
						break;
					}
				case EVF_JSONB:
					canonical_json_append(out, DatumGetJsonbP(d));
					break;
				case EVF_HEX:
					{
						bytea	   *b = DatumGetByteaPP(d);
						static const char hex[] = "0123456789abcdef";
						const unsigned char *p = (const unsigned char *) VARDATA_ANY(b);
						int			n = VARSIZE_ANY_EXHDR(b),
									k;

						appendStringInfoChar(out, '"');
						enlargeStringInfo(out, 2 * n);
						for (k = 0; k < n; k++)
						{
							out->data[out->len++] = hex[p[k] >> 4];
							out->data[out->len++] = hex[p[k] & 15];
						}
						out->data[out->len] = '\0';
						appendStringInfoChar(out, '"');
						break;
					}
			}
		}
		if (!written)
			appendStringInfoString(out, "null");
	}
	appendStringInfoChar(out, '}');
}
