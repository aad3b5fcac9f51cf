/*
 * pager_pane: a scrollable pane of text with the pager's keys — drawn
 * row by row in the colours of what each row is (headers, quoted levels,
 * signature, attachment markers), "+" on wrapped rows, "~" after the
 * end, search matches highlighted — and the plain text views built on
 * it (an attachment, a command's output, the help screen).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "mime/mime.h"
#include "ui/pager_private.h"
#include "ui/ui_private.h"
#include "util/i18n.h"

/* ---- layout ---- */

static void pane_layout(struct ui *ui, struct pager_pane *pane)
{
	const struct config *cfg = ui_config(ui);
	int width = pager_wrap_width(COLS, (int)config_get_number(cfg, CONFIG_VAR_WRAP));
	bool markers = config_get_bool(cfg, CONFIG_VAR_MARKERS);
	if (pane->layout_width == width && pane->layout_markers == markers)
		return;
	if (!pane->anchored && pane->layout.count > 0 && pane->top < pane->layout.count) {
		pane->anchor_line = pane->layout.rows[pane->top].line;
		pane->anchored = true;
	}
	struct pager_layout_options options = {
		.width = width,
		.markers = markers,
		.hide_quoted = pane->hide_quoted,
		.has_headers = pane->has_headers,
	};
	pager_text_layout(&pane->layout, pane->text != NULL ? pane->text : "", pane->len,
	                  &options);
	pane->layout_width = width;
	pane->layout_markers = markers;
	pane->top = 0;
	if (pane->anchored) {
		for (size_t i = 0; i < pane->layout.count; i++) {
			if (pane->layout.rows[i].line >= pane->anchor_line) {
				pane->top = i;
				break;
			}
		}
		pane->anchored = false;
	}
}

/* The layout must be redone (text, width or hiding changed). */
static void pane_invalidate(struct pager_pane *pane, bool keep_top)
{
	if (keep_top && pane->layout.count > 0 && pane->top < pane->layout.count) {
		pane->anchor_line = pane->layout.rows[pane->top].line;
		pane->anchored = true;
	} else {
		pane->anchored = false;
		pane->top = 0;
	}
	pane->layout_width = 0;
}

void pager_pane_set_text(struct pager_pane *pane, char *text, bool has_headers,
                         bool keep_top)
{
	pane_invalidate(pane, keep_top);
	free(pane->text);
	pane->text = text;
	pane->len = text != NULL ? strlen(text) : 0;
	pane->has_headers = has_headers;
}

void pager_pane_clear(struct pager_pane *pane)
{
	free(pane->text);
	free(pane->search);
	pager_text_clear(&pane->layout);
	memset(pane, 0, sizeof *pane);
}

static size_t pane_rows(const struct pager_pane *pane)
{
	if (pane->rows > 0)
		return (size_t)pane->rows;
	return LINES > 4 ? (size_t)(LINES - 3) : 1;
}

void pager_pane_position(struct ui *ui, struct pager_pane *pane, char out[16])
{
	pane_layout(ui, pane);
	pager_text_position(pane->top, pane_rows(pane), pane->layout.count, out);
}

/* ---- drawing ---- */

/* How many quoted levels have their own colour (mutt's cycle length). */
static unsigned quote_levels(const struct config *cfg)
{
	unsigned used = 1;
	for (unsigned n = 1; n <= 9; n++) {
		char object[24];
		snprintf(object, sizeof object, "quoted%u", n);
		if (config_color_find(cfg, object) != NULL)
			used = n + 1;
	}
	return used;
}

static int row_attr(struct ui *ui, const struct pager_row *row, unsigned levels)
{
	int body = ui_color("body") != 0 ? ui_color("body") : ui_color("normal");
	int attr;
	switch (row->kind) {
	case PAGER_ROW_HEADER:
		attr = ui_color("header");
		return attr != 0 ? attr : ui_color("hdrdefault");
	case PAGER_ROW_QUOTED: {
		unsigned level = pager_quote_color(row->depth, levels);
		char object[24];
		if (level == 0)
			snprintf(object, sizeof object, "quoted");
		else
			snprintf(object, sizeof object, "quoted%u", level);
		attr = ui_color(object);
		return attr != 0 ? attr : body;
	}
	case PAGER_ROW_SIGNATURE:
		attr = ui_color("signature");
		return attr != 0 ? attr : body;
	case PAGER_ROW_ATTACHMENT:
		attr = ui_color("attachment");
		return attr != 0 ? attr : body;
	case PAGER_ROW_BODY:
	default:
		(void)ui;
		return body;
	}
}

