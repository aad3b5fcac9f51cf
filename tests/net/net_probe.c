/*
 * net_probe: drive Rowan's connection layer (src/net/) against a real or
 * a scripted server, for the integration tests.  It connects, upgrades
 * with STARTTLS when asked, logs in through libetpan and prints one line:
 *
 *   OK tls=TLSv1.3 caps=IMAP4rev1,STARTTLS,...
 *   ERROR class=tls: localhost: certificate is self-signed; ...
 *
 * Exit status 0 on success, 1 on failure (reversed by --expect-fail),
 * 2 on bad usage.
 */
#include "config.h"

#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libetpan/mailstream_helper.h>

#include "net/net.h"

enum probe_action {
	PROBE_LOGIN,    /* connect (+ STARTTLS) (+ login if --user) */
	PROBE_FETCH,    /* IMAP: also SELECT INBOX, UID FETCH 1:* BODY[] */
	PROBE_SEND,     /* SMTP: also send one message */
	PROBE_RAW,      /* just the stream: read lines until it fails */
};

struct probe {
	enum net_protocol protocol;
	enum net_security security;
	const char *host;
	unsigned short port;
	const char *user;
	const char *password;
	enum probe_action action;
	int cancel_after_ms;
	bool signals;       /* interrupt the main thread with signals */
	bool compress;      /* IMAP: COMPRESS=DEFLATE after logging in */
	struct net_options options;
	struct buf caps;
	const char *tls;
	long count;         /* messages fetched, lines read */
};

static void usage(FILE *out)
{
	fprintf(out,
	        "usage: net_probe --protocol imap|pop3|smtp --security imaps|starttls|none\n"
	        "                 --host H --port P [--ca FILE] [--fingerprint FP]\n"
	        "                 [--user U --password P] [--timeout S]\n"
	        "                 [--max-line N] [--max-literal N]\n"
	        "                 [--fetch | --send | --raw] [--cancel-after MS]\n"
	        "                 [--signals] [--compress]\n"
	        "                 [--expect-fail]\n");
}

static void caps_add(struct probe *probe, const char *prefix, const char *name)
{
	if (probe->caps.len > 0)
		buf_add_char(&probe->caps, ',');
	buf_add_str(&probe->caps, prefix);
	buf_add_str(&probe->caps, name);
}

/* ---- IMAP ---- */

static void imap_collect_caps(struct probe *probe, mailimap *imap)
{
	if (imap->imap_connection_info == NULL ||
	    imap->imap_connection_info->imap_capability == NULL)
		return;
	clist *list = imap->imap_connection_info->imap_capability->cap_list;
	for (clistiter *cur = clist_begin(list); cur != NULL;
	     cur = clist_next(cur)) {
		struct mailimap_capability *cap = clist_content(cur);
		if (cap->cap_type == MAILIMAP_CAPABILITY_AUTH_TYPE)
			caps_add(probe, "AUTH=", cap->cap_data.cap_auth_type);
		else
			caps_add(probe, "", cap->cap_data.cap_name);
	}
}

/* Fill err for a failed IMAP command other than connecting. */
static void imap_fail(mailimap *imap, const char *what, int r,
                      struct rowan_err *err)
{
	if (net_stream_error(imap->imap_stream, err) != ROWAN_ERR_NONE)
		return;
	rowan_err_set(err, r == MAILIMAP_ERROR_LOGIN ? ROWAN_ERR_AUTH
	                                             : ROWAN_ERR_SERVER,
	              "%s failed (libetpan code %d)", what, r);
}

static int imap_fetch_all(struct probe *probe, mailimap *imap,
                          struct rowan_err *err)
{
	clist *result = NULL;
	int r = mailimap_select(imap, "INBOX");
	if (r != MAILIMAP_NO_ERROR) {
		imap_fail(imap, "SELECT", r, err);
		return -1;
	}
	struct mailimap_set *set = mailimap_set_new_interval(1, 0);
	struct mailimap_fetch_type *type =
		mailimap_fetch_type_new_fetch_att_list_empty();
	mailimap_fetch_type_new_fetch_att_list_add(type,
		mailimap_fetch_att_new_uid());
	mailimap_fetch_type_new_fetch_att_list_add(type,
		mailimap_fetch_att_new_body_peek_section(
			mailimap_section_new(NULL)));
	r = mailimap_uid_fetch(imap, set, type, &result);
	mailimap_fetch_type_free(type);
	mailimap_set_free(set);
	if (r != MAILIMAP_NO_ERROR) {
		imap_fail(imap, "UID FETCH", r, err);
		return -1;
	}
	probe->count = clist_count(result);
	mailimap_fetch_list_free(result);
	return 0;
}

