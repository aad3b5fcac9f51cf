/* account/worker.h: the worker thread's private structures. */
#ifndef ROWAN_ACCOUNT_WORKER_H
#define ROWAN_ACCOUNT_WORKER_H
#endif
