/*
 * cmd_import.c - "is248 import" and "is248 validate": run deliveries
 * through the pipeline, with a database (import) or without (validate).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "msg.h"
#include "pipeline.h"
#include "progress.h"
#include "summary.h"
#include "transform/instant.h"

/* A pipeline with the built-in municipality codes and c's limits, no
 * loader yet.  Returns 0, or -1 after saying why. */
static int pipeline_init(struct pipeline *p, const struct cli *c)
{
    memset(p, 0, sizeof *p);
    p->units = units_builtin();
    if (!p->units) {
        msg_error("out of memory reading the built-in municipality codes");
        return -1;
    }
    p->now_us = instant_now();
    p->walk = &c->walk;
    p->file_lines_verbose = c->file_lines_verbose;
    p->xml = &c->xml;
    return 0;
}

static int import_paths(const struct cli *c, PGconn *conn, int npaths,
                        char *const *paths, FILE **json);

/* The JSON summary of an import that stopped before it began (no
 * connection, the schema at another version, another import running). */
static void json_not_run(FILE *json, const char *path, int rc)
{
    static const struct summary_row none = { "total", { 0 }, 0.0 };
    const char *status = rc == EXIT_LOCKED ? "locked"
                         : rc == EXIT_INTERRUPTED ? "interrupted"
                         : "failed";
    if (summary_json(json, 0, status, rc, NULL, 0, &none) != 0)
        msg_error("cannot write the summary to '%s': %s", path,
                  strerror(errno));
}

int cli_import(const struct cli *c, PGconn *conn, int npaths,
               char *const *paths)
{
    FILE *json = c->json_out;
    int rc = cli_check_schema(conn);
    if (rc == EXIT_OK)
        rc = import_paths(c, conn, npaths, paths, &json);
    if (json)
        json_not_run(json, c->json_summary, rc);
    return rc;
}

/* b - a, count by count */
static struct run_totals minus(const struct run_totals *b,
                               const struct run_totals *a)
{
    struct run_totals d = {
        b->files - a->files, b->files_loaded - a->files_loaded,
        b->files_already - a->files_already,
        b->files_rejected - a->files_rejected,
        b->reports_loaded - a->reports_loaded,
        b->reports_unchanged - a->reports_unchanged,
        b->reports_rejected - a->reports_rejected,
        b->answers_rejected - a->answers_rejected,
        b->warnings - a->warnings, b->skipped - a->skipped
    };
    return d;
}

/* The import proper; writes the JSON summary to *json (when not NULL),
 * which it closes and sets to NULL. */
