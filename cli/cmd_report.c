/*
 * cmd_report.c - "is248 report YEAR": one year's figures as a short report,
 * the tables the national report prints: for each indicator of the
 * catalogue the answers by size class with the number of units behind
 * every figure (n), the question as on the form, how many units reported
 * of those expected, and the units without a size class by name.
 *
 *   --format md (default)  Markdown; with --chart-dir a chart per indicator
 *                          of the years up to YEAR, as SVG files linked
 *                          relative to the report's file (--output) or to
 *                          the current directory (standard output).
 *   --format html          one self-contained HTML file: inline CSS, the
 *                          charts inline as SVG, nothing fetched; printable.
 *
 * --question KEY adds a section for any question of the form's catalogue
 * after the indicators (its chart file and section id are question-KEY).
 * The words are in --lang; --size-class limits the lines of the charts;
 * --weight population charts pct_population.  The figures are the trend
 * functions' (cmd_trends.c) for that one year.  A year without current
 * reports is exit 1: nothing to report.  Every file goes through
 * outfile.h.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "chart.h"
#include "cli.h"
#include "load/db.h"
#include "msg.h"

enum report_format { REPORT_MD, REPORT_HTML };

struct report {
    int year;
    enum report_format format;
    enum lang lang;
    int weight_population;
    const char *lines;       /* chart lines (array literal); NULL: all */
    const char *dir;         /* --chart-dir, or NULL */
    const char *link_from;   /* the directory links are relative to */
    FILE *out;
    int written;             /* chart files completed */
    const struct indicator *ind[TREND_MAX]; /* the catalogue's, then the
                                             * questions of --question */
    int nind;
    struct outfile charts[TREND_MAX];
    char *paths[TREND_MAX];  /* as opened */
    char *links[TREND_MAX];  /* relative, for the report */
};

/* The name of ind's section and chart: its own, or question-KEY for a
 * question's (which may share its key with an indicator); into buf. */
static const char *section_name(const struct indicator *ind, char buf[96])
{
    snprintf(buf, 96, "%s%s", ind->argument ? "question-" : "", ind->name);
    return buf;
}

/* ------------------------------------------------------------------------ */
/* Markdown                                                                 */

/* Text in a table cell: a '|' would end the cell. */
static void md_cell(FILE *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '|' || *s == '\\')
            fputc('\\', out);
        fputc(*s == '\n' ? ' ' : *s, out);
    }
}

/* A link destination, in <...> when it holds what would end a plain one. */
static void md_destination(FILE *out, const char *s)
{
    if (!s[strcspn(s, " ()<>\\")]) {
        fputs(s, out);
        return;
    }
    fputc('<', out);
    for (; *s; s++) {
        if (*s == '<' || *s == '>' || *s == '\\')
            fputc('\\', out);
        fputc(*s, out);
    }
    fputc('>', out);
}

/* ------------------------------------------------------------------------ */
/* HTML                                                                     */

static void html_text(FILE *out, const char *s)
{
    for (; *s; s++)
        switch (*s) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        default: fputc(*s, out);
        }
}

static const char html_style[] =
    "body{font-family:'DejaVu Sans',Verdana,Arial,Helvetica,sans-serif;"
    "color:#222;max-width:60rem;margin:2rem auto;padding:0 1rem;"
    "line-height:1.45;background:#fff}"
    "h1{font-size:1.6rem;margin-bottom:.3rem}"
    "h2{font-size:1.2rem;margin-top:2.2rem;border-bottom:1px solid #ccc}"
    "blockquote{font-style:italic;color:#555;margin:.5rem 0 1rem 1rem}"
    "table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}"
    "th,td{padding:.25rem .5rem;border-bottom:1px solid #e3e3e3}"
    "th{text-align:right;vertical-align:bottom;border-bottom:2px solid #888}"
    "th:first-child,td:first-child{text-align:left}"
    "td{text-align:right;font-variant-numeric:tabular-nums}"
    "tr.total td{font-weight:bold;border-top:2px solid #888}"
    "p.note,p.source{font-size:.85rem;color:#555}"
    "figure{margin:1rem 0}figure svg{max-width:100%;height:auto}"
    "@page{size:A4;margin:15mm}"
    "@media print{body{margin:0;max-width:none}"
    "section{break-inside:avoid-page}h2{break-after:avoid}"
    "figure{break-inside:avoid}}";

