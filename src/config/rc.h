/*
 * config: Rowan's rc file — loading it (with "source"), the variables
 * table, accounts, key bindings and macros, colours and aliases, the
 * diagnostics found on the way, and printing the effective configuration
 * back in rc syntax.  Also runs an account's password_command.
 *
 * Nothing here prints or exits: problems come back as diagnostics (a list
 * of severity, file, line, column and message) or in a struct rowan_err.
 */
#ifndef ROWAN_CONFIG_RC_H
#define ROWAN_CONFIG_RC_H

#include <stdbool.h>
#include <stddef.h>

#include "util/util.h"

struct config;

/* ------------------------------------------------------------------ */
/* Diagnostics                                                          */
/* ------------------------------------------------------------------ */

enum config_severity {
	CONFIG_WARNING,
	CONFIG_ERROR,
};

/* One problem found in an rc file.  Line and column count from 1 (the
 * column in bytes); line 0 means the problem concerns the whole file. */
struct config_diag {
	enum config_severity severity;
	char *file;
	unsigned line;
	unsigned column;
	char *message;
};

struct config_diags;

/* A new, empty list of diagnostics. */
struct config_diags *config_diags_new(void);
/* Free the list and everything in it; accepts NULL and clears *diags. */
void config_diags_free(struct config_diags **diags);
/* Number of diagnostics, in the order they were found. */
size_t config_diags_count(const struct config_diags *diags);
/* The i-th diagnostic (i < count); owned by the list. */
const struct config_diag *config_diags_get(const struct config_diags *diags, size_t i);
/* How many of them are errors / warnings. */
size_t config_diags_errors(const struct config_diags *diags);
size_t config_diags_warnings(const struct config_diags *diags);
/* "file:line:column: error: message" (translated); newly allocated. */
char *config_diag_format(const struct config_diag *diag);

/* ------------------------------------------------------------------ */
/* Loading                                                              */
/* ------------------------------------------------------------------ */

/* A configuration holding the defaults: every variable at its default,
 * no accounts, bindings, colours or aliases. */
struct config *config_new(void);
/* Free a configuration; accepts NULL and clears *cfg. */
void config_free(struct config **cfg);

/*
 * The rc file Rowan reads when no -F is given:
 * $XDG_CONFIG_HOME/rowan/rowanrc (~/.config/rowan/rowanrc) if it exists,
 * else ~/.rowanrc if that exists, else the first one.  Newly allocated.
 */
char *config_path_default(void);

/*
 * Read the rc file at path into cfg, following "source" commands, and
 * append every problem to diags (all of them, not only the first).  A
 * missing file is an error when must_exist is true and silently leaves the
 * defaults otherwise.  Returns 0 when no error was found (warnings do not
 * count), -1 otherwise; cfg then holds what could be understood.
 */
int config_load_file(struct config *cfg, const char *path, bool must_exist,
                     struct config_diags *diags);
/*
 * Like config_load_file for rc text held in memory.  name is the file name
 * used in diagnostics; relative "source" paths are taken from its folder.
 */
int config_load_string(struct config *cfg, const char *name, const char *text,
                       struct config_diags *diags);

/*
 * The effective configuration in rc syntax — every variable, then the
 * accounts, bindings, macros, colours and aliases — such that loading it
 * gives the same configuration.  Variables marked secret are left out
 * (named in a comment only).  Newly allocated.
 */
char *config_dump(const struct config *cfg);

/* ------------------------------------------------------------------ */
/* Variables                                                            */
/* ------------------------------------------------------------------ */

