/* Unit tests for src/mime/render.c: the pager text, byte for byte. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mime/message.h"

#define HEAD "From: Ada Lovelace <ada@example.org>\n" \
	"To: Bob <bob@example.org>, carol@example.org\n" \
	"Date: Mon, 5 Oct 2026 09:00:00 +0000\n" \
	"Subject: Test\n" \
	"Message-ID: <x@example.org>\n" \
	"MIME-Version: 1.0\n"
#define SHOWN "From: Ada Lovelace <ada@example.org>\n" \
	"To: Bob <bob@example.org>, carol@example.org\n" \
	"Date: Mon, 5 Oct 2026 09:00:00 +0000\n" \
	"Subject: Test\n"

static char *render_with(const char *msg, size_t len, const struct mime_render_options *o,
                         const struct mime_limits *limits)
{
	struct mime_message *m = mime_message_parse(msg, len, limits);
	char *out = mime_render(m, o);
	mime_message_free(&m);
	return out;
}

static void check_opts(const char *msg, const struct mime_render_options *o, const char *want)
{
	char *out = render_with(msg, strlen(msg), o, NULL);
	assert_string_equal(out, want);
	free(out);
}

static void check(const char *msg, const char *want)
{
	check_opts(msg, NULL, want);
}

static void test_plain(void **state)
{
	(void)state;
	check(HEAD "Content-Type: text/plain; charset=utf-8\n\nHello Bob,\n\nbye.\n\n\n",
	      SHOWN "\nHello Bob,\n\nbye.\n");
}

static void test_header_selection(void **state)
{
	(void)state;
	const char *msg = "Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\n"
	                  "X-Mailer: test\n"
	                  "from: Ada <ada@example.org>\n"
	                  "Date:   Mon, 5 Oct 2026\n 09:00:00 +0000  \n"
	                  "\nbody\n";
	/* Configured order, configured spelling, only those present. */
	check(msg, "From: Ada <ada@example.org>\n"
	           "Date: Mon, 5 Oct 2026 09:00:00 +0000\n"
	           "Subject: Gr\xc3\xbc\xc3\x9f" "e\n\nbody\n");
	struct mime_render_options o = {.headers = "subject x-mailer"};
	check_opts(msg, &o, "subject: Gr\xc3\xbc\xc3\x9f" "e\nx-mailer: test\n\nbody\n");
	/* Every header in message order, decoded. */
	struct mime_render_options all = {.all_headers = true};
	check_opts(msg, &all, "Subject: Gr\xc3\xbc\xc3\x9f" "e\n"
	                      "X-Mailer: test\n"
	                      "from: Ada <ada@example.org>\n"
	                      "Date: Mon, 5 Oct 2026 09:00:00 +0000\n\nbody\n");
}

static void test_header_control_characters(void **state)
{
	(void)state;
	check("Subject: =?UTF-8?Q?a=1B[31mred=0Aline?=\n\nx\n",
	      "Subject: a^[[31mred^Jline\n\nx\n");
}

static const char mixed[] =
	HEAD
	"Content-Type: multipart/mixed; boundary=\"b\"\n"
	"\n"
	"--b\n"
	"Content-Type: text/plain; charset=utf-8\n"
	"\n"
	"First part.\n"
	"--b\n"
	"Content-Type: text/csv; name=budget-2027.csv\n"
	"Content-Disposition: attachment; filename=budget-2027.csv\n"
	"\n"
	"a,b\n"
	"--b\n"
	"Content-Type: text/plain; charset=iso-8859-1\n"
	"Content-Disposition: inline; filename=\"notes.txt\"\n"
	"Content-Transfer-Encoding: quoted-printable\n"
	"\n"
	"Caf=E9 notes.\n"
	"--b\n"
	"Content-Type: application/pdf\n"
	"Content-Transfer-Encoding: base64\n"
	"\n"
	"JVBERi0xLjQK\n"
	"--b\n"
	"Content-Type: text/plain\n"
	"\n"
	"Last words.\n"
	"--b--\n";

static void test_mixed(void **state)
{
	(void)state;
	check(mixed, SHOWN "\n"
	             "First part.\n"
	             "\n"
	             "[-- 3: text/plain, notes.txt --]\n"
	             "Caf\xc3\xa9 notes.\n"
	             "\n"
	             "[-- 5: text/plain --]\n"
	             "Last words.\n"
	             "\n"
	             "[-- Attachments --]\n"
	             "2  budget-2027.csv  text/csv  3 bytes\n"
	             "4  (no name)  application/pdf  9 bytes\n");
	/* The attachment list is the same walk. */
	struct mime_message *m = mime_message_parse(mixed, strlen(mixed), NULL);
	size_t count;
	const struct mime_part **list = mime_attachment_list(m, NULL, &count);
	assert_int_equal(count, 2);
	assert_string_equal(list[0]->part_id, "2");
	assert_string_equal(list[1]->part_id, "4");
	free(list);
	mime_message_free(&m);
}

