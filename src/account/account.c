/*
 * account: the UI thread's side of an account — creating and stopping it,
 * sending requests, taking events — and the two queues between the
 * threads.  The worker's side is in worker.c.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "account/account.h"
#include "account/backend.h"
#include "account/worker.h"
#include "net/net.h"

/* How long account_free lets the worker say goodbye to the server before
 * cutting the connection. */
#define ACCOUNT_STOP_GRACE_MS 2000

/* ---- queues ---- */

int account_queue_init(struct account_queue *queue)
{
	memset(queue, 0, sizeof(*queue));
	if (pipe(queue->pipe) != 0)
		return -1;
	for (int i = 0; i < 2; i++) {
		int flags = fcntl(queue->pipe[i], F_GETFL);
		fcntl(queue->pipe[i], F_SETFL, flags | O_NONBLOCK);
		fcntl(queue->pipe[i], F_SETFD, FD_CLOEXEC);
	}
	return 0;
}

void account_queue_push(struct account_queue *queue, void *item)
{
	bool was_empty = queue->head == queue->len;
	if (queue->len == queue->cap) {
		if (queue->head > 0) {
			memmove(queue->items, queue->items + queue->head,
			        (queue->len - queue->head) * sizeof(void *));
			queue->len -= queue->head;
			queue->head = 0;
		}
		if (queue->len == queue->cap) {
			queue->cap = queue->cap ? queue->cap * 2 : 64;
			queue->items = xrealloc(queue->items, queue->cap * sizeof(void *));
		}
	}
	queue->items[queue->len++] = item;
	if (was_empty) {
		char byte = 1;
		ssize_t n;
		do
			n = write(queue->pipe[1], &byte, 1);
		while (n < 0 && errno == EINTR);
	}
}

static void queue_drain_if_empty(struct account_queue *queue)
{
	if (queue->head != queue->len)
		return;
	queue->head = queue->len = 0;
	char sink[64];
	while (read(queue->pipe[0], sink, sizeof(sink)) > 0)
		;
}

void *account_queue_pop(struct account_queue *queue)
{
	if (queue->head == queue->len)
		return NULL;
	void *item = queue->items[queue->head++];
	queue_drain_if_empty(queue);
	return item;
}

void *account_queue_take(struct account_queue *queue,
                         bool (*match)(void *item, void *ctx), void *ctx)
{
	for (size_t i = queue->head; i < queue->len; i++) {
		if (!match(queue->items[i], ctx))
			continue;
		void *item = queue->items[i];
		memmove(queue->items + i, queue->items + i + 1,
		        (queue->len - i - 1) * sizeof(void *));
		queue->len--;
		queue_drain_if_empty(queue);
		return item;
	}
	return NULL;
}

void account_queue_destroy(struct account_queue *queue, void (*free_item)(void *))
{
	for (size_t i = queue->head; i < queue->len; i++)
		free_item(queue->items[i]);
	free(queue->items);
	for (int i = 0; i < 2; i++)
		if (queue->pipe[i] >= 0)
			close(queue->pipe[i]);
	memset(queue, 0, sizeof(*queue));
}

/* ---- requests and events ---- */

struct account_request *account_request_new(enum account_request_kind kind)
{
	struct account_request *request = xcalloc(1, sizeof(*request));
	request->kind = kind;
	return request;
}

void account_request_free(struct account_request **request)
{
	if (request == NULL || *request == NULL)
		return;
	struct account_request *r = *request;
	free(r->folder);
	free(r->part);
	free(r->uids);
	if (r->text != NULL) {
		explicit_bzero(r->text, strlen(r->text));
		free(r->text);
	}
	free(r);
	*request = NULL;
}

struct account_event *account_event_new(enum account_event_kind kind)
{
	struct account_event *event = xcalloc(1, sizeof(*event));
	event->kind = kind;
	event->retry_seconds = -1;
	return event;
}

void account_event_free(struct account_event **event)
{
	if (event == NULL || *event == NULL)
		return;
	struct account_event *e = *event;
	for (size_t i = 0; e->folders != NULL && i < e->folder_count; i++) {
		free(e->folders[i].name);
		free(e->folders[i].display);
	}
	free(e->folders);
	free(e->folder);
	for (size_t i = 0; e->envelopes != NULL && i < e->envelope_count; i++)
		envelope_free(&e->envelopes[i]);
	free(e->envelopes);
	free(e->uids);
	free(e->flags);
	free(e->part);
	free(e->data);
	for (size_t i = 0; e->omitted != NULL && i < e->omitted_count; i++)
		free(e->omitted[i].part);
	free(e->omitted);
	free(e->text);
	free(e);
	*event = NULL;
}

