/*
 * test_config_manpage: doc/rowanrc.5 must not drift from the code.  Its
 * VARIABLES section must hold exactly the variables of the table, in
 * order, each as
 *
 *	.TP
 *	.B name
 *	Type: ... Default: ...        (generated below from the table)
 *	.br
 *	one-line description          (the table's doc, roff-escaped)
 *	[more text]
 *
 * and every account key, function and colour object must be documented.
 * With ROWAN_MANPAGE_PRINT set, the expected entries are printed instead.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "config/internal.h"

static char *manpage;

static int setup(void **state)
{
	(void)state;
	helpers_setup();
	const char *src = getenv("ROWAN_SRCDIR");
	char *path = xasprintf("%s/doc/rowanrc.5", src ? src : ".");
	struct rowan_err err;
	manpage = file_read_all(path, 1 << 20, NULL, &err);
	if (manpage == NULL)
		fprintf(stderr, "# %s\n", err.message);
	free(path);
	return manpage == NULL ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	free(manpage);
	helpers_teardown();
	return 0;
}

/* Text escaped for a roff text line. */
static void roff_add(struct buf *b, const char *s)
{
	for (const char *p = s; *p != '\0'; p++) {
		if (*p == '\\')
			buf_add_str(b, "\\e");
		else if (*p == '-')
			buf_add_str(b, "\\-");
		else
			buf_add_char(b, *p);
	}
}

static char *roff(const char *s)
{
	struct buf b;
	buf_init(&b);
	if (s[0] == '.' || s[0] == '\'')
		buf_add_str(&b, "\\&");
	roff_add(&b, s);
	return buf_steal(&b);
}

/* The "Type: ... Default: ..." line of a variable. */
static char *type_line(const struct config_var_def *def)
{
	struct buf b;
	buf_init(&b);
	buf_printf(&b, "Type: \\fI%s\\fR", config_var_type_name(def->type));
	switch (def->type) {
	case CONFIG_TYPE_NUMBER:
		buf_add_str(&b, " from ");
		char *n = xasprintf("%lld to %lld", def->min, def->max);
		roff_add(&b, n);
		free(n);
		if (def->flags & CONFIG_VAR_BYTES)
			buf_add_str(&b, ", in bytes (K, M or G may follow)");
		break;
	case CONFIG_TYPE_ENUM:
		buf_add_str(&b, ": ");
		for (size_t i = 0; def->choices[i] != NULL; i++) {
			if (i > 0)
				buf_add_str(&b, ", ");
			roff_add(&b, def->choices[i]);
		}
		if (def->flags & CONFIG_VAR_REVERSE)
			buf_add_str(&b, " (each may be prefixed with reverse\\-)");
		break;
	case CONFIG_TYPE_QUAD:
		buf_add_str(&b, " (yes, no, ask\\-yes or ask\\-no)");
		break;
	default:
		break;
	}
	buf_add_str(&b, ". Default: \\fB");
	bool quoted = def->type == CONFIG_TYPE_STRING || def->type == CONFIG_TYPE_PATH;
	if (quoted)
		buf_add_char(&b, '"');
	roff_add(&b, def->default_value);
	if (quoted)
		buf_add_char(&b, '"');
	buf_add_str(&b, "\\fR.");
	return buf_steal(&b);
}

/* The section from ".SH name" to the next ".SH". */
static char *section(const char *name)
{
	char *head = xasprintf("\n.SH %s\n", name);
	const char *start = strstr(manpage, head);
	free(head);
	if (start == NULL)
		return NULL;
	start++;
	const char *end = strstr(start + 1, "\n.SH ");
	return xstrndup(start, end ? (size_t)(end - start) : strlen(start));
}

/* Print the VARIABLES entries the table asks for. */
static void print_expected(void)
{
	for (int i = 0; i < CONFIG_VAR_COUNT; i++) {
		const struct config_var_def *def = config_var_def((enum config_var_id)i);
		char *t = type_line(def);
		char *d = roff(def->doc);
		printf(".TP\n.B %s\n%s\n.br\n%s\n", def->name, t, d);
		free(t);
		free(d);
	}
}

