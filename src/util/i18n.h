/* i18n: gettext wrappers.  Include "config.h" before this header. */
#ifndef ROWAN_I18N_H
#define ROWAN_I18N_H

#ifdef ENABLE_NLS
#include <libintl.h>
#define _(s) gettext(s)
#else
#define _(s) (s)
#define ngettext(s, p, n) ((n) == 1 ? (s) : (p))
#endif
/* Marks a string for translation where it is used later through _(). */
#define N_(s) (s)

#endif
