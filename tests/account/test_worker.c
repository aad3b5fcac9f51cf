/*
 * Unit tests for the account worker (src/account/account.c, worker.c):
 * requests end in exactly one DONE or ERROR in order, a newer folder
 * request makes an older load stale, a broken connection is reported,
 * re-made and the request retried once with the folder re-opened, and
 * the password question goes to the UI and back.  The backend here is a
 * scripted one in this file: what is tested is the worker, not a server.
 */
#include "config.h"

#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "account/account.h"
#include "account/backend.h"
#include "config/rc.h"
#include "util/util.h"

struct script {
	int connects;
	int opens;
	int reopens;
	int fail_next_with;        /* error class for the next request, once */
	bool ask_password;
	char password[64];
	int stale_seen;
	int open_batches;          /* batches an open posts, checking stale */
};

static int s_connect(void *state, struct account_worker *worker, struct rowan_err *err)
{
	struct script *s = state;
	s->connects++;
	if (s->ask_password) {
		char *password = account_worker_password(worker, err);
		if (password == NULL)
			return -1;
		snprintf(s->password, sizeof(s->password), "%s", password);
		config_password_free(&password);
	}
	return 0;
}

static void s_disconnect(void *state, bool graceful)
{
	(void)state;
	(void)graceful;
}

static unsigned s_caps(void *state)
{
	(void)state;
	return ACCOUNT_CAN_WRITE;
}

static int s_fail(struct script *s, struct rowan_err *err)
{
	if (s->fail_next_with == ROWAN_ERR_NONE)
		return 0;
	rowan_err_set(err, s->fail_next_with, "scripted failure");
	s->fail_next_with = ROWAN_ERR_NONE;
	return -1;
}

static int s_list(void *state, struct account_worker *worker, struct rowan_err *err)
{
	(void)worker;
	return s_fail(state, err);
}

static int s_open(void *state, struct account_worker *worker, const char *folder,
                  bool reopen, struct rowan_err *err)
{
	struct script *s = state;
	(void)err;
	if (reopen)
		s->reopens++;
	else
		s->opens++;
	struct account_event *opened = account_event_new(ACCOUNT_EVENT_FOLDER_OPENED);
	opened->folder = xstrdup(folder);
	opened->reset = !reopen;
	account_worker_post(worker, opened);
	for (int i = 0; i < s->open_batches; i++) {
		if (account_worker_stale(worker)) {
			s->stale_seen++;
			return 0;
		}
		usleep(20000);
		account_worker_progress(worker, i + 1, s->open_batches, "loading");
	}
	return 0;
}

static int s_message(void *state, struct account_worker *worker, uint32_t uid,
                     struct rowan_err *err)
{
	if (s_fail(state, err) != 0)
		return -1;
	struct account_event *event = account_event_new(ACCOUNT_EVENT_MESSAGE);
	event->uid = uid;
	event->data = xstrdup("Subject: hi\r\n\r\nbody\r\n");
	event->len = strlen(event->data);
	account_worker_post(worker, event);
	return 0;
}

static void s_destroy(void *state)
{
	free(state);
}

static const struct account_backend_ops script_ops = {
	.kind = "script",
	.destroy = s_destroy,
	.connect = s_connect,
	.disconnect = s_disconnect,
	.caps = s_caps,
	.list_folders = s_list,
	.open_folder = s_open,
	.fetch_message = s_message,
};

/* Wait for the next event (at most 5 s). */
static struct account_event *next_event(struct account *account)
{
	for (int i = 0; i < 500; i++) {
		struct account_event *event = account_event_next(account);
		if (event != NULL)
			return event;
		struct pollfd pfd = {.fd = account_wake_fd(account), .events = POLLIN};
		poll(&pfd, 1, 10);
	}
	fail_msg("no event within 5 s");
	return NULL;
}

/* Events until DONE or ERROR of id; returns that final event's kind and
 * counts the events of kind `count_kind` seen on the way. */
static enum account_event_kind wait_final(struct account *account, uint64_t id,
                                          enum account_event_kind count_kind,
                                          int *count)
{
	for (;;) {
		struct account_event *event = next_event(account);
		enum account_event_kind kind = event->kind;
		uint64_t rid = event->request_id;
		if (count != NULL && kind == count_kind)
			(*count)++;
		account_event_free(&event);
		if ((kind == ACCOUNT_EVENT_DONE || kind == ACCOUNT_EVENT_ERROR) && rid == id)
			return kind;
		if (kind == ACCOUNT_EVENT_DONE || kind == ACCOUNT_EVENT_ERROR)
			assert_true(rid < id);
	}
}

static struct account *start(struct config *cfg, struct script **script_out)
{
	struct script *s = xcalloc(1, sizeof(*s));
	struct account *account = account_new_with_backend(cfg, NULL, "test", &script_ops, s);
	*script_out = s;
	return account;
}

static void send_simple(struct account *account, enum account_request_kind kind,
                        uint64_t *id)
{
	struct account_request *r = account_request_new(kind);
	if (kind == ACCOUNT_REQUEST_OPEN_FOLDER)
		r->folder = xstrdup("INBOX");
	r->uid = 5;
	*id = account_request_send(account, r);
}

