/*
 * tls: the client side of a TLS handshake with OpenSSL — TLS 1.2 or
 * later, the system trust store plus tls_ca_file, SNI for DNS names,
 * host-name checks without partial wildcards, all bounded by a deadline.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "net/internal.h"

const char *net_tls_error_text(void)
{
	unsigned long code = ERR_peek_last_error();
	const char *reason = code != 0 ? ERR_reason_error_string(code) : NULL;

	return reason != NULL ? reason : "unknown error";
}

/*
 * Trust the system's CA certificates.  Where the system keeps them in a
 * hashed directory (/etc/ssl/certs on Debian), look them up there when a
 * chain is checked instead of parsing the whole bundle file up front,
 * which costs more than a hundred milliseconds at every connection.
 * SSL_CERT_FILE in the environment, or no such directory, loads both.
 */
static int system_trust_load(SSL_CTX *ctx)
{
	struct stat st;
	const char *dir = getenv(X509_get_default_cert_dir_env());
	if (dir == NULL)
		dir = X509_get_default_cert_dir();
	if (getenv(X509_get_default_cert_file_env()) == NULL && dir != NULL &&
	    stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
		return SSL_CTX_set_default_verify_dir(ctx);
	return SSL_CTX_set_default_verify_paths(ctx);
}

static SSL_CTX *tls_context_new(const struct net_options *opts,
                                const char *label, struct rowan_err *err)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());

	if (ctx == NULL) {
		rowan_err_set(err, ROWAN_ERR_TLS, _("%s: cannot set up TLS: %s"),
		              label, net_tls_error_text());
		return NULL;
	}
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
	SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
	                      SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	if (system_trust_load(ctx) != 1) {
		rowan_err_set(err, ROWAN_ERR_TLS,
		              _("%s: cannot load the system's trusted certificates: %s"),
		              label, net_tls_error_text());
		goto fail;
	}
	if (opts != NULL && opts->ca_file != NULL &&
	    SSL_CTX_load_verify_locations(ctx, opts->ca_file, NULL) != 1) {
		rowan_err_set(err, ROWAN_ERR_CONFIG,
		              /* L10N: tls_ca_file is an rc file setting. */
		              _("tls_ca_file %s: cannot load certificates: %s"),
		              opts->ca_file, net_tls_error_text());
		goto fail;
	}
	return ctx;

fail:
	SSL_CTX_free(ctx);
	return NULL;
}

/* Tell ssl which server it must be talking to. */
static int tls_set_peer_name(SSL *ssl, const char *host)
{
	if (net_host_is_ip(host))
		/* No SNI for address literals (RFC 6066, section 3). */
		return X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host)
		       == 1 ? 0 : -1;
	if (SSL_set_tlsext_host_name(ssl, host) != 1)
		return -1;
	SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
	return SSL_set1_host(ssl, host) == 1 ? 0 : -1;
}

/* Explain why SSL_connect() failed with SSL_get_error() code error. */
static void tls_report_failure(const struct net_verify_state *state,
                               int error, int saved_errno, const char *host,
                               const char *label, struct rowan_err *err)
{
	if (state->failure.kind != NET_VERIFY_OK)
		net_verify_message(&state->failure, host, err);
	else if (error == SSL_ERROR_SYSCALL && ERR_peek_last_error() == 0 &&
	         saved_errno != 0)
		rowan_err_set(err, ROWAN_ERR_TLS,
		              _("%s: TLS handshake failed: %s"), label,
		              strerror(saved_errno));
	else if ((error == SSL_ERROR_SYSCALL || error == SSL_ERROR_ZERO_RETURN) &&
	         ERR_peek_last_error() == 0)
		rowan_err_set(err, ROWAN_ERR_TLS,
		              _("%s: the server closed the connection during the TLS handshake"),
		              label);
	else
		rowan_err_set(err, ROWAN_ERR_TLS,
		              _("%s: TLS handshake failed (%s)"), label,
		              net_tls_error_text());
}

SSL *net_tls_handshake(int fd, const char *host, const char *label,
                       const struct net_options *opts,
                       const struct net_cancel *cancel,
                       struct rowan_err *err)
{
	SSL *result = NULL;
	SSL *ssl = NULL;
	SSL_CTX *ctx = NULL;
	struct net_verify_state state = {.pinned = false};
	int timeout = net_options_timeout(opts);

	if (opts != NULL && opts->fingerprint != NULL) {
		if (net_fingerprint_parse(opts->fingerprint, state.pin) != 0) {
			rowan_err_set(err, ROWAN_ERR_CONFIG,
			              /* L10N: tls_fingerprint is an rc file
			                 setting; keep "sha256:" as it is. */
			              _("tls_fingerprint \"%s\" is not a SHA-256 fingerprint (expected sha256: followed by 64 hexadecimal digits)"),
			              opts->fingerprint);
			goto out;
		}
		state.pinned = true;
	}
	ERR_clear_error();
	ctx = tls_context_new(opts, label, err);
	if (ctx == NULL)
		goto out;
	net_verify_install(ctx, &state);
	ssl = SSL_new(ctx);
	if (ssl == NULL || SSL_set_fd(ssl, fd) != 1 ||
	    tls_set_peer_name(ssl, host) != 0) {
		rowan_err_set(err, ROWAN_ERR_TLS, _("%s: cannot set up TLS: %s"),
		              label, net_tls_error_text());
		goto out;
	}

	int64_t deadline = net_clock_ms() + (int64_t)timeout * 1000;
	for (;;) {
		ERR_clear_error();
		errno = 0;
		int r = SSL_connect(ssl);
		if (r == 1)
			break;
		int saved_errno = errno;
		int error = SSL_get_error(ssl, r);
		short events;
		if (error == SSL_ERROR_WANT_READ) {
			events = POLLIN;
		} else if (error == SSL_ERROR_WANT_WRITE) {
			events = POLLOUT;
		} else {
			tls_report_failure(&state, error, saved_errno, host,
			                   label, err);
			goto out;
		}
		switch (net_io_wait(fd, events, cancel, deadline)) {
		case NET_WAIT_READY:
			continue;
		case NET_WAIT_TIMEOUT:
			rowan_err_set(err, ROWAN_ERR_TLS,
			              _("%s: TLS handshake timed out after %d s"),
			              label, timeout);
			goto out;
		case NET_WAIT_CANCELLED:
			rowan_err_set(err, ROWAN_ERR_NET,
			              _("%s: connection cancelled"), label);
			goto out;
		case NET_WAIT_ERROR:
			rowan_err_set(err, ROWAN_ERR_NET, _("%s: %s"), label,
			              strerror(errno));
			goto out;
		}
	}
	/* The callback decided; make sure it really ran and agreed. */
	if (!state.called || SSL_get0_peer_certificate(ssl) == NULL ||
	    SSL_get_verify_result(ssl) != X509_V_OK) {
		net_verify_message(&state.failure, host, err);
		goto out;
	}
	result = ssl;
	ssl = NULL;

out:
	if (ctx != NULL)
		/* The state lives on this stack frame only. */
		net_verify_install(ctx, NULL);
	net_verify_failure_clear(&state.failure);
	SSL_free(ssl);
	SSL_CTX_free(ctx);
	return result;
}
