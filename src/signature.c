/*
 * signature.c
 *		SQL face of electronic digital signatures (API §5 and the trust store
 *		of API §3): verify_signature, certificate_info, the triggers of
 *		licensing.trusted_certificate and licensing.revocation_list, and the
 *		per-backend cache of the trust store.  The OpenSSL work is in
 *		sigcore.c, which never longjmps; this file maps its answers to rows
 *		and errors.
 *
 * The cache: one SigStore per backend, built on first use from both tables
 * (each certificate parsed and each CRL's signature verified once), kept in
 * malloc'd OpenSSL memory, and dropped by a relcache callback when either
 * table changes: a statement trigger on both tables calls
 * CacheInvalidateRelcacheByRelid, so the change reaches every session at its
 * next transaction (and this one at its next command).  The tables are read
 * with the latest snapshot, as catalogs are, so a cache built inside a
 * REPEATABLE READ transaction does not outlive a newer commit.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"

#include "bounds.h"
#include "cache.h"
#include "licensing.h"
#include "sigcore.h"

/* Columns of verify_signature and certificate_info at most (API §5 revision 2). */
#define SIG_ROW_MAX 14

static SigStore *trust_store = NULL;
static Oid	cert_relid = InvalidOid;
static Oid	crl_relid = InvalidOid;
static bool callback_registered = false;
static uint64 inval_generation = 0;

/* Relcache callback: a change to either table (or a full reset) drops the store. */
static void
trust_store_invalidate(Datum arg, Oid relid)
{
	if (relid == InvalidOid || relid == cert_relid || relid == crl_relid)
	{
		inval_generation++;
		if (trust_store != NULL)
		{
			sig_store_free(trust_store);
			trust_store = NULL;
		}
		cert_relid = crl_relid = InvalidOid;
	}
}

static void
lookup_relids(void)
{
	Oid			nsp = get_namespace_oid("licensing", false);

	cert_relid = get_relname_relid("trusted_certificate", nsp);
	crl_relid = get_relname_relid("revocation_list", nsp);
	if (!OidIsValid(cert_relid) || !OidIsValid(crl_relid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("trust store tables of licensing are missing"),
				 errhint("Re-create the extension licensing.")));
}

/* Runs query with the latest snapshot and feeds each bytea of column 1 to add. */
static void
read_rows(const char *query, SigStore *store, bool certs)
{
	SPIPlanPtr	plan = SPI_prepare(query, 0, NULL);

	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed for \"%s\": %s", query, SPI_result_code_string(SPI_result));
	cache_select_latest(plan, NULL, NULL, 0, "the trust store");
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		bool		isnull;
		Datum		d = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull);
		bytea	   *b;
		SigStatus	st;

		if (isnull)
			continue;
		b = DatumGetByteaPP(d);
		if (certs)
		{
			/* column 2, when the query has it: the anchor is trusted for time stamping */
			bool		tsnull = true;
			bool		tsa = SPI_tuptable->tupdesc->natts > 1 &&
				SPI_tuptable->tupdesc->attrs[1].atttypid == BOOLOID &&
				DatumGetBool(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2, &tsnull)) && !tsnull;

			st = sig_store_add_cert_ex(store, (unsigned char *) VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b), tsa);
		}
		else
			st = sig_store_add_crl(store, (unsigned char *) VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b),
								   true, NULL, NULL, 0);
		if (st == SIGST_NO_MEMORY)
			ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory building the trust store")));
		if (st != SIGST_OK)
			ereport(WARNING,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("a row of licensing.%s is not usable and is left out of the trust store",
							certs ? "trusted_certificate" : "revocation_list"),
					 errdetail("The row was changed with its checks bypassed, or its issuer is gone."),
					 errhint("Delete the row and insert it again.")));
	}
}

static SigStore *
build_store(void)
{
	SigStore   *volatile store = sig_store_new();

	if (store == NULL)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory building the trust store")));
	PG_TRY();
	{
		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect failed");
		/* time_stamping (issue #17) is not in the 1.0 script's table */
		read_rows(OidIsValid(cert_relid) && get_attnum(cert_relid, "time_stamping") != InvalidAttrNumber
				  ? "SELECT certificate, time_stamping FROM licensing.trusted_certificate"
				  : "SELECT certificate FROM licensing.trusted_certificate", store, true);
		read_rows("SELECT crl FROM licensing.revocation_list", store, false);
		SPI_finish();
	}
	PG_CATCH();
	{
		sig_store_free(store);
		PG_RE_THROW();
	}
	PG_END_TRY();
	return store;
}

