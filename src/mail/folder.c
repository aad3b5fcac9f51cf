/*
 * folder: the envelopes of one open folder in display order (a sorted
 * array of pointers), a hash from UID to envelope (open addressing with
 * linear probing on the UID, deletion by backward shift, so no
 * tombstones), and counts kept as messages come, go and change flags.
 *
 * A batch is sorted on its own and merged into the array from the back,
 * so adding k messages to n costs O(k log k + n).
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mail/folder_private.h"
#include "util/util.h"

struct folder {
	enum folder_sort sort;
	bool reverse;

	struct envelope **items; /* display order */
	size_t count;
	size_t capacity;

	struct envelope **slots; /* the hash: NULL is an empty slot */
	size_t slot_count;       /* a power of two, at least twice count */
	unsigned slot_bits;

	size_t unseen;
	size_t deleted;
	size_t flagged;
};

/* ---- the UID hash ---- */

static size_t hash_home(const struct folder *folder, uint32_t uid)
{
	/* Fibonacci hashing: the top bits of uid * 2^32 / phi. */
	return (size_t)((uid * UINT32_C(2654435769)) >> (32 - folder->slot_bits));
}

static struct envelope **hash_slot(const struct folder *folder, uint32_t uid)
{
	size_t mask = folder->slot_count - 1;
	size_t i = hash_home(folder, uid);

	while (folder->slots[i] != NULL && envelope_uid(folder->slots[i]) != uid)
		i = (i + 1) & mask;
	return &folder->slots[i];
}

static void hash_resize(struct folder *folder, unsigned bits)
{
	struct envelope **old = folder->slots;
	size_t old_count = folder->slot_count;

	folder->slot_bits = bits;
	folder->slot_count = (size_t)1 << bits;
	folder->slots = xcalloc(folder->slot_count, sizeof *folder->slots);
	for (size_t i = 0; i < old_count; i++)
		if (old[i] != NULL)
			*hash_slot(folder, envelope_uid(old[i])) = old[i];
	free(old);
}

/* Room for wanted entries at a load of at most one half. */
static void hash_reserve(struct folder *folder, size_t wanted)
{
	unsigned bits = folder->slot_bits;

	while (((size_t)1 << bits) < 2 * wanted)
		bits++;
	if (bits != folder->slot_bits)
		hash_resize(folder, bits);
}

/* Put envelope in; returns the envelope it replaces (same UID) or NULL. */
static struct envelope *hash_put(struct folder *folder, struct envelope *envelope)
{
	struct envelope **slot = hash_slot(folder, envelope_uid(envelope));
	struct envelope *old = *slot;

	*slot = envelope;
	return old;
}

static void hash_delete(struct folder *folder, uint32_t uid)
{
	size_t mask = folder->slot_count - 1;
	struct envelope **slot = hash_slot(folder, uid);
	size_t hole = (size_t)(slot - folder->slots);

	if (*slot == NULL)
		return;
	*slot = NULL;
	/* Move back every later entry of the run that may not stay past the hole. */
	for (size_t i = (hole + 1) & mask; folder->slots[i] != NULL; i = (i + 1) & mask) {
		size_t home = hash_home(folder, envelope_uid(folder->slots[i]));
		/* the entry can fill the hole unless its home lies in (hole, i] */
		bool stays = hole <= i ? (home > hole && home <= i) : (home > hole || home <= i);
		if (stays)
			continue;
		folder->slots[hole] = folder->slots[i];
		folder->slots[i] = NULL;
		hole = i;
	}
}

/* ---- counts ---- */

static void counts_apply(struct folder *folder, unsigned flags, bool add)
{
	size_t *counts[3] = { NULL, NULL, NULL };

	if (!(flags & ENVELOPE_SEEN))
		counts[0] = &folder->unseen;
	if (flags & ENVELOPE_DELETED)
		counts[1] = &folder->deleted;
	if (flags & ENVELOPE_FLAGGED)
		counts[2] = &folder->flagged;
	for (size_t i = 0; i < 3; i++) {
		if (counts[i] == NULL)
			continue;
		if (add)
			(*counts[i])++;
		else
			(*counts[i])--;
	}
}

