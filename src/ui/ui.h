/*
 * ui: Rowan's terminal interface (ncursesw) — the only code that touches
 * the terminal.  One thread: a poll() loop over the keyboard, the
 * account's wake-up fd and a self-pipe for signals, redrawing once per
 * round.  Screens are views on a stack (index at the bottom, then pager,
 * attachments, help, folder browser); keys go to the top view through the
 * key map of its menu, account events go to the UI core (which keeps the
 * folder model) and then to every view.
 *
 * Layout of the screen: row 0 the help line (help variable), rows
 * 1..LINES-3 the view, row LINES-2 the status line, row LINES-1 messages
 * and prompts.
 */
#ifndef ROWAN_UI_H
#define ROWAN_UI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "account/account.h"
#include "config/rc.h"
#include "mail/folder.h"

struct ui;
struct ui_view;

struct ui_view_ops {
	/* Draw into rows top..top+rows-1 (full width COLS). */
	void (*draw)(struct ui *ui, struct ui_view *view, int top, int rows);
	/* Run a function (config_function_find id); false: not handled
	 * here (the core then tries the generic functions). */
	bool (*function)(struct ui *ui, struct ui_view *view, int function);
	/* See an account event after the core has; may steal its payload
	 * (set the pointer in the event to NULL).  May be NULL. */
	void (*event)(struct ui *ui, struct ui_view *view,
	              struct account_event *event);
	/* The status line text for this view (newly allocated), or NULL
	 * for the core's folder status line.  May be NULL. */
	char *(*status)(struct ui *ui, struct ui_view *view, int width);
	/* The help line (newly allocated) or NULL for none.  May be NULL. */
	char *(*help_line)(struct ui *ui, struct ui_view *view);
	void (*destroy)(struct ui_view *view);
};

struct ui_view {
	const struct ui_view_ops *ops;
	enum config_menu menu;   /* the key map it uses */
	const char *title;       /* for ? (help) */
	void *data;              /* the view's own state */
};

/* ---- the UI core (ui/loop.c, ui/screen.c) ---- */

/*
 * Run the UI on the terminal until the user quits: opens the account's
 * start folder (start_folder) and shows its index.  Returns the exit
 * status for main().
 */
int ui_run(const struct config *cfg, struct account *account);

/* Put a view on top of the stack (the UI owns it from now on). */
void ui_view_push(struct ui *ui, struct ui_view *view);
/* Close the top view (destroying it). */
void ui_view_pop(struct ui *ui);
/* Ask for a full redraw at the end of this round. */
void ui_redraw(struct ui *ui);

const struct config *ui_config(struct ui *ui);
struct account *ui_account(struct ui *ui);
/* The open folder's messages (never NULL; empty while none is open). */
struct folder *ui_folder(struct ui *ui);
/* The display name of the open folder, or "". */
const char *ui_folder_name(struct ui *ui);
/* Send a request to the account; returns its id. */
uint64_t ui_request(struct ui *ui, struct account_request *request);
/* Open another folder (the index shows it). */
void ui_open_folder(struct ui *ui, const char *folder);

/* One line on the message row (printf-like; the text is made safe). */
void ui_message(struct ui *ui, const char *fmt, ...) ROWAN_PRINTF(2, 3);
void ui_error(struct ui *ui, const char *fmt, ...) ROWAN_PRINTF(2, 3);

/*
 * Ask for a line of text on the message row, keeping the account's
 * events flowing meanwhile.  initial may be NULL.  Returns the answer
 * (newly allocated) or NULL when the user pressed Ctrl-G or Esc.
 * hidden: show nothing of what is typed (passwords).
 */
char *ui_prompt(struct ui *ui, const char *prompt, const char *initial,
                bool hidden);
/* Ask a yes/no question; default is the answer to Enter. */
bool ui_yes_no(struct ui *ui, const char *question, bool default_answer);
/* Read one key (for prompts of one key); -1 on Ctrl-G/Esc. */
int ui_getkey(struct ui *ui);

/* Leave curses (for an external program with the terminal), and come back. */
void ui_suspend(struct ui *ui);
void ui_resume(struct ui *ui);

/* ---- drawing helpers (ui/draw.c) ---- */

/*
 * Draw UTF-8 text at row y, column x, exactly width columns (cut or
 * padded with spaces), with attributes attr.  Control and format
 * characters are made visible (mime_safe_text) first, so text from mail
 * may be passed as is.
 */
void ui_draw_text(int y, int x, const char *text, int width, int attr);
/* The curses attributes for a colour object ("indicator", "quoted1",
 * "status", ...) from the color commands, 0 when none is set. */
int ui_color(const char *object);

/* ---- views ---- */

/* The message index of the open folder (ui/index.c). */
struct ui_view *ui_index_new(struct ui *ui);
/* The folder browser of the account (ui/browser.c). */
struct ui_view *ui_browser_new(struct ui *ui);
/* The pager for the message uid of the open folder (ui/pager.c); it
 * fetches the message itself and shows "Loading..." meanwhile. */
struct ui_view *ui_pager_new(struct ui *ui, uint32_t uid);
/* The bindings of a menu (ui/help.c). */
struct ui_view *ui_help_new(struct ui *ui, enum config_menu menu);

/* ---- key map (ui/keymap.c) ---- */

/*
 * The function bound to this key sequence in menu: the rc file's
 * bindings first, then Rowan's defaults (mutt's), then the generic
 * menu.  Returns the function id, -1 when nothing is bound, or -2 when
 * keys is the start of a longer binding (read another key).  A macro
 * binding returns -3 and its keys in *macro.
 */
int ui_keymap_lookup(const struct config *cfg, enum config_menu menu,
                     const int *keys, size_t len,
                     const struct config_keyseq **macro);
/* Each binding in effect for menu (for help): calls each(keys, function,
 * description) in a stable order — the rc file's bindings, then the
 * defaults, the menu's before the generic ones.  keys is key notation
 * ("<PageDown>", "\\Cl"); function is the function's name, or NULL for a
 * macro, whose description is then its own or else the keys it types;
 * a function's description is ui_function_description (may be NULL). */
void ui_keymap_each(const struct config *cfg, enum config_menu menu,
                    void (*each)(const char *keys, const char *function,
                                 const char *description, void *ctx),
                    void *ctx);

/* ---- additions for the views ---- */

/* One line saying what a function does (translated), or NULL. */
const char *ui_function_description(int function);
/* The key notation of the first key sequence that runs function in
 * menu ("q", "<Return>"), newly allocated, or NULL when none does. */
char *ui_keymap_key_for(const struct config *cfg, enum config_menu menu,
                        int function);

/* The last key read (Unicode code point or CONFIG_KEY_*): the key that
 * ran the current function (jump starts its prompt with the digit). */
int ui_last_key(struct ui *ui);

/* Move the index cursor to the message uid (the pager's next and
 * previous message); nothing when uid is not in the folder. */
void ui_index_select(struct ui *ui, uint32_t uid);
/* The uid under the index cursor; false when the folder is empty. */
bool ui_index_current(struct ui *ui, uint32_t *uid);

/*
 * Change a message's flags: the folder model at once, then a SET_FLAGS
 * request (the FLAGS event confirms).  false (and an error on the
 * message row) when the folder cannot be changed (read-only).
 */
bool ui_flags_change(struct ui *ui, uint32_t uid, unsigned add, unsigned remove);

/* The connection state of the account (last STATE event). */
enum account_state ui_account_state(struct ui *ui);

#endif
