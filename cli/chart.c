/*
 * chart.c - the trend of one indicator as an SVG line chart, written with
 * fprintf: a title and the question, the y axis in percent, a tick per
 * year, a line per series and a legend (see chart.h).
 *
 * The layout is fixed in pixels (CHART_WIDTH x CHART_HEIGHT); text is
 * wrapped by counting characters, at a width that holds for DejaVu Sans and
 * the common sans-serif fonts.  Numbers are written with "%.1f" in the C
 * locale, which is248 never changes.
 */
#include "chart.h"

#include <math.h>
#include <string.h>

/* Okabe and Ito's palette without its yellow (too faint on white), and a
 * brown in its place. */
const char *const chart_palette[CHART_PALETTE_SIZE] = {
    "#e69f00", "#56b4e9", "#009e73", "#0072b2", "#d55e00", "#cc79a7",
    "#8c6d1f",
};
const char chart_total_colour[] = "#262626";

/* Layout, in pixels. */
enum {
    MARGIN = 20,
    TITLE_SIZE = 18,
    SUBTITLE_SIZE = 13,
    TEXT_SIZE = 12,
    NOTE_SIZE = 10,
    PLOT_LEFT = 72,
    PLOT_RIGHT = 588,
    PLOT_BOTTOM = 408,
    PLOT_PAD = 18, /* between the axis ends and the first and last year */
    LEGEND_LEFT = 612,
    LEGEND_CHARS = 20,
    MAX_SUBTITLE_LINES = 3,
    MAX_NOTE_LINES = 2
};

static const char text_colour[] = "#333333";
static const char axis_colour[] = "#8c8c8c";
static const char grid_colour[] = "#e3e3e3";
static const char band_colour[] = "#eef2f7";

/* Characters (not bytes) in s[0..n). */
static size_t chars(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            k++;
    return k;
}

static void escape_n(FILE *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        switch (ch) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&apos;", out); break;
        default:
            /* XML 1.0 has no place for the other C0 controls */
            if (ch >= 0x20 || ch == '\t' || ch == '\n')
                fputc(ch, out);
        }
    }
}

void chart_xml_escape(FILE *out, const char *s)
{
    escape_n(out, s, strlen(s));
}

/*
 * The next line of s when wrapped at max characters: its length in bytes
 * (*len) and where the line after it starts (returned; NULL at the end).
 * Breaks at spaces; a word longer than a line stands alone.
 */
static const char *wrap_line(const char *s, size_t max, size_t *len)
{
    while (*s == ' ')
        s++;
    if (!*s)
        return *len = 0, NULL;
    size_t end = 0, i = 0;
    while (s[i]) {
        size_t w = i;
        while (s[w] && s[w] != ' ')
            w++;
        if (end && chars(s, w) > max)
            break;
        end = w;
        i = w;
        while (s[i] == ' ')
            i++;
    }
    *len = end;
    return s + end;
}

/* Write s wrapped at max characters as <text> lines from baseline y, step
 * apart, at most max_lines (the last one ends in "…" when cut); returns the
 * baseline of the last line written (y - step when none). */
static double text_lines(FILE *out, const char *s, size_t max, int max_lines,
                         double x, double y, double step, const char *attrs)
{
    double last = y - step;
    const char *p = s;
    for (int line = 0; p && line < max_lines; line++) {
        size_t len;
        const char *next = wrap_line(p, max, &len);
        if (!len)
            break;
        while (*p == ' ')
            p++;
        fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" %s>", x, y, attrs);
        escape_n(out, p, len);
        if (line == max_lines - 1 && next && *next)
            fputs("\xE2\x80\xA6", out);
        fputs("</text>\n", out);
        last = y;
        y += step;
        p = next;
    }
    return last;
}

struct frame {
    double top, bottom, left, right;
    int first, last;
    double y_max;       /* the value at the top: 100 (percent) or c->y_max */
    int percent;        /* 1: values are percentages (written with %) */
};

static double x_of(const struct frame *f, int year)
{
    if (f->last == f->first)
        return (f->left + f->right) / 2;
    return f->left + PLOT_PAD +
           (f->right - f->left - 2 * PLOT_PAD) * (year - f->first) /
               (double)(f->last - f->first);
}

/* The top of an axis of numbers up to max: five steps of 1, 2, 2.5 or 5
 * times a power of ten. */
