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

static void pad(size_t n)
{
    while (n--)
        putchar(' ');
}

/* res as psql's aligned format prints it: centred headers, numbers to the
 * right, text to the left, "(N rows)".  Returns 0, or -1 out of memory. */
int table_print(const PGresult *res)
{
    int rows = PQntuples(res), cols = PQnfields(res);
    size_t *w = calloc((size_t)(cols > 0 ? cols : 1), sizeof *w);
    if (!w)
        return -1;
    for (int j = 0; j < cols; j++) {
        w[j] = table_width(PQfname(res, j));
        for (int i = 0; i < rows; i++) {
            size_t x = table_width(PQgetvalue(res, i, j));
            if (x > w[j])
                w[j] = x;
        }
    }
    for (int j = 0; j < cols; j++) {
        const char *h = PQfname(res, j);
        size_t left = (w[j] - table_width(h)) / 2;
        fputs(j ? " | " : " ", stdout);
        pad(left);
        fputs(h, stdout);
        pad(w[j] - table_width(h) - left);
    }
    putchar('\n');
    for (int j = 0; j < cols; j++) {
        fputs(j ? "-+-" : "-", stdout);
        for (size_t k = 0; k < w[j]; k++)
            putchar('-');
    }
    fputs("-\n", stdout);
    for (int i = 0; i < rows; i++) {
        for (int j = 0; j < cols; j++) {
            const char *v = PQgetvalue(res, i, j);
            fputs(j ? " | " : " ", stdout);
            if (table_numeric(PQftype(res, j))) {
                pad(w[j] - table_width(v));
                fputs(v, stdout);
            } else {
                fputs(v, stdout);
                /* psql leaves no trailing blanks after the last column */
                if (j + 1 < cols)
                    pad(w[j] - table_width(v));
            }
        }
        putchar('\n');
    }
    printf("(%d row%s)\n", rows, rows == 1 ? "" : "s");
    free(w);
    return 0;
}
