/*
 * cmd_extract.c - "is248 extract --run N DIR [PATH...]": the bytes of the
 * files that run N set aside, copied out of the deliveries they came in,
 * for the data provider, with a manifest of what was set aside and why.
 *
 * What is wanted: every file of run N with a row in is248.rejection, a file
 * set aside whole, or a file that held a report or an answer set aside (it
 * is what the provider must correct), known by its SHA-256.  Where: the
 * sources recorded (the labels, unescaped: printable_undo()) or the PATHs
 * given instead, read with ingest/walk.h as import reads them (archives of
 * every format read, nested archives, directories; nothing extracted to
 * disk by libarchive).  Every report file met is read into memory (up to
 * the largest size wanted) and hashed; one whose SHA-256 is wanted and not
 * yet written is written to DIR under a name made here, never by its name:
 * names in the database are escaped labels, and a name from an archive is
 * never a path.
 *
 * DIR: made (mode 0700) when missing; it must be a directory itself, not a
 * symbolic link; it is checked again before every file.  Every file in it
 * is written through outfile.h (a regular file or nothing; temporary file
 * and rename; never through a link).  The names are chosen, and every one
 * checked, before anything is written: a name that is something other
 * than a regular file, or a regular file without --force, stops extract
 * with nothing written (exit 2).
 *
 * Names: the base name of the entry (after its last '/'), of the source
 * for a plain file; every byte other than ASCII letters, digits, "._-+"
 * and the bytes of UTF-8 characters (printable: the label is escaped) made
 * '_', no leading '.' or '-', at most NAME_BYTES bytes (the extension
 * kept), "file" when nothing is left; a name taken already (regardless of
 * ASCII case, MANIFEST.csv included) gets "-2", "-3", ... before its
 * extension.  The same bytes set aside twice are one file.
 *
 * Exit: 0 when every file set aside in run N is in DIR; 1 when one is not
 * (not found in what was read, cannot be read to its end, or set aside
 * without being read: a link, an archive cut short); 2 for usage, an
 * unknown run, a role that may not read is248.rejection, DIR or a file in
 * it refused or not writable; 3 when the database fails; 5 on SIGINT or
 * SIGTERM (the files completed stay, no manifest).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "cli.h"
#include "ingest/printable.h"
#include "ingest/walk.h"
#include "msg.h"
#include "outfile.h"
#include "rejection.h"

#define MANIFEST "MANIFEST.csv"
/* A name's bytes at most, before a "-N" suffix (well under NAME_MAX with
 * outfile.h's ".XXXXXX"). */
#define NAME_BYTES 100
/* An extension kept when a name is cut: at most this many bytes. */
#define EXT_BYTES 16

enum state { NOT_FOUND, WRITTEN, UNREADABLE };

/* A file wanted: one SHA-256 set aside in the run. */
struct want {
    unsigned char sha[32];
    const char *hex;     /* from the result */
    int row;             /* its first row in the result */
    char *name;          /* in DIR */
    char *path;          /* DIR/name */
    enum state state;
    char *why;           /* UNREADABLE: why */
};

struct extract {
    const struct cli *c;
    const PGresult *res;
    char *dir;           /* DIR without trailing slashes */
    dev_t dev;           /* DIR as made or found */
    ino_t ino;
    struct want *w;      /* in the order listed */
    size_t n;
    struct want **by_sha; /* w sorted by SHA-256, for the walk */
    size_t written;
    uint64_t max_bytes;  /* the largest file wanted */
    unsigned char *buf;  /* the report file being read */
    size_t cap;
    int rc;              /* EXIT_OK, or what stopped the walk */
};

static int hex_digit(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                                                 : -1;
}

/* The 64 hex digits h as bytes; 0, or -1 when h is not that. */
static int sha_from_hex(const char *h, unsigned char sha[32])
{
    if (strlen(h) != 64)
        return -1;
    for (int i = 0; i < 32; i++) {
        int a = hex_digit(h[2 * i]), b = hex_digit(h[2 * i + 1]);
        if (a < 0 || b < 0)
            return -1;
        sha[i] = (unsigned char)(a << 4 | b);
    }
    return 0;
}

static int by_sha(const void *a, const void *b)
{
    return memcmp((*(struct want *const *)a)->sha,
                  (*(struct want *const *)b)->sha, 32);
}

