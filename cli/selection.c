/*
 * selection.c - the selection of "is248 trends", "report", "export" and
 * "demo" (cli.h): --years, --size-class and --county read into the arrays
 * the trend functions take, checked and named before anything is queried;
 * and cli_list_each(), the reader of comma-separated option values.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "cli.h"
#include "msg.h"

int cli_list_each(const struct cli_list *l, void *ctx,
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

/* A county: a code or a name (catalog_county()); its code goes into the
 * array literal, and "Name (code)" into the description. */
struct county_ctx {
    FILE *codes, *text, *names;
};

static int county_part(void *ctx, const char *item, const char *s, size_t len)
{
    struct county_ctx *x = ctx;
    char code[3];
    const char *name = NULL;
    if (catalog_county(s, len, code, &name) != 0) {
        msg_error("invalid --county '%s': '%.*s' is neither a county code "
                  "(two digits, as in report_current.county_code) nor the "
                  "name of a county (such as Vestland, or 46)", item,
                  (int)len, s);
        return EXIT_USAGE;
    }
    int first = ftell(x->codes) <= 1;
    fprintf(x->codes, "%s\"%s\"", first ? "" : ",", code);
    if (name) {
        fprintf(x->text, "%s%s (%s)", first ? "" : ", ", name, code);
        fprintf(x->names, "%s%s", first ? "" : ", ", name);
    } else {
        fprintf(x->text, "%s%s", first ? "" : ", ", code);
        fprintf(x->names, "%s%s", first ? "" : ", ", code);
    }
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
    *rc = cli_list_each(l, out, part);
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

/* --size-class: 1 when 'Alle' is among the classes. */
static int lists_total(const struct cli_list *l)
{
    for (int i = 0; i < l->n; i++) {
        const char *p = l->item[i];
        for (;;) {
            size_t len = strcspn(p, ",");
            const char *q = p;
            size_t k = len;
            while (k && *q == ' ')
                q++, k--;
            while (k && q[k - 1] == ' ')
                k--;
            if (k == 4 && strncmp(q, "Alle", 4) == 0)
                return 1;
            if (!p[len])
                break;
            p += len + 1;
        }
    }
    return 0;
}

int trend_selection_parse(const struct cli *c, struct trend_selection *sel)
{
    memset(sel, 0, sizeof *sel);
    int rc = EXIT_OK;
    char *counties_text = NULL;
    sel->years = array_literal(&c->years, year_part, &rc);
    if (rc == EXIT_OK) {
        char *classes = array_literal(&c->size_classes, size_class_part, &rc);
        /* with 'Alle' the classes say what to show, not what to count */
        if (classes && lists_total(&c->size_classes))
            sel->shown = classes;
        else
            sel->size_classes = classes;
    }
    if (rc == EXIT_OK && c->counties.n) {
        size_t s1 = 0, s2 = 0, s3 = 0;
        struct county_ctx x = { open_memstream(&sel->counties, &s1),
                                open_memstream(&counties_text, &s2),
                                open_memstream(&sel->county_names, &s3) };
        if (x.codes && x.text && x.names) {
            fputc('{', x.codes);
            rc = cli_list_each(&c->counties, &x, county_part);
            fputc('}', x.codes);
        } else
            rc = EXIT_INTERNAL;
        int bad = (x.codes && fclose(x.codes) != 0) |
                  (x.text && fclose(x.text) != 0) |
                  (x.names && fclose(x.names) != 0);
        if (rc == EXIT_OK && bad)
            rc = EXIT_INTERNAL;
    }
    enum lang lang;
    if (rc == EXIT_OK)
        rc = cli_lang(c, &lang);
    if (rc == EXIT_OK && (c->years.n || c->size_classes.n || c->counties.n)) {
        size_t size = 0;
        FILE *out = open_memstream(&sel->text, &size);
        if (!out)
            rc = EXIT_INTERNAL;
        else {
            list_text(out, L(lang, "years", "år"), &c->years);
            list_text(out, L(lang, "size classes", "størrelsesgrupper"),
                      &c->size_classes);
            if (counties_text)
                fprintf(out, "%s%s %s", ftell(out) > 0 ? "; " : "",
                        L(lang, "counties", "fylker"), counties_text);
            if (fclose(out) != 0)
                rc = EXIT_INTERNAL;
        }
    }
    if (rc == EXIT_INTERNAL)
        msg_error("out of memory");
    free(counties_text);
    if (rc != EXIT_OK)
        trend_selection_free(sel);
    return rc;
}

void trend_selection_free(struct trend_selection *sel)
{
    free(sel->years);
    free(sel->size_classes);
    free(sel->counties);
    free(sel->shown);
    free(sel->text);
    free(sel->county_names);
    memset(sel, 0, sizeof *sel);
}
