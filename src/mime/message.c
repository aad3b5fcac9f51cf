/*
 * message: the MIME structure of a message.  Rowan walks boundaries
 * itself, without recursion: every part is parsed from its own header
 * block (Content-Type and Content-Disposition go to
 * mime_content_header_parse as written, so an encoded word can never add
 * a parameter), multiparts are split on strict delimiter lines and
 * message/rfc822 bodies are parsed as messages.  Depth and the number
 * of parts are limited; what is left out is counted.  Broken structure
 * degrades to text rather than losing it.
 */
#include "config.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mime/message_private.h"

/* ---- header blocks ---- */

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Length of the field name if line starts a header field ("Name:"), else 0. */
static size_t field_name_len(const char *line, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned char c = (unsigned char)line[i];
		if (c == ':' || c <= 32 || c >= 127)
			break;
		i++;
	}
	if (i == 0)
		return 0;
	size_t name = i;
	while (i < n && is_blank(line[i]))
		i++;
	return i < n && line[i] == ':' ? name : 0;
}

/* The line at pos: *content_end excludes "\r\n" or "\n"; returns the next line's start. */
static size_t line_at(const char *data, size_t len, size_t pos, size_t *content_end)
{
	const char *nl = memchr(data + pos, '\n', len - pos);
	size_t eol = nl != NULL ? (size_t)(nl - data) : len;
	size_t end = eol;
	if (end > pos && data[end - 1] == '\r')
		end--;
	*content_end = end;
	return nl != NULL ? eol + 1 : len;
}

void mime_split_headers(const char *data, size_t len, size_t *headers_len,
                        size_t *body_offset)
{
	size_t pos = 0;
	bool have_field = false;
	while (pos < len) {
		size_t end;
		size_t next = line_at(data, len, pos, &end);
		if (end == pos) {
			*headers_len = pos;
			*body_offset = next;
			return;
		}
		if (is_blank(data[pos])) {
			if (!have_field)
				break;
		} else if (field_name_len(data + pos, end - pos) > 0) {
			have_field = true;
		} else {
			break;
		}
		pos = next;
	}
	*headers_len = pos;
	*body_offset = pos;
}

bool mime_field_next(const char *block, size_t len, size_t *pos, struct mime_field *field)
{
	size_t p = *pos;
	while (p < len) {
		size_t end;
		size_t next = line_at(block, len, p, &end);
		size_t name_len = is_blank(block[p]) ? 0 : field_name_len(block + p, end - p);
		if (name_len == 0) {
			p = next;
			continue;
		}
		field->name = block + p;
		field->name_len = name_len;
		const char *colon = memchr(block + p, ':', end - p);
		size_t value = (size_t)(colon - block) + 1;
		size_t value_end = end;
		/* Continuation lines. */
		while (next < len && is_blank(block[next])) {
			size_t cont_end;
			size_t after = line_at(block, len, next, &cont_end);
			value_end = cont_end;
			next = after;
		}
		field->value = block + value;
		field->value_len = value_end - value;
		*pos = next;
		return true;
	}
	*pos = len;
	return false;
}

char *mime_field_unfold(const char *value, size_t len, size_t *out_len)
{
	char *out = xmalloc(len + 1);
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		if (value[i] != '\r' && value[i] != '\n')
			out[n++] = value[i];
	size_t start = 0;
	while (start < n && is_blank(out[start]))
		start++;
	while (n > start && is_blank(out[n - 1]))
		n--;
	memmove(out, out + start, n - start);
	n -= start;
	out[n] = '\0';
	if (out_len != NULL)
		*out_len = n;
	return out;
}

/* The unfolded value of the first field called name, or NULL; *out_len set. */
static char *field_find(const char *block, size_t len, const char *name, size_t *out_len)
{
	size_t pos = 0, name_len = strlen(name);
	struct mime_field f;
	while (mime_field_next(block, len, &pos, &f)) {
		if (f.name_len == name_len && strncasecmp(f.name, name, name_len) == 0)
			return mime_field_unfold(f.value, f.value_len, out_len);
	}
	*out_len = 0;
	return NULL;
}

/* ---- parts ---- */

static bool is_token_char(unsigned char c)
{
	return c > 32 && c < 127 && strchr("()<>@,;:\\\"/[]?=", c) == NULL;
}

