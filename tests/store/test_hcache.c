/*
 * Unit tests for src/store/hcache.c, the LMDB header cache: round trips,
 * accounts and folders kept apart, UIDVALIDITY changes, flag updates,
 * deletes, folder state, aborted transactions, damaged cache files and
 * damaged entries, and directories that cannot be used or do not exist.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <lmdb.h>

#include "mail/envelope.h"
#include "store/hcache.h"
#include "util/util.h"

struct fixture {
	char *dir;     /* a fresh temporary directory */
	char *cache;   /* dir/cache, not created yet */
	char *file;    /* the LMDB file in it */
};

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof *f);
	char tmpl[] = "/tmp/rowan-hcache-XXXXXX";
	assert_non_null(mkdtemp(tmpl));
	f->dir = xstrdup(tmpl);
	f->cache = path_join(f->dir, "cache");
	f->file = path_join(f->cache, "headers.lmdb");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char *cmd = xasprintf("rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(f->dir);
	free(f->cache);
	free(f->file);
	free(f);
	return 0;
}

/* An envelope for uid whose subject names tag and uid. */
static struct envelope *make(const char *tag, uint32_t uid, unsigned flags)
{
	char *h = xasprintf("From: Sender %u <s%u@example.org>\n"
	                    "To: Someone <to@example.org>\n"
	                    "Subject: %s message %u\n"
	                    "Date: Mon, 5 Oct 2026 10:35:00 +0200\n"
	                    "Message-ID: <%s-%u@rowan.example>\n"
	                    "References: <root@rowan.example> <p%u@rowan.example>\n",
	                    uid % 97, uid, tag, uid, tag, uid, uid / 2);
	struct envelope_meta meta = { uid, 1791190800 + uid, 1000 + uid, flags };
	struct envelope *e = envelope_from_headers(h, strlen(h), &meta, NULL);
	free(h);
	return e;
}

/* Loaded envelopes, in order. */
struct loaded {
	struct envelope **items;
	size_t count, stop_after;
};

static int collect(struct envelope *envelope, void *ctx)
{
	struct loaded *l = ctx;
	l->items = xrealloc(l->items, (l->count + 1) * sizeof *l->items);
	l->items[l->count++] = envelope;
	return l->stop_after != 0 && l->count >= l->stop_after;
}

static void loaded_clear(struct loaded *l)
{
	for (size_t i = 0; i < l->count; i++)
		envelope_free(&l->items[i]);
	free(l->items);
	memset(l, 0, sizeof *l);
}

static size_t load(struct hcache *c, const char *folder, uint32_t uidvalidity,
                   struct loaded *l)
{
	struct rowan_err err;
	loaded_clear(l);
	if (hcache_folder_load(c, folder, uidvalidity, collect, l, &err) != 0)
		fail_msg("hcache_folder_load: %s", err.message);
	return l->count;
}

static struct hcache *open_ok(const char *dir, const char *account)
{
	struct rowan_err err = { 0 };
	struct hcache *c = hcache_open(dir, account, &err);
	if (c == NULL)
		fail_msg("hcache_open: %s", err.message);
	return c;
}

/* Put tag's envelopes for uids first, first+step, ... (count of them). */
static void put_range(struct hcache *c, const char *folder, uint32_t uidvalidity,
                      const char *tag, uint32_t first, uint32_t step, size_t count)
{
	struct rowan_err err;
	struct hcache_txn *txn = hcache_begin(c, &err);
	assert_non_null(txn);
	for (size_t i = 0; i < count; i++) {
		struct envelope *e = make(tag, first + (uint32_t)i * step, (unsigned)i & 0x1f);
		assert_int_equal(hcache_put(txn, folder, uidvalidity, e), 0);
		envelope_free(&e);
	}
	if (hcache_commit(&txn, &err) != 0)
		fail_msg("hcache_commit: %s", err.message);
	assert_null(txn);
}

