/*
 * html: HTML mail as text.  A small built-in converter (the fallback:
 * no layout, just readable text with links kept) and the html_filter
 * command (w3m, lynx, ...), fed through a pipe or a private temporary
 * file.  text/enriched is here too.  Input and output are UTF-8.
 */
#include "config.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "mime/message_private.h"

/* ---- entities ---- */

struct entity {
	const char *name;
	uint32_t code;	/* 0: dropped (invisible formatting) */
};

static const struct entity entities[] = {
	{"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''},
	{"nbsp", ' '}, {"ensp", ' '}, {"emsp", ' '}, {"thinsp", ' '},
	{"shy", 0}, {"zwnj", 0}, {"zwj", 0}, {"lrm", 0}, {"rlm", 0},
	{"copy", 0xa9}, {"reg", 0xae}, {"trade", 0x2122}, {"hellip", 0x2026},
	{"mdash", 0x2014}, {"ndash", 0x2013}, {"minus", 0x2212},
	{"lsquo", 0x2018}, {"rsquo", 0x2019}, {"sbquo", 0x201a},
	{"ldquo", 0x201c}, {"rdquo", 0x201d}, {"bdquo", 0x201e},
	{"laquo", 0xab}, {"raquo", 0xbb}, {"lsaquo", 0x2039}, {"rsaquo", 0x203a},
	{"bull", 0x2022}, {"middot", 0xb7}, {"dagger", 0x2020}, {"Dagger", 0x2021},
	{"prime", 0x2032}, {"Prime", 0x2033}, {"permil", 0x2030},
	{"euro", 0x20ac}, {"pound", 0xa3}, {"yen", 0xa5}, {"cent", 0xa2}, {"curren", 0xa4},
	{"sect", 0xa7}, {"para", 0xb6}, {"deg", 0xb0}, {"plusmn", 0xb1},
	{"times", 0xd7}, {"divide", 0xf7}, {"micro", 0xb5}, {"not", 0xac},
	{"frac12", 0xbd}, {"frac14", 0xbc}, {"frac34", 0xbe},
	{"sup1", 0xb9}, {"sup2", 0xb2}, {"sup3", 0xb3}, {"ordf", 0xaa}, {"ordm", 0xba},
	{"iexcl", 0xa1}, {"iquest", 0xbf}, {"brvbar", 0xa6}, {"uml", 0xa8},
	{"macr", 0xaf}, {"acute", 0xb4}, {"cedil", 0xb8},
	{"larr", 0x2190}, {"uarr", 0x2191}, {"rarr", 0x2192}, {"darr", 0x2193},
	{"harr", 0x2194}, {"lArr", 0x21d0}, {"rArr", 0x21d2},
	{"le", 0x2264}, {"ge", 0x2265}, {"ne", 0x2260}, {"asymp", 0x2248},
	{"infin", 0x221e}, {"hearts", 0x2665}, {"spades", 0x2660}, {"clubs", 0x2663},
	{"diams", 0x2666}, {"check", 0x2713}, {"star", 0x2606},
	{"Agrave", 0xc0}, {"Aacute", 0xc1}, {"Acirc", 0xc2}, {"Atilde", 0xc3},
	{"Auml", 0xc4}, {"Aring", 0xc5}, {"AElig", 0xc6}, {"Ccedil", 0xc7},
	{"Egrave", 0xc8}, {"Eacute", 0xc9}, {"Ecirc", 0xca}, {"Euml", 0xcb},
	{"Igrave", 0xcc}, {"Iacute", 0xcd}, {"Icirc", 0xce}, {"Iuml", 0xcf},
	{"ETH", 0xd0}, {"Ntilde", 0xd1}, {"Ograve", 0xd2}, {"Oacute", 0xd3},
	{"Ocirc", 0xd4}, {"Otilde", 0xd5}, {"Ouml", 0xd6}, {"Oslash", 0xd8},
	{"Ugrave", 0xd9}, {"Uacute", 0xda}, {"Ucirc", 0xdb}, {"Uuml", 0xdc},
	{"Yacute", 0xdd}, {"THORN", 0xde}, {"szlig", 0xdf},
	{"agrave", 0xe0}, {"aacute", 0xe1}, {"acirc", 0xe2}, {"atilde", 0xe3},
	{"auml", 0xe4}, {"aring", 0xe5}, {"aelig", 0xe6}, {"ccedil", 0xe7},
	{"egrave", 0xe8}, {"eacute", 0xe9}, {"ecirc", 0xea}, {"euml", 0xeb},
	{"igrave", 0xec}, {"iacute", 0xed}, {"icirc", 0xee}, {"iuml", 0xef},
	{"eth", 0xf0}, {"ntilde", 0xf1}, {"ograve", 0xf2}, {"oacute", 0xf3},
	{"ocirc", 0xf4}, {"otilde", 0xf5}, {"ouml", 0xf6}, {"oslash", 0xf8},
	{"ugrave", 0xf9}, {"uacute", 0xfa}, {"ucirc", 0xfb}, {"uuml", 0xfc},
	{"yacute", 0xfd}, {"thorn", 0xfe}, {"yuml", 0xff},
	{"OElig", 0x152}, {"oelig", 0x153}, {"Scaron", 0x160}, {"scaron", 0x161},
	{"Yuml", 0x178}, {"fnof", 0x192}, {"circ", 0x2c6}, {"tilde", 0x2dc},
	{"Alpha", 0x391}, {"Beta", 0x392}, {"Gamma", 0x393}, {"Delta", 0x394},
	{"Omega", 0x3a9}, {"alpha", 0x3b1}, {"beta", 0x3b2}, {"gamma", 0x3b3},
	{"delta", 0x3b4}, {"epsilon", 0x3b5}, {"lambda", 0x3bb}, {"mu", 0x3bc},
	{"pi", 0x3c0}, {"sigma", 0x3c3}, {"omega", 0x3c9},
};

/* Windows-1252 meanings of the numeric references &#128; .. &#159;. */
static const uint16_t c1_map[32] = {
	0x20ac, 0xfffd, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0xfffd, 0x017d, 0xfffd,
	0xfffd, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0xfffd, 0x017e, 0x0178,
};

static void put_utf8(struct buf *b, uint32_t c)
{
	char s[4];
	if (c < 0x80) {
		buf_add_char(b, (char)c);
	} else if (c < 0x800) {
		s[0] = (char)(0xc0 | (c >> 6));
		s[1] = (char)(0x80 | (c & 0x3f));
		buf_add(b, s, 2);
	} else if (c < 0x10000) {
		s[0] = (char)(0xe0 | (c >> 12));
		s[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		s[2] = (char)(0x80 | (c & 0x3f));
		buf_add(b, s, 3);
	} else {
		s[0] = (char)(0xf0 | (c >> 18));
		s[1] = (char)(0x80 | ((c >> 12) & 0x3f));
		s[2] = (char)(0x80 | ((c >> 6) & 0x3f));
		s[3] = (char)(0x80 | (c & 0x3f));
		buf_add(b, s, 4);
	}
}

/*
 * Decode the character reference at s[0] == '&'.  Returns the bytes it
 * takes (0 when it is not one) and the code point in *code (0 for an
 * entity that stands for nothing visible).
 */
static size_t entity_decode(const char *s, size_t n, uint32_t *code)
{
	if (n < 2)
		return 0;
	if (s[1] == '#') {
		size_t i = 2;
		bool hex = i < n && (s[i] == 'x' || s[i] == 'X');
		if (hex)
			i++;
		size_t digits = 0;
		uint32_t v = 0;
		while (i < n && (hex ? isxdigit((unsigned char)s[i]) : isdigit((unsigned char)s[i]))) {
			unsigned d = isdigit((unsigned char)s[i]) ? (unsigned)(s[i] - '0') :
			             (unsigned)(tolower((unsigned char)s[i]) - 'a' + 10);
			if (v <= 0x10ffff)
				v = v * (hex ? 16 : 10) + d;
			i++;
			digits++;
		}
		if (digits == 0)
			return 0;
		if (i < n && s[i] == ';')
			i++;
		if (v == 0 || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
			v = 0xfffd;
		else if (v >= 0x80 && v <= 0x9f)
			v = c1_map[v - 0x80];
		*code = v;
		return i;
	}
	size_t i = 1;
	while (i < n && i < 12 && isalnum((unsigned char)s[i]))
		i++;
	size_t name_len = i - 1;
	if (name_len == 0)
		return 0;
	bool semi = i < n && s[i] == ';';
	for (size_t k = 0; k < sizeof entities / sizeof entities[0]; k++) {
		if (strlen(entities[k].name) != name_len ||
		    memcmp(entities[k].name, s + 1, name_len) != 0)
			continue;
		/* Without ';' only the classic few are taken. */
		if (!semi && k > 5)
			return 0;
		*code = entities[k].code;
		return semi ? i + 1 : i;
	}
	return 0;
}

/* Entities decoded in an attribute value; newly allocated. */
static char *attr_decode(const char *s, size_t n)
{
	struct buf b;
	buf_init(&b);
	buf_add(&b, "", 0);
	for (size_t i = 0; i < n;) {
		uint32_t code;
		size_t used = s[i] == '&' ? entity_decode(s + i, n - i, &code) : 0;
		if (used > 0) {
			if (code != 0)
				put_utf8(&b, code);
			i += used;
		} else {
			buf_add_char(&b, s[i] == '\0' ? ' ' : s[i]);
			i++;
		}
	}
	return buf_steal(&b);
}

/* ---- the converter ---- */

#define MAX_LISTS 32
#define MAX_ATTRS 32

struct html_state {
	struct buf out;
	bool space;		/* whitespace seen and not yet written */
	bool head;		/* inside <head> */
	unsigned pre;
	unsigned quote;		/* <blockquote> depth */
	unsigned lists;
	bool ordered[MAX_LISTS];
	unsigned counter[MAX_LISTS];
	char *href;		/* the open link */
	size_t link_start;
};

static size_t trailing_newlines(const struct html_state *st)
{
	/* Looking back a bounded way keeps long runs of blanks linear. */
	size_t n = 0, i = st->out.len, floor = i > 256 ? i - 256 : 0;
	while (i > floor && (st->out.data[i - 1] == '\n' || st->out.data[i - 1] == ' ')) {
		if (st->out.data[i - 1] == '\n')
			n++;
		i--;
	}
	return i == 0 ? 2 : n;	/* at the start counts as a fresh paragraph */
}

/* At least n line breaks before what comes next. */
static void html_break(struct html_state *st, size_t n)
{
	size_t have = trailing_newlines(st);
	for (; have < n; have++)
		buf_add_char(&st->out, '\n');
	st->space = false;
}

static bool at_line_start(const struct html_state *st)
{
	return st->out.len == 0 || st->out.data[st->out.len - 1] == '\n';
}

/* Quote marks shown at most: the output stays proportional to the input. */
#define MAX_QUOTE_MARKS 16

static void line_prefix(struct html_state *st)
{
	if (!at_line_start(st))
		return;
	for (unsigned i = 0; i < st->quote && i < MAX_QUOTE_MARKS; i++)
		buf_add_str(&st->out, "> ");
}

/* One visible character (or a UTF-8 byte) of text. */
static void text_byte(struct html_state *st, char c)
{
	if (st->pre > 0) {
		if (c == '\r')
			return;
		if (c == '\n') {
			buf_add_char(&st->out, '\n');
			return;
		}
		line_prefix(st);
		buf_add_char(&st->out, c);
		return;
	}
	if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
		st->space = true;
		return;
	}
	if (st->space && !at_line_start(st) && st->out.data[st->out.len - 1] != ' ')
		buf_add_char(&st->out, ' ');
	st->space = false;
	line_prefix(st);
	buf_add_char(&st->out, c == '\0' ? ' ' : c);
}

static void text_code(struct html_state *st, uint32_t code)
{
	if (code == 0)
		return;
	if (code == ' ') {
		/* &nbsp; and friends: a space that does not collapse. */
		if (st->space && !at_line_start(st) && st->out.data[st->out.len - 1] != ' ')
			buf_add_char(&st->out, ' ');
		st->space = false;
		line_prefix(st);
		buf_add_char(&st->out, ' ');
		return;
	}
	if (code < 0x80) {
		text_byte(st, (char)code);
		return;
	}
	struct buf tmp;
	buf_init(&tmp);
	put_utf8(&tmp, code);
	for (size_t i = 0; i < tmp.len; i++)
		text_byte(st, tmp.data[i]);
	buf_free(&tmp);
}

static void text_str(struct html_state *st, const char *s)
{
	for (; *s != '\0'; s++)
		text_byte(st, *s);
}

struct attr {
	const char *name;
	size_t name_len;
	const char *value;
	size_t value_len;
};

struct tag {
	char name[16];
	bool end;
	struct attr attrs[MAX_ATTRS];
	size_t attr_count;
};

/* Where the last '>', '"' and '\'' of the document are (n when none):
 * a tag or quoted value starting after them can never end, which is
 * known without scanning to the end again and again. */
struct html_marks {
	size_t last_gt;
	size_t last_dquote;
	size_t last_squote;
};

static size_t last_of(const char *s, size_t n, char c)
{
	for (size_t i = n; i-- > 0;)
		if (s[i] == c)
			return i;
	return n;
}

static const struct attr *tag_attr(const struct tag *t, const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < t->attr_count; i++)
		if (t->attrs[i].name_len == n && strncasecmp(t->attrs[i].name, name, n) == 0)
			return &t->attrs[i];
	return NULL;
}

/*
 * Parse the tag starting at doc[start] == '<' (a letter or '/' and a
 * letter follow).  Returns the bytes it takes, or 0 when it never ends
 * (*at_end set when that was found by reaching the end of the text).
 */
static size_t tag_parse(const char *doc, size_t n, size_t start,
                        const struct html_marks *marks, struct tag *t, bool *at_end)
{
	const char *s = doc;
	size_t i = start + 1;
	memset(t, 0, sizeof *t);
	if (marks->last_gt == n || marks->last_gt < start)
		return 0;
	if (i < n && s[i] == '/') {
		t->end = true;
		i++;
	}
	size_t k = 0;
	while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '-' || s[i] == ':')) {
		if (k + 1 < sizeof t->name)
			t->name[k++] = (char)tolower((unsigned char)s[i]);
		i++;
	}
	t->name[k] = '\0';
	for (;;) {
		while (i < n && (isspace((unsigned char)s[i]) || s[i] == '/'))
			i++;
		if (i >= n) {
			*at_end = true;
			return 0;
		}
		if (s[i] == '>')
			return i + 1 - start;
		size_t name = i;
		while (i < n && !isspace((unsigned char)s[i]) && s[i] != '=' && s[i] != '>' &&
		       s[i] != '/')
			i++;
		if (i == name)
			i++;	/* a stray character */
		struct attr a = {s + name, i - name, "", 0};
		while (i < n && isspace((unsigned char)s[i]))
			i++;
		if (i < n && s[i] == '=') {
			i++;
			while (i < n && isspace((unsigned char)s[i]))
				i++;
			if (i < n && (s[i] == '"' || s[i] == '\'')) {
				char q = s[i++];
				size_t last = q == '"' ? marks->last_dquote : marks->last_squote;
				if (last == n || last < i)
					return 0;
				const char *close = memchr(s + i, q, n - i);
				a.value = s + i;
				a.value_len = (size_t)(close - (s + i));
				i = (size_t)(close - s) + 1;
			} else {
				size_t v = i;
				while (i < n && !isspace((unsigned char)s[i]) && s[i] != '>')
					i++;
				a.value = s + v;
				a.value_len = i - v;
			}
		}
		if (t->attr_count < MAX_ATTRS)
			t->attrs[t->attr_count++] = a;
	}
}

