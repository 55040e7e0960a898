/*
 * schedule_fuzz.c
 *		libFuzzer harness for the working-schedule rules of src/calendar_time.c
 *		(schedule_set: a key and its value; schedule_finish: the times against
 *		each other), compiled from the real source: test/scripts/parsers_fuzz.sh
 *		cuts the Schedule type and the code from parse_hhmm to schedule_finish
 *		out of calendar_time.c.  The JSON walk around them is PostgreSQL's
 *		JsonbIterator, which pgTAP exercises through check_schedule.
 *
 * An input is lines "key=value"; a line without '=' stands for a value that
 * is not a JSON string.  Properties on every input:
 *   - no read outside the input, no crash; a refusal is an ereport;
 *   - an accepted schedule has 00:00 <= day_start <= lunch_start <=
 *     lunch_end <= day_end <= 24:00, day_start < day_end, whole minutes, and
 *     per_day > 0 equal to the day less the lunch break;
 *   - its times written back as 'HH:MM' (and its zone name) give the same
 *     schedule.
 */
#include "pg_shim.h"

static void
bad_schedule(Jsonb *j, const char *detail, const char *hint)
{
	(void) j;
	(void) detail;
	(void) hint;
	longjmp(shim_error, 1);
}

#include "schedule_region.c"

#define MAX_LINES 16

typedef struct Pair
{
	const char *key;
	const char *val;			/* NULL: not a string */
	int			len;
} Pair;

static bool
try_schedule(const Pair *pairs, int n, Schedule *s)
{
	if (setjmp(shim_error) != 0)
		return false;
	schedule_defaults(s);
	for (int i = 0; i < n; i++)
		schedule_set(s, NULL, pairs[i].key, pairs[i].val, pairs[i].len);
	schedule_finish(s, NULL);
	return true;
}

static void
hhmm(char *buf, int64 t)
{
	snprintf(buf, 6, "%02d:%02d", (int) (t / USECS_PER_HOUR), (int) (t % USECS_PER_HOUR / USECS_PER_MINUTE));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *in = malloc(size + 1);
	Pair		pairs[MAX_LINES];
	int			n = 0;
	const char *zone = NULL;
	Schedule	s;
	size_t		i = 0;

	memcpy(in, data, size);
	in[size] = '\0';
	while (i < size && n < MAX_LINES)
	{
		size_t		end = i, eq;

		while (end < size && in[end] != '\n')
			end++;
		for (eq = i; eq < end && in[eq] != '='; eq++)
			;
		/* keys are strings without NUL (jsonb refuses \u0000) */
		pairs[n].key = pnstrdup(in + i, eq - i);
		pairs[n].val = eq < end ? in + eq + 1 : NULL;
		pairs[n].len = eq < end ? (int) (end - eq - 1) : 0;
		if (pairs[n].val && strcmp(pairs[n].key, "time_zone") == 0)
			zone = pnstrdup(pairs[n].val, pairs[n].len);
		n++;
		i = end + 1;
	}

	if (try_schedule(pairs, n, &s))
	{
		const int64 day = 24 * USECS_PER_HOUR;
		char		t[4][6];
		Pair		again[5];
		Schedule	s2;
		int			m = 0;

		if (s.day_start < 0 || s.day_start >= s.day_end || s.day_end > day ||
			s.lunch_start < s.day_start || s.lunch_end < s.lunch_start || s.lunch_end > s.day_end ||
			s.day_start % USECS_PER_MINUTE || s.day_end % USECS_PER_MINUTE ||
			s.lunch_start % USECS_PER_MINUTE || s.lunch_end % USECS_PER_MINUTE ||
			s.per_day <= 0 || s.per_day != (s.day_end - s.day_start) - (s.lunch_end - s.lunch_start) ||
			s.tz == NULL)
			abort();
		hhmm(t[0], s.day_start);
		hhmm(t[1], s.day_end);
		hhmm(t[2], s.lunch_start);
		hhmm(t[3], s.lunch_end);
		again[m++] = (Pair) {"day_start", t[0], 5};
		again[m++] = (Pair) {"day_end", t[1], 5};
		again[m++] = (Pair) {"lunch_start", t[2], 5};
		again[m++] = (Pair) {"lunch_end", t[3], 5};
		if (zone)
			again[m++] = (Pair) {"time_zone", zone, (int) strlen(zone)};
		if (!try_schedule(again, m, &s2) || s2.day_start != s.day_start || s2.day_end != s.day_end ||
			s2.lunch_start != s.lunch_start || s2.lunch_end != s.lunch_end || s2.per_day != s.per_day ||
			s2.fixed != s.fixed)
			abort();
	}
	shim_free_all();
	free(in);
	return 0;
}
