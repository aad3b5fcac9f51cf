/*
 * input: keys — from the keyboard through wget_wch (turned into the
 * config module's key codes: Unicode code points and CONFIG_KEY_*), and
 * from macros, whose keys are read before the keyboard's.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "ui/ui_private.h"

void ui_keys_push(struct ui *ui, const int *keys, size_t len)
{
	if (len == 0)
		return;
	if (ui->pending_len + len > ui->pending_cap) {
		ui->pending_cap = (ui->pending_len + len) * 2;
		ui->pending = xrealloc(ui->pending, ui->pending_cap * sizeof(int));
	}
	/* In front of what is left of an earlier macro. */
	memmove(ui->pending + len, ui->pending, ui->pending_len * sizeof(int));
	memcpy(ui->pending, keys, len * sizeof(int));
	ui->pending_len += len;
}

void ui_keys_flush(struct ui *ui)
{
	ui->pending_len = 0;
}

static int key_from_curses(int code)
{
	if (code >= KEY_F(1) && code <= KEY_F(24))
		return CONFIG_KEY_F(code - KEY_F0);
	switch (code) {
	case KEY_UP: return CONFIG_KEY_UP;
	case KEY_DOWN: return CONFIG_KEY_DOWN;
	case KEY_LEFT: return CONFIG_KEY_LEFT;
	case KEY_RIGHT: return CONFIG_KEY_RIGHT;
	case KEY_PPAGE: return CONFIG_KEY_PAGE_UP;
	case KEY_NPAGE: return CONFIG_KEY_PAGE_DOWN;
	case KEY_HOME: return CONFIG_KEY_HOME;
	case KEY_END: return CONFIG_KEY_END;
	case KEY_IC: return CONFIG_KEY_INSERT;
	case KEY_DC: return CONFIG_KEY_DELETE;
	case KEY_BACKSPACE: return CONFIG_KEY_BACKSPACE;
	case KEY_BTAB: return CONFIG_KEY_BACKTAB;
	case KEY_ENTER: return CONFIG_KEY_ENTER;
	case KEY_RESIZE: return UI_KEY_RESIZE;
	default: return -1;
	}
}

int ui_key_poll(struct ui *ui)
{
	if (ui->pending_len > 0) {
		int key = ui->pending[0];
		ui->pending_len--;
		memmove(ui->pending, ui->pending + 1, ui->pending_len * sizeof(int));
		return key;
	}
	if (!ui->curses_on)
		return -1;
	for (;;) {
		wint_t wc;
		int rc = wget_wch(stdscr, &wc);
		if (rc == ERR)
			return -1;
		if (rc == KEY_CODE_YES) {
			int key = key_from_curses((int)wc);
			if (key == UI_KEY_RESIZE) {
				/* curses has the new size already */
				ui->clear = true;
				ui->dirty = true;
				return UI_KEY_RESIZE;
			}
			if (key < 0)
				continue;  /* a key Rowan has no name for */
			return key;
		}
		return (int)wc;
	}
}

int ui_key_read(struct ui *ui)
{
	for (;;) {
		if (ui->terminate)
			return UI_KEY_ABORT;
		if (ui->interrupted) {
			ui->interrupted = false;
			ui_keys_flush(ui);
			return UI_KEY_INTERRUPT;
		}
		int key = ui_key_poll(ui);
		if (key != -1) {
			if (key >= 0)
				ui->last_key = key;
			return key;
		}
		if (ui->password_prompt != NULL && ui->prompt == NULL) {
			ui_events_password(ui);
			continue;
		}
		ui_round(ui, -1);
	}
}
