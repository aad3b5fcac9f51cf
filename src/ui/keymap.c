/*
 * keymap: which function a key sequence runs in a menu — the rc file's
 * bind and macro commands first, then Rowan's default bindings (mutt's),
 * then the generic menu.  Also the one-line descriptions of the functions
 * for the help screen.  Pure: no curses here, so it can be unit-tested.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ui/ui_private.h"

/* Longest default key sequence, in keys. */
#define KEYMAP_MAX_KEYS 3

struct keymap_default_def {
	enum config_menu menu;
	const char *keys;      /* key notation, as in the rc file */
	const char *function;
};

/* mutt's default bindings for the functions Rowan knows. */
static const struct keymap_default_def default_defs[] = {
	/* generic: every menu but the editor falls back to these */
	{CONFIG_MENU_GENERIC, "H", "top-page"},
	{CONFIG_MENU_GENERIC, "j", "next-entry"},
	{CONFIG_MENU_GENERIC, "k", "previous-entry"},
	{CONFIG_MENU_GENERIC, "L", "bottom-page"},
	{CONFIG_MENU_GENERIC, "\\Cl", "refresh"},
	{CONFIG_MENU_GENERIC, "M", "middle-page"},
	{CONFIG_MENU_GENERIC, "n", "search-next"},
	{CONFIG_MENU_GENERIC, "q", "exit"},
	{CONFIG_MENU_GENERIC, "z", "next-page"},
	{CONFIG_MENU_GENERIC, "Z", "previous-page"},
	{CONFIG_MENU_GENERIC, "*", "last-entry"},
	{CONFIG_MENU_GENERIC, "=", "first-entry"},
	{CONFIG_MENU_GENERIC, ">", "next-line"},
	{CONFIG_MENU_GENERIC, "<", "previous-line"},
	{CONFIG_MENU_GENERIC, "[", "half-up"},
	{CONFIG_MENU_GENERIC, "]", "half-down"},
	{CONFIG_MENU_GENERIC, "?", "help"},
	{CONFIG_MENU_GENERIC, "<Return>", "select-entry"},
	{CONFIG_MENU_GENERIC, "\\n", "select-entry"},
	{CONFIG_MENU_GENERIC, "<Enter>", "select-entry"},
	{CONFIG_MENU_GENERIC, "/", "search"},
	{CONFIG_MENU_GENERIC, "<Esc>/", "search-reverse"},
	{CONFIG_MENU_GENERIC, "<Home>", "first-entry"},
	{CONFIG_MENU_GENERIC, "<End>", "last-entry"},
	{CONFIG_MENU_GENERIC, "<PageDown>", "next-page"},
	{CONFIG_MENU_GENERIC, "<PageUp>", "previous-page"},
	{CONFIG_MENU_GENERIC, "<Right>", "next-page"},
	{CONFIG_MENU_GENERIC, "<Left>", "previous-page"},
	{CONFIG_MENU_GENERIC, "<Up>", "previous-entry"},
	{CONFIG_MENU_GENERIC, "<Down>", "next-entry"},
	{CONFIG_MENU_GENERIC, "1", "jump"},
	{CONFIG_MENU_GENERIC, "2", "jump"},
	{CONFIG_MENU_GENERIC, "3", "jump"},
	{CONFIG_MENU_GENERIC, "4", "jump"},
	{CONFIG_MENU_GENERIC, "5", "jump"},
	{CONFIG_MENU_GENERIC, "6", "jump"},
	{CONFIG_MENU_GENERIC, "7", "jump"},
	{CONFIG_MENU_GENERIC, "8", "jump"},
	{CONFIG_MENU_GENERIC, "9", "jump"},

	/* index */
	{CONFIG_MENU_INDEX, "c", "change-folder"},
	{CONFIG_MENU_INDEX, "y", "mailbox-list"},
	{CONFIG_MENU_INDEX, "C", "copy-message"},
	{CONFIG_MENU_INDEX, "d", "delete-message"},
	{CONFIG_MENU_INDEX, "F", "flag-message"},
	{CONFIG_MENU_INDEX, "G", "fetch-mail"},
	{CONFIG_MENU_INDEX, "j", "next-undeleted"},
	{CONFIG_MENU_INDEX, "k", "previous-undeleted"},
	{CONFIG_MENU_INDEX, "<Down>", "next-undeleted"},
	{CONFIG_MENU_INDEX, "<Up>", "previous-undeleted"},
	{CONFIG_MENU_INDEX, "J", "next-entry"},
	{CONFIG_MENU_INDEX, "K", "previous-entry"},
	{CONFIG_MENU_INDEX, "N", "toggle-new"},
	{CONFIG_MENU_INDEX, "q", "quit"},
	{CONFIG_MENU_INDEX, "x", "exit"},
	{CONFIG_MENU_INDEX, "o", "sort-mailbox"},
	{CONFIG_MENU_INDEX, "O", "sort-reverse"},
	{CONFIG_MENU_INDEX, "s", "save-message"},
	{CONFIG_MENU_INDEX, "u", "undelete-message"},
	{CONFIG_MENU_INDEX, "v", "view-attachments"},
	{CONFIG_MENU_INDEX, "V", "show-version"},
	{CONFIG_MENU_INDEX, "w", "set-flag"},
	{CONFIG_MENU_INDEX, "W", "clear-flag"},
	{CONFIG_MENU_INDEX, "<Return>", "display-message"},
	{CONFIG_MENU_INDEX, "\\n", "display-message"},
	{CONFIG_MENU_INDEX, "<Enter>", "display-message"},
	{CONFIG_MENU_INDEX, "<Space>", "display-message"},
	{CONFIG_MENU_INDEX, "$", "sync-mailbox"},
	{CONFIG_MENU_INDEX, "<Tab>", "next-new-then-unread"},
	{CONFIG_MENU_INDEX, "<Esc><Tab>", "previous-new-then-unread"},
	{CONFIG_MENU_INDEX, "h", "display-toggle-weed"},

	/* pager */
	{CONFIG_MENU_PAGER, "c", "change-folder"},
	{CONFIG_MENU_PAGER, "y", "mailbox-list"},
	{CONFIG_MENU_PAGER, "C", "copy-message"},
	{CONFIG_MENU_PAGER, "d", "delete-message"},
	{CONFIG_MENU_PAGER, "w", "set-flag"},
	{CONFIG_MENU_PAGER, "W", "clear-flag"},
	{CONFIG_MENU_PAGER, "F", "flag-message"},
	{CONFIG_MENU_PAGER, "h", "display-toggle-weed"},
	{CONFIG_MENU_PAGER, "j", "next-undeleted"},
	{CONFIG_MENU_PAGER, "J", "next-entry"},
	{CONFIG_MENU_PAGER, "k", "previous-undeleted"},
	{CONFIG_MENU_PAGER, "K", "previous-entry"},
	{CONFIG_MENU_PAGER, "\\Cl", "redraw-screen"},
	{CONFIG_MENU_PAGER, "N", "mark-as-new"},
	{CONFIG_MENU_PAGER, "n", "search-next"},
	{CONFIG_MENU_PAGER, "o", "sort-mailbox"},
	{CONFIG_MENU_PAGER, "O", "sort-reverse"},
	{CONFIG_MENU_PAGER, "Q", "quit"},
	{CONFIG_MENU_PAGER, "q", "exit"},
	{CONFIG_MENU_PAGER, "x", "exit"},
	{CONFIG_MENU_PAGER, "i", "exit"},
	{CONFIG_MENU_PAGER, "s", "save-message"},
	{CONFIG_MENU_PAGER, "S", "skip-quoted"},
	{CONFIG_MENU_PAGER, "T", "toggle-quoted"},
	{CONFIG_MENU_PAGER, "u", "undelete-message"},
	{CONFIG_MENU_PAGER, "v", "view-attachments"},
	{CONFIG_MENU_PAGER, "V", "show-version"},
	{CONFIG_MENU_PAGER, "\\\\", "search-toggle"},
	{CONFIG_MENU_PAGER, "<Tab>", "next-new-then-unread"},
	{CONFIG_MENU_PAGER, "?", "help"},
	{CONFIG_MENU_PAGER, "<Space>", "next-page"},
	{CONFIG_MENU_PAGER, "-", "previous-page"},
	{CONFIG_MENU_PAGER, "^", "top"},
	{CONFIG_MENU_PAGER, "$", "sync-mailbox"},
	{CONFIG_MENU_PAGER, "/", "search"},
	{CONFIG_MENU_PAGER, "<Esc>/", "search-reverse"},
	{CONFIG_MENU_PAGER, "<Return>", "next-line"},
	{CONFIG_MENU_PAGER, "\\n", "next-line"},
	{CONFIG_MENU_PAGER, "<Enter>", "next-line"},
	{CONFIG_MENU_PAGER, "<Backspace>", "previous-line"},
	{CONFIG_MENU_PAGER, "<PageDown>", "next-page"},
	{CONFIG_MENU_PAGER, "<PageUp>", "previous-page"},
	{CONFIG_MENU_PAGER, "<Up>", "previous-undeleted"},
	{CONFIG_MENU_PAGER, "<Right>", "next-undeleted"},
	{CONFIG_MENU_PAGER, "<Down>", "next-undeleted"},
	{CONFIG_MENU_PAGER, "<Left>", "previous-undeleted"},
	{CONFIG_MENU_PAGER, "<Home>", "top"},
	{CONFIG_MENU_PAGER, "<End>", "bottom"},

	/* browser */
	{CONFIG_MENU_BROWSER, "c", "change-dir"},
	{CONFIG_MENU_BROWSER, "o", "sort"},
	{CONFIG_MENU_BROWSER, "O", "sort-reverse"},
	{CONFIG_MENU_BROWSER, "=", "goto-folder"},

	/* attachments */
	{CONFIG_MENU_ATTACH, "p", "print-entry"},
	{CONFIG_MENU_ATTACH, "s", "save-entry"},
	{CONFIG_MENU_ATTACH, "|", "pipe-entry"},
	{CONFIG_MENU_ATTACH, "m", "view-mailcap"},
	{CONFIG_MENU_ATTACH, "T", "view-text"},
	{CONFIG_MENU_ATTACH, "<Return>", "view-attach"},
	{CONFIG_MENU_ATTACH, "\\n", "view-attach"},
	{CONFIG_MENU_ATTACH, "<Enter>", "view-attach"},
	{CONFIG_MENU_ATTACH, "h", "display-toggle-weed"},
	{CONFIG_MENU_ATTACH, "v", "collapse-parts"},

	/* the line editor of prompts */
	{CONFIG_MENU_EDITOR, "\\Ca", "bol"},
	{CONFIG_MENU_EDITOR, "\\Cb", "backward-char"},
	{CONFIG_MENU_EDITOR, "\\Cd", "delete-char"},
	{CONFIG_MENU_EDITOR, "\\Ce", "eol"},
	{CONFIG_MENU_EDITOR, "\\Cf", "forward-char"},
	{CONFIG_MENU_EDITOR, "\\Ch", "backspace"},
	{CONFIG_MENU_EDITOR, "\\Ck", "kill-eol"},
	{CONFIG_MENU_EDITOR, "\\Cu", "kill-line"},
	{CONFIG_MENU_EDITOR, "\\Cw", "kill-word"},
	{CONFIG_MENU_EDITOR, "\\Cv", "quote-char"},
	{CONFIG_MENU_EDITOR, "<Tab>", "complete"},
	{CONFIG_MENU_EDITOR, "<Left>", "backward-char"},
	{CONFIG_MENU_EDITOR, "<Right>", "forward-char"},
	{CONFIG_MENU_EDITOR, "<Home>", "bol"},
	{CONFIG_MENU_EDITOR, "<End>", "eol"},
	{CONFIG_MENU_EDITOR, "<Backspace>", "backspace"},
	{CONFIG_MENU_EDITOR, "<Delete>", "delete-char"},
	{CONFIG_MENU_EDITOR, "\\C?", "backspace"},
};

