/*
 * main.c - is248's entry point: option parsing and the table of
 * subcommands.  Everything else lives in the stages (ingest/, transform/,
 * load/) and in one cmd_*.c file per subcommand.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "cli.h"
#include "credentials.h"
#include "ingest/printable.h"
#include "msg.h"
#include "options.h"
#include "outfile.h"
#include "suggest.h"


/* The exit codes a command uses, as a set of bits (1 << code). */
struct command {
    const char *name;
    const char *summary;    /* a line in the general help's list */
    int (*run)(struct cli *c);
    unsigned opts;          /* which enum opt_flag options apply */
    int min_args, max_args; /* operands; -1: any number */
    const char *usage;
    const char *help;
    const int *exits;       /* the exit codes it uses, ending with -1 */
    const char *exit0;      /* what 0 and 1 mean for it; NULL: what they */
    const char *exit1;      /* mean in exit_words[] */
};

static int cmd_help(struct cli *c);
static int cmd_version(struct cli *c);

/*
 * The exit codes, in words that README.md, docs/is248.1 and
 * docs/operator-guide.md repeat exactly (tests/integration/t_exit_codes.sh
 * and t_man.sh compare them).  Each means one thing.
 */
static const char *const exit_words[] = {
    "all loaded (already loaded counts as loaded)",
    "something new was set aside",
    "usage or configuration error",
    "database unavailable or failed: try again later",
    "another import holds the lock",
    "interrupted by SIGINT or SIGTERM",
    "internal error",
};

