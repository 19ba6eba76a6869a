/*
 * cmd_trends.c - "is248 trends": each indicator by year and size class, as
 * aligned tables (the way psql prints them), CSV or JSON, for all current
 * reports or a selection of years, size classes and counties, and as an
 * SVG line chart (chart.c).
 *
 * The figures come from the functions of sql/schema/04_trends.sql, which
 * return exactly the trend views' rows when nothing is selected.  Report
 * (cmd_report.c) and demo share the indicators, the queries and the charts
 * from here (cli.h); chart files are written through outfile.h.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "cli.h"
#include "msg.h"
#include "table.h"

#define FILTER_ARGS "($1::int[], $2::text[], $3::text[]) WITH ORDINALITY AS t"

const struct trend_indicator trend_indicators[TREND_INDICATORS] = {
    { "nav_collab",
      "Collaboration between health and care services and Nav on "
      "work-oriented rehabilitation",
      "Collaboration with Nav on work-oriented rehabilitation established",
      "Har kommunen etablert et samarbeid mellom helse- og omsorgstjenesten "
      "og NAV om arbeidsrettet rehabilitering til personer med psykiske "
      "lidelser og/eller rusmiddelproblemer?",
      "is248.trend_nav_collab",
      "SELECT t.year, t.size_class, t.units_reporting, t.units_answered, "
      "t.units_yes, t.units_no, t.units_dont_know, t.pct_yes "
      "FROM is248.trend_nav_collab_filtered" FILTER_ARGS
      " ORDER BY t.ordinality",
      "pct_yes", "% of units answering yes",
      "percent of the units that answered (don't know included)", 2015 },
    { "nav_rating",
      "How the municipality rates its collaboration with Nav on work "
      "measures",
      "Collaboration with Nav rated very good or good",
      "Hvordan vurderer kommunen samhandlingen med NAV om arbeidstiltak for "
      "personer med psykiske lidelser og/eller rusmiddelproblemer?",
      "is248.trend_nav_rating",
      "SELECT t.year, t.size_class, t.units_answered, t.very_good, t.good, "
      "t.neither, t.less_good, t.bad, t.dont_know, t.pct_good, "
      "t.pct_neither, t.pct_less_good_or_bad "
      "FROM is248.trend_nav_rating_filtered" FILTER_ARGS
      " ORDER BY t.ordinality",
      "pct_good", "% rating it very good or good",
      "percent of the units that rated it (don't know left out)", 2015 },
    { "ips_se_mental_health",
      "IPS or SE in mental health work",
      "IPS or supported employment (SE) in use in mental health work",
      "Har kommunen tatt i bruk individuell jobbstøtte (IPS) / supported "
      "employment (SE) innen psykisk helsearbeid?",
      "is248.trend_ips_se, field mental_health",
      "SELECT t.year, t.size_class, t.units_answered, t.units_yes, "
      "t.units_ips, t.units_se, t.pct_yes "
      "FROM is248.trend_ips_se_filtered" FILTER_ARGS
      " WHERE t.field = 'mental_health' ORDER BY t.ordinality",
      "pct_yes", "% of units with IPS or SE in use",
      "percent of the units that answered (don't know included)", 2016 },
    { "ips_se_substance",
      "IPS or SE in substance abuse work",
      "IPS or supported employment (SE) in use in substance abuse work",
      "Har kommunen tatt i bruk individuell jobbstøtte (IPS) / supported "
      "employment (SE) innen rusarbeid?",
      "is248.trend_ips_se, field substance",
      "SELECT t.year, t.size_class, t.units_answered, t.units_yes, "
      "t.units_ips, t.units_se, t.pct_yes "
      "FROM is248.trend_ips_se_filtered" FILTER_ARGS
      " WHERE t.field = 'substance' ORDER BY t.ordinality",
      "pct_yes", "% of units with IPS or SE in use",
      "percent of the units that answered (don't know included)", 2016 },
};

/* The size classes of delivery-format.md §6, in order: each keeps its
 * colour in every chart, whatever else is drawn beside it. */
