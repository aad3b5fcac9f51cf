/*
 * Unit tests for the read-path guard (src/net/guard.c): line lengths and
 * IMAP literal announcements, with bytes arriving in arbitrary pieces.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "net/guard.h"

/* Feed text one piece at a time, each piece `step` bytes (0: at once). */
static enum net_guard_status feed_steps(struct net_guard *guard,
                                        const char *data, size_t len,
                                        size_t step)
{
	enum net_guard_status status = NET_GUARD_OK;

	if (step == 0)
		step = len;
	for (size_t off = 0; off < len; off += step) {
		size_t n = len - off < step ? len - off : step;
		status = net_guard_feed(guard, data + off, n);
		if (status != NET_GUARD_OK)
			break;
	}
	return status;
}

static enum net_guard_status feed(struct net_guard *guard, const char *text)
{
	return net_guard_feed(guard, text, strlen(text));
}

/* Every way of cutting text into two pieces gives the same answer. */
static void assert_all_splits(size_t max_line, uint64_t max_literal,
                              bool literals, const char *text,
                              enum net_guard_status expected)
{
	size_t len = strlen(text);

	for (size_t cut = 0; cut <= len; cut++) {
		struct net_guard guard;
		net_guard_init(&guard, max_line, max_literal, literals);
		enum net_guard_status status = net_guard_feed(&guard, text, cut);
		if (status == NET_GUARD_OK)
			status = net_guard_feed(&guard, text + cut, len - cut);
		if (status != expected)
			fail_msg("cut at %zu of \"%s\": status %d, expected %d",
			         cut, text, status, expected);
	}
	for (size_t step = 1; step <= 3; step++) {
		struct net_guard guard;
		net_guard_init(&guard, max_line, max_literal, literals);
		assert_int_equal(feed_steps(&guard, text, len, step), expected);
	}
}

static void test_defaults(void **state)
{
	(void)state;
	struct net_guard guard;

	net_guard_init(&guard, 0, 0, true);
	assert_int_equal(guard.max_line, 1024 * 1024);
	assert_true(guard.max_literal == (uint64_t)100 * 1024 * 1024);
}

static void test_ordinary_lines(void **state)
{
	(void)state;
	assert_all_splits(0, 0, true,
	                  "* OK [CAPABILITY IMAP4rev1] ready\r\n"
	                  "a1 OK done\r\n", NET_GUARD_OK);
}

static void test_line_at_limit_and_one_over(void **state)
{
	(void)state;
	assert_all_splits(8, 0, false, "12345678\r\nabc\r\n", NET_GUARD_OK);
	assert_all_splits(8, 0, false, "123456789\r\n", NET_GUARD_LINE_TOO_LONG);
	/* Detected before the line ends: no need to wait for CRLF. */
	assert_all_splits(8, 0, false, "123456789", NET_GUARD_LINE_TOO_LONG);
}

static void test_one_mib_line(void **state)
{
	(void)state;
	size_t mib = 1024 * 1024;
	char *line = malloc(mib + 3);
	struct net_guard guard;

	memset(line, 'x', mib + 1);
	memcpy(line + mib, "\r\n", 2);
	net_guard_init(&guard, 0, 0, true);
	assert_int_equal(feed_steps(&guard, line, mib + 2, 8192), NET_GUARD_OK);
	assert_int_equal(guard.line_length, 0);

	line[mib] = 'x';
	memcpy(line + mib + 1, "\r\n", 2);
	net_guard_init(&guard, 0, 0, true);
	assert_int_equal(feed_steps(&guard, line, mib + 3, 8192),
	                 NET_GUARD_LINE_TOO_LONG);
	free(line);
}

static void test_crlf_split_across_reads(void **state)
{
	(void)state;
	struct net_guard guard;

	net_guard_init(&guard, 4, 0, false);
	assert_int_equal(feed(&guard, "abcd\r"), NET_GUARD_OK);
	assert_int_equal(feed(&guard, "\nefgh\r"), NET_GUARD_OK);
	assert_int_equal(feed(&guard, "\n"), NET_GUARD_OK);
	assert_int_equal(guard.line_length, 0);
	/* A CR that is not followed by LF is line content. */
	net_guard_init(&guard, 4, 0, false);
	assert_int_equal(feed(&guard, "abcd\r"), NET_GUARD_OK);
	assert_int_equal(feed(&guard, "x"), NET_GUARD_LINE_TOO_LONG);
}

static void test_bare_lf_ends_a_line(void **state)
{
	(void)state;
	assert_all_splits(4, 0, false, "abcd\nefgh\n", NET_GUARD_OK);
}

static void test_literal_at_cap(void **state)
{
	(void)state;
	assert_all_splits(0, 10, true,
	                  "* 1 FETCH (BODY[] {10}\r\n0123456789)\r\na OK\r\n",
	                  NET_GUARD_OK);
}

static void test_literal_one_over_cap(void **state)
{
	(void)state;
	struct net_guard guard;

	assert_all_splits(0, 10, true, "* 1 FETCH (BODY[] {11}\r\n",
	                  NET_GUARD_LITERAL_TOO_BIG);
	net_guard_init(&guard, 0, 10, true);
	assert_int_equal(feed(&guard, "* 1 FETCH (BODY[] {11}\r\n"),
	                 NET_GUARD_LITERAL_TOO_BIG);
	assert_true(guard.status_value == 11);
}

static void test_literal_plus(void **state)
{
	(void)state;
	assert_all_splits(0, 5, true, "* X {5+}\r\nab\r\nc)\r\n", NET_GUARD_OK);
	assert_all_splits(0, 5, true, "* X {6+}\r\n", NET_GUARD_LITERAL_TOO_BIG);
}

