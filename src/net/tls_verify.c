/*
 * tls_verify: decide whether a server's certificate is acceptable (the
 * chain against the trust store plus the host name, or an explicit
 * SHA-256 pin) inside the handshake, and explain a refusal in words a
 * user can act on.
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/x509v3.h>

#include "net/internal.h"

/* Keep the list short enough that the whole message fits. */
#define VERIFY_MAX_NAMES 8
#define VERIFY_MAX_NAMES_TEXT 200

/* Append len bytes of certificate text, replacing anything unprintable. */
static void buf_add_printable(struct buf *b, const unsigned char *data,
                              size_t len)
{
	for (size_t i = 0; i < len; i++)
		buf_add_char(b, data[i] >= 0x20 && data[i] < 0x7f
		                ? (char)data[i] : '?');
}

static void buf_add_asn1(struct buf *b, const ASN1_STRING *s)
{
	buf_add_printable(b, ASN1_STRING_get0_data(s),
	                  (size_t)ASN1_STRING_length(s));
}

/* The common name in name, or NULL. */
static const ASN1_STRING *name_common_name(const X509_NAME *name)
{
	int i = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
	if (i < 0)
		return NULL;
	return X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i));
}

/* The DNS names and addresses cert is for, or its common name. */
static char *cert_names(X509 *cert)
{
	struct buf b;
	int count = 0;

	buf_init(&b);
	GENERAL_NAMES *names =
		X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
	for (int i = 0; i < sk_GENERAL_NAME_num(names); i++) {
		const GENERAL_NAME *name = sk_GENERAL_NAME_value(names, i);
		char address[INET6_ADDRSTRLEN];
		const char *text = NULL;

		if (name->type == GEN_IPADD) {
			int len = ASN1_STRING_length(name->d.iPAddress);
			const unsigned char *bytes =
				ASN1_STRING_get0_data(name->d.iPAddress);
			if (len == 4 || len == 16)
				text = inet_ntop(len == 4 ? AF_INET : AF_INET6,
				                 bytes, address, sizeof address);
			if (text == NULL)
				continue;
		} else if (name->type != GEN_DNS) {
			continue;
		}
		if (count == VERIFY_MAX_NAMES ||
		    b.len > VERIFY_MAX_NAMES_TEXT) {
			buf_add_str(&b, ", ...");
			break;
		}
		if (count++ > 0)
			buf_add_str(&b, ", ");
		if (text != NULL)
			buf_add_str(&b, text);
		else
			buf_add_asn1(&b, name->d.dNSName);
	}
	GENERAL_NAMES_free(names);
	if (count == 0) {
		const ASN1_STRING *cn = name_common_name(X509_get_subject_name(cert));
		if (cn != NULL)
			buf_add_asn1(&b, cn);
	}
	if (b.len == 0)
		buf_add_str(&b, "?");
	return buf_steal(&b);
}

/* A readable form of an X.509 name: its CN, else the whole name. */
static char *name_text(const X509_NAME *name)
{
	struct buf b;

	buf_init(&b);
	const ASN1_STRING *cn = name_common_name(name);
	if (cn != NULL) {
		buf_add_asn1(&b, cn);
	} else {
		char *line = X509_NAME_oneline(name, NULL, 0);
		if (line != NULL)
			buf_add_printable(&b, (const unsigned char *)line,
			                  strlen(line));
		OPENSSL_free(line);
	}
	if (b.len == 0)
		buf_add_str(&b, "?");
	return buf_steal(&b);
}

static char *time_text(const ASN1_TIME *when)
{
	struct tm tm;
	char text[64];

	if (when == NULL || ASN1_TIME_to_tm(when, &tm) != 1 ||
	    strftime(text, sizeof text, "%Y-%m-%d %H:%M UTC", &tm) == 0)
		return xstrdup("?");
	return xstrdup(text);
}

/* Fill failure from the store's error after X509_verify_cert() failed. */
static void verify_describe(X509_STORE_CTX *store, X509 *leaf,
                            struct net_verify_failure *failure)
{
	int error = X509_STORE_CTX_get_error(store);
	X509 *at = X509_STORE_CTX_get_current_cert(store);

	if (at == NULL)
		at = leaf;
	switch (error) {
	case X509_V_ERR_HOSTNAME_MISMATCH:
	case X509_V_ERR_IP_ADDRESS_MISMATCH:
		failure->kind = NET_VERIFY_NAME_MISMATCH;
		failure->names = cert_names(leaf);
		break;
	case X509_V_ERR_CERT_HAS_EXPIRED:
		failure->kind = NET_VERIFY_EXPIRED;
		failure->date = time_text(X509_get0_notAfter(at));
		break;
	case X509_V_ERR_CERT_NOT_YET_VALID:
		failure->kind = NET_VERIFY_NOT_YET_VALID;
		failure->date = time_text(X509_get0_notBefore(at));
		break;
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
		failure->kind = NET_VERIFY_SELF_SIGNED;
		break;
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
		/* The chain ends in a root the store does not trust. */
		failure->kind = NET_VERIFY_UNKNOWN_ISSUER;
		failure->issuer = name_text(X509_get_subject_name(at));
		break;
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
		failure->kind = NET_VERIFY_UNKNOWN_ISSUER;
		failure->issuer = name_text(X509_get_issuer_name(at));
		break;
	default:
		failure->kind = NET_VERIFY_OTHER;
		failure->reason = xstrdup(X509_verify_cert_error_string(error));
		break;
	}
}

