/*
 * test_normalize.c - normalize_report() on reports built by hand: the three
 * examples of the delivery format, every problem it can find (with its level,
 * question and exact reason), the size classes, and the digest.
 */
#include <stdint.h>

#include "check.h"
#include "transform/instant.h"
#include "transform/normalize.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* The time of the run, fixed: 2026-03-01T12:00:00Z. */
#define NOW INT64_C(1772366400000000)

/* A sporsmal (v1) or Svar (v2), and a Valg under the answer at index p. */
#define V1(id, text) { NULL, id, NULL, text, -1, 0 }
#define SVAR(q, code, text) { "21", q, code, text, -1, 0 }
#define VALG(q, code, text, p) { "21", q, code, text, p, 0 }

static const struct units *U;

static struct raw_report v1_report(void)
{
    struct raw_report r = { 0 };
    r.version = REPORT_V1;
    r.index = 1;
    r.line = 2;
    r.year = "2017";
    r.submitted = "2018-03-01T14:05:00";
    r.unit_type = "kommune";
    r.unit_code = "1601";
    r.unit_name = "Trondheim";
    r.population = "190464";
    return r;
}

static struct raw_report v2_report(void)
{
    struct raw_report r = { 0 };
    r.version = REPORT_V2;
    r.index = 1;
    r.line = 2;
    r.year = "2018";
    r.submitted = "2019-02-11T10:03:00+01:00";
    r.submission_id = "5f0c7c1e-2b4a-4e55-9d0e-3a1f4c2b9e01";
    r.unit_type = "kommune";
    r.unit_code = "5001";
    r.unit_name = "Trondheim";
    r.population = "193501";
    return r;
}

static void show_problems(const struct norm_report *n)
{
    for (size_t i = 0; i < n->n_problems; i++)
        fprintf(stderr, "    problem %d [%s] %s\n", (int)n->problems[i].level,
                n->problems[i].question, n->problems[i].reason);
}

/* The problem with exactly this reason and question must be there, with
 * this level. */
static void check_problem(const struct norm_report *n, enum problem_level lvl,
                          const char *question, const char *reason, int line)
{
    for (size_t i = 0; i < n->n_problems; i++) {
        const struct problem *p = &n->problems[i];
        if (strcmp(p->reason, reason) != 0 || strcmp(p->question, question))
            continue;
        check_report(p->level == lvl, __FILE__, line, reason);
        if (p->level != lvl)
            fprintf(stderr, "    level %d, not %d\n", (int)p->level,
                    (int)lvl);
        return;
    }
    check_report(0, __FILE__, line, reason);
    fprintf(stderr, "    not found with question '%s'; the problems are:\n",
            question);
    show_problems(n);
}

#define CHECK_PROBLEM(n, lvl, q, reason)                                       \
    check_problem(n, lvl, q, reason, __LINE__)

/* Exactly one problem, this one. */
#define CHECK_ONLY_PROBLEM(n, lvl, q, reason)                                  \
    do {                                                                       \
        CHECK_INT((n)->n_problems, 1);                                         \
        check_problem(n, lvl, q, reason, __LINE__);                            \
    } while (0)

#define CHECK_NO_PROBLEMS(n)                                                   \
    do {                                                                       \
        CHECK_INT((n)->n_problems, 0);                                         \
        if ((n)->n_problems)                                                   \
            show_problems(n);                                                  \
        CHECK_INT(normalize_worst(n), -1);                                     \
    } while (0)

static const char *when(const struct norm_report *n)
{
    static char buf[64];
    return instant_format(n->submitted_us, buf, sizeof buf);
}

/* --- the examples of the delivery format ----------------------------------- */

static void test_example_v1(void)
{
    static const struct raw_answer answers[] = {
        V1("3.1", "412,5"),
        V1("3.2", "Årsverk i rusarbeid er ført under psykisk helsearbeid"),
        V1("7.1", "1"), V1("7.1.1", "2"), V1("7.2", "3"), V1("7.3", "1"),
        V1("7.4", "9") };
    struct raw_report r = v1_report();
    r.answers = answers;
    r.n_answers = COUNT(answers);
    struct norm_report n;
    normalize_report(&r, U, NOW, &n);
    CHECK_NO_PROBLEMS(&n);
    CHECK_INT(n.ok, 1);
    CHECK_INT(n.version, REPORT_V1);
    CHECK_INT(n.year, 2017);
    CHECK_STR(n.unit_code, "1601");
    CHECK_INT(n.unit_type, UNIT_KOMMUNE);
    CHECK_STR(n.county_code, "16");
    CHECK_INT(n.population, 190464);
    CHECK_STR(n.size_class, "50000+");
    CHECK_STR(when(&n), "2018-03-01 13:05:00+00");
    CHECK_INT(n.nav_collab, YN_YES);
    CHECK_INT(n.nav_collab_specialist, YN_NO);
    CHECK_INT(n.nav_rating, RATING_NEITHER);
    CHECK_INT(n.ips_se_mental_health, YN_YES);
    CHECK_INT(n.ips_mental_health, TRI_NULL);
    CHECK_INT(n.se_mental_health, TRI_NULL);
    CHECK_INT(n.ips_se_substance, YN_DONT_KNOW);
    CHECK_INT(n.ips_substance, TRI_NULL);
    CHECK_INT(n.se_substance, TRI_NULL);
    CHECK_INT(n.n_dropped, 0);
}

static void test_example_v2(void)
{
    static const struct raw_answer answers[] = {
        { "4", "4.1", NULL, "431,2", -1, 0 },
        SVAR("ARB_NAV_SAMARBEID", "1", "Ja"),
        SVAR("ARB_NAV_SAMARBEID_SPES", "2", "Nei"),
        SVAR("ARB_NAV_SAMHANDLING", "4", "God"),
        SVAR("ARB_IPS_SE_PSYK", NULL, NULL),                        /* 4 */
        VALG("ARB_IPS_SE_PSYK", "IPS", "Individuell jobbstøtte (IPS)", 4),
        VALG("ARB_IPS_SE_PSYK", "SE", "Supported employment (SE)", 4),
        SVAR("ARB_IPS_SE_RUS", NULL, NULL),                         /* 7 */
        VALG("ARB_IPS_SE_RUS", "INGEN", "Ingen av disse", 7) };
    struct raw_report r = v2_report();
    r.answers = answers;
    r.n_answers = COUNT(answers);
    struct norm_report n;
    normalize_report(&r, U, NOW, &n);
    CHECK_NO_PROBLEMS(&n);
    CHECK_INT(n.ok, 1);
    CHECK_INT(n.version, REPORT_V2);
    CHECK_INT(n.year, 2018);
    CHECK_STR(n.unit_code, "5001");
    CHECK_INT(n.unit_type, UNIT_KOMMUNE);
    CHECK_STR(n.county_code, "50");
    CHECK_INT(n.population, 193501);
    CHECK_STR(n.size_class, "50000+");
    CHECK_STR(when(&n), "2019-02-11 09:03:00+00");
    CHECK_INT(n.nav_collab, YN_YES);
    CHECK_INT(n.nav_collab_specialist, YN_NO);
    CHECK_INT(n.nav_rating, RATING_GOOD);
    CHECK_INT(n.ips_se_mental_health, YN_YES);
    CHECK_INT(n.ips_mental_health, TRI_TRUE);
    CHECK_INT(n.se_mental_health, TRI_TRUE);
    CHECK_INT(n.ips_se_substance, YN_NO);
    CHECK_INT(n.ips_substance, TRI_FALSE);
    CHECK_INT(n.se_substance, TRI_FALSE);
}