#define N_DEFAULTS (sizeof default_defs / sizeof default_defs[0])

/* The defaults in key codes, parsed once. */
struct keymap_default {
	enum config_menu menu;
	int keys[KEYMAP_MAX_KEYS];
	size_t len;
	int function;          /* -1: the name is not a known function */
};

static struct keymap_default defaults[N_DEFAULTS];
static bool defaults_ready;

static void keymap_defaults_init(void)
{
	if (defaults_ready)
		return;
	for (size_t i = 0; i < N_DEFAULTS; i++) {
		struct keymap_default *d = &defaults[i];
		struct config_keyseq seq;
		char *error = NULL;
		d->menu = default_defs[i].menu;
		d->function = config_function_find(default_defs[i].function);
		d->len = 0;
		if (config_keyseq_parse(default_defs[i].keys, false, &seq, &error) == 0) {
			if (seq.len <= KEYMAP_MAX_KEYS) {
				memcpy(d->keys, seq.keys, seq.len * sizeof(int));
				d->len = seq.len;
			}
			config_keyseq_clear(&seq);
		}
		free(error);
		if (d->len == 0)
			d->function = -1;
	}
	defaults_ready = true;
}

size_t ui_keymap_defaults_invalid(void)
{
	keymap_defaults_init();
	size_t bad = 0;
	for (size_t i = 0; i < N_DEFAULTS; i++) {
		if (defaults[i].function < 0)
			bad++;
		/* mailbox-list (y) opens the folder browser from the index
		 * and the pager, although rc files may bind it in the
		 * browser only. */
		else if (!config_function_in_menu(defaults[i].function, defaults[i].menu) &&
		         strcmp(default_defs[i].function, "mailbox-list") != 0)
			bad++;
	}
	return bad;
}

