/*
 * cache.c
 *		Shared by the per-backend caches (calendar, provider schedules, trust
 *		store): the latest-snapshot read and the invalidation trigger.
 *
 * A plain INSERT into a table fires no cache callback by itself.  Each cached
 * table carries a statement-level trigger calling licensing.invalidate_cache(),
 * which queues a relcache invalidation of the table; every backend (this one
 * at its next command, the others when the change commits) then receives it
 * in the relcache callback its cache registered, and drops the cache.
 */
#include "postgres.h"

#include "access/parallel.h"
#include "commands/trigger.h"
#include "fmgr.h"
#include "utils/inval.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"

#include "cache.h"
#include "licensing.h"

void
cache_select_latest(SPIPlanPtr plan, Datum *values, const char *nulls,
					long count, const char *what)
{
	Snapshot	snap = IsInParallelMode() ? GetActiveSnapshot() : GetLatestSnapshot();
	int			rc;

	rc = SPI_execute_snapshot(plan, values, nulls, snap, InvalidSnapshot,
							  true, false, count);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "reading %s failed: %s", what, SPI_result_code_string(rc));
}

/*
 * licensing.invalidate_cache() RETURNS trigger
 *
 * AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ... FOR EACH STATEMENT on every
 * table a backend caches: queues a relcache invalidation of that table.
 */
PG_FUNCTION_INFO_V1(invalidate_cache);
Datum
invalidate_cache(PG_FUNCTION_ARGS)
{
	static const char *const tables[] = {"calendar_year", "calendar_exception", "trusted_certificate",
	"revocation_list", "provider", "staff", NULL};
	TriggerData *td = licensing_trigger_check(fcinfo, "licensing.invalidate_cache()", tables,
											  TRIGGER_TYPE_AFTER, false,
											  TRIGGER_TYPE_INSERT | TRIGGER_TYPE_UPDATE |
											  TRIGGER_TYPE_DELETE | TRIGGER_TYPE_TRUNCATE);

	CacheInvalidateRelcacheByRelid(RelationGetRelid(td->tg_relation));
	return PointerGetDatum(NULL);
}
