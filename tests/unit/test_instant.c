/*
 * test_instant.c - submission times: version 2 with offsets, version 1 in
 * Norwegian local time across the daylight saving changes, the malformed
 * ones, and the PostgreSQL output form.
 */
#include <stdint.h>

#include "check.h"
#include "transform/instant.h"

/* Parse and format, so that a failure shows the instant readably. */
static const char *fmt(int64_t us)
{
    static char buf[64];
    return instant_format(us, buf, sizeof buf);
}

#define CHECK_OFFSET(s, want)                                                  \
    do {                                                                       \
        int64_t us_ = -1;                                                      \
        CHECK_INT(instant_parse_offset(s, &us_), INSTANT_OK);                  \
        CHECK_STR(fmt(us_), want);                                             \
    } while (0)

#define CHECK_OSLO(s, status, want)                                            \
    do {                                                                       \
        int64_t us_ = -1;                                                      \
        CHECK_INT(instant_parse_oslo(s, &us_), status);                        \
        CHECK_STR(fmt(us_), want);                                             \
    } while (0)

static void test_offset(void)
{
    /* ISO 8601's other offset forms */
    CHECK_OFFSET("2019-02-11T10:03:00+0100", "2019-02-11 09:03:00+00");
    CHECK_OFFSET("2019-02-11T10:03:00+01", "2019-02-11 09:03:00+00");
    CHECK_OFFSET("2019-02-11T10:03:00-0530", "2019-02-11 15:33:00+00");
    CHECK_OFFSET("2019-02-11T09:03:00z", "2019-02-11 09:03:00+00");
    int64_t us = 0;
    CHECK_INT(instant_parse_offset("1970-01-01T00:00:00Z", &us), INSTANT_OK);
    CHECK_INT(us, 0);
    CHECK_INT(instant_parse_offset("2019-02-11T10:03:00+01:00", &us),
              INSTANT_OK);
    CHECK_INT(us, INT64_C(1549875780) * 1000000);

    CHECK_OFFSET("2019-02-11T10:03:00+01:00", "2019-02-11 09:03:00+00");
    CHECK_OFFSET("2020-01-28T09:12:44+01:00", "2020-01-28 08:12:44+00");
    CHECK_OFFSET("2019-06-11T10:03:00+02:00", "2019-06-11 08:03:00+00");
    CHECK_OFFSET("2019-02-11T10:03:00Z", "2019-02-11 10:03:00+00");
    CHECK_OFFSET("2019-02-11T10:03:00-05:30", "2019-02-11 15:33:00+00");
    CHECK_OFFSET("2019-02-11T00:10:00+01:00", "2019-02-10 23:10:00+00");
    CHECK_OFFSET("2019-12-31T23:30:00-01:00", "2020-01-01 00:30:00+00");
    CHECK_OFFSET("2019-02-11 10:03:00+01:00", "2019-02-11 09:03:00+00");
    CHECK_OFFSET("  2019-02-11T10:03:00+01:00\n", "2019-02-11 09:03:00+00");
    CHECK_OFFSET("2019-02-11T10:03:00.5+01:00", "2019-02-11 09:03:00.500000+00");
    CHECK_OFFSET("2019-02-11T10:03:00.1234567Z", "2019-02-11 10:03:00.123456+00");
    CHECK_OFFSET("2020-02-29T12:00:00+14:00", "2020-02-28 22:00:00+00");
    CHECK_OFFSET("2000-02-29T12:00:00-14:00", "2000-03-01 02:00:00+00");

    CHECK_INT(instant_parse_offset("2019-02-11T10:03:00", &us),
              INSTANT_NO_OFFSET);
    CHECK_INT(instant_parse_offset(" 2019-02-11T10:03:00 ", &us),
              INSTANT_NO_OFFSET);
    CHECK_INT(instant_parse_offset("2019-02-30T10:03:00+01:00", &us),
              INSTANT_MALFORMED);
    CHECK_INT(instant_parse_offset("2019-02-29T10:03:00+01:00", &us),
              INSTANT_MALFORMED); /* not a leap year */
    CHECK_INT(instant_parse_offset("1900-02-29T10:03:00+01:00", &us),
              INSTANT_MALFORMED);
    CHECK_INT(instant_parse_offset("2019-13-01T10:03:00+01:00", &us),
              INSTANT_MALFORMED);
    CHECK_INT(instant_parse_offset("2019-00-01T10:03:00+01:00", &us),
              INSTANT_MALFORMED);
    CHECK_INT(instant_parse_offset("2019-04-31T10:03:00+01:00", &us),
              INSTANT_MALFORMED);
    CHECK_INT(instant_parse_offset("2019-02-11T24:00:00+01:00", &us),
              INSTANT_MALFORMED);
    CHECK_INT(instant_parse_offset("2019-02-11T10:60:00+01:00", &us),
              INSTANT_MALFORMED);
    CHECK_INT(instant_parse_offset("2019-02-11T10:03:60+01:00", &us),
              INSTANT_MALFORMED);
    CHECK_INT(instant_parse_offset("2019-02-11T10:03:00+15:00", &us),
              INSTANT_MALFORMED);
    CHECK_INT(instant_parse_offset("2019-02-11T10:03:00+14:01", &us),
              INSTANT_MALFORMED);
    CHECK_INT(instant_parse_offset("2019-02-11T10:03:00+01:60", &us),
              INSTANT_MALFORMED);
    CHECK_INT(instant_parse_offset("2019-02-11T10:03+01:00", &us),
              INSTANT_MALFORMED);
    CHECK_INT(instant_parse_offset("2019-2-11T10:03:00+01:00", &us),
              INSTANT_MALFORMED);
    CHECK_INT(instant_parse_offset("2019-02-11X10:03:00+01:00", &us),
              INSTANT_MALFORMED);
    CHECK_INT(instant_parse_offset("2019-02-11T10:03:00.+01:00", &us),
              INSTANT_MALFORMED);
    CHECK_INT(instant_parse_offset("2019-02-11T10:03:00+01:00x", &us),
              INSTANT_MALFORMED);
    CHECK_INT(instant_parse_offset("2019-02-11T10:03:00Zx", &us),
              INSTANT_MALFORMED);
    CHECK_INT(instant_parse_offset("2019-02-11T10:03:00 +01:00", &us),
              INSTANT_MALFORMED);
    CHECK_INT(instant_parse_offset("11.02.2019 10:03", &us), INSTANT_MALFORMED);
    CHECK_INT(instant_parse_offset("", &us), INSTANT_MALFORMED);
    CHECK_INT(instant_parse_offset(NULL, &us), INSTANT_MALFORMED);
}

