/*
 * test_config: the rc-file syntax and the variables — value types, quotes
 * and escapes, comments, continuation lines, set/unset, error messages
 * with their positions, "did you mean", and the variables table.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "config/internal.h"

static void test_defaults(void **state)
{
	(void)state;
	struct config *cfg = config_new();
	assert_string_equal(config_get_string(cfg, CONFIG_VAR_EDITOR), "vi");
	assert_string_equal(config_get_string(cfg, CONFIG_VAR_SORT), "date-received");
	assert_string_equal(config_get_string(cfg, CONFIG_VAR_ASSUMED_CHARSET), "windows-1252");
	assert_string_equal(config_get_string(cfg, CONFIG_VAR_START_FOLDER), "INBOX");
	assert_int_equal(config_get_number(cfg, CONFIG_VAR_MAIL_CHECK), 60);
	assert_int_equal(config_get_number(cfg, CONFIG_VAR_CONNECT_TIMEOUT), 30);
	assert_int_equal(config_get_number(cfg, CONFIG_VAR_TIMEOUT), 30);
	assert_int_equal(config_get_number(cfg, CONFIG_VAR_MAX_LITERAL_SIZE), 100 * 1024 * 1024);
	assert_true(config_get_bool(cfg, CONFIG_VAR_CONFIRM_QUIT));
	assert_false(config_get_bool(cfg, CONFIG_VAR_PAGER_STOP));
	assert_int_equal(config_get_quad(cfg, CONFIG_VAR_EXPUNGE_ON_EXIT), CONFIG_QUAD_ASK_YES);
	assert_string_equal(config_get_string(cfg, CONFIG_VAR_INDEX_FORMAT),
	                    "%4C %Z %{%b %d} %-15.15L (%?l?%4l&%4c?) %s");
	char *cache = xasprintf("%s/cache/rowan", helpers_home());
	assert_string_equal(config_get_string(cfg, CONFIG_VAR_HEADER_CACHE), cache);
	free(cache);
	char *sig = xasprintf("%s/.signature", helpers_home());
	assert_string_equal(config_get_string(cfg, CONFIG_VAR_SIGNATURE), sig);
	free(sig);
	assert_int_equal(config_account_count(cfg), 0);
	assert_int_equal(config_binding_count(cfg), 0);
	config_free(&cfg);
	assert_null(cfg);
	config_free(NULL);
}

static void test_editor_from_environment(void **state)
{
	(void)state;
	setenv("EDITOR", "nano", 1);
	struct config *cfg = config_new();
	assert_string_equal(config_get_string(cfg, CONFIG_VAR_EDITOR), "nano");
	config_free(&cfg);
	setenv("VISUAL", "emacs", 1);
	cfg = config_new();
	assert_string_equal(config_get_string(cfg, CONFIG_VAR_EDITOR), "emacs");
	config_free(&cfg);
	unsetenv("VISUAL");
	unsetenv("EDITOR");
}

static void test_table_is_sound(void **state)
{
	(void)state;
	assert_true(CONFIG_VAR_COUNT >= 25);
	for (int i = 0; i < CONFIG_VAR_COUNT; i++) {
		const struct config_var_def *def = config_var_def((enum config_var_id)i);
		assert_non_null(def->name);
		assert_non_null(def->doc);
		assert_int_equal(config_var_find(def->name), i);
		/* Every default is a valid value of its own type. */
		struct config_value v;
		char *message = NULL;
		if (def->default_value[0] != '$') {
			int rc = vars_parse_value(def, def->default_value, &v, &message);
			if (rc != 0)
				fail_msg("default of %s: %s", def->name, message);
			free(v.string);
		}
		if (def->type == CONFIG_TYPE_ENUM)
			assert_non_null(def->choices);
		if (def->type == CONFIG_TYPE_NUMBER)
			assert_true(def->min <= def->max);
		/* Names are in alphabetical order, so ids and table agree. */
		if (i > 0)
			assert_true(strcmp(config_var_def((enum config_var_id)(i - 1))->name,
			                   def->name) < 0);
	}
	assert_null(config_var_def(CONFIG_VAR_COUNT));
	assert_int_equal(config_var_find("no_such_variable"), -1);
}

