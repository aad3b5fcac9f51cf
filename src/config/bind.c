/*
 * bind: the "bind" and "macro" commands, the menus they name, and the
 * bindings they leave in the configuration for the UI.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "config/internal.h"

static const char *const menu_names[CONFIG_MENU_COUNT] = {
	[CONFIG_MENU_GENERIC] = "generic",
	[CONFIG_MENU_INDEX] = "index",
	[CONFIG_MENU_PAGER] = "pager",
	[CONFIG_MENU_BROWSER] = "browser",
	[CONFIG_MENU_ATTACH] = "attach",
	[CONFIG_MENU_COMPOSE] = "compose",
	[CONFIG_MENU_EDITOR] = "editor",
};

int config_menu_find(const char *name)
{
	for (int i = 0; i < CONFIG_MENU_COUNT; i++)
		if (strcmp(menu_names[i], name) == 0)
			return i;
	return -1;
}

const char *config_menu_name(enum config_menu menu)
{
	if ((int)menu < 0 || menu >= CONFIG_MENU_COUNT)
		return "?";
	return menu_names[menu];
}

static void binding_clear(struct config_binding *b)
{
	config_keyseq_clear(&b->keys);
	config_keyseq_clear(&b->macro);
	free(b->description);
	b->description = NULL;
}

void bindings_clear(struct config *cfg)
{
	for (size_t i = 0; i < cfg->n_bindings; i++)
		binding_clear(&cfg->bindings[i]);
	free(cfg->bindings);
	cfg->bindings = NULL;
	cfg->n_bindings = cfg->cap_bindings = 0;
}

size_t config_binding_count(const struct config *cfg)
{
	return cfg->n_bindings;
}

const struct config_binding *config_binding_get(const struct config *cfg, size_t i)
{
	return i < cfg->n_bindings ? &cfg->bindings[i] : NULL;
}

static bool keys_equal(const struct config_keyseq *a, const int *keys, size_t len)
{
	return a->len == len && memcmp(a->keys, keys, len * sizeof *keys) == 0;
}

const struct config_binding *config_binding_find(const struct config *cfg,
                                                 enum config_menu menu,
                                                 const int *keys, size_t len)
{
	for (size_t i = 0; i < cfg->n_bindings; i++)
		if (cfg->bindings[i].menu == menu && keys_equal(&cfg->bindings[i].keys, keys, len))
			return &cfg->bindings[i];
	return NULL;
}

static void seq_copy(struct config_keyseq *dst, const struct config_keyseq *src)
{
	dst->len = src->len;
	dst->keys = NULL;
	if (src->len > 0) {
		dst->keys = xmalloc(src->len * sizeof *src->keys);
		memcpy(dst->keys, src->keys, src->len * sizeof *src->keys);
	}
}

/* Store a binding; a binding of the same keys in the same menu goes. */
static void binding_store(struct config *cfg, enum config_menu menu,
                          const struct config_keyseq *keys, int function,
                          const struct config_keyseq *macro, const char *description)
{
	struct config_binding *b = (struct config_binding *)
		config_binding_find(cfg, menu, keys->keys, keys->len);
	if (b != NULL) {
		binding_clear(b);
	} else {
		cfg->bindings = array_grow(cfg->bindings, cfg->n_bindings, &cfg->cap_bindings,
		                           sizeof *cfg->bindings);
		b = &cfg->bindings[cfg->n_bindings++];
	}
	memset(b, 0, sizeof *b);
	b->menu = menu;
	seq_copy(&b->keys, keys);
	if (macro != NULL) {
		b->kind = CONFIG_BINDING_MACRO;
		b->function = -1;
		seq_copy(&b->macro, macro);
		b->description = description ? xstrdup(description) : NULL;
	} else {
		b->kind = CONFIG_BINDING_FUNCTION;
		b->function = function;
	}
}

/*
 * Parse "index,pager" into a bit set of menus; reports unknown names.
 * Returns 0 when there was an error.
 */