/* One entry per variable, in the order of the table in vars_table.c. */
enum config_var_id {
	CONFIG_VAR_ABORT_UNMODIFIED,
	CONFIG_VAR_ALTERNATIVE_ORDER,
	CONFIG_VAR_ASSUMED_CHARSET,
	CONFIG_VAR_BEEP,
	CONFIG_VAR_CONFIRM_QUIT,
	CONFIG_VAR_CONNECT_TIMEOUT,
	CONFIG_VAR_COPY,
	CONFIG_VAR_DATE_FORMAT,
	CONFIG_VAR_EDITOR,
	CONFIG_VAR_EXPUNGE_ON_EXIT,
	CONFIG_VAR_FOLDER,
	CONFIG_VAR_HEADER_CACHE,
	CONFIG_VAR_HELP,
	CONFIG_VAR_HTML_FILTER,
	CONFIG_VAR_IMAP_COMPRESS,
	CONFIG_VAR_IMAP_FETCH_PARTS_ABOVE,
	CONFIG_VAR_IMAP_IDLE,
	CONFIG_VAR_IMAP_LIST_SUBSCRIBED,
	CONFIG_VAR_INCLUDE,
	CONFIG_VAR_INDEX_FORMAT,
	CONFIG_VAR_MAIL_CHECK,
	CONFIG_VAR_MARK_OLD,
	CONFIG_VAR_MARKERS,
	CONFIG_VAR_MAX_LITERAL_SIZE,
	CONFIG_VAR_PAGER_CONTEXT,
	CONFIG_VAR_PAGER_HEADERS,
	CONFIG_VAR_PAGER_INDEX_LINES,
	CONFIG_VAR_PAGER_STOP,
	CONFIG_VAR_PASSWORD_TIMEOUT,
	CONFIG_VAR_POSTPONE,
	CONFIG_VAR_REALNAME,
	CONFIG_VAR_SEND_CHARSET,
	CONFIG_VAR_SIGNATURE,
	CONFIG_VAR_SLEEP_TIME,
	CONFIG_VAR_SORT,
	CONFIG_VAR_SORT_AUX,
	CONFIG_VAR_START_FOLDER,
	CONFIG_VAR_STATUS_FORMAT,
	CONFIG_VAR_TILDE,
	CONFIG_VAR_TIMEOUT,
	CONFIG_VAR_TLS_CA_FILE,
	CONFIG_VAR_WRAP,
	CONFIG_VAR_COUNT
};

enum config_var_type {
	CONFIG_TYPE_BOOL,    /* yes/no (also true/false, on/off) */
	CONFIG_TYPE_NUMBER,  /* a whole number between min and max */
	CONFIG_TYPE_STRING,  /* any text */
	CONFIG_TYPE_PATH,    /* a file or folder; a leading ~ is expanded */
	CONFIG_TYPE_ENUM,    /* one of a fixed list of words */
	CONFIG_TYPE_QUAD,    /* yes, no, ask-yes or ask-no */
};

enum config_quad {
	CONFIG_QUAD_NO,
	CONFIG_QUAD_YES,
	CONFIG_QUAD_ASK_NO,
	CONFIG_QUAD_ASK_YES,
};

/* Flags of a variable. */
#define CONFIG_VAR_SECRET 0x1   /* never printed by config_dump */
#define CONFIG_VAR_REVERSE 0x2  /* enum: each value may be prefixed "reverse-" */
#define CONFIG_VAR_BYTES 0x4    /* number: accepts the suffixes K, M and G (KiB...) */

/* How one variable is defined: the single source of truth that the
 * parser, config_dump and the rowanrc(5) check all read. */
struct config_var_def {
	const char *name;
	enum config_var_type type;
	/* The default as the manual shows it, in rc syntax without quotes
	 * ("$EDITOR" and "$XDG_CACHE_HOME/rowan" are worked out at start). */
	const char *default_value;
	long long min, max;            /* CONFIG_TYPE_NUMBER */
	const char *const *choices;    /* CONFIG_TYPE_ENUM, NULL-terminated */
	unsigned flags;
	const char *doc;               /* one line, English (marked for translation) */
};

/* The definition of a variable, or NULL for an id out of range. */
const struct config_var_def *config_var_def(enum config_var_id id);
/* The id of the variable called name, or -1. */
int config_var_find(const char *name);
/* Printable name of a type ("bool", "number", "string", ...). */
const char *config_var_type_name(enum config_var_type type);

/*
 * Typed access to a variable's effective value.  The id must name a
 * variable of the matching type (bool, number, quad; string works for
 * string, path and enum variables); otherwise false, 0, "" or
 * CONFIG_QUAD_NO comes back.  Strings are owned by cfg.
 */
bool config_get_bool(const struct config *cfg, enum config_var_id id);
long long config_get_number(const struct config *cfg, enum config_var_id id);
const char *config_get_string(const struct config *cfg, enum config_var_id id);
enum config_quad config_get_quad(const struct config *cfg, enum config_var_id id);
/* The value in rc syntax (strings quoted), as config_dump prints it. */
char *config_var_format(const struct config *cfg, enum config_var_id id);
/*
 * Set the variable called name from text written as in "set name = text"
 * (without quoting).  0, or -1 with err filled (unknown name, bad value).
 */
int config_var_set(struct config *cfg, const char *name, const char *text,
                   struct rowan_err *err);

/* ------------------------------------------------------------------ */
/* Accounts                                                             */
/* ------------------------------------------------------------------ */

enum config_account_type {
	CONFIG_ACCOUNT_IMAP,
	CONFIG_ACCOUNT_POP3,
	CONFIG_ACCOUNT_LOCAL,
};

