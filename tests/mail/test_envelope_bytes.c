/*
 * Unit tests for the byte form of an envelope (envelope_to_bytes,
 * envelope_from_bytes, envelope_bytes_set_flags): round trips over
 * varied envelopes, the documented layout, and damaged input — every
 * truncation, every single-byte change, random flips, structurally
 * invalid records with a correct checksum and plain garbage — which
 * must give NULL, never a crash or a silently different envelope.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mail/envelope.h"
#include "util/util.h"

static const char *const samples[] = {
	"",
	"From: Ada Lovelace <ada@analytical.example>\n"
	"To: Grace Hopper <grace@navy.example>\n"
	"Subject: Plans for the autumn release\n"
	"Date: Mon, 5 Oct 2026 10:35:00 +0000\n"
	"Message-ID: <thread-1@rowan.example>\n",

	"From: =?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <juergen@beispiel.example>\n"
	"To: =?ISO-8859-1?Q?Fran=E7oise_Dupr=E9?= <francoise@exemple.example>,\n"
	" \"Linus T.\" <linus@kernel.example>, grace@navy.example\n"
	"Cc: =?UTF-8?B?5bGx55SwIOWkqumDjg==?= <taro@yamada.example>\n"
	"Subject: =?UTF-8?B?0J/RgNC40LLQtdGCINC40Lcg0JzQvtGB0LrQstGL?=\n"
	"Date: Tue, 6 Oct 2026 01:20:00 +0300\n"
	"Message-ID: <story-7@rowan.example>\n",

	"From: J\xfcrgen M\xfcller <juergen@beispiel.example>\n"
	"Subject: R\xe9union de jeudi\n"
	"Date: Thu, 8 Oct 2026 14:00:00 -1130\n",

	"From: grace@navy.example\n"
	"Subject: no date here\n",

	"From: \"Grace Hopper\" <grace@navy.example>\n"
	"To: release@lists.rowan.example\n"
	"Subject: Re: Plans for the autumn release\n"
	"Date: Mon, 5 Oct 2026 06:20:00 -0500\n"
	"Message-ID: <thread-3@rowan.example>\n"
	"In-Reply-To: <thread-2@rowan.example>\n"
	"References: <thread-1@rowan.example>\n"
	"\t<thread-2@rowan.example>\n",

	"From: Someone <s@x.example>\n"
	"In-Reply-To: <elsewhere@rowan.example>\n"
	"References: <thread-1@rowan.example>\n"
	"Content-Type: multipart/mixed; boundary=\"b\"\n",

	"To: Friends: Ann <ann@x.example>, bob@y.example;\n"
	"Cc: undisclosed-recipients:;\n"
	"Content-Disposition: attachment; filename=x.pdf\n",
};

/* Envelopes with very long fields, built at run time. */
static char *long_sample(int which)
{
	struct buf b;
	buf_init(&b);
	buf_add_str(&b, "From: ");
	for (int i = 0; i < 60; i++)
		buf_add_str(&b, "Name");
	buf_add_str(&b, " <a@b.example>\nTo: ");
	for (int i = 0; i < 40; i++)
		buf_add_str(&b, i == 0 ? "r0@x.example" : ", r@x.example");
	buf_add_str(&b, "\nSubject: ");
	for (int i = 0; i < 400; i++)
		buf_add_str(&b, which ? "\xc3\xa4" : "s");
	buf_add_str(&b, "\nReferences:");
	for (int i = 0; i < 200; i++) {
		char id[64];
		snprintf(id, sizeof id, " <id-%d-%d@rowan.example>", which, i);
		buf_add_str(&b, id);
	}
	buf_add_str(&b, "\nIn-Reply-To: <id-0-199@rowan.example>\n");
	return buf_steal(&b);
}

/* Every sample under several metas; *count set.  Free with free_all. */
static struct envelope **all_envelopes(size_t *count)
{
	static const struct envelope_meta metas[] = {
		{ 0, 0, 0, 0 },
		{ 7, 1791190800, 2048, ENVELOPE_SEEN },
		{ UINT32_MAX, -86400 * 365, UINT64_MAX, ENVELOPE_FLAGS_ALL },
		{ 123456, 4102444800, 4000000000u, ENVELOPE_FLAGGED | ENVELOPE_DRAFT },
	};
	size_t nsamples = sizeof samples / sizeof samples[0] + 2;
	size_t nmetas = sizeof metas / sizeof metas[0];
	struct envelope **list = xcalloc(nsamples * nmetas, sizeof *list);
	size_t n = 0;
	for (size_t s = 0; s < nsamples; s++) {
		char *owned = s >= nsamples - 2 ? long_sample((int)(s - (nsamples - 2))) : NULL;
		const char *text = owned != NULL ? owned : samples[s];
		for (size_t m = 0; m < nmetas; m++)
			list[n++] = envelope_from_headers(text, strlen(text), &metas[m], NULL);
		free(owned);
	}
	*count = n;
	return list;
}