static const struct command commands[] = {
    { "migrate", "create or upgrade the database schema",
      cmd_migrate, OPT_DB | OPT_TIMEOUTS, 0, 0, "migrate [--db CONNINFO]",
      "Create or upgrade the schema is248 in the database and load the\n"
      "reference data (municipality codes 2015-2026).  Running it again\n"
      "changes nothing.\n",
      (const int[]){ 0, 2, 3, 6, -1 },
      "the schema is at the version of this is248", NULL },
    { "import", "load deliveries (archives, directories, XML files)",
      cmd_import,
      OPT_DB | OPT_LIMITS | OPT_WAIT | OPT_TIMEOUTS | OPT_SUMMARY | OPT_BATCH |
          OPT_DRY_RUN,
      1, -1,
      "import [--db CONNINFO] [--wait[=TIME]] [--json-summary FILE] [--dry-run]\n"
      "                    [LIMITS] [TIMEOUTS] PATH...",
      "Load every report found in PATH (an archive: zip, tar, tar.gz, tar.xz,\n"
      "tar.bz2; a directory; or an XML file) into the database, many files\n"
      "per transaction (--batch); a file is never half-loaded.  What is set\n"
      "aside is printed on stderr\n"
      "and recorded in is248.rejection.  One line per file says what became of\n"
      "it (with --quiet: only files with something set aside).  On a terminal\n"
      "a progress line is kept up to date on stderr.  At the end a table on\n"
      "stdout sums up each PATH (not with --quiet).\n",
      (const int[]){ 0, 1, 2, 3, 4, 5, 6, -1 }, NULL, NULL },
    { "validate", "check deliveries without a database",
      cmd_validate, OPT_LIMITS, 1, -1,
      "validate [LIMITS] PATH...",
      "Read and check PATH as import would, without a database.  Prints every\n"
      "problem; exits 1 when anything would be set aside.\n",
      (const int[]){ 0, 1, 2, 5, 6, -1 }, "nothing would be set aside",
      "something would be set aside" },
    { "trends", "print the trends by year and size class (table, CSV, JSON, xlsx), or draw one as an SVG chart",
      cmd_trends,
      OPT_DB | OPT_TIMEOUTS | OPT_SELECT | OPT_SIZE_CLASS | OPT_OUTPUT |
          OPT_QUESTION | OPT_FORMAT | OPT_ANALYST | OPT_OUTFILE, 0, 0,
      "trends [--db CONNINFO] [SELECTION] [OUTPUT]",
      "Print each indicator by year and size class, the trend views'\n"
      "figures: nav_collab (collaboration with Nav established), nav_rating\n"
      "(how it is rated), ips_se_mental_health and ips_se_substance (IPS or\n"
      "SE in use).  With a selection the figures are computed from the\n"
      "current reports selected, the total line 'Alle' too.  --chart draws\n"
      "one indicator (default nav_collab) over the years as an SVG line\n"
      "chart, a line per size class; the figures are then printed only with\n"
      "--format or --output.  SELECTION is --years, --size-class and\n"
      "--county; OUTPUT is --format, --indicator, --question and --chart.\n"
      "--question KEY follows any question of the form's catalogue\n"
      "(is248.question) instead: the units giving each answer and the\n"
      "share, or for a number the sum, quartiles and per 10 000 inhabitants.\n"
      "\n"
      "  is248 trends --years 2019-2024 --county 46 --format csv\n"
      "  is248 trends --chart collab.svg\n"
      "  is248 trends --format xlsx --output trends.xlsx --lang nb\n"
      "  is248 trends --indicator nav_rating --size-class 50000+,'Oslo bydel'\n"
      "  is248 trends --question man_years --chart man-years.svg\n",
      (const int[]){ 0, 1, 2, 3, 6, -1 }, "done", "--chart: no figure to draw" },
    { "report", "one year's figures as a Markdown or HTML report",
      cmd_report,
      OPT_DB | OPT_TIMEOUTS | OPT_CHART_DIR | OPT_FORMAT | OPT_SIZE_CLASS |
          OPT_QUESTION | OPT_ANALYST | OPT_OUTFILE, 1, 1,
      "report [--db CONNINFO] [--format md|html] [--output FILE] [--chart-dir DIR] YEAR",
      "Print YEAR's figures as a short report: for each indicator the\n"
      "answers by size class, with n, the units behind every figure.\n"
      "Markdown (default): with --chart-dir, write a chart per indicator of\n"
      "the years up to YEAR into DIR (made when missing) and link them,\n"
      "relative to the report's file.  HTML (--format html): one file with\n"
      "its charts inline, for a browser or to print.  --size-class limits\n"
      "the lines of the charts.  --question KEY adds a section for any\n"
      "question of the form's catalogue after the indicators.  Exits 1 when\n"
      "the database has no reports for YEAR.\n"
      "\n"
      "  is248 report 2024 --chart-dir charts --output report-2024.md\n"
      "  is248 report 2024 --format html --lang nb --output rapport-2024.html\n",
      (const int[]){ 0, 1, 2, 3, 6, -1 }, "done", "no reports for YEAR" },
    { "export", "the current report of every unit and year (CSV, JSON, xlsx)",
      cmd_export,
      OPT_DB | OPT_TIMEOUTS | OPT_SELECT | OPT_SIZE_CLASS | OPT_FORMAT |
          OPT_ANALYST | OPT_OUTFILE, 0, 0,
      "export [--db CONNINFO] [SELECTION] [--format csv|xlsx|json] [--output FILE]",
      "Write the current report of every unit and year selected, one row\n"
      "each: every normalized answer, the population and size class, the\n"
      "county and its name that year, when it was submitted and the file it\n"
      "came from.  CSV (default; --csv-dialect excel-nb for Norwegian Excel),\n"
      "JSON, or an xlsx workbook (--output needed) with an about sheet.\n"
      "\n"
      "  is248 export --years 2019-2024 --format xlsx --output reports.xlsx\n",
      (const int[]){ 0, 2, 3, 6, -1 }, "done", NULL },
    { "demo", "load the shipped fixtures into a throwaway PostgreSQL and print the trends",
      cmd_demo,
      OPT_DB | OPT_OUTPUT | OPT_FORMAT | OPT_ANALYST | OPT_OUTFILE, 0, 0,
      "demo [--db CONNINFO] [OUTPUT]",
      "Start a throwaway PostgreSQL in a temporary directory (as the user\n"
      "'postgres' when run as root), migrate it, import the fixtures shipped\n"
      "with is248, print the trends, and remove it again.  With --db, use that\n"
      "database instead.  OUTPUT is --format, --indicator and --chart, as\n"
      "for trends.\n"
      "\n"
      "  is248 demo --chart demo.svg\n",
      (const int[]){ 0, 1, 2, 3, 4, 5, 6, -1 }, "done",
      "something was set aside, or --chart: no figure to draw" },
    { "status", "show recent imports, coverage and what was set aside",
      cmd_status, OPT_DB | OPT_TIMEOUTS | OPT_RUNS | OPT_OPEN, 0, 0,
      "status [--db CONNINFO] [--runs N] [--open]",
      "Print the last N import runs (default 10; 0: all), how many units\n"
      "reported each year against how many were expected, and what those\n"
      "runs set aside and warned about, grouped by reason with a count and\n"
      "an example.  With --open: only what is still set aside, one line\n"
      "each, of every run.  Reads only views that is248_reader may read.\n",
      (const int[]){ 0, 2, 3, 6, -1 }, "done", NULL },
    { "rejections", "list what an import set aside (table or CSV)",
      cmd_rejections,
      OPT_DB | OPT_TIMEOUTS | OPT_RUN | OPT_ALL | OPT_FORMAT | OPT_OUTFILE,
      0, 0,
      "rejections [--db CONNINFO] [--run N | --all] [--format table|csv]\n"
      "                    [--output FILE]",
      "List what an import run set aside, to send back to the data provider:\n"
      "every file, report and answer, with its source, the entry inside the\n"
      "archive, the file's SHA-256, the report's position, year and unit, the\n"
      "question, the level and the reason; by file, then report, then as\n"
      "recorded.  Without --run: the last run that set anything aside (stderr\n"
      "says which).  Reads is248.rejection: run it as the schema's owner.\n"
      "\n"
      "  is248 rejections --format csv --output set-aside.csv\n",
      (const int[]){ 0, 2, 3, 6, -1 }, "done", NULL },
    { "extract", "copy the files an import set aside out of their deliveries",
      cmd_extract,
      OPT_DB | OPT_TIMEOUTS | OPT_LIMITS | OPT_RUN | OPT_FORCE, 1, -1,
      "extract --run N [--db CONNINFO] [--force] [LIMITS] DIR [PATH...]",
      "Copy the files that run N set aside (whole, or for a report or an\n"
      "answer in them) out of the deliveries they came in, into DIR, with\n"
      "MANIFEST.csv: every rejection of the run and the file it is in.  The\n"
      "deliveries are read where the run found them, or at the PATHs given\n"
      "(when they have moved); files are found by their SHA-256, named after\n"
      "their entry, made safe.  DIR is made (mode 700) when missing.  Exits 1\n"
      "when a file set aside is not in DIR.\n"
      "\n"
      "  is248 extract --run 7 to-provider/\n",
      (const int[]){ 0, 1, 2, 3, 5, 6, -1 }, "every file set aside is in DIR",
      "a file set aside is not in DIR" },
    { "help", "show this help, or a command's (\"is248 help import\")",
      cmd_help, 0, 0, 1, "help [COMMAND]",
      "Show the help of is248, or of COMMAND (as \"is248 COMMAND --help\").\n",
      (const int[]){ 0, 2, 6, -1 }, "done", NULL },
    { "version", "show the version",
      cmd_version, 0, 0, 0, "version",
      "Show the version (as \"is248 --version\").\n",
      (const int[]){ 0, 6, -1 }, "done", NULL },
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

static const char general_help[] =
    "is248 loads the yearly IS-24/8 municipal returns on mental health and\n"
    "substance abuse work into PostgreSQL, for trends in SQL.\n"
    "\n"
    "Usage: is248 COMMAND [OPTION]... [PATH]...\n";

/* After the lists of commands and options. */
static const char general_help_notes[] =
    "\n"
    "TIME is a number of seconds, or a number with ms, s, min or h.\n"
    "Passwords come from ~/.pgpass (PGPASSFILE) or a service file\n"
    "(PGSERVICE), never from --db or PGPASSWORD.\n";

/* After the exit codes of the general help. */
static const char general_help_end[] =
    "validate, trends, report and demo say in their help what 1 means for\n"
    "them; the other commands exit 0 when done.\n";


volatile sig_atomic_t cli_stop_signal;
static PGcancel *volatile watched;

static void on_signal(int sig)
{
    int saved = errno;
    if (cli_stop_signal) {
        /* a second signal ends us at once, as the signal would, leaving
         * no temporary file behind; raise() is held until we return */
        outfile_remove_all();
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = SIG_DFL;
        sigemptyset(&sa.sa_mask);
        sigaction(sig, &sa, NULL);
        raise(sig);
        errno = saved;
        return;
    }
    cli_stop_signal = sig;
    /* PQcancel() is safe in a signal handler (libpq's documentation) */
    PGcancel *cancel = watched;
    if (cancel) {
        char buf[256];
        PQcancel(cancel, buf, sizeof buf);
    }
    errno = saved;
}

void cli_catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGINT);
    sigaddset(&sa.sa_mask, SIGTERM);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

