/*
 * calendar_moves.c
 *		What a change of the working calendar moves in running applications
 *		(API §7.1, issue #18), and the moves themselves.
 *
 * When a day of licensing.calendar_exception is inserted, changed or deleted
 * after applications are running, the receipt day, the term (due_on,
 * term_end_at) and the open step's due moment (step_due_at) of each open
 * application are counted again, as submit and the step that opened the step
 * counted them (step.c), on the calendar before and after the change.  One
 * SQL function decides what moves (licensing._calendar_move, 68_calendar_moves
 * .sql, from licensing._calendar_recomputed here): calendar_changes_impact
 * asks it before a change, with the day toggled in a hypothetical calendar
 * (calendar.c), and the calendar's trigger here after the change, with the
 * changed days toggled back, so the impact is exactly what the change moves.
 *
 * Each move is an UPDATE of licensing.application through the executor, a
 * move of the transition table (transitions.c: performer "calendar", event
 * calendar_change), so the guard, the derive and record triggers act on it as
 * on any step: the record trigger appends the event, whose payload names the
 * changed days and their decrees.  The guard allows that move only for the
 * application this trigger is moving, and only its four columns.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"

#include "calendar.h"
#include "licensing.h"
#include "workflow.h"

extern Datum licensing_notify(PG_FUNCTION_ARGS);

/* The application the calendar's trigger is moving (-1: none), and why. */
static int64 moving_app = -1;
static Jsonb *moving_reason = NULL;

bool
calendar_moving(int64 app)
{
	return moving_app >= 0 && moving_app == app;
}

Jsonb *
calendar_moving_reason(void)
{
	if (moving_reason == NULL)
		elog(ERROR, "no calendar change is moving an application");
	return moving_reason;
}

/* Column name of the application row r, of type typid (checked before it is read). */
static Datum
row_col(Row *r, const char *name, Oid typid, bool *isnull)
{
	int			att = workflow_attnum(r->desc, name, false);

	licensing_column_type_check(r->desc, att, typid);
	*isnull = r->isnull[att - 1];
	return r->values[att - 1];
}

/*
 * licensing._calendar_recomputed(a licensing.application, term text, toggled date[],
 *   OUT receipt_day date, OUT due_on date, OUT term_end_at timestamptz, OUT step_due_at timestamptz)
 *
 * The receipt day, term and open step's due moment of a submitted
 * application counted as submit and the step's opening counted them (step.c),
 * on the calendar as it stands with the days of toggled flipped (a working
 * day off, a day off working).  NULLs where the application has none.
 */
PG_FUNCTION_INFO_V1(licensing_calendar_recomputed);
Datum
licensing_calendar_recomputed(PG_FUNCTION_ARGS)
{
	HeapTupleHeader rowh;
	HeapTupleData tuple;
	TupleDesc	desc,
				rdesc;
	Row			r;
	Datum		values[4] = {0};
	bool		nulls[4] = {true, true, true, true};
	DateADT    *days = NULL;
	int			ndays = 0;
	bool		isnull;
	Datum		submitted,
				provider,
				d;
	text	   *term;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	if (get_call_result_type(fcinfo, NULL, &rdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	rdesc = BlessTupleDesc(rdesc);
	term = PG_GETARG_TEXT_PP(1);
	if (!PG_ARGISNULL(2))
	{
		ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(2);
		Datum	   *elems;
		bool	   *enulls;
		int			i;

		if (ARR_ELEMTYPE(arr) != DATEOID)
			elog(ERROR, "toggled days must be a date array");
		deconstruct_array(arr, DATEOID, sizeof(DateADT), true, TYPALIGN_INT, &elems, &enulls, &ndays);
		days = palloc(sizeof(DateADT) * Max(ndays, 1));
		for (i = 0; i < ndays; i++)
			days[i] = enulls[i] ? DATEVAL_NOEND : DatumGetDateADT(elems[i]);
	}

	rowh = PG_GETARG_HEAPTUPLEHEADER(0);
	desc = lookup_rowtype_tupdesc(HeapTupleHeaderGetTypeId(rowh), HeapTupleHeaderGetTypMod(rowh));
	tuple.t_len = HeapTupleHeaderGetDatumLength(rowh);
	ItemPointerSetInvalid(&tuple.t_self);
	tuple.t_tableOid = InvalidOid;
	tuple.t_data = rowh;
	r = workflow_row(&tuple, desc);

	submitted = row_col(&r, "submitted_at", TIMESTAMPTZOID, &isnull);
	if (isnull)
	{
		ReleaseTupleDesc(desc);
		PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(rdesc, values, nulls)));
	}
	provider = row_col(&r, "provider", TEXTOID, &isnull);
	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("a submitted application needs its provider to count its term")));

	PG_TRY();
	{
		TimestampTz term_end;
		char	   *step;
		char	   *channel;
		Jsonb	   *steps;

		calendar_set_toggled(days, ndays);
		values[0] = DirectFunctionCall2(calendar_receipt_day_provider, submitted, provider);
		values[1] = DirectFunctionCall2(calendar_term_due_on, values[0], PointerGetDatum(term));
		values[2] = DirectFunctionCall3(calendar_norm_due_at_provider, submitted,
										PointerGetDatum(term), provider);
		nulls[0] = nulls[1] = nulls[2] = false;
		term_end = DatumGetTimestampTz(values[2]);

		d = row_col(&r, "step", TEXTOID, &isnull);
		step = isnull ? NULL : TextDatumGetCString(d);
		d = row_col(&r, "steps", JSONBOID, &isnull);
		steps = isnull ? NULL : DatumGetJsonbP(d);
		d = row_col(&r, "channel", TEXTOID, &isnull);
		channel = isnull ? NULL : TextDatumGetCString(d);
		if (step != NULL)
		{
			JsonbContainer *s = workflow_pinned_step(steps, step, false);
			Datum		started = row_col(&r, "step_started_at", TIMESTAMPTZOID, &isnull);

			if (s != NULL && !isnull)
			{
				values[3] = TimestampTzGetDatum(workflow_step_due(s, streq(channel, "office"),
																  DatumGetTextPP(provider),
																  DatumGetTimestampTz(submitted),
																  DatumGetTimestampTz(started), term_end));
				nulls[3] = false;
			}
		}
	}
	PG_FINALLY();
	{
		calendar_set_toggled(NULL, 0);
	}
	PG_END_TRY();
	ReleaseTupleDesc(desc);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(rdesc, values, nulls)));
}

