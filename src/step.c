/*
 * step.c
 *		A workflow step (API §4): the columns it derives on the row, the event
 *		it records, and the step functions that make it.
 *
 * A step is one UPDATE of licensing.application.  Three row triggers act on
 * it: the guard (workflow.c) decides whether it may happen; the derive
 * trigger here computes what follows from it on the row itself (QUALITY §6):
 * at submit the number, receipt day, term and pinned steps, and on every
 * state change the step the new state opens, with its due moment from the
 * calendar; the record trigger here appends the hash-chained event, which
 * also closes the step that was open.  So a step writes the row and one
 * event and nothing else; licensing.application_step is a view of them.
 *
 * licensing._step() and the step functions without arguments (register,
 * confirm_complete, approve, withdraw) make that UPDATE and send NOTIFY
 * licensing_events (from the API function, not the trigger, QUALITY §6).
 * The UPDATE is a planned statement kept per backend, run by the executor,
 * which fires the triggers; the record trigger's event INSERT is one too
 * (history.c).
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/table.h"
#include "access/xact.h"
#include "catalog/pg_trigger.h"
#include "catalog/pg_type.h"
#include "commands/async.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/date.h"
#include "utils/inval.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"

#include "calendar.h"
#include "bounds.h"
#include "licensing.h"
#include "workflow.h"

/* Columns of licensing.application the triggers read and write, by attribute number. */
typedef struct AppColumns
{
	Oid			typid;
	int			natts;
	int			id, provider, channel, service, profile, state, outcome, steps,
				submitted_at, receipt_day, due_on, term_end_at, number,
				decided_at, signed_at, delivered_at, updated_at,
				step, step_position, step_performer, step_started_at, step_due_at;
} AppColumns;

static AppColumns cols;

/* Each column the triggers read or set, with its type. */
static const struct
{
	const char *name;
	Oid			typid;
	size_t		offset;
}			app_columns[] = {
#define C(name, typid) {#name, typid, offsetof(AppColumns, name)}
	C(id, INT8OID), C(provider, TEXTOID), C(channel, TEXTOID), C(service, TEXTOID),
	C(profile, TEXTOID), C(state, TEXTOID), C(outcome, TEXTOID), C(steps, JSONBOID),
	C(submitted_at, TIMESTAMPTZOID), C(receipt_day, DATEOID), C(due_on, DATEOID),
	C(term_end_at, TIMESTAMPTZOID), C(number, TEXTOID), C(decided_at, TIMESTAMPTZOID),
	C(signed_at, TIMESTAMPTZOID), C(delivered_at, TIMESTAMPTZOID), C(updated_at, TIMESTAMPTZOID),
	C(step, TEXTOID), C(step_position, INT4OID), C(step_performer, TEXTOID),
	C(step_started_at, TIMESTAMPTZOID), C(step_due_at, TIMESTAMPTZOID)
#undef C
};

/*
 * The column numbers of desc, looked up when the row type changes; each
 * column's type is checked on every call (an ALTER COLUMN TYPE keeps the row
 * type and its number of columns).
 */
static void
columns_for(TupleDesc desc)
{
	int			i;

	if (cols.typid != desc->tdtypeid || cols.natts != desc->natts)
	{
		cols.typid = InvalidOid;
		for (i = 0; i < lengthof(app_columns); i++)
			*(int *) ((char *) &cols + app_columns[i].offset) =
				workflow_attnum(desc, app_columns[i].name, false);
		cols.typid = desc->tdtypeid;
		cols.natts = desc->natts;
	}
	for (i = 0; i < lengthof(app_columns); i++)
		licensing_column_type_check(desc, *(int *) ((char *) &cols + app_columns[i].offset),
									app_columns[i].typid);
}

static Datum
col(const Row *r, int att, bool *isnull)
{
	*isnull = r->isnull[att - 1];
	return r->values[att - 1];
}

/*
 * The old and new rows of an UPDATE row trigger, deformed, with the
 * application's column numbers looked up; returns the row descriptor.
 */
