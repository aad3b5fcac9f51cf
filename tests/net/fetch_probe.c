/*
 * fetch_probe: net_imap_uid_fetch_raw() against a real or a scripted
 * IMAP server, for tests/net/test_fetch_server.py.
 *
 *   fetch_probe --mode compare|raw --host H --port P --security S
 *               [--ca FILE] --user U --password P
 *
 * compare (a real Dovecot): SELECT INBOX with CONDSTORE; fetch 1:* raw
 * and through libetpan (msg_att handler), compare UID, flags, size,
 * INTERNALDATE and header bytes; fetch again raw with ENVELOPE and
 * BODYSTRUCTURE in between, which must change nothing; then check that
 * libetpan's own commands still work (UID STORE, NOOP) and that a raw
 * CHANGEDSINCE fetch returns just the stored message; LOGOUT.
 * raw (a scripted server): SELECT, one raw fetch, NOOP.
 *
 * Prints facts one per line ("raw count=1000", "same", ...), then "OK"
 * or "ERROR class=net: ...".  Exit 0 after OK, 1 after ERROR, 2 on bad
 * usage.
 */
#include "config.h"

#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/net.h"

#define HEADER_FIELDS "From To Cc Subject Date Message-ID In-Reply-To " \
	"References Content-Type Content-Disposition"
#define ITEMS "UID FLAGS INTERNALDATE RFC822.SIZE " \
	"BODY.PEEK[HEADER.FIELDS (" HEADER_FIELDS ")]"
#define ITEMS_MIXED "UID ENVELOPE FLAGS BODYSTRUCTURE INTERNALDATE " \
	"BODY.PEEK[HEADER.FIELDS (" HEADER_FIELDS ")] RFC822.SIZE"

struct message {
	uint32_t uid;
	unsigned flags;
	int64_t date;
	uint64_t size;
	uint64_t modseq;
	char *header;
	size_t header_len;
	bool has_header;
};

struct list {
	struct message *items;
	size_t count, cap;
};

static void list_add(struct list *list, const struct message *message)
{
	if (list->count == list->cap) {
		list->cap = list->cap ? 2 * list->cap : 256;
		list->items = xrealloc(list->items, list->cap * sizeof *list->items);
	}
	list->items[list->count++] = *message;
}

static void list_free(struct list *list)
{
	for (size_t i = 0; i < list->count; i++)
		free(list->items[i].header);
	free(list->items);
	list->items = NULL;
	list->count = list->cap = 0;
}

/* ---- raw ---- */

static int raw_message(const struct net_imap_fetched *msg, void *ctx)
{
	struct message m = {
		.uid = msg->has_uid ? msg->uid : 0,
		.flags = msg->has_flags ? msg->flags : 0,
		.date = msg->internaldate,
		.size = msg->size,
		.modseq = msg->modseq,
		.has_header = msg->header != NULL,
	};

	if (msg->header != NULL) {
		m.header = xmalloc(msg->header_len + 1);
		memcpy(m.header, msg->header, msg->header_len);
		m.header[msg->header_len] = '\0';
		m.header_len = msg->header_len;
	}
	list_add(ctx, &m);
	return 0;
}

static int raw_fetch(mailimap *imap, const char *set, const char *items,
                     const char *modifiers, struct list *out,
                     struct rowan_err *err)
{
	struct net_imap_fetch_callbacks cb = {.message = raw_message, .ctx = out};

	return net_imap_uid_fetch_raw(imap, set, items, modifiers, &cb, err);
}

/* ---- libetpan ---- */

static int64_t etpan_date(const struct mailimap_date_time *dt)
{
	/* Days from civil, as a reference independent of the code tested. */
	int64_t y = dt->dt_year - (dt->dt_month <= 2);
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t mp = (dt->dt_month + 9) % 12;
	int64_t doy = (153 * mp + 2) / 5 + dt->dt_day - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	int64_t days = era * 146097 + doe - 719468;
	int zone = dt->dt_zone < 0 ? -dt->dt_zone : dt->dt_zone;
	int64_t offset = (zone / 100) * 3600 + (zone % 100) * 60;
	if (dt->dt_zone < 0)
		offset = -offset;
	return days * 86400 + dt->dt_hour * 3600 + dt->dt_min * 60 +
		dt->dt_sec - offset;
}

