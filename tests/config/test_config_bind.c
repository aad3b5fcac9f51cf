/*
 * test_config_bind: key notation, "bind", "macro", "color" and "alias" —
 * what they store, lookups, and their error messages.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "helpers.h"

/* Parse text and compare with the expected keys. */
static void check_keys(const char *text, const int *want, size_t n)
{
	struct config_keyseq seq;
	char *error = NULL;
	if (config_keyseq_parse(text, true, &seq, &error) != 0)
		fail_msg("%s: %s", text, error);
	assert_int_equal(seq.len, n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(seq.keys[i], want[i]);
	/* Printing and reading back gives the same keys. */
	char *printed = config_keyseq_format(&seq);
	struct config_keyseq again;
	assert_int_equal(config_keyseq_parse(printed, true, &again, &error), 0);
	assert_int_equal(again.len, n);
	assert_memory_equal(again.keys, seq.keys, n * sizeof(int));
	free(printed);
	config_keyseq_clear(&again);
	config_keyseq_clear(&seq);
	assert_null(seq.keys);
}

#define CHECK_KEYS(text, ...) do { \
	const int want_[] = {__VA_ARGS__}; \
	check_keys(text, want_, sizeof want_ / sizeof want_[0]); \
} while (0)

static void test_key_notation(void **state)
{
	(void)state;
	CHECK_KEYS("G", 'G');
	CHECK_KEYS("gg", 'g', 'g');
	CHECK_KEYS("\\Cx", 24);
	CHECK_KEYS("\\cX", 24);
	CHECK_KEYS("^x", 24);
	CHECK_KEYS("^[", 27);
	CHECK_KEYS("^?", 127);
	CHECK_KEYS("\\C\\\\", 28);
	CHECK_KEYS("<Enter>", CONFIG_KEY_ENTER);
	CHECK_KEYS("<Return>", '\r');
	CHECK_KEYS("<Tab>", '\t');
	CHECK_KEYS("<Esc>", 27);
	CHECK_KEYS("<space>", ' ');
	CHECK_KEYS("<Up><Down><Left><Right>", CONFIG_KEY_UP, CONFIG_KEY_DOWN,
	           CONFIG_KEY_LEFT, CONFIG_KEY_RIGHT);
	CHECK_KEYS("<PageUp><pagedown><Home><End>", CONFIG_KEY_PAGE_UP, CONFIG_KEY_PAGE_DOWN,
	           CONFIG_KEY_HOME, CONFIG_KEY_END);
	CHECK_KEYS("<Delete><Backspace><Insert><BackTab>", CONFIG_KEY_DELETE,
	           CONFIG_KEY_BACKSPACE, CONFIG_KEY_INSERT, CONFIG_KEY_BACKTAB);
	CHECK_KEYS("<F1><F12>", CONFIG_KEY_F(1), CONFIG_KEY_F(12));
	CHECK_KEYS("\\t\\n\\r\\e", '\t', '\n', '\r', 27);
	CHECK_KEYS("<Esc>q", 27, 'q');
	CHECK_KEYS("\\\\", '\\');
	CHECK_KEYS("\\<x>", '<', 'x', '>');
	CHECK_KEYS("<", '<');
	CHECK_KEYS("a<b c>", 'a', '<', 'b', ' ', 'c', '>');
	CHECK_KEYS("^", '^');
	CHECK_KEYS("\"", '"');
	CHECK_KEYS("\xc3\xa9", 0xe9);
	CHECK_KEYS("<save-message>=x<enter>", CONFIG_KEY_FUNCTION + config_function_find("save-message"),
	           '=', 'x', CONFIG_KEY_ENTER);
}

static void key_error(const char *text, bool functions, const char *message)
{
	struct config_keyseq seq;
	char *error = NULL;
	assert_int_equal(config_keyseq_parse(text, functions, &seq, &error), -1);
	assert_string_equal(error, message);
	assert_null(seq.keys);
	assert_int_equal(seq.len, 0);
	free(error);
}