static TupleDesc
update_rows(TriggerData *td, Row *orow, Row *nrow)
{
	TupleDesc	desc = RelationGetDescr(td->tg_relation);

	columns_for(desc);
	*orow = workflow_row(td->tg_trigtuple, desc);
	*nrow = workflow_row(td->tg_newtuple, desc);
	return desc;
}

/* A text column as a C string, NULL when SQL NULL. */
static char *
text_col(const Row *r, int att)
{
	return r->isnull[att - 1] ? NULL : TextDatumGetCString(r->values[att - 1]);
}

/* The step a state opens, given the pinned steps (the transition table, transitions.c). */
static const char *
step_for_state(const char *state, Jsonb *steps)
{
	return workflow_step_for_state(state, steps);
}

/*
 * licensing._step_for_state(state text, steps jsonb) RETURNS text
 */
PG_FUNCTION_INFO_V1(licensing_step_for_state);
Datum
licensing_step_for_state(PG_FUNCTION_ARGS)
{
	const char *step;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	step = step_for_state(text_to_cstring(PG_GETARG_TEXT_PP(0)),
						  PG_ARGISNULL(1) ? NULL : PG_GETARG_JSONB_P(1));
	if (step == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(step));
}

/* ------------------------------------------------------------------ derive */

enum
{
	P_TERM, P_STEPS, P_NUMBER,
	P_COUNT
};
static SPIPlanPtr plans[P_COUNT];

/* The state the last derived row left, for the NOTIFY of the step function. */
static int64 derived_app = -1;
static char derived_from[NAMEDATALEN];

/* Runs plan with one text argument (and a second date one), returns column 1 of its row or NULL. */
static Datum
query1(int p, const char *sql, int nargs, Oid *types, Datum *vals, bool *isnull)
{
	if (plans[p] == NULL)
		plans[p] = workflow_prepare(sql, nargs, types);
	workflow_execute(plans[p], vals, NULL, SPI_OK_SELECT, 1);
	if (SPI_processed == 0)
	{
		*isnull = true;
		return (Datum) 0;
	}
	return SPI_datumTransfer(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, isnull),
							 false, -1);
}

/*
 * Due moment of a step from its norm and anchor (API §3), never after the
 * term's end: no norm or anchor term_end gives the term's end; anchor receipt
 * counts from the submit moment (norm_due_at derives the receipt day); else
 * from the step's start.  At the office a paper_norm replaces the norm.
 */
static TimestampTz
step_due(JsonbContainer *s, bool office, text *provider, TimestampTz submitted_at,
		 TimestampTz started, TimestampTz term_end)
{
	char	   *norm = office ? workflow_member_text(s, "paper_norm") : NULL;
	char	   *anchor = workflow_member_text(s, "anchor");
	TimestampTz due;

	if (norm == NULL)
		norm = workflow_member_text(s, "norm");
	if (norm == NULL || streq(anchor, "term_end"))
		return term_end;
	due = DatumGetTimestampTz(DirectFunctionCall3(calendar_norm_due_at_provider,
												  TimestampTzGetDatum(streq(anchor, "receipt") ? submitted_at : started),
												  CStringGetTextDatum(norm), PointerGetDatum(provider)));
	return Min(due, term_end);
}

/* step_due, for the recomputation of a calendar change (calendar_moves.c) */
TimestampTz
workflow_step_due(JsonbContainer *s, bool office, text *provider, TimestampTz submitted_at,
				  TimestampTz started, TimestampTz term_end)
{
	return step_due(s, office, provider, submitted_at, started, term_end);
}

/*
 * What an UPDATE from orow to nrow derives, set on nrow itself (the columns
 * of the derive trigger's comment in 50_workflow.sql).
 */
