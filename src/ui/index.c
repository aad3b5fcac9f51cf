/*
 * index: the message index of the open folder — one line per message
 * (index_format), formatted only for the rows on screen; the cursor
 * follows its message while batches arrive; movement, flags, search and
 * saving as in mutt.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ui/ui_private.h"

struct index_state {
	size_t cursor;          /* display position */
	size_t top;             /* first position on screen */
	uint32_t cursor_uid;
	bool have_uid;
	bool user_moved;        /* the user moved: loading leaves the cursor */
	unsigned long generation;
	uint64_t serial;
	int rows;               /* rows at the last draw */
	char *search;
	bool search_backward;
};

static struct index_state *index_state(struct ui *ui)
{
	return ui->index != NULL ? ui->index->data : NULL;
}

/* Where the cursor starts: the first unseen message, else the last. */
static void index_place_start(struct ui *ui, struct index_state *st)
{
	size_t count = folder_count(ui->folder);
	if (count == 0) {
		st->have_uid = false;
		st->cursor = 0;
		return;
	}
	long pos = folder_next_unseen(ui->folder, count - 1, false);
	st->cursor = pos >= 0 ? (size_t)pos : count - 1;
	st->cursor_uid = envelope_uid(folder_get(ui->folder, st->cursor));
	st->have_uid = true;
}

/* Bring the cursor back to its message after the folder changed. */
static void index_sync(struct ui *ui, struct index_state *st)
{
	if (st->serial != ui->folder_serial) {
		st->serial = ui->folder_serial;
		st->cursor = st->top = 0;
		st->have_uid = false;
		st->user_moved = false;
		st->generation = ui->folder_generation - 1;
	}
	if (st->generation == ui->folder_generation)
		return;
	st->generation = ui->folder_generation;
	size_t count = folder_count(ui->folder);
	if (count == 0) {
		st->cursor = st->top = 0;
		st->have_uid = false;
		return;
	}
	if (!st->have_uid) {
		index_place_start(ui, st);
		return;
	}
	long pos = folder_position(ui->folder, st->cursor_uid);
	if (pos >= 0) {
		st->cursor = (size_t)pos;
	} else {
		/* Its message is gone: stay on the same row. */
		if (st->cursor >= count)
			st->cursor = count - 1;
		st->cursor_uid = envelope_uid(folder_get(ui->folder, st->cursor));
	}
}

static void index_set_cursor(struct ui *ui, struct index_state *st, size_t pos)
{
	size_t count = folder_count(ui->folder);
	if (count == 0)
		return;
	if (pos >= count)
		pos = count - 1;
	st->cursor = pos;
	st->cursor_uid = envelope_uid(folder_get(ui->folder, pos));
	st->have_uid = true;
	st->user_moved = true;
	ui->dirty = true;
}

void ui_index_reset(struct ui *ui)
{
	struct index_state *st = index_state(ui);
	if (st == NULL)
		return;
	st->serial = ui->folder_serial - 1;
	index_sync(ui, st);
}

void ui_index_select(struct ui *ui, uint32_t uid)
{
	struct index_state *st = index_state(ui);
	if (st == NULL)
		return;
	index_sync(ui, st);
	long pos = folder_position(ui->folder, uid);
	if (pos >= 0)
		index_set_cursor(ui, st, (size_t)pos);
}

bool ui_index_current(struct ui *ui, uint32_t *uid)
{
	struct index_state *st = index_state(ui);
	if (st == NULL)
		return false;
	index_sync(ui, st);
	if (folder_count(ui->folder) == 0 || !st->have_uid)
		return false;
	*uid = st->cursor_uid;
	return true;
}

/* ---- drawing ---- */

/* mutt's paging: the page moves by whole pages to keep the cursor on it. */
static void index_scroll(struct index_state *st, int rows)
{
	size_t page = rows > 0 ? (size_t)rows : 1;
	if (st->cursor < st->top)
		st->top -= page * ((st->top - st->cursor + page - 1) / page);
	else if (st->cursor >= st->top + page)
		st->top += page * ((st->cursor - st->top) / page);
}

static void format_context(struct ui *ui, struct folder_format_context *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->date_format = config_get_string(ui->cfg, CONFIG_VAR_DATE_FORMAT);
	ctx->folder_name = ui_folder_name(ui);
	ctx->account_name = ui->account != NULL ? account_name(ui->account) : "";
	ctx->msg_count = folder_count(ui->folder);
	ctx->progress = "";
	ctx->read_only = ui->folder_read_only;
}