static const char *const size_class_colour_order[] = {
    "<2000", "2000-4999", "5000-9999", "10000-19999", "20000-49999",
    "50000+", "Oslo bydel"
};

enum format { FORMAT_TABLE, FORMAT_CSV, FORMAT_JSON };

struct trends {
    struct trend_selection sel;
    enum format format;
    int print;               /* print the figures on stdout */
    unsigned indicators;     /* bit i: trend_indicators[i] is printed */
    int chart_indicator;     /* -1: no chart */
    struct outfile chart;    /* --chart, checked and opened first */
};

/* ------------------------------------------------------------------------ */
/* The selection: --years, --size-class, --county                           */

/* Calls fn for every comma-separated part of every item of l, with spaces
 * around it trimmed; stops at the first nonzero return. */
static int each_part(const struct cli_list *l, void *ctx,
                     int (*fn)(void *ctx, const char *item, const char *part,
                               size_t len))
{
    for (int i = 0; i < l->n; i++) {
        const char *p = l->item[i];
        for (;;) {
            const char *end = strchr(p, ',');
            size_t len = end ? (size_t)(end - p) : strlen(p);
            const char *s = p;
            while (len && *s == ' ')
                s++, len--;
            while (len && s[len - 1] == ' ')
                len--;
            int rc = fn(ctx, l->item[i], s, len);
            if (rc)
                return rc;
            if (!end)
                break;
            p = end + 1;
        }
    }
    return 0;
}

/* A year: exactly four digits.  Returns it, or -1. */
int cli_year(const char *s, size_t len)
{
    if (len != 4)
        return -1;
    int y = 0;
    for (size_t i = 0; i < 4; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        y = y * 10 + (s[i] - '0');
    }
    return y;
}

static int year_part(void *ctx, const char *item, const char *s, size_t len)
{
    FILE *out = ctx;
    const char *dash = memchr(s, '-', len);
    int from = cli_year(s, dash ? (size_t)(dash - s) : len);
    int to = dash ? cli_year(dash + 1, len - (size_t)(dash + 1 - s)) : from;
    if (from < 0 || to < 0) {
        msg_error("invalid --years '%s': give a year (2019), a range "
                  "(2019-2024) or a comma list of them (2015,2019-2021)",
                  item);
        return EXIT_USAGE;
    }
    if (to < from) {
        msg_error("invalid --years '%s': the range %d-%d ends before it "
                  "starts", item, from, to);
        return EXIT_USAGE;
    }
    /* a year given twice is harmless to "= any (years)" */
    for (int y = from; y <= to; y++)
        fprintf(out, "%s%d", ftell(out) > 1 ? "," : "", y);
    return 0;
}

static int county_part(void *ctx, const char *item, const char *s, size_t len)
{
    FILE *out = ctx;
    if (len != 2 || s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9') {
        msg_error("invalid --county '%s': a county code is two digits, as "
                  "in report_current.county_code (such as 46, Vestland)",
                  item);
        return EXIT_USAGE;
    }
    fprintf(out, "%s\"%.2s\"", ftell(out) > 1 ? "," : "", s);
    return 0;
}

static int size_class_part(void *ctx, const char *item, const char *s,
                           size_t len)
{
    FILE *out = ctx;
    if (len == 0) {
        msg_error("invalid --size-class '%s': an empty size class", item);
        return EXIT_USAGE;
    }
    /* an element of a PostgreSQL array literal, quoted */
    fputs(ftell(out) > 1 ? ",\"" : "\"", out);
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '"' || s[i] == '\\')
            fputc('\\', out);
        fputc(s[i], out);
    }
    fputc('"', out);
    return 0;
}

/* A PostgreSQL array literal of the parts of l ("{...}"), or NULL when l
 * is empty; *rc set when a part is invalid or memory runs out. */
