/*
 * import.c - the import and validate run (see import.h).
 *
 * The reading thread (the caller's) walks the paths and reads every report
 * file whole into the batch being filled (files up to READ_WHOLE; nearly
 * every report file is far smaller), parses it from memory, normalizes
 * each report and writes its stage rows (load/stage.h) and the problems to
 * tell into the batch.  A file that turns out not to be well-formed leaves
 * nothing in the batch but its name and why.  When the batch is full it
 * goes to the database thread (dbworker.h), which loads it in one
 * transaction while the next batch is read; the events of its files are
 * told once it is committed.
 *
 * A file larger than READ_WHOLE is a batch of its own: the batches before
 * it are finished, and it is streamed on this thread, its stage rows and
 * its bytes (as pieces, for the database's SHA-256) sent as they are read.
 *
 * Validate has no database: each file's events are told when it is read.
 * One file's parsing is in readfile.c, the telling in events.c (run.h).
 */
#include "run.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../load/db.h"
#include "../load/loader.h"
#include "../load/stage.h"
#include "../ingest/printable.h"
#include "../transform/instant.h"
#include "batch.h"
#include "dbworker.h"
#include "delivery.h"

#define DEFAULT_BATCH_FILES 500
#define DEFAULT_BATCH_BYTES (4U << 20)
#define DEFAULT_BATCH_SECONDS 0.5
/* The first batch holds at most this much; each next one twice as much as
 * the one before, up to the limit.  The database starts on the first files
 * while the rest are read, instead of waiting for a whole batch; but every
 * batch has its fixed cost (the merge's statements are planned anew after
 * the stage is emptied), so the first is not too small either: a year of
 * one file per county (1 MB) took 0.09 s with 512 KiB, 0.10 s with 4 MiB
 * (one batch) and 0.12 s with 64 KiB (four batches). */
#define FIRST_BATCH_BYTES (512U << 10)

/* ------------------------------------------------------------------------ */
/* Stopping                                                                 */

void run_fail(struct run *r, const char *fmt, ...)
{
    if (!r->res->error[0]) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(r->res->error, sizeof r->res->error, fmt, ap);
        va_end(ap);
    }
    r->stopping = 1;
}

void run_out_of_memory(struct run *r)
{
    r->nomem = 1;
    run_fail(r, "out of memory");
}

int run_stop_requested(struct run *r)
{
    if (r->cfg->stop && *r->cfg->stop) {
        r->interrupted = 1;
        r->stopping = 1;
    }
    return r->stopping;
}

/* "a batch of N files: 'a' ... 'z'" for messages */
static void describe_batch(struct run *r, const struct batch *b)
{
    const struct batch_item *first = NULL, *last = NULL;
    for (size_t i = 0; i < b->n_items; i++)
        if (b->items[i].kind == ITEM_FILE) {
            if (!first)
                first = &b->items[i];
            last = &b->items[i];
        }
    if (!first) {
        r->res->stopped_at[0] = '\0';
        return;
    }
    char a[900], z[900];
    const char *ae = batch_str(b, first->entry), *ze = batch_str(b, last->entry);
    snprintf(a, sizeof a, "'%.400s'%s%.400s%s", batch_str(b, first->source),
             *ae ? " entry '" : "", ae, *ae ? "'" : "");
    snprintf(z, sizeof z, "'%.400s'%s%.400s%s", batch_str(b, last->source),
             *ze ? " entry '" : "", ze, *ze ? "'" : "");
    if (b->n_files == 1)
        snprintf(r->res->stopped_at, sizeof r->res->stopped_at, "%s", a);
    else
        snprintf(r->res->stopped_at, sizeof r->res->stopped_at,
                 "a batch of %zu files from %s to %s", b->n_files, a, z);
}

/* ------------------------------------------------------------------------ */
/* Batches                                                                  */

/* Take the batch out back from the worker and tell its files. */
static void collect(struct run *r)
{
    if (!r->out)
        return;
    int ok = 0;
    char error[1024];
    double t0 = run_now();
    struct batch *b = dbworker_wait(r->worker, &ok, error, sizeof error);
    r->t.waited += run_now() - t0;
    r->out = NULL;
    if (!b)
        return;
    if (!ok) {
        run_stop_requested(r);
        if (!r->interrupted)
            run_fail(r, "%s", error);
        describe_batch(r, b);
    }
    run_emit_batch(r, b, ok);
}

