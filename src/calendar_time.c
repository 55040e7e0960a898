/*
 * calendar_time.c
 *		Working time of a provider and the term rules: check_schedule,
 *		add_working_time, working_time_between, receipt_day, term_due_on,
 *		norm_due_at.
 *
 * A provider works on the working days of the national calendar (calendar.c)
 * between day_start and day_end, less the lunch break, in its time zone
 * (API §2; DOMAIN §3.3: "hour and minute norms run in working time of the
 * provider").  Its schedule is a jsonb object with the optional keys
 *
 *	 time_zone    a zone name or POSIX spec PostgreSQL knows ('Asia/Almaty',
 *				  '<+05>-05'); default '<+05>-05', fixed UTC+5 (Kazakhstan's
 *				  single zone since 2024-03-01, DOMAIN §5).  Bare offsets such
 *				  as '+05:00' or 'UTC+5' are refused: PostgreSQL reads them
 *				  in the POSIX sense, five hours WEST of Greenwich.
 *	 day_start, day_end, lunch_start, lunch_end
 *				  'HH:MM' local; default 09:00, 18:00, 13:00, 14:00;
 *				  lunch_start = lunch_end means no lunch break.
 *
 * The term rules (API §2, QUALITY §5): the receipt day is the provider-local
 * date of the submission, or the next working day when it came at or after
 * the end of the working day or on a day off (before the start of a working
 * day it is that day); a term of n working days (or "n days", DOMAIN §3.3:
 * day norms count working days) falls due on add_working_days(receipt day,
 * n), since a term starts the day after receipt; a term of n months on the
 * same date n months later, or that month's last day, moved to the next
 * working day when it is a day off.  A day norm falls due at the end of its
 * day in the provider's time zone: the start of the next local day.
 *
 * Provider schedules are cached per backend, as the calendar is (calendar.c):
 * read from licensing.provider with the latest snapshot on first use of a
 * provider, parsed once, and dropped by a relcache callback when the
 * statement-level trigger provider_invalidate (licensing.invalidate_cache, cache.c)
 * reports a change of the table: this session's at its next command, other
 * sessions' once committed (each lookup accepts pending invalidations).
 * Never by time.
 */
#include "postgres.h"

#include "access/parallel.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "datatype/timestamp.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "mb/pg_wchar.h"
#include "pgtime.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/inval.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"

#include "bounds.h"
#include "cache.h"
#include "calendar.h"

#define DEFAULT_TIME_ZONE "<+05>-05"

typedef struct Schedule
{
	pg_tz	   *tz;
	bool		fixed;			/* a fixed offset: no zone rules to consult */
	long		gmtoff;			/* seconds east of Greenwich, when fixed */
	int64		day_start;		/* microseconds after local midnight */
	int64		day_end;
	int64		lunch_start;
	int64		lunch_end;
	int64		per_day;		/* working microseconds of a working day */
} Schedule;

typedef enum NormUnit
{
	NORM_MINUTES,
	NORM_HOURS,
	NORM_WORKING_DAYS,
	NORM_MONTHS
} NormUnit;

/* ---- schedules -------------------------------------------------------- */

static char *
schedule_text(Jsonb *j)
{
	char	   *s = JsonbToCString(NULL, &j->root, VARSIZE(j));

	if (strlen(s) > 200)
		s = psprintf("%.200s...", s);
	return s;
}

static void bad_schedule(Jsonb *j, const char *detail, const char *hint) pg_attribute_noreturn();

static void
bad_schedule(Jsonb *j, const char *detail, const char *hint)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid working schedule %s", j ? schedule_text(j) : "(default)"),
			 errdetail_internal("%s", detail),
			 hint ? errhint("%s", hint) : 0));
	pg_unreachable();
}

