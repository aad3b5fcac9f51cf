/*
 * charset: charset labels from mail to iconv names, and conversion of
 * any charset to UTF-8 that never fails and never truncates (bad input
 * becomes U+FFFD).  Also the small UTF-8 helpers the module shares.
 */
#include "config.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mime/internal.h"
#include "mime/mime.h"

/* Longest charset label worth looking at. */
#define LABEL_MAX MIME_CHARSET_NAME_MAX

/* ---- UTF-8 ---- */

size_t mime_utf8_next(const unsigned char *s, size_t len, uint32_t *cp)
{
	unsigned char c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	size_t need;
	uint32_t value;
	unsigned char lo = 0x80, hi = 0xbf;	/* bounds for the second byte */
	if (c >= 0xc2 && c <= 0xdf) {
		need = 1;
		value = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		need = 2;
		value = c & 0x0f;
		if (c == 0xe0)
			lo = 0xa0;	/* no overlongs */
		else if (c == 0xed)
			hi = 0x9f;	/* no surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 3;
		value = c & 0x07;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;	/* nothing above U+10FFFF */
	} else {
		*cp = MIME_UTF8_INVALID;
		return 1;
	}
	for (size_t i = 1; i <= need; i++) {
		if (i >= len || s[i] < lo || s[i] > hi) {
			*cp = MIME_UTF8_INVALID;
			return i;
		}
		value = (value << 6) | (s[i] & 0x3f);
		lo = 0x80;
		hi = 0xbf;
	}
	*cp = value;
	return need + 1;
}

size_t mime_utf8_cut(const char *data, size_t len, size_t max)
{
	if (len <= max)
		return len;
	size_t cut = max;
	/* Back up over at most three continuation bytes to a lead byte. */
	for (int i = 0; i < 3 && cut > 0 && ((unsigned char)data[cut] & 0xc0) == 0x80; i++)
		cut--;
	return cut;
}

bool mime_utf8_valid(const char *data, size_t len)
{
	const unsigned char *s = (const unsigned char *)data;
	size_t i = 0;
	while (i < len) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		uint32_t cp;
		i += mime_utf8_next(s + i, len - i, &cp);
		if (cp == MIME_UTF8_INVALID)
			return false;
	}
	return true;
}

/* Copy UTF-8, replacing each ill-formed sequence and each NUL with U+FFFD. */
static void utf8_append_clean(struct buf *out, const char *data, size_t len)
{
	const unsigned char *s = (const unsigned char *)data;
	size_t i = 0;
	while (i < len) {
		size_t run = i;
		while (run < len && s[run] < 0x80 && s[run] != 0)
			run++;
		buf_add(out, s + i, run - i);
		i = run;
		if (i >= len)
			break;
		uint32_t cp;
		size_t n = mime_utf8_next(s + i, len - i, &cp);
		if (cp == MIME_UTF8_INVALID || cp == 0)
			buf_add_str(out, MIME_REPLACEMENT);
		else
			buf_add(out, s + i, n);
		i += n;
	}
}

/* ---- labels ---- */

struct alias {
	const char *label;
	const char *name;	/* NULL: the label says nothing */
};

/*
 * Labels seen in mail and what to decode them as.  Legacy labels map to
 * the superset their senders really use (mail labelled gb2312 is GBK,
 * Shift_JIS is Windows' CP932, Big5 is CP950, ISO-8859-1 is windows-1252).
 */
