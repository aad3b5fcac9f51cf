/* Unit tests for src/mime header decoding: RFC 2047 words, raw 8-bit text,
 * unfolding and finding a header in a header block. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mime/mime.h"
#include "cases.h"


/* ---- one encoded word in each charset, B and Q ---- */

struct word_row {
	const char *input;
	const char *expect;
};

/* Words were made from the expected text with Python's codecs. */
static const struct word_row word_rows[] = {
	{ "=?utf-8?B?R3LDvMOfZSBhdXMgS8O2bG4g4oKs?=",
	  "Gr\xc3\xbc\xc3\x9f" "e aus K\xc3\xb6ln \xe2\x82\xac" },
	{ "=?utf-8?Q?Gr=C3=BC=C3=9Fe_aus_K=C3=B6ln_=E2=82=AC?=",
	  "Gr\xc3\xbc\xc3\x9f" "e aus K\xc3\xb6ln \xe2\x82\xac" },
	{ "=?iso-8859-1?B?R3L832UsIHNl8W9y?=",
	  "Gr\xc3\xbc\xc3\x9f" "e, se\xc3\xb1or" },
	{ "=?iso-8859-1?Q?Gr=FC=DFe=2C_se=F1or?=",
	  "Gr\xc3\xbc\xc3\x9f" "e, se\xc3\xb1or" },
	{ "=?iso-8859-2?B?WmG/87PmIGfqtmyxIGphvPE=?=",
	  "Za\xc5\xbc\xc3\xb3\xc5\x82\xc4\x87 g\xc4\x99\xc5\x9bl\xc4\x85 ja\xc5\xba\xc5\x84" },
	{ "=?iso-8859-2?Q?Za=BF=F3=B3=E6_g=EA=B6l=B1_ja=BC=F1?=",
	  "Za\xc5\xbc\xc3\xb3\xc5\x82\xc4\x87 g\xc4\x99\xc5\x9bl\xc4\x85 ja\xc5\xba\xc5\x84" },
	{ "=?iso-8859-5?B?v+DY0tXi?=",
	  "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82" },
	{ "=?iso-8859-5?Q?=BF=E0=D8=D2=D5=E2?=",
	  "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82" },
	{ "=?iso-8859-7?B?yuHr5+zd8eE=?=",
	  "\xce\x9a\xce\xb1\xce\xbb\xce\xb7\xce\xbc\xce\xad\xcf\x81\xce\xb1" },
	{ "=?iso-8859-7?Q?=CA=E1=EB=E7=EC=DD=F1=E1?=",
	  "\xce\x9a\xce\xb1\xce\xbb\xce\xb7\xce\xbc\xce\xad\xcf\x81\xce\xb1" },
	{ "=?iso-8859-15?B?UHJpeDogMTCk?=",
	  "Prix: 10\xe2\x82\xac" },
	{ "=?iso-8859-15?Q?Prix=3A_10=A4?=",
	  "Prix: 10\xe2\x82\xac" },
	{ "=?windows-1252?B?k1NtYXJ0lCCWIHF1b3RlcyCA?=",
	  "\xe2\x80\x9cSmart\xe2\x80\x9d \xe2\x80\x93 quotes \xe2\x82\xac" },
	{ "=?windows-1252?Q?=93Smart=94_=96_quotes_=80?=",
	  "\xe2\x80\x9cSmart\xe2\x80\x9d \xe2\x80\x93 quotes \xe2\x82\xac" },
	{ "=?windows-1251?B?z/Do4uXyIOzo8A==?=",
	  "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82 \xd0\xbc\xd0\xb8\xd1\x80" },
	{ "=?windows-1251?Q?=CF=F0=E8=E2=E5=F2_=EC=E8=F0?=",
	  "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82 \xd0\xbc\xd0\xb8\xd1\x80" },
	{ "=?windows-1250?B?UPjtbGmaIJ5sdZ1vdehr/Q==?=",
	  "P\xc5\x99\xc3\xadli\xc5\xa1 \xc5\xbelu\xc5\xa5ou\xc4\x8dk\xc3\xbd" },
	{ "=?windows-1250?Q?P=F8=EDli=9A_=9Elu=9Dou=E8k=FD?=",
	  "P\xc5\x99\xc3\xadli\xc5\xa1 \xc5\xbelu\xc5\xa5ou\xc4\x8dk\xc3\xbd" },
	{ "=?koi8-r?B?89/F29gg1sUgxd2j?=",
	  "\xd0\xa1\xd1\x8a\xd0\xb5\xd1\x88\xd1\x8c \xd0\xb6\xd0\xb5 \xd0\xb5\xd1\x89\xd1\x91" },
	{ "=?koi8-r?Q?=F3=DF=C5=DB=D8_=D6=C5_=C5=DD=A3?=",
	  "\xd0\xa1\xd1\x8a\xd0\xb5\xd1\x88\xd1\x8c \xd0\xb6\xd0\xb5 \xd0\xb5\xd1\x89\xd1\x91" },
	{ "=?gb2312?B?xOO6w8rAvec=?=",
	  "\xe4\xbd\xa0\xe5\xa5\xbd\xe4\xb8\x96\xe7\x95\x8c" },
	{ "=?gb2312?Q?=C4=E3=BA=C3=CA=C0=BD=E7?=",
	  "\xe4\xbd\xa0\xe5\xa5\xbd\xe4\xb8\x96\xe7\x95\x8c" },
	{ "=?gb2312?B?1uzpRrv5?=",
	  "\xe6\x9c\xb1\xe9\x95\x95\xe5\x9f\xba" },
	{ "=?gb2312?Q?=D6=EC=E9F=BB=F9?=",
	  "\xe6\x9c\xb1\xe9\x95\x95\xe5\x9f\xba" },
	{ "=?gbk?B?1tDOxNPKvP4=?=",
	  "\xe4\xb8\xad\xe6\x96\x87\xe9\x82\xae\xe4\xbb\xb6" },
	{ "=?gbk?Q?=D6=D0=CE=C4=D3=CA=BC=FE?=",
	  "\xe4\xb8\xad\xe6\x96\x87\xe9\x82\xae\xe4\xbb\xb6" },
	{ "=?gb18030?B?1tDOxJUygjY=?=",
	  "\xe4\xb8\xad\xe6\x96\x87\xf0\xa0\x80\x80" },
	{ "=?gb18030?Q?=D6=D0=CE=C4=952=826?=",
	  "\xe4\xb8\xad\xe6\x96\x87\xf0\xa0\x80\x80" },
	{ "=?shift_jis?B?k/qWe4zqg2WDWINn?=",
	  "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x83\x86\xe3\x82\xb9\xe3\x83\x88" },
	{ "=?shift_jis?Q?=93=FA=96=7B=8C=EA=83e=83X=83g?=",
	  "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x83\x86\xe3\x82\xb9\xe3\x83\x88" },
	{ "=?shift_jis?B?h0CU1A==?=",
	  "\xe2\x91\xa0\xe7\x95\xaa" },
	{ "=?shift_jis?Q?=87=40=94=D4?=",
	  "\xe2\x91\xa0\xe7\x95\xaa" },
	{ "=?iso-2022-jp?B?GyRCRnxLXDhsJE4lYSE8JWsbKEI=?=",
	  "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe3\x83\xa1\xe3\x83\xbc\xe3\x83\xab" },
	{ "=?iso-2022-jp?Q?=1B=24BF=7CK=5C8l=24N=25a=21=3C=25k=1B=28B?=",
	  "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe3\x83\xa1\xe3\x83\xbc\xe3\x83\xab" },
	{ "=?euc-jp?B?xvzL3Ljs?=",
	  "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e" },
	{ "=?euc-jp?Q?=C6=FC=CB=DC=B8=EC?=",
	  "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e" },
	{ "=?euc-kr?B?vsiz58fPvLy/5A==?=",
	  "\xec\x95\x88\xeb\x85\x95\xed\x95\x98\xec\x84\xb8\xec\x9a\x94" },
	{ "=?euc-kr?Q?=BE=C8=B3=E7=C7=CF=BC=BC=BF=E4?=",
	  "\xec\x95\x88\xeb\x85\x95\xed\x95\x98\xec\x84\xb8\xec\x9a\x94" },
	{ "=?euc-kr?B?jGO55rCix88=?=",
	  "\xeb\x98\xa0\xeb\xb0\xa9\xea\xb0\x81\xed\x95\x98" },
	{ "=?euc-kr?Q?=8Cc=B9=E6=B0=A2=C7=CF?=",
	  "\xeb\x98\xa0\xeb\xb0\xa9\xea\xb0\x81\xed\x95\x98" },
	{ "=?ks_c_5601-1987?B?x9Gxub7u?=",
	  "\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4" },
	{ "=?ks_c_5601-1987?Q?=C7=D1=B1=B9=BE=EE?=",
	  "\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4" },
	{ "=?big5?B?pKSk5bT6uNU=?=",
	  "\xe4\xb8\xad\xe6\x96\x87\xe6\xb8\xac\xe8\xa9\xa6" },
	{ "=?big5?Q?=A4=A4=A4=E5=B4=FA=B8=D5?=",
	  "\xe4\xb8\xad\xe6\x96\x87\xe6\xb8\xac\xe8\xa9\xa6" },
	{ "=?cp950?B?wWPF6Q==?=",
	  "\xe7\xb9\x81\xe9\xab\x94" },
	{ "=?cp950?Q?=C1c=C5=E9?=",
	  "\xe7\xb9\x81\xe9\xab\x94" },
};

