/*
 * store: local storage.  For now a read-only mbox reader (RFC 4155 with
 * mboxrd quoting): it maps a file, finds the messages in it and hands out
 * each message's bytes with the quoting undone.  It never writes.
 */
#ifndef ROWAN_STORE_H
#define ROWAN_STORE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "util/util.h"

struct store_mbox;

/* Where one message lies in the file. */
struct store_mbox_entry {
	uint64_t from_offset;   /* the "From " line that starts it */
	uint64_t offset;        /* the message: the byte after the "From " line */
	uint64_t length;        /* message bytes as stored (still quoted), without
	                         * the empty line that separates it from the next */
	time_t arrival;         /* the date of the "From " line (UTC); 0 if unreadable */
};

/*
 * Open the mbox at path read-only and index it.  Messages start at a
 * line beginning "From " that opens the file or follows an empty line;
 * the empty line before such a line ends the previous message and is not
 * part of it.  LF and CRLF files are read alike and a missing final
 * newline is tolerated.  An empty file is an mbox with no messages; a
 * file whose first line (after any empty lines) is not a "From " line is
 * refused.  Returns NULL with err filled on failure (cannot open, not a
 * regular file, not an mbox).
 *
 * The file is mapped into memory; it must not be truncated by another
 * program while open (writers lock it).
 */
struct store_mbox *store_mbox_open(const char *path, struct rowan_err *err);

/* Close the mbox; accepts NULL and clears *mbox. */
void store_mbox_close(struct store_mbox **mbox);

/* The number of messages. */
size_t store_mbox_count(const struct store_mbox *mbox);

/* The position of message index (< count), or NULL when out of range. */
const struct store_mbox_entry *store_mbox_entry(const struct store_mbox *mbox, size_t index);

/*
 * The bytes of message index (< count) with mboxrd quoting undone
 * (">From " becomes "From ", ">>From " becomes ">From ", ...), without
 * the "From " line.  Newly allocated and NUL-terminated; *len set when
 * len is not NULL.  NULL when index is out of range.
 */
char *store_mbox_message(const struct store_mbox *mbox, size_t index, size_t *len);

/*
 * The stored bytes of message index as they are in the file (quoting not
 * undone, no "From " line); valid until the mbox is closed.  Enough to
 * read the header, where quoting does not occur.  NULL when out of range.
 */
const char *store_mbox_raw(const struct store_mbox *mbox, size_t index, size_t *len);

#endif
