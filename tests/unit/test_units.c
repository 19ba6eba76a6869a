/*
 * test_units.c - the table of reporting units built from the reference data
 * compiled into the program, and units_parse() on small and broken CSV.
 */
#include "check.h"
#include "transform/units.h"

static void test_builtin(void)
{
    const struct units *u = units_builtin();
    CHECK(u != NULL);
    if (!u)
        return;
    CHECK(units_builtin() == u); /* built once */
    CHECK_INT(units_first_year(u), 2015);
    CHECK_INT(units_last_year(u), 2026);

    /* Municipalities per year, minus Oslo as a whole, plus 17 districts. */
    static const int municipalities[] = { 428, 428, 426, 422, 422, 356, 356,
                                          356, 356, 357, 357, 357 };
    for (int y = 2015; y <= 2026; y++)
        CHECK_INT(units_expected(u, y), municipalities[y - 2015] - 1 + 17);
    CHECK_INT(units_expected(u, 2014), 0);
    CHECK_INT(units_expected(u, 2027), 0);

    const char *name = NULL;
    int first = 0, last = 0;

    /* Trondheim: 1601 until 2017, 5001 from 2018. */
    CHECK_INT(units_check(u, "1601", 2017, &name, &first, &last), UNIT_VALID);
    CHECK_STR(name, "Trondheim");
    CHECK_INT(units_check(u, "1601", 2015, &name, NULL, NULL), UNIT_VALID);
    CHECK_INT(units_check(u, "1601", 2018, &name, &first, &last),
              UNIT_OTHER_YEARS);
    CHECK_INT(first, 2015);
    CHECK_INT(last, 2017);
    CHECK_STR(name, "Trondheim");
    CHECK_INT(units_check(u, "5001", 2017, &name, &first, &last),
              UNIT_OTHER_YEARS);
    CHECK_INT(first, 2018);
    CHECK_INT(last, 2026);
    CHECK_STR(name, "Trondheim");
    for (int y = 2018; y <= 2026; y++)
        CHECK_INT(units_check(u, "5001", y, &name, NULL, NULL), UNIT_VALID);
    CHECK_STR(name, "Trondheim");

    /* A municipality that lived 2018-2019 only (5012 Snillfjord). */
    CHECK_INT(units_check(u, "5012", 2020, &name, &first, &last),
              UNIT_OTHER_YEARS);
    CHECK_INT(first, 2018);
    CHECK_INT(last, 2019);

    /* The name of the year asked for. */
    CHECK_INT(units_check(u, "1852", 2017, &name, NULL, NULL), UNIT_VALID);
    CHECK_STR(name, "Tjeldsund");
    CHECK_INT(units_check(u, "1852", 2019, &name, NULL, NULL), UNIT_VALID);
    CHECK_STR(name, "Dielddanuorri");

    /* Oslo's districts are valid in every year. */
    for (int y = 2015; y <= 2026; y++) {
        CHECK_INT(units_check(u, "030112", y, &name, NULL, NULL), UNIT_VALID);
        CHECK_STR(name, "Alna");
        CHECK_INT(units_check(u, "030101", y, NULL, NULL, NULL), UNIT_VALID);
        CHECK_INT(units_check(u, "030117", y, NULL, NULL, NULL), UNIT_VALID);
    }
    CHECK_INT(units_check(u, "030113", 2019, &name, NULL, NULL), UNIT_VALID);
    CHECK_STR(name, "Østensjø");
    CHECK_INT(units_check(u, "030118", 2019, &name, NULL, NULL), UNIT_UNKNOWN);
    CHECK_STR(name, NULL);
    CHECK_INT(units_check(u, "030100", 2019, NULL, NULL, NULL), UNIT_UNKNOWN);

    CHECK_INT(units_check(u, "0301", 2019, &name, NULL, NULL),
              UNIT_OSLO_WHOLE);
    CHECK_INT(units_check(u, "0301", 2015, NULL, NULL, NULL), UNIT_OSLO_WHOLE);
    CHECK_INT(units_check(u, "9999", 2019, &name, NULL, NULL), UNIT_UNKNOWN);
    CHECK_INT(units_check(u, "160", 2017, NULL, NULL, NULL), UNIT_UNKNOWN);
    CHECK_INT(units_check(u, "16011", 2017, NULL, NULL, NULL), UNIT_UNKNOWN);
    CHECK_INT(units_check(u, "", 2017, NULL, NULL, NULL), UNIT_UNKNOWN);
    CHECK_INT(units_check(u, "1601", 2014, NULL, NULL, NULL),
              UNIT_YEAR_UNKNOWN);
    CHECK_INT(units_check(u, "5001", 2031, NULL, NULL, NULL),
              UNIT_YEAR_UNKNOWN);
}

