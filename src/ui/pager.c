/*
 * pager: one message of the open folder on the screen.  It fetches the
 * message itself (FETCH_MESSAGE; "Loading message…" meanwhile), renders
 * it as rowan --print does (mime_render), lays it out in a pager pane,
 * and runs mutt's pager functions: scrolling and searching (the pane),
 * next and previous message, flags, saving, the full header
 * (display-toggle-weed) and the attachment menu.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "mail/envelope.h"
#include "mime/message.h"
#include "ui/pager_private.h"
#include "ui/ui_private.h"
#include "util/i18n.h"

struct pager {
	struct ui_view view;
	struct ui *ui;
	uint32_t uid;
	long pos;                 /* last known position in the folder */
	uint64_t request;         /* the FETCH_MESSAGE waited for; 0: none */
	char *error;              /* why the message cannot be shown */
	char *data;               /* the message as fetched (for v) */
	size_t len;
	struct account_omitted_part *omitted;
	size_t omitted_count;
	struct mime_message *message;
	char *rendered;           /* mime_render's text */
	bool rendered_headers;    /* it starts with header lines */
	bool full_headers;        /* display-toggle-weed */
	struct pager_pane pane;
};

static void omitted_free(struct pager *p)
{
	for (size_t i = 0; i < p->omitted_count; i++)
		free(p->omitted[i].part);
	free(p->omitted);
	p->omitted = NULL;
	p->omitted_count = 0;
}

/* Forget the message shown. */
static void pager_unload(struct pager *p)
{
	mime_message_free(&p->message);
	free(p->data);
	p->data = NULL;
	p->len = 0;
	omitted_free(p);
	free(p->rendered);
	p->rendered = NULL;
	free(p->error);
	p->error = NULL;
	pager_pane_set_text(&p->pane, NULL, false, false);
}

/* ---- rendering ---- */

static void render_options(const struct config *cfg, struct mime_render_options *options)
{
	memset(options, 0, sizeof *options);
	options->headers = config_get_string(cfg, CONFIG_VAR_PAGER_HEADERS);
	options->alternative_order = config_get_string(cfg, CONFIG_VAR_ALTERNATIVE_ORDER);
	options->html_filter = config_get_string(cfg, CONFIG_VAR_HTML_FILTER);
	options->assumed_charset = config_get_string(cfg, CONFIG_VAR_ASSUMED_CHARSET);
}

/* Whether the render starts with header lines: one of the pager_headers
 * is in the message. */
static bool render_has_headers(const struct mime_message *message, const char *names)
{
	size_t block_len;
	const char *block = mime_message_headers(message, &block_len);
	const char *p = names != NULL ? names : "";
	while (*p != '\0') {
		while (*p != '\0' && (isspace((unsigned char)*p) || *p == ',' || *p == ':'))
			p++;
		size_t n = 0;
		while (p[n] != '\0' && !isspace((unsigned char)p[n]) && p[n] != ',' && p[n] != ':')
			n++;
		if (n == 0)
			break;
		char *name = xstrndup(p, n);
		char *value = mime_header_get(block, block_len, name);
		free(name);
		if (value != NULL) {
			free(value);
			return true;
		}
		p += n;
	}
	return false;
}

/* The pane's text from the render (and the raw header for the full view). */
static void pager_text_build(struct pager *p, bool keep_top)
{
	const struct config *cfg = ui_config(p->ui);
	struct buf text;
	buf_init(&text);
	const char *body = p->rendered;
	bool has_headers = p->rendered_headers;
	if (p->full_headers) {
		if (p->rendered_headers) {
			const char *end = strstr(p->rendered, "\n\n");
			body = end != NULL ? end + 2 : "";
		}
		size_t block_len;
		const char *block = mime_message_headers(p->message, &block_len);
		char *utf8 = mime_charset_to_utf8(NULL, block, block_len,
		                                  config_get_string(cfg, CONFIG_VAR_ASSUMED_CHARSET),
		                                  NULL);
		char *safe = mime_safe_text(utf8, strlen(utf8), MIME_SAFE_TEXT);
		size_t safe_len = strlen(safe);
		while (safe_len > 0 && safe[safe_len - 1] == '\n')
			safe_len--;
		buf_add(&text, safe, safe_len);
		buf_add_str(&text, "\n\n");
		free(safe);
		free(utf8);
		has_headers = true;
	}
	buf_add_str(&text, body);
	for (size_t i = 0; i < p->omitted_count; i++) {
		char *size = mime_size_format((size_t)p->omitted[i].size);
		char *part = mime_safe_text(p->omitted[i].part, strlen(p->omitted[i].part),
		                            MIME_SAFE_LINE);
		if (text.len > 0 && text.data[text.len - 1] != '\n')
			buf_add_char(&text, '\n');
		/* L10N: keep "[-- " and " --]" around the line */
		buf_printf(&text, _("[-- Part %s (%s) is on the server: open it in the attachment menu --]"),
		           part, size);
		buf_add_char(&text, '\n');
		free(part);
		free(size);
	}
	pager_pane_set_text(&p->pane, buf_steal(&text), has_headers, keep_top);
}

