/*
 * dump: the effective configuration printed back in rc syntax, such that
 * reading the output gives the same configuration again.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "config/internal.h"

static void dump_string_key(struct buf *b, const char *key, const char *value)
{
	if (value == NULL)
		return;
	char *q = rc_quote(value);
	buf_printf(b, "\t%s = %s\n", key, q);
	free(q);
}

static void dump_account(struct buf *b, const struct config_account *a)
{
	char *name = rc_word(a->name);
	buf_printf(b, "account %s {\n", name);
	free(name);
	buf_printf(b, "\ttype = %s\n", config_account_type_name(a->type));
	bool remote = a->type != CONFIG_ACCOUNT_LOCAL;
	if (remote) {
		dump_string_key(b, "host", a->host);
		buf_printf(b, "\tport = %d\n", a->port);
		buf_printf(b, "\ttls = %s\n", config_tls_name(a->tls, a->type));
		dump_string_key(b, "tls_fingerprint", a->tls_fingerprint);
	}
	dump_string_key(b, "tls_ca_file", a->tls_ca_file);
	dump_string_key(b, "user", a->user);
	dump_string_key(b, "password_command", a->password_command);
	buf_printf(b, "\tallow_plaintext_password = %s\n",
	           a->allow_plaintext_password ? "yes" : "no");
	if (a->smtp_host != NULL) {
		dump_string_key(b, "smtp_host", a->smtp_host);
		buf_printf(b, "\tsmtp_port = %d\n", a->smtp_port);
		buf_printf(b, "\tsmtp_tls = %s\n", config_smtp_tls_name(a->smtp_tls));
		dump_string_key(b, "smtp_user", a->smtp_user);
	}
	dump_string_key(b, "from", a->from);
	dump_string_key(b, "sent", a->sent);
	dump_string_key(b, "drafts", a->drafts);
	dump_string_key(b, "trash", a->trash);
	if (a->type != CONFIG_ACCOUNT_IMAP)
		dump_string_key(b, "mbox", a->mbox);
	if (a->type == CONFIG_ACCOUNT_POP3)
		buf_printf(b, "\tkeep_on_server = %s\n", a->keep_on_server ? "yes" : "no");
	buf_add_str(b, "}\n");
}

static void dump_keys(struct buf *b, const struct config_keyseq *seq)
{
	char *k = config_keyseq_format(seq);
	buf_printf(b, "\"%s\"", k);
	free(k);
}

static void dump_binding(struct buf *b, const struct config_binding *bd)
{
	buf_printf(b, "%s %s ", bd->kind == CONFIG_BINDING_MACRO ? "macro" : "bind",
	           config_menu_name(bd->menu));
	dump_keys(b, &bd->keys);
	if (bd->kind == CONFIG_BINDING_FUNCTION) {
		buf_printf(b, " %s\n", config_function_name(bd->function));
		return;
	}
	buf_add_char(b, ' ');
	dump_keys(b, &bd->macro);
	if (bd->description != NULL) {
		char *q = rc_quote(bd->description);
		buf_printf(b, " %s", q);
		free(q);
	}
	buf_add_char(b, '\n');
}

static void dump_color(struct buf *b, const struct config_color *c)
{
	char *fg = color_value_name(&c->fg);
	char *bg = color_value_name(&c->bg);
	buf_printf(b, "color %s %s %s", c->object, fg, bg);
	if (c->pattern != NULL) {
		char *q = rc_quote(c->pattern);
		buf_printf(b, " %s", q);
		free(q);
	}
	buf_add_char(b, '\n');
	free(fg);
	free(bg);
}

char *config_dump(const struct config *cfg)
{
	struct buf b;
	buf_init(&b);
	buf_add_str(&b, "# Rowan's effective configuration (rowan --dump-config)\n\n");
	for (int i = 0; i < CONFIG_VAR_COUNT; i++) {
		const struct config_var_def *def = config_var_def((enum config_var_id)i);
		if (def->flags & CONFIG_VAR_SECRET) {
			buf_printf(&b, "# %s is secret and not shown\n", def->name);
			continue;
		}
		char *v = config_var_format(cfg, (enum config_var_id)i);
		buf_printf(&b, "set %s = %s\n", def->name, v);
		free(v);
	}
	for (size_t i = 0; i < cfg->n_accounts; i++) {
		buf_add_char(&b, '\n');
		dump_account(&b, cfg->accounts[i]);
	}
	if (cfg->n_bindings > 0)
		buf_add_char(&b, '\n');
	for (size_t i = 0; i < cfg->n_bindings; i++)
		dump_binding(&b, &cfg->bindings[i]);
	if (cfg->n_colors > 0)
		buf_add_char(&b, '\n');
	for (size_t i = 0; i < cfg->n_colors; i++)
		dump_color(&b, &cfg->colors[i]);
	if (cfg->n_aliases > 0)
		buf_add_char(&b, '\n');
	for (size_t i = 0; i < cfg->n_aliases; i++) {
		char *name = rc_word(cfg->aliases[i].name);
		buf_printf(&b, "alias %s %s\n", name, cfg->aliases[i].addresses);
		free(name);
	}
	return buf_steal(&b);
}