static void free_all(struct envelope **list, size_t count)
{
	for (size_t i = 0; i < count; i++)
		envelope_free(&list[i]);
	free(list);
}

/* The checksum as envelope.h documents it, written out independently. */
static uint64_t le64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static uint64_t step(uint64_t h, uint64_t w)
{
	h ^= w;
	h = h << 31 | h >> 33;
	return h * UINT64_C(0x9e3779b97f4a7c15);
}

static void fix_checksum(unsigned char *p, size_t len)
{
	uint64_t h = step(UINT64_C(0xcbf29ce484222325), le64(p));
	size_t i = 16;
	for (; i + 8 <= len; i += 8)
		h = step(h, le64(p + i));
	if (i < len) {
		unsigned char tail[8] = { 0 };
		memcpy(tail, p + i, len - i);
		h = step(h, le64(tail));
	}
	h = step(h, len);
	for (int k = 0; k < 8; k++)
		p[8 + k] = (unsigned char)(h >> (8 * k));
}

static void test_round_trip(void **state)
{
	(void)state;
	size_t count;
	struct envelope **list = all_envelopes(&count);
	/* an empty envelope's text is the single shared NUL */
	struct envelope *empty = envelope_from_headers("", 0, NULL, NULL);
	size_t fixed = envelope_memory(empty) - 1;
	envelope_free(&empty);
	for (size_t i = 0; i < count; i++) {
		size_t len;
		unsigned char *bytes = envelope_to_bytes(list[i], &len);
		/* the fixed part is 56 bytes, the text is copied as it is */
		assert_int_equal(len, 56 + envelope_memory(list[i]) - fixed);
		struct envelope *back = envelope_from_bytes(bytes, len);
		assert_non_null(back);
		assert_true(envelope_equal(list[i], back));
		assert_int_equal(envelope_memory(back), envelope_memory(list[i]));
		assert_string_equal(envelope_subject(back), envelope_subject(list[i]));
		assert_string_equal(envelope_in_reply_to(back), envelope_in_reply_to(list[i]));
		assert_int_equal(envelope_date_is_fallback(back),
		                 envelope_date_is_fallback(list[i]));
		assert_int_equal(envelope_has_attachment(back), envelope_has_attachment(list[i]));
		/* stable: the same bytes again */
		size_t len2;
		unsigned char *again = envelope_to_bytes(back, &len2);
		assert_int_equal(len, len2);
		assert_memory_equal(bytes, again, len);
		free(again);
		free(bytes);
		envelope_free(&back);
	}
	free_all(list, count);
}

static void test_layout(void **state)
{
	(void)state;
	struct envelope_meta meta = { 0x01020304u, 0x0102030405, 0xa0b0c0d0u,
	                              ENVELOPE_SEEN | ENVELOPE_FLAGGED };
	const char *h = "From: <a@b.example>\nSubject: x\nDate: Mon, 5 Oct 2026 10:35:00 -0130\n"
	                "Content-Type: multipart/mixed; boundary=b\n";
	struct envelope *e = envelope_from_headers(h, strlen(h), &meta, NULL);
	size_t len;
	unsigned char *p = envelope_to_bytes(e, &len);
	assert_int_equal(p[0], ENVELOPE_BYTES_VERSION);
	assert_int_equal(p[0], 1);
	assert_int_equal(p[1], ENVELOPE_SEEN | ENVELOPE_FLAGGED);
	assert_int_equal(p[2], 0x01);   /* attachment, real date */
	assert_int_equal(p[3], 0);
	assert_int_equal((int16_t)(p[4] | p[5] << 8), -90);
	assert_int_equal(p[6] | p[7] << 8, len - 56);
	assert_int_equal(le64(p + 16), (uint64_t)envelope_date(e));
	assert_int_equal(le64(p + 24), 0x0102030405);
	const unsigned char uid[4] = { 4, 3, 2, 1 };
	assert_memory_equal(p + 32, uid, 4);
	const unsigned char size[4] = { 0xd0, 0xc0, 0xb0, 0xa0 };
	assert_memory_equal(p + 36, size, 4);
	/* the offset of the from address (field 1) and of the subject (4) */
	assert_string_equal((char *)p + 56 + (p[42] | p[43] << 8), "a@b.example");
	assert_string_equal((char *)p + 56 + (p[48] | p[49] << 8), "x");
	assert_int_equal(p[len - 1], 0);
	/* the documented checksum */
	unsigned char *copy = xmalloc(len);
	memcpy(copy, p, len);
	fix_checksum(copy, len);
	assert_memory_equal(copy, p, len);
	free(copy);
	free(p);
	envelope_free(&e);
}

