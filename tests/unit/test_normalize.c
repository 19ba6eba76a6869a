/*
 * test_normalize.c - normalize_report() as a table, one case a line: a
 * report (the base report of its version, with changes and answers), every
 * problem normalize_report() must find, in the order it finds them (level,
 * question, exact reason), and values of the result.  The cases: the three
 * examples of the delivery format, every problem it can find, the size
 * classes, reasons that escape what they quote, and implausible submission
 * times; then the digest as a table of changes that must or must not change
 * it.
 *
 * The notation of a case:
 *   changes   "field=value|field=value": year, submitted, id, type, code,
 *             name, pop, fault, index, line; "field" alone sets it NULL;
 *             now=ISO-8601 for the time of the run (else NOW), units=none
 *             to normalize without the reference table.
 *   answers   "Q|code|text[|chapter[|line]]" separated by ";"; an empty
 *             field is NULL, "" the empty string, chapter ~ NULL (default:
 *             NULL in version 1, "21" in version 2); "+code|text..." is a
 *             Valg of the last answer before it, "+N:code|text" of answer N.
 *   problems  "L|question|reason", L one of R (report), A (answer), W
 *             (warning); all of them, in order; none: no problem at all.
 *   values    "key=value, key=value" of the result (see show()).
 * A case's report may be set aside (ok 0) exactly when a problem is R, and
 * normalize_worst() is the highest level listed: checked for every case.
 */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "transform/instant.h"
#include "transform/normalize.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* The time of the run, fixed: 2026-03-01T12:00:00Z. */
#define NOW INT64_C(1772366400000000)

#define MAX_PROBLEMS 8
#define MAX_ANSWERS 16
#define TEXT_MAX 1024

struct ncase {
    int line;
    int version;
    const char *changes;
    const char *answers;
    const char *problems[MAX_PROBLEMS];
    const char *values;
};

/* Answer macros for the delivery format's examples. */
#define EX_V1 "3.1||412,5;3.2||Årsverk i rusarbeid er ført under psykisk helsearbeid;7.1||1;7.1.1||2;7.2||3;7.3||1;7.4||9"
#define EX_V2 "4.1||431,2|4;ARB_NAV_SAMARBEID|1|Ja;ARB_NAV_SAMARBEID_SPES|2|Nei;ARB_NAV_SAMHANDLING|4|God;ARB_IPS_SE_PSYK||;+IPS|Individuell jobbstøtte (IPS);+SE|Supported employment (SE);ARB_IPS_SE_RUS||;+INGEN|Ingen av disse"
#define OSLO "year=2019|type=bydel|submitted=2020-01-28T09:12:44+01:00|id=0b7d2f52-51e4-4a8e-8a59-0e3c7f6f1a10"
#define ALL_V1_YESNO(c) "7.1||" c ";7.1.1||" c ";7.3||" c ";7.4||" c
#define PSYK "ARB_IPS_SE_PSYK||;"
/* A tag character U+E0041, 10 bytes escaped; 60 of them, and the 39 that
 * fit in a quote's 400 bytes before "…". */
#define TAG "\xf3\xa0\x81\x81"
#define TAG_ESC "\\U000E0041"
#define TIMES3(x) x x x
#define TIMES13(x) TIMES3(TIMES3(x)) TIMES3(x) x
#define TIMES20(x) TIMES3(TIMES3(x)) TIMES3(TIMES3(x)) x x
#define TIMES60(x) TIMES20(x) TIMES20(x) TIMES20(x)
#define TIMES39(x) TIMES13(x) TIMES13(x) TIMES13(x)
#define BEFORE(t, y) "R||submission time '" t "' is before the reporting year " #y " began (" #y "-01-01 00:00 Norwegian time)"
#define FUTURE(t) "R||submission time '" t "' is more than a day in the future (later than 2026-03-02T12:00:00Z)"
#define RANGE(t) "R||submission time '" t "' is out of range (years 0001–9999 in UTC)"
#define BAD_POP(p) "A|innbyggere|malformed population '" p "'"
#define POP_RANGE(p) "A|innbyggere|population '" p "' is out of range (1–9999999)"
#define LABEL(l) "A|ARB_NAV_SAMARBEID|unknown label '" l "'"

