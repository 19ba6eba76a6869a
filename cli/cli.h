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

struct cli {
    const char *command;      /* the subcommand's name */
    const char *db;           /* --db CONNINFO, or NULL for libpq's
                               * environment */
    struct walk_limits walk;  /* --max-entry-bytes, ... */
    struct xmlrep_limits xml;
    long lock_wait_ms;        /* 0: fail at once; --wait: -1 */
    int argc;                 /* operands after the options */
    char **argv;
};

int cmd_migrate(struct cli *c);
int cmd_import(struct cli *c);
int cmd_validate(struct cli *c);
int cmd_trends(struct cli *c);
int cmd_demo(struct cli *c);

/* Connect as --db or libpq's environment say; NULL after printing why. */
PGconn *cli_connect(const struct cli *c);
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

/* Set by SIGINT/SIGTERM while an import runs. */
extern volatile int cli_stop_signal;
void cli_catch_signals(void);

#endif
