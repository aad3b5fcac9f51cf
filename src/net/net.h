/*
 * net: Rowan's connection layer.  TCP with timeouts, TLS through OpenSSL
 * (chain and host-name verification, optional SHA-256 pinning), and an
 * adapter that hands the connection to libetpan as a mailstream, so that
 * libetpan's IMAP, POP3 and SMTP parsers run over Rowan's TLS.  libetpan's
 * own TLS code is never used.
 *
 * Every call here blocks (connect, handshake, each read and write are
 * bounded by the timeout) and is meant for an account's worker thread.
 * Errors come back as a struct rowan_err with class NET (connection),
 * TLS (handshake, certificate), PROTOCOL (the server broke the rules or
 * tried something dangerous), SERVER (it said no) or CONFIG.
 *
 * SIGPIPE: plaintext writes use send(MSG_NOSIGNAL), but OpenSSL writes
 * with write(), so a server that has gone away raises SIGPIPE.  Rowan's
 * main() ignores SIGPIPE; any other program using this module must too.
 */
#ifndef ROWAN_NET_H
#define ROWAN_NET_H

#include <stddef.h>
#include <stdint.h>

#include <libetpan/mailimap.h>
#include <libetpan/mailpop3.h>
#include <libetpan/mailsmtp.h>
#include <libetpan/mailstream.h>

#include "util/util.h"

enum net_security {
	NET_SECURITY_IMPLICIT_TLS, /* TLS from the first byte (993, 995, 465) */
	NET_SECURITY_STARTTLS,     /* plaintext greeting, then STARTTLS/STLS */
	NET_SECURITY_NONE,         /* plaintext throughout (tls = none) */
};

enum net_protocol {
	NET_PROTOCOL_IMAP,
	NET_PROTOCOL_POP3,
	NET_PROTOCOL_SMTP,
};

/* Seconds allowed for connect, the TLS handshake and each read or write. */
#define NET_DEFAULT_TIMEOUT 30

struct net_cancel;

/*
 * Connection settings; a zeroed struct means "all defaults, IMAP".  The
 * strings are borrowed for the duration of the call.
 */
struct net_options {
	/* PEM file of CA certificates trusted in addition to the system
	 * store (tls_ca_file), or NULL. */
	const char *ca_file;
	/* Pin: "sha256:AB:CD:..." (case-insensitive hex, colons optional,
	 * tls_fingerprint).  When set, the server's leaf certificate must
	 * have this SHA-256 fingerprint and nothing else is checked. */
	const char *fingerprint;
	int timeout_seconds;          /* 0: NET_DEFAULT_TIMEOUT */
	size_t max_line;              /* longest line accepted; 0: 1 MiB */
	size_t max_literal;           /* largest IMAP literal; 0: 100 MiB */
	enum net_protocol protocol;   /* for net_stream_open */
	/* Optional token that aborts connect, handshake and I/O from any
	 * thread (net_cancel_trigger).  The stream keeps a reference. */
	struct net_cancel *cancel;
};

/* ---- cancellation ---- */

/* A new, untriggered cancel token; free it with net_cancel_free(). */
struct net_cancel *net_cancel_new(void);
/*
 * Abort whatever the streams using this token are blocked in, and every
 * later read, write or connect on them (a triggered token stays
 * triggered).  Thread-safe and async-signal-safe.
 */
void net_cancel_trigger(struct net_cancel *cancel);
/* Drop the caller's reference (streams keep their own); NULLs *cancel. */
void net_cancel_free(struct net_cancel **cancel);

/* ---- streams ---- */

/*
 * Connect to host:port and return a libetpan mailstream for
 * mailimap_connect(), mailpop3_connect() or mailsmtp_connect(), which
 * take ownership of it.  With NET_SECURITY_IMPLICIT_TLS the TLS handshake
 * (with verification) is done before returning; with STARTTLS or NONE the
 * stream is plaintext and the net_*_starttls() helpers upgrade it.
 * Returns NULL with err filled on failure.  Blocks for at most about
 * twice the timeout per address tried.  Each later read or write waits
 * at most the timeout for progress; a caller that needs longer (IMAP
 * IDLE) sets mailstream_low_set_timeout(mailstream_get_low(stream), s).
 */
