/*
 * imap_fetch: UID FETCH sent and read by Rowan itself on a libetpan IMAP
 * session (net_imap_uid_fetch_raw()).  The command goes out with the
 * session's next tag exactly as mailimap_send_current_tag() makes it;
 * the responses are read from the mailstream's own read buffer, so
 * bytes libetpan already buffered are seen first and bytes read past our
 * tagged response are put back for libetpan's next command.  Afterwards
 * the session looks as if libetpan had run the command: imap_response
 * holds the tagged text, imap_response_info is fresh, and sel_exists
 * follows EXISTS and EXPUNGE.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <libetpan/mailimap.h>
#include <libetpan/mailstream.h>

#include "net/imap_fetch.h"
#include "net/internal.h"

/* ---- the mailstream as a byte source ---- */

static ssize_t stream_read(void *ctx, char *dst, size_t max)
{
	mailstream *stream = ctx;

	if (stream->read_buffer_len == 0 &&
	    mailstream_feed_read_buffer(stream) <= 0)
		return -1; /* our driver never returns 0; be safe with others */
	size_t n = stream->read_buffer_len < max ? stream->read_buffer_len
	                                         : max;
	memcpy(dst, stream->read_buffer, n);
	stream->read_buffer_len -= n;
	if (stream->read_buffer_len > 0)
		memmove(stream->read_buffer, stream->read_buffer + n,
		        stream->read_buffer_len);
	return (ssize_t)n;
}

/*
 * Put back bytes that came after the tagged response.  They are a tail
 * of the last chunk stream_read() took, so they fit in front of what is
 * still in the buffer.
 */
static void stream_unread(void *ctx, const char *data, size_t len)
{
	mailstream *stream = ctx;

	if (len + stream->read_buffer_len > stream->buffer_max_size)
		return; /* cannot happen; see above */
	memmove(stream->read_buffer + len, stream->read_buffer,
	        stream->read_buffer_len);
	memcpy(stream->read_buffer, data, len);
	stream->read_buffer_len += len;
}

/* ---- keeping libetpan's view of the mailbox in step ---- */

struct fetch_call {
	mailimap *imap;
	const struct net_imap_fetch_callbacks *user;
};

static int call_message(const struct net_imap_fetched *msg, void *ctx)
{
	struct fetch_call *call = ctx;

	if (call->user->message == NULL)
		return 0;
	return call->user->message(msg, call->user->ctx) == 0 ? 0 : -1;
}

static void call_exists(uint32_t count, void *ctx)
{
	struct fetch_call *call = ctx;
	struct mailimap_selection_info *selection =
		call->imap->imap_selection_info;

	if (selection != NULL) {
		selection->sel_exists = count;
		selection->sel_has_exists = 1;
	}
	if (call->user->exists != NULL)
		call->user->exists(count, call->user->ctx);
}

static void call_expunge(uint32_t seq, void *ctx)
{
	struct fetch_call *call = ctx;
	struct mailimap_selection_info *selection =
		call->imap->imap_selection_info;

	if (selection != NULL && selection->sel_exists > 0)
		selection->sel_exists--;
	if (call->user->expunge != NULL)
		call->user->expunge(seq, call->user->ctx);
}

static void call_vanished(const char *uid_set, bool earlier, void *ctx)
{
	struct fetch_call *call = ctx;

	if (call->user->vanished != NULL)
		call->user->vanished(uid_set, earlier, call->user->ctx);
}

/* ---- the command ---- */

static bool text_ok(const char *text, bool may_be_empty)
{
	if (text == NULL)
		return may_be_empty;
	if (text[0] == '\0' && !may_be_empty)
		return false;
	return strpbrk(text, "\r\n") == NULL;
}

/* Tag, command, flush; 0 or -1 with err filled. */
static int send_command(mailimap *imap, const char *uid_set,
                        const char *items, const char *modifiers,
                        struct rowan_err *err)
{
	struct buf command;
	int result = -1;

	buf_init(&command);
	buf_printf(&command, "UID FETCH %s (%s)", uid_set, items);
	if (modifiers != NULL && modifiers[0] != '\0')
		buf_printf(&command, " (%s)", modifiers);
	buf_add_str(&command, "\r\n");
	if (mailimap_send_current_tag(imap) != MAILIMAP_NO_ERROR ||
	    mailstream_write(imap->imap_stream, command.data, command.len) < 0 ||
	    mailstream_flush(imap->imap_stream) != 0) {
		net_imap_explain(imap, MAILIMAP_ERROR_STREAM, err);
		goto out;
	}
	result = 0;
out:
	buf_free(&command);
	return result;
}

/* What libetpan leaves behind after a command that got its answer. */
static void session_store(mailimap *imap, const char *text)
{
	if (imap->imap_response_info != NULL)
		mailimap_response_info_free(imap->imap_response_info);
	imap->imap_response_info = mailimap_response_info_new();
	if (mmap_string_assign(imap->imap_response_buffer, text) != NULL)
		imap->imap_response = imap->imap_response_buffer->str;
}

int net_imap_uid_fetch_raw(mailimap *imap, const char *uid_set,
                           const char *items, const char *modifiers,
                           const struct net_imap_fetch_callbacks *cb,
                           struct rowan_err *err)
{
	if (imap == NULL || imap->imap_stream == NULL || cb == NULL ||
	    imap->imap_state != MAILIMAP_STATE_SELECTED ||
	    !text_ok(uid_set, false) || !text_ok(items, false) ||
	    !text_ok(modifiers, true)) {
		rowan_err_set(err, ROWAN_ERR_INTERNAL,
		              _("UID FETCH: no mailbox selected or bad arguments"));
		return -1;
	}
	const char *label = net_stream_label(imap->imap_stream);
	if (send_command(imap, uid_set, items, modifiers, err) != 0)
		return -1;

	/* The tag mailimap_send_current_tag() just sent. */
	char tag[32];
	snprintf(tag, sizeof tag, "%s%d",
	         mailimap_is_163_workaround_enabled(imap) ? "C" : "",
	         imap->imap_tag);
	imap->imap_response = NULL;

	struct fetch_call call = {.imap = imap, .user = cb};
	struct net_imap_fetch_callbacks wrapped = {
		.message = call_message,
		.exists = call_exists,
		.expunge = call_expunge,
		.vanished = call_vanished,
		.ctx = &call,
	};
	struct imap_fetch_source source = {
		.read = stream_read,
		.unread = stream_unread,
		.ctx = imap->imap_stream,
	};
	struct imap_fetch_outcome outcome;
	enum imap_fetch_status status =
		imap_fetch_parse(&source, tag, label, NULL, &wrapped,
		                 &outcome, err);

	switch (status) {
	case IMAP_FETCH_OK:
		session_store(imap, outcome.text);
		return 0;
	case IMAP_FETCH_STOPPED:
		session_store(imap, outcome.text);
		return 1;
	case IMAP_FETCH_NO:
		session_store(imap, outcome.text);
		return -1;
	case IMAP_FETCH_EOF:
		session_store(imap, "");
		/* The stream knows best (timeout, TLS, guard); else the
		 * server's goodbye; else the parser's "connection lost". */
		if (net_stream_error(imap->imap_stream, err) == ROWAN_ERR_NONE &&
		    outcome.bye) {
			char text[sizeof outcome.bye_text];
			net_text_clean(outcome.bye_text, text, sizeof text);
			rowan_err_set(err, ROWAN_ERR_NET,
			              _("%s: the server closed the connection: %s"),
			              label, text);
		}
		return -1;
	case IMAP_FETCH_PROTOCOL:
	default:
		session_store(imap, "");
		return -1;
	}
}
