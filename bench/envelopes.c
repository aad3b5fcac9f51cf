/*
 * bench/envelopes: how fast header blocks become envelopes, and how much
 * memory the envelopes of a large folder take.
 *
 *   bench/envelopes [-n N] [-f] [MBOX]
 *
 * Without MBOX, N realistic header blocks are generated in memory
 * (Received chains, DKIM signatures, encoded names and subjects, reply
 * threads with References, some attachments); -f keeps only the fields
 * an index fetches (ENVELOPE_HEADER_FIELDS), as an IMAP HEADER.FIELDS
 * answer would.  With MBOX, every message of that mbox is used.  Prints
 * messages per second and bytes per envelope; see bench/README.md.
 */
#include "config.h"

#include <inttypes.h>
#include <malloc.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "mail/envelope.h"
#include "store/store.h"
#include "util/util.h"

/* A small deterministic generator (xorshift64*), so runs are comparable. */
static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint32_t rng(uint32_t below)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545F4914F6CDD1Dull) >> 32) % below;
}

static const char *const names[] = {
	"Ada Lovelace", "Grace Hopper", "\"Linus T.\"", "Release Bot", "Edsger Dijkstra",
	"=?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?=", "=?UTF-8?B?5bGx55SwIOWkqumDjg==?=",
	"=?ISO-8859-1?Q?Fran=E7oise_Dupr=E9?=", "=?UTF-8?B?0JDQvdC90LAg0J/QtdGC0YDQvtCy0LA=?=",
	"Barbara Liskov", "Donald Knuth", "Margaret Hamilton", "Ken Thompson",
};
static const char *const users[] = {
	"ada", "grace", "linus", "noreply", "ewd", "juergen", "taro", "francoise", "anna",
	"liskov", "knuth", "hamilton", "ken",
};
static const char *const domains[] = {
	"analytical.example", "navy.example", "kernel.example", "ci.example", "utexas.example",
	"beispiel.example", "yamada.example", "exemple.example", "primer.example",
};
static const char *const subjects[] = {
	"Plans for the autumn release", "Weekly report", "Minutes of the meeting",
	"Invoice from Analytical Engines Ltd", "Reminder: review queue",
	"=?UTF-8?Q?R=C3=A9union_de_jeudi?=", "=?UTF-8?B?0J/RgNC40LLQtdGCINC40Lcg0JzQvtGB0LrQstGL?=",
	"=?UTF-8?B?5Lya6K2w44Gu6K2w5LqL6Yyy?=", "[PATCH v3 07/12] store: read mbox files without copying",
	"Build #4711 failed on the arm64 runner", "Lunch on Friday?",
};
static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
static const char *const days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };

static void add_address(struct buf *b, size_t person)
{
	size_t n = sizeof names / sizeof *names;
	person %= n;
	buf_printf(b, "%s <%s@%s>", names[person], users[person],
	           domains[person % (sizeof domains / sizeof *domains)]);
}

