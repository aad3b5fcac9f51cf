/*
 * Unit tests for src/mail/folder.c and folder_sort.c: sort names, subject
 * prefixes, the display order of every sort (and reversed) with its tie
 * breaks, replacing and removing messages, counts, positions, the next
 * unseen message, and a 100,000-message folder arriving in batches.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "mail/envelope.h"
#include "mail/folder.h"
#include "mail/folder_private.h"
#include "util/util.h"

/* An envelope with these fields; date is "Mon, 5 Oct 2026 HH:MM:00 +0000"-ish
 * seconds after a base, arrival likewise. */
static struct envelope *make(uint32_t uid, const char *from, const char *to,
                             const char *subject, long date, long arrival,
                             uint64_t size, unsigned flags)
{
	/* 2026-10-05 00:00:00 UTC */
	const time_t base = (time_t)1791158400;
	char datebuf[64];
	time_t when = base + date;
	struct tm tm;
	gmtime_r(&when, &tm);
	strftime(datebuf, sizeof datebuf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
	char *header = xasprintf("From: %s\nTo: %s\nSubject: %s\nDate: %s\n\n", from,
	                         to, subject, datebuf);
	struct envelope_meta meta = {
		.uid = uid, .arrival = base + arrival, .size = size, .flags = flags,
	};
	struct envelope *e = envelope_from_headers(header, strlen(header), &meta, NULL);
	free(header);
	return e;
}

/* The UIDs in display order as "3 1 2". */
static char *order(const struct folder *folder)
{
	struct buf b;
	buf_init(&b);
	for (size_t i = 0; i < folder_count(folder); i++)
		buf_printf(&b, "%s%u", i ? " " : "", envelope_uid(folder_get(folder, i)));
	return buf_steal(&b);
}

static void assert_order(const struct folder *folder, const char *want)
{
	char *got = order(folder);
	if (strcmp(got, want) != 0) {
		fail_msg("order \"%s\", want \"%s\"", got, want);
	}
	free(got);
}

/* ---- names and prefixes ---- */

static void test_sort_parse(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		enum folder_sort sort;
		bool reverse;
	} cases[] = {
		{ "date", FOLDER_SORT_DATE, false },
		{ "date-sent", FOLDER_SORT_DATE, false },
		{ "date-received", FOLDER_SORT_RECEIVED, false },
		{ "reverse-date-received", FOLDER_SORT_RECEIVED, true },
		{ "from", FOLDER_SORT_FROM, false },
		{ "to", FOLDER_SORT_TO, false },
		{ "reverse-subject", FOLDER_SORT_SUBJECT, true },
		{ "size", FOLDER_SORT_SIZE, false },
		{ "unsorted", FOLDER_SORT_UNSORTED, false },
		{ "threads", FOLDER_SORT_DATE, false },
		{ "reverse-threads", FOLDER_SORT_DATE, true },
		{ "bogus", FOLDER_SORT_DATE, false },
		{ "", FOLDER_SORT_DATE, false },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		bool reverse = !cases[i].reverse;
		enum folder_sort sort = folder_sort_parse(cases[i].name, &reverse);
		if (sort != cases[i].sort || reverse != cases[i].reverse)
			fail_msg("\"%s\": sort %d reverse %d", cases[i].name, (int)sort,
			         (int)reverse);
	}
}