static void test_literal8(void **state)
{
	(void)state;
	assert_all_splits(0, 3, true, "* 1 FETCH (BINARY[] ~{4}\r\n",
	                  NET_GUARD_LITERAL_TOO_BIG);
}

static void test_literal_content_is_skipped(void **state)
{
	(void)state;
	/* Braces, CRLF and a fake announcement inside the payload are
	 * data; so is a payload longer than a line may be. */
	assert_all_splits(8, 100, true,
	                  "* {21}\r\n{999999999}\r\n{1}\r\nx\r\n)\r\na OK\r\n",
	                  NET_GUARD_OK);
	assert_all_splits(8, 100, true,
	                  "* {30}\r\n012345678901234567890123456789)\r\n",
	                  NET_GUARD_OK);
}

static void test_line_continues_after_literal(void **state)
{
	(void)state;
	/* After the payload the response goes on; that part is a line. */
	assert_all_splits(0, 100, true,
	                  "* 1 FETCH (BODY[1] {2}\r\nab BODY[2] {3}\r\nxyz)\r\n",
	                  NET_GUARD_OK);
	assert_all_splits(6, 100, true, "* {2}\r\nab 1234567\r\n",
	                  NET_GUARD_LINE_TOO_LONG);
}

static void test_braces_not_at_end_of_line(void **state)
{
	(void)state;
	/* "{5}" in the middle of a line announces nothing, so the next
	 * line is scanned (and is too long). */
	assert_all_splits(8, 100, true, "* {5} x\r\nabcdefghij\r\n",
	                  NET_GUARD_LINE_TOO_LONG);
	assert_all_splits(0, 10, true, "* {11}x\r\n* {1x}\r\n* {}\r\n* {+}\r\n",
	                  NET_GUARD_OK);
}

static void test_no_literals_outside_imap(void **state)
{
	(void)state;
	assert_all_splits(0, 10, false, "+OK {99999999999}\r\nmore\r\n",
	                  NET_GUARD_OK);
}

static void test_literal_size_overflow(void **state)
{
	(void)state;
	struct net_guard guard;

	net_guard_init(&guard, 0, 0, true);
	assert_int_equal(feed(&guard, "* {99999999999999999999999}\r\n"),
	                 NET_GUARD_LITERAL_TOO_BIG);
	assert_true(guard.status_value == UINT64_MAX);
}

static void test_violation_is_sticky(void **state)
{
	(void)state;
	struct net_guard guard;

	net_guard_init(&guard, 4, 0, false);
	assert_int_equal(feed(&guard, "abcdef"), NET_GUARD_LINE_TOO_LONG);
	assert_int_equal(feed(&guard, "\r\n"), NET_GUARD_LINE_TOO_LONG);
}

static void test_size_format(void **state)
{
	(void)state;
	char text[64];

	net_size_format(text, sizeof text, 1024 * 1024);
	assert_string_equal(text, "1 MiB");
	net_size_format(text, sizeof text, (uint64_t)100 << 20);
	assert_string_equal(text, "100 MiB");
	net_size_format(text, sizeof text, 512 * 1024);
	assert_string_equal(text, "512 KiB");
	net_size_format(text, sizeof text, 1000);
	assert_string_equal(text, "1000 bytes");
	net_size_format(text, sizeof text, 1);
	assert_string_equal(text, "1 byte");
}

static void test_messages(void **state)
{
	(void)state;
	struct net_guard guard;
	struct rowan_err err;

	rowan_err_clear(&err);
	net_guard_init(&guard, 0, 0, true);
	net_guard_describe(&guard, "mail.test:993", &err);
	assert_int_equal(err.err_class, ROWAN_ERR_NONE);

	net_guard_init(&guard, 0, 0, true);
	guard.max_line = 1024 * 1024;
	guard.status = NET_GUARD_LINE_TOO_LONG;
	net_guard_describe(&guard, "mail.test:993", &err);
	assert_int_equal(err.err_class, ROWAN_ERR_PROTOCOL);
	assert_string_equal(err.message,
	                    "mail.test:993: server sent a line longer than 1 MiB");

	net_guard_init(&guard, 0, 0, true);
	assert_int_equal(feed(&guard, "* 1 FETCH (BODY[] {200000000}\r\n"),
	                 NET_GUARD_LITERAL_TOO_BIG);
	net_guard_describe(&guard, "mail.test:993", &err);
	assert_int_equal(err.err_class, ROWAN_ERR_PROTOCOL);
	assert_string_equal(err.message,
	                    "mail.test:993: server announced a literal of 200000000 bytes, more than the limit of 100 MiB");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_ordinary_lines),
		cmocka_unit_test(test_line_at_limit_and_one_over),
		cmocka_unit_test(test_one_mib_line),
		cmocka_unit_test(test_crlf_split_across_reads),
		cmocka_unit_test(test_bare_lf_ends_a_line),
		cmocka_unit_test(test_literal_at_cap),
		cmocka_unit_test(test_literal_one_over_cap),
		cmocka_unit_test(test_literal_plus),
		cmocka_unit_test(test_literal8),
		cmocka_unit_test(test_literal_content_is_skipped),
		cmocka_unit_test(test_line_continues_after_literal),
		cmocka_unit_test(test_braces_not_at_end_of_line),
		cmocka_unit_test(test_no_literals_outside_imap),
		cmocka_unit_test(test_literal_size_overflow),
		cmocka_unit_test(test_violation_is_sticky),
		cmocka_unit_test(test_size_format),
		cmocka_unit_test(test_messages),
	};
	return cmocka_run_group_tests_name("net guard", tests, NULL, NULL);
}