void cli_watch(PGconn *conn)
{
    /* block the signals while the pointer changes, so the handler never
     * sees a freed cancel object */
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigprocmask(SIG_BLOCK, &block, &old);
    PGcancel *prev = watched;
    watched = conn ? PQgetCancel(conn) : NULL;
    sigprocmask(SIG_SETMASK, &old, NULL);
    if (prev)
        PQfreeCancel(prev);
}

static char command_line[1024];

const char *cli_command_line(void)
{
    return command_line;
}

/* The words escaped (printable.h): a file name that is not UTF-8, or holds
 * control characters, must not reach the database's text (it refuses
 * invalid UTF-8) nor a terminal raw; cut between characters when long. */
static void remember_command_line(int argc, char **argv)
{
    size_t used = 0;
    for (int i = 0; i < argc && used + 2 < sizeof command_line; i++) {
        if (i)
            command_line[used++] = ' ';
        printable_copy(command_line + used, sizeof command_line - used,
                       argv[i], strlen(argv[i]), 0);
        used += strlen(command_line + used);
    }
    command_line[used] = '\0';
}

/* A byte count: digits with an optional K, M, G or T (powers of 1024). */
static int parse_size(const char *s, uint64_t *out)
{
    if (*s < '0' || *s > '9')
        return -1;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0)
        return -1;
    int shift = 0;
    switch (*end) {
    case '\0': break;
    case 'K': case 'k': shift = 10; end++; break;
    case 'M': case 'm': shift = 20; end++; break;
    case 'G': case 'g': shift = 30; end++; break;
    case 'T': case 't': shift = 40; end++; break;
    default: return -1;
    }
    if (*end != '\0' || (shift && v > (UINT64_MAX >> shift)))
        return -1;
    *out = (uint64_t)v << shift;
    return 0;
}

