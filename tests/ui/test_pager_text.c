/*
 * Unit tests for src/ui/pager_text.c: wrapping rows at a width (blanks,
 * markers, tabs, wide characters, combining marks, tiny widths), what
 * each row is (headers, quote depth, signature, attachment lines),
 * hiding quoted text, the quoted colour cycle, the wrap variable,
 * case-insensitive search with wrap-around, skip-quoted and the status
 * line.
 */
#include "config.h"

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mime/mime.h"
#include "ui/pager_text.h"

static void layout(struct pager_text *t, const char *text, int width, bool markers,
                   bool has_headers, bool hide_quoted)
{
	struct pager_layout_options o = {
		.width = width, .markers = markers, .hide_quoted = hide_quoted,
		.has_headers = has_headers,
	};
	pager_text_layout(t, text, strlen(text), &o);
}

/* Row i as a new string. */
static char *row(const struct pager_text *t, size_t i)
{
	size_t len;
	const char *s = pager_text_row(t, i, &len);
	char *out = malloc(len + 1);
	memcpy(out, s, len);
	out[len] = '\0';
	return out;
}

static void assert_row(const struct pager_text *t, size_t i, const char *expected)
{
	assert_true(i < t->count);
	char *s = row(t, i);
	assert_string_equal(s, expected);
	free(s);
}

static void test_short_lines_one_row_each(void **state)
{
	(void)state;
	struct pager_text t = {0};
	layout(&t, "one\n\nthree\n", 20, true, false, false);
	assert_int_equal(t.count, 3);
	assert_int_equal(t.lines, 3);
	assert_row(&t, 0, "one");
	assert_row(&t, 1, "");
	assert_row(&t, 2, "three");
	assert_int_equal(t.rows[2].cols, 5);
	assert_false(t.rows[2].continuation);
	assert_int_equal(t.rows[2].line, 2);
	pager_text_clear(&t);
	assert_null(t.rows);
	/* no final newline: the last line still counts */
	layout(&t, "a\nb", 20, true, false, false);
	assert_int_equal(t.count, 2);
	assert_row(&t, 1, "b");
	pager_text_clear(&t);
	layout(&t, "", 20, true, false, false);
	assert_int_equal(t.count, 0);
	pager_text_clear(&t);
}

static void test_wrap_at_blank_with_markers(void **state)
{
	(void)state;
	struct pager_text t = {0};
	/* width 10: the first row has 10 columns, continuations 9 (the "+") */
	layout(&t, "aaaa bbbb cccc dddd\n", 10, true, false, false);
	assert_int_equal(t.count, 2);
	assert_row(&t, 0, "aaaa bbbb ");
	assert_row(&t, 1, "cccc dddd");
	assert_true(t.rows[1].continuation);
	assert_int_equal(t.rows[1].line, 0);
	pager_text_clear(&t);

	/* without a blank the word is cut at the width */
	layout(&t, "abcdefghijklmnopqrstuvwxyz\n", 10, true, false, false);
	assert_int_equal(t.count, 3);
	assert_row(&t, 0, "abcdefghij");
	assert_row(&t, 1, "klmnopqrs");
	assert_row(&t, 2, "tuvwxyz");
	pager_text_clear(&t);

	/* markers off: every row gets the full width */
	layout(&t, "abcdefghijklmnopqrstuvwxyz\n", 10, false, false, false);
	assert_int_equal(t.count, 3);
	assert_row(&t, 1, "klmnopqrst");
	assert_row(&t, 2, "uvwxyz");
	pager_text_clear(&t);
}

static void test_tabs_expand_to_eight(void **state)
{
	(void)state;
	struct pager_text t = {0};
	layout(&t, "a\tb\n\tc\n", 40, true, false, false);
	assert_row(&t, 0, "a       b");
	assert_int_equal(t.rows[0].cols, 9);
	assert_row(&t, 1, "        c");
	pager_text_clear(&t);
}

