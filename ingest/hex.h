/*
 * hex.h - bytes as lower-case hexadecimal digits, the one writer of is248
 * for digests shown to people and stored as text (a file's SHA-256 in
 * messages, the reference data's fingerprint) and for bytea in COPY's
 * text format.  Works on memory the caller owns; can't fail.
 */
#ifndef IS248_INGEST_HEX_H
#define IS248_INGEST_HEX_H

#include <stddef.h>

/* Room for a SHA-256 digest in hex, with its NUL. */
#define HEX_SHA256_SIZE (2 * 32 + 1)

/* The n bytes at p as 2 * n digits into out, then a NUL (out holds
 * 2 * n + 1 bytes).  Returns out. */
char *hex_encode(char *out, const void *p, size_t n);

#endif