/* ------------------------------------------------------------------------ */
/* The report                                                               */

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

/* "cannot read WHAT: the database's reason" (db_error()). */
static void read_failed(PGconn *conn, const PGresult *res, const char *what)
{
    char err[1024];
    db_error(err, sizeof err, conn, res, NULL);
    msg_error("cannot read %s: %s", what, err);
}

static void section_table(struct report *rp, const struct indicator *ind,
                          const PGresult *res)
{
    FILE *out = rp->out;
    enum lang lang = rp->lang;
    int rows = PQntuples(res), cs = PQfnumber(res, "size_class");
    int html = rp->format == REPORT_HTML;
    if (html) {
        char name[96];
        fprintf(out, "<table class=\"figures\" data-indicator=\"%s\">\n"
                     "<thead><tr><th data-column=\"size_class\">",
                section_name(ind, name));
        html_text(out, L(lang, "Size class", "Størrelsesgruppe"));
        fputs("</th>", out);
    } else
        fprintf(out, "| %s |", L(lang, "Size class", "Størrelsesgruppe"));
    for (int k = 0; k < ind->ncolumns; k++) {
        if (!ind->columns[k].report)
            continue;
        if (html) {
            fprintf(out, "<th data-column=\"%s\">", ind->columns[k].name);
            html_text(out, ind->columns[k].label[lang]);
            fputs("</th>", out);
        } else
            fprintf(out, " %s |", ind->columns[k].label[lang]);
    }
    if (html)
        fputs("</tr></thead>\n<tbody>\n", out);
    else {
        fputs("\n|:--|", out);
        for (int k = 0; k < ind->ncolumns; k++)
            if (ind->columns[k].report)
                fputs("--:|", out);
        fputs("\n", out);
    }
    for (int r = 0; r < rows; r++) {
        const char *sc = PQgetvalue(res, r, cs);
        int total = strcmp(sc, "Alle") == 0;
        if (html) {
            fprintf(out, "<tr%s><td data-column=\"size_class\">",
                    total ? " class=\"total\"" : "");
            html_text(out, sc);
            fputs("</td>", out);
        } else {
            fprintf(out, "| %s", total ? "**" : "");
            md_cell(out, sc);
            fprintf(out, "%s |", total ? "**" : "");
        }
        for (int k = 0; k < ind->ncolumns; k++) {
            const struct indicator_column *col = &ind->columns[k];
            if (!col->report)
                continue;
            int f = PQfnumber(res, col->name);
            const char *v = f < 0 || PQgetisnull(res, r, f)
                                ? NULL : PQgetvalue(res, r, f);
            if (html) {
                fprintf(out, "<td data-column=\"%s\">", col->name);
                if (!v)
                    fputs("\xE2\x80\x93", out);
                else if (col->type == COL_PCT && lang == LANG_NB)
                    for (const char *p = v; *p; p++)
                        fputc(*p == '.' ? ',' : *p, out);
                else
                    html_text(out, v);
                fputs("</td>", out);
            } else
                fprintf(out, " %s |", v ? v : "\xE2\x80\x93");
        }
        fputs(html ? "</tr>\n" : "\n", out);
    }
    if (html) {
        fputs("</tbody>\n</table>\n<p class=\"note\">", out);
        html_text(out, ind->note[lang]);
        fputs("</p>\n", out);
    } else
        fprintf(out, "\n%s\n", ind->note[lang]);
}

