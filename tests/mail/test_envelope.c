/*
 * Unit tests for src/mail/envelope.c and flags.c: decoded fields, groups,
 * dates and their fallback, message ids, attachments, flags, the same
 * envelope from a header block, an IMAP HEADER.FIELDS fetch and a whole
 * message (LF and CRLF), and the memory an envelope takes.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <dirent.h>

#include <cmocka.h>

#include "mail/envelope.h"
#include "mail/mail.h"
#include "store/store.h"
#include "util/util.h"

/* 2026-10-05 09:00:00 UTC */
#define ARRIVAL ((time_t)1791190800)

static struct envelope *parse(const char *message)
{
	struct envelope_meta meta = { .uid = 7, .arrival = ARRIVAL, .size = 0, .flags = 0 };
	return envelope_from_message(message, strlen(message), &meta, "windows-1252");
}

/* ------------------------------------------------------------------ */
/* The corpus                                                           */
/* ------------------------------------------------------------------ */

static const char *const corpus[] = {
	/* 0: plain ASCII */
	"From: Ada Lovelace <ada@analytical.example>\n"
	"To: Grace Hopper <grace@navy.example>\n"
	"Subject: Plans for the autumn release\n"
	"Date: Mon, 5 Oct 2026 10:35:00 +0000\n"
	"Message-ID: <thread-1@rowan.example>\n"
	"\n"
	"Hi all,\n",

	/* 1: encoded words in From, To and Subject, several recipients */
	"From: =?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <juergen@beispiel.example>\n"
	"To: =?ISO-8859-1?Q?Fran=E7oise_Dupr=E9?= <francoise@exemple.example>,\n"
	" \"Linus T.\" <linus@kernel.example>, grace@navy.example\n"
	"Cc: =?UTF-8?B?5bGx55SwIOWkqumDjg==?= <taro@yamada.example>\n"
	"Subject: =?UTF-8?B?0J/RgNC40LLQtdGCINC40Lcg0JzQvtGB0LrQstGL?=\n"
	"Date: Tue, 6 Oct 2026 01:20:00 +0300\n"
	"Message-ID: <story-7@rowan.example>\n"
	"MIME-Version: 1.0\n"
	"Content-Type: text/plain; charset=utf-8\n"
	"\n"
	"Здравствуйте!\n",

	/* 2: raw 8-bit headers, latin-1 (not UTF-8) */
	"From: J\xfcrgen M\xfcller <juergen@beispiel.example>\n"
	"To: you@rowan.example\n"
	"Subject: R\xe9union de jeudi\n"
	"Date: Thu, 8 Oct 2026 14:00:00 +0100\n"
	"Message-ID: <latin1@rowan.example>\n"
	"\n"
	"Bonjour\n",

	/* 3: raw UTF-8 headers */
	"From: Анна Петрова <anna@primer.example>\n"
	"To: 山田 太郎 <taro@yamada.example>\n"
	"Subject: 会議の議事録\n"
	"Date: Fri, 9 Oct 2026 09:00:00 +0900\n"
	"Message-ID: <utf8@rowan.example>\n"
	"\n"
	"皆さん\n",

	/* 4: groups */
	"From: Release Bot <noreply@ci.example>\n"
	"To: Friends: Ann <ann@x.example>, bob@y.example;\n"
	"Cc: undisclosed-recipients:;\n"
	"Subject: Build #41 passed\n"
	"Date: Sat, 10 Oct 2026 12:00:00 +0000\n"
	"Message-ID: <routine-1@rowan.example>\n"
	"\n"
	"ok\n",

	/* 5: no Date at all */
	"From: grace@navy.example\n"
	"To: you@rowan.example\n"
	"Subject: no date here\n"
	"Message-ID: <nodate@rowan.example>\n"
	"\n"
	"body\n",

	/* 6: a Date that cannot be read */
	"From: Grace Hopper <grace@navy.example>\n"
	"Date: sometime next week, probably\n"
	"Subject: garbage date\n"
	"Message-ID: <garbage@rowan.example>\n"
	"\n"
	"body\n",

	/* 7: a reply: folded References, In-Reply-To with a comment */
	"From: \"Grace Hopper\" <grace@navy.example>\n"
	"To: release@lists.rowan.example\n"
	"Subject: Re: Plans for the autumn release\n"
	"Date: Mon, 5 Oct 2026 06:20:00 -0500\n"
	"Message-ID: <thread-3@rowan.example>\n"
	"In-Reply-To: <thread-2@rowan.example> (Ada Lovelace's message of Mon, 5 Oct)\n"
	"References: <thread-1@rowan.example>\n"
	"\t<thread-2@rowan.example>\n"
	"\n"
	"Ada Lovelace wrote:\n",

	/* 8: multipart/mixed with an attachment */
	"From: =?ISO-8859-1?Q?Fran=E7oise_Dupr=E9?= <francoise@exemple.example>\n"
	"To: You <you@rowan.example>\n"
	"Subject: =?UTF-8?Q?Budget_2027_=E2=80=94_draft?=\n"
	"Message-ID: <attachment-1@rowan.example>\n"
	"Date: Mon, 5 Oct 2026 23:00:00 +0100\n"
	"MIME-Version: 1.0\n"
	"Content-Type: multipart/mixed; boundary=\"b\"\n"
	"\n"
	"--b\n"
	"Content-Type: text/plain; charset=utf-8\n"
	"\n"
	"Bonjour\n"
	"--b\n"
	"Content-Type: text/csv; name=\"budget.csv\"\n"
	"Content-Disposition: attachment; filename=\"budget.csv\"\n"
	"\n"
	"a;b\n"
	"--b--\n",

	/* 9: a single part that is an attachment */
	"From: scanner@office.example\n"
	"To: you@rowan.example\n"
	"Subject: Scan\n"
	"Date: 12 Oct 2026 08:00 GMT\n"
	"Message-Id: <scan-1@office.example>\n"
	"Content-Type: application/pdf; name=scan.pdf\n"
	"Content-Disposition: attachment; filename=scan.pdf\n"
	"Content-Transfer-Encoding: base64\n"
	"\n"
	"JVBERi0xLjQK\n",

	/* 10: a subject folded between two encoded words, lower-case names */
	"from: Ada <ada@analytical.example>\n"
	"subject: =?UTF-8?Q?Caf=C3=A9?=\n"
	" =?UTF-8?Q?_cr=C3=A8me?= and more\n"
	"date: Wed, 14 Oct 2026 10:00:00 +0000\n"
	"message-id: <lower@rowan.example>\n"
	"CC: grace@navy.example\n"
	"\n"
	"Subject: not this one\n"
	"From: nor this one <no@where.example>\n",

	/* 11: header only, no empty line and no body; mbox "From " line first */
	"From ada@analytical.example Mon Oct  5 09:00:00 2026\n"
	"From: ada@analytical.example\n"
	"Subject: only a header\n"
	"Message-ID: bare-id@rowan.example\n"
	"Date: Mon, 5 Oct 2026 09:00:00 +0000\n",

	/* 12: many recipients, capped */
	"From: list-owner@lists.example\n"
	"To: alpha.one@lists.example, bravo.two@lists.example, charlie.three@lists.example,\n"
	" delta.four@lists.example, echo.five@lists.example, foxtrot.six@lists.example,\n"
	" golf.seven@lists.example, hotel.eight@lists.example, india.nine@lists.example,\n"
	" juliet.ten@lists.example, kilo.eleven@lists.example\n"
	"Subject: everyone\n"
	"Date: Thu, 15 Oct 2026 10:00:00 +0000\n"
	"Message-ID: <many@lists.example>\n"
	"\n"
	"hello\n",

	/* 13: escape sequences and other controls in the header */
	"From: \"Evil \x1b[31mRed\" <evil@attacker.example>\n"
	"Subject: =?UTF-8?Q?bell=07_and_esc=1B]0;title=07?=\n"
	"Date: Fri, 16 Oct 2026 10:00:00 +0000\n"
	"Message-ID: <evil@attacker.example>\n"
	"\n"
	"body\n",
};

