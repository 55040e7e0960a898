/*
 * calendar.c
 *		The working calendar of Kazakhstan: licensing.is_working_day,
 *		add_working_days, working_days_between, and the backend-local cache
 *		they read.
 *
 * Day terms count working days of the national calendar (DOMAIN §5, QUALITY
 * §5): Monday to Friday, minus the rows of licensing.calendar_exception of
 * kind holiday or day_off, plus those of kind working_day.  The calendar
 * covers the years listed in licensing.calendar_year; any other date is an
 * error 22023 naming the covered years, never a guess.
 *
 * The cache.  The first call in a backend reads both tables (SPI, with the
 * latest snapshot, as catalogs are read) into a compact structure in its own
 * memory context under CacheMemoryContext:
 *
 *	 rank[i]	  the number of working days before day i of the covered span
 *	 workday[k]   the day (offset into the span) of the k-th working day
 *
 * so is_working_day, add_working_days and working_days_between are two array
 * lookups whatever n is.  A statement-level trigger on both tables
 * (licensing.invalidate_cache, cache.c) calls CacheInvalidateRelcacheByRelid; every
 * backend processes that message at its next transaction start or lock (this
 * one at its next command, or at once on rollback), and the relcache callback
 * registered here on first use marks the cache stale.  Never by time.
 */
#include "postgres.h"

#include "access/parallel.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "datatype/timestamp.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"

#include "cache.h"
#include "calendar.h"

/* Years a calendar_year row may name (the table's CHECK says the same). */
#define CAL_MIN_YEAR 1900
#define CAL_MAX_YEAR 2200

typedef struct Calendar
{
	DateADT		first;			/* 1 January of first_year */
	int32		ndays;			/* days from first to 31 December of last_year */
	int			first_year;
	int			last_year;
	bool	   *year_covered;	/* [last_year - first_year + 1] */
	bool		has_gaps;		/* some year between first and last missing */
	int32	   *rank;			/* [ndays + 1]: working days before day i */
	int32	   *workday;		/* [nwork]: offset of the k-th working day */
	int32		nwork;
	char	   *covered_text;	/* "2012 to 2027" for messages */
} Calendar;

static MemoryContext CalendarContext = NULL;
static Calendar *calendar = NULL;
static bool calendar_valid = false;
static uint64 calendar_generation = 0;	/* counts calendar_build()s */
static bool callback_registered = false;
static Oid	exception_relid = InvalidOid;
static Oid	year_relid = InvalidOid;

/* Relcache callback: a change to either table (or a reset) drops the cache. */
static void
calendar_relcache_callback(Datum arg, Oid relid)
{
	if (relid == InvalidOid || relid == exception_relid || relid == year_relid)
		calendar_valid = false;
}

/* A date as YYYY-MM-DD, whatever DateStyle says. */
static char *
iso_date(DateADT d)
{
	int			y,
				m,
				dd;

	if (DATE_IS_NOBEGIN(d))
		return pstrdup("-infinity");
	if (DATE_IS_NOEND(d))
		return pstrdup("infinity");
	j2date(d + POSTGRES_EPOCH_JDATE, &y, &m, &dd);
	return psprintf("%04d-%02d-%02d", y, m, dd);
}

static int
year_of(DateADT d)
{
	int			y,
				m,
				dd;

	j2date(d + POSTGRES_EPOCH_JDATE, &y, &m, &dd);
	return y;
}

/* Runs a read-only query with the latest snapshot (as a catalog read). */
static void
run_latest(const char *sql)
{
	SPIPlanPtr	plan = SPI_prepare(sql, 0, NULL);

	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed for \"%s\": %s", sql,
			 SPI_result_code_string(SPI_result));
	cache_select_latest(plan, NULL, NULL, 0, "the calendar");
}

