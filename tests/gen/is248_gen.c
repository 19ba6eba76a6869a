/*
 * is248_gen.c - write a synthetic IS-24/8 delivery of any size, to
 * ../shared/spec/delivery-format.md, for the integration tests and for
 * benchmarks.
 *
 * For each reporting year asked for, every unit that has to report (every
 * municipality valid on 1 January per sql/reference/municipalities_by_year.csv
 * except 0301 as a whole, and Oslo's 17 city districts) gets one report with
 * pseudo-random but deterministic answers:
 *
 *   version 1 (2015-2017)  one ISO-8859-1 file per unit, "2016/1201.xml";
 *   version 2 (2018-)      one UTF-8 <Rapporter> file per county (the code's
 *                          first two digits; Oslo's districts in 03),
 *                          "2019/fylke-46.xml", written in the many ways the
 *                          spec allows: namespace prefixes, answers by code
 *                          and label, code or label alone, labels in odd
 *                          case, with extra white space or in NFD, IPS/SE
 *                          choices, unanswered questions, missing
 *                          populations, offsets +01:00, +02:00 and Z.
 *
 * Every report is valid: a correct loader sets nothing aside.  What each one
 * is meant to mean is written to --manifest (one CSV row per unit and year,
 * the report that is current: the latest submission) in the database's own
 * words, so a test can compare the views with figures computed on its own.
 *
 * --reports-per-unit N sends N reports per unit and year with increasing
 * submission times and different answers (corrections: the last one is
 * current); --repeat K writes the whole set K times over with later
 * submission times, for big benchmark deliveries.
 *
 * Everything is a function of --seed (splitmix64; each report has its own
 * stream, so a report does not depend on what was generated before it).
 * Memory does not grow with the delivery: one report file at a time is
 * built in a reused buffer and streamed to the directory or, through
 * libarchive's write API, to the archive.
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define GEN_NAME "is248_gen"
#define GEN_VERSION "1"
#define GEN_NS "urn:no:helsedirektoratet:is-24-8:2"
#define GEN_FIRST_V2 2018     /* first reporting year of version 2 */
#define GEN_ENTRY_MTIME 1767225600 /* 2026-01-01: archives are reproducible */

/* --- messages ------------------------------------------------------------ */

static void gen_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* Print "is248_gen: MESSAGE" on stderr. */
static void gen_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs(GEN_NAME ": ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* --- rng: splitmix64 and string hashing ---------------------------------- */

struct rng {
    uint64_t s;
};

static uint64_t rng_mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t rng_next(struct rng *r)
{
    r->s += 0x9e3779b97f4a7c15ULL;
    return rng_mix(r->s);
}

/* A number in [0, n); n > 0.  The bias of the modulo is negligible here. */
static unsigned rng_below(struct rng *r, unsigned n)
{
    return (unsigned)((rng_next(r) >> 11) % n);
}

/* True with the given chance in percent. */
static int rng_chance(struct rng *r, unsigned percent)
{
    return rng_below(r, 100) < percent;
}

/* An index into weights[0..n-1], drawn in proportion to the weights. */
static unsigned rng_weighted(struct rng *r, const unsigned *weights, unsigned n)
{
    unsigned total = 0;
    for (unsigned i = 0; i < n; i++)
        total += weights[i];
    unsigned x = rng_below(r, total);
    for (unsigned i = 0; i < n; i++) {
        if (x < weights[i])
            return i;
        x -= weights[i];
    }
    return n - 1;
}

static uint64_t rng_hash_str(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
    return h;
}

/* A stream of its own for one purpose: the seed and up to four numbers. */
static struct rng rng_stream(uint64_t seed, uint64_t a, uint64_t b, uint64_t c,
                             uint64_t d)
{
    uint64_t h = rng_mix(seed ^ 0x6a09e667f3bcc908ULL);
    h = rng_mix(h ^ a);
    h = rng_mix(h ^ (b + 0x3c6ef372fe94f82bULL));
    h = rng_mix(h ^ (c + 0xa54ff53a5f1d36f1ULL));
    h = rng_mix(h ^ (d + 0x510e527fade682d1ULL));
    return (struct rng){ h };
}

/* Purposes of streams (the "a" of rng_stream). */
enum stream_kind {
    STREAM_POPULATION = 1, STREAM_ANSWERS, STREAM_STYLE, STREAM_TIME,
    STREAM_SUBMISSION, STREAM_FILE
};

/* --- xbuf: a growable byte buffer that XML is written into --------------- */

/*
 * The buffer grows as needed and is reused from file to file (xbuf_reset
 * keeps the memory).  An allocation failure is remembered in failed and
 * everything written afterwards is dropped; check it once per file.
 */
struct xbuf {
    char *p;
    size_t len, cap;
    int failed;
    const char *nl;     /* "\n" or "\r\n": xbuf_nl() and newlines in text */
    int latin1;         /* text is written as ISO-8859-1, else UTF-8 */
};

static void xbuf_reset(struct xbuf *b, const char *nl, int latin1)
{
    b->len = 0;
    b->failed = 0;
    b->nl = nl;
    b->latin1 = latin1;
}

static int xbuf_grow(struct xbuf *b, size_t more)
{
    if (b->failed)
        return -1;
    if (b->len + more <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 65536;
    while (cap < b->len + more)
        cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) {
        b->failed = 1;
        return -1;
    }
    b->p = p;
    b->cap = cap;
    return 0;
}

static void xbuf_put(struct xbuf *b, const char *s, size_t n)
{
    if (xbuf_grow(b, n) == 0) {
        memcpy(b->p + b->len, s, n);
        b->len += n;
    }
}

static void xbuf_puts(struct xbuf *b, const char *s)
{
    xbuf_put(b, s, strlen(s));
}

static void xbuf_putc(struct xbuf *b, char c)
{
    if (xbuf_grow(b, 1) == 0)
        b->p[b->len++] = c;
}

static void xbuf_long(struct xbuf *b, long v)
{
    char tmp[24];
    int n = snprintf(tmp, sizeof tmp, "%ld", v);
    xbuf_put(b, tmp, (size_t)n);
}

/* A newline, and depth levels of two-space indentation. */
static void xbuf_nl(struct xbuf *b, int depth)
{
    xbuf_puts(b, b->nl);
    for (int i = 0; i < depth; i++)
        xbuf_put(b, "  ", 2);
}

/*
 * Write UTF-8 text as XML character data (attr: as an attribute value in
 * double quotes), escaping what has to be.  In a Latin-1 buffer a character
 * beyond U+00FF becomes a character reference.  Newlines follow b->nl.
 */
static void xbuf_text(struct xbuf *b, const char *s, int attr)
{
    const unsigned char *u = (const unsigned char *)s;
    while (*u) {
        unsigned char c = *u;
        if (c == '&') {
            xbuf_put(b, "&amp;", 5);
        } else if (c == '<') {
            xbuf_put(b, "&lt;", 4);
        } else if (c == '>') {
            xbuf_put(b, "&gt;", 4);
        } else if (c == '"' && attr) {
            xbuf_put(b, "&quot;", 6);
        } else if (c == '\n') {
            if (attr)
                xbuf_put(b, "&#10;", 5);
            else
                xbuf_puts(b, b->nl);
        } else if (c < 0x80 || !b->latin1) {
            xbuf_putc(b, (char)c);
        } else {
            /* decode one UTF-8 sequence (our own strings: well-formed) */
            unsigned long cp;
            int extra;
            if (c >= 0xf0) {
                cp = c & 0x07u;
                extra = 3;
            } else if (c >= 0xe0) {
                cp = c & 0x0fu;
                extra = 2;
            } else {
                cp = c & 0x1fu;
                extra = 1;
            }
            for (int i = 0; i < extra && (u[1] & 0xc0) == 0x80; i++)
                cp = (cp << 6) | (*++u & 0x3fu);
            if (cp <= 0xff) {
                xbuf_putc(b, (char)cp);
            } else {
                char ref[16];
                int n = snprintf(ref, sizeof ref, "&#%lu;", cp);
                xbuf_put(b, ref, (size_t)n);
            }
        }
        u++;
    }
}

/* Start tag opener "<p:name" (no ">"): p is "" or "prefix:". */
static void xbuf_open(struct xbuf *b, const char *p, const char *name)
{
    xbuf_putc(b, '<');
    xbuf_puts(b, p);
    xbuf_puts(b, name);
}

static void xbuf_close(struct xbuf *b, const char *p, const char *name)
{
    xbuf_put(b, "</", 2);
    xbuf_puts(b, p);
    xbuf_puts(b, name);
    xbuf_putc(b, '>');
}

/* Attribute  name="value"  with a leading space; value is UTF-8 text. */
static void xbuf_attr(struct xbuf *b, const char *name, const char *value)
{
    xbuf_putc(b, ' ');
    xbuf_puts(b, name);
    xbuf_put(b, "=\"", 2);
    xbuf_text(b, value, 1);
    xbuf_putc(b, '"');
}

static void xbuf_attr_long(struct xbuf *b, const char *name, long value)
{
    xbuf_putc(b, ' ');
    xbuf_puts(b, name);
    xbuf_put(b, "=\"", 2);
    xbuf_long(b, value);
    xbuf_putc(b, '"');
}

/* --- ref: the reporting units of sql/reference --------------------------- */

struct ref_unit {
    int year;             /* a municipality: the year it is valid in;
                           * a district: 0 (valid in every year) */
    char code[8];         /* "4601", "030112" */
    char name[72];        /* UTF-8, SSB's name ("Bø (Nordland)") */
    int district;
};

struct ref {
    struct ref_unit *units;  /* municipalities (without 0301) and districts */
    size_t n;
    int first_year, last_year;
};

/* Split a CSV line without quotes into at most max fields, in place;
 * returns the number of fields, or -1 when the line has a quote. */
static int ref_split(char *line, char **fields, int max)
{
    line[strcspn(line, "\r\n")] = '\0';
    if (strchr(line, '"'))
        return -1;
    int n = 0;
    char *p = line;
    while (n < max) {
        fields[n++] = p;
        char *comma = strchr(p, ',');
        if (!comma)
            break;
        *comma = '\0';
        p = comma + 1;
    }
    return n;
}

static int ref_add(struct ref *r, size_t *cap, int year, const char *code,
                   const char *name, int district)
{
    if (r->n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 1024;
        struct ref_unit *u = realloc(r->units, ncap * sizeof *u);
        if (!u)
            return -1;
        r->units = u;
        *cap = ncap;
    }
    struct ref_unit *u = &r->units[r->n++];
    u->year = year;
    snprintf(u->code, sizeof u->code, "%s", code);
    snprintf(u->name, sizeof u->name, "%s", name);
    u->district = district;
    return 0;
}

static int ref_digits(const char *s, size_t len)
{
    if (strlen(s) != len)
        return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

/* Read one of the two CSV files into r; -1 (with a message) on error. */
static int ref_read(struct ref *r, size_t *cap, const char *dir,
                    const char *file, int districts)
{
    char path[4096], line[512];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    FILE *f = fopen(path, "r");
    if (!f) {
        gen_error("cannot open '%s': %s", path, strerror(errno));
        return -1;
    }
    long lineno = 0;
    int rc = 0;
    while (rc == 0 && fgets(line, sizeof line, f)) {
        char *fld[5];
        if (++lineno == 1)
            continue; /* header */
        int n = ref_split(line, fld, 5);
        if (n == 1 && fld[0][0] == '\0')
            continue;
        if (districts) {
            if (n != 3 || !ref_digits(fld[0], 6) || fld[1][0] == '\0') {
                rc = -1;
            } else {
                rc = ref_add(r, cap, 0, fld[0], fld[1], 1);
            }
        } else {
            if (n != 4 || !ref_digits(fld[0], 4) || !ref_digits(fld[1], 4) ||
                fld[2][0] == '\0') {
                rc = -1;
            } else {
                int year = atoi(fld[0]);
                if (r->first_year == 0 || year < r->first_year)
                    r->first_year = year;
                if (year > r->last_year)
                    r->last_year = year;
                if (strcmp(fld[1], "0301") != 0) /* Oslo reports by district */
                    rc = ref_add(r, cap, year, fld[1], fld[2], 0);
            }
        }
        if (rc != 0)
            gen_error("'%s' line %ld: not what was expected", path, lineno);
    }
    if (rc == 0 && ferror(f)) {
        gen_error("cannot read '%s': %s", path, strerror(errno));
        rc = -1;
    }
    fclose(f);
    return rc;
}

/* Load the reference from dir (sql/reference); -1 (with a message) on error. */
static int ref_load(struct ref *r, const char *dir)
{
    size_t cap = 0;
    memset(r, 0, sizeof *r);
    if (ref_read(r, &cap, dir, "municipalities_by_year.csv", 0) != 0 ||
        ref_read(r, &cap, dir, "oslo_districts.csv", 1) != 0)
        return -1;
    if (r->first_year == 0) {
        gen_error("'%s/municipalities_by_year.csv' holds no municipality", dir);
        return -1;
    }
    return 0;
}

static void ref_free(struct ref *r)
{
    free(r->units);
    r->units = NULL;
    r->n = 0;
}

static int ref_cmp_code(const void *a, const void *b)
{
    const struct ref_unit *const *x = a, *const *y = b;
    return strcmp((*x)->code, (*y)->code);
}

/* The units reporting for year into out (room for r->n), sorted by code,
 * which keeps each county together (Oslo's districts fall in 03).  Returns
 * how many. */
static size_t ref_year(const struct ref *r, int year,
                       const struct ref_unit **out)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n; i++)
        if (r->units[i].district || r->units[i].year == year)
            out[n++] = &r->units[i];
    qsort(out, n, sizeof *out, ref_cmp_code);
    return n;
}

