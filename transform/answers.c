/*
 * answers.c - the answers to the catalogue's coded questions (see
 * answers.h): version 1's codes, version 2's Svar (code and label, which
 * must agree) and Valg (choices, some of which cannot be combined), each
 * judged against its question's code list for the report's version, into
 * out->answers[]; then the wide columns (nav_collab, ..., the five of
 * is248.report) from the questions of those keys.  The questions, lists
 * and codes are codes.h's; nothing here names one but the wide columns.
 * What is wrong with an answer becomes a problem (problem.h).
 *
 * Numbers and free text are not judged here (their answers stay in
 * is248.report.answers; is248.answer_current reads them).
 */
#include "answers.h"

#include <stdio.h>
#include <string.h>

#include "codes.h"
#include "problem.h"
#include "view.h"

#define WORD_TEXT 64  /* " (neither good nor bad)" */

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

/* The version whose ids and lists a report's answers are read with: a
 * report of an unknown version (set aside anyway) is read as version 2. */
static enum report_version version_of(enum report_version v)
{
    return v == REPORT_V1 ? REPORT_V1 : REPORT_V2;
}

/* The coded question an answer (not a Valg) is for, or NULL: numbers and
 * free text are none of this file's. */
static const struct question *question_of(const struct raw_report *raw,
                                          const struct raw_answer *a)
{
    char id[CODES_ID_MAX + 1];
    struct view v = view_trim(a->question);
    if (a->parent != -1 || v.n == 0 || v.n >= sizeof id)
        return NULL;
    view_copy(v, id, sizeof id);
    enum report_version ver = version_of(raw->version);
    const struct question *q = codes_question_id(ver, id);
    return q && q->list[ver] ? q : NULL;
}

/* Version 1: the trimmed text is the code. */
static void answer_v1(const struct raw_answer *a, const struct question *q,
                      struct norm_answer *ans, struct norm_report *out)
{
    char q1[PROBLEM_QUOTE_BUF];
    const struct code_list *l = q->list[REPORT_V1];
    struct view v = view_trim(a->text);
    int k = v.n <= CODES_CODE_MAX ? codes_code(l, a->text) : -1;
    if (k < 0) {
        problem_add(out, PROBLEM_ANSWER, q->id[REPORT_V1], "unknown code '%s' "
                    "for %s (%s)", problem_quote(q1, v.p, v.n), q->key,
                    l->codes_text);
        ans->state = ANSWER_SET_ASIDE;
        return;
    }
    ans->state = ANSWER_GIVEN;
    ans->code = (signed char)k;
}

/* A code in messages: a single list's answers by their word, Valg by
 * their code. */
static const char *word(const struct code_list *l, int k)
{
    return l->kind == LIST_SINGLE ? l->code[k].word : l->code[k].code;
}

/*
 * Version 2, a Svar (single) or a Valg (choices): kode and/or label, which
 * must agree.  Returns the code's index, or -1 after adding a problem.
 */
static int resolve_v2(const struct raw_answer *a, const struct question *q,
                      const struct code_list *l, struct norm_report *out)
{
    char q1[PROBLEM_QUOTE_BUF], q2[PROBLEM_QUOTE_BUF];
    const char *id = q->id[REPORT_V2];
    struct view c = view_trim(a->code), t = view_trim(a->text);
    int ck = -1, lk = -1;
    if (c.n > 0 && (ck = codes_code(l, a->code)) < 0) {
        problem_add(out, PROBLEM_ANSWER, id, "unknown code '%s' for %s (%s)",
                    problem_quote(q1, c.p, c.n), q->key, l->codes_text);
        return -1;
    }
    if (t.n > 0 && (lk = codes_label(l, a->text)) < 0) {
        problem_add(out, PROBLEM_ANSWER, id, "unknown label '%s'",
                    problem_quote(q1, t.p, t.n));
        return -1;
    }
    if (ck >= 0 && lk >= 0 && ck != lk) {
        char said[WORD_TEXT] = "";
        if (l->kind == LIST_SINGLE)
            snprintf(said, sizeof said, " (%s)", word(l, ck));
        problem_add(out, PROBLEM_ANSWER, id, "code '%s'%s disagrees with "
                    "label '%s' (%s)", problem_quote(q1, c.p, c.n), said,
                    problem_quote(q2, t.p, t.n), word(l, lk));
        return -1;
    }
    return ck >= 0 ? ck : lk;
}