static void test_parse(void)
{
    char err[200];
    struct units *u = units_parse(
        "year,code,name,county_code\r\n"
        "2020,0301,Oslo,03\r\n"
        "2020,1111,Gamleby,11\r\n"
        "2021,0301,Oslo,03\r\n"
        "2022,0301,Oslo,03\r\n"
        "2022,1111,Gamleby igjen,11\r\n"
        "2021,2222,Nyby,22\r\n"
        "\r\n",
        "bydelsnummer,bydelsnavn,kommunenummer\n"
        "030101,Gamle Oslo,0301\n"
        "030102,Grünerløkka,0301\n",
        err, sizeof err);
    CHECK(u != NULL);
    if (!u) {
        fprintf(stderr, "    %s\n", err);
        return;
    }
    CHECK_INT(units_first_year(u), 2020);
    CHECK_INT(units_last_year(u), 2022);
    CHECK_INT(units_expected(u, 2020), 2 - 1 + 2);
    CHECK_INT(units_expected(u, 2021), 2 - 1 + 2);
    const char *name;
    int first, last;
    /* Valid in two separate spans: the nearest span is named. */
    CHECK_INT(units_check(u, "1111", 2021, &name, &first, &last),
              UNIT_OTHER_YEARS);
    CHECK_INT(first, 2020);
    CHECK_INT(last, 2020);
    CHECK_STR(name, "Gamleby");
    CHECK_INT(units_check(u, "1111", 2022, &name, NULL, NULL), UNIT_VALID);
    CHECK_STR(name, "Gamleby igjen");
    CHECK_INT(units_check(u, "2222", 2020, &name, &first, &last),
              UNIT_OTHER_YEARS);
    CHECK_INT(first, 2021);
    CHECK_INT(last, 2021);
    CHECK_STR(name, "Nyby");
    CHECK_INT(units_check(u, "030102", 2022, &name, NULL, NULL), UNIT_VALID);
    CHECK_STR(name, "Grünerløkka");
    units_free(u);
    units_free(NULL);

#define DISTRICTS                                                              \
        "bydelsnummer,bydelsnavn,kommunenummer\n030101,Gamle Oslo,0301\n"
    static const struct {
        const char *by_year, *districts, *err;
    } bad[] = {
        { "", DISTRICTS, "municipalities_by_year.csv line 1: expected the "
                         "header 'year,code,name,county_code'" },
        { "year,code,name\n", DISTRICTS, "municipalities_by_year.csv line 1: "
          "expected the header 'year,code,name,county_code'" },
        { "year,code,name,county_code\n", DISTRICTS,
          "municipalities_by_year.csv line 1: no municipalities" },
        { "year,code,name,county_code\n2020,0301,Oslo,03,x\n", DISTRICTS,
          "municipalities_by_year.csv line 2: expected 4 fields, found more" },
        { "year,code,name,county_code\n2020,0301,Oslo\n", DISTRICTS,
          "municipalities_by_year.csv line 2: expected 4 fields, found fewer" },
        { "year,code,name,county_code\n2020,301,Oslo,03\n", DISTRICTS,
          "municipalities_by_year.csv line 2: expected a year, a 4-digit "
          "code, a name and a 2-digit county code" },
        { "year,code,name,county_code\n2020,0301,Oslo,03\n20x0,0301,Oslo,"
          "03\n", DISTRICTS, "municipalities_by_year.csv line 3: expected a "
          "year, a 4-digit code, a name and a 2-digit county code" },
        { "year,code,name,county_code\n2020,0301,\"Oslo\",03\n", DISTRICTS,
          "municipalities_by_year.csv line 2: quoted fields are not "
          "supported" },
        { "year,code,name,county_code\n2020,0301,Oslo,03\n\n2021,0301,Oslo,"
          "03\n", DISTRICTS, "municipalities_by_year.csv line 3: empty "
          "line" },
        { "year,code,name,county_code\n2020,0301,Oslo,03\n2020,0301,Oslo,03\n",
          DISTRICTS, "municipalities_by_year.csv: code 0301 listed twice for "
          "2020" },
        { "year,code,name,county_code\n2020,0301,Oslo,03\n2022,0301,Oslo,03\n",
          DISTRICTS, "municipalities_by_year.csv: no municipalities for "
          "2021" },
        { "year,code,name,county_code\n2020,0301,Oslo,03\n",
          "bydelsnummer,bydelsnavn,kommunenummer\n030101,Gamle Oslo,1103\n",
          "oslo_districts.csv line 2: expected a district code 0301xx, a name "
          "and the municipality 0301" },
        { "year,code,name,county_code\n2020,0301,Oslo,03\n",
          "bydelsnummer,bydelsnavn,kommunenummer\n030101,A,0301\n030101,B,"
          "0301\n", "oslo_districts.csv: district 030101 listed twice" },
        { "year,code,name,county_code\n2020,0301,Oslo,03\n", "x,y\n",
          "oslo_districts.csv line 1: expected the header "
          "'bydelsnummer,bydelsnavn,kommunenummer'" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        u = units_parse(bad[i].by_year, bad[i].districts, err, sizeof err);
        CHECK(u == NULL);
        CHECK_STR(err, bad[i].err);
        units_free(u);
    }
    /* the reader of load/db.c's COPY, refdata.h: a byte order mark before
     * the header is tolerated */
    u = units_parse("\xEF\xBB\xBFyear,code,name,county_code\n2020,0301,Oslo,"
                    "03\n2020,1111,Gamleby,11\n", DISTRICTS, err, sizeof err);
    CHECK(u != NULL);
    CHECK_INT(units_expected(u, 2020), 2 - 1 + 1);
    units_free(u);
    CHECK(units_parse(NULL, DISTRICTS, err, sizeof err) == NULL);
    CHECK(units_parse(bad[0].by_year, NULL, NULL, 0) == NULL);
}

int main(void)
{
    test_builtin();
    test_parse();
    return check_done();
}
