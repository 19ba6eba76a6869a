/*
 * test_codes.c - the catalogue of the form as the program reads it
 * (sql/catalogue/question.csv, code_list.csv, answer_code.csv): the
 * questions of §5 and the man-years, the answer codes of both report
 * versions, label matching (§4: case, white space, Unicode normalization)
 * and codes_fold(), as tables: one line a case, the input and what it must
 * give, as libarchive's and jq's test tables keep them.
 */
#include <stdlib.h>

#include "check.h"
#include "transform/codes.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* --- the questions (§5): one line a question ------------------------------ */

static const struct {
    const char *key, *v1_id, *v2_id;
    int first_year;
    enum answer_type type;
    const char *v1_list, *v2_list;  /* NULL: none */
    const char *follows;
    const char *text;
} questions[] = {
    { "nav_collab", "7.1", "ARB_NAV_SAMARBEID", 2015, ANSWER_YESNO, "yesno_v1", "yesno_v2", NULL, "Har kommunen etablert et samarbeid mellom helse- og omsorgstjenesten og NAV om arbeidsrettet rehabilitering til personer med psykiske lidelser og/eller rusmiddelproblemer?" },
    { "nav_collab_specialist", "7.1.1", "ARB_NAV_SAMARBEID_SPES", 2016, ANSWER_YESNO, "yesno_v1", "yesno_v2", "nav_collab", "Hvis ja, gjøres dette i samarbeid med spesialisthelsetjenesten?" },
    { "nav_rating", "7.2", "ARB_NAV_SAMHANDLING", 2015, ANSWER_RATING, "rating_v1", "rating_v2", NULL, "Hvordan vurderer kommunen samhandlingen med NAV om arbeidstiltak for personer med psykiske lidelser og/eller rusmiddelproblemer?" },
    { "ips_se_mental_health", "7.3", "ARB_IPS_SE_PSYK", 2016, ANSWER_YESNO, "yesno_v1", "ipsse_v2", NULL, "Har kommunen tatt i bruk individuell jobbstøtte (IPS) / supported employment (SE) innen psykisk helsearbeid?" },
    { "ips_se_substance", "7.4", "ARB_IPS_SE_RUS", 2016, ANSWER_YESNO, "yesno_v1", "ipsse_v2", NULL, "Har kommunen tatt i bruk individuell jobbstøtte (IPS) / supported employment (SE) innen rusarbeid?" },
    { "man_years", "3.1", "4.1", 2015, ANSWER_NUMBER, NULL, NULL, NULL, "Antall årsverk i kommunalt psykisk helse- og rusarbeid" },
};

static const char *list_name(const struct code_list *l)
{
    return l ? l->name : NULL;
}

static void test_questions(void)
{
    CHECK(codes_error() == NULL);
    if (codes_error())
        fprintf(stderr, "    %s\n", codes_error());
    CHECK_INT(codes_count(), (long)COUNT(questions));
    for (size_t i = 0; i < COUNT(questions); i++) {
        const struct question *q = codes_question((int)i);
        if (!q) {
            CHECK(q != NULL);
            continue;
        }
        CHECK_INT(q->index, (long)i);
        CHECK_STR(q->key, questions[i].key);
        CHECK(codes_question_key(questions[i].key) == q);
        CHECK_STR(q->id[REPORT_V1], questions[i].v1_id);
        CHECK_STR(q->id[REPORT_V2], questions[i].v2_id);
        CHECK_INT(q->first_year, questions[i].first_year);
        CHECK_INT(q->last_year, 0);
        CHECK_INT(q->type, questions[i].type);
        CHECK_STR(list_name(q->list[REPORT_V1]), questions[i].v1_list);
        CHECK_STR(list_name(q->list[REPORT_V2]), questions[i].v2_list);
        CHECK_STR(q->follows ? q->follows->key : NULL, questions[i].follows);
        CHECK_STR(q->text[0], questions[i].text);
    }
    /* the kinds of the lists: Valg in version 2 for IPS and SE only */
    CHECK_INT(codes_list("yesno_v1")->kind, LIST_SINGLE);
    CHECK_INT(codes_list("rating_v2")->kind, LIST_SINGLE);
    CHECK_INT(codes_list("ipsse_v2")->kind, LIST_CHOICES);
    CHECK(codes_list("nope") == NULL);
    CHECK_STR(codes_question_key("nav_collab_specialist")->follows_values, "yes");
    CHECK(codes_question_key("NAV_COLLAB") == NULL);
    CHECK(codes_question_key(NULL) == NULL);
    /* asked: from the first year on */
    CHECK_INT(codes_asked(codes_question_key("ips_se_substance"), 2015), 0);
    CHECK_INT(codes_asked(codes_question_key("ips_se_substance"), 2016), 1);
    CHECK_INT(codes_asked(codes_question_key("ips_se_substance"), 0), 1);
}

