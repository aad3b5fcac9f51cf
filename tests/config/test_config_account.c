/*
 * test_config_account: "account NAME { ... }" blocks — the README's
 * example, defaults, the checks made when a block closes, and the errors
 * and warnings for bad keys and values.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "helpers.h"

static char *example_path(void)
{
	const char *src = getenv("ROWAN_SRCDIR");
	return xasprintf("%s/tests/config/readme-example.rc", src ? src : ".");
}

static void test_readme_example(void **state)
{
	(void)state;
	char *path = example_path();
	struct loaded l = load_file(path);
	/* No errors; the missing CA file and the placeholder fingerprint
	 * are only warnings. */
	assert_int_equal(l.rc, 0);
	assert_int_equal(config_diags_errors(l.diags), 0);
	char *want = xasprintf(
		"%s:9:19: warning: CA file \"%s/certs/work-ca.pem\" does not exist\n"
		"%s:23:23: warning: \"sha256:6F:1A:...\" looks like a placeholder, not a "
		"fingerprint: no server certificate will match it", path, helpers_home(), path);
	assert_diags(&l, want);
	free(want);

	assert_string_equal(config_get_string(l.cfg, CONFIG_VAR_EDITOR), "vim");
	assert_string_equal(config_get_string(l.cfg, CONFIG_VAR_SORT), "date-received");
	assert_int_equal(config_account_count(l.cfg), 2);

	const struct config_account *w = config_account_get(l.cfg, 0);
	assert_string_equal(w->name, "work");
	assert_int_equal(w->type, CONFIG_ACCOUNT_IMAP);
	assert_string_equal(w->host, "imap.example.org");
	assert_int_equal(w->port, 993);
	assert_int_equal(w->tls, CONFIG_TLS_IMPLICIT);
	char *ca = xasprintf("%s/certs/work-ca.pem", helpers_home());
	assert_string_equal(w->tls_ca_file, ca);
	assert_string_equal(config_account_ca_file(l.cfg, w), ca);
	free(ca);
	assert_null(w->tls_fingerprint);
	assert_string_equal(w->user, "alice@example.org");
	assert_string_equal(w->password_command, "pass show mail/work");
	assert_false(w->allow_plaintext_password);
	assert_string_equal(w->smtp_host, "smtp.example.org");
	assert_int_equal(w->smtp_port, 465);
	assert_int_equal(w->smtp_tls, CONFIG_TLS_IMPLICIT);
	assert_string_equal(w->smtp_user, "alice@example.org");
	assert_string_equal(w->from, "Alice Example <alice@example.org>");
	assert_string_equal(w->sent, "Sent");
	assert_null(w->drafts);
	assert_int_equal(w->line, 4);
	assert_int_equal(w->column, 9);

	const struct config_account *h = config_account_find(l.cfg, "home");
	assert_non_null(h);
	assert_ptr_equal(h, config_account_get(l.cfg, 1));
	assert_int_equal(h->type, CONFIG_ACCOUNT_POP3);
	assert_string_equal(h->host, "pop.example.net");
	assert_int_equal(h->port, 110);
	assert_int_equal(h->tls, CONFIG_TLS_STARTTLS);
	assert_string_equal(h->tls_fingerprint, "sha256:6F:1A:...");
	assert_string_equal(h->user, "alice");
	assert_string_equal(h->password_command, "cat ~/.config/rowan/home.pass");
	char *mbox = xasprintf("%s/Mail/home.mbox", helpers_home());
	assert_string_equal(h->mbox, mbox);
	free(mbox);
	assert_true(h->keep_on_server);
	assert_null(h->smtp_host);
	assert_null(config_account_find(l.cfg, "nope"));

	int g[] = {'G'};
	const struct config_binding *b = config_binding_find(l.cfg, CONFIG_MENU_INDEX, g, 1);
	assert_non_null(b);
	assert_string_equal(config_function_name(b->function), "last-entry");
	const struct config_color *c = config_color_find(l.cfg, "index");
	assert_non_null(c);
	assert_int_equal(c->fg.color, 3);
	assert_int_equal(c->bg.color, -1);
	free(path);
	loaded_free(&l);
}

