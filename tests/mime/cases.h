/*
 * cases: run each row of a table-driven cmocka test as its own test case,
 * so the TAP summary counts every row.
 */
#ifndef ROWAN_TESTS_MIME_CASES_H
#define ROWAN_TESTS_MIME_CASES_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

struct case_list {
	struct CMUnitTest *tests;
	size_t count;
	size_t cap;
};

/*
 * Add one case named "group N: label" (label bytes outside printable
 * ASCII, and TAP's '#', written as \xNN) that runs func with row as its
 * state.
 */
void case_add(struct case_list *list, const char *group, const char *label,
              CMUnitTestFunction func, const void *row);
/* Run every case, free the list; returns the number of failures. */
int case_run(struct case_list *list, const char *group);

#endif
