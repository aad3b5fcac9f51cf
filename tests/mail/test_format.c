/*
 * Unit tests for src/mail/format.c: index and status lines from mutt's
 * % expandos, with exact expected lines — flags, sizes, dates, names,
 * conditionals, fills, widths counted in columns, wide characters never
 * cut in half, control characters made visible.  Runs with TZ=UTC.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "mail/envelope.h"
#include "mail/folder.h"
#include "mime/mime.h"
#include "util/util.h"

/* 2026-10-05 10:35:00 UTC, arrival 2026-10-06 08:00:00 UTC */
#define DATE "Mon, 5 Oct 2026 10:35:00 +0000"
#define ARRIVAL ((time_t)1791273600)

struct message {
	const char *from;
	const char *to;
	const char *cc;
	const char *subject;   /* as in the header: may be encoded */
	uint64_t size;
	unsigned flags;
};

static const struct message messages[] = {
	/* 0 */ { "Ada Lovelace <ada@x.example>", "Grace Hopper <grace@x.example>", "",
	          "Plans for autumn", 1234, ENVELOPE_RECENT },
	/* 1 */ { "=?UTF-8?B?5bGx55Sw5aSq6YOO?= <taro@x.example>", "b@x.example", "",
	          "=?UTF-8?B?5pel5pys6Kqe44Gu44OG44K544OI?=", 345, ENVELOPE_SEEN },
	/* 2: subject with ESC, BEL, a bidi override and a tab */
	/* 2 */ { "bob@x.example", "", "Cy <cy@x.example>",
	          "=?UTF-8?Q?a=1B[31mb=07c=E2=80=AEd=09e?=", 0, ENVELOPE_SEEN | ENVELOPE_ANSWERED },
	/* 3: ten wide characters in the name (20 columns) */
	/* 3 */ { "=?UTF-8?B?5LiA5LqM5LiJ5Zub5LqU5YWt5LiD5YWr5Lmd5Y2B?= <n@x.example>",
	          "a@x.example", "", "=?UTF-8?Q?Entw=C3=BCrfe?=", 4718592,
	          ENVELOPE_DELETED | ENVELOPE_FLAGGED },
};

static struct envelope *message_envelope(size_t i)
{
	const struct message *m = &messages[i];
	char *header = xasprintf("From: %s\nTo: %s\nCc: %s\nSubject: %s\nDate: %s\n\n",
	                         m->from, m->to, m->cc, m->subject, DATE);
	struct envelope_meta meta = {
		.uid = (uint32_t)i + 1, .arrival = ARRIVAL, .size = m->size, .flags = m->flags,
	};
	struct envelope *e = envelope_from_headers(header, strlen(header), &meta, NULL);
	free(header);
	return e;
}

struct index_case {
	size_t message;
	const char *format;
	int width;
	const char *want;
};

#define DEFAULT_INDEX "%4C %Z %{%b %d} %-15.15L (%?l?%4l&%4c?) %s"

