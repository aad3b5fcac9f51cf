/*
 * io: waiting on a socket with a deadline and a cancel token (poll(), not
 * select(), so any descriptor number works), and small helpers shared by
 * the connection code.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "net/internal.h"

int64_t net_clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

enum net_wait_result net_io_wait(int fd, short events,
                                 const struct net_cancel *cancel,
                                 int64_t deadline_ms)
{
	struct pollfd fds[2];
	nfds_t nfds = 1;
	int cancel_fd = net_cancel_fd(cancel);

	fds[0] = (struct pollfd){.fd = fd, .events = events};
	if (cancel_fd >= 0) {
		fds[1] = (struct pollfd){.fd = cancel_fd, .events = POLLIN};
		nfds = 2;
	}
	for (;;) {
		if (net_cancel_is_set(cancel))
			return NET_WAIT_CANCELLED;
		int64_t left = deadline_ms - net_clock_ms();
		if (left <= 0)
			return NET_WAIT_TIMEOUT;
		/* Without a cancel pipe, wake up now and then to look at
		 * the flag. */
		if (nfds == 1 && cancel != NULL && left > 250)
			left = 250;
		int r = poll(fds, nfds, left > 60000 ? 60000 : (int)left);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return NET_WAIT_ERROR;
		}
		if (r == 0)
			continue;
		if (nfds == 2 && fds[1].revents != 0)
			return NET_WAIT_CANCELLED;
		/* POLLERR/POLLHUP: let the next read or write report it. */
		if (fds[0].revents != 0)
			return NET_WAIT_READY;
	}
}

bool net_host_is_ip(const char *host)
{
	unsigned char addr[sizeof(struct in6_addr)];

	return inet_pton(AF_INET, host, addr) == 1 ||
	       inet_pton(AF_INET6, host, addr) == 1;
}

char *net_label_new(const char *host, unsigned short port)
{
	if (strchr(host, ':') != NULL)
		return xasprintf("[%s]:%u", host, (unsigned)port);
	return xasprintf("%s:%u", host, (unsigned)port);
}

void net_text_clean(const char *text, char *out, size_t size)
{
	size_t n = 0;
	bool space = true; /* drops leading blanks */

	if (size == 0)
		return;
	for (const unsigned char *p = (const unsigned char *)(text != NULL ? text : "");
	     *p != '\0' && n + 1 < size; p++) {
		if (*p <= ' ' || *p == 0x7f) {
			if (!space)
				out[n++] = ' ';
			space = true;
		} else {
			out[n++] = (char)*p;
			space = false;
		}
	}
	while (n > 0 && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
}

int net_options_timeout(const struct net_options *opts)
{
	if (opts == NULL || opts->timeout_seconds <= 0)
		return NET_DEFAULT_TIMEOUT;
	return opts->timeout_seconds;
}
