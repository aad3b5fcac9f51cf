/*
 * vars: values of the variables in vars_table.c — defaults, parsing and
 * printing values, typed access, and the "set" and "unset" commands.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/internal.h"

static const char *const quad_names[] = {
	[CONFIG_QUAD_NO] = "no",
	[CONFIG_QUAD_YES] = "yes",
	[CONFIG_QUAD_ASK_NO] = "ask-no",
	[CONFIG_QUAD_ASK_YES] = "ask-yes",
};

/* The default in effect: symbolic defaults are worked out here. */
static char *default_text(const struct config_var_def *def)
{
	if (strcmp(def->default_value, "$EDITOR") == 0) {
		const char *names[] = {"VISUAL", "EDITOR"};
		for (size_t i = 0; i < 2; i++) {
			const char *v = getenv(names[i]);
			if (v != NULL && v[0] != '\0')
				return xstrdup(v);
		}
		return xstrdup("vi");
	}
	if (strcmp(def->default_value, "$XDG_CACHE_HOME/rowan") == 0)
		return path_cache_dir();
	return xstrdup(def->default_value);
}

static void value_set_default(struct config_value *value, const struct config_var_def *def)
{
	char *text = default_text(def);
	char *message = NULL;
	struct config_value v = {0};
	if (vars_parse_value(def, text, &v, &message) != 0) {
		/* Only a table mistake gets here (tests check every default). */
		free(message);
		v.number = 0;
		v.string = def->type == CONFIG_TYPE_BOOL || def->type == CONFIG_TYPE_NUMBER ||
		           def->type == CONFIG_TYPE_QUAD ? NULL : xstrdup("");
	}
	free(text);
	free(value->string);
	*value = v;
}

void vars_init(struct config *cfg)
{
	for (int i = 0; i < CONFIG_VAR_COUNT; i++) {
		cfg->values[i].string = NULL;
		value_set_default(&cfg->values[i], config_var_def((enum config_var_id)i));
	}
}

void vars_clear(struct config *cfg)
{
	for (int i = 0; i < CONFIG_VAR_COUNT; i++) {
		free(cfg->values[i].string);
		cfg->values[i].string = NULL;
	}
}

static int parse_number(const struct config_var_def *def, const char *text,
                        long long *out, char **message)
{
	const char *p = text;
	bool negative = false;
	if (*p == '-' || *p == '+')
		negative = *p++ == '-';
	unsigned long long n = 0;
	bool digits = false, overflow = false;
	while (isdigit((unsigned char)*p)) {
		unsigned d = (unsigned)(*p++ - '0');
		if (n > (ULLONG_MAX - d) / 10)
			overflow = true;
		else
			n = n * 10 + d;
		digits = true;
	}
	if ((def->flags & CONFIG_VAR_BYTES) && *p != '\0' && p[1] == '\0') {
		unsigned shift = 0;
		switch (*p) {
		case 'k': case 'K': shift = 10; break;
		case 'm': case 'M': shift = 20; break;
		case 'g': case 'G': shift = 30; break;
		default: break;
		}
		if (shift != 0) {
			if (n > (ULLONG_MAX >> shift))
				overflow = true;
			n <<= shift;
			p++;
		}
	}
	if (!digits || *p != '\0') {
		if (def->flags & CONFIG_VAR_BYTES)
			*message = xasprintf(_("invalid value \"%s\" for \"%s\": expected a number of bytes, "
			                       "optionally followed by K, M or G"), text, def->name);
		else
			*message = xasprintf(_("invalid value \"%s\" for \"%s\": expected a whole number"),
			                     text, def->name);
		return -1;
	}
	long long value = negative ? -(long long)n : (long long)n;
	if (overflow || n > (unsigned long long)LLONG_MAX || value < def->min || value > def->max) {
		*message = xasprintf(_("value %s for \"%s\" is out of range: expected %lld to %lld"),
		                     text, def->name, def->min, def->max);
		return -1;
	}
	*out = value;
	return 0;
}

