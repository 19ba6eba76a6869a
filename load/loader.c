/*
 * loader.c - a batch of report files per transaction (see loader.h).
 *
 * Round trips per batch: "BEGIN; COPY ..." (one simple query, answered by
 * CopyInResponse), the end of the COPY, and is248.merge_batch() with COMMIT
 * in pipeline mode.  The merge is prepared once per connection and takes
 * its arguments in binary: the files' bytes go as they are.
 */
#include "loader.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "pgbin.h"
#include "stage.h"

#define PUT_CHUNK (1U << 20)     /* bytes per PQputCopyData() call */

static const char MERGE[] =
    "SELECT file_no, file_id, outcome, reports_loaded, reports_unchanged,"
    " reports_rejected, answers_rejected, warnings, came_from, conflicts,"
    " reports_correcting"
    " FROM is248.merge_batch($1::bigint, $2::text[], $3::text[],"
    " $4::bytea[], $5::bigint[], $6::bytea[], $7::text[])";
#define MERGE_PARAMS 7
#define MERGE_COLUMNS 11

struct loader {
    PGconn *conn;
    char run_text[24];
    int prepared;           /* the merge is prepared on conn */
    int open;               /* a batch (transaction and COPY) is open */
    int nested;             /* savepoints in the caller's transaction */
    int savepoint;          /* nested: the batch's savepoint is set */
    struct pgbin params[MERGE_PARAMS - 1];  /* the arrays, reused */
    struct pgbin elems;     /* elements of one array, reused */
    char err[1024];
};

static void ld_err(struct loader *ld, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void ld_err(struct loader *ld, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ld->err, sizeof ld->err, fmt, ap);
    va_end(ap);
}

const char *loader_error(const struct loader *ld)
{
    return ld ? ld->err : "out of memory";
}

void loader_results_clear(struct loader_result *res, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(res[i].came_from);
        free(res[i].conflicts);
        res[i].came_from = res[i].conflicts = NULL;
    }
}

struct loader *loader_new(PGconn *conn, int64_t run_id, char *err,
                          size_t errlen)
{
    struct loader *ld = calloc(1, sizeof *ld);
    if (!ld) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    ld->conn = conn;
    snprintf(ld->run_text, sizeof ld->run_text, "%" PRId64, run_id);
    return ld;
}

/* Undo what is open: the transaction, or (nested) back to the savepoint,
 * which is then released, leaving the caller's transaction as it was. */
static void abandon(struct loader *ld)
{
    if (!ld->nested) {
        db_rollback(ld->conn);
        return;
    }
    PGTransactionStatusType st = PQtransactionStatus(ld->conn);
    if (ld->savepoint && (st == PQTRANS_INTRANS || st == PQTRANS_INERROR))
        PQclear(PQexec(ld->conn, "ROLLBACK TO SAVEPOINT is248_batch; "
                                 "RELEASE SAVEPOINT is248_batch"));
    ld->savepoint = 0;
}

void loader_set_nested(struct loader *ld)
{
    ld->nested = 1;
}

void loader_free(struct loader *ld)
{
    if (!ld)
        return;
    loader_rollback(ld);
    if (ld->prepared && PQstatus(ld->conn) == CONNECTION_OK &&
        PQtransactionStatus(ld->conn) == PQTRANS_IDLE)
        PQclear(PQexec(ld->conn, "DEALLOCATE PREPARE is248_merge"));
    for (size_t i = 0; i < MERGE_PARAMS - 1; i++)
        pgbin_free(&ld->params[i]);
    pgbin_free(&ld->elems);
    free(ld);
}

int loader_begin(struct loader *ld)
{
    ld->err[0] = '\0';
    if (ld->open) {
        ld_err(ld, "cannot begin a batch: one is open");
        return -1;
    }
    if (PQtransactionStatus(ld->conn) !=
        (ld->nested ? PQTRANS_INTRANS : PQTRANS_IDLE)) {
        ld_err(ld, ld->nested ? "cannot begin a batch: the connection is "
                                "busy or not in a transaction"
                              : "cannot begin a batch: the connection is "
                                "busy or in a transaction");
        return -1;
    }
    if (!ld->prepared) {
        PGresult *res = PQprepare(ld->conn, "is248_merge", MERGE, 0, NULL);
        int ok = PQresultStatus(res) == PGRES_COMMAND_OK;
        if (!ok)
            db_error(ld->err, sizeof ld->err, ld->conn, res,
                     "cannot prepare the merge");
        PQclear(res);
        if (!ok)
            return -1;
        ld->prepared = 1;
    }
    char sql[1024];
    snprintf(sql, sizeof sql, "%s; %s",
             ld->nested ? "SAVEPOINT is248_batch" : "BEGIN", STAGE_COPY);
    ld->savepoint = ld->nested;
    PGresult *res = PQexec(ld->conn, sql);
    if (PQresultStatus(res) != PGRES_COPY_IN) {
        db_error(ld->err, sizeof ld->err, ld->conn, res,
                 "cannot begin a batch");
        PQclear(res);
        abandon(ld);
        return -1;
    }
    PQclear(res);
    ld->open = 1;
    struct pgbin head = PGBIN_INIT;
    pgbin_copy_header(&head);
    int rc = pgbin_failed(&head) ? -1 : loader_put(ld, head.data, head.len);
    pgbin_free(&head);
    if (rc != 0 && !ld->err[0])
        ld_err(ld, "cannot begin a batch: out of memory");
    return rc;
}

