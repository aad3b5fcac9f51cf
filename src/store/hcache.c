/*
 * hcache: the header cache in LMDB (see hcache.h for the contract).
 *
 * One LMDB environment per cache directory, the single file
 * <dir>/headers.lmdb (plus its "-lock" file), with three named databases:
 *
 *   meta      "format" -> FORMAT, the version of everything below
 *   messages  prefix + BE32 UIDVALIDITY + BE32 UID -> envelope_to_bytes()
 *   folders   prefix -> state (u8 1, BE32 UIDVALIDITY, BE32 UIDNEXT,
 *             BE64 HIGHESTMODSEQ)
 *
 * where prefix is account NUL folder NUL, so that one folder's entries
 * are contiguous and in UID order, and hcache_folder_load is one cursor
 * scan.  When account and folder would make a key longer than LMDB
 * allows, prefix is 0x01 + SHA-256(account NUL folder) + NUL instead.
 *
 * LMDB must not open the same file twice in one process, and every
 * account's worker thread opens its own struct hcache, so environments
 * are shared through a small registry keyed by the file's path.
 *
 * A file LMDB refuses (garbage, another version), one shorter than its
 * own meta page says (truncated: reading it would fault), or one without
 * our format record is deleted and created anew.  LMDB trusts the inside
 * of its pages, so damage there that leaves the meta pages intact is
 * found only as far as LMDB checks (MDB_CORRUPTED); such a file is
 * removed when the last user closes it.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lmdb.h>
#include <openssl/evp.h>

#include "store/hcache.h"
#include "util/i18n.h"

#define FILE_NAME "headers.lmdb"
#define FORMAT "rowan-hcache 1 envelope 1"
#define MAP_SIZE ((size_t)4 << 30)
#define KEY_MAX 511          /* LMDB's default maximum key size */
#define STATE_LEN 17

_Static_assert(ENVELOPE_BYTES_VERSION == 1, "change FORMAT with the envelope bytes");
_Static_assert(sizeof(size_t) >= 8, "the header cache needs a 64-bit address space");

/* One open environment, shared by every struct hcache on the same file. */
struct hcache_env {
	char *path;
	MDB_env *env;
	MDB_dbi messages, folders;
	int users;
	atomic_bool corrupt; /* delete the file when the last user closes */
	struct hcache_env *next;
};

struct hcache {
	struct hcache_env *shared;
	char *account;
	struct hcache_txn *txn;   /* the open write transaction, if any */
};

struct hcache_txn {
	struct hcache *cache;
	MDB_txn *txn;
	int error;                /* the first LMDB error of a put or delete */
};

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static struct hcache_env *registry;

/* ------------------------------------------------------------------ */
/* Keys                                                                 */
/* ------------------------------------------------------------------ */

struct key {
	unsigned char bytes[KEY_MAX];
	size_t prefix_len;        /* through the NUL after the folder */
};

static void put_be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static uint32_t get_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Fill key with the prefix of folder (see the top of the file). */
static void key_prefix(struct key *key, const char *account, const char *folder)
{
	size_t alen = strlen(account), flen = strlen(folder);
	if (alen + flen + 2 + 8 <= KEY_MAX && account[0] != '\x01') {
		memcpy(key->bytes, account, alen + 1);
		memcpy(key->bytes + alen + 1, folder, flen + 1);
		key->prefix_len = alen + flen + 2;
		return;
	}
	unsigned char *joined = xmalloc(alen + flen + 1);
	memcpy(joined, account, alen + 1);
	memcpy(joined + alen + 1, folder, flen);
	unsigned int digest_len = 0;
	key->bytes[0] = 0x01;
	if (EVP_Digest(joined, alen + 1 + flen, key->bytes + 1, &digest_len, EVP_sha256(),
	               NULL) != 1)
		abort();
	free(joined);
	key->bytes[1 + digest_len] = '\0';
	key->prefix_len = 2 + digest_len;
}

