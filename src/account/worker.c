/*
 * account/worker.c: the account's worker thread.  It connects, takes the
 * UI's requests in order and hands them to the backend, waits for new
 * mail between requests (IDLE, or a check every mail_check seconds), and
 * reconnects with back-off when the connection drops, re-opening the
 * folder that was open so the UI keeps its place.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "account/account.h"
#include "account/backend.h"
#include "account/worker.h"
#include "net/net.h"

/* Longest pause between two reconnection attempts, in seconds. */
#define WORKER_BACKOFF_MAX 300
/* How long one idle call may wait before the worker looks around. */
#define WORKER_IDLE_SLICE_MS (5 * 60 * 1000)

/* ---- services for backends ---- */

void account_worker_post(struct account_worker *worker, struct account_event *event)
{
	struct account *account = worker->account;
	if (event->request_id == 0 && worker->current != NULL)
		event->request_id = worker->current->id;
	if (event->folder_serial == 0)
		event->folder_serial = worker->folder_serial;
	pthread_mutex_lock(&account->lock);
	account_queue_push(&account->events, event);
	pthread_mutex_unlock(&account->lock);
}

void account_worker_progress(struct account_worker *worker, long done,
                             long total, const char *text)
{
	struct account_event *event = account_event_new(ACCOUNT_EVENT_PROGRESS);
	event->done = done;
	event->total = total;
	event->text = xstrdup(text != NULL ? text : "");
	account_worker_post(worker, event);
}

bool account_worker_stale(struct account_worker *worker)
{
	struct account *account = worker->account;
	pthread_mutex_lock(&account->lock);
	bool stale = account->stopping ||
	             (worker->current != NULL &&
	              worker->current->kind == ACCOUNT_REQUEST_OPEN_FOLDER &&
	              account->folder_requests_queued > 0);
	pthread_mutex_unlock(&account->lock);
	return stale;
}

int account_worker_wake_fd(struct account_worker *worker)
{
	return worker->account->requests.pipe[0];
}

struct net_cancel *account_worker_cancel_token(struct account_worker *worker)
{
	return worker->account->cancel;
}

bool account_err_is_connection(const struct rowan_err *err)
{
	return err->err_class == ROWAN_ERR_NET || err->err_class == ROWAN_ERR_TLS ||
	       err->err_class == ROWAN_ERR_PROTOCOL;
}

static bool is_password_answer(void *item, void *ctx)
{
	(void)ctx;
	return ((struct account_request *)item)->kind == ACCOUNT_REQUEST_PASSWORD;
}

/* Wait until fd is readable or ms pass (-1: forever); EINTR restarts.
 * True when it is readable. */
static bool wait_readable(int fd, int ms)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	int rc;
	while ((rc = poll(&pfd, 1, ms)) < 0 && errno == EINTR)
		;
	return rc > 0;
}

static bool stopping(struct account *account)
{
	pthread_mutex_lock(&account->lock);
	bool result = account->stopping;
	pthread_mutex_unlock(&account->lock);
	return result;
}

