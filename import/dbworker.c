/*
 * dbworker.c - the database thread of an import (see dbworker.h): a
 * mutex, two condition variables and a slot for one batch.
 */
#include "dbworker.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct dbworker {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t work;        /* a batch came, or stop */
    pthread_cond_t done;        /* the batch is done */
    struct loader *ld;
    struct batch *batch;        /* out, or done and not yet taken back */
    int busy;                   /* batch is being sent */
    int ok;                     /* of the batch done */
    int stop;
    double busy_seconds;
    char error[1024];
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Send b: 1 when committed, 0 with w->error set when rolled back. */
static int send_batch(struct dbworker *w, struct batch *b)
{
    struct loader *ld = w->ld;
    int ok = loader_begin(ld) == 0 &&
             loader_put(ld, b->stage.data, b->stage.len) == 0 &&
             loader_commit(ld, b->files, b->n_files, b->results) == 0;
    if (!ok) {
        snprintf(w->error, sizeof w->error, "%s", loader_error(ld));
        loader_rollback(ld);
    }
    return ok;
}

static void *run(void *arg)
{
    struct dbworker *w = arg;
    pthread_mutex_lock(&w->lock);
    for (;;) {
        while (!w->stop && !(w->batch && w->busy))
            pthread_cond_wait(&w->work, &w->lock);
        if (w->batch && w->busy) {
            struct batch *b = w->batch;
            pthread_mutex_unlock(&w->lock);
            double t0 = now();
            int ok = send_batch(w, b);
            double spent = now() - t0;
            pthread_mutex_lock(&w->lock);
            w->ok = ok;
            w->busy = 0;
            w->busy_seconds += spent;
            pthread_cond_signal(&w->done);
            continue;
        }
        break;                  /* stop, nothing out */
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

struct dbworker *dbworker_start(struct loader *ld, char *err, size_t errlen)
{
    struct dbworker *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    w->ld = ld;
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->work, NULL);
    pthread_cond_init(&w->done, NULL);
    /* the reading thread takes the signals */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    int rc = pthread_create(&w->thread, NULL, run, w);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0) {
        snprintf(err, errlen, "cannot start the database thread: %s",
                 strerror(rc));
        pthread_cond_destroy(&w->done);
        pthread_cond_destroy(&w->work);
        pthread_mutex_destroy(&w->lock);
        free(w);
        return NULL;
    }
    return w;
}

void dbworker_submit(struct dbworker *w, struct batch *b)
{
    pthread_mutex_lock(&w->lock);
    w->batch = b;
    w->busy = 1;
    w->error[0] = '\0';
    pthread_cond_signal(&w->work);
    pthread_mutex_unlock(&w->lock);
}

struct batch *dbworker_wait(struct dbworker *w, int *ok, char *error,
                            size_t errlen)
{
    pthread_mutex_lock(&w->lock);
    while (w->busy)
        pthread_cond_wait(&w->done, &w->lock);
    struct batch *b = w->batch;
    w->batch = NULL;
    *ok = w->ok;
    if (error && errlen)
        snprintf(error, errlen, "%s", w->error);
    pthread_mutex_unlock(&w->lock);
    return b;
}

double dbworker_busy(struct dbworker *w)
{
    pthread_mutex_lock(&w->lock);
    double s = w->busy_seconds;
    pthread_mutex_unlock(&w->lock);
    return s;
}

void dbworker_stop(struct dbworker *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    while (w->busy)
        pthread_cond_wait(&w->done, &w->lock);
    w->stop = 1;
    pthread_cond_signal(&w->work);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    pthread_cond_destroy(&w->done);
    pthread_cond_destroy(&w->work);
    pthread_mutex_destroy(&w->lock);
    free(w);
}
