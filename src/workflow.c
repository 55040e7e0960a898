/*
 * workflow.c
 *		The transition guard of licensing.application (API §4).
 *
 * One routine, transition_check(), answers "may this row change from OLD to
 * NEW, and if not, why": the order of states allowed by the application's
 * pinned profile; who may act (the portal for its applicant, staff of the
 * provider in the step's position, the assigned executor); and what the step
 * needs (a payment covering the fee, a verified applicant signature on the
 * portal, the registry and power-of-attorney checks at the office, an
 * executor, a ground and reasons for a refusal, the signing head's verified
 * signature).  The row trigger raises with its answer, for every role; the
 * SQL function licensing._check_transition() returns it, so submit() turns
 * intake refusals into a verdict without writing any rule twice.
 *
 * Restore: pg_restore loads rows with INSERT/COPY as a superuser.  INSERT of a
 * row that is not a fresh draft is therefore allowed to superusers only (and
 * checked afterwards by verify_history, which requires each application's
 * state to match its hash-chained history); with session_replication_role =
 * replica the trigger does not fire at all.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/guc.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"

#include "bounds.h"
#include "licensing.h"
#include "sigcore.h"
#include "workflow.h"

typedef struct Verdict
{
	bool		ok;
	int			sqlstate;
	const char *ground;			/* an intake refusal ground, or NULL */
	const char *reason;			/* its specific cause (API §4 verdict.reason), or NULL */
	char	   *message;
	char	   *detail;
	char	   *hint;
	MemoryContext cxt;			/* where the texts live */
} Verdict;

/* The table of the application triggers (licensing_trigger_check). */
const char *const workflow_application_table[] = {"application", NULL};

/* tuple of descriptor desc, deformed (workflow.h) */
Row
workflow_row(HeapTuple tuple, TupleDesc desc)
{
	Row			r;

	r.values = palloc(sizeof(Datum) * desc->natts);
	r.isnull = palloc(sizeof(bool) * desc->natts);
	r.desc = desc;
	heap_deform_tuple(tuple, desc, r.values, r.isnull);
	return r;
}

/* ------------------------------------------------------------------ helpers */

static void
fail(Verdict *v, int sqlstate, const char *ground, const char *hint,
	 const char *detail, const char *fmt,...)
	pg_attribute_printf(6, 7);

static void
fail(Verdict *v, int sqlstate, const char *ground, const char *hint,
	 const char *detail, const char *fmt,...)
{
	MemoryContext old = MemoryContextSwitchTo(v->cxt);
	StringInfoData buf;
	va_list		args;

	initStringInfo(&buf);
	for (;;)
	{
		int			needed;

		va_start(args, fmt);
		needed = appendStringInfoVA(&buf, fmt, args);
		va_end(args);
		if (needed == 0)
			break;
		enlargeStringInfo(&buf, needed);
	}
	v->ok = false;
	v->sqlstate = sqlstate;
	v->ground = ground;
	v->reason = NULL;
	v->message = buf.data;
	v->detail = detail ? pstrdup(detail) : NULL;
	v->hint = hint ? pstrdup(hint) : NULL;
	MemoryContextSwitchTo(old);
}

/*
 * The attribute number of column name, by name (the row type may have
 * dropped columns); 0 when missing_ok and there is none, else an error.
 *
 * Callers pass string literals, so a name's address identifies it: a small
 * memo keyed by (row type, address) answers the repeated lookups of a step
 * without comparing ~45 column names each time.  A hit is confirmed against
 * the attribute itself, so a reused address or an altered table cannot
 * return a wrong column.
 */
#define ATTNUM_MEMO_SIZE 512

static struct
{
	Oid			typid;
	const char *name;
	int			attnum;
}			attnum_memo[ATTNUM_MEMO_SIZE];

int
workflow_attnum(TupleDesc desc, const char *name, bool missing_ok)
{
	/* the address mixed (literals lie a few bytes apart: their low bits alone collided) */
	uint64		h = ((uint64) (uintptr_t) name ^ desc->tdtypeid) * UINT64CONST(0x9E3779B97F4A7C15);
	uint32		slot = (uint32) (h >> 32) % ATTNUM_MEMO_SIZE;
	int			i;

	if (attnum_memo[slot].name == name && attnum_memo[slot].typid == desc->tdtypeid &&
		attnum_memo[slot].attnum <= desc->natts)
	{
		Form_pg_attribute a = TupleDescAttr(desc, attnum_memo[slot].attnum - 1);

		if (!a->attisdropped && strcmp(NameStr(a->attname), name) == 0)
			return attnum_memo[slot].attnum;
	}
	for (i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute a = TupleDescAttr(desc, i);

		if (!a->attisdropped && strcmp(NameStr(a->attname), name) == 0)
		{
			if (desc->tdtypeid != RECORDOID)
			{
				attnum_memo[slot].typid = desc->tdtypeid;
				attnum_memo[slot].name = name;
				attnum_memo[slot].attnum = i + 1;
			}
			return i + 1;
		}
	}
	if (!missing_ok)
		elog(ERROR, "%s has no column \"%s\"", format_type_be(desc->tdtypeid), name);
	return 0;
}

/* Column name of type typid (checked before it is read as that type). */
static Datum
col(Row *r, const char *name, Oid typid, bool *isnull)
{
	int			attnum = workflow_attnum(r->desc, name, false);

	licensing_column_type_check(r->desc, attnum, typid);

	*isnull = r->isnull[attnum - 1];
	return r->values[attnum - 1];
}

/* A text (or name) column as a C string, NULL when SQL NULL. */
static char *
col_text(Row *r, const char *name)
{
	int			attnum = workflow_attnum(r->desc, name, false);
	Datum		d = r->values[attnum - 1];
	Oid			typ = TupleDescAttr(r->desc, attnum - 1)->atttypid;

	if (r->isnull[attnum - 1])
		return NULL;
	if (typ == NAMEOID)
		return pstrdup(NameStr(*DatumGetName(d)));
	if (typ == TEXTOID)
		return TextDatumGetCString(d);
	{
		Oid			out;
		bool		varlena;

		getTypeOutputInfo(typ, &out, &varlena);
		return OidOutputFunctionCall(out, d);
	}
}

static bool
empty(const char *s)
{
	return s == NULL || *s == '\0';
}

static bool
is_iin(const char *id)
{
	return id != NULL && strlen(id) >= 5 && id[4] >= '0' && id[4] <= '3';
}

/* ------------------------------------------------------------------ queries */

enum
{
	Q_PAID, Q_APPSIG, Q_APPSIG_ROLES, Q_ENTITY, Q_PERSON, Q_POA, Q_GROUND, Q_DECSIG, Q_TARGET, Q_WINDOW, Q_MISSING,
	Q_HASCAT,
	Q_COUNT
};

static SPIPlanPtr plans[Q_COUNT];

