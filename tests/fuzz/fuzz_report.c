/*
 * fuzz_report.c - one report file through the reader and normalization, as
 * import/import.c does it, with the stages' promises checked on the way.
 *
 * The checks are the headers' own words, nothing more: xmlreport.h (a
 * reason for every rejection, reports numbered in order, the sink's stop
 * obeyed), report.h (values are UTF-8, a Valg follows its Svar), and
 * normalize.h (ok is 0 exactly when a report problem was found, problems
 * are one printable line, the fields of an ok report are set).  Everything
 * handed out is read in full, so that AddressSanitizer sees a pointer into
 * freed or foreign memory.
 */
#include "fuzz_report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "transform/normalize.h"

static const struct units *units;

_Noreturn void fuzz_fail(const char *file, int line, const char *cond,
                         const char *what, const char *str)
{
    fprintf(stderr, "%s:%d: broken promise: %s\n  check: %s\n", file, line,
            what, cond);
    if (str) {
        fputs("  string: \"", stderr);
        for (const unsigned char *p = (const unsigned char *)str; *p; p++)
            if (*p < 0x20 || *p >= 0x7F || *p == '"' || *p == '\\')
                fprintf(stderr, "\\x%02x", *p);
            else
                fputc(*p, stderr);
        fputs("\"\n", stderr);
    }
    abort();
}

const struct units *fuzz_units(void)
{
    return units;
}

void fuzz_init(void)
{
    units = units_builtin();
    if (!units) {
        fprintf(stderr, "fuzz: cannot build the units table\n");
        abort();
    }
}