/* One message's header block, as a mail server stores it. */
static void generate_header(struct buf *b, size_t i)
{
	size_t hops = 2 + rng(4);
	for (size_t h = 0; h < hops; h++)
		buf_printf(b, "Received: from mx%u.relay%zu.example (mx%u.relay%zu.example [192.0.2.%u])\n"
		           "\tby mail.rowan.example (Postfix) with ESMTPS id %08X%04X\n"
		           "\tfor <you@rowan.example>; %s, %u %s 2026 %02u:%02u:%02u +0000\n",
		           rng(9), h, rng(9), h, rng(250), rng(UINT32_MAX), rng(65535),
		           days[rng(7)], 1 + rng(28), months[rng(12)], rng(24), rng(60), rng(60));
	if (rng(3) != 0) {
		buf_add_str(b, "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.org;\n"
		               "\ts=2026; t=1791190800; bh=");
		for (int k = 0; k < 44; k++)
			buf_add_char(b, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[rng(64)]);
		buf_add_str(b, ";\n\th=From:To:Subject:Date:Message-ID; b=");
		for (int line = 0; line < 4; line++) {
			for (int k = 0; k < 64; k++)
				buf_add_char(b, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[rng(64)]);
			buf_add_str(b, "\n\t ");
		}
		buf_add_str(b, "AAAA\n");
	}
	size_t from = rng(64);
	buf_add_str(b, "From: ");
	add_address(b, from);
	buf_add_str(b, "\nTo: ");
	size_t to = 1 + (rng(4) == 0 ? rng(6) : 0);
	for (size_t k = 0; k < to; k++) {
		if (k > 0)
			buf_add_str(b, ",\n ");
		add_address(b, rng(64));
	}
	buf_add_char(b, '\n');
	if (rng(3) == 0) {
		buf_add_str(b, "Cc: ");
		add_address(b, rng(64));
		buf_add_str(b, ", team@lists.rowan.example\n");
	}
	size_t depth = rng(4) == 0 ? 0 : rng(8);   /* position in a thread */
	size_t thread = i / 16;
	buf_printf(b, "Subject: %s%s\n", depth > 0 ? "Re: " : "",
	           subjects[thread % (sizeof subjects / sizeof *subjects)]);
	buf_printf(b, "Date: %s, %u %s 2026 %02u:%02u:%02u %c%02u00\n", days[rng(7)], 1 + rng(28),
	           months[rng(12)], rng(24), rng(60), rng(60), rng(2) ? '+' : '-', rng(12));
	buf_printf(b, "Message-ID: <%zu.%u.thread%zu@mail.rowan.example>\n", i, rng(100000), thread);
	if (depth > 0) {
		buf_printf(b, "In-Reply-To: <%zu.reply%zu.thread%zu@mail.rowan.example>\n",
		           depth - 1, depth - 1, thread);
		buf_add_str(b, "References:");
		for (size_t d = 0; d < depth; d++)
			buf_printf(b, "%s<%zu.reply%zu.thread%zu@mail.rowan.example>",
			           d > 0 ? "\n " : " ", d, d, thread);
		buf_add_char(b, '\n');
	}
	buf_add_str(b, "MIME-Version: 1.0\n");
	if (rng(8) == 0)
		buf_printf(b, "Content-Type: multipart/mixed; boundary=\"=_%08X\"\n", rng(UINT32_MAX));
	else
		buf_add_str(b, "Content-Type: text/plain; charset=utf-8; format=flowed\n"
		               "Content-Transfer-Encoding: 8bit\n");
	buf_add_str(b, "List-Id: Rowan development <dev.lists.rowan.example>\n"
	               "X-Mailer: Rowan 0.1.0\n\n");
}

/* Keep only the index fields (with their continuation lines). */
static void keep_index_fields(struct buf *out, const char *header, size_t len)
{
	bool keep = false;
	const char *p = header;
	const char *end = header + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t line = nl != NULL ? (size_t)(nl - p) + 1 : (size_t)(end - p);
		if (*p != ' ' && *p != '\t') {
			keep = false;
			const char *colon = memchr(p, ':', line);
			for (size_t f = 0; colon != NULL && envelope_header_fields[f] != NULL; f++) {
				size_t n = strlen(envelope_header_fields[f]);
				if ((size_t)(colon - p) == n && strncasecmp(p, envelope_header_fields[f], n) == 0)
					keep = true;
			}
		}
		if (keep)
			buf_add(out, p, line);
		p += line;
	}
	buf_add_char(out, '\n');
}

