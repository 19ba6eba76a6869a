/*
 * progress.c - the progress line of an import (see progress.h).
 */
#define _XOPEN_SOURCE 700
#include "progress.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "msg.h"

static double progress_clock(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#define REDRAW_EVERY 0.25 /* seconds */

struct progress {
    double start, last;
    uint64_t total;         /* bytes on disk of every path given */
    uint64_t done;          /* bytes of the sources finished */
    char *source;           /* the source being read */
    uint64_t source_size, source_read;
};

static uint64_t dir_bytes;

static int add_file(const char *path, const struct stat *st, int flag,
                    struct FTW *ftw)
{
    (void)path;
    (void)ftw;
    if (flag == FTW_F && S_ISREG(st->st_mode))
        dir_bytes += (uint64_t)st->st_size;
    return 0;
}

/* Bytes of a path on disk: a file's size, a directory's regular files. */
static uint64_t bytes_of(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return 0;
    if (S_ISREG(st.st_mode))
        return (uint64_t)st.st_size;
    if (!S_ISDIR(st.st_mode))
        return 0;
    dir_bytes = 0;
    nftw(path, add_file, 16, FTW_PHYS);
    return dir_bytes;
}

struct progress *progress_new(int npaths, char *const *paths)
{
    const char *term = getenv("TERM");
    if (msg_level < MSG_NORMAL || !isatty(STDERR_FILENO) ||
        (term && strcmp(term, "dumb") == 0))
        return NULL;
    struct progress *pg = calloc(1, sizeof *pg);
    if (!pg)
        return NULL; /* no progress line: nothing else depends on it */
    for (int i = 0; i < npaths; i++)
        pg->total += bytes_of(paths[i]);
    pg->start = progress_clock();
    pg->last = 0.0; /* the first call draws at once */
    return pg;
}

void progress_at(struct progress *pg, const struct walk_entry *e)
{
    if (!pg)
        return;
    if (!pg->source || strcmp(pg->source, e->source) != 0) {
        pg->done += pg->source_size;
        free(pg->source);
        pg->source = strdup(e->source);
        struct stat st;
        pg->source_size = stat(e->source, &st) == 0 && S_ISREG(st.st_mode)
                              ? (uint64_t)st.st_size : 0;
        pg->source_read = 0;
    }
    if (e->source_read > pg->source_read)
        pg->source_read = e->source_read;
}

/* "1 234 567": thousands apart, as the summary prints them */
static const char *grouped(uint64_t v, char *buf, size_t len)
{
    char digits[32];
    int n = snprintf(digits, sizeof digits, "%llu", (unsigned long long)v);
    size_t o = 0;
    for (int i = 0; i < n && o + 2 < len; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            buf[o++] = ' ';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
    return buf;
}

void progress_show(struct progress *pg, uint64_t files, uint64_t reports,
                   int force)
{
    if (!pg)
        return;
    double now = progress_clock();
    if (!force && now - pg->last < REDRAW_EVERY)
        return;
    pg->last = now;
    double elapsed = now - pg->start;
    uint64_t read = pg->done + (pg->source_read < pg->source_size
                                    ? pg->source_read : pg->source_size);
    char f[32], r[32], rate[32] = "-", left[48] = "";
    if (elapsed > 0.5)
        grouped((uint64_t)((double)reports / elapsed), rate, sizeof rate);
    if (pg->total > 0 && read > 0 && elapsed > 1.0) {
        double frac = (double)read / (double)pg->total;
        if (frac > 1.0)
            frac = 1.0;
        long secs = (long)(elapsed * (1.0 - frac) / frac + 0.5);
        snprintf(left, sizeof left, ", %d%%, about %ld:%02ld left",
                 (int)(frac * 100.0), secs / 60, secs % 60);
    }
    char line[256];
    snprintf(line, sizeof line,
             "is248: %s file(s), %s report(s), %.1f of %.1f MB, %s reports/s%s",
             grouped(files, f, sizeof f), grouped(reports, r, sizeof r),
             (double)read / 1e6, (double)pg->total / 1e6, rate, left);
    msg_status(line);
}

void progress_free(struct progress *pg)
{
    if (!pg)
        return;
    msg_status_clear();
    free(pg->source);
    free(pg);
}