/* "type/subtype" made of tokens. */
static bool type_valid(const char *t)
{
	const char *slash = strchr(t, '/');
	if (slash == NULL || slash == t || slash[1] == '\0')
		return false;
	for (const char *p = t; *p != '\0'; p++)
		if (p != slash && !is_token_char((unsigned char)*p))
			return false;
	return true;
}

static void part_header(const char *block, size_t len, const char *name,
                        struct mime_content_header *out)
{
	size_t n;
	char *raw = field_find(block, len, name, &n);
	mime_content_header_parse(raw != NULL ? raw : "", n, NULL, out);
	free(raw);
}

static enum mime_encoding encoding_parse(const char *block, size_t len)
{
	size_t n;
	char *raw = field_find(block, len, "Content-Transfer-Encoding", &n);
	if (raw == NULL)
		return MIME_ENCODING_7BIT;
	/* A comment or junk after the token is ignored. */
	size_t t = 0;
	while (t < n && (isalnum((unsigned char)raw[t]) || raw[t] == '-'))
		t++;
	raw[t] = '\0';
	enum mime_encoding e = MIME_ENCODING_OTHER;
	if (strcasecmp(raw, "7bit") == 0 || t == 0)
		e = MIME_ENCODING_7BIT;
	else if (strcasecmp(raw, "8bit") == 0)
		e = MIME_ENCODING_8BIT;
	else if (strcasecmp(raw, "binary") == 0)
		e = MIME_ENCODING_BINARY;
	else if (strcasecmp(raw, "base64") == 0)
		e = MIME_ENCODING_BASE64;
	else if (strcasecmp(raw, "quoted-printable") == 0)
		e = MIME_ENCODING_QUOTED_PRINTABLE;
	free(raw);
	return e;
}

/*
 * Whether the line [line, line + n) is a delimiter for boundary b:
 * 1 for "--b", 2 for the closing "--b--" (trailing blanks allowed),
 * 0 otherwise.
 */
static int delimiter_kind(const char *line, size_t n, const char *b, size_t blen)
{
	if (n < blen + 2 || line[0] != '-' || line[1] != '-' || memcmp(line + 2, b, blen) != 0)
		return 0;
	size_t i = blen + 2;
	int kind = 1;
	if (n - i >= 2 && line[i] == '-' && line[i + 1] == '-') {
		kind = 2;
		i += 2;
	}
	for (; i < n; i++)
		if (!is_blank(line[i]) && line[i] != '\r')
			return 0;
	return kind;
}

struct range {
	size_t start;
	size_t len;
};

/*
 * Split a multipart body on boundary b.  Stores at most max_store ranges
 * in *ranges (newly allocated) and returns how many parts there are;
 * *closed tells whether the closing delimiter was seen, *found whether
 * any delimiter was.  The preamble and the epilogue are dropped.
 */
static size_t multipart_split(const char *body, size_t len, const char *b, size_t blen,
                              size_t max_store, struct range **ranges, bool *closed,
                              bool *found)
{
	size_t count = 0, stored = 0, cap = 0;
	size_t pos = 0, part_start = 0;
	bool in_part = false;
	*ranges = NULL;
	*closed = false;
	*found = false;
	while (pos < len) {
		size_t end;
		size_t next = line_at(body, len, pos, &end);
		int kind = body[pos] == '-' ? delimiter_kind(body + pos, end - pos, b, blen) : 0;
		if (kind != 0) {
			*found = true;
			if (in_part) {
				size_t stop = pos;
				if (stop > part_start && body[stop - 1] == '\n')
					stop--;
				if (stop > part_start && body[stop - 1] == '\r')
					stop--;
				if (stored < max_store) {
					if (stored == cap) {
						cap = cap == 0 ? 8 : cap * 2;
						*ranges = xrealloc(*ranges, cap * sizeof **ranges);
					}
					(*ranges)[stored++] = (struct range){part_start, stop - part_start};
				}
				count++;
			}
			if (kind == 2) {
				*closed = true;
				return count;
			}
			in_part = true;
			part_start = next;
		}
		pos = next;
	}
	if (in_part) {
		if (stored < max_store) {
			if (stored == cap) {
				cap = cap == 0 ? 8 : cap * 2;
				*ranges = xrealloc(*ranges, cap * sizeof **ranges);
			}
			(*ranges)[stored++] = (struct range){part_start, len - part_start};
		}
		count++;
	}
	return count;
}

