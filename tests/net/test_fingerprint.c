/*
 * Unit tests for certificate fingerprints (src/net/fingerprint.c):
 * parsing and normalising tls_fingerprint, formatting, comparison, and
 * the digest of a real certificate.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "net/internal.h"

#define UPPER "sha256:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:" \
              "01:23:45:67:89:AB:CD:EF:FE:DC:BA:98:76:54:32:10"

static const unsigned char expected_digest[NET_SHA256_LEN] = {
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
	0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
	0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
	0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10,
};

static void assert_parses(const char *text)
{
	unsigned char digest[NET_SHA256_LEN];

	if (net_fingerprint_parse(text, digest) != 0)
		fail_msg("\"%s\" was refused", text);
	assert_memory_equal(digest, expected_digest, NET_SHA256_LEN);
}

static void assert_refused(const char *text)
{
	unsigned char digest[NET_SHA256_LEN];

	if (net_fingerprint_parse(text, digest) == 0)
		fail_msg("\"%s\" was accepted", text ? text : "(null)");
}

static void test_parse_canonical(void **state)
{
	(void)state;
	assert_parses(UPPER);
}

static void test_parse_variants(void **state)
{
	(void)state;
	/* Either case, with or without colons or the prefix. */
	assert_parses("sha256:00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff:"
	              "01:23:45:67:89:ab:cd:ef:fe:dc:ba:98:76:54:32:10");
	assert_parses("SHA256:00112233445566778899AABBCCDDEEFF"
	              "0123456789ABCDEFFEDCBA9876543210");
	assert_parses("00112233445566778899aabbccddeeff"
	              "0123456789abcdeffedcba9876543210");
	assert_parses("00:11:22:33:44:55:66:77:88:99:Aa:bB:cc:dd:ee:ff:"
	              "01:23:45:67:89:ab:cd:ef:fe:dc:ba:98:76:54:32:10");
	assert_parses("Sha256:0011:2233:44556677:8899aabbccddeeff"
	              "0123456789abcdeffedcba9876543210");
}

static void test_parse_refusals(void **state)
{
	(void)state;
	assert_refused(NULL);
	assert_refused("");
	assert_refused("sha256:");
	/* One byte short, one byte long. */
	assert_refused("sha256:00112233445566778899aabbccddeeff"
	               "0123456789abcdeffedcba98765432");
	assert_refused("sha256:00112233445566778899aabbccddeeff"
	               "0123456789abcdeffedcba987654321000");
	/* Odd digit count, stray characters, misplaced colons. */
	assert_refused("sha256:00112233445566778899aabbccddeeff"
	               "0123456789abcdeffedcba987654321");
	assert_refused("sha256:0g112233445566778899aabbccddeeff"
	               "0123456789abcdeffedcba9876543210");
	assert_refused("sha256:0:0112233445566778899aabbccddeeff"
	               "0123456789abcdeffedcba9876543210");
	assert_refused("sha256::00112233445566778899aabbccddeeff"
	               "0123456789abcdeffedcba9876543210");
	assert_refused(UPPER ":");
	assert_refused(UPPER " ");
	assert_refused(" " UPPER);
	/* Another algorithm is not a SHA-256 fingerprint. */
	assert_refused("sha1:00112233445566778899aabbccddeeff"
	               "0123456789abcdeffedcba9876543210");
}

static void test_format(void **state)
{
	(void)state;
	char text[NET_FINGERPRINT_TEXT_SIZE];

	net_fingerprint_format(expected_digest, text);
	assert_string_equal(text, UPPER);
	assert_int_equal(strlen(text) + 1, NET_FINGERPRINT_TEXT_SIZE);
}

static void test_compare(void **state)
{
	(void)state;
	unsigned char a[NET_SHA256_LEN], b[NET_SHA256_LEN];

	assert_int_equal(net_fingerprint_parse(UPPER, a), 0);
	assert_int_equal(net_fingerprint_parse(
		"00112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210",
		b), 0);
	assert_true(net_fingerprint_equal(a, b));
	b[NET_SHA256_LEN - 1] ^= 1;
	assert_false(net_fingerprint_equal(a, b));
	b[NET_SHA256_LEN - 1] ^= 1;
	b[0] ^= 0x80;
	assert_false(net_fingerprint_equal(a, b));
}

/* A throw-away self-signed certificate. */
static X509 *make_cert(void)
{
	EVP_PKEY *key = EVP_EC_gen("P-256");
	X509 *cert = X509_new();

	assert_non_null(key);
	assert_non_null(cert);
	X509_set_version(cert, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(cert), 42);
	X509_gmtime_adj(X509_getm_notBefore(cert), 0);
	X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
	X509_NAME *name = X509_get_subject_name(cert);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
	                           (const unsigned char *)"fingerprint.test",
	                           -1, -1, 0);
	X509_set_issuer_name(cert, name);
	X509_set_pubkey(cert, key);
	assert_true(X509_sign(cert, key, EVP_sha256()) > 0);
	EVP_PKEY_free(key);
	return cert;
}

static void test_certificate_digest(void **state)
{
	(void)state;
	X509 *cert = make_cert();
	unsigned char *der = NULL;
	int len = i2d_X509(cert, &der);
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int md_len = 0;
	char want[NET_FINGERPRINT_TEXT_SIZE];

	assert_true(len > 0);
	assert_int_equal(EVP_Digest(der, (size_t)len, md, &md_len, EVP_sha256(),
	                            NULL), 1);
	assert_int_equal(md_len, NET_SHA256_LEN);
	net_fingerprint_format(md, want);

	char *got = net_fingerprint_sha256(cert);
	assert_non_null(got);
	assert_string_equal(got, want);
	/* What we print is what the pin parser accepts. */
	unsigned char parsed[NET_SHA256_LEN];
	assert_int_equal(net_fingerprint_parse(got, parsed), 0);
	assert_memory_equal(parsed, md, NET_SHA256_LEN);

	free(got);
	OPENSSL_free(der);
	X509_free(cert);
	assert_null(net_fingerprint_sha256(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_canonical),
		cmocka_unit_test(test_parse_variants),
		cmocka_unit_test(test_parse_refusals),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_compare),
		cmocka_unit_test(test_certificate_digest),
	};
	return cmocka_run_group_tests_name("net fingerprint", tests, NULL, NULL);
}
