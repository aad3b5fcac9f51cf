/*
 * bench/hcache: how fast the header cache (src/store/hcache.c) stores and
 * loads the envelopes of a large folder, and how large its file gets.
 *
 *   bench/hcache [-n N] [-c CHUNK] [-d DIR]
 *
 * N envelopes (default 100,000) are generated in memory, then stored in
 * transactions of CHUNK puts (default 1000, as a folder sync writes them;
 * 0: one transaction), loaded back three times (the best time counts), their
 * flags all rewritten in one transaction; the file size is printed after
 * the puts and after the flag updates (LMDB copies every page it changes,
 * and later transactions reuse the freed ones).
 * DIR (default: a new directory under $TMPDIR or /tmp, removed at the end)
 * holds the cache.  Take figures from a build without sanitizers.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mail/envelope.h"
#include "store/hcache.h"
#include "util/util.h"

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint32_t rng(uint32_t below)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545F4914F6CDD1Dull) >> 32) % below;
}

static const char *const names[] = {
	"Ada Lovelace", "Grace Hopper", "=?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?=",
	"=?UTF-8?B?5bGx55SwIOWkqumDjg==?=", "Barbara Liskov", "Donald Knuth",
};
static const char *const subjects[] = {
	"Plans for the autumn release", "Weekly report", "Minutes of the meeting",
	"=?UTF-8?Q?R=C3=A9union_de_jeudi?=", "[PATCH v3 07/12] store: read mbox files without copying",
	"Build #4711 failed on the arm64 runner", "Lunch on Friday?",
};

static struct envelope *generate(uint32_t uid)
{
	struct buf b;
	buf_init(&b);
	char *s = xasprintf("From: %s <user%u@example.org>\n"
	                    "To: Team <team@example.org>, Someone Else <else%u@example.net>\n"
	                    "Subject: %s%s\n"
	                    "Date: Mon, 5 Oct 2026 10:%02u:00 +0200\n"
	                    "Message-ID: <%u.%u@mail.example.org>\n",
	                    names[rng(6)], rng(500), rng(90), rng(3) == 0 ? "Re: " : "",
	                    subjects[rng(7)], rng(60), uid, rng(1000000));
	buf_add_str(&b, s);
	free(s);
	unsigned depth = rng(5);
	if (depth > 0) {
		buf_add_str(&b, "References:");
		for (unsigned i = 0; i < depth; i++) {
			s = xasprintf(" <%u.%u@mail.example.org>", uid - i - 1, rng(1000000));
			buf_add_str(&b, s);
			free(s);
		}
		buf_add_str(&b, "\n");
	}
	if (rng(8) == 0)
		buf_add_str(&b, "Content-Type: multipart/mixed; boundary=x\n");
	struct envelope_meta meta = { uid, 1791190800 + uid, 2000 + rng(100000), rng(4) };
	char *text = buf_steal(&b);
	struct envelope *e = envelope_from_headers(text, strlen(text), &meta, NULL);
	free(text);
	return e;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int count_each(struct envelope *envelope, void *ctx)
{
	size_t *count = ctx;
	(*count)++;
	envelope_free(&envelope);
	return 0;
}

/* Resident pages of mapped files (kB), from /proc/self/status; -1 if unknown. */
static long rss_file_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = -1;
	while (f != NULL && fgets(line, sizeof line, f) != NULL)
		if (sscanf(line, "RssFile: %ld kB", &kb) == 1)
			break;
	if (f != NULL)
		fclose(f);
	return kb;
}

static void die(const char *what, const struct rowan_err *err)
{
	fprintf(stderr, "bench/hcache: %s: %s\n", what, err->message);
	exit(1);
}

