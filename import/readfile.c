/*
 * readfile.c - one file of a run parsed (see run.h): its bytes served to
 * the XML reader from memory (a file read whole) or from the walk's input
 * (a large file, its pieces sent to the database as they fill), each
 * report normalized and staged into the batch being filled, its problems
 * held to tell after the commit.
 */
#include <stdio.h>
#include <string.h>

#include "../ingest/printable.h"
#include "../load/loader.h"
#include "../load/stage.h"
#include "run.h"

/* Send what the stream holds (stage rows, and full pieces). */
int run_stream_flush(struct run *r, int all)
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
        run_out_of_memory(r);
        return -1;
    }
    if (b->stage.len >= STREAM_FLUSH || (all && b->stage.len > 0)) {
        if (loader_put(r->ld, b->stage.data, b->stage.len) != 0) {
            run_fail(r, "%s", loader_error(r->ld));
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
        if (s->tee->len >= PIECE_BYTES && run_stream_flush(s->run, 0) != 0) {
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
    if (run_stop_requested(r))
        return 1;
    struct batch *b = r->fill;
    struct batch_item *it = &b->items[r->rd.item];
    struct norm_report *n = r->norm;
    double t0 = run_now();
    normalize_report(raw, r->cfg->units, r->now_us, n);
    double t1 = run_now();
    r->t.normalize += t1 - t0;
    r->reports_read++;

    /* staged in validate too: what the database could not take is set
     * aside there as well (the rows are dropped with the file) */
    if (n->ok &&
        stage_report(&b->stage, r->rd.file_no, raw, n) == STAGE_BAD_TEXT)
        refuse_text(n);
    stage_problems(&b->stage, r->rd.file_no, raw, n);
    if (pgbin_failed(&b->stage)) {
        run_out_of_memory(r);
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
    r->t.stage += run_now() - t1;
    if (r->rd.streaming && run_stream_flush(r, 0) != 0) {
        r->rd.fatal = 1;
        return 1;
    }
    run_progress(r, NULL);
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

/* Read up to len bytes of in into buf.  Returns the bytes read; *failed
 * set on a read error. */
size_t run_read_block(struct run *r, unsigned char *buf, size_t len,
                         struct walk_input *in, int *failed)
{
    size_t got = 0;
    double t0 = run_now();
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
    r->t.unpack += run_now() - t0;
    return got;
}

/* Parse the file from src and settle the item: its reports were staged
 * (unless it is set aside whole, when nothing of it stays in the batch
 * but its name and why).  stage_mark and content_mark: where the file
 * began in the batch's buffers. */
void run_parse_file(struct run *r, struct source *src,
                       struct walk_input *in, size_t stage_mark)
{
    struct batch *b = r->fill;
    struct xmlrep_sink sink = { on_report, on_warning, r };
    char err[1024] = "";
    struct import_times before = r->t;
    double t0 = run_now();
    enum xmlrep_status st = xmlrep_read(read_source, src, source_error,
                                        r->cfg->xml, &sink, err, sizeof err);
    r->t.parse += run_now() - t0 - (r->t.normalize - before.normalize) -
                  (r->t.stage - before.stage);
    if (r->rd.fatal || run_stop_requested(r))
        return;
    struct batch_item *it = &b->items[r->rd.item];
    /* the rest of the bytes (for the SHA-256, and the database's pieces) */
    if (st == XMLREP_OK && src->in && !src->failed) {
        unsigned char buf[READ_CHUNK];
        ssize_t k;
        while ((k = read_source(src, buf, sizeof buf)) > 0)
            ;
    }
    double t1 = run_now();
    unsigned char sha[32];
    uint64_t bytes = 0;
    int failed = src->failed;
    if (in && walk_input_finish(in, sha, &bytes) != 0)
        failed = 1;
    r->t.unpack += run_now() - t1;
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