static const struct alias aliases[] = {
	{ "utf-8", "UTF-8" }, { "utf8", "UTF-8" }, { "unicode-1-1-utf-8", "UTF-8" },
	{ "us-ascii", NULL }, { "ascii", NULL }, { "ansi_x3.4-1968", NULL },
	{ "iso646-us", NULL }, { "us", NULL }, { "cp367", NULL },
	{ "unknown-8bit", NULL }, { "unknown", NULL }, { "8bit", NULL },
	{ "7bit", NULL }, { "default", NULL }, { "user-defined", NULL },
	{ "none", NULL }, { "charset", NULL },
	{ "iso-8859-1", "CP1252" }, { "iso8859-1", "CP1252" }, { "iso_8859-1", "CP1252" },
	{ "latin1", "CP1252" }, { "latin-1", "CP1252" }, { "l1", "CP1252" },
	{ "cp819", "CP1252" }, { "iso_8859-1:1987", "CP1252" }, { "ibm819", "CP1252" },
	{ "gb2312", "GB18030" }, { "gb_2312-80", "GB18030" }, { "gb_2312", "GB18030" },
	{ "euc-cn", "GB18030" }, { "csgb2312", "GB18030" }, { "gbk", "GB18030" },
	{ "cp936", "GB18030" }, { "ms936", "GB18030" }, { "windows-936", "GB18030" },
	{ "gb18030", "GB18030" }, { "chinese", "GB18030" },
	{ "shift_jis", "CP932" }, { "shift-jis", "CP932" }, { "sjis", "CP932" },
	{ "ms_kanji", "CP932" }, { "csshiftjis", "CP932" }, { "windows-31j", "CP932" },
	{ "cp932", "CP932" }, { "ms932", "CP932" }, { "ms-cp932", "CP932" },
	{ "euc-kr", "CP949" }, { "ks_c_5601-1987", "CP949" }, { "ks_c_5601", "CP949" },
	{ "ksc5601", "CP949" }, { "ksc_5601", "CP949" }, { "cseuckr", "CP949" },
	{ "cp949", "CP949" }, { "uhc", "CP949" }, { "windows-949", "CP949" },
	{ "ms949", "CP949" }, { "korean", "CP949" },
	{ "big5", "CP950" }, { "big-5", "CP950" }, { "cn-big5", "CP950" },
	{ "csbig5", "CP950" }, { "x-x-big5", "CP950" }, { "cp950", "CP950" },
	{ "big5-hkscs", "BIG5-HKSCS" },
	{ "iso-2022-jp", "ISO-2022-JP-3" }, { "csiso2022jp", "ISO-2022-JP-3" },
	{ "iso-2022-jp-2", "ISO-2022-JP-2" },
	{ "euc-jp", "EUC-JP-MS" }, { "cseucpkdfmtjapanese", "EUC-JP-MS" },
	{ "koi8-r", "KOI8-R" }, { "koi8-u", "KOI8-U" }, { "koi8r", "KOI8-R" },
	{ "tis-620", "CP874" }, { "iso-8859-11", "CP874" }, { "windows-874", "CP874" },
	{ "iso-8859-9", "CP1254" }, { "latin5", "CP1254" },
};

/* Lower-case, trim blanks and quotes; false when the label looks wrong. */
static bool label_clean(const char *charset, char *out, size_t size)
{
	const char *s = charset;
	while (*s == ' ' || *s == '\t' || *s == '"' || *s == '\'')
		s++;
	size_t len = strlen(s);
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '"' ||
	                   s[len - 1] == '\''))
		len--;
	if (len >= size)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		/* Nothing iconv could read as a path or a "//TRANSLIT" suffix. */
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
		      c == '_' || c == '.' || c == ':' || c == '+'))
			return false;
		out[i] = c;
	}
	out[len] = '\0';
	return true;
}

static bool iconv_knows(const char *name)
{
	iconv_t cd = iconv_open("UTF-8", name);
	if (cd == (iconv_t)-1)
		return false;
	iconv_close(cd);
	return true;
}

static const struct alias *alias_find(const char *label)
{
	for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
		if (strcmp(aliases[i].label, label) == 0)
			return &aliases[i];
	return NULL;
}