static unsigned etpan_flags(struct mailimap_msg_att_dynamic *dynamic)
{
	unsigned flags = 0;

	if (dynamic == NULL || dynamic->att_list == NULL)
		return 0;
	for (clistiter *cur = clist_begin(dynamic->att_list); cur != NULL;
	     cur = clist_next(cur)) {
		struct mailimap_flag_fetch *fetch = clist_content(cur);
		if (fetch->fl_type == MAILIMAP_FLAG_FETCH_RECENT) {
			flags |= NET_IMAP_FLAG_RECENT;
			continue;
		}
		switch (fetch->fl_flag->fl_type) {
		case MAILIMAP_FLAG_ANSWERED: flags |= NET_IMAP_FLAG_ANSWERED; break;
		case MAILIMAP_FLAG_FLAGGED: flags |= NET_IMAP_FLAG_FLAGGED; break;
		case MAILIMAP_FLAG_DELETED: flags |= NET_IMAP_FLAG_DELETED; break;
		case MAILIMAP_FLAG_SEEN: flags |= NET_IMAP_FLAG_SEEN; break;
		case MAILIMAP_FLAG_DRAFT: flags |= NET_IMAP_FLAG_DRAFT; break;
		default: break;
		}
	}
	return flags;
}

static void etpan_handler(struct mailimap_msg_att *att, void *ctx)
{
	struct message m = {.date = -1};

	for (clistiter *cur = clist_begin(att->att_list); cur != NULL;
	     cur = clist_next(cur)) {
		struct mailimap_msg_att_item *item = clist_content(cur);
		if (item->att_type == MAILIMAP_MSG_ATT_ITEM_DYNAMIC) {
			m.flags = etpan_flags(item->att_data.att_dyn);
			continue;
		}
		struct mailimap_msg_att_static *st = item->att_data.att_static;
		switch (st->att_type) {
		case MAILIMAP_MSG_ATT_UID:
			m.uid = st->att_data.att_uid;
			break;
		case MAILIMAP_MSG_ATT_INTERNALDATE:
			m.date = etpan_date(st->att_data.att_internal_date);
			break;
		case MAILIMAP_MSG_ATT_RFC822_SIZE:
			m.size = st->att_data.att_rfc822_size;
			break;
		case MAILIMAP_MSG_ATT_BODY_SECTION: {
			struct mailimap_msg_att_body_section *sec =
				st->att_data.att_body_section;
			if (sec->sec_body_part != NULL) {
				m.has_header = true;
				m.header_len = sec->sec_length;
				m.header = xmalloc(sec->sec_length + 1);
				memcpy(m.header, sec->sec_body_part, sec->sec_length);
				m.header[sec->sec_length] = '\0';
			}
			break;
		}
		default:
			break;
		}
	}
	list_add(ctx, &m);
}

static void etpan_tick(size_t current, size_t maximum, void *ctx)
{
	(void)current;
	(void)maximum;
	(void)ctx;
}

static int etpan_fetch(mailimap *imap, struct list *out)
{
	clist *names = clist_new();
	char *copy = xstrdup(HEADER_FIELDS);
	for (char *word = strtok(copy, " "); word != NULL;
	     word = strtok(NULL, " "))
		clist_append(names, xstrdup(word));
	free(copy);
	struct mailimap_fetch_type *type =
		mailimap_fetch_type_new_fetch_att_list_empty();
	mailimap_fetch_type_new_fetch_att_list_add(type, mailimap_fetch_att_new_uid());
	mailimap_fetch_type_new_fetch_att_list_add(type, mailimap_fetch_att_new_flags());
	mailimap_fetch_type_new_fetch_att_list_add(type,
		mailimap_fetch_att_new_internaldate());
	mailimap_fetch_type_new_fetch_att_list_add(type,
		mailimap_fetch_att_new_rfc822_size());
	mailimap_fetch_type_new_fetch_att_list_add(type,
		mailimap_fetch_att_new_body_peek_section(
			mailimap_section_new_header_fields(
				mailimap_header_list_new(names))));
	struct mailimap_set *set = mailimap_set_new_interval(1, 0);
	clist *result = NULL;

	mailimap_set_msg_att_handler(imap, etpan_handler, out);
	mailimap_set_progress_callback(imap, NULL, etpan_tick, NULL);
	int r = mailimap_uid_fetch(imap, set, type, &result);
	mailimap_set_msg_att_handler(imap, NULL, NULL);
	mailimap_set_progress_callback(imap, NULL, NULL, NULL);
	if (result != NULL)
		mailimap_fetch_list_free(result);
	mailimap_set_free(set);
	mailimap_fetch_type_free(type);
	return r;
}