/* A duration in milliseconds: digits with an optional ms, s, min or h
 * (seconds without one), as PostgreSQL writes them. */
static int parse_duration(const char *s, long *out_ms)
{
    if (*s < '0' || *s > '9')
        return -1;
    errno = 0;
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (errno != 0)
        return -1;
    static const struct { const char *unit; unsigned long ms; } units[] = {
        { "", 1000 }, { "ms", 1 }, { "s", 1000 }, { "min", 60000 },
        { "h", 3600000 }
    };
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strcmp(end, units[i].unit) == 0) {
            /* lock_timeout and statement_timeout are int4 milliseconds */
            if (v > INT32_MAX / units[i].ms)
                return -1;
            *out_ms = (long)(v * units[i].ms);
            return 0;
        }
    return -1;
}

/* A count: digits only, at most INT32_MAX. */
static int parse_count(const char *s, long *out)
{
    if (*s < '0' || *s > '9')
        return -1;
    errno = 0;
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (errno != 0 || *end != '\0' || v > INT32_MAX)
        return -1;
    *out = (long)v;
    return 0;
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* --db: a conninfo string or URI that libpq can parse, with no password
 * in it; else EXIT_USAGE after a message (libpq's reason; the string
 * itself is not repeated, since it may hold a password). */
static int check_conninfo(const char *conninfo)
{
    char *errmsg = NULL;
    PQconninfoOption *opts = PQconninfoParse(conninfo, &errmsg);
    if (!opts) {
        if (errmsg)
            errmsg[strcspn(errmsg, "\n")] = '\0';
        int rc = usage_error("--db is not a connection string libpq "
                             "accepts: %s", errmsg ? errmsg : "out of memory");
        PQfreemem(errmsg);
        return rc;
    }
    int found = 0;
    for (PQconninfoOption *o = opts; o->keyword; o++)
        if (strcmp(o->keyword, "password") == 0 && o->val && *o->val)
            found = 1;
    PQconninfoFree(opts);
    if (found)
        return usage_error("--db must not hold a password (it would show in "
                           "the process list and the shell's history): use "
                           "~/.pgpass, PGPASSFILE or a service file");
    return EXIT_OK;
}

/* "Exit status:" and the codes cmd uses (all of them when cmd is NULL),
 * in the words of exit_words[]. */
static void print_exit_codes(const struct command *cmd)
{
    printf("\nExit status:\n");
    for (int code = 0; code < (int)(sizeof exit_words / sizeof exit_words[0]);
         code++) {
        const char *words = exit_words[code];
        if (cmd) {
            int uses = 0;
            for (const int *e = cmd->exits; *e >= 0; e++)
                uses |= *e == code;
            if (!uses)
                continue;
            if (code == 0 && cmd->exit0)
                words = cmd->exit0;
            if (code == 1 && cmd->exit1)
                words = cmd->exit1;
        }
        printf("  %d  %s\n", code, words);
    }
}

/* "is248 --help": what is248 is, the commands, the options, the exit
 * codes, each list from its table. */
static void print_general_help(void)
{
    fputs(general_help, stdout);
    printf("\nCommands:\n");
    for (size_t k = 0; k < N_COMMANDS; k++) {
        /* the summary wrapped after a column of 13 */
        const char *p = commands[k].summary;
        int col = printf("  %-10s ", commands[k].name);
        while (*p) {
            size_t word = strcspn(p, " ");
            if (col > 13 && col + 1 + (int)word > 79) {
                printf("\n%13s", "");
                col = 13;
            } else if (col > 13) {
                putchar(' ');
                col++;
            }
            printf("%.*s", (int)word, p);
            col += (int)word;
            p += word;
            while (*p == ' ')
                p++;
        }
        putchar('\n');
    }
    printf("\nOptions:\n");
    cli_print_options(stdout, NULL, 0);
    fputs(general_help_notes, stdout);
    print_exit_codes(NULL);
    fputs(general_help_end, stdout);
}

static void print_command_help(const struct command *cmd)
{
    printf("Usage: is248 %s\n\n%s", cmd->usage, cmd->help);
    printf("\nOptions:\n");
    cli_print_options(stdout, cmd->name, cmd->opts);
    print_exit_codes(cmd);
}

static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char text[1024];
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    msg_error("%s", text);
    fputs("Try \"is248 --help\" for more information.\n", stderr);
    return EXIT_USAGE;
}

