/* Unit tests for src/mime/flowed.c: RFC 3676 format=flowed reflow. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mime/message.h"

static void check(const char *in, bool delsp, const char *want)
{
	size_t len;
	char *out = mime_flowed_reflow(in, strlen(in), delsp, &len);
	assert_string_equal(out, want);
	assert_int_equal(len, strlen(want));
	free(out);
}

static void test_joins_flowed_lines(void **state)
{
	(void)state;
	check("This is a paragraph \nthat was wrapped \nby the sender.\nNext line.\n", false,
	      "This is a paragraph that was wrapped by the sender.\nNext line.\n");
}

static void test_empty_lines_end_paragraphs(void **state)
{
	(void)state;
	check("one \ntwo\n\nthree \nfour\n", false, "one two\n\nthree four\n");
}

static void test_delsp(void **state)
{
	(void)state;
	check("Lange Wort \nzusammen \ngesetzt.\n", true, "Lange Wortzusammengesetzt.\n");
	check("Lange Wort \nzusammen\n", false, "Lange Wort zusammen\n");
}

static void test_quoted_paragraphs(void **state)
{
	(void)state;
	check("> quoted text \n> that flows.\n>> deeper \n>> too.\nown reply\n", false,
	      "> quoted text that flows.\n>> deeper too.\nown reply\n");
}

static void test_quote_depth_change_ends_paragraph(void **state)
{
	(void)state;
	/* A flowed line followed by another depth is taken as fixed. */
	check("> flowed at one \n>> but two here\n", false, "> flowed at one\n>> but two here\n");
	check(">\n> \n", false, ">\n>\n");
}

static void test_space_stuffing_removed(void **state)
{
	(void)state;
	check(" From the start\n  two spaces\n >not a quote\n", false,
	      "From the start\n two spaces\n>not a quote\n");
	check("> \n>  stuffed and quoted\n", false, ">\n>  stuffed and quoted\n");
}

static void test_signature_separator(void **state)
{
	(void)state;
	/* "-- " is never flowed, and ends a paragraph before it. */
	check("Bye \n-- \nAda \nLovelace\n", false, "Bye\n-- \nAda Lovelace\n");
}

static void test_flowed_at_end(void **state)
{
	(void)state;
	check("no final \nnewline ", false, "no final newline\n");
	check("", false, "");
}

static void test_crlf(void **state)
{
	(void)state;
	check("a \r\nb\r\n", false, "a b\n");
}

static void test_through_part_text(void **state)
{
	(void)state;
	const char *msg = "Content-Type: text/plain; charset=utf-8; format=flowed; delsp=yes\n"
	                  "\n"
	                  "Hel \nlo \nworld\n";
	struct mime_message *m = mime_message_parse(msg, strlen(msg), NULL);
	char *text = mime_part_text(mime_message_root(m), NULL, NULL, NULL);
	assert_string_equal(text, "Helloworld\n");
	free(text);
	mime_message_free(&m);
	/* Without format=flowed the lines stay as they are. */
	msg = "Content-Type: text/plain\n\nHel \nlo\n";
	m = mime_message_parse(msg, strlen(msg), NULL);
	text = mime_part_text(mime_message_root(m), NULL, NULL, NULL);
	assert_string_equal(text, "Hel \nlo\n");
	free(text);
	mime_message_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_joins_flowed_lines),
		cmocka_unit_test(test_empty_lines_end_paragraphs),
		cmocka_unit_test(test_delsp),
		cmocka_unit_test(test_quoted_paragraphs),
		cmocka_unit_test(test_quote_depth_change_ends_paragraph),
		cmocka_unit_test(test_space_stuffing_removed),
		cmocka_unit_test(test_signature_separator),
		cmocka_unit_test(test_flowed_at_end),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_through_part_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
