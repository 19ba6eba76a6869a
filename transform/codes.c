/*
 * codes.c - the catalogue of the form read from its CSV files (see
 * codes.h), checked whole on first use, and the matching of answer labels
 * (delivery-format.md §4).
 *
 * Codes are matched exactly after trimming surrounding white space ("01" is
 * not "1").  Labels are folded (case folded, NFC, white space trimmed and
 * inner runs collapsed) and compared with the folded Bokmål labels of the
 * list, folded once when the catalogue is read.  Label matching never
 * allocates: a label too long to be any of ours is simply unknown.
 *
 * Question ids are looked up by binary search in a copy of the questions
 * sorted by id, one per report version: a report's every answer is looked
 * up, and the catalogue may grow to the whole form.
 */
#include "codes.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "refdata.h"
#include "view.h"

#define WHY_MAX 512

static struct {
    char why[WHY_MAX];       /* "" when read */
    struct refdata_rows qt, lt, ct;
    struct question *q;
    int nq;
    struct code_list *list;
    int nlist;
    struct answer_code *code;
    const struct question **by_id[3]; /* [REPORT_V1], [REPORT_V2] */
    int n_by_id[3];
} cat;

static pthread_once_t cat_once = PTHREAD_ONCE_INIT;

/* --- folding --------------------------------------------------------------- */

#define FOLD_OPTIONS (UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD)

static int is_unicode_space(utf8proc_int32_t c)
{
    if (c == ' ' || (c >= 0x09 && c <= 0x0d) || c == 0x85 || c == 0x2028 ||
        c == 0x2029)
        return 1;
    return utf8proc_category(c) == UTF8PROC_CATEGORY_ZS;
}

/*
 * The common part of folding: buf holds n code points decomposed and case
 * folded; compose them and write UTF-8 with white space trimmed and
 * collapsed into out (room for 4 * n + 1 bytes).  Returns the length
 * written, or -1.
 */
static long fold_finish(utf8proc_int32_t *buf, utf8proc_ssize_t n, char *out)
{
    n = utf8proc_normalize_utf32(buf, n, FOLD_OPTIONS);
    if (n < 0)
        return -1;
    long len = 0;
    int pending_space = 0;
    for (utf8proc_ssize_t i = 0; i < n; i++) {
        if (is_unicode_space(buf[i])) {
            pending_space = len > 0;
            continue;
        }
        if (pending_space)
            out[len++] = ' ';
        pending_space = 0;
        len += (long)utf8proc_encode_char(buf[i], (utf8proc_uint8_t *)out + len);
    }
    out[len] = '\0';
    return len;
}

char *codes_fold(const char *s)
{
    if (!s)
        return NULL;
    const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)s;
    utf8proc_ssize_t len = (utf8proc_ssize_t)strlen(s);
    utf8proc_ssize_t n = utf8proc_decompose(u, len, NULL, 0, FOLD_OPTIONS);
    if (n < 0)
        return NULL;
    utf8proc_int32_t *buf = malloc(((size_t)n + 1) * sizeof *buf);
    char *out = malloc((size_t)n * 4 + 1);
    if (!buf || !out)
        goto fail;
    if (utf8proc_decompose(u, len, buf, n + 1, FOLD_OPTIONS) != n)
        goto fail;
    if (fold_finish(buf, n, out) < 0)
        goto fail;
    free(buf);
    return out;
fail:
    free(buf);
    free(out);
    return NULL;
}

/* Longest label we could ever match, in code points decomposed (the
 * catalogue's are checked to be shorter); is248.answer_fold() keeps the
 * same bounds. */
#define LABEL_MAX 128

/*
 * Fold s into out (LABEL_MAX * 4 + 1 bytes) without allocating.  Returns 0,
 * or -1 when s is not valid UTF-8 or too long to be any label of ours.
 */
static int fold_label(const char *s, char *out)
{
    utf8proc_int32_t buf[LABEL_MAX];
    if (!s)
        return -1;
    size_t len = strlen(s);
    if (len > LABEL_MAX * 8) /* cheap bound before decomposing */
        return -1;
    utf8proc_ssize_t n = utf8proc_decompose((const utf8proc_uint8_t *)s,
                                            (utf8proc_ssize_t)len, buf,
                                            LABEL_MAX, FOLD_OPTIONS);
    if (n < 0 || n > LABEL_MAX)
        return -1;
    return fold_finish(buf, n, out) < 0 ? -1 : 0;
}