static void test_variables_match_table(void **state)
{
	(void)state;
	char *vars = section("VARIABLES");
	assert_non_null(vars);
	/* Walk the entries: ".TP", ".B name", type line, ".br", doc line. */
	int next = 0;
	char *save = NULL;
	char *lines[5] = {NULL};
	for (char *line = strtok_r(vars, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		memmove(lines, lines + 1, 4 * sizeof lines[0]);
		lines[4] = line;
		if (lines[0] == NULL || strcmp(lines[0], ".TP") != 0 || strncmp(lines[1], ".B ", 3) != 0)
			continue;
		const char *name = lines[1] + 3;
		int id = config_var_find(name);
		if (id < 0)
			fail_msg("rowanrc(5) documents \"%s\", which is not a variable", name);
		if (id != next)
			fail_msg("rowanrc(5): \"%s\" is out of order or \"%s\" is missing", name,
			         config_var_def((enum config_var_id)next)->name);
		const struct config_var_def *def = config_var_def((enum config_var_id)id);
		char *want_type = type_line(def);
		char *want_doc = roff(def->doc);
		if (strcmp(lines[2], want_type) != 0)
			fail_msg("rowanrc(5), %s:\n  found:    %s\n  expected: %s", name, lines[2],
			         want_type);
		if (strcmp(lines[3], ".br") != 0)
			fail_msg("rowanrc(5), %s: expected \".br\" after the type line", name);
		if (strcmp(lines[4], want_doc) != 0)
			fail_msg("rowanrc(5), %s:\n  found:    %s\n  expected: %s", name, lines[4],
			         want_doc);
		free(want_type);
		free(want_doc);
		next++;
	}
	if (next != CONFIG_VAR_COUNT)
		fail_msg("rowanrc(5) does not document \"%s\"",
		         config_var_def((enum config_var_id)next)->name);
	free(vars);
}

/* name appears in text as a roff word (hyphens escaped). */
static bool documented(const char *text, const char *name)
{
	char *r = roff(name);
	const char *p = text;
	bool found = false;
	size_t n = strlen(r);
	while (!found && (p = strstr(p, r)) != NULL) {
		char before = p == text ? ' ' : p[-1];
		char after = p[n];
		found = strchr(" ,\n(", before) != NULL && strchr(" ,.\n)", after) != NULL;
		p += n;
	}
	free(r);
	return found;
}

static void test_functions_documented(void **state)
{
	(void)state;
	char *text = section("FUNCTIONS");
	assert_non_null(text);
	for (size_t i = 0; i < config_function_count(); i++)
		if (!documented(text, config_function_name((int)i)))
			fail_msg("function %s is missing from FUNCTIONS in rowanrc(5)",
			         config_function_name((int)i));
	free(text);
}

static void test_account_keys_documented(void **state)
{
	(void)state;
	char *text = section("ACCOUNTS");
	assert_non_null(text);
	for (size_t i = 0; i < account_key_count(); i++) {
		char *entry = xasprintf("\n.B %s\n", account_key_name(i));
		char *escaped = roff(entry);
		if (strstr(text, escaped) == NULL)
			fail_msg("account key %s is missing from ACCOUNTS in rowanrc(5)",
			         account_key_name(i));
		free(entry);
		free(escaped);
	}
	free(text);
}

static void test_color_objects_documented(void **state)
{
	(void)state;
	char *text = section("COLORS");
	assert_non_null(text);
	for (size_t i = 0; i < color_object_count(); i++)
		if (!documented(text, color_object_name(i)))
			fail_msg("color object %s is missing from COLORS in rowanrc(5)",
			         color_object_name(i));
	free(text);
}

int main(void)
{
	if (getenv("ROWAN_MANPAGE_PRINT") != NULL) {
		print_expected();
		return 0;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_variables_match_table),
		cmocka_unit_test(test_functions_documented),
		cmocka_unit_test(test_account_keys_documented),
		cmocka_unit_test(test_color_objects_documented),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