#define CORPUS_COUNT (sizeof corpus / sizeof *corpus)

/* The message with every LF turned into CRLF; newly allocated. */
static char *to_crlf(const char *text)
{
	struct buf out;
	buf_init(&out);
	for (const char *p = text; *p != '\0'; p++) {
		if (*p == '\n')
			buf_add_char(&out, '\r');
		buf_add_char(&out, *p);
	}
	return buf_steal(&out);
}

/* Length of the header block (up to the empty line, or everything). */
static size_t header_length(const char *message)
{
	const char *lf = strstr(message, "\n\n");
	const char *crlf = strstr(message, "\r\n\r\n");
	if (crlf != NULL && (lf == NULL || crlf < lf))
		return (size_t)(crlf - message) + 2;
	return lf != NULL ? (size_t)(lf - message) + 1 : strlen(message);
}

/*
 * What an IMAP server returns for BODY[HEADER.FIELDS (...)]: only the
 * listed fields with their continuation lines, CRLF, then an empty line.
 */
static char *header_fields(const char *message)
{
	size_t len = header_length(message);
	struct buf out;
	buf_init(&out);
	bool keep = false;
	const char *p = message;
	while (p < message + len) {
		const char *nl = memchr(p, '\n', (size_t)(message + len - p));
		size_t line_len = nl != NULL ? (size_t)(nl - p) : (size_t)(message + len - p);
		size_t text_len = line_len > 0 && p[line_len - 1] == '\r' ? line_len - 1 : line_len;
		if (p[0] != ' ' && p[0] != '\t') {
			const char *colon = memchr(p, ':', text_len);
			keep = false;
			for (size_t i = 0; colon != NULL && envelope_header_fields[i] != NULL; i++) {
				const char *name = envelope_header_fields[i];
				if ((size_t)(colon - p) == strlen(name) && strncasecmp(p, name, strlen(name)) == 0)
					keep = true;
			}
		}
		if (keep) {
			buf_add(&out, p, text_len);
			buf_add_str(&out, "\r\n");
		}
		p += line_len + 1;
	}
	buf_add_str(&out, "\r\n");
	return buf_steal(&out);
}