/* Reads both tables into a fresh Calendar in CalendarContext. */
static void
calendar_build(void)
{
	Oid			nsp;
	Calendar   *cal;
	MemoryContext old;
	int			nyears;
	int		   *years = NULL;
	char	   *state;			/* per day: 0 by weekday rule, 1 off, 2 working */
	uint64		i;
	StringInfoData buf;

	if (!callback_registered)
	{
		CacheRegisterRelcacheCallback(calendar_relcache_callback, (Datum) 0);
		callback_registered = true;
	}
	if (CalendarContext == NULL)
		CalendarContext = AllocSetContextCreate(CacheMemoryContext,
												"licensing calendar",
												ALLOCSET_SMALL_SIZES);
	calendar = NULL;
	MemoryContextReset(CalendarContext);
	/* An invalidation arriving while we read clears this again. */
	calendar_valid = true;

	nsp = get_namespace_oid("licensing", false);
	exception_relid = get_relname_relid("calendar_exception", nsp);
	year_relid = get_relname_relid("calendar_year", nsp);
	if (!OidIsValid(exception_relid) || !OidIsValid(year_relid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("the working calendar tables of licensing are missing"),
				 errhint("Reinstall the extension: DROP EXTENSION licensing; CREATE EXTENSION licensing.")));

	old = MemoryContextSwitchTo(CalendarContext);
	cal = palloc0(sizeof(Calendar));
	MemoryContextSwitchTo(old);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");

	run_latest("SELECT year FROM licensing.calendar_year ORDER BY year");
	nyears = (int) SPI_processed;
	if (nyears > 0)
	{
		years = palloc(sizeof(int) * nyears);
		for (i = 0; i < SPI_processed; i++)
		{
			bool		isnull;
			Datum		v = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull);

			years[i] = isnull ? 0 : DatumGetInt32(v);
			if (isnull || years[i] < CAL_MIN_YEAR || years[i] > CAL_MAX_YEAR)
				ereport(ERROR,
						(errcode(ERRCODE_DATA_EXCEPTION),
						 errmsg("licensing.calendar_year holds an impossible year"),
						 errdetail("Years must lie between %d and %d.", CAL_MIN_YEAR, CAL_MAX_YEAR)));
		}
	}

	old = MemoryContextSwitchTo(CalendarContext);
	initStringInfo(&buf);
	if (nyears == 0)
	{
		cal->first_year = cal->last_year = 0;
		cal->ndays = 0;
		cal->nwork = 0;
		appendStringInfoString(&buf, "no years");
	}
	else
	{
		int			y;
		int			run_start = years[0];

		cal->first_year = years[0];
		cal->last_year = years[nyears - 1];
		cal->year_covered = palloc0(sizeof(bool) * (cal->last_year - cal->first_year + 1));
		for (i = 0; i < nyears; i++)
		{
			cal->year_covered[years[i] - cal->first_year] = true;
			/* Text: runs of consecutive years, "2012 to 2027, 2030". */
			if (i + 1 == nyears || years[i + 1] != years[i] + 1)
			{
				if (buf.len > 0)
					appendStringInfoString(&buf, ", ");
				if (run_start == years[i])
					appendStringInfo(&buf, "%d", years[i]);
				else
					appendStringInfo(&buf, "%d to %d", run_start, years[i]);
				if (i + 1 < nyears)
					run_start = years[i + 1];
			}
		}
		for (y = cal->first_year; y <= cal->last_year; y++)
			if (!cal->year_covered[y - cal->first_year])
				cal->has_gaps = true;
		cal->first = date2j(cal->first_year, 1, 1) - POSTGRES_EPOCH_JDATE;
		cal->ndays = (date2j(cal->last_year, 12, 31) - POSTGRES_EPOCH_JDATE) - cal->first + 1;
	}
	cal->covered_text = buf.data;
	MemoryContextSwitchTo(old);

	if (cal->ndays > 0)
	{
		int32		nwork = 0;
		int32		d;

		state = palloc0(cal->ndays);
		run_latest("SELECT day, kind FROM licensing.calendar_exception");
		for (i = 0; i < SPI_processed; i++)
		{
			bool		isnull;
			Datum		v = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull);
			char	   *kind;
			DateADT		day;

			if (isnull)
				continue;
			day = DatumGetDateADT(v);
			if (DATE_NOT_FINITE(day) || day < cal->first || day - cal->first >= cal->ndays)
				continue;		/* outside the covered span: not used */
			kind = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2);
			if (kind == NULL)
				continue;
			if (strcmp(kind, "working_day") == 0)
				state[day - cal->first] = 2;
			else if (strcmp(kind, "holiday") == 0 || strcmp(kind, "day_off") == 0)
				state[day - cal->first] = 1;
		}

		old = MemoryContextSwitchTo(CalendarContext);
		cal->rank = palloc(sizeof(int32) * (cal->ndays + 1));
		cal->rank[0] = 0;
		for (d = 0; d < cal->ndays; d++)
		{
			/* j2day: 0 Sunday .. 6 Saturday */
			int			dow = j2day(cal->first + d + POSTGRES_EPOCH_JDATE);
			bool		working;

			if (cal->has_gaps && !cal->year_covered[year_of(cal->first + d) - cal->first_year])
				working = false;
			else if (state[d] == 1)
				working = false;
			else if (state[d] == 2)
				working = true;
			else
				working = (dow != 0 && dow != 6);
			cal->rank[d + 1] = cal->rank[d] + (working ? 1 : 0);
		}
		cal->nwork = cal->rank[cal->ndays];
		cal->workday = palloc(sizeof(int32) * Max(cal->nwork, 1));
		for (d = 0; d < cal->ndays; d++)
			if (cal->rank[d + 1] != cal->rank[d])
				cal->workday[nwork++] = d;
		MemoryContextSwitchTo(old);
	}

	SPI_finish();
	calendar = cal;
	calendar_generation++;
}