/* The full message key of uid under uidvalidity, after key_prefix. */
static MDB_val key_message(struct key *key, uint32_t uidvalidity, uint32_t uid)
{
	put_be32(key->bytes + key->prefix_len, uidvalidity);
	put_be32(key->bytes + key->prefix_len + 4, uid);
	return (MDB_val){ key->prefix_len + 8, key->bytes };
}

/* ------------------------------------------------------------------ */
/* Opening: the shared environment                                      */
/* ------------------------------------------------------------------ */

static bool is_corruption(int rc)
{
	return rc == MDB_CORRUPTED || rc == MDB_INVALID || rc == MDB_VERSION_MISMATCH ||
	       rc == MDB_PAGE_NOTFOUND || rc == MDB_BAD_TXN || rc == MDB_INCOMPATIBLE;
}

static void remove_files(const char *path)
{
	char *lock = xasprintf("%s-lock", path);
	unlink(path);
	unlink(lock);
	free(lock);
}

/* Whether the file is at least as long as its meta page says. */
static bool file_complete(MDB_env *env, const char *path)
{
	MDB_envinfo info;
	MDB_stat st;
	struct stat sb;
	if (mdb_env_info(env, &info) != 0 || mdb_env_stat(env, &st) != 0 ||
	    stat(path, &sb) != 0)
		return false;
	return (uint64_t)sb.st_size >= ((uint64_t)info.me_last_pgno + 1) * st.ms_psize;
}

/*
 * Open the databases and check the format record, writing it into a new
 * file.  Returns 0, an LMDB error, or MDB_INVALID for a file of another
 * format.
 */
static int env_prepare(struct hcache_env *shared)
{
	MDB_txn *txn;
	MDB_dbi meta;
	int rc = mdb_txn_begin(shared->env, NULL, 0, &txn);
	if (rc != 0)
		return rc;
	if ((rc = mdb_dbi_open(txn, "meta", MDB_CREATE, &meta)) != 0 ||
	    (rc = mdb_dbi_open(txn, "messages", MDB_CREATE, &shared->messages)) != 0 ||
	    (rc = mdb_dbi_open(txn, "folders", MDB_CREATE, &shared->folders)) != 0)
		goto fail;
	MDB_val key = { 6, "format" }, value;
	rc = mdb_get(txn, meta, &key, &value);
	if (rc == 0) {
		if (value.mv_size != strlen(FORMAT) || memcmp(value.mv_data, FORMAT, value.mv_size) != 0)
			rc = MDB_INVALID;
		if (rc != 0)
			goto fail;
		return mdb_txn_commit(txn);   /* keeps the database handles */
	}
	if (rc != MDB_NOTFOUND)
		goto fail;
	MDB_stat st;
	if ((rc = mdb_stat(txn, shared->messages, &st)) != 0)
		goto fail;
	if (st.ms_entries != 0) {
		rc = MDB_INVALID;  /* entries but no format: not ours */
		goto fail;
	}
	value = (MDB_val){ strlen(FORMAT), FORMAT };
	if ((rc = mdb_put(txn, meta, &key, &value, 0)) != 0)
		goto fail;
	return mdb_txn_commit(txn);
fail:
	mdb_txn_abort(txn);
	return rc;
}

/* Open path; on a corrupt or foreign file, *corrupt is set. */
static int env_open_once(struct hcache_env *shared, bool *corrupt)
{
	*corrupt = false;
	int rc = mdb_env_create(&shared->env);
	if (rc != 0)
		return rc;
	if ((rc = mdb_env_set_maxdbs(shared->env, 4)) != 0 ||
	    (rc = mdb_env_set_mapsize(shared->env, MAP_SIZE)) != 0)
		goto fail;
	rc = mdb_env_open(shared->env, shared->path, MDB_NOSUBDIR | MDB_NOTLS | MDB_NOSYNC,
	                  0600);
	if (rc != 0) {
		*corrupt = is_corruption(rc);
		goto fail;
	}
	if (!file_complete(shared->env, shared->path)) {
		*corrupt = true;
		rc = MDB_CORRUPTED;
		goto fail;
	}
	rc = env_prepare(shared);
	if (rc != 0) {
		*corrupt = is_corruption(rc);
		goto fail;
	}
	return 0;
fail:
	mdb_env_close(shared->env);
	shared->env = NULL;
	return rc;
}