static int import_paths(const struct cli *c, PGconn *conn, int npaths,
                        char *const *paths, FILE **json)
{
    char err[1024];
    int rc;

    cli_catch_signals();
    int locked = db_lock_import(conn, c->lock_wait_ms, err, sizeof err);
    if (locked < 0 && cli_stop_signal) {
        msg_error("interrupted by %s while waiting for another import; "
                  "nothing loaded",
                  cli_stop_signal == SIGINT ? "SIGINT" : "SIGTERM");
        return EXIT_INTERRUPTED;
    }
    if (locked < 0) {
        msg_error("cannot take the import lock: %s", err);
        return EXIT_DB;
    }
    if (locked == 0) {
        if (c->lock_wait_ms > 0)
            msg_error("another import is still running in this database "
                      "after waiting %ld ms; try again later", c->lock_wait_ms);
        else
            msg_error("another import is running in this database; try again "
                      "later or use --wait");
        return EXIT_LOCKED;
    }

    struct pipeline p;
    if (pipeline_init(&p, c) != 0)
        return EXIT_INTERNAL;

    int64_t abandoned = 0;
    int64_t run = db_run_begin(conn, cli_command_line(), &abandoned, err,
                               sizeof err);
    if (run < 0) {
        msg_error("cannot record the import run: %s", err);
        return EXIT_DB;
    }
    if (abandoned)
        msg_warn("%lld earlier import run(s) ended without a word (the server "
                 "stopped, the connection was cut, or is248 was killed); "
                 "marked 'abandoned' in is248.import_run; what they loaded "
                 "is whole and stays", (long long)abandoned);
    p.loader = loader_new(conn, run, err, sizeof err);
    if (!p.loader) {
        msg_error("cannot prepare loading: %s", err);
        return EXIT_DB;
    }

    struct summary_row *rows = calloc((size_t)npaths, sizeof *rows);
    if (!rows) {
        msg_error("out of memory");
        loader_free(p.loader);
        return EXIT_INTERNAL;
    }
    p.progress = progress_new(npaths, paths);
    double t0 = pipeline_now();
    int n_rows = 0;
    for (int i = 0; i < npaths; i++) {
        struct run_totals before = p.totals;
        double ts = pipeline_now();
        int stop = pipeline_run(&p, paths[i]) != 0;
        rows[n_rows].path = paths[i];
        rows[n_rows].t = minus(&p.totals, &before);
        rows[n_rows++].seconds = pipeline_now() - ts;
        if (stop)
            break;
    }
    progress_free(p.progress);
    p.progress = NULL;
    struct summary_row total = { "total", p.totals, pipeline_now() - t0 };
    const char *stage_times = getenv("IS248_STAGE_TIMES");
    if (stage_times && strcmp(stage_times, "1") == 0)
        pipeline_stage_times(&p, pipeline_now() - t0);

    /* the skipped entries still held, whatever stopped the run */
    if (PQstatus(conn) == CONNECTION_OK && loader_flush(p.loader) != 0 &&
        !p.failed) {
        p.failed = 1;
        snprintf(p.error, sizeof p.error, "%s", loader_error(p.loader));
    }
    rc = pipeline_exit_code(&p);
    const char *sig = cli_stop_signal == SIGINT ? "SIGINT" : "SIGTERM";
    const char *how = p.stopped_in_file ? "while loading" : "before loading";
    const char *then = p.stopped_in_file ? ", which was rolled back" : "";
    if (rc == EXIT_DB && p.stopped_at[0])
        msg_error("database failure %s %s%s; files before it stay loaded; "
                  "run the import again to complete it: %s", how,
                  p.stopped_at, then, p.error);
    else if (rc == EXIT_DB)
        msg_error("database failure: %s", p.error);
    else if (rc == EXIT_INTERRUPTED && p.stopped_at[0])
        msg_error("interrupted by %s %s %s%s; files before it stay loaded; "
                  "run the import again to complete it", sig, how,
                  p.stopped_at, then);
    else if (rc == EXIT_INTERRUPTED)
        msg_error("interrupted by %s; files before stay loaded; run the "
                  "import again to complete it", sig);

    const char *status = rc == EXIT_OK ? "ok"
                         : rc == EXIT_PROBLEMS ? "problems"
                         : rc == EXIT_INTERRUPTED ? "interrupted"
                         : "failed";
    if (PQstatus(conn) == CONNECTION_OK &&
        db_run_end(conn, run, status, &p.totals, err, sizeof err) != 0) {
        msg_error("cannot record the end of the import run: %s", err);
        if (rc == EXIT_OK || rc == EXIT_PROBLEMS)
            rc = EXIT_DB;
    }
    loader_free(p.loader);
    free(p.ahead);
    pipeline_summary(&p, "loaded");
    if (c->summary_table && msg_level >= MSG_NORMAL && *json != stdout)
        summary_table(stdout, rows, n_rows, &total);
    if (*json) {
        FILE *out = *json;
        *json = NULL;
        if (summary_json(out, run, status, rc, rows, n_rows, &total) != 0) {
            msg_error("cannot write the summary to '%s': %s", c->json_summary,
                      strerror(errno));
            if (rc == EXIT_OK || rc == EXIT_PROBLEMS)
                rc = EXIT_INTERNAL;
        }
    }
    free(rows);
    return rc;
}

int cmd_import(struct cli *c)
{
    c->summary_table = 1;
    /* opened first: a path that cannot be written stops us before
     * anything is done, and a machine hears of every ending */
    if (c->json_summary) {
        c->json_out = strcmp(c->json_summary, "-") == 0
                          ? stdout : fopen(c->json_summary, "w");
        if (!c->json_out) {
            msg_error("cannot write the summary to '%s': %s", c->json_summary,
                      strerror(errno));
            return EXIT_USAGE;
        }
    }
    PGconn *conn = cli_connect(c);
    if (!conn) {
        if (c->json_out)
            json_not_run(c->json_out, c->json_summary, EXIT_DB);
        return EXIT_DB;
    }
    int rc = cli_import(c, conn, c->argc, c->argv);
    cli_disconnect(conn);
    return rc;
}

int cmd_validate(struct cli *c)
{
    struct pipeline p;
    if (pipeline_init(&p, c) != 0)
        return EXIT_INTERNAL;
    cli_catch_signals();
    for (int i = 0; i < c->argc; i++)
        if (pipeline_run(&p, c->argv[i]) != 0)
            break;
    pipeline_summary(&p, "would load");
    return pipeline_exit_code(&p);
}
