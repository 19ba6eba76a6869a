/*
 * summary.h - what an import did, per path given and in all: a table on
 * stdout at the end (like pgloader's), and the same as JSON for machines
 * (--json-summary FILE, written through outfile.h).
 */
#ifndef IS248_CLI_SUMMARY_H
#define IS248_CLI_SUMMARY_H

#include <stdint.h>
#include <stdio.h>

#include "import/import.h"
#include "outfile.h"

struct summary_row {
    const char *path;          /* as given on the command line */
    struct import_totals t;       /* what became of its files */
    double seconds;
};

/* The table: one row per path, then the total (when more than one). */
void summary_table(FILE *out, const struct summary_row *rows, int n,
                   const struct summary_row *total);

/* The word "status" of the JSON says for an exit code: ok (0), problems
 * (1), configuration (2), failed (3 and 6), locked (4), interrupted (5).
 * Static. */
const char *summary_status(int exit_code);

/* The JSON document (docs/operator-guide.md, "What an import did") to
 * out, its status summary_status(exit_code); run_id 0: no run began, < 0:
 * a dry run (rolled back: "run_id": null, "dry_run": true).  Errors are
 * left in ferror(out). */
void summary_json(FILE *out, int64_t run_id, int exit_code,
                  const struct summary_row *rows, int n,
                  const struct summary_row *total);

/* The most bytes summary_json() can write for these paths, to set aside
 * for it before any work (outfile_reserve()). */
size_t summary_json_bound(int npaths, char *const *paths);

/* summary_json() into of, then outfile_close(of): returns its exit code
 * (EXIT_OK, or after a message EXIT_USAGE or EXIT_INTERNAL). */
int summary_json_file(struct outfile *of, int64_t run_id, int exit_code,
                      const struct summary_row *rows, int n,
                      const struct summary_row *total);

#endif
