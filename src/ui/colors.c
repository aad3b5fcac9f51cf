/*
 * colors: the curses attributes of each colour object, from the rc
 * file's color commands.  Without a color command the indicator and the
 * status line are in reverse video and everything else is plain.
 */
#include "config.h"

#include <string.h>

#include <curses.h>

#include "ui/ui_private.h"

#define COLOR_OBJECTS_MAX 64

struct color_entry {
	char object[32];
	int attr;
};

static struct color_entry entries[COLOR_OBJECTS_MAX];
static size_t entry_count;
static const struct config *color_cfg;
static short next_pair = 1;

/* The curses colour for a configured one; bright needs 16 colours, else
 * it is shown bold. */
static short color_number(const struct config_color_value *value, bool *bold)
{
	if (value->color < 0)
		return -1;
	int c = value->color;
	if (value->bright) {
		if (COLORS >= 16)
			c += 8;
		else
			*bold = true;
	}
	if (c >= COLORS)
		c %= 8;
	return (short)c;
}

static int color_attr_compute(const char *object)
{
	const struct config_color *color = NULL;
	if (color_cfg != NULL)
		color = config_color_find(color_cfg, object);
	if (color == NULL && strncmp(object, "quoted", 6) == 0 && object[6] != '\0' &&
	    color_cfg != NULL)
		color = config_color_find(color_cfg, "quoted");
	if (color == NULL || !has_colors() || next_pair >= COLOR_PAIRS) {
		if (strcmp(object, "indicator") == 0 || strcmp(object, "status") == 0)
			return A_REVERSE;
		return 0;
	}
	bool bold = false;
	short fg = color_number(&color->fg, &bold);
	bool unused = false;
	short bg = color_number(&color->bg, &unused);
	short pair = next_pair++;
	init_pair(pair, fg, bg);
	return (int)(COLOR_PAIR(pair) | (bold ? A_BOLD : 0));
}

void ui_colors_start(const struct config *cfg)
{
	color_cfg = cfg;
	entry_count = 0;
	next_pair = 1;
	if (has_colors()) {
		start_color();
		use_default_colors();
	}
}

int ui_color(const char *object)
{
	for (size_t i = 0; i < entry_count; i++)
		if (strcmp(entries[i].object, object) == 0)
			return entries[i].attr;
	int attr = color_attr_compute(object);
	if (entry_count < COLOR_OBJECTS_MAX &&
	    strlen(object) < sizeof(entries[0].object)) {
		strcpy(entries[entry_count].object, object);
		entries[entry_count].attr = attr;
		entry_count++;
	}
	return attr;
}