static const struct ncase cases[] = {
/* --- the examples of the delivery format --------------------------------------------------------------------------------------------------------------------------- */
{ __LINE__, 1, "", EX_V1, { 0 }, "ok=1, version=1, year=2017, code=1601, type=kommune, county=16, pop=190464, size_class=50000+, submitted=2018-03-01 13:05:00+00, nav_collab=yes, specialist=no, nav_rating=neither, ipsse_mh=yes, ips_mh=-, se_mh=-, ipsse_sub=dont_know, ips_sub=-, se_sub=-, dropped=0" },
{ __LINE__, 2, "", EX_V2, { 0 }, "ok=1, version=2, year=2018, code=5001, type=kommune, county=50, pop=193501, size_class=50000+, submitted=2019-02-11 09:03:00+00, nav_collab=yes, specialist=no, nav_rating=good, ipsse_mh=yes, ips_mh=t, se_mh=t, ipsse_sub=no, ips_sub=f, se_sub=f" },
{ __LINE__, 2, OSLO "|code=030112|name=Alna|pop=49801", "ARB_NAV_SAMARBEID||ja;ARB_NAV_SAMARBEID_SPES||Vet ikke;ARB_NAV_SAMHANDLING||Svært  god;" PSYK "+IPS|;ARB_IPS_SE_RUS||;+IPS|", { 0 }, "ok=1, year=2019, code=030112, type=bydel, county=03, pop=49801, size_class=Oslo bydel, submitted=2020-01-28 08:12:44+00, nav_collab=yes, specialist=dont_know, nav_rating=very_good, ipsse_mh=yes, ips_mh=t, se_mh=f, ipsse_sub=yes, ips_sub=t, se_sub=f" },
{ __LINE__, 2, OSLO "|code=030115|name=Søndre Nordstrand|pop=39021|submitted=2020-02-03T13:40:00+01:00|id=8c7d1e0a-6f7e-4d0b-b7a2-31c4e2f9d3aa", "ARB_NAV_SAMARBEID|2|Nei;ARB_NAV_SAMHANDLING|3|Verken god eller dårlig;" PSYK "+|Vet ikke;ARB_IPS_SE_RUS||", { 0 }, "ok=1, code=030115, type=bydel, pop=39021, size_class=Oslo bydel, submitted=2020-02-03 12:40:00+00, nav_collab=no, specialist=-, nav_rating=neither, ipsse_mh=dont_know, ips_mh=-, se_mh=-, ipsse_sub=-, ips_sub=-, se_sub=-" },
/* "God" is code 2 in version 1 and kode 4 in version 2; every rating code of both versions */
{ __LINE__, 1, "", "7.2||2", { 0 }, "nav_rating=good" },
{ __LINE__, 2, "", "ARB_NAV_SAMHANDLING|4|God", { 0 }, "nav_rating=good" },
{ __LINE__, 1, "", "7.2||1", { 0 }, "nav_rating=very_good" },
{ __LINE__, 1, "", "7.2||2", { 0 }, "nav_rating=good" },
{ __LINE__, 1, "", "7.2||3", { 0 }, "nav_rating=neither" },
{ __LINE__, 1, "", "7.2||4", { 0 }, "nav_rating=less_good" },
{ __LINE__, 1, "", "7.2||5", { 0 }, "nav_rating=bad" },
{ __LINE__, 1, "", "7.2||9", { 0 }, "nav_rating=dont_know" },
{ __LINE__, 2, "", "ARB_NAV_SAMHANDLING|5|", { 0 }, "nav_rating=very_good" },
{ __LINE__, 2, "", "ARB_NAV_SAMHANDLING|4|", { 0 }, "nav_rating=good" },
{ __LINE__, 2, "", "ARB_NAV_SAMHANDLING|3|", { 0 }, "nav_rating=neither" },
{ __LINE__, 2, "", "ARB_NAV_SAMHANDLING|2|", { 0 }, "nav_rating=less_good" },
{ __LINE__, 2, "", "ARB_NAV_SAMHANDLING|1|", { 0 }, "nav_rating=bad" },
{ __LINE__, 2, "", "ARB_NAV_SAMHANDLING|0|", { 0 }, "nav_rating=dont_know" },

/* --- the report: fault, year and version --------------------------------------------------------------------------------------------------------------------------- */
{ __LINE__, 2, "fault=a second Enhet element (line 7)", "", { "R||a second Enhet element (line 7)" }, NULL },
{ __LINE__, 2, "year", "", { "R||missing reporting year" }, "year=0" },
{ __LINE__, 2, "year= \n ", "", { "R||missing reporting year" }, NULL },
{ __LINE__, 2, "year=2O18", "", { "R||malformed reporting year '2O18'" }, NULL },
{ __LINE__, 2, "year=18", "", { "R||malformed reporting year '18'" }, NULL },
{ __LINE__, 2, "year=+2018", "", { "R||malformed reporting year '+2018'" }, NULL },
{ __LINE__, 2, "year=2018.0", "", { "R||malformed reporting year '2018.0'" }, NULL },
{ __LINE__, 2, "year= 2018\n", "", { 0 }, "year=2018" },
{ __LINE__, 2, "year=2031", "", { "R||no municipality codes for reporting year 2031 (known: 2015–2026)", BEFORE("2019-02-11T10:03:00+01:00", 2031) }, NULL },
{ __LINE__, 2, "year=2016|code=1601", "", { "R||version 2 report for 2016 (version 2 starts in 2018)" }, "year=2016" },
{ __LINE__, 1, "year=2019|code=5001|submitted=2020-03-01T14:05:00", "", { "R||version 1 report for 2019 (version 1 covers 2015–2017)" }, NULL },

/* --- the unit ------------------------------------------------------------------------------------------------------------------------------------------------------ */
{ __LINE__, 2, "type", "", { 0 }, "type=kommune" },                                            /* no type: from the code */
{ __LINE__, 2, "type|code=030112|name=Alna", "", { 0 }, "type=bydel, size_class=Oslo bydel" },
{ __LINE__, 2, "type=Kommune", "", { "R||unknown unit type 'Kommune'" }, NULL },
{ __LINE__, 2, "type= kommune ", "", { 0 }, NULL },
{ __LINE__, 2, "type=bydel", "", { "R||unit type 'bydel' but code '5001' is a municipality code" }, NULL },
{ __LINE__, 2, "type=kommune|code=030112|name", "", { "R||unit type 'kommune' but code '030112' is a city district code" }, NULL },
{ __LINE__, 2, "code=0301|name=Oslo", "", { "R||0301 Oslo reports through its city districts (030101–030117), not as a whole" }, NULL },
{ __LINE__, 2, "code|name=Oslo", "", { "R||missing unit code" }, "code=" },
{ __LINE__, 2, "code=50O1|name=Oslo", "", { "R||malformed unit code '50O1'" }, NULL },
{ __LINE__, 2, "code=501|name=Oslo", "", { "R||malformed unit code '501'" }, NULL },
{ __LINE__, 2, "code=50011|name=Oslo", "", { "R||malformed unit code '50011'" }, NULL },
{ __LINE__, 2, "code= 5001\n", "", { 0 }, "code=5001" },
{ __LINE__, 2, "code=9999", "", { "R||unknown unit code '9999'" }, NULL },
{ __LINE__, 2, "type=bydel|code=030118", "", { "R||unknown unit code '030118'" }, NULL },
/* codes of the wrong year name the years they are valid in */
{ __LINE__, 1, "code=5001", "", { "R||unit code 5001 (Trondheim) is not valid in 2017; it is valid from 2018" }, NULL },
{ __LINE__, 2, "code=1601", "", { "R||unit code 1601 (Trondheim) is not valid in 2018; it was valid until 2017" }, NULL },
{ __LINE__, 2, "year=2020|submitted=2021-02-11T10:03:00+01:00|code=5012|name=Snillfjord", "", { "R||unit code 5012 (Snillfjord) is not valid in 2020; it is valid 2018–2019" }, NULL },
/* without a table every well-formed code is taken as valid */
{ __LINE__, 2, "units=none|code=9999", "", { 0 }, "county=99" },
/* the unit's name against the reference: case, white space, namesakes, Unicode normalization */
{ __LINE__, 1, "name=Trondhjem", "", { "W||unit name 'Trondhjem' differs from the reference name 'Trondheim' for 1601 in 2017" }, "ok=1" },
{ __LINE__, 1, "name=  TRONDHEIM \n", "", { 0 }, NULL },
{ __LINE__, 1, "name", "", { 0 }, NULL },
{ __LINE__, 1, "name=  ", "", { 0 }, NULL },
{ __LINE__, 1, "code=1867|name=Bø", "", { 0 }, NULL },                                         /* SSB's "Bø (Nordland)" */
{ __LINE__, 1, "code=1867|name=Bø (Nordland)", "", { 0 }, NULL },
{ __LINE__, 1, "code=1867|name=Bø (Telemark)", "", { "W||unit name 'Bø (Telemark)' differs from the reference name 'Bø (Nordland)' for 1867 in 2017" }, NULL },
{ __LINE__, 2, "type=bydel|code=030113|name=ØSTENSJØ", "", { 0 }, NULL },
{ __LINE__, 2, "type=bydel|code=030102|name=Gru\xcc\x88nerl\xc3\xb8kka", "", { 0 }, NULL },     /* u + U+0308 */
{ __LINE__, 2, "type=bydel|code=030102|name=Grunerløkka", "", { "W||unit name 'Grunerløkka' differs from the reference name 'Grünerløkka' for 030102 in 2018" }, NULL },
{ __LINE__, 2, "type=bydel|code=030102|name=Gr\xfcnerl\xf8kka", "", { "W||unit name 'Gr\\xFCnerl\\xF8kka' differs from the reference name 'Grünerløkka' for 030102 in 2018" }, NULL }, /* Latin-1 */

/* --- population and size class ------------------------------------------------------------------------------------------------------------------------------------- */
{ __LINE__, 2, "pop", "", { "W|innbyggere|no population (innbyggere): no size class" }, "ok=1, pop=-1, size_class=-" },
{ __LINE__, 1, "pop", "", { 0 }, "pop=-1, size_class=-" },                                      /* allowed in version 1 */
{ __LINE__, 1, "pop= ", "", { 0 }, NULL },
{ __LINE__, 2, "pop=abc", "", { BAD_POP("abc") }, "ok=1, pop=-1, size_class=-" },
{ __LINE__, 2, "pop=-5", "", { BAD_POP("-5") }, "ok=1, pop=-1, size_class=-" },
{ __LINE__, 2, "pop=+5", "", { BAD_POP("+5") }, "ok=1, pop=-1, size_class=-" },
{ __LINE__, 2, "pop=1 234", "", { BAD_POP("1 234") }, "ok=1, pop=-1, size_class=-" },
{ __LINE__, 2, "pop=193501,0", "", { BAD_POP("193501,0") }, "ok=1, pop=-1, size_class=-" },
{ __LINE__, 2, "pop=0x10", "", { BAD_POP("0x10") }, "ok=1, pop=-1, size_class=-" },
{ __LINE__, 2, "pop=0", "", { POP_RANGE("0") }, "ok=1, pop=-1, size_class=-" },
{ __LINE__, 2, "pop=10000000", "", { POP_RANGE("10000000") }, "ok=1, pop=-1, size_class=-" },
{ __LINE__, 2, "pop=99999999999999999999999", "", { POP_RANGE("99999999999999999999999") }, "ok=1, pop=-1, size_class=-" },
{ __LINE__, 2, "pop= 9999999 ", "", { 0 }, "pop=9999999" },
{ __LINE__, 2, "pop=0190464", "", { 0 }, "pop=190464" },
/* quoted values are cut to 60 characters and escaped */
{ __LINE__, 2, "pop=12345678901234567890123456789012345678901234567890123\n567890123456789", "", { BAD_POP("12345678901234567890123456789012345678901234567890123\\n567890…") }, NULL },
{ __LINE__, 2, "pop=ab\x01\tc", "", { BAD_POP("ab\\x01\\tc") }, NULL },
{ __LINE__, 2, "pop=1", "", { 0 }, "size_class=<2000" },
{ __LINE__, 2, "pop=1999", "", { 0 }, "size_class=<2000" },
{ __LINE__, 2, "pop=2000", "", { 0 }, "size_class=2000-4999" },
{ __LINE__, 2, "pop=4999", "", { 0 }, "size_class=2000-4999" },
{ __LINE__, 2, "pop=5000", "", { 0 }, "size_class=5000-9999" },
{ __LINE__, 2, "pop=9999", "", { 0 }, "size_class=5000-9999" },
{ __LINE__, 2, "pop=10000", "", { 0 }, "size_class=10000-19999" },
{ __LINE__, 2, "pop=19999", "", { 0 }, "size_class=10000-19999" },
{ __LINE__, 2, "pop=20000", "", { 0 }, "size_class=20000-49999" },
{ __LINE__, 2, "pop=49999", "", { 0 }, "size_class=20000-49999" },
{ __LINE__, 2, "pop=50000", "", { 0 }, "size_class=50000+" },
{ __LINE__, 2, "pop=9999999", "", { 0 }, "size_class=50000+" },
{ __LINE__, 2, "type=bydel|code=030101|name|pop=1999", "", { 0 }, "size_class=Oslo bydel" },   /* a district whatever its population */
{ __LINE__, 2, "type=bydel|code=030101|name|pop=60000", "", { 0 }, "size_class=Oslo bydel" },

/* --- a value in a reason shows every character it has (printable.h) ------------------------------------------------------------------------------------------------ */
{ __LINE__, 2, "", "ARB_NAV_SAMARBEID||J\xe2\x80\x8b" "a", { LABEL("J\\u200Ba") }, "ok=1, nav_collab=-" },
{ __LINE__, 2, "", "ARB_NAV_SAMARBEID||J\xe2\x80\x8c" "a", { LABEL("J\\u200Ca") }, "ok=1, nav_collab=-" },
{ __LINE__, 2, "", "ARB_NAV_SAMARBEID||J\xe2\x80\x8d" "a", { LABEL("J\\u200Da") }, "ok=1, nav_collab=-" },
{ __LINE__, 2, "", "ARB_NAV_SAMARBEID||J\xe2\x81\xa0" "a", { LABEL("J\\u2060a") }, "ok=1, nav_collab=-" },
{ __LINE__, 2, "", "ARB_NAV_SAMARBEID||\xef\xbb\xbf" "Ja", { LABEL("\\uFEFFJa") }, "ok=1, nav_collab=-" },
{ __LINE__, 2, "", "ARB_NAV_SAMARBEID||J\xc2\xad" "a", { LABEL("J\\u00ADa") }, "ok=1, nav_collab=-" },
{ __LINE__, 2, "", "ARB_NAV_SAMARBEID||J\xd8\x9c" "a", { LABEL("J\\u061Ca") }, "ok=1, nav_collab=-" },
{ __LINE__, 2, "", "ARB_NAV_SAMARBEID||J\xf3\xa0\x81\x81" "a", { LABEL("J\\U000E0041a") }, "ok=1, nav_collab=-" },
{ __LINE__, 2, "", "ARB_NAV_SAMARBEID||\xe2\x80\xae" "aJ", { LABEL("\\u202EaJ") }, "ok=1, nav_collab=-" },
{ __LINE__, 2, "", "ARB_NAV_SAMARBEID||J\xe2\x81\xa6" "a", { LABEL("J\\u2066a") }, "ok=1, nav_collab=-" },
{ __LINE__, 2, "", "ARB_NAV_SAMARBEID||J\xc2\x9b" "a", { LABEL("J\\u009Ba") }, "ok=1, nav_collab=-" },
{ __LINE__, 2, "", "ARB_NAV_SAMARBEID||J\x1b[2Ja", { LABEL("J\\x1B[2Ja") }, "ok=1, nav_collab=-" },
{ __LINE__, 2, "", "ARB_NAV_SAMARBEID||J\\a", { LABEL("J\\\\a") }, "ok=1, nav_collab=-" },
{ __LINE__, 2, "", "ARB_NAV_SAMARBEID||J\xff" "a", { LABEL("J\\xFFa") }, "ok=1, nav_collab=-" },
/* 60 characters of 10 bytes each escaped: the quote stops where its buffer (400 bytes) is full, between two escapes, with "…" */
{ __LINE__, 2, "", "ARB_NAV_SAMARBEID||" TIMES60(TAG), { LABEL(TIMES39(TAG_ESC) "…") }, NULL },

/* --- submission times -------------------------------------------------------------------------------------------------------------------------------------------------- */
{ __LINE__, 2, "submitted", "", { "R||missing submission time" }, NULL },
{ __LINE__, 2, "submitted=", "", { "R||missing submission time" }, NULL },
{ __LINE__, 2, "submitted=2019-02-30T10:03:00+01:00", "", { "R||malformed submission time '2019-02-30T10:03:00+01:00'" }, NULL },
{ __LINE__, 2, "submitted=11.02.2019", "", { "R||malformed submission time '11.02.2019'" }, NULL },
{ __LINE__, 2, "submitted=2019-02-11T10:03:00", "", { "R||submission time '2019-02-11T10:03:00' has no UTC offset" }, NULL },
{ __LINE__, 1, "year=2015|name|submitted=2016-03-27T02:30:00", "", { "R||submission time '2016-03-27T02:30:00' does not exist in Norwegian time (clocks went forward)" }, NULL },
{ __LINE__, 1, "year=2015|name|submitted=2017-10-29T02:30:00", "", { "W||submission time '2017-10-29T02:30:00' occurs twice in Norwegian time; read as summer time (+02:00)" }, "ok=1, submitted=2017-10-29 00:30:00+00" },
{ __LINE__, 1, "year=2015|name|submitted=2018-03-01T14:05:00+01:00", "", { "R||malformed submission time '2018-03-01T14:05:00+01:00'" }, NULL },
{ __LINE__, 1, "year=2015|name|submitted=  2017-06-01T12:00:00  ", "", { 0 }, "submitted=2017-06-01 10:00:00+00" },
/* one that cannot be true (issue 11): before the reporting year began (00:00 on 1 January, Norwegian time), more than a day after the run, outside 0001-9999 in UTC */
{ __LINE__, 2, "year=2019|name|submitted=2019-06-30T12:00:00+02:00", "", { 0 }, NULL },
{ __LINE__, 2, "year=2019|name|submitted=2019-01-01T00:00:00+01:00", "", { 0 }, NULL },
{ __LINE__, 2, "year=2019|name|submitted=2018-12-31T23:00:00Z", "", { 0 }, NULL },
{ __LINE__, 2, "year=2019|name|submitted=2018-12-31T23:59:59+01:00", "", { BEFORE("2018-12-31T23:59:59+01:00", 2019) }, NULL },
{ __LINE__, 2, "year=2019|name|submitted=2018-12-31T22:59:59.999999Z", "", { BEFORE("2018-12-31T22:59:59.999999Z", 2019) }, NULL },
{ __LINE__, 2, "year=2019|name|submitted=2010-03-01T12:00:00+01:00", "", { BEFORE("2010-03-01T12:00:00+01:00", 2019) }, NULL },
{ __LINE__, 2, "year=2019|name|submitted=0001-01-01T00:00:00Z", "", { BEFORE("0001-01-01T00:00:00Z", 2019) }, NULL },
{ __LINE__, 2, "year=2019|name|submitted=0001-01-01T00:00:00+01:00", "", { RANGE("0001-01-01T00:00:00+01:00") }, NULL },
{ __LINE__, 2, "year=2019|name|submitted=9999-12-31T23:59:59-12:00", "", { RANGE("9999-12-31T23:59:59-12:00") }, NULL },
{ __LINE__, 2, "year=2019|name|submitted=9999-12-31T23:59:59Z", "", { FUTURE("9999-12-31T23:59:59Z") }, NULL },
{ __LINE__, 2, "year=2025|name|submitted=2026-03-01T12:00:00Z", "", { 0 }, NULL },
{ __LINE__, 2, "year=2025|name|submitted=2026-03-02T12:00:00Z", "", { 0 }, NULL },
{ __LINE__, 2, "year=2025|name|submitted=2026-03-02T13:00:00+01:00", "", { 0 }, NULL },
{ __LINE__, 2, "year=2025|name|submitted=2026-03-02T12:00:00.000001Z", "", { FUTURE("2026-03-02T12:00:00.000001Z") }, NULL },
{ __LINE__, 2, "year=2025|name|submitted=2027-01-15T10:00:00+01:00", "", { FUTURE("2027-01-15T10:00:00+01:00") }, NULL },
{ __LINE__, 2, "year=2025|name|submitted=2027-01-15T10:00:00+01:00|now=2027-07-14T12:00:00Z", "", { 0 }, NULL }, /* a run 500 days later */
{ __LINE__, 1, "year=2017|name|submitted=2017-01-01T00:00:00", "", { 0 }, NULL },
{ __LINE__, 1, "year=2017|name|submitted=2016-12-31T23:59:59", "", { BEFORE("2016-12-31T23:59:59", 2017) }, NULL },
{ __LINE__, 1, "year=2017|name|submitted=0001-01-01T00:30:00", "", { RANGE("0001-01-01T00:30:00") }, NULL },
{ __LINE__, 1, "year=2017|name|submitted=9999-12-31T23:59:59", "", { FUTURE("9999-12-31T23:59:59") }, NULL },
/* without a reporting year only the future is known to be wrong */
{ __LINE__, 2, "year=20x9|submitted=2010-03-01T12:00:00+01:00", "", { "R||malformed reporting year '20x9'" }, NULL },
{ __LINE__, 2, "year=20x9|submitted=2099-03-01T12:00:00+01:00", "", { "R||malformed reporting year '20x9'", FUTURE("2099-03-01T12:00:00+01:00") }, NULL },
/* read as summer time where it is ambiguous, and implausible: the warning and the reason */
{ __LINE__, 1, "submitted=2016-10-30T02:30:00", "", { "W||submission time '2016-10-30T02:30:00' occurs twice in Norwegian time; read as summer time (+02:00)", BEFORE("2016-10-30T02:30:00", 2017) }, NULL },

/* --- answers, version 1: the trimmed text is the code -------------------------------------------------------------------------------------------------------------- */
{ __LINE__, 1, "", "7.1||3;7.1.1||1;7.2||7;7.3||01;7.4||Ja", { "A|7.1|unknown code '3' for nav_collab (version 1 codes: 1, 2, 9)", "A|7.2|unknown code '7' for nav_rating (version 1 codes: 1–5, 9)", "A|7.3|unknown code '01' for ips_se_mental_health (version 1 codes: 1, 2, 9)", "A|7.4|unknown code 'Ja' for ips_se_substance (version 1 codes: 1, 2, 9)" }, "ok=1, nav_collab=-, specialist=yes, nav_rating=-, ipsse_mh=-, ipsse_sub=-" },
/* empty or missing is not answered; white space around a code is fine; an empty duplicate does not count; other questions are not ours */
{ __LINE__, 1, "", "7.1||;7.1|| 2 ;7.2||  ;7.3||\n9\n;7.9||1;3.1||412,5;||1", { 0 }, "nav_collab=no, nav_rating=-, ipsse_mh=dont_know, ips_mh=-, ipsse_sub=-" },
{ __LINE__, 1, "", "7.2||1;7.1||1;7.2||1", { "A|7.2|answered twice" }, "ok=1, nav_rating=-, nav_collab=yes" },
/* 2015: 7.1.1, 7.3 and 7.4 are not on the form */
{ __LINE__, 1, "year=2015|submitted=2016-02-01T10:00:00", "7.1||1;7.1.1||1;7.2||2;7.3||1;7.4||2", { "W|7.1.1|question 7.1.1 is not on the 2015 form; answer ignored", "W|7.3|question 7.3 is not on the 2015 form; answer ignored", "W|7.4|question 7.4 is not on the 2015 form; answer ignored" }, "ok=1, nav_collab=yes, specialist=-, nav_rating=good, ipsse_mh=-, ipsse_sub=-" },
{ __LINE__, 1, "", ALL_V1_YESNO("1"), { 0 }, "nav_collab=yes, specialist=yes, ipsse_mh=yes, ipsse_sub=yes, ips_sub=-, se_sub=-" },
{ __LINE__, 1, "", ALL_V1_YESNO("2"), { 0 }, "nav_collab=no, specialist=no, ipsse_mh=no, ipsse_sub=no, ips_sub=-, se_sub=-" },
{ __LINE__, 1, "", ALL_V1_YESNO("9"), { 0 }, "nav_collab=dont_know, specialist=dont_know, ipsse_mh=dont_know, ipsse_sub=dont_know, ips_sub=-, se_sub=-" },
{ __LINE__, 1, "", "7.1||2;7.1.1||1", { 0 }, "nav_collab=no, specialist=yes" },           /* kept as given after "no" */

/* --- answers, version 2: a Svar's kode and label, which must agree ------------------------------------------------------------------------------------------------- */
{ __LINE__, 2, "", "ARB_NAV_SAMARBEID|1|Nei;ARB_NAV_SAMARBEID_SPES|2|Kanskje;ARB_NAV_SAMHANDLING|7|God", { "A|ARB_NAV_SAMARBEID|code '1' (yes) disagrees with label 'Nei' (no)", "A|ARB_NAV_SAMARBEID_SPES|unknown label 'Kanskje'", "A|ARB_NAV_SAMHANDLING|unknown code '7' for nav_rating (version 2 codes: 0–5)" }, "ok=1, nav_collab=-, specialist=-, nav_rating=-" },
{ __LINE__, 2, "", "ARB_NAV_SAMARBEID|01|;ARB_NAV_SAMARBEID_SPES||Kanskje;ARB_NAV_SAMHANDLING|5|Dårlig", { "A|ARB_NAV_SAMARBEID|unknown code '01' for nav_collab (version 2 codes: 1, 2, 3)", "A|ARB_NAV_SAMARBEID_SPES|unknown label 'Kanskje'", "A|ARB_NAV_SAMHANDLING|code '5' (very good) disagrees with label 'Dårlig' (bad)" }, NULL },
/* code and label agreeing however the label is written; empty answers; no sporsmal, or not ours: ignored */
{ __LINE__, 2, "", "ARB_NAV_SAMARBEID| 3 |  VET   ikke ;ARB_NAV_SAMARBEID_SPES||nei;ARB_NAV_SAMHANDLING|3|verken god eller da\xcc\x8arlig;" PSYK "ARB_IPS_SE_RUS|\"\"|;|1|Ja;ARB_ANNET|9|Kanskje", { 0 }, "nav_collab=dont_know, specialist=no, nav_rating=neither, ipsse_mh=-, ipsse_sub=-" },
{ __LINE__, 2, "", "ARB_NAV_SAMARBEID|1|Ja;ARB_NAV_SAMARBEID_SPES|1|", { 0 }, "nav_collab=yes, specialist=yes" },
{ __LINE__, 2, "", "ARB_NAV_SAMARBEID|2|Nei;ARB_NAV_SAMARBEID_SPES|2|", { 0 }, "nav_collab=no, specialist=no" },
{ __LINE__, 2, "", "ARB_NAV_SAMARBEID|3|Vet ikke;ARB_NAV_SAMARBEID_SPES|3|", { 0 }, "nav_collab=dont_know, specialist=dont_know" },
{ __LINE__, 2, "", "ARB_NAV_SAMHANDLING|5|Svært god", { 0 }, "nav_rating=very_good" },
{ __LINE__, 2, "", "ARB_NAV_SAMHANDLING|4|God", { 0 }, "nav_rating=good" },
{ __LINE__, 2, "", "ARB_NAV_SAMHANDLING|3|Verken god eller dårlig", { 0 }, "nav_rating=neither" },
{ __LINE__, 2, "", "ARB_NAV_SAMHANDLING|2|Mindre god", { 0 }, "nav_rating=less_good" },
{ __LINE__, 2, "", "ARB_NAV_SAMHANDLING|1|Dårlig", { 0 }, "nav_rating=bad" },
{ __LINE__, 2, "", "ARB_NAV_SAMHANDLING|0|Vet ikke", { 0 }, "nav_rating=dont_know" },
{ __LINE__, 2, "", "ARB_NAV_SAMARBEID|1|Ja;ARB_NAV_SAMHANDLING|4|;ARB_NAV_SAMARBEID|1|Ja;ARB_NAV_SAMARBEID||", { "A|ARB_NAV_SAMARBEID|answered twice" }, "ok=1, nav_collab=-, nav_rating=good" }, /* however the two agree */
{ __LINE__, 2, "", "ARB_NAV_SAMARBEID||;+1|", { "A|ARB_NAV_SAMARBEID|unexpected Valg elements" }, "nav_collab=-" },

/* --- answers, version 2: the Valg of ARB_IPS_SE_* ---------------------------------------------------------------------------------------------------------------- */
{ __LINE__, 2, "", PSYK "+IPS|", { 0 }, "ipsse_mh=yes, ips_mh=t, se_mh=f" },
{ __LINE__, 2, "", PSYK "+|Supported employment (SE)", { 0 }, "ipsse_mh=yes, ips_mh=f, se_mh=t" },
{ __LINE__, 2, "", PSYK "+SE|supported  EMPLOYMENT (se);+| Individuell jobbstøtte (IPS)", { 0 }, "ipsse_mh=yes, ips_mh=t, se_mh=t" },
{ __LINE__, 2, "", PSYK "+IPS|;+IPS|Individuell jobbstøtte (IPS)", { 0 }, "ips_mh=t, se_mh=f" },  /* the same choice twice is one */
{ __LINE__, 2, "", PSYK "+INGEN|Ingen av disse", { 0 }, "ipsse_mh=no, ips_mh=f, se_mh=f" },
{ __LINE__, 2, "", PSYK "+VETIKKE|", { 0 }, "ipsse_mh=dont_know, ips_mh=-, se_mh=-" },
{ __LINE__, 2, "", PSYK "+|;+ |", { 0 }, "ipsse_mh=-" },                                         /* only empty Valg: not answered */
{ __LINE__, 2, "", PSYK "+INGEN|;+IPS|", { "A|ARB_IPS_SE_PSYK|'INGEN' (none) cannot be combined with 'IPS'" }, "ok=1, ipsse_mh=-, ips_mh=-, se_mh=-" },
{ __LINE__, 2, "", PSYK "+SE|;+|Ingen av disse", { "A|ARB_IPS_SE_PSYK|'INGEN' (none) cannot be combined with 'SE'" }, NULL },
{ __LINE__, 2, "", PSYK "+VETIKKE|;+SE|", { "A|ARB_IPS_SE_PSYK|'VETIKKE' (don't know) cannot be combined with 'SE'" }, NULL },
{ __LINE__, 2, "", PSYK "+|Vet ikke;+IPS|", { "A|ARB_IPS_SE_PSYK|'VETIKKE' (don't know) cannot be combined with 'IPS'" }, NULL },
{ __LINE__, 2, "", PSYK "+INGEN|;+VETIKKE|", { "A|ARB_IPS_SE_PSYK|'INGEN' (none) cannot be combined with 'VETIKKE'" }, "ipsse_mh=-" },
{ __LINE__, 2, "", PSYK "+IPS|;+FOO|", { "A|ARB_IPS_SE_PSYK|unknown code 'FOO' for ips_se_mental_health (codes: IPS, SE, INGEN, VETIKKE)" }, "ipsse_mh=-" },
{ __LINE__, 2, "", PSYK "+ips|", { "A|ARB_IPS_SE_PSYK|unknown code 'ips' for ips_se_mental_health (codes: IPS, SE, INGEN, VETIKKE)" }, NULL },
{ __LINE__, 2, "", PSYK "+|Kanskje", { "A|ARB_IPS_SE_PSYK|unknown label 'Kanskje'" }, NULL },
{ __LINE__, 2, "", PSYK "+IPS|Ingen av disse", { "A|ARB_IPS_SE_PSYK|code 'IPS' disagrees with label 'Ingen av disse' (INGEN)" }, "ipsse_mh=-" },
{ __LINE__, 2, "", "ARB_IPS_SE_PSYK|IPS|;ARB_IPS_SE_RUS||Ja", { "A|ARB_IPS_SE_PSYK|expected Valg elements", "A|ARB_IPS_SE_RUS|expected Valg elements" }, "ipsse_mh=-, ipsse_sub=-" },
{ __LINE__, 2, "", "ARB_IPS_SE_PSYK|1|;+SE|", { "W|ARB_IPS_SE_PSYK|code '1' on the Svar itself is ignored; its Valg elements count" }, "ipsse_mh=yes, se_mh=t" },
{ __LINE__, 2, "", "ARB_IPS_SE_RUS||;+IPS|;ARB_IPS_SE_RUS||;+SE|", { "A|ARB_IPS_SE_RUS|answered twice" }, "ipsse_sub=-, ips_sub=-, se_sub=-" },

/* --- several at once ----------------------------------------------------------------------------------------------------------------------------------------------- */
/* version 2 starts in 2018, when every question is on the form: a version 2 report for 2015 is set aside, and its answers to questions not asked then are still warned about */
{ __LINE__, 2, "year=2015|code=1601", "ARB_NAV_SAMARBEID|1|;ARB_NAV_SAMARBEID_SPES|1|", { "R||version 2 report for 2015 (version 2 starts in 2018)", "W|ARB_NAV_SAMARBEID_SPES|question ARB_NAV_SAMARBEID_SPES is not on the 2015 form; answer ignored" }, "nav_collab=yes, specialist=-" },
/* everything wrong at once: all of it is listed, the report is set aside */
{ __LINE__, 2, "fault=two Innsending elements|year=2016|type=fylke|code=0301|pop=many|submitted=yesterday", "ARB_NAV_SAMARBEID|7|;ARB_NAV_SAMHANDLING||Middels", { "R||two Innsending elements", "R||version 2 report for 2016 (version 2 starts in 2018)", "R||unknown unit type 'fylke'", "R||0301 Oslo reports through its city districts (030101–030117), not as a whole", BAD_POP("many"), "R||malformed submission time 'yesterday'", "A|ARB_NAV_SAMARBEID|unknown code '7' for nav_collab (version 2 codes: 1, 2, 3)", "A|ARB_NAV_SAMHANDLING|unknown label 'Middels'" }, "dropped=0" },
};

