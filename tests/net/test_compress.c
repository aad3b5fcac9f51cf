/*
 * Unit tests for src/net/compress.c over a socket pair: round trips both
 * ways, bytes read ahead before the switch, net_stream_has_pending()
 * with data buffered in libetpan or in the inflater, the per-read cap on
 * inflated output, the guard and the error explanation through the
 * layer, and a wrapper whose every callback reaches the inner driver.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>
#include <libetpan/mailstream_helper.h>
#include <libetpan/mailstream_low.h>
#include <zlib.h>

#include "net/internal.h"

struct pair {
	mailstream *stream;   /* the client: Rowan's driver on fds[0] */
	int peer;             /* the server's end */
	struct net_cancel *cancel;
	z_stream deflater, inflater;
};

static void pair_open(struct pair *p, size_t max_line)
{
	int fds[2];
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
	struct net_options opts = { .max_line = max_line, .timeout_seconds = 2 };
	p->cancel = net_cancel_new();
	mailstream_low *low = net_low_new(fds[0], NULL, "test:143", &opts, p->cancel, true);
	p->stream = mailstream_new(low, 8192);
	assert_non_null(p->stream);
	p->peer = fds[1];
	memset(&p->deflater, 0, sizeof p->deflater);
	memset(&p->inflater, 0, sizeof p->inflater);
	assert_int_equal(deflateInit2(&p->deflater, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY),
	                 Z_OK);
	assert_int_equal(inflateInit2(&p->inflater, -15), Z_OK);
}

static void pair_close(struct pair *p)
{
	mailstream_close(p->stream);
	net_cancel_free(&p->cancel);
	close(p->peer);
	deflateEnd(&p->deflater);
	inflateEnd(&p->inflater);
}

/* Compress text as the server would; returns the length put in out. */
static size_t squeeze(struct pair *p, const void *text, size_t len, unsigned char *out,
                      size_t size)
{
	p->deflater.next_in = (unsigned char *)(uintptr_t)text;
	p->deflater.avail_in = (uInt)len;
	p->deflater.next_out = out;
	p->deflater.avail_out = (uInt)size;
	assert_int_equal(deflate(&p->deflater, Z_SYNC_FLUSH), Z_OK);
	assert_int_equal(p->deflater.avail_in, 0);
	return size - p->deflater.avail_out;
}

static void peer_send(struct pair *p, const void *data, size_t len)
{
	assert_int_equal(write(p->peer, data, len), (ssize_t)len);
}

static void test_round_trip(void **state)
{
	(void)state;
	struct pair p;
	pair_open(&p, 0);
	struct rowan_err err;
	assert_int_equal(net_stream_compress(p.stream, &err), 0);
	/* the client writes: the peer inflates exactly the text */
	const char command[] = "a1 LIST \"\" \"*\"\r\n";
	assert_int_equal(mailstream_write(p.stream, command, strlen(command)),
	                 (ssize_t)strlen(command));
	assert_int_equal(mailstream_flush(p.stream), 0);
	unsigned char wire[4096], text[4096];
	ssize_t n = read(p.peer, wire, sizeof wire);
	assert_true(n > 0);
	p.inflater.next_in = wire;
	p.inflater.avail_in = (uInt)n;
	p.inflater.next_out = text;
	p.inflater.avail_out = sizeof text;
	assert_int_equal(inflate(&p.inflater, Z_SYNC_FLUSH), Z_OK);
	assert_int_equal(sizeof text - p.inflater.avail_out, strlen(command));
	assert_memory_equal(text, command, strlen(command));
	/* the peer writes: the client reads lines */
	const char reply[] = "* LIST () \"/\" INBOX\r\na1 OK done\r\n";
	size_t len = squeeze(&p, reply, strlen(reply), wire, sizeof wire);
	peer_send(&p, wire, len);
	MMAPString *line = mmap_string_new("");
	assert_non_null(mailstream_read_line(p.stream, line));
	assert_string_equal(line->str, "* LIST () \"/\" INBOX\r\n");
	assert_non_null(mailstream_read_line(p.stream, line));
	assert_string_equal(line->str, "a1 OK done\r\n");
	struct net_compress_stats stats;
	assert_true(net_stream_compression_stats(p.stream, &stats));
	assert_int_equal(stats.plain_in, strlen(reply));
	assert_int_equal(stats.wire_in, len);
	assert_int_equal(stats.plain_out, strlen(command));
	assert_int_equal(stats.wire_out, (uint64_t)n);
	/* the wrapper passes the socket, cancel and certificates through */
	mailstream_low *low = mailstream_get_low(p.stream);
	assert_int_equal(mailstream_low_get_fd(low),
	                 mailstream_low_get_fd(net_compress_inner(low)));
	assert_null(mailstream_low_get_certificate_chain(low));
	assert_int_equal(net_stream_compress(p.stream, &err), -1);   /* not twice */
	mmap_string_free(line);
	pair_close(&p);
}

