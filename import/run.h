/*
 * run.h - the inside of an import run, shared by the files of import/ and
 * by nothing else (import.h is the module's face): the run's state, the
 * source a file is parsed from, and the steps one file of the module
 * calls in another.
 *
 *   import.c    the run: the walk's callbacks, batches to the database
 *               thread, a large file streamed, deliveries, the end
 *   readfile.c  one file parsed: reports normalized and staged into the
 *               batch being filled, its problems held to tell
 *   events.c    what happened told to the caller's sink, after a batch
 *               is committed (or at once, in validate)
 *
 * Everything runs on the reading thread (the caller's); the database
 * thread sees only the batches handed to it (dbworker.h).
 */
#ifndef IS248_IMPORT_RUN_H
#define IS248_IMPORT_RUN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "../ingest/walk.h"
#include "../load/pgbin.h"
#include "batch.h"
#include "import.h"

#define READ_WHOLE (4U << 20)       /* read whole into the batch, at most */
#define READ_CHUNK (64U << 10)      /* bytes per walk_input_read() */
#define PIECE_BYTES (1U << 20)      /* a large file's bytes, per piece */
#define STREAM_FLUSH (1U << 20)     /* stage bytes held while streaming */

/* Where the parser's bytes come from: memory, then (streaming) the walk's
 * input; every byte served is copied to tee when it is set. */
struct run;
struct source {
    const unsigned char *mem;
    size_t mem_len, mem_pos;
    struct walk_input *in;
    struct pgbin *tee;
    struct run *run;            /* with tee: sends the pieces as they fill */
    int failed;                 /* a read of in failed */
};

struct run {
    const struct import_config *cfg;
    const struct import_sink *sink;
    struct import_result *res;
    PGconn *conn;               /* NULL: validate */
    char *const *paths;
    struct loader *ld;
    struct dbworker *worker;
    struct batch batches[2];
    struct batch *fill;         /* being filled */
    struct batch *out;          /* with the worker, or NULL */
    int path_index;
    const char *path;
    uint64_t files_read, reports_read;
    int64_t now_us;             /* the time of the run, for normalize */
    struct norm_report *norm;   /* reused for every report */
    int stopping;               /* stop walking: see res->status */
    int interrupted;
    int nomem;
    size_t batch_files, batch_bytes;
    size_t ramp_bytes;          /* this batch's limit: see FIRST_BATCH_BYTES */
    double batch_seconds;
    uint64_t batches_committed;
    /* the file being read */
    struct {
        size_t item;            /* index in fill->items */
        int file_no;
        int streaming;          /* a batch of its own, sent as read */
        int fatal;              /* stop: out of memory or the database */
        struct pgbin piece;     /* streaming: bytes not yet sent */
        int pieces;
    } rd;
    unsigned char *ahead;       /* a large file's first bytes */
    struct import_times t;
};

/* The monotonic clock, in seconds. */
double run_now(void);

/* events.c: an event to the sink, with the path being walked. */
void run_emit(struct run *r, struct import_event *ev);
/* A progress event (at: the entry met, or NULL after a report). */
void run_progress(struct run *r, const struct walk_entry *at);
/* Tell item it of batch b: its problems (with_problems), the merge's
 * lines (merge_lines: one a line, or NULL) and its outcome f. */
void run_emit_item(struct run *r, const struct batch *b,
                   const struct batch_item *it, struct import_file *f,
                   int with_problems, const char *merge_lines);
/* The outcome of a file as the reading thread counted it (validate, or a
 * file set aside before it was sent). */
struct import_file run_counted(const struct batch *b,
                               const struct batch_item *it);
/* Tell every item of b, committed or rolled back; then empty it. */
void run_emit_batch(struct run *r, struct batch *b, int committed);

/* import.c: stop the run with this error (the first one kept). */
void run_fail(struct run *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void run_out_of_memory(struct run *r);
/* Nonzero when the run is stopping (an error, or the caller's stop flag,
 * which marks it interrupted). */
int run_stop_requested(struct run *r);

/* readfile.c: send what a streamed file holds (stage rows, and full
 * pieces; all: everything).  0, or -1 after run_fail(). */
int run_stream_flush(struct run *r, int all);
/* Read up to len bytes of in into buf.  Returns the bytes read; *failed
 * set on a read error. */
size_t run_read_block(struct run *r, unsigned char *buf, size_t len,
                      struct walk_input *in, int *failed);
/* Parse the file from src and settle its item (r->rd.item of the batch
 * being filled): its reports staged, or, set aside whole, nothing of it
 * left in the batch but its name and why.  stage_mark: where the file's
 * stage rows began. */
void run_parse_file(struct run *r, struct source *src,
                    struct walk_input *in, size_t stage_mark);

#endif