/* ---- one layer of bindings: the rc file's or the defaults, one menu ---- */

static bool keys_equal(const int *a, size_t alen, const int *b, size_t blen)
{
	return alen == blen && memcmp(a, b, alen * sizeof(int)) == 0;
}

static bool keys_extend(const int *longer, size_t llen, const int *prefix, size_t plen)
{
	return llen > plen && memcmp(longer, prefix, plen * sizeof(int)) == 0;
}

static int noop_id(void)
{
	static int id = -2;
	if (id == -2)
		id = config_function_find("noop");
	return id;
}

/* The menus searched for menu, in order. */
static size_t keymap_menus(enum config_menu menu, enum config_menu out[2])
{
	out[0] = menu;
	if (menu == CONFIG_MENU_GENERIC || menu == CONFIG_MENU_EDITOR)
		return 1;
	out[1] = CONFIG_MENU_GENERIC;
	return 2;
}

/* Exact match in one menu: rc binding first, then default.  Returns 1 when
 * found (*result set to the function id, or -3 with *macro), else 0. */
static int keymap_find_exact(const struct config *cfg, enum config_menu menu,
                             const int *keys, size_t len, int *result,
                             const struct config_keyseq **macro)
{
	const struct config_binding *b = NULL;
	if (cfg != NULL)
		b = config_binding_find(cfg, menu, keys, len);
	if (b != NULL) {
		if (b->kind == CONFIG_BINDING_MACRO) {
			*result = -3;
			if (macro != NULL)
				*macro = &b->macro;
		} else {
			*result = b->function;
		}
		return 1;
	}
	for (size_t i = 0; i < N_DEFAULTS; i++) {
		const struct keymap_default *d = &defaults[i];
		if (d->menu == menu && d->function >= 0 &&
		    keys_equal(d->keys, d->len, keys, len)) {
			*result = d->function;
			return 1;
		}
	}
	return 0;
}