static const struct index_case index_cases[] = {
	/* mutt's default index_format */
	{ 0, DEFAULT_INDEX, 60,
	  "   1 N   Oct 05 Ada Lovelace    (1.2K) Plans for autumn     " },
	{ 1, DEFAULT_INDEX, 53,
	  "   1     Oct 05 山田太郎        ( 345) 日本語のテスト" },
	{ 1, DEFAULT_INDEX, 50,
	  "   1     Oct 05 山田太郎        ( 345) 日本語のテ " },
	/* cut at the width */
	{ 0, DEFAULT_INDEX, 30, "   1 N   Oct 05 Ada Lovelace  " },
	/* a cut that would halve a wide character leaves a space */
	{ 1, "%s", 5, "日本 " },
	{ 1, "x%s", 4, "x日 " },
	{ 1, "%s", 0, "" },
	/* width and precision in columns, never half a character */
	{ 3, "%-15.15L|", 20, "一二三四五六七 |    " },
	{ 3, "%15.15L|", 20, " 一二三四五六七|    " },
	{ 1, "%-10L|", 12, "山田太郎  | " },
	{ 1, "%.5L|", 8, "山田|   " },
	{ 0, "%10.3s|", 12, "       Pla| " },
	{ 0, "%=7.3s|", 9, "  Pla  | " },
	{ 0, "%-6.6L|", 8, "Ada Lo| " },
	{ 0, "%05C|%-3C|%3C|", 15, "00042|42 | 42| " },
	/* control characters and bidi overrides become visible */
	{ 2, "%s", 30, "a^[[31mb^Gc<U+202E>d^Ie       " },
	{ 2, "[%.6s]", 10, "[a^[[31]  " },
	/* literal text of the format is made safe too */
	{ 0, "\x1b[1m%C\t", 10, "^[[1m42^I " },
	/* flags */
	{ 0, "%Z|%S", 6, "N  |N " },
	{ 1, "%Z|%S", 6, "   |- " },
	{ 2, "%Z|%S", 6, "r  |r " },
	{ 3, "%Z|%S", 6, "OD!|D " },
	/* sizes */
	{ 0, "%c %4c %-5c|", 16, "1.2K 1.2K 1.2K |" },
	{ 2, "%c", 3, "0  " },
	{ 3, "%c", 5, "4.5M " },
	/* conditionals: no line counts, so the else branch */
	{ 0, "(%?l?%4l&%4c?)", 8, "(1.2K)  " },
	{ 0, "%l|%4l|%N", 10, "0|   0|0  " },
	{ 2, "%?c?sized&empty?|%?s?subj?|%?t?%t&none?", 32, "empty|subj|Cc Cy                " },
	{ 0, "%?c?%c bytes&none?.", 12, "1.2K bytes. " },
	/* dates in local time (TZ=UTC) */
	{ 0, "%{%Y-%m-%d %H:%M}|%[%H]|%(%d %H:%M)", 30, "2026-10-05 10:35|10|06 08:00  " },
	{ 0, "%d|%D", 20, "05.10.26|05.10.26   " },
	/* names and addresses */
	{ 0, "%L|%F|%n|%a", 52, "Ada Lovelace|Ada Lovelace|Ada Lovelace|ada@x.example" },
	{ 2, "%L|%a|%t", 30, "bob@x.example|bob@x.example|Cc" },
	{ 0, "%t|%T|", 24, "To Grace Hopper| |      " },
	/* fills */
	{ 0, "%s%>.%C", 20, "Plans for autumn..42" },
	{ 0, "%C%>-", 6, "42----" },
	{ 0, "%C%*-", 6, "42----" },
	{ 0, "%C%> %s", 12, "42Plans for " },
	{ 0, "%s%> %C", 10, "Plans for " },
	{ 0, "ab%|-", 6, "ab----" },
	{ 0, "ab%|-%C ignored", 6, "ab----" },
	{ 0, "ab%|", 4, "ab  " },
	{ 1, "ab%|日", 6, "ab    " },
	{ 0, "a%>-b%>=c", 9, "ab======c" },
	/* percent, unknown expandos and a trailing '%' */
	{ 0, "100%% %Q|%", 8, "100% |  " },
};

/* Report every wrong line, not just the first; returns the failures. */
static int check_line(const char *what, size_t i, const char *got,
                      const char *want, int width)
{
	int failures = 0;
	if (strcmp(got, want) != 0) {
		print_error("%s case %zu: got \"%s\", want \"%s\"\n", what, i, got, want);
		failures++;
	}
	if (mime_display_width(got, strlen(got)) != (size_t)width) {
		print_error("%s case %zu: \"%s\" is %zu columns, want %d\n", what, i, got,
		            mime_display_width(got, strlen(got)), width);
		failures++;
	}
	return failures;
}

static void test_index_lines(void **state)
{
	(void)state;
	struct folder_format_context ctx = { .date_format = "%d.%m.%y" };
	int failures = 0;
	for (size_t i = 0; i < sizeof index_cases / sizeof index_cases[0]; i++) {
		const struct index_case *c = &index_cases[i];
		struct envelope *e = message_envelope(c->message);
		/* the default format's case numbers its message 1, the others 42 */
		size_t msgno = strcmp(c->format, DEFAULT_INDEX) == 0 ? 1 : 42;
		char *got = folder_format_index(c->format, e, msgno, &ctx, c->width);
		failures += check_line("index", i, got, c->want, c->width);
		free(got);
		envelope_free(&e);
	}
	assert_int_equal(failures, 0);
}

