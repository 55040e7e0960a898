/*
 * idcore.c
 *		IIN and BIN: structure and check digit (QUALITY.md §4).
 *
 * IIN: YYMMDD birth date, digit 7 century and sex (1/2 = 1800s, 3/4 = 1900s,
 * 5/6 = 2000s; odd male, even female), digits 8-11 serial, digit 12 check.
 * BIN: YYMM registration, digit 5 kind (4 resident legal entity, 5 non-resident
 * legal entity, 6 joint individual entrepreneurship), digit 6 division (0 head
 * office, 1 branch, 2 representative office, 3 peasant farm), digits 7-11
 * serial, digit 12 check.
 *
 * Implementations in the wild disagree on which of these they enforce, so the
 * structure rules and the checksum are separate checks, each with its own
 * verdict.  Nothing here allocates or depends on PostgreSQL.
 */
#include "idcore.h"

#include <stdio.h>

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static int
two_digits(const char *d)
{
	return (d[0] - '0') * 10 + (d[1] - '0');
}

static bool
is_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int
days_in_month(int year, int month)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return (month == 2 && is_leap(year)) ? 29 : days[month - 1];
}

int
id_check_digit(const char digits[11])
{
	static const int second_weights[11] = {3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2};
	int			sum = 0;
	int			i;

	for (i = 0; i < 11; i++)
		sum += (digits[i] - '0') * (i + 1);
	if (sum % 11 != 10)
		return sum % 11;

	sum = 0;
	for (i = 0; i < 11; i++)
		sum += (digits[i] - '0') * second_weights[i];
	if (sum % 11 != 10)
		return sum % 11;
	return -1;
}

static bool
fail(IdVerdict *verdict, IdRule rule, int found)
{
	verdict->rule = rule;
	verdict->found = found;
	return false;
}

/* IIN digits 1-7: a real birth date in the century digit 7 names. */
static bool
check_iin_structure(const char *d, IdVerdict *verdict)
{
	int			century_digit = d[6] - '0';
	int			year;
	int			month = two_digits(d + 2);
	int			day = two_digits(d + 4);

	if (century_digit < 1 || century_digit > 6)
		return fail(verdict, ID_IIN_CENTURY, century_digit);
	year = 1800 + 100 * ((century_digit - 1) / 2) + two_digits(d);
	if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month))
		return fail(verdict, ID_IIN_BIRTH_DATE, year * 10000 + month * 100 + day);
	return true;
}

/* BIN digits 3-6: registration month, kind of entity, division. */
static bool
check_bin_structure(const char *d, IdVerdict *verdict)
{
	int			month = two_digits(d + 2);

	if (month < 1 || month > 12)
		return fail(verdict, ID_BIN_MONTH, month);
	if (d[4] < '4' || d[4] > '6')
		return fail(verdict, ID_BIN_KIND, d[4] - '0');
	if (d[5] > '3')
		return fail(verdict, ID_BIN_DIVISION, d[5] - '0');
	return true;
}

bool
id_parse(const char *s, size_t len, IdKind kind, int64_t *value, IdVerdict *verdict)
{
	const char *start = s;
	const char *end = s + len;
	int64_t		number = 0;
	int			check;
	int			i;

	verdict->rule = ID_VALID;
	verdict->position = verdict->length = verdict->expected = verdict->found = 0;

	while (start < end && is_space(*start))
		start++;
	while (end > start && is_space(end[-1]))
		end--;

	if (end - start != ID_DIGITS)
	{
		verdict->length = (end - start > 1000000) ? 1000000 : (int) (end - start);
		return fail(verdict, ID_BAD_LENGTH, 0);
	}
	for (i = 0; i < ID_DIGITS; i++)
	{
		if (start[i] < '0' || start[i] > '9')
		{
			verdict->position = i + 1;
			return fail(verdict, ID_NOT_DIGIT, (unsigned char) start[i]);
		}
		number = number * 10 + (start[i] - '0');
	}

	if (kind == ID_IIN ? !check_iin_structure(start, verdict)
		: !check_bin_structure(start, verdict))
		return false;

	check = id_check_digit(start);
	if (check < 0)
		return fail(verdict, ID_NO_CHECK_DIGIT, start[11] - '0');
	if (check != start[11] - '0')
	{
		verdict->expected = check;
		return fail(verdict, ID_CHECK_DIGIT, start[11] - '0');
	}
	*value = number;
	return true;
}

void
id_format(int64_t value, char buf[ID_DIGITS + 1])
{
	int			i;

	for (i = ID_DIGITS - 1; i >= 0; i--)
	{
		buf[i] = (char) ('0' + value % 10);
		value /= 10;
	}
	buf[ID_DIGITS] = '\0';
}

void
id_explain(IdKind kind, const IdVerdict *v, char *buf, size_t buflen)
{
	const char *what = kind == ID_IIN ? "An IIN" : "A BIN";

	switch (v->rule)
	{
		case ID_VALID:
			snprintf(buf, buflen, "%s is valid.", what);
			break;
		case ID_BAD_LENGTH:
			snprintf(buf, buflen, "%s has exactly 12 digits, not %d characters.", what, v->length);
			break;
		case ID_NOT_DIGIT:
			if (v->found == ' ')
				snprintf(buf, buflen, "A space at position %d is not a digit.", v->position);
			else if (v->found >= 0x21 && v->found < 0x7f)
				snprintf(buf, buflen, "Character \"%c\" at position %d is not a digit.",
						 (char) v->found, v->position);
			else
				snprintf(buf, buflen, "The byte 0x%02X at position %d is not a digit.",
						 v->found, v->position);
			break;
		case ID_IIN_CENTURY:
			snprintf(buf, buflen, "Digit 7 (century and sex) is %d; it must be 1 to 6.", v->found);
			break;
		case ID_IIN_BIRTH_DATE:
			snprintf(buf, buflen, "The birth date %04d-%02d-%02d in digits 1 to 6 does not exist.",
					 v->found / 10000, v->found / 100 % 100, v->found % 100);
			break;
		case ID_BIN_MONTH:
			snprintf(buf, buflen, "The registration month in digits 3 and 4 is %02d; it must be 01 to 12.", v->found);
			break;
		case ID_BIN_KIND:
			snprintf(buf, buflen, "Digit 5 (kind of entity) is %d; a BIN has 4, 5 or 6 there (0 to 3 marks an IIN).", v->found);
			break;
		case ID_BIN_DIVISION:
			snprintf(buf, buflen, "Digit 6 (division) is %d; it must be 0 to 3.", v->found);
			break;
		case ID_NO_CHECK_DIGIT:
			snprintf(buf, buflen, "The first 11 digits admit no check digit: both weightings give remainder 10, so no valid number has this prefix.");
			break;
		case ID_CHECK_DIGIT:
			snprintf(buf, buflen, "Check digit %d should be %d.", v->found, v->expected);
			break;
	}
}
