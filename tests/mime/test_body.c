/* Unit tests for src/mime/body.c: transfer decodings and part text. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mime/message.h"

static void check_b64(const char *in, const char *want, size_t want_len, unsigned want_flags)
{
	size_t len;
	unsigned flags;
	char *out = mime_base64_decode(in, strlen(in), SIZE_MAX, &len, &flags);
	assert_int_equal(len, want_len);
	assert_memory_equal(out, want, want_len);
	assert_int_equal(out[len], '\0');
	assert_int_equal(flags, want_flags);
	free(out);
}

static void check_qp(const char *in, const char *want, unsigned want_flags)
{
	size_t len;
	unsigned flags;
	char *out = mime_qp_decode(in, strlen(in), SIZE_MAX, &len, &flags);
	assert_int_equal(len, strlen(want));
	assert_string_equal(out, want);
	assert_int_equal(flags, want_flags);
	free(out);
}

static void test_base64_plain(void **state)
{
	(void)state;
	check_b64("SGVsbG8sIHdvcmxkIQ==", "Hello, world!", 13, 0);
	check_b64("", "", 0, 0);
	check_b64("YQ==", "a", 1, 0);
	check_b64("YWI=", "ab", 2, 0);
	check_b64("YWJj", "abc", 3, 0);
}

static void test_base64_line_breaks_and_blanks(void **state)
{
	(void)state;
	check_b64("SGVs\r\nbG8s\n IHdv \tcmxk\r\nIQ==\r\n", "Hello, world!", 13, 0);
}

static void test_base64_missing_padding(void **state)
{
	(void)state;
	check_b64("SGVsbG8sIHdvcmxkIQ", "Hello, world!", 13, 0);
	check_b64("YWI", "ab", 2, 0);
}

static void test_base64_bad_characters_skipped(void **state)
{
	(void)state;
	/* '*', '!' and '.' are not base64: skipped, reported as damage. */
	check_b64("SGV*sbG8!sIHdvcmxk.IQ==", "Hello, world!", 13, MIME_DECODE_DAMAGED);
	/* A lone final character cannot make a byte. */
	check_b64("YWJjZ", "abc", 3, MIME_DECODE_DAMAGED);
}

static void test_base64_concatenated(void **state)
{
	(void)state;
	/* Two encodings glued together: padding in the middle. */
	check_b64("YQ==YmM=", "abc", 3, 0);
	check_b64("YQ====", "a", 1, 0);
}

static void test_base64_binary_and_nul(void **state)
{
	(void)state;
	check_b64("AP8Afw==", "\0\xff\0\x7f", 4, 0);
}

static void test_base64_max(void **state)
{
	(void)state;
	size_t len;
	unsigned flags;
	char *out = mime_base64_decode("SGVsbG8sIHdvcmxkIQ==", 20, 5, &len, &flags);
	assert_int_equal(len, 5);
	assert_string_equal(out, "Hello");
	assert_true(flags & MIME_DECODE_TRUNCATED);
	free(out);
}

static void test_qp_plain(void **state)
{
	(void)state;
	check_qp("caf=C3=A9 =3D equal", "caf\xc3\xa9 = equal", 0);
	check_qp("lower =c3=a9 case", "lower \xc3\xa9 case", 0);
	check_qp("", "", 0);
}

static void test_qp_soft_breaks(void **state)
{
	(void)state;
	check_qp("a long=\nline", "a longline", 0);
	check_qp("a long=\r\nline", "a longline", 0);
	/* Blanks after the '=' (added in transport) still make a soft break. */
	check_qp("a long= \t\r\nline", "a longline", 0);
	check_qp("ends with=", "ends with", 0);
}

static void test_qp_bad_escapes_kept(void **state)
{
	(void)state;
	check_qp("50=ZZ off", "50=ZZ off", MIME_DECODE_DAMAGED);
	check_qp("x=4", "x=4", MIME_DECODE_DAMAGED);
	check_qp("a = b", "a = b", MIME_DECODE_DAMAGED);
}

static void test_qp_trailing_blanks_dropped(void **state)
{
	(void)state;
	check_qp("padded   \nnext\t \r\nlast  ", "padded\nnext\r\nlast", 0);
	check_qp("kept=20\n", "kept \n", 0);
	check_qp("in  the middle", "in  the middle", 0);
}

static void test_qp_max(void **state)
{
	(void)state;
	size_t len;
	unsigned flags;
	char *out = mime_qp_decode("abc=3Ddef", 9, 4, &len, &flags);
	assert_int_equal(len, 4);
	assert_string_equal(out, "abc=");
	assert_true(flags & MIME_DECODE_TRUNCATED);
	free(out);
}

static struct mime_message *parse(const char *text)
{
	return mime_message_parse(text, strlen(text), NULL);
}