/* The shared environment for dir (registry_lock held), or NULL with err. */
static struct hcache_env *env_get(const char *dir, struct rowan_err *err)
{
	char *real = realpath(dir, NULL);
	char *path = path_join(real != NULL ? real : dir, FILE_NAME);
	free(real);
	for (struct hcache_env *e = registry; e != NULL; e = e->next) {
		if (strcmp(e->path, path) == 0) {
			e->users++;
			free(path);
			return e;
		}
	}
	struct hcache_env *shared = xcalloc(1, sizeof *shared);
	shared->path = path;
	bool corrupt;
	int rc = env_open_once(shared, &corrupt);
	if (rc != 0 && corrupt) {
		remove_files(path);
		rc = env_open_once(shared, &corrupt);
	}
	if (rc != 0) {
		/* L10N: %s is a file, the second %s LMDB's reason */
		rowan_err_set(err, ROWAN_ERR_IO, _("header cache %s: %s"), path,
		              mdb_strerror(rc));
		free(path);
		free(shared);
		return NULL;
	}
	shared->users = 1;
	shared->next = registry;
	registry = shared;
	return shared;
}

static void env_put(struct hcache_env *shared)
{
	if (--shared->users > 0)
		return;
	for (struct hcache_env **p = &registry; *p != NULL; p = &(*p)->next) {
		if (*p == shared) {
			*p = shared->next;
			break;
		}
	}
	mdb_env_close(shared->env);
	if (atomic_load(&shared->corrupt))
		remove_files(shared->path);
	free(shared->path);
	free(shared);
}

struct hcache *hcache_open(const char *dir, const char *account, struct rowan_err *err)
{
	char *expanded = path_expand_home(dir);
	if (expanded == NULL) {
		rowan_err_set(err, ROWAN_ERR_IO, _("header cache %s: cannot expand the path"), dir);
		return NULL;
	}
	if (path_mkdir_p(expanded, 0700) != 0) {
		rowan_err_set(err, ROWAN_ERR_IO, _("header cache %s: %s"), expanded,
		              strerror(errno));
		free(expanded);
		return NULL;
	}
	pthread_mutex_lock(&registry_lock);
	struct hcache_env *shared = env_get(expanded, err);
	pthread_mutex_unlock(&registry_lock);
	free(expanded);
	if (shared == NULL)
		return NULL;
	struct hcache *cache = xcalloc(1, sizeof *cache);
	cache->shared = shared;
	cache->account = xstrdup(account != NULL ? account : "");
	return cache;
}

void hcache_close(struct hcache **cache)
{
	if (cache == NULL || *cache == NULL)
		return;
	struct hcache *c = *cache;
	hcache_abort(&c->txn);   /* a transaction left open is aborted */
	pthread_mutex_lock(&registry_lock);
	env_put(c->shared);
	pthread_mutex_unlock(&registry_lock);
	free(c->account);
	free(c);
	*cache = NULL;
}

/* Fill err for LMDB's rc; a sign of corruption marks the file for removal. */
static void fail(struct hcache *cache, int rc, struct rowan_err *err)
{
	if (is_corruption(rc))
		atomic_store(&cache->shared->corrupt, true);
	rowan_err_set(err, ROWAN_ERR_IO, _("header cache %s: %s"), cache->shared->path,
	              mdb_strerror(rc));
}

/* ------------------------------------------------------------------ */
/* Reading                                                              */
/* ------------------------------------------------------------------ */

