/*
 * guard: a byte-level scanner that bounds what a server may make the
 * protocol parsers buffer.  It sees every byte read from the network, in
 * whatever pieces the reads deliver, and flags a line longer than a limit
 * or (for IMAP) an announced literal "{N}" / "{N+}" larger than a limit.
 * Literal payloads are skipped unexamined, so braces and CRLF inside them
 * do not confuse it.  Pure: no I/O, no allocation.
 */
#ifndef ROWAN_NET_GUARD_H
#define ROWAN_NET_GUARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/util.h"

enum net_guard_status {
	NET_GUARD_OK = 0,
	NET_GUARD_LINE_TOO_LONG,
	NET_GUARD_LITERAL_TOO_BIG,
};

enum net_guard_tail {
	NET_GUARD_TAIL_NONE,   /* the line so far does not end in "{digits" */
	NET_GUARD_TAIL_OPEN,   /* ... "{" */
	NET_GUARD_TAIL_DIGITS, /* ... "{123" */
	NET_GUARD_TAIL_PLUS,   /* ... "{123+" */
	NET_GUARD_TAIL_CLOSED, /* ... "{123}" or "{123+}" */
};

struct net_guard {
	size_t max_line;         /* longest accepted line, without CRLF */
	uint64_t max_literal;    /* largest accepted literal (IMAP only) */
	bool literals;           /* scan for IMAP literal announcements */

	size_t line_length;      /* bytes of the current line so far */
	bool pending_cr;         /* the last byte was CR, not yet counted */
	enum net_guard_tail tail;
	uint64_t tail_value;     /* the digits after "{", saturated */
	bool tail_overflow;      /* more digits than fit in 64 bits */
	uint64_t literal_left;   /* payload bytes still to skip */

	enum net_guard_status status;  /* sticky once not OK */
	uint64_t status_value;   /* the announced literal size */
};

/* Default limits: a line of 1 MiB, a literal of 100 MiB. */
#define NET_GUARD_DEFAULT_MAX_LINE ((size_t)1 << 20)
#define NET_GUARD_DEFAULT_MAX_LITERAL ((uint64_t)100 << 20)

/*
 * Start a scanner.  A limit of 0 selects the default; literals says
 * whether the stream speaks IMAP (where lines may announce literals).
 */
void net_guard_init(struct net_guard *guard, size_t max_line,
                    uint64_t max_literal, bool literals);

/*
 * Scan the next len bytes of the stream.  Returns NET_GUARD_OK, or the
 * violation found (which stays set: every later call returns it too).
 */
enum net_guard_status net_guard_feed(struct net_guard *guard,
                                     const void *data, size_t len);

/*
 * Describe a violation for the user, naming the server by label
 * ("mail.example.org:993").  Fills err with class PROTOCOL; does nothing
 * when the guard is OK.
 */
void net_guard_describe(const struct net_guard *guard, const char *label,
                        struct rowan_err *err);

/*
 * Write a size the way the messages show it: "1 MiB", "512 KiB",
 * "1000 bytes".  Always NUL-terminates out.
 */
void net_size_format(char *out, size_t out_size, uint64_t bytes);

#endif
