/*
 * screen: starting and stopping curses, the layout (help line, view,
 * status line, message row), drawing a whole screen, resizing, leaving
 * the terminal to another program and coming back, and the message row.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <curses.h>

#include "mime/mime.h"
#include "ui/ui_private.h"

static SCREEN *screen;

int ui_screen_start(struct ui *ui)
{
	screen = newterm(NULL, stdout, stdin);
	if (screen == NULL)
		return -1;
	set_term(screen);
	set_escdelay(25);
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	leaveok(stdscr, FALSE);
	curs_set(0);
	ui_colors_start(ui->cfg);
	ui->curses_on = true;
	ui->dirty = true;
	return 0;
}

void ui_screen_stop(struct ui *ui)
{
	if (!ui->curses_on)
		return;
	curs_set(1);
	endwin();
	delscreen(screen);
	screen = NULL;
	ui->curses_on = false;
}

int ui_screen_view_rows(struct ui *ui, int *top)
{
	bool help = config_get_bool(ui->cfg, CONFIG_VAR_HELP) && LINES >= 3;
	*top = help ? 1 : 0;
	int rows = LINES - 2 - (help ? 1 : 0);
	return rows > 0 ? rows : 0;
}

int ui_screen_cols(void)
{
	return COLS;
}

static struct ui_view *top_view(struct ui *ui)
{
	return ui->view_count > 0 ? ui->views[ui->view_count - 1] : NULL;
}

static char *core_status_line(struct ui *ui, int width)
{
	struct folder_format_context ctx;
	memset(&ctx, 0, sizeof(ctx));
	ctx.date_format = config_get_string(ui->cfg, CONFIG_VAR_DATE_FORMAT);
	ctx.folder_name = ui->folder_display != NULL ? ui->folder_display : "";
	ctx.account_name = ui->account != NULL ? account_name(ui->account) : "";
	ctx.msg_count = folder_count(ui->folder);
	ctx.unseen_count = folder_count_unseen(ui->folder);
	ctx.deleted_count = folder_count_deleted(ui->folder);
	ctx.flagged_count = folder_count_flagged(ui->folder);
	ctx.sort_name = ui_sort_label(ui->sort, ui->sort_reverse);
	ctx.progress = ui->progress != NULL ? ui->progress : "";
	ctx.read_only = ui->folder_read_only;
	return folder_format_status(config_get_string(ui->cfg, CONFIG_VAR_STATUS_FORMAT),
	                            &ctx, width);
}

/* Columns of UTF-8 text once made safe. */
static int text_width(const char *text, size_t len)
{
	char *safe = mime_safe_text(text, len, MIME_SAFE_LINE);
	int width = (int)mime_display_width(safe, strlen(safe));
	free(safe);
	return width;
}

/* The prompt on the message row, scrolled so the cursor shows. */
static void draw_prompt(struct ui *ui, int y)
{
	struct ui_prompt_line *p = ui->prompt;
	int prompt_width = text_width(p->prompt, strlen(p->prompt));
	if (prompt_width > COLS - 1)
		prompt_width = COLS - 1;
	ui_draw_text(y, 0, p->prompt, prompt_width, ui_color("prompt"));
	int avail = COLS - prompt_width;
	int cursor_x = prompt_width;
	if (!p->hidden && p->text != NULL && avail > 1) {
		const char *text = p->text;
		size_t start = 0;
		/* Drop characters from the left until the cursor fits. */
		while (start < p->cursor && text_width(text + start, p->cursor - start) >= avail) {
			start++;
			while (start < p->cursor && ((unsigned char)text[start] & 0xc0) == 0x80)
				start++;
		}
		ui_draw_text(y, prompt_width, text + start, avail, 0);
		cursor_x += text_width(text + start, p->cursor - start);
	} else if (avail > 0) {
		ui_draw_text(y, prompt_width, "", avail, 0);
	}
	if (cursor_x >= COLS)
		cursor_x = COLS - 1;
	move(y, cursor_x);
}

void ui_screen_draw(struct ui *ui)
{
	if (!ui->curses_on)
		return;
	if (ui->clear) {
		clearok(curscr, TRUE);
		ui->clear = false;
	}
	werase(stdscr);
	struct ui_view *view = top_view(ui);
	int top;
	int rows = ui_screen_view_rows(ui, &top);
	if (COLS > 0 && LINES > 0) {
		if (top == 1) {
			char *help = NULL;
			if (view != NULL && view->ops->help_line != NULL)
				help = view->ops->help_line(ui, view);
			ui_draw_text(0, 0, help != NULL ? help : "", COLS, ui_color("status"));
			free(help);
		}
		if (view != NULL && rows > 0 && view->ops->draw != NULL)
			view->ops->draw(ui, view, top, rows);
		if (LINES >= 2) {
			char *status = NULL;
			if (view != NULL && view->ops->status != NULL)
				status = view->ops->status(ui, view, COLS);
			if (status == NULL)
				status = core_status_line(ui, COLS);
			ui_draw_text(LINES - 2, 0, status, COLS, ui_color("status"));
			free(status);
		}
		if (ui->prompt != NULL) {
			draw_prompt(ui, LINES - 1);
			curs_set(1);
		} else {
			int attr = ui->message_error ? ui_color("error") : ui_color("message");
			ui_draw_text(LINES - 1, 0, ui->message != NULL ? ui->message : "", COLS, attr);
			curs_set(0);
		}
	}
	wnoutrefresh(stdscr);
	doupdate();
	ui->dirty = false;
}

void ui_screen_resize(struct ui *ui)
{
	if (!ui->curses_on)
		return;
	struct winsize size;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_row > 0 && size.ws_col > 0) {
		/* resizeterm queues a KEY_RESIZE, which lands here again:
		 * only resize when the size really changed. */
		if (is_term_resized(size.ws_row, size.ws_col))
			resizeterm(size.ws_row, size.ws_col);
	} else {
		endwin();
		refresh();
	}
	ui->clear = true;
	ui->dirty = true;
}

void ui_redraw(struct ui *ui)
{
	ui->dirty = true;
}

void ui_suspend(struct ui *ui)
{
	if (!ui->curses_on)
		return;
	def_prog_mode();
	endwin();
}

void ui_resume(struct ui *ui)
{
	if (!ui->curses_on)
		return;
	reset_prog_mode();
	refresh();
	/* The terminal may have changed size meanwhile. */
	ui_screen_resize(ui);
}

/* ---- the message row ---- */

static void message_set(struct ui *ui, bool error, const char *fmt, va_list ap)
{
	free(ui->message);
	ui->message = xvasprintf(fmt, ap);
	ui->message_error = error;
	ui->message_state = false;
	ui->dirty = true;
}

void ui_message(struct ui *ui, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	message_set(ui, false, fmt, ap);
	va_end(ap);
}

void ui_error(struct ui *ui, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	message_set(ui, true, fmt, ap);
	va_end(ap);
	ui_beep(ui);
}

void ui_message_clear(struct ui *ui)
{
	if (ui->message == NULL)
		return;
	free(ui->message);
	ui->message = NULL;
	ui->message_error = false;
	ui->message_state = false;
	ui->dirty = true;
}

void ui_beep(struct ui *ui)
{
	if (ui->curses_on && config_get_bool(ui->cfg, CONFIG_VAR_BEEP))
		beep();
}
