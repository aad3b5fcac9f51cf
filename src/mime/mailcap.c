/*
 * mailcap: RFC 1524 viewers for parts Rowan does not show itself.  The
 * part is written to a private temporary file with a name Rowan makes up;
 * that name, shell-quoted, is the only thing put into the user's command
 * line — never a file name, type or parameter as the message wrote it
 * unquoted.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "mime/message_private.h"

#define MAILCAP_FILE_MAX ((size_t)1024 * 1024)
#define MAILCAP_TEST_TIMEOUT_MS 5000
#define MAILCAP_VIEW_TIMEOUT_MS 60000
#define SUFFIX_MAX 16

struct mime_mailcap {
	struct mime_mailcap_entry *entries;
	size_t count;
	size_t cap;
};

static char *trim_dup(const char *s, size_t n)
{
	while (n > 0 && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	return xstrndup(s, n);
}

/* Split one logical line into fields at unescaped ';' ("\;" is a ';'). */
static size_t fields_split(const char *line, size_t len, char ***fields)
{
	size_t count = 0;
	struct buf f;
	buf_init(&f);
	buf_add(&f, "", 0);
	*fields = NULL;
	for (size_t i = 0; i <= len; i++) {
		if (i == len || line[i] == ';') {
			*fields = xrealloc(*fields, (count + 1) * sizeof **fields);
			(*fields)[count++] = trim_dup(f.data, f.len);
			buf_reset(&f);
			continue;
		}
		if (line[i] == '\\' && i + 1 < len) {
			if (line[i + 1] == ';') {
				buf_add_char(&f, ';');
			} else {
				buf_add_char(&f, '\\');
				buf_add_char(&f, line[i + 1]);
			}
			i++;
			continue;
		}
		buf_add_char(&f, line[i]);
	}
	buf_free(&f);
	return count;
}

static void entry_add(struct mime_mailcap *mc, const char *file, unsigned line_no,
                      char **fields, size_t count)
{
	if (count < 2 || fields[0][0] == '\0')
		return;
	struct mime_mailcap_entry e;
	memset(&e, 0, sizeof e);
	for (char *c = fields[0]; *c != '\0'; c++)
		*c = (char)tolower((unsigned char)*c);
	e.type = strchr(fields[0], '/') != NULL ? xstrdup(fields[0]) : xasprintf("%s/*", fields[0]);
	e.command = xstrdup(fields[1]);
	for (size_t i = 2; i < count; i++) {
		const char *f = fields[i];
		const char *eq = strchr(f, '=');
		if (eq == NULL) {
			if (strcasecmp(f, "copiousoutput") == 0)
				e.copiousoutput = true;
			else if (strcasecmp(f, "needsterminal") == 0)
				e.needsterminal = true;
			continue;
		}
		char *key = trim_dup(f, (size_t)(eq - f));
		char **slot = NULL;
		if (strcasecmp(key, "test") == 0)
			slot = &e.test;
		else if (strcasecmp(key, "nametemplate") == 0)
			slot = &e.nametemplate;
		else if (strcasecmp(key, "description") == 0)
			slot = &e.description;
		free(key);
		if (slot != NULL) {
			free(*slot);
			*slot = trim_dup(eq + 1, strlen(eq + 1));
		}
	}
	e.file = xstrdup(file);
	e.line = line_no;
	if (mc->count == mc->cap) {
		mc->cap = mc->cap == 0 ? 16 : mc->cap * 2;
		mc->entries = xrealloc(mc->entries, mc->cap * sizeof *mc->entries);
	}
	mc->entries[mc->count++] = e;
}

void mime_mailcap_add_text(struct mime_mailcap *mailcap, const char *name,
                           const char *text, size_t len)
{
	struct buf logical;
	buf_init(&logical);
	buf_add(&logical, "", 0);
	unsigned line_no = 0, start_line = 0;
	size_t pos = 0;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl != NULL ? (size_t)(nl - text) : len;
		size_t next = nl != NULL ? end + 1 : len;
		size_t n = end - pos;
		if (n > 0 && text[pos + n - 1] == '\r')
			n--;
		line_no++;
		if (logical.len == 0)
			start_line = line_no;
		/* A backslash at the end joins the next line. */
		bool more = n > 0 && text[pos + n - 1] == '\\';
		buf_add(&logical, text + pos, more ? n - 1 : n);
		pos = next;
		if (more && pos < len)
			continue;
		size_t skip = 0;
		while (skip < logical.len && isspace((unsigned char)logical.data[skip]))
			skip++;
		if (skip < logical.len && logical.data[skip] != '#') {
			char **fields;
			size_t count = fields_split(logical.data + skip, logical.len - skip, &fields);
			entry_add(mailcap, name, start_line, fields, count);
			for (size_t i = 0; i < count; i++)
				free(fields[i]);
			free(fields);
		}
		buf_reset(&logical);
	}
	buf_free(&logical);
}

