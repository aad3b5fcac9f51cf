/*
 * pager_text: laying out, classifying and searching the pager's rows.
 * See pager_text.h.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "mime/mime.h"
#include "ui/pager_text.h"
#include "util/util.h"

#define TAB_STOP 8

/* Bytes of the UTF-8 character at s (at most len; 1 for a stray byte). */
static size_t utf8_len(const char *s, size_t len)
{
	unsigned char c = (unsigned char)s[0];
	size_t n = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
	if (n > len)
		return 1;
	for (size_t i = 1; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			return 1;
	return n;
}

/* The code point at s (U+FFFD for a stray byte); *n its length. */
static uint32_t utf8_get(const char *s, size_t len, size_t *n)
{
	*n = utf8_len(s, len);
	const unsigned char *u = (const unsigned char *)s;
	switch (*n) {
	case 2: return ((uint32_t)(u[0] & 0x1f) << 6) | (u[1] & 0x3f);
	case 3: return ((uint32_t)(u[0] & 0x0f) << 12) | ((uint32_t)(u[1] & 0x3f) << 6) |
		       (u[2] & 0x3f);
	case 4: return ((uint32_t)(u[0] & 0x07) << 18) | ((uint32_t)(u[1] & 0x3f) << 12) |
		       ((uint32_t)(u[2] & 0x3f) << 6) | (u[3] & 0x3f);
	default: return u[0] < 0x80 ? u[0] : 0xfffd;
	}
}

static unsigned char_cols(const char *s, size_t n)
{
	return (unsigned)mime_display_width(s, n);
}

unsigned pager_quote_depth(const char *line, size_t len)
{
	unsigned depth = 0;
	size_t i = 0;
	if (len == 0 || line[0] != '>')
		return 0;
	while (i < len) {
		if (line[i] == '>') {
			depth++;
			i++;
		} else if (line[i] == ' ' || line[i] == '\t') {
			size_t j = i;
			while (j < len && (line[j] == ' ' || line[j] == '\t'))
				j++;
			if (j < len && line[j] == '>')
				i = j;
			else
				break;
		} else {
			break;
		}
	}
	return depth;
}

unsigned pager_quote_color(unsigned depth, unsigned levels_used)
{
	if (levels_used == 0)
		levels_used = 1;
	if (depth == 0)
		depth = 1;
	return (depth - 1) % levels_used;
}

int pager_wrap_width(int cols, int wrap)
{
	int width = cols;
	if (wrap > 0 && wrap < cols)
		width = wrap;
	else if (wrap < 0 && cols + wrap > 0)
		width = cols + wrap;
	return width < 1 ? 1 : width;
}

void pager_text_clear(struct pager_text *text)
{
	free(text->buf);
	free(text->rows);
	memset(text, 0, sizeof *text);
}

const char *pager_text_row(const struct pager_text *text, size_t i, size_t *len)
{
	*len = text->rows[i].len;
	return text->buf + text->rows[i].offset;
}

static void row_add(struct pager_text *out, const struct pager_row *row)
{
	if (out->count == out->cap) {
		out->cap = out->cap ? out->cap * 2 : 256;
		out->rows = xrealloc(out->rows, out->cap * sizeof *out->rows);
	}
	out->rows[out->count++] = *row;
}

/* Copy a source line into out->buf with its tabs expanded. */
static void line_expand(struct pager_text *out, const char *line, size_t len,
                        size_t *buf_cap)
{
	size_t tabs = 0;
	for (size_t i = 0; i < len; i++)
		tabs += line[i] == '\t';
	size_t need = out->buf_len + len + tabs * TAB_STOP + 1;
	if (need > *buf_cap) {
		*buf_cap = need * 2;
		out->buf = xrealloc(out->buf, *buf_cap);
	}
	char *dst = out->buf + out->buf_len;
	size_t cols = 0;
	size_t i = 0;
	while (i < len) {
		if (line[i] == '\t') {
			do {
				*dst++ = ' ';
				cols++;
			} while (cols % TAB_STOP != 0);
			i++;
			continue;
		}
		size_t n = utf8_len(line + i, len - i);
		memcpy(dst, line + i, n);
		dst += n;
		cols += char_cols(line + i, n);
		i += n;
	}
	out->buf_len = (size_t)(dst - out->buf);
}

/* Cut the expanded line [start, end) of out->buf into rows. */
static void line_wrap(struct pager_text *out, size_t start, size_t end,
                      const struct pager_row *proto, const struct pager_layout_options *options)
{
	int width = options->width < 1 ? 1 : options->width;
	int cont_width = options->markers && width > 1 ? width - 1 : width;
	const char *buf = out->buf;
	size_t pos = start;
	bool first = true;
	for (;;) {
		unsigned avail = (unsigned)(first ? width : cont_width);
		size_t p = pos;
		unsigned cols = 0;
		size_t brk = 0;
		unsigned brk_cols = 0;
		while (p < end) {
			size_t n = utf8_len(buf + p, end - p);
			unsigned w = char_cols(buf + p, n);
			if (cols + w > avail && p > pos)
				break;
			cols += w;
			p += n;
			/* Combining marks stay with their base character. */
			while (p < end) {
				size_t m = utf8_len(buf + p, end - p);
				if (char_cols(buf + p, m) != 0)
					break;
				p += m;
			}
			if (buf[p - 1] == ' ') {
				brk = p;
				brk_cols = cols;
			}
		}
		struct pager_row row = *proto;
		row.offset = pos;
		row.continuation = !first;
		if (p >= end) {
			row.len = end - pos;
			row.cols = cols;
			row_add(out, &row);
			return;
		}
		/* Break after the last blank that fits, when there is one. */
		if (brk > pos && brk < p) {
			p = brk;
			cols = brk_cols;
		}
		row.len = p - pos;
		row.cols = cols;
		row_add(out, &row);
		pos = p;
		first = false;
	}
}

static bool is_attachment_line(const char *line, size_t len)
{
	return len >= 7 && memcmp(line, "[-- ", 4) == 0 && memcmp(line + len - 4, " --]", 4) == 0;
}

static bool is_signature_line(const char *line, size_t len)
{
	return (len == 3 && memcmp(line, "-- ", 3) == 0) || (len == 2 && memcmp(line, "--", 2) == 0);
}

void pager_text_layout(struct pager_text *out, const char *text, size_t len,
                       const struct pager_layout_options *options)
{
	pager_text_clear(out);
	size_t buf_cap = 0;
	bool in_headers = options->has_headers;
	bool in_signature = false;
	size_t pos = 0;
	size_t line_no = 0;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t line_len = nl != NULL ? (size_t)(nl - (text + pos)) : len - pos;
		const char *line = text + pos;
		pos += line_len + (nl != NULL ? 1 : 0);

		struct pager_row proto;
		memset(&proto, 0, sizeof proto);
		proto.line = line_no++;
		if (in_headers && line_len == 0)
			in_headers = false;
		if (in_headers) {
			proto.kind = PAGER_ROW_HEADER;
		} else if (is_attachment_line(line, line_len)) {
			proto.kind = PAGER_ROW_ATTACHMENT;
			in_signature = false;
		} else if ((proto.depth = pager_quote_depth(line, line_len)) > 0) {
			proto.kind = PAGER_ROW_QUOTED;
		} else if (in_signature || is_signature_line(line, line_len)) {
			proto.kind = PAGER_ROW_SIGNATURE;
			in_signature = true;
		}
		if (proto.kind == PAGER_ROW_QUOTED && options->hide_quoted)
			continue;
		size_t start = out->buf_len;
		line_expand(out, line, line_len, &buf_cap);
		line_wrap(out, start, out->buf_len, &proto, options);
	}
	out->lines = line_no;
	if (out->buf == NULL)
		out->buf = xstrdup("");
	else
		out->buf[out->buf_len] = '\0';
}