static void test_example_county(void)
{
    static const struct raw_answer alna[] = {
        SVAR("ARB_NAV_SAMARBEID", NULL, "ja"),
        SVAR("ARB_NAV_SAMARBEID_SPES", NULL, "Vet ikke"),
        SVAR("ARB_NAV_SAMHANDLING", NULL, "Svært  god"),
        SVAR("ARB_IPS_SE_PSYK", NULL, NULL),
        VALG("ARB_IPS_SE_PSYK", "IPS", NULL, 3),
        SVAR("ARB_IPS_SE_RUS", NULL, NULL),
        VALG("ARB_IPS_SE_RUS", "IPS", NULL, 5) };
    struct raw_report r = v2_report();
    r.year = "2019";
    r.submitted = "2020-01-28T09:12:44+01:00";
    r.submission_id = "0b7d2f52-51e4-4a8e-8a59-0e3c7f6f1a10";
    r.unit_type = "bydel";
    r.unit_code = "030112";
    r.unit_name = "Alna";
    r.population = "49801";
    r.answers = alna;
    r.n_answers = COUNT(alna);
    struct norm_report n;
    normalize_report(&r, U, NOW, &n);
    CHECK_NO_PROBLEMS(&n);
    CHECK_INT(n.ok, 1);
    CHECK_INT(n.year, 2019);
    CHECK_STR(n.unit_code, "030112");
    CHECK_INT(n.unit_type, UNIT_BYDEL);
    CHECK_STR(n.county_code, "03");
    CHECK_INT(n.population, 49801);
    CHECK_STR(n.size_class, "Oslo bydel");
    CHECK_STR(when(&n), "2020-01-28 08:12:44+00");
    CHECK_INT(n.nav_collab, YN_YES);
    CHECK_INT(n.nav_collab_specialist, YN_DONT_KNOW);
    CHECK_INT(n.nav_rating, RATING_VERY_GOOD);
    CHECK_INT(n.ips_se_mental_health, YN_YES);
    CHECK_INT(n.ips_mental_health, TRI_TRUE);
    CHECK_INT(n.se_mental_health, TRI_FALSE);
    CHECK_INT(n.ips_se_substance, YN_YES);
    CHECK_INT(n.ips_substance, TRI_TRUE);
    CHECK_INT(n.se_substance, TRI_FALSE);

    static const struct raw_answer sondre[] = {
        SVAR("ARB_NAV_SAMARBEID", "2", "Nei"),
        SVAR("ARB_NAV_SAMHANDLING", "3", "Verken god eller dårlig"),
        SVAR("ARB_IPS_SE_PSYK", NULL, NULL),
        VALG("ARB_IPS_SE_PSYK", NULL, "Vet ikke", 2),
        SVAR("ARB_IPS_SE_RUS", NULL, NULL) };
    r.submitted = "2020-02-03T13:40:00+01:00";
    r.submission_id = "8c7d1e0a-6f7e-4d0b-b7a2-31c4e2f9d3aa";
    r.unit_code = "030115";
    r.unit_name = "Søndre Nordstrand";
    r.population = "39021";
    r.answers = sondre;
    r.n_answers = COUNT(sondre);
    normalize_report(&r, U, NOW, &n);
    CHECK_NO_PROBLEMS(&n);
    CHECK_INT(n.ok, 1);
    CHECK_STR(n.unit_code, "030115");
    CHECK_INT(n.unit_type, UNIT_BYDEL);
    CHECK_INT(n.population, 39021);
    CHECK_STR(n.size_class, "Oslo bydel");
    CHECK_STR(when(&n), "2020-02-03 12:40:00+00");
    CHECK_INT(n.nav_collab, YN_NO);
    CHECK_INT(n.nav_collab_specialist, YN_NONE);
    CHECK_INT(n.nav_rating, RATING_NEITHER);
    CHECK_INT(n.ips_se_mental_health, YN_DONT_KNOW);
    CHECK_INT(n.ips_mental_health, TRI_NULL);
    CHECK_INT(n.se_mental_health, TRI_NULL);
    CHECK_INT(n.ips_se_substance, YN_NONE);
    CHECK_INT(n.ips_substance, TRI_NULL);
    CHECK_INT(n.se_substance, TRI_NULL);
}

/* "God" is code 2 in version 1 and kode 4 in version 2: the same answer. */
static void test_rating_both_versions(void)
{
    static const struct raw_answer a1[] = { V1("7.2", "2") };
    static const struct raw_answer a2[] = {
        SVAR("ARB_NAV_SAMHANDLING", "4", "God") };
    struct raw_report r1 = v1_report(), r2 = v2_report();
    r1.answers = a1;
    r1.n_answers = 1;
    r2.answers = a2;
    r2.n_answers = 1;
    struct norm_report n1, n2;
    normalize_report(&r1, U, NOW, &n1);
    normalize_report(&r2, U, NOW, &n2);
    CHECK_NO_PROBLEMS(&n1);
    CHECK_NO_PROBLEMS(&n2);
    CHECK_INT(n1.nav_rating, RATING_GOOD);
    CHECK_INT(n2.nav_rating, RATING_GOOD);

    /* Every rating code of both versions. */
    static const char *v1[] = { "1", "2", "3", "4", "5", "9" };
    static const char *v2[] = { "5", "4", "3", "2", "1", "0" };
    static const enum rating want[] = { RATING_VERY_GOOD, RATING_GOOD,
                                        RATING_NEITHER, RATING_LESS_GOOD,
                                        RATING_BAD, RATING_DONT_KNOW };
    for (size_t i = 0; i < COUNT(want); i++) {
        struct raw_answer x1 = V1("7.2", v1[i]);
        struct raw_answer x2 = SVAR("ARB_NAV_SAMHANDLING", v2[i], NULL);
        r1.answers = &x1;
        r2.answers = &x2;
        normalize_report(&r1, U, NOW, &n1);
        normalize_report(&r2, U, NOW, &n2);
        CHECK_INT(n1.nav_rating, want[i]);
        CHECK_INT(n2.nav_rating, want[i]);
        CHECK_INT(n1.n_problems + n2.n_problems, 0);
    }
}

/* --- report-level problems ------------------------------------------------- */

static void test_fault(void)
{
    struct raw_report r = v2_report();
    r.fault = "a second Enhet element (line 7)";
    struct norm_report n;
    normalize_report(&r, U, NOW, &n);
    CHECK_INT(n.ok, 0);
    CHECK_ONLY_PROBLEM(&n, PROBLEM_REPORT, "",
                       "a second Enhet element (line 7)");
    CHECK_INT(normalize_worst(&n), PROBLEM_REPORT);
}

static void test_year(void)
{
    struct raw_report r = v2_report();
    struct norm_report n;

    r.year = NULL;
    normalize_report(&r, U, NOW, &n);
    CHECK_INT(n.ok, 0);
    CHECK_INT(n.year, 0);
    CHECK_ONLY_PROBLEM(&n, PROBLEM_REPORT, "", "missing reporting year");
    r.year = " \n ";
    normalize_report(&r, U, NOW, &n);
    CHECK_ONLY_PROBLEM(&n, PROBLEM_REPORT, "", "missing reporting year");

    r.year = "2O18";
    normalize_report(&r, U, NOW, &n);
    CHECK_INT(n.ok, 0);
    CHECK_ONLY_PROBLEM(&n, PROBLEM_REPORT, "",
                       "malformed reporting year '2O18'");
    r.year = "18";
    normalize_report(&r, U, NOW, &n);
    CHECK_ONLY_PROBLEM(&n, PROBLEM_REPORT, "", "malformed reporting year '18'");
    r.year = "+2018";
    normalize_report(&r, U, NOW, &n);
    CHECK_ONLY_PROBLEM(&n, PROBLEM_REPORT, "",
                       "malformed reporting year '+2018'");
    r.year = "2018.0";
    normalize_report(&r, U, NOW, &n);
    CHECK_ONLY_PROBLEM(&n, PROBLEM_REPORT, "",
                       "malformed reporting year '2018.0'");
    r.year = " 2018\n";
    normalize_report(&r, U, NOW, &n);
    CHECK_NO_PROBLEMS(&n);
    CHECK_INT(n.year, 2018);

    /* (no submission time of a 2031 report can be true in 2026) */
    r.year = "2031";
    normalize_report(&r, U, NOW, &n);
    CHECK_INT(n.ok, 0);
    CHECK_INT(n.n_problems, 2);
    CHECK_PROBLEM(&n, PROBLEM_REPORT, "",
                  "no municipality codes for reporting year 2031 "
                  "(known: 2015–2026)");
    CHECK_PROBLEM(&n, PROBLEM_REPORT, "",
                  "submission time '2019-02-11T10:03:00+01:00' is before the "
                  "reporting year 2031 began (2031-01-01 00:00 Norwegian "
                  "time)");

    r.year = "2016";
    r.unit_code = "1601";
    normalize_report(&r, U, NOW, &n);
    CHECK_INT(n.ok, 0);
    CHECK_INT(n.year, 2016);
    CHECK_ONLY_PROBLEM(&n, PROBLEM_REPORT, "",
                       "version 2 report for 2016 (version 2 starts in 2018)");

    struct raw_report r1 = v1_report();
    r1.year = "2019";
    r1.unit_code = "5001";
    r1.submitted = "2020-03-01T14:05:00";
    normalize_report(&r1, U, NOW, &n);
    CHECK_INT(n.ok, 0);
    CHECK_ONLY_PROBLEM(&n, PROBLEM_REPORT, "",
                       "version 1 report for 2019 (version 1 covers "
                       "2015–2017)");
}

