/*
 * units.c - the table of reporting units valid in each year, parsed from
 * the reference CSV files (sql/reference/, compiled into the program:
 * refdata.h).
 *
 * The table is an array of codes sorted by code: each entry has a bit set
 * of the years it is valid in (bit 0 = the first year of the table) and its
 * name in each of those years.  Names point into one private copy of the
 * CSV text, cut into fields in place.  A lookup is one binary search.
 *
 * The CSV files are plain: a header line, comma-separated fields, no
 * quoting (no name contains a comma), LF or CRLF line ends, UTF-8 names.
 * Anything else is refused with the line number.
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

/* --- CSV ------------------------------------------------------------------- */

/* One line of a CSV held in a writable buffer. */
struct csv {
    char *p;          /* next line */
    long line;        /* number of the line last read */
    const char *file; /* for messages */
};

/*
 * Cut the next non-empty line at c->p into exactly nf fields.  Returns 1
 * with fields[] set, 0 at the end, -1 when the field count is wrong.
 */
static int csv_next(struct csv *c, char **fields, int nf, int *got)
{
    for (;;) {
        if (*c->p == '\0')
            return 0;
        char *line = c->p;
        char *eol = strchr(line, '\n');
        if (eol) {
            *eol = '\0';
            c->p = eol + 1;
        } else {
            c->p = line + strlen(line);
        }
        c->line++;
        size_t len = strlen(line);
        if (len > 0 && line[len - 1] == '\r')
            line[--len] = '\0';
        if (len == 0)
            continue;
        int n = 0;
        char *f = line;
        for (;;) {
            char *comma = strchr(f, ',');
            if (n < nf)
                fields[n] = f;
            n++;
            if (!comma)
                break;
            *comma = '\0';
            f = comma + 1;
        }
        *got = n;
        return n == nf ? 1 : -1;
    }
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

static int fail(char *err, size_t errlen, const struct csv *c,
                const char *what)
{
    if (err && errlen)
        snprintf(err, errlen, "%s line %ld: %s", c->file,
                 c->line > 0 ? c->line : 1, what);
    return -1;
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

/* Parsed rows before they are gathered per code. */
struct row {
    const char *code, *name;
    int year; /* 0 for a district: every year */
};

struct units *units_parse(const char *by_year_csv, const char *districts_csv,
                          char *err, size_t errlen)
{
    struct units *u = NULL;
    struct row *rows = NULL;
    size_t nrows = 0, cap = 0;
    char *fields[4];
    int got;

    if (err && errlen)
        err[0] = '\0';
    if (!by_year_csv || !districts_csv) {
        if (err && errlen)
            snprintf(err, errlen, "no reference data");
        return NULL;
    }
    u = calloc(1, sizeof *u);
    if (!u)
        goto oom;
    size_t len1 = strlen(by_year_csv), len2 = strlen(districts_csv);
    u->text = malloc(len1 + len2 + 2);
    if (!u->text)
        goto oom;
    memcpy(u->text, by_year_csv, len1 + 1);
    memcpy(u->text + len1 + 1, districts_csv, len2 + 1);

    /* municipalities_by_year.csv: year,code,name,county_code */
    struct csv c = { u->text, 0, "municipalities_by_year.csv" };
    int r = csv_next(&c, fields, 4, &got);
    if (r <= 0 || strcmp(fields[0], "year") != 0 ||
        strcmp(fields[1], "code") != 0 || strcmp(fields[2], "name") != 0 ||
        strcmp(fields[3], "county_code") != 0) {
        fail(err, errlen, &c, "expected the header 'year,code,name,county_code'");
        goto bad;
    }
    u->first = 0;
    while ((r = csv_next(&c, fields, 4, &got)) != 0) {
        if (r < 0) {
            fail(err, errlen, &c, "expected 4 fields");
            goto bad;
        }
        if (!all_digits(fields[0], 4) || !all_digits(fields[1], 4) ||
            fields[2][0] == '\0' || !all_digits(fields[3], 2)) {
            fail(err, errlen, &c, "expected a year, a 4-digit code, a name "
                                  "and a 2-digit county code");
            goto bad;
        }
        int year = 0; /* 4 digits, checked above */
        for (int i = 0; i < 4; i++)
            year = year * 10 + (fields[0][i] - '0');
        if (year < 1900) {
            fail(err, errlen, &c, "year before 1900");
            goto bad;
        }
        if (u->first == 0 || year < u->first)
            u->first = year;
        if (year > u->last)
            u->last = year;
        if (u->last - u->first + 1 > YEARS_MAX) {
            fail(err, errlen, &c, "more than 64 years");
            goto bad;
        }
        if (nrows == cap) {
            size_t ncap = cap ? cap * 2 : 1024;
            struct row *nr = realloc(rows, ncap * sizeof *nr);
            if (!nr)
                goto oom;
            rows = nr;
            cap = ncap;
        }
        rows[nrows++] = (struct row){ fields[1], fields[2], year };
    }
    if (nrows == 0) {
        fail(err, errlen, &c, "no municipalities");
        goto bad;
    }

    /* oslo_districts.csv: bydelsnummer,bydelsnavn,kommunenummer */
    c = (struct csv){ u->text + len1 + 1, 0, "oslo_districts.csv" };
    r = csv_next(&c, fields, 3, &got);
    if (r <= 0 || strcmp(fields[0], "bydelsnummer") != 0 ||
        strcmp(fields[1], "bydelsnavn") != 0 ||
        strcmp(fields[2], "kommunenummer") != 0) {
        fail(err, errlen, &c,
             "expected the header 'bydelsnummer,bydelsnavn,kommunenummer'");
        goto bad;
    }
    while ((r = csv_next(&c, fields, 3, &got)) != 0) {
        if (r < 0) {
            fail(err, errlen, &c, "expected 3 fields");
            goto bad;
        }
        if (!all_digits(fields[0], 6) || fields[1][0] == '\0' ||
            strcmp(fields[2], "0301") != 0 ||
            strncmp(fields[0], "0301", 4) != 0) {
            fail(err, errlen, &c, "expected a district code 0301xx, a name "
                                  "and the municipality 0301");
            goto bad;
        }
        if (nrows == cap) {
            size_t ncap = cap * 2;
            struct row *nr = realloc(rows, ncap * sizeof *nr);
            if (!nr)
                goto oom;
            rows = nr;
            cap = ncap;
        }
        rows[nrows++] = (struct row){ fields[0], fields[1], 0 };
        u->districts++;
    }

    /* Gather rows per code: count distinct codes. */
    int ny = nyears(u);
    char (*tmp)[8] = calloc(nrows, sizeof *tmp);
    if (!tmp)
        goto oom;
    for (size_t i = 0; i < nrows; i++)
        memcpy(tmp[i], rows[i].code, strlen(rows[i].code) + 1); /* 4 or 6 */
    qsort(tmp, nrows, sizeof *tmp, cmp_code);
    size_t ncodes = 0;
    for (size_t i = 0; i < nrows; i++)
        if (i == 0 || strcmp(tmp[i], tmp[i - 1]) != 0)
            ncodes++;

    u->units = calloc(ncodes, sizeof *u->units);
    u->names = calloc(ncodes * (size_t)ny, sizeof *u->names);
    u->municipalities = calloc((size_t)ny, sizeof *u->municipalities);
    if (!u->units || !u->names || !u->municipalities) {
        free(tmp);
        goto oom;
    }
    for (size_t i = 0, k = 0; i < nrows; i++) {
        if (i > 0 && strcmp(tmp[i], tmp[i - 1]) == 0)
            continue;
        memcpy(u->units[k].code, tmp[i], sizeof u->units[k].code);
        u->units[k].names = u->names + k * (size_t)ny;
        k++;
    }
    u->n = ncodes;
    free(tmp);

    for (size_t i = 0; i < nrows; i++) {
        struct unit *e = (struct unit *)find(u, rows[i].code);
        if (rows[i].year == 0) { /* a district: every year */
            if (e->years != 0) {
                if (err && errlen)
                    snprintf(err, errlen, "oslo_districts.csv: district %s "
                             "listed twice", rows[i].code);
                goto bad;
            }
            for (int y = 0; y < ny; y++) {
                e->years |= UINT64_C(1) << y;
                e->names[y] = rows[i].name;
            }
            continue;
        }
        int y = rows[i].year - u->first;
        if (e->years & (UINT64_C(1) << y)) {
            if (err && errlen)
                snprintf(err, errlen, "municipalities_by_year.csv: code %s "
                         "listed twice for %d", rows[i].code, rows[i].year);
            goto bad;
        }
        e->years |= UINT64_C(1) << y;
        e->names[y] = rows[i].name;
        u->municipalities[y]++;
    }
    for (int y = 0; y < ny; y++)
        if (u->municipalities[y] == 0) {
            if (err && errlen)
                snprintf(err, errlen, "municipalities_by_year.csv: no "
                         "municipalities for %d", u->first + y);
            goto bad;
        }
    free(rows);
    return u;

oom:
    if (err && errlen)
        snprintf(err, errlen, "out of memory");
bad:
    free(rows);
    units_free(u);
    return NULL;
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

static const char *embedded(const char *name)
{
    const struct refdata_file *f = refdata_find(name);
    return f ? (const char *)f->data : NULL;
}

const struct units *units_builtin(void)
{
    if (builtin)
        return builtin;
    char err[256];
    builtin = units_parse(embedded("municipalities_by_year.csv"),
                          embedded("oslo_districts.csv"), err, sizeof err);
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
