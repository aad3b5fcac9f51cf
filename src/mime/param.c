/*
 * param: Content-Type and Content-Disposition values with their
 * parameters (RFC 2045), including RFC 2231 continuations, charsets and
 * percent-encoding, and the RFC 2047 words that many mailers put inside
 * quoted values.  Lenient: a malformed parameter is skipped, the rest
 * is kept.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mime/internal.h"
#include "mime/mime.h"

/* More parameters than any real header has; the rest are ignored. */
#define PARAM_MAX 1024
/* Longer parameter names are taken as garbage. */
#define NAME_MAX_LEN 256
/* Highest RFC 2231 section number accepted. */
#define SECTION_MAX 9999

/* A parameter as written, before continuations are joined. */
struct raw_param {
	char *name;	/* lower case, without the "*" suffixes */
	int section;	/* -1 when the name has no section number */
	bool extended;	/* a trailing "*": charset'lang'%XX */
	char *value;	/* unquoted bytes */
	size_t value_len;
	bool used;
};

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Skip blanks and (nested) comments. */
static size_t skip_cfws(const char *s, size_t len, size_t i)
{
	while (i < len) {
		if (is_space(s[i])) {
			i++;
		} else if (s[i] == '(') {
			int depth = 0;
			for (; i < len; i++) {
				if (s[i] == '\\' && i + 1 < len)
					i++;
				else if (s[i] == '(')
					depth++;
				else if (s[i] == ')' && --depth == 0)
					break;
			}
			if (i < len)
				i++;
		} else {
			break;
		}
	}
	return i;
}

/* Read a quoted string starting at s[i] == '"'; returns the index after it. */
static size_t read_quoted(const char *s, size_t len, size_t i, struct buf *out)
{
	for (i++; i < len && s[i] != '"'; i++) {
		if (s[i] == '\\' && i + 1 < len)
			i++;
		buf_add_char(out, s[i]);
	}
	return i < len ? i + 1 : i;
}

/*
 * Read an unquoted value: up to ';', blanks trimmed, and a trailing
 * comment after a blank ("us-ascii (Plain text)") dropped.
 */
static size_t read_token_value(const char *s, size_t len, size_t i, struct buf *out)
{
	size_t start = i;
	while (i < len && s[i] != ';')
		i++;
	size_t end = i;
	while (end > start && is_space(s[end - 1]))
		end--;
	if (end > start && s[end - 1] == ')') {
		for (size_t open = end - 1; open > start; open--) {
			if (s[open - 1] != '(')
				continue;
			if (open - 1 > start && is_space(s[open - 2])) {
				end = open - 1;
				while (end > start && is_space(s[end - 1]))
					end--;
			}
			break;
		}
	}
	buf_add(out, s + start, end - start);
	return i;
}

/* Split "name*2*" into its parts; false when the suffix is junk. */
static bool name_split(struct buf *name, int *section, bool *extended)
{
	*section = -1;
	*extended = false;
	char *star = strchr(name->data, '*');
	if (star == NULL)
		return true;
	char *p = star + 1;
	if (*p >= '0' && *p <= '9') {
		long n = 0;
		while (*p >= '0' && *p <= '9') {
			n = n * 10 + (*p - '0');
			if (n > SECTION_MAX)
				return false;
			p++;
		}
		*section = (int)n;
		if (*p == '*') {
			*extended = true;
			p++;
		}
	} else {
		*extended = true;
	}
	if (*p != '\0' || star == name->data)
		return false;
	*star = '\0';
	name->len = (size_t)(star - name->data);
	return true;
}

/*
 * Tokenise the parameters after the main value into *rawp, a newly
 * allocated array that grows as needed (at most PARAM_MAX entries).
 */
static size_t params_scan(const char *s, size_t len, size_t i, struct raw_param **rawp)
{
	size_t count = 0, capacity = 8;
	struct raw_param *raw = xcalloc(capacity, sizeof *raw);
	struct buf name, value;
	buf_init(&name);
	buf_init(&value);
	while (i < len && count < PARAM_MAX) {
		i = skip_cfws(s, len, i);
		if (i < len && s[i] == ';') {
			i++;
			continue;
		}
		buf_reset(&name);
		buf_add(&name, "", 0);
		while (i < len && !is_space(s[i]) && s[i] != ';' && s[i] != '=' && s[i] != '(' &&
		       s[i] != '"')
			buf_add_char(&name, lower(s[i++]));
		i = skip_cfws(s, len, i);
		if (name.len == 0 || name.len > NAME_MAX_LEN || i >= len || s[i] != '=') {
			/* Malformed: skip to the next ';' (past a quoted string). */
			while (i < len && s[i] != ';') {
				if (s[i] == '"') {
					buf_reset(&value);
					i = read_quoted(s, len, i, &value);
				} else {
					i++;
				}
			}
			continue;
		}
		i = skip_cfws(s, len, i + 1);
		buf_reset(&value);
		buf_add(&value, "", 0);
		if (i < len && s[i] == '"')
			i = read_quoted(s, len, i, &value);
		else
			i = read_token_value(s, len, i, &value);
		if (count == capacity) {
			capacity *= 2;
			raw = xrealloc(raw, capacity * sizeof *raw);
		}
		struct raw_param *r = &raw[count];
		if (!name_split(&name, &r->section, &r->extended))
			continue;
		r->name = xstrndup(name.data, name.len);
		r->value_len = value.len;
		r->value = xmalloc(value.len + 1);
		memcpy(r->value, value.data, value.len + 1);
		r->used = false;
		count++;
	}
	buf_free(&name);
	buf_free(&value);
	*rawp = raw;
	return count;
}

