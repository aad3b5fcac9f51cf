/*
 * Unit tests for the UID FETCH response reader (src/net/imap_fetch_parse.c)
 * over byte strings: items in any order, literals with CRLF and
 * parentheses inside, quoted and NIL headers, unknown items with nested
 * lists and literals, untagged responses between the FETCHes, tagged
 * NO/BAD, and malformed input of every kind.  Every input is also fed in
 * pieces of 1, 2, 5 and 4096 bytes, which must not change the outcome.
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

#include "net/imap_fetch.h"

/* ---- a memory source and a recording consumer ---- */

struct memory {
	const char *data;
	size_t len;
	size_t pos;
	size_t step;          /* largest piece handed out per read */
	struct buf unread;    /* what the parser gave back */
};

static ssize_t memory_read(void *ctx, char *dst, size_t max)
{
	struct memory *m = ctx;

	if (m->pos >= m->len)
		return -1;
	size_t n = m->len - m->pos;
	if (n > m->step)
		n = m->step;
	if (n > max)
		n = max;
	memcpy(dst, m->data + m->pos, n);
	m->pos += n;
	return (ssize_t)n;
}

static void memory_unread(void *ctx, const char *data, size_t len)
{
	struct memory *m = ctx;

	buf_add(&m->unread, data, len);
}

struct record {
	struct buf log;       /* one line per event */
	int stop_after;       /* message callback returns -1 after this many */
	int messages;
};

static void log_bytes(struct buf *log, const char *data, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)data[i];
		if (c == '\r')
			buf_add_str(log, "\\r");
		else if (c == '\n')
			buf_add_str(log, "\\n");
		else if (c < 0x20 || c >= 0x7f)
			buf_printf(log, "\\x%02x", c);
		else
			buf_add_char(log, (char)c);
	}
}

static int on_message(const struct net_imap_fetched *msg, void *ctx)
{
	struct record *r = ctx;

	buf_printf(&r->log, "M %u", (unsigned)msg->seq);
	if (msg->has_uid)
		buf_printf(&r->log, " uid=%u", (unsigned)msg->uid);
	if (msg->has_flags)
		buf_printf(&r->log, " flags=%u", msg->flags);
	if (msg->internaldate != -1)
		buf_printf(&r->log, " date=%lld", (long long)msg->internaldate);
	if (msg->size != 0)
		buf_printf(&r->log, " size=%llu", (unsigned long long)msg->size);
	if (msg->modseq != 0)
		buf_printf(&r->log, " modseq=%llu",
		           (unsigned long long)msg->modseq);
	if (msg->header != NULL) {
		buf_printf(&r->log, " hdr[%zu]=", msg->header_len);
		log_bytes(&r->log, msg->header, msg->header_len);
	} else {
		assert_int_equal(msg->header_len, 0);
	}
	buf_add_char(&r->log, '\n');
	r->messages++;
	return r->stop_after > 0 && r->messages >= r->stop_after ? -1 : 0;
}

static void on_exists(uint32_t count, void *ctx)
{
	struct record *r = ctx;

	buf_printf(&r->log, "EXISTS %u\n", (unsigned)count);
}

static void on_expunge(uint32_t seq, void *ctx)
{
	struct record *r = ctx;

	buf_printf(&r->log, "EXPUNGE %u\n", (unsigned)seq);
}

static void on_vanished(const char *set, bool earlier, void *ctx)
{
	struct record *r = ctx;

	buf_printf(&r->log, "VANISHED%s %s\n", earlier ? " EARLIER" : "", set);
}

struct run {
	enum imap_fetch_status status;
	struct rowan_err err;
	struct imap_fetch_outcome outcome;
	char *log;
	char *unread;
	size_t unread_len;
};

static struct run run_once(const char *data, size_t len, size_t step,
                           int stop_after,
                           const struct imap_fetch_limits *limits)
{
	struct memory m = {.data = data, .len = len, .step = step};
	struct record rec = {.stop_after = stop_after};
	struct imap_fetch_source source = {memory_read, memory_unread, &m};
	struct net_imap_fetch_callbacks cb = {
		on_message, on_exists, on_expunge, on_vanished, &rec};
	struct run run;

	buf_init(&m.unread);
	buf_init(&rec.log);
	buf_add_str(&rec.log, ""); /* never NULL */
	buf_add_str(&m.unread, "");
	rowan_err_clear(&run.err);
	run.status = imap_fetch_parse(&source, "7", "test:143", limits, &cb,
	                              &run.outcome, &run.err);
	run.log = buf_steal(&rec.log);
	run.unread_len = m.unread.len;
	run.unread = buf_steal(&m.unread);
	return run;
}

