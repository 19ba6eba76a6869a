/*
 * codes.h - the questions of the work chapter and their answer codes
 * (delivery-format.md §5), for both report versions, and the matching of
 * answer labels (§4): regardless of case, of surrounding and repeated inner
 * white space, and of Unicode normalization form.
 */
#ifndef IS248_TRANSFORM_CODES_H
#define IS248_TRANSFORM_CODES_H

#include <stddef.h>

enum yesno { YN_NONE = 0, YN_YES, YN_NO, YN_DONT_KNOW };

enum rating {
    RATING_NONE = 0, RATING_VERY_GOOD, RATING_GOOD, RATING_NEITHER,
    RATING_LESS_GOOD, RATING_BAD, RATING_DONT_KNOW
};

enum tristate { TRI_NULL = 0, TRI_TRUE, TRI_FALSE };

/* Choices of an ARB_IPS_SE_* answer, as a bit set. */
enum ipsse_choice {
    CHOICE_IPS = 1, CHOICE_SE = 2, CHOICE_INGEN = 4, CHOICE_VETIKKE = 8
};

enum question_key {
    Q_NAV_COLLAB = 0, Q_NAV_COLLAB_SPECIALIST, Q_NAV_RATING,
    Q_IPS_SE_MENTAL_HEALTH, Q_IPS_SE_SUBSTANCE, Q_COUNT
};

enum answer_kind { KIND_YESNO, KIND_RATING, KIND_CHOICES };

struct question {
    enum question_key key;
    const char *name;       /* "nav_collab", ... as in the views */
    const char *v1_id;      /* "7.1", ...; NULL: not on version 1's form */
    const char *v2_id;      /* "ARB_NAV_SAMARBEID", ... */
    int first_year;         /* first reporting year the form asks it */
    enum answer_kind v1_kind, v2_kind;
    const char *text;       /* the question as on the form (Norwegian) */
};

extern const struct question codes_questions[Q_COUNT];

/* The question with this v1 id / v2 sporsmal, or NULL (exact match). */
const struct question *codes_question_v1(const char *id);
const struct question *codes_question_v2(const char *id);

/* The database's words: "yes", "no", "dont_know"; "very_good", ...;
 * NULL for *_NONE. */
const char *codes_yesno_name(enum yesno v);
const char *codes_rating_name(enum rating v);

/*
 * Code lookups.  code is the text of the code as given (surrounding white
 * space allowed, nothing else).  Return the value, or *_NONE for an unknown
 * code.
 */
enum yesno codes_yesno_v1(const char *code);    /* 1, 2, 9 */
enum yesno codes_yesno_v2(const char *code);    /* 1, 2, 3 */
enum rating codes_rating_v1(const char *code);  /* 1 very good .. 5, 9 */
enum rating codes_rating_v2(const char *code);  /* 5 very good .. 1, 0 */
int codes_choice_code(const char *code);        /* IPS, SE, INGEN, VETIKKE
                                                 * (exact case); 0 unknown */

/* Label lookups (§4 matching).  *_NONE / 0 when the label is unknown. */
enum yesno codes_yesno_label(const char *label);
enum rating codes_rating_label(const char *label);
int codes_choice_label(const char *label);

/*
 * Fold a label for comparison: NFC after case folding, white space trimmed
 * and inner runs collapsed to one space.  Returns a malloc'd string, or NULL
 * when s is not valid UTF-8 or memory ran out.
 */
char *codes_fold(const char *s);

#endif
