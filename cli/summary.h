/*
 * summary.h - what an import did, per path given and in all: a table on
 * stdout at the end (like pgloader's), and the same as JSON for machines
 * (--json-summary FILE).
 */
#ifndef IS248_CLI_SUMMARY_H
#define IS248_CLI_SUMMARY_H

#include <stdint.h>
#include <stdio.h>

#include "import/import.h"

struct summary_row {
    const char *path;          /* as given on the command line */
    struct import_totals t;       /* what became of its files */
    double seconds;
};

/* The table: one row per path, then the total (when more than one). */
void summary_table(FILE *out, const struct summary_row *rows, int n,
                   const struct summary_row *total);

/* The JSON document (README, "Running unattended") to out, which is then
 * closed (unless it is stdout).  Returns 0, or -1 with errno set. */
int summary_json(FILE *out, int64_t run_id, const char *status,
                 int exit_code, const struct summary_row *rows, int n,
                 const struct summary_row *total);

#endif