static void test_oslo(void)
{
    /* Winter (+01:00) and summer (+02:00). */
    CHECK_OSLO("2018-03-01T14:05:00", INSTANT_OK, "2018-03-01 13:05:00+00");
    CHECK_OSLO("2017-06-01T12:00:00", INSTANT_OK, "2017-06-01 10:00:00+00");
    CHECK_OSLO("2016-12-31T23:30:00", INSTANT_OK, "2016-12-31 22:30:00+00");
    CHECK_OSLO("2017-01-01T00:30:00", INSTANT_OK, "2016-12-31 23:30:00+00");
    CHECK_OSLO(" 2018-03-01 14:05:00.25\n", INSTANT_OK,
               "2018-03-01 13:05:00.250000+00");

    /* DST starts 2017-03-26: 02:00 CET becomes 03:00 CEST. */
    CHECK_OSLO("2017-03-26T01:59:59", INSTANT_OK, "2017-03-26 00:59:59+00");
    int64_t us = 42;
    CHECK_INT(instant_parse_oslo("2017-03-26T02:00:00", &us), INSTANT_GAP);
    CHECK_INT(instant_parse_oslo("2017-03-26T02:30:00", &us), INSTANT_GAP);
    CHECK_INT(instant_parse_oslo("2017-03-26T02:59:59", &us), INSTANT_GAP);
    CHECK_INT(us, 42); /* left alone */
    CHECK_INT(instant_parse_oslo("2016-03-27T02:30:00", &us), INSTANT_GAP);
    CHECK_OSLO("2017-03-26T03:00:00", INSTANT_OK, "2017-03-26 01:00:00+00");
    CHECK_OSLO("2017-03-25T02:30:00", INSTANT_OK, "2017-03-25 01:30:00+00");

    /* DST ends 2017-10-29: 03:00 CEST becomes 02:00 CET; 02:xx twice. */
    CHECK_OSLO("2017-10-29T01:59:59", INSTANT_OK, "2017-10-28 23:59:59+00");
    CHECK_OSLO("2017-10-29T02:00:00", INSTANT_AMBIGUOUS,
               "2017-10-29 00:00:00+00");
    CHECK_OSLO("2017-10-29T02:30:00", INSTANT_AMBIGUOUS,
               "2017-10-29 00:30:00+00");
    CHECK_OSLO("2017-10-29T02:59:59", INSTANT_AMBIGUOUS,
               "2017-10-29 00:59:59+00");
    CHECK_OSLO("2017-10-29T03:00:00", INSTANT_OK, "2017-10-29 02:00:00+00");
    CHECK_OSLO("2017-10-22T02:30:00", INSTANT_OK, "2017-10-22 00:30:00+00");
    CHECK_OSLO("2018-10-28T02:30:00", INSTANT_AMBIGUOUS,
               "2018-10-28 00:30:00+00");
    CHECK_INT(instant_parse_oslo("2020-03-29T02:30:00", &us), INSTANT_GAP);

    CHECK_INT(instant_parse_oslo("2018-03-01T14:05:00+01:00", &us),
              INSTANT_MALFORMED);
    CHECK_INT(instant_parse_oslo("2018-03-01T14:05:00Z", &us),
              INSTANT_MALFORMED);
    CHECK_INT(instant_parse_oslo("2019-02-30T10:00:00", &us),
              INSTANT_MALFORMED);
    CHECK_INT(instant_parse_oslo("2018-03-01T24:00:00", &us),
              INSTANT_MALFORMED);
    CHECK_INT(instant_parse_oslo("2018-03-01", &us), INSTANT_MALFORMED);
    CHECK_INT(instant_parse_oslo("01.03.2018 14:05", &us), INSTANT_MALFORMED);
    CHECK_INT(instant_parse_oslo("", &us), INSTANT_MALFORMED);
    CHECK_INT(instant_parse_oslo(NULL, &us), INSTANT_MALFORMED);
}

