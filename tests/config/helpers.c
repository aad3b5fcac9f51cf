/* helpers: shared set-up for the config unit tests. */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "util/util.h"

static char home[256];

const char *helpers_setup(void)
{
	setenv("LANG", "C", 1);
	setenv("LC_ALL", "C", 1);
	setlocale(LC_ALL, "C");
	unsetenv("VISUAL");
	unsetenv("EDITOR");
	snprintf(home, sizeof home, "%s/rowan-config-test-XXXXXX",
	         getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(home) == NULL)
		abort();
	setenv("HOME", home, 1);
	char *p = xasprintf("%s/config", home);
	setenv("XDG_CONFIG_HOME", p, 1);
	free(p);
	p = xasprintf("%s/cache", home);
	setenv("XDG_CACHE_HOME", p, 1);
	free(p);
	return home;
}

const char *helpers_home(void)
{
	return home;
}

void helpers_teardown(void)
{
	if (home[0] == '\0')
		return;
	char *cmd = xasprintf("rm -rf '%s'", home);
	if (system(cmd) != 0)
		fprintf(stderr, "# could not remove %s\n", home);
	free(cmd);
	home[0] = '\0';
}

struct loaded load_text(const char *text)
{
	struct loaded l;
	l.cfg = config_new();
	l.diags = config_diags_new();
	l.rc = config_load_string(l.cfg, "rowanrc", text, l.diags);
	return l;
}

struct loaded load_file(const char *path)
{
	struct loaded l;
	l.cfg = config_new();
	l.diags = config_diags_new();
	l.rc = config_load_file(l.cfg, path, true, l.diags);
	return l;
}

void loaded_free(struct loaded *l)
{
	config_free(&l->cfg);
	config_diags_free(&l->diags);
	assert_null(l->cfg);
	assert_null(l->diags);
}

char *diags_joined(const struct config_diags *diags)
{
	struct buf b;
	buf_init(&b);
	for (size_t i = 0; i < config_diags_count(diags); i++) {
		char *line = config_diag_format(config_diags_get(diags, i));
		buf_printf(&b, "%s%s", i ? "\n" : "", line);
		free(line);
	}
	return buf_steal(&b);
}

char *write_file(const char *dir, const char *name, const char *text)
{
	char *path = path_join(dir, name);
	FILE *f = fopen(path, "w");
	if (f == NULL)
		abort();
	fputs(text, f);
	fclose(f);
	return path;
}

int helpers_group_setup(void **state)
{
	(void)state;
	helpers_setup();
	return 0;
}

int helpers_group_teardown(void **state)
{
	(void)state;
	helpers_teardown();
	return 0;
}
