/*
 * history.c
 *		The hash chain of the histories: licensing.application_event,
 *		licensing.licence_event and (1.1) licensing.complaint_event.
 *
 * An event's hash is SHA-256 (sha256.c) over the previous event's hash of
 * the same chain (nothing for the first) followed by the canonical JSON of
 * the event's body (row_json.c: event_body_json).  One routine, chain_hash,
 * computes it for the append of an application event (history_append, from
 * the values it is about to INSERT), for the append of a licence event
 * (_licence_append, through licensing._chain_hash) and for both
 * verifications (verify_history, verify_licence_history, through
 * licensing._chain_hash of the stored row): what is written is checked by
 * exactly the same encoding.
 *
 * The body is written by the event's encoding, the column chain_encoding:
 *   2     (1.1) the event's columns, each named by its column, but the
 *         chain's own (prev_hash, hash, chain_encoding) and, for an
 *         application event, the step it closed (checked against the
 *         replayed row by verify_history instead); every history (a
 *         complaint's events have this encoding only);
 *   NULL  (events written before 1.1, and 1 likewise): the encodings 1.0
 *         wrote, kept to verify those events: for application_event the
 *         members application, seq, at, actor_role, actor_iin, what,
 *         from, to and payload after the previous hash; for licence_event
 *         licence, seq, event, from, to, ground, until, application,
 *         related, actor, at and prev (the previous hash in hex) inside the
 *         body, with nothing before it.
 * Any other value has no encoding: licensing._chain_hash gives NULL, which
 * verifies against no hash.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/inval.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/typcache.h"

#include "licensing.h"
#include "sha256.h"
#include "workflow.h"

/* ------------------------------------------------------------------ encodings */

enum
{
	HIST_APPLICATION, HIST_LICENCE, HIST_COMPLAINT, HIST_COUNT
};

#define ENCODING_CURRENT 2
#define ENCODING_COUNT 3		/* 0 unused, 1 and 2 */

/*
 * The columns the append of an application event writes, in the order of its
 * INSERT's parameters (history_append), then prev_hash and hash.
 */
enum
{
	EV_ACTOR_IIN, EV_ACTOR_ROLE, EV_APPLICATION, EV_AT, EV_FROM, EV_PAYLOAD, EV_SEQ, EV_STEP,
	EV_STEP_DUE_AT, EV_STEP_PERFORMER, EV_STEP_POSITION, EV_STEP_STARTED_AT, EV_TO, EV_WHAT,
	EV_FIELDS,
	EV_PREV_HASH = EV_FIELDS, EV_HASH, EV_COUNT
};

static const EventField event_columns[EV_FIELDS] = {
	[EV_ACTOR_IIN] = {"actor_iin", "actor_iin", EVF_IIN},
	[EV_ACTOR_ROLE] = {"actor_role", "actor_role", EVF_NAME},
	[EV_APPLICATION] = {"application", "application", EVF_INT8},
	[EV_AT] = {"at", "at", EVF_MOMENT},
	[EV_FROM] = {"from_state", "from_state", EVF_TEXT},
	[EV_PAYLOAD] = {"payload", "payload", EVF_JSONB},
	[EV_SEQ] = {"seq", "seq", EVF_INT4},
	[EV_STEP] = {"step", "step", EVF_TEXT},
	[EV_STEP_DUE_AT] = {"step_due_at", "step_due_at", EVF_MOMENT},
	[EV_STEP_PERFORMER] = {"step_performer", "step_performer", EVF_TEXT},
	[EV_STEP_POSITION] = {"step_position", "step_position", EVF_INT4},
	[EV_STEP_STARTED_AT] = {"step_started_at", "step_started_at", EVF_MOMENT},
	[EV_TO] = {"to_state", "to_state", EVF_TEXT},
	[EV_WHAT] = {"what", "what", EVF_TEXT},
};

/*
 * application_event, encoding 2: its columns but the chain's own and the
 * step the event closed (step, step_position, step_performer,
 * step_started_at, step_due_at), which are no fact of their own: each is the
 * value the replayed row held, and verify_history compares them with it (the
 * replay is of the hashed payloads).  Leaving them out keeps a step's hashed
 * body, and its SHA-256 blocks, as few as 1.0's.
 */
