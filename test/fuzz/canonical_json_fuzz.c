/*
 * canonical_json_fuzz.c
 *		libFuzzer harness for the byte-level parts of src/canonical_json.c
 *		(RFC 8785): string escaping (canonical_json_string) and the member
 *		order (UTF-16 code units, with the UTF-8 byte-order shortcut), compiled
 *		from the real source: test/scripts/parsers_fuzz.sh cuts the region from
 *		"typedef struct Member" to the end of canonical_json_string out of
 *		canonical_json.c.  Walking a Jsonb needs the server; the pgTAP tests
 *		cover that.
 *
 * Properties on every input (keys are the input split at NUL bytes; only
 * well-formed UTF-8, as jsonb guarantees, is ordered):
 *   - the escaped string is quoted, holds no control byte, and unescapes to
 *     the input exactly;
 *   - member_cmp agrees in sign with a reference UTF-16 comparison for
 *     every pair (the byte shortcut never disagrees), and is antisymmetric;
 *   - sort_members (insertion sort, or qsort beyond 32) leaves the keys in
 *     non-decreasing reference order.
 */
#include "pg_shim.h"

typedef struct JsonbValue
{
	int			type;
} JsonbValue;

#include "canonical_region.c"

#define MAX_KEYS 24

/* Reference: UTF-16 code units of well-formed UTF-8, compared. */
static int
ref_units(const unsigned char *s, int len, uint16 *u)
{
	int			n = 0;

	for (int i = 0; i < len;)
	{
		int			l = pg_utf_mblen(s + i);
		pg_wchar	c = utf8_to_unicode(s + i);

		i += l;
		if (c >= 0x10000)
		{
			u[n++] = (uint16) (0xD800 + ((c - 0x10000) >> 10));
			u[n++] = (uint16) (0xDC00 + ((c - 0x10000) & 0x3FF));
		}
		else
			u[n++] = (uint16) c;
	}
	return n;
}

static int
ref_cmp(const Member *a, const Member *b)
{
	uint16	   *ua = shim_alloc(sizeof(uint16) * (a->keylen + 1));
	uint16	   *ub = shim_alloc(sizeof(uint16) * (b->keylen + 1));
	int			na = ref_units((const unsigned char *) a->key, a->keylen, ua);
	int			nb = ref_units((const unsigned char *) b->key, b->keylen, ub);

	for (int i = 0; i < na && i < nb; i++)
		if (ua[i] != ub[i])
			return ua[i] < ub[i] ? -1 : 1;
	return (na > nb) - (na < nb);
}

static int
sign(int x)
{
	return (x > 0) - (x < 0);
}

static void
check_string(const char *s, int len)
{
	StringInfoData out;
	int			j = 0;

	initStringInfo(&out);
	canonical_json_string(&out, s, len);
	if (out.len < 2 || out.data[0] != '"' || out.data[out.len - 1] != '"')
		abort();
	for (int i = 1; i < out.len - 1; i++)
	{
		unsigned char c = (unsigned char) out.data[i];
		unsigned char want;

		if (c < 0x20 || c == '"')
			abort();
		if (c == '\\')
		{
			char		e = out.data[++i];

			if (e == 'u')
			{
				unsigned	x;

				if (i + 4 >= out.len - 1 || sscanf(out.data + i + 1, "%4x", &x) != 1 || x >= 0x20)
					abort();
				want = (unsigned char) x;
				i += 4;
			}
			else
				want = e == '"' ? '"' : e == '\\' ? '\\' : e == 'b' ? '\b' : e == 'f' ? '\f'
					: e == 'n' ? '\n' : e == 'r' ? '\r' : e == 't' ? '\t' : 0xff;
		}
		else
			want = c;
		if (j >= len || (unsigned char) s[j++] != want)
			abort();
	}
	if (j != len)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *in = malloc(size ? size : 1);
	Member		m[MAX_KEYS];
	int			n = 0;
	size_t		start = 0;

	memcpy(in, data, size);
	check_string(in, (int) size);
	for (size_t i = 0; i <= size && n < MAX_KEYS; i++)
		if (i == size || in[i] == '\0')
		{
			if (shim_valid_utf8((const unsigned char *) in + start, i - start))
			{
				m[n].key = in + start;
				m[n].keylen = (int) (i - start);
				m[n].plain = bytes_sort_as_utf16(m[n].key, m[n].keylen);
				n++;
			}
			start = i + 1;
		}
	for (int a = 0; a < n; a++)
		for (int b = 0; b < n; b++)
		{
			int			c = sign(member_cmp(&m[a], &m[b]));

			if (c != sign(ref_cmp(&m[a], &m[b])) || c != -sign(member_cmp(&m[b], &m[a])))
				abort();
		}
	/* past 32 keys sort_members takes qsort: three copies of 11 or more keys get there */
	{
		Member		many[MAX_KEYS * 3];
		int			k = 0;

		for (int r = 0; r < 3 && n > 0; r++)
			for (int a = 0; a < n; a++)
				many[k++] = m[a];
		sort_members(many, k);
		for (int a = 1; a < k; a++)
			if (ref_cmp(&many[a - 1], &many[a]) > 0)
				abort();
		sort_members(m, n);
		for (int a = 1; a < n; a++)
			if (ref_cmp(&m[a - 1], &m[a]) > 0)
				abort();
	}
	shim_free_all();
	free(in);
	return 0;
}