static void
derive_row(Row *orow, Row *nrow)
{
	TimestampTz at = workflow_clock();
	char	   *from,
			   *to;
	bool		isnull;
	Jsonb	   *steps;
	TimestampTz submitted_at,
				term_end;
	text	   *provider;
	const char *next;
	JsonbContainer *s;

	from = text_col(orow, cols.state);
	to = text_col(nrow, cols.state);
	derived_app = DatumGetInt64(col(orow, cols.id, &isnull));
	strlcpy(derived_from, from ? from : "", sizeof(derived_from));

#define SET(att, value, null) (nrow->values[(att) - 1] = (value), nrow->isnull[(att) - 1] = (null))

	SET(cols.updated_at, TimestampTzGetDatum(at), false);
	if (streq(from, to))
	{
		/* a grant refused in its state (its target licence changed status): decided now */
		char	   *was = text_col(orow, cols.outcome);
		char	   *is = text_col(nrow, cols.outcome);

		if (streq(to, "decided") && is != NULL && !streq(was, is))
			SET(cols.decided_at, TimestampTzGetDatum(at), false);
		return;
	}

	provider = DatumGetTextPP(col(nrow, cols.provider, &isnull));
	{
		Datum		d = col(nrow, cols.steps, &isnull);

		steps = isnull ? NULL : DatumGetJsonbP(d);
	}
	{
		Datum		d = col(nrow, cols.submitted_at, &isnull);

		submitted_at = isnull ? 0 : DatumGetTimestampTz(d);
		d = col(nrow, cols.term_end_at, &isnull);
		term_end = isnull ? DT_NOEND : DatumGetTimestampTz(d);
	}

	if (streq(to, "submitted"))
	{
		/* the number, the receipt day and term (API §2), the profile's steps pinned */
		int			level = workflow_pin_search_path();
		Datum		args[2];
		Oid			types[2] = {TEXTOID, DATEOID};
		Datum		term,
					receipt,
					d;
		bool		termnull;

		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect failed");
		args[0] = col(nrow, cols.service, &isnull);
		term = query1(P_TERM, "SELECT s.term FROM licensing.service s WHERE s.code OPERATOR(pg_catalog.=) $1",
					  1, types, args, &termnull);
		if (termnull)
			elog(ERROR, "service of the application has no term");
		receipt = DirectFunctionCall2(calendar_receipt_day_provider, TimestampTzGetDatum(at),
									  PointerGetDatum(provider));
		submitted_at = at;
		term_end = DatumGetTimestampTz(DirectFunctionCall3(calendar_norm_due_at_provider,
														   TimestampTzGetDatum(at), term,
														   PointerGetDatum(provider)));
		SET(cols.submitted_at, TimestampTzGetDatum(at), false);
		SET(cols.receipt_day, receipt, false);
		SET(cols.due_on, DirectFunctionCall2(calendar_term_due_on, receipt, term), false);
		/* the term ends with its due day, at the provider's local midnight (20_calendar) */
		SET(cols.term_end_at, TimestampTzGetDatum(term_end), false);

		args[0] = col(nrow, cols.profile, &isnull);
		d = query1(P_STEPS,
				   "SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object("
				   "'position', ps.position, 'step', ps.step, 'performer', ps.performer, 'norm', ps.norm, "
				   "'anchor', ps.anchor, 'paper_norm', ps.paper_norm, 'seed_clause', ps.seed_clause) "
				   "ORDER BY ps.position) "
				   "FROM licensing.profile_step ps WHERE ps.profile OPERATOR(pg_catalog.=) $1",
				   1, types, args, &isnull);
		steps = isnull ? NULL : DatumGetJsonbP(d);
		SET(cols.steps, d, isnull);

		args[0] = PointerGetDatum(provider);
		args[1] = receipt;
		d = query1(P_NUMBER,
				   "SELECT $1 OPERATOR(pg_catalog.||) '-' OPERATOR(pg_catalog.||) pg_catalog.to_char($2, 'YYYY') "
				   "OPERATOR(pg_catalog.||) '-' OPERATOR(pg_catalog.||) "
				   "licensing._serial_text(pg_catalog.nextval('licensing.application_number_seq'))",
				   2, types, args, &isnull);
		SET(cols.number, d, isnull);
		SPI_finish();
		workflow_unpin_search_path(level);
	}
	else if (streq(to, "decided"))
		SET(cols.decided_at, TimestampTzGetDatum(at), false);
	else if (streq(to, "signed"))
		SET(cols.signed_at, TimestampTzGetDatum(at), false);
	else if (streq(to, "delivered"))
		SET(cols.delivered_at, TimestampTzGetDatum(at), false);

	/* the step the new state opens (none: the open one just closes) */
	next = to ? step_for_state(to, steps) : NULL;
	s = next ? workflow_pinned_step(steps, next, false) : NULL;
	if (s != NULL)
	{
		char	   *position = workflow_member_text(s, "position");
		char	   *performer = workflow_member_text(s, "performer");
		char	   *channel = text_col(nrow, cols.channel);

		SET(cols.step, CStringGetTextDatum(next), false);
		SET(cols.step_position, Int32GetDatum(position ? pg_strtoint32(position) : 0), position == NULL);
		SET(cols.step_performer, performer ? CStringGetTextDatum(performer) : (Datum) 0, performer == NULL);
		SET(cols.step_started_at, TimestampTzGetDatum(at), false);
		SET(cols.step_due_at,
			TimestampTzGetDatum(step_due(s, streq(channel, "office"), provider, submitted_at, at, term_end)),
			false);
	}
	else
	{
		SET(cols.step, (Datum) 0, true);
		SET(cols.step_position, (Datum) 0, true);
		SET(cols.step_performer, (Datum) 0, true);
		SET(cols.step_started_at, (Datum) 0, true);
		SET(cols.step_due_at, (Datum) 0, true);
	}
#undef SET
}

