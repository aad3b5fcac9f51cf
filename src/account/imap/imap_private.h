/*
 * account/imap/imap_private.h: the IMAP backend's state and the helpers
 * its files share.  One struct imap_backend per account; it lives on the
 * account's worker thread only.
 *
 * Every FETCH response the server sends — solicited or not — goes through
 * one handler (imap_msg_att_handle) that converts it at once into
 * Rowan's own records according to what the running command collects
 * (imap->sink), so libetpan's parsed lists are never kept.
 */
#ifndef ROWAN_ACCOUNT_IMAP_PRIVATE_H
#define ROWAN_ACCOUNT_IMAP_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <libetpan/libetpan.h>

#include "account/backend.h"
#include "util/util.h"

/* Server capabilities the backend uses (imap_backend.server_caps). */
#define IMAP_CAP_IDLE 0x001u
#define IMAP_CAP_CONDSTORE 0x002u
#define IMAP_CAP_MOVE 0x004u
#define IMAP_CAP_UIDPLUS 0x008u
#define IMAP_CAP_SASL_IR 0x010u
#define IMAP_CAP_AUTH_PLAIN 0x020u
#define IMAP_CAP_SPECIAL_USE 0x040u
#define IMAP_CAP_COMPRESS 0x080u
#define IMAP_CAP_UNSELECT 0x100u
#define IMAP_CAP_LOGINDISABLED 0x200u

/* Header fetch chunks: the newest first, small so the first screen is
 * quick; the rest larger.  Cached envelopes are posted in batches. */
#define IMAP_FIRST_CHUNK 200
#define IMAP_CHUNK 2000
#define IMAP_CACHE_BATCH 2000
/* Re-start IDLE at least this often (RFC 2177: under 30 minutes). */
#define IMAP_IDLE_MAX_MS (29 * 60 * 1000)

/* One message of the open folder, in UID order (sequence number =
 * index + 1). */
struct imap_message {
	uint32_t uid;
	unsigned flags;   /* ENVELOPE_* */
};

/* A MIME part of a message's BODYSTRUCTURE, as a tree. */
struct imap_part {
	char *section;        /* "1", "1.2"; "" for the message itself */
	char *type;           /* lower case: "text", "multipart" */
	char *subtype;
	char *boundary;       /* multipart only */
	bool attachment;      /* Content-Disposition: attachment */
	uint64_t size;        /* transfer-encoded body bytes */
	struct imap_part **children;
	size_t child_count;
};

/* A body section received by the current command. */
struct imap_section_data {
	char *section;        /* "", "HEADER", "1.2", "1.2.MIME" */
	char *data;
	size_t len;
};

/* What the running command collects from FETCH responses. */
struct imap_sink {
	/* Build envelopes from header sections into envelopes[]. */
	bool headers;
	struct envelope **envelopes;
	size_t envelope_count, envelope_cap;
	/* Collect UID + FLAGS pairs into list[] (flag resync). */
	bool uid_list;
	struct imap_message *list;
	size_t list_count, list_cap;
	/* Collect body sections and the BODYSTRUCTURE. */
	bool bodies;
	struct imap_section_data *sections;
	size_t section_count;
	struct imap_part *structure;
	uint64_t size;        /* RFC822.SIZE seen */
	/* Report every FLAGS seen (after STORE), not only changes. */
	bool all_flags;
};

struct imap_backend {
	const struct config *cfg;
	const struct config_account *acct;
	struct account_worker *worker;   /* the worker of the running op */
	mailimap *imap;
	unsigned server_caps;            /* IMAP_CAP_* */
	bool compressed;

	/* The header cache (opened once; NULL when unavailable). */
	struct hcache *cache;
	bool cache_tried;

	/* The selected folder. */
	char *folder;
	bool read_only;
	uint32_t uidvalidity;
	uint32_t uidnext;
	uint64_t highestmodseq;
	struct imap_message *messages;
	size_t message_count, message_cap;

	struct imap_sink sink;
	/* Changes seen in responses, posted by imap_post_changes. */
	uint32_t *flag_uids;
	unsigned *flag_values;
	size_t flag_count, flag_cap;
	uint32_t *gone;
	size_t gone_count, gone_cap;
};

/* ---- session.c ---- */
/* Fill err from a libetpan result code of command what ("SELECT"). */
void imap_error(struct imap_backend *b, int code, const char *what,
                struct rowan_err *err);
/* 0 when connected, else -1 with a NET error. */
int imap_require(struct imap_backend *b, struct rowan_err *err);
/* Apply the untagged EXPUNGE responses of the last command and collect
 * them; call after every command in SELECTED state. */
void imap_after_command(struct imap_backend *b);
/* Post FLAGS / EXPUNGED for what responses reported, and the changes to
 * the cache. */
void imap_post_changes(struct imap_backend *b);

