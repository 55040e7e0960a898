/* pg_shim.c: see pg_shim.h */
#include "pg_shim.h"

#include <stdarg.h>

jmp_buf		shim_error;
static void **arena;
static size_t narena, maxarena;

void *
shim_alloc(size_t n)
{
	void	   *p = malloc(n ? n : 1);

	if (p == NULL)
		abort();
	if (narena == maxarena)
	{
		maxarena = maxarena ? 2 * maxarena : 64;
		arena = realloc(arena, maxarena * sizeof(void *));
		if (arena == NULL)
			abort();
	}
	arena[narena++] = p;
	return p;
}

void
shim_free_all(void)
{
	while (narena > 0)
		free(arena[--narena]);
}

char *
pnstrdup(const char *s, size_t n)
{
	size_t		l = strnlen(s, n);
	char	   *p = shim_alloc(l + 1);

	memcpy(p, s, l);
	p[l] = '\0';
	return p;
}

char *
text_to_cstring(const text *t)
{
	return pnstrdup(t->data, t->len);
}

void
initStringInfo(StringInfo s)
{
	s->maxlen = 64;
	s->data = shim_alloc(s->maxlen);
	s->len = 0;
	s->data[0] = '\0';
}

void
appendBinaryStringInfo(StringInfo s, const void *d, int n)
{
	if (n < 0)
		abort();
	if (s->len + n + 1 > s->maxlen)
	{
		char	   *p;

		while (s->len + n + 1 > s->maxlen)
			s->maxlen *= 2;
		p = shim_alloc(s->maxlen);
		memcpy(p, s->data, s->len);
		s->data = p;
	}
	memcpy(s->data + s->len, d, n);
	s->len += n;
	s->data[s->len] = '\0';
}

void
appendStringInfoChar(StringInfo s, char c)
{
	appendBinaryStringInfo(s, &c, 1);
}

void
appendStringInfoString(StringInfo s, const char *d)
{
	appendBinaryStringInfo(s, d, (int) strlen(d));
}

int
pg_utf_mblen(const unsigned char *s)
{
	if ((*s & 0x80) == 0)
		return 1;
	if ((*s & 0xe0) == 0xc0)
		return 2;
	if ((*s & 0xf0) == 0xe0)
		return 3;
	if ((*s & 0xf8) == 0xf0)
		return 4;
	return 1;
}

pg_wchar
utf8_to_unicode(const unsigned char *c)
{
	if ((*c & 0x80) == 0)
		return c[0];
	if ((*c & 0xe0) == 0xc0)
		return ((c[0] & 0x1f) << 6) | (c[1] & 0x3f);
	if ((*c & 0xf0) == 0xe0)
		return ((c[0] & 0x0f) << 12) | ((c[1] & 0x3f) << 6) | (c[2] & 0x3f);
	if ((*c & 0xf8) == 0xf0)
		return ((c[0] & 0x07) << 18) | ((c[1] & 0x3f) << 12) | ((c[2] & 0x3f) << 6) | (c[3] & 0x3f);
	return 0xffffffff;
}

/* Well-formed UTF-8 (RFC 3629), as a jsonb key always is. */
bool
shim_valid_utf8(const unsigned char *s, size_t len)
{
	size_t		i = 0;

	while (i < len)
	{
		unsigned char c = s[i];
		int			n;
		pg_wchar	cp;

		if (c < 0x80)
		{
			i++;
			continue;
		}
		n = (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
		if (n == 0 || i + n > len)
			return false;
		for (int k = 1; k < n; k++)
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
		cp = utf8_to_unicode(s + i);
		if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff))
			|| (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += n;
	}
	return true;
}

char *
psprintf(const char *fmt, ...)
{
	va_list		ap;
	int			n;
	char	   *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		abort();
	p = shim_alloc((size_t) n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t) n + 1, fmt, ap);
	va_end(ap);
	return p;
}

struct pg_tz
{
	bool		fixed;
};
static struct pg_tz zone_rules = {false};
static struct pg_tz zone_fixed = {true};

pg_tz *
pg_tzset(const char *name)
{
	if (name[0] == '\0' || strlen(name) > 255 || strstr(name, "..") != NULL)
		return NULL;
	for (const char *c = name; *c; c++)
		if (!isalnum((unsigned char) *c) && strchr("_+-/<>", *c) == NULL)
			return NULL;
	return name[0] == '<' ? &zone_fixed : &zone_rules;
}

bool
pg_get_timezone_offset(const pg_tz *tz, long *gmtoff)
{
	*gmtoff = tz->fixed ? 5 * 3600 : 0;
	return tz->fixed;
}
