/*
 * options.c - the one list of is248's options and its help texts (see
 * options.h).  A text is one paragraph; the printer wraps it.
 */
#include "options.h"

#include <stdlib.h>
#include <string.h>

const struct cli_option cli_options[] = {
    { "db", required_argument, O_DB, OPT_DB, " CONNINFO",
      "database to use (\"dbname=x host=y\" or a URI); without it libpq's "
      "environment decides (PGHOST, PGDATABASE, PGSERVICE, PGPASSFILE, ...). "
      "Never put a password here: use ~/.pgpass or a service file",
      "database (default: libpq's environment)" },
    { "wait", optional_argument, O_WAIT, OPT_WAIT, "[=TIME]",
      "import: wait for another import to finish (at most TIME) instead of "
      "stopping at once",
      "wait (at most TIME) for a running import instead of exiting 4 at once" },
    { "lock-timeout", required_argument, O_LOCK_TIMEOUT, OPT_TIMEOUTS, " TIME",
      "give up a statement that waits this long for a table lock (default "
      "1min; 0: wait forever)", NULL },
    { "statement-timeout", required_argument, O_STATEMENT_TIMEOUT,
      OPT_TIMEOUTS, " TIME",
      "give up a statement that runs this long (default 1h; 0: no limit)",
      NULL },
    { "json-summary", required_argument, O_JSON_SUMMARY, OPT_SUMMARY, " FILE",
      "import: also write what was done as JSON to FILE (\"-\": stdout)",
      "write what the import did as JSON to FILE (\"-\": stdout, instead of "
      "the table), for scripts and monitoring" },
    { "batch", required_argument, O_BATCH, OPT_BATCH, " N",
      "import: at most N files per transaction (default 500)",
      "at most N files per transaction (default 500; also at most 4 MiB or "
      "half a second)" },
    { "dry-run", no_argument, O_DRY_RUN, OPT_DRY_RUN, "",
      "import: roll everything back at the end, so as to see what an import "
      "would do",
      "do everything in one transaction and roll it back: what would be new, "
      "loaded before, a correction, a conflict or set aside; nothing is kept "
      "(the exit code is the import's)" },
    { "max-entry-bytes", required_argument, O_MAX_ENTRY, OPT_LIMITS, " N",
      "bytes decompressed from one archive entry (default 512M)", NULL },
    { "max-total-bytes", required_argument, O_MAX_TOTAL, OPT_LIMITS, " N",
      "bytes decompressed from one archive (default 64G)", NULL },
    { "max-entries", required_argument, O_MAX_ENTRIES, OPT_LIMITS, " N",
      "entries read from one archive (default 10000000)", NULL },
    { "runs", required_argument, O_RUNS, OPT_RUNS, " N",
      "status: the last N import runs (default 10; 0: all)",
      "the last N import runs and what they set aside (default 10; 0: all)" },
    { "open", no_argument, O_OPEN, OPT_OPEN, "",
      "status: only what is still set aside",
      "only what is still set aside, of every run: never replaced by a report "
      "of its unit and year, or a file of its name, loaded later" },
    { "years", required_argument, O_YEARS, OPT_SELECT, " LIST",
      "trends, export: these years (2019, 2019-2024, 2015,2019-2021)",
      "years: 2019, 2019-2024, 2015,2019-2021" },
    { "size-class", required_argument, O_SIZE_CLASS, OPT_SIZE_CLASS, " LABEL",
      "trends, report, export: these size classes (<2000, 2000-4999, "
      "5000-9999, 10000-19999, 20000-49999, 50000+, Oslo bydel); repeatable "
      "or a comma list",
      "size classes (is248.size_class): <2000, 2000-4999, 5000-9999, "
      "10000-19999, 20000-49999, 50000+, Oslo bydel; repeatable or a comma "
      "list; with Alle among them: the rows and chart lines shown, Alle every "
      "unit" },
    { "county", required_argument, O_COUNTY, OPT_SELECT, " COUNTY",
      "trends, export: these counties, by code (46) or name (Vestland); one "
      "of today also selects its units' predecessors; repeatable",
      "counties, by code (46, as in report_current.county_code) or name in "
      "any case (Vestland); a county of today also selects the units that "
      "became its own in earlier years; repeatable" },
    { "format", required_argument, O_FORMAT, OPT_FORMAT, " FORMAT",
      "trends, demo: table (default), csv, json, xlsx; report: md (default), "
      "html; export: csv (default), json, xlsx; rejections: table (default), "
      "csv",
      "table (default: aligned, for reading), csv (RFC 4180, a header row, a "
      "column 'indicator'), json (an array of rows per indicator, numbers "
      "typed, null for none) or xlsx (a sheet per indicator; --output "
      "needed)" },
    { "csv-dialect", required_argument, O_CSV_DIALECT, OPT_ANALYST,
      " DIALECT",
      "rfc4180 (default) or excel-nb (BOM, ';', decimal comma: Norwegian "
      "Excel)",
      "rfc4180 (default) or excel-nb: a BOM, ';' and decimal commas, for "
      "Norwegian Excel" },
    { "lang", required_argument, O_LANG, OPT_ANALYST, " LANG",
      "nb or en (default: LC_ALL, LC_MESSAGES, LANG)",
      "nb or en: labels, headers, titles (default from LC_ALL, LC_MESSAGES, "
      "LANG)" },
    { "weight", required_argument, O_WEIGHT, OPT_ANALYST, " WEIGHT",
      "units (default) or population: what the charts' percentages are of",
      "units (default) or population: charts of the share of the population "
      "(pct_population)" },
    { "indicator", required_argument, O_INDICATOR, OPT_OUTPUT, " NAME",
      "trends, demo: nav_collab, nav_rating, ips_se_mental_health, "
      "ips_se_substance",
      "nav_collab, nav_rating, ips_se_mental_health, ips_se_substance; "
      "repeatable or a comma list (default: all; with --chart: nav_collab)" },
    { "question", required_argument, O_QUESTION, OPT_QUESTION, " KEY",
      "trends, report: any question of the form's catalogue (is248.question) "
      "by its key, version 2 id or version 1 id",
      "any question of the form's catalogue (is248.question), by its key "
      "(man_years), version 2 id (ARB_NAV_SAMARBEID) or version 1 id (7.1): "
      "the units giving each answer and the share, or for a number the sum, "
      "quartiles and per 10 000 inhabitants; repeatable or a comma list" },
    { "chart", required_argument, O_CHART, OPT_OUTPUT, " FILE.svg",
      "trends, demo: draw one indicator as an SVG chart",
      "draw the indicator over the years as an SVG line chart, a line per "
      "size class and one for 'Alle' (-: standard output)" },
    { "chart-dir", required_argument, O_CHART_DIR, OPT_CHART_DIR, " DIR",
      "report (md): write a chart per indicator into DIR",
      "write a chart per indicator into DIR and link them from the report" },
    { "output", required_argument, O_OUTPUT, OPT_OUTFILE, " FILE",
      "trends, report, export, rejections: write to FILE (-: stdout)",
      "write to FILE (replaced whole, never through a link) instead of "
      "stdout" },
    { "run", required_argument, O_RUN, OPT_RUN, " N",
      "rejections, extract: import run N",
      "import run N (is248 status lists the runs)" },
    { "all", no_argument, O_ALL, OPT_ALL, "",
      "rejections: every run", "every run" },
    { "force", no_argument, O_FORCE, OPT_FORCE, "",
      "extract: replace files of the same name in DIR",
      "replace files of the same name in DIR (regular files only)" },
    { "quiet", no_argument, 'q', 0, "",
      "print only what went wrong", NULL },
    { "verbose", no_argument, 'v', 0, "",
      "print more: import adds a line per entry skipped and per batch "
      "committed", "print more" },
    { "help", no_argument, 'h', 0, "",
      "show help (\"is248 COMMAND --help\" for one command)",
      "show this help" },
    { "version", no_argument, 'V', 0, "", "show the version", "" },
};
const size_t cli_option_count = sizeof cli_options / sizeof cli_options[0];

