/*
 * imap_fetch_lex: the byte buffer and the tokens under the UID FETCH
 * reader (imap_fetch_parse.c): atoms, numbers, quoted strings (unescaped
 * in place), literals ({n}, {n+}, ~{n}), NIL, values skipped whole
 * (nested lists with literals inside), lines of text, and IMAP dates.
 *
 * Memory: one buffer holds the unparsed bytes and, while a FETCH
 * response is being read, its header value (from keep on), which the
 * callback gets as a pointer into the buffer (no copy).  Skipped
 * literals are dropped as they arrive.  The buffer grows only as bytes
 * arrive, never by an announced size, and never past max_literal plus
 * two tokens.  Nothing recurses: list nesting is a counter with a cap.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "net/imap_fetch.h"
#include "net/internal.h"

#define READ_CHUNK 16384
#define DEFAULT_MAX_LITERAL ((uint64_t)100 << 20)
#define DEFAULT_MAX_TOKEN ((size_t)1 << 20)

void imap_lex_init(struct imap_lex *p, const struct imap_fetch_source *source,
                   const char *label, const struct imap_fetch_limits *limits,
                   struct rowan_err *err)
{
	memset(p, 0, sizeof *p);
	p->source = source;
	p->label = label;
	p->max_literal = limits != NULL && limits->max_literal > 0
		? limits->max_literal : DEFAULT_MAX_LITERAL;
	p->max_token = limits != NULL && limits->max_token > 0
		? limits->max_token : DEFAULT_MAX_TOKEN;
	p->max_buffer = (size_t)p->max_literal + 2 * p->max_token +
		4 * READ_CHUNK;
	p->keep = IMAP_LEX_NO_KEEP;
	p->err = err;
	buf_init(&p->scratch);
}

void imap_lex_finish(struct imap_lex *p, bool give_back)
{
	if (give_back && p->end > p->pos && p->source->unread != NULL)
		p->source->unread(p->source->ctx, p->data + p->pos,
		                  p->end - p->pos);
	free(p->data);
	p->data = NULL;
	buf_free(&p->scratch);
}

/* ---- errors ---- */

/* what: an untranslated N_() phrase, translated only here (it is
 * evaluated on every call, on the fast path too). */
int imap_lex_fail_protocol(struct imap_lex *p, const char *what)
{
	if (!p->failed) {
		p->failed = true;
		p->status = IMAP_FETCH_PROTOCOL;
		/* L10N: the second %s says what was wrong, e.g.
		   "literal too large" */
		rowan_err_set(p->err, ROWAN_ERR_PROTOCOL,
		              _("%s: malformed response to UID FETCH (%s)"),
		              p->label, _(what));
	}
	return -1;
}

int imap_lex_fail_eof(struct imap_lex *p)
{
	if (!p->failed) {
		p->failed = true;
		p->status = IMAP_FETCH_EOF;
		rowan_err_set(p->err, ROWAN_ERR_NET,
		              _("%s: the connection was lost"), p->label);
	}
	return -1;
}

/* ---- the buffer ---- */

/* Make at least READ_CHUNK bytes of room after end. */
static int make_room(struct imap_lex *p)
{
	size_t base = p->keep < p->pos ? p->keep : p->pos;

	if (base > 0 && p->cap - p->end < READ_CHUNK) {
		memmove(p->data, p->data + base, p->end - base);
		p->pos -= base;
		p->end -= base;
		if (p->keep != IMAP_LEX_NO_KEEP)
			p->keep -= base;
	}
	if (p->cap - p->end >= READ_CHUNK)
		return 0;
	size_t need = p->end + READ_CHUNK;
	if (need > p->max_buffer)
		return imap_lex_fail_protocol(p, N_("response too large"));
	size_t cap = p->cap > 0 ? p->cap : 2 * READ_CHUNK;
	while (cap < need)
		cap *= 2;
	if (cap > p->max_buffer)
		cap = p->max_buffer;
	p->data = xrealloc(p->data, cap);
	p->cap = cap;
	return 0;
}

