/* Unit tests for src/mime/message.c: the part tree, ids, broken
 * structure and the limits against MIME bombs. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mime/message.h"

static struct mime_message *parse(const char *text)
{
	return mime_message_parse(text, strlen(text), NULL);
}

static char *body_of(const struct mime_part *p)
{
	return xstrndup(p->body, p->body_len);
}

static void assert_body(const struct mime_part *p, const char *want)
{
	char *b = body_of(p);
	assert_string_equal(b, want);
	free(b);
}

static void test_single_part(void **state)
{
	(void)state;
	struct mime_message *m = parse("From: a@example.org\nSubject: hi\n\nbody\n");
	const struct mime_part *root = mime_message_root(m);
	assert_string_equal(root->part_id, "1");
	assert_string_equal(root->type, "text/plain");
	assert_null(root->charset);
	assert_false(root->is_multipart);
	assert_false(root->is_attachment);
	assert_body(root, "body\n");
	size_t len;
	const char *h = mime_message_headers(m, &len);
	assert_int_equal(len, strlen("From: a@example.org\nSubject: hi\n"));
	assert_memory_equal(h, "From: a@example.org\n", 20);
	mime_message_free(&m);
	assert_null(m);
	mime_message_free(&m);
	mime_message_free(NULL);
}

static const char nested[] =
	"Content-Type: multipart/mixed; boundary=outer\n"
	"\n"
	"preamble is dropped\n"
	"--outer\n"
	"Content-Type: text/plain; charset=UTF-8\n"
	"\n"
	"first\n"
	"--outer\n"
	"Content-Type: multipart/alternative; boundary=\"inner\"\n"
	"\n"
	"--inner\n"
	"\n"
	"plain\n"
	"--inner\n"
	"Content-Type: text/html\n"
	"\n"
	"<p>html</p>\n"
	"--inner--\n"
	"--outer\n"
	"Content-Type: message/rfc822\n"
	"\n"
	"Subject: inner message\n"
	"Content-Type: multipart/mixed; boundary=deep\n"
	"\n"
	"--deep\n"
	"\n"
	"deep text\n"
	"--deep\n"
	"Content-Type: application/pdf; name=\"x.pdf\"\n"
	"Content-Transfer-Encoding: base64\n"
	"\n"
	"JVBERg==\n"
	"--deep--\n"
	"--outer\n"
	"Content-Type: message/rfc822\n"
	"\n"
	"Subject: single\n"
	"\n"
	"single body\n"
	"--outer--\n"
	"epilogue is dropped\n";

static void test_imap_part_ids(void **state)
{
	(void)state;
	struct mime_message *m = parse(nested);
	const struct mime_part *root = mime_message_root(m);
	assert_string_equal(root->part_id, "");
	assert_true(root->is_multipart);
	assert_false(root->close_missing);
	assert_int_equal(root->child_count, 4);
	const struct mime_part *first = root->children[0];
	assert_string_equal(first->part_id, "1");
	assert_string_equal(first->charset, "UTF-8");
	assert_body(first, "first");
	const struct mime_part *alt = root->children[1];
	assert_string_equal(alt->part_id, "2");
	assert_string_equal(alt->type, "multipart/alternative");
	assert_int_equal(alt->child_count, 2);
	assert_string_equal(alt->children[0]->part_id, "2.1");
	assert_string_equal(alt->children[0]->type, "text/plain");
	assert_body(alt->children[0], "plain");
	assert_string_equal(alt->children[1]->part_id, "2.2");
	assert_string_equal(alt->children[1]->type, "text/html");
	assert_int_equal(alt->children[1]->depth, 2);
	/* A message/rfc822 holding a multipart: the multipart shares the id. */
	const struct mime_part *fwd = root->children[2];
	assert_string_equal(fwd->part_id, "3");
	assert_true(fwd->is_message);
	assert_int_equal(fwd->child_count, 1);
	const struct mime_part *inner = fwd->children[0];
	assert_string_equal(inner->part_id, "3");
	assert_true(inner->is_multipart);
	assert_int_equal(inner->child_count, 2);
	assert_string_equal(inner->children[0]->part_id, "3.1");
	assert_string_equal(inner->children[1]->part_id, "3.2");
	assert_string_equal(inner->children[1]->filename, "x.pdf");
	assert_true(inner->children[1]->is_attachment);
	assert_int_equal(mime_part_decoded_size(inner->children[1]), 4);
	/* ... and a single-part message inside: X.1. */
	const struct mime_part *single = root->children[3]->children[0];
	assert_string_equal(single->part_id, "4.1");
	assert_body(single, "single body");
	assert_int_equal(mime_message_cut_by_depth(m), 0);
	assert_int_equal(mime_message_cut_by_count(m), 0);
	mime_message_free(&m);
}

