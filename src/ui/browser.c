/*
 * browser: the folders of the account as a tree (indented by the
 * hierarchy delimiter) with their unread and total counts; Enter opens
 * one in the index.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mime/mime.h"
#include "ui/ui_private.h"

struct browser_entry {
	char *name;       /* for requests */
	char *display;    /* decoded UTF-8 (made safe when drawn) */
	char delimiter;
	unsigned flags;
	long total;
	long unseen;
};

struct browser_state {
	struct browser_entry *entries;
	size_t count;
	size_t cursor;
	size_t top;
	int rows;
	uint64_t request;
	bool loading;
};

static void entries_free(struct browser_state *st)
{
	for (size_t i = 0; i < st->count; i++) {
		free(st->entries[i].name);
		free(st->entries[i].display);
	}
	free(st->entries);
	st->entries = NULL;
	st->count = 0;
}

/* INBOX first, then by name, so that children follow their parent. */
static int entry_compare(const void *a, const void *b)
{
	const struct browser_entry *x = a, *y = b;
	bool x_inbox = strcmp(x->name, "INBOX") == 0;
	bool y_inbox = strcmp(y->name, "INBOX") == 0;
	if (x_inbox != y_inbox)
		return x_inbox ? -1 : 1;
	/* Compare with the delimiter sorting first, so "a/b" comes right
	 * after "a" and before "a b". */
	const unsigned char *p = (const unsigned char *)x->name;
	const unsigned char *q = (const unsigned char *)y->name;
	while (*p != '\0' && *p == *q) {
		p++;
		q++;
	}
	int cp = *p == (unsigned char)x->delimiter && *p != '\0' ? 1 : *p + 1;
	int cq = *q == (unsigned char)y->delimiter && *q != '\0' ? 1 : *q + 1;
	if (*p == '\0')
		cp = 0;
	if (*q == '\0')
		cq = 0;
	return cp - cq;
}

static void browser_take_folders(struct ui *ui, struct browser_state *st,
                                 struct account_event *event)
{
	entries_free(st);
	st->entries = xcalloc(event->folder_count > 0 ? event->folder_count : 1,
	                      sizeof(*st->entries));
	for (size_t i = 0; i < event->folder_count; i++) {
		struct account_folder *f = &event->folders[i];
		struct browser_entry *e = &st->entries[st->count++];
		e->name = f->name != NULL ? f->name : xstrdup("");
		e->display = f->display != NULL ? f->display : xstrdup(e->name);
		f->name = f->display = NULL;   /* ours now */
		e->delimiter = f->delimiter;
		e->flags = f->flags;
		e->total = f->total;
		e->unseen = f->unseen;
	}
	qsort(st->entries, st->count, sizeof(*st->entries), entry_compare);
	st->cursor = 0;
	const char *open = ui->folder_name;
	for (size_t i = 0; open != NULL && i < st->count; i++)
		if (strcmp(st->entries[i].name, open) == 0)
			st->cursor = i;
	st->loading = false;
}

static void browser_event(struct ui *ui, struct ui_view *view, struct account_event *event)
{
	struct browser_state *st = view->data;
	if (event->kind == ACCOUNT_EVENT_FOLDERS &&
	    (event->request_id == st->request || event->request_id == 0)) {
		browser_take_folders(ui, st, event);
	} else if (event->kind == ACCOUNT_EVENT_FOLDER_COUNTS && event->folder_count > 0) {
		const struct account_folder *f = &event->folders[0];
		for (size_t i = 0; f->name != NULL && i < st->count; i++) {
			if (strcmp(st->entries[i].name, f->name) == 0) {
				st->entries[i].total = f->total;
				st->entries[i].unseen = f->unseen;
			}
		}
	} else if ((event->kind == ACCOUNT_EVENT_ERROR || event->kind == ACCOUNT_EVENT_DONE) &&
	           event->request_id == st->request) {
		st->loading = false;
	}
}

