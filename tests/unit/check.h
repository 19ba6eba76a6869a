/*
 * check.h - the smallest test harness that prints what failed and where.
 *
 *   CHECK(cond)              fails when cond is false
 *   CHECK_STR(got, want)     compares strings (NULL allowed on either side)
 *   CHECK_INT(got, want)     compares integers
 *   return check_done();     at the end of main: prints "N passed, N failed"
 */
#ifndef IS248_TEST_CHECK_H
#define IS248_TEST_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_passed, check_failed;

static inline void check_report(int ok, const char *file, int line,
                                const char *what)
{
    if (ok) {
        check_passed++;
        return;
    }
    check_failed++;
    fprintf(stderr, "%s:%d: check failed: %s\n", file, line, what);
}

#define CHECK(cond) check_report(!!(cond), __FILE__, __LINE__, #cond)

#define CHECK_STR(got, want)                                                   \
    do {                                                                       \
        const char *g_ = (got), *w_ = (want);                                  \
        int ok_ = (g_ == NULL && w_ == NULL) ||                                \
                  (g_ != NULL && w_ != NULL && strcmp(g_, w_) == 0);           \
        check_report(ok_, __FILE__, __LINE__, #got " == " #want);              \
        if (!ok_)                                                              \
            fprintf(stderr, "    got:  %s%s%s\n    want: %s%s%s\n",            \
                    g_ ? "'" : "", g_ ? g_ : "NULL", g_ ? "'" : "",            \
                    w_ ? "'" : "", w_ ? w_ : "NULL", w_ ? "'" : "");           \
    } while (0)

#define CHECK_INT(got, want)                                                   \
    do {                                                                       \
        long long g_ = (long long)(got), w_ = (long long)(want);               \
        check_report(g_ == w_, __FILE__, __LINE__, #got " == " #want);         \
        if (g_ != w_)                                                          \
            fprintf(stderr, "    got:  %lld\n    want: %lld\n", g_, w_);       \
    } while (0)

static inline int check_done(void)
{
    printf("%d passed, %d failed\n", check_passed, check_failed);
    return check_failed ? 1 : 0;
}

#endif
