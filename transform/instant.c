/*
 * instant.c - submission times to exact instants, without the machine's
 * time zone database: civil dates are turned into day numbers with
 * days_from_civil() (proleptic Gregorian), and Europe/Oslo's offset is
 * computed from the EU rule (CEST from 01:00 UTC on the last Sunday of
 * March to 01:00 UTC on the last Sunday of October).  The rule is applied
 * to every year; IS-24/8 has no submissions before 2015.
 *
 * Parsing is strict: fixed-width fields, real calendar dates (leap years),
 * hours 00-23, minutes and seconds 00-59 (no leap second), offsets within
 * ±14:00.  A fraction of a second may have any number of digits; digits
 * beyond microseconds are dropped.  The instant must fall in the years
 * 0001-9999 in UTC, as PostgreSQL's timestamptz input and instant_format()
 * need (INSTANT_RANGE otherwise).
 */
#include "instant.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "view.h"

#define US_PER_SEC INT64_C(1000000)
#define SECS_PER_DAY 86400

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* The inverse: civil date of a day number. */
static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
                                31 };
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Read exactly n digits at *p into *v; advance *p.  Returns 0 or -1. */
static int digits(const char **p, int n, int *v)
{
    int x = 0;
    for (int i = 0; i < n; i++) {
        char c = (*p)[i];
        if (c < '0' || c > '9')
            return -1;
        x = x * 10 + (c - '0');
    }
    *p += n;
    *v = x;
    return 0;
}

/*
 * Parse "YYYY-MM-DDThh:mm:ss[.f+]" at *p as if it were UTC: *us receives
 * the local wall time in microseconds since the epoch.  *p is left after
 * the time.  Returns 0 or -1.
 */
static int parse_local(const char **p, int64_t *us)
{
    const char *s = *p;
    int y, mo, d, h, mi, sec;
    if (digits(&s, 4, &y) < 0 || *s++ != '-' || digits(&s, 2, &mo) < 0 ||
        *s++ != '-' || digits(&s, 2, &d) < 0)
        return -1;
    if (*s != 'T' && *s != ' ')
        return -1;
    s++;
    if (digits(&s, 2, &h) < 0 || *s++ != ':' || digits(&s, 2, &mi) < 0 ||
        *s++ != ':' || digits(&s, 2, &sec) < 0)
        return -1;
    if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) ||
        h > 23 || mi > 59 || sec > 59)
        return -1;
    int64_t frac = 0;
    if (*s == '.') {
        s++;
        int n = 0;
        while (*s >= '0' && *s <= '9') {
            if (n < 6)
                frac = frac * 10 + (*s - '0');
            n++;
            s++;
        }
        if (n == 0)
            return -1;
        for (; n < 6; n++)
            frac *= 10;
    }
    int64_t secs = days_from_civil(y, mo, d) * SECS_PER_DAY + h * 3600 +
                   mi * 60 + sec;
    *us = secs * US_PER_SEC + frac;
    *p = s;
    return 0;
}

static const char *skip_space(const char *s)
{
    while (view_is_space(*s))
        s++;
    return s;
}

/* 0001-01-01T00:00:00Z and the microsecond after 9999-12-31T23:59:59Z */
#define FIRST_US (INT64_C(-62135596800) * US_PER_SEC)
#define END_US (INT64_C(253402300800) * US_PER_SEC)

static int in_range(int64_t us)
{
    return us >= FIRST_US && us < END_US;
}

enum instant_status instant_parse_offset(const char *s, int64_t *us)
{
    if (!s)
        return INSTANT_MALFORMED;
    const char *p = skip_space(s);
    int64_t local;
    if (parse_local(&p, &local) < 0)
        return INSTANT_MALFORMED;
    int64_t offset_s;
    if (*p == 'Z' || *p == 'z') {
        offset_s = 0;
        p++;
    } else if (*p == '+' || *p == '-') {
        /* ISO 8601 allows +hh:mm, +hhmm and +hh */
        int sign = *p == '-' ? -1 : 1, oh, om = 0;
        p++;
        if (digits(&p, 2, &oh) < 0)
            return INSTANT_MALFORMED;
        if (*p == ':') {
            p++;
            if (digits(&p, 2, &om) < 0)
                return INSTANT_MALFORMED;
        } else if (*p >= '0' && *p <= '9' && digits(&p, 2, &om) < 0) {
            return INSTANT_MALFORMED;
        }
        if (om > 59 || oh * 60 + om > 14 * 60)
            return INSTANT_MALFORMED;
        offset_s = sign * (oh * 3600 + om * 60);
    } else {
        return *skip_space(p) == '\0' ? INSTANT_NO_OFFSET : INSTANT_MALFORMED;
    }
    if (*skip_space(p) != '\0')
        return INSTANT_MALFORMED;
    int64_t at = local - offset_s * US_PER_SEC;
    if (!in_range(at))
        return INSTANT_RANGE;
    *us = at;
    return INSTANT_OK;
}