/* Send the batch being filled (when it holds anything) and start another. */
static void submit(struct run *r)
{
    struct batch *b = r->fill;
    if (b->n_items == 0)
        return;
    if (b->failed || batch_seal(b) != 0) {
        run_out_of_memory(r);
        return;
    }
    collect(r);
    if (r->stopping)
        return;
    dbworker_submit(r->worker, b);
    r->out = b;
    r->fill = b == &r->batches[0] ? &r->batches[1] : &r->batches[0];
    batch_reset(r->fill);
    r->ramp_bytes = r->ramp_bytes > r->batch_bytes / 2 ? r->batch_bytes
                                                       : 2 * r->ramp_bytes;
}

static int batch_full(const struct run *r)
{
    const struct batch *b = r->fill;
    return b->n_files >= r->batch_files ||
           b->content.len + b->stage.len >= r->ramp_bytes ||
           run_now() - b->started >= r->batch_seconds;
}

/* ------------------------------------------------------------------------ */
/* Files met by the walk                                                    */

/* A file met by the walk: counted, told to the progress, and added to the
 * batch being filled; NULL when memory runs out (the run stops). */
static struct batch_item *new_file(struct run *r, const struct walk_entry *e)
{
    r->files_read++;
    run_progress(r, e);
    struct batch *b = r->fill;
    if (b->n_items == 0)
        b->started = run_now();
    struct batch_item *it = batch_add(b, ITEM_FILE, r->path_index, e->source,
                                      e->entry);
    if (!it)
        run_out_of_memory(r);
    return it;
}

/* A file larger than READ_WHOLE: its first bytes are in r->ahead[0, n).
 * It goes in a batch of its own, streamed. */
static void stream_file(struct run *r, struct walk_input *in, size_t n)
{
    struct source src = { r->ahead, n, 0, in, NULL, r, 0 };
    r->rd.streaming = 1;
    if (!r->conn) {                 /* validate: only read it */
        run_parse_file(r, &src, in, 0);
        return;
    }
    struct batch *b = r->fill;
    r->rd.pieces = 0;
    pgbin_reset(&r->rd.piece);
    src.tee = &r->rd.piece;
    if (loader_begin(r->ld) != 0) {
        run_fail(r, "%s", loader_error(r->ld));
        describe_batch(r, b);
        run_emit_batch(r, b, 0);
        return;
    }
    run_parse_file(r, &src, in, 0);
    if (r->stopping || run_stream_flush(r, 1) != 0) {
        loader_rollback(r->ld);
        if (!r->res->stopped_at[0])
            describe_batch(r, b);
        run_emit_batch(r, b, 0);
        return;
    }
    if (batch_seal(b) != 0) {
        loader_rollback(r->ld);
        run_out_of_memory(r);
        run_emit_batch(r, b, 0);
        return;
    }
    double t0 = run_now();
    int rc = loader_commit(r->ld, b->files, b->n_files, b->results);
    r->t.waited += run_now() - t0;
    if (rc != 0) {
        run_stop_requested(r);
        if (!r->interrupted)
            run_fail(r, "%s", loader_error(r->ld));
        describe_batch(r, b);
    }
    run_emit_batch(r, b, rc == 0);
}

/* A file larger than READ_WHOLE (its first n bytes in r->ahead, the item
 * the last of the batch being filled): a batch of its own, its bytes sent
 * as they are read.  Returns on_file()'s answer. */
static int large_file(struct run *r, const struct walk_entry *e,
                      struct walk_input *in, size_t n)
{
    struct batch *b = r->fill;
    if (r->conn && b->n_items > 1) {
        /* the batches before it go first */
        b->n_items--;
        b->n_files--;
        submit(r);
        collect(r);
        if (r->stopping)
            return 1;
        b = r->fill;
        struct batch_item *it = batch_add(b, ITEM_FILE, r->path_index,
                                          e->source, e->entry);
        if (!it) {
            run_out_of_memory(r);
            return 1;
        }
        r->rd.item = b->n_items - 1;
        r->rd.file_no = it->file_no;
    } else if (r->conn) {
        collect(r);
        if (r->stopping)
            return 1;
    }
    stream_file(r, in, n);
    if (!r->conn) {
        struct import_file f = run_counted(r->fill, &r->fill->items[r->rd.item]);
        run_emit_item(r, r->fill, &r->fill->items[r->rd.item], &f, 1, NULL);
        batch_reset(r->fill);
    }
    return r->stopping ? 1 : 0;
}