/* Have at least want bytes from pos on; reads as needed. */
int imap_lex_fill(struct imap_lex *p, size_t want)
{
	while (p->end - p->pos < want) {
		if (p->failed)
			return -1;
		if (make_room(p) != 0)
			return -1;
		ssize_t n = p->source->read(p->source->ctx, p->data + p->end,
		                            p->cap - p->end);
		if (n <= 0 || (size_t)n > p->cap - p->end)
			return imap_lex_fail_eof(p);
		p->end += (size_t)n;
	}
	return 0;
}

int imap_lex_expect(struct imap_lex *p, char c, const char *what)
{
	int got = imap_lex_peek(p);

	if (got < 0)
		return -1;
	if (got != (unsigned char)c)
		return imap_lex_fail_protocol(p, what);
	p->pos++;
	return 0;
}

int imap_lex_expect_space(struct imap_lex *p)
{
	return imap_lex_expect(p, ' ', N_("missing space"));
}

int imap_lex_expect_crlf(struct imap_lex *p)
{
	if (imap_lex_expect(p, '\r', N_("junk at the end of a line")) != 0)
		return -1;
	return imap_lex_expect(p, '\n', N_("CR without LF"));
}

/* Drop n bytes at pos: consumed, or cut out when the header is kept. */
int imap_lex_skip_bytes(struct imap_lex *p, uint64_t n)
{
	while (n > 0) {
		if (p->pos == p->end && imap_lex_fill(p, 1) != 0)
			return -1;
		size_t avail = p->end - p->pos;
		size_t k = avail < n ? avail : (size_t)n;
		if (p->keep == IMAP_LEX_NO_KEEP) {
			p->pos += k;
		} else {
			memmove(p->data + p->pos, p->data + p->pos + k,
			        p->end - p->pos - k);
			p->end -= k;
		}
		n -= k;
	}
	return 0;
}

/* ---- tokens ---- */

bool imap_lex_ascii_equal(const char *a, size_t len, const char *word)
{
	size_t i;

	for (i = 0; i < len && word[i] != '\0'; i++) {
		char c = a[i];
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c != word[i])
			return false;
	}
	return i == len && word[i] == '\0';
}

/*
 * Atom-like bytes: printable ASCII except the specials.  Item names and
 * section parts (strict) also stop at "[]<"; skipped values (lenient)
 * take them as part of a word.
 */
static bool word_char(int c, bool strict)
{
	if (c <= ' ' || c >= 0x7f)
		return false;
	switch (c) {
	case '(': case ')': case '{': case '"':
		return false;
	case '[': case ']': case '<':
		return !strict;
	default:
		return true;
	}
}

/* Read a word at pos; *start is its offset, valid until the next read. */
int imap_lex_read_word(struct imap_lex *p, bool strict, size_t *start,
                       size_t *len)
{
	size_t k = 0;

	for (;;) {
		if (p->pos + k == p->end && imap_lex_fill(p, k + 1) != 0)
			return -1;
		if (!word_char((unsigned char)p->data[p->pos + k], strict))
			break;
		if (++k > p->max_token)
			return imap_lex_fail_protocol(p, N_("atom too long"));
	}
	if (k == 0)
		return imap_lex_fail_protocol(p, N_("unexpected character"));
	*start = p->pos;
	*len = k;
	p->pos += k;
	return 0;
}

int imap_lex_read_number(struct imap_lex *p, uint64_t *out)
{
	uint64_t value = 0;
	size_t digits = 0;

	for (;;) {
		int c = imap_lex_peek(p);
		if (c < 0)
			return -1;
		if (c < '0' || c > '9')
			break;
		if (value > (UINT64_MAX - 9) / 10)
			return imap_lex_fail_protocol(p,
						      N_("number too large"));
		value = value * 10 + (uint64_t)(c - '0');
		p->pos++;
		digits++;
	}
	if (digits == 0)
		return imap_lex_fail_protocol(p, N_("number expected"));
	*out = value;
	return 0;
}

int imap_lex_read_number32(struct imap_lex *p, uint32_t *out)
{
	uint64_t value;

	if (imap_lex_read_number(p, &value) != 0)
		return -1;
	if (value == 0 || value > UINT32_MAX)
		return imap_lex_fail_protocol(p, N_("number out of range"));
	*out = (uint32_t)value;
	return 0;
}

