/*
 * workflow.h
 *		Shared declarations of the workflow files (actor.c, queries.c,
 *		workflow.c, step.c, history.c, row_json.c, canonical_json.c).
 */
#ifndef LICENSING_WORKFLOW_H
#define LICENSING_WORKFLOW_H

#include "postgres.h"
#include "datatype/timestamp.h"
#include "access/htup.h"
#include "access/tupdesc.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "storage/lockdefs.h"
#include "utils/relcache.h"
#include "lib/stringinfo.h"
#include "utils/jsonb.h"

/* actor.c */
extern char *workflow_actor_name(void);
extern const char *workflow_acting_for(void);
extern bool workflow_actor_in(const char *group);
extern TimestampTz workflow_clock(void);

/* queries.c: kept plans under search_path = pg_catalog, pg_temp */
extern int	workflow_pin_search_path(void);	/* -1 when already pinned */
extern void workflow_unpin_search_path(int level);
extern SPIPlanPtr workflow_prepare(const char *sql, int nargs, Oid *types);
extern void workflow_execute(SPIPlanPtr plan, Datum *values, const char *nulls, int expect, long count);
extern Relation workflow_table_open(const char *name, LOCKMODE lockmode);

/* workflow.c: helpers the workflow's C files share */
extern int	workflow_attnum(TupleDesc desc, const char *name, bool missing_ok);
extern char *workflow_member_text(JsonbContainer *obj, const char *key);
extern JsonbContainer *workflow_pinned_step(Jsonb *steps, const char *name, bool strict);
extern Datum licensing_application_guard(PG_FUNCTION_ARGS);	/* the trigger */
extern const char *const workflow_application_table[];	/* {"application", NULL} */

/*
 * A row deformed once: heap_getattr walks from the first column again for
 * every column after a NULL or a variable-length one.
 */
typedef struct Row
{
	Datum	   *values;			/* in the descriptor's column order */
	bool	   *isnull;
	TupleDesc	desc;
} Row;

extern Row	workflow_row(HeapTuple tuple, TupleDesc desc);

static inline bool
streq(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* transitions.c: the transition table */
typedef struct WorkflowTransition
{
	const char *step;			/* the profile step it performs; NULL: submit, edit, withdraw */
	const char *from;			/* the state it leaves */
	const char *to;				/* the state it reaches */
	const char *unless;			/* taken only when the pinned profile lacks this step, or NULL */
	const char *performer;		/* who performs a move that is no profile step (else the pinned position) */
	const char *event;			/* the event it records ("grant|refuse": by the decision's outcome) */
	const char *sets;			/* the columns its step function sets from its changes, or NULL */
	const char *const *columns; /* the columns it may change besides state and updated_at */
	const char *const *recorded;	/* the columns its event records; NULL: an event that is no move */
	const char *opens[2];		/* the step the state it reaches opens: the first if pinned, else the second */
	const char *changes;		/* a move that keeps the state: the column it must change (which move it is), or NULL */
} WorkflowTransition;

extern const WorkflowTransition workflow_transitions[];
extern const int workflow_transition_count;
extern const WorkflowTransition *workflow_transition(const char *from, const char *to, Jsonb *steps);
extern const WorkflowTransition *workflow_transition_to(const char *to);
extern const WorkflowTransition *workflow_transition_changing(const char *from, const char *to, Jsonb *steps,
															  bool (*changed) (const char *column, void *arg),
															  void *arg);
extern const WorkflowTransition *workflow_transition_event_row(const char *event, const char *from,
																const char *to);
extern const char *workflow_transition_event(const WorkflowTransition *t, const char *outcome);
extern const char *workflow_step_for_state(const char *state, Jsonb *steps);

/* step.c: the due moment of a pinned step s (never after term_end) */
extern TimestampTz workflow_step_due(JsonbContainer *s, bool office, text *provider,
									 TimestampTz submitted_at, TimestampTz started, TimestampTz term_end);

/*
 * calendar_moves.c: a calendar change moves the terms of open applications,
 * each by a move of the transition table (performer "calendar", event
 * calendar_change) that only the calendar's trigger makes.
 */
#define WORKFLOW_CALENDAR_EVENT "calendar_change"
extern bool calendar_moving(int64 app);
extern Jsonb *calendar_moving_reason(void);

/* staff.c: licensing.staff, cached per backend (strings valid until the next staff change) */
extern bool staff_holds(const char *role, const char *provider, const char *position, const char **iin);
extern const char *staff_iin(const char *role, const char *provider);
extern bool staff_at(const char *role, const char *provider);

/* history.c */
typedef struct StepFacts		/* a step as the application row holds it */
{
	bool		present;
	char	   *step;
	int32		position;
	char	   *performer;
	TimestampTz started_at;
	TimestampTz due_at;
} StepFacts;

/* history.c: the hash chain of both histories, and the application's append */
extern void history_append(int64 app, const char *provider, const char *what,
						   const char *from_state, const char *to_state,
						   Jsonb *payload, const StepFacts *closed);

/* row_json.c: the row-to-JSON encodings */
extern Jsonb *history_row_json_columns(Datum *values, bool *isnulls, TupleDesc desc,
									   const char *const *names);

/* licensing._utc(timestamptz): ISO 8601 UTC text */
extern Datum licensing_utc(PG_FUNCTION_ARGS);

/* One member of an event's hashed body: its key, its column, how it is written. */
typedef enum EventFieldType
{
	EVF_TEXT, EVF_NAME, EVF_INT4, EVF_INT8, EVF_IIN, EVF_MOMENT, EVF_DAY, EVF_JSONB, EVF_HEX
} EventFieldType;

typedef struct EventField
{
	const char *key;
	const char *column;
	EventFieldType type;
} EventField;

extern Oid	event_field_type(EventFieldType type);
extern void event_body_json(StringInfo out, const EventField *fields, int nfields,
							const Datum *values, const bool *nulls);

/* canonical_json.c: RFC 8785 text, whole or in parts */
extern char *canonical_json_cstring(Jsonb *jb);
extern void canonical_json_append(StringInfo out, Jsonb *jb);
extern void canonical_json_string(StringInfo out, const char *s, int len);
extern void canonical_json_int64(StringInfo out, int64 v);

#endif
