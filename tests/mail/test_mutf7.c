/*
 * Unit tests for src/mail/mutf7.c: modified UTF-7 folder names (RFC 3501
 * 5.1.3) both ways, and invalid names coming back unchanged.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mail/folder.h"

struct mutf7_case {
	const char *utf8;
	const char *imap;
};

/* Both directions. */
static const struct mutf7_case round_trip[] = {
	{ "", "" },
	{ "INBOX", "INBOX" },
	{ "Sent Items", "Sent Items" },
	{ "&", "&-" },
	{ "Tom & Jerry", "Tom &- Jerry" },
	{ "&&", "&-&-" },
	{ "Entwürfe", "Entw&APw-rfe" },
	{ "Gelöschte Elemente", "Gel&APY-schte Elemente" },
	/* RFC 3501 5.1.3 */
	{ "~peter/mail/台北/日本語", "~peter/mail/&U,BTFw-/&ZeVnLIqe-" },
	{ "日本語", "&ZeVnLIqe-" },
	{ "Ä", "&AMQ-" },
	{ "ÄÖÜ", "&AMQA1gDc-" },
	{ "€", "&IKw-" },
	{ "a€b", "a&IKw-b" },
	/* astral characters: surrogate pairs */
	{ "😀", "&2D3eAA-" },
	{ "x😀y🎉", "x&2D3eAA-y&2DzfiQ-" },
	{ "𝄞", "&2DTdHg-" },
	{ "🙂🙃", "&2D3eQtg93kM-" },
	/* a control character is not printable: it is encoded */
	{ "a\tb", "a&AAk-b" },
	{ "\x7f", "&AH8-" },
};

/* Names that are not valid modified UTF-7: decoded unchanged. */
static const char *const invalid[] = {
	"&",                /* unterminated shift */
	"Entw&APw",         /* unterminated shift */
	"Entw&APwrfe",      /* runs to the end */
	"&AP*-",            /* outside the alphabet */
	"&AP/w-",           /* '/' is not in the modified alphabet */
	"&APw=-",           /* no padding in modified base64 */
	"&APx-",            /* non-zero padding bits */
	"&AMR-",            /* non-zero padding bits */
	"&AG-",             /* 12 bits: a cut-off unit */
	"&AEE-",            /* "A" (printable ASCII) encoded */
	"&ACY-",            /* "&" encoded */
	"&ACA-",            /* space encoded */
	"&AAA-",            /* NUL encoded */
	"&2D0-",            /* lone high surrogate */
	"&2D3YPQ-",         /* high surrogate followed by a high one */
	"&3gA-",            /* lone low surrogate */
	"Entwürfe",         /* raw 8-bit: not modified UTF-7 */
	"a\tb",             /* raw control */
	"&--",              /* fine, then a lone '-': valid, see below */
};

static void test_to_imap(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof round_trip / sizeof round_trip[0]; i++) {
		char *got = folder_name_to_imap(round_trip[i].utf8);
		if (strcmp(got, round_trip[i].imap) != 0)
			fail_msg("case %zu: to_imap(\"%s\") = \"%s\", want \"%s\"", i,
			         round_trip[i].utf8, got, round_trip[i].imap);
		free(got);
	}
}

static void test_from_imap(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof round_trip / sizeof round_trip[0]; i++) {
		char *got = folder_name_from_imap(round_trip[i].imap);
		if (strcmp(got, round_trip[i].utf8) != 0)
			fail_msg("case %zu: from_imap(\"%s\") = \"%s\", want \"%s\"", i,
			         round_trip[i].imap, got, round_trip[i].utf8);
		free(got);
	}
}

static void test_invalid_unchanged(void **state)
{
	(void)state;
	/* the last entry is valid: "&-" then "-" */
	size_t n = sizeof invalid / sizeof invalid[0];
	for (size_t i = 0; i + 1 < n; i++) {
		char *got = folder_name_from_imap(invalid[i]);
		if (strcmp(got, invalid[i]) != 0)
			fail_msg("case %zu: from_imap(\"%s\") = \"%s\", want it unchanged",
			         i, invalid[i], got);
		free(got);
	}
	char *got = folder_name_from_imap(invalid[n - 1]);
	assert_string_equal(got, "&-");
	free(got);
}

static void test_valid_mixed(void **state)
{
	(void)state;
	/* Two shifts in a row (not canonical, but unambiguous) decode. */
	char *got = folder_name_from_imap("&AMQ-&ANY-");
	assert_string_equal(got, "ÄÖ");
	free(got);
	/* Invalid UTF-8 going out becomes U+FFFD rather than garbage. */
	got = folder_name_to_imap("a\xff" "b");
	assert_string_equal(got, "a&,,0-b");
	free(got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_to_imap),
		cmocka_unit_test(test_from_imap),
		cmocka_unit_test(test_invalid_unchanged),
		cmocka_unit_test(test_valid_mixed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
