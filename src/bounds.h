/*
 * bounds.h
 *		Bounds on what a caller can make a backend hold (security issue #13):
 *		the sizes of signatures, documents and forms, and the bytes of the
 *		signature cache.  Settings licensing.max_signature_size,
 *		licensing.max_document_size, licensing.max_form_size and
 *		licensing.signature_cache_size, in kB, settable by superusers only.
 */
#ifndef LICENSING_BOUNDS_H
#define LICENSING_BOUNDS_H

#include "postgres.h"

extern int	limit_signature_kb;
extern int	limit_document_kb;
extern int	limit_form_kb;
extern int	limit_signature_cache_kb;

/* Defines the settings (from _PG_init). */
extern void limits_define(void);

/*
 * A caller's text as an error message quotes it: the text itself when it is
 * at most LIMITS_QUOTE_BYTES bytes, else its first whole characters within
 * that many bytes and "..." (palloc'd).  The messages of the C files name a
 * value through this, never the whole of an unbounded argument.
 */
#define LIMITS_QUOTE_BYTES 64
extern const char *limits_quote(const char *s);

/* The size a varlena datum has once detoasted, read without detoasting it. */
extern Size limits_datum_size(Datum value);

#endif