static int on_file(void *ctx, const struct walk_entry *e, struct walk_input *in)
{
    struct run *r = ctx;
    if (run_stop_requested(r))
        return 1;
    struct batch *b = r->fill;
    struct batch_item *it = new_file(r, e);
    if (!it)
        return 1;
    r->rd.item = b->n_items - 1;
    r->rd.file_no = it->file_no;
    r->rd.streaming = 0;
    r->rd.fatal = 0;
    size_t stage_mark = b->stage.len, content_mark = b->content.len;

    /* the file's first READ_WHOLE + 1 bytes: all of nearly every file
     * (only the pages written are resident) */
    if (!r->ahead && !(r->ahead = malloc(READ_WHOLE + 1))) {
        run_out_of_memory(r);
        return 1;
    }
    int failed = 0;
    size_t n = run_read_block(r, r->ahead, READ_WHOLE + 1, in, &failed);
    if (n > READ_WHOLE && !failed)
        return large_file(r, e, in, n);
    pgbin_put(&b->content, r->ahead, n);
    if (pgbin_failed(&b->content)) {
        run_out_of_memory(r);
        return 1;
    }

    it->content = content_mark;
    struct source src = { n ? b->content.data + content_mark : NULL, n, 0,
                          NULL, NULL, r, failed };
    run_parse_file(r, &src, in, stage_mark);
    if (r->stopping)
        return 1;
    it = &b->items[r->rd.item];
    if (it->reason != BATCH_NONE)
        pgbin_truncate(&b->content, content_mark);

    if (!r->conn) {
        struct import_file f = run_counted(b, it);
        run_emit_item(r, b, it, &f, it->reason == BATCH_NONE, NULL);
        batch_reset(b);
    } else if (batch_full(r)) {
        submit(r);
    }
    return r->stopping ? 1 : 0;
}

static void on_skipped(void *ctx, const struct walk_entry *e, const char *why)
{
    struct run *r = ctx;
    if (r->stopping)
        return;
    run_progress(r, e);
    struct batch *b = r->fill;
    if (b->n_items == 0)
        b->started = run_now();
    struct batch_item *it = batch_add(b, ITEM_SKIPPED, r->path_index,
                                      e->source, e->entry);
    if (!it) {
        run_out_of_memory(r);
        return;
    }
    it->reason = batch_string(b, why);
    if (r->conn) {
        stage_skipped(&b->stage, e->source, e->entry, why);
    } else {
        run_emit_item(r, b, it, NULL, 0, NULL);
        batch_reset(b);
    }
}

static void on_failed(void *ctx, const struct walk_entry *e, const char *why)
{
    struct run *r = ctx;
    if (r->stopping)
        return;
    /* an entry, an archive or a path that cannot be read is a file set
     * aside, counted as a file like the others */
    struct batch *b = r->fill;
    struct batch_item *it = new_file(r, e);
    if (!it)
        return;
    it->reason = batch_string(b, why);
    if (!r->conn) {
        struct import_file f = run_counted(b, it);
        run_emit_item(r, b, it, &f, 0, NULL);
        batch_reset(b);
    } else if (batch_full(r)) {
        submit(r);
    }
}

/* ------------------------------------------------------------------------ */
/* Deliveries                                                                */

/*
 * Before path is walked: when it is a file a run read to its end before,
 * say so and return 1 (it is not read again).  Else begin recording it as
 * a delivery (*id > 0; 0 when it is none: a directory, a file that
 * changes) and return 0; -1 when the run must stop.
 */
static int begin_delivery(struct run *r, const char *path,
                          unsigned char digest[32], int64_t *id)
{
    char err[1024];
    uint64_t bytes = 0;
    *id = 0;
    int d = delivery_digest(path, digest, &bytes);
    if (d < 0) {
        run_out_of_memory(r);
        return -1;
    }
    if (d == 0)
        return 0;
    struct db_delivery known;
    char *label = printable_dup(path);
    if (!label) {
        run_out_of_memory(r);
        return -1;
    }
    int k = db_delivery_read(r->conn, r->res->run_id, label, digest, &known,
                             err, sizeof err);
    free(label);
    if (k < 0) {
        run_fail(r, "%s", err);
        return -1;
    }
    if (k == 1) {
        struct import_delivery x = { known.run_id, known.completed_at,
                                     known.files, known.files_loaded,
                                     known.files_already,
                                     known.files_rejected };
        struct import_event ev = { .kind = IMPORT_DELIVERY };
        ev.source = path;
        ev.entry = "";
        ev.delivery = &x;
        struct import_totals *t = &r->res->totals;
        t->files += (uint64_t)known.files;
        t->files_already += (uint64_t)(known.files_loaded + known.files_already);
        t->files_rejected_before += (uint64_t)known.files_rejected;
        run_emit(r, &ev);
        return 1;
    }
    /* under the label the walk gives its files (is248.delivery_end()
     * counts them by it) */
    label = printable_dup(path);
    if (!label) {
        run_out_of_memory(r);
        return -1;
    }
    int64_t x = db_delivery_begin(r->conn, r->res->run_id, label, bytes, err,
                                  sizeof err);
    free(label);
    if (x < 0) {
        run_fail(r, "%s", err);
        return -1;
    }
    if (delivery_send(r->conn, x, path, bytes, err, sizeof err) != 0) {
        if (PQstatus(r->conn) != CONNECTION_OK ||
            PQtransactionStatus(r->conn) != PQTRANS_IDLE) {
            run_fail(r, "%s", err);
            return -1;
        }
        return 0;               /* it changed: read it, unrecorded */
    }
    *id = x;
    return 0;
}

