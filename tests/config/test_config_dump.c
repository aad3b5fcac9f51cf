/*
 * test_config_dump: config_dump prints every variable, account, binding,
 * macro, colour and alias in rc syntax that reads back to the same
 * configuration.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"

static void assert_same_accounts(const struct config *a, const struct config *b)
{
	assert_int_equal(config_account_count(a), config_account_count(b));
	for (size_t i = 0; i < config_account_count(a); i++) {
		const struct config_account *x = config_account_get(a, i);
		const struct config_account *y = config_account_get(b, i);
		assert_string_equal(x->name, y->name);
		assert_int_equal(x->type, y->type);
		assert_int_equal(x->port, y->port);
		assert_int_equal(x->tls, y->tls);
		assert_int_equal(x->smtp_port, y->smtp_port);
		assert_int_equal(x->smtp_tls, y->smtp_tls);
		assert_int_equal(x->allow_plaintext_password, y->allow_plaintext_password);
		assert_int_equal(x->keep_on_server, y->keep_on_server);
		const char *xs[] = {x->host, x->user, x->password_command, x->smtp_host,
		                    x->smtp_user, x->from, x->sent, x->drafts, x->trash,
		                    x->mbox, x->tls_ca_file, x->tls_fingerprint};
		const char *ys[] = {y->host, y->user, y->password_command, y->smtp_host,
		                    y->smtp_user, y->from, y->sent, y->drafts, y->trash,
		                    y->mbox, y->tls_ca_file, y->tls_fingerprint};
		for (size_t k = 0; k < sizeof xs / sizeof xs[0]; k++) {
			if (xs[k] == NULL)
				assert_null(ys[k]);
			else
				assert_string_equal(xs[k], ys[k]);
		}
	}
}

static void assert_same_bindings(const struct config *a, const struct config *b)
{
	assert_int_equal(config_binding_count(a), config_binding_count(b));
	for (size_t i = 0; i < config_binding_count(a); i++) {
		const struct config_binding *x = config_binding_get(a, i);
		const struct config_binding *y = config_binding_get(b, i);
		assert_int_equal(x->menu, y->menu);
		assert_int_equal(x->kind, y->kind);
		assert_int_equal(x->keys.len, y->keys.len);
		assert_memory_equal(x->keys.keys, y->keys.keys, x->keys.len * sizeof(int));
		if (x->kind == CONFIG_BINDING_FUNCTION) {
			assert_int_equal(x->function, y->function);
		} else {
			assert_int_equal(x->macro.len, y->macro.len);
			assert_memory_equal(x->macro.keys, y->macro.keys, x->macro.len * sizeof(int));
			if (x->description == NULL)
				assert_null(y->description);
			else
				assert_string_equal(x->description, y->description);
		}
	}
}

/* Dump, read back, dump again: same text, same data, no errors. */
static void round_trip(const char *text)
{
	struct loaded first = load_text(text);
	assert_int_equal(config_diags_errors(first.diags), 0);
	char *dump1 = config_dump(first.cfg);
	struct loaded second = load_text(dump1);
	char *diags = diags_joined(second.diags);
	if (config_diags_errors(second.diags) != 0)
		fail_msg("dump does not read back:\n%s\n%s", diags, dump1);
	free(diags);
	char *dump2 = config_dump(second.cfg);
	assert_string_equal(dump1, dump2);
	for (int i = 0; i < CONFIG_VAR_COUNT; i++) {
		char *x = config_var_format(first.cfg, (enum config_var_id)i);
		char *y = config_var_format(second.cfg, (enum config_var_id)i);
		assert_string_equal(x, y);
		free(x);
		free(y);
	}
	assert_same_accounts(first.cfg, second.cfg);
	assert_same_bindings(first.cfg, second.cfg);
	assert_int_equal(config_color_count(first.cfg), config_color_count(second.cfg));
	assert_int_equal(config_alias_count(first.cfg), config_alias_count(second.cfg));
	free(dump1);
	free(dump2);
	loaded_free(&first);
	loaded_free(&second);
}

static void test_dump_defaults(void **state)
{
	(void)state;
	struct config *cfg = config_new();
	char *dump = config_dump(cfg);
	/* Every variable is there, in rc syntax. */
	for (int i = 0; i < CONFIG_VAR_COUNT; i++) {
		const struct config_var_def *def = config_var_def((enum config_var_id)i);
		char *v = config_var_format(cfg, (enum config_var_id)i);
		char *line = xasprintf("\nset %s = %s\n", def->name, v);
		if (strstr(dump, line) == NULL)
			fail_msg("missing: %s", line);
		free(line);
		free(v);
	}
	assert_non_null(strstr(dump, "\nset sort = date-received\n"));
	assert_non_null(strstr(dump, "\nset editor = \"vi\"\n"));
	assert_non_null(strstr(dump, "\nset max_literal_size = 104857600\n"));
	assert_non_null(strstr(dump, "\nset expunge_on_exit = ask-yes\n"));
	assert_null(strstr(dump, "account"));
	free(dump);
	config_free(&cfg);
	round_trip("");
}