char *account_worker_password(struct account_worker *worker, struct rowan_err *err)
{
	struct account *account = worker->account;
	if (worker->password != NULL)
		return xstrdup(worker->password);
	if (account->acct == NULL) {
		rowan_err_set(err, ROWAN_ERR_AUTH, _("%s: no password is needed here"),
		              account->name);
		return NULL;
	}
	char *password = NULL;
	if (account->acct->password_command != NULL) {
		password = config_account_password(account->cfg, account->acct, err);
	} else {
		struct account_event *ask = account_event_new(ACCOUNT_EVENT_PASSWORD_NEEDED);
		ask->text = xasprintf(_("Password for %s@%s: "),
		                      account->acct->user ? account->acct->user : "",
		                      account->acct->host ? account->acct->host : "");
		account_worker_post(worker, ask);
		for (;;) {
			pthread_mutex_lock(&account->lock);
			struct account_request *answer = account->stopping ? NULL :
				account_queue_take(&account->requests, is_password_answer, NULL);
			bool stop = account->stopping;
			pthread_mutex_unlock(&account->lock);
			if (stop) {
				rowan_err_set(err, ROWAN_ERR_AUTH, _("%s: cancelled"), account->name);
				return NULL;
			}
			if (answer != NULL) {
				if (answer->text != NULL)
					password = xstrdup(answer->text);
				else
					rowan_err_set(err, ROWAN_ERR_AUTH,
					              _("%s: no password given"), account->name);
				account_request_free(&answer);
				break;
			}
			/* Other requests wait in the queue; the pipe stays readable
			 * while they do, so sleep in short steps. */
			wait_readable(account_worker_wake_fd(worker), 100);
		}
	}
	if (password != NULL)
		worker->password = xstrdup(password);
	return password;
}

/* ---- connection handling ---- */

static void post_state(struct account_worker *worker, enum account_state state,
                       const char *text, int retry_seconds)
{
	struct account *account = worker->account;
	struct account_event *event = account_event_new(ACCOUNT_EVENT_STATE);
	event->state = state;
	event->retry_seconds = retry_seconds;
	event->text = text != NULL ? xstrdup(text) : NULL;
	if (state == ACCOUNT_STATE_ONLINE)
		event->caps = account->ops->caps(account->backend);
	event->request_id = 0;
	struct account_request *current = worker->current;
	worker->current = NULL;
	account_worker_post(worker, event);
	worker->current = current;
}

static void post_error(struct account_worker *worker, uint64_t request_id,
                       const struct rowan_err *err)
{
	struct account_event *event = account_event_new(ACCOUNT_EVENT_ERROR);
	event->request_id = request_id;
	event->err = *err;
	struct account_request *current = worker->current;
	worker->current = NULL;
	account_worker_post(worker, event);
	worker->current = current;
}

/* Forget a password the server refused, so the next attempt asks again. */
static void forget_password(struct account_worker *worker)
{
	if (worker->password == NULL)
		return;
	explicit_bzero(worker->password, strlen(worker->password));
	free(worker->password);
	worker->password = NULL;
}

/*
 * Connect (and re-open the folder that was open).  Posts the state
 * changes; on failure err says why.  Returns 0 or -1.
 */
static int worker_connect(struct account_worker *worker, struct rowan_err *err)
{
	struct account *account = worker->account;
	post_state(worker, ACCOUNT_STATE_CONNECTING, NULL, -1);
	rowan_err_clear(err);
	if (account->ops->connect(account->backend, worker, err) != 0) {
		account->ops->disconnect(account->backend, false);
		if (err->err_class == ROWAN_ERR_AUTH)
			forget_password(worker);
		return -1;
	}
	worker->connected = true;
	worker->backoff = 1;
	post_state(worker, ACCOUNT_STATE_ONLINE, NULL, -1);
	if (worker->folder != NULL) {
		struct account_request *current = worker->current;
		worker->current = NULL;
		int rc = account->ops->open_folder(account->backend, worker, worker->folder,
		                                   true, err);
		worker->current = current;
		if (rc != 0) {
			account->ops->disconnect(account->backend, false);
			worker->connected = false;
			if (!account_err_is_connection(err)) {
				/* The folder went away: carry on without it. */
				post_error(worker, 0, err);
				free(worker->folder);
				worker->folder = NULL;
				worker->folder_serial = 0;
				worker->connected = true;
				return 0;
			}
			return -1;
		}
	}
	return 0;
}

static void worker_disconnect(struct account_worker *worker, bool graceful)
{
	struct account *account = worker->account;
	if (worker->connected)
		account->ops->disconnect(account->backend, graceful);
	worker->connected = false;
}

/* ---- requests ---- */