/* The delivery was read to its end. */
static void end_delivery(struct run *r, int64_t id,
                         const unsigned char digest[32])
{
    char err[1024];
    if (db_delivery_end(r->conn, id, digest, err, sizeof err) != 0)
        run_fail(r, "%s", err);
}

/* ------------------------------------------------------------------------ */
/* The run                                                                   */

/* The lock and the run; 0, or -1 with res->status set. */
static int begin(struct run *r)
{
    char err[1024];
    struct import_result *res = r->res;
    int locked = db_lock_import(r->conn, r->cfg->lock_wait_ms, err,
                                sizeof err);
    if (locked < 0 && r->cfg->stop && *r->cfg->stop) {
        res->status = IMPORT_INTERRUPTED;
        return -1;
    }
    if (locked < 0) {
        snprintf(res->error, sizeof res->error, "cannot take the import "
                 "lock: %.900s", err);
        res->status = IMPORT_FAILED;
        return -1;
    }
    if (locked == 0) {
        res->status = IMPORT_LOCKED;
        return -1;
    }
    /* a dry run: everything in one transaction, rolled back at the end */
    if (r->cfg->dry_run &&
        db_command(r->conn, "BEGIN", "cannot begin the dry run", err,
                   sizeof err) != 0) {
        snprintf(res->error, sizeof res->error, "%s", err);
        res->status = IMPORT_FAILED;
        return -1;
    }
    int64_t abandoned = 0;
    int64_t run = db_run_begin(r->conn, r->cfg->command ? r->cfg->command : "",
                               &abandoned, err, sizeof err);
    if (run < 0) {
        snprintf(res->error, sizeof res->error, "%s", err);
        res->status = IMPORT_FAILED;
        return -1;
    }
    res->run_id = run;
    struct import_event ev = { .kind = IMPORT_RUN_BEGIN };
    ev.run_id = run;
    ev.abandoned = abandoned;
    run_emit(r, &ev);
    r->ld = loader_new(r->conn, run, err, sizeof err);
    if (r->ld && r->cfg->dry_run)
        loader_set_nested(r->ld);
    if (r->ld)
        r->worker = dbworker_start(r->ld, err, sizeof err);
    if (!r->ld || !r->worker) {
        snprintf(res->error, sizeof res->error, "%s", err);
        res->status = IMPORT_NOMEM;
        return -1;
    }
    return 0;
}

static enum import_status final_status(struct run *r)
{
    run_stop_requested(r);          /* a signal that came after the last batch */
    if (r->interrupted)
        return IMPORT_INTERRUPTED;
    if (r->nomem)
        return IMPORT_NOMEM;
    if (r->stopping)
        return IMPORT_FAILED;
    const struct import_totals *t = &r->res->totals;
    if (t->files_rejected || t->reports_rejected || t->answers_rejected)
        return IMPORT_PROBLEMS;
    return IMPORT_OK;
}

static const char *status_word(enum import_status s)
{
    switch (s) {
    case IMPORT_OK: return "ok";
    case IMPORT_PROBLEMS: return "problems";
    case IMPORT_INTERRUPTED: return "interrupted";
    default: return "failed";
    }
}