mailstream *net_stream_open(const char *host, unsigned short port,
                            enum net_security security,
                            const struct net_options *opts,
                            struct rowan_err *err);

/*
 * Why the stream's last read or write failed, if this module knows: a
 * timeout, the server closing the connection, a TLS error, cancellation,
 * or a guard violation ("server sent a line longer than 1 MiB").  Fills
 * err (if not NULL) and returns its class, or returns ROWAN_ERR_NONE and
 * leaves err alone.  Use it to explain a libetpan *_ERROR_STREAM code.
 */
enum rowan_err_class net_stream_error(mailstream *stream,
                                      struct rowan_err *err);

/* "TLSv1.3" and the like, or NULL for a plaintext stream. */
const char *net_stream_tls_version(mailstream *stream);

/*
 * Abort a read or write blocked on this stream in another thread; the
 * stream is dead afterwards.  Thread-safe, but not while a net_*_starttls()
 * call swaps the stream's driver: to cancel a connection that is still
 * being set up, use net_options.cancel.
 */
void net_stream_cancel(mailstream *stream);

/* ---- STARTTLS ---- */

/*
 * Upgrade a plaintext IMAP, POP3 or SMTP session to TLS: check that the
 * server offers STARTTLS (STLS), send the command, refuse any bytes the
 * server sent after its answer (response injection), run the TLS
 * handshake with full verification of host on the same socket, swap the
 * stream's driver, and ask for the capabilities again over TLS (SMTP:
 * a new EHLO).  IMAP refuses a session that was pre-authenticated
 * (PREAUTH) in plaintext.  Returns 0, or -1 with err filled and the
 * connection closed (the session's stream is NULL, so nothing more can be
 * sent in plaintext); free the session then.
 */
int net_imap_starttls(mailimap *imap, const char *host,
                      const struct net_options *opts, struct rowan_err *err);
int net_pop3_stls(mailpop3 *pop3, const char *host,
                  const struct net_options *opts, struct rowan_err *err);
int net_smtp_starttls(mailsmtp *smtp, const char *host,
                      const struct net_options *opts, struct rowan_err *err);

/* ---- one-call connection set-up ---- */

/*
 * Connect, read the greeting, upgrade with STARTTLS when security asks
 * for it, and make sure the capabilities are those sent under TLS.  On
 * success *out is a session ready to authenticate (IMAP: the state may
 * already be AUTHENTICATED after a PREAUTH greeting over TLS); the caller
 * ends it with mailimap_logout()/mailpop3_quit()/mailsmtp_quit() and
 * *_free().  SMTP says EHLO with the address of the local socket as a
 * literal ("[192.0.2.1]"), never the machine's host name.  Returns 0, or
 * -1 with err filled and *out NULL.
 */
int net_imap_connect(const char *host, unsigned short port,
                     enum net_security security,
                     const struct net_options *opts, mailimap **out,
                     struct rowan_err *err);
int net_pop3_connect(const char *host, unsigned short port,
                     enum net_security security,
                     const struct net_options *opts, mailpop3 **out,
                     struct rowan_err *err);
int net_smtp_connect(const char *host, unsigned short port,
                     enum net_security security,
                     const struct net_options *opts, mailsmtp **out,
                     struct rowan_err *err);

/*
 * Send EHLO again (after STARTTLS, or to refresh the extensions), naming
 * the client by the local socket's address literal.  Updates the
 * session's extension and AUTH flags.  Returns 0 or -1 with err filled.
 */
int net_smtp_ehlo(mailsmtp *smtp, struct rowan_err *err);

/* ---- certificate pins ---- */

#define NET_SHA256_LEN 32

/*
 * Parse a tls_fingerprint value: an optional "sha256:" prefix, then 32
 * bytes as hex (either case), each pair optionally separated by ':'.
 * Returns 0 and fills digest, or -1 if the text is not such a value.
 */
int net_fingerprint_parse(const char *text,
                          unsigned char digest[NET_SHA256_LEN]);

#endif
