/*
 * cmd_report.c - "is248 report YEAR": one year's figures as a short
 * Markdown report on stdout, the tables the national report prints: for
 * each indicator the answers by size class with the number of units behind
 * every figure, and, with --chart-dir, a chart per indicator of the years
 * up to YEAR, linked from the report.
 *
 * The figures are the trend functions' (cmd_trends.c) for that one year.
 * A year without current reports is exit 1: nothing to report.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "msg.h"

/* A column of a report table: the value of column, less the value of
 * minus when given (the units that rated: answered less don't know). */
struct md_column {
    const char *header;
    const char *column;
    const char *minus;
};

static const struct md_column collab_columns[] = {
    { "n", "units_answered", NULL },
    { "Yes", "units_yes", NULL },
    { "No", "units_no", NULL },
    { "Don't know", "units_dont_know", NULL },
    { "% yes", "pct_yes", NULL },
    { NULL, NULL, NULL }
};

static const struct md_column rating_columns[] = {
    { "n", "units_answered", NULL },
    { "Very good", "very_good", NULL },
    { "Good", "good", NULL },
    { "Neither", "neither", NULL },
    { "Less good", "less_good", NULL },
    { "Bad", "bad", NULL },
    { "Don't know", "dont_know", NULL },
    { "n rating", "units_answered", "dont_know" },
    { "% very good or good", "pct_good", NULL },
    { "% neither", "pct_neither", NULL },
    { "% less good or bad", "pct_less_good_or_bad", NULL },
    { NULL, NULL, NULL }
};

static const struct md_column ips_columns[] = {
    { "n", "units_answered", NULL },
    { "IPS or SE", "units_yes", NULL },
    { "IPS", "units_ips", NULL },
    { "SE", "units_se", NULL },
    { "% IPS or SE", "pct_yes", NULL },
    { NULL, NULL, NULL }
};

static const char ips_explained[] =
    "n: units that answered; IPS or SE: units with either or both in use; "
    "% of n.  The form asks about IPS and SE separately from 2018; before, "
    "together (IPS and SE: \xE2\x80\x93).";

static const struct {
    const struct md_column *columns;
    const char *explained;
} report_tables[TREND_INDICATORS] = {
    { collab_columns,
      "n: units that answered; % of n." },
    { rating_columns,
      "n: units that answered; the percentages are of the units that rated "
      "the collaboration (n rating: n less don't know)." },
    { ips_columns, ips_explained },
    { ips_columns, ips_explained },
};

/* Text in a table cell: a '|' would end the cell. */
static void md_cell(const char *s)
{
    for (; *s; s++) {
        if (*s == '|' || *s == '\\')
            putchar('\\');
        putchar(*s == '\n' ? ' ' : *s);
    }
}

/* A link destination, in <...> when it holds what would end a plain one. */
static void md_destination(const char *s)
{
    if (!s[strcspn(s, " ()<>\\")]) {
        fputs(s, stdout);
        return;
    }
    putchar('<');
    for (; *s; s++) {
        if (*s == '<' || *s == '>' || *s == '\\')
            putchar('\\');
        putchar(*s);
    }
    putchar('>');
}

/* The value of column in the total row ('Alle') of res; 0 when there is
 * none. */
static int total_of(const PGresult *res, const char *column)
{
    int cs = PQfnumber(res, "size_class"), k = PQfnumber(res, column);
    if (cs < 0 || k < 0)
        return 0;
    for (int r = 0; r < PQntuples(res); r++)
        if (strcmp(PQgetvalue(res, r, cs), "Alle") == 0)
            return atoi(PQgetvalue(res, r, k));
    return 0;
}

/* The database's reason a query failed. */
static const char *why_failed(const PGresult *res)
{
    const char *primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
    return primary ? primary : "no answer";
}

