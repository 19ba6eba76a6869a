/*
 * fuzz_walk.c - libFuzzer target: the bytes are an archive (zip, tar,
 * tar.gz, tar.xz, tar.bz2, an archive inside one, or anything else), run
 * through the real pipeline, import_run() without a database (what "is248
 * validate" runs), with small caps; or walked with walk_path() and the
 * walker's promises checked one by one.
 *
 * walk_path() takes a path: the bytes are written to one memfd (or, where
 * memfd_create is missing, to one unlinked temporary file), rewritten for
 * every input, and the walk is given "/proc/self/fd/N".  A name without
 * ".xml" makes walk_path() read it as an archive, as it does any path given.
 *
 * What is done is drawn from a hash of the input (the same input always
 * takes the same path): mostly the pipeline, stopped after some reports
 * now and then (as a signal stops it); or the walk alone, whose file
 * callback stops the walk at the first report file (its non-zero return),
 * finishes without reading, or reads the bytes itself and checks
 * walk_input_finish()'s SHA-256 and count against them.
 *
 * Checked on the way (walk.h): entry names and sources are printable UTF-8;
 * walk_input_finish() fails exactly when walk_input_error() has a reason;
 * reads after it return 0; no entry gives more than the entry cap; no file
 * is delivered after a callback asked to stop, and walk_path() then
 * returns 1.  And (import.h): every event's labels and texts are printable;
 * a file is loaded or set aside (with a reason) in validate; the run's
 * totals are the sum of its files' events; no file is told after a stop.
 */
#define _GNU_SOURCE /* memfd_create */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "fuzz_report.h"
#include "import/import.h"
#include "ingest/walk.h"

/* Small caps: one iteration stays fast however well an input compresses. */
static const struct walk_limits limits = {
    .entry_bytes = 256U << 10, /* 256 KiB from one entry */
    .total_bytes = 1U << 20,   /* 1 MiB from the whole input */
    .entries = 64,
};

static int fd = -1;
static char path[64];
static EVP_MD_CTX *md; /* for M_SELF_READ's own SHA-256 */

enum mode { M_PIPELINE, M_STOP, M_FINISH_ONLY, M_SELF_READ };

struct walk_ctx {
    enum mode mode;
    int asked_stop;   /* a callback returned non-zero */
    EVP_MD_CTX *md;
};

struct counted {
    struct walk_input *in;
    uint64_t bytes;   /* bytes handed to the reader */
};

static ssize_t read_input(void *src, void *buf, size_t len)
{
    struct counted *c = src;
    ssize_t n = walk_input_read(c->in, buf, len);
    FUZZ_CHECK(n >= -1 && (n < 0 || (size_t)n <= len),
               "walk.h: walk_input_read gives -1, 0 or up to len bytes");
    if (n > 0)
        c->bytes += (uint64_t)n;
    return n;
}

static void check_entry(const struct walk_entry *e)
{
    FUZZ_CHECK(e && e->source && e->entry, "walk.h: source and entry given");
    FUZZ_CHECK_S(fuzz_printable(e->source),
                 "walk.h: the source label is printable UTF-8", e->source);
    FUZZ_CHECK_S(fuzz_printable(e->entry),
                 "walk.h: entry names are printable UTF-8 (\\xHH escapes)",
                 e->entry);
}

static int on_file(void *ctx, const struct walk_entry *e,
                   struct walk_input *in)
{
    struct walk_ctx *w = ctx;
    FUZZ_CHECK(!w->asked_stop, "walk.h: no file after a callback stopped");
    check_entry(e);
    struct counted c = { in, 0 };
    unsigned char want[32];
    int self_ok = 0;
    int rc = 0;