static struct want *wanted(const struct extract *x, const unsigned char *sha)
{
    size_t lo = 0, hi = x->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int d = memcmp(sha, x->by_sha[mid]->sha, 32);
        if (d == 0)
            return x->by_sha[mid];
        if (d < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

/* "'source'" or "'source' entry 'entry'", shown; into buf. */
static const char *label(const char *source, const char *entry, char *buf,
                         size_t len)
{
    char *s = rejection_shown(source), *e = rejection_shown(entry);
    if (entry[0])
        snprintf(buf, len, "'%s' entry '%s'", s ? s : "?", e ? e : "?");
    else
        snprintf(buf, len, "'%s'", s ? s : "?");
    free(s);
    free(e);
    return buf;
}

/* ------------------------------------------------------------------------ */
/* Names                                                                     */

/* The safe name for a label (shown text), without a suffix; owned. */
static char *safe_name(const char *shown)
{
    const char *slash = strrchr(shown, '/');
    const char *base = slash ? slash + 1 : shown;
    size_t n = strlen(base);
    char *s = malloc(n + 5);
    if (!s)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        unsigned char b = (unsigned char)base[i];
        int keep = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') ||
                   (b >= '0' && b <= '9') || b == '.' || b == '_' ||
                   b == '-' || b == '+' || b >= 0x80;
        s[i] = keep ? (char)b : '_';
    }
    s[n] = '\0';
    if (s[0] == '.' || s[0] == '-')
        s[0] = '_';
    if (n > NAME_BYTES) {
        /* cut the stem at a character's start, keep the extension */
        const char *dot = strrchr(s, '.');
        size_t ext = dot && dot != s && strlen(dot) <= EXT_BYTES
                         ? strlen(dot) : 0;
        size_t stem = NAME_BYTES - ext;
        while (stem > 0 && ((unsigned char)s[stem] & 0xC0) == 0x80)
            stem--;
        memmove(s + stem, s + n - ext, ext + 1);
        n = stem + ext;
    }
    if (n > 0 && s[n - 1] == '.') /* dropped by some systems */
        s[n - 1] = '_';
    if (n == 0)
        strcpy(s, "file");
    return s;
}

/* 1 when name is taken by one of the first n wants, or is the manifest's,
 * regardless of ASCII case. */
static int taken(const struct want *w, size_t n, const char *name)
{
    if (strcasecmp(name, MANIFEST) == 0)
        return 1;
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(w[i].name, name) == 0)
            return 1;
    return 0;
}

/* Name want i (after the first i): EXIT_OK or EXIT_INTERNAL. */
static int name_want(struct extract *x, size_t i)
{
    struct want *w = &x->w[i];
    const char *entry = PQgetvalue(x->res, w->row, REJ_ENTRY);
    char *shown = rejection_shown(entry[0] ? entry
                                           : PQgetvalue(x->res, w->row,
                                                        REJ_SOURCE));
    char *base = shown ? safe_name(shown) : NULL;
    free(shown);
    if (!base)
        return EXIT_INTERNAL;
    size_t len = strlen(base) + 24;
    char *name = malloc(len);
    if (!name) {
        free(base);
        return EXIT_INTERNAL;
    }
    snprintf(name, len, "%s", base);
    const char *dot = strrchr(base, '.');
    size_t stem = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    for (unsigned k = 2; taken(x->w, i, name); k++)
        snprintf(name, len, "%.*s-%u%s", (int)stem, base, k, base + stem);
    free(base);
    w->name = name;
    size_t plen = strlen(x->dir) + strlen(name) + 2;
    if (!(w->path = malloc(plen)))
        return EXIT_INTERNAL;
    snprintf(w->path, plen, "%s%s%s", x->dir,
             x->dir[strlen(x->dir) - 1] == '/' ? "" : "/", name);
    return EXIT_OK;
}

/* ------------------------------------------------------------------------ */
/* DIR                                                                       */

/* DIR as given, checked: EXIT_OK (*exists set), or EXIT_USAGE after a
 * message. */
