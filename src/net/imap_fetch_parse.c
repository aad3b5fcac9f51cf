/*
 * imap_fetch_parse: the responses to UID FETCH.  Takes UID, FLAGS,
 * INTERNALDATE, RFC822.SIZE, MODSEQ and the BODY[HEADER...] value out
 * of each FETCH response in whatever order they come, skips every other
 * item (ENVELOPE, BODYSTRUCTURE, ...) and untagged response without
 * building anything, reports EXISTS, EXPUNGE and VANISHED, and stops at
 * the command's tagged response.  The tokens are imap_fetch_lex.c's.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "net/imap_fetch.h"
#include "net/internal.h"

/* ---- FETCH items ---- */

static int read_flags(struct imap_lex *p, unsigned *flags)
{
	static const struct {
		const char *name;
		unsigned bit;
	} system[] = {
		{"\\SEEN", NET_IMAP_FLAG_SEEN},
		{"\\ANSWERED", NET_IMAP_FLAG_ANSWERED},
		{"\\FLAGGED", NET_IMAP_FLAG_FLAGGED},
		{"\\DELETED", NET_IMAP_FLAG_DELETED},
		{"\\DRAFT", NET_IMAP_FLAG_DRAFT},
		{"\\RECENT", NET_IMAP_FLAG_RECENT},
	};
	size_t start, len;

	*flags = 0;
	if (imap_lex_expect(p, '(', N_("flag list expected")) != 0)
		return -1;
	for (;;) {
		int c = imap_lex_peek(p);
		if (c < 0)
			return -1;
		if (c == ')') {
			p->pos++;
			return 0;
		}
		if (c == ' ') {
			p->pos++;
			continue;
		}
		if (imap_lex_read_word(p, true, &start, &len) != 0)
			return -1;
		if (p->data[start] != '\\')
			continue; /* a keyword */
		for (size_t i = 0; i < sizeof system / sizeof system[0]; i++)
			if (imap_lex_ascii_equal(p->data + start, len,
			                         system[i].name))
				*flags |= system[i].bit;
	}
}

/*
 * A section "[...]" at pos, and an optional "<origin>".  *is_header
 * says whether it names the message's header (HEADER, HEADER.FIELDS,
 * HEADER.FIELDS.NOT), whose value the caller wants.
 */
static int read_section(struct imap_lex *p, bool *is_header)
{
	size_t start, len;
	uint64_t n;
	int depth = 0;
	bool first = true;

	*is_header = false;
	p->pos++; /* '[' */
	for (;;) {
		int c = imap_lex_peek(p);
		if (c < 0)
			return -1;
		if (c == ']' && depth == 0) {
			p->pos++;
			break;
		}
		if (c == ' ') {
			p->pos++;
		} else if (c == '(') {
			if (++depth > 1)
				return imap_lex_fail_protocol(p,
							      N_("bad section"));
			p->pos++;
		} else if (c == ')') {
			if (depth-- == 0)
				return imap_lex_fail_protocol(p,
							      N_("bad section"));
			p->pos++;
		} else if (c == '"') {
			if (imap_lex_read_quoted(p, &start, &len) != 0)
				return -1;
		} else if (c == '{') {
			if (imap_lex_read_literal_size(p, &n) != 0 ||
			    imap_lex_skip_bytes(p, n) != 0)
				return -1;
		} else {
			if (imap_lex_read_word(p, true, &start, &len) != 0)
				return -1;
			if (first && len >= 6 &&
			    imap_lex_ascii_equal(p->data + start, 6, "HEADER"))
				*is_header = true;
		}
		first = false;
	}
	if (imap_lex_peek(p) == '<') {
		p->pos++;
		if (imap_lex_read_number(p, &n) != 0 ||
		    imap_lex_expect(p, '>', N_("bad partial fetch")) != 0)
			return -1;
		/* A partial header is not the header. */
		*is_header = false;
	}
	return p->failed ? -1 : 0;
}