/* --- codes: the answers of the work chapter (spec §5) -------------------- */

enum yn { YN_NONE = 0, YN_YES, YN_NO, YN_DONT_KNOW };
enum rt {
    RT_NONE = 0, RT_VERY_GOOD, RT_GOOD, RT_NEITHER, RT_LESS_GOOD, RT_BAD,
    RT_DONT_KNOW
};
enum choice { CH_IPS = 1, CH_SE = 2, CH_INGEN = 4, CH_VETIKKE = 8 };

struct code_row {
    const char *word;    /* the database's word */
    const char *v1, *v2; /* codes */
    const char *label;   /* UTF-8 */
};

static const struct code_row code_yn[] = {
    [YN_YES] = { "yes", "1", "1", "Ja" },
    [YN_NO] = { "no", "2", "2", "Nei" },
    [YN_DONT_KNOW] = { "dont_know", "9", "3", "Vet ikke" },
};

static const struct code_row code_rt[] = {
    [RT_VERY_GOOD] = { "very_good", "1", "5", "Svært god" },
    [RT_GOOD] = { "good", "2", "4", "God" },
    [RT_NEITHER] = { "neither", "3", "3", "Verken god eller dårlig" },
    [RT_LESS_GOOD] = { "less_good", "4", "2", "Mindre god" },
    [RT_BAD] = { "bad", "5", "1", "Dårlig" },
    [RT_DONT_KNOW] = { "dont_know", "9", "0", "Vet ikke" },
};

static const struct { enum choice bit; const char *code, *label; } code_ch[] = {
    { CH_IPS, "IPS", "Individuell jobbstøtte (IPS)" },
    { CH_SE, "SE", "Supported employment (SE)" },
    { CH_INGEN, "INGEN", "Ingen av disse" },
    { CH_VETIKKE, "VETIKKE", "Vet ikke" },
};

/* --- intent: what one report is meant to say ----------------------------- */

enum field { FIELD_MENTAL = 0, FIELD_SUBSTANCE = 1 };

struct intent {
    long population;       /* -1: innbyggere left out */
    enum yn collab, specialist;
    enum rt rating;
    enum yn ipsse_v1[2];   /* version 1: one yes/no per field */
    unsigned choices[2];   /* version 2: enum choice bits; 0 unanswered */
};

/* The largest municipalities, by name, with about their population on
 * 1 January 2020 (SSB); every other unit's size is drawn at random. */
