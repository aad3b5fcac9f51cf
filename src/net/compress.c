/*
 * compress: IMAP COMPRESS=DEFLATE (RFC 4978) as a libetpan low-level
 * driver that wraps the stream's own driver (stream.c).  Debian's
 * libetpan is built without zlib, so mailimap_compress() cannot be used.
 *
 * Reads inflate what the inner driver returns, at most the caller's
 * buffer per call, so a small input that inflates to a huge output (a
 * "zip bomb") is handed out piece by piece, every piece passing the
 * inner driver's guard (line and literal limits) as plain text; the
 * inner driver stops checking the compressed bytes it reads.  Writes are
 * deflated and flushed (Z_SYNC_FLUSH) each time, so every command leaves
 * at once.  Failures are recorded in the inner driver, where
 * net_stream_error() finds them; the wrapper follows the same contract
 * (-1 at end of file, never 0) and passes cancel, the socket and the
 * certificate chain through.
 */
#include "config.h"

#include <limits.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libetpan/mailimap.h>
#include <libetpan/mailstream_low.h>
#include <zlib.h>

#include "net/internal.h"

#define COMPRESS_INPUT_SIZE 16384
#define COMPRESS_OUTPUT_SIZE 16384

struct compress_low {
	mailstream_low *inner;
	z_stream inflater, deflater;
	unsigned char input[COMPRESS_INPUT_SIZE];  /* compressed bytes read */
	bool output_pending;   /* the last inflate filled the caller's buffer */
	bool ended;            /* the server ended its deflate stream */
	bool failed;
	atomic_bool cancelled;
	char *label;
	struct net_compress_stats stats;
};

static mailstream_low_driver compress_driver;

mailstream_low *net_compress_inner(mailstream_low *low)
{
	if (low != NULL && low->driver == &compress_driver)
		return ((struct compress_low *)low->data)->inner;
	return low;
}

enum compress_fault {
	FAULT_CORRUPT,   /* inflate refused the data */
	FAULT_TRAILING,  /* bytes after the end of the deflate stream */
	FAULT_CANCELLED, /* net_stream_cancel() */
};

static ssize_t compress_fail(struct compress_low *c, enum compress_fault fault)
{
	if (!c->failed) {
		c->failed = true;
		char *message;
		if (fault == FAULT_CORRUPT)
			/* L10N: %s is the server ("host:port") */
			message = xasprintf(_("%s: the server sent corrupt compressed data"),
			                    c->label);
		else if (fault == FAULT_TRAILING)
			/* L10N: %s is the server ("host:port") */
			message = xasprintf(_("%s: the server sent data after ending its compressed stream"),
			                    c->label);
		else
			message = xasprintf(_("%s: connection cancelled"), c->label);
		net_low_layer_fail(c->inner, fault == FAULT_CANCELLED ? ROWAN_ERR_NET
		                                                      : ROWAN_ERR_PROTOCOL,
		                   message);
		free(message);
	}
	return -1;
}

static ssize_t compress_read(mailstream_low *low, void *buf, size_t count)
{
	struct compress_low *c = low->data;

	if (c->failed)
		return -1;
	if (count > UINT_MAX)
		count = UINT_MAX;
	for (;;) {
		if (atomic_load(&c->cancelled))
			return compress_fail(c, FAULT_CANCELLED);
		if (c->inflater.avail_in > 0 || c->output_pending) {
			if (c->ended)
				return compress_fail(c, FAULT_TRAILING);
			c->inflater.next_out = buf;
			c->inflater.avail_out = (uInt)count;
			int r = inflate(&c->inflater, Z_SYNC_FLUSH);
			size_t produced = count - c->inflater.avail_out;
			c->output_pending = c->inflater.avail_out == 0;
			if (r == Z_STREAM_END) {
				c->ended = true;   /* all its output is out */
				c->output_pending = false;
			}
			else if (r != Z_OK && r != Z_BUF_ERROR)
				return compress_fail(c, FAULT_CORRUPT);
			if (produced > 0) {
				c->stats.plain_in += produced;
				return net_low_layer_check(c->inner, buf, (ssize_t)produced);
			}
			if (r == Z_BUF_ERROR && c->inflater.avail_in > 0)
				return compress_fail(c, FAULT_CORRUPT);
			if (c->inflater.avail_in > 0 || c->output_pending)
				continue;
		}
		if (c->ended) {
			/* Nothing may follow the end of the deflate stream. */
			ssize_t n = mailstream_low_read(c->inner, c->input, 1);
			if (n <= 0)
				return -1;
			c->inflater.next_in = c->input;
			c->inflater.avail_in = (uInt)n;
			continue;
		}
		mailstream_low_set_timeout(c->inner, mailstream_low_get_timeout(low));
		ssize_t n = mailstream_low_read(c->inner, c->input, sizeof c->input);
		if (n <= 0) {
			c->failed = true;
			return -1;   /* the inner driver recorded why */
		}
		c->stats.wire_in += (uint64_t)n;
		c->inflater.next_in = c->input;
		c->inflater.avail_in = (uInt)n;
	}
}

