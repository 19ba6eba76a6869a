/*
 * copybuf.h - rows for COPY ... FROM STDIN in PostgreSQL's text format,
 * built in memory and sent with PQputCopyData() in chunks of about 64 KiB.
 *
 * A row is a run of fields separated by tabs and ended by a newline.  A text
 * field has backslash, tab, newline and carriage return escaped ("\\", "\t",
 * "\n", "\r"); every other byte goes as it is.  NULL is written \N.  A value
 * that PostgreSQL cannot hold as text (a NUL byte) or that is not valid UTF-8
 * is refused with COPYBUF_INVALID and nothing is appended, so the row stays
 * as it was and the caller decides what to do (copybuf_rewind() drops what
 * was built since a mark).  The connection's client_encoding must be UTF8.
 *
 * Invariants: initialise with COPYBUF_INIT (or copybuf_init()); data is NULL
 * or a malloc'd block owned by the buffer; bytes [0, len) are rows not yet
 * sent, the last of them possibly unfinished; copybuf_free() releases the
 * memory and leaves an empty buffer that can be used again.
 */
#ifndef IS248_LOAD_COPYBUF_H
#define IS248_LOAD_COPYBUF_H

#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#define COPYBUF_CHUNK 65536 /* bytes per PQputCopyData() call */

enum copybuf_status {
    COPYBUF_OK = 0,
    COPYBUF_NOMEM = -1,   /* out of memory; nothing appended */
    COPYBUF_INVALID = -2, /* NUL byte, invalid UTF-8, or an empty row */
    COPYBUF_SEND = -3     /* the sender failed (see copybuf_flush()) */
};

struct copybuf {
    char *data;
    size_t len, cap;
    size_t row_start;   /* offset of the row being built */
    int fields;         /* fields in the row being built */
    uint64_t sent;      /* bytes handed to the sender so far */
};

#define COPYBUF_INIT { NULL, 0, 0, 0, 0, 0 }

void copybuf_init(struct copybuf *cb);
void copybuf_free(struct copybuf *cb);

/* Forget everything not yet sent (after an aborted COPY).  Keeps memory. */
void copybuf_reset(struct copybuf *cb);

/*
 * Fields.  Each appends one field to the current row and returns COPYBUF_OK,
 * COPYBUF_NOMEM or COPYBUF_INVALID; on failure the buffer is unchanged.
 */
int copybuf_text(struct copybuf *cb, const char *s);   /* NULL -> \N */
int copybuf_textn(struct copybuf *cb, const char *s, size_t n);
/* Like copybuf_text(), but every byte that is not part of valid UTF-8 (NUL
 * included) is written as U+FFFD: for labels and messages, not for data.
 * Never returns COPYBUF_INVALID. */
int copybuf_text_lossy(struct copybuf *cb, const char *s);
int copybuf_textn_lossy(struct copybuf *cb, const char *s, size_t n);
int copybuf_null(struct copybuf *cb);
int copybuf_nulls(struct copybuf *cb, int count);      /* count x \N */
int copybuf_int(struct copybuf *cb, long long v);
int copybuf_bool(struct copybuf *cb, int v);            /* t or f */
/* bytea in hex form (\\x0a1b...); p == NULL -> \N. */
int copybuf_bytea(struct copybuf *cb, const unsigned char *p, size_t n);

/* End the row.  COPYBUF_INVALID when it has no field (COPY cannot take an
 * empty row); COPYBUF_NOMEM, or COPYBUF_OK. */
int copybuf_end_row(struct copybuf *cb);

/* Drop the unfinished row, if any.  Can't fail. */
void copybuf_cancel_row(struct copybuf *cb);

/*
 * Marks: copybuf_mark(), taken between rows, names the current end of the
 * buffer; until the next flush that sends bytes, copybuf_rewind() drops
 * everything appended since (finished rows included).  Returns COPYBUF_OK, or COPYBUF_INVALID (buffer
 * unchanged) when bytes after the mark were already sent.
 */
uint64_t copybuf_mark(const struct copybuf *cb);
int copybuf_rewind(struct copybuf *cb, uint64_t mark);

/* Bytes of finished rows waiting to be sent. */
size_t copybuf_pending(const struct copybuf *cb);

/*
 * Send finished rows: when all is non-zero, every finished row; otherwise
 * only once at least COPYBUF_CHUNK bytes are waiting.  Pieces handed to
 * send are at most COPYBUF_CHUNK bytes; an unfinished row stays in the
 * buffer.  send returns > 0 for success (as PQputCopyData() does).
 * Returns COPYBUF_OK, or COPYBUF_SEND when send failed (what was not sent
 * stays in the buffer).
 */
typedef int (*copybuf_sender)(void *ctx, const char *p, size_t n);
int copybuf_flush_to(struct copybuf *cb, copybuf_sender send, void *ctx,
                     int all);

/* copybuf_flush_to() with PQputCopyData() on conn (in COPY IN state); on
 * COPYBUF_SEND, PQerrorMessage(conn) says why. */
int copybuf_flush(struct copybuf *cb, PGconn *conn, int all);

/* Length of the valid UTF-8 prefix of s[0, n): n when all of it is valid.
 * NUL bytes count as invalid.  (ingest/utf8.h's decoder.) */
size_t copybuf_utf8_valid(const char *s, size_t n);

/* A short English description of a copybuf_status. */
const char *copybuf_strerror(int status);

#endif
