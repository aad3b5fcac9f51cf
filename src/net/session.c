/*
 * session: one call from host and port to a libetpan IMAP, POP3 or SMTP
 * session that is ready to authenticate — connect, greeting, STARTTLS
 * when asked for, fresh capabilities — and the translation of libetpan's
 * error codes into messages for the user.
 */
#include "config.h"

#include <stdlib.h>

#include "net/internal.h"

void net_imap_drop(mailimap *imap)
{
	if (imap->imap_stream != NULL) {
		mailstream_close(imap->imap_stream);
		imap->imap_stream = NULL;
	}
	imap->imap_state = MAILIMAP_STATE_DISCONNECTED;
}

void net_pop3_drop(mailpop3 *pop3)
{
	if (pop3->pop3_stream != NULL) {
		mailstream_close(pop3->pop3_stream);
		pop3->pop3_stream = NULL;
	}
	/* Only mailpop3_quit() frees it otherwise. */
	free(pop3->pop3_timestamp);
	pop3->pop3_timestamp = NULL;
}

void net_smtp_drop(mailsmtp *smtp)
{
	if (smtp->stream != NULL) {
		mailstream_close(smtp->stream);
		smtp->stream = NULL;
	}
}

void net_imap_explain(mailimap *imap, int code, struct rowan_err *err)
{
	const char *label = net_stream_label(imap->imap_stream);
	char text[256];

	if (net_stream_error(imap->imap_stream, err) != ROWAN_ERR_NONE)
		return;
	switch (code) {
	case MAILIMAP_ERROR_STREAM:
		rowan_err_set(err, ROWAN_ERR_NET,
		              _("%s: the connection was lost"), label);
		break;
	case MAILIMAP_ERROR_PARSE:
		rowan_err_set(err, ROWAN_ERR_PROTOCOL,
		              _("%s: the server's response could not be understood"),
		              label);
		break;
	case MAILIMAP_ERROR_CONNECTION_REFUSED:
		net_text_clean(imap->imap_response, text, sizeof text);
		rowan_err_set(err, ROWAN_ERR_SERVER,
		              _("%s: the server refused the connection: %s"),
		              label, text);
		break;
	default:
		rowan_err_set(err, ROWAN_ERR_PROTOCOL,
		              _("%s: unexpected IMAP error (libetpan code %d)"),
		              label, code);
		break;
	}
}

void net_pop3_explain(mailpop3 *pop3, int code, struct rowan_err *err)
{
	const char *label = net_stream_label(pop3->pop3_stream);
	char text[256];

	if (net_stream_error(pop3->pop3_stream, err) != ROWAN_ERR_NONE)
		return;
	switch (code) {
	case MAILPOP3_ERROR_STREAM:
		rowan_err_set(err, ROWAN_ERR_NET,
		              _("%s: the connection was lost"), label);
		break;
	case MAILPOP3_ERROR_UNAUTHORIZED:
		net_text_clean(pop3->pop3_response, text, sizeof text);
		rowan_err_set(err, ROWAN_ERR_SERVER,
		              _("%s: the server refused the connection: %s"),
		              label, text);
		break;
	default:
		rowan_err_set(err, ROWAN_ERR_PROTOCOL,
		              _("%s: unexpected POP3 error (libetpan code %d)"),
		              label, code);
		break;
	}
}

void net_smtp_explain(mailsmtp *smtp, int code, struct rowan_err *err)
{
	const char *label = net_stream_label(smtp->stream);
	char text[256];

	if (net_stream_error(smtp->stream, err) != ROWAN_ERR_NONE)
		return;
	switch (code) {
	case MAILSMTP_ERROR_STREAM:
		rowan_err_set(err, ROWAN_ERR_NET,
		              _("%s: the connection was lost"), label);
		break;
	case MAILSMTP_ERROR_SERVICE_NOT_AVAILABLE:
	case MAILSMTP_ERROR_CONNECTION_REFUSED:
		net_text_clean(smtp->response, text, sizeof text);
		rowan_err_set(err, ROWAN_ERR_SERVER,
		              _("%s: the server refused the connection: %s"),
		              label, text);
		break;
	default:
		rowan_err_set(err, ROWAN_ERR_PROTOCOL,
		              _("%s: unexpected SMTP error (libetpan code %d)"),
		              label, code);
		break;
	}
}