static char *array_literal(const struct cli_list *l,
                           int (*part)(void *, const char *, const char *,
                                       size_t),
                           int *rc)
{
    if (l->n == 0)
        return NULL;
    char *buf = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&buf, &size);
    if (!out) {
        msg_error("out of memory");
        *rc = EXIT_INTERNAL;
        return NULL;
    }
    fputc('{', out);
    *rc = each_part(l, out, part);
    fputc('}', out);
    if (fclose(out) != 0 && *rc == EXIT_OK) {
        msg_error("out of memory");
        *rc = EXIT_INTERNAL;
    }
    if (*rc != EXIT_OK) {
        free(buf);
        return NULL;
    }
    return buf;
}

static void list_text(FILE *out, const char *what, const struct cli_list *l)
{
    if (l->n == 0)
        return;
    fprintf(out, "%s%s ", ftell(out) > 0 ? "; " : "", what);
    for (int i = 0; i < l->n; i++)
        fprintf(out, "%s%s", i ? "," : "", l->item[i]);
}

int trend_selection_parse(const struct cli *c, struct trend_selection *sel)
{
    memset(sel, 0, sizeof *sel);
    int rc = EXIT_OK;
    sel->years = array_literal(&c->years, year_part, &rc);
    if (rc == EXIT_OK)
        sel->size_classes = array_literal(&c->size_classes, size_class_part,
                                          &rc);
    if (rc == EXIT_OK)
        sel->counties = array_literal(&c->counties, county_part, &rc);
    if (rc == EXIT_OK && (c->years.n || c->size_classes.n || c->counties.n)) {
        size_t size = 0;
        FILE *out = open_memstream(&sel->text, &size);
        if (!out)
            rc = EXIT_INTERNAL;
        else {
            list_text(out, "years", &c->years);
            list_text(out, "size classes", &c->size_classes);
            list_text(out, "counties", &c->counties);
            if (fclose(out) != 0)
                rc = EXIT_INTERNAL;
        }
        if (rc != EXIT_OK)
            msg_error("out of memory");
    }
    if (rc != EXIT_OK)
        trend_selection_free(sel);
    return rc;
}

void trend_selection_free(struct trend_selection *sel)
{
    free(sel->years);
    free(sel->size_classes);
    free(sel->counties);
    free(sel->text);
    memset(sel, 0, sizeof *sel);
}

PGresult *trend_query(PGconn *conn, int i, const struct trend_selection *sel,
                      int *rc)
{
    const char *params[3] = { sel->years, sel->size_classes, sel->counties };
    PGresult *res = PQexecParams(conn, trend_indicators[i].sql, 3, NULL,
                                 params, NULL, NULL, 0);
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
        char *why = primary ? NULL : strdup(PQerrorMessage(conn));
        if (why)
            why[strcspn(why, "\n")] = '\0';
        msg_error("cannot read the trends (%s): %s", trend_indicators[i].name,
                  primary ? primary : why ? why : "out of memory");
        free(why);
        *rc = EXIT_DB;
    }
    PQclear(res);
    return NULL;
}

/* ------------------------------------------------------------------------ */
/* Tables, CSV, JSON                                                        */

/* Every column of every indicator, in the order CSV gives them. */
static const char *const csv_columns[] = {
    "year", "size_class", "units_reporting", "units_answered", "units_yes",
    "units_no", "units_dont_know", "very_good", "good", "neither",
    "less_good", "bad", "dont_know", "units_ips", "units_se", "pct_yes",
    "pct_good", "pct_neither", "pct_less_good_or_bad"
};
#define CSV_COLUMNS (sizeof csv_columns / sizeof csv_columns[0])

/* An RFC 4180 field: quoted when it holds a comma, a quote or a line
 * break, quotes doubled. */
static void csv_field(const char *s)
{
    if (!s[strcspn(s, ",\"\r\n")]) {
        fputs(s, stdout);
        return;
    }
    putchar('"');
    for (; *s; s++) {
        if (*s == '"')
            putchar('"');
        putchar(*s);
    }
    putchar('"');
}

/* One table: a column "indicator", then the columns of csv_columns that
 * some indicator printed has; a field is empty where the value is NULL or
 * the indicator has no such column.  Lines end in CRLF (RFC 4180). */
