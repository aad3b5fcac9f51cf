/*
 * envelope: building the compact per-message record of a folder index
 * from a header block or a whole message, and reading it back.
 *
 * Layout: struct envelope holds the numbers and one 16-bit offset per
 * string into the trailing text[] array, where every non-empty string
 * is stored once, NUL-terminated.  Empty strings point at a NUL that is
 * already there, and In-Reply-To, which nearly always repeats the last
 * id of References, points into References when it does.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "mail/envelope.h"
#include "mime/mime.h"

enum envelope_field {
	FIELD_FROM_NAME,
	FIELD_FROM_ADDRESS,
	FIELD_TO,
	FIELD_CC,
	FIELD_SUBJECT,
	FIELD_MESSAGE_ID,
	FIELD_IN_REPLY_TO,
	FIELD_REFERENCES,
	FIELD_COUNT
};

#define BIT_ATTACHMENT 0x01u
#define BIT_DATE_FALLBACK 0x02u

struct envelope {
	time_t date;
	time_t arrival;
	uint32_t uid;
	uint32_t size;
	int16_t zone;
	uint8_t flags;
	uint8_t bits;
	uint16_t text_len;
	uint16_t offset[FIELD_COUNT];
	char text[];
};

/* The caps keep every offset within 16 bits. */
_Static_assert(2 * ENVELOPE_NAME_MAX + 2 * (ENVELOPE_LIST_MAX + 5) + ENVELOPE_SUBJECT_MAX +
               2 * ENVELOPE_ID_MAX + ENVELOPE_REFERENCES_MAX + FIELD_COUNT < UINT16_MAX,
               "envelope strings must fit 16-bit offsets");

const char *const envelope_header_fields[] = {
	"From", "To", "Cc", "Subject", "Date", "Message-ID", "In-Reply-To",
	"References", "Content-Type", "Content-Disposition", NULL,
};

/* "…" in UTF-8, appended to a shortened address list. */
static const char ellipsis[] = ", \xe2\x80\xa6";

/* ------------------------------------------------------------------ */
/* Small string helpers                                                 */
/* ------------------------------------------------------------------ */

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Remove leading and trailing ASCII white space in place. */
static void trim(char *s)
{
	size_t len = strlen(s);
	while (len > 0 && is_space(s[len - 1]))
		len--;
	s[len] = '\0';
	size_t start = 0;
	while (is_space(s[start]))
		start++;
	if (start > 0)
		memmove(s, s + start, len - start + 1);
}

/* The largest length <= max that does not split a UTF-8 sequence. */
static size_t utf8_cut_length(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	size_t n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return n;
}

/* Cut s (newly allocated or NULL) to at most max bytes; trims it too. */
static char *clean(char *s, size_t max)
{
	if (s == NULL)
		return NULL;
	trim(s);
	s[utf8_cut_length(s, strlen(s), max)] = '\0';
	return s;
}

/* ------------------------------------------------------------------ */
/* The header block                                                     */
/* ------------------------------------------------------------------ */

/*
 * Length of the header block at the start of data: the bytes before the
 * empty line (LF or CRLF) that ends it, or all of data.
 */
static size_t header_block_length(const char *data, size_t len)
{
	size_t i = 0;
	while (i < len) {
		if (data[i] == '\n' || (data[i] == '\r' && i + 1 < len && data[i + 1] == '\n'))
			return i;
		const char *nl = memchr(data + i, '\n', len - i);
		if (nl == NULL)
			return len;
		i = (size_t)(nl - data) + 1;
	}
	return len;
}

/* Skip an mbox "From " separator line at the start of data (not a "From:"
 * field, which may be written "From :"). */
static size_t from_line_length(const char *data, size_t len)
{
	if (len < 5 || memcmp(data, "From ", 5) != 0)
		return 0;
	size_t i = 5;
	while (i < len && (data[i] == ' ' || data[i] == '\t'))
		i++;
	if (i < len && data[i] == ':')
		return 0;
	const char *nl = memchr(data, '\n', len);
	return nl != NULL ? (size_t)(nl - data) + 1 : len;
}