static void test_port_defaults(void **state)
{
	(void)state;
	struct loaded l = load_text(
		"account a {\n type = imap\n host = h\n}\n"
		"account b {\n type = imap\n host = h\n tls = starttls\n}\n"
		"account c {\n type = pop3\n host = h\n mbox = /tmp/c\n}\n"
		"account d {\n type = pop3\n host = h\n mbox = /tmp/d\n tls = starttls\n}\n"
		"account e {\n type = imap\n host = h\n tls = none\n allow_plaintext_password = yes\n"
		" smtp_host = s\n smtp_tls = starttls\n user = u\n smtp_user = other\n}\n"
		"account f {\n type = local\n mbox = ~/inbox\n}\n"
		"account g {\n type = imap\n host = h\n port = 1143\n smtp_host = s\n smtp_tls = none\n"
		" allow_plaintext_password = yes\n}\n");
	assert_diags(&l, "");
	const int ports[] = {993, 143, 995, 110, 143, 0, 1143};
	for (size_t i = 0; i < 7; i++)
		assert_int_equal(config_account_get(l.cfg, i)->port, ports[i]);
	const struct config_account *a = config_account_find(l.cfg, "a");
	assert_int_equal(a->smtp_port, 0);
	assert_true(config_account_password_allowed(a, false));
	const struct config_account *e = config_account_find(l.cfg, "e");
	assert_int_equal(e->smtp_port, 587);
	assert_int_equal(e->smtp_tls, CONFIG_TLS_STARTTLS);
	assert_string_equal(e->smtp_user, "other");
	assert_true(e->allow_plaintext_password);
	assert_true(config_account_password_allowed(e, false));
	const struct config_account *f = config_account_find(l.cfg, "f");
	assert_int_equal(f->type, CONFIG_ACCOUNT_LOCAL);
	char *inbox = xasprintf("%s/inbox", helpers_home());
	assert_string_equal(f->mbox, inbox);
	free(inbox);
	const struct config_account *g = config_account_find(l.cfg, "g");
	assert_int_equal(g->smtp_port, 587);
	assert_string_equal(config_tls_name(CONFIG_TLS_IMPLICIT, CONFIG_ACCOUNT_POP3), "pop3s");
	assert_string_equal(config_smtp_tls_name(CONFIG_TLS_IMPLICIT), "smtps");
	loaded_free(&l);
}

static void test_plaintext_password_policy(void **state)
{
	(void)state;
	struct loaded l = load_text(
		"account p {\n"
		" type = imap\n host = h\n tls = none\n password_command = \"echo x\"\n"
		" smtp_host = s\n smtp_tls = none\n"
		"}\n");
	assert_int_equal(l.rc, 0);
	assert_diags(&l,
		"rowanrc:1:9: warning: account \"p\" has tls = none: its password will not be sent "
		"unless allow_plaintext_password = yes\n"
		"rowanrc:1:9: warning: account \"p\" has smtp_tls = none: its password will not be "
		"sent to the SMTP server unless allow_plaintext_password = yes");
	const struct config_account *p = config_account_get(l.cfg, 0);
	assert_false(p->allow_plaintext_password);
	assert_false(config_account_password_allowed(p, false));
	assert_false(config_account_password_allowed(p, true));
	loaded_free(&l);
}

static void test_global_ca_file(void **state)
{
	(void)state;
	struct loaded l = load_text("set tls_ca_file = /etc/ssl/certs/ca-certificates.crt\n"
	                            "account a {\n type = imap\n host = h\n}\n");
	assert_diags(&l, "");
	assert_string_equal(config_account_ca_file(l.cfg, config_account_get(l.cfg, 0)),
	                    "/etc/ssl/certs/ca-certificates.crt");
	loaded_free(&l);
	l = load_text("account a {\n type = imap\n host = h\n}\n");
	assert_null(config_account_ca_file(l.cfg, config_account_get(l.cfg, 0)));
	loaded_free(&l);
}