/* " (did you mean 'x'?)" or " (did you mean 'x' or 'y'?)" for word among
 * names, each written with prefix; "" when none is close. */
static const char *did_you_mean(const char *word, const char *prefix,
                                const char *const *names, size_t n)
{
    static char text[256];
    const char *best[2];
    size_t found = suggest(word, names, n, best, 2);
    if (found == 0)
        return "";
    if (found == 1)
        snprintf(text, sizeof text, "; did you mean '%s%s'?", prefix,
                 best[0]);
    else
        snprintf(text, sizeof text, "; did you mean '%s%s' or '%s%s'?",
                 prefix, best[0], prefix, best[1]);
    return text;
}

/* The command called name, or NULL. */
static const struct command *find_command(const char *name)
{
    for (size_t k = 0; k < N_COMMANDS; k++)
        if (strcmp(name, commands[k].name) == 0)
            return &commands[k];
    return NULL;
}

static int unknown_command(const char *name)
{
    const char *names[N_COMMANDS];
    for (size_t k = 0; k < N_COMMANDS; k++)
        names[k] = commands[k].name;
    return usage_error("unknown command '%s'%s", name,
                       did_you_mean(name, "", names, N_COMMANDS));
}

/* getopt_long returned '?': the option it could not take.  optopt is
 * the unknown short option's letter (its word, argv[optind - 1], may be
 * another: in "-rf" optind is still on the word before); for a long option
 * it is 0 when the name is unknown or ambiguous, and the option's value
 * when it was given a value it does not take; optind is then past it. */