/* A copy of opts (or the defaults) for protocol. */
static struct net_options session_options(const struct net_options *opts,
                                          enum net_protocol protocol)
{
	struct net_options copy = {.protocol = protocol};

	if (opts != NULL)
		copy = *opts;
	copy.protocol = protocol;
	return copy;
}

int net_imap_connect(const char *host, unsigned short port,
                     enum net_security security,
                     const struct net_options *opts, mailimap **out,
                     struct rowan_err *err)
{
	int result = -1;
	mailimap *imap = NULL;
	struct net_options options = session_options(opts, NET_PROTOCOL_IMAP);

	*out = NULL;
	mailstream *stream = net_stream_open(host, port, security, &options,
	                                     err);
	if (stream == NULL)
		goto out;
	imap = mailimap_new(0, NULL);
	if (imap == NULL)
		abort(); /* out of memory */
	/* From here on imap owns the stream, even if this fails. */
	int r = mailimap_connect(imap, stream);
	if (r != MAILIMAP_NO_ERROR_AUTHENTICATED &&
	    r != MAILIMAP_NO_ERROR_NON_AUTHENTICATED) {
		net_imap_explain(imap, r, err);
		goto out;
	}
	if (security == NET_SECURITY_STARTTLS) {
		if (net_imap_starttls(imap, host, &options, err) != 0)
			goto out;
	} else if (imap->imap_connection_info == NULL ||
	           imap->imap_connection_info->imap_capability == NULL) {
		struct mailimap_capability_data *caps = NULL;
		r = mailimap_capability(imap, &caps);
		if (r != MAILIMAP_NO_ERROR) {
			net_imap_explain(imap, r, err);
			goto out;
		}
		mailimap_capability_data_free(caps);
	}
	*out = imap;
	imap = NULL;
	result = 0;

out:
	if (imap != NULL) {
		net_imap_drop(imap);
		mailimap_free(imap);
	}
	return result;
}

int net_pop3_connect(const char *host, unsigned short port,
                     enum net_security security,
                     const struct net_options *opts, mailpop3 **out,
                     struct rowan_err *err)
{
	int result = -1;
	mailpop3 *pop3 = NULL;
	struct net_options options = session_options(opts, NET_PROTOCOL_POP3);

	*out = NULL;
	mailstream *stream = net_stream_open(host, port, security, &options,
	                                     err);
	if (stream == NULL)
		goto out;
	pop3 = mailpop3_new(0, NULL);
	if (pop3 == NULL)
		abort(); /* out of memory */
	int r = mailpop3_connect(pop3, stream);
	if (r != MAILPOP3_NO_ERROR) {
		net_pop3_explain(pop3, r, err);
		goto out;
	}
	if (security == NET_SECURITY_STARTTLS &&
	    net_pop3_stls(pop3, host, &options, err) != 0)
		goto out;
	*out = pop3;
	pop3 = NULL;
	result = 0;

out:
	if (pop3 != NULL) {
		net_pop3_drop(pop3);
		mailpop3_free(pop3);
	}
	return result;
}

int net_smtp_connect(const char *host, unsigned short port,
                     enum net_security security,
                     const struct net_options *opts, mailsmtp **out,
                     struct rowan_err *err)
{
	int result = -1;
	mailsmtp *smtp = NULL;
	struct net_options options = session_options(opts, NET_PROTOCOL_SMTP);

	*out = NULL;
	mailstream *stream = net_stream_open(host, port, security, &options,
	                                     err);
	if (stream == NULL)
		goto out;
	smtp = mailsmtp_new(0, NULL);
	if (smtp == NULL)
		abort(); /* out of memory */
	/* Not mailsmtp_connect(): it closes the stream on failure, and
	 * with it the reason the stream recorded. */
	if (net_smtp_greeting(smtp, stream, err) != 0)
		goto out;
	if (net_smtp_ehlo(smtp, err) != 0)
		goto out;
	if (security == NET_SECURITY_STARTTLS &&
	    net_smtp_starttls(smtp, host, &options, err) != 0)
		goto out;
	*out = smtp;
	smtp = NULL;
	result = 0;

out:
	if (smtp != NULL) {
		net_smtp_drop(smtp);
		mailsmtp_free(smtp);
	}
	return result;
}