/* ------------------------------------------------------------------ */
/* Message ids                                                          */
/* ------------------------------------------------------------------ */

/* Skip a comment "( ... )" (nested, with backslash escapes) starting at p. */
static const char *skip_comment(const char *p, const char *end)
{
	int depth = 0;
	for (; p < end; p++) {
		if (*p == '\\' && p + 1 < end)
			p++;
		else if (*p == '(')
			depth++;
		else if (*p == ')' && --depth == 0)
			return p + 1;
	}
	return end;
}

static const char *skip_quoted(const char *p, const char *end)
{
	for (p++; p < end; p++) {
		if (*p == '\\' && p + 1 < end)
			p++;
		else if (*p == '"')
			return p + 1;
	}
	return end;
}

/*
 * Find the next "<id>" in [p, end) outside comments and quoted strings.
 * On success appends it (white space inside removed) to out and returns
 * the position after it; returns NULL when there is none.  Ids with
 * control characters, invalid UTF-8 or longer than ENVELOPE_ID_MAX are
 * passed over.
 */
static const char *next_message_id(const char *p, const char *end, struct buf *out)
{
	while (p < end) {
		if (*p == '(') {
			p = skip_comment(p, end);
			continue;
		}
		if (*p == '"') {
			p = skip_quoted(p, end);
			continue;
		}
		if (*p != '<') {
			p++;
			continue;
		}
		const char *q = p + 1;
		while (q < end && *q != '>' && *q != '<')
			q++;
		if (q >= end)
			return NULL;
		if (*q == '<') {
			/* "<a <b@c>": start again at the second bracket */
			p = q;
			continue;
		}
		/* copy "<...>" without white space, run by run */
		size_t start = out->len;
		bool bad = false;
		const char *run = p;
		for (const char *r = p + 1; r < q; r++) {
			unsigned char c = (unsigned char)*r;
			if (is_space(*r)) {
				buf_add(out, run, (size_t)(r - run));
				run = r + 1;
			} else if (c < 0x20 || c == 0x7f) {
				bad = true;
			}
		}
		buf_add(out, run, (size_t)(q + 1 - run));
		size_t id_len = out->len - start;
		if (bad || id_len <= 2 || id_len > ENVELOPE_ID_MAX ||
		    !mime_utf8_valid(out->data + start, id_len)) {
			out->len = start;
			out->data[start] = '\0';
			p = q + 1;
			continue;
		}
		return q + 1;
	}
	return NULL;
}

/* The first message id of value; a bare "id@host" is taken when
 * bare_ok and there is no bracketed one.  Newly allocated or NULL. */
static char *first_message_id(const char *value, bool bare_ok)
{
	if (value == NULL)
		return NULL;
	struct buf out;
	buf_init(&out);
	if (next_message_id(value, value + strlen(value), &out) != NULL)
		return buf_steal(&out);
	buf_free(&out);
	if (!bare_ok)
		return NULL;
	char *copy = clean(xstrdup(value), (size_t)-1);
	size_t len = strlen(copy);
	bool ok = len > 0 && len + 2 <= ENVELOPE_ID_MAX && strchr(copy, '@') != NULL &&
	          mime_utf8_valid(copy, len);
	for (size_t i = 0; ok && i < len; i++) {
		unsigned char c = (unsigned char)copy[i];
		if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == '(' || c == '"')
			ok = false;
	}
	char *id = ok ? xasprintf("<%s>", copy) : NULL;
	free(copy);
	return id;
}

/*
 * Every id of a References value joined with single spaces.  When that
 * is longer than ENVELOPE_REFERENCES_MAX, keep the first id (the thread's
 * root) and as many of the last ones (the nearest ancestors) as fit.
 */
