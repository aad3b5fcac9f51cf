/*
 * vars_table: every variable Rowan knows — name, type, default, limits,
 * allowed values and a one-line description.  The parser, config_dump and
 * the check of rowanrc(5) (tests/config/test_manpage.c) all read this
 * table; to add a variable, add an id to rc.h and an entry here, then
 * document it in doc/rowanrc.5.
 */
#include "config.h"

#include <string.h>

#include "config/internal.h"

static const char *const sort_choices[] = {
	"date", "date-received", "date-sent", "from", "size", "subject",
	"threads", "to", "unsorted", NULL,
};

static const char *const sort_aux_choices[] = {
	"date", "date-received", "date-sent", "from", "size", "subject",
	"to", "unsorted", NULL,
};

#define DAY (24LL * 60 * 60)

static const struct config_var_def var_table[CONFIG_VAR_COUNT] = {
	[CONFIG_VAR_ABORT_UNMODIFIED] = {
		"abort_unmodified", CONFIG_TYPE_QUAD, "yes", 0, 0, NULL, 0,
		N_("Abort sending a new message that was not changed in the editor."),
	},
	[CONFIG_VAR_ALTERNATIVE_ORDER] = {
		"alternative_order", CONFIG_TYPE_STRING, "text/plain text/enriched text/html",
		0, 0, NULL, 0,
		N_("Preferred parts of a multipart/alternative message, best first."),
	},
	[CONFIG_VAR_ASSUMED_CHARSET] = {
		"assumed_charset", CONFIG_TYPE_STRING, "windows-1252", 0, 0, NULL, 0,
		N_("Character set assumed for 8-bit text that does not name its own."),
	},
	[CONFIG_VAR_BEEP] = {
		"beep", CONFIG_TYPE_BOOL, "yes", 0, 0, NULL, 0,
		N_("Beep when an error is shown."),
	},
	[CONFIG_VAR_CONFIRM_QUIT] = {
		"confirm_quit", CONFIG_TYPE_BOOL, "yes", 0, 0, NULL, 0,
		N_("Ask before quitting Rowan."),
	},
	[CONFIG_VAR_CONNECT_TIMEOUT] = {
		"connect_timeout", CONFIG_TYPE_NUMBER, "30", 1, 3600, NULL, 0,
		N_("Seconds to wait for a connection and TLS handshake to complete."),
	},
	[CONFIG_VAR_COPY] = {
		"copy", CONFIG_TYPE_QUAD, "yes", 0, 0, NULL, 0,
		N_("Save a copy of each sent message in the account's sent folder."),
	},
	[CONFIG_VAR_DATE_FORMAT] = {
		"date_format", CONFIG_TYPE_STRING, "%a, %d %b %Y %H:%M", 0, 0, NULL, 0,
		N_("strftime(3) format of dates in the index (%d in index_format)."),
	},
	[CONFIG_VAR_EDITOR] = {
		"editor", CONFIG_TYPE_STRING, "$EDITOR", 0, 0, NULL, 0,
		N_("Editor for composing mail ($VISUAL, else $EDITOR, else vi)."),
	},
	[CONFIG_VAR_EXPUNGE_ON_EXIT] = {
		"expunge_on_exit", CONFIG_TYPE_QUAD, "ask-yes", 0, 0, NULL, 0,
		N_("Purge messages marked for deletion when leaving a folder."),
	},
	[CONFIG_VAR_FOLDER] = {
		"folder", CONFIG_TYPE_PATH, "~/Mail", 0, 0, NULL, 0,
		N_("Folder of local mailboxes."),
	},
	[CONFIG_VAR_HEADER_CACHE] = {
		"header_cache", CONFIG_TYPE_PATH, "$XDG_CACHE_HOME/rowan", 0, 0, NULL, 0,
		N_("Folder where message headers fetched from servers are cached."),
	},
	[CONFIG_VAR_HELP] = {
		"help", CONFIG_TYPE_BOOL, "yes", 0, 0, NULL, 0,
		N_("Show a line of the most useful keys at the top of the screen."),
	},
	[CONFIG_VAR_HTML_FILTER] = {
		"html_filter", CONFIG_TYPE_STRING, "", 0, 0, NULL, 0,
		N_("Command turning HTML on its standard input into text; empty for the built-in one."),
	},
	[CONFIG_VAR_IMAP_COMPRESS] = {
		"imap_compress", CONFIG_TYPE_BOOL, "yes", 0, 0, NULL, 0,
		N_("Compress IMAP traffic (COMPRESS=DEFLATE) when the server offers it."),
	},
	[CONFIG_VAR_IMAP_FETCH_PARTS_ABOVE] = {
		"imap_fetch_parts_above", CONFIG_TYPE_NUMBER, "1048576", 0, 2147483648LL, NULL,
		CONFIG_VAR_BYTES,
		N_("Messages larger than this are fetched part by part, attachments only when used."),
	},
	[CONFIG_VAR_IMAP_IDLE] = {
		"imap_idle", CONFIG_TYPE_BOOL, "yes", 0, 0, NULL, 0,
		N_("Wait for new mail with IMAP IDLE when the server offers it."),
	},
	[CONFIG_VAR_IMAP_LIST_SUBSCRIBED] = {
		"imap_list_subscribed", CONFIG_TYPE_BOOL, "no", 0, 0, NULL, 0,
		N_("Show only subscribed IMAP folders in the folder browser."),
	},
	[CONFIG_VAR_INCLUDE] = {
		"include", CONFIG_TYPE_QUAD, "ask-yes", 0, 0, NULL, 0,
		N_("Quote the message being answered in a reply."),
	},
	[CONFIG_VAR_INDEX_FORMAT] = {
		"index_format", CONFIG_TYPE_STRING, "%4C %Z %{%b %d} %-15.15L (%?l?%4l&%4c?) %s",
		0, 0, NULL, 0,
		N_("Format of a line in the message index, as in mutt."),
	},
	[CONFIG_VAR_MAIL_CHECK] = {
		"mail_check", CONFIG_TYPE_NUMBER, "60", 0, DAY, NULL, 0,
		N_("Seconds between checks for new mail; 0 checks only on request."),
	},
	[CONFIG_VAR_MARK_OLD] = {
		"mark_old", CONFIG_TYPE_BOOL, "yes", 0, 0, NULL, 0,
		N_("Mark new messages that were not read as old when leaving a folder."),
	},
	[CONFIG_VAR_MARKERS] = {
		"markers", CONFIG_TYPE_BOOL, "yes", 0, 0, NULL, 0,
		N_("Show a + at the start of wrapped lines in the pager."),
	},
	[CONFIG_VAR_MAX_LITERAL_SIZE] = {
		"max_literal_size", CONFIG_TYPE_NUMBER, "104857600", 1024, 2147483648LL, NULL,
		CONFIG_VAR_BYTES,
		N_("Largest message or part, in bytes, that Rowan accepts from a server."),
	},
	[CONFIG_VAR_PAGER_CONTEXT] = {
		"pager_context", CONFIG_TYPE_NUMBER, "0", 0, 1000, NULL, 0,
		N_("Lines kept from the previous page when paging down."),
	},
	[CONFIG_VAR_PAGER_HEADERS] = {
		"pager_headers", CONFIG_TYPE_STRING, "From To Cc Date Subject", 0, 0, NULL, 0,
		N_("Headers shown above a message in the pager, in this order."),
	},
	[CONFIG_VAR_PAGER_INDEX_LINES] = {
		"pager_index_lines", CONFIG_TYPE_NUMBER, "0", 0, 1000, NULL, 0,
		N_("Lines of the index shown above the pager; 0 for none."),
	},
	[CONFIG_VAR_PAGER_STOP] = {
		"pager_stop", CONFIG_TYPE_BOOL, "no", 0, 0, NULL, 0,
		N_("Stay at the end of a message instead of going on to the next one."),
	},
	[CONFIG_VAR_PASSWORD_TIMEOUT] = {
		"password_timeout", CONFIG_TYPE_NUMBER, "120", 1, 3600, NULL, 0,
		N_("Seconds a password_command may run before it is stopped."),
	},
	[CONFIG_VAR_POSTPONE] = {
		"postpone", CONFIG_TYPE_QUAD, "ask-yes", 0, 0, NULL, 0,
		N_("Keep an unsent message as a draft when leaving the composer."),
	},
	[CONFIG_VAR_REALNAME] = {
		"realname", CONFIG_TYPE_STRING, "", 0, 0, NULL, 0,
		N_("Your name, for the From header of accounts without a from."),
	},
	[CONFIG_VAR_SEND_CHARSET] = {
		"send_charset", CONFIG_TYPE_STRING, "us-ascii:utf-8", 0, 0, NULL, 0,
		N_("Character sets tried in order for outgoing text, separated by colons."),
	},
	[CONFIG_VAR_SIGNATURE] = {
		"signature", CONFIG_TYPE_PATH, "~/.signature", 0, 0, NULL, 0,
		N_("File appended to new messages, if it exists."),
	},
	[CONFIG_VAR_SLEEP_TIME] = {
		"sleep_time", CONFIG_TYPE_NUMBER, "1", 0, 60, NULL, 0,
		N_("Seconds to pause after an informational message."),
	},
	[CONFIG_VAR_SORT] = {
		"sort", CONFIG_TYPE_ENUM, "date-received", 0, 0, sort_choices, CONFIG_VAR_REVERSE,
		N_("Order of messages in the index."),
	},
	[CONFIG_VAR_SORT_AUX] = {
		"sort_aux", CONFIG_TYPE_ENUM, "date", 0, 0, sort_aux_choices, CONFIG_VAR_REVERSE,
		N_("Order of messages that sort places equal, and within threads."),
	},
	[CONFIG_VAR_START_FOLDER] = {
		"start_folder", CONFIG_TYPE_STRING, "INBOX", 0, 0, NULL, 0,
		N_("Folder opened at start."),
	},
	[CONFIG_VAR_STATUS_FORMAT] = {
		"status_format", CONFIG_TYPE_STRING, "-%r- %f [Msgs:%m New:%n Del:%d] (%s) %>-",
		0, 0, NULL, 0,
		N_("Format of the status line, as in mutt."),
	},
	[CONFIG_VAR_TILDE] = {
		"tilde", CONFIG_TYPE_BOOL, "no", 0, 0, NULL, 0,
		N_("Show ~ on the lines after the end of a message in the pager."),
	},
	[CONFIG_VAR_TIMEOUT] = {
		"timeout", CONFIG_TYPE_NUMBER, "30", 1, 3600, NULL, 0,
		N_("Seconds to wait for a server to answer before giving up."),
	},
	[CONFIG_VAR_TLS_CA_FILE] = {
		"tls_ca_file", CONFIG_TYPE_PATH, "", 0, 0, NULL, 0,
		N_("CA certificates trusted besides the system's, for accounts without their own."),
	},
	[CONFIG_VAR_WRAP] = {
		"wrap", CONFIG_TYPE_NUMBER, "0", -1000, 1000, NULL, 0,
		N_("Pager wrap column; 0 for the screen width, negative for that many columns less."),
	},
};

const struct config_var_def *config_var_def(enum config_var_id id)
{
	if ((int)id < 0 || id >= CONFIG_VAR_COUNT)
		return NULL;
	return &var_table[id];
}

int config_var_find(const char *name)
{
	for (int i = 0; i < CONFIG_VAR_COUNT; i++)
		if (strcmp(var_table[i].name, name) == 0)
			return i;
	return -1;
}

const char *config_var_type_name(enum config_var_type type)
{
	switch (type) {
	case CONFIG_TYPE_BOOL: return "bool";
	case CONFIG_TYPE_NUMBER: return "number";
	case CONFIG_TYPE_STRING: return "string";
	case CONFIG_TYPE_PATH: return "path";
	case CONFIG_TYPE_ENUM: return "enum";
	case CONFIG_TYPE_QUAD: return "quad";
	}
	return "?";
}
