/*
 * imap_fetch: the parser core behind net_imap_uid_fetch_raw().  It reads
 * the responses to one IMAP command from a byte source (the session's
 * mailstream, or a memory buffer in the unit tests and the fuzzer) up to
 * and including the tagged response, and hands every FETCH, EXISTS,
 * EXPUNGE and VANISHED response to the caller's callbacks.
 *
 * Only this folder and its tests use this header.
 */
#ifndef ROWAN_NET_IMAP_FETCH_H
#define ROWAN_NET_IMAP_FETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "net/net.h"
#include "util/util.h"

/*
 * Where the parser gets its bytes.  read() copies between 1 and max
 * bytes to dst and returns the count, or returns -1 when no more bytes
 * can come (end of file, error, timeout).  unread() gives back the bytes
 * the parser read past the end of the tagged response, to be returned
 * first by whoever reads the source next; len is never larger than the
 * count returned by the last read().
 */
struct imap_fetch_source {
	ssize_t (*read)(void *ctx, char *dst, size_t max);
	void (*unread)(void *ctx, const char *data, size_t len);
	void *ctx;
};

/* Nesting of parenthesised lists deeper than this is refused. */
#define IMAP_FETCH_MAX_DEPTH 64

enum imap_fetch_status {
	IMAP_FETCH_OK,        /* tagged OK; every callback returned 0 */
	IMAP_FETCH_STOPPED,   /* a message callback returned -1; the rest was
	                       * read (the tagged response may be anything) */
	IMAP_FETCH_NO,        /* tagged NO or BAD: err has the server's text */
	IMAP_FETCH_PROTOCOL,  /* malformed or hostile input: err says what */
	IMAP_FETCH_EOF,       /* the source failed before the tagged response */
};

struct imap_fetch_limits {
	uint64_t max_literal;   /* largest literal accepted; 0: 100 MiB */
	size_t max_token;       /* longest atom, quoted string or text; 0: 1 MiB */
};

/*
 * What the parser found besides the callbacks: the tagged response's
 * text (for the session's imap_response), and the server's BYE text if
 * it said goodbye.  Both NUL-terminated, truncated to fit.
 */
struct imap_fetch_outcome {
	char text[512];
	bool bye;
	char bye_text[256];
};

/*
 * Read responses from source until the tagged response whose tag is
 * tag, calling cb (any member but message may be NULL).  label names the
 * server in messages ("mail.example.org:993").  Returns the status; err
 * is filled for NO/BAD (class SERVER), PROTOCOL (class PROTOCOL) and EOF
 * (class NET, a generic "connection lost" the caller may refine).  Never
 * allocates per message: one buffer, grown as data arrives, freed before
 * returning.
 */
enum imap_fetch_status imap_fetch_parse(const struct imap_fetch_source *source,
                                        const char *tag, const char *label,
                                        const struct imap_fetch_limits *limits,
                                        const struct net_imap_fetch_callbacks *cb,
                                        struct imap_fetch_outcome *outcome,
                                        struct rowan_err *err);

/*
 * An IMAP date-time ("17-Jul-1996 02:44:25 -0700", the day possibly
 * space-padded or one digit) as seconds since the epoch, UTC.  Returns
 * 0, or -1 if text is not such a date.
 */
int imap_fetch_parse_date(const char *text, size_t len, int64_t *out);

/* ---- the tokenizer (imap_fetch_lex.c), for imap_fetch_parse.c ---- */

#define IMAP_LEX_NO_KEEP SIZE_MAX

/* The reader's state: the buffer, the limits, the outcome so far. */
struct imap_lex {
	const struct imap_fetch_source *source;
	const char *label;
	uint64_t max_literal;
	size_t max_token;
	size_t max_buffer;      /* the buffer never grows past this */
	char *data;
	size_t cap;
	size_t pos;             /* next byte to parse */
	size_t end;             /* end of the bytes read */
	size_t keep;            /* first byte to keep (the header), or
	                         * IMAP_LEX_NO_KEEP */
	struct buf scratch;     /* VANISHED sets */
	bool stopped;           /* the message callback asked to stop */
	bool failed;            /* sticky: status and err are set */
	enum imap_fetch_status status;
	struct rowan_err *err;
};

void imap_lex_init(struct imap_lex *p, const struct imap_fetch_source *source,
                   const char *label, const struct imap_fetch_limits *limits,
                   struct rowan_err *err);
/* Free the buffer; with give_back, unread() what is left of it first. */
void imap_lex_finish(struct imap_lex *p, bool give_back);

/*
 * Every function below returns 0, or -1 once p has failed (PROTOCOL or
 * EOF, with err filled).  Offsets (*start) point into p->data and stay
 * valid only until the next read, which may move the buffer.
 */
/* Fail with PROTOCOL; what is an untranslated N_() phrase. */
int imap_lex_fail_protocol(struct imap_lex *p, const char *what);
int imap_lex_fail_eof(struct imap_lex *p);
/* Have at least want bytes from pos on. */
int imap_lex_fill(struct imap_lex *p, size_t want);

/* The byte at pos (reading if needed), or -1 on failure. */
static inline int imap_lex_peek(struct imap_lex *p)
{
	if (p->pos == p->end && imap_lex_fill(p, 1) != 0)
		return -1;
	return (unsigned char)p->data[p->pos];
}

int imap_lex_expect(struct imap_lex *p, char c, const char *what);
int imap_lex_expect_space(struct imap_lex *p);
int imap_lex_expect_crlf(struct imap_lex *p);
/* Drop n bytes at pos (a literal's payload) as they arrive. */
int imap_lex_skip_bytes(struct imap_lex *p, uint64_t n);
/* ASCII case-insensitive: the len bytes at a equal word (upper case). */
bool imap_lex_ascii_equal(const char *a, size_t len, const char *word);
/* An atom; strict stops at "[]<" too (item names, sections). */
int imap_lex_read_word(struct imap_lex *p, bool strict, size_t *start,
                       size_t *len);
int imap_lex_read_number(struct imap_lex *p, uint64_t *out);
/* 1 .. UINT32_MAX. */
int imap_lex_read_number32(struct imap_lex *p, uint32_t *out);
/* At '"': the string unescaped in place. */
int imap_lex_read_quoted(struct imap_lex *p, size_t *start, size_t *len);
/* At '{' or '~': the size (checked against max_literal) and its CRLF. */
int imap_lex_read_literal_size(struct imap_lex *p, uint64_t *n);
/* NIL (*present false), a quoted string or a whole literal. */
int imap_lex_read_nstring(struct imap_lex *p, bool *present, size_t *start,
                          size_t *len);
/* One value of any kind, lists nested up to IMAP_FETCH_MAX_DEPTH. */
int imap_lex_skip_value(struct imap_lex *p);
/* The rest of the line, copied (truncated) to out if not NULL; eats CRLF. */
int imap_lex_read_text(struct imap_lex *p, char *out, size_t out_size);

#endif
