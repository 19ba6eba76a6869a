/*
 * pgbin.h - values in PostgreSQL's binary wire format, built in memory: the
 * rows of COPY ... FROM STDIN (FORMAT binary) and one-dimensional arrays
 * for binary query parameters.
 *
 * A buffer only grows.  Appending cannot fail visibly: when memory runs
 * out the buffer is marked failed (pgbin_failed()), later appends do
 * nothing, and the caller checks once, at the end of a row or a batch, as
 * git's strbuf users check once.  Integers are written in network byte
 * order; a timestamptz is microseconds since 2000-01-01 00:00 UTC, as the
 * server keeps it.  Text is written as given: the caller makes sure it is
 * valid UTF-8 without NUL bytes (the server refuses anything else, and
 * the whole COPY with it).
 *
 * Invariants: initialise with PGBIN_INIT; data is NULL or a malloc'd
 * block owned by the buffer; bytes [0, len) are the content.
 */
#ifndef IS248_LOAD_PGBIN_H
#define IS248_LOAD_PGBIN_H

#include <stddef.h>
#include <stdint.h>

struct pgbin {
    unsigned char *data;
    size_t len, cap;
    int failed;             /* memory ran out: the content is incomplete */
};

#define PGBIN_INIT { NULL, 0, 0, 0 }

void pgbin_free(struct pgbin *b);
/* Empty the buffer (and forget a failure); keeps its memory. */
void pgbin_reset(struct pgbin *b);
/* Drop everything after byte offset len (a mark taken earlier with
 * b->len).  Can't fail. */
void pgbin_truncate(struct pgbin *b, size_t len);
static inline int pgbin_failed(const struct pgbin *b) { return b->failed; }

/* Room for n more bytes at the end: a pointer to write them to, which
 * pgbin_advance() then counts in; NULL when memory ran out. */
unsigned char *pgbin_space(struct pgbin *b, size_t n);
void pgbin_advance(struct pgbin *b, size_t n);

/* Raw bytes, and integers in network byte order. */
void pgbin_put(struct pgbin *b, const void *p, size_t n);
void pgbin_put16(struct pgbin *b, uint16_t v);
void pgbin_put32(struct pgbin *b, uint32_t v);
void pgbin_put64(struct pgbin *b, uint64_t v);

/* --- COPY (FORMAT binary) ------------------------------------------------ */

/* The file header (signature, flags, extension) and the trailer. */
void pgbin_copy_header(struct pgbin *b);
void pgbin_copy_trailer(struct pgbin *b);
/* Start a row of n fields; then exactly n of the field calls below. */
void pgbin_row(struct pgbin *b, int n);

/* Fields (also the elements of an array, see below). */
void pgbin_null(struct pgbin *b);
void pgbin_int2(struct pgbin *b, int16_t v);
void pgbin_int4(struct pgbin *b, int32_t v);
void pgbin_int8(struct pgbin *b, int64_t v);
void pgbin_bool(struct pgbin *b, int v);
void pgbin_char(struct pgbin *b, char c);               /* "char" */
void pgbin_bytes(struct pgbin *b, const void *p, size_t n); /* text, bytea */
void pgbin_text(struct pgbin *b, const char *s);        /* NULL: a NULL */
/* unix_us: microseconds since 1970-01-01 00:00 UTC */
void pgbin_timestamptz(struct pgbin *b, int64_t unix_us);

/* A field written in pieces: pgbin_field_begin() returns a mark, the
 * caller appends the value with pgbin_put(), pgbin_field_end() writes its
 * length.  Values over 1 GiB mark the buffer failed. */
size_t pgbin_field_begin(struct pgbin *b);
void pgbin_field_end(struct pgbin *b, size_t mark);

/* --- arrays ----------------------------------------------------------------
 * A one-dimensional array parameter: its elements are fields written into
 * a buffer of their own (pgbin_null(), pgbin_bytes(), ...), counted by the
 * caller, then pgbin_array() writes the array (header and elements) into
 * out.  elem_oid is the element type's OID (PGBIN_TEXT, ...). */
enum {
    PGBIN_BYTEA = 17, PGBIN_INT8 = 20, PGBIN_INT4 = 23, PGBIN_TEXT = 25
};
void pgbin_array(struct pgbin *out, unsigned elem_oid, int count,
                 int has_null, const struct pgbin *elems);

#endif