static void pager_render(struct pager *p)
{
	const struct config *cfg = ui_config(p->ui);
	struct mime_render_options options;
	render_options(cfg, &options);
	p->message = mime_message_parse(p->data, p->len, NULL);
	p->rendered = mime_render(p->message, &options);
	p->rendered_headers = render_has_headers(p->message, options.headers);
	pager_text_build(p, false);
}

/* ---- which message ---- */

static void pager_load(struct pager *p, uint32_t uid)
{
	struct ui *ui = p->ui;
	pager_unload(p);
	p->uid = uid;
	p->full_headers = false;
	long pos = folder_position(ui_folder(ui), uid);
	if (pos >= 0)
		p->pos = pos;
	struct account_request *request = account_request_new(ACCOUNT_REQUEST_FETCH_MESSAGE);
	request->uid = uid;
	p->request = ui_request(ui, request);
	if (p->request == 0)
		p->error = xstrdup(_("There is no account to fetch the message from."));
	ui_index_select(ui, uid);
	ui_redraw(ui);
}

static bool is_deleted(struct folder *folder, size_t pos)
{
	return envelope_flags(folder_get(folder, pos)) & ENVELOPE_DELETED;
}

/* The position of the message next to the shown one (before it when
 * backward), skipping deleted ones when asked; -1 when none. */
static long pager_neighbour(struct pager *p, bool backward, bool skip_deleted)
{
	struct folder *folder = ui_folder(p->ui);
	long count = (long)folder_count(folder);
	long i = folder_position(folder, p->uid);
	if (i >= 0)
		p->pos = i;
	else
		i = backward ? p->pos : p->pos - 1;  /* the message is gone */
	for (;;) {
		i += backward ? -1 : 1;
		if (i < 0 || i >= count)
			return -1;
		if (!skip_deleted || !is_deleted(folder, (size_t)i))
			return i;
	}
}

static bool pager_go(struct pager *p, bool backward, bool skip_deleted, bool quiet)
{
	long pos = pager_neighbour(p, backward, skip_deleted);
	if (pos < 0) {
		if (!quiet)
			ui_error(p->ui, "%s", backward ? _("You are on the first message.")
			                               : _("You are on the last message."));
		return false;
	}
	pager_load(p, envelope_uid(folder_get(ui_folder(p->ui), (size_t)pos)));
	return true;
}

static void pager_go_unread(struct pager *p, bool backward)
{
	struct folder *folder = ui_folder(p->ui);
	size_t count = folder_count(folder);
	long shown = folder_position(folder, p->uid);
	long cur = shown >= 0 ? shown : p->pos;
	if (cur >= 0 && count > 0 && (size_t)cur >= count)
		cur = (long)count - 1;
	long pos = count > 0 && cur >= 0 ? folder_next_unseen(folder, (size_t)cur, backward) : -1;
	if (pos < 0 || (pos == cur && shown == cur)) {
		ui_error(p->ui, _("No unread messages."));
		return;
	}
	pager_load(p, envelope_uid(folder_get(folder, (size_t)pos)));
}

static void pager_jump(struct pager *p)
{
	char initial[8] = "";
	int key = ui_last_key(p->ui);
	if (key >= '1' && key <= '9') {
		initial[0] = (char)key;
		initial[1] = '\0';
	}
	char *answer = ui_prompt(p->ui, _("Jump to message: "), initial, false);
	if (answer == NULL)
		return;
	char *end;
	long n = strtol(answer, &end, 10);
	struct folder *folder = ui_folder(p->ui);
	if (end == answer || *end != '\0' || n < 1 || (size_t)n > folder_count(folder))
		ui_error(p->ui, _("Invalid message number."));
	else
		pager_load(p, envelope_uid(folder_get(folder, (size_t)(n - 1))));
	free(answer);
}

/* ---- acting on the message ---- */

/* mutt's $resolve: after changing the message, show the next one. */
static void pager_resolve(struct pager *p)
{
	pager_go(p, false, true, true);
}

static void pager_flag_prompt(struct pager *p, bool set)
{
	int key = ui_getkey_prompt(p->ui, set ? _("Set flag: ") : _("Clear flag: "));
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
		ui_error(p->ui, _("Unknown flag; use d (deleted), N (new), O (old), r (replied) or ! (flagged)."));
		return;
	}
	bool add = set != invert;
	if (ui_flags_change(p->ui, p->uid, add ? flag : 0, add ? 0 : flag))
		pager_resolve(p);
}

