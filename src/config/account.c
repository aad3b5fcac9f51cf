/*
 * account: "account NAME { KEY = VALUE ... }" blocks — the account keys,
 * their values, the defaults that follow from type and tls, and the checks
 * made when a block closes.
 */
#include "config.h"

#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "config/internal.h"

enum key_kind {
	KEY_TYPE,
	KEY_STRING,
	KEY_PATH,
	KEY_PORT,
	KEY_TLS,
	KEY_SMTP_TLS,
	KEY_FINGERPRINT,
	KEY_BOOL,
};

#define T_IMAP (1u << CONFIG_ACCOUNT_IMAP)
#define T_POP3 (1u << CONFIG_ACCOUNT_POP3)
#define T_LOCAL (1u << CONFIG_ACCOUNT_LOCAL)
#define T_ALL (T_IMAP | T_POP3 | T_LOCAL)
#define T_REMOTE (T_IMAP | T_POP3)

struct account_key {
	const char *name;
	enum key_kind kind;
	size_t offset;
	unsigned types;   /* account types the key applies to */
};

#define F(field) offsetof(struct config_account, field)

enum {
	K_TYPE, K_HOST, K_PORT, K_TLS, K_TLS_CA_FILE, K_TLS_FINGERPRINT, K_USER,
	K_PASSWORD_COMMAND, K_ALLOW_PLAINTEXT, K_SMTP_HOST, K_SMTP_PORT,
	K_SMTP_TLS, K_SMTP_USER, K_FROM, K_SENT, K_DRAFTS, K_TRASH, K_MBOX,
	K_KEEP_ON_SERVER, K_COUNT
};

_Static_assert(K_COUNT <= ACCOUNT_KEYS_MAX && K_COUNT <= 32, "too many account keys");

static const struct account_key keys[K_COUNT] = {
	[K_TYPE] = {"type", KEY_TYPE, F(type), T_ALL},
	[K_HOST] = {"host", KEY_STRING, F(host), T_REMOTE},
	[K_PORT] = {"port", KEY_PORT, F(port), T_REMOTE},
	[K_TLS] = {"tls", KEY_TLS, F(tls), T_REMOTE},
	[K_TLS_CA_FILE] = {"tls_ca_file", KEY_PATH, F(tls_ca_file), T_ALL},
	[K_TLS_FINGERPRINT] = {"tls_fingerprint", KEY_FINGERPRINT, F(tls_fingerprint), T_REMOTE},
	[K_USER] = {"user", KEY_STRING, F(user), T_ALL},
	[K_PASSWORD_COMMAND] = {"password_command", KEY_STRING, F(password_command), T_ALL},
	[K_ALLOW_PLAINTEXT] = {"allow_plaintext_password", KEY_BOOL,
	                       F(allow_plaintext_password), T_ALL},
	[K_SMTP_HOST] = {"smtp_host", KEY_STRING, F(smtp_host), T_ALL},
	[K_SMTP_PORT] = {"smtp_port", KEY_PORT, F(smtp_port), T_ALL},
	[K_SMTP_TLS] = {"smtp_tls", KEY_SMTP_TLS, F(smtp_tls), T_ALL},
	[K_SMTP_USER] = {"smtp_user", KEY_STRING, F(smtp_user), T_ALL},
	[K_FROM] = {"from", KEY_STRING, F(from), T_ALL},
	[K_SENT] = {"sent", KEY_STRING, F(sent), T_ALL},
	[K_DRAFTS] = {"drafts", KEY_STRING, F(drafts), T_ALL},
	[K_TRASH] = {"trash", KEY_STRING, F(trash), T_ALL},
	[K_MBOX] = {"mbox", KEY_PATH, F(mbox), T_POP3 | T_LOCAL},
	[K_KEEP_ON_SERVER] = {"keep_on_server", KEY_BOOL, F(keep_on_server), T_POP3},
};

static const char *const type_names[] = {
	[CONFIG_ACCOUNT_IMAP] = "imap",
	[CONFIG_ACCOUNT_POP3] = "pop3",
	[CONFIG_ACCOUNT_LOCAL] = "local",
};

#define BIT(k) (1ul << (k))

const char *config_account_type_name(enum config_account_type type)
{
	return (unsigned)type < 3 ? type_names[type] : "?";
}

