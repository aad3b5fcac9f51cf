/* Unit tests for src/mime dates: RFC 5322, obsolete and broken forms.
 * Expected values were computed with Python's calendar.timegm. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mime/mime.h"
#include "cases.h"


struct date_row {
	const char *input;
	long long when;	/* UTC seconds */
	int zone;	/* minutes east of UTC */
};

static const struct date_row date_rows[] = {
	{ "Mon, 05 Oct 2026 09:00:00 +0200", 1791183600, 120 },
	{ "Mon, 5 Oct 2026 09:00:00 -0000", 1791190800, 0 },
	{ "5 Oct 2026 09:00 +0000", 1791190800, 0 },
	{ "Tue, 06 Oct 2026 23:59:59 -0930", 1791365399, -570 },
	{ "Mon, 05 Oct 26 09:00:00 GMT", 1791190800, 0 },
	{ "Mon, 05 Oct 99 09:00:00 GMT", 939114000, 0 },
	{ "Mon, 05 Oct 49 09:00:00 GMT", 2517037200, 0 },
	{ "Mon, 05 Oct 50 09:00:00 GMT", -607186800, 0 },
	{ "Mon, 05 Oct 126 09:00:00 GMT", 1791190800, 0 },
	{ "Mon, 05 Oct 2026 09:00:00 UT", 1791190800, 0 },
	{ "Mon, 05 Oct 2026 09:00:00 EST", 1791208800, -300 },
	{ "Mon, 05 Oct 2026 09:00:00 EDT", 1791205200, -240 },
	{ "Mon, 05 Oct 2026 09:00:00 CST", 1791212400, -360 },
	{ "Mon, 05 Oct 2026 09:00:00 CDT", 1791208800, -300 },
	{ "Mon, 05 Oct 2026 09:00:00 MST", 1791216000, -420 },
	{ "Mon, 05 Oct 2026 09:00:00 MDT", 1791212400, -360 },
	{ "Mon, 05 Oct 2026 09:00:00 PST", 1791219600, -480 },
	{ "Mon, 05 Oct 2026 09:00:00 PDT", 1791216000, -420 },
	{ "Mon, 05 Oct 2026 09:00:00 A", 1791190800, 0 },
	{ "Mon, 05 Oct 2026 09:00:00 z", 1791190800, 0 },
	{ "Mon, 05 Oct 2026 09:00:00 CEST", 1791190800, 0 },
	{ "Mon, 05 Oct 2026 09:00:00 +0200 (CEST)", 1791183600, 120 },
	{ "(day) Mon, (x) 05 Oct (y (nested)) 2026 09:00:00 +0200", 1791183600, 120 },
	{ "  Mon,   5   Oct\x0d\x0a   2026   09:00:00\x09+0200  ", 1791183600, 120 },
	{ "Mon,5 Oct 2026 09:00:00 +0200", 1791183600, 120 },
	{ "mon, 05 oct 2026 09:00:00 gmt", 1791190800, 0 },
	{ "Mon, 05 Oct 2026 09:00:00", 1791190800, 0 },
	{ "Mon, 05 Oct 2026", 1791158400, 0 },
	{ "Mon, 05 Oct 2026 -0500", 1791176400, -300 },
	{ "2026-10-05T09:00:00Z", 1791190800, 0 },
	{ "2026-10-05T09:00:00+02:00", 1791183600, 120 },
	{ "2026-10-05T09:00:00.123-05:30", 1791210600, -330 },
	{ "2026-10-05 09:00:00", 1791190800, 0 },
	{ "2026-10-05", 1791158400, 0 },
	{ "2026/10/05 09:00:00 +0900", 1791158400, 540 },
	{ "05.10.2026 09:00", 1791190800, 0 },
	{ "10/05/2026 09:00", 1791190800, 0 },
	{ "Mon Oct  5 09:00:00 2026", 1791190800, 0 },
	{ "Mon Oct  5 09:00:00 PDT 2026", 1791216000, -420 },
	{ "Monday, 05-Oct-26 09:00:00 GMT", 1791190800, 0 },
	{ "Monday, 5 October 2026 09:00:00 +0100", 1791187200, 60 },
	{ "Sat, 5 Sept 2026 09:00:00 +0000", 1788598800, 0 },
	{ "Thurs, 8 Oct 2026 09:00:00 +0000", 1791450000, 0 },
	{ "Mon, 5 Oct 2026 9:00 PM +0000", 1791234000, 0 },
	{ "Mon, 5 Oct 2026 12:30 AM +0000", 1791160200, 0 },
	{ "Mon, 5 Oct 2026 12:30 pm +0000", 1791203400, 0 },
	{ "Mon, 5 Oct 2026 9:05:03 +02", 1791183903, 120 },
	{ "Mon, 5 Oct 2026 09:00:00 +2", 1791183600, 120 },
	{ "Mon, 5 Oct 2026 09:00:00 GMT+0200", 1791183600, 120 },
	{ "Mon, 5 Oct 2026 09:00:00 UTC-5", 1791208800, -300 },
	{ "Mon, 5 Oct 2026 09:00:00 -0500 (EST)", 1791208800, -300 },
	{ "Mon, 5 Oct 2026 09:00:00 +9999", 1791190800, 0 },
	{ "Mon, 5 Oct 2026 09:00:00 +0200 garbage here", 1791183600, 120 },
	{ "Thu, 29 Feb 2024 12:00:00 +0000", 1709208000, 0 },
	{ "Sat, 31 Dec 2016 23:59:60 +0000", 1483228800, 0 },
	{ "Thu, 1 Jan 1970 00:00:00 +0000", 0, 0 },
	{ "Wed, 31 Dec 1969 23:59:59 +0000", -1, 0 },
	{ "Fri, 1 Jan 2100 00:00:00 +0000", 4102444800, 0 },
	{ "Sun, 1 Jan 2000 00:30:00 +0100", 946683000, 60 },
};