/* 'HH:MM' (00:00 to 24:00) as microseconds, or -1. */
static int64
parse_hhmm(const char *s, int len)
{
	int			h,
				m;

	if (len != 5 || s[2] != ':' ||
		!isdigit((unsigned char) s[0]) || !isdigit((unsigned char) s[1]) ||
		!isdigit((unsigned char) s[3]) || !isdigit((unsigned char) s[4]))
		return -1;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	m = (s[3] - '0') * 10 + (s[4] - '0');
	if (h > 24 || m > 59 || (h == 24 && m != 0))
		return -1;
	return ((int64) h * 60 + m) * USECS_PER_MINUTE;
}

static void
set_zone(Schedule *s, Jsonb *j, const char *name)
{
	size_t		len = strlen(name);

	if (len == 0 || len > 100)
		bad_schedule(j, "The time_zone is empty or too long.",
					 "Use a zone name such as 'Asia/Almaty', or '<+05>-05' for fixed UTC+5.");
	if (name[0] == '+' || name[0] == '-' || isdigit((unsigned char) name[0]) ||
		((pg_strncasecmp(name, "UTC", 3) == 0 || pg_strncasecmp(name, "GMT", 3) == 0) &&
		 (name[3] == '+' || name[3] == '-')))
		bad_schedule(j, psprintf("The time_zone \"%s\" is a bare offset, which PostgreSQL reads "
								 "in the POSIX sense (west of Greenwich is positive), the "
								 "opposite of ISO 8601.", name),
					 "Write fixed UTC+5 as '<+05>-05' (or 'Etc/GMT-5'), or use a zone name such as 'Asia/Almaty'.");
	s->tz = pg_tzset(name);
	if (s->tz == NULL)
		bad_schedule(j, psprintf("The time_zone \"%s\" is not a time zone PostgreSQL knows.", name),
					 "See pg_timezone_names for the names; '<+05>-05' is fixed UTC+5.");
	s->fixed = pg_get_timezone_offset(s->tz, &s->gmtoff);
}

static void
schedule_defaults(Schedule *s)
{
	s->tz = pg_tzset(DEFAULT_TIME_ZONE);
	if (s->tz == NULL)
		elog(ERROR, "time zone %s not found", DEFAULT_TIME_ZONE);
	s->fixed = pg_get_timezone_offset(s->tz, &s->gmtoff);
	s->day_start = 9 * USECS_PER_HOUR;
	s->day_end = 18 * USECS_PER_HOUR;
	s->lunch_start = 13 * USECS_PER_HOUR;
	s->lunch_end = 14 * USECS_PER_HOUR;
	s->per_day = 8 * USECS_PER_HOUR;
}

/*
 * Sets one key of a schedule from its string value (NULL: the value is not
 * a JSON string); raises 22023 on an unknown key or a bad value.  j is the
 * whole schedule, for the message.
 * The JSON walk (schedule_parse) and the values' rules are apart so that the
 * rules can be fuzzed without a server (test/scripts/parsers_fuzz.sh).
 */
static void
schedule_set(Schedule *s, Jsonb *j, const char *key, const char *val, int len)
{
	int64		t;

	if (strcmp(key, "time_zone") != 0 && strcmp(key, "day_start") != 0 &&
		strcmp(key, "day_end") != 0 && strcmp(key, "lunch_start") != 0 &&
		strcmp(key, "lunch_end") != 0)
		bad_schedule(j, psprintf("The key \"%s\" is not a schedule key.", key),
					 "The keys are time_zone, day_start, day_end, lunch_start and lunch_end.");
	if (val == NULL)
		bad_schedule(j, psprintf("The value of \"%s\" is not a string.", key),
					 "Write times as 'HH:MM' strings and the zone as a name.");
	if (strcmp(key, "time_zone") == 0)
	{
		set_zone(s, j, pnstrdup(val, len));
		return;
	}
	t = parse_hhmm(val, len);
	if (t < 0)
		bad_schedule(j, psprintf("The value of \"%s\" is not a time 'HH:MM' between 00:00 and 24:00.", key),
					 NULL);
	if (strcmp(key, "day_start") == 0)
		s->day_start = t;
	else if (strcmp(key, "day_end") == 0)
		s->day_end = t;
	else if (strcmp(key, "lunch_start") == 0)
		s->lunch_start = t;
	else
		s->lunch_end = t;
}