static void test_semantic_checks(void **state)
{
	(void)state;
	struct loaded l = load_text(
		"account a {\n type = imap\n}\n"
		"account b {\n type = pop3\n host = h\n}\n"
		"account c {\n type = local\n}\n"
		"account d {\n host = h\n}\n"
		"account a {\n type = imap\n host = h\n}\n");
	assert_int_equal(l.rc, -1);
	assert_diags(&l,
		"rowanrc:1:9: error: account \"a\" of type imap needs \"host\"\n"
		"rowanrc:4:9: error: account \"b\" of type pop3 needs \"mbox\"\n"
		"rowanrc:8:9: error: account \"c\" of type local needs \"mbox\"\n"
		"rowanrc:11:9: error: account \"d\" needs \"type\" (imap, pop3 or local)\n"
		"rowanrc:14:9: error: duplicate account \"a\"; the first one is at rowanrc:1");
	assert_int_equal(config_account_count(l.cfg), 4);
	loaded_free(&l);
}

static void test_key_errors(void **state)
{
	(void)state;
	struct loaded l = load_text(
		"account home {\n"
		"    type = pop3\n"
		"    hots = pop.example.net\n"
		"    host pop.example.net\n"
		"    keep_on_server = maybe\n"
		"    port = 99999\n"
		"    tls = ssl\n"
		"    smtp_tls = imaps\n"
		"    type = exchange\n"
		"    user =\n"
		"    mbox = a b\n"
		"    set editor = vim\n"
		"    frobnicate = 1\n"
		"    tls_fingerprint = \"sha256:12:34\"\n"
		"    = 3\n"
		"}\n");
	assert_diags(&l,
		"rowanrc:3:5: error: unknown account key \"hots\"; did you mean \"host\"?\n"
		"rowanrc:4:10: error: expected \"=\" after \"host\", found \"pop.example.net\"\n"
		"rowanrc:5:22: error: invalid value \"maybe\" for \"keep_on_server\": expected yes or no\n"
		"rowanrc:6:12: error: invalid value \"99999\" for \"port\": expected a port number from "
		"1 to 65535\n"
		"rowanrc:7:11: error: invalid value \"ssl\" for \"tls\": expected imaps, pop3s, "
		"starttls or none\n"
		"rowanrc:8:16: error: invalid value \"imaps\" for \"smtp_tls\": expected smtps, "
		"starttls or none\n"
		"rowanrc:9:5: warning: \"type\" is set twice in account \"home\"; the last value counts\n"
		"rowanrc:9:12: error: invalid value \"exchange\" for \"type\": expected imap, pop3 or local\n"
		"rowanrc:10:11: error: missing value for \"user\" after \"=\"\n"
		"rowanrc:11:14: error: unexpected \"b\" after the value of \"mbox\"; put quotes around "
		"a value that contains spaces\n"
		"rowanrc:12:5: error: command \"set\" cannot be used inside account \"home\"; expected "
		"KEY = VALUE or \"}\"\n"
		"rowanrc:13:5: error: unknown account key \"frobnicate\"; the keys are listed in "
		"rowanrc(5)\n"
		"rowanrc:14:23: error: invalid value \"sha256:12:34\" for \"tls_fingerprint\": expected "
		"\"sha256:\" followed by 32 colon-separated hex bytes\n"
		"rowanrc:15:5: error: unexpected \"=\"; expected KEY = VALUE or \"}\"\n"
		/* mbox was given, with a bad value: no second error for it. */
		"rowanrc:1:9: error: account \"home\" of type pop3 needs \"host\"");
	loaded_free(&l);
}

