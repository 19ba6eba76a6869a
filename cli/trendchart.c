/*
 * trendchart.c - a trend's rows as an SVG line chart (cli.h,
 * trend_chart()): a line per size class in a colour of its own, the
 * total's line, n on every point, points of few units drawn hollow with a
 * footnote, the selection and the units without a size class said under
 * it.  The drawing itself is chart.c's.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "cli.h"
#include "msg.h"

/* The size classes of delivery-format.md §6, in order: each keeps its
 * colour in every chart, whatever else is drawn beside it. */
static const char *const size_class_colour_order[] = {
    "<2000", "2000-4999", "5000-9999", "10000-19999", "20000-49999",
    "50000+", "Oslo bydel"
};

/* A figure of fewer units than this is drawn hollow: too few for a
 * share to be read as a trend. */
#define CHART_SMALL_N 20

/* 1 when the array literal lit ({"a","b"}) holds label. */
static int literal_has(const char *lit, const char *label)
{
    size_t n = strlen(label);
    for (const char *p = strchr(lit, '"'); p; p = strchr(p, '"')) {
        const char *s = p + 1, *e = s;
        size_t k = 0;
        int same = 1;
        while (*e && *e != '"') {
            if (*e == '\\')
                e++;
            if (!*e)
                break;
            if (k >= n || *e != label[k])
                same = 0;
            k++, e++;
        }
        if (same && k == n)
            return 1;
        if (!*e)
            break;
        p = e + 1;
    }
    return 0;
}

/* The columns of a trend's rows that a chart reads. */
struct cols {
    int year, size_class, pct, n;
};

/* Whether row r of res is drawn: up to o->last_year, a line of o->lines. */
static int drawn(const PGresult *res, int r, const struct cols *c,
                 const struct trend_chart_opts *o)
{
    if (o->last_year && atoi(PQgetvalue(res, r, c->year)) > o->last_year)
        return 0;
    return !o->lines || literal_has(o->lines, PQgetvalue(res, r, c->size_class));
}

/* The years with a figure drawn, *first to *last (and the highlighted
 * year); 0 when there is none. */
static int year_range(const PGresult *res, const struct cols *c,
                      const struct trend_chart_opts *o, int *first, int *last)
{
    *first = *last = 0;
    for (int r = 0; r < PQntuples(res); r++) {
        int y = atoi(PQgetvalue(res, r, c->year));
        if (!drawn(res, r, c, o) || PQgetisnull(res, r, c->pct))
            continue;
        if (!*first || y < *first)
            *first = y;
        if (y > *last)
            *last = y;
    }
    if (!*first)
        return 0;
    if (o->highlight_year > *last)
        *last = o->highlight_year;
    return 1;
}

/* The series' labels in the order of the rows: each new label goes after
 * the one before it in its year, so that a class missing in some years
 * keeps its place.  Returns how many (label holds room for every row). */
static size_t series_order(const PGresult *res, const struct cols *c,
                           const struct trend_chart_opts *o, const char **label)
{
    size_t n = 0;
    for (int r = 0; r < PQntuples(res); r++) {
        const char *l = PQgetvalue(res, r, c->size_class);
        if (!drawn(res, r, c, o))
            continue;
        size_t k = 0;
        while (k < n && strcmp(label[k], l) != 0)
            k++;
        if (k < n)
            continue;
        size_t at = 0;
        if (r > 0 && strcmp(PQgetvalue(res, r - 1, c->year),
                            PQgetvalue(res, r, c->year)) == 0) {
            const char *prev = PQgetvalue(res, r - 1, c->size_class);
            at = n;
            for (size_t p = 0; p < n; p++)
                if (strcmp(label[p], prev) == 0)
                    at = p + 1;
        }
        memmove(&label[at + 1], &label[at], (n - at) * sizeof *label);
        label[at] = l;
        n++;
    }
    return n;
}

/* Each series' figures (NAN where none), n, label and colour: a size class
 * keeps its colour of size_class_colour_order, Alle is the total. */
static void series_fill(const PGresult *res, const struct cols *c,
                        const struct trend_chart_opts *o, const char **label,
                        size_t n, int first, int last, double *values, int *ns,
                        struct chart_series *series)
{
    size_t nyears = (size_t)(last - first + 1), spare = 0;
    for (size_t k = 0; k < n * nyears; k++)
        values[k] = NAN;
    for (int r = 0; r < PQntuples(res); r++) {
        int y = atoi(PQgetvalue(res, r, c->year));
        if (y < first || y > last || PQgetisnull(res, r, c->pct))
            continue;
        for (size_t k = 0; k < n; k++)
            if (strcmp(label[k], PQgetvalue(res, r, c->size_class)) == 0) {
                values[k * nyears + (size_t)(y - first)] =
                    strtod(PQgetvalue(res, r, c->pct), NULL);
                ns[k * nyears + (size_t)(y - first)] =
                    c->n >= 0 ? atoi(PQgetvalue(res, r, c->n)) : 0;
            }
    }
    for (size_t k = 0; k < n; k++) {
        series[k].values = &values[k * nyears];
        series[k].n = c->n >= 0 ? &ns[k * nyears] : NULL;
        if (strcmp(label[k], "Alle") == 0) {
            series[k].label = o->selection && !o->lines
                ? L(o->lang, "Alle (the units selected)", "Alle (enhetene som er valgt)")
                : L(o->lang, "Alle (all units)", "Alle (alle enhetene)");
            series[k].colour = chart_total_colour;
            series[k].total = 1;
            continue;
        }
        series[k].label = label[k];
        size_t i = 0, known = sizeof size_class_colour_order /
                             sizeof size_class_colour_order[0];
        while (i < known && strcmp(size_class_colour_order[i], label[k]) != 0)
            i++;
        series[k].colour = chart_palette[(i < known ? i : spare++) %
                                         CHART_PALETTE_SIZE];
    }
}

