/*
 * attach: the attachment menu of a message — every part that is not a
 * multipart, with its number, type, size and file name.  Enter views a
 * part (text in a text view, the rest through mailcap: a viewer with
 * copiousoutput is shown in a text view, another gets the terminal),
 * s saves it (never over an existing file without asking).  A part of a
 * large message left on the server is fetched first (FETCH_PART).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curses.h>

#include "mime/message.h"
#include "ui/pager_private.h"
#include "ui/ui_private.h"
#include "util/i18n.h"

struct attach_entry {
	const struct mime_part *part;    /* in the message */
	long omitted;                    /* index in attach.omitted, or -1 */
	struct mime_message *fetched;    /* an omitted part once fetched */
};

struct attach {
	struct ui_view view;
	struct ui *ui;
	uint32_t uid;
	struct mime_message *message;
	struct account_omitted_part *omitted;
	size_t omitted_count;
	struct attach_entry *entries;
	size_t count;
	size_t cursor;
	size_t top;
	int rows;
	struct mime_mailcap *mailcap;    /* loaded when first needed */
	/* the FETCH_PART waited for */
	uint64_t part_request;
	char *part_data;
	size_t part_len;
	char *part_error;
};

/* ---- the list ---- */

static void entries_add(struct attach *st, const struct mime_part *part)
{
	if (!part->is_multipart) {
		st->entries = xrealloc(st->entries, (st->count + 1) * sizeof *st->entries);
		struct attach_entry *e = &st->entries[st->count++];
		e->part = part;
		e->omitted = -1;
		e->fetched = NULL;
		for (size_t i = 0; i < st->omitted_count; i++)
			if (strcmp(st->omitted[i].part, part->part_id) == 0)
				e->omitted = (long)i;
	}
	for (size_t i = 0; i < part->child_count; i++)
		entries_add(st, part->children[i]);
}

/* The line of entry i (not yet terminal-safe: ui_draw_text makes it so). */
static char *entry_line(const struct attach *st, size_t i)
{
	const struct attach_entry *e = &st->entries[i];
	const struct mime_part *part = e->part;
	size_t bytes;
	if (e->fetched != NULL)
		bytes = mime_part_decoded_size(mime_message_root(e->fetched));
	else if (e->omitted >= 0)
		bytes = (size_t)st->omitted[e->omitted].size;
	else if (part->is_message)
		bytes = part->body_len;
	else
		bytes = mime_part_decoded_size(part);
	char *size = mime_size_format(bytes);
	const char *name = part->filename != NULL ? part->filename
	                   : part->description != NULL ? part->description : "";
	unsigned indent = part->depth > 1 ? part->depth - 1 : 0;
	if (indent > 8)
		indent = 8;
	char *line = xasprintf("%3zu %*s%-*s %10s  %s%s", i + 1, (int)(indent * 2), "",
	                       (int)(28 - indent * 2), part->type, size, name,
	                       e->omitted >= 0 && e->fetched == NULL
	                               ? _("  [on the server]") : "");
	free(size);
	return line;
}

/* ---- fetching a part left on the server ---- */

/* Rebuild a part from its MIME header and the bytes fetched. */
static struct mime_message *part_rebuild(const struct mime_part *part, const char *data,
                                         size_t len)
{
	struct buf raw;
	buf_init(&raw);
	size_t hlen = part->headers_len;
	while (hlen > 0 && (part->headers[hlen - 1] == '\n' || part->headers[hlen - 1] == '\r'))
		hlen--;
	buf_add(&raw, part->headers, hlen);
	buf_add_str(&raw, "\n\n");
	buf_add(&raw, data, len);
	struct mime_message *message = mime_message_parse(raw.data, raw.len, NULL);
	buf_free(&raw);
	return message;
}

/* Wait for the FETCH_PART, keeping the screen and events going; Ctrl-G
 * or Esc gives up.  Returns true when the data came. */
static bool part_wait(struct attach *st)
{
	struct ui *ui = st->ui;
	ui_message(ui, "%s", _("Fetching part… (Ctrl-G cancels)"));
	while (st->part_request != 0 && !ui->quit) {
		if (!ui_round(ui, 250))
			continue;
		int key = ui_key_poll(ui);
		if (key == 7 || key == 27 || key == UI_KEY_ABORT) {
			st->part_request = 0;
			ui_message(ui, "%s", _("Cancelled."));
			return false;
		}
	}
	if (st->part_error != NULL) {
		ui_error(ui, "%s", st->part_error);
		return false;
	}
	if (st->part_data == NULL) {
		if (!ui->quit)
			ui_error(ui, "%s", _("The server sent nothing for this part."));
		return false;
	}
	ui_message(ui, "%s", "");
	return true;
}