static void run_free(struct run *run)
{
	free(run->log);
	free(run->unread);
}

/*
 * Parse data in pieces of several sizes; all must agree.  Returns the
 * run with whole reads (the caller frees it).
 */
static struct run run_all(const char *data, size_t len, int stop_after,
                          const struct imap_fetch_limits *limits)
{
	static const size_t steps[] = {1, 2, 5, 4096};
	struct run whole = run_once(data, len, SIZE_MAX, stop_after, limits);

	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		struct run piece = run_once(data, len, steps[i], stop_after,
		                            limits);
		assert_int_equal(piece.status, whole.status);
		assert_string_equal(piece.log, whole.log);
		assert_int_equal(piece.err.err_class, whole.err.err_class);
		assert_string_equal(piece.outcome.text, whole.outcome.text);
		/* What comes back after the tagged line is the same bytes,
		 * however the reads were cut. */
		if (whole.status != IMAP_FETCH_EOF &&
		    whole.status != IMAP_FETCH_PROTOCOL) {
			size_t used = len - whole.unread_len;
			assert_true(piece.unread_len <= len - used);
			assert_memory_equal(piece.unread, data + used,
			                    piece.unread_len);
		}
		run_free(&piece);
	}
	return whole;
}

static struct run parse_text(const char *text)
{
	return run_all(text, strlen(text), 0, NULL);
}

static void expect_log(const char *text, enum imap_fetch_status status,
                       const char *log)
{
	struct run run = parse_text(text);

	assert_int_equal(run.status, status);
	assert_string_equal(run.log, log);
	run_free(&run);
}

static void expect_protocol(const char *text)
{
	struct run run = parse_text(text);

	if (run.status != IMAP_FETCH_PROTOCOL)
		fail_msg("expected a protocol error for %s, got status %d",
		         text, (int)run.status);
	assert_int_equal(run.err.err_class, ROWAN_ERR_PROTOCOL);
	assert_non_null(strstr(run.err.message, "test:143"));
	run_free(&run);
}

/* ---- well-formed responses ---- */

static void test_basic(void **state)
{
	(void)state;
	expect_log("* 1 FETCH (UID 5 FLAGS (\\Seen \\Flagged) "
	           "INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" "
	           "RFC822.SIZE 4286 BODY[HEADER.FIELDS (FROM SUBJECT)] {23}\r\n"
	           "From: a\r\nSubject: b\r\n\r\n)\r\n"
	           "7 OK Fetch completed.\r\n",
	           IMAP_FETCH_OK,
	           "M 1 uid=5 flags=5 date=837596665 size=4286 "
	           "hdr[23]=From: a\\r\\nSubject: b\\r\\n\\r\\n\n");
}

static void test_tagged_text(void **state)
{
	(void)state;
	const char *text = "7 OK [READ-WRITE] Fetch completed (0.001 + 0.000 secs).\r\n";
	struct run run = parse_text(text);

	assert_int_equal(run.status, IMAP_FETCH_OK);
	assert_string_equal(run.outcome.text,
	                    "[READ-WRITE] Fetch completed (0.001 + 0.000 secs).");
	assert_int_equal(run.unread_len, 0);
	run_free(&run);
}

static void test_odd_order_and_case(void **state)
{
	(void)state;
	expect_log("* 2 fetch (body[HEADER] {8}\r\nX: y\r\n\r\n "
	           "flags () rfc822.size 10 internaldate \" 1-jan-2000 00:00:00 +0100\" "
	           "uid 4000000000)\r\n"
	           "* 3 FETCH (FLAGS (\\ANSWERED \\draft \\Deleted \\Recent $Junk "
	           "NonJunk \\Unknown) UID 6)\r\n"
	           "7 OK done\r\n",
	           IMAP_FETCH_OK,
	           "M 2 uid=4000000000 flags=0 date=946681200 size=10 "
	           "hdr[8]=X: y\\r\\n\\r\\n\n"
	           "M 3 uid=6 flags=58\n");
}