/* Position of "</name" (any case) at or after from, or n. */
static size_t find_end_tag(const char *s, size_t n, size_t from, const char *name)
{
	size_t len = strlen(name);
	for (size_t i = from; i + 2 + len <= n; i++) {
		const char *lt = memchr(s + i, '<', n - i);
		if (lt == NULL)
			return n;
		i = (size_t)(lt - s);
		if (i + 2 + len <= n && s[i + 1] == '/' && strncasecmp(s + i + 2, name, len) == 0)
			return i;
	}
	return n;
}

static bool name_in(const char *name, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(name, *list) == 0)
			return true;
	return false;
}

static const char *const paragraph_tags[] = {
	"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "hr",
	"ul", "ol", "dl", "address", "figure", "center", "form", "fieldset", NULL
};
static const char *const line_tags[] = {
	"div", "li", "tr", "dt", "dd", "section", "article", "aside", "header", "footer",
	"nav", "main", "caption", "figcaption", "details", "summary", "body", "html",
	"thead", "tbody", "tfoot", "legend", "option", "title", NULL
};

static bool link_shown(const char *href)
{
	return href[0] != '\0' && href[0] != '#' && strncasecmp(href, "javascript:", 11) != 0;
}

static void link_close(struct html_state *st)
{
	if (st->href == NULL)
		return;
	char *href = st->href;
	st->href = NULL;
	if (!link_shown(href)) {
		free(href);
		return;
	}
	size_t start = st->link_start <= st->out.len ? st->link_start : st->out.len;
	const char *text = st->out.data != NULL ? st->out.data + start : "";
	size_t tlen = st->out.len - start;
	while (tlen > 0 && isspace((unsigned char)text[0])) {
		text++;
		tlen--;
	}
	while (tlen > 0 && isspace((unsigned char)text[tlen - 1]))
		tlen--;
	bool same = (strlen(href) == tlen && memcmp(href, text, tlen) == 0) ||
	            (strncasecmp(href, "mailto:", 7) == 0 && strlen(href + 7) == tlen &&
	             memcmp(href + 7, text, tlen) == 0);
	if (!same) {
		if (tlen > 0)
			text_byte(st, ' ');
		text_byte(st, '<');
		text_str(st, href);
		text_byte(st, '>');
	}
	free(href);
}

