/*
 * rtable.h - a result table with typed columns, and its writers: aligned
 * text (as psql prints), CSV (RFC 4180, or the dialect Norwegian Excel
 * opens), JSON.  The xlsx writer is xlsx.h.  trends, report and export
 * build their output as rtables, so every format writes the same cells.
 *
 * An rtable borrows everything it points to (names, labels, cells); the
 * cells of rtable_from_pg() point into the PGresult, which must outlive
 * the table.  Only the cell array and own are owned (rtable_free()).
 */
#ifndef IS248_CLI_RTABLE_H
#define IS248_CLI_RTABLE_H

#include <stdio.h>

#include <libpq-fe.h>

#include "catalog.h"

struct rtable_column {
    const char *name;   /* stable name: CSV and JSON keys */
    const char *label;  /* header for people (text, xlsx, HTML); NULL: name */
    const char *about;  /* what it holds (xlsx's about sheet); NULL: none */
    enum column_type type;
};

struct rtable {
    const char *name;   /* the table's key: CSV's first column, JSON's key,
                         * the sheet */
    const char *title;  /* heading; NULL: none */
    const struct rtable_column *cols;
    int ncols, nrows;
    const char **cells; /* nrows * ncols, row by row; NULL: no value */
    int freeze_cols;    /* xlsx: columns kept in view (with the header) */
    void *own;          /* freed by rtable_free() (a cols array made for
                         * the table); NULL: none */
};

/* The cell of row r, column c: NULL for no value. */
const char *rtable_cell(const struct rtable *t, int r, int c);

/* Fill t's cells from res: column j of t is res's column of the same
 * name (absent: no value).  rows_keep, when not NULL, is called per row
 * and the row left out when it returns 0.  0, or -1 out of memory (t's
 * cells NULL). */
int rtable_from_pg(struct rtable *t, const PGresult *res,
                   int (*rows_keep)(const PGresult *res, int row, void *ctx),
                   void *ctx);
void rtable_free(struct rtable *t);

/* Aligned text: headers are the labels when labels is 1, else the names;
 * numbers to the right; "(N rows)" below.  0, or -1 out of memory. */
int rtable_print(FILE *out, const struct rtable *t, int labels);

enum csv_dialect {
    CSV_RFC4180,  /* ',' '.', CRLF, no BOM */
    CSV_EXCEL_NB  /* UTF-8 BOM, ';', decimal comma, CRLF */
};
/* "rfc4180" or "excel-nb" into *out: 0, or -1. */
int csv_dialect_parse(const char *s, enum csv_dialect *out);

/* s as one CSV field (RFC 4180) to out: as it is, or in double quotes
 * (doubled inside) when it holds sep, a double quote or a line break. */
void csv_text(FILE *out, const char *s, char sep);

/*
 * The tables as one CSV: a header row of names, then every row of every
 * table.  key, when not NULL, is the name of a first column holding each
 * table's name.  The columns are those of the tables, each once: the
 * columns that are not percentages in the order first seen, then the
 * percentages in the order first seen; a field is empty where a table has
 * no such column or no value.  Returns 0, or -1 out of memory (nothing
 * written); write errors are left in ferror(out).
 */
int rtable_csv(FILE *out, const struct rtable *t, int n, const char *key,
               enum csv_dialect d);

/* The tables as one JSON object: a key per table (its name), an array of
 * row objects of its columns: numbers as numbers, truth values as true and
 * false, no value as null.  Errors are left in ferror(out). */
void rtable_json(FILE *out, const struct rtable *t, int n);

#endif
