/*
 * walk.c - the traversal: find the report files in a path (an XML file, a
 * directory, or an archive) and hand each one to the caller as a byte
 * stream, without ever extracting anything to disk (see walk.h).
 *
 * A source is one file on disk: the path given, or a file met while walking
 * a directory (in byte order of the names, symbolic links not followed).  A
 * source whose name ends in ".xml" is read with read(2); an archive is read
 * with libarchive (arc.h), after a look at its first bytes (sniff.h: what
 * libarchive would misread is set aside by name).  An archive entry that is
 * itself an archive is read straight out of the outer archive's data
 * (struct arc_nested), one level deep, after the same look.
 *
 * What this file owns: the order of the walk, what each entry is taken for
 * (report, archive, folder, link, special file, litter), the labels of
 * entries (their names in UTF-8, escaped) and the calls to the handler.
 * The caps and the SHA-256 are input.h's; the archive reading is arc.h's;
 * the formats and end records are sniff.h's.
 *
 * Failure reporting: an entry that cannot be used goes to failed() with its
 * own reason.  A read error handed to the file() callback (walk_input_read
 * or walk_input_finish returning -1) is the callback's to report and is not
 * reported again.  When an archive cannot be read to its end (truncated,
 * damaged, a cap reached), the archive itself goes to failed() as well:
 * what came after the break was never seen.
 */
#include "walk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <openssl/evp.h>

#include "arc.h"
#include "input.h"
#include "printable.h"
#include "sniff.h"
#include "strf.h"

/* ------------------------------------------------------------------------ */
/* State.                                                                    */

struct walker {
    struct walk_meter meter; /* the caps of the current source */
    const struct walk_handler *h;
    EVP_MD_CTX *md;
    unsigned char *buf;     /* INPUT_BLOCK bytes for draining */
    locale_t utf8;          /* LC_CTYPE C.UTF-8 for libarchive's names, or 0 */

    /* the current source */
    const char *source;     /* its label */
    struct archive *top;    /* the archive on disk being read, or NULL */
    int stop;               /* a callback asked to stop the walk */
};

/* Bytes of the current source read from disk so far (for progress). */
static uint64_t source_read(const struct walker *w)
{
    la_int64_t n = w->top ? archive_filter_bytes(w->top, -1) : 0;
    return n > 0 ? (uint64_t)n : 0;
}

static void report_failed(struct walker *w, const char *entry,
                          const char *why)
{
    struct walk_entry e = { w->source, entry, source_read(w) };
    if (w->h->failed)
        w->h->failed(w->h->ctx, &e, why ? why : "out of memory");
}

static void report_skipped(struct walker *w, const char *entry,
                           const char *why)
{
    struct walk_entry e = { w->source, entry, source_read(w) };
    if (w->h->skipped)
        w->h->skipped(w->h->ctx, &e, why);
}

/* report_failed() with a reason in a new string, which it frees. */
static void report_failed_own(struct walker *w, const char *entry, char *why)
{
    report_failed(w, entry, why);
    free(why);
}

/* Hand a report file to the caller.  Returns the callback's answer. */
static int deliver(struct walker *w, const char *entry, struct walk_input *in)
{
    struct walk_entry e = { w->source, entry, source_read(w) };
    int rc = w->h->file ? w->h->file(w->h->ctx, &e, in) : 0;
    if (rc != 0)
        w->stop = 1;
    return rc;
}

/* Whether a file whose first bytes are head[0, n) is set aside before
 * libarchive opens it: 1 with *why its reason (a new string; NULL: out of
 * memory), else 0.  whole: the n bytes are all there is; empty: there are
 * none. */
static int sniffed_out(const unsigned char *head, size_t n, int whole,
                       int empty, char **why)
{
    const char *foreign = sniff_foreign_format(head, n);
    const char *cut = whole ? sniff_cut_short(head, n) : NULL;
    if (foreign)
        *why = strf(SNIFF_UNSUPPORTED ": %s", foreign);
    else if (cut)
        *why = strf("%s", cut);
    else if (empty)
        *why = strf("%s", SNIFF_EMPTY_FILE);
    else
        return 0;
    return 1;
}

