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

/* ---- IMAP: fast UID FETCH of message headers (imap_fetch.c) ---- */

#include <stdbool.h>

/*
 * libetpan's generic response parser allocates every string it parses
 * and registers it in a process-wide hash under one lock; opening a
 * large folder fetches the index headers of every message, so this
 * reads those responses itself, straight from the session's stream,
 * with no allocation per message, and leaves every other command to
 * libetpan.  The system flags, with the same values as ENVELOPE_SEEN...
 * in src/mail/envelope.h:
 */
#define NET_IMAP_FLAG_SEEN 0x01u
#define NET_IMAP_FLAG_ANSWERED 0x02u
#define NET_IMAP_FLAG_FLAGGED 0x04u
#define NET_IMAP_FLAG_DELETED 0x08u
#define NET_IMAP_FLAG_DRAFT 0x10u
#define NET_IMAP_FLAG_RECENT 0x20u

/* One FETCH response.  The strings are borrowed for the callback only. */
struct net_imap_fetched {
	uint32_t seq;            /* message sequence number */
	uint32_t uid;            /* valid if has_uid */
	unsigned flags;          /* NET_IMAP_FLAG_*, valid if has_flags;
	                          * keywords are ignored */
	bool has_flags, has_uid;
	int64_t internaldate;    /* INTERNALDATE as time_t (UTC), -1 if absent */
	uint64_t size;           /* RFC822.SIZE, 0 if absent */
	uint64_t modseq;         /* MODSEQ (CONDSTORE), 0 if absent */
	/* The value of BODY[HEADER...] (or RFC822.HEADER): exactly the bytes
	 * the server sent (a literal, or a quoted string unescaped), not
	 * NUL-terminated; NULL if absent or NIL. */
	const char *header;
	size_t header_len;
};

struct net_imap_fetch_callbacks {
	/* Every FETCH response, solicited or not (a flag change another
	 * client made comes as a FETCH with FLAGS only, maybe without UID;
	 * a server may also split one message's items over two responses:
	 * key on seq).  Return 0 to go on, -1 to stop: the rest of the
	 * response is then read without calling message again (exists,
	 * expunge and vanished still are) so that the connection stays
	 * usable. */
	int (*message)(const struct net_imap_fetched *msg, void *ctx);
	/* "* N EXISTS", "* N EXPUNGE", "* VANISHED [(EARLIER)] uid-set"
	 * (uid_set as the server wrote it, NUL-terminated); may be NULL. */
	void (*exists)(uint32_t count, void *ctx);
	void (*expunge)(uint32_t seq, void *ctx);
	void (*vanished)(const char *uid_set, bool earlier, void *ctx);
	void *ctx;
};

/*
 * Send "UID FETCH <uid_set> (<items>)", or with modifiers
 * "UID FETCH <uid_set> (<items>) (<modifiers>)", on imap's stream with
 * the session's next tag (as libetpan would send it), then read every
 * response up to the tagged one and call cb for each.  uid_set is an
 * IMAP sequence set ("1:*", "10,12:20"), items the fetch items as IMAP
 * text ("UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS
 * (From Subject)]"), modifiers NULL or e.g. "CHANGEDSINCE 1234 VANISHED"
 * (CONDSTORE/QRESYNC; the mailbox must have been selected with
 * mailimap_select_condstore()).  None may contain CR or LF.
 *
 * Blocks until the tagged response arrives (each read bounded by the
 * stream's timeout).  Literals above the stream's max_literal are
 * refused by the stream itself.  Afterwards the session is in step for
 * libetpan's own commands; imap->imap_response holds the tagged text and
 * sel_exists follows EXISTS/EXPUNGE.  Returns:
 *   0  tagged OK, every message delivered;
 *   1  cb->message returned -1; the remaining responses were read and
 *      dropped and the session is still usable;
 *  -1  err filled: SERVER (the server said NO or BAD: its words are in
 *      the message; the session is still usable), PROTOCOL (malformed
 *      response: drop the connection), NET or TLS (the connection failed;
 *      net_stream_error() explained it), INTERNAL (bad arguments or no
 *      connection; nothing was sent).
 */
int net_imap_uid_fetch_raw(mailimap *imap, const char *uid_set,
                           const char *items, const char *modifiers,
                           const struct net_imap_fetch_callbacks *cb,
                           struct rowan_err *err);

/* ---- IMAP COMPRESS=DEFLATE, RFC 4978 (compress.c) ---- */

#include <stdbool.h>

/*
 * Ask the server to compress the connection (COMPRESS DEFLATE) and, on
 * OK, switch imap's stream to raw deflate both ways; every write is
 * flushed at once.  Do it after STARTTLS and after logging in; whether
 * the server offers it is read from the capabilities libetpan last saw
 * (servers send them with the LOGIN answer; else call
 * mailimap_capability() first).  The
 * stream keeps its limits, timeouts, cancellation and net_stream_error()
 * explanations; corrupt compressed data from the server is a PROTOCOL
 * error.  Returns 0 (compressing, also when it already was), 1 (the
 * server does not offer COMPRESS=DEFLATE; nothing was sent), or -1 with
 * err filled: SERVER (the server said NO or BAD; the session is still
 * usable uncompressed) or NET, TLS, PROTOCOL (the connection is gone).
 */
int net_imap_compress(mailimap *imap, struct rowan_err *err);

/*
 * Whether the stream holds received data that poll() on its socket
 * cannot see: libetpan's read buffer, OpenSSL's buffers, or inflated
 * (or not yet inflated) bytes of a compressed stream.  An IDLE loop
 * checks this before it blocks in poll().
 */
bool net_stream_has_pending(mailstream *stream);

/* Bytes through a compressed stream: on the wire and as plain text. */
struct net_compress_stats {
	uint64_t wire_in, plain_in;
	uint64_t wire_out, plain_out;
};

/* Fill stats and return true if stream is compressed; else false. */
bool net_stream_compression_stats(mailstream *stream,
                                  struct net_compress_stats *stats);

#endif
