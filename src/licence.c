/*
 * licence.c
 *		Licence numbers with an ISO 7064 check character, and the write guard
 *		of the licence register.
 *
 * A licence number is 14 characters: "KZ", the kind letter ("L" licence,
 * "C" conclusion of the ecological expertise), the two-digit year of
 * allocation, an 8-digit serial from one national sequence and a check
 * character computed by ISO 7064 MOD 37-2 (pure system, alphabet 0-9A-Z)
 * over the first 13.  The check catches every single substitution and every
 * transposition of adjacent characters, so a mistyped number is refused on
 * input instead of naming somebody else's licence.  The E-licensing database
 * numbers licences centrally (No 382 of 19.12.2012 and No 40 of 29.03.2013, §5 3)): one sequence serves every
 * provider.
 *
 * The guard: nothing but the functions of the register may write the tables
 * licence, licence_annex, licence_duplicate and licence_event.  Those
 * functions open a write window with _licence_guard(true) and close it with
 * _licence_guard(false); the guard triggers refuse any write outside a
 * window.  The window lives in backend memory (no setting a role could
 * change), and is closed by the transaction or subtransaction that opened it
 * when that aborts, so an error caught by an EXCEPTION block cannot leave it
 * open.
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/partition.h"
#include "commands/trigger.h"
#include "fmgr.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "tcop/pquery.h"
#include "utils/portal.h"

#include "bounds.h"
#include "licensing.h"

#define LN_LENGTH	14
#define LN_BODY		13
#define LN_SERIAL_MAX 99999999LL

/* ---- ISO 7064 MOD 37-2 -------------------------------------------------- */

static int
ln_char_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return -1;
}

static char
ln_value_char(int v)
{
	return v < 10 ? '0' + v : v < 36 ? 'A' + (v - 10) : '*';
}

/*
 * The check value (0..36) of n characters of 0-9A-Z by ISO 7064 MOD 37-2, a
 * pure system: with the prime modulus 37 every single substitution and every
 * transposition of adjacent (or once-removed) characters changes it.  Value
 * 36 would be written '*'; the allocator skips such serials, so every issued
 * number ends in 0-9 or A-Z.
 */
static int
ln_check_value(const char *s, int n)
{
	int			p = 0;

	for (int i = 0; i < n; i++)
		p = ((p + ln_char_value(s[i])) * 2) % 37;
	return (38 - p) % 37;
}

/* ---- parsing ------------------------------------------------------------- */

typedef enum LnRule
{
	LN_VALID = 0,
	LN_LENGTH_BAD,
	LN_PREFIX,
	LN_KIND,
	LN_DIGITS,
	LN_CHECK_ALPHABET,
	LN_CHECK
} LnRule;

typedef struct LnVerdict
{
	LnRule		rule;
	int			length;
	int			position;		/* 1-based, for LN_DIGITS */
	char		expected;		/* for LN_CHECK */
	char		found;
} LnVerdict;

/*
 * Normalises s (drops white space and hyphens, folds a-z to upper case) into
 * out (LN_LENGTH + 1 bytes) and checks it.  Returns the rule broken first.
 */
static LnRule
ln_parse(const char *s, size_t len, char *out, LnVerdict *v)
{
	int			n = 0;

	memset(v, 0, sizeof(*v));
	for (size_t i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) s[i];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '-')
			continue;
		if (n >= LN_LENGTH)
		{
			n++;
			break;
		}
		out[n++] = (c >= 'a' && c <= 'z') ? c - 'a' + 'A' : (char) c;
	}
	if (n != LN_LENGTH)
	{
		/* count the rest for the message */
		int			total = 0;

		for (size_t i = 0; i < len; i++)
			if (!(s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '-'))
				total++;
		v->length = total;
		return v->rule = LN_LENGTH_BAD;
	}
	out[LN_LENGTH] = '\0';
	if (out[0] != 'K' || out[1] != 'Z')
		return v->rule = LN_PREFIX;
	if (out[2] != 'L' && out[2] != 'C')
	{
		v->found = out[2];
		return v->rule = LN_KIND;
	}
	for (int i = 3; i < LN_BODY; i++)
		if (out[i] < '0' || out[i] > '9')
		{
			v->position = i + 1;
			v->found = out[i];
			return v->rule = LN_DIGITS;
		}
	if (ln_char_value(out[LN_BODY]) < 0)
	{
		v->found = out[LN_BODY];
		return v->rule = LN_CHECK_ALPHABET;
	}
	v->expected = ln_value_char(ln_check_value(out, LN_BODY));
	v->found = out[LN_BODY];
	if (v->expected != v->found)
		return v->rule = LN_CHECK;
	return v->rule = LN_VALID;
}

