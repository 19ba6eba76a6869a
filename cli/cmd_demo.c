/*
 * cmd_demo.c - "is248 demo": the embedded default.  A throwaway PostgreSQL
 * (or the database of --db), migrated, loaded with the fixtures shipped
 * with is248, and the trends printed (--format) and drawn (--chart), as
 * "is248 trends" would.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "cluster.h"
#include "load/db.h"
#include "msg.h"

/* Where the fixture delivery is: $IS248_FIXTURES, the source tree this
 * binary was built from, or the installed copy. */
static const char *fixtures_path(void)
{
    const char *env = getenv("IS248_FIXTURES");
    if (env && *env)
        return env;
    struct stat st;
    if (stat(IS248_SOURCE_FIXTURES, &st) == 0 && S_ISDIR(st.st_mode))
        return IS248_SOURCE_FIXTURES;
    return IS248_INSTALLED_FIXTURES;
}

static int demo_in(const struct cli *c, PGconn *conn, const char *fixtures,
                   struct trends *t)
{
    /* a line per fixture file would bury the trends: -v shows them */
    struct cli quiet_files = *c;
    quiet_files.file_lines_verbose = 1;
    c = &quiet_files;
    int rc = cli_migrate(conn);
    if (rc != EXIT_OK)
        return rc;
    char *paths[] = { (char *)fixtures };
    rc = cli_import(c, conn, 1, paths);
    if (rc != EXIT_OK && rc != EXIT_PROBLEMS)
        return rc;
    if (!c->format || strcmp(c->format, "table") == 0)
        printf("\n"); /* CSV and JSON stay as they are, for a parser */
    fflush(stdout);
    int trc = trends_run(t, conn);
    return trc != EXIT_OK ? trc : rc;
}

int cmd_demo(struct cli *c)
{
    const char *fixtures = fixtures_path();
    struct stat st;
    if (stat(fixtures, &st) != 0) {
        msg_error("cannot find the fixtures in '%s' (set IS248_FIXTURES)",
                  fixtures);
        return EXIT_USAGE;
    }
    /* the options and the chart's file are checked before a server starts */
    int rc;
    struct trends *t = trends_prepare(c, 1, &rc);
    if (!t)
        return rc;
    cli_catch_signals();
    /* "is248 demo | head" must not kill us before the cluster is removed:
     * a closed pipe becomes a write error instead */
    signal(SIGPIPE, SIG_IGN);

    if (c->db) {
        PGconn *conn = cli_connect(c, &rc);
        if (conn)
            rc = demo_in(c, conn, fixtures, t);
        cli_disconnect(conn);
        trends_free(t);
        return rc;
    }

    struct cluster cl;
    char err[1024];
    msg_info("starting a throwaway PostgreSQL ...");
    if (cluster_start(&cl, err, sizeof err) != 0) {
        msg_error("cannot start a throwaway PostgreSQL: %s", err);
        trends_free(t);
        return EXIT_DB;
    }
    msg_info("PostgreSQL running in '%s'; importing '%s'", cl.dir, fixtures);

    rc = EXIT_DB;
    struct cli local = *c;
    local.db = cl.conninfo;
    PGconn *conn = cli_connect(&local, &rc);
    if (conn) {
        PGresult *res = PQexec(conn, "CREATE DATABASE is248");
        int made = PQresultStatus(res) == PGRES_COMMAND_OK;
        if (!made) {
            db_error(err, sizeof err, conn, res, NULL);
            msg_error("cannot create the demo database: %s", err);
            rc = EXIT_DB;
        }
        PQclear(res);
        cli_disconnect(conn);
        conn = NULL;
        if (made) {
            cluster_conninfo(&cl, "is248", cl.conninfo, sizeof cl.conninfo);
            conn = cli_connect(&local, &rc);
        }
    }
    if (conn) {
        rc = demo_in(&local, conn, fixtures, t);
        cli_disconnect(conn);
    }
    fflush(stdout);
    cluster_stop(&cl);
    msg_info("throwaway PostgreSQL stopped and removed");
    trends_free(t);
    return rc;
}
