/* Unit tests for src/mime address lists: groups, comments, quoted and
 * encoded names, obsolete and broken forms. */
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


struct item {
	const char *name;
	const char *mailbox;
	const char *group;
};

struct address_row {
	const char *input;
	const char *fallback;
	size_t count;
	struct item items[3];
	const char *format;	/* mime_address_list_format */
};

static const struct address_row address_rows[] = {
	/* plain forms */
	{ "user@example.com", NULL, 1, { { NULL, "user@example.com", NULL } },
	  "user@example.com" },
	{ "John Doe <john@example.com>", NULL, 1, { { "John Doe", "john@example.com", NULL } },
	  "John Doe <john@example.com>" },
	{ "John Q. Public <jqp@example.org>", NULL, 1,
	  { { "John Q. Public", "jqp@example.org", NULL } }, "John Q. Public <jqp@example.org>" },
	{ "<john@example.com>", NULL, 1, { { NULL, "john@example.com", NULL } },
	  "john@example.com" },
	{ "a@x.org, B <b@x.org>,c@x.org", NULL, 3,
	  { { NULL, "a@x.org", NULL }, { "B", "b@x.org", NULL }, { NULL, "c@x.org", NULL } },
	  "a@x.org, B <b@x.org>, c@x.org" },
	/* quoted names */
	{ "\"Doe, John\" <john@example.com>", NULL, 1,
	  { { "Doe, John", "john@example.com", NULL } }, "\"Doe, John\" <john@example.com>" },
	{ "\"John \\\"JD\\\" Doe\" <jd@x.org>", NULL, 1, { { "John \"JD\" Doe", "jd@x.org", NULL } },
	  "\"John \\\"JD\\\" Doe\" <jd@x.org>" },
	{ "\"john@x.org\" <john@x.org>", NULL, 1, { { "john@x.org", "john@x.org", NULL } },
	  "\"john@x.org\" <john@x.org>" },
	/* comments */
	{ "john@example.com (John Doe)", NULL, 1, { { "John Doe", "john@example.com", NULL } },
	  "John Doe <john@example.com>" },
	{ "John Doe <john@example.com> (work)", NULL, 1,
	  { { "John Doe", "john@example.com", NULL } }, "John Doe <john@example.com>" },
	{ "a@x.org (Smith, J), b@x.org", NULL, 2,
	  { { "Smith, J", "a@x.org", NULL }, { NULL, "b@x.org", NULL } },
	  "\"Smith, J\" <a@x.org>, b@x.org" },
	{ "a@x.org (one) , b@x.org (two (nested))", NULL, 2,
	  { { "one", "a@x.org", NULL }, { "two (nested)", "b@x.org", NULL } },
	  "one <a@x.org>, \"two (nested)\" <b@x.org>" },
	{ "(nobody)", NULL, 1, { { "nobody", NULL, NULL } }, "nobody" },
	{ "Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>", NULL, 1,
	  { { "Pete", "pete@silly.test", NULL } }, "Pete <pete@silly.test>" },
	/* encoded and 8-bit names */
	{ "=?utf-8?q?J=C3=B6rg?= <j@x.de>", NULL, 1, { { "J\xc3\xb6rg", "j@x.de", NULL } },
	  "J\xc3\xb6rg <j@x.de>" },
	{ "\"=?utf-8?q?J=C3=B6rg?=\" <j@x.de>", NULL, 1, { { "J\xc3\xb6rg", "j@x.de", NULL } },
	  "J\xc3\xb6rg <j@x.de>" },
	{ "=?utf-8?q?M=C3=BCller=2C?= =?utf-8?q?_Hans?= <h@x.de>", NULL, 1,
	  { { "M\xc3\xbcller, Hans", "h@x.de", NULL } }, "\"M\xc3\xbcller, Hans\" <h@x.de>" },
	{ "=?iso-2022-jp?B?GyRCRnxLXBsoQg==?= <n@x.jp>", NULL, 1,
	  { { "\xe6\x97\xa5\xe6\x9c\xac", "n@x.jp", NULL } }, "\xe6\x97\xa5\xe6\x9c\xac <n@x.jp>" },
	{ "a@x.org (=?utf-8?q?J=C3=B6rg?=)", NULL, 1, { { "J\xc3\xb6rg", "a@x.org", NULL } },
	  "J\xc3\xb6rg <a@x.org>" },
	{ "J\xc3\xb6rg <j@x.de>", NULL, 1, { { "J\xc3\xb6rg", "j@x.de", NULL } },
	  "J\xc3\xb6rg <j@x.de>" },
	{ "J\xf6rg <j@x.de>", NULL, 1, { { "J\xc3\xb6rg", "j@x.de", NULL } },
	  "J\xc3\xb6rg <j@x.de>" },
	{ "\xf3\xdf <k@x.ru>", "koi8-r", 1, { { "\xd0\xa1\xd1\x8a", "k@x.ru", NULL } },
	  "\xd0\xa1\xd1\x8a <k@x.ru>" },
	{ "j\xc3\xb6rg@b\xc3\xbc" "cher.de", NULL, 1,
	  { { NULL, "j\xc3\xb6rg@b\xc3\xbc" "cher.de", NULL } }, "j\xc3\xb6rg@b\xc3\xbc" "cher.de" },
	{ "\"\x1b[31mRed\" <r@x.org>", NULL, 1, { { "\x1b[31mRed", "r@x.org", NULL } },
	  "\"\x1b[31mRed\" <r@x.org>" },
	/* groups */
	{ "Friends: a@x.org, B <b@x.org>;", NULL, 2,
	  { { NULL, "a@x.org", "Friends" }, { "B", "b@x.org", "Friends" } },
	  "Friends: a@x.org, B <b@x.org>;" },
	{ "Friends: a@x.org; c@y.org", NULL, 2,
	  { { NULL, "a@x.org", "Friends" }, { NULL, "c@y.org", NULL } },
	  "Friends: a@x.org;, c@y.org" },
	{ "undisclosed-recipients:;", NULL, 1, { { NULL, NULL, "undisclosed-recipients" } },
	  "undisclosed-recipients:;" },
	{ "Team: a@x.org, b@x.org", NULL, 2,
	  { { NULL, "a@x.org", "Team" }, { NULL, "b@x.org", "Team" } },
	  "Team: a@x.org, b@x.org;" },
	{ "=?utf-8?q?=C3=89quipe?=: a@x.org;", NULL, 1, { { NULL, "a@x.org", "\xc3\x89quipe" } },
	  "\xc3\x89quipe: a@x.org;" },
	{ "A: a@x.org; B: b@x.org;", NULL, 2,
	  { { NULL, "a@x.org", "A" }, { NULL, "b@x.org", "B" } }, "A: a@x.org;, B: b@x.org;" },
	{ "  Friends (the group) :  a@x.org  ;  ", NULL, 1, { { NULL, "a@x.org", "Friends" } },
	  "Friends: a@x.org;" },
	{ "A: b: c@x.org;", NULL, 2, { { NULL, NULL, "A" }, { NULL, "c@x.org", "b" } },
	  "A:;, b: c@x.org;" },
	/* obsolete forms */
	{ "<@relay.example:john@example.com>", NULL, 1, { { NULL, "john@example.com", NULL } },
	  "john@example.com" },
	{ "Jo <@a.example,@b.example:jo@c.example>, x@y.org", NULL, 2,
	  { { "Jo", "jo@c.example", NULL }, { NULL, "x@y.org", NULL } },
	  "Jo <jo@c.example>, x@y.org" },
	{ "John < john . doe @ example . com >", NULL, 1,
	  { { "John", "john.doe@example.com", NULL } }, "John <john.doe@example.com>" },
	{ "\"john doe\"@example.com", NULL, 1, { { NULL, "\"john doe\"@example.com", NULL } },
	  "\"john doe\"@example.com" },
	{ "user@[192.0.2.1]", NULL, 1, { { NULL, "user@[192.0.2.1]", NULL } },
	  "user@[192.0.2.1]" },
	{ "a@x.org,,  , b@x.org,", NULL, 2,
	  { { NULL, "a@x.org", NULL }, { NULL, "b@x.org", NULL } }, "a@x.org, b@x.org" },
	/* broken forms: nothing is dropped */
	{ "John Doe john@example.com", NULL, 1, { { "John Doe", "john@example.com", NULL } },
	  "John Doe <john@example.com>" },
	{ "\"Doe, J\" j@x.org", NULL, 1, { { "Doe, J", "j@x.org", NULL } },
	  "\"Doe, J\" <j@x.org>" },
	{ "root", NULL, 1, { { NULL, "root", NULL } }, "root" },
	{ "not an address", NULL, 1, { { "not an address", NULL, NULL } }, "not an address" },
	{ "Jo <jo@x.org", NULL, 1, { { "Jo", "jo@x.org", NULL } }, "Jo <jo@x.org>" },
	{ "Jo <jo@x.org, Al <al@x.org>", NULL, 2,
	  { { "Jo", "jo@x.org", NULL }, { "Al", "al@x.org", NULL } },
	  "Jo <jo@x.org>, Al <al@x.org>" },
	{ "a <b", NULL, 1, { { "a <b", NULL, NULL } }, "\"a <b\"" },
	{ "\"Unclosed <a@x.org>", NULL, 1, { { "Unclosed <a@x.org>", NULL, NULL } },
	  "\"Unclosed <a@x.org>\"" },
	{ "<>", NULL, 1, { { NULL, "", NULL } }, "<>" },
	{ "Name <>", NULL, 1, { { "Name", "", NULL } }, "Name <>" },
	{ "<a@x.org> Trailing", NULL, 1, { { "Trailing", "a@x.org", NULL } },
	  "Trailing <a@x.org>" },
	{ "@", NULL, 1, { { "@", NULL, NULL } }, "\"@\"" },
	{ "", NULL, 0, { { NULL, NULL, NULL } }, "" },
	{ " \r\n\t ", NULL, 0, { { NULL, NULL, NULL } }, "" },
};