int hcache_folder_get(struct hcache *cache, const char *folder,
                      struct hcache_folder_state *state, struct rowan_err *err)
{
	struct key key;
	key_prefix(&key, cache->account, folder);
	MDB_txn *txn;
	int rc = mdb_txn_begin(cache->shared->env, NULL, MDB_RDONLY, &txn);
	if (rc != 0) {
		fail(cache, rc, err);
		return -1;
	}
	MDB_val k = { key.prefix_len, key.bytes }, v;
	rc = mdb_get(txn, cache->shared->folders, &k, &v);
	int result = 1;
	if (rc == 0 && v.mv_size == STATE_LEN && ((unsigned char *)v.mv_data)[0] == 1) {
		const unsigned char *p = v.mv_data;
		state->uidvalidity = get_be32(p + 1);
		state->uidnext = get_be32(p + 5);
		state->highestmodseq = (uint64_t)get_be32(p + 9) << 32 | get_be32(p + 13);
		result = 0;
	} else if (rc != 0 && rc != MDB_NOTFOUND) {
		fail(cache, rc, err);
		result = -1;
	}
	mdb_txn_abort(txn);
	return result;
}

/* Delete the given UIDs of a folder (entries that could not be decoded). */
static void delete_bad(struct hcache *cache, const char *folder, uint32_t uidvalidity,
                       const uint32_t *uids, size_t count)
{
	struct rowan_err ignored;
	bool own = cache->txn == NULL;
	struct hcache_txn *txn = own ? hcache_begin(cache, &ignored) : cache->txn;
	if (txn == NULL)
		return;
	for (size_t i = 0; i < count; i++)
		hcache_delete(txn, folder, uidvalidity, uids[i]);
	if (own)
		hcache_commit(&txn, &ignored);
}

/*
 * Loading a big folder reads every page of it through LMDB's read-only
 * map, and those pages would stay in Rowan's resident memory although
 * each envelope has been copied out.  Drop them from the process (they
 * stay in the page cache and fault back in when read again; the file
 * is never written through this map, so nothing is lost).
 */
#define MAP_RELEASE_EVERY 4096

/* The span of the map that a load has read from since the last release. */
struct map_span {
	uintptr_t low, high;
};

static void map_span_note(struct map_span *span, const MDB_val *value)
{
	uintptr_t start = (uintptr_t)value->mv_data;
	uintptr_t end = start + value->mv_size;
	if (span->low == 0 || start < span->low)
		span->low = start;
	if (end > span->high)
		span->high = end;
}

/* Every address in the span lies in LMDB's one mapping of the file. */
static void map_release(struct map_span *span)
{
	if (span->low == 0)
		return;
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t low = span->low & ~(page - 1);
	uintptr_t high = (span->high + page - 1) & ~(page - 1);
	madvise((void *)low, high - low, MADV_DONTNEED);
	span->low = span->high = 0;
}

