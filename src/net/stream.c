/*
 * stream: the libetpan low-level driver that carries libetpan's IMAP,
 * POP3 and SMTP parsers over Rowan's sockets, plaintext or TLS.
 *
 * The driver contract as libetpan relies on it: read blocks until at
 * least one byte arrives and returns -1 (never 0) at end of file, on
 * errors, timeouts and cancellation — 0 makes libetpan spin forever in
 * the middle of a literal; write may be partial; close shuts the
 * connection and closes the socket if the driver owns it; free releases
 * the driver data and the mailstream_low itself but never closes a
 * socket it does not own (STARTTLS hands the socket to a new driver).
 * Every byte read passes through the guard (guard.c) first.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libetpan/carray.h>
#include <libetpan/mailstream_low.h>
#include <libetpan/mmapstring.h>
#include <openssl/err.h>

#include "net/guard.h"
#include "net/internal.h"

#define STREAM_BUFFER_SIZE 8192

struct net_low {
	int fd;
	bool owns_fd;
	bool closed;
	SSL *ssl;                  /* NULL: plaintext */
	struct net_cancel *cancel; /* our reference */
	struct net_guard guard;
	char *label;               /* "host:port" for messages */
	bool failed;               /* sticky: every later call fails */
	struct rowan_err error;    /* why it failed */
	bool layered;              /* compress.c checks the bytes it inflates */
};

static mailstream_low_driver net_low_driver;

/* The driver's data, also under a compression layer (compress.c). */
static struct net_low *low_data(mailstream_low *low)
{
	low = net_compress_inner(low);
	if (low == NULL || low->driver != &net_low_driver)
		return NULL;
	return low->data;
}

static int64_t low_deadline(mailstream_low *low)
{
	time_t seconds = mailstream_low_get_timeout(low);

	if (seconds <= 0)
		seconds = NET_DEFAULT_TIMEOUT;
	return net_clock_ms() + (int64_t)seconds * 1000;
}

/* Record why the stream died (first reason wins) and return -1. */
static ssize_t low_fail(struct net_low *nl, enum rowan_err_class err_class,
                        const char *message)
{
	if (!nl->failed) {
		nl->failed = true;
		rowan_err_set(&nl->error, err_class, "%s", message);
	}
	return -1;
}

static ssize_t low_fail_timeout(struct net_low *nl, mailstream_low *low)
{
	time_t seconds = mailstream_low_get_timeout(low);
	char *message = xasprintf(_("%s: timed out after %ld s waiting for the server"),
	                          nl->label,
	                          (long)(seconds > 0 ? seconds : NET_DEFAULT_TIMEOUT));
	low_fail(nl, ROWAN_ERR_NET, message);
	free(message);
	return -1;
}

/* Turn a wait result other than READY into the stream's failure. */
static ssize_t low_fail_wait(struct net_low *nl, mailstream_low *low,
                             enum net_wait_result wait)
{
	char *message;

	switch (wait) {
	case NET_WAIT_TIMEOUT:
		return low_fail_timeout(nl, low);
	case NET_WAIT_CANCELLED:
		message = xasprintf(_("%s: connection cancelled"), nl->label);
		break;
	default:
		message = xasprintf(_("%s: %s"), nl->label, strerror(errno));
		break;
	}
	low_fail(nl, ROWAN_ERR_NET, message);
	free(message);
	return -1;
}

static ssize_t low_fail_eof(struct net_low *nl)
{
	char *message = xasprintf(_("%s: the server closed the connection"),
	                          nl->label);
	low_fail(nl, ROWAN_ERR_NET, message);
	free(message);
	return -1;
}

static ssize_t low_fail_errno(struct net_low *nl, int error_number)
{
	char *message = xasprintf(_("%s: connection error: %s"), nl->label,
	                          strerror(error_number));
	low_fail(nl, ROWAN_ERR_NET, message);
	free(message);
	return -1;
}

/* An SSL_read/SSL_write failure that is not WANT_READ/WANT_WRITE. */
static ssize_t low_fail_ssl(struct net_low *nl, int error, int saved_errno)
{
	if (error == SSL_ERROR_ZERO_RETURN ||
	    (error == SSL_ERROR_SYSCALL && ERR_peek_last_error() == 0 &&
	     saved_errno == 0))
		return low_fail_eof(nl);
	if (error == SSL_ERROR_SYSCALL && ERR_peek_last_error() == 0)
		return low_fail_errno(nl, saved_errno);
	char *message = xasprintf(_("%s: TLS error: %s"), nl->label,
	                          net_tls_error_text());
	low_fail(nl, ROWAN_ERR_TLS, message);
	free(message);
	return -1;
}