/* The depth of a folder and the last part of its name. */
static int entry_depth(const struct browser_entry *e, const char **leaf)
{
	int depth = 0;
	*leaf = e->display;
	if (e->delimiter == '\0')
		return 0;
	for (const char *p = e->display; *p != '\0'; p++) {
		if (*p == e->delimiter && p[1] != '\0') {
			depth++;
			*leaf = p + 1;
		}
	}
	return depth;
}

static void browser_scroll(struct browser_state *st, int rows)
{
	size_t page = rows > 0 ? (size_t)rows : 1;
	if (st->cursor < st->top)
		st->top -= page * ((st->top - st->cursor + page - 1) / page);
	else if (st->cursor >= st->top + page)
		st->top += page * ((st->cursor - st->top) / page);
}

static void browser_draw(struct ui *ui, struct ui_view *view, int top, int rows)
{
	(void)ui;
	struct browser_state *st = view->data;
	st->rows = rows;
	browser_scroll(st, rows);
	int cols = ui_screen_cols();
	int normal = ui_color("normal");
	int indicator = ui_color("indicator");
	if (st->count == 0) {
		ui_draw_text(top, 0, st->loading ? _("Listing folders…") : _("No folders."), cols,
		             normal);
		return;
	}
	for (int i = 0; i < rows; i++) {
		size_t pos = st->top + (size_t)i;
		if (pos >= st->count)
			break;
		const struct browser_entry *e = &st->entries[pos];
		const char *leaf;
		int depth = entry_depth(e, &leaf);
		char counts[64] = "";
		if (!(e->flags & ACCOUNT_FOLDER_NOSELECT)) {
			char unseen[32] = "", total[32] = "";
			if (e->unseen > 0)
				/* L10N: unread messages in the folder browser */
				snprintf(unseen, sizeof unseen, _("%ld new"), e->unseen);
			if (e->total >= 0)
				snprintf(total, sizeof total, "%ld", e->total);
			snprintf(counts, sizeof counts, "%9s %8s", unseen, total);
		}
		int counts_width = (int)strlen(counts);
		int name_width = cols - counts_width - 1;
		int attr = pos == st->cursor ? indicator : normal;
		char *line = xasprintf("%*s%s", depth * 2, "", leaf);
		if (name_width > 0) {
			ui_draw_text(top + i, 0, line, name_width, attr);
			ui_draw_text(top + i, name_width, " ", 1, attr);
			ui_draw_text(top + i, name_width + 1, counts, counts_width, attr);
		} else {
			ui_draw_text(top + i, 0, line, cols, attr);
		}
		free(line);
	}
}

static void browser_select(struct ui *ui, struct browser_state *st)
{
	if (st->count == 0) {
		ui_error(ui, _("No folders."));
		return;
	}
	const struct browser_entry *e = &st->entries[st->cursor];
	if (e->flags & ACCOUNT_FOLDER_NOSELECT) {
		ui_error(ui, _("%s holds no messages, only other folders."), e->display);
		return;
	}
	/* Opening pops every view above the index, this one too: copy the
	 * names first. */
	char *name = xstrdup(e->name);
	char *display = xstrdup(e->display);
	ui_open_folder_named(ui, name, display);
	free(name);
	free(display);
}

static void browser_set(struct ui *ui, struct browser_state *st, long pos)
{
	if (st->count == 0)
		return;
	if (pos < 0)
		pos = 0;
	if ((size_t)pos >= st->count)
		pos = (long)st->count - 1;
	st->cursor = (size_t)pos;
	ui->dirty = true;
}

static void browser_list(struct ui *ui, struct browser_state *st)
{
	st->request = ui_request(ui, account_request_new(ACCOUNT_REQUEST_LIST_FOLDERS));
	st->loading = true;
}