static double round_top(double max)
{
    double step = max / 5, unit = 1;
    while (unit * 10 <= step)
        unit *= 10;
    while (unit > step)
        unit /= 10;
    static const double nice[] = { 1, 2, 2.5, 5, 10 };
    for (size_t i = 0; i < sizeof nice / sizeof nice[0]; i++)
        if (nice[i] * unit >= step * (1 - 1e-9))
            return 5 * nice[i] * unit;
    return 50 * unit;
}

static double y_of(const struct frame *f, double v)
{
    if (v < 0)
        v = 0;
    if (v > f->y_max)
        v = f->y_max;
    return f->bottom - (f->bottom - f->top) * v / f->y_max;
}

static void axes(FILE *out, const struct chart *c, const struct frame *f)
{
    int n = c->last_year - c->first_year + 1;
    if (c->highlight_year >= c->first_year && c->highlight_year <= c->last_year) {
        /* a band a year wide (at most 36 px), inside the plot */
        double step = n > 1 ? x_of(f, f->first + 1) - x_of(f, f->first) : 36;
        if (step > 36)
            step = 36;
        double x = x_of(f, c->highlight_year);
        double from = x - step / 2 < f->left ? f->left : x - step / 2;
        double to = x + step / 2 > f->right ? f->right : x + step / 2;
        fprintf(out, "<rect class=\"highlight\" x=\"%.1f\" y=\"%.1f\" "
                     "width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>\n",
                from, f->top, to - from, f->bottom - f->top, band_colour);
    }

    /* grid lines and the y axis's labels, every fifth of the axis
     * (20 % for percentages) */
    for (int k = 0; k <= 5; k++) {
        double v = f->y_max * k / 5;
        double y = y_of(f, v);
        fprintf(out, "<line class=\"grid\" data-value=\"%g\" x1=\"%.1f\" "
                     "y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                     "stroke-width=\"1\"/>\n",
                v, f->left, y, f->right, y, k ? grid_colour : axis_colour);
        fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" "
                     "font-size=\"%d\">%g%s</text>\n",
                f->left - 8, y + 4, TEXT_SIZE, v, f->percent ? " %" : "");
    }
    fprintf(out, "<text transform=\"translate(%d %.1f) rotate(-90)\" "
                 "text-anchor=\"middle\" font-size=\"%d\">",
            MARGIN + 2, (f->top + f->bottom) / 2, TEXT_SIZE);
    chart_xml_escape(out, c->y_label ? c->y_label : "");
    fputs("</text>\n", out);

    /* a tick per year; a label on every year, or every 2nd or 5th when
     * they would crowd, clear of the markers at 0 %, which grow where
     * series have the same figure (up to 20 px for all eight of them) */
    int every = n <= 14 ? 1 : n <= 28 ? 2 : 5;
    for (int year = c->first_year; year <= c->last_year; year++) {
        double x = x_of(f, year);
        fprintf(out, "<line class=\"x-tick\" data-year=\"%d\" x1=\"%.1f\" "
                     "y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                     "stroke-width=\"1\"/>\n",
                year, x, f->bottom, x, f->bottom + 5, axis_colour);
        if ((year - c->first_year) % every == 0 || year == c->highlight_year)
            fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
                         "font-size=\"%d\"%s>%d</text>\n",
                    x, f->bottom + 32, TEXT_SIZE,
                    year == c->highlight_year ? " font-weight=\"bold\"" : "",
                    year);
    }
    fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
                 "font-size=\"%d\">",
            (f->left + f->right) / 2, f->bottom + 52, TEXT_SIZE);
    chart_xml_escape(out, c->x_label ? c->x_label : "");
    fputs("</text>\n", out);
}

/* 1 when series j is drawn after series k: the totals first, then the
 * others, each in their order. */
static int drawn_after(const struct chart *c, size_t k, size_t j)
{
    int tk = c->series[k].total != 0, tj = c->series[j].total != 0;
    return tk != tj ? tk : j > k;
}

/* 1 when two figures fall on the same spot (within 0.75 px). */
static int same_place(const struct frame *f, double a, double b)
{
    if (isnan(a) || isnan(b))
        return 0;
    double d = y_of(f, a) - y_of(f, b);
    return d < 0.75 && d > -0.75;
}

/*
 * How many series drawn after series k hide its figure of year index i
 * (segment 0) or its segment from i to i + 1 (segment 1).  Series k is drawn
 * that much larger there, by 1.25 px on each side per series (2 px for a
 * marker's radius): where several series have the same figures, each shows
 * as a ring or a stripe around the next.
 */