static void test_unit(void)
{
    struct raw_report r = v2_report();
    struct norm_report n;

    /* No type: taken from the length of the code. */
    r.unit_type = NULL;
    normalize_report(&r, U, NOW, &n);
    CHECK_NO_PROBLEMS(&n);
    CHECK_INT(n.unit_type, UNIT_KOMMUNE);
    r.unit_code = "030112";
    r.unit_name = "Alna";
    normalize_report(&r, U, NOW, &n);
    CHECK_NO_PROBLEMS(&n);
    CHECK_INT(n.unit_type, UNIT_BYDEL);
    CHECK_STR(n.size_class, "Oslo bydel");
    CHECK_STR(unit_type_name(n.unit_type), "bydel");

    r = v2_report();
    r.unit_type = "Kommune";
    normalize_report(&r, U, NOW, &n);
    CHECK_INT(n.ok, 0);
    CHECK_ONLY_PROBLEM(&n, PROBLEM_REPORT, "", "unknown unit type 'Kommune'");
    r.unit_type = " kommune ";
    normalize_report(&r, U, NOW, &n);
    CHECK_NO_PROBLEMS(&n);

    r.unit_type = "bydel";
    normalize_report(&r, U, NOW, &n);
    CHECK_INT(n.ok, 0);
    CHECK_ONLY_PROBLEM(&n, PROBLEM_REPORT, "",
                       "unit type 'bydel' but code '5001' is a municipality "
                       "code");
    r.unit_type = "kommune";
    r.unit_code = "030112";
    r.unit_name = NULL;
    normalize_report(&r, U, NOW, &n);
    CHECK_INT(n.ok, 0);
    CHECK_ONLY_PROBLEM(&n, PROBLEM_REPORT, "",
                       "unit type 'kommune' but code '030112' is a city "
                       "district code");

    r.unit_code = "0301";
    r.unit_name = "Oslo";
    normalize_report(&r, U, NOW, &n);
    CHECK_INT(n.ok, 0);
    CHECK_ONLY_PROBLEM(&n, PROBLEM_REPORT, "",
                       "0301 Oslo reports through its city districts "
                       "(030101–030117), not as a whole");

    r.unit_code = NULL;
    normalize_report(&r, U, NOW, &n);
    CHECK_INT(n.ok, 0);
    CHECK_STR(n.unit_code, "");
    CHECK_ONLY_PROBLEM(&n, PROBLEM_REPORT, "", "missing unit code");
    r.unit_code = "50O1";
    normalize_report(&r, U, NOW, &n);
    CHECK_ONLY_PROBLEM(&n, PROBLEM_REPORT, "", "malformed unit code '50O1'");
    r.unit_code = "501";
    normalize_report(&r, U, NOW, &n);
    CHECK_ONLY_PROBLEM(&n, PROBLEM_REPORT, "", "malformed unit code '501'");
    r.unit_code = "50011";
    normalize_report(&r, U, NOW, &n);
    CHECK_ONLY_PROBLEM(&n, PROBLEM_REPORT, "", "malformed unit code '50011'");
    r.unit_code = " 5001\n";
    r.unit_name = "Trondheim";
    normalize_report(&r, U, NOW, &n);
    CHECK_NO_PROBLEMS(&n);
    CHECK_STR(n.unit_code, "5001");

    r.unit_code = "9999";
    normalize_report(&r, U, NOW, &n);
    CHECK_INT(n.ok, 0);
    CHECK_ONLY_PROBLEM(&n, PROBLEM_REPORT, "", "unknown unit code '9999'");
    r.unit_type = "bydel";
    r.unit_code = "030118";
    normalize_report(&r, U, NOW, &n);
    CHECK_ONLY_PROBLEM(&n, PROBLEM_REPORT, "", "unknown unit code '030118'");

    /* Codes of the wrong year name the years they are valid in. */
    struct raw_report r1 = v1_report();
    r1.unit_code = "5001";
    normalize_report(&r1, U, NOW, &n);
    CHECK_INT(n.ok, 0);
    CHECK_ONLY_PROBLEM(&n, PROBLEM_REPORT, "",
                       "unit code 5001 (Trondheim) is not valid in 2017; it "
                       "is valid from 2018");
    r = v2_report();
    r.unit_code = "1601";
    normalize_report(&r, U, NOW, &n);
    CHECK_INT(n.ok, 0);
    CHECK_ONLY_PROBLEM(&n, PROBLEM_REPORT, "",
                       "unit code 1601 (Trondheim) is not valid in 2018; it "
                       "was valid until 2017");
    r.year = "2020";
    r.submitted = "2021-02-11T10:03:00+01:00";
    r.unit_code = "5012";
    r.unit_name = "Snillfjord";
    normalize_report(&r, U, NOW, &n);
    CHECK_ONLY_PROBLEM(&n, PROBLEM_REPORT, "",
                       "unit code 5012 (Snillfjord) is not valid in 2020; it "
                       "is valid 2018–2019");

    /* Without a table every well-formed code is taken as valid. */
    r = v2_report();
    r.unit_code = "9999";
    normalize_report(&r, NULL, NOW, &n);
    CHECK_NO_PROBLEMS(&n);
    CHECK_STR(n.county_code, "99");
}

static void test_unit_name(void)
{
    struct raw_report r = v1_report();
    struct norm_report n;

    r.unit_name = "Trondhjem";
    normalize_report(&r, U, NOW, &n);
    CHECK_INT(n.ok, 1);
    CHECK_ONLY_PROBLEM(&n, PROBLEM_WARNING, "",
                       "unit name 'Trondhjem' differs from the reference "
                       "name 'Trondheim' for 1601 in 2017");
    CHECK_INT(normalize_worst(&n), PROBLEM_WARNING);

    r.unit_name = "  TRONDHEIM \n";
    normalize_report(&r, U, NOW, &n);
    CHECK_NO_PROBLEMS(&n);
    r.unit_name = NULL;
    normalize_report(&r, U, NOW, &n);
    CHECK_NO_PROBLEMS(&n);
    r.unit_name = "  ";
    normalize_report(&r, U, NOW, &n);
    CHECK_NO_PROBLEMS(&n);

    /* SSB's "Bø (Nordland)": the name without the county is the same */
    r.unit_code = "1867";
    r.unit_name = "Bø";
    normalize_report(&r, U, NOW, &n);
    CHECK_NO_PROBLEMS(&n);
    r.unit_name = "Bø (Nordland)";
    normalize_report(&r, U, NOW, &n);
    CHECK_NO_PROBLEMS(&n);
    r.unit_name = "Bø (Telemark)";
    normalize_report(&r, U, NOW, &n);
    CHECK_ONLY_PROBLEM(&n, PROBLEM_WARNING, "",
                       "unit name 'Bø (Telemark)' differs from the reference "
                       "name 'Bø (Nordland)' for 1867 in 2017");
    r.unit_code = "1601";

    /* Unicode normalization and case: "ØSTENSJØ" with a decomposed ring. */
    r = v2_report();
    r.unit_type = "bydel";
    r.unit_code = "030113";
    r.unit_name = "ØSTENSJØ";
    normalize_report(&r, U, NOW, &n);
    CHECK_NO_PROBLEMS(&n);
    r.unit_code = "030102";
    r.unit_name = "Gru\xcc\x88nerl\xc3\xb8kka";
    normalize_report(&r, U, NOW, &n);
    CHECK_NO_PROBLEMS(&n);
    r.unit_name = "Grunerløkka";
    normalize_report(&r, U, NOW, &n);
    CHECK_ONLY_PROBLEM(&n, PROBLEM_WARNING, "",
                       "unit name 'Grunerløkka' differs from the reference "
                       "name 'Grünerløkka' for 030102 in 2018");
    r.unit_name = "Gr\xfcnerl\xf8kka"; /* Latin-1 bytes, not UTF-8 */
    normalize_report(&r, U, NOW, &n);
    CHECK_ONLY_PROBLEM(&n, PROBLEM_WARNING, "",
                       "unit name 'Gr\\xFCnerl\\xF8kka' differs from the "
                       "reference name 'Grünerløkka' for 030102 in 2018");
}

