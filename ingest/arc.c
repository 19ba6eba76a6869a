/*
 * arc.c - one archive read through libarchive (see arc.h): opened for the
 * formats deliveries use, its entries' data read with ARCHIVE_RETRY
 * tolerated a few times, ARCHIVE_FATAL told from an entry's own trouble,
 * and a nested archive fed to libarchive through archive_read_open()
 * callbacks from the data of the outer entry.
 */
#include "arc.h"

#include <stdlib.h>
#include <string.h>

#include "printable.h"
#include "strf.h"

/* archive.h names ARCHIVE_ERRNO_MISC but leaves it undefined; libarchive
 * itself uses -1. */
#define ARC_ERRNO_MISC (-1)

/* Room for one of libarchive's messages, escaped (arc_msg()). */
#define ARC_MSG_MAX 512

static const char NO_REASON[] = "libarchive gives no reason";

struct archive *arc_new(void)
{
    struct archive *a = archive_read_new();
    if (!a)
        return NULL;
    archive_read_support_format_zip(a);
    archive_read_support_format_tar(a);
    archive_read_support_filter_gzip(a);
    archive_read_support_filter_xz(a);
    archive_read_support_filter_lzma(a);
    archive_read_support_filter_bzip2(a);
    return a;
}

const char *arc_msg(struct archive *a)
{
    static _Thread_local char buf[ARC_MSG_MAX];
    const char *m = archive_error_string(a);
    if (!m)
        return NULL;
    size_t n = strlen(m);
    while (n > 0 && (m[n - 1] == ' ' || m[n - 1] == '\n' ||
                     m[n - 1] == '\r' || m[n - 1] == '\t'))
        n--;
    if (n == 0)
        return NULL;
    return printable_copy(buf, sizeof buf, m, n, 0);
}

int arc_says(const char *msg, const char *word)
{
    if (!msg)
        return 0;
    size_t m = strlen(word);
    for (; *msg; msg++) {
        size_t i = 0;
        while (i < m && msg[i]) {
            char c = msg[i];
            if (c >= 'A' && c <= 'Z')
                c = (char)(c - 'A' + 'a');
            if (c != word[i])
                break;
            i++;
        }
        if (i == m)
            return 1;
    }
    return 0;
}

/* The reason for a fatal error of archive c: truncated or damaged. */
static char *dead_reason(struct arc *c)
{
    if (c->ns && c->ns->failed && c->ns->why)
        return strf("%s", c->ns->why);
    const char *msg = arc_msg(c->a);
    int truncated = arc_says(msg, "truncated");
    if (!truncated && c->ns)
        truncated = c->ns->eof;
    if (!truncated && !c->ns && c->file_size > 0) {
        la_int64_t raw = archive_filter_bytes(c->a, -1);
        truncated = raw >= 0 && (uint64_t)raw >= c->file_size;
    }
    if (!msg && c->compressed) {
        /* libarchive's gzip reader fails without a word when its input
         * ends inside the 8-byte trailer */
        const char *filter = archive_filter_name(c->a, 0);
        return strf("truncated archive: the %s stream ends early",
                    filter ? filter : "compressed");
    }
    if (!msg)
        msg = truncated ? "it ends part way" : NO_REASON;
    return strf("%s archive: %s", truncated ? "truncated" : "damaged", msg);
}

void arc_kill(struct arc *c)
{
    if (c->dead)
        return;
    c->dead = 1;
    c->why = dead_reason(c);
}

/* Data of c's current entry: the count, 0 at its end, -1 with *why (a new
 * string) when c is dead or dies, or the entry cannot be read. */
static la_ssize_t arc_data(struct arc *c, void *buf, size_t len, char **why)
{
    if (c->dead) {
        *why = strf("%s", c->why ? c->why : "unreadable");
        return -1;
    }
    la_ssize_t n;
    int tries = 0;
    do
        n = archive_read_data(c->a, buf, len);
    while (n == ARCHIVE_RETRY && ++tries < ARC_RETRIES);
    if (n >= 0)
        return n;
    if (n == ARCHIVE_FATAL || n == ARCHIVE_RETRY) {
        arc_kill(c);
        *why = strf("%s", c->why ? c->why : "unreadable");
    } else if (c->ns && c->ns->failed && c->ns->why) {
        *why = strf("%s", c->ns->why);
    } else {
        const char *msg = arc_msg(c->a);
        *why = strf("%s entry: %s",
                    n == ARCHIVE_WARN ? "damaged" : "cannot read",
                    msg ? msg : NO_REASON);
    }
    return -1;
}

ssize_t arc_entry_read(void *c, void *buf, size_t len, char **why)
{
    return arc_data(c, buf, len, why);
}

