/*
 * test_rtable.c - the result table's writers and the catalogue without a
 * database: CSV in both dialects byte for byte (quoting, empty fields,
 * decimal commas, the BOM, codes with a leading zero), JSON's types, the
 * union of columns of several tables; the compiled-in catalogue (four
 * indicators, each with year, size_class, its n and its percentage), the
 * answers' words, counties by code and by name in any case, and the
 * language from the environment.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "catalog.h"
#include "json.h"
#include "rtable.h"

/* what fn writes, as a string (static buffer) */
static const char *written(void (*fn)(FILE *, void *), void *arg)
{
    static char out[4096];
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    if (!f)
        return "<no memory>";
    fn(f, arg);
    fclose(f);
    snprintf(out, sizeof out, "%s", buf);
    free(buf);
    return out;
}

static const struct rtable_column cols_a[] = {
    { "year", NULL, NULL, COL_INT },
    { "name", NULL, NULL, COL_TEXT },
    { "pct", NULL, NULL, COL_PCT },
    { "ok", NULL, NULL, COL_BOOL },
};
static const char *cells_a[] = {
    "2019", "Bergen, \"Vestland\"", "45.5", "t",
    "2020", "0301", NULL, "f",
};
static const struct rtable_column cols_b[] = {
    { "year", NULL, NULL, COL_INT },
    { "units", NULL, NULL, COL_INT },
};
static const char *cells_b[] = { "2021", "7" };

static struct rtable tabs[2] = {
    { .name = "a", .cols = cols_a, .ncols = 4, .nrows = 2, .cells = cells_a },
    { .name = "b", .cols = cols_b, .ncols = 2, .nrows = 1, .cells = cells_b },
};

static void csv_rfc(FILE *f, void *x) { (void)x; rtable_csv(f, tabs, 2, "table", CSV_RFC4180); }
static void csv_nb(FILE *f, void *x) { (void)x; rtable_csv(f, tabs, 1, NULL, CSV_EXCEL_NB); }
static void json(FILE *f, void *x) { (void)x; rtable_json(f, tabs, 2); }
static void jstr(FILE *f, void *x) { json_string(f, x); }

static void test_writers(void)
{
    /* the union: year, name, ok, units; then the percentage */
    CHECK_STR(written(csv_rfc, NULL),
              "table,year,name,ok,units,pct\r\n"
              "a,2019,\"Bergen, \"\"Vestland\"\"\",true,,45.5\r\n"
              "a,2020,0301,false,,\r\n"
              "b,2021,,,7,\r\n");
    CHECK_STR(written(csv_nb, NULL),
              "\xEF\xBB\xBF" "year;name;ok;pct\r\n"
              "2019;\"Bergen, \"\"Vestland\"\"\";true;45,5\r\n"
              "2020;\"=\"\"0301\"\"\";false;\r\n");
    CHECK_STR(written(json, NULL),
              "{\n  \"a\": [\n"
              "    {\"year\": 2019, \"name\": \"Bergen, \\\"Vestland\\\"\", \"pct\": 45.5, \"ok\": true},\n"
              "    {\"year\": 2020, \"name\": \"0301\", \"pct\": null, \"ok\": false}\n  ],\n"
              "  \"b\": [\n    {\"year\": 2021, \"units\": 7}\n  ]\n}\n");
    CHECK_STR(written(jstr, "a\"b\\c\nd\te\x01\x7f æ"), "\"a\\\"b\\\\c\\nd\\te\\u0001\\u007f æ\"");
    enum csv_dialect d;
    CHECK_INT(csv_dialect_parse("excel-nb", &d), 0);
    CHECK_INT(d, CSV_EXCEL_NB);
    CHECK_INT(csv_dialect_parse("excel", &d), -1);
}

