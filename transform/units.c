/*
 * units.c - the table of reporting units valid in each year, built from
 * the reference CSV files (sql/reference/, compiled into the program; read
 * with refdata.h's reader, which refuses what is not plain CSV with the
 * line number).
 *
 * The table is an array of codes sorted by code: each entry has a bit set
 * of the years it is valid in (bit 0 = the first year of the table) and its
 * name in each of those years.  Names point into one private copy of the
 * CSV text, cut into fields in place.  A lookup is one binary search.
 */
#include "units.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "refdata.h"

#define YEARS_MAX 64 /* width of the bit set */

struct unit {
    char code[8];        /* 4 digits (municipality) or 6 (district) */
    uint64_t years;      /* bit y - first: valid in year y */
    const char **names;  /* [nyears]: name in each year, NULL if not valid */
};

struct units {
    int first, last;         /* years covered */
    struct unit *units;      /* sorted by code */
    size_t n;
    const char **names;      /* storage for every unit's names[] */
    char *text;              /* the CSV text, fields cut in place */
    int *municipalities;     /* [nyears]: municipalities per year, 0301 too */
    int districts;           /* Oslo's city districts */
};

static int nyears(const struct units *u)
{
    return u->last - u->first + 1;
}

/* --- reading ------------------------------------------------------------- */

/* Write why, "FILE line N: what", into err; -1. */
static int fail(char *err, size_t errlen, const struct refdata_csv *c,
                const char *what)
{
    if (err && errlen)
        snprintf(err, errlen, "%s line %ld: %s", c->layout->file,
                 c->line > 0 ? c->line : 1, what);
    return -1;
}

/* The same for the reader's own reason ("line N: ..."). */
static int fail_read(char *err, size_t errlen, const struct refdata_csv *c,
                     const char *why)
{
    if (err && errlen)
        snprintf(err, errlen, "%s %s", c->layout->file, why);
    return -1;
}

/* Field f as a string: cut in place.  f lies in u->text, the table's own
 * writable copy of the CSV. */
static const char *cut(struct refdata_field f)
{
    char *s = (char *)f.p;
    s[f.n] = '\0';
    return s;
}

