/*
 * xmlenc.c - the encoding of a report file: the byte order mark, the
 * encoding the first bytes show and the one the XML declaration names, the
 * encodings is248 reads and those it refuses, and the decision between
 * ISO-8859-1 and UTF-8 for files declared ISO-8859-1, taken on the whole
 * file while it streams past (xmlenc.h says how).  It sees bytes before the
 * parser does and hands them on through the caller's xmlenc_out.
 */
#include "xmlenc.h"
#include "utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ENC_PIECE (32 * 1024) /* bytes transcoded per hand-over (64 KiB out) */
#define HEAD_LOOK 512         /* bytes of the head searched for the
                               * declaration (as single bytes) */

enum mode {
    M_PASS = 0, /* hand every byte on as it is */
    M_ASCII,    /* declared ISO-8859-1, nothing but ASCII so far */
    M_HOLD,     /* holding back from the first non-ASCII byte */
    M_CHECK,    /* read as UTF-8 before the end: every byte still checked */
    M_LATIN1,   /* ISO-8859-1: transcoded to UTF-8 */
    M_DONE      /* ended, or stopped */
};

/* ------------------------------------------------------------------------ */
/* The plan.                                                                 */

static int is_blank(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int enc_name_char(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

/* The first bytes of a UTF-16 file as ASCII (other units as 0x01), for
 * reading its declaration; returns the characters written. */
static size_t project16(const unsigned char *p, size_t n, int big, char *out,
                        size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i + 1 < n && o < cap; i += 2) {
        unsigned u = big ? (unsigned)p[i] << 8 | p[i + 1]
                         : (unsigned)p[i + 1] << 8 | p[i];
        out[o++] = u < 0x80 && u != 0 ? (char)u : 1;
    }
    return o;
}

/* s[0..n) from i on: the index after the blanks. */
static size_t skip_blanks(const char *s, size_t n, size_t i)
{
    while (i < n && is_blank((unsigned char)s[i]))
        i++;
    return i;
}

/* The value of the encoding pseudo-attribute of the XML declaration at the
 * start of s[0..n), into out ("" when there is none, or when it is not a
 * well-formed name: libxml2 then says what is wrong with it). */
static void declared_encoding(const char *s, size_t n, char *out, size_t cap)
{
    out[0] = '\0';
    if (n < 6 || memcmp(s, "<?xml", 5) != 0 || !is_blank((unsigned char)s[5]))
        return;
    size_t end = 5;
    while (end + 1 < n && !(s[end] == '?' && s[end + 1] == '>'))
        end++;
    if (end + 1 >= n)
        return;
    for (size_t i = 5; i + 8 <= end; i++) {
        if (s[i] != 'e' || memcmp(s + i, "encoding", 8) != 0 ||
            !is_blank((unsigned char)s[i - 1]))
            continue;
        size_t j = skip_blanks(s, end, i + 8);
        if (j >= end || s[j] != '=')
            return;
        j = skip_blanks(s, end, j + 1);
        if (j >= end || (s[j] != '"' && s[j] != '\''))
            return;
        char q = s[j++];
        size_t o = 0;
        while (j < end && s[j] != q) {
            if (!enc_name_char((unsigned char)s[j]) || o + 1 >= cap) {
                out[0] = '\0';
                return;
            }
            out[o++] = s[j++];
        }
        out[o] = '\0';
        if (j >= end)
            out[0] = '\0';
        return;
    }
}

enum name_kind { N_UTF8, N_LATIN1, N_SINGLE, N_UTF16, N_OTHER };

/* A number n at s (and nothing after it) within [lo, hi]? */
static int number_in(const char *s, int lo, int hi)
{
    if (!*s || strlen(s) > 2)
        return 0;
    int v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return 0;
        v = v * 10 + (*s - '0');
    }
    return v >= lo && v <= hi;
}

/* What an encoding name stands for; case, '-', '_', ':', '.' and blanks
 * are ignored, as are the years some aliases carry. */