/* ---- searching ---- */

static uint32_t fold(uint32_t c)
{
	if (c < 0x80)
		return c >= 'A' && c <= 'Z' ? c + 32 : c;
	return (uint32_t)towlower((wint_t)c);
}

/* Whether needle matches at hay[at..len); *match_len the bytes matched. */
static bool match_at(const char *hay, size_t len, size_t at, const char *needle,
                     size_t *match_len)
{
	size_t h = at;
	size_t nlen = strlen(needle);
	size_t k = 0;
	while (k < nlen) {
		if (h >= len)
			return false;
		size_t hn, nn;
		uint32_t hc = utf8_get(hay + h, len - h, &hn);
		uint32_t nc = utf8_get(needle + k, nlen - k, &nn);
		if (fold(hc) != fold(nc))
			return false;
		h += hn;
		k += nn;
	}
	*match_len = h - at;
	return true;
}

bool pager_text_match(const char *hay, size_t len, const char *needle, size_t from,
                      size_t *start, size_t *match_len)
{
	if (needle == NULL || needle[0] == '\0')
		return false;
	size_t at = from;
	while (at < len) {
		if (match_at(hay, len, at, needle, match_len)) {
			*start = at;
			return true;
		}
		at += utf8_len(hay + at, len - at);
	}
	return false;
}