/* ------------------------------------------------------------------------ */
/* Archives.                                                                 */

static void walk_archive(struct walker *w, struct arc *c, int depth);

/* After the entries of a nested archive: what its end says.  Trouble of
 * the outer archive, or a cap reached, is told for the outer. */
static void nested_end(struct walker *w, struct arc *inner,
                       struct arc_nested *ns)
{
    if (w->meter.over || ns->outer->dead)
        return;
    if (inner->dead) {
        report_failed(w, inner->label, inner->why);
        return;
    }
    if (w->stop)
        return;
    if (ns->tail.buf && sniff_is_zip(inner->a)) {
        /* read the zip to its end, then look for its end record */
        arc_nested_read_to_end(ns, inner->a);
        if (ns->eof && !sniff_zip_end_in(ns->tail.buf, ns->tail.len))
            report_failed(w, inner->label, SNIFF_ZIP_CUT);
        else if (ns->eof && inner->entries == 0)
            report_failed(w, inner->label, SNIFF_EMPTY);
    } else if (inner->entries == 0) {
        report_failed(w, inner->label, SNIFF_EMPTY);
    }
}

/* The entry of outer just read is an archive: walk it. */
static void walk_nested(struct walker *w, struct arc *outer,
                        const char *label)
{
    struct arc_nested ns;
    struct arc inner = { .label = label };
    if (arc_nested_init(&ns, &w->meter, outer) != 0 ||
        !(inner.a = arc_new())) {
        arc_nested_free(&ns);
        report_failed(w, label, "out of memory");
        return;
    }
    inner.ns = &ns;
    arc_nested_prefetch(&ns);
    char *why = NULL;
    if (sniffed_out(ns.head, ns.head_len, ns.eof, ns.eof && ns.head_len == 0,
                    &why)) {
        /* the outer's own trouble is told for the outer */
        if (!w->meter.over && !outer->dead)
            report_failed(w, label, why);
        free(why);
    } else if (arc_nested_open(&inner, &ns) != ARCHIVE_OK) {
        if (!w->meter.over && !outer->dead)
            report_failed_own(w, label,
                              ns.failed ? strf("%s", ns.why ? ns.why
                                                            : "read error")
                                        : arc_open_failed_why(inner.a, ns.head,
                                                              ns.head_len));
    } else {
        inner.compressed = archive_filter_count(inner.a) > 1;
        walk_archive(w, &inner, 1);
        nested_end(w, &inner, &ns);
    }
    archive_read_free(inner.a);
    free(inner.why);
    arc_nested_free(&ns);
}

/*
 * Entry names.  libarchive converts the names of a zip flagged UTF-8, and of
 * pax headers, from UTF-8 to the current locale's character set; is248 runs
 * in the C locale (ASCII), where every name with a letter like "ø" would be
 * lost.  So headers are read, and names taken, with LC_CTYPE C.UTF-8 for
 * this thread only (uselocale), never while a callback runs.
 */
static locale_t names_begin(struct walker *w)
{
    return w->utf8 ? uselocale(w->utf8) : (locale_t)0;
}

static void names_end(struct walker *w, locale_t prev)
{
    if (w->utf8)
        uselocale(prev);
}

/* The name of entry e as a label (printable_dup()), or NULL when it cannot be
 * had (*unreadable set) or on lack of memory.  Call between names_begin()
 * and names_end(). */
static char *entry_name(struct archive_entry *e, int *unreadable)
{
    const char *raw = e ? archive_entry_pathname_utf8(e) : NULL;
    if (!raw && e)
        raw = archive_entry_pathname(e);
    *unreadable = !raw;
    return raw ? printable_dup(raw) : NULL;
}