/* --- lookups: text in, a value out ------------------------------------------- */

enum lookup {
    QUESTION_V1, QUESTION_V2,   /* codes_question_v1/v2: the key */
    YESNO_V1, YESNO_V2, RATING_V1, RATING_V2, CHOICE_CODE,  /* codes_code():
                                   * the value of the list's code */
    YESNO_LABEL, RATING_LABEL, CHOICE_LABEL  /* codes_label() */
};

/* The lists the lookups look in (the labels are the same in both
 * versions' lists: version 2's, where labels are given). */
static const char *const lookup_list[] = {
    [YESNO_V1] = "yesno_v1", [YESNO_V2] = "yesno_v2",
    [RATING_V1] = "rating_v1", [RATING_V2] = "rating_v2",
    [CHOICE_CODE] = "ipsse_v2", [YESNO_LABEL] = "yesno_v2",
    [RATING_LABEL] = "rating_v2", [CHOICE_LABEL] = "ipsse_v2",
};

#define NONE NULL /* none found */

static const struct {
    int line;
    enum lookup fn;
    const char *in;
    const char *want;
} lookups[] = {
    /* question ids: exact match, of their own version only */
    { __LINE__, QUESTION_V1, "7.1", "nav_collab" },
    { __LINE__, QUESTION_V1, "7.1.1", "nav_collab_specialist" },
    { __LINE__, QUESTION_V1, "7.2", "nav_rating" },
    { __LINE__, QUESTION_V1, "7.3", "ips_se_mental_health" },
    { __LINE__, QUESTION_V1, "7.4", "ips_se_substance" },
    { __LINE__, QUESTION_V1, "7.5", NONE },
    { __LINE__, QUESTION_V1, "3.1", "man_years" },  /* a number: not judged (answers.c) */
    { __LINE__, QUESTION_V1, "ARB_NAV_SAMARBEID", NONE },
    { __LINE__, QUESTION_V1, NULL, NONE },
    { __LINE__, QUESTION_V2, "ARB_NAV_SAMARBEID", "nav_collab" },
    { __LINE__, QUESTION_V2, "ARB_NAV_SAMARBEID_SPES", "nav_collab_specialist" },
    { __LINE__, QUESTION_V2, "ARB_NAV_SAMHANDLING", "nav_rating" },
    { __LINE__, QUESTION_V2, "ARB_IPS_SE_PSYK", "ips_se_mental_health" },
    { __LINE__, QUESTION_V2, "ARB_IPS_SE_RUS", "ips_se_substance" },
    { __LINE__, QUESTION_V2, "arb_nav_samarbeid", NONE },
    { __LINE__, QUESTION_V2, "7.1", NONE },
    { __LINE__, QUESTION_V2, NULL, NONE },

    /* yes/no codes: trimmed, else exact */
    { __LINE__, YESNO_V1, "1", "yes" },
    { __LINE__, YESNO_V1, "2", "no" },
    { __LINE__, YESNO_V1, "9", "dont_know" },
    { __LINE__, YESNO_V1, " 1\n", "yes" },
    { __LINE__, YESNO_V1, "3", NONE },
    { __LINE__, YESNO_V1, "0", NONE },
    { __LINE__, YESNO_V1, "01", NONE },
    { __LINE__, YESNO_V1, "1.0", NONE },
    { __LINE__, YESNO_V1, "Ja", NONE },
    { __LINE__, YESNO_V1, "", NONE },
    { __LINE__, YESNO_V1, "  ", NONE },
    { __LINE__, YESNO_V1, NULL, NONE },
    { __LINE__, YESNO_V2, "1", "yes" },
    { __LINE__, YESNO_V2, "2", "no" },
    { __LINE__, YESNO_V2, "3", "dont_know" },
    { __LINE__, YESNO_V2, "\t3 ", "dont_know" },
    { __LINE__, YESNO_V2, "9", NONE },
    { __LINE__, YESNO_V2, "01", NONE },
    { __LINE__, YESNO_V2, "+1", NONE },
    { __LINE__, YESNO_V2, "1 1", NONE },
    { __LINE__, YESNO_V2, NULL, NONE },

    /* rating codes: version 2 counts the other way */
    { __LINE__, RATING_V1, "1", "very_good" },
    { __LINE__, RATING_V1, "2", "good" },
    { __LINE__, RATING_V1, "3", "neither" },
    { __LINE__, RATING_V1, "4", "less_good" },
    { __LINE__, RATING_V1, "5", "bad" },
    { __LINE__, RATING_V1, "9", "dont_know" },
    { __LINE__, RATING_V1, "0", NONE },
    { __LINE__, RATING_V1, "6", NONE },
    { __LINE__, RATING_V1, "7", NONE },
    { __LINE__, RATING_V1, "", NONE },
    { __LINE__, RATING_V2, "5", "very_good" },
    { __LINE__, RATING_V2, "4", "good" },
    { __LINE__, RATING_V2, "3", "neither" },
    { __LINE__, RATING_V2, "2", "less_good" },
    { __LINE__, RATING_V2, "1", "bad" },
    { __LINE__, RATING_V2, "0", "dont_know" },
    { __LINE__, RATING_V2, " 0 ", "dont_know" },
    { __LINE__, RATING_V2, "9", NONE },
    { __LINE__, RATING_V2, "6", NONE },
    { __LINE__, RATING_V2, "05", NONE },
    { __LINE__, RATING_V2, "-1", NONE },
    { __LINE__, RATING_V2, NULL, NONE },

    /* choice codes: exact case */
    { __LINE__, CHOICE_CODE, "IPS", "ips" },
    { __LINE__, CHOICE_CODE, "SE", "se" },
    { __LINE__, CHOICE_CODE, "INGEN", "none" },
    { __LINE__, CHOICE_CODE, "VETIKKE", "dont_know" },
    { __LINE__, CHOICE_CODE, " IPS ", "ips" },
    { __LINE__, CHOICE_CODE, "ips", NONE },
    { __LINE__, CHOICE_CODE, "VET IKKE", NONE },
    { __LINE__, CHOICE_CODE, "IPS SE", NONE },
    { __LINE__, CHOICE_CODE, "", NONE },
    { __LINE__, CHOICE_CODE, NULL, NONE },

    /* labels (§4): case, white space runs, NBSP, NFC/NFD */
    { __LINE__, YESNO_LABEL, "Ja", "yes" },
    { __LINE__, YESNO_LABEL, "Nei", "no" },
    { __LINE__, YESNO_LABEL, "Vet ikke", "dont_know" },
    { __LINE__, YESNO_LABEL, "ja", "yes" },
    { __LINE__, YESNO_LABEL, "JA", "yes" },
    { __LINE__, YESNO_LABEL, "  nei\n", "no" },
    { __LINE__, YESNO_LABEL, "VET\t  IKKE", "dont_know" },
    { __LINE__, YESNO_LABEL, "vet\xc2\xa0ikke", "dont_know" },  /* NBSP */
    { __LINE__, YESNO_LABEL, "Vetikke", NONE },
    { __LINE__, YESNO_LABEL, "Kanskje", NONE },
    { __LINE__, YESNO_LABEL, "1", NONE },
    { __LINE__, YESNO_LABEL, "", NONE },
    { __LINE__, YESNO_LABEL, NULL, NONE },
    { __LINE__, YESNO_LABEL, "Ja\xff", NONE },               /* not UTF-8 */
    { __LINE__, RATING_LABEL, "Svært god", "very_good" },
    { __LINE__, RATING_LABEL, "God", "good" },
    { __LINE__, RATING_LABEL, "Verken god eller dårlig", "neither" },
    { __LINE__, RATING_LABEL, "Mindre god", "less_good" },
    { __LINE__, RATING_LABEL, "Dårlig", "bad" },
    { __LINE__, RATING_LABEL, "Vet ikke", "dont_know" },
    { __LINE__, RATING_LABEL, "  svært   GOD ", "very_good" },
    { __LINE__, RATING_LABEL, "SVÆRT GOD", "very_good" },
    { __LINE__, RATING_LABEL, "Verken god eller da\xcc\x8arlig", "neither" }, /* a + U+030A */
    { __LINE__, RATING_LABEL, "DA\xcc\x8aRLIG", "bad" },
    { __LINE__, RATING_LABEL, "Dårlig", "bad" },           /* precomposed */
    { __LINE__, RATING_LABEL, "Darlig", NONE },
    { __LINE__, RATING_LABEL, "Svært", NONE },
    { __LINE__, RATING_LABEL, "Ja", NONE },
    { __LINE__, RATING_LABEL, NULL, NONE },
    { __LINE__, CHOICE_LABEL, "Individuell jobbstøtte (IPS)", "ips" },
    { __LINE__, CHOICE_LABEL, "Supported employment (SE)", "se" },
    { __LINE__, CHOICE_LABEL, "Ingen av disse", "none" },
    { __LINE__, CHOICE_LABEL, "Vet ikke", "dont_know" },
    { __LINE__, CHOICE_LABEL, " individuell  JOBBSTØTTE (ips) ", "ips" },
    { __LINE__, CHOICE_LABEL, "Individuell jobbsto\xcc\x88tte (IPS)", NONE }, /* o + diaeresis: "ö", not "ø" */
    { __LINE__, CHOICE_LABEL, "IPS", NONE },
    { __LINE__, CHOICE_LABEL, "Supported employment", NONE },
    { __LINE__, CHOICE_LABEL, NULL, NONE },
};