/* Pass n freshly read bytes through the guard. */
static ssize_t low_check(struct net_low *nl, const void *buf, ssize_t n)
{
	if (nl->layered)
		return n;
	if (net_guard_feed(&nl->guard, buf, (size_t)n) == NET_GUARD_OK)
		return n;
	if (!nl->failed) {
		nl->failed = true;
		net_guard_describe(&nl->guard, nl->label, &nl->error);
	}
	return -1;
}

static ssize_t low_read(mailstream_low *low, void *buf, size_t count)
{
	struct net_low *nl = low->data;
	int64_t deadline = low_deadline(low);

	if (nl->failed || nl->closed)
		return -1;
	if (count > INT_MAX)
		count = INT_MAX;
	for (;;) {
		short events = POLLIN;

		if (net_cancel_is_set(nl->cancel))
			return low_fail_wait(nl, low, NET_WAIT_CANCELLED);
		if (nl->ssl != NULL) {
			/* SSL_read() hands out what OpenSSL already holds
			 * (SSL_pending) before we ever poll the socket. */
			ERR_clear_error();
			errno = 0;
			int r = SSL_read(nl->ssl, buf, (int)count);
			if (r > 0)
				return low_check(nl, buf, r);
			int saved_errno = errno;
			int error = SSL_get_error(nl->ssl, r);
			if (error == SSL_ERROR_WANT_WRITE)
				events = POLLOUT;
			else if (error != SSL_ERROR_WANT_READ)
				return low_fail_ssl(nl, error, saved_errno);
		} else {
			ssize_t n = recv(nl->fd, buf, count, 0);
			if (n > 0)
				return low_check(nl, buf, n);
			if (n == 0)
				return low_fail_eof(nl);
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				return low_fail_errno(nl, errno);
		}
		enum net_wait_result wait =
			net_io_wait(nl->fd, events, nl->cancel, deadline);
		if (wait != NET_WAIT_READY)
			return low_fail_wait(nl, low, wait);
	}
}

static ssize_t low_write(mailstream_low *low, const void *buf, size_t count)
{
	struct net_low *nl = low->data;
	int64_t deadline = low_deadline(low);

	if (nl->failed || nl->closed)
		return -1;
	if (count == 0)
		return 0;
	if (count > INT_MAX)
		count = INT_MAX;
	for (;;) {
		short events = POLLOUT;

		if (net_cancel_is_set(nl->cancel))
			return low_fail_wait(nl, low, NET_WAIT_CANCELLED);
		if (nl->ssl != NULL) {
			ERR_clear_error();
			errno = 0;
			int r = SSL_write(nl->ssl, buf, (int)count);
			if (r > 0)
				return r;
			int saved_errno = errno;
			int error = SSL_get_error(nl->ssl, r);
			if (error == SSL_ERROR_WANT_READ)
				events = POLLIN;
			else if (error != SSL_ERROR_WANT_WRITE)
				return low_fail_ssl(nl, error, saved_errno);
		} else {
			/* MSG_NOSIGNAL: a closed peer gives EPIPE, not
			 * SIGPIPE. */
			ssize_t n = send(nl->fd, buf, count, MSG_NOSIGNAL);
			if (n >= 0)
				return n;
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				return low_fail_errno(nl, errno);
		}
		enum net_wait_result wait =
			net_io_wait(nl->fd, events, nl->cancel, deadline);
		if (wait != NET_WAIT_READY)
			return low_fail_wait(nl, low, wait);
	}
}

static int low_close(mailstream_low *low)
{
	struct net_low *nl = low->data;

	if (nl->closed)
		return 0;
	nl->closed = true;
	if (nl->ssl != NULL && !nl->failed)
		/* One non-blocking close_notify; no waiting for the reply. */
		(void)SSL_shutdown(nl->ssl);
	if (nl->owns_fd && nl->fd >= 0)
		close(nl->fd);
	nl->fd = -1;
	return 0;
}

static int low_get_fd(mailstream_low *low)
{
	struct net_low *nl = low->data;

	return nl->fd;
}

static void low_free(mailstream_low *low)
{
	struct net_low *nl = low->data;

	if (nl != NULL) {
		if (!nl->closed && nl->owns_fd && nl->fd >= 0)
			close(nl->fd);
		SSL_free(nl->ssl);
		net_cancel_free(&nl->cancel);
		free(nl->label);
		free(nl);
	}
	/* libetpan's convention: the driver frees the low itself. */
	free(low);
}