static void test_literal_with_specials(void **state)
{
	(void)state;
	/* CRLF, parentheses, quotes, braces and a fake tagged line inside. */
	expect_log("* 1 FETCH (BODY[HEADER.FIELDS (SUBJECT)] {37}\r\n"
	           "Subject: (a) \"b\" {3}\r\n7 OK fake\r\n\r\n\r\n UID 9)\r\n"
	           "7 OK done\r\n",
	           IMAP_FETCH_OK,
	           "M 1 uid=9 hdr[37]=Subject: (a) \"b\" {3}\\r\\n7 OK fake"
	           "\\r\\n\\r\\n\\r\\n\n");
}

static void test_quoted_and_nil_header(void **state)
{
	(void)state;
	expect_log("* 1 FETCH (UID 1 BODY[HEADER.FIELDS (Subject)] "
	           "\"Subject: \\\"hi\\\" \\\\o/\")\r\n"
	           "* 2 FETCH (UID 2 BODY[HEADER.FIELDS (Subject)] NIL)\r\n"
	           "* 3 FETCH (UID 3 BODY[HEADER.FIELDS (Subject)] \"\")\r\n"
	           "* 4 FETCH (UID 4 RFC822.HEADER {3}\r\nA:b)\r\n"
	           "* 5 FETCH (UID 5 BODY[HEADER] {0}\r\n)\r\n"
	           "7 OK done\r\n",
	           IMAP_FETCH_OK,
	           "M 1 uid=1 hdr[17]=Subject: \"hi\" \\o/\n"
	           "M 2 uid=2\n"
	           "M 3 uid=3 hdr[0]=\n"
	           "M 4 uid=4 hdr[3]=A:b\n"
	           "M 5 uid=5 hdr[0]=\n");
}

static void test_unknown_items(void **state)
{
	(void)state;
	expect_log("* 1 FETCH (ENVELOPE (\"Mon, 1 Jan 2024 00:00:00 +0000\" "
	           "{7}\r\nsu)b(j) ((\"A\" NIL \"a\" \"x.example\")) NIL NIL "
	           "((NIL NIL \"b\" \"y\")((NIL NIL \"c\" \"z\"))) NIL NIL NIL "
	           "\"<id@x>\") "
	           "BODYSTRUCTURE ((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL "
	           "NIL \"7bit\" 10 1 NIL NIL NIL NIL)(\"application\" \"pdf\" "
	           "NIL NIL NIL \"base64\" 2000 NIL (\"attachment\" (\"filename\" "
	           "{5}\r\na.pdf)) NIL NIL) \"mixed\" (\"boundary\" \"x\") NIL NIL NIL) "
	           "X-GM-LABELS (\\Inbox \"[Gmail]/Sent\") "
	           "BINARY.SIZE[1] 55 BODY[TEXT]<0> {11}\r\n) )\r\n((\r\n\r\n "
	           "BODY (\"text\" \"plain\" NIL NIL NIL \"7bit\" 3 1) "
	           "X-ODD ~{3}\r\nabc UID 77 MODSEQ (12345678901))\r\n"
	           "7 OK done\r\n",
	           IMAP_FETCH_OK,
	           "M 1 uid=77 modseq=12345678901\n");
}

static void test_body_sections_that_are_not_the_header(void **state)
{
	(void)state;
	/* A part's header, a partial header, the text: none is the header. */
	expect_log("* 1 FETCH (BODY[1.HEADER] {3}\r\nA:b BODY[HEADER]<0> {3}\r\n"
	           "C:d BODY[TEXT] {3}\r\nE:f BODY[HEADER.FIELDS.NOT (X Y)] "
	           "{3}\r\nG:h BODY[HEADER] {3}\r\nI:j UID 1)\r\n"
	           "7 OK done\r\n",
	           IMAP_FETCH_OK, "M 1 uid=1 hdr[3]=G:h\n");
}