static int hidden_by(const struct chart *c, const struct frame *f, size_t k,
                     int i, int segment)
{
    const double *v = c->series[k].values;
    int n = 0;
    for (size_t j = 0; j < c->nseries; j++) {
        const double *w = c->series[j].values;
        if (j != k && drawn_after(c, k, j) && same_place(f, v[i], w[i]) &&
            (!segment || same_place(f, v[i + 1], w[i + 1])))
            n++;
    }
    return n;
}

static void series(FILE *out, const struct chart *c, const struct frame *f,
                   size_t k)
{
    const struct chart_series *s = &c->series[k];
    const char *colour = s->colour ? s->colour : "#000000";
    double width = s->total ? 6 : 2.5, radius = s->total ? 5.5 : 3.75;
    int n = c->last_year - c->first_year + 1;
    fputs("<g class=\"series\" data-label=\"", out);
    chart_xml_escape(out, s->label ? s->label : "");
    fprintf(out, "\" data-colour=\"%s\">\n", colour);

    /* the line, broken where a year has no figure; a path per run of
     * segments of one width */
    double open = 0; /* the width of the path open, 0: none */
    for (int i = 0; i + 1 < n; i++) {
        double a = s->values[i], b = s->values[i + 1];
        if (isnan(a) || isnan(b)) {
            if (open)
                fputs("\"/>\n", out);
            open = 0;
            continue;
        }
        double w = width + 2.5 * hidden_by(c, f, k, i, 1);
        if (w != open) {
            if (open)
                fputs("\"/>\n", out);
            fprintf(out, "<path fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\" "
                         "stroke-linejoin=\"round\" stroke-linecap=\"round\" "
                         "d=\"M%.1f %.1f",
                    colour, w, x_of(f, c->first_year + i), y_of(f, a));
            open = w;
        }
        fprintf(out, " L%.1f %.1f", x_of(f, c->first_year + i + 1), y_of(f, b));
    }
    if (open)
        fputs("\"/>\n", out);

    /* a marker per figure, with the figure and its n as its tooltip; a
     * figure of few units an open ring in the series' colour */
    for (int i = 0; i < n; i++) {
        double v = s->values[i];
        if (isnan(v))
            continue;
        double r = radius + 2 * hidden_by(c, f, k, i, 0);
        int hollow = s->n && c->small_n > 0 && s->n[i] < c->small_n;
        if (hollow)
            fprintf(out, "<circle class=\"small-n\" data-n=\"%d\" cx=\"%.1f\" "
                         "cy=\"%.1f\" r=\"%.2f\" fill=\"#ffffff\" stroke=\"%s\" "
                         "stroke-width=\"%.1f\"><title>",
                    s->n[i], x_of(f, c->first_year + i), y_of(f, v), r - 1.0,
                    colour, s->total ? 3.0 : 2.0);
        else if (s->n)
            fprintf(out, "<circle data-n=\"%d\" cx=\"%.1f\" cy=\"%.1f\" r=\"%.2f\" "
                         "fill=\"%s\" stroke=\"#ffffff\" stroke-width=\"%s\"><title>",
                    s->n[i], x_of(f, c->first_year + i), y_of(f, v), r, colour,
                    s->total ? "0" : "0.5");
        else
            fprintf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.2f\" fill=\"%s\" "
                         "stroke=\"#ffffff\" stroke-width=\"%s\"><title>",
                    x_of(f, c->first_year + i), y_of(f, v), r, colour,
                    s->total ? "0" : "0.5");
        chart_xml_escape(out, s->label ? s->label : "");
        fprintf(out, " %d: %.1f%s", c->first_year + i, v,
                f->percent ? " %" : "");
        if (s->n) {
            fputs(" (", out);
            chart_xml_escape(out, c->n_word ? c->n_word : "n");
            fprintf(out, " = %d)", s->n[i]);
        }
        fputs("</title></circle>\n", out);
    }
    fputs("</g>\n", out);
}