static void low_cancel(mailstream_low *low)
{
	struct net_low *nl = low->data;

	net_cancel_trigger(nl->cancel);
}

static struct mailstream_cancel *low_get_cancel(mailstream_low *low)
{
	/* libetpan's cancel type is private; its idle helpers are unused. */
	(void)low;
	return NULL;
}

/* The server's certificates as DER, leaf first, for libetpan. */
static carray *low_get_certificate_chain(mailstream_low *low)
{
	struct net_low *nl = low->data;

	if (nl->ssl == NULL)
		return NULL;
	STACK_OF(X509) *chain = SSL_get_peer_cert_chain(nl->ssl);
	if (chain == NULL)
		return NULL;
	carray *result = carray_new(4);
	if (result == NULL)
		return NULL;
	for (int i = 0; i < sk_X509_num(chain); i++) {
		unsigned char *der = NULL;
		int len = i2d_X509(sk_X509_value(chain, i), &der);
		if (len <= 0)
			continue;
		MMAPString *item = mmap_string_new_len((const char *)der,
		                                       (size_t)len);
		OPENSSL_free(der);
		if (item == NULL || carray_add(result, item, NULL) != 0) {
			if (item != NULL)
				mmap_string_free(item);
			mailstream_certificate_chain_free(result);
			return NULL;
		}
	}
	return result;
}

static mailstream_low_driver net_low_driver = {
	.mailstream_read = low_read,
	.mailstream_write = low_write,
	.mailstream_close = low_close,
	.mailstream_get_fd = low_get_fd,
	.mailstream_free = low_free,
	.mailstream_cancel = low_cancel,
	.mailstream_get_cancel = low_get_cancel,
	.mailstream_get_certificate_chain = low_get_certificate_chain,
	.mailstream_setup_idle = NULL,
	.mailstream_unsetup_idle = NULL,
	.mailstream_interrupt_idle = NULL,
};

mailstream_low *net_low_new(int fd, SSL *ssl, const char *label,
                            const struct net_options *opts,
                            struct net_cancel *cancel, bool owns_fd)
{
	struct net_low *nl = xcalloc(1, sizeof *nl);

	nl->fd = fd;
	nl->owns_fd = owns_fd;
	nl->ssl = ssl;
	nl->cancel = net_cancel_ref(cancel);
	nl->label = xstrdup(label);
	rowan_err_clear(&nl->error);
	net_guard_init(&nl->guard, opts != NULL ? opts->max_line : 0,
	               opts != NULL ? opts->max_literal : 0,
	               opts != NULL && opts->protocol == NET_PROTOCOL_IMAP);
	mailstream_low *low = mailstream_low_new(nl, &net_low_driver);
	if (low == NULL)
		abort(); /* out of memory, as xmalloc would */
	mailstream_low_set_timeout(low, (time_t)net_options_timeout(opts));
	return low;
}

mailstream *net_stream_open(const char *host, unsigned short port,
                            enum net_security security,
                            const struct net_options *opts,
                            struct rowan_err *err)
{
	mailstream *stream = NULL;
	SSL *ssl = NULL;
	char *label = net_label_new(host, port);
	struct net_cancel *cancel = opts != NULL && opts->cancel != NULL
		? net_cancel_ref(opts->cancel) : net_cancel_new();
	int timeout = net_options_timeout(opts);

	int fd = net_tcp_connect(host, port, timeout, cancel, err);
	if (fd < 0)
		goto out;
	if (security == NET_SECURITY_IMPLICIT_TLS) {
		ssl = net_tls_handshake(fd, host, label, opts, cancel, err);
		if (ssl == NULL) {
			close(fd);
			goto out;
		}
	}
	mailstream_low *low = net_low_new(fd, ssl, label, opts, cancel, true);
	stream = mailstream_new(low, STREAM_BUFFER_SIZE);
	if (stream == NULL)
		abort(); /* out of memory */

out:
	net_cancel_free(&cancel);
	free(label);
	return stream;
}