/* The trust store of this backend, built when missing. */
static SigStore *
get_store(void)
{
	if (!callback_registered)
	{
		CacheRegisterRelcacheCallback(trust_store_invalidate, (Datum) 0);
		callback_registered = true;
	}
	for (int attempt = 0; trust_store == NULL; attempt++)
	{
		uint64		gen;
		SigStore   *s;

		lookup_relids();
		gen = inval_generation;
		s = build_store();
		/* an invalidation that arrived while reading: read again */
		if (gen != inval_generation && attempt < 3)
		{
			sig_store_free(s);
			continue;
		}
		if (!OidIsValid(cert_relid))
			lookup_relids();
		trust_store = s;
	}
	sig_ascii_names = GetDatabaseEncoding() != PG_UTF8;
	return trust_store;
}

static Datum
text_or_null(const char *s, bool *isnull)
{
	*isnull = (s == NULL || s[0] == '\0');
	return *isnull ? (Datum) 0 : CStringGetTextDatum(s);
}

static Datum
time_datum(int64 t)
{
	return TimestampTzGetDatum(time_t_to_timestamptz((pg_time_t) t));
}

static Datum
identifier_or_null(bool has, const char *digits, IdKind kind, bool *isnull)
{
	int64		v;

	*isnull = !(has && identifier_parse(digits, strlen(digits), kind, &v, false));
	return *isnull ? (Datum) 0 : IdentifierGetDatum(v);
}

/* Fills values 0..6 with signer_iin, signer_bin, subject, issuer, serial, not_before, not_after. */
static void
cert_fields(const SigCertInfo *info, Datum *values, bool *nulls)
{
	if (!info->present)
	{
		for (int i = 0; i < 7; i++)
			nulls[i] = true;
		return;
	}
	values[0] = identifier_or_null(info->has_iin, info->iin, ID_IIN, &nulls[0]);
	values[1] = identifier_or_null(info->has_bin, info->bin, ID_BIN, &nulls[1]);
	values[2] = text_or_null(info->subject, &nulls[2]);
	values[3] = text_or_null(info->issuer, &nulls[3]);
	values[4] = text_or_null(info->serial, &nulls[4]);
	nulls[5] = nulls[6] = !info->has_validity;
	if (info->has_validity)
	{
		values[5] = time_datum(info->not_before);
		values[6] = time_datum(info->not_after);
	}
}

/* roles text[] of API §5 revision 2: '{}' for a certificate without NCA role EKUs. */
static Datum
roles_array(const SigCertInfo *info)
{
	const char *names[SIG_ROLE_NAMES_MAX];
	Datum		elems[SIG_ROLE_NAMES_MAX];
	int			n = sig_role_names(info->roles, names);

	for (int i = 0; i < n; i++)
		elems[i] = CStringGetTextDatum(names[i]);
	return PointerGetDatum(construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT));
}

/*
 * Fills the columns revision 2 of API §5 appends (key_purpose, roles,
 * timestamped_at, revocation_source) from index `first`, as far as the
 * declared row has them: the frozen 1.0 script declares the first ten only.
 */
static void
revision2_fields(TupleDesc tupdesc, int first, const SigCertInfo *info, const SigResult *res,
				 Datum *values, bool *nulls)
{
	int			natts = tupdesc->natts;

	if (natts > first)
		values[first] = text_or_null(info->present ? sig_purpose_code(info->key_purpose) : NULL, &nulls[first]);
	if (natts > first + 1)
	{
		nulls[first + 1] = !info->present;
		if (info->present)
			values[first + 1] = roles_array(info);
	}
	if (natts > first + 2)
	{
		nulls[first + 2] = !(res && res->has_timestamp);
		if (!nulls[first + 2])
			values[first + 2] = time_datum(res->timestamped_at);
	}
	if (natts > first + 3)
		values[first + 3] = text_or_null(res ? sig_revsource_code(res->revocation_source) : NULL, &nulls[first + 3]);
}

