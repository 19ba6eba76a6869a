/*
 * summary.c - the summary of an import (see summary.h).
 */
#include "summary.h"
#include "table.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

/* The table's columns: header and value of a row. */
#define COLUMNS 10

static const char *const headers[COLUMNS] = {
    "path", "files", "loaded", "already loaded", "files set aside",
    "reports new", "unchanged", "reports set aside", "answers set aside",
    "time"
};


static void cells(const struct summary_row *r, char v[COLUMNS][64])
{
    const uint64_t n[COLUMNS - 2] = {
        r->t.files, r->t.files_loaded, r->t.files_already, r->t.files_rejected,
        r->t.reports_loaded, r->t.reports_unchanged, r->t.reports_rejected,
        r->t.answers_rejected
    };
    for (int i = 0; i < COLUMNS - 2; i++)
        snprintf(v[i + 1], sizeof v[i + 1], "%" PRIu64, n[i]);
    snprintf(v[COLUMNS - 1], sizeof v[COLUMNS - 1], "%.3f s", r->seconds);
}

static void pad(FILE *out, size_t n)
{
    while (n--)
        fputc(' ', out);
}

static void print_row(FILE *out, const char *path, char v[COLUMNS][64],
                      const size_t *w)
{
    fprintf(out, " %s", path);
    pad(out, w[0] - table_width(path));
    for (int j = 1; j < COLUMNS; j++) {
        fputs(" | ", out);
        pad(out, w[j] - strlen(v[j]));
        fputs(v[j], out);
    }
    fputc('\n', out);
}

void summary_table(FILE *out, const struct summary_row *rows, int n,
                   const struct summary_row *total)
{
    size_t w[COLUMNS];
    char v[COLUMNS][64];
    for (int j = 0; j < COLUMNS; j++)
        w[j] = table_width(headers[j]);
    for (int i = 0; i <= n; i++) {
        const struct summary_row *r = i < n ? &rows[i] : total;
        const char *path = i < n ? r->path : "total";
        if (table_width(path) > w[0])
            w[0] = table_width(path);
        cells(r, v);
        for (int j = 1; j < COLUMNS; j++)
            if (strlen(v[j]) > w[j])
                w[j] = strlen(v[j]);
    }
    for (int j = 0; j < COLUMNS; j++) {
        fputs(j ? " | " : " ", out);
        if (j == 0) {
            fputs(headers[j], out);
            pad(out, w[j] - table_width(headers[j]));
        } else {
            pad(out, w[j] - table_width(headers[j]));
            fputs(headers[j], out);
        }
    }
    fputc('\n', out);
    for (int j = 0; j < COLUMNS; j++) {
        fputs(j ? "-+-" : "-", out);
        for (size_t k = 0; k < w[j]; k++)
            fputc('-', out);
    }
    fputs("-\n", out);
    for (int i = 0; i < n; i++) {
        cells(&rows[i], v);
        print_row(out, rows[i].path, v, w);
    }
    if (n > 1) {
        for (int j = 0; j < COLUMNS; j++) {
            fputs(j ? "-+-" : "-", out);
            for (size_t k = 0; k < w[j]; k++)
                fputc('-', out);
        }
        fputs("-\n", out);
        cells(total, v);
        print_row(out, "total", v, w);
    }
}

/* s as a JSON string: quotes, backslashes and control characters escaped;
 * the bytes are UTF-8 already (labels are escaped by the walker). */
static void json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (*c == '"' || *c == '\\')
            fprintf(out, "\\%c", *c);
        else if (*c < 0x20 || *c == 0x7f)
            fprintf(out, "\\u%04x", *c);
        else
            fputc(*c, out);
    }
    fputc('"', out);
}

static void json_counts(FILE *out, const struct summary_row *r)
{
    const struct run_totals *t = &r->t;
    fprintf(out,
            "\"files\": %" PRIu64 ", \"files_loaded\": %" PRIu64
            ", \"files_already_loaded\": %" PRIu64
            ", \"files_set_aside\": %" PRIu64
            ", \"reports_loaded\": %" PRIu64
            ", \"reports_unchanged\": %" PRIu64
            ", \"reports_set_aside\": %" PRIu64
            ", \"answers_set_aside\": %" PRIu64 ", \"warnings\": %" PRIu64
            ", \"entries_skipped\": %" PRIu64 ", \"seconds\": %.3f",
            t->files, t->files_loaded, t->files_already, t->files_rejected,
            t->reports_loaded, t->reports_unchanged, t->reports_rejected,
            t->answers_rejected, t->warnings, t->skipped, r->seconds);
}

int summary_json(FILE *out, int64_t run_id, const char *status,
                 int exit_code, const struct summary_row *rows, int n,
                 const struct summary_row *total)
{
    errno = 0;
    fprintf(out, "{\n  \"run_id\": ");
    if (run_id > 0)
        fprintf(out, "%" PRId64, run_id);
    else
        fputs("null", out);
    fprintf(out, ",\n  \"status\": ");
    json_string(out, status);
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
    if (out == stdout)
        return fflush(out) == 0 && !ferror(out) ? 0 : -1;
    int failed = ferror(out);
    if (fclose(out) != 0 || failed) {
        if (!errno)
            errno = EIO;
        return -1;
    }
    return 0;
}
