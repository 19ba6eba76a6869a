/*
 * answers.c - the answers of the work chapter (see answers.h): version 1's
 * codes, version 2's Svar (code and label, which must agree) and Valg
 * (choices, some of which cannot be combined), all onto the one set of
 * values of struct norm_report.  The questions and their codes are
 * codes.h's; what is wrong with an answer becomes a problem (problem.h).
 */
#include "answers.h"

#include <stdio.h>
#include <string.h>

#include "codes.h"
#include "problem.h"
#include "view.h"

/* Room for a code or a question id as given, copied to be looked up; a
 * longer one is none of ours. */
#define CODE_TEXT 16
#define WORD_TEXT 32  /* " (neither good nor bad)" */
#define QUESTION_TEXT 64

/* Words for messages. */
static const char *yesno_word(int v)
{
    switch ((enum yesno)v) {
    case YN_YES: return "yes";
    case YN_NO: return "no";
    case YN_DONT_KNOW: return "don't know";
    case YN_NONE: break;
    }
    return "?";
}

static const char *rating_word(int v)
{
    switch ((enum rating)v) {
    case RATING_VERY_GOOD: return "very good";
    case RATING_GOOD: return "good";
    case RATING_NEITHER: return "neither good nor bad";
    case RATING_LESS_GOOD: return "less good";
    case RATING_BAD: return "bad";
    case RATING_DONT_KNOW: return "don't know";
    case RATING_NONE: break;
    }
    return "?";
}

static const char *choice_code(int c)
{
    switch (c) {
    case CHOICE_IPS: return "IPS";
    case CHOICE_SE: return "SE";
    case CHOICE_INGEN: return "INGEN";
    case CHOICE_VETIKKE: return "VETIKKE";
    }
    return "?";
}

/* Does a Svar / sporsmal / Valg carry anything (a code or some text)? */
static int carries(const struct raw_answer *a)
{
    return view_trim(a->code).n > 0 || view_trim(a->text).n > 0;
}

/*
 * Does the answer at index i have a Valg child that carries something?
 * A Svar's Valg follow it directly (report.h), so the look stops at the
 * first answer that is not one of them: looking through to the end of the
 * report made a report of n empty Svar cost n * n steps (100 000 empty
 * <Svar sporsmal="ARB_NAV_SAMARBEID"/>, 3.7 MB, took 11 s).
 */
static int has_valg(const struct raw_report *raw, size_t i)
{
    for (size_t j = i + 1; j < raw->n_answers && raw->answers[j].parent ==
                                                     (int)i; j++)
        if (carries(&raw->answers[j]))
            return 1;
    return 0;
}

/* The question an answer (not a Valg) is for, or NULL. */
static const struct question *question_of(const struct raw_report *raw,
                                          const struct raw_answer *a)
{
    char id[QUESTION_TEXT];
    struct view v = view_trim(a->question);
    if (a->parent != -1 || v.n == 0 || v.n >= sizeof id)
        return NULL;
    view_copy(v, id, sizeof id);
    return raw->version == REPORT_V1 ? codes_question_v1(id)
                                     : codes_question_v2(id);
}

static const char *qid(const struct raw_report *raw, const struct question *q)
{
    return raw->version == REPORT_V1 ? q->v1_id : q->v2_id;
}

static void store_yesno(struct norm_report *out, enum question_key key,
                        enum yesno v)
{
    switch (key) {
    case Q_NAV_COLLAB: out->nav_collab = v; break;
    case Q_NAV_COLLAB_SPECIALIST: out->nav_collab_specialist = v; break;
    case Q_IPS_SE_MENTAL_HEALTH: out->ips_se_mental_health = v; break;
    case Q_IPS_SE_SUBSTANCE: out->ips_se_substance = v; break;
    case Q_NAV_RATING: case Q_COUNT: break;
    }
}

static void store_choices(struct norm_report *out, enum question_key key,
                          int set)
{
    enum yesno ipsse;
    enum tristate ips, se;
    if (set & (CHOICE_IPS | CHOICE_SE)) {
        ipsse = YN_YES;
        ips = set & CHOICE_IPS ? TRI_TRUE : TRI_FALSE;
        se = set & CHOICE_SE ? TRI_TRUE : TRI_FALSE;
    } else if (set & CHOICE_INGEN) {
        ipsse = YN_NO;
        ips = se = TRI_FALSE;
    } else {
        ipsse = YN_DONT_KNOW;
        ips = se = TRI_NULL;
    }
    if (key == Q_IPS_SE_MENTAL_HEALTH) {
        out->ips_se_mental_health = ipsse;
        out->ips_mental_health = ips;
        out->se_mental_health = se;
    } else if (key == Q_IPS_SE_SUBSTANCE) {
        out->ips_se_substance = ipsse;
        out->ips_substance = ips;
        out->se_substance = se;
    }
}

