/*
 * pager_private: what the pager, the attachment menu and the help screen
 * share — a scrollable pane of text (layout, drawing with colours and
 * search matches, scrolling, searching) and simple text views built on
 * it.  Only src/ui/ includes this.
 */
#ifndef ROWAN_UI_PAGER_PRIVATE_H
#define ROWAN_UI_PAGER_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

#include "ui/pager_text.h"
#include "ui/ui.h"

struct pager_pane {
	char *text;              /* terminal-safe UTF-8, '\n' line ends */
	size_t len;
	bool has_headers;        /* the lines before the first empty one are headers */
	bool hide_quoted;        /* toggle-quoted */
	bool highlight;          /* search matches coloured (search-toggle) */
	struct pager_text layout;
	int layout_width;        /* the width the layout is for; 0: none yet */
	bool layout_markers;     /* the markers setting it is for */
	size_t top;              /* first row shown */
	int rows;                /* rows of the last draw */
	char *search;            /* the last search, or NULL */
	bool search_backward;
	size_t anchor_line;      /* after a new layout: the line to show at the top */
	bool anchored;
};

/* What pager_pane_function did. */
enum pager_pane_result {
	PAGER_PANE_NOT_HANDLED,
	PAGER_PANE_HANDLED,
	PAGER_PANE_AT_END,       /* next-page with the end already shown */
};

/* Replace the pane's text (taken; terminal-safe).  keep_top: stay near
 * the same line, else go to the top. */
void pager_pane_set_text(struct pager_pane *pane, char *text, bool has_headers,
                         bool keep_top);
void pager_pane_clear(struct pager_pane *pane);
/* Draw rows top..top+rows-1 of the screen. */
void pager_pane_draw(struct ui *ui, struct pager_pane *pane, int top, int rows);
/*
 * Run a scrolling or searching function (next-line, next-page, top,
 * search, toggle-quoted, skip-quoted, ...) by name.  entry_moves: the
 * functions that move between entries (next-entry, j, k, ...) scroll by
 * a line instead (for views with one text only).
 */
enum pager_pane_result pager_pane_function(struct ui *ui, struct pager_pane *pane,
                                           const char *name, bool entry_moves);
/* "all", "end" or "45%" for the status line. */
void pager_pane_position(struct ui *ui, struct pager_pane *pane, char out[16]);

/*
 * A view that shows text (taken; made terminal-safe here) in a pane with
 * the pager's keys: an attachment, a command's output, the help.  title
 * is shown on the status line.
 */
struct ui_view *pager_text_view_new(struct ui *ui, const char *title, char *text,
                                    bool is_help);
/* The help line of the text views and the pager ("q:Exit  ..."), from
 * the key map of menu; newly allocated. */
char *pager_help_line(struct ui *ui, enum config_menu menu, bool message);

/* The attachment menu of a message already fetched (data and omitted
 * are copied). */
struct ui_view *pager_attach_new(struct ui *ui, uint32_t uid, const char *data,
                                 size_t len, const struct account_omitted_part *omitted,
                                 size_t omitted_count);

/* The status line "-- Rowan: <what> -- (position)" of width columns;
 * what is made safe here.  Newly allocated. */
char *pager_status_line(const char *what, const char *position, int width);

#endif
