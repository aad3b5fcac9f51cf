/*
 * account/imap/sync.c: opening a folder — SELECT (with CONDSTORE when
 * offered), the header cache, the header fetch in UID chunks newest
 * first, the flag resync and the detection of vanished messages — and
 * the folder's message list (UIDs in order, so that sequence numbers in
 * EXPUNGE and FETCH responses map to UIDs).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/imap/imap_private.h"
#include "mail/envelope.h"
#include "store/hcache.h"

/* ---- the message list ---- */

long imap_message_find(const struct imap_backend *b, uint32_t uid)
{
	size_t lo = 0, hi = b->message_count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (b->messages[mid].uid < uid)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < b->message_count && b->messages[lo].uid == uid)
		return (long)lo;
	return -1;
}

void imap_message_remove_at(struct imap_backend *b, size_t index)
{
	memmove(&b->messages[index], &b->messages[index + 1],
	        (b->message_count - index - 1) * sizeof *b->messages);
	b->message_count--;
}

void imap_messages_clear(struct imap_backend *b)
{
	b->message_count = 0;
}

static void messages_append(struct imap_backend *b, uint32_t uid,
                            unsigned flags)
{
	if (b->message_count == b->message_cap) {
		b->message_cap = b->message_cap ? b->message_cap * 2 : 256;
		b->messages = xrealloc(b->messages,
		                       b->message_cap * sizeof *b->messages);
	}
	b->messages[b->message_count].uid = uid;
	b->messages[b->message_count].flags = flags;
	b->message_count++;
}

void imap_note_flags(struct imap_backend *b, uint32_t uid, unsigned flags)
{
	/* Repeats are merged when posted (imap_post_changes). */
	if (b->flag_count > 0 && b->flag_uids[b->flag_count - 1] == uid) {
		b->flag_values[b->flag_count - 1] = flags;
		return;
	}
	if (b->flag_count == b->flag_cap) {
		b->flag_cap = b->flag_cap ? b->flag_cap * 2 : 64;
		b->flag_uids = xrealloc(b->flag_uids, b->flag_cap * sizeof *b->flag_uids);
		b->flag_values = xrealloc(b->flag_values,
		                          b->flag_cap * sizeof *b->flag_values);
	}
	b->flag_uids[b->flag_count] = uid;
	b->flag_values[b->flag_count] = flags;
	b->flag_count++;
}

void imap_note_gone(struct imap_backend *b, uint32_t uid)
{
	if (b->gone_count == b->gone_cap) {
		b->gone_cap = b->gone_cap ? b->gone_cap * 2 : 64;
		b->gone = xrealloc(b->gone, b->gone_cap * sizeof *b->gone);
	}
	b->gone[b->gone_count++] = uid;
}

struct mailimap_set *imap_set_from_uids(const uint32_t *uids, size_t count)
{
	struct mailimap_set *set = mailimap_set_new_empty();

	for (size_t i = 0; i < count;) {
		size_t j = i;
		while (j + 1 < count && uids[j + 1] == uids[j] + 1)
			j++;
		mailimap_set_add_interval(set, uids[i], uids[j]);
		i = j + 1;
	}
	return set;
}

