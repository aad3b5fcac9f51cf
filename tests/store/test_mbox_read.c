/*
 * Unit tests for src/store/mbox_read.c: splitting at "From " lines after
 * an empty line, mboxrd unquoting, CRLF files, a missing final newline,
 * empty files, files that are not mboxes, and the "From " line dates.
 */
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

#include "mail/mail.h"
#include "store/store.h"
#include "util/util.h"

static char tmpdir[64];

static int make_tmpdir(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/rowan-mbox-XXXXXX");
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

/* Write len bytes to a file in the temporary folder; newly allocated path. */
static char *write_mbox(const char *name, const char *data, size_t len)
{
	char *path = path_join(tmpdir, name);
	struct rowan_err err;
	assert_int_equal(file_write_atomic(path, data, len, 0600, &err), 0);
	return path;
}

static struct store_mbox *open_text(const char *name, const char *text)
{
	char *path = write_mbox(name, text, strlen(text));
	struct rowan_err err;
	struct store_mbox *mbox = store_mbox_open(path, &err);
	if (mbox == NULL)
		printf("# %s\n", err.message);
	assert_non_null(mbox);
	free(path);
	return mbox;
}

static void assert_message(const struct store_mbox *mbox, size_t index, const char *want)
{
	size_t len;
	char *got = store_mbox_message(mbox, index, &len);
	assert_non_null(got);
	assert_int_equal(len, strlen(want));
	assert_string_equal(got, want);
	free(got);
}

static void test_split_and_unquote(void **state)
{
	(void)state;
	struct store_mbox *mbox = open_text("basic",
		"From ada@x.example Mon Oct  5 09:00:00 2026\n"
		"Subject: one\n"
		"\n"
		"first body\n"
		">From the archive\n"
		">>From two levels\n"
		">Fromage is not quoted\n"
		"> From with a space is not quoted\n"
		"From inside a paragraph is not a separator\n"
		"\n"
		"From grace@y.example Mon Oct  5 10:00:00 2026\n"
		"Subject: two\n"
		"\n"
		"second body\n"
		"\n");
	assert_int_equal(store_mbox_count(mbox), 2);
	assert_message(mbox, 0,
		"Subject: one\n"
		"\n"
		"first body\n"
		"From the archive\n"
		">From two levels\n"
		">Fromage is not quoted\n"
		"> From with a space is not quoted\n"
		"From inside a paragraph is not a separator\n");
	assert_message(mbox, 1, "Subject: two\n\nsecond body\n");
	const struct store_mbox_entry *e = store_mbox_entry(mbox, 1);
	assert_non_null(e);
	size_t raw_len;
	const char *raw = store_mbox_raw(mbox, 0, &raw_len);
	assert_non_null(strstr(raw, ">From the archive"));
	assert_int_equal(raw_len, store_mbox_entry(mbox, 0)->length);
	assert_int_equal(e->offset - e->from_offset,
	                 strlen("From grace@y.example Mon Oct  5 10:00:00 2026\n"));
	assert_null(store_mbox_entry(mbox, 2));
	assert_null(store_mbox_message(mbox, 2, NULL));
	assert_null(store_mbox_raw(mbox, 2, NULL));
	store_mbox_close(&mbox);
	assert_null(mbox);
	store_mbox_close(&mbox);
	store_mbox_close(NULL);
}

static void test_crlf(void **state)
{
	(void)state;
	struct store_mbox *mbox = open_text("crlf",
		"From a@x Mon Oct  5 09:00:00 2026\r\n"
		"Subject: one\r\n"
		"\r\n"
		">From quoted\r\n"
		"\r\n"
		"From b@x Mon Oct  5 09:00:01 2026\r\n"
		"Subject: two\r\n"
		"\r\n"
		"body\r\n"
		"\r\n");
	assert_int_equal(store_mbox_count(mbox), 2);
	assert_message(mbox, 0, "Subject: one\r\n\r\nFrom quoted\r\n");
	assert_message(mbox, 1, "Subject: two\r\n\r\nbody\r\n");
	assert_int_equal(store_mbox_entry(mbox, 1)->arrival,
	                 store_mbox_entry(mbox, 0)->arrival + 1);
	store_mbox_close(&mbox);
}

static void test_missing_final_newline(void **state)
{
	(void)state;
	struct store_mbox *mbox = open_text("nonl",
		"From a@x Mon Oct  5 09:00:00 2026\n"
		"Subject: one\n"
		"\n"
		"no newline at the end");
	assert_int_equal(store_mbox_count(mbox), 1);
	assert_message(mbox, 0, "Subject: one\n\nno newline at the end");
	store_mbox_close(&mbox);

	/* a last message without the separating empty line keeps its end */
	mbox = open_text("noblank",
		"From a@x Mon Oct  5 09:00:00 2026\n"
		"Subject: one\n"
		"\n"
		"text\n");
	assert_message(mbox, 0, "Subject: one\n\ntext\n");
	store_mbox_close(&mbox);

	/* a "From " line that is the last thing in the file */
	mbox = open_text("fromonly",
		"From a@x Mon Oct  5 09:00:00 2026\n"
		"Subject: one\n"
		"\n"
		"From b@x Mon Oct  5 09:00:00 2026");
	assert_int_equal(store_mbox_count(mbox), 2);
	assert_message(mbox, 0, "Subject: one\n");
	assert_message(mbox, 1, "");
	store_mbox_close(&mbox);
}

static void test_empty_file(void **state)
{
	(void)state;
	struct store_mbox *mbox = open_text("empty", "");
	assert_int_equal(store_mbox_count(mbox), 0);
	assert_null(store_mbox_message(mbox, 0, NULL));
	store_mbox_close(&mbox);
	/* only empty lines: no messages either */
	mbox = open_text("blank", "\n\r\n\n");
	assert_int_equal(store_mbox_count(mbox), 0);
	store_mbox_close(&mbox);
	/* empty lines before the first message are tolerated */
	mbox = open_text("leading", "\n\nFrom a@x Mon Oct  5 09:00:00 2026\nSubject: x\n\nbody\n");
	assert_int_equal(store_mbox_count(mbox), 1);
	assert_message(mbox, 0, "Subject: x\n\nbody\n");
	store_mbox_close(&mbox);
}

static void test_not_an_mbox(void **state)
{
	(void)state;
	struct rowan_err err;
	char *path = write_mbox("message.eml", "From: Ada <ada@x>\nSubject: hi\n\nbody\n",
	                        strlen("From: Ada <ada@x>\nSubject: hi\n\nbody\n"));
	rowan_err_clear(&err);
	assert_null(store_mbox_open(path, &err));
	assert_int_equal(err.err_class, ROWAN_ERR_IO);
	assert_non_null(strstr(err.message, path));
	assert_non_null(strstr(err.message, "not an mbox"));
	free(path);

	path = path_join(tmpdir, "does-not-exist");
	assert_null(store_mbox_open(path, &err));
	assert_non_null(strstr(err.message, "cannot open"));
	assert_non_null(strstr(err.message, path));
	free(path);

	assert_null(store_mbox_open(tmpdir, &err));
	assert_non_null(strstr(err.message, "folder"));

	assert_null(store_mbox_open("/dev/null", &err));
	assert_non_null(strstr(err.message, "not a regular file"));
}

static void test_separator_needs_empty_line(void **state)
{
	(void)state;
	struct store_mbox *mbox = open_text("sep",
		"From a@x Mon Oct  5 09:00:00 2026\n"
		"Subject: one\n"
		"\n"
		"line\n"
		"From b@x Mon Oct  5 09:00:00 2026\n"
		"  \n"
		"From c@x Mon Oct  5 09:00:00 2026\n"
		"\n"
		"\n"
		"From d@x Mon Oct  5 09:00:00 2026\n"
		"Subject: four\n");
	/* "From b" follows text, "From c" a line of blanks: neither splits */
	assert_int_equal(store_mbox_count(mbox), 2);
	assert_message(mbox, 0,
		"Subject: one\n"
		"\n"
		"line\n"
		"From b@x Mon Oct  5 09:00:00 2026\n"
		"  \n"
		"From c@x Mon Oct  5 09:00:00 2026\n"
		"\n");
	assert_message(mbox, 1, "Subject: four\n");
	store_mbox_close(&mbox);
}

static void test_from_line_dates(void **state)
{
	(void)state;
	struct store_mbox *mbox = open_text("dates",
		"From a@x Mon Oct  5 09:00:00 2026\n\n\n"
		"From \"odd sender\"@x Tue Oct 6 09:00 2026\n\n\n"
		"From MAILER-DAEMON Mon Oct  5 10:00:00 +0100 2026\n\n\n"
		"From a@x Mon Oct  5 09:00:00 2026 -0100\n\n\n"
		"From a@x sometime\n\n\n"
		"From \n");
	assert_int_equal(store_mbox_count(mbox), 6);
	time_t base = (time_t)1791190800;
	assert_int_equal(store_mbox_entry(mbox, 0)->arrival, base);
	assert_int_equal(store_mbox_entry(mbox, 1)->arrival, base + 24 * 3600);
	assert_int_equal(store_mbox_entry(mbox, 2)->arrival, base);
	assert_int_equal(store_mbox_entry(mbox, 3)->arrival, base + 3600);
	assert_int_equal(store_mbox_entry(mbox, 4)->arrival, 0);
	assert_int_equal(store_mbox_entry(mbox, 5)->arrival, 0);
	for (size_t i = 0; i < 5; i++)
		assert_message(mbox, i, "\n");
	assert_message(mbox, 5, "");
	store_mbox_close(&mbox);
}

static void test_demo_mailbox(void **state)
{
	(void)state;
	size_t len;
	int count;
	char *data = demo_mbox_build(&len, &count);
	char *path = write_mbox("demo.mbox", data, len);
	struct rowan_err err;
	struct store_mbox *mbox = store_mbox_open(path, &err);
	assert_non_null(mbox);
	assert_int_equal(store_mbox_count(mbox), (size_t)count);
	size_t quoted = 0;
	for (size_t i = 0; i < store_mbox_count(mbox); i++) {
		size_t message_len;
		char *message = store_mbox_message(mbox, i, &message_len);
		assert_int_equal(strlen(message), message_len);
		assert_true(strncmp(message, "From: ", 6) == 0);
		assert_true(message[message_len - 1] == '\n');
		assert_true(message_len < 2 || message[message_len - 2] != '\n' ||
		            strstr(message, "boundary") != NULL);
		if (strstr(message, "\nFrom the archive") != NULL)
			quoted++;
		assert_null(strstr(message, ">From the archive"));
		assert_true(store_mbox_entry(mbox, i)->arrival >= (time_t)1791190800);
		free(message);
	}
	assert_int_equal(quoted, DEMO_ROUTINE_MESSAGES);
	store_mbox_close(&mbox);
	free(path);
	free(data);
}

int main(void)
{
	setenv("LANGUAGE", "C", 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_and_unquote),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_missing_final_newline),
		cmocka_unit_test(test_empty_file),
		cmocka_unit_test(test_not_an_mbox),
		cmocka_unit_test(test_separator_needs_empty_line),
		cmocka_unit_test(test_from_line_dates),
		cmocka_unit_test(test_demo_mailbox),
	};
	return cmocka_run_group_tests(tests, make_tmpdir, remove_tmpdir);
}
