/*
 * cmd_trends.c - "is248 trends": each indicator of the catalogue
 * (catalog.h) by year and size class, as aligned tables (the way psql
 * prints them), CSV, JSON or an xlsx workbook, for all current reports or
 * a selection of years, size classes and counties, and as an SVG line
 * chart (chart.c).
 *
 * The figures come from the trend functions of sql/schema/04_trends.sql
 * that the catalogue names, which return exactly the trend views' rows
 * when nothing is selected; --question follows any question of the form's
 * catalogue through trend_question_filtered() or trend_number_filtered()
 * (catalog_question_indicator()).  Report (cmd_report.c), export and demo share
 * the queries from here, the selection from selection.c and the charts from
 * trendchart.c (cli.h); files are written through outfile.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "about.h"
#include "chart.h"
#include "cli.h"
#include "load/db.h"
#include "msg.h"
#include "table.h"
#include "xlsx.h"

enum format { FORMAT_TABLE, FORMAT_CSV, FORMAT_JSON, FORMAT_XLSX };

struct trends {
    struct trend_selection sel;
    enum format format;
    enum csv_dialect dialect;
    enum lang lang;
    int weight_population;
    int print;               /* print the figures */
    const struct indicator *ind[TREND_MAX]; /* printed, in order */
    int nind;
    int chart_indicator;     /* its index in ind; -1: no chart */
    struct outfile chart;    /* --chart, checked and opened first */
    struct outfile output;   /* --output, likewise; NULL path: stdout */
};