static bool browser_function(struct ui *ui, struct ui_view *view, int function)
{
	struct browser_state *st = view->data;
	const char *name = config_function_name(function);
	long rows = st->rows > 0 ? st->rows : 1;
	long cursor = (long)st->cursor;
	if (strcmp(name, "next-entry") == 0) {
		if (st->cursor + 1 < st->count)
			browser_set(ui, st, cursor + 1);
		else
			ui_error(ui, _("You are on the last entry."));
	} else if (strcmp(name, "previous-entry") == 0) {
		if (st->cursor > 0)
			browser_set(ui, st, cursor - 1);
		else
			ui_error(ui, _("You are on the first entry."));
	} else if (strcmp(name, "next-page") == 0) {
		browser_set(ui, st, cursor + rows);
	} else if (strcmp(name, "previous-page") == 0) {
		browser_set(ui, st, cursor - rows);
	} else if (strcmp(name, "half-down") == 0) {
		browser_set(ui, st, cursor + rows / 2);
	} else if (strcmp(name, "half-up") == 0) {
		browser_set(ui, st, cursor - rows / 2);
	} else if (strcmp(name, "first-entry") == 0) {
		browser_set(ui, st, 0);
	} else if (strcmp(name, "last-entry") == 0) {
		browser_set(ui, st, (long)st->count - 1);
	} else if (strcmp(name, "top-page") == 0) {
		browser_set(ui, st, (long)st->top);
	} else if (strcmp(name, "bottom-page") == 0) {
		browser_set(ui, st, (long)st->top + rows - 1);
	} else if (strcmp(name, "middle-page") == 0) {
		browser_set(ui, st, (long)st->top + rows / 2);
	} else if (strcmp(name, "select-entry") == 0 || strcmp(name, "descend-directory") == 0) {
		browser_select(ui, st);
	} else if (strcmp(name, "check-new") == 0) {
		browser_list(ui, st);
	} else {
		return false;
	}
	return true;
}

static char *browser_status(struct ui *ui, struct ui_view *view, int width)
{
	struct browser_state *st = view->data;
	const char *account = ui->account != NULL ? account_name(ui->account) : "";
	char *text;
	if (st->loading)
		text = xasprintf(_("-- Rowan: Folders [%s] (listing…) "), account);
	else
		text = xasprintf(ngettext("-- Rowan: Folders [%s] (%zu folder) ",
		                          "-- Rowan: Folders [%s] (%zu folders) ", st->count),
		                 account, st->count);
	char *safe = mime_safe_text(text, strlen(text), MIME_SAFE_LINE);
	free(text);
	struct buf line;
	buf_init(&line);
	buf_add_str(&line, safe);
	for (int w = (int)mime_display_width(safe, strlen(safe)); w < width; w++)
		buf_add_char(&line, '-');
	free(safe);
	return buf_steal(&line);
}

static char *browser_help_line(struct ui *ui, struct ui_view *view)
{
	(void)view;
	static const char *const functions[] = {"exit", "select-entry", "help"};
	static const char *const labels[] = {N_("Exit"), N_("Open"), N_("Help")};
	return ui_help_line_build(ui, CONFIG_MENU_BROWSER, functions, labels, 3);
}

static void browser_destroy(struct ui_view *view)
{
	struct browser_state *st = view->data;
	entries_free(st);
	free(st);
	free(view);
}

static const struct ui_view_ops browser_ops = {
	.draw = browser_draw,
	.function = browser_function,
	.event = browser_event,
	.status = browser_status,
	.help_line = browser_help_line,
	.destroy = browser_destroy,
};

struct ui_view *ui_browser_new(struct ui *ui)
{
	struct ui_view *view = xcalloc(1, sizeof(*view));
	struct browser_state *st = xcalloc(1, sizeof(*st));
	view->ops = &browser_ops;
	view->menu = CONFIG_MENU_BROWSER;
	view->title = _("Folders");
	view->data = st;
	browser_list(ui, st);
	return view;
}
