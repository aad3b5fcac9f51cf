/*
 * body: undoing transfer encodings (base64 and quoted-printable, both
 * tolerant of the damage found in real mail) and turning a text part
 * into UTF-8 for display.  The decoders can also run without output to
 * count the decoded size.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mime/internal.h"
#include "mime/message_private.h"

/* An output that may only count (data NULL) and stops at max bytes. */
struct sink {
	char *data;
	size_t len;
	size_t max;
	unsigned flags;
};

static bool sink_put(struct sink *s, unsigned char c)
{
	if (s->len >= s->max) {
		s->flags |= MIME_DECODE_TRUNCATED;
		return false;
	}
	if (s->data != NULL)
		s->data[s->len] = (char)c;
	s->len++;
	return true;
}

static void base64_run(const char *in, size_t len, struct sink *s)
{
	uint32_t acc = 0;
	unsigned bits = 0, group = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)in[i];
		int v = mime_base64_value(c);
		if (v < 0) {
			if (c == '=') {
				/* Padding ends a group; more data may follow
				 * (concatenated encodings), so carry on. */
				if (group == 1)
					s->flags |= MIME_DECODE_DAMAGED;
				acc = 0;
				bits = 0;
				group = 0;
			} else if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
				s->flags |= MIME_DECODE_DAMAGED;
			}
			continue;
		}
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		group = (group + 1) % 4;
		if (bits >= 8) {
			bits -= 8;
			if (!sink_put(s, (unsigned char)((acc >> bits) & 0xff)))
				return;
			acc &= (1u << bits) - 1;
		}
	}
	if (group == 1)
		s->flags |= MIME_DECODE_DAMAGED;
}

static void qp_run(const char *in, size_t len, struct sink *s)
{
	size_t i = 0;
	while (i < len) {
		unsigned char c = (unsigned char)in[i];
		if (c == ' ' || c == '\t') {
			/* Unencoded blanks before a line end are transport padding. */
			size_t j = i;
			while (j < len && (in[j] == ' ' || in[j] == '\t'))
				j++;
			if (j < len && in[j] != '\r' && in[j] != '\n') {
				for (; i < j; i++)
					if (!sink_put(s, (unsigned char)in[i]))
						return;
			}
			i = j;
			continue;
		}
		if (c != '=') {
			if (!sink_put(s, c))
				return;
			i++;
			continue;
		}
		int v = i + 2 < len ? mime_hex_byte(in + i + 1) : -1;
		if (v >= 0) {
			if (!sink_put(s, (unsigned char)v))
				return;
			i += 3;
			continue;
		}
		/* A soft line break: "=", optional blanks, end of line. */
		size_t j = i + 1;
		while (j < len && (in[j] == ' ' || in[j] == '\t'))
			j++;
		if (j == len) {
			i = len;
			continue;
		}
		if (in[j] == '\n') {
			i = j + 1;
			continue;
		}
		if (in[j] == '\r') {
			i = j + 1;
			if (i < len && in[i] == '\n')
				i++;
			continue;
		}
		/* A bad escape stays as written. */
		s->flags |= MIME_DECODE_DAMAGED;
		if (!sink_put(s, '='))
			return;
		i++;
	}
}

static char *decode_with(void (*run)(const char *, size_t, struct sink *), const char *in,
                         size_t len, size_t max, size_t *out_len, unsigned *flags)
{
	/* Neither decoder produces more bytes than it reads. */
	size_t cap = len < max ? len : max;
	struct sink s = {xmalloc(cap + 1), 0, max, 0};
	run(in, len, &s);
	s.data[s.len] = '\0';
	if (out_len != NULL)
		*out_len = s.len;
	if (flags != NULL)
		*flags = s.flags;
	return s.data;
}

char *mime_base64_decode(const char *in, size_t len, size_t max,
                         size_t *out_len, unsigned *flags)
{
	return decode_with(base64_run, in, len, max, out_len, flags);
}

char *mime_qp_decode(const char *in, size_t len, size_t max,
                     size_t *out_len, unsigned *flags)
{
	return decode_with(qp_run, in, len, max, out_len, flags);
}

static void identity_run(const char *in, size_t len, struct sink *s)
{
	size_t take = len < s->max ? len : s->max;
	if (take < len)
		s->flags |= MIME_DECODE_TRUNCATED;
	if (s->data != NULL && take > 0)
		memcpy(s->data, in, take);
	s->len = take;
}

char *mime_part_decode(const struct mime_part *part, size_t max,
                       size_t *out_len, unsigned *flags)
{
	switch (part->encoding) {
	case MIME_ENCODING_BASE64:
		return decode_with(base64_run, part->body, part->body_len, max, out_len, flags);
	case MIME_ENCODING_QUOTED_PRINTABLE:
		return decode_with(qp_run, part->body, part->body_len, max, out_len, flags);
	default:
		return decode_with(identity_run, part->body, part->body_len, max, out_len, flags);
	}
}

size_t mime_part_decoded_size(const struct mime_part *part)
{
	struct sink s = {NULL, 0, SIZE_MAX, 0};
	switch (part->encoding) {
	case MIME_ENCODING_BASE64:
		base64_run(part->body, part->body_len, &s);
		return s.len;
	case MIME_ENCODING_QUOTED_PRINTABLE:
		qp_run(part->body, part->body_len, &s);
		return s.len;
	default:
		return part->body_len;
	}
}

char *mime_part_text(const struct mime_part *part, const char *fallback,
                     size_t *out_len, unsigned *flags)
{
	size_t raw_len, len;
	unsigned f;
	char *raw = mime_part_decode(part, part->message->limits.max_part_bytes, &raw_len, &f);
	char *text = mime_charset_to_utf8(part->charset, raw, raw_len, fallback, &len);
	free(raw);
	/* CRLF to LF. */
	size_t w = 0;
	for (size_t r = 0; r < len; r++) {
		if (text[r] == '\r' && r + 1 < len && text[r + 1] == '\n')
			continue;
		text[w++] = text[r];
	}
	text[w] = '\0';
	len = w;
	const char *format = mime_content_header_param(&part->content_type, "format");
	if (strcmp(part->type, "text/plain") == 0 && format != NULL &&
	    strcasecmp(format, "flowed") == 0) {
		const char *delsp = mime_content_header_param(&part->content_type, "delsp");
		bool del = delsp != NULL && strcasecmp(delsp, "yes") == 0;
		char *flowed = mime_flowed_reflow(text, len, del, &len);
		free(text);
		text = flowed;
	}
	if (out_len != NULL)
		*out_len = len;
	if (flags != NULL)
		*flags = f;
	return text;
}