static void test_population(void)
{
    struct raw_report r = v2_report();
    struct norm_report n;

    r.population = NULL;
    normalize_report(&r, U, NOW, &n);
    CHECK_INT(n.ok, 1);
    CHECK_INT(n.population, -1);
    CHECK_STR(n.size_class, NULL);
    CHECK_ONLY_PROBLEM(&n, PROBLEM_WARNING, "innbyggere",
                       "no population (innbyggere): no size class");

    struct raw_report r1 = v1_report();
    r1.population = NULL;
    normalize_report(&r1, U, NOW, &n);
    CHECK_NO_PROBLEMS(&n);
    CHECK_INT(n.population, -1);
    CHECK_STR(n.size_class, NULL);
    r1.population = " ";
    normalize_report(&r1, U, NOW, &n);
    CHECK_NO_PROBLEMS(&n);

    static const struct {
        const char *given, *reason;
    } bad[] = {
        { "abc", "malformed population 'abc'" },
        { "-5", "malformed population '-5'" },
        { "+5", "malformed population '+5'" },
        { "1 234", "malformed population '1 234'" },
        { "193501,0", "malformed population '193501,0'" },
        { "0x10", "malformed population '0x10'" },
        { "0", "population '0' is out of range (1–9999999)" },
        { "10000000", "population '10000000' is out of range (1–9999999)" },
        { "99999999999999999999999",
          "population '99999999999999999999999' is out of range "
          "(1–9999999)" },
    };
    for (size_t i = 0; i < COUNT(bad); i++) {
        r.population = bad[i].given;
        normalize_report(&r, U, NOW, &n);
        CHECK_INT(n.ok, 1);
        CHECK_INT(n.population, -1);
        CHECK_STR(n.size_class, NULL);
        CHECK_ONLY_PROBLEM(&n, PROBLEM_ANSWER, "innbyggere", bad[i].reason);
        CHECK_INT(normalize_worst(&n), PROBLEM_ANSWER);
    }

    r.population = " 9999999 ";
    normalize_report(&r, U, NOW, &n);
    CHECK_NO_PROBLEMS(&n);
    CHECK_INT(n.population, 9999999);
    r.population = "0190464";
    normalize_report(&r, U, NOW, &n);
    CHECK_INT(n.population, 190464);

    /* Quoted values are cut to 60 characters and escaped. */
    r.population = "12345678901234567890123456789012345678901234567890123\n"
                   "567890123456789";
    normalize_report(&r, U, NOW, &n);
    CHECK_ONLY_PROBLEM(&n, PROBLEM_ANSWER, "innbyggere",
                       "malformed population '12345678901234567890123456789"
                       "012345678901234567890123\\n567890…'");
    r.population = "ab\x01\tc";
    normalize_report(&r, U, NOW, &n);
    CHECK_ONLY_PROBLEM(&n, PROBLEM_ANSWER, "innbyggere",
                       "malformed population 'ab\\x01\\tc'");
}

/* A value in a reason shows every character it has (printable.h): what
 * is invisible or reorders the line is escaped, so that a reason cannot
 * read as something else ("unknown label 'J\u200Ba'", not 'Ja'). */
static void test_reasons_escaped(void)
{
    static const struct {
        const char *label, *reason;
    } cases[] = {
        { "J\xe2\x80\x8b" "a", "unknown label 'J\\u200Ba'" },
        { "J\xe2\x80\x8c" "a", "unknown label 'J\\u200Ca'" },
        { "J\xe2\x80\x8d" "a", "unknown label 'J\\u200Da'" },
        { "J\xe2\x81\xa0" "a", "unknown label 'J\\u2060a'" },
        { "\xef\xbb\xbf" "Ja", "unknown label '\\uFEFFJa'" },
        { "J\xc2\xad" "a", "unknown label 'J\\u00ADa'" },
        { "J\xd8\x9c" "a", "unknown label 'J\\u061Ca'" },
        { "J\xf3\xa0\x81\x81" "a", "unknown label 'J\\U000E0041a'" },
        { "\xe2\x80\xae" "aJ", "unknown label '\\u202EaJ'" },
        { "J\xe2\x81\xa6" "a", "unknown label 'J\\u2066a'" },
        { "J\xc2\x9b" "a", "unknown label 'J\\u009Ba'" },
        { "J\x1b[2Ja", "unknown label 'J\\x1B[2Ja'" },
        { "J\\a", "unknown label 'J\\\\a'" },
        { "J\xff" "a", "unknown label 'J\\xFFa'" },
    };
    struct raw_report r = v2_report();
    struct norm_report n;
    for (size_t i = 0; i < COUNT(cases); i++) {
        const struct raw_answer a[] = {
            SVAR("ARB_NAV_SAMARBEID", NULL, cases[i].label) };
        r.answers = a;
        r.n_answers = COUNT(a);
        normalize_report(&r, U, NOW, &n);
        CHECK_INT(n.ok, 1);
        CHECK_INT(n.nav_collab, YN_NONE);
        CHECK_ONLY_PROBLEM(&n, PROBLEM_ANSWER, "ARB_NAV_SAMARBEID",
                           cases[i].reason);
    }
    /* 60 characters of 10 bytes each escaped: the quote stops where its
     * buffer (400 bytes) is full, between two escapes, with "…" */
    char many[60 * 4 + 1] = "";
    for (int i = 0; i < 60; i++)
        strcat(many, "\xf3\xa0\x81\x81"); /* U+E0041 */
    const struct raw_answer a[] = { SVAR("ARB_NAV_SAMARBEID", NULL, many) };
    r.answers = a;
    r.n_answers = 1;
    normalize_report(&r, U, NOW, &n);
    CHECK_INT(n.n_problems, 1);
    char want[512] = "unknown label '";
    for (int i = 0; i < 39; i++)
        strcat(want, "\\U000E0041");
    strcat(want, "\xe2\x80\xa6'");
    CHECK_STR(n.n_problems ? n.problems[0].reason : "", want);
}

static void test_size_class(void)
{
    static const struct {
        const char *population, *size_class;
    } cases[] = {
        { "1", "<2000" }, { "1999", "<2000" }, { "2000", "2000-4999" },
        { "4999", "2000-4999" }, { "5000", "5000-9999" },
        { "9999", "5000-9999" }, { "10000", "10000-19999" },
        { "19999", "10000-19999" }, { "20000", "20000-49999" },
        { "49999", "20000-49999" }, { "50000", "50000+" },
        { "9999999", "50000+" } };
    struct raw_report r = v2_report();
    struct norm_report n;
    for (size_t i = 0; i < COUNT(cases); i++) {
        r.population = cases[i].population;
        normalize_report(&r, U, NOW, &n);
        CHECK_STR(n.size_class, cases[i].size_class);
    }
    /* A district is an Oslo district whatever its population. */
    r.unit_type = "bydel";
    r.unit_code = "030101";
    r.unit_name = NULL;
    r.population = "1999";
    normalize_report(&r, U, NOW, &n);
    CHECK_STR(n.size_class, "Oslo bydel");
    r.population = "60000";
    normalize_report(&r, U, NOW, &n);
    CHECK_STR(n.size_class, "Oslo bydel");
}

static void test_submitted(void)
{
    struct raw_report r = v2_report();
    struct norm_report n;

    r.submitted = NULL;
    normalize_report(&r, U, NOW, &n);
    CHECK_INT(n.ok, 0);
    CHECK_ONLY_PROBLEM(&n, PROBLEM_REPORT, "", "missing submission time");
    r.submitted = "";
    normalize_report(&r, U, NOW, &n);
    CHECK_ONLY_PROBLEM(&n, PROBLEM_REPORT, "", "missing submission time");
    r.submitted = "2019-02-30T10:03:00+01:00";
    normalize_report(&r, U, NOW, &n);
    CHECK_INT(n.ok, 0);
    CHECK_ONLY_PROBLEM(&n, PROBLEM_REPORT, "",
                       "malformed submission time '2019-02-30T10:03:00+01:00'");
    r.submitted = "11.02.2019";
    normalize_report(&r, U, NOW, &n);
    CHECK_ONLY_PROBLEM(&n, PROBLEM_REPORT, "",
                       "malformed submission time '11.02.2019'");
    r.submitted = "2019-02-11T10:03:00";
    normalize_report(&r, U, NOW, &n);
    CHECK_INT(n.ok, 0);
    CHECK_ONLY_PROBLEM(&n, PROBLEM_REPORT, "",
                       "submission time '2019-02-11T10:03:00' has no UTC "
                       "offset");

    struct raw_report r1 = v1_report();
    r1.year = "2015";
    r1.unit_name = NULL;
    r1.submitted = "2016-03-27T02:30:00";
    normalize_report(&r1, U, NOW, &n);
    CHECK_INT(n.ok, 0);
    CHECK_ONLY_PROBLEM(&n, PROBLEM_REPORT, "",
                       "submission time '2016-03-27T02:30:00' does not exist "
                       "in Norwegian time (clocks went forward)");
    r1.submitted = "2017-10-29T02:30:00";
    normalize_report(&r1, U, NOW, &n);
    CHECK_INT(n.ok, 1);
    CHECK_ONLY_PROBLEM(&n, PROBLEM_WARNING, "",
                       "submission time '2017-10-29T02:30:00' occurs twice in "
                       "Norwegian time; read as summer time (+02:00)");
    CHECK_STR(when(&n), "2017-10-29 00:30:00+00");
    r1.submitted = "2018-03-01T14:05:00+01:00";
    normalize_report(&r1, U, NOW, &n);
    CHECK_ONLY_PROBLEM(&n, PROBLEM_REPORT, "",
                       "malformed submission time '2018-03-01T14:05:00+01:00'");
    r1.submitted = "  2017-06-01T12:00:00  ";
    normalize_report(&r1, U, NOW, &n);
    CHECK_NO_PROBLEMS(&n);
    CHECK_STR(when(&n), "2017-06-01 10:00:00+00");
}

/*
 * A submission time that cannot be true (issue 11): before the reporting
 * year began (00:00 on 1 January, Norwegian time), more than a day after
 * the run, or outside the years 0001-9999 in UTC.  One case a line: the
 * version, reporting year, submission time and time of the run, and the
 * reason the report is set aside for, or NULL when it loads.
 */
