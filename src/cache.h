/*
 * cache.h
 *		What the per-backend caches of licensing share (cache.c): reading
 *		their tables as a catalog is read, and the trigger that tells every
 *		backend a table changed.
 */
#ifndef LICENSING_CACHE_H
#define LICENSING_CACHE_H

#include "postgres.h"
#include "executor/spi.h"

/*
 * Runs a prepared read-only plan (inside SPI) with the latest snapshot, so a
 * cache built inside a REPEATABLE READ transaction is never stale; parallel
 * workers, which may not take snapshots, use the active one.  Rows land in
 * SPI_tuptable.  what names the data in the error message.
 */
extern void cache_select_latest(SPIPlanPtr plan, Datum *values, const char *nulls,
								long count, const char *what);

#endif
