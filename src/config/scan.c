/*
 * scan: the rc-file lexer.  Splits a file into logical lines (a trailing
 * backslash joins the next line) remembering where each byte came from,
 * and reads tokens: bare words, "double-quoted" strings with backslash
 * escapes and 'single-quoted' strings taken literally, joined when they
 * touch.  A "#" that begins a word starts a comment.
 */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "config/internal.h"

void scan_source_init(struct scan_source *src, const char *data, size_t len)
{
	src->data = data;
	src->len = len;
	src->pos = 0;
	src->line = 0;
	src->last_len = 0;
}

struct line_builder {
	struct buf text;
	unsigned *line_of;
	unsigned *col_of;
	size_t cap;
};

static void builder_add(struct line_builder *lb, char c, unsigned line, unsigned col)
{
	size_t n = lb->text.len;
	if (n + 1 > lb->cap) {
		lb->cap = lb->cap ? lb->cap * 2 : 128;
		lb->line_of = xrealloc(lb->line_of, lb->cap * sizeof *lb->line_of);
		lb->col_of = xrealloc(lb->col_of, lb->cap * sizeof *lb->col_of);
	}
	lb->line_of[n] = line;
	lb->col_of[n] = col;
	buf_add_char(&lb->text, c);
}

bool scan_source_next(struct scan_source *src, struct scan_line *out)
{
	if (src->pos >= src->len)
		return false;
	struct line_builder lb = {0};
	buf_init(&lb.text);
	out->first_line = src->line + 1;
	for (;;) {
		const char *start = src->data + src->pos;
		size_t avail = src->len - src->pos;
		const char *nl = memchr(start, '\n', avail);
		size_t plen = nl ? (size_t)(nl - start) : avail;
		src->pos += nl ? plen + 1 : plen;
		src->line++;
		if (plen > 0 && start[plen - 1] == '\r')
			plen--;
		src->last_len = (unsigned)plen;
		size_t backslashes = 0;
		while (backslashes < plen && start[plen - 1 - backslashes] == '\\')
			backslashes++;
		bool more = backslashes % 2 == 1;
		size_t take = more ? plen - 1 : plen;
		for (size_t i = 0; i < take; i++)
			builder_add(&lb, start[i], src->line, (unsigned)i + 1);
		if (!more || src->pos >= src->len)
			break;
	}
	out->len = lb.text.len;
	out->text = buf_steal(&lb.text);
	out->line_of = lb.line_of;
	out->col_of = lb.col_of;
	return true;
}

void scan_line_free(struct scan_line *line)
{
	free(line->text);
	free(line->line_of);
	free(line->col_of);
	line->text = NULL;
	line->line_of = NULL;
	line->col_of = NULL;
	line->len = 0;
}

void scan_init(struct scanner *sc, const struct scan_line *line,
               const char *file, struct config_diags *diags)
{
	sc->line = line;
	sc->pos = 0;
	sc->file = file;
	sc->diags = diags;
}

void scan_position(const struct scanner *sc, size_t pos, unsigned *line, unsigned *column)
{
	const struct scan_line *ln = sc->line;
	if (pos < ln->len) {
		*line = ln->line_of[pos];
		*column = ln->col_of[pos];
	} else if (ln->len > 0) {
		*line = ln->line_of[ln->len - 1];
		*column = ln->col_of[ln->len - 1] + 1;
	} else {
		*line = ln->first_line;
		*column = 1;
	}
}

static void scan_vdiag(struct scanner *sc, enum config_severity severity,
                       size_t pos, const char *fmt, va_list ap)
{
	unsigned line, column;
	scan_position(sc, pos, &line, &column);
	diags_vadd(sc->diags, severity, sc->file, line, column, fmt, ap);
}

void scan_error(struct scanner *sc, size_t pos, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	scan_vdiag(sc, CONFIG_ERROR, pos, fmt, ap);
	va_end(ap);
}

void scan_warning(struct scanner *sc, size_t pos, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	scan_vdiag(sc, CONFIG_WARNING, pos, fmt, ap);
	va_end(ap);
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\f' || c == '\v';
}

void scan_skip_blank(struct scanner *sc)
{
	while (sc->pos < sc->line->len && is_blank(sc->line->text[sc->pos]))
		sc->pos++;
}

char scan_peek(struct scanner *sc)
{
	scan_skip_blank(sc);
	if (sc->pos >= sc->line->len || sc->line->text[sc->pos] == '#')
		return '\0';
	return sc->line->text[sc->pos];
}