/*
 * Replaces OpenSSL's whole chain verification for one handshake (see
 * SSL_CTX_set_cert_verify_callback): returns 1 to accept.
 */
static int verify_callback(X509_STORE_CTX *store, void *arg)
{
	struct net_verify_state *state = arg;
	unsigned char digest[NET_SHA256_LEN];

	if (state == NULL) {
		/* Verification outside the handshake we set up. */
		X509_STORE_CTX_set_error(store,
		                         X509_V_ERR_APPLICATION_VERIFICATION);
		return 0;
	}
	state->called = true;
	net_verify_failure_clear(&state->failure);
	X509 *leaf = X509_STORE_CTX_get0_cert(store);
	if (leaf == NULL || net_fingerprint_digest(leaf, digest) != 0) {
		state->failure.kind = NET_VERIFY_NO_CERTIFICATE;
		X509_STORE_CTX_set_error(store,
		                         X509_V_ERR_APPLICATION_VERIFICATION);
		return 0;
	}
	net_fingerprint_format(digest, state->failure.fingerprint);
	if (state->pinned) {
		/* An explicit pin replaces chain and name checks. */
		if (net_fingerprint_equal(digest, state->pin)) {
			X509_STORE_CTX_set_error(store, X509_V_OK);
			return 1;
		}
		state->failure.kind = NET_VERIFY_PIN_MISMATCH;
		net_fingerprint_format(state->pin, state->failure.expected);
		X509_STORE_CTX_set_error(store,
		                         X509_V_ERR_APPLICATION_VERIFICATION);
		return 0;
	}
	if (X509_verify_cert(store) > 0)
		return 1;
	verify_describe(store, leaf, &state->failure);
	if (X509_STORE_CTX_get_error(store) == X509_V_OK)
		X509_STORE_CTX_set_error(store,
		                         X509_V_ERR_APPLICATION_VERIFICATION);
	return 0;
}

void net_verify_install(SSL_CTX *ctx, struct net_verify_state *state)
{
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	SSL_CTX_set_cert_verify_callback(ctx, verify_callback, state);
}

void net_verify_failure_clear(struct net_verify_failure *failure)
{
	free(failure->names);
	free(failure->date);
	free(failure->issuer);
	free(failure->reason);
	*failure = (struct net_verify_failure){.kind = NET_VERIFY_OK};
}

static const char *or_unknown(const char *text)
{
	return text != NULL && text[0] != '\0' ? text : "?";
}

void net_verify_message(const struct net_verify_failure *failure,
                        const char *host, struct rowan_err *err)
{
	const char *fingerprint = or_unknown(failure->fingerprint);

	switch (failure->kind) {
	case NET_VERIFY_OK:
		rowan_err_set(err, ROWAN_ERR_TLS,
		              _("%s: certificate verification failed"), host);
		break;
	case NET_VERIFY_NAME_MISMATCH:
		rowan_err_set(err, ROWAN_ERR_TLS,
		              /* L10N: host, the names in the certificate,
		                 its fingerprint.  tls_fingerprint is an rc
		                 file setting. */
		              _("%s: certificate name mismatch (certificate is for %s); its SHA-256 fingerprint is %s; set tls_fingerprint to trust it"),
		              host, or_unknown(failure->names), fingerprint);
		break;
	case NET_VERIFY_EXPIRED:
		rowan_err_set(err, ROWAN_ERR_TLS,
		              _("%s: certificate has expired (valid until %s); its SHA-256 fingerprint is %s; set tls_fingerprint to trust it"),
		              host, or_unknown(failure->date), fingerprint);
		break;
	case NET_VERIFY_NOT_YET_VALID:
		rowan_err_set(err, ROWAN_ERR_TLS,
		              _("%s: certificate is not yet valid (valid from %s); its SHA-256 fingerprint is %s; set tls_fingerprint to trust it"),
		              host, or_unknown(failure->date), fingerprint);
		break;
	case NET_VERIFY_UNKNOWN_ISSUER:
		rowan_err_set(err, ROWAN_ERR_TLS,
		              /* L10N: tls_ca_file and tls_fingerprint are rc
		                 file settings. */
		              _("%s: certificate issuer is unknown (issued by %s, not a trusted certificate authority); its SHA-256 fingerprint is %s; set tls_ca_file or tls_fingerprint to trust it"),
		              host, or_unknown(failure->issuer), fingerprint);
		break;
	case NET_VERIFY_SELF_SIGNED:
		rowan_err_set(err, ROWAN_ERR_TLS,
		              _("%s: certificate is self-signed; its SHA-256 fingerprint is %s; set tls_fingerprint to trust it"),
		              host, fingerprint);
		break;
	case NET_VERIFY_PIN_MISMATCH:
		rowan_err_set(err, ROWAN_ERR_TLS,
		              _("%s: certificate fingerprint mismatch (expected %s, the server's is %s); if the server's certificate was changed on purpose, update tls_fingerprint"),
		              host, or_unknown(failure->expected), fingerprint);
		break;
	case NET_VERIFY_NO_CERTIFICATE:
		rowan_err_set(err, ROWAN_ERR_TLS,
		              _("%s: the server sent no certificate"), host);
		break;
	case NET_VERIFY_OTHER:
		rowan_err_set(err, ROWAN_ERR_TLS,
		              _("%s: certificate verification failed (%s); its SHA-256 fingerprint is %s; set tls_fingerprint to trust it"),
		              host, or_unknown(failure->reason), fingerprint);
		break;
	}
}