static const char alternative[] =
	HEAD
	"Content-Type: multipart/alternative; boundary=alt\n"
	"\n"
	"--alt\n"
	"Content-Type: text/html\n"
	"\n"
	"<p>The <b>HTML</b> version &amp; more.</p>\n"
	"--alt\n"
	"Content-Type: text/plain\n"
	"\n"
	"The plain version.\n"
	"--alt\n"
	"Content-Type: text/calendar\n"
	"\n"
	"BEGIN:VCALENDAR\n"
	"--alt--\n";

static void test_alternative_default_order(void **state)
{
	(void)state;
	/* text/plain first in the default order, wherever it is; the other
	 * text versions are not listed, the calendar is. */
	check(alternative, SHOWN "\nThe plain version.\n\n"
	                   "[-- Attachments --]\n"
	                   "3  (no name)  text/calendar  15 bytes\n");
}

static void test_alternative_order_option(void **state)
{
	(void)state;
	struct mime_render_options o = {.alternative_order = "text/html text/plain"};
	check_opts(alternative, &o, SHOWN "\nThe HTML version & more.\n\n"
	                                  "[-- Attachments --]\n"
	                                  "3  (no name)  text/calendar  15 bytes\n");
	/* Major types and nothing matching: the first part. */
	o.alternative_order = "text/*";
	check_opts(alternative, &o, SHOWN "\nThe HTML version & more.\n\n"
	                                  "[-- Attachments --]\n"
	                                  "3  (no name)  text/calendar  15 bytes\n");
	o.alternative_order = "image/png";
	check_opts(alternative, &o, SHOWN "\nThe HTML version & more.\n\n"
	                                  "[-- Attachments --]\n"
	                                  "3  (no name)  text/calendar  15 bytes\n");
}

static void test_alternative_with_related(void **state)
{
	(void)state;
	/* The related part counts as what its root is (text/html). */
	check(HEAD
	      "Content-Type: multipart/alternative; boundary=a\n\n"
	      "--a\nContent-Type: multipart/related; boundary=r; start=\"<root@x>\"\n\n"
	      "--r\nContent-Type: image/png\nContent-ID: <img@x>\n\nPNG\n"
	      "--r\nContent-Type: text/html\nContent-ID: <root@x>\n\n<p>related root</p>\n"
	      "--r--\n"
	      "--a\nContent-Type: application/rtf\n\n{\\rtf}\n"
	      "--a--\n",
	      SHOWN "\nrelated root\n\n"
	      "[-- Attachments --]\n"
	      "1.1  (no name)  image/png  3 bytes\n"
	      "2  (no name)  application/rtf  6 bytes\n");
}

static void test_signed(void **state)
{
	(void)state;
	check(HEAD
	      "Content-Type: multipart/signed; boundary=s; protocol=\"application/pgp-signature\"\n\n"
	      "--s\nContent-Type: text/plain\n\nSigned text.\n"
	      "--s\nContent-Type: application/pgp-signature; name=signature.asc\n\n"
	      "-----BEGIN PGP SIGNATURE-----\n"
	      "--s--\n",
	      SHOWN "\nSigned text.\n\n"
	      "[-- Attachments --]\n"
	      "2  signature.asc  application/pgp-signature  29 bytes\n");
}

static void test_digest_and_forwarded(void **state)
{
	(void)state;
	check(HEAD
	      "Content-Type: multipart/mixed; boundary=m\n\n"
	      "--m\n\nIntro.\n"
	      "--m\nContent-Type: multipart/digest; boundary=d\n\n"
	      "--d\n\nFrom: Carol <carol@example.org>\nSubject: first\n\nOne.\n"
	      "--d\n\nFrom: Dave <dave@example.org>\nSubject: second\n"
	      "Content-Type: multipart/mixed; boundary=i\n\n"
	      "--i\n\nTwo.\n--i\nContent-Type: image/gif; name=a.gif\n\nGIF89a\n--i--\n"
	      "--d--\n"
	      "--m\n\nOutro.\n"
	      "--m--\n",
	      SHOWN "\n"
	      "Intro.\n"
	      "\n"
	      "[-- Forwarded message (2.1) --]\n"
	      "From: Carol <carol@example.org>\n"
	      "Subject: first\n"
	      "\n"
	      "One.\n"
	      "[-- End of forwarded message --]\n"
	      "\n"
	      "[-- Forwarded message (2.2) --]\n"
	      "From: Dave <dave@example.org>\n"
	      "Subject: second\n"
	      "\n"
	      "Two.\n"
	      "[-- End of forwarded message --]\n"
	      "\n"
	      "[-- 3: text/plain --]\n"
	      "Outro.\n"
	      "\n"
	      "[-- Attachments --]\n"
	      "2.2.2  a.gif  image/gif  6 bytes\n");
}

