/*
 * loader.h - send batches of report files to PostgreSQL, one transaction
 * per batch, and tell what became of each file.
 *
 * A batch is:
 *
 *   BEGIN; COPY is248.stage ... FROM STDIN (FORMAT binary)   loader_begin()
 *   the stage rows (stage.h), as they come                   loader_put()
 *   end of COPY; SELECT * FROM is248.merge_batch(run, files);
 *   COMMIT                                                   loader_commit()
 *
 * (sql/schema/03_merge.sql).  The stage rows are a row per report (its raw
 * answers packed into one value), its problems and warnings, the entries
 * skipped, and the pieces of a file too large to go as an argument.  The
 * files' names, SHA-256 and sizes go as merge_batch()'s arguments, with
 * the bytes of each file read whole; the database computes every file's
 * SHA-256 from its bytes (the argument, or its pieces) itself, decides
 * every report and writes everything in one statement.  So a batch is
 * loaded whole or not at all, and a file is never half-loaded.
 * loader_rollback() abandons a batch.
 *
 * Nested (loader_set_nested()), the batches go inside a transaction the
 * caller began: SAVEPOINT instead of BEGIN, RELEASE SAVEPOINT instead of
 * COMMIT, ROLLBACK TO SAVEPOINT to abandon one.  import --dry-run runs
 * so, and rolls the whole run back at its end.
 *
 * The loader owns no connection: the caller opens it with db_connect(),
 * holds the import lock, and begins the run (db_run_begin()).  While a
 * batch is open the connection is in COPY mode: run nothing else on it
 * until loader_commit() or loader_rollback().  One thread at a time.
 */
#ifndef IS248_LOAD_LOADER_H
#define IS248_LOAD_LOADER_H

#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

struct loader;

/* One file of a batch, as the caller describes it (borrowed: valid until
 * loader_commit() returns). */
struct loader_file {
    const char *source;          /* labels, valid UTF-8 */
    const char *entry;           /* "" for a plain file */
    unsigned char sha256[32];    /* of all of its bytes */
    int have_sha;                /* 0: none were read (a link, an encrypted
                                  * entry): sent as NULL */
    uint64_t bytes;
    const unsigned char *content; /* its bytes (read whole), or NULL: sent
                                   * as stage pieces, or not at all when
                                   * set aside */
    const char *reason;          /* NULL: read whole, its reports staged;
                                  * else why it was set aside whole */
};

enum loader_outcome {
    LOADER_LOADED = 0,           /* committed (possibly nothing new in it) */
    LOADER_ALREADY,              /* the same bytes were loaded before */
    LOADER_REJECTED,             /* set aside whole */
    LOADER_REJECTED_BEFORE       /* set aside whole, and its bytes were
                                  * before: came_from says when and why */
};

/* What became of a file (filled by loader_commit()). */
struct loader_result {
    enum loader_outcome outcome;
    int64_t file_id;
    uint64_t reports_loaded;     /* new rows in is248.report */
    uint64_t reports_correcting; /* of them, later submissions of a report
                                  * loaded before (corrections) */
    uint64_t reports_unchanged;  /* already loaded, same content */
    uint64_t reports_rejected;   /* set aside (by is248, or the merge:
                                  * conflicts and refusals) */
    uint64_t answers_rejected;
    uint64_t warnings;
    char *came_from;             /* LOADER_ALREADY: where it was loaded
                                  * from ("source!entry"); LOADER_REJECTED_
                                  * BEFORE: "run N (reason)"; malloc'd or
                                  * NULL */
    char *conflicts;             /* reports the merge set aside, a line each
                                  * ("report N (unit year): report set
                                  * aside: reason"); malloc'd or NULL */
};

/* Free the strings of n results (not the array). */
void loader_results_clear(struct loader_result *res, size_t n);

/* Returns NULL with err set when memory runs out. */
struct loader *loader_new(PGconn *conn, int64_t run_id, char *err,
                          size_t errlen);
void loader_free(struct loader *ld);

/* Batches inside the caller's transaction from now on (see above). */
void loader_set_nested(struct loader *ld);

/* Open a batch.  0, or -1 (see loader_error(); fatal for the run). */
int loader_begin(struct loader *ld);

/* Send stage rows (without COPY's header and trailer, which the loader
 * writes).  0 or -1. */
int loader_put(struct loader *ld, const void *rows, size_t n);

/* End the batch: merge the n files and commit.  Returns 0 with res[0..n)
 * filled (the caller frees their strings with loader_results_clear()), or
 * -1 (the batch is rolled back; see loader_error()). */
int loader_commit(struct loader *ld, const struct loader_file *files,
                  size_t n, struct loader_result *res);

/* Abandon the open batch (nothing of it stays).  Does nothing when none is
 * open.  0, or -1 when the connection is lost. */
int loader_rollback(struct loader *ld);

/* The last error, owned by the loader; "" when there was none. */
const char *loader_error(const struct loader *ld);

#endif