static bool boundary_usable(const char *boundary, const char *body, size_t len)
{
	if (boundary == NULL || boundary[0] == '\0' || strlen(boundary) > 998)
		return false;
	size_t blen = strlen(boundary);
	size_t pos = 0;
	while (pos < len) {
		size_t end;
		size_t next = line_at(body, len, pos, &end);
		if (body[pos] == '-' && delimiter_kind(body + pos, end - pos, boundary, blen) != 0)
			return true;
		pos = next;
	}
	return false;
}

static char *content_id_clean(char *raw)
{
	if (raw == NULL)
		return NULL;
	char *s = raw;
	size_t n = strlen(s);
	if (n > 0 && s[0] == '<') {
		s++;
		n--;
	}
	if (n > 0 && s[n - 1] == '>')
		n--;
	char *out = n > 0 ? xstrndup(s, n) : NULL;
	free(raw);
	return out;
}

static void message_add_part(struct mime_message *msg, struct mime_part *part)
{
	if (msg->part_count == msg->part_cap) {
		msg->part_cap = msg->part_cap == 0 ? 16 : msg->part_cap * 2;
		msg->parts = xrealloc(msg->parts, msg->part_cap * sizeof *msg->parts);
	}
	msg->parts[msg->part_count++] = part;
}

static void part_free(struct mime_part *p)
{
	free(p->part_id);
	free(p->type);
	mime_content_header_clear(&p->content_type);
	mime_content_header_clear(&p->disposition);
	free(p->filename);
	free(p->content_id);
	free(p->description);
	free(p->children);
	free(p);
}

/*
 * A new part from its header block and body.  id_multipart is its id
 * should it turn out to be a multipart, id_single otherwise (they differ
 * for the top-level part and for the message inside message/rfc822).
 */
static struct mime_part *part_new(struct mime_message *msg, struct mime_part *parent,
                                  const char *headers, size_t headers_len,
                                  const char *body, size_t body_len, unsigned depth,
                                  const char *default_type, const char *id_multipart,
                                  const char *id_single)
{
	struct mime_part *p = xcalloc(1, sizeof *p);
	p->message = msg;
	p->parent = parent;
	p->headers = headers;
	p->headers_len = headers_len;
	p->body = body;
	p->body_len = body_len;
	p->depth = depth;
	message_add_part(msg, p);

	part_header(headers, headers_len, "Content-Type", &p->content_type);
	part_header(headers, headers_len, "Content-Disposition", &p->disposition);
	const char *declared = p->content_type.value != NULL ? p->content_type.value : "";
	p->type = xstrdup(type_valid(declared) ? declared : default_type);
	for (char *c = p->type; *c != '\0'; c++)
		*c = (char)tolower((unsigned char)*c);

	const char *charset = mime_content_header_param(&p->content_type, "charset");
	p->charset = charset != NULL && charset[0] != '\0' ? charset : NULL;
	const char *name = mime_content_header_param(&p->disposition, "filename");
	if (name == NULL || name[0] == '\0')
		name = mime_content_header_param(&p->content_type, "name");
	p->filename = name != NULL && name[0] != '\0' ? xstrdup(name) : NULL;
	size_t n;
	p->content_id = content_id_clean(field_find(headers, headers_len, "Content-ID", &n));
	char *desc = field_find(headers, headers_len, "Content-Description", &n);
	if (desc != NULL) {
		p->description = mime_header_decode(desc, n, NULL);
		free(desc);
	}
	p->encoding = encoding_parse(headers, headers_len);

	if (strncmp(p->type, "multipart/", 10) == 0) {
		const char *boundary = mime_content_header_param(&p->content_type, "boundary");
		if (boundary_usable(boundary, body, body_len)) {
			p->is_multipart = true;
		} else {
			p->boundary_missing = true;
			free(p->type);
			p->type = xstrdup("text/plain");
		}
	} else if (strcmp(p->type, "message/rfc822") == 0 ||
	           strcmp(p->type, "message/global") == 0) {
		p->is_message = true;
	}

	const char *disp = p->disposition.value != NULL ? p->disposition.value : "";
	bool disp_attachment = disp[0] != '\0' && strcmp(disp, "inline") != 0;
	bool texty = strncmp(p->type, "text/", 5) == 0 ||
	             strcmp(p->type, "message/delivery-status") == 0 ||
	             strcmp(p->type, "message/disposition-notification") == 0 ||
	             strcmp(p->type, "message/global-delivery-status") == 0 ||
	             strcmp(p->type, "message/global-disposition-notification") == 0 ||
	             strcmp(p->type, "message/global-headers") == 0;
	p->is_attachment = !p->is_multipart &&
	                   (disp_attachment || (!texty && !p->is_message));

	p->part_id = xstrdup(p->is_multipart ? id_multipart : id_single);
	return p;
}

