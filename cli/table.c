/*
 * table.c - query results as psql prints them (see table.h).
 */
#include "table.h"

#include <stdio.h>
#include <stdlib.h>

/* Characters (not bytes) in a UTF-8 string. */
size_t table_width(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

int table_numeric(Oid t)
{
    /* int8, int2, int4, float4, float8, numeric */
    return t == 20 || t == 21 || t == 23 || t == 700 || t == 701 || t == 1700;
}

static void pad(FILE *out, size_t n)
{
    while (n--)
        fputc(' ', out);
}

static void rule(FILE *out, const size_t *w, int cols)
{
    for (int j = 0; j < cols; j++) {
        fputs(j ? "-+-" : "-", out);
        for (size_t k = 0; k < w[j]; k++)
            fputc('-', out);
    }
    fputs("-\n", out);
}

int table_print_cells(FILE *out, const struct table *t)
{
    int rows = t->rows, cols = t->cols;
    size_t *w = calloc((size_t)(cols > 0 ? cols : 1), sizeof *w);
    if (!w)
        return -1;
    for (int j = 0; j < cols; j++) {
        w[j] = table_width(t->header(t->ctx, j));
        for (int i = 0; i < rows; i++) {
            size_t x = table_width(t->cell(t->ctx, i, j));
            if (x > w[j])
                w[j] = x;
        }
    }
    for (int j = 0; j < cols; j++) {
        const char *h = t->header(t->ctx, j);
        size_t left = (w[j] - table_width(h)) / 2;
        fputs(j ? " | " : " ", out);
        pad(out, left);
        fputs(h, out);
        pad(out, w[j] - table_width(h) - left);
    }
    fputc('\n', out);
    rule(out, w, cols);
    for (int i = 0; i < rows; i++) {
        if (t->rule_before_last && rows > 1 && i == rows - 1)
            rule(out, w, cols);
        for (int j = 0; j < cols; j++) {
            const char *v = t->cell(t->ctx, i, j);
            fputs(j ? " | " : " ", out);
            if (t->right(t->ctx, j)) {
                pad(out, w[j] - table_width(v));
                fputs(v, out);
            } else {
                fputs(v, out);
                /* psql leaves no trailing blanks after the last column */
                if (j + 1 < cols)
                    pad(out, w[j] - table_width(v));
            }
        }
        fputc('\n', out);
    }
    if (t->count_rows)
        fprintf(out, "(%d row%s)\n", rows, rows == 1 ? "" : "s");
    free(w);
    return 0;
}

/* PGresult as a table */
static const char *res_header(const void *ctx, int col)
{
    return PQfname(ctx, col);
}

static const char *res_cell(const void *ctx, int row, int col)
{
    return PQgetvalue(ctx, row, col);
}

static int res_right(const void *ctx, int col)
{
    return table_numeric(PQftype(ctx, col));
}

int table_print(const PGresult *res)
{
    struct table t = { PQntuples(res), PQnfields(res), res_header, res_cell,
                       res_right, res, 0, 1 };
    return table_print_cells(stdout, &t);
}
