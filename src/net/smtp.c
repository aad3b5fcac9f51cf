/*
 * smtp: the SMTP greeting and EHLO, done here rather than by libetpan:
 * libetpan's EHLO announces the machine's host name (or fails on IPv6),
 * and its connect closes the stream on failure, losing the reason.  The
 * reply ends up in the session (response, esmtp and auth flags, size
 * limit) exactly where libetpan's own functions expect it.
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <libetpan/mailstream_helper.h>

#include "net/internal.h"

/* A reply longer than this many lines is not an honest server. */
#define SMTP_MAX_REPLY_LINES 1000

struct smtp_keyword {
	const char *name;
	int flag;
};

static const struct smtp_keyword smtp_extensions[] = {
	{"EXPN", MAILSMTP_ESMTP_EXPN},
	{"ETRN", MAILSMTP_ESMTP_ETRN},
	{"DSN", MAILSMTP_ESMTP_DSN},
	{"8BITMIME", MAILSMTP_ESMTP_8BITMIME},
	{"STARTTLS", MAILSMTP_ESMTP_STARTTLS},
	{"SIZE", MAILSMTP_ESMTP_SIZE},
	{"PIPELINING", MAILSMTP_ESMTP_PIPELINING},
};

static const struct smtp_keyword smtp_mechanisms[] = {
	{"LOGIN", MAILSMTP_AUTH_LOGIN},
	{"PLAIN", MAILSMTP_AUTH_PLAIN},
	{"CRAM-MD5", MAILSMTP_AUTH_CRAM_MD5},
	{"DIGEST-MD5", MAILSMTP_AUTH_DIGEST_MD5},
	{"GSSAPI", MAILSMTP_AUTH_GSSAPI},
	{"SRP", MAILSMTP_AUTH_SRP},
	{"NTLM", MAILSMTP_AUTH_NTLM},
	{"KERBEROS_V4", MAILSMTP_AUTH_KERBEROS_V4},
};

/* ASCII case-insensitive: is text[0..len) exactly word? */
static bool word_equals(const char *text, size_t len, const char *word)
{
	if (strlen(word) != len)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = text[i];
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c != word[i])
			return false;
	}
	return true;
}

static int keyword_flag(const struct smtp_keyword *table, size_t count,
                        const char *text, size_t len)
{
	for (size_t i = 0; i < count; i++)
		if (word_equals(text, len, table[i].name))
			return table[i].flag;
	return 0;
}

/* The mechanisms after "AUTH " (or the old "AUTH="), up to end. */
static int smtp_parse_mechanisms(const char *p, const char *end)
{
	int flags = 0;

	while (p < end) {
		while (p < end && *p == ' ')
			p++;
		const char *word = p;
		while (p < end && *p != ' ')
			p++;
		flags |= keyword_flag(smtp_mechanisms,
		                      sizeof smtp_mechanisms / sizeof smtp_mechanisms[0],
		                      word, (size_t)(p - word));
	}
	return flags;
}

/* Set the session's extension flags from an EHLO reply. */
static void smtp_parse_extensions(mailsmtp *smtp)
{
	smtp->esmtp = MAILSMTP_ESMTP;
	smtp->auth = MAILSMTP_AUTH_CHECKED;
	smtp->smtp_max_msg_size = 0;
	/* The first line names the server; each further one is a keyword
	 * and its parameters. */
	const char *line = strchr(smtp->response, '\n');
	while (line != NULL && *++line != '\0') {
		const char *end = strchr(line, '\n');
		if (end == NULL)
			end = line + strlen(line);
		const char *p = line;
		while (p < end && *p != ' ' && *p != '=')
			p++;
		size_t len = (size_t)(p - line);
		if (word_equals(line, len, "AUTH")) {
			smtp->auth |= smtp_parse_mechanisms(p + 1 <= end ? p + 1 : end, end);
		} else {
			int flag = keyword_flag(smtp_extensions,
			                        sizeof smtp_extensions / sizeof smtp_extensions[0],
			                        line, len);
			smtp->esmtp |= flag;
			if (flag == MAILSMTP_ESMTP_SIZE && p < end)
				smtp->smtp_max_msg_size = strtoul(p, NULL, 10);
		}
		line = *end != '\0' ? end : NULL;
	}
}

/* The last reply's code and text on one line, for messages. */
static void smtp_reply_text(mailsmtp *smtp, char *out, size_t size)
{
	char text[200];

	net_text_clean(smtp->response, text, sizeof text);
	snprintf(out, size, "%d %s", smtp->response_code, text);
}

/*
 * Read one reply: its lines' text (after the code) joined by newlines in
 * smtp->response, as libetpan does.  Returns the code, or -1 with err
 * filled.
 */
