/*
 * describe: one line saying what each function does, for the help
 * screen (mutt's wording where Rowan does the same), and the help line
 * at the top of the screen ("q:Quit  d:Del ...") from the key map.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ui/ui_private.h"

struct function_description {
	const char *function;
	const char *description;
};

static const struct function_description descriptions[] = {
	{"bottom", N_("jump to the bottom of the message")},
	{"bottom-page", N_("move to the bottom of the page")},
	{"change-dir", N_("open another folder")},
	{"change-folder", N_("open a different folder")},
	{"check-new", N_("check for new mail")},
	{"clear-flag", N_("clear a status flag from a message")},
	{"collapse-parts", N_("show or hide the parts of a multipart")},
	{"copy-message", N_("copy a message to a folder")},
	{"current-bottom", N_("move the entry to the bottom of the screen")},
	{"current-middle", N_("move the entry to the middle of the screen")},
	{"current-top", N_("move the entry to the top of the screen")},
	{"delete-message", N_("mark the current entry as deleted")},
	{"display-message", N_("display a message")},
	{"display-toggle-weed", N_("display the message with all headers or without")},
	{"exit", N_("exit this menu")},
	{"fetch-mail", N_("check for new mail now")},
	{"first-entry", N_("move to the first entry")},
	{"flag-message", N_("toggle a message's 'important' flag")},
	{"goto-folder", N_("open the folder typed at a prompt")},
	{"half-down", N_("scroll down 1/2 page")},
	{"half-up", N_("scroll up 1/2 page")},
	{"help", N_("this screen")},
	{"imap-fetch-mail", N_("check for new mail now")},
	{"jump", N_("jump to an index number")},
	{"last-entry", N_("move to the last entry")},
	{"mailbox-list", N_("list the folders of the account")},
	{"mark-as-new", N_("toggle a message's 'new' flag")},
	{"middle-page", N_("move to the middle of the page")},
	{"next-entry", N_("move to the next entry")},
	{"next-line", N_("scroll down one line")},
	{"next-new", N_("jump to the next new message")},
	{"next-new-then-unread", N_("jump to the next new or unread message")},
	{"next-page", N_("move to the next page")},
	{"next-undeleted", N_("move to the next undeleted message")},
	{"next-unread", N_("jump to the next unread message")},
	{"previous-entry", N_("move to the previous entry")},
	{"previous-line", N_("scroll up one line")},
	{"previous-new", N_("jump to the previous new message")},
	{"previous-new-then-unread", N_("jump to the previous new or unread message")},
	{"previous-page", N_("move to the previous page")},
	{"previous-undeleted", N_("move to the previous undeleted message")},
	{"previous-unread", N_("jump to the previous unread message")},
	{"print-entry", N_("print the current entry")},
	{"pipe-entry", N_("pipe the entry to a shell command")},
	{"quit", N_("save changes to the folder and quit")},
	{"redraw-screen", N_("clear and redraw the screen")},
	{"refresh", N_("clear and redraw the screen")},
	{"save-entry", N_("save the entry to a file")},
	{"save-message", N_("move a message to a folder")},
	{"search", N_("search for a regular expression")},
	{"search-next", N_("search for the next match")},
	{"search-opposite", N_("search for the next match in the opposite direction")},
	{"search-reverse", N_("search backwards for a regular expression")},
	{"search-toggle", N_("toggle the coloring of search matches")},
	{"select-entry", N_("select the current entry")},
	{"set-flag", N_("set a status flag on a message")},
	{"show-version", N_("show the Rowan version")},
	{"skip-quoted", N_("skip beyond quoted text")},
	{"sort", N_("sort the folders")},
	{"sort-mailbox", N_("sort messages")},
	{"sort-reverse", N_("sort messages in reverse order")},
	{"sync-mailbox", N_("purge deleted messages from the folder")},
	{"toggle-new", N_("toggle a message's 'new' flag")},
	{"toggle-quoted", N_("show or hide quoted text")},
	{"top", N_("jump to the top of the message")},
	{"top-page", N_("move to the top of the page")},
	{"undelete-message", N_("undelete the current entry")},
	{"view-attach", N_("view the attachment, using mailcap if needed")},
	{"view-attachments", N_("show the MIME attachments")},
	{"view-mailcap", N_("view the attachment using its mailcap entry")},
	{"view-text", N_("view the attachment as text")},
	{"what-key", N_("show the code of a key press")},
};

const char *ui_function_description(int function)
{
	const char *name = config_function_name(function);
	for (size_t i = 0; i < sizeof descriptions / sizeof descriptions[0]; i++)
		if (strcmp(descriptions[i].function, name) == 0)
			return _(descriptions[i].description);
	return NULL;
}

char *ui_help_line_build(struct ui *ui, enum config_menu menu,
                         const char *const *functions, const char *const *labels,
                         size_t count)
{
	struct buf line;
	buf_init(&line);
	buf_add_str(&line, "");
	for (size_t i = 0; i < count; i++) {
		int function = config_function_find(functions[i]);
		char *key = function >= 0 ? ui_keymap_key_for(ui->cfg, menu, function) : NULL;
		if (key == NULL)
			continue;
		if (line.len > 0)
			buf_add_str(&line, "  ");
		buf_printf(&line, "%s:%s", key, _(labels[i]));
		free(key);
	}
	return buf_steal(&line);
}