/* ---- life cycle ---- */

struct folder *folder_new(enum folder_sort sort, bool reverse)
{
	struct folder *folder = xcalloc(1, sizeof *folder);

	folder->sort = sort;
	folder->reverse = reverse;
	folder->slot_bits = 4;
	folder->slot_count = (size_t)1 << folder->slot_bits;
	folder->slots = xcalloc(folder->slot_count, sizeof *folder->slots);
	return folder;
}

void folder_clear(struct folder *folder)
{
	for (size_t i = 0; i < folder->count; i++)
		envelope_free(&folder->items[i]);
	folder->count = 0;
	memset(folder->slots, 0, folder->slot_count * sizeof *folder->slots);
	folder->unseen = folder->deleted = folder->flagged = 0;
}

void folder_free(struct folder **folder)
{
	if (folder == NULL || *folder == NULL)
		return;
	folder_clear(*folder);
	free((*folder)->items);
	free((*folder)->slots);
	free(*folder);
	*folder = NULL;
}

/* ---- adding, removing ---- */

/* qsort has no context argument: the order of the batch being sorted. */
static _Thread_local enum folder_sort batch_sort;
static _Thread_local bool batch_reverse;

static int batch_compare(const void *a, const void *b)
{
	return folder_envelope_compare(*(struct envelope *const *)a,
	                               *(struct envelope *const *)b, batch_sort,
	                               batch_reverse);
}

static void sort_items(struct envelope **items, size_t count,
                       enum folder_sort sort, bool reverse)
{
	batch_sort = sort;
	batch_reverse = reverse;
	qsort(items, count, sizeof *items, batch_compare);
}

/* Keep the items the hash still points to (drops replaced or removed ones). */
static size_t keep_hashed(const struct folder *folder, struct envelope **items,
                          size_t count)
{
	size_t kept = 0;

	for (size_t i = 0; i < count; i++)
		if (*hash_slot(folder, envelope_uid(items[i])) == items[i])
			items[kept++] = items[i];
	return kept;
}

void folder_add(struct folder *folder, struct envelope **envelopes, size_t count)
{
	if (count == 0)
		return;

	struct envelope **batch = xmalloc(count * sizeof *batch);
	struct envelope **replaced = NULL;
	size_t replaced_count = 0;
	bool replaced_old = false; /* an envelope already in items was replaced */

	hash_reserve(folder, folder->count + count);
	for (size_t i = 0; i < count; i++) {
		struct envelope *old = hash_put(folder, envelopes[i]);

		batch[i] = envelopes[i];
		counts_apply(folder, envelope_flags(envelopes[i]), true);
		if (old == NULL)
			continue;
		counts_apply(folder, envelope_flags(old), false);
		if (replaced == NULL)
			replaced = xmalloc(count * sizeof *replaced);
		replaced[replaced_count++] = old;
	}
	size_t batch_count = count;
	if (replaced_count > 0) {
		/* An envelope may have been replaced by a later one of the batch. */
		batch_count = keep_hashed(folder, batch, count);
		if (batch_count + replaced_count > count)
			replaced_old = true;
	}
	if (replaced_old)
		folder->count = keep_hashed(folder, folder->items, folder->count);

	sort_items(batch, batch_count, folder->sort, folder->reverse);

	if (folder->count + batch_count > folder->capacity) {
		size_t capacity = folder->capacity ? folder->capacity : 64;
		while (capacity < folder->count + batch_count)
			capacity *= 2;
		folder->items = xrealloc(folder->items, capacity * sizeof *folder->items);
		folder->capacity = capacity;
	}
	/* Merge from the back: the old items move up, the batch fills in. */
	size_t i = folder->count, j = batch_count, k = folder->count + batch_count;
	while (j > 0) {
		if (i > 0 && folder_envelope_compare(folder->items[i - 1], batch[j - 1],
		                                     folder->sort, folder->reverse) > 0)
			folder->items[--k] = folder->items[--i];
		else
			folder->items[--k] = batch[--j];
	}
	folder->count += batch_count;

	for (size_t r = 0; r < replaced_count; r++)
		envelope_free(&replaced[r]);
	free(replaced);
	free(batch);
}

