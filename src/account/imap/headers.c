/*
 * account/imap/headers.c: fetching message headers — UID FETCH (UID FLAGS
 * INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (...)]) in UID chunks,
 * newest first, each chunk turned into envelopes, cached and posted with
 * progress.  The responses are read by src/net's own FETCH reader
 * (net_imap_uid_fetch_raw): libetpan's generic parser is several times
 * slower on big folders.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/imap/imap_private.h"
#include "mail/envelope.h"
#include "net/net.h"

#define HEADER_ITEMS \
	"UID FLAGS INTERNALDATE RFC822.SIZE " \
	"BODY.PEEK[HEADER.FIELDS (" ENVELOPE_HEADER_FIELDS ")]"

/* ---- src/net's reader ---- */

static int raw_message(const struct net_imap_fetched *msg, void *ctx)
{
	struct imap_backend *b = ctx;
	struct imap_fetched f = {
		.seq = msg->seq,
		.uid = msg->has_uid ? msg->uid : 0,
		.has_flags = msg->has_flags,
		.flags = msg->flags,   /* NET_IMAP_FLAG_* are ENVELOPE_* */
		.arrival = msg->internaldate > 0 ? (time_t)msg->internaldate : 0,
		.size = msg->size,
		.header = msg->header,
		.header_len = msg->header_len,
	};

	if (f.header == NULL && msg->header_len == 0 && b->sink.headers &&
	    msg->has_uid && msg->has_flags && msg->size > 0)
		f.header = "";   /* NIL header: still a message */
	imap_fetched_handle(b, &f);
	return 0;
}

static void raw_expunge(uint32_t seq, void *ctx)
{
	struct imap_backend *b = ctx;

	if (seq == 0 || seq > b->message_count)
		return;
	imap_note_gone(b, b->messages[seq - 1].uid);
	imap_message_remove_at(b, seq - 1);
}

static void uid_set_text(struct buf *out, const uint32_t *uids, size_t count)
{
	for (size_t i = 0; i < count;) {
		size_t j = i;
		while (j + 1 < count && uids[j + 1] == uids[j] + 1)
			j++;
		if (out->len > 0)
			buf_add_char(out, ',');
		if (j == i)
			buf_printf(out, "%u", uids[i]);
		else
			buf_printf(out, "%u:%u", uids[i], uids[j]);
		i = j + 1;
	}
}

int imap_uid_fetch_raw(struct imap_backend *b, const char *uid_set,
                       const char *items, const char *modifiers,
                       struct rowan_err *err)
{
	struct net_imap_fetch_callbacks cb = {
		.message = raw_message,
		.expunge = raw_expunge,
		.ctx = b,
	};

	return net_imap_uid_fetch_raw(b->imap, uid_set, items, modifiers, &cb,
	                              err) < 0 ? -1 : 0;
}

/* ---- chunks ---- */

/* UID FETCH the headers of the UID set (text) and post the envelopes. */
static int fetch_header_set(struct imap_backend *b, const char *set,
                            size_t *fetched, struct rowan_err *err)
{
	imap_sink_reset(&b->sink);
	b->sink.headers = true;
	int r = imap_uid_fetch_raw(b, set, HEADER_ITEMS, NULL, err);
	b->sink.headers = false;
	if (r != 0) {
		imap_sink_reset(&b->sink);
		return -1;
	}
	size_t n = b->sink.envelope_count;
	if (fetched != NULL)
		*fetched = n;
	if (n > 0) {
		imap_cache_store(b, b->sink.envelopes, n, NULL, NULL, 0, NULL, 0,
		                 false);
		struct account_event *ev = account_event_new(ACCOUNT_EVENT_ENVELOPES);
		ev->envelopes = b->sink.envelopes;
		ev->envelope_count = n;
		b->sink.envelopes = NULL;
		b->sink.envelope_count = b->sink.envelope_cap = 0;
		account_worker_post(b->worker, ev);
	}
	imap_sink_reset(&b->sink);
	imap_post_changes(b);
	return 0;
}

/* UID FETCH the headers of uids[0..count) and post the envelopes. */
static int fetch_header_chunk(struct imap_backend *b, const uint32_t *uids,
                              size_t count, struct rowan_err *err)
{
	struct buf set;

	buf_init(&set);
	uid_set_text(&set, uids, count);
	int r = fetch_header_set(b, set.data, NULL, err);
	buf_free(&set);
	return r;
}

int imap_fetch_headers_from(struct imap_backend *b, uint32_t first,
                            size_t *fetched, struct rowan_err *err)
{
	char set[32];

	snprintf(set, sizeof set, "%u:*", first);
	return fetch_header_set(b, set, fetched, err);
}

int imap_fetch_headers(struct imap_backend *b, const uint32_t *uids,
                       size_t count, struct rowan_err *err)
{
	return imap_fetch_headers_after(b, uids, count, 0, err);
}

int imap_fetch_headers_after(struct imap_backend *b, const uint32_t *uids,
                             size_t count, size_t already,
                             struct rowan_err *err)
{
	size_t end = count, done = already, chunk = IMAP_FIRST_CHUNK;
	count += already;

	while (end > 0) {
		size_t n = end < chunk ? end : chunk;
		if (fetch_header_chunk(b, uids + end - n, n, err) != 0)
			return -1;
		end -= n;
		done += n;
		account_worker_progress(b->worker, (long)done, (long)count,
		                        _("loading headers"));
		chunk = IMAP_CHUNK;
		if (end > 0 && account_worker_stale(b->worker))
			return 1;
	}
	return 0;
}
