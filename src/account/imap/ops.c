/*
 * account/imap/ops.c: changing the open folder — flags (UID STORE), copy
 * and move (UID MOVE, else UID COPY + \Deleted + UID EXPUNGE of exactly
 * those messages), expunge, close, and NOOP to look for changes.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "account/imap/imap_private.h"
#include "mail/envelope.h"

static int require_folder(struct imap_backend *b, struct rowan_err *err)
{
	if (imap_require(b, err) != 0)
		return -1;
	if (b->folder == NULL) {
		rowan_err_set(err, ROWAN_ERR_INTERNAL, _("%s: no folder is open"),
		              b->acct->host);
		return -1;
	}
	return 0;
}

static int uid_store(struct imap_backend *b, const uint32_t *uids,
                     size_t count, unsigned flags, bool add, bool silent,
                     struct rowan_err *err)
{
	struct mailimap_set *set = imap_set_from_uids(uids, count);
	struct mailimap_flag_list *list = imap_flags_to_list(flags);
	struct mailimap_store_att_flags *store;

	if (add)
		store = silent ? mailimap_store_att_flags_new_add_flags_silent(list)
		               : mailimap_store_att_flags_new_add_flags(list);
	else
		store = silent ? mailimap_store_att_flags_new_remove_flags_silent(list)
		               : mailimap_store_att_flags_new_remove_flags(list);
	b->sink.all_flags = true;
	int r = mailimap_uid_store(b->imap, set, store);
	b->sink.all_flags = false;
	mailimap_store_att_flags_free(store);
	mailimap_set_free(set);
	imap_after_command(b);
	if (r != MAILIMAP_NO_ERROR) {
		imap_error(b, r, "UID STORE", err);
		return -1;
	}
	return 0;
}

static int uid_compare(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* uids sorted, without duplicates; newly allocated. */
static uint32_t *uids_sorted(const uint32_t *uids, size_t count, size_t *out)
{
	uint32_t *copy = xmalloc((count + 1) * sizeof *copy);
	size_t n = 0;

	memcpy(copy, uids, count * sizeof *copy);
	if (count > 1)
		qsort(copy, count, sizeof *copy, uid_compare);
	for (size_t i = 0; i < count; i++)
		if (n == 0 || copy[n - 1] != copy[i])
			copy[n++] = copy[i];
	*out = n;
	return copy;
}

int imap_set_flags(void *state, struct account_worker *worker,
                   const uint32_t *uids, size_t count, unsigned add,
                   unsigned remove, struct rowan_err *err)
{
	struct imap_backend *b = state;
	int result = -1;

	b->worker = worker;
	if (require_folder(b, err) != 0)
		return -1;
	if (count == 0)
		return 0;
	size_t n;
	uint32_t *sorted = uids_sorted(uids, count, &n);
	add &= ENVELOPE_FLAGS_ALL & ~ENVELOPE_RECENT;
	remove &= ENVELOPE_FLAGS_ALL & ~ENVELOPE_RECENT & ~add;
	if (add != 0 && uid_store(b, sorted, n, add, true, false, err) != 0)
		goto out;
	if (remove != 0 && uid_store(b, sorted, n, remove, false, false, err) != 0)
		goto out;
	result = 0;
out:
	imap_post_changes(b);
	free(sorted);
	return result;
}

int imap_copy(void *state, struct account_worker *worker,
              const uint32_t *uids, size_t count, const char *folder,
              bool move, struct rowan_err *err)
{
	struct imap_backend *b = state;
	int result = -1, r;

	b->worker = worker;
	if (require_folder(b, err) != 0)
		return -1;
	if (count == 0)
		return 0;
	size_t n;
	uint32_t *sorted = uids_sorted(uids, count, &n);
	struct mailimap_set *set = imap_set_from_uids(sorted, n);
	if (move && (b->server_caps & IMAP_CAP_MOVE)) {
		r = mailimap_uid_move(b->imap, set, folder);
		imap_after_command(b);
		if (r != MAILIMAP_NO_ERROR) {
			imap_error(b, r, "UID MOVE", err);
			goto out;
		}
		result = 0;
		goto out;
	}
	r = mailimap_uid_copy(b->imap, set, folder);
	imap_after_command(b);
	if (r != MAILIMAP_NO_ERROR) {
		imap_error(b, r, "UID COPY", err);
		goto out;
	}
	if (!move) {
		result = 0;
		goto out;
	}
	if (uid_store(b, sorted, n, ENVELOPE_DELETED, true, false, err) != 0)
		goto out;
	if (b->server_caps & IMAP_CAP_UIDPLUS) {
		/* Only these messages, never others marked \Deleted. */
		r = mailimap_uid_expunge(b->imap, set);
		imap_after_command(b);
		if (r != MAILIMAP_NO_ERROR) {
			imap_error(b, r, "UID EXPUNGE", err);
			goto out;
		}
	}
	result = 0;
out:
	mailimap_set_free(set);
	imap_post_changes(b);
	free(sorted);
	return result;
}

int imap_expunge(void *state, struct account_worker *worker,
                 struct rowan_err *err)
{
	struct imap_backend *b = state;

	b->worker = worker;
	if (require_folder(b, err) != 0)
		return -1;
	int r = mailimap_expunge(b->imap);
	imap_after_command(b);
	imap_post_changes(b);
	if (r != MAILIMAP_NO_ERROR) {
		imap_error(b, r, "EXPUNGE", err);
		return -1;
	}
	return 0;
}

int imap_close_folder(void *state, struct account_worker *worker,
                      bool expunge, struct rowan_err *err)
{
	struct imap_backend *b = state;
	int r;

	b->worker = worker;
	if (imap_require(b, err) != 0)
		return -1;
	if (b->folder == NULL)
		return 0;
	if (expunge) {
		/* EXPUNGE first, so that the cache hears what went. */
		r = mailimap_expunge(b->imap);
		imap_after_command(b);
		imap_post_changes(b);
		if (r != MAILIMAP_NO_ERROR) {
			imap_error(b, r, "EXPUNGE", err);
			return -1;
		}
	}
	if (b->server_caps & IMAP_CAP_UNSELECT) {
		r = mailimap_custom_command(b->imap, "UNSELECT");
		if (r == MAILIMAP_NO_ERROR)
			b->imap->imap_state = MAILIMAP_STATE_AUTHENTICATED;
	} else {
		/* CLOSE on a folder opened read-only expunges nothing. */
		r = mailimap_examine(b->imap, b->folder);
		if (r == MAILIMAP_NO_ERROR)
			r = mailimap_close(b->imap);
	}
	if (r != MAILIMAP_NO_ERROR) {
		imap_error(b, r, "UNSELECT", err);
		return -1;
	}
	free(b->folder);
	b->folder = NULL;
	imap_messages_clear(b);
	b->flag_count = b->gone_count = 0;
	return 0;
}

int imap_check(void *state, struct account_worker *worker,
               struct rowan_err *err)
{
	struct imap_backend *b = state;

	b->worker = worker;
	if (imap_require(b, err) != 0)
		return -1;
	int r = mailimap_noop(b->imap);
	imap_after_command(b);
	if (r != MAILIMAP_NO_ERROR) {
		imap_error(b, r, "NOOP", err);
		return -1;
	}
	if (b->folder == NULL)
		return 0;
	imap_post_changes(b);
	if (imap_fetch_new(b, err) != 0)
		return -1;
	imap_post_counts(b);
	return 0;
}