static int unknown_option(const struct option *longopts, const char *word)
{
    int o = optopt;
    if (o != 0 && o < 256 && !strchr("qvhV", o))
        return usage_error("unknown option '-%c'", o);
    size_t len = strcspn(word, "=");
    if (o != 0)
        return usage_error("option '%.*s' takes no value", (int)len, word);
    const char *names[64], *matched[2] = { NULL, NULL };
    size_t n = 0, matches = 0;
    for (const struct option *l = longopts; l->name && n < 64; l++)
        names[n++] = l->name;
    if (strncmp(word, "--", 2) == 0 && len > 2)
        for (size_t k = 0; k < n; k++)
            if (strncmp(names[k], word + 2, len - 2) == 0 && matches++ < 2)
                matched[matches - 1] = names[k];
    if (matches > 1)
        return usage_error("ambiguous option '%.*s': '--%s', '--%s'%s",
                           (int)len, word, matched[0], matched[1],
                           matches > 2 ? ", ..." : "");
    char name[128];
    snprintf(name, sizeof name, "%.*s", (int)len, word);
    const char *bare = name;
    while (*bare == '-')
        bare++;
    return usage_error("unknown option '%s'%s", name,
                       did_you_mean(bare, "--", names, n));
}

/* "is248" with no command: a short usage on stderr. */
static int no_command(void)
{
    msg_error("no command given");
    fputs("Usage: is248 COMMAND [OPTION]... [PATH]...\n"
          "Commands:", stderr);
    for (size_t k = 0; k < N_COMMANDS; k++)
        fprintf(stderr, " %s", commands[k].name);
    fputs("\nTry \"is248 help\" for more information.\n", stderr);
    return EXIT_USAGE;
}

static int cmd_help(struct cli *c)
{
    if (c->argc == 0) {
        print_general_help();
        return EXIT_OK;
    }
    const struct command *cmd = find_command(c->argv[0]);
    if (!cmd)
        return unknown_command(c->argv[0]);
    print_command_help(cmd);
    return EXIT_OK;
}

static int cmd_version(struct cli *c)
{
    (void)c;
    printf("is248 %s\n", IS248_VERSION);
    return EXIT_OK;
}

/* The value arg of the long option opt into c.  EXIT_OK, or EXIT_USAGE
 * after a message. */