static const struct { const char *name; long pop2020; } big_cities[] = {
    { "Bergen", 285900 }, { "Trondheim", 205300 }, { "Stavanger", 143600 },
    { "Bærum", 127700 }, { "Kristiansand", 111600 }, { "Drammen", 101400 },
    { "Asker", 94400 }, { "Lillestrøm", 86000 }, { "Fredrikstad", 82400 },
    { "Sandnes", 80400 }, { "Tromsø", 77000 }, { "Ålesund", 66300 },
    { "Sandefjord", 64000 }, { "Tønsberg", 57800 }, { "Sarpsborg", 56700 },
    { "Skien", 54900 }, { "Bodø", 52400 }, { "Moss", 49300 },
    { "Larvik", 47100 }, { "Arendal", 44800 },
};

/* The unit's population on 1 January of year: drawn once per unit (by its
 * name, so it survives renumbering) over the size classes, then a steady
 * yearly growth. */
static long intent_population(uint64_t seed, const struct ref_unit *u,
                              int year)
{
    struct rng r = rng_stream(seed, STREAM_POPULATION, rng_hash_str(u->name),
                              (uint64_t)u->district, 0);
    long base = -1, lo = 100, hi = 2000000, permille;
    for (size_t i = 0; i < sizeof big_cities / sizeof big_cities[0]; i++)
        if (!u->district && strcmp(u->name, big_cities[i].name) == 0)
            base = big_cities[i].pop2020;
    if (u->district) {
        base = 5000 + (long)rng_below(&r, 55001);
        lo = 5000;
        hi = 60000;
    } else if (base < 0) {
        /* roughly the shares of the other municipalities by size */
        static const unsigned weights[] = { 18, 29, 21, 18, 14 };
        static const long from[] = { 200, 2000, 5000, 10000, 20000 };
        static const long span[] = { 1800, 3000, 5000, 10000, 25000 };
        unsigned c = rng_weighted(&r, weights, 5);
        base = from[c] + (long)rng_below(&r, (unsigned)span[c]);
    }
    permille = (long)rng_below(&r, 24) - 8; /* -0.8 % .. +1.5 % a year */
    long pop = base + base * permille * (year - 2020) / 1000;
    return pop < lo ? lo : pop > hi ? hi : pop;
}

static const char *intent_size_class(const struct ref_unit *u, long pop)
{
    if (u->district)
        return "Oslo bydel";
    if (pop < 0)
        return NULL;
    return pop < 2000    ? "<2000"
           : pop < 5000  ? "2000-4999"
           : pop < 10000 ? "5000-9999"
           : pop < 20000 ? "10000-19999"
           : pop < 50000 ? "20000-49999"
                         : "50000+";
}

static enum yn intent_yn(struct rng *r, unsigned yes, unsigned no,
                         unsigned dont_know)
{
    const unsigned w[] = { yes, no, dont_know };
    return (enum yn)(YN_YES + rng_weighted(r, w, 3));
}

/*
 * The answers of report number nr (0-based) of unit u for year.  Shares
 * move with the years: collaboration and IPS/SE grow more common.
 */
static void intent_make(uint64_t seed, const struct ref_unit *u, int year,
                        int nr, struct intent *in)
{
    struct rng r = rng_stream(seed, STREAM_ANSWERS, rng_hash_str(u->code),
                              (uint64_t)year, (uint64_t)nr);
    int t = year - 2015 < 12 ? year - 2015 : 12; /* the trends level off */
    memset(in, 0, sizeof *in);

    in->population = intent_population(seed, u, year);
    /* innbyggere may be left out (v1 allows it; v2 gives a warning) */
    if (!u->district && rng_chance(&r, year >= GEN_FIRST_V2 ? 4 : 2))
        in->population = -1;

    if (!rng_chance(&r, 3))
        in->collab = intent_yn(&r, 50 + 3 * (unsigned)t, 44 - 3 * (unsigned)t,
                               6);
    if (year >= 2016) {
        if (in->collab == YN_YES) {
            if (!rng_chance(&r, 5))
                in->specialist = intent_yn(&r, 45, 43, 12);
        } else if (rng_chance(&r, 30)) { /* answered though not asked to */
            in->specialist = intent_yn(&r, 20, 60, 20);
        }
    }
    if (!rng_chance(&r, 4)) {
        static const unsigned w[] = { 10, 35, 25, 15, 7, 8 };
        in->rating = (enum rt)(RT_VERY_GOOD + rng_weighted(&r, w, 6));
    }
    if (year >= 2016) {
        for (int f = 0; f < 2; f++) {
            if (rng_chance(&r, 4))
                continue; /* not answered */
            unsigned yes = 12 + 5 * (unsigned)t + (f == FIELD_MENTAL ? 6 : 0);
            unsigned x = rng_below(&r, 100);
            if (year < GEN_FIRST_V2) {
                in->ipsse_v1[f] = x < yes ? YN_YES : x < 92 ? YN_NO
                                                            : YN_DONT_KNOW;
            } else if (x < yes) {
                unsigned k = rng_below(&r, 4);
                in->choices[f] = k < 2 ? CH_IPS : k < 3 ? CH_SE
                                                        : CH_IPS | CH_SE;
            } else {
                in->choices[f] = x < 92 ? CH_INGEN : CH_VETIKKE;
            }
        }
    }
}

/* --- other chapters: numbers with a decimal comma and free text ---------- */

static const char *const other_texts[] = {
    "Årsverk i rusarbeid er ført under psykisk helsearbeid",
    "Tallene er anslått & ikke kvalitetssikret",
    "Stillinger < 20 % er ikke tatt med",
    "Se vedlagt plan (\"Handlingsplan 2016–2019\")",
    "Kommunen samarbeider med nabokommunene om lavterskeltilbud",
    "Ingen endring fra i fjor",
    "Brukerplan-kartlegging gjennomført høsten",
    "Tjenesten er organisert under helse- og omsorgssjefen",
    "Økt bemanning i boligtjenesten; 2 nye årsverk",
    "Kafé-tilbud > 3 dager i uka",
    "Ja, delvis",
    "Vi viser til kommentar i fjorårets rapport 'Rus og psykisk helse'",
};

static const struct { int nr; const char *title; } other_chapters[] = {
    { 1, "Planer og organisering" }, { 2, "Brukermedvirkning" },
    { 3, "Tjenester" }, { 4, "Årsverk" }, { 5, "Kompetanse" },
    { 6, "Samarbeid med spesialisthelsetjenesten" },
    { 22, "Kommentarer" },
};
#define N_OTHER_CHAPTERS (sizeof other_chapters / sizeof other_chapters[0])

/* The value of one other answer: a number with a decimal comma (or a whole
 * number) or a free text; UTF-8 into out. */
static void other_value(struct rng *r, char *out, size_t outsz)
{
    unsigned x = rng_below(r, 100);
    if (x < 45)
        snprintf(out, outsz, "%u,%u", rng_below(r, 400), rng_below(r, 10));
    else if (x < 60)
        snprintf(out, outsz, "0,%02u", 1 + rng_below(r, 99));
    else if (x < 70)
        snprintf(out, outsz, "%u", rng_below(r, 60));
    else
        snprintf(out, outsz, "%s",
                 other_texts[rng_below(r, sizeof other_texts /
                                              sizeof other_texts[0])]);
}

/* --- labels: written the many ways the spec allows (§4) ------------------ */

/* Upper or lower case a UTF-8 string in place: ASCII and Latin-1 letters. */
static void label_case(char *s, int upper, struct rng *random_case)
{
    unsigned char *u = (unsigned char *)s;
    for (; *u; u++) {
        int up = random_case ? (int)rng_below(random_case, 2) : upper;
        if (*u < 0x80) {
            if (up && *u >= 'a' && *u <= 'z')
                *u = (unsigned char)(*u - 'a' + 'A');
            else if (!up && *u >= 'A' && *u <= 'Z')
                *u = (unsigned char)(*u - 'A' + 'a');
        } else if (*u == 0xc3 && u[1]) {
            unsigned char c = u[1];
            /* U+00E0..U+00FE lower <-> U+00C0..U+00DE upper, not × ÷ */
            if (up && c >= 0xa0 && c <= 0xbe && c != 0xb7)
                u[1] = (unsigned char)(c - 0x20);
            else if (!up && c >= 0x80 && c <= 0x9e && c != 0x97)
                u[1] = (unsigned char)(c + 0x20);
            u++;
        }
    }
}

