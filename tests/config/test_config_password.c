/*
 * test_config_password: running password_command — standard output is
 * the password without one trailing newline; failures, signals, silence
 * and timeouts are errors that say what happened.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "helpers.h"

static char *run(const char *command, int timeout, struct rowan_err *err)
{
	rowan_err_clear(err);
	return config_password_run(command, timeout, err);
}

static double seconds_since(const struct timespec *start)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) + (now.tv_nsec - start->tv_nsec) / 1e9;
}

static void test_stdout_is_the_password(void **state)
{
	(void)state;
	struct rowan_err err;
	char *pw = run("echo 'correct horse'", 10, &err);
	assert_string_equal(pw, "correct horse");
	config_password_free(&pw);
	assert_null(pw);
	config_password_free(&pw);
	config_password_free(NULL);

	/* Only one trailing newline goes. */
	pw = run("printf 'two\\n\\n'", 10, &err);
	assert_string_equal(pw, "two\n");
	config_password_free(&pw);
	pw = run("printf 'no newline'", 10, &err);
	assert_string_equal(pw, "no newline");
	config_password_free(&pw);
	pw = run("printf 'crlf\\r\\n'", 10, &err);
	assert_string_equal(pw, "crlf");
	config_password_free(&pw);
	/* Standard error is not part of the password; the shell does ~. */
	pw = run("echo noise >&2; echo $HOME; echo ~ >/dev/null", 10, &err);
	assert_string_equal(pw, helpers_home());
	config_password_free(&pw);
}

static void test_failure_names_exit_status(void **state)
{
	(void)state;
	struct rowan_err err;
	assert_null(run("echo 'gpg: decryption failed' >&2; echo partial; exit 2", 10, &err));
	assert_int_equal(err.err_class, ROWAN_ERR_AUTH);
	assert_string_equal(err.message,
	                    "password command failed with exit status 2: gpg: decryption failed");
	assert_null(run("exit 5", 10, &err));
	assert_string_equal(err.message, "password command failed with exit status 5");
	assert_null(run("rowan_no_such_command_xyz", 10, &err));
	assert_true(strncmp(err.message, "password command failed with exit status 127: ",
	                    strlen("password command failed with exit status 127: ")) == 0);
	assert_non_null(strstr(err.message, "rowan_no_such_command_xyz"));
}

static void test_signal_and_silence(void **state)
{
	(void)state;
	struct rowan_err err;
	assert_null(run("kill -9 $$", 10, &err));
	assert_string_equal(err.message, "password command was killed by signal 9");
	assert_null(run("true", 10, &err));
	assert_string_equal(err.message, "password command printed nothing");
	assert_null(run("echo", 10, &err));
	assert_string_equal(err.message, "password command printed nothing");
	/* Standard input is /dev/null: a command reading it does not hang. */
	assert_null(run("cat", 10, &err));
	assert_string_equal(err.message, "password command printed nothing");
}

static void test_timeout(void **state)
{
	(void)state;
	struct rowan_err err;
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	assert_null(run("sleep 30; echo late", 1, &err));
	assert_string_equal(err.message, "password command did not finish within 1 second");
	assert_true(seconds_since(&start) < 10);
	/* The command's own children are stopped too (they hold the pipe). */
	clock_gettime(CLOCK_MONOTONIC, &start);
	assert_null(run("(sleep 30; echo late) & wait", 2, &err));
	assert_string_equal(err.message, "password command did not finish within 2 seconds");
	assert_true(seconds_since(&start) < 10);
}

static void test_background_child_does_not_block(void **state)
{
	(void)state;
	struct rowan_err err;
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	char *pw = run("echo quick; sleep 5 &", 30, &err);
	assert_string_equal(pw, "quick");
	assert_true(seconds_since(&start) < 10);
	config_password_free(&pw);
}

static void test_account_password(void **state)
{
	(void)state;
	struct loaded l = load_text(
		"set password_timeout = 5\n"
		"account a {\n type = imap\n host = h\n password_command = \"echo s3cret\"\n}\n"
		"account b {\n type = imap\n host = h\n}\n"
		"account c {\n type = imap\n host = h\n password_command = \"exit 1\"\n}\n");
	assert_diags(&l, "");
	struct rowan_err err;
	char *pw = config_account_password(l.cfg, config_account_find(l.cfg, "a"), &err);
	assert_string_equal(pw, "s3cret");
	config_password_free(&pw);
	assert_null(config_account_password(l.cfg, config_account_find(l.cfg, "b"), &err));
	assert_int_equal(err.err_class, ROWAN_ERR_CONFIG);
	assert_string_equal(err.message, "account \"b\" has no password_command");
	assert_null(config_account_password(l.cfg, config_account_find(l.cfg, "c"), &err));
	assert_string_equal(err.message,
	                    "account \"c\": password command failed with exit status 1");
	loaded_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stdout_is_the_password),
		cmocka_unit_test(test_failure_names_exit_status),
		cmocka_unit_test(test_signal_and_silence),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_background_child_does_not_block),
		cmocka_unit_test(test_account_password),
	};
	return cmocka_run_group_tests(tests, helpers_group_setup, helpers_group_teardown);
}