static void assert_string_or_null(const char *got, const char *expect)
{
	if (expect == NULL)
		assert_null(got);
	else {
		assert_non_null(got);
		assert_string_equal(got, expect);
	}
}

static void test_address(void **state)
{
	const struct address_row *row = *state;
	struct mime_address_list *list =
		mime_address_list_parse(row->input, strlen(row->input), row->fallback);
	assert_non_null(list);
	assert_int_equal(list->count, row->count);
	for (size_t i = 0; i < row->count && i < COUNT(row->items); i++) {
		assert_string_or_null(list->items[i].name, row->items[i].name);
		assert_string_or_null(list->items[i].mailbox, row->items[i].mailbox);
		assert_string_or_null(list->items[i].group, row->items[i].group);
	}
	char *text = mime_address_list_format(list);
	assert_string_equal(text, row->format);
	free(text);
	mime_address_list_free(&list);
	assert_null(list);
}

static void test_format_single(void **state)
{
	(void)state;
	struct mime_address a = { "Ann", "ann@x.org", NULL };
	char *text = mime_address_format(&a);
	assert_string_equal(text, "Ann <ann@x.org>");
	free(text);
	struct mime_address b = { NULL, "b@x.org", "G" };
	text = mime_address_format(&b);
	assert_string_equal(text, "b@x.org");
	free(text);
	struct mime_address c = { "Back\\slash", "c@x.org", NULL };
	text = mime_address_format(&c);
	assert_string_equal(text, "\"Back\\\\slash\" <c@x.org>");
	free(text);
	struct mime_address d = { NULL, NULL, NULL };
	text = mime_address_format(&d);
	assert_string_equal(text, "");
	free(text);
	text = mime_address_format(NULL);
	assert_string_equal(text, "");
	free(text);
	text = mime_address_list_format(NULL);
	assert_string_equal(text, "");
	free(text);
	struct mime_address_list *list = mime_address_list_parse(NULL, 5, NULL);
	assert_int_equal(list->count, 0);
	mime_address_list_free(&list);
	mime_address_list_free(&list);
	mime_address_list_free(NULL);
}

