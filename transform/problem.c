/*
 * problem.c - the problems of a report and values quoted in them (see
 * problem.h).
 */
#include "problem.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../ingest/printable.h"

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

void problem_add(struct norm_report *out, enum problem_level level,
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

const char *problem_quote(char buf[PROBLEM_QUOTE_BUF], const char *s,
                          size_t n)
{
    return printable_copy(buf, PROBLEM_QUOTE_BUF, s, n, PROBLEM_QUOTE_CHARS);
}

const char *problem_quote_str(char buf[PROBLEM_QUOTE_BUF], const char *s)
{
    return problem_quote(buf, s, s ? strlen(s) : 0);
}