/* The part of entry i, fetched first when it is on the server; NULL
 * (with a message shown) when it cannot be had. */
static const struct mime_part *entry_part(struct attach *st, size_t i)
{
	struct attach_entry *e = &st->entries[i];
	if (e->omitted < 0)
		return e->part;
	if (e->fetched != NULL)
		return mime_message_root(e->fetched);
	free(st->part_data);
	st->part_data = NULL;
	st->part_len = 0;
	free(st->part_error);
	st->part_error = NULL;
	struct account_request *request = account_request_new(ACCOUNT_REQUEST_FETCH_PART);
	request->uid = st->uid;
	request->part = xstrdup(e->part->part_id);
	st->part_request = ui_request(st->ui, request);
	if (st->part_request == 0) {
		ui_error(st->ui, "%s", _("There is no account to fetch the part from."));
		return NULL;
	}
	if (!part_wait(st))
		return NULL;
	e->fetched = part_rebuild(e->part, st->part_data, st->part_len);
	free(st->part_data);
	st->part_data = NULL;
	st->part_len = 0;
	return mime_message_root(e->fetched);
}

/* ---- viewing ---- */

static char *part_title(const struct mime_part *part, size_t number)
{
	if (part->filename != NULL)
		return xasprintf(_("Attachment %zu: %s, %s"), number, part->type, part->filename);
	return xasprintf(_("Attachment %zu: %s"), number, part->type);
}

/* The part as text for a text view (newly allocated). */
static char *part_text(struct attach *st, const struct mime_part *part)
{
	const struct config *cfg = ui_config(st->ui);
	const char *fallback = config_get_string(cfg, CONFIG_VAR_ASSUMED_CHARSET);
	if (fallback != NULL && fallback[0] == '\0')
		fallback = NULL;
	if (part->is_message) {
		size_t len;
		char *raw = mime_part_decode(part, mime_message_limits(part->message)->max_part_bytes,
		                             &len, NULL);
		struct mime_message *inner = mime_message_parse(raw, len, NULL);
		free(raw);
		struct mime_render_options options = {
			.headers = config_get_string(cfg, CONFIG_VAR_PAGER_HEADERS),
			.alternative_order = config_get_string(cfg, CONFIG_VAR_ALTERNATIVE_ORDER),
			.assumed_charset = fallback,
		};
		char *text = mime_render(inner, &options);
		mime_message_free(&inner);
		return text;
	}
	size_t len;
	char *text = mime_part_text(part, fallback, &len, NULL);
	if (strcmp(part->type, "text/html") == 0) {
		char *plain = mime_html_to_text(text, len, NULL);
		free(text);
		return plain;
	}
	return text;
}

static void view_as_text(struct attach *st, const struct mime_part *part, size_t number)
{
	char *title = part_title(part, number);
	ui_view_push(st->ui, pager_text_view_new(st->ui, title, part_text(st, part), false));
	free(title);
}

/* Run a mailcap viewer; false when none fits. */
static bool view_mailcap(struct attach *st, const struct mime_part *part, size_t number)
{
	struct ui *ui = st->ui;
	if (st->mailcap == NULL)
		st->mailcap = mime_mailcap_load(NULL);
	const struct mime_mailcap_entry *entry = mime_mailcap_find(st->mailcap, part->type, 0);
	if (entry == NULL)
		return false;
	struct rowan_err err;
	rowan_err_clear(&err);
	int status;
	if (entry->copiousoutput) {
		char *output = NULL;
		size_t output_len = 0;
		status = mime_mailcap_view(entry, part, &output, &output_len, &err);
		if (status >= 0) {
			char *title = part_title(part, number);
			ui_view_push(ui, pager_text_view_new(ui, title, output, false));
			free(title);
		}
	} else {
		ui_suspend(ui);
		status = mime_mailcap_view(entry, part, NULL, NULL, &err);
		ui_resume(ui);
	}
	if (status < 0)
		ui_error(ui, "%s", err.message);
	else if (status != 0)
		ui_error(ui, _("The viewer exited with status %d."), status);
	ui_redraw(ui);
	return true;
}

enum view_how { VIEW_AUTO, VIEW_MAILCAP, VIEW_TEXT };

