/*
 * render: the pager text of a message, the way mutt shows it — chosen
 * headers, the inline text parts in order (one of each alternative,
 * the root of related, the signed part, forwarded messages with their
 * own headers), then the attachments and what the limits cut.  The same
 * walk gives the attachment list.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mime/message_private.h"

#define DEFAULT_HEADERS "From To Cc Date Subject"
#define DEFAULT_ALTERNATIVE_ORDER "text/plain text/enriched text/html"
#define HTML_FILTER_TIMEOUT_MS 10000
/* html_filter runs per render at most; further HTML parts use the
 * built-in conversion (a message of thousands of HTML parts must not
 * start thousands of processes). */
#define HTML_FILTER_MAX_RUNS 32

struct blocks {
	char **items;
	size_t count;
};

struct render {
	const struct mime_message *msg;
	const char *headers;
	bool all_headers;
	const char *alternative_order;
	const char *html_filter;
	const char *fallback;
	bool collect_only;		/* the attachment list, no text */
	const struct mime_part **attachments;
	size_t attachment_count;
	size_t attachment_cap;
	struct buf cut_notes;		/* parts cut by max_part_bytes */
	unsigned filter_runs;
};

static void blocks_add(struct blocks *b, char *text)
{
	/* The capacity is the next power of two: grow when full. */
	size_t n = b->count;
	if ((n & (n - 1)) == 0)
		b->items = xrealloc(b->items, (n == 0 ? 1 : 2 * n) * sizeof *b->items);
	b->items[b->count++] = text;
}

static void blocks_join(struct blocks *b, struct buf *out)
{
	for (size_t i = 0; i < b->count; i++) {
		if (i > 0)
			buf_add_str(out, "\n\n");
		buf_add_str(out, b->items[i]);
		free(b->items[i]);
	}
	free(b->items);
	b->items = NULL;
	b->count = 0;
}

static void attachment_add(struct render *r, const struct mime_part *part)
{
	if (r->attachment_count == r->attachment_cap) {
		r->attachment_cap = r->attachment_cap == 0 ? 8 : r->attachment_cap * 2;
		r->attachments = xrealloc(r->attachments,
		                          r->attachment_cap * sizeof *r->attachments);
	}
	r->attachments[r->attachment_count++] = part;
}

/* ---- sizes ---- */

char *mime_size_format(size_t bytes)
{
	if (bytes < 1024)
		return xasprintf(ngettext("%zu byte", "%zu bytes", (unsigned long)bytes), bytes);
	static const char *const units[] = {"KiB", "MiB", "GiB", "TiB"};
	size_t unit = 0;
	unsigned long long scale = 1024;
	/* Tenths, rounded; move to the next unit rather than show 1024.0. */
	for (;;) {
		unsigned long long tenths = ((unsigned long long)bytes * 10 + scale / 2) / scale;
		if (tenths < 10240 || unit == 3)
			return xasprintf("%llu.%llu %s", tenths / 10, tenths % 10, units[unit]);
		unit++;
		scale *= 1024;
	}
}

/* ---- headers ---- */

static bool is_address_header(const char *name, size_t len)
{
	static const char *const names[] = {
		"from", "to", "cc", "bcc", "reply-to", "sender", "mail-followup-to",
		"mail-reply-to", "resent-from", "resent-to", "resent-cc", "resent-bcc",
		"resent-sender", "return-receipt-to", "disposition-notification-to", NULL
	};
	for (size_t i = 0; names[i] != NULL; i++)
		if (strlen(names[i]) == len && strncasecmp(names[i], name, len) == 0)
			return true;
	return false;
}

/* "Name: value" with the value decoded and made safe for one line. */
static void header_line(struct render *r, struct buf *out, const char *name, size_t name_len,
                        const struct mime_field *f)
{
	size_t raw_len;
	char *raw = mime_field_unfold(f->value, f->value_len, &raw_len);
	char *value;
	if (is_address_header(f->name, f->name_len)) {
		struct mime_address_list *list = mime_address_list_parse(raw, raw_len, r->fallback);
		value = mime_address_list_format(list);
		mime_address_list_free(&list);
	} else if (f->name_len == 4 && strncasecmp(f->name, "date", 4) == 0) {
		/* As written; only NULs and bytes that are not UTF-8 replaced. */
		value = mime_charset_to_utf8("utf-8", raw, raw_len, r->fallback, NULL);
	} else {
		value = mime_header_decode(raw, raw_len, r->fallback);
	}
	free(raw);
	for (char *c = value; *c != '\0'; c++)
		if (*c == '\t')
			*c = ' ';
	char *safe_name = mime_safe_text(name, name_len, MIME_SAFE_LINE);
	char *safe_value = mime_safe_text(value, strlen(value), MIME_SAFE_LINE);
	if (out->len > 0)
		buf_add_char(out, '\n');
	buf_add_str(out, safe_name);
	buf_add_str(out, ": ");
	buf_add_str(out, safe_value);
	free(safe_name);
	free(safe_value);
	free(value);
}

