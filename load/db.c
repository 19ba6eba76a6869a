/*
 * db.c - connecting, PostgreSQL's errors on one line, running a statement
 * and requiring its status, the import lock, the import_run bookkeeping,
 * and deliveries (see db.h).  Migrations are migrate.c's.
 */
#include "db.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pgbin.h"

#define DB_LOCK_IMPORT DB_LOCK_SPACE ", " DB_LOCK_IMPORT_KEY

#define CONNECT_KEYS 8 /* db_connect()'s keywords, with the NULL after them */
#define SHA256_LEN 32  /* bytes of a digest, sent as bytea */

/* Room for a time-out as PostgreSQL takes it: "%ldms". */
#define MS_TEXT (DB_INT_TEXT + 2)

/* ------------------------------------------------------------------------ */
/* Messages                                                                  */

/* Append s to out (NUL-terminated, outlen bytes) as one line: runs of
 * white space that hold a line break become "; ", other runs one space;
 * leading and trailing white space goes. */
static void append_line(char *out, size_t outlen, const char *s)
{
    size_t o = strlen(out);
    while (*s && isspace((unsigned char)*s))
        s++;
    while (*s && o + 1 < outlen) {
        if (isspace((unsigned char)*s)) {
            int nl = 0;
            while (*s && isspace((unsigned char)*s)) {
                nl |= *s == '\n' || *s == '\r';
                s++;
            }
            if (!*s)
                break;
            for (const char *sep = nl ? "; " : " "; *sep && o + 1 < outlen;)
                out[o++] = *sep++;
            continue;
        }
        out[o++] = *s++;
    }
    out[o] = '\0';
}

/* Append s to out as it is, as far as it fits. */
static void append_raw(char *out, size_t outlen, const char *s)
{
    size_t o = strlen(out);
    while (*s && o + 1 < outlen)
        out[o++] = *s++;
    out[o] = '\0';
}

/* The SQLSTATE of the error db_error() last described in this thread, ""
 * when it had none; db_exec() empties it before each statement. */
static _Thread_local char error_sqlstate[6];

const char *db_error_sqlstate(void)
{
    return error_sqlstate;
}

/* Strip libpq's "ERROR:  " style severity prefix. */
static const char *skip_severity(const char *m)
{
    static const char *const prefixes[] = { "ERROR:", "FATAL:", "PANIC:" };
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        size_t n = strlen(prefixes[i]);
        if (strncmp(m, prefixes[i], n) == 0)
            return m + n;
    }
    return m;
}

void db_error(char *err, size_t errlen, PGconn *conn, const PGresult *res,
              const char *what)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    snprintf(error_sqlstate, sizeof error_sqlstate, "%s",
             state && strlen(state) == 5 ? state : "");
    if (!err || errlen == 0)
        return;
    err[0] = '\0';
    if (what && *what) {
        append_line(err, errlen, what);
        append_raw(err, errlen, ": ");
    }
    const char *primary =
        res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    if (primary) {
        append_line(err, errlen, primary);
        const char *detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
        const char *hint = PQresultErrorField(res, PG_DIAG_MESSAGE_HINT);
        if (detail) {
            append_raw(err, errlen, "; ");
            append_line(err, errlen, detail);
        }
        if (hint) {
            append_raw(err, errlen, "; hint: ");
            append_line(err, errlen, hint);
        }
    } else {
        const char *m = res ? PQresultErrorMessage(res) : NULL;
        if (!m || !*m)
            m = conn ? PQerrorMessage(conn) : NULL;
        if (!m || !*m)
            m = conn ? "unknown error" : "out of memory";
        append_line(err, errlen, skip_severity(m));
    }
    /* one line, no final full stop */
    size_t o = strlen(err);
    while (o > 0 && (err[o - 1] == '.' || err[o - 1] == ' ' ||
                     err[o - 1] == ';' || err[o - 1] == ':'))
        err[--o] = '\0';
}

static void set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || errlen == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

PGresult *db_exec(PGconn *conn, const char *sql, int n,
                  const char *const *params, ExecStatusType want,
                  const char *what, char *err, size_t errlen)
{
    error_sqlstate[0] = '\0';
    PGresult *res = n ? PQexecParams(conn, sql, n, NULL, params, NULL, NULL, 0)
                      : PQexec(conn, sql);
    if (PQresultStatus(res) != want) {
        db_error(err, errlen, conn, res, what);
        PQclear(res);
        return NULL;
    }
    return res;
}

int db_exec_ok(PGconn *conn, const char *sql, int n,
               const char *const *params, ExecStatusType want,
               const char *what, char *err, size_t errlen)
{
    PGresult *res = db_exec(conn, sql, n, params, want, what, err, errlen);
    PQclear(res);
    return res ? 0 : -1;
}

