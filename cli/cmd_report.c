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

static void print_section(const struct indicator *ind, int year,
                          const PGresult *res, const char *chart_path,
                          int charted, enum lang lang)
{
    int rows = PQntuples(res), cs = PQfnumber(res, "size_class");
    int answered = total_of(res, "units_answered");

    printf("\n## %s\n\n> *%s*\n\n", ind->title[lang], ind->question);
    if (answered == 0) {
        printf(L(lang, "No unit answered this question for %d",
                 "Ingen enhet svarte på dette spørsmålet for %d"), year);
        if (year < ind->first_year)
            printf(L(lang, " (the form asks it from %d)",
                     " (skjemaet spør om det fra %d)"), ind->first_year);
        printf(".\n");
    } else {
        printf("| %s |", L(lang, "Size class", "Størrelsesgruppe"));
        for (int k = 0; k < ind->ncolumns; k++)
            if (ind->columns[k].report)
                printf(" %s |", ind->columns[k].label[lang]);
        printf("\n|:--|");
        for (int k = 0; k < ind->ncolumns; k++)
            if (ind->columns[k].report)
                printf("--:|");
        printf("\n");
        for (int r = 0; r < rows; r++) {
            const char *sc = PQgetvalue(res, r, cs);
            int total = strcmp(sc, "Alle") == 0;
            printf("| %s", total ? "**" : "");
            md_cell(sc);
            printf("%s |", total ? "**" : "");
            for (int k = 0; k < ind->ncolumns; k++) {
                if (!ind->columns[k].report)
                    continue;
                int f = PQfnumber(res, ind->columns[k].name);
                if (f < 0 || PQgetisnull(res, r, f))
                    printf(" \xE2\x80\x93 |");
                else
                    printf(" %s |", PQgetvalue(res, r, f));
            }
            printf("\n");
        }
        printf("\n%s\n", ind->note[lang]);
    }
    if (chart_path && charted) {
        printf(L(lang, "\n![%s, by size class, up to %d](",
                 "\n![%s, etter størrelsesgruppe, til og med %d]("),
               ind->chart_title[lang], year);
        md_destination(chart_path);
        printf(")\n");
    } else if (chart_path)
        printf(L(lang, "\nNo chart: no figures up to %d.\n",
                 "\nIngen figur: ingen tall til og med %d.\n"), year);
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

static int report(PGconn *conn, int year, const char *dir, enum lang lang,
                  struct outfile charts[CATALOG_MAX_INDICATORS],
                  char *paths[CATALOG_MAX_INDICATORS])
{
    int rc = cli_check_schema(conn);
    if (rc != EXIT_OK)
        return rc;
    PGresult *res[CATALOG_MAX_INDICATORS] = { NULL };
    PGresult *trend[CATALOG_MAX_INDICATORS] = { NULL };
    PGresult *cov = NULL;
    int charted[CATALOG_MAX_INDICATORS] = { 0 };
    char years[16];
    snprintf(years, sizeof years, "{%d}", year);
    struct trend_selection sel = { .years = years };
    struct trend_selection all = { 0 };
    int nind;
    const struct indicator *all_ind = catalog_indicators(&nind);
    if (!all_ind)
        return EXIT_INTERNAL;

    for (int i = 0; i < nind; i++)
        if (!(res[i] = trend_query(conn, &all_ind[i], &sel, &rc)))
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
        for (int i = 0; i < nind; i++) {
            if (!(trend[i] = trend_query(conn, &all_ind[i], &all, &rc)))
                goto out;
            struct trend_chart_opts o = { .last_year = year,
                                          .highlight_year = year,
                                          .lang = lang };
            int d = trend_chart(charts[i].f, trend[i], &all_ind[i], &o);
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
    for (int i = 0; i < nind; i++)
        print_section(&all_ind[i], year, res[i], dir ? paths[i] : NULL,
                      charted[i], lang);
    if (!dir)
        printf("\n*Charts of these figures over the years:* `is248 report "
               "%d --chart-dir DIR` *writes them and links them here.*\n",
               year);
    rc = EXIT_OK;
out:
    for (int i = 0; i < nind; i++) {
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
    enum lang lang;
    int rc = cli_lang(c, &lang);
    if (rc != EXIT_OK)
        return rc;
    int nind;
    const struct indicator *ind = catalog_indicators(&nind);
    if (!ind)
        return EXIT_INTERNAL;
    struct outfile charts[CATALOG_MAX_INDICATORS];
    char *paths[CATALOG_MAX_INDICATORS] = { NULL };
    for (int i = 0; i < CATALOG_MAX_INDICATORS; i++)
        charts[i] = (struct outfile)OUTFILE_INIT;

    /* the chart files first: a place that cannot be written is found
     * before any work */
    const char *dir = c->chart_dir;
    if (dir) {
        if ((rc = chart_dir_ready(dir)) != EXIT_OK)
            return rc;
        size_t len = strlen(dir);
        while (len > 1 && dir[len - 1] == '/')
            len--;
        for (int i = 0; i < nind && rc == EXIT_OK; i++) {
            size_t size = len + strlen(ind[i].name) + 16;
            if (!(paths[i] = malloc(size))) {
                msg_error("out of memory");
                rc = EXIT_INTERNAL;
                break;
            }
            if (len == 1 && dir[0] == '.')
                snprintf(paths[i], size, "%s-%d.svg", ind[i].name,
                         year);
            else
                snprintf(paths[i], size, "%.*s%s%s-%d.svg", (int)len, dir,
                         dir[len - 1] == '/' ? "" : "/",
                         ind[i].name, year);
            rc = outfile_open(&charts[i], paths[i], "the chart");
        }
    }
    if (rc == EXIT_OK) {
        PGconn *conn = cli_connect(c);
        rc = conn ? report(conn, year, dir, lang, charts, paths) : EXIT_DB;
        cli_disconnect(conn);
    }
    for (int i = 0; i < CATALOG_MAX_INDICATORS; i++) {
        outfile_discard(&charts[i]);
        free(paths[i]);
    }
    return rc;
}