static const char *look_up(enum lookup fn, const char *in)
{
    const struct question *q;
    const struct code_list *l = NULL;
    int k = -1;
    switch (fn) {
    case QUESTION_V1: q = codes_question_v1(in); return q ? q->key : NONE;
    case QUESTION_V2: q = codes_question_v2(in); return q ? q->key : NONE;
    case YESNO_V1: case YESNO_V2: case RATING_V1: case RATING_V2:
    case CHOICE_CODE:
        l = codes_list(lookup_list[fn]);
        k = codes_code(l, in);
        break;
    case YESNO_LABEL: case RATING_LABEL: case CHOICE_LABEL:
        l = codes_list(lookup_list[fn]);
        k = codes_label(l, in);
        break;
    }
    return k >= 0 ? l->code[k].value : NONE;
}

static void test_lookups(void)
{
    for (size_t i = 0; i < COUNT(lookups); i++) {
        const char *got = look_up(lookups[i].fn, lookups[i].in);
        int ok = (got == NULL && lookups[i].want == NULL) ||
                 (got && lookups[i].want && strcmp(got, lookups[i].want) == 0);
        check_report(ok, __FILE__, lookups[i].line,
                     lookups[i].in ? lookups[i].in : "NULL");
        if (!ok)
            fprintf(stderr, "    got:  %s\n    want: %s\n",
                    got ? got : "NULL",
                    lookups[i].want ? lookups[i].want : "NULL");
    }
    /* Longer than any label: unknown, not a crash. */
    char longlabel[2000];
    memset(longlabel, 'a', sizeof longlabel - 1);
    longlabel[sizeof longlabel - 1] = '\0';
    CHECK_INT(codes_label(codes_list("rating_v2"), longlabel), -1);
    /* a label in the catalogue within the bound, padded past it: unknown,
     * as is248.answer_label_fold() says too */
    char padded[200];
    snprintf(padded, sizeof padded, "Ja%*s", 130, "");
    CHECK_INT(codes_label(codes_list("yesno_v2"), padded), -1);
    snprintf(padded, sizeof padded, "Ja%*s", 120, "");
    CHECK_INT(codes_label(codes_list("yesno_v2"), padded), 0);
    CHECK_INT(codes_code(NULL, "1"), -1);
    CHECK_INT(codes_label(NULL, "Ja"), -1);
}