static void test_dump_readme_example(void **state)
{
	(void)state;
	const char *src = getenv("ROWAN_SRCDIR");
	char *path = xasprintf("%s/tests/config/readme-example.rc", src ? src : ".");
	struct rowan_err err;
	char *text = file_read_all(path, 1 << 20, NULL, &err);
	assert_non_null(text);
	struct loaded l = load_text(text);
	char *dump = config_dump(l.cfg);
	assert_non_null(strstr(dump, "account work {\n\ttype = imap\n\thost = \"imap.example.org\"\n"
	                             "\tport = 993\n\ttls = imaps\n"));
	assert_non_null(strstr(dump, "\tpassword_command = \"pass show mail/work\"\n"));
	assert_non_null(strstr(dump, "\tkeep_on_server = yes\n"));
	assert_non_null(strstr(dump, "\nbind index \"G\" last-entry\n"));
	assert_non_null(strstr(dump, "\ncolor index yellow default\n"));
	free(dump);
	loaded_free(&l);
	round_trip(text);
	free(text);
	free(path);
}

static void test_dump_round_trip_everything(void **state)
{
	(void)state;
	round_trip(
		"set editor = \"vim -c 'set tw=72' \\\"quoted\\\" back\\\\slash\"\n"
		"set realname = 'Tab\there'\n"
		"set date_format = \"a\\nb\\tc\\ed\"\n"
		"set html_filter = \"w3m -dump -T text/html\"\n"
		"set sort = reverse-threads\n"
		"set copy = ask-no\n"
		"set mail_check = 0\n"
		"set wrap = -5\n"
		"set max_literal_size = 1K\n"
		"set nobeep\n"
		"set folder = ~/Maildir\n"
		"set status_format = \"# not a comment\"\n"
		"account \"with space\" {\n type = imap\n host = h\n tls = starttls\n"
		" user = \"u@x\"\n drafts = \"Drafts\"\n trash = Trash\n"
		" smtp_host = s\n smtp_tls = none\n allow_plaintext_password = yes\n"
		" password_command = \"printf '%s' \\\"$(cat f)\\\"\"\n}\n"
		"account l {\n type = local\n mbox = ~/inbox\n}\n"
		"account p {\n type = pop3\n host = h\n mbox = /tmp/p\n keep_on_server = no\n}\n"
		"bind index,pager \\Cd half-down\n"
		"bind editor \"<Tab>\" complete\n"
		"bind index \\C\\\\ noop\n"
		"bind pager '\"' noop\n"
		"bind index '#' noop\n"
		"bind index \\< noop\n"
		"bind index ^^ noop\n"
		"bind index <F12><Esc>x<Space>\xc3\xa9 noop\n"
		"macro index ,a \"<save-message>=archive<enter>\" \"Archive \\\"it\\\"\"\n"
		"macro pager \\Cb '|urlview\\n' ''\n"
		"color index yellow default\n"
		"color status brightwhite color17\n"
		"color body brightblue default \"https?://[^ ]+\\\\.\"\n"
		"color header red blue \"^(From|To):\"\n"
		"alias bob Bob Smith <bob@example.org>\n"
		"alias \"two words\" \"Smith, Bob\" <bob@example.org>, carol@example.org\n");
}

static void test_dump_runs_no_command(void **state)
{
	(void)state;
	char *marker = xasprintf("%s/ran", helpers_home());
	char *text = xasprintf("account a {\n type = imap\n host = h\n"
	                       " password_command = \"touch %s; echo hunter2\"\n}\n", marker);
	struct loaded l = load_text(text);
	assert_int_equal(l.rc, 0);
	char *dump = config_dump(l.cfg);
	/* The command is printed as written, never run while loading or dumping. */
	assert_non_null(strstr(dump, "password_command"));
	assert_int_equal(access(marker, F_OK), -1);
	free(dump);
	loaded_free(&l);
	free(text);
	free(marker);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dump_defaults),
		cmocka_unit_test(test_dump_readme_example),
		cmocka_unit_test(test_dump_round_trip_everything),
		cmocka_unit_test(test_dump_runs_no_command),
	};
	return cmocka_run_group_tests(tests, helpers_group_setup, helpers_group_teardown);
}