static int section(struct report *rp, int i, const PGresult *res,
                   const PGresult *trend)
{
    const struct indicator *ind = rp->ind[i];
    char name[96];
    FILE *out = rp->out;
    enum lang lang = rp->lang;
    int html = rp->format == REPORT_HTML;
    int year = rp->year;

    if (html) {
        fprintf(out, "\n<section id=\"%s\">\n<h2>", section_name(ind, name));
        html_text(out, ind->title[lang]);
        fputs("</h2>\n<blockquote>", out);
        html_text(out, ind->question);
        fputs("</blockquote>\n", out);
    } else
        fprintf(out, "\n## %s\n\n> *%s*\n\n", ind->title[lang], ind->question);

    if (total_of(res, "units_answered") == 0) {
        fputs(html ? "<p>" : "", out);
        fprintf(out, L(lang, "No unit answered this question for %d",
                       "Ingen enhet svarte på dette spørsmålet for %d"), year);
        if (year < ind->first_year)
            fprintf(out, L(lang, " (the form asks it from %d)",
                           " (skjemaet spør om det fra %d)"), ind->first_year);
        fputs(html ? ".</p>\n" : ".\n", out);
    } else
        section_table(rp, ind, res);

    /* the chart: inline in HTML, a linked file in Markdown */
    if (html || rp->dir) {
        struct trend_chart_opts o = {
            .last_year = year, .highlight_year = year, .lines = rp->lines,
            .lang = lang,
            /* a number is charted per 10 000 inhabitants */
            .weight_population = rp->weight_population && !ind->number,
            .inline_svg = html
        };
        int d;
        if (html) {
            fputs("<figure>\n", out);
            d = trend_chart(out, trend, ind, &o);
            fputs(d == 0 ? "</figure>\n" : "", out);
            if (d == 1) {
                fputs("<p>", out);
                fprintf(out, L(lang, "No chart: no figures up to %d.",
                               "Ingen figur: ingen tall til og med %d."), year);
                fputs("</p>\n</figure>\n", out);
            }
        } else
            d = trend_chart(rp->charts[i].f, trend, ind, &o);
        if (d < 0) { /* written to memory (outfile.h) */
            msg_error("out of memory drawing the chart of %s", ind->name);
            return EXIT_INTERNAL;
        }
        if (!html && d == 1) {
            outfile_discard(&rp->charts[i]);
            fprintf(out, L(lang, "\nNo chart: no figures up to %d.\n",
                           "\nIngen figur: ingen tall til og med %d.\n"), year);
        } else if (!html) {
            int rc = outfile_close(&rp->charts[i]);
            if (rc != EXIT_OK)
                return rc;
            rp->written++;
            fprintf(out, L(lang, "\n![%s, by size class, up to %d](",
                           "\n![%s, etter størrelsesgruppe, til og med %d]("),
                    ind->chart_title[lang], year);
            md_destination(out, rp->links[i]);
            fputs(")\n", out);
        }
    }
    if (html)
        fputs("</section>\n", out);
    return EXIT_OK;
}