/* Checks the times of a schedule against each other and sets per_day; 22023 when they disagree. */
static void
schedule_finish(Schedule *s, Jsonb *j)
{
	if (s->day_start >= s->day_end)
		bad_schedule(j, "The working day ends before it starts (day_end is not after day_start).", NULL);
	if (s->lunch_start > s->lunch_end)
		bad_schedule(j, "The lunch break ends before it starts.", NULL);
	if (s->lunch_start < s->day_start || s->lunch_end > s->day_end)
		bad_schedule(j, "The lunch break lies outside the working day.",
					 "Set lunch_start equal to lunch_end for a day without a lunch break.");
	s->per_day = (s->lunch_start - s->day_start) + (s->day_end - s->lunch_end);
	if (s->per_day <= 0)
		bad_schedule(j, "The schedule has no working time: the lunch break fills the whole day.", NULL);
}

/* Parses a schedule (NULL: the default); raises 22023 on a bad one. */
static void
schedule_parse(Jsonb *j, Schedule *s)
{
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	char	   *key = NULL;

	schedule_defaults(s);
	if (j == NULL)
		return;
	if (!JB_ROOT_IS_OBJECT(j) || JB_ROOT_IS_SCALAR(j))
		bad_schedule(j, "A schedule is a JSON object.",
					 "Write e.g. {\"day_start\": \"09:00\", \"day_end\": \"18:00\"}; {} is the default schedule.");

	it = JsonbIteratorInit(&j->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		if (tok == WJB_KEY)
		{
			key = pnstrdup(v.val.string.val, v.val.string.len);
			continue;
		}
		if (tok != WJB_VALUE)
			continue;
		if (v.type != jbvString)
			schedule_set(s, j, key, NULL, 0);
		else
			schedule_set(s, j, key, v.val.string.val, v.val.string.len);
	}
	schedule_finish(s, j);
}

/* ---- the cache of provider schedules ---------------------------------- */

typedef struct CachedSchedule
{
	char	   *code;
	Schedule	schedule;
} CachedSchedule;

static MemoryContext ScheduleContext = NULL;
static CachedSchedule *cached = NULL;
static int	ncached = 0;
static int	cached_size = 0;
static bool schedules_valid = false;
static bool schedule_callback_registered = false;
static Oid	provider_relid = InvalidOid;

/* Relcache callback: a change of licensing.provider (or a reset) drops the cache. */
static void
schedule_relcache_callback(Datum arg, Oid relid)
{
	if (relid == InvalidOid || relid == provider_relid)
		schedules_valid = false;
}

/* Reads one provider's schedule with the latest snapshot; false when there is no such provider. */
static bool
schedule_read(text *provider, Schedule *s)
{
	static SPIPlanPtr plan = NULL;
	Datum		values[1];
	char		nulls[1] = {' '};
	bool		found;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (plan == NULL)
	{
		Oid			argtypes[1] = {TEXTOID};
		SPIPlanPtr	p = SPI_prepare("SELECT schedule FROM licensing.provider "
									"WHERE code OPERATOR(pg_catalog.=) $1", 1, argtypes);

		if (p == NULL)
			elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
		SPI_keepplan(p);
		plan = p;
	}
	values[0] = PointerGetDatum(provider);
	cache_select_latest(plan, values, nulls, 1, "licensing.provider");
	found = SPI_processed > 0;
	if (found)
	{
		bool		isnull;
		Datum		d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);

		/* Parsed while connected: a Schedule holds no pointer into SPI memory. */
		schedule_parse(isnull ? NULL : DatumGetJsonbP(d), s);
	}
	SPI_finish();
	return found;
}