static const EventField application_2[] = {
	{"actor_iin", "actor_iin", EVF_IIN},
	{"actor_role", "actor_role", EVF_NAME},
	{"application", "application", EVF_INT8},
	{"at", "at", EVF_MOMENT},
	{"from_state", "from_state", EVF_TEXT},
	{"payload", "payload", EVF_JSONB},
	{"seq", "seq", EVF_INT4},
	{"to_state", "to_state", EVF_TEXT},
	{"what", "what", EVF_TEXT},
};

/* application_event, encoding 1: 1.0's verify_history body */
static const EventField application_1[] = {
	{"actor_iin", "actor_iin", EVF_IIN},
	{"actor_role", "actor_role", EVF_NAME},
	{"application", "application", EVF_INT8},
	{"at", "at", EVF_MOMENT},
	{"from", "from_state", EVF_TEXT},
	{"payload", "payload", EVF_JSONB},
	{"seq", "seq", EVF_INT4},
	{"to", "to_state", EVF_TEXT},
	{"what", "what", EVF_TEXT},
};

/* licence_event, encoding 2 */
static const EventField licence_2[] = {
	{"actor", "actor", EVF_NAME},
	{"application", "application", EVF_INT8},
	{"at", "at", EVF_MOMENT},
	{"event", "event", EVF_TEXT},
	{"from_status", "from_status", EVF_TEXT},
	{"ground", "ground", EVF_TEXT},
	{"licence", "licence", EVF_TEXT},
	{"related", "related", EVF_TEXT},
	{"seq", "seq", EVF_INT4},
	{"to_status", "to_status", EVF_TEXT},
	{"until", "until", EVF_DAY},
};

/* licence_event, encoding 1: 1.0's _licence_event_bytes, the previous hash inside */
static const EventField licence_1[] = {
	{"actor", "actor", EVF_NAME},
	{"application", "application", EVF_INT8},
	{"at", "at", EVF_MOMENT},
	{"event", "event", EVF_TEXT},
	{"from", "from_status", EVF_TEXT},
	{"ground", "ground", EVF_TEXT},
	{"licence", "licence", EVF_TEXT},
	{"prev", "prev_hash", EVF_HEX},
	{"related", "related", EVF_TEXT},
	{"seq", "seq", EVF_INT4},
	{"to", "to_status", EVF_TEXT},
	{"until", "until", EVF_DAY},
};

/* complaint_event (1.1, issue #14), encoding 2 only: it has no 1.0 events */
static const EventField complaint_2[] = {
	{"actor_iin", "actor_iin", EVF_IIN},
	{"actor_role", "actor_role", EVF_NAME},
	{"at", "at", EVF_MOMENT},
	{"complaint", "complaint", EVF_INT8},
	{"from_state", "from_state", EVF_TEXT},
	{"payload", "payload", EVF_JSONB},
	{"seq", "seq", EVF_INT4},
	{"to_state", "to_state", EVF_TEXT},
	{"what", "what", EVF_TEXT},
};

typedef struct ChainFormat
{
	const EventField *fields;
	int			nfields;
	bool		prev_first;		/* SHA-256(previous hash || body); else SHA-256(body) */
} ChainFormat;

#define MAX_FIELDS 16

static const ChainFormat formats[HIST_COUNT][ENCODING_COUNT] = {
	[HIST_APPLICATION] = {
		[1] = {application_1, lengthof(application_1), true},
		[2] = {application_2, lengthof(application_2), true},
	},
	[HIST_LICENCE] = {
		[1] = {licence_1, lengthof(licence_1), false},
		[2] = {licence_2, lengthof(licence_2), true},
	},
	[HIST_COMPLAINT] = {
		[1] = {NULL, 0, true},	/* none: such an event verifies against no hash */
		[2] = {complaint_2, lengthof(complaint_2), true},
	},
};

static const char *const history_table[HIST_COUNT] = {"application_event", "licence_event", "complaint_event"};

/*
 * RFC 8785 sorts an object's members by name: event_body_json writes them in
 * the order of the format, so each format is checked to be sorted, once per
 * backend; its keys are [a-z_] (byte order is UTF-16 order, and
 * event_body_json writes them without escaping).
 */