static char *
ln_quotable(const char *s, size_t len)
{
	if (len > 40)
		return psprintf("%s...", pnstrdup(s, 40));
	return pnstrdup(s, len);
}

static void
ln_report(const char *s, size_t len, const LnVerdict *v)
{
	char	   *detail;

	switch (v->rule)
	{
		case LN_LENGTH_BAD:
			detail = psprintf("A licence number has 14 characters; this one has %d.", v->length);
			break;
		case LN_PREFIX:
			detail = pstrdup("A licence number starts with KZ.");
			break;
		case LN_KIND:
			detail = pstrdup("The third character is L (licence) or C (conclusion).");
			break;
		case LN_DIGITS:
			detail = psprintf("Characters 4 to 13 are digits; character %d is not.", v->position);
			break;
		case LN_CHECK_ALPHABET:
			detail = pstrdup("The check character (the last) is a digit or a Latin letter.");
			break;
		case LN_CHECK:
			detail = psprintf("The check character is %c but the other characters give %c: the number was mistyped.",
							  v->found, v->expected);
			break;
		default:
			detail = pstrdup("");
	}
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid licence number: \"%s\"", ln_quotable(s, len)),
			 errdetail("%s", detail),
			 errhint("Copy the number from the licence: KZ, L or C, the year, 8 digits and a check character, e.g. KZL2600000001J.")));
}

/*
 * licensing.licence_number_make(kind text, year integer, serial bigint) RETURNS text
 * Builds the number of a licence ("licence") or conclusion ("conclusion"), or
 * NULL when that serial has no printable check character (1 in 37: the
 * allocator takes the next serial).
 */
PG_FUNCTION_INFO_V1(licence_number_make);
Datum
licence_number_make(PG_FUNCTION_ARGS)
{
	char	   *kind = text_to_cstring(PG_GETARG_TEXT_PP(0));
	int32		year = PG_GETARG_INT32(1);
	int64		serial = PG_GETARG_INT64(2);
	char		buf[LN_LENGTH + 1];
	char		letter;
	int			check;

	if (strcmp(kind, "licence") == 0)
		letter = 'L';
	else if (strcmp(kind, "conclusion") == 0)
		letter = 'C';
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid result kind \"%s\"",
						limits_quote(kind)),
				 errdetail("A numbered result is a licence or a conclusion."),
				 errhint("Pass \"licence\" or \"conclusion\".")));
	if (year < 0 || serial < 1 || serial > LN_SERIAL_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("licence serial %lld is out of range", (long long) serial),
				 errdetail("A serial is 1 to 99999999."),
				 errhint("The national sequence licensing.licence_number_seq is exhausted; extend the format.")));
	snprintf(buf, sizeof(buf), "KZ%c%02d%08lld", letter, year % 100, (long long) serial);
	check = ln_check_value(buf, LN_BODY);
	if (check == 36)
		PG_RETURN_NULL();		/* no printable check character: skipped */
	buf[LN_BODY] = ln_value_char(check);
	buf[LN_LENGTH] = '\0';
	PG_RETURN_TEXT_P(cstring_to_text(buf));
}

/*
 * licensing.licence_number_is_valid(text) RETURNS boolean
 * True when the text is a well-formed licence number whose check character
 * holds (spaces, hyphens and case are forgiven); never raises.
 */
PG_FUNCTION_INFO_V1(licence_number_is_valid);
Datum
licence_number_is_valid(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	char		out[LN_LENGTH + 1];
	LnVerdict	v;

	PG_RETURN_BOOL(ln_parse(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), out, &v) == LN_VALID);
}

/*
 * licensing.licence_number(text) RETURNS text
 * The number in its canonical form (upper case, no spaces or hyphens), or
 * an error 22P02 saying which rule the text breaks.
 */
PG_FUNCTION_INFO_V1(licence_number_canonical);
Datum
licence_number_canonical(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	char		out[LN_LENGTH + 1];
	LnVerdict	v;

	if (ln_parse(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), out, &v) != LN_VALID)
		ln_report(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &v);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(out, LN_LENGTH));
}

/* ---- write guard ----------------------------------------------------------- */

static bool guard_open = false;
static SubTransactionId guard_subxid = InvalidSubTransactionId;
static bool guard_callbacks = false;

static void
guard_xact_callback(XactEvent event, void *arg)
{
	guard_open = false;
	guard_subxid = InvalidSubTransactionId;
}

static void
guard_subxact_callback(SubXactEvent event, SubTransactionId mySubid,
					   SubTransactionId parentSubid, void *arg)
{
	/* an aborted subtransaction closes a window it (or a child) opened */
	if (event == SUBXACT_EVENT_ABORT_SUB && guard_open && guard_subxid >= mySubid)
	{
		guard_open = false;
		guard_subxid = InvalidSubTransactionId;
	}
}