/*
 * A hypothetical calendar: the cached one with some days' working status
 * flipped (calendar_set_toggled), for the recomputation of terms a calendar
 * change moves (calendar_moves.c).  Built from the cached calendar in its own
 * context, and again whenever that one is rebuilt or the days change.
 */
static bool year_is_covered(Calendar *cal, int y);

static MemoryContext ToggledContext = NULL;
static Calendar *toggled = NULL;
static uint64 toggled_generation = 0;	/* the cached calendar it was built from */
static DateADT *toggled_days = NULL;	/* the days of the last toggled calendar */
static int	toggled_n = 0;
static bool toggled_stale = true;
static bool toggled_active = false;		/* whether the calendar functions answer by it */

static Calendar *
toggled_build(Calendar *base)
{
	Calendar   *cal;
	MemoryContext old;
	int32		d,
				nwork = 0;
	bool	   *flip;
	int			i;

	if (ToggledContext == NULL)
		ToggledContext = AllocSetContextCreate(CacheMemoryContext, "licensing toggled calendar",
											   ALLOCSET_SMALL_SIZES);
	toggled = NULL;
	MemoryContextReset(ToggledContext);
	old = MemoryContextSwitchTo(ToggledContext);
	cal = palloc(sizeof(Calendar));
	*cal = *base;
	cal->rank = palloc(sizeof(int32) * (base->ndays + 1));
	flip = palloc0(Max(base->ndays, 1));
	for (i = 0; i < toggled_n; i++)
	{
		DateADT		day = toggled_days[i];

		/* a day outside the covered years is no working day either way */
		if (DATE_NOT_FINITE(day) || day < base->first || day - base->first >= base->ndays ||
			!year_is_covered(base, year_of(day)))
			continue;
		flip[day - base->first] = !flip[day - base->first];
	}
	cal->rank[0] = 0;
	for (d = 0; d < base->ndays; d++)
	{
		bool		working = base->rank[d + 1] != base->rank[d];

		cal->rank[d + 1] = cal->rank[d] + ((working != flip[d]) ? 1 : 0);
	}
	cal->nwork = cal->rank[base->ndays];
	cal->workday = palloc(sizeof(int32) * Max(cal->nwork, 1));
	for (d = 0; d < base->ndays; d++)
		if (cal->rank[d + 1] != cal->rank[d])
			cal->workday[nwork++] = d;
	MemoryContextSwitchTo(old);
	toggled_generation = calendar_generation;
	toggled_stale = false;
	toggled = cal;
	return cal;
}

static inline Calendar *
calendar_get(void)
{
	if (!calendar_valid || calendar == NULL)
		calendar_build();
	if (toggled_active)
	{
		if (toggled_stale || toggled == NULL || toggled_generation != calendar_generation)
			return toggled_build(calendar);
		return toggled;
	}
	return calendar;
}

/*
 * From now on, until called again with n = 0, the calendar functions answer
 * as if each of the n days had the other working status (a working day off,
 * a day off working).  The caller resets it on every path (PG_FINALLY).
 */