/* --- the database's words: a value in, a word out ------------------------------ */

static const struct {
    int line;
    int rating;        /* codes_rating_name(), else codes_yesno_name() */
    int value;
    const char *want;
} names[] = {
    { __LINE__, 0, YN_YES, "yes" },
    { __LINE__, 0, YN_NO, "no" },
    { __LINE__, 0, YN_DONT_KNOW, "dont_know" },
    { __LINE__, 0, YN_NONE, NULL },
    { __LINE__, 1, RATING_VERY_GOOD, "very_good" },
    { __LINE__, 1, RATING_GOOD, "good" },
    { __LINE__, 1, RATING_NEITHER, "neither" },
    { __LINE__, 1, RATING_LESS_GOOD, "less_good" },
    { __LINE__, 1, RATING_BAD, "bad" },
    { __LINE__, 1, RATING_DONT_KNOW, "dont_know" },
    { __LINE__, 1, RATING_NONE, NULL },
};

/* --- codes_fold(): text in, folded text out (NULL: not UTF-8) ---------------- */

static const struct {
    int line;
    const char *in, *want;
} folds[] = {
    { __LINE__, "  Svært   GOD ", "svært god" },
    { __LINE__, "Verken god eller da\xcc\x8arlig", "verken god eller dårlig" },
    { __LINE__, "\tA\r\n  B\t", "a b" },
    { __LINE__, "x\xc2\xa0\xe2\x80\x83y", "x y" },     /* NBSP, EM SPACE */
    { __LINE__, "ÆØÅ", "æøå" },
    { __LINE__, "A\xcc\x8a", "å" },
    { __LINE__, "Straße", "strasse" },
    { __LINE__, "", "" },
    { __LINE__, "   ", "" },
    { __LINE__, "bad \xc3(", NULL },
    { __LINE__, NULL, NULL },
    /* the labels of the catalogue, as they are folded */
    { __LINE__, "Ja", "ja" },
    { __LINE__, "Nei", "nei" },
    { __LINE__, "Vet ikke", "vet ikke" },
    { __LINE__, "Svært god", "svært god" },
    { __LINE__, "God", "god" },
    { __LINE__, "Verken god eller dårlig", "verken god eller dårlig" },
    { __LINE__, "Mindre god", "mindre god" },
    { __LINE__, "Dårlig", "dårlig" },
    { __LINE__, "Individuell jobbstøtte (IPS)", "individuell jobbstøtte (ips)" },
    { __LINE__, "Supported employment (SE)", "supported employment (se)" },
    { __LINE__, "Ingen av disse", "ingen av disse" },
};

