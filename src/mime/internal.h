/*
 * mime internals: helpers shared between the files of src/mime that are
 * not part of the module's public interface (mime/mime.h).
 */
#ifndef ROWAN_MIME_INTERNAL_H
#define ROWAN_MIME_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/util.h"

/* ---- limits and UTF-8 helpers (charset.c, header.c) ---- */

/* Header values longer than this are cut and MIME_TRUNCATED appended. */
#define MIME_HEADER_MAX ((size_t)1024 * 1024)
/* What replaces the rest of a value cut at a limit. */
#define MIME_TRUNCATED " [\xe2\x80\xa6]"
/* U+FFFD REPLACEMENT CHARACTER in UTF-8. */
#define MIME_REPLACEMENT "\xef\xbf\xbd"
/* What mime_utf8_next() reports for an invalid sequence. */
#define MIME_UTF8_INVALID UINT32_MAX

/*
 * Decode one UTF-8 character from s (len >= 1).  Returns the number of
 * bytes used (at least 1) and sets *cp, or MIME_UTF8_INVALID for an
 * ill-formed sequence, in which case the count is the maximal ill-formed
 * prefix (so each error becomes exactly one U+FFFD).
 */
size_t mime_utf8_next(const unsigned char *s, size_t len, uint32_t *cp);
/*
 * The length to cut data at so that it is at most max bytes and does not
 * end inside a UTF-8 character.
 */
size_t mime_utf8_cut(const char *data, size_t len, size_t max);

/* Room for a resolved charset name. */
#define MIME_CHARSET_NAME_MAX 64

enum mime_charset_kind {
	MIME_CHARSET_ICONV,	/* name holds a name iconv knows */
	MIME_CHARSET_GUESS,	/* says nothing ("us-ascii", "unknown-8bit", ""):
				   UTF-8 when valid, else the fallback */
	MIME_CHARSET_UNKNOWN,	/* unknown to iconv, or a suspicious label */
};

/*
 * Resolve a charset label from mail to the iconv name to use ("utf8" ->
 * "UTF-8", "gb2312" -> "GB18030", "x-sjis" -> "CP932"); name has room
 * for MIME_CHARSET_NAME_MAX bytes.  NULL is MIME_CHARSET_GUESS.
 */
enum mime_charset_kind mime_charset_resolve(const char *charset, char *name);
/*
 * True when 7-bit text holds ISO-2022-JP escapes (ESC $ @, ESC $ B, ...):
 * Japanese mail often carries raw JIS text without naming it.
 */
bool mime_iso2022jp_seen(const char *data, size_t len);
/* Convert and append to out (see mime_charset_to_utf8). */
void mime_charset_append(struct buf *out, const char *charset, const char *data,
                         size_t len, const char *fallback);

/* ---- RFC 2047 (rfc2047.c) ---- */

/*
 * Decode RFC 2047 encoded words in s and append UTF-8 to out; raw text
 * is taken as UTF-8 when valid, else as fallback.  Unlike
 * mime_header_decode this neither unfolds nor trims: what is between the
 * words is kept byte for byte (apart from the charset conversion).
 */
void mime_words_decode(struct buf *out, const char *s, size_t len,
                       const char *fallback);

/* ---- display width (width.c) ---- */

/* Columns a code point takes: 0 (combining, format, control), 1 or 2. */
int mime_char_width(uint32_t cp);

/* The value of a hexadecimal digit (either case), or -1. */
static inline int mime_hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* The byte written as two hexadecimal digits at p[0], p[1], or -1. */
static inline int mime_hex_byte(const char *p)
{
	int high = mime_hex_value((unsigned char)p[0]);
	int low = high < 0 ? -1 : mime_hex_value((unsigned char)p[1]);
	return low < 0 ? -1 : high * 16 + low;
}

/* The value of a base64 alphabet character, or -1. */
static inline int mime_base64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

#endif