/*
 * COMPRESS DEFLATE, then LIST; the byte counts of the compressed stream
 * go to stderr (before LOGOUT, which frees the stream) as
 * "compress wire_in=N plain_in=N wire_out=N plain_out=N".
 */
static int imap_compress(mailimap *imap, struct rowan_err *err)
{
	int r = net_imap_compress(imap, err);
	if (r == 1)
		rowan_err_set(err, ROWAN_ERR_SERVER, "COMPRESS=DEFLATE not offered");
	if (r != 0)
		return -1;
	clist *list = NULL;
	r = mailimap_list(imap, "", "*", &list);
	if (r != MAILIMAP_NO_ERROR) {
		imap_fail(imap, "LIST", r, err);
		return -1;
	}
	mailimap_list_result_free(list);
	return 0;
}

static void imap_compress_report(mailimap *imap)
{
	struct net_compress_stats stats;
	if (net_stream_compression_stats(imap->imap_stream, &stats))
		fprintf(stderr, "compress wire_in=%llu plain_in=%llu wire_out=%llu plain_out=%llu\n",
		        (unsigned long long)stats.wire_in, (unsigned long long)stats.plain_in,
		        (unsigned long long)stats.wire_out, (unsigned long long)stats.plain_out);
}

static int run_imap(struct probe *probe, struct rowan_err *err)
{
	mailimap *imap = NULL;
	int result = -1;

	if (net_imap_connect(probe->host, probe->port, probe->security,
	                     &probe->options, &imap, err) != 0)
		return -1;
	probe->tls = net_stream_tls_version(imap->imap_stream);
	imap_collect_caps(probe, imap);
	if (probe->user != NULL &&
	    imap->imap_state == MAILIMAP_STATE_NON_AUTHENTICATED) {
		int r = mailimap_login(imap, probe->user, probe->password);
		if (r != MAILIMAP_NO_ERROR) {
			imap_fail(imap, "LOGIN", r, err);
			goto out;
		}
	}
	if (probe->compress && imap_compress(imap, err) != 0)
		goto out;
	if (probe->action == PROBE_FETCH && imap_fetch_all(probe, imap, err) != 0)
		goto out;
	imap_compress_report(imap);
	int r = mailimap_logout(imap);
	if (probe->compress && r != MAILIMAP_NO_ERROR) {
		imap_fail(imap, "LOGOUT", r, err);
		goto out;
	}
	result = 0;

out:
	if (imap->imap_stream != NULL && result != 0) {
		mailstream_close(imap->imap_stream);
		imap->imap_stream = NULL;
	}
	mailimap_free(imap);
	return result;
}

/* ---- POP3 ---- */

static int run_pop3(struct probe *probe, struct rowan_err *err)
{
	mailpop3 *pop3 = NULL;
	clist *capabilities = NULL;
	int result = -1;

	if (net_pop3_connect(probe->host, probe->port, probe->security,
	                     &probe->options, &pop3, err) != 0)
		return -1;
	probe->tls = net_stream_tls_version(pop3->pop3_stream);
	if (mailpop3_capa(pop3, &capabilities) == MAILPOP3_NO_ERROR) {
		for (clistiter *cur = clist_begin(capabilities); cur != NULL;
		     cur = clist_next(cur)) {
			struct mailpop3_capa *capa = clist_content(cur);
			caps_add(probe, "", capa->cap_name);
		}
		mailpop3_capa_resp_free(capabilities);
	}
	if (probe->user != NULL) {
		int r = mailpop3_user(pop3, probe->user);
		if (r == MAILPOP3_NO_ERROR)
			r = mailpop3_pass(pop3, probe->password);
		if (r != MAILPOP3_NO_ERROR) {
			if (net_stream_error(pop3->pop3_stream, err) == ROWAN_ERR_NONE)
				rowan_err_set(err, ROWAN_ERR_AUTH,
				              "USER/PASS failed (libetpan code %d)", r);
			goto out;
		}
	}
	mailpop3_quit(pop3);
	result = 0;

out:
	if (pop3->pop3_stream != NULL && result != 0) {
		mailstream_close(pop3->pop3_stream);
		pop3->pop3_stream = NULL;
		free(pop3->pop3_timestamp);
		pop3->pop3_timestamp = NULL;
	}
	mailpop3_free(pop3);
	return result;
}