/*
 * The schedule of a provider (NULL: the default), from the cache or read
 * from licensing.provider.  P0002 when there is no such provider.
 */
static void
schedule_for_provider(text *provider, Schedule *s)
{
	char	   *code;
	int			i;

	if (provider == NULL)
	{
		schedule_defaults(s);
		return;
	}
	if (!schedule_callback_registered)
	{
		CacheRegisterRelcacheCallback(schedule_relcache_callback, (Datum) 0);
		schedule_callback_registered = true;
	}
	if (ScheduleContext == NULL)
		ScheduleContext = AllocSetContextCreate(CacheMemoryContext,
												"licensing provider schedules",
												ALLOCSET_SMALL_SIZES);
	/*
	 * Changes committed by other sessions count from the next call, even
	 * within a transaction that already holds its lock on the table (as a
	 * fresh read with the latest snapshot would see them).
	 */
	AcceptInvalidationMessages();
	if (!schedules_valid)
	{
		cached = NULL;
		ncached = cached_size = 0;
		MemoryContextReset(ScheduleContext);
		/* An invalidation arriving while we look up or read clears this again. */
		schedules_valid = true;
		provider_relid = get_relname_relid("provider", get_namespace_oid("licensing", false));
	}
	code = text_to_cstring(provider);
	for (i = 0; i < ncached; i++)
		if (strcmp(cached[i].code, code) == 0)
		{
			*s = cached[i].schedule;
			return;
		}
	if (!schedule_read(provider, s))
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("provider \"%s\" does not exist",
						limits_quote(code)),
				 errdetail("There is no row with this code in licensing.provider."),
				 errhint("Pass the code of a provider, or NULL for the default schedule.")));
	if (!schedules_valid)
		return;					/* changed while we read: do not keep it */
	if (ncached == cached_size)
	{
		int			size = cached_size ? cached_size * 2 : 16;

		cached = cached ? repalloc(cached, size * sizeof(CachedSchedule))
			: MemoryContextAlloc(ScheduleContext, size * sizeof(CachedSchedule));
		cached_size = size;
	}
	cached[ncached].code = MemoryContextStrdup(ScheduleContext, code);
	cached[ncached].schedule = *s;
	ncached++;
}

/* ---- local time ------------------------------------------------------- */

static TimestampTz
ts_arg(FunctionCallInfo fcinfo, int n, const char *name)
{
	TimestampTz t;

	if (PG_ARGISNULL(n))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be null", name),
				 errhint("Pass a moment inside the working calendar.")));
	t = PG_GETARG_TIMESTAMPTZ(n);
	if (TIMESTAMP_NOT_FINITE(t))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s %s is outside the working calendar", name,
						TIMESTAMP_IS_NOBEGIN(t) ? "-infinity" : "infinity"),
				 errhint("Pass a finite moment inside the working calendar.")));
	return t;
}

/* The provider-local date and time of day (microseconds) of t. */
static void
to_local(const Schedule *s, TimestampTz t, DateADT *day, int64 *tod)
{
	Timestamp	local;

	if (s->fixed)
		local = t + (int64) s->gmtoff * USECS_PER_SEC;
	else
	{
		struct pg_tm tm;
		fsec_t		fsec;
		int			tz;

		if (timestamp2tm(t, &tz, &tm, &fsec, NULL, s->tz) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("timestamp out of range")));
		local = t - (int64) tz * USECS_PER_SEC;
	}
	*day = (DateADT) (local / USECS_PER_DAY);
	*tod = local - (int64) *day * USECS_PER_DAY;
	if (*tod < 0)
	{
		*day -= 1;
		*tod += USECS_PER_DAY;
	}
}