int db_command(PGconn *conn, const char *sql, const char *what, char *err,
               size_t errlen)
{
    return db_exec_ok(conn, sql, 0, NULL, PGRES_COMMAND_OK, what, err,
                      errlen);
}

void db_rollback(PGconn *conn)
{
    PGTransactionStatusType ts = PQtransactionStatus(conn);
    if (ts == PQTRANS_INTRANS || ts == PQTRANS_INERROR)
        PQclear(PQexec(conn, "ROLLBACK"));
}

/* ------------------------------------------------------------------------ */
/* Connecting                                                                */

/*
 * What in a failed connection's message says it is the settings' fault, so
 * that trying again cannot help: both strings present (the second may be
 * NULL).  libpq gives no SQLSTATE for a connection that failed, only text.
 * libpq's own messages are English here: it translates them by the locale
 * of LC_MESSAGES, which is "C" in a program that never calls setlocale(),
 * as is248 does not.  The server's messages (the FATAL errors of
 * authentication and of the startup packet) come in its lc_messages, which
 * may be another language: those are recognised in English only, and
 * anything else counts as unavailable, the kind that retrying may cure.
 */
static const struct {
    const char *a, *b;
} config_failures[] = {
    /* libpq: the service file and the connection string */
    { "definition of service \"", "\" not found" },
    { "service file \"", NULL },  /* not found, syntax error, too long */
    { "invalid connection option \"", NULL },
    { "missing \"=\" after \"", NULL },
    { "unterminated quoted string in connection info string", NULL },
    { "invalid URI", NULL },
    { "invalid percent-encoded token", NULL },
    { "missing key/value separator \"=\" in URI query parameter", NULL },
    { "unexpected character \"", "in URI" },
    { "invalid integer value \"", "for connection option \"" },
    { "invalid port number: \"", NULL },
    { "could not match ", " host" }, /* host names, hostaddr, ports */
    { "invalid ", " value: \"" },  /* sslmode, target_session_attrs, ... */
    { "could not translate host name \"", "Name or service not known" },
    { "Unix-domain socket path \"", "\" is too long" },
    /* libpq: authentication and TLS settings */
    { "fe_sendauth: no password supplied", NULL },
    { "requirepeer specifies \"", NULL },
    { "but SSL was required", NULL },
    { "but it was required", NULL }, /* GSSAPI encryption */
    { "channel binding", "required" },
    { "server certificate for \"", "does not match host name" },
    { "root certificate file \"", "does not exist" },
    { "certificate present, but not private key file", NULL },
    { "could not open certificate file \"", NULL },
    { "authentication method ", " not supported" },
    { "none of the server's SASL authentication mechanisms are supported", NULL },
    /* the server, in English */
    { " authentication failed for user \"", NULL }, /* password, peer, ... */
    { "no pg_hba.conf entry for ", NULL },
    { "pg_hba.conf rejects connection for ", NULL },
    { "role \"", "\" does not exist" },
    { "database \"", "\" does not exist" },
    { "is not permitted to log in", NULL },
    { "permission denied for database \"", NULL },
};

enum db_connect_failure db_connect_classify(const char *message,
                                            int needs_password)
{
    if (needs_password)
        return DB_CONNECT_CONFIG;
    if (!message)
        return DB_CONNECT_UNAVAILABLE;
    for (size_t i = 0; i < sizeof config_failures / sizeof config_failures[0];
         i++) {
        const char *at = strstr(message, config_failures[i].a);
        if (at && (!config_failures[i].b ||
                   strstr(at + strlen(config_failures[i].a),
                          config_failures[i].b)))
            return DB_CONNECT_CONFIG;
    }
    return DB_CONNECT_UNAVAILABLE;
}

PGconn *db_connect(const char *conninfo, enum db_connect_failure *failure,
                   char *err, size_t errlen)
{
    /* Keywords before "dbname" are defaults that the conninfo overrides
     * (an unattended run must not hang on a server that never answers:
     * connect_timeout, and TCP keepalives that notice a dead peer within
     * a minute or two); keywords after it override what an expanded
     * conninfo says: the loader sends UTF-8, whatever PGCLIENTENCODING
     * says.  PGCONNECT_TIMEOUT, when set, wins over our default. */
    const char *keys[CONNECT_KEYS], *vals[CONNECT_KEYS];
    int n = 0;
    if (!getenv("PGCONNECT_TIMEOUT")) {
        keys[n] = "connect_timeout";
        vals[n++] = "30";
    }
    keys[n] = "keepalives_idle";
    vals[n++] = "60";
    keys[n] = "keepalives_interval";
    vals[n++] = "10";
    keys[n] = "keepalives_count";
    vals[n++] = "6";
    keys[n] = "dbname";
    vals[n++] = conninfo;
    keys[n] = "fallback_application_name";
    vals[n++] = "is248";
    keys[n] = "client_encoding";
    vals[n++] = "UTF8";
    keys[n] = NULL;
    vals[n] = NULL;
    PGconn *conn = PQconnectdbParams(keys, vals, 1);
    if (!conn) {
        set_err(err, errlen, "cannot connect: out of memory");
        if (failure)
            *failure = DB_CONNECT_NOMEM;
        return NULL;
    }
    if (PQstatus(conn) != CONNECTION_OK) {
        if (failure)
            *failure = db_connect_classify(PQerrorMessage(conn),
                                           PQconnectionNeedsPassword(conn));
        db_error(err, errlen, conn, NULL, NULL);
        PQfinish(conn);
        return NULL;
    }
    return conn;
}