/* Draw text[start..end) at x in attr; returns the next column. */
static int draw_segment(int y, int x, char *text, size_t start, size_t end, int attr)
{
	if (end <= start || x >= COLS)
		return x;
	int width = (int)mime_display_width(text + start, end - start);
	if (width <= 0)
		return x;
	char saved = text[end];
	text[end] = '\0';
	ui_draw_text(y, x, text + start, width, attr);
	text[end] = saved;
	return x + width;
}

static void draw_row(struct ui *ui, struct pager_pane *pane, size_t i, int y,
                     unsigned levels)
{
	const struct pager_row *row = &pane->layout.rows[i];
	int attr = row_attr(ui, row, levels);
	int x = 0;
	if (row->continuation && pane->layout_markers && pane->layout_width > 1) {
		int marker = ui_color("markers");
		ui_draw_text(y, 0, "+", 1, marker != 0 ? marker : attr);
		x = 1;
	}
	size_t len;
	const char *bytes = pager_text_row(&pane->layout, i, &len);
	char *text = xstrndup(bytes, len);
	size_t pos = 0;
	if (pane->highlight && pane->search != NULL) {
		int search = ui_color("search") != 0 ? ui_color("search") : (int)A_REVERSE;
		size_t start, match_len;
		while (pos < len &&
		       pager_text_match(text, len, pane->search, pos, &start, &match_len)) {
			x = draw_segment(y, x, text, pos, start, attr);
			x = draw_segment(y, x, text, start, start + match_len, search);
			pos = start + match_len;
		}
	}
	if (x < COLS)
		ui_draw_text(y, x, text + pos, COLS - x, attr);
	free(text);
}

void pager_pane_draw(struct ui *ui, struct pager_pane *pane, int top, int rows)
{
	pane_layout(ui, pane);
	pane->rows = rows;
	size_t count = pane->layout.count;
	if (pane->top >= count)
		pane->top = count > 0 ? count - 1 : 0;
	const struct config *cfg = ui_config(ui);
	unsigned levels = quote_levels(cfg);
	bool tilde = config_get_bool(cfg, CONFIG_VAR_TILDE);
	int tilde_attr = ui_color("tilde");
	for (int r = 0; r < rows; r++) {
		size_t i = pane->top + (size_t)r;
		if (i < count)
			draw_row(ui, pane, i, top + r, levels);
		else if (tilde)
			ui_draw_text(top + r, 0, "~", COLS, tilde_attr);
	}
}

/* ---- scrolling and searching ---- */

static void search_run(struct ui *ui, struct pager_pane *pane, bool backward)
{
	if (pane->search == NULL) {
		ui_error(ui, _("No search pattern."));
		return;
	}
	bool wrapped;
	long found = pager_text_search(&pane->layout, pane->search, pane->top, backward, &wrapped);
	pane->highlight = true;
	if (found < 0) {
		ui_error(ui, _("Not found."));
		return;
	}
	pane->top = (size_t)found;
	if (wrapped)
		ui_message(ui, "%s", backward ? _("Search wrapped to bottom.")
		                              : _("Search wrapped to top."));
}

static void search_ask(struct ui *ui, struct pager_pane *pane, bool backward)
{
	char *pattern = ui_prompt(ui, backward ? _("Reverse search for: ") : _("Search for: "),
	                          NULL, false);
	if (pattern == NULL)
		return;
	if (pattern[0] != '\0') {
		free(pane->search);
		pane->search = pattern;
	} else {
		free(pattern);
	}
	pane->search_backward = backward;
	search_run(ui, pane, backward);
}