/* Bytes of the header block at the start of a message, with its empty line. */
static size_t header_length(const char *message, size_t len)
{
	size_t i = 0;
	while (i < len) {
		const char *nl = memchr(message + i, '\n', len - i);
		if (nl == NULL)
			return len;
		size_t next = (size_t)(nl - message) + 1;
		if (next - i == 1 || (next - i == 2 && message[i] == '\r'))
			return next;
		i = next;
	}
	return len;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void usage(void)
{
	fprintf(stderr, "usage: bench/envelopes [-n N] [-f] [MBOX]\n"
	                "  -n N  generate N header blocks (default 100000)\n"
	                "  -f    only the index fields, as an IMAP HEADER.FIELDS fetch\n"
	                "  MBOX  use the messages of this mbox instead\n");
}

int main(int argc, char **argv)
{
	size_t count = 100000;
	bool fields_only = false;
	int c;
	while ((c = getopt(argc, argv, "n:fh")) != -1) {
		switch (c) {
		case 'n':
			count = (size_t)strtoull(optarg, NULL, 10);
			break;
		case 'f':
			fields_only = true;
			break;
		default:
			usage();
			return c == 'h' ? 0 : 2;
		}
	}
	const char *mbox_path = optind < argc ? argv[optind] : NULL;

	/* The input: one buffer, each header block starting at offsets[i]. */
	struct buf input;
	buf_init(&input);
	struct store_mbox *mbox = NULL;
	size_t *offsets;
	if (mbox_path != NULL) {
		struct rowan_err err;
		double opened = now();
		mbox = store_mbox_open(mbox_path, &err);
		if (mbox == NULL) {
			fprintf(stderr, "bench/envelopes: %s\n", err.message);
			return 1;
		}
		count = store_mbox_count(mbox);
		opened = now() - opened;
		const struct store_mbox_entry *last = count > 0 ? store_mbox_entry(mbox, count - 1) : NULL;
		double mb = last != NULL ? (double)(last->offset + last->length) / 1e6 : 0.0;
		printf("mbox:       %zu messages, %.1f MB indexed in %.3f s (%.0f MB/s)\n", count,
		       mb, opened, opened > 0 ? mb / opened : 0.0);
	}
	offsets = xcalloc(count + 1, sizeof *offsets);
	struct buf one;
	buf_init(&one);
	for (size_t i = 0; i < count; i++) {
		offsets[i] = input.len;
		buf_reset(&one);
		if (mbox != NULL) {
			size_t len;
			const char *raw = store_mbox_raw(mbox, i, &len);
			buf_add(&one, raw, header_length(raw, len));
		} else {
			generate_header(&one, i);
		}
		if (fields_only)
			keep_index_fields(&input, one.data, one.len);
		else
			buf_add(&input, one.data, one.len);
	}
	offsets[count] = input.len;
	buf_free(&one);
	store_mbox_close(&mbox);

	struct envelope **envelopes = xcalloc(count > 0 ? count : 1, sizeof *envelopes);
	struct mallinfo2 before = mallinfo2();
	double start = now();
	for (size_t i = 0; i < count; i++) {
		struct envelope_meta meta = { .uid = (uint32_t)i + 1, .arrival = 1791190800,
		                              .size = 4096, .flags = ENVELOPE_SEEN };
		/* envelope_from_message stops at the header's empty line */
		envelopes[i] = envelope_from_message(input.data + offsets[i],
		                                     offsets[i + 1] - offsets[i], &meta,
		                                     "windows-1252");
	}
	double elapsed = now() - start;
	struct mallinfo2 after = mallinfo2();

	size_t bytes = 0, largest = 0, attachments = 0, fallback = 0;
	for (size_t i = 0; i < count; i++) {
		size_t m = envelope_memory(envelopes[i]);
		bytes += m;
		if (m > largest)
			largest = m;
		attachments += envelope_has_attachment(envelopes[i]);
		fallback += envelope_date_is_fallback(envelopes[i]);
	}
	size_t n = count > 0 ? count : 1;
	printf("input:      %zu %s, %.0f bytes of header each on average%s\n", count,
	       mbox_path != NULL ? "messages" : "generated header blocks",
	       (double)input.len / (double)n, fields_only ? " (index fields only)" : "");
	printf("parse:      %.3f s, %.0f messages/s, %.1f MB/s of header\n", elapsed,
	       elapsed > 0 ? (double)count / elapsed : 0.0,
	       elapsed > 0 ? (double)input.len / elapsed / 1e6 : 0.0);
	printf("envelopes:  %.1f bytes each on average, %zu at most, %.1f MB for all\n",
	       (double)bytes / (double)n, largest, (double)bytes / 1e6);
	if (after.uordblks > before.uordblks)
		printf("heap:       %.1f bytes each with the allocator's overhead\n",
		       (double)(after.uordblks - before.uordblks) / (double)n);
	printf("            %zu with attachments, %zu dates from the arrival time\n",
	       attachments, fallback);

	for (size_t i = 0; i < count; i++)
		envelope_free(&envelopes[i]);
	free(envelopes);
	free(offsets);
	buf_free(&input);
	return 0;
}