static void test_submitted_plausible(void)
{
    const int64_t later = NOW + INT64_C(500) * INSTANT_US_PER_DAY;
    const struct {
        int version, year;
        const char *submitted;
        int64_t now;
        const char *reason;
    } cases[] = {
        { 2, 2019, "2019-06-30T12:00:00+02:00", NOW, NULL },
        { 2, 2019, "2019-01-01T00:00:00+01:00", NOW, NULL },
        { 2, 2019, "2018-12-31T23:00:00Z", NOW, NULL },
        { 2, 2019, "2018-12-31T23:59:59+01:00", NOW,
          "submission time '2018-12-31T23:59:59+01:00' is before the "
          "reporting year 2019 began (2019-01-01 00:00 Norwegian time)" },
        { 2, 2019, "2018-12-31T22:59:59.999999Z", NOW,
          "submission time '2018-12-31T22:59:59.999999Z' is before the "
          "reporting year 2019 began (2019-01-01 00:00 Norwegian time)" },
        { 2, 2019, "2010-03-01T12:00:00+01:00", NOW,
          "submission time '2010-03-01T12:00:00+01:00' is before the "
          "reporting year 2019 began (2019-01-01 00:00 Norwegian time)" },
        { 2, 2019, "0001-01-01T00:00:00Z", NOW,
          "submission time '0001-01-01T00:00:00Z' is before the reporting "
          "year 2019 began (2019-01-01 00:00 Norwegian time)" },
        { 2, 2019, "0001-01-01T00:00:00+01:00", NOW,
          "submission time '0001-01-01T00:00:00+01:00' is out of range "
          "(years 0001–9999 in UTC)" },
        { 2, 2019, "9999-12-31T23:59:59-12:00", NOW,
          "submission time '9999-12-31T23:59:59-12:00' is out of range "
          "(years 0001–9999 in UTC)" },
        { 2, 2019, "9999-12-31T23:59:59Z", NOW,
          "submission time '9999-12-31T23:59:59Z' is more than a day in the "
          "future (later than 2026-03-02T12:00:00Z)" },
        { 2, 2025, "2026-03-01T12:00:00Z", NOW, NULL },
        { 2, 2025, "2026-03-02T12:00:00Z", NOW, NULL },
        { 2, 2025, "2026-03-02T13:00:00+01:00", NOW, NULL },
        { 2, 2025, "2026-03-02T12:00:00.000001Z", NOW,
          "submission time '2026-03-02T12:00:00.000001Z' is more than a day "
          "in the future (later than 2026-03-02T12:00:00Z)" },
        { 2, 2025, "2027-01-15T10:00:00+01:00", NOW,
          "submission time '2027-01-15T10:00:00+01:00' is more than a day in "
          "the future (later than 2026-03-02T12:00:00Z)" },
        { 2, 2025, "2027-01-15T10:00:00+01:00", later, NULL },
        { 1, 2017, "2017-01-01T00:00:00", NOW, NULL },
        { 1, 2017, "2016-12-31T23:59:59", NOW,
          "submission time '2016-12-31T23:59:59' is before the reporting "
          "year 2017 began (2017-01-01 00:00 Norwegian time)" },
        { 1, 2017, "0001-01-01T00:30:00", NOW,
          "submission time '0001-01-01T00:30:00' is out of range (years "
          "0001–9999 in UTC)" },
        { 1, 2017, "9999-12-31T23:59:59", NOW,
          "submission time '9999-12-31T23:59:59' is more than a day in the "
          "future (later than 2026-03-02T12:00:00Z)" },
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        struct raw_report r = cases[i].version == 1 ? v1_report()
                                                    : v2_report();
        char year[8];
        snprintf(year, sizeof year, "%d", cases[i].year);
        r.year = year;
        r.unit_name = NULL;
        r.submitted = cases[i].submitted;
        struct norm_report n;
        normalize_report(&r, U, cases[i].now, &n);
        if (!cases[i].reason) {
            CHECK_NO_PROBLEMS(&n);
            CHECK_INT(n.ok, 1);
        } else {
            CHECK_ONLY_PROBLEM(&n, PROBLEM_REPORT, "", cases[i].reason);
            CHECK_INT(n.ok, 0);
        }
        if ((n.n_problems != 0) != (cases[i].reason != NULL))
            fprintf(stderr, "    case %zu: %s\n", i, cases[i].submitted);
    }

    /* Without a reporting year only the future is known to be wrong. */
    struct raw_report r = v2_report();
    struct norm_report n;
    r.year = "20x9";
    r.submitted = "2010-03-01T12:00:00+01:00";
    normalize_report(&r, U, NOW, &n);
    CHECK_ONLY_PROBLEM(&n, PROBLEM_REPORT, "",
                       "malformed reporting year '20x9'");
    r.submitted = "2099-03-01T12:00:00+01:00";
    normalize_report(&r, U, NOW, &n);
    CHECK_INT(n.n_problems, 2);
    CHECK_PROBLEM(&n, PROBLEM_REPORT, "",
                  "submission time '2099-03-01T12:00:00+01:00' is more than a "
                  "day in the future (later than 2026-03-02T12:00:00Z)");
    /* A time read as summer time where it is ambiguous, and implausible:
     * the warning and the reason */
    struct raw_report r1 = v1_report();
    r1.submitted = "2016-10-30T02:30:00";
    normalize_report(&r1, U, NOW, &n);
    CHECK_INT(n.ok, 0);
    CHECK_INT(n.n_problems, 2);
    CHECK_PROBLEM(&n, PROBLEM_REPORT, "",
                  "submission time '2016-10-30T02:30:00' is before the "
                  "reporting year 2017 began (2017-01-01 00:00 Norwegian "
                  "time)");
}

/* --- answers --------------------------------------------------------------- */

static void test_answers_v1(void)
{
    struct raw_report r = v1_report();
    struct norm_report n;

    static const struct raw_answer unknown[] = {
        V1("7.1", "3"), V1("7.1.1", "1"), V1("7.2", "7"), V1("7.3", "01"),
        V1("7.4", "Ja") };
    r.answers = unknown;
    r.n_answers = COUNT(unknown);
    normalize_report(&r, U, NOW, &n);
    CHECK_INT(n.ok, 1);
    CHECK_INT(n.n_problems, 4);
    CHECK_PROBLEM(&n, PROBLEM_ANSWER, "7.1",
                  "unknown code '3' for nav_collab (version 1 codes: 1, 2, 9)");
    CHECK_PROBLEM(&n, PROBLEM_ANSWER, "7.2",
                  "unknown code '7' for nav_rating (version 1 codes: 1–5, 9)");
    CHECK_PROBLEM(&n, PROBLEM_ANSWER, "7.3",
                  "unknown code '01' for ips_se_mental_health (version 1 "
                  "codes: 1, 2, 9)");
    CHECK_PROBLEM(&n, PROBLEM_ANSWER, "7.4",
                  "unknown code 'Ja' for ips_se_substance (version 1 codes: "
                  "1, 2, 9)");
    CHECK_INT(n.nav_collab, YN_NONE);
    CHECK_INT(n.nav_collab_specialist, YN_YES);
    CHECK_INT(n.nav_rating, RATING_NONE);
    CHECK_INT(n.ips_se_mental_health, YN_NONE);
    CHECK_INT(n.ips_se_substance, YN_NONE);
    /* In document order. */
    CHECK_STR(n.problems[0].question, "7.1");
    CHECK_STR(n.problems[3].question, "7.4");

    /* Empty or missing means not answered; white space around a code is
     * fine; an empty duplicate does not count. */
    static const struct raw_answer empty[] = {
        V1("7.1", NULL), V1("7.1", " 2 "), V1("7.2", "  "), V1("7.3", "\n9\n"),
        V1("7.9", "1"), V1("3.1", "412,5"), { NULL, NULL, NULL, "1", -1, 0 } };
    r.answers = empty;
    r.n_answers = COUNT(empty);
    normalize_report(&r, U, NOW, &n);
    CHECK_NO_PROBLEMS(&n);
    CHECK_INT(n.nav_collab, YN_NO);
    CHECK_INT(n.nav_rating, RATING_NONE);
    CHECK_INT(n.ips_se_mental_health, YN_DONT_KNOW);
    CHECK_INT(n.ips_mental_health, TRI_NULL);
    CHECK_INT(n.ips_se_substance, YN_NONE);

    static const struct raw_answer twice[] = {
        V1("7.2", "1"), V1("7.1", "1"), V1("7.2", "1") };
    r.answers = twice;
    r.n_answers = COUNT(twice);
    normalize_report(&r, U, NOW, &n);
    CHECK_INT(n.ok, 1);
    CHECK_ONLY_PROBLEM(&n, PROBLEM_ANSWER, "7.2", "answered twice");
    CHECK_INT(n.nav_rating, RATING_NONE);
    CHECK_INT(n.nav_collab, YN_YES);

    /* 2015: 7.1.1, 7.3 and 7.4 are not on the form. */
    static const struct raw_answer y2015[] = {
        V1("7.1", "1"), V1("7.1.1", "1"), V1("7.2", "2"), V1("7.3", "1"),
        V1("7.4", "2") };
    r.year = "2015";
    r.submitted = "2016-02-01T10:00:00";
    r.answers = y2015;
    r.n_answers = COUNT(y2015);
    normalize_report(&r, U, NOW, &n);
    CHECK_INT(n.ok, 1);
    CHECK_INT(n.n_problems, 3);
    CHECK_PROBLEM(&n, PROBLEM_WARNING, "7.1.1",
                  "question 7.1.1 is not on the 2015 form; answer ignored");
    CHECK_PROBLEM(&n, PROBLEM_WARNING, "7.3",
                  "question 7.3 is not on the 2015 form; answer ignored");
    CHECK_PROBLEM(&n, PROBLEM_WARNING, "7.4",
                  "question 7.4 is not on the 2015 form; answer ignored");
    CHECK_INT(n.nav_collab, YN_YES);
    CHECK_INT(n.nav_collab_specialist, YN_NONE);
    CHECK_INT(n.nav_rating, RATING_GOOD);
    CHECK_INT(n.ips_se_mental_health, YN_NONE);
    CHECK_INT(n.ips_se_substance, YN_NONE);

    /* Every yes/no code. */
    static const char *codes[] = { "1", "2", "9" };
    static const enum yesno want[] = { YN_YES, YN_NO, YN_DONT_KNOW };
    r = v1_report();
    for (size_t i = 0; i < COUNT(codes); i++) {
        struct raw_answer a[] = { V1("7.1", codes[i]), V1("7.1.1", codes[i]),
                                  V1("7.3", codes[i]), V1("7.4", codes[i]) };
        r.answers = a;
        r.n_answers = COUNT(a);
        normalize_report(&r, U, NOW, &n);
        CHECK_INT(n.n_problems, 0);
        CHECK_INT(n.nav_collab, want[i]);
        CHECK_INT(n.nav_collab_specialist, want[i]);
        CHECK_INT(n.ips_se_mental_health, want[i]);
        CHECK_INT(n.ips_se_substance, want[i]);
        CHECK_INT(n.ips_substance, TRI_NULL);
        CHECK_INT(n.se_substance, TRI_NULL);
    }

    /* The specialist answer is kept as given after "no". */
    static const struct raw_answer after_no[] = {
        V1("7.1", "2"), V1("7.1.1", "1") };
    r.answers = after_no;
    r.n_answers = COUNT(after_no);
    normalize_report(&r, U, NOW, &n);
    CHECK_NO_PROBLEMS(&n);
    CHECK_INT(n.nav_collab, YN_NO);
    CHECK_INT(n.nav_collab_specialist, YN_YES);
}