static void dump(const char *label, const struct envelope *e)
{
	printf("# %s: from=[%s|%s] to=[%s] cc=[%s] subject=[%s] id=[%s] irt=[%s] refs=[%s] "
	       "date=%lld zone=%d fallback=%d att=%d size=%u\n", label,
	       envelope_from_name(e), envelope_from_address(e), envelope_to(e), envelope_cc(e),
	       envelope_subject(e), envelope_message_id(e), envelope_in_reply_to(e),
	       envelope_references(e), (long long)envelope_date(e), envelope_zone_minutes(e),
	       envelope_date_is_fallback(e), envelope_has_attachment(e), envelope_size(e));
}

static void assert_same(const struct envelope *a, const struct envelope *b, size_t i,
                        const char *what)
{
	if (!envelope_equal(a, b)) {
		printf("# corpus message %zu: %s differs\n", i, what);
		dump("a", a);
		dump("b", b);
		fail();
	}
}

/*
 * For every message of the corpus, LF and CRLF: the envelope from the
 * whole message, from its header block and from an IMAP HEADER.FIELDS
 * answer are the same, and the CRLF one equals the LF one.
 */
static void test_same_envelope_every_way(void **state)
{
	(void)state;
	assert_true(CORPUS_COUNT >= 10);
	for (size_t i = 0; i < CORPUS_COUNT; i++) {
		struct envelope *lf = NULL;
		for (int crlf = 0; crlf < 2; crlf++) {
			char *message = crlf ? to_crlf(corpus[i]) : xstrdup(corpus[i]);
			/* the size comes from the fetch (RFC822.SIZE), the same for all */
			struct envelope_meta meta = { .uid = (uint32_t)i + 1, .arrival = ARRIVAL,
			                              .size = strlen(corpus[i]) + 100,
			                              .flags = ENVELOPE_SEEN };
			struct envelope *whole = envelope_from_message(message, strlen(message), &meta,
			                                               "windows-1252");
			struct envelope *header = envelope_from_headers(message, header_length(message),
			                                                &meta, "windows-1252");
			char *fields = header_fields(message);
			struct envelope *fetched = envelope_from_headers(fields, strlen(fields), &meta,
			                                                 "windows-1252");
			/* a header block followed by more bytes: only the header counts */
			struct envelope *longer = envelope_from_headers(message, strlen(message), &meta,
			                                                "windows-1252");
			assert_same(whole, header, i, crlf ? "CRLF header block" : "header block");
			assert_same(whole, fetched, i, crlf ? "CRLF HEADER.FIELDS" : "HEADER.FIELDS");
			assert_same(whole, longer, i, crlf ? "CRLF whole as header" : "whole as header");
			if (crlf)
				assert_same(lf, whole, i, "CRLF against LF");
			envelope_free(&header);
			envelope_free(&fetched);
			envelope_free(&longer);
			free(fields);
			free(message);
			if (crlf)
				envelope_free(&whole);
			else
				lf = whole;
		}
		envelope_free(&lf);
		assert_null(lf);
	}
}

/* The message with bare LFs made CRLF (existing CRLFs kept); newly allocated. */
static char *to_crlf_len(const char *text, size_t len, size_t *out_len)
{
	struct buf out;
	buf_init(&out);
	for (size_t i = 0; i < len; i++) {
		if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r'))
			buf_add_char(&out, '\r');
		buf_add_char(&out, text[i]);
	}
	*out_len = out.len;
	return buf_steal(&out);
}

/* Header length of a message that may hold NUL bytes. */
static size_t header_length_n(const char *message, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (i > 0 && message[i - 1] != '\n')
			continue;
		if (message[i] == '\n')
			return i;
		if (message[i] == '\r' && i + 1 < len && message[i + 1] == '\n')
			return i;
	}
	return len;
}

/*
 * The same property over the MIME corpus of tests/mime/corpus (varied
 * real-world shapes: charsets, broken dates, groups, nested parts, ...).
 */