static void test_wide_and_combining(void **state)
{
	(void)state;
	struct pager_text t = {0};
	/* five CJK characters (2 columns each) in 5 columns: 2 per row, never split */
	layout(&t, "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe6\x96\x87\xe5\xad\x97\n", 5, false,
	       false, false);
	assert_int_equal(t.count, 3);
	assert_row(&t, 0, "\xe6\x97\xa5\xe6\x9c\xac");
	assert_int_equal(t.rows[0].cols, 4);
	assert_row(&t, 2, "\xe5\xad\x97");
	pager_text_clear(&t);

	/* "e" + combining acute counts one column and stays together */
	layout(&t, "abe\xcc\x81x\n", 3, false, false, false);
	assert_int_equal(t.count, 2);
	assert_row(&t, 0, "abe\xcc\x81");
	assert_int_equal(t.rows[0].cols, 3);
	assert_row(&t, 1, "x");
	pager_text_clear(&t);

	/* a width of 1 with a wide character and markers still progresses */
	layout(&t, "\xe6\x97\xa5\xe6\x9c\xac" "ab\n", 1, true, false, false);
	assert_int_equal(t.count, 4);
	assert_row(&t, 0, "\xe6\x97\xa5");
	assert_row(&t, 3, "b");
	pager_text_clear(&t);
	layout(&t, "abc\n", 0, true, false, false);
	assert_int_equal(t.count, 3);
	pager_text_clear(&t);
}

static void test_quote_depth(void **state)
{
	(void)state;
	assert_int_equal(pager_quote_depth("> a", 3), 1);
	assert_int_equal(pager_quote_depth(">> a", 4), 2);
	assert_int_equal(pager_quote_depth("> > a", 5), 2);
	assert_int_equal(pager_quote_depth("> >> a", 6), 3);
	assert_int_equal(pager_quote_depth(">", 1), 1);
	assert_int_equal(pager_quote_depth("a > b", 5), 0);
	assert_int_equal(pager_quote_depth(" > b", 4), 0);
	assert_int_equal(pager_quote_depth("", 0), 0);
	/* the length is respected */
	assert_int_equal(pager_quote_depth(">>>", 2), 2);
}

static void test_quote_color_cycle(void **state)
{
	(void)state;
	assert_int_equal(pager_quote_color(1, 1), 0);
	assert_int_equal(pager_quote_color(5, 1), 0);
	assert_int_equal(pager_quote_color(1, 3), 0);
	assert_int_equal(pager_quote_color(2, 3), 1);
	assert_int_equal(pager_quote_color(3, 3), 2);
	assert_int_equal(pager_quote_color(4, 3), 0);
	assert_int_equal(pager_quote_color(12, 10), 1);
	assert_int_equal(pager_quote_color(3, 0), 0);
}

static void test_kinds(void **state)
{
	(void)state;
	struct pager_text t = {0};
	layout(&t,
	       "From: a\n"
	       "Subject: > no\n"
	       "\n"
	       "text\n"
	       "> one\n"
	       ">> two wraps here and more\n"
	       "-- \n"
	       "sig\n"
	       "> quoted in sig\n"
	       "[-- 2: image/png, a.png --]\n"
	       "after\n",
	       20, true, true, false);
	assert_int_equal(t.rows[0].kind, PAGER_ROW_HEADER);
	assert_int_equal(t.rows[1].kind, PAGER_ROW_HEADER);
	assert_int_equal(t.rows[1].depth, 0);
	assert_int_equal(t.rows[2].kind, PAGER_ROW_BODY);   /* the blank line */
	assert_int_equal(t.rows[3].kind, PAGER_ROW_BODY);
	assert_int_equal(t.rows[4].kind, PAGER_ROW_QUOTED);
	assert_int_equal(t.rows[4].depth, 1);
	assert_int_equal(t.rows[5].kind, PAGER_ROW_QUOTED);
	assert_int_equal(t.rows[5].depth, 2);
	/* the continuation keeps the depth of its line */
	assert_true(t.rows[6].continuation);
	assert_int_equal(t.rows[6].kind, PAGER_ROW_QUOTED);
	assert_int_equal(t.rows[6].depth, 2);
	assert_int_equal(t.rows[7].kind, PAGER_ROW_SIGNATURE);
	assert_int_equal(t.rows[8].kind, PAGER_ROW_SIGNATURE);
	assert_int_equal(t.rows[9].kind, PAGER_ROW_QUOTED);
	size_t i = 10;
	while (i < t.count && t.rows[i].continuation)
		i++;
	assert_int_equal(t.rows[i].kind, PAGER_ROW_ATTACHMENT);
	i++;
	while (i < t.count && t.rows[i].continuation)
		i++;
	assert_int_equal(t.rows[i].kind, PAGER_ROW_BODY);
	pager_text_clear(&t);

	/* without has_headers nothing is a header */
	layout(&t, "From: a\n\nb\n", 40, true, false, false);
	assert_int_equal(t.rows[0].kind, PAGER_ROW_BODY);
	pager_text_clear(&t);
}

