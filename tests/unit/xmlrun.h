/*
 * xmlrun.h - what the XML reader's unit tests share: a source in memory
 * (tests/common/memsrc.h: read in chunks of any size, failing at any
 * offset), a sink that writes every report and warning as text (golden
 * text, as libxml2's runtest does), text in other encodings (utf16(),
 * convert() with iconv), and stderr caught in a file, since libxml2 must
 * print nothing.  Static functions, one copy per test program.
 */
#ifndef IS248_TEST_XMLRUN_H
#define IS248_TEST_XMLRUN_H

#include "check.h"

#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ingest/xmlreport.h"
#include "tests/common/memsrc.h"

/* ---- what the sink saw, as text ---------------------------------------- */

struct out {
    char *text;
    size_t len, cap;
    int reports;
    int stop_after; /* stop after this many reports (0: never) */
};

static inline void out_add(struct out *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static inline void out_add(struct out *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (o->len + (size_t)n + 1 > o->cap) {
        o->cap = (o->len + (size_t)n + 1) * 2;
        o->text = realloc(o->text, o->cap);
    }
    va_start(ap, fmt);
    vsnprintf(o->text + o->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    o->len += (size_t)n;
}

#define S(x) ((x) ? (x) : "NULL")

static inline int on_report(void *ctx, const struct raw_report *r)
{
    struct out *o = ctx;
    o->reports++;
    out_add(o, "report %d v%d line %ld\n", r->index, (int)r->version,
            r->line);
    out_add(o, " year=%s submitted=%s id=%s\n", S(r->year), S(r->submitted),
            S(r->submission_id));
    out_add(o, " unit type=%s code=%s name=%s population=%s\n",
            S(r->unit_type), S(r->unit_code), S(r->unit_name),
            S(r->population));
    if (r->fault)
        out_add(o, " fault=%s\n", r->fault);
    for (size_t i = 0; i < r->n_answers; i++) {
        const struct raw_answer *a = &r->answers[i];
        out_add(o, " %zu: chapter=%s question=%s code=%s text=%s%s%s "
                "parent=%d line=%ld\n",
                i, S(a->chapter), S(a->question), S(a->code),
                a->text ? "'" : "", S(a->text), a->text ? "'" : "", a->parent,
                a->line);
    }
    return o->stop_after && o->reports >= o->stop_after;
}

static inline void on_warning(void *ctx, long line, const char *msg)
{
    struct out *o = ctx;
    out_add(o, "warning line %ld: %s\n", line, msg);
}

struct result {
    enum xmlrep_status st;
    char err[512];
    struct out out;
};

static inline void run(struct result *res, const char *data, size_t len,
                size_t chunk, size_t fail_at, const struct xmlrep_limits *lim)
{
    static const struct xmlrep_limits defaults = {
        XMLREP_DEFAULT_VALUE_BYTES, XMLREP_DEFAULT_SNIFF_BYTES
    };
    int stop_after = res->out.stop_after;
    free(res->out.text);
    memset(res, 0, sizeof *res);
    res->out.stop_after = stop_after;
    out_add(&res->out, "%s", "");
    struct mem_src m = { .data = data, .len = len, .chunk = chunk,
                         .fail_at = fail_at,
                         .why = "truncated archive: test source cut off" };
    struct xmlrep_sink sink = { on_report, on_warning, &res->out };
    res->st = xmlrep_read(mem_read, &m, mem_error, lim ? lim : &defaults,
                          &sink, res->err, sizeof res->err);
}

static inline void run_str(struct result *res, const char *xml)
{
    run(res, xml, strlen(xml), 0, 0, NULL);
}

/* s (ASCII or UTF-8 without surrogates needed) as UTF-16, big-endian or
 * not, with a byte order mark or not; *n its length.  Only the BMP. */
static inline char *utf16(const char *s, int big, int bom, size_t *n)
{
    size_t len = strlen(s);
    char *out = malloc(2 + 2 * len), *o = out;
    if (bom) {
        *o++ = (char)(big ? 0xFE : 0xFF);
        *o++ = (char)(big ? 0xFF : 0xFE);
    }
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = *p++;
        if (c >= 0xE0) { /* three bytes */
            c = (c & 0x0F) << 12 | (unsigned)(p[0] & 0x3F) << 6 | (p[1] & 0x3F);
            p += 2;
        } else if (c >= 0xC0) { /* two */
            c = (c & 0x1F) << 6 | (*p++ & 0x3F);
        }
        *o++ = (char)(big ? c >> 8 : c & 0xFF);
        *o++ = (char)(big ? c & 0xFF : c >> 8);
    }
    *n = (size_t)(o - out);
    return out;
}

/* in converted to code with iconv into a new buffer (the caller frees
 * it); *n its length */
static inline char *convert(const char *code, const char *in, size_t *n)
{
    iconv_t cd = iconv_open(code, "UTF-8");
    size_t left = strlen(in), room = 8 * left + 8;
    char *out = malloc(room), *o = out, *i = (char *)in;
    CHECK(cd != (iconv_t)-1 && iconv(cd, &i, &left, &o, &room) != (size_t)-1);
    iconv_close(cd);
    *n = (size_t)(o - out);
    return out;
}

/* ---- stderr ------------------------------------------------------------- */

struct caught {
    char path[64];
    int fd, saved;
};

/* From now on stderr goes to a temporary file. */
static inline void catch_stderr(struct caught *c)
{
    snprintf(c->path, sizeof c->path, "/tmp/test_xml_stderr_XXXXXX");
    c->fd = mkstemp(c->path);
    c->saved = dup(2);
    fflush(stderr);
    dup2(c->fd, 2);
}

/* stderr back; what was written to it is printed, and must be nothing
 * (the check harness's own messages excepted, which are printed too). */
static inline void release_stderr(struct caught *c)
{
    fflush(stderr);
    dup2(c->saved, 2);
    close(c->saved);
    off_t size = lseek(c->fd, 0, SEEK_END);
    if (size > 0) {
        fprintf(stderr, "stderr during the tests:\n");
        char buf[4096];
        ssize_t n;
        for (off_t at = 0; (n = pread(c->fd, buf, sizeof buf, at)) > 0; at += n)
            fwrite(buf, 1, (size_t)n, stderr);
    }
    CHECK_INT(size, 0);
    close(c->fd);
    unlink(c->path);
}

#endif