static void part_add_child(struct mime_part *parent, struct mime_part *child)
{
	/* The capacity is the next power of two: grow when full. */
	size_t n = parent->child_count;
	if ((n & (n - 1)) == 0)
		parent->children = xrealloc(parent->children,
		                            (n == 0 ? 1 : 2 * n) * sizeof *parent->children);
	parent->children[parent->child_count++] = child;
}

static char *child_id(const char *parent_id, size_t index)
{
	if (parent_id[0] == '\0')
		return xasprintf("%zu", index + 1);
	return xasprintf("%s.%zu", parent_id, index + 1);
}

/* ---- the walk over the structure ---- */

struct parser {
	struct mime_message *msg;
	struct mime_part **stack;	/* parts still to expand */
	size_t stack_len;
	size_t stack_cap;
	size_t owned_bytes;	/* decoded message/rfc822 bodies kept */
};

static void parser_push(struct parser *ps, struct mime_part *part)
{
	if (ps->stack_len == ps->stack_cap) {
		ps->stack_cap = ps->stack_cap == 0 ? 16 : ps->stack_cap * 2;
		ps->stack = xrealloc(ps->stack, ps->stack_cap * sizeof *ps->stack);
	}
	ps->stack[ps->stack_len++] = part;
}

/* How many more parts may be kept below the top-level one. */
static size_t parts_room(const struct mime_message *msg)
{
	size_t below = msg->part_count > 0 ? msg->part_count - 1 : 0;
	return below < msg->limits.max_parts ? msg->limits.max_parts - below : 0;
}

/*
 * Split a multipart into its children.  Children too deep or beyond the
 * part count are left out whole (unparsed) and counted.
 */
static void expand_multipart(struct parser *ps, struct mime_part *p)
{
	struct mime_message *msg = ps->msg;
	const char *boundary = mime_content_header_param(&p->content_type, "boundary");
	bool too_deep = p->depth + 1 > msg->limits.max_depth;
	size_t room = too_deep ? 0 : parts_room(msg);
	struct range *ranges;
	bool closed, found;
	size_t count = multipart_split(p->body, p->body_len, boundary, strlen(boundary), room,
	                               &ranges, &closed, &found);
	p->close_missing = !closed;
	size_t made = count < room ? count : room;
	if (too_deep)
		msg->cut_depth += count;
	else
		msg->cut_count += count - made;
	const char *default_type = strcmp(p->type, "multipart/digest") == 0 ?
	                           "message/rfc822" : "text/plain";
	for (size_t i = 0; i < made; i++) {
		const char *start = p->body + ranges[i].start;
		size_t hlen, boff;
		mime_split_headers(start, ranges[i].len, &hlen, &boff);
		char *id = child_id(p->part_id, i);
		struct mime_part *c = part_new(msg, p, start, hlen, start + boff,
		                               ranges[i].len - boff, p->depth + 1, default_type,
		                               id, id);
		free(id);
		part_add_child(p, c);
	}
	free(ranges);
	/* Expand in document order: push in reverse. */
	for (size_t i = p->child_count; i-- > 0;) {
		struct mime_part *c = p->children[i];
		if (c->is_multipart || c->is_message)
			parser_push(ps, c);
	}
}