static void tag_apply(struct html_state *st, const struct tag *t)
{
	const char *name = t->name;
	if (strcmp(name, "head") == 0) {
		st->head = !t->end;
		return;
	}
	if (strcmp(name, "body") == 0)
		st->head = false;
	if (strcmp(name, "br") == 0) {
		buf_add_char(&st->out, '\n');
		st->space = false;
		return;
	}
	if (strcmp(name, "a") == 0) {
		link_close(st);
		if (!t->end) {
			const struct attr *href = tag_attr(t, "href");
			if (href != NULL) {
				st->href = attr_decode(href->value, href->value_len);
				/* Whitespace inside a URL is an artefact of wrapping. */
				size_t w = 0;
				for (size_t r = 0; st->href[r] != '\0'; r++)
					if (!isspace((unsigned char)st->href[r]))
						st->href[w++] = st->href[r];
				st->href[w] = '\0';
				st->link_start = st->out.len;
			}
		}
		return;
	}
	if (strcmp(name, "img") == 0) {
		const struct attr *alt = tag_attr(t, "alt");
		if (alt != NULL && alt->value_len > 0) {
			char *v = attr_decode(alt->value, alt->value_len);
			text_byte(st, '[');
			text_str(st, v);
			text_byte(st, ']');
			free(v);
		}
		return;
	}
	if (strcmp(name, "td") == 0 || strcmp(name, "th") == 0) {
		if (!t->end)
			st->space = true;
		return;
	}
	if (strcmp(name, "ul") == 0 || strcmp(name, "ol") == 0) {
		if (!t->end && st->lists < MAX_LISTS) {
			st->ordered[st->lists] = name[0] == 'o';
			st->counter[st->lists] = 0;
			st->lists++;
		} else if (t->end && st->lists > 0) {
			st->lists--;
		}
		html_break(st, st->lists > 0 ? 1 : 2);
		return;
	}
	if (strcmp(name, "li") == 0) {
		html_break(st, 1);
		if (t->end)
			return;
		unsigned level = st->lists > 0 ? st->lists - 1 : 0;
		line_prefix(st);
		for (unsigned i = 0; i < level; i++)
			buf_add_str(&st->out, "  ");
		if (st->lists > 0 && st->ordered[st->lists - 1])
			buf_printf(&st->out, "%u. ", ++st->counter[st->lists - 1]);
		else
			buf_add_str(&st->out, "* ");
		return;
	}
	if (strcmp(name, "blockquote") == 0) {
		html_break(st, 2);
		if (!t->end)
			st->quote++;
		else if (st->quote > 0)
			st->quote--;
		return;
	}
	if (strcmp(name, "pre") == 0) {
		html_break(st, 2);
		if (!t->end)
			st->pre++;
		else if (st->pre > 0)
			st->pre--;
		return;
	}
	if (strcmp(name, "hr") == 0) {
		html_break(st, 1);
		line_prefix(st);
		buf_add_str(&st->out, "----------");
		html_break(st, 2);
		return;
	}
	if (name_in(name, paragraph_tags))
		html_break(st, 2);
	else if (name_in(name, line_tags))
		html_break(st, 1);
}