static void test_untagged_interleaved(void **state)
{
	(void)state;
	expect_log("* OK [HIGHESTMODSEQ 5] Highest\r\n"
	           "* 1 FETCH (UID 10 FLAGS (\\Seen))\r\n"
	           "* 12 EXISTS\r\n"
	           "* 3 RECENT\r\n"
	           "* 2 EXPUNGE\r\n"
	           "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $x)\r\n"
	           "* VANISHED (EARLIER) 1:3,5,8:*\r\n"
	           "* VANISHED 41\r\n"
	           "* LIST (\\HasNoChildren) \"/\" {5}\r\nINBOX\r\n"
	           "* CAPABILITY IMAP4rev1 CONDSTORE AUTH=PLAIN\r\n"
	           "* NO [ALERT] disk (almost) full {4}\r\n"
	           "* 2 FETCH (FLAGS (\\Deleted) UID 11 MODSEQ (9))\r\n"
	           "7 OK done\r\n",
	           IMAP_FETCH_OK,
	           "M 1 uid=10 flags=1\n"
	           "EXISTS 12\n"
	           "EXPUNGE 2\n"
	           "VANISHED EARLIER 1:3,5,8:*\n"
	           "VANISHED 41\n"
	           "M 2 uid=11 flags=8 modseq=9\n");
}

static void test_tagged_no_and_bad(void **state)
{
	(void)state;
	struct run run = parse_text("* 1 FETCH (UID 1)\r\n"
	                            "7 NO [SERVERBUG] Internal error\r\n");
	assert_int_equal(run.status, IMAP_FETCH_NO);
	assert_int_equal(run.err.err_class, ROWAN_ERR_SERVER);
	assert_non_null(strstr(run.err.message, "Internal error"));
	assert_string_equal(run.log, "M 1 uid=1\n");
	run_free(&run);

	run = parse_text("7 BAD Error in IMAP command UID FETCH: Invalid uidset\r\n");
	assert_int_equal(run.status, IMAP_FETCH_NO);
	assert_int_equal(run.err.err_class, ROWAN_ERR_SERVER);
	assert_non_null(strstr(run.err.message, "Invalid uidset"));
	run_free(&run);

	run = parse_text("7 ok\r\n");
	assert_int_equal(run.status, IMAP_FETCH_OK);
	assert_string_equal(run.outcome.text, "");
	run_free(&run);
}

static void test_stop(void **state)
{
	(void)state;
	const char *text = "* 1 FETCH (UID 1)\r\n* 2 FETCH (UID 2)\r\n"
		"* 1 EXPUNGE\r\n* 3 FETCH (UID 3 BODY[HEADER] {2}\r\nab)\r\n"
		"7 OK done\r\n";
	struct run run = run_all(text, strlen(text), 2, NULL);

	assert_int_equal(run.status, IMAP_FETCH_STOPPED);
	assert_string_equal(run.log, "M 1 uid=1\nM 2 uid=2\nEXPUNGE 1\n");
	assert_int_equal(run.unread_len, 0);
	run_free(&run);
}

static void test_bytes_after_tagged_go_back(void **state)
{
	(void)state;
	const char *text = "* 1 FETCH (UID 1)\r\n7 OK done\r\n* 5 EXISTS\r\n";
	struct run run = run_once(text, strlen(text), SIZE_MAX, 0, NULL);

	assert_int_equal(run.status, IMAP_FETCH_OK);
	assert_int_equal(run.unread_len, strlen("* 5 EXISTS\r\n"));
	assert_memory_equal(run.unread, "* 5 EXISTS\r\n", run.unread_len);
	assert_string_equal(run.log, "M 1 uid=1\n");
	run_free(&run);
	/* In pieces, checked by run_all against the whole run. */
	run = parse_text(text);
	run_free(&run);
}

static void test_big_header(void **state)
{
	(void)state;
	size_t size = 300000;
	struct buf in, want;

	buf_init(&in);
	buf_init(&want);
	buf_printf(&in, "* 1 FETCH (BODY[HEADER] {%zu}\r\n", size);
	for (size_t i = 0; i < size; i++)
		buf_add_char(&in, (char)('a' + i % 26));
	buf_add_str(&in, " UID 3)\r\n* 2 FETCH (UID 4 BODY[HEADER] {1}\r\nz)\r\n"
	            "7 OK done\r\n");
	struct run run = run_once(in.data, in.len, 7, 0, NULL);
	assert_int_equal(run.status, IMAP_FETCH_OK);
	buf_printf(&want, "M 1 uid=3 hdr[%zu]=", size);
	for (size_t i = 0; i < size; i++)
		buf_add_char(&want, (char)('a' + i % 26));
	buf_add_str(&want, "\nM 2 uid=4 hdr[1]=z\n");
	assert_string_equal(run.log, want.data);
	run_free(&run);
	buf_free(&in);
	buf_free(&want);
}

