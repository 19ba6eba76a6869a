/*
 * xmlreport.c - xmlrep_read(): one report file from the caller's read
 * function to the sink.  This file owns the order of things and nothing
 * else: the bytes are read in blocks of XR_BLOCK; the first block decides
 * the encoding (xmlenc.c); every block passes the byte guard (xmlguard.c)
 * before anything else sees it, then the encoding stream (which may hold
 * bytes back, or transcode them), then libxml2's SAX2 push parser with the
 * report state machine behind it (xmlsax.c, rawbuild.c).  The first reason
 * to set the file aside, from whichever of them, is the one given.
 */
#include "xmlreport.h"
#include "xmlenc.h"
#include "xmlguard.h"
#include "xmlsax.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/encoding.h>

#define XR_BLOCK (64 * 1024)
#define SIZE_TEXT 48 /* "%zu MiB", "%zu bytes" */

struct reader {
    xmlrep_read_fn read;
    void *src;
    const char *(*src_error)(void *src);
    const struct xmlrep_limits *lim;
    const struct xmlrep_sink *sink;

    unsigned char *buf;     /* the block being handed on */
    size_t len;
    int eof;

    struct xmlenc_plan plan;
    struct xmlguard guard;
    struct xmlenc_stream enc;
    struct xmlsax *sax;

    int rejected;
    char *err;
    size_t errlen;
};

