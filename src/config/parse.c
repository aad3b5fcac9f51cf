/*
 * parse: reading rc files — one line at a time, dispatching each command,
 * following "source" with a guard against loops, and keeping track of the
 * account block that is open.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "config/internal.h"

/* rc files larger than this are refused. */
#define RC_MAX_SIZE (4u * 1024 * 1024)

static const char *const command_names[] = {
	"set", "unset", "source", "account", "bind", "macro", "color", "alias",
};

#define N_COMMANDS (sizeof command_names / sizeof command_names[0])

static void parse_buffer(struct loader *ld, const char *file, const char *data, size_t len);

static void unknown_command(struct scanner *sc, const struct token *cmd)
{
	if (config_var_find(cmd->text) >= 0) {
		scan_error(sc, cmd->start, _("unknown command \"%s\"; to set the variable, write "
		                             "\"set %s = VALUE\""), cmd->text, cmd->text);
		return;
	}
	struct suggest s;
	suggest_init(&s, cmd->text);
	for (size_t i = 0; i < N_COMMANDS; i++)
		suggest_consider(&s, command_names[i]);
	const char *best = suggest_result(&s);
	if (best != NULL)
		scan_error(sc, cmd->start, _("unknown command \"%s\"; did you mean \"%s\"?"),
		           cmd->text, best);
	else
		scan_error(sc, cmd->start, _("unknown command \"%s\"; expected set, unset, source, "
		                             "account, bind, macro, color or alias"), cmd->text);
}

static void parse_account_line(struct loader *ld, struct file_state *fs, struct scanner *sc)
{
	char c = scan_peek(sc);
	if (c == '}') {
		sc->pos++;
		scan_expect_end(sc);
		config_account_end(ld, fs);
		return;
	}
	struct token key;
	int r = scan_token(sc, SCAN_NAME, &key);
	if (r < 0)
		return;
	if (r == 0) {
		scan_error(sc, sc->pos, _("unexpected \"%c\"; expected KEY = VALUE or \"}\""), c);
		return;
	}
	if (strcmp(key.text, "account") == 0 && scan_peek(sc) != '=') {
		scan_error(sc, key.start, _("account \"%s\" is not closed; expected \"}\" before "
		                            "the next \"account\""), fs->account->name);
		config_account_end(ld, fs);
		config_account_begin(ld, fs, sc);
	} else {
		config_account_key(ld, fs, sc, &key);
	}
	token_free(&key);
}

static void parse_line(struct loader *ld, struct file_state *fs, const struct scan_line *line)
{
	struct scanner sc;
	scan_init(&sc, line, fs->file, ld->diags);
	char c = scan_peek(&sc);
	if (c == '\0')
		return;
	if (memchr(line->text, '\0', line->len) != NULL) {
		scan_error(&sc, sc.pos, _("the line contains a NUL byte"));
		return;
	}
	if (fs->account != NULL) {
		parse_account_line(ld, fs, &sc);
		return;
	}
	if (c == '}') {
		scan_error(&sc, sc.pos, _("\"}\" without an open account"));
		return;
	}
	struct token cmd;
	int r = scan_token(&sc, SCAN_NAME, &cmd);
	if (r < 0)
		return;
	if (r == 0) {
		scan_error(&sc, sc.pos, _("unexpected \"%c\"; expected a command such as set, "
		                          "bind or account"), c);
		return;
	}
	const char *name = cmd.text;
	if (strcmp(name, "set") == 0)
		cmd_set(ld, &sc, false);
	else if (strcmp(name, "unset") == 0)
		cmd_set(ld, &sc, true);
	else if (strcmp(name, "source") == 0)
		cmd_source(ld, fs, &sc);
	else if (strcmp(name, "account") == 0)
		config_account_begin(ld, fs, &sc);
	else if (strcmp(name, "bind") == 0)
		cmd_bind(ld, &sc, false);
	else if (strcmp(name, "macro") == 0)
		cmd_bind(ld, &sc, true);
	else if (strcmp(name, "color") == 0)
		cmd_color(ld, &sc);
	else if (strcmp(name, "alias") == 0)
		cmd_alias(ld, &sc);
	else
		unknown_command(&sc, &cmd);
	token_free(&cmd);
}

/* The folder of a file name as given ("." when it has none). */
static char *dir_of(const char *file)
{
	const char *slash = strrchr(file, '/');
	if (slash == NULL)
		return xstrdup(".");
	if (slash == file)
		return xstrdup("/");
	return xstrndup(file, (size_t)(slash - file));
}