static void index_draw(struct ui *ui, struct ui_view *view, int top, int rows)
{
	struct index_state *st = view->data;
	index_sync(ui, st);
	st->rows = rows;
	index_scroll(st, rows);
	size_t count = folder_count(ui->folder);
	struct folder_format_context ctx;
	format_context(ui, &ctx);
	const char *format = config_get_string(ui->cfg, CONFIG_VAR_INDEX_FORMAT);
	int normal = ui_color("index");
	int indicator = ui_color("indicator");
	for (int i = 0; i < rows; i++) {
		size_t pos = st->top + (size_t)i;
		if (pos >= count)
			break;
		char *line = folder_format_index(format, folder_get(ui->folder, pos), pos + 1,
		                                 &ctx, ui_screen_cols());
		ui_draw_text(top + i, 0, line, ui_screen_cols(), pos == st->cursor ? indicator : normal);
		free(line);
	}
}

/* ---- moving ---- */

static bool is_deleted(struct ui *ui, size_t pos)
{
	return (envelope_flags(folder_get(ui->folder, pos)) & ENVELOPE_DELETED) != 0;
}

/* The next (or previous) message that is not deleted, or -1. */
static long next_undeleted(struct ui *ui, size_t pos, bool backward)
{
	size_t count = folder_count(ui->folder);
	if (backward) {
		while (pos > 0) {
			pos--;
			if (!is_deleted(ui, pos))
				return (long)pos;
		}
		return -1;
	}
	for (pos++; pos < count; pos++)
		if (!is_deleted(ui, pos))
			return (long)pos;
	return -1;
}

/* mutt's $resolve: after changing a message, go on to the next one. */
static void index_resolve(struct ui *ui, struct index_state *st)
{
	long pos = next_undeleted(ui, st->cursor, false);
	if (pos >= 0)
		index_set_cursor(ui, st, (size_t)pos);
}

static size_t page_rows(struct index_state *st)
{
	return st->rows > 0 ? (size_t)st->rows : 1;
}

static void move_page(struct ui *ui, struct index_state *st, bool down, size_t amount)
{
	size_t count = folder_count(ui->folder);
	if (down) {
		if (st->top + amount < count) {
			st->top += amount;
			index_set_cursor(ui, st, st->cursor + amount < count ? st->cursor + amount : count - 1);
			if (st->cursor < st->top)
				index_set_cursor(ui, st, st->top);
		} else if (st->cursor != count - 1) {
			index_set_cursor(ui, st, count - 1);
		} else {
			ui_error(ui, _("You are on the last page."));
		}
	} else {
		if (st->top > 0) {
			st->top = st->top > amount ? st->top - amount : 0;
			index_set_cursor(ui, st, st->cursor > amount ? st->cursor - amount : 0);
		} else if (st->cursor != 0) {
			index_set_cursor(ui, st, 0);
		} else {
			ui_error(ui, _("You are on the first page."));
		}
	}
}

static void move_line(struct ui *ui, struct index_state *st, bool down)
{
	size_t count = folder_count(ui->folder);
	size_t rows = page_rows(st);
	if (down) {
		if (st->top + rows >= count) {
			ui_error(ui, _("You cannot scroll down farther."));
			return;
		}
		st->top++;
		if (st->cursor < st->top)
			index_set_cursor(ui, st, st->top);
	} else {
		if (st->top == 0) {
			ui_error(ui, _("You cannot scroll up farther."));
			return;
		}
		st->top--;
		if (st->cursor >= st->top + rows)
			index_set_cursor(ui, st, st->top + rows - 1);
	}
	ui->dirty = true;
}

static void jump(struct ui *ui, struct index_state *st)
{
	char initial[8] = "";
	int key = ui_last_key(ui);
	if (key >= '1' && key <= '9') {
		initial[0] = (char)key;
		initial[1] = '\0';
	}
	char *answer = ui_prompt(ui, _("Jump to message: "), initial, false);
	if (answer == NULL || answer[0] == '\0') {
		free(answer);
		return;
	}
	char *end;
	unsigned long n = strtoul(answer, &end, 10);
	if (*end != '\0' || n < 1 || n > folder_count(ui->folder))
		ui_error(ui, _("Invalid message number."));
	else
		index_set_cursor(ui, st, n - 1);
	free(answer);
}

/* ---- search in the lines as shown ---- */

static bool line_matches(struct ui *ui, size_t pos, const char *needle,
                         const struct folder_format_context *ctx, const char *format)
{
	char *line = folder_format_index(format, folder_get(ui->folder, pos), pos + 1, ctx,
	                                 ui_screen_cols());
	bool found = ui_text_contains(line, needle);
	free(line);
	return found;
}

