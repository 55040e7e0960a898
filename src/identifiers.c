/*
 * identifiers.c
 *		SQL types licensing.iin and licensing.bin: I/O, binary I/O, validity
 *		and accessors.  The rules themselves live in idcore.c.
 */
#include "postgres.h"

#include "fmgr.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "datatype/timestamp.h"

#include "licensing.h"

/* Longest part of a bad value quoted in an error message. */
#define QUOTE_MAX 40

static const char *
kind_name(IdKind kind)
{
	return kind == ID_IIN ? "iin" : "bin";
}

/* The value as it may appear in an error message: clipped, valid UTF-8. */
static char *
quotable(const char *s, size_t len)
{
	int			clip;

	if (len <= QUOTE_MAX)
		return pnstrdup(s, len);
	clip = pg_mbcliplen(s, len, QUOTE_MAX);
	return psprintf("%s...", pnstrdup(s, clip));
}

static void
report_invalid(const char *s, size_t len, IdKind kind, const IdVerdict *verdict,
			   int sqlstate)
{
	char		detail[256];

	id_explain(kind, verdict, detail, sizeof(detail));
	ereport(ERROR,
			(errcode(sqlstate),
			 sqlstate == ERRCODE_INVALID_BINARY_REPRESENTATION
			 ? errmsg("invalid binary value for type %s: \"%s\"",
					  kind_name(kind), quotable(s, len))
			 : errmsg("invalid input syntax for type %s: \"%s\"",
					  kind_name(kind), quotable(s, len)),
			 errdetail("%s", detail),
			 kind == ID_IIN
			 ? errhint("An IIN is 12 digits: birth date YYMMDD, century and sex digit, serial, check digit.")
			 : errhint("A BIN is 12 digits: registration YYMM, kind 4-6, division 0-3, serial, check digit.")));
}

bool
identifier_parse(const char *s, size_t len, IdKind kind, int64 *value, bool raise)
{
	IdVerdict	verdict;
	int64_t		parsed;

	if (id_parse(s, len, kind, &parsed, &verdict))
	{
		*value = parsed;
		return true;
	}
	if (raise)
		report_invalid(s, len, kind, &verdict, ERRCODE_INVALID_TEXT_REPRESENTATION);
	return false;
}

static Datum
identifier_in(FunctionCallInfo fcinfo, IdKind kind)
{
	char	   *str = PG_GETARG_CSTRING(0);
	int64		value;

	identifier_parse(str, strlen(str), kind, &value, true);
	PG_RETURN_IDENTIFIER(value);
}

static Datum
identifier_out(FunctionCallInfo fcinfo)
{
	char	   *buf = palloc(ID_DIGITS + 1);

	id_format(PG_GETARG_IDENTIFIER(0), buf);
	PG_RETURN_CSTRING(buf);
}

/* Binary input is an int8 that must pass exactly the checks of text input. */
static Datum
identifier_recv(FunctionCallInfo fcinfo, IdKind kind)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int64		value = pq_getmsgint64(buf);
	char		digits[ID_DIGITS + 1];
	IdVerdict	verdict;
	int64_t		parsed;

	if (value < 0 || value > INT64CONST(999999999999))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary value for type %s: " INT64_FORMAT,
						kind_name(kind), value),
				 errdetail("An identifier is a number from 0 to 999999999999.")));
	id_format(value, digits);
	if (!id_parse(digits, ID_DIGITS, kind, &parsed, &verdict))
		report_invalid(digits, ID_DIGITS, kind, &verdict,
					   ERRCODE_INVALID_BINARY_REPRESENTATION);
	PG_RETURN_IDENTIFIER(value);
}

static Datum
identifier_send(FunctionCallInfo fcinfo)
{
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint64(&buf, PG_GETARG_IDENTIFIER(0));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

static Datum
identifier_is_valid(FunctionCallInfo fcinfo, IdKind kind)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	int64		value;

	PG_RETURN_BOOL(identifier_parse(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t),
									kind, &value, false));
}

/* The 12 digits of a stored identifier. */
static void
digits_of(FunctionCallInfo fcinfo, char digits[ID_DIGITS + 1])
{
	id_format(PG_GETARG_IDENTIFIER(0), digits);
}

static int
digit(const char *d, int position)
{
	return d[position - 1] - '0';
}

/* iin_in(cstring) RETURNS licensing.iin */
PG_FUNCTION_INFO_V1(iin_in);
Datum
iin_in(PG_FUNCTION_ARGS)
{
	return identifier_in(fcinfo, ID_IIN);
}