/* INTERNALDATE's value: a quoted date-time, or NIL. */
static int read_internaldate(struct imap_lex *p, int64_t *out)
{
	bool present;
	size_t start, len;

	if (imap_lex_read_nstring(p, &present, &start, &len) != 0)
		return -1;
	*out = -1;
	if (present &&
	    imap_fetch_parse_date(p->data + start, len, out) != 0)
		return imap_lex_fail_protocol(p, N_("bad INTERNALDATE"));
	return 0;
}

/* The header value: kept in the buffer (p->keep) until the callback. */
static int read_header(struct imap_lex *p, struct net_imap_fetched *msg)
{
	bool present;
	size_t start, len;

	if (p->keep != IMAP_LEX_NO_KEEP || msg->header_len != 0)
		return imap_lex_skip_value(p); /* a second one: ignore it */
	if (imap_lex_read_nstring(p, &present, &start, &len) != 0)
		return -1;
	if (present) {
		p->keep = start;
		msg->header_len = len;
	}
	return 0;
}

static int read_item(struct imap_lex *p, struct net_imap_fetched *msg)
{
	size_t start, len;
	uint64_t modseq;
	bool is_header = false;
	bool section = false;

	if (imap_lex_read_word(p, true, &start, &len) != 0)
		return -1;
	const char *name = p->data + start;
	bool body = imap_lex_ascii_equal(name, len, "BODY") ||
		imap_lex_ascii_equal(name, len, "BODY.PEEK");
	bool rfc822_header = imap_lex_ascii_equal(name, len, "RFC822.HEADER");
	enum { OTHER, UID, FLAGS, DATE, SIZE, MODSEQ } kind = OTHER;
	if (imap_lex_ascii_equal(name, len, "UID"))
		kind = UID;
	else if (imap_lex_ascii_equal(name, len, "FLAGS"))
		kind = FLAGS;
	else if (imap_lex_ascii_equal(name, len, "INTERNALDATE"))
		kind = DATE;
	else if (imap_lex_ascii_equal(name, len, "RFC822.SIZE"))
		kind = SIZE;
	else if (imap_lex_ascii_equal(name, len, "MODSEQ"))
		kind = MODSEQ;
	/* name is invalid from here on: the buffer may move. */
	if (imap_lex_peek(p) == '[') {
		if (kind != OTHER || rfc822_header)
			return imap_lex_fail_protocol(p,
						      N_("unexpected section"));
		section = true;
		if (read_section(p, &is_header) != 0)
			return -1;
	}
	if (imap_lex_expect_space(p) != 0)
		return -1;
	if ((body && section && is_header) || rfc822_header)
		return read_header(p, msg);
	switch (kind) {
	case UID:
		msg->has_uid = true;
		return imap_lex_read_number32(p, &msg->uid);
	case FLAGS:
		msg->has_flags = true;
		return read_flags(p, &msg->flags);
	case DATE:
		return read_internaldate(p, &msg->internaldate);
	case SIZE:
		return imap_lex_read_number(p, &msg->size);
	case MODSEQ:
		if (imap_lex_expect(p, '(', N_("bad MODSEQ")) != 0 ||
		    imap_lex_read_number(p, &modseq) != 0 ||
		    imap_lex_expect(p, ')', N_("bad MODSEQ")) != 0)
			return -1;
		msg->modseq = modseq;
		return 0;
	default:
		return imap_lex_skip_value(p);
	}
}