/* The chart's words (malloc'd; each NULL when memory ran out). */
struct words {
    char *note, *subtitle, *title, *small;
};

static void words_make(struct words *w, const PGresult *res,
                       const struct indicator *ind,
                       const struct trend_chart_opts *o)
{
    enum lang lang = o->lang;
    size_t size = 0;
    FILE *f = open_memstream(&w->note, &size);
    if (f) {
        fprintf(f, "%s; %s.",
                L(lang, "IS-24/8 municipal returns, the current report of each unit (is248)",
                  "IS-24/8 kommunal rapportering, gjeldende rapport for hver enhet (is248)"),
                o->weight_population
                    ? L(lang, "percent of the population of the units behind the figure, as they reported it",
                        "prosent av innbyggerne i enhetene bak tallet, slik de rapporterte det")
                    : ind->base[lang]);
        if (o->selection)
            fprintf(f, " %s: %s.", L(lang, "Selection", "Utvalg"), o->selection);
        char *unclassed = o->lines ? NULL : trend_unclassed_note(res, ind, lang);
        if (unclassed)
            fprintf(f, " %s", unclassed);
        free(unclassed);
        fclose(f);
    }
    f = open_memstream(&w->subtitle, &size);
    if (f) {
        fprintf(f, "\xC2\xAB%s\xC2\xBB", ind->question);
        fclose(f);
    }
    f = open_memstream(&w->title, &size);
    if (f) {
        fputs(ind->chart_title[lang], f);
        if (o->title_suffix)
            fprintf(f, " \xE2\x80\x93 %s", o->title_suffix);
        fclose(f);
    }
    f = open_memstream(&w->small, &size);
    if (f) {
        fprintf(f, L(lang, "Open points: fewer than %d units (n).",
                     "Åpne punkter: færre enn %d enheter (n)."), CHART_SMALL_N);
        fclose(f);
    }
}

static void words_free(struct words *w)
{
    free(w->note);
    free(w->subtitle);
    free(w->title);
    free(w->small);
}

int trend_chart(FILE *out, const PGresult *res, const struct indicator *ind,
                const struct trend_chart_opts *o)
{
    enum lang lang = o->lang;
    struct cols c = {
        PQfnumber(res, "year"), PQfnumber(res, "size_class"),
        PQfnumber(res, o->weight_population ? "pct_population" : ind->pct_column),
        PQfnumber(res, ind->n_column)
    };
    int rows = PQntuples(res);
    if (c.year < 0 || c.size_class < 0 || c.pct < 0)
        return -1;
    int first, last;
    if (!year_range(res, &c, o, &first, &last))
        return 1; /* no figure to draw */
    size_t nyears = (size_t)(last - first + 1);

    const char **label = calloc((size_t)rows + 1, sizeof *label);
    double *values = malloc(((size_t)rows + 1) * nyears * sizeof *values);
    int *ns = calloc(((size_t)rows + 1) * nyears, sizeof *ns);
    struct chart_series *series = calloc((size_t)rows + 1, sizeof *series);
    struct words w = { 0 };
    int rc = -1;
    if (!label || !values || !ns || !series)
        goto out;
    size_t n = series_order(res, &c, o, label);
    series_fill(res, &c, o, label, n, first, last, values, ns, series);
    words_make(&w, res, ind, o);
    if (!w.note || !w.subtitle || !w.title || !w.small)
        goto out;
    double y_max = 0;   /* a number's axis: up to its largest figure */
    for (size_t k = 0; ind->number && !o->weight_population && k < n * nyears; k++)
        if (!isnan(values[k]) && values[k] > y_max)
            y_max = values[k];
    if (ind->number && !o->weight_population && y_max <= 0)
        y_max = 1;
    struct chart chart = {
        .title = w.title,
        .y_max = y_max,
        .subtitle = w.subtitle,
        .y_label = o->weight_population
            ? L(lang, "% of the population", "% av befolkningen")
            : ind->y_label[lang],
        .x_label = L(lang, "Reporting year", "Rapporteringsår"),
        .legend_title = L(lang, "Size class", "Størrelsesgruppe"),
        .note = w.note,
        .first_year = first,
        .last_year = last,
        .highlight_year = o->highlight_year,
        .small_n = CHART_SMALL_N,
        .small_n_note = w.small,
        .inline_svg = o->inline_svg,
        .series = series,
        .nseries = n,
    };
    rc = chart_write_svg(out, &chart) != 0 ? -1 : 0;
out:
    words_free(&w);
    free(label);
    free(values);
    free(ns);
    free(series);
    return rc;
}