static bool choice_valid(const struct config_var_def *def, const char *word)
{
	for (size_t i = 0; def->choices[i] != NULL; i++)
		if (strcmp(def->choices[i], word) == 0)
			return true;
	return false;
}

static int parse_enum(const struct config_var_def *def, const char *text,
                      char **out, char **message)
{
	const char *word = text;
	bool reverse = false;
	if ((def->flags & CONFIG_VAR_REVERSE) && strncmp(word, "reverse-", 8) == 0) {
		word += 8;
		reverse = true;
	}
	if (choice_valid(def, word)) {
		*out = xstrdup(text);
		return 0;
	}
	struct suggest s;
	suggest_init(&s, word);
	for (size_t i = 0; def->choices[i] != NULL; i++)
		suggest_consider(&s, def->choices[i]);
	const char *best = suggest_result(&s);
	if (best != NULL) {
		char *full = xasprintf("%s%s", reverse ? "reverse-" : "", best);
		*message = xasprintf(_("invalid value \"%s\" for \"%s\"; did you mean \"%s\"?"),
		                     text, def->name, full);
		free(full);
		return -1;
	}
	struct buf list;
	buf_init(&list);
	for (size_t i = 0; def->choices[i] != NULL; i++)
		buf_printf(&list, "%s%s", i ? ", " : "", def->choices[i]);
	if (def->flags & CONFIG_VAR_REVERSE)
		*message = xasprintf(_("invalid value \"%s\" for \"%s\": expected one of %s, "
		                       "optionally prefixed with \"reverse-\""),
		                     text, def->name, list.data);
	else
		*message = xasprintf(_("invalid value \"%s\" for \"%s\": expected one of %s"),
		                     text, def->name, list.data);
	buf_free(&list);
	return -1;
}

int vars_parse_value(const struct config_var_def *def, const char *text,
                     struct config_value *out, char **message)
{
	out->number = 0;
	out->string = NULL;
	switch (def->type) {
	case CONFIG_TYPE_BOOL: {
		static const char *const yes[] = {"yes", "true", "on"};
		static const char *const no[] = {"no", "false", "off"};
		for (size_t i = 0; i < 3; i++) {
			if (strcasecmp(text, yes[i]) == 0) {
				out->number = 1;
				return 0;
			}
			if (strcasecmp(text, no[i]) == 0)
				return 0;
		}
		*message = xasprintf(_("invalid value \"%s\" for \"%s\": expected yes or no"),
		                     text, def->name);
		return -1;
	}
	case CONFIG_TYPE_QUAD:
		for (int q = 0; q < 4; q++) {
			if (strcasecmp(text, quad_names[q]) == 0) {
				out->number = q;
				return 0;
			}
		}
		*message = xasprintf(_("invalid value \"%s\" for \"%s\": expected yes, no, "
		                       "ask-yes or ask-no"), text, def->name);
		return -1;
	case CONFIG_TYPE_NUMBER:
		return parse_number(def, text, &out->number, message);
	case CONFIG_TYPE_ENUM:
		return parse_enum(def, text, &out->string, message);
	case CONFIG_TYPE_PATH:
		out->string = path_expand_home(text);
		if (out->string == NULL) {
			*message = xasprintf(_("cannot expand \"%s\": no such user"), text);
			return -1;
		}
		return 0;
	case CONFIG_TYPE_STRING:
		out->string = xstrdup(text);
		return 0;
	}
	*message = xstrdup("internal error: unknown variable type");
	return -1;
}

char *rc_quote(const char *s)
{
	struct buf b;
	buf_init(&b);
	buf_add_char(&b, '"');
	for (const char *p = s; *p != '\0'; p++) {
		switch (*p) {
		case '"': buf_add_str(&b, "\\\""); break;
		case '\\': buf_add_str(&b, "\\\\"); break;
		case '\n': buf_add_str(&b, "\\n"); break;
		case '\t': buf_add_str(&b, "\\t"); break;
		case '\r': buf_add_str(&b, "\\r"); break;
		case '\033': buf_add_str(&b, "\\e"); break;
		default: buf_add_char(&b, *p); break;
		}
	}
	buf_add_char(&b, '"');
	return buf_steal(&b);
}