/* "(item SP value ...)" CRLF of "* seq FETCH ", then the callback. */
static int read_fetch(struct imap_lex *p, uint32_t seq,
                      const struct net_imap_fetch_callbacks *cb)
{
	struct net_imap_fetched msg = {.seq = seq, .internaldate = -1};

	if (imap_lex_expect(p, '(', N_("FETCH without a list")) != 0)
		return -1;
	if (imap_lex_peek(p) == ')') {
		p->pos++;
	} else {
		for (;;) {
			if (read_item(p, &msg) != 0)
				return -1;
			int c = imap_lex_peek(p);
			if (c < 0)
				return -1;
			p->pos++;
			if (c == ')')
				break;
			if (c != ' ')
				return imap_lex_fail_protocol(p,
					N_("bad FETCH item list"));
		}
	}
	if (imap_lex_expect_crlf(p) != 0)
		return -1;
	if (p->keep != IMAP_LEX_NO_KEEP) {
		msg.header = p->data + p->keep;
	} else {
		msg.header_len = 0;
	}
	if (!p->stopped && cb->message != NULL &&
	    cb->message(&msg, cb->ctx) != 0)
		p->stopped = true;
	p->keep = IMAP_LEX_NO_KEEP;
	return 0;
}

/* ---- lines ---- */

/* Any other untagged response: its tokens (literals too) to CRLF. */
static int skip_response(struct imap_lex *p)
{
	for (;;) {
		int c = imap_lex_peek(p);
		if (c < 0)
			return -1;
		if (c == '\r')
			return imap_lex_expect_crlf(p);
		if (c == ' ')
			p->pos++;
		else if (imap_lex_skip_value(p) != 0)
			return -1;
	}
}

/* "VANISHED [(EARLIER)] set" after "* VANISHED ". */
static int read_vanished(struct imap_lex *p,
                         const struct net_imap_fetch_callbacks *cb)
{
	size_t start, len;
	bool earlier = false;

	if (imap_lex_peek(p) == '(') {
		p->pos++;
		if (imap_lex_read_word(p, true, &start, &len) != 0)
			return -1;
		earlier = imap_lex_ascii_equal(p->data + start, len, "EARLIER");
		if (imap_lex_expect(p, ')', N_("bad VANISHED")) != 0 ||
		    imap_lex_expect_space(p) != 0)
			return -1;
	}
	if (imap_lex_read_word(p, true, &start, &len) != 0)
		return -1;
	for (size_t i = 0; i < len; i++) {
		char c = p->data[start + i];
		if (!(c >= '0' && c <= '9') && c != ',' && c != ':' && c != '*')
			return imap_lex_fail_protocol(p, N_("bad VANISHED"));
	}
	buf_reset(&p->scratch);
	buf_add(&p->scratch, p->data + start, len);
	if (imap_lex_expect_crlf(p) != 0)
		return -1;
	if (cb->vanished != NULL)
		cb->vanished(p->scratch.data, earlier, cb->ctx);
	return 0;
}

/* "* " seen: one untagged response. */
static int read_untagged(struct imap_lex *p,
                         const struct net_imap_fetch_callbacks *cb,
                         struct imap_fetch_outcome *outcome)
{
	size_t start, len;
	int c = imap_lex_peek(p);

	if (c < 0)
		return -1;
	if (c >= '0' && c <= '9') {
		uint64_t number;
		if (imap_lex_read_number(p, &number) != 0 ||
		    imap_lex_expect_space(p) != 0 ||
		    imap_lex_read_word(p, true, &start, &len) != 0)
			return -1;
		const char *word = p->data + start;
		if (imap_lex_ascii_equal(word, len, "FETCH")) {
			if (number == 0 || number > UINT32_MAX)
				return imap_lex_fail_protocol(p,
					N_("number out of range"));
			if (imap_lex_expect_space(p) != 0)
				return -1;
			return read_fetch(p, (uint32_t)number, cb);
		}
		if (imap_lex_ascii_equal(word, len, "EXISTS")) {
			if (number > UINT32_MAX)
				return imap_lex_fail_protocol(p,
					N_("number out of range"));
			if (imap_lex_expect_crlf(p) != 0)
				return -1;
			if (cb->exists != NULL)
				cb->exists((uint32_t)number, cb->ctx);
			return 0;
		}
		if (imap_lex_ascii_equal(word, len, "EXPUNGE")) {
			if (number == 0 || number > UINT32_MAX)
				return imap_lex_fail_protocol(p,
					N_("number out of range"));
			if (imap_lex_expect_crlf(p) != 0)
				return -1;
			if (cb->expunge != NULL)
				cb->expunge((uint32_t)number, cb->ctx);
			return 0;
		}
		return skip_response(p);
	}
	if (imap_lex_read_word(p, true, &start, &len) != 0)
		return -1;
	const char *word = p->data + start;
	if (imap_lex_ascii_equal(word, len, "VANISHED")) {
		if (imap_lex_expect_space(p) != 0)
			return -1;
		return read_vanished(p, cb);
	}
	if (imap_lex_ascii_equal(word, len, "BYE")) {
		outcome->bye = true;
		return imap_lex_read_text(p, outcome->bye_text,
		                          sizeof outcome->bye_text);
	}
	if (imap_lex_ascii_equal(word, len, "OK") ||
	    imap_lex_ascii_equal(word, len, "NO") ||
	    imap_lex_ascii_equal(word, len, "BAD") ||
	    imap_lex_ascii_equal(word, len, "PREAUTH"))
		return imap_lex_read_text(p, NULL, 0);
	return skip_response(p);
}

