/*
 * folder_private.h: what folder.c and folder_sort.c share — the order of
 * messages in a folder.
 */
#ifndef ROWAN_MAIL_FOLDER_PRIVATE_H
#define ROWAN_MAIL_FOLDER_PRIVATE_H

#include <stdbool.h>

#include "mail/folder.h"

/*
 * Compare two envelopes for display: by sort, ties by date sent, then by
 * UID (the sort_aux order), so that distinct UIDs never compare equal;
 * everything turned round when reverse.  <0, 0 or >0 as strcmp.
 */
int folder_envelope_compare(const struct envelope *a, const struct envelope *b,
                            enum folder_sort sort, bool reverse);

/*
 * The subject without its reply and forward prefixes ("Re:", "Fwd:",
 * "Fw:", "AW:", "SV:", any case, repeated, with an optional "[2]" count
 * as in "Re[2]:") and the blanks after them.  Points into subject.
 */
const char *folder_subject_strip(const char *subject);

#endif