/* Copy s to out with every å/Å decomposed (a + U+030A, NFD). */
static void label_nfd(const char *s, char *out, size_t outsz)
{
    size_t n = 0;
    for (; *s && n + 4 < outsz; s++) {
        if ((unsigned char)s[0] == 0xc3 &&
            ((unsigned char)s[1] == 0xa5 || (unsigned char)s[1] == 0x85)) {
            out[n++] = (unsigned char)s[1] == 0xa5 ? 'a' : 'A';
            out[n++] = (char)0xcc;
            out[n++] = (char)0x8a;
            s++;
        } else {
            out[n++] = *s;
        }
    }
    out[n] = '\0';
}

/*
 * A label as a report may spell it: mostly as in §5, otherwise in another
 * case, with white space around it or doubled inside, or with å in NFD.
 * UTF-8 into out.
 */
static void label_variant(struct rng *r, const char *label, char *out,
                          size_t outsz)
{
    char a[160], b[200];
    snprintf(a, sizeof a, "%s", label);
    if (rng_chance(r, 55)) {
        snprintf(out, outsz, "%s", a);
        return;
    }
    switch (rng_below(r, 4)) {
    case 0: label_case(a, 0, NULL); break;
    case 1: label_case(a, 1, NULL); break;
    case 2: label_case(a, 0, r); break;
    default: break;
    }
    if (rng_chance(r, 40)) { /* double an inner space, or make it three */
        size_t n = 0;
        const char *run = rng_chance(r, 50) ? "  " : "   ";
        for (const char *p = a; *p && n + 4 < sizeof b; p++) {
            if (*p == ' ') {
                memcpy(b + n, run, strlen(run));
                n += strlen(run);
            } else {
                b[n++] = *p;
            }
        }
        b[n] = '\0';
        memcpy(a, b, n + 1 < sizeof a ? n + 1 : sizeof a);
        a[sizeof a - 1] = '\0';
    }
    if (rng_chance(r, 30))
        label_nfd(a, b, sizeof b);
    else
        snprintf(b, sizeof b, "%s", a);
    switch (rng_below(r, 4)) {
    case 0: snprintf(out, outsz, " %s ", b); break;
    case 1: snprintf(out, outsz, "\n        %s\n      ", b); break;
    case 2: snprintf(out, outsz, "%s  ", b); break;
    default: snprintf(out, outsz, "%s", b); break;
    }
}

/* --- times: submission instants (Europe/Oslo) ---------------------------- */

struct gen_time {
    int y, m, d, hh, mm, ss;
};

/* Days since 1970-01-01 of a civil date (proleptic Gregorian).  The same
 * arithmetic as transform/instant.c, written again on purpose: the
 * generator is the tests' oracle for submission times, and must not share
 * a mistake with the code it checks. */
