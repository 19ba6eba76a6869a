/*
 * normalize.c - give a raw report its meaning (see normalize.h): the year
 * and the report version, the unit against the reference table, the
 * population and size class, the submission instant, and a digest of the
 * raw content; the answers of the work chapter are answers.c's.
 *
 * Every check adds a problem instead of stopping (problem.h), so that one
 * pass tells everything wrong with a report; values from the report appear
 * in a problem quoted by problem_quote().
 *
 * Nothing here allocates except codes_fold() (unit names) and OpenSSL's
 * digest context; when those fail the outcome is still defined (see
 * check_name() and digest()).
 */
#include "normalize.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <openssl/evp.h>

#include "../ingest/printable.h"
#include "answers.h"
#include "instant.h"
#include "problem.h"
#include "view.h"

#define V1_FIRST_YEAR 2015
#define V1_LAST_YEAR 2017
#define V2_FIRST_YEAR 2018

#define POPULATION_MAX 9999999L

#define SPAN_TEXT 64    /* "it is valid 2015–2026" and the like */
/* --- year and version ------------------------------------------------------ */

/* Sets out->year; returns 1 when units can be checked for it. */
static int check_year(const struct raw_report *raw, const struct units *units,
                      struct norm_report *out)
{
    char q[PROBLEM_QUOTE_BUF];
    struct view v = view_trim(raw->year);
    long year;
    if (v.n == 0) {
        problem_add(out, PROBLEM_REPORT, "", "missing reporting year");
        return 0;
    }
    if (v.n != 4 || view_number(v, 9999, &year) < 0) {
        problem_add(out, PROBLEM_REPORT, "", "malformed reporting year '%s'",
                    problem_quote(q, v.p, v.n));
        return 0;
    }
    out->year = (int)year;
    int in_table = 1;
    if (units && (year < units_first_year(units) ||
                  year > units_last_year(units))) {
        problem_add(out, PROBLEM_REPORT, "",
                    "no municipality codes for reporting year %ld "
                    "(known: %d\xe2\x80\x93%d)", year, units_first_year(units),
                    units_last_year(units));
        in_table = 0;
    }
    if (raw->version == REPORT_V1 &&
        (year < V1_FIRST_YEAR || year > V1_LAST_YEAR))
        problem_add(out, PROBLEM_REPORT, "", "version 1 report for %ld "
                    "(version 1 covers %d\xe2\x80\x93%d)", year,
                    V1_FIRST_YEAR, V1_LAST_YEAR);
    else if (raw->version == REPORT_V2 && year < V2_FIRST_YEAR)
        problem_add(out, PROBLEM_REPORT, "", "version 2 report for %ld "
                    "(version 2 starts in %d)", year, V2_FIRST_YEAR);
    return in_table;
}

/* --- unit ------------------------------------------------------------------ */

/* Warn when the report's unit name is not the reference name. */
static void check_name(const struct raw_report *raw, const char *code,
                       const char *ref, struct norm_report *out)
{
    struct view v = view_trim(raw->unit_name);
    if (v.n == 0 || !ref)
        return;
    if (strlen(ref) == v.n && memcmp(ref, v.p, v.n) == 0)
        return;     /* as the reference writes it: nearly every report */
    char *given = codes_fold(raw->unit_name);
    char *want = codes_fold(ref);
    int same;
    if (given && want) {
        same = strcmp(given, want) == 0;
        /* SSB tells namesakes apart with the county: "Bø (Nordland)".
         * A report that says "Bø" names the same unit. */
        char *paren = strstr(want, " (");
        size_t wl = strlen(want);
        if (!same && paren && wl > 0 && want[wl - 1] == ')')
            same = strlen(given) == (size_t)(paren - want) &&
                   memcmp(given, want, (size_t)(paren - want)) == 0;
    }
    else /* not UTF-8 (or out of memory): compare as given */
        same = strlen(ref) == v.n && memcmp(ref, v.p, v.n) == 0;
    free(given);
    free(want);
    if (!same) {
        char q1[PROBLEM_QUOTE_BUF], q2[PROBLEM_QUOTE_BUF];
        problem_add(out, PROBLEM_WARNING, "", "unit name '%s' differs from "
                    "the reference name '%s' for %s in %d",
                    problem_quote(q1, v.p, v.n), problem_quote_str(q2, ref),
                    code, out->year);
    }
}

/* The unit code out->unit_code against the reference table for out->year:
 * valid (then its name is compared), valid in other years, or unknown. */
