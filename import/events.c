/*
 * events.c - what an import run tells its caller (see run.h): each file's
 * problems, the merge's lines and its outcome, in the order the walk met
 * the files, once their batch is committed or rolled back; and progress.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "run.h"

double run_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void run_emit(struct run *r, struct import_event *ev)
{
    ev->path_index = r->path_index;
    ev->path = r->path;
    if (r->sink && r->sink->event)
        r->sink->event(r->sink->ctx, ev);
}

void run_progress(struct run *r, const struct walk_entry *at)
{
    struct import_event ev = { .kind = IMPORT_PROGRESS };
    ev.files_read = r->files_read;
    ev.reports_read = r->reports_read;
    ev.at = at;
    if (at) {
        ev.source = at->source;
        ev.entry = at->entry;
    }
    run_emit(r, &ev);
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
void run_emit_item(struct run *r, const struct batch *b,
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
        run_emit(r, &ev);
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
            run_emit(r, &ev);
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
        run_emit(r, &ev);
        line = end ? end + 1 : line + n;
    }
    f->sha256 = it->have_sha ? it->sha256 : NULL;
    f->bytes = it->bytes;
    ev.kind = IMPORT_FILE;
    ev.file = f;
    import_totals_add(&r->res->totals, f);
    run_emit(r, &ev);
    r->path_index = saved_path;
    r->path = saved;
}

/* The outcome of a file as the reading thread counted it (validate, or a
 * file set aside before it was sent). */
struct import_file run_counted(const struct batch *b,
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
void run_emit_batch(struct run *r, struct batch *b, int committed)
{
    for (size_t i = 0; i < b->n_items; i++) {
        const struct batch_item *it = &b->items[i];
        if (it->kind == ITEM_SKIPPED) {
            run_emit_item(r, b, it, NULL, 0, NULL);
            continue;
        }
        if (!committed) {
            struct import_file f = { .outcome = IMPORT_ROLLED_BACK };
            r->res->rolled_back++;
            run_emit_item(r, b, it, &f, 0, NULL);
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
            run_emit_item(r, b, it, &f, 1, x->conflicts);
            break;
        case LOADER_ALREADY:
            f.outcome = IMPORT_ALREADY;
            f.came_from = x->came_from;
            run_emit_item(r, b, it, &f, 0, NULL);
            break;
        case LOADER_REJECTED:
            f.outcome = IMPORT_REJECTED;
            f.reason = batch_str(b, it->reason);
            run_emit_item(r, b, it, &f, 0, NULL);
            break;
        case LOADER_REJECTED_BEFORE:
            f.outcome = IMPORT_REJECTED_BEFORE;
            f.reason = batch_str(b, it->reason);
            f.came_from = x->came_from;
            run_emit_item(r, b, it, &f, 0, NULL);
            break;
        }
    }
    if (committed && b->n_files > 0) {
        struct import_batch done = { ++r->batches_committed, b->n_files, 0,
                                     run_now() - b->started };
        for (size_t i = 0; i < b->n_items; i++)
            if (b->items[i].kind == ITEM_FILE)
                done.bytes += b->items[i].bytes;
        struct import_event ev = { .kind = IMPORT_BATCH };
        ev.batch = &done;
        run_emit(r, &ev);
    }
    batch_reset(b);
}
