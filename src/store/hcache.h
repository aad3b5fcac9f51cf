/*
 * hcache: the header cache — envelopes of messages on IMAP servers, kept
 * in LMDB under the header_cache folder ($XDG_CACHE_HOME/rowan), so that
 * re-opening a folder fetches only what changed.
 *
 * Entries are keyed by account, folder, UIDVALIDITY and UID.  Each folder
 * also has a state record (UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ).  A cache
 * that cannot be opened or read (corrupt file, wrong version, full disk)
 * is never fatal: hcache_open removes and recreates a corrupt one, and
 * every other failure returns an error the caller may ignore — the folder
 * is then simply fetched from the server.
 *
 * One struct hcache belongs to one thread (the account's worker).  The
 * accounts of one directory share its file (<dir>/headers.lmdb, opened
 * once per process), so their caches may be used from different threads
 * at the same time; write transactions then take turns.
 */
#ifndef ROWAN_STORE_HCACHE_H
#define ROWAN_STORE_HCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mail/envelope.h"
#include "util/util.h"

struct hcache;

/*
 * Open (creating it and dir if needed) the cache of one account in dir.
 * account names the account (its host and user, say "alice@imap.example");
 * it keeps accounts apart.  Returns NULL with err filled when no cache can
 * be used at all.
 */
struct hcache *hcache_open(const char *dir, const char *account,
                           struct rowan_err *err);
/* Close (aborting a transaction left open); accepts NULL and clears *cache. */
void hcache_close(struct hcache **cache);

struct hcache_folder_state {
	uint32_t uidvalidity;
	uint32_t uidnext;        /* 0: unknown */
	uint64_t highestmodseq;  /* 0: the server has no CONDSTORE */
};

/* The folder's state: 0 found, 1 not cached, -1 error (err filled). */
int hcache_folder_get(struct hcache *cache, const char *folder,
                      struct hcache_folder_state *state,
                      struct rowan_err *err);

/*
 * Call each(envelope, ctx) for every cached envelope of folder under
 * uidvalidity, in ascending UID order; each takes ownership of the
 * envelope.  Stops early (returning 0) when each returns non-zero.  An
 * entry that cannot be decoded is skipped and deleted.  Returns 0 or -1.
 */
int hcache_folder_load(struct hcache *cache, const char *folder,
                       uint32_t uidvalidity,
                       int (*each)(struct envelope *envelope, void *ctx),
                       void *ctx, struct rowan_err *err);

/*
 * Writes go through a transaction: begin, any number of puts, deletes and
 * a state update, then commit (or abort).  Only one transaction at a time.
 */
struct hcache_txn;
struct hcache_txn *hcache_begin(struct hcache *cache, struct rowan_err *err);
/* Store (or replace) the envelope of uid (envelope_uid()) in folder. */
int hcache_put(struct hcache_txn *txn, const char *folder,
               uint32_t uidvalidity, const struct envelope *envelope);
/* Change only the flags of a cached envelope (no-op if not cached). */
int hcache_put_flags(struct hcache_txn *txn, const char *folder,
                     uint32_t uidvalidity, uint32_t uid, unsigned flags);
int hcache_delete(struct hcache_txn *txn, const char *folder,
                  uint32_t uidvalidity, uint32_t uid);
/* Drop every entry of folder (UIDVALIDITY changed) and its state. */
int hcache_folder_drop(struct hcache_txn *txn, const char *folder);
int hcache_folder_put(struct hcache_txn *txn, const char *folder,
                      const struct hcache_folder_state *state);
/* Commit; 0 or -1 with err.  Frees the transaction either way. */
int hcache_commit(struct hcache_txn **txn, struct rowan_err *err);
void hcache_abort(struct hcache_txn **txn);

#endif