/* ---- SMTP ---- */

static void smtp_collect_caps(struct probe *probe, mailsmtp *smtp)
{
	static const struct {
		int flag;
		const char *name;
	} extensions[] = {
		{MAILSMTP_ESMTP_STARTTLS, "STARTTLS"},
		{MAILSMTP_ESMTP_SIZE, "SIZE"},
		{MAILSMTP_ESMTP_8BITMIME, "8BITMIME"},
		{MAILSMTP_ESMTP_PIPELINING, "PIPELINING"},
		{MAILSMTP_ESMTP_DSN, "DSN"},
	}, mechanisms[] = {
		{MAILSMTP_AUTH_PLAIN, "PLAIN"},
		{MAILSMTP_AUTH_LOGIN, "LOGIN"},
		{MAILSMTP_AUTH_CRAM_MD5, "CRAM-MD5"},
	};

	if (smtp->esmtp & MAILSMTP_ESMTP)
		caps_add(probe, "", "ESMTP");
	for (size_t i = 0; i < sizeof extensions / sizeof extensions[0]; i++)
		if (smtp->esmtp & extensions[i].flag)
			caps_add(probe, "", extensions[i].name);
	for (size_t i = 0; i < sizeof mechanisms / sizeof mechanisms[0]; i++)
		if (smtp->auth & mechanisms[i].flag)
			caps_add(probe, "AUTH=", mechanisms[i].name);
}

static int smtp_fail(mailsmtp *smtp, const char *what, int r,
                     struct rowan_err *err)
{
	if (net_stream_error(smtp->stream, err) == ROWAN_ERR_NONE)
		rowan_err_set(err, ROWAN_ERR_SERVER,
		              "%s failed (libetpan code %d): %s", what, r,
		              smtp->response != NULL ? smtp->response : "");
	return -1;
}

static int smtp_send(struct probe *probe, mailsmtp *smtp,
                     struct rowan_err *err)
{
	static const char message[] =
		"From: alice@example.com\r\n"
		"To: bob@example.com\r\n"
		"Subject: net_probe\r\n"
		"\r\n"
		"Sent by Rowan's net_probe.\r\n";
	int r = mailesmtp_mail(smtp, "alice@example.com", 1, NULL);
	if (r != MAILSMTP_NO_ERROR)
		return smtp_fail(smtp, "MAIL FROM", r, err);
	r = mailesmtp_rcpt(smtp, "bob@example.com", 0, NULL);
	if (r != MAILSMTP_NO_ERROR)
		return smtp_fail(smtp, "RCPT TO", r, err);
	r = mailsmtp_data(smtp);
	if (r != MAILSMTP_NO_ERROR)
		return smtp_fail(smtp, "DATA", r, err);
	r = mailsmtp_data_message(smtp, message, sizeof message - 1);
	if (r != MAILSMTP_NO_ERROR)
		return smtp_fail(smtp, "message", r, err);
	probe->count = 1;
	return 0;
}