static void
formats_check(void)
{
	static bool checked = false;
	int			h,
				e,
				i;

	if (checked)
		return;
	for (h = 0; h < HIST_COUNT; h++)
		for (e = 1; e < ENCODING_COUNT; e++)
		{
			if (formats[h][e].nfields > MAX_FIELDS)
				elog(ERROR, "encoding %d of %s has too many fields", e, history_table[h]);
			for (i = 0; i < formats[h][e].nfields; i++)
			{
				const char *key = formats[h][e].fields[i].key;

				if (i > 0 && strcmp(formats[h][e].fields[i - 1].key, key) >= 0)
					elog(ERROR, "encoding %d of %s is not in canonical member order at \"%s\"",
						 e, history_table[h], key);
				if (strspn(key, "abcdefghijklmnopqrstuvwxyz_") != strlen(key))
					elog(ERROR, "key \"%s\" of encoding %d of %s is not [a-z_]", key, e, history_table[h]);
			}
		}
	checked = true;
}

/* ------------------------------------------------------------------ the chain */

/*
 * The hash of an event: SHA-256 over prev (the previous event's hash, NULL
 * for the first; for a format with prev_first only) and the canonical body
 * of values (in the order of the format's fields).
 */
static bytea *
chain_hash(const ChainFormat *f, bytea *prev, const Datum *values, const bool *nulls)
{
	StringInfoData body;
	bytea	   *result = (bytea *) palloc(VARHDRSZ + SHA256_LEN);
	bool		with_prev = f->prev_first && prev != NULL;

	formats_check();
	initStringInfo(&body);
	event_body_json(&body, f->fields, f->nfields, values, nulls);
	if (!sha256_two(with_prev ? VARDATA_ANY(prev) : NULL, with_prev ? VARSIZE_ANY_EXHDR(prev) : 0,
					body.data, body.len, (unsigned char *) VARDATA(result)))
		ereport(ERROR,
				(errcode(ERRCODE_SYSTEM_ERROR),
				 errmsg("could not compute SHA-256 of an event"),
				 errdetail("OpenSSL's SHA-256 failed (out of memory, or no provider offers it)."),
				 errhint("Check the OpenSSL configuration of the server.")));
	SET_VARSIZE(result, VARHDRSZ + SHA256_LEN);
	pfree(body.data);
	return result;
}

/*
 * licensing._event_hash(prev bytea, body jsonb) RETURNS bytea
 *
 * 1.0's: SHA-256 of prev followed by the canonical JSON of body.  Bound by
 * the frozen 1.0 script only (1.1 verifies through licensing._chain_hash).
 */
PG_FUNCTION_INFO_V1(licensing_event_hash);
Datum
licensing_event_hash(PG_FUNCTION_ARGS)
{
	bytea	   *prev = PG_ARGISNULL(0) ? NULL : PG_GETARG_BYTEA_PP(0);
	char	   *canon;
	bytea	   *result;

	if (PG_ARGISNULL(1))
		PG_RETURN_NULL();
	canon = canonical_json_cstring(PG_GETARG_JSONB_P(1));
	result = (bytea *) palloc(VARHDRSZ + SHA256_LEN);
	if (!sha256_two(prev ? VARDATA_ANY(prev) : NULL, prev ? VARSIZE_ANY_EXHDR(prev) : 0,
					canon, strlen(canon), (unsigned char *) VARDATA(result)))
		ereport(ERROR,
				(errcode(ERRCODE_SYSTEM_ERROR),
				 errmsg("could not compute SHA-256 of an event"),
				 errdetail("OpenSSL's SHA-256 failed (out of memory, or no provider offers it)."),
				 errhint("Check the OpenSSL configuration of the server.")));
	SET_VARSIZE(result, VARHDRSZ + SHA256_LEN);
	PG_RETURN_BYTEA_P(result);
}

/* Where licensing._chain_hash finds the columns of one row type of a history. */
typedef struct ChainRowCache
{
	Oid			typid;
	int			natts;
	int			history;
	AttrNumber	prev_hash;
	AttrNumber	encoding;
	AttrNumber	att[ENCODING_COUNT][MAX_FIELDS];
} ChainRowCache;

