/*
 * test_codes.c - the questions of §5, the answer codes of both report
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
    enum question_key key;
    const char *name, *v1_id, *v2_id;
    int first_year;
    enum answer_kind v1_kind, v2_kind;
    const char *text;
} questions[] = {
    { Q_NAV_COLLAB, "nav_collab", "7.1", "ARB_NAV_SAMARBEID", 2015, KIND_YESNO, KIND_YESNO, "Har kommunen etablert et samarbeid mellom helse- og omsorgstjenesten og NAV om arbeidsrettet rehabilitering til personer med psykiske lidelser og/eller rusmiddelproblemer?" },
    { Q_NAV_COLLAB_SPECIALIST, "nav_collab_specialist", "7.1.1", "ARB_NAV_SAMARBEID_SPES", 2016, KIND_YESNO, KIND_YESNO, "Hvis ja, gjøres dette i samarbeid med spesialisthelsetjenesten?" },
    { Q_NAV_RATING, "nav_rating", "7.2", "ARB_NAV_SAMHANDLING", 2015, KIND_RATING, KIND_RATING, "Hvordan vurderer kommunen samhandlingen med NAV om arbeidstiltak for personer med psykiske lidelser og/eller rusmiddelproblemer?" },
    { Q_IPS_SE_MENTAL_HEALTH, "ips_se_mental_health", "7.3", "ARB_IPS_SE_PSYK", 2016, KIND_YESNO, KIND_CHOICES, "Har kommunen tatt i bruk individuell jobbstøtte (IPS) / supported employment (SE) innen psykisk helsearbeid?" },
    { Q_IPS_SE_SUBSTANCE, "ips_se_substance", "7.4", "ARB_IPS_SE_RUS", 2016, KIND_YESNO, KIND_CHOICES, "Har kommunen tatt i bruk individuell jobbstøtte (IPS) / supported employment (SE) innen rusarbeid?" },
};

static void test_questions(void)
{
    CHECK_INT(COUNT(questions), Q_COUNT);
    for (size_t i = 0; i < COUNT(questions); i++) {
        const struct question *q = &codes_questions[questions[i].key];
        CHECK_INT(q->key, questions[i].key);
        CHECK_STR(q->name, questions[i].name);
        CHECK_STR(q->v1_id, questions[i].v1_id);
        CHECK_STR(q->v2_id, questions[i].v2_id);
        CHECK_INT(q->first_year, questions[i].first_year);
        CHECK_INT(q->v1_kind, questions[i].v1_kind);
        CHECK_INT(q->v2_kind, questions[i].v2_kind);
        CHECK_STR(q->text, questions[i].text);
    }
}

/* --- lookups: text in, a value out ------------------------------------------- */

enum lookup {
    QUESTION_V1, QUESTION_V2,   /* codes_question_v1/v2: the key, -1: NULL */
    YESNO_V1, YESNO_V2, RATING_V1, RATING_V2, CHOICE_CODE,
    YESNO_LABEL, RATING_LABEL, CHOICE_LABEL
};

#define NONE (-1) /* codes_question_*() gives NULL */