static void search_run(struct ui *ui, struct index_state *st, bool backward)
{
	size_t count = folder_count(ui->folder);
	if (st->search == NULL || st->search[0] == '\0') {
		ui_error(ui, _("No search pattern."));
		return;
	}
	if (count == 0) {
		ui_error(ui, _("No messages."));
		return;
	}
	const char *needle = st->search;
	struct folder_format_context ctx;
	format_context(ui, &ctx);
	const char *format = config_get_string(ui->cfg, CONFIG_VAR_INDEX_FORMAT);
	size_t pos = st->cursor;
	bool wrapped = false;
	bool found = false;
	for (size_t step = 0; step < count; step++) {
		if (backward) {
			if (pos == 0) {
				pos = count - 1;
				wrapped = true;
			} else {
				pos--;
			}
		} else {
			if (pos + 1 >= count) {
				pos = 0;
				wrapped = true;
			} else {
				pos++;
			}
		}
		if (line_matches(ui, pos, needle, &ctx, format)) {
			found = true;
			break;
		}
	}
	if (!found) {
		ui_error(ui, _("Not found."));
		return;
	}
	index_set_cursor(ui, st, pos);
	if (wrapped)
		ui_message(ui, backward ? _("Search wrapped to bottom.") : _("Search wrapped to top."));
}

static void search_ask(struct ui *ui, struct index_state *st, bool backward)
{
	char *pattern = ui_prompt(ui, backward ? _("Reverse search for: ") : _("Search for: "),
	                          NULL, false);
	if (pattern == NULL)
		return;
	if (pattern[0] != '\0') {
		free(st->search);
		st->search = pattern;
		st->search_backward = backward;
	} else {
		free(pattern);
	}
	search_run(ui, st, st->search_backward);
}

/* ---- flags, saving ---- */

static void flag_prompt(struct ui *ui, struct index_state *st, bool set)
{
	int key = ui_getkey_prompt(ui, set ? _("Set flag: ") : _("Clear flag: "));
	unsigned flag;
	bool invert = false;
	switch (key) {
	case 'd': case 'D': flag = ENVELOPE_DELETED; break;
	case 'n': case 'N': flag = ENVELOPE_SEEN; invert = true; break;
	case 'o': case 'O': flag = ENVELOPE_SEEN; break;
	case 'r': case 'R': flag = ENVELOPE_ANSWERED; break;
	case '!': case 'f': case 'F': flag = ENVELOPE_FLAGGED; break;
	case -1: return;
	default:
		ui_error(ui, _("Unknown flag; use d (deleted), N (new), O (old), r (replied) or ! (flagged)."));
		return;
	}
	bool add = set != invert;
	if (ui_flags_change(ui, st->cursor_uid, add ? flag : 0, add ? 0 : flag))
		index_resolve(ui, st);
}

static void save_message(struct ui *ui, struct index_state *st, bool move)
{
	if (ui->state == ACCOUNT_STATE_ONLINE && ui->caps != 0 && !(ui->caps & ACCOUNT_CAN_COPY)) {
		ui_error(ui, _("This account cannot copy messages to other folders."));
		return;
	}
	if (move && !ui_folder_writable(ui))
		return;
	char *folder = ui_prompt(ui, move ? _("Save to folder: ") : _("Copy to folder: "),
	                         NULL, false);
	if (folder == NULL || folder[0] == '\0') {
		free(folder);
		return;
	}
	const char *name = folder;
	if (name[0] == '=' || name[0] == '+')
		name++;
	struct account_request *request = account_request_new(move ? ACCOUNT_REQUEST_MOVE
	                                                           : ACCOUNT_REQUEST_COPY);
	request->folder = xstrdup(name);
	request->uids = xmalloc(sizeof(uint32_t));
	request->uids[0] = st->cursor_uid;
	request->uid_count = 1;
	ui_request(ui, request);
	ui_message(ui, move ? _("Saving the message to %s…") : _("Copying the message to %s…"), name);
	free(folder);
	if (move)
		index_resolve(ui, st);
}

/* ---- functions ---- */

