/*
 * utf8.c - decode and check UTF-8, strictly (RFC 3629), for the XML reader's
 * encoding decision (xmlenc.c) and for whoever needs one code point.
 */
#include "utf8.h"

#include <stdio.h>
#include <string.h>

#define HIGH_BITS 0x8080808080808080ULL

/* The sequence length a lead byte announces and the range its second byte
 * must be in (which rules out overlong forms, surrogates and code points
 * above U+10FFFF); 0 for a byte that starts no sequence. */
static size_t lead(unsigned c, unsigned *lo, unsigned *hi)
{
    *lo = 0x80;
    *hi = 0xBF;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        return 2;
    if (c >= 0xE0 && c <= 0xEF) {
        if (c == 0xE0)
            *lo = 0xA0;
        else if (c == 0xED)
            *hi = 0x9F;
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (c == 0xF0)
            *lo = 0x90;
        else if (c == 0xF4)
            *hi = 0x8F;
        return 4;
    }
    return 0;
}

/* Bytes of a valid sequence at s (n available): its length, 0 when it is
 * invalid; *cut = 1 when the bytes there are a valid but cut-off start. */
static size_t sequence(const unsigned char *s, size_t n, int *cut)
{
    unsigned lo, hi;
    size_t len = lead(s[0], &lo, &hi);
    *cut = 0;
    if (len == 0)
        return 0;
    for (size_t k = 1; k < len; k++) {
        if (k == n) {
            *cut = 1;
            return 0;
        }
        if (s[k] < lo || s[k] > hi)
            return 0;
        lo = 0x80;
        hi = 0xBF;
    }
    return len;
}

size_t utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
    if (n == 0)
        return 0;
    int cut;
    size_t len = sequence(s, n, &cut);
    if (len == 0)
        return 0;
    uint32_t v = len == 1 ? s[0] : s[0] & (0x7Fu >> len);
    for (size_t k = 1; k < len; k++)
        v = (v << 6) | (s[k] & 0x3F);
    *cp = v;
    return len;
}

size_t utf8_ascii_prefix(const unsigned char *s, size_t n)
{
    size_t i = 0;
    for (; n - i >= 8; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if (w & HIGH_BITS)
            break;
    }
    while (i < n && s[i] < 0x80)
        i++;
    return i;
}

size_t utf8_valid_prefix(const unsigned char *s, size_t n, int *cut)
{
    size_t i = 0;
    *cut = 0;
    while (i < n) {
        i += utf8_ascii_prefix(s + i, n - i);
        if (i == n)
            break;
        size_t len = sequence(s + i, n - i, cut);
        if (len == 0)
            return i;
        i += len;
    }
    return i;
}