static void test_requests_end_in_order(void **state)
{
	(void)state;
	struct config *cfg = config_new();
	struct script *s;
	struct account *account = start(cfg, &s);
	struct rowan_err err;
	assert_int_equal(account_start(account, &err), 0);
	uint64_t a, b, c;
	send_simple(account, ACCOUNT_REQUEST_LIST_FOLDERS, &a);
	send_simple(account, ACCOUNT_REQUEST_OPEN_FOLDER, &b);
	send_simple(account, ACCOUNT_REQUEST_FETCH_MESSAGE, &c);
	assert_true(a < b && b < c);
	assert_int_equal(wait_final(account, a, 0, NULL), ACCOUNT_EVENT_DONE);
	assert_int_equal(wait_final(account, b, 0, NULL), ACCOUNT_EVENT_DONE);
	int messages = 0;
	assert_int_equal(wait_final(account, c, ACCOUNT_EVENT_MESSAGE, &messages),
	                 ACCOUNT_EVENT_DONE);
	assert_int_equal(messages, 1);
	assert_int_equal(s->connects, 1);
	account_free(&account);
	assert_null(account);
	config_free(&cfg);
}

static void test_newer_open_makes_load_stale(void **state)
{
	(void)state;
	struct config *cfg = config_new();
	struct script *s;
	struct account *account = start(cfg, &s);
	s->open_batches = 50;
	struct rowan_err err;
	assert_int_equal(account_start(account, &err), 0);
	uint64_t first, second;
	send_simple(account, ACCOUNT_REQUEST_OPEN_FOLDER, &first);
	usleep(100000);
	send_simple(account, ACCOUNT_REQUEST_OPEN_FOLDER, &second);
	wait_final(account, second, 0, NULL);
	assert_int_equal(s->stale_seen, 1);
	assert_int_equal(s->opens, 2);
	account_free(&account);
	config_free(&cfg);
}

static void test_broken_connection_is_retried(void **state)
{
	(void)state;
	struct config *cfg = config_new();
	struct script *s;
	struct account *account = start(cfg, &s);
	struct rowan_err err;
	assert_int_equal(account_start(account, &err), 0);
	uint64_t open, fetch;
	send_simple(account, ACCOUNT_REQUEST_OPEN_FOLDER, &open);
	wait_final(account, open, 0, NULL);
	s->fail_next_with = ROWAN_ERR_NET;
	send_simple(account, ACCOUNT_REQUEST_FETCH_MESSAGE, &fetch);
	int states = 0;
	assert_int_equal(wait_final(account, fetch, ACCOUNT_EVENT_STATE, &states),
	                 ACCOUNT_EVENT_DONE);
	/* offline, connecting, online */
	assert_true(states >= 3);
	assert_int_equal(s->connects, 2);
	assert_int_equal(s->reopens, 1);

	/* A server that says no is not a broken connection. */
	s->fail_next_with = ROWAN_ERR_SERVER;
	send_simple(account, ACCOUNT_REQUEST_FETCH_MESSAGE, &fetch);
	assert_int_equal(wait_final(account, fetch, 0, NULL), ACCOUNT_EVENT_ERROR);
	assert_int_equal(s->connects, 2);
	account_free(&account);
	config_free(&cfg);
}

static void test_password_is_asked(void **state)
{
	(void)state;
	struct config *cfg = config_new();
	struct config_diags *diags = config_diags_new();
	assert_int_equal(config_load_string(cfg, "rc",
	                                    "account work {\n type = imap\n host = mail.test\n"
	                                    " user = alice\n}\n", diags), 0);
	config_diags_free(&diags);
	struct script *s = xcalloc(1, sizeof(*s));
	s->ask_password = true;
	struct rowan_err err;
	struct account *account = account_new_with_backend(cfg, config_account_get(cfg, 0),
	                                                   "work", &script_ops, s);
	assert_int_equal(account_start(account, &err), 0);
	struct account_event *event;
	do {
		event = next_event(account);
		if (event->kind == ACCOUNT_EVENT_PASSWORD_NEEDED)
			break;
		account_event_free(&event);
	} while (1);
	assert_non_null(strstr(event->text, "alice@mail.test"));
	account_event_free(&event);
	struct account_request *answer = account_request_new(ACCOUNT_REQUEST_PASSWORD);
	answer->text = xstrdup("s3cret");
	account_request_send(account, answer);
	uint64_t list;
	send_simple(account, ACCOUNT_REQUEST_LIST_FOLDERS, &list);
	assert_int_equal(wait_final(account, list, 0, NULL), ACCOUNT_EVENT_DONE);
	assert_string_equal(s->password, "s3cret");
	account_free(&account);
	config_free(&cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_requests_end_in_order),
		cmocka_unit_test(test_newer_open_makes_load_stale),
		cmocka_unit_test(test_broken_connection_is_retried),
		cmocka_unit_test(test_password_is_asked),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
