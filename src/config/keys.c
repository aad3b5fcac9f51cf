/*
 * keys: mutt's key notation — plain characters, \Cx and ^x for control
 * keys, \t \n \r \e, and named keys in angle brackets (<PageDown>, <F5>,
 * ...; in macros also <function-name>) — parsed into key codes and
 * printed back.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/internal.h"

struct named_key {
	const char *name;
	int key;
};

/* Names as written in <...>, matched without regard to case; the first
 * name of a key is the one printed. */
static const struct named_key named_keys[] = {
	{"Enter", CONFIG_KEY_ENTER},
	{"Return", '\r'},
	{"Tab", '\t'},
	{"BackTab", CONFIG_KEY_BACKTAB},
	{"Esc", '\033'},
	{"Space", ' '},
	{"Up", CONFIG_KEY_UP},
	{"Down", CONFIG_KEY_DOWN},
	{"Left", CONFIG_KEY_LEFT},
	{"Right", CONFIG_KEY_RIGHT},
	{"PageUp", CONFIG_KEY_PAGE_UP},
	{"PageDown", CONFIG_KEY_PAGE_DOWN},
	{"Home", CONFIG_KEY_HOME},
	{"End", CONFIG_KEY_END},
	{"Insert", CONFIG_KEY_INSERT},
	{"Delete", CONFIG_KEY_DELETE},
	{"Backspace", CONFIG_KEY_BACKSPACE},
	{"Escape", '\033'},
};

#define MAX_FKEY 24

/* Name of a named key without the angle brackets ("PageDown"), or NULL. */
static const char *keys_special_name(int key)
{
	for (size_t i = 0; i < sizeof named_keys / sizeof named_keys[0]; i++)
		if (named_keys[i].key == key)
			return named_keys[i].name;
	return NULL;
}

/* The key called name (without brackets), or -1. */
static int named_key_find(const char *name)
{
	for (size_t i = 0; i < sizeof named_keys / sizeof named_keys[0]; i++)
		if (strcasecmp(named_keys[i].name, name) == 0)
			return named_keys[i].key;
	if ((name[0] == 'F' || name[0] == 'f') && isdigit((unsigned char)name[1])) {
		char *end;
		long n = strtol(name + 1, &end, 10);
		if (*end == '\0' && n >= 1 && n <= MAX_FKEY && name[1] != '0')
			return CONFIG_KEY_F((int)n);
	}
	return -1;
}

void config_keyseq_clear(struct config_keyseq *seq)
{
	free(seq->keys);
	seq->keys = NULL;
	seq->len = 0;
}

static void seq_add(struct config_keyseq *seq, size_t *cap, int key)
{
	seq->keys = array_grow(seq->keys, seq->len, cap, sizeof *seq->keys);
	seq->keys[seq->len++] = key;
}

/* The control key for c (\Cc or ^c), or -1. */
static int control_key(unsigned char c)
{
	if (c == '?')
		return 127;
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 1;
	if (c >= '@' && c <= '_')
		return c - '@';
	return -1;
}

/* Decode one UTF-8 character at s; its length in *n, or -1 if invalid. */
static int utf8_decode(const unsigned char *s, size_t *n)
{
	int c = s[0];
	size_t len;
	int min;
	if (c < 0x80) {
		*n = 1;
		return c;
	} else if ((c & 0xe0) == 0xc0) {
		len = 2; c &= 0x1f; min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		len = 3; c &= 0x0f; min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		len = 4; c &= 0x07; min = 0x10000;
	} else {
		return -1;
	}
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return -1;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return -1;
	*n = len;
	return c;
}