static long time_days(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void time_civil(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* The day (days since 1970) of the last Sunday of a month with 31 days. */
static long time_last_sunday(int y, int m)
{
    long last = time_days(y, m, 31);
    long weekday = ((last % 7) + 7 + 4) % 7; /* 1970-01-01 was a Thursday */
    return last - weekday;
}

/* Is local Norwegian time t summer time?  Only right away from the switch
 * hours (01:00-03:00 UTC), which we never use. */
static int time_summer(const struct gen_time *t)
{
    long day = time_days(t->y, t->m, t->d);
    return day >= time_last_sunday(t->y, 3) && day < time_last_sunday(t->y, 10);
}

/*
 * The local time of submission number i (0-based, later for larger i) of a
 * unit's report for year: a working day after the year, mostly February or
 * March, some in summer time, between 08:00 and 17:59.
 */
static struct gen_time time_submitted(uint64_t seed, const struct ref_unit *u,
                                      int year, long i)
{
    struct rng r = rng_stream(seed, STREAM_TIME, rng_hash_str(u->code),
                              (uint64_t)year, 0);
    static const unsigned w[] = { 40, 33, 12, 8, 7 }; /* February .. June */
    int month = 2 + (int)rng_weighted(&r, w, 5);
    int day = 1 + (int)rng_below(&r, 28);
    long slot = (long)rng_below(&r, 240) + i * 7; /* minutes after 08:00 */
    struct gen_time t;
    time_civil(time_days(year + 1, month, day) + slot / 600, &t.y, &t.m, &t.d);
    t.hh = 8 + (int)(slot % 600) / 60;
    t.mm = (int)(slot % 60);
    t.ss = (int)rng_below(&r, 60);
    return t;
}

/* "2018-03-01T14:05:00" into out (room for 20). */
static void time_local(const struct gen_time *t, char *out, size_t outsz)
{
    snprintf(out, outsz, "%04d-%02d-%02dT%02d:%02d:%02d", t->y, t->m, t->d,
             t->hh, t->mm, t->ss);
}

/* The same instant with an offset: "+01:00"/"+02:00" as in Norway, or in
 * UTC with "Z". */
static void time_offset(const struct gen_time *t, int utc, char *out,
                        size_t outsz)
{
    int off = time_summer(t) ? 2 : 1;
    if (utc)
        snprintf(out, outsz, "%04d-%02d-%02dT%02d:%02d:%02dZ", t->y, t->m,
                 t->d, t->hh - off, t->mm, t->ss);
    else
        snprintf(out, outsz, "%04d-%02d-%02dT%02d:%02d:%02d+0%d:00", t->y,
                 t->m, t->d, t->hh, t->mm, t->ss, off);
}

/* --- report writers ------------------------------------------------------ */

struct gen {
    uint64_t seed;
    int other_answers;       /* per report */
    int reports_per_unit;    /* N */
    long repeat;             /* K */
};

/* The name as a report gives it: SSB's "Bø (Nordland)" mostly as "Bø". */
static void report_name(struct rng *r, const char *name, char *out,
                        size_t outsz)
{
    snprintf(out, outsz, "%s", name);
    char *paren = strstr(out, " (");
    size_t n = strlen(out);
    if (paren && n > 0 && out[n - 1] == ')' && rng_chance(r, 70))
        *paren = '\0';
}

/* Version 1 other answer: <sporsmal id="c.n">value</sporsmal> */
static void v1_other(struct xbuf *b, struct rng *r, int chapter, int nr)
{
    char val[160], id[24];
    other_value(r, val, sizeof val);
    snprintf(id, sizeof id, "%d.%d", chapter, nr);
    xbuf_nl(b, 2);
    xbuf_open(b, "", "sporsmal");
    xbuf_attr(b, "id", id);
    xbuf_putc(b, '>');
    xbuf_text(b, val, 0);
    xbuf_close(b, "", "sporsmal");
}

/* A version 1 answer of the work chapter; code NULL: not answered (left out
 * or written empty). */
static void v1_answer(struct xbuf *b, struct rng *style, const char *id,
                      const char *code)
{
    if (!code) {
        unsigned how = rng_below(style, 3);
        if (how == 0)
            return;
        xbuf_nl(b, 2);
        xbuf_open(b, "", "sporsmal");
        xbuf_attr(b, "id", id);
        xbuf_puts(b, how == 1 ? "/>" : "></sporsmal>");
        return;
    }
    xbuf_nl(b, 2);
    xbuf_open(b, "", "sporsmal");
    xbuf_attr(b, "id", id);
    xbuf_putc(b, '>');
    xbuf_puts(b, code);
    xbuf_close(b, "", "sporsmal");
}

static const char *v1_yn(enum yn v)
{
    return v == YN_NONE ? NULL : code_yn[v].v1;
}

/*
 * One version 1 file (one report, ISO-8859-1) into b.  submission is the
 * report's submission number (copy * N + nr).
 */
static void v1_file(const struct gen *g, struct xbuf *b,
                    const struct ref_unit *u, int year, int nr,
                    long submission, const struct intent *in)
{
    struct rng style = rng_stream(g->seed, STREAM_STYLE, rng_hash_str(u->code),
                                  (uint64_t)year, (uint64_t)nr);
    char tmp[96];
    xbuf_reset(b, "\n", 1);
    xbuf_puts(b, "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>");
    xbuf_nl(b, 0);
    xbuf_puts(b, "<kommunerapport skjema=\"IS-24/8\" versjon=\"1\">");
    xbuf_nl(b, 1);
    xbuf_puts(b, "<aargang>");
    xbuf_long(b, year);
    xbuf_puts(b, "</aargang>");
    struct gen_time t = time_submitted(g->seed, u, year, submission);
    time_local(&t, tmp, sizeof tmp);
    xbuf_nl(b, 1);
    xbuf_puts(b, "<innsendt>");
    xbuf_puts(b, tmp);
    xbuf_puts(b, "</innsendt>");
    xbuf_nl(b, 1);
    xbuf_puts(b, u->district ? "<enhet type=\"bydel\">"
                             : "<enhet type=\"kommune\">");
    xbuf_nl(b, 2);
    xbuf_puts(b, "<nummer>");
    xbuf_puts(b, u->code);
    xbuf_puts(b, "</nummer>");
    report_name(&style, u->name, tmp, sizeof tmp);
    xbuf_nl(b, 2);
    xbuf_puts(b, "<navn>");
    xbuf_text(b, tmp, 0);
    xbuf_puts(b, "</navn>");
    if (in->population >= 0) {
        xbuf_nl(b, 2);
        xbuf_puts(b, "<innbyggere>");
        xbuf_long(b, in->population);
        xbuf_puts(b, "</innbyggere>");
    }
    xbuf_nl(b, 1);
    xbuf_puts(b, "</enhet>");
    xbuf_nl(b, 1);
    xbuf_puts(b, "<svar>");

    /* other chapters before and after chapter 7, in order */
    int before = g->other_answers - g->other_answers / 4;
    for (int i = 0, chapter = 0, nr_in = 0; i < before; i++) {
        int c = 1 + i * 6 / before;
        nr_in = c == chapter ? nr_in + 1 : 1;
        chapter = c;
        v1_other(b, &style, chapter, nr_in);
    }
    v1_answer(b, &style, "7.1", v1_yn(in->collab));
    if (year >= 2016)
        v1_answer(b, &style, "7.1.1", v1_yn(in->specialist));
    v1_answer(b, &style, "7.2",
              in->rating == RT_NONE ? NULL : code_rt[in->rating].v1);
    if (year >= 2016) {
        v1_answer(b, &style, "7.3", v1_yn(in->ipsse_v1[FIELD_MENTAL]));
        v1_answer(b, &style, "7.4", v1_yn(in->ipsse_v1[FIELD_SUBSTANCE]));
    }
    for (int i = before; i < g->other_answers; i++)
        v1_other(b, &style, 8, 1 + i - before);
    xbuf_nl(b, 1);
    xbuf_puts(b, "</svar>");
    xbuf_nl(b, 0);
    xbuf_puts(b, "</kommunerapport>");
    xbuf_nl(b, 0);
}

/* A version 2 Svar element start "<p:Svar sporsmal="id"" (no ">"). */
static void v2_svar_open(struct xbuf *b, const char *p, const char *id)
{
    xbuf_nl(b, 3);
    xbuf_open(b, p, "Svar");
    xbuf_attr(b, "sporsmal", id);
}

/* An unanswered Svar: left out, or empty with no kode. */
static void v2_unanswered(struct xbuf *b, struct rng *style, const char *p,
                          const char *id)
{
    unsigned how = rng_below(style, 3);
    if (how == 0)
        return;
    v2_svar_open(b, p, id);
    if (how == 1) {
        xbuf_puts(b, "/>");
    } else {
        xbuf_putc(b, '>');
        xbuf_close(b, p, "Svar");
    }
}

/* A Svar with one answer: kode and label (1/2), kode alone or label alone;
 * row NULL: not answered. */
static void v2_single(struct xbuf *b, struct rng *style, const char *p,
                      const char *id, const struct code_row *row)
{
    if (!row) {
        v2_unanswered(b, style, p, id);
        return;
    }
    char label[256];
    unsigned how = rng_below(style, 4);
    v2_svar_open(b, p, id);
    if (how != 3)
        xbuf_attr(b, "kode", row->v2);
    if (how == 2) {
        xbuf_puts(b, "/>");
        return;
    }
    xbuf_putc(b, '>');
    label_variant(style, row->label, label, sizeof label);
    xbuf_text(b, label, 0);
    xbuf_close(b, p, "Svar");
}

/* An ARB_IPS_SE_* Svar with its Valg elements; choices 0: not answered. */
static void v2_choices(struct xbuf *b, struct rng *style, const char *p,
                       const char *id, unsigned choices)
{
    if (!choices) {
        v2_unanswered(b, style, p, id);
        return;
    }
    char label[256];
    int reverse = rng_chance(style, 30); /* SE before IPS */
    v2_svar_open(b, p, id);
    xbuf_putc(b, '>');
    for (int k = 0; k < 4; k++) {
        int i = reverse && k < 2 ? 1 - k : k;
        if (!(choices & code_ch[i].bit))
            continue;
        unsigned how = rng_below(style, 10);
        xbuf_nl(b, 4);
        xbuf_open(b, p, "Valg");
        if (how < 8)
            xbuf_attr(b, "kode", code_ch[i].code);
        if (how == 7) {
            xbuf_puts(b, "/>");
            continue;
        }
        xbuf_putc(b, '>');
        label_variant(style, code_ch[i].label, label, sizeof label);
        xbuf_text(b, label, 0);
        xbuf_close(b, p, "Valg");
    }
    xbuf_nl(b, 3);
    xbuf_close(b, p, "Svar");
}

/* A Kapittel of other answers in version 2: other_chapters[ci], n answers. */
static void v2_other_chapter(struct xbuf *b, struct rng *style, const char *p,
                             int ci, int n)
{
    char val[160], id[16];
    xbuf_nl(b, 2);
    xbuf_open(b, p, "Kapittel");
    xbuf_attr_long(b, "nr", other_chapters[ci].nr);
    xbuf_attr(b, "tittel", other_chapters[ci].title);
    xbuf_putc(b, '>');
    for (int i = 0; i < n; i++) {
        snprintf(id, sizeof id, "%d.%d", other_chapters[ci].nr, i + 1);
        v2_svar_open(b, p, id);
        if (rng_chance(style, 10)) { /* a coded answer of another chapter */
            unsigned v = 1 + rng_below(style, 3);
            xbuf_attr(b, "kode", code_yn[v].v2);
            xbuf_putc(b, '>');
            xbuf_text(b, code_yn[v].label, 0);
        } else {
            other_value(style, val, sizeof val);
            xbuf_putc(b, '>');
            xbuf_text(b, val, 0);
        }
        xbuf_close(b, p, "Svar");
    }
    xbuf_nl(b, 2);
    xbuf_close(b, p, "Kapittel");
}

/* Ways of writing the namespace of a county file. */
enum ns_style {
    NS_DEFAULT,         /* <Rapporter xmlns="...">, children unprefixed */
    NS_PREFIX,          /* <is:Rapporter xmlns:is="...">, children is: */
    NS_REDECLARE,       /* <x:Rapporter xmlns:x>, each <Rapport xmlns=...> */
    NS_BOTH             /* <h:Rapporter xmlns:h xmlns>, children unprefixed */
};

/*
 * One version 2 Rapport, a child of <Rapporter>, into b.  p is the
 * children's prefix ("" or "x:"); xmlns, when not NULL, is declared on it.
 */
static void v2_report(const struct gen *g, struct xbuf *b,
                      const struct ref_unit *u, int year, int nr, long copy,
                      const char *p, const char *xmlns,
                      const struct intent *in)
{
    struct rng style = rng_stream(g->seed, STREAM_STYLE, rng_hash_str(u->code),
                                  (uint64_t)year, (uint64_t)nr);
    long submission = copy * g->reports_per_unit + nr;
    struct rng sub = rng_stream(g->seed, STREAM_SUBMISSION,
                                rng_hash_str(u->code), (uint64_t)year,
                                (uint64_t)submission);
    char tmp[160];

    xbuf_nl(b, 1);
    xbuf_open(b, p, "Rapport");
    if (xmlns)
        xbuf_attr(b, "xmlns", xmlns);
    xbuf_attr_long(b, "rapporteringsaar", year);
    xbuf_putc(b, '>');

    uint64_t h = rng_next(&sub), l = rng_next(&sub);
    snprintf(tmp, sizeof tmp, "%08x-%04x-4%03x-%04x-%012llx",
             (unsigned)(h >> 32), (unsigned)(h >> 16) & 0xffffu,
             (unsigned)h & 0xfffu, 0x8000u | ((unsigned)(l >> 48) & 0x3fffu),
             (unsigned long long)(l & 0xffffffffffffULL));
    xbuf_nl(b, 2);
    xbuf_open(b, p, "Innsending");
    xbuf_attr(b, "id", tmp);
    struct gen_time t = time_submitted(g->seed, u, year, submission);
    time_offset(&t, rng_chance(&sub, 15), tmp, sizeof tmp);
    xbuf_attr(b, "tidspunkt", tmp);
    xbuf_puts(b, "/>");

    xbuf_nl(b, 2);
    xbuf_open(b, p, "Enhet");
    xbuf_attr(b, "type", u->district ? "bydel" : "kommune");
    xbuf_attr(b, "nummer", u->code);
    if (in->population >= 0)
        xbuf_attr_long(b, "innbyggere", in->population);
    xbuf_putc(b, '>');
    report_name(&style, u->name, tmp, sizeof tmp);
    xbuf_text(b, tmp, 0);
    xbuf_close(b, p, "Enhet");

    /* other answers: most in chapters 1-6 before, a quarter in 22 after */
    int before = g->other_answers - g->other_answers / 4;
    int per = before > 0 ? (before + 5) / 6 : 0;
    for (int ci = 0, done = 0; done < before; ci++) {
        int n = before - done < per ? before - done : per;
        v2_other_chapter(b, &style, p, ci, n);
        done += n;
    }

    xbuf_nl(b, 2);
    xbuf_open(b, p, "Kapittel");
    xbuf_attr(b, "nr", "21");
    xbuf_attr(b, "tittel", "Arbeidstiltak");
    xbuf_putc(b, '>');
    v2_single(b, &style, p, "ARB_NAV_SAMARBEID",
              in->collab ? &code_yn[in->collab] : NULL);
    v2_single(b, &style, p, "ARB_NAV_SAMARBEID_SPES",
              in->specialist ? &code_yn[in->specialist] : NULL);
    v2_single(b, &style, p, "ARB_NAV_SAMHANDLING",
              in->rating ? &code_rt[in->rating] : NULL);
    v2_choices(b, &style, p, "ARB_IPS_SE_PSYK", in->choices[FIELD_MENTAL]);
    v2_choices(b, &style, p, "ARB_IPS_SE_RUS", in->choices[FIELD_SUBSTANCE]);
    xbuf_nl(b, 2);
    xbuf_close(b, p, "Kapittel");

    if (g->other_answers / 4 > 0)
        v2_other_chapter(b, &style, p, (int)N_OTHER_CHAPTERS - 1,
                         g->other_answers / 4);
    xbuf_nl(b, 1);
    xbuf_close(b, p, "Rapport");
}

/* The start of a version 2 county file: declaration (maybe after a BOM),
 * maybe a comment and a processing instruction, and <Rapporter>. */
static void v2_file_start(struct xbuf *b, struct rng *fr, const char *county,
                          size_t n_units, const char *root_p, enum ns_style ns)
{
    if (rng_chance(fr, 15))
        xbuf_puts(b, "\xef\xbb\xbf");
    xbuf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    if (rng_chance(fr, 40)) {
        xbuf_nl(b, 0);
        xbuf_puts(b, "<!-- IS-24/8 fylke ");
        xbuf_puts(b, county);
        xbuf_puts(b, ": ");
        xbuf_long(b, (long)n_units);
        xbuf_puts(b, " rapporter -->");
    }
    if (rng_chance(fr, 10)) {
        xbuf_nl(b, 0);
        xbuf_puts(b, "<?eksport system=\"KOSTRA\" versjon=\"2.4\"?>");
    }
    xbuf_nl(b, 0);
    xbuf_open(b, root_p, "Rapporter");
    switch (ns) {
    case NS_DEFAULT:
        xbuf_attr(b, "xmlns", GEN_NS);
        break;
    case NS_PREFIX:
    case NS_REDECLARE:
    case NS_BOTH:
        xbuf_putc(b, ' ');
        xbuf_puts(b, "xmlns:");
        xbuf_put(b, root_p, strlen(root_p) - 1);
        xbuf_put(b, "=\"", 2);
        xbuf_puts(b, GEN_NS);
        xbuf_putc(b, '"');
        if (ns == NS_BOTH)
            xbuf_attr(b, "xmlns", GEN_NS);
        break;
    }
    xbuf_putc(b, '>');
}

/* --- sink: where the files go -------------------------------------------- */

enum out_format { FMT_DIR, FMT_ZIP, FMT_TAR, FMT_TARGZ };

struct sink {
    enum out_format fmt;
    const char *root;            /* FMT_DIR: the directory */
    struct archive *a;           /* archives */
    struct archive_entry *entry; /* reused */
    char lastdir[4096];          /* FMT_DIR: the last directory made */
};

/* mkdir -p; -1 (with a message) on error. */
static int sink_mkdirs(const char *path)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char c = *p;
        *p = '\0';
        if (mkdir(tmp, 0777) != 0 && errno != EEXIST) {
            gen_error("cannot create directory '%s': %s", tmp, strerror(errno));
            return -1;
        }
        *p = c;
        if (c == '\0')
            return 0;
    }
}

