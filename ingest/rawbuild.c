/*
 * rawbuild.c - the report state machine of the XML reader: which elements
 * of version 1 and 2 are known and where each may stand, the values kept of
 * each, and the faults and warnings of a report that is well-formed XML but
 * not as the format says (rawbuild.h has the contract).
 *
 * Elements are matched on namespace URI and local name, whatever the
 * prefix, by pointer into the parser's dictionary.  The known elements that
 * are open form a small stack of frames.  An unknown element, or a known one
 * in the wrong place, is skipped with everything inside it: a known element
 * in the wrong place inside a report, or one given twice, sets
 * raw_report.fault (the first fault wins) and the report is still delivered;
 * directly under <Rapporter> it gives a warning; an element with a known
 * local name in another namespace (or none) gives a warning naming it, since
 * it most likely holds data the format meant; other unknown elements (future
 * extensions) are ignored silently, unless they stand inside a value.
 */
#include "rawbuild.h"

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "printable.h"
#include "utf8.h"

#define RB_NS2 "urn:no:helsedirektoratet:is-24-8:2"
#define RB_FRAMES 8            /* known elements nest at most 5 deep */
#define RB_ARENA_BLOCK 16384
#define RB_KEEP (1U << 20)     /* memory kept for the next report */
#define RB_ANSWERS_KEEP 4096   /* answers' room kept for the next report */
#define RB_SBUF_FIRST 256      /* a text buffer's first room */
#define RB_REASON 512          /* why a file is set aside */
#define RB_FAULT 200           /* a report's fault */
#define RB_WHY 160             /* why a report is dropped, a short warning */
#define RB_WARNING 256         /* a warning that quotes a name */
#define RB_QUOTE 256           /* a name from the file, escaped */

/* ------------------------------------------------------------------------ */
/* Arena: the strings of one report; a growable byte buffer.                 */

struct arena_block {
    struct arena_block *next;
    size_t cap, used;
    char data[];
};

struct arena {
    struct arena_block *first, *cur;
    size_t total; /* bytes of all blocks */
};

