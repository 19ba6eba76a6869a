/*
 * view.h - a value of a raw report as the checks of transform/ see it:
 * without the white space around it (space, tab, line feed, carriage
 * return, form feed, vertical tab), as a pointer and a length into the raw
 * report's own text.  A view owns nothing and lives as long as that text.
 * Every function here can't fail.
 */
#ifndef IS248_TRANSFORM_VIEW_H
#define IS248_TRANSFORM_VIEW_H

#include <stddef.h>

struct view {
    const char *p;
    size_t n;       /* 0 when the value is missing or only white space */
};

/* c is white space as the views see it (the six above). */
int view_is_space(char c);

/* s without the white space around it; s NULL gives { NULL, 0 }. */
struct view view_trim(const char *s);

/* The view is exactly s. */
int view_is(struct view v, const char *s);

/* The view is one or more ASCII digits and nothing else. */
int view_digits(struct view v);

/* A view of ASCII digits only as a number in 0..max.  Returns 0 with
 * *out set, -1 when v is not digits only, -2 when the number is out of
 * range. */
int view_number(struct view v, long max, long *out);

/* The view into buf (size > 0 bytes), cut to size - 1, NUL-terminated.
 * Returns buf. */
char *view_copy(struct view v, char *buf, size_t size);

#endif
