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
#include "catalog.h"
#include "outfile.h"
#include "rtable.h"

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
 * list (--years, --size-class, --county, --indicator, --question): the
 * values as typed, pointers into argv, at most CLI_LIST_MAX of them. */
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
    struct cli_list questions;    /* --question KEY */
    const char *format;           /* --format table|csv|json|xlsx|md|html;
                                   * NULL: the command's default */
    const char *csv_dialect;      /* --csv-dialect rfc4180|excel-nb */
    const char *output;           /* --output FILE ("-": stdout): trends,
                                   * report, export, rejections */
    const char *lang;             /* --lang nb|en; NULL: the environment */
    const char *weight;           /* --weight units|population */
    const char *chart;            /* --chart FILE.svg ("-": stdout) */
    const char *chart_dir;        /* report --chart-dir DIR */
    long status_runs;         /* status --runs: runs shown (0: all) */
    int status_open;          /* status --open: only what is still open */
    int dry_run;              /* import --dry-run: roll the run back */
    int summary_table;        /* import: the summary table on stdout */
    const char *json_summary; /* --json-summary FILE ("-": stdout) */
    long batch_files;         /* --batch N: files per transaction; 0:
                               * the default */
    long run;                 /* rejections, extract --run N; -1: not
                               * given */
    int all_runs;             /* rejections --all */
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
int cmd_export(struct cli *c);
int cmd_rejections(struct cli *c);
int cmd_extract(struct cli *c);

/* connect.c: connect as --db or libpq's environment say, with the
 * time-outs of c; NULL after printing why, with *rc the exit code:
 * EXIT_USAGE when the settings are at fault (an unknown service,
 * authentication, a role or database that does not exist:
 * db_connect_classify()), EXIT_DB when the server is (down, busy: trying
 * again may help), EXIT_INTERNAL when memory ran out; else *rc is EXIT_OK.
 * The connection is watched (cli_watch()) until cli_disconnect(). */
PGconn *cli_connect(const struct cli *c, int *rc);
void cli_disconnect(PGconn *conn);
/* What a command needs of the database (cli_check_schema()). */
enum cli_need {
    CLI_NEED_READ,      /* the views: a role in is248_reader */
    CLI_NEED_IMPORT,    /* the merge: a role in is248_loader */
    CLI_NEED_OPERATOR   /* what was set aside, row by row: the schema's
                         * owner (SELECT on is248.rejection) */
};
/* EXIT_OK when the schema is at the version this program needs and the
 * login may do what need says; else prints what to do and returns the
 * exit code (EXIT_USAGE for a schema to migrate or a role that lacks the
 * privilege). */
int cli_check_schema(PGconn *conn, enum cli_need need);
/* access.c: may the login use the schema (schema_ready 0: before its
 * version is read) or do what need says (1: the schema is at our
 * version)?  EXIT_OK, or after a message naming the role it lacks
 * EXIT_USAGE (EXIT_DB when the server could not be asked). */
int cli_check_access(PGconn *conn, enum cli_need need, int schema_ready);
/* Where an error about a login's roles sends the operator. */
#define ROLES_DOC "(docs/operator-guide.md, \"The database and its roles\")"
/* access.c: may the login migrate (own the schema, or create it)?
 * EXIT_OK, or EXIT_USAGE after a message naming the owner. */
int cli_check_migrate(PGconn *conn);
/* Migrate and say what was done; returns an exit code: EXIT_USAGE, with
 * what to grant, when the server refused the migration for want of a
 * privilege (the set-up's to fix), EXIT_DB for any other failure. */
int cli_migrate(PGconn *conn);
/* Import the paths into conn (the lock, the run, the pipeline); returns an
 * exit code.  Used by import and demo. */
int cli_import(const struct cli *c, PGconn *conn, int npaths,
               char *const *paths);

/* --- the trends, shared with report, export and demo ---------------------- */