static void test_key_notation_errors(void **state)
{
	(void)state;
	key_error("<PgDown>", false, "unknown key name \"<PgDown>\"; did you mean \"<PageDown>\"?");
	key_error("<Hyper>", false, "unknown key name \"<Hyper>\"; expected a name such as "
	          "<Enter>, <PageDown> or <F1>");
	key_error("<F25>", false, "unknown key name \"<F25>\"; expected a name such as <Enter>, "
	          "<PageDown> or <F1>");
	key_error("<save-message>", false, "unknown key name \"<save-message>\"; expected a name "
	          "such as <Enter>, <PageDown> or <F1>");
	key_error("<sav-message>", true, "unknown key or function \"<sav-message>\"; did you "
	          "mean \"<save-message>\"?");
	key_error("\\C", false, "incomplete control key \"\\C\" in \"\\C\"; expected a character "
	          "after it");
	key_error("\\C1", false, "invalid control key \"\\C1\" in \"\\C1\"");
	key_error("^1", false, "invalid control key \"^1\" in \"^1\"");
	key_error("", false, "empty key sequence");
	key_error("\xff", false, "invalid UTF-8 in key \"\xff\"");
}

static void test_bind(void **state)
{
	(void)state;
	struct loaded l = load_text(
		"bind index G last-entry\n"
		"bind index,pager \\Cd half-down\n"
		"bind pager ^u half-up   # comment\n"
		"bind generic \"<PageDown>\" next-page\n"
		"bind editor <Tab> complete\n"
		"bind index G first-entry\n"
		"bind browser ' ' select-entry\n"
		"bind index gg top-page\n");
	assert_diags(&l, "");
	/* index,pager made two bindings; the second G replaced the first. */
	assert_int_equal(config_binding_count(l.cfg), 8);
	int g[] = {'G'};
	const struct config_binding *b = config_binding_find(l.cfg, CONFIG_MENU_INDEX, g, 1);
	assert_int_equal(b->kind, CONFIG_BINDING_FUNCTION);
	/* The later bind of G replaced the earlier one. */
	assert_string_equal(config_function_name(b->function), "first-entry");
	assert_null(config_binding_find(l.cfg, CONFIG_MENU_PAGER, g, 1));
	int cd[] = {4};
	assert_non_null(config_binding_find(l.cfg, CONFIG_MENU_INDEX, cd, 1));
	b = config_binding_find(l.cfg, CONFIG_MENU_PAGER, cd, 1);
	assert_string_equal(config_function_name(b->function), "half-down");
	int cu[] = {21};
	assert_non_null(config_binding_find(l.cfg, CONFIG_MENU_PAGER, cu, 1));
	int pd[] = {CONFIG_KEY_PAGE_DOWN};
	assert_non_null(config_binding_find(l.cfg, CONFIG_MENU_GENERIC, pd, 1));
	int sp[] = {' '};
	assert_non_null(config_binding_find(l.cfg, CONFIG_MENU_BROWSER, sp, 1));
	int gg[] = {'g', 'g'};
	b = config_binding_find(l.cfg, CONFIG_MENU_INDEX, gg, 2);
	assert_string_equal(config_function_name(b->function), "top-page");
	assert_ptr_equal(config_binding_get(l.cfg, 0)->menu, CONFIG_MENU_INDEX);
	assert_null(config_binding_get(l.cfg, 8));
	loaded_free(&l);
}

static void test_bind_errors(void **state)
{
	(void)state;
	struct loaded l = load_text(
		"bind index G last-entri\n"
		"bind indx G last-entry\n"
		"bind index,pagr G last-entry\n"
		"bind index G\n"
		"bind\n"
		"bind browser G reply\n"
		"bind index <PgUp> previous-page\n"
		"bind index G frobnicate\n"
		"bind editor x exit\n"
		"bind index G last-entry extra\n");
	assert_int_equal(l.rc, -1);
	assert_diags(&l,
		"rowanrc:1:14: error: unknown function \"last-entri\"; did you mean \"last-entry\"?\n"
		"rowanrc:2:6: error: unknown menu \"indx\"; did you mean \"index\"?\n"
		"rowanrc:3:12: error: unknown menu \"pagr\"; did you mean \"pager\"?\n"
		"rowanrc:4:13: error: \"bind\" needs a menu, a key and a function: bind MENU KEY FUNCTION\n"
		"rowanrc:5:5: error: \"bind\" needs a menu, a key and a function: bind MENU KEY FUNCTION\n"
		"rowanrc:6:16: error: function \"reply\" is not available in menu \"browser\"\n"
		"rowanrc:7:12: error: unknown key name \"<PgUp>\"; expected a name such as <Enter>, "
		"<PageDown> or <F1>\n"
		"rowanrc:8:14: error: unknown function \"frobnicate\"; the functions are listed in "
		"rowanrc(5)\n"
		"rowanrc:9:15: error: function \"exit\" is not available in menu \"editor\"\n"
		"rowanrc:10:25: error: unexpected \"extra\"; expected the end of the line");
	assert_int_equal(config_binding_count(l.cfg), 0);
	loaded_free(&l);
}

