/*
 * xmlenc.h - the encoding an XML report file is read in, decided by is248
 * rather than by libxml2 (libxml2 is always told to ignore the encoding
 * declaration, XML_PARSE_IGNORE_ENC).
 *
 * Two steps.  xmlenc_sniff() looks at the first bytes of a file once: the
 * byte order mark, the encoding family the first four bytes show (as
 * libxml2 would decide, XML 1.0 appendix F) and the encoding declaration,
 * and either refuses the file or makes a plan.  Only encodings in which the
 * byte-level guard (xmlguard.h) sees every '<', '>', '=' and quote are read:
 * UTF-8, US-ASCII, ISO-8859-1 to -16, windows-1250 to -1258 (every ASCII
 * byte is that ASCII character), and UTF-16 (watched as 16-bit units).
 * UCS-4, EBCDIC, UTF-7, ISO-2022 and any other declared encoding are
 * refused, with a reason naming what was found.
 *
 * Then a file declared ISO-8859-1 streams through an xmlenc_stream, which
 * applies §8 of the delivery format ("valid UTF-8 as a whole and at least
 * one multi-byte sequence: read it as UTF-8") to the whole file although
 * the file is read once, from a stream:
 *   - bytes up to the first non-ASCII one are handed on at once (they read
 *     the same either way);
 *   - from the first non-ASCII byte on, bytes are held back, up to
 *     hold_cap bytes (and the rest of the block in which that many are
 *     reached), and checked: a byte that is not UTF-8 decides ISO-8859-1
 *     (transcoded to UTF-8 here, exactly as libxml2 would), the end of the
 *     file with everything valid decides UTF-8;
 *   - when more than hold_cap bytes are held and all are UTF-8 (with the
 *     multi-byte sequence that started them), the file is read as UTF-8
 *     from there on and every further byte is still checked; one that is
 *     not UTF-8 makes
 *     xmlenc_push() return XMLENC_MIXED, and the caller sets the whole file
 *     aside (it has handed reports on as UTF-8 that §8 would read as
 *     ISO-8859-1).
 * So a file is never read in an encoding the rule would not choose for it:
 * either it is read as the rule says, or it is set aside.
 *
 * A UTF-8 byte order mark on a file declared ISO-8859-1 counts as its
 * multi-byte sequence (the bytes after it are held from the start), as it
 * did before.
 *
 * Memory: the held bytes (at most hold_cap plus one block) and a 64 KiB
 * scratch buffer for transcoding, owned by the stream until
 * xmlenc_stream_free().  Nothing here prints.
 */
#ifndef IS248_INGEST_XMLENC_H
#define IS248_INGEST_XMLENC_H

#include <stddef.h>
#include <stdint.h>

/* Room for an encoding name (struct xmlenc_plan's declared). */
#define XMLENC_NAME_MAX 48

/* Room for xmlenc_sniff()'s reason. */
#define XMLENC_WHY_MAX 256

enum xmlenc_family {
    XMLENC_BYTES = 0, /* UTF-8, or a single-byte ASCII-compatible encoding */
    XMLENC_UTF16LE,
    XMLENC_UTF16BE
};

struct xmlenc_plan {
    enum xmlenc_family family;
    size_t bom;            /* bytes of byte order mark at the start: 0, 2, 3 */
    int latin1;            /* declared ISO-8859-1: an xmlenc_stream decides */
    int force;             /* libxml2 decodes with the encoding named in
                            * declared (US-ASCII, ISO-8859-2, windows-1252 ...);
                            * 0: UTF-8, or the UTF-16 of family */
    char declared[XMLENC_NAME_MAX]; /* the declaration's encoding name
                                     * ("" when none); only [A-Za-z0-9._-],
                                     * so safe to quote */
};

/*
 * Make the plan for a file from its first n bytes (all of them when the
 * file is shorter than the first block).  Returns 0, or -1 when the file is
 * not to be read, with a one-line reason in why ("encoded in EBCDIC ...",
 * "encoding 'UTF-7' is not read ...").  Can't fail otherwise.
 */
int xmlenc_sniff(const unsigned char *p, size_t n, struct xmlenc_plan *plan,
                 char *why, size_t whylen);

/* Where the stream hands its bytes (already in UTF-8, or in what the plan
 * tells libxml2). */
struct xmlenc_out {
    /* Bytes for the parser.  Non-zero: stop (xmlenc_push() returns
     * XMLENC_STOP without handing on more). */
    int (*bytes)(void *ctx, const char *p, size_t n);
    /* The file declared ISO-8859-1 is read as UTF-8 from now on; called
     * once, before the first byte read so is handed on. */
    void (*as_utf8)(void *ctx);
    void *ctx;
};

enum xmlenc_status {
    XMLENC_GO = 0,  /* everything handed on, or held */
    XMLENC_STOP,    /* out->bytes asked to stop */
    XMLENC_MIXED,   /* read as UTF-8, and a byte that is not UTF-8 came */
    XMLENC_NOMEM    /* out of memory holding bytes back */
};

struct xmlenc_stream {
    int mode;              /* private: enum in xmlenc.c */
    size_t lead;           /* byte order mark still to hand on (or drop) */
    int lead_drop;         /* drop it: libxml2 decodes a forced encoding */
    size_t hold_cap;
    unsigned char *hold;   /* bytes held back, from the first non-ASCII one */
    size_t hold_len, hold_size, hold_valid;
    unsigned char tail[4]; /* a sequence cut by the end of a block */
    size_t ntail;
    char *scratch;         /* transcoding */
};

/* Set up s for a file with this plan: a plan without latin1 makes a stream
 * that hands every byte on as it is.  Can't fail (nothing is allocated
 * until bytes have to be held). */
void xmlenc_stream_init(struct xmlenc_stream *s, const struct xmlenc_plan *plan,
                        size_t hold_cap);

/*
 * The next n bytes of the file.  XMLENC_MIXED sets *bad to the offset in p
 * of the first byte that is not UTF-8 (0 when the sequence it ends began in
 * an earlier call).  After any status but XMLENC_GO the stream takes no
 * more bytes.
 */
enum xmlenc_status xmlenc_push(struct xmlenc_stream *s, const unsigned char *p,
                               size_t n, const struct xmlenc_out *out,
                               size_t *bad);

/* The end of the file: whatever is held is decided on and handed on.
 * XMLENC_MIXED: the file ends inside a sequence after it was read as
 * UTF-8. */
enum xmlenc_status xmlenc_end(struct xmlenc_stream *s,
                              const struct xmlenc_out *out);

/* Frees what s holds; s may be initialised again.  Can't fail. */
void xmlenc_stream_free(struct xmlenc_stream *s);

#endif