/* Seconds since the epoch of 01:00 UTC on the last Sunday of month m. */
static int64_t last_sunday_0100_utc(int64_t y, int m)
{
    int64_t last = days_from_civil(y, m, 31); /* March and October: 31 days */
    /* 1970-01-01 was a Thursday: weekday 0 = Sunday is (days + 4) % 7. */
    int64_t wd = ((last + 4) % 7 + 7) % 7;
    return (last - wd) * SECS_PER_DAY + 3600;
}

enum instant_status instant_parse_oslo(const char *s, int64_t *us)
{
    if (!s)
        return INSTANT_MALFORMED;
    const char *p = skip_space(s);
    int64_t local;
    if (parse_local(&p, &local) < 0 || *skip_space(p) != '\0')
        return INSTANT_MALFORMED;

    int64_t y;
    int m, d;
    int64_t day = local / US_PER_SEC / SECS_PER_DAY; /* local >= 0001-01-01 */
    if (local < 0 && local % (SECS_PER_DAY * US_PER_SEC) != 0)
        day--;
    civil_from_days(day, &y, &m, &d);
    int64_t start = last_sunday_0100_utc(y, 3) * US_PER_SEC;
    int64_t end = last_sunday_0100_utc(y, 10) * US_PER_SEC;

    int64_t winter = local - 3600 * US_PER_SEC; /* read as +01:00 */
    int64_t summer = local - 7200 * US_PER_SEC; /* read as +02:00 */
    int winter_ok = winter < start || winter >= end;
    int summer_ok = summer >= start && summer < end;
    if ((summer_ok && !in_range(summer)) || (winter_ok && !in_range(winter)))
        return INSTANT_RANGE; /* 0001-01-01T00:59:59 and before */
    if (summer_ok && winter_ok) {
        *us = summer;
        return INSTANT_AMBIGUOUS;
    }
    if (summer_ok) {
        *us = summer;
        return INSTANT_OK;
    }
    if (winter_ok) {
        *us = winter;
        return INSTANT_OK;
    }
    return INSTANT_GAP;
}

/* The UTC calendar time of us: the date, the time of day and the
 * microseconds after the second (0 - 999999). */
struct civil {
    int64_t year;
    int month, day, hour, minute, second;
    int64_t frac;
};

static struct civil civil_of(int64_t us)
{
    struct civil c;
    int64_t secs = us / US_PER_SEC;
    c.frac = us % US_PER_SEC;
    if (c.frac < 0) {
        c.frac += US_PER_SEC;
        secs--;
    }
    int64_t day = secs / SECS_PER_DAY, sod = secs % SECS_PER_DAY;
    if (sod < 0) {
        sod += SECS_PER_DAY;
        day--;
    }
    civil_from_days(day, &c.year, &c.month, &c.day);
    c.hour = (int)(sod / 3600);
    c.minute = (int)(sod / 60 % 60);
    c.second = (int)(sod % 60);
    return c;
}

char *instant_format(int64_t us, char *buf, size_t len)
{
    if (!buf || len == 0)
        return buf;
    struct civil c = civil_of(us);
    if (c.frac)
        snprintf(buf, len, "%04lld-%02d-%02d %02d:%02d:%02d.%06lld+00",
                 (long long)c.year, c.month, c.day, c.hour, c.minute,
                 c.second, (long long)c.frac);
    else
        snprintf(buf, len, "%04lld-%02d-%02d %02d:%02d:%02d+00",
                 (long long)c.year, c.month, c.day, c.hour, c.minute,
                 c.second);
    return buf;
}

char *instant_format_iso(int64_t us, char *buf, size_t len)
{
    if (!buf || len == 0)
        return buf;
    struct civil c = civil_of(us);
    snprintf(buf, len, "%04lld-%02d-%02dT%02d:%02d:%02dZ", (long long)c.year,
             c.month, c.day, c.hour, c.minute, c.second);
    return buf;
}

int64_t instant_year_start_oslo(int year)
{
    return (days_from_civil(year, 1, 1) * SECS_PER_DAY - 3600) * US_PER_SEC;
}

int64_t instant_now(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
        return 0;
    return (int64_t)ts.tv_sec * US_PER_SEC + ts.tv_nsec / 1000;
}
