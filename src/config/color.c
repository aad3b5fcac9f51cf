/*
 * color: the "color OBJECT FG [BG] [PATTERN]" command — mutt's object and
 * colour names — and the colours it leaves in the configuration.
 */
#include "config.h"

#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/internal.h"

static const char *const objects[] = {
	"attachment", "body", "bold", "error", "hdrdefault", "header", "index",
	"indicator", "markers", "message", "normal", "prompt", "quoted",
	"quoted1", "quoted2", "quoted3", "quoted4", "quoted5", "quoted6",
	"quoted7", "quoted8", "quoted9", "search", "signature", "status",
	"tilde", "tree", "underline",
};

#define N_OBJECTS (sizeof objects / sizeof objects[0])

static const char *const base_colors[] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
};

static const char *object_find(const char *name)
{
	for (size_t i = 0; i < N_OBJECTS; i++)
		if (strcmp(objects[i], name) == 0)
			return objects[i];
	return NULL;
}

size_t color_object_count(void)
{
	return N_OBJECTS;
}

const char *color_object_name(size_t i)
{
	return i < N_OBJECTS ? objects[i] : NULL;
}

static bool object_takes_pattern(const char *object)
{
	return strcmp(object, "header") == 0 || strcmp(object, "body") == 0;
}

/* Parse a colour name; 0 or -1. */
static int color_parse(const char *name, struct config_color_value *out)
{
	out->bright = false;
	if (strcasecmp(name, "default") == 0) {
		out->color = -1;
		return 0;
	}
	const char *base = name;
	if (strncasecmp(base, "bright", 6) == 0) {
		base += 6;
		out->bright = true;
	}
	for (int i = 0; i < 8; i++) {
		if (strcasecmp(base, base_colors[i]) == 0) {
			out->color = i;
			return 0;
		}
	}
	if (!out->bright && strncasecmp(base, "color", 5) == 0 && base[5] != '\0') {
		char *end;
		long n = strtol(base + 5, &end, 10);
		if (*end == '\0' && base[5] >= '0' && base[5] <= '9' && n >= 0 && n <= 255) {
			out->color = (int)n;
			return 0;
		}
	}
	return -1;
}

char *color_value_name(const struct config_color_value *value)
{
	if (value->color < 0)
		return xstrdup("default");
	if (value->bright)
		return xasprintf("bright%s", base_colors[value->color & 7]);
	if (value->color < 8)
		return xstrdup(base_colors[value->color]);
	return xasprintf("color%d", value->color);
}

static void color_error(struct scanner *sc, const struct token *tok)
{
	struct suggest s;
	suggest_init(&s, tok->text);
	suggest_consider(&s, "default");
	for (int i = 0; i < 8; i++)
		suggest_consider(&s, base_colors[i]);
	static const char *const bright[] = {
		"brightblack", "brightred", "brightgreen", "brightyellow",
		"brightblue", "brightmagenta", "brightcyan", "brightwhite",
	};
	for (int i = 0; i < 8; i++)
		suggest_consider(&s, bright[i]);
	const char *best = suggest_result(&s);
	if (best != NULL)
		scan_error(sc, tok->start, _("unknown color \"%s\"; did you mean \"%s\"?"),
		           tok->text, best);
	else
		scan_error(sc, tok->start, _("unknown color \"%s\"; expected default, a color name "
		                             "such as red or brightred, or color0 to color255"),
		           tok->text);
}

void colors_clear(struct config *cfg)
{
	for (size_t i = 0; i < cfg->n_colors; i++)
		free(cfg->colors[i].pattern);
	free(cfg->colors);
	cfg->colors = NULL;
	cfg->n_colors = cfg->cap_colors = 0;
}

size_t config_color_count(const struct config *cfg)
{
	return cfg->n_colors;
}

const struct config_color *config_color_get(const struct config *cfg, size_t i)
{
	return i < cfg->n_colors ? &cfg->colors[i] : NULL;
}

static struct config_color *color_lookup(const struct config *cfg, const char *object,
                                         const char *pattern)
{
	for (size_t i = 0; i < cfg->n_colors; i++) {
		struct config_color *c = &cfg->colors[i];
		if (strcmp(c->object, object) != 0)
			continue;
		if (pattern == NULL ? c->pattern == NULL
		                    : c->pattern != NULL && strcmp(c->pattern, pattern) == 0)
			return c;
	}
	return NULL;
}

const struct config_color *config_color_find(const struct config *cfg, const char *object)
{
	return color_lookup(cfg, object, NULL);
}

void cmd_color(struct loader *ld, struct scanner *sc)
{
	struct token obj = {0}, fg = {0}, bg = {0}, pattern = {0};
	int r;
	if ((r = scan_token(sc, SCAN_VALUE, &obj)) <= 0 ||
	    (r = scan_token(sc, SCAN_VALUE, &fg)) <= 0) {
		if (r == 0)
			scan_error(sc, sc->pos, _("\"color\" needs an object and a foreground color: "
			                          "color OBJECT FOREGROUND [BACKGROUND]"));
		goto out;
	}
	if (scan_token(sc, SCAN_VALUE, &bg) < 0)
		goto out;
	const char *object = object_find(obj.text);
	if (object == NULL) {
		struct suggest s;
		suggest_init(&s, obj.text);
		for (size_t i = 0; i < N_OBJECTS; i++)
			suggest_consider(&s, objects[i]);
		const char *best = suggest_result(&s);
		if (best != NULL)
			scan_error(sc, obj.start, _("unknown color object \"%s\"; did you mean \"%s\"?"),
			           obj.text, best);
		else
			scan_error(sc, obj.start, _("unknown color object \"%s\"; the objects are "
			                            "listed in rowanrc(5)"), obj.text);
		goto out;
	}
	if (bg.text != NULL && object_takes_pattern(object) &&
	    scan_token(sc, SCAN_VALUE, &pattern) < 0)
		goto out;
	if (!scan_expect_end(sc))
		goto out;
	struct config_color_value fgv, bgv = {-1, false};
	bool ok = true;
	if (color_parse(fg.text, &fgv) != 0) {
		color_error(sc, &fg);
		ok = false;
	}
	if (bg.text != NULL && color_parse(bg.text, &bgv) != 0) {
		color_error(sc, &bg);
		ok = false;
	}
	if (pattern.text != NULL) {
		regex_t re;
		int rc = regcomp(&re, pattern.text, REG_EXTENDED | REG_NOSUB);
		if (rc != 0) {
			char why[256];
			regerror(rc, &re, why, sizeof why);
			scan_error(sc, pattern.start, _("invalid regular expression \"%s\": %s"),
			           pattern.text, why);
			ok = false;
		} else {
			regfree(&re);
		}
	}
	if (!ok)
		goto out;
	struct config *cfg = ld->cfg;
	struct config_color *c = color_lookup(cfg, object, pattern.text);
	if (c == NULL) {
		cfg->colors = array_grow(cfg->colors, cfg->n_colors, &cfg->cap_colors,
		                         sizeof *cfg->colors);
		c = &cfg->colors[cfg->n_colors++];
		c->object = object;
		c->pattern = pattern.text;
		pattern.text = NULL;
	}
	c->fg = fgv;
	c->bg = bgv;
out:
	token_free(&obj);
	token_free(&fg);
	token_free(&bg);
	token_free(&pattern);
}