static void test_same_envelope_mime_corpus(void **state)
{
	(void)state;
	const char *src = getenv("ROWAN_SRCDIR");
	char *dir = path_join(src != NULL ? src : ".", "tests/mime/corpus");
	DIR *d = opendir(dir);
	if (d == NULL) {
		free(dir);
		skip();
	}
	size_t checked = 0;
	struct dirent *entry;
	while ((entry = readdir(d)) != NULL) {
		size_t name_len = strlen(entry->d_name);
		if (name_len < 5 || strcmp(entry->d_name + name_len - 4, ".eml") != 0)
			continue;
		char *path = path_join(dir, entry->d_name);
		struct rowan_err err;
		size_t len;
		char *lf = file_read_all(path, (size_t)64 << 20, &len, &err);
		assert_non_null(lf);
		size_t crlf_len;
		char *crlf = to_crlf_len(lf, len, &crlf_len);
		struct envelope_meta meta = { .uid = 1, .arrival = ARRIVAL, .size = len };
		struct envelope *first = NULL;
		for (int variant = 0; variant < 2; variant++) {
			const char *m = variant ? crlf : lf;
			size_t n = variant ? crlf_len : len;
			struct envelope *whole = envelope_from_message(m, n, &meta, "windows-1252");
			struct envelope *header = envelope_from_headers(m, header_length_n(m, n), &meta,
			                                                "windows-1252");
			assert_same(whole, header, checked, entry->d_name);
			if (memchr(m, '\0', header_length_n(m, n)) == NULL) {
				char *block = xstrndup(m, header_length_n(m, n));
				char *fields = header_fields(block);
				struct envelope *fetched = envelope_from_headers(fields, strlen(fields), &meta,
				                                                 "windows-1252");
				assert_same(whole, fetched, checked, entry->d_name);
				envelope_free(&fetched);
				free(fields);
				free(block);
			}
			if (variant == 0)
				first = envelope_copy(whole);
			else
				assert_same(first, whole, checked, entry->d_name);
			envelope_free(&whole);
			envelope_free(&header);
		}
		envelope_free(&first);
		free(crlf);
		free(lf);
		free(path);
		checked++;
	}
	closedir(d);
	free(dir);
	printf("# %zu corpus messages gave the same envelope every way\n", checked);
	assert_true(checked >= 10);
}

/* ------------------------------------------------------------------ */
/* Fields                                                               */
/* ------------------------------------------------------------------ */

static void test_plain_fields(void **state)
{
	(void)state;
	struct envelope *e = parse(corpus[0]);
	assert_string_equal(envelope_from_name(e), "Ada Lovelace");
	assert_string_equal(envelope_from_address(e), "ada@analytical.example");
	assert_string_equal(envelope_from_display(e), "Ada Lovelace");
	assert_string_equal(envelope_to(e), "Grace Hopper <grace@navy.example>");
	assert_string_equal(envelope_cc(e), "");
	assert_string_equal(envelope_subject(e), "Plans for the autumn release");
	assert_string_equal(envelope_message_id(e), "<thread-1@rowan.example>");
	assert_string_equal(envelope_in_reply_to(e), "");
	assert_string_equal(envelope_references(e), "");
	assert_int_equal(envelope_date(e), ARRIVAL + 95 * 60);
	assert_int_equal(envelope_zone_minutes(e), 0);
	assert_false(envelope_date_is_fallback(e));
	assert_false(envelope_has_attachment(e));
	assert_int_equal(envelope_uid(e), 7);
	assert_int_equal(envelope_arrival(e), ARRIVAL);
	assert_int_equal(envelope_size(e), strlen(corpus[0]));
	envelope_free(&e);
}

static void test_encoded_headers(void **state)
{
	(void)state;
	struct envelope *e = parse(corpus[1]);
	assert_string_equal(envelope_from_name(e), "Jürgen Müller");
	assert_string_equal(envelope_from_address(e), "juergen@beispiel.example");
	assert_non_null(strstr(envelope_to(e), "Françoise Dupré <francoise@exemple.example>"));
	assert_non_null(strstr(envelope_to(e), "linus@kernel.example"));
	assert_non_null(strstr(envelope_to(e), ", grace@navy.example"));
	assert_string_equal(envelope_cc(e), "山田 太郎 <taro@yamada.example>");
	assert_string_equal(envelope_subject(e), "Привет из Москвы");
	assert_int_equal(envelope_zone_minutes(e), 180);
	/* 2026-10-06 01:20 +0300 = 2026-10-05 22:20 UTC */
	assert_int_equal(envelope_date(e), ARRIVAL + (13 * 60 + 20) * 60);
	envelope_free(&e);
}

