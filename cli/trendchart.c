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

int trend_chart(FILE *out, const PGresult *res, const struct indicator *ind,
                const struct trend_chart_opts *o)
{
    enum lang lang = o->lang;
    int cy = PQfnumber(res, "year"), cs = PQfnumber(res, "size_class");
    int cp = PQfnumber(res, o->weight_population ? "pct_population"
                                                 : ind->pct_column);
    int cn = PQfnumber(res, ind->n_column);
    int rows = PQntuples(res);
    if (cy < 0 || cs < 0 || cp < 0)
        return -1;
    int last_year = o->last_year;

    int first = 0, last = 0;
    for (int r = 0; r < rows; r++) {
        int y = atoi(PQgetvalue(res, r, cy));
        if ((last_year && y > last_year) || PQgetisnull(res, r, cp))
            continue;
        if (o->lines && !literal_has(o->lines, PQgetvalue(res, r, cs)))
            continue;
        if (!first || y < first)
            first = y;
        if (y > last)
            last = y;
    }
    if (!first)
        return 1; /* no figure to draw */
    if (o->highlight_year > last)
        last = o->highlight_year;
    size_t nyears = (size_t)(last - first + 1);

    /* The series in the order of the rows: each new label goes after the
     * one before it in its year, so that a class missing in some years
     * keeps its place. */
    const char **label = calloc((size_t)rows + 1, sizeof *label);
    double *values = malloc(((size_t)rows + 1) * nyears * sizeof *values);
    int *ns = calloc(((size_t)rows + 1) * nyears, sizeof *ns);
    struct chart_series *series = calloc((size_t)rows + 1, sizeof *series);
    int rc = -1;
    if (!label || !values || !ns || !series)
        goto out;
    size_t n = 0;
    for (int r = 0; r < rows; r++) {
        const char *l = PQgetvalue(res, r, cs);
        if (last_year && atoi(PQgetvalue(res, r, cy)) > last_year)
            continue;
        if (o->lines && !literal_has(o->lines, l))
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
            if (strcmp(label[k], PQgetvalue(res, r, cs)) == 0) {
                values[k * nyears + (size_t)(y - first)] =
                    strtod(PQgetvalue(res, r, cp), NULL);
                ns[k * nyears + (size_t)(y - first)] =
                    cn >= 0 ? atoi(PQgetvalue(res, r, cn)) : 0;
            }
    }
    size_t spare = 0;
    for (size_t k = 0; k < n; k++) {
        series[k].values = &values[k * nyears];
        series[k].n = cn >= 0 ? &ns[k * nyears] : NULL;
        if (strcmp(label[k], "Alle") == 0) {
            series[k].label = o->selection && !o->lines
                ? L(lang, "Alle (the units selected)", "Alle (enhetene som er valgt)")
                : L(lang, "Alle (all units)", "Alle (alle enhetene)");
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

    char *note = NULL, *subtitle = NULL, *title = NULL, *small = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&note, &size);
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
    f = open_memstream(&subtitle, &size);
    if (f) {
        fprintf(f, "\xC2\xAB%s\xC2\xBB", ind->question);
        fclose(f);
    }
    f = open_memstream(&title, &size);
    if (f) {
        fputs(ind->chart_title[lang], f);
        if (o->title_suffix)
            fprintf(f, " \xE2\x80\x93 %s", o->title_suffix);
        fclose(f);
    }
    f = open_memstream(&small, &size);
    if (f) {
        fprintf(f, L(lang, "Open points: fewer than %d units (n).",
                     "Åpne punkter: færre enn %d enheter (n)."), CHART_SMALL_N);
        fclose(f);
    }
    if (!note || !subtitle || !title || !small) {
        rc = -1;
        goto done;
    }
    double y_max = 0;   /* a number's axis: up to its largest figure */
    for (size_t k = 0; ind->number && !o->weight_population && k < n * nyears; k++)
        if (!isnan(values[k]) && values[k] > y_max)
            y_max = values[k];
    if (ind->number && !o->weight_population && y_max <= 0)
        y_max = 1;
    struct chart chart = {
        .title = title,
        .y_max = y_max,
        .subtitle = subtitle,
        .y_label = o->weight_population
            ? L(lang, "% of the population", "% av befolkningen")
            : ind->y_label[lang],
        .x_label = L(lang, "Reporting year", "Rapporteringsår"),
        .legend_title = L(lang, "Size class", "Størrelsesgruppe"),
        .note = note,
        .first_year = first,
        .last_year = last,
        .highlight_year = o->highlight_year,
        .small_n = CHART_SMALL_N,
        .small_n_note = small,
        .inline_svg = o->inline_svg,
        .series = series,
        .nseries = n,
    };
    rc = chart_write_svg(out, &chart) != 0 ? -1 : 0;
done:
    free(note);
    free(subtitle);
    free(title);
    free(small);
out:
    free(label);
    free(values);
    free(ns);
    free(series);
    return rc;
}
