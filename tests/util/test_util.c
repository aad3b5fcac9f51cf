/* Unit tests for src/util: buffers, strings, paths and atomic files. */
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

#include "util/util.h"

static char tmpdir[256];

static int make_tmpdir(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/rowan-util-XXXXXX");
	return mkdtemp(tmpdir) != NULL ? 0 : -1;
}

static int remove_tmpdir(void **state)
{
	(void)state;
	char *command = xasprintf("rm -rf '%s'", tmpdir);
	int rc = system(command);
	free(command);
	return rc == 0 ? 0 : -1;
}

static void test_buf_grows_and_stays_terminated(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b);
	for (int i = 0; i < 1000; i++)
		buf_add_char(&b, (char)('a' + i % 26));
	assert_int_equal(b.len, 1000);
	assert_int_equal(b.data[1000], '\0');
	assert_int_equal(b.data[27], 'b');
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	buf_printf(&b, "%d-%s", 42, "x");
	buf_add(&b, "\0z", 2);
	assert_int_equal(b.len, 6);
	assert_memory_equal(b.data, "42-x\0z", 6);
	buf_free(&b);
	assert_null(b.data);
}

static void test_buf_steal_empty_gives_string(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b);
	char *s = buf_steal(&b);
	assert_string_equal(s, "");
	free(s);
	buf_add_str(&b, "hello");
	s = buf_steal(&b);
	assert_string_equal(s, "hello");
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	free(s);
}

static void test_strings(void **state)
{
	(void)state;
	char *s = xstrndup("abcdef", 3);
	assert_string_equal(s, "abc");
	free(s);
	s = xstrndup("ab", 10);
	assert_string_equal(s, "ab");
	free(s);
	s = xasprintf("%s=%05.1f", "pi", 3.14159);
	assert_string_equal(s, "pi=003.1");
	free(s);
}

static void test_err_set_truncates_and_clears(void **state)
{
	(void)state;
	struct rowan_err err;
	char long_text[3000];
	memset(long_text, 'x', sizeof long_text - 1);
	long_text[sizeof long_text - 1] = '\0';
	rowan_err_set(&err, ROWAN_ERR_TLS, "%s", long_text);
	assert_int_equal(err.err_class, ROWAN_ERR_TLS);
	assert_int_equal(strlen(err.message), sizeof err.message - 1);
	assert_string_equal(rowan_err_class_name(err.err_class), "tls");
	rowan_err_clear(&err);
	assert_int_equal(err.err_class, ROWAN_ERR_NONE);
	assert_string_equal(err.message, "");
	rowan_err_set(NULL, ROWAN_ERR_IO, "ignored");
}

static void test_path_expand_home(void **state)
{
	(void)state;
	setenv("HOME", "/home/example", 1);
	char *p = path_expand_home("~/Mail/in.mbox");
	assert_string_equal(p, "/home/example/Mail/in.mbox");
	free(p);
	p = path_expand_home("~");
	assert_string_equal(p, "/home/example");
	free(p);
	p = path_expand_home("/abs/~/x");
	assert_string_equal(p, "/abs/~/x");
	free(p);
	p = path_expand_home("~root/x");
	assert_non_null(p);
	assert_string_not_equal(p, "~root/x");
	free(p);
	assert_null(path_expand_home("~no-such-user-rowan/x"));
}

static void test_xdg_dirs(void **state)
{
	(void)state;
	setenv("HOME", "/home/example", 1);
	setenv("XDG_CACHE_HOME", "/var/cache/me", 1);
	unsetenv("XDG_CONFIG_HOME");
	setenv("XDG_STATE_HOME", "relative/is/ignored", 1);
	char *p = path_cache_dir();
	assert_string_equal(p, "/var/cache/me/rowan");
	free(p);
	p = path_config_dir();
	assert_string_equal(p, "/home/example/.config/rowan");
	free(p);
	p = path_state_dir();
	assert_string_equal(p, "/home/example/.local/state/rowan");
	free(p);
	p = path_join("/a/", "b");
	assert_string_equal(p, "/a/b");
	free(p);
	p = path_join("/a", "b");
	assert_string_equal(p, "/a/b");
	free(p);
}

static void test_mkdir_p_and_atomic_write(void **state)
{
	(void)state;
	char *dir = xasprintf("%s/x/y/z", tmpdir);
	assert_int_equal(path_mkdir_p(dir, 0700), 0);
	assert_int_equal(path_mkdir_p(dir, 0700), 0);
	struct stat st;
	assert_int_equal(stat(dir, &st), 0);
	assert_true(S_ISDIR(st.st_mode));

	char *file = path_join(dir, "f");
	struct rowan_err err;
	assert_int_equal(file_write_atomic(file, "one", 3, 0600, &err), 0);
	assert_int_equal(file_write_atomic(file, "second", 6, 0640, &err), 0);
	assert_int_equal(stat(file, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	size_t len = 0;
	char *data = file_read_all(file, 1024, &len, &err);
	assert_non_null(data);
	assert_int_equal(len, 6);
	assert_string_equal(data, "second");
	free(data);
	assert_null(file_read_all(file, 5, &len, &err));
	assert_int_equal(err.err_class, ROWAN_ERR_IO);
	assert_non_null(strstr(err.message, "larger than 5 bytes"));
	free(file);
	free(dir);
}

static void test_atomic_write_reports_missing_dir(void **state)
{
	(void)state;
	char *file = xasprintf("%s/missing/dir/f", tmpdir);
	struct rowan_err err;
	assert_int_equal(file_write_atomic(file, "x", 1, 0600, &err), -1);
	assert_int_equal(err.err_class, ROWAN_ERR_IO);
	assert_non_null(strstr(err.message, file));
	assert_null(file_read_all(file, 10, NULL, &err));
	assert_non_null(strstr(err.message, "cannot open"));
	free(file);
}

int main(void)
{
	setenv("LANGUAGE", "C", 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_grows_and_stays_terminated),
		cmocka_unit_test(test_buf_steal_empty_gives_string),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_err_set_truncates_and_clears),
		cmocka_unit_test(test_path_expand_home),
		cmocka_unit_test(test_xdg_dirs),
		cmocka_unit_test(test_mkdir_p_and_atomic_write),
		cmocka_unit_test(test_atomic_write_reports_missing_dir),
	};
	return cmocka_run_group_tests(tests, make_tmpdir, remove_tmpdir);
}