static void test_functions_table(void **state)
{
	(void)state;
	assert_true(config_function_count() > 150);
	const char *names[] = {
		"first-entry", "last-entry", "next-entry", "previous-entry", "next-page",
		"previous-page", "next-unread", "previous-unread", "display-message", "exit",
		"quit", "delete-message", "undelete-message", "save-message", "copy-message",
		"change-folder", "search", "search-reverse", "search-next", "search-opposite",
		"help", "toggle-new", "flag-message", "reply", "group-reply", "forward-message",
		"mail", "view-attachments", "save-entry", "toggle-headers", "display-toggle-weed",
		"sort-mailbox", "sort-reverse", "sync-mailbox", "refresh", "redraw-screen",
		"half-up", "half-down", "top", "bottom", "next-line", "previous-line",
		"select-entry", "tag-entry", "noop", "check-new", "imap-fetch-mail", "fetch-mail",
		"edit", "send-message", "postpone-message", "attach-file",
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (config_function_find(names[i]) < 0)
			fail_msg("function %s is missing", names[i]);
	}
	/* Names are unique. */
	for (size_t i = 0; i < config_function_count(); i++)
		assert_int_equal(config_function_find(config_function_name((int)i)), (int)i);
	int reply = config_function_find("reply");
	assert_true(config_function_in_menu(reply, CONFIG_MENU_INDEX));
	assert_false(config_function_in_menu(reply, CONFIG_MENU_COMPOSE));
	int exit_ = config_function_find("exit");
	assert_true(config_function_in_menu(exit_, CONFIG_MENU_ATTACH));
	assert_false(config_function_in_menu(exit_, CONFIG_MENU_EDITOR));
	assert_true(config_function_in_menu(config_function_find("noop"), CONFIG_MENU_EDITOR));
	assert_int_equal(config_menu_find("compose"), CONFIG_MENU_COMPOSE);
	assert_int_equal(config_menu_find("composer"), -1);
	assert_string_equal(config_menu_name(CONFIG_MENU_ATTACH), "attach");
}

static void test_macro(void **state)
{
	(void)state;
	struct loaded l = load_text(
		"macro index ,a \"<save-message>=archive<enter>\" \"Archive the message\"\n"
		"macro index,pager \\Cb '|urlview\\n'\n"
		"macro compose Y <send-message>\n");
	assert_diags(&l, "");
	assert_int_equal(config_binding_count(l.cfg), 4);
	int ca[] = {',', 'a'};
	const struct config_binding *b = config_binding_find(l.cfg, CONFIG_MENU_INDEX, ca, 2);
	assert_int_equal(b->kind, CONFIG_BINDING_MACRO);
	assert_string_equal(b->description, "Archive the message");
	assert_int_equal(b->macro.len, 10);
	assert_int_equal(b->macro.keys[0], CONFIG_KEY_FUNCTION + config_function_find("save-message"));
	assert_int_equal(b->macro.keys[1], '=');
	assert_int_equal(b->macro.keys[9], CONFIG_KEY_ENTER);
	int cb[] = {2};
	b = config_binding_find(l.cfg, CONFIG_MENU_PAGER, cb, 1);
	assert_null(b->description);
	/* Single quotes keep backslashes: \n is two keys there. */
	assert_int_equal(b->macro.len, 10);
	assert_int_equal(b->macro.keys[0], '|');
	assert_int_equal(b->macro.keys[8], '\\');
	assert_int_equal(b->macro.keys[9], 'n');
	loaded_free(&l);

	l = load_text(
		"macro index x\n"
		"macro index x <frobnicate>\n"
		"macro browser x <reply>\n");
	assert_diags(&l,
		"rowanrc:1:14: error: \"macro\" needs a menu, a key and the keys it types: macro MENU "
		"KEY KEYS [DESCRIPTION]\n"
		"rowanrc:2:15: error: unknown key or function \"<frobnicate>\"\n"
		"rowanrc:3:17: error: function \"reply\" is not available in menu \"browser\"");
	loaded_free(&l);
}