/* Whether some binding in menu starts with keys and is longer. */
static bool keymap_has_longer(const struct config *cfg, enum config_menu menu,
                              const int *keys, size_t len)
{
	size_t n = cfg != NULL ? config_binding_count(cfg) : 0;
	for (size_t i = 0; i < n; i++) {
		const struct config_binding *b = config_binding_get(cfg, i);
		if (b->menu != menu)
			continue;
		if (b->kind == CONFIG_BINDING_FUNCTION && b->function == noop_id())
			continue;
		if (keys_extend(b->keys.keys, b->keys.len, keys, len))
			return true;
	}
	for (size_t i = 0; i < N_DEFAULTS; i++) {
		const struct keymap_default *d = &defaults[i];
		if (d->menu == menu && d->function >= 0 &&
		    keys_extend(d->keys, d->len, keys, len))
			return true;
	}
	return false;
}

int ui_keymap_lookup(const struct config *cfg, enum config_menu menu,
                     const int *keys, size_t len,
                     const struct config_keyseq **macro)
{
	keymap_defaults_init();
	if (macro != NULL)
		*macro = NULL;
	if (len == 0)
		return -1;
	enum config_menu menus[2];
	size_t n_menus = keymap_menus(menu, menus);
	for (size_t m = 0; m < n_menus; m++) {
		int result;
		if (keymap_find_exact(cfg, menus[m], keys, len, &result, macro)) {
			if (result == noop_id())
				return -1;
			return result;
		}
	}
	for (size_t m = 0; m < n_menus; m++)
		if (keymap_has_longer(cfg, menus[m], keys, len))
			return -2;
	return -1;
}

/* ---- listing the bindings in effect (help) ---- */

struct keymap_seen {
	struct config_keyseq *items;
	size_t count;
};