static void utf8_encode(struct buf *b, int c)
{
	char out[4];
	size_t n;
	if (c < 0x80) {
		out[0] = (char)c; n = 1;
	} else if (c < 0x800) {
		out[0] = (char)(0xc0 | (c >> 6)); out[1] = (char)(0x80 | (c & 0x3f)); n = 2;
	} else if (c < 0x10000) {
		out[0] = (char)(0xe0 | (c >> 12)); out[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		out[2] = (char)(0x80 | (c & 0x3f)); n = 3;
	} else {
		out[0] = (char)(0xf0 | (c >> 18)); out[1] = (char)(0x80 | ((c >> 12) & 0x3f));
		out[2] = (char)(0x80 | ((c >> 6) & 0x3f)); out[3] = (char)(0x80 | (c & 0x3f)); n = 4;
	}
	buf_add(b, out, n);
}

static bool is_name_char(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '_';
}

static char *unknown_name_error(const char *name, bool allow_functions)
{
	struct suggest s;
	suggest_init(&s, name);
	for (size_t i = 0; i < sizeof named_keys / sizeof named_keys[0]; i++)
		suggest_consider(&s, named_keys[i].name);
	if (allow_functions)
		for (size_t i = 0; i < config_function_count(); i++)
			suggest_consider(&s, config_function_name((int)i));
	const char *best = suggest_result(&s);
	if (allow_functions) {
		if (best != NULL)
			return xasprintf(_("unknown key or function \"<%s>\"; did you mean \"<%s>\"?"),
			                 name, best);
		return xasprintf(_("unknown key or function \"<%s>\""), name);
	}
	if (best != NULL)
		return xasprintf(_("unknown key name \"<%s>\"; did you mean \"<%s>\"?"), name, best);
	return xasprintf(_("unknown key name \"<%s>\"; expected a name such as <Enter>, "
	                   "<PageDown> or <F1>"), name);
}

int config_keyseq_parse(const char *text, bool allow_functions,
                        struct config_keyseq *seq, char **error)
{
	size_t cap = 0;
	seq->keys = NULL;
	seq->len = 0;
	*error = NULL;
	const unsigned char *p = (const unsigned char *)text;
	while (*p != '\0') {
		if (*p == '\\' && p[1] != '\0') {
			unsigned char e = p[1];
			p += 2;
			int key;
			switch (e) {
			case 'C':
			case 'c':
				if (*p == '\0') {
					*error = xasprintf(_("incomplete control key \"\\%c\" in \"%s\"; "
					                     "expected a character after it"), e, text);
					goto fail;
				}
				/* \C\\ is control-backslash. */
				if (p[0] == '\\' && p[1] == '\\')
					p++;
				key = control_key(*p);
				if (key < 0) {
					*error = xasprintf(_("invalid control key \"\\%c%c\" in \"%s\""),
					                   e, *p, text);
					goto fail;
				}
				p++;
				break;
			case 't': key = '\t'; break;
			case 'n': key = '\n'; break;
			case 'r': key = '\r'; break;
			case 'e': key = '\033'; break;
			default: key = e; break;
			}
			seq_add(seq, &cap, key);
			continue;
		}
		if (*p == '^' && p[1] != '\0') {
			int key = control_key(p[1]);
			if (key < 0) {
				*error = xasprintf(_("invalid control key \"^%c\" in \"%s\""), p[1], text);
				goto fail;
			}
			seq_add(seq, &cap, key);
			p += 2;
			continue;
		}
		if (*p == '<') {
			const char *close = strchr((const char *)p + 1, '>');
			size_t n = close ? (size_t)(close - (const char *)p - 1) : 0;
			bool name_like = n > 0;
			for (size_t i = 0; i < n && name_like; i++)
				name_like = is_name_char((char)p[1 + i]);
			if (name_like) {
				char *name = xstrndup((const char *)p + 1, n);
				int key = named_key_find(name);
				if (key < 0 && allow_functions) {
					int f = config_function_find(name);
					if (f >= 0)
						key = CONFIG_KEY_FUNCTION + f;
				}
				if (key < 0) {
					*error = unknown_name_error(name, allow_functions);
					free(name);
					goto fail;
				}
				free(name);
				seq_add(seq, &cap, key);
				p += n + 2;
				continue;
			}
		}
		size_t n;
		int c = utf8_decode(p, &n);
		if (c < 0) {
			*error = xasprintf(_("invalid UTF-8 in key \"%s\""), text);
			goto fail;
		}
		seq_add(seq, &cap, c);
		p += n;
	}
	if (seq->len == 0) {
		*error = xstrdup(_("empty key sequence"));
		goto fail;
	}
	return 0;
fail:
	config_keyseq_clear(seq);
	return -1;
}

char *config_keyseq_format(const struct config_keyseq *seq)
{
	struct buf b;
	buf_init(&b);
	for (size_t i = 0; i < seq->len; i++) {
		int k = seq->keys[i];
		const char *name = keys_special_name(k);
		if (name != NULL) {
			buf_printf(&b, "<%s>", name);
		} else if (k >= CONFIG_KEY_FUNCTION) {
			buf_printf(&b, "<%s>", config_function_name(k - CONFIG_KEY_FUNCTION));
		} else if (k >= CONFIG_KEY_F(1) && k <= CONFIG_KEY_F(MAX_FKEY)) {
			buf_printf(&b, "<F%d>", k - CONFIG_KEY_F0);
		} else if (k == 127) {
			buf_add_str(&b, "\\C?");
		} else if (k >= 1 && k <= 26) {
			buf_printf(&b, "\\C%c", 'a' + k - 1);
		} else if (k == 28) {
			buf_add_str(&b, "\\C\\\\");
		} else if (k >= 0 && k < 32) {
			buf_printf(&b, "\\C%c", '@' + k);
		} else if (k == '\\' || k == '<' || k == '^' || k == '"') {
			buf_add_char(&b, '\\');
			buf_add_char(&b, (char)k);
		} else if (k < 0x110000) {
			utf8_encode(&b, k);
		}
	}
	return buf_steal(&b);
}