static char *references_parse(const char *value)
{
	if (value == NULL)
		return NULL;
	struct buf ids;       /* the ids, each NUL-terminated */
	buf_init(&ids);
	size_t count = 0, total = 0;
	const char *end = value + strlen(value);
	const char *p = value;
	for (;;) {
		size_t start = ids.len;
		p = next_message_id(p, end, &ids);
		if (p == NULL)
			break;
		total += (count > 0 ? 1 : 0) + (ids.len - start);
		count++;
		buf_add(&ids, "", 1);
	}
	if (count == 0) {
		buf_free(&ids);
		return NULL;
	}
	const char **list = xmalloc(count * sizeof *list);
	const char *q = ids.data;
	for (size_t i = 0; i < count; i++) {
		list[i] = q;
		q += strlen(q) + 1;
	}
	/* first kept: ids [0] and [from, count) */
	size_t from = 1;
	if (total > ENVELOPE_REFERENCES_MAX) {
		size_t used = strlen(list[0]);
		from = count;
		while (from > 1 && used + 1 + strlen(list[from - 1]) <= ENVELOPE_REFERENCES_MAX) {
			used += 1 + strlen(list[from - 1]);
			from--;
		}
	}
	struct buf out;
	buf_init(&out);
	buf_add_str(&out, list[0]);
	for (size_t i = from; i < count; i++) {
		buf_add_char(&out, ' ');
		buf_add_str(&out, list[i]);
	}
	free(list);
	buf_free(&ids);
	return buf_steal(&out);
}

const char *envelope_id_next(const char **cursor, size_t *len)
{
	const char *p = *cursor;
	while (*p == ' ')
		p++;
	if (*p == '\0') {
		*cursor = p;
		return NULL;
	}
	const char *id = p;
	while (*p != '\0' && *p != ' ')
		p++;
	*len = (size_t)(p - id);
	*cursor = p;
	return id;
}

/* ------------------------------------------------------------------ */
/* Addresses                                                            */
/* ------------------------------------------------------------------ */

static struct mime_address_list *address_list_get(const char *block, size_t len,
                                                  const char *name, const char *charset)
{
	char *value = mime_header_get(block, len, name);
	if (value == NULL)
		return NULL;
	struct mime_address_list *list = mime_address_list_parse(value, strlen(value), charset);
	free(value);
	return list;
}

static bool has_text(const char *s)
{
	return s != NULL && *s != '\0';
}

/* From: the first address with a mailbox, else the first with a name. */
static void from_get(const char *block, size_t len, const char *charset,
                     char **name_out, char **address_out)
{
	*name_out = NULL;
	*address_out = NULL;
	struct mime_address_list *list = address_list_get(block, len, "From", charset);
	if (list == NULL)
		return;
	const struct mime_address *pick = NULL;
	for (size_t i = 0; i < list->count && pick == NULL; i++)
		if (has_text(list->items[i].mailbox))
			pick = &list->items[i];
	for (size_t i = 0; i < list->count && pick == NULL; i++)
		if (has_text(list->items[i].name))
			pick = &list->items[i];
	if (pick != NULL) {
		if (pick->name != NULL)
			*name_out = clean(xstrdup(pick->name), ENVELOPE_NAME_MAX);
		if (pick->mailbox != NULL)
			*address_out = clean(xstrdup(pick->mailbox), ENVELOPE_NAME_MAX);
	}
	mime_address_list_free(&list);
}

/* Append text to out unless that would pass ENVELOPE_LIST_MAX; false then. */
static bool list_append(struct buf *out, const char *text)
{
	size_t sep = out->len > 0 ? 2 : 0;
	size_t len = strlen(text);
	if (out->len + sep + len > ENVELOPE_LIST_MAX) {
		if (out->len == 0)  /* one long address: cut it */
			buf_add(out, text, utf8_cut_length(text, len, ENVELOPE_LIST_MAX));
		return false;
	}
	if (sep > 0)
		buf_add_str(out, ", ");
	buf_add_str(out, text);
	return true;
}

