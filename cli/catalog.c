/*
 * catalog.c - the compiled-in catalogue and counties, parsed once (see
 * catalog.h).  The files are RFC 4180 CSV with a header row; fields are
 * found by the header's names, so a column added for SQL's sake does not
 * disturb the program.
 */
#include "catalog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "msg.h"
#include "transform/refdata.h"


/* ------------------------------------------------------------------------ */
/* Languages                                                                */

int lang_parse(const char *s, enum lang *out)
{
    if (strcmp(s, "nb") == 0)
        *out = LANG_NB;
    else if (strcmp(s, "en") == 0)
        *out = LANG_EN;
    else
        return -1;
    return 0;
}

enum lang lang_from_environment(void)
{
    static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *v = getenv(vars[i]);
        if (!v || !*v)
            continue;
        /* language[_territory][.codeset][@modifier] */
        size_t n = strcspn(v, "_.@");
        if (n == 2 && (strncmp(v, "nb", 2) == 0 || strncmp(v, "nn", 2) == 0 ||
                       strncmp(v, "no", 2) == 0))
            return LANG_NB;
        return LANG_EN;
    }
    return LANG_EN;
}

const char *lang_code(enum lang l)
{
    return l == LANG_NB ? "nb" : "en";
}

/* ------------------------------------------------------------------------ */
/* CSV                                                                      */

/* A parsed file: rows of fields, row 0 the header.  Strings are owned. */
struct csv {
    char ***row;
    int *nfields;
    int nrows;
};

static int csv_push(void **arr, int n, size_t size)
{
    void *p = realloc(*arr, (size_t)(n + 1) * size);
    if (!p)
        return -1;
    *arr = p;
    return 0;
}

/* RFC 4180: fields separated by commas, quoted with '"' (a quote inside
 * doubled) where they hold a comma, a quote or a line break; lines end in
 * LF or CRLF.  Returns 0, or -1 (out of memory, a quote not closed). */
static int csv_parse(const char *p, size_t len, struct csv *c)
{
    memset(c, 0, sizeof *c);
    const char *end = p + len;
    while (p < end) {
        char **fields = NULL;
        int n = 0;
        for (;;) {
            char *buf = malloc((size_t)(end - p) + 1);
            size_t k = 0;
            if (!buf)
                goto fail_row;
            if (p < end && *p == '"') {
                p++;
                for (;;) {
                    if (p >= end) {
                        free(buf);
                        goto fail_row;
                    }
                    if (*p == '"') {
                        if (p + 1 < end && p[1] == '"') {
                            buf[k++] = '"';
                            p += 2;
                            continue;
                        }
                        p++;
                        break;
                    }
                    buf[k++] = *p++;
                }
            }
            while (p < end && *p != ',' && *p != '\n' && *p != '\r')
                buf[k++] = *p++;
            buf[k] = '\0';
            if (csv_push((void **)&fields, n, sizeof *fields) != 0) {
                free(buf);
                goto fail_row;
            }
            fields[n++] = buf;
            if (p < end && *p == ',') {
                p++;
                continue;
            }
            if (p < end && *p == '\r')
                p++;
            if (p < end && *p == '\n')
                p++;
            break;
        }
        if (csv_push((void **)&c->row, c->nrows, sizeof *c->row) != 0 ||
            csv_push((void **)&c->nfields, c->nrows, sizeof *c->nfields) != 0) {
            for (int i = 0; i < n; i++)
                free(fields[i]);
            free(fields);
            return -1;
        }
        c->row[c->nrows] = fields;
        c->nfields[c->nrows++] = n;
        continue;
    fail_row:
        for (int i = 0; i < n; i++)
            free(fields[i]);
        free(fields);
        return -1;
    }
    return 0;
}

/* The index of the header's column name, or -1. */
static int csv_col(const struct csv *c, const char *name)
{
    if (c->nrows == 0)
        return -1;
    for (int i = 0; i < c->nfields[0]; i++)
        if (strcmp(c->row[0][i], name) == 0)
            return i;
    return -1;
}

/* Field name of row r, "" when empty; NULL when the file has no such
 * column or the row is short. */
static const char *csv_get(const struct csv *c, int r, const char *name)
{
    int k = csv_col(c, name);
    return k >= 0 && k < c->nfields[r] ? c->row[r][k] : NULL;
}

/* Parse the embedded file name, checking that it has the columns need
 * (NULL-terminated) and every row as many fields as the header. */
