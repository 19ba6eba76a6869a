/*
 * xlsx.h - rtables as an Excel workbook (Office Open XML), written with
 * libxlsxwriter, the C library for the format: a sheet per table with a
 * bold header row of labels and frozen panes, counts as integer cells and
 * percentages as numbers in a one-decimal percent format (45.5 % is the
 * number 0.455), truth values as booleans, no value as an empty cell; and
 * an about sheet (about.h).
 */
#ifndef IS248_CLI_XLSX_H
#define IS248_CLI_XLSX_H

#include "about.h"
#include "outfile.h"
#include "rtable.h"

/* The workbook into of (open, not standard output); of is left open for
 * the caller's outfile_close().  libxlsxwriter writes a file by name, so
 * the workbook is made in a private temporary directory and copied into
 * of.  Returns EXIT_OK, or after a message EXIT_INTERNAL (the library or
 * memory failed) or EXIT_USAGE (the temporary directory cannot be made:
 * TMPDIR). */
int xlsx_write(struct outfile *of, const struct rtable *sheets, int n,
               const struct about *about);

#endif