/*
 * Runs query q with text arguments (NULL pointers are SQL NULLs); returns the
 * number of rows.  Plans are prepared once per backend and kept; the plan
 * cache re-plans them when the tables they read change.
 */
static uint64
run(int q, const char *sql, int nargs, const char *const *args)
{
	Datum		vals[4];
	char		nulls[4];
	Oid			types[4] = {TEXTOID, TEXTOID, TEXTOID, TEXTOID};
	int			i;

	if (plans[q] == NULL)
		plans[q] = workflow_prepare(sql, nargs, types);
	for (i = 0; i < nargs; i++)
	{
		nulls[i] = args[i] ? ' ' : 'n';
		vals[i] = args[i] ? CStringGetTextDatum(args[i]) : (Datum) 0;
	}
	workflow_execute(plans[q], vals, nulls, SPI_OK_SELECT, 1);
	return SPI_processed;
}

/* Column c (1-based) of the first result row as text, NULL if none. */
static char *
res(int c)
{
	if (SPI_processed == 0)
		return NULL;
	return SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, c);
}

static bool
res_true(int c)
{
	char	   *s = res(c);

	return s != NULL && strcmp(s, "t") == 0;
}

/* The staff IIN (or "" when none is recorded) of role at provider in position, NULL if no such row. */
static char *
staff_row(const char *role, const char *provider, const char *position)
{
	const char *iin = NULL;

	if (!staff_holds(role, provider, position, &iin))
		return NULL;
	return pstrdup(iin ? iin : "");
}

/*
 * Key "key" of a JSON object as text, as a text column of jsonb_to_recordset
 * reads it: a string unquoted, another value as its JSON text, NULL when the
 * key is missing or JSON null.
 */
char *
workflow_member_text(JsonbContainer *obj, const char *key)
{
	JsonbValue	v;

	if (getKeyJsonValueFromContainer(obj, key, strlen(key), &v) == NULL)
		return NULL;
	switch (v.type)
	{
		case jbvNull:
			return NULL;
		case jbvString:
			return pnstrdup(v.val.string.val, v.val.string.len);
		case jbvBinary:
			return JsonbToCString(NULL, v.val.binary.data, v.val.binary.len);
		default:
			{
				Jsonb	   *j = JsonbValueToJsonb(&v);

				return JsonbToCString(NULL, &j->root, VARSIZE(j));
			}
	}
}

/* Whether member key of obj is the string value (without copying it out). */
static bool
member_is(JsonbContainer *obj, const char *key, const char *value)
{
	JsonbValue	v;

	return getKeyJsonValueFromContainer(obj, key, strlen(key), &v) != NULL &&
		v.type == jbvString && v.val.string.len == strlen(value) &&
		memcmp(v.val.string.val, value, v.val.string.len) == 0;
}

/*
 * The first pinned step named name (an object of the steps array), or NULL.
 * Read straight from the jsonb array, without a query.  strict: steps that
 * are not an array of objects are refused, as jsonb_to_recordset refused them
 * (the guard); otherwise anything else is no such step, as @> answers.
 */
JsonbContainer *
workflow_pinned_step(Jsonb *steps, const char *name, bool strict)
{
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	JsonbContainer *found = NULL;

	if (steps == NULL)
		return NULL;
	if (!JB_ROOT_IS_ARRAY(steps) || JB_ROOT_IS_SCALAR(steps))
	{
		if (!strict)
			return NULL;
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot call jsonb_to_recordset on a non-array")));
	}
	it = JsonbIteratorInit(&steps->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		if (tok != WJB_ELEM || found != NULL)
			continue;
		if (v.type != jbvBinary || !JsonContainerIsObject(v.val.binary.data))
		{
			if (!strict)
				continue;
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("argument of jsonb_to_recordset must be an array of objects")));
		}
		if (member_is(v.val.binary.data, "step", name))
			found = v.val.binary.data;
		if (found != NULL && !strict)
			break;				/* the rest need no checking */
	}
	return found;
}

/* The performer position of a pinned step, NULL when the profile has no such step. */
static char *
step_performer(Jsonb *steps, const char *step)
{
	JsonbContainer *s = workflow_pinned_step(steps, step, true);

	return s ? workflow_member_text(s, "performer") : NULL;
}

/* ------------------------------------------------------------------ the rule */

static const char *const no_cols[] = {NULL};

static bool
in_list(const char *const *list, const char *name)
{
	for (; *list; list++)
		if (strcmp(*list, name) == 0)
			return true;
	return false;
}

/* The first column changed that the transition may not change, or NULL. */
static const char *
changed_column(Row *o, Row *n, const char *const *allowed)
{
	int			i;

	for (i = 0; i < o->desc->natts; i++)
	{
		Form_pg_attribute a = TupleDescAttr(o->desc, i);
		const char *name;

		if (a->attisdropped)
			continue;
		if (o->isnull[i] == n->isnull[i] &&
			(o->isnull[i] || datum_image_eq(o->values[i], n->values[i], a->attbyval, a->attlen)))
			continue;
		name = NameStr(a->attname);
		if (strcmp(name, "state") != 0 && strcmp(name, "updated_at") != 0 && !in_list(allowed, name))
			return name;
	}
	return NULL;
}

static bool
portal_for(const char *applicant)
{
	return workflow_actor_in("licensing_portal") && streq(workflow_acting_for(), applicant);
}