static int csv_load(const char *name, const char *const *need, struct csv *c)
{
    size_t len = 0;
    const char *text = refdata_find(name, &len);
    if (!text) {
        msg_error("the catalogue file '%s' is not compiled into the program",
                  name);
        return -1;
    }
    if (csv_parse(text, len, c) != 0) {
        msg_error("cannot read the catalogue file '%s': out of memory or a "
                  "quote not closed", name);
        return -1;
    }
    for (const char *const *k = need; *k; k++)
        if (csv_col(c, *k) < 0) {
            msg_error("the catalogue file '%s' has no column '%s'", name, *k);
            return -1;
        }
    for (int r = 1; r < c->nrows; r++)
        if (c->nfields[r] != c->nfields[0]) {
            msg_error("the catalogue file '%s', line %d: %d fields, the "
                      "header has %d", name, r + 1, c->nfields[r],
                      c->nfields[0]);
            return -1;
        }
    return 0;
}

/* ------------------------------------------------------------------------ */
/* The catalogue                                                            */

static struct {
    int loaded;          /* 1: ok, -1: failed (said once) */
    struct csv ind, col, label, county;
    struct indicator *indicators;
    int n;
    char names[512];
} cat;

static const char *nonempty(const char *s)
{
    return s && *s ? s : NULL;
}

static int load(void)
{
    if (cat.loaded)
        return cat.loaded > 0 ? 0 : -1;
    cat.loaded = -1;
    static const char *const ind_cols[] = {
        "name", "ord", "first_year", "function", "field", "n_column",
        "pct_column", "question", "title_nb", "title_en", "chart_title_nb",
        "chart_title_en", "y_label_nb", "y_label_en", "base_nb", "base_en",
        "note_nb", "note_en", NULL
    };
    static const char *const col_cols[] = {
        "indicator", "ord", "column_name", "type", "report", "label_nb",
        "label_en", "about_nb", "about_en", NULL
    };
    static const char *const label_cols[] = { "code", "language", "label",
                                              NULL };
    static const char *const county_cols[] = { "code", "name", "first_year",
                                               "last_year", NULL };
    if (csv_load("indicator.csv", ind_cols, &cat.ind) != 0 ||
        csv_load("indicator_column.csv", col_cols, &cat.col) != 0 ||
        csv_load("answer_label.csv", label_cols, &cat.label) != 0 ||
        csv_load("counties.csv", county_cols, &cat.county) != 0)
        return -1;
    int n = cat.ind.nrows - 1;
    if (n < 1 || n > CATALOG_MAX_INDICATORS) {
        msg_error("the catalogue has %d indicators (1 to %d)", n,
                  CATALOG_MAX_INDICATORS);
        return -1;
    }
    cat.indicators = calloc((size_t)n, sizeof *cat.indicators);
    if (!cat.indicators) {
        msg_error("out of memory");
        return -1;
    }
    /* the rows are in order of ord in the file; the program keeps it */
    for (int i = 0; i < n; i++) {
        struct indicator *d = &cat.indicators[i];
        const struct csv *c = &cat.ind;
        int r = i + 1;
        d->name = csv_get(c, r, "name");
        d->first_year = atoi(csv_get(c, r, "first_year"));
        d->function = csv_get(c, r, "function");
        d->field = nonempty(csv_get(c, r, "field"));
        d->n_column = csv_get(c, r, "n_column");
        d->pct_column = csv_get(c, r, "pct_column");
        d->question = csv_get(c, r, "question");
        static const char *const suffix[LANG_COUNT] = { "_nb", "_en" };
        for (int l = 0; l < LANG_COUNT; l++) {
            char k[32];
            snprintf(k, sizeof k, "title%s", suffix[l]);
            d->title[l] = csv_get(c, r, k);
            snprintf(k, sizeof k, "chart_title%s", suffix[l]);
            d->chart_title[l] = csv_get(c, r, k);
            snprintf(k, sizeof k, "y_label%s", suffix[l]);
            d->y_label[l] = csv_get(c, r, k);
            snprintf(k, sizeof k, "base%s", suffix[l]);
            d->base[l] = csv_get(c, r, k);
            snprintf(k, sizeof k, "note%s", suffix[l]);
            d->note[l] = csv_get(c, r, k);
        }
        int k = 0;
        for (int cr = 1; cr < cat.col.nrows; cr++)
            if (strcmp(csv_get(&cat.col, cr, "indicator"), d->name) == 0)
                k++;
        struct indicator_column *cols = calloc((size_t)(k ? k : 1),
                                               sizeof *cols);
        if (!cols) {
            msg_error("out of memory");
            return -1;
        }
        d->columns = cols;
        for (int cr = 1; cr < cat.col.nrows; cr++) {
            const struct csv *cc = &cat.col;
            if (strcmp(csv_get(cc, cr, "indicator"), d->name) != 0)
                continue;
            struct indicator_column *x = &cols[d->ncolumns++];
            const char *type = csv_get(cc, cr, "type");
            x->name = csv_get(cc, cr, "column_name");
            x->type = strcmp(type, "pct") == 0    ? COL_PCT
                      : strcmp(type, "text") == 0 ? COL_TEXT
                                                  : COL_INT;
            x->report = strcmp(csv_get(cc, cr, "report"), "1") == 0;
            x->label[LANG_NB] = csv_get(cc, cr, "label_nb");
            x->label[LANG_EN] = csv_get(cc, cr, "label_en");
            x->about[LANG_NB] = csv_get(cc, cr, "about_nb");
            x->about[LANG_EN] = csv_get(cc, cr, "about_en");
        }
        if (!indicator_column(d, "year") || !indicator_column(d, "size_class") ||
            !indicator_column(d, d->n_column) ||
            !indicator_column(d, d->pct_column)) {
            msg_error("the catalogue's indicator '%s' lacks the column year, "
                      "size_class, '%s' or '%s'", d->name, d->n_column,
                      d->pct_column);
            return -1;
        }
        size_t used = strlen(cat.names);
        snprintf(cat.names + used, sizeof cat.names - used, "%s%s",
                 i ? ", " : "", d->name);
    }
    cat.n = n;
    cat.loaded = 1;
    return 0;
}

