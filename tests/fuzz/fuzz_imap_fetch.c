/*
 * fuzz_imap_fetch: a libFuzzer target for the UID FETCH response reader
 * (src/net/imap_fetch_parse.c), the parser behind
 * net_imap_uid_fetch_raw().
 *
 * The first input byte picks how the bytes are handed out (in pieces of
 * 1 to 63 bytes, or as much as the parser asks for) and after how many
 * messages the callback asks to stop; the rest is the server's answer to
 * the command tagged "7".  Small limits (a 64 KiB literal, 4 KiB tokens)
 * let the fuzzer reach them.  Besides ASan and UBSan findings, the
 * target aborts when an invariant breaks: a header that is not a part of
 * the input's bytes (or, for a quoted string, longer than it), flags
 * outside the six system flags, an OK or NO without the tagged line, or
 * bytes given back that are not the input's tail.
 *
 * Built by `make fuzz-fetch` (tests/fuzz/fetch.am).
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/imap_fetch.h"
#include "util/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond, what)                                                      \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "fuzz_imap_fetch: %s (%s:%d): %s\n",   \
			        what, __FILE__, __LINE__, #cond);              \
			abort();                                               \
		}                                                              \
	} while (0)

struct input {
	const uint8_t *data;
	size_t len;
	size_t pos;
	size_t step;
	size_t last_read;
	size_t unread;
	bool unread_called;
	int messages;
	int stop_after;
	uint64_t checksum;
};

static ssize_t input_read(void *ctx, char *dst, size_t max)
{
	struct input *in = ctx;

	if (in->pos >= in->len)
		return -1;
	size_t n = in->len - in->pos;
	if (n > in->step)
		n = in->step;
	if (n > max)
		n = max;
	memcpy(dst, in->data + in->pos, n);
	in->pos += n;
	in->last_read = n;
	return (ssize_t)n;
}

static void input_unread(void *ctx, const char *data, size_t len)
{
	struct input *in = ctx;

	CHECK(!in->unread_called, "unread twice");
	CHECK(len > 0 && len <= in->last_read, "unread more than the last read");
	CHECK(memcmp(data, in->data + in->pos - len, len) == 0,
	      "unread bytes are not the input's");
	in->unread_called = true;
	in->unread = len;
}

static int on_message(const struct net_imap_fetched *msg, void *ctx)
{
	struct input *in = ctx;

	CHECK(msg->seq > 0, "sequence number 0");
	CHECK(!msg->has_uid || msg->uid > 0, "UID 0");
	CHECK((msg->flags & ~0x3fu) == 0, "unknown flag bits");
	CHECK(msg->header != NULL || msg->header_len == 0, "length without header");
	CHECK(msg->header_len <= in->len, "header longer than the input");
	for (size_t i = 0; i < msg->header_len; i++)
		in->checksum += (unsigned char)msg->header[i];
	in->messages++;
	return in->stop_after > 0 && in->messages >= in->stop_after ? -1 : 0;
}

static void on_exists(uint32_t count, void *ctx)
{
	((struct input *)ctx)->checksum += count;
}

static void on_expunge(uint32_t seq, void *ctx)
{
	CHECK(seq > 0, "EXPUNGE 0");
	((struct input *)ctx)->checksum += seq;
}

static void on_vanished(const char *set, bool earlier, void *ctx)
{
	CHECK(set != NULL && strpbrk(set, " \r\n") == NULL, "bad VANISHED set");
	((struct input *)ctx)->checksum += strlen(set) + earlier;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	struct input in = {
		.data = data + 1,
		.len = size - 1,
		.step = (data[0] & 0x3f) == 0 ? SIZE_MAX : (data[0] & 0x3f),
		.stop_after = data[0] >> 6,
	};
	struct imap_fetch_source source = {input_read, input_unread, &in};
	struct net_imap_fetch_callbacks cb = {
		on_message, on_exists, on_expunge, on_vanished, &in};
	struct imap_fetch_limits limits = {.max_literal = 64 * 1024,
	                                   .max_token = 4096};
	struct imap_fetch_outcome outcome;
	struct rowan_err err;

	rowan_err_clear(&err);
	enum imap_fetch_status status = imap_fetch_parse(
		&source, "7", "fuzz:143", &limits, &cb, &outcome, &err);
	switch (status) {
	case IMAP_FETCH_OK:
	case IMAP_FETCH_NO:
	case IMAP_FETCH_STOPPED:
		CHECK(in.pos >= 2, "a tagged response from nothing");
		CHECK(!in.unread_called || in.unread <= in.pos, "unread");
		CHECK(status != IMAP_FETCH_NO || err.err_class == ROWAN_ERR_SERVER,
		      "NO without a server error");
		CHECK(strlen(outcome.text) < sizeof outcome.text, "text");
		break;
	case IMAP_FETCH_PROTOCOL:
		CHECK(err.err_class == ROWAN_ERR_PROTOCOL, "protocol class");
		break;
	case IMAP_FETCH_EOF:
		CHECK(err.err_class == ROWAN_ERR_NET, "EOF class");
		CHECK(in.pos == in.len, "EOF before the end of the input");
		break;
	default:
		CHECK(false, "unknown status");
	}
	return 0;
}