static void test_hide_quoted(void **state)
{
	(void)state;
	struct pager_text t = {0};
	layout(&t, "a\n> b\n> > c\nd\n", 40, true, false, true);
	assert_int_equal(t.count, 2);
	assert_row(&t, 0, "a");
	assert_row(&t, 1, "d");
	assert_int_equal(t.rows[1].line, 3);
	assert_int_equal(t.lines, 4);
	pager_text_clear(&t);
}

static void test_wrap_width(void **state)
{
	(void)state;
	assert_int_equal(pager_wrap_width(80, 0), 80);
	assert_int_equal(pager_wrap_width(80, 72), 72);
	assert_int_equal(pager_wrap_width(60, 72), 60);
	assert_int_equal(pager_wrap_width(80, -10), 70);
	assert_int_equal(pager_wrap_width(5, -10), 5);
	assert_int_equal(pager_wrap_width(0, 0), 1);
}

static void test_match(void **state)
{
	(void)state;
	size_t start, len;
	assert_true(pager_text_match("Hello World", 11, "wORLD", 0, &start, &len));
	assert_int_equal(start, 6);
	assert_int_equal(len, 5);
	assert_false(pager_text_match("Hello World", 11, "worlds", 0, &start, &len));
	assert_false(pager_text_match("Hello", 5, "", 0, &start, &len));
	/* from skips earlier matches */
	assert_true(pager_text_match("ab ab", 5, "AB", 1, &start, &len));
	assert_int_equal(start, 3);
	/* non-ASCII letters fold too (in a UTF-8 locale) */
	assert_true(pager_text_match("Gr\xc3\x9c\xc3\x9f Gott", 10, "gr\xc3\xbc\xc3\x9f", 0, &start, &len));
	assert_int_equal(start, 0);
	assert_int_equal(len, 6);
	/* the hay's length is respected */
	assert_false(pager_text_match("abcdef", 3, "def", 0, &start, &len));
}

static void test_search_rows_wraps(void **state)
{
	(void)state;
	struct pager_text t = {0};
	layout(&t, "alpha\nbeta\ngamma\nBETA again\n", 40, true, false, false);
	bool wrapped;
	assert_int_equal(pager_text_search(&t, "beta", 0, false, &wrapped), 1);
	assert_false(wrapped);
	assert_int_equal(pager_text_search(&t, "beta", 1, false, &wrapped), 3);
	assert_false(wrapped);
	assert_int_equal(pager_text_search(&t, "beta", 3, false, &wrapped), 1);
	assert_true(wrapped);
	assert_int_equal(pager_text_search(&t, "beta", 3, true, &wrapped), 1);
	assert_false(wrapped);
	assert_int_equal(pager_text_search(&t, "beta", 1, true, &wrapped), 3);
	assert_true(wrapped);
	/* the only match is the row searched from: found last, after wrapping */
	assert_int_equal(pager_text_search(&t, "gamma", 2, false, &wrapped), 2);
	assert_true(wrapped);
	assert_int_equal(pager_text_search(&t, "delta", 0, false, &wrapped), -1);
	assert_false(wrapped);
	assert_int_equal(pager_text_search(&t, "", 0, false, &wrapped), -1);
	pager_text_clear(&t);
	assert_int_equal(pager_text_search(&t, "x", 0, false, &wrapped), -1);
}