/* --- reading the catalogue ------------------------------------------------- */

static const char *const question_cols[] = {
    "key", "ord", "chapter", "chapter_title", "text_nb", "text_en", "type",
    "v1_id", "v1_list", "v2_id", "v2_list", "first_year", "last_year",
    "follows", "follows_values", NULL
};
static const char *const list_cols[] = { "list", "kind", "codes_text", NULL };
static const char *const code_cols[] = {
    "list", "ord", "code", "value", "label_nb", "label_en", "word", "rated",
    "share", "exclusive", "implies", NULL
};

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cat.why, sizeof cat.why, fmt, ap);
    va_end(ap);
    return -1;
}

/* A whole number in [lo, hi] written in s; -1 otherwise (lo >= 0). */
static long number(const char *s, long lo, long hi)
{
    long x;
    struct view v = { s, s ? strlen(s) : 0 };
    return view_number(v, hi, &x) == 0 && x >= lo ? x : -1;
}

/* A name of the catalogue's own: [a-z][a-z0-9_]*. */
static int is_name(const char *s)
{
    if (!s || !(*s >= 'a' && *s <= 'z'))
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
              *s == '_'))
            return 0;
    return 1;
}

/* A code or an id as the form writes it: printable ASCII, no space. */
static int is_token(const char *s, size_t max)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > max)
        return 0;
    for (; *s; s++)
        if (*s <= ' ' || *s > '~')
            return 0;
    return 1;
}

static const char *nonempty(const char *s)
{
    return s && *s ? s : NULL;
}

static const struct code_list *find_list(const char *name);
static const struct question *find_key(const char *key);

static int read_lists(void)
{
    const struct refdata_rows *t = &cat.lt, *c = &cat.ct;
    cat.nlist = t->nrows - 1;
    if (cat.nlist < 1)
        return fail("code_list.csv: no code lists");
    cat.list = calloc((size_t)cat.nlist, sizeof *cat.list);
    cat.code = calloc((size_t)(c->nrows > 1 ? c->nrows - 1 : 1),
                      sizeof *cat.code);
    if (!cat.list || !cat.code)
        return fail("out of memory");
    int used = 0;
    for (int i = 0; i < cat.nlist; i++) {
        struct code_list *l = &cat.list[i];
        l->name = refdata_rows_get(t, i + 1, "list");
        const char *kind = refdata_rows_get(t, i + 1, "kind");
        l->codes_text = refdata_rows_get(t, i + 1, "codes_text");
        if (!is_name(l->name))
            return fail("code_list.csv: list '%s' is not a name "
                        "([a-z][a-z0-9_]*)", l->name);
        for (int k = 0; k < i; k++)
            if (strcmp(cat.list[k].name, l->name) == 0)
                return fail("code_list.csv: list '%s' twice", l->name);
        if (strcmp(kind, "single") == 0)
            l->kind = LIST_SINGLE;
        else if (strcmp(kind, "choice") == 0)
            l->kind = LIST_CHOICES;
        else
            return fail("code_list.csv: list '%s': kind '%s' is neither "
                        "single nor choice", l->name, kind);
        /* its codes, in the order of ord (the file's rows may be in any) */
        l->code = &cat.code[used];
        for (long ord = 1;; ord++) {
            int found = 0;
            for (int r = 1; r < c->nrows; r++) {
                if (strcmp(refdata_rows_get(c, r, "list"), l->name) != 0 ||
                    number(refdata_rows_get(c, r, "ord"), 1, 999) != ord)
                    continue;
                if (found++)
                    return fail("answer_code.csv: list '%s' has two codes of "
                                "ord %s", l->name,
                                refdata_rows_get(c, r, "ord"));
                if (l->n == CODES_MAX_CODES)
                    return fail("answer_code.csv: list '%s' has more than 64 "
                                "codes", l->name);
                struct answer_code *a = &cat.code[used + l->n++];
                a->code = refdata_rows_get(c, r, "code");
                a->value = refdata_rows_get(c, r, "value");
                a->label[0] = refdata_rows_get(c, r, "label_nb");
                a->label[1] = refdata_rows_get(c, r, "label_en");
                a->word = refdata_rows_get(c, r, "word");
                a->implies = nonempty(refdata_rows_get(c, r, "implies"));
                a->rated = (int)number(refdata_rows_get(c, r, "rated"), 0, 1);
                a->share = (int)number(refdata_rows_get(c, r, "share"), 0, 1);
                a->exclusive = (int)number(refdata_rows_get(c, r, "exclusive"),
                                           0, 1);
            }
            if (!found)
                break;
        }
        used += l->n;
        if (l->n == 0)
            return fail("answer_code.csv: list '%s' has no codes (ord 1, 2, "
                        "...)", l->name);
    }
    for (int r = 1; used != c->nrows - 1 && r < c->nrows; r++) {
        char line[16];
        snprintf(line, sizeof line, "%d", r + 1);
        if (!find_list(refdata_rows_get(c, r, "list")))
            return fail("answer_code.csv, line %s: no code list '%s'", line,
                        refdata_rows_get(c, r, "list"));
        if (number(refdata_rows_get(c, r, "ord"), 1, 999) < 0)
            return fail("answer_code.csv, line %s: ord '%s' is not a "
                        "number", line, refdata_rows_get(c, r, "ord"));
    }
    if (used != c->nrows - 1)
        return fail("answer_code.csv: the ord of a list's codes must run 1, "
                    "2, 3, ... without a gap");
    return 0;
}

