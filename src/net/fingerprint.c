/*
 * fingerprint: SHA-256 certificate fingerprints — parsing the
 * tls_fingerprint pin, formatting "sha256:AB:CD:...", comparing.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "net/internal.h"

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* ASCII-only, case-insensitive prefix test (the locale must not matter). */
static bool has_prefix_ascii(const char *text, const char *prefix)
{
	for (; *prefix != '\0'; text++, prefix++) {
		char c = *text;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != *prefix)
			return false;
	}
	return true;
}

int net_fingerprint_parse(const char *text,
                          unsigned char digest[NET_SHA256_LEN])
{
	if (text == NULL)
		return -1;
	const char *p = text;
	if (has_prefix_ascii(p, "sha256:"))
		p += strlen("sha256:");
	for (size_t i = 0; i < NET_SHA256_LEN; i++) {
		if (i > 0 && *p == ':')
			p++;
		int high = hex_value(p[0]);
		int low = high < 0 ? -1 : hex_value(p[1]);
		if (low < 0)
			return -1;
		digest[i] = (unsigned char)(high << 4 | low);
		p += 2;
	}
	return *p == '\0' ? 0 : -1;
}

void net_fingerprint_format(const unsigned char digest[NET_SHA256_LEN],
                            char out[NET_FINGERPRINT_TEXT_SIZE])
{
	static const char hex[] = "0123456789ABCDEF";
	char *p = out;

	memcpy(p, "sha256:", 7);
	p += 7;
	for (size_t i = 0; i < NET_SHA256_LEN; i++) {
		if (i > 0)
			*p++ = ':';
		*p++ = hex[digest[i] >> 4];
		*p++ = hex[digest[i] & 0x0f];
	}
	*p = '\0';
}

int net_fingerprint_digest(X509 *cert, unsigned char digest[NET_SHA256_LEN])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	if (cert == NULL || X509_digest(cert, EVP_sha256(), md, &len) != 1 ||
	    len != NET_SHA256_LEN)
		return -1;
	memcpy(digest, md, NET_SHA256_LEN);
	return 0;
}

char *net_fingerprint_sha256(X509 *cert)
{
	unsigned char digest[NET_SHA256_LEN];
	char text[NET_FINGERPRINT_TEXT_SIZE];

	if (net_fingerprint_digest(cert, digest) != 0)
		return NULL;
	net_fingerprint_format(digest, text);
	return xstrdup(text);
}

bool net_fingerprint_equal(const unsigned char a[NET_SHA256_LEN],
                           const unsigned char b[NET_SHA256_LEN])
{
	return CRYPTO_memcmp(a, b, NET_SHA256_LEN) == 0;
}