/* The header lines of a header block; newly allocated ("" when none). */
static char *headers_format(struct render *r, const char *block, size_t len)
{
	struct buf out;
	buf_init(&out);
	buf_add(&out, "", 0);
	struct mime_field f;
	size_t pos = 0;
	if (r->all_headers) {
		while (mime_field_next(block, len, &pos, &f))
			header_line(r, &out, f.name, f.name_len, &f);
		return buf_steal(&out);
	}
	const char *p = r->headers;
	while (*p != '\0') {
		while (*p != '\0' && (isspace((unsigned char)*p) || *p == ',' || *p == ':'))
			p++;
		size_t n = 0;
		while (p[n] != '\0' && !isspace((unsigned char)p[n]) && p[n] != ',' && p[n] != ':')
			n++;
		if (n == 0)
			break;
		pos = 0;
		while (mime_field_next(block, len, &pos, &f))
			if (f.name_len == n && strncasecmp(f.name, p, n) == 0)
				header_line(r, &out, p, n, &f);
		p += n;
	}
	return buf_steal(&out);
}

/* ---- choosing parts ---- */

static const struct mime_part *related_root(const struct mime_part *part)
{
	if (part->child_count == 0)
		return NULL;
	const char *start = mime_content_header_param(&part->content_type, "start");
	if (start != NULL) {
		size_t n = strlen(start);
		if (n > 0 && start[0] == '<') {
			start++;
			n--;
		}
		if (n > 0 && start[n - 1] == '>')
			n--;
		for (size_t i = 0; i < part->child_count; i++) {
			const char *cid = part->children[i]->content_id;
			if (cid != NULL && strlen(cid) == n && strncmp(cid, start, n) == 0)
				return part->children[i];
		}
	}
	return part->children[0];
}

/* The type a part would be shown as: a multipart's root or first part. */
static const char *effective_type(const struct mime_part *part)
{
	for (unsigned guard = 0; guard < MIME_HARD_MAX_DEPTH && part->is_multipart; guard++) {
		const struct mime_part *next = strcmp(part->type, "multipart/related") == 0 ?
		                               related_root(part) :
		                               part->child_count > 0 ? part->children[0] : NULL;
		if (next == NULL)
			break;
		part = next;
	}
	return part->type;
}

static bool type_matches(const char *type, const char *want, size_t n)
{
	if ((n == 1 && want[0] == '*') || (n == 3 && strncmp(want, "*/*", 3) == 0))
		return true;
	const char *slash = memchr(want, '/', n);
	if (slash == NULL || (slash + 2 == want + n && slash[1] == '*')) {
		size_t major = slash != NULL ? (size_t)(slash - want) : n;
		return strncasecmp(type, want, major) == 0 && type[major] == '/';
	}
	return strlen(type) == n && strncasecmp(type, want, n) == 0;
}

static const struct mime_part *alternative_choose(struct render *r, const struct mime_part *part)
{
	if (part->child_count == 0)
		return NULL;
	const char *p = r->alternative_order;
	while (*p != '\0') {
		while (*p != '\0' && (isspace((unsigned char)*p) || *p == ','))
			p++;
		size_t n = 0;
		while (p[n] != '\0' && !isspace((unsigned char)p[n]) && p[n] != ',')
			n++;
		if (n == 0)
			break;
		for (size_t i = 0; i < part->child_count; i++)
			if (type_matches(effective_type(part->children[i]), p, n))
				return part->children[i];
		p += n;
	}
	return part->children[0];
}

/* ---- text of a part ---- */

static void trim_end(char *s, size_t *len)
{
	size_t n = *len;
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' ||
	                 s[n - 1] == '\r'))
		n--;
	s[n] = '\0';
	*len = n;
}

static void cut_note_size(struct render *r, const struct mime_part *part)
{
	char *size = mime_size_format(r->msg->limits.max_part_bytes);
	if (r->cut_notes.len > 0)
		buf_add_char(&r->cut_notes, '\n');
	buf_printf(&r->cut_notes, _("[-- Cut: part %s is larger than %s; the rest is not shown --]"),
	           part->part_id[0] != '\0' ? part->part_id : "1", size);
	free(size);
}