static void test_catalogue(void)
{
    int n = 0;
    const struct indicator *ind = catalog_indicators(&n);
    CHECK(ind != NULL);
    CHECK_INT(n, 4);
    for (int i = 0; ind && i < n; i++) {
        CHECK(indicator_column(&ind[i], "year") != NULL);
        CHECK(indicator_column(&ind[i], ind[i].n_column) != NULL);
        CHECK_INT(indicator_column(&ind[i], ind[i].pct_column)->type, COL_PCT);
        CHECK(ind[i].title[LANG_NB] && *ind[i].title[LANG_NB]);
        CHECK(ind[i].question && strncmp(ind[i].question, "H", 1) == 0);
    }
    const struct indicator *r = catalog_indicator("nav_rating", 10);
    CHECK(r != NULL);
    if (r) {
        CHECK_STR(r->n_column, "units_rated");
        CHECK_STR(indicator_column(r, "neither")->label[LANG_NB], "Verken god eller dårlig");
        CHECK_STR(r->field, NULL);
    }
    const struct indicator *mh = catalog_indicator("ips_se_mental_health", 20);
    CHECK(mh && mh->field && strcmp(mh->field, "mental_health") == 0);
    CHECK(mh && mh->first_year == 2016);
    CHECK(catalog_indicator("nav", 3) == NULL);
    CHECK_STR(catalog_indicator_names(),
              "nav_collab, nav_rating, ips_se_mental_health, ips_se_substance");
    CHECK_STR(catalog_answer_label("dont_know", LANG_NB), "Vet ikke");
    CHECK_STR(catalog_answer_label("very_good", LANG_EN), "Very good");
    CHECK_STR(catalog_answer_label("maybe", LANG_NB), "maybe");
}

static void test_counties(void)
{
    char code[3];
    const char *name = NULL;
    static const struct { const char *in, *code, *name; } cases[] = {
        { "46", "46", "Vestland" },
        { "vestland", "46", "Vestland" },
        { "MØRE OG ROMSDAL", "15", "Møre og Romsdal" },
        { "Østfold", "31", "Østfold" },   /* 01 until 2019: today's */
        { "troms", "55", "Troms" },
        { "Hordaland", "12", "Hordaland" }, /* no longer: its code */
        { "12", "12", "Hordaland" },
        { "99", "99", NULL },               /* a code: the database decides */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        CHECK_INT(catalog_county(cases[i].in, strlen(cases[i].in), code, &name), 0);
        CHECK_STR(code, cases[i].code);
        CHECK_STR(name, cases[i].name);
    }
    CHECK_INT(catalog_county("Narnia", 6, code, &name), -1);
    CHECK_INT(catalog_county("4", 1, code, &name), -1);
    CHECK_STR(catalog_county_name("46", 2019), NULL);
    CHECK_STR(catalog_county_name("54", 2021), "Troms og Finnmark");
    CHECK_STR(catalog_county_name("18", 2021), "Nordland");
}

static void test_lang(void)
{
    static const struct { const char *all, *messages, *lang; enum lang want; } cases[] = {
        { NULL, NULL, NULL, LANG_EN },
        { NULL, NULL, "nb_NO.UTF-8", LANG_NB },
        { NULL, NULL, "nn_NO", LANG_NB },
        { NULL, NULL, "no", LANG_NB },
        { NULL, NULL, "C.UTF-8", LANG_EN },
        { NULL, "en_GB.UTF-8", "nb_NO.UTF-8", LANG_EN },
        { "nb_NO.UTF-8", "en_GB.UTF-8", NULL, LANG_NB },
        { "", "nb_NO", "en_US", LANG_NB },
        { NULL, NULL, "nbx_NO", LANG_EN },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *v[3] = { cases[i].all, cases[i].messages, cases[i].lang };
        const char *k[3] = { "LC_ALL", "LC_MESSAGES", "LANG" };
        for (int j = 0; j < 3; j++)
            if (v[j])
                setenv(k[j], v[j], 1);
            else
                unsetenv(k[j]);
        CHECK_INT(lang_from_environment(), cases[i].want);
    }
    enum lang l;
    CHECK_INT(lang_parse("nb", &l), 0);
    CHECK_INT(l, LANG_NB);
    CHECK_INT(lang_parse("no", &l), -1);
}

int main(void)
{
    test_writers();
    test_catalogue();
    test_counties();
    test_lang();
    return check_done();
}