static const struct {
    int line;
    enum lookup fn;
    const char *in;
    int want;
} lookups[] = {
    /* question ids: exact match, of their own version only */
    { __LINE__, QUESTION_V1, "7.1", Q_NAV_COLLAB },
    { __LINE__, QUESTION_V1, "7.1.1", Q_NAV_COLLAB_SPECIALIST },
    { __LINE__, QUESTION_V1, "7.2", Q_NAV_RATING },
    { __LINE__, QUESTION_V1, "7.3", Q_IPS_SE_MENTAL_HEALTH },
    { __LINE__, QUESTION_V1, "7.4", Q_IPS_SE_SUBSTANCE },
    { __LINE__, QUESTION_V1, "7.5", NONE },
    { __LINE__, QUESTION_V1, "3.1", NONE },
    { __LINE__, QUESTION_V1, "ARB_NAV_SAMARBEID", NONE },
    { __LINE__, QUESTION_V1, NULL, NONE },
    { __LINE__, QUESTION_V2, "ARB_NAV_SAMARBEID", Q_NAV_COLLAB },
    { __LINE__, QUESTION_V2, "ARB_NAV_SAMARBEID_SPES", Q_NAV_COLLAB_SPECIALIST },
    { __LINE__, QUESTION_V2, "ARB_NAV_SAMHANDLING", Q_NAV_RATING },
    { __LINE__, QUESTION_V2, "ARB_IPS_SE_PSYK", Q_IPS_SE_MENTAL_HEALTH },
    { __LINE__, QUESTION_V2, "ARB_IPS_SE_RUS", Q_IPS_SE_SUBSTANCE },
    { __LINE__, QUESTION_V2, "arb_nav_samarbeid", NONE },
    { __LINE__, QUESTION_V2, "7.1", NONE },
    { __LINE__, QUESTION_V2, NULL, NONE },

    /* yes/no codes: trimmed, else exact */
    { __LINE__, YESNO_V1, "1", YN_YES },
    { __LINE__, YESNO_V1, "2", YN_NO },
    { __LINE__, YESNO_V1, "9", YN_DONT_KNOW },
    { __LINE__, YESNO_V1, " 1\n", YN_YES },
    { __LINE__, YESNO_V1, "3", YN_NONE },
    { __LINE__, YESNO_V1, "0", YN_NONE },
    { __LINE__, YESNO_V1, "01", YN_NONE },
    { __LINE__, YESNO_V1, "1.0", YN_NONE },
    { __LINE__, YESNO_V1, "Ja", YN_NONE },
    { __LINE__, YESNO_V1, "", YN_NONE },
    { __LINE__, YESNO_V1, "  ", YN_NONE },
    { __LINE__, YESNO_V1, NULL, YN_NONE },
    { __LINE__, YESNO_V2, "1", YN_YES },
    { __LINE__, YESNO_V2, "2", YN_NO },
    { __LINE__, YESNO_V2, "3", YN_DONT_KNOW },
    { __LINE__, YESNO_V2, "\t3 ", YN_DONT_KNOW },
    { __LINE__, YESNO_V2, "9", YN_NONE },
    { __LINE__, YESNO_V2, "01", YN_NONE },
    { __LINE__, YESNO_V2, "+1", YN_NONE },
    { __LINE__, YESNO_V2, "1 1", YN_NONE },
    { __LINE__, YESNO_V2, NULL, YN_NONE },

    /* rating codes: version 2 counts the other way */
    { __LINE__, RATING_V1, "1", RATING_VERY_GOOD },
    { __LINE__, RATING_V1, "2", RATING_GOOD },
    { __LINE__, RATING_V1, "3", RATING_NEITHER },
    { __LINE__, RATING_V1, "4", RATING_LESS_GOOD },
    { __LINE__, RATING_V1, "5", RATING_BAD },
    { __LINE__, RATING_V1, "9", RATING_DONT_KNOW },
    { __LINE__, RATING_V1, "0", RATING_NONE },
    { __LINE__, RATING_V1, "6", RATING_NONE },
    { __LINE__, RATING_V1, "7", RATING_NONE },
    { __LINE__, RATING_V1, "", RATING_NONE },
    { __LINE__, RATING_V2, "5", RATING_VERY_GOOD },
    { __LINE__, RATING_V2, "4", RATING_GOOD },
    { __LINE__, RATING_V2, "3", RATING_NEITHER },
    { __LINE__, RATING_V2, "2", RATING_LESS_GOOD },
    { __LINE__, RATING_V2, "1", RATING_BAD },
    { __LINE__, RATING_V2, "0", RATING_DONT_KNOW },
    { __LINE__, RATING_V2, " 0 ", RATING_DONT_KNOW },
    { __LINE__, RATING_V2, "9", RATING_NONE },
    { __LINE__, RATING_V2, "6", RATING_NONE },
    { __LINE__, RATING_V2, "05", RATING_NONE },
    { __LINE__, RATING_V2, "-1", RATING_NONE },
    { __LINE__, RATING_V2, NULL, RATING_NONE },

    /* choice codes: exact case */
    { __LINE__, CHOICE_CODE, "IPS", CHOICE_IPS },
    { __LINE__, CHOICE_CODE, "SE", CHOICE_SE },
    { __LINE__, CHOICE_CODE, "INGEN", CHOICE_INGEN },
    { __LINE__, CHOICE_CODE, "VETIKKE", CHOICE_VETIKKE },
    { __LINE__, CHOICE_CODE, " IPS ", CHOICE_IPS },
    { __LINE__, CHOICE_CODE, "ips", 0 },
    { __LINE__, CHOICE_CODE, "VET IKKE", 0 },
    { __LINE__, CHOICE_CODE, "IPS SE", 0 },
    { __LINE__, CHOICE_CODE, "", 0 },
    { __LINE__, CHOICE_CODE, NULL, 0 },

    /* labels (§4): case, white space runs, NBSP, NFC/NFD */
    { __LINE__, YESNO_LABEL, "Ja", YN_YES },
    { __LINE__, YESNO_LABEL, "Nei", YN_NO },
    { __LINE__, YESNO_LABEL, "Vet ikke", YN_DONT_KNOW },
    { __LINE__, YESNO_LABEL, "ja", YN_YES },
    { __LINE__, YESNO_LABEL, "JA", YN_YES },
    { __LINE__, YESNO_LABEL, "  nei\n", YN_NO },
    { __LINE__, YESNO_LABEL, "VET\t  IKKE", YN_DONT_KNOW },
    { __LINE__, YESNO_LABEL, "vet\xc2\xa0ikke", YN_DONT_KNOW },  /* NBSP */
    { __LINE__, YESNO_LABEL, "Vetikke", YN_NONE },
    { __LINE__, YESNO_LABEL, "Kanskje", YN_NONE },
    { __LINE__, YESNO_LABEL, "1", YN_NONE },
    { __LINE__, YESNO_LABEL, "", YN_NONE },
    { __LINE__, YESNO_LABEL, NULL, YN_NONE },
    { __LINE__, YESNO_LABEL, "Ja\xff", YN_NONE },               /* not UTF-8 */
    { __LINE__, RATING_LABEL, "Svært god", RATING_VERY_GOOD },
    { __LINE__, RATING_LABEL, "God", RATING_GOOD },
    { __LINE__, RATING_LABEL, "Verken god eller dårlig", RATING_NEITHER },
    { __LINE__, RATING_LABEL, "Mindre god", RATING_LESS_GOOD },
    { __LINE__, RATING_LABEL, "Dårlig", RATING_BAD },
    { __LINE__, RATING_LABEL, "Vet ikke", RATING_DONT_KNOW },
    { __LINE__, RATING_LABEL, "  svært   GOD ", RATING_VERY_GOOD },
    { __LINE__, RATING_LABEL, "SVÆRT GOD", RATING_VERY_GOOD },
    { __LINE__, RATING_LABEL, "Verken god eller da\xcc\x8arlig", RATING_NEITHER }, /* a + U+030A */
    { __LINE__, RATING_LABEL, "DA\xcc\x8aRLIG", RATING_BAD },
    { __LINE__, RATING_LABEL, "Dårlig", RATING_BAD },           /* precomposed */
    { __LINE__, RATING_LABEL, "Darlig", RATING_NONE },
    { __LINE__, RATING_LABEL, "Svært", RATING_NONE },
    { __LINE__, RATING_LABEL, "Ja", RATING_NONE },
    { __LINE__, RATING_LABEL, NULL, RATING_NONE },
    { __LINE__, CHOICE_LABEL, "Individuell jobbstøtte (IPS)", CHOICE_IPS },
    { __LINE__, CHOICE_LABEL, "Supported employment (SE)", CHOICE_SE },
    { __LINE__, CHOICE_LABEL, "Ingen av disse", CHOICE_INGEN },
    { __LINE__, CHOICE_LABEL, "Vet ikke", CHOICE_VETIKKE },
    { __LINE__, CHOICE_LABEL, " individuell  JOBBSTØTTE (ips) ", CHOICE_IPS },
    { __LINE__, CHOICE_LABEL, "Individuell jobbsto\xcc\x88tte (IPS)", 0 }, /* o + diaeresis: "ö", not "ø" */
    { __LINE__, CHOICE_LABEL, "IPS", 0 },
    { __LINE__, CHOICE_LABEL, "Supported employment", 0 },
    { __LINE__, CHOICE_LABEL, NULL, 0 },
};