/* The years with current reports, as "2015-2025" (or "none"), into buf. */
static int years_held(PGconn *conn, char *buf, size_t size)
{
    PGresult *res = PQexec(conn, "SELECT min(year), max(year) "
                                 "FROM is248.report_current");
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        read_failed(conn, res, "the years reported");
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

/* The units without a size class, by name. */
static void unclassed_units(struct report *rp, const PGresult *unclassed)
{
    FILE *out = rp->out;
    enum lang lang = rp->lang;
    int html = rp->format == REPORT_HTML;
    int n = PQntuples(unclassed);
    fputs(html ? "<p class=\"unclassed\">" : "\n", out);
    if (n == 0)
        fputs(L(lang, "Every unit has a size class.",
                "Alle enhetene har en størrelsesgruppe."), out);
    else {
        fprintf(out, L(lang, "Without a size class (no population given), counted in "
                             "%sAlle%s only: ",
                       "Uten størrelsesgruppe (innbyggertall mangler), bare talt med i "
                       "%sAlle%s: "),
                html ? "<b>" : "**", html ? "</b>" : "**");
        for (int r = 0; r < n; r++) {
            const char *code = PQgetvalue(unclassed, r, 0);
            const char *name = PQgetvalue(unclassed, r, 1);
            fputs(r ? ", " : "", out);
            if (html) {
                html_text(out, name);
                fprintf(out, " (%s)", code);
            } else {
                md_cell(out, name);
                fprintf(out, " (%s)", code);
            }
        }
        fputs(".", out);
    }
    fputs(html ? "</p>\n" : "\n", out);
}

/* The opening: heading, what was reported of what was expected, the
 * units without a size class by name (unclassed_units()). */
static void opening(struct report *rp, int reporting, const PGresult *cov,
                    const PGresult *unclassed)
{
    FILE *out = rp->out;
    enum lang lang = rp->lang;
    int html = rp->format == REPORT_HTML, year = rp->year;
    const char *title = L(lang, "collaboration with Nav and IPS/SE, by size class",
                          "samarbeid med Nav og IPS/SE, etter størrelsesgruppe");
    if (html) {
        fprintf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
                     "<meta charset=\"utf-8\">\n<title>IS-24/8 %d: ",
                lang_code(lang), year);
        html_text(out, title);
        fprintf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n"
                     "<h1>IS-24/8 %d: ", html_style, year);
        html_text(out, title);
        fputs("</h1>\n<p class=\"coverage\">", out);
    } else
        fprintf(out, "# IS-24/8 %d: %s\n\n", year, title);
    fprintf(out, L(lang, "Municipal returns on mental health and substance abuse work "
                         "(IS-24/8), reporting year %d: %d units reported",
                   "Kommunal rapportering om psykisk helse- og rusarbeid (IS-24/8), "
                   "rapporteringsår %d: %d enheter rapporterte"),
            year, reporting);
    if (PQntuples(cov) == 1) {
        fprintf(out, L(lang, " (of %s expected, ", " (av %s forventet, "),
                PQgetvalue(cov, 0, 0));
        for (const char *p = PQgetvalue(cov, 0, 1); *p; p++)
            fputc(*p == '.' && lang == LANG_NB ? ',' : *p, out);
        fputs(" %)", out);
    }
    fprintf(out, L(lang, ".  Each unit (a municipality, or one of Oslo's city districts) "
                         "counts once, by its current report (the latest submission).  "
                         "Size classes by population on 1 January %d; Oslo's districts are "
                         "a class of their own; %sAlle%s is every unit.",
                   ".  Hver enhet (en kommune, eller en av Oslos bydeler) telles én gang, "
                   "med sin gjeldende rapport (siste innsending).  Størrelsesgrupper etter "
                   "innbyggertall 1. januar %d; Oslos bydeler er en egen gruppe; %sAlle%s er "
                   "alle enhetene."),
            year, html ? "<b>" : "**", html ? "</b>" : "**");
    fputs(html ? "</p>\n" : "\n", out);

    unclassed_units(rp, unclassed);
    if (rp->lines && (html || rp->dir)) {
        fputs(html ? "<p class=\"note\">" : "\n", out);
        fputs(L(lang, "The charts show the size classes ", "Figurene viser størrelsesgruppene "),
              out);
        for (const char *p = rp->lines + 1; *p && *p != '}'; p++)
            if (*p == ',')
                fputs(", ", out);
            else if (*p != '"' && *p != '\\')
                fputc(*p, out);
        fputs(html ? ".</p>\n" : ".\n", out);
    }
    if (rp->weight_population && (html || rp->dir)) {
        fputs(html ? "<p class=\"note\">" : "\n", out);
        fputs(L(lang, "The charts show the share of the population: the population "
                      "of the units behind each figure (as they reported it, 1 January) "
                      "is its denominator (pct_population).",
                "Figurene viser andelen av befolkningen: innbyggertallet i enhetene bak "
                "hvert tall (slik de rapporterte det, 1. januar) er nevneren "
                "(pct_population)."), out);
        fputs(html ? "</p>\n" : "\n", out);
    }
    if (rp->dir && !html)
        fprintf(out, L(lang, "\nCharts of the years up to %d, one per indicator, are in '%s'.\n",
                       "\nFigurer for årene til og med %d, én per indikator, ligger i '%s'.\n"),
                year, rp->dir);
}