/* bin_in(cstring) RETURNS licensing.bin */
PG_FUNCTION_INFO_V1(bin_in);
Datum
bin_in(PG_FUNCTION_ARGS)
{
	return identifier_in(fcinfo, ID_BIN);
}

/* identifier_out(licensing.iin | licensing.bin) RETURNS cstring */
PG_FUNCTION_INFO_V1(identifier_output);
Datum
identifier_output(PG_FUNCTION_ARGS)
{
	return identifier_out(fcinfo);
}

/* iin_recv(internal) RETURNS licensing.iin */
PG_FUNCTION_INFO_V1(iin_recv);
Datum
iin_recv(PG_FUNCTION_ARGS)
{
	return identifier_recv(fcinfo, ID_IIN);
}

/* bin_recv(internal) RETURNS licensing.bin */
PG_FUNCTION_INFO_V1(bin_recv);
Datum
bin_recv(PG_FUNCTION_ARGS)
{
	return identifier_recv(fcinfo, ID_BIN);
}

/* identifier_send(licensing.iin | licensing.bin) RETURNS bytea */
PG_FUNCTION_INFO_V1(identifier_send_binary);
Datum
identifier_send_binary(PG_FUNCTION_ARGS)
{
	return identifier_send(fcinfo);
}

/* iin_is_valid(text) RETURNS boolean: never raises */
PG_FUNCTION_INFO_V1(iin_is_valid);
Datum
iin_is_valid(PG_FUNCTION_ARGS)
{
	return identifier_is_valid(fcinfo, ID_IIN);
}

/* bin_is_valid(text) RETURNS boolean: never raises */
PG_FUNCTION_INFO_V1(bin_is_valid);
Datum
bin_is_valid(PG_FUNCTION_ARGS)
{
	return identifier_is_valid(fcinfo, ID_BIN);
}

/* iin_birth_date(licensing.iin) RETURNS date */
PG_FUNCTION_INFO_V1(iin_birth_date);
Datum
iin_birth_date(PG_FUNCTION_ARGS)
{
	char		d[ID_DIGITS + 1];
	int			year;

	digits_of(fcinfo, d);
	year = 1800 + 100 * ((digit(d, 7) - 1) / 2) + digit(d, 1) * 10 + digit(d, 2);
	PG_RETURN_DATEADT(date2j(year, digit(d, 3) * 10 + digit(d, 4),
							 digit(d, 5) * 10 + digit(d, 6)) - POSTGRES_EPOCH_JDATE);
}

/* iin_sex(licensing.iin) RETURNS text: 'male' for odd digit 7, else 'female' */
PG_FUNCTION_INFO_V1(iin_sex);
Datum
iin_sex(PG_FUNCTION_ARGS)
{
	char		d[ID_DIGITS + 1];

	digits_of(fcinfo, d);
	PG_RETURN_TEXT_P(cstring_to_text(digit(d, 7) % 2 ? "male" : "female"));
}

/*
 * bin_registered_on(licensing.bin) RETURNS date: the first day of the
 * registration month; a year YY above the current two-digit year is 19YY.
 * STABLE, since it reads today's date.
 */
PG_FUNCTION_INFO_V1(bin_registered_on);
Datum
bin_registered_on(PG_FUNCTION_ARGS)
{
	char		d[ID_DIGITS + 1];
	struct pg_tm tm;
	int			yy;
	int			year;

	digits_of(fcinfo, d);
	GetCurrentDateTime(&tm);
	yy = digit(d, 1) * 10 + digit(d, 2);
	year = (yy > tm.tm_year % 100 ? 1900 : 2000) + yy;
	PG_RETURN_DATEADT(date2j(year, digit(d, 3) * 10 + digit(d, 4), 1) - POSTGRES_EPOCH_JDATE);
}

/* bin_kind(licensing.bin) RETURNS text */
PG_FUNCTION_INFO_V1(bin_kind);
Datum
bin_kind(PG_FUNCTION_ARGS)
{
	static const char *const kinds[] = {
		"resident_legal_entity", "non_resident_legal_entity", "joint_individual_entrepreneurship"
	};
	char		d[ID_DIGITS + 1];

	digits_of(fcinfo, d);
	PG_RETURN_TEXT_P(cstring_to_text(kinds[digit(d, 5) - 4]));
}

/* bin_division(licensing.bin) RETURNS text */
PG_FUNCTION_INFO_V1(bin_division);
Datum
bin_division(PG_FUNCTION_ARGS)
{
	static const char *const divisions[] = {
		"head_office", "branch", "representative_office", "peasant_farm"
	};
	char		d[ID_DIGITS + 1];

	digits_of(fcinfo, d);
	PG_RETURN_TEXT_P(cstring_to_text(divisions[digit(d, 6)]));
}