/*
 * A quoted string at pos (on the '"'), unescaped in place: *start is
 * the offset of its first byte.
 */
int imap_lex_read_quoted(struct imap_lex *p, size_t *start, size_t *len)
{
	size_t k, w = 0;

	p->pos++;
	for (k = 0;;) {
		if (p->pos + k == p->end && imap_lex_fill(p, k + 1) != 0)
			return -1;
		char c = p->data[p->pos + k];
		if (c == '"') {
			k++;
			break;
		}
		if (c == '\\') {
			if (p->pos + k + 1 == p->end &&
			    imap_lex_fill(p, k + 2) != 0)
				return -1;
			c = p->data[p->pos + k + 1];
			if (c != '"' && c != '\\')
				return imap_lex_fail_protocol(p,
					N_("bad escape in a quoted string"));
			k++;
		} else if (c == '\r' || c == '\n' || c == '\0') {
			return imap_lex_fail_protocol(p,
				N_("line break in a quoted string"));
		}
		p->data[p->pos + w++] = c;
		k++;
		if (w > p->max_token)
			return imap_lex_fail_protocol(p,
				N_("quoted string too long"));
	}
	*start = p->pos;
	*len = w;
	p->pos += k;
	return 0;
}

/* "{n}" / "{n+}" / "~{n}" and its CRLF; leaves pos on the payload. */
int imap_lex_read_literal_size(struct imap_lex *p, uint64_t *n)
{
	if (imap_lex_peek(p) == '~')
		p->pos++;
	if (imap_lex_expect(p, '{', N_("literal expected")) != 0 ||
	    imap_lex_read_number(p, n) != 0)
		return -1;
	if (imap_lex_peek(p) == '+')
		p->pos++;
	if (imap_lex_expect(p, '}', N_("bad literal")) != 0 ||
	    imap_lex_expect_crlf(p) != 0)
		return -1;
	if (*n > p->max_literal)
		return imap_lex_fail_protocol(p, N_("literal too large"));
	return 0;
}

/* NIL, a quoted string or a literal; *present false for NIL. */
int imap_lex_read_nstring(struct imap_lex *p, bool *present, size_t *start,
                          size_t *len)
{
	int c = imap_lex_peek(p);
	uint64_t n;

	*present = false;
	if (c < 0)
		return -1;
	if (c == '"') {
		*present = true;
		return imap_lex_read_quoted(p, start, len);
	}
	if (c == '{' || c == '~') {
		if (imap_lex_read_literal_size(p, &n) != 0 ||
		    imap_lex_fill(p, (size_t)n) != 0)
			return -1;
		*present = true;
		*start = p->pos;
		*len = (size_t)n;
		p->pos += (size_t)n;
		return 0;
	}
	if (imap_lex_read_word(p, true, start, len) != 0)
		return -1;
	if (!imap_lex_ascii_equal(p->data + *start, *len, "NIL"))
		return imap_lex_fail_protocol(p, N_("string expected"));
	return 0;
}

/*
 * Skip one value: an atom, number, NIL, string, literal or a list with
 * any of these inside, nested at most IMAP_FETCH_MAX_DEPTH deep.
 */
int imap_lex_skip_value(struct imap_lex *p)
{
	int depth = 0;
	size_t start, len;
	uint64_t n;

	for (;;) {
		int c = imap_lex_peek(p);
		if (c < 0)
			return -1;
		if (c == '(') {
			if (++depth > IMAP_FETCH_MAX_DEPTH)
				return imap_lex_fail_protocol(p,
					N_("lists nested too deeply"));
			p->pos++;
			continue;
		}
		if (c == ')') {
			if (depth == 0)
				return imap_lex_fail_protocol(p,
					N_("unbalanced parenthesis"));
			p->pos++;
			if (--depth == 0)
				return 0;
			continue;
		}
		if (c == ' ' && depth > 0) {
			p->pos++;
			continue;
		}
		if (c == '"') {
			if (imap_lex_read_quoted(p, &start, &len) != 0)
				return -1;
		} else if (c == '{' || c == '~') {
			if (imap_lex_read_literal_size(p, &n) != 0 ||
			    imap_lex_skip_bytes(p, n) != 0)
				return -1;
		} else if (imap_lex_read_word(p, false, &start, &len) != 0) {
			return -1;
		}
		if (depth == 0)
			return 0;
	}
}

