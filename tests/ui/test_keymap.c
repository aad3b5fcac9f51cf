/*
 * test_keymap: the UI's key map — mutt's default bindings, the generic
 * menu behind the others, rc-file bind and macro overrides, key
 * sequences that need another key, and the listing used by help.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ui/ui_private.h"

static int fn(const char *name)
{
	int id = config_function_find(name);
	if (id < 0)
		fail_msg("unknown function %s", name);
	return id;
}

/* The function (or -1/-2/-3) for keys written in rc notation. */
static int lookup(const struct config *cfg, enum config_menu menu, const char *notation)
{
	struct config_keyseq seq;
	char *error = NULL;
	if (config_keyseq_parse(notation, false, &seq, &error) != 0)
		fail_msg("%s: %s", notation, error);
	const struct config_keyseq *macro = NULL;
	int r = ui_keymap_lookup(cfg, menu, seq.keys, seq.len, &macro);
	if (r == -3)
		assert_non_null(macro);
	else
		assert_null(macro);
	config_keyseq_clear(&seq);
	return r;
}

static struct config *load(const char *text)
{
	struct config *cfg = config_new();
	struct config_diags *diags = config_diags_new();
	int rc = config_load_string(cfg, "rowanrc", text, diags);
	if (rc != 0 || config_diags_count(diags) != 0) {
		char *first = config_diags_count(diags) > 0
			? config_diag_format(config_diags_get(diags, 0)) : NULL;
		fail_msg("rc text did not load: %s", first != NULL ? first : "?");
	}
	config_diags_free(&diags);
	return cfg;
}

static void test_defaults_are_valid(void **state)
{
	(void)state;
	assert_int_equal(ui_keymap_defaults_invalid(), 0);
}

static void test_mutt_defaults(void **state)
{
	(void)state;
	struct config *cfg = config_new();
	assert_int_equal(lookup(cfg, CONFIG_MENU_INDEX, "j"), fn("next-undeleted"));
	assert_int_equal(lookup(cfg, CONFIG_MENU_INDEX, "J"), fn("next-entry"));
	assert_int_equal(lookup(cfg, CONFIG_MENU_INDEX, "<Down>"), fn("next-undeleted"));
	assert_int_equal(lookup(cfg, CONFIG_MENU_INDEX, "d"), fn("delete-message"));
	assert_int_equal(lookup(cfg, CONFIG_MENU_INDEX, "q"), fn("quit"));
	assert_int_equal(lookup(cfg, CONFIG_MENU_INDEX, "x"), fn("exit"));
	assert_int_equal(lookup(cfg, CONFIG_MENU_INDEX, "<Return>"), fn("display-message"));
	assert_int_equal(lookup(cfg, CONFIG_MENU_INDEX, "<Space>"), fn("display-message"));
	assert_int_equal(lookup(cfg, CONFIG_MENU_INDEX, "<Tab>"), fn("next-new-then-unread"));
	assert_int_equal(lookup(cfg, CONFIG_MENU_INDEX, "$"), fn("sync-mailbox"));
	assert_int_equal(lookup(cfg, CONFIG_MENU_INDEX, "y"), fn("mailbox-list"));
	/* from the generic menu */
	assert_int_equal(lookup(cfg, CONFIG_MENU_INDEX, "z"), fn("next-page"));
	assert_int_equal(lookup(cfg, CONFIG_MENU_INDEX, "<PageUp>"), fn("previous-page"));
	assert_int_equal(lookup(cfg, CONFIG_MENU_INDEX, "="), fn("first-entry"));
	assert_int_equal(lookup(cfg, CONFIG_MENU_INDEX, "*"), fn("last-entry"));
	assert_int_equal(lookup(cfg, CONFIG_MENU_INDEX, "?"), fn("help"));
	assert_int_equal(lookup(cfg, CONFIG_MENU_INDEX, "\\Cl"), fn("refresh"));
	assert_int_equal(lookup(cfg, CONFIG_MENU_INDEX, "7"), fn("jump"));
	/* the pager has its own */
	assert_int_equal(lookup(cfg, CONFIG_MENU_PAGER, "<Space>"), fn("next-page"));
	assert_int_equal(lookup(cfg, CONFIG_MENU_PAGER, "-"), fn("previous-page"));
	assert_int_equal(lookup(cfg, CONFIG_MENU_PAGER, "<Return>"), fn("next-line"));
	assert_int_equal(lookup(cfg, CONFIG_MENU_PAGER, "q"), fn("exit"));
	assert_int_equal(lookup(cfg, CONFIG_MENU_PAGER, "Q"), fn("quit"));
	/* the browser falls back to generic */
	assert_int_equal(lookup(cfg, CONFIG_MENU_BROWSER, "<Return>"), fn("select-entry"));
	assert_int_equal(lookup(cfg, CONFIG_MENU_BROWSER, "q"), fn("exit"));
	assert_int_equal(lookup(cfg, CONFIG_MENU_ATTACH, "<Return>"), fn("view-attach"));
	/* the editor does not */
	assert_int_equal(lookup(cfg, CONFIG_MENU_EDITOR, "\\Ca"), fn("bol"));
	assert_int_equal(lookup(cfg, CONFIG_MENU_EDITOR, "j"), -1);
	assert_int_equal(lookup(cfg, CONFIG_MENU_EDITOR, "<Home>"), fn("bol"));
	/* nothing bound */
	assert_int_equal(lookup(cfg, CONFIG_MENU_INDEX, "\\Cq"), -1);
	assert_int_equal(lookup(cfg, CONFIG_MENU_INDEX, "<F5>"), -1);
	config_free(&cfg);
}