static void answer_v2(const struct raw_report *raw, size_t i,
                      const struct question *q, struct norm_answer *ans,
                      struct norm_report *out)
{
    char q1[PROBLEM_QUOTE_BUF];
    const struct raw_answer *a = &raw->answers[i];
    const struct code_list *l = q->list[REPORT_V2];
    const char *id = q->id[REPORT_V2];
    ans->state = ANSWER_SET_ASIDE;
    if (l->kind == LIST_SINGLE) {
        if (has_valg(raw, i)) {
            problem_add(out, PROBLEM_ANSWER, id, "unexpected Valg elements");
            return;
        }
        int k = resolve_v2(a, q, l, out);
        if (k < 0)
            return;
        ans->state = ANSWER_GIVEN;
        ans->code = (signed char)k;
        return;
    }

    if (!has_valg(raw, i)) {
        problem_add(out, PROBLEM_ANSWER, id, "expected Valg elements");
        return;
    }
    struct view own_code = view_trim(a->code), own_text = view_trim(a->text);
    if (own_code.n > 0)
        problem_add(out, PROBLEM_WARNING, id, "code '%s' on the Svar itself "
                    "is ignored; its Valg elements count",
                    problem_quote(q1, own_code.p, own_code.n));
    else if (own_text.n > 0)
        problem_add(out, PROBLEM_WARNING, id, "text '%s' on the Svar itself "
                    "is ignored; its Valg elements count",
                    problem_quote(q1, own_text.p, own_text.n));

    uint64_t set = 0;
    for (size_t j = i + 1; j < raw->n_answers && raw->answers[j].parent ==
                                                     (int)i; j++) {
        const struct raw_answer *v = &raw->answers[j];
        if (!carries(v))
            continue;
        int k = resolve_v2(v, q, l, out);
        if (k < 0)
            return;
        set |= UINT64_C(1) << k;
    }
    /* an exclusive choice stands alone: the first of them (in the list's
     * order) with the first other one chosen */
    for (int x = 0; x < l->n; x++) {
        if (!l->code[x].exclusive || !(set & (UINT64_C(1) << x)))
            continue;
        for (int y = 0; y < l->n; y++)
            if (y != x && (set & (UINT64_C(1) << y))) {
                problem_add(out, PROBLEM_ANSWER, id, "'%s' (%s) cannot be "
                            "combined with '%s'", l->code[x].code,
                            l->code[x].word, l->code[y].code);
                return;
            }
    }
    int first = 0;
    while (!(set & (UINT64_C(1) << first)))
        first++;
    ans->state = ANSWER_GIVEN;
    ans->code = (signed char)first;
    ans->choices = set;
}

/* --- the wide columns ------------------------------------------------------ */

/* The value an answer gives (its code's value, or what its first Valg
 * implies), or NULL when there is none. */
static const char *given_value(const struct norm_report *out,
                               const struct question *q)
{
    const struct norm_answer *ans = &out->answers[q->index];
    const struct code_list *l = q->list[version_of(out->version)];
    if (ans->state != ANSWER_GIVEN || !l)
        return NULL;
    const struct answer_code *c = &l->code[(int)ans->code];
    return c->implies ? c->implies : c->value;
}

/* Was a code of value name chosen? */
static enum tristate chosen(const struct norm_report *out,
                            const struct question *q, const char *name)
{
    const struct code_list *l = q->list[version_of(out->version)];
    for (int k = 0; k < l->n; k++)
        if ((out->answers[q->index].choices & (UINT64_C(1) << k)) &&
            strcmp(l->code[k].value, name) == 0)
            return TRI_TRUE;
    return TRI_FALSE;
}

/* A value the column cannot hold: a warning, the column NULL. */
static void not_held(struct norm_report *out, const struct question *q,
                     const char *value, const char *column)
{
    problem_add(out, PROBLEM_WARNING, q->id[version_of(out->version)],
                "the answer '%s' "
                "to %s has no place in the column %s of is248.report (left "
                "empty there; is248.answer_current holds it)", value, q->key,
                column);
}