static void test_format(void)
{
    char buf[64];
    CHECK_STR(instant_format(0, buf, sizeof buf), "1970-01-01 00:00:00+00");
    CHECK_STR(instant_format(1, buf, sizeof buf),
              "1970-01-01 00:00:00.000001+00");
    CHECK_STR(instant_format(-1, buf, sizeof buf),
              "1969-12-31 23:59:59.999999+00");
    CHECK_STR(instant_format(INT64_C(951782400) * 1000000, buf, sizeof buf),
              "2000-02-29 00:00:00+00");
    CHECK_STR(instant_format(INT64_C(1519909500) * 1000000, buf, sizeof buf),
              "2018-03-01 13:05:00+00");
    char small[11];
    CHECK_STR(instant_format(0, small, sizeof small), "1970-01-01");

    /* Every day of 1999-2031 survives a round trip. */
    int bad = 0;
    for (int64_t day = 10592; day < 22645; day++) {
        int64_t us = day * 86400 * INT64_C(1000000) + INT64_C(45296) * 1000000;
        int64_t back = -1;
        char s[64];
        instant_format(us, s, sizeof s);
        s[10] = 'T';
        s[19] = 'Z';
        s[20] = '\0';
        if (instant_parse_offset(s, &back) != INSTANT_OK || back != us)
            bad++;
    }
    CHECK_INT(bad, 0);
}

/* The years 0001-9999 in UTC, and nothing beyond: "9999-12-31T23:59:59-12:00"
 * is in the year 10000 (issue 11), which PostgreSQL would store as such. */