static void test_sequences(void **state)
{
	(void)state;
	struct config *cfg = config_new();
	/* Esc starts <Esc>/ and <Esc><Tab>: read another key */
	assert_int_equal(lookup(cfg, CONFIG_MENU_INDEX, "<Esc>"), -2);
	assert_int_equal(lookup(cfg, CONFIG_MENU_INDEX, "<Esc>/"), fn("search-reverse"));
	assert_int_equal(lookup(cfg, CONFIG_MENU_INDEX, "<Esc><Tab>"),
	                 fn("previous-new-then-unread"));
	assert_int_equal(lookup(cfg, CONFIG_MENU_INDEX, "<Esc>x"), -1);
	assert_int_equal(lookup(cfg, CONFIG_MENU_INDEX, "<Esc>//"), -1);
	/* No keys at all */
	assert_int_equal(ui_keymap_lookup(cfg, CONFIG_MENU_INDEX, NULL, 0, NULL), -1);
	config_free(&cfg);
}

static void test_rc_overrides(void **state)
{
	(void)state;
	struct config *cfg = load(
		"bind index j next-entry\n"
		"bind index d noop\n"
		"bind generic H last-entry\n"
		"bind generic k first-entry\n"
		"bind index gg first-entry\n"
		"bind pager <Space> half-down\n"
		"macro index X \"c=INBOX<Return>\" \"go to the inbox\"\n");
	assert_int_equal(lookup(cfg, CONFIG_MENU_INDEX, "j"), fn("next-entry"));
	/* noop unbinds */
	assert_int_equal(lookup(cfg, CONFIG_MENU_INDEX, "d"), -1);
	/* a generic rc binding reaches the index where it has no own default */
	assert_int_equal(lookup(cfg, CONFIG_MENU_INDEX, "H"), fn("last-entry"));
	assert_int_equal(lookup(cfg, CONFIG_MENU_BROWSER, "H"), fn("last-entry"));
	/* but not where the index has one (mutt: the menu's map first) */
	assert_int_equal(lookup(cfg, CONFIG_MENU_INDEX, "k"), fn("previous-undeleted"));
	assert_int_equal(lookup(cfg, CONFIG_MENU_BROWSER, "k"), fn("first-entry"));
	/* a two-key binding makes its first key wait */
	assert_int_equal(lookup(cfg, CONFIG_MENU_INDEX, "g"), -2);
	assert_int_equal(lookup(cfg, CONFIG_MENU_INDEX, "gg"), fn("first-entry"));
	assert_int_equal(lookup(cfg, CONFIG_MENU_PAGER, "<Space>"), fn("half-down"));
	assert_int_equal(lookup(cfg, CONFIG_MENU_PAGER, "-"), fn("previous-page"));

	/* a macro gives its keys */
	int x = 'X';
	const struct config_keyseq *macro = NULL;
	assert_int_equal(ui_keymap_lookup(cfg, CONFIG_MENU_INDEX, &x, 1, &macro), -3);
	assert_non_null(macro);
	assert_int_equal(macro->len, 8);
	assert_int_equal(macro->keys[0], 'c');
	assert_int_equal(macro->keys[7], '\r');
	/* only in its menu */
	assert_int_equal(ui_keymap_lookup(cfg, CONFIG_MENU_PAGER, &x, 1, &macro), -1);
	config_free(&cfg);
}