static void test_8bit_headers(void **state)
{
	(void)state;
	struct envelope *e = parse(corpus[2]);
	assert_string_equal(envelope_from_name(e), "Jürgen Müller");
	assert_string_equal(envelope_subject(e), "Réunion de jeudi");
	envelope_free(&e);

	e = parse(corpus[3]);
	assert_string_equal(envelope_from_name(e), "Анна Петрова");
	assert_string_equal(envelope_to(e), "山田 太郎 <taro@yamada.example>");
	assert_string_equal(envelope_subject(e), "会議の議事録");
	assert_int_equal(envelope_zone_minutes(e), 540);
	envelope_free(&e);

	/* the assumed charset decides 8-bit text that is not UTF-8 */
	const char *koi8 = "Subject: \xf0\xd2\xc9\xd7\xc5\xd4\n\n";
	struct envelope *k = envelope_from_headers(koi8, strlen(koi8), NULL, "koi8-r");
	assert_string_equal(envelope_subject(k), "Привет");
	envelope_free(&k);
}

static void test_groups(void **state)
{
	(void)state;
	struct envelope *e = parse(corpus[4]);
	assert_string_equal(envelope_to(e), "Ann <ann@x.example>, bob@y.example");
	assert_string_equal(envelope_cc(e), "undisclosed-recipients:;");
	envelope_free(&e);

	/* From written as a group: the first mailbox in it */
	const char *group_from = "From: Team: Ann <ann@x.example>, bob@y.example;\n\n";
	e = envelope_from_headers(group_from, strlen(group_from), NULL, NULL);
	assert_string_equal(envelope_from_name(e), "Ann");
	assert_string_equal(envelope_from_address(e), "ann@x.example");
	envelope_free(&e);

	/* a From with only a name keeps the name */
	const char *name_only = "From: Mail Delivery System\n\n";
	e = envelope_from_headers(name_only, strlen(name_only), NULL, NULL);
	assert_string_equal(envelope_from_address(e), "");
	assert_string_equal(envelope_from_display(e), "Mail Delivery System");
	envelope_free(&e);
}

static void test_date_fallback(void **state)
{
	(void)state;
	for (size_t i = 5; i <= 6; i++) {
		struct envelope *e = parse(corpus[i]);
		assert_true(envelope_date_is_fallback(e));
		assert_int_equal(envelope_date(e), ARRIVAL);
		assert_int_equal(envelope_zone_minutes(e), 0);
		envelope_free(&e);
	}
	/* an obsolete but readable date is not a fallback */
	struct envelope *e = parse(corpus[9]);
	assert_false(envelope_date_is_fallback(e));
	assert_int_equal(envelope_date(e), ARRIVAL + (7 * 24 * 60 - 60) * 60);
	envelope_free(&e);
	/* no arrival time either: 0, still marked */
	const char *none = "Subject: x\n\n";
	e = envelope_from_headers(none, strlen(none), NULL, NULL);
	assert_true(envelope_date_is_fallback(e));
	assert_int_equal(envelope_date(e), 0);
	envelope_free(&e);
}

static void test_message_ids(void **state)
{
	(void)state;
	struct envelope *e = parse(corpus[7]);
	assert_string_equal(envelope_message_id(e), "<thread-3@rowan.example>");
	assert_string_equal(envelope_in_reply_to(e), "<thread-2@rowan.example>");
	assert_string_equal(envelope_references(e),
	                    "<thread-1@rowan.example> <thread-2@rowan.example>");
	const char *cursor = envelope_references(e);
	size_t len;
	const char *id = envelope_id_next(&cursor, &len);
	assert_non_null(id);
	assert_int_equal(len, strlen("<thread-1@rowan.example>"));
	assert_memory_equal(id, "<thread-1@rowan.example>", len);
	id = envelope_id_next(&cursor, &len);
	assert_non_null(id);
	assert_memory_equal(id, "<thread-2@rowan.example>", len);
	assert_null(envelope_id_next(&cursor, &len));
	envelope_free(&e);

	/* a bare Message-ID is taken, with brackets added */
	e = parse(corpus[11]);
	assert_string_equal(envelope_message_id(e), "<bare-id@rowan.example>");
	assert_string_equal(envelope_from_address(e), "ada@analytical.example");
	assert_string_equal(envelope_subject(e), "only a header");
	envelope_free(&e);

	/* comments, quoted phrases, junk, spaces inside an id, broken ids */
	const char *messy =
		"Message-ID: (comment <not@this>) < spaced@id.example >\n"
		"In-Reply-To: \"Your message of <quoted@phrase>\" <real@parent.example>\n"
		"References: junk <a@x> (Ann <ann@x>) <b@x>\n"
		"  <broken <c@x> <> <d\x01@x> <e@x>\n"
		"\n";
	e = envelope_from_headers(messy, strlen(messy), NULL, NULL);
	assert_string_equal(envelope_message_id(e), "<spaced@id.example>");
	assert_string_equal(envelope_in_reply_to(e), "<real@parent.example>");
	assert_string_equal(envelope_references(e), "<a@x> <b@x> <c@x> <e@x>");
	envelope_free(&e);

	/* In-Reply-To that is not the last reference is kept on its own */
	const char *other = "In-Reply-To: <p@x>\nReferences: <a@x> <b@x>\n\n";
	e = envelope_from_headers(other, strlen(other), NULL, NULL);
	assert_string_equal(envelope_in_reply_to(e), "<p@x>");
	assert_string_equal(envelope_references(e), "<a@x> <b@x>");
	envelope_free(&e);
	/* ... and one that ends a longer id is not mistaken for it */
	const char *suffix = "In-Reply-To: <b@x>\nReferences: <a@x> <ab@x>\n\n";
	e = envelope_from_headers(suffix, strlen(suffix), NULL, NULL);
	assert_string_equal(envelope_in_reply_to(e), "<b@x>");
	envelope_free(&e);
}

