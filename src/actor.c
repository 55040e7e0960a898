/*
 * actor.c
 *		Who is acting (API §0): the outer user, the applicant the portal acts
 *		for, and the workflow clock.
 *
 * licensing.actor() is GetOuterUserId()'s name: the session's role after any
 * SET ROLE, unchanged inside SECURITY DEFINER functions, so the owner of the
 * extension's functions is never mistaken for the caller.
 *
 * licensing.act_for() keeps the applicant in backend memory (not a GUC that
 * any role could SET), together with the role that named it; acting_for()
 * answers only while that same role is the outer user.  The applicant lasts
 * until the end of the transaction that named it, like SET LOCAL (API §0,
 * revision 2): portals reach the database through connection pools, and behind
 * PgBouncer in transaction mode the next transaction on this backend may be
 * another client's request.  A transaction callback forgets the applicant at
 * COMMIT, ROLLBACK and PREPARE; a subtransaction callback restores the value a
 * savepoint saw when it is rolled back to (ROLLBACK TO SAVEPOINT, or an error
 * caught by a PL/pgSQL exception block).  DISCARD ALL runs in a transaction of
 * its own, so nothing named before it is left after it.
 *
 * licensing.clock() is the moment the workflow records: now(), unless a
 * superuser has pinned it with set_clock() for a deterministic demo or test.
 */
#include "postgres.h"

#include "catalog/pg_authid.h"
#include "fmgr.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"
#include "access/xact.h"

#include "bounds.h"
#include "licensing.h"
#include "workflow.h"

static char acting_applicant[ID_DIGITS + 1];
static Oid	acting_role = InvalidOid;

/*
 * The value each open subtransaction saw before act_for changed it inside that
 * subtransaction, innermost first (in TopMemoryContext).  The top level needs
 * no entry: its end forgets everything.
 */
typedef struct ActingSaved
{
	SubTransactionId subid;
	Oid			role;
	char		applicant[ID_DIGITS + 1];
	struct ActingSaved *next;
} ActingSaved;

static ActingSaved *acting_saved = NULL;
static bool acting_callbacks = false;
static bool clock_pinned = false;
static TimestampTz pinned_clock;

static void
acting_forget(void)
{
	acting_role = InvalidOid;
	acting_applicant[0] = '\0';
	while (acting_saved != NULL)
	{
		ActingSaved *next = acting_saved->next;

		pfree(acting_saved);
		acting_saved = next;
	}
}

/* The end of the top-level transaction forgets the applicant. */
static void
acting_xact_callback(XactEvent event, void *arg)
{
	switch (event)
	{
		case XACT_EVENT_COMMIT:
		case XACT_EVENT_PARALLEL_COMMIT:
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PARALLEL_ABORT:
		case XACT_EVENT_PREPARE:
			acting_forget();
			break;
		default:
			break;
	}
}

/*
 * A subtransaction rolled back restores what it saw at its start; one
 * committed hands its saved value to its parent (unless the parent saved an
 * older one itself).
 */
static void
acting_subxact_callback(SubXactEvent event, SubTransactionId mySubid,
						SubTransactionId parentSubid, void *arg)
{
	ActingSaved *top = acting_saved;

	if (top == NULL || top->subid != mySubid)
		return;
	if (event == SUBXACT_EVENT_ABORT_SUB)
	{
		acting_role = top->role;
		memcpy(acting_applicant, top->applicant, sizeof(acting_applicant));
		acting_saved = top->next;
		pfree(top);
	}
	else if (event == SUBXACT_EVENT_COMMIT_SUB)
	{
		if (parentSubid == TopSubTransactionId ||
			(top->next != NULL && top->next->subid == parentSubid))
		{
			acting_saved = top->next;
			pfree(top);
		}
		else
			top->subid = parentSubid;
	}
}

/* Sets the applicant (NULL role: none) for the rest of the transaction. */
static void
acting_set(Oid role, const char *applicant)
{
	SubTransactionId subid = GetCurrentSubTransactionId();

	if (!acting_callbacks)
	{
		RegisterXactCallback(acting_xact_callback, NULL);
		RegisterSubXactCallback(acting_subxact_callback, NULL);
		acting_callbacks = true;
	}
	if (subid != TopSubTransactionId &&
		(acting_saved == NULL || acting_saved->subid != subid))
	{
		ActingSaved *saved = MemoryContextAlloc(TopMemoryContext, sizeof(ActingSaved));

		saved->subid = subid;
		saved->role = acting_role;
		memcpy(saved->applicant, acting_applicant, sizeof(acting_applicant));
		saved->next = acting_saved;
		acting_saved = saved;
	}
	acting_role = role;
	if (applicant != NULL)
		memcpy(acting_applicant, applicant, sizeof(acting_applicant));
	else
		acting_applicant[0] = '\0';
}

/* The outer user's name, palloc'd in the current context. */
char *
workflow_actor_name(void)
{
	return GetUserNameFromId(GetOuterUserId(), false);
}