/* ---- comparing ---- */

static bool same_lists(const char *what, const struct list *a,
                       const struct list *b)
{
	if (a->count != b->count) {
		printf("DIFF %s: %zu messages against %zu\n", what, a->count,
		       b->count);
		return false;
	}
	for (size_t i = 0; i < a->count; i++) {
		const struct message *x = &a->items[i], *y = &b->items[i];
		if (x->uid != y->uid || x->flags != y->flags ||
		    x->date != y->date || x->size != y->size ||
		    x->has_header != y->has_header ||
		    x->header_len != y->header_len ||
		    (x->header_len > 0 &&
		     memcmp(x->header, y->header, x->header_len) != 0)) {
			printf("DIFF %s: message %zu: uid %u/%u flags %u/%u "
			       "date %" PRId64 "/%" PRId64 " size %" PRIu64 "/%" PRIu64
			       " header %zu/%zu bytes\n", what, i, x->uid, y->uid,
			       x->flags, y->flags, x->date, y->date, x->size,
			       y->size, x->header_len, y->header_len);
			return false;
		}
	}
	return true;
}

static void explain(mailimap *imap, const char *what, int r,
                    struct rowan_err *err)
{
	if (net_stream_error(imap->imap_stream, err) == ROWAN_ERR_NONE)
		rowan_err_set(err, ROWAN_ERR_SERVER,
		              "%s failed (libetpan code %d)", what, r);
}

static int compare(mailimap *imap, struct rowan_err *err)
{
	struct list raw = {0}, etpan = {0}, mixed = {0}, after = {0},
		changed = {0};
	uint64_t modseq = 0;
	int result = -1;
	int r = mailimap_select_condstore(imap, "INBOX", &modseq);

	if (r != MAILIMAP_NO_ERROR) {
		explain(imap, "SELECT", r, err);
		goto out;
	}
	printf("selected highestmodseq=%" PRIu64 "\n", modseq);
	if (raw_fetch(imap, "1:*", ITEMS, NULL, &raw, err) != 0)
		goto out;
	printf("raw count=%zu response=%s\n", raw.count, imap->imap_response);
	r = etpan_fetch(imap, &etpan);
	if (r != MAILIMAP_NO_ERROR) {
		explain(imap, "libetpan UID FETCH", r, err);
		goto out;
	}
	printf("libetpan count=%zu\n", etpan.count);
	if (!same_lists("libetpan", &raw, &etpan))
		goto done;
	printf("same\n");
	if (raw_fetch(imap, "1:*", ITEMS_MIXED, NULL, &mixed, err) != 0)
		goto out;
	if (!same_lists("mixed", &raw, &mixed))
		goto done;
	printf("mixed same\n");
	if (raw.count == 0)
		goto done;

	/* libetpan's own commands after ours. */
	uint32_t uid = raw.items[raw.count / 2].uid;
	struct mailimap_set *set = mailimap_set_new_single(uid);
	struct mailimap_flag_list *flags = mailimap_flag_list_new_empty();
	mailimap_flag_list_add(flags, mailimap_flag_new_flagged());
	struct mailimap_store_att_flags *store =
		mailimap_store_att_flags_new_add_flags_silent(flags);
	r = mailimap_uid_store(imap, set, store);
	mailimap_store_att_flags_free(store);
	mailimap_set_free(set);
	if (r != MAILIMAP_NO_ERROR) {
		explain(imap, "UID STORE", r, err);
		goto out;
	}
	printf("store ok\n");
	r = mailimap_noop(imap);
	if (r != MAILIMAP_NO_ERROR) {
		explain(imap, "NOOP", r, err);
		goto out;
	}
	printf("noop ok\n");
	char one[16];
	snprintf(one, sizeof one, "%u", uid);
	if (raw_fetch(imap, one, "UID FLAGS", NULL, &after, err) != 0)
		goto out;
	if (after.count == 1)
		printf("flagged uid=%u flags=%u\n", after.items[0].uid,
		       after.items[0].flags);
	char modifiers[64];
	snprintf(modifiers, sizeof modifiers, "CHANGEDSINCE %" PRIu64, modseq);
	if (raw_fetch(imap, "1:*", "UID FLAGS", modifiers, &changed, err) != 0)
		goto out;
	printf("changedsince count=%zu", changed.count);
	for (size_t i = 0; i < changed.count; i++)
		printf(" uid=%u modseq=%" PRIu64, changed.items[i].uid,
		       changed.items[i].modseq);
	printf("\n");
	r = mailimap_noop(imap);
	if (r != MAILIMAP_NO_ERROR) {
		explain(imap, "NOOP", r, err);
		goto out;
	}
	printf("noop ok\n");
done:
	result = 0;
out:
	list_free(&raw);
	list_free(&etpan);
	list_free(&mixed);
	list_free(&after);
	list_free(&changed);
	return result;
}

