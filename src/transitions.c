/*
 * transitions.c
 *		The transition table of the workflow: every move of an application, in
 *		one static array.
 *
 * Each row is one move: the state it leaves, the state it reaches, the
 * profile step it performs (whose pinned position performs it; submit, edit
 * and withdraw are the applicant's), the columns it may change besides state
 * and updated_at, the columns its step function sets from its changes, the
 * event it records and the step the reached state opens.  The guard
 * (workflow.c) finds the move of an UPDATE here and checks its columns; the
 * derive and record triggers (step.c) take the step a state opens and the
 * event and columns to record from it; the step functions the columns they
 * set; licensing.workflow_transitions() shows it to SQL, where verify_history
 * reads it.  The profiles (profile, profile_step) keep saying which steps a
 * profile has and who performs them: a move whose step the application's
 * pinned profile lacks is not allowed.  A new step is one row here.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/varlena.h"

#include "workflow.h"

/* the columns of a step's open step, derived on the row and recorded in the event */
#define STEP_COLS "step", "step_position", "step_performer", "step_started_at", "step_due_at"

static const char *const draft_cols[] = {"form", "applicant_signature", NULL};
static const char *const submit_cols[] = {"applicant_signature", "submitted_at", "receipt_day", "due_on",
"term_end_at", "steps", "number", NULL};
static const char *const route_cols[] = {"unit", NULL};
static const char *const assign_cols[] = {"executor", NULL};
static const char *const decide_cols[] = {"outcome", "ground", "reason_kk", "reason_ru", "result_number",
"decision", "decided_at", NULL};
static const char *const sign_cols[] = {"decision_payload", "decision_signature", "signed_at", NULL};
static const char *const deliver_cols[] = {"on_paper", "delivered_at", NULL};
static const char *const no_cols[] = {NULL};
static const char *const calendar_cols[] = {"receipt_day", "due_on", "term_end_at", "step_due_at", NULL};

/* what the event records: "state" and the move's columns and the open step's, or the edit's columns */
static const char *const edit_rec[] = {"form", "applicant_signature", NULL};
static const char *const submit_rec[] = {"state", "applicant_signature", "submitted_at", "receipt_day", "due_on",
"term_end_at", "steps", "number", STEP_COLS, NULL};
static const char *const route_rec[] = {"state", "unit", STEP_COLS, NULL};
static const char *const assign_rec[] = {"state", "executor", STEP_COLS, NULL};
static const char *const decide_rec[] = {"state", "outcome", "ground", "reason_kk", "reason_ru", "result_number",
"decision", "decided_at", STEP_COLS, NULL};
static const char *const sign_rec[] = {"state", "decision_payload", "decision_signature", "signed_at", STEP_COLS, NULL};
static const char *const deliver_rec[] = {"state", "on_paper", "delivered_at", STEP_COLS, NULL};
static const char *const state_rec[] = {"state", STEP_COLS, NULL};
static const char *const calendar_rec[] = {"receipt_day", "due_on", "term_end_at", "step_due_at", NULL};

/* corrections (API §4.1, issue #14): each records its reason (correction_reason) */
static const char *const reassign_cols[] = {"executor", "correction_reason", NULL};
static const char *const return_cols[] = {"outcome", "ground", "reason_kk", "reason_ru", "result_number",
"decision", "decided_at", "correction_reason", NULL};
static const char *const return_rec[] = {"state", "outcome", "ground", "reason_kk", "reason_ru", "result_number",
"decision", "decided_at", "correction_reason", STEP_COLS, NULL};
static const char *const revise_cols[] = {"decision", "reason_kk", "reason_ru", "correction_reason", NULL};
static const char *const late_refuse_cols[] = {"outcome", "ground", "reason_kk", "reason_ru", "result_number",
"decision", "decided_at", NULL};

#define DECISION "grant|refuse"
#define RETURN_SETS "outcome, ground, reason_kk, reason_ru, result_number, decision, decided_at, correction_reason"

