/*
 * rfc2047: encoded words ("=?charset?Q?text?=", "=?charset?B?text?=")
 * in header text.  Adjacent words are joined (their bytes too, so a
 * character split across two words survives); a word that is malformed
 * in any way (unknown charset, bad base64, no closing "?=") stays as it
 * is written.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "mime/internal.h"
#include "mime/mime.h"

/* Longest "charset*language" label looked at. */
#define LABEL_SCAN_MAX 128

/*
 * Where the last scan for the end of an encoded text stopped: any later
 * scan that starts between from and stop stops there too, which keeps
 * inputs full of "=?" from taking quadratic time.
 */
struct scan_cache {
	size_t from;
	size_t stop;
	bool valid;
};

/* A word that parsed: where it ends and what it decodes to. */
struct word {
	size_t end;				/* index just past "?=" */
	enum mime_charset_kind kind;
	char name[MIME_CHARSET_NAME_MAX];	/* resolved charset */
	const char *label;			/* as written, for the converter */
	size_t label_len;
};

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Strict base64 (padding optional); false on anything else. */
static bool b64_decode(const char *s, size_t len, struct buf *out)
{
	size_t pad = 0;
	while (len > 0 && s[len - 1] == '=' && pad < 2) {
		len--;
		pad++;
	}
	if (len % 4 == 1 || (pad > 0 && (len + pad) % 4 != 0))
		return false;
	unsigned int acc = 0;
	int bits = 0;
	for (size_t i = 0; i < len; i++) {
		int v = mime_base64_value((unsigned char)s[i]);
		if (v < 0)
			return false;
		acc = ((acc << 6) | (unsigned int)v) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf_add_char(out, (char)((acc >> bits) & 0xff));
		}
	}
	return true;
}

/* Q encoding: "_" is a space, "=XX" a byte; a stray "=" stays. */
static void q_decode(const char *s, size_t len, struct buf *out)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '_') {
			buf_add_char(out, ' ');
		} else if (s[i] == '=' && i + 2 < len && mime_hex_byte(s + i + 1) >= 0) {
			buf_add_char(out, (char)mime_hex_byte(s + i + 1));
			i += 2;
		} else {
			buf_add_char(out, s[i]);
		}
	}
}

/*
 * Parse the word starting at s[at] ("=?") and append its bytes to bytes.
 * False, with bytes unchanged, when it is not a well-formed word.
 */
static bool word_parse(const char *s, size_t len, size_t at, struct scan_cache *cache,
                       struct word *w, struct buf *bytes)
{
	size_t i = at + 2;
	size_t label_start = i;
	while (i < len && s[i] != '?' && (unsigned char)s[i] > 0x20 &&
	       (unsigned char)s[i] < 0x7f && i - label_start < LABEL_SCAN_MAX)
		i++;
	if (i >= len || s[i] != '?' || i == label_start)
		return false;
	w->label = s + label_start;
	w->label_len = i - label_start;
	/* RFC 2231 section 5: "charset*language". */
	const char *star = memchr(w->label, '*', w->label_len);
	if (star != NULL)
		w->label_len = (size_t)(star - w->label);
	if (w->label_len == 0 || w->label_len >= MIME_CHARSET_NAME_MAX)
		return false;
	char label[MIME_CHARSET_NAME_MAX];
	memcpy(label, w->label, w->label_len);
	label[w->label_len] = '\0';
	i++;
	if (i + 1 >= len || s[i + 1] != '?')
		return false;
	char enc = s[i];
	if (enc != 'q' && enc != 'Q' && enc != 'b' && enc != 'B')
		return false;
	size_t text = i + 2;
	size_t end;
	if (cache->valid && text >= cache->from && text <= cache->stop) {
		end = cache->stop;
	} else {
		/* Stop at "?=", a blank, a NUL or the end. */
		for (end = text; end < len; end++)
			if ((s[end] == '?' && end + 1 < len && s[end + 1] == '=') ||
			    is_space(s[end]) || s[end] == '\0')
				break;
		cache->from = text;
		cache->stop = end;
		cache->valid = true;
	}
	if (end + 1 >= len || s[end] != '?')
		return false;
	w->kind = mime_charset_resolve(label, w->name);
	if (w->kind == MIME_CHARSET_UNKNOWN)
		return false;
	if (w->kind == MIME_CHARSET_GUESS)
		w->name[0] = '\0';
	size_t before = bytes->len;
	if (enc == 'q' || enc == 'Q') {
		q_decode(s + text, end - text, bytes);
	} else if (!b64_decode(s + text, end - text, bytes)) {
		bytes->len = before;
		if (bytes->data != NULL)
			bytes->data[before] = '\0';
		return false;
	}
	w->end = end + 2;
	return true;
}

static bool all_space(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!is_space(s[i]))
			return false;
	return true;
}

static bool all_ascii(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80 || s[i] == '\0')
			return false;
	return true;
}

/* Append raw header text in the charset chosen for the whole value. */
static void raw_append(struct buf *out, const char *s, size_t len, const char *charset)
{
	if (all_ascii(s, len) && strcmp(charset, "ISO-2022-JP-3") != 0)
		buf_add(out, s, len);
	else
		mime_charset_append(out, charset, s, len, NULL);
}

void mime_words_decode(struct buf *out, const char *s, size_t len, const char *fallback)
{
	/*
	 * Raw 8-bit text: UTF-8 when the whole value is, else the fallback;
	 * raw JIS escapes mean ISO-2022-JP.
	 */
	char fallback_name[MIME_CHARSET_NAME_MAX];
	const char *raw_charset = "UTF-8";
	if (mime_iso2022jp_seen(s, len))
		raw_charset = "ISO-2022-JP-3";
	else if (!mime_utf8_valid(s, len))
		raw_charset = fallback != NULL &&
		                      mime_charset_resolve(fallback, fallback_name) == MIME_CHARSET_ICONV
		              ? fallback_name : "CP1252";

	struct buf pending;	/* bytes of adjacent words in one charset */
	buf_init(&pending);
	buf_add(&pending, "", 0);
	char pending_name[MIME_CHARSET_NAME_MAX] = "";
	bool have_pending = false;
	struct word w;
	struct scan_cache cache = { 0, 0, false };
	size_t raw_start = 0;
	size_t i = 0;
	while (i + 1 < len) {
		const char *p = memchr(s + i, '=', len - i - 1);
		if (p == NULL)
			break;
		size_t at = (size_t)(p - s);
		if (s[at + 1] != '?') {
			i = at + 1;
			continue;
		}
		size_t mark = pending.len;
		if (!word_parse(s, len, at, &cache, &w, &pending)) {
			i = at + 1;
			continue;
		}
		bool joined = have_pending && all_space(s + raw_start, at - raw_start) &&
		              strcmp(pending_name, w.name) == 0;
		if (!joined) {
			/* Flush what came before this word, then start afresh. */
			if (have_pending)
				mime_charset_append(out, pending_name[0] ? pending_name : NULL,
				                    pending.data, mark, fallback);
			if (!(have_pending && all_space(s + raw_start, at - raw_start)))
				raw_append(out, s + raw_start, at - raw_start, raw_charset);
			memmove(pending.data, pending.data + mark, pending.len - mark);
			pending.len -= mark;
			pending.data[pending.len] = '\0';
			strcpy(pending_name, w.name);
		}
		have_pending = true;
		raw_start = i = w.end;
	}
	if (have_pending)
		mime_charset_append(out, pending_name[0] ? pending_name : NULL, pending.data,
		                    pending.len, fallback);
	raw_append(out, s + raw_start, len - raw_start, raw_charset);
	buf_free(&pending);
}
