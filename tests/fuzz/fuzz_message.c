/*
 * fuzz_message: a libFuzzer target for the MIME module.
 *
 * Every input is fed, whole, to the message parser and the renderer and to
 * each building block of mime.h, and the output is checked for what must
 * never happen whatever the input: an escape byte, a NUL, a C1 control or
 * invalid UTF-8 reaching text meant for the terminal; a sanitised file
 * name that could leave its folder.  ASan and UBSan catch the rest.
 *
 * Built by `make fuzz` (tests/fuzz/Makemodule.am); see tests/fuzz/README.md.
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mime/message.h"
#include "mime/mime.h"
#include "util/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond, what)                                                         \
	do {                                                                      \
		if (!(cond)) {                                                    \
			fprintf(stderr, "fuzz_message: %s (%s:%d): %s\n", what, \
			        __FILE__, __LINE__, #cond);                       \
			abort();                                                  \
		}                                                                 \
	} while (0)

/* The code point at s (valid UTF-8 assumed), and its length in *n. */
static uint32_t utf8_at(const unsigned char *s, size_t len, size_t *n)
{
	if (s[0] < 0x80) {
		*n = 1;
		return s[0];
	}
	size_t need = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : 2;
	if (need > len) {
		*n = len;
		return 0xFFFD;
	}
	uint32_t cp = s[0] & (0x7F >> need);
	for (size_t i = 1; i < need; i++)
		cp = (cp << 6) | (s[i] & 0x3F);
	*n = need;
	return cp;
}

/*
 * Text fit for a terminal: valid UTF-8, no NUL, no ESC, no other C0
 * control but those allowed, no DEL, no C1 control, no bidi override.
 */
static void check_terminal_text(const char *text, size_t len, bool newlines, const char *what)
{
	CHECK(text != NULL, what);
	CHECK(mime_utf8_valid(text, len), what);
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0;
	while (i < len) {
		size_t n;
		uint32_t cp = utf8_at(s + i, len - i, &n);
		if (cp < 0x20) {
			CHECK(newlines && (cp == '\n' || cp == '\t'), what);
		}
		CHECK(cp != 0x7F, what);
		CHECK(!(cp >= 0x80 && cp <= 0x9F), what);
		CHECK(!(cp >= 0x202A && cp <= 0x202E), what);
		CHECK(!(cp >= 0x2066 && cp <= 0x2069), what);
		i += n;
	}
}

static void fuzz_safe(const char *in, size_t len)
{
	char *line = mime_safe_text(in, len, MIME_SAFE_LINE);
	check_terminal_text(line, strlen(line), false, "mime_safe_text(LINE)");
	(void)mime_display_width(line, strlen(line));
	free(line);

	char *text = mime_safe_text(in, len, MIME_SAFE_TEXT);
	check_terminal_text(text, strlen(text), true, "mime_safe_text(TEXT)");
	(void)mime_display_width(text, strlen(text));
	free(text);
}

static void fuzz_charsets(const char *in, size_t len)
{
	static const char *const charsets[] = {
		"utf-8", "iso-8859-1", "iso-8859-2", "iso-8859-15", "windows-1250",
		"windows-1251", "windows-1252", "koi8-r", "gb2312", "gbk", "gb18030",
		"shift_jis", "iso-2022-jp", "euc-jp", "euc-kr", "big5", "utf-16",
		"utf-7", "us-ascii", "x-no-such-charset", NULL,
	};
	size_t count = sizeof(charsets) / sizeof(charsets[0]);
	/* The first byte picks the charset; the rest is the text. */
	const char *charset = len > 0 ? charsets[(unsigned char)in[0] % count] : NULL;
	const char *body = len > 0 ? in + 1 : in;
	size_t body_len = len > 0 ? len - 1 : 0;

	size_t out_len = 0;
	char *out = mime_charset_to_utf8(charset, body, body_len, NULL, &out_len);
	CHECK(out != NULL, "mime_charset_to_utf8");
	CHECK(out[out_len] == '\0', "mime_charset_to_utf8 NUL-terminated");
	CHECK(memchr(out, '\0', out_len) == NULL, "mime_charset_to_utf8 kept a NUL");
	CHECK(mime_utf8_valid(out, out_len), "mime_charset_to_utf8 gave invalid UTF-8");
	free(out);
	if (charset != NULL)
		(void)mime_charset_known(charset);
	(void)mime_utf8_valid(in, len);
}