static int option_value(int opt, const char *arg, struct cli *c)
{
    uint64_t *limit = NULL;
    switch (opt) {
    case O_DB:
        if (check_conninfo(arg) != EXIT_OK)
            return EXIT_USAGE;
        c->db = arg;
        break;
    case O_WAIT:
        c->lock_wait_ms = -1;  /* --wait=0: do not wait, as without it */
        if (arg && parse_duration(arg, &c->lock_wait_ms) != 0)
            return usage_error("invalid time '%s' for --wait (seconds, or "
                               "a number with ms, s, min or h)", arg);
        break;
    case O_LOCK_TIMEOUT:
    case O_STATEMENT_TIMEOUT:
        if (parse_duration(arg, opt == O_LOCK_TIMEOUT
                                       ? &c->lock_timeout_ms
                                       : &c->statement_timeout_ms) != 0)
            return usage_error("invalid time '%s' (seconds, or a number "
                               "with ms, s, min or h)", arg);
        break;
    case O_JSON_SUMMARY:
        c->json_summary = arg;
        break;
    case O_BATCH:
        if (parse_count(arg, &c->batch_files) != 0 || c->batch_files < 1)
            return usage_error("invalid number '%s' for --batch (files "
                               "per transaction, at least 1)", arg);
        break;
    case O_OPEN: c->status_open = 1; break;
    case O_DRY_RUN: c->dry_run = 1; break;
    case O_MAX_ENTRY: limit = &c->walk.entry_bytes; break;
    case O_MAX_TOTAL: limit = &c->walk.total_bytes; break;
    case O_MAX_ENTRIES: limit = &c->walk.entries; break;
    case O_RUNS:
        if (parse_count(arg, &c->status_runs) != 0)
            return usage_error("invalid number '%s' for --runs (digits; "
                               "0: all)", arg);
        break;
    case O_YEARS:
    case O_SIZE_CLASS:
    case O_COUNTY:
    case O_INDICATOR:
    case O_QUESTION: {
        struct cli_list *l = opt == O_YEARS ? &c->years
                           : opt == O_SIZE_CLASS ? &c->size_classes
                           : opt == O_COUNTY ? &c->counties
                           : opt == O_QUESTION ? &c->questions
                           : &c->indicators;
        if (l->n == CLI_LIST_MAX)
            return usage_error("an option given more than %d times: use "
                               "a comma list", CLI_LIST_MAX);
        l->item[l->n++] = arg;
        break;
    }
    case O_FORMAT: c->format = arg; break;
    case O_CHART: c->chart = arg; break;
    case O_CHART_DIR: c->chart_dir = arg; break;
    case O_LANG: c->lang = arg; break;
    case O_OUTPUT: c->output = arg; break;
    case O_CSV_DIALECT: c->csv_dialect = arg; break;
    case O_WEIGHT: c->weight = arg; break;
    case O_RUN:
        if (parse_count(arg, &c->run) != 0)
            return usage_error("invalid run '%s' for --run (digits)",
                               arg);
        break;
    case O_ALL: c->all_runs = 1; break;
    case O_FORCE: c->force = 1; break;
    }
    if (limit && parse_size(arg, limit) != 0)
        return usage_error("invalid size '%s' (digits with an optional K, M, "
                           "G or T)", arg);
    return EXIT_OK;
}

/* What the options said beyond struct cli. */
struct parsed {
    int help, version;
    int nops;                   /* argv[1 .. nops): the operands, the
                                 * command first */
    unsigned used;              /* the groups of the options given */
    const char *used_name[OPT_GROUPS]; /* the first option of each */
};

/* Read the options into c and p, gathering the operands at the front of
 * argv.  EXIT_OK, or after a message EXIT_USAGE or EXIT_INTERNAL. */
static int parse_options(int argc, char **argv, struct cli *c,
                         struct parsed *p)
{
    const struct option *longopts = cli_longopts();
    if (!longopts) {
        msg_error("out of memory");
        return EXIT_INTERNAL;
    }
    p->nops = 1;
    /* Options may stand anywhere, also before the command.  The leading
     * '-' has getopt_long hand over each operand in order (as 1), also
     * with POSIXLY_CORRECT set; they are gathered at the front of argv,
     * in slots already read, and the command is the first of them. */
    int opt, longindex;
    opterr = 0;
    while ((longindex = -1,
            opt = getopt_long(argc, argv, "-:qvhV", longopts, &longindex)) != -1) {
        /* the group of the option, for "does not apply" below */
        const struct cli_option *given = longindex >= 0
            ? &cli_options[longindex] : cli_option_of(opt);
        if (given && given->group && !(p->used & given->group)) {
            p->used |= given->group;
            for (unsigned bit = 0; bit < OPT_GROUPS; bit++)
                if (given->group == 1u << bit)
                    p->used_name[bit] = given->name;
        }
        switch (opt) {
        case 1:
            argv[p->nops++] = optarg;
            break;
        case 'q': msg_level = MSG_QUIET; break;
        case 'v': msg_level = MSG_VERBOSE; break;
        case 'h': p->help = 1; break;
        case 'V': p->version = 1; break;
        case ':': /* only long options take values: optind is past it */
            return usage_error("option '%s' needs a value", argv[optind - 1]);
        default: {
            if (!given || given->id < 256)
                return unknown_option(longopts, argv[optind - 1]);
            int rc = option_value(opt, optarg, c);
            if (rc != EXIT_OK)
                return rc;
        }
        }
    }

