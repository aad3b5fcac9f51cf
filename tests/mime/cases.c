/* cases: table rows as individual cmocka test cases (see cases.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "cases.h"
#include "util/util.h"

void case_add(struct case_list *list, const char *group, const char *label,
              CMUnitTestFunction func, const void *row)
{
	if (list->count == list->cap) {
		list->cap = list->cap ? list->cap * 2 : 64;
		list->tests = xrealloc(list->tests, list->cap * sizeof *list->tests);
	}
	char clean[64];
	size_t n = 0;
	for (const unsigned char *c = (const unsigned char *)label;
	     *c != '\0' && n + 5 < sizeof clean; c++) {
		if (*c >= 0x20 && *c < 0x7f && *c != '#')
			clean[n++] = (char)*c;
		else
			n += (size_t)snprintf(clean + n, sizeof clean - n, "\\x%02x", *c);
	}
	clean[n] = '\0';
	struct CMUnitTest *t = &list->tests[list->count];
	t->name = xasprintf("%s %zu: %s", group, list->count + 1, clean);
	t->test_func = func;
	t->setup_func = NULL;
	t->teardown_func = NULL;
	t->initial_state = (void *)row;
	list->count++;
}

int case_run(struct case_list *list, const char *group)
{
	int failed = _cmocka_run_group_tests(group, list->tests, list->count, NULL, NULL);
	for (size_t i = 0; i < list->count; i++)
		free((char *)list->tests[i].name);
	free(list->tests);
	return failed;
}
