/*
 * header: finding a header in a header block and decoding unstructured
 * header values (unfolding, RFC 2047, raw 8-bit text), with a cap on the
 * size of what is worked on.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mime/internal.h"
#include "mime/mime.h"

static bool is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

char *mime_header_decode(const char *value, size_t len, const char *fallback)
{
	if (value == NULL)
		return xstrdup("");
	size_t use = mime_utf8_cut(value, len, MIME_HEADER_MAX);
	bool truncated = use < len;

	/*
	 * Unfold: a line break followed by blanks disappears, any other
	 * line break becomes a space; tabs in the raw text become spaces.
	 */
	struct buf flat;
	buf_init(&flat);
	buf_add(&flat, "", 0);
	for (size_t i = 0; i < use; i++) {
		char c = value[i];
		if (c == '\r' || c == '\n') {
			if (c == '\r' && i + 1 < use && value[i + 1] == '\n')
				i++;
			if (!(i + 1 < use && is_wsp(value[i + 1])))
				buf_add_char(&flat, ' ');
			continue;
		}
		buf_add_char(&flat, c == '\t' ? ' ' : c);
	}
	size_t start = 0, end = flat.len;
	while (start < end && flat.data[start] == ' ')
		start++;
	while (end > start && flat.data[end - 1] == ' ')
		end--;

	struct buf out;
	buf_init(&out);
	buf_add(&out, "", 0);
	mime_words_decode(&out, flat.data + start, end - start, fallback);
	if (truncated)
		buf_add_str(&out, MIME_TRUNCATED);
	buf_free(&flat);
	return buf_steal(&out);
}

/* The text after "name:" (or "name :") when line starts so, else NULL. */
static const char *header_match(const char *line, size_t len, const char *name,
                                size_t name_len)
{
	if (len <= name_len || strncasecmp(line, name, name_len) != 0)
		return NULL;
	size_t i = name_len;
	while (i < len && is_wsp(line[i]))
		i++;
	if (i >= len || line[i] != ':')
		return NULL;
	return line + i + 1;
}

char *mime_header_get(const char *block, size_t len, const char *name)
{
	if (block == NULL || name == NULL)
		return NULL;
	size_t name_len = strlen(name);
	if (name_len == 0)
		return NULL;
	struct buf value;
	bool found = false;
	bool truncated = false;
	size_t pos = 0;
	while (pos < len) {
		const char *line = block + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t line_len = nl != NULL ? (size_t)(nl - line) : len - pos;
		pos += line_len + (nl != NULL ? 1 : 0);
		size_t text_len = line_len;
		if (text_len > 0 && line[text_len - 1] == '\r')
			text_len--;
		if (text_len == 0)
			break;	/* the empty line ends the header block */
		if (is_wsp(line[0])) {
			if (found && !truncated)
				buf_add(&value, line, text_len);
		} else if (found) {
			break;
		} else {
			const char *rest = header_match(line, text_len, name, name_len);
			if (rest == NULL)
				continue;
			found = true;
			buf_init(&value);
			buf_add(&value, rest, text_len - (size_t)(rest - line));
		}
		if (found && !truncated && value.len > MIME_HEADER_MAX) {
			value.len = mime_utf8_cut(value.data, value.len, MIME_HEADER_MAX);
			value.data[value.len] = '\0';
			buf_add_str(&value, MIME_TRUNCATED);
			truncated = true;
		}
	}
	if (!found)
		return NULL;
	size_t start = 0, end = value.len;
	while (start < end && is_wsp(value.data[start]))
		start++;
	while (end > start && (is_wsp(value.data[end - 1]) || value.data[end - 1] == '\r'))
		end--;
	/* A NUL byte would cut the value short where nobody sees it. */
	char *result = xmalloc(end - start + 1);
	for (size_t i = start; i < end; i++)
		result[i - start] = value.data[i] != '\0' ? value.data[i] : ' ';
	result[end - start] = '\0';
	buf_free(&value);
	return result;
}
