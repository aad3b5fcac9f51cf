/*
 * util: the small things every Rowan module needs — allocation that aborts
 * on out-of-memory, a growable byte buffer, the error record that crosses
 * module boundaries, XDG paths and gettext.
 */
#ifndef ROWAN_UTIL_H
#define ROWAN_UTIL_H

#include <stdarg.h>
#include <stddef.h>

#include "util/i18n.h"

#if defined(__GNUC__)
#define ROWAN_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define ROWAN_PRINTF(a, b)
#endif

/* ---- allocation: never return NULL; print and abort on out-of-memory ---- */
void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Returns a newly allocated formatted string; the caller frees it. */
char *xasprintf(const char *fmt, ...) ROWAN_PRINTF(1, 2);
char *xvasprintf(const char *fmt, va_list ap) ROWAN_PRINTF(1, 0);

/* ---- errors: a class and a message fit to show a user ---- */
enum rowan_err_class {
	ROWAN_ERR_NONE = 0,
	ROWAN_ERR_CONFIG,
	ROWAN_ERR_IO,
	ROWAN_ERR_NET,
	ROWAN_ERR_TLS,
	ROWAN_ERR_AUTH,
	ROWAN_ERR_PROTOCOL,
	ROWAN_ERR_SERVER,
	ROWAN_ERR_INTERNAL,
};

struct rowan_err {
	enum rowan_err_class err_class;
	char message[1024];
};

/* Fill err (which may be NULL) with a class and a formatted message. */
void rowan_err_set(struct rowan_err *err, enum rowan_err_class err_class,
                   const char *fmt, ...) ROWAN_PRINTF(3, 4);
void rowan_err_clear(struct rowan_err *err);
/* The class as a short English word, for logs ("tls", "net", ...). */
const char *rowan_err_class_name(enum rowan_err_class err_class);

/* ---- growable buffer (always NUL-terminated) ---- */
struct buf {
	char *data;
	size_t len;
	size_t cap;
};

void buf_init(struct buf *b);
void buf_add(struct buf *b, const void *data, size_t len);
void buf_add_str(struct buf *b, const char *s);
void buf_add_char(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) ROWAN_PRINTF(2, 3);
void buf_reset(struct buf *b);
/* Hand the contents to the caller (who frees them) and empty the buffer. */
char *buf_steal(struct buf *b);
void buf_free(struct buf *b);

/* ---- paths ---- */
/*
 * Expand a leading "~" or "~/" to $HOME (or the passwd entry).  Returns a
 * newly allocated string, or NULL for "~user" forms that cannot be resolved.
 */
char *path_expand_home(const char *path);
/*
 * XDG base directories with Rowan's subfolder appended
 * ("$XDG_CACHE_HOME/rowan", else "$HOME/.cache/rowan"); newly allocated.
 */
char *path_config_dir(void);
char *path_cache_dir(void);
char *path_state_dir(void);
/* mkdir -p with the given mode for created components; 0 or -1 (errno). */
int path_mkdir_p(const char *path, unsigned int mode);
/* Join dir and name with one slash; newly allocated. */
char *path_join(const char *dir, const char *name);

/*
 * Write data to path atomically: a temporary file in the same directory,
 * fsync, rename.  Mode applies to a new file.  0 or -1 with err filled.
 */
int file_write_atomic(const char *path, const void *data, size_t len,
                      unsigned int mode, struct rowan_err *err);
/* Read a whole file (at most max bytes); newly allocated, NUL-terminated. */
char *file_read_all(const char *path, size_t max, size_t *len_out,
                    struct rowan_err *err);

#endif
