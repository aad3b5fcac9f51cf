/*
 * folder: the index of one open folder as the UI sees it — the envelopes
 * of its messages in display order, found by position or by UID, with
 * counts for the status line.  Batches of envelopes arrive while a folder
 * loads; each batch is merged into the sorted order in time linear in the
 * folder's size, so a 100,000-message folder stays responsive.
 *
 * Also the line formatters of the index and the status line
 * (index_format, status_format: mutt's % expandos), and modified UTF-7
 * folder names (RFC 3501 5.1.3).
 *
 * Not thread-safe: the UI thread owns its folder.
 */
#ifndef ROWAN_MAIL_FOLDER_H
#define ROWAN_MAIL_FOLDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "mail/envelope.h"

enum folder_sort {
	FOLDER_SORT_DATE,          /* date sent (Date:), "date" and "date-sent" */
	FOLDER_SORT_RECEIVED,      /* arrival (INTERNALDATE), "date-received" */
	FOLDER_SORT_FROM,
	FOLDER_SORT_TO,
	FOLDER_SORT_SUBJECT,       /* without Re:/Fwd: prefixes, case-folded */
	FOLDER_SORT_SIZE,
	FOLDER_SORT_UNSORTED,      /* UID order */
};

/*
 * The sort for a value of the sort variable ("date-received",
 * "reverse-subject", "threads" = date for now); *reverse set for
 * "reverse-".  Unknown names give FOLDER_SORT_DATE.
 */
enum folder_sort folder_sort_parse(const char *name, bool *reverse);

struct folder;

struct folder *folder_new(enum folder_sort sort, bool reverse);
/* Free the folder and its envelopes; accepts NULL and clears *folder. */
void folder_free(struct folder **folder);
/* Remove every message. */
void folder_clear(struct folder *folder);

/*
 * Add envelopes (taking ownership of each; the array itself stays the
 * caller's).  An envelope whose UID is already present replaces the old
 * one (which is freed; within one batch the later one wins).  Keeps the
 * sort order: O(k log k + n) for k envelopes added to n.
 *
 * The display order is the sort's key, ties broken by the date sent and
 * then by UID (mutt's sort_aux = date), so it is total and stable;
 * reverse turns the whole order round.
 */
void folder_add(struct folder *folder, struct envelope **envelopes,
                size_t count);
/* Remove the messages with these UIDs (unknown UIDs are ignored). */
void folder_remove(struct folder *folder, const uint32_t *uids, size_t count);
/* Set one message's flags; false when the UID is not in the folder. */
bool folder_set_flags(struct folder *folder, uint32_t uid, unsigned flags);

void folder_set_sort(struct folder *folder, enum folder_sort sort, bool reverse);

size_t folder_count(const struct folder *folder);
/* The message at position pos (< count) in display order; owned by folder. */
struct envelope *folder_get(const struct folder *folder, size_t pos);
/* The message with this UID, or NULL. */
struct envelope *folder_find(const struct folder *folder, uint32_t uid);
/* The display position of uid, or -1.  O(log n). */
long folder_position(const struct folder *folder, uint32_t uid);

/* Messages without \Seen, with \Deleted, with \Flagged. */
size_t folder_count_unseen(const struct folder *folder);
size_t folder_count_deleted(const struct folder *folder);
size_t folder_count_flagged(const struct folder *folder);

/*
 * The position of the next message after pos (before it when
 * backward) without \Seen, wrapping around, pos itself coming last;
 * -1 if there is none.  O(1) when the folder has no unseen message.
 */
long folder_next_unseen(const struct folder *folder, size_t pos, bool backward);

/* ---- line formats ---- */

/* What a format may refer to besides the envelope. */
struct folder_format_context {
	const char *date_format;  /* strftime for %d (date_format variable) */
	const char *folder_name;  /* %f (display name) */
	const char *account_name; /* %a in status lines... see folder_format_status */
	size_t msg_count;         /* %m */
	size_t unseen_count;      /* %n (status) */
	size_t deleted_count;     /* %d (status) */
	size_t flagged_count;     /* %F (status) */
	const char *sort_name;    /* %s (status) */
	const char *progress;     /* %r (status): "loading 1200/100000" or "" */
	bool read_only;
};

/*
 * One index line for envelope (message number msgno, counting from 1)
 * per index_format, padded or cut to exactly width columns.  Supports
 * mutt's expandos, with what Rowan knows:
 *   %C msgno; %Z three flag columns: 'N' unseen and \Recent, 'O' unseen,
 *   'r' answered (else ' '); 'D' deleted; '!' flagged (no tags yet);
 *   %S the one most telling of D ! r - N O; %{fmt} %[fmt] strftime of the
 *   date sent, %(fmt) of the arrival, %d %D the same with date_format
 *   (all in local time); %L %F %n the sender's name (else address), %a
 *   the address; %t "To name" (or "Cc name") of the first recipient; %T
 *   ' '; %s subject; %c size as mutt ("345", "1.2K", "45K", "4.5M");
 *   %l lines and %N score, always 0 (so %?l?...&...? takes the else
 *   branch); %%; %>X and %*X right-justify the rest filling with X, %|X
 *   fills to the end; %?x?then&else? (then when x is non-zero or
 *   non-empty); widths "%-15.15L" ('-' left, '0' zeros, '=' centre, min,
 *   .max) counted in terminal columns.  Wide characters are never cut in
 *   half.  Every field goes through mime_safe_text, so the line is safe
 *   to draw.  Newly allocated UTF-8.
 */
char *folder_format_index(const char *format, const struct envelope *envelope,
                          size_t msgno, const struct folder_format_context *ctx,
                          int width);
/*
 * The status line per status_format, exactly width columns: %f folder
 * name, %a account, %m messages, %n (and %u) unseen, %d deleted, %F
 * flagged, %s sort name, %v "rowan VERSION", %r the progress text while
 * a folder loads, else '%' for a read-only folder (mutt's mark), else
 * '-'; and %% %>X %*X %|X %?x?then&else? and widths as in the index.
 * Newly allocated UTF-8, terminal-safe.
 */
char *folder_format_status(const char *format,
                           const struct folder_format_context *ctx, int width);

/* ---- modified UTF-7 (IMAP folder names) ---- */

/* Decode a server folder name to UTF-8; a name that is not valid
 * modified UTF-7 comes back unchanged.  Newly allocated. */
char *folder_name_from_imap(const char *name);
/* Encode a UTF-8 name for the server.  Newly allocated. */
char *folder_name_to_imap(const char *name);

#endif
