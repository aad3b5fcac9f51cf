/*
 * mutf7: IMAP folder names in modified UTF-7 (RFC 3501 5.1.3) to and
 * from UTF-8.  Printable US-ASCII stands for itself, "&" is written
 * "&-", and everything else is UTF-16 in a base64 variant (',' for '/',
 * no padding) between "&" and "-".
 *
 * The decoder is strict: a name that breaks any rule (a byte outside
 * printable ASCII, a character outside the alphabet, a shift without its
 * "-", padding bits that are not zero, a printable ASCII character or
 * NUL written in base64, a lone surrogate) is not modified UTF-7, and
 * comes back as it was.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "mail/folder.h"
#include "util/util.h"

static const char mutf7_alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

static int mutf7_digit(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == ',')
		return 63;
	return -1;
}

static void utf8_put(struct buf *out, uint32_t cp)
{
	char bytes[4];
	size_t n;

	if (cp < 0x80) {
		bytes[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		bytes[0] = (char)(0xc0 | (cp >> 6));
		bytes[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		bytes[0] = (char)(0xe0 | (cp >> 12));
		bytes[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		bytes[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		bytes[0] = (char)(0xf0 | (cp >> 18));
		bytes[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		bytes[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		bytes[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	buf_add(out, bytes, n);
}

/*
 * Decode the base64 run at *p (just after "&", not empty) up to its "-"
 * into out; moves *p past the "-".  -1 when the run is not valid.
 */
static int mutf7_decode_run(const char **p, struct buf *out)
{
	const char *s = *p;
	uint32_t bits = 0;
	int nbits = 0;
	uint32_t high = 0; /* a pending high surrogate */

	for (; *s != '-'; s++) {
		int digit = mutf7_digit((unsigned char)*s);

		if (digit < 0)
			return -1; /* outside the alphabet, or the end: unterminated */
		bits = (bits << 6) | (uint32_t)digit;
		nbits += 6;
		if (nbits < 16)
			continue;
		nbits -= 16;
		uint32_t unit = (bits >> nbits) & 0xffff;
		bits &= (1u << nbits) - 1;
		if (high) {
			if (unit < 0xdc00 || unit > 0xdfff)
				return -1;
			utf8_put(out, 0x10000 + ((high - 0xd800) << 10) + (unit - 0xdc00));
			high = 0;
		} else if (unit >= 0xd800 && unit <= 0xdbff) {
			high = unit;
		} else if (unit >= 0xdc00 && unit <= 0xdfff) {
			return -1;
		} else if (unit == 0 || (unit >= 0x20 && unit <= 0x7e)) {
			return -1; /* must have been written as itself */
		} else {
			utf8_put(out, unit);
		}
	}
	/* Left over: fewer than 6 bits, all zero (else a unit is cut off). */
	if (high || nbits >= 6 || bits != 0)
		return -1;
	*p = s + 1;
	return 0;
}

char *folder_name_from_imap(const char *name)
{
	struct buf out;
	const char *p = name;

	buf_init(&out);
	while (*p) {
		unsigned char c = (unsigned char)*p;

		if (c < 0x20 || c > 0x7e)
			goto invalid;
		if (c != '&') {
			buf_add_char(&out, (char)c);
			p++;
			continue;
		}
		p++;
		if (*p == '-') {
			buf_add_char(&out, '&');
			p++;
			continue;
		}
		if (mutf7_decode_run(&p, &out) < 0)
			goto invalid;
	}
	return buf_steal(&out);

invalid:
	buf_free(&out);
	return xstrdup(name);
}

/*
 * The next code point of NUL-terminated UTF-8 at *p; moves *p past it.
 * Invalid or overlong sequences and surrogates give U+FFFD (one byte).
 */
static uint32_t utf8_next(const unsigned char **p)
{
	const unsigned char *s = *p;
	uint32_t cp;
	size_t n, i;

	if (s[0] < 0x80) {
		*p = s + 1;
		return s[0];
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		cp = s[0] & 0x1f;
		n = 2;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		cp = s[0] & 0x0f;
		n = 3;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		cp = s[0] & 0x07;
		n = 4;
	} else {
		goto bad;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			goto bad;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		goto bad;
	*p = s + n;
	return cp;
bad:
	*p = s + 1;
	return 0xfffd;
}

struct mutf7_encoder {
	struct buf *out;
	uint32_t bits;
	int nbits;
};

static void mutf7_put_unit(struct mutf7_encoder *enc, uint32_t unit)
{
	enc->bits = (enc->bits << 16) | unit;
	enc->nbits += 16;
	while (enc->nbits >= 6) {
		enc->nbits -= 6;
		buf_add_char(enc->out, mutf7_alphabet[(enc->bits >> enc->nbits) & 0x3f]);
	}
	enc->bits &= (1u << enc->nbits) - 1;
}

char *folder_name_to_imap(const char *name)
{
	struct buf out;
	const unsigned char *p = (const unsigned char *)name;

	buf_init(&out);
	while (*p) {
		if (*p >= 0x20 && *p <= 0x7e) {
			buf_add_char(&out, (char)*p);
			if (*p == '&')
				buf_add_char(&out, '-');
			p++;
			continue;
		}
		struct mutf7_encoder enc = { .out = &out, .bits = 0, .nbits = 0 };
		buf_add_char(&out, '&');
		while (*p && (*p < 0x20 || *p > 0x7e)) {
			uint32_t cp = utf8_next(&p);

			if (cp >= 0x10000) {
				cp -= 0x10000;
				mutf7_put_unit(&enc, 0xd800 + (cp >> 10));
				mutf7_put_unit(&enc, 0xdc00 + (cp & 0x3ff));
			} else {
				mutf7_put_unit(&enc, cp);
			}
		}
		if (enc.nbits > 0)
			buf_add_char(&out, mutf7_alphabet[(enc.bits << (6 - enc.nbits)) & 0x3f]);
		buf_add_char(&out, '-');
	}
	return buf_steal(&out);
}