/* ---- handler.c ---- */
/* What one FETCH response said (strings borrowed). */
struct imap_fetched {
	uint32_t seq;
	uint32_t uid;          /* 0: not in the response */
	bool has_flags;
	unsigned flags;        /* ENVELOPE_* */
	time_t arrival;        /* INTERNALDATE; 0 when absent */
	uint64_t size;         /* RFC822.SIZE; 0 when absent */
	const char *header;    /* BODY[HEADER.FIELDS ...] or NULL */
	size_t header_len;
};
/* libetpan's msg_att handler: every FETCH response it parses. */
void imap_msg_att_handle(struct mailimap_msg_att *msg_att, void *context);
/* Record one FETCH response per the running command's sink. */
void imap_fetched_handle(struct imap_backend *b, const struct imap_fetched *f);
void imap_sink_reset(struct imap_sink *sink);
/* The section received last with this name, or NULL. */
struct imap_section_data *imap_sink_section(struct imap_sink *sink,
                                            const char *section);
void imap_part_free(struct imap_part **part);
unsigned imap_flags_from_list(struct mailimap_flag_list *list);
struct mailimap_flag_list *imap_flags_to_list(unsigned flags);

/* ---- messages (sync.c) ---- */
/* Index of uid in the open folder, or -1. */
long imap_message_find(const struct imap_backend *b, uint32_t uid);
void imap_message_remove_at(struct imap_backend *b, size_t index);
void imap_messages_clear(struct imap_backend *b);
void imap_note_flags(struct imap_backend *b, uint32_t uid, unsigned flags);
void imap_note_gone(struct imap_backend *b, uint32_t uid);
/* A libetpan set of the given UIDs (runs joined into ranges). */
struct mailimap_set *imap_set_from_uids(const uint32_t *uids, size_t count);
/* ---- headers.c ---- */
/*
 * UID FETCH uid_set (items) [(modifiers)] read by src/net's FETCH reader,
 * every response going to imap_fetched_handle and EXPUNGEs applied in
 * order.  0, or -1 with err filled.
 */
int imap_uid_fetch_raw(struct imap_backend *b, const char *uid_set,
                       const char *items, const char *modifiers,
                       struct rowan_err *err);
/*
 * Fetch the headers of uids[0..count) (ascending), newest first in
 * chunks, posting ENVELOPES and PROGRESS and caching them.  1 when the
 * request went stale, 0 done, -1 error.
 */
/*
 * Fetch and post the headers of every message with a UID of first or
 * more ("first:*"), without knowing the UIDs: a cold open shows the
 * newest messages before it asks for the whole UID list.
 */
int imap_fetch_headers_from(struct imap_backend *b, uint32_t first,
                            size_t *fetched, struct rowan_err *err);
/* imap_fetch_headers when `already` messages were fetched before: the
 * progress counts them. */
int imap_fetch_headers_after(struct imap_backend *b, const uint32_t *uids,
                             size_t count, size_t already,
                             struct rowan_err *err);
int imap_fetch_headers(struct imap_backend *b, const uint32_t *uids,
                       size_t count, struct rowan_err *err);

/* Fetch the headers of messages the server announced (EXISTS beyond what
 * we know) and post them. */
int imap_fetch_new(struct imap_backend *b, struct rowan_err *err);
/* Post FOLDER_COUNTS for the open folder. */
void imap_post_counts(struct imap_backend *b);

/* ---- cache.c: the header cache, never fatal ---- */
void imap_cache_open(struct imap_backend *b);
void imap_cache_close(struct imap_backend *b);
/* 0 and *state filled when the folder is cached, else -1. */
struct hcache_folder_state;
int imap_cache_state(struct imap_backend *b, const char *folder,
                     struct hcache_folder_state *state);
/* Load cached envelopes of folder, ascending UID order; NULL-free. */
int imap_cache_load(struct imap_backend *b, const char *folder,
                    uint32_t uidvalidity,
                    int (*each)(struct envelope *envelope, void *ctx),
                    void *ctx);
void imap_cache_drop(struct imap_backend *b, const char *folder);
void imap_cache_store(struct imap_backend *b, struct envelope *const *envelopes,
                      size_t count, const uint32_t *flag_uids,
                      const unsigned *flags, size_t flag_count,
                      const uint32_t *gone, size_t gone_count,
                      bool save_state);

/* ---- folders.c ---- */
/* The name to show for a server folder name (decoded); newly allocated. */
char *imap_folder_display(const char *name);

/* ---- ops (sync.c, folders.c, ops.c, body.c, idle.c) ---- */
int imap_list_folders(void *state, struct account_worker *worker,
                      struct rowan_err *err);
int imap_open_folder(void *state, struct account_worker *worker,
                     const char *folder, bool reopen, struct rowan_err *err);
int imap_close_folder(void *state, struct account_worker *worker,
                      bool expunge, struct rowan_err *err);
int imap_fetch_message(void *state, struct account_worker *worker,
                       uint32_t uid, struct rowan_err *err);
int imap_fetch_part(void *state, struct account_worker *worker, uint32_t uid,
                    const char *part, struct rowan_err *err);
int imap_set_flags(void *state, struct account_worker *worker,
                   const uint32_t *uids, size_t count, unsigned add,
                   unsigned remove, struct rowan_err *err);
int imap_copy(void *state, struct account_worker *worker,
              const uint32_t *uids, size_t count, const char *folder,
              bool move, struct rowan_err *err);
int imap_expunge(void *state, struct account_worker *worker,
                 struct rowan_err *err);
int imap_check(void *state, struct account_worker *worker,
               struct rowan_err *err);
int imap_idle(void *state, struct account_worker *worker, int timeout_ms,
              struct rowan_err *err);

#endif