/* ------------------------------------------------------------------ the trigger */

static const char *const calendar_table[] = {"calendar_exception", NULL};

/*
 * The days whose working status the statement changed, as a date[], and the
 * payload member naming them: {"calendar": [{day, was, now, name, source}]}
 * (was, now: the kinds of the day's row before and after; NULL: no row;
 * name: the row's name, which for a decree's day names the decree; source:
 * the year's sources from licensing.calendar_year).  The transition tables
 * are old_days and new_days; an INSERT has no old one, a DELETE no new one.
 */
static bool
changed_days(TriggerData *td, Datum *days, Jsonb **reason)
{
	const char *old_rel = td->tg_oldtable ? "old_days" :
		"(SELECT NULL::date AS day, NULL::text AS kind, NULL::text AS name WHERE false)";
	const char *new_rel = td->tg_newtable ? "new_days" :
		"(SELECT NULL::date AS day, NULL::text AS kind, NULL::text AS name WHERE false)";
	char	   *sql;
	bool		isnull;
	Datum		d;

	/* a day's working status by its row's kind (none: Monday to Friday) */
#define WORKS(k, day) "CASE " k " WHEN 'working_day' THEN true WHEN 'holiday' THEN false WHEN 'day_off' THEN false " \
	"ELSE pg_catalog.date_part('isodow', " day ") OPERATOR(pg_catalog.<) 6::float8 END"
	sql = psprintf("WITH c AS ("
				   " SELECT COALESCE(n.day, o.day) AS day, o.kind AS was, n.kind AS now,"
				   "        COALESCE(n.name, o.name) AS name"
				   "   FROM (SELECT x.day, x.kind, x.name FROM %s x) o"
				   "   FULL JOIN (SELECT y.day, y.kind, y.name FROM %s y) n ON n.day OPERATOR(pg_catalog.=) o.day"
				   "  WHERE (" WORKS("o.kind", "COALESCE(n.day, o.day)") ") IS DISTINCT FROM"
				   "        (" WORKS("n.kind", "COALESCE(n.day, o.day)") ")"
				   "    AND licensing.calendar_covers(COALESCE(n.day, o.day)))"
				   " SELECT pg_catalog.array_agg(c.day ORDER BY c.day),"
				   "        pg_catalog.jsonb_build_object('calendar', pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object("
				   "          'day', c.day, 'was', c.was, 'now', c.now, 'name', c.name, 'source', y.source) ORDER BY c.day))"
				   "   FROM c LEFT JOIN licensing.calendar_year y"
				   "     ON y.year OPERATOR(pg_catalog.=) pg_catalog.date_part('year', c.day)::integer",
				   old_rel, new_rel);
#undef WORKS
	if (SPI_execute(sql, true, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "could not read the calendar's changed days");
	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	if (isnull)
		return false;
	*days = SPI_datumTransfer(d, false, -1);
	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull);
	*reason = DatumGetJsonbPCopy(SPI_datumTransfer(d, false, -1));
	return true;
}

static SPIPlanPtr candidates_plan,
			lock_plan,
			move_plan;