static void print_csv(PGresult *const res[TREND_INDICATORS], unsigned which)
{
    int used[CSV_COLUMNS] = { 0 };
    for (size_t k = 0; k < CSV_COLUMNS; k++)
        for (int i = 0; i < TREND_INDICATORS; i++)
            if ((which & (1u << i)) && PQfnumber(res[i], csv_columns[k]) >= 0)
                used[k] = 1;
    fputs("indicator", stdout);
    for (size_t k = 0; k < CSV_COLUMNS; k++)
        if (used[k])
            printf(",%s", csv_columns[k]);
    fputs("\r\n", stdout);
    for (int i = 0; i < TREND_INDICATORS; i++) {
        if (!(which & (1u << i)))
            continue;
        int col[CSV_COLUMNS];
        for (size_t k = 0; k < CSV_COLUMNS; k++)
            col[k] = PQfnumber(res[i], csv_columns[k]);
        for (int r = 0; r < PQntuples(res[i]); r++) {
            fputs(trend_indicators[i].name, stdout);
            for (size_t k = 0; k < CSV_COLUMNS; k++) {
                if (!used[k])
                    continue;
                putchar(',');
                if (col[k] >= 0 && !PQgetisnull(res[i], r, col[k]))
                    csv_field(PQgetvalue(res[i], r, col[k]));
            }
            fputs("\r\n", stdout);
        }
    }
}

static void json_string(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            printf("\\%c", ch);
        else if (ch == '\n')
            fputs("\\n", stdout);
        else if (ch == '\t')
            fputs("\\t", stdout);
        else if (ch < 0x20)
            printf("\\u%04x", ch);
        else
            putchar(ch);
    }
    putchar('"');
}

/* An object with a key per indicator printed; its value is an array of
 * rows, each an object of the indicator's columns: numbers as numbers,
 * NULL as null. */
static void print_json(PGresult *const res[TREND_INDICATORS], unsigned which)
{
    int first = 1;
    putchar('{');
    for (int i = 0; i < TREND_INDICATORS; i++) {
        if (!(which & (1u << i)))
            continue;
        printf("%s\n  ", first ? "" : ",");
        first = 0;
        json_string(trend_indicators[i].name);
        fputs(": [", stdout);
        int rows = PQntuples(res[i]), cols = PQnfields(res[i]);
        for (int r = 0; r < rows; r++) {
            printf("%s\n    {", r ? "," : "");
            for (int j = 0; j < cols; j++) {
                printf("%s", j ? ", " : "");
                json_string(PQfname(res[i], j));
                fputs(": ", stdout);
                if (PQgetisnull(res[i], r, j))
                    fputs("null", stdout);
                else if (table_numeric(PQftype(res[i], j)))
                    fputs(PQgetvalue(res[i], r, j), stdout);
                else
                    json_string(PQgetvalue(res[i], r, j));
            }
            putchar('}');
        }
        fputs(rows ? "\n  ]" : "]", stdout);
    }
    fputs(first ? "}\n" : "\n}\n", stdout);
}

/* ------------------------------------------------------------------------ */
/* Charts                                                                   */

