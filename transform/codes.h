/*
 * codes.h - the catalogue of the form: its questions, their ids in both
 * report versions, the years they are asked, their answer types, each
 * version's code list with labels in Bokmål and English, and follow-up
 * rules (sql/catalogue/question.csv, code_list.csv, answer_code.csv,
 * compiled in; refdata.h).  The same files become is248.question,
 * is248.code_list and is248.answer_code at migrate, so the normalizer and
 * SQL read one definition.  A change of the form is a change of these
 * files (docs/architecture.md, "How to add a question").
 *
 * Also the matching of answer labels (delivery-format.md §4): regardless
 * of case, of surrounding and repeated inner white space, and of Unicode
 * normalization form (codes_fold()).
 *
 * The catalogue is parsed and checked once, on first use (any thread), and
 * kept for the life of the process: every pointer it hands out stays
 * valid, and callers never free one.  A catalogue that cannot be read (a
 * file edited wrong) is refused whole: codes_error() says why, and
 * codes_count() is 0.  The build runs the same check (tools/catalogue.c),
 * so such a program is never built.
 */
#ifndef IS248_TRANSFORM_CODES_H
#define IS248_TRANSFORM_CODES_H

#include <stddef.h>
#include <stdint.h>

#include "../ingest/report.h"

/* The values of the wide columns of is248.report (the five questions of
 * today; their names are the catalogue's values). */
enum yesno { YN_NONE = 0, YN_YES, YN_NO, YN_DONT_KNOW };

enum rating {
    RATING_NONE = 0, RATING_VERY_GOOD, RATING_GOOD, RATING_NEITHER,
    RATING_LESS_GOOD, RATING_BAD, RATING_DONT_KNOW
};

enum tristate { TRI_NULL = 0, TRI_TRUE, TRI_FALSE };

/* What a question's answer is (question.csv, type). */
enum answer_type {
    ANSWER_YESNO, ANSWER_RATING, ANSWER_CHOICE, ANSWER_NUMBER, ANSWER_TEXT
};

/* How a code list is answered (code_list.csv, kind): one code (or label)
 * on the Svar or sporsmal itself, or one or more Valg elements. */
enum list_kind { LIST_SINGLE, LIST_CHOICES };

#define CODES_MAX_QUESTIONS 256  /* questions in the catalogue */
#define CODES_MAX_CODES 64       /* codes in one list (bits of a uint64_t) */
#define CODES_CODE_MAX 15        /* bytes of a code; longer ones are
                                  * never looked up (answers.c) */
#define CODES_ID_MAX 63          /* bytes of a question id */

struct answer_code {
    const char *code;        /* as the form gives it: "1", "IPS" */
    const char *value;       /* normalized: "yes", "very_good", "ips" */
    const char *label[2];    /* [0] Bokmål (the form's), [1] English */
    const char *word;        /* English, in messages: "don't know" */
    const char *implies;     /* a Valg: the question's value it implies
                              * (IPS: "yes"); NULL */
    int rated;               /* counted in the denominator of shares */
    int share;               /* counted in the headline share */
    int exclusive;           /* a Valg that cannot be combined */
    const char *folded;      /* label[0] as codes_fold() gives it */
};

struct code_list {
    const char *name;        /* "yesno_v1", ... */
    enum list_kind kind;
    const char *codes_text;  /* the codes as messages name them:
                              * "version 1 codes: 1, 2, 9" */
    const struct answer_code *code;  /* in order (ord) */
    int n;
};

struct question {
    int index;               /* its position in the catalogue, 0.. */
    const char *key;         /* "nav_collab": views, --question */
    const char *text[2];     /* as on the form (nb), and in English */
    enum answer_type type;
    const char *id[3];       /* [REPORT_V1] "7.1", [REPORT_V2]
                              * "ARB_NAV_SAMARBEID"; NULL: not on that
                              * version's form */
    const struct code_list *list[3]; /* [REPORT_V1], [REPORT_V2]; NULL for
                                      * numbers and free text */
    int first_year;          /* the first reporting year asked */
    int last_year;           /* the last; 0: still asked */
    const struct question *follows; /* counts only after follows_values
                                     * of this one; NULL */
    const char *follows_values;     /* "yes" or "yes|dont_know" */
};

/* Why the catalogue cannot be read, or NULL when it can. */
const char *codes_error(void);

/* The questions, in the catalogue's order: how many (0 when it cannot be
 * read), and the i-th (NULL out of range). */
int codes_count(void);
const struct question *codes_question(int i);

/* The question with this key, or NULL. */
const struct question *codes_question_key(const char *key);
/* The question with this id in version v (exact match), or NULL. */
const struct question *codes_question_id(enum report_version v,
                                         const char *id);
const struct question *codes_question_v1(const char *id);
const struct question *codes_question_v2(const char *id);
/* Is q on the form of year (0: the year is unknown, taken as asked)? */
int codes_asked(const struct question *q, int year);

/* The code list named name, or NULL. */
const struct code_list *codes_list(const char *name);

/*
 * Lookups in a list.  codes_code(): code is the text of the code as given
 * (surrounding white space allowed, nothing else; "01" is not "1"), matched
 * exactly.  codes_label(): the label folded (§4) against the list's
 * Bokmål labels.  Both return the code's index in the list, or -1 when it
 * is unknown (or an argument NULL).  They never allocate.
 */
int codes_code(const struct code_list *l, const char *code);
int codes_label(const struct code_list *l, const char *label);

/* The database's words of the wide columns: "yes", "no", "dont_know";
 * "very_good", ...; NULL for *_NONE. */
const char *codes_yesno_name(enum yesno v);
const char *codes_rating_name(enum rating v);
/* The other way: the value named name, or *_NONE. */
enum yesno codes_yesno_value(const char *name);
enum rating codes_rating_value(const char *name);

/*
 * Fold a label for comparison: NFC after case folding, white space trimmed
 * and inner runs collapsed to one space.  Returns a malloc'd string, or NULL
 * when s is not valid UTF-8 or memory ran out.  is248.answer_fold() is the
 * database's (tests/integration/t_answer_current.sh compares them on the
 * cases of tests/unit/test_codes.c).
 */
char *codes_fold(const char *s);

#endif
