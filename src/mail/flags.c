/*
 * flags: the message flags of an envelope in the forms they come in —
 * IMAP system flags ("\Seen") and the Status / X-Status fields that mbox
 * readers write into a message's header.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mail/envelope.h"
#include "mime/mime.h"

struct flag_name {
	unsigned flag;
	const char *imap;
};

static const struct flag_name flag_names[] = {
	{ ENVELOPE_SEEN, "\\Seen" },
	{ ENVELOPE_ANSWERED, "\\Answered" },
	{ ENVELOPE_FLAGGED, "\\Flagged" },
	{ ENVELOPE_DELETED, "\\Deleted" },
	{ ENVELOPE_DRAFT, "\\Draft" },
	{ ENVELOPE_RECENT, "\\Recent" },
};

#define FLAG_NAME_COUNT (sizeof flag_names / sizeof *flag_names)

unsigned envelope_flag_from_imap(const char *name, size_t len)
{
	for (size_t i = 0; i < FLAG_NAME_COUNT; i++)
		if (strlen(flag_names[i].imap) == len && strncasecmp(flag_names[i].imap, name, len) == 0)
			return flag_names[i].flag;
	return 0;
}

const char *envelope_flag_imap_name(unsigned flag)
{
	for (size_t i = 0; i < FLAG_NAME_COUNT; i++)
		if (flag_names[i].flag == flag)
			return flag_names[i].imap;
	return NULL;
}

unsigned envelope_flags_from_mbox(const char *header_block, size_t len)
{
	unsigned flags = 0;
	char *status = mime_header_get(header_block, len, "Status");
	if (status == NULL || strchr(status, 'O') == NULL)
		flags |= ENVELOPE_RECENT;
	if (status != NULL && strchr(status, 'R') != NULL)
		flags |= ENVELOPE_SEEN;
	free(status);
	char *x_status = mime_header_get(header_block, len, "X-Status");
	if (x_status != NULL) {
		if (strchr(x_status, 'A') != NULL)
			flags |= ENVELOPE_ANSWERED;
		if (strchr(x_status, 'F') != NULL)
			flags |= ENVELOPE_FLAGGED;
		if (strchr(x_status, 'T') != NULL)
			flags |= ENVELOPE_DRAFT;
		if (strchr(x_status, 'D') != NULL)
			flags |= ENVELOPE_DELETED;
		free(x_status);
	}
	return flags;
}