/* Move or copy the message to a folder.  Returns true when the pager
 * was closed (the message left and nothing follows it). */
static bool pager_save(struct pager *p, bool move)
{
	struct ui *ui = p->ui;
	if (ui->state == ACCOUNT_STATE_ONLINE && ui->caps != 0 && !(ui->caps & ACCOUNT_CAN_COPY)) {
		ui_error(ui, _("This account cannot copy messages to other folders."));
		return false;
	}
	if (move && !ui_folder_writable(ui))
		return false;
	char *folder = ui_prompt(ui, move ? _("Save to folder: ") : _("Copy to folder: "),
	                         NULL, false);
	if (folder == NULL || folder[0] == '\0') {
		free(folder);
		return false;
	}
	const char *name = folder;
	if (name[0] == '=' || name[0] == '+')
		name++;
	struct account_request *request = account_request_new(move ? ACCOUNT_REQUEST_MOVE
	                                                           : ACCOUNT_REQUEST_COPY);
	request->folder = xstrdup(name);
	request->uids = xmalloc(sizeof(uint32_t));
	request->uids[0] = p->uid;
	request->uid_count = 1;
	ui_request(ui, request);
	ui_message(ui, move ? _("Saving the message to %s…") : _("Copying the message to %s…"),
	           name);
	free(folder);
	if (!move)
		return false;
	if (pager_go(p, false, true, true))
		return false;
	ui_view_pop(ui);
	return true;
}

static bool pager_loaded(struct pager *p)
{
	if (p->message != NULL)
		return true;
	ui_error(p->ui, "%s", p->error != NULL ? p->error : _("The message is still loading."));
	return false;
}

static bool pager_message_function(struct pager *p, const char *name)
{
	struct ui *ui = p->ui;
	struct envelope *envelope = folder_find(ui_folder(ui), p->uid);
	unsigned flags = envelope != NULL ? envelope_flags(envelope) : 0;
	if (strcmp(name, "delete-message") == 0) {
		if (ui_flags_change(ui, p->uid, ENVELOPE_DELETED, 0))
			pager_resolve(p);
	} else if (strcmp(name, "undelete-message") == 0) {
		if (ui_flags_change(ui, p->uid, 0, ENVELOPE_DELETED))
			pager_resolve(p);
	} else if (strcmp(name, "flag-message") == 0) {
		bool on = flags & ENVELOPE_FLAGGED;
		if (ui_flags_change(ui, p->uid, on ? 0 : ENVELOPE_FLAGGED, on ? ENVELOPE_FLAGGED : 0))
			pager_resolve(p);
	} else if (strcmp(name, "toggle-new") == 0 || strcmp(name, "mark-as-new") == 0) {
		bool seen = flags & ENVELOPE_SEEN;
		if (ui_flags_change(ui, p->uid, seen ? 0 : ENVELOPE_SEEN, seen ? ENVELOPE_SEEN : 0))
			pager_resolve(p);
	} else if (strcmp(name, "set-flag") == 0) {
		pager_flag_prompt(p, true);
	} else if (strcmp(name, "clear-flag") == 0) {
		pager_flag_prompt(p, false);
	} else if (strcmp(name, "view-attachments") == 0) {
		if (pager_loaded(p))
			ui_view_push(ui, pager_attach_new(ui, p->uid, p->data, p->len, p->omitted,
			                                  p->omitted_count));
	} else if (strcmp(name, "display-toggle-weed") == 0 || strcmp(name, "toggle-headers") == 0) {
		if (pager_loaded(p)) {
			p->full_headers = !p->full_headers;
			pager_text_build(p, false);
		}
	} else {
		return false;
	}
	return true;
}

static bool pager_move_function(struct pager *p, const char *name)
{
	if (strcmp(name, "next-entry") == 0)
		pager_go(p, false, false, false);
	else if (strcmp(name, "previous-entry") == 0)
		pager_go(p, true, false, false);
	else if (strcmp(name, "next-undeleted") == 0)
		pager_go(p, false, true, false);
	else if (strcmp(name, "previous-undeleted") == 0)
		pager_go(p, true, true, false);
	else if (strcmp(name, "next-unread") == 0 || strcmp(name, "next-new") == 0 ||
	         strcmp(name, "next-new-then-unread") == 0)
		pager_go_unread(p, false);
	else if (strcmp(name, "previous-unread") == 0 || strcmp(name, "previous-new") == 0 ||
	         strcmp(name, "previous-new-then-unread") == 0)
		pager_go_unread(p, true);
	else if (strcmp(name, "jump") == 0)
		pager_jump(p);
	else
		return false;
	return true;
}