/* Parse the message inside a message/rfc822 part. */
static void expand_message(struct parser *ps, struct mime_part *p)
{
	struct mime_message *msg = ps->msg;
	if (p->depth + 1 > msg->limits.max_depth) {
		msg->cut_depth++;
		return;
	}
	if (parts_room(msg) == 0) {
		msg->cut_count++;
		return;
	}
	const char *src = p->body;
	size_t len = p->body_len;
	if (p->encoding == MIME_ENCODING_BASE64 || p->encoding == MIME_ENCODING_QUOTED_PRINTABLE) {
		/* Decoded copies are bounded in all: past that the part is
		 * only listed as an attachment. */
		if (ps->owned_bytes >= msg->limits.max_part_bytes)
			return;
		char *decoded = mime_part_decode(p, msg->limits.max_part_bytes - ps->owned_bytes,
		                                 &len, NULL);
		ps->owned_bytes += len;
		msg->owned = xrealloc(msg->owned, (msg->owned_count + 1) * sizeof *msg->owned);
		msg->owned[msg->owned_count++] = decoded;
		src = decoded;
	}
	size_t hlen, boff;
	mime_split_headers(src, len, &hlen, &boff);
	char *single = p->part_id[0] != '\0' ? xasprintf("%s.1", p->part_id) : xstrdup("1");
	struct mime_part *c = part_new(msg, p, src, hlen, src + boff, len - boff, p->depth + 1,
	                               "text/plain", p->part_id, single);
	free(single);
	part_add_child(p, c);
	if (c->is_multipart || c->is_message)
		parser_push(ps, c);
}

struct mime_message *mime_message_parse(const char *data, size_t len,
                                        const struct mime_limits *limits)
{
	struct mime_message *msg = xcalloc(1, sizeof *msg);
	msg->data = xmalloc(len + 1);
	if (len > 0)
		memcpy(msg->data, data, len);
	msg->data[len] = '\0';
	msg->len = len;
	msg->limits.max_depth = MIME_DEFAULT_MAX_DEPTH;
	msg->limits.max_parts = MIME_DEFAULT_MAX_PARTS;
	msg->limits.max_part_bytes = MIME_DEFAULT_MAX_PART_BYTES;
	if (limits != NULL) {
		if (limits->max_depth > 0)
			msg->limits.max_depth = limits->max_depth;
		if (limits->max_parts > 0)
			msg->limits.max_parts = limits->max_parts;
		if (limits->max_part_bytes > 0)
			msg->limits.max_part_bytes = limits->max_part_bytes;
	}
	if (msg->limits.max_depth > MIME_HARD_MAX_DEPTH)
		msg->limits.max_depth = MIME_HARD_MAX_DEPTH;

	const char *start = msg->data;
	size_t rest = len;
	if (rest >= 5 && memcmp(start, "From ", 5) == 0) {
		const char *nl = memchr(start, '\n', rest);
		size_t skip = nl != NULL ? (size_t)(nl - start) + 1 : rest;
		start += skip;
		rest -= skip;
	}
	size_t hlen, boff;
	mime_split_headers(start, rest, &hlen, &boff);
	msg->headers = start;
	msg->headers_len = hlen;
	msg->root = part_new(msg, NULL, start, hlen, start + boff, rest - boff, 0, "text/plain",
	                     "", "1");

	struct parser ps = {.msg = msg};
	if (msg->root->is_multipart || msg->root->is_message)
		parser_push(&ps, msg->root);
	while (ps.stack_len > 0) {
		struct mime_part *p = ps.stack[--ps.stack_len];
		if (p->is_multipart)
			expand_multipart(&ps, p);
		else
			expand_message(&ps, p);
	}
	free(ps.stack);
	return msg;
}

void mime_message_free(struct mime_message **message)
{
	if (message == NULL || *message == NULL)
		return;
	struct mime_message *msg = *message;
	for (size_t i = 0; i < msg->part_count; i++)
		part_free(msg->parts[i]);
	free(msg->parts);
	for (size_t i = 0; i < msg->owned_count; i++)
		free(msg->owned[i]);
	free(msg->owned);
	free(msg->data);
	free(msg);
	*message = NULL;
}

const struct mime_part *mime_message_root(const struct mime_message *message)
{
	return message->root;
}

const char *mime_message_headers(const struct mime_message *message, size_t *len)
{
	if (len != NULL)
		*len = message->headers_len;
	return message->headers;
}

const struct mime_limits *mime_message_limits(const struct mime_message *message)
{
	return &message->limits;
}

size_t mime_message_cut_by_depth(const struct mime_message *message)
{
	return message->cut_depth;
}

size_t mime_message_cut_by_count(const struct mime_message *message)
{
	return message->cut_count;
}