const WorkflowTransition workflow_transitions[] = {
	/* step, from, to, unless, performer, event, sets, columns, recorded, opens */
	{NULL, "draft", "draft", NULL, "applicant", "edit", NULL, draft_cols, edit_rec, {NULL}},
	{NULL, "draft", "submitted", NULL, "applicant", "submit", NULL, submit_cols, submit_rec, {"register"}},
	{"register", "submitted", "registered", NULL, NULL, "register", NULL, no_cols, state_rec, {"route", "assign"}},
	{"route", "registered", "routed", NULL, NULL, "route", "unit", route_cols, route_rec, {"assign"}},
	{"assign", "routed", "assigned", NULL, NULL, "assign", "executor", assign_cols, assign_rec, {"confirm_complete"}},
	{"assign", "registered", "assigned", "route", NULL, "assign", "executor", assign_cols, assign_rec, {"confirm_complete"}},
	{"confirm_complete", "assigned", "in_review", NULL, NULL, "confirm_complete", NULL, no_cols, state_rec, {"decide"}},
	/* No 441 of 28.12.2015, §4: refusal of an incomplete set within the completeness check */
	{"confirm_complete", "assigned", "decided", NULL, NULL, DECISION,
	"outcome, ground, reason_kk, reason_ru, result_number, decision", decide_cols, decide_rec, {"approve", "sign_decision"}},
	{"decide", "in_review", "decided", NULL, NULL, DECISION,
	"outcome, ground, reason_kk, reason_ru, result_number, decision", decide_cols, decide_rec, {"approve", "sign_decision"}},
	{"approve", "decided", "approved", NULL, NULL, "approve", NULL, no_cols, state_rec, {"sign_decision"}},
	{"sign_decision", "approved", "signed", NULL, NULL, "sign_decision", "decision_payload, decision_signature",
	sign_cols, sign_rec, {"deliver"}},
	{"sign_decision", "decided", "signed", "approve", NULL, "sign_decision", "decision_payload, decision_signature",
	sign_cols, sign_rec, {"deliver"}},
	{"deliver", "signed", "delivered", NULL, NULL, "deliver", "on_paper", deliver_cols, deliver_rec, {NULL}},
	{NULL, "draft", "withdrawn", NULL, "applicant", "withdraw", NULL, no_cols, state_rec, {NULL}},
	{NULL, "submitted", "withdrawn", NULL, "applicant", "withdraw", NULL, no_cols, state_rec, {NULL}},
	{NULL, "registered", "withdrawn", NULL, "applicant", "withdraw", NULL, no_cols, state_rec, {NULL}},
	{NULL, "routed", "withdrawn", NULL, "applicant", "withdraw", NULL, no_cols, state_rec, {NULL}},
	{NULL, "assigned", "withdrawn", NULL, "applicant", "withdraw", NULL, no_cols, state_rec, {NULL}},
	{NULL, "in_review", "withdrawn", NULL, "applicant", "withdraw", NULL, no_cols, state_rec, {NULL}},

	/*
	 * Events that are no move: the row keeps its state (from = to; "*": in
	 * any state), they record no column of it and verify_history does not
	 * replay them; they may stand only where they are listed.
	 */
	{NULL, "draft", "draft", NULL, "applicant", "attach_document", NULL, no_cols, NULL, {NULL}},
	{NULL, "draft", "draft", NULL, "clerk or portal", "intake_refused", NULL, no_cols, NULL, {NULL}},
	{NULL, "*", "*", NULL, "gateway", "record_payment", NULL, no_cols, NULL, {NULL}},
	{NULL, "delivered", "delivered", NULL, "applicant", "survey", NULL, no_cols, NULL, {NULL}},

	/*
	 * A calendar change (a day of licensing.calendar_exception inserted,
	 * changed or deleted) moves the terms and open step's due moment of an
	 * open application: made only by the calendar's trigger
	 * (calendar_moves.c), never a step function; delivered and withdrawn
	 * applications and drafts have none.
	 */
#define CALENDAR_MOVE(state) \
	{NULL, state, state, NULL, "calendar", WORKFLOW_CALENDAR_EVENT, NULL, calendar_cols, calendar_rec, {NULL}}
	CALENDAR_MOVE("submitted"), CALENDAR_MOVE("registered"), CALENDAR_MOVE("routed"),
	CALENDAR_MOVE("assigned"), CALENDAR_MOVE("in_review"), CALENDAR_MOVE("decided"),
	CALENDAR_MOVE("approved"), CALENDAR_MOVE("signed"),
#undef CALENDAR_MOVE
	/* check_deadlines (58_deadlines.sql): the open step is due soon, or overdue; once per step */
	{NULL, "*", "*", NULL, "check_deadlines", "due_soon", NULL, no_cols, NULL, {NULL}},
	{NULL, "*", "*", NULL, "check_deadlines", "overdue", NULL, no_cols, NULL, {NULL}},

	/*
	 * Corrections (API §4.1, issue #14), each by the position that performs
	 * its step, each recording its reason.  A move that keeps the state is
	 * told from the others by the column it must change (the last member);
	 * it closes no step, so the open step keeps its start and due moment.
	 */
	{"assign", "assigned", "assigned", NULL, NULL, "reassign", "executor, correction_reason", reassign_cols,
	reassign_cols, {NULL}, "executor"},
	{"assign", "in_review", "in_review", NULL, NULL, "reassign", "executor, correction_reason", reassign_cols,
	reassign_cols, {NULL}, "executor"},
	{"sign_decision", "decided", "in_review", "approve", NULL, "return_step", RETURN_SETS, return_cols, return_rec,
	{"decide"}},
	{"approve", "decided", "in_review", NULL, NULL, "return_step", RETURN_SETS, return_cols, return_rec, {"decide"}},
	{"sign_decision", "approved", "in_review", NULL, NULL, "return_step", RETURN_SETS, return_cols, return_rec,
	{"decide"}},
	/* the target licence changed status after a grant: the executor refuses it (licence_status_changed) */
	{"decide", "decided", "decided", NULL, NULL, "refuse", "outcome, ground, reason_kk, reason_ru, result_number, decision",
	late_refuse_cols, late_refuse_cols, {NULL}, "outcome"},
	{"decide", "decided", "decided", NULL, NULL, "revise", "decision, reason_kk, reason_ru, correction_reason",
	revise_cols, revise_cols, {NULL}, NULL},
};
const int	workflow_transition_count = lengthof(workflow_transitions);

