/* Unit tests for src/mime parameters: RFC 2045 values, RFC 2231
 * continuations and charsets, RFC 2047 words inside quoted values. */
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


struct pair {
	const char *name;
	const char *value;
};

struct param_row {
	const char *input;
	const char *fallback;
	const char *value;
	size_t count;
	struct pair params[3];	/* in order of first appearance */
};

static const struct param_row param_rows[] = {
	/* RFC 2045 */
	{ "text/plain; charset=us-ascii (Plain text)", NULL, "text/plain", 1,
	  { { "charset", "us-ascii" } } },
	{ "Text/HTML; Charset=\"UTF-8\"", NULL, "text/html", 1, { { "charset", "UTF-8" } } },
	{ "attachment; filename=\"a b.txt\"", NULL, "attachment", 1,
	  { { "filename", "a b.txt" } } },
	{ "multipart/mixed (mixed) ; boundary=\"=_b (1)\"", NULL, "multipart/mixed", 1,
	  { { "boundary", "=_b (1)" } } },
	{ "multipart/mixed; boundary=\"=?utf-8?q?x?=\"", NULL, "multipart/mixed", 1,
	  { { "boundary", "=?utf-8?q?x?=" } } },
	{ "text/plain; format=flowed; delsp=yes; charset=utf-8", NULL, "text/plain", 3,
	  { { "format", "flowed" }, { "delsp", "yes" }, { "charset", "utf-8" } } },
	{ "attachment;\r\n\tfilename=\"x.txt\"", NULL, "attachment", 1,
	  { { "filename", "x.txt" } } },
	{ "inline; filename=\"a\\\"b\\\\c\"", NULL, "inline", 1, { { "filename", "a\"b\\c" } } },
	/* RFC 2231 */
	{ "attachment; filename*=utf-8''%E2%82%AC%20rates.pdf", NULL, "attachment", 1,
	  { { "filename", "\xe2\x82\xac rates.pdf" } } },
	{ "attachment; filename*=iso-8859-1'de'Gr%FC%DF" "e.txt", NULL, "attachment", 1,
	  { { "filename", "Gr\xc3\xbc\xc3\x9f" "e.txt" } } },
	{ "message/external-body; access-type=URL; URL*0=\"ftp://\"; "
	  "URL*1=\"cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar\"", NULL,
	  "message/external-body", 2,
	  { { "access-type", "URL" },
	    { "url", "ftp://cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar" } } },
	{ "application/x-stuff; title*=us-ascii'en-us'This%20is%20%2A%2A%2Afun%2A%2A%2A", NULL,
	  "application/x-stuff", 1, { { "title", "This is ***fun***" } } },
	{ "attachment; filename*0=\"long\"; filename*1=\"name\"; filename*2=\".txt\"", NULL,
	  "attachment", 1, { { "filename", "longname.txt" } } },
	{ "attachment; filename*2=\".txt\"; filename*0=\"long\"; filename*1=name", NULL,
	  "attachment", 1, { { "filename", "longname.txt" } } },
	{ "attachment; filename*0*=utf-8''%E2%82; filename*1*=%AC; filename*2=.txt", NULL,
	  "attachment", 1, { { "filename", "\xe2\x82\xac.txt" } } },
	{ "attachment; filename*1*=%C3%A9; size=3; filename*0*=UTF-8'en'caf", NULL,
	  "attachment", 2, { { "filename", "caf\xc3\xa9" }, { "size", "3" } } },
	{ "attachment; FileName*0=a; FILENAME*1=b", NULL, "attachment", 1,
	  { { "filename", "ab" } } },
	{ "attachment; f*0=a; f*2=c", NULL, "attachment", 1, { { "f", "ac" } } },
	{ "attachment; f*0=a; f*0=b; f*1=c", NULL, "attachment", 1, { { "f", "ac" } } },
	{ "attachment; filename=\"fallback.txt\"; filename*=utf-8''real.txt", NULL,
	  "attachment", 1, { { "filename", "real.txt" } } },
	{ "attachment; filename*=utf-8''real.txt; filename=\"fallback.txt\"", NULL,
	  "attachment", 1, { { "filename", "real.txt" } } },
	{ "attachment; filename*=x-bogus''caf%C3%A9", NULL, "attachment", 1,
	  { { "filename", "caf\xc3\xa9" } } },
	{ "attachment; filename*=''caf%E9", "iso-8859-15", "attachment", 1,
	  { { "filename", "caf\xc3\xa9" } } },
	{ "attachment; filename*=plain.txt", NULL, "attachment", 1,
	  { { "filename", "plain.txt" } } },
	{ "attachment; filename*=\"utf-8''%C3%A9.txt\"", NULL, "attachment", 1,
	  { { "filename", "\xc3\xa9.txt" } } },
	{ "attachment; filename*=utf-8''100%25%zz%", NULL, "attachment", 1,
	  { { "filename", "100%%zz%" } } },
	/* file names come out exactly as sent; making them safe is not done here */
	{ "attachment; filename=\"../../etc/passwd\"", NULL, "attachment", 1,
	  { { "filename", "../../etc/passwd" } } },
	{ "attachment; filename*=utf-8''..%2F..%2F.bashrc", NULL, "attachment", 1,
	  { { "filename", "../../.bashrc" } } },
	{ "attachment; filename*=utf-8''a%0Ab%1B%5B0m%00c%7F", NULL, "attachment", 1,
	  { { "filename", "a\nb\x1b[0m\xef\xbf\xbd" "c\x7f" } } },
	{ "attachment; filename*=utf-8''%E2%80%AEfdp.exe", NULL, "attachment", 1,
	  { { "filename", "\xe2\x80\xae" "fdp.exe" } } },
	/* RFC 2047 inside quotes, and raw 8-bit */
	{ "attachment; filename=\"=?utf-8?B?w6l0w6kucGRm?=\"", NULL, "attachment", 1,
	  { { "filename", "\xc3\xa9t\xc3\xa9.pdf" } } },
	{ "attachment; filename=\"=?utf-8?q?a?= =?utf-8?q?b?=\"", NULL, "attachment", 1,
	  { { "filename", "ab" } } },
	{ "image/png; name==?iso-8859-1?q?caf=E9.png?=", NULL, "image/png", 1,
	  { { "name", "caf\xc3\xa9.png" } } },
	{ "attachment; filename=\"caf\xc3\xa9.txt\"", NULL, "attachment", 1,
	  { { "filename", "caf\xc3\xa9.txt" } } },
	{ "attachment; filename=\"caf\xe9.txt\"", NULL, "attachment", 1,
	  { { "filename", "caf\xc3\xa9.txt" } } },
	{ "attachment; filename=\"\xf3\xdf.txt\"", "koi8-r", "attachment", 1,
	  { { "filename", "\xd0\xa1\xd1\x8a.txt" } } },
	/* malformed parts are skipped, the rest kept */
	{ "text/plain; junk; charset=utf-8", NULL, "text/plain", 1, { { "charset", "utf-8" } } },
	{ "text/plain; =x; charset=utf-8", NULL, "text/plain", 1, { { "charset", "utf-8" } } },
	{ "text/plain; charset", NULL, "text/plain", 0, { { NULL, NULL } } },
	{ "text/plain; \"quoted;junk\"; a=1", NULL, "text/plain", 1, { { "a", "1" } } },
	{ "text/plain; f*x=1; f**=2; *=3; g=4", NULL, "text/plain", 1, { { "g", "4" } } },
	{ "text/plain; f*99999=1", NULL, "text/plain", 0, { { NULL, NULL } } },
	{ "text/plain charset=utf-8", NULL, "text/plain", 1, { { "charset", "utf-8" } } },
	{ "attachment; filename=\"open.txt", NULL, "attachment", 1,
	  { { "filename", "open.txt" } } },
	{ "text/plain; charset=a; charset=b", NULL, "text/plain", 1, { { "charset", "a" } } },
	{ "attachment; filename=my file (1).pdf", NULL, "attachment", 1,
	  { { "filename", "my file (1).pdf" } } },
	{ "attachment; filename=", NULL, "attachment", 1, { { "filename", "" } } },
	{ "; charset=x", NULL, "", 1, { { "charset", "x" } } },
	{ "", NULL, "", 0, { { NULL, NULL } } },
	{ "(only a comment)", NULL, "", 0, { { NULL, NULL } } },
};