/*
 * licensing.verify_signature(content bytea, signature bytea, at timestamptz DEFAULT now())
 *   RETURNS (valid boolean, problem text, signer_iin licensing.iin, signer_bin licensing.bin,
 *            subject text, issuer text, serial text, not_before timestamptz,
 *            not_after timestamptz, signed_at timestamptz)
 * Never raises for bad input: garbage is valid = false, problem = 'malformed'.
 * A signature larger than licensing.max_signature_size is malformed too, and
 * is neither detoasted nor decoded.
 */
PG_FUNCTION_INFO_V1(verify_signature);
Datum
verify_signature(PG_FUNCTION_ARGS)
{
	bytea	   *content;
	bytea	   *sig;
	bool		has_at = !PG_ARGISNULL(2);
	TimestampTz at = has_at ? PG_GETARG_TIMESTAMPTZ(2) : 0;
	TupleDesc	tupdesc;
	Datum		values[SIG_ROW_MAX];
	bool		nulls[SIG_ROW_MAX];
	SigResult  *res;
	SigStore   *store;
	bool		oversized = false;
	int			nocsp = 0;
	const unsigned char **ocsp = NULL;
	size_t	   *ocsp_len = NULL;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	if (tupdesc->natts < 10 || tupdesc->natts > SIG_ROW_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("licensing.verify_signature is declared with %d columns", tupdesc->natts),
				 errdetail("The C function serves the rows of API §5: 10 (version 1.0) to %d columns.", SIG_ROW_MAX),
				 errhint("ALTER EXTENSION licensing UPDATE.")));
	tupdesc = BlessTupleDesc(tupdesc);
	/* the ocsp argument (revision 2): at most SIG_OCSP_MAX responses of the signature's bound */
	if (PG_NARGS() > 3 && !PG_ARGISNULL(3))
	{
		Size		bound = (Size) limit_signature_kb * 1024;

		if (limits_datum_size(PG_GETARG_DATUM(3)) > bound * SIG_OCSP_MAX)
			oversized = true;
		else
		{
			ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(3);
			Datum	   *elems;
			bool	   *enulls;

			if (ARR_ELEMTYPE(arr) != BYTEAOID)
				ereport(ERROR,
						(errcode(ERRCODE_DATATYPE_MISMATCH),
						 errmsg("ocsp must be bytea[], not an array of type %u", ARR_ELEMTYPE(arr)),
						 errhint("Pass the DER OCSP responses as bytea[].")));
			deconstruct_array(arr, BYTEAOID, -1, false, TYPALIGN_INT, &elems, &enulls, &nocsp);
			if (nocsp > SIG_OCSP_MAX)
				nocsp = SIG_OCSP_MAX + 1;	/* sigcore answers malformed */
			ocsp = palloc0(sizeof(unsigned char *) * (nocsp + 1));
			ocsp_len = palloc0(sizeof(size_t) * (nocsp + 1));
			for (int i = 0; i < nocsp && i < SIG_OCSP_MAX; i++)
			{
				bytea	   *b;

				if (enulls[i])
					continue;
				b = DatumGetByteaPP(elems[i]);
				if (VARSIZE_ANY_EXHDR(b) > bound)
					oversized = true;
				ocsp[i] = (unsigned char *) VARDATA_ANY(b);
				ocsp_len[i] = VARSIZE_ANY_EXHDR(b);
			}
		}
	}
	if (oversized ||
		(!PG_ARGISNULL(1) && limits_datum_size(PG_GETARG_DATUM(1)) > (Size) limit_signature_kb * 1024))
	{
		elog(DEBUG1, "verify_signature: malformed: a signature or OCSP response exceeds licensing.max_signature_size");
		memset(nulls, true, sizeof(nulls));
		values[0] = BoolGetDatum(false);
		values[1] = CStringGetTextDatum(sig_problem_code(SIG_MALFORMED));
		nulls[0] = nulls[1] = false;
		PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
	}
	content = PG_ARGISNULL(0) ? NULL : PG_GETARG_BYTEA_PP(0);
	sig = PG_ARGISNULL(1) ? NULL : PG_GETARG_BYTEA_PP(1);
	if (has_at && TIMESTAMP_NOT_FINITE(at))
		has_at = false;

	store = get_store();
	res = palloc(sizeof(SigResult));
	sig_cache_max_bytes = (size_t) limit_signature_cache_kb * 1024;
	sig_verify_ex(store,
				  content ? (unsigned char *) VARDATA_ANY(content) : NULL,
				  content ? VARSIZE_ANY_EXHDR(content) : 0,
				  sig ? (unsigned char *) VARDATA_ANY(sig) : NULL,
				  sig ? VARSIZE_ANY_EXHDR(sig) : 0,
				  has_at, has_at ? (int64) timestamptz_to_time_t(at) : 0,
				  (const unsigned char *const *) ocsp, ocsp_len, nocsp, res);
	elog(DEBUG1, "verify_signature: %s: %s", sig_problem_code(res->problem) ? sig_problem_code(res->problem) : "valid",
		 res->detail);

	memset(nulls, 0, sizeof(nulls));
	values[0] = BoolGetDatum(res->problem == SIG_OK);
	values[1] = text_or_null(sig_problem_code(res->problem), &nulls[1]);
	cert_fields(&res->signer, values + 2, nulls + 2);
	nulls[9] = !res->has_signed_at;
	if (res->has_signed_at)
		values[9] = time_datum(res->signed_at);
	revision2_fields(tupdesc, 10, &res->signer, res, values, nulls);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