/* Intake checks of submit (No 382 of 19.12.2012, No 29/02 of 22.05.2013 and No 40 of 29.03.2013, §6–7), in the flows' order. */
static void
check_submit(Row *n, Verdict *v, const char *id, const char *actor)
{
	char	   *channel = col_text(n, "channel");
	char	   *applicant = col_text(n, "applicant");
	char	   *provider = col_text(n, "provider");

	if (streq(channel, "portal"))
	{
		if (!portal_for(applicant))
		{
			fail(v, ERRCODE_INSUFFICIENT_PRIVILEGE, NULL,
				 "The portal names the applicant with licensing.act_for() first.",
				 "A portal application is submitted by the portal acting for its applicant.",
				 "role \"%s\" may not submit application %s for applicant %s", actor, id, applicant);
			return;
		}
	}
	else
	{
		char	   *rep = col_text(n, "representative");

		if (staff_row(actor, provider, "clerk") == NULL)
		{
			fail(v, ERRCODE_INSUFFICIENT_PRIVILEGE, NULL,
				 "Ask a clerk of the provider (a licensing.staff row with position clerk).",
				 "An office application is submitted by a clerk of its provider.",
				 "role \"%s\" is not a clerk of provider %s", actor, provider);
			return;
		}
		/* No 382 of 19.12.2012 and No 40 of 29.03.2013, §7 6)–7): the applicant from the registry, the notarised PoA from ЕНИС */
		{
			const char *args[1] = {applicant};
			bool		found;

			/* 1: found and active; 2: found at all (a person is always active) */
			if (is_iin(applicant))
				run(Q_PERSON, "SELECT EXISTS (SELECT 1 FROM licensing.person p "
					"WHERE p.iin OPERATOR(licensing.=) $1::licensing.iin), true", 1, args);
			else
				run(Q_ENTITY, "SELECT EXISTS (SELECT 1 FROM licensing.legal_entity e "
					"WHERE e.bin OPERATOR(licensing.=) $1::licensing.bin AND e.active), "
					"EXISTS (SELECT 1 FROM licensing.legal_entity e "
					"WHERE e.bin OPERATOR(licensing.=) $1::licensing.bin)", 1, args);
			found = res_true(1);
			if (!found)
			{
				bool		known = is_iin(applicant) ? false : res_true(2);

				fail(v, ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE, "applicant_not_found",
					 "Check the applicant's identifier, or update the registry mirror.",
					 is_iin(applicant) ? "The person registry mirror (licensing.person) has no such IIN." :
					 known ? "The legal-entity registry mirror (licensing.legal_entity) marks this BIN as not active." :
					 "The legal-entity registry mirror (licensing.legal_entity) has no entity with this BIN.",
					 "applicant %s of application %s is not found in the registry", applicant, id);
				v->reason = known ? "entity_not_active" : "not_in_registry";
				return;
			}
		}
		if (rep != NULL)
		{
			char	   *number = col_text(n, "attorney_number");
			const char *args[3] = {number, applicant, rep};
			const char *reason = NULL;

			/*
			 * The power of attorney with this number, and what is wrong with
			 * it, first failure first: none, other parties, revoked, not
			 * valid today.
			 */
			if (number == NULL)
				reason = "attorney_not_given";
			else
			{
				run(Q_POA, "SELECT CASE WHEN a.number IS NULL THEN 'attorney_not_in_registry' "
					"WHEN a.principal OPERATOR(pg_catalog.<>) $2 "
					"OR a.representative OPERATOR(licensing.<>) $3::licensing.iin THEN 'attorney_other_parties' "
					"WHEN a.revoked THEN 'attorney_revoked' "
					"WHEN ((licensing.clock() AT TIME ZONE 'UTC') + interval '5 hours')::date "
					"NOT BETWEEN a.valid_from AND a.valid_to THEN 'attorney_not_valid_today' END "
					"FROM (SELECT 1) one LEFT JOIN licensing.power_of_attorney a "
					"ON a.number OPERATOR(pg_catalog.=) $1", 3, args);
				reason = res(1);
			}
			if (reason != NULL)
			{
				fail(v, ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE, "attorney_not_found",
					 "Check the number, principal and representative of the power of attorney.",
					 "No notarised power of attorney with this number is valid today for this principal and representative.",
					 "power of attorney %s of representative %s for applicant %s is not found",
					 number ? number : "(none)", rep, applicant);
				v->reason = MemoryContextStrdup(v->cxt, reason);	/* res() is SPI memory */
				return;
			}
		}
	}

	/* No 382 of 19.12.2012 and No 40 of 29.03.2013, §6 6)–8): the fee is paid before signing; owed in both channels */
	{
		char	   *service = col_text(n, "service");
		char	   *operation = col_text(n, "operation");
		const char *args[3] = {service, operation, id};

		run(Q_PAID,
			"SELECT f.fee OPERATOR(pg_catalog.<=) p.paid, f.fee::text, p.paid::text, "
			"p.paid OPERATOR(pg_catalog.>) 0::numeric FROM "
			"(SELECT COALESCE((SELECT x.amount FROM licensing.service_fee x "
			"  WHERE x.service OPERATOR(pg_catalog.=) $1 AND x.operation OPERATOR(pg_catalog.=) $2), 0) AS fee) f, "
			"(SELECT COALESCE(pg_catalog.sum(y.amount), 0) AS paid FROM licensing.application_payment y "
			"  WHERE y.application OPERATOR(pg_catalog.=) $3::bigint) p", 3, args);
		if (!res_true(1))
		{
			char	   *detail = psprintf("The fee is %s; payments recorded add up to %s.", res(2), res(3));

			fail(v, ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE, "no_payment",
				 "Pay the fee through the payment gateway, then submit again.", detail,
				 "application %s is not paid", id);
			v->reason = res_true(4) ? "underpaid" : "not_paid";
			return;
		}
	}

	/* No 382 of 19.12.2012 §6 10) (condition 3), No 29/02 of 22.05.2013 §6 7): the signer's IIN/BIN equals the applicant's */
	if (streq(channel, "portal"))
	{
		bool		isnull;
		Datum		sig = col(n, "applicant_signature", BYTEAOID, &isnull);
		char	   *problem = NULL;
		const char *reason = NULL;

		if (isnull)
		{
			problem = "no signature was given";
			reason = "no_signature";
		}
		else
		{
			Datum		vals[3];
			Oid			types[3] = {INT8OID, BYTEAOID, TEXTOID};
			int			rc;
			int			q;
			bool		legal;

			/*
			 * Issue #17: column 5 says whether the signer holds a role that
			 * may sign a legal entity's application of the service (the
			 * rows of licensing.signing_role; none: first head or right to
			 * sign).
			 */
			/* the 1.0 script has neither the table nor the roles column: its rule */
			q = OidIsValid(get_relname_relid("signing_role", get_namespace_oid("licensing", false)))
				? Q_APPSIG_ROLES : Q_APPSIG;
			if (plans[q] == NULL)
			{
				SPIPlanPtr	p = SPI_prepare(q == Q_APPSIG ?
											"SELECT v.valid, v.problem, v.signer_iin::text, v.signer_bin::text, "
											"true, NULL::text "
											"FROM licensing.verify_signature(licensing._signing_payload($1), $2) v" :
											"SELECT v.valid, v.problem, v.signer_iin::text, v.signer_bin::text, "
											"COALESCE((SELECT pg_catalog.bool_or(r.role OPERATOR(pg_catalog.=) ANY (v.roles)) "
											"  FROM licensing.signing_role r WHERE r.service OPERATOR(pg_catalog.=) $3), "
											"  v.roles OPERATOR(pg_catalog.&&) '{first_head,may_sign}'::text[]), "
											"pg_catalog.array_to_string(v.roles, ',') "
											"FROM licensing.verify_signature(licensing._signing_payload($1), $2) v",
											3, types);

				if (p == NULL || SPI_keepplan(p) != 0)
					elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
				plans[q] = p;
			}
			vals[0] = Int64GetDatum(pg_strtoint64(id));
			vals[1] = sig;
			vals[2] = CStringGetTextDatum(col_text(n, "service"));
			rc = SPI_execute_plan(plans[q], vals, NULL, true, 1);
			if (rc != SPI_OK_SELECT)
				elog(ERROR, "SPI_execute_plan failed: %s", SPI_result_code_string(rc));
			/* signing for a legal entity: its roles decide, by the service's rows */
			legal = res(4) != NULL && streq(res(4), applicant);
			if (!res_true(1) && !(legal && streq(res(2), "no_signing_right")))
			{
				/*
				 * A signature the signer made over other bytes (the draft
				 * changed after signing, or another application's payload)
				 * fails as bad_signature; told apart by its signed
				 * attributes verifying on their own (sigcore.c).
				 */
				reason = res(2) ? res(2) : "malformed";
				if (streq(reason, "bad_signature") &&
					sig_signed_other_content((const unsigned char *) VARDATA_ANY(DatumGetByteaPP(sig)),
											 VARSIZE_ANY_EXHDR(DatumGetByteaPP(sig))))
				{
					reason = "not_this_application";
					problem = "the signature was made over other content (another application, or this draft before it changed)";
				}
				else
					problem = psprintf("the signature is not valid (%s)", reason);
			}
			else if (!streq(res(3), applicant) && !legal)
			{
				problem = psprintf("the signer (IIN %s, BIN %s) is not the applicant",
								   res(3) ? res(3) : "none", res(4) ? res(4) : "none");
				reason = "not_the_applicant";
			}
			else if (legal && !res_true(5))
			{
				problem = psprintf("the signer (IIN %s) holds none of the roles that may sign "
								   "for a legal entity in service %s (certificate roles: %s; "
								   "licensing.signing_role lists them, else first_head or may_sign)",
								   res(3) ? res(3) : "none", col_text(n, "service"),
								   res(6) && res(6)[0] ? res(6) : "none");
				reason = "no_signing_right";
			}
		}
		if (problem)
		{
			fail(v, ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE, "signature_not_confirmed",
				 "Sign licensing.signing_payload() of the application with the applicant's certificate.",
				 psprintf("The applicant's signature is not confirmed: %s.", problem),
				 "signature of application %s is not confirmed", id);
			v->reason = MemoryContextStrdup(v->cxt, reason);	/* res() is SPI memory */
			return;
		}
	}
}