bool scan_at_end(struct scanner *sc)
{
	return scan_peek(sc) == '\0';
}

void token_free(struct token *tok)
{
	free(tok->text);
	tok->text = NULL;
}

/* The escape at p (a backslash) into b; -1 after an error. */
static int scan_escape(struct scanner *sc, struct buf *b, enum scan_mode mode, size_t p)
{
	char e = sc->line->text[p + 1];
	if (mode == SCAN_KEY) {
		/* The key parser reads \Cx, \t, \\ ... itself. */
		buf_add_char(b, '\\');
		buf_add_char(b, e);
		return 0;
	}
	switch (e) {
	case 'n': buf_add_char(b, '\n'); return 0;
	case 't': buf_add_char(b, '\t'); return 0;
	case 'r': buf_add_char(b, '\r'); return 0;
	case 'e': buf_add_char(b, '\033'); return 0;
	default:
		break;
	}
	if (ispunct((unsigned char)e) || is_blank(e) || (unsigned char)e >= 0x80) {
		buf_add_char(b, e);
		return 0;
	}
	scan_error(sc, p, _("unknown escape sequence \"\\%c\"; expected \\n, \\t, \\r, \\e "
	                    "or a backslash before a punctuation character"), e);
	return -1;
}

int scan_token(struct scanner *sc, enum scan_mode mode, struct token *tok)
{
	const char *t = sc->line->text;
	size_t len = sc->line->len;
	tok->text = NULL;
	if (scan_peek(sc) == '\0')
		return 0;
	char first = t[sc->pos];
	if (mode == SCAN_NAME && (first == '=' || first == '{' || first == '}'))
		return 0;
	struct buf b;
	buf_init(&b);
	tok->start = sc->pos;
	tok->quoted = false;
	size_t p = sc->pos;
	while (p < len) {
		char c = t[p];
		if (is_blank(c))
			break;
		if (mode == SCAN_NAME && (c == '=' || c == '{' || c == '}'))
			break;
		if (c == '"' || c == '\'') {
			size_t open = p++;
			bool closed = false;
			tok->quoted = true;
			while (p < len) {
				char d = t[p];
				if (d == c) {
					closed = true;
					p++;
					break;
				}
				if (c == '"' && d == '\\' && p + 1 < len) {
					if (scan_escape(sc, &b, mode, p) < 0)
						goto fail;
					p += 2;
					continue;
				}
				if (c == '\'' && d == '\\' && mode == SCAN_KEY)
					buf_add_str(&b, "\\\\");
				else
					buf_add_char(&b, d);
				p++;
			}
			if (!closed) {
				scan_error(sc, open, _("unterminated quoted string; expected a closing %c"), c);
				goto fail;
			}
			continue;
		}
		if (c == '\\' && p + 1 < len) {
			if (scan_escape(sc, &b, mode, p) < 0)
				goto fail;
			p += 2;
			continue;
		}
		buf_add_char(&b, c);
		p++;
	}
	tok->end = p;
	sc->pos = p;
	tok->text = buf_steal(&b);
	return 1;
fail:
	buf_free(&b);
	sc->pos = len;
	return -1;
}

char *scan_rest(struct scanner *sc, size_t *start)
{
	const char *t = sc->line->text;
	size_t len = sc->line->len;
	scan_skip_blank(sc);
	*start = sc->pos;
	size_t p = sc->pos;
	size_t end = p;
	while (p < len) {
		char c = t[p];
		if (c == '#' && (p == *start || is_blank(t[p - 1])))
			break;
		if (c == '"' || c == '\'') {
			size_t open = p++;
			while (p < len && t[p] != c) {
				if (c == '"' && t[p] == '\\' && p + 1 < len)
					p++;
				p++;
			}
			if (p >= len) {
				scan_error(sc, open, _("unterminated quoted string; expected a closing %c"), c);
				sc->pos = len;
				return NULL;
			}
			p++;
			end = p;
			continue;
		}
		if (c == '\\' && p + 1 < len)
			p++;
		p++;
		if (!is_blank(c))
			end = p;
	}
	sc->pos = len;
	return xstrndup(t + *start, end - *start);
}

bool scan_expect_end(struct scanner *sc)
{
	if (scan_at_end(sc))
		return true;
	struct token tok;
	size_t pos = sc->pos;
	if (scan_token(sc, SCAN_VALUE, &tok) > 0) {
		scan_error(sc, pos, _("unexpected \"%s\"; expected the end of the line"), tok.text);
		token_free(&tok);
	}
	sc->pos = sc->line->len;
	return false;
}