static int dir_check(const struct extract *x, const char *given, int *exists)
{
    struct stat st;
    *exists = 0;
    if (lstat(x->dir, &st) == 0) {
        if (!S_ISDIR(st.st_mode)) {
            const char *kind = outfile_refused(x->dir);
            msg_error("refusing to extract into '%s': it is %s", given,
                      kind ? kind : "a regular file");
            return EXIT_USAGE;
        }
        *exists = 1;
        return EXIT_OK;
    }
    if (errno != ENOENT) {
        msg_error("cannot extract into '%s': %s", given, strerror(errno));
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

/* DIR made when missing (0700: the provider's files are no one else's),
 * and remembered.  EXIT_OK or EXIT_USAGE after a message. */
static int dir_ready(struct extract *x, const char *given)
{
    if (mkdir(x->dir, 0700) != 0 && errno != EEXIST) {
        msg_error("cannot make the directory '%s': %s", given,
                  strerror(errno));
        return EXIT_USAGE;
    }
    struct stat st;
    if (lstat(x->dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        msg_error("refusing to extract into '%s': it is no longer a "
                  "directory", given);
        return EXIT_USAGE;
    }
    x->dev = st.st_dev;
    x->ino = st.st_ino;
    return EXIT_OK;
}

/* DIR still the directory it was: EXIT_OK, or EXIT_USAGE after a
 * message. */
static int dir_same(const struct extract *x)
{
    struct stat st;
    if (lstat(x->dir, &st) == 0 && S_ISDIR(st.st_mode) &&
        st.st_dev == x->dev && st.st_ino == x->ino)
        return EXIT_OK;
    char *d = printable_dup(x->dir);
    msg_error("refusing to write into '%s': it was replaced while is248 "
              "was working", d ? d : "?");
    free(d);
    return EXIT_USAGE;
}

/* Every target refused now rather than after some are written: EXIT_OK,
 * or EXIT_USAGE after a message for each. */
static int targets_check(const struct extract *x, const char *manifest)
{
    int rc = EXIT_OK;
    for (size_t i = 0; i <= x->n; i++) {
        const char *path = i < x->n ? x->w[i].path : manifest;
        const char *kind = outfile_refused(path);
        char *p = printable_dup(path);
        struct stat st;
        if (kind) {
            msg_error("refusing to write '%s': it is %s", p ? p : "?", kind);
            rc = EXIT_USAGE;
        } else if (errno) {
            msg_error("cannot write '%s': %s", p ? p : "?", strerror(errno));
            rc = EXIT_USAGE;
        } else if (!x->c->force && lstat(path, &st) == 0) {
            msg_error("refusing to replace '%s': it exists (--force "
                      "replaces it)", p ? p : "?");
            rc = EXIT_USAGE;
        }
        free(p);
    }
    if (rc != EXIT_OK)
        msg_error("nothing was extracted");
    return rc;
}

/* ------------------------------------------------------------------------ */
/* The walk                                                                  */

/* Write the file of w from x->buf[0, len).  EXIT_OK or an exit code after
 * a message. */
static int write_file(struct extract *x, struct want *w, size_t len)
{
    int rc = dir_same(x);
    if (rc != EXIT_OK)
        return rc;
    struct outfile of;
    rc = outfile_open(&of, w->path, "the extracted file");
    if (rc != EXIT_OK)
        return rc;
    if (len && fwrite(x->buf, 1, len, of.f) != len) {
        msg_error("out of memory writing '%s'", w->path);
        outfile_discard(&of);
        return EXIT_INTERNAL;
    }
    return outfile_close(&of);
}

/* An entry that cannot be read to its end gives other bytes at each
 * reading (where a cut archive breaks off depends on the reads), so its
 * SHA-256 may not be the one recorded: the file wanted that the run
 * recorded under the same labels, if any, to say why it is not extracted
 * (nothing is ever written by its name). */
static struct want *same_label(const struct extract *x,
                               const struct walk_entry *e)
{
    for (size_t i = 0; i < x->n; i++)
        if (x->w[i].state == NOT_FOUND &&
            strcmp(PQgetvalue(x->res, x->w[i].row, REJ_SOURCE),
                   e->source) == 0 &&
            strcmp(PQgetvalue(x->res, x->w[i].row, REJ_ENTRY), e->entry) == 0)
            return &x->w[i];
    return NULL;
}

static int on_file(void *ctx, const struct walk_entry *e,
                   struct walk_input *in)
{
    struct extract *x = ctx;
    /* up to one byte more than the largest file wanted: a file longer
     * than that is none of them, and is only hashed */
    size_t limit = (size_t)x->max_bytes + 1, len = 0;
    int over = 0, failed = 0;
    for (;;) {
        if (cli_stop_signal)
            return 1;
        if (len == x->cap) {
            size_t cap = x->cap ? x->cap * 2 : 1 << 20;
            if (cap > limit)
                cap = limit;
            unsigned char *b = realloc(x->buf, cap);
            if (!b) {
                msg_error("out of memory");
                x->rc = EXIT_INTERNAL;
                return 1;
            }
            x->buf = b;
            x->cap = cap;
        }
        size_t room = (x->cap < limit ? x->cap : limit) - len;
        ssize_t k = walk_input_read(in, x->buf + len, room);
        if (k < 0)
            failed = 1;
        if (k <= 0)
            break;
        len += (size_t)k;
        if (len > x->max_bytes) {
            over = 1; /* walk_input_finish() reads the rest */
            break;
        }
    }
    unsigned char sha[32];
    uint64_t bytes;
    if (walk_input_finish(in, sha, &bytes) != 0)
        failed = 1;
    if (cli_stop_signal)
        return 1;
    struct want *w = wanted(x, sha);
    if (!w && failed)
        w = same_label(x, e);
    if (!w || w->state == WRITTEN)
        return 0;
    char where[2048];
    label(e->source, e->entry, where, sizeof where);
    if (failed || over) {
        const char *why = failed ? walk_input_error(in) : NULL;
        free(w->why);
        w->why = strdup(why ? why : over ? "larger than recorded"
                                         : "read error");
        w->state = UNREADABLE;
        return 0;
    }
    x->rc = write_file(x, w, len);
    if (x->rc != EXIT_OK)
        return 1;
    w->state = WRITTEN;
    free(w->why);
    w->why = NULL;
    x->written++;
    char *p = printable_dup(w->path);
    msg_info("extracted %s to '%s'", where, p ? p : "?");
    free(p);
    return x->written == x->n; /* all found: stop */
}

static void on_failed(void *ctx, const struct walk_entry *e, const char *why)
{
    (void)ctx;
    if (e->entry[0])
        return; /* an entry that cannot be read: no bytes to extract */
    char where[2048];
    msg_notice("cannot read %s: %s", label(e->source, "", where,
                                           sizeof where), why);
}

/* Walk one path; EXIT_OK or what stopped it. */
static int walk_one(struct extract *x, const char *path)
{
    struct walk_handler h = { on_file, NULL, on_failed, x };
    walk_path(path, &x->c->walk, &h);
    if (x->rc != EXIT_OK)
        return x->rc;
    if (cli_stop_signal) {
        msg_notice("interrupted: %zu file(s) extracted, no manifest written",
                   x->written);
        return EXIT_INTERRUPTED;
    }
    return EXIT_OK;
}

/* The recorded sources of the files wanted, each once, in the order
 * listed: read them again. */
static int walk_recorded(struct extract *x)
{
    for (size_t i = 0; i < x->n && x->written < x->n; i++) {
        const char *source = PQgetvalue(x->res, x->w[i].row, REJ_SOURCE);
        int seen = 0;
        for (size_t k = 0; k < i && !seen; k++)
            seen = strcmp(source, PQgetvalue(x->res, x->w[k].row,
                                             REJ_SOURCE)) == 0;
        if (seen)
            continue;
        size_t len;
        char *path = printable_undo(source, &len);
        if (!path || strlen(path) != len || !len) {
            char where[2048];
            msg_notice("cannot read %s: not a path is248 can open again "
                       "(give the delivery after DIR)",
                       label(source, "", where, sizeof where));
            free(path);
            continue;
        }
        int rc = walk_one(x, path);
        free(path);
        if (rc != EXIT_OK)
            return rc;
    }
    return EXIT_OK;
}

/* ------------------------------------------------------------------------ */
/* The manifest and the end                                                  */

/* The name written for row i, or "". */
static const char *row_file(const struct extract *x, int i)
{
    if (PQgetisnull(x->res, i, REJ_SHA256))
        return "";
    unsigned char sha[32];
    if (sha_from_hex(PQgetvalue(x->res, i, REJ_SHA256), sha) != 0)
        return "";
    const struct want *w = wanted(x, sha);
    return w && w->state == WRITTEN ? w->name : "";
}

static int write_manifest(struct extract *x, const char *path)
{
    int rc = dir_same(x);
    if (rc != EXIT_OK)
        return rc;
    struct outfile of;
    rc = outfile_open(&of, path, "the manifest");
    if (rc != EXIT_OK)
        return rc;
    rejection_csv_header(of.f, "file");
    for (int i = 0; i < PQntuples(x->res); i++) {
        rejection_csv_field(of.f, row_file(x, i));
        if (rejection_csv_row(of.f, x->res, i, 0) != 0) {
            msg_error("out of memory");
            outfile_discard(&of);
            return EXIT_INTERNAL;
        }
        fputs("\r\n", of.f);
    }
    return outfile_close(&of);
}

/* Say what was not extracted; returns how many files that is. */
static size_t report_missing(const struct extract *x)
{
    size_t missing = 0;
    char where[2048];
    for (size_t i = 0; i < x->n; i++) {
        const struct want *w = &x->w[i];
        if (w->state == WRITTEN)
            continue;
        missing++;
        label(PQgetvalue(x->res, w->row, REJ_SOURCE),
              PQgetvalue(x->res, w->row, REJ_ENTRY), where, sizeof where);
        if (w->state == UNREADABLE) {
            char *why = rejection_shown(w->why ? w->why : "");
            msg_notice("not extracted: %s (sha256 %s): cannot be read to its "
                       "end: %s", where, w->hex, why ? why : "?");
            free(why);
        } else {
            msg_notice("not extracted: %s (sha256 %s): not found in what was "
                       "read (if the delivery has moved, give its path "
                       "after DIR)", where, w->hex);
        }
    }
    /* set aside without their bytes read: each file once */
    for (int i = 0; i < PQntuples(x->res); i++) {
        if (!PQgetisnull(x->res, i, REJ_SHA256))
            continue;
        const char *s = PQgetvalue(x->res, i, REJ_SOURCE);
        const char *e = PQgetvalue(x->res, i, REJ_ENTRY);
        int seen = 0;
        for (int k = 0; k < i && !seen; k++)
            seen = PQgetisnull(x->res, k, REJ_SHA256) &&
                   strcmp(s, PQgetvalue(x->res, k, REJ_SOURCE)) == 0 &&
                   strcmp(e, PQgetvalue(x->res, k, REJ_ENTRY)) == 0;
        if (seen)
            continue;
        missing++;
        char *why = rejection_shown(PQgetvalue(x->res, i, REJ_REASON));
        msg_notice("not extracted: %s: set aside without being read (%s); "
                   "the delivery it came in is what to send back",
                   label(s, e, where, sizeof where), why ? why : "?");
        free(why);
    }
    return missing;
}

static void extract_free(struct extract *x)
{
    for (size_t i = 0; i < x->n; i++) {
        free(x->w[i].name);
        free(x->w[i].path);
        free(x->w[i].why);
    }
    free(x->w);
    free(x->by_sha);
    free(x->buf);
    free(x->dir);
}

/* Rows in the order listed, and by SHA-256 then row: the first row of
 * each SHA-256 is the one its file is named after. */
static int by_sha_row(const void *a, const void *b)
{
    const struct want *p = *(struct want *const *)a;
    const struct want *q = *(struct want *const *)b;
    int d = memcmp(p->sha, q->sha, 32);
    return d ? d : (p->row > q->row) - (p->row < q->row);
}

static int by_row(const void *a, const void *b)
{
    int p = ((const struct want *)a)->row, q = ((const struct want *)b)->row;
    return (p > q) - (p < q);
}

/* The files wanted from x->res, each SHA-256 once, named.  EXIT_OK or
 * EXIT_INTERNAL. */
static int plan(struct extract *x)
{
    int rows = PQntuples(x->res);
    x->w = calloc((size_t)rows + 1, sizeof *x->w);
    x->by_sha = calloc((size_t)rows + 1, sizeof *x->by_sha);
    if (!x->w || !x->by_sha)
        return EXIT_INTERNAL;
    size_t n = 0;
    for (int i = 0; i < rows; i++) {
        if (PQgetisnull(x->res, i, REJ_SHA256) ||
            sha_from_hex(PQgetvalue(x->res, i, REJ_SHA256), x->w[n].sha) != 0)
            continue;
        x->w[n].hex = PQgetvalue(x->res, i, REJ_SHA256);
        x->w[n].row = i;
        x->by_sha[n] = &x->w[n];
        n++;
    }
    /* the first row of each SHA-256 kept, in the order listed */
    qsort(x->by_sha, n, sizeof *x->by_sha, by_sha_row);
    for (size_t i = 1; i < n; i++)
        if (memcmp(x->by_sha[i]->sha, x->by_sha[i - 1]->sha, 32) == 0)
            x->by_sha[i]->row = -1 - x->by_sha[i]->row; /* a repeat */
    qsort(x->w, n, sizeof *x->w, by_row);
    size_t kept = 0;
    for (size_t i = 0; i < n; i++)
        if (x->w[i].row >= 0)
            x->w[kept++] = x->w[i];
    x->n = kept;
    int unknown_size = 0;
    for (size_t i = 0; i < x->n; i++) {
        x->by_sha[i] = &x->w[i];
        if (PQgetisnull(x->res, x->w[i].row, REJ_BYTES)) {
            unknown_size = 1;
        } else {
            uint64_t b = strtoull(PQgetvalue(x->res, x->w[i].row, REJ_BYTES),
                                  NULL, 10);
            if (b > x->max_bytes)
                x->max_bytes = b;
        }
    }
    qsort(x->by_sha, x->n, sizeof *x->by_sha, by_sha);
    if (unknown_size)
        x->max_bytes = x->c->walk.entry_bytes ? x->c->walk.entry_bytes
                                              : UINT64_MAX;
    if (x->max_bytes > SIZE_MAX / 2)
        x->max_bytes = SIZE_MAX / 2;
    for (size_t i = 0; i < x->n; i++)
        if (name_want(x, i) != EXIT_OK)
            return EXIT_INTERNAL;
    return EXIT_OK;
}

/* With the rows of run in x: plan the names, check and ready DIR, walk the
 * deliveries, write the manifest.  Returns the exit code. */
static int extract_run(struct extract *x, const char *given, int exists,
                       const struct rejection_run *run)
{
    const struct cli *c = x->c;
    char *manifest = NULL;
    int rc = plan(x);
    if (rc == EXIT_OK) {
        size_t mlen = strlen(x->dir) + sizeof MANIFEST + 1;
        if (!(manifest = malloc(mlen)))
            rc = EXIT_INTERNAL;
        else
            snprintf(manifest, mlen, "%s%s%s", x->dir,
                     x->dir[strlen(x->dir) - 1] == '/' ? "" : "/", MANIFEST);
    }
    if (rc == EXIT_INTERNAL)
        msg_error("out of memory");
    if (rc == EXIT_OK && exists)
        rc = targets_check(x, manifest);
    if (rc == EXIT_OK)
        rc = dir_ready(x, given);
    if (rc == EXIT_OK) {
        cli_catch_signals();
        if (c->argc > 1)
            for (int i = 1; i < c->argc && rc == EXIT_OK && x->written < x->n;
                 i++)
                rc = walk_one(x, c->argv[i]);
        else
            rc = walk_recorded(x);
    }
    if (rc == EXIT_OK) {
        size_t missing = report_missing(x);
        rc = write_manifest(x, manifest);
        if (rc == EXIT_OK) {
            char *d = printable_dup(given);
            msg_info("%zu file(s) of run %lld extracted into '%s', %zu "
                     "not; " MANIFEST " lists what was set aside", x->written,
                     run->run_id, d ? d : "?", missing);
            free(d);
            rc = missing ? EXIT_PROBLEMS : EXIT_OK;
        }
    }
    free(manifest);
    return rc;
}

int cmd_extract(struct cli *c)
{
    if (c->run < 0) {
        fprintf(stderr, "is248: extract needs --run N, the import run whose "
                        "files to extract (is248 rejections shows the last "
                        "that set anything aside)\n"
                        "Try \"is248 extract --help\" for more "
                        "information.\n");
        return EXIT_USAGE;
    }
    const char *given = c->argv[0];
    struct extract x = { .c = c, .rc = EXIT_OK };
    size_t len = strlen(given);
    while (len > 1 && given[len - 1] == '/')
        len--; /* "dir/" would look through a link named dir */
    if (!(x.dir = strndup(given, len))) {
        msg_error("out of memory");
        return EXIT_INTERNAL;
    }
    int exists;
    int rc = dir_check(&x, given, &exists);
    if (rc != EXIT_OK) {
        extract_free(&x);
        return rc;
    }

    PGconn *conn = cli_connect(c, &rc);
    if (!conn) {
        extract_free(&x);
        return rc;
    }
    PGresult *res = NULL;
    struct rejection_run run;
    rc = cli_check_schema(conn, CLI_NEED_OPERATOR);
    if (rc == EXIT_OK)
        rc = rejection_run(conn, c->run, &run);
    if (rc == EXIT_OK)
        res = rejection_rows(conn, run.run_id, 1, &rc);
    /* the walk may take long: the database is done with */
    cli_disconnect(conn);
    if (rc != EXIT_OK) {
        extract_free(&x);
        return rc;
    }
    x.res = res;
    if (PQntuples(res) == 0) {
        msg_info("nothing was set aside in run %lld (started %s, %s): "
                 "nothing to extract", run.run_id, run.started, run.status);
        PQclear(res);
        extract_free(&x);
        return EXIT_OK;
    }

    rc = extract_run(&x, given, exists, &run);
    PQclear(res);
    extract_free(&x);
    return rc;
}