/* The checks of one code, and its label folded. */
static int check_code(const struct code_list *l, struct answer_code *a,
                      int i)
{
    char folded[LABEL_MAX * 4 + 1];
    if (!is_token(a->code, CODES_CODE_MAX))
        return fail("answer_code.csv: list '%s': code '%s' is empty, longer "
                    "than 15 bytes, or holds a space", l->name, a->code);
    if (!is_name(a->value))
        return fail("answer_code.csv: list '%s', code '%s': value '%s' is "
                    "not a name ([a-z][a-z0-9_]*)", l->name, a->code, a->value);
    if (!*a->label[0] || !*a->label[1] || !*a->word)
        return fail("answer_code.csv: list '%s', code '%s': a label or the "
                    "word is empty", l->name, a->code);
    if (a->rated < 0 || a->share < 0 || a->exclusive < 0)
        return fail("answer_code.csv: list '%s', code '%s': rated, share and "
                    "exclusive are 0 or 1", l->name, a->code);
    if (l->kind == LIST_SINGLE && (a->implies || a->exclusive))
        return fail("answer_code.csv: list '%s', code '%s': implies and "
                    "exclusive are for lists of kind choice", l->name,
                    a->code);
    if (a->implies && !is_name(a->implies))
        return fail("answer_code.csv: list '%s', code '%s': implies '%s' is "
                    "not a name", l->name, a->code, a->implies);
    if (fold_label(a->label[0], folded) != 0 || !folded[0])
        return fail("answer_code.csv: list '%s', code '%s': the label '%s' "
                    "cannot be folded (empty, not UTF-8 or too long)",
                    l->name, a->code, a->label[0]);
    char *copy = strdup(folded);
    if (!copy)
        return fail("out of memory");
    a->folded = copy;
    for (int k = 0; k < i; k++) {
        if (strcmp(l->code[k].code, a->code) == 0)
            return fail("answer_code.csv: list '%s' has the code '%s' "
                        "twice", l->name, a->code);
        if (strcmp(l->code[k].folded, a->folded) == 0)
            return fail("answer_code.csv: list '%s': the labels of '%s' and "
                        "'%s' are the same when folded", l->name,
                        l->code[k].code, a->code);
        if (strcmp(l->code[k].value, a->value) == 0)
            return fail("answer_code.csv: list '%s' has the value '%s' "
                        "twice", l->name, a->value);
    }
    if ((l->code[0].implies != NULL) != (a->implies != NULL))
        return fail("answer_code.csv: list '%s': implies is given for every "
                    "code of a list or for none (code '%s')", l->name,
                    a->code);
    /* a value is one word everywhere: is248.answer_label has one label a
     * value and language */
    for (int m = 0; m < cat.nlist; m++)
        for (int k = 0; k < cat.list[m].n; k++) {
            const struct answer_code *b = &cat.list[m].code[k];
            if (b == a)
                return 0;
            if (strcmp(b->value, a->value) == 0 &&
                (strcmp(b->label[0], a->label[0]) != 0 ||
                 strcmp(b->label[1], a->label[1]) != 0))
                return fail("answer_code.csv: the value '%s' has other labels "
                            "in list '%s' than in '%s'", a->value, l->name,
                            cat.list[m].name);
        }
    return 0;
}