/* Why the name of an entry could not be read. */
static char *unreadable_why(struct walker *w, struct archive *a)
{
    if (w->utf8)
        return strf("its name is not valid UTF-8, though the archive says "
                    "it is");
    const char *msg = arc_msg(a);
    return strf("its name cannot be read (%s)",
                msg ? msg : "libarchive gives no reason");
}

/* The next header of c, and its name as a label (entry_name(); NULL unless
 * libarchive answers ARCHIVE_OK, ARCHIVE_WARN or ARCHIVE_FAILED).
 * libarchive's answer. */
static int next_header(struct walker *w, struct arc *c,
                       struct archive_entry **e, char **name, int *unreadable)
{
    *e = NULL;
    *name = NULL;
    *unreadable = 0;
    locale_t prev = names_begin(w);
    int r = archive_read_next_header(c->a, e);
    if (r == ARCHIVE_OK || r == ARCHIVE_WARN || r == ARCHIVE_FAILED)
        *name = entry_name(*e, unreadable);
    names_end(w, prev);
    return r;
}

/* One entry of archive c.  Takes name.  Returns -1 when the archive is to
 * be left. */
static int walk_entry(struct walker *w, struct arc *c, int depth,
                      struct archive_entry *e, char *name)
{
    char *label = name && depth > 0 ? strf("%s!%s", c->label, name) : NULL;
    const char *shown = depth > 0 ? label : name;
    if (!shown) {
        free(name);
        report_failed(w, c->label, "out of memory");
        return -1;
    }

    mode_t type = archive_entry_filetype(e);
    int finished = 0;
    if (sniff_is_os_litter(name)) {
        report_skipped(w, shown, "system metadata, not a report");
    } else if (type == AE_IFDIR) {
        report_skipped(w, shown, "folder");
    } else if (archive_entry_hardlink(e) || type == AE_IFLNK) {
        report_failed(w, shown, "link, not a regular file");
    } else if (type != AE_IFREG) {
        const char *skip = sniff_special_skip_why(name, type);
        if (skip)
            report_skipped(w, shown, skip);
        else
            report_failed(w, shown, "not a regular file");
    } else if (archive_entry_is_encrypted(e) ||
               archive_entry_is_data_encrypted(e)) {
        report_failed(w, shown, "encrypted entry");
    } else if (sniff_is_xml_name(name)) {
        struct walk_input in;
        input_init_source(&in, &w->meter, w->md, w->buf, arc_entry_read, c);
        deliver(w, shown, &in);
        finished = input_at_end(&in);
        input_release(&in);
    } else if (sniff_is_archive_name(name)) {
        if (depth > 0)
            report_failed(w, shown, "archive nested more than one level "
                                    "deep");
        else
            walk_nested(w, c, shown);
    } else {
        report_skipped(w, shown, "not a report");
    }
    /* What is left of the entry (after a nested archive's end, say) */
    if (!finished && !w->stop)
        arc_drain(c, &w->meter);
    free(name);
    free(label);
    return 0;
}

/* An entry whose header libarchive could not read whole (r ==
 * ARCHIVE_FAILED) or whose name cannot be had (unreadable): it fails, and
 * the archive goes on.  Takes name. */
static void entry_unreadable(struct walker *w, struct arc *c, int depth,
                             struct archive_entry *e, char *name,
                             int unreadable, int r)
{
    const char *msg = arc_msg(c->a);
    if (unreadable)
        name = strf("#%" PRIu64, c->entries);
    char *label = name && depth > 0 ? strf("%s!%s", c->label, name) : NULL;
    int encrypted = (e && archive_entry_is_encrypted(e)) ||
                    arc_says(msg, "passphrase");
    char *why = encrypted    ? strf("encrypted entry")
                : unreadable ? unreadable_why(w, c->a)
                             : strf("cannot read entry: %s",
                                    msg ? msg : "libarchive gives no reason");
    report_failed_own(w, depth > 0 ? label : name, why);
    free(label);
    free(name);
    if (!w->stop && r != ARCHIVE_FAILED)
        arc_drain(c, &w->meter); /* (after FAILED libarchive skips) */
}