static void test_part_decode_encodings(void **state)
{
	(void)state;
	static const char *const msgs[] = {
		"Content-Transfer-Encoding: base64\n\naGkK\n",
		"Content-Transfer-Encoding: Quoted-Printable\n\nh=69\n",
		"Content-Transfer-Encoding: 8bit\n\nhi\n",
		"Content-Transfer-Encoding: binary\n\nhi\n",
		"Content-Transfer-Encoding: 7bit (comment)\n\nhi\n",
		"Content-Transfer-Encoding: x-unknown\n\nhi\n",
	};
	static const enum mime_encoding encs[] = {
		MIME_ENCODING_BASE64, MIME_ENCODING_QUOTED_PRINTABLE, MIME_ENCODING_8BIT,
		MIME_ENCODING_BINARY, MIME_ENCODING_7BIT, MIME_ENCODING_OTHER,
	};
	for (size_t i = 0; i < sizeof msgs / sizeof msgs[0]; i++) {
		struct mime_message *m = parse(msgs[i]);
		const struct mime_part *p = mime_message_root(m);
		assert_int_equal(p->encoding, encs[i]);
		size_t len;
		char *out = mime_part_decode(p, SIZE_MAX, &len, NULL);
		assert_string_equal(out, "hi\n");
		assert_int_equal(len, 3);
		free(out);
		mime_message_free(&m);
	}
}

static void test_decoded_size(void **state)
{
	(void)state;
	struct mime_message *m = parse("Content-Transfer-Encoding: base64\n\n"
	                               "SGVsbG8sIHdvcmxkIQ==\n");
	assert_int_equal(mime_part_decoded_size(mime_message_root(m)), 13);
	mime_message_free(&m);
	m = parse("Content-Transfer-Encoding: quoted-printable\n\nab=3D=\ncd\n");
	assert_int_equal(mime_part_decoded_size(mime_message_root(m)), 6);
	mime_message_free(&m);
	m = parse("\nplain\n");
	assert_int_equal(mime_part_decoded_size(mime_message_root(m)), 6);
	mime_message_free(&m);
}

static void check_text(const char *msg, const char *fallback, const char *want)
{
	struct mime_message *m = parse(msg);
	size_t len;
	char *text = mime_part_text(mime_message_root(m), fallback, &len, NULL);
	assert_string_equal(text, want);
	assert_int_equal(len, strlen(want));
	free(text);
	mime_message_free(&m);
}

static void test_text_charsets(void **state)
{
	(void)state;
	check_text("Content-Type: text/plain; charset=iso-8859-1\n"
	           "Content-Transfer-Encoding: quoted-printable\n\n"
	           "Gr=FC=DFe\n", NULL, "Gr\xc3\xbc\xc3\x9f" "e\n");
	check_text("Content-Type: text/plain; charset=utf-8\n"
	           "Content-Transfer-Encoding: base64\n\n"
	           "4oKsIDUK\n", NULL, "\xe2\x82\xac 5\n");
	/* No charset: valid UTF-8 stays UTF-8, else the fallback. */
	check_text("\ncaf\xc3\xa9\n", NULL, "caf\xc3\xa9\n");
	check_text("\ncaf\xe9\n", "iso-8859-1", "caf\xc3\xa9\n");
}

static void test_text_wrong_charset_replaced(void **state)
{
	(void)state;
	/* Declared UTF-8 but is not: bad bytes become U+FFFD, nothing is lost. */
	check_text("Content-Type: text/plain; charset=utf-8\n\nab\xff" "cd\n", NULL,
	           "ab\xef\xbf\xbd" "cd\n");
}

static void test_text_nul_bytes(void **state)
{
	(void)state;
	static const char msg[] = "Content-Type: text/plain; charset=us-ascii\n\na\0b\n";
	struct mime_message *m = mime_message_parse(msg, sizeof msg - 1, NULL);
	size_t len;
	char *text = mime_part_text(mime_message_root(m), NULL, &len, NULL);
	assert_string_equal(text, "a\xef\xbf\xbd" "b\n");
	free(text);
	mime_message_free(&m);
}

static void test_text_crlf(void **state)
{
	(void)state;
	check_text("Subject: x\r\n\r\nline one\r\nline two\r\n", NULL, "line one\nline two\n");
}

static void test_text_size_limit(void **state)
{
	(void)state;
	const char *msg = "\n0123456789abcdef\n";
	struct mime_limits limits = {0, 0, 10};
	struct mime_message *m = mime_message_parse(msg, strlen(msg), &limits);
	size_t len;
	unsigned flags;
	char *text = mime_part_text(mime_message_root(m), NULL, &len, &flags);
	assert_string_equal(text, "0123456789");
	assert_true(flags & MIME_DECODE_TRUNCATED);
	free(text);
	mime_message_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base64_plain),
		cmocka_unit_test(test_base64_line_breaks_and_blanks),
		cmocka_unit_test(test_base64_missing_padding),
		cmocka_unit_test(test_base64_bad_characters_skipped),
		cmocka_unit_test(test_base64_concatenated),
		cmocka_unit_test(test_base64_binary_and_nul),
		cmocka_unit_test(test_base64_max),
		cmocka_unit_test(test_qp_plain),
		cmocka_unit_test(test_qp_soft_breaks),
		cmocka_unit_test(test_qp_bad_escapes_kept),
		cmocka_unit_test(test_qp_trailing_blanks_dropped),
		cmocka_unit_test(test_qp_max),
		cmocka_unit_test(test_part_decode_encodings),
		cmocka_unit_test(test_decoded_size),
		cmocka_unit_test(test_text_charsets),
		cmocka_unit_test(test_text_wrong_charset_replaced),
		cmocka_unit_test(test_text_nul_bytes),
		cmocka_unit_test(test_text_crlf),
		cmocka_unit_test(test_text_size_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
