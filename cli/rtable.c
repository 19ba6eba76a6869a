/*
 * rtable.c - result tables and their text, CSV and JSON writers (see
 * rtable.h).
 */
#include "rtable.h"

#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "table.h"

const char *rtable_cell(const struct rtable *t, int r, int c)
{
    return t->cells[(size_t)r * (size_t)t->ncols + (size_t)c];
}

int rtable_from_pg(struct rtable *t, const PGresult *res,
                   int (*rows_keep)(const PGresult *res, int row, void *ctx),
                   void *ctx)
{
    int rows = PQntuples(res);
    t->nrows = 0;
    t->cells = calloc((size_t)(rows ? rows : 1) * (size_t)(t->ncols ? t->ncols : 1),
                      sizeof *t->cells);
    int *src = calloc((size_t)(t->ncols ? t->ncols : 1), sizeof *src);
    if (!t->cells || !src) {
        free(t->cells);
        free(src);
        t->cells = NULL;
        return -1;
    }
    for (int c = 0; c < t->ncols; c++)
        src[c] = PQfnumber(res, t->cols[c].name);
    for (int r = 0; r < rows; r++) {
        if (rows_keep && !rows_keep(res, r, ctx))
            continue;
        for (int c = 0; c < t->ncols; c++)
            if (src[c] >= 0 && !PQgetisnull(res, r, src[c]))
                t->cells[(size_t)t->nrows * (size_t)t->ncols + (size_t)c] =
                    PQgetvalue(res, r, src[c]);
        t->nrows++;
    }
    free(src);
    return 0;
}

void rtable_free(struct rtable *t)
{
    free(t->cells);
    free(t->own);
    t->own = NULL;
    t->cells = NULL;
    t->nrows = 0;
}

/* ------------------------------------------------------------------------ */
/* Text                                                                     */

struct text_ctx {
    const struct rtable *t;
    int labels;
};

static const char *text_header(const void *ctx, int col)
{
    const struct text_ctx *x = ctx;
    const struct rtable_column *c = &x->t->cols[col];
    return x->labels && c->label ? c->label : c->name;
}

static const char *text_cell(const void *ctx, int row, int col)
{
    const struct text_ctx *x = ctx;
    const char *v = rtable_cell(x->t, row, col);
    return v ? v : "";
}

static int text_right(const void *ctx, int col)
{
    const struct text_ctx *x = ctx;
    enum column_type type = x->t->cols[col].type;
    return type == COL_INT || type == COL_PCT;
}

int rtable_print(FILE *out, const struct rtable *t, int labels)
{
    struct text_ctx x = { t, labels };
    struct table tab = { t->nrows, t->ncols, text_header, text_cell,
                         text_right, &x, 0, 1 };
    return table_print_cells(out, &tab);
}

/* ------------------------------------------------------------------------ */
/* CSV                                                                      */

int csv_dialect_parse(const char *s, enum csv_dialect *out)
{
    if (strcmp(s, "rfc4180") == 0)
        *out = CSV_RFC4180;
    else if (strcmp(s, "excel-nb") == 0)
        *out = CSV_EXCEL_NB;
    else
        return -1;
    return 0;
}

/* A field: quoted when it holds the separator, a quote or a line break
 * (quotes doubled).  In Excel's dialect a percentage gets a decimal
 * comma, and a text of digits with a leading zero (a unit or county code)
 * is written as the formula ="0301", which Excel shows as the text it is
 * rather than the number 301. */
static void csv_field(FILE *out, const char *s, enum column_type type,
                      enum csv_dialect d)
{
    char sep = d == CSV_EXCEL_NB ? ';' : ',';
    if (d == CSV_EXCEL_NB && type == COL_PCT) {
        for (; *s; s++)
            fputc(*s == '.' ? ',' : *s, out);
        return;
    }
    if (d == CSV_EXCEL_NB && type == COL_TEXT && s[0] == '0' &&
        s[strspn(s, "0123456789")] == '\0') {
        fprintf(out, "\"=\"\"%s\"\"\"", s);
        return;
    }
    if (type == COL_BOOL) {
        fputs(strcmp(s, "t") == 0 ? "true" : "false", out);
        return;
    }
    csv_text(out, s, sep);
}