int trend_chart(FILE *out, const PGresult *res, int i, int last_year,
                int highlight_year, const char *selection)
{
    const struct trend_indicator *ind = &trend_indicators[i];
    int cy = PQfnumber(res, "year"), cs = PQfnumber(res, "size_class");
    int cp = PQfnumber(res, ind->pct);
    int rows = PQntuples(res);
    if (cy < 0 || cs < 0 || cp < 0)
        return -1;

    int first = 0, last = 0;
    for (int r = 0; r < rows; r++) {
        int y = atoi(PQgetvalue(res, r, cy));
        if ((last_year && y > last_year) || PQgetisnull(res, r, cp))
            continue;
        if (!first || y < first)
            first = y;
        if (y > last)
            last = y;
    }
    if (!first)
        return 1; /* no figure to draw */
    if (highlight_year > last)
        last = highlight_year;
    size_t nyears = (size_t)(last - first + 1);

    /* The series in the order of the rows: each new label goes after the
     * one before it in its year, so that a class missing in some years
     * keeps its place. */
    const char **label = calloc((size_t)rows + 1, sizeof *label);
    double *values = malloc(((size_t)rows + 1) * nyears * sizeof *values);
    struct chart_series *series = calloc((size_t)rows + 1, sizeof *series);
    int rc = -1;
    if (!label || !values || !series)
        goto out;
    size_t n = 0;
    for (int r = 0; r < rows; r++) {
        const char *l = PQgetvalue(res, r, cs);
        if (last_year && atoi(PQgetvalue(res, r, cy)) > last_year)
            continue;
        size_t k = 0;
        while (k < n && strcmp(label[k], l) != 0)
            k++;
        if (k < n)
            continue;
        size_t at = n;
        if (r > 0 && strcmp(PQgetvalue(res, r - 1, cy), PQgetvalue(res, r, cy)) == 0) {
            const char *prev = PQgetvalue(res, r - 1, cs);
            for (size_t p = 0; p < n; p++)
                if (strcmp(label[p], prev) == 0)
                    at = p + 1;
        } else
            at = 0;
        memmove(&label[at + 1], &label[at], (n - at) * sizeof *label);
        label[at] = l;
        n++;
    }
    for (size_t k = 0; k < n * nyears; k++)
        values[k] = NAN;
    for (int r = 0; r < rows; r++) {
        int y = atoi(PQgetvalue(res, r, cy));
        if (y < first || y > last || PQgetisnull(res, r, cp))
            continue;
        for (size_t k = 0; k < n; k++)
            if (strcmp(label[k], PQgetvalue(res, r, cs)) == 0)
                values[k * nyears + (size_t)(y - first)] =
                    strtod(PQgetvalue(res, r, cp), NULL);
    }
    size_t spare = 0;
    for (size_t k = 0; k < n; k++) {
        series[k].values = &values[k * nyears];
        if (strcmp(label[k], "Alle") == 0) {
            series[k].label = selection ? "Alle (the units selected)"
                                        : "Alle (all units)";
            series[k].colour = chart_total_colour;
            series[k].total = 1;
            continue;
        }
        series[k].label = label[k];
        size_t c = 0, known = sizeof size_class_colour_order /
                             sizeof size_class_colour_order[0];
        while (c < known && strcmp(size_class_colour_order[c], label[k]) != 0)
            c++;
        series[k].colour = chart_palette[(c < known ? c : spare++) %
                                         CHART_PALETTE_SIZE];
    }

    char *note = NULL, *subtitle = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&note, &size);
    if (f) {
        fprintf(f, "IS-24/8 municipal returns, the current report of each "
                   "unit (is248); %s.", ind->base);
        if (selection)
            fprintf(f, " Selection: %s.", selection);
        fclose(f);
    }
    f = open_memstream(&subtitle, &size);
    if (f) {
        fprintf(f, "\xC2\xAB%s\xC2\xBB", ind->question);
        fclose(f);
    }
    struct chart chart = {
        .title = ind->chart_title,
        .subtitle = subtitle,
        .y_label = ind->y_label,
        .x_label = "Reporting year",
        .legend_title = "Size class",
        .note = note,
        .first_year = first,
        .last_year = last,
        .highlight_year = highlight_year,
        .series = series,
        .nseries = n,
    };
    rc = chart_write_svg(out, &chart) != 0 ? -1 : 0;
    free(note);
    free(subtitle);
out:
    free(label);
    free(values);
    free(series);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* The command                                                              */