/* The applicant the portal acts for, or NULL. */
const char *
workflow_acting_for(void)
{
	if (!OidIsValid(acting_role) || acting_role != GetOuterUserId())
		return NULL;
	return acting_applicant;
}

/* True when the outer user is a member of the named group role. */
bool
workflow_actor_in(const char *group)
{
	Oid			g = get_role_oid(group, true);

	return OidIsValid(g) && is_member_of_role(GetOuterUserId(), g);
}

TimestampTz
workflow_clock(void)
{
	return clock_pinned ? pinned_clock : GetCurrentTransactionStartTimestamp();
}

/*
 * licensing.actor() RETURNS name
 */
PG_FUNCTION_INFO_V1(licensing_actor);
Datum
licensing_actor(PG_FUNCTION_ARGS)
{
	Name		result = (Name) palloc0(NAMEDATALEN);

	namestrcpy(result, workflow_actor_name());
	PG_RETURN_NAME(result);
}

/*
 * licensing.act_for(applicant text) RETURNS void
 *
 * NULL forgets the applicant.  Either lasts until the end of the transaction
 * (or of a savepoint rolled back to).
 */
PG_FUNCTION_INFO_V1(licensing_act_for);
Datum
licensing_act_for(PG_FUNCTION_ARGS)
{
	char	   *s;
	int64		value;
	char		buf[ID_DIGITS + 1];

	if (!workflow_actor_in("licensing_portal"))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("role \"%s\" may not act for an applicant", workflow_actor_name()),
				 errdetail("Only members of licensing_portal name the applicant they act for."),
				 errhint("Grant licensing_portal to the portal's service account.")));
	if (PG_ARGISNULL(0))
	{
		acting_set(InvalidOid, NULL);
		PG_RETURN_VOID();
	}
	s = text_to_cstring(PG_GETARG_TEXT_PP(0));
	if (!identifier_parse(s, strlen(s), ID_IIN, &value, false) &&
		!identifier_parse(s, strlen(s), ID_BIN, &value, false))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid applicant identifier: \"%s\"",
						limits_quote(s)),
				 errdetail("An applicant is named by a valid IIN or BIN of 12 digits."),
				 errhint("Check the digits and the check digit.")));
	id_format(value, buf);
	acting_set(GetOuterUserId(), buf);
	PG_RETURN_VOID();
}

/*
 * licensing.acting_for() RETURNS text
 */
PG_FUNCTION_INFO_V1(licensing_acting_for);
Datum
licensing_acting_for(PG_FUNCTION_ARGS)
{
	const char *a = workflow_acting_for();

	if (a == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(a));
}

/*
 * licensing.clock() RETURNS timestamptz
 */
PG_FUNCTION_INFO_V1(licensing_clock);
Datum
licensing_clock(PG_FUNCTION_ARGS)
{
	PG_RETURN_TIMESTAMPTZ(workflow_clock());
}

/*
 * licensing.set_clock(at timestamptz) RETURNS void
 *
 * Superusers only; NULL returns to now().
 */
PG_FUNCTION_INFO_V1(licensing_set_clock);
Datum
licensing_set_clock(PG_FUNCTION_ARGS)
{
	if (!superuser_arg(GetOuterUserId()))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("role \"%s\" may not set the workflow clock", workflow_actor_name()),
				 errdetail("The clock decides due moments and history times; only a superuser may pin it."),
				 errhint("Use it for demonstrations and tests only.")));
	if (PG_ARGISNULL(0))
		clock_pinned = false;
	else
	{
		TimestampTz at = PG_GETARG_TIMESTAMPTZ(0);

		/*
		 * The clock's moments are written into the histories as ISO 8601 UTC
		 * with a four-digit year and no era (src/sql/65_moments.sql): an
		 * infinite clock made every later step fail with XX000, a BC one
		 * was recorded as AD.
		 */
		if (TIMESTAMP_NOT_FINITE(at))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("workflow clock %s is not a finite moment", timestamptz_to_str(at)),
					 errdetail("The history records moments as ISO 8601 UTC text; infinity has none."),
					 errhint("Give a moment from 0001-01-01 to 9999-12-31 UTC, or NULL to return to now().")));
		if (at < (TimestampTz) (date2j(1, 1, 1) - POSTGRES_EPOCH_JDATE) * USECS_PER_DAY ||
			at >= (TimestampTz) (date2j(10000, 1, 1) - POSTGRES_EPOCH_JDATE) * USECS_PER_DAY)
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
					 errmsg("workflow clock %s is outside the years the history records", timestamptz_to_str(at)),
					 errdetail("The history writes a moment as ISO 8601 UTC with a four-digit year and no era: years 1 to 9999 AD."),
					 errhint("Give a moment from 0001-01-01 to 9999-12-31 UTC, or NULL to return to now().")));
		clock_pinned = true;
		pinned_clock = at;
	}
	PG_RETURN_VOID();
}
