/*
 * licensing.c
 *		Module entry point of the licensing extension.
 *
 * Each concern lives in its own file (identifiers.c, calendar.c, signature.c,
 * workflow.c, licence.c); caches register their invalidation callbacks
 * themselves on first use, so nothing needs to be preloaded.
 */
#include "postgres.h"
#include "fmgr.h"

PG_MODULE_MAGIC;
