/*
 * account: one interface to every kind of mail account (IMAP, local
 * mbox; POP3 later), so that the UI never knows which protocol is behind
 * it.
 *
 * Each account runs a worker thread that owns its network session and
 * its header cache.  The UI thread talks to it only through two queues:
 * it sends requests (account_request_*), which return at once with a
 * request id, and it reads events (account_event_next) whenever the
 * account's wake-up fd (account_wake_fd) is readable.  No call in this
 * header blocks on the network.
 *
 * Every request ends in exactly one ACCOUNT_EVENT_DONE or
 * ACCOUNT_EVENT_ERROR carrying its id; data events (folders, envelopes,
 * a message...) come before it.  Events with request id 0 are unsolicited:
 * connection state, new mail, flag changes made elsewhere.  An event's
 * payload belongs to the UI once it is taken from the queue.
 *
 * When the connection drops, the worker posts ACCOUNT_EVENT_STATE
 * (offline, with the reason and the delay before the next attempt),
 * reconnects with back-off, opens the folder that was open again and
 * carries on; the request that was running is retried once.
 */
#ifndef ROWAN_ACCOUNT_H
#define ROWAN_ACCOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/rc.h"
#include "mail/envelope.h"
#include "util/util.h"

struct account;

/* ---- capabilities: what the account can do (known once online) ---- */
#define ACCOUNT_CAN_FOLDERS 0x01u    /* has more than one folder */
#define ACCOUNT_CAN_WRITE 0x02u      /* flags, delete, expunge */
#define ACCOUNT_CAN_COPY 0x04u       /* copy and move between folders */
#define ACCOUNT_CAN_IDLE 0x08u       /* the server pushes new mail */
#define ACCOUNT_CAN_PART_FETCH 0x10u /* single MIME parts can be fetched */

/* ---- folders ---- */

/* Folder attributes (account_folder.flags). */
#define ACCOUNT_FOLDER_NOSELECT 0x01u  /* a container that holds no mail */
#define ACCOUNT_FOLDER_CHILDREN 0x02u  /* has subfolders */
#define ACCOUNT_FOLDER_SUBSCRIBED 0x04u

enum account_special {
	ACCOUNT_SPECIAL_NONE,
	ACCOUNT_SPECIAL_INBOX,
	ACCOUNT_SPECIAL_SENT,
	ACCOUNT_SPECIAL_DRAFTS,
	ACCOUNT_SPECIAL_TRASH,
	ACCOUNT_SPECIAL_JUNK,
	ACCOUNT_SPECIAL_ARCHIVE,
};

struct account_folder {
	/* The name as requests take it (for IMAP the server's name,
	 * modified UTF-7 and all). */
	char *name;
	/* The name to show: decoded UTF-8, not yet made terminal-safe. */
	char *display;
	char delimiter;           /* hierarchy separator, '\0' for none */
	unsigned flags;           /* ACCOUNT_FOLDER_* */
	enum account_special special;
	long total;               /* messages; -1 when unknown */
	long unseen;              /* messages without \Seen; -1 when unknown */
};

/* ---- requests (UI -> worker) ---- */

enum account_request_kind {
	ACCOUNT_REQUEST_LIST_FOLDERS,  /* -> FOLDERS */
	ACCOUNT_REQUEST_OPEN_FOLDER,   /* folder -> FOLDER_OPENED, ENVELOPES..., PROGRESS */
	ACCOUNT_REQUEST_CLOSE_FOLDER,  /* expunge: purge \Deleted first */
	ACCOUNT_REQUEST_FETCH_MESSAGE, /* uid -> MESSAGE; marks \Seen on the server */
	ACCOUNT_REQUEST_FETCH_PART,    /* uid, part -> PART */
	ACCOUNT_REQUEST_SET_FLAGS,     /* uids, add, remove -> FLAGS */
	ACCOUNT_REQUEST_COPY,          /* uids, folder (destination) */
	ACCOUNT_REQUEST_MOVE,          /* uids, folder -> EXPUNGED */
	ACCOUNT_REQUEST_EXPUNGE,       /* -> EXPUNGED */
	ACCOUNT_REQUEST_CHECK,         /* look for new mail now */
	ACCOUNT_REQUEST_PASSWORD,      /* answer to PASSWORD_NEEDED: text (NULL: cancel) */
};

struct account_request {
	enum account_request_kind kind;
	char *folder;       /* OPEN_FOLDER, COPY, MOVE */
	uint32_t uid;       /* FETCH_MESSAGE, FETCH_PART */
	char *part;         /* FETCH_PART: IMAP section, "2" or "1.3" */
	uint32_t *uids;     /* SET_FLAGS, COPY, MOVE */
	size_t uid_count;
	unsigned add;       /* SET_FLAGS: ENVELOPE_* flags to set */
	unsigned remove;    /* SET_FLAGS: ENVELOPE_* flags to clear */
	bool expunge;       /* CLOSE_FOLDER */
	char *text;         /* PASSWORD (wiped and freed after use) */
	uint64_t id;        /* filled by account_request_send */
};

/* A zeroed request of this kind; account_request_send takes it. */
struct account_request *account_request_new(enum account_request_kind kind);
/* Free a request that was not sent; accepts NULL and clears *request. */
void account_request_free(struct account_request **request);

