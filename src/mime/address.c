/*
 * address: address lists as found in From, To, Cc and Reply-To.  A
 * tokenizer (words, quoted strings, comments, domain literals, specials)
 * and a forgiving parser: groups, angle addresses with obsolete routes,
 * "user@domain (Name)", names without angle brackets, encoded and 8-bit
 * names.  Whatever cannot be read as an address is kept as a name.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "mime/internal.h"
#include "mime/mime.h"

/* Absurd inputs: at most this many addresses, and group names this long. */
#define ADDRESS_MAX 10000
#define GROUP_NAME_MAX 998

enum tok_type { TOK_WORD, TOK_QUOTED, TOK_COMMENT, TOK_LITERAL, TOK_PUNCT };

struct tok {
	enum tok_type type;
	size_t start, end;	/* the raw text, quotes and brackets included */
	bool space_before;	/* blanks or a comment before it */
};

struct parser {
	const char *s;
	struct tok *tok;
	size_t n;
	const char *fallback;
	struct mime_address_list *list;
	size_t cap;
};

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool is_special(char c)
{
	return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ':' ||
	       c == ';' || c == '@' || c == ',' || c == '"';
}

/* Index just past the quoted string, comment or literal at s[i]. */
static size_t skip_delimited(const char *s, size_t len, size_t i, char open, char close)
{
	int depth = 0;
	for (; i < len; i++) {
		if (s[i] == '\\' && i + 1 < len) {
			i++;
		} else if (open == close) {
			if (s[i] == close && depth++ > 0)
				return i + 1;
		} else if (s[i] == open) {
			depth++;
		} else if (s[i] == close && --depth == 0) {
			return i + 1;
		}
	}
	return len;
}

/* Split s into tokens; with tok NULL, only count them. */
static size_t tokenize(const char *s, size_t len, struct tok *tok)
{
	size_t n = 0, i = 0;
	bool space = false;
	while (i < len) {
		char c = s[i];
		if (is_space(c)) {
			space = true;
			i++;
			continue;
		}
		struct tok scratch;
		struct tok *t = tok != NULL ? &tok[n] : &scratch;
		n++;
		t->start = i;
		t->space_before = space;
		space = false;
		if (c == '"') {
			t->type = TOK_QUOTED;
			i = skip_delimited(s, len, i, '"', '"');
		} else if (c == '(') {
			t->type = TOK_COMMENT;
			i = skip_delimited(s, len, i, '(', ')');
			space = true;
		} else if (c == '[') {
			t->type = TOK_LITERAL;
			i = skip_delimited(s, len, i, '[', ']');
		} else if (is_special(c)) {
			t->type = TOK_PUNCT;
			i++;
		} else {
			t->type = TOK_WORD;
			while (i < len && !is_space(s[i]) && !is_special(s[i]))
				i++;
		}
		t->end = i;
	}
	return n;
}

static bool tok_punct(const struct parser *p, size_t k, char c)
{
	return k < p->n && p->tok[k].type == TOK_PUNCT && p->s[p->tok[k].start] == c;
}

/* The text inside a quoted string or comment, escapes removed. */
static void tok_content(const struct parser *p, const struct tok *t, struct buf *out)
{
	int depth = 1;
	for (size_t i = t->start + 1; i < t->end; i++) {
		char c = p->s[i];
		if (c == '\\' && i + 1 < t->end) {
			c = p->s[++i];
		} else if (t->type == TOK_QUOTED && c == '"') {
			break;
		} else if (t->type == TOK_COMMENT && c == '(') {
			depth++;
		} else if (t->type == TOK_COMMENT && c == ')' && --depth == 0) {
			break;
		}
		buf_add_char(out, c);
	}
}