static void test_color(void **state)
{
	(void)state;
	struct loaded l = load_text(
		"color index yellow default\n"
		"color normal white\n"
		"color status brightwhite blue\n"
		"color quoted1 color123 color0\n"
		"color indicator BLACK Cyan\n"
		"color header brightred default \"^Subject:\"\n"
		"color body brightblue default \"https?://[^ ]+\"\n"
		"color index green black\n");
	assert_diags(&l, "");
	assert_int_equal(config_color_count(l.cfg), 7);
	const struct config_color *c = config_color_find(l.cfg, "index");
	assert_int_equal(c->fg.color, 2);
	assert_int_equal(c->bg.color, 0);
	c = config_color_find(l.cfg, "normal");
	assert_int_equal(c->fg.color, 7);
	assert_int_equal(c->bg.color, -1);
	c = config_color_find(l.cfg, "status");
	assert_int_equal(c->fg.color, 7);
	assert_true(c->fg.bright);
	assert_int_equal(c->bg.color, 4);
	assert_false(c->bg.bright);
	c = config_color_find(l.cfg, "quoted1");
	assert_int_equal(c->fg.color, 123);
	assert_int_equal(c->bg.color, 0);
	c = config_color_find(l.cfg, "indicator");
	assert_int_equal(c->fg.color, 0);
	assert_int_equal(c->bg.color, 6);
	assert_null(config_color_find(l.cfg, "header"));
	c = config_color_get(l.cfg, 5);
	assert_string_equal(c->object, "header");
	assert_string_equal(c->pattern, "^Subject:");
	assert_int_equal(c->fg.color, 1);
	assert_true(c->fg.bright);
	loaded_free(&l);

	l = load_text(
		"color indx yellow\n"
		"color index yelow\n"
		"color index red purple\n"
		"color index color256\n"
		"color index\n"
		"color index red blue extra\n"
		"color xyzzy red\n");
	assert_diags(&l,
		"rowanrc:1:7: error: unknown color object \"indx\"; did you mean \"index\"?\n"
		"rowanrc:2:13: error: unknown color \"yelow\"; did you mean \"yellow\"?\n"
		"rowanrc:3:17: error: unknown color \"purple\"; expected default, a color name such as "
		"red or brightred, or color0 to color255\n"
		"rowanrc:4:13: error: unknown color \"color256\"; expected default, a color name such "
		"as red or brightred, or color0 to color255\n"
		"rowanrc:5:12: error: \"color\" needs an object and a foreground color: color OBJECT "
		"FOREGROUND [BACKGROUND]\n"
		"rowanrc:6:22: error: unexpected \"extra\"; expected the end of the line\n"
		"rowanrc:7:7: error: unknown color object \"xyzzy\"; the objects are listed in rowanrc(5)");
	assert_int_equal(config_color_count(l.cfg), 0);
	loaded_free(&l);

	/* The reason comes from the C library; check what Rowan adds. */
	l = load_text("color body red default \"(\"\n");
	assert_int_equal(config_diags_count(l.diags), 1);
	char *got = diags_joined(l.diags);
	const char *want = "rowanrc:1:24: error: invalid regular expression \"(\": ";
	assert_true(strncmp(got, want, strlen(want)) == 0);
	assert_true(strlen(got) > strlen(want));
	free(got);
	loaded_free(&l);
}

static void test_alias(void **state)
{
	(void)state;
	struct loaded l = load_text(
		"alias bob Bob Smith <bob@example.org>   # a comment\n"
		"alias team \"Smith, Bob\" <bob@example.org>, carol@example.org\n"
		"alias Bob robert@example.org\n"
		"alias solo\n"
		"alias\n");
	assert_diags(&l,
		"rowanrc:4:11: error: \"alias\" needs a name and at least one address: alias NAME "
		"ADDRESS...\n"
		"rowanrc:5:6: error: \"alias\" needs a name and at least one address: alias NAME "
		"ADDRESS...");
	assert_int_equal(config_alias_count(l.cfg), 2);
	/* Alias names are not case-sensitive: "Bob" replaced "bob". */
	const struct config_alias *a = config_alias_find(l.cfg, "BOB");
	assert_string_equal(a->name, "Bob");
	assert_string_equal(a->addresses, "robert@example.org");
	a = config_alias_find(l.cfg, "team");
	assert_string_equal(a->addresses, "\"Smith, Bob\" <bob@example.org>, carol@example.org");
	assert_ptr_equal(config_alias_get(l.cfg, 1), a);
	assert_null(config_alias_find(l.cfg, "carol"));
	loaded_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_notation),
		cmocka_unit_test(test_key_notation_errors),
		cmocka_unit_test(test_bind),
		cmocka_unit_test(test_bind_errors),
		cmocka_unit_test(test_functions_table),
		cmocka_unit_test(test_macro),
		cmocka_unit_test(test_color),
		cmocka_unit_test(test_alias),
	};
	return cmocka_run_group_tests(tests, helpers_group_setup, helpers_group_teardown);
}
