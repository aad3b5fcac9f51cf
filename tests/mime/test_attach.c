/* Unit tests for src/mime/attach.c: file names and saving. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "mime/message.h"

static char tmpdir[256];

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/rowan-attach-XXXXXX");
	return mkdtemp(tmpdir) != NULL ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char *command = xasprintf("rm -rf '%s'", tmpdir);
	int rc = system(command);
	free(command);
	return rc == 0 ? 0 : -1;
}

static void check(const char *in, const char *want)
{
	char *out = mime_filename_sanitize(in);
	assert_string_equal(out, want);
	free(out);
}

static void test_sanitize_paths(void **state)
{
	(void)state;
	check("report.pdf", "report.pdf");
	/* Only the last component of a path is kept. */
	check("../../etc/passwd", "passwd");
	check("/etc/passwd", "passwd");
	check("C:\\Users\\ada\\report.doc", "report.doc");
	check("a/../.profile", "profile");
	check("folder/", "attachment");
	check("a..b...c", "a.b.c");
	check("..", "attachment");
	check(".", "attachment");
}

static void test_sanitize_leading_dots_and_dashes(void **state)
{
	(void)state;
	check(".bashrc", "bashrc");
	check("-rf", "rf");
	check("--help.txt", "help.txt");
	check(" . -x", "x");
	check("trailing. ", "trailing");
}

static void test_sanitize_control_characters(void **state)
{
	(void)state;
	check("evil\x1b[31mred.txt", "evil_[31mred.txt");
	check("two\nlines\r.txt", "two_lines_.txt");
	check("tab\tbell\a", "tab_bell_");
	check("del\x7f", "del_");
	/* C1 controls, bidi overrides and invisible characters. */
	check("a\xc2\x85" "b", "a_b");
	check("invoice\xe2\x80\xae" "fdp.exe", "invoice_fdp.exe");
	check("zero\xe2\x80\x8bwidth", "zero_width");
	/* Invalid UTF-8 bytes. */
	check("bad\xff\xfe.txt", "bad__.txt");
	/* Other Unicode is fine. */
	check("Gr\xc3\xbc\xc3\x9f" "e \xe2\x82\xac.txt", "Gr\xc3\xbc\xc3\x9f" "e \xe2\x82\xac.txt");
}

static void test_sanitize_empty(void **state)
{
	(void)state;
	check(NULL, "attachment");
	check("", "attachment");
	check("   ", "attachment");
	check("...---", "attachment");
}

static void test_sanitize_long(void **state)
{
	(void)state;
	char name[600];
	memset(name, 'x', 500);
	strcpy(name + 500, ".pdf");
	char *out = mime_filename_sanitize(name);
	assert_int_equal(strlen(out), 200);
	assert_string_equal(out + 196, ".pdf");
	free(out);
	/* Multi-byte characters are not cut in the middle. */
	struct buf b;
	buf_init(&b);
	for (int i = 0; i < 150; i++)
		buf_add_str(&b, "\xe2\x82\xac");
	out = mime_filename_sanitize(b.data);
	assert_int_equal(strlen(out), 198);
	assert_true(mime_utf8_valid(out, strlen(out)));
	free(out);
	buf_free(&b);
	/* A long extension is not kept as one. */
	memset(name, 'y', 300);
	strcpy(name + 300, ".an-extension-far-too-long");
	out = mime_filename_sanitize(name);
	assert_int_equal(strlen(out), 200);
	assert_int_equal(out[199], 'y');
	free(out);
}

static const char message[] =
	"Content-Type: multipart/mixed; boundary=b\n\n"
	"--b\n\nText.\n"
	"--b\nContent-Type: application/octet-stream; name=\"data.bin\"\n"
	"Content-Transfer-Encoding: base64\n\n"
	"AAEC/w==\n"
	"--b--\n";

static void test_save_writes_decoded(void **state)
{
	(void)state;
	struct mime_message *m = mime_message_parse(message, sizeof message - 1, NULL);
	const struct mime_part *p = mime_message_root(m)->children[1];
	char *path = path_join(tmpdir, "data.bin");
	struct rowan_err err;
	assert_int_equal(mime_part_save(p, path, &err), 0);
	size_t len;
	char *data = file_read_all(path, 100, &len, &err);
	assert_int_equal(len, 4);
	assert_memory_equal(data, "\x00\x01\x02\xff", 4);
	free(data);
	/* Never overwritten: EEXIST, distinct from other errors. */
	FILE *f = fopen(path, "w");
	fputs("mine", f);
	fclose(f);
	errno = 0;
	assert_int_equal(mime_part_save(p, path, &err), -1);
	assert_int_equal(errno, EEXIST);
	assert_int_equal(err.err_class, ROWAN_ERR_IO);
	data = file_read_all(path, 100, &len, NULL);
	assert_string_equal(data, "mine");
	free(data);
	free(path);
	/* A folder that does not exist: another error. */
	path = path_join(tmpdir, "missing/data.bin");
	errno = 0;
	assert_int_equal(mime_part_save(p, path, &err), -1);
	assert_int_equal(errno, ENOENT);
	free(path);
	mime_message_free(&m);
}

static void test_save_no_symlink_follow(void **state)
{
	(void)state;
	struct mime_message *m = mime_message_parse(message, sizeof message - 1, NULL);
	const struct mime_part *p = mime_message_root(m)->children[1];
	char *target = path_join(tmpdir, "target");
	char *link = path_join(tmpdir, "link");
	assert_int_equal(symlink(target, link), 0);
	errno = 0;
	assert_int_equal(mime_part_save(p, link, NULL), -1);
	assert_int_equal(errno, EEXIST);
	struct stat st;
	assert_int_equal(stat(target, &st), -1);
	free(target);
	free(link);
	mime_message_free(&m);
}

static void test_attachment_list_alternatives(void **state)
{
	(void)state;
	const char *msg = "Content-Type: multipart/mixed; boundary=m\n\n"
	                  "--m\nContent-Type: multipart/alternative; boundary=a\n\n"
	                  "--a\nContent-Type: text/plain\n\nplain\n"
	                  "--a\nContent-Type: text/html\n\n<p>html</p>\n"
	                  "--a--\n"
	                  "--m\nContent-Type: image/png; name=dot.png\n\nPNG\n"
	                  "--m--\n";
	struct mime_message *m = mime_message_parse(msg, strlen(msg), NULL);
	size_t count;
	const struct mime_part **list = mime_attachment_list(m, NULL, &count);
	assert_int_equal(count, 1);
	assert_string_equal(list[0]->filename, "dot.png");
	assert_string_equal(list[0]->part_id, "2");
	free(list);
	list = mime_attachment_list(m, &(struct mime_render_options){.alternative_order = "text/html"},
	                            &count);
	assert_int_equal(count, 1);
	free(list);
	mime_message_free(&m);
	m = mime_message_parse("\nplain\n", 7, NULL);
	assert_null(mime_attachment_list(m, NULL, &count));
	assert_int_equal(count, 0);
	mime_message_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sanitize_paths),
		cmocka_unit_test(test_sanitize_leading_dots_and_dashes),
		cmocka_unit_test(test_sanitize_control_characters),
		cmocka_unit_test(test_sanitize_empty),
		cmocka_unit_test(test_sanitize_long),
		cmocka_unit_test(test_save_writes_decoded),
		cmocka_unit_test(test_save_no_symlink_follow),
		cmocka_unit_test(test_attachment_list_alternatives),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
