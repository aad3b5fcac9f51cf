/*
 * mime: from raw RFC 5322 / MIME bytes to text fit for a terminal.
 *
 * This header covers the building blocks — charsets, header decoding
 * (RFC 2047), parameters (RFC 2045 / 2231), addresses, dates and safe
 * display.  The message structure, body decoding and rendering are in
 * mime/message.h.  All text coming out of this module is UTF-8.
 * Nothing here blocks, prints or touches the terminal.
 */
#ifndef ROWAN_MIME_H
#define ROWAN_MIME_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "util/util.h"

/* ---- charsets ---- */

/* True when iconv knows the charset (after alias clean-up, e.g. "utf8"). */
bool mime_charset_known(const char *charset);

/* True when data is well-formed UTF-8 (no overlongs, no surrogates). */
bool mime_utf8_valid(const char *data, size_t len);

/*
 * Convert len bytes from charset to UTF-8.  Invalid or unconvertible
 * sequences become U+FFFD, never truncate the text; NUL bytes become
 * U+FFFD too.  An unknown or NULL charset is treated as fallback (the
 * assumed_charset variable; NULL means windows-1252) unless the data is
 * valid UTF-8.  Returns a newly allocated NUL-terminated string; sets
 * *out_len when not NULL.
 */
char *mime_charset_to_utf8(const char *charset, const char *data, size_t len,
                           const char *fallback, size_t *out_len);

/* ---- header values ---- */

/*
 * Decode an unstructured header value (Subject, Comments, a display
 * name): unfold, decode RFC 2047 encoded words in any charset iconv
 * knows, join adjacent encoded words (whitespace between them dropped),
 * leave malformed words as they are written, and decode raw 8-bit text
 * as UTF-8 when valid, else as fallback.  Newly allocated UTF-8.
 */
char *mime_header_decode(const char *value, size_t len, const char *fallback);

/*
 * The value of the first header called name (case-insensitive) in a
 * header block (the bytes up to the empty line; LF or CRLF), unfolded,
 * raw (not decoded); newly allocated, or NULL when absent.
 */
char *mime_header_get(const char *block, size_t len, const char *name);

/* ---- parameters: Content-Type, Content-Disposition ---- */

struct mime_param {
	char *name;	/* lower case, without RFC 2231 "*" / "*N*" suffixes */
	char *value;	/* decoded UTF-8 */
};

struct mime_content_header {
	char *value;	/* lower case: "text/plain", "attachment"; "" if missing */
	struct mime_param *params;
	size_t param_count;
};

/*
 * Parse "value; name=token; name="quoted"; name*=utf-8''%E2%82%AC;
 * name*0*=...; name*1=..." into out.  RFC 2231 continuations are joined in
 * order and charsets applied; RFC 2047 words inside quoted values (common
 * in the wild) are decoded; a parameter that is malformed is skipped, not
 * fatal.  Always fills out (free with mime_content_header_clear).
 */
void mime_content_header_parse(const char *value, size_t len, const char *fallback,
                               struct mime_content_header *out);
/* The decoded value of parameter name, or NULL (borrowed). */
const char *mime_content_header_param(const struct mime_content_header *header,
                                      const char *name);
void mime_content_header_clear(struct mime_content_header *header);

/* ---- addresses ---- */

struct mime_address {
	char *name;	/* decoded display name, or NULL */
	char *mailbox;	/* addr-spec "user@domain", or NULL if none could be read */
	char *group;	/* name of the group this address is in, or NULL */
};

struct mime_address_list {
	struct mime_address *items;
	size_t count;
};

/*
 * Parse an address-list header value (From, To, Cc, Reply-To): groups,
 * comments, quoted and encoded display names, obsolete forms; what cannot
 * be parsed is kept as a name so nothing is dropped.  Never returns NULL.
 */
struct mime_address_list *mime_address_list_parse(const char *value, size_t len,
                                                  const char *fallback);
void mime_address_list_free(struct mime_address_list **list);
/* "Name <user@domain>", or just "user@domain"; newly allocated UTF-8. */
char *mime_address_format(const struct mime_address *address);
/* All addresses formatted and joined with ", "; newly allocated. */
char *mime_address_list_format(const struct mime_address_list *list);

/* ---- dates ---- */

/*
 * Parse an RFC 5322 date, including obsolete forms (2- and 3-digit years,
 * named zones like EST or GMT, missing weekday or seconds, comments) and
 * a few common broken ones.  Sets *when (UTC seconds) and *zone_minutes
 * (offset east of UTC).  Returns 0, or -1 when no date could be read
 * (callers then fall back to the arrival date).
 */
int mime_date_parse(const char *value, size_t len, time_t *when, int *zone_minutes);

/* ---- safe display ---- */

enum mime_safe_mode {
	MIME_SAFE_LINE,	/* one line: newlines and tabs are shown as well */
	MIME_SAFE_TEXT,	/* text: keeps '\n' and '\t' */
};

/*
 * Make UTF-8 text safe to write to a terminal: C0 controls and DEL are
 * shown as ^X / ^?, ESC as ^[ (so no escape sequence survives), C1
 * controls as <U+0085>, bidi overrides and isolates and other invisible
 * format characters as <U+202E>; invalid UTF-8 becomes U+FFFD.
 * A carriage return before a newline is dropped in MIME_SAFE_TEXT.
 * Newly allocated.
 */
char *mime_safe_text(const char *text, size_t len, enum mime_safe_mode mode);

/*
 * Columns that UTF-8 text takes on the terminal (wcwidth; wide characters
 * count 2, combining marks 0).  Expects text already passed through
 * mime_safe_text.
 */
size_t mime_display_width(const char *text, size_t len);

#endif