/* True when no address of list belongs to the group called name. */
static bool group_is_empty(const struct mime_address_list *list, const char *name)
{
	for (size_t i = 0; i < list->count; i++) {
		const struct mime_address *item = &list->items[i];
		if (item->group != NULL && strcmp(item->group, name) == 0 &&
		    (has_text(item->mailbox) || has_text(item->name)))
			return false;
	}
	return true;
}

/* To or Cc as a short display string: see envelope_from_headers. */
static char *address_list_display(const char *block, size_t len, const char *name,
                                  const char *charset)
{
	struct mime_address_list *list = address_list_get(block, len, name, charset);
	if (list == NULL)
		return NULL;
	struct buf out;
	buf_init(&out);
	bool complete = true;
	const char *shown_group = NULL;   /* the empty group written last */
	for (size_t i = 0; i < list->count && complete; i++) {
		const struct mime_address *item = &list->items[i];
		char *text = NULL;
		if (has_text(item->mailbox) || has_text(item->name)) {
			text = mime_address_format(item);
			trim(text);
		} else if (has_text(item->group) &&
		           (shown_group == NULL || strcmp(shown_group, item->group) != 0) &&
		           group_is_empty(list, item->group)) {
			/* "undisclosed-recipients:;" says something; keep it */
			text = xasprintf("%s:;", item->group);
			shown_group = item->group;
		}
		if (text != NULL && *text != '\0')
			complete = list_append(&out, text);
		free(text);
	}
	mime_address_list_free(&list);
	if (!complete)
		buf_add_str(&out, ellipsis);
	return buf_steal(&out);
}

/* ------------------------------------------------------------------ */
/* Building                                                             */
/* ------------------------------------------------------------------ */

/* Whether the header's Content-Type / Content-Disposition promise attachments. */
static bool attachment_get(const char *block, size_t len, const char *charset)
{
	bool found = false;
	char *value = mime_header_get(block, len, "Content-Type");
	if (value != NULL) {
		struct mime_content_header ct;
		mime_content_header_parse(value, strlen(value), charset, &ct);
		found = ct.value != NULL && strcmp(ct.value, "multipart/mixed") == 0;
		mime_content_header_clear(&ct);
		free(value);
	}
	value = found ? NULL : mime_header_get(block, len, "Content-Disposition");
	if (value != NULL) {
		struct mime_content_header cd;
		mime_content_header_parse(value, strlen(value), charset, &cd);
		found = cd.value != NULL && strcmp(cd.value, "attachment") == 0;
		mime_content_header_clear(&cd);
		free(value);
	}
	return found;
}

/* True when the space-separated list ends with the whole id. */
static bool ends_with_id(const char *list, size_t list_len, const char *id, size_t id_len)
{
	if (id_len == 0 || id_len > list_len)
		return false;
	if (memcmp(list + list_len - id_len, id, id_len) != 0)
		return false;
	return id_len == list_len || list[list_len - id_len - 1] == ' ';
}

/* One allocation holding the numbers and every string (see the top). */
static struct envelope *envelope_assemble(char *strings[FIELD_COUNT])
{
	size_t lens[FIELD_COUNT];
	size_t total = 0;
	for (int f = 0; f < FIELD_COUNT; f++) {
		lens[f] = strings[f] != NULL ? strlen(strings[f]) : 0;
		if (lens[f] > 0)
			total += lens[f] + 1;
	}
	bool shared = lens[FIELD_REFERENCES] > 0 &&
	              ends_with_id(strings[FIELD_REFERENCES], lens[FIELD_REFERENCES],
	                           strings[FIELD_IN_REPLY_TO], lens[FIELD_IN_REPLY_TO]);
	if (shared)
		total -= lens[FIELD_IN_REPLY_TO] + 1;
	if (total == 0)
		total = 1;
	struct envelope *e = xcalloc(1, offsetof(struct envelope, text) + total);
	size_t pos = 0;
	for (int f = 0; f < FIELD_COUNT; f++) {
		if (lens[f] == 0 || (shared && f == FIELD_IN_REPLY_TO))
			continue;
		memcpy(e->text + pos, strings[f], lens[f] + 1);
		e->offset[f] = (uint16_t)pos;
		pos += lens[f] + 1;
	}
	if (pos == 0)
		pos = 1;   /* text[0] is the NUL every empty field shares */
	for (int f = 0; f < FIELD_COUNT; f++)
		if (lens[f] == 0)
			e->offset[f] = (uint16_t)(pos - 1);
	if (shared)
		e->offset[FIELD_IN_REPLY_TO] = (uint16_t)(e->offset[FIELD_REFERENCES] +
		                                          lens[FIELD_REFERENCES] -
		                                          lens[FIELD_IN_REPLY_TO]);
	e->text_len = (uint16_t)pos;
	return e;
}