/* The moment of a provider-local date and time of day. */
static TimestampTz
from_local(const Schedule *s, DateADT day, int64 tod)
{
	Timestamp	local = (int64) day * USECS_PER_DAY + tod;
	struct pg_tm tm;
	fsec_t		fsec;
	int			tz;

	if (s->fixed)
		return local - (int64) s->gmtoff * USECS_PER_SEC;
	if (timestamp2tm(local, NULL, &tm, &fsec, NULL, NULL) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	tz = DetermineTimeZoneOffset(&tm, s->tz);
	return local + (int64) tz * USECS_PER_SEC;
}

/* Working microseconds of a working day before the time of day tod. */
static int64
worked_before(const Schedule *s, int64 tod)
{
	int64		morning = Min(Max(tod, s->day_start), s->lunch_start) - s->day_start;
	int64		afternoon = Min(Max(tod, s->lunch_end), s->day_end) - s->lunch_end;

	return morning + afternoon;
}

/* The time of day at which x (0 < x <= per_day) working microseconds are done. */
static int64
time_at(const Schedule *s, int64 x)
{
	int64		morning = s->lunch_start - s->day_start;

	if (x <= morning)
		return s->day_start + x;
	return s->lunch_end + (x - morning);
}

static TimestampTz
add_working_time(const Schedule *s, TimestampTz t, int64 amount)
{
	DateADT		day;
	int64		tod,
				done,
				avail,
				k;

	to_local(s, t, &day, &tod);
	calendar_check_date(day, "start");
	if (amount == 0)
		return t;
	done = calendar_is_working(day) ? worked_before(s, tod) : s->per_day;
	avail = s->per_day - done;
	if (amount <= avail)
		return from_local(s, day, time_at(s, done + amount));
	amount -= avail;
	/* Skip whole working days: an index lookup, however long the amount. */
	k = (amount - 1) / s->per_day;
	day = calendar_add_working_days(day, k + 1);
	return from_local(s, day, time_at(s, amount - k * s->per_day));
}

/* Working microseconds from the calendar's start up to t. */
static int64
working_clock(const Schedule *s, TimestampTz t, const char *what)
{
	DateADT		day;
	int64		tod;

	to_local(s, t, &day, &tod);
	calendar_check_date(day, what);
	return calendar_rank(day) * s->per_day +
		(calendar_is_working(day) ? worked_before(s, tod) : 0);
}

static int64
interval_arg(FunctionCallInfo fcinfo, int n)
{
	Interval   *iv;

	if (PG_ARGISNULL(n))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the amount of working time must not be null"),
				 errhint("Pass an interval of hours and minutes, e.g. '2 hours'.")));
	iv = PG_GETARG_INTERVAL_P(n);
	if (iv->month != 0 || iv->day != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("working time %s has days or months",
						DatumGetCString(DirectFunctionCall1(interval_out, IntervalPGetDatum(iv)))),
				 errdetail("Working time is counted in hours and minutes of the working day; "
						   "a calendar day has no fixed length in working time."),
				 errhint("Count days with licensing.add_working_days or a norm such as '2 working days'.")));
	if (iv->time < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("working time %s is negative",
						DatumGetCString(DirectFunctionCall1(interval_out, IntervalPGetDatum(iv)))),
				 errhint("Pass a positive amount; use working_time_between to measure back.")));
	return iv->time;
}

static Interval *
make_interval_us(int64 us)
{
	Interval   *r = palloc0(sizeof(Interval));

	r->time = us;
	return r;
}

/* ---- norms ------------------------------------------------------------ */

/*
 * Parses a norm: a positive whole number and a unit (minute(s), hour(s),
 * working day(s), day(s), month(s)), case and surrounding space ignored.
 */
