/*
 * cmd_import.c - "is248 import" and "is248 validate": run deliveries
 * through the pipeline, with a database (import) or without (validate).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "msg.h"
#include "pipeline.h"

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
    p->walk = &c->walk;
    p->file_lines_verbose = c->file_lines_verbose;
    p->xml = &c->xml;
    return 0;
}

int cli_import(const struct cli *c, PGconn *conn, int npaths,
               char *const *paths)
{
    char err[1024];
    int rc = cli_check_schema(conn);
    if (rc != EXIT_OK)
        return rc;

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

    double t0 = pipeline_now();
    for (int i = 0; i < npaths; i++)
        if (pipeline_run(&p, paths[i]) != 0)
            break;
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
    return rc;
}

int cmd_import(struct cli *c)
{
    PGconn *conn = cli_connect(c);
    if (!conn)
        return EXIT_DB;
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
