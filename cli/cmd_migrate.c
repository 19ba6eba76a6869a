/*
 * cmd_migrate.c - "is248 migrate": create or upgrade the schema.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "load/db.h"
#include "msg.h"

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
