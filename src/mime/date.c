/*
 * date: RFC 5322 dates and what mailers really write: obsolete forms
 * (2- and 3-digit years, named zones, comments), asctime, RFC 850, ISO
 * 8601 and a few numeric forms.  A token scanner rather than a grammar:
 * it looks for a day, a month and a year, then a time and a zone.  The
 * result is computed without the C library's time zone machinery.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "mime/internal.h"
#include "mime/mime.h"

/* Dates are short; what is past this is not read. */
#define DATE_SCAN_MAX 1024
#define TOKENS_MAX 64

enum token_type { TOK_NUM, TOK_WORD, TOK_PUNCT };

struct token {
	enum token_type type;
	long num;	/* TOK_NUM: value (capped) */
	int digits;	/* TOK_NUM: digits written */
	char text[12];	/* TOK_WORD: lower case, cut; TOK_PUNCT: the character */
	size_t len;	/* TOK_WORD: length as written */
};

struct date {
	int year, month, day;
	int hour, minute, second;
	int zone;
	bool zone_set;
	int meridiem;	/* 0, 'a' or 'p' */
};

static size_t tokenize(const char *s, size_t len, struct token *tok)
{
	size_t n = 0, i = 0;
	while (i < len && n < TOKENS_MAX) {
		unsigned char c = (unsigned char)s[i];
		if (c == '(') {
			int depth = 0;
			for (; i < len; i++) {
				if (s[i] == '\\' && i + 1 < len)
					i++;
				else if (s[i] == '(')
					depth++;
				else if (s[i] == ')' && --depth == 0)
					break;
			}
			i++;
			continue;
		}
		struct token *t = &tok[n];
		memset(t, 0, sizeof *t);
		if (c >= '0' && c <= '9') {
			t->type = TOK_NUM;
			for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
				if (t->num < 100000000)
					t->num = t->num * 10 + (s[i] - '0');
				t->digits++;
			}
		} else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') {
			t->type = TOK_WORD;
			for (; i < len && ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z'); i++) {
				if (t->len < sizeof t->text - 1)
					t->text[t->len] = (char)(s[i] | 0x20);
				t->len++;
			}
		} else if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c >= 0x80) {
			i++;
			continue;
		} else {
			t->type = TOK_PUNCT;
			t->text[0] = (char)c;
			i++;
		}
		n++;
	}
	return n;
}

static bool is_punct(const struct token *tok, size_t n, size_t k, char c)
{
	return k < n && tok[k].type == TOK_PUNCT && tok[k].text[0] == c;
}

static bool is_num(const struct token *tok, size_t n, size_t k)
{
	return k < n && tok[k].type == TOK_NUM;
}

/* Index (0-11) when word is a month name or a 3+ letter abbreviation. */
static int month_of(const struct token *t)
{
	static const char *const names[] = {
		"january", "february", "march", "april", "may", "june", "july",
		"august", "september", "october", "november", "december",
	};
	if (t->len < 3 || t->len >= sizeof t->text)
		return -1;
	for (int m = 0; m < 12; m++)
		if (strncmp(names[m], t->text, t->len) == 0)
			return m;
	return -1;
}

static bool is_weekday(const struct token *t)
{
	static const char *const names[] = {
		"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
	};
	if (t->len < 3 || t->len >= sizeof t->text)
		return false;
	for (int d = 0; d < 7; d++)
		if (strncmp(names[d], t->text, t->len) == 0)
			return true;
	return false;
}

