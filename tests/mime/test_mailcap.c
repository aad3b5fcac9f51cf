/* Unit tests for src/mime/mailcap.c: RFC 1524 parsing, lookup, command
 * lines and running viewers without ever running text from a message. */
#include "config.h"

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
static char *viewdir;	/* $TMPDIR for the viewers' temporary files */

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/rowan-mailcap-XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	viewdir = path_join(tmpdir, "view");
	if (mkdir(viewdir, 0700) != 0)
		return -1;
	return setenv("TMPDIR", viewdir, 1);
}

static int teardown(void **state)
{
	(void)state;
	char *command = xasprintf("rm -rf '%s'", tmpdir);
	int rc = system(command);
	free(command);
	free(viewdir);
	return rc == 0 ? 0 : -1;
}

static struct mime_mailcap *from_text(const char *text)
{
	const char *const none[] = {NULL};
	struct mime_mailcap *mc = mime_mailcap_load(none);
	mime_mailcap_add_text(mc, "test", text, strlen(text));
	return mc;
}

static size_t files_in(const char *dir)
{
	char *command = xasprintf("ls -A '%s' | wc -l", dir);
	FILE *p = popen(command, "r");
	int n = -1;
	if (p != NULL) {
		if (fscanf(p, "%d", &n) != 1)
			n = -1;
		pclose(p);
	}
	free(command);
	return (size_t)n;
}

static void test_parse(void **state)
{
	(void)state;
	struct mime_mailcap *mc = from_text(
		"# a comment\n"
		"\n"
		"text/html; w3m -dump -T text/html %s; copiousoutput; nametemplate=%s.html\n"
		"image/*; feh %s; test=test -n \"$DISPLAY\"; description=Images\n"
		"application/pdf; zathura \\\n"
		"  %s; needsterminal\n"
		"text/x-semi; echo a\\;b %s ; CopiousOutput\n"
		"video; mpv %s\n"
		"text/only-a-type\n"
		"  # an indented comment\n");
	assert_int_equal(mime_mailcap_count(mc), 5);
	const struct mime_mailcap_entry *e = mime_mailcap_get(mc, 0);
	assert_string_equal(e->type, "text/html");
	assert_string_equal(e->command, "w3m -dump -T text/html %s");
	assert_true(e->copiousoutput);
	assert_false(e->needsterminal);
	assert_string_equal(e->nametemplate, "%s.html");
	assert_string_equal(e->file, "test");
	assert_int_equal(e->line, 3);
	e = mime_mailcap_get(mc, 1);
	assert_string_equal(e->type, "image/*");
	assert_string_equal(e->test, "test -n \"$DISPLAY\"");
	assert_string_equal(e->description, "Images");
	e = mime_mailcap_get(mc, 2);
	assert_string_equal(e->command, "zathura   %s");
	assert_true(e->needsterminal);
	assert_int_equal(e->line, 5);
	e = mime_mailcap_get(mc, 3);
	assert_string_equal(e->command, "echo a;b %s");
	assert_true(e->copiousoutput);
	e = mime_mailcap_get(mc, 4);
	assert_string_equal(e->type, "video/*");
	assert_null(mime_mailcap_get(mc, 5));
	mime_mailcap_free(&mc);
	assert_null(mc);
	mime_mailcap_free(&mc);
}

static void test_find(void **state)
{
	(void)state;
	struct mime_mailcap *mc = from_text(
		"text/html; first %s; test=false\n"
		"text/html; second %s; test=test %t = 'text/html'\n"
		"text/*; any-text %s; copiousoutput\n"
		"image/png; needs-file %s; test=file %s\n"
		"image/*; any-image %s\n");
	const struct mime_mailcap_entry *e = mime_mailcap_find(mc, "text/html", 0);
	assert_non_null(e);
	assert_string_equal(e->command, "second %s");
	e = mime_mailcap_find(mc, "TEXT/HTML", MIME_MAILCAP_COPIOUSOUTPUT);
	assert_string_equal(e->command, "any-text %s");
	e = mime_mailcap_find(mc, "text/html", MIME_MAILCAP_NO_TEST);
	assert_string_equal(e->command, "first %s");
	/* A test that needs the file is not run: the entry is skipped. */
	e = mime_mailcap_find(mc, "image/png", 0);
	assert_string_equal(e->command, "any-image %s");
	assert_null(mime_mailcap_find(mc, "application/pdf", 0));
	assert_null(mime_mailcap_find(mc, "textual/plain", 0));
	mime_mailcap_free(&mc);
}