/* Functions that need no message. */
static bool index_move_function(struct ui *ui, struct index_state *st, const char *name)
{
	size_t count = folder_count(ui->folder);
	size_t rows = page_rows(st);
	if (strcmp(name, "next-entry") == 0) {
		if (st->cursor + 1 < count)
			index_set_cursor(ui, st, st->cursor + 1);
		else
			ui_error(ui, _("You are on the last message."));
	} else if (strcmp(name, "previous-entry") == 0) {
		if (st->cursor > 0)
			index_set_cursor(ui, st, st->cursor - 1);
		else
			ui_error(ui, _("You are on the first message."));
	} else if (strcmp(name, "next-undeleted") == 0 || strcmp(name, "previous-undeleted") == 0) {
		bool backward = name[0] == 'p';
		long pos = next_undeleted(ui, st->cursor, backward);
		if (pos >= 0)
			index_set_cursor(ui, st, (size_t)pos);
		else
			ui_error(ui, backward ? _("You are on the first message.")
			                      : _("You are on the last message."));
	} else if (strcmp(name, "next-page") == 0) {
		move_page(ui, st, true, rows);
	} else if (strcmp(name, "previous-page") == 0) {
		move_page(ui, st, false, rows);
	} else if (strcmp(name, "half-down") == 0) {
		move_page(ui, st, true, rows / 2 > 0 ? rows / 2 : 1);
	} else if (strcmp(name, "half-up") == 0) {
		move_page(ui, st, false, rows / 2 > 0 ? rows / 2 : 1);
	} else if (strcmp(name, "next-line") == 0) {
		move_line(ui, st, true);
	} else if (strcmp(name, "previous-line") == 0) {
		move_line(ui, st, false);
	} else if (strcmp(name, "first-entry") == 0) {
		index_set_cursor(ui, st, 0);
	} else if (strcmp(name, "last-entry") == 0) {
		index_set_cursor(ui, st, count - 1);
	} else if (strcmp(name, "top-page") == 0) {
		index_set_cursor(ui, st, st->top);
	} else if (strcmp(name, "middle-page") == 0) {
		size_t shown = count - st->top < rows ? count - st->top : rows;
		index_set_cursor(ui, st, st->top + (shown > 0 ? (shown - 1) / 2 : 0));
	} else if (strcmp(name, "bottom-page") == 0) {
		size_t shown = count - st->top < rows ? count - st->top : rows;
		index_set_cursor(ui, st, st->top + (shown > 0 ? shown - 1 : 0));
	} else if (strcmp(name, "current-top") == 0) {
		st->top = st->cursor;
	} else if (strcmp(name, "current-middle") == 0) {
		st->top = st->cursor > rows / 2 ? st->cursor - rows / 2 : 0;
	} else if (strcmp(name, "current-bottom") == 0) {
		st->top = st->cursor + 1 > rows ? st->cursor + 1 - rows : 0;
	} else if (strcmp(name, "jump") == 0) {
		jump(ui, st);
	} else if (strcmp(name, "next-unread") == 0 || strcmp(name, "next-new") == 0 ||
	           strcmp(name, "next-new-then-unread") == 0 ||
	           strcmp(name, "previous-unread") == 0 || strcmp(name, "previous-new") == 0 ||
	           strcmp(name, "previous-new-then-unread") == 0) {
		bool backward = name[0] == 'p';
		long pos = folder_next_unseen(ui->folder, st->cursor, backward);
		if (pos < 0 || (size_t)pos == st->cursor)
			ui_error(ui, _("No unread messages."));
		else
			index_set_cursor(ui, st, (size_t)pos);
	} else if (strcmp(name, "search") == 0) {
		search_ask(ui, st, false);
	} else if (strcmp(name, "search-reverse") == 0) {
		search_ask(ui, st, true);
	} else if (strcmp(name, "search-next") == 0) {
		search_run(ui, st, st->search_backward);
	} else if (strcmp(name, "search-opposite") == 0) {
		search_run(ui, st, !st->search_backward);
	} else {
		return false;
	}
	ui->dirty = true;
	return true;
}

