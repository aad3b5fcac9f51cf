/*
 * account/mbox: a read-only account over one local mbox file (the demo
 * mailbox, or an mbox named on the command line).
 *
 * The account has one folder, "INBOX" (shown under the account's name;
 * the account's name and the file's path open it too), whose messages
 * have the UIDs 1, 2, 3... in file order.  Flags come from the Status
 * and X-Status fields and then live in memory only: the file is never
 * written, so caps() says the account cannot write, and copying,
 * moving and purging are refused.  A check re-reads the file when its
 * size or modification time changed: messages appended to it arrive as
 * new envelopes; a file rewritten otherwise starts over (every old UID
 * expunged, every message posted anew).
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "account/account.h"
#include "account/backend.h"
#include "config/rc.h"
#include "mail/envelope.h"
#include "store/store.h"
#include "util/i18n.h"
#include "util/util.h"

/* Envelopes per ENVELOPES event while a folder loads. */
#define MBOX_BATCH 500

static const char mbox_folder_name[] = "INBOX";

struct mbox_backend {
	const struct config *cfg;
	char *name;
	char *path;
	struct store_mbox *mbox;  /* open between connect and disconnect */
	unsigned *flags;          /* flags[uid - 1], in memory only */
	size_t count;             /* messages in flags[] */
	bool loaded;              /* flags[] read from the file */
	bool folder_open;
	/* The file as last read. */
	off_t size;
	struct timespec mtime;
};

static struct mbox_backend *backend_of(void *state)
{
	return state;
}

void *account_mbox_new(const struct config *cfg, const char *name,
                       const char *path)
{
	struct mbox_backend *b = xcalloc(1, sizeof *b);
	b->cfg = cfg;
	b->name = xstrdup(name != NULL ? name : "mbox");
	b->path = xstrdup(path != NULL ? path : "");
	return b;
}

static void mbox_destroy(void *state)
{
	struct mbox_backend *b = backend_of(state);
	if (b == NULL)
		return;
	store_mbox_close(&b->mbox);
	free(b->flags);
	free(b->name);
	free(b->path);
	free(b);
}

static const char *assumed_charset(const struct mbox_backend *b)
{
	const char *charset = b->cfg != NULL
		? config_get_string(b->cfg, CONFIG_VAR_ASSUMED_CHARSET) : NULL;
	return charset != NULL && charset[0] != '\0' ? charset : NULL;
}

/* ---- reading the file ---- */

static int file_stat(const struct mbox_backend *b, struct stat *st,
                     struct rowan_err *err)
{
	if (stat(b->path, st) != 0) {
		rowan_err_set(err, ROWAN_ERR_IO, _("%s: cannot read %s: %s"), b->name,
		              b->path, strerror(errno));
		return -1;
	}
	return 0;
}

static bool file_changed(const struct mbox_backend *b, const struct stat *st)
{
	return st->st_size != b->size || st->st_mtim.tv_sec != b->mtime.tv_sec ||
	       st->st_mtim.tv_nsec != b->mtime.tv_nsec;
}

/* (Re)open the file; the old mapping is kept in *old when old is not NULL. */
static int file_open(struct mbox_backend *b, struct store_mbox **old,
                     struct rowan_err *err)
{
	struct stat st;
	if (file_stat(b, &st, err) != 0)
		return -1;
	struct store_mbox *mbox = store_mbox_open(b->path, err);
	if (mbox == NULL)
		return -1;
	if (old != NULL)
		*old = b->mbox;
	else
		store_mbox_close(&b->mbox);
	b->mbox = mbox;
	b->size = st.st_size;
	b->mtime = st.st_mtim;
	return 0;
}

static unsigned message_flags(const struct mbox_backend *b, size_t index)
{
	size_t len;
	const char *raw = store_mbox_raw(b->mbox, index, &len);
	return raw != NULL ? envelope_flags_from_mbox(raw, len) : 0;
}

/* Flags for messages from..count-1 of the open file, from their headers. */
static void flags_read(struct mbox_backend *b, size_t from)
{
	size_t count = store_mbox_count(b->mbox);
	b->flags = xrealloc(b->flags, (count ? count : 1) * sizeof *b->flags);
	for (size_t i = from; i < count; i++)
		b->flags[i] = message_flags(b, i);
	b->count = count;
	b->loaded = true;
}

