/*
 * staff.c
 *		Who works where: licensing.staff cached in each backend.
 *
 * Every step asks whether the acting role holds a position at the
 * application's provider, and its event records the person's IIN.  The table
 * is small and changes rarely, so each backend reads it whole once (with the
 * latest snapshot, cache.c) and keeps it sorted by role, provider and
 * position; a statement trigger on the table (licensing.invalidate_cache)
 * drops every backend's copy when it changes, so a revoked position stops
 * working at once, in this session and in others.
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/syscache.h"

#include "cache.h"
#include "workflow.h"

typedef struct StaffRow
{
	char	   *role;
	char	   *provider;
	char	   *position;
	char	   *iin;			/* 12 digits, or NULL when none is recorded */
} StaffRow;

static MemoryContext StaffContext = NULL;
static StaffRow *rows = NULL;
static int	nrows = 0;
static bool staff_valid = false;
static bool callback_registered = false;
static Oid	staff_relid = InvalidOid;

static void
staff_relcache_callback(Datum arg, Oid relid)
{
	if (relid == InvalidOid || relid == staff_relid)
		staff_valid = false;
}

static int
row_cmp(const void *a, const void *b)
{
	const StaffRow *x = a,
			   *y = b;
	int			c = strcmp(x->role, y->role);

	if (c == 0)
		c = strcmp(x->provider, y->provider);
	if (c == 0)
		c = strcmp(x->position, y->position);
	return c;
}

static char *
keep(const char *s)
{
	return s ? MemoryContextStrdup(StaffContext, s) : NULL;
}

static void
staff_load(void)
{
	static SPIPlanPtr plan = NULL;
	int			level;
	uint64		i;

	if (!callback_registered)
	{
		CacheRegisterRelcacheCallback(staff_relcache_callback, (Datum) 0);
		callback_registered = true;
	}
	if (StaffContext == NULL)
		StaffContext = AllocSetContextCreate(TopMemoryContext, "licensing staff",
											 ALLOCSET_SMALL_SIZES);
	MemoryContextReset(StaffContext);
	rows = NULL;
	nrows = 0;

	level = workflow_pin_search_path();
	staff_relid = get_relname_relid("staff", get_namespace_oid("licensing", false));
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (plan == NULL)
		plan = workflow_prepare("SELECT s.role::text, s.provider, s.position, s.iin::text FROM licensing.staff s",
								0, NULL);
	/*
	 * As the table's owner, whom row-level security does not filter: the copy
	 * serves every role of the backend, and staff see only their provider's
	 * rows (50_workflow.sql).  An error restores the user with the transaction.
	 */
	{
		HeapTuple	tup = SearchSysCache1(RELOID, ObjectIdGetDatum(staff_relid));
		Oid			owner;
		Oid			save_userid;
		int			save_sec;

		if (!HeapTupleIsValid(tup))
			elog(ERROR, "cache lookup failed for relation %u", staff_relid);
		owner = ((Form_pg_class) GETSTRUCT(tup))->relowner;
		ReleaseSysCache(tup);
		GetUserIdAndSecContext(&save_userid, &save_sec);
		SetUserIdAndSecContext(owner, save_sec | SECURITY_LOCAL_USERID_CHANGE);
		cache_select_latest(plan, NULL, NULL, 0, "licensing.staff");
		SetUserIdAndSecContext(save_userid, save_sec);
	}
	rows = MemoryContextAllocZero(StaffContext, sizeof(StaffRow) * Max(SPI_processed, 1));
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	t = SPI_tuptable->vals[i];
		TupleDesc	d = SPI_tuptable->tupdesc;

		rows[i].role = keep(SPI_getvalue(t, d, 1));
		rows[i].provider = keep(SPI_getvalue(t, d, 2));
		rows[i].position = keep(SPI_getvalue(t, d, 3));
		rows[i].iin = keep(SPI_getvalue(t, d, 4));
	}
	nrows = (int) SPI_processed;
	SPI_finish();
	workflow_unpin_search_path(level);
	qsort(rows, nrows, sizeof(StaffRow), row_cmp);
	staff_valid = true;
}

/* The first row of role at provider (sorted by position), or NULL. */
static StaffRow *
first_at(const char *role, const char *provider)
{
	int			lo,
				hi;

	if (role == NULL || provider == NULL)
		return NULL;
	if (!staff_valid)
		staff_load();
	lo = 0;
	hi = nrows;
	while (lo < hi)
	{
		int			mid = (lo + hi) / 2;
		int			c = strcmp(rows[mid].role, role);

		if (c == 0)
			c = strcmp(rows[mid].provider, provider);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < nrows && strcmp(rows[lo].role, role) == 0 && strcmp(rows[lo].provider, provider) == 0)
		return &rows[lo];
	return NULL;
}

/*
 * Whether role holds position at provider; *iin (when not NULL) gets the
 * recorded IIN or NULL.
 */
bool
staff_holds(const char *role, const char *provider, const char *position, const char **iin)
{
	StaffRow   *r = first_at(role, provider);

	for (; r != NULL && r < rows + nrows && strcmp(r->role, role) == 0 &&
		 strcmp(r->provider, provider) == 0; r++)
	{
		if (position != NULL && strcmp(r->position, position) == 0)
		{
			if (iin)
				*iin = r->iin;
			return true;
		}
	}
	return false;
}

/* Whether role holds any position at provider (who sees its applications). */
bool
staff_at(const char *role, const char *provider)
{
	return first_at(role, provider) != NULL;
}

/* The IIN recorded for role at provider (of its first position that has one), or NULL. */
const char *
staff_iin(const char *role, const char *provider)
{
	StaffRow   *r = first_at(role, provider);

	for (; r != NULL && r < rows + nrows && strcmp(r->role, role) == 0 &&
		 strcmp(r->provider, provider) == 0; r++)
		if (r->iin != NULL)
			return r->iin;
	return NULL;
}
