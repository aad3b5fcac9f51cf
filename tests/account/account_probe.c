/*
 * account_probe: drive one account through the public account API
 * (src/account/account.h) for the integration tests, and print every
 * event as one machine-readable line.
 *
 *   account_probe -F RCFILE -a ACCOUNT [-p PASSWORD] [-s DIR] [CMD...]
 *
 * Commands come from the arguments (one per argument) or, when there are
 * none, from standard input (one per line; "END <command>" is printed
 * after each, so a test can talk to the probe).  Each request command
 * waits for its DONE or ERROR, printing the events that arrive meanwhile:
 *
 *   list | open FOLDER | close [expunge] | fetch UID | part UID SECTION
 *   flag UID[,UID...] +S-F (S seen, A answered, F flagged, D deleted,
 *   T draft) | delete UID[,...] | expunge | copy UID[,...] FOLDER |
 *   move UID[,...] FOLDER | check
 *   wait-new SECONDS     wait for an unsolicited ENVELOPES event
 *   wait-event KIND SECONDS   wait for an event of KIND (STATE, FLAGS...)
 *   wait-online SECONDS  wait for the account to be online
 *
 * A request command ending in " &" is sent without waiting for its end
 * (its events show up while the next command waits).
 * Values that may hold spaces or any byte are percent-encoded.  With -s,
 * MESSAGE and PART data are saved as DIR/UID.eml and DIR/UID-SECTION.part.
 * Exit status 0 when every command succeeded, 1 when one failed or timed
 * out, 2 on bad usage.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "account/account.h"
#include "config/rc.h"
#include "mail/envelope.h"
#include "util/util.h"

struct probe {
	struct account *account;
	const char *password;
	const char *save_dir;
	int timeout_ms;
	bool online;
	bool saw_new;        /* an unsolicited ENVELOPES event arrived */
	const char *wait_kind;
	bool saw_kind;
};

static const char *const event_names[] = {
	"STATE", "FOLDERS", "FOLDER_COUNTS", "OPENED", "ENVELOPES", "FLAGS",
	"EXPUNGED", "PROGRESS", "MESSAGE", "PART", "PASSWORD_NEEDED", "DONE",
	"ERROR",
};

static void put_encoded(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("._-~/@:,+#<>!", c) != NULL)
			putchar(c);
		else
			printf("%%%02X", c);
	}
}

static void put_str(const char *key, const char *value)
{
	printf(" %s=", key);
	if (value != NULL)
		put_encoded(value, strlen(value));
}

static void put_flags(unsigned flags)
{
	static const struct {
		unsigned bit;
		char letter;
	} letters[] = {
		{ENVELOPE_SEEN, 'S'}, {ENVELOPE_ANSWERED, 'A'},
		{ENVELOPE_FLAGGED, 'F'}, {ENVELOPE_DELETED, 'D'},
		{ENVELOPE_DRAFT, 'T'}, {ENVELOPE_RECENT, 'R'},
	};
	printf(" flags=");
	for (size_t i = 0; i < sizeof letters / sizeof letters[0]; i++)
		if (flags & letters[i].bit)
			putchar(letters[i].letter);
}

static const char *special_name(enum account_special special)
{
	static const char *const names[] = {
		"none", "inbox", "sent", "drafts", "trash", "junk", "archive",
	};
	return (unsigned)special < sizeof names / sizeof names[0]
	       ? names[special] : "?";
}

static void save(const struct probe *probe, const char *name,
                 const char *data, size_t len)
{
	if (probe->save_dir == NULL)
		return;
	char *path = xasprintf("%s/%s", probe->save_dir, name);
	FILE *f = fopen(path, "wb");
	if (f != NULL) {
		fwrite(data, 1, len, f);
		fclose(f);
	}
	free(path);
}