/* Write all of data to the inner driver; 0 or -1. */
static int write_all(struct compress_low *c, const unsigned char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = mailstream_low_write(c->inner, data, len);
		if (n <= 0)
			return -1;
		c->stats.wire_out += (uint64_t)n;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

static ssize_t compress_write(mailstream_low *low, const void *buf, size_t count)
{
	struct compress_low *c = low->data;
	unsigned char out[COMPRESS_OUTPUT_SIZE];

	if (atomic_load(&c->cancelled))
		return compress_fail(c, FAULT_CANCELLED);
	if (c->failed)
		return -1;
	if (count == 0)
		return 0;
	if (count > UINT_MAX)
		count = UINT_MAX;
	mailstream_low_set_timeout(c->inner, mailstream_low_get_timeout(low));
	c->deflater.next_in = (unsigned char *)(uintptr_t)buf;
	c->deflater.avail_in = (uInt)count;
	do {
		c->deflater.next_out = out;
		c->deflater.avail_out = sizeof out;
		int r = deflate(&c->deflater, Z_SYNC_FLUSH);
		if (r != Z_OK && r != Z_BUF_ERROR) {
			c->failed = true;
			return -1;
		}
		if (write_all(c, out, sizeof out - c->deflater.avail_out) != 0) {
			c->failed = true;
			return -1;
		}
	} while (c->deflater.avail_out == 0 || c->deflater.avail_in > 0);
	c->stats.plain_out += count;
	return (ssize_t)count;
}

static int compress_close(mailstream_low *low)
{
	struct compress_low *c = low->data;

	return mailstream_low_close(c->inner);
}

static int compress_get_fd(mailstream_low *low)
{
	struct compress_low *c = low->data;

	return mailstream_low_get_fd(c->inner);
}

static void compress_free(mailstream_low *low)
{
	struct compress_low *c = low->data;

	if (c != NULL) {
		inflateEnd(&c->inflater);
		deflateEnd(&c->deflater);
		mailstream_low_free(c->inner);
		free(c->label);
		free(c);
	}
	/* libetpan's convention: the driver frees the low itself. */
	free(low);
}

static void compress_cancel(mailstream_low *low)
{
	struct compress_low *c = low->data;

	atomic_store(&c->cancelled, true);
	mailstream_low_cancel(c->inner);
}

static struct mailstream_cancel *compress_get_cancel(mailstream_low *low)
{
	struct compress_low *c = low->data;

	return mailstream_low_get_cancel(c->inner);
}

static carray *compress_get_certificate_chain(mailstream_low *low)
{
	struct compress_low *c = low->data;

	return mailstream_low_get_certificate_chain(c->inner);
}

static mailstream_low_driver compress_driver = {
	.mailstream_read = compress_read,
	.mailstream_write = compress_write,
	.mailstream_close = compress_close,
	.mailstream_get_fd = compress_get_fd,
	.mailstream_free = compress_free,
	.mailstream_cancel = compress_cancel,
	.mailstream_get_cancel = compress_get_cancel,
	.mailstream_get_certificate_chain = compress_get_certificate_chain,
	.mailstream_setup_idle = NULL,
	.mailstream_unsetup_idle = NULL,
	.mailstream_interrupt_idle = NULL,
};

int net_stream_compress(mailstream *stream, struct rowan_err *err)
{
	mailstream_low *inner = mailstream_get_low(stream);

	if (inner == NULL || inner->driver == &compress_driver ||
	    stream->write_buffer_len > 0 ||
	    stream->read_buffer_len > COMPRESS_INPUT_SIZE) {
		rowan_err_set(err, ROWAN_ERR_INTERNAL,
		              _("%s: cannot start compression on this connection"),
		              net_stream_label(stream));
		return -1;
	}
	struct compress_low *c = xcalloc(1, sizeof *c);
	if (inflateInit2(&c->inflater, -15) != Z_OK ||
	    deflateInit2(&c->deflater, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8,
	                 Z_DEFAULT_STRATEGY) != Z_OK)
		abort();   /* out of memory, as xmalloc would */
	c->inner = inner;
	c->label = xstrdup(net_stream_label(stream));
	atomic_init(&c->cancelled, false);
	/* Bytes libetpan read ahead after the OK are already compressed. */
	memcpy(c->input, stream->read_buffer, stream->read_buffer_len);
	c->inflater.next_in = c->input;
	c->inflater.avail_in = (uInt)stream->read_buffer_len;
	c->stats.wire_in = stream->read_buffer_len;
	stream->read_buffer_len = 0;

	mailstream_low *low = mailstream_low_new(c, &compress_driver);
	if (low == NULL)
		abort();
	mailstream_low_set_timeout(low, mailstream_low_get_timeout(inner));
	mailstream_low_set_logger(inner, NULL, NULL);
	net_low_set_layered(inner);
	mailstream_set_low(stream, low);
	return 0;
}

bool net_stream_compression_stats(mailstream *stream, struct net_compress_stats *stats)
{
	mailstream_low *low = stream != NULL ? mailstream_get_low(stream) : NULL;

	if (low == NULL || low->driver != &compress_driver)
		return false;
	*stats = ((struct compress_low *)low->data)->stats;
	return true;
}

bool net_stream_has_pending(mailstream *stream)
{
	if (stream == NULL)
		return false;
	if (stream->read_buffer_len > 0)
		return true;
	mailstream_low *low = mailstream_get_low(stream);
	if (low != NULL && low->driver == &compress_driver) {
		struct compress_low *c = low->data;
		if (c->inflater.avail_in > 0 || c->output_pending)
			return true;
	}
	return net_low_has_pending(net_compress_inner(low));
}

/* Whether the server's capabilities include COMPRESS=DEFLATE. */
static bool imap_offers_deflate(mailimap *imap)
{
	if (imap->imap_connection_info == NULL ||
	    imap->imap_connection_info->imap_capability == NULL)
		return false;
	clist *list = imap->imap_connection_info->imap_capability->cap_list;
	for (clistiter *cur = clist_begin(list); cur != NULL; cur = clist_next(cur)) {
		struct mailimap_capability *cap = clist_content(cur);
		if (cap->cap_type == MAILIMAP_CAPABILITY_NAME &&
		    strcasecmp(cap->cap_data.cap_name, "COMPRESS=DEFLATE") == 0)
			return true;
	}
	return false;
}

int net_imap_compress(mailimap *imap, struct rowan_err *err)
{
	if (imap->imap_stream == NULL) {
		rowan_err_set(err, ROWAN_ERR_INTERNAL, _("%s: not connected"), _("server"));
		return -1;
	}
	if (mailstream_get_low(imap->imap_stream)->driver == &compress_driver)
		return 0;
	if (!imap_offers_deflate(imap))
		return 1;
	int r = mailimap_custom_command(imap, "COMPRESS DEFLATE");
	if (r == MAILIMAP_NO_ERROR)
		return net_stream_compress(imap->imap_stream, err);
	if (net_stream_error(imap->imap_stream, err) != ROWAN_ERR_NONE)
		return -1;
	if (r == MAILIMAP_ERROR_CUSTOM_COMMAND) {
		char text[256];
		net_text_clean(imap->imap_response != NULL ? imap->imap_response : "", text,
		               sizeof text);
		rowan_err_set(err, ROWAN_ERR_SERVER,
		              _("%s: the server refused to compress the connection: %s"),
		              net_stream_label(imap->imap_stream), text);
		return -1;
	}
	net_imap_explain(imap, r, err);
	return -1;
}
