/*
 * prompt: questions on the message row — a line of text (a small UTF-8
 * line editor with the editor menu's keys), yes or no, or one key.  The
 * account's events keep flowing while the user types; keys go only to
 * the prompt.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ui/ui_private.h"

struct editor {
	struct buf text;
	size_t cursor;   /* byte offset, on a character boundary */
};

static bool is_continuation(char c)
{
	return ((unsigned char)c & 0xc0) == 0x80;
}

static size_t char_before(const struct editor *e, size_t pos)
{
	if (pos == 0)
		return 0;
	pos--;
	while (pos > 0 && is_continuation(e->text.data[pos]))
		pos--;
	return pos;
}

static size_t char_after(const struct editor *e, size_t pos)
{
	if (pos >= e->text.len)
		return e->text.len;
	pos++;
	while (pos < e->text.len && is_continuation(e->text.data[pos]))
		pos++;
	return pos;
}

/* Remove the bytes [from, to) of the text. */
static void editor_cut(struct editor *e, size_t from, size_t to)
{
	if (to <= from)
		return;
	memmove(e->text.data + from, e->text.data + to, e->text.len - to + 1);
	e->text.len -= to - from;
	if (e->cursor > to)
		e->cursor -= to - from;
	else if (e->cursor > from)
		e->cursor = from;
}

static void editor_insert(struct editor *e, int key)
{
	char utf8[4];
	size_t n = ui_utf8_put(utf8, key);
	buf_add(&e->text, utf8, n);   /* grow by n; then move the tail */
	memmove(e->text.data + e->cursor + n, e->text.data + e->cursor,
	        e->text.len - n - e->cursor);
	memcpy(e->text.data + e->cursor, utf8, n);
	e->cursor += n;
}

static bool is_space_at(const struct editor *e, size_t pos)
{
	return e->text.data[pos] == ' ' || e->text.data[pos] == '\t';
}

/* Run an editor function; false when it is not one the editor knows. */
static bool editor_function(struct ui *ui, struct editor *e, int f)
{
	const char *name = config_function_name(f);
	if (strcmp(name, "bol") == 0) {
		e->cursor = 0;
	} else if (strcmp(name, "eol") == 0) {
		e->cursor = e->text.len;
	} else if (strcmp(name, "backward-char") == 0) {
		e->cursor = char_before(e, e->cursor);
	} else if (strcmp(name, "forward-char") == 0) {
		e->cursor = char_after(e, e->cursor);
	} else if (strcmp(name, "backspace") == 0) {
		if (e->cursor == 0)
			ui_beep(ui);
		editor_cut(e, char_before(e, e->cursor), e->cursor);
	} else if (strcmp(name, "delete-char") == 0) {
		editor_cut(e, e->cursor, char_after(e, e->cursor));
	} else if (strcmp(name, "kill-eol") == 0) {
		editor_cut(e, e->cursor, e->text.len);
	} else if (strcmp(name, "kill-line") == 0) {
		editor_cut(e, 0, e->text.len);
	} else if (strcmp(name, "kill-word") == 0) {
		size_t from = e->cursor;
		while (from > 0 && is_space_at(e, char_before(e, from)))
			from = char_before(e, from);
		while (from > 0 && !is_space_at(e, char_before(e, from)))
			from = char_before(e, from);
		editor_cut(e, from, e->cursor);
	} else if (strcmp(name, "backward-word") == 0) {
		while (e->cursor > 0 && is_space_at(e, char_before(e, e->cursor)))
			e->cursor = char_before(e, e->cursor);
		while (e->cursor > 0 && !is_space_at(e, char_before(e, e->cursor)))
			e->cursor = char_before(e, e->cursor);
	} else if (strcmp(name, "forward-word") == 0) {
		while (e->cursor < e->text.len && is_space_at(e, e->cursor))
			e->cursor = char_after(e, e->cursor);
		while (e->cursor < e->text.len && !is_space_at(e, e->cursor))
			e->cursor = char_after(e, e->cursor);
	} else {
		return false;
	}
	return true;
}

static bool is_enter(int key)
{
	return key == '\r' || key == '\n' || key == CONFIG_KEY_ENTER;
}

