/*
 * stage.c - rows of is248.stage in COPY's binary format (see stage.h).
 *
 * Every row has all STAGE_COLUMNS fields, in the order of STAGE_COPY's
 * column list; a kind leaves the others NULL.  This is the hot path of an
 * import (one report row per report, its answers packed): values are
 * checked and copied in one pass, with no allocation but the buffer's.
 */
#include "stage.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../ingest/utf8.h"
#include "../transform/codes.h"

const char STAGE_COPY[] =
    "COPY is248.stage (kind, file_no, report_index, version, year,"
    " unit_code, unit_type, unit_name, county_code, population, size_class,"
    " submitted_at, submission_id, digest, nav_collab,"
    " nav_collab_specialist, nav_rating, ips_se_mental_health,"
    " ips_mental_health, se_mental_health, ips_se_substance, ips_substance,"
    " se_substance, answers, level, question, reason, source, entry,"
    " piece_no, content) FROM STDIN (FORMAT binary)";

enum {
    PARENT_TEXT = 16,    /* an int in decimal: a Valg's parent_seq */
    STAGE_COLUMNS = 31,
    /* fields of a report row: kind .. answers */
    REPORT_FIELDS = 24,
    /* packed answers: separators and the NULL mark (see stage.h) */
    PACK_ANSWER = 0x1E, PACK_FIELD = 0x1F, PACK_NULL = 0x1A
};

/* Length of s's valid prefix that can be stored: UTF-8, no NUL, no C0
 * control but tab, line feed and carriage return. */
static size_t storable_prefix(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        if (c >= 0x20 && c < 0x80) {
            i++;
            continue;
        }
        if (c < 0x20) {
            if (c != '\t' && c != '\n' && c != '\r')
                return i;
            i++;
            continue;
        }
        uint32_t cp;
        size_t k = utf8_next(s + i, n - i, &cp);
        if (k == 0)
            return i;
        i += k;
    }
    return n;
}

int stage_text_ok(const char *s, size_t n)
{
    return storable_prefix((const unsigned char *)s, n) == n;
}

/* s without surrounding white space: pointer and length (0 for NULL). */
static const char *trim(const char *s, size_t *len)
{
    if (!s) {
        *len = 0;
        return NULL;
    }
    while (*s && isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        n--;
    *len = n;
    return s;
}

/* A text field of s (NULL: NULL); 0, or -1 when it cannot be stored. */
static int put_value(struct pgbin *b, const char *s, size_t n)
{
    if (!s) {
        pgbin_null(b);
        return 0;
    }
    if (!stage_text_ok(s, n))
        return -1;
    pgbin_bytes(b, s, n);
    return 0;
}

static void put_tri(struct pgbin *b, enum tristate t)
{
    if (t == TRI_NULL)
        pgbin_null(b);
    else
        pgbin_bool(b, t == TRI_TRUE);
}

/* One value into the packed answers: U+001A for NULL.  0, or -1 when it
 * cannot be stored. */
static int pack_value(struct pgbin *b, const char *s)
{
    if (!s) {
        unsigned char mark = PACK_NULL;
        pgbin_put(b, &mark, 1);
        return 0;
    }
    size_t n = strlen(s);
    if (storable_prefix((const unsigned char *)s, n) != n)
        return -1;
    pgbin_put(b, s, n);
    return 0;
}

/* The packed raw answers as one field (see stage.h). */
static int pack_answers(struct pgbin *b, const struct raw_report *raw)
{
    size_t mark = pgbin_field_begin(b);
    static const unsigned char sep_answer = PACK_ANSWER, sep = PACK_FIELD;
    for (size_t i = 0; i < raw->n_answers; i++) {
        const struct raw_answer *a = &raw->answers[i];
        if (i > 0)
            pgbin_put(b, &sep_answer, 1);
        if (a->parent >= 0) {
            char num[PARENT_TEXT];
            int len = snprintf(num, sizeof num, "%d", a->parent);
            pgbin_put(b, num, (size_t)len);
        }
        pgbin_put(b, &sep, 1);
        if (pack_value(b, a->chapter) != 0)
            return -1;
        pgbin_put(b, &sep, 1);
        if (pack_value(b, a->question) != 0)
            return -1;
        pgbin_put(b, &sep, 1);
        if (pack_value(b, a->code) != 0)
            return -1;
        pgbin_put(b, &sep, 1);
        if (pack_value(b, a->text) != 0)
            return -1;
    }
    pgbin_field_end(b, mark);
    return 0;
}

int stage_report(struct pgbin *b, int file_no, const struct raw_report *raw,
                 const struct norm_report *n)
{
    size_t mark = b->len;
    size_t name_len, id_len;
    const char *name = trim(raw->unit_name, &name_len);
    const char *id = trim(raw->submission_id, &id_len);
    int bad = 0;

    pgbin_row(b, STAGE_COLUMNS);
    pgbin_char(b, 'r');
    pgbin_int4(b, file_no);
    pgbin_int4(b, raw->index);
    pgbin_int2(b, (int16_t)n->version);
    pgbin_int4(b, n->year);
    pgbin_text(b, n->unit_code);
    pgbin_text(b, unit_type_name(n->unit_type));
    bad |= put_value(b, name_len ? name : NULL, name_len);
    pgbin_text(b, n->county_code);
    if (n->population > 0 && n->population <= INT32_MAX)
        pgbin_int4(b, (int32_t)n->population);
    else
        pgbin_null(b);
    pgbin_text(b, n->size_class);
    pgbin_timestamptz(b, n->submitted_us);
    bad |= put_value(b, id_len ? id : NULL, id_len);
    pgbin_bytes(b, n->digest, sizeof n->digest);
    pgbin_text(b, codes_yesno_name(n->nav_collab));
    pgbin_text(b, codes_yesno_name(n->nav_collab_specialist));
    pgbin_text(b, codes_rating_name(n->nav_rating));
    pgbin_text(b, codes_yesno_name(n->ips_se_mental_health));
    put_tri(b, n->ips_mental_health);
    put_tri(b, n->se_mental_health);
    pgbin_text(b, codes_yesno_name(n->ips_se_substance));
    put_tri(b, n->ips_substance);
    put_tri(b, n->se_substance);
    bad |= pack_answers(b, raw);
    for (int i = REPORT_FIELDS; i < STAGE_COLUMNS; i++)
        pgbin_null(b);
    if (bad) {
        pgbin_truncate(b, mark);
        return STAGE_BAD_TEXT;
    }
    return pgbin_failed(b) ? STAGE_NOMEM : STAGE_OK;
}

/* Text as a field, every byte that cannot be stored as U+FFFD (for
 * labels and reasons, never for data); NULL or "" as NULL. */
static void put_lossy(struct pgbin *b, const char *s, size_t n)
{
    if (!s || n == 0) {
        pgbin_null(b);
        return;
    }
    size_t mark = pgbin_field_begin(b);
    const unsigned char *p = (const unsigned char *)s;
    while (n > 0) {
        size_t ok = storable_prefix(p, n);
        pgbin_put(b, p, ok);
        p += ok;
        n -= ok;
        if (n > 0) {
            pgbin_put(b, "\xEF\xBF\xBD", 3);
            p++;
            n--;
        }
    }
    pgbin_field_end(b, mark);
}

static void put_lossy_str(struct pgbin *b, const char *s)
{
    put_lossy(b, s, s ? strlen(s) : 0);
}

/* A 'p' or 'w' row.  report_index < 0 and year 0 are NULL. */
static void problem_row(struct pgbin *b, char kind, int file_no,
                        int report_index, int year, const char *unit,
                        size_t unit_len, const char *level,
                        const char *question, const char *reason)
{
    pgbin_row(b, STAGE_COLUMNS);
    pgbin_char(b, kind);
    pgbin_int4(b, file_no);
    if (report_index >= 0)
        pgbin_int4(b, report_index);
    else
        pgbin_null(b);
    pgbin_null(b);                          /* version */
    if (year)
        pgbin_int4(b, year);
    else
        pgbin_null(b);
    put_lossy(b, unit, unit_len);
    for (int i = 7; i <= 24; i++)           /* unit_type .. answers */
        pgbin_null(b);
    pgbin_text(b, level);
    put_lossy_str(b, question);
    put_lossy_str(b, reason ? reason : "");
    for (int i = 28; i <= STAGE_COLUMNS; i++)   /* source .. content */
        pgbin_null(b);
}

/* The year of a raw report as an int, when it is one (four digits,
 * surrounding white space allowed); 0 otherwise. */
static int raw_year(const char *s)
{
    size_t n;
    const char *p = trim(s, &n);
    if (n != 4)
        return 0;
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return 0;
        v = v * 10 + (p[i] - '0');
    }
    return v;
}