/* Elements whose content is never shown. */
static const char *const hidden_tags[] = {"script", "style", "title", "template", NULL};

/* Collapse 3+ line breaks to 2, drop blanks at line ends and the ends. */
static char *html_tidy(const char *s, size_t n, size_t *out_len)
{
	struct buf b;
	buf_init(&b);
	size_t newlines = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '\n') {
			while (b.len > 0 && b.data[b.len - 1] == ' ')
				b.len--;
			if (b.len > 0 && newlines < 2)
				buf_add_char(&b, '\n');
			newlines++;
			continue;
		}
		newlines = 0;
		buf_add_char(&b, c);
	}
	while (b.len > 0 && (b.data[b.len - 1] == '\n' || b.data[b.len - 1] == ' '))
		b.len--;
	if (b.len > 0)
		buf_add_char(&b, '\n');
	if (out_len != NULL)
		*out_len = b.len;
	return buf_steal(&b);
}

char *mime_html_to_text(const char *html, size_t len, size_t *out_len)
{
	struct html_state st;
	memset(&st, 0, sizeof st);
	buf_init(&st.out);
	struct html_marks marks = {last_of(html, len, '>'), last_of(html, len, '"'),
	                           last_of(html, len, '\'')};
	/* Once a tag ran into the end of the text, every later '<' is taken
	 * as text: parsing each again would cost time squared. */
	bool tags_done = false;
	size_t i = 0;
	while (i < len) {
		char c = html[i];
		if (c == '&') {
			uint32_t code;
			size_t used = entity_decode(html + i, len - i, &code);
			if (used > 0) {
				if (!st.head)
					text_code(&st, code);
				i += used;
				continue;
			}
		}
		if (c != '<') {
			if (!st.head)
				text_byte(&st, c);
			i++;
			continue;
		}
		if (i + 3 < len && memcmp(html + i, "<!--", 4) == 0) {
			size_t j = i + 4;
			while (j + 2 < len && memcmp(html + j, "-->", 3) != 0)
				j++;
			i = j + 2 < len ? j + 3 : len;
			continue;
		}
		if (i + 1 < len && (html[i + 1] == '!' || html[i + 1] == '?')) {
			const char *gt = memchr(html + i, '>', len - i);
			i = gt != NULL ? (size_t)(gt - html) + 1 : len;
			continue;
		}
		bool tagish = i + 1 < len && (isalpha((unsigned char)html[i + 1]) ||
		                              (html[i + 1] == '/' && i + 2 < len &&
		                               isalpha((unsigned char)html[i + 2])));
		struct tag t;
		bool at_end = false;
		size_t used = tagish && !tags_done ? tag_parse(html, len, i, &marks, &t, &at_end) : 0;
		if (at_end)
			tags_done = true;
		if (used == 0) {
			if (!st.head)
				text_byte(&st, '<');
			i++;
			continue;
		}
		i += used;
		if (!t.end && name_in(t.name, hidden_tags)) {
			size_t close = find_end_tag(html, len, i, t.name);
			const char *gt = close < len ? memchr(html + close, '>', len - close) : NULL;
			i = gt != NULL ? (size_t)(gt - html) + 1 : len;
			continue;
		}
		tag_apply(&st, &t);
	}
	link_close(&st);
	char *out = html_tidy(st.out.data != NULL ? st.out.data : "", st.out.len, out_len);
	buf_free(&st.out);
	return out;
}