static void test_long_references_keep_root_and_parents(void **state)
{
	(void)state;
	struct buf h;
	buf_init(&h);
	buf_add_str(&h, "References:");
	for (int i = 0; i < 500; i++)
		buf_printf(&h, "\n <message-%03d@a-rather-long-host-name.example>", i);
	buf_add_str(&h, "\nIn-Reply-To: <message-499@a-rather-long-host-name.example>\n\n");
	struct envelope *e = envelope_from_headers(h.data, h.len, NULL, NULL);
	const char *refs = envelope_references(e);
	assert_true(strlen(refs) <= ENVELOPE_REFERENCES_MAX);
	assert_true(strlen(refs) > ENVELOPE_REFERENCES_MAX - 60);
	assert_memory_equal(refs, "<message-000@", 13);
	const char *last = "<message-499@a-rather-long-host-name.example>";
	assert_string_equal(refs + strlen(refs) - strlen(last), last);
	assert_null(strstr(refs, "<message-001@"));
	assert_string_equal(envelope_in_reply_to(e), last);
	assert_true(envelope_memory(e) < 2 * ENVELOPE_REFERENCES_MAX);
	envelope_free(&e);
	buf_free(&h);
}

static void test_folded_and_lowercase(void **state)
{
	(void)state;
	struct envelope *e = parse(corpus[10]);
	assert_string_equal(envelope_subject(e), "Café crème and more");
	assert_string_equal(envelope_from_name(e), "Ada");
	assert_string_equal(envelope_cc(e), "grace@navy.example");
	assert_string_equal(envelope_message_id(e), "<lower@rowan.example>");
	envelope_free(&e);
}

static void test_attachments(void **state)
{
	(void)state;
	struct envelope *e = parse(corpus[8]);
	assert_true(envelope_has_attachment(e));
	assert_string_equal(envelope_subject(e), "Budget 2027 — draft");
	envelope_free(&e);
	e = parse(corpus[9]);
	assert_true(envelope_has_attachment(e));
	envelope_free(&e);
	e = parse(corpus[1]);
	assert_false(envelope_has_attachment(e));
	envelope_free(&e);
	/* multipart/alternative is not an attachment, MULTIPART/MIXED is */
	const char *alt = "Content-Type: multipart/alternative; boundary=x\n\n";
	e = envelope_from_headers(alt, strlen(alt), NULL, NULL);
	assert_false(envelope_has_attachment(e));
	envelope_free(&e);
	const char *upper = "Content-Type: MULTIPART/Mixed;\n boundary=\"x\"\n\n";
	e = envelope_from_headers(upper, strlen(upper), NULL, NULL);
	assert_true(envelope_has_attachment(e));
	envelope_free(&e);
	const char *inline_pdf = "Content-Type: application/pdf\nContent-Disposition: inline\n\n";
	e = envelope_from_headers(inline_pdf, strlen(inline_pdf), NULL, NULL);
	assert_false(envelope_has_attachment(e));
	envelope_free(&e);
}

static void test_list_capped(void **state)
{
	(void)state;
	struct envelope *e = parse(corpus[12]);
	const char *to = envelope_to(e);
	assert_true(strlen(to) <= ENVELOPE_LIST_MAX + strlen(", …"));
	assert_memory_equal(to, "alpha.one@lists.example, bravo.two@lists.example", 48);
	const char *end = to + strlen(to) - strlen(", …");
	assert_string_equal(end, ", …");
	/* whole addresses only */
	assert_true(end[-1] == 'e');
	envelope_free(&e);

	/* one address longer than the cap is cut on a character boundary */
	struct buf h;
	buf_init(&h);
	buf_add_str(&h, "To: \"");
	for (int i = 0; i < 150; i++)
		buf_add_str(&h, "é");
	buf_add_str(&h, "\" <long@x.example>\nSubject: ");
	for (int i = 0; i < 1000; i++)
		buf_add_str(&h, "ü");
	buf_add_str(&h, "\n\n");
	e = envelope_from_headers(h.data, h.len, NULL, NULL);
	to = envelope_to(e);
	assert_true(strlen(to) <= ENVELOPE_LIST_MAX + strlen(", …"));
	assert_memory_equal(to + strlen(to) - strlen(", …"), ", …", strlen(", …"));
	const char *subject = envelope_subject(e);
	assert_true(strlen(subject) <= ENVELOPE_SUBJECT_MAX);
	assert_true(strlen(subject) >= ENVELOPE_SUBJECT_MAX - 1);
	assert_memory_equal(subject + strlen(subject) - 2, "ü", 2);
	envelope_free(&e);
	buf_free(&h);
}

