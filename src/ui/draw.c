/*
 * draw: putting UTF-8 text on the screen — made safe first, clipped or
 * padded to an exact number of columns, never splitting a wide
 * character.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include <curses.h>

#include "mime/mime.h"
#include "ui/ui_private.h"

size_t ui_utf8_put(char *out, int c)
{
	if (c < 0 || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		c = 0xfffd;
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xc0 | (c >> 6));
		out[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xe0 | (c >> 12));
		out[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		out[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (c >> 18));
	out[1] = (char)(0x80 | ((c >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((c >> 6) & 0x3f));
	out[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

/* Decode one UTF-8 character (text is valid: it went through
 * mime_safe_text); *len its length in bytes. */
static int utf8_get(const unsigned char *s, size_t *len)
{
	int c = s[0];
	size_t n = 1;
	if (c >= 0xf0) {
		c &= 0x07;
		n = 4;
	} else if (c >= 0xe0) {
		c &= 0x0f;
		n = 3;
	} else if (c >= 0xc0) {
		c &= 0x1f;
		n = 2;
	} else if (c >= 0x80) {
		*len = 1;
		return 0xfffd;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*len = i;
			return 0xfffd;
		}
		c = (c << 6) | (s[i] & 0x3f);
	}
	*len = n;
	return c;
}

void ui_draw_text(int y, int x, const char *text, int width, int attr)
{
	if (y < 0 || y >= LINES || x < 0 || x >= COLS || width <= 0)
		return;
	if (width > COLS - x)
		width = COLS - x;
	if (text == NULL)
		text = "";
	char *safe = mime_safe_text(text, strlen(text), MIME_SAFE_LINE);
	wchar_t *wide = xmalloc((strlen(safe) + (size_t)width + 1) * sizeof(wchar_t));
	size_t n = 0;
	int used = 0;
	const unsigned char *p = (const unsigned char *)safe;
	while (*p != '\0') {
		size_t len;
		int c = utf8_get(p, &len);
		int w = wcwidth((wchar_t)c);
		if (w < 0) {
			/* Not printable in this locale: show a stand-in. */
			c = '?';
			w = 1;
		}
		if (w == 0 && n == 0) {
			/* A combining mark with nothing to combine with. */
			p += len;
			continue;
		}
		if (used + w > width)
			break;
		wide[n++] = (wchar_t)c;
		used += w;
		p += len;
	}
	while (used < width) {
		wide[n++] = L' ';
		used++;
	}
	wide[n] = L'\0';
	attr_t old_attr;
	short old_pair;
	attr_get(&old_attr, &old_pair, NULL);
	attrset((attr_t)attr);
	mvaddnwstr(y, x, wide, (int)n);
	attr_set(old_attr, old_pair, NULL);
	free(wide);
	free(safe);
}

const char *ui_sort_label(enum folder_sort sort, bool reverse)
{
	static const char *const names[] = {
		[FOLDER_SORT_DATE] = "date",
		[FOLDER_SORT_RECEIVED] = "date-received",
		[FOLDER_SORT_FROM] = "from",
		[FOLDER_SORT_TO] = "to",
		[FOLDER_SORT_SUBJECT] = "subject",
		[FOLDER_SORT_SIZE] = "size",
		[FOLDER_SORT_UNSORTED] = "unsorted",
	};
	static const char *const reversed[] = {
		[FOLDER_SORT_DATE] = "reverse-date",
		[FOLDER_SORT_RECEIVED] = "reverse-date-received",
		[FOLDER_SORT_FROM] = "reverse-from",
		[FOLDER_SORT_TO] = "reverse-to",
		[FOLDER_SORT_SUBJECT] = "reverse-subject",
		[FOLDER_SORT_SIZE] = "reverse-size",
		[FOLDER_SORT_UNSORTED] = "reverse-unsorted",
	};
	if ((int)sort < 0 || sort > FOLDER_SORT_UNSORTED)
		return "?";
	return reverse ? reversed[sort] : names[sort];
}

/* Lower-cased wide copy of UTF-8 text (locale-independent decoding). */
static wchar_t *fold_text(const char *text)
{
	size_t len = strlen(text);
	wchar_t *out = xmalloc((len + 1) * sizeof(wchar_t));
	size_t n = 0;
	const unsigned char *p = (const unsigned char *)text;
	while (*p != '\0') {
		int c = *p;
		size_t bytes = 1;
		if (c >= 0xf0 && p[1] && p[2] && p[3]) {
			c = ((c & 0x07) << 18) | ((p[1] & 0x3f) << 12) | ((p[2] & 0x3f) << 6) | (p[3] & 0x3f);
			bytes = 4;
		} else if (c >= 0xe0 && p[1] && p[2]) {
			c = ((c & 0x0f) << 12) | ((p[1] & 0x3f) << 6) | (p[2] & 0x3f);
			bytes = 3;
		} else if (c >= 0xc0 && p[1]) {
			c = ((c & 0x1f) << 6) | (p[1] & 0x3f);
			bytes = 2;
		}
		out[n++] = (wchar_t)towlower((wint_t)c);
		p += bytes;
	}
	out[n] = L'\0';
	return out;
}

bool ui_text_contains(const char *haystack, const char *needle)
{
	wchar_t *h = fold_text(haystack);
	wchar_t *n = fold_text(needle);
	bool found = wcsstr(h, n) != NULL;
	free(n);
	free(h);
	return found;
}
