/*
 * safe: text from mail made harmless for a terminal.  No control
 * character reaches the screen as itself (so no escape sequence
 * survives), and characters that are invisible or reorder text (bidi
 * overrides, isolates, zero-width and filler characters) are shown by
 * their code point so that they cannot disguise what is written.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>

#include "mime/internal.h"
#include "mime/mime.h"

struct span {
	uint32_t first;
	uint32_t last;
};

/* Invisible or reordering characters that are shown as "<U+XXXX>". */
static const struct span shown[] = {
	{ 0x061c, 0x061c },	/* ARABIC LETTER MARK */
	{ 0x115f, 0x1160 },	/* HANGUL CHOSEONG / JUNGSEONG FILLER */
	{ 0x180e, 0x180e },	/* MONGOLIAN VOWEL SEPARATOR */
	{ 0x200b, 0x200b },	/* ZERO WIDTH SPACE */
	{ 0x200e, 0x200f },	/* LEFT-TO-RIGHT / RIGHT-TO-LEFT MARK */
	{ 0x2028, 0x2029 },	/* LINE / PARAGRAPH SEPARATOR */
	{ 0x202a, 0x202e },	/* bidi embeddings and overrides */
	{ 0x2060, 0x206f },	/* word joiner, invisible operators, isolates, ... */
	{ 0x3164, 0x3164 },	/* HANGUL FILLER */
	{ 0xfdd0, 0xfdef },	/* noncharacters */
	{ 0xfeff, 0xfeff },	/* ZERO WIDTH NO-BREAK SPACE (BOM) */
	{ 0xffa0, 0xffa0 },	/* HALFWIDTH HANGUL FILLER */
	{ 0xfff9, 0xfffb },	/* interlinear annotation */
	{ 0x1d173, 0x1d17a },	/* musical formatting */
	{ 0xe0000, 0xe007f },	/* tags: invisible copies of ASCII */
};

static bool shown_as_code(uint32_t cp)
{
	if (cp >= 0x80 && cp <= 0x9f)
		return true;	/* C1 controls */
	if ((cp & 0xfffe) == 0xfffe)
		return true;	/* U+FFFE, U+FFFF and their copies in every plane */
	for (size_t i = 0; i < sizeof shown / sizeof shown[0]; i++)
		if (cp >= shown[i].first && cp <= shown[i].last)
			return true;
	return false;
}

char *mime_safe_text(const char *text, size_t len, enum mime_safe_mode mode)
{
	struct buf out;
	buf_init(&out);
	buf_add(&out, "", 0);
	if (text == NULL)
		return buf_steal(&out);
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0;
	while (i < len) {
		/* Printable ASCII in one go. */
		size_t run = i;
		while (run < len && s[run] >= 0x20 && s[run] < 0x7f)
			run++;
		buf_add(&out, s + i, run - i);
		i = run;
		if (i >= len)
			break;
		uint32_t cp;
		size_t n = mime_utf8_next(s + i, len - i, &cp);
		if (cp == MIME_UTF8_INVALID) {
			buf_add_str(&out, MIME_REPLACEMENT);
		} else if (cp == '\n' || cp == '\t') {
			if (mode == MIME_SAFE_TEXT)
				buf_add_char(&out, (char)cp);
			else
				buf_printf(&out, "^%c", (char)(cp + 0x40));
		} else if (cp == '\r' && mode == MIME_SAFE_TEXT && i + 1 < len && s[i + 1] == '\n') {
			/* CR LF: the LF alone */
		} else if (cp < 0x20) {
			buf_printf(&out, "^%c", (char)(cp + 0x40));
		} else if (cp == 0x7f) {
			buf_add_str(&out, "^?");
		} else if (shown_as_code(cp)) {
			buf_printf(&out, "<U+%04X>", (unsigned int)cp);
		} else {
			buf_add(&out, s + i, n);
		}
		i += n;
	}
	return buf_steal(&out);
}