static int look_up(enum lookup fn, const char *in)
{
    const struct question *q;
    switch (fn) {
    case QUESTION_V1: q = codes_question_v1(in); return q ? (int)q->key : NONE;
    case QUESTION_V2: q = codes_question_v2(in); return q ? (int)q->key : NONE;
    case YESNO_V1: return (int)codes_yesno_v1(in);
    case YESNO_V2: return (int)codes_yesno_v2(in);
    case RATING_V1: return (int)codes_rating_v1(in);
    case RATING_V2: return (int)codes_rating_v2(in);
    case CHOICE_CODE: return codes_choice_code(in);
    case YESNO_LABEL: return (int)codes_yesno_label(in);
    case RATING_LABEL: return (int)codes_rating_label(in);
    case CHOICE_LABEL: return codes_choice_label(in);
    }
    return -2;
}

static void test_lookups(void)
{
    for (size_t i = 0; i < COUNT(lookups); i++) {
        int got = look_up(lookups[i].fn, lookups[i].in);
        check_report(got == lookups[i].want, __FILE__, lookups[i].line,
                     lookups[i].in ? lookups[i].in : "NULL");
        if (got != lookups[i].want)
            fprintf(stderr, "    got:  %d\n    want: %d\n", got,
                    lookups[i].want);
    }
    /* Longer than any label: unknown, not a crash. */
    char longlabel[2000];
    memset(longlabel, 'a', sizeof longlabel - 1);
    longlabel[sizeof longlabel - 1] = '\0';
    CHECK_INT(codes_rating_label(longlabel), RATING_NONE);
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
    /* the folded label tables in codes.c are what codes_fold() gives */
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
    test_names_and_folds();
    return check_done();
}