void stage_problems(struct pgbin *b, int file_no,
                    const struct raw_report *raw,
                    const struct norm_report *n)
{
    /* what to file the problems under: as much of the unit and year as
     * could be read */
    int year = n->year ? n->year : raw_year(raw->year);
    size_t unit_len;
    const char *unit = n->unit_code;
    if (unit[0])
        unit_len = strlen(unit);
    else
        unit = trim(raw->unit_code, &unit_len);

    for (size_t i = 0; i < n->n_problems; i++) {
        const struct problem *p = &n->problems[i];
        int warning = p->level == PROBLEM_WARNING;
        problem_row(b, warning ? 'w' : 'p', file_no, raw->index, year, unit,
                    unit_len,
                    warning ? NULL
                    : p->level == PROBLEM_REPORT ? "report" : "answer",
                    p->question[0] ? p->question : NULL, p->reason);
    }
    if (n->n_dropped > 0) {
        char text[PROBLEM_TEXT];
        snprintf(text, sizeof text, "%zu further problems not listed",
                 n->n_dropped);
        problem_row(b, n->ok ? 'w' : 'p', file_no, raw->index, year, unit,
                    unit_len, n->ok ? NULL : "report", NULL, text);
    }
}

void stage_file_warning(struct pgbin *b, int file_no, const char *reason)
{
    problem_row(b, 'w', file_no, -1, 0, NULL, 0, NULL, NULL, reason);
}

void stage_skipped(struct pgbin *b, const char *source, const char *entry,
                   const char *reason)
{
    pgbin_row(b, STAGE_COLUMNS);
    pgbin_char(b, 's');
    for (int i = 2; i <= 26; i++)           /* file_no .. question */
        pgbin_null(b);
    put_lossy_str(b, reason);
    put_lossy_str(b, source ? source : "");
    put_lossy_str(b, entry ? entry : "");
    pgbin_null(b);                          /* piece_no */
    pgbin_null(b);                          /* content */
}

void stage_piece(struct pgbin *b, int file_no, int piece_no, const void *p,
                 size_t n)
{
    pgbin_row(b, STAGE_COLUMNS);
    pgbin_char(b, 'b');
    pgbin_int4(b, file_no);
    for (int i = 3; i <= 29; i++)           /* report_index .. entry */
        pgbin_null(b);
    pgbin_int4(b, piece_no);
    pgbin_bytes(b, p, n);
}
