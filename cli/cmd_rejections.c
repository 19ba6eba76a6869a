/*
 * cmd_rejections.c - "is248 rejections": what an import run set aside,
 * file by file, report by report, answer by answer (is248.rejection), as an
 * aligned table to read or as CSV to send back to the data provider.
 *
 * Which run: --run N; without it the last run that set anything aside (the
 * nights after it, which set nothing aside, are not what an operator asks
 * about), said on stderr; --all: every run.  Every text cell goes through
 * rejection_shown(), so a label stored by is248 reads as the import printed
 * it and anything else is escaped.  The output goes to stdout or, with
 * --output FILE, through outfile.h.  Exit 0 when listed (also when nothing
 * was set aside: stderr says so), 2 for usage, an unknown run or a role
 * that may not read is248.rejection, 3 when the database fails.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "msg.h"
#include "outfile.h"
#include "rejection.h"
#include "table.h"

/* The table shows this many hex digits of the SHA-256 (as git shows a
 * commit); the CSV all 64. */
#define SHA_SHOWN 12

/* The cells of the table, shown text, row-major; NULL cells are "". */
struct cells {
    char **v;
    int rows;
};

static const char *cell_header(const void *ctx, int col)
{
    (void)ctx;
    return rejection_columns[col];
}

static const char *cell_value(const void *ctx, int row, int col)
{
    const struct cells *c = ctx;
    const char *v = c->v[(size_t)row * REJ_COLUMNS + (size_t)col];
    return v ? v : "";
}

static int cell_right(const void *ctx, int col)
{
    (void)ctx;
    return col == REJ_RUN || col == REJ_REPORT || col == REJ_YEAR;
}

static void cells_free(struct cells *c)
{
    if (!c->v)
        return;
    for (size_t k = 0; k < (size_t)c->rows * REJ_COLUMNS; k++)
        free(c->v[k]);
    free(c->v);
}

/* The table of res on out; EXIT_OK, or EXIT_INTERNAL out of memory. */
static int print_table(FILE *out, const PGresult *res)
{
    struct cells c = { NULL, PQntuples(res) };
    c.v = calloc((size_t)c.rows * REJ_COLUMNS + 1, sizeof *c.v);
    int ok = c.v != NULL;
    for (int i = 0; ok && i < c.rows; i++)
        for (int k = 0; ok && k < REJ_COLUMNS; k++) {
            if (PQgetisnull(res, i, k))
                continue;
            const char *v = PQgetvalue(res, i, k);
            char **slot = &c.v[(size_t)i * REJ_COLUMNS + (size_t)k];
            if (k == REJ_SHA256)
                *slot = strndup(v, SHA_SHOWN);
            else
                *slot = rejection_shown(v);
            ok = *slot != NULL;
        }
    if (ok) {
        struct table t = { c.rows, REJ_COLUMNS, cell_header, cell_value,
                           cell_right, &c, 0, 1 };
        ok = table_print_cells(out, &t) == 0;
    }
    cells_free(&c);
    if (!ok) {
        msg_error("out of memory");
        return EXIT_INTERNAL;
    }
    return EXIT_OK;
}

static int print_csv(FILE *out, const PGresult *res)
{
    rejection_csv_header(out, NULL);
    for (int i = 0; i < PQntuples(res); i++) {
        if (rejection_csv_row(out, res, i, 1) != 0) {
            msg_error("out of memory");
            return EXIT_INTERNAL;
        }
        fputs("\r\n", out);
    }
    return EXIT_OK;
}

/* What the rows hold, for the messages: "2 file(s), 1 report(s) and 3
 * answer(s)". */
static void count_levels(const PGresult *res, char *buf, size_t len)
{
    long n[3] = { 0, 0, 0 };
    for (int i = 0; i < PQntuples(res); i++) {
        const char *level = PQgetvalue(res, i, REJ_LEVEL);
        n[strcmp(level, "file") == 0 ? 0 : strcmp(level, "report") == 0 ? 1
                                                                         : 2]++;
    }
    snprintf(buf, len, "%ld file(s), %ld report(s) and %ld answer(s)", n[0],
             n[1], n[2]);
}

/* On stderr: which run is listed, and what it set aside. */
static void say_which(const struct cli *c, const struct rejection_run *run,
                      const PGresult *res)
{
    char what[128];
    count_levels(res, what, sizeof what);
    if (c->all_runs)
        msg_info("all runs: %s set aside",
                 PQntuples(res) ? what : "nothing");
    else if (!run->run_id)
        msg_info("nothing was set aside: %s",
                 run->runs ? "no import run set anything aside"
                          : "no import run yet");
    else if (PQntuples(res) == 0)
        msg_info("nothing was set aside in run %lld (started %s, %s)",
                 run->run_id, run->started, run->status);
    else if (c->run < 0) {
        char later[96] = "";
        if (run->later_runs)
            snprintf(later, sizeof later, "; the %lld run(s) after it set "
                     "nothing aside", run->later_runs);
        msg_info("run %lld (started %s, %s) is the last that set anything "
                 "aside: %s%s", run->run_id, run->started, run->status, what,
                 later);
    }
    else
        msg_info("run %lld (started %s, %s): %s set aside", run->run_id,
                 run->started, run->status, what);

}

int cmd_rejections(struct cli *c)
{
    int csv = 0;
    if (c->format && strcmp(c->format, "csv") == 0)
        csv = 1;
    else if (c->format && strcmp(c->format, "table") != 0) {
        msg_error("unknown --format '%s' (formats: table, csv)", c->format);
        return EXIT_USAGE;
    }
    if (c->all_runs && c->run >= 0) {
        msg_error("--run and --all: give one (without either, the last run "
                  "that set anything aside)");
        return EXIT_USAGE;
    }
    /* the file first: a place that cannot be written is found before any
     * work */
    struct outfile out = OUTFILE_INIT;
    int rc = outfile_open(&out, c->output ? c->output : "-",
                          "the list of what was set aside");
    if (rc != EXIT_OK)
        return rc;

    PGconn *conn = cli_connect(c, &rc);
    if (!conn) {
        outfile_discard(&out);
        return rc;
    }
    PGresult *res = NULL;
    struct rejection_run run = { 0 };
    rc = cli_check_schema(conn, CLI_NEED_OPERATOR);
    if (rc == EXIT_OK && !c->all_runs)
        rc = rejection_run(conn, c->run, &run);
    /* every run, that run, or (none set anything aside) no rows, which
     * the query of a run that does not exist gives */
    if (rc == EXIT_OK)
        res = rejection_rows(conn, c->all_runs ? 0 : run.run_id ? run.run_id
                                                                : -1,
                             0, &rc);
    cli_disconnect(conn);
    if (rc != EXIT_OK) {
        outfile_discard(&out);
        return rc;
    }

    say_which(c, &run, res);
    if (csv) {
        rc = print_csv(out.f, res);
    } else {
        if (c->all_runs)
            fprintf(out.f, "Set aside in all runs (is248.rejection)\n\n");
        else if (run.run_id)
            fprintf(out.f, "Set aside in run %lld, started %s "
                    "(is248.rejection)\n\n", run.run_id, run.started);
        else
            fprintf(out.f, "Set aside: nothing, in no run "
                    "(is248.rejection)\n\n");
        rc = print_table(out.f, res);
    }
    PQclear(res);
    if (rc != EXIT_OK) {
        outfile_discard(&out);
        return rc;
    }
    return outfile_close(&out);
}