static void
parse_norm(text *norm_text, int64 *n, NormUnit *unit)
{
	char	   *norm = text_to_cstring(norm_text);
	char	   *p = norm;
	char	   *u;
	int			digits = 0;
	size_t		len;

	*n = 0;
	while (isspace((unsigned char) *p))
		p++;
	while (isdigit((unsigned char) *p) && digits < 10)
	{
		*n = *n * 10 + (*p - '0');
		p++;
		digits++;
	}
	u = p;
	while (isspace((unsigned char) *u))
		u++;
	len = strlen(u);
	while (len > 0 && isspace((unsigned char) u[len - 1]))
		len--;
	u = pnstrdup(u, len);

	if (digits == 0 || digits >= 10 || *n < 1 || len == 0)
		goto bad;
	if (pg_strcasecmp(u, "minute") == 0 || pg_strcasecmp(u, "minutes") == 0)
		*unit = NORM_MINUTES;
	else if (pg_strcasecmp(u, "hour") == 0 || pg_strcasecmp(u, "hours") == 0)
		*unit = NORM_HOURS;
	else if (pg_strcasecmp(u, "working day") == 0 || pg_strcasecmp(u, "working days") == 0 ||
			 pg_strcasecmp(u, "day") == 0 || pg_strcasecmp(u, "days") == 0)
		*unit = NORM_WORKING_DAYS;
	else if (pg_strcasecmp(u, "month") == 0 || pg_strcasecmp(u, "months") == 0)
	{
		*unit = NORM_MONTHS;
		if (*n > 1200)
			goto bad;
	}
	else
		goto bad;
	return;

bad:
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid norm \"%s\"",
					limits_quote(norm)),
			 errdetail("A norm is a whole number from 1 and a unit: minutes, hours, working days, "
					   "days (counted as working days) or months (at most 1200)."),
			 errhint("Write e.g. '15 minutes', '2 hours', '2 working days', '15 days' or '1 month'.")));
}

/*
 * A term whose due day falls in a year the calendar does not cover: the
 * message names the year and how a DBA adds it.  Raised before the workflow
 * writes anything (submit computes the term before it takes a number).
 */
static void term_outside(DateADT receipt, int64 n, NormUnit unit, int year) pg_attribute_noreturn();

static void
term_outside(DateADT receipt, int64 n, NormUnit unit, int year)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("a term of %lld %s from the receipt day %s runs into %d, a year the working calendar does not cover",
					(long long) n,
					unit == NORM_WORKING_DAYS ? (n == 1 ? "working day" : "working days") : (n == 1 ? "month" : "months"),
					DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(receipt))), year),
			 errdetail("The working calendar covers %s (licensing.calendar_year); a due day in %d "
					   "cannot be counted until that year's holidays are known.",
					   calendar_covered_text(), year),
			 errhint("A DBA adds the year %d: a row in licensing.calendar_year, its holidays and decree days in "
					 "licensing.calendar_exception, then SELECT licensing.calendar_generate_carries(%d); "
					 "licensing.calendar_status shows the covered years.", year, year)));
	pg_unreachable();
}

/* The due day of a day or month term counted from a receipt day. */
static DateADT
due_day(DateADT receipt, int64 n, NormUnit unit)
{
	DateADT		r;
	int			missing;

	calendar_check_date(receipt, "receipt_day");
	if (unit == NORM_WORKING_DAYS)
	{
		if (!calendar_try_add_working_days(receipt, n, &r, &missing))
			term_outside(receipt, n, unit, missing);
		return r;
	}
	else
	{
		int			y,
					m,
					d,
					last;
		int64		months;

		j2date(receipt + POSTGRES_EPOCH_JDATE, &y, &m, &d);
		months = (int64) y * 12 + (m - 1) + n;
		y = (int) (months / 12);
		m = (int) (months % 12) + 1;
		last = day_tab[isleap(y)][m - 1];
		if (!calendar_year_covered(y))
			term_outside(receipt, n, unit, y);
		r = date2j(y, m, Min(d, last)) - POSTGRES_EPOCH_JDATE;
		if (!calendar_is_working(r) && !calendar_try_add_working_days(r, 1, &r, &missing))
			term_outside(receipt, n, unit, missing);
		return r;
	}
}

static DateADT
receipt_day(const Schedule *s, TimestampTz t)
{
	DateADT		day;
	int64		tod;

	to_local(s, t, &day, &tod);
	calendar_check_date(day, "submitted_at");
	if (calendar_is_working(day) && tod < s->day_end)
		return day;
	return calendar_add_working_days(day, 1);
}