void folder_remove(struct folder *folder, const uint32_t *uids, size_t count)
{
	struct envelope **removed = xmalloc((count ? count : 1) * sizeof *removed);
	size_t removed_count = 0;

	for (size_t i = 0; i < count; i++) {
		struct envelope **slot = hash_slot(folder, uids[i]);
		if (*slot == NULL)
			continue;
		removed[removed_count++] = *slot;
		counts_apply(folder, envelope_flags(*slot), false);
		hash_delete(folder, uids[i]);
	}
	if (removed_count > 0)
		folder->count = keep_hashed(folder, folder->items, folder->count);
	for (size_t i = 0; i < removed_count; i++)
		envelope_free(&removed[i]);
	free(removed);
}

bool folder_set_flags(struct folder *folder, uint32_t uid, unsigned flags)
{
	struct envelope *envelope = *hash_slot(folder, uid);

	if (envelope == NULL)
		return false;
	counts_apply(folder, envelope_flags(envelope), false);
	envelope_set_flags(envelope, flags);
	counts_apply(folder, envelope_flags(envelope), true);
	return true;
}

void folder_set_sort(struct folder *folder, enum folder_sort sort, bool reverse)
{
	if (sort == folder->sort && reverse == folder->reverse)
		return;
	folder->sort = sort;
	folder->reverse = reverse;
	sort_items(folder->items, folder->count, sort, reverse);
}

/* ---- looking up ---- */

size_t folder_count(const struct folder *folder)
{
	return folder->count;
}

struct envelope *folder_get(const struct folder *folder, size_t pos)
{
	return pos < folder->count ? folder->items[pos] : NULL;
}

struct envelope *folder_find(const struct folder *folder, uint32_t uid)
{
	return *hash_slot(folder, uid);
}

long folder_position(const struct folder *folder, uint32_t uid)
{
	const struct envelope *envelope = folder_find(folder, uid);

	if (envelope == NULL)
		return -1;
	/* The order is total, so a binary search lands on the envelope itself. */
	size_t low = 0, high = folder->count;
	while (low < high) {
		size_t mid = low + (high - low) / 2;
		if (folder->items[mid] == envelope)
			return (long)mid;
		if (folder_envelope_compare(folder->items[mid], envelope, folder->sort,
		                            folder->reverse) < 0)
			low = mid + 1;
		else
			high = mid;
	}
	/* Not reached while the array is sorted; scan to be safe. */
	for (size_t i = 0; i < folder->count; i++)
		if (folder->items[i] == envelope)
			return (long)i;
	return -1;
}

size_t folder_count_unseen(const struct folder *folder)
{
	return folder->unseen;
}

size_t folder_count_deleted(const struct folder *folder)
{
	return folder->deleted;
}

size_t folder_count_flagged(const struct folder *folder)
{
	return folder->flagged;
}

long folder_next_unseen(const struct folder *folder, size_t pos, bool backward)
{
	size_t n = folder->count;

	if (n == 0 || folder->unseen == 0)
		return -1;
	if (pos >= n)
		pos = n - 1;
	for (size_t step = 1; step <= n; step++) {
		size_t i = backward ? (pos + n - step % n) % n : (pos + step) % n;
		if (!(envelope_flags(folder->items[i]) & ENVELOPE_SEEN))
			return (long)i;
	}
	return -1;
}
