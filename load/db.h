/*
 * db.h - the connection to PostgreSQL, the schema's migrations, and the
 * bookkeeping of import runs.
 *
 * Connection parameters come from a conninfo string (--db) or, when that is
 * NULL, from libpq's own environment (PGHOST, PGDATABASE, PGSERVICE,
 * PGPASSFILE, ...).  Passwords never come from the command line.
 *
 * The schema is the files of sql/schema/ (version 1), then the upgrades
 * sql/upgrade/NNNN_*.sql (version NNNN, none yet), all compiled into the
 * program; the versions applied are recorded in is248.schema_version.  The
 * reference data (the CSV files in sql/reference/, also compiled in) is
 * loaded by migrate and reloaded when it has changed.  Everything migrate
 * does happens in one transaction.
 *
 * db.c holds the connection, the errors, the lock, the runs and the
 * deliveries; migrate.c the migrations and the reference data.
 */
#ifndef IS248_LOAD_DB_H
#define IS248_LOAD_DB_H

#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

/* Why a connection failed. */
enum db_connect_failure {
    DB_CONNECT_UNAVAILABLE = 0, /* the server is down, starting, stopping,
                                 * out of connections, silent: try again */
    DB_CONNECT_CONFIG,          /* the settings: an unknown service, a
                                 * conninfo libpq refuses, authentication,
                                 * no password, a role or database that
                                 * does not exist: fix them */
    DB_CONNECT_NOMEM            /* libpq ran out of memory */
};

/* The advisory lock keys of is248: (DB_LOCK_SPACE, key), the space "IS24"
 * as an int4.  sql/schema/03_merge.sql checks the import lock by the same
 * numbers. */
#define DB_LOCK_SPACE "1230188084"
#define DB_LOCK_MIGRATE_KEY "1"     /* migrate, for its transaction */
#define DB_LOCK_IMPORT_KEY "2"      /* an import, for its session */

/* Room for an integer parameter as text: a 64-bit integer in decimal, its
 * sign and the NUL (20 + 1 + 1), with some to spare. */
#define DB_INT_TEXT 24

/*
 * Connect.  Returns the connection, or NULL with the reason in err and, when
 * failure is not NULL, its kind in *failure (see db_connect_classify()).
 * Sets application_name "is248" unless the conninfo sets one, and, unless
 * it (or PGCONNECT_TIMEOUT) says otherwise, a connect_timeout of 30 s and
 * TCP keepalives that give up on a silent peer after about two minutes.
 */
PGconn *db_connect(const char *conninfo, enum db_connect_failure *failure,
                   char *err, size_t errlen);

/*
 * The kind of a failed connection, from libpq's message (PQerrorMessage())
 * and PQconnectionNeedsPassword(): libpq says why only in words.  Its own
 * words are English (is248 never sets LC_MESSAGES); the server's may be in
 * another language, and what is not recognised is DB_CONNECT_UNAVAILABLE.
 * Can't fail.
 */
enum db_connect_failure db_connect_classify(const char *message,
                                            int needs_password);

/*
 * Set lock_timeout and statement_timeout (milliseconds, 0: none) for the
 * session.  Returns 0, or -1 with err set.
 */
int db_set_timeouts(PGconn *conn, long lock_timeout_ms,
                    long statement_timeout_ms, char *err, size_t errlen);

/* The schema version this program makes: 1, or its last upgrade's. */
int db_schema_target(void);

/*
 * The schema version the database is at: 0 when is248 has never been
 * migrated there, -1 on error (err says why), DB_SCHEMA_DEVELOPMENT (err
 * says what to do) when a development version of is248 made it: its
 * schema cannot be upgraded, only made anew.
 */
#define DB_SCHEMA_DEVELOPMENT (-2)
int db_schema_version(PGconn *conn, char *err, size_t errlen);

/*
 * Create the schema or apply the upgrades missing, in one transaction, and (re)load the reference
 * data when it differs from what the database holds.  *from and *to receive
 * the versions before and after; *reference_loaded is set to 1 when the
 * reference data was (re)loaded.  Returns 0; DB_MIGRATE_REFUSED when the
 * server refused a statement for want of a privilege (SQLSTATE 42501, or
 * class 0L, a grant the login may not make), which the login's set-up must
 * fix; -1 for any other failure.  err is set and nothing changed either way.
 */
#define DB_MIGRATE_REFUSED (-2)
int db_migrate(PGconn *conn, int *from, int *to, int *reference_loaded,
               char *err, size_t errlen);