enum mime_charset_kind mime_charset_resolve(const char *charset, char *name)
{
	char clean[LABEL_MAX];
	if (charset == NULL || !label_clean(charset, clean, sizeof clean))
		return charset == NULL ? MIME_CHARSET_GUESS : MIME_CHARSET_UNKNOWN;
	if (clean[0] == '\0')
		return MIME_CHARSET_GUESS;
	const char *label = clean;
	const struct alias *a = alias_find(label);
	if (a == NULL && (strncmp(label, "x-", 2) == 0 || strncmp(label, "x_", 2) == 0)) {
		label += 2;
		a = alias_find(label);
	}
	if (a != NULL) {
		if (a->name == NULL)
			return MIME_CHARSET_GUESS;
		strcpy(name, a->name);
		return MIME_CHARSET_ICONV;
	}
	/* "iso8859-2", "iso_8859-2", "iso 8859-2" -> "iso-8859-2" */
	if (strncmp(label, "iso8859", 7) == 0 || strncmp(label, "iso_8859", 8) == 0) {
		const char *rest = label + (label[3] == '_' ? 8 : 7);
		if (*rest == '-' || *rest == '_')
			rest++;
		snprintf(name, LABEL_MAX, "ISO-8859-%s", rest);
	} else if (strncmp(label, "windows-", 8) == 0 || strncmp(label, "win-", 4) == 0) {
		snprintf(name, LABEL_MAX, "CP%s", strchr(label, '-') + 1);
	} else {
		snprintf(name, LABEL_MAX, "%s", label);
	}
	for (char *p = name; *p != '\0'; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	return iconv_knows(name) ? MIME_CHARSET_ICONV : MIME_CHARSET_UNKNOWN;
}

bool mime_charset_known(const char *charset)
{
	if (charset == NULL || strcspn(charset, "abcdefghijklmnopqrstuvwxyz"
	                                          "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") ==
	                           strlen(charset))
		return false;
	char name[LABEL_MAX];
	return mime_charset_resolve(charset, name) != MIME_CHARSET_UNKNOWN;
}

/* ---- conversion ---- */

bool mime_iso2022jp_seen(const char *data, size_t len)
{
	const char *p = data, *end = data + len;
	while ((p = memchr(p, 0x1b, (size_t)(end - p))) != NULL) {
		if (end - p >= 3 && p[1] == '$' &&
		    (p[2] == '@' || p[2] == 'B' || (p[2] == '(' && end - p >= 4 &&
		                                    (p[3] == 'D' || p[3] == 'O' || p[3] == 'Q'))))
			return true;
		p++;
	}
	return false;
}


/* Append iconv output, turning NUL characters into U+FFFD. */
static void append_converted(struct buf *out, const char *data, size_t len)
{
	const char *nul;
	while (len > 0 && (nul = memchr(data, '\0', len)) != NULL) {
		buf_add(out, data, (size_t)(nul - data));
		buf_add_str(out, MIME_REPLACEMENT);
		len -= (size_t)(nul - data) + 1;
		data = nul + 1;
	}
	buf_add(out, data, len);
}

/* Convert with iconv; false (nothing appended) when it cannot be opened. */
static bool iconv_append(struct buf *out, const char *name, const char *data, size_t len)
{
	iconv_t cd = iconv_open("UTF-8", name);
	if (cd == (iconv_t)-1)
		return false;
	char tmp[4096];
	char *in = (char *)data;
	size_t in_left = len;
	while (in_left > 0) {
		char *o = tmp;
		size_t o_left = sizeof tmp;
		size_t rc = iconv(cd, &in, &in_left, &o, &o_left);
		int saved = errno;
		append_converted(out, tmp, (size_t)(o - tmp));
		if (rc != (size_t)-1 || saved == E2BIG)
			continue;
		buf_add_str(out, MIME_REPLACEMENT);
		if (saved == EINVAL)
			break;	/* incomplete sequence at the end */
		in++;
		in_left--;
	}
	char *o = tmp;
	size_t o_left = sizeof tmp;
	if (iconv(cd, NULL, NULL, &o, &o_left) != (size_t)-1)
		append_converted(out, tmp, (size_t)(o - tmp));
	iconv_close(cd);
	return true;
}

void mime_charset_append(struct buf *out, const char *charset, const char *data,
                         size_t len, const char *fallback)
{
	char name[LABEL_MAX];
	enum mime_charset_kind kind = mime_charset_resolve(charset, name);
	if (kind == MIME_CHARSET_ICONV && strcmp(name, "UTF-8") == 0) {
		utf8_append_clean(out, data, len);
		return;
	}
	if (kind != MIME_CHARSET_ICONV && mime_iso2022jp_seen(data, len)) {
		kind = MIME_CHARSET_ICONV;
		strcpy(name, "ISO-2022-JP-3");
	}
	if (kind != MIME_CHARSET_ICONV) {
		if (mime_utf8_valid(data, len)) {
			utf8_append_clean(out, data, len);
			return;
		}
		if (fallback == NULL || mime_charset_resolve(fallback, name) != MIME_CHARSET_ICONV)
			strcpy(name, "CP1252");
		if (strcmp(name, "UTF-8") == 0) {
			utf8_append_clean(out, data, len);
			return;
		}
	}
	if (!iconv_append(out, name, data, len))
		utf8_append_clean(out, data, len);
}

char *mime_charset_to_utf8(const char *charset, const char *data, size_t len,
                           const char *fallback, size_t *out_len)
{
	struct buf out;
	buf_init(&out);
	buf_add(&out, "", 0);
	if (data != NULL)
		mime_charset_append(&out, charset, data, len, fallback);
	if (out_len != NULL)
		*out_len = out.len;
	return buf_steal(&out);
}