int db_set_timeouts(PGconn *conn, long lock_timeout_ms,
                    long statement_timeout_ms, char *err, size_t errlen)
{
    char lock[MS_TEXT], stmt[MS_TEXT];
    snprintf(lock, sizeof lock, "%ldms", lock_timeout_ms);
    snprintf(stmt, sizeof stmt, "%ldms", statement_timeout_ms);
    const char *params[2] = { lock, stmt };
    return db_exec_ok(conn,
                      "SELECT pg_catalog.set_config('lock_timeout', $1, false),"
                      " pg_catalog.set_config('statement_timeout', $2, false)",
                      2, params, PGRES_TUPLES_OK, "cannot set the time-outs",
                      err, errlen);
}

/* ------------------------------------------------------------------------ */
/* The import lock and runs                                                  */

int db_lock_import(PGconn *conn, long wait_ms, char *err, size_t errlen)
{
    static const char what[] = "cannot take the import lock";
    PGresult *res;
    if (wait_ms == 0) {
        res = db_exec(conn,
                      "SELECT pg_catalog.pg_try_advisory_lock("
                      DB_LOCK_IMPORT ")", 0, NULL,
                      PGRES_TUPLES_OK, what, err, errlen);
        if (!res)
            return -1;
        int taken = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
        PQclear(res);
        return taken;
    }

    /* Wait at most wait_ms (< 0: forever): lock_timeout for this
     * transaction only (a session-level advisory lock outlives the
     * transaction), and no statement_timeout while waiting. */
    if (PQtransactionStatus(conn) != PQTRANS_IDLE) {
        set_err(err, errlen, "%s: the connection is in a transaction", what);
        return -1;
    }
    if (db_command(conn, "BEGIN", what, err, errlen) != 0)
        return -1;
    char ms[MS_TEXT];
    snprintf(ms, sizeof ms, "%ldms", wait_ms < 0 ? 0 : wait_ms);
    const char *params[1] = { ms };
    res = db_exec(conn,
                  "SELECT pg_catalog.set_config('lock_timeout', $1, true),"
                  " pg_catalog.set_config('statement_timeout', '0', true)",
                  1, params, PGRES_TUPLES_OK, what, err, errlen);
    if (!res) {
        db_rollback(conn);
        return -1;
    }
    PQclear(res);
    res = PQexec(conn,
                 "SELECT pg_catalog.pg_advisory_lock(" DB_LOCK_IMPORT ")");
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
        int timeout = state && strcmp(state, "55P03") == 0; /* lock_not_available */
        if (!timeout)
            db_error(err, errlen, conn, res, what);
        PQclear(res);
        db_rollback(conn);
        return timeout ? 0 : -1;
    }
    PQclear(res);
    return db_command(conn, "COMMIT", what, err, errlen) == 0 ? 1 : -1;
}

int64_t db_run_begin(PGconn *conn, const char *command, int64_t *abandoned,
                     char *err, size_t errlen)
{
    const char *params[1] = { command };
    PGresult *res = db_exec(conn,
                            "SELECT run_id, abandoned"
                            " FROM is248.run_begin($1::text)",
                            1, params, PGRES_TUPLES_OK,
                            "cannot record the import run", err, errlen);
    if (!res)
        return -1;
    int64_t id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    if (abandoned)
        *abandoned = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
    PQclear(res);
    return id;
}

int db_run_end(PGconn *conn, int64_t run_id, const char *status, char *err,
               size_t errlen)
{
    char run[DB_INT_TEXT];
    snprintf(run, sizeof run, "%" PRId64, run_id);
    const char *params[2] = { run, status };
    return db_exec_ok(conn, "SELECT is248.run_end($1::bigint, $2::text)",
                      2, params, PGRES_TUPLES_OK,
                      "cannot record the end of the import run", err, errlen);
}