/* --- the digest: the same report (content) or another ------------------------------------------------------------------------------------------------------------ */

/* The report every line is compared with: version 2, these answers. */
#define DIGEST_ANSWERS "ARB_NAV_SAMARBEID|1|Ja;ARB_IPS_SE_PSYK||;+IPS|"

static const struct {
    int line;
    const char *changes, *answers;
    int same;
} digests[] = {
    { __LINE__, "index=7|line=99", "ARB_NAV_SAMARBEID|1|Ja||40;ARB_IPS_SE_PSYK||||41;+IPS||||42", 1 }, /* read from another place */
    { __LINE__, "", "ARB_NAV_SAMARBEID|1|ja;ARB_IPS_SE_PSYK||;+IPS|", 0 },
    { __LINE__, "", "ARB_NAV_SAMARBEID|1|Ja;ARB_IPS_SE_PSYK||\"\";+IPS|", 0 },    /* "" is not NULL */
    { __LINE__, "", "ARB_NAV_SAMARBEID|1|Ja;ARB_IPS_SE_PSYK||;+0:IPS|", 0 },       /* another parent */
    { __LINE__, "", "ARB_NAV_SAMARBEID|1|Ja|~;ARB_IPS_SE_PSYK||;+IPS|", 0 },       /* no chapter */
    { __LINE__, "", "ARB_NAV_SAMARBEID|1J|a;ARB_IPS_SE_PSYK||;+IPS|", 0 },         /* text moved to the next field */
    { __LINE__, "", "ARB_NAV_SAMARBEID|1|Ja;ARB_IPS_SE_PSYK||", 0 },                /* one answer fewer */
    { __LINE__, "submitted=2019-02-11T10:03:00+01:00 ", DIGEST_ANSWERS, 1 },      /* white space is no content */
    { __LINE__, "submitted=2019-02-11T09:03:00.000Z", DIGEST_ANSWERS, 1 },        /* the same instant */
    { __LINE__, "submitted=2019-02-11T09:03:01Z", DIGEST_ANSWERS, 0 },
    { __LINE__, "id", DIGEST_ANSWERS, 0 },
    { __LINE__, "name=\n  Trondheim ", DIGEST_ANSWERS, 1 },
    { __LINE__, "name=Trondhjem", DIGEST_ANSWERS, 0 },
    { __LINE__, "pop=193502", DIGEST_ANSWERS, 0 },
    { __LINE__, "", DIGEST_ANSWERS, 1 },
};

