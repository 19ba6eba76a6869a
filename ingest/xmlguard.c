/*
 * xmlguard.c - the watch on a report file's bytes before libxml2 sees them:
 * a DOCTYPE in the prolog, start tags with too many attributes or too long
 * (xmlguard.h says why each is stopped).  A small state machine over the
 * markup; everything that cannot change its state is stepped over with
 * memchr() or a table, and newlines are counted once per block, for the
 * line numbers of its reasons.
 */
#include "xmlguard.h"

#include <stdlib.h>
#include <string.h>

enum state {
    S_PROLOG = 0, /* before the root: blanks between markup */
    S_TEXT,       /* character data */
    S_LT,         /* after '<' */
    S_BANG,       /* after "<!" */
    S_BANG_DASH,  /* after "<!-" */
    S_WORD,       /* matching the rest of "<!DOCTYPE" or "<![CDATA[" */
    S_COMMENT,    /* up to "-->" */
    S_PI,         /* up to "?>" */
    S_CDATA,      /* up to "]]>" */
    S_DECL,       /* an end tag or other "<!" markup: up to '>' */
    S_STAG,       /* a start tag, outside quotes */
    S_QUOT,       /* "..." in a start tag */
    S_APOS,       /* '...' in a start tag */
    S_SPENT       /* a verdict was given */
};

static const char doctype_rest[] = "OCTYPE";
static const char cdata_rest[] = "CDATA[";

void xmlguard_init(struct xmlguard *g, enum xmlguard_width width, size_t bom)
{
    memset(g, 0, sizeof *g);
    g->width = width;
    g->state = S_PROLOG;
    g->prolog = 1;
    g->skip = width == XMLGUARD_BYTES ? bom : bom / 2;
}

void xmlguard_free(struct xmlguard *g)
{
    free(g->units);
    g->units = NULL;
    g->units_cap = 0;
}

/* Newlines in p[0..n): 64 bytes at a time in a loop the compiler can make
 * vector code of. */
static long count_lines(const unsigned char *p, size_t n)
{
    long lines = 0;
    size_t i = 0;
    for (; n - i >= 64; i += 64) {
        unsigned char k = 0;
        for (int j = 0; j < 64; j++)
            k += p[i + j] == '\n';
        lines += k;
    }
    for (; i < n; i++)
        lines += p[i] == '\n';
    return lines;
}