/*
 * licensing._application_derive() RETURNS trigger
 *
 * BEFORE UPDATE FOR EACH ROW on licensing.application, after the guard.
 */
PG_FUNCTION_INFO_V1(licensing_application_derive);
Datum
licensing_application_derive(PG_FUNCTION_ARGS)
{
	TriggerData *td = licensing_trigger_check(fcinfo, "licensing._application_derive()",
											  workflow_application_table, TRIGGER_TYPE_BEFORE, true,
											  TRIGGER_TYPE_UPDATE);
	TupleDesc	desc;
	Row			orow,
				nrow;

	desc = update_rows(td, &orow, &nrow);
	derive_row(&orow, &nrow);
	return PointerGetDatum(heap_form_tuple(desc, nrow.values, nrow.isnull));
}

/* ------------------------------------------------------------------ record */

typedef struct ChangedRows
{
	Row		   *o;
	Row		   *n;
}			ChangedRows;

/* Whether column changed from orow to nrow (which correction keeping the state, transitions.c). */
static bool
row_changed(const char *column, void *arg)
{
	ChangedRows *rows = arg;
	int			att = workflow_attnum(rows->o->desc, column, true);
	Form_pg_attribute a;

	if (att == 0)
		return false;
	a = TupleDescAttr(rows->o->desc, att - 1);
	if (rows->o->isnull[att - 1] || rows->n->isnull[att - 1])
		return rows->o->isnull[att - 1] != rows->n->isnull[att - 1];
	return !datum_image_eq(rows->o->values[att - 1], rows->n->values[att - 1], a->attbyval, a->attlen);
}