static void test_word(void **state)
{
	const struct word_row *row = *state;
	char *out = mime_header_decode(row->input, strlen(row->input), NULL);
	assert_string_equal(out, row->expect);
	free(out);
}

/* ---- everything around the words ---- */

struct decode_row {
	const char *input;
	const char *fallback;
	const char *expect;
};

static const struct decode_row decode_rows[] = {
	/* adjacent words are joined, whatever whitespace is between them */
	{ "=?utf-8?q?a?= =?utf-8?q?b?=", NULL, "ab" },
	{ "=?utf-8?q?a?=\r\n =?utf-8?q?b?=", NULL, "ab" },
	{ "=?utf-8?q?a?=\t \t=?utf-8?q?b?=", NULL, "ab" },
	{ "=?utf-8?q?a?==?utf-8?q?b?=", NULL, "ab" },
	{ "=?iso-8859-1?q?=E9?= =?koi8-r?q?=F3?=", NULL, "\xc3\xa9\xd0\xa1" },
	/* a character split across two words */
	{ "=?utf-8?B?4oI=?= =?utf-8?B?rA==?=", NULL, "\xe2\x82\xac" },
	{ "=?iso-2022-jp?B?GyRCRnw=?= =?iso-2022-jp?B?S1wbKEI=?=", NULL, "\xe6\x97\xa5\xe6\x9c\xac" },
	/* whitespace between a word and text is kept */
	{ "=?utf-8?q?a?= b", NULL, "a b" },
	{ "x =?utf-8?q?a?=", NULL, "x a" },
	{ "x  =?utf-8?q?=C3=A9?=  y", NULL, "x  \xc3\xa9  y" },
	{ "Re: [list] =?utf-8?q?Gr=C3=BC=C3=9Fe?= (2)", NULL, "Re: [list] Gr\xc3\xbc\xc3\x9f" "e (2)" },
	{ "x=?utf-8?q?a?=y", NULL, "xay" },
	/* Q details */
	{ "=?utf-8?q?a_b?=", NULL, "a b" },
	{ "=?UTF-8?Q?=c3=a9?=", NULL, "\xc3\xa9" },
	{ "=?utf-8?q?a=zz=?=", NULL, "a=zz=" },
	{ "=?utf-8?q?tab=09and=1B[31mesc?=", NULL, "tab\tand\x1b[31mesc" },
	{ "=?utf-8?q?\?=", NULL, "" },
	{ "=?utf-8*en?q?hi?=", NULL, "hi" },
	/* B details */
	{ "=?utf-8?B?QQ?=", NULL, "A" },
	{ "=?utf-8?b?QUJD?=", NULL, "ABC" },
	/* malformed words stay as written */
	{ "=?utf-8?q?broken", NULL, "=?utf-8?q?broken" },
	{ "=?no-such-charset?q?x?=", NULL, "=?no-such-charset?q?x?=" },
	{ "=?utf-8?b?!!!!?=", NULL, "=?utf-8?b?!!!!?=" },
	{ "=?utf-8?B?Q?=", NULL, "=?utf-8?B?Q?=" },
	{ "=?utf-8?B?QQ=A?=", NULL, "=?utf-8?B?QQ=A?=" },
	{ "=?utf-8?x?abc?=", NULL, "=?utf-8?x?abc?=" },
	{ "=?utf-8?q?a b?=", NULL, "=?utf-8?q?a b?=" },
	{ "=??q?x?=", NULL, "=??q?x?=" },
	{ "=?utf-8?q", NULL, "=?utf-8?q" },
	{ "a =? b ?= c", NULL, "a =? b ?= c" },
	{ "=?bogus?q?x?= =?utf-8?q?y?=", NULL, "=?bogus?q?x?= y" },
	{ "=?utf-8?q?x?= =?bogus?q?y?=", NULL, "x =?bogus?q?y?=" },
	{ "=?utf-8//TRANSLIT?q?x?=", NULL, "=?utf-8//TRANSLIT?q?x?=" },
	/* invalid bytes inside a word */
	{ "=?utf-8?q?a=FFb?=", NULL, "a\xef\xbf\xbd" "b" },
	/* labels that say nothing */
	{ "=?us-ascii?q?caf=E9?=", NULL, "caf\xc3\xa9" },
	{ "=?unknown-8bit?q?caf=C3=A9?=", NULL, "caf\xc3\xa9" },
	{ "=?us-ascii?q?=F3=DF?=", "koi8-r", "\xd0\xa1\xd1\x8a" },
	/* raw 8-bit text */
	{ "Gr\xc3\xbc\xc3\x9f" "e", NULL, "Gr\xc3\xbc\xc3\x9f" "e" },
	{ "Gr\xfc\xdf" "e", NULL, "Gr\xc3\xbc\xc3\x9f" "e" },
	{ "Gr\xfc\xdf" "e", "iso-8859-2", "Gr\xc3\xbc\xc3\x9f" "e" },
	{ "\xf3\xdf", "koi8-r", "\xd0\xa1\xd1\x8a" },
	{ "\x93quoted\x94", "no-such", "\xe2\x80\x9cquoted\xe2\x80\x9d" },
	{ "caf\xe9 =?utf-8?q?=E2=82=AC?=", NULL, "caf\xc3\xa9 \xe2\x82\xac" },
	/* raw ISO-2022-JP, as Japanese mailers still send it */
	{ "Re: \x1b$BF|K\\8l\x1b(B ok", NULL, "Re: \xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e ok" },
	{ "\x1b$BF|\x1b(B =?utf-8?q?=C3=A9?=", NULL, "\xe6\x97\xa5 \xc3\xa9" },
	/* unfolding and trimming */
	{ "a\r\n b", NULL, "a b" },
	{ "a\r\n\tb", NULL, "a b" },
	{ "a\n  b", NULL, "a  b" },
	{ "a\r\nb", NULL, "a b" },
	{ "a\tb", NULL, "a b" },
	{ "  padded \t ", NULL, "padded" },
	{ "", NULL, "" },
};