struct envelope *envelope_from_headers(const char *header_block, size_t len,
                                       const struct envelope_meta *meta,
                                       const char *assumed_charset)
{
	static const struct envelope_meta no_meta;
	if (meta == NULL)
		meta = &no_meta;
	if (header_block == NULL)
		len = 0;
	size_t skip = len > 0 ? from_line_length(header_block, len) : 0;
	const char *block = len > 0 ? header_block + skip : "";
	len = len > 0 ? header_block_length(block, len - skip) : 0;
	const char *cs = assumed_charset;

	char *strings[FIELD_COUNT] = { NULL };
	from_get(block, len, cs, &strings[FIELD_FROM_NAME], &strings[FIELD_FROM_ADDRESS]);
	strings[FIELD_TO] = address_list_display(block, len, "To", cs);
	strings[FIELD_CC] = address_list_display(block, len, "Cc", cs);
	char *value = mime_header_get(block, len, "Subject");
	if (value != NULL) {
		strings[FIELD_SUBJECT] = clean(mime_header_decode(value, strlen(value), cs),
		                               ENVELOPE_SUBJECT_MAX);
		free(value);
	}
	value = mime_header_get(block, len, "Message-ID");
	strings[FIELD_MESSAGE_ID] = first_message_id(value, true);
	free(value);
	value = mime_header_get(block, len, "In-Reply-To");
	strings[FIELD_IN_REPLY_TO] = first_message_id(value, false);
	free(value);
	value = mime_header_get(block, len, "References");
	strings[FIELD_REFERENCES] = references_parse(value);
	free(value);

	struct envelope *e = envelope_assemble(strings);
	for (int f = 0; f < FIELD_COUNT; f++)
		free(strings[f]);

	time_t when;
	int zone;
	value = mime_header_get(block, len, "Date");
	if (value != NULL && mime_date_parse(value, strlen(value), &when, &zone) == 0) {
		e->date = when;
		e->zone = (int16_t)(zone >= -1440 && zone <= 1440 ? zone : 0);
	} else {
		e->date = meta->arrival;
		e->zone = 0;
		e->bits |= BIT_DATE_FALLBACK;
	}
	free(value);
	if (attachment_get(block, len, cs))
		e->bits |= BIT_ATTACHMENT;
	e->arrival = meta->arrival;
	e->uid = meta->uid;
	e->size = meta->size > UINT32_MAX ? UINT32_MAX : (uint32_t)meta->size;
	e->flags = (uint8_t)(meta->flags & ENVELOPE_FLAGS_ALL);
	return e;
}

struct envelope *envelope_from_message(const char *message, size_t len,
                                       const struct envelope_meta *meta,
                                       const char *assumed_charset)
{
	struct envelope_meta m = { 0 };
	if (meta != NULL)
		m = *meta;
	if (m.size == 0)
		m.size = len;
	if (message == NULL)
		len = 0;
	size_t skip = len > 0 ? from_line_length(message, len) : 0;
	size_t header_len = skip + (len > 0 ? header_block_length(message + skip, len - skip) : 0);
	return envelope_from_headers(message, header_len, &m, assumed_charset);
}

void envelope_free(struct envelope **envelope)
{
	if (envelope == NULL)
		return;
	free(*envelope);
	*envelope = NULL;
}