static AttrNumber
chain_column(TupleDesc desc, const char *table, const char *column, Oid typid)
{
	int			att = workflow_attnum(desc, column, true);

	if (att <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("licensing.%s has no column \"%s\"", table, column),
				 errdetail("The hash chain of the history is computed over this column."),
				 errhint("Do not drop or rename the extension's columns.")));
	licensing_column_type_check(desc, att, typid);
	return att;
}

/*
 * licensing._chain_hash(e record) RETURNS bytea
 *
 * The hash the event must carry: chain_hash by the event's chain_encoding,
 * over its prev_hash and its body.  NULL for an encoding that has none.  e is
 * a whole row of the table now named licensing.application_event or
 * licensing.licence_event (a DBA may have rebuilt one, e.g. partitioned: a
 * new row type, hence record); any other type is refused (42804).  Each
 * column is found by name and its type checked before it is read.
 */
PG_FUNCTION_INFO_V1(licensing_chain_hash);
Datum
licensing_chain_hash(PG_FUNCTION_ARGS)
{
	HeapTupleHeader row = PG_GETARG_HEAPTUPLEHEADER(0);
	Oid			typid = HeapTupleHeaderGetTypeId(row);
	ChainRowCache *c = (ChainRowCache *) fcinfo->flinfo->fn_extra;
	TupleDesc	desc = lookup_rowtype_tupdesc(typid, HeapTupleHeaderGetTypMod(row));
	HeapTupleData tuple;
	Datum	   *all;
	bool	   *allnull;
	Datum		values[MAX_FIELDS];
	bool		nulls[MAX_FIELDS];
	int			encoding,
				i;
	const ChainFormat *f;
	bytea	   *prev;
	bytea	   *result;

	formats_check();
	if (c == NULL || c->typid != typid || c->natts != desc->natts)
	{
		Oid			nsp = get_namespace_oid("licensing", false);
		int			h,
					e;

		c = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(ChainRowCache));
		c->history = -1;
		for (h = 0; h < HIST_COUNT; h++)
			if (OidIsValid(typid) && get_rel_type_id(get_relname_relid(history_table[h], nsp)) == typid)
				c->history = h;
		if (c->history < 0)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("licensing._chain_hash() cannot hash a row of type %s", format_type_be(typid)),
					 errdetail("It hashes the events of licensing.application_event, licensing.licence_event and licensing.complaint_event."),
					 errhint("Pass a whole row of one of these tables.")));
		c->prev_hash = chain_column(desc, history_table[c->history], "prev_hash", BYTEAOID);
		c->encoding = chain_column(desc, history_table[c->history], "chain_encoding", INT2OID);
		for (e = 1; e < ENCODING_COUNT; e++)
		{
			f = &formats[c->history][e];
			for (i = 0; i < f->nfields; i++)
				c->att[e][i] = chain_column(desc, history_table[c->history], f->fields[i].column,
											event_field_type(f->fields[i].type));
		}
		c->typid = typid;
		c->natts = desc->natts;
		fcinfo->flinfo->fn_extra = c;
	}

	tuple.t_len = HeapTupleHeaderGetDatumLength(row);
	ItemPointerSetInvalid(&tuple.t_self);
	tuple.t_tableOid = InvalidOid;
	tuple.t_data = row;
	all = palloc(sizeof(Datum) * desc->natts);
	allnull = palloc(sizeof(bool) * desc->natts);
	heap_deform_tuple(&tuple, desc, all, allnull);

	/* ALTER COLUMN TYPE keeps the row type and its number of columns: checked at every call */
	licensing_column_type_check(desc, c->prev_hash, BYTEAOID);
	licensing_column_type_check(desc, c->encoding, INT2OID);
	if (allnull[c->encoding - 1])
		encoding = 1;
	else
		encoding = DatumGetInt16(all[c->encoding - 1]);
	if (encoding < 1 || encoding >= ENCODING_COUNT || formats[c->history][encoding].fields == NULL)
	{
		ReleaseTupleDesc(desc);
		PG_RETURN_NULL();
	}
	f = &formats[c->history][encoding];
	for (i = 0; i < f->nfields; i++)
	{
		AttrNumber	att = c->att[encoding][i];

		licensing_column_type_check(desc, att, event_field_type(f->fields[i].type));
		values[i] = all[att - 1];
		nulls[i] = allnull[att - 1];
	}
	prev = allnull[c->prev_hash - 1] ? NULL : DatumGetByteaPP(all[c->prev_hash - 1]);
	result = chain_hash(f, prev, values, nulls);
	ReleaseTupleDesc(desc);
	PG_RETURN_BYTEA_P(result);
}

