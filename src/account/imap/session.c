/*
 * account/imap/session.c: the IMAP backend's life cycle — connect (TLS
 * through src/net), authenticate (AUTHENTICATE PLAIN with SASL-IR, else
 * LOGIN), capabilities, COMPRESS=DEFLATE, disconnect — plus the error
 * mapping and the handling of untagged changes every command shares.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "account/imap/imap_private.h"
#include "mail/envelope.h"
#include "net/net.h"

/* ---- errors ---- */

/* The server's last response text, cleaned for a message. */
static void response_text(struct imap_backend *b, char *out, size_t size)
{
	const char *text = b->imap != NULL ? b->imap->imap_response : NULL;
	size_t n = 0;

	if (text == NULL || *text == '\0')
		text = _("no reason given");
	for (; *text != '\0' && n + 1 < size; text++)
		out[n++] = ((unsigned char)*text < 0x20 || *text == 0x7f) ? ' ' : *text;
	out[n] = '\0';
}

void imap_error(struct imap_backend *b, int code, const char *what,
                struct rowan_err *err)
{
	const char *host = b->acct->host;
	char text[512];

	switch (code) {
	case MAILIMAP_ERROR_STREAM:
		if (b->imap != NULL && b->imap->imap_stream != NULL &&
		    net_stream_error(b->imap->imap_stream, err) != ROWAN_ERR_NONE)
			return;
		rowan_err_set(err, ROWAN_ERR_NET, _("%s: the connection was lost"),
		              host);
		return;
	case MAILIMAP_ERROR_PARSE:
		rowan_err_set(err, ROWAN_ERR_PROTOCOL,
		              _("%s: the server's answer to %s could not be understood"),
		              host, what);
		return;
	case MAILIMAP_ERROR_FATAL:
		response_text(b, text, sizeof text);
		rowan_err_set(err, ROWAN_ERR_NET,
		              _("%s: the server closed the connection: %s"), host, text);
		return;
	case MAILIMAP_ERROR_BAD_STATE:
		rowan_err_set(err, ROWAN_ERR_INTERNAL,
		              _("%s: %s is not possible in this state"), host, what);
		return;
	case MAILIMAP_ERROR_MEMORY:
		rowan_err_set(err, ROWAN_ERR_INTERNAL, _("%s: out of memory"), host);
		return;
	default:
		response_text(b, text, sizeof text);
		rowan_err_set(err, ROWAN_ERR_SERVER, _("%s: %s failed: %s"), host,
		              what, text);
		return;
	}
}

int imap_require(struct imap_backend *b, struct rowan_err *err)
{
	if (b->imap != NULL && b->imap->imap_stream != NULL)
		return 0;
	rowan_err_set(err, ROWAN_ERR_NET, _("%s: not connected"), b->acct->host);
	return -1;
}

/* ---- untagged changes ---- */

void imap_after_command(struct imap_backend *b)
{
	if (b->imap == NULL || b->imap->imap_response_info == NULL)
		return;
	clist *expunged = b->imap->imap_response_info->rsp_expunged;
	if (expunged == NULL)
		return;
	for (clistiter *it = clist_begin(expunged); it != NULL;
	     it = clist_next(it)) {
		uint32_t seq = *(uint32_t *)clist_content(it);
		if (seq == 0 || seq > b->message_count)
			continue;
		imap_note_gone(b, b->messages[seq - 1].uid);
		imap_message_remove_at(b, seq - 1);
	}
	/* Processed: do not see them again after a later look. */
	for (clistiter *it = clist_begin(expunged); it != NULL;
	     it = clist_next(it))
		free(clist_content(it));
	clist_free(expunged);
	b->imap->imap_response_info->rsp_expunged = clist_new();
}

struct flag_change {
	uint32_t uid;
	unsigned flags;
	size_t order;
};

