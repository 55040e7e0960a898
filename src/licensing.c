/*
 * licensing.c
 *		Module entry point of the licensing extension.
 *
 * Each concern lives in its own file (identifiers.c, calendar.c, signature.c,
 * workflow.c, licence.c); caches register their invalidation callbacks
 * themselves on first use, so nothing needs to be preloaded.  _PG_init only
 * defines the settings (bounds.c).
 */
#include "postgres.h"
#include "fmgr.h"

#include "bounds.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

void
_PG_init(void)
{
	limits_define();
}