static void test_subject_strip(void **state)
{
	(void)state;
	static const struct {
		const char *subject;
		const char *stripped;
	} cases[] = {
		{ "Hello", "Hello" },
		{ "Re: Hello", "Hello" },
		{ "RE: Hello", "Hello" },
		{ "re:Hello", "Hello" },
		{ "Re: Re: Fwd: hello", "hello" },
		{ "Fw: FWD: AW: SV: x", "x" },
		{ "Aw: Sv: y", "y" },
		{ "Re[2]: z", "z" },
		{ "  Re:  spaced", "spaced" },
		{ "Re", "Re" },
		{ "Reply: no", "Reply: no" },
		{ "Regarding: no", "Regarding: no" },
		{ "Re[x]: no", "Re[x]: no" },
		{ "Subject Re: inside", "Subject Re: inside" },
		{ "", "" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_string_equal(folder_subject_strip(cases[i].subject),
		                    cases[i].stripped);
}

/* ---- order ---- */

static struct folder *five(enum folder_sort sort, bool reverse)
{
	struct folder *folder = folder_new(sort, reverse);
	struct envelope *batch[5] = {
		/* uid, from, to, subject, date, arrival, size, flags */
		make(4, "bob@x.example", "Zed <z@x.example>", "Re: apple", 300, 50, 900, 0),
		make(2, "Carol <c@x.example>", "amy@x.example", "banana", 100, 40, 10,
		     ENVELOPE_SEEN),
		make(9, "alice@x.example", "Bea <b@x.example>", "AW: Cherry", 100, 30, 5000,
		     ENVELOPE_SEEN | ENVELOPE_FLAGGED),
		make(1, "Dave <d@x.example>", "carl@x.example", "Fwd: APPLE", 200, 20, 10,
		     ENVELOPE_DELETED),
		make(7, "BOB@x.example", "zed@x.example", "apple", 100, 10, 77, ENVELOPE_SEEN),
	};
	folder_add(folder, batch, 5);
	return folder;
}

static void test_sort_orders(void **state)
{
	(void)state;
	static const struct {
		enum folder_sort sort;
		const char *forward;
		const char *reverse;
	} cases[] = {
		/* dates: 2,9,7 at 100 (ties by UID), 1 at 200, 4 at 300 */
		{ FOLDER_SORT_DATE, "2 7 9 1 4", "4 1 9 7 2" },
		{ FOLDER_SORT_RECEIVED, "7 1 9 2 4", "4 2 9 1 7" },
		/* from display: alice, bob (4, date 300), BOB (7, date 100), Carol, Dave */
		{ FOLDER_SORT_FROM, "9 7 4 2 1", "1 2 4 7 9" },
		/* to: amy, Bea, carl, Zed <..>, zed@ */
		{ FOLDER_SORT_TO, "2 9 1 4 7", "7 4 1 9 2" },
		/* apple: 7 (100), 1 (200), 4 (300); banana; cherry */
		{ FOLDER_SORT_SUBJECT, "7 1 4 2 9", "9 2 4 1 7" },
		/* size 10: 2 (date 100), 1 (200); 77; 900; 5000 */
		{ FOLDER_SORT_SIZE, "2 1 7 4 9", "9 4 7 1 2" },
		{ FOLDER_SORT_UNSORTED, "1 2 4 7 9", "9 7 4 2 1" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct folder *folder = five(cases[i].sort, false);
		assert_order(folder, cases[i].forward);
		folder_set_sort(folder, cases[i].sort, true);
		assert_order(folder, cases[i].reverse);
		folder_free(&folder);
		assert_null(folder);

		/* built reversed from the start, then turned forward */
		folder = five(cases[i].sort, true);
		assert_order(folder, cases[i].reverse);
		folder_set_sort(folder, cases[i].sort, false);
		assert_order(folder, cases[i].forward);
		folder_free(&folder);
	}
}

static void test_batches_merge(void **state)
{
	(void)state;
	struct folder *folder = folder_new(FOLDER_SORT_DATE, false);
	/* one at a time, in an order that puts each new one in the middle */
	static const long dates[] = { 50, 10, 90, 30, 70, 20, 80, 60, 40 };
	for (uint32_t i = 0; i < 9; i++) {
		struct envelope *e = make(i + 1, "a@x", "b@x", "s", dates[i], 0, 1, 0);
		folder_add(folder, &e, 1);
	}
	assert_order(folder, "2 6 4 9 1 8 5 7 3");
	folder_add(folder, NULL, 0);
	assert_int_equal(folder_count(folder), 9);
	folder_free(&folder);
	folder_free(&folder); /* NULL is fine */
}

/* ---- replacing, removing, flags, counts ---- */

static void assert_counts(const struct folder *folder, size_t count, size_t unseen,
                          size_t deleted, size_t flagged)
{
	assert_int_equal(folder_count(folder), count);
	assert_int_equal(folder_count_unseen(folder), unseen);
	assert_int_equal(folder_count_deleted(folder), deleted);
	assert_int_equal(folder_count_flagged(folder), flagged);
}

static void test_counts_and_changes(void **state)
{
	(void)state;
	struct folder *folder = five(FOLDER_SORT_DATE, false);
	/* unseen: 4, 1; deleted: 1; flagged: 9 */
	assert_counts(folder, 5, 2, 1, 1);

	/* flags */
	assert_true(folder_set_flags(folder, 4, ENVELOPE_SEEN | ENVELOPE_FLAGGED));
	assert_counts(folder, 5, 1, 1, 2);
	assert_false(folder_set_flags(folder, 5, ENVELOPE_SEEN));
	assert_true(folder_set_flags(folder, 1, ENVELOPE_SEEN));
	assert_counts(folder, 5, 0, 0, 2);
	assert_int_equal(envelope_flags(folder_find(folder, 1)), ENVELOPE_SEEN);
	assert_order(folder, "2 7 9 1 4");

	/* a replacement moves the message and changes the counts */
	struct envelope *e = make(2, "a@x", "b@x", "new", 250, 0, 1, ENVELOPE_DELETED);
	folder_add(folder, &e, 1);
	assert_ptr_equal(folder_find(folder, 2), e);
	assert_order(folder, "7 9 1 2 4");
	assert_counts(folder, 5, 1, 1, 2);

	/* twice in one batch: the later one wins; a new one too */
	struct envelope *batch[3] = {
		make(9, "a@x", "b@x", "first", 1000, 0, 1, 0),
		make(3, "a@x", "b@x", "three", 0, 0, 1, ENVELOPE_SEEN),
		make(9, "a@x", "b@x", "second", 5, 0, 1, ENVELOPE_SEEN),
	};
	folder_add(folder, batch, 3);
	assert_order(folder, "3 9 7 1 2 4");
	assert_string_equal(envelope_subject(folder_find(folder, 9)), "second");
	assert_counts(folder, 6, 1, 1, 1);

	/* positions */
	assert_int_equal(folder_position(folder, 3), 0);
	assert_int_equal(folder_position(folder, 4), 5);
	assert_int_equal(folder_position(folder, 1), 3);
	assert_int_equal(folder_position(folder, 42), -1);
	assert_null(folder_find(folder, 42));
	assert_null(folder_get(folder, 6));

	/* removing, unknown UIDs ignored, twice ignored */
	static const uint32_t gone[] = { 7, 42, 2, 7 };
	folder_remove(folder, gone, 4);
	assert_order(folder, "3 9 1 4");
	assert_counts(folder, 4, 0, 0, 1);
	assert_null(folder_find(folder, 7));
	assert_int_equal(folder_position(folder, 4), 3);
	folder_remove(folder, NULL, 0);
	assert_int_equal(folder_count(folder), 4);

	folder_clear(folder);
	assert_counts(folder, 0, 0, 0, 0);
	assert_null(folder_find(folder, 3));
	assert_int_equal(folder_next_unseen(folder, 0, false), -1);
	e = make(3, "a@x", "b@x", "again", 0, 0, 1, 0);
	folder_add(folder, &e, 1);
	assert_counts(folder, 1, 1, 0, 0);
	folder_free(&folder);
}

static void test_next_unseen(void **state)
{
	(void)state;
	struct folder *folder = folder_new(FOLDER_SORT_UNSORTED, false);
	struct envelope *batch[6];
	/* positions 0..5 = UIDs 1..6; unseen: 2 and 5 */
	for (uint32_t i = 0; i < 6; i++)
		batch[i] = make(i + 1, "a@x", "b@x", "s", 0, 0, 1,
		                i == 1 || i == 4 ? 0 : ENVELOPE_SEEN);
	folder_add(folder, batch, 6);
	static const struct {
		size_t pos;
		bool backward;
		long want;
	} cases[] = {
		{ 0, false, 1 }, { 1, false, 4 }, { 4, false, 1 }, { 5, false, 1 },
		{ 2, false, 4 }, { 0, true, 4 }, { 1, true, 4 }, { 4, true, 1 },
		{ 3, true, 1 }, { 5, true, 4 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		long got = folder_next_unseen(folder, cases[i].pos, cases[i].backward);
		if (got != cases[i].want)
			fail_msg("case %zu: from %zu%s got %ld want %ld", i, cases[i].pos,
			         cases[i].backward ? " backward" : "", got, cases[i].want);
	}
	/* the only unseen one is pos itself: found after wrapping round */
	folder_set_flags(folder, 2, ENVELOPE_SEEN);
	assert_int_equal(folder_next_unseen(folder, 4, false), 4);
	assert_int_equal(folder_next_unseen(folder, 4, true), 4);
	folder_set_flags(folder, 5, ENVELOPE_SEEN);
	assert_int_equal(folder_next_unseen(folder, 4, false), -1);
	folder_free(&folder);
}

/* ---- a big folder ---- */

#define BIG 100000u
#define BATCHES 50u

static uint32_t rng_state = 12345;
static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

/* Check order, positions, lookups and counts against a recount. */
static void check_folder(const struct folder *folder, enum folder_sort sort,
                         bool reverse)
{
	size_t n = folder_count(folder), unseen = 0, deleted = 0, flagged = 0;
	for (size_t i = 0; i < n; i++) {
		const struct envelope *e = folder_get(folder, i);
		if (i + 1 < n &&
		    folder_envelope_compare(e, folder_get(folder, i + 1), sort, reverse) >= 0)
			fail_msg("sort %d reverse %d: positions %zu and %zu out of order",
			         (int)sort, (int)reverse, i, i + 1);
		if (folder_find(folder, envelope_uid(e)) != e)
			fail_msg("uid %u not found", envelope_uid(e));
		if (folder_position(folder, envelope_uid(e)) != (long)i)
			fail_msg("uid %u: position %ld, want %zu", envelope_uid(e),
			         folder_position(folder, envelope_uid(e)), i);
		unsigned flags = envelope_flags(e);
		unseen += !(flags & ENVELOPE_SEEN);
		deleted += (flags & ENVELOPE_DELETED) != 0;
		flagged += (flags & ENVELOPE_FLAGGED) != 0;
	}
	assert_int_equal(folder_count_unseen(folder), unseen);
	assert_int_equal(folder_count_deleted(folder), deleted);
	assert_int_equal(folder_count_flagged(folder), flagged);
}

static void test_big_folder(void **state)
{
	(void)state;
	static const char *const subjects[] = {
		"Re: status", "status", "Fwd: Status", "lunch", "AW: Lunch", "zebra",
	};
	static const char *const senders[] = {
		"Ann <ann@x.example>", "bob@x.example", "Cy <cy@x.example>",
	};
	size_t per_batch = BIG / BATCHES;
	struct envelope **batch = xmalloc(per_batch * sizeof *batch);
	struct folder *folder = folder_new(FOLDER_SORT_RECEIVED, false);
	struct timespec t0, t1;
	double add_seconds = 0;

	/* UIDs 1..BIG arrive newest batch first, shuffled within a batch;
	 * dates repeat a lot so the tie breaks matter. */
	for (uint32_t b = 0; b < BATCHES; b++) {
		uint32_t first = BIG - (b + 1) * (uint32_t)per_batch + 1;
		for (size_t i = 0; i < per_batch; i++) {
			uint32_t uid = first + (uint32_t)i;
			batch[i] = make(uid, senders[uid % 3], "to@x.example",
			                subjects[uid % 6], (long)(rng() % 5000),
			                (long)(uid / 3), 100 + rng() % 50,
			                rng() % 4 == 0 ? 0 : ENVELOPE_SEEN |
			                (uid % 17 == 0 ? ENVELOPE_FLAGGED : 0) |
			                (uid % 23 == 0 ? ENVELOPE_DELETED : 0));
		}
		for (size_t i = per_batch - 1; i > 0; i--) {
			size_t j = rng() % (i + 1);
			struct envelope *tmp = batch[i];
			batch[i] = batch[j];
			batch[j] = tmp;
		}
		clock_gettime(CLOCK_MONOTONIC, &t0);
		folder_add(folder, batch, per_batch);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		add_seconds += (double)(t1.tv_sec - t0.tv_sec) +
		               (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	}
	print_message("# %u envelopes added in %u batches in %.3f s\n", BIG, BATCHES,
	              add_seconds);
	assert_int_equal(folder_count(folder), BIG);
	check_folder(folder, FOLDER_SORT_RECEIVED, false);

	/* replace 1000 with changed dates and flags */
	for (size_t i = 0; i < 1000; i++)
		batch[i] = make(1 + rng() % BIG, "new@x.example", "to@x.example", "changed",
		                (long)(rng() % 5000), (long)(rng() % 40000), 1,
		                ENVELOPE_FLAGGED);
	folder_add(folder, batch, 1000);
	check_folder(folder, FOLDER_SORT_RECEIVED, false);

	/* remove every tenth */
	uint32_t *uids = xmalloc((BIG / 10) * sizeof *uids);
	for (uint32_t i = 0; i < BIG / 10; i++)
		uids[i] = 10 * i + 1;
	folder_remove(folder, uids, BIG / 10);
	free(uids);
	assert_int_equal(folder_count(folder), BIG - BIG / 10);
	check_folder(folder, FOLDER_SORT_RECEIVED, false);

	static const enum folder_sort sorts[] = {
		FOLDER_SORT_DATE, FOLDER_SORT_SUBJECT, FOLDER_SORT_FROM,
		FOLDER_SORT_SIZE, FOLDER_SORT_UNSORTED, FOLDER_SORT_TO,
	};
	for (size_t s = 0; s < sizeof sorts / sizeof sorts[0]; s++) {
		bool reverse = s % 2 == 1;
		folder_set_sort(folder, sorts[s], reverse);
		check_folder(folder, sorts[s], reverse);
	}
	/* flag changes keep the counts */
	for (uint32_t uid = 2; uid < BIG; uid += 7)
		folder_set_flags(folder, uid, ENVELOPE_SEEN | ENVELOPE_DELETED);
	check_folder(folder, FOLDER_SORT_TO, true);

	free(batch);
	folder_free(&folder);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sort_parse),
		cmocka_unit_test(test_subject_strip),
		cmocka_unit_test(test_sort_orders),
		cmocka_unit_test(test_batches_merge),
		cmocka_unit_test(test_counts_and_changes),
		cmocka_unit_test(test_next_unseen),
		cmocka_unit_test(test_big_folder),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