/* A valid record to damage; *len set. */
static unsigned char *sample_bytes(size_t *len)
{
	const char *h = samples[5];
	struct envelope_meta meta = { 42, 1791190800, 999, ENVELOPE_ANSWERED };
	struct envelope *e = envelope_from_headers(h, strlen(h), &meta, NULL);
	unsigned char *p = envelope_to_bytes(e, len);
	envelope_free(&e);
	return p;
}

static void test_truncated_and_extended(void **state)
{
	(void)state;
	size_t len;
	unsigned char *p = sample_bytes(&len);
	for (size_t n = 0; n < len; n++) {
		/* a copy of exactly n bytes, so ASan sees any overread */
		unsigned char *cut = xmalloc(n > 0 ? n : 1);
		memcpy(cut, p, n);
		assert_null(envelope_from_bytes(cut, n));
		assert_int_equal(envelope_bytes_set_flags(cut, n, 0), -1);
		free(cut);
	}
	unsigned char *longer = xmalloc(len + 8);
	memcpy(longer, p, len);
	memset(longer + len, 0, 8);
	for (size_t extra = 1; extra <= 8; extra++)
		assert_null(envelope_from_bytes(longer, len + extra));
	assert_null(envelope_from_bytes(NULL, len));
	free(longer);
	free(p);
}

static void test_every_single_byte_change(void **state)
{
	(void)state;
	size_t len;
	unsigned char *p = sample_bytes(&len);
	static const unsigned char masks[] = { 0x01, 0x02, 0x10, 0x80, 0xff, 0x5a };
	for (size_t i = 0; i < len; i++) {
		for (size_t m = 0; m < sizeof masks; m++) {
			p[i] ^= masks[m];
			struct envelope *e = envelope_from_bytes(p, len);
			if (e != NULL)
				fail_msg("byte %zu ^ 0x%02x accepted", i, masks[m]);
			p[i] ^= masks[m];
		}
	}
	struct envelope *whole = envelope_from_bytes(p, len);
	assert_non_null(whole);
	envelope_free(&whole);
	free(p);
}

static void test_random_flips(void **state)
{
	(void)state;
	size_t count;
	struct envelope **list = all_envelopes(&count);
	unsigned seed = 12345;
	size_t accepted = 0;
	for (int round = 0; round < 20000; round++) {
		struct envelope *orig = list[(size_t)round % count];
		size_t len;
		unsigned char *p = envelope_to_bytes(orig, &len);
		int flips = 1 + (int)(rand_r(&seed) % 8);
		for (int k = 0; k < flips; k++)
			p[(size_t)rand_r(&seed) % len] ^= (unsigned char)(1 + rand_r(&seed) % 255);
		/* sometimes also a random length */
		size_t n = rand_r(&seed) % 4 == 0 ? (size_t)rand_r(&seed) % (len + 1) : len;
		struct envelope *e = envelope_from_bytes(p, n);
		if (e != NULL) {
			/* only possible when the flips cancelled out */
			assert_true(envelope_equal(e, orig));
			accepted++;
		}
		envelope_free(&e);
		free(p);
	}
	(void)accepted;
	free_all(list, count);
}

