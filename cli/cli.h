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
#include "outfile.h"

#include <signal.h>
#include <stdio.h>

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
/* Runs "is248 status" shows without --runs. */
#define CLI_DEFAULT_STATUS_RUNS 10L

/* An option that may be given again, each time with a value or a comma
 * list (--years, --size-class, --county, --indicator): the values as typed,
 * pointers into argv, at most CLI_LIST_MAX of them. */
#define CLI_LIST_MAX 32
struct cli_list {
    const char *item[CLI_LIST_MAX];
    int n;
};

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
    /* trends, report, demo */
    struct cli_list years;        /* --years 2015,2019-2021 */
    struct cli_list size_classes; /* --size-class LABEL */
    struct cli_list counties;     /* --county CODE */
    struct cli_list indicators;   /* --indicator NAME */
    const char *format;           /* --format table|csv|json; NULL: table */
    const char *chart;            /* --chart FILE.svg ("-": stdout) */
    const char *chart_dir;        /* report --chart-dir DIR */
    long status_runs;         /* status --runs: runs shown (0: all) */
    int summary_table;        /* import: the summary table on stdout */
    const char *json_summary; /* --json-summary FILE ("-": stdout) */
    long batch_files;         /* --batch N: files per transaction; 0:
                               * the default */
    long run;                 /* rejections, extract --run N; -1: not
                               * given */
    int all_runs;             /* rejections --all */
    const char *output;       /* rejections --output FILE ("-": stdout) */
    int force;                /* extract --force: replace files in DIR */
    struct outfile *json_out; /* ... opened (outfile_open), or NULL;
                               * summary_json_file() completes it */
    int argc;                 /* operands after the options */
    char **argv;
};

int cmd_migrate(struct cli *c);
int cmd_import(struct cli *c);
int cmd_validate(struct cli *c);
int cmd_trends(struct cli *c);
int cmd_demo(struct cli *c);
int cmd_report(struct cli *c);
int cmd_status(struct cli *c);
int cmd_rejections(struct cli *c);
int cmd_extract(struct cli *c);

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

/* --- the trends (cmd_trends.c), shared with report and demo ------------- */

/* An indicator: a question of the work chapter, its figures by year and
 * size class, and the percentage charted.  All static. */
struct trend_indicator {
    const char *name;        /* nav_collab, ...: --indicator, JSON keys,
                              * chart file names */
    const char *title;       /* heading of its table, in English */
    const char *chart_title; /* what the chart shows, in English */
    const char *question;    /* as on the form (delivery-format.md §5) */
    const char *source;      /* the trend view it agrees with */
    const char *sql;         /* its rows: $1 years (int[]), $2 size classes,
                              * $3 counties (text[]); NULL: all */
    const char *pct;         /* the column charted */
    const char *y_label;     /* the chart's y axis */
    const char *base;        /* what the percentage is of */
    int first_year;          /* the first year the form asks it */
};
#define TREND_INDICATORS 4
extern const struct trend_indicator trend_indicators[TREND_INDICATORS];

/* The current reports selected by --years, --size-class, --county: array
 * literals for the SQL functions and a description, each NULL when not
 * given; owned, freed by trend_selection_free(). */
struct trend_selection {
    char *years, *size_classes, *counties;
    char *text;
};
/* Parse the selection of c; EXIT_OK, or after a message EXIT_USAGE (a
 * malformed year or county) or EXIT_INTERNAL (out of memory). */
int trend_selection_parse(const struct cli *c, struct trend_selection *sel);
void trend_selection_free(struct trend_selection *sel);
/* The rows of indicator i for sel (the caller PQclear()s them); NULL after
 * a message with *rc set: EXIT_USAGE for a size class or county the
 * database does not know, EXIT_DB otherwise. */
PGresult *trend_query(PGconn *conn, int i, const struct trend_selection *sel,
                      int *rc);
/* Draw indicator i from its rows res as an SVG line chart on out: the
 * years up to last_year (0: all), highlight_year marked (0: none),
 * selection (or NULL) named in the note.  Returns 0, 1 when there is no
 * figure to draw (nothing written), -1 when writing failed or memory ran
 * out. */
int trend_chart(FILE *out, const PGresult *res, int i, int last_year,
                int highlight_year, const char *selection);

/* "is248 trends" as steps, so that demo can check its options before it
 * starts a server and print the trends after the import: prepare (parse
 * the options, open the chart file; NULL after a message with *rc set),
 * run (returns an exit code), free (removes a chart not completed).
 * print_always: print the figures also with --chart and no --format. */
struct trends;
struct trends *trends_prepare(const struct cli *c, int print_always, int *rc);
int trends_run(struct trends *t, PGconn *conn);
void trends_free(struct trends *t);

/* The year written as exactly four digits in s[0..len), or -1. */
int cli_year(const char *s, size_t len);

/* The full command as typed, for is248.import_run.command; static. */
const char *cli_command_line(void);

/*
 * SIGINT and SIGTERM, once cli_catch_signals() is called, set
 * cli_stop_signal and ask the server to cancel what the watched connection
 * is running, so that a long statement (a merge, a wait for a lock) stops
 * at once; the open transaction then rolls back.  A second signal ends the
 * process at once (the server rolls back on its own), after removing the
 * temporary files of outfile.h.
 */
extern volatile sig_atomic_t cli_stop_signal;
void cli_catch_signals(void);
/* Watch conn for the signals above (NULL: none). */
void cli_watch(PGconn *conn);

#endif
