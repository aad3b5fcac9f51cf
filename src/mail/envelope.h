/*
 * envelope: the compact record a folder index keeps for each message —
 * sender, recipients, subject, date, the message ids that link a thread,
 * size, flags, whether it has attachments, UID and arrival time.
 *
 * An index of a 100,000-message folder holds 100,000 of these, so an
 * envelope is one allocation: a few fixed numeric fields followed by all
 * its strings (NUL-terminated UTF-8) in a trailing character array, found
 * through 16-bit offsets.  Strings are capped (see ENVELOPE_*_MAX) to keep
 * records small and the offsets in range.
 *
 * Envelopes are built from the header block alone (an IMAP
 * BODY.PEEK[HEADER.FIELDS (ENVELOPE_HEADER_FIELDS)] fetch, a cached
 * header, an mbox message's header) or from a whole message; both give
 * the same envelope for the same message.  Strings are stored as decoded
 * UTF-8 but not made safe for a terminal: pass them through
 * mime_safe_text() before showing them.
 */
#ifndef ROWAN_MAIL_ENVELOPE_H
#define ROWAN_MAIL_ENVELOPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* ---- flags (bits of envelope_flags()) ---- */
#define ENVELOPE_SEEN 0x01u
#define ENVELOPE_ANSWERED 0x02u
#define ENVELOPE_FLAGGED 0x04u
#define ENVELOPE_DELETED 0x08u
#define ENVELOPE_DRAFT 0x10u
#define ENVELOPE_RECENT 0x20u
#define ENVELOPE_FLAGS_ALL 0x3fu

/*
 * The header fields an envelope is made from, for an IMAP fetch:
 * "BODY.PEEK[HEADER.FIELDS (" ENVELOPE_HEADER_FIELDS ")]".  Content-Type
 * and Content-Disposition decide envelope_has_attachment().
 */
#define ENVELOPE_HEADER_FIELDS \
	"From To Cc Subject Date Message-ID In-Reply-To References " \
	"Content-Type Content-Disposition"

/* The same fields one by one; NULL-terminated. */
extern const char *const envelope_header_fields[];

/* Limits on the stored strings, in bytes (cut on a UTF-8 boundary). */
#define ENVELOPE_NAME_MAX 200        /* from display name, from address */
#define ENVELOPE_LIST_MAX 200        /* to, cc: whole addresses, then ", …" */
#define ENVELOPE_SUBJECT_MAX 1000
#define ENVELOPE_ID_MAX 250          /* longer message ids are dropped */
#define ENVELOPE_REFERENCES_MAX 2000 /* the first id and the last ones kept */

/* What the header does not say, supplied by whoever fetched the message. */
struct envelope_meta {
	uint32_t uid;       /* IMAP UID, or the message's number in an mbox */
	time_t arrival;     /* INTERNALDATE or the mbox "From " line; 0 if unknown */
	uint64_t size;      /* bytes of the whole message (RFC822.SIZE) */
	unsigned flags;     /* ENVELOPE_* bits */
};

struct envelope;

/*
 * Build an envelope from a message's header block (the bytes up to the
 * empty line; anything after the first empty line is ignored; LF or CRLF
 * line ends; a leading mbox "From " line is skipped).  meta may be NULL
 * (all zero).  assumed_charset decodes 8-bit header text that is not
 * UTF-8 (NULL: windows-1252).
 *
 * - from: the first mailbox of From (display name and address);
 * - to, cc: every address as "Name <user@domain>" joined with ", ",
 *   capped at ENVELOPE_LIST_MAX bytes (whole addresses, then ", …");
 *   members of a group are listed, an empty group shows as "name:;";
 * - subject: RFC 2047 and 8-bit text decoded to UTF-8;
 * - date: from Date; when Date is missing or unreadable, the arrival time
 *   with zone 0 (envelope_date_is_fallback() tells);
 * - message id and in-reply-to: the first "<id>" of the field;
 *   references: every "<id>" of References, separated by one space;
 * - has_attachment: the top-level Content-Type is multipart/mixed, or
 *   the header has Content-Disposition: attachment.  Only the header is
 *   read, so a multipart/mixed message with nothing but text counts, and
 *   an attachment inside multipart/alternative or /related does not.
 *
 * Never returns NULL; free with envelope_free().
 */
struct envelope *envelope_from_headers(const char *header_block, size_t len,
                                       const struct envelope_meta *meta,
                                       const char *assumed_charset);

/*
 * Like envelope_from_headers for a whole message: finds the header block
 * (up to the first empty line) and builds the envelope from it.  When
 * meta is NULL or its size is 0, the size is len.
 */
struct envelope *envelope_from_message(const char *message, size_t len,
                                       const struct envelope_meta *meta,
                                       const char *assumed_charset);

/* Free an envelope; accepts NULL and clears *envelope. */
void envelope_free(struct envelope **envelope);