static bool keymap_seen_has(const struct keymap_seen *seen, const int *keys, size_t len)
{
	for (size_t i = 0; i < seen->count; i++)
		if (keys_equal(seen->items[i].keys, seen->items[i].len, keys, len))
			return true;
	return false;
}

static void keymap_seen_add(struct keymap_seen *seen, const int *keys, size_t len)
{
	seen->items = xrealloc(seen->items, (seen->count + 1) * sizeof(*seen->items));
	struct config_keyseq *s = &seen->items[seen->count++];
	s->keys = xmalloc(len * sizeof(int));
	memcpy(s->keys, keys, len * sizeof(int));
	s->len = len;
}

static void keymap_seen_free(struct keymap_seen *seen)
{
	for (size_t i = 0; i < seen->count; i++)
		config_keyseq_clear(&seen->items[i]);
	free(seen->items);
}

/* Report one candidate binding when it is the one in effect for its keys. */
static void keymap_emit(const struct config *cfg, enum config_menu menu,
                        struct keymap_seen *seen, const int *keys, size_t len,
                        const struct config_binding *binding, int function,
                        void (*each)(const char *, const char *, const char *, void *),
                        void *ctx)
{
	if (keymap_seen_has(seen, keys, len))
		return;
	const struct config_keyseq *macro = NULL;
	int effective = ui_keymap_lookup(cfg, menu, keys, len, &macro);
	if (binding != NULL && binding->kind == CONFIG_BINDING_MACRO) {
		if (effective != -3 || macro != &binding->macro)
			return;
	} else if (effective != function || effective < 0) {
		return;
	}
	keymap_seen_add(seen, keys, len);
	struct config_keyseq seq = {(int *)keys, len};
	char *notation = config_keyseq_format(&seq);
	if (effective == -3) {
		char *text = NULL;
		const char *description = binding->description;
		if (description == NULL) {
			text = config_keyseq_format(&binding->macro);
			description = text;
		}
		each(notation, NULL, description, ctx);
		free(text);
	} else {
		each(notation, config_function_name(effective),
		     ui_function_description(effective), ctx);
	}
	free(notation);
}

void ui_keymap_each(const struct config *cfg, enum config_menu menu,
                    void (*each)(const char *keys, const char *function,
                                 const char *description, void *ctx),
                    void *ctx)
{
	keymap_defaults_init();
	struct keymap_seen seen = {NULL, 0};
	enum config_menu menus[2];
	size_t n_menus = keymap_menus(menu, menus);
	for (size_t m = 0; m < n_menus; m++) {
		size_t n = cfg != NULL ? config_binding_count(cfg) : 0;
		for (size_t i = 0; i < n; i++) {
			const struct config_binding *b = config_binding_get(cfg, i);
			if (b->menu == menus[m])
				keymap_emit(cfg, menu, &seen, b->keys.keys, b->keys.len, b,
				            b->function, each, ctx);
		}
		for (size_t i = 0; i < N_DEFAULTS; i++) {
			const struct keymap_default *d = &defaults[i];
			if (d->menu == menus[m] && d->function >= 0)
				keymap_emit(cfg, menu, &seen, d->keys, d->len, NULL,
				            d->function, each, ctx);
		}
	}
	keymap_seen_free(&seen);
}

char *ui_keymap_key_for(const struct config *cfg, enum config_menu menu,
                        int function)
{
	keymap_defaults_init();
	enum config_menu menus[2];
	size_t n_menus = keymap_menus(menu, menus);
	for (size_t m = 0; m < n_menus; m++) {
		size_t n = cfg != NULL ? config_binding_count(cfg) : 0;
		for (size_t i = 0; i < n; i++) {
			const struct config_binding *b = config_binding_get(cfg, i);
			if (b->menu == menus[m] && b->kind == CONFIG_BINDING_FUNCTION &&
			    b->function == function &&
			    ui_keymap_lookup(cfg, menu, b->keys.keys, b->keys.len, NULL) == function)
				return config_keyseq_format(&b->keys);
		}
		for (size_t i = 0; i < N_DEFAULTS; i++) {
			const struct keymap_default *d = &defaults[i];
			if (d->menu == menus[m] && d->function == function &&
			    ui_keymap_lookup(cfg, menu, d->keys, d->len, NULL) == function) {
				struct config_keyseq seq = {(int *)d->keys, d->len};
				return config_keyseq_format(&seq);
			}
		}
	}
	return NULL;
}
