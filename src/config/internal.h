/*
 * config internals: what the files of src/config share — the config
 * structure itself, the line scanner, the loader state and helpers for
 * diagnostics and "did you mean" suggestions.  Not used outside src/config.
 */
#ifndef ROWAN_CONFIG_INTERNAL_H
#define ROWAN_CONFIG_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "config/rc.h"

struct config_value {
	long long number;   /* bool, number, quad */
	char *string;       /* string, path, enum */
};

struct config {
	struct config_value values[CONFIG_VAR_COUNT];
	struct config_account **accounts;
	size_t n_accounts, cap_accounts;
	struct config_binding *bindings;
	size_t n_bindings, cap_bindings;
	struct config_color *colors;
	size_t n_colors, cap_colors;
	struct config_alias *aliases;
	size_t n_aliases, cap_aliases;
};

/* Grow an array of elem_size elements so that one more fits. */
void *array_grow(void *items, size_t count, size_t *cap, size_t elem_size);

/* ---- diag.c ---- */
void diags_add(struct config_diags *diags, enum config_severity severity,
               const char *file, unsigned line, unsigned column,
               const char *fmt, ...) ROWAN_PRINTF(6, 7);
void diags_vadd(struct config_diags *diags, enum config_severity severity,
                const char *file, unsigned line, unsigned column,
                const char *fmt, va_list ap) ROWAN_PRINTF(6, 0);

/* ---- suggest.c: "did you mean" ---- */
struct suggest {
	const char *word;
	const char *best;
	unsigned best_distance;
};
/* Damerau-Levenshtein (optimal string alignment) distance, ignoring case. */
unsigned suggest_distance(const char *a, const char *b);
void suggest_init(struct suggest *s, const char *word);
void suggest_consider(struct suggest *s, const char *candidate);
/* The closest candidate if it is close enough to be a likely misspelling. */
const char *suggest_result(const struct suggest *s);

/* ---- scan.c: logical lines and tokens ---- */

/* A logical line: physical lines joined at trailing backslashes. */
struct scan_line {
	char *text;
	size_t len;
	unsigned *line_of;   /* physical line of each byte */
	unsigned *col_of;    /* column of each byte */
	unsigned first_line;
};

struct scan_source {
	const char *data;
	size_t len;
	size_t pos;
	unsigned line;        /* physical lines consumed */
	unsigned last_len;    /* length of the last physical line */
};

void scan_source_init(struct scan_source *src, const char *data, size_t len);
/* The next logical line into out (free with scan_line_free); false at end. */
bool scan_source_next(struct scan_source *src, struct scan_line *out);
void scan_line_free(struct scan_line *line);

enum scan_mode {
	SCAN_VALUE,   /* a value: escapes processed, ends at blank */
	SCAN_NAME,    /* a name: like a value but also ends at = { } */
	SCAN_KEY,     /* key notation: backslashes kept for the key parser */
};

struct token {
	char *text;
	size_t start;         /* byte offsets in the logical line */
	size_t end;
	bool quoted;
};

struct scanner {
	const struct scan_line *line;
	size_t pos;
	const char *file;
	struct config_diags *diags;
};

void scan_init(struct scanner *sc, const struct scan_line *line,
               const char *file, struct config_diags *diags);
void scan_skip_blank(struct scanner *sc);
/* After blanks: the next character, or 0 at the end of the line or at a
 * comment. */
char scan_peek(struct scanner *sc);
/* True when only blanks and a comment are left. */
bool scan_at_end(struct scanner *sc);
/*
 * Read one token (quoted parts and bare parts joined up to a blank).
 * Returns 1 with tok filled (free tok->text), 0 when the line is over, or
 * -1 after reporting an error (unterminated quote, unknown escape).
 */
int scan_token(struct scanner *sc, enum scan_mode mode, struct token *tok);
/* The rest of the line up to a comment, quotes kept, blanks trimmed;
 * NULL (error reported) for an unterminated quote. */
char *scan_rest(struct scanner *sc, size_t *start);
void token_free(struct token *tok);
/* Report at byte offset pos of the line (len: the end of the line). */
void scan_error(struct scanner *sc, size_t pos, const char *fmt, ...) ROWAN_PRINTF(3, 4);
void scan_warning(struct scanner *sc, size_t pos, const char *fmt, ...) ROWAN_PRINTF(3, 4);
/* Error for anything left on the line; returns true if the line was over. */
bool scan_expect_end(struct scanner *sc);
/* Position (line, column) of byte offset pos. */
void scan_position(const struct scanner *sc, size_t pos, unsigned *line, unsigned *column);

/* ---- parse.c: the loader ---- */

#define LOADER_MAX_DEPTH 16

struct loader_frame {
	char *real;       /* realpath, for the loop guard */
	char *display;    /* as shown in diagnostics */
};

struct loader {
	struct config *cfg;
	struct config_diags *diags;
	struct loader_frame frames[LOADER_MAX_DEPTH];
	int depth;
};

#define ACCOUNT_KEYS_MAX 32

/* State of one file being read. */
struct file_state {
	const char *file;         /* display name */
	const char *dir;          /* folder for relative "source" paths */
	struct config_account *account;   /* open "account" block, or NULL */
	unsigned long bad_mask;   /* keys of the open account with bad values */
	unsigned key_line[ACCOUNT_KEYS_MAX];
	unsigned key_column[ACCOUNT_KEYS_MAX];
};

/* Commands, each reading the rest of its line from sc. */
void cmd_set(struct loader *ld, struct scanner *sc, bool unset);
void cmd_source(struct loader *ld, struct file_state *fs, struct scanner *sc);
void cmd_bind(struct loader *ld, struct scanner *sc, bool macro);
void cmd_color(struct loader *ld, struct scanner *sc);
void cmd_alias(struct loader *ld, struct scanner *sc);

/* ---- account.c ---- */
/* "account NAME {" */
void config_account_begin(struct loader *ld, struct file_state *fs, struct scanner *sc);
/* A "KEY = VALUE" line inside the block; key already read. */
void config_account_key(struct loader *ld, struct file_state *fs, struct scanner *sc,
                 const struct token *key);
/* "}" (or the end of the file): defaults, checks, add to the config. */
void config_account_end(struct loader *ld, struct file_state *fs);
void config_account_entry_free(struct config_account **acct);
/* The account keys, for the check of the manual. */
size_t account_key_count(void);
const char *account_key_name(size_t i);

/* ---- vars.c ---- */
void vars_init(struct config *cfg);
void vars_clear(struct config *cfg);
/* Parse text for def into out (out->string newly allocated).  0, or -1
 * with a translated message in *message. */
int vars_parse_value(const struct config_var_def *def, const char *text,
                     struct config_value *out, char **message);
/* A string quoted for rc syntax (double quotes, escapes); newly allocated. */
char *rc_quote(const char *s);
/* A string as it may be written unquoted, or quoted when needed. */
char *rc_word(const char *s);

/* ---- bind.c / color.c / alias.c ---- */
void bindings_clear(struct config *cfg);
void colors_clear(struct config *cfg);
void aliases_clear(struct config *cfg);
/* Name of a colour as written in rc syntax ("brightred", "color123"). */
char *color_value_name(const struct config_color_value *value);
/* The colour objects, for the check of the manual. */
size_t color_object_count(void);
const char *color_object_name(size_t i);

/* ---- functions.c ---- */
/* Best "did you mean" among functions usable in menu. */
const char *functions_suggest(const char *word, enum config_menu menu);

#endif
