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
 */
#include "import.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../load/db.h"
#include "../load/loader.h"
#include "../load/stage.h"
#include "../ingest/printable.h"
#include "../transform/instant.h"
#include "batch.h"
#include "dbworker.h"
#include "delivery.h"

#define READ_WHOLE (4U << 20)       /* read whole into the batch, at most */
#define READ_CHUNK (64U << 10)      /* bytes per walk_input_read() */
#define PIECE_BYTES (1U << 20)      /* a large file's bytes, per piece */
#define STREAM_FLUSH (1U << 20)     /* stage bytes held while streaming */
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

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------------------ */
/* Events                                                                    */

static void emit(struct run *r, struct import_event *ev)
{
    ev->path_index = r->path_index;
    ev->path = r->path;
    if (r->sink && r->sink->event)
        r->sink->event(r->sink->ctx, ev);
}

static void progress(struct run *r, const struct walk_entry *at)
{
    struct import_event ev = { .kind = IMPORT_PROGRESS };
    ev.files_read = r->files_read;
    ev.reports_read = r->reports_read;
    ev.at = at;
    if (at) {
        ev.source = at->source;
        ev.entry = at->entry;
    }
    emit(r, &ev);
}

void import_totals_add(struct import_totals *t, const struct import_file *f)
{
    t->files++;
    switch (f->outcome) {
    case IMPORT_LOADED: t->files_loaded++; break;
    case IMPORT_ALREADY: t->files_already++; break;
    case IMPORT_REJECTED: t->files_rejected++; break;
    case IMPORT_REJECTED_BEFORE: t->files_rejected_before++; break;
    case IMPORT_ROLLED_BACK: break;
    }
    t->reports_loaded += f->reports_loaded;
    t->reports_correcting += f->reports_correcting;
    t->reports_unchanged += f->reports_unchanged;
    t->reports_rejected += f->reports_rejected;
    t->answers_rejected += f->answers_rejected;
    t->warnings += f->warnings;
}

/*
 * Tell item it of batch b: its problems (unless dropped), the merge's
 * lines (conflicts, one a line), and its outcome f.
 */
static void emit_item(struct run *r, const struct batch *b,
                      const struct batch_item *it, struct import_file *f,
                      int with_problems, const char *merge_lines)
{
    struct import_event ev = { 0 };
    ev.source = batch_str(b, it->source);
    ev.entry = batch_str(b, it->entry);
    int saved_path = r->path_index;
    const char *saved = r->path;
    r->path_index = it->path_index;
    r->path = r->paths[it->path_index];
    if (it->kind == ITEM_SKIPPED) {
        ev.kind = IMPORT_SKIPPED;
        ev.reason = batch_str(b, it->reason);
        r->res->totals.skipped++;
        emit(r, &ev);
        r->path_index = saved_path;
        r->path = saved;
        return;
    }
    ev.kind = IMPORT_PROBLEM;
    if (with_problems) {
        for (size_t i = 0; i < it->n_problems; i++) {
            const struct batch_problem *p = &b->problems[it->first_problem + i];
            struct import_problem pr = { p->level, p->report_index,
                                         batch_str(b, p->text) };
            ev.problem = &pr;
            emit(r, &ev);
        }
        f->problems_unheld = it->problems_unheld;
    }
    /* the merge's lines: "report N (unit year): report set aside: ..." */
    for (const char *line = merge_lines; line && *line;) {
        const char *end = strchr(line, '\n');
        size_t n = end ? (size_t)(end - line) : strlen(line);
        char text[2048];
        snprintf(text, sizeof text, ", %.*s", (int)n, line);
        int index = 0;
        sscanf(line, "report %d", &index);
        struct import_problem pr = { PROBLEM_REPORT, index, text };
        ev.problem = &pr;
        emit(r, &ev);
        line = end ? end + 1 : line + n;
    }
    f->sha256 = it->have_sha ? it->sha256 : NULL;
    f->bytes = it->bytes;
    ev.kind = IMPORT_FILE;
    ev.file = f;
    import_totals_add(&r->res->totals, f);
    emit(r, &ev);
    r->path_index = saved_path;
    r->path = saved;
}

