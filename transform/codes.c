/*
 * codes.c - the questions of the work chapter, their answer codes for both
 * report versions, and the matching of answer labels (delivery-format.md
 * §4, §5).
 *
 * Codes are matched exactly after trimming surrounding white space ("01" is
 * not "1").  Labels are folded (case folded, NFC, white space trimmed and
 * inner runs collapsed) and compared with the folded labels of §5, which
 * are written out below already folded; test_codes checks that they are.
 * Label matching never allocates: a label too long to be any of ours is
 * simply unknown.
 */
#include "codes.h"

#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "view.h"

const struct question codes_questions[Q_COUNT] = {
    { Q_NAV_COLLAB, "nav_collab", "7.1", "ARB_NAV_SAMARBEID", 2015,
      KIND_YESNO, KIND_YESNO,
      "Har kommunen etablert et samarbeid mellom helse- og "
      "omsorgstjenesten og NAV om arbeidsrettet rehabilitering til "
      "personer med psykiske lidelser og/eller rusmiddelproblemer?" },
    { Q_NAV_COLLAB_SPECIALIST, "nav_collab_specialist", "7.1.1",
      "ARB_NAV_SAMARBEID_SPES", 2016, KIND_YESNO, KIND_YESNO,
      "Hvis ja, gjøres dette i samarbeid med spesialisthelsetjenesten?" },
    { Q_NAV_RATING, "nav_rating", "7.2", "ARB_NAV_SAMHANDLING", 2015,
      KIND_RATING, KIND_RATING,
      "Hvordan vurderer kommunen samhandlingen med NAV om arbeidstiltak "
      "for personer med psykiske lidelser og/eller rusmiddelproblemer?" },
    { Q_IPS_SE_MENTAL_HEALTH, "ips_se_mental_health", "7.3",
      "ARB_IPS_SE_PSYK", 2016, KIND_YESNO, KIND_CHOICES,
      "Har kommunen tatt i bruk individuell jobbstøtte (IPS) / supported "
      "employment (SE) innen psykisk helsearbeid?" },
    { Q_IPS_SE_SUBSTANCE, "ips_se_substance", "7.4", "ARB_IPS_SE_RUS", 2016,
      KIND_YESNO, KIND_CHOICES,
      "Har kommunen tatt i bruk individuell jobbstøtte (IPS) / supported "
      "employment (SE) innen rusarbeid?" },
};

const struct question *codes_question_v1(const char *id)
{
    if (!id)
        return NULL;
    for (size_t i = 0; i < Q_COUNT; i++)
        if (codes_questions[i].v1_id &&
            strcmp(codes_questions[i].v1_id, id) == 0)
            return &codes_questions[i];
    return NULL;
}

const struct question *codes_question_v2(const char *id)
{
    if (!id)
        return NULL;
    for (size_t i = 0; i < Q_COUNT; i++)
        if (strcmp(codes_questions[i].v2_id, id) == 0)
            return &codes_questions[i];
    return NULL;
}

const char *codes_yesno_name(enum yesno v)
{
    switch (v) {
    case YN_YES: return "yes";
    case YN_NO: return "no";
    case YN_DONT_KNOW: return "dont_know";
    case YN_NONE: break;
    }
    return NULL;
}

const char *codes_rating_name(enum rating v)
{
    switch (v) {
    case RATING_VERY_GOOD: return "very_good";
    case RATING_GOOD: return "good";
    case RATING_NEITHER: return "neither";
    case RATING_LESS_GOOD: return "less_good";
    case RATING_BAD: return "bad";
    case RATING_DONT_KNOW: return "dont_know";
    case RATING_NONE: break;
    }
    return NULL;
}

/* --- codes ----------------------------------------------------------------- */

struct code_entry {
    const char *code;
    int value;
};

/* Look code up in table (n entries) after trimming; 0 when unknown. */
static int lookup_code(const struct code_entry *table, size_t n,
                       const char *code)
{
    if (!code)
        return 0;
    struct view v = view_trim(code);
    for (size_t i = 0; i < n; i++)
        if (view_is(v, table[i].code))
            return table[i].value;
    return 0;
}

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static const struct code_entry yesno_v1[] = {
    { "1", YN_YES }, { "2", YN_NO }, { "9", YN_DONT_KNOW } };
static const struct code_entry yesno_v2[] = {
    { "1", YN_YES }, { "2", YN_NO }, { "3", YN_DONT_KNOW } };
static const struct code_entry rating_v1[] = {
    { "1", RATING_VERY_GOOD }, { "2", RATING_GOOD }, { "3", RATING_NEITHER },
    { "4", RATING_LESS_GOOD }, { "5", RATING_BAD }, { "9", RATING_DONT_KNOW } };
static const struct code_entry rating_v2[] = {
    { "5", RATING_VERY_GOOD }, { "4", RATING_GOOD }, { "3", RATING_NEITHER },
    { "2", RATING_LESS_GOOD }, { "1", RATING_BAD }, { "0", RATING_DONT_KNOW } };
static const struct code_entry choices[] = {
    { "IPS", CHOICE_IPS }, { "SE", CHOICE_SE }, { "INGEN", CHOICE_INGEN },
    { "VETIKKE", CHOICE_VETIKKE } };

