/*
 * rejection.c - what was set aside, read from is248.rejection (see
 * rejection.h): the run, the rows in order, shown text, CSV.
 */
#include "rejection.h"

#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ingest/printable.h"
#include "load/db.h"
#include "msg.h"

const char *const rejection_columns[REJ_COLUMNS] = {
    "run", "source", "entry", "sha256", "report", "year", "unit", "question",
    "level", "reason"
};

/* A query that failed: refused for want of a privilege (SQLSTATE 42501)
 * is a configuration error, anything else the database's. */
static int failed(PGconn *conn, const PGresult *res)
{
    char err[1024];
    db_error(err, sizeof err, conn, res, NULL);
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    if (state && strcmp(state, "42501") == 0) {
        msg_error("cannot read what was set aside: %s: only the schema's "
                  "owner may (the role that ran 'is248 migrate'; "
                  "docs/security.md)", err);
        return EXIT_USAGE;
    }
    msg_error("cannot read what was set aside: %s", err);
    return EXIT_DB;
}

/* $1: the run, or NULL for the last that set anything aside. */
static const char run_sql[] =
    "SELECT s.run_id, to_char(s.started_at, 'YYYY-MM-DD HH24:MI:SS'),"
    "       s.status,"
    "       (SELECT count(*) FROM is248.import_summary l"
    "         WHERE l.run_id > s.run_id),"
    "       (SELECT count(*) FROM is248.import_summary)"
    "  FROM is248.import_summary s"
    " WHERE s.run_id = coalesce($1::bigint,"
    "                           (SELECT max(run_id) FROM is248.rejection))";

int rejection_run(PGconn *conn, long run, struct rejection_run *r)
{
    memset(r, 0, sizeof *r);
    char given[24];
    const char *params[1] = { NULL };
    if (run >= 0) {
        snprintf(given, sizeof given, "%ld", run);
        params[0] = given;
    }
    PGresult *res = PQexecParams(conn, run_sql, 1, NULL, params, NULL, NULL,
                                 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        int rc = failed(conn, res);
        PQclear(res);
        return rc;
    }
    if (PQntuples(res) == 0) {
        PQclear(res);
        if (run >= 0) {
            msg_error("no import run %ld (is248 status lists the runs)", run);
            return EXIT_USAGE;
        }
        /* no run set anything aside: how many runs there are */
        res = PQexec(conn, "SELECT count(*) FROM is248.import_summary");
        if (PQresultStatus(res) != PGRES_TUPLES_OK) {
            int rc = failed(conn, res);
            PQclear(res);
            return rc;
        }
        r->runs = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
        PQclear(res);
        return EXIT_OK;
    }
    r->run_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    snprintf(r->started, sizeof r->started, "%s", PQgetvalue(res, 0, 1));
    snprintf(r->status, sizeof r->status, "%s", PQgetvalue(res, 0, 2));
    r->later_runs = strtoll(PQgetvalue(res, 0, 3), NULL, 10);
    r->runs = strtoll(PQgetvalue(res, 0, 4), NULL, 10);
    PQclear(res);
    return EXIT_OK;
}

/* $1: the run, or NULL for all.  %s: the bytes column and its join.  A
 * SHA-256 of 32 zero bytes is none: what the import records for a file it
 * never read (a link, an archive cut short; load/loader.c sends a SHA-256
 * for every file). */
static const char rows_sql[] =
    "SELECT r.run_id, r.source, r.entry,"
    "       nullif(encode(r.sha256, 'hex'), repeat('0', 64)),"
    "       r.report_index, r.year, r.unit_code, r.question, r.level,"
    "       r.reason%s"
    "  FROM is248.rejection r%s"
    " WHERE $1::bigint IS NULL OR r.run_id = $1::bigint"
    " ORDER BY r.source COLLATE \"C\", r.entry COLLATE \"C\", r.run_id,"
    "          r.report_index NULLS FIRST, r.rejection_id";

PGresult *rejection_rows(PGconn *conn, long long run, int with_bytes,
                         int *rc)
{
    char sql[sizeof rows_sql + 128], given[24];
    snprintf(sql, sizeof sql, rows_sql, with_bytes ? ", f.bytes" : "",
             with_bytes ? " LEFT JOIN is248.source_file f"
                          " ON f.file_id = r.file_id" : "");
    const char *params[1] = { NULL };
    if (run != 0) { /* < 0: no run has it */
        snprintf(given, sizeof given, "%lld", run);
        params[0] = given;
    }
    PGresult *res = PQexecParams(conn, sql, 1, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        *rc = failed(conn, res);
        PQclear(res);
        return NULL;
    }
    *rc = EXIT_OK;
    return res;
}

char *rejection_shown(const char *s)
{
    return printable_is_escaped(s) ? strdup(s) : printable_dup(s);
}

void rejection_csv_field(FILE *out, const char *s)
{
    csv_text(out, s, ',');
}

void rejection_csv_header(FILE *out, const char *prefix)
{
    if (prefix)
        fprintf(out, "%s,", prefix);
    for (int k = 0; k < REJ_COLUMNS; k++)
        fprintf(out, "%s%s", k ? "," : "", rejection_columns[k]);
    fputs("\r\n", out);
}

int rejection_csv_row(FILE *out, const PGresult *res, int i, int first)
{
    for (int k = 0; k < REJ_COLUMNS; k++) {
        if (!first || k)
            fputc(',', out);
        if (PQgetisnull(res, i, k))
            continue;
        char *v = rejection_shown(PQgetvalue(res, i, k));
        if (!v)
            return -1;
        rejection_csv_field(out, v);
        free(v);
    }
    return 0;
}