const struct indicator *catalog_indicators(int *n)
{
    if (load() != 0)
        return NULL;
    *n = cat.n;
    return cat.indicators;
}

const struct indicator *catalog_indicator(const char *s, size_t len)
{
    if (load() != 0)
        return NULL;
    for (int i = 0; i < cat.n; i++)
        if (strlen(cat.indicators[i].name) == len &&
            strncmp(cat.indicators[i].name, s, len) == 0)
            return &cat.indicators[i];
    return NULL;
}

const struct indicator_column *indicator_column(const struct indicator *ind,
                                                const char *name)
{
    for (int i = 0; i < ind->ncolumns; i++)
        if (strcmp(ind->columns[i].name, name) == 0)
            return &ind->columns[i];
    return NULL;
}

const char *catalog_indicator_names(void)
{
    return load() == 0 ? cat.names : "";
}

const char *catalog_answer_label(const char *code, enum lang l)
{
    if (load() != 0)
        return code;
    for (int r = 1; r < cat.label.nrows; r++)
        if (strcmp(csv_get(&cat.label, r, "code"), code) == 0 &&
            strcmp(csv_get(&cat.label, r, "language"), lang_code(l)) == 0)
            return csv_get(&cat.label, r, "label");
    return code;
}

/* ------------------------------------------------------------------------ */
/* Counties                                                                 */

/* s[0..len) case-folded and composed (NFC), owned; NULL when it is not
 * UTF-8 or memory ran out. */
static char *fold(const char *s, size_t len)
{
    utf8proc_uint8_t *out = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s,
                                      (utf8proc_ssize_t)len, &out,
                                      UTF8PROC_STABLE | UTF8PROC_COMPOSE |
                                          UTF8PROC_CASEFOLD);
    if (n < 0)
        return NULL;
    return (char *)out;
}

int catalog_county(const char *s, size_t len, char code[3], const char **name)
{
    if (len == 2 && s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9') {
        memcpy(code, s, 2);
        code[2] = '\0';
        *name = catalog_county_name(code, 0);
        return 0;
    }
    if (load() != 0)
        return -1;
    char *want = fold(s, len);
    if (!want)
        return -1;
    int best = -1;
    for (int r = 1; r < cat.county.nrows; r++) {
        const char *n = csv_get(&cat.county, r, "name");
        char *have = fold(n, strlen(n));
        int same = have && strcmp(have, want) == 0;
        free(have);
        if (!same)
            continue;
        /* the county of today, else the latest */
        const char *last = csv_get(&cat.county, r, "last_year");
        if (best < 0)
            best = r;
        else {
            const char *best_last = csv_get(&cat.county, best, "last_year");
            if (*best_last && (!*last || atoi(last) > atoi(best_last)))
                best = r;
        }
    }
    free(want);
    if (best < 0)
        return -1;
    snprintf(code, 3, "%s", csv_get(&cat.county, best, "code"));
    *name = csv_get(&cat.county, best, "name");
    return 0;
}

const char *catalog_county_name(const char *code, int year)
{
    if (load() != 0)
        return NULL;
    const char *found = NULL;
    int found_first = -1;
    for (int r = 1; r < cat.county.nrows; r++) {
        if (strcmp(csv_get(&cat.county, r, "code"), code) != 0)
            continue;
        int first = atoi(csv_get(&cat.county, r, "first_year"));
        const char *last = csv_get(&cat.county, r, "last_year");
        if (year ? (year >= first && (!*last || year <= atoi(last)))
                 : first > found_first) {
            found = csv_get(&cat.county, r, "name");
            found_first = first;
        }
    }
    return found;
}