static void test_strings_and_quotes(void **state)
{
	(void)state;
	struct loaded l = load_text(
		"set realname = \"Alice \\\"Al\\\" Example\"\n"
		"set editor = 'vim -c \"set tw=72\" \\n'\n"
		"set start_folder = INBOX.Work\n"
		"set date_format = \"tab\\there\\nnewline\\\\backslash\\e\"\n"
		"set html_filter = \"\"\n"
		"set pager_headers = 'From'\" \"\"To\"\n");
	assert_int_equal(l.rc, 0);
	assert_diags(&l, "");
	assert_string_equal(config_get_string(l.cfg, CONFIG_VAR_REALNAME), "Alice \"Al\" Example");
	assert_string_equal(config_get_string(l.cfg, CONFIG_VAR_EDITOR), "vim -c \"set tw=72\" \\n");
	assert_string_equal(config_get_string(l.cfg, CONFIG_VAR_START_FOLDER), "INBOX.Work");
	assert_string_equal(config_get_string(l.cfg, CONFIG_VAR_DATE_FORMAT),
	                    "tab\there\nnewline\\backslash\033");
	assert_string_equal(config_get_string(l.cfg, CONFIG_VAR_HTML_FILTER), "");
	assert_string_equal(config_get_string(l.cfg, CONFIG_VAR_PAGER_HEADERS), "From To");
	loaded_free(&l);
}

static void test_booleans(void **state)
{
	(void)state;
	struct loaded l = load_text(
		"set beep = no\n"
		"set help = off\n"
		"set tilde = true\n"
		"set pager_stop = ON\n"
		"set markers = false\n"
		"set mark_old = Yes\n"
		"set confirm_quit = no\n"
		"set confirm_quit\n");
	assert_diags(&l, "");
	assert_false(config_get_bool(l.cfg, CONFIG_VAR_BEEP));
	assert_false(config_get_bool(l.cfg, CONFIG_VAR_HELP));
	assert_true(config_get_bool(l.cfg, CONFIG_VAR_TILDE));
	assert_true(config_get_bool(l.cfg, CONFIG_VAR_PAGER_STOP));
	assert_false(config_get_bool(l.cfg, CONFIG_VAR_MARKERS));
	assert_true(config_get_bool(l.cfg, CONFIG_VAR_MARK_OLD));
	assert_true(config_get_bool(l.cfg, CONFIG_VAR_CONFIRM_QUIT));
	loaded_free(&l);

	l = load_text("set nobeep\nset nopager_stop\nset pager_stop\n");
	assert_diags(&l, "");
	assert_false(config_get_bool(l.cfg, CONFIG_VAR_BEEP));
	assert_true(config_get_bool(l.cfg, CONFIG_VAR_PAGER_STOP));
	loaded_free(&l);
}