enum config_tls {
	CONFIG_TLS_IMPLICIT,  /* imaps / pop3s / smtps: TLS from the first byte */
	CONFIG_TLS_STARTTLS,
	CONFIG_TLS_NONE,
};

/*
 * An account as read from "account NAME { ... }", with the defaults
 * filled in: port from type and tls (imap 993/143, pop3 995/110), smtp_port
 * from smtp_tls (465/587), smtp_user from user.  Strings not given are
 * NULL.  Paths (tls_ca_file, mbox) have ~ expanded.
 */
struct config_account {
	char *name;
	enum config_account_type type;
	char *host;
	int port;
	enum config_tls tls;
	char *tls_ca_file;        /* NULL: only the system store (and the
	                           * global tls_ca_file variable) */
	char *tls_fingerprint;    /* "sha256:AB:CD:..." as written */
	char *user;
	char *password_command;   /* run by config_account_password() */
	bool allow_plaintext_password;
	char *smtp_host;
	int smtp_port;            /* 0 when there is no smtp_host */
	enum config_tls smtp_tls;
	char *smtp_user;
	char *from;
	char *sent;
	char *drafts;
	char *trash;
	char *mbox;               /* pop3: where mail is downloaded; local: the folder */
	bool keep_on_server;      /* pop3: leave messages on the server (default yes) */

	/* Where the account was defined. */
	char *file;
	unsigned line;
	unsigned column;
	/* Which keys were written in the file (bit i = i-th key of the
	 * account key table); used by config_dump and the checks. */
	unsigned long set_mask;
};

size_t config_account_count(const struct config *cfg);
/* The i-th account in file order (i < count); owned by cfg. */
const struct config_account *config_account_get(const struct config *cfg, size_t i);
/* The account called name, or NULL. */
const struct config_account *config_account_find(const struct config *cfg, const char *name);
/* The CA file for the account: its own tls_ca_file, else the global
 * tls_ca_file variable, else NULL (system store only). */
const char *config_account_ca_file(const struct config *cfg,
                                   const struct config_account *acct);
/*
 * Whether the account's password may be sent on its mail connection
 * (smtp false) or its SMTP connection (smtp true): only over TLS, unless
 * allow_plaintext_password is set.
 */
bool config_account_password_allowed(const struct config_account *acct, bool smtp);
/*
 * Parse "sha256:" followed by 32 colon-separated hex bytes into out.
 * Returns 0, or -1 when text is not such a fingerprint.
 */
int config_fingerprint_parse(const char *text, unsigned char out[32]);

/* Names used in rc syntax: "imap", "starttls", "smtps", ... */
const char *config_account_type_name(enum config_account_type type);
const char *config_tls_name(enum config_tls tls, enum config_account_type type);
const char *config_smtp_tls_name(enum config_tls tls);

/* ------------------------------------------------------------------ */
/* Passwords                                                            */
/* ------------------------------------------------------------------ */

/*
 * Run command with /bin/sh -c (stdin from /dev/null) and return what it
 * prints on standard output without one trailing newline: the password,
 * newly allocated (free it with config_password_free).  On failure —
 * non-zero exit status, killed by a signal, nothing printed, more than
 * timeout_seconds taken (the command and its children are then killed) —
 * returns NULL with err filled; the message names the exit status and the
 * first line the command printed on standard error.
 */
char *config_password_run(const char *command, int timeout_seconds,
                          struct rowan_err *err);
/* Run the account's password_command with the password_timeout variable
 * as the time limit; NULL with err filled when it has none or it fails. */
char *config_account_password(const struct config *cfg,
                              const struct config_account *acct,
                              struct rowan_err *err);
/* Overwrite and free a password; accepts NULL and clears *password. */
void config_password_free(char **password);

/* ------------------------------------------------------------------ */
/* Keys, functions and bindings                                         */
/* ------------------------------------------------------------------ */

enum config_menu {
	CONFIG_MENU_GENERIC,
	CONFIG_MENU_INDEX,
	CONFIG_MENU_PAGER,
	CONFIG_MENU_BROWSER,
	CONFIG_MENU_ATTACH,
	CONFIG_MENU_COMPOSE,
	CONFIG_MENU_EDITOR,
	CONFIG_MENU_COUNT
};

/* The menu called name ("index", ...), or -1. */
int config_menu_find(const char *name);
const char *config_menu_name(enum config_menu menu);