void arc_drain(struct arc *c, struct walk_meter *m)
{
    if (c->dead || !(c->compressed || c->ns))
        return; /* archive_read_next_header skips it by seeking */
    /* By blocks: the holes of a sparse tar entry are not handed out as
     * zeros, and cost nothing to skip. */
    for (;;) {
        if (m->over)
            return;
        const void *block;
        size_t size;
        la_int64_t offset;
        int r = archive_read_data_block(c->a, &block, &size, &offset);
        if (r == ARCHIVE_FATAL) {
            arc_kill(c);
            return;
        }
        if (r != ARCHIVE_OK)
            return; /* the end, or the entry's own trouble: next_header
                     * decides */
        if (meter_count(m, (uint64_t)size) != 0)
            return;
    }
}

char *arc_open_failed_why(struct archive *a, const unsigned char *head,
                          size_t n)
{
    const char *msg = arc_msg(a);
    if (arc_says(msg, "truncated"))
        return strf("truncated archive: %s", msg);
    const char *comp = sniff_compression(head, n);
    if (!msg && comp) {
        /* a decompressor that ran out of input without a word: libarchive's
         * gzip reader cut inside its trailer */
        return strf("truncated archive: the %s stream ends early", comp);
    }
    if (arc_says(msg, "unrecognized archive format") &&
        archive_filter_count(a) > 1) {
        const char *filter = archive_filter_name(a, 0);
        return strf(SNIFF_UNSUPPORTED ": %s-compressed, but what it holds "
                    "is not a tar archive", filter ? filter : "?");
    }
    return strf(SNIFF_UNSUPPORTED ": %s", msg ? msg : NO_REASON);
}

/* ------------------------------------------------------------------------ */
/* Nested archives.                                                          */

int arc_nested_init(struct arc_nested *ns, struct walk_meter *m,
                    struct arc *outer)
{
    memset(ns, 0, sizeof *ns);
    ns->meter = m;
    ns->outer = outer;
    ns->buf = malloc(INPUT_BLOCK);
    ns->head = malloc(SNIFF_HEAD_BYTES);
    ns->tail.buf = malloc(SNIFF_ZIP_TAIL); /* NULL: the check is skipped */
    if (!ns->buf || !ns->head) {
        arc_nested_free(ns);
        return -1;
    }
    return 0;
}

void arc_nested_free(struct arc_nested *ns)
{
    free(ns->why);
    free(ns->buf);
    free(ns->head);
    free(ns->tail.buf);
    ns->why = NULL;
    ns->buf = ns->head = ns->tail.buf = NULL;
}

/* Pull up to len bytes of the outer entry into dst, counted against the
 * caps: the count, 0 at its end, -1 when the bytes stop (ns->why says
 * why). */
static la_ssize_t nested_pull(struct arc_nested *ns, unsigned char *dst,
                              size_t len)
{
    if (ns->failed)
        return -1;
    if (ns->eof)
        return 0;
    struct walk_meter *m = ns->meter;
    char *why = NULL;
    la_ssize_t n = -1;
    if (m->over)
        why = strf("%s", meter_over_why(m));
    else
        n = arc_data(ns->outer, dst, len, &why);
    if (n == 0) {
        ns->eof = 1;
        return 0;
    }
    if (n > 0) {
        if (!meter_entry_fits(m, ns->bytes, (uint64_t)n)) {
            why = meter_entry_cap_why(m, 1);
        } else if (meter_count(m, (uint64_t)n) != 0) {
            why = strf("%s", meter_over_why(m));
        } else {
            ns->bytes += (uint64_t)n;
            sniff_tail_keep(&ns->tail, dst, (size_t)n);
            return n;
        }
    }
    ns->failed = 1;
    ns->why = why;
    return -1;
}

void arc_nested_prefetch(struct arc_nested *ns)
{
    while (ns->head_len < SNIFF_HEAD_BYTES) {
        size_t want = SNIFF_HEAD_BYTES - ns->head_len;
        if (want > INPUT_BLOCK)
            want = INPUT_BLOCK;
        la_ssize_t n = nested_pull(ns, ns->head + ns->head_len, want);
        if (n <= 0)
            break;
        ns->head_len += (size_t)n;
    }
}

/* libarchive's read callback: first what arc_nested_prefetch() took, then
 * the rest as it comes. */
static la_ssize_t nested_read(struct archive *a, void *data,
                              const void **block)
{
    struct arc_nested *ns = data;
    if (!ns->head_given) {
        ns->head_given = 1;
        if (ns->head_len > 0) {
            *block = ns->head;
            return (la_ssize_t)ns->head_len;
        }
    }
    *block = ns->buf;
    la_ssize_t n = nested_pull(ns, ns->buf, INPUT_BLOCK);
    if (n < 0)
        archive_set_error(a, ARC_ERRNO_MISC, "%s",
                          ns->why ? ns->why : "out of memory");
    return n;
}

static int nested_close(struct archive *a, void *data)
{
    (void)a;
    (void)data;
    return ARCHIVE_OK;
}

int arc_nested_open(struct arc *inner, struct arc_nested *ns)
{
    return archive_read_open(inner->a, ns, NULL, nested_read, nested_close);
}

void arc_nested_read_to_end(struct arc_nested *ns, struct archive *inner)
{
    const void *block;
    while (!ns->eof && !ns->failed && !ns->outer->dead &&
           nested_read(inner, ns, &block) > 0)
        ;
}