static void legend(FILE *out, const struct chart *c, const struct frame *f)
{
    double y = f->top + 4;
    fprintf(out, "<text x=\"%d\" y=\"%.1f\" font-size=\"%d\" "
                 "font-weight=\"bold\">",
            LEGEND_LEFT, y, TEXT_SIZE + 1);
    chart_xml_escape(out, c->legend_title ? c->legend_title : "");
    fputs("</text>\n", out);
    y += 24;
    /* the totals last, as in the tables */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < c->nseries; i++) {
            const struct chart_series *s = &c->series[i];
            if ((s->total != 0) != pass)
                continue;
            const char *colour = s->colour ? s->colour : "#000000";
            fprintf(out, "<g class=\"legend-entry\">\n"
                         "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" "
                         "stroke=\"%s\" stroke-width=\"%s\" "
                         "stroke-linecap=\"round\"/>\n"
                         "<circle cx=\"%d\" cy=\"%.1f\" r=\"%s\" fill=\"%s\" "
                         "stroke=\"#ffffff\" stroke-width=\"%s\"/>\n",
                    LEGEND_LEFT + 2, y - 4, LEGEND_LEFT + 28, y - 4, colour,
                    s->total ? "6" : "2.5", LEGEND_LEFT + 15, y - 4,
                    s->total ? "5.5" : "3.75", colour, s->total ? "0" : "0.5");
            double last = text_lines(out, s->label ? s->label : "",
                                     LEGEND_CHARS, 2, LEGEND_LEFT + 38, y,
                                     15, "font-size=\"12\"");
            fputs("</g>\n", out);
            y = (last > y ? last : y) + 24;
        }
}

/* 1 when some figure is drawn hollow. */
static int any_hollow(const struct chart *c)
{
    int n = c->last_year - c->first_year + 1;
    for (size_t k = 0; k < c->nseries; k++)
        for (int i = 0; c->series[k].n && c->small_n > 0 && i < n; i++)
            if (!isnan(c->series[k].values[i]) &&
                c->series[k].n[i] < c->small_n)
                return 1;
    return 0;
}

int chart_write_svg(FILE *out, const struct chart *c)
{
    if (!c->inline_svg)
        fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
    fprintf(out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
            "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
            "font-family=\"DejaVu Sans, Verdana, Arial, Helvetica, sans-serif\" "
            "fill=\"%s\">\n<title>",
            CHART_WIDTH, CHART_HEIGHT, CHART_WIDTH, CHART_HEIGHT, text_colour);
    chart_xml_escape(out, c->title ? c->title : "");
    fputs("</title>\n", out);
    if (c->subtitle) {
        fputs("<desc>", out);
        chart_xml_escape(out, c->subtitle);
        fputs("</desc>\n", out);
    }
    fprintf(out, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n",
            CHART_WIDTH, CHART_HEIGHT);

    /* title and question; the plot starts below them */
    double y = text_lines(out, c->title ? c->title : "",
                          (CHART_WIDTH - 2 * MARGIN) * 10 / (TITLE_SIZE * 6),
                          2, MARGIN, 30, 22,
                          "font-size=\"18\" font-weight=\"bold\"");
    if (c->subtitle)
        y = text_lines(out, c->subtitle,
                       (CHART_WIDTH - 2 * MARGIN) * 10 / (SUBTITLE_SIZE * 55 / 10),
                       MAX_SUBTITLE_LINES, MARGIN, y + 20, 16,
                       "font-size=\"13\" font-style=\"italic\" fill=\"#555555\"");
    struct frame f = {
        .top = y + 34, .bottom = PLOT_BOTTOM, .left = PLOT_LEFT,
        .right = PLOT_RIGHT, .first = c->first_year, .last = c->last_year,
        .y_max = c->y_max > 0 ? round_top(c->y_max) : 100,
        .percent = !(c->y_max > 0)
    };

    axes(out, c, &f);
    for (int pass = 1; pass >= 0; pass--)
        for (size_t i = 0; i < c->nseries; i++)
            if ((c->series[i].total != 0) == pass)
                series(out, c, &f, i);
    legend(out, c, &f);
    int hollow = c->small_n_note && any_hollow(c);
    if (hollow) {
        /* the footnote under the legend, an open ring as its key */
        fprintf(out, "<g class=\"small-n-note\">\n<circle cx=\"%d\" cy=\"%d\" "
                     "r=\"3.5\" fill=\"none\" stroke=\"%s\" "
                     "stroke-width=\"2\"/>\n",
                LEGEND_LEFT + 4, PLOT_BOTTOM + 16, text_colour);
        text_lines(out, c->small_n_note, 28, 3, LEGEND_LEFT + 14,
                   PLOT_BOTTOM + 20, 13, "font-size=\"10\" fill=\"#666666\"");
        fputs("</g>\n", out);
    }
    if (c->note)
        text_lines(out, c->note, (CHART_WIDTH - 2 * MARGIN) * 10 / (NOTE_SIZE * 55 / 10),
                   MAX_NOTE_LINES, MARGIN, CHART_HEIGHT - 20, 13,
                   "font-size=\"10\" fill=\"#666666\"");
    fputs("</svg>\n", out);
    return fflush(out) != 0 || ferror(out) ? -1 : 0;
}