/*
 * licensing._licence_guard(open boolean) RETURNS void
 * Opens or closes the register's write window (functions of the register
 * only: EXECUTE is revoked from PUBLIC).
 */
PG_FUNCTION_INFO_V1(licence_guard);
Datum
licence_guard(PG_FUNCTION_ARGS)
{
	if (!guard_callbacks)
	{
		RegisterXactCallback(guard_xact_callback, NULL);
		RegisterSubXactCallback(guard_subxact_callback, NULL);
		guard_callbacks = true;
	}
	if (PG_GETARG_BOOL(0))
	{
		guard_open = true;
		guard_subxid = GetCurrentSubTransactionId();
	}
	else
	{
		guard_open = false;
		guard_subxid = InvalidSubTransactionId;
	}
	PG_RETURN_VOID();
}

/*
 * licensing._licence_guard_trigger() RETURNS trigger
 * BEFORE INSERT, UPDATE, DELETE or TRUNCATE, per statement, on the
 * register's tables: refuses writes outside the register's functions.
 *
 * Restore: pg_restore loads the rows with COPY ... FROM as a superuser, and a
 * superuser's COPY FROM (a top-level COPY statement, nothing else) is let
 * through; INSERT, UPDATE, DELETE and TRUNCATE stay refused for every role.
 * A loaded licence without its history, or with a changed one, is found by
 * verify_licence_history.  With session_replication_role = replica the
 * trigger does not fire at all.
 */
PG_FUNCTION_INFO_V1(licence_guard_trigger);
Datum
licence_guard_trigger(PG_FUNCTION_ARGS)
{
	static const char *const tables[] = {"licence", "licence_annex", "licence_duplicate",
	"licence_event", NULL};
	TriggerData *td = licensing_trigger_check(fcinfo, "licensing._licence_guard_trigger()", tables,
											  TRIGGER_TYPE_BEFORE, false,
											  TRIGGER_TYPE_INSERT | TRIGGER_TYPE_UPDATE |
											  TRIGGER_TYPE_DELETE | TRIGGER_TYPE_TRUNCATE);
	const char *op;
	bool		guard_pass;

	/*
	 * The licence history is append-only for every role, inside the
	 * register's functions too: its refusal is the one of both histories
	 * (55000, as _history_immutable raises for application_event).
	 */
	const char *table = RelationGetRelationName(td->tg_relation);

	if (td->tg_relation->rd_rel->relispartition)	/* a DBA's partition: its root's name */
		table = get_rel_name(llast_oid(get_partition_ancestors(RelationGetRelid(td->tg_relation))));
	if (!TRIGGER_FIRED_BY_INSERT(td->tg_event) && table != NULL && strcmp(table, "licence_event") == 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("history of licences cannot be changed"),
				 errdetail("%s on %s is refused: the history is append-only and hash-chained.",
						   TRIGGER_FIRED_BY_UPDATE(td->tg_event) ? "UPDATE" :
						   TRIGGER_FIRED_BY_DELETE(td->tg_event) ? "DELETE" : "TRUNCATE",
						   RelationGetRelationName(td->tg_relation)),
				 errhint("Events are appended by the functions of licensing; licensing.verify_licence_history() checks the chain.")));

	if (!guard_open && TRIGGER_FIRED_BY_INSERT(td->tg_event) && superuser()
		&& ActivePortal != NULL && ActivePortal->commandTag == CMDTAG_COPY)
		guard_pass = true;		/* pg_restore loading a dump */
	else
		guard_pass = guard_open;
	if (!guard_pass)
	{
		if (TRIGGER_FIRED_BY_INSERT(td->tg_event))
			op = "insert into";
		else if (TRIGGER_FIRED_BY_UPDATE(td->tg_event))
			op = "update";
		else if (TRIGGER_FIRED_BY_DELETE(td->tg_event))
			op = "delete from";
		else
			op = "truncate";
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("cannot %s %s directly", op, RelationGetRelationName(td->tg_relation)),
				 errdetail("Licences are created only by sign_decision and changed only by suspend_licence, resume_licence and terminate_licence; their history is append-only."),
				 errhint("Use the functions of the licence register.")));
	}
	if (TRIGGER_FIRED_FOR_STATEMENT(td->tg_event))
		return PointerGetDatum(NULL);
	if (TRIGGER_FIRED_BY_UPDATE(td->tg_event))
		return PointerGetDatum(td->tg_newtuple);
	return PointerGetDatum(td->tg_trigtuple);
}