static void test_round_trip_many(void **state)
{
	struct fixture *f = *state;
	struct hcache *c = open_ok(f->cache, "alice@imap.example:993");
	/* put in descending order: the load must come back ascending */
	struct rowan_err err;
	struct hcache_txn *txn = hcache_begin(c, &err);
	for (uint32_t uid = 5000; uid >= 1; uid--) {
		struct envelope *e = make("inbox", uid, uid & 0x3f);
		assert_int_equal(hcache_put(txn, "INBOX", 77, e), 0);
		envelope_free(&e);
	}
	assert_int_equal(hcache_commit(&txn, &err), 0);
	hcache_close(&c);
	assert_null(c);

	c = open_ok(f->cache, "alice@imap.example:993");
	struct loaded l = { 0 };
	assert_int_equal(load(c, "INBOX", 77, &l), 5000);
	for (uint32_t i = 0; i < 5000; i++) {
		struct envelope *want = make("inbox", i + 1, (i + 1) & 0x3f);
		assert_true(envelope_equal(l.items[i], want));
		envelope_free(&want);
	}
	/* a callback that stops early */
	loaded_clear(&l);
	l.stop_after = 10;
	assert_int_equal(hcache_folder_load(c, "INBOX", 77, collect, &l, &err), 0);
	assert_int_equal(l.count, 10);
	assert_int_equal(envelope_uid(l.items[9]), 10);
	loaded_clear(&l);
	/* replacing an entry */
	txn = hcache_begin(c, &err);
	struct envelope *e = make("replaced", 3, ENVELOPE_SEEN);
	assert_int_equal(hcache_put(txn, "INBOX", 77, e), 0);
	assert_int_equal(hcache_commit(&txn, &err), 0);
	assert_int_equal(load(c, "INBOX", 77, &l), 5000);
	assert_true(envelope_equal(l.items[2], e));
	envelope_free(&e);
	loaded_clear(&l);
	hcache_close(&c);
}

static void test_accounts_and_folders_apart(void **state)
{
	struct fixture *f = *state;
	struct hcache *a = open_ok(f->cache, "alice@imap.example:993");
	struct hcache *b = open_ok(f->cache, "bob@imap.example:993");
	struct hcache *prefix = open_ok(f->cache, "alice");
	put_range(a, "INBOX", 1, "a-inbox", 1, 1, 30);
	put_range(a, "INBOX.Sub", 1, "a-sub", 1, 2, 20);
	put_range(a, "INBO", 1, "a-inbo", 1, 1, 5);
	put_range(b, "INBOX", 1, "b-inbox", 1, 1, 40);
	put_range(prefix, "imap.example:993", 1, "p", 1, 1, 7);

	struct loaded l = { 0 };
	assert_int_equal(load(a, "INBOX", 1, &l), 30);
	assert_string_equal(envelope_subject(l.items[29]), "a-inbox message 30");
	assert_int_equal(load(a, "INBOX.Sub", 1, &l), 20);
	assert_int_equal(envelope_uid(l.items[19]), 39);
	assert_string_equal(envelope_subject(l.items[0]), "a-sub message 1");
	assert_int_equal(load(a, "INBO", 1, &l), 5);
	assert_int_equal(load(b, "INBOX", 1, &l), 40);
	assert_string_equal(envelope_subject(l.items[0]), "b-inbox message 1");
	assert_int_equal(load(b, "INBOX.Sub", 1, &l), 0);
	assert_int_equal(load(prefix, "imap.example:993", 1, &l), 7);
	assert_int_equal(load(prefix, "INBOX", 1, &l), 0);

	/* dropping a folder leaves the others */
	struct rowan_err err;
	struct hcache_txn *txn = hcache_begin(a, &err);
	assert_int_equal(hcache_folder_drop(txn, "INBOX"), 0);
	assert_int_equal(hcache_commit(&txn, &err), 0);
	assert_int_equal(load(a, "INBOX", 1, &l), 0);
	assert_int_equal(load(a, "INBOX.Sub", 1, &l), 20);
	assert_int_equal(load(a, "INBO", 1, &l), 5);
	assert_int_equal(load(b, "INBOX", 1, &l), 40);
	loaded_clear(&l);
	hcache_close(&prefix);
	hcache_close(&a);
	/* b still works after the others closed the shared file */
	assert_int_equal(load(b, "INBOX", 1, &l), 40);
	loaded_clear(&l);
	hcache_close(&b);
}

