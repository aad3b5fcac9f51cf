/*
 * Tests for the read-only mbox account (src/account/mbox/), driven like
 * the UI drives it: account_new_mbox, account_start, requests, and the
 * events read when the wake-up fd is readable.  Checks the folder list,
 * loading a folder in batches, the message bytes (From_ line gone,
 * mboxrd quoting undone), flags kept in memory only (the file is never
 * written), refusals, and a check after the file grew or was rewritten.
 */
#include "config.h"

#include <fcntl.h>
#include <poll.h>
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

#include "account/account.h"
#include "config/rc.h"
#include "mail/envelope.h"
#include "util/util.h"

#define MSG1 \
	"From: Ada <ada@x.example>\n" \
	"Subject: first\n" \
	"Date: Mon, 5 Oct 2026 10:00:00 +0000\n" \
	"Status: RO\n" \
	"\n" \
	"one\n"
#define MSG2 \
	"From: Bob <bob@x.example>\n" \
	"Subject: second\n" \
	"Date: Mon, 5 Oct 2026 11:00:00 +0000\n" \
	"\n" \
	"a quoted line follows\n" \
	">>From the archive\n" \
	"the end\n"
#define MSG2_UNQUOTED \
	"From: Bob <bob@x.example>\n" \
	"Subject: second\n" \
	"Date: Mon, 5 Oct 2026 11:00:00 +0000\n" \
	"\n" \
	"a quoted line follows\n" \
	">From the archive\n" \
	"the end\n"
#define MSG3 \
	"From: Cy <cy@x.example>\n" \
	"Subject: third\n" \
	"Date: Mon, 5 Oct 2026 12:00:00 +0000\n" \
	"Status: O\n" \
	"X-Status: F\n" \
	"\n" \
	"three\n"
#define MSG4 \
	"From: Di <di@x.example>\n" \
	"Subject: fourth\n" \
	"Date: Mon, 5 Oct 2026 13:00:00 +0000\n" \
	"\n" \
	"four\n"
#define FROM_LINE "From sender@x.example Mon Oct  5 10:00:00 2026\n"

#define MBOX3 FROM_LINE MSG1 "\n" FROM_LINE MSG2 "\n" FROM_LINE MSG3

struct fixture {
	char dir[64];
	char path[96];
	struct config *cfg;
	struct account *account;
};

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	assert_int_equal(fclose(f), 0);
}

static void append_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "a");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	assert_int_equal(fclose(f), 0);
}

static char *read_file(const char *path)
{
	size_t len;
	struct rowan_err err;
	char *data = file_read_all(path, 1 << 24, &len, &err);
	assert_non_null(data);
	return data;
}

/* The next event, waiting at most five seconds for it. */
static struct account_event *next_event(struct account *account)
{
	for (int i = 0; i < 50; i++) {
		struct account_event *event = account_event_next(account);
		if (event != NULL)
			return event;
		struct pollfd pfd = { .fd = account_wake_fd(account), .events = POLLIN };
		poll(&pfd, 1, 100);
	}
	fail_msg("no event within five seconds");
	return NULL;
}

struct events {
	struct account_event *items[64];
	size_t count;
	size_t envelopes;    /* envelopes in all ENVELOPES events */
	size_t progress;     /* PROGRESS events */
};

static void events_clear(struct events *events)
{
	for (size_t i = 0; i < events->count; i++)
		account_event_free(&events->items[i]);
	memset(events, 0, sizeof *events);
}

/* Send request; collect its events up to and including DONE or ERROR
 * (PROGRESS and unsolicited events are counted, not kept). */
static void run(struct fixture *fx, struct account_request *request,
                struct events *events)
{
	memset(events, 0, sizeof *events);
	uint64_t id = account_request_send(fx->account, request);
	assert_true(id != 0);
	for (;;) {
		struct account_event *event = next_event(fx->account);
		if (event->request_id != id) {
			/* STATE at start-up */
			assert_int_equal(event->request_id, 0);
			account_event_free(&event);
			continue;
		}
		if (event->kind == ACCOUNT_EVENT_PROGRESS) {
			events->progress++;
			account_event_free(&event);
			continue;
		}
		if (event->kind == ACCOUNT_EVENT_ENVELOPES)
			events->envelopes += event->envelope_count;
		assert_true(events->count < 64);
		events->items[events->count++] = event;
		if (event->kind == ACCOUNT_EVENT_DONE || event->kind == ACCOUNT_EVENT_ERROR)
			return;
	}
}

static struct account_event *find(struct events *events, enum account_event_kind kind)
{
	for (size_t i = 0; i < events->count; i++)
		if (events->items[i]->kind == kind)
			return events->items[i];
	return NULL;
}