void
calendar_set_toggled(const DateADT *days, int n)
{
	toggled_active = n > 0;
	/* the last toggled calendar is kept: the same days again reuse it */
	if (n == 0 || (n == toggled_n && memcmp(days, toggled_days, sizeof(DateADT) * n) == 0))
		return;
	if (toggled_days != NULL)
		pfree(toggled_days);
	toggled_days = MemoryContextAlloc(TopMemoryContext, sizeof(DateADT) * n);
	memcpy(toggled_days, days, sizeof(DateADT) * n);
	toggled_n = n;
	toggled_stale = true;
}

static bool
year_is_covered(Calendar *cal, int y)
{
	if (cal->ndays == 0 || y < cal->first_year || y > cal->last_year)
		return false;
	return cal->year_covered[y - cal->first_year];
}

static void report_outside(Calendar *cal, const char *what, DateADT d) pg_attribute_noreturn();

static void
report_outside(Calendar *cal, const char *what, DateADT d)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s %s is outside the working calendar", what, iso_date(d)),
			 errdetail("The working calendar covers %s (licensing.calendar_year).",
					   cal->covered_text),
			 errhint("A DBA adds a year with a row in licensing.calendar_year, its holidays and "
					 "decree transfers in licensing.calendar_exception, then "
					 "licensing.calendar_generate_carries(year).")));
	pg_unreachable();
}

/* Every year from y1 to y2 (either order) is covered, or 22023. */
static void
check_years_between(Calendar *cal, DateADT from, DateADT to, const char *what)
{
	int			y1 = year_of(Min(from, to));
	int			y2 = year_of(Max(from, to));
	int			y;

	if (!cal->has_gaps)
		return;
	for (y = y1; y <= y2; y++)
		if (!year_is_covered(cal, y))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("the working days from %s to %s cross the year %d, which the working calendar does not cover",
							iso_date(from), iso_date(to), y),
					 errdetail("The working calendar covers %s (licensing.calendar_year).",
							   cal->covered_text),
					 errhint("Add the year %d to licensing.calendar_year with its holidays.", y)));
	(void) what;
}

void
calendar_check_date(DateADT d, const char *what)
{
	Calendar   *cal = calendar_get();

	if (DATE_NOT_FINITE(d) || !year_is_covered(cal, year_of(d)))
		report_outside(cal, what, d);
}

bool
calendar_is_working(DateADT d)
{
	Calendar   *cal = calendar_get();
	int32		i;

	if (DATE_NOT_FINITE(d) || !year_is_covered(cal, year_of(d)))
		report_outside(cal, "date", d);
	i = d - cal->first;
	return cal->rank[i + 1] != cal->rank[i];
}

int64
calendar_rank(DateADT d)
{
	Calendar   *cal = calendar_get();

	if (DATE_NOT_FINITE(d) || !year_is_covered(cal, year_of(d)))
		report_outside(cal, "date", d);
	return cal->rank[d - cal->first];
}

DateADT
calendar_add_working_days(DateADT d, int64 n)
{
	Calendar   *cal = calendar_get();
	int32		i;
	int64		k;
	DateADT		r;

	if (DATE_NOT_FINITE(d) || d < cal->first || d - cal->first >= cal->ndays ||
		(cal->has_gaps && !year_is_covered(cal, year_of(d))))
		report_outside(cal, "date", d);
	if (n == 0)
		return d;
	i = d - cal->first;
	if (n > 0)
		k = (int64) cal->rank[i + 1] + n - 1;
	else
		k = (int64) cal->rank[i] + n;
	if (k < 0 || k >= cal->nwork)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%lld working days %s %s fall outside the working calendar",
						(long long) (n < 0 ? -n : n), n < 0 ? "before" : "after", iso_date(d)),
				 errdetail("The working calendar covers %s (licensing.calendar_year); "
						   "it has %d working days %s that date.",
						   cal->covered_text,
						   n < 0 ? cal->rank[i] : cal->nwork - cal->rank[i + 1],
						   n < 0 ? "before" : "after"),
				 errhint("Check the count, or add the years it needs to licensing.calendar_year.")));
	r = cal->first + cal->workday[k];
	check_years_between(cal, d, r, "result");
	return r;
}

/*
 * For the term rules (calendar_time.c), which name the year a count runs
 * into instead of raising the generic errors above.
 */
const char *
calendar_covered_text(void)
{
	return calendar_get()->covered_text;
}