static void test_long_folder_names(void **state)
{
	struct fixture *f = *state;
	struct hcache *c = open_ok(f->cache, "alice@imap.example:993");
	char one[700], two[700];
	memset(one, 'x', sizeof one - 1);
	one[sizeof one - 1] = '\0';
	memcpy(two, one, sizeof two);
	two[sizeof two - 2] = 'y';
	put_range(c, one, 9, "one", 1, 1, 12);
	put_range(c, two, 9, "two", 1, 1, 3);
	struct loaded l = { 0 };
	assert_int_equal(load(c, one, 9, &l), 12);
	assert_int_equal(load(c, two, 9, &l), 3);
	assert_string_equal(envelope_subject(l.items[0]), "two message 1");
	struct hcache_folder_state st = { 9, 4, 5 }, got;
	struct rowan_err err;
	struct hcache_txn *txn = hcache_begin(c, &err);
	assert_int_equal(hcache_folder_put(txn, two, &st), 0);
	assert_int_equal(hcache_folder_drop(txn, one), 0);
	assert_int_equal(hcache_commit(&txn, &err), 0);
	assert_int_equal(load(c, one, 9, &l), 0);
	assert_int_equal(load(c, two, 9, &l), 3);
	assert_int_equal(hcache_folder_get(c, two, &got, &err), 0);
	assert_int_equal(got.uidnext, 4);
	assert_int_equal(hcache_folder_get(c, one, &got, &err), 1);
	loaded_clear(&l);
	hcache_close(&c);
}

static void test_uidvalidity_and_drop(void **state)
{
	struct fixture *f = *state;
	struct hcache *c = open_ok(f->cache, "acct");
	put_range(c, "INBOX", 100, "old", 1, 1, 50);
	put_range(c, "INBOX", 101, "new", 1, 1, 3);
	put_range(c, "Other", 100, "other", 1, 1, 4);
	struct loaded l = { 0 };
	assert_int_equal(load(c, "INBOX", 100, &l), 50);
	assert_int_equal(load(c, "INBOX", 101, &l), 3);
	assert_string_equal(envelope_subject(l.items[0]), "new message 1");
	assert_int_equal(load(c, "INBOX", 99, &l), 0);
	assert_int_equal(load(c, "INBOX", 102, &l), 0);

	struct rowan_err err;
	struct hcache_folder_state st = { 100, 51, 0 };
	struct hcache_txn *txn = hcache_begin(c, &err);
	assert_int_equal(hcache_folder_put(txn, "INBOX", &st), 0);
	assert_int_equal(hcache_commit(&txn, &err), 0);
	assert_int_equal(hcache_folder_get(c, "INBOX", &st, &err), 0);

	txn = hcache_begin(c, &err);
	assert_int_equal(hcache_folder_drop(txn, "INBOX"), 0);
	assert_int_equal(hcache_folder_drop(txn, "never-cached"), 0);
	assert_int_equal(hcache_commit(&txn, &err), 0);
	assert_int_equal(load(c, "INBOX", 100, &l), 0);
	assert_int_equal(load(c, "INBOX", 101, &l), 0);
	assert_int_equal(hcache_folder_get(c, "INBOX", &st, &err), 1);
	assert_int_equal(load(c, "Other", 100, &l), 4);
	loaded_clear(&l);
	hcache_close(&c);
}

static void test_flags_and_delete(void **state)
{
	struct fixture *f = *state;
	struct hcache *c = open_ok(f->cache, "acct");
	put_range(c, "INBOX", 5, "m", 1, 1, 10);
	struct rowan_err err;
	struct hcache_txn *txn = hcache_begin(c, &err);
	assert_int_equal(hcache_put_flags(txn, "INBOX", 5, 4,
	                                  ENVELOPE_SEEN | ENVELOPE_FLAGGED | 0x400), 0);
	assert_int_equal(hcache_put_flags(txn, "INBOX", 5, 77, ENVELOPE_SEEN), 0);
	assert_int_equal(hcache_put_flags(txn, "INBOX", 6, 4, ENVELOPE_DRAFT), 0);
	assert_int_equal(hcache_delete(txn, "INBOX", 5, 7), 0);
	assert_int_equal(hcache_delete(txn, "INBOX", 5, 700), 0);
	assert_int_equal(hcache_commit(&txn, &err), 0);

	struct loaded l = { 0 };
	assert_int_equal(load(c, "INBOX", 5, &l), 9);
	uint32_t want_uids[] = { 1, 2, 3, 4, 5, 6, 8, 9, 10 };
	for (size_t i = 0; i < 9; i++)
		assert_int_equal(envelope_uid(l.items[i]), want_uids[i]);
	assert_int_equal(envelope_flags(l.items[3]), ENVELOPE_SEEN | ENVELOPE_FLAGGED);
	/* everything but the flags is unchanged */
	struct envelope *orig = make("m", 4, 3);
	envelope_set_flags(orig, ENVELOPE_SEEN | ENVELOPE_FLAGGED);
	assert_true(envelope_equal(orig, l.items[3]));
	envelope_free(&orig);
	assert_int_equal(envelope_flags(l.items[4]), 4);
	assert_int_equal(load(c, "INBOX", 6, &l), 0);
	loaded_clear(&l);
	hcache_close(&c);
}