static void closing(struct report *rp, const char *made_at, const char *db)
{
    FILE *out = rp->out;
    enum lang lang = rp->lang;
    if (rp->format == REPORT_HTML) {
        fputs("\n<p class=\"source\">", out);
        fprintf(out, L(lang, "Source: IS-24/8 municipal returns loaded by is248 %s "
                             "into the database '",
                       "Kilde: IS-24/8 kommunal rapportering lastet av is248 %s "
                       "inn i databasen '"), IS248_VERSION);
        html_text(out, db);
        fprintf(out, L(lang, "'; made %s (UTC).  Open points in the charts: fewer than "
                             "20 units behind the figure; each point shows its n on "
                             "hover.</p>\n</body>\n</html>\n",
                       "'; laget %s (UTC).  Åpne punkter i figurene: færre enn 20 "
                       "enheter bak tallet; hvert punkt viser sin n når musen holdes "
                       "over.</p>\n</body>\n</html>\n"), made_at);
    } else if (!rp->dir)
        fprintf(out, L(lang, "\n*Charts of these figures over the years:* `is248 report "
                             "%d --chart-dir DIR` *writes them and links them here.*\n",
                       "\n*Figurer av tallene over årene:* `is248 report %d "
                       "--chart-dir DIR` *skriver dem og lenker til dem her.*\n"),
                rp->year);
}

static PGresult *query_year(PGconn *conn, const char *sql, int year,
                            const char *what, int *rc)
{
    char y[16];
    snprintf(y, sizeof y, "%d", year);
    const char *params[1] = { y };
    PGresult *res = PQexecParams(conn, sql, 1, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) == PGRES_TUPLES_OK)
        return res;
    read_failed(conn, res, what);
    PQclear(res);
    *rc = EXIT_DB;
    return NULL;
}