static int run_request(struct account_worker *worker, struct account_request *r,
                       struct rowan_err *err)
{
	struct account *account = worker->account;
	const struct account_backend_ops *ops = account->ops;
	void *state = account->backend;
	switch (r->kind) {
	case ACCOUNT_REQUEST_LIST_FOLDERS:
		return ops->list_folders(state, worker, err);
	case ACCOUNT_REQUEST_OPEN_FOLDER: {
		if (r->folder == NULL) {
			rowan_err_set(err, ROWAN_ERR_INTERNAL, "open: no folder");
			return -1;
		}
		free(worker->folder);
		worker->folder = NULL;
		worker->folder_serial = r->id;
		int rc = ops->open_folder(state, worker, r->folder, false, err);
		if (rc == 0)
			worker->folder = xstrdup(r->folder);
		else
			worker->folder_serial = 0;
		return rc;
	}
	case ACCOUNT_REQUEST_CLOSE_FOLDER: {
		if (worker->folder == NULL)
			return 0;
		int rc = ops->close_folder(state, worker, r->expunge, err);
		free(worker->folder);
		worker->folder = NULL;
		worker->folder_serial = 0;
		return rc;
	}
	case ACCOUNT_REQUEST_FETCH_MESSAGE:
		return ops->fetch_message(state, worker, r->uid, err);
	case ACCOUNT_REQUEST_FETCH_PART:
		return ops->fetch_part(state, worker, r->uid, r->part ? r->part : "", err);
	case ACCOUNT_REQUEST_SET_FLAGS:
		return ops->set_flags(state, worker, r->uids, r->uid_count, r->add,
		                      r->remove, err);
	case ACCOUNT_REQUEST_COPY:
	case ACCOUNT_REQUEST_MOVE:
		if (r->folder == NULL) {
			rowan_err_set(err, ROWAN_ERR_INTERNAL, "copy: no folder");
			return -1;
		}
		return ops->copy(state, worker, r->uids, r->uid_count, r->folder,
		                 r->kind == ACCOUNT_REQUEST_MOVE, err);
	case ACCOUNT_REQUEST_EXPUNGE:
		return ops->expunge(state, worker, err);
	case ACCOUNT_REQUEST_CHECK:
		return worker->folder != NULL ? ops->check(state, worker, err) : 0;
	case ACCOUNT_REQUEST_PASSWORD:
		/* An answer nobody asked for (any more). */
		return 0;
	}
	rowan_err_set(err, ROWAN_ERR_INTERNAL, "unknown request %d", (int)r->kind);
	return -1;
}

/*
 * Work on one request: needs a connection (made now if there is none),
 * and is retried once after a reconnection when the connection broke
 * under it.  Posts DONE or ERROR.
 */
static void handle_request(struct account_worker *worker, struct account_request *r)
{
	struct account *account = worker->account;
	struct rowan_err err;
	rowan_err_clear(&err);
	worker->current = r;
	int rc = -1;
	for (int attempt = 0; attempt < 2; attempt++) {
		if (!worker->connected && worker_connect(worker, &err) != 0) {
			if (account_err_is_connection(&err))
				post_state(worker, ACCOUNT_STATE_OFFLINE, err.message,
				           worker->backoff);
			break;
		}
		rowan_err_clear(&err);
		rc = run_request(worker, r, &err);
		if (rc == 0 || !account_err_is_connection(&err) || stopping(account))
			break;
		/* The connection broke: say so, then try once more. */
		worker_disconnect(worker, false);
		post_state(worker, ACCOUNT_STATE_OFFLINE, err.message, 0);
	}
	struct account_event *event;
	if (rc == 0) {
		event = account_event_new(ACCOUNT_EVENT_DONE);
	} else {
		event = account_event_new(ACCOUNT_EVENT_ERROR);
		event->err = err;
	}
	account_worker_post(worker, event);
	worker->current = NULL;
}