/* s is exactly n ASCII digits. */
static int all_digits(const char *s, size_t n)
{
    if (strlen(s) != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

static int cmp_code(const void *a, const void *b)
{
    return strcmp(a, b);
}

static const struct unit *find(const struct units *u, const char *code)
{
    size_t lo = 0, hi = u->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int r = strcmp(u->units[mid].code, code);
        if (r == 0)
            return &u->units[mid];
        if (r < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* --- building -------------------------------------------------------------- */

void units_free(struct units *u)
{
    if (!u)
        return;
    free(u->units);
    free(u->names);
    free(u->text);
    free(u->municipalities);
    free(u);
}

#define ROWS_FIRST 1024 /* rows room is made for first */

/* Parsed rows before they are gathered per code. */
struct row {
    const char *code, *name;
    int year; /* 0 for a district: every year */
};

struct rows {
    struct row *v;
    size_t n, cap;
};

/* Append a row: 0, or -1 when out of memory. */
static int add_row(struct rows *r, struct row row)
{
    if (r->n == r->cap) {
        size_t ncap = r->cap ? r->cap * 2 : ROWS_FIRST;
        struct row *nv = realloc(r->v, ncap * sizeof *nv);
        if (!nv)
            return -1;
        r->v = nv;
        r->cap = ncap;
    }
    r->v[r->n++] = row;
    return 0;
}

/* Take one row of a table (its fields cut, cut()) into rows: NULL, or what
 * is wrong with it. */
typedef const char *(*row_fn)(struct units *u, const char *const *f,
                              struct rows *rows);

/* municipalities_by_year.csv: year,code,name,county_code.  Sets u->first
 * and u->last. */
static const char *by_year_row(struct units *u, const char *const *f,
                               struct rows *rows)
{
    const char *year_s = f[0], *code = f[1], *name = f[2], *county = f[3];
    if (!all_digits(year_s, 4) || !all_digits(code, 4) || name[0] == '\0' ||
        !all_digits(county, 2))
        return "expected a year, a 4-digit code, a name and a 2-digit "
               "county code";
    int year = 0; /* 4 digits, checked above */
    for (int i = 0; i < 4; i++)
        year = year * 10 + (year_s[i] - '0');
    if (year < 1900)
        return "year before 1900";
    if (u->first == 0 || year < u->first)
        u->first = year;
    if (year > u->last)
        u->last = year;
    if (u->last - u->first + 1 > YEARS_MAX)
        return "more than 64 years";
    return add_row(rows, (struct row){ code, name, year }) ? "out of memory"
                                                           : NULL;
}

/* oslo_districts.csv: bydelsnummer,bydelsnavn,kommunenummer. */
static const char *district_row(struct units *u, const char *const *f,
                                struct rows *rows)
{
    const char *code = f[0], *name = f[1], *municipality = f[2];
    if (!all_digits(code, 6) || name[0] == '\0' ||
        strcmp(municipality, "0301") != 0 || strncmp(code, "0301", 4) != 0)
        return "expected a district code 0301xx, a name and the "
               "municipality 0301";
    if (add_row(rows, (struct row){ code, name, 0 }) != 0)
        return "out of memory";
    u->districts++;
    return NULL;
}

/* The rows of table t, in text (u's own copy), through each.  0, or -1
 * with err set; *line is the number of the last line read. */
static int read_table(struct units *u, enum refdata_table t, char *text,
                      struct rows *rows, row_fn each, long *line, char *err,
                      size_t errlen)
{
    struct refdata_csv c;
    struct refdata_field f[REFDATA_FIELDS_MAX];
    char why[REFDATA_WHY_MAX];
    int r = refdata_csv_begin(&c, &refdata_layouts[t], text, strlen(text),
                              why, sizeof why);
    while (r == 0 && (r = refdata_csv_next(&c, f, why, sizeof why)) > 0) {
        const char *cuts[REFDATA_FIELDS_MAX];
        for (int i = 0; i < c.layout->fields; i++)
            cuts[i] = cut(f[i]);
        const char *what = each(u, cuts, rows);
        if (what)
            return fail(err, errlen, &c, what);
        r = 0;
    }
    *line = c.line;
    return r < 0 ? fail_read(err, errlen, &c, why) : 0;
}

/* The distinct codes of rows, sorted, into u->units (with room for their
 * names).  0, or -1 when out of memory. */
static int make_units(struct units *u, const struct rows *rows)
{
    int ny = nyears(u);
    char (*tmp)[8] = calloc(rows->n, sizeof *tmp);
    if (!tmp)
        return -1;
    for (size_t i = 0; i < rows->n; i++)
        memcpy(tmp[i], rows->v[i].code,
               strlen(rows->v[i].code) + 1); /* 4 or 6 digits */
    qsort(tmp, rows->n, sizeof *tmp, cmp_code);
    size_t ncodes = 0;
    for (size_t i = 0; i < rows->n; i++)
        if (i == 0 || strcmp(tmp[i], tmp[i - 1]) != 0)
            ncodes++;

    u->units = calloc(ncodes, sizeof *u->units);
    u->names = calloc(ncodes * (size_t)ny, sizeof *u->names);
    u->municipalities = calloc((size_t)ny, sizeof *u->municipalities);
    if (!u->units || !u->names || !u->municipalities) {
        free(tmp);
        return -1;
    }
    for (size_t i = 0, k = 0; i < rows->n; i++) {
        if (i > 0 && strcmp(tmp[i], tmp[i - 1]) == 0)
            continue;
        memcpy(u->units[k].code, tmp[i], sizeof u->units[k].code);
        u->units[k].names = u->names + k * (size_t)ny;
        k++;
    }
    u->n = ncodes;
    free(tmp);
    return 0;
}

/* Each row's year (every year, for a district) and name into its unit.
 * 0, or -1 with err set. */
static int fill_units(struct units *u, const struct rows *rows, char *err,
                      size_t errlen)
{
    int ny = nyears(u);
    for (size_t i = 0; i < rows->n; i++) {
        const struct row *row = &rows->v[i];
        struct unit *e = (struct unit *)find(u, row->code);
        if (row->year == 0) { /* a district: every year */
            if (e->years != 0) {
                if (err && errlen)
                    snprintf(err, errlen, "oslo_districts.csv: district %s "
                             "listed twice", row->code);
                return -1;
            }
            for (int y = 0; y < ny; y++) {
                e->years |= UINT64_C(1) << y;
                e->names[y] = row->name;
            }
            continue;
        }
        int y = row->year - u->first;
        if (e->years & (UINT64_C(1) << y)) {
            if (err && errlen)
                snprintf(err, errlen, "municipalities_by_year.csv: code %s "
                         "listed twice for %d", row->code, row->year);
            return -1;
        }
        e->years |= UINT64_C(1) << y;
        e->names[y] = row->name;
        u->municipalities[y]++;
    }
    for (int y = 0; y < ny; y++)
        if (u->municipalities[y] == 0) {
            if (err && errlen)
                snprintf(err, errlen, "municipalities_by_year.csv: no "
                         "municipalities for %d", u->first + y);
            return -1;
        }
    return 0;
}

struct units *units_parse(const char *by_year_csv, const char *districts_csv,
                          char *err, size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    if (!by_year_csv || !districts_csv) {
        if (err && errlen)
            snprintf(err, errlen, "no reference data");
        return NULL;
    }
    struct rows rows = { NULL, 0, 0 };
    struct units *u = calloc(1, sizeof *u);
    size_t len1 = strlen(by_year_csv), len2 = strlen(districts_csv);
    if (u)
        u->text = malloc(len1 + len2 + 2);
    int rc = -1;
    if (!u || !u->text) {
        if (err && errlen)
            snprintf(err, errlen, "out of memory");
    } else {
        memcpy(u->text, by_year_csv, len1 + 1);
        memcpy(u->text + len1 + 1, districts_csv, len2 + 1);
        long line = 0;
        rc = read_table(u, REFDATA_MUNICIPALITIES, u->text, &rows,
                        by_year_row, &line, err, errlen);
        if (rc == 0 && rows.n == 0) {
            if (err && errlen)
                snprintf(err, errlen, "%s line %ld: no municipalities",
                         refdata_layouts[REFDATA_MUNICIPALITIES].file,
                         line > 0 ? line : 1);
            rc = -1;
        }
        if (rc == 0)
            rc = read_table(u, REFDATA_DISTRICTS, u->text + len1 + 1, &rows,
                            district_row, &line, err, errlen);
        if (rc == 0 && make_units(u, &rows) != 0) {
            if (err && errlen)
                snprintf(err, errlen, "out of memory");
            rc = -1;
        }
        if (rc == 0)
            rc = fill_units(u, &rows, err, errlen);
    }
    free(rows.v);
    if (rc != 0) {
        units_free(u);
        return NULL;
    }
    return u;
}

/* --- the built-in table ---------------------------------------------------- */

/* Built by the first call to units_builtin() (which is therefore not safe to
 * make from two threads at once) and freed at exit. */
static struct units *builtin;

static void free_builtin(void)
{
    units_free(builtin);
    builtin = NULL;
}

static const char *embedded(enum refdata_table t)
{
    return refdata_find(refdata_layouts[t].file, NULL);
}

const struct units *units_builtin(void)
{
    if (builtin)
        return builtin;
    char err[REFDATA_WHY_MAX];
    builtin = units_parse(embedded(REFDATA_MUNICIPALITIES),
                          embedded(REFDATA_DISTRICTS), err, sizeof err);
    if (builtin)
        atexit(free_builtin);
    return builtin;
}

/* --- lookups --------------------------------------------------------------- */

int units_first_year(const struct units *u)
{
    return u ? u->first : 0;
}

int units_last_year(const struct units *u)
{
    return u ? u->last : 0;
}

enum unit_check units_check(const struct units *u, const char *code, int year,
                            const char **name, int *first, int *last)
{
    if (name)
        *name = NULL;
    if (!u || !code)
        return UNIT_UNKNOWN;
    if (strcmp(code, "0301") == 0)
        return UNIT_OSLO_WHOLE;
    if (year < u->first || year > u->last)
        return UNIT_YEAR_UNKNOWN;
    if (strlen(code) != 4 && strlen(code) != 6)
        return UNIT_UNKNOWN;
    const struct unit *e = find(u, code);
    if (!e)
        return UNIT_UNKNOWN;
    int y = year - u->first;
    if (e->years & (UINT64_C(1) << y)) {
        if (name)
            *name = e->names[y];
        return UNIT_VALID;
    }
    /* The span of valid years nearest to year. */
    int ny = nyears(u), best_first = -1, best_last = -1, best_dist = 0;
    for (int i = 0; i < ny;) {
        if (!(e->years & (UINT64_C(1) << i))) {
            i++;
            continue;
        }
        int j = i;
        while (j + 1 < ny && (e->years & (UINT64_C(1) << (j + 1))))
            j++;
        int dist = y < i ? i - y : y - j;
        if (best_first < 0 || dist < best_dist) {
            best_first = i;
            best_last = j;
            best_dist = dist;
        }
        i = j + 1;
    }
    if (first)
        *first = u->first + best_first;
    if (last)
        *last = u->first + best_last;
    if (name) /* the name nearest to year too */
        *name = e->names[y < best_first ? best_first : best_last];
    return UNIT_OTHER_YEARS;
}

int units_expected(const struct units *u, int year)
{
    if (!u || year < u->first || year > u->last)
        return 0;
    const struct unit *oslo = find(u, "0301");
    int y = year - u->first;
    int n = u->municipalities[y];
    if (oslo && (oslo->years & (UINT64_C(1) << y)))
        n--;
    return n + u->districts;
}
