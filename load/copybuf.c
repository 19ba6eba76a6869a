/*
 * copybuf.c - COPY text-format rows in memory, sent in chunks (see
 * copybuf.h).  Escaping follows PostgreSQL's CopyAttributeOutText(): only
 * the delimiter (tab), newline, carriage return and backslash need it; "\."
 * on a line of its own is harmless because its backslash is doubled.
 */
#include "copybuf.h"

#include <stdlib.h>
#include <string.h>

#include "../ingest/hex.h"
#include "../ingest/utf8.h"

void copybuf_init(struct copybuf *cb)
{
    static const struct copybuf empty = COPYBUF_INIT;
    *cb = empty;
}

void copybuf_free(struct copybuf *cb)
{
    free(cb->data);
    copybuf_init(cb);
}

void copybuf_reset(struct copybuf *cb)
{
    cb->len = 0;
    cb->row_start = 0;
    cb->fields = 0;
}

/* Room for extra more bytes; COPYBUF_NOMEM leaves the buffer as it was. */
static int reserve(struct copybuf *cb, size_t extra)
{
    if (extra <= cb->cap - cb->len)
        return COPYBUF_OK;
    if (extra > SIZE_MAX / 2 - cb->len)
        return COPYBUF_NOMEM;
    size_t want = cb->len + extra;
    size_t cap = cb->cap ? cb->cap : COPYBUF_CHUNK + COPYBUF_CHUNK / 2;
    while (cap < want)
        cap *= 2;
    char *p = realloc(cb->data, cap);
    if (!p)
        return COPYBUF_NOMEM;
    cb->data = p;
    cb->cap = cap;
    return COPYBUF_OK;
}

size_t copybuf_utf8_valid(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    const unsigned char *nul = memchr(s, 0, n);
    int cut;
    return utf8_valid_prefix(s, nul ? (size_t)(nul - s) : n, &cut);
}

/* Separator before a field. */
static inline void put_sep(struct copybuf *cb)
{
    if (cb->fields > 0)
        cb->data[cb->len++] = '\t';
}

/* Append s[0, n), escaped; room for 2n + 1 bytes must be reserved. */
static void put_escaped(struct copybuf *cb, const char *s, size_t n)
{
    char *out = cb->data + cb->len;
    size_t run = 0; /* start of bytes not yet copied */
    for (size_t i = 0; i < n; i++) {
        char e;
        switch (s[i]) {
        case '\\': e = '\\'; break;
        case '\t': e = 't'; break;
        case '\n': e = 'n'; break;
        case '\r': e = 'r'; break;
        default: continue;
        }
        memcpy(out, s + run, i - run);
        out += i - run;
        *out++ = '\\';
        *out++ = e;
        run = i + 1;
    }
    memcpy(out, s + run, n - run);
    out += n - run;
    cb->len = (size_t)(out - cb->data);
}

int copybuf_textn(struct copybuf *cb, const char *s, size_t n)
{
    if (!s)
        return copybuf_null(cb);
    if (copybuf_utf8_valid(s, n) != n)
        return COPYBUF_INVALID;
    if (n > SIZE_MAX / 4)
        return COPYBUF_NOMEM;
    int rc = reserve(cb, 2 * n + 1);
    if (rc != COPYBUF_OK)
        return rc;
    put_sep(cb);
    put_escaped(cb, s, n);
    cb->fields++;
    return COPYBUF_OK;
}

int copybuf_text(struct copybuf *cb, const char *s)
{
    return copybuf_textn(cb, s, s ? strlen(s) : 0);
}

int copybuf_text_lossy(struct copybuf *cb, const char *s)
{
    return copybuf_textn_lossy(cb, s, s ? strlen(s) : 0);
}

int copybuf_textn_lossy(struct copybuf *cb, const char *s, size_t n)
{
    if (!s)
        return copybuf_null(cb);
    size_t ok = copybuf_utf8_valid(s, n);
    if (ok == n)
        return copybuf_textn(cb, s, n);
    /* Worst case: every byte becomes U+FFFD (3 bytes, no escapes). */
    if (n > SIZE_MAX / 4)
        return COPYBUF_NOMEM;
    int rc = reserve(cb, 3 * n + 1);
    if (rc != COPYBUF_OK)
        return rc;
    put_sep(cb);
    size_t i = 0;
    while (i < n) {
        ok = copybuf_utf8_valid(s + i, n - i);
        put_escaped(cb, s + i, ok);
        i += ok;
        if (i < n) {
            memcpy(cb->data + cb->len, "\xEF\xBF\xBD", 3);
            cb->len += 3;
            i++;
        }
    }
    cb->fields++;
    return COPYBUF_OK;
}

