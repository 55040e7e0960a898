/*
 * idcore.h
 *		Parser and check-digit rules of Kazakhstan's IIN and BIN, free of
 *		PostgreSQL so that the fuzz harness builds the very same code.
 */
#ifndef LICENSING_IDCORE_H
#define LICENSING_IDCORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ID_DIGITS 12

typedef enum IdKind
{
	ID_IIN,
	ID_BIN
} IdKind;

/* Which rule an identifier broke; the first failing rule is reported. */
typedef enum IdRule
{
	ID_VALID = 0,
	ID_BAD_LENGTH,				/* not 12 characters after trimming */
	ID_NOT_DIGIT,				/* a non-digit at position */
	ID_IIN_CENTURY,				/* digit 7 not 1..6 */
	ID_IIN_BIRTH_DATE,			/* YYMMDD with the century is no real date */
	ID_BIN_MONTH,				/* digits 3-4 not 01..12 */
	ID_BIN_KIND,				/* digit 5 not 4, 5 or 6 */
	ID_BIN_DIVISION,			/* digit 6 not 0..3 */
	ID_NO_CHECK_DIGIT,			/* both passes give 10: no number has this prefix */
	ID_CHECK_DIGIT				/* digit 12 differs from the computed one */
} IdRule;

typedef struct IdVerdict
{
	IdRule		rule;
	int			position;		/* 1-based, for ID_NOT_DIGIT */
	int			length;			/* trimmed length, for ID_BAD_LENGTH */
	int			expected;		/* computed check digit, for ID_CHECK_DIGIT */
	int			found;			/* the offending digit(s) */
} IdVerdict;

/*
 * Parses len bytes of s (white space around the digits is ignored) as an
 * identifier of the given kind.  On success returns true and stores the
 * number in *value; otherwise fills *verdict with the first rule broken.
 */
extern bool id_parse(const char *s, size_t len, IdKind kind,
					 int64_t *value, IdVerdict *verdict);

/* Check digit of the 11-digit prefix, or -1 when no digit can be valid. */
extern int	id_check_digit(const char digits[11]);

/* Writes the 12 zero-padded digits and a NUL into buf (13 bytes). */
extern void id_format(int64_t value, char buf[ID_DIGITS + 1]);

/* One sentence saying which rule failed, for error details. */
extern void id_explain(IdKind kind, const IdVerdict *verdict,
					   char *buf, size_t buflen);

#endif
