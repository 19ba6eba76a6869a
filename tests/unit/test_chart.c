/*
 * test_chart.c - chart_write_svg() without a database: what it writes is
 * read back with libxml2 (well-formed, names and labels as given, however
 * hostile), and the geometry is checked against the chart's own axes:
 * figures on their grid lines and year ticks, clamped to 0-100 %, lines
 * broken at missing years, the total drawn first, a series hidden by an
 * equal one drawn larger; n on every point and open rings below small_n,
 * with a footnote; escaping, wrapping, and a write error.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "check.h"
#include "chart.h"

/* s escaped by chart_xml_escape (static buffer). */
static const char *escaped(const char *s)
{
    static char out[256];
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    if (!f)
        return "<no memory>";
    chart_xml_escape(f, s);
    fclose(f);
    snprintf(out, sizeof out, "%s", buf);
    free(buf);
    return out;
}

static void test_escape(void)
{
    CHECK_STR(escaped("plain æøå"), "plain æøå");
    CHECK_STR(escaped("<2000"), "&lt;2000");
    CHECK_STR(escaped("a&b<c>d\"e'f"), "a&amp;b&lt;c&gt;d&quot;e&apos;f");
    CHECK_STR(escaped("bell\a esc\x1b cr\r tab\t nl\n"), "bell esc cr tab\t nl\n");
    CHECK_STR(escaped(""), "");
}

static xmlXPathContextPtr ctx;

/* The string value of an XPath expression (static buffer). */
static const char *str(const char *expr)
{
    static char out[1024];
    xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, ctx);
    xmlChar *s = o ? xmlXPathCastToString(o) : NULL;
    snprintf(out, sizeof out, "%s", s ? (const char *)s : "<no such>");
    xmlFree(s);
    xmlXPathFreeObject(o);
    return out;
}

static double num(const char *expr)
{
    xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, ctx);
    double v = o ? xmlXPathCastToNumber(o) : NAN;
    xmlXPathFreeObject(o);
    return v;
}