static void test_load_files(void **state)
{
	(void)state;
	char *a = path_join(tmpdir, "first.mailcap");
	char *b = path_join(tmpdir, "second.mailcap");
	assert_int_equal(file_write_atomic(a, "text/plain; from-a %s\n", 22, 0600, NULL), 0);
	assert_int_equal(file_write_atomic(b, "text/plain; from-b %s\nimage/*; img %s\n", 37,
	                                   0600, NULL), 0);
	const char *const paths[] = {a, "/nonexistent/mailcap", b, NULL};
	struct mime_mailcap *mc = mime_mailcap_load(paths);
	assert_int_equal(mime_mailcap_count(mc), 3);
	assert_string_equal(mime_mailcap_find(mc, "text/plain", 0)->command, "from-a %s");
	assert_string_equal(mime_mailcap_get(mc, 1)->file, b);
	mime_mailcap_free(&mc);
	/* $MAILCAPS replaces the default list. */
	char *list = xasprintf("%s:%s", b, a);
	setenv("MAILCAPS", list, 1);
	mc = mime_mailcap_load(NULL);
	assert_string_equal(mime_mailcap_find(mc, "text/plain", 0)->command, "from-b %s");
	mime_mailcap_free(&mc);
	unsetenv("MAILCAPS");
	/* By default ~/.mailcap comes first. */
	char *old_home = getenv("HOME") != NULL ? xstrdup(getenv("HOME")) : NULL;
	setenv("HOME", tmpdir, 1);
	char *home_mc = path_join(tmpdir, ".mailcap");
	assert_int_equal(file_write_atomic(home_mc, "text/plain; from-home %s\n", 25, 0600, NULL), 0);
	mc = mime_mailcap_load(NULL);
	assert_string_equal(mime_mailcap_get(mc, 0)->command, "from-home %s");
	mime_mailcap_free(&mc);
	if (old_home != NULL)
		setenv("HOME", old_home, 1);
	free(old_home);
	free(home_mc);
	free(list);
	free(a);
	free(b);
}

static const char hostile[] =
	"Content-Type: multipart/mixed; boundary=b\n\n"
	"--b\n\ntext\n"
	"--b\n"
	"Content-Type: text/plain; charset=\"$(touch MARK_CHARSET)\";\n"
	" name=\"x'; touch MARK_NAME; '.txt\"\n"
	"Content-Disposition: attachment;\n"
	" filename=\"a\\\"; touch MARK_FILE; $(touch MARK_SUBST) `touch MARK_TICK`.t$(x)\"\n"
	"\n"
	"the attachment body\n"
	"--b--\n";

static void test_command_quoting(void **state)
{
	(void)state;
	struct mime_mailcap *mc = from_text("text/plain; view %s\n");
	const struct mime_mailcap_entry *e = mime_mailcap_get(mc, 0);
	char *c = mime_mailcap_command(e, "view %s --type=%t", "/tmp/it's here", "text/plain",
	                               NULL);
	assert_string_equal(c, "view '/tmp/it'\\''s here' --type='text/plain'");
	free(c);
	/* Quotes written around %s in the mailcap are replaced by ours. */
	c = mime_mailcap_command(e, "view '%s' \"%s\" 100%% \\%s", "/tmp/f", "t/x", NULL);
	assert_string_equal(c, "view '/tmp/f' '/tmp/f' 100% %s");
	free(c);
	struct mime_message *m = mime_message_parse(hostile, sizeof hostile - 1, NULL);
	const struct mime_part *p = mime_message_root(m)->children[1];
	c = mime_mailcap_command(e, "view %{charset} %{missing} %{name", "/f", p->type, p);
	assert_string_equal(c, "view '$(touch MARK_CHARSET)' '' %{name");
	free(c);
	mime_message_free(&m);
	mime_mailcap_free(&mc);
}