uint64_t fuzz_hash(const uint8_t *data, size_t size)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < size; i++) {
        h ^= data[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* Length of the valid UTF-8 sequence at s (n bytes left) and its code
 * point, or 0.  Written anew here, not shared with ingest/utf8.c, so that
 * the check does not trust the code it checks. */
static size_t utf8_seq(const unsigned char *s, size_t n, unsigned long *cp)
{
    unsigned c = s[0];
    size_t len;
    unsigned long v, min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if ((c & 0xE0) == 0xC0) {
        len = 2, v = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3, v = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4, v = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t k = 1; k < len; k++) {
        if ((s[k] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[k] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

int fuzz_utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        unsigned long cp;
        size_t len = utf8_seq(p + i, n - i, &cp);
        if (!len)
            return 0;
        i += len;
    }
    return 1;
}

int fuzz_printable(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        unsigned long c;
        size_t len = utf8_seq(p + i, n - i, &c);
        /* controls, separators, and what is invisible or reorders the
         * line (ingest/printable.h) */
        if (!len || c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0xAD ||
            c == 0x61C || (c >= 0x200B && c <= 0x200F) ||
            (c >= 0x2028 && c <= 0x202E) || (c >= 0x2060 && c <= 0x206F) ||
            (c >= 0xFE00 && c <= 0xFE0F) || c == 0xFEFF ||
            (c >= 0xE0000 && c <= 0xE0FFF))
            return 0;
        i += len;
    }
    return 1;
}

/* No line breaks.  (Other bytes may be anything: libxml2's messages
 * quote the input, and the loader and the messages cope with any byte.) */
static int one_line(const char *s)
{
    return !strpbrk(s, "\n\r");
}

/* A value of a raw report: NULL, or UTF-8 (report.h). */
static void check_value(const char *v, const char *what)
{
    if (v)
        FUZZ_CHECK_S(fuzz_utf8_valid(v, strlen(v)), what, v);
}

static void check_raw(const struct raw_report *r, int expect_index)
{
    FUZZ_CHECK(r->index == expect_index,
               "xmlreport.h: reports are numbered 1, 2, ... in file order");
    FUZZ_CHECK(r->version == REPORT_V1 || r->version == REPORT_V2,
               "report.h: version is 1 or 2");
    check_value(r->year, "report.h: year is UTF-8");
    check_value(r->submitted, "report.h: submitted is UTF-8");
    check_value(r->submission_id, "report.h: submission_id is UTF-8");
    check_value(r->unit_type, "report.h: unit_type is UTF-8");
    check_value(r->unit_code, "report.h: unit_code is UTF-8");
    check_value(r->unit_name, "report.h: unit_name is UTF-8");
    check_value(r->population, "report.h: population is UTF-8");
    if (r->fault)
        (void)strlen(r->fault); /* readable; cut to 160 bytes, any bytes */
    FUZZ_CHECK(r->n_answers == 0 || r->answers,
               "report.h: answers given for n_answers");
    for (size_t i = 0; i < r->n_answers; i++) {
        const struct raw_answer *a = &r->answers[i];
        check_value(a->chapter, "report.h: chapter is UTF-8");
        check_value(a->question, "report.h: question is UTF-8");
        check_value(a->code, "report.h: code is UTF-8");
        check_value(a->text, "report.h: text is UTF-8");
        FUZZ_CHECK(a->parent >= -1 && (long)a->parent < (long)i,
                   "report.h: a Valg's parent is an earlier answer");
        if (a->parent >= 0) {
            FUZZ_CHECK(r->answers[a->parent].parent == -1,
                       "report.h: a Valg's parent is a Svar");
            FUZZ_CHECK(r->answers[i - 1].parent == -1
                           ? a->parent == (int)i - 1
                           : a->parent == r->answers[i - 1].parent,
                       "report.h: a Svar's Valg follow it directly "
                       "(normalize.c's has_valg relies on it)");
            FUZZ_CHECK(a->question == r->answers[a->parent].question,
                       "report.h: a Valg repeats its Svar's question");
        }
        if (r->version == REPORT_V1)
            FUZZ_CHECK(!a->chapter && a->parent == -1,
                       "report.h: version 1 has no chapters and no Valg");
    }
}

static int is_size_class(const char *s)
{
    static const char *const names[] = {
        "<2000", "2000-4999", "5000-9999", "10000-19999", "20000-49999",
        "50000+", "Oslo bydel",
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(s, names[i]) == 0)
            return 1;
    return 0;
}

static void check_norm(const struct raw_report *r, const struct norm_report *n)
{
    FUZZ_CHECK(n->n_problems <= PROBLEM_MAX, "normalize.h: PROBLEM_MAX kept");
    FUZZ_CHECK(n->n_dropped == 0 || n->n_problems == PROBLEM_MAX,
               "normalize.h: problems are dropped only beyond PROBLEM_MAX");
    FUZZ_CHECK(n->version == r->version, "normalize.h: version copied");
    int report_level = 0, worst = -1;
    for (size_t i = 0; i < n->n_problems; i++) {
        const struct problem *p = &n->problems[i];
        FUZZ_CHECK(p->level == PROBLEM_WARNING || p->level == PROBLEM_ANSWER ||
                       p->level == PROBLEM_REPORT,
                   "normalize.h: a problem has a level");
        FUZZ_CHECK(memchr(p->question, '\0', sizeof p->question) &&
                       memchr(p->reason, '\0', sizeof p->reason),
                   "normalize.h: question and reason are terminated");
        FUZZ_CHECK(p->reason[0], "normalize.h: a problem has a reason");
        FUZZ_CHECK_S(fuzz_printable(p->reason),
                     "normalize.h: a reason is one printable UTF-8 line",
                     p->reason);
        FUZZ_CHECK_S(fuzz_printable(p->question),
                     "normalize.h: a question id is printable UTF-8",
                     p->question);
        report_level |= p->level == PROBLEM_REPORT;
        if ((int)p->level > worst)
            worst = (int)p->level;
    }
    FUZZ_CHECK(normalize_worst(n) == worst,
               "normalize.h: normalize_worst is the highest level, or -1");
    if (report_level)
        FUZZ_CHECK(!n->ok, "normalize.h: ok is 0 after a PROBLEM_REPORT");
    if (!n->ok && n->n_dropped == 0)
        FUZZ_CHECK(report_level, "normalize.h: ok is 0 only for a reason");
    FUZZ_CHECK(n->nav_collab >= YN_NONE && n->nav_collab <= YN_DONT_KNOW &&
                   n->nav_collab_specialist >= YN_NONE &&
                   n->nav_collab_specialist <= YN_DONT_KNOW &&
                   n->ips_se_mental_health >= YN_NONE &&
                   n->ips_se_mental_health <= YN_DONT_KNOW &&
                   n->ips_se_substance >= YN_NONE &&
                   n->ips_se_substance <= YN_DONT_KNOW,
               "normalize.h: yes/no answers are values of enum yesno");
    FUZZ_CHECK(n->nav_rating >= RATING_NONE && n->nav_rating <= RATING_DONT_KNOW,
               "normalize.h: the rating is a value of enum rating");
    FUZZ_CHECK(n->population == -1 ||
                   (n->population >= 1 && n->population <= 9999999L),
               "normalize.h: population is -1 or 1-9999999");
    if (n->size_class)
        FUZZ_CHECK(is_size_class(n->size_class),
                   "normalize.h: size_class is a label of §6");
    if (!n->ok)
        return;
    /* an ok report can be loaded: everything the database needs is set */
    FUZZ_CHECK(n->year >= units_first_year(units) &&
                   n->year <= units_last_year(units),
               "normalize.h: an ok report has a year of the table");
    size_t len = strlen(n->unit_code);
    FUZZ_CHECK(len == 4 || len == 6, "normalize.h: an ok report has a unit");
    for (size_t i = 0; i < len; i++)
        FUZZ_CHECK(n->unit_code[i] >= '0' && n->unit_code[i] <= '9',
                   "normalize.h: a unit code is digits");
    FUZZ_CHECK(n->unit_type == (len == 4 ? UNIT_KOMMUNE : UNIT_BYDEL),
               "normalize.h: the unit type fits the code");
    FUZZ_CHECK(memcmp(n->county_code, n->unit_code, 2) == 0 &&
                   n->county_code[2] == '\0',
               "normalize.h: county_code is the code's first two digits");
    const char *name;
    FUZZ_CHECK(units_check(units, n->unit_code, n->year, &name, NULL, NULL) ==
                   UNIT_VALID,
               "normalize.h: an ok report's unit is valid in its year");
    if (n->unit_type == UNIT_BYDEL)
        FUZZ_CHECK(n->size_class && strcmp(n->size_class, "Oslo bydel") == 0,
                   "normalize.h: a district's size class is 'Oslo bydel'");
}

struct sink_ctx {
    const struct fuzz_read_opts *o;
    int reports;
    struct norm_report norm; /* reused, as import.c does */
};

static int on_report(void *ctx, const struct raw_report *r)
{
    struct sink_ctx *s = ctx;
    FUZZ_CHECK(!s->o->stop_after || s->reports < s->o->stop_after,
               "xmlreport.h: no report after the sink asked to stop");
    check_raw(r, ++s->reports);
    /* the time of the run fixed (2026-03-01T12:00:00Z), for replays */
    normalize_report(r, units, INT64_C(1772366400000000), &s->norm);
    check_norm(r, &s->norm);
    return s->o->stop_after && s->reports >= s->o->stop_after;
}

static void on_warning(void *ctx, long line, const char *msg)
{
    (void)ctx;
    FUZZ_CHECK(line >= 0, "xmlreport.h: a warning's line is 0 or more");
    FUZZ_CHECK(msg, "xmlreport.h: a warning has a text");
    FUZZ_CHECK_S(one_line(msg), "xmlreport.h: a warning is one line", msg);
}

enum xmlrep_status fuzz_read_file(xmlrep_read_fn read, void *src,
                                  const char *(*src_error)(void *),
                                  const struct fuzz_read_opts *o)
{
    /* static: struct norm_report is 17 KiB, and libFuzzer runs one input
     * at a time */
    static struct sink_ctx s;
    memset(&s, 0, sizeof s);
    s.o = o;
    struct xmlrep_sink sink = { on_report, on_warning, &s };
    char err[1024];
    enum xmlrep_status st =
        xmlrep_read(read, src, src_error, o->lim, &sink, err, sizeof err);
    FUZZ_CHECK(st == XMLREP_OK || st == XMLREP_REJECTED || st == XMLREP_STOPPED,
               "xmlreport.h: a status of enum xmlrep_status");
    if (st == XMLREP_REJECTED) {
        FUZZ_CHECK(memchr(err, '\0', sizeof err) && err[0],
                   "xmlreport.h: a rejected file has a reason");
        FUZZ_CHECK_S(one_line(err), "xmlreport.h: the reason is one line",
                     err);
    }
    if (st == XMLREP_STOPPED)
        FUZZ_CHECK(o->stop_after && s.reports == o->stop_after,
                   "xmlreport.h: XMLREP_STOPPED only when the sink asked");
    return st;
}