static enum name_kind name_kind(const char *name)
{
    static const char *const latin1[] = {
        "iso88591", "latin1", "l1", "isolatin1", "iso885911987",
        "isoir100", "cp819", "ibm819", "csisolatin1",
    };
    char s[XMLENC_NAME_MAX];
    size_t o = 0;
    for (const char *c = name; *c && o + 1 < sizeof s; c++) {
        if (*c == '-' || *c == '_' || *c == ':' || *c == '.' || *c == ' ')
            continue;
        s[o++] = (*c >= 'A' && *c <= 'Z') ? (char)(*c - 'A' + 'a') : *c;
    }
    s[o] = '\0';
    if (strcmp(s, "utf8") == 0)
        return N_UTF8;
    for (size_t k = 0; k < sizeof latin1 / sizeof latin1[0]; k++)
        if (strcmp(s, latin1[k]) == 0)
            return N_LATIN1;
    if (strcmp(s, "utf16") == 0 || strcmp(s, "utf16le") == 0 ||
        strcmp(s, "utf16be") == 0)
        return N_UTF16;
    if (strcmp(s, "usascii") == 0 || strcmp(s, "ascii") == 0 ||
        strcmp(s, "iso646us") == 0)
        return N_SINGLE;
    /* ISO-8859-2 ... -16 (there is no -12), latin2 ... latin10,
     * windows-1250 ... -1258 */
    if (strncmp(s, "iso8859", 7) == 0 && number_in(s + 7, 2, 16) &&
        strcmp(s + 7, "12") != 0)
        return N_SINGLE;
    if (strncmp(s, "latin", 5) == 0 && number_in(s + 5, 2, 10))
        return N_SINGLE;
    if ((strncmp(s, "windows125", 10) == 0 && number_in(s + 10, 0, 8)) ||
        (strncmp(s, "cp125", 5) == 0 && number_in(s + 5, 0, 8)))
        return N_SINGLE;
    return N_OTHER;
}

/* What the first four bytes show, as libxml2's xmlDetectCharEncoding()
 * decides; NULL for the families read, else the name of the one refused. */
static const char *family_of(const unsigned char *h, size_t n,
                             struct xmlenc_plan *plan)
{
    static const unsigned char ucs4[4][4] = {
        { 0, 0, 0, '<' }, { '<', 0, 0, 0 }, { 0, 0, '<', 0 }, { 0, '<', 0, 0 },
    };
    static const unsigned char ebcdic[4] = { 0x4C, 0x6F, 0xA7, 0x94 };
    if (n >= 4) {
        for (int k = 0; k < 4; k++)
            if (memcmp(h, ucs4[k], 4) == 0)
                return "UCS-4";
        if (memcmp(h, ebcdic, 4) == 0)
            return "EBCDIC";
        if (memcmp(h, "<\0?\0", 4) == 0) {
            plan->family = XMLENC_UTF16LE;
            return NULL;
        }
        if (memcmp(h, "\0<\0?", 4) == 0) {
            plan->family = XMLENC_UTF16BE;
            return NULL;
        }
    }
    if (n >= 3 && h[0] == 0xEF && h[1] == 0xBB && h[2] == 0xBF) {
        plan->bom = 3;
    } else if (n >= 2 && h[0] == 0xFE && h[1] == 0xFF) {
        plan->family = XMLENC_UTF16BE;
        plan->bom = 2;
    } else if (n >= 2 && h[0] == 0xFF && h[1] == 0xFE) {
        plan->family = XMLENC_UTF16LE;
        plan->bom = 2;
    }
    return NULL;
}

int xmlenc_sniff(const unsigned char *p, size_t n, struct xmlenc_plan *plan,
                 char *why, size_t whylen)
{
    memset(plan, 0, sizeof *plan);
    const char *refused = family_of(p, n, plan);
    if (refused) {
        snprintf(why, whylen, "encoded in %s: only UTF-8, ISO-8859-1 and "
                 "UTF-16 are read", refused);
        return -1;
    }
    char head[HEAD_LOOK];
    size_t len;
    if (plan->family == XMLENC_BYTES) {
        len = n - plan->bom < sizeof head ? n - plan->bom : sizeof head;
        memcpy(head, p + plan->bom, len);
    } else {
        len = project16(p + plan->bom, n - plan->bom,
                        plan->family == XMLENC_UTF16BE, head, sizeof head);
    }
    declared_encoding(head, len, plan->declared, sizeof plan->declared);
    if (plan->family != XMLENC_BYTES || !plan->declared[0])
        return 0; /* UTF-16 is read as the bytes show, whatever is declared */
    switch (name_kind(plan->declared)) {
    case N_UTF8:
        return 0;
    case N_LATIN1:
        plan->latin1 = 1;
        return 0;
    case N_SINGLE:
        plan->force = 1;
        return 0;
    case N_UTF16:
        snprintf(why, whylen, "declared '%s' but not encoded in UTF-16",
                 plan->declared);
        return -1;
    case N_OTHER:
        break;
    }
    snprintf(why, whylen, "encoding '%s' is not read: only UTF-8, US-ASCII, "
             "ISO-8859-1 to -16, windows-1250 to -1258 and UTF-16 are",
             plan->declared);
    return -1;
}