/* ---- events (worker -> UI) ---- */

enum account_event_kind {
	ACCOUNT_EVENT_STATE,         /* state, text (reason), retry_seconds, caps */
	ACCOUNT_EVENT_FOLDERS,       /* folders[folder_count]: the whole list */
	ACCOUNT_EVENT_FOLDER_COUNTS, /* folders[0]: new counts of one folder */
	ACCOUNT_EVENT_FOLDER_OPENED, /* folder, total, uidvalidity, reset, read_only */
	ACCOUNT_EVENT_ENVELOPES,     /* envelopes[envelope_count] */
	ACCOUNT_EVENT_FLAGS,         /* uids[i] now has flags[i] */
	ACCOUNT_EVENT_EXPUNGED,      /* uids[uid_count] are gone */
	ACCOUNT_EVENT_PROGRESS,      /* done of total, text says what */
	ACCOUNT_EVENT_MESSAGE,       /* uid, data[len]; omitted parts */
	ACCOUNT_EVENT_PART,          /* uid, part, data[len] (transfer-encoded) */
	ACCOUNT_EVENT_PASSWORD_NEEDED, /* text: the prompt; answer with a PASSWORD request */
	ACCOUNT_EVENT_DONE,          /* the request with this id finished */
	ACCOUNT_EVENT_ERROR,         /* the request failed (or, with id 0, the account) */
};

enum account_state {
	ACCOUNT_STATE_OFFLINE,
	ACCOUNT_STATE_CONNECTING,
	ACCOUNT_STATE_ONLINE,
};

/* A MIME part left on the server when a large message was fetched: its
 * body is empty in the MESSAGE data; fetch it with FETCH_PART. */
struct account_omitted_part {
	char *part;       /* IMAP section, "2" or "1.3" */
	uint64_t size;    /* transfer-encoded bytes on the server */
};

struct account_event {
	enum account_event_kind kind;
	uint64_t request_id;   /* 0: unsolicited */
	/* The OPEN_FOLDER request this event's messages belong to (0: no
	 * folder); the UI drops envelope, flag and expunge events of a folder
	 * it has left. */
	uint64_t folder_serial;

	/* STATE */
	enum account_state state;
	int retry_seconds;     /* OFFLINE: next attempt in this many seconds; -1: none */
	unsigned caps;         /* ACCOUNT_CAN_* */

	/* FOLDERS, FOLDER_COUNTS */
	struct account_folder *folders;
	size_t folder_count;

	/* FOLDER_OPENED */
	char *folder;
	uint32_t uidvalidity;
	long total;            /* messages in the folder on the server */
	/* The UI must drop what it holds for this folder (first open, or
	 * UIDVALIDITY changed); false after a reconnect that kept the cache. */
	bool reset;
	bool read_only;

	/* ENVELOPES (from_cache: they came from the header cache) */
	struct envelope **envelopes;
	size_t envelope_count;
	bool from_cache;

	/* FLAGS, EXPUNGED */
	uint32_t *uids;
	unsigned *flags;
	size_t uid_count;

	/* PROGRESS */
	long done;

	/* MESSAGE, PART */
	uint32_t uid;
	char *part;
	char *data;
	size_t len;
	struct account_omitted_part *omitted;
	size_t omitted_count;

	/* STATE, PROGRESS, PASSWORD_NEEDED: text to show; ERROR: err */
	char *text;
	struct rowan_err err;
};

/* Free an event and everything it still holds; accepts NULL, clears *event. */
void account_event_free(struct account_event **event);
/* A zeroed event of this kind (for backends and tests). */
struct account_event *account_event_new(enum account_event_kind kind);

/* ---- the account ---- */

/*
 * An account for a configured account (IMAP now).  cfg and acct are
 * borrowed and must outlive the account.  Nothing happens until
 * account_start.  Returns NULL with err filled for a kind that is not
 * supported.
 */
struct account *account_new(const struct config *cfg,
                            const struct config_account *acct,
                            struct rowan_err *err);
/*
 * A read-only account over one local mbox file (the demo mailbox, or
 * an mbox given on the command line); name is what the UI shows.
 */
struct account *account_new_mbox(const struct config *cfg, const char *name,
                                 const char *path);

/* Start the worker thread (it connects at once).  0, or -1 with err. */
int account_start(struct account *account, struct rowan_err *err);

/*
 * Stop the worker (cancelling whatever it is blocked in, so this returns
 * promptly even with a dead server), join it and free everything.
 * Accepts NULL and clears *account.
 */
void account_free(struct account **account);

const char *account_name(const struct account *account);
/* The fd to poll for POLLIN: readable while events are waiting. */
int account_wake_fd(const struct account *account);

/*
 * Queue a request for the worker and take ownership of it.  Returns the
 * request's id (never 0).  A new OPEN_FOLDER or CLOSE_FOLDER makes the
 * rest of an earlier folder load stale: the worker drops it.
 */
uint64_t account_request_send(struct account *account,
                              struct account_request *request);

/*
 * The next event, or NULL when none is waiting (never blocks).  The
 * caller owns it and frees it with account_event_free.
 */
struct account_event *account_event_next(struct account *account);

#endif