static void test_absurd_input(void **state)
{
	(void)state;
	size_t n = 2 * 1024 * 1024;
	char *in = xmalloc(n);
	/* a million tiny addresses: capped, with a marker at the end */
	for (size_t i = 0; i < n; i++)
		in[i] = "a,"[i % 2];
	struct mime_address_list *list = mime_address_list_parse(in, n, NULL);
	assert_true(list->count > 1000 && list->count <= 10001);
	assert_string_equal(list->items[list->count - 1].name, "[\xe2\x80\xa6]");
	mime_address_list_free(&list);
	/* a huge group name shared by many members */
	memset(in, 'g', n / 8);
	for (size_t i = n / 8; i < n; i++)
		in[i] = "a,"[(i - n / 8) % 2];
	in[n / 8] = ':';
	list = mime_address_list_parse(in, n, NULL);
	assert_true(list->count > 1000);
	assert_non_null(list->items[0].group);
	assert_true(strlen(list->items[0].group) < 1100);
	assert_string_equal(list->items[0].group, list->items[999].group);
	mime_address_list_free(&list);
	/* deep comments, unclosed quotes, specials everywhere */
	const char *pieces[] = { "(", "\"", "<", ">", "@", ":", ";", "[", "\\" };
	for (size_t p = 0; p < COUNT(pieces); p++) {
		for (size_t i = 0; i < n; i++)
			in[i] = pieces[p][0];
		list = mime_address_list_parse(in, n, NULL);
		char *text = mime_address_list_format(list);
		free(text);
		mime_address_list_free(&list);
	}
	free(in);
}

int main(void)
{
	struct case_list list = { NULL, 0, 0 };
	for (size_t i = 0; i < COUNT(address_rows); i++)
		case_add(&list, "address", address_rows[i].input, test_address, &address_rows[i]);
	case_add(&list, "format", "single addresses and NULLs", test_format_single, NULL);
	case_add(&list, "absurd", "absurd inputs stay bounded", test_absurd_input, NULL);
	return case_run(&list, "mime address");
}
