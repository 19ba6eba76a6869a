/*
 * printable.c - escape untrusted text for printing (see printable.h).
 *
 * One character at a time: utf8_next() decodes it strictly, hidden() tells
 * whether it is shown escaped, piece() writes its escaped or plain form.
 * printable_copy() fits the pieces into the caller's buffer and cuts with
 * "…"; printable_dup() measures first, then copies.
 */
#include "printable.h"
#include "utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ELLIPSIS "\xe2\x80\xa6" /* U+2026 */
#define ELLIPSIS_LEN 3

/*
 * Code points shown escaped, as sorted ranges: the controls (Cc), the line
 * and paragraph separators (Zl, Zp), and Unicode's Default_Ignorable_Code_Point
 * (DerivedCoreProperties.txt, Unicode 15): characters that are drawn as
 * nothing, which includes every bidirectional formatting character.
 */
static const struct range {
    uint32_t first, last;
} hidden_ranges[] = {
    { 0x0000, 0x001F },   /* C0 controls */
    { 0x007F, 0x009F },   /* DEL, C1 controls */
    { 0x00AD, 0x00AD },   /* soft hyphen */
    { 0x034F, 0x034F },   /* combining grapheme joiner */
    { 0x061C, 0x061C },   /* Arabic letter mark */
    { 0x115F, 0x1160 },   /* Hangul fillers */
    { 0x17B4, 0x17B5 },   /* Khmer inherent vowels */
    { 0x180B, 0x180F },   /* Mongolian variation selectors, vowel separator */
    { 0x200B, 0x200F },   /* zero width space, (non-)joiner, LRM, RLM */
    { 0x2028, 0x202E },   /* line, paragraph separator; LRE RLE PDF LRO RLO */
    { 0x2060, 0x206F },   /* word joiner, invisible operators, isolates
                           * LRI RLI FSI PDI, deprecated format characters */
    { 0x3164, 0x3164 },   /* Hangul filler */
    { 0xFE00, 0xFE0F },   /* variation selectors */
    { 0xFEFF, 0xFEFF },   /* zero width no-break space (BOM) */
    { 0xFFA0, 0xFFA0 },   /* halfwidth Hangul filler */
    { 0xFFF0, 0xFFF8 },   /* reserved, default ignorable */
    { 0x1BCA0, 0x1BCA3 }, /* shorthand format controls */
    { 0x1D173, 0x1D17A }, /* musical symbol format controls */
    { 0xE0000, 0xE0FFF }, /* tag characters, variation selectors supplement */
};

static int hidden(uint32_t cp)
{
    size_t lo = 0, hi = sizeof hidden_ranges / sizeof hidden_ranges[0];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cp < hidden_ranges[mid].first)
            hi = mid;
        else if (cp > hidden_ranges[mid].last)
            lo = mid + 1;
        else
            return 1;
    }
    return 0;
}

/*
 * The character (or byte that is not UTF-8) at s, of which n > 0 bytes are
 * there, as it is shown: into out (PRINTABLE_MAX_ESCAPE bytes or more, not
 * terminated).  Returns the bytes written; *used the bytes of s taken.
 */
static size_t piece(const unsigned char *s, size_t n, char *out, size_t *used)
{
    static const char hex[] = "0123456789ABCDEF";
    uint32_t cp;
    size_t len = utf8_next(s, n, &cp);
    if (len == 0) {
        *used = 1;
        cp = s[0];
    } else {
        *used = len;
        if (cp == '\\' || cp == '\t' || cp == '\n' || cp == '\r') {
            out[0] = '\\';
            out[1] = cp == '\\' ? '\\' : cp == '\t' ? 't' : cp == '\n' ? 'n'
                                                                       : 'r';
            return 2;
        }
        if (!hidden(cp)) {
            memcpy(out, s, len);
            return len;
        }
    }
    if (len == 0 || cp < 0x20 || cp == 0x7F) {
        /* a byte: not UTF-8, or a C0 control or DEL */
        out[0] = '\\';
        out[1] = 'x';
        out[2] = hex[cp >> 4];
        out[3] = hex[cp & 15];
        return 4;
    }
    int digits = cp > 0xFFFF ? 8 : 4;
    out[0] = '\\';
    out[1] = cp > 0xFFFF ? 'U' : 'u';
    for (int k = 0; k < digits; k++)
        out[2 + k] = hex[(cp >> (4 * (digits - 1 - k))) & 15];
    return 2 + (size_t)digits;
}