/* Version 1: the trimmed text is the code. */
static void answer_v1(const struct raw_answer *a, const struct question *q,
                      struct norm_report *out)
{
    char q1[PROBLEM_QUOTE_BUF], code[CODE_TEXT];
    struct view v = view_trim(a->text);
    int known = v.n < sizeof code;
    view_copy(v, code, sizeof code);
    if (q->v1_kind == KIND_RATING) {
        enum rating r = known ? codes_rating_v1(code) : RATING_NONE;
        if (r == RATING_NONE)
            problem_add(out, PROBLEM_ANSWER, q->v1_id, "unknown code '%s' for "
                        "%s (version 1 codes: 1\xe2\x80\x93" "5, 9)",
                        problem_quote(q1, v.p, v.n), q->name);
        else
            out->nav_rating = r;
        return;
    }
    enum yesno y = known ? codes_yesno_v1(code) : YN_NONE;
    if (y == YN_NONE)
        problem_add(out, PROBLEM_ANSWER, q->v1_id, "unknown code '%s' for %s "
                    "(version 1 codes: 1, 2, 9)",
                    problem_quote(q1, v.p, v.n), q->name);
    else
        store_yesno(out, q->key, y);
}

/* How version 2 reads the code and the label of one kind of answer. */
struct v2_reading {
    int (*code)(const char *code);       /* 0: unknown */
    int (*label)(const char *label);     /* 0: unknown */
    const char *(*word)(int v);          /* a value in messages */
    int code_word;                       /* a disagreement names the code's
                                          * value too */
    const char *codes;                   /* the codes, for messages */
};

static int yesno_code(const char *s) { return (int)codes_yesno_v2(s); }
static int yesno_label(const char *s) { return (int)codes_yesno_label(s); }
static int rating_code(const char *s) { return (int)codes_rating_v2(s); }
static int rating_label(const char *s) { return (int)codes_rating_label(s); }

static const struct v2_reading V2_YESNO = {
    yesno_code, yesno_label, yesno_word, 1, "version 2 codes: 1, 2, 3"
};
static const struct v2_reading V2_RATING = {
    rating_code, rating_label, rating_word, 1,
    "version 2 codes: 0\xe2\x80\x93" "5"
};
static const struct v2_reading V2_CHOICE = {
    codes_choice_code, codes_choice_label, choice_code, 0,
    "codes: IPS, SE, INGEN, VETIKKE"
};

/*
 * Version 2, a Svar (yes/no, rating) or a Valg: kode and/or label, which
 * must agree.  Returns the value, or 0 after adding a problem.
 */
static int resolve_v2(const struct raw_answer *a, const struct question *q,
                      const struct v2_reading *how, struct norm_report *out)
{
    char q1[PROBLEM_QUOTE_BUF], q2[PROBLEM_QUOTE_BUF];
    struct view c = view_trim(a->code), l = view_trim(a->text);
    int cv = 0, lv = 0;
    if (c.n > 0 && !(cv = how->code(a->code))) {
        problem_add(out, PROBLEM_ANSWER, q->v2_id, "unknown code '%s' for %s "
                    "(%s)", problem_quote(q1, c.p, c.n), q->name, how->codes);
        return 0;
    }
    if (l.n > 0 && !(lv = how->label(a->text))) {
        problem_add(out, PROBLEM_ANSWER, q->v2_id, "unknown label '%s'",
                    problem_quote(q1, l.p, l.n));
        return 0;
    }
    if (cv && lv && cv != lv) {
        char said[WORD_TEXT] = "";
        if (how->code_word)
            snprintf(said, sizeof said, " (%s)", how->word(cv));
        problem_add(out, PROBLEM_ANSWER, q->v2_id, "code '%s'%s disagrees "
                    "with label '%s' (%s)", problem_quote(q1, c.p, c.n), said,
                    problem_quote(q2, l.p, l.n), how->word(lv));
        return 0;
    }
    return cv ? cv : lv;
}