/* selection.c: calls fn for every comma-separated part of every item of l
 * (a repeated option's values), with spaces around it trimmed; stops at,
 * and returns, the first nonzero return. */
int cli_list_each(const struct cli_list *l, void *ctx,
                  int (*fn)(void *ctx, const char *item, const char *part,
                            size_t len));

/* selection.c: the current reports selected by --years, --size-class, --county: array
 * literals for the SQL functions and a description, each NULL when not
 * given; owned, freed by trend_selection_free().  A --size-class list
 * with 'Alle' in it selects no reports by size class: it says which rows
 * (and chart lines) to show, 'Alle' the total of every unit selected. */
struct trend_selection {
    char *years, *size_classes, *counties;
    char *shown;        /* the rows to show ('Alle' included); NULL: all */
    char *text;         /* "years 2019-2024; counties Vestland (46)" */
    char *county_names; /* "Vestland, Rogaland", for chart titles */
};
/* Parse the selection of c; EXIT_OK, or after a message EXIT_USAGE (a
 * malformed year, an unknown county name) or EXIT_INTERNAL (out of
 * memory). */
int trend_selection_parse(const struct cli *c, struct trend_selection *sel);
void trend_selection_free(struct trend_selection *sel);
/* The most indicators and questions one command prints. */
#define TREND_MAX 64
/* Appends to list[*n..] an indicator for each question that c->questions
 * names (catalog_find_question(): a key, a version 2 or a version 1 id),
 * each once.  EXIT_OK, or after a message EXIT_USAGE (an unknown question,
 * free text, which has no trend, more than TREND_MAX in all) or
 * EXIT_INTERNAL (out of memory). */
int trend_questions(const struct cli *c, const struct indicator **list,
                    int *n);
/* cmd_trends.c: the rows of the indicator for sel, its catalogue columns
 * in order (the
 * caller PQclear()s them); NULL after a message with *rc set: EXIT_USAGE
 * for a size class or county the database does not know, EXIT_DB
 * otherwise. */
PGresult *trend_query(PGconn *conn, const struct indicator *ind,
                      const struct trend_selection *sel, int *rc);
/* The rows of res as an rtable of the indicator's columns, labelled in
 * lang (report_only: the size class and the report's columns only); its
 * cells point into res.  0, or -1 out of memory. */
int trend_rtable(struct rtable *t, const struct indicator *ind,
                 const PGresult *res, enum lang lang, int report_only);

/* How a chart of an indicator is drawn. */
struct trend_chart_opts {
    int last_year;            /* the years up to it (0: all) */
    int highlight_year;       /* marked by a band (0: none) */
    const char *selection;    /* named in the note; NULL: none */
    const char *title_suffix; /* after the title (counties); NULL: none */
    const char *lines;        /* array literal of the size classes drawn
                               * ('Alle' included); NULL: all */
    enum lang lang;
    int weight_population;    /* pct_population instead of the units' */
    int inline_svg;           /* no XML declaration (for HTML) */
};
/* The footnote of an indicator's rows (res: every size class and Alle of
 * each year, in order) when 'Alle' counts units without a size class, which
 * no size class does: "... 2019: 2, 2024: 1." (malloc'd); NULL when there
 * are none, or memory runs out. */
char *trend_unclassed_note(const PGresult *res, const struct indicator *ind,
                           enum lang lang);
/* trendchart.c: draw the indicator from its rows res as an SVG line
 * chart on out, a
 * line per size class and one for 'Alle', each point with its n (the
 * indicator's n_column) on hover, an open ring below 20 units.  Returns 0,
 * 1 when there is no figure to draw (nothing written), -1 when writing
 * failed or memory ran out. */
int trend_chart(FILE *out, const PGresult *res, const struct indicator *ind,
                const struct trend_chart_opts *o);

/* --lang of c, or the environment's language (catalog.h); EXIT_OK or
 * EXIT_USAGE after a message. */
int cli_lang(const struct cli *c, enum lang *out);

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