static void test_many_messages(void **state)
{
	(void)state;
	struct buf in;
	const char *header = "From: someone@example.org\r\nSubject: hello\r\n\r\n";

	buf_init(&in);
	for (unsigned i = 1; i <= 5000; i++)
		buf_printf(&in, "* %u FETCH (UID %u FLAGS (\\Seen) RFC822.SIZE %u "
		           "BODY[HEADER.FIELDS (FROM SUBJECT)] {%zu}\r\n%s)\r\n",
		           i, i * 2, i + 100, strlen(header), header);
	buf_add_str(&in, "7 OK done\r\n");
	struct run run = run_once(in.data, in.len, 8192, 0, NULL);
	assert_int_equal(run.status, IMAP_FETCH_OK);
	size_t lines = 0;
	for (const char *c = run.log; *c != '\0'; c++)
		lines += *c == '\n';
	assert_int_equal(lines, 5000);
	assert_non_null(strstr(run.log, "M 5000 uid=10000 flags=1 size=5100 hdr[45]="));
	run_free(&run);
	buf_free(&in);
}

static void test_nesting_limit(void **state)
{
	(void)state;
	struct buf in;

	buf_init(&in);
	buf_add_str(&in, "* 1 FETCH (X-DEEP ");
	for (int i = 0; i < IMAP_FETCH_MAX_DEPTH; i++)
		buf_add_char(&in, '(');
	for (int i = 0; i < IMAP_FETCH_MAX_DEPTH; i++)
		buf_add_char(&in, ')');
	buf_add_str(&in, " UID 1)\r\n7 OK done\r\n");
	expect_log(in.data, IMAP_FETCH_OK, "M 1 uid=1\n");

	buf_reset(&in);
	buf_add_str(&in, "* 1 FETCH (X-DEEP ");
	for (int i = 0; i < 100000; i++)
		buf_add_char(&in, '(');
	buf_add_str(&in, "\r\n7 OK done\r\n");
	expect_protocol(in.data);
	buf_free(&in);
}

/* ---- malformed input ---- */

static void test_malformed(void **state)
{
	(void)state;
	static const char *const inputs[] = {
		"+ go ahead\r\n7 OK done\r\n",
		"8 OK someone else's\r\n",
		"7 MAYBE\r\n",
		"7 OK done\n",
		"7OK\r\n",
		"\x01\x02\x03\r\n",
		"*\r\n",
		"* 1 FETCH UID 1\r\n7 OK done\r\n",
		"* 0 FETCH (UID 1)\r\n7 OK done\r\n",
		"* 4294967296 FETCH (UID 1)\r\n7 OK done\r\n",
		"* 99999999999999999999999 FETCH (UID 1)\r\n7 OK done\r\n",
		"* 0 EXPUNGE\r\n7 OK done\r\n",
		"* 1 FETCH (UID 0)\r\n7 OK done\r\n",
		"* 1 FETCH (UID x)\r\n7 OK done\r\n",
		"* 1 FETCH (UID 1\r\n7 OK done\r\n",
		"* 1 FETCH (UID 1))\r\n7 OK done\r\n",
		"* 1 FETCH (UID 1  FLAGS ())\r\n7 OK done\r\n",
		"* 1 FETCH (UID 1)junk\r\n7 OK done\r\n",
		"* 1 FETCH (UID 1)\n7 OK done\r\n",
		"* 1 FETCH (FLAGS \\Seen)\r\n7 OK done\r\n",
		"* 1 FETCH (FLAGS ((\\Seen)))\r\n7 OK done\r\n",
		"* 1 FETCH (RFC822.SIZE 18446744073709551616)\r\n7 OK done\r\n",
		"* 1 FETCH (INTERNALDATE \"31-Feb-2020 00:00:00 +0000\")\r\n7 OK done\r\n",
		"* 1 FETCH (INTERNALDATE \"1-Jan-2020 00:00:00\")\r\n7 OK done\r\n",
		"* 1 FETCH (INTERNALDATE 17)\r\n7 OK done\r\n",
		"* 1 FETCH (MODSEQ 5)\r\n7 OK done\r\n",
		"* 1 FETCH (UID[1] 5)\r\n7 OK done\r\n",
		"* 1 FETCH (BODY[HEADER] \"a\\xb\")\r\n7 OK done\r\n",
		"* 1 FETCH (BODY[HEADER] \"a\r\nb\")\r\n7 OK done\r\n",
		"* 1 FETCH (BODY[HEADER] {3}x\r\nabc)\r\n7 OK done\r\n",
		"* 1 FETCH (BODY[HEADER] {3\r\nabc)\r\n7 OK done\r\n",
		"* 1 FETCH (BODY[HEADER] {}\r\n)\r\n7 OK done\r\n",
		"* 1 FETCH (BODY[HEADER] {99999999999}\r\nabc)\r\n7 OK done\r\n",
		"* 1 FETCH (BODY[HEADER] {18446744073709551615}\r\n)\r\n7 OK done\r\n",
		"* 1 FETCH (BODY[HEADER] ATOM)\r\n7 OK done\r\n",
		"* 1 FETCH (BODY[HEADER.FIELDS ((A))] NIL)\r\n7 OK done\r\n",
		"* 1 FETCH (BODY[HEADER]<x> NIL)\r\n7 OK done\r\n",
		"* 1 FETCH (BODY[HEADER\r\n",
		"* 1 FETCH (X-UNKNOWN )\r\n7 OK done\r\n",
		"* 1 FETCH (X-UNKNOWN (a b)))\r\n7 OK done\r\n",
		"* 1 FETCH (X-UNKNOWN (a\r\nb))\r\n7 OK done\r\n",
		"* 1 FETCH (X-UNKNOWN {5}\r\nab)\r\n7 OK done\r\n",
		"* VANISHED 1:x\r\n7 OK done\r\n",
		"* VANISHED (EARLIER 1\r\n7 OK done\r\n",
		"* LIST () \"/\" {5}\r\nIN\r\n7 OK done\r\n",
		"* SOMETHING ) odd\r\n7 OK done\r\n",
	};

	for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
		struct run run = parse_text(inputs[i]);
		if (run.status != IMAP_FETCH_PROTOCOL &&
		    run.status != IMAP_FETCH_EOF)
			fail_msg("input %zu (%s) gave status %d", i, inputs[i],
			         (int)run.status);
		assert_true(run.err.err_class == ROWAN_ERR_PROTOCOL ||
		            run.err.err_class == ROWAN_ERR_NET);
		run_free(&run);
	}
}