/* The outcome of a file as the reading thread counted it (validate, or a
 * file set aside before it was sent). */
static struct import_file counted(const struct batch *b,
                                  const struct batch_item *it)
{
    struct import_file f = { 0 };
    if (it->reason != BATCH_NONE) {
        f.outcome = IMPORT_REJECTED;
        f.reason = batch_str(b, it->reason);
        return f;
    }
    f.outcome = IMPORT_LOADED;
    f.reports_loaded = it->reports_ok;
    f.reports_rejected = it->reports_rejected;
    f.answers_rejected = it->answers_rejected;
    f.warnings = it->warnings;
    return f;
}

/* Tell every item of a batch committed (results filled), or, when
 * rolled_back, told so; then empty it. */
static void emit_batch(struct run *r, struct batch *b, int committed)
{
    for (size_t i = 0; i < b->n_items; i++) {
        const struct batch_item *it = &b->items[i];
        if (it->kind == ITEM_SKIPPED) {
            emit_item(r, b, it, NULL, 0, NULL);
            continue;
        }
        if (!committed) {
            struct import_file f = { .outcome = IMPORT_ROLLED_BACK };
            r->res->rolled_back++;
            emit_item(r, b, it, &f, 0, NULL);
            continue;
        }
        const struct loader_result *x = &b->results[it->file_no];
        struct import_file f = { 0 };
        switch (x->outcome) {
        case LOADER_LOADED:
            f.outcome = IMPORT_LOADED;
            f.reports_loaded = x->reports_loaded;
            f.reports_correcting = x->reports_correcting;
            f.reports_unchanged = x->reports_unchanged;
            f.reports_rejected = x->reports_rejected;
            f.answers_rejected = x->answers_rejected;
            f.warnings = x->warnings;
            emit_item(r, b, it, &f, 1, x->conflicts);
            break;
        case LOADER_ALREADY:
            f.outcome = IMPORT_ALREADY;
            f.came_from = x->came_from;
            emit_item(r, b, it, &f, 0, NULL);
            break;
        case LOADER_REJECTED:
            f.outcome = IMPORT_REJECTED;
            f.reason = batch_str(b, it->reason);
            emit_item(r, b, it, &f, 0, NULL);
            break;
        case LOADER_REJECTED_BEFORE:
            f.outcome = IMPORT_REJECTED_BEFORE;
            f.reason = batch_str(b, it->reason);
            f.came_from = x->came_from;
            emit_item(r, b, it, &f, 0, NULL);
            break;
        }
    }
    if (committed && b->n_files > 0) {
        struct import_batch done = { ++r->batches_committed, b->n_files, 0,
                                     now() - b->started };
        for (size_t i = 0; i < b->n_items; i++)
            if (b->items[i].kind == ITEM_FILE)
                done.bytes += b->items[i].bytes;
        struct import_event ev = { .kind = IMPORT_BATCH };
        ev.batch = &done;
        emit(r, &ev);
    }
    batch_reset(b);
}

/* ------------------------------------------------------------------------ */
/* Stopping                                                                  */

static void fail(struct run *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void fail(struct run *r, const char *fmt, ...)
{
    if (!r->res->error[0]) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(r->res->error, sizeof r->res->error, fmt, ap);
        va_end(ap);
    }
    r->stopping = 1;
}

static void out_of_memory(struct run *r)
{
    r->nomem = 1;
    fail(r, "out of memory");
}

static int stop_requested(struct run *r)
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
/* Batches                                                                   */

/* Take the batch out back from the worker and tell its files. */
static void collect(struct run *r)
{
    if (!r->out)
        return;
    int ok = 0;
    char error[1024];
    double t0 = now();
    struct batch *b = dbworker_wait(r->worker, &ok, error, sizeof error);
    r->t.waited += now() - t0;
    r->out = NULL;
    if (!b)
        return;
    if (!ok) {
        stop_requested(r);
        if (!r->interrupted)
            fail(r, "%s", error);
        describe_batch(r, b);
    }
    emit_batch(r, b, ok);
}

