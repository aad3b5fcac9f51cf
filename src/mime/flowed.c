/*
 * flowed: RFC 3676 format=flowed text reflowed for display.  Flowed lines
 * (ending in a space) are joined with the next line of the same quote
 * depth into one line per paragraph; the pager wraps them to its width.
 */
#include "config.h"

#include <string.h>

#include "mime/message_private.h"

/* Remove spaces written after position floor. */
static void trim_spaces(struct buf *b, size_t floor)
{
	if (b->data == NULL)
		return;
	while (b->len > floor && b->data[b->len - 1] == ' ')
		b->len--;
	b->data[b->len] = '\0';
}

char *mime_flowed_reflow(const char *text, size_t len, bool delsp, size_t *out_len)
{
	struct buf out;
	buf_init(&out);
	bool in_para = false;
	size_t para_depth = 0, para_floor = 0;
	size_t pos = 0;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl != NULL ? (size_t)(nl - text) : len;
		size_t next = nl != NULL ? end + 1 : len;
		const char *line = text + pos;
		size_t n = end - pos;
		if (n > 0 && line[n - 1] == '\r')
			n--;
		size_t depth = 0;
		while (depth < n && line[depth] == '>')
			depth++;
		const char *content = line + depth;
		size_t clen = n - depth;
		if (clen > 0 && content[0] == ' ') {	/* space-stuffing */
			content++;
			clen--;
		}
		bool sig = clen == 3 && memcmp(content, "-- ", 3) == 0;
		bool flowed = !sig && clen > 0 && content[clen - 1] == ' ';

		if (in_para && (depth != para_depth || sig)) {
			trim_spaces(&out, para_floor);
			buf_add_char(&out, '\n');
			in_para = false;
		}
		if (!in_para) {
			for (size_t i = 0; i < depth; i++)
				buf_add_char(&out, '>');
			if (depth > 0 && clen > 0)
				buf_add_char(&out, ' ');
			para_floor = out.len;
		}
		size_t take = clen;
		if (flowed && delsp)
			take--;
		buf_add(&out, content, take);
		if (flowed) {
			in_para = true;
			para_depth = depth;
		} else {
			if (!sig)
				trim_spaces(&out, para_floor);
			buf_add_char(&out, '\n');
			in_para = false;
		}
		pos = next;
	}
	if (in_para) {
		trim_spaces(&out, para_floor);
		buf_add_char(&out, '\n');
	}
	if (out_len != NULL)
		*out_len = out.len;
	return buf_steal(&out);
}
