/*
 * cli.h - the command line's shared state and the subcommands.
 *
 * main.c parses the options into one struct cli and dispatches to a cmd_*
 * function from its table; each cmd_* returns one of the exit codes below,
 * which are documented in the README and in "is248 --help".
 */
#ifndef IS248_CLI_CLI_H
#define IS248_CLI_CLI_H

#include "ingest/walk.h"
#include "ingest/xmlreport.h"

#include <signal.h>

#include <libpq-fe.h>

enum exit_code {
    EXIT_OK = 0,          /* everything loaded (or loaded before) */
    EXIT_PROBLEMS = 1,    /* done, but something was set aside */
    EXIT_USAGE = 2,       /* usage or configuration error */
    EXIT_DB = 3,          /* database unavailable or failed */
    EXIT_LOCKED = 4,      /* another import is running */
    EXIT_INTERRUPTED = 5, /* stopped by SIGINT or SIGTERM */
    EXIT_INTERNAL = 6     /* internal error (out of memory, ...) */
};

/* Defaults of --lock-timeout and --statement-timeout: a statement that
 * waits a minute for a table lock, or runs an hour, is given up rather than
 * left to hang an unattended run. */
#define CLI_DEFAULT_LOCK_TIMEOUT_MS 60000L
#define CLI_DEFAULT_STATEMENT_TIMEOUT_MS 3600000L

struct cli {
    const char *command;      /* the subcommand's name */
    const char *db;           /* --db CONNINFO, or NULL for libpq's
                               * environment */
    struct walk_limits walk;  /* --max-entry-bytes, ... */
    struct xmlrep_limits xml;
    long lock_wait_ms;        /* 0: fail at once; --wait: -1 (forever) or
                               * --wait=TIME */
    long lock_timeout_ms;     /* --lock-timeout; 0: none */
    long statement_timeout_ms; /* --statement-timeout; 0: none */
    int file_lines_verbose;   /* the line of a file loaded without a
                               * problem only with --verbose (demo) */
    int summary_table;        /* import: the summary table on stdout */
    const char *json_summary; /* --json-summary FILE ("-": stdout) */
    int argc;                 /* operands after the options */
    char **argv;
};

int cmd_migrate(struct cli *c);
int cmd_import(struct cli *c);
int cmd_validate(struct cli *c);
int cmd_trends(struct cli *c);
int cmd_demo(struct cli *c);

/* Connect as --db or libpq's environment say, with the time-outs of c;
 * NULL after printing why.  The connection is watched (cli_watch()) until
 * cli_disconnect(). */
PGconn *cli_connect(const struct cli *c);
void cli_disconnect(PGconn *conn);
/* EXIT_OK when the schema is at the version this program needs; else
 * prints what to do and returns the exit code. */
int cli_check_schema(PGconn *conn);
/* Migrate and say what was done; returns an exit code. */
int cli_migrate(PGconn *conn);
/* Import the paths into conn (the lock, the run, the pipeline); returns an
 * exit code.  Used by import and demo. */
int cli_import(const struct cli *c, PGconn *conn, int npaths,
               char *const *paths);
/* Print the trend views; returns an exit code. */
int cli_print_trends(PGconn *conn);

/* The full command as typed, for is248.import_run.command; static. */
const char *cli_command_line(void);

/*
 * SIGINT and SIGTERM, once cli_catch_signals() is called, set
 * cli_stop_signal and ask the server to cancel what the watched connection
 * is running, so that a long statement (a merge, a wait for a lock) stops
 * at once; the open transaction then rolls back.  A second signal ends the
 * process at once (the server rolls back on its own).
 */
extern volatile sig_atomic_t cli_stop_signal;
void cli_catch_signals(void);
/* Watch conn for the signals above (NULL: none). */
void cli_watch(PGconn *conn);

#endif