static void test_range(void)
{
    static const struct {
        const char *s;
        int oslo;               /* version 1: Norwegian local time */
        enum instant_status status;
        const char *want;       /* instant_format(), when OK */
    } cases[] = {
        { "9999-12-31T23:59:59Z", 0, INSTANT_OK, "9999-12-31 23:59:59+00" },
        { "9999-12-31T23:59:59.999999Z", 0, INSTANT_OK,
          "9999-12-31 23:59:59.999999+00" },
        { "9999-12-31T23:59:59-00:01", 0, INSTANT_RANGE, NULL },
        { "9999-12-31T23:59:59-12:00", 0, INSTANT_RANGE, NULL },
        { "9999-12-31T12:00:00-14:00", 0, INSTANT_RANGE, NULL },
        { "9999-12-31T09:59:59-14:00", 0, INSTANT_OK,
          "9999-12-31 23:59:59+00" },
        { "0001-01-01T00:00:00Z", 0, INSTANT_OK, "0001-01-01 00:00:00+00" },
        { "0001-01-01T00:00:00+00:01", 0, INSTANT_RANGE, NULL },
        { "0001-01-01T00:00:00+14:00", 0, INSTANT_RANGE, NULL },
        { "0001-01-01T00:00:00-14:00", 0, INSTANT_OK,
          "0001-01-01 14:00:00+00" },
        { "9999-12-31T23:59:59", 1, INSTANT_OK, "9999-12-31 22:59:59+00" },
        { "0001-01-01T01:00:00", 1, INSTANT_OK, "0001-01-01 00:00:00+00" },
        { "0001-01-01T00:59:59", 1, INSTANT_RANGE, NULL },
        { "0000-12-31T23:00:00Z", 0, INSTANT_MALFORMED, NULL },
        { "10000-01-01T00:00:00Z", 0, INSTANT_MALFORMED, NULL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t us = -1;
        enum instant_status st = cases[i].oslo
                                     ? instant_parse_oslo(cases[i].s, &us)
                                     : instant_parse_offset(cases[i].s, &us);
        CHECK_INT(st, cases[i].status);
        if (cases[i].want)
            CHECK_STR(fmt(us), cases[i].want);
        else
            CHECK_INT(us, -1); /* *us not set */
        if (st != cases[i].status)
            fprintf(stderr, "    %s\n", cases[i].s);
    }
}

/* The bounds of a plausible submission time, and how they are shown. */
static void test_bounds(void)
{
    static char buf[64];
    CHECK_STR(fmt(instant_year_start_oslo(2019)), "2018-12-31 23:00:00+00");
    CHECK_STR(fmt(instant_year_start_oslo(2015)), "2014-12-31 23:00:00+00");
    CHECK_STR(fmt(instant_year_start_oslo(2024)), "2023-12-31 23:00:00+00");
    int64_t us = 0;
    CHECK_INT(instant_parse_oslo("2019-01-01T00:00:00", &us), INSTANT_OK);
    CHECK_INT(us, instant_year_start_oslo(2019));
    CHECK_STR(instant_format_iso(us, buf, sizeof buf), "2018-12-31T23:00:00Z");
    CHECK_INT(instant_parse_offset("2026-03-02T12:00:00.75+01:00", &us),
              INSTANT_OK);
    CHECK_STR(instant_format_iso(us, buf, sizeof buf), "2026-03-02T11:00:00Z");
    CHECK_STR(instant_format_iso(-1, buf, sizeof buf), "1969-12-31T23:59:59Z");
    CHECK_INT(INSTANT_US_PER_DAY, INT64_C(86400000000));
    /* the clock: some time after this was written, before 9999 */
    int64_t now = instant_now();
    CHECK(now > instant_year_start_oslo(2026));
    CHECK(now < instant_year_start_oslo(9999));
}

int main(void)
{
    test_offset();
    test_oslo();
    test_format();
    test_range();
    test_bounds();
    return check_done();
}