/* ------------------------------------------------------------------------ */
/* Deliveries                                                                */

int db_delivery_read(PGconn *conn, int64_t run_id, const char *source,
                     const unsigned char digest[32], struct db_delivery *d,
                     char *err, size_t errlen)
{
    char run[DB_INT_TEXT];
    snprintf(run, sizeof run, "%" PRId64, run_id);
    const char *values[3] = { run, source, (const char *)digest };
    const int lengths[3] = { 0, 0, SHA256_LEN }, formats[3] = { 0, 0, 1 };
    PGresult *res = PQexecParams(conn,
                                 "SELECT run_id, files, files_loaded,"
                                 " files_already, files_rejected,"
                                 " to_char(completed_at, 'YYYY-MM-DD HH24:MI')"
                                 " FROM is248.delivery_read($1::bigint,"
                                 " $2::text, $3::bytea)",
                                 3, NULL, values, lengths, formats, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_error(err, errlen, conn, res, "cannot look the delivery up");
        PQclear(res);
        return -1;
    }
    int found = PQntuples(res) == 1;
    if (found) {
        memset(d, 0, sizeof *d);
        d->run_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
        d->files = atoi(PQgetvalue(res, 0, 1));
        d->files_loaded = atoi(PQgetvalue(res, 0, 2));
        d->files_already = atoi(PQgetvalue(res, 0, 3));
        d->files_rejected = atoi(PQgetvalue(res, 0, 4));
        snprintf(d->completed_at, sizeof d->completed_at, "%s",
                 PQgetvalue(res, 0, 5));
    }
    PQclear(res);
    return found;
}

int64_t db_delivery_begin(PGconn *conn, int64_t run_id, const char *source,
                          uint64_t bytes, char *err, size_t errlen)
{
    char run[DB_INT_TEXT], size[DB_INT_TEXT];
    snprintf(run, sizeof run, "%" PRId64, run_id);
    snprintf(size, sizeof size, "%" PRIu64, bytes);
    const char *params[3] = { run, source, size };
    PGresult *res = db_exec(conn,
                            "SELECT is248.delivery_begin($1::bigint,"
                            " $2::text, $3::bigint)",
                            3, params, PGRES_TUPLES_OK,
                            "cannot begin the delivery", err, errlen);
    if (!res)
        return -1;
    int64_t id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    return id;
}

int db_delivery_pieces(PGconn *conn, int64_t id, int first,
                       const unsigned char *data, size_t len, char *err,
                       size_t errlen)
{
    struct pgbin elems = PGBIN_INIT, arr = PGBIN_INIT;
    int n = 0;
    for (size_t off = 0; off < len; off += DB_DELIVERY_PIECE, n++) {
        size_t k = len - off < DB_DELIVERY_PIECE ? len - off
                                                 : DB_DELIVERY_PIECE;
        pgbin_bytes(&elems, data + off, k);
    }
    pgbin_array(&arr, PGBIN_BYTEA, n, 0, &elems);
    pgbin_free(&elems);
    if (pgbin_failed(&arr)) {
        pgbin_free(&arr);
        set_err(err, errlen, "cannot send the delivery: out of memory");
        return -1;
    }
    char idt[DB_INT_TEXT], firstt[DB_INT_TEXT];
    snprintf(idt, sizeof idt, "%" PRId64, id);
    snprintf(firstt, sizeof firstt, "%d", first);
    const char *values[3] = { idt, firstt, (const char *)arr.data };
    const int lengths[3] = { 0, 0, (int)arr.len }, formats[3] = { 0, 0, 1 };
    PGresult *res = PQexecParams(conn,
                                 "SELECT is248.delivery_pieces($1::bigint,"
                                 " $2::int, $3::bytea[])",
                                 3, NULL, values, lengths, formats, 0);
    pgbin_free(&arr);
    int rc = 0;
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_error(err, errlen, conn, res, "cannot send the delivery");
        rc = -1;
    }
    PQclear(res);
    return rc;
}

int db_delivery_end(PGconn *conn, int64_t id, const unsigned char digest[32],
                    char *err, size_t errlen)
{
    char idt[DB_INT_TEXT];
    snprintf(idt, sizeof idt, "%" PRId64, id);
    const char *values[2] = { idt, (const char *)digest };
    const int lengths[2] = { 0, SHA256_LEN }, formats[2] = { 0, 1 };
    PGresult *res = PQexecParams(conn,
                                 "SELECT is248.delivery_end($1::bigint,"
                                 " $2::bytea)",
                                 2, NULL, values, lengths, formats, 0);
    int rc = 0;
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_error(err, errlen, conn, res,
                 "cannot record the delivery as read");
        rc = -1;
    }
    PQclear(res);
    return rc;
}