/* The run's settings from cfg, the defaults where it says nothing. */
static void run_init(struct run *r, const struct import_config *cfg,
                     PGconn *conn, char *const *paths,
                     const struct import_sink *sink, struct import_result *res)
{
    r->cfg = cfg;
    r->sink = sink;
    r->res = res;
    r->conn = conn;
    r->paths = paths;
    r->now_us = cfg->now_us ? cfg->now_us : instant_now();
    r->fill = &r->batches[0];
    r->batch_files = cfg->batch_files ? cfg->batch_files : DEFAULT_BATCH_FILES;
    r->batch_bytes = cfg->batch_bytes ? cfg->batch_bytes : DEFAULT_BATCH_BYTES;
    r->batch_seconds = cfg->batch_seconds > 0 ? cfg->batch_seconds
                                              : DEFAULT_BATCH_SECONDS;
    r->ramp_bytes = r->batch_bytes < FIRST_BATCH_BYTES ? r->batch_bytes
                                                       : FIRST_BATCH_BYTES;
}

/* Path i: told before and after; a delivery read before is not read
 * again; its files are told once its last batch is committed. */
static void walk_one(struct run *r, int i, const struct walk_handler *h)
{
    r->path_index = i;
    r->path = r->paths[i];
    struct import_event ev = { .kind = IMPORT_PATH_BEGIN };
    run_emit(r, &ev);
    int64_t delivery = 0;
    unsigned char digest[32];
    int known = r->conn ? begin_delivery(r, r->path, digest, &delivery) : 0;
    if (known == 0) {
        int walked = walk_path(r->path, r->cfg->walk, h);
        run_stop_requested(r);
        if (r->conn && !r->stopping)
            submit(r);          /* a path's files are told at its end */
        if (r->conn)
            collect(r);
        if (delivery > 0 && walked == 0 && !r->stopping)
            end_delivery(r, delivery, digest);
    }
    ev.kind = IMPORT_PATH_END;
    run_emit(r, &ev);
}

/* After the paths: the last batch, and the run's end recorded. */
static void finish(struct run *r)
{
    struct import_result *res = r->res;
    PGconn *conn = r->conn;
    if (conn) {
        if (!r->stopping)
            submit(r);
        collect(r);
        if (r->fill->n_items > 0) {   /* read, never sent */
            if (!res->stopped_at[0])
                describe_batch(r, r->fill);
            run_emit_batch(r, r->fill, 0);
        }
    }
    res->status = final_status(r);
    if (conn && PQstatus(conn) == CONNECTION_OK &&
        PQtransactionStatus(conn) ==
            (r->cfg->dry_run ? PQTRANS_INTRANS : PQTRANS_IDLE)) {
        char err[1024];
        if (db_run_end(conn, res->run_id, status_word(res->status), err,
                       sizeof err) == 0) {
            res->run_ended = 1;
        } else if (res->status == IMPORT_OK || res->status == IMPORT_PROBLEMS) {
            snprintf(res->error, sizeof res->error, "%s", err);
            res->status = IMPORT_FAILED;
        }
    }
}

/* Stop the database thread, leave the connection as found (a dry run
 * rolled back), free the run's memory, and note the times. */
static void release(struct run *r, double t0)
{
    struct import_result *res = r->res;
    PGconn *conn = r->conn;
    if (r->worker) {
        res->times.database = dbworker_busy(r->worker);
        dbworker_stop(r->worker);
    }
    loader_free(r->ld);
    /* a dry run leaves nothing: not the run, not a file, not a report */
    if (conn && r->cfg->dry_run && PQstatus(conn) == CONNECTION_OK &&
        PQtransactionStatus(conn) != PQTRANS_IDLE)
        db_rollback(conn);
    batch_free(&r->batches[0]);
    batch_free(&r->batches[1]);
    pgbin_free(&r->rd.piece);
    free(r->ahead);
    free(r->norm);
    res->times.unpack = r->t.unpack;
    res->times.parse = r->t.parse;
    res->times.normalize = r->t.normalize;
    res->times.stage = r->t.stage;
    res->times.waited += r->t.waited;
    res->times.total = run_now() - t0;
}

enum import_status import_run(const struct import_config *cfg, PGconn *conn,
                              int npaths, char *const *paths,
                              const struct import_sink *sink,
                              struct import_result *res)
{
    memset(res, 0, sizeof *res);
    struct run run = { 0 };
    struct run *r = &run;
    run_init(r, cfg, conn, paths, sink, res);
    double t0 = run_now();
    r->norm = malloc(sizeof *r->norm);
    if (!r->norm) {
        res->status = IMPORT_NOMEM;
        snprintf(res->error, sizeof res->error, "out of memory");
        return res->status;
    }
    if (!conn || begin(r) == 0) {
        struct walk_handler h = { on_file, on_skipped, on_failed, r };
        for (int i = 0; i < npaths && !r->stopping; i++)
            walk_one(r, i, &h);
        finish(r);
    }
    release(r, t0);
    return res->status;
}
