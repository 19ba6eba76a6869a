/*
 * pipeline.c - joins the stages: for every report file the walker finds,
 * read its reports, normalize each one, hand it to the loader (import) or
 * only check it (validate), and say what was set aside.
 *
 * Messages about a file's reports are held until the file's outcome is
 * known: a file that turns out not to be well-formed is reported once, as
 * a whole, and a file that was loaded before is reported as such instead of
 * repeating its old problems.
 */
#include "pipeline.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "msg.h"
#include "progress.h"
#include "transform/normalize.h"

#define HELD_MAX 200 /* messages held per file; the rest are counted */

/*
 * Import reads a file's first READ_AHEAD bytes before anything else.  A
 * file that ends within them (nearly every report file) has its SHA-256
 * known before it is parsed: when it was loaded before, it is recorded as
 * such in one round trip and never parsed, normalized or sent, which makes
 * reloading a whole history cheap.  A longer file is parsed from those
 * bytes and then from the stream, as before.
 */
#define READ_AHEAD (4U << 20)

struct file_ctx {
    struct pipeline *p;
    const struct walk_entry *e;
    struct walk_input *in;
    size_t ahead_len, ahead_pos;  /* p->ahead[ahead_pos..ahead_len) unread */
    int finished;                 /* walk_input_finish() done: sha, bytes */
    int read_failed;
    unsigned char sha[32];
    uint64_t bytes;
    struct norm_report norm;      /* reused for every report */
    struct held {
        int warning;
        char *text;               /* what follows the file's label */
    } held[HELD_MAX];
    size_t n_held, n_unheld;
    uint64_t reports, reports_ok, reports_rejected, answers_rejected,
        warnings;
    int fatal;
};

/* Copy a value from a delivery into buf for a message: at most 40
 * characters, control characters escaped. */
static const char *safe(const char *s, char *buf, size_t len)
{
    if (!s)
        return "?";
    size_t o = 0, chars = 0;
    for (const unsigned char *c = (const unsigned char *)s; *c && o + 5 < len;
         c++) {
        if (chars >= 40) {
            memcpy(buf + o, "...", 3);
            o += 3;
            break;
        }
        if (*c < 0x20 || *c == 0x7f) {
            o += (size_t)snprintf(buf + o, len - o, "\\x%02X", *c);
        } else {
            buf[o++] = (char)*c;
        }
        if ((*c & 0xC0) != 0x80)
            chars++;
    }
    buf[o] = '\0';
    return buf;
}

/* "'source'" or "'source' entry 'entry'" */
static void file_label(const struct walk_entry *e, char *buf, size_t len)
{
    if (e->entry && e->entry[0])
        snprintf(buf, len, "'%s' entry '%s'", e->source, e->entry);
    else
        snprintf(buf, len, "'%s'", e->source);
}

