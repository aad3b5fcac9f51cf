/*
 * cancel: a token that aborts blocked network calls from another thread.
 * It is a self-pipe (polled beside the socket) plus an atomic flag, shared
 * by reference count between the caller and the streams that use it.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#include "net/internal.h"

struct net_cancel {
	atomic_int refs;
	atomic_bool triggered;
	int pipe_fds[2];  /* [0] is polled, [1] is written once */
};

struct net_cancel *net_cancel_new(void)
{
	struct net_cancel *cancel = xcalloc(1, sizeof *cancel);

	atomic_init(&cancel->refs, 1);
	atomic_init(&cancel->triggered, false);
	if (pipe2(cancel->pipe_fds, O_CLOEXEC | O_NONBLOCK) != 0) {
		/* Out of descriptors: the flag alone still stops every
		 * loop at its next wake-up, within the timeout. */
		cancel->pipe_fds[0] = -1;
		cancel->pipe_fds[1] = -1;
	}
	return cancel;
}

struct net_cancel *net_cancel_ref(struct net_cancel *cancel)
{
	if (cancel != NULL)
		atomic_fetch_add(&cancel->refs, 1);
	return cancel;
}

void net_cancel_trigger(struct net_cancel *cancel)
{
	if (cancel == NULL)
		return;
	if (atomic_exchange(&cancel->triggered, true))
		return;
	if (cancel->pipe_fds[1] >= 0) {
		static const char byte = 'x';
		ssize_t n;
		do
			n = write(cancel->pipe_fds[1], &byte, 1);
		while (n < 0 && errno == EINTR);
	}
}

bool net_cancel_is_set(const struct net_cancel *cancel)
{
	return cancel != NULL && atomic_load(&cancel->triggered);
}

int net_cancel_fd(const struct net_cancel *cancel)
{
	return cancel != NULL ? cancel->pipe_fds[0] : -1;
}

void net_cancel_free(struct net_cancel **cancel)
{
	if (cancel == NULL || *cancel == NULL)
		return;
	struct net_cancel *c = *cancel;
	*cancel = NULL;
	if (atomic_fetch_sub(&c->refs, 1) != 1)
		return;
	if (c->pipe_fds[0] >= 0)
		close(c->pipe_fds[0]);
	if (c->pipe_fds[1] >= 0)
		close(c->pipe_fds[1]);
	free(c);
}