static void test_decode(void **state)
{
	const struct decode_row *row = *state;
	char *out = mime_header_decode(row->input, strlen(row->input), row->fallback);
	assert_string_equal(out, row->expect);
	free(out);
}

static void test_decode_nul_and_null(void **state)
{
	(void)state;
	char *out = mime_header_decode("a\0b", 3, NULL);
	assert_string_equal(out, "a\xef\xbf\xbd" "b");
	free(out);
	out = mime_header_decode(NULL, 0, NULL);
	assert_string_equal(out, "");
	free(out);
}

static void test_decode_truncates_huge(void **state)
{
	(void)state;
	size_t n = 3 * 1024 * 1024;
	char *in = xmalloc(n);
	/* "é" repeated, so a cut in the middle of a character would show */
	for (size_t i = 0; i + 1 < n; i += 2)
		memcpy(in + i, "\xc3\xa9", 2);
	char *out = mime_header_decode(in, n, NULL);
	size_t len = strlen(out);
	assert_true(len <= 1024 * 1024 + 16);
	assert_true(len >= 1024 * 1024 - 4);
	assert_non_null(strstr(out + len - 8, "[\xe2\x80\xa6]"));
	assert_memory_equal(out, "\xc3\xa9\xc3\xa9", 4);
	assert_null(strstr(out, "\xef\xbf\xbd"));
	free(out);
	/* many words that each look like the start of one */
	for (size_t i = 0; i < n; i++)
		in[i] = "=?"[i % 2];
	out = mime_header_decode(in, n, NULL);
	assert_memory_equal(out, "=?=?", 4);
	free(out);
	/* word starts with no end in sight: must not take quadratic time */
	for (size_t i = 0; i < n; i++)
		in[i] = "=?a?q?x"[i % 7];
	out = mime_header_decode(in, n, NULL);
	assert_memory_equal(out, "=?a?q?x=?a?q?x", 14);
	free(out);
	for (size_t i = 0; i < n; i++)
		in[i] = "=?utf-8?b?QUJD"[i % 14];
	out = mime_header_decode(in, n, NULL);
	assert_memory_equal(out, "=?utf-8?b?QUJD=?utf-8", 21);
	free(out);
	free(in);
}