static void test_folder_state(void **state)
{
	struct fixture *f = *state;
	struct hcache *c = open_ok(f->cache, "acct");
	struct rowan_err err;
	struct hcache_folder_state got = { 1, 2, 3 };
	assert_int_equal(hcache_folder_get(c, "INBOX", &got, &err), 1);
	struct hcache_folder_state st = { 0xfedcba98u, 4242, UINT64_C(0x123456789abcdef0) };
	struct hcache_txn *txn = hcache_begin(c, &err);
	assert_int_equal(hcache_folder_put(txn, "INBOX", &st), 0);
	assert_int_equal(hcache_commit(&txn, &err), 0);
	hcache_close(&c);
	c = open_ok(f->cache, "acct");
	assert_int_equal(hcache_folder_get(c, "INBOX", &got, &err), 0);
	assert_int_equal(got.uidvalidity, st.uidvalidity);
	assert_int_equal(got.uidnext, st.uidnext);
	assert_int_equal(got.highestmodseq, st.highestmodseq);
	/* another account does not see it */
	struct hcache *other = open_ok(f->cache, "other");
	assert_int_equal(hcache_folder_get(other, "INBOX", &got, &err), 1);
	hcache_close(&other);
	hcache_close(&c);
}

static void test_abort(void **state)
{
	struct fixture *f = *state;
	struct hcache *c = open_ok(f->cache, "acct");
	put_range(c, "INBOX", 1, "kept", 1, 1, 3);
	struct rowan_err err;
	struct hcache_txn *txn = hcache_begin(c, &err);
	assert_non_null(txn);
	/* only one transaction at a time */
	assert_null(hcache_begin(c, &err));
	struct envelope *e = make("aborted", 10, 0);
	assert_int_equal(hcache_put(txn, "INBOX", 1, e), 0);
	envelope_free(&e);
	assert_int_equal(hcache_delete(txn, "INBOX", 1, 1), 0);
	struct hcache_folder_state st = { 1, 11, 0 };
	assert_int_equal(hcache_folder_put(txn, "INBOX", &st), 0);
	hcache_abort(&txn);
	assert_null(txn);
	hcache_abort(&txn);   /* NULL is fine */
	struct loaded l = { 0 };
	assert_int_equal(load(c, "INBOX", 1, &l), 3);
	assert_string_equal(envelope_subject(l.items[0]), "kept message 1");
	assert_int_equal(hcache_folder_get(c, "INBOX", &st, &err), 1);
	loaded_clear(&l);
	/* closing with a transaction open aborts it */
	txn = hcache_begin(c, &err);
	e = make("aborted", 11, 0);
	assert_int_equal(hcache_put(txn, "INBOX", 1, e), 0);
	envelope_free(&e);
	hcache_close(&c);
	c = open_ok(f->cache, "acct");
	assert_int_equal(load(c, "INBOX", 1, &l), 3);
	loaded_clear(&l);
	hcache_close(&c);
}

/* Write len bytes of pattern over the file at offset. */
static void scribble(const char *path, off_t offset, size_t len, unsigned seed)
{
	int fd = open(path, O_WRONLY);
	assert_true(fd >= 0);
	unsigned char *junk = xmalloc(len);
	for (size_t i = 0; i < len; i++)
		junk[i] = (unsigned char)rand_r(&seed);
	assert_int_equal(pwrite(fd, junk, len, offset), (ssize_t)len);
	free(junk);
	close(fd);
}

static off_t file_size(const char *path)
{
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	return st.st_size;
}

/* A cache with entries, closed; the file is f->file. */
static void fill_and_close(struct fixture *f)
{
	struct hcache *c = open_ok(f->cache, "acct");
	put_range(c, "INBOX", 1, "x", 1, 1, 2000);
	hcache_close(&c);
	assert_true(file_size(f->file) > 100000);
}

/* The cache opens without error and is empty, and works. */
static void expect_fresh(struct fixture *f)
{
	struct hcache *c = open_ok(f->cache, "acct");
	struct loaded l = { 0 };
	assert_int_equal(load(c, "INBOX", 1, &l), 0);
	put_range(c, "INBOX", 1, "y", 1, 1, 5);
	assert_int_equal(load(c, "INBOX", 1, &l), 5);
	loaded_clear(&l);
	hcache_close(&c);
}