static void test_svar_v2(void)
{
    struct raw_report r = v2_report();
    struct norm_report n;

    static const struct raw_answer disagree[] = {
        SVAR("ARB_NAV_SAMARBEID", "1", "Nei"),
        SVAR("ARB_NAV_SAMARBEID_SPES", "2", "Kanskje"),
        SVAR("ARB_NAV_SAMHANDLING", "7", "God") };
    r.answers = disagree;
    r.n_answers = COUNT(disagree);
    normalize_report(&r, U, NOW, &n);
    CHECK_INT(n.ok, 1);
    CHECK_INT(n.n_problems, 3);
    CHECK_PROBLEM(&n, PROBLEM_ANSWER, "ARB_NAV_SAMARBEID",
                  "code '1' (yes) disagrees with label 'Nei' (no)");
    CHECK_PROBLEM(&n, PROBLEM_ANSWER, "ARB_NAV_SAMARBEID_SPES",
                  "unknown label 'Kanskje'");
    CHECK_PROBLEM(&n, PROBLEM_ANSWER, "ARB_NAV_SAMHANDLING",
                  "unknown code '7' for nav_rating (version 2 codes: 0–5)");
    CHECK_INT(n.nav_collab, YN_NONE);
    CHECK_INT(n.nav_collab_specialist, YN_NONE);
    CHECK_INT(n.nav_rating, RATING_NONE);

    static const struct raw_answer more[] = {
        SVAR("ARB_NAV_SAMARBEID", "01", NULL),
        SVAR("ARB_NAV_SAMARBEID_SPES", NULL, "Kanskje"),
        SVAR("ARB_NAV_SAMHANDLING", "5", "Dårlig") };
    r.answers = more;
    r.n_answers = COUNT(more);
    normalize_report(&r, U, NOW, &n);
    CHECK_INT(n.n_problems, 3);
    CHECK_PROBLEM(&n, PROBLEM_ANSWER, "ARB_NAV_SAMARBEID",
                  "unknown code '01' for nav_collab (version 2 codes: 1, 2, "
                  "3)");
    CHECK_PROBLEM(&n, PROBLEM_ANSWER, "ARB_NAV_SAMARBEID_SPES",
                  "unknown label 'Kanskje'");
    CHECK_PROBLEM(&n, PROBLEM_ANSWER, "ARB_NAV_SAMHANDLING",
                  "code '5' (very good) disagrees with label 'Dårlig' (bad)");

    /* Code and label agreeing however the label is written. */
    static const struct raw_answer agree[] = {
        SVAR("ARB_NAV_SAMARBEID", " 3 ", "  VET   ikke "),
        SVAR("ARB_NAV_SAMARBEID_SPES", NULL, "nei"),
        SVAR("ARB_NAV_SAMHANDLING", "3", "verken god eller da\xcc\x8arlig"),
        SVAR("ARB_IPS_SE_PSYK", NULL, NULL),
        SVAR("ARB_IPS_SE_RUS", "", NULL),
        { "21", NULL, "1", "Ja", -1, 0 }, /* no sporsmal: ignored */
        SVAR("ARB_ANNET", "9", "Kanskje") };
    r.answers = agree;
    r.n_answers = COUNT(agree);
    normalize_report(&r, U, NOW, &n);
    CHECK_NO_PROBLEMS(&n);
    CHECK_INT(n.nav_collab, YN_DONT_KNOW);
    CHECK_INT(n.nav_collab_specialist, YN_NO);
    CHECK_INT(n.nav_rating, RATING_NEITHER);
    CHECK_INT(n.ips_se_mental_health, YN_NONE);
    CHECK_INT(n.ips_se_substance, YN_NONE);

    /* Every code of version 2. */
    static const char *yn[] = { "1", "2", "3" };
    static const char *yn_label[] = { "Ja", "Nei", "Vet ikke" };
    static const enum yesno yn_want[] = { YN_YES, YN_NO, YN_DONT_KNOW };
    for (size_t i = 0; i < COUNT(yn); i++) {
        struct raw_answer a[] = {
            SVAR("ARB_NAV_SAMARBEID", yn[i], yn_label[i]),
            SVAR("ARB_NAV_SAMARBEID_SPES", yn[i], NULL) };
        r.answers = a;
        r.n_answers = COUNT(a);
        normalize_report(&r, U, NOW, &n);
        CHECK_INT(n.n_problems, 0);
        CHECK_INT(n.nav_collab, yn_want[i]);
        CHECK_INT(n.nav_collab_specialist, yn_want[i]);
    }
    static const char *rating_label[] = { "Svært god", "God",
                                          "Verken god eller dårlig",
                                          "Mindre god", "Dårlig", "Vet ikke" };
    static const char *rating_code[] = { "5", "4", "3", "2", "1", "0" };
    for (size_t i = 0; i < COUNT(rating_code); i++) {
        struct raw_answer a[] = {
            SVAR("ARB_NAV_SAMHANDLING", rating_code[i], rating_label[i]) };
        r.answers = a;
        r.n_answers = 1;
        normalize_report(&r, U, NOW, &n);
        CHECK_INT(n.n_problems, 0);
        CHECK_INT(n.nav_rating, (int)i + 1);
    }

    /* The same question twice: set aside, however the two agree. */
    static const struct raw_answer twice[] = {
        SVAR("ARB_NAV_SAMARBEID", "1", "Ja"),
        SVAR("ARB_NAV_SAMHANDLING", "4", NULL),
        SVAR("ARB_NAV_SAMARBEID", "1", "Ja"),
        SVAR("ARB_NAV_SAMARBEID", NULL, NULL) };
    r.answers = twice;
    r.n_answers = COUNT(twice);
    normalize_report(&r, U, NOW, &n);
    CHECK_INT(n.ok, 1);
    CHECK_ONLY_PROBLEM(&n, PROBLEM_ANSWER, "ARB_NAV_SAMARBEID",
                       "answered twice");
    CHECK_INT(n.nav_collab, YN_NONE);
    CHECK_INT(n.nav_rating, RATING_GOOD);

    /* Valg under a yes/no question. */
    static const struct raw_answer valg[] = {
        SVAR("ARB_NAV_SAMARBEID", NULL, NULL),
        VALG("ARB_NAV_SAMARBEID", "1", NULL, 0) };
    r.answers = valg;
    r.n_answers = COUNT(valg);
    normalize_report(&r, U, NOW, &n);
    CHECK_ONLY_PROBLEM(&n, PROBLEM_ANSWER, "ARB_NAV_SAMARBEID",
                       "unexpected Valg elements");
    CHECK_INT(n.nav_collab, YN_NONE);
}