char *rc_word(const char *s)
{
	if (s[0] == '\0' || s[0] == '#')
		return rc_quote(s);
	for (const char *p = s; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && strchr("_.@%+/:,~-", *p) == NULL)
			return rc_quote(s);
	return xstrdup(s);
}

static const struct config_value *value_of(const struct config *cfg, enum config_var_id id,
                                           enum config_var_type want)
{
	const struct config_var_def *def = config_var_def(id);
	if (def == NULL)
		return NULL;
	bool stringy = def->type == CONFIG_TYPE_STRING || def->type == CONFIG_TYPE_PATH ||
	               def->type == CONFIG_TYPE_ENUM;
	if (want == CONFIG_TYPE_STRING ? !stringy : def->type != want)
		return NULL;
	return &cfg->values[id];
}

bool config_get_bool(const struct config *cfg, enum config_var_id id)
{
	const struct config_value *v = value_of(cfg, id, CONFIG_TYPE_BOOL);
	return v != NULL && v->number != 0;
}

long long config_get_number(const struct config *cfg, enum config_var_id id)
{
	const struct config_value *v = value_of(cfg, id, CONFIG_TYPE_NUMBER);
	return v != NULL ? v->number : 0;
}

const char *config_get_string(const struct config *cfg, enum config_var_id id)
{
	const struct config_value *v = value_of(cfg, id, CONFIG_TYPE_STRING);
	return v != NULL && v->string != NULL ? v->string : "";
}

enum config_quad config_get_quad(const struct config *cfg, enum config_var_id id)
{
	const struct config_value *v = value_of(cfg, id, CONFIG_TYPE_QUAD);
	return v != NULL ? (enum config_quad)v->number : CONFIG_QUAD_NO;
}

char *config_var_format(const struct config *cfg, enum config_var_id id)
{
	const struct config_var_def *def = config_var_def(id);
	if (def == NULL)
		return xstrdup("");
	const struct config_value *v = &cfg->values[id];
	switch (def->type) {
	case CONFIG_TYPE_BOOL:
		return xstrdup(v->number ? "yes" : "no");
	case CONFIG_TYPE_QUAD:
		return xstrdup(quad_names[v->number & 3]);
	case CONFIG_TYPE_NUMBER:
		return xasprintf("%lld", v->number);
	case CONFIG_TYPE_ENUM:
		return xstrdup(v->string);
	case CONFIG_TYPE_STRING:
	case CONFIG_TYPE_PATH:
		return rc_quote(v->string);
	}
	return xstrdup("");
}

static void value_assign(struct config_value *dst, struct config_value *src)
{
	free(dst->string);
	*dst = *src;
	src->string = NULL;
}

int config_var_set(struct config *cfg, const char *name, const char *text,
                   struct rowan_err *err)
{
	int id = config_var_find(name);
	if (id < 0) {
		rowan_err_set(err, ROWAN_ERR_CONFIG, _("unknown variable \"%s\""), name);
		return -1;
	}
	struct config_value v;
	char *message = NULL;
	if (vars_parse_value(config_var_def((enum config_var_id)id), text, &v, &message) != 0) {
		rowan_err_set(err, ROWAN_ERR_CONFIG, "%s", message);
		free(message);
		return -1;
	}
	value_assign(&cfg->values[id], &v);
	return 0;
}