static void print_section(int i, int year, const PGresult *res,
                          const char *chart_path, int charted)
{
    const struct trend_indicator *ind = &trend_indicators[i];
    const struct md_column *cols = report_tables[i].columns;
    int rows = PQntuples(res), cs = PQfnumber(res, "size_class");
    int answered = total_of(res, "units_answered");

    printf("\n## %s\n\n> *%s*\n\n", ind->title, ind->question);
    if (answered == 0) {
        printf("No unit answered this question for %d", year);
        if (year < ind->first_year)
            printf(" (the form asks it from %d)", ind->first_year);
        printf(".\n");
    } else {
        printf("| Size class |");
        for (const struct md_column *c = cols; c->header; c++)
            printf(" %s |", c->header);
        printf("\n|:--|");
        for (const struct md_column *c = cols; c->header; c++)
            printf("--:|");
        printf("\n");
        for (int r = 0; r < rows; r++) {
            const char *sc = PQgetvalue(res, r, cs);
            int total = strcmp(sc, "Alle") == 0;
            printf("| %s", total ? "**" : "");
            md_cell(sc);
            printf("%s |", total ? "**" : "");
            for (const struct md_column *c = cols; c->header; c++) {
                int k = PQfnumber(res, c->column);
                if (k < 0 || PQgetisnull(res, r, k)) {
                    printf(" \xE2\x80\x93 |");
                    continue;
                }
                if (c->minus) {
                    int m = PQfnumber(res, c->minus);
                    printf(" %d |", atoi(PQgetvalue(res, r, k)) -
                                        (m >= 0 ? atoi(PQgetvalue(res, r, m)) : 0));
                } else
                    printf(" %s |", PQgetvalue(res, r, k));
            }
            printf("\n");
        }
        printf("\n%s\n", report_tables[i].explained);
    }
    if (chart_path && charted) {
        printf("\n![%s, by size class, up to %d](", ind->chart_title, year);
        md_destination(chart_path);
        printf(")\n");
    } else if (chart_path)
        printf("\nNo chart: no figures up to %d.\n", year);
}

/* The years with current reports, as "2015-2025" (or "none"), into buf. */
static int years_held(PGconn *conn, char *buf, size_t size)
{
    PGresult *res = PQexec(conn, "SELECT min(year), max(year) "
                                 "FROM is248.report_current");
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        msg_error("cannot read the years reported: %s", why_failed(res));
        PQclear(res);
        return EXIT_DB;
    }
    if (PQgetisnull(res, 0, 0))
        snprintf(buf, size, "none");
    else
        snprintf(buf, size, "%s-%s", PQgetvalue(res, 0, 0),
                 PQgetvalue(res, 0, 1));
    PQclear(res);
    return EXIT_OK;
}

static int report(PGconn *conn, int year, const char *dir,
                  struct outfile charts[TREND_INDICATORS],
                  char *paths[TREND_INDICATORS])
{
    int rc = cli_check_schema(conn, CLI_NEED_READ);
    if (rc != EXIT_OK)
        return rc;
    PGresult *res[TREND_INDICATORS] = { NULL };
    PGresult *trend[TREND_INDICATORS] = { NULL };
    PGresult *cov = NULL;
    int charted[TREND_INDICATORS] = { 0 };
    char years[16];
    snprintf(years, sizeof years, "{%d}", year);
    struct trend_selection sel = { .years = years };
    struct trend_selection all = { NULL, NULL, NULL, NULL };

    for (int i = 0; i < TREND_INDICATORS; i++)
        if (!(res[i] = trend_query(conn, i, &sel, &rc)))
            goto out;
    int reporting = total_of(res[0], "units_reporting");
    if (reporting == 0) {
        char held[64];
        rc = years_held(conn, held, sizeof held);
        if (rc == EXIT_OK) {
            msg_notice("no current reports for %d in the database (years "
                       "with reports: %s): nothing to report", year, held);
            rc = EXIT_PROBLEMS;
        }
        goto out;
    }

    char yparam[16];
    snprintf(yparam, sizeof yparam, "%d", year);
    const char *params[1] = { yparam };
    cov = PQexecParams(conn, "SELECT units_expected, pct_reporting "
                             "FROM is248.coverage WHERE year = $1::int",
                       1, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(cov) != PGRES_TUPLES_OK) {
        msg_error("cannot read is248.coverage: %s", why_failed(cov));
        rc = EXIT_DB;
        goto out;
    }

    if (dir) {
        int written = 0;
        for (int i = 0; i < TREND_INDICATORS; i++) {
            if (!(trend[i] = trend_query(conn, i, &all, &rc)))
                goto out;
            int d = trend_chart(charts[i].f, trend[i], i, year, year, NULL);
            if (d < 0) { /* written to memory (outfile.h) */
                msg_error("out of memory drawing the chart '%s'",
                          charts[i].path);
                rc = EXIT_INTERNAL;
                goto out;
            }
            if (d == 1) {
                outfile_discard(&charts[i]);
                continue;
            }
            if ((rc = outfile_close(&charts[i])) != EXIT_OK)
                goto out;
            charted[i] = 1;
            written++;
        }
        msg_info("%d chart%s written to '%s'", written, written == 1 ? "" : "s",
                 dir);
    }

    printf("# IS-24/8 %d: collaboration with Nav and IPS/SE, by size class\n\n",
           year);
    printf("Municipal returns on mental health and substance abuse work "
           "(IS-24/8), reporting year %d: %d units reported", year, reporting);
    if (PQntuples(cov) == 1)
        printf(" (of %s expected, %s %%)", PQgetvalue(cov, 0, 0),
               PQgetvalue(cov, 0, 1));
    printf(".  Each unit (a municipality, or one of Oslo's city districts) "
           "counts once, by its current report (the latest submission).  "
           "Size classes by population on 1 January %d; Oslo's districts are "
           "a class of their own; **Alle** is every unit.\n", year);
    if (dir)
        printf("\nCharts of the years up to %d, one per indicator, are in "
               "'%s'.\n", year, dir);
    for (int i = 0; i < TREND_INDICATORS; i++)
        print_section(i, year, res[i], dir ? paths[i] : NULL, charted[i]);
    if (!dir)
        printf("\n*Charts of these figures over the years:* `is248 report "
               "%d --chart-dir DIR` *writes them and links them here.*\n",
               year);
    rc = EXIT_OK;
out:
    for (int i = 0; i < TREND_INDICATORS; i++) {
        PQclear(res[i]);
        PQclear(trend[i]);
    }
    PQclear(cov);
    return rc;
}