/* ------------------------------------------------------------------ corrections (issue #14) */

typedef struct ChangedArg
{
	Row		   *o;
	Row		   *n;
}			ChangedArg;

/* Whether column changed between the rows (workflow_transition_changing). */
static bool
column_changed(const char *column, void *arg)
{
	ChangedArg *rows = arg;
	int			att = workflow_attnum(rows->o->desc, column, true);
	Form_pg_attribute a;

	if (att == 0)
		return false;
	a = TupleDescAttr(rows->o->desc, att - 1);
	if (rows->o->isnull[att - 1] || rows->n->isnull[att - 1])
		return rows->o->isnull[att - 1] != rows->n->isnull[att - 1];
	return !datum_image_eq(rows->o->values[att - 1], rows->n->values[att - 1], a->attbyval, a->attlen);
}

static bool
is_correction(const char *event)
{
	return strcmp(event, "reassign") == 0 || strcmp(event, "return_step") == 0 || strcmp(event, "revise") == 0;
}

/*
 * Whether the licence a re-issue or duplicate targets is no longer active
 * (suspended, terminated or re-issued since the application was made); if
 * so and signing, fails with 55000 naming the way on.
 */
static bool
target_licence_changed(Row *o, Verdict *v, const char *id, bool signing)
{
	char	   *operation = col_text(o, "operation");
	char	   *number = col_text(o, "licence_number");
	const char *args[1] = {number};
	char	   *status;

	if (number == NULL || !(streq(operation, "reissue") || streq(operation, "duplicate")))
		return false;
	run(Q_TARGET, "SELECT l.status FROM licensing.licence l WHERE l.number OPERATOR(pg_catalog.=) $1", 1, args);
	status = res(1);
	if (streq(status, "active"))
		return false;
	if (signing)
		fail(v, ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE, NULL,
			 "The executor refuses it: licensing.refuse(application, 'licence_status_changed', reason_kk, reason_ru); "
			 "the head may also return it with licensing.return_step.",
			 psprintf("Licence %s, which the %s would act on, is %s now; only an active licence is %s.",
					  number, operation, status ? status : "missing",
					  streq(operation, "reissue") ? "re-issued" : "duplicated"),
			 "the grant of application %s cannot be signed: licence %s is %s", id, number,
			 status ? status : "missing");
	return true;
}

/* What a correction needs: its reason, and per correction what makes sense. */
static void
check_correction(const WorkflowTransition *move, Row *o, Row *n, Verdict *v, const char *id,
				 const char *provider)
{
	char	   *reason = col_text(n, "correction_reason");

	if (reason == NULL || *reason == '\0' || strspn(reason, " \t\r\n") == strlen(reason))
	{
		fail(v, ERRCODE_INVALID_PARAMETER_VALUE, NULL, "Pass the reason of the correction.",
			 "Each correction is recorded in the application's history with its reason.",
			 "%s of application %s needs its reason", move->event, id);
		return;
	}
	if (strlen(reason) > 4000)
	{
		fail(v, ERRCODE_STRING_DATA_RIGHT_TRUNCATION, NULL, "Say it in at most 4000 bytes.",
			 psprintf("The reason is %zu bytes long.", strlen(reason)),
			 "the reason of %s of application %s is too long", move->event, id);
		return;
	}
	if (strcmp(move->event, "revise") == 0)
	{
		char	   *outcome = col_text(o, "outcome");

		if (streq(outcome, "granted") && (col_text(n, "reason_kk") != NULL || col_text(n, "reason_ru") != NULL))
			fail(v, ERRCODE_INVALID_PARAMETER_VALUE, NULL,
				 "Revise a grant's details ({\"decision\": {...}}), a refusal's reasons.",
				 "A grant carries no refusal reasons.",
				 "the grant of application %s cannot take refusal reasons", id);
		else if (streq(outcome, "refused") && col_text(n, "decision") != NULL)
			fail(v, ERRCODE_INVALID_PARAMETER_VALUE, NULL,
				 "Revise a refusal's reasons ({\"reason_kk\": ..., \"reason_ru\": ...}).",
				 "A refusal carries no grant details.",
				 "the refusal of application %s cannot take grant details", id);
		else if (!column_changed("decision", &(ChangedArg) {o, n}) &&
				 !column_changed("reason_kk", &(ChangedArg) {o, n}) &&
				 !column_changed("reason_ru", &(ChangedArg) {o, n}))
			fail(v, ERRCODE_INVALID_PARAMETER_VALUE, NULL,
				 "Pass what changes: a grant's details or a refusal's reasons.",
				 "A revision records a changed decision.",
				 "revision of application %s changes nothing", id);
	}
}

/*
 * A granted decision refused later (decided to decided): only because its
 * target licence changed status (API §4.1), with ground
 * licence_status_changed.
 */