/* Refuse to start TLS if the server already sent more than its answer. */
int net_stream_check_quiet(mailstream *stream, struct rowan_err *err)
{
	struct net_low *nl = low_data(mailstream_get_low(stream));

	if (nl == NULL || nl->fd < 0) {
		rowan_err_set(err, ROWAN_ERR_INTERNAL,
		              _("%s: cannot start TLS on this connection"),
		              net_stream_label(stream));
		return -1;
	}
	if (nl->failed) {
		if (err != NULL)
			*err = nl->error;
		return -1;
	}
	if (stream->read_buffer_len == 0) {
		/* Nothing buffered by libetpan: is anything in the socket? */
		struct pollfd pfd = {.fd = nl->fd, .events = POLLIN};
		char byte;
		int r;
		do
			r = poll(&pfd, 1, 0);
		while (r < 0 && errno == EINTR);
		if (r <= 0)
			return 0;
		ssize_t n = recv(nl->fd, &byte, 1, MSG_PEEK);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n < 0) {
			rowan_err_set(err, ROWAN_ERR_NET,
			              _("%s: connection error: %s"), nl->label,
			              strerror(errno));
			return -1;
		}
		if (n == 0) {
			rowan_err_set(err, ROWAN_ERR_NET,
			              _("%s: the server closed the connection"),
			              nl->label);
			return -1;
		}
	}
	rowan_err_set(err, ROWAN_ERR_PROTOCOL,
	              _("%s: the server sent data right after agreeing to start TLS, which could be an attack (STARTTLS response injection); refusing to continue"),
	              nl->label);
	return -1;
}

int net_stream_starttls(mailstream *stream, const char *host,
                        const struct net_options *opts,
                        struct rowan_err *err)
{
	mailstream_low *old = mailstream_get_low(stream);
	struct net_low *nl = low_data(old);

	if (nl == NULL || nl->ssl != NULL || nl->failed || nl->closed) {
		rowan_err_set(err, ROWAN_ERR_INTERNAL,
		              _("%s: cannot start TLS on this connection"),
		              net_stream_label(stream));
		return -1;
	}
	if (net_stream_check_quiet(stream, err) != 0)
		return -1;
	SSL *ssl = net_tls_handshake(nl->fd, host, nl->label, opts,
	                             nl->cancel, err);
	if (ssl == NULL)
		return -1;
	mailstream_low *tls = net_low_new(nl->fd, ssl, nl->label, opts,
	                                  nl->cancel, true);
	mailstream_low_set_timeout(tls, mailstream_low_get_timeout(old));
	/* The socket now belongs to the TLS driver: install it, then free
	 * the plaintext driver, which no longer closes the socket. */
	nl->owns_fd = false;
	mailstream_set_low(stream, tls);
	mailstream_low_free(old);
	return 0;
}

const char *net_stream_label(mailstream *stream)
{
	struct net_low *nl = stream != NULL
		? low_data(mailstream_get_low(stream)) : NULL;

	return nl != NULL ? nl->label : _("server");
}

enum rowan_err_class net_stream_error(mailstream *stream,
                                      struct rowan_err *err)
{
	struct net_low *nl = stream != NULL
		? low_data(mailstream_get_low(stream)) : NULL;

	if (nl == NULL || !nl->failed)
		return ROWAN_ERR_NONE;
	if (err != NULL)
		*err = nl->error;
	return nl->error.err_class;
}

const char *net_stream_tls_version(mailstream *stream)
{
	struct net_low *nl = stream != NULL
		? low_data(mailstream_get_low(stream)) : NULL;

	return nl != NULL && nl->ssl != NULL ? SSL_get_version(nl->ssl) : NULL;
}

void net_stream_cancel(mailstream *stream)
{
	if (stream != NULL)
		mailstream_cancel(stream);
}

/* ---- for a layer above the driver (compress.c) ---- */

void net_low_set_layered(mailstream_low *low)
{
	struct net_low *nl = low_data(low);

	if (nl != NULL)
		nl->layered = true;
}

ssize_t net_low_layer_check(mailstream_low *low, const void *buf, ssize_t n)
{
	struct net_low *nl = low_data(low);

	if (nl == NULL)
		return n;
	bool layered = nl->layered;
	nl->layered = false;
	ssize_t r = low_check(nl, buf, n);
	nl->layered = layered;
	return r;
}

ssize_t net_low_layer_fail(mailstream_low *low, enum rowan_err_class err_class,
                           const char *message)
{
	struct net_low *nl = low_data(low);

	return nl != NULL ? low_fail(nl, err_class, message) : -1;
}

bool net_low_has_pending(mailstream_low *low)
{
	struct net_low *nl = low_data(low);

	return nl != NULL && nl->ssl != NULL &&
	       (SSL_pending(nl->ssl) > 0 || SSL_has_pending(nl->ssl));
}
