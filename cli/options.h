/*
 * options.h - the one list of is248's options (options.c): what getopt_long
 * is given, what "is248 --help" and each "is248 COMMAND --help" print, and
 * which commands each applies to (by its group, enum opt_flag, which a
 * command's entry in main.c lists) all come from it.  docs/is248.1 repeats
 * it for people; t_man.sh checks that both say the same.
 */
#ifndef IS248_CLI_OPTIONS_H
#define IS248_CLI_OPTIONS_H

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>

/* The groups of options a command takes (struct command's opts). */
enum opt_flag {
    OPT_DB = 1 << 0,          /* --db */
    OPT_LIMITS = 1 << 1,      /* --max-entry-bytes, --max-total-bytes,
                               * --max-entries */
    OPT_WAIT = 1 << 2,        /* --wait */
    OPT_TIMEOUTS = 1 << 3,    /* --lock-timeout, --statement-timeout */
    OPT_RUNS = 1 << 4,        /* --runs */
    OPT_SELECT = 1 << 5,      /* --years, --county */
    OPT_OUTPUT = 1 << 6,      /* --indicator, --chart */
    OPT_CHART_DIR = 1 << 7,   /* --chart-dir */
    OPT_SUMMARY = 1 << 8,     /* --json-summary */
    OPT_BATCH = 1 << 9,       /* --batch */
    OPT_OPEN = 1 << 10,       /* --open */
    OPT_DRY_RUN = 1 << 11,    /* --dry-run */
    OPT_ANALYST = 1 << 12,    /* --lang, --csv-dialect, --weight */
    OPT_FORMAT = 1 << 13,     /* --format */
    OPT_SIZE_CLASS = 1 << 14, /* --size-class */
    OPT_RUN = 1 << 15,        /* --run */
    OPT_ALL = 1 << 16,        /* --all */
    OPT_OUTFILE = 1 << 17,    /* --output */
    OPT_FORCE = 1 << 18,      /* --force */
    OPT_QUESTION = 1 << 19    /* --question */
};
#define OPT_GROUPS 20

/* getopt_long's values for the long options (the short ones are their
 * letters: q, v, h, V). */
enum opt_id {
    O_DB = 256, O_WAIT, O_LOCK_TIMEOUT, O_STATEMENT_TIMEOUT, O_JSON_SUMMARY,
    O_BATCH, O_DRY_RUN, O_MAX_ENTRY, O_MAX_TOTAL, O_MAX_ENTRIES, O_RUNS,
    O_OPEN, O_YEARS, O_SIZE_CLASS, O_COUNTY, O_FORMAT, O_CSV_DIALECT, O_LANG,
    O_WEIGHT, O_INDICATOR, O_CHART, O_CHART_DIR, O_OUTPUT, O_RUN, O_ALL,
    O_FORCE, O_QUESTION
};

struct cli_option {
    const char *name;       /* the long name */
    int has_arg;            /* no_argument, required_argument, ... */
    int id;                 /* enum opt_id, or the short option's letter */
    unsigned group;         /* enum opt_flag; 0: every command takes it */
    const char *arg;        /* as shown: " CONNINFO", "[=TIME]"; "" none */
    const char *general;    /* in "is248 --help": which commands, what */
    const char *command;    /* in a command's help; NULL: as general */
};

/* The options, in the order the helps list them, and how many. */
extern const struct cli_option cli_options[];
extern const size_t cli_option_count;

/* The table for getopt_long (static, terminated; built on the first
 * call).  NULL when memory runs out. */
const struct option *cli_longopts(void);

/* The option of getopt_long's value id, or NULL. */
const struct cli_option *cli_option_of(int id);

/* "Options:" of the general help (command NULL), or of command: every
 * option it takes, each in its text for command (an entry of the table of
 * texts for one command, else command's or general), wrapped at 79
 * columns with the texts in a column of their own.  groups: the command's
 * enum opt_flag bits (ignored for the general help). */
void cli_print_options(FILE *out, const char *command, unsigned groups);

#endif