static char *part_display_text(struct render *r, const struct mime_part *part, size_t *len)
{
	unsigned flags = 0;
	char *text = mime_part_text(part, r->fallback, len, &flags);
	if (flags & MIME_DECODE_TRUNCATED)
		cut_note_size(r, part);
	if (strcmp(part->type, "text/html") == 0) {
		char *shown = NULL;
		if (r->html_filter != NULL && r->filter_runs < HTML_FILTER_MAX_RUNS) {
			r->filter_runs++;
			char *raw;
			size_t raw_len;
			if (mime_html_filter_run(r->html_filter, text, *len,
			                         r->msg->limits.max_part_bytes, HTML_FILTER_TIMEOUT_MS,
			                         &raw, &raw_len) == 0) {
				shown = mime_charset_to_utf8("utf-8", raw, raw_len, r->fallback, len);
				free(raw);
			}
		}
		if (shown == NULL)
			shown = mime_html_to_text(text, *len, len);
		free(text);
		text = shown;
	} else if (strcmp(part->type, "text/enriched") == 0 ||
	           strcmp(part->type, "text/richtext") == 0) {
		char *shown = mime_enriched_to_text(text, *len, len);
		free(text);
		text = shown;
	}
	trim_end(text, len);
	return text;
}

/* ---- the walk ---- */

static void walk(struct render *r, const struct mime_part *part, struct blocks *blocks);

static void show_text(struct render *r, const struct mime_part *part, struct blocks *blocks)
{
	if (r->collect_only) {
		blocks_add(blocks, xstrdup(""));
		return;
	}
	size_t len;
	char *text = part_display_text(r, part, &len);
	if (blocks->count == 0) {
		if (len > 0)
			blocks_add(blocks, text);
		else
			free(text);
		return;
	}
	struct buf b;
	buf_init(&b);
	buf_printf(&b, "[-- %s: %s", part->part_id[0] != '\0' ? part->part_id : "1", part->type);
	if (part->filename != NULL) {
		char *name = mime_safe_text(part->filename, strlen(part->filename), MIME_SAFE_LINE);
		buf_printf(&b, ", %s", name);
		free(name);
	}
	buf_add_str(&b, " --]");
	if (len > 0) {
		buf_add_char(&b, '\n');
		buf_add(&b, text, len);
	}
	free(text);
	blocks_add(blocks, buf_steal(&b));
}

static void show_forwarded(struct render *r, const struct mime_part *part,
                           struct blocks *blocks)
{
	const struct mime_part *inner = part->children[0];
	struct blocks inner_blocks = {NULL, 0};
	walk(r, inner, &inner_blocks);
	if (r->collect_only) {
		for (size_t i = 0; i < inner_blocks.count; i++)
			free(inner_blocks.items[i]);
		free(inner_blocks.items);
		blocks_add(blocks, xstrdup(""));
		return;
	}
	struct buf b;
	buf_init(&b);
	buf_printf(&b, _("[-- Forwarded message (%s) --]"),
	           part->part_id[0] != '\0' ? part->part_id : "1");
	char *headers = headers_format(r, inner->headers, inner->headers_len);
	if (headers[0] != '\0') {
		buf_add_char(&b, '\n');
		buf_add_str(&b, headers);
	}
	free(headers);
	if (inner_blocks.count > 0) {
		buf_add_str(&b, "\n\n");
		blocks_join(&inner_blocks, &b);
	}
	buf_add_char(&b, '\n');
	buf_add_str(&b, _("[-- End of forwarded message --]"));
	blocks_add(blocks, buf_steal(&b));
}

static bool is_plain_alternative(const char *type)
{
	return strcmp(type, "text/plain") == 0 || strcmp(type, "text/html") == 0 ||
	       strcmp(type, "text/enriched") == 0 || strcmp(type, "text/richtext") == 0;
}

/* A part next to the one shown: leaves are listed, multiparts walked. */
static void walk_aside(struct render *r, const struct mime_part *part, struct blocks *blocks)
{
	if (part->is_multipart)
		walk(r, part, blocks);
	else
		attachment_add(r, part);
}

static void walk(struct render *r, const struct mime_part *part, struct blocks *blocks)
{
	if (part->is_multipart) {
		if (strcmp(part->type, "multipart/alternative") == 0) {
			const struct mime_part *chosen = alternative_choose(r, part);
			for (size_t i = 0; i < part->child_count; i++) {
				const struct mime_part *c = part->children[i];
				if (c == chosen)
					walk(r, c, blocks);
				else if (!c->is_multipart && !is_plain_alternative(c->type))
					attachment_add(r, c);
			}
		} else if (strcmp(part->type, "multipart/related") == 0) {
			const struct mime_part *root = related_root(part);
			if (root != NULL)
				walk(r, root, blocks);
			for (size_t i = 0; i < part->child_count; i++)
				if (part->children[i] != root)
					walk_aside(r, part->children[i], blocks);
		} else if (strcmp(part->type, "multipart/signed") == 0) {
			for (size_t i = 0; i < part->child_count; i++) {
				if (i == 0)
					walk(r, part->children[i], blocks);
				else
					walk_aside(r, part->children[i], blocks);
			}
		} else {
			for (size_t i = 0; i < part->child_count; i++)
				walk(r, part->children[i], blocks);
		}
		return;
	}
	if (part->is_message && part->child_count == 1 && !part->is_attachment) {
		show_forwarded(r, part, blocks);
		return;
	}
	if (part->is_attachment || part->is_message) {
		attachment_add(r, part);
		return;
	}
	show_text(r, part, blocks);
}

