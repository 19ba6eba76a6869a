/*
 * memsrc.h - a byte source in memory for the XML reader's read callback
 * (xmlreport.h's xmlrep_read_fn), shared by the unit tests (xmlrun.h) and
 * the fuzz target fuzz_xml.c: reads of at most chunk bytes, and a read
 * error from offset fail_at on, so that short reads and a source that
 * fails part way are tried as easily as a whole one.  Header only: static
 * functions, one copy per program.  Owns nothing: data is the caller's.
 */
#ifndef IS248_TEST_MEMSRC_H
#define IS248_TEST_MEMSRC_H

#include <stddef.h>
#include <string.h>
#include <sys/types.h>

struct mem_src {
    const void *data;
    size_t len, pos;
    size_t chunk;      /* bytes per read at most (0: as many as asked) */
    size_t fail_at;    /* reads fail once pos reaches it (0: never) */
    const char *why;   /* what mem_error() says (NULL: "read error") */
    int failed;        /* a read failed */
};

static inline ssize_t mem_read(void *src, void *buf, size_t len)
{
    struct mem_src *m = src;
    if (m->fail_at && m->pos >= m->fail_at) {
        m->failed = 1;
        return -1;
    }
    size_t n = m->len - m->pos;
    if (n > len)
        n = len;
    if (m->chunk && n > m->chunk)
        n = m->chunk;
    if (m->fail_at && m->pos + n > m->fail_at)
        n = m->fail_at - m->pos;
    if (n)
        memcpy(buf, (const char *)m->data + m->pos, n);
    m->pos += n;
    return (ssize_t)n;
}

static inline const char *mem_error(void *src)
{
    const struct mem_src *m = src;
    return m->why ? m->why : "read error";
}

#endif
