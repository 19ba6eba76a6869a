/*
 * cmd_migrate.c - "is248 migrate": create or upgrade the schema, and the
 * connection helper the other database commands share.
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

int cli_migrate(PGconn *conn)
{
    char err[1024];
    int from, to, reference;
    int rc = cli_check_migrate(conn);
    if (rc != EXIT_OK)
        return rc;
    if (db_schema_version(conn, err, sizeof err) == DB_SCHEMA_DEVELOPMENT) {
        msg_error("%s", err);
        return EXIT_USAGE;
    }
    rc = db_migrate(conn, &from, &to, &reference, err, sizeof err);
    if (rc == DB_MIGRATE_REFUSED) {
        /* the server's hint, when it gave one, says what to grant */
        if (strstr(err, "; hint: "))
            msg_error("migration refused, nothing changed: %s", err);
        else
            msg_error("migration refused, nothing changed: %s; hint: a superuser "
                      "grants the login '%s' what the server names (sudo -u postgres "
                      "psql -d %s -c 'GRANT ...'): is248 migrate needs what a new "
                      "database gives its owner, and the roles is248_reader and "
                      "is248_loader " ROLES_DOC, err, PQuser(conn), PQdb(conn));
        return EXIT_USAGE;
    }
    if (rc != 0) {
        msg_error("migration failed, nothing changed: %s", err);
        return EXIT_DB;
    }
    if (from == to)
        msg_info("schema is at version %d, nothing to do%s", to,
                 reference ? "; reference data reloaded" : "");
    else
        msg_info("schema migrated from version %d to %d%s", from, to,
                 reference ? "; reference data loaded" : "");
    return EXIT_OK;
}

int cmd_migrate(struct cli *c)
{
    int rc;
    PGconn *conn = cli_connect(c, &rc);
    if (!conn)
        return rc;
    rc = cli_migrate(conn);
    cli_disconnect(conn);
    return rc;
}