static void test_protocol_errors(void **state)
{
	(void)state;
	/* These are bad whatever follows, so never a mere end of input. */
	expect_protocol("+ go ahead\r\n7 OK done\r\n");
	expect_protocol("8 OK someone else's\r\n");
	expect_protocol("* 1 FETCH (BODY[HEADER] {99999999999}\r\nabc)\r\n");
	expect_protocol("* 1 FETCH (UID 0)\r\n7 OK done\r\n");
	expect_protocol("* 1 FETCH (FLAGS ((\\Seen)))\r\n7 OK done\r\n");
	expect_protocol("\x01\x02\x03\r\n");
	expect_protocol("* 1 FETCH (INTERNALDATE \"31-Feb-2020 00:00:00 +0000\")\r\n");
}

static void test_truncated(void **state)
{
	(void)state;
	const char *full = "* 1 FETCH (UID 5 FLAGS (\\Seen) INTERNALDATE "
		"\"17-Jul-1996 02:44:25 -0700\" BODY[HEADER] {10}\r\n"
		"0123456789)\r\n7 OK done\r\n";
	size_t len = strlen(full);

	/* Every proper prefix ends in "connection lost", never a hang. */
	for (size_t cut = 0; cut < len; cut++) {
		struct run run = run_once(full, cut, 3, 0, NULL);
		assert_int_equal(run.status, IMAP_FETCH_EOF);
		assert_int_equal(run.err.err_class, ROWAN_ERR_NET);
		assert_non_null(strstr(run.err.message, "connection was lost"));
		run_free(&run);
	}
}

static void test_bye(void **state)
{
	(void)state;
	struct run run = parse_text("* 1 FETCH (UID 5)\r\n"
	                            "* BYE Server shutting down.\r\n");
	assert_int_equal(run.status, IMAP_FETCH_EOF);
	assert_true(run.outcome.bye);
	assert_string_equal(run.outcome.bye_text, " Server shutting down.");
	run_free(&run);
}