static void test_date(void **state)
{
	const struct date_row *row = *state;
	time_t when = 12345;
	int zone = 12345;
	assert_int_equal(mime_date_parse(row->input, strlen(row->input), &when, &zone), 0);
	assert_true((long long)when == row->when);
	assert_int_equal(zone, row->zone);
}

/* Inputs with no date in them: -1, and the outputs left alone. */
static const char *const bad_rows[] = {
	"",
	"hello world",
	"Mon, 32 Oct 2026 09:00:00 +0000",
	"Mon, 5 Foo 2026 09:00:00",
	"5 Oct",
	"Oct 2026",
	"Mon, 5 Oct 2026 25:00:00 +0000",
	"Thu, 31 Apr 2026 10:00:00",
	"Sun, 29 Feb 2026 10:00:00 +0000",
	"Mon, 5 Oct 2026 09:61:00 +0000",
	"(only a comment)",
	"2026-13-05T09:00:00Z",
	"0 Oct 2026",
};

static void test_bad(void **state)
{
	const char *input = *state;
	time_t when = 12345;
	int zone = 77;
	assert_int_equal(mime_date_parse(input, strlen(input), &when, &zone), -1);
	assert_true(when == 12345);
	assert_int_equal(zone, 77);
}

static void test_odd_calls(void **state)
{
	(void)state;
	time_t when;
	int zone;
	assert_int_equal(mime_date_parse(NULL, 10, &when, &zone), -1);
	/* outputs may be NULL */
	const char *d = "Mon, 05 Oct 2026 09:00:00 +0200";
	assert_int_equal(mime_date_parse(d, strlen(d), NULL, NULL), 0);
	/* only len bytes are read: here without the zone */
	assert_int_equal(mime_date_parse(d, 25, &when, &zone), 0);
	assert_int_equal(zone, 0);
	assert_true(when == 1791190800);
	/* a long tail after a good date */
	struct buf b;
	buf_init(&b);
	buf_add_str(&b, d);
	for (int i = 0; i < 100000; i++)
		buf_add_str(&b, " (x) 12:34 +0500 Oct 99");
	assert_int_equal(mime_date_parse(b.data, b.len, &when, &zone), 0);
	assert_int_equal(zone, 120);
	/* a huge comment before it hides it, but nothing breaks */
	buf_reset(&b);
	for (int i = 0; i < 100000; i++)
		buf_add_char(&b, '(');
	buf_add_str(&b, d);
	assert_int_equal(mime_date_parse(b.data, b.len, &when, &zone), -1);
	buf_free(&b);
}

int main(void)
{
	struct case_list list = { NULL, 0, 0 };
	for (size_t i = 0; i < COUNT(date_rows); i++)
		case_add(&list, "date", date_rows[i].input, test_date, &date_rows[i]);
	for (size_t i = 0; i < COUNT(bad_rows); i++)
		case_add(&list, "no date", bad_rows[i], test_bad, bad_rows[i]);
	case_add(&list, "calls", "NULL, length, long tails", test_odd_calls, NULL);
	return case_run(&list, "mime date");
}
