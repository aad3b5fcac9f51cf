/* Unit tests for src/mime/html.c: built-in HTML to text, html_filter
 * commands and text/enriched. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "mime/message.h"

static char tmpdir[256];

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/rowan-html-XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	/* Temporary files of html_filter go here, so the tests can look. */
	return setenv("TMPDIR", tmpdir, 1);
}

static int teardown(void **state)
{
	(void)state;
	char *command = xasprintf("rm -rf '%s'", tmpdir);
	int rc = system(command);
	free(command);
	return rc == 0 ? 0 : -1;
}

static void check(const char *html, const char *want)
{
	size_t len;
	char *out = mime_html_to_text(html, strlen(html), &len);
	assert_string_equal(out, want);
	assert_int_equal(len, strlen(want));
	free(out);
}

static void test_paragraphs_and_breaks(void **state)
{
	(void)state;
	check("<html><body><p>First   paragraph\nwrapped.</p><p>Second<br>line two<br/>three</p>"
	      "</body></html>",
	      "First paragraph wrapped.\n\nSecond\nline two\nthree\n");
	check("<div>one</div><div>two</div><h1>Title</h1>text",
	      "one\ntwo\n\nTitle\n\ntext\n");
}

static void test_head_script_style_dropped(void **state)
{
	(void)state;
	check("<html><head><title>Hidden title</title><style>p { color: red; }</style>"
	      "<meta charset=utf-8></head><body><script>alert('x <b>')</script>"
	      "<p>Visible</p><SCRIPT type=\"text/javascript\">var a = '</p>';</SCRIPT>"
	      "<!-- a comment <p>not shown</p> --></body></html>",
	      "Visible\n");
	/* An unclosed script hides the rest, not what came before. */
	check("<p>before</p><script>never closed", "before\n");
}

static void test_lists(void **state)
{
	(void)state;
	check("<ul><li>apples</li><li> pears\n</li></ul><p>after</p>",
	      "* apples\n* pears\n\nafter\n");
	check("<ol><li>one<li>two</ol>", "1. one\n2. two\n");
	check("<ul><li>outer<ul><li>inner</li></ul></li></ul>", "* outer\n  * inner\n");
}

static void test_links(void **state)
{
	(void)state;
	check("<p>See <a href=\"https://example.org/x?a=1&amp;b=2\">the page</a> now.</p>",
	      "See the page <https://example.org/x?a=1&b=2> now.\n");
	/* The text already is the URL: not repeated. */
	check("<a href='https://example.org/'>https://example.org/</a>", "https://example.org/\n");
	check("<a href=\"mailto:ada@example.org\">ada@example.org</a>", "ada@example.org\n");
	/* Anchors and scripts are not worth showing. */
	check("<a href=\"#top\">top</a> <a href=\"javascript:void(0)\">js</a>", "top js\n");
	check("<a href=https://example.org/img><img src=x.png alt=Logo></a>",
	      "[Logo] <https://example.org/img>\n");
}

static void test_entities(void **state)
{
	(void)state;
	check("&lt;tag&gt; &amp; &quot;q&quot; &apos;a&apos; caf&eacute; &euro;5 &copy; &mdash;",
	      "<tag> & \"q\" 'a' caf\xc3\xa9 \xe2\x82\xac" "5 \xc2\xa9 \xe2\x80\x94\n");
	check("&#65;&#x42;&#X43; &#8364; &#x1F600;", "ABC \xe2\x82\xac \xf0\x9f\x98\x80\n");
	/* Windows-1252 meanings of &#128;..&#159;, bad numbers as U+FFFD. */
	check("&#150; &#0; &#xD800; &#1114112;",
	      "\xe2\x80\x93 \xef\xbf\xbd \xef\xbf\xbd \xef\xbf\xbd\n");
	/* Unknown entities and a bare ampersand stay as written. */
	check("&bogus; AT&T &amp", "&bogus; AT&T &\n");
	check("a&nbsp;&nbsp;b&shy;c", "a  bc\n");
}

static void test_whitespace_and_pre(void **state)
{
	(void)state;
	check("  lots \t of\n\n  space  ", "lots of space\n");
	check("<p>text</p><pre>  keep\n    this  </pre><p>after</p>",
	      "text\n\n  keep\n    this\n\nafter\n");
}

static void test_blockquote(void **state)
{
	(void)state;
	check("<p>Reply</p><blockquote><p>quoted line</p><p>second</p></blockquote>",
	      "Reply\n\n> quoted line\n\n> second\n");
}

