/*
 * calendar.h
 *		The working calendar of Kazakhstan as cached in each backend
 *		(calendar.c), used by the working-time and term functions
 *		(calendar_time.c).
 */
#ifndef LICENSING_CALENDAR_H
#define LICENSING_CALENDAR_H

#include "postgres.h"
#include "fmgr.h"
#include "utils/date.h"

/*
 * Raises 22023 unless d is a finite date inside the years the calendar
 * covers; "what" names the argument in the message ("date", "result").
 */
extern void calendar_check_date(DateADT d, const char *what);

/* Whether d (covered, checked) is a working day. */
extern bool calendar_is_working(DateADT d);

/*
 * The n-th working day after d (n > 0), before d (n < 0), or d itself
 * (n = 0).  22023 when the answer leaves the covered years.
 */
extern DateADT calendar_add_working_days(DateADT d, int64 n);

/*
 * As calendar_add_working_days, but false instead of 22023 when the answer
 * leaves the covered years, with *missing the first uncovered year the count
 * runs into (d itself must be covered).
 */
extern bool calendar_try_add_working_days(DateADT d, int64 n, DateADT *result, int *missing);

/* Whether the calendar covers year y; the covered years as text for messages. */
extern bool calendar_year_covered(int y);
extern const char *calendar_covered_text(void);

/*
 * Answer as if each of the n days had the other working status, until called
 * with n = 0 (calendar_moves.c: what a calendar change moves).
 */
extern void calendar_set_toggled(const DateADT *days, int n);

/* The number of working days strictly before d (d covered). */
extern int64 calendar_rank(DateADT d);

/* The first working day after d (d itself excluded). */
#define calendar_next_working_day(d) calendar_add_working_days((d), 1)

/*
 * SQL-callable term functions (calendar_time.c) the workflow calls directly:
 * receipt_day(submitted_at, provider text), term_due_on(receipt_day, norm),
 * norm_due_at(anchor, norm, provider text).
 */
extern Datum calendar_receipt_day_provider(PG_FUNCTION_ARGS);
extern Datum calendar_term_due_on(PG_FUNCTION_ARGS);
extern Datum calendar_norm_due_at_provider(PG_FUNCTION_ARGS);

#endif