static void test_numbers(void **state)
{
	(void)state;
	struct loaded l = load_text(
		"set mail_check = 300\n"
		"set wrap = -10\n"
		"set pager_context = +3\n"
		"set max_literal_size = 20M\n");
	assert_diags(&l, "");
	assert_int_equal(config_get_number(l.cfg, CONFIG_VAR_MAIL_CHECK), 300);
	assert_int_equal(config_get_number(l.cfg, CONFIG_VAR_WRAP), -10);
	assert_int_equal(config_get_number(l.cfg, CONFIG_VAR_PAGER_CONTEXT), 3);
	assert_int_equal(config_get_number(l.cfg, CONFIG_VAR_MAX_LITERAL_SIZE), 20 * 1024 * 1024);
	loaded_free(&l);

	l = load_text(
		"set mail_check = soon\n"
		"set mail_check = 100000\n"
		"set connect_timeout = 0\n"
		"set max_literal_size = 12X\n"
		"set wrap = 99999999999999999999999\n");
	assert_int_equal(l.rc, -1);
	assert_diags(&l,
		"rowanrc:1:18: error: invalid value \"soon\" for \"mail_check\": expected a whole number\n"
		"rowanrc:2:18: error: value 100000 for \"mail_check\" is out of range: expected 0 to 86400\n"
		"rowanrc:3:23: error: value 0 for \"connect_timeout\" is out of range: expected 1 to 3600\n"
		"rowanrc:4:24: error: invalid value \"12X\" for \"max_literal_size\": expected a number "
		"of bytes, optionally followed by K, M or G\n"
		"rowanrc:5:12: error: value 99999999999999999999999 for \"wrap\" is out of range: "
		"expected -1000 to 1000");
	/* Values in error leave the defaults. */
	assert_int_equal(config_get_number(l.cfg, CONFIG_VAR_MAIL_CHECK), 60);
	loaded_free(&l);
}

static void test_enum_and_quad(void **state)
{
	(void)state;
	struct loaded l = load_text(
		"set sort = reverse-threads\n"
		"set sort_aux = subject\n"
		"set copy = ask-no\n"
		"set postpone = no\n"
		"set include\n");
	assert_diags(&l, "");
	assert_string_equal(config_get_string(l.cfg, CONFIG_VAR_SORT), "reverse-threads");
	assert_string_equal(config_get_string(l.cfg, CONFIG_VAR_SORT_AUX), "subject");
	assert_int_equal(config_get_quad(l.cfg, CONFIG_VAR_COPY), CONFIG_QUAD_ASK_NO);
	assert_int_equal(config_get_quad(l.cfg, CONFIG_VAR_POSTPONE), CONFIG_QUAD_NO);
	assert_int_equal(config_get_quad(l.cfg, CONFIG_VAR_INCLUDE), CONFIG_QUAD_YES);
	loaded_free(&l);

	l = load_text(
		"set sort = dat-received\n"
		"set sort = reverse-subjekt\n"
		"set sort = banana\n"
		"set sort_aux = threads\n"
		"set copy = maybe\n");
	assert_diags(&l,
		"rowanrc:1:12: error: invalid value \"dat-received\" for \"sort\"; did you mean "
		"\"date-received\"?\n"
		"rowanrc:2:12: error: invalid value \"reverse-subjekt\" for \"sort\"; did you mean "
		"\"reverse-subject\"?\n"
		"rowanrc:3:12: error: invalid value \"banana\" for \"sort\": expected one of date, "
		"date-received, date-sent, from, size, subject, threads, to, unsorted, optionally "
		"prefixed with \"reverse-\"\n"
		"rowanrc:4:16: error: invalid value \"threads\" for \"sort_aux\": expected one of date, "
		"date-received, date-sent, from, size, subject, to, unsorted, optionally prefixed "
		"with \"reverse-\"\n"
		"rowanrc:5:12: error: invalid value \"maybe\" for \"copy\": expected yes, no, ask-yes "
		"or ask-no");
	loaded_free(&l);
}

static void test_paths_expand_home(void **state)
{
	(void)state;
	struct loaded l = load_text("set folder = ~/Mail/x\nset tls_ca_file = /etc/ca.pem\n"
	                            "set signature = ~nosuchuser_rowan/sig\n");
	char *want = xasprintf("%s/Mail/x", helpers_home());
	assert_string_equal(config_get_string(l.cfg, CONFIG_VAR_FOLDER), want);
	free(want);
	assert_string_equal(config_get_string(l.cfg, CONFIG_VAR_TLS_CA_FILE), "/etc/ca.pem");
	assert_diags(&l, "rowanrc:3:17: error: cannot expand \"~nosuchuser_rowan/sig\": no such user");
	loaded_free(&l);
}