/* Decode raw phrase text; NULL when it is empty. */
static char *text_decode(const struct parser *p, const char *raw, size_t len)
{
	struct buf out;
	buf_init(&out);
	buf_add(&out, "", 0);
	mime_words_decode(&out, raw, len, p->fallback);
	size_t start = 0, end = out.len;
	while (start < end && is_space(out.data[start]))
		start++;
	while (end > start && is_space(out.data[end - 1]))
		end--;
	char *text = end > start ? xstrndup(out.data + start, end - start) : NULL;
	buf_free(&out);
	return text;
}

/* The display name from tokens [from, to) other than comments and skip. */
static void phrase_add(const struct parser *p, size_t from, size_t to, struct buf *raw)
{
	for (size_t k = from; k < to; k++) {
		const struct tok *t = &p->tok[k];
		if (t->type == TOK_COMMENT)
			continue;
		if (raw->len > 0 && t->space_before)
			buf_add_char(raw, ' ');
		if (t->type == TOK_QUOTED)
			tok_content(p, t, raw);
		else
			buf_add(raw, p->s + t->start, t->end - t->start);
	}
}

/* The first comment in [from, to), decoded, as a name of last resort. */
static char *comment_name(const struct parser *p, size_t from, size_t to)
{
	for (size_t k = from; k < to; k++) {
		if (p->tok[k].type != TOK_COMMENT)
			continue;
		struct buf raw;
		buf_init(&raw);
		buf_add(&raw, "", 0);
		tok_content(p, &p->tok[k], &raw);
		char *name = text_decode(p, raw.data, raw.len);
		buf_free(&raw);
		if (name != NULL)
			return name;
	}
	return NULL;
}

/* An addr-spec from tokens [from, to), blanks and comments dropped. */
static char *mailbox_text(const struct parser *p, size_t from, size_t to)
{
	struct buf raw;
	buf_init(&raw);
	buf_add(&raw, "", 0);
	for (size_t k = from; k < to; k++)
		if (p->tok[k].type != TOK_COMMENT)
			buf_add(&raw, p->s + p->tok[k].start, p->tok[k].end - p->tok[k].start);
	char *mailbox = mime_charset_to_utf8(NULL, raw.data, raw.len, p->fallback, NULL);
	buf_free(&raw);
	return mailbox;
}

static struct mime_address *item_add(struct parser *p, const char *group)
{
	struct mime_address_list *list = p->list;
	if (list->count == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 4;
		list->items = xrealloc(list->items, p->cap * sizeof *list->items);
	}
	struct mime_address *a = &list->items[list->count++];
	a->name = NULL;
	a->mailbox = NULL;
	a->group = group != NULL ? xstrdup(group) : NULL;
	return a;
}

static bool word_like(const struct tok *t)
{
	return t->type == TOK_WORD || t->type == TOK_QUOTED;
}

/* One address from the tokens [from, to) that hold no '<'. */
static void address_plain(struct parser *p, size_t from, size_t to, struct mime_address *a)
{
	size_t at = to;
	for (size_t k = to; k > from; k--) {
		if (tok_punct(p, k - 1, '@')) {
			at = k - 1;
			break;
		}
	}
	struct buf raw;
	buf_init(&raw);
	buf_add(&raw, "", 0);
	if (at < to && at > from && at + 1 < to && word_like(&p->tok[at - 1]) &&
	    (p->tok[at + 1].type == TOK_WORD || p->tok[at + 1].type == TOK_LITERAL)) {
		/* local-part: the words glued to the '@'; domain likewise */
		size_t lo = at - 1;
		while (lo > from && !p->tok[lo].space_before && word_like(&p->tok[lo - 1]))
			lo--;
		size_t hi = at + 2;
		while (hi < to && !p->tok[hi].space_before &&
		       (p->tok[hi].type == TOK_WORD || p->tok[hi].type == TOK_LITERAL))
			hi++;
		a->mailbox = mailbox_text(p, lo, hi);
		phrase_add(p, from, lo, &raw);
		phrase_add(p, hi, to, &raw);
	} else {
		size_t words = 0, comments = 0;
		for (size_t k = from; k < to; k++) {
			words += p->tok[k].type != TOK_COMMENT;
			comments += p->tok[k].type == TOK_COMMENT;
		}
		const struct tok *t = &p->tok[from];
		/* A lone word ("root") is a local mailbox, unless it is encoded. */
		if (words == 1 && comments == 0 && t->type == TOK_WORD &&
		    !(t->end - t->start > 4 && strncmp(p->s + t->start, "=?", 2) == 0)) {
			a->mailbox = mailbox_text(p, from, to);
		} else {
			phrase_add(p, from, to, &raw);
		}
	}
	a->name = text_decode(p, raw.data, raw.len);
	if (a->name == NULL)
		a->name = comment_name(p, from, to);
	buf_free(&raw);
}

