/*
 * view.c - trimmed views of raw values (see view.h).
 */
#include "view.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int view_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

struct view view_trim(const char *s)
{
    struct view v = { s, 0 };
    if (!s)
        return v;
    while (view_is_space(*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && view_is_space(s[n - 1]))
        n--;
    v.p = s;
    v.n = n;
    return v;
}

int view_is(struct view v, const char *s)
{
    return v.n == strlen(s) && memcmp(v.p, s, v.n) == 0;
}

int view_digits(struct view v)
{
    if (v.n == 0)
        return 0;
    for (size_t i = 0; i < v.n; i++)
        if (v.p[i] < '0' || v.p[i] > '9')
            return 0;
    return 1;
}

char *view_copy(struct view v, char *buf, size_t size)
{
    size_t n = v.n < size - 1 ? v.n : size - 1;
    memcpy(buf, v.p ? v.p : "", n);
    buf[n] = '\0';
    return buf;
}

/* Digits view_number() reads at the most. */
#define NUMBER_TEXT 24

int view_number(struct view v, long max, long *out)
{
    if (!view_digits(v))
        return -1;
    char buf[NUMBER_TEXT];
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