static void mailcap_read(struct mime_mailcap *mc, const char *path)
{
	char *expanded = path_expand_home(path);
	if (expanded == NULL)
		return;
	size_t len;
	char *text = file_read_all(expanded, MAILCAP_FILE_MAX, &len, NULL);
	if (text != NULL)
		mime_mailcap_add_text(mc, expanded, text, len);
	free(text);
	free(expanded);
}

struct mime_mailcap *mime_mailcap_load(const char *const *paths)
{
	struct mime_mailcap *mc = xcalloc(1, sizeof *mc);
	if (paths != NULL) {
		for (size_t i = 0; paths[i] != NULL; i++)
			mailcap_read(mc, paths[i]);
		return mc;
	}
	const char *env = getenv("MAILCAPS");
	if (env != NULL && env[0] != '\0') {
		char *list = xstrdup(env);
		char *save = NULL;
		for (char *p = strtok_r(list, ":", &save); p != NULL; p = strtok_r(NULL, ":", &save))
			mailcap_read(mc, p);
		free(list);
		return mc;
	}
	mailcap_read(mc, "~/.mailcap");
	mailcap_read(mc, "/etc/mailcap");
	return mc;
}

void mime_mailcap_free(struct mime_mailcap **mailcap)
{
	if (mailcap == NULL || *mailcap == NULL)
		return;
	struct mime_mailcap *mc = *mailcap;
	for (size_t i = 0; i < mc->count; i++) {
		struct mime_mailcap_entry *e = &mc->entries[i];
		free(e->type);
		free(e->command);
		free(e->test);
		free(e->nametemplate);
		free(e->description);
		free(e->file);
	}
	free(mc->entries);
	free(mc);
	*mailcap = NULL;
}

size_t mime_mailcap_count(const struct mime_mailcap *mailcap)
{
	return mailcap->count;
}

const struct mime_mailcap_entry *mime_mailcap_get(const struct mime_mailcap *mailcap, size_t i)
{
	return i < mailcap->count ? &mailcap->entries[i] : NULL;
}

static bool entry_matches(const struct mime_mailcap_entry *e, const char *type)
{
	size_t n = strlen(e->type);
	if (n >= 2 && strcmp(e->type + n - 2, "/*") == 0)
		return strncasecmp(type, e->type, n - 1) == 0;
	return strcasecmp(type, e->type) == 0;
}

char *mime_mailcap_command(const struct mime_mailcap_entry *entry, const char *command,
                           const char *file, const char *type,
                           const struct mime_part *part)
{
	(void)entry;
	struct buf b;
	buf_init(&b);
	buf_add(&b, "", 0);
	for (size_t i = 0; command[i] != '\0'; i++) {
		char c = command[i];
		if (c == '\\' && command[i + 1] == '%') {
			buf_add_char(&b, '%');
			i++;
			continue;
		}
		if (c != '%') {
			buf_add_char(&b, c);
			continue;
		}
		char k = command[i + 1];
		char *quoted = NULL;
		if (k == 's') {
			/* '%s' or "%s" as written: our quoting replaces theirs. */
			char q = b.len > 0 ? b.data[b.len - 1] : '\0';
			if ((q == '\'' || q == '"') && command[i + 2] == q) {
				b.len--;
				b.data[b.len] = '\0';
				i++;
			}
			quoted = mime_shell_quote(file != NULL ? file : "");
			i++;
		} else if (k == 't') {
			quoted = mime_shell_quote(type != NULL ? type : "");
			i++;
		} else if (k == '{') {
			const char *close = strchr(command + i + 2, '}');
			if (close == NULL) {
				buf_add_char(&b, c);
				continue;
			}
			char *name = xstrndup(command + i + 2, (size_t)(close - (command + i + 2)));
			const char *value = part != NULL ?
			                    mime_content_header_param(&part->content_type, name) : NULL;
			free(name);
			quoted = mime_shell_quote(value != NULL ? value : "");
			i = (size_t)(close - command);
		} else if (k == '%') {
			buf_add_char(&b, '%');
			i++;
			continue;
		} else {
			buf_add_char(&b, c);
			continue;
		}
		buf_add_str(&b, quoted);
		free(quoted);
	}
	return buf_steal(&b);
}