static void request_free_item(void *item)
{
	struct account_request *request = item;
	account_request_free(&request);
}

static void event_free_item(void *item)
{
	struct account_event *event = item;
	account_event_free(&event);
}

/* ---- the account ---- */

struct account *account_alloc(const struct config *cfg, const char *name)
{
	struct account *account = xcalloc(1, sizeof(*account));
	account->name = xstrdup(name);
	account->cfg = cfg;
	account->next_id = 1;
	account->requests.pipe[0] = account->requests.pipe[1] = -1;
	account->events.pipe[0] = account->events.pipe[1] = -1;
	pthread_mutex_init(&account->lock, NULL);
	pthread_cond_init(&account->finished_cond, NULL);
	if (account_queue_init(&account->requests) != 0 ||
	    account_queue_init(&account->events) != 0) {
		/* Out of file descriptors: treat like out of memory. */
		fprintf(stderr, "rowan: %s\n", strerror(errno));
		abort();
	}
	account->cancel = net_cancel_new();
	account->worker.account = account;
	account->worker.backoff = 1;
	return account;
}

struct account *account_new_with_backend(const struct config *cfg,
                                         const struct config_account *acct,
                                         const char *name,
                                         const struct account_backend_ops *ops,
                                         void *state)
{
	struct account *account = account_alloc(cfg, name);
	account->acct = acct;
	account->ops = ops;
	account->backend = state;
	return account;
}

int account_start(struct account *account, struct rowan_err *err)
{
	/* A deep BODYSTRUCTURE or MIME tree must not overflow the stack. */
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, (size_t)16 << 20);
	int rc = pthread_create(&account->thread, &attr, account_worker_main, account);
	pthread_attr_destroy(&attr);
	if (rc != 0) {
		rowan_err_set(err, ROWAN_ERR_INTERNAL, _("cannot start a thread: %s"),
		              strerror(rc));
		return -1;
	}
	account->started = true;
	return 0;
}

/* Wait until the worker has left its loop, for at most ms milliseconds. */
static bool wait_finished(struct account *account, long ms)
{
	struct timespec deadline;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += ms / 1000;
	deadline.tv_nsec += (ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&account->lock);
	while (!account->finished) {
		if (pthread_cond_timedwait(&account->finished_cond, &account->lock,
		                           &deadline) == ETIMEDOUT)
			break;
	}
	bool finished = account->finished;
	pthread_mutex_unlock(&account->lock);
	return finished;
}

void account_free(struct account **accountp)
{
	if (accountp == NULL || *accountp == NULL)
		return;
	struct account *account = *accountp;
	if (account->started) {
		pthread_mutex_lock(&account->lock);
		account->stopping = true;
		/* Wake the worker wherever it waits on its queue. */
		char byte = 0;
		ssize_t n = write(account->requests.pipe[1], &byte, 1);
		(void)n;
		pthread_mutex_unlock(&account->lock);
		/* Let it log out politely; cut the connection if it is stuck. */
		if (!wait_finished(account, ACCOUNT_STOP_GRACE_MS))
			net_cancel_trigger(account->cancel);
		pthread_join(account->thread, NULL);
	}
	if (account->ops != NULL && account->backend != NULL)
		account->ops->destroy(account->backend);
	account_queue_destroy(&account->requests, request_free_item);
	account_queue_destroy(&account->events, event_free_item);
	free(account->worker.folder);
	if (account->worker.password != NULL) {
		explicit_bzero(account->worker.password, strlen(account->worker.password));
		free(account->worker.password);
	}
	net_cancel_free(&account->cancel);
	pthread_mutex_destroy(&account->lock);
	pthread_cond_destroy(&account->finished_cond);
	free(account->name);
	free(account);
	*accountp = NULL;
}

const char *account_name(const struct account *account)
{
	return account->name;
}

int account_wake_fd(const struct account *account)
{
	return account->events.pipe[0];
}

uint64_t account_request_send(struct account *account,
                              struct account_request *request)
{
	pthread_mutex_lock(&account->lock);
	request->id = account->next_id++;
	if (request->kind == ACCOUNT_REQUEST_OPEN_FOLDER ||
	    request->kind == ACCOUNT_REQUEST_CLOSE_FOLDER)
		account->folder_requests_queued++;
	uint64_t id = request->id;
	account_queue_push(&account->requests, request);
	pthread_mutex_unlock(&account->lock);
	return id;
}

struct account_event *account_event_next(struct account *account)
{
	pthread_mutex_lock(&account->lock);
	struct account_event *event = account_queue_pop(&account->events);
	pthread_mutex_unlock(&account->lock);
	return event;
}