/* --- building a case's report ------------------------------------------------ */

static const struct units *U;

/* What a case is built in: copies of its strings, cut in place. */
struct built {
    struct raw_report r;
    struct raw_answer a[MAX_ANSWERS];
    char changes[TEXT_MAX], answers[TEXT_MAX];
    const struct units *units;
    int64_t now;
};

static void base_report(struct raw_report *r, int version)
{
    memset(r, 0, sizeof *r);
    r->index = 1;
    r->line = 2;
    r->unit_type = "kommune";
    r->unit_name = "Trondheim";
    if (version == 1) {
        r->version = REPORT_V1;
        r->year = "2017";
        r->submitted = "2018-03-01T14:05:00";
        r->unit_code = "1601";
        r->population = "190464";
    } else {
        r->version = REPORT_V2;
        r->year = "2018";
        r->submitted = "2019-02-11T10:03:00+01:00";
        r->submission_id = "5f0c7c1e-2b4a-4e55-9d0e-3a1f4c2b9e01";
        r->unit_code = "5001";
        r->population = "193501";
    }
}

/* The next piece of *s up to sep (cut there), or NULL at the end. */
static char *piece(char **s, char sep)
{
    if (!*s)
        return NULL;
    char *p = *s, *e = strchr(p, sep);
    if (e) {
        *e = '\0';
        *s = e + 1;
    } else {
        *s = NULL;
    }
    return p;
}