static void test_digest_defaults_to_message(void **state)
{
	(void)state;
	struct mime_message *m = parse("Content-Type: multipart/digest; boundary=d\n\n"
	                               "--d\n\nSubject: one\n\nfirst\n"
	                               "--d\nContent-Type: text/plain\n\nnot a message\n"
	                               "--d--\n");
	const struct mime_part *root = mime_message_root(m);
	assert_int_equal(root->child_count, 2);
	assert_string_equal(root->children[0]->type, "message/rfc822");
	assert_true(root->children[0]->is_message);
	assert_string_equal(root->children[0]->children[0]->part_id, "1.1");
	assert_string_equal(root->children[1]->type, "text/plain");
	mime_message_free(&m);
}

static void test_missing_boundary_parameter(void **state)
{
	(void)state;
	struct mime_message *m = parse("Content-Type: multipart/mixed\n\n--x\n\ntext\n--x--\n");
	const struct mime_part *root = mime_message_root(m);
	assert_false(root->is_multipart);
	assert_true(root->boundary_missing);
	assert_string_equal(root->type, "text/plain");
	assert_string_equal(root->part_id, "1");
	assert_body(root, "--x\n\ntext\n--x--\n");
	mime_message_free(&m);
	/* A boundary that never appears: the same. */
	m = parse("Content-Type: multipart/mixed; boundary=nowhere\n\njust text\n");
	root = mime_message_root(m);
	assert_true(root->boundary_missing);
	assert_body(root, "just text\n");
	mime_message_free(&m);
}

static void test_missing_close_delimiter(void **state)
{
	(void)state;
	struct mime_message *m = parse("Content-Type: multipart/mixed; boundary=b\n\n"
	                               "--b\n\none\n--b\n\ntwo runs\nto the end\n");
	const struct mime_part *root = mime_message_root(m);
	assert_true(root->close_missing);
	assert_int_equal(root->child_count, 2);
	assert_body(root->children[1], "two runs\nto the end\n");
	mime_message_free(&m);
}

static void test_delimiters_are_strict(void **state)
{
	(void)state;
	/* "--bb" and "--b x" are not delimiters for "b"; "--b  " is. */
	struct mime_message *m = parse("Content-Type: multipart/mixed; boundary=b\n\n"
	                               "--b\r\n\r\none\r\n--bb\r\n--b x\r\n--b  \r\n\r\ntwo\r\n"
	                               "--b--  \r\n");
	const struct mime_part *root = mime_message_root(m);
	assert_int_equal(root->child_count, 2);
	assert_body(root->children[0], "one\r\n--bb\r\n--b x");
	assert_body(root->children[1], "two");
	mime_message_free(&m);
}

static void test_parameters_not_injected(void **state)
{
	(void)state;
	/* An encoded word that decodes to '"; name="evil' must not become a
	 * parameter: the header is parsed as written. */
	struct mime_message *m = parse(
		"Content-Type: application/octet-stream;\n"
		" x=\"=?UTF-8?Q?=22=3B_name=3D=22evil.exe?=\"\n"
		"Content-Disposition: attachment;\n"
		" filename*0*=UTF-8''%E2%82%AC%20rates;\n"
		" filename*1=\".txt\"\n"
		"\n"
		"data\n");
	const struct mime_part *root = mime_message_root(m);
	assert_string_equal(root->filename, "\xe2\x82\xac rates.txt");
	assert_null(mime_content_header_param(&root->content_type, "name"));
	assert_true(root->is_attachment);
	mime_message_free(&m);
	m = parse("Content-Type: text/plain\n"
	          "Content-Disposition: attachment; filename=\"=?UTF-8?Q?caf=C3=A9.txt?=\"\n\nx\n");
	assert_string_equal(mime_message_root(m)->filename, "caf\xc3\xa9.txt");
	mime_message_free(&m);
}

