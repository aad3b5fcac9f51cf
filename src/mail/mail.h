/*
 * mail: Rowan's message model.  For now it holds the demo mailbox; the
 * envelope, flags and folder index come with the message-model work.
 */
#ifndef ROWAN_MAIL_H
#define ROWAN_MAIL_H

#include <stddef.h>

#include "util/util.h"

/* Routine messages in the demo mailbox, after the hand-written ones. */
#define DEMO_ROUTINE_MESSAGES 24

/*
 * Build the demo mailbox as mbox bytes (LF line ends, mboxrd quoting).
 * Returns a newly allocated buffer the caller frees; sets *len_out and
 * *count_out (number of messages) when they are not NULL.
 */
char *demo_mbox_build(size_t *len_out, int *count_out);

/*
 * Make sure the demo mailbox exists under the cache directory
 * ($XDG_CACHE_HOME/rowan/demo.mbox), writing it atomically on first use and
 * leaving an existing one alone.  On success sets *path_out to a newly
 * allocated path and returns 0; on failure returns -1 with err filled.
 */
int demo_mbox_ensure(char **path_out, struct rowan_err *err);

#endif