static void fuzz_headers(const char *in, size_t len)
{
	char *decoded = mime_header_decode(in, len, NULL);
	CHECK(decoded != NULL, "mime_header_decode");
	CHECK(mime_utf8_valid(decoded, strlen(decoded)), "mime_header_decode gave invalid UTF-8");
	fuzz_safe(decoded, strlen(decoded));
	free(decoded);

	static const char *const names[] = {"subject", "From", "content-type", "X-None"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		free(mime_header_get(in, len, names[i]));

	struct mime_address_list *list = mime_address_list_parse(in, len, NULL);
	CHECK(list != NULL, "mime_address_list_parse");
	for (size_t i = 0; i < list->count; i++) {
		char *one = mime_address_format(&list->items[i]);
		CHECK(mime_utf8_valid(one, strlen(one)), "mime_address_format gave invalid UTF-8");
		free(one);
	}
	char *all = mime_address_list_format(list);
	CHECK(mime_utf8_valid(all, strlen(all)), "mime_address_list_format gave invalid UTF-8");
	fuzz_safe(all, strlen(all));
	free(all);
	mime_address_list_free(&list);
	CHECK(list == NULL, "mime_address_list_free clears the pointer");

	time_t when;
	int zone;
	(void)mime_date_parse(in, len, &when, &zone);

	struct mime_content_header ct;
	mime_content_header_parse(in, len, NULL, &ct);
	CHECK(ct.value != NULL, "mime_content_header_parse value");
	for (size_t i = 0; i < ct.param_count; i++) {
		CHECK(ct.params[i].name != NULL && ct.params[i].value != NULL,
		      "mime_content_header_parse param");
		CHECK(mime_utf8_valid(ct.params[i].value, strlen(ct.params[i].value)),
		      "parameter value is not UTF-8");
	}
	static const char *const params[] = {"boundary", "charset", "name", "filename", "format"};
	for (size_t i = 0; i < sizeof(params) / sizeof(params[0]); i++)
		(void)mime_content_header_param(&ct, params[i]);
	mime_content_header_clear(&ct);
}

static void fuzz_text_converters(const char *in, size_t len)
{
	size_t out_len = 0;
	unsigned flags = 0;
	char *out;

	out = mime_base64_decode(in, len, 1 << 20, &out_len, &flags);
	CHECK(out != NULL && out_len <= len, "mime_base64_decode");
	free(out);
	out = mime_qp_decode(in, len, 1 << 20, &out_len, &flags);
	CHECK(out != NULL && out_len <= len, "mime_qp_decode");
	free(out);
	out = mime_base64_decode(in, len, 7, &out_len, &flags);
	CHECK(out != NULL && out_len <= 7, "mime_base64_decode max");
	free(out);

	/* The converters below expect UTF-8, as they get it from the module. */
	size_t utf8_len = 0;
	char *utf8 = mime_charset_to_utf8("utf-8", in, len, NULL, &utf8_len);
	out = mime_flowed_reflow(utf8, utf8_len, false, &out_len);
	free(out);
	out = mime_flowed_reflow(utf8, utf8_len, true, &out_len);
	free(out);
	out = mime_html_to_text(utf8, utf8_len, &out_len);
	CHECK(out != NULL, "mime_html_to_text");
	fuzz_safe(out, out_len);
	free(out);
	out = mime_enriched_to_text(utf8, utf8_len, &out_len);
	free(out);
	free(utf8);
}

static void check_filename(const char *name)
{
	char *safe = mime_filename_sanitize(name);
	CHECK(safe != NULL && safe[0] != '\0', "mime_filename_sanitize empty");
	CHECK(strchr(safe, '/') == NULL && strchr(safe, '\\') == NULL,
	      "mime_filename_sanitize kept a slash");
	CHECK(safe[0] != '.', "mime_filename_sanitize kept a leading dot");
	CHECK(strlen(safe) <= 255, "mime_filename_sanitize too long");
	for (const unsigned char *p = (const unsigned char *)safe; *p != '\0'; p++)
		CHECK(*p >= 0x20 && *p != 0x7F, "mime_filename_sanitize kept a control");
	check_terminal_text(safe, strlen(safe), false, "mime_filename_sanitize");
	free(safe);
}

static void fuzz_message(const char *in, size_t len)
{
	struct mime_message *message = mime_message_parse(in, len, NULL);
	CHECK(message != NULL, "mime_message_parse");
	const struct mime_part *root = mime_message_root(message);
	CHECK(root != NULL, "mime_message_root");

	struct mime_render_options options = {0};
	char *render = mime_render(message, &options);
	CHECK(render != NULL, "mime_render");
	size_t render_len = strlen(render);
	CHECK(memchr(render, '\x1b', render_len) == NULL, "ESC in the render");
	check_terminal_text(render, render_len, true, "mime_render");
	CHECK(render_len > 0 && render[render_len - 1] == '\n', "render ends with a newline");
	free(render);

	options.all_headers = true;
	options.alternative_order = "text/html text/enriched text/plain";
	render = mime_render(message, &options);
	CHECK(render != NULL, "mime_render(all headers)");
	check_terminal_text(render, strlen(render), true, "mime_render(all headers)");
	free(render);

	size_t count = 0;
	const struct mime_part **list = mime_attachment_list(message, NULL, &count);
	for (size_t i = 0; i < count; i++) {
		CHECK(list[i] != NULL && list[i]->part_id != NULL, "attachment list");
		check_filename(list[i]->filename);
		(void)mime_part_decoded_size(list[i]);
	}
	free(list);

	/* Walk the part tree without recursion, decoding every leaf. */
	size_t cap = 64, top = 0, seen = 0;
	const struct mime_part **stack = xmalloc(cap * sizeof(*stack));
	stack[top++] = root;
	while (top > 0) {
		const struct mime_part *part = stack[--top];
		seen++;
		CHECK(part->type != NULL && part->part_id != NULL, "part fields");
		CHECK(part->depth <= MIME_DEFAULT_MAX_DEPTH, "part deeper than the limit");
		if (part->child_count == 0) {
			size_t text_len = 0;
			unsigned flags = 0;
			char *text = mime_part_text(part, NULL, &text_len, &flags);
			CHECK(text != NULL, "mime_part_text");
			CHECK(mime_utf8_valid(text, text_len), "mime_part_text gave invalid UTF-8");
			free(text);
		}
		for (size_t i = 0; i < part->child_count; i++) {
			if (top == cap) {
				cap *= 2;
				stack = xrealloc(stack, cap * sizeof(*stack));
			}
			stack[top++] = part->children[i];
		}
	}
	free(stack);
	CHECK(seen <= MIME_DEFAULT_MAX_PARTS + 1 + MIME_DEFAULT_MAX_DEPTH,
	      "more parts than the limit");
	(void)mime_message_cut_by_depth(message);
	(void)mime_message_cut_by_count(message);

	mime_message_free(&message);
	CHECK(message == NULL, "mime_message_free clears the pointer");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	fuzz_message(in, size);
	fuzz_headers(in, size);
	fuzz_safe(in, size);
	fuzz_charsets(in, size);
	fuzz_text_converters(in, size);
	return 0;
}