static void check_in_table(const struct raw_report *raw,
                           const struct units *units, struct norm_report *out)
{
    char q[PROBLEM_QUOTE_BUF];
    const char *name = NULL;
    int first = 0, last = 0;
    switch (units_check(units, out->unit_code, out->year, &name, &first,
                        &last)) {
    case UNIT_VALID:
        check_name(raw, out->unit_code, name, out);
        break;
    case UNIT_OTHER_YEARS: {
        char when[SPAN_TEXT];
        if (first > out->year && last == units_last_year(units))
            snprintf(when, sizeof when, "it is valid from %d", first);
        else if (last < out->year && first == units_first_year(units))
            snprintf(when, sizeof when, "it was valid until %d", last);
        else if (first == last)
            snprintf(when, sizeof when, "it is valid only in %d", first);
        else
            snprintf(when, sizeof when, "it is valid %d\xe2\x80\x93%d", first,
                     last);
        problem_add(out, PROBLEM_REPORT, "", "unit code %s (%s) is not valid "
                    "in %d; %s", out->unit_code, problem_quote_str(q, name),
                    out->year, when);
        break;
    }
    case UNIT_UNKNOWN:
        problem_add(out, PROBLEM_REPORT, "", "unknown unit code '%s'",
                    out->unit_code);
        break;
    case UNIT_OSLO_WHOLE:   /* handled above */
    case UNIT_YEAR_UNKNOWN: /* reported by check_year */
        break;
    }
}

static void check_unit(const struct raw_report *raw, const struct units *units,
                       int year_ok, struct norm_report *out)
{
    char q[PROBLEM_QUOTE_BUF];
    struct view t = view_trim(raw->unit_type), c = view_trim(raw->unit_code);
    enum unit_type given = UNIT_NONE;

    if (view_is(t, "kommune")) {
        given = UNIT_KOMMUNE;
    } else if (view_is(t, "bydel")) {
        given = UNIT_BYDEL;
    } else if (t.n > 0) {
        problem_add(out, PROBLEM_REPORT, "", "unknown unit type '%s'",
                    problem_quote(q, t.p, t.n));
    }

    if (c.n == 0) {
        problem_add(out, PROBLEM_REPORT, "", "missing unit code");
        out->unit_type = given;
        return;
    }
    if (!view_digits(c) || (c.n != 4 && c.n != 6)) {
        problem_add(out, PROBLEM_REPORT, "", "malformed unit code '%s'",
                    problem_quote(q, c.p, c.n));
        out->unit_type = given;
        return;
    }
    view_copy(c, out->unit_code, sizeof out->unit_code);
    memcpy(out->county_code, out->unit_code, 2);
    out->county_code[2] = '\0';
    enum unit_type by_code = c.n == 4 ? UNIT_KOMMUNE : UNIT_BYDEL;
    out->unit_type = given != UNIT_NONE ? given : by_code;

    if (strcmp(out->unit_code, "0301") == 0) {
        problem_add(out, PROBLEM_REPORT, "", "0301 Oslo reports through its "
                    "city districts (030101\xe2\x80\x93" "030117), not as a "
                    "whole");
        return;
    }
    if (given != UNIT_NONE && given != by_code) {
        problem_add(out, PROBLEM_REPORT, "", "unit type '%s' but code '%s' "
                    "is a %s code", problem_quote(q, t.p, t.n), out->unit_code,
                    by_code == UNIT_KOMMUNE ? "municipality"
                                            : "city district");
        return;
    }
    if (units && year_ok)
        check_in_table(raw, units, out);
}

/* --- population and size class --------------------------------------------- */

static void check_population(const struct raw_report *raw,
                             struct norm_report *out)
{
    char q[PROBLEM_QUOTE_BUF];
    struct view v = view_trim(raw->population);
    long pop;
    if (v.n == 0) {
        if (raw->version == REPORT_V2)
            problem_add(out, PROBLEM_WARNING, "innbyggere",
                        "no population (innbyggere): no size class");
        return;
    }
    int r = view_number(v, POPULATION_MAX, &pop);
    if (r == -1)
        problem_add(out, PROBLEM_ANSWER, "innbyggere",
                    "malformed population '%s'", problem_quote(q, v.p, v.n));
    else if (r == -2 || pop < 1)
        problem_add(out, PROBLEM_ANSWER, "innbyggere",
                    "population '%s' is out of range (1\xe2\x80\x93%ld)",
                    problem_quote(q, v.p, v.n), POPULATION_MAX);
    else
        out->population = pop;
}

static const char *size_class(enum unit_type type, long pop)
{
    if (type == UNIT_BYDEL)
        return "Oslo bydel";
    if (pop < 1)
        return NULL;
    if (pop < 2000)
        return "<2000";
    if (pop < 5000)
        return "2000-4999";
    if (pop < 10000)
        return "5000-9999";
    if (pop < 20000)
        return "10000-19999";
    if (pop < 50000)
        return "20000-49999";
    return "50000+";
}