    /* what follows "--" is operands too */
    while (optind < argc)
        argv[p->nops++] = argv[optind++];
    return EXIT_OK;
}

int main(int argc, char **argv)
{
    remember_command_line(argc, argv);

    struct cli c = {
        .walk = { WALK_DEFAULT_ENTRY_BYTES, WALK_DEFAULT_TOTAL_BYTES,
                  WALK_DEFAULT_ENTRIES },
        .xml = { XMLREP_DEFAULT_VALUE_BYTES, XMLREP_DEFAULT_SNIFF_BYTES },
        .lock_wait_ms = 0,
        .lock_timeout_ms = CLI_DEFAULT_LOCK_TIMEOUT_MS,
        .statement_timeout_ms = CLI_DEFAULT_STATEMENT_TIMEOUT_MS,
        .status_runs = CLI_DEFAULT_STATUS_RUNS,
        .run = -1,
    };

    struct parsed p = { 0 };
    int rc = parse_options(argc, argv, &c, &p);
    if (rc != EXIT_OK)
        return rc;
    if (p.version) {
        printf("is248 %s\n", IS248_VERSION);
        return msg_close_stdout() ? EXIT_INTERNAL : EXIT_OK;
    }
    const struct command *cmd = NULL;
    if (p.nops > 1) {
        cmd = find_command(argv[1]);
        if (!cmd)
            return unknown_command(argv[1]);
    }
    if (!cmd && !p.help)
        return no_command();
    if (p.help && cmd && cmd->run == cmd_help && p.nops > 2) {
        cmd = find_command(argv[2]);    /* is248 help import --help */
        if (!cmd)
            return unknown_command(argv[2]);
    }
    if (p.help) {
        if (cmd)
            print_command_help(cmd);
        else
            print_general_help();
        return msg_close_stdout() ? EXIT_INTERNAL : EXIT_OK;
    }
    if (p.used & ~cmd->opts) {
        unsigned bits = p.used & ~cmd->opts, bit = 0;
        while (!(bits & (1u << bit)))
            bit++;
        msg_error("option '--%s' does not apply to '%s'",
                  p.used_name[bit] ? p.used_name[bit] : "?", cmd->name);
        fprintf(stderr, "Try \"is248 %s --help\" for more information.\n",
                cmd->name);
        return EXIT_USAGE;
    }
    /* a password where others can read it, before anything is done */
    if ((cmd->opts & OPT_DB) && cli_check_credentials(c.db) != EXIT_OK)
        return EXIT_USAGE;
    c.command = cmd->name;
    c.argc = p.nops - 2;
    c.argv = argv + 2;
    if (c.argc < cmd->min_args || (cmd->max_args >= 0 && c.argc > cmd->max_args)) {
        msg_error("%s for '%s'", c.argc < cmd->min_args ? "too few operands"
                                                        : "too many operands",
                  cmd->name);
        fprintf(stderr, "Usage: is248 %s\n"
                        "Try \"is248 %s --help\" for more information.\n",
                cmd->usage, cmd->name);
        return EXIT_USAGE;
    }

    rc = cmd->run(&c);
    if (msg_close_stdout() && rc == EXIT_OK)
        rc = EXIT_INTERNAL;
    return rc;
}