/* ------------------------------------------------------------------------ */
/* The stream.                                                               */

void xmlenc_stream_init(struct xmlenc_stream *s, const struct xmlenc_plan *plan,
                        size_t hold_cap)
{
    memset(s, 0, sizeof *s);
    s->mode = M_PASS;
    if (plan->latin1)
        /* a UTF-8 byte order mark is a multi-byte sequence already */
        s->mode = plan->bom ? M_HOLD : M_ASCII;
    if (plan->family == XMLENC_BYTES) {
        s->lead = plan->bom;
        s->lead_drop = plan->force;
    }
    s->hold_cap = hold_cap;
}

void xmlenc_stream_free(struct xmlenc_stream *s)
{
    free(s->hold);
    free(s->scratch);
    s->hold = NULL;
    s->scratch = NULL;
    s->hold_len = s->hold_size = s->hold_valid = 0;
}

static enum xmlenc_status hand_on(const struct xmlenc_out *out, const void *p,
                                  size_t n)
{
    if (n == 0)
        return XMLENC_GO;
    return out->bytes(out->ctx, p, n) ? XMLENC_STOP : XMLENC_GO;
}

/* p[0..n) read as ISO-8859-1, handed on as UTF-8 in pieces. */
static enum xmlenc_status latin1(struct xmlenc_stream *s, const unsigned char *p,
                                 size_t n, const struct xmlenc_out *out)
{
    if (!s->scratch && !(s->scratch = malloc(2 * ENC_PIECE)))
        return XMLENC_NOMEM;
    while (n > 0) {
        size_t take = n < ENC_PIECE ? n : ENC_PIECE, o = 0;
        for (size_t i = 0; i < take; i++) {
            unsigned c = p[i];
            if (c < 0x80) {
                s->scratch[o++] = (char)c;
            } else {
                s->scratch[o++] = (char)(0xC0 | c >> 6);
                s->scratch[o++] = (char)(0x80 | (c & 0x3F));
            }
        }
        if (hand_on(out, s->scratch, o) != XMLENC_GO)
            return XMLENC_STOP;
        p += take;
        n -= take;
    }
    return XMLENC_GO;
}

/* The held bytes, decided: as UTF-8 (the valid part; a cut-off sequence at
 * its end goes on to be checked) or as ISO-8859-1 (all of them). */
static enum xmlenc_status release(struct xmlenc_stream *s, int as_utf8,
                                  const struct xmlenc_out *out)
{
    enum xmlenc_status st;
    if (as_utf8) {
        out->as_utf8(out->ctx);
        s->ntail = s->hold_len - s->hold_valid;
        memcpy(s->tail, s->hold + s->hold_valid, s->ntail);
        st = XMLENC_GO;
        for (size_t at = 0; at < s->hold_valid && st == XMLENC_GO;) {
            size_t take = s->hold_valid - at < 2 * ENC_PIECE
                              ? s->hold_valid - at : 2 * ENC_PIECE;
            st = hand_on(out, s->hold + at, take);
            at += take;
        }
        s->mode = M_CHECK;
    } else {
        st = latin1(s, s->hold, s->hold_len, out);
        s->mode = M_LATIN1;
    }
    free(s->hold);
    s->hold = NULL;
    s->hold_len = s->hold_size = s->hold_valid = 0;
    return st;
}

