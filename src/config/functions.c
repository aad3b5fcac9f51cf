/*
 * functions: the names of the functions keys can be bound to, mutt's
 * names, and the menus each one belongs to.
 */
#include "config.h"

#include <string.h>

#include "config/internal.h"

#define G (1u << CONFIG_MENU_GENERIC)
#define I (1u << CONFIG_MENU_INDEX)
#define P (1u << CONFIG_MENU_PAGER)
#define B (1u << CONFIG_MENU_BROWSER)
#define A (1u << CONFIG_MENU_ATTACH)
#define C (1u << CONFIG_MENU_COMPOSE)
#define E (1u << CONFIG_MENU_EDITOR)

struct function {
	const char *name;
	unsigned menus;
};

static const struct function functions[] = {
	/* Everywhere. */
	{"noop", G | I | P | B | A | C | E},
	/* generic: usable in every menu but the editor. */
	{"bottom-page", G}, {"current-bottom", G}, {"current-middle", G},
	{"current-top", G}, {"end-cond", G}, {"enter-command", G}, {"exit", G},
	{"first-entry", G}, {"half-down", G}, {"half-up", G}, {"help", G},
	{"jump", G}, {"last-entry", G}, {"middle-page", G}, {"next-entry", G},
	{"next-line", G}, {"next-page", G}, {"previous-entry", G},
	{"previous-line", G}, {"previous-page", G}, {"redraw-screen", G},
	{"refresh", G}, {"search", G}, {"search-next", G}, {"search-opposite", G},
	{"search-reverse", G}, {"select-entry", G}, {"shell-escape", G},
	{"tag-entry", G}, {"tag-prefix", G}, {"tag-prefix-cond", G},
	{"top-page", G}, {"what-key", G},
	/* index and pager */
	{"bounce-message", I | P | A}, {"break-thread", I | P},
	{"change-folder", I | P}, {"change-folder-readonly", I | P},
	{"clear-flag", I | P}, {"collapse-all", I}, {"collapse-thread", I},
	{"compose-to-sender", I | P | A}, {"copy-message", I | P},
	{"create-alias", I | P | A}, {"decode-copy", I | P}, {"decode-save", I | P},
	{"delete-message", I | P}, {"delete-pattern", I}, {"delete-subthread", I | P},
	{"delete-thread", I | P}, {"display-address", I | P},
	{"display-message", I}, {"display-toggle-weed", I | P | A},
	{"edit", I | P}, {"edit-label", I | P}, {"edit-type", I | P | A | C},
	{"extract-keys", I | P | A}, {"fetch-mail", I}, {"flag-message", I | P},
	{"forget-passphrase", I | P | A | C}, {"forward-message", I | P | A},
	{"group-reply", I | P | A}, {"imap-fetch-mail", I}, {"imap-logout-all", I},
	{"limit", I}, {"link-threads", I | P}, {"list-reply", I | P | A},
	{"mail", I | P}, {"mark-as-new", I | P}, {"next-new", I | P},
	{"next-new-then-unread", I | P}, {"next-subthread", I | P},
	{"next-thread", I | P}, {"next-undeleted", I | P}, {"next-unread", I | P},
	{"next-unread-mailbox", I | P}, {"parent-message", I | P},
	{"pipe-message", I | P}, {"previous-new", I | P},
	{"previous-new-then-unread", I | P}, {"previous-subthread", I | P},
	{"previous-thread", I | P}, {"previous-undeleted", I | P},
	{"previous-unread", I | P}, {"print-message", I | P},
	{"purge-message", I | P}, {"quit", I | P}, {"read-subthread", I | P},
	{"read-thread", I | P}, {"recall-message", I | P}, {"reply", I | P | A},
	{"resend-message", I | P | A}, {"root-message", I | P},
	{"save-message", I | P}, {"set-flag", I | P}, {"show-limit", I},
	{"show-version", I | P}, {"sort-mailbox", I | P}, {"sort-reverse", I | P | B},
	{"sync-mailbox", I | P}, {"tag-message", I | P}, {"tag-pattern", I},
	{"tag-subthread", I | P}, {"tag-thread", I | P}, {"toggle-headers", I | P | A},
	{"toggle-new", I | P}, {"toggle-write", I | P}, {"undelete-message", I | P},
	{"undelete-pattern", I}, {"undelete-subthread", I | P},
	{"undelete-thread", I | P}, {"untag-pattern", I}, {"view-attachments", I | P},
	/* pager */
	{"bottom", P}, {"search-toggle", P}, {"skip-quoted", P}, {"toggle-quoted", P},
	{"top", P},
	/* browser */
	{"change-dir", B}, {"check-new", B}, {"create-mailbox", B},
	{"delete-mailbox", B}, {"descend-directory", B}, {"display-filename", B},
	{"enter-mask", B}, {"goto-folder", B}, {"goto-parent", B},
	{"mailbox-list", I | P | B}, {"rename-mailbox", B}, {"select-new", B}, {"sort", B},
	{"subscribe", B}, {"toggle-mailboxes", B}, {"toggle-subscribed", B},
	{"unsubscribe", B}, {"view-file", B},
	/* attach and compose */
	{"collapse-parts", A}, {"delete-entry", A | C}, {"pipe-entry", A | C},
	{"print-entry", A | C}, {"save-entry", A}, {"undelete-entry", A | C},
	{"view-attach", A | C}, {"view-mailcap", A | C}, {"view-text", A | C},
	{"attach-file", C}, {"attach-key", C}, {"attach-message", C},
	{"copy-file", C}, {"detach-file", C}, {"edit-bcc", C}, {"edit-cc", C},
	{"edit-description", C}, {"edit-encoding", C}, {"edit-fcc", C},
	{"edit-file", C}, {"edit-from", C}, {"edit-headers", C},
	{"edit-message", C}, {"edit-mime", C}, {"edit-reply-to", C},
	{"edit-subject", C}, {"edit-to", C}, {"filter-entry", C},
	{"get-attachment", C}, {"ispell", C}, {"move-down", C}, {"move-up", C},
	{"new-mime", C}, {"postpone-message", C}, {"rename-attachment", C},
	{"rename-file", C}, {"send-message", C}, {"toggle-disposition", C},
	{"toggle-recode", C}, {"toggle-unlink", C}, {"update-encoding", C},
	{"write-fcc", C},
	/* editor: the line editor of prompts */
	{"backspace", E}, {"backward-char", E}, {"backward-word", E}, {"bol", E},
	{"buffy-cycle", E}, {"capitalize-word", E}, {"complete", E},
	{"complete-query", E}, {"delete-char", E}, {"downcase-word", E}, {"eol", E},
	{"forward-char", E}, {"forward-word", E}, {"history-down", E},
	{"history-search", E}, {"history-up", E}, {"kill-eol", E}, {"kill-eow", E},
	{"kill-line", E}, {"kill-word", E}, {"quote-char", E},
	{"transpose-chars", E}, {"upcase-word", E},
};

#define N_FUNCTIONS (sizeof functions / sizeof functions[0])

size_t config_function_count(void)
{
	return N_FUNCTIONS;
}

int config_function_find(const char *name)
{
	for (size_t i = 0; i < N_FUNCTIONS; i++)
		if (strcmp(functions[i].name, name) == 0)
			return (int)i;
	return -1;
}

const char *config_function_name(int id)
{
	if (id < 0 || (size_t)id >= N_FUNCTIONS)
		return "?";
	return functions[id].name;
}

bool config_function_in_menu(int id, enum config_menu menu)
{
	if (id < 0 || (size_t)id >= N_FUNCTIONS)
		return false;
	unsigned m = functions[id].menus;
	if (m & (1u << menu))
		return true;
	return (m & G) && menu != CONFIG_MENU_EDITOR;
}

const char *functions_suggest(const char *word, enum config_menu menu)
{
	struct suggest s;
	suggest_init(&s, word);
	for (size_t i = 0; i < N_FUNCTIONS; i++)
		if (config_function_in_menu((int)i, menu))
			suggest_consider(&s, functions[i].name);
	return suggest_result(&s);
}