/* ---- html_filter ---- */

int mime_html_filter_run(const char *command, const char *html, size_t len,
                         size_t max_out, int timeout_ms, char **out, size_t *out_len)
{
	*out = NULL;
	if (out_len != NULL)
		*out_len = 0;
	if (command == NULL || command[0] == '\0')
		return -1;
	struct mime_run r;
	memset(&r, 0, sizeof r);
	r.stdin_fd = -1;
	r.capture = true;
	r.max_out = max_out;
	r.timeout_ms = timeout_ms;
	char *path = NULL, *expanded = NULL;
	if (strstr(command, "%s") != NULL) {
		if (mime_temp_file_write(html, len, ".html", &path) != 0)
			return -1;
		char *quoted = mime_shell_quote(path);
		struct buf b;
		buf_init(&b);
		for (const char *p = command; *p != '\0'; p++) {
			if (p[0] == '%' && p[1] == 's') {
				buf_add_str(&b, quoted);
				p++;
			} else {
				buf_add_char(&b, *p);
			}
		}
		free(quoted);
		expanded = buf_steal(&b);
		r.command = expanded;
	} else {
		r.command = command;
		r.input = html;
		r.input_len = len;
	}
	int rc = mime_run_command(&r);
	if (path != NULL) {
		unlink(path);
		free(path);
	}
	free(expanded);
	if (rc != 0) {
		free(r.out);
		return -1;
	}
	*out = r.out;
	if (out_len != NULL)
		*out_len = r.out_len;
	return 0;
}