/* An answer field: "" (nothing) is NULL, "\"\"" the empty string. */
static const char *field(const char *f)
{
    if (!f || !*f)
        return NULL;
    return strcmp(f, "\"\"") == 0 ? "" : f;
}

static void apply_change(struct built *b, char *change)
{
    char *eq = strchr(change, '=');
    const char *v = NULL;
    if (eq) {
        *eq = '\0';
        v = eq + 1;
    }
    struct raw_report *r = &b->r;
    if (strcmp(change, "year") == 0) r->year = v;
    else if (strcmp(change, "submitted") == 0) r->submitted = v;
    else if (strcmp(change, "id") == 0) r->submission_id = v;
    else if (strcmp(change, "type") == 0) r->unit_type = v;
    else if (strcmp(change, "code") == 0) r->unit_code = v;
    else if (strcmp(change, "name") == 0) r->unit_name = v;
    else if (strcmp(change, "pop") == 0) r->population = v;
    else if (strcmp(change, "fault") == 0) r->fault = v;
    else if (strcmp(change, "index") == 0) r->index = atoi(v);
    else if (strcmp(change, "line") == 0) r->line = atol(v);
    else if (strcmp(change, "units") == 0) b->units = NULL;
    else if (strcmp(change, "now") == 0) CHECK_INT(instant_parse_offset(v, &b->now), INSTANT_OK);
    else CHECK_STR(change, "a known field");
}