/* --- submission time ------------------------------------------------------- */

/*
 * A submission time must be one the report can have been sent at: not
 * before its reporting year began (00:00 on 1 January, Norwegian time, when
 * the year is known), and not more than a day after the run (a day for
 * clocks that are off, and time zones).
 */
static void check_plausible(struct view v, int64_t us, int64_t now_us,
                            struct norm_report *out)
{
    char q[PROBLEM_QUOTE_BUF], bound[INSTANT_TEXT];
    if (out->year >= 1 && us < instant_year_start_oslo(out->year)) {
        problem_add(out, PROBLEM_REPORT, "", "submission time '%s' is before "
                    "the reporting year %d began (%04d-01-01 00:00 "
                    "Norwegian time)", problem_quote(q, v.p, v.n), out->year,
                    out->year);
    } else if (now_us <= INT64_MAX - INSTANT_US_PER_DAY &&
               us > now_us + INSTANT_US_PER_DAY) {
        problem_add(out, PROBLEM_REPORT, "", "submission time '%s' is more "
                    "than a day in the future (later than %s)",
                    problem_quote(q, v.p, v.n),
                    instant_format_iso(now_us + INSTANT_US_PER_DAY, bound,
                                       sizeof bound));
    }
}

static void check_submitted(const struct raw_report *raw, int64_t now_us,
                            struct norm_report *out)
{
    char q[PROBLEM_QUOTE_BUF];
    struct view v = view_trim(raw->submitted);
    if (v.n == 0) {
        problem_add(out, PROBLEM_REPORT, "", "missing submission time");
        return;
    }
    int64_t us = 0;
    enum instant_status st = raw->version == REPORT_V1
                                 ? instant_parse_oslo(raw->submitted, &us)
                                 : instant_parse_offset(raw->submitted, &us);
    switch (st) {
    case INSTANT_OK:
        out->submitted_us = us;
        check_plausible(v, us, now_us, out);
        break;
    case INSTANT_AMBIGUOUS:
        out->submitted_us = us;
        problem_add(out, PROBLEM_WARNING, "", "submission time '%s' occurs "
                    "twice in Norwegian time; read as summer time (+02:00)",
                    problem_quote(q, v.p, v.n));
        check_plausible(v, us, now_us, out);
        break;
    case INSTANT_RANGE:
        problem_add(out, PROBLEM_REPORT, "", "submission time '%s' is out of "
                    "range (years 0001\xe2\x80\x93" "9999 in UTC)",
                    problem_quote(q, v.p, v.n));
        break;
    case INSTANT_GAP:
        problem_add(out, PROBLEM_REPORT, "", "submission time '%s' does not "
                    "exist in Norwegian time (clocks went forward)",
                    problem_quote(q, v.p, v.n));
        break;
    case INSTANT_NO_OFFSET:
        problem_add(out, PROBLEM_REPORT, "", "submission time '%s' has no "
                    "UTC offset", problem_quote(q, v.p, v.n));
        break;
    case INSTANT_MALFORMED:
        problem_add(out, PROBLEM_REPORT, "", "malformed submission time '%s'",
                    problem_quote(q, v.p, v.n));
        break;
    }
}

/* --- digest ---------------------------------------------------------------- */

/* The digest's input is built in one buffer and hashed in one call: fed to
 * OpenSSL piece by piece (some 350 pieces a report) it cost more than the
 * hashing itself. */
struct dbuf {
    unsigned char *p;
    size_t n, cap;
    unsigned char local[4096];
    int failed;
};

static unsigned char *dbuf_room(struct dbuf *b, size_t n)
{
    if (b->failed)
        return NULL;
    if (n > b->cap - b->n) {
        size_t cap = b->cap;
        while (n > cap - b->n) {
            if (cap > SIZE_MAX / 2) {
                b->failed = 1;
                return NULL;
            }
            cap *= 2;
        }
        unsigned char *p = b->p == b->local ? malloc(cap)
                                            : realloc(b->p, cap);
        if (!p) {
            b->failed = 1;
            return NULL;
        }
        if (b->p == b->local)
            memcpy(p, b->local, b->n);
        b->p = p;
        b->cap = cap;
    }
    unsigned char *at = b->p + b->n;
    b->n += n;
    return at;
}

/* A number: 8 bytes, most significant first. */
static void put_u64(struct dbuf *b, uint64_t x)
{
    unsigned char *at = dbuf_room(b, 8);
    if (!at)
        return;
    for (int i = 7; i >= 0; i--) {
        at[i] = (unsigned char)(x & 0xff);
        x >>= 8;
    }
}

