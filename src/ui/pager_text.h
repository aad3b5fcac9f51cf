/*
 * pager_text: the layout of the pager's text, without the terminal —
 * source lines cut into screen rows at a width (tabs expanded, wide
 * characters kept whole, combining marks kept with their base, breaking
 * after a blank where one fits, "+" markers on continuation rows), what
 * each row is (header, quoted at which depth, signature, attachment
 * marker), searching the rows, skipping quoted text and the status line
 * text.  Pure: no curses here, so it is unit-tested.
 *
 * Input text is UTF-8 that has been through mime_safe_text
 * (MIME_SAFE_TEXT): only '\n' and '\t' remain of the control characters.
 */
#ifndef ROWAN_UI_PAGER_TEXT_H
#define ROWAN_UI_PAGER_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* What a row shows (its colour object). */
enum pager_row_kind {
	PAGER_ROW_BODY,
	PAGER_ROW_HEADER,      /* before the first empty line, when has_headers */
	PAGER_ROW_QUOTED,      /* depth > 0 */
	PAGER_ROW_SIGNATURE,   /* from a "-- " line to the next part */
	PAGER_ROW_ATTACHMENT,  /* a "[-- ... --]" line of the render */
};

struct pager_row {
	size_t offset;         /* of the row's bytes in pager_text.buf */
	size_t len;
	size_t line;           /* source line, counting from 0 */
	unsigned cols;         /* display columns of the row's text */
	unsigned depth;        /* quote depth of the source line */
	enum pager_row_kind kind;
	bool continuation;     /* not the first row of its line */
};

struct pager_layout_options {
	int width;             /* columns (values below 1 count as 1) */
	bool markers;          /* continuation rows leave a column for "+" */
	bool hide_quoted;      /* leave quoted lines out */
	bool has_headers;      /* the lines before the first empty one are headers */
};

struct pager_text {
	char *buf;             /* the lines with tabs expanded, back to back */
	size_t buf_len;
	struct pager_row *rows;
	size_t count;
	size_t cap;
	size_t lines;          /* source lines */
};

/*
 * Lay out len bytes of text into out (cleared first; start from a zeroed
 * struct).  Every source line gives at least one row unless hidden; a
 * final newline does not start another line.  Each row holds at least
 * one character, so a width too small for a wide character still makes
 * progress (the row is then wider than width).
 */
void pager_text_layout(struct pager_text *out, const char *text, size_t len,
                       const struct pager_layout_options *options);
/* Free what the layout holds and zero it. */
void pager_text_clear(struct pager_text *text);
/* The bytes of row i (not NUL-terminated; *len set). */
const char *pager_text_row(const struct pager_text *text, size_t i, size_t *len);

/* The quote depth of a line: the '>' at its start, blanks between them
 * allowed ("> > x" and ">> x" are 2); 0 when it does not start with '>'. */
unsigned pager_quote_depth(const char *line, size_t len);

/*
 * Which quoted colour a depth (>= 1) uses: 0 for "quoted", n for
 * "quotedN", cycling through the levels_used first levels (mutt: the
 * highest quotedN set, plus one).  levels_used 0 counts as 1.
 */
unsigned pager_quote_color(unsigned depth, unsigned levels_used);

/* The wrap width for a screen of cols columns and the wrap variable:
 * 0 the screen width, N > 0 at most N, N < 0 N columns less; at least 1. */
int pager_wrap_width(int cols, int wrap);

/*
 * Find needle in hay[from..len) ignoring case (ASCII and towlower for
 * the rest).  true with *start and *match_len (bytes in hay) set; an
 * empty needle never matches.
 */
bool pager_text_match(const char *hay, size_t len, const char *needle, size_t from,
                      size_t *start, size_t *match_len);

/*
 * The first row after from (before it when backward) that contains
 * needle, going round the end; from itself is tried last.  -1 when no
 * row does.  *wrapped tells whether the search went round.
 */
long pager_text_search(const struct pager_text *text, const char *needle, size_t from,
                       bool backward, bool *wrapped);

/* Why pager_text_skip_quoted found nothing. */
enum pager_skip_result {
	PAGER_SKIP_OK,
	PAGER_SKIP_NO_QUOTED,     /* no quoted text below */
	PAGER_SKIP_NO_UNQUOTED,   /* quoted text runs to the end */
};

/*
 * mutt's skip-quoted from the row top: past the headers when top is a
 * header row, else to the first unquoted row after the next quoted
 * block.  Returns the new top, or -1 with *why set.
 */
long pager_text_skip_quoted(const struct pager_text *text, size_t top,
                            enum pager_skip_result *why);

/* Where the view is, for the status line: "all" when every row shows,
 * "end" at the bottom, else the percentage seen ("45%"). */
void pager_text_position(size_t top, size_t rows, size_t count, char out[16]);

/*
 * A status line of exactly width columns: left, cut when needed, then
 * "-- (position)" at the right edge.  left must be terminal-safe.
 * Newly allocated.
 */
char *pager_status_format(const char *left, const char *position, int width);

#endif
