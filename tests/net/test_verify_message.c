/*
 * Unit tests for the certificate error messages (src/net/tls_verify.c):
 * one complete sentence per failure kind, naming the reason, the
 * fingerprint and how to trust the certificate.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "net/internal.h"

#define FP "sha256:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:" \
           "01:23:45:67:89:AB:CD:EF:FE:DC:BA:98:76:54:32:10"
#define PIN "sha256:FF:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:" \
            "01:23:45:67:89:AB:CD:EF:FE:DC:BA:98:76:54:32:10"

static struct net_verify_failure failure_of(enum net_verify_kind kind)
{
	struct net_verify_failure failure = {.kind = kind};

	memcpy(failure.fingerprint, FP, sizeof FP);
	return failure;
}

static void assert_message(const struct net_verify_failure *failure,
                           const char *expected)
{
	struct rowan_err err;

	rowan_err_clear(&err);
	net_verify_message(failure, "localhost", &err);
	assert_int_equal(err.err_class, ROWAN_ERR_TLS);
	assert_string_equal(err.message, expected);
}

static void test_name_mismatch(void **state)
{
	(void)state;
	struct net_verify_failure failure = failure_of(NET_VERIFY_NAME_MISMATCH);

	failure.names = "wrong.example";
	assert_message(&failure,
	               "localhost: certificate name mismatch (certificate is for wrong.example); its SHA-256 fingerprint is " FP "; set tls_fingerprint to trust it");
	failure.names = "mail.example.net, 192.0.2.7";
	assert_message(&failure,
	               "localhost: certificate name mismatch (certificate is for mail.example.net, 192.0.2.7); its SHA-256 fingerprint is " FP "; set tls_fingerprint to trust it");
}

static void test_expired(void **state)
{
	(void)state;
	struct net_verify_failure failure = failure_of(NET_VERIFY_EXPIRED);

	failure.date = "2020-12-31 23:59 UTC";
	assert_message(&failure,
	               "localhost: certificate has expired (valid until 2020-12-31 23:59 UTC); its SHA-256 fingerprint is " FP "; set tls_fingerprint to trust it");
}

static void test_not_yet_valid(void **state)
{
	(void)state;
	struct net_verify_failure failure = failure_of(NET_VERIFY_NOT_YET_VALID);

	failure.date = "2090-01-01 00:00 UTC";
	assert_message(&failure,
	               "localhost: certificate is not yet valid (valid from 2090-01-01 00:00 UTC); its SHA-256 fingerprint is " FP "; set tls_fingerprint to trust it");
}

static void test_unknown_issuer(void **state)
{
	(void)state;
	struct net_verify_failure failure = failure_of(NET_VERIFY_UNKNOWN_ISSUER);

	failure.issuer = "Rowan Unrelated Test CA";
	assert_message(&failure,
	               "localhost: certificate issuer is unknown (issued by Rowan Unrelated Test CA, not a trusted certificate authority); its SHA-256 fingerprint is " FP "; set tls_ca_file or tls_fingerprint to trust it");
}

static void test_self_signed(void **state)
{
	(void)state;
	struct net_verify_failure failure = failure_of(NET_VERIFY_SELF_SIGNED);

	assert_message(&failure,
	               "localhost: certificate is self-signed; its SHA-256 fingerprint is " FP "; set tls_fingerprint to trust it");
}

static void test_pin_mismatch(void **state)
{
	(void)state;
	struct net_verify_failure failure = failure_of(NET_VERIFY_PIN_MISMATCH);

	memcpy(failure.expected, PIN, sizeof PIN);
	assert_message(&failure,
	               "localhost: certificate fingerprint mismatch (expected " PIN ", the server's is " FP "); if the server's certificate was changed on purpose, update tls_fingerprint");
}

static void test_other_and_missing(void **state)
{
	(void)state;
	struct net_verify_failure failure = failure_of(NET_VERIFY_OTHER);

	failure.reason = "certificate revoked";
	assert_message(&failure,
	               "localhost: certificate verification failed (certificate revoked); its SHA-256 fingerprint is " FP "; set tls_fingerprint to trust it");
	failure = failure_of(NET_VERIFY_NO_CERTIFICATE);
	failure.fingerprint[0] = '\0';
	assert_message(&failure, "localhost: the server sent no certificate");
}

static void test_missing_details(void **state)
{
	(void)state;
	/* Absent details never print "(null)". */
	struct net_verify_failure failure = {.kind = NET_VERIFY_NAME_MISMATCH};

	assert_message(&failure,
	               "localhost: certificate name mismatch (certificate is for ?); its SHA-256 fingerprint is ?; set tls_fingerprint to trust it");
}

static void test_failure_clear(void **state)
{
	(void)state;
	struct net_verify_failure failure = failure_of(NET_VERIFY_EXPIRED);

	failure.names = xstrdup("a");
	failure.date = xstrdup("b");
	failure.issuer = xstrdup("c");
	failure.reason = xstrdup("d");
	net_verify_failure_clear(&failure);
	assert_int_equal(failure.kind, NET_VERIFY_OK);
	assert_null(failure.names);
	assert_null(failure.date);
	assert_string_equal(failure.fingerprint, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name_mismatch),
		cmocka_unit_test(test_expired),
		cmocka_unit_test(test_not_yet_valid),
		cmocka_unit_test(test_unknown_issuer),
		cmocka_unit_test(test_self_signed),
		cmocka_unit_test(test_pin_mismatch),
		cmocka_unit_test(test_other_and_missing),
		cmocka_unit_test(test_missing_details),
		cmocka_unit_test(test_failure_clear),
	};
	return cmocka_run_group_tests_name("net verify messages", tests, NULL,
	                                   NULL);
}