/*
 * A key is an int: a Unicode code point (control keys are 1..31 and 127:
 * \Cx, ^x, <Tab> = 9, <Return> = 13, <Esc> = 27, <Space> = 32), one of the
 * CONFIG_KEY_* keys below, or — in macros only — CONFIG_KEY_FUNCTION + the
 * id of a function written as <function-name>.
 */
#define CONFIG_KEY_SPECIAL 0x200000
enum config_special_key {
	CONFIG_KEY_ENTER = CONFIG_KEY_SPECIAL,  /* <Enter>: the keypad Enter key */
	CONFIG_KEY_UP,
	CONFIG_KEY_DOWN,
	CONFIG_KEY_LEFT,
	CONFIG_KEY_RIGHT,
	CONFIG_KEY_PAGE_UP,
	CONFIG_KEY_PAGE_DOWN,
	CONFIG_KEY_HOME,
	CONFIG_KEY_END,
	CONFIG_KEY_INSERT,
	CONFIG_KEY_DELETE,
	CONFIG_KEY_BACKSPACE,
	CONFIG_KEY_BACKTAB,
	CONFIG_KEY_F0,      /* <F1> is CONFIG_KEY_F0 + 1, up to <F24> */
};
#define CONFIG_KEY_F(n) (CONFIG_KEY_F0 + (n))
#define CONFIG_KEY_FUNCTION 0x300000

struct config_keyseq {
	int *keys;
	size_t len;
};

/*
 * Parse key notation ("G", "\Cx", "^x", "<PageDown>", "\t", "<Esc>q", ...)
 * into seq (whose keys the caller frees).  With allow_functions,
 * "<function-name>" is a function key (for macros).  0, or -1 with a
 * translated message in *error (newly allocated) and seq left empty.
 */
int config_keyseq_parse(const char *text, bool allow_functions,
                        struct config_keyseq *seq, char **error);
/* Key notation that config_keyseq_parse reads back to the same keys;
 * newly allocated. */
char *config_keyseq_format(const struct config_keyseq *seq);
void config_keyseq_clear(struct config_keyseq *seq);

/* Known functions: ids are 0..config_function_count()-1. */
size_t config_function_count(void);
/* The id of the function called name, or -1. */
int config_function_find(const char *name);
const char *config_function_name(int id);
/* Whether the function may be bound in menu (generic functions may be
 * bound in every menu but the editor). */
bool config_function_in_menu(int id, enum config_menu menu);

enum config_binding_kind {
	CONFIG_BINDING_FUNCTION,  /* bind MENU KEY FUNCTION */
	CONFIG_BINDING_MACRO,     /* macro MENU KEY KEYS [DESCRIPTION] */
};

/*
 * One binding from the rc file.  Only what the file says is stored (a
 * later bind of the same key in the same menu replaces an earlier one);
 * the UI keeps its own defaults for keys not bound here.
 */
struct config_binding {
	enum config_menu menu;
	struct config_keyseq keys;
	enum config_binding_kind kind;
	int function;                 /* FUNCTION: function id */
	struct config_keyseq macro;   /* MACRO: the keys it types */
	char *description;            /* MACRO: NULL if none */
};

size_t config_binding_count(const struct config *cfg);
/* The i-th binding in file order (i < count); owned by cfg. */
const struct config_binding *config_binding_get(const struct config *cfg, size_t i);
/* The binding of exactly these keys in menu, or NULL. */
const struct config_binding *config_binding_find(const struct config *cfg,
                                                 enum config_menu menu,
                                                 const int *keys, size_t len);

/* ------------------------------------------------------------------ */
/* Colours and aliases                                                  */
/* ------------------------------------------------------------------ */

/* A colour: -1 for the terminal's default, 0..7 for black, red, green,
 * yellow, blue, magenta, cyan, white (bright set for brightX), or 0..255
 * for colorN. */
struct config_color_value {
	int color;
	bool bright;
};

struct config_color {
	const char *object;       /* "index", "quoted1", ... (static) */
	struct config_color_value fg;
	struct config_color_value bg;
	char *pattern;            /* header and body: regular expression, or NULL */
};

size_t config_color_count(const struct config *cfg);
const struct config_color *config_color_get(const struct config *cfg, size_t i);
/* The colour set for object (without a pattern), or NULL. */
const struct config_color *config_color_find(const struct config *cfg, const char *object);

struct config_alias {
	char *name;
	char *addresses;          /* the rest of the alias line, as written */
};

size_t config_alias_count(const struct config *cfg);
const struct config_alias *config_alias_get(const struct config *cfg, size_t i);
/* The alias called name (case-insensitive, as mutt), or NULL. */
const struct config_alias *config_alias_find(const struct config *cfg, const char *name);

#endif
