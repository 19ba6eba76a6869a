/*
 * catalog.c - the compiled-in catalogue and counties, parsed once (see
 * catalog.h).  The files are RFC 4180 CSV with a header row; fields are
 * found by the header's names, so a column added for SQL's sake does not
 * disturb the program.
 */
#include "catalog.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "msg.h"
#include "transform/codes.h"
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
/* CSV: transform/refdata.h's reader of the catalogue                       */

#define csv refdata_rows
#define csv_get refdata_rows_get

/* Parse the embedded file name with the columns need (NULL-terminated);
 * -1 after a message. */
static int csv_load(const char *name, const char *const *need, struct csv *c)
{
    char why[512];
    if (refdata_rows_load(name, need, c, why, sizeof why) != 0) {
        msg_error("%s", why);
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------------ */
/* The catalogue                                                            */

static struct {
    int loaded;          /* 1: ok, -1: failed (said once) */
    struct csv ind, col, label, county, qcol;
    struct indicator *indicators;
    int n;
    char names[512];
    struct indicator *questions[CODES_MAX_QUESTIONS]; /* made on demand */
} cat;

static const char *nonempty(const char *s)
{
    return s && *s ? s : NULL;
}

static enum column_type column_type(const char *type)
{
    return strcmp(type, "pct") == 0    ? COL_PCT
           : strcmp(type, "num") == 0  ? COL_NUM
           : strcmp(type, "text") == 0 ? COL_TEXT
                                       : COL_INT;
}

/* Indicator d from row r of indicator.csv, its columns from
 * indicator_column.csv; 0, or -1 after a message. */
static int indicator_of_row(struct indicator *d, int r)
{
    const struct csv *c = &cat.ind;
    d->name = csv_get(c, r, "name");
    const struct question *q = codes_question_key(csv_get(c, r,
                                                          "question_key"));
    if (!q) {
        msg_error("the catalogue's indicator '%s' has no question '%s' "
                  "(question.csv)%s%s", d->name,
                  csv_get(c, r, "question_key"),
                  codes_error() ? ": " : "",
                  codes_error() ? codes_error() : "");
        return -1;
    }
    d->first_year = q->first_year;
    d->question = q->text[LANG_NB];
    d->function = csv_get(c, r, "function");
    d->field = nonempty(csv_get(c, r, "field"));
    d->n_column = csv_get(c, r, "n_column");
    d->pct_column = csv_get(c, r, "pct_column");
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
        x->name = csv_get(cc, cr, "column_name");
        x->type = column_type(csv_get(cc, cr, "type"));
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
    return 0;
}

static int load(void)
{
    if (cat.loaded)
        return cat.loaded > 0 ? 0 : -1;
    cat.loaded = -1;
    static const char *const ind_cols[] = {
        "name", "ord", "question_key", "function", "field", "n_column",
        "pct_column", "title_nb", "title_en", "chart_title_nb",
        "chart_title_en", "y_label_nb", "y_label_en", "base_nb", "base_en",
        "note_nb", "note_en", NULL
    };
    static const char *const col_cols[] = {
        "indicator", "ord", "column_name", "type", "report", "label_nb",
        "label_en", "about_nb", "about_en", NULL
    };
    static const char *const label_cols[] = { "value", "label_nb",
                                              "label_en", NULL };
    static const char *const qcol_cols[] = {
        "function", "ord", "column_name", "type", "report", "label_nb",
        "label_en", "about_nb", "about_en", NULL
    };
    static const char *const county_cols[] = { "code", "name", "first_year",
                                               "last_year", NULL };
    if (csv_load("indicator.csv", ind_cols, &cat.ind) != 0 ||
        csv_load("indicator_column.csv", col_cols, &cat.col) != 0 ||
        csv_load("answer_code.csv", label_cols, &cat.label) != 0 ||
        csv_load("question_column.csv", qcol_cols, &cat.qcol) != 0 ||
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
        if (indicator_of_row(d, i + 1) != 0)
            return -1;
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
        if (strcmp(csv_get(&cat.label, r, "value"), code) == 0)
            return csv_get(&cat.label, r, l == LANG_NB ? "label_nb"
                                                       : "label_en");
    return code;
}

/* ------------------------------------------------------------------------ */
/* Indicators of any question of the form (--question)                      */

/* s[0..len) as a string in buf (size 64); NULL when longer. */
static const char *copy_word(const char *s, size_t len, char *buf)
{
    if (len >= 64)
        return NULL;
    memcpy(buf, s, len);
    buf[len] = '\0';
    return buf;
}

const struct question *catalog_find_question(const char *s, size_t len)
{
    char w[64];
    if (!copy_word(s, len, w) || codes_count() == 0)
        return NULL;
    const struct question *q = codes_question_key(w);
    if (!q)
        q = codes_question_v2(w);
    if (!q)
        q = codes_question_v1(w);
    return q;
}

const char *catalog_question_names(void)
{
    static char names[2048];
    if (names[0])
        return names;
    for (int i = 0; i < codes_count(); i++) {
        const struct question *q = codes_question(i);
        if (q->type == ANSWER_TEXT)
            continue;
        size_t used = strlen(names);
        snprintf(names + used, sizeof names - used, "%s%s", used ? ", " : "",
                 q->key);
    }
    return names;
}

/* "yes" or "very good or good": the labels in l of the values counted in
 * the question's share, joined; into buf. */
static void share_words(const struct question *q, enum lang l, char *buf,
                        size_t size)
{
    buf[0] = '\0';
    const char *seen[CODES_MAX_CODES * 2];
    int nseen = 0;
    for (int v = REPORT_V1; v <= REPORT_V2; v++) {
        const struct code_list *list = q->list[v];
        for (int k = 0; list && k < list->n; k++) {
            const struct answer_code *c = &list->code[k];
            const char *value = c->implies ? c->implies : c->value;
            if (!c->share)
                continue;
            int dup = 0;
            for (int i = 0; i < nseen; i++)
                dup |= strcmp(seen[i], value) == 0;
            if (dup || nseen == CODES_MAX_CODES * 2)
                continue;
            seen[nseen++] = value;
            size_t used = strlen(buf);
            snprintf(buf + used, size - used, "%s%s", used ? L(l, " or ",
                                                               " eller ")
                                                           : "",
                     catalog_answer_label(value, l));
        }
    }
}

/* A string made with printf, kept for the life of the process; NULL when
 * memory runs out. */
static const char *kept(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
static const char *kept(const char *fmt, ...)
{
    va_list ap, again;
    va_start(ap, fmt);
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (s)
        vsnprintf(s, (size_t)n + 1, fmt, again);
    va_end(again);
    return s;
}

int catalog_question_is_text(const struct question *q)
{
    return q && q->type == ANSWER_TEXT;
}

const struct indicator *catalog_question_indicator(const struct question *q)
{
    if (!q || q->type == ANSWER_TEXT || load() != 0)
        return NULL;
    if (cat.questions[q->index])
        return cat.questions[q->index];
    struct indicator *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    int number = q->type == ANSWER_NUMBER;
    d->name = q->key;
    d->argument = q->key;
    d->first_year = q->first_year;
    d->function = number ? "trend_number_filtered" : "trend_question_filtered";
    d->n_column = number ? "units_answered" : "units_rated";
    d->pct_column = number ? "per_10000" : "pct_share";
    d->number = number;
    d->question = q->text[LANG_NB];
    for (int l = 0; l < LANG_COUNT; l++) {
        char share[512];
        share_words(q, (enum lang)l, share, sizeof share);
        d->title[l] = q->text[l];
        d->chart_title[l] = number
            ? kept("%s (%s)", q->text[l], L(l, "per 10 000 inhabitants",
                                            "per 10 000 innbyggere"))
            : kept("%s: %s", q->text[l], share);
        d->y_label[l] = number
            ? L(l, "per 10 000 inhabitants", "per 10 000 innbyggere")
            : kept(L(l, "%% of the units answering %s",
                     "%% av enhetene som svarte %s"), share);
        d->base[l] = number
            ? L(l, "the sum of the answers per 10 000 inhabitants of the units "
                   "that answered",
                "summen av svarene per 10 000 innbyggere i enhetene som svarte")
            : L(l, "percent of the units whose answer counts in the "
                   "percentages (n in the percentages)",
                "prosent av enhetene der svaret regnes med i prosentene (n i "
                "prosentene)");
        d->note[l] = q->follows
            ? kept(L(l, "n: units that answered.  Counts only when %s is %s.",
                     "n: enheter som svarte.  Regnes bare med når %s er %s."),
                   q->follows->key, q->follows_values)
            : L(l, "n: units that answered.", "n: enheter som svarte.");
        if (!d->title[l] || !d->chart_title[l] || !d->y_label[l] ||
            !d->note[l]) {
            free(d);
            return NULL;
        }
    }
    int k = 0;
    for (int r = 1; r < cat.qcol.nrows; r++)
        k += strcmp(csv_get(&cat.qcol, r, "function"), d->function) == 0;
    struct indicator_column *cols = calloc((size_t)(k ? k : 1), sizeof *cols);
    if (!cols) {
        free(d);
        return NULL;
    }
    d->columns = cols;
    for (int r = 1; r < cat.qcol.nrows; r++) {
        const struct csv *c = &cat.qcol;
        if (strcmp(csv_get(c, r, "function"), d->function) != 0)
            continue;
        struct indicator_column *x = &cols[d->ncolumns++];
        x->name = csv_get(c, r, "column_name");
        x->type = column_type(csv_get(c, r, "type"));
        x->report = strcmp(csv_get(c, r, "report"), "1") == 0;
        x->label[LANG_NB] = csv_get(c, r, "label_nb");
        x->label[LANG_EN] = csv_get(c, r, "label_en");
        x->about[LANG_NB] = csv_get(c, r, "about_nb");
        x->about[LANG_EN] = csv_get(c, r, "about_en");
    }
    cat.questions[q->index] = d;
    return d;
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
