/*
 * input.c - the metered, hashed input of the walk (see input.h): the caps
 * of a source, counted as bytes are really decompressed, and the bytes of
 * one report file handed out through walk_input_read() with their SHA-256.
 */
#include "input.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "strf.h"

/* The most one walk_input_read() asks of its source. */
#define INPUT_READ_MAX ((size_t)1 << 30)

/* ------------------------------------------------------------------------ */
/* The meter.                                                                */

void meter_begin(struct walk_meter *m)
{
    m->total = 0;
    m->entries = 0;
    m->over = 0;
    free(m->over_why);
    m->over_why = NULL;
}

void meter_free(struct walk_meter *m)
{
    free(m->over_why);
    m->over_why = NULL;
}

void meter_set_over(struct walk_meter *m, char *why)
{
    if (m->over) {
        free(why);
        return;
    }
    m->over = 1;
    m->over_why = why;
}

const char *meter_over_why(const struct walk_meter *m)
{
    return m->over_why ? m->over_why : "out of memory";
}

/* "512 MiB", "1 GiB", "1000 bytes" */
static void format_size(uint64_t n, char *buf, size_t len)
{
    static const char *const unit[] = { "KiB", "MiB", "GiB", "TiB" };
    const int last = (int)(sizeof unit / sizeof unit[0]) - 1;
    int u = -1;
    while (u < last && n >= 1024 && n % 1024 == 0) {
        n /= 1024;
        u++;
    }
    if (u < 0)
        snprintf(buf, len, "%" PRIu64 " bytes", n);
    else
        snprintf(buf, len, "%" PRIu64 " %s", n, unit[u]);
}

/* Room for format_size()'s text: 20 digits, a space and a unit. */
#define SIZE_TEXT 32

int meter_count(struct walk_meter *m, uint64_t n)
{
    if (m->lim.total_bytes && m->total + n > m->lim.total_bytes) {
        char size[SIZE_TEXT];
        format_size(m->lim.total_bytes, size, sizeof size);
        meter_set_over(m, strf("more than the cap of %s decompressed from "
                               "one archive (--max-total-bytes)", size));
        return -1;
    }
    m->total += n;
    return 0;
}

int meter_count_entry(struct walk_meter *m)
{
    if (m->lim.entries && m->entries >= m->lim.entries) {
        meter_set_over(m, strf("more than the cap of %" PRIu64 " entries in "
                               "one archive (--max-entries)",
                               m->lim.entries));
        return -1;
    }
    m->entries++;
    return 0;
}

int meter_entry_fits(const struct walk_meter *m, uint64_t had, uint64_t n)
{
    return !m->lim.entry_bytes || had + n <= m->lim.entry_bytes;
}

char *meter_entry_cap_why(const struct walk_meter *m, int nested)
{
    char size[SIZE_TEXT];
    format_size(m->lim.entry_bytes, size, sizeof size);
    return strf("%s larger than the cap of %s decompressed "
                "(--max-entry-bytes)",
                nested ? "nested archive" : "entry", size);
}

/* ------------------------------------------------------------------------ */
/* The input.                                                                */

static void input_init(struct walk_input *in, struct walk_meter *m,
                       EVP_MD_CTX *md, unsigned char *drain)
{
    memset(in, 0, sizeof *in);
    in->meter = m;
    in->md = md;
    in->drain = drain;
    in->fd = -1;
    in->state = IN_OPEN;
    EVP_DigestInit_ex(md, EVP_sha256(), NULL);
}

void input_init_fd(struct walk_input *in, struct walk_meter *m,
                   EVP_MD_CTX *md, unsigned char *drain, int fd)
{
    input_init(in, m, md, drain);
    in->fd = fd;
}

void input_init_source(struct walk_input *in, struct walk_meter *m,
                       EVP_MD_CTX *md, unsigned char *drain,
                       input_source_fn read, void *src)
{
    input_init(in, m, md, drain);
    in->read = read;
    in->src = src;
}

int input_at_end(const struct walk_input *in)
{
    return in->state == IN_END;
}

void input_release(struct walk_input *in)
{
    free(in->error);
    in->error = NULL;
}

static void input_fail(struct walk_input *in, char *why)
{
    in->state = IN_ERROR;
    free(in->error);
    in->error = why;
}

/* Read raw bytes of the file: the count, 0 at the end, -1 on error (with
 * the input failed). */
static ssize_t input_raw(struct walk_input *in, void *buf, size_t len)
{
    if (in->fd < 0) {
        char *why = NULL;
        ssize_t n = in->read(in->src, buf, len, &why);
        if (n < 0)
            input_fail(in, why);
        return n;
    }
    for (;;) {
        ssize_t n = read(in->fd, buf, len);
        if (n >= 0)
            return n;
        if (errno != EINTR) {
            input_fail(in, strf("read error: %s", strerror(errno)));
            return -1;
        }
    }
}

ssize_t walk_input_read(struct walk_input *in, void *buf, size_t len)
{
    if (in->finished || in->state == IN_END)
        return 0;
    if (in->state == IN_ERROR)
        return -1;
    if (len == 0)
        return 0;
    if (len > INPUT_READ_MAX)
        len = INPUT_READ_MAX;
    struct walk_meter *m = in->meter;
    if (m->over) {
        input_fail(in, strf("%s", meter_over_why(m)));
        return -1;
    }
    ssize_t n = input_raw(in, buf, len);
    if (n < 0)
        return -1;
    if (n == 0) {
        in->state = IN_END;
        return 0;
    }
    if (!meter_entry_fits(m, in->bytes, (uint64_t)n)) {
        input_fail(in, meter_entry_cap_why(m, 0));
        return -1;
    }
    if (meter_count(m, (uint64_t)n) != 0) {
        input_fail(in, strf("%s", meter_over_why(m)));
        return -1;
    }
    in->bytes += (uint64_t)n;
    EVP_DigestUpdate(in->md, buf, (size_t)n);
    return n;
}

const char *walk_input_error(const struct walk_input *in)
{
    if (in->state != IN_ERROR)
        return NULL;
    return in->error ? in->error : "out of memory";
}

int walk_input_finish(struct walk_input *in, unsigned char sha256[32],
                      uint64_t *bytes)
{
    if (!in->finished) {
        while (in->state == IN_OPEN &&
               walk_input_read(in, in->drain, INPUT_BLOCK) > 0)
            ;
        unsigned int mdlen = 0;
        EVP_DigestFinal_ex(in->md, in->sha, &mdlen);
        in->finished = 1;
    }
    if (sha256)
        memcpy(sha256, in->sha, sizeof in->sha);
    if (bytes)
        *bytes = in->bytes;
    return in->state == IN_ERROR ? -1 : 0;
}