/* Offset in minutes of a named zone; false when the name is not one. */
static bool zone_named(const struct token *t, int *minutes)
{
	static const struct {
		const char *name;
		int minutes;
	} zones[] = {
		{ "ut", 0 }, { "utc", 0 }, { "gmt", 0 }, { "z", 0 },
		{ "est", -300 }, { "edt", -240 }, { "cst", -360 }, { "cdt", -300 },
		{ "mst", -420 }, { "mdt", -360 }, { "pst", -480 }, { "pdt", -420 },
	};
	for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++) {
		if (t->len == strlen(zones[i].name) && strcmp(t->text, zones[i].name) == 0) {
			*minutes = zones[i].minutes;
			return true;
		}
	}
	/*
	 * Military letters: RFC 5322 says their sense is unknown, so +0000.
	 * Other names ("CEST") are not zones here, so a numeric zone after
	 * them still counts; without one the date is taken as +0000.
	 */
	if (t->len == 1) {
		*minutes = 0;
		return true;
	}
	return false;
}

/* A numeric zone: sign at tok[k]; returns the tokens used (0: none). */
static size_t zone_numeric(const struct token *tok, size_t n, size_t k, int *minutes)
{
	if (!(is_punct(tok, n, k, '+') || is_punct(tok, n, k, '-')) || !is_num(tok, n, k + 1))
		return 0;
	int sign = tok[k].text[0] == '-' ? -1 : 1;
	const struct token *t = &tok[k + 1];
	long hours, mins = 0;
	size_t used = 2;
	if (t->digits == 4 || t->digits == 3) {
		hours = t->num / 100;
		mins = t->num % 100;
	} else if (t->digits <= 2) {
		hours = t->num;
		if (is_punct(tok, n, k + 2, ':') && is_num(tok, n, k + 3) && tok[k + 3].digits == 2) {
			mins = tok[k + 3].num;
			used = 4;
		}
	} else {
		return 0;
	}
	if (hours > 23 || mins > 59)
		*minutes = 0;
	else
		*minutes = sign * (int)(hours * 60 + mins);
	return used;
}

static int year_of(const struct token *t)
{
	if (t->digits <= 2)
		return (int)t->num + (t->num < 50 ? 2000 : 1900);
	if (t->digits == 3)
		return (int)t->num + 1900;
	return (int)t->num;
}

/* Numeric dates: Y-M-D, Y/M/D, D.M.Y, M/D/Y; returns tokens used. */
static size_t date_numeric(const struct token *tok, size_t n, size_t k, struct date *d)
{
	if (!is_num(tok, n, k) || !is_num(tok, n, k + 2) || !is_num(tok, n, k + 4) ||
	    tok[k + 1].type != TOK_PUNCT || !is_punct(tok, n, k + 3, tok[k + 1].text[0]))
		return 0;
	char sep = tok[k + 1].text[0];
	const struct token *a = &tok[k], *b = &tok[k + 2], *c = &tok[k + 4];
	if (a->digits == 4 && (sep == '-' || sep == '/' || sep == '.')) {
		d->year = (int)a->num;
		d->month = (int)b->num;
		d->day = (int)c->num;
	} else if (a->digits <= 2 && b->digits <= 2 && (c->digits == 2 || c->digits == 4) &&
	           (sep == '.' || sep == '/')) {
		d->year = year_of(c);
		d->month = (int)(sep == '.' ? b->num : a->num);
		d->day = (int)(sep == '.' ? a->num : b->num);
	} else {
		return 0;
	}
	return 5;
}

/* A time "H:MM[:SS[.frac]]" at tok[k]; returns the tokens used. */
static size_t time_parse(const struct token *tok, size_t n, size_t k, struct date *d)
{
	if (!is_num(tok, n, k) || !is_punct(tok, n, k + 1, ':') || !is_num(tok, n, k + 2) ||
	    tok[k].digits > 2 || tok[k + 2].digits > 2)
		return 0;
	d->hour = (int)tok[k].num;
	d->minute = (int)tok[k + 2].num;
	size_t used = 3;
	if (is_punct(tok, n, k + 3, ':') && is_num(tok, n, k + 4) && tok[k + 4].digits <= 2) {
		d->second = (int)tok[k + 4].num;
		used = 5;
		if ((is_punct(tok, n, k + 5, '.') || is_punct(tok, n, k + 5, ',')) &&
		    is_num(tok, n, k + 6))
			used = 7;
	}
	return used;
}

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days from 1970-01-01 to the given civil date (proleptic Gregorian). */
static int64_t days_since_epoch(int y, int m, int d)
{
	static const int before[] = { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 };
	int64_t days = 0;
	for (int year = 1970; year < y; year++)
		days += leap(year) ? 366 : 365;
	for (int year = y; year < 1970; year++)
		days -= leap(year) ? 366 : 365;
	days += before[m - 1] + (m > 2 && leap(y) ? 1 : 0) + d - 1;
	return days;
}