/* ---- text/enriched ---- */

char *mime_enriched_to_text(const char *text, size_t len, size_t *out_len)
{
	struct buf b;
	buf_init(&b);
	buf_add(&b, "", 0);
	unsigned nofill = 0;
	size_t last_gt = last_of(text, len, '>');
	size_t i = 0;
	while (i < len) {
		char c = text[i];
		if (c == '<') {
			if (i + 1 < len && text[i + 1] == '<') {
				buf_add_char(&b, '<');
				i += 2;
				continue;
			}
			const char *gt = last_gt < len && last_gt > i ?
			                 memchr(text + i, '>', len - i) : NULL;
			if (gt == NULL) {
				buf_add_char(&b, '<');
				i++;
				continue;
			}
			size_t tag_len = (size_t)(gt - (text + i)) - 1;
			const char *tag = text + i + 1;
			i = (size_t)(gt - text) + 1;
			if (tag_len == 5 && strncasecmp(tag, "param", 5) == 0) {
				size_t close = find_end_tag(text, len, i, "param");
				const char *end = close < len ? memchr(text + close, '>', len - close) : NULL;
				i = end != NULL ? (size_t)(end - text) + 1 : len;
			} else if (tag_len == 6 && strncasecmp(tag, "nofill", 6) == 0) {
				nofill++;
			} else if (tag_len == 7 && strncasecmp(tag, "/nofill", 7) == 0) {
				if (nofill > 0)
					nofill--;
			}
			continue;
		}
		if (c == '\r' && i + 1 < len && text[i + 1] == '\n') {
			i++;
			continue;
		}
		if (c == '\n' && nofill == 0) {
			size_t k = 0;
			while (i < len && (text[i] == '\n' || text[i] == '\r')) {
				if (text[i] == '\n')
					k++;
				i++;
			}
			if (k == 1)
				buf_add_char(&b, ' ');
			else
				for (size_t j = 1; j < k; j++)
					buf_add_char(&b, '\n');
			continue;
		}
		buf_add_char(&b, c);
		i++;
	}
	if (out_len != NULL)
		*out_len = b.len;
	return buf_steal(&b);
}