static void test_forwarded_attachment_listed(void **state)
{
	(void)state;
	check(HEAD
	      "Content-Type: multipart/mixed; boundary=m\n\n"
	      "--m\n\nSee attached.\n"
	      "--m\nContent-Type: message/rfc822\nContent-Disposition: attachment\n\n"
	      "Subject: old\n\nold text\n"
	      "--m--\n",
	      SHOWN "\nSee attached.\n\n"
	      "[-- Attachments --]\n"
	      "2  (no name)  message/rfc822  22 bytes\n");
}

static void test_html_only_builtin(void **state)
{
	(void)state;
	check(HEAD "Content-Type: text/html; charset=utf-8\n\n"
	      "<html><head><style>body{}</style><script>evil()</script></head>"
	      "<body><p>Hello&nbsp;<a href=\"https://example.org/\">there</a>!</p>"
	      "<ul><li>one</li><li>two</li></ul></body></html>\n",
	      SHOWN "\nHello there <https://example.org/>!\n\n* one\n* two\n");
}

static void test_html_filter(void **state)
{
	(void)state;
	const char *msg = HEAD "Content-Type: text/html\n\n<p>filtered</p>\n";
	struct mime_render_options o = {.html_filter = "sed 's/<[^>]*>//g; s/^/F: /'"};
	check_opts(msg, &o, SHOWN "\nF: filtered\n");
	o.html_filter = "sed 's/<[^>]*>//g; s/^/file: /' %s";
	check_opts(msg, &o, SHOWN "\nfile: filtered\n");
	/* A failing filter: the built-in conversion instead. */
	o.html_filter = "echo partial; exit 1";
	check_opts(msg, &o, SHOWN "\nfiltered\n");
	o.html_filter = "/nonexistent/w3m -dump";
	check_opts(msg, &o, SHOWN "\nfiltered\n");
}

static void test_enriched(void **state)
{
	(void)state;
	check(HEAD "Content-Type: text/enriched\n\n<bold>Rich</bold>\ntext.\n",
	      SHOWN "\nRich text.\n");
}

static void test_flowed_rendered(void **state)
{
	(void)state;
	check(HEAD "Content-Type: text/plain; format=flowed\n\n"
	      "A long \nparagraph.\n> quoted \n> too\n",
	      SHOWN "\nA long paragraph.\n> quoted too\n");
}

static void test_missing_boundary_shows_text(void **state)
{
	(void)state;
	check(HEAD "Content-Type: multipart/mixed\n\n--x\n\nnothing lost\n--x--\n",
	      SHOWN "\n--x\n\nnothing lost\n--x--\n");
}

static void test_nul_and_controls_in_body(void **state)
{
	(void)state;
	static const char msg[] = "Subject: x\n\na\0b \x1b[2J\x07 c\r\nd\re\n";
	char *out = render_with(msg, sizeof msg - 1, NULL, NULL);
	assert_string_equal(out, "Subject: x\n\na\xef\xbf\xbd" "b ^[[2J^G c\nd^Me\n");
	free(out);
}

static void test_limits_noted(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b);
	buf_add_str(&b, "Subject: many\nContent-Type: multipart/mixed; boundary=p\n\n");
	for (int i = 1; i <= 4; i++)
		buf_printf(&b, "--p\n\npart %d\n", i);
	buf_add_str(&b, "--p--\n");
	struct mime_limits limits = {0, 2, 0};
	char *out = render_with(b.data, b.len, NULL, &limits);
	assert_string_equal(out, "Subject: many\n\npart 1\n\n[-- 2: text/plain --]\npart 2\n\n"
	                         "[-- Cut: more than 2 parts; 2 parts not shown --]\n");
	free(out);
	buf_free(&b);

	const char *deep = "Subject: deep\nContent-Type: multipart/mixed; boundary=a\n\n"
	                   "--a\n\ntop\n"
	                   "--a\nContent-Type: multipart/mixed; boundary=b\n\n"
	                   "--b\n\ntoo deep\n--b\nContent-Type: image/png\n\nx\n--b--\n"
	                   "--a\nContent-Type: image/png\n\nx\n"
	                   "--a--\n";
	struct mime_limits shallow = {1, 0, 0};
	out = render_with(deep, strlen(deep), NULL, &shallow);
	assert_string_equal(out, "Subject: deep\n\ntop\n\n"
	                         "[-- Attachments --]\n"
	                         "3  (no name)  image/png  1 byte\n"
	                         "[-- Cut: nesting deeper than 1 levels; 2 parts not shown --]\n");
	free(out);

	const char *big = "Subject: big\n\n0123456789abcdefghij\n";
	struct mime_limits small = {0, 0, 10};
	out = render_with(big, strlen(big), NULL, &small);
	assert_string_equal(out, "Subject: big\n\n0123456789\n\n"
	                         "[-- Cut: part 1 is larger than 10 bytes; the rest is not shown --]\n");
	free(out);
}