const char *config_tls_name(enum config_tls tls, enum config_account_type type)
{
	switch (tls) {
	case CONFIG_TLS_IMPLICIT: return type == CONFIG_ACCOUNT_POP3 ? "pop3s" : "imaps";
	case CONFIG_TLS_STARTTLS: return "starttls";
	case CONFIG_TLS_NONE: return "none";
	}
	return "?";
}

const char *config_smtp_tls_name(enum config_tls tls)
{
	return tls == CONFIG_TLS_IMPLICIT ? "smtps" : config_tls_name(tls, CONFIG_ACCOUNT_IMAP);
}

size_t account_key_count(void)
{
	return K_COUNT;
}

const char *account_key_name(size_t i)
{
	return i < K_COUNT ? keys[i].name : NULL;
}

void config_account_entry_free(struct config_account **acct)
{
	if (acct == NULL || *acct == NULL)
		return;
	struct config_account *a = *acct;
	for (int k = 0; k < K_COUNT; k++) {
		if (keys[k].kind == KEY_STRING || keys[k].kind == KEY_PATH ||
		    keys[k].kind == KEY_FINGERPRINT)
			free(*(char **)((char *)a + keys[k].offset));
	}
	free(a->name);
	free(a->file);
	free(a);
	*acct = NULL;
}

size_t config_account_count(const struct config *cfg)
{
	return cfg->n_accounts;
}

const struct config_account *config_account_get(const struct config *cfg, size_t i)
{
	return i < cfg->n_accounts ? cfg->accounts[i] : NULL;
}

const struct config_account *config_account_find(const struct config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->n_accounts; i++)
		if (strcmp(cfg->accounts[i]->name, name) == 0)
			return cfg->accounts[i];
	return NULL;
}

const char *config_account_ca_file(const struct config *cfg,
                                   const struct config_account *acct)
{
	if (acct->tls_ca_file != NULL && acct->tls_ca_file[0] != '\0')
		return acct->tls_ca_file;
	const char *global = config_get_string(cfg, CONFIG_VAR_TLS_CA_FILE);
	return global[0] != '\0' ? global : NULL;
}