static void test_block_structure_errors(void **state)
{
	(void)state;
	struct loaded l = load_text(
		"}\n"
		"account a\n"
		" type = local\n mbox = /tmp/a\n"
		"}\n"
		"account b {\n type = local\n mbox = /tmp/b\n"
		"account c { extra\n type = local\n mbox = /tmp/c\n"
		"}   }\n"
		"account {\n}\n"
		"account d {\n type = local\n mbox = /tmp/d\n");
	assert_diags(&l,
		"rowanrc:1:1: error: \"}\" without an open account\n"
		"rowanrc:2:10: error: expected \"{\" after account name \"a\"\n"
		"rowanrc:9:1: error: account \"b\" is not closed; expected \"}\" before the next \"account\"\n"
		"rowanrc:9:13: error: unexpected \"extra\"; expected the end of the line\n"
		"rowanrc:12:5: error: unexpected \"}\"; expected the end of the line\n"
		"rowanrc:13:9: error: \"account\" needs a name: account NAME {\n"
		"rowanrc:17:15: error: account \"d\" opened at rowanrc:15:9 is not closed; expected \"}\"");
	/* a, b, c and d are all there despite the errors. */
	assert_int_equal(config_account_count(l.cfg), 4);
	loaded_free(&l);
}

static void test_key_warnings(void **state)
{
	(void)state;
	struct loaded l = load_text(
		"account a {\n"
		" type = imap\n"
		" host = h\n"
		" keep_on_server = no\n"
		" mbox = /tmp/x\n"
		" smtp_port = 25\n"
		" tls = none\n"
		" tls_fingerprint = \"sha256:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:"
		"00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff\"\n"
		"}\n"
		"account b {\n type = local\n mbox = /tmp/b\n host = h\n}\n");
	assert_int_equal(l.rc, 0);
	assert_diags(&l,
		"rowanrc:4:2: warning: \"keep_on_server\" has no effect for accounts of type imap\n"
		"rowanrc:5:2: warning: \"mbox\" has no effect for accounts of type imap\n"
		"rowanrc:6:2: warning: \"smtp_port\" has no effect without \"smtp_host\"\n"
		"rowanrc:8:2: warning: \"tls_fingerprint\" has no effect with tls = none\n"
		"rowanrc:13:2: warning: \"host\" has no effect for accounts of type local");
	loaded_free(&l);
}

static void test_fingerprint_parse(void **state)
{
	(void)state;
	unsigned char fp[32];
	const char *good = "sha256:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:"
	                   "00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:Ff";
	assert_int_equal(config_fingerprint_parse(good, fp), 0);
	assert_int_equal(fp[0], 0x00);
	assert_int_equal(fp[10], 0xaa);
	assert_int_equal(fp[31], 0xff);
	assert_int_equal(config_fingerprint_parse("sha256:6F:1A:...", fp), -1);
	assert_int_equal(config_fingerprint_parse("sha1:00:11", fp), -1);
	char *longer = xasprintf("%s:00", good);
	assert_int_equal(config_fingerprint_parse(longer, fp), -1);
	free(longer);
	char *nocolons = xstrdup(good);
	nocolons[9] = '-';
	assert_int_equal(config_fingerprint_parse(nocolons, fp), -1);
	free(nocolons);
}

static void test_quoted_account_name(void **state)
{
	(void)state;
	struct loaded l = load_text("account \"my work\"{\n type = imap\n host = \"h\"\n}\n"
	                            "account x{\n type=imap\n host=h\n}\n");
	assert_diags(&l, "");
	assert_non_null(config_account_find(l.cfg, "my work"));
	assert_non_null(config_account_find(l.cfg, "x"));
	loaded_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_readme_example),
		cmocka_unit_test(test_port_defaults),
		cmocka_unit_test(test_plaintext_password_policy),
		cmocka_unit_test(test_global_ca_file),
		cmocka_unit_test(test_semantic_checks),
		cmocka_unit_test(test_key_errors),
		cmocka_unit_test(test_block_structure_errors),
		cmocka_unit_test(test_key_warnings),
		cmocka_unit_test(test_fingerprint_parse),
		cmocka_unit_test(test_quoted_account_name),
	};
	return cmocka_run_group_tests(tests, helpers_group_setup, helpers_group_teardown);
}