/* A copy of the envelope (one allocation, like the original). */
struct envelope *envelope_copy(const struct envelope *envelope);

/*
 * Bytes the envelope occupies (its single allocation, without the
 * allocator's own overhead).
 */
size_t envelope_memory(const struct envelope *envelope);

/* True when a and b hold the same fields (strings, numbers, flags). */
bool envelope_equal(const struct envelope *a, const struct envelope *b);

/* ---- strings: never NULL, "" when the message has none ---- */
const char *envelope_from_name(const struct envelope *envelope);
const char *envelope_from_address(const struct envelope *envelope);
/* The from name, or the address when there is no name. */
const char *envelope_from_display(const struct envelope *envelope);
const char *envelope_to(const struct envelope *envelope);
const char *envelope_cc(const struct envelope *envelope);
const char *envelope_subject(const struct envelope *envelope);
/* Message ids keep their angle brackets: "<id@host>". */
const char *envelope_message_id(const struct envelope *envelope);
const char *envelope_in_reply_to(const struct envelope *envelope);
/* "<a@x> <b@y> <c@z>", oldest first; step through it with envelope_id_next. */
const char *envelope_references(const struct envelope *envelope);

/*
 * Step through a space-separated list of message ids: returns the next
 * id (not NUL-terminated; *len set) and moves *cursor past it, or NULL
 * at the end.  Start with *cursor = envelope_references(e).
 */
const char *envelope_id_next(const char **cursor, size_t *len);

/* ---- numbers ---- */
time_t envelope_date(const struct envelope *envelope);
/* The sender's zone, in minutes east of UTC. */
int envelope_zone_minutes(const struct envelope *envelope);
/* True when the Date field was missing or unreadable and the date is the
 * arrival time. */
bool envelope_date_is_fallback(const struct envelope *envelope);
time_t envelope_arrival(const struct envelope *envelope);
uint32_t envelope_uid(const struct envelope *envelope);
/* The message size in bytes (at most UINT32_MAX). */
uint32_t envelope_size(const struct envelope *envelope);
bool envelope_has_attachment(const struct envelope *envelope);

/* ---- flags ---- */
unsigned envelope_flags(const struct envelope *envelope);
/* Replace the flags (bits outside ENVELOPE_FLAGS_ALL are dropped). */
void envelope_set_flags(struct envelope *envelope, unsigned flags);

/*
 * The flag for an IMAP system flag name ("\Seen", "\Answered", "\Flagged",
 * "\Deleted", "\Draft", "\Recent"; case-insensitive), or 0 for any other
 * name (keywords).
 */
unsigned envelope_flag_from_imap(const char *name, size_t len);
/* The IMAP name of one flag bit ("\Seen"), or NULL for anything else. */
const char *envelope_flag_imap_name(unsigned flag);
/*
 * Flags from an mbox message's Status and X-Status fields (as mutt and
 * other mbox readers write them): R seen, O old (its absence means
 * recent), A answered, F flagged, T draft, D deleted.
 */
unsigned envelope_flags_from_mbox(const char *header_block, size_t len);

/* ---- byte form (for the header cache) ---- */

/*
 * The envelope as a stable byte string: version 1 of a defined format,
 * independent of the host's struct layout and byte order.  All numbers
 * are little-endian:
 *
 *   0  u8   version (ENVELOPE_BYTES_VERSION)
 *   1  u8   flags (ENVELOPE_* bits)
 *   2  u8   bits: 0x01 has attachment, 0x02 date is the fallback
 *   3  u8   0
 *   4  i16  zone (minutes east of UTC, -1440..1440)
 *   6  u16  text length n (at least 1)
 *   8  u64  checksum (see envelope.c) of every byte except these eight
 *  16  i64  date             24  i64  arrival
 *  32  u32  uid              36  u32  size
 *  40  u16  offsets of from name, from address, to, cc, subject,
 *           message id, in-reply-to, references (each < n)
 *  56  n bytes of text; its last byte is NUL
 *
 * The checksum catches any change confined to one aligned 8-byte word
 * with certainty, and other damage with overwhelming probability.
 * Returns a newly allocated buffer (free() it) and sets *len.
 */
#define ENVELOPE_BYTES_VERSION 1
void *envelope_to_bytes(const struct envelope *envelope, size_t *len);

/*
 * The envelope stored in data by envelope_to_bytes, or NULL when the
 * bytes are not exactly one valid record of the current version (wrong
 * length, version, checksum, offsets, text not NUL-terminated, flags or
 * numbers out of range).  Safe on any input; free with envelope_free().
 */
struct envelope *envelope_from_bytes(const void *data, size_t len);

/*
 * Replace the flags inside bytes made by envelope_to_bytes (and fix the
 * checksum).  Returns 0, or -1 (bytes untouched) when data is not a
 * valid record.
 */
int envelope_bytes_set_flags(void *data, size_t len, unsigned flags);

#endif
