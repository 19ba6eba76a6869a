/*
 * access.c - whether the login may do what the command does, asked of the
 * server before anything is done, so that a role set up wrong hears which
 * role it lacks (exit 2) instead of a "permission denied" from the middle
 * of the work (which would read as a database failure, exit 3).
 *
 * The roles are those of sql/schema/06_roles.sql and docs/operator-guide.md
 * ("The database and its roles"): is248_reader reads, is248_loader imports,
 * the schema's owner migrates.  What is asked is the privilege itself
 * (has_function_privilege(), pg_has_role() ...), so superusers and the
 * owner pass as they should.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "msg.h"

/* One row of text columns, or NULL after a message. */
static PGresult *ask(PGconn *conn, const char *sql)
{
    PGresult *res = PQexec(conn, sql);
    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
        char err[1024];
        snprintf(err, sizeof err, "%s", PQresultErrorMessage(res));
        err[strcspn(err, "\n")] = '\0';
        msg_error("cannot ask the database what this login may do: %s", err);
        PQclear(res);
        return NULL;
    }
    return res;
}

static int yes(const PGresult *res, int col)
{
    return strcmp(PQgetvalue(res, 0, col), "t") == 0;
}

/* The message of a login that lacks the role for need. */
static int refused(const char *login, enum cli_need need)
{
    if (need == CLI_NEED_IMPORT)
        msg_error("the login '%s' may not import: it is not a member of "
                  "is248_loader " ROLES_DOC, login);
    else if (need == CLI_NEED_OPERATOR)
        msg_error("the login '%s' may not read what was set aside row by "
                  "row: only the schema's owner may (is248.rejection) "
                  ROLES_DOC, login);
    else
        msg_error("the login '%s' may not read is248's figures: it is not a "
                  "member of is248_reader " ROLES_DOC, login);
    return EXIT_USAGE;
}

int cli_check_access(PGconn *conn, enum cli_need need, int schema_ready)
{
    /* before the schema's version is read: the schema itself; after it
     * (the objects are there): what the command calls */
    const char *sql =
        !schema_ready
            ? "SELECT current_user, coalesce(pg_catalog.has_schema_privilege"
              "(n.oid, 'USAGE'), true) FROM (SELECT 1) AS one LEFT JOIN"
              " pg_catalog.pg_namespace n ON n.nspname = 'is248'"
        : need == CLI_NEED_IMPORT
            ? "SELECT current_user, pg_catalog.has_function_privilege"
              "('is248.run_begin(text)', 'EXECUTE')"
        : need == CLI_NEED_OPERATOR
            ? "SELECT current_user, pg_catalog.has_table_privilege"
              "('is248.rejection', 'SELECT')"
            : "SELECT current_user, pg_catalog.has_table_privilege"
              "('is248.report_current', 'SELECT')";
    PGresult *res = ask(conn, sql);
    if (!res)
        return EXIT_DB;
    int rc = yes(res, 1) ? EXIT_OK : refused(PQgetvalue(res, 0, 0), need);
    PQclear(res);
    return rc;
}

int cli_check_migrate(PGconn *conn)
{
    PGresult *res = ask(conn,
        "SELECT current_user, pg_catalog.current_database(),"
        " n.oid IS NOT NULL, pg_catalog.pg_get_userbyid(n.nspowner),"
        " coalesce(pg_catalog.pg_has_role(current_user, n.nspowner, 'USAGE'),"
        " false), pg_catalog.has_database_privilege("
        "pg_catalog.current_database(), 'CREATE')"
        " FROM (SELECT 1) AS one LEFT JOIN pg_catalog.pg_namespace n"
        " ON n.nspname = 'is248'");
    if (!res)
        return EXIT_DB;
    const char *login = PQgetvalue(res, 0, 0);
    int rc = EXIT_OK;
    if (yes(res, 2) && !yes(res, 4)) {
        msg_error("the schema is248 belongs to '%s', and the login '%s' is "
                  "not a member of it: run 'is248 migrate' as '%s' " ROLES_DOC,
                  PQgetvalue(res, 0, 3), login, PQgetvalue(res, 0, 3));
        rc = EXIT_USAGE;
    } else if (!yes(res, 2) && !yes(res, 5)) {
        msg_error("the login '%s' may not create the schema is248 in the "
                  "database '%s': run 'is248 migrate' as the database's owner "
                  "(createdb -O ROLE) or a role with CREATE on it " ROLES_DOC,
                  login, PQgetvalue(res, 0, 1));
        rc = EXIT_USAGE;
    }
    PQclear(res);
    return rc;
}