static void test_comments(void **state)
{
	(void)state;
	struct loaded l = load_text(
		"# a comment line\n"
		"   # indented comment\n"
		"\n"
		"set realname = \"Bob # not a comment\"   # a comment\n"
		"set editor = vim#notcomment # comment\n"
		"set start_folder = 'a # b' # comment right after the quote\n"
		"set beep = no#\n");
	/* "no#" is one word: # starts a comment only at the start of a word. */
	assert_diags(&l, "rowanrc:7:12: error: invalid value \"no#\" for \"beep\": expected yes or no");
	assert_string_equal(config_get_string(l.cfg, CONFIG_VAR_REALNAME), "Bob # not a comment");
	assert_string_equal(config_get_string(l.cfg, CONFIG_VAR_EDITOR), "vim#notcomment");
	assert_string_equal(config_get_string(l.cfg, CONFIG_VAR_START_FOLDER), "a # b");
	loaded_free(&l);
}

static void test_continuation_lines(void **state)
{
	(void)state;
	struct loaded l = load_text(
		"set index_format = \"%4C %Z \\\n"
		"%s\"\n"
		"set \\\n"
		"  mail_check \\\n"
		"  = 120\n"
		"set realname = back\\\\\n"
		"set sort = \\\n"
		"  bogus\n");
	assert_string_equal(config_get_string(l.cfg, CONFIG_VAR_INDEX_FORMAT), "%4C %Z %s");
	assert_int_equal(config_get_number(l.cfg, CONFIG_VAR_MAIL_CHECK), 120);
	/* An even number of backslashes is not a continuation. */
	assert_string_equal(config_get_string(l.cfg, CONFIG_VAR_REALNAME), "back\\");
	/* Positions in continued lines point at the physical line. */
	char *got = diags_joined(l.diags);
	assert_non_null(strstr(got, "rowanrc:8:3: error: invalid value \"bogus\" for \"sort\""));
	free(got);
	loaded_free(&l);
}

static void test_crlf_and_bom(void **state)
{
	(void)state;
	struct loaded l = load_text("\xef\xbb\xbfset mail_check = 5\r\nset beep = no\r\n");
	assert_diags(&l, "");
	assert_int_equal(config_get_number(l.cfg, CONFIG_VAR_MAIL_CHECK), 5);
	assert_false(config_get_bool(l.cfg, CONFIG_VAR_BEEP));
	loaded_free(&l);
}

static void test_unset(void **state)
{
	(void)state;
	struct loaded l = load_text(
		"set mail_check = 5\n"
		"set beep = yes\n"
		"set copy = yes\n"
		"set editor = nano\n"
		"unset mail_check\n"
		"unset beep\n"
		"unset copy\n"
		"unset editor\n");
	assert_diags(&l, "");
	assert_int_equal(config_get_number(l.cfg, CONFIG_VAR_MAIL_CHECK), 60);
	assert_false(config_get_bool(l.cfg, CONFIG_VAR_BEEP));
	assert_int_equal(config_get_quad(l.cfg, CONFIG_VAR_COPY), CONFIG_QUAD_NO);
	assert_string_equal(config_get_string(l.cfg, CONFIG_VAR_EDITOR), "vi");
	loaded_free(&l);

	l = load_text("unset\nunset edtor\nunset beep now\n");
	assert_diags(&l,
		"rowanrc:1:6: error: \"unset\" needs a variable name: unset NAME\n"
		"rowanrc:2:7: error: unknown variable \"edtor\"; did you mean \"editor\"?\n"
		"rowanrc:3:12: error: unexpected \"now\"; expected the end of the line");
	loaded_free(&l);
}