static void
check_late_refusal(Row *o, Row *n, Verdict *v, const char *id)
{
	if (!streq(col_text(o, "outcome"), "granted") || !streq(col_text(n, "outcome"), "refused"))
		fail(v, ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE, NULL,
			 "Revise the decision with licensing.revise.",
			 "Only a grant is refused after its decision.",
			 "the decision of application %s is already %s", id, col_text(o, "outcome"));
	else if (!streq(col_text(n, "ground"), "licence_status_changed"))
		fail(v, ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE, NULL,
			 "Ask the unit head or the head to return the decision (licensing.return_step), then decide again.",
			 "After a decision, refuse takes only ground licence_status_changed (API §4.1).",
			 "the grant of application %s cannot be refused for %s", id,
			 col_text(n, "ground") ? limits_quote(col_text(n, "ground")) : "(no ground)");
	else if (!target_licence_changed(o, v, id, false))
		fail(v, ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE, NULL,
			 "Sign the grant, or ask for it to be returned (licensing.return_step).",
			 "Ground licence_status_changed needs a re-issue or duplicate whose licence is no longer active.",
			 "the licence application %s targets has not changed status", id);
}

/*
 * South Kazakhstan No 441 of 28.12.2015, §4: an incomplete set is refused within
 * the completeness check, while its step (confirm_complete, its norm as pinned:
 * 2 working days of receipt in south-kazakhstan-2015) is open and not past due;
 * after it, 55000 naming the step's due moment.  False when it failed.
 */
static bool
completeness_window(Row *o, Verdict *v, const char *id, const char *step)
{
	bool		isnull;
	Datum		due;
	char	   *when;

	if (strcmp(step, "confirm_complete") == 0)
	{
		due = col(o, "step_due_at", TIMESTAMPTZOID, &isnull);
		if (isnull || workflow_clock() <= DatumGetTimestampTz(due))
			return true;
	}
	else
	{
		/* completeness was confirmed: its step closed, at its due moment or not */
		const char *args[1] = {id};

		run(Q_WINDOW, "SELECT e.step_due_at FROM licensing.application_event e "
			"WHERE e.application OPERATOR(pg_catalog.=) $1::bigint AND e.step OPERATOR(pg_catalog.=) 'confirm_complete' "
			"ORDER BY e.seq DESC LIMIT 1", 1, args);
		due = SPI_processed > 0 ? SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull) : (isnull = true, (Datum) 0);
	}
	when = isnull ? "its confirmation" :
		text_to_cstring(DatumGetTextPP(DirectFunctionCall1(licensing_utc, due)));
	fail(v, ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE, NULL,
		 "Decide on the merits with another ground, or grant.",
		 psprintf("South Kazakhstan No 441 of 28.12.2015, §4: an incomplete set of documents is refused within the completeness check (the step confirm_complete), which ended at %s.",
				  when),
		 "application %s can no longer be refused for incomplete documents: the completeness check ended at %s",
		 id, when);
	return false;
}

/*
 * API §4.1: completeness is confirmed only when the application has every
 * document and form field the catalogue requires (74_catalogue.sql); else
 * 55000 naming them.  The 1.0 install script has no catalogue: nothing to
 * check there.
 */
static void
check_catalogue(Verdict *v, const char *id)
{
	const char *args[1] = {id};
	char	   *missing;

	run(Q_HASCAT, "SELECT pg_catalog.to_regprocedure('licensing._missing(bigint)') IS NOT NULL", 0, args);
	if (!res_true(1))
		return;
	run(Q_MISSING, "SELECT pg_catalog.string_agg(m.what OPERATOR(pg_catalog.||) ' ' OPERATOR(pg_catalog.||) m.name, ', ') "
		"FROM licensing._missing($1::bigint) m", 1, args);
	missing = res(1);
	if (missing != NULL)
		fail(v, ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE, NULL,
			 "Refuse it for incomplete_documents within the completeness check (South Kazakhstan No 441 of 28.12.2015, §4); "
			 "licensing.missing_documents() names what is missing.",
			 "The catalogue (licensing.required_document, licensing.required_form_field) requires them "
			 "for the application's service, operation and applicant; a scan of a paper original counts "
			 "only where the catalogue allows paper.",
			 "application %s is not complete: it lacks %s", id, missing);
}

/*
 * The rule.  o is NULL for INSERT, n is NULL for DELETE.
 */