/* ---- lines ---- */

/*
 * The rest of a line as plain text (the text of OK/NO/BAD/BYE), copied
 * into out (truncated) if out is not NULL.  Consumes the CRLF.
 */
int imap_lex_read_text(struct imap_lex *p, char *out, size_t out_size)
{
	size_t k = 0;

	for (;;) {
		if (p->pos + k == p->end && imap_lex_fill(p, k + 1) != 0)
			return -1;
		char *lf = memchr(p->data + p->pos + k, '\n',
		                  p->end - p->pos - k);
		if (lf != NULL) {
			k = (size_t)(lf - (p->data + p->pos));
			break;
		}
		k = p->end - p->pos;
		if (k > p->max_token)
			return imap_lex_fail_protocol(p, N_("line too long"));
	}
	if (k == 0 || p->data[p->pos + k - 1] != '\r')
		return imap_lex_fail_protocol(p, N_("LF without CR"));
	if (out != NULL && out_size > 0) {
		size_t n = k - 1 < out_size - 1 ? k - 1 : out_size - 1;
		memcpy(out, p->data + p->pos, n);
		out[n] = '\0';
	}
	p->pos += k + 1;
	return 0;
}

/* ---- dates ---- */

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static bool take_digits(const char *s, size_t len, size_t *i, size_t count,
                        unsigned *out)
{
	unsigned value = 0;

	for (size_t k = 0; k < count; k++, (*i)++) {
		if (*i >= len || s[*i] < '0' || s[*i] > '9')
			return false;
		value = value * 10 + (unsigned)(s[*i] - '0');
	}
	*out = value;
	return true;
}

static bool take_char(const char *s, size_t len, size_t *i, char c)
{
	if (*i >= len || s[*i] != c)
		return false;
	(*i)++;
	return true;
}

int imap_fetch_parse_date(const char *s, size_t len, int64_t *out)
{
	static const char months[] = "JANFEBMARAPRMAYJUNJULAUGSEPOCTNOVDEC";
	static const unsigned char month_days[] = {
		31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	size_t i = 0;
	unsigned day, month = 0, year, hour, minute, second, zh, zm;

	if (i < len && s[i] == ' ')
		i++;
	if (!take_digits(s, len, &i, 1, &day))
		return -1;
	if (i < len && s[i] >= '0' && s[i] <= '9')
		day = day * 10 + (unsigned)(s[i++] - '0');
	if (!take_char(s, len, &i, '-') || i + 3 > len)
		return -1;
	for (unsigned m = 0; m < 12 && month == 0; m++) {
		char name[4] = {months[3 * m], months[3 * m + 1],
		                months[3 * m + 2], '\0'};
		if (imap_lex_ascii_equal(s + i, 3, name))
			month = m + 1;
	}
	if (month == 0)
		return -1;
	i += 3;
	if (!take_char(s, len, &i, '-') || !take_digits(s, len, &i, 4, &year) ||
	    !take_char(s, len, &i, ' ') || !take_digits(s, len, &i, 2, &hour) ||
	    !take_char(s, len, &i, ':') ||
	    !take_digits(s, len, &i, 2, &minute) ||
	    !take_char(s, len, &i, ':') ||
	    !take_digits(s, len, &i, 2, &second) ||
	    !take_char(s, len, &i, ' ') || i >= len)
		return -1;
	char sign = s[i++];
	if ((sign != '+' && sign != '-') || !take_digits(s, len, &i, 2, &zh) ||
	    !take_digits(s, len, &i, 2, &zm) || i != len)
		return -1;
	if (day < 1 || day > month_days[month - 1] || hour > 23 ||
	    minute > 59 || second > 60 || zh > 23 || zm > 59)
		return -1;
	int64_t offset = (int64_t)zh * 3600 + zm * 60;
	*out = days_from_civil(year, month, day) * 86400 + hour * 3600 +
		minute * 60 + second - (sign == '+' ? offset : -offset);
	return 0;
}