/* Does list l (or the values it implies) have the value v? */
static int list_has_value(const struct code_list *l, const char *v)
{
    for (int k = 0; l && k < l->n; k++)
        if (strcmp(l->code[k].implies ? l->code[k].implies : l->code[k].value,
                   v) == 0)
            return 1;
    return 0;
}

static int read_questions(void)
{
    const struct refdata_rows *t = &cat.qt;
    int n = t->nrows - 1;
    if (n < 1 || n > CODES_MAX_QUESTIONS)
        return fail("question.csv: %s questions (1 to 256)",
                    n < 1 ? "no" : "too many");
    cat.q = calloc((size_t)n, sizeof *cat.q);
    if (!cat.q)
        return fail("out of memory");
    /* in the order of ord */
    long *ords = calloc((size_t)n, sizeof *ords);
    if (!ords)
        return fail("out of memory");
    for (int r = 1; r <= n; r++) {
        ords[r - 1] = number(refdata_rows_get(t, r, "ord"), 1, 99999);
        if (ords[r - 1] < 0) {
            free(ords);
            return fail("question.csv: question '%s': ord '%s' is not a "
                        "number", refdata_rows_get(t, r, "key"),
                        refdata_rows_get(t, r, "ord"));
        }
    }
    for (int i = 0; i < n; i++) {
        int best = -1;
        for (int r = 0; r < n; r++)
            if (ords[r] > 0 && (best < 0 || ords[r] < ords[best]))
                best = r;
        for (int r = 0; r < n; r++)
            if (r != best && ords[r] == ords[best]) {
                free(ords);
                return fail("question.csv: two questions of ord %s",
                            refdata_rows_get(t, best + 1, "ord"));
            }
        ords[best] = -1;
        int row = best + 1;
        struct question *q = &cat.q[i];
        q->index = i;
        q->key = refdata_rows_get(t, row, "key");
        q->text[0] = refdata_rows_get(t, row, "text_nb");
        q->text[1] = refdata_rows_get(t, row, "text_en");
        q->id[REPORT_V1] = nonempty(refdata_rows_get(t, row, "v1_id"));
        q->id[REPORT_V2] = nonempty(refdata_rows_get(t, row, "v2_id"));
        q->list[REPORT_V1] = find_list(refdata_rows_get(t, row, "v1_list"));
        q->list[REPORT_V2] = find_list(refdata_rows_get(t, row, "v2_list"));
        q->first_year = (int)number(refdata_rows_get(t, row, "first_year"),
                                    1000, 9999);
        const char *last = refdata_rows_get(t, row, "last_year");
        q->last_year = *last ? (int)number(last, 1000, 9999) : 0;
        q->follows_values = nonempty(refdata_rows_get(t, row,
                                                       "follows_values"));
        static const char *const types[] = { "yesno", "rating", "choice",
                                             "number", "text" };
        const char *type = refdata_rows_get(t, row, "type");
        size_t k = 0;
        while (k < 5 && strcmp(types[k], type) != 0)
            k++;
        if (k == 5) {
            free(ords);
            return fail("question.csv: question '%s': type '%s' is none of "
                        "yesno, rating, choice, number, text", q->key, type);
        }
        q->type = (enum answer_type)k;
    }
    free(ords);
    cat.nq = n;
    return 0;
}