static void print_event(struct probe *probe, struct account_event *ev)
{
	const char *name = (unsigned)ev->kind < sizeof event_names /
	                   sizeof event_names[0] ? event_names[ev->kind] : "?";

	if (probe->wait_kind != NULL && strcmp(probe->wait_kind, name) == 0)
		probe->saw_kind = true;
	printf("%s req=%llu", name, (unsigned long long)ev->request_id);
	switch (ev->kind) {
	case ACCOUNT_EVENT_STATE:
		printf(" state=%s retry=%d caps=%u",
		       ev->state == ACCOUNT_STATE_ONLINE ? "online" :
		       ev->state == ACCOUNT_STATE_CONNECTING ? "connecting" : "offline",
		       ev->retry_seconds, ev->caps);
		put_str("text", ev->text);
		probe->online = ev->state == ACCOUNT_STATE_ONLINE;
		break;
	case ACCOUNT_EVENT_FOLDERS:
	case ACCOUNT_EVENT_FOLDER_COUNTS:
		printf(" count=%zu\n", ev->folder_count);
		for (size_t i = 0; i < ev->folder_count; i++) {
			const struct account_folder *f = &ev->folders[i];
			printf("FOLDER");
			put_str("name", f->name);
			put_str("display", f->display);
			printf(" special=%s total=%ld unseen=%ld noselect=%d "
			       "children=%d delim=%d",
			       special_name(f->special), f->total, f->unseen,
			       (f->flags & ACCOUNT_FOLDER_NOSELECT) != 0,
			       (f->flags & ACCOUNT_FOLDER_CHILDREN) != 0, f->delimiter);
			if (i + 1 < ev->folder_count)
				putchar('\n');
		}
		break;
	case ACCOUNT_EVENT_FOLDER_OPENED:
		put_str("folder", ev->folder);
		printf(" uidvalidity=%u total=%ld reset=%d ro=%d", ev->uidvalidity,
		       ev->total, ev->reset, ev->read_only);
		break;
	case ACCOUNT_EVENT_ENVELOPES:
		if (ev->request_id == 0)
			probe->saw_new = true;
		printf(" count=%zu cache=%d", ev->envelope_count, ev->from_cache);
		for (size_t i = 0; i < ev->envelope_count; i++) {
			const struct envelope *e = ev->envelopes[i];
			printf("\nENV uid=%u size=%u", envelope_uid(e), envelope_size(e));
			put_flags(envelope_flags(e));
			printf(" cache=%d", ev->from_cache);
			put_str("from", envelope_from_address(e));
			put_str("subject", envelope_subject(e));
		}
		break;
	case ACCOUNT_EVENT_FLAGS:
		for (size_t i = 0; i < ev->uid_count; i++) {
			if (i > 0)
				printf("\nFLAGS req=%llu",
				       (unsigned long long)ev->request_id);
			printf(" uid=%u", ev->uids[i]);
			put_flags(ev->flags[i]);
		}
		break;
	case ACCOUNT_EVENT_EXPUNGED:
		printf(" uids=");
		for (size_t i = 0; i < ev->uid_count; i++)
			printf("%s%u", i > 0 ? "," : "", ev->uids[i]);
		break;
	case ACCOUNT_EVENT_PROGRESS:
		printf(" done=%ld total=%ld", ev->done, ev->total);
		break;
	case ACCOUNT_EVENT_MESSAGE: {
		printf(" uid=%u len=%zu omitted=", ev->uid, ev->len);
		for (size_t i = 0; i < ev->omitted_count; i++)
			printf("%s%s:%llu", i > 0 ? "," : "", ev->omitted[i].part,
			       (unsigned long long)ev->omitted[i].size);
		char *file = xasprintf("%u.eml", ev->uid);
		save(probe, file, ev->data, ev->len);
		free(file);
		break;
	}
	case ACCOUNT_EVENT_PART: {
		printf(" uid=%u part=%s len=%zu", ev->uid, ev->part, ev->len);
		char *file = xasprintf("%u-%s.part", ev->uid, ev->part);
		save(probe, file, ev->data, ev->len);
		free(file);
		break;
	}
	case ACCOUNT_EVENT_PASSWORD_NEEDED: {
		struct account_request *r =
			account_request_new(ACCOUNT_REQUEST_PASSWORD);
		r->text = probe->password != NULL ? xstrdup(probe->password) : NULL;
		account_request_send(probe->account, r);
		break;
	}
	case ACCOUNT_EVENT_ERROR:
		printf(" class=%s", rowan_err_class_name(ev->err.err_class));
		put_str("msg", ev->err.message);
		break;
	case ACCOUNT_EVENT_DONE:
		break;
	}
	putchar('\n');
	fflush(stdout);
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Print events until done(probe, event) says stop or timeout_ms pass.
 * Returns the last event's kind that stopped it, or -1 on timeout.
 */
static int pump(struct probe *probe, uint64_t id, int timeout_ms,
                bool (*until)(struct probe *probe))
{
	long long deadline = now_ms() + timeout_ms;
	struct pollfd pfd = {.fd = account_wake_fd(probe->account),
	                     .events = POLLIN};

	for (;;) {
		struct account_event *ev;
		while ((ev = account_event_next(probe->account)) != NULL) {
			print_event(probe, ev);
			bool finished = id != 0 && ev->request_id == id &&
			                (ev->kind == ACCOUNT_EVENT_DONE ||
			                 ev->kind == ACCOUNT_EVENT_ERROR);
			int kind = (int)ev->kind;
			account_event_free(&ev);
			if (finished)
				return kind;
			if (until != NULL && until(probe))
				return 0;
		}
		long long left = deadline - now_ms();
		if (left <= 0)
			return -1;
		if (poll(&pfd, 1, (int)left) < 0 && errno != EINTR)
			return -1;
	}
}

static bool until_new(struct probe *probe) { return probe->saw_new; }
static bool until_kind(struct probe *probe) { return probe->saw_kind; }
static bool until_online(struct probe *probe) { return probe->online; }

static int parse_uids(const char *text, struct account_request *r)
{
	const char *p = text;

	while (*p != '\0') {
		char *end;
		unsigned long v = strtoul(p, &end, 10);
		if (end == p || v == 0 || v > UINT32_MAX)
			return -1;
		r->uids = xrealloc(r->uids, (r->uid_count + 1) * sizeof *r->uids);
		r->uids[r->uid_count++] = (uint32_t)v;
		p = *end == ',' ? end + 1 : end;
		if (*end != ',' && *end != '\0')
			return -1;
	}
	return r->uid_count > 0 ? 0 : -1;
}

static int parse_flag_changes(const char *text, struct account_request *r)
{
	bool add = true;

	for (const char *p = text; *p != '\0'; p++) {
		unsigned bit = 0;
		switch (*p) {
		case '+': add = true; continue;
		case '-': add = false; continue;
		case 'S': bit = ENVELOPE_SEEN; break;
		case 'A': bit = ENVELOPE_ANSWERED; break;
		case 'F': bit = ENVELOPE_FLAGGED; break;
		case 'D': bit = ENVELOPE_DELETED; break;
		case 'T': bit = ENVELOPE_DRAFT; break;
		default: return -1;
		}
		if (add)
			r->add |= bit;
		else
			r->remove |= bit;
	}
	return 0;
}

/* Build the request for one command line; NULL for a waiting command
 * (handled by the caller) or a bad one (*bad set). */
static struct account_request *command_request(char **argv, int argc, bool *bad)
{
	const char *cmd = argv[0];
	struct account_request *r = NULL;

	*bad = false;
	if (strcmp(cmd, "list") == 0 && argc == 1) {
		return account_request_new(ACCOUNT_REQUEST_LIST_FOLDERS);
	} else if (strcmp(cmd, "open") == 0 && argc == 2) {
		r = account_request_new(ACCOUNT_REQUEST_OPEN_FOLDER);
		r->folder = xstrdup(argv[1]);
		return r;
	} else if (strcmp(cmd, "close") == 0 && argc <= 2) {
		r = account_request_new(ACCOUNT_REQUEST_CLOSE_FOLDER);
		r->expunge = argc == 2 && strcmp(argv[1], "expunge") == 0;
		return r;
	} else if (strcmp(cmd, "fetch") == 0 && argc == 2) {
		r = account_request_new(ACCOUNT_REQUEST_FETCH_MESSAGE);
		r->uid = (uint32_t)strtoul(argv[1], NULL, 10);
		return r;
	} else if (strcmp(cmd, "part") == 0 && argc == 3) {
		r = account_request_new(ACCOUNT_REQUEST_FETCH_PART);
		r->uid = (uint32_t)strtoul(argv[1], NULL, 10);
		r->part = xstrdup(argv[2]);
		return r;
	} else if ((strcmp(cmd, "flag") == 0 && argc == 3) ||
	           (strcmp(cmd, "delete") == 0 && argc == 2)) {
		r = account_request_new(ACCOUNT_REQUEST_SET_FLAGS);
		if (parse_uids(argv[1], r) != 0 ||
		    parse_flag_changes(argc == 3 ? argv[2] : "+D", r) != 0)
			goto bad;
		return r;
	} else if (strcmp(cmd, "expunge") == 0 && argc == 1) {
		return account_request_new(ACCOUNT_REQUEST_EXPUNGE);
	} else if (strcmp(cmd, "check") == 0 && argc == 1) {
		return account_request_new(ACCOUNT_REQUEST_CHECK);
	} else if ((strcmp(cmd, "copy") == 0 || strcmp(cmd, "move") == 0) &&
	           argc == 3) {
		r = account_request_new(strcmp(cmd, "copy") == 0
		                        ? ACCOUNT_REQUEST_COPY : ACCOUNT_REQUEST_MOVE);
		if (parse_uids(argv[1], r) != 0)
			goto bad;
		r->folder = xstrdup(argv[2]);
		return r;
	}
bad:
	account_request_free(&r);
	*bad = true;
	return NULL;
}

/* Run one command; 0 when it succeeded. */
static int run_command(struct probe *probe, char *line)
{
	char *argv[8];
	int argc = 0;

	for (char *tok = strtok(line, " \t\r\n"); tok != NULL && argc < 8;
	     tok = strtok(NULL, " \t\r\n"))
		argv[argc++] = tok;
	if (argc == 0)
		return 0;
	bool background = argc > 1 && strcmp(argv[argc - 1], "&") == 0;
	if (background)
		argc--;
	if (strcmp(argv[0], "wait-new") == 0 && argc == 2) {
		probe->saw_new = false;
		int r = pump(probe, 0, atoi(argv[1]) * 1000, until_new);
		if (r < 0)
			printf("TIMEOUT %s\n", argv[0]);
		return r < 0 ? -1 : 0;
	}
	if (strcmp(argv[0], "wait-event") == 0 && argc == 3) {
		probe->wait_kind = argv[1];
		probe->saw_kind = false;
		int r = pump(probe, 0, atoi(argv[2]) * 1000, until_kind);
		probe->wait_kind = NULL;
		if (r < 0)
			printf("TIMEOUT %s\n", argv[0]);
		return r < 0 ? -1 : 0;
	}
	if (strcmp(argv[0], "wait-online") == 0 && argc == 2) {
		int r = probe->online ? 0 :
		        pump(probe, 0, atoi(argv[1]) * 1000, until_online);
		if (r < 0)
			printf("TIMEOUT %s\n", argv[0]);
		return r < 0 ? -1 : 0;
	}
	bool bad;
	struct account_request *r = command_request(argv, argc, &bad);
	if (r == NULL) {
		printf("BAD command %s\n", argv[0]);
		return -1;
	}
	uint64_t id = account_request_send(probe->account, r);
	printf("SENT req=%llu cmd=%s\n", (unsigned long long)id, argv[0]);
	fflush(stdout);
	if (background)
		return 0;
	int kind = pump(probe, id, probe->timeout_ms, NULL);
	if (kind < 0) {
		printf("TIMEOUT %s\n", argv[0]);
		return -1;
	}
	return kind == ACCOUNT_EVENT_DONE ? 0 : -1;
}

static void usage(void)
{
	fprintf(stderr, "usage: account_probe -F RCFILE -a ACCOUNT [-p PASSWORD] "
	                "[-s DIR] [-t SECONDS] [COMMAND...]\n");
}

int main(int argc, char **argv)
{
	const char *rc = NULL, *name = NULL;
	struct probe probe = {.timeout_ms = 60000};
	int opt, status = 0;

	signal(SIGPIPE, SIG_IGN);
	while ((opt = getopt(argc, argv, "F:a:p:s:t:")) != -1) {
		switch (opt) {
		case 'F': rc = optarg; break;
		case 'a': name = optarg; break;
		case 'p': probe.password = optarg; break;
		case 's': probe.save_dir = optarg; break;
		case 't': probe.timeout_ms = atoi(optarg) * 1000; break;
		default: usage(); return 2;
		}
	}
	if (rc == NULL || name == NULL) {
		usage();
		return 2;
	}
	struct config *cfg = config_new();
	struct config_diags *diags = config_diags_new();
	if (config_load_file(cfg, rc, true, diags) != 0) {
		for (size_t i = 0; i < config_diags_count(diags); i++) {
			char *text = config_diag_format(config_diags_get(diags, i));
			fprintf(stderr, "%s\n", text);
			free(text);
		}
		config_diags_free(&diags);
		config_free(&cfg);
		return 2;
	}
	config_diags_free(&diags);
	const struct config_account *acct = config_account_find(cfg, name);
	struct rowan_err err;
	rowan_err_clear(&err);
	probe.account = acct != NULL ? account_new(cfg, acct, &err) : NULL;
	if (probe.account == NULL || account_start(probe.account, &err) != 0) {
		fprintf(stderr, "account_probe: %s\n",
		        acct == NULL ? "no such account" : err.message);
		account_free(&probe.account);
		config_free(&cfg);
		return 2;
	}
	if (optind < argc) {
		for (int i = optind; i < argc && status == 0; i++) {
			char *line = xstrdup(argv[i]);
			if (run_command(&probe, line) != 0)
				status = 1;
			free(line);
		}
	} else {
		char line[4096];
		while (fgets(line, sizeof line, stdin) != NULL) {
			char *copy = xstrdup(line);
			if (run_command(&probe, line) != 0)
				status = 1;
			copy[strcspn(copy, "\r\n")] = '\0';
			printf("END %s\n", copy);
			fflush(stdout);
			free(copy);
		}
	}
	/* Whatever is still queued, then stop. */
	pump(&probe, 0, 0, NULL);
	account_free(&probe.account);
	config_free(&cfg);
	printf("EXIT %d\n", status);
	return status;
}