/* --chart-dir: a directory, made when missing.  DIR itself may not be a
 * symbolic link (as no file is248 writes may be one: a link planted where
 * the charts go would send them elsewhere); the directories on the way to
 * it are the caller's choice.  EXIT_OK, or EXIT_USAGE after a message. */
static int chart_dir_ready(const char *dir)
{
    /* "charts/" would look through a link named charts */
    size_t len = strlen(dir);
    while (len > 1 && dir[len - 1] == '/')
        len--;
    char *d = strndup(dir, len);
    if (!d) {
        msg_error("out of memory");
        return EXIT_INTERNAL;
    }
    int rc = EXIT_OK;
    struct stat st;
    if (lstat(d, &st) == 0) {
        if (!S_ISDIR(st.st_mode)) {
            const char *kind = outfile_refused(d);
            msg_error("refusing to write the charts into '%s': it is %s",
                      dir, kind ? kind : "a regular file");
            rc = EXIT_USAGE;
        }
    } else if (errno != ENOENT || mkdir(d, 0777) != 0) {
        msg_error("cannot make the chart directory '%s': %s", dir,
                  strerror(errno));
        rc = EXIT_USAGE;
    }
    free(d);
    return rc;
}

int cmd_report(struct cli *c)
{
    int year = cli_year(c->argv[0], strlen(c->argv[0]));
    if (year < 0) {
        msg_error("invalid year '%s': four digits, such as 2024", c->argv[0]);
        return EXIT_USAGE;
    }
    struct outfile charts[TREND_INDICATORS];
    char *paths[TREND_INDICATORS] = { NULL };
    for (int i = 0; i < TREND_INDICATORS; i++)
        charts[i] = (struct outfile)OUTFILE_INIT;
    int rc = EXIT_OK;

    /* the chart files first: a place that cannot be written is found
     * before any work */
    const char *dir = c->chart_dir;
    if (dir) {
        if ((rc = chart_dir_ready(dir)) != EXIT_OK)
            return rc;
        size_t len = strlen(dir);
        while (len > 1 && dir[len - 1] == '/')
            len--;
        for (int i = 0; i < TREND_INDICATORS && rc == EXIT_OK; i++) {
            size_t size = len + strlen(trend_indicators[i].name) + 16;
            if (!(paths[i] = malloc(size))) {
                msg_error("out of memory");
                rc = EXIT_INTERNAL;
                break;
            }
            if (len == 1 && dir[0] == '.')
                snprintf(paths[i], size, "%s-%d.svg", trend_indicators[i].name,
                         year);
            else
                snprintf(paths[i], size, "%.*s%s%s-%d.svg", (int)len, dir,
                         dir[len - 1] == '/' ? "" : "/",
                         trend_indicators[i].name, year);
            rc = outfile_open(&charts[i], paths[i], "the chart");
        }
    }
    if (rc == EXIT_OK) {
        PGconn *conn = cli_connect(c, &rc);
        if (conn)
            rc = report(conn, year, dir, charts, paths);
        cli_disconnect(conn);
    }
    for (int i = 0; i < TREND_INDICATORS; i++) {
        outfile_discard(&charts[i]);
        free(paths[i]);
    }
    return rc;
}