bool config_account_password_allowed(const struct config_account *acct, bool smtp)
{
	enum config_tls tls = smtp ? acct->smtp_tls : acct->tls;
	return tls != CONFIG_TLS_NONE || acct->allow_plaintext_password;
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int config_fingerprint_parse(const char *text, unsigned char out[32])
{
	if (strncasecmp(text, "sha256:", 7) != 0)
		return -1;
	const char *p = text + 7;
	for (int i = 0; i < 32; i++) {
		int hi = hex_value(p[0]);
		int lo = hi < 0 ? -1 : hex_value(p[1]);
		if (lo < 0)
			return -1;
		out[i] = (unsigned char)(hi << 4 | lo);
		p += 2;
		if (i < 31 && *p++ != ':')
			return -1;
	}
	return *p == '\0' ? 0 : -1;
}

void config_account_begin(struct loader *ld, struct file_state *fs, struct scanner *sc)
{
	struct token name;
	int r = scan_token(sc, SCAN_NAME, &name);
	if (r < 0)
		return;
	if (r == 0 || name.text[0] == '\0') {
		scan_error(sc, r == 0 ? sc->pos : name.start,
		           _("\"account\" needs a name: account NAME {"));
		if (r > 0)
			token_free(&name);
		/* Read the block anyway, so that its lines are not taken for commands. */
		name.text = xstrdup("");
		name.start = sc->pos;
	}
	if (scan_peek(sc) == '{') {
		sc->pos++;
		scan_expect_end(sc);
	} else if (scan_at_end(sc)) {
		scan_error(sc, sc->pos, _("expected \"{\" after account name \"%s\""), name.text);
	} else {
		struct token found;
		size_t at = sc->pos;
		if (scan_token(sc, SCAN_VALUE, &found) > 0) {
			scan_error(sc, at, _("expected \"{\" after account name \"%s\", found \"%s\""),
			           name.text, found.text);
			token_free(&found);
		}
	}
	struct config_account *a = xcalloc(1, sizeof *a);
	a->name = name.text;
	a->file = xstrdup(fs->file);
	scan_position(sc, name.start, &a->line, &a->column);
	a->keep_on_server = true;
	fs->account = a;
	fs->bad_mask = 0;
}

static const char *const commands_in_block[] = {
	"set", "unset", "source", "account", "bind", "macro", "color", "alias",
};

static void unknown_key(struct scanner *sc, const struct config_account *a,
                        const struct token *key)
{
	for (size_t i = 0; i < sizeof commands_in_block / sizeof commands_in_block[0]; i++) {
		if (strcmp(commands_in_block[i], key->text) == 0) {
			scan_error(sc, key->start, _("command \"%s\" cannot be used inside account "
			                             "\"%s\"; expected KEY = VALUE or \"}\""),
			           key->text, a->name);
			return;
		}
	}
	struct suggest s;
	suggest_init(&s, key->text);
	for (int k = 0; k < K_COUNT; k++)
		suggest_consider(&s, keys[k].name);
	const char *best = suggest_result(&s);
	if (best != NULL)
		scan_error(sc, key->start, _("unknown account key \"%s\"; did you mean \"%s\"?"),
		           key->text, best);
	else
		scan_error(sc, key->start, _("unknown account key \"%s\"; the keys are listed "
		                             "in rowanrc(5)"), key->text);
}

static int parse_bool(const char *text, bool *out)
{
	static const char *const yes[] = {"yes", "true", "on"};
	static const char *const no[] = {"no", "false", "off"};
	for (size_t i = 0; i < 3; i++) {
		if (strcasecmp(text, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcasecmp(text, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

static bool looks_like_placeholder(const char *text)
{
	return strstr(text, "...") != NULL || strstr(text, "\xe2\x80\xa6") != NULL;
}

/* Store value for key k in a; 0, or -1 after an error. */
static int key_value(struct scanner *sc, struct config_account *a, int k,
                     const struct token *value)
{
	const struct account_key *key = &keys[k];
	void *field = (char *)a + key->offset;
	const char *v = value->text;
	switch (key->kind) {
	case KEY_TYPE:
		for (int t = 0; t < 3; t++) {
			if (strcmp(v, type_names[t]) == 0) {
				a->type = (enum config_account_type)t;
				return 0;
			}
		}
		scan_error(sc, value->start, _("invalid value \"%s\" for \"%s\": "
		                               "expected imap, pop3 or local"), v, key->name);
		return -1;
	case KEY_STRING:
		free(*(char **)field);
		*(char **)field = xstrdup(v);
		return 0;
	case KEY_PATH: {
		char *path = path_expand_home(v);
		if (path == NULL) {
			scan_error(sc, value->start, _("cannot expand \"%s\": no such user"), v);
			return -1;
		}
		if (k == K_TLS_CA_FILE && access(path, F_OK) != 0)
			scan_warning(sc, value->start, _("CA file \"%s\" does not exist"), path);
		free(*(char **)field);
		*(char **)field = path;
		return 0;
	}
	case KEY_PORT: {
		char *end = NULL;
		long n = isdigit((unsigned char)v[0]) ? strtol(v, &end, 10) : 0;
		if (n < 1 || n > 65535 || *end != '\0') {
			scan_error(sc, value->start, _("invalid value \"%s\" for \"%s\": expected a port "
			                               "number from 1 to 65535"), v, key->name);
			return -1;
		}
		*(int *)field = (int)n;
		return 0;
	}
	case KEY_TLS:
	case KEY_SMTP_TLS: {
		enum config_tls tls;
		if (strcmp(v, "starttls") == 0)
			tls = CONFIG_TLS_STARTTLS;
		else if (strcmp(v, "none") == 0)
			tls = CONFIG_TLS_NONE;
		else if (key->kind == KEY_TLS && (strcmp(v, "imaps") == 0 || strcmp(v, "pop3s") == 0))
			tls = CONFIG_TLS_IMPLICIT;
		else if (key->kind == KEY_SMTP_TLS && strcmp(v, "smtps") == 0)
			tls = CONFIG_TLS_IMPLICIT;
		else {
			if (key->kind == KEY_TLS)
				scan_error(sc, value->start, _("invalid value \"%s\" for \"%s\": expected "
				                               "imaps, pop3s, starttls or none"), v, key->name);
			else
				scan_error(sc, value->start, _("invalid value \"%s\" for \"%s\": expected "
				                               "smtps, starttls or none"), v, key->name);
			return -1;
		}
		*(enum config_tls *)field = tls;
		return 0;
	}
	case KEY_BOOL:
		if (parse_bool(v, (bool *)field) != 0) {
			scan_error(sc, value->start, _("invalid value \"%s\" for \"%s\": expected yes or no"),
			           v, key->name);
			return -1;
		}
		return 0;
	case KEY_FINGERPRINT: {
		unsigned char digest[32];
		if (config_fingerprint_parse(v, digest) != 0) {
			if (!looks_like_placeholder(v)) {
				scan_error(sc, value->start, _("invalid value \"%s\" for \"%s\": expected "
				                               "\"sha256:\" followed by 32 colon-separated "
				                               "hex bytes"), v, key->name);
				return -1;
			}
			scan_warning(sc, value->start, _("\"%s\" looks like a placeholder, not a "
			                                 "fingerprint: no server certificate will "
			                                 "match it"), v);
		}
		free(a->tls_fingerprint);
		a->tls_fingerprint = xstrdup(v);
		return 0;
	}
	}
	return -1;
}

void config_account_key(struct loader *ld, struct file_state *fs, struct scanner *sc,
                 const struct token *key)
{
	struct config_account *a = fs->account;
	int k = 0;
	while (k < K_COUNT && strcmp(keys[k].name, key->text) != 0)
		k++;
	if (k == K_COUNT) {
		unknown_key(sc, a, key);
		return;
	}
	struct token value = {0};
	if (scan_peek(sc) != '=') {
		if (scan_at_end(sc)) {
			scan_error(sc, sc->pos, _("expected \"=\" and a value after \"%s\""), key->text);
		} else {
			size_t at = sc->pos;
			if (scan_token(sc, SCAN_VALUE, &value) > 0)
				scan_error(sc, at, _("expected \"=\" after \"%s\", found \"%s\""),
				           key->text, value.text);
		}
		goto bad;
	}
	sc->pos++;
	int r = scan_token(sc, SCAN_VALUE, &value);
	if (r < 0)
		goto bad;
	if (r == 0) {
		scan_error(sc, sc->pos, _("missing value for \"%s\" after \"=\""), key->text);
		goto bad;
	}
	if (!scan_at_end(sc)) {
		struct token extra;
		size_t at = sc->pos;
		if (scan_token(sc, SCAN_VALUE, &extra) > 0) {
			scan_error(sc, at, _("unexpected \"%s\" after the value of \"%s\"; "
			                     "put quotes around a value that contains spaces"),
			           extra.text, key->text);
			token_free(&extra);
		}
		goto bad;
	}
	if (a->set_mask & BIT(k))
		scan_warning(sc, key->start, _("\"%s\" is set twice in account \"%s\"; "
		                               "the last value counts"), key->text, a->name);
	if (key_value(sc, a, k, &value) != 0)
		goto bad;
	a->set_mask |= BIT(k);
	fs->bad_mask &= ~BIT(k);
	scan_position(sc, key->start, &fs->key_line[k], &fs->key_column[k]);
	token_free(&value);
	return;
bad:
	fs->bad_mask |= BIT(k);
	token_free(&value);
}

static void close_warning(struct loader *ld, struct file_state *fs, int k, const char *message)
{
	diags_add(ld->diags, CONFIG_WARNING, fs->file, fs->key_line[k], fs->key_column[k],
	          "%s", message);
}

/* The checks and defaults that need the whole block. */
static void account_finish(struct loader *ld, struct file_state *fs, struct config_account *a)
{
	unsigned long set = a->set_mask, bad = fs->bad_mask;
	if (!(set & BIT(K_TYPE))) {
		if (!(bad & BIT(K_TYPE)))
			diags_add(ld->diags, CONFIG_ERROR, a->file, a->line, a->column,
			          _("account \"%s\" needs \"type\" (imap, pop3 or local)"), a->name);
		return;
	}
	const char *type = type_names[a->type];
	bool remote = a->type != CONFIG_ACCOUNT_LOCAL;
	if (remote && (a->host == NULL || a->host[0] == '\0'))
		diags_add(ld->diags, CONFIG_ERROR, a->file, a->line, a->column,
		          _("account \"%s\" of type %s needs \"%s\""), a->name, type, "host");
	if (a->type != CONFIG_ACCOUNT_IMAP && (a->mbox == NULL || a->mbox[0] == '\0') &&
	    !(bad & BIT(K_MBOX)))
		diags_add(ld->diags, CONFIG_ERROR, a->file, a->line, a->column,
		          _("account \"%s\" of type %s needs \"%s\""), a->name, type, "mbox");
	/* Keys that do not apply to the type, in file order. */
	int order[K_COUNT];
	int n = 0;
	for (int k = 0; k < K_COUNT; k++) {
		if (!(set & BIT(k)) || (keys[k].types & (1u << a->type)))
			continue;
		int i = n++;
		while (i > 0 && (fs->key_line[order[i - 1]] > fs->key_line[k] ||
		                 (fs->key_line[order[i - 1]] == fs->key_line[k] &&
		                  fs->key_column[order[i - 1]] > fs->key_column[k]))) {
			order[i] = order[i - 1];
			i--;
		}
		order[i] = k;
	}
	for (int i = 0; i < n; i++) {
		char *m = xasprintf(_("\"%s\" has no effect for accounts of type %s"),
		                    keys[order[i]].name, type);
		close_warning(ld, fs, order[i], m);
		free(m);
	}
	static const int smtp_keys[] = {K_SMTP_PORT, K_SMTP_TLS, K_SMTP_USER};
	for (size_t i = 0; i < 3; i++) {
		int k = smtp_keys[i];
		if ((set & BIT(k)) && a->smtp_host == NULL) {
			char *m = xasprintf(_("\"%s\" has no effect without \"smtp_host\""), keys[k].name);
			close_warning(ld, fs, k, m);
			free(m);
		}
	}
	/* Defaults. */
	if (!remote) {
		a->port = 0;
		a->tls = CONFIG_TLS_IMPLICIT;
	} else if (!(set & BIT(K_PORT))) {
		bool implicit = a->tls == CONFIG_TLS_IMPLICIT;
		if (a->type == CONFIG_ACCOUNT_IMAP)
			a->port = implicit ? 993 : 143;
		else
			a->port = implicit ? 995 : 110;
	}
	if (a->smtp_host != NULL) {
		if (!(set & BIT(K_SMTP_PORT)))
			a->smtp_port = a->smtp_tls == CONFIG_TLS_IMPLICIT ? 465 : 587;
		if (a->smtp_user == NULL && a->user != NULL)
			a->smtp_user = xstrdup(a->user);
	} else {
		a->smtp_port = 0;
		a->smtp_tls = CONFIG_TLS_IMPLICIT;
		free(a->smtp_user);
		a->smtp_user = NULL;
	}
	/* Passwords never go out in the clear unless the account says so. */
	if (a->password_command != NULL && !a->allow_plaintext_password) {
		if (remote && a->tls == CONFIG_TLS_NONE)
			diags_add(ld->diags, CONFIG_WARNING, a->file, a->line, a->column,
			          _("account \"%s\" has tls = none: its password will not be sent "
			            "unless allow_plaintext_password = yes"), a->name);
		if (a->smtp_host != NULL && a->smtp_tls == CONFIG_TLS_NONE)
			diags_add(ld->diags, CONFIG_WARNING, a->file, a->line, a->column,
			          _("account \"%s\" has smtp_tls = none: its password will not be sent "
			            "to the SMTP server unless allow_plaintext_password = yes"), a->name);
	}
	if (remote && a->tls == CONFIG_TLS_NONE && a->tls_fingerprint != NULL)
		close_warning(ld, fs, K_TLS_FINGERPRINT,
		              _("\"tls_fingerprint\" has no effect with tls = none"));
}

void config_account_end(struct loader *ld, struct file_state *fs)
{
	struct config_account *a = fs->account;
	fs->account = NULL;
	if (a == NULL)
		return;
	if (a->name[0] == '\0') {
		/* Nameless: already reported. */
		config_account_entry_free(&a);
		return;
	}
	account_finish(ld, fs, a);
	struct config *cfg = ld->cfg;
	const struct config_account *first = config_account_find(cfg, a->name);
	if (first != NULL) {
		diags_add(ld->diags, CONFIG_ERROR, a->file, a->line, a->column,
		          _("duplicate account \"%s\"; the first one is at %s:%u"),
		          a->name, first->file, first->line);
		config_account_entry_free(&a);
		return;
	}
	cfg->accounts = array_grow(cfg->accounts, cfg->n_accounts, &cfg->cap_accounts,
	                           sizeof *cfg->accounts);
	cfg->accounts[cfg->n_accounts++] = a;
}
