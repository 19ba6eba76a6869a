/*
 * normalize.c - give a raw report its meaning (see normalize.h): the year
 * and the report version, the unit against the reference table, the
 * population and size class, the submission instant, the five questions
 * of the work chapter for both versions, and a digest of the raw content.
 *
 * Every check adds a problem instead of stopping, so that one pass tells
 * everything wrong with a report.  Values from the report that appear in a
 * problem are quoted with quote(): cut to QUOTE_CHARS characters and
 * escaped by printable_copy() (controls, bytes that are not UTF-8,
 * invisible and bidirectional characters, backslashes), so that a reason is
 * always one short line that shows every character of the value.
 *
 * Nothing here allocates except codes_fold() (unit names) and OpenSSL's
 * digest context; when those fail the outcome is still defined (see
 * check_name() and digest()).
 */
#include "normalize.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>

#include <openssl/evp.h>

#include "../ingest/printable.h"
#include "instant.h"

#define V1_FIRST_YEAR 2015
#define V1_LAST_YEAR 2017
#define V2_FIRST_YEAR 2018

#define POPULATION_MAX 9999999L

#define QUOTE_CHARS 60  /* characters of a value shown in a reason */
#define QUOTE_BUF 400   /* a quoted value; escapes of up to 10 bytes a
                         * character may cut it short of QUOTE_CHARS */
#define SPAN_TEXT 64    /* "it is valid 2015–2026" and the like */

/* --- problems -------------------------------------------------------------- */

/* Cut s to at most max bytes without splitting a UTF-8 sequence. */
static void cut_utf8(char *s, size_t max)
{
    size_t len = strlen(s);
    if (len <= max)
        return;
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    s[max] = '\0';
}