int loader_put(struct loader *ld, const void *rows, size_t n)
{
    if (!ld->open) {
        ld_err(ld, "cannot send stage rows: no batch is open");
        return -1;
    }
    const char *p = rows;
    while (n > 0) {
        size_t k = n < PUT_CHUNK ? n : PUT_CHUNK;
        if (PQputCopyData(ld->conn, p, (int)k) != 1) {
            db_error(ld->err, sizeof ld->err, ld->conn, NULL,
                     "cannot send the batch");
            return -1;
        }
        p += k;
        n -= k;
    }
    return 0;
}

/*
 * End the open COPY: cleanly (reason NULL; 0 when the server took it, else
 * -1 with the error set), or abandoned with reason (the server's error is
 * expected and dropped; returns 0).  Reads every result.
 */
static int end_copy(struct loader *ld, const char *reason)
{
    PGconn *conn = ld->conn;
    int rc = 0;
    if (!reason) {
        struct pgbin tail = PGBIN_INIT;
        pgbin_copy_trailer(&tail);
        rc = pgbin_failed(&tail) ? -1 : loader_put(ld, tail.data, tail.len);
        pgbin_free(&tail);
        if (rc != 0)
            reason = "cannot send the end of the batch";
    }
    if (PQputCopyEnd(conn, reason) <= 0 && rc == 0 && !reason) {
        db_error(ld->err, sizeof ld->err, conn, NULL, "cannot send the batch");
        rc = -1;
    }
    PGresult *res;
    while ((res = PQgetResult(conn)) != NULL) {
        if (!reason && rc == 0 && PQresultStatus(res) != PGRES_COMMAND_OK) {
            db_error(ld->err, sizeof ld->err, conn, res,
                     "the server refused the batch");
            rc = -1;
        }
        PQclear(res);
        if (PQstatus(conn) == CONNECTION_BAD)
            break;
    }
    if (PQstatus(conn) == CONNECTION_BAD && rc == 0 && !reason) {
        db_error(ld->err, sizeof ld->err, conn, NULL, "cannot send the batch");
        rc = -1;
    }
    ld->open = 0;
    return rc;
}

int loader_rollback(struct loader *ld)
{
    if (!ld)
        return 0;
    if (ld->open)
        end_copy(ld, "batch abandoned");
    abandon(ld);
    return PQstatus(ld->conn) == CONNECTION_OK ? 0 : -1;
}

/* The six arrays of merge_batch()'s files, in ld->params. */
static int build_params(struct loader *ld, const struct loader_file *files,
                        size_t n)
{
    for (int a = 0; a < MERGE_PARAMS - 1; a++) {
        struct pgbin *e = &ld->elems;
        pgbin_reset(e);
        int has_null = 0;
        unsigned oid = PGBIN_TEXT;
        for (size_t i = 0; i < n; i++) {
            const struct loader_file *f = &files[i];
            switch (a) {
            case 0: pgbin_text(e, f->source ? f->source : ""); break;
            case 1: pgbin_text(e, f->entry ? f->entry : ""); break;
            case 2:
                if (f->have_sha)
                    pgbin_bytes(e, f->sha256, sizeof f->sha256);
                else {
                    pgbin_null(e);
                    has_null = 1;
                }
                break;
            case 3: pgbin_int8(e, (int64_t)f->bytes); break;
            case 4:
                if (f->content && !f->reason)
                    pgbin_bytes(e, f->content, (size_t)f->bytes);
                else {
                    pgbin_null(e);
                    has_null = 1;
                }
                break;
            case 5:
                pgbin_text(e, f->reason);
                has_null |= f->reason == NULL;
                break;
            }
        }
        oid = a == 2 || a == 4 ? PGBIN_BYTEA : a == 3 ? PGBIN_INT8 : PGBIN_TEXT;
        pgbin_reset(&ld->params[a]);
        pgbin_array(&ld->params[a], oid, (int)n, has_null, e);
        if (pgbin_failed(&ld->params[a])) {
            ld_err(ld, "cannot send the batch: out of memory");
            return -1;
        }
    }
    return 0;
}

static uint64_t count_of(const PGresult *res, int row, int col)
{
    if (PQgetisnull(res, row, col))
        return 0;
    return strtoull(PQgetvalue(res, row, col), NULL, 10);
}

static char *copy_of(const PGresult *res, int row, int col)
{
    if (PQgetisnull(res, row, col))
        return NULL;
    return strdup(PQgetvalue(res, row, col));
}