/* Send the batch being filled (when it holds anything) and start another. */
static void submit(struct run *r)
{
    struct batch *b = r->fill;
    if (b->n_items == 0)
        return;
    if (b->failed || batch_seal(b) != 0) {
        out_of_memory(r);
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
           now() - b->started >= r->batch_seconds;
}

/* ------------------------------------------------------------------------ */
/* Reading a file                                                            */

/* Send what the stream holds (stage rows, and full pieces). */
static int stream_flush(struct run *r, int all)
{
    struct batch *b = r->fill;
    if (!r->conn) {                 /* validate: nowhere to send them */
        pgbin_reset(&b->stage);
        return 0;
    }
    struct pgbin *pc = &r->rd.piece;
    while (pc->len >= PIECE_BYTES || (all && pc->len > 0)) {
        size_t k = pc->len < PIECE_BYTES ? pc->len : PIECE_BYTES;
        stage_piece(&b->stage, r->rd.file_no, r->rd.pieces++, pc->data, k);
        memmove(pc->data, pc->data + k, pc->len - k);
        pgbin_truncate(pc, pc->len - k);
    }
    if (pgbin_failed(pc) || pgbin_failed(&b->stage)) {
        out_of_memory(r);
        return -1;
    }
    if (b->stage.len >= STREAM_FLUSH || (all && b->stage.len > 0)) {
        if (loader_put(r->ld, b->stage.data, b->stage.len) != 0) {
            fail(r, "%s", loader_error(r->ld));
            return -1;
        }
        pgbin_reset(&b->stage);
    }
    return 0;
}

/* Serve bytes from memory, then from the input; copy them to tee. */
static ssize_t read_source(void *ctx, void *buf, size_t len)
{
    struct source *s = ctx;
    ssize_t n;
    if (s->mem_pos < s->mem_len) {
        size_t k = s->mem_len - s->mem_pos;
        if (k > len)
            k = len;
        memcpy(buf, s->mem + s->mem_pos, k);
        s->mem_pos += k;
        n = (ssize_t)k;
    } else if (s->in) {
        n = walk_input_read(s->in, buf, len);
        if (n < 0)
            s->failed = 1;
    } else {
        n = 0;
    }
    if (n > 0 && s->tee) {
        pgbin_put(s->tee, buf, (size_t)n);
        /* a file's pieces go as they fill, also where no report ends (a
         * long text, bytes after the root element) */
        if (s->tee->len >= PIECE_BYTES && stream_flush(s->run, 0) != 0) {
            s->failed = 1;
            return -1;
        }
    }
    return n;
}

static const char *source_error(void *ctx)
{
    const struct source *s = ctx;
    return s->in ? walk_input_error(s->in) : NULL;
}

/* A value from a delivery for a message: at most 40 characters, escaped
 * (ingest/printable.h). */
static const char *safe(const char *s, char *buf, size_t len)
{
    if (!s)
        return "?";
    return printable_copy(buf, len, s, strlen(s), 40);
}

static const char *level_words(enum problem_level l)
{
    switch (l) {
    case PROBLEM_REPORT: return "report set aside";
    case PROBLEM_ANSWER: return "answer set aside";
    default: return "warning";
    }
}

/* Keep the problems of a report to tell. */
static void hold_problems(struct run *r, const struct raw_report *raw,
                          const struct norm_report *n)
{
    char unit[64], year[64], text[2048];
    for (size_t i = 0; i < n->n_problems; i++) {
        const struct problem *p = &n->problems[i];
        int warn = p->level == PROBLEM_WARNING;
        snprintf(text, sizeof text, ", report %d (%s %s)%s%s: %s%s%s",
                 raw->index, safe(raw->unit_code, unit, sizeof unit),
                 safe(raw->year, year, sizeof year),
                 p->question[0] ? ", question " : "", p->question,
                 warn ? "" : level_words(p->level), warn ? "" : ": ",
                 p->reason);
        batch_problem(r->fill, p->level, raw->index, text);
    }
    if (n->n_dropped) {
        snprintf(text, sizeof text, ", report %d: %zu further problems not "
                 "listed", raw->index, n->n_dropped);
        batch_problem(r->fill, n->ok ? PROBLEM_WARNING : PROBLEM_REPORT,
                      raw->index, text);
    }
}

/* A report the stage cannot take (text that cannot be stored) is set
 * aside rather than stored altered. */
static void refuse_text(struct norm_report *n)
{
    n->ok = 0;
    if (n->n_problems < PROBLEM_MAX) {
        struct problem *p = &n->problems[n->n_problems++];
        p->level = PROBLEM_REPORT;
        p->question[0] = '\0';
        snprintf(p->reason, sizeof p->reason, "the report holds text that "
                 "is not valid UTF-8 or holds a control character");
    } else {
        n->n_dropped++;
    }
}

static int on_report(void *ctx, const struct raw_report *raw)
{
    struct run *r = ctx;
    if (stop_requested(r))
        return 1;
    struct batch *b = r->fill;
    struct batch_item *it = &b->items[r->rd.item];
    struct norm_report *n = r->norm;
    double t0 = now();
    normalize_report(raw, r->cfg->units, r->now_us, n);
    double t1 = now();
    r->t.normalize += t1 - t0;
    r->reports_read++;

    /* staged in validate too: what the database could not take is set
     * aside there as well (the rows are dropped with the file) */
    if (n->ok &&
        stage_report(&b->stage, r->rd.file_no, raw, n) == STAGE_BAD_TEXT)
        refuse_text(n);
    stage_problems(&b->stage, r->rd.file_no, raw, n);
    if (pgbin_failed(&b->stage)) {
        out_of_memory(r);
        r->rd.fatal = 1;
        return 1;
    }
    if (n->ok)
        it->reports_ok++;
    else
        it->reports_rejected++;
    for (size_t i = 0; i < n->n_problems; i++) {
        if (n->problems[i].level == PROBLEM_ANSWER)
            it->answers_rejected++;
        else if (n->problems[i].level == PROBLEM_WARNING)
            it->warnings++;
    }
    hold_problems(r, raw, n);
    r->t.stage += now() - t1;
    if (r->rd.streaming && stream_flush(r, 0) != 0) {
        r->rd.fatal = 1;
        return 1;
    }
    progress(r, NULL);
    return 0;
}

static void on_warning(void *ctx, long line, const char *msg)
{
    struct run *r = ctx;
    struct batch *b = r->fill;
    b->items[r->rd.item].warnings++;
    char text[1200];
    if (line > 0)
        snprintf(text, sizeof text, ": %s (line %ld)", msg, line);
    else
        snprintf(text, sizeof text, ": %s", msg);
    batch_problem(b, PROBLEM_WARNING, 0, text);
    stage_file_warning(&b->stage, r->rd.file_no, msg);
}

/* Read up to limit bytes of in into b->content (appended).  Returns the
 * bytes read; *failed set on a read error. */
/* Read up to len bytes of in into buf.  Returns the bytes read; *failed
 * set on a read error. */
static size_t read_block(struct run *r, unsigned char *buf, size_t len,
                         struct walk_input *in, int *failed)
{
    size_t got = 0;
    double t0 = now();
    while (got < len) {
        size_t want = len - got < READ_CHUNK ? len - got : READ_CHUNK;
        ssize_t k = walk_input_read(in, buf + got, want);
        if (k < 0) {
            *failed = 1;
            break;
        }
        if (k == 0)
            break;
        got += (size_t)k;
    }
    r->t.unpack += now() - t0;
    return got;
}

/* Parse the file from src and settle the item: its reports were staged
 * (unless it is set aside whole, when nothing of it stays in the batch
 * but its name and why).  stage_mark and content_mark: where the file
 * began in the batch's buffers. */
static void parse_file(struct run *r, struct source *src,
                       struct walk_input *in, size_t stage_mark)
{
    struct batch *b = r->fill;
    struct xmlrep_sink sink = { on_report, on_warning, r };
    char err[1024] = "";
    struct import_times before = r->t;
    double t0 = now();
    enum xmlrep_status st = xmlrep_read(read_source, src, source_error,
                                        r->cfg->xml, &sink, err, sizeof err);
    r->t.parse += now() - t0 - (r->t.normalize - before.normalize) -
                  (r->t.stage - before.stage);
    if (r->rd.fatal || stop_requested(r))
        return;
    struct batch_item *it = &b->items[r->rd.item];
    /* the rest of the bytes (for the SHA-256, and the database's pieces) */
    if (st == XMLREP_OK && src->in && !src->failed) {
        unsigned char buf[READ_CHUNK];
        ssize_t k;
        while ((k = read_source(src, buf, sizeof buf)) > 0)
            ;
    }
    double t1 = now();
    unsigned char sha[32];
    uint64_t bytes = 0;
    int failed = src->failed;
    if (in && walk_input_finish(in, sha, &bytes) != 0)
        failed = 1;
    r->t.unpack += now() - t1;
    memcpy(it->sha256, sha, sizeof sha);
    it->have_sha = 1;
    it->bytes = bytes;
    if (st == XMLREP_REJECTED || failed) {
        /* the source's reason first: a cap reached or an archive cut
         * short says more than what the parser made of the bytes */
        const char *why = failed && in ? walk_input_error(in) : err;
        it->reason = batch_string(b, why && *why ? why : "read error");
        batch_drop_problems(b);
        if (!r->rd.streaming)
            pgbin_truncate(&b->stage, stage_mark);
        it->reports_ok = it->reports_rejected = 0;
        it->answers_rejected = it->warnings = 0;
    }
}

/* A file met by the walk: counted, told to the progress, and added to the
 * batch being filled; NULL when memory runs out (the run stops). */
static struct batch_item *new_file(struct run *r, const struct walk_entry *e)
{
    r->files_read++;
    progress(r, e);
    struct batch *b = r->fill;
    if (b->n_items == 0)
        b->started = now();
    struct batch_item *it = batch_add(b, ITEM_FILE, r->path_index, e->source,
                                      e->entry);
    if (!it)
        out_of_memory(r);
    return it;
}

/* A file larger than READ_WHOLE: its first bytes are in r->ahead[0, n).
 * It goes in a batch of its own, streamed. */
static void stream_file(struct run *r, struct walk_input *in, size_t n)
{
    struct source src = { r->ahead, n, 0, in, NULL, r, 0 };
    r->rd.streaming = 1;
    if (!r->conn) {                 /* validate: only read it */
        parse_file(r, &src, in, 0);
        return;
    }
    struct batch *b = r->fill;
    r->rd.pieces = 0;
    pgbin_reset(&r->rd.piece);
    src.tee = &r->rd.piece;
    if (loader_begin(r->ld) != 0) {
        fail(r, "%s", loader_error(r->ld));
        describe_batch(r, b);
        emit_batch(r, b, 0);
        return;
    }
    parse_file(r, &src, in, 0);
    if (r->stopping || stream_flush(r, 1) != 0) {
        loader_rollback(r->ld);
        if (!r->res->stopped_at[0])
            describe_batch(r, b);
        emit_batch(r, b, 0);
        return;
    }
    if (batch_seal(b) != 0) {
        loader_rollback(r->ld);
        out_of_memory(r);
        emit_batch(r, b, 0);
        return;
    }
    double t0 = now();
    int rc = loader_commit(r->ld, b->files, b->n_files, b->results);
    r->t.waited += now() - t0;
    if (rc != 0) {
        stop_requested(r);
        if (!r->interrupted)
            fail(r, "%s", loader_error(r->ld));
        describe_batch(r, b);
    }
    emit_batch(r, b, rc == 0);
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
            out_of_memory(r);
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
        struct import_file f = counted(r->fill, &r->fill->items[r->rd.item]);
        emit_item(r, r->fill, &r->fill->items[r->rd.item], &f, 1, NULL);
        batch_reset(r->fill);
    }
    return r->stopping ? 1 : 0;
}

