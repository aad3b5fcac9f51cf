/*
 * account/imap/cache.c: the IMAP backend's use of the header cache
 * (src/store/hcache.h).  A cache that cannot be opened, read or written
 * is never an error here: the folder is then fetched from the server.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "account/imap/imap_private.h"
#include "mail/envelope.h"
#include "store/hcache.h"

void imap_cache_open(struct imap_backend *b)
{
	struct rowan_err err;

	if (b->cache_tried)
		return;
	b->cache_tried = true;
	const char *dir = config_get_string(b->cfg, CONFIG_VAR_HEADER_CACHE);
	if (dir == NULL || *dir == '\0')
		return;
	char *name = xasprintf("%s@%s:%d", b->acct->user ? b->acct->user : "",
	                       b->acct->host ? b->acct->host : "", b->acct->port);
	b->cache = hcache_open(dir, name, &err);
	free(name);
}

void imap_cache_close(struct imap_backend *b)
{
	hcache_close(&b->cache);
	b->cache_tried = false;
}

int imap_cache_state(struct imap_backend *b, const char *folder,
                     struct hcache_folder_state *state)
{
	struct rowan_err err;

	if (b->cache == NULL)
		return -1;
	return hcache_folder_get(b->cache, folder, state, &err) == 0 ? 0 : -1;
}

int imap_cache_load(struct imap_backend *b, const char *folder,
                    uint32_t uidvalidity,
                    int (*each)(struct envelope *envelope, void *ctx),
                    void *ctx)
{
	struct rowan_err err;

	if (b->cache == NULL)
		return -1;
	return hcache_folder_load(b->cache, folder, uidvalidity, each, ctx, &err);
}

void imap_cache_drop(struct imap_backend *b, const char *folder)
{
	struct rowan_err err;

	if (b->cache == NULL)
		return;
	struct hcache_txn *txn = hcache_begin(b->cache, &err);
	if (txn == NULL)
		return;
	if (hcache_folder_drop(txn, folder) != 0) {
		hcache_abort(&txn);
		return;
	}
	hcache_commit(&txn, &err);
}

void imap_cache_store(struct imap_backend *b, struct envelope *const *envelopes,
                      size_t count, const uint32_t *flag_uids,
                      const unsigned *flags, size_t flag_count,
                      const uint32_t *gone, size_t gone_count, bool save_state)
{
	struct rowan_err err;
	int r = 0;

	if (b->cache == NULL || b->folder == NULL)
		return;
	struct hcache_txn *txn = hcache_begin(b->cache, &err);
	if (txn == NULL)
		return;
	for (size_t i = 0; i < count && r == 0; i++)
		r = hcache_put(txn, b->folder, b->uidvalidity, envelopes[i]);
	for (size_t i = 0; i < flag_count && r == 0; i++)
		r = hcache_put_flags(txn, b->folder, b->uidvalidity, flag_uids[i],
		                     flags[i]);
	for (size_t i = 0; i < gone_count && r == 0; i++)
		r = hcache_delete(txn, b->folder, b->uidvalidity, gone[i]);
	if (r == 0 && save_state) {
		struct hcache_folder_state state = {
			.uidvalidity = b->uidvalidity,
			.uidnext = b->uidnext,
			.highestmodseq = b->highestmodseq,
		};
		r = hcache_folder_put(txn, b->folder, &state);
	}
	if (r != 0) {
		hcache_abort(&txn);
		return;
	}
	hcache_commit(&txn, &err);
}