/* The merge's rows into res; 0, or -1 when they are not one per file. */
static int read_results(struct loader *ld, const PGresult *r, size_t n,
                        struct loader_result *res)
{
    if ((size_t)PQntuples(r) != n || PQnfields(r) != MERGE_COLUMNS) {
        ld_err(ld, "cannot merge the batch: %d rows for %zu files",
               PQntuples(r), n);
        return -1;
    }
    for (int row = 0; row < (int)n; row++) {
        long no = strtol(PQgetvalue(r, row, 0), NULL, 10);
        if (no < 0 || (size_t)no >= n) {
            ld_err(ld, "cannot merge the batch: a row for file %ld", no);
            return -1;
        }
        struct loader_result *x = &res[no];
        const char *outcome = PQgetvalue(r, row, 2);
        x->outcome = strcmp(outcome, "loaded") == 0 ? LOADER_LOADED
                     : strcmp(outcome, "already_loaded") == 0 ? LOADER_ALREADY
                     : strcmp(outcome, "rejected_before") == 0
                         ? LOADER_REJECTED_BEFORE
                     : LOADER_REJECTED;
        x->file_id = strtoll(PQgetvalue(r, row, 1), NULL, 10);
        x->reports_loaded = count_of(r, row, 3);
        x->reports_unchanged = count_of(r, row, 4);
        x->reports_rejected = count_of(r, row, 5);
        x->answers_rejected = count_of(r, row, 6);
        x->warnings = count_of(r, row, 7);
        x->came_from = copy_of(r, row, 8);
        x->conflicts = copy_of(r, row, 9);
        x->reports_correcting = count_of(r, row, 10);
    }
    return 0;
}

/* The merge and COMMIT in one round trip (pipeline mode).  0, or -1 with
 * the error set (the caller rolls back). */
static int merge_and_commit(struct loader *ld,
                            const struct loader_file *files, size_t n,
                            struct loader_result *res)
{
    PGconn *conn = ld->conn;
    if (build_params(ld, files, n) != 0)
        return -1;
    const char *values[MERGE_PARAMS] = { ld->run_text };
    int lengths[MERGE_PARAMS] = { 0 }, formats[MERGE_PARAMS] = { 0 };
    for (int a = 1; a < MERGE_PARAMS; a++) {
        values[a] = (const char *)ld->params[a - 1].data;
        lengths[a] = (int)ld->params[a - 1].len;
        formats[a] = 1;
    }
    if (PQenterPipelineMode(conn) != 1) {
        db_error(ld->err, sizeof ld->err, conn, NULL, "cannot merge the batch");
        return -1;
    }
    int sent = PQsendQueryPrepared(conn, "is248_merge", MERGE_PARAMS, values,
                                   lengths, formats, 0) == 1 &&
               PQsendQueryParams(conn, ld->nested
                                           ? "RELEASE SAVEPOINT is248_batch"
                                           : "COMMIT",
                                 0, NULL, NULL, NULL, NULL, 0) == 1 &&
               PQpipelineSync(conn) == 1;
    if (!sent)
        db_error(ld->err, sizeof ld->err, conn, NULL, "cannot merge the batch");

    /* Results: the merge's, NULL, COMMIT's, NULL, then the sync. */
    int merged = 0, committed = 0, failed = !sent, nulls = 0;
    while (sent) {
        PGresult *r = PQgetResult(conn);
        if (!r) {
            if (PQstatus(conn) == CONNECTION_BAD || ++nulls > 4)
                break;
            continue;
        }
        nulls = 0;
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_PIPELINE_SYNC) {
            PQclear(r);
            break;
        }
        if (st == PGRES_TUPLES_OK && !merged && !failed) {
            merged = 1;
            if (read_results(ld, r, n, res) != 0)
                failed = 1;
        } else if (st == PGRES_COMMAND_OK && merged && !failed) {
            committed = 1;
        } else if (st != PGRES_PIPELINE_ABORTED && !failed) {
            db_error(ld->err, sizeof ld->err, conn, r,
                     merged ? "cannot commit the batch"
                            : "cannot merge the batch");
            failed = 1;
        }
        PQclear(r);
    }
    if (PQexitPipelineMode(conn) != 1 && !failed) {
        db_error(ld->err, sizeof ld->err, conn, NULL, "cannot merge the batch");
        failed = 1;
    }
    if (!failed && (!merged || !committed)) {
        ld_err(ld, "cannot merge the batch: the server gave no result");
        failed = 1;
    }
    return failed ? -1 : 0;
}

int loader_commit(struct loader *ld, const struct loader_file *files,
                  size_t n, struct loader_result *res)
{
    memset(res, 0, n * sizeof *res);
    if (!ld->open) {
        ld_err(ld, "cannot commit a batch: none is open");
        return -1;
    }
    if (end_copy(ld, NULL) != 0 || merge_and_commit(ld, files, n, res) != 0) {
        loader_results_clear(res, n);
        abandon(ld);
        return -1;
    }
    ld->savepoint = 0;
    return 0;
}