/*
 * licensing._calendar_recompute() RETURNS trigger
 *
 * AFTER INSERT OR UPDATE OR DELETE FOR EACH STATEMENT on
 * licensing.calendar_exception, with the transition tables old_days and
 * new_days.  SECURITY DEFINER: the caller (licensing_admin) writes no
 * application; the events name the caller (licensing.actor()).
 */
PG_FUNCTION_INFO_V1(licensing_calendar_recompute);
Datum
licensing_calendar_recompute(PG_FUNCTION_ARGS)
{
	TriggerData *td = licensing_trigger_check(fcinfo, "licensing._calendar_recompute()", calendar_table,
											  TRIGGER_TYPE_AFTER, false,
											  TRIGGER_TYPE_INSERT | TRIGGER_TYPE_UPDATE | TRIGGER_TYPE_DELETE);
	int			level;
	Datum		days;
	Jsonb	   *reason = NULL;
	ArrayType  *ids;
	Datum	   *elems;
	bool	   *enulls;
	int			n,
				i;
	bool		isnull;

	level = workflow_pin_search_path();
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_register_trigger_data(td) != SPI_OK_TD_REGISTER)
		elog(ERROR, "SPI_register_trigger_data failed");
	if (!changed_days(td, &days, &reason))
	{
		SPI_finish();
		workflow_unpin_search_path(level);
		return PointerGetDatum(NULL);
	}

	/*
	 * Steps wait: a step that began before this change and commits after it
	 * counts on the calendar without it, where this statement cannot see its
	 * application yet.  So the change waits for the running steps to end and
	 * holds new ones (and another calendar change) until it commits: SHARE
	 * ROW EXCLUSIVE conflicts with their UPDATEs and with itself.
	 */
	if (SPI_execute("LOCK TABLE licensing.application IN SHARE ROW EXCLUSIVE MODE", false, 0) != SPI_OK_UTILITY)
		elog(ERROR, "could not lock licensing.application");

	/* the open applications the change moves (each is counted again on its locked row below) */
	if (candidates_plan == NULL)
	{
		Oid			types[1] = {DATEARRAYOID};

		candidates_plan = workflow_prepare("SELECT pg_catalog.array_agg(m.application ORDER BY m.application) "
										   "FROM licensing._calendar_moves($1, true) m", 1, types);
		lock_plan = workflow_prepare(
			"SELECT a.number, a.state, m.receipt_day, m.due_on, m.term_end_at, m.step_due_at "
			"FROM licensing.application a, licensing._calendar_move(a, $2, true) m "
			"WHERE a.id OPERATOR(pg_catalog.=) $1 "
			"AND (m.receipt_day, m.due_on, m.term_end_at, m.step_due_at) IS DISTINCT FROM "
			"(a.receipt_day, a.due_on, a.term_end_at, a.step_due_at) "
			"FOR UPDATE OF a", 2, (Oid[]) {INT8OID, DATEARRAYOID});
		move_plan = workflow_prepare(
			"UPDATE licensing.application x SET receipt_day = $2, due_on = $3, term_end_at = $4, step_due_at = $5 "
			"WHERE x.id OPERATOR(pg_catalog.=) $1",
			5, (Oid[]) {INT8OID, DATEOID, DATEOID, TIMESTAMPTZOID, TIMESTAMPTZOID});
	}
	workflow_execute(candidates_plan, &days, NULL, SPI_OK_SELECT, 1);
	{
		Datum		d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);

		if (isnull)
			n = 0;
		else
		{
			ids = DatumGetArrayTypePCopy(d);
			deconstruct_array(ids, INT8OID, sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE,
							  &elems, &enulls, &n);
		}
	}
	for (i = 0; i < n; i++)
	{
		int64		app = DatumGetInt64(elems[i]);
		Datum		args[5];
		char		nulls[5] = {' ', ' ', ' ', ' ', ' '};
		char	   *number,
				   *state;
		int			c;

		/* locked, and counted again on the row as it now is (a step may have just moved it) */
		args[0] = Int64GetDatum(app);
		args[1] = days;
		workflow_execute(lock_plan, args, NULL, SPI_OK_SELECT, 0);
		if (SPI_processed == 0)
			continue;
		number = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
		state = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
		for (c = 0; c < 4; c++)
		{
			bool		null;

			args[c + 1] = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, c + 3, &null);
			nulls[c + 1] = null ? 'n' : ' ';
		}
		PG_TRY();
		{
			moving_app = app;
			moving_reason = reason;
			workflow_execute(move_plan, args, nulls, SPI_OK_UPDATE, 0);
		}
		PG_FINALLY();
		{
			moving_app = -1;
			moving_reason = NULL;
		}
		PG_END_TRY();
		DirectFunctionCall4(licensing_notify, Int64GetDatum(app),
							CStringGetTextDatum(number ? number : ""),
							CStringGetTextDatum(state), CStringGetTextDatum(state));
	}
	SPI_finish();
	workflow_unpin_search_path(level);
	return PointerGetDatum(NULL);
}