static void attach_view(struct attach *st, enum view_how how)
{
	const struct mime_part *part = entry_part(st, st->cursor);
	if (part == NULL)
		return;
	size_t number = st->cursor + 1;
	bool textual = part->is_message || strncmp(part->type, "text/", 5) == 0;
	if (how == VIEW_TEXT || (how == VIEW_AUTO && textual && strcmp(part->type, "text/html") != 0)) {
		view_as_text(st, part, number);
		return;
	}
	if (view_mailcap(st, part, number))
		return;
	if (how == VIEW_AUTO && textual) {
		view_as_text(st, part, number);
		return;
	}
	ui_error(st->ui, _("No mailcap entry for %s."), part->type);
}

/* ---- saving ---- */

/* Save over an existing file: write a new one beside it, then rename. */
static int save_replace(const struct mime_part *part, const char *path, struct rowan_err *err)
{
	static unsigned counter;
	for (int attempt = 0; attempt < 100; attempt++) {
		char *tmp = xasprintf("%s.rowan-%ld-%u", path, (long)getpid(), counter++);
		if (mime_part_save(part, tmp, err) == 0) {
			if (rename(tmp, path) == 0) {
				free(tmp);
				return 0;
			}
			int e = errno;
			unlink(tmp);
			free(tmp);
			rowan_err_set(err, ROWAN_ERR_IO, _("%s: cannot replace the file: %s"), path,
			              strerror(e));
			return -1;
		}
		int e = errno;
		free(tmp);
		if (e != EEXIST)
			return -1;
	}
	return -1;
}

static void attach_save(struct attach *st)
{
	struct ui *ui = st->ui;
	const struct mime_part *part = entry_part(st, st->cursor);
	if (part == NULL)
		return;
	char *name = mime_filename_sanitize(part->filename);
	char *answer = ui_prompt(ui, _("Save to file: "), name, false);
	if (answer == NULL || answer[0] == '\0') {
		free(answer);
		free(name);
		return;
	}
	char *path = path_expand_home(answer);
	if (path == NULL)
		path = xstrdup(answer);
	struct stat sb;
	if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		char *joined = path_join(path, name);
		free(path);
		path = joined;
	}
	struct rowan_err err;
	rowan_err_clear(&err);
	int rc = mime_part_save(part, path, &err);
	bool cancelled = false;
	if (rc < 0 && errno == EEXIST) {
		if (ui_yes_no(ui, _("File exists, overwrite?"), false))
			rc = save_replace(part, path, &err);
		else
			cancelled = true;
	}
	if (cancelled)
		ui_message(ui, "%s", _("Not saved."));
	else if (rc < 0)
		ui_error(ui, "%s", err.message);
	else
		ui_message(ui, _("Saved to %s."), path);
	free(path);
	free(answer);
	free(name);
}

/* ---- the view ---- */

static size_t attach_rows(const struct attach *st)
{
	return st->rows > 0 ? (size_t)st->rows : 1;
}

static void attach_draw(struct ui *ui, struct ui_view *view, int top, int rows)
{
	(void)ui;
	struct attach *st = view->data;
	st->rows = rows;
	if (st->count == 0) {
		ui_draw_text(top, 0, _("This message has no parts to list."), COLS, 0);
		return;
	}
	if (st->cursor < st->top)
		st->top = st->cursor;
	if (st->cursor >= st->top + (size_t)rows)
		st->top = st->cursor - (size_t)rows + 1;
	int indicator = ui_color("indicator");
	for (int r = 0; r < rows; r++) {
		size_t i = st->top + (size_t)r;
		if (i >= st->count)
			break;
		char *line = entry_line(st, i);
		ui_draw_text(top + r, 0, line, COLS, i == st->cursor ? indicator : 0);
		free(line);
	}
}

static bool attach_move(struct attach *st, const char *name)
{
	struct ui *ui = st->ui;
	size_t last = st->count > 0 ? st->count - 1 : 0;
	size_t page = attach_rows(st);
	if (strcmp(name, "next-entry") == 0 || strcmp(name, "next-line") == 0) {
		if (st->cursor >= last)
			ui_error(ui, _("You are on the last entry."));
		else
			st->cursor++;
	} else if (strcmp(name, "previous-entry") == 0 || strcmp(name, "previous-line") == 0) {
		if (st->cursor == 0)
			ui_error(ui, _("You are on the first entry."));
		else
			st->cursor--;
	} else if (strcmp(name, "first-entry") == 0 || strcmp(name, "top-page") == 0) {
		st->cursor = strcmp(name, "first-entry") == 0 ? 0 : st->top;
	} else if (strcmp(name, "last-entry") == 0) {
		st->cursor = last;
	} else if (strcmp(name, "next-page") == 0) {
		st->cursor = st->cursor + page < last ? st->cursor + page : last;
	} else if (strcmp(name, "previous-page") == 0) {
		st->cursor = st->cursor > page ? st->cursor - page : 0;
	} else {
		return false;
	}
	ui_redraw(ui);
	return true;
}