static int check_question(struct question *q)
{
    const struct refdata_rows *t = &cat.qt;
    int row = 0;
    for (int r = 1; r < t->nrows; r++)
        if (refdata_rows_get(t, r, "key") == q->key)
            row = r;
    if (!is_name(q->key))
        return fail("question.csv: key '%s' is not a name "
                    "([a-z][a-z0-9_]*)", q->key);
    for (int k = 0; k < q->index; k++)
        if (strcmp(cat.q[k].key, q->key) == 0)
            return fail("question.csv: the key '%s' twice", q->key);
    if (!*q->text[0] || !*q->text[1])
        return fail("question.csv: question '%s': text_nb and text_en are "
                    "needed", q->key);
    if (q->first_year < 0 || q->last_year < 0 ||
        (q->last_year && q->last_year < q->first_year))
        return fail("question.csv: question '%s': first_year and last_year "
                    "are years, the last (if any) not before the first",
                    q->key);
    if (!q->id[REPORT_V1] && !q->id[REPORT_V2])
        return fail("question.csv: question '%s' has neither a v1_id nor a "
                    "v2_id", q->key);
    int coded = q->type <= ANSWER_CHOICE;
    static const char *const vcol[3] = { "", "v1_list", "v2_list" };
    for (int v = REPORT_V1; v <= REPORT_V2; v++) {
        const char *name = refdata_rows_get(t, row, vcol[v]);
        const char *id = q->id[v];
        if (id && !is_token(id, CODES_ID_MAX))
            return fail("question.csv: question '%s': the id '%s' is longer "
                        "than 63 bytes or holds a space", q->key, id);
        for (int k = 0; id && k < q->index; k++)
            if (cat.q[k].id[v] && strcmp(cat.q[k].id[v], id) == 0)
                return fail("question.csv: the id '%s' is both '%s' and "
                            "'%s'", id, cat.q[k].key, q->key);
        if (*name && !q->list[v])
            return fail("question.csv: question '%s': no code list '%s'",
                        q->key, name);
        if (!coded && *name)
            return fail("question.csv: question '%s' is a %s: it has no code "
                        "list ('%s')", q->key,
                        q->type == ANSWER_NUMBER ? "number" : "free text",
                        name);
        if (coded && id && !q->list[v])
            return fail("question.csv: question '%s' has the %s '%s' but no "
                        "code list for it", q->key, vcol[v], id);
        if (!id && *name)
            return fail("question.csv: question '%s': a %s without an id",
                        q->key, vcol[v]);
    }
    if (q->list[REPORT_V1] && q->list[REPORT_V1]->kind == LIST_CHOICES)
        return fail("question.csv: question '%s': version 1 has no Valg, so "
                    "its list '%s' cannot be of kind choice", q->key,
                    q->list[REPORT_V1]->name);
    const char *follows = refdata_rows_get(t, row, "follows");
    if (*follows) {
        q->follows = find_key(follows);
        if (!q->follows || q->follows == q)
            return fail("question.csv: question '%s' follows '%s', which is "
                        "no other question", q->key, follows);
        if (!q->follows_values)
            return fail("question.csv: question '%s' follows '%s': "
                        "follows_values says after which values", q->key,
                        follows);
        const char *p = q->follows_values;
        while (*p) {
            char v[64];
            size_t len = strcspn(p, "|");
            snprintf(v, sizeof v, "%.*s", (int)len, p);
            if (!list_has_value(q->follows->list[REPORT_V1], v) &&
                !list_has_value(q->follows->list[REPORT_V2], v))
                return fail("question.csv: question '%s': '%s' is no value "
                            "of '%s'", q->key, v, follows);
            p += len + (p[len] == '|');
        }
    } else if (q->follows_values)
        return fail("question.csv: question '%s': follows_values without "
                    "follows", q->key);
    return 0;
}

static int by_id_cmp(const void *a, const void *b, int v)
{
    const struct question *x = *(const struct question *const *)a;
    const struct question *y = *(const struct question *const *)b;
    return strcmp(x->id[v], y->id[v]);
}
static int by_v1(const void *a, const void *b) { return by_id_cmp(a, b, 1); }
static int by_v2(const void *a, const void *b) { return by_id_cmp(a, b, 2); }

static int read_all(void)
{
    char why[WHY_MAX];
    if (refdata_rows_load("code_list.csv", list_cols, &cat.lt, why,
                           sizeof why) != 0 ||
        refdata_rows_load("answer_code.csv", code_cols, &cat.ct, why,
                           sizeof why) != 0 ||
        refdata_rows_load("question.csv", question_cols, &cat.qt, why,
                           sizeof why) != 0) {
        snprintf(cat.why, sizeof cat.why, "%s", why);
        return -1;
    }
    if (read_lists() != 0)
        return -1;
    for (int i = 0; i < cat.nlist; i++)
        for (int k = 0; k < cat.list[i].n; k++)
            if (check_code(&cat.list[i],
                           &cat.code[cat.list[i].code - cat.code + k], k) != 0)
                return -1;
    if (read_questions() != 0)
        return -1;
    for (int i = 0; i < cat.nq; i++)
        if (check_question(&cat.q[i]) != 0)
            return -1;
    for (int v = REPORT_V1; v <= REPORT_V2; v++) {
        cat.by_id[v] = calloc((size_t)cat.nq, sizeof *cat.by_id[v]);
        if (!cat.by_id[v])
            return fail("out of memory");
        for (int i = 0; i < cat.nq; i++)
            if (cat.q[i].id[v])
                cat.by_id[v][cat.n_by_id[v]++] = &cat.q[i];
        qsort(cat.by_id[v], (size_t)cat.n_by_id[v], sizeof *cat.by_id[v],
              v == REPORT_V1 ? by_v1 : by_v2);
    }
    return 0;
}