static void add_answers(struct built *b)
{
    int last = -1;
    char *rest = b->answers[0] ? b->answers : NULL, *one;
    size_t n = 0;
    while ((one = piece(&rest, ';')) != NULL && n < MAX_ANSWERS) {
        struct raw_answer *a = &b->a[n];
        a->parent = -1;
        if (one[0] == '+') {
            /* "+N:" names the parent; without it, the last answer */
            size_t digits = strspn(one + 1, "0123456789");
            if (digits > 0 && one[1 + digits] == ':') {
                a->parent = atoi(one + 1);
                one += 2 + digits;
            } else {
                a->parent = last;
                one++;
            }
        }
        char *q = a->parent < 0 ? piece(&one, '|') : NULL;
        char *code = piece(&one, '|'), *text = piece(&one, '|');
        char *chapter = piece(&one, '|'), *line = piece(&one, '|');
        a->question = a->parent < 0 ? field(q) : b->a[a->parent].question;
        a->code = field(code);
        a->text = field(text);
        a->chapter = b->r.version == REPORT_V1 ? NULL : "21";
        if (chapter && *chapter)
            a->chapter = strcmp(chapter, "~") == 0 ? NULL : chapter;
        a->line = line ? atol(line) : 0;
        if (a->parent < 0)
            last = (int)n;
        n++;
    }
    b->r.answers = b->a;
    b->r.n_answers = n;
}

