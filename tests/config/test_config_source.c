/*
 * test_config_source: reading files — "source" with relative and ~ paths,
 * the loop guard, missing files, and where the default rc file is looked
 * for.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"

static char *dir;   /* a fresh folder for each test */

static int each_setup(void **state)
{
	(void)state;
	static int n;
	dir = xasprintf("%s/t%d", helpers_home(), ++n);
	assert_int_equal(mkdir(dir, 0700), 0);
	return 0;
}

static int each_teardown(void **state)
{
	(void)state;
	free(dir);
	dir = NULL;
	return 0;
}

static void test_source_relative(void **state)
{
	(void)state;
	char *sub = xasprintf("%s/sub", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	free(write_file(sub, "colors.rc", "color index red default\nsource more.rc\n"));
	free(write_file(sub, "more.rc", "set mail_check = 7\n"));
	char *top = write_file(dir, "rowanrc", "set beep = no\nsource sub/colors.rc\n"
	                                       "set sleep_time = 3\n");
	struct loaded l = load_file(top);
	assert_int_equal(l.rc, 0);
	assert_diags(&l, "");
	assert_false(config_get_bool(l.cfg, CONFIG_VAR_BEEP));
	assert_non_null(config_color_find(l.cfg, "index"));
	/* more.rc is found next to colors.rc, the file that sources it. */
	assert_int_equal(config_get_number(l.cfg, CONFIG_VAR_MAIL_CHECK), 7);
	assert_int_equal(config_get_number(l.cfg, CONFIG_VAR_SLEEP_TIME), 3);
	loaded_free(&l);
	free(top);
	free(sub);
}

static void test_source_home(void **state)
{
	(void)state;
	char *in_home = write_file(helpers_home(), "extra.rc", "set realname = \"From Home\"\n");
	char *top = write_file(dir, "rowanrc", "source ~/extra.rc\nsource \"~/extra.rc\"\n");
	struct loaded l = load_file(top);
	assert_diags(&l, "");
	assert_string_equal(config_get_string(l.cfg, CONFIG_VAR_REALNAME), "From Home");
	loaded_free(&l);
	unlink(in_home);
	free(in_home);
	free(top);
}

static void test_source_absolute_and_errors_in_sourced_file(void **state)
{
	(void)state;
	char *inner = write_file(dir, "inner.rc", "set beep = nope\n\nsett x\n");
	char *text = xasprintf("source %s\nset wrap = 1\n", inner);
	char *top = write_file(dir, "rowanrc", text);
	struct loaded l = load_file(top);
	assert_int_equal(l.rc, -1);
	/* Errors name the file they are in. */
	char *want = xasprintf(
		"%s:1:12: error: invalid value \"nope\" for \"beep\": expected yes or no\n"
		"%s:3:1: error: unknown command \"sett\"; did you mean \"set\"?", inner, inner);
	assert_diags(&l, want);
	assert_int_equal(config_get_number(l.cfg, CONFIG_VAR_WRAP), 1);
	free(want);
	loaded_free(&l);
	free(text);
	free(top);
	free(inner);
}

static void test_source_missing(void **state)
{
	(void)state;
	char *top = write_file(dir, "rowanrc", "source nothere.rc\nsource\nsource a b\n");
	struct loaded l = load_file(top);
	char *want = xasprintf(
		"%s:1:8: error: cannot read \"%s/nothere.rc\": No such file or directory\n"
		"%s:2:7: error: \"source\" needs a file name: source FILE\n"
		"%s:3:10: error: unexpected \"b\"; expected the end of the line", top, dir, top, top);
	assert_diags(&l, want);
	free(want);
	loaded_free(&l);
	free(top);
}

static void test_source_loop_direct(void **state)
{
	(void)state;
	char *top = write_file(dir, "rowanrc", "set beep = no\nsource rowanrc\nset help = no\n");
	struct loaded l = load_file(top);
	assert_int_equal(l.rc, -1);
	char *want = xasprintf("%s:2:8: error: source loop: %s -> %s/rowanrc", top, top, dir);
	assert_diags(&l, want);
	free(want);
	/* The rest of the file was still read. */
	assert_false(config_get_bool(l.cfg, CONFIG_VAR_HELP));
	loaded_free(&l);
	free(top);
}

static void test_source_loop_indirect(void **state)
{
	(void)state;
	char *a = write_file(dir, "a.rc", "source b.rc\n");
	char *b = write_file(dir, "b.rc", "set beep = no\nsource c.rc\n");
	char *c = write_file(dir, "c.rc", "source a.rc\n");
	struct loaded l = load_file(a);
	char *want = xasprintf("%s/c.rc:1:8: error: source loop: %s -> %s/b.rc -> "
	                       "%s/c.rc -> %s/a.rc", dir, a, dir, dir, dir);
	assert_diags(&l, want);
	free(want);
	loaded_free(&l);
	free(a);
	free(b);
	free(c);
}

static void test_source_same_file_twice_is_not_a_loop(void **state)
{
	(void)state;
	free(write_file(dir, "common.rc", "set mail_check = 9\n"));
	char *top = write_file(dir, "rowanrc", "source common.rc\nsource common.rc\n");
	struct loaded l = load_file(top);
	assert_diags(&l, "");
	loaded_free(&l);
	free(top);
}

static void test_account_must_close_in_its_file(void **state)
{
	(void)state;
	char *inner = write_file(dir, "acct.rc", "account x {\n type = local\n mbox = /tmp/x\n");
	char *top = write_file(dir, "rowanrc", "source acct.rc\n}\n");
	struct loaded l = load_file(top);
	char *want = xasprintf(
		"%s/acct.rc:3:15: error: account \"x\" opened at %s/acct.rc:1:9 is not closed; "
		"expected \"}\"\n"
		"%s:2:1: error: \"}\" without an open account", dir, dir, top);
	assert_diags(&l, want);
	free(want);
	loaded_free(&l);
	free(top);
	free(inner);
}

static void test_load_file_missing(void **state)
{
	(void)state;
	char *path = xasprintf("%s/missing.rc", dir);
	struct config *cfg = config_new();
	struct config_diags *diags = config_diags_new();
	/* A missing default file is fine ... */
	assert_int_equal(config_load_file(cfg, path, false, diags), 0);
	assert_int_equal(config_diags_count(diags), 0);
	/* ... a missing -F file is not. */
	assert_int_equal(config_load_file(cfg, path, true, diags), -1);
	char *want = xasprintf("%s: error: cannot read \"%s\": No such file or directory", path, path);
	char *got = diags_joined(diags);
	assert_string_equal(got, want);
	free(got);
	free(want);
	config_diags_free(&diags);
	config_free(&cfg);
	free(path);
}

static void test_default_path(void **state)
{
	(void)state;
	char *xdg_dir = xasprintf("%s/xdg", dir);
	setenv("XDG_CONFIG_HOME", xdg_dir, 1);
	char *xdg = xasprintf("%s/rowan/rowanrc", xdg_dir);
	char *dot = xasprintf("%s/.rowanrc", helpers_home());

	/* Neither exists: the XDG one (where it should be created). */
	char *p = config_path_default();
	assert_string_equal(p, xdg);
	free(p);
	/* Only ~/.rowanrc exists. */
	free(write_file(helpers_home(), ".rowanrc", "set beep = no\n"));
	p = config_path_default();
	assert_string_equal(p, dot);
	free(p);
	/* Both: the XDG one wins. */
	char *rowan_dir = xasprintf("%s/rowan", xdg_dir);
	assert_int_equal(mkdir(xdg_dir, 0700), 0);
	assert_int_equal(mkdir(rowan_dir, 0700), 0);
	free(write_file(rowan_dir, "rowanrc", "set beep = no\n"));
	p = config_path_default();
	assert_string_equal(p, xdg);
	free(p);
	/* A relative XDG_CONFIG_HOME is ignored, as the XDG base directory specification says. */
	setenv("XDG_CONFIG_HOME", "relative", 1);
	p = config_path_default();
	assert_string_equal(p, dot);
	free(p);
	unlink(dot);
	char *restore = xasprintf("%s/config", helpers_home());
	setenv("XDG_CONFIG_HOME", restore, 1);
	free(restore);
	free(rowan_dir);
	free(xdg_dir);
	free(xdg);
	free(dot);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_source_relative, each_setup, each_teardown),
		cmocka_unit_test_setup_teardown(test_source_home, each_setup, each_teardown),
		cmocka_unit_test_setup_teardown(test_source_absolute_and_errors_in_sourced_file,
		                                each_setup, each_teardown),
		cmocka_unit_test_setup_teardown(test_source_missing, each_setup, each_teardown),
		cmocka_unit_test_setup_teardown(test_source_loop_direct, each_setup, each_teardown),
		cmocka_unit_test_setup_teardown(test_source_loop_indirect, each_setup, each_teardown),
		cmocka_unit_test_setup_teardown(test_source_same_file_twice_is_not_a_loop,
		                                each_setup, each_teardown),
		cmocka_unit_test_setup_teardown(test_account_must_close_in_its_file,
		                                each_setup, each_teardown),
		cmocka_unit_test_setup_teardown(test_load_file_missing, each_setup, each_teardown),
		cmocka_unit_test_setup_teardown(test_default_path, each_setup, each_teardown),
	};
	return cmocka_run_group_tests(tests, helpers_group_setup, helpers_group_teardown);
}