/* The event of an UPDATE from orow to nrow (as written), with the step it closed. */
static void
record_row(TupleDesc desc, Row *orow, Row *nrow)
{
	char	   *from,
			   *to;
	static const char *const edit_fallback[] = {"form", "applicant_signature", NULL};
	static const char *const state_fallback[] = {"state", "step", "step_position", "step_performer",
	"step_started_at", "step_due_at", NULL};
	const WorkflowTransition *t;
	const char *const *changed;
	const char *what;
	StepFacts	closed = {false};
	bool		isnull;
	Jsonb	   *payload;

	from = text_col(orow, cols.state);
	to = text_col(nrow, cols.state);

	/*
	 * The move's event and columns from the transition table (the guard
	 * refused any other change): an edit, or the first move that reaches the
	 * new state (the moves to one state record alike).
	 */
	{
		ChangedRows rows = {orow, nrow};
		bool		isnull_steps;
		Datum		d = col(orow, cols.steps, &isnull_steps);

		/* a calendar change's move is known by who moves it, not by a column */
		if (streq(from, to) && calendar_moving(DatumGetInt64(col(orow, cols.id, &isnull))))
			t = workflow_transition_event_row(WORKFLOW_CALENDAR_EVENT, from, to);
		else
			t = workflow_transition_changing(from, to, isnull_steps ? NULL : DatumGetJsonbP(d), row_changed, &rows);
		if (t == NULL && !streq(from, to))
			t = workflow_transition_to(to ? to : "");
	}
	if (streq(from, to))
	{
		changed = t ? t->recorded : edit_fallback;
		what = t ? workflow_transition_event(t, text_col(nrow, cols.outcome)) : "edit";
	}
	else
	{
		changed = t ? t->recorded : state_fallback;
		what = t ? workflow_transition_event(t, text_col(nrow, cols.outcome)) : (to ? to : "");
		closed.step = text_col(orow, cols.step);
		if (closed.step != NULL)
		{
			Datum		d;

			closed.present = true;
			d = col(orow, cols.step_position, &isnull);
			closed.position = isnull ? 0 : DatumGetInt32(d);
			closed.performer = text_col(orow, cols.step_performer);
			d = col(orow, cols.step_started_at, &isnull);
			closed.started_at = isnull ? 0 : DatumGetTimestampTz(d);
			closed.due_at = DatumGetTimestampTz(col(orow, cols.step_due_at, &isnull));
		}
	}

	payload = history_row_json_columns(nrow->values, nrow->isnull, desc, changed);
	/* a calendar change's move records the change too: its days and decree names */
	if (streq(what, WORKFLOW_CALENDAR_EVENT))
		payload = DatumGetJsonbP(DirectFunctionCall2(jsonb_concat, JsonbPGetDatum(payload),
													 JsonbPGetDatum(calendar_moving_reason())));
	history_append(DatumGetInt64(col(nrow, cols.id, &isnull)),
				   text_col(nrow, cols.provider), what, from, to, payload, &closed);
}

/*
 * licensing._application_record() RETURNS trigger
 *
 * AFTER UPDATE FOR EACH ROW on licensing.application: the event of the
 * change, with the step it closed.
 */
PG_FUNCTION_INFO_V1(licensing_application_record);
Datum
licensing_application_record(PG_FUNCTION_ARGS)
{
	TriggerData *td = licensing_trigger_check(fcinfo, "licensing._application_record()",
											  workflow_application_table, TRIGGER_TYPE_AFTER, true,
											  TRIGGER_TYPE_UPDATE);
	TupleDesc	desc;
	Row			orow,
				nrow;

	desc = update_rows(td, &orow, &nrow);
	record_row(desc, &orow, &nrow);
	return PointerGetDatum(NULL);
}

/* ------------------------------------------------------------------ the step functions */

/*
 * The states a step function leads to, with the columns it sets besides state
 * (from the changes argument): the moves of the transition table by the
 * state they reach.
 */
#define MAX_TARGETS 64

/* [target state][want_row]: the steps without a result ask only for the number NOTIFY needs */
static SPIPlanPtr step_plans[MAX_TARGETS][2];

/* The payload of NOTIFY licensing_events, as json_build_object writes it. */
static char *
notify_payload(int64 app, const char *number, const char *from, const char *to, TimestampTz at)
{
	StringInfoData buf;
	text	   *at_text = DatumGetTextPP(DirectFunctionCall1(licensing_utc, TimestampTzGetDatum(at)));

	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"application\" : " INT64_FORMAT ", \"number\" : ", app);
	if (number)
		escape_json(&buf, number);
	else
		appendStringInfoString(&buf, "null");
	appendStringInfoString(&buf, ", \"from\" : ");
	if (from)
		escape_json(&buf, from);
	else
		appendStringInfoString(&buf, "null");
	appendStringInfoString(&buf, ", \"to\" : ");
	if (to)
		escape_json(&buf, to);
	else
		appendStringInfoString(&buf, "null");
	appendStringInfoString(&buf, ", \"at\" : ");
	escape_json(&buf, text_to_cstring(at_text));
	appendStringInfoChar(&buf, '}');
	return buf.data;
}

/*
 * Moves application app to state to with the columns of changes (a jsonb
 * object, or NULL), then notifies.  The triggers decide and record.  Returns
 * the new row as a composite Datum when want_row.  The step is one UPDATE
 * statement run through the executor from a plan kept per backend (one per
 * target state), whose jsonb_populate_record converts the columns of
 * changes: every hook (pgaudit, pg_stat_statements, auto_explain), trigger,
 * constraint, policy and publication sees it as any other statement.
 */