static int sink_open(struct sink *s, enum out_format fmt, const char *path)
{
    memset(s, 0, sizeof *s);
    s->fmt = fmt;
    s->root = path;
    if (fmt == FMT_DIR)
        return sink_mkdirs(path);

    s->a = archive_write_new();
    s->entry = archive_entry_new();
    if (!s->a || !s->entry) {
        gen_error("out of memory");
        return -1;
    }
    int r = fmt == FMT_ZIP ? archive_write_set_format_zip(s->a)
                           : archive_write_set_format_pax_restricted(s->a);
    if (r == ARCHIVE_OK && fmt == FMT_TARGZ) {
        r = archive_write_add_filter_gzip(s->a);
        /* no time stamp in the gzip header: same seed, same bytes */
        if (r == ARCHIVE_OK)
            (void)archive_write_set_filter_option(s->a, "gzip", "timestamp",
                                                  NULL);
    }
    if (r == ARCHIVE_OK)
        r = archive_write_set_bytes_in_last_block(s->a, 1);
    if (r == ARCHIVE_OK)
        r = archive_write_open_filename(s->a, path);
    if (r != ARCHIVE_OK) {
        const char *e = archive_error_string(s->a);
        gen_error("cannot create '%s': %s", path, e ? e : "libarchive error");
        return -1;
    }
    return 0;
}

/* Write one file, name relative to the delivery's root. */
static int sink_put(struct sink *s, const char *name, const char *data,
                    size_t len)
{
    if (s->fmt == FMT_DIR) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", s->root, name);
        char *slash = strrchr(path, '/');
        *slash = '\0';
        if (strcmp(path, s->lastdir) != 0) {
            if (sink_mkdirs(path) != 0)
                return -1;
            snprintf(s->lastdir, sizeof s->lastdir, "%s", path);
        }
        *slash = '/';
        FILE *f = fopen(path, "wb");
        if (!f) {
            gen_error("cannot create '%s': %s", path, strerror(errno));
            return -1;
        }
        int bad = fwrite(data, 1, len, f) != len;
        bad |= fclose(f) != 0;
        if (bad) {
            gen_error("cannot write '%s': %s", path, strerror(errno));
            return -1;
        }
        return 0;
    }

    archive_entry_clear(s->entry);
    archive_entry_set_pathname(s->entry, name);
    archive_entry_set_filetype(s->entry, AE_IFREG);
    archive_entry_set_perm(s->entry, 0644);
    archive_entry_set_size(s->entry, (la_int64_t)len);
    archive_entry_set_mtime(s->entry, GEN_ENTRY_MTIME, 0);
    if (archive_write_header(s->a, s->entry) != ARCHIVE_OK)
        goto fail;
    for (size_t done = 0; done < len;) {
        la_ssize_t n = archive_write_data(s->a, data + done, len - done);
        if (n <= 0)
            goto fail;
        done += (size_t)n;
    }
    if (archive_write_finish_entry(s->a) != ARCHIVE_OK)
        goto fail;
    return 0;