static void load_once(void)
{
    if (read_all() != 0) {
        cat.nq = 0;
        if (!cat.why[0])
            snprintf(cat.why, sizeof cat.why, "cannot read the catalogue");
    }
}

static int loaded(void)
{
    pthread_once(&cat_once, load_once);
    return cat.why[0] == '\0';
}

const char *codes_error(void)
{
    return loaded() ? NULL : cat.why;
}

int codes_count(void)
{
    return loaded() ? cat.nq : 0;
}

const struct question *codes_question(int i)
{
    return i >= 0 && i < codes_count() ? &cat.q[i] : NULL;
}

/* While reading, the lookups see what is read so far (cat.nq and
 * cat.nlist are set as the files are read); the public ones wait for the
 * whole. */
static const struct question *find_key(const char *key)
{
    if (!key)
        return NULL;
    for (int i = 0; i < cat.nq; i++)
        if (strcmp(cat.q[i].key, key) == 0)
            return &cat.q[i];
    return NULL;
}

static const struct code_list *find_list(const char *name)
{
    if (!name)
        return NULL;
    for (int i = 0; i < cat.nlist; i++)
        if (strcmp(cat.list[i].name, name) == 0)
            return &cat.list[i];
    return NULL;
}

const struct question *codes_question_key(const char *key)
{
    return loaded() ? find_key(key) : NULL;
}

const struct code_list *codes_list(const char *name)
{
    return loaded() ? find_list(name) : NULL;
}

const struct question *codes_question_id(enum report_version v,
                                         const char *id)
{
    if (!id || (v != REPORT_V1 && v != REPORT_V2) || !loaded())
        return NULL;
    int lo = 0, hi = cat.n_by_id[v] - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        int c = strcmp(cat.by_id[v][mid]->id[v], id);
        if (c == 0)
            return cat.by_id[v][mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return NULL;
}

const struct question *codes_question_v1(const char *id)
{
    return codes_question_id(REPORT_V1, id);
}

const struct question *codes_question_v2(const char *id)
{
    return codes_question_id(REPORT_V2, id);
}

int codes_asked(const struct question *q, int year)
{
    return year == 0 ||
           (year >= q->first_year && (!q->last_year || year <= q->last_year));
}

/* --- lookups --------------------------------------------------------------- */

int codes_code(const struct code_list *l, const char *code)
{
    if (!l || !code)
        return -1;
    struct view v = view_trim(code);
    for (int i = 0; i < l->n; i++)
        if (view_is(v, l->code[i].code))
            return i;
    return -1;
}

int codes_label(const struct code_list *l, const char *label)
{
    if (!l || !label)
        return -1;
    /* exactly as the form writes it (nearly every answer): no need to fold
     * it, its fold is that label's, and the folds of a list are told apart
     * (not trimmed first: a label padded past the bound is unknown) */
    for (int i = 0; i < l->n; i++)
        if (strcmp(label, l->code[i].label[0]) == 0)
            return i;
    char folded[LABEL_MAX * 4 + 1];
    if (fold_label(label, folded) < 0)
        return -1;
    for (int i = 0; i < l->n; i++)
        if (strcmp(l->code[i].folded, folded) == 0)
            return i;
    return -1;
}

/* --- the wide columns' words ----------------------------------------------- */

static const char *const yesno_names[] = { NULL, "yes", "no", "dont_know" };
static const char *const rating_names[] = {
    NULL, "very_good", "good", "neither", "less_good", "bad", "dont_know"
};

const char *codes_yesno_name(enum yesno v)
{
    return (unsigned)v < 4 ? yesno_names[v] : NULL;
}

const char *codes_rating_name(enum rating v)
{
    return (unsigned)v < 7 ? rating_names[v] : NULL;
}

enum yesno codes_yesno_value(const char *name)
{
    for (int i = 1; name && i < 4; i++)
        if (strcmp(yesno_names[i], name) == 0)
            return (enum yesno)i;
    return YN_NONE;
}

enum rating codes_rating_value(const char *name)
{
    for (int i = 1; name && i < 7; i++)
        if (strcmp(rating_names[i], name) == 0)
            return (enum rating)i;
    return RATING_NONE;
}
