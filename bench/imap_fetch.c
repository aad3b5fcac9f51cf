/*
 * bench/imap_fetch: how fast a folder's index headers arrive over IMAP,
 * read by Rowan's own FETCH reader (net_imap_uid_fetch_raw) and by
 * libetpan's parser (mailimap_uid_fetch with a msg_att handler, which
 * converts and drops each message as it comes, as an index load would).
 *
 *   bench/imap_fetch [-r raw|libetpan] HOST PORT USER PASSWORD [CA_FILE] [FOLDER]
 *
 * Both fetch "UID FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE
 * BODY.PEEK[HEADER.FIELDS (...)])" with the fields of
 * ENVELOPE_HEADER_FIELDS over IMAPS on one session; the wall time
 * includes the server producing the answer; -r runs only one reader
 * (for a profiler).  Prints one line per reader:
 *
 *   raw      100000 messages  48.9 MB  1.52 s wall  0.31 s cpu  65789 msg/s
 *
 * bench/imap_fetch.py (make bench-fetch) runs it against a private
 * Dovecot with a large generated folder.  Take figures from a build
 * without --enable-sanitizers.
 */
#include "config.h"

#include <signal.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "mail/envelope.h"
#include "net/net.h"
#include "util/util.h"

struct tally {
	uint64_t messages;
	uint64_t header_bytes;
	uint64_t checksum;     /* so that nothing is optimised away */
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_now(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
		(double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static void report(const char *name, const struct tally *t, double wall,
                   double cpu)
{
	printf("%-9s %7llu messages %6.1f MB %6.2f s wall %6.2f s cpu %8.0f msg/s\n",
	       name, (unsigned long long)t->messages,
	       (double)t->header_bytes / 1e6, wall, cpu,
	       wall > 0 ? (double)t->messages / wall : 0.0);
	fflush(stdout);
}

/* ---- Rowan's reader ---- */

static int raw_message(const struct net_imap_fetched *msg, void *ctx)
{
	struct tally *t = ctx;

	t->messages++;
	t->header_bytes += msg->header_len;
	t->checksum += msg->uid + msg->flags + (uint64_t)msg->internaldate +
		msg->size + (msg->header_len > 0 ? (unsigned char)msg->header[0]
		                                 : 0);
	return 0;
}

static int bench_raw(mailimap *imap, struct tally *t, struct rowan_err *err)
{
	struct net_imap_fetch_callbacks cb = {.message = raw_message, .ctx = t};

	return net_imap_uid_fetch_raw(imap, "1:*",
		"UID FLAGS INTERNALDATE RFC822.SIZE "
		"BODY.PEEK[HEADER.FIELDS (" ENVELOPE_HEADER_FIELDS ")]",
		NULL, &cb, err);
}

/* ---- libetpan's parser ---- */

static void etpan_message(struct mailimap_msg_att *att, void *ctx)
{
	struct tally *t = ctx;

	t->messages++;
	for (clistiter *cur = clist_begin(att->att_list); cur != NULL;
	     cur = clist_next(cur)) {
		struct mailimap_msg_att_item *item = clist_content(cur);
		if (item->att_type != MAILIMAP_MSG_ATT_ITEM_STATIC)
			continue;
		struct mailimap_msg_att_static *st = item->att_data.att_static;
		if (st->att_type == MAILIMAP_MSG_ATT_UID) {
			t->checksum += st->att_data.att_uid;
		} else if (st->att_type == MAILIMAP_MSG_ATT_RFC822_SIZE) {
			t->checksum += st->att_data.att_rfc822_size;
		} else if (st->att_type == MAILIMAP_MSG_ATT_BODY_SECTION &&
		           st->att_data.att_body_section->sec_body_part != NULL) {
			t->header_bytes += st->att_data.att_body_section->sec_length;
		}
	}
}

static void etpan_tick(size_t current, size_t maximum, void *ctx)
{
	(void)current;
	(void)maximum;
	(void)ctx;
}

static int bench_etpan(mailimap *imap, struct tally *t)
{
	clist *names = clist_new();
	char *copy = xstrdup(ENVELOPE_HEADER_FIELDS);
	for (char *word = strtok(copy, " "); word != NULL;
	     word = strtok(NULL, " "))
		clist_append(names, xstrdup(word));
	free(copy);
	struct mailimap_fetch_type *type =
		mailimap_fetch_type_new_fetch_att_list_empty();
	mailimap_fetch_type_new_fetch_att_list_add(type, mailimap_fetch_att_new_uid());
	mailimap_fetch_type_new_fetch_att_list_add(type, mailimap_fetch_att_new_flags());
	mailimap_fetch_type_new_fetch_att_list_add(type,
		mailimap_fetch_att_new_internaldate());
	mailimap_fetch_type_new_fetch_att_list_add(type,
		mailimap_fetch_att_new_rfc822_size());
	mailimap_fetch_type_new_fetch_att_list_add(type,
		mailimap_fetch_att_new_body_peek_section(
			mailimap_section_new_header_fields(
				mailimap_header_list_new(names))));
	struct mailimap_set *set = mailimap_set_new_interval(1, 0);
	clist *result = NULL;

	/* The handler only fires with a progress callback set as well. */
	mailimap_set_msg_att_handler(imap, etpan_message, t);
	mailimap_set_progress_callback(imap, NULL, etpan_tick, NULL);
	int r = mailimap_uid_fetch(imap, set, type, &result);
	mailimap_set_msg_att_handler(imap, NULL, NULL);
	mailimap_set_progress_callback(imap, NULL, NULL, NULL);
	if (result != NULL)
		mailimap_fetch_list_free(result);
	mailimap_set_free(set);
	mailimap_fetch_type_free(type);
	return r;
}

int main(int argc, char **argv)
{
	struct rowan_err err;
	struct net_options opts = {.protocol = NET_PROTOCOL_IMAP,
	                           .timeout_seconds = 120};
	mailimap *imap = NULL;
	const char *only = NULL;
	int status = 1;
	int c;

	while ((c = getopt(argc, argv, "r:")) != -1) {
		if (c != 'r')
			return 2;
		only = optarg;
	}
	argc -= optind - 1;
	argv += optind - 1;
	if (argc < 5) {
		fprintf(stderr, "usage: bench/imap_fetch [-r raw|libetpan] "
		        "HOST PORT USER PASSWORD [CA_FILE] [FOLDER]\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	opts.ca_file = argc > 5 && argv[5][0] != '\0' ? argv[5] : NULL;
	const char *folder = argc > 6 ? argv[6] : "INBOX";
	if (net_imap_connect(argv[1], (unsigned short)atoi(argv[2]),
	                     NET_SECURITY_IMPLICIT_TLS, &opts, &imap, &err) != 0) {
		fprintf(stderr, "connect: %s\n", err.message);
		return 1;
	}
	if (mailimap_login(imap, argv[3], argv[4]) != MAILIMAP_NO_ERROR ||
	    mailimap_select(imap, folder) != MAILIMAP_NO_ERROR) {
		fprintf(stderr, "login or select failed\n");
		goto out;
	}

	struct tally raw = {0}, etpan = {0};
	double t0, t1, c0, c1;
	int r;
	if (only == NULL || strcmp(only, "raw") == 0) {
		t0 = now();
		c0 = cpu_now();
		r = bench_raw(imap, &raw, &err);
		t1 = now();
		c1 = cpu_now();
		if (r != 0) {
			fprintf(stderr, "raw fetch: %s\n", err.message);
			goto out;
		}
		report("raw", &raw, t1 - t0, c1 - c0);
	}
	if (only == NULL || strcmp(only, "libetpan") == 0) {
		t0 = now();
		c0 = cpu_now();
		r = bench_etpan(imap, &etpan);
		t1 = now();
		c1 = cpu_now();
		if (r != MAILIMAP_NO_ERROR) {
			fprintf(stderr, "libetpan fetch: error %d\n", r);
			goto out;
		}
		report("libetpan", &etpan, t1 - t0, c1 - c0);
	}
	if (only == NULL && (raw.messages != etpan.messages ||
	                     raw.header_bytes != etpan.header_bytes)) {
		fprintf(stderr, "the two readers disagree\n");
		goto out;
	}
	status = 0;
	mailimap_logout(imap);
out:
	if (status != 0 && imap->imap_stream != NULL) {
		mailstream_close(imap->imap_stream);
		imap->imap_stream = NULL;
	}
	mailimap_free(imap);
	return status;
}
