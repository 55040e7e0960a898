/*
 * norm_fuzz.c
 *		libFuzzer harness for the norm parser of src/calendar_time.c
 *		(parse_norm: '15 minutes', '2 working days', '1 month'), compiled from
 *		the real source: test/scripts/parsers_fuzz.sh cuts NormUnit and the
 *		"norms" section up to term_outside out of calendar_time.c.
 *
 * Properties on every input:
 *   - no read outside the input, no crash; a refusal is an ereport;
 *   - an accepted norm is 1..999999999 of a known unit, months at most 1200;
 *   - its canonical spelling, and that spelling in upper case between
 *     blanks, parse to the same number and unit.
 */
#include "pg_shim.h"
#include "norm_region.c"

static bool
try_parse(const char *s, size_t len, int64 *n, NormUnit *unit)
{
	text		t = {len, s};

	if (setjmp(shim_error) != 0)
		return false;
	parse_norm(&t, n, unit);
	return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = {"minutes", "hours", "working days", "months"};
	char	   *in = malloc(size ? size : 1);
	int64		n = -1;
	NormUnit	unit = (NormUnit) -1;

	memcpy(in, data, size);
	if (try_parse(in, size, &n, &unit))
	{
		char		canon[64], upper[80];
		int64		n2;
		NormUnit	u2;

		if (n < 1 || n > 999999999 || (int) unit < NORM_MINUTES || unit > NORM_MONTHS
			|| (unit == NORM_MONTHS && n > 1200))
			abort();
		snprintf(canon, sizeof(canon), "%lld %s", (long long) n, names[unit]);
		if (!try_parse(canon, strlen(canon), &n2, &u2) || n2 != n || u2 != unit)
			abort();
		snprintf(upper, sizeof(upper), " \t%s \n", canon);
		for (char *p = upper; *p; p++)
			*p = (char) toupper((unsigned char) *p);
		if (!try_parse(upper, strlen(upper), &n2, &u2) || n2 != n || u2 != unit)
			abort();
	}
	shim_free_all();
	free(in);
	return 0;
}