/*
 * The move from state from to state to allowed by the pinned steps (NULL:
 * any move), or NULL: the first row of the two states whose unless-step the
 * profile lacks.  Whether the profile has the move's own step is the
 * caller's to check (the guard says why not).
 */
const WorkflowTransition *
workflow_transition(const char *from, const char *to, Jsonb *steps)
{
	int			i;

	if (from == NULL || to == NULL)
		return NULL;
	for (i = 0; i < lengthof(workflow_transitions); i++)
	{
		const WorkflowTransition *t = &workflow_transitions[i];

		if (t->recorded == NULL || strcmp(t->from, from) != 0 || strcmp(t->to, to) != 0)
			continue;
		if (t->unless != NULL && workflow_pinned_step(steps, t->unless, true) != NULL)
			continue;
		return t;
	}
	return NULL;
}

/*
 * The move from state from to state to allowed by the pinned steps whose
 * changes-column changed (changed() says, given arg), or NULL.  For a move
 * that keeps a state other than draft's, it tells which correction it is.
 */
const WorkflowTransition *
workflow_transition_changing(const char *from, const char *to, Jsonb *steps,
							 bool (*changed) (const char *column, void *arg), void *arg)
{
	int			i;

	if (from == NULL || to == NULL)
		return NULL;
	for (i = 0; i < lengthof(workflow_transitions); i++)
	{
		const WorkflowTransition *t = &workflow_transitions[i];

		if (t->recorded == NULL || strcmp(t->from, from) != 0 || strcmp(t->to, to) != 0)
			continue;
		/* a calendar change's move is the calendar trigger's alone (calendar_moves.c) */
		if (strcmp(t->event, WORKFLOW_CALENDAR_EVENT) == 0)
			continue;
		if (t->unless != NULL && workflow_pinned_step(steps, t->unless, true) != NULL)
			continue;
		if (t->changes != NULL && !changed(t->changes, arg))
			continue;
		return t;
	}
	return NULL;
}