static void test_param(void **state)
{
	const struct param_row *row = *state;
	struct mime_content_header h;
	mime_content_header_parse(row->input, strlen(row->input), row->fallback, &h);
	assert_string_equal(h.value, row->value);
	assert_int_equal(h.param_count, row->count);
	for (size_t i = 0; i < row->count && i < COUNT(row->params); i++) {
		assert_string_equal(h.params[i].name, row->params[i].name);
		assert_string_equal(h.params[i].value, row->params[i].value);
	}
	mime_content_header_clear(&h);
	assert_null(h.params);
	assert_null(h.value);
	assert_int_equal(h.param_count, 0);
}

static void test_lookup(void **state)
{
	(void)state;
	struct mime_content_header h;
	const char *v = "Multipart/Alternative; BOUNDARY=\"b1\"; charset=utf-8";
	mime_content_header_parse(v, strlen(v), NULL, &h);
	assert_string_equal(h.value, "multipart/alternative");
	assert_string_equal(mime_content_header_param(&h, "boundary"), "b1");
	assert_string_equal(mime_content_header_param(&h, "Boundary"), "b1");
	assert_null(mime_content_header_param(&h, "name"));
	assert_null(mime_content_header_param(&h, NULL));
	assert_null(mime_content_header_param(NULL, "boundary"));
	mime_content_header_clear(&h);
	mime_content_header_clear(&h);
	mime_content_header_clear(NULL);
	/* NULL input still fills out */
	mime_content_header_parse(NULL, 10, NULL, &h);
	assert_string_equal(h.value, "");
	assert_int_equal(h.param_count, 0);
	mime_content_header_clear(&h);
}