static void add_problem(struct norm_report *out, enum problem_level level,
                        const char *question, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void add_problem(struct norm_report *out, enum problem_level level,
                        const char *question, const char *fmt, ...)
{
    if (level == PROBLEM_REPORT)
        out->ok = 0;
    if (out->n_problems >= PROBLEM_MAX) {
        out->n_dropped++;
        return;
    }
    struct problem *p = &out->problems[out->n_problems++];
    p->level = level;
    snprintf(p->question, sizeof p->question, "%s", question ? question : "");
    cut_utf8(p->question, sizeof p->question - 1);
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(p->reason, sizeof p->reason, fmt, ap);
    va_end(ap);
    if (n < 0)
        snprintf(p->reason, sizeof p->reason, "unprintable problem");
    cut_utf8(p->reason, sizeof p->reason - 1);
}

/* n bytes at s as shown inside quotes in a reason (printable.h): escaped,
 * at most max_chars characters, then "…".  Returns buf. */
static const char *quote_n(char buf[QUOTE_BUF], const char *s, size_t n,
                           size_t max_chars)
{
    return printable_copy(buf, QUOTE_BUF, s, n, max_chars);
}

static const char *quote(char buf[QUOTE_BUF], const char *s)
{
    return quote_n(buf, s, s ? strlen(s) : 0, QUOTE_CHARS);
}

/* --- small parsers --------------------------------------------------------- */

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

/* A trimmed view of a raw value. */
struct view {
    const char *p;
    size_t n;       /* 0 when the value is missing or only white space */
};

static struct view trim(const char *s)
{
    struct view v = { s, 0 };
    if (!s)
        return v;
    while (is_space(*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && is_space(s[n - 1]))
        n--;
    v.p = s;
    v.n = n;
    return v;
}

static int view_is(struct view v, const char *s)
{
    return v.n == strlen(s) && memcmp(v.p, s, v.n) == 0;
}

static int view_digits(struct view v)
{
    if (v.n == 0)
        return 0;
    for (size_t i = 0; i < v.n; i++)
        if (v.p[i] < '0' || v.p[i] > '9')
            return 0;
    return 1;
}

/* Copy a view into a NUL-terminated buffer (cut to size). */
static char *view_copy(struct view v, char *buf, size_t size)
{
    size_t n = v.n < size - 1 ? v.n : size - 1;
    memcpy(buf, v.p ? v.p : "", n);
    buf[n] = '\0';
    return buf;
}

static const char *qview(char buf[QUOTE_BUF], struct view v)
{
    return quote_n(buf, v.p, v.n, QUOTE_CHARS);
}

/*
 * A string of ASCII digits as a number in 0..max.  Returns 0 with *out
 * set, -1 when v is not digits only, -2 when the number is out of range.
 */
static int parse_number(struct view v, long max, long *out)
{
    if (!view_digits(v))
        return -1;
    char buf[24];
    if (v.n >= sizeof buf)
        return -2;
    view_copy(v, buf, sizeof buf);
    char *end;
    errno = 0;
    long x = strtol(buf, &end, 10);
    if (end == buf || *end != '\0')
        return -1;
    if (errno == ERANGE || x < 0 || x > max)
        return -2;
    *out = x;
    return 0;
}

/* --- year and version ------------------------------------------------------ */

/* Sets out->year; returns 1 when units can be checked for it. */
static int check_year(const struct raw_report *raw, const struct units *units,
                      struct norm_report *out)
{
    char q[QUOTE_BUF];
    struct view v = trim(raw->year);
    long year;
    if (v.n == 0) {
        add_problem(out, PROBLEM_REPORT, "", "missing reporting year");
        return 0;
    }
    if (v.n != 4 || parse_number(v, 9999, &year) < 0) {
        add_problem(out, PROBLEM_REPORT, "", "malformed reporting year '%s'",
                    qview(q, v));
        return 0;
    }
    out->year = (int)year;
    int in_table = 1;
    if (units && (year < units_first_year(units) ||
                  year > units_last_year(units))) {
        add_problem(out, PROBLEM_REPORT, "",
                    "no municipality codes for reporting year %ld "
                    "(known: %d\xe2\x80\x93%d)", year, units_first_year(units),
                    units_last_year(units));
        in_table = 0;
    }
    if (raw->version == REPORT_V1 &&
        (year < V1_FIRST_YEAR || year > V1_LAST_YEAR))
        add_problem(out, PROBLEM_REPORT, "", "version 1 report for %ld "
                    "(version 1 covers %d\xe2\x80\x93%d)", year,
                    V1_FIRST_YEAR, V1_LAST_YEAR);
    else if (raw->version == REPORT_V2 && year < V2_FIRST_YEAR)
        add_problem(out, PROBLEM_REPORT, "", "version 2 report for %ld "
                    "(version 2 starts in %d)", year, V2_FIRST_YEAR);
    return in_table;
}

/* --- unit ------------------------------------------------------------------ */

/* Warn when the report's unit name is not the reference name. */
static void check_name(const struct raw_report *raw, const char *code,
                       const char *ref, struct norm_report *out)
{
    struct view v = trim(raw->unit_name);
    if (v.n == 0 || !ref)
        return;
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
        char q1[QUOTE_BUF], q2[QUOTE_BUF];
        add_problem(out, PROBLEM_WARNING, "", "unit name '%s' differs from "
                    "the reference name '%s' for %s in %d", qview(q1, v),
                    quote(q2, ref), code, out->year);
    }
}

/* The unit code out->unit_code against the reference table for out->year:
 * valid (then its name is compared), valid in other years, or unknown. */
static void check_in_table(const struct raw_report *raw,
                           const struct units *units, struct norm_report *out)
{
    char q[QUOTE_BUF];
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
        add_problem(out, PROBLEM_REPORT, "", "unit code %s (%s) is not valid "
                    "in %d; %s", out->unit_code, quote(q, name), out->year,
                    when);
        break;
    }
    case UNIT_UNKNOWN:
        add_problem(out, PROBLEM_REPORT, "", "unknown unit code '%s'",
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
    char q[QUOTE_BUF];
    struct view t = trim(raw->unit_type), c = trim(raw->unit_code);
    enum unit_type given = UNIT_NONE;

    if (view_is(t, "kommune")) {
        given = UNIT_KOMMUNE;
    } else if (view_is(t, "bydel")) {
        given = UNIT_BYDEL;
    } else if (t.n > 0) {
        add_problem(out, PROBLEM_REPORT, "", "unknown unit type '%s'",
                    qview(q, t));
    }

    if (c.n == 0) {
        add_problem(out, PROBLEM_REPORT, "", "missing unit code");
        out->unit_type = given;
        return;
    }
    if (!view_digits(c) || (c.n != 4 && c.n != 6)) {
        add_problem(out, PROBLEM_REPORT, "", "malformed unit code '%s'",
                    qview(q, c));
        out->unit_type = given;
        return;
    }
    view_copy(c, out->unit_code, sizeof out->unit_code);
    memcpy(out->county_code, out->unit_code, 2);
    out->county_code[2] = '\0';
    enum unit_type by_code = c.n == 4 ? UNIT_KOMMUNE : UNIT_BYDEL;
    out->unit_type = given != UNIT_NONE ? given : by_code;

    if (strcmp(out->unit_code, "0301") == 0) {
        add_problem(out, PROBLEM_REPORT, "", "0301 Oslo reports through its "
                    "city districts (030101\xe2\x80\x93" "030117), not as a "
                    "whole");
        return;
    }
    if (given != UNIT_NONE && given != by_code) {
        add_problem(out, PROBLEM_REPORT, "", "unit type '%s' but code '%s' "
                    "is a %s code", qview(q, t), out->unit_code,
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
    char q[QUOTE_BUF];
    struct view v = trim(raw->population);
    long pop;
    if (v.n == 0) {
        if (raw->version == REPORT_V2)
            add_problem(out, PROBLEM_WARNING, "innbyggere",
                        "no population (innbyggere): no size class");
        return;
    }
    int r = parse_number(v, POPULATION_MAX, &pop);
    if (r == -1)
        add_problem(out, PROBLEM_ANSWER, "innbyggere",
                    "malformed population '%s'", qview(q, v));
    else if (r == -2 || pop < 1)
        add_problem(out, PROBLEM_ANSWER, "innbyggere",
                    "population '%s' is out of range (1\xe2\x80\x93%ld)",
                    qview(q, v), POPULATION_MAX);
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
    char q[QUOTE_BUF], bound[40];
    if (out->year >= 1 && us < instant_year_start_oslo(out->year)) {
        add_problem(out, PROBLEM_REPORT, "", "submission time '%s' is before "
                    "the reporting year %d began (%04d-01-01 00:00 "
                    "Norwegian time)", qview(q, v), out->year, out->year);
    } else if (now_us <= INT64_MAX - INSTANT_US_PER_DAY &&
               us > now_us + INSTANT_US_PER_DAY) {
        add_problem(out, PROBLEM_REPORT, "", "submission time '%s' is more "
                    "than a day in the future (later than %s)", qview(q, v),
                    instant_format_iso(now_us + INSTANT_US_PER_DAY, bound,
                                       sizeof bound));
    }
}

static void check_submitted(const struct raw_report *raw, int64_t now_us,
                            struct norm_report *out)
{
    char q[QUOTE_BUF];
    struct view v = trim(raw->submitted);
    if (v.n == 0) {
        add_problem(out, PROBLEM_REPORT, "", "missing submission time");
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
        add_problem(out, PROBLEM_WARNING, "", "submission time '%s' occurs "
                    "twice in Norwegian time; read as summer time (+02:00)",
                    qview(q, v));
        check_plausible(v, us, now_us, out);
        break;
    case INSTANT_RANGE:
        add_problem(out, PROBLEM_REPORT, "", "submission time '%s' is out of "
                    "range (years 0001\xe2\x80\x93" "9999 in UTC)",
                    qview(q, v));
        break;
    case INSTANT_GAP:
        add_problem(out, PROBLEM_REPORT, "", "submission time '%s' does not "
                    "exist in Norwegian time (clocks went forward)",
                    qview(q, v));
        break;
    case INSTANT_NO_OFFSET:
        add_problem(out, PROBLEM_REPORT, "", "submission time '%s' has no "
                    "UTC offset", qview(q, v));
        break;
    case INSTANT_MALFORMED:
        add_problem(out, PROBLEM_REPORT, "", "malformed submission time '%s'",
                    qview(q, v));
        break;
    }
}

/* --- answers --------------------------------------------------------------- */

/* Words for messages. */
static const char *yesno_word(enum yesno v)
{
    switch (v) {
    case YN_YES: return "yes";
    case YN_NO: return "no";
    case YN_DONT_KNOW: return "don't know";
    case YN_NONE: break;
    }
    return "?";
}

static const char *rating_word(enum rating v)
{
    switch (v) {
    case RATING_VERY_GOOD: return "very good";
    case RATING_GOOD: return "good";
    case RATING_NEITHER: return "neither good nor bad";
    case RATING_LESS_GOOD: return "less good";
    case RATING_BAD: return "bad";
    case RATING_DONT_KNOW: return "don't know";
    case RATING_NONE: break;
    }
    return "?";
}

static const char *choice_code(int c)
{
    switch (c) {
    case CHOICE_IPS: return "IPS";
    case CHOICE_SE: return "SE";
    case CHOICE_INGEN: return "INGEN";
    case CHOICE_VETIKKE: return "VETIKKE";
    }
    return "?";
}

/* Does a Svar / sporsmal / Valg carry anything (a code or some text)? */
static int carries(const struct raw_answer *a)
{
    return trim(a->code).n > 0 || trim(a->text).n > 0;
}

/*
 * Does the answer at index i have a Valg child that carries something?
 * A Svar's Valg follow it directly (report.h), so the look stops at the
 * first answer that is not one of them: looking through to the end of the
 * report made a report of n empty Svar cost n * n steps (100 000 empty
 * <Svar sporsmal="ARB_NAV_SAMARBEID"/>, 3.7 MB, took 11 s).
 */
static int has_valg(const struct raw_report *raw, size_t i)
{
    for (size_t j = i + 1; j < raw->n_answers && raw->answers[j].parent ==
                                                     (int)i; j++)
        if (carries(&raw->answers[j]))
            return 1;
    return 0;
}

/* The question an answer (not a Valg) is for, or NULL. */
static const struct question *question_of(const struct raw_report *raw,
                                          const struct raw_answer *a)
{
    char id[64];
    struct view v = trim(a->question);
    if (a->parent != -1 || v.n == 0 || v.n >= sizeof id)
        return NULL;
    view_copy(v, id, sizeof id);
    return raw->version == REPORT_V1 ? codes_question_v1(id)
                                     : codes_question_v2(id);
}

static const char *qid(const struct raw_report *raw, const struct question *q)
{
    return raw->version == REPORT_V1 ? q->v1_id : q->v2_id;
}

static void store_yesno(struct norm_report *out, enum question_key key,
                        enum yesno v)
{
    switch (key) {
    case Q_NAV_COLLAB: out->nav_collab = v; break;
    case Q_NAV_COLLAB_SPECIALIST: out->nav_collab_specialist = v; break;
    case Q_IPS_SE_MENTAL_HEALTH: out->ips_se_mental_health = v; break;
    case Q_IPS_SE_SUBSTANCE: out->ips_se_substance = v; break;
    case Q_NAV_RATING: case Q_COUNT: break;
    }
}

static void store_choices(struct norm_report *out, enum question_key key,
                          int set)
{
    enum yesno ipsse;
    enum tristate ips, se;
    if (set & (CHOICE_IPS | CHOICE_SE)) {
        ipsse = YN_YES;
        ips = set & CHOICE_IPS ? TRI_TRUE : TRI_FALSE;
        se = set & CHOICE_SE ? TRI_TRUE : TRI_FALSE;
    } else if (set & CHOICE_INGEN) {
        ipsse = YN_NO;
        ips = se = TRI_FALSE;
    } else {
        ipsse = YN_DONT_KNOW;
        ips = se = TRI_NULL;
    }
    if (key == Q_IPS_SE_MENTAL_HEALTH) {
        out->ips_se_mental_health = ipsse;
        out->ips_mental_health = ips;
        out->se_mental_health = se;
    } else if (key == Q_IPS_SE_SUBSTANCE) {
        out->ips_se_substance = ipsse;
        out->ips_substance = ips;
        out->se_substance = se;
    }
}

/* Version 1: the trimmed text is the code. */
static void answer_v1(const struct raw_answer *a, const struct question *q,
                      struct norm_report *out)
{
    char q1[QUOTE_BUF], code[16];
    struct view v = trim(a->text);
    int known = v.n < sizeof code;
    view_copy(v, code, sizeof code);
    if (q->v1_kind == KIND_RATING) {
        enum rating r = known ? codes_rating_v1(code) : RATING_NONE;
        if (r == RATING_NONE)
            add_problem(out, PROBLEM_ANSWER, q->v1_id, "unknown code '%s' for "
                        "%s (version 1 codes: 1\xe2\x80\x93" "5, 9)",
                        qview(q1, v), q->name);
        else
            out->nav_rating = r;
        return;
    }
    enum yesno y = known ? codes_yesno_v1(code) : YN_NONE;
    if (y == YN_NONE)
        add_problem(out, PROBLEM_ANSWER, q->v1_id, "unknown code '%s' for %s "
                    "(version 1 codes: 1, 2, 9)", qview(q1, v), q->name);
    else
        store_yesno(out, q->key, y);
}

/*
 * Version 2, a yes/no or rating Svar: kode and/or label, which must agree.
 * Returns the value, or 0 after adding a problem.
 */
static int resolve_svar(const struct raw_answer *a, const struct question *q,
                        struct norm_report *out)
{
    char q1[QUOTE_BUF], q2[QUOTE_BUF], code[16];
    int rating = q->v2_kind == KIND_RATING;
    struct view c = trim(a->code), l = trim(a->text);
    int cv = 0, lv = 0;
    if (c.n > 0) {
        if (c.n < sizeof code) {
            view_copy(c, code, sizeof code);
            cv = rating ? (int)codes_rating_v2(code) : (int)codes_yesno_v2(code);
        }
        if (!cv) {
            add_problem(out, PROBLEM_ANSWER, q->v2_id, "unknown code '%s' for "
                        "%s (version 2 codes: %s)", qview(q1, c), q->name,
                        rating ? "0\xe2\x80\x93" "5" : "1, 2, 3");
            return 0;
        }
    }
    if (l.n > 0) {
        lv = rating ? (int)codes_rating_label(a->text)
                    : (int)codes_yesno_label(a->text);
        if (!lv) {
            add_problem(out, PROBLEM_ANSWER, q->v2_id, "unknown label '%s'",
                        qview(q1, l));
            return 0;
        }
    }
    if (cv && lv && cv != lv) {
        add_problem(out, PROBLEM_ANSWER, q->v2_id, "code '%s' (%s) disagrees "
                    "with label '%s' (%s)", qview(q1, c),
                    rating ? rating_word((enum rating)cv)
                           : yesno_word((enum yesno)cv),
                    qview(q2, l),
                    rating ? rating_word((enum rating)lv)
                           : yesno_word((enum yesno)lv));
        return 0;
    }
    return cv ? cv : lv;
}

/* Version 2, a Valg: kode and/or label.  Returns the choice or 0. */
static int resolve_valg(const struct raw_answer *a, const struct question *q,
                        struct norm_report *out)
{
    char q1[QUOTE_BUF], q2[QUOTE_BUF];
    struct view c = trim(a->code), l = trim(a->text);
    int cv = 0, lv = 0;
    if (c.n > 0) {
        cv = codes_choice_code(a->code);
        if (!cv) {
            add_problem(out, PROBLEM_ANSWER, q->v2_id, "unknown code '%s' for "
                        "%s (codes: IPS, SE, INGEN, VETIKKE)", qview(q1, c),
                        q->name);
            return 0;
        }
    }
    if (l.n > 0) {
        lv = codes_choice_label(a->text);
        if (!lv) {
            add_problem(out, PROBLEM_ANSWER, q->v2_id, "unknown label '%s'",
                        qview(q1, l));
            return 0;
        }
    }
    if (cv && lv && cv != lv) {
        add_problem(out, PROBLEM_ANSWER, q->v2_id, "code '%s' disagrees with "
                    "label '%s' (%s)", qview(q1, c), qview(q2, l),
                    choice_code(lv));
        return 0;
    }
    return cv ? cv : lv;
}

static void answer_v2(const struct raw_report *raw, size_t i,
                      const struct question *q, struct norm_report *out)
{
    char q1[QUOTE_BUF];
    const struct raw_answer *a = &raw->answers[i];
    if (q->v2_kind != KIND_CHOICES) {
        if (has_valg(raw, i)) {
            add_problem(out, PROBLEM_ANSWER, q->v2_id,
                        "unexpected Valg elements");
            return;
        }
        int v = resolve_svar(a, q, out);
        if (v == 0)
            return;
        if (q->v2_kind == KIND_RATING)
            out->nav_rating = (enum rating)v;
        else
            store_yesno(out, q->key, (enum yesno)v);
        return;
    }

    if (!has_valg(raw, i)) {
        add_problem(out, PROBLEM_ANSWER, q->v2_id, "expected Valg elements");
        return;
    }
    if (trim(a->code).n > 0)
        add_problem(out, PROBLEM_WARNING, q->v2_id, "code '%s' on the Svar "
                    "itself is ignored; its Valg elements count",
                    qview(q1, trim(a->code)));
    else if (trim(a->text).n > 0)
        add_problem(out, PROBLEM_WARNING, q->v2_id, "text '%s' on the Svar "
                    "itself is ignored; its Valg elements count",
                    qview(q1, trim(a->text)));

    int set = 0;
    for (size_t j = i + 1; j < raw->n_answers && raw->answers[j].parent ==
                                                     (int)i; j++) {
        const struct raw_answer *v = &raw->answers[j];
        if (!carries(v))
            continue;
        int c = resolve_valg(v, q, out);
        if (c == 0)
            return;
        set |= c;
    }
    static const struct { int a, b; } clash[] = {
        { CHOICE_INGEN, CHOICE_IPS }, { CHOICE_INGEN, CHOICE_SE },
        { CHOICE_INGEN, CHOICE_VETIKKE }, { CHOICE_VETIKKE, CHOICE_IPS },
        { CHOICE_VETIKKE, CHOICE_SE } };
    for (size_t k = 0; k < sizeof clash / sizeof clash[0]; k++)
        if ((set & clash[k].a) && (set & clash[k].b)) {
            add_problem(out, PROBLEM_ANSWER, q->v2_id, "'%s' (%s) cannot be "
                        "combined with '%s'", choice_code(clash[k].a),
                        clash[k].a == CHOICE_INGEN ? "none" : "don't know",
                        choice_code(clash[k].b));
            return;
        }
    store_choices(out, q->key, set);
}

/*
 * Answers of the work chapter, in document order.  An answering element is
 * a sporsmal/Svar (not a Valg) for one of our questions that carries a
 * code, text or a Valg; empty ones mean "not answered".  Each question is
 * judged once, at its first answering element.
 */
static void check_answers(const struct raw_report *raw,
                          struct norm_report *out)
{
    size_t count[Q_COUNT] = { 0 }, first[Q_COUNT] = { 0 };
    for (size_t i = 0; i < raw->n_answers; i++) {
        const struct raw_answer *a = &raw->answers[i];
        const struct question *q = question_of(raw, a);
        if (!q)
            continue;
        int answering = raw->version == REPORT_V1
                            ? trim(a->text).n > 0
                            : carries(a) || has_valg(raw, i);
        if (!answering)
            continue;
        if (count[q->key]++ == 0)
            first[q->key] = i;
    }
    for (size_t i = 0; i < raw->n_answers; i++) {
        const struct question *q = question_of(raw, &raw->answers[i]);
        if (!q || count[q->key] == 0 || first[q->key] != i)
            continue;
        const char *id = qid(raw, q);
        if (out->year != 0 && out->year < q->first_year)
            add_problem(out, PROBLEM_WARNING, id, "question %s is not on the "
                        "%d form; answer ignored", id, out->year);
        else if (count[q->key] == 2)
            add_problem(out, PROBLEM_ANSWER, id, "answered twice");
        else if (count[q->key] > 2)
            add_problem(out, PROBLEM_ANSWER, id, "answered %zu times",
                        count[q->key]);
        else if (raw->version == REPORT_V1)
            answer_v1(&raw->answers[i], q, out);
        else
            answer_v2(raw, i, q, out);
    }
}

/* --- digest ---------------------------------------------------------------- */

static int put_u64(EVP_MD_CTX *ctx, uint64_t x)
{
    unsigned char b[8];
    for (int i = 7; i >= 0; i--) {
        b[i] = (unsigned char)(x & 0xff);
        x >>= 8;
    }
    return EVP_DigestUpdate(ctx, b, sizeof b);
}

/* A string: 0x00 for NULL, else 0x01, its length (8 bytes) and its bytes. */
/* A value without the white space around it: the same report written out
 * anew (indented otherwise, values on lines of their own) is the same
 * report (§4, §7). */
static int put_str(EVP_MD_CTX *ctx, const char *s)
{
    unsigned char tag = s ? 1 : 0;
    if (!EVP_DigestUpdate(ctx, &tag, 1))
        return 0;
    if (!s)
        return 1;
    struct view v = trim(s);
    return put_u64(ctx, v.n) && EVP_DigestUpdate(ctx, v.p, v.n);
}

/* SHA-256 over every value of the report (trimmed; the submission time as
 * an instant), not where it came from (index, line).  Returns 0, or -1 when OpenSSL fails (out of memory). */
static int digest(const struct raw_report *raw, int64_t submitted_us,
                  unsigned char md[32])
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    unsigned int len = 0;
    /* the submission as the instant it names: "+01:00" and "Z" spellings
     * of one time are one submission time (§7) */
    int ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) &&
             put_str(ctx, "is248 raw report 1") &&
             put_u64(ctx, (uint64_t)raw->version) && put_str(ctx, raw->year) &&
             (submitted_us ? put_u64(ctx, (uint64_t)submitted_us)
                           : put_str(ctx, raw->submitted)) &&
             put_str(ctx, raw->submission_id) &&
             put_str(ctx, raw->unit_type) && put_str(ctx, raw->unit_code) &&
             put_str(ctx, raw->unit_name) && put_str(ctx, raw->population) &&
             put_u64(ctx, (uint64_t)raw->n_answers);
    for (size_t i = 0; ok && i < raw->n_answers; i++) {
        const struct raw_answer *a = &raw->answers[i];
        ok = put_str(ctx, a->chapter) && put_str(ctx, a->question) &&
             put_str(ctx, a->code) && put_str(ctx, a->text) &&
             put_u64(ctx, (uint64_t)(int64_t)a->parent);
    }
    ok = ok && EVP_DigestFinal_ex(ctx, md, &len) && len == 32;
    EVP_MD_CTX_free(ctx);
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
        add_problem(out, PROBLEM_REPORT, "", "%s",
                    printable_copy(f, sizeof f, raw->fault,
                                   strlen(raw->fault), 200));
    }
    if (raw->version != REPORT_V1 && raw->version != REPORT_V2)
        add_problem(out, PROBLEM_REPORT, "", "unknown report version %d",
                    (int)raw->version);

    int year_ok = check_year(raw, units, out);
    check_unit(raw, units, year_ok, out);
    check_population(raw, out);
    out->size_class = size_class(out->unit_type, out->population);
    check_submitted(raw, now_us, out);
    check_answers(raw, out);

    if (digest(raw, out->submitted_us, out->digest) < 0)
        add_problem(out, PROBLEM_REPORT, "",
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
