/*
 * connect.c - the connection every database command opens (see cli.h):
 * libpq's failure turned into an exit code (the settings' fault is 2, a
 * server out of reach 3), the time-outs set, the signal watch armed; and
 * the check that the schema is at this is248's version and that the login
 * has the role the command needs (access.c).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "load/db.h"
#include "msg.h"

PGconn *cli_connect(const struct cli *c, int *rc)
{
    char err[1024];
    enum db_connect_failure failure;
    PGconn *conn = db_connect(c->db, &failure, err, sizeof err);
    if (!conn) {
        msg_error("cannot connect to the database: %s", err);
        *rc = failure == DB_CONNECT_CONFIG ? EXIT_USAGE
            : failure == DB_CONNECT_NOMEM ? EXIT_INTERNAL : EXIT_DB;
        return NULL;
    }
    if (db_set_timeouts(conn, c->lock_timeout_ms, c->statement_timeout_ms,
                        err, sizeof err) != 0) {
        msg_error("%s", err);
        PQfinish(conn);
        *rc = EXIT_DB;
        return NULL;
    }
    *rc = EXIT_OK;
    cli_watch(conn);
    return conn;
}

void cli_disconnect(PGconn *conn)
{
    if (!conn)
        return;
    cli_watch(NULL);
    PQfinish(conn);
}

int cli_check_schema(PGconn *conn, enum cli_need need)
{
    char err[1024];
    int rc = cli_check_access(conn, need, 0);
    if (rc != EXIT_OK)
        return rc;
    int have = db_schema_version(conn, err, sizeof err);
    int want = db_schema_target();
    if (have == DB_SCHEMA_DEVELOPMENT) {
        msg_error("%s", err);
        return EXIT_USAGE;
    }
    if (have < 0) {
        msg_error("%s", err);
        return EXIT_DB;
    }
    if (have == 0) {
        msg_error("the database has no is248 schema: run 'is248 migrate' first");
        return EXIT_USAGE;
    }
    if (have < want) {
        msg_error("the database schema is at version %d, this is248 needs %d: "
                  "run 'is248 migrate'", have, want);
        return EXIT_USAGE;
    }
    if (have > want) {
        msg_error("the database schema is at version %d, newer than this "
                  "is248 knows (%d): upgrade is248", have, want);
        return EXIT_USAGE;
    }
    return cli_check_access(conn, need, 1);
}