fail:;
    const char *e = archive_error_string(s->a);
    gen_error("cannot write '%s' into '%s': %s", name, s->root,
              e ? e : "libarchive error");
    return -1;
}

/* Finish the archive (its last blocks); free everything.  -1 on error. */
static int sink_close(struct sink *s, int ok)
{
    int rc = 0;
    if (s->a) {
        if (ok && archive_write_close(s->a) != ARCHIVE_OK) {
            const char *e = archive_error_string(s->a);
            gen_error("cannot finish '%s': %s", s->root,
                      e ? e : "libarchive error");
            rc = -1;
        }
        archive_write_free(s->a);
        s->a = NULL;
    }
    archive_entry_free(s->entry);
    s->entry = NULL;
    return rc;
}

/* --- manifest ------------------------------------------------------------ */

static const char manifest_header[] =
    "year,unit_code,unit_type,population,size_class,nav_collab,"
    "nav_collab_specialist,nav_rating,ips_se_mental_health,ips_mental_health,"
    "se_mental_health,ips_se_substance,ips_substance,se_substance\n";

static const char *manifest_yn(enum yn v)
{
    return v == YN_NONE ? "" : code_yn[v].word;
}

/* The three columns of one ips_se field: "IPS or SE", IPS, SE. */
static void manifest_field(FILE *f, int year, const struct intent *in, int fl)
{
    if (year < GEN_FIRST_V2) {
        fprintf(f, ",%s,,", manifest_yn(in->ipsse_v1[fl]));
        return;
    }
    unsigned c = in->choices[fl];
    if (c == 0 || c == CH_VETIKKE) {
        fprintf(f, ",%s,,", c ? "dont_know" : "");
        return;
    }
    fprintf(f, ",%s,%s,%s", c & (CH_IPS | CH_SE) ? "yes" : "no",
            c & CH_IPS ? "true" : "false", c & CH_SE ? "true" : "false");
}

/* One row: what the report is meant to be read as, in the database's words
 * (nav_collab_specialist as given, even after "no"). */
static void manifest_row(FILE *f, int year, const struct ref_unit *u,
                         const struct intent *in)
{
    const char *sc = intent_size_class(u, in->population);
    fprintf(f, "%d,%s,%s,", year, u->code, u->district ? "bydel" : "kommune");
    if (in->population >= 0)
        fprintf(f, "%ld", in->population);
    fprintf(f, ",%s,%s,%s,%s", sc ? sc : "", manifest_yn(in->collab),
            manifest_yn(in->specialist),
            in->rating == RT_NONE ? "" : code_rt[in->rating].word);
    manifest_field(f, year, in, FIELD_MENTAL);
    manifest_field(f, year, in, FIELD_SUBSTANCE);
    fputc('\n', f);
}

/* --- the delivery -------------------------------------------------------- */

struct run {
    const struct gen *g;
    struct sink *sink;
    FILE *manifest;             /* or NULL */
    struct xbuf buf;
    const struct ref_unit **units; /* one year's units (room for all) */
    unsigned long long reports, files, bytes;
};

static int run_put(struct run *r, const char *name)
{
    if (r->buf.failed) {
        gen_error("out of memory");
        return -1;
    }
    r->files++;
    r->bytes += r->buf.len;
    return sink_put(r->sink, name, r->buf.p, r->buf.len);
}

/* The folder of copy number copy ("" for the first, "kopi-2/", ...) and
 * the suffix of report number nr ("" for the first, "-2", ...). */
static void run_names(long copy, int nr, char *dir, size_t dirsz, char *suffix,
                      size_t suffixsz)
{
    if (copy > 0)
        snprintf(dir, dirsz, "kopi-%ld/", copy + 1);
    else
        dir[0] = '\0';
    if (nr > 0)
        snprintf(suffix, suffixsz, "-%d", nr + 1);
    else
        suffix[0] = '\0';
}

/* Every unit's report number nr of year, copy number copy. */
static int run_year(struct run *r, int year, size_t n, int nr, long copy)
{
    const struct gen *g = r->g;
    int last = nr == g->reports_per_unit - 1 && copy == 0;
    char dir[32], suffix[16], name[128];
    struct intent in;
    run_names(copy, nr, dir, sizeof dir, suffix, sizeof suffix);

    if (year < GEN_FIRST_V2) {
        for (size_t i = 0; i < n; i++) {
            const struct ref_unit *u = r->units[i];
            intent_make(g->seed, u, year, nr, &in);
            v1_file(g, &r->buf, u, year, nr,
                    copy * g->reports_per_unit + nr, &in);
            snprintf(name, sizeof name, "%s%d/%s%s.xml", dir, year, u->code,
                     suffix);
            if (run_put(r, name) != 0)
                return -1;
            r->reports++;
            if (last && r->manifest)
                manifest_row(r->manifest, year, u, &in);
        }
        return 0;
    }

    static const char *const prefixes[] = { "is:", "ns2:", "h:", "ikr:",
                                            "hdir:" };
    for (size_t i = 0; i < n;) {
        char county[3] = { r->units[i]->code[0], r->units[i]->code[1], 0 };
        size_t end = i;
        while (end < n && memcmp(r->units[end]->code, county, 2) == 0)
            end++;
        struct rng fr = rng_stream(g->seed, STREAM_FILE, rng_hash_str(county),
                                   (uint64_t)year,
                                   (uint64_t)(copy * g->reports_per_unit + nr));
        enum ns_style ns = (enum ns_style)rng_below(&fr, 4);
        const char *root_p =
            ns == NS_DEFAULT ? "" : prefixes[rng_below(&fr, 5)];
        const char *child_p = ns == NS_PREFIX ? root_p : "";
        const char *child_ns = ns == NS_REDECLARE ? GEN_NS : NULL;

        xbuf_reset(&r->buf, rng_chance(&fr, 15) ? "\r\n" : "\n", 0);
        v2_file_start(&r->buf, &fr, county, end - i, root_p, ns);
        for (size_t k = i; k < end; k++) {
            intent_make(g->seed, r->units[k], year, nr, &in);
            v2_report(g, &r->buf, r->units[k], year, nr, copy, child_p,
                      child_ns, &in);
            r->reports++;
            if (last && r->manifest)
                manifest_row(r->manifest, year, r->units[k], &in);
        }
        xbuf_nl(&r->buf, 0);
        xbuf_close(&r->buf, root_p, "Rapporter");
        xbuf_nl(&r->buf, 0);
        snprintf(name, sizeof name, "%s%d/fylke-%s%s.xml", dir, year, county,
                 suffix);
        if (run_put(r, name) != 0)
            return -1;
        i = end;
    }
    return 0;
}

/* --- options and main ---------------------------------------------------- */

static const char usage_text[] =
    "Usage: " GEN_NAME " [OPTION]... --reference DIR --out PATH\n"
    "Write a synthetic IS-24/8 delivery (delivery-format.md): every unit that\n"
    "has to report, every year asked for, answers drawn from --seed.\n"
    "\n"
    "  --years A-B            reporting years (or one year A); 2015-2025\n"
    "  --format F             dir, zip, tar or tar.gz (default: from the name\n"
    "                         of --out; a directory otherwise)\n"
    "  --reports-per-unit N   reports per unit and year, later ones\n"
    "                         correcting earlier ones (default 1)\n"
    "  --repeat K             write the whole set K times, each later\n"
    "                         (default 1)\n"
    "  --seed S               seed of every random choice (default 248)\n"
    "  --other-answers N      answers of other chapters per report\n"
    "                         (default 20)\n"
    "  --reference DIR        sql/reference (municipalities_by_year.csv,\n"
    "                         oslo_districts.csv)\n"
    "  --out PATH             the directory or archive to write\n"
    "  --manifest FILE        also write the meaning of each current\n"
    "                         report as CSV\n"
    "  -q, --quiet            no summary on stderr\n"
    "  --help                 this text\n";

static const char try_help[] =
    "Try \"" GEN_NAME " --help\" for more information.\n";