static void test_set_errors(void **state)
{
	(void)state;
	struct loaded l = load_text(
		"set edtor = vim\n"
		"set editor vim\n"
		"set editor\n"
		"set editor =\n"
		"set editor = vim emacs\n"
		"set\n"
		"set realname = \"Alice\n"
		"set realname = 'Alice\n"
		"set realname = \"a\\qb\"\n"
		"set beep = maybe\n"
		"set xyzzy = 1\n");
	assert_int_equal(l.rc, -1);
	assert_diags(&l,
		"rowanrc:1:5: error: unknown variable \"edtor\"; did you mean \"editor\"?\n"
		"rowanrc:2:12: error: expected \"=\" after \"editor\", found \"vim\"\n"
		"rowanrc:3:11: error: expected \"=\" and a value after \"editor\"\n"
		"rowanrc:4:13: error: missing value for \"editor\" after \"=\"\n"
		"rowanrc:5:18: error: unexpected \"emacs\" after the value of \"editor\"; put quotes "
		"around a value that contains spaces\n"
		"rowanrc:6:4: error: \"set\" needs a variable name: set NAME = VALUE\n"
		"rowanrc:7:16: error: unterminated quoted string; expected a closing \"\n"
		"rowanrc:8:16: error: unterminated quoted string; expected a closing '\n"
		"rowanrc:9:18: error: unknown escape sequence \"\\q\"; expected \\n, \\t, \\r, \\e or a "
		"backslash before a punctuation character\n"
		"rowanrc:10:12: error: invalid value \"maybe\" for \"beep\": expected yes or no\n"
		"rowanrc:11:5: error: unknown variable \"xyzzy\"");
	assert_int_equal(config_diags_errors(l.diags), 11);
	assert_int_equal(config_diags_warnings(l.diags), 0);
	/* The lines in error changed nothing. */
	assert_string_equal(config_get_string(l.cfg, CONFIG_VAR_EDITOR), "vi");
	loaded_free(&l);
}

static void test_unknown_command(void **state)
{
	(void)state;
	struct loaded l = load_text(
		"sett editor = vim\n"
		"  bnd index G last-entry\n"
		"frobnicate\n"
		"editor = vim\n"
		"= 3\n"
		"}\n");
	assert_diags(&l,
		"rowanrc:1:1: error: unknown command \"sett\"; did you mean \"set\"?\n"
		"rowanrc:2:3: error: unknown command \"bnd\"; did you mean \"bind\"?\n"
		"rowanrc:3:1: error: unknown command \"frobnicate\"; expected set, unset, source, "
		"account, bind, macro, color or alias\n"
		"rowanrc:4:1: error: unknown command \"editor\"; to set the variable, write "
		"\"set editor = VALUE\"\n"
		"rowanrc:5:1: error: unexpected \"=\"; expected a command such as set, bind or account\n"
		"rowanrc:6:1: error: \"}\" without an open account");
	loaded_free(&l);
}

static void test_all_errors_reported(void **state)
{
	(void)state;
	/* Errors on many lines; good lines between them still count. */
	struct loaded l = load_text(
		"set mail_check = x\n"
		"set sleep_time = 5\n"
		"sett beep = no\n"
		"set realname = \"Alice\"\n"
		"set wrap = 1 2\n"
		"set timeout = 45\n");
	assert_int_equal(config_diags_errors(l.diags), 3);
	assert_int_equal(config_get_number(l.cfg, CONFIG_VAR_SLEEP_TIME), 5);
	assert_string_equal(config_get_string(l.cfg, CONFIG_VAR_REALNAME), "Alice");
	assert_int_equal(config_get_number(l.cfg, CONFIG_VAR_TIMEOUT), 45);
	const struct config_diag *d = config_diags_get(l.diags, 1);
	assert_int_equal(d->severity, CONFIG_ERROR);
	assert_string_equal(d->file, "rowanrc");
	assert_int_equal(d->line, 3);
	assert_int_equal(d->column, 1);
	assert_string_equal(d->message, "unknown command \"sett\"; did you mean \"set\"?");
	assert_null(config_diags_get(l.diags, 3));
	loaded_free(&l);
}