static Datum step_run_move(FunctionCallInfo fcinfo, const WorkflowTransition *target, const char *to,
							Jsonb *changes, bool want_row);

static Datum
step_run(FunctionCallInfo fcinfo, const char *to, Jsonb *changes, bool want_row)
{
	const WorkflowTransition *target;

	target = streq(to, "draft") ? NULL : workflow_transition_to(to);
	if (target == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("\"%s\" is not a state a step leads to",
						limits_quote(to))));
	return step_run_move(fcinfo, target, to, changes, want_row);
}

/*
 * The same, by move target of the transition table (a correction: its own
 * columns), leading to state to.
 */
static Datum
step_run_move(FunctionCallInfo fcinfo, const WorkflowTransition *target, const char *to, Jsonb *changes,
			  bool want_row)
{
	int64		app;
	int			i;
	Datum		vals[3];
	char		nulls[3] = {' ', ' ', ' '};
	char	   *number = NULL;
	char		from[NAMEDATALEN];
	Datum		result = (Datum) 0;
	bool		found;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("application must not be NULL"),
				 errhint("Pass the id of an application.")));
	app = PG_GETARG_INT64(0);
	/* one plan per state reached (the index of its first move) or per correction (its first row) */
	i = target - workflow_transitions;
	if (i >= MAX_TARGETS)
		elog(ERROR, "the transition table has more moves than step plans");

	derived_app = -1;
	{
		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect failed");
		if (step_plans[i][want_row] == NULL)
		{
			Oid			types[3] = {INT8OID, TEXTOID, JSONBOID};
			const char *returning = want_row ? "x.*" : "x.number";
			char	   *sql;

			if (target->sets == NULL)
				sql = psprintf("UPDATE licensing.application x SET state = $2 "
							   "WHERE x.id OPERATOR(pg_catalog.=) $1 RETURNING %s", returning);
			else
			{
				/* the columns, and the same as r.column for the sub-SELECT */
				StringInfoData list;
				char	   *names = pstrdup(target->sets);
				char	   *tok;

				initStringInfo(&list);
				for (tok = strtok(names, ", "); tok; tok = strtok(NULL, ", "))
					appendStringInfo(&list, "%sr.%s", list.len ? ", " : "", tok);
				sql = psprintf("UPDATE licensing.application x SET state = $2, (%s) = "
							   "(SELECT %s FROM pg_catalog.jsonb_populate_record(x, $3) r) "
							   "WHERE x.id OPERATOR(pg_catalog.=) $1 RETURNING %s",
							   target->sets, list.data, returning);
			}
			step_plans[i][want_row] = workflow_prepare(sql, 3, types);
		}
		vals[0] = Int64GetDatum(app);
		vals[1] = CStringGetTextDatum(to);
		vals[2] = changes ? JsonbPGetDatum(changes) : (nulls[2] = 'n', (Datum) 0);
		workflow_execute(step_plans[i][want_row], vals, nulls, SPI_OK_UPDATE_RETURNING, 0);
		found = SPI_processed > 0;
		if (found)
		{
			number = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc,
								  SPI_fnumber(SPI_tuptable->tupdesc, "number"));
			if (want_row)
				result = PointerGetDatum(SPI_returntuple(SPI_tuptable->vals[0], SPI_tuptable->tupdesc));
		}
		SPI_finish();
	}
	if (!found)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("application " INT64_FORMAT " does not exist", app),
				 errhint("Check the application id.")));
	strlcpy(from, derived_app == app ? derived_from : "", sizeof(from));
	Async_Notify("licensing_events",
				 notify_payload(app, number, from[0] ? from : NULL, to, workflow_clock()));
	return result;
}

/*
 * licensing._notify(app bigint, number text, from_state text, to_state text) RETURNS void
 *
 * The same NOTIFY for the SQL functions that change no state by a step
 * (create, edit, intake refusal, submit).
 */