    switch (w->mode) {
    case M_PIPELINE:            /* import_run(), not this callback */
    case M_STOP:
        rc = 1;
        break;
    case M_FINISH_ONLY:
        break;
    case M_SELF_READ: {
        unsigned char buf[4096];
        ssize_t n;
        self_ok = EVP_DigestInit_ex(w->md, EVP_sha256(), NULL);
        while ((n = read_input(&c, buf, sizeof buf)) > 0)
            self_ok = self_ok && EVP_DigestUpdate(w->md, buf, (size_t)n);
        unsigned int len = 0;
        self_ok = self_ok && n == 0 &&
                  EVP_DigestFinal_ex(w->md, want, &len) && len == 32;
        break;
    }
    }

    unsigned char sha[32];
    uint64_t bytes = 0;
    int fin = walk_input_finish(in, sha, &bytes);
    FUZZ_CHECK((fin != 0) == (walk_input_error(in) != NULL),
               "walk.h: walk_input_finish fails exactly when there is a "
               "reason");
    FUZZ_CHECK(bytes >= c.bytes, "walk.h: finish counts every byte read");
    FUZZ_CHECK(bytes <= limits.entry_bytes,
               "walk.h: no entry gives more than the entry cap");
    if (self_ok && fin == 0)
        FUZZ_CHECK(bytes == c.bytes && memcmp(sha, want, 32) == 0,
                   "walk.h: finish gives the SHA-256 of all of the bytes");
    char b;
    FUZZ_CHECK(walk_input_read(in, &b, 1) == 0,
               "walk.h: reads after walk_input_finish return 0");
    if (rc)
        w->asked_stop = 1;
    return rc;
}

static void on_skipped(void *ctx, const struct walk_entry *e, const char *why)
{
    (void)ctx;
    check_entry(e);
    FUZZ_CHECK(why && why[0], "walk.h: skipped() says why");
}

static void on_failed(void *ctx, const struct walk_entry *e, const char *why)
{
    (void)ctx;
    check_entry(e);
    FUZZ_CHECK(why && why[0], "walk.h: failed() says why");
}

/* --- the pipeline: import_run() without a database --------------------- */

struct run_ctx {
    struct import_totals sum;   /* of the file events */
    uint64_t reports, stop_after;
    volatile sig_atomic_t stop;
    int stopped_files;          /* files told after the stop */
};

static void on_event(void *ctx, const struct import_event *ev)
{
    struct run_ctx *r = ctx;
    if (ev->source)
        FUZZ_CHECK_S(fuzz_printable(ev->source),
                     "import.h: the source label is printable", ev->source);
    if (ev->entry)
        FUZZ_CHECK_S(fuzz_printable(ev->entry),
                     "import.h: the entry label is printable", ev->entry);
    switch (ev->kind) {
    case IMPORT_PROGRESS:
        FUZZ_CHECK(ev->reports_read >= r->reports,
                   "import.h: progress does not go back");
        r->reports = ev->reports_read;
        if (r->stop_after && r->reports >= r->stop_after)
            r->stop = 1;
        break;
    case IMPORT_SKIPPED:
        FUZZ_CHECK(ev->reason && ev->reason[0], "import.h: a skip says why");
        r->sum.skipped++;
        break;
    case IMPORT_PROBLEM:
        FUZZ_CHECK(ev->problem && ev->problem->text,
                   "import.h: a problem has its text");
        FUZZ_CHECK_S(fuzz_printable(ev->problem->text),
                     "import.h: a problem's text is printable",
                     ev->problem->text);
        break;
    case IMPORT_FILE: {
        const struct import_file *f = ev->file;
        if (r->stop)
            r->stopped_files++;
        FUZZ_CHECK(f->outcome == IMPORT_LOADED || f->outcome == IMPORT_REJECTED,
                   "import.h: validate loads a file or sets it aside");
        if (f->outcome == IMPORT_REJECTED) {
            FUZZ_CHECK(f->reason && f->reason[0],
                       "import.h: a file set aside says why");
            FUZZ_CHECK_S(fuzz_printable(f->reason),
                         "import.h: the reason is printable", f->reason);
            FUZZ_CHECK(f->reports_loaded == 0 && f->reports_rejected == 0,
                       "import.h: nothing of a file set aside counts");
        }
        r->sum.files++;
        r->sum.files_loaded += f->outcome == IMPORT_LOADED;
        r->sum.files_rejected += f->outcome == IMPORT_REJECTED;
        r->sum.reports_loaded += f->reports_loaded;
        r->sum.reports_rejected += f->reports_rejected;
        r->sum.answers_rejected += f->answers_rejected;
        r->sum.warnings += f->warnings;
        break;
    }
    default:
        break;
    }
}