static void test_skip_quoted(void **state)
{
	(void)state;
	struct pager_text t = {0};
	layout(&t, "H: 1\nH: 2\n\na\n> q1\n> q2\nb\n> q3\n", 40, true, true, false);
	enum pager_skip_result why;
	/* on a header: past the headers */
	assert_int_equal(pager_text_skip_quoted(&t, 0, &why), 2);
	assert_int_equal(why, PAGER_SKIP_OK);
	assert_int_equal(pager_text_skip_quoted(&t, 2, &why), 6);
	/* inside a quoted block: past its end */
	assert_int_equal(pager_text_skip_quoted(&t, 5, &why), 6);
	/* the last quoted block runs to the end */
	assert_int_equal(pager_text_skip_quoted(&t, 6, &why), -1);
	assert_int_equal(why, PAGER_SKIP_NO_UNQUOTED);
	pager_text_clear(&t);
	layout(&t, "a\nb\n", 40, true, false, false);
	assert_int_equal(pager_text_skip_quoted(&t, 0, &why), -1);
	assert_int_equal(why, PAGER_SKIP_NO_QUOTED);
	pager_text_clear(&t);
}

static void test_position(void **state)
{
	(void)state;
	char out[16];
	pager_text_position(0, 20, 10, out);
	assert_string_equal(out, "all");
	pager_text_position(0, 20, 20, out);
	assert_string_equal(out, "all");
	pager_text_position(0, 20, 100, out);
	assert_string_equal(out, "20%");
	pager_text_position(25, 20, 100, out);
	assert_string_equal(out, "45%");
	pager_text_position(80, 20, 100, out);
	assert_string_equal(out, "end");
	pager_text_position(95, 20, 100, out);
	assert_string_equal(out, "end");
}

static void test_status_format(void **state)
{
	(void)state;
	char *s = pager_status_format("-- Rowan: INBOX [1/3] Hi", "all", 40);
	assert_string_equal(s, "-- Rowan: INBOX [1/3] Hi        -- (all)");
	free(s);
	/* a long left part is cut, the position stays */
	s = pager_status_format("-- Rowan: INBOX [1/3] A long subject", "45%", 30);
	assert_string_equal(s, "-- Rowan: INBOX [1/3] -- (45%)");
	assert_int_equal(mime_display_width(s, strlen(s)), 30);
	free(s);
	/* wide characters are not split */
	s = pager_status_format("\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5", "end", 12);
	assert_string_equal(s, "\xe6\x97\xa5  -- (end)");
	free(s);
	/* too narrow for anything but (part of) the position */
	s = pager_status_format("left", "all", 5);
	assert_string_equal(s, "-- (a");
	free(s);
	s = pager_status_format("left", "all", 0);
	assert_string_equal(s, "");
	free(s);
}

int main(void)
{
	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		setlocale(LC_ALL, "");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_short_lines_one_row_each),
		cmocka_unit_test(test_wrap_at_blank_with_markers),
		cmocka_unit_test(test_tabs_expand_to_eight),
		cmocka_unit_test(test_wide_and_combining),
		cmocka_unit_test(test_quote_depth),
		cmocka_unit_test(test_quote_color_cycle),
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_hide_quoted),
		cmocka_unit_test(test_wrap_width),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_search_rows_wraps),
		cmocka_unit_test(test_skip_quoted),
		cmocka_unit_test(test_position),
		cmocka_unit_test(test_status_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