/* ------------------------------------------------------------------ the append */

static SPIPlanPtr provider_plan;

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
static SPIPlanPtr last_plan,
			insert_plan;
static int	insert_encoding;		/* the encoding insert_plan writes */
static Oid	insert_iin;			/* the type it binds actor_iin as */

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
 * The encoding the append writes: 2, or 1 while the table is still 1.0's
 * (no column chain_encoding: the library serves the frozen 1.0 script too,
 * test/scripts/upgrade.sh).  Asked at every append until the column is seen,
 * then remembered until the table's relcache entry is invalidated (ALTER,
 * DROP), so a backend that lived through ALTER EXTENSION UPDATE writes 2 from
 * then on: a chain's encoding never goes back.
 */
static bool encoding_current = false;
static Oid	encoding_rel = InvalidOid;

static void
encoding_invalidate(Datum arg, Oid relid)
{
	if (!OidIsValid(relid) || relid == encoding_rel)
		encoding_current = false;
}

static int
append_encoding(void)
{
	static bool registered = false;
	Oid			rel;

	if (encoding_current)
		return ENCODING_CURRENT;
	if (!registered)
	{
		CacheRegisterRelcacheCallback(encoding_invalidate, (Datum) 0);
		registered = true;
	}
	rel = get_relname_relid("application_event", get_namespace_oid("licensing", false));
	if (!OidIsValid(rel))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation licensing.application_event does not exist"),
				 errhint("Install the extension licensing again.")));
	encoding_rel = rel;
	encoding_current = get_attnum(rel, "chain_encoding") != InvalidAttrNumber;
	return encoding_current ? ENCODING_CURRENT : 1;
}

/*
 * The INSERT of an event: the columns of encoding 2 in the format's order,
 * then prev_hash and hash, as parameters; chain_encoding 2 (left out when the
 * table is 1.0's).  actor_iin is passed as a licensing.iin itself (an int8
 * like pg_catalog.int8, the value identifier_parse verified), not as text
 * cast by the statement.
 */
static SPIPlanPtr
insert_prepare(int encoding)
{
	Oid			types[EV_COUNT];
	StringInfoData sql;
	int			i;

	initStringInfo(&sql);
	appendStringInfoString(&sql, "INSERT INTO licensing.application_event (");
	for (i = 0; i < EV_FIELDS; i++)
	{
		appendStringInfo(&sql, "%s, ", event_columns[i].column);
		types[i] = event_field_type(event_columns[i].type);
	}
	types[EV_PREV_HASH] = BYTEAOID;
	types[EV_HASH] = BYTEAOID;
	appendStringInfoString(&sql, encoding == ENCODING_CURRENT ? "prev_hash, hash, chain_encoding) VALUES ("
						   : "prev_hash, hash) VALUES (");
	for (i = 0; i < EV_COUNT; i++)
		appendStringInfo(&sql, i + 1 < EV_COUNT ? "$%d, " : "$%d", i + 1);
	if (encoding == ENCODING_CURRENT)
		appendStringInfo(&sql, ", %d", ENCODING_CURRENT);
	appendStringInfoChar(&sql, ')');
	return workflow_prepare(sql.data, EV_COUNT, types);
}

/*
 * The hash of an event given by the INSERT's parameters, in either encoding:
 * each field of the encoding is one of the columns the INSERT writes (found
 * by name once per backend).
 */