/* Where a command says an option otherwise than the others do. */
static const struct {
    const char *command;
    int id;
    const char *text;
} command_texts[] = {
    { "report", O_FORMAT,
      "md (default: Markdown) or html (one file, charts inline, printable)" },
    { "export", O_FORMAT, "csv (default), json or xlsx (--output needed)" },
    { "rejections", O_FORMAT,
      "table (default: aligned, for reading) or csv (RFC 4180, a header row)" },
    { "import", 'v', "also a line per entry skipped and per batch committed" },
    { "demo", 'v', "also a line per fixture file loaded" },
};

const struct cli_option *cli_option_of(int id)
{
    for (size_t i = 0; i < cli_option_count; i++)
        if (cli_options[i].id == id)
            return &cli_options[i];
    return NULL;
}

const struct option *cli_longopts(void)
{
    static struct option *table;
    if (table)
        return table;
    table = calloc(cli_option_count + 1, sizeof *table);
    if (!table)
        return NULL;
    for (size_t i = 0; i < cli_option_count; i++)
        table[i] = (struct option){ cli_options[i].name,
                                    cli_options[i].has_arg, NULL,
                                    cli_options[i].id };
    return table;
}

/* The column where the texts begin, and the width they are wrapped to. */
#define TEXT_COLUMN 25
#define LINE_WIDTH 79

/* text wrapped into the column, the first line after what was written
 * (column at) or, when that is past the column, on a line of its own. */
static void wrapped(FILE *out, int at, const char *text)
{
    if (at > TEXT_COLUMN - 1) {
        fputc('\n', out);
        at = 0;
    }
    fprintf(out, "%*s", TEXT_COLUMN - at, "");
    int col = TEXT_COLUMN;
    const char *p = text;
    while (*p) {
        size_t word = strcspn(p, " ");
        if (col > TEXT_COLUMN && col + 1 + (int)word > LINE_WIDTH) {
            fprintf(out, "\n%*s", TEXT_COLUMN, "");
            col = TEXT_COLUMN;
        } else if (col > TEXT_COLUMN) {
            fputc(' ', out);
            col++;
        }
        fwrite(p, 1, word, out);
        col += (int)word;
        p += word;
        while (*p == ' ')
            p++;
    }
    fputc('\n', out);
}

void cli_print_options(FILE *out, const char *command, unsigned groups)
{
    for (size_t i = 0; i < cli_option_count; i++) {
        const struct cli_option *o = &cli_options[i];
        const char *text = o->general;
        if (command) {
            if (o->group && !(groups & o->group))
                continue;
            if (o->id == 'V')
                continue;       /* is248 --version, not a command's */
            text = o->command ? o->command : o->general;
            for (size_t k = 0; k < sizeof command_texts /
                                       sizeof command_texts[0]; k++)
                if (command_texts[k].id == o->id &&
                    strcmp(command_texts[k].command, command) == 0)
                    text = command_texts[k].text;
        }
        int at;
        if (o->id < 256)
            at = fprintf(out, "  -%c, --%s%s", o->id, o->name, o->arg);
        else
            at = fprintf(out, "  --%s%s", o->name, o->arg);
        wrapped(out, at, text);
    }
}
