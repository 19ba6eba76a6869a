/*
 * table.h - a query result as psql's aligned format prints it: centred
 * headers, numbers to the right, text to the left, no blanks after the
 * last column, "(N rows)".  For trends and status.
 */
#ifndef IS248_CLI_TABLE_H
#define IS248_CLI_TABLE_H

#include <stddef.h>

#include <libpq-fe.h>

/* Characters (not bytes) of a UTF-8 string. */
size_t table_width(const char *s);
/* 1 for the numeric types (int2, int4, int8, float4, float8, numeric). */
int table_numeric(Oid type);
/* res on stdout; 0, or -1 out of memory. */
int table_print(const PGresult *res);

#endif
