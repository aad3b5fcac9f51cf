/*
 * tcp: resolve a host name and connect to it (IPv4 or IPv6, each address
 * in turn) with a non-blocking connect bounded by a timeout.
 */
#include "config.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/internal.h"

enum tcp_failure {
	TCP_FAILED_ERRNO,
	TCP_FAILED_TIMEOUT,
	TCP_FAILED_CANCELLED,
};

static void tcp_set_options(int fd)
{
	int on = 1;

	/* Best effort: a socket without them still works. */
	(void)setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
}

/*
 * Connect fd to one address.  Returns 0, or -1 with *failure (and
 * *error_number for TCP_FAILED_ERRNO) set.
 */
static int tcp_connect_one(int fd, const struct addrinfo *ai,
                           int timeout_seconds,
                           const struct net_cancel *cancel,
                           enum tcp_failure *failure, int *error_number)
{
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
		return 0;
	if (errno != EINPROGRESS && errno != EINTR) {
		*failure = TCP_FAILED_ERRNO;
		*error_number = errno;
		return -1;
	}
	int64_t deadline = net_clock_ms() + (int64_t)timeout_seconds * 1000;
	switch (net_io_wait(fd, POLLOUT, cancel, deadline)) {
	case NET_WAIT_READY:
		break;
	case NET_WAIT_TIMEOUT:
		*failure = TCP_FAILED_TIMEOUT;
		return -1;
	case NET_WAIT_CANCELLED:
		*failure = TCP_FAILED_CANCELLED;
		return -1;
	case NET_WAIT_ERROR:
		*failure = TCP_FAILED_ERRNO;
		*error_number = errno;
		return -1;
	}
	int so_error = 0;
	socklen_t len = sizeof so_error;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &len) != 0)
		so_error = errno;
	if (so_error != 0) {
		*failure = TCP_FAILED_ERRNO;
		*error_number = so_error;
		return -1;
	}
	return 0;
}

static void tcp_report(const char *label, enum tcp_failure failure,
                       int error_number, int timeout_seconds,
                       struct rowan_err *err)
{
	switch (failure) {
	case TCP_FAILED_TIMEOUT:
		rowan_err_set(err, ROWAN_ERR_NET,
		              _("%s: connection timed out after %d s"),
		              label, timeout_seconds);
		break;
	case TCP_FAILED_CANCELLED:
		rowan_err_set(err, ROWAN_ERR_NET, _("%s: connection cancelled"),
		              label);
		break;
	case TCP_FAILED_ERRNO:
		if (error_number == ECONNREFUSED)
			rowan_err_set(err, ROWAN_ERR_NET,
			              _("%s: connection refused"), label);
		else
			rowan_err_set(err, ROWAN_ERR_NET,
			              _("%s: cannot connect: %s"), label,
			              strerror(error_number));
		break;
	}
}

int net_tcp_connect(const char *host, unsigned short port,
                    int timeout_seconds, const struct net_cancel *cancel,
                    struct rowan_err *err)
{
	int result = -1;
	char *label = net_label_new(host, port);
	struct addrinfo *addresses = NULL;
	char service[16];

	snprintf(service, sizeof service, "%u", (unsigned)port);
	struct addrinfo hints = {
		.ai_family = AF_UNSPEC,
		.ai_socktype = SOCK_STREAM,
		.ai_flags = AI_NUMERICSERV,
	};
	int r = getaddrinfo(host, service, &hints, &addresses);
	if (r != 0) {
		if (r == EAI_NONAME
#ifdef EAI_NODATA
		    || r == EAI_NODATA
#endif
		    )
			rowan_err_set(err, ROWAN_ERR_NET, _("%s: host not found"),
			              label);
		else
			rowan_err_set(err, ROWAN_ERR_NET,
			              _("%s: cannot look up the host name: %s"),
			              label, r == EAI_SYSTEM ? strerror(errno)
			                                     : gai_strerror(r));
		goto out;
	}

	enum tcp_failure failure = TCP_FAILED_ERRNO;
	int error_number = EHOSTUNREACH;
	for (const struct addrinfo *ai = addresses; ai != NULL;
	     ai = ai->ai_next) {
		int fd = socket(ai->ai_family,
		                ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
		                ai->ai_protocol);
		if (fd < 0) {
			failure = TCP_FAILED_ERRNO;
			error_number = errno;
			continue;
		}
		tcp_set_options(fd);
		if (tcp_connect_one(fd, ai, timeout_seconds, cancel, &failure,
		                    &error_number) == 0) {
			result = fd;
			goto out;
		}
		close(fd);
		if (failure == TCP_FAILED_CANCELLED)
			break;
	}
	tcp_report(label, failure, error_number, timeout_seconds, err);

out:
	if (addresses != NULL)
		freeaddrinfo(addresses);
	free(label);
	return result;
}
