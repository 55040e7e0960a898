/*
 * licence_number_fuzz.c
 *		libFuzzer harness for the licence number parser of src/licence.c
 *		(ln_parse and the ISO 7064 MOD 37-2 check), compiled from the real
 *		source: test/scripts/parsers_fuzz.sh cuts the region from
 *		"#define LN_LENGTH" to ln_quotable out of licence.c into licence_region.c.
 *
 * Properties on every input:
 *   - the parser never reads outside the input (ASan: an exact-size copy);
 *   - an accepted number normalises to KZ, L or C, ten digits and the check
 *     character its body gives, and parses back to itself;
 *   - every single substitution in an accepted number's digits or check
 *     character is rejected (MOD 37-2 is a pure system);
 *   - a rejection names its rule and, where it says one, a position 4..13.
 */
#include "pg_shim.h"
#include "licence_region.c"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *in = malloc(size ? size : 1);
	char		out[LN_LENGTH + 1];
	LnVerdict	v;

	memcpy(in, data, size);
	if (ln_parse(in, size, out, &v) == LN_VALID)
	{
		char		again[LN_LENGTH + 1];
		LnVerdict	w;

		if (strlen(out) != LN_LENGTH || out[0] != 'K' || out[1] != 'Z' || (out[2] != 'L' && out[2] != 'C'))
			abort();
		for (int i = 3; i < LN_BODY; i++)
			if (out[i] < '0' || out[i] > '9')
				abort();
		if (ln_value_char(ln_check_value(out, LN_BODY)) != out[LN_BODY])
			abort();
		if (ln_parse(out, LN_LENGTH, again, &w) != LN_VALID || memcmp(out, again, LN_LENGTH) != 0)
			abort();
		for (int i = 3; i <= LN_BODY; i++)
		{
			const char *alphabet = i < LN_BODY ? "0123456789" : "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

			for (const char *c = alphabet; *c; c++)
			{
				char		typo[LN_LENGTH + 1];

				if (*c == out[i])
					continue;
				memcpy(typo, out, sizeof(typo));
				typo[i] = *c;
				if (ln_parse(typo, LN_LENGTH, again, &w) == LN_VALID)
					abort();
			}
		}
	}
	else
	{
		if (v.rule == LN_VALID || v.rule > LN_CHECK)
			abort();
		if (v.rule == LN_LENGTH_BAD && (v.length == LN_LENGTH || v.length < 0 || (size_t) v.length > size))
			abort();
		if (v.rule == LN_DIGITS && (v.position < 4 || v.position > LN_BODY))
			abort();
		if (v.rule == LN_CHECK && v.expected == v.found)
			abort();
	}
	free(in);
	return 0;
}