static bool attach_function(struct ui *ui, struct ui_view *view, int function)
{
	struct attach *st = view->data;
	const char *name = config_function_name(function);
	ui_redraw(ui);
	if (attach_move(st, name))
		return true;
	bool acts = strcmp(name, "view-attach") == 0 || strcmp(name, "select-entry") == 0 ||
	            strcmp(name, "view-mailcap") == 0 || strcmp(name, "view-text") == 0 ||
	            strcmp(name, "save-entry") == 0;
	if (!acts)
		return false;
	if (st->count == 0) {
		ui_error(ui, _("There are no attachments."));
		return true;
	}
	if (strcmp(name, "save-entry") == 0)
		attach_save(st);
	else if (strcmp(name, "view-mailcap") == 0)
		attach_view(st, VIEW_MAILCAP);
	else if (strcmp(name, "view-text") == 0)
		attach_view(st, VIEW_TEXT);
	else
		attach_view(st, VIEW_AUTO);
	ui_redraw(ui);
	return true;
}

static void attach_event(struct ui *ui, struct ui_view *view, struct account_event *event)
{
	(void)ui;
	struct attach *st = view->data;
	if (event->request_id == 0 || event->request_id != st->part_request)
		return;
	switch (event->kind) {
	case ACCOUNT_EVENT_PART:
		if (event->data != NULL && st->part_data == NULL) {
			st->part_data = event->data;
			st->part_len = event->len;
			event->data = NULL;
			event->len = 0;
		}
		break;
	case ACCOUNT_EVENT_ERROR:
		free(st->part_error);
		st->part_error = xstrdup(event->err.message[0] != '\0' ? event->err.message
		                                                       : _("The part could not be fetched."));
		st->part_request = 0;
		break;
	case ACCOUNT_EVENT_DONE:
		st->part_request = 0;
		break;
	default:
		break;
	}
}

static char *attach_status(struct ui *ui, struct ui_view *view, int width)
{
	(void)ui;
	struct attach *st = view->data;
	char position[16];
	pager_text_position(st->top, attach_rows(st), st->count, position);
	char *what = xasprintf(_("Attachments [%zu/%zu]"), st->count > 0 ? st->cursor + 1 : 0,
	                       st->count);
	char *line = pager_status_line(what, position, width);
	free(what);
	return line;
}

static char *attach_help_line(struct ui *ui, struct ui_view *view)
{
	static const char *const functions[] = {
		"exit", "save-entry", "view-attach", "view-text", "help",
	};
	/* L10N: labels of the attachment menu's help line */
	static const char *const labels[] = {
		N_("Exit"), N_("Save"), N_("View"), N_("Text"), N_("Help"),
	};
	return ui_help_line_build(ui, view->menu, functions, labels,
	                          sizeof functions / sizeof functions[0]);
}

static void attach_destroy(struct ui_view *view)
{
	struct attach *st = view->data;
	for (size_t i = 0; i < st->count; i++)
		mime_message_free(&st->entries[i].fetched);
	free(st->entries);
	for (size_t i = 0; i < st->omitted_count; i++)
		free(st->omitted[i].part);
	free(st->omitted);
	mime_message_free(&st->message);
	mime_mailcap_free(&st->mailcap);
	free(st->part_data);
	free(st->part_error);
	free(st);
}

static const struct ui_view_ops attach_ops = {
	.draw = attach_draw,
	.function = attach_function,
	.event = attach_event,
	.status = attach_status,
	.help_line = attach_help_line,
	.destroy = attach_destroy,
};

struct ui_view *pager_attach_new(struct ui *ui, uint32_t uid, const char *data,
                                 size_t len, const struct account_omitted_part *omitted,
                                 size_t omitted_count)
{
	struct attach *st = xcalloc(1, sizeof *st);
	st->view.ops = &attach_ops;
	st->view.menu = CONFIG_MENU_ATTACH;
	st->view.title = "attach";
	st->view.data = st;
	st->ui = ui;
	st->uid = uid;
	st->message = mime_message_parse(data, len, NULL);
	if (omitted_count > 0) {
		st->omitted = xcalloc(omitted_count, sizeof *st->omitted);
		for (size_t i = 0; i < omitted_count; i++) {
			st->omitted[i].part = xstrdup(omitted[i].part);
			st->omitted[i].size = omitted[i].size;
		}
		st->omitted_count = omitted_count;
	}
	entries_add(st, mime_message_root(st->message));
	return &st->view;
}