static bytea *
append_hash(int encoding, bytea *prev, const Datum *values, const bool *isnull)
{
	static int	param[ENCODING_COUNT][MAX_FIELDS];
	static bool mapped[ENCODING_COUNT];
	const ChainFormat *f = &formats[HIST_APPLICATION][encoding];
	Datum		v[MAX_FIELDS];
	bool		n[MAX_FIELDS];
	int			i,
				j;

	formats_check();
	if (!mapped[encoding])
	{
		for (i = 0; i < f->nfields; i++)
		{
			for (j = 0; j < EV_FIELDS; j++)
				if (strcmp(f->fields[i].column, event_columns[j].column) == 0)
					break;
			if (j == EV_FIELDS || f->fields[i].type != event_columns[j].type)
				elog(ERROR, "column \"%s\" of encoding %d is not written by the append",
					 f->fields[i].column, encoding);
			param[encoding][i] = j;
		}
		mapped[encoding] = true;
	}
	for (i = 0; i < f->nfields; i++)
	{
		v[i] = values[param[encoding][i]];
		n[i] = isnull[param[encoding][i]];
	}
	return chain_hash(f, prev, v, n);
}

/*
 * Appends one event to an application's chain: the next seq, the acting role
 * and person, the moment of the workflow clock, and chain_hash over the
 * previous hash and the body, computed from the very values the INSERT
 * writes.  closed, when present, is the step the event closed (verify_history
 * also checks it against the payload that opened the step).  The caller
 * holds the application's row lock.
 */
void
history_append(int64 app, const char *provider, const char *what,
			   const char *from_state, const char *to_state,
			   Jsonb *payload, const StepFacts *closed)
{
	char	   *role = workflow_actor_name();
	int64		iin;
	bytea	   *prev;
	Datum		values[EV_COUNT];
	bool		isnull[EV_COUNT];
	char		nulls[EV_COUNT];
	int			i;
	int			level = workflow_pin_search_path();
	int			encoding = append_encoding();

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	for (i = 0; i < EV_COUNT; i++)
	{
		values[i] = (Datum) 0;
		isnull[i] = true;
	}
#define SET(col, value) (values[col] = (value), isnull[col] = false)
	SET(EV_SEQ, Int32GetDatum(event_last(app, &prev) + 1));
	if (payload == NULL)
		payload = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum("{}")));
	SET(EV_APPLICATION, Int64GetDatum(app));
	SET(EV_AT, TimestampTzGetDatum(workflow_clock()));
	SET(EV_ACTOR_ROLE, DirectFunctionCall1(namein, CStringGetDatum(role)));
	if (actor_iin(role, provider, &iin))
		SET(EV_ACTOR_IIN, IdentifierGetDatum(iin));
	SET(EV_WHAT, CStringGetTextDatum(what));
	if (from_state)
		SET(EV_FROM, CStringGetTextDatum(from_state));
	if (to_state)
		SET(EV_TO, CStringGetTextDatum(to_state));
	SET(EV_PAYLOAD, JsonbPGetDatum(payload));
	if (closed != NULL && closed->present)
	{
		SET(EV_STEP, CStringGetTextDatum(closed->step));
		SET(EV_STEP_POSITION, Int32GetDatum(closed->position));
		if (closed->performer)
			SET(EV_STEP_PERFORMER, CStringGetTextDatum(closed->performer));
		SET(EV_STEP_STARTED_AT, TimestampTzGetDatum(closed->started_at));
		SET(EV_STEP_DUE_AT, TimestampTzGetDatum(closed->due_at));
	}
	if (prev)
		SET(EV_PREV_HASH, PointerGetDatum(prev));
	SET(EV_HASH, PointerGetDatum(append_hash(encoding, prev, values, isnull)));
#undef SET
	for (i = 0; i < EV_COUNT; i++)
		nulls[i] = isnull[i] ? 'n' : ' ';
	/* prepared again for another encoding, or a licensing.iin created again */
	if (insert_plan != NULL && (insert_encoding != encoding || insert_iin != event_field_type(EVF_IIN)))
	{
		SPI_freeplan(insert_plan);
		insert_plan = NULL;
	}
	if (insert_plan == NULL)
	{
		insert_plan = insert_prepare(encoding);
		insert_encoding = encoding;
		insert_iin = event_field_type(EVF_IIN);
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
