/*
 * account/backend.h: what an account kind (IMAP, local mbox) provides to
 * the worker thread, and what the worker offers it in return.
 *
 * Everything here runs on the account's worker thread, one call at a
 * time; a backend may block on the network (bounded by its timeouts and
 * the worker's cancel token).  Backends report results by posting events
 * (account_worker_post) and return 0, or -1 with err filled.  The worker
 * owns the request and posts the final DONE or ERROR itself.
 *
 * An error whose class is NET, TLS or PROTOCOL means "the connection is
 * gone or cannot be trusted": the worker disconnects, reconnects with
 * back-off and calls reopen before retrying.  AUTH, SERVER, IO, CONFIG
 * and INTERNAL errors are reported to the UI and the connection is kept.
 */
#ifndef ROWAN_ACCOUNT_BACKEND_H
#define ROWAN_ACCOUNT_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "account/account.h"
#include "config/rc.h"
#include "util/util.h"

struct account_worker;
struct net_cancel;

struct account_backend_ops {
	const char *kind;   /* "imap", "mbox" */

	/* Free the backend's state (after disconnect). */
	void (*destroy)(void *state);

	/* Connect and log in.  May call account_worker_password(). */
	int (*connect)(void *state, struct account_worker *worker,
	               struct rowan_err *err);
	/* Drop the connection.  graceful: say goodbye (LOGOUT) first; else
	 * just close the socket (the server may be gone). */
	void (*disconnect)(void *state, bool graceful);
	/* ACCOUNT_CAN_* (valid after connect). */
	unsigned (*caps)(void *state);

	/* Post FOLDERS: the whole folder list with counts where cheap. */
	int (*list_folders)(void *state, struct account_worker *worker,
	                    struct rowan_err *err);
	/*
	 * Open folder: post FOLDER_OPENED, then the envelopes in batches
	 * (cached ones first, then the missing ones newest first) with
	 * PROGRESS, then the flag changes.  Check account_worker_stale()
	 * between batches and return 0 early when it is true.  reopen: the
	 * same folder after a reconnect (post reset=false unless UIDVALIDITY
	 * changed, and only what changed).
	 */
	int (*open_folder)(void *state, struct account_worker *worker,
	                   const char *folder, bool reopen,
	                   struct rowan_err *err);
	/* Leave the open folder, purging \Deleted messages when expunge. */
	int (*close_folder)(void *state, struct account_worker *worker,
	                    bool expunge, struct rowan_err *err);
	/* Post MESSAGE for uid in the open folder (setting \Seen, then FLAGS). */
	int (*fetch_message)(void *state, struct account_worker *worker,
	                     uint32_t uid, struct rowan_err *err);
	/* Post PART: one part's transfer-encoded body. */
	int (*fetch_part)(void *state, struct account_worker *worker,
	                  uint32_t uid, const char *part, struct rowan_err *err);
	/* Change flags; post FLAGS with the resulting flags. */
	int (*set_flags)(void *state, struct account_worker *worker,
	                 const uint32_t *uids, size_t count, unsigned add,
	                 unsigned remove, struct rowan_err *err);
	/* Copy (move: then remove from this folder and post EXPUNGED). */
	int (*copy)(void *state, struct account_worker *worker,
	            const uint32_t *uids, size_t count, const char *folder,
	            bool move, struct rowan_err *err);
	/* Purge \Deleted messages of the open folder; post EXPUNGED. */
	int (*expunge)(void *state, struct account_worker *worker,
	               struct rowan_err *err);
	/* Look for changes in the open folder now (NOOP, or a re-scan);
	 * post ENVELOPES / FLAGS / EXPUNGED / FOLDER_COUNTS as needed. */
	int (*check)(void *state, struct account_worker *worker,
	             struct rowan_err *err);
	/*
	 * Wait for the server to report changes (IMAP IDLE) for at most
	 * timeout_ms, returning early — with the connection ready for the
	 * next command — as soon as account_worker_wake_fd() is readable.
	 * Post what changed.  May be NULL: the worker then sleeps on its
	 * queue and calls check every mail_check seconds.
	 */
	int (*idle)(void *state, struct account_worker *worker, int timeout_ms,
	            struct rowan_err *err);
};

/* Backends, each with its constructor (state for the ops above). */
extern const struct account_backend_ops account_imap_ops;
void *account_imap_new(const struct config *cfg,
                       const struct config_account *acct);
extern const struct account_backend_ops account_mbox_ops;
void *account_mbox_new(const struct config *cfg, const char *name,
                       const char *path);

/*
 * An account over any backend (ops and its state, which the account
 * frees with ops->destroy); acct (may be NULL) gives the password
 * settings.  For tests and new kinds of account.
 */
struct account *account_new_with_backend(const struct config *cfg,
                                         const struct config_account *acct,
                                         const char *name,
                                         const struct account_backend_ops *ops,
                                         void *state);

/* ---- what the worker offers its backend ---- */

/* Hand an event to the UI (takes ownership); fills its request id and
 * folder serial from the request being worked on. */
void account_worker_post(struct account_worker *worker,
                         struct account_event *event);
/* Post PROGRESS done of total with a short text (copied). */
void account_worker_progress(struct account_worker *worker, long done,
                             long total, const char *text);
/*
 * True when the request being worked on has become pointless: a newer
 * OPEN_FOLDER or CLOSE_FOLDER is queued, or the account is shutting down.
 */
bool account_worker_stale(struct account_worker *worker);
/* Readable while requests are queued (or at shutdown); never read it. */
int account_worker_wake_fd(struct account_worker *worker);
/* Triggered at shutdown: pass it in net_options.cancel. */
struct net_cancel *account_worker_cancel_token(struct account_worker *worker);
/*
 * The account's password: runs password_command, or asks the UI
 * (PASSWORD_NEEDED) and waits for the answer.  Newly allocated; free it
 * with config_password_free.  NULL with err filled (AUTH) on failure or
 * when the user cancelled.
 */
char *account_worker_password(struct account_worker *worker,
                              struct rowan_err *err);
/* True when err means the connection is gone (NET, TLS or PROTOCOL). */
bool account_err_is_connection(const struct rowan_err *err);

#endif