/* got == want as strings (NULL only equal to NULL), reported at line. */
static void check_str_at(const char *got, const char *want, const char *in,
                         int line)
{
    int ok = (got == NULL && want == NULL) ||
             (got && want && strcmp(got, want) == 0);
    check_report(ok, __FILE__, line, in ? in : "NULL");
    if (!ok)
        fprintf(stderr, "    got:  %s\n    want: %s\n", got ? got : "NULL",
                want ? want : "NULL");
}

/* the wide columns' words the other way */
static void test_values(void)
{
    CHECK_INT(codes_yesno_value("dont_know"), YN_DONT_KNOW);
    CHECK_INT(codes_yesno_value("very_good"), YN_NONE);
    CHECK_INT(codes_yesno_value(NULL), YN_NONE);
    CHECK_INT(codes_rating_value("less_good"), RATING_LESS_GOOD);
    CHECK_INT(codes_rating_value("yes"), RATING_NONE);
    /* every value of the lists of the wide columns is a word of them */
    const struct code_list *l = codes_list("rating_v2");
    for (int k = 0; l && k < l->n; k++)
        CHECK(codes_rating_value(l->code[k].value) != RATING_NONE);
    l = codes_list("yesno_v1");
    for (int k = 0; l && k < l->n; k++)
        CHECK(codes_yesno_value(l->code[k].value) != YN_NONE);
}

static void test_names_and_folds(void)
{
    for (size_t i = 0; i < COUNT(names); i++)
        check_str_at(names[i].rating
                         ? codes_rating_name((enum rating)names[i].value)
                         : codes_yesno_name((enum yesno)names[i].value),
                     names[i].want, "", names[i].line);
    for (size_t i = 0; i < COUNT(folds); i++) {
        char *got = codes_fold(folds[i].in);
        check_str_at(got, folds[i].want, folds[i].in, folds[i].line);
        free(got);
    }
}

int main(void)
{
    test_questions();
    test_lookups();
    test_values();
    test_names_and_folds();
    return check_done();
}