/* An --indicator: sets its bit in *ctx (unsigned). */
static int indicator_part(void *ctx, const char *item, const char *s,
                          size_t len)
{
    (void)item;
    for (int i = 0; i < TREND_INDICATORS; i++)
        if (strlen(trend_indicators[i].name) == len &&
            strncmp(s, trend_indicators[i].name, len) == 0) {
            *(unsigned *)ctx |= 1u << i;
            return 0;
        }
    msg_error("unknown --indicator '%.*s' (indicators: nav_collab, "
              "nav_rating, ips_se_mental_health, ips_se_substance)",
              (int)len, s);
    return EXIT_USAGE;
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
    *rc = EXIT_USAGE;
    if (!c->format || strcmp(c->format, "table") == 0)
        t->format = FORMAT_TABLE;
    else if (strcmp(c->format, "csv") == 0)
        t->format = FORMAT_CSV;
    else if (strcmp(c->format, "json") == 0)
        t->format = FORMAT_JSON;
    else {
        msg_error("unknown --format '%s' (formats: table, csv, json)",
                  c->format);
        goto fail;
    }
    t->print = !c->chart || c->format || print_always;

    if (each_part(&c->indicators, &t->indicators, indicator_part) != 0)
        goto fail;
    unsigned named = t->indicators; /* bit i: named by --indicator */
    if (!t->indicators)
        t->indicators = (1u << TREND_INDICATORS) - 1;

    if (c->chart) {
        if (named & (named - 1)) {
            msg_error("--chart draws one indicator: give one --indicator");
            goto fail;
        }
        if (strcmp(c->chart, "-") == 0 && t->print) {
            msg_error("--chart - would mix the chart with the figures on "
                      "standard output: give the chart a file name");
            goto fail;
        }
        t->chart_indicator = 0;
        while (named && !(named & (1u << t->chart_indicator)))
            t->chart_indicator++;
    }

    *rc = trend_selection_parse(c, &t->sel);
    if (*rc != EXIT_OK)
        goto fail;
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
    trend_selection_free(&t->sel);
    free(t);
}

int trends_run(struct trends *t, PGconn *conn)
{
    int rc = cli_check_schema(conn, CLI_NEED_READ);
    if (rc != EXIT_OK)
        return rc;
    PGresult *res[TREND_INDICATORS] = { NULL };
    unsigned need = t->print ? t->indicators : 0;
    if (t->chart_indicator >= 0)
        need |= 1u << t->chart_indicator;
    int rows = 0;
    for (int i = 0; i < TREND_INDICATORS; i++)
        if (need & (1u << i)) {
            res[i] = trend_query(conn, i, &t->sel, &rc);
            if (!res[i])
                goto out;
            rows += PQntuples(res[i]);
        }
    if (rows == 0)
        msg_warn("no current reports%s%s", t->sel.text ? " for " : "",
                 t->sel.text ? t->sel.text : " in the database");

    if (t->print) {
        if (t->format == FORMAT_CSV)
            print_csv(res, t->indicators);
        else if (t->format == FORMAT_JSON)
            print_json(res, t->indicators);
        else {
            int first = 1;
            if (t->sel.text)
                printf("Selection: %s ('Alle' is the total of the units "
                       "selected)\n\n", t->sel.text);
            for (int i = 0; i < TREND_INDICATORS; i++) {
                if (!(t->indicators & (1u << i)))
                    continue;
                printf("%s%s (%s)\n\n", first ? "" : "\n",
                       trend_indicators[i].title, trend_indicators[i].source);
                if (table_print(res[i]) != 0) {
                    msg_error("out of memory");
                    rc = EXIT_INTERNAL;
                    goto out;
                }
                first = 0;
            }
        }
    }

    if (t->chart_indicator >= 0) {
        int k = t->chart_indicator;
        int drawn = trend_chart(t->chart.f, res[k], k, 0, 0, t->sel.text);
        if (drawn == 1) {
            msg_notice("nothing to chart: no figures for %s%s%s",
                       trend_indicators[k].name, t->sel.text ? " for " : "",
                       t->sel.text ? t->sel.text : "");
            outfile_discard(&t->chart);
            rc = EXIT_PROBLEMS;
        } else if (drawn != 0) {
            /* into memory (outfile.h) only memory can run out */
            if (t->chart.f == stdout)
                msg_error("cannot write the chart to standard output");
            else
                msg_error("out of memory drawing the chart '%s'",
                          t->chart.path);
            outfile_discard(&t->chart);
            rc = EXIT_INTERNAL;
        } else {
            rc = outfile_close(&t->chart);
            if (rc == EXIT_OK && strcmp(t->chart.path, "-") != 0)
                msg_info("chart of %s written to '%s'",
                         trend_indicators[k].name, t->chart.path);
        }
    }
out:
    for (int i = 0; i < TREND_INDICATORS; i++)
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