static int run_smtp(struct probe *probe, struct rowan_err *err)
{
	mailsmtp *smtp = NULL;
	int result = -1;

	if (net_smtp_connect(probe->host, probe->port, probe->security,
	                     &probe->options, &smtp, err) != 0)
		return -1;
	probe->tls = net_stream_tls_version(smtp->stream);
	smtp_collect_caps(probe, smtp);
	if (probe->user != NULL) {
		const char *mechanism = smtp->auth & MAILSMTP_AUTH_PLAIN
			? "PLAIN" : "LOGIN";
		int r = mailesmtp_auth_sasl(smtp, mechanism, probe->host, NULL,
		                            NULL, probe->user, probe->user,
		                            probe->password, NULL);
		if (r != MAILSMTP_NO_ERROR) {
			smtp_fail(smtp, "AUTH", r, err);
			err->err_class = err->err_class == ROWAN_ERR_SERVER
				? ROWAN_ERR_AUTH : err->err_class;
			goto out;
		}
	}
	if (probe->action == PROBE_SEND && smtp_send(probe, smtp, err) != 0)
		goto out;
	mailsmtp_quit(smtp);
	result = 0;

out:
	if (smtp->stream != NULL && result != 0) {
		mailstream_close(smtp->stream);
		smtp->stream = NULL;
	}
	mailsmtp_free(smtp);
	return result;
}

/* ---- raw stream ---- */

static int run_raw(struct probe *probe, struct rowan_err *err)
{
	mailstream *stream = net_stream_open(probe->host, probe->port,
	                                     probe->security, &probe->options,
	                                     err);
	if (stream == NULL)
		return -1;
	probe->tls = net_stream_tls_version(stream);
	MMAPString *line = mmap_string_new("");
	while (mailstream_read_line(stream, line) != NULL)
		probe->count++;
	/* The server closing the connection is how a raw session ends. */
	int result = 0;
	struct rowan_err stream_err;
	if (net_stream_error(stream, &stream_err) != ROWAN_ERR_NONE &&
	    strstr(stream_err.message, "closed the connection") == NULL) {
		*err = stream_err;
		result = -1;
	}
	mmap_string_free(line);
	mailstream_close(stream);
	return result;
}

/* ---- main ---- */

static void *cancel_thread(void *arg)
{
	struct probe *probe = arg;
	struct timespec delay = {
		.tv_sec = probe->cancel_after_ms / 1000,
		.tv_nsec = (long)(probe->cancel_after_ms % 1000) * 1000000,
	};

	nanosleep(&delay, NULL);
	net_cancel_trigger(probe->options.cancel);
	return NULL;
}

/* Pester the main thread with SIGUSR1 (no SA_RESTART) every 5 ms. */
static pthread_t main_thread;
static atomic_bool probe_done;

static void on_signal(int signo)
{
	(void)signo;
}

static void *signal_thread(void *arg)
{
	(void)arg;
	struct timespec delay = {.tv_sec = 0, .tv_nsec = 5 * 1000000};

	while (!atomic_load(&probe_done)) {
		pthread_kill(main_thread, SIGUSR1);
		nanosleep(&delay, NULL);
	}
	return NULL;
}