static int put_raw(struct copybuf *cb, const char *s, size_t n)
{
    int rc = reserve(cb, n + 1);
    if (rc != COPYBUF_OK)
        return rc;
    put_sep(cb);
    memcpy(cb->data + cb->len, s, n);
    cb->len += n;
    cb->fields++;
    return COPYBUF_OK;
}

int copybuf_null(struct copybuf *cb)
{
    return put_raw(cb, "\\N", 2);
}

int copybuf_nulls(struct copybuf *cb, int count)
{
    if (count <= 0)
        return COPYBUF_OK;
    int rc = reserve(cb, 3 * (size_t)count);
    if (rc != COPYBUF_OK)
        return rc;
    for (int i = 0; i < count; i++) {
        put_sep(cb);
        cb->data[cb->len++] = '\\';
        cb->data[cb->len++] = 'N';
        cb->fields++;
    }
    return COPYBUF_OK;
}

/* Room for a long long in decimal with its sign. */
#define INT_DIGITS 24

int copybuf_int(struct copybuf *cb, long long v)
{
    char tmp[INT_DIGITS];
    char *p = tmp + sizeof tmp;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v
                                 : (unsigned long long)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    return put_raw(cb, p, (size_t)(tmp + sizeof tmp - p));
}

int copybuf_bool(struct copybuf *cb, int v)
{
    return put_raw(cb, v ? "t" : "f", 1);
}

int copybuf_bytea(struct copybuf *cb, const unsigned char *p, size_t n)
{
    if (!p)
        return copybuf_null(cb);
    if (n > SIZE_MAX / 4)
        return COPYBUF_NOMEM;
    /* a tab, "\\x" (bytea's hex prefix, its backslash escaped), the
     * digits and hex_encode()'s NUL */
    int rc = reserve(cb, 1 + 3 + 2 * n + 1);
    if (rc != COPYBUF_OK)
        return rc;
    put_sep(cb);
    char *out = cb->data + cb->len;
    *out++ = '\\';
    *out++ = '\\';
    *out++ = 'x';
    hex_encode(out, p, n);
    cb->len = (size_t)(out + 2 * n - cb->data);
    cb->fields++;
    return COPYBUF_OK;
}

int copybuf_end_row(struct copybuf *cb)
{
    if (cb->fields == 0)
        return COPYBUF_INVALID;
    int rc = reserve(cb, 1);
    if (rc != COPYBUF_OK)
        return rc;
    cb->data[cb->len++] = '\n';
    cb->row_start = cb->len;
    cb->fields = 0;
    return COPYBUF_OK;
}

void copybuf_cancel_row(struct copybuf *cb)
{
    cb->len = cb->row_start;
    cb->fields = 0;
}

uint64_t copybuf_mark(const struct copybuf *cb)
{
    return cb->sent + cb->len;
}

int copybuf_rewind(struct copybuf *cb, uint64_t mark)
{
    if (mark < cb->sent || mark > cb->sent + cb->len)
        return COPYBUF_INVALID;
    cb->len = (size_t)(mark - cb->sent);
    /* Marks are taken between rows: no unfinished row is left. */
    cb->row_start = cb->len;
    cb->fields = 0;
    return COPYBUF_OK;
}

size_t copybuf_pending(const struct copybuf *cb)
{
    return cb->row_start;
}

int copybuf_flush_to(struct copybuf *cb, copybuf_sender send, void *ctx,
                     int all)
{
    size_t ready = cb->row_start;
    if (ready == 0 || (!all && ready < COPYBUF_CHUNK))
        return COPYBUF_OK;
    size_t off = 0;
    int rc = COPYBUF_OK;
    while (off < ready) {
        size_t n = ready - off;
        if (n > COPYBUF_CHUNK)
            n = COPYBUF_CHUNK;
        if (send(ctx, cb->data + off, n) <= 0) {
            rc = COPYBUF_SEND;
            break;
        }
        off += n;
    }
    /* Keep what was not sent (the unfinished row at least). */
    memmove(cb->data, cb->data + off, cb->len - off);
    cb->len -= off;
    cb->row_start -= off;
    cb->sent += off;
    return rc;
}

static int put_copy_data(void *ctx, const char *p, size_t n)
{
    return PQputCopyData(ctx, p, (int)n);
}

int copybuf_flush(struct copybuf *cb, PGconn *conn, int all)
{
    return copybuf_flush_to(cb, put_copy_data, conn, all);
}

const char *copybuf_strerror(int status)
{
    switch (status) {
    case COPYBUF_OK: return "no error";
    case COPYBUF_NOMEM: return "out of memory";
    case COPYBUF_INVALID: return "a value is not valid UTF-8 or holds a NUL byte";
    case COPYBUF_SEND: return "could not send COPY data";
    default: return "unknown error";
    }
}