char *printable_copy(char *buf, size_t size, const char *s, size_t n,
                     size_t max_chars)
{
    if (size == 0)
        return buf;
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    if (!s)
        n = 0;
    size_t pos = 0;  /* bytes written */
    size_t fit = 0;  /* the last end of a piece where "…" fits after it */
    size_t chars = 0;
    size_t i = 0;
    while (i < n) {
        if (max_chars && chars == max_chars)
            goto cut;
        char out[PRINTABLE_MAX_ESCAPE];
        size_t used;
        size_t len = piece(p + i, n - i, out, &used);
        if (pos + len + 1 > size)
            goto cut;
        memcpy(buf + pos, out, len);
        pos += len;
        i += used;
        chars++;
        if (pos + ELLIPSIS_LEN + 1 <= size)
            fit = pos;
    }
    buf[pos] = '\0';
    return buf;
cut:
    if (size >= ELLIPSIS_LEN + 1) { /* else cut without it */
        pos = fit;
        memcpy(buf + pos, ELLIPSIS, ELLIPSIS_LEN);
        pos += ELLIPSIS_LEN;
    }
    buf[pos] = '\0';
    return buf;
}

char *printable_dup(const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    size_t n = strlen((const char *)p), total = 0;
    if (n > (SIZE_MAX - 1) / PRINTABLE_MAX_ESCAPE)
        return NULL;
    for (size_t i = 0; i < n;) {
        char out[PRINTABLE_MAX_ESCAPE];
        size_t used;
        total += piece(p + i, n - i, out, &used);
        i += used;
    }
    char *copy = malloc(total + 1);
    if (!copy)
        return NULL;
    return printable_copy(copy, total + 1, (const char *)p, n, 0);
}

/* The value of the n hex digits at s, or -1 when one is not a hex digit. */
static long hex_value(const char *s, int n)
{
    long v = 0;
    for (int i = 0; i < n; i++) {
        char c = s[i];
        int d = c >= '0' && c <= '9' ? c - '0'
              : c >= 'A' && c <= 'F' ? c - 'A' + 10
              : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

/* cp as UTF-8 into out (4 bytes or more); the bytes written, 0 when cp is
 * no character (a surrogate, above U+10FFFF). */
static size_t utf8_put(uint32_t cp, unsigned char *out)
{
    if (cp < 0x80) {
        out[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (unsigned char)(0xC0 | cp >> 6);
        out[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        return 0;
    if (cp < 0x10000) {
        out[0] = (unsigned char)(0xE0 | cp >> 12);
        out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (unsigned char)(0xF0 | cp >> 18);
    out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

char *printable_undo(const char *s, size_t *len)
{
    size_t n = strlen(s);
    /* no form is shorter than what it stands for */
    unsigned char *out = malloc(n + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        if (s[i] != '\\') {
            out[o++] = (unsigned char)s[i++];
            continue;
        }
        char f = s[i + 1];  /* '\0' at the end: no form */
        int digits = f == 'x' ? 2 : f == 'u' ? 4 : f == 'U' ? 8 : 0;
        if (f == '\\' || f == 't' || f == 'n' || f == 'r') {
            out[o++] = f == '\\' ? '\\' : f == 't' ? '\t' : f == 'n' ? '\n'
                                                                     : '\r';
            i += 2;
            continue;
        }
        long v = -1;
        if (digits && strnlen(s + i + 2, (size_t)digits) == (size_t)digits)
            v = hex_value(s + i + 2, digits);
        size_t k = 0;
        if (v >= 0 && digits == 2)
            out[o] = (unsigned char)v, k = 1;
        else if (v >= 0)
            k = utf8_put((uint32_t)v, out + o);
        if (k == 0) {
            free(out);
            return NULL;
        }
        o += k;
        i += 2 + (size_t)digits;
    }
    out[o] = '\0';
    *len = o;
    return (char *)out;
}

int printable_is_escaped(const char *s)
{
    size_t len;
    char *raw = printable_undo(s, &len);
    if (!raw)
        return 0;
    int same = 0;
    if (strlen(raw) == len) { /* a NUL inside is no text printable_dup takes */
        char *again = printable_dup(raw);
        same = again && strcmp(again, s) == 0;
        free(again);
    }
    free(raw);
    return same;
}
