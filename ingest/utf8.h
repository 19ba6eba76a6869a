/*
 * utf8.h - the one UTF-8 decoder of the ingest stage, strict as RFC 3629:
 * no overlong forms, no surrogates, nothing above U+10FFFF.  Every function
 * here works on memory the caller owns, allocates nothing and can't fail.
 */
#ifndef IS248_INGEST_UTF8_H
#define IS248_INGEST_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * Length (1-4) of the valid UTF-8 sequence that starts s, of which n bytes
 * are available, with its code point in *cp; 0 when there is none (n == 0,
 * an invalid or cut-off sequence).
 */
size_t utf8_next(const unsigned char *s, size_t n, uint32_t *cp);

/* Index of the first byte of s[0..n) that is not ASCII (>= 0x80); n when
 * there is none.  Looks at eight bytes at a time. */
size_t utf8_ascii_prefix(const unsigned char *s, size_t n);

/*
 * The length of the longest prefix of s[0..n) made of whole valid
 * sequences.  When it is shorter than n, *cut says why: 1 when the rest is
 * the valid beginning of a sequence that the end of s cuts off (more bytes
 * may complete it), 0 when the byte at the returned index starts no valid
 * sequence.  ASCII runs are stepped over eight bytes at a time.
 */
size_t utf8_valid_prefix(const unsigned char *s, size_t n, int *cut);

#endif