static bool is_cancel(int key)
{
	return key == 7 /* ^G */ || key == 27 /* Esc */ || key == UI_KEY_ABORT ||
	       key == UI_KEY_INTERRUPT;
}

char *ui_prompt_ex(struct ui *ui, const char *prompt, const char *initial,
                   unsigned flags, bool *browser)
{
	struct editor e;
	buf_init(&e.text);
	if (initial != NULL)
		buf_add_str(&e.text, initial);
	e.cursor = e.text.len;
	if (browser != NULL)
		*browser = false;
	struct ui_prompt_line line = {prompt, NULL, 0, (flags & UI_PROMPT_HIDDEN) != 0};
	struct ui_prompt_line *outer = ui->prompt;
	ui->prompt = &line;
	char *answer = NULL;
	bool quote_next = false;
	for (;;) {
		line.text = e.text.data != NULL ? e.text.data : "";
		line.cursor = e.cursor;
		ui->dirty = true;
		int key = ui_key_read(ui);
		if (key == UI_KEY_RESIZE)
			continue;
		if (quote_next && key >= 0 && key < CONFIG_KEY_SPECIAL) {
			quote_next = false;
			editor_insert(&e, key);
			continue;
		}
		quote_next = false;
		if (is_cancel(key))
			break;
		if (is_enter(key)) {
			answer = xstrdup(e.text.data != NULL ? e.text.data : "");
			break;
		}
		if ((flags & UI_PROMPT_BROWSER) && e.text.len == 0 && (key == '\t' || key == '?')) {
			if (browser != NULL)
				*browser = true;
			break;
		}
		if (key >= CONFIG_KEY_FUNCTION || key < 0)
			continue;
		if (key >= 32 && key != 127 && key < CONFIG_KEY_SPECIAL) {
			editor_insert(&e, key);
			continue;
		}
		int f = ui_keymap_lookup(ui->cfg, CONFIG_MENU_EDITOR, &key, 1, NULL);
		if (f >= 0 && ui_fn_is(f, "quote-char"))
			quote_next = true;
		else if (f < 0 || !editor_function(ui, &e, f))
			ui_beep(ui);
	}
	ui->prompt = outer;
	ui->dirty = true;
	if (e.text.data != NULL && (flags & UI_PROMPT_HIDDEN))
		explicit_bzero(e.text.data, e.text.cap);
	buf_free(&e.text);
	return answer;
}

char *ui_prompt(struct ui *ui, const char *prompt, const char *initial, bool hidden)
{
	return ui_prompt_ex(ui, prompt, initial, hidden ? UI_PROMPT_HIDDEN : 0, NULL);
}

int ui_getkey_prompt(struct ui *ui, const char *prompt)
{
	struct ui_prompt_line line = {prompt, NULL, 0, true};
	struct ui_prompt_line *outer = ui->prompt;
	ui->prompt = &line;
	ui->dirty = true;
	int key;
	do
		key = ui_key_read(ui);
	while (key == UI_KEY_RESIZE);
	ui->prompt = outer;
	ui->dirty = true;
	return is_cancel(key) ? -1 : key;
}

int ui_getkey(struct ui *ui)
{
	int key;
	do
		key = ui_key_read(ui);
	while (key == UI_KEY_RESIZE);
	return is_cancel(key) ? -1 : key;
}

int ui_ask(struct ui *ui, const char *question, bool default_answer)
{
	/* L10N: a yes/no question: "Quit Rowan? ([yes]/no): " */
	char *prompt = xasprintf(default_answer ? _("%s ([yes]/no): ") : _("%s (yes/[no]): "),
	                         question);
	int answer;
	for (;;) {
		int key = ui_getkey_prompt(ui, prompt);
		if (key < 0) {
			answer = -1;
			break;
		}
		if (key == 'y' || key == 'Y') {
			answer = 1;
			break;
		}
		if (key == 'n' || key == 'N') {
			answer = 0;
			break;
		}
		if (is_enter(key)) {
			answer = default_answer ? 1 : 0;
			break;
		}
		ui_beep(ui);
	}
	free(prompt);
	return answer;
}

bool ui_yes_no(struct ui *ui, const char *question, bool default_answer)
{
	return ui_ask(ui, question, default_answer) == 1;
}