static void test_index_defaults(void **state)
{
	(void)state;
	struct envelope *e = message_envelope(0);
	/* no date_format: mutt's default */
	struct folder_format_context ctx = { 0 };
	char *got = folder_format_index("%d", e, 1, &ctx, 20);
	assert_string_equal(got, "Mon, 05 Oct 2026 10:");
	free(got);
	got = folder_format_index(NULL, e, 1, NULL, 3);
	assert_string_equal(got, "   ");
	free(got);
	got = folder_format_index("%s", e, 1, NULL, -4);
	assert_string_equal(got, "");
	free(got);
	envelope_free(&e);
}

struct status_case {
	const char *format;
	const char *progress;
	bool read_only;
	const char *folder;
	int width;
	const char *want;
};

#define DEFAULT_STATUS "-%r- %f [Msgs:%m New:%n Del:%d] (%s) %>-"

static const struct status_case status_cases[] = {
	{ DEFAULT_STATUS, "", false, "INBOX", 46,
	  "--- INBOX [Msgs:10 New:3 Del:1] (date) -------" },
	{ DEFAULT_STATUS, "loading 1200/100000", false, "INBOX", 60,
	  "-loading 1200/100000- INBOX [Msgs:10 New:3 Del:1] (date) ---" },
	{ DEFAULT_STATUS, "", true, "Entwürfe", 44,
	  "-%- Entwürfe [Msgs:10 New:3 Del:1] (date) --" },
	{ DEFAULT_STATUS, "", false, "日本語", 20, "--- 日本語 [Msgs:10 " },
	{ DEFAULT_STATUS, "", false, "日本語", 11, "--- 日本語 " },
	{ DEFAULT_STATUS, "", false, "日本語", 9, "--- 日本 " },
	{ DEFAULT_STATUS, "", false, "evil\x1b]0;x\x07", 16, "--- evil^[]0;x^G" },
	{ "%a:%f %?F?(%F flagged)?%?u? %u unseen?%>=%s", "", false, "INBOX", 40,
	  "work:INBOX (2 flagged) 3 unseen=====date" },
	{ "%?d?del&none?|%?r?busy&idle?|%6m|%-4n|", "", false, "x", 21,
	  "del|idle|    10|3   |" },
	{ "%?r?busy&idle?", "loading", false, "x", 5, "busy " },
	{ "%f%|*", "", false, "INBOX", 8, "INBOX***" },
	{ "", "", false, "INBOX", 3, "   " },
};

static void test_status_lines(void **state)
{
	(void)state;
	int failures = 0;
	for (size_t i = 0; i < sizeof status_cases / sizeof status_cases[0]; i++) {
		const struct status_case *c = &status_cases[i];
		struct folder_format_context ctx = {
			.folder_name = c->folder, .account_name = "work", .msg_count = 10,
			.unseen_count = 3, .deleted_count = 1, .flagged_count = 2,
			.sort_name = "date", .progress = c->progress, .read_only = c->read_only,
		};
		char *got = folder_format_status(c->format, &ctx, c->width);
		failures += check_line("status", i, got, c->want, c->width);
		free(got);
	}
	assert_int_equal(failures, 0);
	/* the version, and counts of zero for %?..? */
	struct folder_format_context ctx = { .folder_name = "x" };
	char *got = folder_format_status("%v|%?m?some&none?|%?n?new?|%r", &ctx, 40);
	char *want = xasprintf("%-40s", PACKAGE_NAME " " PACKAGE_VERSION "|none||-");
	assert_string_equal(got, want);
	free(want);
	free(got);
	got = folder_format_status(NULL, NULL, 2);
	assert_string_equal(got, "  ");
	free(got);
}

int main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_index_lines),
		cmocka_unit_test(test_index_defaults),
		cmocka_unit_test(test_status_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
