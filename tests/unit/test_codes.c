/*
 * test_codes.c - the answer codes of both report versions, label matching
 * (§4: case, white space, Unicode normalization) and codes_fold().
 */
#include <stdlib.h>

#include "check.h"
#include "transform/codes.h"

static void test_questions(void)
{
    CHECK_INT(codes_question_v1("7.1")->key, Q_NAV_COLLAB);
    CHECK_INT(codes_question_v1("7.1.1")->key, Q_NAV_COLLAB_SPECIALIST);
    CHECK_INT(codes_question_v1("7.2")->key, Q_NAV_RATING);
    CHECK_INT(codes_question_v1("7.3")->key, Q_IPS_SE_MENTAL_HEALTH);
    CHECK_INT(codes_question_v1("7.4")->key, Q_IPS_SE_SUBSTANCE);
    CHECK(codes_question_v1("7.5") == NULL);
    CHECK(codes_question_v1("3.1") == NULL);
    CHECK(codes_question_v1("ARB_NAV_SAMARBEID") == NULL);
    CHECK(codes_question_v1(NULL) == NULL);

    CHECK_INT(codes_question_v2("ARB_NAV_SAMARBEID")->key, Q_NAV_COLLAB);
    CHECK_INT(codes_question_v2("ARB_NAV_SAMARBEID_SPES")->key,
              Q_NAV_COLLAB_SPECIALIST);
    CHECK_INT(codes_question_v2("ARB_NAV_SAMHANDLING")->key, Q_NAV_RATING);
    CHECK_INT(codes_question_v2("ARB_IPS_SE_PSYK")->key,
              Q_IPS_SE_MENTAL_HEALTH);
    CHECK_INT(codes_question_v2("ARB_IPS_SE_RUS")->key, Q_IPS_SE_SUBSTANCE);
    CHECK(codes_question_v2("arb_nav_samarbeid") == NULL);
    CHECK(codes_question_v2("7.1") == NULL);
    CHECK(codes_question_v2(NULL) == NULL);

    for (int k = 0; k < Q_COUNT; k++)
        CHECK_INT(codes_questions[k].key, k);
    CHECK_STR(codes_questions[Q_NAV_COLLAB].name, "nav_collab");
    CHECK_STR(codes_questions[Q_NAV_COLLAB_SPECIALIST].name,
              "nav_collab_specialist");
    CHECK_STR(codes_questions[Q_NAV_RATING].name, "nav_rating");
    CHECK_STR(codes_questions[Q_IPS_SE_MENTAL_HEALTH].name,
              "ips_se_mental_health");
    CHECK_STR(codes_questions[Q_IPS_SE_SUBSTANCE].name, "ips_se_substance");

    CHECK_INT(codes_questions[Q_NAV_COLLAB].first_year, 2015);
    CHECK_INT(codes_questions[Q_NAV_COLLAB_SPECIALIST].first_year, 2016);
    CHECK_INT(codes_questions[Q_NAV_RATING].first_year, 2015);
    CHECK_INT(codes_questions[Q_IPS_SE_MENTAL_HEALTH].first_year, 2016);
    CHECK_INT(codes_questions[Q_IPS_SE_SUBSTANCE].first_year, 2016);

    CHECK_INT(codes_questions[Q_IPS_SE_MENTAL_HEALTH].v1_kind, KIND_YESNO);
    CHECK_INT(codes_questions[Q_IPS_SE_MENTAL_HEALTH].v2_kind, KIND_CHOICES);
    CHECK_INT(codes_questions[Q_NAV_RATING].v1_kind, KIND_RATING);
    CHECK_INT(codes_questions[Q_NAV_RATING].v2_kind, KIND_RATING);
    CHECK_INT(codes_questions[Q_NAV_COLLAB].v2_kind, KIND_YESNO);

    /* The texts exactly as in the table of §5. */
    CHECK_STR(codes_questions[Q_NAV_COLLAB].text,
              "Har kommunen etablert et samarbeid mellom helse- og "
              "omsorgstjenesten og NAV om arbeidsrettet rehabilitering til "
              "personer med psykiske lidelser og/eller "
              "rusmiddelproblemer?");
    CHECK_STR(codes_questions[Q_NAV_COLLAB_SPECIALIST].text,
              "Hvis ja, gjøres dette i samarbeid med "
              "spesialisthelsetjenesten?");
    CHECK_STR(codes_questions[Q_NAV_RATING].text,
              "Hvordan vurderer kommunen samhandlingen med NAV om "
              "arbeidstiltak for personer med psykiske lidelser og/eller "
              "rusmiddelproblemer?");
    CHECK_STR(codes_questions[Q_IPS_SE_MENTAL_HEALTH].text,
              "Har kommunen tatt i bruk individuell jobbstøtte (IPS) / "
              "supported employment (SE) innen psykisk helsearbeid?");
    CHECK_STR(codes_questions[Q_IPS_SE_SUBSTANCE].text,
              "Har kommunen tatt i bruk individuell jobbstøtte (IPS) / "
              "supported employment (SE) innen rusarbeid?");
}