static void run_pipeline(uint64_t h)
{
    struct run_ctx r = { .stop_after = (h >> 8) % 8 == 0 ? 1 + (h >> 16) % 4
                                                         : 0 };
    struct import_config cfg = { .walk = &limits, .units = fuzz_units(),
                                 .stop = &r.stop };
    struct import_sink sink = { on_event, &r };
    struct import_result res;
    char *paths[1] = { path };
    enum import_status st = import_run(&cfg, NULL, 1, paths, &sink, &res);
    FUZZ_CHECK(st == res.status, "import.h: the status returned is res's");
    FUZZ_CHECK(st != IMPORT_FAILED && st != IMPORT_LOCKED,
               "import.h: without a database there is no database failure");
    FUZZ_CHECK(st != IMPORT_INTERRUPTED || r.stop,
               "import.h: interrupted only when stop was set");
    FUZZ_CHECK(r.stopped_files == 0,
               "import.h: no file is told after a stop (the one being read "
               "is not done)");
    const struct import_totals *t = &res.totals;
    FUZZ_CHECK(t->files == r.sum.files && t->files_loaded == r.sum.files_loaded &&
               t->files_rejected == r.sum.files_rejected &&
               t->reports_loaded == r.sum.reports_loaded &&
               t->reports_rejected == r.sum.reports_rejected &&
               t->answers_rejected == r.sum.answers_rejected &&
               t->warnings == r.sum.warnings && t->skipped == r.sum.skipped,
               "import.h: the totals are the sum of the events");
    if (st == IMPORT_OK)
        FUZZ_CHECK(!t->files_rejected && !t->reports_rejected &&
                   !t->answers_rejected,
                   "import.h: ok means nothing set aside");
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_init();
    fd = memfd_create("fuzz_walk", MFD_CLOEXEC);
    if (fd < 0) {
        char tmpl[] = "/tmp/is248-fuzz-walk.XXXXXX";
        fd = mkstemp(tmpl);
        if (fd >= 0)
            unlink(tmpl);
    }
    if (fd < 0) {
        perror("fuzz_walk: memfd_create and mkstemp");
        abort();
    }
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    md = EVP_MD_CTX_new();
    if (!md)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (ftruncate(fd, 0) != 0) {
        perror("fuzz_walk: ftruncate");
        abort();
    }
    for (size_t off = 0; off < size;) {
        ssize_t n = pwrite(fd, data + off, size - off, (off_t)off);
        if (n <= 0) {
            perror("fuzz_walk: pwrite");
            abort();
        }
        off += (size_t)n;
    }

    uint64_t h = fuzz_hash(data, size);
    struct walk_ctx w = { .md = md };
    switch (h % 16) {
    case 0: w.mode = M_STOP; break;
    case 1: w.mode = M_FINISH_ONLY; break;
    case 2: case 3: w.mode = M_SELF_READ; break;
    default:
        w.mode = M_PIPELINE;
        break;
    }
    if (w.mode == M_PIPELINE) {
        run_pipeline(h);
        return 0;
    }
    struct walk_handler hd = { on_file, on_skipped, on_failed, &w };
    int rc = walk_path(path, &limits, &hd);
    FUZZ_CHECK(rc == -1 || rc == 0 || rc == 1, "walk.h: walk_path's result");
    FUZZ_CHECK((rc == 1) == (w.asked_stop != 0),
               "walk.h: walk_path returns 1 exactly when a callback stopped");
    return 0;
}