static void scan(const struct token *tok, size_t n, struct date *d)
{
	for (size_t k = 0; k < n;) {
		bool have_date = d->year >= 0 && d->month >= 0 && d->day >= 0;
		size_t used;
		const struct token *t = &tok[k];
		int m;
		if (d->year < 0 && d->month < 0 && (used = date_numeric(tok, n, k, d)) > 0) {
			k += used;
		} else if (d->hour < 0 && (used = time_parse(tok, n, k, d)) > 0) {
			k += used;
		} else if (!d->zone_set && (have_date || d->hour >= 0) &&
		           (used = zone_numeric(tok, n, k, &d->zone)) > 0) {
			d->zone_set = true;
			k += used;
		} else if (t->type == TOK_NUM) {
			if (t->digits >= 3 && t->digits <= 4 && d->year < 0)
				d->year = year_of(t);
			else if (t->digits <= 2 && d->day < 0)
				d->day = (int)t->num;
			else if (t->digits <= 2 && d->year < 0)
				d->year = year_of(t);
			k++;
		} else if (t->type == TOK_WORD) {
			if (t->len == 2 && (strcmp(t->text, "am") == 0 || strcmp(t->text, "pm") == 0)) {
				d->meridiem = t->text[0];
			} else if (t->len == 1 && t->text[0] == 't' && is_num(tok, n, k + 1) &&
			           d->hour < 0) {
				/* ISO 8601 date and time separator */
			} else if (is_weekday(t)) {
				/* the weekday says nothing the date does not */
			} else if ((m = month_of(t)) >= 0 && d->month < 0) {
				d->month = m + 1;
			} else if (!d->zone_set && (have_date || d->hour >= 0) &&
			           zone_named(t, &d->zone)) {
				d->zone_set = true;
				/* "GMT+0200", "UTC-5" */
				if ((used = zone_numeric(tok, n, k + 1, &d->zone)) > 0)
					k += used;
			}
			k++;
		} else {
			k++;
		}
	}
}

int mime_date_parse(const char *value, size_t len, time_t *when, int *zone_minutes)
{
	if (value == NULL)
		return -1;
	if (len > DATE_SCAN_MAX)
		len = DATE_SCAN_MAX;
	struct token tok[TOKENS_MAX];
	size_t n = tokenize(value, len, tok);
	struct date d = { -1, -1, -1, -1, 0, 0, 0, false, 0 };
	scan(tok, n, &d);

	if (d.year < 1900 || d.year > 9999 || d.month < 1 || d.month > 12 || d.day < 1)
		return -1;
	static const int month_days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int last = month_days[d.month - 1] + (d.month == 2 && leap(d.year) ? 1 : 0);
	if (d.day > last)
		return -1;
	if (d.hour < 0)
		d.hour = 0;
	if (d.meridiem == 'p' && d.hour >= 1 && d.hour < 12)
		d.hour += 12;
	else if (d.meridiem == 'a' && d.hour == 12)
		d.hour = 0;
	if (d.hour > 23 || d.minute > 59 || d.second > 60)
		return -1;
	int64_t seconds = days_since_epoch(d.year, d.month, d.day) * 86400 +
	                  (int64_t)d.hour * 3600 + d.minute * 60 + d.second -
	                  (int64_t)d.zone * 60;
	if (when != NULL)
		*when = (time_t)seconds;
	if (zone_minutes != NULL)
		*zone_minutes = d.zone;
	return 0;
}