static struct envelope *message_envelope(const struct mbox_backend *b, size_t index)
{
	const struct store_mbox_entry *entry = store_mbox_entry(b->mbox, index);
	size_t len;
	const char *raw = store_mbox_raw(b->mbox, index, &len);
	struct envelope_meta meta = {
		.uid = (uint32_t)(index + 1),
		.arrival = entry->arrival,
		.size = entry->length,
		.flags = b->flags[index],
	};
	return envelope_from_message(raw, len, &meta, assumed_charset(b));
}

/*
 * Post the envelopes of messages [first, end) in batches, newest first,
 * with PROGRESS.  Stops early when the request went stale.
 */
static void post_envelopes(struct mbox_backend *b, struct account_worker *worker,
                           size_t first, size_t end)
{
	size_t total = end - first, done = 0;
	size_t next = end;

	while (next > first) {
		size_t n = next - first < MBOX_BATCH ? next - first : MBOX_BATCH;
		struct account_event *event = account_event_new(ACCOUNT_EVENT_ENVELOPES);
		event->envelopes = xmalloc(n * sizeof *event->envelopes);
		event->envelope_count = n;
		for (size_t i = 0; i < n; i++)
			event->envelopes[i] = message_envelope(b, next - 1 - i);
		account_worker_post(worker, event);
		next -= n;
		done += n;
		account_worker_progress(worker, (long)done, (long)total, _("reading messages"));
		if (next > first && account_worker_stale(worker))
			return;
	}
}

static void counts(const struct mbox_backend *b, long *total, long *unseen)
{
	*total = (long)b->count;
	*unseen = 0;
	for (size_t i = 0; i < b->count; i++)
		if (!(b->flags[i] & ENVELOPE_SEEN))
			(*unseen)++;
}

static void folder_fill(const struct mbox_backend *b, struct account_folder *f)
{
	f->name = xstrdup(mbox_folder_name);
	f->display = xstrdup(b->name);
	f->delimiter = '\0';
	f->flags = 0;
	f->special = ACCOUNT_SPECIAL_INBOX;
	counts(b, &f->total, &f->unseen);
}

/* ---- operations ---- */

static int mbox_connect(void *state, struct account_worker *worker,
                        struct rowan_err *err)
{
	struct mbox_backend *b = backend_of(state);
	(void)worker;
	if (b->mbox != NULL) {
		/* Connected before: a check (or re-open) notices any change. */
		struct stat st;
		return file_stat(b, &st, err);
	}
	if (file_open(b, NULL, err) != 0)
		return -1;
	flags_read(b, 0);
	return 0;
}

/* The file stays mapped until destroy, so that after a "reconnect" a
 * check can still tell appended messages from a rewritten file. */
static void mbox_disconnect(void *state, bool graceful)
{
	(void)state;
	(void)graceful;
}

static unsigned mbox_caps(void *state)
{
	(void)state;
	return 0;
}

static int mbox_list_folders(void *state, struct account_worker *worker,
                             struct rowan_err *err)
{
	struct mbox_backend *b = backend_of(state);
	(void)err;
	struct account_event *event = account_event_new(ACCOUNT_EVENT_FOLDERS);
	event->folders = xcalloc(1, sizeof *event->folders);
	event->folder_count = 1;
	folder_fill(b, &event->folders[0]);
	account_worker_post(worker, event);
	return 0;
}

static bool is_our_folder(const struct mbox_backend *b, const char *folder)
{
	return strcasecmp(folder, mbox_folder_name) == 0 || strcmp(folder, b->name) == 0 ||
	       strcmp(folder, b->path) == 0;
}

static int mbox_check(void *state, struct account_worker *worker,
                      struct rowan_err *err);