int hcache_folder_load(struct hcache *cache, const char *folder, uint32_t uidvalidity,
                       int (*each)(struct envelope *envelope, void *ctx), void *ctx,
                       struct rowan_err *err)
{
	struct key key;
	key_prefix(&key, cache->account, folder);
	MDB_val k = key_message(&key, uidvalidity, 0), v;
	size_t want = k.mv_size;
	MDB_txn *txn = NULL;
	MDB_cursor *cursor = NULL;
	uint32_t *bad = NULL;
	size_t bad_count = 0, bad_alloc = 0, loaded = 0;
	struct map_span span = {0, 0};
	int rc = mdb_txn_begin(cache->shared->env, NULL, MDB_RDONLY, &txn);
	if (rc == 0)
		rc = mdb_cursor_open(txn, cache->shared->messages, &cursor);
	if (rc != 0)
		goto out;
	for (rc = mdb_cursor_get(cursor, &k, &v, MDB_SET_RANGE); rc == 0;
	     rc = mdb_cursor_get(cursor, &k, &v, MDB_NEXT)) {
		map_span_note(&span, &v);
		if (++loaded % MAP_RELEASE_EVERY == 0)
			map_release(&span);
		/* prefix and UIDVALIDITY: every byte but the UID */
		if (k.mv_size != want || memcmp(k.mv_data, key.bytes, want - 4) != 0)
			break;
		uint32_t uid = get_be32((const unsigned char *)k.mv_data + want - 4);
		struct envelope *envelope = envelope_from_bytes(v.mv_data, v.mv_size);
		if (envelope == NULL || envelope_uid(envelope) != uid) {
			envelope_free(&envelope);
			if (bad_count == bad_alloc) {
				bad_alloc = bad_alloc ? 2 * bad_alloc : 16;
				bad = xrealloc(bad, bad_alloc * sizeof *bad);
			}
			bad[bad_count++] = uid;
			continue;
		}
		if (each(envelope, ctx) != 0) {
			rc = MDB_NOTFOUND;
			break;
		}
	}
out:
	if (cursor != NULL)
		mdb_cursor_close(cursor);
	if (txn != NULL)
		mdb_txn_abort(txn);
	map_release(&span);
	if (rc != 0 && rc != MDB_NOTFOUND) {
		fail(cache, rc, err);
		free(bad);
		return -1;
	}
	if (bad_count > 0)
		delete_bad(cache, folder, uidvalidity, bad, bad_count);
	free(bad);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Writing                                                              */
/* ------------------------------------------------------------------ */

struct hcache_txn *hcache_begin(struct hcache *cache, struct rowan_err *err)
{
	if (cache->txn != NULL) {
		rowan_err_set(err, ROWAN_ERR_INTERNAL, "header cache: a transaction is already open");
		return NULL;
	}
	MDB_txn *txn;
	int rc = mdb_txn_begin(cache->shared->env, NULL, 0, &txn);
	if (rc != 0) {
		fail(cache, rc, err);
		return NULL;
	}
	struct hcache_txn *t = xcalloc(1, sizeof *t);
	t->cache = cache;
	t->txn = txn;
	cache->txn = t;
	return t;
}

/* Remember the first error of txn; returns 0 or -1. */
static int note(struct hcache_txn *txn, int rc)
{
	if (rc == 0)
		return 0;
	if (txn->error == 0)
		txn->error = rc;
	return -1;
}

int hcache_put(struct hcache_txn *txn, const char *folder, uint32_t uidvalidity,
               const struct envelope *envelope)
{
	if (txn->error != 0)
		return -1;
	struct key key;
	key_prefix(&key, txn->cache->account, folder);
	MDB_val k = key_message(&key, uidvalidity, envelope_uid(envelope));
	size_t len;
	void *bytes = envelope_to_bytes(envelope, &len);
	MDB_val v = { len, bytes };
	/* A folder's first sync writes ascending keys, often at the end of
	 * the file: appending fills pages instead of splitting them in half. */
	int rc = mdb_put(txn->txn, txn->cache->shared->messages, &k, &v, MDB_APPEND);
	if (rc == MDB_KEYEXIST)
		rc = mdb_put(txn->txn, txn->cache->shared->messages, &k, &v, 0);
	free(bytes);
	return note(txn, rc);
}

int hcache_put_flags(struct hcache_txn *txn, const char *folder, uint32_t uidvalidity,
                     uint32_t uid, unsigned flags)
{
	if (txn->error != 0)
		return -1;
	struct key key;
	key_prefix(&key, txn->cache->account, folder);
	MDB_val k = key_message(&key, uidvalidity, uid), v;
	MDB_dbi dbi = txn->cache->shared->messages;
	int rc = mdb_get(txn->txn, dbi, &k, &v);
	if (rc == MDB_NOTFOUND)
		return 0;
	if (rc != 0)
		return note(txn, rc);
	unsigned char copy[1024];
	void *bytes = v.mv_size <= sizeof copy ? copy : xmalloc(v.mv_size);
	memcpy(bytes, v.mv_data, v.mv_size);
	if (envelope_bytes_set_flags(bytes, v.mv_size, flags) == 0) {
		v.mv_data = bytes;
		rc = mdb_put(txn->txn, dbi, &k, &v, 0);
	} else {
		rc = mdb_del(txn->txn, dbi, &k, NULL);   /* undecodable: drop it */
	}
	if (bytes != copy)
		free(bytes);
	return note(txn, rc);
}

int hcache_delete(struct hcache_txn *txn, const char *folder, uint32_t uidvalidity,
                  uint32_t uid)
{
	if (txn->error != 0)
		return -1;
	struct key key;
	key_prefix(&key, txn->cache->account, folder);
	MDB_val k = key_message(&key, uidvalidity, uid);
	int rc = mdb_del(txn->txn, txn->cache->shared->messages, &k, NULL);
	return note(txn, rc == MDB_NOTFOUND ? 0 : rc);
}

int hcache_folder_drop(struct hcache_txn *txn, const char *folder)
{
	if (txn->error != 0)
		return -1;
	struct key key;
	key_prefix(&key, txn->cache->account, folder);
	MDB_cursor *cursor;
	int rc = mdb_cursor_open(txn->txn, txn->cache->shared->messages, &cursor);
	if (rc != 0)
		return note(txn, rc);
	MDB_val k = { key.prefix_len, key.bytes }, v;
	for (rc = mdb_cursor_get(cursor, &k, &v, MDB_SET_RANGE); rc == 0;
	     rc = mdb_cursor_get(cursor, &k, &v, MDB_NEXT)) {
		if (k.mv_size != key.prefix_len + 8 ||
		    memcmp(k.mv_data, key.bytes, key.prefix_len) != 0)
			break;
		/* after a delete, MDB_NEXT gives the entry that followed */
		if ((rc = mdb_cursor_del(cursor, 0)) != 0)
			break;
	}
	mdb_cursor_close(cursor);
	if (rc != 0 && rc != MDB_NOTFOUND)
		return note(txn, rc);
	k = (MDB_val){ key.prefix_len, key.bytes };
	rc = mdb_del(txn->txn, txn->cache->shared->folders, &k, NULL);
	return note(txn, rc == MDB_NOTFOUND ? 0 : rc);
}

int hcache_folder_put(struct hcache_txn *txn, const char *folder,
                      const struct hcache_folder_state *state)
{
	if (txn->error != 0)
		return -1;
	struct key key;
	key_prefix(&key, txn->cache->account, folder);
	unsigned char value[STATE_LEN];
	value[0] = 1;
	put_be32(value + 1, state->uidvalidity);
	put_be32(value + 5, state->uidnext);
	put_be32(value + 9, (uint32_t)(state->highestmodseq >> 32));
	put_be32(value + 13, (uint32_t)state->highestmodseq);
	MDB_val k = { key.prefix_len, key.bytes }, v = { STATE_LEN, value };
	return note(txn, mdb_put(txn->txn, txn->cache->shared->folders, &k, &v, 0));
}

int hcache_commit(struct hcache_txn **txn, struct rowan_err *err)
{
	struct hcache_txn *t = *txn;
	int rc = t->error;
	if (rc != 0)
		mdb_txn_abort(t->txn);
	else
		rc = mdb_txn_commit(t->txn);
	if (rc != 0)
		fail(t->cache, rc, err);
	t->cache->txn = NULL;
	free(t);
	*txn = NULL;
	return rc == 0 ? 0 : -1;
}

void hcache_abort(struct hcache_txn **txn)
{
	if (txn == NULL || *txn == NULL)
		return;
	struct hcache_txn *t = *txn;   /* txn may be &t->cache->txn */
	*txn = NULL;
	mdb_txn_abort(t->txn);
	t->cache->txn = NULL;
	free(t);
}