static void test_empty_and_odd_input(void **state)
{
	(void)state;
	struct envelope *e = envelope_from_headers("", 0, NULL, NULL);
	assert_string_equal(envelope_subject(e), "");
	assert_string_equal(envelope_from_display(e), "");
	assert_string_equal(envelope_references(e), "");
	assert_int_equal(envelope_size(e), 0);
	assert_true(envelope_memory(e) < 64);
	envelope_free(&e);
	envelope_free(&e);   /* NULL is fine */
	envelope_free(NULL);

	/* a message starting with the empty line has an empty header */
	const char *body_only = "\nSubject: not a header\n";
	e = envelope_from_message(body_only, strlen(body_only), NULL, NULL);
	assert_string_equal(envelope_subject(e), "");
	assert_int_equal(envelope_size(e), strlen(body_only));
	envelope_free(&e);

	/* NUL bytes and a "From :" field written with a space */
	const char nul[] = "From : Ada <ada@x.example>\nSubject: a\0b\n\n";
	e = envelope_from_headers(nul, sizeof nul - 1, NULL, NULL);
	assert_string_equal(envelope_from_address(e), "ada@x.example");
	assert_int_equal(envelope_subject(e)[0], 'a');
	envelope_free(&e);
}

static void test_controls_kept_for_safe_text(void **state)
{
	(void)state;
	/* the envelope stores text as decoded; display passes it through
	 * mime_safe_text; but nothing is lost or mangled on the way */
	struct envelope *e = parse(corpus[13]);
	assert_string_equal(envelope_from_address(e), "evil@attacker.example");
	assert_non_null(strstr(envelope_subject(e), "bell"));
	envelope_free(&e);
}

static void test_meta_and_copy(void **state)
{
	(void)state;
	struct envelope_meta meta = { .uid = 4000000000u, .arrival = 5, .size = 5000000000ull,
	                              .flags = ENVELOPE_SEEN | ENVELOPE_FLAGGED | 0x100 };
	struct envelope *e = envelope_from_headers(corpus[7], strlen(corpus[7]), &meta, NULL);
	assert_int_equal(envelope_uid(e), 4000000000u);
	assert_int_equal(envelope_size(e), UINT32_MAX);
	assert_int_equal(envelope_flags(e), ENVELOPE_SEEN | ENVELOPE_FLAGGED);
	struct envelope *c = envelope_copy(e);
	assert_true(envelope_equal(e, c));
	assert_int_equal(envelope_memory(e), envelope_memory(c));
	envelope_set_flags(c, ENVELOPE_DELETED);
	assert_false(envelope_equal(e, c));
	assert_int_equal(envelope_flags(c), ENVELOPE_DELETED);
	envelope_free(&c);
	envelope_free(&e);
}

/* ------------------------------------------------------------------ */
/* Flags                                                                */
/* ------------------------------------------------------------------ */

static void test_flags(void **state)
{
	(void)state;
	assert_int_equal(envelope_flag_from_imap("\\Seen", 5), ENVELOPE_SEEN);
	assert_int_equal(envelope_flag_from_imap("\\ANSWERED", 9), ENVELOPE_ANSWERED);
	assert_int_equal(envelope_flag_from_imap("\\flagged", 8), ENVELOPE_FLAGGED);
	assert_int_equal(envelope_flag_from_imap("\\Deleted", 8), ENVELOPE_DELETED);
	assert_int_equal(envelope_flag_from_imap("\\Draft", 6), ENVELOPE_DRAFT);
	assert_int_equal(envelope_flag_from_imap("\\Recent", 7), ENVELOPE_RECENT);
	assert_int_equal(envelope_flag_from_imap("\\Seenx", 6), 0);
	assert_int_equal(envelope_flag_from_imap("\\Seen", 4), 0);
	assert_int_equal(envelope_flag_from_imap("$Junk", 5), 0);
	unsigned all = 0;
	for (unsigned bit = 1; bit <= ENVELOPE_RECENT; bit <<= 1) {
		const char *name = envelope_flag_imap_name(bit);
		assert_non_null(name);
		assert_int_equal(envelope_flag_from_imap(name, strlen(name)), bit);
		all |= bit;
	}
	assert_int_equal(all, ENVELOPE_FLAGS_ALL);
	assert_null(envelope_flag_imap_name(0));
	assert_null(envelope_flag_imap_name(ENVELOPE_SEEN | ENVELOPE_DRAFT));

	const char *fresh = "Subject: new\n\n";
	assert_int_equal(envelope_flags_from_mbox(fresh, strlen(fresh)), ENVELOPE_RECENT);
	const char *old = "Status: O\nSubject: x\n\n";
	assert_int_equal(envelope_flags_from_mbox(old, strlen(old)), 0);
	const char *read = "Status: RO\r\nX-Status: AF\r\n\r\n";
	assert_int_equal(envelope_flags_from_mbox(read, strlen(read)),
	                 ENVELOPE_SEEN | ENVELOPE_ANSWERED | ENVELOPE_FLAGGED);
	const char *all_x = "Status: R\nX-Status: DTAF\n\n";
	assert_int_equal(envelope_flags_from_mbox(all_x, strlen(all_x)),
	                 ENVELOPE_FLAGS_ALL);
	/* the same letters in the body do not count */
	const char *body = "Status: O\n\nX-Status: D\n";
	assert_int_equal(envelope_flags_from_mbox(body, strlen(body)), 0);
}

