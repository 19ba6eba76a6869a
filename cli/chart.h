/*
 * chart.h - a line chart of percentages over the years, as one
 * self-contained SVG document: the trend of one indicator, a line per size
 * class and a wider, darker line for the total ('Alle').
 *
 * A pure function from figures to text: chart_write_svg() reads nothing but
 * its argument and writes nothing but its stream, so that it can be tested
 * without a database.  The caller owns every string and array in struct
 * chart; none is kept after the call.
 */
#ifndef IS248_CLI_CHART_H
#define IS248_CLI_CHART_H

#include <stddef.h>
#include <stdio.h>

/* The SVG's size in pixels (width, height and viewBox). */
#define CHART_WIDTH 800
#define CHART_HEIGHT 500

/* Colours of the lines (#rrggbb): CHART_PALETTE_SIZE distinct ones that
 * stay apart for the common kinds of colour blindness, and one for the
 * total. */
#define CHART_PALETTE_SIZE 7
extern const char *const chart_palette[CHART_PALETTE_SIZE];
extern const char chart_total_colour[];

struct chart_series {
    const char *label;    /* legend text (UTF-8; escaped when written) */
    const char *colour;   /* "#rrggbb" (chart_palette[i]); NULL: black */
    const double *values; /* one per year, first_year to last_year, in
                           * percent (or numbers: chart.y_max); NAN
                           * where there is no figure */
    int total;            /* 1: the total line, drawn wide beneath the
                           * others so that a line equal to it shows
                           * inside it */
    const int *n;         /* one per year: the units behind each figure,
                           * shown on hover; NULL: not known */
};

struct chart {
    const char *title;        /* first line, bold */
    const char *subtitle;     /* smaller, wrapped: the question as on the
                               * form; NULL: none */
    const char *y_label;      /* the y axis, e.g. "% of units answering yes" */
    const char *x_label;      /* the x axis, e.g. "Reporting year" */
    const char *legend_title; /* above the legend, e.g. "Size class" */
    const char *note;         /* small print at the foot (source, what was
                               * selected); NULL: none */
    int first_year, last_year; /* the x axis; first_year <= last_year */
    int highlight_year;       /* a year marked by a band; 0: none */
    int small_n;              /* a figure of fewer units (chart_series.n)
                               * is drawn hollow; 0: none is */
    const char *small_n_note; /* said at the foot when a figure is hollow
                               * ("Hollow points: fewer than 20 units") */
    const char *n_word;       /* in the tooltip: "n"; NULL: "n" */
    int inline_svg;           /* 1: no XML declaration, for inclusion in
                               * an HTML document */
    double y_max;             /* 0: the values are percentages, the axis
                               * 0-100 %; else numbers (no %), the axis
                               * from 0 to a round value at least y_max */
    const struct chart_series *series;
    size_t nseries;
};

/*
 * Write c to out as an SVG document of CHART_WIDTH x CHART_HEIGHT pixels:
 * the y axis 0-100 % with grid lines every 20 % (or, with y_max, 0 to a
 * round number at least y_max, a grid line every fifth), a tick per year,
 * the lines (broken where a year has no figure) with a marker per figure,
 * and a legend.  Values are clamped to the axis.  Each figure's marker has a
 * tooltip (<title>) with the series, the year, the figure and its n; a
 * figure of fewer than small_n units is an open ring, and small_n_note is
 * added to the note.  out is flushed.  Returns 0, or
 * -1 when writing to out failed (fflush, ferror); it cannot fail otherwise.
 *
 * For tests and tools the document names its geometry: each grid line
 * carries data-value (percent), each year tick data-year, each series group
 * data-label and data-colour.
 */
int chart_write_svg(FILE *out, const struct chart *c);

/* Write s to out with &, <, >, " and ' as XML entities and control
 * characters other than tab and newline left out. */
void chart_xml_escape(FILE *out, const char *s);

#endif