size_t envelope_memory(const struct envelope *envelope)
{
	return offsetof(struct envelope, text) + envelope->text_len;
}

struct envelope *envelope_copy(const struct envelope *envelope)
{
	size_t size = envelope_memory(envelope);
	struct envelope *copy = xmalloc(size);
	memcpy(copy, envelope, size);
	return copy;
}

static const char *field(const struct envelope *e, enum envelope_field f)
{
	return e->text + e->offset[f];
}

bool envelope_equal(const struct envelope *a, const struct envelope *b)
{
	if (a->date != b->date || a->arrival != b->arrival || a->uid != b->uid ||
	    a->size != b->size || a->zone != b->zone || a->flags != b->flags ||
	    a->bits != b->bits)
		return false;
	for (int f = 0; f < FIELD_COUNT; f++)
		if (strcmp(field(a, f), field(b, f)) != 0)
			return false;
	return true;
}

const char *envelope_from_name(const struct envelope *e)
{
	return field(e, FIELD_FROM_NAME);
}

const char *envelope_from_address(const struct envelope *e)
{
	return field(e, FIELD_FROM_ADDRESS);
}

const char *envelope_to(const struct envelope *e)
{
	return field(e, FIELD_TO);
}

const char *envelope_cc(const struct envelope *e)
{
	return field(e, FIELD_CC);
}

const char *envelope_subject(const struct envelope *e)
{
	return field(e, FIELD_SUBJECT);
}

const char *envelope_message_id(const struct envelope *e)
{
	return field(e, FIELD_MESSAGE_ID);
}

const char *envelope_in_reply_to(const struct envelope *e)
{
	return field(e, FIELD_IN_REPLY_TO);
}

const char *envelope_references(const struct envelope *e)
{
	return field(e, FIELD_REFERENCES);
}

const char *envelope_from_display(const struct envelope *e)
{
	const char *name = field(e, FIELD_FROM_NAME);
	return *name != '\0' ? name : field(e, FIELD_FROM_ADDRESS);
}

time_t envelope_date(const struct envelope *e)
{
	return e->date;
}

int envelope_zone_minutes(const struct envelope *e)
{
	return e->zone;
}

bool envelope_date_is_fallback(const struct envelope *e)
{
	return (e->bits & BIT_DATE_FALLBACK) != 0;
}

time_t envelope_arrival(const struct envelope *e)
{
	return e->arrival;
}

uint32_t envelope_uid(const struct envelope *e)
{
	return e->uid;
}

uint32_t envelope_size(const struct envelope *e)
{
	return e->size;
}

bool envelope_has_attachment(const struct envelope *e)
{
	return (e->bits & BIT_ATTACHMENT) != 0;
}

unsigned envelope_flags(const struct envelope *e)
{
	return e->flags;
}

void envelope_set_flags(struct envelope *e, unsigned flags)
{
	e->flags = (uint8_t)(flags & ENVELOPE_FLAGS_ALL);
}

/* ------------------------------------------------------------------ */
/* Byte form (see envelope.h for the layout)                            */
/* ------------------------------------------------------------------ */

#define BYTES_HEAD 56
#define BYTES_CHECKSUM 8
#define BYTES_OFFSETS 40

static void put16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static void put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void put64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint16_t get16(const unsigned char *p)
{
	return (uint16_t)(p[0] | (unsigned)p[1] << 8);
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t get64(const unsigned char *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

/* One step of the checksum: a bijection of h for every w, so a change
 * confined to one word always changes the result. */
static uint64_t checksum_step(uint64_t h, uint64_t w)
{
	h ^= w;
	h = h << 31 | h >> 33;
	return h * UINT64_C(0x9e3779b97f4a7c15);
}

/*
 * The checksum of a record of len bytes (len >= BYTES_HEAD): the
 * little-endian 8-byte words of bytes 0-7 and 16 onwards (the last one
 * padded with zeros), then len.
 */
static uint64_t bytes_checksum(const unsigned char *p, size_t len)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);
	h = checksum_step(h, get64(p));
	size_t i = 16;
	for (; i + 8 <= len; i += 8)
		h = checksum_step(h, get64(p + i));
	if (i < len) {
		unsigned char tail[8] = { 0 };
		memcpy(tail, p + i, len - i);
		h = checksum_step(h, get64(tail));
	}
	return checksum_step(h, (uint64_t)len);
}