static void test_view_copiousoutput(void **state)
{
	(void)state;
	const char *msg = "Content-Type: text/x-thing\nContent-Transfer-Encoding: base64\n\n"
	                  "aGVsbG8gdmlld2Vy\n";
	struct mime_message *m = mime_message_parse(msg, strlen(msg), NULL);
	struct mime_mailcap *mc = from_text(
		"text/x-thing; stat -c '%%a ' %s | tr -d '\\n' \\; cat %s; copiousoutput\n"
		"text/x-thing; tr a-z A-Z; copiousoutput\n"
		"text/x-thing; cat %s \\; exit 3; copiousoutput\n"
		"text/x-thing; echo %s; copiousoutput; nametemplate=%s.html\n");
	char *out;
	size_t len;
	struct rowan_err err;
	/* A private file, with the decoded part, removed afterwards. */
	assert_int_equal(mime_mailcap_view(mime_mailcap_get(mc, 0), mime_message_root(m), &out,
	                                   &len, &err), 0);
	assert_string_equal(out, "600 hello viewer");
	assert_int_equal(len, 16);
	free(out);
	assert_int_equal(files_in(viewdir), 0);
	/* No %s: the file on standard input. */
	assert_int_equal(mime_mailcap_view(mime_mailcap_get(mc, 1), mime_message_root(m), &out,
	                                   NULL, &err), 0);
	assert_string_equal(out, "HELLO VIEWER");
	free(out);
	/* The exit status comes back. */
	assert_int_equal(mime_mailcap_view(mime_mailcap_get(mc, 2), mime_message_root(m), &out,
	                                   NULL, &err), 3);
	assert_string_equal(out, "hello viewer");
	free(out);
	/* nametemplate gives the suffix; the name is Rowan's own. */
	assert_int_equal(mime_mailcap_view(mime_mailcap_get(mc, 3), mime_message_root(m), &out,
	                                   NULL, &err), 0);
	char *prefix = xasprintf("%s/rowan-", viewdir);
	assert_memory_equal(out, prefix, strlen(prefix));
	assert_non_null(strstr(out, ".html\n"));
	free(prefix);
	free(out);
	assert_int_equal(files_in(viewdir), 0);
	mime_mailcap_free(&mc);
	mime_message_free(&m);
}

static void test_view_terminal(void **state)
{
	(void)state;
	const char *msg = "Content-Type: application/x-thing\n\nfile body\n";
	struct mime_message *m = mime_message_parse(msg, strlen(msg), NULL);
	char *copy = path_join(tmpdir, "copied");
	char *line = xasprintf("application/*; cp %%s '%s'; needsterminal\n", copy);
	struct mime_mailcap *mc = from_text(line);
	struct rowan_err err;
	assert_int_equal(mime_mailcap_view(mime_mailcap_get(mc, 0), mime_message_root(m), NULL,
	                                   NULL, &err), 0);
	size_t len;
	char *data = file_read_all(copy, 100, &len, NULL);
	assert_string_equal(data, "file body\n");
	free(data);
	assert_int_equal(files_in(viewdir), 0);
	mime_mailcap_free(&mc);
	free(line);
	free(copy);
	mime_message_free(&m);
}

static void test_view_hostile_names_run_nothing(void **state)
{
	(void)state;
	char *cwd = getcwd(NULL, 0);
	assert_int_equal(chdir(tmpdir), 0);
	struct mime_message *m = mime_message_parse(hostile, sizeof hostile - 1, NULL);
	const struct mime_part *p = mime_message_root(m)->children[1];
	assert_non_null(strstr(p->filename, "MARK_FILE"));
	struct mime_mailcap *mc = from_text(
		"text/plain; cat %s \\; echo %{charset} %{name} %t; copiousoutput\n"
		"text/plain; cat '%s' \"%s\"; copiousoutput\n");
	for (size_t i = 0; i < mime_mailcap_count(mc); i++) {
		char *out = NULL;
		struct rowan_err err;
		assert_int_equal(mime_mailcap_view(mime_mailcap_get(mc, i), p, &out, NULL, &err), 0);
		assert_non_null(strstr(out, "the attachment body"));
		/* Parameters reach the command as words, never as shell code. */
		if (i == 0)
			assert_non_null(strstr(out, "$(touch MARK_CHARSET) x'; touch MARK_NAME; '.txt "
			                            "text/plain\n"));
		free(out);
	}
	static const char *const marks[] = {
		"MARK_CHARSET", "MARK_NAME", "MARK_FILE", "MARK_SUBST", "MARK_TICK",
	};
	for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
		struct stat st;
		assert_int_equal(stat(marks[i], &st), -1);
	}
	assert_int_equal(files_in(viewdir), 0);
	mime_mailcap_free(&mc);
	mime_message_free(&m);
	assert_int_equal(chdir(cwd), 0);
	free(cwd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_load_files),
		cmocka_unit_test(test_command_quoting),
		cmocka_unit_test(test_view_copiousoutput),
		cmocka_unit_test(test_view_terminal),
		cmocka_unit_test(test_view_hostile_names_run_nothing),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