static void unknown_variable(struct scanner *sc, const struct token *name)
{
	struct suggest s;
	suggest_init(&s, name->text);
	for (int i = 0; i < CONFIG_VAR_COUNT; i++)
		suggest_consider(&s, config_var_def((enum config_var_id)i)->name);
	if (strncmp(name->text, "no", 2) == 0 && name->text[2] != '\0') {
		/* "nofoo": suggest for foo as well. */
		struct suggest t;
		suggest_init(&t, name->text + 2);
		for (int i = 0; i < CONFIG_VAR_COUNT; i++)
			suggest_consider(&t, config_var_def((enum config_var_id)i)->name);
		if (t.best_distance < s.best_distance && suggest_result(&t) != NULL)
			s = t;
	}
	const char *best = suggest_result(&s);
	if (best != NULL)
		scan_error(sc, name->start, _("unknown variable \"%s\"; did you mean \"%s\"?"),
		           name->text, best);
	else
		scan_error(sc, name->start, _("unknown variable \"%s\""), name->text);
}

void cmd_set(struct loader *ld, struct scanner *sc, bool unset)
{
	struct token name, value = {0};
	int r = scan_token(sc, SCAN_NAME, &name);
	if (r < 0)
		return;
	if (r == 0) {
		if (unset)
			scan_error(sc, sc->pos, _("\"unset\" needs a variable name: unset NAME"));
		else
			scan_error(sc, sc->pos, _("\"set\" needs a variable name: set NAME = VALUE"));
		return;
	}
	int id = config_var_find(name.text);
	bool negate = false;
	if (id < 0 && !unset && strncmp(name.text, "no", 2) == 0 && scan_peek(sc) != '=') {
		id = config_var_find(name.text + 2);
		if (id >= 0 && config_var_def((enum config_var_id)id)->type != CONFIG_TYPE_BOOL &&
		    config_var_def((enum config_var_id)id)->type != CONFIG_TYPE_QUAD)
			id = -1;
		negate = id >= 0;
	}
	if (id < 0) {
		unknown_variable(sc, &name);
		goto out;
	}
	const struct config_var_def *def = config_var_def((enum config_var_id)id);
	struct config_value *slot = &ld->cfg->values[id];
	bool switchable = def->type == CONFIG_TYPE_BOOL || def->type == CONFIG_TYPE_QUAD;
	if (unset) {
		if (!scan_expect_end(sc))
			goto out;
		if (switchable) {
			slot->number = def->type == CONFIG_TYPE_BOOL ? 0 : CONFIG_QUAD_NO;
		} else {
			value_set_default(slot, def);
		}
		goto out;
	}
	if (scan_peek(sc) == '=') {
		sc->pos++;
		size_t at = sc->pos;
		r = scan_token(sc, SCAN_VALUE, &value);
		if (r < 0)
			goto out;
		if (r == 0) {
			scan_skip_blank(sc);
			scan_error(sc, sc->pos > at ? sc->pos : at,
			           _("missing value for \"%s\" after \"=\""), def->name);
			goto out;
		}
	} else if (scan_at_end(sc)) {
		if (!switchable) {
			scan_error(sc, sc->pos, _("expected \"=\" and a value after \"%s\""), def->name);
			goto out;
		}
		slot->number = negate ? 0 : 1;
		goto out;
	} else {
		size_t at = sc->pos;
		if (scan_token(sc, SCAN_VALUE, &value) > 0)
			scan_error(sc, at, _("expected \"=\" after \"%s\", found \"%s\""),
			           name.text, value.text);
		goto out;
	}
	if (!scan_at_end(sc)) {
		struct token extra;
		size_t at = sc->pos;
		if (scan_token(sc, SCAN_VALUE, &extra) > 0) {
			scan_error(sc, at, _("unexpected \"%s\" after the value of \"%s\"; "
			                     "put quotes around a value that contains spaces"),
			           extra.text, def->name);
			token_free(&extra);
		}
		goto out;
	}
	struct config_value v;
	char *message = NULL;
	if (vars_parse_value(def, value.text, &v, &message) != 0) {
		scan_error(sc, value.start, "%s", message);
		free(message);
		goto out;
	}
	value_assign(slot, &v);
out:
	token_free(&name);
	token_free(&value);
}