/* The headers of a compressed tar are decompressed too: pax and GNU
 * long-name headers may hold up to 1 MiB each.  Count the last one's
 * bytes: 0, or -1 when that passes the cap. */
static int count_header(struct walker *w, struct arc *c)
{
    if (!c->compressed || !sniff_is_tar(c->a))
        return 0;
    la_int64_t at = archive_filter_bytes(c->a, 0);
    la_int64_t from = archive_read_header_position(c->a);
    return at > from ? meter_count(&w->meter, (uint64_t)(at - from)) : 0;
}

/* The entries of archive c, till its end, a fatal error, a cap or a stop. */
static void walk_archive(struct walker *w, struct arc *c, int depth)
{
    int retries = 0;
    while (!w->stop && !w->meter.over && !c->dead) {
        struct archive_entry *e;
        char *name;
        int unreadable;
        int r = next_header(w, c, &e, &name, &unreadable);
        if (r == ARCHIVE_EOF) {
            if (sniff_tar_end_missing(c->a)) {
                c->dead = 1;
                c->why = strf("%s", SNIFF_TAR_CUT);
            }
            break;
        }
        if (r == ARCHIVE_RETRY && ++retries < ARC_RETRIES)
            continue;
        retries = 0;
        if (r == ARCHIVE_FATAL || r == ARCHIVE_RETRY) {
            arc_kill(c);
            break;
        }
        if (c->entries == 0 && sniff_is_zip(c->a) && c->compressed) {
            /* libarchive reads a zip inside gzip as a stream; deliveries
             * compress tar only */
            free(name);
            c->dead = 1;
            c->why = strf(SNIFF_UNSUPPORTED ": a zip inside %s compression",
                          archive_filter_name(c->a, 0));
            break;
        }
        c->entries++;
        if (count_header(w, c) != 0 || meter_count_entry(&w->meter) != 0) {
            free(name);
            break;
        }
        if (unreadable || r == ARCHIVE_FAILED) {
            entry_unreadable(w, c, depth, e, name, unreadable, r);
            continue;
        }
        /* ARCHIVE_OK, or ARCHIVE_WARN: the header is usable */
        if (walk_entry(w, c, depth, e, name) != 0)
            break;
    }
}

/* ------------------------------------------------------------------------ */
/* Sources on disk.                                                          */

static void begin_source(struct walker *w, const char *label)
{
    w->source = label;
    meter_begin(&w->meter);
}

/* A report file on disk.  in_dir: met in a directory (links not followed).
 * Returns -1 when it cannot be opened. */
static int walk_file(struct walker *w, const char *path, int in_dir)
{
    int fd;
    do
        fd = open(path, O_RDONLY | O_CLOEXEC | (in_dir ? O_NOFOLLOW : 0));
    while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        report_failed_own(w, "",
                          errno == ELOOP && in_dir
                              ? strf("symbolic link, not a regular file")
                              : strf("cannot open: %s", strerror(errno)));
        return -1;
    }
    struct stat st;
    if (in_dir && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
        report_failed(w, "", "not a regular file");
        close(fd);
        return -1;
    }
    struct walk_input in;
    input_init_fd(&in, &w->meter, w->md, w->buf, fd);
    deliver(w, "", &in);
    input_release(&in);
    close(fd);
    return 0;
}

/* open(2) the archive at path first, for a plain reason when it cannot be
 * read, and for its first bytes: formats that are not read are told by
 * them.  0 with *head (malloc'd, or NULL), *n the bytes read into it (-1
 * when none could be), *size the file's (0 when it is not a regular file);
 * -1 when it cannot be opened (reported). */
