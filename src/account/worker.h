/*
 * account/worker.h: the account object shared by the UI thread and the
 * worker thread — two queues under one mutex, each with a pipe that is
 * readable while the queue holds something — and the worker's own state.
 */
#ifndef ROWAN_ACCOUNT_WORKER_H
#define ROWAN_ACCOUNT_WORKER_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "account/account.h"
#include "account/backend.h"

/* A FIFO of pointers with a pipe that is readable while it is not empty. */
struct account_queue {
	void **items;
	size_t head;      /* first live item */
	size_t len;       /* items[head .. len) are live */
	size_t cap;
	int pipe[2];      /* [0] polled by the consumer, [1] written on empty -> non-empty */
};

/* What the worker thread keeps between requests. */
struct account_worker {
	struct account *account;
	bool connected;
	/* The request being worked on, or NULL while idle. */
	struct account_request *current;
	/* The folder that is open (the server's name) and the id of the
	 * OPEN_FOLDER request that opened it; NULL / 0 when none. */
	char *folder;
	uint64_t folder_serial;
	/* Seconds before the next reconnection attempt. */
	int backoff;
	/* A password that worked (or was typed), kept for reconnections. */
	char *password;
};

struct account {
	char *name;
	const struct config *cfg;
	const struct config_account *acct;  /* NULL for a local mbox */
	const struct account_backend_ops *ops;
	void *backend;

	pthread_mutex_t lock;
	struct account_queue requests;   /* UI -> worker */
	struct account_queue events;     /* worker -> UI */
	uint64_t next_id;
	/* OPEN_FOLDER and CLOSE_FOLDER requests queued and not yet taken. */
	unsigned folder_requests_queued;
	bool stopping;

	struct net_cancel *cancel;
	pthread_t thread;
	bool started;
	bool finished;                   /* the thread has left its loop */
	pthread_cond_t finished_cond;

	struct account_worker worker;
};

/* ---- queues (account.c); call with account->lock held ---- */
int account_queue_init(struct account_queue *queue);
void account_queue_push(struct account_queue *queue, void *item);
/* The first item, or NULL; drains the pipe when the queue becomes empty. */
void *account_queue_pop(struct account_queue *queue);
/* Remove and return the first item for which match(item, ctx) is true. */
void *account_queue_take(struct account_queue *queue,
                         bool (*match)(void *item, void *ctx), void *ctx);
void account_queue_destroy(struct account_queue *queue, void (*free_item)(void *));

/* A new account with empty queues and no backend (account.c). */
struct account *account_alloc(const struct config *cfg, const char *name);

/* The worker thread's body (worker.c). */
void *account_worker_main(void *arg);

#endif