static bool row_matches(const struct pager_text *text, size_t i, const char *needle)
{
	size_t len, start, match_len;
	const char *row = pager_text_row(text, i, &len);
	return pager_text_match(row, len, needle, 0, &start, &match_len);
}

long pager_text_search(const struct pager_text *text, const char *needle, size_t from,
                       bool backward, bool *wrapped)
{
	*wrapped = false;
	size_t count = text->count;
	if (count == 0 || needle == NULL || needle[0] == '\0')
		return -1;
	if (from >= count)
		from = count - 1;
	for (size_t step = 1; step <= count; step++) {
		size_t i;
		if (backward) {
			i = (from + count - step % count) % count;
			if (step > from)
				*wrapped = true;
		} else {
			i = (from + step) % count;
			if (from + step >= count)
				*wrapped = true;
		}
		if (row_matches(text, i, needle))
			return (long)i;
	}
	*wrapped = false;
	return -1;
}

long pager_text_skip_quoted(const struct pager_text *text, size_t top,
                            enum pager_skip_result *why)
{
	size_t i = top;
	size_t count = text->count;
	*why = PAGER_SKIP_OK;
	if (i < count && text->rows[i].kind == PAGER_ROW_HEADER) {
		while (i < count && text->rows[i].kind == PAGER_ROW_HEADER)
			i++;
		if (i >= count) {
			*why = PAGER_SKIP_NO_UNQUOTED;
			return -1;
		}
		return (long)i;
	}
	while (i < count && text->rows[i].kind != PAGER_ROW_QUOTED)
		i++;
	if (i >= count) {
		*why = PAGER_SKIP_NO_QUOTED;
		return -1;
	}
	while (i < count && text->rows[i].kind == PAGER_ROW_QUOTED)
		i++;
	if (i >= count) {
		*why = PAGER_SKIP_NO_UNQUOTED;
		return -1;
	}
	return (long)i;
}

/* ---- the status line ---- */

void pager_text_position(size_t top, size_t rows, size_t count, char out[16])
{
	if (top == 0 && count <= rows) {
		strcpy(out, "all");
	} else if (top + rows >= count) {
		strcpy(out, "end");
	} else {
		unsigned long percent = (unsigned long)((top + rows) * 100 / count);
		snprintf(out, 16, "%lu%%", percent);
	}
}

/* The bytes of text that fit in cols columns; *used their columns. */
static size_t text_fit(const char *text, int cols, int *used)
{
	size_t len = strlen(text);
	size_t i = 0;
	int w = 0;
	while (i < len) {
		size_t n = utf8_len(text + i, len - i);
		int cw = (int)char_cols(text + i, n);
		if (w + cw > cols)
			break;
		w += cw;
		i += n;
	}
	*used = w;
	return i;
}

char *pager_status_format(const char *left, const char *position, int width)
{
	if (width < 0)
		width = 0;
	char *right = xasprintf("-- (%s)", position);
	int right_cols = (int)mime_display_width(right, strlen(right));
	struct buf out;
	buf_init(&out);
	buf_add(&out, "", 0);
	if (right_cols + 1 > width) {
		int used;
		size_t n = text_fit(right, width, &used);
		buf_add(&out, right, n);
		free(right);
		return buf_steal(&out);
	}
	int used;
	size_t n = text_fit(left, width - right_cols - 1, &used);
	buf_add(&out, left, n);
	for (int c = used; c < width - right_cols; c++)
		buf_add_char(&out, ' ');
	buf_add_str(&out, right);
	free(right);
	return buf_steal(&out);
}