int cli_lang(const struct cli *c, enum lang *out)
{
    if (!c->lang) {
        *out = lang_from_environment();
        return EXIT_OK;
    }
    if (lang_parse(c->lang, out) != 0) {
        msg_error("unknown --lang '%s' (languages: nb, en)", c->lang);
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

/* ------------------------------------------------------------------------ */
/* The query                                                                */

/* The statement of the indicator's trend function, its catalogue columns
 * in order (malloc'd); NULL when memory runs out. */
static char *trend_sql(PGconn *conn, const struct indicator *ind)
{
    char *sql = NULL;
    size_t size = 0;
    FILE *q = open_memstream(&sql, &size);
    if (!q)
        return NULL;
    int ok = 1;
    fputs("SELECT ", q);
    for (int k = 0; k < ind->ncolumns && ok; k++) {
        char *id = PQescapeIdentifier(conn, ind->columns[k].name,
                                      strlen(ind->columns[k].name));
        ok = id != NULL;
        if (id)
            fprintf(q, "%st.%s", k ? ", " : "", id);
        PQfreemem(id);
    }
    char *fn = PQescapeIdentifier(conn, ind->function, strlen(ind->function));
    ok = ok && fn;
    if (fn)
        fprintf(q, " FROM is248.%s(%s$1::int[], $2::text[], $3::text[]) "
                   "WITH ORDINALITY AS t "
                   "WHERE ($4::text[] IS NULL OR t.size_class = ANY ($4))%s "
                   "ORDER BY t.ordinality",
                fn, ind->argument ? "$5::text, " : "",
                ind->field ? " AND t.field = $5" : "");
    PQfreemem(fn);
    if (fclose(q) != 0 || !ok) {
        free(sql);
        return NULL;
    }
    return sql;
}

/* The size classes to show (sel->shown), which the trend functions do not
 * check; EXIT_OK, or the exit code after a message. */
static int check_shown(PGconn *conn, const struct trend_selection *sel)
{
    if (!sel->shown)
        return EXIT_OK;
    const char *p1[1] = { sel->shown };
    PGresult *chk = PQexecParams(conn,
        "SELECT u, (SELECT string_agg('''' || s.label || '''', ', ' ORDER BY s.ord) "
        "FROM is248.size_class s) FROM pg_catalog.unnest($1::text[]) u "
        "WHERE u <> 'Alle' AND NOT EXISTS (SELECT 1 FROM is248.size_class s "
        "WHERE s.label = u) LIMIT 1", 1, NULL, p1, NULL, NULL, 0);
    int rc = EXIT_OK;
    if (PQresultStatus(chk) != PGRES_TUPLES_OK) {
        char err[1024];
        db_error(err, sizeof err, conn, chk, NULL);
        msg_error("cannot read the size classes: %s", err);
        rc = EXIT_DB;
    } else if (PQntuples(chk) > 0) {
        msg_error("unknown size class '%s': the size classes are %s; "
                  "'Alle', the total of the units selected, is always shown",
                  PQgetvalue(chk, 0, 0), PQgetvalue(chk, 0, 1));
        rc = EXIT_USAGE;
    }
    PQclear(chk);
    return rc;
}

PGresult *trend_query(PGconn *conn, const struct indicator *ind,
                      const struct trend_selection *sel, int *rc)
{
    char *sql = trend_sql(conn, ind);
    if (!sql) {
        msg_error("out of memory");
        *rc = EXIT_INTERNAL;
        return NULL;
    }
    if ((*rc = check_shown(conn, sel)) != EXIT_OK) {
        free(sql);
        return NULL;
    }
    const char *params[5] = { sel->years, sel->size_classes, sel->counties,
                              sel->shown,
                              ind->field ? ind->field : ind->argument };
    PGresult *res = PQexecParams(conn, sql, params[4] ? 5 : 4, NULL, params,
                                 NULL, NULL, 0);
    free(sql);
    if (PQresultStatus(res) == PGRES_TUPLES_OK)
        return res;
    const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    const char *primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
    const char *hint = PQresultErrorField(res, PG_DIAG_MESSAGE_HINT);
    if (state && strcmp(state, "22023") == 0 && primary) {
        /* an unknown size class or county, named by the database */
        msg_error("%s%s%s", primary, hint ? ": " : "", hint ? hint : "");
        *rc = EXIT_USAGE;
    } else {
        char err[1024];
        db_error(err, sizeof err, conn, res, NULL);
        msg_error("cannot read the trends (%s): %s", ind->name, err);
        *rc = EXIT_DB;
    }
    PQclear(res);
    return NULL;
}

int trend_rtable(struct rtable *t, const struct indicator *ind,
                 const PGresult *res, enum lang lang, int report_only)
{
    struct rtable_column *cols = calloc((size_t)ind->ncolumns, sizeof *cols);
    if (!cols)
        return -1;
    int n = 0;
    for (int k = 0; k < ind->ncolumns; k++) {
        const struct indicator_column *c = &ind->columns[k];
        if (report_only && !c->report && strcmp(c->name, "size_class") != 0)
            continue;
        cols[n++] = (struct rtable_column){ c->name, c->label[lang],
                                            c->about[lang], c->type };
    }
    *t = (struct rtable){ .name = ind->name, .title = ind->title[lang],
                          .cols = cols, .ncols = n, .freeze_cols = 2,
                          .own = cols };
    if (rtable_from_pg(t, res, NULL, NULL) != 0) {
        free(cols);
        t->own = NULL;
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Units without a size class                                               */

char *trend_unclassed_note(const PGresult *res, const struct indicator *ind,
                           enum lang lang)
{
    int cy = PQfnumber(res, "year"), cs = PQfnumber(res, "size_class");
    int cn = PQfnumber(res, "units_reporting");
    if (cn < 0)
        cn = PQfnumber(res, ind->n_column);
    if (cy < 0 || cs < 0 || cn < 0)
        return NULL;
    char *text = NULL;
    size_t size = 0;
    FILE *f = NULL;
    int rows = PQntuples(res);
    for (int i = 0; i < rows;) {
        /* the rows of one year: the size classes, then Alle */
        int year = atoi(PQgetvalue(res, i, cy));
        long classes = 0, alle = -1;
        for (; i < rows && atoi(PQgetvalue(res, i, cy)) == year; i++) {
            /* a question's trend repeats them on each answer's row */
            if (i > 0 && atoi(PQgetvalue(res, i - 1, cy)) == year &&
                strcmp(PQgetvalue(res, i - 1, cs), PQgetvalue(res, i, cs)) == 0)
                continue;
            long n = atol(PQgetvalue(res, i, cn));
            if (strcmp(PQgetvalue(res, i, cs), "Alle") == 0)
                alle = n;
            else
                classes += n;
        }
        if (alle <= classes)
            continue;
        if (!f) {
            f = open_memstream(&text, &size);
            if (!f)
                return NULL;
            fputs(L(lang, "'Alle' also counts the units without a size class "
                          "(no population reported), which no size class "
                          "counts (is248 report names them):",
                    "«Alle» teller også enhetene uten størrelsesgruppe "
                    "(innbyggertall ikke oppgitt), som ingen størrelsesgruppe "
                    "teller (is248 report nevner dem):"), f);
        } else
            fputc(',', f);
        fprintf(f, " %d: %ld", year, alle - classes);
    }
    if (!f)
        return NULL;
    fputc('.', f);
    if (fclose(f) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

/* ------------------------------------------------------------------------ */
/* The command                                                              */

/* The indicators chosen so far. */
struct chosen {
    const struct indicator **list;
    int *n;
};

/* Appends ind to x unless it is there; EXIT_OK or EXIT_USAGE. */
static int choose(struct chosen *x, const struct indicator *ind)
{
    for (int i = 0; i < *x->n; i++)
        if (x->list[i] == ind)
            return EXIT_OK;
    if (*x->n == TREND_MAX) {
        msg_error("too many indicators and questions (at most %d)",
                  TREND_MAX);
        return EXIT_USAGE;
    }
    x->list[(*x->n)++] = ind;
    return EXIT_OK;
}

/* An --indicator. */
static int indicator_part(void *ctx, const char *item, const char *s,
                          size_t len)
{
    (void)item;
    const struct indicator *ind = catalog_indicator(s, len);
    if (ind)
        return choose(ctx, ind);
    msg_error("unknown --indicator '%.*s' (indicators: %s)", (int)len, s,
              catalog_indicator_names());
    return EXIT_USAGE;
}

/* A --question. */
static int question_part(void *ctx, const char *item, const char *s,
                         size_t len)
{
    (void)item;
    const struct question *q = catalog_find_question(s, len);
    if (!q) {
        msg_error("unknown --question '%.*s' (questions: %s; or the version 2 "
                  "or version 1 id of one)", (int)len, s,
                  catalog_question_names());
        return EXIT_USAGE;
    }
    const struct indicator *ind = catalog_question_indicator(q);
    if (!ind && catalog_question_is_text(q)) {
        msg_error("--question '%.*s' is free text: it has no trend (its "
                  "answers are in is248.answer_current)", (int)len, s);
        return EXIT_USAGE;
    }
    if (!ind) {
        msg_error("out of memory");
        return EXIT_INTERNAL;
    }
    return choose(ctx, ind);
}

int trend_questions(const struct cli *c, const struct indicator **list,
                    int *n)
{
    struct chosen x = { list, n };
    return cli_list_each(&c->questions, &x, question_part);
}

/* --format, --csv-dialect, --lang, --weight and whether the figures are
 * printed; EXIT_OK or EXIT_USAGE after a message. */
static int form_options(const struct cli *c, struct trends *t, int print_always)
{
    if (!c->format || strcmp(c->format, "table") == 0)
        t->format = FORMAT_TABLE;
    else if (strcmp(c->format, "csv") == 0)
        t->format = FORMAT_CSV;
    else if (strcmp(c->format, "json") == 0)
        t->format = FORMAT_JSON;
    else if (strcmp(c->format, "xlsx") == 0)
        t->format = FORMAT_XLSX;
    else {
        msg_error("unknown --format '%s' (formats: table, csv, json, xlsx)",
                  c->format);
        return EXIT_USAGE;
    }
    if (c->csv_dialect && t->format != FORMAT_CSV) {
        msg_error("--csv-dialect is for --format csv");
        return EXIT_USAGE;
    }
    if (c->csv_dialect && csv_dialect_parse(c->csv_dialect, &t->dialect) != 0) {
        msg_error("unknown --csv-dialect '%s' (dialects: rfc4180, excel-nb)",
                  c->csv_dialect);
        return EXIT_USAGE;
    }
    if (cli_lang(c, &t->lang) != EXIT_OK)
        return EXIT_USAGE;
    if (c->weight && strcmp(c->weight, "population") == 0)
        t->weight_population = 1;
    else if (c->weight && strcmp(c->weight, "units") != 0) {
        msg_error("unknown --weight '%s' (weights: units, population)",
                  c->weight);
        return EXIT_USAGE;
    }
    t->print = !c->chart || c->format || c->output || print_always;
    if (t->format == FORMAT_XLSX && (!c->output || strcmp(c->output, "-") == 0)) {
        msg_error("--format xlsx writes a file: give it with --output FILE.xlsx");
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

/* The indicators and questions to print (every indicator when none is
 * named; *named: how many were); EXIT_OK, or the exit code after a
 * message. */
static int choose_all(const struct cli *c, struct trends *t, int *named)
{
    struct chosen chosen = { t->ind, &t->nind };
    int rc;
    if ((rc = cli_list_each(&c->indicators, &chosen, indicator_part)) != EXIT_OK ||
        (rc = trend_questions(c, t->ind, &t->nind)) != EXIT_OK)
        return rc;
    for (int i = 0; i < t->nind; i++)
        for (int k = 0; k < i; k++)
            if (strcmp(t->ind[i]->name, t->ind[k]->name) == 0) {
                /* their tables, sheets and JSON keys would share it */
                msg_error("--indicator '%s' and --question '%s' would both "
                          "be called '%s': ask for one at a time",
                          t->ind[i]->name, t->ind[i]->name, t->ind[i]->name);
                return EXIT_USAGE;
            }
    *named = t->nind;
    if (!*named) {
        int nind;
        const struct indicator *all = catalog_indicators(&nind);
        for (int i = 0; i < nind && i < TREND_MAX; i++)
            t->ind[t->nind++] = &all[i];
    }
    return EXIT_OK;
}

/* --chart: one indicator, not mixed with the figures; EXIT_OK or
 * EXIT_USAGE after a message. */
static int chart_options(const struct cli *c, struct trends *t, int named)
{
    if (!c->chart)
        return EXIT_OK;
    if (named > 1) {
        msg_error("--chart draws one indicator: give one --indicator or "
                  "--question");
        return EXIT_USAGE;
    }
    if (strcmp(c->chart, "-") == 0 && t->print &&
        (!c->output || strcmp(c->output, "-") == 0)) {
        msg_error("--chart - would mix the chart with the figures on "
                  "standard output: give the chart a file name");
        return EXIT_USAGE;
    }
    t->chart_indicator = 0;
    if (t->weight_population && t->ind[0]->number) {
        msg_error("--weight population charts shares: '%s' is a number, "
                  "charted per 10 000 inhabitants", t->ind[0]->name);
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

struct trends *trends_prepare(const struct cli *c, int print_always, int *rc)
{
    struct trends *t = calloc(1, sizeof *t);
    if (!t) {
        msg_error("out of memory");
        *rc = EXIT_INTERNAL;
        return NULL;
    }
    t->chart_indicator = -1;
    t->chart = (struct outfile)OUTFILE_INIT;
    t->output = (struct outfile)OUTFILE_INIT;
    int nind;
    if (!catalog_indicators(&nind)) {
        *rc = EXIT_INTERNAL;
        goto fail;
    }
    if ((*rc = form_options(c, t, print_always)) != EXIT_OK)
        goto fail;
    int named;
    if ((*rc = choose_all(c, t, &named)) != EXIT_OK ||
        (*rc = chart_options(c, t, named)) != EXIT_OK)
        goto fail;

    *rc = trend_selection_parse(c, &t->sel);
    if (*rc != EXIT_OK)
        goto fail;
    if (c->output && strcmp(c->output, "-") != 0) {
        *rc = outfile_open(&t->output, c->output, "the output");
        if (*rc != EXIT_OK)
            goto fail;
    }
    if (c->chart) {
        *rc = outfile_open(&t->chart, c->chart, "the chart");
        if (*rc != EXIT_OK)
            goto fail;
    }
    *rc = EXIT_OK;
    return t;
fail:
    trends_free(t);
    return NULL;
}

void trends_free(struct trends *t)
{
    if (!t)
        return;
    outfile_discard(&t->chart);
    outfile_discard(&t->output);
    trend_selection_free(&t->sel);
    free(t);
}

/* The figures in t's format to out (stdout or --output): res[i] the rows
 * of t->ind[i]. */
static int print_figures(struct trends *t, PGconn *conn, FILE *out,
                         PGresult *const *res)
{
    struct rtable tabs[TREND_MAX];
    int n = 0, rc = EXIT_OK;
    for (; n < t->nind; n++)
        if (trend_rtable(&tabs[n], t->ind[n], res[n], t->lang, 0) != 0) {
            msg_error("out of memory");
            rc = EXIT_INTERNAL;
            goto out;
        }
    if (t->format == FORMAT_CSV) {
        if (rtable_csv(out, tabs, n, "indicator", t->dialect) != 0) {
            msg_error("out of memory");
            rc = EXIT_INTERNAL;
        }
    } else if (t->format == FORMAT_JSON)
        rtable_json(out, tabs, n);
    else if (t->format == FORMAT_XLSX) {
        struct about about;
        rc = about_load(&about, conn, &t->sel, tabs, n, t->lang);
        if (rc == EXIT_OK)
            rc = xlsx_write(&t->output, tabs, n, &about);
        about_free(&about);
    } else {
        if (t->sel.text)
            fprintf(out, "%s: %s (%s)\n\n", L(t->lang, "Selection", "Utvalg"),
                    t->sel.text,
                    L(t->lang, "'Alle' is the total of the units selected",
                      "«Alle» er summen av enhetene som er valgt"));
        for (int k = 0; k < n; k++) {
            const struct indicator *ind = t->ind[k];
            /* the view it agrees with: the function less "_filtered"; a
             * question's: the function and its key */
            size_t fl = strlen(ind->function);
            if (!ind->argument && fl > 9 &&
                strcmp(ind->function + fl - 9, "_filtered") == 0)
                fl -= 9;
            if (ind->argument)
                fprintf(out, "%s%s (is248.%s('%s'))\n\n", k ? "\n" : "",
                        tabs[k].title, ind->function, ind->argument);
            else
                fprintf(out, "%s%s (is248.%.*s%s%s)\n\n", k ? "\n" : "",
                        tabs[k].title, (int)fl, ind->function,
                        ind->field ? ", field " : "",
                        ind->field ? ind->field : "");
            if (rtable_print(out, &tabs[k], 0) != 0) {
                msg_error("out of memory");
                rc = EXIT_INTERNAL;
                goto out;
            }
            char *unclassed = t->sel.shown ? NULL
                : trend_unclassed_note(res[k], ind, t->lang);
            if (unclassed)
                fprintf(out, "%s\n", unclassed);
            free(unclassed);
        }
    }
out:
    for (int k = 0; k < n; k++)
        rtable_free(&tabs[k]);
    return rc;
}

int trends_run(struct trends *t, PGconn *conn)
{
    int rc = cli_check_schema(conn, CLI_NEED_READ);
    if (rc != EXIT_OK)
        return rc;
    PGresult *res[TREND_MAX] = { NULL };
    int rows = 0;
    for (int i = 0; i < t->nind; i++)
        if (t->print || i == t->chart_indicator) {
            res[i] = trend_query(conn, t->ind[i], &t->sel, &rc);
            if (!res[i])
                goto out;
            rows += PQntuples(res[i]);
        }
    if (rows == 0)
        msg_warn("no current reports%s%s", t->sel.text ? " for " : "",
                 t->sel.text ? t->sel.text : " in the database");

    if (t->print) {
        FILE *out = t->output.f ? t->output.f : stdout;
        rc = print_figures(t, conn, out, res);
        if (rc != EXIT_OK)
            goto out;
    }

    if (t->chart_indicator >= 0) {
        int k = t->chart_indicator;
        struct trend_chart_opts o = {
            .selection = t->sel.text, .title_suffix = t->sel.county_names,
            .lang = t->lang, .weight_population = t->weight_population
        };
        int drawn = trend_chart(t->chart.f, res[k], t->ind[k], &o);
        if (drawn == 1) {
            msg_notice("nothing to chart: no figures for %s%s%s",
                       t->ind[k]->name, t->sel.text ? " for " : "",
                       t->sel.text ? t->sel.text : "");
            outfile_discard(&t->chart);
            outfile_discard(&t->output);
            rc = EXIT_PROBLEMS;
            goto out;
        } else if (drawn != 0) {
            /* into memory (outfile.h) only memory can run out */
            if (t->chart.f == stdout)
                msg_error("cannot write the chart to standard output");
            else
                msg_error("out of memory drawing the chart '%s'",
                          t->chart.path);
            outfile_discard(&t->chart);
            rc = EXIT_INTERNAL;
            goto out;
        }
    }
    if (t->output.f && (rc = outfile_close(&t->output)) != EXIT_OK)
        goto out;
    if (t->output.path && strcmp(t->output.path, "-") != 0)
        msg_info("%s written to '%s'",
                 t->format == FORMAT_XLSX ? "workbook" : "figures",
                 t->output.path);
    if (t->chart_indicator >= 0) {
        rc = outfile_close(&t->chart);
        if (rc == EXIT_OK && strcmp(t->chart.path, "-") != 0)
            msg_info("chart of %s written to '%s'",
                     t->ind[t->chart_indicator]->name, t->chart.path);
    }
out:
    for (int i = 0; i < t->nind; i++)
        PQclear(res[i]);
    return rc;
}

int cmd_trends(struct cli *c)
{
    int rc;
    struct trends *t = trends_prepare(c, 0, &rc);
    if (!t)
        return rc;
    PGconn *conn = cli_connect(c, &rc);
    if (!conn) {
        trends_free(t);
        return rc;
    }
    rc = trends_run(t, conn);
    cli_disconnect(conn);
    trends_free(t);
    return rc;
}