static void test_names(void)
{
    CHECK_STR(codes_yesno_name(YN_YES), "yes");
    CHECK_STR(codes_yesno_name(YN_NO), "no");
    CHECK_STR(codes_yesno_name(YN_DONT_KNOW), "dont_know");
    CHECK_STR(codes_yesno_name(YN_NONE), NULL);
    CHECK_STR(codes_rating_name(RATING_VERY_GOOD), "very_good");
    CHECK_STR(codes_rating_name(RATING_GOOD), "good");
    CHECK_STR(codes_rating_name(RATING_NEITHER), "neither");
    CHECK_STR(codes_rating_name(RATING_LESS_GOOD), "less_good");
    CHECK_STR(codes_rating_name(RATING_BAD), "bad");
    CHECK_STR(codes_rating_name(RATING_DONT_KNOW), "dont_know");
    CHECK_STR(codes_rating_name(RATING_NONE), NULL);
}

static void test_yesno_codes(void)
{
    CHECK_INT(codes_yesno_v1("1"), YN_YES);
    CHECK_INT(codes_yesno_v1("2"), YN_NO);
    CHECK_INT(codes_yesno_v1("9"), YN_DONT_KNOW);
    CHECK_INT(codes_yesno_v1(" 1\n"), YN_YES);
    CHECK_INT(codes_yesno_v1("3"), YN_NONE);
    CHECK_INT(codes_yesno_v1("0"), YN_NONE);
    CHECK_INT(codes_yesno_v1("01"), YN_NONE);
    CHECK_INT(codes_yesno_v1("1.0"), YN_NONE);
    CHECK_INT(codes_yesno_v1("Ja"), YN_NONE);
    CHECK_INT(codes_yesno_v1(""), YN_NONE);
    CHECK_INT(codes_yesno_v1("  "), YN_NONE);
    CHECK_INT(codes_yesno_v1(NULL), YN_NONE);

    CHECK_INT(codes_yesno_v2("1"), YN_YES);
    CHECK_INT(codes_yesno_v2("2"), YN_NO);
    CHECK_INT(codes_yesno_v2("3"), YN_DONT_KNOW);
    CHECK_INT(codes_yesno_v2("\t3 "), YN_DONT_KNOW);
    CHECK_INT(codes_yesno_v2("9"), YN_NONE);
    CHECK_INT(codes_yesno_v2("01"), YN_NONE);
    CHECK_INT(codes_yesno_v2("+1"), YN_NONE);
    CHECK_INT(codes_yesno_v2("1 1"), YN_NONE);
    CHECK_INT(codes_yesno_v2(NULL), YN_NONE);
}