static int smtp_read_reply(mailsmtp *smtp, struct rowan_err *err)
{
	int code = 0;

	if (mmap_string_assign(smtp->response_buffer, "") == NULL)
		abort(); /* out of memory */
	for (int lines = 0;; lines++) {
		char *line = mailstream_read_line_remove_eol(smtp->stream,
		                                             smtp->line_buffer);
		if (line == NULL) {
			net_smtp_explain(smtp, MAILSMTP_ERROR_STREAM, err);
			return -1;
		}
		char separator = line[0] != '\0' && line[1] != '\0' &&
		                 line[2] != '\0' ? line[3] : 'x';
		if (lines == SMTP_MAX_REPLY_LINES ||
		    line[0] < '1' || line[0] > '5' ||
		    line[1] < '0' || line[1] > '9' ||
		    line[2] < '0' || line[2] > '9' ||
		    (separator != '\0' && separator != ' ' && separator != '-')) {
			rowan_err_set(err, ROWAN_ERR_PROTOCOL,
			              _("%s: the server's response could not be understood"),
			              net_stream_label(smtp->stream));
			return -1;
		}
		code = (line[0] - '0') * 100 + (line[1] - '0') * 10 +
		       (line[2] - '0');
		if (mmap_string_append(smtp->response_buffer,
		                       separator != '\0' ? line + 4 : "") == NULL ||
		    mmap_string_append_c(smtp->response_buffer, '\n') == NULL)
			abort(); /* out of memory */
		if (separator != '-')
			break;
	}
	smtp->response = smtp->response_buffer->str;
	smtp->response_code = code;
	return code;
}

int net_smtp_greeting(mailsmtp *smtp, mailstream *stream,
                      struct rowan_err *err)
{
	char reply[256];

	smtp->stream = stream;
	int code = smtp_read_reply(smtp, err);
	if (code < 0)
		return -1;
	if (code != 220) {
		smtp_reply_text(smtp, reply, sizeof reply);
		rowan_err_set(err, ROWAN_ERR_SERVER,
		              _("%s: the server refused the connection: %s"),
		              net_stream_label(stream), reply);
		return -1;
	}
	return 0;
}

/* "[192.0.2.1]" or "[IPv6:2001:db8::1]": our end of the connection. */
static void smtp_client_name(mailsmtp *smtp, char *out, size_t size)
{
	struct sockaddr_storage address;
	socklen_t len = sizeof address;
	char text[INET6_ADDRSTRLEN];
	int fd = mailstream_low_get_fd(mailstream_get_low(smtp->stream));

	snprintf(out, size, "[127.0.0.1]");
	if (fd < 0 || getsockname(fd, (struct sockaddr *)&address, &len) != 0)
		return;
	if (address.ss_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)&address;
		if (inet_ntop(AF_INET, &in->sin_addr, text, sizeof text) != NULL)
			snprintf(out, size, "[%s]", text);
	} else if (address.ss_family == AF_INET6) {
		const struct sockaddr_in6 *in6 =
			(const struct sockaddr_in6 *)&address;
		if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
			if (inet_ntop(AF_INET, &in6->sin6_addr.s6_addr[12], text,
			              sizeof text) != NULL)
				snprintf(out, size, "[%s]", text);
		} else if (inet_ntop(AF_INET6, &in6->sin6_addr, text,
		                     sizeof text) != NULL) {
			snprintf(out, size, "[IPv6:%s]", text);
		}
	}
}

int net_smtp_ehlo(mailsmtp *smtp, struct rowan_err *err)
{
	char name[INET6_ADDRSTRLEN + 16];
	char command[sizeof name + 16];
	char reply[256];

	if (smtp->stream == NULL) {
		rowan_err_set(err, ROWAN_ERR_INTERNAL,
		              _("%s: not connected"), "SMTP");
		return -1;
	}
	smtp_client_name(smtp, name, sizeof name);
	int len = snprintf(command, sizeof command, "EHLO %s\r\n", name);
	if (mailstream_write(smtp->stream, command, (size_t)len) != len ||
	    mailstream_flush(smtp->stream) != 0) {
		net_smtp_explain(smtp, MAILSMTP_ERROR_STREAM, err);
		return -1;
	}
	int code = smtp_read_reply(smtp, err);
	if (code < 0)
		return -1;
	if (code != 250) {
		smtp_reply_text(smtp, reply, sizeof reply);
		rowan_err_set(err, ROWAN_ERR_SERVER,
		              _("%s: the server refused EHLO: %s"),
		              net_stream_label(smtp->stream), reply);
		return -1;
	}
	smtp_parse_extensions(smtp);
	return 0;
}