static TimestampTz
norm_due_at(const Schedule *s, TimestampTz anchor, text *norm)
{
	int64		n;
	NormUnit	unit;

	parse_norm(norm, &n, &unit);
	if (unit == NORM_MINUTES)
		return add_working_time(s, anchor, n * USECS_PER_MINUTE);
	if (unit == NORM_HOURS)
		return add_working_time(s, anchor, n * USECS_PER_HOUR);
	/* End of the due day: the start of the next local day. */
	return from_local(s, due_day(receipt_day(s, anchor), n, unit) + 1, 0);
}

static text *
norm_arg(FunctionCallInfo fcinfo, int n)
{
	if (PG_ARGISNULL(n))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("norm must not be null"),
				 errhint("Write e.g. '15 working days' or '1 month'.")));
	return PG_GETARG_TEXT_PP(n);
}

#define PROVIDER_ARG(n) (PG_ARGISNULL(n) ? NULL : PG_GETARG_TEXT_PP(n))
#define SCHEDULE_ARG(n) (PG_ARGISNULL(n) ? NULL : PG_GETARG_JSONB_P(n))

/* ---- SQL-callable functions ------------------------------------------- */

/*
 * licensing.check_schedule(schedule jsonb) RETURNS boolean
 *
 * True for a valid schedule; 22023 with the reason otherwise (for CHECK).
 */
PG_FUNCTION_INFO_V1(calendar_check_schedule);
Datum
calendar_check_schedule(PG_FUNCTION_ARGS)
{
	Schedule	s;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid working schedule null"),
				 errhint("Use {} for the default schedule.")));
	schedule_parse(PG_GETARG_JSONB_P(0), &s);
	PG_RETURN_BOOL(true);
}

/*
 * licensing.add_working_time(start timestamptz, amount interval, provider text DEFAULT NULL)
 *	 RETURNS timestamptz
 */
PG_FUNCTION_INFO_V1(calendar_add_working_time_provider);
Datum
calendar_add_working_time_provider(PG_FUNCTION_ARGS)
{
	TimestampTz t = ts_arg(fcinfo, 0, "start");
	int64		amount = interval_arg(fcinfo, 1);
	Schedule	s;

	schedule_for_provider(PROVIDER_ARG(2), &s);
	PG_RETURN_TIMESTAMPTZ(add_working_time(&s, t, amount));
}

/*
 * licensing.add_working_time(start timestamptz, amount interval, schedule jsonb)
 *	 RETURNS timestamptz
 */
PG_FUNCTION_INFO_V1(calendar_add_working_time_schedule);
Datum
calendar_add_working_time_schedule(PG_FUNCTION_ARGS)
{
	TimestampTz t = ts_arg(fcinfo, 0, "start");
	int64		amount = interval_arg(fcinfo, 1);
	Schedule	s;

	schedule_parse(SCHEDULE_ARG(2), &s);
	PG_RETURN_TIMESTAMPTZ(add_working_time(&s, t, amount));
}

/*
 * licensing.working_time_between(from_at timestamptz, to_at timestamptz, provider text DEFAULT NULL)
 *	 RETURNS interval
 */
PG_FUNCTION_INFO_V1(calendar_working_time_between_provider);
Datum
calendar_working_time_between_provider(PG_FUNCTION_ARGS)
{
	TimestampTz a = ts_arg(fcinfo, 0, "from_at");
	TimestampTz b = ts_arg(fcinfo, 1, "to_at");
	Schedule	s;

	schedule_for_provider(PROVIDER_ARG(2), &s);
	PG_RETURN_INTERVAL_P(make_interval_us(working_clock(&s, b, "to_at") -
										  working_clock(&s, a, "from_at")));
}

/*
 * licensing.working_time_between(from_at timestamptz, to_at timestamptz, schedule jsonb)
 *	 RETURNS interval
 */