static void skip_quoted(struct ui *ui, struct pager_pane *pane)
{
	enum pager_skip_result why;
	long top = pager_text_skip_quoted(&pane->layout, pane->top, &why);
	if (top >= 0)
		pane->top = (size_t)top;
	else if (why == PAGER_SKIP_NO_QUOTED)
		ui_error(ui, _("No more quoted text."));
	else
		ui_error(ui, _("No more unquoted text after quoted text."));
}

static bool name_in(const char *name, const char *const *names)
{
	for (size_t i = 0; names[i] != NULL; i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	return false;
}

enum pager_pane_result pager_pane_function(struct ui *ui, struct pager_pane *pane,
                                           const char *name, bool entry_moves)
{
	static const char *const down_entries[] = {
		"next-entry", "next-undeleted", "next-unread", "next-new",
		"next-new-then-unread", NULL,
	};
	static const char *const up_entries[] = {
		"previous-entry", "previous-undeleted", "previous-unread", "previous-new",
		"previous-new-then-unread", NULL,
	};
	pane_layout(ui, pane);
	size_t count = pane->layout.count;
	size_t rows = pane_rows(pane);
	size_t context = (size_t)config_get_number(ui_config(ui), CONFIG_VAR_PAGER_CONTEXT);
	size_t page = rows > context + 1 ? rows - context : 1;
	bool at_end = pane->top + rows >= count;
	const char *bottom_shown = _("Bottom of message is shown.");
	const char *top_shown = _("Top of message is shown.");

	if (strcmp(name, "next-line") == 0 || (entry_moves && name_in(name, down_entries))) {
		if (at_end)
			ui_error(ui, "%s", bottom_shown);
		else
			pane->top++;
	} else if (strcmp(name, "previous-line") == 0 ||
	           (entry_moves && name_in(name, up_entries))) {
		if (pane->top == 0)
			ui_error(ui, "%s", top_shown);
		else
			pane->top--;
	} else if (strcmp(name, "next-page") == 0) {
		if (at_end)
			return PAGER_PANE_AT_END;
		pane->top += page;
	} else if (strcmp(name, "previous-page") == 0) {
		if (pane->top == 0)
			ui_error(ui, "%s", top_shown);
		else
			pane->top = pane->top > page ? pane->top - page : 0;
	} else if (strcmp(name, "half-down") == 0) {
		if (at_end)
			ui_error(ui, "%s", bottom_shown);
		else
			pane->top += rows / 2 > 0 ? rows / 2 : 1;
	} else if (strcmp(name, "half-up") == 0) {
		if (pane->top == 0)
			ui_error(ui, "%s", top_shown);
		else
			pane->top = pane->top > rows / 2 ? pane->top - rows / 2 : 0;
	} else if (strcmp(name, "top") == 0 || (entry_moves && strcmp(name, "first-entry") == 0)) {
		if (pane->top == 0)
			ui_error(ui, "%s", top_shown);
		pane->top = 0;
	} else if (strcmp(name, "bottom") == 0 || (entry_moves && strcmp(name, "last-entry") == 0)) {
		if (at_end)
			ui_error(ui, "%s", bottom_shown);
		else
			pane->top = count > rows ? count - rows : 0;
	} else if (strcmp(name, "search") == 0) {
		search_ask(ui, pane, false);
	} else if (strcmp(name, "search-reverse") == 0) {
		search_ask(ui, pane, true);
	} else if (strcmp(name, "search-next") == 0) {
		if (pane->search == NULL)
			search_ask(ui, pane, false);
		else
			search_run(ui, pane, pane->search_backward);
	} else if (strcmp(name, "search-opposite") == 0) {
		if (pane->search == NULL)
			search_ask(ui, pane, true);
		else
			search_run(ui, pane, !pane->search_backward);
	} else if (strcmp(name, "search-toggle") == 0) {
		pane->highlight = !pane->highlight;
	} else if (strcmp(name, "toggle-quoted") == 0) {
		pane->hide_quoted = !pane->hide_quoted;
		pane_invalidate(pane, true);
	} else if (strcmp(name, "skip-quoted") == 0) {
		skip_quoted(ui, pane);
	} else {
		return PAGER_PANE_NOT_HANDLED;
	}
	ui_redraw(ui);
	return PAGER_PANE_HANDLED;
}

/* ---- status and help lines ---- */

char *pager_status_line(const char *what, const char *position, int width)
{
	char *safe = mime_safe_text(what, strlen(what), MIME_SAFE_LINE);
	char *left = xasprintf("-- Rowan: %s", safe);
	char *line = pager_status_format(left, position, width);
	free(left);
	free(safe);
	return line;
}

char *pager_help_line(struct ui *ui, enum config_menu menu, bool message)
{
	static const char *const message_functions[] = {
		"exit", "previous-page", "next-page", "view-attachments",
		"delete-message", "next-undeleted", "help",
	};
	/* L10N: labels of the pager's help line, as short as mutt's */
	static const char *const message_labels[] = {
		N_("Exit"), N_("PrevPg"), N_("NextPg"), N_("View Attachm."),
		N_("Del"), N_("Next"), N_("Help"),
	};
	static const char *const text_functions[] = {
		"exit", "previous-page", "next-page", "search", "help",
	};
	/* L10N: labels of the help line of a text view */
	static const char *const text_labels[] = {
		N_("Exit"), N_("PrevPg"), N_("NextPg"), N_("Search"), N_("Help"),
	};
	if (message)
		return ui_help_line_build(ui, menu, message_functions, message_labels,
		                          sizeof message_functions / sizeof message_functions[0]);
	return ui_help_line_build(ui, menu, text_functions, text_labels,
	                          sizeof text_functions / sizeof text_functions[0]);
}

/* ---- the text view ---- */

struct text_view {
	struct ui_view view;
	struct pager_pane pane;
	char *title;
	bool is_help;
};

static void text_view_draw(struct ui *ui, struct ui_view *view, int top, int rows)
{
	struct text_view *tv = view->data;
	pager_pane_draw(ui, &tv->pane, top, rows);
}

static bool text_view_function(struct ui *ui, struct ui_view *view, int function)
{
	struct text_view *tv = view->data;
	const char *name = config_function_name(function);
	if (tv->is_help && strcmp(name, "help") == 0) {
		ui_error(ui, _("Help is currently being shown."));
		return true;
	}
	switch (pager_pane_function(ui, &tv->pane, name, true)) {
	case PAGER_PANE_AT_END:
		ui_error(ui, _("Bottom of message is shown."));
		return true;
	case PAGER_PANE_HANDLED:
		return true;
	case PAGER_PANE_NOT_HANDLED:
	default:
		return false;
	}
}

static char *text_view_status(struct ui *ui, struct ui_view *view, int width)
{
	struct text_view *tv = view->data;
	char position[16];
	pager_pane_position(ui, &tv->pane, position);
	return pager_status_line(tv->title, position, width);
}

static char *text_view_help_line(struct ui *ui, struct ui_view *view)
{
	return pager_help_line(ui, view->menu, false);
}

static void text_view_destroy(struct ui_view *view)
{
	struct text_view *tv = view->data;
	pager_pane_clear(&tv->pane);
	free(tv->title);
	free(tv);
}

static const struct ui_view_ops text_view_ops = {
	.draw = text_view_draw,
	.function = text_view_function,
	.event = NULL,
	.status = text_view_status,
	.help_line = text_view_help_line,
	.destroy = text_view_destroy,
};

struct ui_view *pager_text_view_new(struct ui *ui, const char *title, char *text,
                                    bool is_help)
{
	(void)ui;
	struct text_view *tv = xcalloc(1, sizeof *tv);
	tv->view.ops = &text_view_ops;
	tv->view.menu = CONFIG_MENU_PAGER;
	tv->view.data = tv;
	tv->title = xstrdup(title);
	tv->view.title = tv->title;
	tv->is_help = is_help;
	char *safe = mime_safe_text(text != NULL ? text : "", text != NULL ? strlen(text) : 0,
	                            MIME_SAFE_TEXT);
	free(text);
	pager_pane_set_text(&tv->pane, safe, false, false);
	return &tv->view;
}