static int flag_change_compare(const void *a, const void *b)
{
	const struct flag_change *x = a, *y = b;
	if (x->uid != y->uid)
		return x->uid < y->uid ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* One entry per UID, the latest flags winning. */
static void flag_changes_merge(struct imap_backend *b)
{
	if (b->flag_count < 2)
		return;
	struct flag_change *v = xmalloc(b->flag_count * sizeof *v);
	for (size_t i = 0; i < b->flag_count; i++)
		v[i] = (struct flag_change){b->flag_uids[i], b->flag_values[i], i};
	qsort(v, b->flag_count, sizeof *v, flag_change_compare);
	size_t n = 0;
	for (size_t i = 0; i < b->flag_count; i++) {
		if (i + 1 < b->flag_count && v[i + 1].uid == v[i].uid)
			continue;
		b->flag_uids[n] = v[i].uid;
		b->flag_values[n] = v[i].flags;
		n++;
	}
	b->flag_count = n;
	free(v);
}

void imap_post_changes(struct imap_backend *b)
{
	if (b->flag_count == 0 && b->gone_count == 0)
		return;
	flag_changes_merge(b);
	if (b->folder != NULL)
		imap_cache_store(b, NULL, 0, b->flag_uids, b->flag_values,
		                 b->flag_count, b->gone, b->gone_count, false);
	if (b->flag_count > 0) {
		struct account_event *ev = account_event_new(ACCOUNT_EVENT_FLAGS);
		ev->uids = xmalloc(b->flag_count * sizeof *ev->uids);
		ev->flags = xmalloc(b->flag_count * sizeof *ev->flags);
		memcpy(ev->uids, b->flag_uids, b->flag_count * sizeof *ev->uids);
		memcpy(ev->flags, b->flag_values, b->flag_count * sizeof *ev->flags);
		ev->uid_count = b->flag_count;
		account_worker_post(b->worker, ev);
		b->flag_count = 0;
	}
	if (b->gone_count > 0) {
		struct account_event *ev = account_event_new(ACCOUNT_EVENT_EXPUNGED);
		ev->uids = xmalloc(b->gone_count * sizeof *ev->uids);
		memcpy(ev->uids, b->gone, b->gone_count * sizeof *ev->uids);
		ev->uid_count = b->gone_count;
		account_worker_post(b->worker, ev);
		b->gone_count = 0;
	}
}

/* ---- capabilities ---- */

static bool name_is(const char *name, const char *want)
{
	return name != NULL && strcasecmp(name, want) == 0;
}

static void caps_read(struct imap_backend *b)
{
	b->server_caps = 0;
	if (b->imap->imap_connection_info == NULL ||
	    b->imap->imap_connection_info->imap_capability == NULL)
		return;
	clist *list = b->imap->imap_connection_info->imap_capability->cap_list;
	for (clistiter *it = clist_begin(list); it != NULL; it = clist_next(it)) {
		struct mailimap_capability *cap = clist_content(it);
		if (cap->cap_type == MAILIMAP_CAPABILITY_AUTH_TYPE) {
			if (name_is(cap->cap_data.cap_auth_type, "PLAIN"))
				b->server_caps |= IMAP_CAP_AUTH_PLAIN;
			continue;
		}
		const char *name = cap->cap_data.cap_name;
		static const struct {
			const char *name;
			unsigned bit;
		} table[] = {
			{"IDLE", IMAP_CAP_IDLE},
			{"CONDSTORE", IMAP_CAP_CONDSTORE},
			{"QRESYNC", IMAP_CAP_CONDSTORE},
			{"MOVE", IMAP_CAP_MOVE},
			{"UIDPLUS", IMAP_CAP_UIDPLUS},
			{"SASL-IR", IMAP_CAP_SASL_IR},
			{"SPECIAL-USE", IMAP_CAP_SPECIAL_USE},
			{"COMPRESS=DEFLATE", IMAP_CAP_COMPRESS},
			{"UNSELECT", IMAP_CAP_UNSELECT},
			{"LOGINDISABLED", IMAP_CAP_LOGINDISABLED},
			{"AUTH=PLAIN", IMAP_CAP_AUTH_PLAIN},
		};
		for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
			if (name_is(name, table[i].name))
				b->server_caps |= table[i].bit;
	}
}

static int caps_refresh(struct imap_backend *b, struct rowan_err *err)
{
	struct mailimap_capability_data *data = NULL;
	int r = mailimap_capability(b->imap, &data);

	if (r != MAILIMAP_NO_ERROR) {
		imap_error(b, r, "CAPABILITY", err);
		return -1;
	}
	mailimap_capability_data_free(data);
	caps_read(b);
	return 0;
}

/* ---- authentication ---- */

static void base64_encode(struct buf *out, const unsigned char *in, size_t len)
{
	static const char digits[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

	for (size_t i = 0; i < len; i += 3) {
		unsigned v = (unsigned)in[i] << 16;
		if (i + 1 < len)
			v |= (unsigned)in[i + 1] << 8;
		if (i + 2 < len)
			v |= in[i + 2];
		buf_add_char(out, digits[(v >> 18) & 63]);
		buf_add_char(out, digits[(v >> 12) & 63]);
		buf_add_char(out, i + 1 < len ? digits[(v >> 6) & 63] : '=');
		buf_add_char(out, i + 2 < len ? digits[v & 63] : '=');
	}
}

static void buf_wipe(struct buf *b)
{
	if (b->data != NULL)
		memset(b->data, 0, b->cap);
	buf_free(b);
}

/* AUTHENTICATE PLAIN with the initial response on the command line
 * (RFC 4959); libetpan's own AUTHENTICATE needs Cyrus SASL. */
static int auth_plain(struct imap_backend *b, const char *user,
                      const char *password, struct rowan_err *err)
{
	struct buf raw, line;
	struct mailimap_response *response = NULL;
	int result = -1;

	buf_init(&raw);
	buf_init(&line);
	buf_add_char(&raw, '\0');
	buf_add_str(&raw, user);
	buf_add_char(&raw, '\0');
	buf_add_str(&raw, password);
	buf_add_str(&line, "AUTHENTICATE PLAIN ");
	base64_encode(&line, (const unsigned char *)raw.data, raw.len);
	buf_add_str(&line, "\r\n");

	int r = mailimap_send_current_tag(b->imap);
	if (r == MAILIMAP_NO_ERROR &&
	    (mailstream_write(b->imap->imap_stream, line.data, line.len) < 0 ||
	     mailstream_flush(b->imap->imap_stream) < 0))
		r = MAILIMAP_ERROR_STREAM;
	if (r == MAILIMAP_NO_ERROR && mailimap_read_line(b->imap) == NULL)
		r = MAILIMAP_ERROR_STREAM;
	if (r == MAILIMAP_NO_ERROR)
		r = mailimap_parse_response(b->imap, &response);
	if (r != MAILIMAP_NO_ERROR) {
		imap_error(b, r, "AUTHENTICATE", err);
		goto out;
	}
	if (response->rsp_resp_done->rsp_data.rsp_tagged->rsp_cond_state->rsp_type !=
	    MAILIMAP_RESP_COND_STATE_OK) {
		char text[512];
		response_text(b, text, sizeof text);
		rowan_err_set(err, ROWAN_ERR_AUTH, _("%s: login as %s failed: %s"),
		              b->acct->host, user, text);
		goto out;
	}
	b->imap->imap_state = MAILIMAP_STATE_AUTHENTICATED;
	result = 0;
out:
	if (response != NULL)
		mailimap_response_free(response);
	buf_wipe(&raw);
	buf_wipe(&line);
	return result;
}

static int authenticate(struct imap_backend *b, struct rowan_err *err)
{
	const struct config_account *acct = b->acct;

	if (acct->user == NULL) {
		rowan_err_set(err, ROWAN_ERR_CONFIG,
		              _("account %s: no user set"), acct->name);
		return -1;
	}
	if (!config_account_password_allowed(acct, false)) {
		rowan_err_set(err, ROWAN_ERR_AUTH,
		              _("%s: refusing to send the password over an "
		                "unencrypted connection; use tls = imaps or starttls, "
		                "or set allow_plaintext_password = yes"),
		              acct->host);
		return -1;
	}
	char *password = account_worker_password(b->worker, err);
	if (password == NULL)
		return -1;
	int result;
	if ((b->server_caps & (IMAP_CAP_AUTH_PLAIN | IMAP_CAP_SASL_IR)) ==
	    (IMAP_CAP_AUTH_PLAIN | IMAP_CAP_SASL_IR)) {
		result = auth_plain(b, acct->user, password, err);
	} else {
		int r = mailimap_login(b->imap, acct->user, password);
		result = 0;
		if (r == MAILIMAP_ERROR_LOGIN) {
			char text[512];
			response_text(b, text, sizeof text);
			rowan_err_set(err, ROWAN_ERR_AUTH,
			              _("%s: login as %s failed: %s"), acct->host,
			              acct->user, text);
			result = -1;
		} else if (r != MAILIMAP_NO_ERROR) {
			imap_error(b, r, "LOGIN", err);
			result = -1;
		}
	}
	config_password_free(&password);
	return result;
}

/* ---- COMPRESS=DEFLATE ---- */

/* Compress the connection when the server offers it and imap_compress
 * says so.  A server that refuses leaves the session uncompressed; -1
 * only when the connection is gone. */
static int compress(struct imap_backend *b, struct rowan_err *err)
{
	struct rowan_err refused;

	b->compressed = false;
	if (!(b->server_caps & IMAP_CAP_COMPRESS) ||
	    !config_get_bool(b->cfg, CONFIG_VAR_IMAP_COMPRESS))
		return 0;
	rowan_err_clear(&refused);
	int r = net_imap_compress(b->imap, &refused);
	if (r == 0) {
		b->compressed = true;
		return 0;
	}
	if (r == 1 || refused.err_class == ROWAN_ERR_SERVER)
		return 0;
	*err = refused;
	return -1;
}

/* ---- the ops ---- */

static void progress_tick(size_t current, size_t maximum, void *context)
{
	(void)current;
	(void)maximum;
	(void)context;
}

static void session_drop(struct imap_backend *b)
{
	if (b->imap == NULL)
		return;
	if (b->imap->imap_stream != NULL) {
		mailstream_close(b->imap->imap_stream);
		b->imap->imap_stream = NULL;
	}
	mailimap_free(b->imap);
	b->imap = NULL;
}

static int imap_connect(void *state, struct account_worker *worker,
                        struct rowan_err *err)
{
	struct imap_backend *b = state;
	const struct config_account *acct = b->acct;
	enum net_security security = NET_SECURITY_IMPLICIT_TLS;

	b->worker = worker;
	session_drop(b);
	if (acct->tls == CONFIG_TLS_STARTTLS)
		security = NET_SECURITY_STARTTLS;
	else if (acct->tls == CONFIG_TLS_NONE)
		security = NET_SECURITY_NONE;
	struct net_options options = {
		.ca_file = config_account_ca_file(b->cfg, acct),
		.fingerprint = acct->tls_fingerprint,
		.timeout_seconds =
			(int)config_get_number(b->cfg, CONFIG_VAR_CONNECT_TIMEOUT),
		.max_literal =
			(size_t)config_get_number(b->cfg, CONFIG_VAR_MAX_LITERAL_SIZE),
		.protocol = NET_PROTOCOL_IMAP,
		.cancel = account_worker_cancel_token(worker),
	};
	if (acct->host == NULL) {
		rowan_err_set(err, ROWAN_ERR_CONFIG, _("account %s: no host set"),
		              acct->name);
		return -1;
	}
	if (net_imap_connect(acct->host, (unsigned short)acct->port, security,
	                     &options, &b->imap, err) != 0)
		return -1;
	mailstream_low_set_timeout(
		mailstream_get_low(b->imap->imap_stream),
		(time_t)config_get_number(b->cfg, CONFIG_VAR_TIMEOUT));
	caps_read(b);
	if (b->imap->imap_state != MAILIMAP_STATE_AUTHENTICATED) {
		if (authenticate(b, err) != 0)
			goto fail;
		if (caps_refresh(b, err) != 0)
			goto fail;
	}
	if (compress(b, err) != 0)
		goto fail;
	/* Every FETCH response goes through the handler; libetpan calls it
	 * only when a progress callback is set too. */
	mailimap_set_msg_att_handler(b->imap, imap_msg_att_handle, b);
	mailimap_set_progress_callback(b->imap, NULL, progress_tick, b);
	return 0;
fail:
	session_drop(b);
	return -1;
}

static void imap_disconnect(void *state, bool graceful)
{
	struct imap_backend *b = state;

	if (b->imap == NULL)
		return;
	if (graceful && b->imap->imap_stream != NULL) {
		/* A short goodbye: the server may be slow or gone. */
		mailstream_low_set_timeout(mailstream_get_low(b->imap->imap_stream),
		                           5);
		mailimap_logout(b->imap);
	}
	session_drop(b);
}

static unsigned imap_caps(void *state)
{
	struct imap_backend *b = state;
	unsigned caps = ACCOUNT_CAN_FOLDERS | ACCOUNT_CAN_WRITE |
	                ACCOUNT_CAN_COPY | ACCOUNT_CAN_PART_FETCH;

	if ((b->server_caps & IMAP_CAP_IDLE) &&
	    config_get_bool(b->cfg, CONFIG_VAR_IMAP_IDLE))
		caps |= ACCOUNT_CAN_IDLE;
	return caps;
}

static void imap_destroy(void *state)
{
	struct imap_backend *b = state;

	if (b == NULL)
		return;
	session_drop(b);
	imap_cache_close(b);
	imap_sink_reset(&b->sink);
	free(b->folder);
	free(b->messages);
	free(b->flag_uids);
	free(b->flag_values);
	free(b->gone);
	free(b);
}

void *account_imap_new(const struct config *cfg,
                       const struct config_account *acct)
{
	struct imap_backend *b = xcalloc(1, sizeof *b);

	b->cfg = cfg;
	b->acct = acct;
	return b;
}

const struct account_backend_ops account_imap_ops = {
	.kind = "imap",
	.destroy = imap_destroy,
	.connect = imap_connect,
	.disconnect = imap_disconnect,
	.caps = imap_caps,
	.list_folders = imap_list_folders,
	.open_folder = imap_open_folder,
	.close_folder = imap_close_folder,
	.fetch_message = imap_fetch_message,
	.fetch_part = imap_fetch_part,
	.set_flags = imap_set_flags,
	.copy = imap_copy,
	.expunge = imap_expunge,
	.check = imap_check,
	.idle = imap_idle,
};