static unsigned parse_menus(struct scanner *sc, const struct token *tok)
{
	unsigned set = 0;
	bool bad = false;
	const char *p = tok->text;
	for (;;) {
		size_t n = strcspn(p, ",");
		char *name = xstrndup(p, n);
		int menu = config_menu_find(name);
		size_t at = tok->quoted ? tok->start : tok->start + (size_t)(p - tok->text);
		if (menu >= 0) {
			set |= 1u << menu;
		} else {
			struct suggest s;
			suggest_init(&s, name);
			for (int i = 0; i < CONFIG_MENU_COUNT; i++)
				suggest_consider(&s, menu_names[i]);
			const char *best = suggest_result(&s);
			if (best != NULL)
				scan_error(sc, at, _("unknown menu \"%s\"; did you mean \"%s\"?"), name, best);
			else
				scan_error(sc, at, _("unknown menu \"%s\"; expected index, pager, browser, "
				                     "attach, compose, editor or generic"), name);
			bad = true;
		}
		free(name);
		if (p[n] == '\0')
			break;
		p += n + 1;
	}
	return bad ? 0 : set;
}

static int first_menu(unsigned menus)
{
	for (int i = 0; i < CONFIG_MENU_COUNT; i++)
		if (menus & (1u << i))
			return i;
	return CONFIG_MENU_GENERIC;
}

/* Check that function f may be used in every menu of the set. */
static bool function_check(struct scanner *sc, size_t at, int f, unsigned menus)
{
	for (int m = 0; m < CONFIG_MENU_COUNT; m++) {
		if ((menus & (1u << m)) && !config_function_in_menu(f, (enum config_menu)m)) {
			scan_error(sc, at, _("function \"%s\" is not available in menu \"%s\""),
			           config_function_name(f), menu_names[m]);
			return false;
		}
	}
	return true;
}

static int parse_keys(struct scanner *sc, const struct token *tok, bool functions,
                      struct config_keyseq *seq)
{
	char *error = NULL;
	if (config_keyseq_parse(tok->text, functions, seq, &error) != 0) {
		scan_error(sc, tok->start, "%s", error);
		free(error);
		return -1;
	}
	return 0;
}

void cmd_bind(struct loader *ld, struct scanner *sc, bool macro)
{
	struct token menu_tok = {0}, key_tok = {0}, what = {0}, desc = {0};
	struct config_keyseq keys = {0}, typed = {0};
	int r;
	if ((r = scan_token(sc, SCAN_VALUE, &menu_tok)) <= 0 ||
	    (r = scan_token(sc, SCAN_KEY, &key_tok)) <= 0 ||
	    (r = scan_token(sc, macro ? SCAN_KEY : SCAN_VALUE, &what)) <= 0) {
		if (r == 0 && macro)
			scan_error(sc, sc->pos, _("\"macro\" needs a menu, a key and the keys it types: "
			                          "macro MENU KEY KEYS [DESCRIPTION]"));
		else if (r == 0)
			scan_error(sc, sc->pos, _("\"bind\" needs a menu, a key and a function: "
			                          "bind MENU KEY FUNCTION"));
		goto out;
	}
	if (macro && scan_token(sc, SCAN_VALUE, &desc) < 0)
		goto out;
	if (!scan_expect_end(sc))
		goto out;
	unsigned menus = parse_menus(sc, &menu_tok);
	if (parse_keys(sc, &key_tok, false, &keys) != 0 || menus == 0)
		goto out;
	int function = -1;
	if (macro) {
		if (parse_keys(sc, &what, true, &typed) != 0)
			goto out;
		for (size_t i = 0; i < typed.len; i++)
			if (typed.keys[i] >= CONFIG_KEY_FUNCTION &&
			    !function_check(sc, what.start, typed.keys[i] - CONFIG_KEY_FUNCTION, menus))
				goto out;
	} else {
		function = config_function_find(what.text);
		if (function < 0) {
			const char *best = functions_suggest(what.text,
			                                     (enum config_menu)first_menu(menus));
			if (best != NULL)
				scan_error(sc, what.start, _("unknown function \"%s\"; did you mean \"%s\"?"),
				           what.text, best);
			else
				scan_error(sc, what.start, _("unknown function \"%s\"; the functions are "
				                             "listed in rowanrc(5)"), what.text);
			goto out;
		}
		if (!function_check(sc, what.start, function, menus))
			goto out;
	}
	for (int m = 0; m < CONFIG_MENU_COUNT; m++)
		if (menus & (1u << m))
			binding_store(ld->cfg, (enum config_menu)m, &keys, function,
			              macro ? &typed : NULL, desc.text);
out:
	config_keyseq_clear(&keys);
	config_keyseq_clear(&typed);
	token_free(&menu_tok);
	token_free(&key_tok);
	token_free(&what);
	token_free(&desc);
}