static Datum
key_usage_array(const SigCertInfo *info, bool *isnull)
{
	static const struct
	{
		uint32		bit;
		const char *name;
	}			names[] = {
		{SIG_KU_DIGITAL_SIGNATURE, "digitalSignature"},
		{SIG_KU_NON_REPUDIATION, "nonRepudiation"},
		{SIG_KU_KEY_ENCIPHERMENT, "keyEncipherment"},
		{SIG_KU_DATA_ENCIPHERMENT, "dataEncipherment"},
		{SIG_KU_KEY_AGREEMENT, "keyAgreement"},
		{SIG_KU_KEY_CERT_SIGN, "keyCertSign"},
		{SIG_KU_CRL_SIGN, "cRLSign"},
		{SIG_KU_ENCIPHER_ONLY, "encipherOnly"},
		{SIG_KU_DECIPHER_ONLY, "decipherOnly"},
	};
	Datum		elems[lengthof(names)];
	int			n = 0;

	*isnull = !info->has_key_usage;
	if (*isnull)
		return (Datum) 0;
	for (int i = 0; i < lengthof(names); i++)
		if (info->key_usage & names[i].bit)
			elems[n++] = CStringGetTextDatum(names[i].name);
	return PointerGetDatum(construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT));
}

static void
raise_bad_certificate(const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid certificate: not a DER X.509 certificate"),
			 errdetail("OpenSSL reports: %s.", why),
			 errhint("Pass the DER encoding of the certificate, not PEM text; "
					 "openssl x509 -outform DER converts one.")));
}

/*
 * licensing.certificate_info(certificate bytea)
 *   RETURNS (iin licensing.iin, bin licensing.bin, subject text, issuer text,
 *            serial text, not_before timestamptz, not_after timestamptz,
 *            key_usage text[], is_ca boolean, fingerprint text)
 */
