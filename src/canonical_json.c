/*
 * canonical_json.c
 *		RFC 8785 (JSON Canonicalization Scheme) of a jsonb value.
 *
 * Object members sorted by the UTF-16 code units of their names (RFC 8785
 * §3.2.3), no insignificant white space, strings escaped only where JSON
 * requires it (§3.2.2.2), numbers written as ECMAScript writes a double
 * (§3.2.2.3).  Nothing depends on TimeZone, DateStyle or extra_float_digits:
 * the same jsonb always yields the same text.
 */
#include "postgres.h"

#include <math.h>

#include "common/shortest_dec.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#include "workflow.h"

typedef struct Member
{
	char	   *key;
	int			keylen;
	bool		plain;			/* bytes_sort_as_utf16(key) */
	JsonbValue	value;
} Member;

static void canon_value(StringInfo out, JsonbValue *v);

/* Next UTF-16 code unit sequence of a UTF-8 string, as up to two units. */
static int
utf16_units(const unsigned char **p, const unsigned char *end, uint16 units[2])
{
	pg_wchar	c;
	int			l = pg_utf_mblen(*p);

	if (l < 1 || *p + l > end)
		l = 1;
	c = utf8_to_unicode(*p);
	*p += l;
	if (c >= 0x10000)
	{
		c -= 0x10000;
		units[0] = (uint16) (0xD800 + (c >> 10));
		units[1] = (uint16) (0xDC00 + (c & 0x3FF));
		return 2;
	}
	units[0] = (uint16) c;
	return 1;
}

static int
member_cmp_utf16(const Member *ma, const Member *mb)
{
	const unsigned char *pa = (const unsigned char *) ma->key;
	const unsigned char *pb = (const unsigned char *) mb->key;
	const unsigned char *ea = pa + ma->keylen;
	const unsigned char *eb = pb + mb->keylen;
	uint16		ua[2], ub[2];
	int			na = 0, nb = 0, ia = 0, ib = 0;

	for (;;)
	{
		if (ia == na)
		{
			if (pa >= ea)
				na = 0;
			else
				na = utf16_units(&pa, ea, ua);
			ia = 0;
		}
		if (ib == nb)
		{
			if (pb >= eb)
				nb = 0;
			else
				nb = utf16_units(&pb, eb, ub);
			ib = 0;
		}
		if (na == 0 || nb == 0)
			return (na == 0 ? 0 : 1) - (nb == 0 ? 0 : 1);
		if (ua[ia] != ub[ib])
			return ua[ia] < ub[ib] ? -1 : 1;
		ia++;
		ib++;
	}
}

/*
 * Whether a key's UTF-8 bytes sort as its UTF-16 code units do against any
 * other such key: UTF-8 byte order is code point order, which is UTF-16 order
 * except between U+E000..U+FFFF (lead bytes 0xEE, 0xEF) and the characters
 * beyond U+FFFF (lead bytes 0xF0..0xF4), whose surrogates sort below them.
 */
static bool
bytes_sort_as_utf16(const char *key, int len)
{
	int			i;

	for (i = 0; i < len; i++)
		if ((unsigned char) key[i] >= 0xEE)
			return false;
	return true;
}

static int
member_cmp(const Member *ma, const Member *mb)
{
	int			c;

	if (!ma->plain || !mb->plain)
		return member_cmp_utf16(ma, mb);
	c = memcmp(ma->key, mb->key, Min(ma->keylen, mb->keylen));
	return c != 0 ? c : ma->keylen - mb->keylen;
}

static int
member_qsort_cmp(const void *a, const void *b)
{
	return member_cmp((const Member *) a, (const Member *) b);
}

/*
 * Insertion sort for the usual few members, whose jsonb order is often
 * close; qsort beyond, so an object of many thousands of keys is not
 * quadratic (keys are unique: no two members compare equal).
 */
static void
sort_members(Member *m, int n)
{
	int			i,
				j;

	if (n > 32)
	{
		qsort(m, n, sizeof(Member), member_qsort_cmp);
		return;
	}
	for (i = 1; i < n; i++)
	{
		Member		x = m[i];

		for (j = i; j > 0 && member_cmp(&m[j - 1], &x) > 0; j--)
			m[j] = m[j - 1];
		m[j] = x;
	}
}