static int is_blank(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* c repeated at the end of p[0..e), added to run when all of it is c;
 * at most cap. */
static int trailing(const unsigned char *p, const unsigned char *e, int c,
                    int run, int cap)
{
    int k = 0;
    while (e > p && k < cap && e[-1] == c) {
        e--;
        k++;
    }
    if (e == p)
        k += run;
    return k < cap ? k : cap;
}

/* Where scanning goes after a piece of markup ends. */
static int after_markup(const struct xmlguard *g)
{
    return g->prolog ? S_PROLOG : S_TEXT;
}

/* S_COMMENT, S_PI, S_CDATA: up to '>' after need times c. */
static const unsigned char *markup_end(struct xmlguard *g,
                                       const unsigned char *p,
                                       const unsigned char *end, int c,
                                       int need)
{
    while (p < end) {
        const unsigned char *q = memchr(p, '>', (size_t)(end - p));
        if (!q) {
            g->run = trailing(p, end, c, g->run, need);
            return end;
        }
        if (trailing(p, q, c, g->run, need) >= need) {
            g->state = after_markup(g);
            return q + 1;
        }
        g->run = 0;
        p = q + 1;
    }
    return p;
}

/* S_STAG: to the next quote or '>', counting '='. */
static const unsigned char *start_tag(struct xmlguard *g,
                                      const unsigned char *base,
                                      const unsigned char *p,
                                      const unsigned char *end,
                                      enum xmlguard_verdict *v)
{
    /* the bytes that matter in a start tag */
    static const unsigned char stops[256] = {
        ['"'] = 1, ['\''] = 1, ['>'] = 1, ['='] = 1,
    };
    for (;;) {
        while (p < end && !stops[*p])
            p++;
        if (p == end)
            return p;
        switch (*p) {
        case '"':
            g->state = S_QUOT;
            return p + 1;
        case '\'':
            g->state = S_APOS;
            return p + 1;
        case '>':
            if (g->off + (uint64_t)(p - base) - g->mark + 1 > XMLGUARD_MAX_TAG)
                *v = XMLGUARD_TAG;
            g->state = S_TEXT;
            return p + 1;
        default: /* '=' */
            if (++g->attrs > XMLGUARD_MAX_ATTRS) {
                *v = XMLGUARD_ATTRS;
                return p;
            }
            p++;
        }
    }
}

/* After '<', "<!", "<!-" or part of a keyword: one character decides. */
static const unsigned char *markup_start(struct xmlguard *g,
                                         const unsigned char *p,
                                         enum xmlguard_verdict *v)
{
    unsigned char c = *p;
    switch (g->state) {
    case S_LT:
        if (c == '?' || c == '!' || c == '/') {
            g->state = c == '?' ? S_PI : c == '!' ? S_BANG : S_DECL;
            g->run = 0;
            return p + 1;
        }
        g->state = S_STAG; /* c is the first of its name */
        g->attrs = 0;
        g->prolog = 0;
        return p;
    case S_BANG:
        if (c == '-') {
            g->state = S_BANG_DASH;
            return p + 1;
        }
        if (c == '[' || (c == 'D' && g->prolog)) {
            g->word = c == '[' ? cdata_rest : doctype_rest;
            g->run = 0;
            g->state = S_WORD;
            return p + 1;
        }
        g->state = S_DECL;
        return p;
    case S_BANG_DASH:
        g->state = c == '-' ? S_COMMENT : S_DECL;
        g->run = 0;
        return c == '-' ? p + 1 : p;
    default: /* S_WORD */
        if (c != (unsigned char)g->word[g->run]) {
            g->state = S_DECL;
            return p;
        }
        if (g->word[++g->run])
            return p + 1;
        if (g->word == doctype_rest) {
            *v = XMLGUARD_DOCTYPE;
            return p;
        }
        g->state = S_CDATA;
        g->run = 0;
        return p + 1;
    }
}

/* The state machine over base[0..n). */
static enum xmlguard_verdict scan(struct xmlguard *g, const unsigned char *base,
                                  size_t n)
{
    const unsigned char *p = base, *end = base + n, *q;
    enum xmlguard_verdict v = XMLGUARD_OK;
    while (p < end && v == XMLGUARD_OK) {
        switch (g->state) {
        case S_PROLOG:
            if (g->skip) { /* the byte order mark */
                size_t k = g->skip < (size_t)(end - p) ? g->skip
                                                       : (size_t)(end - p);
                p += k;
                g->skip -= k;
            }
            while (p < end && is_blank(*p))
                p++;
            if (p < end && *p == '<') {
                g->mark = g->off + (uint64_t)(p - base);
                g->state = S_LT;
                p++;
            } else if (p < end) {
                g->prolog = 0; /* text before the root: libxml2 says so */
                g->state = S_TEXT;
            }
            break;
        case S_TEXT:
            q = memchr(p, '<', (size_t)(end - p));
            if (!q) {
                p = end;
                break;
            }
            g->mark = g->off + (uint64_t)(q - base);
            g->state = S_LT;
            p = q + 1;
            break;
        case S_COMMENT: p = markup_end(g, p, end, '-', 2); break;
        case S_PI: p = markup_end(g, p, end, '?', 1); break;
        case S_CDATA: p = markup_end(g, p, end, ']', 2); break;
        case S_DECL:
            q = memchr(p, '>', (size_t)(end - p));
            if (!q) {
                p = end;
                break;
            }
            g->state = after_markup(g);
            p = q + 1;
            break;
        case S_STAG:
            p = start_tag(g, base, p, end, &v);
            break;
        case S_QUOT:
        case S_APOS:
            q = memchr(p, g->state == S_QUOT ? '"' : '\'', (size_t)(end - p));
            if (!q) {
                p = end;
                break;
            }
            g->state = S_STAG;
            p = q + 1;
            break;
        default: /* S_LT, S_BANG, S_BANG_DASH, S_WORD */
            p = markup_start(g, p, &v);
            break;
        }
    }
    if (v == XMLGUARD_OK &&
        (g->state == S_STAG || g->state == S_QUOT || g->state == S_APOS) &&
        g->off + n - g->mark > XMLGUARD_MAX_TAG)
        v = XMLGUARD_TAG;
    return v;
}

/* UTF-16: the block as one byte per unit (ASCII as itself, the rest as
 * 0x80, which means nothing to the scanner); *len its length. */
static const unsigned char *units(struct xmlguard *g, const unsigned char *p,
                                  size_t n, size_t *len)
{
    if (g->units_cap < n / 2 + 1) {
        free(g->units);
        g->units_cap = n / 2 + 1;
        g->units = malloc(g->units_cap);
        if (!g->units) {
            g->units_cap = 0;
            return NULL;
        }
    }
    int big = g->width == XMLGUARD_UTF16BE;
    size_t o = 0, i = 0;
    if (g->has_odd && n > 0) {
        unsigned u = big ? (unsigned)g->odd << 8 | p[0]
                         : (unsigned)p[0] << 8 | g->odd;
        g->units[o++] = u < 0x80 ? (unsigned char)u : 0x80;
        g->has_odd = 0;
        i = 1;
    }
    for (; i + 1 < n; i += 2) {
        unsigned u = big ? (unsigned)p[i] << 8 | p[i + 1]
                         : (unsigned)p[i + 1] << 8 | p[i];
        g->units[o++] = u < 0x80 ? (unsigned char)u : 0x80;
    }
    if (i < n) {
        g->odd = p[i];
        g->has_odd = 1;
    }
    *len = o;
    return g->units;
}

enum xmlguard_verdict xmlguard_scan(struct xmlguard *g, const unsigned char *p,
                                    size_t n)
{
    if (g->state == S_SPENT)
        return XMLGUARD_NOMEM; /* cannot happen: the caller stopped */
    if (g->width != XMLGUARD_BYTES) {
        p = units(g, p, n, &n);
        if (!p) {
            g->state = S_SPENT;
            return XMLGUARD_NOMEM;
        }
    }
    enum xmlguard_verdict v = scan(g, p, n);
    if (v != XMLGUARD_OK || (g->state != S_TEXT && g->state != S_PROLOG)) {
        /* the line of the markup watched, while its bytes are at hand */
        if (g->mark >= g->off)
            g->mark_line = g->lines + 1 +
                           count_lines(p, (size_t)(g->mark - g->off));
    }
    if (v != XMLGUARD_OK) {
        g->state = S_SPENT;
        return v;
    }
    g->prev_lines = g->lines;
    g->lines += count_lines(p, n);
    g->off += n;
    return XMLGUARD_OK;
}

long xmlguard_line(const struct xmlguard *g)
{
    return g->mark_line;
}

long xmlguard_line_at(const struct xmlguard *g, const unsigned char *block,
                      size_t at)
{
    return g->prev_lines + 1 + count_lines(block, at);
}