PG_FUNCTION_INFO_V1(certificate_info);
Datum
certificate_info(PG_FUNCTION_ARGS)
{
	bytea	   *der;
	TupleDesc	tupdesc;
	Datum		values[SIG_ROW_MAX];
	bool		nulls[SIG_ROW_MAX];
	SigCertInfo *info = palloc(sizeof(SigCertInfo));
	char		why[256];

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	if (tupdesc->natts < 10 || tupdesc->natts > SIG_ROW_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("licensing.certificate_info is declared with %d columns", tupdesc->natts),
				 errdetail("The C function serves the rows of API §5: 10 (version 1.0) to %d columns.", SIG_ROW_MAX),
				 errhint("ALTER EXTENSION licensing UPDATE.")));
	tupdesc = BlessTupleDesc(tupdesc);
	/* a certificate is part of a signature: no larger one is decoded */
	if (limits_datum_size(PG_GETARG_DATUM(0)) > (Size) limit_signature_kb * 1024)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("certificate of %zu bytes exceeds licensing.max_signature_size (%s)",
						limits_datum_size(PG_GETARG_DATUM(0)),
						GetConfigOptionByName("licensing.max_signature_size", NULL, false)),
				 errdetail("A certificate is part of a signature: one larger than licensing.max_signature_size is not decoded."),
				 errhint("Pass one DER certificate; a superuser may raise licensing.max_signature_size.")));
	der = PG_GETARG_BYTEA_PP(0);
	sig_ascii_names = GetDatabaseEncoding() != PG_UTF8;
	if (sig_cert_info((unsigned char *) VARDATA_ANY(der), VARSIZE_ANY_EXHDR(der), info,
					  why, sizeof(why)) != SIGST_OK)
		raise_bad_certificate(why);
	memset(nulls, 0, sizeof(nulls));
	cert_fields(info, values, nulls);
	values[7] = key_usage_array(info, &nulls[7]);
	values[8] = BoolGetDatum(info->is_ca);
	values[9] = CStringGetTextDatum(info->fingerprint);
	revision2_fields(tupdesc, 10, info, NULL, values, nulls);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/* ------------------------------------------------------------ triggers */

static TriggerData *
row_trigger_data(FunctionCallInfo fcinfo, const char *name)
{
	/* name is the table's with "_check" after it: fired on licensing.table only */
	const char *tables[2] = {pnstrdup(name, strlen(name) - strlen("_check")), NULL};

	return licensing_trigger_check(fcinfo, psprintf("licensing.%s()", name), tables,
								   TRIGGER_TYPE_BEFORE, true, TRIGGER_TYPE_INSERT | TRIGGER_TYPE_UPDATE);
}

/* The bytea of column `col` in the new row; an error when NULL. */
static bytea *
new_bytea(TriggerData *td, HeapTuple tuple, const char *col, int *attnum)
{
	TupleDesc	desc = td->tg_relation->rd_att;
	bool		isnull;
	Datum		d;

	*attnum = SPI_fnumber(desc, col);
	if (*attnum <= 0)
		elog(ERROR, "column \"%s\" is missing", col);
	licensing_column_type_check(desc, *attnum, BYTEAOID);
	d = heap_getattr(tuple, *attnum, desc, &isnull);
	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NOT_NULL_VIOLATION),
				 errmsg("%s must not be null", col),
				 errhint("Insert the DER bytes.")));
	return DatumGetByteaPP(d);
}

/* Sets the named columns of tuple and returns the new tuple. */
static HeapTuple
set_columns(TriggerData *td, HeapTuple tuple, int n, const char **cols, Datum *values, bool *nulls)
{
	TupleDesc	desc = td->tg_relation->rd_att;
	int		   *attnums = palloc(sizeof(int) * n);

	for (int i = 0; i < n; i++)
	{
		attnums[i] = SPI_fnumber(desc, cols[i]);
		if (attnums[i] <= 0)
			elog(ERROR, "column \"%s\" is missing", cols[i]);
	}
	return heap_modify_tuple_by_cols(tuple, desc, n, attnums, values, nulls);
}

static HeapTuple
trigger_tuple(TriggerData *td)
{
	return TRIGGER_FIRED_BY_UPDATE(td->tg_event) ? td->tg_newtuple : td->tg_trigtuple;
}

/*
 * licensing.trusted_certificate_check() RETURNS trigger
 * BEFORE INSERT OR UPDATE on licensing.trusted_certificate: refuses what is
 * not a DER CA certificate and fills the read-only columns from it.
 */