static void percent_decode(struct buf *out, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '%' && i + 2 < len && mime_hex_byte(s + i + 1) >= 0) {
			buf_add_char(out, (char)mime_hex_byte(s + i + 1));
			i += 2;
		} else {
			buf_add_char(out, s[i]);
		}
	}
}

/*
 * Join the RFC 2231 pieces parts[0..n) (sorted by section) into one
 * UTF-8 value: the first extended piece may name a charset.
 */
static char *extended_join(struct raw_param **parts, size_t n, const char *fallback)
{
	struct buf bytes;
	buf_init(&bytes);
	buf_add(&bytes, "", 0);
	char *charset = NULL;
	for (size_t k = 0; k < n; k++) {
		const char *v = parts[k]->value;
		size_t vlen = parts[k]->value_len;
		if (!parts[k]->extended) {
			buf_add(&bytes, v, vlen);
			continue;
		}
		if (k == 0) {
			const char *q1 = memchr(v, '\'', vlen);
			const char *q2 = q1 != NULL ? memchr(q1 + 1, '\'', vlen - (size_t)(q1 + 1 - v))
			                            : NULL;
			if (q2 != NULL) {
				charset = xstrndup(v, (size_t)(q1 - v));
				vlen -= (size_t)(q2 + 1 - v);
				v = q2 + 1;
			}
		}
		percent_decode(&bytes, v, vlen);
	}
	struct buf out;
	buf_init(&out);
	buf_add(&out, "", 0);
	mime_charset_append(&out, charset != NULL && charset[0] != '\0' ? charset : NULL,
	                    bytes.data, bytes.len, fallback);
	free(charset);
	buf_free(&bytes);
	return buf_steal(&out);
}

static int section_compare(const void *a, const void *b)
{
	const struct raw_param *x = *(struct raw_param *const *)a;
	const struct raw_param *y = *(struct raw_param *const *)b;
	if (x->section != y->section)
		return (x->section > y->section) - (x->section < y->section);
	return (x > y) - (x < y);	/* pieces of one array: keep their order */
}

/* The value of parameter raw[first].name from all its pieces. */
static char *param_assemble(struct raw_param *raw, size_t count, size_t first,
                            const char *fallback)
{
	const char *name = raw[first].name;
	struct raw_param **sections = xcalloc(count, sizeof *sections);
	size_t n = 0;
	struct raw_param *plain = NULL, *single = NULL;
	for (size_t i = first; i < count; i++) {
		if (strcmp(raw[i].name, name) != 0)
			continue;
		raw[i].used = true;
		if (raw[i].section >= 0)
			sections[n++] = &raw[i];
		else if (raw[i].extended && single == NULL)
			single = &raw[i];
		else if (!raw[i].extended && plain == NULL)
			plain = &raw[i];
	}
	char *value;
	if (n > 0) {
		qsort(sections, n, sizeof *sections, section_compare);
		/* A repeated section number keeps its first piece. */
		size_t kept = 0;
		for (size_t k = 0; k < n; k++)
			if (kept == 0 || sections[kept - 1]->section != sections[k]->section)
				sections[kept++] = sections[k];
		value = extended_join(sections, kept, fallback);
	} else if (single != NULL) {
		value = extended_join(&single, 1, fallback);
	} else if (strcmp(name, "boundary") == 0) {
		/* Matched against body lines byte for byte: no RFC 2047 here. */
		value = mime_charset_to_utf8(NULL, plain->value, plain->value_len, fallback, NULL);
	} else {
		struct buf out;
		buf_init(&out);
		buf_add(&out, "", 0);
		mime_words_decode(&out, plain->value, plain->value_len, fallback);
		value = buf_steal(&out);
	}
	free(sections);
	return value;
}

void mime_content_header_parse(const char *value, size_t len, const char *fallback,
                               struct mime_content_header *out)
{
	out->value = NULL;
	out->params = NULL;
	out->param_count = 0;
	if (value == NULL)
		len = 0;
	if (len > MIME_HEADER_MAX)
		len = MIME_HEADER_MAX;

	size_t i = skip_cfws(value, len, 0);
	struct buf main_value;
	buf_init(&main_value);
	buf_add(&main_value, "", 0);
	while (i < len && !is_space(value[i]) && value[i] != ';' && value[i] != '(')
		buf_add_char(&main_value, lower(value[i++]));
	out->value = buf_steal(&main_value);

	struct raw_param *raw = NULL;
	size_t count = params_scan(value, len, i, &raw);
	out->params = xcalloc(count > 0 ? count : 1, sizeof *out->params);
	for (size_t k = 0; k < count; k++) {
		if (raw[k].used)
			continue;
		struct mime_param *p = &out->params[out->param_count++];
		p->name = xstrdup(raw[k].name);
		p->value = param_assemble(raw, count, k, fallback);
	}
	for (size_t k = 0; k < count; k++) {
		free(raw[k].name);
		free(raw[k].value);
	}
	free(raw);
}

const char *mime_content_header_param(const struct mime_content_header *header,
                                      const char *name)
{
	if (header == NULL || name == NULL)
		return NULL;
	for (size_t i = 0; i < header->param_count; i++)
		if (strcasecmp(header->params[i].name, name) == 0)
			return header->params[i].value;
	return NULL;
}

void mime_content_header_clear(struct mime_content_header *header)
{
	if (header == NULL)
		return;
	for (size_t i = 0; i < header->param_count; i++) {
		free(header->params[i].name);
		free(header->params[i].value);
	}
	free(header->params);
	free(header->value);
	header->params = NULL;
	header->value = NULL;
	header->param_count = 0;
}