bool
calendar_year_covered(int y)
{
	return year_is_covered(calendar_get(), y);
}

/* The first year from y on, going by step (+1 or -1), the calendar lacks. */
static int
first_uncovered(Calendar *cal, int y, int step)
{
	while (y >= CAL_MIN_YEAR && y <= CAL_MAX_YEAR && year_is_covered(cal, y))
		y += step;
	return y;
}

/*
 * calendar_add_working_days without raising for a count that leaves the
 * covered years: false, with *missing the first year it runs into that the
 * calendar does not cover.  d itself must be covered (checked, 22023).
 */
bool
calendar_try_add_working_days(DateADT d, int64 n, DateADT *result, int *missing)
{
	Calendar   *cal = calendar_get();
	int32		i;
	int64		k;
	DateADT		r;
	int			y;

	calendar_check_date(d, "date");
	if (n == 0)
	{
		*result = d;
		return true;
	}
	i = d - cal->first;
	k = n > 0 ? (int64) cal->rank[i + 1] + n - 1 : (int64) cal->rank[i] + n;
	if (k < 0 || k >= cal->nwork)
	{
		*missing = first_uncovered(cal, year_of(d), n > 0 ? 1 : -1);
		return false;
	}
	r = cal->first + cal->workday[k];
	if (cal->has_gaps)
		for (y = year_of(Min(d, r)); y <= year_of(Max(d, r)); y++)
			if (!year_is_covered(cal, y))
			{
				*missing = y;
				return false;
			}
	*result = r;
	return true;
}

/* ---- SQL-callable functions ------------------------------------------- */

static DateADT
date_arg(FunctionCallInfo fcinfo, int n, const char *name)
{
	if (PG_ARGISNULL(n))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be null", name),
				 errdetail("A working-calendar function needs a date to count from."),
				 errhint("Pass a date inside the working calendar.")));
	return PG_GETARG_DATEADT(n);
}

/*
 * licensing.is_working_day(day date) RETURNS boolean
 */
PG_FUNCTION_INFO_V1(calendar_is_working_day);
Datum
calendar_is_working_day(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(calendar_is_working(date_arg(fcinfo, 0, "day")));
}

/*
 * licensing.add_working_days(day date, n integer) RETURNS date
 */
PG_FUNCTION_INFO_V1(calendar_add_working_days_sql);
Datum
calendar_add_working_days_sql(PG_FUNCTION_ARGS)
{
	DateADT		d = date_arg(fcinfo, 0, "day");

	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the number of working days must not be null"),
				 errhint("Pass 0 for the date itself, a negative number to count back.")));
	PG_RETURN_DATEADT(calendar_add_working_days(d, PG_GETARG_INT32(1)));
}

/*
 * licensing.working_days_between(from_day date, to_day date) RETURNS integer
 *
 * Working days after from_day up to and including to_day; when to_day is
 * earlier, minus the working days from to_day up to (not including)
 * from_day, so add_working_days(a, working_days_between(a, b)) = b for every
 * working day b.
 */
PG_FUNCTION_INFO_V1(calendar_working_days_between);
Datum
calendar_working_days_between(PG_FUNCTION_ARGS)
{
	DateADT		a = date_arg(fcinfo, 0, "from_day");
	DateADT		b = date_arg(fcinfo, 1, "to_day");
	Calendar   *cal;
	int32		ia,
				ib;

	calendar_check_date(a, "from_day");
	calendar_check_date(b, "to_day");
	cal = calendar_get();
	check_years_between(cal, a, b, "to_day");
	ia = a - cal->first;
	ib = b - cal->first;
	if (b >= a)
		PG_RETURN_INT32(cal->rank[ib + 1] - cal->rank[ia + 1]);
	PG_RETURN_INT32(cal->rank[ib] - cal->rank[ia]);
}

/*
 * licensing.calendar_covers(day date) RETURNS boolean
 *
 * Whether the working calendar covers the date (never raises; NULL for NULL).
 */
PG_FUNCTION_INFO_V1(calendar_covers);
Datum
calendar_covers(PG_FUNCTION_ARGS)
{
	DateADT		d;
	Calendar   *cal;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	d = PG_GETARG_DATEADT(0);
	cal = calendar_get();
	PG_RETURN_BOOL(!DATE_NOT_FINITE(d) && year_is_covered(cal, year_of(d)));
}