/* Records with a correct checksum but an invalid structure. */
static void test_invalid_structure(void **state)
{
	(void)state;
	size_t len;
	unsigned char *good = sample_bytes(&len);
	unsigned char *p = xmalloc(len);
	uint16_t text_len = (uint16_t)(good[6] | good[7] << 8);

	struct {
		size_t at;
		unsigned char value;
	} cases[] = {
		{ 0, 0 }, { 0, 2 }, { 0, 0xff },              /* version */
		{ 1, 0x40 }, { 1, 0x80 },                      /* flags */
		{ 2, 0x04 }, { 2, 0xff },                      /* bits */
		{ 3, 1 },                                      /* reserved */
		{ 5, 0x7f },                                   /* zone 32k */
		{ 40, (unsigned char)text_len }, { 41, 0xff }, /* from name offset */
		{ 54, (unsigned char)text_len }, { 55, 0x80 }, /* references offset */
		{ len - 1, 'x' },                              /* no final NUL */
	};
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		memcpy(p, good, len);
		if (cases[c].at == 40 || cases[c].at == 54)
			p[cases[c].at + 1] = (unsigned char)(text_len >> 8);
		p[cases[c].at] = cases[c].value;
		fix_checksum(p, len);
		if (envelope_from_bytes(p, len) != NULL)
			fail_msg("case %zu accepted", c);
		assert_int_equal(envelope_bytes_set_flags(p, len, 0), -1);
	}
	/* zone just in range, offset just in range: accepted */
	memcpy(p, good, len);
	p[4] = (unsigned char)(1440 & 0xff);
	p[5] = (unsigned char)(1440 >> 8);
	p[40] = (unsigned char)(text_len - 1);
	p[41] = (unsigned char)((text_len - 1) >> 8);
	fix_checksum(p, len);
	struct envelope *e = envelope_from_bytes(p, len);
	assert_non_null(e);
	assert_int_equal(envelope_zone_minutes(e), 1440);
	assert_string_equal(envelope_from_name(e), "");
	envelope_free(&e);
	/* text length 0, and one that disagrees with the length */
	memcpy(p, good, len);
	p[6] = p[7] = 0;
	fix_checksum(p, 56);
	assert_null(envelope_from_bytes(p, 56));
	memcpy(p, good, len);
	p[6] = (unsigned char)(text_len - 1);
	p[7] = (unsigned char)((text_len - 1) >> 8);
	fix_checksum(p, len);
	assert_null(envelope_from_bytes(p, len));
	/* the same, one byte shorter: lengths agree, but the text (cut in the
	 * references) does not end in NUL */
	fix_checksum(p, len - 1);
	struct envelope *cut = envelope_from_bytes(p, len - 1);
	assert_null(cut);
	free(p);
	free(good);
}

static void test_garbage(void **state)
{
	(void)state;
	unsigned seed = 777;
	unsigned char buf[600];
	for (int round = 0; round < 20000; round++) {
		size_t n = (size_t)rand_r(&seed) % sizeof buf;
		for (size_t i = 0; i < n; i++)
			buf[i] = (unsigned char)rand_r(&seed);
		if (n > 0 && round % 2 == 0)
			buf[0] = ENVELOPE_BYTES_VERSION;
		if (n >= 8 && round % 3 == 0) {
			buf[6] = (unsigned char)((n - 56) & 0xff);
			buf[7] = (unsigned char)((n - 56) >> 8);
		}
		assert_null(envelope_from_bytes(buf, n));
	}
}

static void test_set_flags(void **state)
{
	(void)state;
	size_t count;
	struct envelope **list = all_envelopes(&count);
	for (size_t i = 0; i < count; i++) {
		size_t len;
		unsigned char *p = envelope_to_bytes(list[i], &len);
		for (unsigned flags = 0; flags <= ENVELOPE_FLAGS_ALL; flags += 5) {
			assert_int_equal(envelope_bytes_set_flags(p, len, flags | 0x100u), 0);
			struct envelope *e = envelope_from_bytes(p, len);
			assert_non_null(e);
			assert_int_equal(envelope_flags(e), flags);
			envelope_set_flags(e, envelope_flags(list[i]));
			assert_true(envelope_equal(e, list[i]));
			envelope_free(&e);
		}
		free(p);
	}
	free_all(list, count);
	unsigned char junk[80] = { 1 };
	unsigned char before[80];
	memcpy(before, junk, sizeof junk);
	assert_int_equal(envelope_bytes_set_flags(junk, sizeof junk, 1), -1);
	assert_memory_equal(junk, before, sizeof junk);
	assert_int_equal(envelope_bytes_set_flags(NULL, 0, 1), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_truncated_and_extended),
		cmocka_unit_test(test_every_single_byte_change),
		cmocka_unit_test(test_random_flips),
		cmocka_unit_test(test_invalid_structure),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_set_flags),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
