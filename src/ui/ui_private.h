/*
 * ui_private: the UI core's state and the functions its files share
 * (screen.c, loop.c, events.c, input.c, prompt.c, index.c, browser.c).
 * Only src/ui/ includes this (and curses).
 */
#ifndef ROWAN_UI_PRIVATE_H
#define ROWAN_UI_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ui/ui.h"

/* Longest key sequence the dispatcher collects before giving up. */
#define UI_KEYS_MAX 8
/* How long one round may spend on account events before it looks at the
 * keyboard again, in milliseconds. */
#define UI_EVENT_BUDGET_MS 20
/* How long quitting waits for the folder to close, in milliseconds. */
#define UI_CLOSE_WAIT_MS 3000

/* ui_key_read's answer when a signal asks Rowan to stop (prompts cancel). */
#define UI_KEY_ABORT (-100)
/* A resize happened (prompts redraw and go on). */
#define UI_KEY_RESIZE (-101)
/* Ctrl-C was pressed (SIGINT). */
#define UI_KEY_INTERRUPT (-102)

/* A prompt on the message row, drawn by the screen while it runs. */
struct ui_prompt_line {
	const char *prompt;   /* the question (already translated) */
	const char *text;     /* the answer so far (UTF-8), or NULL */
	size_t cursor;        /* byte offset of the cursor in text */
	bool hidden;
};

struct ui {
	const struct config *cfg;
	struct account *account;

	/* the open folder */
	struct folder *folder;
	char *folder_name;        /* as requests take it; NULL: none */
	char *folder_display;     /* as shown */
	uint64_t folder_serial;   /* the OPEN_FOLDER request's id; 0: none */
	bool folder_read_only;
	unsigned long folder_generation; /* bumped when messages come, go or move */
	bool loading;             /* envelopes still arriving */
	long load_done, load_total;
	char *progress;           /* %r of the status line; "" when none */
	enum folder_sort sort;
	bool sort_reverse;

	/* the account */
	enum account_state state;
	unsigned caps;
	char *password_prompt;    /* PASSWORD_NEEDED waiting to be asked */
	uint64_t close_request;   /* CLOSE_FOLDER waited for when quitting */
	bool close_done;

	/* views, index at the bottom */
	struct ui_view **views;
	size_t view_count, view_cap;
	struct ui_view *index;    /* views[0] */
	struct ui_view **graveyard; /* popped while events were routed */
	size_t graveyard_count;

	/* input */
	int *pending;             /* keys pushed by macros, read first */
	size_t pending_len, pending_cap;
	int last_key;

	/* the screen */
	bool curses_on;
	bool dirty;
	bool clear;               /* repaint every cell (^L) */
	char *message;            /* the message row; NULL: empty */
	bool message_error;
	bool message_state;       /* a connection-state message (kept on keys) */
	struct ui_prompt_line *prompt;
	int signal_pipe[2];

	/* stopping */
	bool quit;
	bool terminate;           /* SIGTERM/SIGHUP: leave without questions */
	bool interrupted;         /* SIGINT not yet handled */
	bool in_events;           /* draining events (no nested draining) */
	int exit_status;
};

/* ---- screen.c ---- */
int ui_screen_start(struct ui *ui);
void ui_screen_stop(struct ui *ui);
/* Draw everything into the curses buffers and update the terminal. */
void ui_screen_draw(struct ui *ui);
/* The terminal size changed: pick up the new size, redraw all. */
void ui_screen_resize(struct ui *ui);
/* Rows the views get: *top the first, returns how many (may be 0). */
int ui_screen_view_rows(struct ui *ui, int *top);
void ui_message_clear(struct ui *ui);
/* The width of the terminal in columns (for views that do not include
 * curses). */
int ui_screen_cols(void);
void ui_beep(struct ui *ui);

/* ---- loop.c ---- */
/* One round: draw if needed, wait up to timeout_ms (-1: no limit) for
 * the keyboard, a signal or events, handle signals, drain events.
 * Returns true when keys are waiting. */
bool ui_round(struct ui *ui, int timeout_ms);
/* Run a function that no view took; false when the core has none. */
bool ui_core_function(struct ui *ui, struct ui_view *view, int function);
/* The quit sequence (expunge question, close, wait); returns false when
 * the user said no to confirm_quit. */
bool ui_quit(struct ui *ui, bool expunge_allowed, bool confirm);
/* Leave the open folder: ask about deleted messages per
 * expunge_on_exit, send CLOSE_FOLDER.  Returns the request id or 0. */
uint64_t ui_folder_leave(struct ui *ui, bool *cancelled);
/* Whether function is the one called name (config/functions.c). */
bool ui_fn_is(int function, const char *name);
/* Open a folder with the name to show (the browser knows it). */
void ui_open_folder_named(struct ui *ui, const char *folder, const char *display);
/* Whether flags of the open folder may be changed; else an error shown. */
bool ui_folder_writable(struct ui *ui);

/* ---- events.c ---- */
/* Take and route the account's events for at most budget_ms.  Returns
 * true when more are waiting. */
bool ui_events_drain(struct ui *ui, int budget_ms);
/* Ask the password the worker waits for, if any (not inside prompts). */
void ui_events_password(struct ui *ui);

/* ---- input.c ---- */
/* The next key: a pushed macro key, else the keyboard (waiting, with
 * events flowing).  UI_KEY_ABORT when Rowan must stop. */
int ui_key_read(struct ui *ui);
/* A key now if one is waiting (macro or keyboard), else -1. */
int ui_key_poll(struct ui *ui);
/* Push keys to be read next, before the keyboard (macros). */
void ui_keys_push(struct ui *ui, const int *keys, size_t len);
void ui_keys_flush(struct ui *ui);

/* ---- keymap.c ---- */
/* How many default bindings name an unknown function or bad keys (0;
 * for the unit test). */
size_t ui_keymap_defaults_invalid(void);

/* ---- prompt.c ---- */
/* A yes/no question: 1 yes, 0 no, -1 cancelled (^G, Esc). */
int ui_ask(struct ui *ui, const char *question, bool default_answer);
/* One key with a prompt on the message row; -1 for ^G, Esc or abort. */
int ui_getkey_prompt(struct ui *ui, const char *prompt);
#define UI_PROMPT_HIDDEN 0x1
#define UI_PROMPT_BROWSER 0x2  /* Tab or ? on an empty line: the browser */
/* ui_prompt with flags; *browser set when the user asked for the browser. */
char *ui_prompt_ex(struct ui *ui, const char *prompt, const char *initial,
                   unsigned flags, bool *browser);

/* ---- index.c ---- */
/* The index learns about a new folder (cursor to the start position). */
void ui_index_reset(struct ui *ui);

/* ---- describe.c ---- */
/* The help line of a menu: "q:Quit  d:Del ..." from the key map. */
char *ui_help_line_build(struct ui *ui, enum config_menu menu,
                         const char *const *functions, const char *const *labels,
                         size_t count);

/* ---- colors.c ---- */
void ui_colors_start(const struct config *cfg);

/* ---- draw.c ---- */
/* UTF-8 of one code point into out (at least 4 bytes); returns the length. */
size_t ui_utf8_put(char *out, int code);
/* Whether needle occurs in haystack, ignoring case (UTF-8). */
bool ui_text_contains(const char *haystack, const char *needle);
/* The folder model's sort description ("date", "reverse-subject"). */
const char *ui_sort_label(enum folder_sort sort, bool reverse);

#endif