/* Take the next request, or NULL; keeps the folder-request count right. */
static struct account_request *next_request(struct account *account)
{
	pthread_mutex_lock(&account->lock);
	struct account_request *r = account->stopping ? NULL :
		account_queue_pop(&account->requests);
	if (r != NULL && (r->kind == ACCOUNT_REQUEST_OPEN_FOLDER ||
	                  r->kind == ACCOUNT_REQUEST_CLOSE_FOLDER))
		account->folder_requests_queued--;
	pthread_mutex_unlock(&account->lock);
	return r;
}

/* ---- waiting between requests ---- */

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Nothing to do: wait for a request, new mail or the time for the next
 * check.  Handles connection loss during the wait.
 */
static void worker_wait(struct account_worker *worker, long long *next_check)
{
	struct account *account = worker->account;
	int wake = account_worker_wake_fd(worker);
	struct rowan_err err;
	rowan_err_clear(&err);

	if (!worker->connected) {
		/* Offline: wait out the back-off, then retry; a request
		 * retries at once (handle_request connects). */
		if (wait_readable(wake, worker->backoff * 1000) || stopping(account))
			return;
		if (worker_connect(worker, &err) != 0) {
			if (err.err_class == ROWAN_ERR_AUTH ||
			    !account_err_is_connection(&err)) {
				/* Retrying will not help: wait for the user. */
				post_error(worker, 0, &err);
				post_state(worker, ACCOUNT_STATE_OFFLINE, err.message, -1);
				wait_readable(wake, -1);
				return;
			}
			worker->backoff = worker->backoff * 2 > WORKER_BACKOFF_MAX ?
			                  WORKER_BACKOFF_MAX : worker->backoff * 2;
			post_state(worker, ACCOUNT_STATE_OFFLINE, err.message, worker->backoff);
		}
		return;
	}

	long mail_check = config_get_number(account->cfg, CONFIG_VAR_MAIL_CHECK);
	if (worker->folder != NULL && account->ops->idle != NULL) {
		int rc = account->ops->idle(account->backend, worker, WORKER_IDLE_SLICE_MS,
		                            &err);
		if (rc != 0)
			goto failed;
		return;
	}
	if (worker->folder == NULL || mail_check <= 0) {
		wait_readable(wake, -1);
		return;
	}
	long long left = *next_check - now_ms();
	if (left > 0) {
		wait_readable(wake, left > 60000 ? 60000 : (int)left);
		return;
	}
	*next_check = now_ms() + mail_check * 1000;
	if (account->ops->check(account->backend, worker, &err) == 0)
		return;
failed:
	if (account_err_is_connection(&err)) {
		worker_disconnect(worker, false);
		post_state(worker, ACCOUNT_STATE_OFFLINE, err.message, worker->backoff);
	} else {
		post_error(worker, 0, &err);
	}
}

void *account_worker_main(void *arg)
{
	struct account *account = arg;
	struct account_worker *worker = &account->worker;

	/* Signals belong to the UI thread. */
	sigset_t all;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);

	struct rowan_err err;
	if (worker_connect(worker, &err) != 0) {
		if (err.err_class == ROWAN_ERR_AUTH || !account_err_is_connection(&err))
			post_error(worker, 0, &err);
		post_state(worker, ACCOUNT_STATE_OFFLINE, err.message,
		           account_err_is_connection(&err) ? worker->backoff : -1);
	}
	long long next_check = now_ms() +
		config_get_number(account->cfg, CONFIG_VAR_MAIL_CHECK) * 1000;
	while (!stopping(account)) {
		struct account_request *r = next_request(account);
		if (r != NULL) {
			handle_request(worker, r);
			account_request_free(&r);
			continue;
		}
		worker_wait(worker, &next_check);
	}
	worker_disconnect(worker, true);

	pthread_mutex_lock(&account->lock);
	account->finished = true;
	pthread_cond_broadcast(&account->finished_cond);
	pthread_mutex_unlock(&account->lock);
	return NULL;
}