static void parse_buffer(struct loader *ld, const char *file, const char *data, size_t len)
{
	char *dir = dir_of(file);
	struct file_state fs = {0};
	fs.file = file;
	fs.dir = dir;
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		data += 3;
		len -= 3;
	}
	struct scan_source src;
	struct scan_line line;
	scan_source_init(&src, data, len);
	while (scan_source_next(&src, &line)) {
		parse_line(ld, &fs, &line);
		scan_line_free(&line);
	}
	if (fs.account != NULL) {
		struct config_account *a = fs.account;
		diags_add(ld->diags, CONFIG_ERROR, file, src.line ? src.line : 1, src.last_len + 1,
		          _("account \"%s\" opened at %s:%u:%u is not closed; expected \"}\""),
		          a->name, a->file, a->line, a->column);
		config_account_end(ld, &fs);
	}
	free(dir);
}

/*
 * Read and parse the file at path.  from is the "source" line that named
 * it (NULL for the top file) and at the offset of the file name in it.
 */
static void load_path(struct loader *ld, const char *path, bool must_exist,
                      struct scanner *from, size_t at)
{
	char real[PATH_MAX];
	if (realpath(path, real) == NULL) {
		if (errno == ENOENT && !must_exist)
			return;
		if (from != NULL)
			scan_error(from, at, _("cannot read \"%s\": %s"), path, strerror(errno));
		else
			diags_add(ld->diags, CONFIG_ERROR, path, 0, 0, _("cannot read \"%s\": %s"),
			          path, strerror(errno));
		return;
	}
	for (int i = 0; i < ld->depth; i++) {
		if (strcmp(ld->frames[i].real, real) != 0)
			continue;
		struct buf chain;
		buf_init(&chain);
		for (int j = i; j < ld->depth; j++)
			buf_printf(&chain, "%s -> ", ld->frames[j].display);
		buf_add_str(&chain, path);
		scan_error(from, at, _("source loop: %s"), chain.data);
		buf_free(&chain);
		return;
	}
	if (ld->depth >= LOADER_MAX_DEPTH) {
		scan_error(from, at, _("files are nested too deeply (more than %d levels of "
		                       "\"source\")"), LOADER_MAX_DEPTH);
		return;
	}
	struct rowan_err err;
	size_t len;
	char *data = file_read_all(real, RC_MAX_SIZE, &len, &err);
	if (data == NULL) {
		if (from != NULL)
			scan_error(from, at, "%s", err.message);
		else
			diags_add(ld->diags, CONFIG_ERROR, path, 0, 0, "%s", err.message);
		return;
	}
	ld->frames[ld->depth].real = xstrdup(real);
	ld->frames[ld->depth].display = xstrdup(path);
	ld->depth++;
	parse_buffer(ld, path, data, len);
	ld->depth--;
	free(ld->frames[ld->depth].real);
	free(ld->frames[ld->depth].display);
	free(data);
}

void cmd_source(struct loader *ld, struct file_state *fs, struct scanner *sc)
{
	struct token file;
	int r = scan_token(sc, SCAN_VALUE, &file);
	if (r < 0)
		return;
	if (r == 0) {
		scan_error(sc, sc->pos, _("\"source\" needs a file name: source FILE"));
		return;
	}
	if (scan_expect_end(sc)) {
		char *expanded = path_expand_home(file.text);
		if (expanded == NULL) {
			scan_error(sc, file.start, _("cannot expand \"%s\": no such user"), file.text);
		} else {
			char *path = expanded[0] == '/' || strcmp(fs->dir, ".") == 0
			             ? xstrdup(expanded) : path_join(fs->dir, expanded);
			load_path(ld, path, true, sc, file.start);
			free(path);
			free(expanded);
		}
	}
	token_free(&file);
}

static int load_result(struct loader *ld, size_t errors_before)
{
	return config_diags_errors(ld->diags) > errors_before ? -1 : 0;
}

int config_load_file(struct config *cfg, const char *path, bool must_exist,
                     struct config_diags *diags)
{
	struct loader ld = {.cfg = cfg, .diags = diags, .depth = 0};
	size_t before = config_diags_errors(diags);
	load_path(&ld, path, must_exist, NULL, 0);
	return load_result(&ld, before);
}

int config_load_string(struct config *cfg, const char *name, const char *text,
                       struct config_diags *diags)
{
	struct loader ld = {.cfg = cfg, .diags = diags, .depth = 0};
	size_t before = config_diags_errors(diags);
	char real[PATH_MAX];
	ld.frames[0].real = xstrdup(realpath(name, real) != NULL ? real : "");
	ld.frames[0].display = xstrdup(name);
	ld.depth = 1;
	parse_buffer(&ld, name, text, strlen(text));
	free(ld.frames[0].real);
	free(ld.frames[0].display);
	return load_result(&ld, before);
}