PG_FUNCTION_INFO_V1(licensing_notify);
Datum
licensing_notify(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("a notification needs its application")));
	Async_Notify("licensing_events",
				 notify_payload(PG_GETARG_INT64(0),
								PG_ARGISNULL(1) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(1)),
								PG_ARGISNULL(2) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(2)),
								PG_ARGISNULL(3) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(3)),
								workflow_clock()));
	PG_RETURN_VOID();
}

/*
 * licensing._step(app bigint, to_state text, changes jsonb DEFAULT '{}') RETURNS licensing.application
 */
PG_FUNCTION_INFO_V1(licensing_step);
Datum
licensing_step(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("to_state must not be NULL")));
	PG_RETURN_DATUM(step_run(fcinfo, text_to_cstring(PG_GETARG_TEXT_PP(1)),
							 PG_ARGISNULL(2) ? NULL : PG_GETARG_JSONB_P(2), true));
}

/* licensing.register(application bigint) RETURNS void */
PG_FUNCTION_INFO_V1(licensing_register);
Datum
licensing_register(PG_FUNCTION_ARGS)
{
	step_run(fcinfo, "registered", NULL, false);
	PG_RETURN_VOID();
}

/* licensing.confirm_complete(application bigint) RETURNS void */
PG_FUNCTION_INFO_V1(licensing_confirm_complete);
Datum
licensing_confirm_complete(PG_FUNCTION_ARGS)
{
	step_run(fcinfo, "in_review", NULL, false);
	PG_RETURN_VOID();
}

/* licensing.approve(application bigint) RETURNS void */
PG_FUNCTION_INFO_V1(licensing_approve);
Datum
licensing_approve(PG_FUNCTION_ARGS)
{
	step_run(fcinfo, "approved", NULL, false);
	PG_RETURN_VOID();
}

/* licensing.withdraw(application bigint) RETURNS void */
PG_FUNCTION_INFO_V1(licensing_withdraw);
Datum
licensing_withdraw(PG_FUNCTION_ARGS)
{
	step_run(fcinfo, "withdrawn", NULL, false);
	PG_RETURN_VOID();
}

/*
 * licensing._correct(app bigint, event text, from_state text, to_state text, changes jsonb) RETURNS void
 *
 * A correction (API §4.1): the move of the transition table recording event
 * from state from_state (the caller holds the row's lock and read it) to
 * to_state, with its columns from changes.  55000 when the table has no such
 * move from that state, naming where it has one.
 */
PG_FUNCTION_INFO_V1(licensing_correct);
Datum
licensing_correct(PG_FUNCTION_ARGS)
{
	char	   *event,
			   *from,
			   *to;
	const WorkflowTransition *target;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("a correction needs its application, event and states")));
	event = text_to_cstring(PG_GETARG_TEXT_PP(1));
	from = text_to_cstring(PG_GETARG_TEXT_PP(2));
	to = text_to_cstring(PG_GETARG_TEXT_PP(3));
	target = workflow_transition_event_row(event, from, to);
	if (target == NULL)
	{
		StringInfoData where;
		int			i;

		initStringInfo(&where);
		for (i = 0; i < workflow_transition_count; i++)
		{
			const WorkflowTransition *t = &workflow_transitions[i];
			bool		listed = false;
			int			j;

			if (t->recorded == NULL || strcmp(t->event, event) != 0)
				continue;
			for (j = 0; j < i && !listed; j++)
				listed = workflow_transitions[j].recorded != NULL &&
					strcmp(workflow_transitions[j].event, event) == 0 &&
					strcmp(workflow_transitions[j].from, t->from) == 0;
			if (!listed)
				appendStringInfo(&where, "%s%s", where.len ? ", " : "", t->from);
		}
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("application " INT64_FORMAT " is %s: %s is not possible there",
						PG_GETARG_INT64(0), limits_quote(from), limits_quote(event)),
				 where.len ? errdetail("%s applies to an application that is %s.", event, where.data) : 0,
				 errhint("See licensing.workflow_transitions() for the corrections each state allows.")));
	}
	step_run_move(fcinfo, target, to, PG_ARGISNULL(4) ? NULL : PG_GETARG_JSONB_P(4), false);
	PG_RETURN_VOID();
}