/* One ARB_IPS_SE_PSYK answer with the given Valg (code, label pairs). */
static void ipsse(struct norm_report *n, const char *svar_code,
                  const char *const *valg, size_t nvalg)
{
    struct raw_answer a[8] = { SVAR("ARB_IPS_SE_PSYK", svar_code, NULL) };
    for (size_t i = 0; i < nvalg && i < 7; i++)
        a[i + 1] = (struct raw_answer)VALG("ARB_IPS_SE_PSYK", valg[2 * i],
                                           valg[2 * i + 1], 0);
    struct raw_report r = v2_report();
    r.answers = a;
    r.n_answers = nvalg + 1;
    normalize_report(&r, U, NOW, n);
}

#define IPSSE(n, code, ...)                                                    \
    do {                                                                       \
        static const char *const v_[] = { __VA_ARGS__ };                       \
        ipsse(n, code, v_, COUNT(v_) / 2);                                     \
    } while (0)

static void test_choices_v2(void)
{
    struct norm_report n;

    IPSSE(&n, NULL, "IPS", NULL);
    CHECK_NO_PROBLEMS(&n);
    CHECK_INT(n.ips_se_mental_health, YN_YES);
    CHECK_INT(n.ips_mental_health, TRI_TRUE);
    CHECK_INT(n.se_mental_health, TRI_FALSE);

    IPSSE(&n, NULL, NULL, "Supported employment (SE)");
    CHECK_NO_PROBLEMS(&n);
    CHECK_INT(n.ips_se_mental_health, YN_YES);
    CHECK_INT(n.ips_mental_health, TRI_FALSE);
    CHECK_INT(n.se_mental_health, TRI_TRUE);

    IPSSE(&n, NULL, "SE", "supported  EMPLOYMENT (se)", NULL,
          " Individuell jobbstøtte (IPS)");
    CHECK_NO_PROBLEMS(&n);
    CHECK_INT(n.ips_se_mental_health, YN_YES);
    CHECK_INT(n.ips_mental_health, TRI_TRUE);
    CHECK_INT(n.se_mental_health, TRI_TRUE);

    IPSSE(&n, NULL, "IPS", NULL, "IPS", "Individuell jobbstøtte (IPS)");
    CHECK_NO_PROBLEMS(&n); /* the same choice twice is one choice */
    CHECK_INT(n.ips_mental_health, TRI_TRUE);
    CHECK_INT(n.se_mental_health, TRI_FALSE);

    IPSSE(&n, NULL, "INGEN", "Ingen av disse");
    CHECK_NO_PROBLEMS(&n);
    CHECK_INT(n.ips_se_mental_health, YN_NO);
    CHECK_INT(n.ips_mental_health, TRI_FALSE);
    CHECK_INT(n.se_mental_health, TRI_FALSE);

    IPSSE(&n, NULL, "VETIKKE", NULL);
    CHECK_NO_PROBLEMS(&n);
    CHECK_INT(n.ips_se_mental_health, YN_DONT_KNOW);
    CHECK_INT(n.ips_mental_health, TRI_NULL);
    CHECK_INT(n.se_mental_health, TRI_NULL);

    /* Only empty Valg: not answered. */
    IPSSE(&n, NULL, NULL, NULL, " ", NULL);
    CHECK_NO_PROBLEMS(&n);
    CHECK_INT(n.ips_se_mental_health, YN_NONE);

    IPSSE(&n, NULL, "INGEN", NULL, "IPS", NULL);
    CHECK_INT(n.ok, 1);
    CHECK_ONLY_PROBLEM(&n, PROBLEM_ANSWER, "ARB_IPS_SE_PSYK",
                       "'INGEN' (none) cannot be combined with 'IPS'");
    CHECK_INT(n.ips_se_mental_health, YN_NONE);
    CHECK_INT(n.ips_mental_health, TRI_NULL);
    CHECK_INT(n.se_mental_health, TRI_NULL);
    IPSSE(&n, NULL, "SE", NULL, NULL, "Ingen av disse");
    CHECK_ONLY_PROBLEM(&n, PROBLEM_ANSWER, "ARB_IPS_SE_PSYK",
                       "'INGEN' (none) cannot be combined with 'SE'");
    IPSSE(&n, NULL, "VETIKKE", NULL, "SE", NULL);
    CHECK_ONLY_PROBLEM(&n, PROBLEM_ANSWER, "ARB_IPS_SE_PSYK",
                       "'VETIKKE' (don't know) cannot be combined with 'SE'");
    IPSSE(&n, NULL, NULL, "Vet ikke", "IPS", NULL);
    CHECK_ONLY_PROBLEM(&n, PROBLEM_ANSWER, "ARB_IPS_SE_PSYK",
                       "'VETIKKE' (don't know) cannot be combined with 'IPS'");
    IPSSE(&n, NULL, "INGEN", NULL, "VETIKKE", NULL);
    CHECK_ONLY_PROBLEM(&n, PROBLEM_ANSWER, "ARB_IPS_SE_PSYK",
                       "'INGEN' (none) cannot be combined with 'VETIKKE'");
    CHECK_INT(n.ips_se_mental_health, YN_NONE);

    IPSSE(&n, NULL, "IPS", NULL, "FOO", NULL);
    CHECK_ONLY_PROBLEM(&n, PROBLEM_ANSWER, "ARB_IPS_SE_PSYK",
                       "unknown code 'FOO' for ips_se_mental_health (codes: "
                       "IPS, SE, INGEN, VETIKKE)");
    CHECK_INT(n.ips_se_mental_health, YN_NONE);
    IPSSE(&n, NULL, "ips", NULL);
    CHECK_ONLY_PROBLEM(&n, PROBLEM_ANSWER, "ARB_IPS_SE_PSYK",
                       "unknown code 'ips' for ips_se_mental_health (codes: "
                       "IPS, SE, INGEN, VETIKKE)");
    IPSSE(&n, NULL, NULL, "Kanskje");
    CHECK_ONLY_PROBLEM(&n, PROBLEM_ANSWER, "ARB_IPS_SE_PSYK",
                       "unknown label 'Kanskje'");
    IPSSE(&n, NULL, "IPS", "Ingen av disse");
    CHECK_ONLY_PROBLEM(&n, PROBLEM_ANSWER, "ARB_IPS_SE_PSYK",
                       "code 'IPS' disagrees with label 'Ingen av disse' "
                       "(INGEN)");
    CHECK_INT(n.ips_se_mental_health, YN_NONE);

    /* A Svar with a code but no Valg. */
    struct raw_report r = v2_report();
    static const struct raw_answer no_valg[] = {
        SVAR("ARB_IPS_SE_PSYK", "IPS", NULL),
        SVAR("ARB_IPS_SE_RUS", NULL, "Ja") };
    r.answers = no_valg;
    r.n_answers = COUNT(no_valg);
    normalize_report(&r, U, NOW, &n);
    CHECK_INT(n.n_problems, 2);
    CHECK_PROBLEM(&n, PROBLEM_ANSWER, "ARB_IPS_SE_PSYK",
                  "expected Valg elements");
    CHECK_PROBLEM(&n, PROBLEM_ANSWER, "ARB_IPS_SE_RUS",
                  "expected Valg elements");
    CHECK_INT(n.ips_se_mental_health, YN_NONE);
    CHECK_INT(n.ips_se_substance, YN_NONE);

    /* A code beside Valg elements: the Valg count, with a warning. */
    IPSSE(&n, "1", "SE", NULL);
    CHECK_ONLY_PROBLEM(&n, PROBLEM_WARNING, "ARB_IPS_SE_PSYK",
                       "code '1' on the Svar itself is ignored; its Valg "
                       "elements count");
    CHECK_INT(n.ips_se_mental_health, YN_YES);
    CHECK_INT(n.se_mental_health, TRI_TRUE);

    /* Two Svar for one question, each with Valg. */
    static const struct raw_answer twice[] = {
        SVAR("ARB_IPS_SE_RUS", NULL, NULL),
        VALG("ARB_IPS_SE_RUS", "IPS", NULL, 0),
        SVAR("ARB_IPS_SE_RUS", NULL, NULL),
        VALG("ARB_IPS_SE_RUS", "SE", NULL, 2) };
    r.answers = twice;
    r.n_answers = COUNT(twice);
    normalize_report(&r, U, NOW, &n);
    CHECK_ONLY_PROBLEM(&n, PROBLEM_ANSWER, "ARB_IPS_SE_RUS", "answered twice");
    CHECK_INT(n.ips_se_substance, YN_NONE);
    CHECK_INT(n.ips_substance, TRI_NULL);
    CHECK_INT(n.se_substance, TRI_NULL);
}