static void test_did_you_mean(void **state)
{
	(void)state;
	assert_int_equal(suggest_distance("editor", "editor"), 0);
	assert_int_equal(suggest_distance("edtor", "editor"), 1);
	assert_int_equal(suggest_distance("ediotr", "editor"), 1);  /* transposition */
	assert_int_equal(suggest_distance("EDITOR", "editor"), 0);
	assert_int_equal(suggest_distance("", "abc"), 3);
	struct suggest s;
	suggest_init(&s, "mail_chek");
	suggest_consider(&s, "mark_old");
	suggest_consider(&s, "mail_check");
	assert_string_equal(suggest_result(&s), "mail_check");
	/* Far-off words get no suggestion. */
	suggest_init(&s, "zzz");
	suggest_consider(&s, "set");
	assert_null(suggest_result(&s));
	struct loaded l = load_text("set mail_chek = 3\nset pagerstop\nset nobeeep\n");
	assert_diags(&l,
		"rowanrc:1:5: error: unknown variable \"mail_chek\"; did you mean \"mail_check\"?\n"
		"rowanrc:2:5: error: unknown variable \"pagerstop\"; did you mean \"pager_stop\"?\n"
		"rowanrc:3:5: error: unknown variable \"nobeeep\"; did you mean \"beep\"?");
	loaded_free(&l);
}

static void test_var_api(void **state)
{
	(void)state;
	struct config *cfg = config_new();
	struct rowan_err err;
	assert_int_equal(config_var_set(cfg, "mail_check", "90", &err), 0);
	assert_int_equal(config_get_number(cfg, CONFIG_VAR_MAIL_CHECK), 90);
	assert_int_equal(config_var_set(cfg, "mail_check", "-1", &err), -1);
	assert_string_equal(err.message,
	                    "value -1 for \"mail_check\" is out of range: expected 0 to 86400");
	assert_int_equal(config_var_set(cfg, "nope", "1", &err), -1);
	assert_string_equal(err.message, "unknown variable \"nope\"");
	assert_int_equal(config_var_set(cfg, "realname", "A \"B\" \\ C", &err), 0);
	char *s = config_var_format(cfg, CONFIG_VAR_REALNAME);
	assert_string_equal(s, "\"A \\\"B\\\" \\\\ C\"");
	free(s);
	s = config_var_format(cfg, CONFIG_VAR_EXPUNGE_ON_EXIT);
	assert_string_equal(s, "ask-yes");
	free(s);
	/* Asking with the wrong type gives the zero value. */
	assert_false(config_get_bool(cfg, CONFIG_VAR_MAIL_CHECK));
	assert_string_equal(config_get_string(cfg, CONFIG_VAR_BEEP), "");
	assert_string_equal(config_var_type_name(CONFIG_TYPE_QUAD), "quad");
	config_free(&cfg);
}

static void test_diag_format(void **state)
{
	(void)state;
	struct config_diag d = {CONFIG_WARNING, "f.rc", 3, 7, "careful"};
	char *s = config_diag_format(&d);
	assert_string_equal(s, "f.rc:3:7: warning: careful");
	free(s);
	d.severity = CONFIG_ERROR;
	d.line = 0;
	s = config_diag_format(&d);
	assert_string_equal(s, "f.rc: error: careful");
	free(s);
	struct config_diags *diags = NULL;
	config_diags_free(&diags);
	config_diags_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_editor_from_environment),
		cmocka_unit_test(test_table_is_sound),
		cmocka_unit_test(test_strings_and_quotes),
		cmocka_unit_test(test_booleans),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_enum_and_quad),
		cmocka_unit_test(test_paths_expand_home),
		cmocka_unit_test(test_comments),
		cmocka_unit_test(test_continuation_lines),
		cmocka_unit_test(test_crlf_and_bom),
		cmocka_unit_test(test_unset),
		cmocka_unit_test(test_set_errors),
		cmocka_unit_test(test_unknown_command),
		cmocka_unit_test(test_all_errors_reported),
		cmocka_unit_test(test_did_you_mean),
		cmocka_unit_test(test_var_api),
		cmocka_unit_test(test_diag_format),
	};
	return cmocka_run_group_tests(tests, helpers_group_setup, helpers_group_teardown);
}