static void build(struct built *b, int version, const char *changes,
                  const char *answers)
{
    memset(b, 0, sizeof *b);
    base_report(&b->r, version);
    b->units = U;
    b->now = NOW;
    snprintf(b->changes, sizeof b->changes, "%s", changes);
    snprintf(b->answers, sizeof b->answers, "%s", answers);
    char *rest = b->changes[0] ? b->changes : NULL, *change;
    while ((change = piece(&rest, '|')) != NULL)
        apply_change(b, change);
    add_answers(b);
}

/* --- reading the outcome ---------------------------------------------------- */

static const char *tri(enum tristate t)
{
    return t == TRI_TRUE ? "t" : t == TRI_FALSE ? "f" : "-";
}

static const char *or_dash(const char *s)
{
    return s ? s : "-";
}

/* The value of key in n, as the tables write it; NULL for a key unknown. */
static const char *show(const struct norm_report *n, const char *key,
                        char *buf, size_t len)
{
    if (strcmp(key, "ok") == 0) snprintf(buf, len, "%d", n->ok);
    else if (strcmp(key, "version") == 0) snprintf(buf, len, "%d", (int)n->version);
    else if (strcmp(key, "year") == 0) snprintf(buf, len, "%d", n->year);
    else if (strcmp(key, "code") == 0) snprintf(buf, len, "%s", n->unit_code);
    else if (strcmp(key, "type") == 0) snprintf(buf, len, "%s", or_dash(unit_type_name(n->unit_type)));
    else if (strcmp(key, "county") == 0) snprintf(buf, len, "%s", n->county_code);
    else if (strcmp(key, "pop") == 0) snprintf(buf, len, "%ld", n->population);
    else if (strcmp(key, "size_class") == 0) snprintf(buf, len, "%s", or_dash(n->size_class));
    else if (strcmp(key, "submitted") == 0) instant_format(n->submitted_us, buf, len);
    else if (strcmp(key, "nav_collab") == 0) snprintf(buf, len, "%s", or_dash(codes_yesno_name(n->nav_collab)));
    else if (strcmp(key, "specialist") == 0) snprintf(buf, len, "%s", or_dash(codes_yesno_name(n->nav_collab_specialist)));
    else if (strcmp(key, "nav_rating") == 0) snprintf(buf, len, "%s", or_dash(codes_rating_name(n->nav_rating)));
    else if (strcmp(key, "ipsse_mh") == 0) snprintf(buf, len, "%s", or_dash(codes_yesno_name(n->ips_se_mental_health)));
    else if (strcmp(key, "ips_mh") == 0) snprintf(buf, len, "%s", tri(n->ips_mental_health));
    else if (strcmp(key, "se_mh") == 0) snprintf(buf, len, "%s", tri(n->se_mental_health));
    else if (strcmp(key, "ipsse_sub") == 0) snprintf(buf, len, "%s", or_dash(codes_yesno_name(n->ips_se_substance)));
    else if (strcmp(key, "ips_sub") == 0) snprintf(buf, len, "%s", tri(n->ips_substance));
    else if (strcmp(key, "se_sub") == 0) snprintf(buf, len, "%s", tri(n->se_substance));
    else if (strcmp(key, "dropped") == 0) snprintf(buf, len, "%zu", n->n_dropped);
    else return NULL;
    return buf;
}