static void
transition_check(Row *o, Row *n, Verdict *v)
{
	char	   *actor = workflow_actor_name();
	char	   *id;
	char	   *from,
			   *to;
	char	   *provider;
	Jsonb	   *steps = NULL;
	const char *step = NULL;	/* the profile step the transition performs */
	const char *const *allowed = no_cols;
	const WorkflowTransition *move = NULL;	/* the row of the transition table */
	bool		withdraw = false,
				submit = false;

	v->ok = true;

	if (o == NULL)
	{
		/* INSERT: a fresh draft; anything else only by a superuser (pg_restore) */
		char	   *state = col_text(n, "state");

		if (!streq(state, "draft") || col_text(n, "number") != NULL || col_text(n, "submitted_at") != NULL)
		{
			if (!superuser_arg(GetOuterUserId()))
				fail(v, ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE, NULL,
					 "Create applications with licensing.create_application().",
					 "A new application starts as a draft without number; only a restore (as a superuser) loads others.",
					 "a new application cannot start in state %s", state);
		}
		return;
	}

	id = col_text(o, "id");
	from = col_text(o, "state");
	if (n == NULL)
	{
		if (!streq(from, "draft"))
			fail(v, ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE, NULL,
				 "Withdraw the application instead; its history stays.",
				 "Only drafts may be deleted: an accepted application is a record of the provider.",
				 "application %s in state %s cannot be deleted", id, from);
		return;
	}
	to = col_text(n, "state");
	provider = col_text(o, "provider");

	/*
	 * A calendar change moving an open application's terms: the move of the
	 * transition table performed by the calendar, allowed only while the
	 * calendar's trigger moves this application (calendar_moves.c), and
	 * changing only the columns of that move.
	 */
	if (streq(from, to) && calendar_moving(pg_strtoint64(id)))
	{
		const WorkflowTransition *t = workflow_transition_event_row(WORKFLOW_CALENDAR_EVENT, from, to);

		if (t != NULL)
		{
			const char *c = changed_column(o, n, t->columns);

			if (c != NULL)
				fail(v, ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE, NULL,
					 "Change an application only through the functions of licensing.",
					 psprintf("A calendar change moves only the terms and due moments of application %s.", id),
					 "column %s of application %s cannot change here", c, id);
			return;
		}
	}

	/*
	 * API §8: a role that may not see the application (the portal for another
	 * applicant, staff of another provider) learns only that it does not
	 * exist, with the words of a missing id: no state, no provider.
	 */
	if (!superuser_arg(GetOuterUserId()) && !portal_for(col_text(o, "applicant")) &&
		!staff_at(actor, provider))
	{
		fail(v, ERRCODE_NO_DATA_FOUND, NULL, "Check the application id.", NULL,
			 "application %s does not exist", id);
		return;
	}
	{
		bool		isnull;
		Datum		d = col(o, "steps", JSONBOID, &isnull);

		if (!isnull)
			steps = DatumGetJsonbP(d);
	}

	/* ---- which transition */
	if (streq(from, to) && !streq(from, "draft"))
	{
		/* a correction that keeps the state (transitions.c), told by the column it changes */
		ChangedArg	arg = {o, n};

		move = workflow_transition_changing(from, to, steps, column_changed, &arg);
		if (move == NULL)
		{
			fail(v, ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE, NULL,
				 "Use the step functions of licensing (register, assign, ...); a step already done is not repeated.",
				 "After submit, an application changes only by the next step of its profile.",
				 "application %s is already %s", id, from);
			return;
		}
		step = move->step;
		allowed = move->columns;
		if (step == NULL || step_performer(steps, step) == NULL)
		{
			fail(v, ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE, NULL,
				 "Follow the steps of the application's profile in order.",
				 psprintf("The profile of application %s has no step %s.", id, step ? step : "(none)"),
				 "application %s cannot take %s", id, move->event);
			return;
		}
	}
	else if (streq(from, to))
	{
		if (!streq(from, "draft"))
		{
			fail(v, ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE, NULL,
				 "Use the step functions of licensing (register, assign, ...); a step already done is not repeated.",
				 "After submit, an application changes only by the next step of its profile.",
				 "application %s is already %s", id, from);
			return;
		}
		allowed = workflow_transition(from, to, steps)->columns;
		if (streq(col_text(o, "channel"), "portal") ? !portal_for(col_text(o, "applicant"))
			: staff_row(actor, provider, "clerk") == NULL)
		{
			fail(v, ERRCODE_INSUFFICIENT_PRIVILEGE, NULL, NULL,
				 "A draft is edited by the portal for its applicant, or at the office by a clerk of its provider.",
				 "role \"%s\" may not edit application %s", actor, id);
			return;
		}
	}
	else
	{
		/* the move of the transition table (transitions.c), as the pinned profile allows it */
		const WorkflowTransition *t = workflow_transition(from, to, steps);

		move = t;
		if (t != NULL)
		{
			step = t->step;
			allowed = t->columns;
			withdraw = strcmp(t->event, "withdraw") == 0;
			submit = strcmp(t->event, "submit") == 0;
		}
	}

	if (!streq(from, to) && !withdraw && !submit && (step == NULL || step_performer(steps, step) == NULL))
	{
		fail(v, ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE, NULL,
			 "Follow the steps of the application's profile in order.",
			 steps ? psprintf("The profile of application %s does not allow %s after %s.", id, to, from)
			 : "The application has no pinned profile steps.",
			 "application %s cannot go from %s to %s", id, from, to);
		return;
	}

	/* ---- who may act */
	if (withdraw)
	{
		char	   *applicant = col_text(o, "applicant");

		if (!portal_for(applicant) &&
			!(streq(col_text(o, "channel"), "office") && staff_row(actor, provider, "clerk") != NULL))
		{
			fail(v, ERRCODE_INSUFFICIENT_PRIVILEGE, NULL,
				 "The portal withdraws for the applicant it acts for (licensing.act_for).",
				 "Only the applicant withdraws an application (at the office, through a clerk).",
				 "role \"%s\" may not withdraw application %s", actor, id);
			return;
		}
	}
	else if (step != NULL)
	{
		char	   *position = step_performer(steps, step);

		if (staff_row(actor, provider, position) == NULL)
		{
			fail(v, ERRCODE_INSUFFICIENT_PRIVILEGE, NULL,
				 "Ask staff of the provider in that position, or record the role in licensing.staff.",
				 psprintf("Step %s of application %s is performed by a %s of provider %s.",
						  step, id, position, provider),
				 "role \"%s\" is not a %s of provider %s", actor, position, provider);
			return;
		}
		if (strcmp(position, "executor") == 0 && !streq(col_text(o, "executor"), actor))
		{
			fail(v, ERRCODE_INSUFFICIENT_PRIVILEGE, NULL,
				 "The assigned executor performs this step.",
				 psprintf("Application %s is assigned to %s.", id,
						  col_text(o, "executor") ? col_text(o, "executor") : "nobody"),
				 "role \"%s\" is not the executor of application %s", actor, id);
			return;
		}
	}

	/* ---- nothing else changes */
	{
		const char *c = changed_column(o, n, withdraw ? no_cols : allowed);

		if (c != NULL)
		{
			fail(v, ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE, NULL,
				 "Change an application only through the functions of licensing.",
				 psprintf("Going from %s to %s does not change column %s.", from, to, c),
				 "column %s of application %s cannot change here", c, id);
			return;
		}
	}

	/* ---- what the step needs */
	if (move != NULL && is_correction(move->event))
	{
		check_correction(move, o, n, v, id, provider);
		if (!v->ok || strcmp(move->event, "return_step") == 0)
			return;
	}
	if (move != NULL && strcmp(move->event, "refuse") == 0 && streq(from, to))
	{
		check_late_refusal(o, n, v, id);
		if (!v->ok)
			return;
	}
	if (submit)
		check_submit(n, v, id, actor);
	else if (step == NULL)
		return;
	else if (strcmp(step, "route") == 0)
	{
		if (empty(col_text(n, "unit")))
			fail(v, ERRCODE_INVALID_PARAMETER_VALUE, NULL, "Name the unit.",
				 "Routing names the structural unit that will handle the application (Almaty region No 161 of 13.05.2014, §18–19).",
				 "no unit given for application %s", id);
	}
	else if (strcmp(step, "confirm_complete") == 0 && strcmp(to, "in_review") == 0)
		check_catalogue(v, id);
	else if (strcmp(step, "assign") == 0)
	{
		char	   *executor = col_text(n, "executor");

		if (executor == NULL || staff_row(executor, provider, "executor") == NULL)
			fail(v, ERRCODE_INVALID_PARAMETER_VALUE, NULL,
				 "Choose a role with a licensing.staff row of position executor at this provider.",
				 "The executor must be an executor of the application's provider.",
				 "\"%s\" is not an executor of provider %s", executor ? executor : "(none)", provider);
	}
	else if (strcmp(to, "decided") == 0)
	{
		char	   *outcome = col_text(n, "outcome");
		char	   *ground = col_text(n, "ground");

		if (streq(outcome, "granted") && strcmp(step, "decide") == 0)
		{
			if (ground != NULL || empty(col_text(n, "result_number")))
				fail(v, ERRCODE_INVALID_PARAMETER_VALUE, NULL, "Use licensing.grant().",
					 "A grant carries the number allocated for it and no refusal ground.",
					 "grant of application %s has no result number", id);
		}
		else if (streq(outcome, "refused"))
		{
			const char *args[1] = {ground};

			if (ground == NULL || run(Q_GROUND, "SELECT g.intake FROM licensing.refusal_ground g "
									  "WHERE g.code OPERATOR(pg_catalog.=) $1", 1, args) == 0 || res_true(1))
				fail(v, ERRCODE_INVALID_PARAMETER_VALUE, NULL,
					 "Use a ground of licensing.refusal_ground that is not an intake ground.",
					 "A reasoned refusal names its ground (DOMAIN §8).",
					 "\"%s\" is not a refusal ground",
					 ground ? limits_quote(ground) : "(none)");
			else if (strcmp(ground, "incomplete_documents") == 0 && !completeness_window(o, v, id, step))
				return;
			else if (strcmp(step, "confirm_complete") == 0 && strcmp(ground, "incomplete_documents") != 0)
				fail(v, ERRCODE_INVALID_PARAMETER_VALUE, NULL,
					 "Confirm completeness first; other grounds are decided in review.",
					 "Before completeness is confirmed the only ground is incomplete_documents (South Kazakhstan No 441 of 28.12.2015, §4).",
					 "ground %s cannot refuse application %s during the completeness check", ground, id);
			else if (empty(col_text(n, "reason_kk")) || empty(col_text(n, "reason_ru")))
				fail(v, ERRCODE_INVALID_PARAMETER_VALUE, NULL,
					 "Give the reasons in Kazakh and in Russian.",
					 "A reasoned refusal carries its reason text in Kazakh and Russian (DOMAIN §8).",
					 "refusal of application %s has no reasons", id);
		}
		else
			fail(v, ERRCODE_INVALID_PARAMETER_VALUE, NULL, "Use licensing.grant() or licensing.refuse().",
				 "A decision is granted or refused.",
				 "decision of application %s has no valid outcome", id);
	}
	else if (strcmp(step, "sign_decision") == 0 &&
			 streq(col_text(o, "outcome"), "granted") && target_licence_changed(o, v, id, true))
		return;					/* API §4.1: not signed, its way on named */
	else if (strcmp(step, "sign_decision") == 0)
	{
		bool		pnull,
					snull;
		Datum		payload = col(n, "decision_payload", BYTEAOID, &pnull);
		Datum		sig = col(n, "decision_signature", BYTEAOID, &snull);
		char	   *head_iin = staff_row(actor, provider, step_performer(steps, "sign_decision"));

		if (pnull || snull)
		{
			fail(v, ERRCODE_INVALID_PARAMETER_VALUE, NULL,
				 "Sign licensing.decision_payload() and pass the signature to licensing.sign_decision().",
				 "The head's signature over the decision is required (South Kazakhstan No 382 of 19.12.2012, §6 16), process 11).",
				 "decision of application %s is not signed", id);
			return;
		}
		{
			Datum		vals[3];
			Oid			types[3] = {INT8OID, BYTEAOID, BYTEAOID};

			if (plans[Q_DECSIG] == NULL)
				plans[Q_DECSIG] = workflow_prepare("SELECT v.valid, v.problem, v.signer_iin::text, "
												   "licensing._decision_payload($1) OPERATOR(pg_catalog.=) $3 "
												   "FROM licensing.verify_signature($3, $2) v", 3, types);
			vals[0] = Int64GetDatum(pg_strtoint64(id));
			vals[1] = sig;
			vals[2] = payload;
			workflow_execute(plans[Q_DECSIG], vals, NULL, SPI_OK_SELECT, 1);
			if (!res_true(4))
				fail(v, ERRCODE_INVALID_PARAMETER_VALUE, NULL,
					 "Sign exactly the bytes of licensing.decision_payload().",
					 "The stored payload differs from the decision of the application.",
					 "decision payload of application %s does not match its decision", id);
			else if (!res_true(1))
				fail(v, ERRCODE_INVALID_PARAMETER_VALUE, NULL,
					 "Sign with a valid certificate of the national CA.",
					 psprintf("Signature verification failed: %s.", res(2) ? res(2) : "unknown"),
					 "signature of the decision of application %s is not valid", id);
			else if (empty(head_iin) || !streq(res(3), head_iin))
				fail(v, ERRCODE_INSUFFICIENT_PRIVILEGE, NULL,
					 "The head signs with the certificate of the IIN recorded in licensing.staff.",
					 psprintf("The signer's IIN is %s; the signing head's is %s.",
							  res(3) ? res(3) : "unknown", empty(head_iin) ? "not recorded" : head_iin),
					 "the decision of application %s is not signed by its head", id);
		}
	}
}