static int uid_compare(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static int message_compare(const void *a, const void *b)
{
	const struct imap_message *x = a, *y = b;
	return x->uid < y->uid ? -1 : x->uid > y->uid;
}

void imap_post_counts(struct imap_backend *b)
{
	struct account_event *ev = account_event_new(ACCOUNT_EVENT_FOLDER_COUNTS);
	long unseen = 0;

	for (size_t i = 0; i < b->message_count; i++)
		if (!(b->messages[i].flags & ENVELOPE_SEEN))
			unseen++;
	ev->folders = xcalloc(1, sizeof *ev->folders);
	ev->folder_count = 1;
	ev->folders[0].name = xstrdup(b->folder);
	ev->folders[0].display = imap_folder_display(b->folder);
	ev->folders[0].total = (long)b->message_count;
	ev->folders[0].unseen = unseen;
	account_worker_post(b->worker, ev);
}

/* ---- commands ---- */

/* UID SEARCH ALL: the folder's UIDs, ascending.  Newly allocated. */
static int search_all(struct imap_backend *b, uint32_t **out, size_t *count,
                      struct rowan_err *err)
{
	clist *result = NULL;
	struct mailimap_search_key *key = mailimap_search_key_new_all();
	int r = mailimap_uid_search(b->imap, NULL, key, &result);

	mailimap_search_key_free(key);
	imap_after_command(b);
	if (r != MAILIMAP_NO_ERROR) {
		imap_error(b, r, "UID SEARCH", err);
		return -1;
	}
	size_t n = clist_count(result), i = 0;
	uint32_t *uids = xmalloc((n > 0 ? n : 1) * sizeof *uids);
	for (clistiter *it = clist_begin(result); it != NULL; it = clist_next(it))
		uids[i++] = *(uint32_t *)clist_content(it);
	mailimap_search_result_free(result);
	if (n > 1)
		qsort(uids, n, sizeof *uids, uid_compare);
	*out = uids;
	*count = n;
	return 0;
}

/* ---- open ---- */

struct cache_load {
	struct imap_backend *b;
	bool post;
	struct envelope **batch;
	size_t count;
	struct imap_message *known;
	size_t known_count, known_cap;
};

static void cache_load_flush(struct cache_load *load)
{
	if (load->count == 0)
		return;
	struct account_event *ev = account_event_new(ACCOUNT_EVENT_ENVELOPES);
	ev->envelopes = load->batch;
	ev->envelope_count = load->count;
	ev->from_cache = true;
	account_worker_post(load->b->worker, ev);
	load->batch = NULL;
	load->count = 0;
}

static int cache_load_each(struct envelope *envelope, void *ctx)
{
	struct cache_load *load = ctx;

	if (load->known_count == load->known_cap) {
		load->known_cap = load->known_cap ? load->known_cap * 2 : 256;
		load->known = xrealloc(load->known,
		                       load->known_cap * sizeof *load->known);
	}
	load->known[load->known_count].uid = envelope_uid(envelope);
	load->known[load->known_count].flags = envelope_flags(envelope);
	load->known_count++;
	if (!load->post) {
		envelope_free(&envelope);
		return 0;
	}
	if (load->batch == NULL)
		load->batch = xmalloc(IMAP_CACHE_BATCH * sizeof *load->batch);
	load->batch[load->count++] = envelope;
	if (load->count == IMAP_CACHE_BATCH)
		cache_load_flush(load);
	return 0;
}

/* The server's UIDs with their flags; with CONDSTORE and a known modseq
 * only the changed flags are fetched, the others taken from known. */
static int server_messages(struct imap_backend *b, uint64_t modseq,
                           const struct imap_message *known, size_t known_count,
                           struct rowan_err *err)
{
	char modifiers[64];

	snprintf(modifiers, sizeof modifiers, "CHANGEDSINCE %llu",
	         (unsigned long long)modseq);
	imap_sink_reset(&b->sink);
	b->sink.uid_list = true;
	int r = imap_uid_fetch_raw(b, "1:*", "UID FLAGS",
	                           modseq > 0 ? modifiers : NULL, err);
	b->sink.uid_list = false;
	if (r != 0) {
		imap_sink_reset(&b->sink);
		return -1;
	}
	struct imap_message *changed = b->sink.list;
	size_t changed_count = b->sink.list_count;
	b->sink.list = NULL;
	b->sink.list_count = b->sink.list_cap = 0;
	if (changed_count > 1)
		qsort(changed, changed_count, sizeof *changed, message_compare);

	imap_messages_clear(b);
	if (modseq == 0) {
		for (size_t i = 0; i < changed_count; i++)
			if (i + 1 == changed_count || changed[i + 1].uid != changed[i].uid)
				messages_append(b, changed[i].uid, changed[i].flags);
	} else {
		uint32_t *uids;
		size_t n;
		if (search_all(b, &uids, &n, err) != 0) {
			free(changed);
			return -1;
		}
		size_t k = 0, c = 0;
		for (size_t i = 0; i < n; i++) {
			unsigned flags = 0;
			while (k < known_count && known[k].uid < uids[i])
				k++;
			if (k < known_count && known[k].uid == uids[i])
				flags = known[k].flags;
			while (c < changed_count && changed[c].uid < uids[i])
				c++;
			while (c < changed_count && changed[c].uid == uids[i])
				flags = changed[c++].flags;
			messages_append(b, uids[i], flags);
		}
		free(uids);
	}
	free(changed);
	return 0;
}

/* Compare known (cache or the previous session) with the server's list:
 * post what vanished and what changed, and collect the UIDs whose
 * headers are missing.  Newly allocated in *missing. */
static void compare_known(struct imap_backend *b,
                          const struct imap_message *known, size_t known_count,
                          uint32_t **missing, size_t *missing_count)
{
	size_t k = 0, n = 0;
	uint32_t *out = xmalloc((b->message_count + 1) * sizeof *out);

	for (size_t i = 0; i < b->message_count; i++) {
		const struct imap_message *m = &b->messages[i];
		while (k < known_count && known[k].uid < m->uid)
			imap_note_gone(b, known[k++].uid);
		if (k < known_count && known[k].uid == m->uid) {
			if ((known[k].flags & ~ENVELOPE_RECENT) !=
			    (m->flags & ~ENVELOPE_RECENT))
				imap_note_flags(b, m->uid, m->flags);
			k++;
		} else {
			out[n++] = m->uid;
		}
	}
	while (k < known_count)
		imap_note_gone(b, known[k++].uid);
	*missing = out;
	*missing_count = n;
}

static int select_folder(struct imap_backend *b, const char *folder,
                         struct rowan_err *err)
{
	uint64_t modseq = 0;
	int r;

	if (b->server_caps & IMAP_CAP_CONDSTORE)
		r = mailimap_select_condstore(b->imap, folder, &modseq);
	else
		r = mailimap_select(b->imap, folder);
	if (r != MAILIMAP_NO_ERROR) {
		imap_error(b, r, "SELECT", err);
		return -1;
	}
	struct mailimap_selection_info *sel = b->imap->imap_selection_info;
	b->uidvalidity = sel->sel_uidvalidity;
	b->uidnext = sel->sel_uidnext;
	b->highestmodseq = modseq;
	b->read_only = sel->sel_perm == MAILIMAP_MAILBOX_READONLY;
	return 0;
}

int imap_open_folder(void *state, struct account_worker *worker,
                     const char *folder, bool reopen, struct rowan_err *err)
{
	struct imap_backend *b = state;
	struct hcache_folder_state cached = {0};
	struct cache_load load = {.b = b};
	uint32_t *missing = NULL;
	size_t missing_count = 0, already = 0;
	int result = -1;

	b->worker = worker;
	if (imap_require(b, err) != 0)
		return -1;
	imap_cache_open(b);
	bool same = reopen && b->folder != NULL && strcmp(b->folder, folder) == 0;
	uint32_t old_validity = same ? b->uidvalidity : 0;
	uint64_t old_modseq = same ? b->highestmodseq : 0;
	if (same) {
		/* What the UI holds: the list of the previous connection. */
		load.known = xmalloc((b->message_count + 1) * sizeof *load.known);
		memcpy(load.known, b->messages, b->message_count * sizeof *b->messages);
		load.known_count = b->message_count;
	}
	free(b->folder);
	b->folder = NULL;
	imap_messages_clear(b);
	/* Changes seen before the connection broke are still news for the
	 * same folder. */
	if (!same)
		b->flag_count = b->gone_count = 0;
	if (select_folder(b, folder, err) != 0)
		goto out;
	b->folder = xstrdup(folder);

	bool keep = same && old_validity == b->uidvalidity;
	if (!keep) {
		free(load.known);
		load.known = NULL;
		load.known_count = load.known_cap = 0;
		old_modseq = 0;
	}
	struct account_event *ev = account_event_new(ACCOUNT_EVENT_FOLDER_OPENED);
	ev->folder = xstrdup(folder);
	ev->uidvalidity = b->uidvalidity;
	ev->total = (long)b->imap->imap_selection_info->sel_exists;
	ev->reset = !keep;
	ev->read_only = b->read_only;
	account_worker_post(worker, ev);

	if (imap_cache_state(b, folder, &cached) == 0) {
		if (cached.uidvalidity != b->uidvalidity) {
			imap_cache_drop(b, folder);
		} else if (!keep) {
			load.post = true;
			imap_cache_load(b, folder, b->uidvalidity, cache_load_each, &load);
			cache_load_flush(&load);
			free(load.batch);
			old_modseq = cached.highestmodseq;
		}
	}
	if (b->highestmodseq == 0 || !(b->server_caps & IMAP_CAP_CONDSTORE) ||
	    old_modseq > b->highestmodseq)
		old_modseq = 0;

	if (load.known_count > 0) {
		if (server_messages(b, old_modseq, load.known, load.known_count,
		                    err) != 0)
			goto out;
		compare_known(b, load.known, load.known_count, &missing,
		              &missing_count);
		imap_post_changes(b);
	} else {
		/* Nothing known: show the newest messages first (UIDs are
		 * usually dense at the top), then list the rest. */
		struct mailimap_selection_info *sel = b->imap->imap_selection_info;
		uint32_t first = 0;
		size_t fetched = 0;
		if (sel->sel_exists > 2 * IMAP_FIRST_CHUNK &&
		    sel->sel_uidnext > 2 * IMAP_FIRST_CHUNK) {
			first = sel->sel_uidnext - IMAP_FIRST_CHUNK;
			if (imap_fetch_headers_from(b, first, &fetched, err) != 0)
				goto out;
			account_worker_progress(worker, (long)fetched,
			                        (long)sel->sel_exists,
			                        _("loading headers"));
		}
		if (search_all(b, &missing, &missing_count, err) != 0)
			goto out;
		for (size_t i = 0; i < missing_count; i++)
			messages_append(b, missing[i], 0);
		/* The newest ones are here already. */
		while (first > 0 && missing_count > 0 &&
		       missing[missing_count - 1] >= first)
			missing_count--;
		already = fetched;
	}
	b->imap->imap_selection_info->sel_exists = (uint32_t)b->message_count;
	/* Remember the folder at once: the UIDs below are fetched by set
	 * difference, so a load cut short is completed next time. */
	imap_cache_store(b, NULL, 0, NULL, NULL, 0, NULL, 0, true);
	int r = imap_fetch_headers_after(b, missing, missing_count, already, err);
	if (r < 0)
		goto out;
	if (r == 0)
		imap_cache_store(b, NULL, 0, NULL, NULL, 0, NULL, 0, true);
	result = 0;
out:
	free(load.known);
	free(missing);
	return result;
}

int imap_fetch_new(struct imap_backend *b, struct rowan_err *err)
{
	struct mailimap_selection_info *sel = b->imap->imap_selection_info;

	if (b->folder == NULL || sel == NULL || sel->sel_exists <= b->message_count)
		return 0;
	uint32_t *uids = NULL;
	size_t n = 0;
	if (search_all(b, &uids, &n, err) != 0)
		return -1;
	/* A full comparison: finds the new UIDs and any that vanished. */
	struct imap_message *known =
		xmalloc((b->message_count + 1) * sizeof *known);
	size_t known_count = b->message_count, k = 0, missing = 0;
	memcpy(known, b->messages, known_count * sizeof *known);
	imap_messages_clear(b);
	for (size_t i = 0; i < n; i++) {
		while (k < known_count && known[k].uid < uids[i])
			imap_note_gone(b, known[k++].uid);
		if (k < known_count && known[k].uid == uids[i]) {
			messages_append(b, uids[i], known[k++].flags);
		} else {
			messages_append(b, uids[i], 0);
			uids[missing++] = uids[i];
		}
	}
	while (k < known_count)
		imap_note_gone(b, known[k++].uid);
	free(known);
	/* The search is the truth now (and a server that miscounted must
	 * not make every later look search again). */
	sel->sel_exists = (uint32_t)b->message_count;
	imap_post_changes(b);
	int r = imap_fetch_headers(b, uids, missing, err);
	free(uids);
	if (r < 0)
		return -1;
	if (b->message_count > 0 && b->messages[b->message_count - 1].uid >= b->uidnext)
		b->uidnext = b->messages[b->message_count - 1].uid + 1;
	return 0;
}