static const struct envelope *find_uid(struct events *events, uint32_t uid)
{
	for (size_t i = 0; i < events->count; i++) {
		struct account_event *e = events->items[i];
		for (size_t j = 0; e->kind == ACCOUNT_EVENT_ENVELOPES && j < e->envelope_count; j++)
			if (envelope_uid(e->envelopes[j]) == uid)
				return e->envelopes[j];
	}
	return NULL;
}

static void last_is_done(struct events *events)
{
	assert_true(events->count > 0);
	struct account_event *last = events->items[events->count - 1];
	if (last->kind != ACCOUNT_EVENT_DONE)
		fail_msg("request ended in %d: %s", (int)last->kind, last->err.message);
}

static const char *last_error(struct events *events)
{
	assert_true(events->count > 0);
	struct account_event *last = events->items[events->count - 1];
	assert_int_equal(last->kind, ACCOUNT_EVENT_ERROR);
	return last->err.message;
}

static int setup(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof *fx);
	snprintf(fx->dir, sizeof fx->dir, "/tmp/rowan-mbox-test-XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->path, sizeof fx->path, "%s/inbox.mbox", fx->dir);
	write_file(fx->path, MBOX3);
	fx->cfg = config_new();
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	account_free(&fx->account);
	config_free(&fx->cfg);
	unlink(fx->path);
	rmdir(fx->dir);
	free(fx);
	return 0;
}

static void start(struct fixture *fx)
{
	struct rowan_err err;
	fx->account = account_new_mbox(fx->cfg, "demo", fx->path);
	assert_non_null(fx->account);
	assert_string_equal(account_name(fx->account), "demo");
	assert_int_equal(account_start(fx->account, &err), 0);
}

static void open_inbox(struct fixture *fx, struct events *events)
{
	struct account_request *r = account_request_new(ACCOUNT_REQUEST_OPEN_FOLDER);
	r->folder = xstrdup("INBOX");
	run(fx, r, events);
	last_is_done(events);
}

static void test_list_and_open(void **state)
{
	struct fixture *fx = *state;
	struct events ev;
	start(fx);

	/* the first event says online, and that nothing can be written */
	struct account_event *event;
	do {
		event = next_event(fx->account);
		assert_int_equal(event->kind, ACCOUNT_EVENT_STATE);
		bool online = event->state == ACCOUNT_STATE_ONLINE;
		if (online)
			assert_int_equal(event->caps, 0);
		account_event_free(&event);
		if (online)
			break;
	} while (1);

	run(fx, account_request_new(ACCOUNT_REQUEST_LIST_FOLDERS), &ev);
	last_is_done(&ev);
	event = find(&ev, ACCOUNT_EVENT_FOLDERS);
	assert_non_null(event);
	assert_int_equal(event->folder_count, 1);
	assert_string_equal(event->folders[0].name, "INBOX");
	assert_string_equal(event->folders[0].display, "demo");
	assert_int_equal(event->folders[0].special, ACCOUNT_SPECIAL_INBOX);
	assert_int_equal(event->folders[0].total, 3);
	assert_int_equal(event->folders[0].unseen, 2);
	events_clear(&ev);

	open_inbox(fx, &ev);
	event = find(&ev, ACCOUNT_EVENT_FOLDER_OPENED);
	assert_non_null(event);
	assert_ptr_equal(event, ev.items[0]);
	assert_string_equal(event->folder, "INBOX");
	assert_int_equal(event->total, 3);
	assert_true(event->reset);
	assert_true(event->read_only);
	assert_int_equal(ev.envelopes, 3);
	assert_true(ev.progress >= 1);
	const struct envelope *e1 = find_uid(&ev, 1), *e2 = find_uid(&ev, 2),
		*e3 = find_uid(&ev, 3);
	assert_non_null(e1);
	assert_non_null(e2);
	assert_non_null(e3);
	assert_string_equal(envelope_subject(e1), "first");
	assert_string_equal(envelope_from_name(e2), "Bob");
	assert_int_equal(envelope_flags(e1), ENVELOPE_SEEN);
	assert_int_equal(envelope_flags(e2), ENVELOPE_RECENT);
	assert_int_equal(envelope_flags(e3), ENVELOPE_FLAGGED);
	events_clear(&ev);

	/* the account's name opens the folder too; anything else does not */
	struct account_request *r = account_request_new(ACCOUNT_REQUEST_OPEN_FOLDER);
	r->folder = xstrdup("demo");
	run(fx, r, &ev);
	last_is_done(&ev);
	assert_int_equal(ev.envelopes, 3);
	events_clear(&ev);
	r = account_request_new(ACCOUNT_REQUEST_OPEN_FOLDER);
	r->folder = xstrdup("Sent");
	run(fx, r, &ev);
	assert_non_null(strstr(last_error(&ev), "Sent"));
	events_clear(&ev);
}

