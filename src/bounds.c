/*
 * bounds.c
 *		Input bounds of licensing (security issue #13, part 4): the settings
 *		that bound what any role can make a backend decode or hold, and
 *		licensing._limit_input(kind, value), which the API functions call
 *		first, before any other work, to refuse an oversized argument.
 *
 * The settings are PGC_SUSET: a role that is not a superuser can neither
 * SET them nor leave a placeholder value that the library would take when it
 * loads (PostgreSQL applies a placeholder with the privileges of the role
 * that set it).  Sizes are compared as stored after detoasting, read from the
 * datum's header or toast pointer, so a 100 MB value is refused without being
 * read.  The messages quote sizes and settings only, never the value.
 */
#include "postgres.h"

#include "access/detoast.h"
#include "fmgr.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"

#include "bounds.h"

/* kB; PostgreSQL's GUC_UNIT_KB lets a superuser write '64kB' or '20MB' */
int			limit_signature_kb = 64;
int			limit_document_kb = 20 * 1024;
int			limit_form_kb = 1024;
int			limit_signature_cache_kb = 8 * 1024;

#define LIMIT_MAX_KB (1024 * 1024)	/* 1 GB: no bytea or jsonb is larger */

void
limits_define(void)
{
	DefineCustomIntVariable("licensing.max_signature_size",
							"Largest CMS signature accepted (verify_signature, submit, sign_decision).",
							"verify_signature answers malformed for a larger one without decoding it; "
							"submit and sign_decision refuse it with 54000.",
							&limit_signature_kb, 64, 1, LIMIT_MAX_KB,
							PGC_SUSET, GUC_UNIT_KB, NULL, NULL, NULL);
	DefineCustomIntVariable("licensing.max_document_size",
							"Largest document accepted by attach_document.",
							NULL, &limit_document_kb, 20 * 1024, 1, LIMIT_MAX_KB,
							PGC_SUSET, GUC_UNIT_KB, NULL, NULL, NULL);
	DefineCustomIntVariable("licensing.max_form_size",
							"Largest application form (jsonb) accepted by create_application.",
							NULL, &limit_form_kb, 1024, 1, LIMIT_MAX_KB,
							PGC_SUSET, GUC_UNIT_KB, NULL, NULL, NULL);
	DefineCustomIntVariable("licensing.signature_cache_size",
							"Memory each backend may use to keep the certificates of verified signatures.",
							"An estimate of the decoded certificates; 0 keeps none.",
							&limit_signature_cache_kb, 8 * 1024, 0, LIMIT_MAX_KB,
							PGC_SUSET, GUC_UNIT_KB, NULL, NULL, NULL);
}

Size
limits_datum_size(Datum value)
{
	return toast_raw_datum_size(value) - VARHDRSZ;
}

/* "64kB", "20MB": a setting's value as SHOW prints it. */
static const char *
shown(const char *name)
{
	return GetConfigOptionByName(name, NULL, false);
}

/*
 * licensing._limit_input(kind text, value "any") RETURNS boolean
 *
 * kind is 'signature', 'document' or 'form'; value a bytea or jsonb.  True
 * when value is NULL or within its limit, else 54000 naming the size and the
 * setting.  Called at the very top of create_application, attach_document,
 * submit and sign_decision.
 */
PG_FUNCTION_INFO_V1(licensing_limit_input);
Datum
licensing_limit_input(PG_FUNCTION_ARGS)
{
	char	   *kind;
	Oid			type;
	const char *setting;
	const char *what;
	int			kb;
	Size		size;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("kind of input must not be NULL"),
				 errhint("Pass signature, document or form.")));
	kind = text_to_cstring(PG_GETARG_TEXT_PP(0));
	if (strcmp(kind, "signature") == 0)
		setting = "licensing.max_signature_size", what = "signature", kb = limit_signature_kb;
	else if (strcmp(kind, "document") == 0)
		setting = "licensing.max_document_size", what = "document", kb = limit_document_kb;
	else if (strcmp(kind, "form") == 0)
		setting = "licensing.max_form_size", what = "form", kb = limit_form_kb;
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown kind of input \"%.20s\"", kind),
				 errhint("Pass signature, document or form.")));
	if (PG_ARGISNULL(1))
		PG_RETURN_BOOL(true);
	type = get_fn_expr_argtype(fcinfo->flinfo, 1);
	if (!OidIsValid(type) || get_typlen(type) != -1)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("the %s whose size is checked must be of a variable-length type", what),
				 errhint("Pass a bytea or jsonb value.")));
	size = limits_datum_size(PG_GETARG_DATUM(1));
	if (size > (Size) kb * 1024)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s of %zu bytes exceeds %s (%s)", what, size, setting, shown(setting)),
				 errdetail("A %s larger than %s is refused before any other work, "
						   "so that no caller can make a backend hold it.", what, setting),
				 strcmp(what, "signature") == 0
				 ? errhint("Send a detached CMS signature carrying only the signer's chain; "
						   "a superuser may raise %s.", setting)
				 : errhint("Send a smaller %s; a superuser may raise %s.", what, setting)));
	PG_RETURN_BOOL(true);
}

const char *
limits_quote(const char *s)
{
	size_t		len = strlen(s);

	if (len <= LIMITS_QUOTE_BYTES)
		return s;
	return psprintf("%.*s...", pg_mbcliplen(s, len, LIMITS_QUOTE_BYTES), s);
}