static int on_file(void *ctx, const struct walk_entry *e, struct walk_input *in)
{
    struct run *r = ctx;
    if (stop_requested(r))
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
        out_of_memory(r);
        return 1;
    }
    int failed = 0;
    size_t n = read_block(r, r->ahead, READ_WHOLE + 1, in, &failed);
    if (n > READ_WHOLE && !failed)
        return large_file(r, e, in, n);
    pgbin_put(&b->content, r->ahead, n);
    if (pgbin_failed(&b->content)) {
        out_of_memory(r);
        return 1;
    }

    it->content = content_mark;
    struct source src = { n ? b->content.data + content_mark : NULL, n, 0,
                          NULL, NULL, r, failed };
    parse_file(r, &src, in, stage_mark);
    if (r->stopping)
        return 1;
    it = &b->items[r->rd.item];
    if (it->reason != BATCH_NONE)
        pgbin_truncate(&b->content, content_mark);

    if (!r->conn) {
        struct import_file f = counted(b, it);
        emit_item(r, b, it, &f, it->reason == BATCH_NONE, NULL);
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
    progress(r, e);
    struct batch *b = r->fill;
    if (b->n_items == 0)
        b->started = now();
    struct batch_item *it = batch_add(b, ITEM_SKIPPED, r->path_index,
                                      e->source, e->entry);
    if (!it) {
        out_of_memory(r);
        return;
    }
    it->reason = batch_string(b, why);
    if (r->conn) {
        stage_skipped(&b->stage, e->source, e->entry, why);
    } else {
        emit_item(r, b, it, NULL, 0, NULL);
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
        struct import_file f = counted(b, it);
        emit_item(r, b, it, &f, 0, NULL);
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
        out_of_memory(r);
        return -1;
    }
    if (d == 0)
        return 0;
    struct db_delivery known;
    char *label = printable_dup(path);
    if (!label) {
        out_of_memory(r);
        return -1;
    }
    int k = db_delivery_read(r->conn, r->res->run_id, label, digest, &known,
                             err, sizeof err);
    free(label);
    if (k < 0) {
        fail(r, "%s", err);
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
        emit(r, &ev);
        return 1;
    }
    /* under the label the walk gives its files (is248.delivery_end()
     * counts them by it) */
    label = printable_dup(path);
    if (!label) {
        out_of_memory(r);
        return -1;
    }
    int64_t x = db_delivery_begin(r->conn, r->res->run_id, label, bytes, err,
                                  sizeof err);
    free(label);
    if (x < 0) {
        fail(r, "%s", err);
        return -1;
    }
    if (delivery_send(r->conn, x, path, bytes, err, sizeof err) != 0) {
        if (PQstatus(r->conn) != CONNECTION_OK ||
            PQtransactionStatus(r->conn) != PQTRANS_IDLE) {
            fail(r, "%s", err);
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
        fail(r, "%s", err);
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
    emit(r, &ev);
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
    stop_requested(r);          /* a signal that came after the last batch */
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
    emit(r, &ev);
    int64_t delivery = 0;
    unsigned char digest[32];
    int known = r->conn ? begin_delivery(r, r->path, digest, &delivery) : 0;
    if (known == 0) {
        int walked = walk_path(r->path, r->cfg->walk, h);
        stop_requested(r);
        if (r->conn && !r->stopping)
            submit(r);          /* a path's files are told at its end */
        if (r->conn)
            collect(r);
        if (delivery > 0 && walked == 0 && !r->stopping)
            end_delivery(r, delivery, digest);
    }
    ev.kind = IMPORT_PATH_END;
    emit(r, &ev);
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
            emit_batch(r, r->fill, 0);
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
    res->times.total = now() - t0;
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
    double t0 = now();
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