static void test_limits(void **state)
{
	(void)state;
	struct imap_fetch_limits small = {.max_literal = 10, .max_token = 16};
	const char *text = "* 1 FETCH (BODY[HEADER] {11}\r\n0123456789a)\r\n7 OK\r\n";
	struct run run = run_all(text, strlen(text), 0, &small);
	assert_int_equal(run.status, IMAP_FETCH_PROTOCOL);
	assert_non_null(strstr(run.err.message, "literal too large"));
	run_free(&run);

	text = "* 1 FETCH (BODY[HEADER] {10}\r\n0123456789)\r\n7 OK\r\n";
	run = run_all(text, strlen(text), 0, &small);
	assert_int_equal(run.status, IMAP_FETCH_OK);
	run_free(&run);

	text = "* 1 FETCH (X-LONG abcdefghijabcdefghij)\r\n7 OK\r\n";
	run = run_all(text, strlen(text), 0, &small);
	assert_int_equal(run.status, IMAP_FETCH_PROTOCOL);
	run_free(&run);

	text = "* 1 FETCH (X-LONG \"abcdefghijabcdefghij\")\r\n7 OK\r\n";
	run = run_all(text, strlen(text), 0, &small);
	assert_int_equal(run.status, IMAP_FETCH_PROTOCOL);
	run_free(&run);

	/* Endless small items after a kept header must not grow forever. */
	struct buf in;
	buf_init(&in);
	buf_add_str(&in, "* 1 FETCH (BODY[HEADER] {2}\r\nab");
	for (int i = 0; i < 100000; i++)
		buf_add_str(&in, " X-A 1");
	buf_add_str(&in, ")\r\n7 OK\r\n");
	run = run_once(in.data, in.len, SIZE_MAX, 0, &small);
	assert_int_equal(run.status, IMAP_FETCH_PROTOCOL);
	assert_non_null(strstr(run.err.message, "too large"));
	run_free(&run);
	buf_free(&in);
}

/* ---- dates ---- */

static void test_dates(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		int64_t value;
	} good[] = {
		{"17-Jul-1996 02:44:25 -0700", 837596665},
		{" 1-Jan-1970 00:00:00 +0000", 0},
		{"1-Jan-1970 00:00:00 +0000", 0},
		{"01-jan-2000 00:00:00 +0100", 946681200},
		{"29-Feb-2024 12:00:00 +0000", 1709208000},
		{"31-Dec-1969 23:59:59 +0000", -1},
		{"19-Jan-2038 03:14:08 +0000", 2147483648},
		{"01-Jan-1970 00:00:00 -2359", 86340},
	};
	static const char *const bad[] = {
		"", "17-Jul-1996", "17-Jux-1996 02:44:25 -0700",
		"32-Jul-1996 02:44:25 -0700", "0-Jul-1996 02:44:25 -0700",
		"17-Jul-96 02:44:25 -0700", "17-Jul-1996 24:00:00 -0700",
		"17-Jul-1996 02:60:25 -0700", "17-Jul-1996 02:44:25 0700",
		"17-Jul-1996 02:44:25 -07000", "17-Jul-1996 02:44:25 -07",
		"17-Jul-1996  2:44:25 -0700", "  1-Jan-1970 00:00:00 +0000",
		"117-Jul-1996 02:44:25 -0700", "17-Jul-1996 02:44:25 -0760",
	};
	int64_t value;

	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		assert_int_equal(imap_fetch_parse_date(good[i].text,
		                                       strlen(good[i].text),
		                                       &value), 0);
		assert_int_equal(value, good[i].value);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (imap_fetch_parse_date(bad[i], strlen(bad[i]), &value) == 0)
			fail_msg("accepted bad date \"%s\"", bad[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_tagged_text),
		cmocka_unit_test(test_odd_order_and_case),
		cmocka_unit_test(test_literal_with_specials),
		cmocka_unit_test(test_quoted_and_nil_header),
		cmocka_unit_test(test_unknown_items),
		cmocka_unit_test(test_body_sections_that_are_not_the_header),
		cmocka_unit_test(test_untagged_interleaved),
		cmocka_unit_test(test_tagged_no_and_bad),
		cmocka_unit_test(test_stop),
		cmocka_unit_test(test_bytes_after_tagged_go_back),
		cmocka_unit_test(test_big_header),
		cmocka_unit_test(test_many_messages),
		cmocka_unit_test(test_nesting_limit),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_protocol_errors),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_bye),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_dates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