static int mbox_open_folder(void *state, struct account_worker *worker,
                            const char *folder, bool reopen, struct rowan_err *err)
{
	struct mbox_backend *b = backend_of(state);
	if (!is_our_folder(b, folder)) {
		rowan_err_set(err, ROWAN_ERR_SERVER,
		              _("%s: there is no folder %s; this mailbox has only %s"),
		              b->name, folder, mbox_folder_name);
		return -1;
	}
	if (reopen && b->folder_open) {
		/* After a reconnect: the same folder; only what changed follows. */
		struct account_event *event = account_event_new(ACCOUNT_EVENT_FOLDER_OPENED);
		event->folder = xstrdup(mbox_folder_name);
		event->uidvalidity = 1;
		event->total = (long)b->count;
		event->reset = false;
		event->read_only = true;
		account_worker_post(worker, event);
		return mbox_check(state, worker, err);
	}

	/* Show the file as it is now. */
	struct stat st;
	if (file_stat(b, &st, err) != 0)
		return -1;
	if (b->mbox == NULL || file_changed(b, &st)) {
		if (file_open(b, NULL, err) != 0)
			return -1;
		flags_read(b, 0);
	}
	b->folder_open = true;

	struct account_event *event = account_event_new(ACCOUNT_EVENT_FOLDER_OPENED);
	event->folder = xstrdup(mbox_folder_name);
	event->uidvalidity = 1;
	event->total = (long)b->count;
	event->reset = true;
	event->read_only = true;
	account_worker_post(worker, event);

	post_envelopes(b, worker, 0, b->count);
	return 0;
}

static int read_only_error(const struct mbox_backend *b, struct rowan_err *err)
{
	rowan_err_set(err, ROWAN_ERR_SERVER,
	              _("%s is read-only: messages cannot be copied, moved or purged"),
	              b->name);
	return -1;
}

static int mbox_close_folder(void *state, struct account_worker *worker,
                             bool expunge, struct rowan_err *err)
{
	struct mbox_backend *b = backend_of(state);
	(void)worker;
	b->folder_open = false;
	for (size_t i = 0; expunge && i < b->count; i++)
		if (b->flags[i] & ENVELOPE_DELETED)
			return read_only_error(b, err);
	return 0;
}

/* The index of uid in the open folder, or -1 with err filled. */
static long message_index(const struct mbox_backend *b, uint32_t uid,
                          struct rowan_err *err)
{
	if (!b->folder_open || b->mbox == NULL) {
		rowan_err_set(err, ROWAN_ERR_INTERNAL, _("%s: no folder is open"), b->name);
		return -1;
	}
	if (uid == 0 || uid > b->count || uid > store_mbox_count(b->mbox)) {
		rowan_err_set(err, ROWAN_ERR_SERVER, _("%s: there is no message %u"),
		              b->name, (unsigned)uid);
		return -1;
	}
	return (long)uid - 1;
}

static void post_flags(struct account_worker *worker, const uint32_t *uids,
                       const unsigned *flags, size_t count)
{
	struct account_event *event = account_event_new(ACCOUNT_EVENT_FLAGS);
	event->uids = xmalloc((count ? count : 1) * sizeof *event->uids);
	event->flags = xmalloc((count ? count : 1) * sizeof *event->flags);
	memcpy(event->uids, uids, count * sizeof *uids);
	memcpy(event->flags, flags, count * sizeof *flags);
	event->uid_count = count;
	account_worker_post(worker, event);
}

static int mbox_fetch_message(void *state, struct account_worker *worker,
                              uint32_t uid, struct rowan_err *err)
{
	struct mbox_backend *b = backend_of(state);
	long index = message_index(b, uid, err);
	if (index < 0)
		return -1;
	struct account_event *event = account_event_new(ACCOUNT_EVENT_MESSAGE);
	event->uid = uid;
	event->data = store_mbox_message(b->mbox, (size_t)index, &event->len);
	account_worker_post(worker, event);
	if (!(b->flags[index] & ENVELOPE_SEEN)) {
		b->flags[index] |= ENVELOPE_SEEN;
		post_flags(worker, &uid, &b->flags[index], 1);
	}
	return 0;
}

static int mbox_fetch_part(void *state, struct account_worker *worker,
                           uint32_t uid, const char *part, struct rowan_err *err)
{
	struct mbox_backend *b = backend_of(state);
	(void)worker;
	(void)uid;
	/* MESSAGE always holds the whole message: no part is ever left out. */
	rowan_err_set(err, ROWAN_ERR_INTERNAL,
	              _("%s: part %s cannot be fetched alone from a local mailbox"),
	              b->name, part);
	return -1;
}