/* One address from [from, to) with '<' at lt and '>' at gt (or to). */
static void address_angle(struct parser *p, size_t from, size_t lt, size_t gt, size_t to,
                          struct mime_address *a)
{
	size_t k = lt + 1;
	if (tok_punct(p, k, '@')) {
		/* obsolete route "@a,@b:" */
		size_t colon = k;
		while (colon < gt && !tok_punct(p, colon, ':'))
			colon++;
		if (colon < gt)
			k = colon + 1;
	}
	a->mailbox = mailbox_text(p, k, gt);
	struct buf raw;
	buf_init(&raw);
	buf_add(&raw, "", 0);
	phrase_add(p, from, lt, &raw);
	if (gt + 1 < to)
		phrase_add(p, gt + 1, to, &raw);
	a->name = text_decode(p, raw.data, raw.len);
	if (a->name == NULL)
		a->name = comment_name(p, from, to);
	buf_free(&raw);
}

static void element_parse(struct parser *p, size_t from, size_t to, const char *group)
{
	bool content = false;
	size_t lt = to;
	for (size_t k = from; k < to; k++) {
		content = true;
		if (lt == to && tok_punct(p, k, '<'))
			lt = k;
	}
	if (!content)
		return;
	struct mime_address *a = item_add(p, group);
	if (lt == to) {
		address_plain(p, from, to, a);
		return;
	}
	size_t gt = lt + 1;
	bool at = false;
	for (; gt < to && !tok_punct(p, gt, '>'); gt++)
		at |= tok_punct(p, gt, '@');
	/* "a <b" is not an address: keep it all as a name */
	if (gt == to && !at)
		address_plain(p, from, to, a);
	else
		address_angle(p, from, lt, gt, to, a);
}

struct mime_address_list *mime_address_list_parse(const char *value, size_t len,
                                                  const char *fallback)
{
	struct mime_address_list *list = xcalloc(1, sizeof *list);
	if (value == NULL)
		return list;
	if (len > MIME_HEADER_MAX)
		len = mime_utf8_cut(value, len, MIME_HEADER_MAX);
	struct parser p = { value, NULL, 0, fallback, list, 0 };
	p.tok = xcalloc(tokenize(value, len, NULL) + 1, sizeof *p.tok);
	p.n = tokenize(value, len, p.tok);

	char *group = NULL;
	bool group_members = false;
	size_t k = 0;
	while (k < p.n) {
		if (list->count >= ADDRESS_MAX) {
			item_add(&p, NULL)->name = xstrdup(&MIME_TRUNCATED[1]);
			break;
		}
		/* One element: up to ',' ';' or ':' outside angle brackets. */
		size_t start = k;
		bool angle = false, route = false;
		for (; k < p.n; k++) {
			if (tok_punct(&p, k, '<') && !angle) {
				angle = true;
				route = tok_punct(&p, k + 1, '@');
			} else if (angle && tok_punct(&p, k, '>')) {
				angle = false;
			} else if (tok_punct(&p, k, ',') && !(angle && route)) {
				break;	/* a comma inside "<...>" ends an unclosed '<' */
			} else if (tok_punct(&p, k, ';') || (!angle && tok_punct(&p, k, ':'))) {
				break;
			}
		}
		if (k < p.n && tok_punct(&p, k, ':')) {
			struct buf raw;
			buf_init(&raw);
			buf_add(&raw, "", 0);
			phrase_add(&p, start, k, &raw);
			if (group != NULL && !group_members)
				item_add(&p, group);
			free(group);
			group = text_decode(&p, raw.data, raw.len);
			if (group == NULL) {
				group = xstrdup("");
			} else if (strlen(group) > GROUP_NAME_MAX) {
				group[mime_utf8_cut(group, strlen(group), GROUP_NAME_MAX)] = '\0';
				char *cut = xasprintf("%s%s", group, MIME_TRUNCATED);
				free(group);
				group = cut;
			}
			group_members = false;
			buf_free(&raw);
			k++;
			continue;
		}
		size_t before = list->count;
		element_parse(&p, start, k, group);
		group_members |= list->count > before;
		if (k < p.n && tok_punct(&p, k, ';') && group != NULL) {
			if (!group_members)
				item_add(&p, group);
			free(group);
			group = NULL;
		}
		k++;
	}
	if (group != NULL && !group_members)
		item_add(&p, group);
	free(group);
	free(p.tok);
	return list;
}