static void test_read_ahead_and_pending(void **state)
{
	(void)state;
	struct pair p;
	pair_open(&p, 0);
	/* The OK in plain text, then compressed lines in the same write. */
	unsigned char wire[4096];
	const char *ok = "a1 OK DEFLATE active\r\n";
	memcpy(wire, ok, strlen(ok));
	const char lines[] = "* OK one\r\n* OK two\r\n";
	size_t len = strlen(ok) + squeeze(&p, lines, strlen(lines), wire + strlen(ok),
	                                  sizeof wire - strlen(ok));
	peer_send(&p, wire, len);
	MMAPString *line = mmap_string_new("");
	assert_non_null(mailstream_read_line(p.stream, line));
	assert_string_equal(line->str, ok);
	assert_true(p.stream->read_buffer_len > 0);   /* compressed, read ahead */
	assert_true(net_stream_has_pending(p.stream));
	struct rowan_err err;
	assert_int_equal(net_stream_compress(p.stream, &err), 0);
	assert_int_equal(p.stream->read_buffer_len, 0);
	assert_true(net_stream_has_pending(p.stream));   /* now in the inflater */
	assert_non_null(mailstream_read_line(p.stream, line));
	assert_string_equal(line->str, "* OK one\r\n");
	assert_true(net_stream_has_pending(p.stream));   /* the second line */
	assert_non_null(mailstream_read_line(p.stream, line));
	assert_string_equal(line->str, "* OK two\r\n");
	assert_false(net_stream_has_pending(p.stream));
	mmap_string_free(line);
	pair_close(&p);
}

/* Each read of the wrapper hands out at most the caller's buffer. */
static void test_inflated_output_capped(void **state)
{
	(void)state;
	struct pair p;
	pair_open(&p, 0);
	struct rowan_err err;
	assert_int_equal(net_stream_compress(p.stream, &err), 0);
	size_t plain = 4 << 20;
	char *text = xmalloc(plain);
	for (size_t i = 0; i < plain; i++)
		text[i] = (i % 100 == 99) ? '\n' : 'x';
	unsigned char *wire = xmalloc(plain);
	size_t len = squeeze(&p, text, plain, wire, plain);
	assert_true(len < plain / 100);
	peer_send(&p, wire, len);
	mailstream_low *low = mailstream_get_low(p.stream);
	char buf[1000];
	size_t total = 0;
	int reads = 0;
	while (total < plain) {
		ssize_t n = mailstream_low_read(low, buf, sizeof buf);
		assert_true(n > 0 && n <= (ssize_t)sizeof buf);
		assert_memory_equal(buf, text + total, (size_t)n);
		total += (size_t)n;
		reads++;
	}
	assert_true(reads >= (int)(plain / sizeof buf));
	assert_false(net_stream_has_pending(p.stream));
	free(wire);
	free(text);
	pair_close(&p);
}

/* The guard sees inflated text; corrupt data and EOF are explained. */
static void test_guard_and_errors(void **state)
{
	(void)state;
	struct pair p;
	pair_open(&p, 1000);
	struct rowan_err err;
	assert_int_equal(net_stream_compress(p.stream, &err), 0);
	char text[5000];
	memset(text, 'y', sizeof text);
	unsigned char wire[5000];
	size_t len = squeeze(&p, text, sizeof text, wire, sizeof wire);
	peer_send(&p, wire, len);
	MMAPString *line = mmap_string_new("");
	assert_null(mailstream_read_line(p.stream, line));
	assert_int_equal(net_stream_error(p.stream, &err), ROWAN_ERR_PROTOCOL);
	assert_non_null(strstr(err.message, "test:143"));
	assert_non_null(strstr(err.message, "line longer than"));
	pair_close(&p);

	pair_open(&p, 0);
	assert_int_equal(net_stream_compress(p.stream, &err), 0);
	peer_send(&p, "\xff\xff\xff\xff garbage", 12);
	assert_null(mailstream_read_line(p.stream, line));
	assert_int_equal(net_stream_error(p.stream, &err), ROWAN_ERR_PROTOCOL);
	assert_non_null(strstr(err.message, "corrupt compressed data"));
	assert_int_equal(mailstream_low_read(mailstream_get_low(p.stream), text, 10), -1);
	pair_close(&p);

	pair_open(&p, 0);
	assert_int_equal(net_stream_compress(p.stream, &err), 0);
	shutdown(p.peer, SHUT_WR);
	assert_int_equal(mailstream_low_read(mailstream_get_low(p.stream), text, 10), -1);
	assert_int_equal(net_stream_error(p.stream, &err), ROWAN_ERR_NET);
	assert_non_null(strstr(err.message, "closed the connection"));
	mmap_string_free(line);
	pair_close(&p);
}

static void test_cancel_through_layer(void **state)
{
	(void)state;
	struct pair p;
	pair_open(&p, 0);
	struct rowan_err err;
	assert_int_equal(net_stream_compress(p.stream, &err), 0);
	net_stream_cancel(p.stream);
	char buf[10];
	assert_int_equal(mailstream_low_read(mailstream_get_low(p.stream), buf, sizeof buf), -1);
	assert_int_equal(net_stream_error(p.stream, &err), ROWAN_ERR_NET);
	assert_non_null(strstr(err.message, "cancelled"));
	/* the inner driver was cancelled too */
	assert_int_equal(mailstream_low_read(net_compress_inner(mailstream_get_low(p.stream)),
	                                     buf, sizeof buf), -1);
	assert_int_equal(mailstream_low_write(mailstream_get_low(p.stream), "x\r\n", 3), -1);
	pair_close(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_read_ahead_and_pending),
		cmocka_unit_test(test_inflated_output_capped),
		cmocka_unit_test(test_guard_and_errors),
		cmocka_unit_test(test_cancel_through_layer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
