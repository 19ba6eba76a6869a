/*
 * summary.c - the summary of an import (see summary.h).
 */
#include "summary.h"
#include "json.h"
#include "table.h"

#include "ingest/printable.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* The table's columns: header and value of a row. */
#define COLUMNS 11

static const char *const headers[COLUMNS] = {
    "path", "files", "loaded", "already loaded", "files set aside",
    "set aside before", "reports new", "unchanged", "reports set aside", "answers set aside",
    "time"
};


/* The rows and the total as text, for table_print_cells() */
struct cells {
    const struct summary_row *rows, *total;
    int n;
    char (*v)[COLUMNS][32];
    char **path;    /* each row's path escaped (printable.h): a file name
                     * from a sender must not reach the terminal raw */
};

static const char *header(const void *ctx, int col)
{
    (void)ctx;
    return headers[col];
}

static const char *cell(const void *ctx, int row, int col)
{
    const struct cells *c = ctx;
    if (col == 0)
        return row < c->n ? c->path[row] : "total";
    return c->v[row][col];
}

static int right(const void *ctx, int col)
{
    (void)ctx;
    return col > 0;
}

void summary_table(FILE *out, const struct summary_row *rows, int n,
                   const struct summary_row *total)
{
    struct cells c = { rows, total, n, calloc((size_t)n + 1, sizeof *c.v),
                       calloc((size_t)n + 1, sizeof *c.path) };
    int ok = c.v && c.path;
    for (int i = 0; ok && i < n; i++)
        ok = (c.path[i] = printable_dup(rows[i].path)) != NULL;
    if (!ok) {
        /* out of memory: the summary line on stderr says it all */
        for (int i = 0; c.path && i < n; i++)
            free(c.path[i]);
        free(c.path);
        free(c.v);
        return;
    }
    for (int i = 0; i <= n; i++) {
        const struct summary_row *r = i < n ? &rows[i] : total;
        const uint64_t k[COLUMNS - 2] = {
            r->t.files, r->t.files_loaded, r->t.files_already,
            r->t.files_rejected, r->t.files_rejected_before,
            r->t.reports_loaded, r->t.reports_unchanged,
            r->t.reports_rejected, r->t.answers_rejected
        };
        for (int j = 0; j < COLUMNS - 2; j++)
            snprintf(c.v[i][j + 1], sizeof c.v[i][j + 1], "%" PRIu64, k[j]);
        snprintf(c.v[i][COLUMNS - 1], sizeof c.v[i][COLUMNS - 1], "%.3f s",
                 r->seconds);
    }
    /* one path: its row alone; more: a row each and the total */
    struct table t = { n > 1 ? n + 1 : n, COLUMNS, header, cell, right, &c,
                       n > 1, 0 };
    table_print_cells(out, &t);
    for (int i = 0; i < n; i++)
        free(c.path[i]);
    free(c.path);
    free(c.v);
}

static void json_counts(FILE *out, const struct summary_row *r)
{
    const struct import_totals *t = &r->t;
    fprintf(out,
            "\"files\": %" PRIu64 ", \"files_loaded\": %" PRIu64
            ", \"files_already_loaded\": %" PRIu64
            ", \"files_set_aside\": %" PRIu64
            ", \"files_set_aside_before\": %" PRIu64
            ", \"reports_loaded\": %" PRIu64
            ", \"reports_correcting\": %" PRIu64
            ", \"reports_unchanged\": %" PRIu64
            ", \"reports_set_aside\": %" PRIu64
            ", \"answers_set_aside\": %" PRIu64 ", \"warnings\": %" PRIu64
            ", \"entries_skipped\": %" PRIu64 ", \"seconds\": %.3f",
            t->files, t->files_loaded, t->files_already, t->files_rejected,
            t->files_rejected_before, t->reports_loaded,
            t->reports_correcting, t->reports_unchanged, t->reports_rejected,
            t->answers_rejected, t->warnings, t->skipped, r->seconds);
}

const char *summary_status(int exit_code)
{
    switch (exit_code) {
    case 0: return "ok";
    case 1: return "problems";
    case 2: return "configuration";
    case 4: return "locked";
    case 5: return "interrupted";
    default: return "failed"; /* 3, 6 */
    }
}

void summary_json(FILE *out, int64_t run_id, int exit_code,
                  const struct summary_row *rows, int n,
                  const struct summary_row *total)
{
    fprintf(out, "{\n  \"run_id\": ");
    if (run_id > 0)
        fprintf(out, "%" PRId64, run_id);
    else
        fputs("null", out);
    if (run_id < 0)
        fputs(",\n  \"dry_run\": true", out);
    fprintf(out, ",\n  \"status\": ");
    json_string(out, summary_status(exit_code));
    fprintf(out, ",\n  \"exit_code\": %d,\n  \"total\": {", exit_code);
    json_counts(out, total);
    fputs("},\n  \"paths\": [", out);
    for (int i = 0; i < n; i++) {
        fputs(i ? ",\n    {\"path\": " : "\n    {\"path\": ", out);
        json_string(out, rows[i].path);
        fputs(", ", out);
        json_counts(out, &rows[i]);
        fputc('}', out);
    }
    fputs(n ? "\n  ]\n}\n" : "]\n}\n", out);
}

/* The longest a count's text can be: 20 digits of a uint64_t; seconds
 * are written with %.3f and are far below 1e15. */
#define NUMBER_MAX 20

size_t summary_json_bound(int npaths, char *const *paths)
{
    /* the keys and punctuation of one set of counts, measured */
    static const struct summary_row zero = { "", { 0 }, 0.0 };
    char probe[1024];
    FILE *f = fmemopen(probe, sizeof probe, "w");
    size_t counts = sizeof probe;
    if (f) {
        json_counts(f, &zero);
        long len = ftell(f);
        fclose(f);
        if (len > 0)
            counts = (size_t)len;
    }
    /* 13 numbers, each written here as one digit */
    counts += 13 * NUMBER_MAX;
    /* run_id, dry_run, status, exit_code, total */
    size_t bound = 256 + counts;
    for (int i = 0; i < npaths; i++)
        /* a byte escaped as \u00XX is six; the row's own punctuation */
        bound += 6 * strlen(paths[i]) + counts + 32;
    return bound;
}

int summary_json_file(struct outfile *of, int64_t run_id, int exit_code,
                      const struct summary_row *rows, int n,
                      const struct summary_row *total)
{
    if (of->f)
        summary_json(of->f, run_id, exit_code, rows, n, total);
    return outfile_close(of);
}
