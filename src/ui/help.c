/*
 * help: the help screen of a menu, as mutt shows it — the menu's own
 * bindings, then the generic ones it falls back to, then the functions
 * that no key runs — "key  function  description", in a text view with
 * the pager's keys.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "mime/mime.h"
#include "ui/pager_private.h"
#include "util/i18n.h"

#define KEY_COLUMN 12
#define FUNCTION_COLUMN 24

struct help_binding {
	char *keys;
	char *function;        /* NULL for a macro */
	char *description;     /* may be NULL */
};

struct help_list {
	struct help_binding *items;
	size_t count;
};

static void help_collect(const char *keys, const char *function, const char *description,
                         void *ctx)
{
	struct help_list *list = ctx;
	list->items = xrealloc(list->items, (list->count + 1) * sizeof *list->items);
	struct help_binding *b = &list->items[list->count++];
	b->keys = xstrdup(keys);
	b->function = function != NULL ? xstrdup(function) : NULL;
	b->description = description != NULL ? xstrdup(description) : NULL;
}

static void help_list_free(struct help_list *list)
{
	for (size_t i = 0; i < list->count; i++) {
		free(list->items[i].keys);
		free(list->items[i].function);
		free(list->items[i].description);
	}
	free(list->items);
	list->items = NULL;
	list->count = 0;
}

static bool help_list_has(const struct help_list *list, const struct help_binding *b)
{
	for (size_t i = 0; i < list->count; i++) {
		const struct help_binding *o = &list->items[i];
		if (strcmp(o->keys, b->keys) == 0 && o->function != NULL && b->function != NULL &&
		    strcmp(o->function, b->function) == 0)
			return true;
	}
	return false;
}

static bool help_function_bound(const struct help_list *list, const char *function)
{
	for (size_t i = 0; i < list->count; i++)
		if (list->items[i].function != NULL && strcmp(list->items[i].function, function) == 0)
			return true;
	return false;
}

/* text, then blanks up to column (at least one). */
static void add_padded(struct buf *out, const char *text, size_t column)
{
	buf_add_str(out, text);
	size_t width = mime_display_width(text, strlen(text));
	do
		buf_add_char(out, ' ');
	while (++width < column);
}

static void help_line_add(struct buf *out, const char *keys, const char *function,
                          const char *description)
{
	if (keys != NULL)
		add_padded(out, keys, KEY_COLUMN);
	add_padded(out, function, FUNCTION_COLUMN);
	buf_add_str(out, description != NULL ? description : "");
	/* no trailing blanks */
	while (out->len > 0 && out->data[out->len - 1] == ' ')
		out->data[--out->len] = '\0';
	buf_add_char(out, '\n');
}

/*
 * The help text of menu (newly allocated): exposed for the view below.
 */
static char *help_text(const struct config *cfg, enum config_menu menu)
{
	struct help_list all = {NULL, 0}, generic = {NULL, 0};
	ui_keymap_each(cfg, menu, help_collect, &all);
	if (menu != CONFIG_MENU_GENERIC)
		ui_keymap_each(cfg, CONFIG_MENU_GENERIC, help_collect, &generic);

	struct buf out;
	buf_init(&out);
	buf_add_str(&out, "");
	/* L10N: the function column of a macro on the help screen */
	const char *macro = _("macro");
	for (size_t i = 0; i < all.count; i++) {
		const struct help_binding *b = &all.items[i];
		if (!help_list_has(&generic, b))
			help_line_add(&out, b->keys, b->function != NULL ? b->function : macro,
			              b->description);
	}
	bool header = false;
	for (size_t i = 0; i < all.count; i++) {
		const struct help_binding *b = &all.items[i];
		if (!help_list_has(&generic, b))
			continue;
		if (!header) {
			buf_printf(&out, "\n%s\n\n", _("Generic bindings:"));
			header = true;
		}
		help_line_add(&out, b->keys, b->function, b->description);
	}
	header = false;
	size_t n = config_function_count();
	for (size_t f = 0; f < n; f++) {
		const char *name = config_function_name((int)f);
		const char *description = ui_function_description((int)f);
		if (!config_function_in_menu((int)f, menu) || description == NULL ||
		    strcmp(name, "noop") == 0 || help_function_bound(&all, name))
			continue;
		if (!header) {
			buf_printf(&out, "\n%s\n\n", _("Unbound functions:"));
			header = true;
		}
		help_line_add(&out, NULL, name, description);
	}
	help_list_free(&all);
	help_list_free(&generic);
	return buf_steal(&out);
}

struct ui_view *ui_help_new(struct ui *ui, enum config_menu menu)
{
	char *text = help_text(ui_config(ui), menu);
	/* L10N: the status line of the help screen: "Help for pager" */
	char *title = xasprintf(_("Help for %s"), config_menu_name(menu));
	struct ui_view *view = pager_text_view_new(ui, title, text, true);
	free(title);
	return view;
}