static void test_rating_codes(void)
{
    CHECK_INT(codes_rating_v1("1"), RATING_VERY_GOOD);
    CHECK_INT(codes_rating_v1("2"), RATING_GOOD);
    CHECK_INT(codes_rating_v1("3"), RATING_NEITHER);
    CHECK_INT(codes_rating_v1("4"), RATING_LESS_GOOD);
    CHECK_INT(codes_rating_v1("5"), RATING_BAD);
    CHECK_INT(codes_rating_v1("9"), RATING_DONT_KNOW);
    CHECK_INT(codes_rating_v1("0"), RATING_NONE);
    CHECK_INT(codes_rating_v1("6"), RATING_NONE);
    CHECK_INT(codes_rating_v1("7"), RATING_NONE);
    CHECK_INT(codes_rating_v1(""), RATING_NONE);

    /* Version 2 counts the other way. */
    CHECK_INT(codes_rating_v2("5"), RATING_VERY_GOOD);
    CHECK_INT(codes_rating_v2("4"), RATING_GOOD);
    CHECK_INT(codes_rating_v2("3"), RATING_NEITHER);
    CHECK_INT(codes_rating_v2("2"), RATING_LESS_GOOD);
    CHECK_INT(codes_rating_v2("1"), RATING_BAD);
    CHECK_INT(codes_rating_v2("0"), RATING_DONT_KNOW);
    CHECK_INT(codes_rating_v2(" 0 "), RATING_DONT_KNOW);
    CHECK_INT(codes_rating_v2("9"), RATING_NONE);
    CHECK_INT(codes_rating_v2("6"), RATING_NONE);
    CHECK_INT(codes_rating_v2("05"), RATING_NONE);
    CHECK_INT(codes_rating_v2("-1"), RATING_NONE);
    CHECK_INT(codes_rating_v2(NULL), RATING_NONE);
}

static void test_choice_codes(void)
{
    CHECK_INT(codes_choice_code("IPS"), CHOICE_IPS);
    CHECK_INT(codes_choice_code("SE"), CHOICE_SE);
    CHECK_INT(codes_choice_code("INGEN"), CHOICE_INGEN);
    CHECK_INT(codes_choice_code("VETIKKE"), CHOICE_VETIKKE);
    CHECK_INT(codes_choice_code(" IPS "), CHOICE_IPS);
    CHECK_INT(codes_choice_code("ips"), 0);
    CHECK_INT(codes_choice_code("VET IKKE"), 0);
    CHECK_INT(codes_choice_code("IPS SE"), 0);
    CHECK_INT(codes_choice_code(""), 0);
    CHECK_INT(codes_choice_code(NULL), 0);
}

