/*
 * test_dbclass.c - db_connect_classify(): libpq's messages of a failed
 * connection (as libpq 15 and the server write them) and whether trying
 * again may help (U: unavailable, exit 3) or the settings are at fault
 * (C: configuration, exit 2).  A case a line.  The messages were taken
 * from psql's and is248's own failures; a server speaking another
 * language is unavailable, as the header says.
 */
#include "check.h"
#include "load/db.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define U DB_CONNECT_UNAVAILABLE
#define C DB_CONNECT_CONFIG
#define SOCK "connection to server on socket \"/tmp/pg/.s.PGSQL.5432\" failed: "
#define TCP "connection to server at \"127.0.0.1\", port 5432 failed: "

static const struct {
    const char *message;
    int needs_password;
    enum db_connect_failure want;
} cases[] = {
    /* the server is not there, or not ready: try again */
    { SOCK "No such file or directory\n\tIs the server running locally and accepting connections on that socket?\n", 0, U },
    { TCP "Connection refused\n\tIs the server running on that host and accepting TCP/IP connections?\n", 0, U },
    { TCP "timeout expired\n", 0, U },
    { SOCK "FATAL:  the database system is starting up\n", 0, U },
    { SOCK "FATAL:  the database system is shutting down\n", 0, U },
    { SOCK "FATAL:  the database system is in recovery mode\n", 0, U },
    { SOCK "FATAL:  sorry, too many clients already\n", 0, U },
    { SOCK "FATAL:  too many connections for role \"loader\"\n", 0, U },
    { SOCK "FATAL:  remaining connection slots are reserved for non-replication superuser connections\n", 0, U },
    { SOCK "server closed the connection unexpectedly\n\tThis probably means the server terminated abnormally\n", 0, U },
    { SOCK "FATAL:  database \"is248\" is not currently accepting connections\n", 0, U },
    { "could not translate host name \"db.example.org\" to address: Temporary failure in name resolution\n", 0, U },
    { "", 0, U },
    { NULL, 0, U },
    /* the server's words in another language: not known to be settings */
    { SOCK "FATAL:  la autentificación password falló para el usuario «loader»\n", 0, U },
    { SOCK "FATAL:  passordautentisering feilet for bruker «loader»\n", 0, U },
    /* the service file and the connection string */
    { "definition of service \"nope\" not found\n", 0, C },
    { "service file \"/home/x/services\" not found\n", 0, C },
    { "syntax error in service file \"/home/x/.pg_service.conf\", line 3\n", 0, C },
    { "line 2 too long in service file \"/home/x/.pg_service.conf\"\n", 0, C },
    { "nested service specifications not supported in service file \"/x\", line 4\n", 0, C },
    { "invalid connection option \"passwd\"\n", 0, C },
    { "missing \"=\" after \"is248\" in connection info string\n", 0, C },
    { "unterminated quoted string in connection info string\n", 0, C },
    { "invalid percent-encoded token: \"%zz\"\n", 0, C },
    { "invalid sslmode value: \"sometimes\"\n", 0, C },
    { "invalid port number: \"54x\"\n", 0, C },
    { "invalid integer value \"x\" for connection option \"connect_timeout\"\n", 0, C },
    { "could not match 2 port numbers to 3 hosts\n", 0, C },
    { "could not translate host name \"no.such.host.invalid\" to address: Name or service not known\n", 0, C },
    { "Unix-domain socket path \"/a/very/long/directory/.s.PGSQL.5432\" is too long (maximum 107 bytes)\n", 0, C },
    /* authentication */
    { SOCK "fe_sendauth: no password supplied\n", 0, C },
    { SOCK "FATAL:  password authentication failed for user \"loader\"\n", 0, C },
    { SOCK "FATAL:  Peer authentication failed for user \"is248_owner\"\n", 0, C },
    { SOCK "FATAL:  no pg_hba.conf entry for host \"[local]\", user \"x\", database \"is248\", no encryption\n", 0, C },
    { SOCK "FATAL:  pg_hba.conf rejects connection for host \"[local]\", user \"x\", database \"is248\", no encryption\n", 0, C },
    { SOCK "FATAL:  role \"root\" does not exist\n", 0, C },
    { SOCK "FATAL:  database \"is248\" does not exist\n", 0, C },
    { SOCK "FATAL:  role \"analyst\" is not permitted to log in\n", 0, C },
    { SOCK "FATAL:  permission denied for database \"is248\"\nDETAIL:  User does not have CONNECT privilege.\n", 0, C },
    { TCP "server does not support SSL, but SSL was required\n", 0, C },
    { TCP "server certificate for \"db\" does not match host name \"db.example.org\"\n", 0, C },
    { "root certificate file \"/root/.postgresql/root.crt\" does not exist\n", 0, C },
    /* libpq says the server asked for a password none was given for */
    { SOCK "FATAL:  passordautentisering feilet for bruker «loader»\n", 1, C },
    /* several hosts: one whose settings are wrong decides */
    { TCP "Connection refused\n" SOCK "FATAL:  password authentication failed for user \"x\"\n", 0, C },
};

int main(void)
{
    for (size_t i = 0; i < COUNT(cases); i++) {
        enum db_connect_failure got =
            db_connect_classify(cases[i].message, cases[i].needs_password);
        if (got != cases[i].want)
            fprintf(stderr, "case %zu: %s\n", i,
                    cases[i].message ? cases[i].message : "NULL");
        CHECK_INT(got, cases[i].want);
    }
    return check_done();
}