enum yesno codes_yesno_v1(const char *code)
{
    return (enum yesno)lookup_code(yesno_v1, N_OF(yesno_v1), code);
}

enum yesno codes_yesno_v2(const char *code)
{
    return (enum yesno)lookup_code(yesno_v2, N_OF(yesno_v2), code);
}

enum rating codes_rating_v1(const char *code)
{
    return (enum rating)lookup_code(rating_v1, N_OF(rating_v1), code);
}

enum rating codes_rating_v2(const char *code)
{
    return (enum rating)lookup_code(rating_v2, N_OF(rating_v2), code);
}

int codes_choice_code(const char *code)
{
    return lookup_code(choices, N_OF(choices), code);
}

/* --- folding --------------------------------------------------------------- */

#define FOLD_OPTIONS (UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD)

static int is_unicode_space(utf8proc_int32_t c)
{
    if (c == ' ' || (c >= 0x09 && c <= 0x0d) || c == 0x85 || c == 0x2028 ||
        c == 0x2029)
        return 1;
    return utf8proc_category(c) == UTF8PROC_CATEGORY_ZS;
}

/*
 * The common part of folding: buf holds n code points decomposed and case
 * folded; compose them and write UTF-8 with white space trimmed and
 * collapsed into out (room for 4 * n + 1 bytes).  Returns the length
 * written, or -1.
 */
static long fold_finish(utf8proc_int32_t *buf, utf8proc_ssize_t n, char *out)
{
    n = utf8proc_normalize_utf32(buf, n, FOLD_OPTIONS);
    if (n < 0)
        return -1;
    long len = 0;
    int pending_space = 0;
    for (utf8proc_ssize_t i = 0; i < n; i++) {
        if (is_unicode_space(buf[i])) {
            pending_space = len > 0;
            continue;
        }
        if (pending_space)
            out[len++] = ' ';
        pending_space = 0;
        len += (long)utf8proc_encode_char(buf[i], (utf8proc_uint8_t *)out + len);
    }
    out[len] = '\0';
    return len;
}

char *codes_fold(const char *s)
{
    if (!s)
        return NULL;
    const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)s;
    utf8proc_ssize_t len = (utf8proc_ssize_t)strlen(s);
    utf8proc_ssize_t n = utf8proc_decompose(u, len, NULL, 0, FOLD_OPTIONS);
    if (n < 0)
        return NULL;
    utf8proc_int32_t *buf = malloc(((size_t)n + 1) * sizeof *buf);
    char *out = malloc((size_t)n * 4 + 1);
    if (!buf || !out)
        goto fail;
    if (utf8proc_decompose(u, len, buf, n + 1, FOLD_OPTIONS) != n)
        goto fail;
    if (fold_finish(buf, n, out) < 0)
        goto fail;
    free(buf);
    return out;
fail:
    free(buf);
    free(out);
    return NULL;
}

/* Longest label we could ever match, in code points (ours are < 40). */
#define LABEL_MAX 128

/*
 * Fold s into out (LABEL_MAX * 4 + 1 bytes) without allocating.  Returns 0,
 * or -1 when s is not valid UTF-8 or too long to be any label of ours.
 */
static int fold_label(const char *s, char *out)
{
    utf8proc_int32_t buf[LABEL_MAX];
    if (!s)
        return -1;
    size_t len = strlen(s);
    if (len > LABEL_MAX * 8) /* cheap bound before decomposing */
        return -1;
    utf8proc_ssize_t n = utf8proc_decompose((const utf8proc_uint8_t *)s,
                                            (utf8proc_ssize_t)len, buf,
                                            LABEL_MAX, FOLD_OPTIONS);
    if (n < 0 || n > LABEL_MAX)
        return -1;
    return fold_finish(buf, n, out) < 0 ? -1 : 0;
}

struct label_entry {
    const char *folded; /* the label of §5 as codes_fold() gives it */
    int value;
};

static const struct label_entry yesno_labels[] = {
    { "ja", YN_YES }, { "nei", YN_NO }, { "vet ikke", YN_DONT_KNOW } };
static const struct label_entry rating_labels[] = {
    { "svært god", RATING_VERY_GOOD }, { "god", RATING_GOOD },
    { "verken god eller dårlig", RATING_NEITHER },
    { "mindre god", RATING_LESS_GOOD }, { "dårlig", RATING_BAD },
    { "vet ikke", RATING_DONT_KNOW } };
static const struct label_entry choice_labels[] = {
    { "individuell jobbstøtte (ips)", CHOICE_IPS },
    { "supported employment (se)", CHOICE_SE },
    { "ingen av disse", CHOICE_INGEN }, { "vet ikke", CHOICE_VETIKKE } };

static int lookup_label(const struct label_entry *table, size_t n,
                        const char *label)
{
    char folded[LABEL_MAX * 4 + 1];
    if (fold_label(label, folded) < 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(table[i].folded, folded) == 0)
            return table[i].value;
    return 0;
}

enum yesno codes_yesno_label(const char *label)
{
    return (enum yesno)lookup_label(yesno_labels, N_OF(yesno_labels), label);
}

enum rating codes_rating_label(const char *label)
{
    return (enum rating)lookup_label(rating_labels, N_OF(rating_labels),
                                     label);
}

int codes_choice_label(const char *label)
{
    return lookup_label(choice_labels, N_OF(choice_labels), label);
}
