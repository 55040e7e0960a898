/*
 * identifiers_fuzz.c
 *		libFuzzer harness for the IIN/BIN parser (src/idcore.c, the same
 *		source the extension compiles).
 *
 * Properties checked on every input, for both kinds:
 *   - parsing never reads out of bounds (ASan) and never crashes;
 *   - an accepted value formats to 12 digits that parse back to itself;
 *   - a rejected value has a reason, and explaining it fits the buffer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "idcore.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	for (int k = 0; k < 2; k++)
	{
		IdKind		kind = k ? ID_BIN : ID_IIN;
		IdVerdict	verdict;
		int64_t		value = -1;
		char		digits[ID_DIGITS + 1];
		char		why[256];

		if (id_parse((const char *) data, size, kind, &value, &verdict))
		{
			int64_t		again = -1;

			if (verdict.rule != ID_VALID || value < 0 || value > 999999999999LL)
				abort();
			id_format(value, digits);
			if (strlen(digits) != ID_DIGITS
				|| !id_parse(digits, ID_DIGITS, kind, &again, &verdict)
				|| again != value)
				abort();
		}
		else if (verdict.rule == ID_VALID)
			abort();
		id_explain(kind, &verdict, why, sizeof(why));
		if (strlen(why) == 0 || strlen(why) >= sizeof(why))
			abort();
	}
	return 0;
}