static void reject(struct reader *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void reject(struct reader *r, const char *fmt, ...)
{
    if (r->rejected)
        return;
    r->rejected = 1;
    if (r->err && r->errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(r->err, r->errlen, fmt, ap);
        va_end(ap);
    }
}

static void warn(struct reader *r, const char *msg)
{
    if (r->sink && r->sink->warning)
        r->sink->warning(r->sink->ctx, 0, msg);
}

/* Read into buf until it holds want bytes or the file ends.  Returns 0, or
 * -1 after a read error (the file is then set aside with the source's
 * reason). */
static int fill(struct reader *r, size_t want)
{
    r->len = 0;
    while (r->len < want && !r->eof) {
        ssize_t n = r->read(r->src, r->buf + r->len, want - r->len);
        if (n < 0) {
            const char *why = r->src_error ? r->src_error(r->src) : NULL;
            reject(r, "%s", why ? why : "read error");
            return -1;
        }
        if (n == 0)
            r->eof = 1;
        else /* a read function that returns more than asked is cut short */
            r->len += (size_t)n < want - r->len ? (size_t)n : want - r->len;
    }
    return 0;
}

/* The guard's verdict on the block, as the file's reason. */
static int guard_block(struct reader *r)
{
    switch (xmlguard_scan(&r->guard, r->buf, r->len)) {
    case XMLGUARD_OK:
        return 0;
    case XMLGUARD_DOCTYPE:
        reject(r, "DOCTYPE declarations are not allowed (line %ld)",
               xmlguard_line(&r->guard));
        break;
    case XMLGUARD_ATTRS:
        reject(r, "more than %d attributes on one element at line %ld",
               XMLGUARD_MAX_ATTRS, xmlguard_line(&r->guard));
        break;
    case XMLGUARD_TAG:
        reject(r, "a start tag longer than %u characters at line %ld",
               XMLGUARD_MAX_TAG, xmlguard_line(&r->guard));
        break;
    case XMLGUARD_NOMEM:
        reject(r, "out of memory");
        break;
    }
    return -1;
}

/* xmlenc_out: bytes to the parser, and the encoding warning. */
static int to_parser(void *ctx, const char *p, size_t n)
{
    struct reader *r = ctx;
    return xmlsax_feed(r->sax, p, n, 0);
}

static void as_utf8(void *ctx)
{
    warn(ctx, "declared ISO-8859-1 but is UTF-8; read as UTF-8");
}

/* What the encoding stream said, as the file's reason when it is one. */
static int enc_outcome(struct reader *r, enum xmlenc_status st, long line)
{
    switch (st) {
    case XMLENC_GO:
    case XMLENC_STOP: /* the parser is done: xmlsax says why */
        return st == XMLENC_GO ? 0 : -1;
    case XMLENC_MIXED: {
        size_t cap = r->lim->sniff_bytes;
        char size[SIZE_TEXT];
        if (cap >= (1U << 20) && cap % (1U << 20) == 0)
            snprintf(size, sizeof size, "%zu MiB", cap >> 20);
        else
            snprintf(size, sizeof size, "%zu bytes", cap);
        reject(r, "mixed encodings: declared ISO-8859-1, read as UTF-8 after "
               "more than %s of UTF-8, but line %ld is not UTF-8", size, line);
        return -1;
    }
    case XMLENC_NOMEM:
        reject(r, "out of memory");
        return -1;
    }
    return -1;
}

/* The first block: the encoding, and the parser for it. */
static int begin(struct reader *r)
{
    if (fill(r, XR_BLOCK) != 0)
        return -1;
    if (r->len == 0) {
        reject(r, "empty file");
        return -1;
    }
    char why[XMLENC_WHY_MAX];
    if (xmlenc_sniff(r->buf, r->len, &r->plan, why, sizeof why) != 0) {
        reject(r, "%s", why);
        return -1;
    }
    const char *forced = r->plan.force ? r->plan.declared : NULL;
    if (forced) {
        xmlCharEncodingHandlerPtr h = xmlFindCharEncodingHandler(forced);
        if (!h) {
            reject(r, "encoding '%s' is not known to libxml2", forced);
            return -1;
        }
        xmlCharEncCloseFunc(h);
    }
    /* UTF-16 is read as what it is (every XML parser must), but it is not
     * what the format promises: tell. */
    if (r->plan.family == XMLENC_UTF16LE)
        warn(r, "encoded in UTF-16LE (the format says UTF-8 or ISO-8859-1); "
                "read as UTF-16LE");
    else if (r->plan.family == XMLENC_UTF16BE)
        warn(r, "encoded in UTF-16BE (the format says UTF-8 or ISO-8859-1); "
                "read as UTF-16BE");
    xmlguard_init(&r->guard,
                  r->plan.family == XMLENC_UTF16LE   ? XMLGUARD_UTF16LE
                  : r->plan.family == XMLENC_UTF16BE ? XMLGUARD_UTF16BE
                                                     : XMLGUARD_BYTES,
                  r->plan.bom);
    xmlenc_stream_init(&r->enc, &r->plan, r->lim->sniff_bytes);
    struct xmlsax_config c = { r->sink, r->lim->value_bytes, forced };
    r->sax = xmlsax_new(&c);
    if (!r->sax) {
        reject(r, "out of memory");
        return -1;
    }
    return 0;
}

/* Every block, through the guard, the encoding and the parser. */
static void run(struct reader *r)
{
    struct xmlenc_out out = { to_parser, as_utf8, r };
    size_t bad;
    for (;;) {
        if (guard_block(r) != 0)
            return;
        enum xmlenc_status st = xmlenc_push(&r->enc, r->buf, r->len, &out,
                                            &bad);
        long line = st == XMLENC_MIXED && r->guard.width == XMLGUARD_BYTES
                        ? xmlguard_line_at(&r->guard, r->buf, bad) : 0;
        if (enc_outcome(r, st, line) != 0 || r->eof)
            break;
        if (fill(r, XR_BLOCK) != 0)
            return;
        if (r->len == 0)
            break; /* the end */
    }
    if (r->rejected || xmlsax_reason(r->sax) || xmlsax_stopped(r->sax))
        return;
    long last = xmlguard_line_at(&r->guard, r->buf, r->len);
    if (enc_outcome(r, xmlenc_end(&r->enc, &out), last) == 0)
        xmlsax_feed(r->sax, NULL, 0, 1);
}

enum xmlrep_status xmlrep_read(xmlrep_read_fn read, void *src,
                               const char *(*src_error)(void *src),
                               const struct xmlrep_limits *lim,
                               const struct xmlrep_sink *sink,
                               char *err, size_t errlen)
{
    static const struct xmlrep_limits defaults = {
        XMLREP_DEFAULT_VALUE_BYTES, XMLREP_DEFAULT_SNIFF_BYTES
    };
    struct reader r = {
        .read = read, .src = src, .src_error = src_error,
        .lim = lim ? lim : &defaults, .sink = sink, .err = err,
        .errlen = errlen,
    };
    if (err && errlen)
        err[0] = '\0';
    r.buf = malloc(XR_BLOCK);
    if (!r.buf)
        reject(&r, "out of memory");
    else if (begin(&r) == 0)
        run(&r);

    enum xmlrep_status status = XMLREP_OK;
    const char *why = r.sax ? xmlsax_reason(r.sax) : NULL;
    if (why)
        reject(&r, "%s", why);
    if (r.rejected)
        status = XMLREP_REJECTED;
    else if (r.sax && xmlsax_stopped(r.sax))
        status = XMLREP_STOPPED;
    if (status == XMLREP_REJECTED && err && errlen && !err[0])
        snprintf(err, errlen, "not well-formed XML");

    xmlsax_free(r.sax);
    xmlenc_stream_free(&r.enc);
    xmlguard_free(&r.guard);
    free(r.buf);
    return status;
}
