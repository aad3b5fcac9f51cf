/* Unit tests for src/mime safe display: control characters, escape
 * sequences, C1, bidi and invisible characters, invalid UTF-8, widths. */
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


struct safe_row {
	const char *input;
	size_t len;	/* 0: strlen(input) */
	enum mime_safe_mode mode;
	const char *expect;
};

#define LINE MIME_SAFE_LINE
#define TEXT MIME_SAFE_TEXT

static const struct safe_row safe_rows[] = {
	{ "plain text", 0, LINE, "plain text" },
	{ "", 0, TEXT, "" },
	/* escape sequences lose their ESC */
	{ "\x1b[31mred\x1b[0m", 0, LINE, "^[[31mred^[[0m" },
	{ "\x1b]52;c;ZXZpbA==\x07", 0, TEXT, "^[]52;c;ZXZpbA==^G" },
	{ "\x1b[2J\x1b[H", 0, TEXT, "^[[2J^[[H" },
	{ "title\x1b]0;pwned\x1b\\", 0, LINE, "title^[]0;pwned^[\\" },
	/* other C0 controls and DEL */
	{ "a\0b", 3, LINE, "a^@b" },
	{ "bell\x07 bs\x08 vt\x0b ff\x0c", 0, TEXT, "bell^G bs^H vt^K ff^L" },
	{ "\x01\x1f", 0, LINE, "^A^_" },
	{ "a\x7f" "b", 0, TEXT, "a^?b" },
	/* newlines, tabs, carriage returns */
	{ "tab\there", 0, LINE, "tab^Ihere" },
	{ "tab\there", 0, TEXT, "tab\there" },
	{ "l1\nl2", 0, LINE, "l1^Jl2" },
	{ "l1\nl2", 0, TEXT, "l1\nl2" },
	{ "crlf\r\nx", 0, TEXT, "crlf\nx" },
	{ "crlf\r\nx", 0, LINE, "crlf^M^Jx" },
	{ "lone\rcr", 0, TEXT, "lone^Mcr" },
	{ "\r\r\n", 0, TEXT, "^M\n" },
	{ "end\r", 0, TEXT, "end^M" },
	/* C1 controls, as characters and as raw bytes */
	{ "\xc2\x9b" "31m", 0, TEXT, "<U+009B>31m" },
	{ "\xc2\x85", 0, LINE, "<U+0085>" },
	{ "\xc2\x80\xc2\x9f", 0, LINE, "<U+0080><U+009F>" },
	{ "\x9b" "31m", 0, TEXT, "\xef\xbf\xbd" "31m" },
	/* bidi controls and invisible characters are shown */
	{ "invoice_\xe2\x80\xae" "fdp.exe", 0, LINE, "invoice_<U+202E>fdp.exe" },
	{ "\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad", 0, LINE,
	  "<U+202A><U+202B><U+202C><U+202D>" },
	{ "\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9", 0, LINE,
	  "<U+2066><U+2067><U+2068><U+2069>" },
	{ "\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c", 0, LINE, "<U+200E><U+200F><U+061C>" },
	{ "a\xe2\x80\xa8" "b\xe2\x80\xa9", 0, TEXT, "a<U+2028>b<U+2029>" },
	{ "pay\xe2\x80\x8bpal", 0, LINE, "pay<U+200B>pal" },
	{ "\xef\xbb\xbfhi\xe2\x81\xa0", 0, LINE, "<U+FEFF>hi<U+2060>" },
	{ "\xf3\xa0\x81\x81\xf3\xa0\x81\xbf", 0, LINE, "<U+E0041><U+E007F>" },
	{ "\xef\xbf\xbe\xf0\x9f\xbf\xbf", 0, LINE, "<U+FFFE><U+1FFFF>" },
	{ "\xe3\x85\xa4", 0, LINE, "<U+3164>" },
	/* ordinary text is left alone */
	{ "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9", 0, LINE,
	  "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9" },
	{ "\xe2\x9d\xa4\xef\xb8\x8f e\xcc\x81 \xc2\xa0\xc2\xad", 0, LINE,
	  "\xe2\x9d\xa4\xef\xb8\x8f e\xcc\x81 \xc2\xa0\xc2\xad" },
	{ "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e \xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d \xef\xbf\xbd", 0, TEXT,
	  "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e \xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d \xef\xbf\xbd" },
	/* invalid UTF-8 */
	{ "a\xff" "b", 0, LINE, "a\xef\xbf\xbd" "b" },
	{ "\xe2\x82", 0, LINE, "\xef\xbf\xbd" },
	{ "\xc0\x80", 0, LINE, "\xef\xbf\xbd\xef\xbf\xbd" },
	{ "\xed\xa0\x80", 0, LINE, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
	{ "\xe2\x82\x1b", 0, LINE, "\xef\xbf\xbd^[" },
	{ "\xf8\x88\x80\x80\x80", 0, LINE,
	  "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
};

static void test_safe(void **state)
{
	const struct safe_row *row = *state;
	size_t len = row->len ? row->len : strlen(row->input);
	char *out = mime_safe_text(row->input, len, row->mode);
	assert_string_equal(out, row->expect);
	free(out);
}

struct width_row {
	const char *input;
	size_t width;
};

static const struct width_row width_rows[] = {
	{ "abc", 3 }, { "", 0 }, { "^[[31m", 6 }, { "<U+202E>", 8 },
	{ "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 6 },		/* CJK */
	{ "\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4", 6 },		/* Hangul syllables */
	{ "\xe1\x84\x92\xe1\x85\xa1\xe1\x86\xab", 2 },		/* conjoining jamo */
	{ "\xef\xbd\xb1", 1 },					/* halfwidth katakana */
	{ "\xef\xbc\xa1", 2 },					/* fullwidth A */
	{ "\xe3\x80\x80", 2 },					/* ideographic space */
	{ "\xf0\xa0\x80\x80", 2 },				/* CJK extension B */
	{ "\xf0\x9f\x98\x80", 2 },				/* emoji */
	{ "e\xcc\x81", 1 },					/* combining acute */
	{ "\xe0\xb8\x81\xe0\xb8\xb4", 1 },			/* Thai with vowel mark */
	{ "\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d", 4 },		/* Hebrew */
	{ "\xe2\x82\xac\xce\xa9", 2 },				/* euro, omega */
	{ "\xe2\x80\x8b", 0 },					/* zero width space */
	{ "\xef\xbf\xbd", 1 }, { "\xff", 1 }, { "\xe2\x82", 1 },
	{ "\t", 0 },
};

static void test_width(void **state)
{
	const struct width_row *row = *state;
	assert_int_equal(mime_display_width(row->input, strlen(row->input)), row->width);
}

static void test_safe_odd_calls(void **state)
{
	(void)state;
	char *out = mime_safe_text(NULL, 5, MIME_SAFE_TEXT);
	assert_string_equal(out, "");
	free(out);
	assert_int_equal(mime_display_width(NULL, 3), 0);
	/* only len bytes are read */
	out = mime_safe_text("ab\x1b", 2, MIME_SAFE_LINE);
	assert_string_equal(out, "ab");
	free(out);
	/* a CR at the end of the given length is not joined to what follows */
	out = mime_safe_text("a\r\n", 2, MIME_SAFE_TEXT);
	assert_string_equal(out, "a^M");
	free(out);
	/* no byte of the output is a control other than \n and \t */
	char all[256];
	for (int i = 0; i < 256; i++)
		all[i] = (char)i;
	out = mime_safe_text(all, sizeof all, MIME_SAFE_TEXT);
	for (const unsigned char *p = (const unsigned char *)out; *p != '\0'; p++)
		assert_true(*p >= 0x20 ? *p != 0x7f : *p == '\n' || *p == '\t');
	free(out);
}

int main(void)
{
	struct case_list list = { NULL, 0, 0 };
	for (size_t i = 0; i < COUNT(safe_rows); i++)
		case_add(&list, "safe", safe_rows[i].input, test_safe, &safe_rows[i]);
	for (size_t i = 0; i < COUNT(width_rows); i++)
		case_add(&list, "width", width_rows[i].input, test_width, &width_rows[i]);
	case_add(&list, "calls", "NULL, length, every byte", test_safe_odd_calls, NULL);
	return case_run(&list, "mime safe");
}