static void hold(struct file_ctx *f, int warning, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void hold(struct file_ctx *f, int warning, const char *fmt, ...)
{
    if (f->n_held == HELD_MAX) {
        f->n_unheld++;
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    char line[2048];
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    char *copy = strdup(line);
    if (!copy) {
        f->n_unheld++;
        return;
    }
    f->held[f->n_held].warning = warning;
    f->held[f->n_held++].text = copy;
}

/* Reports read so far: those of the files done and of the open one. */
static void show_progress(const struct pipeline *p, uint64_t in_file)
{
    const struct run_totals *t = &p->totals;
    progress_show(p->progress, t->files,
                  t->reports_loaded + t->reports_unchanged +
                      t->reports_rejected + in_file,
                  0);
}

/* validate: the file's label once, then its problems indented under it.
 * Held texts start with ", " (about a report) or ": " (the whole file). */
static void grouped(const struct walk_entry *e, int warning, const char *text)
{
    static char last[2048];
    char label[2048];
    file_label(e, label, sizeof label);
    if (strcmp(label, last) != 0) {
        printf("%s\n", label);
        memcpy(last, label, sizeof last);
    }
    printf("  %s%s\n", warning ? "warning: " : "", text + 2);
}

static void print_held(const struct file_ctx *f, const struct held *h,
                       const char *label)
{
    if (!f->p->loader)
        grouped(f->e, h->warning, h->text);
    else if (h->warning)
        msg_warn("%s%s", label, h->text);
    else
        msg_notice("%s%s", label, h->text);
}

/* Print the held messages (unless drop) and free them. */
static void release(struct file_ctx *f, int drop)
{
    char label[2048];
    file_label(f->e, label, sizeof label);
    for (size_t i = 0; i < f->n_held; i++) {
        if (!drop)
            print_held(f, &f->held[i], label);
        free(f->held[i].text);
    }
    if (!drop && f->n_unheld) {
        if (f->p->loader)
            msg_notice("%s: %zu more problems not shown (all are recorded)",
                     label, f->n_unheld);
        else
            printf("  ... and %zu more problems\n", f->n_unheld);
    }
    f->n_held = f->n_unheld = 0;
}

static const char *level_words(enum problem_level l)
{
    switch (l) {
    case PROBLEM_REPORT: return "report set aside";
    case PROBLEM_ANSWER: return "answer set aside";
    default: return "warning";
    }
}

static int on_report(void *ctx, const struct raw_report *raw)
{
    struct file_ctx *f = ctx;
    struct pipeline *p = f->p;
    if (cli_stop_signal)
        return 1;

    double t0 = pipeline_now();
    normalize_report(raw, p->units, p->now_us, &f->norm);
    double t1 = pipeline_now();
    p->times.normalize += t1 - t0;
    f->reports++;
    show_progress(p, f->reports);
    if (f->norm.ok)
        f->reports_ok++;
    else
        f->reports_rejected++;

    char unit[64], year[64];
    for (size_t i = 0; i < f->norm.n_problems; i++) {
        const struct problem *pr = &f->norm.problems[i];
        if (pr->level == PROBLEM_ANSWER)
            f->answers_rejected++;
        else if (pr->level == PROBLEM_WARNING)
            f->warnings++;
        if (pr->level == PROBLEM_WARNING && msg_level < MSG_NORMAL)
            continue;
        int warn = pr->level == PROBLEM_WARNING;
        hold(f, warn, ", report %d (%s %s)%s%s: %s%s%s", raw->index,
             safe(raw->unit_code, unit, sizeof unit),
             safe(raw->year, year, sizeof year),
             pr->question[0] ? ", question " : "", pr->question,
             warn ? "" : level_words(pr->level), warn ? "" : ": ",
             pr->reason);
    }
    if (f->norm.n_dropped)
        hold(f, 0, ", report %d: %zu further problems not listed", raw->index,
             f->norm.n_dropped);

    if (p->loader) {
        t1 = pipeline_now();
        int failed = loader_file_report(p->loader, raw, &f->norm) != 0;
        p->times.send += pipeline_now() - t1;
        if (failed) {
            f->fatal = 1;
            snprintf(p->error, sizeof p->error, "%s",
                     loader_error(p->loader));
            return 1;
        }
    }
    return 0;
}

static void on_warning(void *ctx, long line, const char *msg)
{
    struct file_ctx *f = ctx;
    f->warnings++;
    if (msg_level >= MSG_NORMAL && line > 0)
        hold(f, 1, ": %s (line %ld)", msg, line);
    else if (msg_level >= MSG_NORMAL)
        hold(f, 1, ": %s", msg);
    if (f->p->loader && loader_file_warning(f->p->loader, msg) != 0) {
        f->fatal = 1;
        snprintf(f->p->error, sizeof f->p->error, "%s",
                 loader_error(f->p->loader));
    }
}

double pipeline_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* walk_input_read(), its time counted as unpacking */
static ssize_t timed_read(struct pipeline *p, struct walk_input *in,
                          void *buf, size_t len)
{
    double t0 = pipeline_now();
    ssize_t n = walk_input_read(in, buf, len);
    p->times.unpack += pipeline_now() - t0;
    return n;
}

/* walk_input_finish(), likewise */
static int timed_finish(struct pipeline *p, struct walk_input *in,
                        unsigned char sha[32], uint64_t *bytes)
{
    double t0 = pipeline_now();
    int rc = walk_input_finish(in, sha, bytes);
    p->times.unpack += pipeline_now() - t0;
    return rc;
}

/* The file's bytes: what was read ahead, then the rest of the stream. */
static ssize_t read_input(void *src, void *buf, size_t len)
{
    struct file_ctx *f = src;
    if (f->ahead_pos < f->ahead_len) {
        size_t n = f->ahead_len - f->ahead_pos;
        if (n > len)
            n = len;
        memcpy(buf, f->p->ahead + f->ahead_pos, n);
        f->ahead_pos += n;
        return (ssize_t)n;
    }
    if (f->finished)
        return f->read_failed ? -1 : 0;
    return timed_read(f->p, f->in, buf, len);
}

static const char *input_error(void *src)
{
    const struct file_ctx *f = src;
    return walk_input_error(f->in);
}

/* Read up to READ_AHEAD bytes into p->ahead; when the file ends within
 * them, finish it (f->sha, f->bytes).  Returns 0, or -1 out of memory. */
static int read_ahead(struct file_ctx *f)
{
    struct pipeline *p = f->p;
    if (!p->ahead) {
        p->ahead = malloc(READ_AHEAD);
        if (!p->ahead)
            return -1;
    }
    while (f->ahead_len < READ_AHEAD) {
        ssize_t n = timed_read(p, f->in, p->ahead + f->ahead_len,
                               READ_AHEAD - f->ahead_len);
        if (n < 0) {
            f->read_failed = 1;
            break;
        }
        if (n == 0)
            break;
        f->ahead_len += (size_t)n;
    }
    if (f->ahead_len < READ_AHEAD || f->read_failed) {
        f->finished = 1;
        if (timed_finish(p, f->in, f->sha, &f->bytes) != 0)
            f->read_failed = 1;
    }
    return 0;
}

static const char *sha_hex(const unsigned char sha[32], char hex[65])
{
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", sha[i]);
    return hex;
}

/* A file whose bytes were loaded before (from came_from): its line. */
static void already_loaded(struct pipeline *p, const char *label,
                           const char *came_from, const unsigned char sha[32])
{
    char hex[65];
    (p->file_lines_verbose ? msg_debug : msg_info)(
        "%s: already loaded (from '%s'), nothing changed; sha256 %s", label,
        came_from, sha_hex(sha, hex));
    p->totals.files_already++;
}

static void fatal(struct pipeline *p)
{
    p->failed = 1;
    if (!p->error[0] && p->loader)
        snprintf(p->error, sizeof p->error, "%s", loader_error(p->loader));
}

/* Set the whole file aside: print why and record it. */
static int reject_file(struct pipeline *p, const struct walk_entry *e,
                       const unsigned char *sha, uint64_t bytes,
                       const char *why)
{
    char label[2048];
    file_label(e, label, sizeof label);
    if (p->loader) {
        char hex[65];
        if (sha)
            msg_notice("%s: file set aside: %s; sha256 %s", label, why,
                       sha_hex(sha, hex));
        else
            msg_notice("%s: file set aside: %s", label, why);
    } else {
        char text[1200];
        snprintf(text, sizeof text, ": file set aside: %s", why);
        grouped(e, 0, text);
    }
    p->totals.files_rejected++;
    if (p->loader &&
        loader_file_abort(p->loader, e->source, e->entry, sha, bytes, why) != 0) {
        fatal(p);
        return -1;
    }
    return 0;
}

static int on_file(void *ctx, const struct walk_entry *e, struct walk_input *in)
{
    struct pipeline *p = ctx;
    /* until the file is done, it is where the run stopped */
    file_label(e, p->stopped_at, sizeof p->stopped_at);
    p->stopped_in_file = 0;
    if (cli_stop_signal) {
        p->interrupted = 1;
        return 1;
    }
    progress_at(p->progress, e);
    show_progress(p, 0);
    p->stopped_in_file = 1;
    struct file_ctx *f = calloc(1, sizeof *f);
    if (!f) {
        snprintf(p->error, sizeof p->error, "out of memory");
        p->failed = 1;
        return 1;
    }
    f->p = p;
    f->e = e;
    f->in = in;
    p->totals.files++;

    int rc = 0;
    char label[2048], hex[65];
    file_label(e, label, sizeof label);
    if (p->loader) {
        if (read_ahead(f) != 0) {
            snprintf(p->error, sizeof p->error, "out of memory");
            p->failed = 1;
            free(f);
            return 1;
        }
        char came_from[1024];
        int known = f->finished && !f->read_failed
                        ? loader_file_known(p->loader, e->source, e->entry,
                                            f->sha, f->bytes, came_from,
                                            sizeof came_from)
                        : 0;
        if (known < 0) {
            fatal(p);
            free(f);
            return 1;
        }
        if (known) {
            already_loaded(p, label, came_from, f->sha);
            free(f);
            p->stopped_at[0] = '\0';
            return 0;
        }
        if (loader_file_begin(p->loader, e->source, e->entry) != 0) {
            fatal(p);
            free(f);
            return 1;
        }
    }

    struct xmlrep_sink sink = { on_report, on_warning, f };
    char err[1024] = "";
    struct stage_times before = p->times;
    double t0 = pipeline_now();
    enum xmlrep_status st =
        xmlrep_read(read_input, f, input_error, p->xml, &sink, err, sizeof err);
    /* parsing: the reader's time less what its callbacks spent */
    p->times.parse += pipeline_now() - t0 -
                      (p->times.unpack - before.unpack) -
                      (p->times.normalize - before.normalize) -
                      (p->times.send - before.send);
    if (!f->finished && timed_finish(p, in, f->sha, &f->bytes) != 0)
        f->read_failed = 1;
    const unsigned char *sha = f->sha;
    uint64_t bytes = f->bytes;
    int read_failed = f->read_failed;

    if (cli_stop_signal) {
        /* a signal: the reader stopped, or the server cancelled the
         * statement on our request (see cli_catch_signals()), or a read
         * was interrupted: whatever became of the file, it is not done */
        release(f, 1);
        if (p->loader)
            loader_file_cancel(p->loader);
        p->interrupted = 1;
        rc = 1;
    } else if (f->fatal) {
        /* (on_report() stops the reader only for these two reasons) */
        release(f, 1);
        p->failed = 1;
        rc = 1;
    } else if (st == XMLREP_REJECTED || read_failed) {
        release(f, 1);
        /* the source's reason first: a cap reached or an archive cut
         * short says more than what the parser made of the bytes */
        const char *why = read_failed ? walk_input_error(in) : err;
        if (reject_file(p, e, sha, bytes, why ? why : "read error") != 0)
            rc = 1;
    } else if (p->loader) {
        struct file_result res;
        double tc = pipeline_now();
        int commit_failed = loader_file_commit(p->loader, sha, bytes, &res) != 0;
        p->times.merge += pipeline_now() - tc;
        if (commit_failed) {
            release(f, 1);
            if (cli_stop_signal)
                p->interrupted = 1;
            else
                fatal(p);
            rc = 1;
        } else if (res.outcome == FILE_ALREADY) {
            release(f, 1);
            already_loaded(p, label, res.already_entry, sha);
        } else {
            release(f, 0);
            p->totals.files_loaded++;
            p->totals.reports_loaded += res.reports_loaded;
            p->totals.reports_unchanged += res.reports_unchanged;
            p->totals.reports_rejected += res.reports_rejected;
            p->totals.answers_rejected += res.answers_rejected;
            p->totals.warnings += res.warnings;
            /* conflicts found by the merge (§7), one line each */
            for (char *line = res.conflicts, *next; line && *line; line = next) {
                next = strchr(line, '\n');
                if (next)
                    *next++ = '\0';
                msg_notice("%s, %s", label, line);
            }
            /* the file's line: with --quiet only when something was set
             * aside */
            int problems = res.reports_rejected || res.answers_rejected;
            (problems ? msg_notice
                      : p->file_lines_verbose ? msg_debug : msg_info)(
                "%s: %s: %llu report(s) new, %llu unchanged, %llu set aside; "
                "%llu answer(s) set aside; sha256 %s", label,
                problems ? "loaded, with something set aside" : "loaded",
                (unsigned long long)res.reports_loaded,
                (unsigned long long)res.reports_unchanged,
                (unsigned long long)res.reports_rejected,
                (unsigned long long)res.answers_rejected, sha_hex(sha, hex));
        }
    } else {
        release(f, 0);
        p->totals.files_loaded++;
        p->totals.reports_loaded += f->reports_ok;
        p->totals.reports_rejected += f->reports_rejected;
        p->totals.answers_rejected += f->answers_rejected;
        p->totals.warnings += f->warnings;
    }
    free(f);
    if (rc == 0)
        p->stopped_at[0] = '\0';
    return rc;
}

static void on_skipped(void *ctx, const struct walk_entry *e, const char *why)
{
    struct pipeline *p = ctx;
    char label[2048];
    file_label(e, label, sizeof label);
    msg_debug("%s: skipped: %s", label, why);
    p->totals.skipped++;
    progress_at(p->progress, e);
    show_progress(p, 0);
    if (p->loader && !p->failed &&
        loader_skipped(p->loader, e->source, e->entry, why) != 0)
        fatal(p);
}

static void on_failed(void *ctx, const struct walk_entry *e, const char *why)
{
    struct pipeline *p = ctx;
    if (p->failed)
        return;
    /* an entry, an archive or a path that cannot be read is a file set
     * aside, counted as a file like the others */
    p->totals.files++;
    progress_at(p->progress, e);
    reject_file(p, e, NULL, 0, why);
}

int pipeline_run(struct pipeline *p, const char *path)
{
    struct walk_handler h = { on_file, on_skipped, on_failed, p };
    int rc = walk_path(path, p->walk, &h);
    if (cli_stop_signal)
        p->interrupted = 1;
    if (p->failed || p->interrupted || rc == 1)
        return -1;
    return 0;
}

int pipeline_exit_code(const struct pipeline *p)
{
    if (p->failed)
        return EXIT_DB;
    if (p->interrupted)
        return EXIT_INTERRUPTED;
    const struct run_totals *t = &p->totals;
    if (t->files_rejected || t->reports_rejected || t->answers_rejected)
        return EXIT_PROBLEMS;
    return EXIT_OK;
}

void pipeline_summary(const struct pipeline *p, const char *verb)
{
    const struct run_totals *t = &p->totals;
    if (p->loader)
        msg_info("%llu file(s): %llu loaded, %llu already loaded, %llu set "
                 "aside; reports: %llu %s, %llu unchanged, %llu set aside; "
                 "%llu answer(s) set aside, %llu warning(s), %llu entr%s "
                 "skipped",
                 (unsigned long long)t->files,
                 (unsigned long long)t->files_loaded,
                 (unsigned long long)t->files_already,
                 (unsigned long long)t->files_rejected,
                 (unsigned long long)t->reports_loaded, verb,
                 (unsigned long long)t->reports_unchanged,
                 (unsigned long long)t->reports_rejected,
                 (unsigned long long)t->answers_rejected,
                 (unsigned long long)t->warnings,
                 (unsigned long long)t->skipped, t->skipped == 1 ? "y" : "ies");
    else
        msg_info("%llu file(s): %llu would be set aside; reports: %llu %s, "
                 "%llu would be set aside; %llu answer(s) would be set aside, "
                 "%llu warning(s), %llu entr%s skipped",
                 (unsigned long long)t->files,
                 (unsigned long long)t->files_rejected,
                 (unsigned long long)t->reports_loaded, verb,
                 (unsigned long long)t->reports_rejected,
                 (unsigned long long)t->answers_rejected,
                 (unsigned long long)t->warnings,
                 (unsigned long long)t->skipped, t->skipped == 1 ? "y" : "ies");
}

void pipeline_stage_times(const struct pipeline *p, double total)
{
    const struct stage_times *t = &p->times;
    double other = total - t->unpack - t->parse - t->normalize - t->send -
                   t->merge;
    msg_notice("stages: unpack %.3f s, parse %.3f s, normalize %.3f s, "
               "send %.3f s, merge and commit %.3f s, other %.3f s "
               "(of %.3f s)", t->unpack, t->parse, t->normalize, t->send,
               t->merge, other, total);
}