/* ---- finding a header ---- */

struct get_row {
	const char *block;
	const char *name;
	const char *expect;	/* NULL: absent */
};

static const struct get_row get_rows[] = {
	{ "Subject: hi\r\nFrom: a\r\n\r\nbody", "subject", "hi" },
	{ "From: a\nSubject: hi\n\nbody", "Subject", "hi" },
	{ "Subject: a\r\n b\r\n\tc\r\nX: y\r\n\r\n", "subject", "a b\tc" },
	{ "SUBJECT : spaced\r\n\r\n", "subject", "spaced" },
	{ "Subject: first\nSubject: second\n\n", "subject", "first" },
	{ "A: 1\n\nSubject: in the body\n", "subject", NULL },
	{ "A: 1\r\n\r\nSubject: in the body\r\n", "subject", NULL },
	{ "Subjects: no\nSubject: yes\n\n", "subject", "yes" },
	{ "X-Subject: no\nSubject: yes\n\n", "subject", "yes" },
	{ "From: a\n\n", "subject", NULL },
	{ "Subject:\r\n\r\n", "subject", "" },
	{ "Subject:\r\n  on the next line\r\n\r\n", "subject", "on the next line" },
	{ "Subject: no newline at the end", "subject", "no newline at the end" },
	{ "From someone@example.com Mon Oct  5 09:00:00 2026\nSubject: mbox\n\n", "subject", "mbox" },
	{ " stray continuation\nSubject: x\n", "subject", "x" },
	{ "Subject: =?utf-8?q?raw?=\n\n", "subject", "=?utf-8?q?raw?=" },
	{ "Subject: trailing   \r\n\r\n", "subject", "trailing" },
	{ "", "subject", NULL },
};

