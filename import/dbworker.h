/*
 * dbworker.h - the database thread of an import: it sends one batch (the
 * stage rows, the merge, the commit: load/loader.h) while the reading
 * thread reads the next, so that parsing and loading overlap.
 *
 * One batch at a time: dbworker_submit() hands a sealed batch over (the
 * caller does not touch it until dbworker_wait() gives it back).  The
 * worker uses the loader, and through it the connection, only between
 * those two calls; in between batches the reading thread may use the
 * loader itself (a file too large for a batch is streamed that way).
 * Signals are blocked in the worker: the reading thread gets them.
 */
#ifndef IS248_IMPORT_DBWORKER_H
#define IS248_IMPORT_DBWORKER_H

#include "../load/loader.h"
#include "batch.h"

struct dbworker;

/* Start the thread.  NULL with err set when it cannot be started. */
struct dbworker *dbworker_start(struct loader *ld, char *err, size_t errlen);

/* Hand b over (sealed: batch_seal()).  The worker must be idle. */
void dbworker_submit(struct dbworker *w, struct batch *b);

/*
 * Wait until the batch submitted is done and give it back, or NULL when
 * none is out.  *ok is 1 when it was committed (its results filled), 0
 * when it was rolled back (error receives loader_error()'s text).
 */
struct batch *dbworker_wait(struct dbworker *w, int *ok, char *error,
                            size_t errlen);

/* Seconds the worker has spent on batches so far. */
double dbworker_busy(struct dbworker *w);

/* Stop and join the thread (waits for a batch out). */
void dbworker_stop(struct dbworker *w);

#endif
