/*
 * guard: bound line lengths and IMAP literal announcements in the bytes a
 * server sends, before any parser buffers or allocates for them.
 */
#include "config.h"

#include <stdio.h>

#include "net/guard.h"

void net_guard_init(struct net_guard *guard, size_t max_line,
                    uint64_t max_literal, bool literals)
{
	*guard = (struct net_guard){0};
	guard->max_line = max_line != 0 ? max_line : NET_GUARD_DEFAULT_MAX_LINE;
	guard->max_literal =
		max_literal != 0 ? max_literal : NET_GUARD_DEFAULT_MAX_LITERAL;
	guard->literals = literals;
	guard->tail = NET_GUARD_TAIL_NONE;
	guard->status = NET_GUARD_OK;
}

/* Track whether the line so far ends in "{digits}" or "{digits+}". */
static void guard_tail_update(struct net_guard *guard, unsigned char c)
{
	switch (c) {
	case '{':
		guard->tail = NET_GUARD_TAIL_OPEN;
		guard->tail_value = 0;
		guard->tail_overflow = false;
		return;
	case '+':
		guard->tail = guard->tail == NET_GUARD_TAIL_DIGITS
			? NET_GUARD_TAIL_PLUS : NET_GUARD_TAIL_NONE;
		return;
	case '}':
		guard->tail = (guard->tail == NET_GUARD_TAIL_DIGITS ||
		               guard->tail == NET_GUARD_TAIL_PLUS)
			? NET_GUARD_TAIL_CLOSED : NET_GUARD_TAIL_NONE;
		return;
	default:
		break;
	}
	if (c >= '0' && c <= '9' && (guard->tail == NET_GUARD_TAIL_OPEN ||
	                             guard->tail == NET_GUARD_TAIL_DIGITS)) {
		unsigned digit = (unsigned)(c - '0');
		guard->tail = NET_GUARD_TAIL_DIGITS;
		if (guard->tail_value > (UINT64_MAX - digit) / 10)
			guard->tail_overflow = true;
		else
			guard->tail_value = guard->tail_value * 10 + digit;
		return;
	}
	guard->tail = NET_GUARD_TAIL_NONE;
}

/* Count one byte of line content. */
static enum net_guard_status guard_count(struct net_guard *guard,
                                         unsigned char c)
{
	guard->line_length++;
	if (guard->line_length > guard->max_line) {
		guard->status = NET_GUARD_LINE_TOO_LONG;
		return guard->status;
	}
	if (guard->literals)
		guard_tail_update(guard, c);
	return NET_GUARD_OK;
}

/* A line ended: if it announced a literal, check and skip the payload. */
static enum net_guard_status guard_end_line(struct net_guard *guard)
{
	if (guard->literals && guard->tail == NET_GUARD_TAIL_CLOSED) {
		if (guard->tail_overflow ||
		    guard->tail_value > guard->max_literal) {
			guard->status = NET_GUARD_LITERAL_TOO_BIG;
			guard->status_value = guard->tail_overflow
				? UINT64_MAX : guard->tail_value;
			return guard->status;
		}
		guard->literal_left = guard->tail_value;
	}
	guard->line_length = 0;
	guard->tail = NET_GUARD_TAIL_NONE;
	return NET_GUARD_OK;
}

enum net_guard_status net_guard_feed(struct net_guard *guard,
                                     const void *data, size_t len)
{
	const unsigned char *p = data;
	const unsigned char *end = p + len;

	if (guard->status != NET_GUARD_OK)
		return guard->status;
	while (p < end) {
		if (guard->literal_left > 0) {
			size_t avail = (size_t)(end - p);
			size_t skip = guard->literal_left < avail
				? (size_t)guard->literal_left : avail;
			p += skip;
			guard->literal_left -= skip;
			continue;
		}
		unsigned char c = *p++;
		if (guard->pending_cr) {
			guard->pending_cr = false;
			if (c == '\n') {
				if (guard_end_line(guard) != NET_GUARD_OK)
					return guard->status;
				continue;
			}
			/* A CR not followed by LF is ordinary line content. */
			if (guard_count(guard, '\r') != NET_GUARD_OK)
				return guard->status;
		}
		if (c == '\r') {
			guard->pending_cr = true;
		} else if (c == '\n') {
			if (guard_end_line(guard) != NET_GUARD_OK)
				return guard->status;
		} else if (guard_count(guard, c) != NET_GUARD_OK) {
			return guard->status;
		}
	}
	return NET_GUARD_OK;
}

void net_size_format(char *out, size_t out_size, uint64_t bytes)
{
	const uint64_t kib = 1024, mib = 1024 * 1024;

	if (bytes >= mib && bytes % mib == 0)
		snprintf(out, out_size, _("%llu MiB"),
		         (unsigned long long)(bytes / mib));
	else if (bytes >= kib && bytes % kib == 0)
		snprintf(out, out_size, _("%llu KiB"),
		         (unsigned long long)(bytes / kib));
	else
		snprintf(out, out_size,
		         ngettext("%llu byte", "%llu bytes",
		                  (unsigned long)bytes),
		         (unsigned long long)bytes);
}

void net_guard_describe(const struct net_guard *guard, const char *label,
                        struct rowan_err *err)
{
	char limit[64];

	switch (guard->status) {
	case NET_GUARD_OK:
		break;
	case NET_GUARD_LINE_TOO_LONG:
		net_size_format(limit, sizeof limit, guard->max_line);
		rowan_err_set(err, ROWAN_ERR_PROTOCOL,
		              _("%s: server sent a line longer than %s"),
		              label, limit);
		break;
	case NET_GUARD_LITERAL_TOO_BIG:
		net_size_format(limit, sizeof limit, guard->max_literal);
		rowan_err_set(err, ROWAN_ERR_PROTOCOL,
		              /* L10N: the server, the announced size in bytes,
		                 then the limit such as "100 MiB". */
		              ngettext("%s: server announced a literal of %llu byte, more than the limit of %s",
		                       "%s: server announced a literal of %llu bytes, more than the limit of %s",
		                       (unsigned long)guard->status_value),
		              label, (unsigned long long)guard->status_value, limit);
		break;
	}
}