void csv_text(FILE *out, const char *s, char sep)
{
    char special[] = { sep, '"', '\r', '\n', '\0' };
    if (!s[strcspn(s, special)]) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

int rtable_csv(FILE *out, const struct rtable *t, int n, const char *key,
               enum csv_dialect d)
{
    char sep = d == CSV_EXCEL_NB ? ';' : ',';
    /* the union of the columns: others first, then percentages */
    int total = 0;
    for (int i = 0; i < n; i++)
        total += t[i].ncols;
    const struct rtable_column **u = calloc((size_t)(total ? total : 1),
                                            sizeof *u);
    int *at = calloc((size_t)(total ? total : 1), sizeof *at);
    if (!u || !at) {
        free(u);
        free(at);
        return -1;
    }
    int nu = 0;
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < n; i++)
            for (int c = 0; c < t[i].ncols; c++) {
                const struct rtable_column *col = &t[i].cols[c];
                if ((col->type == COL_PCT) != pass)
                    continue;
                int k = 0;
                while (k < nu && strcmp(u[k]->name, col->name) != 0)
                    k++;
                if (k == nu)
                    u[nu++] = col;
            }

    if (d == CSV_EXCEL_NB)
        fputs("\xEF\xBB\xBF", out);
    int first = 1;
    if (key) {
        csv_field(out, key, COL_TEXT, d);
        first = 0;
    }
    for (int k = 0; k < nu; k++) {
        if (!first)
            fputc(sep, out);
        csv_field(out, u[k]->name, COL_TEXT, d);
        first = 0;
    }
    fputs("\r\n", out);
    for (int i = 0; i < n; i++) {
        for (int k = 0; k < nu; k++) {
            at[k] = -1;
            for (int c = 0; c < t[i].ncols; c++)
                if (strcmp(t[i].cols[c].name, u[k]->name) == 0)
                    at[k] = c;
        }
        for (int r = 0; r < t[i].nrows; r++) {
            first = 1;
            if (key) {
                csv_field(out, t[i].name, COL_TEXT, d);
                first = 0;
            }
            for (int k = 0; k < nu; k++) {
                if (!first)
                    fputc(sep, out);
                first = 0;
                const char *v = at[k] >= 0 ? rtable_cell(&t[i], r, at[k]) : NULL;
                if (v)
                    csv_field(out, v, u[k]->type, d);
            }
            fputs("\r\n", out);
        }
    }
    free(u);
    free(at);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* JSON                                                                     */

void rtable_json(FILE *out, const struct rtable *t, int n)
{
    fputc('{', out);
    for (int i = 0; i < n; i++) {
        fprintf(out, "%s\n  ", i ? "," : "");
        json_string(out, t[i].name);
        fputs(": [", out);
        for (int r = 0; r < t[i].nrows; r++) {
            fprintf(out, "%s\n    {", r ? "," : "");
            for (int c = 0; c < t[i].ncols; c++) {
                const struct rtable_column *col = &t[i].cols[c];
                const char *v = rtable_cell(&t[i], r, c);
                fputs(c ? ", " : "", out);
                json_string(out, col->name);
                fputs(": ", out);
                if (!v)
                    fputs("null", out);
                else if (col->type == COL_INT || col->type == COL_PCT)
                    fputs(v, out);
                else if (col->type == COL_BOOL)
                    fputs(strcmp(v, "t") == 0 ? "true" : "false", out);
                else
                    json_string(out, v);
            }
            fputc('}', out);
        }
        fputs(t[i].nrows ? "\n  ]" : "]", out);
    }
    fputs(n ? "\n}\n" : "}\n", out);
}
