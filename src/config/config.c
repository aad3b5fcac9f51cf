/* config: creating and freeing a configuration, and where the rc file is. */
#include "config.h"

#include <stdlib.h>
#include <unistd.h>

#include "config/internal.h"

struct config *config_new(void)
{
	struct config *cfg = xcalloc(1, sizeof *cfg);
	vars_init(cfg);
	return cfg;
}

void config_free(struct config **cfg)
{
	if (cfg == NULL || *cfg == NULL)
		return;
	struct config *c = *cfg;
	vars_clear(c);
	for (size_t i = 0; i < c->n_accounts; i++)
		config_account_entry_free(&c->accounts[i]);
	free(c->accounts);
	bindings_clear(c);
	colors_clear(c);
	aliases_clear(c);
	free(c);
	*cfg = NULL;
}

char *config_path_default(void)
{
	char *dir = path_config_dir();
	char *xdg = path_join(dir, "rowanrc");
	free(dir);
	if (access(xdg, F_OK) == 0)
		return xdg;
	char *home = path_expand_home("~/.rowanrc");
	if (home != NULL && access(home, F_OK) == 0) {
		free(xdg);
		return home;
	}
	free(home);
	return xdg;
}
