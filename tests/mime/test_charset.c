/* Unit tests for src/mime charsets: labels, conversion to UTF-8, U+FFFD. */
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


/* ---- text in each charset, converted to UTF-8 ---- */

struct convert_row {
	const char *charset;
	const char *input;
	const char *expect;
};

/* Inputs were made from the expected text with Python's codecs. */
static const struct convert_row convert_rows[] = {
	{ "utf-8", "Gr\xc3\xbc\xc3\x9f" "e aus K\xc3\xb6ln \xe2\x82\xac",
	  "Gr\xc3\xbc\xc3\x9f" "e aus K\xc3\xb6ln \xe2\x82\xac" },
	{ "iso-8859-1", "Gr\xfc\xdf" "e, se\xf1or",
	  "Gr\xc3\xbc\xc3\x9f" "e, se\xc3\xb1or" },
	{ "iso-8859-2", "Za\xbf\xf3\xb3\xe6 g\xea\xb6l\xb1 ja\xbc\xf1",
	  "Za\xc5\xbc\xc3\xb3\xc5\x82\xc4\x87 g\xc4\x99\xc5\x9bl\xc4\x85 ja\xc5\xba\xc5\x84" },
	{ "iso-8859-5", "\xbf\xe0\xd8\xd2\xd5\xe2",
	  "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82" },
	{ "iso-8859-7", "\xca\xe1\xeb\xe7\xec\xdd\xf1\xe1",
	  "\xce\x9a\xce\xb1\xce\xbb\xce\xb7\xce\xbc\xce\xad\xcf\x81\xce\xb1" },
	{ "iso-8859-15", "Prix: 10\xa4",
	  "Prix: 10\xe2\x82\xac" },
	{ "windows-1252", "\x93Smart\x94 \x96 quotes \x80",
	  "\xe2\x80\x9cSmart\xe2\x80\x9d \xe2\x80\x93 quotes \xe2\x82\xac" },
	{ "windows-1251", "\xcf\xf0\xe8\xe2\xe5\xf2 \xec\xe8\xf0",
	  "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82 \xd0\xbc\xd0\xb8\xd1\x80" },
	{ "windows-1250", "P\xf8\xedli\x9a \x9elu\x9dou\xe8k\xfd",
	  "P\xc5\x99\xc3\xadli\xc5\xa1 \xc5\xbelu\xc5\xa5ou\xc4\x8dk\xc3\xbd" },
	{ "koi8-r", "\xf3\xdf\xc5\xdb\xd8 \xd6\xc5 \xc5\xdd\xa3",
	  "\xd0\xa1\xd1\x8a\xd0\xb5\xd1\x88\xd1\x8c \xd0\xb6\xd0\xb5 \xd0\xb5\xd1\x89\xd1\x91" },
	{ "gb2312", "\xc4\xe3\xba\xc3\xca\xc0\xbd\xe7",
	  "\xe4\xbd\xa0\xe5\xa5\xbd\xe4\xb8\x96\xe7\x95\x8c" },
	{ "gb2312", "\xd6\xec\xe9" "F\xbb\xf9",
	  "\xe6\x9c\xb1\xe9\x95\x95\xe5\x9f\xba" },
	{ "gbk", "\xd6\xd0\xce\xc4\xd3\xca\xbc\xfe",
	  "\xe4\xb8\xad\xe6\x96\x87\xe9\x82\xae\xe4\xbb\xb6" },
	{ "gb18030", "\xd6\xd0\xce\xc4\x95" "2\x82" "6",
	  "\xe4\xb8\xad\xe6\x96\x87\xf0\xa0\x80\x80" },
	{ "shift_jis", "\x93\xfa\x96{\x8c\xea\x83" "e\x83X\x83g",
	  "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x83\x86\xe3\x82\xb9\xe3\x83\x88" },
	{ "shift_jis", "\x87@\x94\xd4",
	  "\xe2\x91\xa0\xe7\x95\xaa" },
	{ "iso-2022-jp", "\x1b$BF|K\\8l$N%a!<%k\x1b(B",
	  "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe3\x83\xa1\xe3\x83\xbc\xe3\x83\xab" },
	{ "euc-jp", "\xc6\xfc\xcb\xdc\xb8\xec",
	  "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e" },
	{ "euc-kr", "\xbe\xc8\xb3\xe7\xc7\xcf\xbc\xbc\xbf\xe4",
	  "\xec\x95\x88\xeb\x85\x95\xed\x95\x98\xec\x84\xb8\xec\x9a\x94" },
	{ "euc-kr", "\x8c" "c\xb9\xe6\xb0\xa2\xc7\xcf",
	  "\xeb\x98\xa0\xeb\xb0\xa9\xea\xb0\x81\xed\x95\x98" },
	{ "ks_c_5601-1987", "\xc7\xd1\xb1\xb9\xbe\xee",
	  "\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4" },
	{ "big5", "\xa4\xa4\xa4\xe5\xb4\xfa\xb8\xd5",
	  "\xe4\xb8\xad\xe6\x96\x87\xe6\xb8\xac\xe8\xa9\xa6" },
	{ "cp950", "\xc1" "c\xc5\xe9",
	  "\xe7\xb9\x81\xe9\xab\x94" },
	/* labels in odd spellings */
	{ "UTF8", "\xc3\xa9t\xc3\xa9", "\xc3\xa9t\xc3\xa9" },
	{ "Latin1", "caf\xe9", "caf\xc3\xa9" },
	{ "\"ISO-8859-1\"", "caf\xe9", "caf\xc3\xa9" },
	{ "iso8859-15", "10\xa4", "10\xe2\x82\xac" },
	{ "ISO_8859-2", "\xb3" "\xf3" "d\xbf", "\xc5\x82\xc3\xb3" "d\xc5\xbc" },
	{ "cp1252", "\x80", "\xe2\x82\xac" },
	{ "x-sjis", "\x93\xfa", "\xe6\x97\xa5" },
	{ "X-GBK", "\xc4\xe3", "\xe4\xbd\xa0" },
	{ "x-euc-kr", "\xc7\xd1", "\xed\x95\x9c" },
	{ "Windows-31J", "\x87@", "\xe2\x91\xa0" },
	/* ISO-8859-1 in mail is windows-1252 in practice */
	{ "iso-8859-1", "\x93" "a\x94", "\xe2\x80\x9c" "a\xe2\x80\x9d" },
	/* labels that say nothing: UTF-8 when valid, else the fallback */
	{ "us-ascii", "Gr\xc3\xbc\xc3\x9f" "e", "Gr\xc3\xbc\xc3\x9f" "e" },
	{ "us-ascii", "Gr\xfc\xdf" "e", "Gr\xc3\xbc\xc3\x9f" "e" },
	{ "unknown-8bit", "caf\xe9", "caf\xc3\xa9" },
	{ "x-unknown", "caf\xc3\xa9", "caf\xc3\xa9" },
	{ "no-such-charset", "caf\xe9", "caf\xc3\xa9" },
	{ NULL, "caf\xc3\xa9", "caf\xc3\xa9" },
	{ NULL, "caf\xe9", "caf\xc3\xa9" },
	{ NULL, "\x1b$BF|K\\8l\x1b(B", "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e" },
	{ "us-ascii", "\x1b$BF|\x1b(B", "\xe6\x97\xa5" },
	/* invalid input becomes U+FFFD and conversion goes on */
	{ "utf-8", "a\xff" "b", "a\xef\xbf\xbd" "b" },
	{ "utf-8", "end\xe2\x82", "end\xef\xbf\xbd" },
	{ "utf-8", "\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd" },
	{ "utf-8", "\xed\xa0\x80!", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd!" },
	{ "utf-8", "\xf4\x90\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
	{ "utf-8", "\xe2\x82" "x", "\xef\xbf\xbd" "x" },
	{ "shift_jis", "\x93\xfa\xff\x96{", "\xe6\x97\xa5\xef\xbf\xbd\xe6\x9c\xac" },
	{ "shift_jis", "\x93\xfa\x96", "\xe6\x97\xa5\xef\xbf\xbd" },
	{ "euc-kr", "\xc7\xd1\xff\xff\xb1\xb9", "\xed\x95\x9c\xef\xbf\xbd\xef\xbf\xbd\xea\xb5\xad" },
	{ "windows-1252", "a\x81" "b", "a\xef\xbf\xbd" "b" },
	{ "iso-2022-jp", "\x1b$BF|\x1b(B ok", "\xe6\x97\xa5 ok" },
	{ "koi8-r", "", "" },
};

static void test_convert(void **state)
{
	const struct convert_row *row = *state;
	size_t len = 99;
	char *out = mime_charset_to_utf8(row->charset, row->input, strlen(row->input), NULL, &len);
	assert_string_equal(out, row->expect);
	assert_int_equal(len, strlen(row->expect));
	free(out);
}

/* ---- labels ---- */

struct known_row {
	const char *charset;
	bool known;
};

static const struct known_row known_rows[] = {
	{ "utf-8", true }, { "UTF8", true }, { "latin1", true }, { "ISO-8859-15", true },
	{ "iso_8859-7", true }, { "windows-1251", true }, { "KOI8-R", true },
	{ "gb2312", true }, { "GBK", true }, { "Shift_JIS", true }, { "x-sjis", true },
	{ "cp932", true }, { "ISO-2022-JP", true }, { "EUC-KR", true },
	{ "ks_c_5601-1987", true }, { "Big5", true }, { " us-ascii ", true },
	{ "unknown-8bit", true },
	{ "x-no-such-charset", false }, { "utf-8//TRANSLIT", false },
	{ "../../../tmp/x", false }, { "", false }, { "\"\"", false },
	{ "utf-8 ; x", false },
	{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false },
};

static void test_known(void **state)
{
	const struct known_row *row = *state;
	assert_int_equal(mime_charset_known(row->charset), row->known);
}

/* ---- UTF-8 validity ---- */

struct valid_row {
	const char *input;
	bool valid;
};

static const struct valid_row valid_rows[] = {
	{ "plain", true }, { "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", true },
	{ "\xef\xbf\xbd", true }, { "\xf4\x8f\xbf\xbf", true },
	{ "\xe9", false }, { "\xc0\x80", false }, { "\xc1\xbf", false },
	{ "\xe0\x80\xaf", false }, { "\xed\xa0\x80", false }, { "\xf4\x90\x80\x80", false },
	{ "\xf5\x80\x80\x80", false }, { "\x80", false }, { "\xe2\x82", false },
	{ "\xff", false },
};

static void test_valid(void **state)
{
	const struct valid_row *row = *state;
	assert_int_equal(mime_utf8_valid(row->input, strlen(row->input)), row->valid);
}

/* ---- single cases ---- */

static void test_nul_becomes_replacement(void **state)
{
	(void)state;
	size_t len;
	char *out = mime_charset_to_utf8("utf-8", "a\0b", 3, NULL, &len);
	assert_int_equal(len, 5);
	assert_memory_equal(out, "a\xef\xbf\xbd" "b", 6);
	free(out);
	out = mime_charset_to_utf8("iso-8859-2", "a\0b", 3, NULL, &len);
	assert_int_equal(len, 5);
	assert_memory_equal(out, "a\xef\xbf\xbd" "b", 6);
	free(out);
	out = mime_charset_to_utf8("utf-16le", "a\0\0\0b\0", 6, NULL, &len);
	assert_string_equal(out, "a\xef\xbf\xbd" "b");
	free(out);
}

static void test_fallback_charset(void **state)
{
	(void)state;
	/* koi8-r text without a label, with koi8-r assumed */
	char *out = mime_charset_to_utf8(NULL, "\xf3\xdf", 2, "koi8-r", NULL);
	assert_string_equal(out, "\xd0\xa1\xd1\x8a");
	free(out);
	/* valid UTF-8 wins over the fallback */
	out = mime_charset_to_utf8("unknown-8bit", "\xd0\xa1", 2, "koi8-r", NULL);
	assert_string_equal(out, "\xd0\xa1");
	free(out);
	/* a fallback nobody knows means windows-1252 */
	out = mime_charset_to_utf8(NULL, "\x80", 1, "no-such", NULL);
	assert_string_equal(out, "\xe2\x82\xac");
	free(out);
	/* a UTF-8 fallback replaces what is invalid */
	out = mime_charset_to_utf8(NULL, "a\xe9", 2, "utf-8", NULL);
	assert_string_equal(out, "a\xef\xbf\xbd");
	free(out);
	/* a declared charset is not overridden by the fallback */
	out = mime_charset_to_utf8("iso-8859-5", "\xbf", 1, "koi8-r", NULL);
	assert_string_equal(out, "\xd0\x9f");
	free(out);
}

static void test_long_input_not_truncated(void **state)
{
	(void)state;
	size_t n = 200000;
	char *in = xmalloc(n);
	memset(in, 0xe9, n);
	size_t len;
	char *out = mime_charset_to_utf8("iso-8859-1", in, n, NULL, &len);
	assert_int_equal(len, 2 * n);
	assert_int_equal(strlen(out), 2 * n);
	assert_memory_equal(out + 2 * n - 2, "\xc3\xa9", 2);
	free(out);
	/* every byte invalid, in a multibyte charset */
	memset(in, 0xff, n);
	out = mime_charset_to_utf8("shift_jis", in, n, NULL, &len);
	assert_int_equal(len, 3 * n);
	free(out);
	free(in);
}

static void test_null_data(void **state)
{
	(void)state;
	size_t len = 7;
	char *out = mime_charset_to_utf8("utf-8", NULL, 0, NULL, &len);
	assert_string_equal(out, "");
	assert_int_equal(len, 0);
	free(out);
}

int main(void)
{
	struct case_list list = { NULL, 0, 0 };
	for (size_t i = 0; i < COUNT(convert_rows); i++)
		case_add(&list, "convert", convert_rows[i].charset ? convert_rows[i].charset : "(none)",
		         test_convert, &convert_rows[i]);
	for (size_t i = 0; i < COUNT(known_rows); i++)
		case_add(&list, "known", known_rows[i].charset, test_known, &known_rows[i]);
	for (size_t i = 0; i < COUNT(valid_rows); i++)
		case_add(&list, "utf8 valid", valid_rows[i].input, test_valid, &valid_rows[i]);
	case_add(&list, "nul", "NUL bytes become U+FFFD", test_nul_becomes_replacement, NULL);
	case_add(&list, "fallback", "assumed charset", test_fallback_charset, NULL);
	case_add(&list, "long", "long input is not truncated", test_long_input_not_truncated, NULL);
	case_add(&list, "null", "NULL data", test_null_data, NULL);
	return case_run(&list, "mime charset");
}