static int disk_head(struct walker *w, const char *path, unsigned char **head,
                     ssize_t *n, uint64_t *size)
{
    int fd;
    do
        fd = open(path, O_RDONLY | O_CLOEXEC);
    while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        report_failed_own(w, "", strf("cannot open: %s", strerror(errno)));
        return -1;
    }
    struct stat st;
    int have_size = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    *size = have_size ? (uint64_t)st.st_size : 0;
    *head = malloc(SNIFF_HEAD_BYTES);
    *n = -1;
    if (*head && have_size) {
        do
            *n = pread(fd, *head, SNIFF_HEAD_BYTES, 0);
        while (*n < 0 && errno == EINTR);
    }
    close(fd);
    return 0;
}

/* An archive on disk.  Returns -1 when it cannot be opened. */
static int walk_disk_archive(struct walker *w, const char *path)
{
    unsigned char *head;
    ssize_t n;
    uint64_t size;
    if (disk_head(w, path, &head, &n, &size) != 0)
        return -1;
    size_t have = n > 0 ? (size_t)n : 0;
    char *why = NULL;
    if (n >= 0 && sniffed_out(head, have, (uint64_t)n == size, n == 0, &why)) {
        report_failed_own(w, "", why);
        free(head);
        return -1;
    }

    struct arc c = { .label = "", .file_size = size };
    c.a = arc_new();
    if (!c.a) {
        free(head);
        report_failed(w, "", "out of memory");
        return -1;
    }
    int rc = 0;
    if (archive_read_open_filename(c.a, path, INPUT_BLOCK) != ARCHIVE_OK) {
        report_failed_own(w, "", arc_open_failed_why(c.a, head, have));
        rc = -1;
    } else {
        c.compressed = archive_filter_count(c.a) > 1;
        w->top = c.a;
        walk_archive(w, &c, 0);
        w->top = NULL;
        if (c.dead)
            report_failed(w, "", c.why);
        else if (w->meter.over)
            report_failed(w, "", meter_over_why(&w->meter));
        else if (!w->stop && sniff_is_zip(c.a) && !sniff_zip_file_has_end(path))
            report_failed(w, "", SNIFF_ZIP_CUT);
        else if (!w->stop && c.entries == 0)
            report_failed(w, "", SNIFF_EMPTY);
    }
    archive_read_free(c.a);
    free(c.why);
    free(head);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Standard input ("-", as psql -f - and tar -f - take it): an archive or    */
/* one XML file, told by its first bytes.                                    */

/* Standard input, its first bytes read ahead and handed out again first;
 * the last bytes that passed kept for a zip's end record. */
struct stdin_src {
    unsigned char *head;        /* SNIFF_HEAD_BYTES */
    size_t n, pos;              /* bytes in head, handed out of them */
    int eof;
    int err;                    /* errno of a read that failed, or 0 */
    struct sniff_tail tail;
    unsigned char *block;       /* INPUT_BLOCK, for libarchive */
};

static ssize_t stdin_raw(struct stdin_src *s, void *buf, size_t len)
{
    if (s->pos < s->n) {
        size_t k = s->n - s->pos < len ? s->n - s->pos : len;
        memcpy(buf, s->head + s->pos, k);
        s->pos += k;
        return (ssize_t)k;
    }
    if (s->eof)
        return 0;
    ssize_t r;
    do
        r = read(STDIN_FILENO, buf, len);
    while (r < 0 && errno == EINTR);
    if (r == 0)
        s->eof = 1;
    else if (r < 0)
        s->err = errno;
    return r;
}

/* An XML document: after a byte order mark or white space, '<'; or
 * UTF-16 (a BOM, or '<' beside a zero byte).  The rest are archives. */
static int stdin_is_xml(const unsigned char *p, size_t n)
{
    if (n >= 2 && ((p[0] == 0xFE && p[1] == 0xFF) ||
                   (p[0] == 0xFF && p[1] == 0xFE) ||
                   (p[0] == 0 && p[1] == '<') || (p[0] == '<' && p[1] == 0)))
        return 1;
    size_t i = n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF ? 3 : 0;
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' ||
                     p[i] == '\n'))
        i++;
    return n == 0 || (i < n && p[i] == '<');
}