struct listing {
	char text[16384];
	size_t count;
};

static void collect(const char *keys, const char *function, const char *description,
                    void *ctx)
{
	struct listing *l = ctx;
	size_t used = strlen(l->text);
	snprintf(l->text + used, sizeof l->text - used, "%s=%s|%s\n", keys,
	         function != NULL ? function : "(macro)",
	         description != NULL ? description : "");
	l->count++;
}

static bool listed(const struct listing *l, const char *line)
{
	return strstr(l->text, line) != NULL;
}

static void test_each(void **state)
{
	(void)state;
	struct config *cfg = load(
		"bind index j next-entry\n"
		"bind index d noop\n"
		"macro index X \"c=INBOX<Return>\" \"go to the inbox\"\n"
		"macro index Y \"q\"\n");
	struct listing *l = calloc(1, sizeof(*l));
	ui_keymap_each(cfg, CONFIG_MENU_INDEX, collect, l);
	assert_true(l->count > 40);
	assert_true(listed(l, "\nj=next-entry|move to the next entry\n") ||
	            strncmp(l->text, "j=next-entry|", 13) == 0);
	assert_true(listed(l, "\nq=quit|"));
	assert_true(listed(l, "\nH=top-page|"));
	assert_true(listed(l, "X=(macro)|go to the inbox\n"));
	assert_true(listed(l, "Y=(macro)|q\n"));
	/* shadowed and unbound keys are not listed */
	assert_false(listed(l, "\nq=exit|"));
	assert_false(listed(l, "\nd="));
	assert_false(listed(l, "\nj=next-undeleted"));
	/* the rc file's bindings come first */
	assert_int_equal(strncmp(l->text, "j=next-entry|", 13), 0);

	/* a stable order: the same listing twice */
	struct listing *again = calloc(1, sizeof(*again));
	ui_keymap_each(cfg, CONFIG_MENU_INDEX, collect, again);
	assert_string_equal(l->text, again->text);
	free(again);
	free(l);
	config_free(&cfg);
}

static void test_key_for(void **state)
{
	(void)state;
	struct config *cfg = load("bind index Q quit\nbind index q noop\n");
	char *key = ui_keymap_key_for(cfg, CONFIG_MENU_INDEX, fn("quit"));
	assert_string_equal(key, "Q");
	free(key);
	key = ui_keymap_key_for(cfg, CONFIG_MENU_INDEX, fn("help"));
	assert_string_equal(key, "?");
	free(key);
	key = ui_keymap_key_for(cfg, CONFIG_MENU_PAGER, fn("exit"));
	assert_string_equal(key, "q");
	free(key);
	assert_null(ui_keymap_key_for(cfg, CONFIG_MENU_INDEX, fn("bounce-message")));
	config_free(&cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_are_valid),
		cmocka_unit_test(test_mutt_defaults),
		cmocka_unit_test(test_sequences),
		cmocka_unit_test(test_rc_overrides),
		cmocka_unit_test(test_each),
		cmocka_unit_test(test_key_for),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