int main(int argc, char **argv)
{
	size_t n = 100000, chunk = 1000;
	const char *dir_arg = NULL;
	int opt;
	while ((opt = getopt(argc, argv, "n:c:d:")) != -1) {
		if (opt == 'n')
			n = strtoul(optarg, NULL, 10);
		else if (opt == 'c')
			chunk = strtoul(optarg, NULL, 10);
		else if (opt == 'd')
			dir_arg = optarg;
		else {
			fprintf(stderr, "usage: bench/hcache [-n N] [-c CHUNK] [-d DIR]\n");
			return 2;
		}
	}
	char *dir;
	if (dir_arg != NULL) {
		dir = xstrdup(dir_arg);
	} else {
		const char *tmp = getenv("TMPDIR");
		dir = xasprintf("%s/rowan-bench-hcache-XXXXXX", tmp != NULL ? tmp : "/tmp");
		if (mkdtemp(dir) == NULL) {
			perror("mkdtemp");
			return 1;
		}
	}

	struct envelope **list = xcalloc(n, sizeof *list);
	size_t bytes = 0;
	for (size_t i = 0; i < n; i++) {
		list[i] = generate((uint32_t)i + 1);
		bytes += envelope_memory(list[i]);
	}

	struct rowan_err err;
	struct hcache *cache = hcache_open(dir, "bench@imap.example:993", &err);
	if (cache == NULL)
		die("open", &err);
	double t0 = now();
	struct hcache_txn *txn = NULL;
	for (size_t i = 0; i < n; i++) {
		if (txn == NULL && (txn = hcache_begin(cache, &err)) == NULL)
			die("begin", &err);
		if (hcache_put(txn, "INBOX", 42, list[i]) != 0) {
			hcache_abort(&txn);
			fprintf(stderr, "bench/hcache: put failed\n");
			return 1;
		}
		if ((chunk > 0 && (i + 1) % chunk == 0) || i + 1 == n)
			if (hcache_commit(&txn, &err) != 0)
				die("commit", &err);
	}
	double put_time = now() - t0;
	char *file = path_join(dir, "headers.lmdb");
	struct stat st;
	long long put_size = stat(file, &st) == 0 ? (long long)st.st_size : -1;

	double load_time = 1e9;
	for (int run = 0; run < 3; run++) {
		size_t count = 0;
		t0 = now();
		if (hcache_folder_load(cache, "INBOX", 42, count_each, &count, &err) != 0)
			die("load", &err);
		double t = now() - t0;
		if (count != n) {
			fprintf(stderr, "bench/hcache: loaded %zu of %zu\n", count, n);
			return 1;
		}
		if (t < load_time)
			load_time = t;
	}
	long rss_after_load = rss_file_kb();

	t0 = now();
	if ((txn = hcache_begin(cache, &err)) == NULL)
		die("begin", &err);
	for (size_t i = 0; i < n; i++)
		hcache_put_flags(txn, "INBOX", 42, envelope_uid(list[i]), ENVELOPE_SEEN);
	if (hcache_commit(&txn, &err) != 0)
		die("commit", &err);
	double flags_time = now() - t0;
	hcache_close(&cache);

	long long size = stat(file, &st) == 0 ? (long long)st.st_size : -1;
	printf("envelopes:   %zu, %.0f bytes each in memory\n", n, (double)bytes / (double)n);
	printf("put:         %.3f s, %.0f envelopes/s (transactions of %zu)\n", put_time,
	       (double)n / put_time, chunk > 0 ? chunk : n);
	printf("load:        %.3f s, %.0f envelopes/s (best of 3)\n", load_time,
	       (double)n / load_time);
	printf("mapped file pages resident after the loads: %ld kB\n", rss_after_load);
	printf("put_flags:   %.3f s, %.0f updates/s (one transaction)\n", flags_time,
	       (double)n / flags_time);
	printf("file size:   %lld bytes after the puts (%.0f per envelope), %lld after "
	       "the flag updates\n", put_size, (double)put_size / (double)n, size);

	if (dir_arg == NULL) {
		char *lock = xasprintf("%s-lock", file);
		unlink(file);
		unlink(lock);
		rmdir(dir);
		free(lock);
	}
	free(file);
	for (size_t i = 0; i < n; i++)
		envelope_free(&list[i]);
	free(list);
	free(dir);
	return 0;
}