static int parse_args(int argc, char **argv, struct probe *probe,
                      bool *expect_fail)
{
	static const struct option options[] = {
		{"protocol", required_argument, NULL, 'P'},
		{"security", required_argument, NULL, 's'},
		{"host", required_argument, NULL, 'h'},
		{"port", required_argument, NULL, 'p'},
		{"ca", required_argument, NULL, 'c'},
		{"fingerprint", required_argument, NULL, 'f'},
		{"user", required_argument, NULL, 'u'},
		{"password", required_argument, NULL, 'w'},
		{"timeout", required_argument, NULL, 't'},
		{"max-line", required_argument, NULL, 'L'},
		{"max-literal", required_argument, NULL, 'l'},
		{"fetch", no_argument, NULL, 'F'},
		{"send", no_argument, NULL, 'S'},
		{"raw", no_argument, NULL, 'R'},
		{"cancel-after", required_argument, NULL, 'C'},
		{"expect-fail", no_argument, NULL, 'x'},
		{"signals", no_argument, NULL, 'g'},
		{"compress", no_argument, NULL, 'z'},
		{NULL, 0, NULL, 0},
	};
	int c;

	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (c) {
		case 'P':
			if (strcmp(optarg, "imap") == 0)
				probe->protocol = NET_PROTOCOL_IMAP;
			else if (strcmp(optarg, "pop3") == 0)
				probe->protocol = NET_PROTOCOL_POP3;
			else if (strcmp(optarg, "smtp") == 0)
				probe->protocol = NET_PROTOCOL_SMTP;
			else
				return -1;
			break;
		case 's':
			if (strcmp(optarg, "imaps") == 0 || strcmp(optarg, "tls") == 0)
				probe->security = NET_SECURITY_IMPLICIT_TLS;
			else if (strcmp(optarg, "starttls") == 0)
				probe->security = NET_SECURITY_STARTTLS;
			else if (strcmp(optarg, "none") == 0)
				probe->security = NET_SECURITY_NONE;
			else
				return -1;
			break;
		case 'h': probe->host = optarg; break;
		case 'p': probe->port = (unsigned short)atoi(optarg); break;
		case 'c': probe->options.ca_file = optarg; break;
		case 'f': probe->options.fingerprint = optarg; break;
		case 'u': probe->user = optarg; break;
		case 'w': probe->password = optarg; break;
		case 't': probe->options.timeout_seconds = atoi(optarg); break;
		case 'L': probe->options.max_line = strtoul(optarg, NULL, 10); break;
		case 'l': probe->options.max_literal = strtoul(optarg, NULL, 10); break;
		case 'F': probe->action = PROBE_FETCH; break;
		case 'S': probe->action = PROBE_SEND; break;
		case 'R': probe->action = PROBE_RAW; break;
		case 'C': probe->cancel_after_ms = atoi(optarg); break;
		case 'x': *expect_fail = true; break;
		case 'g': probe->signals = true; break;
		case 'z': probe->compress = true; break;
		default: return -1;
		}
	}
	if (optind != argc || probe->host == NULL || probe->port == 0 ||
	    (probe->user != NULL && probe->password == NULL))
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	struct probe probe = {.security = NET_SECURITY_IMPLICIT_TLS};
	bool expect_fail = false;
	struct rowan_err err;
	pthread_t canceller, signaller;
	int r;

	/* As in Rowan's main(): OpenSSL writes with write(). */
	signal(SIGPIPE, SIG_IGN);
	if (parse_args(argc, argv, &probe, &expect_fail) != 0) {
		usage(stderr);
		return 2;
	}
	buf_init(&probe.caps);
	rowan_err_clear(&err);
	probe.options.protocol = probe.protocol;
	probe.options.cancel = net_cancel_new();
	if (probe.cancel_after_ms > 0 &&
	    pthread_create(&canceller, NULL, cancel_thread, &probe) != 0)
		probe.cancel_after_ms = 0;
	if (probe.signals) {
		struct sigaction action = {.sa_handler = on_signal};
		sigemptyset(&action.sa_mask);
		sigaction(SIGUSR1, &action, NULL);
		main_thread = pthread_self();
		if (pthread_create(&signaller, NULL, signal_thread, NULL) != 0)
			probe.signals = false;
	}

	if (probe.action == PROBE_RAW)
		r = run_raw(&probe, &err);
	else if (probe.protocol == NET_PROTOCOL_IMAP)
		r = run_imap(&probe, &err);
	else if (probe.protocol == NET_PROTOCOL_POP3)
		r = run_pop3(&probe, &err);
	else
		r = run_smtp(&probe, &err);

	/* One line per verdict, whatever a server put into a message. */
	for (char *p = err.message; *p != '\0'; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	if (r == 0)
		printf("OK tls=%s caps=%s count=%ld\n",
		       probe.tls != NULL ? probe.tls : "none",
		       probe.caps.data != NULL ? probe.caps.data : "",
		       probe.count);
	else
		printf("ERROR class=%s: %s\n", rowan_err_class_name(err.err_class),
		       err.message);
	fflush(stdout);
	if (probe.signals) {
		atomic_store(&probe_done, true);
		pthread_join(signaller, NULL);
	}
	if (probe.cancel_after_ms > 0)
		pthread_join(canceller, NULL);
	net_cancel_free(&probe.options.cancel);
	buf_free(&probe.caps);
	if (expect_fail)
		return r == 0 ? 1 : 0;
	return r == 0 ? 0 : 1;
}
