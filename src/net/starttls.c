/*
 * starttls: upgrading plaintext IMAP (STARTTLS), POP3 (STLS) and SMTP
 * (STARTTLS) sessions to TLS.  The command goes through libetpan; any
 * byte the server sends after its answer is refused (response injection,
 * CVE-2020-15953); the handshake runs on the same socket; capabilities
 * learned in plaintext are thrown away.  Every failure closes the
 * connection: there is no falling back to plaintext.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "net/internal.h"

static void starttls_not_offered(const char *label, struct rowan_err *err)
{
	rowan_err_set(err, ROWAN_ERR_TLS,
	              /* L10N: "tls = none" is an rc file setting. */
	              _("%s: server does not offer STARTTLS; refusing to send credentials without TLS (set tls = none to allow a plaintext connection)"),
	              label);
}

static void starttls_refused(const char *label, const char *server_text,
                             struct rowan_err *err)
{
	char text[256];

	net_text_clean(server_text, text, sizeof text);
	rowan_err_set(err, ROWAN_ERR_SERVER,
	              _("%s: the server refused to start TLS: %s"), label, text);
}

/* ASCII case-insensitive string equality. */
static bool equals_ascii(const char *a, const char *b)
{
	for (;; a++, b++) {
		char x = *a, y = *b;
		if (x >= 'a' && x <= 'z')
			x = (char)(x - 'a' + 'A');
		if (y >= 'a' && y <= 'z')
			y = (char)(y - 'a' + 'A');
		if (x != y)
			return false;
		if (x == '\0')
			return true;
	}
}

static bool imap_offers_starttls(mailimap *imap)
{
	if (imap->imap_connection_info == NULL ||
	    imap->imap_connection_info->imap_capability == NULL)
		return false;
	clist *list = imap->imap_connection_info->imap_capability->cap_list;
	for (clistiter *cur = clist_begin(list); cur != NULL;
	     cur = clist_next(cur)) {
		struct mailimap_capability *cap = clist_content(cur);
		if (cap->cap_type == MAILIMAP_CAPABILITY_NAME &&
		    equals_ascii(cap->cap_data.cap_name, "STARTTLS"))
			return true;
	}
	return false;
}

/* Ask for CAPABILITY; libetpan keeps the answer in the session. */
static int imap_refresh_capabilities(mailimap *imap, struct rowan_err *err)
{
	struct mailimap_capability_data *caps = NULL;
	int r = mailimap_capability(imap, &caps);

	if (r != MAILIMAP_NO_ERROR) {
		net_imap_explain(imap, r, err);
		return -1;
	}
	mailimap_capability_data_free(caps);
	return 0;
}

int net_imap_starttls(mailimap *imap, const char *host,
                      const struct net_options *opts, struct rowan_err *err)
{
	int result = -1;

	if (imap->imap_stream == NULL) {
		rowan_err_set(err, ROWAN_ERR_INTERNAL, _("%s: not connected"),
		              host);
		return -1;
	}
	/* The label belongs to the plaintext driver, which goes away. */
	char *label = xstrdup(net_stream_label(imap->imap_stream));
	if (imap->imap_state != MAILIMAP_STATE_NON_AUTHENTICATED) {
		rowan_err_set(err, ROWAN_ERR_TLS,
		              _("%s: the server logged us in (PREAUTH) before TLS was started; refusing to continue without TLS"),
		              label);
		goto out;
	}
	if (!imap_offers_starttls(imap) &&
	    imap_refresh_capabilities(imap, err) != 0)
		goto out;
	if (!imap_offers_starttls(imap)) {
		starttls_not_offered(label, err);
		goto out;
	}
	int r = mailimap_starttls(imap);
	/* First: bytes after the answer mean injection, whatever r says
	 * (Debian's libetpan returns MAILIMAP_ERROR_STARTTLS for them). */
	if (net_stream_check_quiet(imap->imap_stream, err) != 0)
		goto out;
	if (r == MAILIMAP_ERROR_STARTTLS) {
		starttls_refused(label, imap->imap_response, err);
		goto out;
	}
	if (r != MAILIMAP_NO_ERROR) {
		net_imap_explain(imap, r, err);
		goto out;
	}
	if (net_stream_starttls(imap->imap_stream, host, opts, err) != 0)
		goto out;
	/* Forget what the server said in plaintext. */
	if (imap_refresh_capabilities(imap, err) != 0)
		goto out;
	result = 0;

out:
	if (result != 0)
		net_imap_drop(imap);
	free(label);
	return result;
}