static void test_corrupt_file(void **state)
{
	struct fixture *f = *state;
	/* garbage over the whole file */
	fill_and_close(f);
	scribble(f->file, 0, (size_t)file_size(f->file), 1);
	expect_fresh(f);
	/* garbage over the meta pages only */
	fill_and_close(f);
	scribble(f->file, 0, 8192, 2);
	expect_fresh(f);
	/* truncated to half, to a few bytes, to nothing */
	fill_and_close(f);
	assert_int_equal(truncate(f->file, file_size(f->file) / 2), 0);
	expect_fresh(f);
	fill_and_close(f);
	assert_int_equal(truncate(f->file, 100), 0);
	expect_fresh(f);
	fill_and_close(f);
	assert_int_equal(truncate(f->file, 0), 0);
	expect_fresh(f);
	/* not an LMDB file at all */
	unlink(f->file);
	int fd = open(f->file, O_WRONLY | O_CREAT, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "hello, not a database\n", 22), 22);
	close(fd);
	expect_fresh(f);
}

/* An LMDB file of another format version is replaced. */
static void test_other_format(void **state)
{
	struct fixture *f = *state;
	fill_and_close(f);
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi meta;
	assert_int_equal(mdb_env_create(&env), 0);
	assert_int_equal(mdb_env_set_maxdbs(env, 4), 0);
	assert_int_equal(mdb_env_open(env, f->file, MDB_NOSUBDIR, 0600), 0);
	assert_int_equal(mdb_txn_begin(env, NULL, 0, &txn), 0);
	assert_int_equal(mdb_dbi_open(txn, "meta", 0, &meta), 0);
	MDB_val k = { 6, "format" }, v = { 14, "rowan-hcache 0" };
	assert_int_equal(mdb_put(txn, meta, &k, &v, 0), 0);
	assert_int_equal(mdb_txn_commit(txn), 0);
	mdb_env_close(env);
	expect_fresh(f);
}

/* Damaged entries are skipped, deleted, and the rest still loads. */
static void test_damaged_entries(void **state)
{
	struct fixture *f = *state;
	fill_and_close(f);
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi messages;
	MDB_cursor *cursor;
	assert_int_equal(mdb_env_create(&env), 0);
	assert_int_equal(mdb_env_set_maxdbs(env, 4), 0);
	assert_int_equal(mdb_env_open(env, f->file, MDB_NOSUBDIR, 0600), 0);
	assert_int_equal(mdb_txn_begin(env, NULL, 0, &txn), 0);
	assert_int_equal(mdb_dbi_open(txn, "messages", 0, &messages), 0);
	assert_int_equal(mdb_cursor_open(txn, messages, &cursor), 0);
	MDB_val k, v;
	size_t n = 0;
	unsigned char buf[2048];
	while (mdb_cursor_get(cursor, &k, &v, n == 0 ? MDB_FIRST : MDB_NEXT) == 0) {
		n++;
		if (n % 100 != 0)
			continue;
		/* every 100th: a flipped byte, a cut, or another version */
		assert_true(v.mv_size <= sizeof buf);
		memcpy(buf, v.mv_data, v.mv_size);
		MDB_val nv = { v.mv_size, buf };
		if (n % 300 == 0)
			buf[v.mv_size / 2] ^= 0x20;
		else if (n % 300 == 100)
			nv.mv_size = v.mv_size - 3;
		else
			buf[0] = 9;
		assert_int_equal(mdb_cursor_put(cursor, &k, &nv, MDB_CURRENT), 0);
	}
	assert_int_equal(n, 2000);
	mdb_cursor_close(cursor);
	assert_int_equal(mdb_txn_commit(txn), 0);
	mdb_env_close(env);

	struct hcache *c = open_ok(f->cache, "acct");
	struct loaded l = { 0 };
	assert_int_equal(load(c, "INBOX", 1, &l), 1980);
	for (size_t i = 0; i < l.count; i++)
		assert_true(envelope_uid(l.items[i]) % 100 != 0);
	/* they were deleted: flags updates and a second load agree */
	struct rowan_err err;
	struct hcache_txn *t = hcache_begin(c, &err);
	assert_int_equal(hcache_put_flags(t, "INBOX", 1, 100, ENVELOPE_SEEN), 0);
	assert_int_equal(hcache_commit(&t, &err), 0);
	assert_int_equal(load(c, "INBOX", 1, &l), 1980);
	loaded_clear(&l);
	hcache_close(&c);
}