static void test_get(void **state)
{
	const struct get_row *row = *state;
	char *value = mime_header_get(row->block, strlen(row->block), row->name);
	if (row->expect == NULL) {
		assert_null(value);
	} else {
		assert_non_null(value);
		assert_string_equal(value, row->expect);
	}
	free(value);
}

static void test_get_odd_bytes(void **state)
{
	(void)state;
	const char block[] = "Subject: a\0b\nTo: x\n\n";
	char *value = mime_header_get(block, sizeof block - 1, "subject");
	assert_string_equal(value, "a b");
	free(value);
	assert_null(mime_header_get(block, sizeof block - 1, ""));
	assert_null(mime_header_get(NULL, 0, "subject"));
	/* only the given length is read */
	value = mime_header_get("Subject: abcdef", 12, "subject");
	assert_string_equal(value, "abc");
	free(value);
}

static void test_get_truncates_huge(void **state)
{
	(void)state;
	size_t lines = 40000;
	struct buf b;
	buf_init(&b);
	buf_add_str(&b, "Subject: start\r\n");
	for (size_t i = 0; i < lines; i++)
		buf_add_str(&b, " 0123456789012345678901234567890123456789012345678901234567890\r\n");
	buf_add_str(&b, "To: x\r\n\r\n");
	char *value = mime_header_get(b.data, b.len, "subject");
	size_t len = strlen(value);
	assert_true(len > 1024 * 1024 - 100 && len < 1024 * 1024 + 100);
	assert_non_null(strstr(value + len - 8, "[\xe2\x80\xa6]"));
	free(value);
	value = mime_header_get(b.data, b.len, "to");
	assert_string_equal(value, "x");
	free(value);
	buf_free(&b);
}

int main(void)
{
	struct case_list list = { NULL, 0, 0 };
	for (size_t i = 0; i < COUNT(word_rows); i++)
		case_add(&list, "word", word_rows[i].input, test_word, &word_rows[i]);
	for (size_t i = 0; i < COUNT(decode_rows); i++)
		case_add(&list, "decode", decode_rows[i].input, test_decode, &decode_rows[i]);
	case_add(&list, "decode", "NUL bytes and NULL", test_decode_nul_and_null, NULL);
	case_add(&list, "decode", "huge values are cut", test_decode_truncates_huge, NULL);
	for (size_t i = 0; i < COUNT(get_rows); i++)
		case_add(&list, "get", get_rows[i].block, test_get, &get_rows[i]);
	case_add(&list, "get", "NUL, empty name, length", test_get_odd_bytes, NULL);
	case_add(&list, "get", "huge folded header is cut", test_get_truncates_huge, NULL);
	return case_run(&list, "mime header");
}