/*
 * Take the import lock (a session-level advisory lock) so that two imports
 * never run at once.  wait_ms < 0 waits forever, 0 does not wait.
 * Returns 1 when taken, 0 when another import holds it, -1 on error.
 */
int db_lock_import(PGconn *conn, long wait_ms, char *err, size_t errlen);

/* Start an import run (is248.run_begin()); returns its id (> 0), or -1
 * with err set.  command is what was run ("import deliveries/2019.zip
 * ..."); the session must hold the import lock.  Runs left 'running' by an
 * import that died are marked 'abandoned', and *abandoned (when not NULL)
 * says how many. */
int64_t db_run_begin(PGconn *conn, const char *command, int64_t *abandoned,
                     char *err, size_t errlen);

/* Record the end of a run: status is "ok", "problems", "failed" or
 * "interrupted"; the database counts what the run recorded.  Returns 0, or
 * -1 with err set. */
int db_run_end(PGconn *conn, int64_t run_id, const char *status, char *err,
               size_t errlen);

/* --- deliveries: files given to import, read whole ------------------------ */

/* What a run found in a delivery it read to its end (is248.delivery). */
struct db_delivery {
    int64_t run_id;
    int files, files_loaded, files_already, files_rejected;
    char completed_at[64];      /* as the server writes it */
};

/* Pieces of a delivery, for its digest and for the database (1 MiB). */
#define DB_DELIVERY_PIECE (1U << 20)

/* The run that read a delivery with this digest to its end, with the
 * reference data loaded now: 1 with *d filled (and run_id records that it
 * was given the delivery again, as source), 0 when none did, -1 with err
 * set. */
int db_delivery_read(PGconn *conn, int64_t run_id, const char *source,
                     const unsigned char digest[32], struct db_delivery *d,
                     char *err, size_t errlen);

/* Begin reading a delivery of bytes bytes in a run: its id (> 0), or -1
 * with err set. */
int64_t db_delivery_begin(PGconn *conn, int64_t run_id, const char *source,
                          uint64_t bytes, char *err, size_t errlen);

/* Send pieces first, first + 1, ... (n of them, each DB_DELIVERY_PIECE
 * bytes but the last of the delivery) from data[0, len).  0 or -1. */
int db_delivery_pieces(PGconn *conn, int64_t id, int first,
                       const unsigned char *data, size_t len, char *err,
                       size_t errlen);

/* The delivery was read to its end; digest is what the caller computed
 * (the database checks it against the pieces).  0 or -1. */
int db_delivery_end(PGconn *conn, int64_t id, const unsigned char digest[32],
                    char *err, size_t errlen);

/*
 * Run sql and require status want: with n text parameters $1..$n, or, when
 * n is 0, as a simple query (sql may then hold several statements).
 * Returns the result (the caller clears it), or NULL with err set
 * ("what: message", as db_error() writes it).
 */
PGresult *db_exec(PGconn *conn, const char *sql, int n,
                  const char *const *params, ExecStatusType want,
                  const char *what, char *err, size_t errlen);

/* db_exec() where the result itself is not wanted: 0, or -1 with err
 * set. */
int db_exec_ok(PGconn *conn, const char *sql, int n,
               const char *const *params, ExecStatusType want,
               const char *what, char *err, size_t errlen);

/* db_exec_ok() of sql without parameters that must end in
 * PGRES_COMMAND_OK. */
int db_command(PGconn *conn, const char *sql, const char *what, char *err,
               size_t errlen);

/* Roll back whatever transaction is open on conn (in a transaction, or in
 * a failed one); errors are ignored: the caller has one to report already,
 * or the connection is gone.  Can't fail. */
void db_rollback(PGconn *conn);

/*
 * Write the error of res (or, when res is NULL or carries none, of conn) into
 * err as one line: "what: message; detail; hint: hint", without libpq's
 * "ERROR:" prefix, line breaks or a final full stop.  what may be NULL.
 * conn and res may be NULL.  Can't fail (truncates to errlen).
 */
void db_error(char *err, size_t errlen, PGconn *conn, const PGresult *res,
              const char *what);

/* The SQLSTATE (five characters) of the error db_error() last described in
 * this thread, "" when it came with none (a lost connection, no memory) or
 * when the statement db_exec() ran last succeeded.  The text is the
 * thread's own, valid until its next call of db_exec() or db_error().
 * Can't fail. */
const char *db_error_sqlstate(void);

#endif