static void answer_v2(const struct raw_report *raw, size_t i,
                      const struct question *q, struct norm_report *out)
{
    char q1[PROBLEM_QUOTE_BUF];
    const struct raw_answer *a = &raw->answers[i];
    if (q->v2_kind != KIND_CHOICES) {
        if (has_valg(raw, i)) {
            problem_add(out, PROBLEM_ANSWER, q->v2_id,
                        "unexpected Valg elements");
            return;
        }
        int v = resolve_v2(a, q, q->v2_kind == KIND_RATING ? &V2_RATING
                                                            : &V2_YESNO,
                           out);
        if (v == 0)
            return;
        if (q->v2_kind == KIND_RATING)
            out->nav_rating = (enum rating)v;
        else
            store_yesno(out, q->key, (enum yesno)v);
        return;
    }

    if (!has_valg(raw, i)) {
        problem_add(out, PROBLEM_ANSWER, q->v2_id, "expected Valg elements");
        return;
    }
    struct view own_code = view_trim(a->code), own_text = view_trim(a->text);
    if (own_code.n > 0)
        problem_add(out, PROBLEM_WARNING, q->v2_id, "code '%s' on the Svar "
                    "itself is ignored; its Valg elements count",
                    problem_quote(q1, own_code.p, own_code.n));
    else if (own_text.n > 0)
        problem_add(out, PROBLEM_WARNING, q->v2_id, "text '%s' on the Svar "
                    "itself is ignored; its Valg elements count",
                    problem_quote(q1, own_text.p, own_text.n));

    int set = 0;
    for (size_t j = i + 1; j < raw->n_answers && raw->answers[j].parent ==
                                                     (int)i; j++) {
        const struct raw_answer *v = &raw->answers[j];
        if (!carries(v))
            continue;
        int c = resolve_v2(v, q, &V2_CHOICE, out);
        if (c == 0)
            return;
        set |= c;
    }
    static const struct { int a, b; } clash[] = {
        { CHOICE_INGEN, CHOICE_IPS }, { CHOICE_INGEN, CHOICE_SE },
        { CHOICE_INGEN, CHOICE_VETIKKE }, { CHOICE_VETIKKE, CHOICE_IPS },
        { CHOICE_VETIKKE, CHOICE_SE } };
    for (size_t k = 0; k < sizeof clash / sizeof clash[0]; k++)
        if ((set & clash[k].a) && (set & clash[k].b)) {
            problem_add(out, PROBLEM_ANSWER, q->v2_id, "'%s' (%s) cannot be "
                        "combined with '%s'", choice_code(clash[k].a),
                        clash[k].a == CHOICE_INGEN ? "none" : "don't know",
                        choice_code(clash[k].b));
            return;
        }
    store_choices(out, q->key, set);
}

/* Each question is judged once, at its first answering element: counted
 * first, judged after. */
void answers_check(const struct raw_report *raw, struct norm_report *out)
{
    size_t count[Q_COUNT] = { 0 }, first[Q_COUNT] = { 0 };
    for (size_t i = 0; i < raw->n_answers; i++) {
        const struct raw_answer *a = &raw->answers[i];
        const struct question *q = question_of(raw, a);
        if (!q)
            continue;
        int answering = raw->version == REPORT_V1
                            ? view_trim(a->text).n > 0
                            : carries(a) || has_valg(raw, i);
        if (!answering)
            continue;
        if (count[q->key]++ == 0)
            first[q->key] = i;
    }
    for (size_t i = 0; i < raw->n_answers; i++) {
        const struct question *q = question_of(raw, &raw->answers[i]);
        if (!q || count[q->key] == 0 || first[q->key] != i)
            continue;
        const char *id = qid(raw, q);
        if (out->year != 0 && out->year < q->first_year)
            problem_add(out, PROBLEM_WARNING, id, "question %s is not on the "
                        "%d form; answer ignored", id, out->year);
        else if (count[q->key] == 2)
            problem_add(out, PROBLEM_ANSWER, id, "answered twice");
        else if (count[q->key] > 2)
            problem_add(out, PROBLEM_ANSWER, id, "answered %zu times",
                        count[q->key]);
        else if (raw->version == REPORT_V1)
            answer_v1(&raw->answers[i], q, out);
        else
            answer_v2(raw, i, q, out);
    }
}

