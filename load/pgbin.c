/*
 * pgbin.c - PostgreSQL's binary wire format in a growing buffer (see
 * pgbin.h).  The formats are those of the server's *_send functions and of
 * COPY BINARY (PostgreSQL documentation, "COPY", "Binary Format").
 */
#include "pgbin.h"

#include <stdlib.h>
#include <string.h>

/* 2000-01-01 00:00 UTC in microseconds since 1970-01-01 (the epochs of
 * PostgreSQL and of Unix) */
#define PG_EPOCH_UNIX_US INT64_C(946684800000000)
#define PGBIN_FIELD_MAX (1U << 30)
#define PGBIN_FIRST 4096 /* a buffer's first room */

void pgbin_free(struct pgbin *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = 0;
}

void pgbin_reset(struct pgbin *b)
{
    b->len = 0;
    b->failed = 0;
}

void pgbin_truncate(struct pgbin *b, size_t len)
{
    if (len < b->len)
        b->len = len;
}

/* Room for n more bytes; 0, or -1 (and the buffer failed). */
static int reserve(struct pgbin *b, size_t n)
{
    if (b->failed)
        return -1;
    if (b->cap - b->len >= n)
        return 0;
    size_t cap = b->cap ? b->cap : PGBIN_FIRST;
    while (cap - b->len < n) {
        if (cap > SIZE_MAX / 2) {
            b->failed = 1;
            return -1;
        }
        cap *= 2;
    }
    unsigned char *p = realloc(b->data, cap);
    if (!p) {
        b->failed = 1;
        return -1;
    }
    b->data = p;
    b->cap = cap;
    return 0;
}

unsigned char *pgbin_space(struct pgbin *b, size_t n)
{
    if (reserve(b, n) != 0)
        return NULL;
    return b->data + b->len;
}

void pgbin_advance(struct pgbin *b, size_t n)
{
    if (!b->failed && n <= b->cap - b->len)
        b->len += n;
}

void pgbin_put(struct pgbin *b, const void *p, size_t n)
{
    if (n == 0 || reserve(b, n) != 0)
        return;
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

void pgbin_put16(struct pgbin *b, uint16_t v)
{
    unsigned char x[2] = { (unsigned char)(v >> 8), (unsigned char)v };
    pgbin_put(b, x, sizeof x);
}

void pgbin_put32(struct pgbin *b, uint32_t v)
{
    unsigned char x[4] = { (unsigned char)(v >> 24), (unsigned char)(v >> 16),
                           (unsigned char)(v >> 8), (unsigned char)v };
    pgbin_put(b, x, sizeof x);
}

void pgbin_put64(struct pgbin *b, uint64_t v)
{
    pgbin_put32(b, (uint32_t)(v >> 32));
    pgbin_put32(b, (uint32_t)v);
}

void pgbin_copy_header(struct pgbin *b)
{
    static const unsigned char sig[11] = { 'P', 'G', 'C', 'O', 'P', 'Y',
                                           '\n', 0xFF, '\r', '\n', 0 };
    pgbin_put(b, sig, sizeof sig);
    pgbin_put32(b, 0);      /* flags: no OIDs */
    pgbin_put32(b, 0);      /* no header extension */
}

void pgbin_copy_trailer(struct pgbin *b)
{
    pgbin_put16(b, 0xFFFF);
}

void pgbin_row(struct pgbin *b, int n)
{
    pgbin_put16(b, (uint16_t)n);
}

void pgbin_null(struct pgbin *b)
{
    pgbin_put32(b, 0xFFFFFFFFU);
}

void pgbin_int2(struct pgbin *b, int16_t v)
{
    pgbin_put32(b, 2);
    pgbin_put16(b, (uint16_t)v);
}

void pgbin_int4(struct pgbin *b, int32_t v)
{
    pgbin_put32(b, 4);
    pgbin_put32(b, (uint32_t)v);
}

void pgbin_int8(struct pgbin *b, int64_t v)
{
    pgbin_put32(b, 8);
    pgbin_put64(b, (uint64_t)v);
}

void pgbin_bool(struct pgbin *b, int v)
{
    unsigned char x = v ? 1 : 0;
    pgbin_put32(b, 1);
    pgbin_put(b, &x, 1);
}

void pgbin_char(struct pgbin *b, char c)
{
    pgbin_put32(b, 1);
    pgbin_put(b, &c, 1);
}

void pgbin_bytes(struct pgbin *b, const void *p, size_t n)
{
    if (n >= PGBIN_FIELD_MAX) {
        b->failed = 1;
        return;
    }
    pgbin_put32(b, (uint32_t)n);
    pgbin_put(b, p, n);
}

void pgbin_text(struct pgbin *b, const char *s)
{
    if (s)
        pgbin_bytes(b, s, strlen(s));
    else
        pgbin_null(b);
}

void pgbin_timestamptz(struct pgbin *b, int64_t unix_us)
{
    pgbin_int8(b, unix_us - PG_EPOCH_UNIX_US);
}

size_t pgbin_field_begin(struct pgbin *b)
{
    size_t mark = b->len;
    pgbin_put32(b, 0);      /* the length, written by pgbin_field_end() */
    return mark;
}

void pgbin_field_end(struct pgbin *b, size_t mark)
{
    if (b->failed || mark + 4 > b->len)
        return;
    size_t n = b->len - mark - 4;
    if (n >= PGBIN_FIELD_MAX) {
        b->failed = 1;
        return;
    }
    unsigned char *p = b->data + mark;
    p[0] = (unsigned char)(n >> 24);
    p[1] = (unsigned char)(n >> 16);
    p[2] = (unsigned char)(n >> 8);
    p[3] = (unsigned char)n;
}

void pgbin_array(struct pgbin *out, unsigned elem_oid, int count,
                 int has_null, const struct pgbin *elems)
{
    if (elems->failed) {
        out->failed = 1;
        return;
    }
    pgbin_put32(out, count > 0 ? 1 : 0);     /* dimensions */
    pgbin_put32(out, has_null ? 1 : 0);
    pgbin_put32(out, elem_oid);
    if (count > 0) {
        pgbin_put32(out, (uint32_t)count);
        pgbin_put32(out, 1);                 /* lower bound */
        pgbin_put(out, elems->data, elems->len);
    }
}