static void arena_free(struct arena *a)
{
    struct arena_block *b = a->first;
    while (b) {
        struct arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->first = a->cur = NULL;
    a->total = 0;
}

/* Empty it for the next report; a large one is given back. */
static void arena_reset(struct arena *a)
{
    if (a->total > RB_KEEP)
        arena_free(a);
    for (struct arena_block *b = a->first; b; b = b->next)
        b->used = 0;
    a->cur = a->first;
}

/* n bytes, or NULL when out of memory. */
static char *arena_alloc(struct arena *a, size_t n)
{
    struct arena_block *b = a->cur;
    while (b && b->cap - b->used < n) {
        b = b->next;
        if (b)
            b->used = 0;
    }
    if (!b) {
        size_t cap = n > RB_ARENA_BLOCK ? n : RB_ARENA_BLOCK;
        b = malloc(sizeof *b + cap);
        if (!b)
            return NULL;
        b->cap = cap;
        b->used = 0;
        a->total += cap;
        /* after the current block, so that those already used in this
         * report stay where they are */
        if (a->cur) {
            b->next = a->cur->next;
            a->cur->next = b;
        } else {
            b->next = NULL;
            a->first = b;
        }
    }
    a->cur = b;
    char *p = b->data + b->used;
    b->used += n;
    return p;
}

struct sbuf {
    char *p;
    size_t len, cap;
};

static int sbuf_append(struct sbuf *b, const char *s, size_t n)
{
    if (b->cap - b->len < n + 1) {
        size_t cap = b->cap ? b->cap : RB_SBUF_FIRST;
        while (cap - b->len < n + 1) {
            if (cap > SIZE_MAX / 2)
                return -1;
            cap *= 2;
        }
        char *p = realloc(b->p, cap);
        if (!p)
            return -1;
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* The elements and attributes we know.                                      */

enum kind {
    K_OTHER = 0,
    /* version 2, in RB_NS2 */
    K_RAPPORTER, K_RAPPORT, K_INNSENDING, K_ENHET, K_KAPITTEL, K_SVAR, K_VALG,
    /* version 1, no namespace */
    K_KOMMUNERAPPORT, K_AARGANG, K_INNSENDT, K_ENHET1, K_NUMMER, K_NAVN,
    K_INNBYGGERE, K_SVAR1, K_SPORSMAL,
    K_COUNT
};

#define K_FIRST_V2 K_RAPPORTER
#define K_LAST_V2 K_VALG
#define K_FIRST_V1 K_KOMMUNERAPPORT
#define K_LAST_V1 K_SPORSMAL

static const char *const kind_name[K_COUNT] = {
    [K_OTHER] = "?",
    [K_RAPPORTER] = "Rapporter", [K_RAPPORT] = "Rapport",
    [K_INNSENDING] = "Innsending", [K_ENHET] = "Enhet",
    [K_KAPITTEL] = "Kapittel", [K_SVAR] = "Svar", [K_VALG] = "Valg",
    [K_KOMMUNERAPPORT] = "kommunerapport", [K_AARGANG] = "aargang",
    [K_INNSENDT] = "innsendt", [K_ENHET1] = "enhet", [K_NUMMER] = "nummer",
    [K_NAVN] = "navn", [K_INNBYGGERE] = "innbyggere", [K_SVAR1] = "svar",
    [K_SPORSMAL] = "sporsmal",
};

enum attr {
    A_RAPPORTERINGSAAR, A_ID, A_TIDSPUNKT, A_TYPE, A_NUMMER, A_INNBYGGERE,
    A_NR, A_SPORSMAL, A_KODE,
    A_COUNT
};

static const char *const attr_name[A_COUNT] = {
    "rapporteringsaar", "id", "tidspunkt", "type", "nummer", "innbyggere",
    "nr", "sporsmal", "kode",
};

/* Does the element's own text become a value? */
static int collects_text(enum kind k)
{
    switch (k) {
    case K_ENHET: case K_SVAR: case K_VALG: case K_AARGANG: case K_INNSENDT:
    case K_NUMMER: case K_NAVN: case K_INNBYGGERE: case K_SPORSMAL:
        return 1;
    default:
        return 0;
    }
}

/* Kinds that may stand only once in a report. */
static int once_only(enum kind k)
{
    switch (k) {
    case K_INNSENDING: case K_ENHET: case K_AARGANG: case K_INNSENDT:
    case K_ENHET1: case K_NUMMER: case K_NAVN: case K_INNBYGGERE:
    case K_SVAR1:
        return 1;
    default:
        return 0;
    }
}

/* ------------------------------------------------------------------------ */
/* The builder.                                                              */

struct frame {
    enum kind kind;
    long line;
    int answer;       /* index in answers, or -1 */
    struct sbuf text; /* the element's own character data (reused) */
};

struct rawbuild {
    const struct xmlrep_sink *sink;
    size_t value_cap;             /* 0: none */
    rawbuild_reject_fn reject;
    void *reject_ctx;

    const xmlChar *ns2;           /* interned names */
    const xmlChar *names[K_COUNT];
    const xmlChar *attrs[A_COUNT];

    int version;                  /* 0 until the root is seen */
    struct frame frames[RB_FRAMES];
    int nframes;

    /* the report being read */
    int in_report, index;
    struct raw_report rep;
    struct raw_answer *answers;
    size_t n_answers, cap_answers;
    const char *chapter;          /* the open Kapittel's nr */
    int seen[K_COUNT];            /* elements met in this report */
    size_t kept;                  /* bytes of values kept in it */
    int dropped;                  /* a limit was met: keep nothing more */
    struct arena arena;

    int failed;                   /* rejected, or out of memory */
    int stopped;                  /* the sink asked to stop */
};

static void fail(struct rawbuild *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Set the file aside (the first reason is the one given). */
static void fail(struct rawbuild *b, const char *fmt, ...)
{
    if (b->failed)
        return;
    b->failed = 1;
    char msg[RB_REASON];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    b->reject(b->reject_ctx, msg);
}

static void warn(struct rawbuild *b, long line, const char *msg)
{
    if (b->sink && b->sink->warning)
        b->sink->warning(b->sink->ctx, line, msg);
}

static void set_fault(struct rawbuild *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void set_fault(struct rawbuild *b, const char *fmt, ...)
{
    if (b->rep.fault)
        return;
    char buf[RB_FAULT];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    size_t len = (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1;
    char *f = arena_alloc(&b->arena, len + 1);
    if (!f) {
        fail(b, "out of memory");
        return;
    }
    memcpy(f, buf, len);
    f[len] = '\0';
    b->rep.fault = f;
}

/* A limit of one report is met: it is set aside, and nothing more of it
 * is kept. */
static void drop(struct rawbuild *b, const char *why)
{
    b->rep.fault = NULL; /* the limit says more than an earlier fault */
    set_fault(b, "%s", why);
    b->dropped = 1;
    b->n_answers = 0;
}

/* Keep a value: copied into the arena, checked against the caps.  An
 * attribute value (attr) has "&#38;" where the file has "&amp;" (libxml2
 * gives '&' so without entity substitution), made '&' again here.  NULL
 * when not kept. */
static const char *keep(struct rawbuild *b, const char *s, size_t n,
                        long line, int attr)
{
    if (b->dropped || b->failed)
        return NULL;
    if (b->value_cap && n > b->value_cap) {
        fail(b, "value longer than %zu bytes at line %ld", b->value_cap, line);
        return NULL;
    }
    if (b->kept + n > RAWBUILD_MAX_BYTES) {
        char why[RB_WHY];
        snprintf(why, sizeof why, "more than %u bytes of values in one "
                 "report (line %ld)", RAWBUILD_MAX_BYTES, line);
        drop(b, why);
        return NULL;
    }
    b->kept += n;
    char *c = arena_alloc(&b->arena, n + 1);
    if (!c) {
        fail(b, "out of memory");
        return NULL;
    }
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        const char *amp = attr ? memchr(s + i, '&', n - i) : NULL;
        size_t run = amp ? (size_t)(amp - (s + i)) : n - i;
        memcpy(c + o, s + i, run);
        o += run;
        i += run;
        if (amp) { /* "&#38;" */
            c[o++] = '&';
            i += n - i >= 5 && memcmp(s + i, "&#38;", 5) == 0 ? 5 : 1;
        }
    }
    c[o] = '\0';
    return c;
}

/* The attributes wanted of an element (no namespace, or the report
 * namespace), by interned local name; values[i] gets a copy or NULL. */
static void get_attrs(struct rawbuild *b, int nattrs, const xmlChar **attrs,
                      const enum attr *want, const char **values, int n,
                      long line)
{
    for (int i = 0; i < n; i++)
        values[i] = NULL;
    for (int a = 0; a < nattrs; a++) {
        const xmlChar **at = attrs + 5 * a;
        if (at[2] && at[2] != b->ns2)
            continue;
        for (int i = 0; i < n; i++) {
            if (values[i] || at[0] != b->attrs[want[i]])
                continue;
            values[i] = keep(b, (const char *)at[3], (size_t)(at[4] - at[3]),
                             line, 1);
            if (b->failed)
                return;
        }
    }
}

/* Append an answer; its index, or -1 (out of memory, or a limit). */
static int add_answer(struct rawbuild *b, const char *question,
                      const char *code, int parent, long line)
{
    if (b->dropped || b->failed)
        return -1;
    if (b->n_answers == RAWBUILD_MAX_ANSWERS) {
        char why[RB_WHY];
        snprintf(why, sizeof why, "more than %d answers in one report "
                 "(line %ld)", RAWBUILD_MAX_ANSWERS, line);
        drop(b, why);
        return -1;
    }
    if (b->n_answers == b->cap_answers) {
        size_t cap = b->cap_answers ? b->cap_answers * 2 : 32;
        struct raw_answer *a = realloc(b->answers, cap * sizeof *a);
        if (!a) {
            fail(b, "out of memory");
            return -1;
        }
        b->answers = a;
        b->cap_answers = cap;
    }
    struct raw_answer *a = &b->answers[b->n_answers];
    a->chapter = b->version == REPORT_V2 ? b->chapter : NULL;
    a->question = question;
    a->code = code;
    a->text = NULL;
    a->parent = parent;
    a->line = line;
    return (int)b->n_answers++;
}

/* ------------------------------------------------------------------------ */
/* Reports.                                                                  */

static void begin_report(struct rawbuild *b, int nattrs, const xmlChar **attrs,
                         long line)
{
    arena_reset(&b->arena);
    memset(&b->rep, 0, sizeof b->rep);
    memset(b->seen, 0, sizeof b->seen);
    b->n_answers = 0;
    b->kept = 0;
    b->dropped = 0;
    b->chapter = NULL;
    b->in_report = 1;
    b->rep.version = (enum report_version)b->version;
    b->rep.index = ++b->index;
    b->rep.line = line;
    if (b->version == REPORT_V2) {
        static const enum attr want[] = { A_RAPPORTERINGSAAR };
        get_attrs(b, nattrs, attrs, want, &b->rep.year, 1, line);
    }
}

static void end_report(struct rawbuild *b)
{
    b->in_report = 0;
    b->rep.answers = b->answers;
    b->rep.n_answers = b->n_answers;
    if (b->sink && b->sink->report &&
        b->sink->report(b->sink->ctx, &b->rep) != 0)
        b->stopped = 1;
    arena_reset(&b->arena);
    if (b->cap_answers > RB_ANSWERS_KEEP) { /* a large one: given back */
        free(b->answers);
        b->answers = NULL;
        b->cap_answers = 0;
    }
}

/* The value of a text-collecting element: NULL when empty or blank. */
static const char *own_text(struct rawbuild *b, const struct frame *f)
{
    for (size_t i = 0; i < f->text.len; i++) {
        char c = f->text.p[i];
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
            return keep(b, f->text.p, f->text.len, f->line, 0);
    }
    return NULL;
}

void rawbuild_end(struct rawbuild *b)
{
    if (b->failed || b->stopped || b->nframes == 0)
        return;
    struct frame *f = &b->frames[b->nframes - 1];
    const char *text = collects_text(f->kind) ? own_text(b, f) : NULL;
    switch (f->kind) {
    case K_RAPPORT:
    case K_KOMMUNERAPPORT:
        if (!b->failed)
            end_report(b);
        break;
    case K_KAPITTEL: b->chapter = NULL; break;
    case K_ENHET: b->rep.unit_name = text; break;
    case K_AARGANG: b->rep.year = text; break;
    case K_INNSENDT: b->rep.submitted = text; break;
    case K_NUMMER: b->rep.unit_code = text; break;
    case K_NAVN: b->rep.unit_name = text; break;
    case K_INNBYGGERE: b->rep.population = text; break;
    case K_SVAR:
    case K_VALG:
    case K_SPORSMAL:
        if (f->answer >= 0 && (size_t)f->answer < b->n_answers)
            b->answers[f->answer].text = text;
        break;
    default:
        break;
    }
    b->nframes--;
}

void rawbuild_text(struct rawbuild *b, const char *p, size_t n)
{
    if (b->failed || b->stopped || b->dropped || b->nframes == 0)
        return;
    struct frame *f = &b->frames[b->nframes - 1];
    if (!collects_text(f->kind))
        return;
    if (b->value_cap && f->text.len + n > b->value_cap) {
        fail(b, "value longer than %zu bytes at line %ld", b->value_cap,
             f->line);
        return;
    }
    if (sbuf_append(&f->text, p, n) != 0)
        fail(b, "out of memory");
}

/* ------------------------------------------------------------------------ */
/* Elements.                                                                 */

/* The kind of an element of the file's version, or K_OTHER. */
static enum kind classify(const struct rawbuild *b, const xmlChar *local,
                          const xmlChar *uri)
{
    int v2 = b->version == REPORT_V2;
    if (v2 ? uri != b->ns2 : uri != NULL)
        return K_OTHER;
    for (int k = v2 ? K_FIRST_V2 : K_FIRST_V1; k <= (v2 ? K_LAST_V2 : K_LAST_V1);
         k++)
        if (local == b->names[k])
            return (enum kind)k;
    return K_OTHER;
}

/* An element of the file's version by its local name, but in another
 * namespace (or in none): most likely data meant for the format, so the
 * warning names it. */
static void foreign(struct rawbuild *b, const xmlChar *local,
                    const xmlChar *uri, long line)
{
    int v2 = b->version == REPORT_V2;
    for (int k = v2 ? K_FIRST_V2 : K_FIRST_V1; k <= (v2 ? K_LAST_V2 : K_LAST_V1);
         k++) {
        if (local != b->names[k])
            continue;
        char msg[RB_WARNING], q[RB_QUOTE];
        if (uri)
            snprintf(msg, sizeof msg, "'%s' in namespace '%s' ignored with "
                     "everything inside it", kind_name[k],
                     printable_copy(q, sizeof q, (const char *)uri,
                                    strlen((const char *)uri), 60));
        else
            snprintf(msg, sizeof msg, "'%s' without the namespace '%s' "
                     "ignored with everything inside it", kind_name[k], RB_NS2);
        warn(b, line, msg);
        return;
    }
}

/* Where may kind k stand, given the kind of its parent?  NULL when it is
 * in its place, else why not. */
static const char *misplaced(enum kind k, enum kind parent, char *buf,
                             size_t len)
{
    static const enum kind place[K_COUNT] = {
        [K_RAPPORT] = K_RAPPORTER, [K_INNSENDING] = K_RAPPORT,
        [K_ENHET] = K_RAPPORT, [K_KAPITTEL] = K_RAPPORT,
        [K_SVAR] = K_KAPITTEL, [K_VALG] = K_SVAR,
        [K_AARGANG] = K_KOMMUNERAPPORT, [K_INNSENDT] = K_KOMMUNERAPPORT,
        [K_ENHET1] = K_KOMMUNERAPPORT, [K_SVAR1] = K_KOMMUNERAPPORT,
        [K_NUMMER] = K_ENHET1, [K_NAVN] = K_ENHET1,
        [K_INNBYGGERE] = K_ENHET1, [K_SPORSMAL] = K_SVAR1,
    };
    if (place[k] == parent)
        return NULL;
    if (k == K_RAPPORT || k == K_RAPPORTER || k == K_KOMMUNERAPPORT)
        snprintf(buf, len, "'%s' inside a report", kind_name[k]);
    else if (k == K_SVAR || k == K_VALG || k == K_SPORSMAL)
        snprintf(buf, len, "'%s' outside a '%s'", kind_name[k],
                 kind_name[place[k]]);
    else
        snprintf(buf, len, "'%s' inside '%s'", kind_name[k],
                 kind_name[parent]);
    return buf;
}

static int push(struct rawbuild *b, enum kind k, long line, int answer)
{
    if (b->nframes == RB_FRAMES) {
        /* cannot happen: known elements nest at most 5 deep */
        fail(b, "elements nested too deep at line %ld", line);
        return -1;
    }
    struct frame *f = &b->frames[b->nframes++];
    f->kind = k;
    f->line = line;
    f->answer = answer;
    f->text.len = 0;
    return 0;
}

/* The root element.  Returns 1 when the file is not a report (and sets it
 * aside), else 0. */
static int start_root(struct rawbuild *b, const xmlChar *local,
                      const xmlChar *uri, int nattrs, const xmlChar **attrs,
                      long line)
{
    if (uri == b->ns2 &&
        (local == b->names[K_RAPPORT] || local == b->names[K_RAPPORTER])) {
        b->version = REPORT_V2;
    } else if (!uri && local == b->names[K_KOMMUNERAPPORT]) {
        b->version = REPORT_V1;
    } else {
        char l[RB_QUOTE], u[RB_QUOTE];
        printable_copy(l, sizeof l, (const char *)local,
                       strlen((const char *)local), 60);
        if (uri)
            fail(b, "not an IS-24/8 report: root element '%s' in namespace "
                 "'%s'", l, printable_copy(u, sizeof u, (const char *)uri,
                                strlen((const char *)uri), 60));
        else
            fail(b, "not an IS-24/8 report: root element '%s'", l);
        return 1;
    }
    enum kind k = classify(b, local, uri);
    if (push(b, k, line, -1) != 0)
        return 1;
    if (k != K_RAPPORTER)
        begin_report(b, nattrs, attrs, line);
    return 0;
}

/* The values a known element carries in its attributes; its answer's
 * index, or -1. */
static int take_attrs(struct rawbuild *b, enum kind k, int nattrs,
                      const xmlChar **attrs, long line)
{
    const char *v[3];
    switch (k) {
    case K_INNSENDING: {
        static const enum attr want[] = { A_ID, A_TIDSPUNKT };
        get_attrs(b, nattrs, attrs, want, v, 2, line);
        b->rep.submission_id = v[0];
        b->rep.submitted = v[1];
        return -1;
    }
    case K_ENHET: {
        static const enum attr want[] = { A_TYPE, A_NUMMER, A_INNBYGGERE };
        get_attrs(b, nattrs, attrs, want, v, 3, line);
        b->rep.unit_type = v[0];
        b->rep.unit_code = v[1];
        b->rep.population = v[2];
        return -1;
    }
    case K_ENHET1: {
        static const enum attr want[] = { A_TYPE };
        get_attrs(b, nattrs, attrs, want, v, 1, line);
        b->rep.unit_type = v[0];
        return -1;
    }
    case K_KAPITTEL: {
        static const enum attr want[] = { A_NR };
        get_attrs(b, nattrs, attrs, want, v, 1, line);
        b->chapter = v[0];
        return -1;
    }
    case K_SVAR: {
        static const enum attr want[] = { A_SPORSMAL, A_KODE };
        get_attrs(b, nattrs, attrs, want, v, 2, line);
        return b->failed ? -1 : add_answer(b, v[0], v[1], -1, line);
    }
    case K_VALG: {
        static const enum attr want[] = { A_KODE };
        get_attrs(b, nattrs, attrs, want, v, 1, line);
        int svar = b->frames[b->nframes - 1].answer;
        if (b->failed || svar < 0 || (size_t)svar >= b->n_answers)
            return -1;
        return add_answer(b, b->answers[svar].question, v[0], svar, line);
    }
    case K_SPORSMAL: {
        static const enum attr want[] = { A_ID };
        get_attrs(b, nattrs, attrs, want, v, 1, line);
        return b->failed ? -1 : add_answer(b, v[0], NULL, -1, line);
    }
    default:
        return -1;
    }
}

/* A known element directly under <Rapporter>: only a Rapport belongs. */
static int outside_report(struct rawbuild *b, enum kind k, int nattrs,
                          const xmlChar **attrs, long line)
{
    if (k != K_RAPPORT) {
        char why[RB_WHY];
        snprintf(why, sizeof why, "'%s' outside a 'Rapport' ignored",
                 kind_name[k]);
        warn(b, line, why);
        return 1;
    }
    if (push(b, k, line, -1) != 0)
        return 1;
    begin_report(b, nattrs, attrs, line);
    return 0;
}

int rawbuild_start(struct rawbuild *b, const xmlChar *local,
                   const xmlChar *uri, int nattrs, const xmlChar **attrs,
                   long line)
{
    if (b->failed || b->stopped)
        return 1;
    if (!b->version)
        return start_root(b, local, uri, nattrs, attrs, line);
    if (b->nframes == 0)
        return 1;
    enum kind k = classify(b, local, uri);
    enum kind parent = b->frames[b->nframes - 1].kind;
    if (k == K_OTHER) {
        /* ignored with everything inside it, unless it would hide part of
         * a value (<Svar><span>Ja</span></Svar>) */
        char q[RB_QUOTE];
        if (b->in_report && collects_text(parent))
            set_fault(b, "unexpected element '%s' inside '%s' (line %ld)",
                      printable_copy(q, sizeof q, (const char *)local,
                                     strlen((const char *)local), 40), kind_name[parent],
                      line);
        else
            foreign(b, local, uri, line);
        return 1;
    }
    if (!b->in_report)
        return outside_report(b, k, nattrs, attrs, line);

    char why[RB_WHY];
    const char *bad = misplaced(k, parent, why, sizeof why);
    if (bad) {
        set_fault(b, "%s", bad);
        return 1;
    }
    if (once_only(k) && b->seen[k]++) {
        set_fault(b, "'%s' given twice", kind_name[k]);
        return 1;
    }
    int answer = take_attrs(b, k, nattrs, attrs, line);
    if (b->failed || push(b, k, line, answer) != 0)
        return 1;
    return 0;
}

int rawbuild_stopped(const struct rawbuild *b)
{
    return b->stopped;
}

struct rawbuild *rawbuild_new(xmlDictPtr dict, const struct xmlrep_sink *sink,
                              size_t value_cap, rawbuild_reject_fn reject,
                              void *ctx)
{
    struct rawbuild *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    b->sink = sink;
    b->value_cap = value_cap;
    b->reject = reject;
    b->reject_ctx = ctx;
    b->ns2 = xmlDictLookup(dict, (const xmlChar *)RB_NS2, -1);
    int ok = b->ns2 != NULL;
    for (int k = K_OTHER + 1; k < K_COUNT && ok; k++)
        ok = (b->names[k] = xmlDictLookup(dict, (const xmlChar *)kind_name[k],
                                          -1)) != NULL;
    for (int a = 0; a < A_COUNT && ok; a++)
        ok = (b->attrs[a] = xmlDictLookup(dict, (const xmlChar *)attr_name[a],
                                          -1)) != NULL;
    if (!ok) {
        free(b);
        return NULL;
    }
    return b;
}

void rawbuild_free(struct rawbuild *b)
{
    if (!b)
        return;
    for (int i = 0; i < RB_FRAMES; i++)
        free(b->frames[i].text.p);
    free(b->answers);
    arena_free(&b->arena);
    free(b);
}