/* ---- the view ---- */

static void pager_draw(struct ui *ui, struct ui_view *view, int top, int rows)
{
	struct pager *p = view->data;
	if (p->message == NULL) {
		const char *text = p->error != NULL ? p->error : _("Loading message…");
		ui_draw_text(top, 0, text, COLS, p->error != NULL ? ui_color("error") : 0);
		return;
	}
	pager_pane_draw(ui, &p->pane, top, rows);
}

static bool pager_function(struct ui *ui, struct ui_view *view, int function)
{
	struct pager *p = view->data;
	const char *name = config_function_name(function);
	ui_redraw(ui);
	if (pager_move_function(p, name))
		return true;
	if (strcmp(name, "save-message") == 0 || strcmp(name, "copy-message") == 0) {
		pager_save(p, name[0] == 's');
		return true;  /* p may be gone */
	}
	if (pager_message_function(p, name))
		return true;
	if (p->message == NULL && p->error == NULL) {
		/* Nothing to scroll while the message loads. */
		return pager_pane_function(ui, &p->pane, name, false) != PAGER_PANE_NOT_HANDLED;
	}
	switch (pager_pane_function(ui, &p->pane, name, false)) {
	case PAGER_PANE_HANDLED:
		return true;
	case PAGER_PANE_AT_END:
		if (config_get_bool(ui_config(ui), CONFIG_VAR_PAGER_STOP))
			ui_error(ui, _("Bottom of message is shown."));
		else
			pager_go(p, false, true, false);
		return true;
	case PAGER_PANE_NOT_HANDLED:
	default:
		return false;
	}
}

static void pager_event(struct ui *ui, struct ui_view *view, struct account_event *event)
{
	struct pager *p = view->data;
	if (event->request_id == 0 || event->request_id != p->request)
		return;
	switch (event->kind) {
	case ACCOUNT_EVENT_MESSAGE:
		if (event->uid != p->uid || event->data == NULL || p->message != NULL)
			break;
		p->data = event->data;
		p->len = event->len;
		event->data = NULL;
		event->len = 0;
		p->omitted = event->omitted;
		p->omitted_count = event->omitted_count;
		event->omitted = NULL;
		event->omitted_count = 0;
		pager_render(p);
		ui_redraw(ui);
		break;
	case ACCOUNT_EVENT_ERROR:
		p->request = 0;
		if (p->message == NULL) {
			free(p->error);
			p->error = xstrdup(event->err.message[0] != '\0' ? event->err.message
			                                                 : _("The message could not be fetched."));
		}
		ui_redraw(ui);
		break;
	case ACCOUNT_EVENT_DONE:
		p->request = 0;
		if (p->message == NULL && p->error == NULL)
			p->error = xstrdup(_("The message is no longer in the folder."));
		ui_redraw(ui);
		break;
	default:
		break;
	}
}

static char *pager_status(struct ui *ui, struct ui_view *view, int width)
{
	struct pager *p = view->data;
	struct folder *folder = ui_folder(ui);
	long pos = folder_position(folder, p->uid);
	if (pos >= 0)
		p->pos = pos;
	struct envelope *envelope = folder_find(folder, p->uid);
	const char *subject = envelope != NULL ? envelope_subject(envelope) : "";
	char number[32];
	if (pos >= 0)
		snprintf(number, sizeof number, "%ld", pos + 1);
	else
		snprintf(number, sizeof number, "-");
	char *what = xasprintf("%s [%s/%zu] %s", ui_folder_name(ui), number,
	                       folder_count(folder), subject);
	char position[16];
	pager_pane_position(ui, &p->pane, position);
	char *line = pager_status_line(what, position, width);
	free(what);
	return line;
}

static char *pager_help(struct ui *ui, struct ui_view *view)
{
	return pager_help_line(ui, view->menu, true);
}

static void pager_destroy(struct ui_view *view)
{
	struct pager *p = view->data;
	pager_unload(p);
	pager_pane_clear(&p->pane);
	free(p);
}

static const struct ui_view_ops pager_ops = {
	.draw = pager_draw,
	.function = pager_function,
	.event = pager_event,
	.status = pager_status,
	.help_line = pager_help,
	.destroy = pager_destroy,
};

struct ui_view *ui_pager_new(struct ui *ui, uint32_t uid)
{
	struct pager *p = xcalloc(1, sizeof *p);
	p->view.ops = &pager_ops;
	p->view.menu = CONFIG_MENU_PAGER;
	p->view.title = "pager";
	p->view.data = p;
	p->ui = ui;
	pager_load(p, uid);
	return &p->view;
}
