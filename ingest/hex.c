/*
 * hex.c - bytes as lower-case hexadecimal digits (see hex.h).
 */
#include "hex.h"

char *hex_encode(char *out, const void *p, size_t n)
{
    static const char digit[] = "0123456789abcdef";
    const unsigned char *b = p;
    char *o = out;
    for (size_t i = 0; i < n; i++) {
        *o++ = digit[b[i] >> 4];
        *o++ = digit[b[i] & 15];
    }
    *o = '\0';
    return out;
}