static void render_init(struct render *r, const struct mime_message *msg,
                        const struct mime_render_options *options)
{
	memset(r, 0, sizeof *r);
	r->msg = msg;
	r->headers = DEFAULT_HEADERS;
	r->alternative_order = DEFAULT_ALTERNATIVE_ORDER;
	buf_init(&r->cut_notes);
	if (options == NULL)
		return;
	if (options->headers != NULL)
		r->headers = options->headers;
	r->all_headers = options->all_headers;
	if (options->alternative_order != NULL && options->alternative_order[0] != '\0')
		r->alternative_order = options->alternative_order;
	if (options->html_filter != NULL && options->html_filter[0] != '\0')
		r->html_filter = options->html_filter;
	if (options->assumed_charset != NULL && options->assumed_charset[0] != '\0')
		r->fallback = options->assumed_charset;
}

static size_t part_size(const struct mime_part *part)
{
	if (part->is_message || part->is_multipart)
		return part->body_len;
	return mime_part_decoded_size(part);
}

char *mime_render(const struct mime_message *message,
                  const struct mime_render_options *options)
{
	struct render r;
	render_init(&r, message, options);
	struct blocks blocks = {NULL, 0};
	walk(&r, message->root, &blocks);

	struct buf out;
	buf_init(&out);
	buf_add(&out, "", 0);
	char *headers = headers_format(&r, message->headers, message->headers_len);
	buf_add_str(&out, headers);
	free(headers);
	if (blocks.count > 0) {
		if (out.len > 0)
			buf_add_str(&out, "\n\n");
		blocks_join(&blocks, &out);
	}
	free(blocks.items);

	struct buf trailer;
	buf_init(&trailer);
	buf_add(&trailer, "", 0);
	if (r.attachment_count > 0) {
		buf_add_str(&trailer, _("[-- Attachments --]"));
		for (size_t i = 0; i < r.attachment_count; i++) {
			const struct mime_part *a = r.attachments[i];
			char *name = a->filename != NULL ?
			             mime_safe_text(a->filename, strlen(a->filename), MIME_SAFE_LINE) :
			             xstrdup(_("(no name)"));
			char *size = mime_size_format(part_size(a));
			buf_printf(&trailer, "\n%s  %s  %s  %s",
			           a->part_id[0] != '\0' ? a->part_id : "1", name, a->type, size);
			free(name);
			free(size);
		}
	}
	if (message->cut_depth > 0) {
		if (trailer.len > 0)
			buf_add_char(&trailer, '\n');
		buf_printf(&trailer,
		           ngettext("[-- Cut: nesting deeper than %u levels; %zu part not shown --]",
		                    "[-- Cut: nesting deeper than %u levels; %zu parts not shown --]",
		                    (unsigned long)message->cut_depth),
		           message->limits.max_depth, message->cut_depth);
	}
	if (message->cut_count > 0) {
		if (trailer.len > 0)
			buf_add_char(&trailer, '\n');
		buf_printf(&trailer,
		           ngettext("[-- Cut: more than %zu parts; %zu part not shown --]",
		                    "[-- Cut: more than %zu parts; %zu parts not shown --]",
		                    (unsigned long)message->cut_count),
		           message->limits.max_parts, message->cut_count);
	}
	if (r.cut_notes.len > 0) {
		if (trailer.len > 0)
			buf_add_char(&trailer, '\n');
		buf_add(&trailer, r.cut_notes.data, r.cut_notes.len);
	}
	if (trailer.len > 0) {
		if (out.len > 0)
			buf_add_str(&out, "\n\n");
		buf_add(&out, trailer.data, trailer.len);
	}
	buf_free(&trailer);
	buf_free(&r.cut_notes);
	free(r.attachments);
	buf_add_char(&out, '\n');
	char *safe = mime_safe_text(out.data, out.len, MIME_SAFE_TEXT);
	buf_free(&out);
	return safe;
}

const struct mime_part **mime_attachment_list(const struct mime_message *message,
                                              const struct mime_render_options *options,
                                              size_t *count)
{
	struct render r;
	render_init(&r, message, options);
	r.collect_only = true;
	struct blocks blocks = {NULL, 0};
	walk(&r, message->root, &blocks);
	for (size_t i = 0; i < blocks.count; i++)
		free(blocks.items[i]);
	free(blocks.items);
	buf_free(&r.cut_notes);
	*count = r.attachment_count;
	if (r.attachment_count == 0) {
		free(r.attachments);
		return NULL;
	}
	return r.attachments;
}