/* The first move recording event from state from to state to, or NULL. */
const WorkflowTransition *
workflow_transition_event_row(const char *event, const char *from, const char *to)
{
	int			i;

	for (i = 0; i < lengthof(workflow_transitions); i++)
	{
		const WorkflowTransition *t = &workflow_transitions[i];

		if (t->recorded != NULL && strcmp(t->event, event) == 0 && streq(t->from, from) && streq(t->to, to))
			return t;
	}
	return NULL;
}

/* The first move that reaches state to (they record the same columns and open the same step). */
const WorkflowTransition *
workflow_transition_to(const char *to)
{
	int			i;

	for (i = 0; i < lengthof(workflow_transitions); i++)
		if (workflow_transitions[i].recorded != NULL && strcmp(workflow_transitions[i].to, to) == 0 &&
			strcmp(workflow_transitions[i].from, to) != 0)
			return &workflow_transitions[i];
	return NULL;
}

/* The event a move records, given the decision's outcome. */
const char *
workflow_transition_event(const WorkflowTransition *t, const char *outcome)
{
	if (strcmp(t->event, DECISION) == 0)
		return streq(outcome, "granted") ? "grant" : "refuse";
	return t->event;
}

/* The step state opens given the pinned steps: its first the profile pins, else its last; NULL for none. */
const char *
workflow_step_for_state(const char *state, Jsonb *steps)
{
	const WorkflowTransition *t = workflow_transition_to(state);

	if (t == NULL || t->opens[0] == NULL)
		return NULL;
	if (t->opens[1] == NULL || workflow_pinned_step(steps, t->opens[0], false) != NULL)
		return t->opens[0];
	return t->opens[1];
}

static Datum
text_array(const char *const *names)
{
	int			n = 0;
	Datum	   *elems;

	while (names[n] != NULL)
		n++;
	elems = palloc(sizeof(Datum) * Max(n, 1));
	for (int i = 0; i < n; i++)
		elems[i] = CStringGetTextDatum(names[i]);
	return PointerGetDatum(construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT));
}

/*
 * licensing.workflow_transitions() RETURNS TABLE (step text, from_state text,
 *   to_state text, unless_step text, performer text, events text[], sets text[],
 *   columns text[], opens text[])
 *
 * The transition table, for verify_history, workflow_dot and the docs.
 */
PG_FUNCTION_INFO_V1(licensing_workflow_transitions);
Datum
licensing_workflow_transitions(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	int			i;

	InitMaterializedSRF(fcinfo, 0);
	for (i = 0; i < lengthof(workflow_transitions); i++)
	{
		const WorkflowTransition *t = &workflow_transitions[i];
		Datum		values[9];
		bool		nulls[9] = {false};
		const char *events[3] = {t->event, NULL, NULL};
		const char *opens[3] = {t->opens[0], t->opens[0] ? t->opens[1] : NULL, NULL};
		List	   *sets = NIL;

		if (strcmp(t->event, DECISION) == 0)
			events[0] = "grant", events[1] = "refuse";
		values[0] = t->step ? CStringGetTextDatum(t->step) : (nulls[0] = true, (Datum) 0);
		values[1] = CStringGetTextDatum(t->from);
		values[2] = CStringGetTextDatum(t->to);
		values[3] = t->unless ? CStringGetTextDatum(t->unless) : (nulls[3] = true, (Datum) 0);
		values[4] = t->performer ? CStringGetTextDatum(t->performer) : (nulls[4] = true, (Datum) 0);
		values[5] = text_array(events);
		if (t->sets != NULL)
		{
			char	   *copy = pstrdup(t->sets);
			const char **names;
			int			n = 0;
			ListCell   *lc;

			if (!SplitIdentifierString(copy, ',', &sets))
				elog(ERROR, "bad column list \"%s\"", t->sets);
			names = palloc(sizeof(char *) * (list_length(sets) + 1));
			foreach(lc, sets)
				names[n++] = lfirst(lc);
			names[n] = NULL;
			values[6] = text_array(names);
		}
		else
			values[6] = text_array(no_cols);
		values[7] = text_array(t->columns);
		values[8] = text_array(opens);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