PG_FUNCTION_INFO_V1(calendar_working_time_between_schedule);
Datum
calendar_working_time_between_schedule(PG_FUNCTION_ARGS)
{
	TimestampTz a = ts_arg(fcinfo, 0, "from_at");
	TimestampTz b = ts_arg(fcinfo, 1, "to_at");
	Schedule	s;

	schedule_parse(SCHEDULE_ARG(2), &s);
	PG_RETURN_INTERVAL_P(make_interval_us(working_clock(&s, b, "to_at") -
										  working_clock(&s, a, "from_at")));
}

/*
 * licensing.receipt_day(submitted_at timestamptz, provider text DEFAULT NULL) RETURNS date
 */
PG_FUNCTION_INFO_V1(calendar_receipt_day_provider);
Datum
calendar_receipt_day_provider(PG_FUNCTION_ARGS)
{
	TimestampTz t = ts_arg(fcinfo, 0, "submitted_at");
	Schedule	s;

	schedule_for_provider(PROVIDER_ARG(1), &s);
	PG_RETURN_DATEADT(receipt_day(&s, t));
}

/*
 * licensing.receipt_day(submitted_at timestamptz, schedule jsonb) RETURNS date
 */
PG_FUNCTION_INFO_V1(calendar_receipt_day_schedule);
Datum
calendar_receipt_day_schedule(PG_FUNCTION_ARGS)
{
	TimestampTz t = ts_arg(fcinfo, 0, "submitted_at");
	Schedule	s;

	schedule_parse(SCHEDULE_ARG(1), &s);
	PG_RETURN_DATEADT(receipt_day(&s, t));
}

/*
 * licensing.term_due_on(receipt_day date, norm text) RETURNS date
 */
PG_FUNCTION_INFO_V1(calendar_term_due_on);
Datum
calendar_term_due_on(PG_FUNCTION_ARGS)
{
	DateADT		receipt;
	text	   *norm = norm_arg(fcinfo, 1);
	int64		n;
	NormUnit	unit;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("receipt_day must not be null"),
				 errhint("Compute it with licensing.receipt_day(submitted_at, provider).")));
	receipt = PG_GETARG_DATEADT(0);
	parse_norm(norm, &n, &unit);
	if (unit == NORM_MINUTES || unit == NORM_HOURS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("norm \"%s\" is not a term in days or months", text_to_cstring(norm)),
				 errdetail("A due day is counted in working days or months; hours and minutes run in a provider's working time."),
				 errhint("Use licensing.norm_due_at(anchor, norm, provider) for hour and minute norms.")));
	PG_RETURN_DATEADT(due_day(receipt, n, unit));
}

/*
 * licensing.norm_due_at(anchor timestamptz, norm text, provider text DEFAULT NULL)
 *	 RETURNS timestamptz
 */
PG_FUNCTION_INFO_V1(calendar_norm_due_at_provider);
Datum
calendar_norm_due_at_provider(PG_FUNCTION_ARGS)
{
	TimestampTz t = ts_arg(fcinfo, 0, "anchor");
	text	   *norm = norm_arg(fcinfo, 1);
	Schedule	s;

	schedule_for_provider(PROVIDER_ARG(2), &s);
	PG_RETURN_TIMESTAMPTZ(norm_due_at(&s, t, norm));
}

/*
 * licensing.norm_due_at(anchor timestamptz, norm text, schedule jsonb) RETURNS timestamptz
 */
PG_FUNCTION_INFO_V1(calendar_norm_due_at_schedule);
Datum
calendar_norm_due_at_schedule(PG_FUNCTION_ARGS)
{
	TimestampTz t = ts_arg(fcinfo, 0, "anchor");
	text	   *norm = norm_arg(fcinfo, 1);
	Schedule	s;

	schedule_parse(SCHEDULE_ARG(2), &s);
	PG_RETURN_TIMESTAMPTZ(norm_due_at(&s, t, norm));
}