PG_FUNCTION_INFO_V1(trusted_certificate_check);
Datum
trusted_certificate_check(PG_FUNCTION_ARGS)
{
	TriggerData *td = row_trigger_data(fcinfo, "trusted_certificate_check");
	HeapTuple	tuple = trigger_tuple(td);
	int			attnum;
	bytea	   *der = new_bytea(td, tuple, "certificate", &attnum);
	SigCertInfo *info = palloc(sizeof(SigCertInfo));
	char		why[256];
	static const char *cols[] = {"fingerprint", "subject", "issuer", "serial", "not_before", "not_after"};
	Datum		values[6];
	bool		nulls[6];
	Datum		idv[7];
	bool		idn[7];

	sig_ascii_names = GetDatabaseEncoding() != PG_UTF8;
	if (sig_cert_info((unsigned char *) VARDATA_ANY(der), VARSIZE_ANY_EXHDR(der), info,
					  why, sizeof(why)) != SIGST_OK)
		raise_bad_certificate(why);
	if (!info->is_ca)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("certificate \"%s\" is not a CA certificate", info->subject),
				 errdetail("Only a certification authority can be a trust anchor: its basicConstraints "
						   "must say CA:TRUE and its keyUsage, if any, must allow keyCertSign."),
				 errhint("Insert the certificate of the CA that issues signing certificates "
						 "(for example the national CA), not a signer's own certificate.")));
	memset(nulls, 0, sizeof(nulls));
	memset(idn, 0, sizeof(idn));
	cert_fields(info, idv, idn);
	values[0] = CStringGetTextDatum(info->fingerprint);
	for (int i = 0; i < 5; i++)
	{
		values[i + 1] = idv[i + 2];
		nulls[i + 1] = idn[i + 2];
	}
	return PointerGetDatum(set_columns(td, tuple, 6, cols, values, nulls));
}

/*
 * licensing.revocation_list_check() RETURNS trigger
 * BEFORE INSERT OR UPDATE on licensing.revocation_list: refuses what is not
 * a DER CRL signed by a trusted certificate and fills the read-only columns.
 */
PG_FUNCTION_INFO_V1(revocation_list_check);
Datum
revocation_list_check(PG_FUNCTION_ARGS)
{
	TriggerData *td = row_trigger_data(fcinfo, "revocation_list_check");
	HeapTuple	tuple = trigger_tuple(td);
	int			attnum;
	bytea	   *der = new_bytea(td, tuple, "crl", &attnum);
	SigCrlInfo *info = palloc(sizeof(SigCrlInfo));
	char		why[SIG_NAME_MAX + 200];
	SigStatus	st;
	static const char *cols[] = {"fingerprint", "issuer", "issuer_fingerprint", "this_update",
	"next_update", "revoked_count"};
	Datum		values[6];
	bool		nulls[6];

	st = sig_store_add_crl(get_store(), (unsigned char *) VARDATA_ANY(der), VARSIZE_ANY_EXHDR(der),
						   false, info, why, sizeof(why));
	switch (st)
	{
		case SIGST_OK:
			break;
		case SIGST_GARBAGE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid certificate revocation list: not a DER X.509 CRL"),
					 errdetail("OpenSSL reports: %s.", why),
					 errhint("Pass the DER encoding of the CRL, not PEM text; "
							 "openssl crl -outform DER converts one.")));
			break;
		case SIGST_NO_MEMORY:
			ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory checking a CRL")));
			break;
		default:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("certificate revocation list of \"%s\" is not signed by a trusted certificate",
							info->issuer),
					 errdetail("%s", why),
					 errhint("Insert the issuing CA's certificate into licensing.trusted_certificate first, "
							 "then its CRL.")));
	}
	memset(nulls, 0, sizeof(nulls));
	values[0] = CStringGetTextDatum(info->fingerprint);
	values[1] = CStringGetTextDatum(info->issuer);
	values[2] = CStringGetTextDatum(info->issuer_fingerprint);
	values[3] = time_datum(info->this_update);
	nulls[4] = !info->has_next_update;
	values[4] = info->has_next_update ? time_datum(info->next_update) : (Datum) 0;
	values[5] = Int32GetDatum(info->revoked_count);
	return PointerGetDatum(set_columns(td, tuple, 6, cols, values, nulls));
}


/*
 * licensing.trust_store_status() RETURNS (anchors integer, crls integer)
 * What the cached trust store of this session holds (built if needed).
 */
PG_FUNCTION_INFO_V1(trust_store_status);
Datum
trust_store_status(PG_FUNCTION_ARGS)
{
	TupleDesc	tupdesc;
	Datum		values[2];
	bool		nulls[2] = {false, false};
	int			ncrls;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);
	values[0] = Int32GetDatum(sig_store_count(get_store(), &ncrls));
	values[1] = Int32GetDatum(ncrls);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