const struct mime_mailcap_entry *mime_mailcap_find(const struct mime_mailcap *mailcap,
                                                   const char *type, unsigned flags)
{
	for (size_t i = 0; i < mailcap->count; i++) {
		const struct mime_mailcap_entry *e = &mailcap->entries[i];
		if (!entry_matches(e, type))
			continue;
		if ((flags & MIME_MAILCAP_COPIOUSOUTPUT) && !e->copiousoutput)
			continue;
		if (e->test != NULL && e->test[0] != '\0') {
			if (strstr(e->test, "%s") != NULL)
				continue;
			if (!(flags & MIME_MAILCAP_NO_TEST)) {
				char *command = mime_mailcap_command(e, e->test, NULL, type, NULL);
				struct mime_run r;
				memset(&r, 0, sizeof r);
				r.command = command;
				r.stdin_fd = -1;
				r.timeout_ms = MAILCAP_TEST_TIMEOUT_MS;
				int rc = mime_run_command(&r);
				free(command);
				if (rc != 0)
					continue;
			}
		}
		return e;
	}
	return NULL;
}

static bool suffix_ok(const char *s, size_t n)
{
	if (n == 0 || n > SUFFIX_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '.' && s[i] != '_' && s[i] != '-')
			return false;
	return true;
}

/* The temporary file's suffix: from nametemplate, else the file's extension. */
static char *view_suffix(const struct mime_mailcap_entry *entry, const struct mime_part *part)
{
	if (entry->nametemplate != NULL) {
		const char *s = strstr(entry->nametemplate, "%s");
		if (s != NULL && suffix_ok(s + 2, strlen(s + 2)))
			return xstrdup(s + 2);
		return xstrdup("");
	}
	if (part->filename != NULL) {
		const char *dot = strrchr(part->filename, '.');
		if (dot != NULL && dot[1] != '\0' && strlen(dot + 1) <= 10) {
			bool alnum = true;
			for (const char *p = dot + 1; *p != '\0'; p++)
				if (!isalnum((unsigned char)*p))
					alnum = false;
			if (alnum)
				return xstrdup(dot);
		}
	}
	return xstrdup("");
}

int mime_mailcap_view(const struct mime_mailcap_entry *entry, const struct mime_part *part,
                      char **output, size_t *output_len, struct rowan_err *err)
{
	if (output != NULL)
		*output = NULL;
	if (output_len != NULL)
		*output_len = 0;
	size_t len;
	char *data = mime_part_decode(part, SIZE_MAX, &len, NULL);
	char *suffix = view_suffix(entry, part);
	char *path;
	int rc = mime_temp_file_write(data, len, suffix, &path);
	int e = errno;
	free(suffix);
	free(data);
	if (rc != 0) {
		rowan_err_set(err, ROWAN_ERR_IO, _("cannot write a temporary file: %s"), strerror(e));
		return -1;
	}
	char *command = mime_mailcap_command(entry, entry->command, path, part->type, part);
	struct mime_run r;
	memset(&r, 0, sizeof r);
	r.command = command;
	r.stdin_fd = -1;
	if (strstr(entry->command, "%s") == NULL) {
		r.stdin_fd = open(path, O_RDONLY | O_CLOEXEC);
		if (r.stdin_fd < 0) {
			e = errno;
			unlink(path);
			free(path);
			free(command);
			rowan_err_set(err, ROWAN_ERR_IO, _("cannot read a temporary file: %s"),
			              strerror(e));
			return -1;
		}
	}
	bool copious = entry->copiousoutput && output != NULL;
	if (copious) {
		r.capture = true;
		r.max_out = part->message->limits.max_part_bytes;
		r.timeout_ms = MAILCAP_VIEW_TIMEOUT_MS;
	} else {
		r.terminal = true;
		r.timeout_ms = -1;
	}
	mime_run_command(&r);
	if (r.stdin_fd >= 0)
		close(r.stdin_fd);
	unlink(path);
	free(path);
	free(command);
	if (r.status < 0) {
		free(r.out);
		if (r.timed_out)
			rowan_err_set(err, ROWAN_ERR_IO, _("the viewer did not finish in time"));
		else if (r.overflow)
			rowan_err_set(err, ROWAN_ERR_IO, _("the viewer printed too much"));
		else
			rowan_err_set(err, ROWAN_ERR_IO, _("the viewer could not be run or was killed"));
		return -1;
	}
	if (copious) {
		*output = r.out;
		if (output_len != NULL)
			*output_len = r.out_len;
	} else {
		free(r.out);
	}
	return r.status;
}