static void test_message_and_flags(void **state)
{
	struct fixture *fx = *state;
	struct events ev;
	char *before = read_file(fx->path);
	start(fx);
	open_inbox(fx, &ev);
	events_clear(&ev);

	/* the message without its From_ line and with the quoting undone;
	 * reading it marks it seen (in memory) */
	struct account_request *r = account_request_new(ACCOUNT_REQUEST_FETCH_MESSAGE);
	r->uid = 2;
	run(fx, r, &ev);
	last_is_done(&ev);
	struct account_event *message = find(&ev, ACCOUNT_EVENT_MESSAGE);
	assert_non_null(message);
	assert_int_equal(message->uid, 2);
	assert_int_equal(message->len, strlen(MSG2_UNQUOTED));
	assert_memory_equal(message->data, MSG2_UNQUOTED, message->len);
	struct account_event *flags = find(&ev, ACCOUNT_EVENT_FLAGS);
	assert_non_null(flags);
	assert_int_equal(flags->uid_count, 1);
	assert_int_equal(flags->uids[0], 2);
	assert_int_equal(flags->flags[0], ENVELOPE_SEEN | ENVELOPE_RECENT);
	events_clear(&ev);

	/* the last message: no trailing separator to strip */
	r = account_request_new(ACCOUNT_REQUEST_FETCH_MESSAGE);
	r->uid = 3;
	run(fx, r, &ev);
	last_is_done(&ev);
	message = find(&ev, ACCOUNT_EVENT_MESSAGE);
	assert_int_equal(message->len, strlen(MSG3));
	assert_memory_equal(message->data, MSG3, message->len);
	events_clear(&ev);

	r = account_request_new(ACCOUNT_REQUEST_FETCH_MESSAGE);
	r->uid = 99;
	run(fx, r, &ev);
	assert_non_null(strstr(last_error(&ev), "99"));
	events_clear(&ev);

	/* flags change in memory; unknown UIDs are left out */
	r = account_request_new(ACCOUNT_REQUEST_SET_FLAGS);
	r->uids = xmalloc(3 * sizeof *r->uids);
	r->uids[0] = 1;
	r->uids[1] = 99;
	r->uids[2] = 3;
	r->uid_count = 3;
	r->add = ENVELOPE_DELETED;
	r->remove = ENVELOPE_SEEN | ENVELOPE_FLAGGED;
	run(fx, r, &ev);
	last_is_done(&ev);
	flags = find(&ev, ACCOUNT_EVENT_FLAGS);
	assert_non_null(flags);
	assert_int_equal(flags->uid_count, 2);
	assert_int_equal(flags->uids[0], 1);
	assert_int_equal(flags->flags[0], ENVELOPE_DELETED);
	assert_int_equal(flags->uids[1], 3);
	assert_int_equal(flags->flags[1], ENVELOPE_DELETED);
	events_clear(&ev);

	/* the counts follow the flags in memory: 1 and 3 unseen, 2 seen */
	run(fx, account_request_new(ACCOUNT_REQUEST_LIST_FOLDERS), &ev);
	last_is_done(&ev);
	assert_int_equal(find(&ev, ACCOUNT_EVENT_FOLDERS)->folders[0].unseen, 2);
	events_clear(&ev);

	/* refusals */
	r = account_request_new(ACCOUNT_REQUEST_COPY);
	r->folder = xstrdup("Archive");
	r->uids = xmalloc(sizeof *r->uids);
	r->uids[0] = 1;
	r->uid_count = 1;
	run(fx, r, &ev);
	assert_non_null(strstr(last_error(&ev), "read-only"));
	events_clear(&ev);
	run(fx, account_request_new(ACCOUNT_REQUEST_EXPUNGE), &ev);
	assert_non_null(strstr(last_error(&ev), "read-only"));
	events_clear(&ev);

	/* the file is never written */
	account_free(&fx->account);
	char *after = read_file(fx->path);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

/* Make sure the file's time stamp moves even on a coarse clock. */
static void touch_later(const char *path)
{
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	struct timespec times[2] = { st.st_atim, st.st_mtim };
	times[1].tv_sec += 2;
	assert_int_equal(utimensat(AT_FDCWD, path, times, 0), 0);
}

static void test_check(void **state)
{
	struct fixture *fx = *state;
	struct events ev;
	start(fx);
	open_inbox(fx, &ev);
	events_clear(&ev);

	/* nothing changed: nothing posted */
	run(fx, account_request_new(ACCOUNT_REQUEST_CHECK), &ev);
	last_is_done(&ev);
	assert_int_equal(ev.count, 1);
	events_clear(&ev);

	/* a message appended: only it arrives, with the next UID */
	append_file(fx->path, "\n" FROM_LINE MSG4);
	touch_later(fx->path);
	run(fx, account_request_new(ACCOUNT_REQUEST_CHECK), &ev);
	last_is_done(&ev);
	assert_int_equal(ev.envelopes, 1);
	const struct envelope *e4 = find_uid(&ev, 4);
	assert_non_null(e4);
	assert_string_equal(envelope_subject(e4), "fourth");
	assert_null(find(&ev, ACCOUNT_EVENT_EXPUNGED));
	struct account_event *counts = find(&ev, ACCOUNT_EVENT_FOLDER_COUNTS);
	assert_non_null(counts);
	assert_int_equal(counts->folders[0].total, 4);
	assert_int_equal(counts->folders[0].unseen, 3);
	events_clear(&ev);

	struct account_request *r = account_request_new(ACCOUNT_REQUEST_FETCH_MESSAGE);
	r->uid = 4;
	run(fx, r, &ev);
	last_is_done(&ev);
	assert_memory_equal(find(&ev, ACCOUNT_EVENT_MESSAGE)->data, MSG4, strlen(MSG4));
	events_clear(&ev);

	/* rewritten with fewer messages: all old UIDs go, the new ones come */
	write_file(fx->path, FROM_LINE MSG3 "\n" FROM_LINE MSG1);
	touch_later(fx->path);
	run(fx, account_request_new(ACCOUNT_REQUEST_CHECK), &ev);
	last_is_done(&ev);
	struct account_event *gone = find(&ev, ACCOUNT_EVENT_EXPUNGED);
	assert_non_null(gone);
	assert_int_equal(gone->uid_count, 4);
	assert_int_equal(ev.envelopes, 2);
	assert_string_equal(envelope_subject(find_uid(&ev, 1)), "third");
	assert_string_equal(envelope_subject(find_uid(&ev, 2)), "first");
	assert_null(find_uid(&ev, 3));
	events_clear(&ev);
}

static void test_batches(void **state)
{
	struct fixture *fx = *state;
	struct events ev;
	struct buf mbox;
	buf_init(&mbox);
	for (int i = 1; i <= 1234; i++)
		buf_printf(&mbox, "%s" FROM_LINE "From: n%d@x.example\nSubject: number %d\n\nbody\n",
		           i > 1 ? "\n" : "", i, i);
	write_file(fx->path, mbox.data);
	buf_free(&mbox);
	start(fx);
	open_inbox(fx, &ev);
	assert_int_equal(ev.envelopes, 1234);
	/* three batches, newest first */
	size_t batches = 0;
	uint32_t first_uid = 0;
	for (size_t i = 0; i < ev.count; i++) {
		if (ev.items[i]->kind != ACCOUNT_EVENT_ENVELOPES)
			continue;
		if (batches++ == 0)
			first_uid = envelope_uid(ev.items[i]->envelopes[0]);
	}
	assert_int_equal(batches, 3);
	assert_int_equal(first_uid, 1234);
	assert_int_equal(ev.progress, 3);
	assert_string_equal(envelope_subject(find_uid(&ev, 777)), "number 777");
	events_clear(&ev);
}

static void test_missing_file(void **state)
{
	struct fixture *fx = *state;
	unlink(fx->path);
	start(fx);
	/* the account says why it is offline */
	bool error_seen = false;
	for (int i = 0; i < 10 && !error_seen; i++) {
		struct account_event *event = next_event(fx->account);
		if (event->kind == ACCOUNT_EVENT_ERROR) {
			assert_non_null(strstr(event->err.message, "inbox.mbox"));
			error_seen = true;
		}
		account_event_free(&event);
	}
	assert_true(error_seen);
	/* a request fails with the same reason rather than hanging */
	struct events ev;
	run(fx, account_request_new(ACCOUNT_REQUEST_LIST_FOLDERS), &ev);
	assert_non_null(strstr(last_error(&ev), "inbox.mbox"));
	events_clear(&ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_list_and_open, setup, teardown),
		cmocka_unit_test_setup_teardown(test_message_and_flags, setup, teardown),
		cmocka_unit_test_setup_teardown(test_check, setup, teardown),
		cmocka_unit_test_setup_teardown(test_batches, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_file, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