static void test_not_asked_v2(void)
{
    /* Version 2 starts in 2018, when every question is on the form; a
     * version 2 report for 2015 is set aside, and its answers to questions
     * not asked then are still warned about and ignored. */
    static const struct raw_answer a[] = {
        SVAR("ARB_NAV_SAMARBEID", "1", NULL),
        SVAR("ARB_NAV_SAMARBEID_SPES", "1", NULL) };
    struct raw_report r = v2_report();
    r.year = "2015";
    r.unit_code = "1601";
    r.answers = a;
    r.n_answers = COUNT(a);
    struct norm_report n;
    normalize_report(&r, U, NOW, &n);
    CHECK_INT(n.ok, 0);
    CHECK_INT(n.n_problems, 2);
    CHECK_PROBLEM(&n, PROBLEM_REPORT, "",
                  "version 2 report for 2015 (version 2 starts in 2018)");
    CHECK_PROBLEM(&n, PROBLEM_WARNING, "ARB_NAV_SAMARBEID_SPES",
                  "question ARB_NAV_SAMARBEID_SPES is not on the 2015 form; "
                  "answer ignored");
    CHECK_INT(n.nav_collab, YN_YES);
    CHECK_INT(n.nav_collab_specialist, YN_NONE);
}

static void test_many_problems(void)
{
    /* Everything wrong at once: all of it is listed, and the report is
     * set aside. */
    static const struct raw_answer a[] = {
        SVAR("ARB_NAV_SAMARBEID", "7", NULL),
        SVAR("ARB_NAV_SAMHANDLING", NULL, "Middels") };
    struct raw_report r = v2_report();
    r.fault = "two Innsending elements";
    r.year = "2016";
    r.unit_type = "fylke";
    r.unit_code = "0301";
    r.population = "many";
    r.submitted = "yesterday";
    r.answers = a;
    r.n_answers = COUNT(a);
    struct norm_report n;
    normalize_report(&r, U, NOW, &n);
    CHECK_INT(n.ok, 0);
    CHECK_INT(n.n_problems, 8);
    CHECK_INT(n.n_dropped, 0);
    CHECK_INT(normalize_worst(&n), PROBLEM_REPORT);
    CHECK_PROBLEM(&n, PROBLEM_REPORT, "", "two Innsending elements");
    CHECK_PROBLEM(&n, PROBLEM_REPORT, "",
                  "version 2 report for 2016 (version 2 starts in 2018)");
    CHECK_PROBLEM(&n, PROBLEM_REPORT, "", "unknown unit type 'fylke'");
    CHECK_PROBLEM(&n, PROBLEM_REPORT, "",
                  "0301 Oslo reports through its city districts "
                  "(030101–030117), not as a whole");
    CHECK_PROBLEM(&n, PROBLEM_ANSWER, "innbyggere",
                  "malformed population 'many'");
    CHECK_PROBLEM(&n, PROBLEM_REPORT, "",
                  "malformed submission time 'yesterday'");
    CHECK_PROBLEM(&n, PROBLEM_ANSWER, "ARB_NAV_SAMARBEID",
                  "unknown code '7' for nav_collab (version 2 codes: 1, 2, "
                  "3)");
    CHECK_PROBLEM(&n, PROBLEM_ANSWER, "ARB_NAV_SAMHANDLING",
                  "unknown label 'Middels'");
    CHECK_STR(n.problems[0].reason, "two Innsending elements");
}

/* --- digest ---------------------------------------------------------------- */

static void test_digest(void)
{
    static const struct raw_answer a[] = {
        SVAR("ARB_NAV_SAMARBEID", "1", "Ja"),
        SVAR("ARB_IPS_SE_PSYK", NULL, NULL),
        VALG("ARB_IPS_SE_PSYK", "IPS", NULL, 1) };
    /* The same content in other memory, read from another place. */
    static char year[] = "2018", code[] = "5001";
    static const struct raw_answer b[] = {
        { "21", "ARB_NAV_SAMARBEID", "1", "Ja", -1, 40 },
        { "21", "ARB_IPS_SE_PSYK", NULL, NULL, -1, 41 },
        { "21", "ARB_IPS_SE_PSYK", "IPS", NULL, 1, 42 } };
    struct raw_report r1 = v2_report(), r2 = v2_report();
    r1.answers = a;
    r1.n_answers = COUNT(a);
    r2.answers = b;
    r2.n_answers = COUNT(b);
    r2.year = year;
    r2.unit_code = code;
    r2.index = 7;
    r2.line = 99;
    struct norm_report n1, n2;
    normalize_report(&r1, U, NOW, &n1);
    normalize_report(&r2, U, NOW, &n2);
    CHECK(memcmp(n1.digest, n2.digest, 32) == 0);
    static const unsigned char zero[32];
    CHECK(memcmp(n1.digest, zero, 32) != 0);

    /* Any change gives another digest. */
    struct raw_answer c[3];
    memcpy(c, a, sizeof c);
    c[0].text = "ja";
    r2.answers = c;
    normalize_report(&r2, U, NOW, &n2);
    CHECK(memcmp(n1.digest, n2.digest, 32) != 0);

    memcpy(c, a, sizeof c);
    c[1].text = ""; /* "" is not NULL */
    normalize_report(&r2, U, NOW, &n2);
    CHECK(memcmp(n1.digest, n2.digest, 32) != 0);

    memcpy(c, a, sizeof c);
    c[2].parent = 0;
    normalize_report(&r2, U, NOW, &n2);
    CHECK(memcmp(n1.digest, n2.digest, 32) != 0);

    memcpy(c, a, sizeof c);
    c[0].chapter = NULL;
    normalize_report(&r2, U, NOW, &n2);
    CHECK(memcmp(n1.digest, n2.digest, 32) != 0);

    /* Moving text from one field to the next is a change. */
    memcpy(c, a, sizeof c);
    c[0].code = "1J";
    c[0].text = "a";
    normalize_report(&r2, U, NOW, &n2);
    CHECK(memcmp(n1.digest, n2.digest, 32) != 0);

    r2.answers = a;
    r2.n_answers = 2; /* one answer fewer */
    normalize_report(&r2, U, NOW, &n2);
    CHECK(memcmp(n1.digest, n2.digest, 32) != 0);
    r2.n_answers = 3;

    /* white space around a value is no content: the same report */
    r2.submitted = "2019-02-11T10:03:00+01:00 ";
    normalize_report(&r2, U, NOW, &n2);
    CHECK(memcmp(n1.digest, n2.digest, 32) == 0);
    r2.submitted = "2019-02-11T09:03:00.000Z"; /* the same instant */
    normalize_report(&r2, U, NOW, &n2);
    CHECK(memcmp(n1.digest, n2.digest, 32) == 0);
    CHECK_INT(n1.submitted_us, n2.submitted_us);
    r2.submitted = "2019-02-11T09:03:01Z"; /* another instant */
    normalize_report(&r2, U, NOW, &n2);
    CHECK(memcmp(n1.digest, n2.digest, 32) != 0);
    r2.submitted = r1.submitted;

    r2.submission_id = NULL;
    normalize_report(&r2, U, NOW, &n2);
    CHECK(memcmp(n1.digest, n2.digest, 32) != 0);
    r2.submission_id = r1.submission_id;

    r2.unit_name = "\n  Trondheim ";
    normalize_report(&r2, U, NOW, &n2);
    CHECK(memcmp(n1.digest, n2.digest, 32) == 0);
    r2.unit_name = "Trondhjem";
    normalize_report(&r2, U, NOW, &n2);
    CHECK(memcmp(n1.digest, n2.digest, 32) != 0);
    r2.unit_name = r1.unit_name;

    r2.population = "193502";
    normalize_report(&r2, U, NOW, &n2);
    CHECK(memcmp(n1.digest, n2.digest, 32) != 0);
    r2.population = r1.population;

    normalize_report(&r2, U, NOW, &n2);
    CHECK(memcmp(n1.digest, n2.digest, 32) == 0);
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
    test_example_v1();
    test_example_v2();
    test_example_county();
    test_rating_both_versions();
    test_fault();
    test_year();
    test_unit();
    test_unit_name();
    test_population();
    test_size_class();
    test_reasons_escaped();
    test_submitted();
    test_submitted_plausible();
    test_answers_v1();
    test_svar_v2();
    test_choices_v2();
    test_not_asked_v2();
    test_many_problems();
    test_digest();
    test_names();
    return check_done();
}
