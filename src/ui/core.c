/*
 * core: the functions the UI core runs for every view when the view
 * does not — help, redraw, leaving a view, quitting, changing folders,
 * the folder browser, checking for mail, purging, sorting, what-key.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ui/ui_private.h"

static void what_key(struct ui *ui)
{
	for (;;) {
		int key = ui_getkey_prompt(ui, _("Enter keys (^G to abort): "));
		if (key < 0)
			break;
		struct config_keyseq seq = {&key, 1};
		char *name = config_keyseq_format(&seq);
		ui_message(ui, _("Char = %s, Octal = %o, Decimal = %d"), name,
		           (unsigned)key, key);
		free(name);
	}
}

static void change_folder(struct ui *ui)
{
	bool browser = false;
	char *name = ui_prompt_ex(ui, _("Open folder ('?' for list): "), NULL,
	                          UI_PROMPT_BROWSER, &browser);
	if (browser) {
		ui_view_push(ui, ui_browser_new(ui));
	} else if (name != NULL && name[0] != '\0') {
		/* mutt's shortcuts for the folder root */
		const char *folder = name;
		if (folder[0] == '=' || folder[0] == '+')
			folder++;
		if (folder[0] != '\0')
			ui_open_folder(ui, folder);
	}
	free(name);
}

static void sync_folder(struct ui *ui)
{
	size_t deleted = folder_count_deleted(ui->folder);
	if (deleted == 0) {
		ui_message(ui, _("No messages are marked for deletion."));
		return;
	}
	if (!ui_folder_writable(ui))
		return;
	enum config_quad quad = config_get_quad(ui->cfg, CONFIG_VAR_EXPUNGE_ON_EXIT);
	if (quad == CONFIG_QUAD_ASK_YES || quad == CONFIG_QUAD_ASK_NO) {
		char *question = xasprintf(ngettext("Purge %zu deleted message?",
		                                    "Purge %zu deleted messages?", deleted),
		                           deleted);
		int answer = ui_ask(ui, question, quad == CONFIG_QUAD_ASK_YES);
		free(question);
		if (answer != 1)
			return;
	} else if (quad == CONFIG_QUAD_NO) {
		return;
	}
	ui_request(ui, account_request_new(ACCOUNT_REQUEST_EXPUNGE));
	ui_message(ui, _("Purging deleted messages…"));
}

static void sort_folder(struct ui *ui, bool reverse)
{
	const char *question = reverse
		? _("Reverse sort (d)ate/(f)rm/(r)ecv/(s)ubj/t(o)/(u)nsort/si(z)e?: ")
		: _("Sort (d)ate/(f)rm/(r)ecv/(s)ubj/t(o)/(u)nsort/si(z)e?: ");
	int key = ui_getkey_prompt(ui, question);
	enum folder_sort sort;
	switch (key) {
	case 'd': sort = FOLDER_SORT_DATE; break;
	case 'f': sort = FOLDER_SORT_FROM; break;
	case 'r': sort = FOLDER_SORT_RECEIVED; break;
	case 's': sort = FOLDER_SORT_SUBJECT; break;
	case 'o': sort = FOLDER_SORT_TO; break;
	case 'u': sort = FOLDER_SORT_UNSORTED; break;
	case 'z': sort = FOLDER_SORT_SIZE; break;
	default:
		return;
	}
	ui->sort = sort;
	ui->sort_reverse = reverse;
	folder_set_sort(ui->folder, sort, reverse);
	ui->folder_generation++;
	ui->dirty = true;
}

bool ui_core_function(struct ui *ui, struct ui_view *view, int f)
{
	const char *name = config_function_name(f);
	if (strcmp(name, "noop") == 0)
		return true;
	if (strcmp(name, "help") == 0) {
		ui_view_push(ui, ui_help_new(ui, view->menu));
	} else if (strcmp(name, "redraw-screen") == 0 || strcmp(name, "refresh") == 0) {
		ui->clear = true;
		ui->dirty = true;
	} else if (strcmp(name, "exit") == 0) {
		if (ui->view_count > 1)
			ui_view_pop(ui);
		else
			ui_quit(ui, false, true);
	} else if (strcmp(name, "quit") == 0) {
		ui_quit(ui, true, true);
	} else if (strcmp(name, "change-folder") == 0 || strcmp(name, "change-dir") == 0 ||
	           strcmp(name, "goto-folder") == 0) {
		change_folder(ui);
	} else if (strcmp(name, "mailbox-list") == 0) {
		ui_view_push(ui, ui_browser_new(ui));
	} else if (strcmp(name, "imap-fetch-mail") == 0 || strcmp(name, "fetch-mail") == 0 ||
	           strcmp(name, "check-new") == 0) {
		ui_request(ui, account_request_new(ACCOUNT_REQUEST_CHECK));
		ui_message(ui, _("Checking for new mail…"));
	} else if (strcmp(name, "sync-mailbox") == 0) {
		sync_folder(ui);
	} else if (strcmp(name, "sort-mailbox") == 0) {
		sort_folder(ui, false);
	} else if (strcmp(name, "sort-reverse") == 0) {
		sort_folder(ui, true);
	} else if (strcmp(name, "what-key") == 0) {
		what_key(ui);
	} else if (strcmp(name, "show-version") == 0) {
		ui_message(ui, "Rowan %s", PACKAGE_VERSION);
	} else {
		return false;
	}
	return true;
}