static enum xmlenc_status hold(struct xmlenc_stream *s, const unsigned char *p,
                               size_t n, const struct xmlenc_out *out)
{
    if (s->hold_size - s->hold_len < n) {
        size_t want = s->hold_len + n, size = s->hold_size ? s->hold_size
                                                           : 64 * 1024;
        while (size < want)
            size *= 2;
        unsigned char *h = realloc(s->hold, size);
        if (!h)
            return XMLENC_NOMEM;
        s->hold = h;
        s->hold_size = size;
    }
    memcpy(s->hold + s->hold_len, p, n);
    s->hold_len += n;
    int cut;
    s->hold_valid += utf8_valid_prefix(s->hold + s->hold_valid,
                                       s->hold_len - s->hold_valid, &cut);
    if (s->hold_valid < s->hold_len && !cut)
        return release(s, 0, out); /* not UTF-8: ISO-8859-1 */
    if (s->hold_len > s->hold_cap && s->hold_valid > 0)
        return release(s, 1, out); /* enough: UTF-8 from here on */
    return XMLENC_GO;
}

/* M_CHECK: p[0..n) must go on being UTF-8. */
static enum xmlenc_status check(struct xmlenc_stream *s, const unsigned char *p,
                                size_t n, const struct xmlenc_out *out,
                                size_t *bad)
{
    int cut;
    if (s->ntail) { /* finish the sequence the last block cut */
        unsigned char seq[8];
        size_t add = n < 4 - s->ntail ? n : 4 - s->ntail;
        memcpy(seq, s->tail, s->ntail);
        memcpy(seq + s->ntail, p, add);
        size_t len = utf8_valid_prefix(seq, s->ntail + add, &cut);
        if (len == 0 && cut) { /* still not whole */
            memcpy(s->tail + s->ntail, p, n);
            s->ntail += n;
            return XMLENC_GO;
        }
        if (len == 0) {
            *bad = 0;
            return XMLENC_MIXED;
        }
        if (hand_on(out, seq, len) != XMLENC_GO)
            return XMLENC_STOP;
        p += len - s->ntail;
        n -= len - s->ntail;
        s->ntail = 0;
    }
    size_t ok = utf8_valid_prefix(p, n, &cut);
    if (ok < n && !cut) {
        *bad = ok;
        return XMLENC_MIXED;
    }
    s->ntail = n - ok;
    memcpy(s->tail, p + ok, s->ntail);
    return hand_on(out, p, ok);
}

enum xmlenc_status xmlenc_push(struct xmlenc_stream *s, const unsigned char *p,
                               size_t n, const struct xmlenc_out *out,
                               size_t *bad)
{
    enum xmlenc_status st = XMLENC_GO;
    *bad = 0;
    if (s->lead && s->mode != M_DONE) {
        /* the byte order mark: libxml2 skips it in UTF-8, and would not
         * know it in a forced single-byte encoding */
        size_t k = n < s->lead ? n : s->lead;
        if (!s->lead_drop && hand_on(out, p, k) != XMLENC_GO) {
            s->mode = M_DONE;
            return XMLENC_STOP;
        }
        p += k;
        n -= k;
        s->lead -= k;
    }
    switch (s->mode) {
    case M_PASS:
        st = hand_on(out, p, n);
        break;
    case M_ASCII: {
        size_t i = utf8_ascii_prefix(p, n);
        st = hand_on(out, p, i);
        if (st == XMLENC_GO && i < n) {
            s->mode = M_HOLD;
            st = hold(s, p + i, n - i, out);
        }
        break;
    }
    case M_HOLD:
        st = hold(s, p, n, out);
        break;
    case M_CHECK:
        st = check(s, p, n, out, bad);
        break;
    case M_LATIN1:
        st = latin1(s, p, n, out);
        break;
    default:
        return XMLENC_STOP;
    }
    if (st != XMLENC_GO)
        s->mode = M_DONE;
    return st;
}

enum xmlenc_status xmlenc_end(struct xmlenc_stream *s,
                              const struct xmlenc_out *out)
{
    enum xmlenc_status st = XMLENC_GO;
    if (s->mode == M_HOLD)
        /* all of it UTF-8 (it starts with a multi-byte sequence), unless
         * the file ends inside a sequence */
        st = release(s, s->hold_valid == s->hold_len, out);
    if (st == XMLENC_GO && s->mode == M_CHECK && s->ntail)
        st = XMLENC_MIXED;
    s->mode = M_DONE;
    return st;
}
