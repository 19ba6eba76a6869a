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
    INSTANT_AMBIGUOUS      /* v1: a local time that occurs twice when DST
                            * ends; *us is the first (summer time) one */
};

/* "YYYY-MM-DDThh:mm:ss[.f+]" and an offset: Z (or z), +hh:mm, +hhmm or +hh
 * (or -); surrounding white space is allowed, a space may stand for the T. */
enum instant_status instant_parse_offset(const char *s, int64_t *us);

/* "YYYY-MM-DDThh:mm:ss[.f+]" in Europe/Oslo local time. */
enum instant_status instant_parse_oslo(const char *s, int64_t *us);

/* Write the instant as "YYYY-MM-DD hh:mm:ss[.ffffff]+00" (PostgreSQL's
 * timestamptz input) into buf; returns buf. */
char *instant_format(int64_t us, char *buf, size_t len);

#endif
