/*
 * table.h - a query result as psql's aligned format prints it: centred
 * headers, numbers to the right, text to the left, no blanks after the
 * last column, "(N rows)".  For trends and status.
 */
#ifndef IS248_CLI_TABLE_H
#define IS248_CLI_TABLE_H

#include <stddef.h>
#include <stdio.h>

#include <libpq-fe.h>

/* Characters (not bytes) of a UTF-8 string. */
size_t table_width(const char *s);
/* 1 for the numeric types (int2, int4, int8, float4, float8, numeric). */
int table_numeric(Oid type);
/* res on stdout; 0, or -1 out of memory. */
int table_print(const PGresult *res);

/* Any table, given by its cells: the same layout, to out. */
struct table {
    int rows, cols;
    const char *(*header)(const void *ctx, int col);
    const char *(*cell)(const void *ctx, int row, int col);
    int (*right)(const void *ctx, int col);  /* 1: aligned to the right */
    const void *ctx;
    int rule_before_last;   /* a rule above the last row (a total) */
    int count_rows;         /* "(N rows)" below */
};
int table_print_cells(FILE *out, const struct table *t);

#endif