static void test_broken_markup(void **state)
{
	(void)state;
	check("a < b and c<d", "a < b and c<d\n");
	check("<p class=\"unterminated>text", "<p class=\"unterminated>text\n");
	check("x <!doctype html> y <?xml ?> z", "x y z\n");
	check("", "");
	char *out = mime_html_to_text("a\0b", 3, NULL);
	assert_string_equal(out, "a b\n");
	free(out);
}

static void test_filter_stdin(void **state)
{
	(void)state;
	char *out;
	size_t len;
	const char *html = "<p>hello</p>";
	assert_int_equal(mime_html_filter_run("sed 's/<[^>]*>//g'", html, strlen(html), 1 << 20,
	                                      10000, &out, &len), 0);
	assert_string_equal(out, "hello");
	assert_int_equal(len, 5);
	free(out);
}

static void test_filter_file(void **state)
{
	(void)state;
	char *out;
	const char *html = "<p>from a file</p>";
	/* %s: a private temporary file, removed afterwards. */
	assert_int_equal(mime_html_filter_run("stat -c '%a ' %s | tr -d '\\n'; cat %s", html,
	                                      strlen(html), 1 << 20, 10000, &out, NULL), 0);
	assert_string_equal(out, "600 <p>from a file</p>");
	free(out);
	char *command = xasprintf("ls -A '%s' | wc -l", tmpdir);
	FILE *p = popen(command, "r");
	int files = -1;
	assert_int_equal(fscanf(p, "%d", &files), 1);
	pclose(p);
	free(command);
	assert_int_equal(files, 0);
}

static void test_filter_failures(void **state)
{
	(void)state;
	char *out = (char *)"unset";
	const char *html = "<p>x</p>";
	assert_int_equal(mime_html_filter_run("exit 3", html, strlen(html), 1024, 10000, &out,
	                                      NULL), -1);
	assert_null(out);
	assert_int_equal(mime_html_filter_run("/nonexistent/filter", html, strlen(html), 1024,
	                                      10000, &out, NULL), -1);
	/* Killed at the time limit, quickly. */
	time_t start = time(NULL);
	assert_int_equal(mime_html_filter_run("sleep 20", html, strlen(html), 1024, 300, &out,
	                                      NULL), -1);
	assert_true(time(NULL) - start < 10);
	/* Too much output. */
	assert_int_equal(mime_html_filter_run("yes", html, strlen(html), 4096, 10000, &out,
	                                      NULL), -1);
	/* A filter that does not read its input: no SIGPIPE for Rowan. */
	char *big = xmalloc(1 << 20);
	memset(big, 'a', 1 << 20);
	assert_int_equal(mime_html_filter_run("echo early", big, 1 << 20, 1024, 10000, &out,
	                                      NULL), 0);
	assert_string_equal(out, "early\n");
	free(out);
	free(big);
	assert_int_equal(mime_html_filter_run("", html, strlen(html), 1024, 1000, &out, NULL), -1);
}

static void test_filter_large_both_ways(void **state)
{
	(void)state;
	/* More than a pipe holds in each direction: no deadlock. */
	size_t n = 4 << 20;
	char *big = xmalloc(n);
	for (size_t i = 0; i < n; i++)
		big[i] = (char)('a' + i % 26);
	char *out;
	size_t len;
	assert_int_equal(mime_html_filter_run("cat", big, n, n, 30000, &out, &len), 0);
	assert_int_equal(len, n);
	assert_memory_equal(out, big, n);
	free(out);
	free(big);
}

static void test_enriched(void **state)
{
	(void)state;
	const char *in = "<bold>Bold</bold> and <<less than.\nSame paragraph.\n\nNew one."
	                 "<param>hidden</param>\n<nofill>keep\nlines</nofill>";
	char *out = mime_enriched_to_text(in, strlen(in), NULL);
	assert_string_equal(out, "Bold and <less than. Same paragraph.\nNew one. keep\nlines");
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paragraphs_and_breaks),
		cmocka_unit_test(test_head_script_style_dropped),
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_links),
		cmocka_unit_test(test_entities),
		cmocka_unit_test(test_whitespace_and_pre),
		cmocka_unit_test(test_blockquote),
		cmocka_unit_test(test_broken_markup),
		cmocka_unit_test(test_filter_stdin),
		cmocka_unit_test(test_filter_file),
		cmocka_unit_test(test_filter_failures),
		cmocka_unit_test(test_filter_large_both_ways),
		cmocka_unit_test(test_enriched),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