static const char LEVEL[] = { [PROBLEM_REPORT] = 'R', [PROBLEM_ANSWER] = 'A',
                              [PROBLEM_WARNING] = 'W' };

/* A problem as the tables write it: "L|question|reason". */
static const char *problem_text(const struct problem *p, char *buf, size_t len)
{
    snprintf(buf, len, "%c|%s|%s", LEVEL[p->level], p->question, p->reason);
    return buf;
}

static void fail_case(int line, const char *what, const char *got,
                      const char *want)
{
    check_report(0, __FILE__, line, what);
    fprintf(stderr, "    got:  %s\n    want: %s\n", got ? got : "NULL",
            want ? want : "NULL");
}

static void check_case(const struct ncase *c)
{
    static struct built b;
    build(&b, c->version, c->changes, c->answers);
    struct norm_report n;
    normalize_report(&b.r, b.units, b.now, &n);

    /* every problem, in order */
    size_t want_n = 0;
    int worst = -1;
    while (want_n < MAX_PROBLEMS && c->problems[want_n]) {
        const char *w = c->problems[want_n];
        int lvl = w[0] == 'R' ? PROBLEM_REPORT : w[0] == 'A' ? PROBLEM_ANSWER
                                                              : PROBLEM_WARNING;
        if (lvl > worst)
            worst = lvl;
        char got[TEXT_MAX];
        if (want_n < n.n_problems)
            problem_text(&n.problems[want_n], got, sizeof got);
        if (want_n >= n.n_problems || strcmp(got, w) != 0)
            fail_case(c->line, "problem", want_n < n.n_problems ? got : NULL,
                      w);
        else
            check_report(1, __FILE__, c->line, "");
        want_n++;
    }
    for (size_t i = want_n; i < n.n_problems; i++) {
        char got[TEXT_MAX];
        fail_case(c->line, "a problem more", problem_text(&n.problems[i], got,
                                                          sizeof got), NULL);
    }
    if (want_n == n.n_problems)
        check_report(1, __FILE__, c->line, "");
    if (n.ok != (worst != PROBLEM_REPORT))
        fail_case(c->line, "ok exactly when no report problem",
                  n.ok ? "ok" : "set aside", NULL);
    if (normalize_worst(&n) != worst)
        fail_case(c->line, "normalize_worst", "", "");

    /* values */
    if (!c->values)
        return;
    char values[TEXT_MAX];
    snprintf(values, sizeof values, "%s", c->values);
    char *rest = values, *kv;
    while ((kv = piece(&rest, ',')) != NULL) {
        while (*kv == ' ')
            kv++;
        char *eq = strchr(kv, '=');
        if (!eq) {
            fail_case(c->line, "key=value", kv, NULL);
            continue;
        }
        *eq = '\0';
        char buf[TEXT_MAX];
        const char *got = show(&n, kv, buf, sizeof buf);
        if (!got || strcmp(got, eq + 1) != 0)
            fail_case(c->line, kv, got, eq + 1);
        else
            check_report(1, __FILE__, c->line, kv);
    }
}

static void test_cases(void)
{
    for (size_t i = 0; i < COUNT(cases); i++)
        check_case(&cases[i]);
}

static void test_digest(void)
{
    static struct built ref, other;
    struct norm_report n1, n2;
    build(&ref, 2, "", DIGEST_ANSWERS);
    normalize_report(&ref.r, U, NOW, &n1);
    static const unsigned char zero[32];
    CHECK(memcmp(n1.digest, zero, 32) != 0);
    for (size_t i = 0; i < COUNT(digests); i++) {
        build(&other, 2, digests[i].changes, digests[i].answers);
        normalize_report(&other.r, U, NOW, &n2);
        int same = memcmp(n1.digest, n2.digest, 32) == 0;
        check_report(same == digests[i].same, __FILE__, digests[i].line,
                     digests[i].same ? "the same digest" : "another digest");
        if (digests[i].same)
            check_report(n1.submitted_us == n2.submitted_us, __FILE__,
                         digests[i].line, "the same submission instant");
    }
}

static void test_names(void)
{
    CHECK_STR(unit_type_name(UNIT_KOMMUNE), "kommune");
    CHECK_STR(unit_type_name(UNIT_BYDEL), "bydel");
    CHECK_STR(unit_type_name(UNIT_NONE), NULL);
}

int main(void)
{
    U = units_builtin();
    CHECK(U != NULL);
    if (!U)
        return check_done();
    test_cases();
    test_digest();
    test_names();
    printf("%zu cases, %zu digest cases\n", COUNT(cases), COUNT(digests));
    return check_done();
}