void mime_address_list_free(struct mime_address_list **list)
{
	if (list == NULL || *list == NULL)
		return;
	for (size_t i = 0; i < (*list)->count; i++) {
		free((*list)->items[i].name);
		free((*list)->items[i].mailbox);
		free((*list)->items[i].group);
	}
	free((*list)->items);
	free(*list);
	*list = NULL;
}

/* A name as a phrase: quoted when it holds specials, so it reads back. */
static void phrase_format(struct buf *out, const char *name)
{
	bool quote = false;
	for (const char *c = name; *c != '\0'; c++)
		if (strchr(",;:<>@\"()[]\\", *c) != NULL)
			quote = true;
	if (!quote) {
		buf_add_str(out, name);
		return;
	}
	buf_add_char(out, '"');
	for (const char *c = name; *c != '\0'; c++) {
		if (*c == '"' || *c == '\\')
			buf_add_char(out, '\\');
		buf_add_char(out, *c);
	}
	buf_add_char(out, '"');
}

static void address_format(struct buf *out, const struct mime_address *a)
{
	if (a->name != NULL && a->name[0] != '\0') {
		phrase_format(out, a->name);
		if (a->mailbox != NULL)
			buf_printf(out, " <%s>", a->mailbox);
	} else if (a->mailbox != NULL) {
		buf_add_str(out, a->mailbox[0] != '\0' ? a->mailbox : "<>");
	}
}

char *mime_address_format(const struct mime_address *address)
{
	struct buf out;
	buf_init(&out);
	buf_add(&out, "", 0);
	if (address != NULL)
		address_format(&out, address);
	return buf_steal(&out);
}

char *mime_address_list_format(const struct mime_address_list *list)
{
	struct buf out;
	buf_init(&out);
	buf_add(&out, "", 0);
	if (list == NULL)
		return buf_steal(&out);
	for (size_t i = 0; i < list->count; i++) {
		const struct mime_address *a = &list->items[i];
		const struct mime_address *prev = i > 0 ? &list->items[i - 1] : NULL;
		const struct mime_address *next = i + 1 < list->count ? &list->items[i + 1] : NULL;
		bool opens = a->group != NULL &&
		             (prev == NULL || prev->group == NULL || strcmp(prev->group, a->group) != 0);
		bool closes = a->group != NULL &&
		              (next == NULL || next->group == NULL || strcmp(next->group, a->group) != 0);
		if (i > 0)
			buf_add_str(&out, ", ");
		if (opens) {
			phrase_format(&out, a->group);
			buf_add_char(&out, ':');
			if (a->name != NULL || a->mailbox != NULL)
				buf_add_char(&out, ' ');
		}
		address_format(&out, a);
		if (closes)
			buf_add_char(&out, ';');
	}
	return buf_steal(&out);
}
