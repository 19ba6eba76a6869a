/*
 * loader.h - put normalized reports into PostgreSQL, one report file per
 * transaction: all of a file's good reports, or none of them.
 *
 * For each file: loader_file_begin() opens a transaction and a COPY into a
 * temporary staging table; reports, their raw answers and their problems are
 * streamed into it as they are read; loader_file_commit() ends the COPY and
 * merges the staging rows into the tables with set-based statements, then
 * commits.  loader_file_abort() rolls everything back and records, in a
 * transaction of its own, that the file was set aside and why.
 *
 * Merging decides per report (delivery-format.md §7): a report already
 * loaded with the same content and submission time is unchanged; one with
 * the same unit, year and submission time but other content is set aside
 * ("conflicts with the report loaded from ..."); anything else is added, and
 * the latest submission time per unit and year is current.  A file whose
 * SHA-256 is already loaded is "already loaded" and adds nothing.
 *
 * The loader owns no connection: the caller opens and closes it (with
 * db_connect(), which sets client_encoding UTF8 as the loader requires).
 * While a file is open the connection is in COPY mode: run nothing else on
 * it between loader_file_begin() and loader_file_commit()/abort()/cancel().
 * loader_new() creates a temporary table, so the role needs TEMP on the
 * database (PUBLIC has it by default) and the schema must be migrated.
 */
#ifndef IS248_LOAD_LOADER_H
#define IS248_LOAD_LOADER_H

#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "../ingest/report.h"
#include "../transform/normalize.h"

struct loader;

/* Returns NULL with err set when the staging table cannot be made. */
struct loader *loader_new(PGconn *conn, int64_t run_id, char *err,
                          size_t errlen);
void loader_free(struct loader *ld);

/* Begin a file.  Returns 0, or -1 with loader_error() set (the connection
 * is then unusable or the server refused: treat as fatal). */
int loader_file_begin(struct loader *ld, const char *source,
                      const char *entry);

/*
 * Stream one report: when n->ok, its row and every raw answer; in any case
 * every problem of n (set-aside reports and answers, warnings).
 * Returns 0 or -1 (fatal, see loader_error()).
 */
int loader_file_report(struct loader *ld, const struct raw_report *raw,
                       const struct norm_report *n);

/* A warning about the file as a whole (the encoding fallback, say). */
int loader_file_warning(struct loader *ld, const char *reason);

enum file_outcome {
    FILE_LOADED = 0,     /* committed (possibly with nothing new in it) */
    FILE_ALREADY,        /* the same bytes were loaded before */
    FILE_REJECTED        /* set aside whole */
};

struct file_result {
    enum file_outcome outcome;
    uint64_t reports_loaded;     /* new rows in is248.report */
    uint64_t reports_unchanged;  /* already loaded, same content */
    uint64_t reports_rejected;   /* set aside (normalize or conflict) */
    uint64_t answers_rejected;
    uint64_t warnings;
    char already_entry[512];     /* FILE_ALREADY: where it was loaded from */
    char conflicts[4096];        /* reports the merge set aside, one line
                                  * each: "report N (unit year): reason";
                                  * cut short when very many */
};

/* End the COPY, merge and commit.  Returns 0 with *res filled, or -1
 * (fatal; the transaction is rolled back). */
int loader_file_commit(struct loader *ld, const unsigned char sha256[32],
                       uint64_t bytes, struct file_result *res);

/*
 * Roll the file back and record it as set aside with the reason.  Also used
 * for entries that could not be read at all (then call it without
 * loader_file_begin(): it records the rejection alone).  sha256 may be NULL.
 * Returns 0 or -1 (fatal).
 */
int loader_file_abort(struct loader *ld, const char *source,
                      const char *entry, const unsigned char *sha256,
                      uint64_t bytes, const char *reason);

/*
 * Roll the open file back and record nothing (the import was interrupted).
 * Does nothing when no file is open.  Returns 0, or -1 when the connection
 * is lost.
 */
int loader_file_cancel(struct loader *ld);

/*
 * Before a file is read, when its bytes are known already (a small file
 * read whole): when a file with the same SHA-256 was loaded before, record
 * this one as already loaded, copy where the first came from ("source" or
 * "source!entry") into already, and return 1: it need not be read.  Returns
 * 0 when it was not loaded before (nothing is recorded), -1 on error.  One
 * round trip; only between files.
 */
int loader_file_known(struct loader *ld, const char *source,
                      const char *entry, const unsigned char sha256[32],
                      uint64_t bytes, char *already, size_t alen);

/* Record an entry that is not a report (README.txt, a folder, ...).  Only
 * between files: -1 when a file is open.  The entries are sent in batches,
 * before whatever the loader sends next, and by loader_flush(). */
int loader_skipped(struct loader *ld, const char *source, const char *entry,
                   const char *why);

/* Send what is still held (skipped entries); call before the run ends.
 * Only between files.  0, or -1 with the error set. */
int loader_flush(struct loader *ld);

/* The last error, owned by the loader. */
const char *loader_error(const struct loader *ld);

#endif
