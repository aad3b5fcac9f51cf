/*
 * account/imap/idle.c: waiting for news from the server.  With IDLE
 * (RFC 2177) the command is started by hand — libetpan's mailimap_idle()
 * hangs when untagged data comes before the "+" and crashes without a
 * selected folder — then the socket and the worker's wake-up fd are
 * polled together, and DONE ends it.  Without IDLE, the wait is a plain
 * poll on the wake-up fd followed by a NOOP.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "account/imap/imap_private.h"
#include "net/net.h"

/* Wait for fd_a or fd_b (-1: none) to be readable; 1 readable, 0 timed
 * out, -1 error.  *which tells which one. */
static int wait_readable(int fd_a, int fd_b, int timeout_ms, int *which)
{
	struct pollfd fds[2] = {{.fd = fd_a, .events = POLLIN},
	                        {.fd = fd_b, .events = POLLIN}};
	struct timespec start, now;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		long elapsed = (now.tv_sec - start.tv_sec) * 1000 +
		               (now.tv_nsec - start.tv_nsec) / 1000000;
		int left = timeout_ms - (int)elapsed;
		if (left < 0)
			left = 0;
		int r = poll(fds, 2, left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r;
		*which = (fds[0].revents != 0) ? 0 : 1;
		return 1;
	}
}

/* Untagged lines that came before "+": libetpan does not parse them. */
static void idle_untagged(struct imap_backend *b, const char *line)
{
	unsigned long n;
	char word[16];

	if (sscanf(line, "* %lu %15s", &n, word) != 2)
		return;
	if (strcasecmp(word, "EXISTS") == 0 && b->imap->imap_selection_info)
		b->imap->imap_selection_info->sel_exists = (uint32_t)n;
	else if (strcasecmp(word, "EXPUNGE") == 0 && n > 0 &&
	         n <= b->message_count) {
		imap_note_gone(b, b->messages[n - 1].uid);
		imap_message_remove_at(b, n - 1);
		if (b->imap->imap_selection_info &&
		    b->imap->imap_selection_info->sel_exists > 0)
			b->imap->imap_selection_info->sel_exists--;
	}
}

static int idle_start(struct imap_backend *b, struct rowan_err *err)
{
	static const char command[] = "IDLE\r\n";
	int r = mailimap_send_current_tag(b->imap);

	if (r == MAILIMAP_NO_ERROR &&
	    (mailstream_write(b->imap->imap_stream, command,
	                      sizeof command - 1) < 0 ||
	     mailstream_flush(b->imap->imap_stream) < 0))
		r = MAILIMAP_ERROR_STREAM;
	while (r == MAILIMAP_NO_ERROR) {
		char *line = mailimap_read_line(b->imap);
		if (line == NULL) {
			r = MAILIMAP_ERROR_STREAM;
			break;
		}
		if (line[0] == '+')
			return 0;
		if (line[0] == '*') {
			idle_untagged(b, line);
			continue;
		}
		/* The tagged answer: the server refused IDLE. */
		rowan_err_set(err, ROWAN_ERR_SERVER, _("%s: IDLE failed: %.200s"),
		              b->acct->host, line);
		return -1;
	}
	imap_error(b, r, "IDLE", err);
	return -1;
}

/* Process what arrived: expunges, flag changes, new messages. */
static int idle_changes(struct imap_backend *b, struct rowan_err *err)
{
	size_t before = b->message_count;
	bool changed = b->flag_count > 0 || b->gone_count > 0;

	imap_after_command(b);
	changed = changed || b->flag_count > 0 || b->gone_count > 0 ||
	          b->message_count != before;
	imap_post_changes(b);
	if (b->imap->imap_selection_info != NULL &&
	    b->imap->imap_selection_info->sel_exists > b->message_count) {
		if (imap_fetch_new(b, err) != 0)
			return -1;
		changed = true;
	}
	if (changed)
		imap_post_counts(b);
	return 0;
}

static int poll_then_noop(struct imap_backend *b, int timeout_ms,
                          struct rowan_err *err)
{
	long long check = config_get_number(b->cfg, CONFIG_VAR_MAIL_CHECK);
	int wait = timeout_ms, which = 0;
	bool noop = false;

	if (check > 0 && check * 1000 <= wait) {
		wait = (int)(check * 1000);
		noop = true;
	}
	int r = wait_readable(account_worker_wake_fd(b->worker), -1, wait, &which);
	if (r != 0 || !noop || b->folder == NULL)
		return 0;
	return imap_check(b, b->worker, err);
}

int imap_idle(void *state, struct account_worker *worker, int timeout_ms,
              struct rowan_err *err)
{
	struct imap_backend *b = state;
	int which = 0;

	b->worker = worker;
	if (imap_require(b, err) != 0)
		return -1;
	if (timeout_ms < 0 || timeout_ms > IMAP_IDLE_MAX_MS)
		timeout_ms = IMAP_IDLE_MAX_MS;
	if (!(b->server_caps & IMAP_CAP_IDLE) ||
	    !config_get_bool(b->cfg, CONFIG_VAR_IMAP_IDLE) || b->folder == NULL ||
	    b->imap->imap_state != MAILIMAP_STATE_SELECTED ||
	    b->imap->imap_selection_info == NULL)
		return poll_then_noop(b, timeout_ms, err);
	/* News that came with an earlier command first. */
	if (b->imap->imap_selection_info->sel_exists > b->message_count ||
	    b->flag_count > 0 || b->gone_count > 0)
		return idle_changes(b, err);
	if (idle_start(b, err) != 0)
		return -1;
	/* Bytes already received (libetpan's buffer, TLS, compression) are
	 * not seen by poll(). */
	if (!net_stream_has_pending(b->imap->imap_stream)) {
		int fd = mailstream_low_get_fd(mailstream_get_low(b->imap->imap_stream));
		wait_readable(fd, account_worker_wake_fd(worker), timeout_ms, &which);
	}
	int r = mailimap_idle_done(b->imap);
	if (r != MAILIMAP_NO_ERROR) {
		imap_after_command(b);
		imap_error(b, r, "IDLE", err);
		return -1;
	}
	return idle_changes(b, err);
}