/* Functions on the message under the cursor. */
static bool index_message_function(struct ui *ui, struct index_state *st, const char *name)
{
	/* Functions that need a message are checked by the caller; the
	 * others (change-folder...) work in an empty folder too. */
	struct envelope *envelope = st->cursor < folder_count(ui->folder) ?
		folder_get(ui->folder, st->cursor) : NULL;
	unsigned flags = envelope != NULL ? envelope_flags(envelope) : 0;
	uint32_t uid = st->cursor_uid;
	if (strcmp(name, "display-message") == 0 || strcmp(name, "select-entry") == 0) {
		ui_view_push(ui, ui_pager_new(ui, uid));
	} else if (strcmp(name, "delete-message") == 0) {
		if (ui_flags_change(ui, uid, ENVELOPE_DELETED, 0))
			index_resolve(ui, st);
	} else if (strcmp(name, "undelete-message") == 0) {
		if (ui_flags_change(ui, uid, 0, ENVELOPE_DELETED))
			index_resolve(ui, st);
	} else if (strcmp(name, "flag-message") == 0) {
		bool on = flags & ENVELOPE_FLAGGED;
		if (ui_flags_change(ui, uid, on ? 0 : ENVELOPE_FLAGGED, on ? ENVELOPE_FLAGGED : 0))
			index_resolve(ui, st);
	} else if (strcmp(name, "toggle-new") == 0 || strcmp(name, "mark-as-new") == 0) {
		bool seen = flags & ENVELOPE_SEEN;
		if (ui_flags_change(ui, uid, seen ? 0 : ENVELOPE_SEEN, seen ? ENVELOPE_SEEN : 0))
			index_resolve(ui, st);
	} else if (strcmp(name, "set-flag") == 0) {
		flag_prompt(ui, st, true);
	} else if (strcmp(name, "clear-flag") == 0) {
		flag_prompt(ui, st, false);
	} else if (strcmp(name, "save-message") == 0) {
		save_message(ui, st, true);
	} else if (strcmp(name, "copy-message") == 0) {
		save_message(ui, st, false);
	} else {
		return false;
	}
	ui->dirty = true;
	return true;
}

static const char *const message_functions[] = {
	"display-message", "select-entry", "delete-message", "undelete-message",
	"flag-message", "toggle-new", "mark-as-new", "set-flag", "clear-flag",
	"save-message", "copy-message",
	"next-entry", "previous-entry", "next-undeleted", "previous-undeleted",
	"next-page", "previous-page", "half-down", "half-up", "next-line",
	"previous-line", "first-entry", "last-entry", "top-page", "middle-page",
	"bottom-page", "current-top", "current-middle", "current-bottom", "jump",
	"next-unread", "next-new", "next-new-then-unread", "previous-unread",
	"previous-new", "previous-new-then-unread", "search", "search-reverse",
	"search-next", "search-opposite",
};

static bool index_function(struct ui *ui, struct ui_view *view, int function)
{
	struct index_state *st = view->data;
	index_sync(ui, st);
	const char *name = config_function_name(function);
	bool needs_message = false;
	for (size_t i = 0; i < sizeof message_functions / sizeof message_functions[0]; i++)
		if (strcmp(message_functions[i], name) == 0)
			needs_message = true;
	if (needs_message && (folder_count(ui->folder) == 0 || !st->have_uid)) {
		ui_error(ui, _("No messages."));
		return true;
	}
	if (index_move_function(ui, st, name))
		return true;
	return index_message_function(ui, st, name);
}

static void index_event(struct ui *ui, struct ui_view *view, struct account_event *event)
{
	struct index_state *st = view->data;
	index_sync(ui, st);
	/* The whole folder is here: start where mutt does, unless the user
	 * has moved already. */
	if (event->kind == ACCOUNT_EVENT_DONE && event->request_id != 0 &&
	    event->request_id == ui->folder_serial && !st->user_moved) {
		index_place_start(ui, st);
		ui->dirty = true;
	}
}

static char *index_help_line(struct ui *ui, struct ui_view *view)
{
	(void)view;
	static const char *const functions[] = {
		"quit", "delete-message", "undelete-message", "save-message",
		"mailbox-list", "help",
	};
	/* L10N: labels of the help line, as short as mutt's */
	static const char *const labels[] = {
		N_("Quit"), N_("Del"), N_("Undel"), N_("Save"), N_("Folders"), N_("Help"),
	};
	return ui_help_line_build(ui, CONFIG_MENU_INDEX, functions, labels,
	                          sizeof functions / sizeof functions[0]);
}

static void index_destroy(struct ui_view *view)
{
	struct index_state *st = view->data;
	free(st->search);
	free(st);
	free(view);
}

static const struct ui_view_ops index_ops = {
	.draw = index_draw,
	.function = index_function,
	.event = index_event,
	.status = NULL,
	.help_line = index_help_line,
	.destroy = index_destroy,
};

struct ui_view *ui_index_new(struct ui *ui)
{
	struct ui_view *view = xcalloc(1, sizeof(*view));
	struct index_state *st = xcalloc(1, sizeof(*st));
	st->serial = ui->folder_serial;
	st->generation = ui->folder_generation - 1;
	view->ops = &index_ops;
	view->menu = CONFIG_MENU_INDEX;
	view->title = _("Index");
	view->data = st;
	return view;
}