static ssize_t stdin_xml_read(void *src, void *buf, size_t len, char **why)
{
    struct stdin_src *s = src;
    ssize_t r = stdin_raw(s, buf, len);
    if (r < 0)
        *why = strf("cannot read standard input: %s", strerror(s->err));
    return r;
}

static la_ssize_t stdin_arc_read(struct archive *a, void *src,
                                 const void **buf)
{
    struct stdin_src *s = src;
    ssize_t r = stdin_raw(s, s->block, INPUT_BLOCK);
    if (r < 0) {
        archive_set_error(a, s->err, "cannot read standard input: %s",
                          strerror(s->err));
        return -1;
    }
    sniff_tail_keep(&s->tail, s->block, (size_t)r);
    *buf = s->block;
    return r;
}

/* The archive on standard input, its head read already. */
static void walk_stdin_archive(struct walker *w, struct stdin_src *s)
{
    char *why = NULL;
    if (sniffed_out(s->head, s->n, s->eof, s->eof && s->n == 0, &why)) {
        report_failed_own(w, "", why);
        return;
    }
    struct arc c = { .label = "" };
    c.a = arc_new();
    s->block = malloc(INPUT_BLOCK);
    s->tail.buf = malloc(SNIFF_ZIP_TAIL);
    if (!c.a || !s->block || !s->tail.buf) {
        report_failed(w, "", "out of memory");
    } else if (archive_read_open(c.a, s, NULL, stdin_arc_read, NULL) !=
               ARCHIVE_OK) {
        report_failed_own(w, "", arc_open_failed_why(c.a, s->head, s->n));
    } else {
        c.compressed = archive_filter_count(c.a) > 1;
        w->top = c.a;
        walk_archive(w, &c, 0);
        w->top = NULL;
        int zip = sniff_is_zip(c.a);
        /* a zip's end record is at its end: read to it */
        ssize_t r = 1;
        while (zip && !c.dead && !w->stop && !w->meter.over && r > 0 &&
               (r = stdin_raw(s, s->block, INPUT_BLOCK)) > 0)
            sniff_tail_keep(&s->tail, s->block, (size_t)r);
        if (c.dead)
            report_failed(w, "", c.why);
        else if (w->meter.over)
            report_failed(w, "", meter_over_why(&w->meter));
        else if (!w->stop && zip && s->eof &&
                 !sniff_zip_end_in(s->tail.buf, s->tail.len))
            report_failed(w, "", SNIFF_ZIP_CUT);
        else if (!w->stop && c.entries == 0)
            report_failed(w, "", SNIFF_EMPTY);
    }
    if (c.a)
        archive_read_free(c.a);
    free(c.why);
    free(s->block);
    free(s->tail.buf);
}

