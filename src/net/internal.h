/*
 * net internals: what the files of src/net/ share and nothing outside
 * the folder (except its unit tests) may use.
 */
#ifndef ROWAN_NET_INTERNAL_H
#define ROWAN_NET_INTERNAL_H

#include <poll.h>
#include <stdbool.h>
#include <stdint.h>

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "net/net.h"

/* ---- cancel.c ---- */

/* Take another reference; returns cancel. */
struct net_cancel *net_cancel_ref(struct net_cancel *cancel);
bool net_cancel_is_set(const struct net_cancel *cancel);
/* The fd that becomes readable once the token is triggered. */
int net_cancel_fd(const struct net_cancel *cancel);

/* ---- io.c ---- */

/* Milliseconds on the monotonic clock. */
int64_t net_clock_ms(void);

enum net_wait_result {
	NET_WAIT_READY,
	NET_WAIT_TIMEOUT,
	NET_WAIT_CANCELLED,
	NET_WAIT_ERROR,     /* errno is set */
};

/*
 * Wait until fd is ready for events (POLLIN/POLLOUT), the deadline (on
 * net_clock_ms()) passes or cancel (may be NULL) is triggered.  Retries
 * on EINTR with the time that is left.
 */
enum net_wait_result net_io_wait(int fd, short events,
                                 const struct net_cancel *cancel,
                                 int64_t deadline_ms);

/* "host:port", or "[v6]:port" for an IPv6 literal; newly allocated. */
char *net_label_new(const char *host, unsigned short port);
/* True for an IPv4 or IPv6 address literal. */
bool net_host_is_ip(const char *host);
/*
 * Server-supplied text made fit for a one-line message: control
 * characters and runs of blanks become one space, ends trimmed.
 */
void net_text_clean(const char *text, char *out, size_t size);
/* The effective timeout in seconds of opts (which may be NULL). */
int net_options_timeout(const struct net_options *opts);

/* ---- tcp.c ---- */

/*
 * Resolve host and connect to the first address that answers, each try
 * bounded by timeout_seconds.  Returns a connected, non-blocking,
 * close-on-exec socket with TCP_NODELAY and SO_KEEPALIVE, or -1 with err
 * filled (class NET).
 */
int net_tcp_connect(const char *host, unsigned short port,
                    int timeout_seconds, const struct net_cancel *cancel,
                    struct rowan_err *err);

/* ---- fingerprint.c ---- */

/* "sha256:" + 32 pairs of hex digits joined by ':' + NUL. */
#define NET_FINGERPRINT_TEXT_SIZE (7 + NET_SHA256_LEN * 3)

void net_fingerprint_format(const unsigned char digest[NET_SHA256_LEN],
                            char out[NET_FINGERPRINT_TEXT_SIZE]);
/* The SHA-256 of cert's DER encoding; 0 or -1. */
int net_fingerprint_digest(X509 *cert, unsigned char digest[NET_SHA256_LEN]);
/* The formatted fingerprint of cert, newly allocated; NULL on failure. */
char *net_fingerprint_sha256(X509 *cert);
/* Constant-time comparison of two digests. */
bool net_fingerprint_equal(const unsigned char a[NET_SHA256_LEN],
                           const unsigned char b[NET_SHA256_LEN]);

/* ---- tls_verify.c ---- */

enum net_verify_kind {
	NET_VERIFY_OK = 0,
	NET_VERIFY_NAME_MISMATCH,
	NET_VERIFY_EXPIRED,
	NET_VERIFY_NOT_YET_VALID,
	NET_VERIFY_UNKNOWN_ISSUER,
	NET_VERIFY_SELF_SIGNED,
	NET_VERIFY_PIN_MISMATCH,
	NET_VERIFY_NO_CERTIFICATE,
	NET_VERIFY_OTHER,
};

/* What went wrong with a server's certificate, as plain strings. */
struct net_verify_failure {
	enum net_verify_kind kind;
	char *names;    /* the names the certificate is for, ", "-joined */
	char *date;     /* notAfter (expired) / notBefore (not yet valid) */
	char *issuer;   /* the issuer that could not be found */
	char *reason;   /* OpenSSL's words, for NET_VERIFY_OTHER */
	char fingerprint[NET_FINGERPRINT_TEXT_SIZE]; /* the leaf's */
	char expected[NET_FINGERPRINT_TEXT_SIZE];    /* the pin */
};