static int report(PGconn *conn, struct report *rp)
{
    int rc = cli_check_schema(conn, CLI_NEED_READ);
    if (rc != EXIT_OK)
        return rc;
    PGresult *res[TREND_MAX] = { NULL };
    PGresult *trend[TREND_MAX] = { NULL };
    PGresult *cov = NULL, *unclassed = NULL, *made = NULL;
    char years[16];
    snprintf(years, sizeof years, "{%d}", rp->year);
    struct trend_selection sel = { .years = years };
    struct trend_selection all = { .shown = (char *)rp->lines };

    for (int i = 0; i < rp->nind; i++)
        if (!(res[i] = trend_query(conn, rp->ind[i], &sel, &rc)))
            goto out;
    int reporting = total_of(res[0], "units_reporting");
    if (reporting == 0) {
        char held[64];
        rc = years_held(conn, held, sizeof held);
        if (rc == EXIT_OK) {
            msg_notice("no current reports for %d in the database (years "
                       "with reports: %s): nothing to report", rp->year, held);
            rc = EXIT_PROBLEMS;
        }
        goto out;
    }
    if (!(cov = query_year(conn, "SELECT units_expected, pct_reporting "
                                 "FROM is248.coverage WHERE year = $1::int",
                           rp->year, "is248.coverage", &rc)) ||
        !(unclassed = query_year(conn, "SELECT unit_code, unit_name "
                                       "FROM is248.report_current "
                                       "WHERE year = $1::int AND size_class IS NULL "
                                       "ORDER BY unit_code",
                                 rp->year, "the units without a size class", &rc)))
        goto out;
    made = PQexec(conn, "SELECT to_char(now() AT TIME ZONE 'UTC', "
                        "'YYYY-MM-DD HH24:MI'), current_database()");
    if (PQresultStatus(made) != PGRES_TUPLES_OK) {
        read_failed(conn, made, "the time");
        rc = EXIT_DB;
        goto out;
    }
    if (rp->format == REPORT_HTML || rp->dir)
        for (int i = 0; i < rp->nind; i++)
            if (!(trend[i] = trend_query(conn, rp->ind[i], &all, &rc)))
                goto out;

    opening(rp, reporting, cov, unclassed);
    for (int i = 0; i < rp->nind; i++)
        if ((rc = section(rp, i, res[i], trend[i])) != EXIT_OK)
            goto out;
    closing(rp, PQgetvalue(made, 0, 0), PQgetvalue(made, 0, 1));
    if (rp->dir)
        msg_info("%d chart%s written to '%s'", rp->written,
                 rp->written == 1 ? "" : "s", rp->dir);
    rc = EXIT_OK;
out:
    for (int i = 0; i < rp->nind; i++) {
        PQclear(res[i]);
        PQclear(trend[i]);
    }
    PQclear(cov);
    PQclear(unclassed);
    PQclear(made);
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

/* The path of file in directory to_dir, relative to the directory
 * from_dir, both existing (resolved with realpath): "charts/x.svg",
 * "../charts/x.svg", "x.svg".  NULL out of memory or when a directory
 * cannot be resolved (errno). */
static char *relative_link(const char *from_dir, const char *to_dir,
                           const char *file)
{
    char from[PATH_MAX], to[PATH_MAX];
    if (!realpath(from_dir, from) || !realpath(to_dir, to))
        return NULL;
    /* the common leading directories */
    size_t common = 0;
    for (size_t i = 0;; i++) {
        int end_f = from[i] == '\0' || from[i] == '/';
        int end_t = to[i] == '\0' || to[i] == '/';
        if (end_f && end_t)
            common = i;
        if (from[i] != to[i] || !from[i])
            break;
    }
    size_t ups = 0;
    for (const char *p = from + common; *p; p++)
        if (*p == '/' && p[1])
            ups++;
    if (strcmp(from, "/") == 0)
        ups = 0;
    const char *down = to + common;
    while (*down == '/')
        down++;
    size_t size = ups * 3 + strlen(down) + strlen(file) + 2;
    char *out = malloc(size);
    if (!out)
        return NULL;
    out[0] = '\0';
    for (size_t i = 0; i < ups; i++)
        strcat(out, "../");
    if (*down) {
        strcat(out, down);
        strcat(out, "/");
    }
    strcat(out, file);
    return out;
}

/* The directory of path (a file), owned; "." for a bare name. */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

/* The options of report: year, language, format, weight, the questions
 * and the chart lines (parsed into *lines, which the caller frees);
 * EXIT_OK, or the exit code after a message. */
static int report_options(const struct cli *c, struct report *rp,
                          struct trend_selection *lines)
{
    rp->year = cli_year(c->argv[0], strlen(c->argv[0]));
    if (rp->year < 0) {
        msg_error("invalid year '%s': four digits, such as 2024", c->argv[0]);
        return EXIT_USAGE;
    }
    int rc = cli_lang(c, &rp->lang);
    if (rc != EXIT_OK)
        return rc;
    if (!c->format || strcmp(c->format, "md") == 0)
        rp->format = REPORT_MD;
    else if (strcmp(c->format, "html") == 0)
        rp->format = REPORT_HTML;
    else {
        msg_error("unknown --format '%s' (formats: md, html)", c->format);
        return EXIT_USAGE;
    }
    if (c->csv_dialect) {
        msg_error("--csv-dialect is for --format csv of trends and export");
        return EXIT_USAGE;
    }
    if (rp->format == REPORT_HTML && c->chart_dir) {
        msg_error("--chart-dir is for Markdown: the HTML report holds its "
                  "charts");
        return EXIT_USAGE;
    }
    if (c->weight && strcmp(c->weight, "population") == 0)
        rp->weight_population = 1;
    else if (c->weight && strcmp(c->weight, "units") != 0) {
        msg_error("unknown --weight '%s' (weights: units, population)",
                  c->weight);
        return EXIT_USAGE;
    }
    const struct indicator *all = catalog_indicators(&rp->nind);
    if (!all)
        return EXIT_INTERNAL;
    for (int i = 0; i < rp->nind; i++)
        rp->ind[i] = &all[i];
    if ((rc = trend_questions(c, rp->ind, &rp->nind)) != EXIT_OK)
        return rc;
    /* --size-class: the lines of the charts, 'Alle' among them or not */
    struct cli only = { .size_classes = c->size_classes };
    if ((rc = trend_selection_parse(&only, lines)) != EXIT_OK)
        return rc;
    rp->lines = lines->shown ? lines->shown : lines->size_classes;
    return EXIT_OK;
}

/* --chart-dir: a chart file opened for each indicator, and its link from
 * link_from (the report's directory); EXIT_OK, or the exit code after a
 * message. */
static int open_charts(struct report *rp, const char *link_from)
{
    const char *dir = rp->dir;
    size_t len = strlen(dir);
    while (len > 1 && dir[len - 1] == '/')
        len--;
    for (int i = 0; i < rp->nind; i++) {
        char name[128], section[96];
        snprintf(name, sizeof name, "%s-%d.svg",
                 section_name(rp->ind[i], section), rp->year);
        size_t size = len + strlen(name) + 2;
        if (!link_from || !(rp->paths[i] = malloc(size))) {
            msg_error("out of memory");
            return EXIT_INTERNAL;
        }
        snprintf(rp->paths[i], size, "%.*s%s%s", (int)len, dir,
                 dir[len - 1] == '/' ? "" : "/", name);
        int rc = outfile_open(&rp->charts[i], rp->paths[i], "the chart");
        if (rc != EXIT_OK)
            return rc;
        if (!(rp->links[i] = relative_link(link_from, dir, name))) {
            msg_error("cannot resolve the chart directory '%s': %s", dir,
                      strerror(errno));
            return EXIT_USAGE;
        }
    }
    return EXIT_OK;
}

int cmd_report(struct cli *c)
{
    struct report rp = { 0 };
    struct trend_selection lines = { 0 };
    for (int i = 0; i < TREND_MAX; i++)
        rp.charts[i] = (struct outfile)OUTFILE_INIT;
    int rc = report_options(c, &rp, &lines);
    if (rc != EXIT_OK) {
        trend_selection_free(&lines);
        return rc;
    }

    struct outfile output = OUTFILE_INIT;
    char *link_from = NULL;
    int to_file = c->output && strcmp(c->output, "-") != 0;
    if (to_file)
        rc = outfile_open(&output, c->output, "the report");
    /* the report is made in memory and written only when every chart is
     * in place: nothing half-written reaches standard output */
    char *text = NULL;
    size_t text_len = 0;
    rp.out = open_memstream(&text, &text_len);
    if (!rp.out && rc == EXIT_OK) {
        msg_error("out of memory");
        rc = EXIT_INTERNAL;
    }

    /* the chart files first: a place that cannot be written is found
     * before any work */
    rp.dir = c->chart_dir;
    if (rc == EXIT_OK && rp.dir) {
        if ((rc = chart_dir_ready(rp.dir)) != EXIT_OK)
            goto out;
        link_from = to_file ? dir_of(c->output) : strdup(".");
        rc = open_charts(&rp, link_from);
    }
    if (rc == EXIT_OK) {
        PGconn *conn = cli_connect(c, &rc);
        if (conn)
            rc = report(conn, &rp);
        cli_disconnect(conn);
    }
    if (rp.out) {
        if (fclose(rp.out) != 0 && rc == EXIT_OK) {
            msg_error("out of memory");
            rc = EXIT_INTERNAL;
        }
        rp.out = NULL;
        if (rc == EXIT_OK)
            fwrite(text, 1, text_len, to_file ? output.f : stdout);
    }
    free(text);
    if (rc == EXIT_OK && to_file) {
        rc = outfile_close(&output);
        if (rc == EXIT_OK)
            msg_info("report written to '%s'", c->output);
    }
out:
    if (rp.out) {
        fclose(rp.out);
        free(text);
    }
    outfile_discard(&output);
    for (int i = 0; i < TREND_MAX; i++) {
        outfile_discard(&rp.charts[i]);
        free(rp.paths[i]);
        free(rp.links[i]);
    }
    free(link_from);
    trend_selection_free(&lines);
    return rc;
}