static int mbox_set_flags(void *state, struct account_worker *worker,
                          const uint32_t *uids, size_t count, unsigned add,
                          unsigned remove, struct rowan_err *err)
{
	struct mbox_backend *b = backend_of(state);
	if (!b->folder_open) {
		rowan_err_set(err, ROWAN_ERR_INTERNAL, _("%s: no folder is open"), b->name);
		return -1;
	}
	uint32_t *changed = xmalloc((count ? count : 1) * sizeof *changed);
	unsigned *flags = xmalloc((count ? count : 1) * sizeof *flags);
	size_t n = 0;
	for (size_t i = 0; i < count; i++) {
		if (uids[i] == 0 || uids[i] > b->count)
			continue; /* not in the folder: nothing to change */
		unsigned *f = &b->flags[uids[i] - 1];
		*f = ((*f | add) & ~remove) & ENVELOPE_FLAGS_ALL;
		changed[n] = uids[i];
		flags[n] = *f;
		n++;
	}
	if (n > 0)
		post_flags(worker, changed, flags, n);
	free(changed);
	free(flags);
	return 0;
}

static int mbox_copy(void *state, struct account_worker *worker,
                     const uint32_t *uids, size_t count, const char *folder,
                     bool move, struct rowan_err *err)
{
	(void)worker;
	(void)uids;
	(void)count;
	(void)folder;
	(void)move;
	return read_only_error(backend_of(state), err);
}

static int mbox_expunge(void *state, struct account_worker *worker,
                        struct rowan_err *err)
{
	(void)worker;
	return read_only_error(backend_of(state), err);
}

/* True when the messages of old are still the first ones of the file now. */
static bool only_appended(const struct store_mbox *old, const struct store_mbox *now)
{
	size_t count = store_mbox_count(old);
	if (store_mbox_count(now) < count)
		return false;
	for (size_t i = 0; i < count; i++) {
		const struct store_mbox_entry *a = store_mbox_entry(old, i);
		const struct store_mbox_entry *c = store_mbox_entry(now, i);
		if (a->from_offset != c->from_offset || a->offset != c->offset ||
		    a->length != c->length)
			return false;
	}
	return true;
}

static void post_counts(struct mbox_backend *b, struct account_worker *worker)
{
	struct account_event *event = account_event_new(ACCOUNT_EVENT_FOLDER_COUNTS);
	event->folders = xcalloc(1, sizeof *event->folders);
	event->folder_count = 1;
	folder_fill(b, &event->folders[0]);
	account_worker_post(worker, event);
}

static int mbox_check(void *state, struct account_worker *worker,
                      struct rowan_err *err)
{
	struct mbox_backend *b = backend_of(state);
	struct stat st;
	if (file_stat(b, &st, err) != 0)
		return -1;
	if (b->mbox != NULL && !file_changed(b, &st))
		return 0;

	struct store_mbox *old = NULL;
	size_t old_count = b->count;
	if (file_open(b, &old, err) != 0)
		return -1;
	bool appended = old != NULL && b->loaded && only_appended(old, b->mbox);
	store_mbox_close(&old);

	if (appended) {
		flags_read(b, old_count);
		if (b->folder_open && b->count > old_count)
			post_envelopes(b, worker, old_count, b->count);
	} else {
		/* Rewritten: every old message goes, every message comes anew. */
		if (b->folder_open && old_count > 0) {
			struct account_event *event = account_event_new(ACCOUNT_EVENT_EXPUNGED);
			event->uids = xmalloc(old_count * sizeof *event->uids);
			for (size_t i = 0; i < old_count; i++)
				event->uids[i] = (uint32_t)(i + 1);
			event->uid_count = old_count;
			account_worker_post(worker, event);
		}
		flags_read(b, 0);
		if (b->folder_open)
			post_envelopes(b, worker, 0, b->count);
	}
	post_counts(b, worker);
	return 0;
}

const struct account_backend_ops account_mbox_ops = {
	.kind = "mbox",
	.destroy = mbox_destroy,
	.connect = mbox_connect,
	.disconnect = mbox_disconnect,
	.caps = mbox_caps,
	.list_folders = mbox_list_folders,
	.open_folder = mbox_open_folder,
	.close_folder = mbox_close_folder,
	.fetch_message = mbox_fetch_message,
	.fetch_part = mbox_fetch_part,
	.set_flags = mbox_set_flags,
	.copy = mbox_copy,
	.expunge = mbox_expunge,
	.check = mbox_check,
	.idle = NULL,
};