static void test_unusable_dir(void **state)
{
	struct fixture *f = *state;
	/* a regular file where a directory should be */
	char *file = path_join(f->dir, "plain");
	int fd = open(file, O_WRONLY | O_CREAT, 0600);
	assert_true(fd >= 0);
	close(fd);
	char *below = path_join(file, "cache");
	struct rowan_err err = { 0 };
	assert_null(hcache_open(below, "acct", &err));
	assert_int_equal(err.err_class, ROWAN_ERR_IO);
	assert_non_null(strstr(err.message, "plain"));
	memset(&err, 0, sizeof err);
	assert_null(hcache_open(file, "acct", &err));
	assert_int_equal(err.err_class, ROWAN_ERR_IO);
	free(below);
	free(file);
	/* a directory without write permission (root may write anyway) */
	if (geteuid() != 0) {
		char *ro = path_join(f->dir, "ro");
		assert_int_equal(mkdir(ro, 0500), 0);
		memset(&err, 0, sizeof err);
		assert_null(hcache_open(ro, "acct", &err));
		assert_int_equal(err.err_class, ROWAN_ERR_IO);
		assert_int_equal(chmod(ro, 0700), 0);
		free(ro);
	}
}

static void test_dir_created(void **state)
{
	struct fixture *f = *state;
	char *deep = path_join(f->cache, "a/b/c");
	struct hcache *c = open_ok(deep, "acct");
	put_range(c, "INBOX", 1, "z", 1, 1, 2);
	hcache_close(&c);
	char *file = path_join(deep, "headers.lmdb");
	struct stat st;
	assert_int_equal(stat(file, &st), 0);
	assert_int_equal(st.st_mode & 0077, 0);
	assert_int_equal(stat(deep, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	free(file);
	free(deep);
}

/* Two accounts' workers use the shared file at the same time. */
struct worker {
	const char *dir;
	char account[16];
	size_t loaded;
};

static void *worker_run(void *arg)
{
	struct worker *w = arg;
	struct rowan_err err;
	struct hcache *c = hcache_open(w->dir, w->account, &err);
	if (c == NULL)
		return NULL;
	for (uint32_t chunk = 0; chunk < 10; chunk++) {
		struct hcache_txn *txn = hcache_begin(c, &err);
		if (txn == NULL)
			break;
		for (uint32_t i = 1; i <= 50; i++) {
			struct envelope *e = make(w->account, chunk * 50 + i, 0);
			hcache_put(txn, "INBOX", 1, e);
			envelope_free(&e);
		}
		if (hcache_commit(&txn, &err) != 0)
			break;
		struct loaded l = { 0 };
		if (hcache_folder_load(c, "INBOX", 1, collect, &l, &err) == 0)
			w->loaded = l.count;
		loaded_clear(&l);
	}
	hcache_close(&c);
	return NULL;
}

static void test_threads(void **state)
{
	struct fixture *f = *state;
	struct worker workers[3];
	pthread_t threads[3];
	for (int i = 0; i < 3; i++) {
		workers[i].dir = f->cache;
		snprintf(workers[i].account, sizeof workers[i].account, "account%d", i);
		workers[i].loaded = 0;
		assert_int_equal(pthread_create(&threads[i], NULL, worker_run, &workers[i]), 0);
	}
	for (int i = 0; i < 3; i++) {
		pthread_join(threads[i], NULL);
		assert_int_equal(workers[i].loaded, 500);
	}
	struct hcache *c = open_ok(f->cache, "account1");
	struct loaded l = { 0 };
	assert_int_equal(load(c, "INBOX", 1, &l), 500);
	assert_string_equal(envelope_subject(l.items[499]), "account1 message 500");
	loaded_clear(&l);
	hcache_close(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip_many, setup, teardown),
		cmocka_unit_test_setup_teardown(test_accounts_and_folders_apart, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_folder_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_uidvalidity_and_drop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flags_and_delete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_folder_state, setup, teardown),
		cmocka_unit_test_setup_teardown(test_abort, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_format, setup, teardown),
		cmocka_unit_test_setup_teardown(test_damaged_entries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unusable_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dir_created, setup, teardown),
		cmocka_unit_test_setup_teardown(test_threads, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