static void
raise_verdict(Verdict *v)
{
	ereport(ERROR,
			(errcode(v->sqlstate),
			 errmsg("%s", v->message),
			 v->detail ? errdetail("%s", v->detail) : 0,
			 v->hint ? errhint("%s", v->hint) : 0));
}

/*
 * Runs the rule with SPI under search_path = pg_catalog, pg_temp, so that a
 * caller's hostile search_path cannot capture a type or operator of its
 * queries (QUALITY R7); the setting is restored when the check ends
 * (queries.c: the API functions have pinned it already).
 */
static void
check_with_spi(Row *o, Row *n, Verdict *v)
{
	int			save_nestlevel;

	v->cxt = CurrentMemoryContext;
	save_nestlevel = workflow_pin_search_path();
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	transition_check(o, n, v);
	SPI_finish();
	workflow_unpin_search_path(save_nestlevel);
}

/*
 * licensing._application_guard() RETURNS trigger
 *
 * BEFORE INSERT OR UPDATE OR DELETE FOR EACH ROW on licensing.application.
 */
PG_FUNCTION_INFO_V1(licensing_application_guard);
Datum
licensing_application_guard(PG_FUNCTION_ARGS)
{
	TriggerData *td = licensing_trigger_check(fcinfo, "licensing._application_guard()",
											  workflow_application_table, TRIGGER_TYPE_BEFORE, true,
											  TRIGGER_TYPE_INSERT | TRIGGER_TYPE_UPDATE |
											  TRIGGER_TYPE_DELETE);
	TupleDesc	desc;
	Row			o, n;
	Verdict		v;

	desc = RelationGetDescr(td->tg_relation);

	if (TRIGGER_FIRED_BY_INSERT(td->tg_event))
	{
		n = workflow_row(td->tg_trigtuple, desc);
		check_with_spi(NULL, &n, &v);
		if (!v.ok)
			raise_verdict(&v);
		return PointerGetDatum(td->tg_trigtuple);
	}
	if (TRIGGER_FIRED_BY_DELETE(td->tg_event))
	{
		o = workflow_row(td->tg_trigtuple, desc);
		check_with_spi(&o, NULL, &v);
		if (!v.ok)
			raise_verdict(&v);
		return PointerGetDatum(td->tg_trigtuple);
	}
	o = workflow_row(td->tg_trigtuple, desc);
	n = workflow_row(td->tg_newtuple, desc);
	check_with_spi(&o, &n, &v);
	if (!v.ok)
		raise_verdict(&v);
	return PointerGetDatum(td->tg_newtuple);
}

/*
 * licensing._check_transition(old licensing.application, new licensing.application)
 *   RETURNS licensing._transition_verdict (ok, sqlstate, ground, message, detail, hint, reason)
 */