/* Does the CAPA list contain name? */
static bool pop3_capa_has(clist *capabilities, const char *name)
{
	for (clistiter *cur = clist_begin(capabilities); cur != NULL;
	     cur = clist_next(cur)) {
		struct mailpop3_capa *capa = clist_content(cur);
		if (capa->cap_name != NULL && equals_ascii(capa->cap_name, name))
			return true;
	}
	return false;
}

int net_pop3_stls(mailpop3 *pop3, const char *host,
                  const struct net_options *opts, struct rowan_err *err)
{
	int result = -1;
	clist *capabilities = NULL;

	if (pop3->pop3_stream == NULL) {
		rowan_err_set(err, ROWAN_ERR_INTERNAL, _("%s: not connected"),
		              host);
		return -1;
	}
	char *label = xstrdup(net_stream_label(pop3->pop3_stream));
	int r = mailpop3_capa(pop3, &capabilities);
	bool offered = false;
	if (r == MAILPOP3_NO_ERROR) {
		offered = pop3_capa_has(capabilities, "STLS");
		mailpop3_capa_resp_free(capabilities);
		capabilities = NULL;
	} else if (r != MAILPOP3_ERROR_CAPA_NOT_SUPPORTED) {
		net_pop3_explain(pop3, r, err);
		goto out;
	}
	if (!offered) {
		starttls_not_offered(label, err);
		goto out;
	}
	r = mailpop3_stls(pop3);
	/* Debian's libetpan returns MAILPOP3_ERROR_SSL for injected bytes. */
	if (net_stream_check_quiet(pop3->pop3_stream, err) != 0)
		goto out;
	if (r == MAILPOP3_ERROR_STREAM) {
		net_pop3_explain(pop3, r, err);
		goto out;
	}
	if (r != MAILPOP3_NO_ERROR) {
		starttls_refused(label, pop3->pop3_response, err);
		goto out;
	}
	if (net_stream_starttls(pop3->pop3_stream, host, opts, err) != 0)
		goto out;
	/* Ask again under TLS; what was said before does not count. */
	r = mailpop3_capa(pop3, &capabilities);
	if (r != MAILPOP3_NO_ERROR) {
		net_pop3_explain(pop3, r, err);
		goto out;
	}
	mailpop3_capa_resp_free(capabilities);
	result = 0;

out:
	if (result != 0)
		net_pop3_drop(pop3);
	free(label);
	return result;
}

int net_smtp_starttls(mailsmtp *smtp, const char *host,
                      const struct net_options *opts, struct rowan_err *err)
{
	int result = -1;

	if (smtp->stream == NULL) {
		rowan_err_set(err, ROWAN_ERR_INTERNAL, _("%s: not connected"),
		              host);
		return -1;
	}
	char *label = xstrdup(net_stream_label(smtp->stream));
	if ((smtp->esmtp & MAILSMTP_ESMTP_STARTTLS) == 0) {
		starttls_not_offered(label, err);
		goto out;
	}
	int r = mailesmtp_starttls(smtp);
	/* Debian's libetpan returns MAILSMTP_ERROR_SSL for injected bytes. */
	if (net_stream_check_quiet(smtp->stream, err) != 0)
		goto out;
	if (r == MAILSMTP_ERROR_STREAM) {
		net_smtp_explain(smtp, r, err);
		goto out;
	}
	if (r != MAILSMTP_NO_ERROR) {
		starttls_refused(label, smtp->response, err);
		goto out;
	}
	if (net_stream_starttls(smtp->stream, host, opts, err) != 0)
		goto out;
	/* A new EHLO resets the extensions learned in plaintext. */
	if (net_smtp_ehlo(smtp, err) != 0)
		goto out;
	result = 0;

out:
	if (result != 0)
		net_smtp_drop(smtp);
	free(label);
	return result;
}
