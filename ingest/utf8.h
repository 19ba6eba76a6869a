/*
 * utf8.h - the one UTF-8 decoder of the ingest stage, strict as RFC 3629:
 * no overlong forms, no surrogates, nothing above U+10FFFF.
 */
#ifndef IS248_INGEST_UTF8_H
#define IS248_INGEST_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * Length (1-4) of the valid UTF-8 sequence that starts s, of which n bytes
 * are available, with its code point in *cp; 0 when there is none (n == 0,
 * an invalid or cut-off sequence).  Can't fail otherwise.
 */
size_t utf8_next(const unsigned char *s, size_t n, uint32_t *cp);

#endif