static void test_labels(void)
{
    CHECK_INT(codes_yesno_label("Ja"), YN_YES);
    CHECK_INT(codes_yesno_label("Nei"), YN_NO);
    CHECK_INT(codes_yesno_label("Vet ikke"), YN_DONT_KNOW);
    CHECK_INT(codes_yesno_label("ja"), YN_YES);
    CHECK_INT(codes_yesno_label("JA"), YN_YES);
    CHECK_INT(codes_yesno_label("  nei\n"), YN_NO);
    CHECK_INT(codes_yesno_label("VET\t  IKKE"), YN_DONT_KNOW);
    CHECK_INT(codes_yesno_label("vet\xc2\xa0ikke"), YN_DONT_KNOW); /* NBSP */
    CHECK_INT(codes_yesno_label("Vetikke"), YN_NONE);
    CHECK_INT(codes_yesno_label("Kanskje"), YN_NONE);
    CHECK_INT(codes_yesno_label("1"), YN_NONE);
    CHECK_INT(codes_yesno_label(""), YN_NONE);
    CHECK_INT(codes_yesno_label(NULL), YN_NONE);
    CHECK_INT(codes_yesno_label("Ja\xff"), YN_NONE); /* not UTF-8 */

    CHECK_INT(codes_rating_label("Svært god"), RATING_VERY_GOOD);
    CHECK_INT(codes_rating_label("God"), RATING_GOOD);
    CHECK_INT(codes_rating_label("Verken god eller dårlig"), RATING_NEITHER);
    CHECK_INT(codes_rating_label("Mindre god"), RATING_LESS_GOOD);
    CHECK_INT(codes_rating_label("Dårlig"), RATING_BAD);
    CHECK_INT(codes_rating_label("Vet ikke"), RATING_DONT_KNOW);
    CHECK_INT(codes_rating_label("  svært   GOD "), RATING_VERY_GOOD);
    CHECK_INT(codes_rating_label("SVÆRT GOD"), RATING_VERY_GOOD);
    /* "å" decomposed: a + U+030A COMBINING RING ABOVE */
    CHECK_INT(codes_rating_label("Verken god eller da\xcc\x8arlig"),
              RATING_NEITHER);
    CHECK_INT(codes_rating_label("DA\xcc\x8aRLIG"), RATING_BAD);
    CHECK_INT(codes_rating_label("Dårlig"), RATING_BAD); /* Å precomposed */
    CHECK_INT(codes_rating_label("Darlig"), RATING_NONE);
    CHECK_INT(codes_rating_label("Svært"), RATING_NONE);
    CHECK_INT(codes_rating_label("Ja"), RATING_NONE);
    CHECK_INT(codes_rating_label(NULL), RATING_NONE);

    CHECK_INT(codes_choice_label("Individuell jobbstøtte (IPS)"), CHOICE_IPS);
    CHECK_INT(codes_choice_label("Supported employment (SE)"), CHOICE_SE);
    CHECK_INT(codes_choice_label("Ingen av disse"), CHOICE_INGEN);
    CHECK_INT(codes_choice_label("Vet ikke"), CHOICE_VETIKKE);
    CHECK_INT(codes_choice_label(" individuell  JOBBSTØTTE (ips) "),
              CHOICE_IPS);
    CHECK_INT(codes_choice_label("Individuell jobbsto\xcc\x88tte (IPS)"),
              0); /* o + diaeresis is "ö", not "ø" */
    CHECK_INT(codes_choice_label("IPS"), 0);
    CHECK_INT(codes_choice_label("Supported employment"), 0);
    CHECK_INT(codes_choice_label(NULL), 0);

    /* Longer than any label: unknown, not a crash. */
    char longlabel[2000];
    memset(longlabel, 'a', sizeof longlabel - 1);
    longlabel[sizeof longlabel - 1] = '\0';
    CHECK_INT(codes_rating_label(longlabel), RATING_NONE);
}

static void check_fold(const char *in, const char *want, int line)
{
    char *got = codes_fold(in);
    int ok = (got == NULL && want == NULL) ||
             (got && want && strcmp(got, want) == 0);
    check_report(ok, __FILE__, line, in ? in : "NULL");
    if (!ok)
        fprintf(stderr, "    got:  %s\n    want: %s\n", got ? got : "NULL",
                want ? want : "NULL");
    free(got);
}

static void test_fold(void)
{
    check_fold("  Svært   GOD ", "svært god", __LINE__);
    check_fold("Verken god eller da\xcc\x8arlig", "verken god eller dårlig",
               __LINE__);
    check_fold("\tA\r\n  B\t", "a b", __LINE__);
    check_fold("x\xc2\xa0\xe2\x80\x83y", "x y", __LINE__); /* NBSP, EM SPACE */
    check_fold("ÆØÅ", "æøå", __LINE__);
    check_fold("A\xcc\x8a", "å", __LINE__);
    check_fold("Straße", "strasse", __LINE__);
    check_fold("", "", __LINE__);
    check_fold("   ", "", __LINE__);
    check_fold("bad \xc3(", NULL, __LINE__);
    check_fold(NULL, NULL, __LINE__);

    /* The folded label tables in codes.c are what codes_fold() gives. */
    static const char *labels[] = {
        "Ja", "Nei", "Vet ikke", "Svært god", "God",
        "Verken god eller dårlig", "Mindre god", "Dårlig",
        "Individuell jobbstøtte (IPS)", "Supported employment (SE)",
        "Ingen av disse" };
    static const char *folded[] = {
        "ja", "nei", "vet ikke", "svært god", "god",
        "verken god eller dårlig", "mindre god", "dårlig",
        "individuell jobbstøtte (ips)", "supported employment (se)",
        "ingen av disse" };
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        check_fold(labels[i], folded[i], __LINE__);
}

int main(void)
{
    test_questions();
    test_names();
    test_yesno_codes();
    test_rating_codes();
    test_choice_codes();
    test_labels();
    test_fold();
    return check_done();
}