static void test_absurd_input(void **state)
{
	(void)state;
	/* many parameters, many sections, long names, unclosed things */
	struct buf b;
	buf_init(&b);
	buf_add_str(&b, "attachment");
	for (int i = 0; i < 20000; i++)
		buf_printf(&b, "; p%d=v; f*%d*=%%41", i, 19999 - i);
	struct mime_content_header h;
	mime_content_header_parse(b.data, b.len, NULL, &h);
	assert_string_equal(h.value, "attachment");
	assert_true(h.param_count > 0 && h.param_count <= 1024);
	mime_content_header_clear(&h);
	buf_reset(&b);
	buf_add_str(&b, "text/plain; ");
	for (int i = 0; i < 300000; i++)
		buf_add_str(&b, "a=\"(");
	mime_content_header_parse(b.data, b.len, NULL, &h);
	assert_string_equal(h.value, "text/plain");
	mime_content_header_clear(&h);
	buf_reset(&b);
	buf_add_str(&b, "text/plain; ");
	for (int i = 0; i < 1000; i++) {
		for (int j = 0; j < 1000; j++)
			buf_add_char(&b, 'n');
		buf_printf(&b, "%d=x;", i);
	}
	mime_content_header_parse(b.data, b.len, NULL, &h);
	assert_int_equal(h.param_count, 0);
	mime_content_header_clear(&h);
	buf_free(&b);
}

int main(void)
{
	struct case_list list = { NULL, 0, 0 };
	for (size_t i = 0; i < COUNT(param_rows); i++)
		case_add(&list, "param", param_rows[i].input, test_param, &param_rows[i]);
	case_add(&list, "lookup", "case-insensitive lookup, clear twice", test_lookup, NULL);
	case_add(&list, "absurd", "absurd inputs stay bounded", test_absurd_input, NULL);
	return case_run(&list, "mime param");
}