/* A string: 0x00 for NULL, else 0x01, its length (8 bytes) and its bytes.
 * A value without the white space around it: the same report written out
 * anew (indented otherwise, values on lines of their own) is the same
 * report (§4, §7). */
static void put_str(struct dbuf *b, const char *s)
{
    unsigned char *at = dbuf_room(b, 1);
    if (!at)
        return;
    *at = s ? 1 : 0;
    if (!s)
        return;
    struct view v = view_trim(s);
    put_u64(b, v.n);
    if (v.n && (at = dbuf_room(b, v.n)))
        memcpy(at, v.p, v.n);
}

/* SHA-256, fetched from OpenSSL once: EVP_sha256() makes EVP_Digest()
 * fetch its implementation again for every report (OpenSSL 3). */
static EVP_MD *sha256_fetched;
static void sha256_fetch(void)
{
    sha256_fetched = EVP_MD_fetch(NULL, "SHA256", NULL);
}

static const EVP_MD *sha256_md(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, sha256_fetch);
    return sha256_fetched ? sha256_fetched : EVP_sha256();
}

/* SHA-256 over every value of the report (trimmed; the submission time as
 * an instant), not where it came from (index, line).  Returns 0, or -1
 * when memory runs out or OpenSSL fails (md is then zeros). */
static int digest(const struct raw_report *raw, int64_t submitted_us,
                  unsigned char md[32])
{
    struct dbuf b;
    b.p = b.local;
    b.n = 0;
    b.cap = sizeof b.local;
    b.failed = 0;
    /* the submission as the instant it names: "+01:00" and "Z" spellings
     * of one time are one submission time (§7) */
    put_str(&b, "is248 raw report 1");
    put_u64(&b, (uint64_t)raw->version);
    put_str(&b, raw->year);
    if (submitted_us)
        put_u64(&b, (uint64_t)submitted_us);
    else
        put_str(&b, raw->submitted);
    put_str(&b, raw->submission_id);
    put_str(&b, raw->unit_type);
    put_str(&b, raw->unit_code);
    put_str(&b, raw->unit_name);
    put_str(&b, raw->population);
    put_u64(&b, (uint64_t)raw->n_answers);
    for (size_t i = 0; !b.failed && i < raw->n_answers; i++) {
        const struct raw_answer *a = &raw->answers[i];
        put_str(&b, a->chapter);
        put_str(&b, a->question);
        put_str(&b, a->code);
        put_str(&b, a->text);
        put_u64(&b, (uint64_t)(int64_t)a->parent);
    }
    unsigned int len = 0;
    int ok = !b.failed &&
             EVP_Digest(b.p, b.n, md, &len, sha256_md(), NULL) == 1 &&
             len == 32;
    if (b.p != b.local)
        free(b.p);
    if (!ok)
        memset(md, 0, 32);
    return ok ? 0 : -1;
}

/* --- the whole report ------------------------------------------------------ */

void normalize_report(const struct raw_report *raw, const struct units *units,
                      int64_t now_us, struct norm_report *out)
{
    /* everything before the problems; problems[] is written as found and
     * read up to n_problems only (clearing all of it cost 18 KB a report) */
    memset(out, 0, offsetof(struct norm_report, problems));
    out->n_problems = 0;
    out->n_dropped = 0;
    out->ok = 1;
    out->version = raw->version;
    out->population = -1;

    if (raw->fault) {
        char f[PROBLEM_TEXT];
        problem_add(out, PROBLEM_REPORT, "", "%s",
                    printable_copy(f, sizeof f, raw->fault,
                                   strlen(raw->fault), 200));
    }
    if (raw->version != REPORT_V1 && raw->version != REPORT_V2)
        problem_add(out, PROBLEM_REPORT, "", "unknown report version %d",
                    (int)raw->version);

    int year_ok = check_year(raw, units, out);
    check_unit(raw, units, year_ok, out);
    check_population(raw, out);
    out->size_class = size_class(out->unit_type, out->population);
    check_submitted(raw, now_us, out);
    answers_check(raw, out);

    if (digest(raw, out->submitted_us, out->digest) < 0)
        problem_add(out, PROBLEM_REPORT, "",
                    "cannot compute the report digest (out of memory)");
}

int normalize_worst(const struct norm_report *n)
{
    int worst = -1;
    for (size_t i = 0; i < n->n_problems; i++)
        if ((int)n->problems[i].level > worst)
            worst = (int)n->problems[i].level;
    return worst;
}

const char *unit_type_name(enum unit_type t)
{
    switch (t) {
    case UNIT_KOMMUNE: return "kommune";
    case UNIT_BYDEL: return "bydel";
    case UNIT_NONE: break;
    }
    return NULL;
}