struct options {
    int year_from, year_to;
    enum out_format fmt;
    int fmt_given;
    int reports_per_unit;
    long repeat;
    uint64_t seed;
    int other_answers;
    const char *reference, *out, *manifest;
    int quiet;
};

/* Strict number: digits only, in [lo, hi]; -1 (with a message) otherwise. */
static int opt_number(const char *opt, const char *s, long lo, long hi,
                      long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (s[0] < '0' || s[0] > '9' || *end != '\0' || errno != 0 || v < lo ||
        v > hi) {
        gen_error("invalid %s '%s' (%ld to %ld)", opt, s, lo, hi);
        return -1;
    }
    *out = v;
    return 0;
}

static int opt_years(const char *s, struct options *o)
{
    char a[16];
    const char *dash = strchr(s, '-');
    long from, to;
    if (dash) {
        int n = (int)(dash - s) < 15 ? (int)(dash - s) : 15;
        snprintf(a, sizeof a, "%.*s", n, s);
        if (opt_number("--years", a, 1900, 9999, &from) != 0 ||
            opt_number("--years", dash + 1, 1900, 9999, &to) != 0)
            return -1;
    } else if (opt_number("--years", s, 1900, 9999, &from) != 0) {
        return -1;
    } else {
        to = from;
    }
    if (from > to) {
        gen_error("invalid --years '%s': the first year is after the last", s);
        return -1;
    }
    o->year_from = (int)from;
    o->year_to = (int)to;
    return 0;
}

static int opt_format(const char *s, enum out_format *f)
{
    static const struct { const char *name; enum out_format fmt; } names[] = {
        { "dir", FMT_DIR }, { "zip", FMT_ZIP }, { "tar", FMT_TAR },
        { "tar.gz", FMT_TARGZ }, { "tgz", FMT_TARGZ },
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(s, names[i].name) == 0) {
            *f = names[i].fmt;
            return 0;
        }
    gen_error("unknown --format '%s' (dir, zip, tar, tar.gz)", s);
    return -1;
}

static int opt_ends(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* 0: go on; 1: done (--help); 2: usage error (message printed). */
static int opt_parse(int argc, char **argv, struct options *o)
{
    enum { O_YEARS = 256, O_FORMAT, O_RPU, O_REPEAT, O_SEED, O_OTHER, O_REF,
           O_OUT, O_MANIFEST, O_HELP };
    static const struct option longopts[] = {
        { "years", required_argument, NULL, O_YEARS },
        { "format", required_argument, NULL, O_FORMAT },
        { "reports-per-unit", required_argument, NULL, O_RPU },
        { "repeat", required_argument, NULL, O_REPEAT },
        { "seed", required_argument, NULL, O_SEED },
        { "other-answers", required_argument, NULL, O_OTHER },
        { "reference", required_argument, NULL, O_REF },
        { "out", required_argument, NULL, O_OUT },
        { "manifest", required_argument, NULL, O_MANIFEST },
        { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, O_HELP },
        { NULL, 0, NULL, 0 },
    };
    long v;
    int c;
    memset(o, 0, sizeof *o);
    o->year_from = 2015;
    o->year_to = 2025;
    o->reports_per_unit = 1;
    o->repeat = 1;
    o->seed = 248;
    o->other_answers = 20;
    while ((c = getopt_long(argc, argv, "q", longopts, NULL)) != -1) {
        switch (c) {
        case O_YEARS:
            if (opt_years(optarg, o) != 0)
                return 2;
            break;
        case O_FORMAT:
            if (opt_format(optarg, &o->fmt) != 0)
                return 2;
            o->fmt_given = 1;
            break;
        case O_RPU:
            if (opt_number("--reports-per-unit", optarg, 1, 1000, &v) != 0)
                return 2;
            o->reports_per_unit = (int)v;
            break;
        case O_REPEAT:
            if (opt_number("--repeat", optarg, 1, 100000, &v) != 0)
                return 2;
            o->repeat = v;
            break;
        case O_SEED: {
            char *end;
            errno = 0;
            unsigned long long s = strtoull(optarg, &end, 0);
            if (optarg[0] < '0' || optarg[0] > '9' || *end || errno) {
                gen_error("invalid --seed '%s'", optarg);
                return 2;
            }
            o->seed = s;
            break;
        }
        case O_OTHER:
            if (opt_number("--other-answers", optarg, 0, 10000, &v) != 0)
                return 2;
            o->other_answers = (int)v;
            break;
        case O_REF: o->reference = optarg; break;
        case O_OUT: o->out = optarg; break;
        case O_MANIFEST: o->manifest = optarg; break;
        case 'q': o->quiet = 1; break;
        case O_HELP:
            fputs(usage_text, stdout);
            return 1;
        default:
            fputs(try_help, stderr);
            return 2;
        }
    }
    if (optind < argc) {
        gen_error("unexpected argument '%s'", argv[optind]);
        return 2;
    }
    if (!o->reference || !o->out) {
        gen_error("--reference and --out are required");
        fputs(try_help, stderr);
        return 2;
    }
    if (!o->fmt_given)
        o->fmt = opt_ends(o->out, ".zip")   ? FMT_ZIP
                 : opt_ends(o->out, ".tar") ? FMT_TAR
                 : opt_ends(o->out, ".tar.gz") || opt_ends(o->out, ".tgz")
                     ? FMT_TARGZ
                     : FMT_DIR;
    /* the time slots of one unit's submissions fit in the year after */
    if (o->repeat * o->reports_per_unit > 20000) {
        gen_error("--repeat times --reports-per-unit is at most 20000");
        return 2;
    }
    return 0;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    struct options o;
    int pr = opt_parse(argc, argv, &o);
    if (pr != 0)
        return pr == 1 ? 0 : 2;

    struct ref ref;
    if (ref_load(&ref, o.reference) != 0) {
        ref_free(&ref);
        return 1;
    }
    if (o.year_from < ref.first_year || o.year_to > ref.last_year) {
        gen_error("--years %d-%d: the reference covers %d-%d", o.year_from,
                  o.year_to, ref.first_year, ref.last_year);
        ref_free(&ref);
        return 2;
    }

    struct gen g = { o.seed, o.other_answers, o.reports_per_unit, o.repeat };
    struct sink sink;
    struct run r;
    memset(&r, 0, sizeof r);
    r.g = &g;
    r.sink = &sink;
    r.units = malloc((ref.n ? ref.n : 1) * sizeof *r.units);
    int rc = r.units ? 0 : 1;
    if (rc != 0)
        gen_error("out of memory");
    if (rc == 0 && o.manifest) {
        r.manifest = fopen(o.manifest, "w");
        if (!r.manifest) {
            gen_error("cannot create '%s': %s", o.manifest, strerror(errno));
            rc = 1;
        } else {
            fputs(manifest_header, r.manifest);
        }
    }
    double t0 = now_seconds();
    int opened = rc == 0 && sink_open(&sink, o.fmt, o.out) == 0;
    if (rc == 0 && !opened)
        rc = 1;
    for (long copy = 0; rc == 0 && copy < o.repeat; copy++)
        for (int year = o.year_from; rc == 0 && year <= o.year_to; year++) {
            size_t n = ref_year(&ref, year, r.units);
            for (int nr = 0; rc == 0 && nr < o.reports_per_unit; nr++)
                if (run_year(&r, year, n, nr, copy) != 0)
                    rc = 1;
        }
    if (opened && sink_close(&sink, rc == 0) != 0)
        rc = 1;
    if (r.manifest) {
        int bad = ferror(r.manifest);
        bad |= fclose(r.manifest) != 0;
        if (bad && rc == 0) {
            gen_error("cannot write '%s': %s", o.manifest, strerror(errno));
            rc = 1;
        }
    }
    double secs = now_seconds() - t0;
    if (rc == 0 && !o.quiet) {
        double mb = (double)r.bytes / 1e6;
        fprintf(stderr,
                GEN_NAME ": %llu reports in %llu files, %.1f MB of XML, "
                         "%.2f s (%.0f reports/s, %.1f MB/s)\n",
                r.reports, r.files, mb, secs,
                secs > 0 ? (double)r.reports / secs : 0.0,
                secs > 0 ? mb / secs : 0.0);
    }
    free(r.buf.p);
    free(r.units);
    ref_free(&ref);
    return rc;
}