#define CHECK_NEAR(got, want)                                                  \
    do {                                                                       \
        double g2_ = (got), w2_ = (want);                                      \
        check_report(fabs(g2_ - w2_) < 0.11, __FILE__, __LINE__,               \
                     #got " ~ " #want);                                        \
        if (!(fabs(g2_ - w2_) < 0.11))                                         \
            fprintf(stderr, "    got:  %g\n    want: %g\n", g2_, w2_);         \
    } while (0)

static void test_chart(void)
{
    static const char hostile[] = "A<&>\"' \x01label";
    const double a[] = { 10, 20, NAN, 150, -5 };
    const double total[] = { 50, 50, 50, 50, 50 };
    const double b[] = { 70, 70, 70, NAN, NAN };
    const struct chart_series series[] = {
        { hostile, chart_palette[0], a, 0, NULL },
        { "B", chart_palette[1], b, 0, NULL },
        { "C", chart_palette[2], b, 0, NULL },
        { "Alle & co", chart_total_colour, total, 1, NULL },
    };
    char subtitle[600];
    memset(subtitle, 0, sizeof subtitle);
    for (int i = 0; i < 60; i++)
        strcat(subtitle, "ordet123 ");
    struct chart c = {
        .title = "Title <with> & \"marks\"",
        .subtitle = subtitle,
        .y_label = "% yes",
        .x_label = "Year",
        .legend_title = "Size class",
        .note = "Note",
        .first_year = 2000,
        .last_year = 2004,
        .highlight_year = 2004,
        .series = series,
        .nseries = 4,
    };

    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    CHECK(f != NULL);
    if (!f)
        return;
    CHECK_INT(chart_write_svg(f, &c), 0);
    fclose(f);

    xmlDocPtr doc = xmlReadMemory(buf, (int)size, "chart.svg", "UTF-8",
                                  XML_PARSE_NONET);
    CHECK(doc != NULL); /* well-formed */
    if (!doc) {
        free(buf);
        return;
    }
    ctx = xmlXPathNewContext(doc);
    xmlXPathRegisterNs(ctx, BAD_CAST "s", BAD_CAST "http://www.w3.org/2000/svg");

    CHECK_STR(str("/s:svg/@width"), "800");
    CHECK_STR(str("/s:svg/@height"), "500");
    CHECK_STR(str("/s:svg/s:title"), "Title <with> & \"marks\"");
    CHECK_STR(str("/s:svg/s:desc"), subtitle);
    /* the long subtitle: at most 3 lines, the last cut with an ellipsis */
    CHECK_INT(num("count(//s:text[@font-style='italic'])"), 3);
    CHECK(strstr(str("(//s:text[@font-style='italic'])[3]"), "\xE2\x80\xA6") != NULL);

    /* the total first, then the others in order; labels as given, less
     * the control character */
    CHECK_INT(num("count(//s:g[@class='series'])"), 4);
    CHECK_STR(str("(//s:g[@class='series'])[1]/@data-label"), "Alle & co");
    CHECK_STR(str("(//s:g[@class='series'])[2]/@data-label"), "A<&>\"' label");
    CHECK_STR(str("(//s:g[@class='series'])[2]/@data-colour"), chart_palette[0]);
    CHECK_STR(str("(//s:g[@class='legend-entry'])[1]/s:text"), "A<&>\"' label");
    CHECK_STR(str("(//s:g[@class='legend-entry'])[4]/s:text"), "Alle & co");

    /* the axes */
    CHECK_INT(num("count(//s:line[@class='grid'])"), 6);
    CHECK_INT(num("count(//s:line[@class='x-tick'])"), 5);
    double y0 = num("//s:line[@class='grid'][@data-value='0']/@y1");
    double y100 = num("//s:line[@class='grid'][@data-value='100']/@y1");
    double y20 = num("//s:line[@class='grid'][@data-value='20']/@y1");
    CHECK(y0 > y100);
    CHECK_NEAR(y20, y0 + (y100 - y0) * 0.2);

    /* series A: 10 and 20 joined; 2002 missing; 150 and -5 clamped, joined */
    CHECK_INT(num("count((//s:g[@class='series'])[2]/s:circle)"), 4);
    CHECK_INT(num("count((//s:g[@class='series'])[2]/s:path)"), 2);
    CHECK_NEAR(num("(//s:g[@class='series'])[2]/s:circle[1]/@cy"), y0 + (y100 - y0) * 0.1);
    CHECK_NEAR(num("(//s:g[@class='series'])[2]/s:circle[3]/@cy"), y100);
    CHECK_NEAR(num("(//s:g[@class='series'])[2]/s:circle[4]/@cy"), y0);
    CHECK_NEAR(num("(//s:g[@class='series'])[2]/s:circle[3]/@cx"),
               num("//s:line[@data-year='2003']/@x1"));
    CHECK_STR(str("(//s:g[@class='series'])[2]/s:circle[3]/s:title"),
              "A<&>\"' label 2003: 150.0 %");

    /* B and C have the same figures: B, drawn first, is larger, so that it
     * shows around C; where they differ (none here) both are as usual */
    CHECK_NEAR(num("(//s:g[@class='series'])[3]/s:circle[1]/@r"), 5.75);
    CHECK_NEAR(num("(//s:g[@class='series'])[4]/s:circle[1]/@r"), 3.75);
    CHECK(num("(//s:g[@class='series'])[3]/s:path/@stroke-width") >
          num("(//s:g[@class='series'])[4]/s:path/@stroke-width"));
    /* the total is not hidden by anyone: its own size */
    CHECK_NEAR(num("(//s:g[@class='series'])[1]/s:circle[1]/@r"), 5.5);

    /* the highlighted year: a band inside the plot */
    CHECK_INT(num("count(//s:rect[@class='highlight'])"), 1);
    CHECK(num("//s:rect[@class='highlight']/@x") +
              num("//s:rect[@class='highlight']/@width") <=
          num("//s:line[@data-value='0']/@x2") + 0.05);

    xmlXPathFreeContext(ctx);
    xmlFreeDoc(doc);
    free(buf);
}

static void test_one_year_no_series(void)
{
    /* one year, no series: still a document, the tick in the middle */
    struct chart c = { .title = "t", .first_year = 2020, .last_year = 2020 };
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    CHECK(f != NULL);
    if (!f)
        return;
    CHECK_INT(chart_write_svg(f, &c), 0);
    fclose(f);
    xmlDocPtr doc = xmlReadMemory(buf, (int)size, "c.svg", "UTF-8", XML_PARSE_NONET);
    CHECK(doc != NULL);
    if (doc) {
        ctx = xmlXPathNewContext(doc);
        xmlXPathRegisterNs(ctx, BAD_CAST "s", BAD_CAST "http://www.w3.org/2000/svg");
        CHECK_NEAR(num("//s:line[@class='x-tick']/@x1"),
                   (num("//s:line[@data-value='0']/@x1") +
                    num("//s:line[@data-value='0']/@x2")) / 2);
        xmlXPathFreeContext(ctx);
        xmlFreeDoc(doc);
    }
    free(buf);
}

/* n per point: its tooltip; open rings below small_n and the footnote;
 * without n, filled and no footnote; inline_svg: no XML declaration. */
static void test_small_n(void)
{
    const double v[] = { 10, NAN, 30, 40 };
    const int n[] = { 19, 0, 20, 3 };
    const struct chart_series s[] = {
        { "Oslo bydel", chart_palette[6], v, 0, n },
        { "Alle", chart_total_colour, v, 1, NULL },
    };
    for (int inl = 0; inl < 2; inl++) {
        struct chart c = { .title = "t", .first_year = 2020, .last_year = 2023,
                           .series = s, .nseries = 2, .small_n = 20,
                           .small_n_note = "Open points: fewer than 20 units (n).",
                           .n_word = "n", .inline_svg = inl };
        char *buf = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&buf, &size);
        CHECK(f != NULL);
        if (!f)
            return;
        CHECK_INT(chart_write_svg(f, &c), 0);
        fclose(f);
        CHECK_INT(strncmp(buf, "<?xml", 5) == 0, !inl);
        xmlDocPtr doc = xmlReadMemory(buf, (int)size, "c.svg", "UTF-8", XML_PARSE_NONET);
        CHECK(doc != NULL);
        if (doc) {
            ctx = xmlXPathNewContext(doc);
            xmlXPathRegisterNs(ctx, BAD_CAST "s", BAD_CAST "http://www.w3.org/2000/svg");
            /* 19 and 3 open, 20 filled; the missing year no point */
            CHECK_NEAR(num("count(//s:g[@data-label='Oslo bydel']/s:circle)"), 3);
            CHECK_NEAR(num("count(//s:g[@data-label='Oslo bydel']/s:circle[@class='small-n'])"), 2);
            CHECK_STR(str("//s:g[@data-label='Oslo bydel']/s:circle[@data-n='19']/@class"), "small-n");
            CHECK_STR(str("//s:g[@data-label='Oslo bydel']/s:circle[@data-n='19']/@fill"), "#ffffff");
            CHECK_STR(str("//s:g[@data-label='Oslo bydel']/s:circle[@data-n='19']/@stroke"),
                      chart_palette[6]);
            CHECK_STR(str("//s:g[@data-label='Oslo bydel']/s:circle[@data-n='20']/@class"), "");
            CHECK_STR(str("//s:g[@data-label='Oslo bydel']/s:circle[@data-n='20']/s:title"),
                      "Oslo bydel 2022: 30.0 % (n = 20)");
            CHECK_STR(str("//s:g[@data-label='Oslo bydel']/s:circle[@data-n='3']/s:title"),
                      "Oslo bydel 2023: 40.0 % (n = 3)");
            /* a series without n: filled, its tooltip without one */
            CHECK_NEAR(num("count(//s:g[@data-label='Alle']/s:circle[@class='small-n'])"), 0);
            CHECK_STR(str("//s:g[@data-label='Alle']/s:circle[1]/s:title"), "Alle 2020: 10.0 %");
            CHECK(strstr(str("//s:g[@class='small-n-note']"), "Open points: fewer") != NULL);
            xmlXPathFreeContext(ctx);
            xmlFreeDoc(doc);
        }
        free(buf);
    }
    /* no open point: no footnote */
    const int big[] = { 20, 20, 20, 20 };
    const struct chart_series one = { "x", NULL, v, 0, big };
    struct chart c = { .title = "t", .first_year = 2020, .last_year = 2023,
                       .series = &one, .nseries = 1, .small_n = 20,
                       .small_n_note = "Open points" };
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    if (f) {
        CHECK_INT(chart_write_svg(f, &c), 0);
        fclose(f);
        CHECK(strstr(buf, "small-n") == NULL);
        free(buf);
    }
}

static void test_write_error(void)
{
    FILE *f = fopen("/dev/full", "w");
    if (!f)
        return; /* not on Linux */
    const double v[] = { 1, 2, 3 };
    const struct chart_series s = { "x", NULL, v, 0, NULL };
    struct chart c = { .title = "t", .first_year = 2000, .last_year = 2002,
                       .series = &s, .nseries = 1 };
    CHECK_INT(chart_write_svg(f, &c), -1);
    fclose(f);
}

int main(void)
{
    test_escape();
    test_chart();
    test_one_year_no_series();
    test_small_n();
    test_write_error();
    xmlCleanupParser();
    return check_done();
}