void *envelope_to_bytes(const struct envelope *e, size_t *len)
{
	size_t n = BYTES_HEAD + e->text_len;
	unsigned char *p = xmalloc(n);
	p[0] = ENVELOPE_BYTES_VERSION;
	p[1] = e->flags;
	p[2] = e->bits;
	p[3] = 0;
	put16(p + 4, (uint16_t)e->zone);
	put16(p + 6, e->text_len);
	put64(p + 16, (uint64_t)(int64_t)e->date);
	put64(p + 24, (uint64_t)(int64_t)e->arrival);
	put32(p + 32, e->uid);
	put32(p + 36, e->size);
	for (int f = 0; f < FIELD_COUNT; f++)
		put16(p + BYTES_OFFSETS + 2 * f, e->offset[f]);
	memcpy(p + BYTES_HEAD, e->text, e->text_len);
	put64(p + BYTES_CHECKSUM, bytes_checksum(p, n));
	*len = n;
	return p;
}

/* An int64 read from bytes as a time_t, or false when it does not fit. */
static bool time_get(const unsigned char *p, time_t *out)
{
	int64_t v = (int64_t)get64(p);
	*out = (time_t)v;
	return (int64_t)*out == v;
}

/* Whether data is one valid record of the current version. */
static bool bytes_valid(const unsigned char *p, size_t len)
{
	if (len < BYTES_HEAD + 1 || len > BYTES_HEAD + (size_t)UINT16_MAX)
		return false;
	uint16_t text_len = get16(p + 6);
	if (p[0] != ENVELOPE_BYTES_VERSION || (p[1] & ~ENVELOPE_FLAGS_ALL) != 0 ||
	    (p[2] & ~(BIT_ATTACHMENT | BIT_DATE_FALLBACK)) != 0 || p[3] != 0 ||
	    text_len == 0 || len != BYTES_HEAD + (size_t)text_len)
		return false;
	if (get64(p + BYTES_CHECKSUM) != bytes_checksum(p, len))
		return false;
	int zone = (int16_t)get16(p + 4);
	if (zone < -1440 || zone > 1440 || p[len - 1] != '\0')
		return false;
	for (int f = 0; f < FIELD_COUNT; f++)
		if (get16(p + BYTES_OFFSETS + 2 * f) >= text_len)
			return false;
	time_t t;
	return time_get(p + 16, &t) && time_get(p + 24, &t);
}

struct envelope *envelope_from_bytes(const void *data, size_t len)
{
	const unsigned char *p = data;
	if (p == NULL || !bytes_valid(p, len))
		return NULL;
	uint16_t text_len = get16(p + 6);
	struct envelope *e = xmalloc(offsetof(struct envelope, text) + text_len);
	e->flags = p[1];
	e->bits = p[2];
	e->zone = (int16_t)get16(p + 4);
	e->text_len = text_len;
	time_get(p + 16, &e->date);
	time_get(p + 24, &e->arrival);
	e->uid = get32(p + 32);
	e->size = get32(p + 36);
	for (int f = 0; f < FIELD_COUNT; f++)
		e->offset[f] = get16(p + BYTES_OFFSETS + 2 * f);
	memcpy(e->text, p + BYTES_HEAD, text_len);
	return e;
}

int envelope_bytes_set_flags(void *data, size_t len, unsigned flags)
{
	unsigned char *p = data;
	if (p == NULL || !bytes_valid(p, len))
		return -1;
	p[1] = (unsigned char)(flags & ENVELOPE_FLAGS_ALL);
	put64(p + BYTES_CHECKSUM, bytes_checksum(p, len));
	return 0;
}