static void test_header_field_list(void **state)
{
	(void)state;
	struct buf joined;
	buf_init(&joined);
	size_t n = 0;
	for (; envelope_header_fields[n] != NULL; n++) {
		if (n > 0)
			buf_add_char(&joined, ' ');
		buf_add_str(&joined, envelope_header_fields[n]);
	}
	assert_int_equal(n, 10);
	assert_string_equal(joined.data, ENVELOPE_HEADER_FIELDS);
	buf_free(&joined);
}

/* ------------------------------------------------------------------ */
/* Memory                                                               */
/* ------------------------------------------------------------------ */

static void test_memory_of_demo_mailbox(void **state)
{
	(void)state;
	char dir[] = "/tmp/rowan-envelope-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *path = path_join(dir, "demo.mbox");
	size_t len;
	int count;
	char *data = demo_mbox_build(&len, &count);
	struct rowan_err err;
	assert_int_equal(file_write_atomic(path, data, len, 0600, &err), 0);
	struct store_mbox *mbox = store_mbox_open(path, &err);
	assert_non_null(mbox);
	assert_int_equal(store_mbox_count(mbox), (size_t)count);
	size_t total = 0, largest = 0;
	for (size_t i = 0; i < store_mbox_count(mbox); i++) {
		size_t message_len;
		char *message = store_mbox_message(mbox, i, &message_len);
		const struct store_mbox_entry *entry = store_mbox_entry(mbox, i);
		struct envelope_meta meta = { .uid = (uint32_t)i + 1, .arrival = entry->arrival };
		struct envelope *e = envelope_from_message(message, message_len, &meta,
		                                           "windows-1252");
		assert_false(envelope_date_is_fallback(e));
		assert_true(envelope_from_address(e)[0] != '\0');
		assert_true(envelope_subject(e)[0] != '\0');
		size_t bytes = envelope_memory(e);
		assert_true(bytes < 400);
		total += bytes;
		if (bytes > largest)
			largest = bytes;
		/* the envelope from the header alone is the same */
		size_t raw_len;
		const char *raw = store_mbox_raw(mbox, i, &raw_len);
		meta.size = message_len;
		struct envelope *h = envelope_from_headers(raw, raw_len, &meta, "windows-1252");
		assert_true(envelope_equal(e, h));
		envelope_free(&h);
		envelope_free(&e);
		free(message);
	}
	struct envelope *empty = envelope_from_headers("", 0, NULL, NULL);
	printf("# envelope memory for the %d demo messages: %zu bytes on average, "
	       "%zu at most (fixed part %zu)\n", count, total / (size_t)count, largest,
	       envelope_memory(empty) - 1);
	envelope_free(&empty);
	store_mbox_close(&mbox);
	unlink(path);
	rmdir(dir);
	free(path);
	free(data);
}

int main(void)
{
	setenv("LANGUAGE", "C", 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_envelope_every_way),
		cmocka_unit_test(test_same_envelope_mime_corpus),
		cmocka_unit_test(test_plain_fields),
		cmocka_unit_test(test_encoded_headers),
		cmocka_unit_test(test_8bit_headers),
		cmocka_unit_test(test_groups),
		cmocka_unit_test(test_date_fallback),
		cmocka_unit_test(test_message_ids),
		cmocka_unit_test(test_long_references_keep_root_and_parents),
		cmocka_unit_test(test_folded_and_lowercase),
		cmocka_unit_test(test_attachments),
		cmocka_unit_test(test_list_capped),
		cmocka_unit_test(test_empty_and_odd_input),
		cmocka_unit_test(test_controls_kept_for_safe_text),
		cmocka_unit_test(test_meta_and_copy),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_header_field_list),
		cmocka_unit_test(test_memory_of_demo_mailbox),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