static int raw_only(mailimap *imap, struct rowan_err *err)
{
	struct list raw = {0};
	int r = mailimap_select(imap, "INBOX");

	if (r != MAILIMAP_NO_ERROR) {
		explain(imap, "SELECT", r, err);
		return -1;
	}
	int rc = raw_fetch(imap, "1:*", ITEMS, NULL, &raw, err);
	printf("raw rc=%d count=%zu\n", rc, raw.count);
	list_free(&raw);
	if (rc < 0 && err->err_class != ROWAN_ERR_SERVER)
		return -1;
	r = mailimap_noop(imap);
	printf("noop rc=%d\n", r);
	return rc < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{"mode", required_argument, NULL, 'm'},
		{"host", required_argument, NULL, 'h'},
		{"port", required_argument, NULL, 'p'},
		{"security", required_argument, NULL, 's'},
		{"ca", required_argument, NULL, 'c'},
		{"user", required_argument, NULL, 'u'},
		{"password", required_argument, NULL, 'w'},
		{"timeout", required_argument, NULL, 't'},
		{NULL, 0, NULL, 0},
	};
	const char *mode = "compare", *host = "127.0.0.1", *user = NULL,
		*password = NULL, *security = "none";
	unsigned short port = 0;
	struct net_options opts = {.protocol = NET_PROTOCOL_IMAP};
	struct rowan_err err;
	int c;

	signal(SIGPIPE, SIG_IGN);
	rowan_err_clear(&err);
	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (c) {
		case 'm': mode = optarg; break;
		case 'h': host = optarg; break;
		case 'p': port = (unsigned short)atoi(optarg); break;
		case 's': security = optarg; break;
		case 'c': opts.ca_file = optarg; break;
		case 'u': user = optarg; break;
		case 'w': password = optarg; break;
		case 't': opts.timeout_seconds = atoi(optarg); break;
		default: return 2;
		}
	}
	if (port == 0 || user == NULL || password == NULL)
		return 2;
	enum net_security sec = strcmp(security, "imaps") == 0
		? NET_SECURITY_IMPLICIT_TLS
		: strcmp(security, "starttls") == 0 ? NET_SECURITY_STARTTLS
		                                    : NET_SECURITY_NONE;
	mailimap *imap = NULL;
	int result = -1;
	if (net_imap_connect(host, port, sec, &opts, &imap, &err) != 0)
		goto report;
	int r = mailimap_login(imap, user, password);
	if (r != MAILIMAP_NO_ERROR) {
		explain(imap, "LOGIN", r, &err);
		goto report;
	}
	result = strcmp(mode, "raw") == 0 ? raw_only(imap, &err)
	                                  : compare(imap, &err);
	if (result == 0) {
		r = mailimap_logout(imap);
		printf("logout rc=%d\n", r);
	}
report:
	if (result == 0)
		printf("OK\n");
	else
		printf("ERROR class=%s: %s\n", rowan_err_class_name(err.err_class),
		       err.message);
	if (imap != NULL) {
		if (result != 0 && imap->imap_stream != NULL) {
			mailstream_close(imap->imap_stream);
			imap->imap_stream = NULL;
		}
		mailimap_free(imap);
	}
	return result == 0 ? 0 : 1;
}
