/* alias: the "alias NAME ADDRESS..." command and the aliases it defines. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/internal.h"

void aliases_clear(struct config *cfg)
{
	for (size_t i = 0; i < cfg->n_aliases; i++) {
		free(cfg->aliases[i].name);
		free(cfg->aliases[i].addresses);
	}
	free(cfg->aliases);
	cfg->aliases = NULL;
	cfg->n_aliases = cfg->cap_aliases = 0;
}

size_t config_alias_count(const struct config *cfg)
{
	return cfg->n_aliases;
}

const struct config_alias *config_alias_get(const struct config *cfg, size_t i)
{
	return i < cfg->n_aliases ? &cfg->aliases[i] : NULL;
}

const struct config_alias *config_alias_find(const struct config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->n_aliases; i++)
		if (strcasecmp(cfg->aliases[i].name, name) == 0)
			return &cfg->aliases[i];
	return NULL;
}

void cmd_alias(struct loader *ld, struct scanner *sc)
{
	struct token name;
	int r = scan_token(sc, SCAN_VALUE, &name);
	if (r < 0)
		return;
	size_t start;
	char *addresses = r > 0 ? scan_rest(sc, &start) : NULL;
	if (r > 0 && addresses == NULL) {
		token_free(&name);
		return;
	}
	if (r == 0 || addresses[0] == '\0' || name.text[0] == '\0') {
		scan_error(sc, sc->pos, _("\"alias\" needs a name and at least one address: "
		                          "alias NAME ADDRESS..."));
		free(addresses);
		if (r > 0)
			token_free(&name);
		return;
	}
	struct config *cfg = ld->cfg;
	struct config_alias *a = (struct config_alias *)config_alias_find(cfg, name.text);
	if (a != NULL) {
		free(a->name);
		free(a->addresses);
	} else {
		cfg->aliases = array_grow(cfg->aliases, cfg->n_aliases, &cfg->cap_aliases,
		                          sizeof *cfg->aliases);
		a = &cfg->aliases[cfg->n_aliases++];
	}
	a->name = name.text;
	a->addresses = addresses;
}