void
canonical_json_string(StringInfo out, const char *s, int len)
{
	int			i,
				run = 0;		/* start of the characters not yet written */

	appendStringInfoChar(out, '"');
	for (i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) s[i];
		const char *esc;
		char		u[7];

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		switch (c)
		{
			case '"':
				esc = "\\\"";
				break;
			case '\\':
				esc = "\\\\";
				break;
			case '\b':
				esc = "\\b";
				break;
			case '\f':
				esc = "\\f";
				break;
			case '\n':
				esc = "\\n";
				break;
			case '\r':
				esc = "\\r";
				break;
			case '\t':
				esc = "\\t";
				break;
			default:
				snprintf(u, sizeof(u), "\\u%04x", c);
				esc = u;
		}
		appendBinaryStringInfo(out, s + run, i - run);
		appendStringInfoString(out, esc);
		run = i + 1;
	}
	appendBinaryStringInfo(out, s + run, len - run);
	appendStringInfoChar(out, '"');
}

/* A double as ECMAScript's Number.prototype.toString writes it (RFC 8785 §3.2.2.3). */
static void
canon_number(StringInfo out, Numeric num)
{
	double		d = DatumGetFloat8(DirectFunctionCall1(numeric_float8_no_overflow,
													   NumericGetDatum(num)));
	char		buf[DOUBLE_SHORTEST_DECIMAL_LEN];
	char		digits[DOUBLE_SHORTEST_DECIMAL_LEN];
	int			k = 0,
				n,
				exp10 = 0,
				point = -1,
				i;
	bool		neg;
	char	   *p;

	if (isnan(d) || isinf(d))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("number %s has no canonical JSON form",
						DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(num)))),
				 errdetail("RFC 8785 represents numbers as IEEE 754 doubles; NaN and infinities are not JSON."),
				 errhint("Store such values as strings.")));
	if (d == 0)
	{
		appendStringInfoChar(out, '0');
		return;
	}
	double_to_shortest_decimal_buf(d, buf);
	/* buf is [-]digits[.digits][e[+-]digits]: collect significant digits and exponent */
	p = buf;
	neg = (*p == '-');
	if (neg)
		p++;
	for (; *p && *p != 'e' && *p != 'E'; p++)
	{
		if (*p == '.')
		{
			point = k;
			continue;
		}
		digits[k++] = *p;
	}
	if (*p == 'e' || *p == 'E')
		exp10 = atoi(p + 1);
	if (point < 0)
		point = k;
	/* value = 0.d1..dk * 10^n */
	n = point + exp10;
	/* strip leading zeros (e.g. "0.001") */
	i = 0;
	while (i < k - 1 && digits[i] == '0')
	{
		i++;
		n--;
	}
	memmove(digits, digits + i, k - i);
	k -= i;
	while (k > 1 && digits[k - 1] == '0')
		k--;
	digits[k] = '\0';

	if (neg)
		appendStringInfoChar(out, '-');
	if (k <= n && n <= 21)
	{
		appendBinaryStringInfo(out, digits, k);
		for (i = 0; i < n - k; i++)
			appendStringInfoChar(out, '0');
	}
	else if (0 < n && n <= 21)
	{
		appendBinaryStringInfo(out, digits, n);
		appendStringInfoChar(out, '.');
		appendBinaryStringInfo(out, digits + n, k - n);
	}
	else if (-6 < n && n <= 0)
	{
		appendStringInfoString(out, "0.");
		for (i = 0; i < -n; i++)
			appendStringInfoChar(out, '0');
		appendBinaryStringInfo(out, digits, k);
	}
	else
	{
		appendStringInfoChar(out, digits[0]);
		if (k > 1)
		{
			appendStringInfoChar(out, '.');
			appendBinaryStringInfo(out, digits + 1, k - 1);
		}
		appendStringInfo(out, "e%c%d", n - 1 >= 0 ? '+' : '-', abs(n - 1));
	}
}