static void test_invalid_content_type(void **state)
{
	(void)state;
	static const char *const msgs[] = {
		"Content-Type: text\n\nx\n",
		"Content-Type: ;charset=utf-8\n\nx\n",
		"Content-Type: te xt/pl ain\n\nx\n",
		"Content-Type: /plain\n\nx\n",
	};
	for (size_t i = 0; i < sizeof msgs / sizeof msgs[0]; i++) {
		struct mime_message *m = parse(msgs[i]);
		assert_string_equal(mime_message_root(m)->type, "text/plain");
		mime_message_free(&m);
	}
	struct mime_message *m = parse("Content-Type: TEXT/HTML; Charset=\"ISO-8859-1\"\n\nx\n");
	assert_string_equal(mime_message_root(m)->type, "text/html");
	assert_string_equal(mime_message_root(m)->charset, "ISO-8859-1");
	mime_message_free(&m);
}

static void test_header_block_edges(void **state)
{
	(void)state;
	/* No empty line: the body starts at the first line that is not a field. */
	struct mime_message *m = parse("Subject: x\nthis is body text\nmore\n");
	assert_body(mime_message_root(m), "this is body text\nmore\n");
	mime_message_free(&m);
	/* A part without headers or blank line keeps its text. */
	m = parse("Content-Type: multipart/mixed; boundary=b\n\n--b\nhello there\n--b--\n");
	assert_body(mime_message_root(m)->children[0], "hello there");
	mime_message_free(&m);
	/* An mbox From_ line is skipped; folded fields are unfolded. */
	m = parse("From ada@example.org Mon Oct  5 09:00:00 2026\n"
	          "Content-Type: text/plain;\n\tcharset=utf-8\n\nbody\n");
	assert_string_equal(mime_message_root(m)->charset, "utf-8");
	assert_body(mime_message_root(m), "body\n");
	mime_message_free(&m);
	/* Nothing at all. */
	m = mime_message_parse(NULL, 0, NULL);
	assert_string_equal(mime_message_root(m)->part_id, "1");
	assert_int_equal(mime_message_root(m)->body_len, 0);
	mime_message_free(&m);
}

static void test_nul_bytes_kept(void **state)
{
	(void)state;
	static const char msg[] = "Content-Type: multipart/mixed; boundary=b\n\n"
	                          "--b\n\na\0b\n--b--\n";
	struct mime_message *m = mime_message_parse(msg, sizeof msg - 1, NULL);
	const struct mime_part *p = mime_message_root(m)->children[0];
	assert_int_equal(p->body_len, 3);
	assert_memory_equal(p->body, "a\0b", 3);
	mime_message_free(&m);
}

static void test_attachment_flags(void **state)
{
	(void)state;
	struct mime_message *m = parse(
		"Content-Type: multipart/mixed; boundary=b\n\n"
		"--b\nContent-Type: text/plain\nContent-Disposition: attachment\n\nx\n"
		"--b\nContent-Type: text/csv\nContent-Disposition: inline\n\nx\n"
		"--b\nContent-Type: image/png\n\nx\n"
		"--b\nContent-Type: text/plain\nContent-Disposition: weird\n\nx\n"
		"--b\nContent-Type: message/delivery-status\n\nx\n"
		"--b\nContent-Type: text/plain\nContent-ID: <abc@x>\n"
		"Content-Description: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\n\nx\n"
		"--b--\n");
	const struct mime_part *root = mime_message_root(m);
	assert_int_equal(root->child_count, 6);
	assert_true(root->children[0]->is_attachment);
	assert_false(root->children[1]->is_attachment);
	assert_true(root->children[2]->is_attachment);
	assert_true(root->children[3]->is_attachment);
	assert_false(root->children[4]->is_attachment);
	assert_string_equal(root->children[5]->content_id, "abc@x");
	assert_string_equal(root->children[5]->description, "Gr\xc3\xbc\xc3\x9f" "e");
	mime_message_free(&m);
}

static void test_encoded_rfc822(void **state)
{
	(void)state;
	/* Not allowed, but seen: a base64 message/rfc822. */
	struct mime_message *m = parse("Content-Type: message/rfc822\n"
	                               "Content-Transfer-Encoding: base64\n\n"
	                               "U3ViamVjdDogaW5uZXIKCmJvZHkK\n");
	const struct mime_part *root = mime_message_root(m);
	assert_int_equal(root->child_count, 1);
	assert_body(root->children[0], "body\n");
	mime_message_free(&m);
}

