/*
 * pg_shim.h
 *		The few PostgreSQL names the pure parsing code of licence.c,
 *		calendar_time.c (norms, schedule values) and canonical_json.c uses, for libFuzzer harnesses that
 *		compile that code (cut out of the real source by the script, never
 *		copied) without a server.  ereport(ERROR) returns to the harness by
 *		longjmp; allocations go to an arena freed after each input.
 */
#ifndef PG_SHIM_H
#define PG_SHIM_H
#include <ctype.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef int64_t int64;
typedef uint16_t uint16;
typedef uint32_t pg_wchar;
#define Min(a, b) ((a) < (b) ? (a) : (b))

/* ereport(ERROR, ...): back to the harness, arguments not evaluated */
extern jmp_buf shim_error;
#define ereport(level, rest) longjmp(shim_error, 1)

/* elog(ERROR, ...) as ereport */
#define elog(level, ...) longjmp(shim_error, 1)

/* the arena */
void	   *shim_alloc(size_t n);
void		shim_free_all(void);
char	   *pnstrdup(const char *s, size_t n);
#define pg_strcasecmp strcasecmp
#define pg_strncasecmp strncasecmp
char	   *psprintf(const char *fmt, ...);

/* time: the schedule's values (calendar_time.c) */
#define USECS_PER_MINUTE INT64_C(60000000)
#define USECS_PER_HOUR INT64_C(3600000000)
typedef struct Jsonb Jsonb;		/* only passed along, for messages */
typedef struct pg_tz pg_tz;
/*
 * Stand-ins for the server's time zone lookup (the zone database is not the
 * code under test): a name of zone-name characters is found, anything else
 * is not; a '<...>' POSIX name is a fixed offset.
 */
pg_tz	   *pg_tzset(const char *name);
bool		pg_get_timezone_offset(const pg_tz *tz, long *gmtoff);

/* text: a length and bytes, as the harness builds it */
typedef struct text
{
	size_t		len;
	const char *data;
} text;
char	   *text_to_cstring(const text *t);

/* StringInfo, growing in the arena */
typedef struct StringInfoData
{
	char	   *data;
	int			len;
	int			maxlen;
} StringInfoData;
typedef StringInfoData *StringInfo;
void		initStringInfo(StringInfo s);
void		appendBinaryStringInfo(StringInfo s, const void *d, int n);
void		appendStringInfoChar(StringInfo s, char c);
void		appendStringInfoString(StringInfo s, const char *d);

/* PostgreSQL's UTF-8 helpers (src/common/wchar.c semantics) */
int			pg_utf_mblen(const unsigned char *s);
pg_wchar	utf8_to_unicode(const unsigned char *c);
bool		shim_valid_utf8(const unsigned char *s, size_t len);
#endif