static void
canon_container(StringInfo out, JsonbContainer *jc)
{
	JsonbIterator *it = JsonbIteratorInit(jc);
	JsonbValue	v;
	JsonbIteratorToken tok;

	/*
	 * canon_value and canon_container call each other once per level of
	 * nesting: a form nested deeper than the stack holds (the jsonb parser
	 * accepts what max_stack_depth allows it) ends in "stack depth limit
	 * exceeded" (54001), not in SIGSEGV.
	 */
	check_stack_depth();
	tok = JsonbIteratorNext(&it, &v, true);
	if (tok == WJB_BEGIN_ARRAY)
	{
		bool		first = true;

		if (v.val.array.rawScalar)
		{
			tok = JsonbIteratorNext(&it, &v, true);
			canon_value(out, &v);
			return;
		}
		appendStringInfoChar(out, '[');
		while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
		{
			CHECK_FOR_INTERRUPTS();
			if (tok != WJB_ELEM)
				continue;
			if (!first)
				appendStringInfoChar(out, ',');
			first = false;
			canon_value(out, &v);
		}
		appendStringInfoChar(out, ']');
	}
	else if (tok == WJB_BEGIN_OBJECT)
	{
		int			n = v.val.object.nPairs,
					i = 0;
		Member	   *m = palloc(sizeof(Member) * Max(n, 1));

		while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
		{
			CHECK_FOR_INTERRUPTS();
			if (tok == WJB_KEY)
			{
				m[i].key = v.val.string.val;
				m[i].keylen = v.val.string.len;
				m[i].plain = bytes_sort_as_utf16(m[i].key, m[i].keylen);
			}
			else if (tok == WJB_VALUE)
				m[i++].value = v;
		}
		sort_members(m, i);
		appendStringInfoChar(out, '{');
		for (n = 0; n < i; n++)
		{
			CHECK_FOR_INTERRUPTS();
			if (n > 0)
				appendStringInfoChar(out, ',');
			canonical_json_string(out, m[n].key, m[n].keylen);
			appendStringInfoChar(out, ':');
			canon_value(out, &m[n].value);
		}
		appendStringInfoChar(out, '}');
		pfree(m);
	}
}

static void
canon_value(StringInfo out, JsonbValue *v)
{
	switch (v->type)
	{
		case jbvNull:
			appendStringInfoString(out, "null");
			break;
		case jbvBool:
			appendStringInfoString(out, v->val.boolean ? "true" : "false");
			break;
		case jbvString:
			canonical_json_string(out, v->val.string.val, v->val.string.len);
			break;
		case jbvNumeric:
			canon_number(out, v->val.numeric);
			break;
		case jbvBinary:
			canon_container(out, v->val.binary.data);
			break;
		default:
			elog(ERROR, "unexpected jsonb value type %d", (int) v->type);
	}
}

/* Appends the canonical text of a jsonb value to out. */
void
canonical_json_append(StringInfo out, Jsonb *jb)
{
	canon_container(out, &jb->root);
}

/* The canonical text of a jsonb value, palloc'd. */
char *
canonical_json_cstring(Jsonb *jb)
{
	StringInfoData out;

	initStringInfo(&out);
	canonical_json_append(&out, jb);
	return out.data;
}

/*
 * Appends an integer as canon_number writes the number: its digits while a
 * double holds it exactly (below 2^53 in magnitude), else through the double.
 */
void
canonical_json_int64(StringInfo out, int64 v)
{
	if (v > -((int64) 1 << 53) && v < ((int64) 1 << 53))
	{
		char		buf[MAXINT8LEN + 1];

		appendBinaryStringInfo(out, buf, pg_lltoa(v, buf));	/* no printf */
	}
	else
		canon_number(out, int64_to_numeric(v));
}

/*
 * licensing.canonical_json(value jsonb) RETURNS text
 */
PG_FUNCTION_INFO_V1(licensing_canonical_json);
Datum
licensing_canonical_json(PG_FUNCTION_ARGS)
{
	Jsonb	   *jb = PG_GETARG_JSONB_P(0);

	PG_RETURN_TEXT_P(cstring_to_text(canonical_json_cstring(jb)));
}