/* n nested multiparts with a text part in the innermost. */
static char *nested_message(unsigned n)
{
	struct buf b;
	buf_init(&b);
	buf_add_str(&b, "Subject: deep\nContent-Type: multipart/mixed; boundary=\"b1\"\n\n");
	for (unsigned i = 1; i < n; i++)
		buf_printf(&b, "--b%u\nContent-Type: multipart/mixed; boundary=\"b%u\"\n\n", i, i + 1);
	buf_printf(&b, "--b%u\n\ninnermost\n", n);
	for (unsigned i = n; i >= 1; i--)
		buf_printf(&b, "--b%u--\n", i);
	return buf_steal(&b);
}

static void test_depth_limit(void **state)
{
	(void)state;
	/* 100 levels of multipart: the innermost text is at depth 100, shown. */
	char *text = nested_message(100);
	struct mime_message *m = parse(text);
	assert_int_equal(mime_message_cut_by_depth(m), 0);
	mime_message_free(&m);
	free(text);
	/* 101: the text is at depth 101, cut. */
	text = nested_message(101);
	m = parse(text);
	assert_int_equal(mime_message_cut_by_depth(m), 1);
	const struct mime_part *p = mime_message_root(m);
	unsigned depth = 0;
	while (p->child_count > 0) {
		p = p->children[0];
		depth++;
	}
	assert_int_equal(depth, 100);
	assert_true(p->is_multipart);
	mime_message_free(&m);
	free(text);
}

static void test_deep_nesting_no_stack_overflow(void **state)
{
	(void)state;
	char *text = nested_message(20000);
	struct mime_message *m = parse(text);
	assert_int_equal(mime_message_cut_by_depth(m), 1);
	char *out = mime_render(m, NULL);
	assert_non_null(strstr(out, "[-- Cut: nesting deeper than 100 levels; 1 part not shown --]"));
	free(out);
	mime_message_free(&m);
	free(text);
	/* Even a caller asking for more is held to MIME_HARD_MAX_DEPTH. */
	text = nested_message(MIME_HARD_MAX_DEPTH + 500);
	struct mime_limits limits = {1000000, 0, 0};
	m = mime_message_parse(text, strlen(text), &limits);
	assert_int_equal(mime_message_limits(m)->max_depth, MIME_HARD_MAX_DEPTH);
	assert_int_equal(mime_message_cut_by_depth(m), 1);
	out = mime_render(m, NULL);
	assert_non_null(strstr(out, "[-- Cut: nesting deeper than 1000 levels; 1 part not shown --]"));
	free(out);
	mime_message_free(&m);
	free(text);
	/* Nested message/rfc822 counts too. */
	struct buf b;
	buf_init(&b);
	for (int i = 0; i < 300; i++)
		buf_add_str(&b, "Content-Type: message/rfc822\n\n");
	buf_add_str(&b, "Subject: bottom\n\ntext\n");
	m = mime_message_parse(b.data, b.len, NULL);
	assert_int_equal(mime_message_cut_by_depth(m), 1);
	mime_message_free(&m);
	buf_free(&b);
}

static void test_part_count_limit(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b);
	buf_add_str(&b, "Content-Type: multipart/mixed; boundary=p\n\n");
	for (int i = 1; i <= 10001; i++)
		buf_printf(&b, "--p\n\npart %d\n", i);
	buf_add_str(&b, "--p--\n");
	struct mime_message *m = mime_message_parse(b.data, b.len, NULL);
	assert_int_equal(mime_message_root(m)->child_count, 10000);
	assert_int_equal(mime_message_cut_by_count(m), 1);
	mime_message_free(&m);
	/* A smaller limit of the caller's. */
	struct mime_limits limits = {0, 10, 0};
	m = mime_message_parse(b.data, b.len, &limits);
	assert_int_equal(mime_message_root(m)->child_count, 10);
	assert_int_equal(mime_message_cut_by_count(m), 9991);
	mime_message_free(&m);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_single_part),
		cmocka_unit_test(test_imap_part_ids),
		cmocka_unit_test(test_digest_defaults_to_message),
		cmocka_unit_test(test_missing_boundary_parameter),
		cmocka_unit_test(test_missing_close_delimiter),
		cmocka_unit_test(test_delimiters_are_strict),
		cmocka_unit_test(test_parameters_not_injected),
		cmocka_unit_test(test_invalid_content_type),
		cmocka_unit_test(test_header_block_edges),
		cmocka_unit_test(test_nul_bytes_kept),
		cmocka_unit_test(test_attachment_flags),
		cmocka_unit_test(test_encoded_rfc822),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_deep_nesting_no_stack_overflow),
		cmocka_unit_test(test_part_count_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