static enum yesno wide_yesno(struct norm_report *out, const char *key)
{
    const struct question *q = codes_question_key(key);
    const char *v = q ? given_value(out, q) : NULL;
    if (!v)
        return YN_NONE;
    enum yesno y = codes_yesno_value(v);
    if (y == YN_NONE)
        not_held(out, q, v, key);
    return y;
}

/* ips_se_*: the yes/no of "IPS or SE", and IPS and SE apart where the
 * report's version lists them as Valg. */
static void wide_ips_se(struct norm_report *out, const char *key,
                        enum yesno *ipsse, enum tristate *ips,
                        enum tristate *se)
{
    const struct question *q = codes_question_key(key);
    const char *v = q ? given_value(out, q) : NULL;
    if (!v)
        return;
    enum yesno y = codes_yesno_value(v);
    enum tristate i = TRI_NULL, s = TRI_NULL;
    if (q->list[version_of(out->version)]->kind == LIST_CHOICES && y != YN_DONT_KNOW) {
        i = chosen(out, q, "ips");
        s = chosen(out, q, "se");
    }
    /* what the columns hold together (03_merge.sql checks it): yes is
     * IPS or SE, no is neither */
    if (y == YN_NONE || (y == YN_YES && i == TRI_FALSE && s == TRI_FALSE) ||
        (y == YN_NO && (i == TRI_TRUE || s == TRI_TRUE))) {
        not_held(out, q, v, key);
        return;
    }
    *ipsse = y;
    *ips = i;
    *se = s;
}

static void fill_wide(struct norm_report *out)
{
    out->nav_collab = wide_yesno(out, "nav_collab");
    out->nav_collab_specialist = wide_yesno(out, "nav_collab_specialist");
    const struct question *q = codes_question_key("nav_rating");
    const char *v = q ? given_value(out, q) : NULL;
    if (v && (out->nav_rating = codes_rating_value(v)) == RATING_NONE)
        not_held(out, q, v, "nav_rating");
    wide_ips_se(out, "ips_se_mental_health", &out->ips_se_mental_health,
                &out->ips_mental_health, &out->se_mental_health);
    wide_ips_se(out, "ips_se_substance", &out->ips_se_substance,
                &out->ips_substance, &out->se_substance);
}

/* --- the report ------------------------------------------------------------ */

/* Each question is judged once, at its first answering element: counted
 * first, judged after. */
void answers_check(const struct raw_report *raw, struct norm_report *out)
{
    const char *why = codes_error();
    if (why) {
        problem_add(out, PROBLEM_REPORT, "", "the catalogue of the form "
                    "compiled into is248 cannot be read: %s", why);
        return;
    }
    int nq = codes_count();
    size_t count[CODES_MAX_QUESTIONS], first[CODES_MAX_QUESTIONS];
    memset(count, 0, (size_t)nq * sizeof count[0]);
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
        if (count[q->index]++ == 0)
            first[q->index] = i;
    }
    for (size_t i = 0; i < raw->n_answers; i++) {
        const struct question *q = question_of(raw, &raw->answers[i]);
        if (!q || count[q->index] == 0 || first[q->index] != i)
            continue;
        struct norm_answer *ans = &out->answers[q->index];
        const char *id = q->id[version_of(raw->version)];
        if (!codes_asked(q, out->year))
            problem_add(out, PROBLEM_WARNING, id, "question %s is not on the "
                        "%d form; answer ignored", id, out->year);
        else if (count[q->index] == 2) {
            problem_add(out, PROBLEM_ANSWER, id, "answered twice");
            ans->state = ANSWER_SET_ASIDE;
        } else if (count[q->index] > 2) {
            problem_add(out, PROBLEM_ANSWER, id, "answered %zu times",
                        count[q->index]);
            ans->state = ANSWER_SET_ASIDE;
        } else if (raw->version == REPORT_V1)
            answer_v1(&raw->answers[i], q, ans, out);
        else
            answer_v2(raw, i, q, ans, out);
    }
    fill_wide(out);
}