/* Standard input. */
static int walk_stdin(struct walker *w)
{
    struct stdin_src s = { 0 };
    s.head = malloc(SNIFF_HEAD_BYTES);
    if (!s.head) {
        report_failed(w, "", "out of memory");
        return -1;
    }
    while (s.n < SNIFF_HEAD_BYTES && !s.eof && !s.err) {
        ssize_t r;
        do
            r = read(STDIN_FILENO, s.head + s.n, SNIFF_HEAD_BYTES - s.n);
        while (r < 0 && errno == EINTR);
        if (r == 0)
            s.eof = 1;
        else if (r < 0)
            s.err = errno;
        else
            s.n += (size_t)r;
    }
    if (s.err) {
        report_failed_own(w, "", strf("cannot read standard input: %s",
                                      strerror(s.err)));
    } else if (stdin_is_xml(s.head, s.n)) {
        struct walk_input in;
        input_init_source(&in, &w->meter, w->md, w->buf, stdin_xml_read, &s);
        deliver(w, "", &in);
        input_release(&in);
    } else {
        walk_stdin_archive(w, &s);
    }
    free(s.head);
    return 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int not_dots(const struct dirent *d)
{
    return strcmp(d->d_name, ".") != 0 && strcmp(d->d_name, "..") != 0;
}

static int walk_dir(struct walker *w, const char *path, const char *label);

/* A file met in a directory (or given), by kind and name. */
static int walk_source(struct walker *w, const char *path, int top)
{
    char *label = printable_dup(path);
    if (!label) {
        struct walk_entry e = { "", "", 0 };
        if (w->h->failed)
            w->h->failed(w->h->ctx, &e, "out of memory");
        return -1;
    }
    begin_source(w, label);
    int rc = 0;
    struct stat st;
    int st_rc = top ? stat(path, &st) : lstat(path, &st);
    if (top && strcmp(path, "-") == 0) {
        rc = walk_stdin(w);
    } else if (st_rc != 0) {
        report_failed_own(w, "", strf("cannot open: %s", strerror(errno)));
        rc = -1;
    } else if (S_ISDIR(st.st_mode)) {
        rc = walk_dir(w, path, label);
    } else if (S_ISLNK(st.st_mode)) {
        report_failed(w, "", "symbolic link, not a regular file");
    } else if (!top && !S_ISREG(st.st_mode)) {
        const char *skip = sniff_special_skip_why(path, st.st_mode);
        if (skip)
            report_skipped(w, "", skip);
        else
            report_failed(w, "", "not a regular file");
    } else if (sniff_is_xml_name(path)) {
        rc = walk_file(w, path, !top);
    } else if (top || sniff_is_archive_name(path)) {
        rc = walk_disk_archive(w, path);
    } else {
        report_skipped(w, "", "not a report");
    }
    w->source = NULL;
    free(label);
    return top ? rc : 0;
}

static int walk_dir(struct walker *w, const char *path, const char *label)
{
    struct dirent **names = NULL;
    int n = scandir(path, &names, not_dots, by_name);
    if (n < 0) {
        char *why = strf("cannot read folder: %s", strerror(errno));
        struct walk_entry e = { label, "", 0 };
        if (w->h->failed)
            w->h->failed(w->h->ctx, &e, why ? why : "out of memory");
        free(why);
        return -1;
    }
    size_t plen = strlen(path);
    int slash = plen > 0 && path[plen - 1] == '/';
    for (int i = 0; i < n; i++) {
        if (!w->stop) {
            char *child = strf("%s%s%s", path, slash ? "" : "/",
                               names[i]->d_name);
            if (child) {
                if (sniff_is_os_litter(names[i]->d_name)) {
                    char *cl = printable_dup(child);
                    struct walk_entry e = { cl ? cl : "", "", 0 };
                    if (w->h->skipped)
                        w->h->skipped(w->h->ctx, &e,
                                      "system metadata, not a report");
                    free(cl);
                } else {
                    walk_source(w, child, 0);
                }
                free(child);
            } else {
                struct walk_entry e = { label, "", 0 };
                if (w->h->failed)
                    w->h->failed(w->h->ctx, &e, "out of memory");
            }
        }
        free(names[i]);
    }
    free(names);
    return 0;
}

int walk_path(const char *path, const struct walk_limits *lim,
              const struct walk_handler *h)
{
    struct walker w;
    memset(&w, 0, sizeof w);
    if (lim)
        w.meter.lim = *lim;
    else
        w.meter.lim = (struct walk_limits){ WALK_DEFAULT_ENTRY_BYTES,
                                            WALK_DEFAULT_TOTAL_BYTES,
                                            WALK_DEFAULT_ENTRIES };
    w.h = h;
    w.utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    w.md = EVP_MD_CTX_new();
    w.buf = malloc(INPUT_BLOCK);
    int rc;
    if (!w.md || !w.buf) {
        struct walk_entry e = { path, "", 0 };
        if (h->failed)
            h->failed(h->ctx, &e, "out of memory");
        rc = -1;
    } else {
        rc = walk_source(&w, path, 1);
        if (w.stop)
            rc = 1;
    }
    EVP_MD_CTX_free(w.md);
    free(w.buf);
    meter_free(&w.meter);
    if (w.utf8)
        freelocale(w.utf8);
    return rc;
}