/* A tagged response: ours ends the command, any other is an error. */
static int read_tagged(struct imap_lex *p, const char *tag,
                       struct imap_fetch_outcome *outcome, bool *done)
{
	size_t start, len;
	enum imap_fetch_status status;

	if (imap_lex_read_word(p, true, &start, &len) != 0)
		return -1;
	if (len != strlen(tag) || memcmp(p->data + start, tag, len) != 0)
		return imap_lex_fail_protocol(p,
			N_("response with an unknown tag"));
	if (imap_lex_expect_space(p) != 0 ||
	    imap_lex_read_word(p, true, &start, &len) != 0)
		return -1;
	if (imap_lex_ascii_equal(p->data + start, len, "OK"))
		status = IMAP_FETCH_OK;
	else if (imap_lex_ascii_equal(p->data + start, len, "NO") ||
	         imap_lex_ascii_equal(p->data + start, len, "BAD"))
		status = IMAP_FETCH_NO;
	else
		return imap_lex_fail_protocol(p, N_("bad tagged response"));
	outcome->text[0] = '\0';
	if (imap_lex_peek(p) == ' ') {
		p->pos++;
		if (imap_lex_read_text(p, outcome->text,
		                       sizeof outcome->text) != 0)
			return -1;
	} else if (imap_lex_expect_crlf(p) != 0) {
		return -1;
	}
	if (p->stopped)
		status = IMAP_FETCH_STOPPED;
	if (status == IMAP_FETCH_NO) {
		char text[sizeof outcome->text];
		net_text_clean(outcome->text, text, sizeof text);
		rowan_err_set(p->err, ROWAN_ERR_SERVER,
		              _("%s: the server refused UID FETCH: %s"),
		              p->label, text);
	}
	p->status = status;
	*done = true;
	return 0;
}

enum imap_fetch_status imap_fetch_parse(const struct imap_fetch_source *source,
                                        const char *tag, const char *label,
                                        const struct imap_fetch_limits *limits,
                                        const struct net_imap_fetch_callbacks *cb,
                                        struct imap_fetch_outcome *outcome,
                                        struct rowan_err *err)
{
	struct imap_lex p;
	bool done = false;

	imap_lex_init(&p, source, label, limits, err);
	memset(outcome, 0, sizeof *outcome);
	while (!done) {
		int c = imap_lex_peek(&p);
		int r;
		if (c < 0)
			break;
		if (c == '*') {
			p.pos++;
			r = imap_lex_expect_space(&p);
			if (r == 0)
				r = read_untagged(&p, cb, outcome);
		} else if (c == '+') {
			r = imap_lex_fail_protocol(&p,
				N_("unexpected continuation request"));
		} else {
			r = read_tagged(&p, tag, outcome, &done);
		}
		if (r != 0)
			break;
	}
	if (!done && !p.failed)
		imap_lex_fail_eof(&p);
	imap_lex_finish(&p, done);
	return p.status;
}

