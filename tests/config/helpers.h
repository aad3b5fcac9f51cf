/* helpers: shared set-up for the config unit tests. */
#ifndef ROWAN_TESTS_CONFIG_HELPERS_H
#define ROWAN_TESTS_CONFIG_HELPERS_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "config/rc.h"

/* A configuration loaded from text, with its diagnostics. */
struct loaded {
	struct config *cfg;
	struct config_diags *diags;
	int rc;
};

/*
 * Give the tests a predictable world: English messages, HOME and the XDG
 * folders in a fresh temporary folder, no VISUAL or EDITOR.  Returns the
 * temporary HOME (static storage).
 */
const char *helpers_setup(void);
/* Remove the temporary HOME again. */
void helpers_teardown(void);
/* helpers_setup / helpers_teardown as cmocka group fixtures. */
int helpers_group_setup(void **state);
int helpers_group_teardown(void **state);

/* Load text as the file "rowanrc". */
struct loaded load_text(const char *text);
/* Load the file at path (must exist). */
struct loaded load_file(const char *path);
void loaded_free(struct loaded *l);

/* All diagnostics as "file:line:column: error: message" lines. */
char *diags_joined(const struct config_diags *diags);
/* Assert the diagnostics are exactly expected (lines joined by "\n"). */
#define assert_diags(l, expected) do { \
	char *got_ = diags_joined((l)->diags); \
	assert_string_equal(got_, (expected)); \
	free(got_); \
} while (0)

/* Write text to dir/name; returns the newly allocated path. */
char *write_file(const char *dir, const char *name, const char *text);
/* The temporary HOME made by helpers_setup. */
const char *helpers_home(void);

#endif
