/*
 * instant.h - submission times to exact instants.
 *
 * Version 2 gives ISO 8601 with an offset ("2019-02-11T10:03:00+01:00",
 * "...Z"); version 1 gives local Norwegian time without one
 * ("2018-03-01T14:05:00"), which is converted with the rules of
 * Europe/Oslo: CET (+01:00), and CEST (+02:00) from 01:00 UTC on the last
 * Sunday of March to 01:00 UTC on the last Sunday of October (EU rules, in
 * force in Norway since 1996).  The rules are built in so that the result
 * does not depend on the machine's time zone database.
 *
 * Results are microseconds since 1970-01-01T00:00:00Z.
 */
#ifndef IS248_TRANSFORM_INSTANT_H
#define IS248_TRANSFORM_INSTANT_H

#include <stddef.h>
#include <stdint.h>

enum instant_status {
    INSTANT_OK = 0,
    INSTANT_MALFORMED,     /* not the expected form, or no such date */
    INSTANT_NO_OFFSET,     /* v2: an offset is required */
    INSTANT_GAP,           /* v1: a local time skipped when DST starts */
    INSTANT_AMBIGUOUS,     /* v1: a local time that occurs twice when DST
                            * ends; *us is the first (summer time) one */
    INSTANT_RANGE          /* a real date and time whose instant falls
                            * outside 0001-01-01 .. 9999-12-31 in UTC
                            * ("9999-12-31T23:59:59-12:00" is in 10000),
                            * which PostgreSQL and instant_format() do not
                            * take; *us is not set */
};

/* "YYYY-MM-DDThh:mm:ss[.f+]" and an offset: Z (or z), +hh:mm, +hhmm or +hh
 * (or -); surrounding white space is allowed, a space may stand for the T. */
enum instant_status instant_parse_offset(const char *s, int64_t *us);

/* "YYYY-MM-DDThh:mm:ss[.f+]" in Europe/Oslo local time. */
enum instant_status instant_parse_oslo(const char *s, int64_t *us);

/* Room for what the two functions below write, with the NUL. */
#define INSTANT_TEXT 40

/* Write the instant as "YYYY-MM-DD hh:mm:ss[.ffffff]+00" (PostgreSQL's
 * timestamptz input) into buf; returns buf. */
char *instant_format(int64_t us, char *buf, size_t len);

/* The same as ISO 8601 in UTC to the second, "YYYY-MM-DDThh:mm:ssZ", for
 * messages; returns buf. */
char *instant_format_iso(int64_t us, char *buf, size_t len);

/* 00:00 on 1 January of year (1-9999) in Europe/Oslo (CET, +01:00): the
 * instant the reporting year began. */
int64_t instant_year_start_oslo(int year);

/* The current time (CLOCK_REALTIME; 0 should the clock be unreadable),
 * the only function here that is not pure: for the caller of
 * normalize_report() to pass in. */
int64_t instant_now(void);

#define INSTANT_US_PER_DAY (INT64_C(86400) * 1000000)

#endif