static void test_default_limits_noted(void **state)
{
	(void)state;
	/* 10,001 parts below the top-level one: the last is cut. */
	struct buf b;
	buf_init(&b);
	buf_add_str(&b, "Subject: many\nContent-Type: multipart/mixed; boundary=p\n\n");
	for (int i = 1; i <= 10001; i++)
		buf_printf(&b, "--p\nContent-Type: image/gif\n\n%d\n", i);
	buf_add_str(&b, "--p--\n");
	char *out = render_with(b.data, b.len, NULL, NULL);
	const char *tail = "10000  (no name)  image/gif  5 bytes\n"
	                   "[-- Cut: more than 10000 parts; 1 part not shown --]\n";
	size_t n = strlen(out);
	assert_true(n > strlen(tail));
	assert_string_equal(out + n - strlen(tail), tail);
	assert_null(strstr(out, "10001  "));
	free(out);
	buf_free(&b);

	/* Nesting 101 deep: the innermost part is cut. */
	buf_init(&b);
	buf_add_str(&b, "Subject: deep\nContent-Type: multipart/mixed; boundary=\"b1\"\n\n"
	                "--b1\n\nshown\n");
	for (int i = 1; i < 101; i++)
		buf_printf(&b, "--b%d\nContent-Type: multipart/mixed; boundary=\"b%d\"\n\n", i, i + 1);
	buf_add_str(&b, "--b101\n\nnot shown\n");
	out = render_with(b.data, b.len, NULL, NULL);
	assert_string_equal(out, "Subject: deep\n\nshown\n\n"
	                         "[-- Cut: nesting deeper than 100 levels; 1 part not shown --]\n");
	free(out);
	buf_free(&b);

	/* A part larger than max_part_bytes: what fits is shown. */
	buf_init(&b);
	buf_add_str(&b, "Subject: big\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\n");
	for (int i = 0; i < 1000; i++)
		buf_add_str(&b, "eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4\n");
	struct mime_limits limits = {0, 0, 1024};
	out = render_with(b.data, b.len, NULL, &limits);
	n = strlen(out);
	tail = "xxxx\n\n[-- Cut: part 1 is larger than 1.0 KiB; the rest is not shown --]\n";
	assert_string_equal(out + n - strlen(tail), tail);
	assert_int_equal(n, strlen("Subject: big\n\n") + 1024 + strlen(tail) - 4);
	free(out);
	buf_free(&b);
}

static void test_ends_with_one_newline(void **state)
{
	(void)state;
	check("", "\n");
	check("Subject: only\n", "Subject: only\n");
	check("Subject: empty body\n\n\n\n", "Subject: empty body\n");
	check("\nno headers\n", "no headers\n");
	check("Subject: x\nContent-Type: image/png\n\nPNG",
	      "Subject: x\n\n[-- Attachments --]\n1  (no name)  image/png  3 bytes\n");
}

static void test_size_format(void **state)
{
	(void)state;
	static const struct {
		size_t bytes;
		const char *text;
	} cases[] = {
		{0, "0 bytes"}, {1, "1 byte"}, {1023, "1023 bytes"}, {1024, "1.0 KiB"},
		{1229, "1.2 KiB"}, {1048575, "1.0 MiB"}, {(size_t)64 << 20, "64.0 MiB"},
		{(size_t)5 << 30, "5.0 GiB"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *s = mime_size_format(cases[i].bytes);
		assert_string_equal(s, cases[i].text);
		free(s);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_header_selection),
		cmocka_unit_test(test_header_control_characters),
		cmocka_unit_test(test_mixed),
		cmocka_unit_test(test_alternative_default_order),
		cmocka_unit_test(test_alternative_order_option),
		cmocka_unit_test(test_alternative_with_related),
		cmocka_unit_test(test_signed),
		cmocka_unit_test(test_digest_and_forwarded),
		cmocka_unit_test(test_forwarded_attachment_listed),
		cmocka_unit_test(test_html_only_builtin),
		cmocka_unit_test(test_html_filter),
		cmocka_unit_test(test_enriched),
		cmocka_unit_test(test_flowed_rendered),
		cmocka_unit_test(test_missing_boundary_shows_text),
		cmocka_unit_test(test_nul_and_controls_in_body),
		cmocka_unit_test(test_limits_noted),
		cmocka_unit_test(test_default_limits_noted),
		cmocka_unit_test(test_ends_with_one_newline),
		cmocka_unit_test(test_size_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