PG_FUNCTION_INFO_V1(licensing_check_transition);
Datum
licensing_check_transition(PG_FUNCTION_ARGS)
{
	HeapTupleHeader oh = PG_GETARG_HEAPTUPLEHEADER(0);
	HeapTupleHeader nh = PG_GETARG_HEAPTUPLEHEADER(1);
	HeapTupleData ot, nt;
	TupleDesc	desc, rdesc;
	Row			o, n;
	Verdict		v;
	Datum		values[7];
	bool		nulls[7] = {false, false, false, false, false, false, true};

	desc = lookup_rowtype_tupdesc(HeapTupleHeaderGetTypeId(oh), HeapTupleHeaderGetTypMod(oh));
	ot.t_len = HeapTupleHeaderGetDatumLength(oh);
	ItemPointerSetInvalid(&ot.t_self);
	ot.t_tableOid = InvalidOid;
	ot.t_data = oh;
	nt.t_len = HeapTupleHeaderGetDatumLength(nh);
	ItemPointerSetInvalid(&nt.t_self);
	nt.t_tableOid = InvalidOid;
	nt.t_data = nh;
	o = workflow_row(&ot, desc);
	n = workflow_row(&nt, desc);
	check_with_spi(&o, &n, &v);
	ReleaseTupleDesc(desc);

	if (get_call_result_type(fcinfo, NULL, &rdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	/* 1.0's type has six columns; 1.1 adds reason (API §4, revision 2) */
	if (rdesc->natts != 6 && rdesc->natts != 7)
		elog(ERROR, "licensing._transition_verdict must have 6 or 7 columns");
	rdesc = BlessTupleDesc(rdesc);
	values[0] = BoolGetDatum(v.ok);
	if (v.ok)
	{
		nulls[1] = nulls[2] = nulls[3] = nulls[4] = nulls[5] = true;
	}
	else
	{
		values[1] = CStringGetTextDatum(unpack_sql_state(v.sqlstate));
		if (v.ground)
			values[2] = CStringGetTextDatum(v.ground);
		else
			nulls[2] = true;
		values[3] = CStringGetTextDatum(v.message);
		if (v.detail)
			values[4] = CStringGetTextDatum(v.detail);
		else
			nulls[4] = true;
		if (v.hint)
			values[5] = CStringGetTextDatum(v.hint);
		else
			nulls[5] = true;
		if (v.reason)
		{
			values[6] = CStringGetTextDatum(v.reason);
			nulls[6] = false;
		}
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(rdesc, values, nulls)));
}

/* value must be one of the NULL-terminated list, else 23514 naming it (a prefix of a long one). */
static void
check_value(const char *column, const char *value, const char *const *allowed, const char *hint)
{
	if (value == NULL || in_list(allowed, value))
		return;
	ereport(ERROR,
			(errcode(ERRCODE_CHECK_VIOLATION),
			 errmsg("\"%s\" is not a valid %s of an application",
					limits_quote(value), column),
			 errdetail("The %s of licensing.application is one of a closed set.", column),
			 errhint("%s", hint)));
}

/*
 * The rule of the CHECK of licensing.application: state, operation, channel
 * and outcome (C strings, NULL when SQL NULL) from their closed sets, and an
 * open step with its due moment; 23514 naming what is not allowed.
 */
static void
application_values(const char *state, const char *operation, const char *channel, const char *outcome,
				   bool step_null, bool due_null)
{
	static const char *const states[] = {"draft", "submitted", "registered", "routed", "assigned", "in_review",
	"decided", "approved", "signed", "delivered", "withdrawn", NULL};
	static const char *const operations[] = {"issue", "reissue", "duplicate", "annex", NULL};
	static const char *const channels[] = {"portal", "office", NULL};
	static const char *const outcomes[] = {"granted", "refused", NULL};

	check_value("state", state, states,
				"States are draft, submitted, registered, routed, assigned, in_review, decided, approved, signed, delivered and withdrawn.");
	check_value("operation", operation, operations, "Operations are issue, reissue, duplicate and annex.");
	check_value("channel", channel, channels, "Channels are portal and office.");
	check_value("outcome", outcome, outcomes, "Outcomes are granted and refused.");
	if (step_null != due_null)
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("an open step of an application needs its due moment"),
				 errdetail("step and step_due_at are set together, by the workflow's derive trigger."),
				 errhint("Change applications through the functions of licensing.")));
}

/*
 * licensing._application_values(state, operation, channel, outcome, step, step_due_at) RETURNS boolean
 *
 * The CHECK of licensing.application in version 1.0: true, or 23514 with the
 * value that is not allowed.  NULL state, operation and channel are left to
 * NOT NULL.
 */
PG_FUNCTION_INFO_V1(licensing_application_values);
Datum
licensing_application_values(PG_FUNCTION_ARGS)
{
	char	   *arg[4];
	int			i;

	for (i = 0; i < 4; i++)
		arg[i] = PG_ARGISNULL(i) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(i));
	application_values(arg[0], arg[1], arg[2], arg[3], PG_ARGISNULL(4), PG_ARGISNULL(5));
	PG_RETURN_BOOL(true);
}

/*
 * licensing._application_row_values(a licensing.application) RETURNS boolean
 *
 * The same CHECK given the row (1.1): the executor reads a CHECK's expression
 * from its catalog text at every statement's start, and one whole-row
 * argument reads in about a fifth of the time of six columns.  The columns
 * are found by name and their types checked before they are read.
 */
PG_FUNCTION_INFO_V1(licensing_application_row_values);
Datum
licensing_application_row_values(PG_FUNCTION_ARGS)
{
	static const char *const names[6] = {"state", "operation", "channel", "outcome", "step", "step_due_at"};
	HeapTupleHeader row;
	HeapTupleData tuple;
	TupleDesc	desc;
	Row			r;
	char	   *val[4];
	bool		isnull[6];
	int			i;

	if (PG_ARGISNULL(0))
		PG_RETURN_BOOL(true);
	row = PG_GETARG_HEAPTUPLEHEADER(0);
	desc = lookup_rowtype_tupdesc(HeapTupleHeaderGetTypeId(row), HeapTupleHeaderGetTypMod(row));
	tuple.t_len = HeapTupleHeaderGetDatumLength(row);
	ItemPointerSetInvalid(&tuple.t_self);
	tuple.t_tableOid = InvalidOid;
	tuple.t_data = row;
	r = workflow_row(&tuple, desc);
	for (i = 0; i < 6; i++)
	{
		int			att = workflow_attnum(desc, names[i], false);

		licensing_column_type_check(desc, att, i < 5 ? TEXTOID : TIMESTAMPTZOID);
		isnull[i] = r.isnull[att - 1];
		if (i < 4)
			val[i] = isnull[i] ? NULL : TextDatumGetCString(r.values[att - 1]);
	}
	ReleaseTupleDesc(desc);
	application_values(val[0], val[1], val[2], val[3], isnull[4], isnull[5]);
	PG_RETURN_BOOL(true);
}