/* Per-handshake verification state, handed to the OpenSSL callback. */
struct net_verify_state {
	bool pinned;
	unsigned char pin[NET_SHA256_LEN];
	bool called;
	struct net_verify_failure failure;
};

/* Make ctx verify through state (chain + host check, or the pin). */
void net_verify_install(SSL_CTX *ctx, struct net_verify_state *state);
void net_verify_failure_clear(struct net_verify_failure *failure);
/*
 * The user's message for failure on host: one full sentence per kind,
 * with the fingerprint and how to trust the certificate.  Class TLS.
 */
void net_verify_message(const struct net_verify_failure *failure,
                        const char *host, struct rowan_err *err);

/* ---- tls.c ---- */

/*
 * Run a client TLS handshake on the connected non-blocking socket fd:
 * TLS 1.2 or later, SNI for DNS names, verification of host (or of the
 * pin in opts).  Returns the SSL (which does not own fd), or NULL with
 * err filled; fd stays open either way.  label names the server in
 * non-certificate errors.
 */
SSL *net_tls_handshake(int fd, const char *host, const char *label,
                       const struct net_options *opts,
                       const struct net_cancel *cancel,
                       struct rowan_err *err);
/* A short description of the last OpenSSL error, for messages. */
const char *net_tls_error_text(void);

/* ---- stream.c ---- */

/*
 * Wrap fd (and ssl, NULL for plaintext) in a libetpan low-level driver.
 * Takes ownership of ssl; of fd only if owns_fd.  label and opts are
 * copied.  cancel gets a new reference.
 */
mailstream_low *net_low_new(int fd, SSL *ssl, const char *label,
                            const struct net_options *opts,
                            struct net_cancel *cancel, bool owns_fd);
/*
 * Switch stream to TLS on its own socket: refuse bytes already received
 * after the STARTTLS answer, handshake, install a TLS driver, free the
 * plaintext one without closing the socket.  0, or -1 with err filled
 * (the stream is unchanged and still plaintext then).
 */
int net_stream_starttls(mailstream *stream, const char *host,
                        const struct net_options *opts,
                        struct rowan_err *err);
/* The "host:port" the stream is connected to ("server" if unknown). */
const char *net_stream_label(mailstream *stream);

/* ---- session.c ---- */

/* Close the session's connection at once, without a goodbye. */
void net_imap_drop(mailimap *imap);
void net_pop3_drop(mailpop3 *pop3);
void net_smtp_drop(mailsmtp *smtp);

/*
 * Explain a failed libetpan call returning code: the stream's own reason
 * if it recorded one, else what the code says.  Fills err.
 */
void net_imap_explain(mailimap *imap, int code, struct rowan_err *err);
void net_pop3_explain(mailpop3 *pop3, int code, struct rowan_err *err);
void net_smtp_explain(mailsmtp *smtp, int code, struct rowan_err *err);

/* ---- smtp.c ---- */

/*
 * Attach stream to smtp (which then owns it) and read the server's 220
 * greeting.  0, or -1 with err filled.
 */
int net_smtp_greeting(mailsmtp *smtp, mailstream *stream,
                      struct rowan_err *err);

/* ---- stream.c (continued) ---- */

/*
 * Fail with a PROTOCOL error if the server sent anything after its
 * answer to STARTTLS (buffered by libetpan or waiting in the socket).
 */
int net_stream_check_quiet(mailstream *stream, struct rowan_err *err);

/* ---- compress.c, and what stream.c offers it ---- */

/*
 * Put a COMPRESS=DEFLATE layer over stream's driver, taking the bytes
 * libetpan already read ahead as compressed input.  0, or -1 with err.
 */
int net_stream_compress(mailstream *stream, struct rowan_err *err);
/* The driver under a compression layer, or low itself. */
mailstream_low *net_compress_inner(mailstream_low *low);
/* Stop checking the bytes this (net) driver reads: a layer above checks
 * what it makes of them with net_low_layer_check. */
void net_low_set_layered(mailstream_low *low);
/* Pass n bytes a layer produced through low's guard: n, or -1 with the
 * failure recorded (as for the driver's own reads). */
ssize_t net_low_layer_check(mailstream_low *low, const void *buf, ssize_t n);
/* Record a failure of the layer above low (first reason wins); -1. */
ssize_t net_low_layer_fail(mailstream_low *low, enum rowan_err_class err_class,
                           const char *message);
/* Whether OpenSSL holds bytes of low's connection that poll() cannot see. */
bool net_low_has_pending(mailstream_low *low);

#endif
