/*
 * walk.c - find the report files in a path (an XML file, a directory, or an
 * archive) and hand each one to the caller as a byte stream, without ever
 * extracting anything to disk.
 *
 * A source is one file on disk: the path given, or a file met while walking
 * a directory (in byte order of the names, symbolic links not followed).  A
 * source whose name ends in ".xml" is read with read(2); an archive is read
 * with libarchive, restricted to what deliveries use (zip and tar, with
 * gzip, xz, lzma or bzip2 compression), after a look at its first bytes
 * (foreign_format(): what libarchive would misread is set aside by name).
 * An archive entry that is itself an archive is read straight out of the
 * outer archive's data through archive_read_open() callbacks (struct
 * nested), one level deep; its first bytes are pulled before libarchive
 * opens it, for the same look.
 *
 * Every byte handed out passes through struct walk_input, which counts the
 * bytes really decompressed (header sizes are never trusted), enforces the
 * caps of struct walk_limits and feeds the SHA-256.  The total and entry
 * count caps apply per source, nested archives included; bytes pulled out
 * of an outer archive to read a nested one count as well.
 *
 * Failure reporting: an entry that cannot be used goes to failed() with its
 * own reason.  A read error handed to the file() callback (walk_input_read
 * or walk_input_finish returning -1) is the callback's to report and is not
 * reported again.  When an archive cannot be read to its end (truncated,
 * damaged, a cap reached), the archive itself goes to failed() as well:
 * what came after the break was never seen.
 */
#include "walk.h"
#include "printable.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <openssl/evp.h>

#define WALK_BLOCK (64 * 1024) /* libarchive block and drain buffer */
#define WALK_RETRIES 8         /* ARCHIVE_RETRY tolerated in a row */

/* archive.h names ARCHIVE_ERRNO_MISC but leaves it undefined; libarchive
 * itself uses -1. */
#define WALK_ERRNO_MISC (-1)

#define UNSUPPORTED "not a supported archive (zip, tar, tar.gz, tar.xz, " \
                    "tar.bz2)"

/* ------------------------------------------------------------------------ */
/* Names.                                                                    */

/* The last component of a path, trailing slashes ignored; *len its length. */
static const char *base_name(const char *path, size_t *len)
{
    size_t end = strlen(path);
    while (end > 0 && path[end - 1] == '/')
        end--;
    size_t start = end;
    while (start > 0 && path[start - 1] != '/')
        start--;
    *len = end - start;
    return path + start;
}

static int ends_with_ci(const char *s, size_t n, const char *suffix)
{
    size_t m = strlen(suffix);
    if (n < m)
        return 0;
    for (size_t i = 0; i < m; i++) {
        char c = s[n - m + i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != suffix[i])
            return 0;
    }
    return 1;
}

static int is_xml_name(const char *path)
{
    size_t n;
    const char *b = base_name(path, &n);
    return ends_with_ci(b, n, ".xml");
}

static int is_archive_name(const char *path)
{
    static const char *const ext[] = {
        ".zip", ".tar", ".tgz", ".tar.gz", ".tar.xz", ".txz", ".tar.bz2",
        ".tbz2",
    };
    size_t n;
    const char *b = base_name(path, &n);
    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++)
        if (ends_with_ci(b, n, ext[i]))
            return 1;
    return 0;
}

/*
 * Why a file that is not a regular file (a FIFO, socket or device; links
 * are told apart before) is skipped, by its name: one named like a report
 * or an archive is a report file that cannot be read (NULL: it fails), any
 * other is not a report and is skipped without being opened (opening a
 * FIFO would wait for a writer).  mode is stat's or libarchive's (AE_IF*
 * are the S_IF* values).
 */
static const char *special_skip_why(const char *name, mode_t mode)
{
    if (is_xml_name(name) || is_archive_name(name))
        return NULL;
    switch (mode & S_IFMT) {
    case S_IFIFO: return "not a report (a FIFO)";
    case S_IFSOCK: return "not a report (a socket)";
    case S_IFCHR: return "not a report (a character device)";
    case S_IFBLK: return "not a report (a block device)";
    }
    return "not a report (not a regular file)";
}

/* What operating systems leave behind: __MACOSX/, ._*, .DS_Store,
 * Thumbs.db. */
static int is_os_litter(const char *path)
{
    const char *p = path;
    while (*p) {
        size_t n = strcspn(p, "/");
        if (n == 8 && memcmp(p, "__MACOSX", 8) == 0)
            return 1;
        p += n;
        while (*p == '/')
            p++;
    }
    size_t n;
    const char *b = base_name(path, &n);
    if (n >= 2 && b[0] == '.' && b[1] == '_')
        return 1;
    if (n == 9 && memcmp(b, ".DS_Store", 9) == 0)
        return 1;
    if (n == 9 && ends_with_ci(b, n, "thumbs.db"))
        return 1;
    return 0;
}

/* Contains needle, case ignored (ASCII)? */
static int contains_ci(const char *hay, const char *needle)
{
    size_t m = strlen(needle);
    for (; *hay; hay++) {
        size_t i = 0;
        while (i < m && hay[i]) {
            char c = hay[i];
            if (c >= 'A' && c <= 'Z')
                c = (char)(c - 'A' + 'a');
            if (c != needle[i])
                break;
            i++;
        }
        if (i == m)
            return 1;
    }
    return 0;
}

/* "512 MiB", "1 GiB", "1000 bytes" */
static void format_size(uint64_t n, char *buf, size_t len)
{
    static const char *const unit[] = { "KiB", "MiB", "GiB", "TiB" };
    int u = -1;
    while (u < 3 && n >= 1024 && n % 1024 == 0) {
        n /= 1024;
        u++;
    }
    if (u < 0)
        snprintf(buf, len, "%" PRIu64 " bytes", n);
    else
        snprintf(buf, len, "%" PRIu64 " %s", n, unit[u]);
}

/* printf into a new string; NULL when out of memory. */
static char *str_printf(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static char *str_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *s = malloc((size_t)n + 1);
    if (!s)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

/* ------------------------------------------------------------------------ */
/* State.                                                                    */

struct walker {
    struct walk_limits lim;
    const struct walk_handler *h;
    EVP_MD_CTX *md;
    unsigned char *buf;     /* WALK_BLOCK bytes for draining */
    locale_t utf8;          /* LC_CTYPE C.UTF-8 for libarchive's names, or 0 */

    /* the current source */
    const char *source;     /* its label */
    struct archive *top;    /* the archive on disk being read, or NULL */
    uint64_t total;         /* bytes decompressed from it */
    uint64_t entries;       /* entries read from it */
    int over;               /* a cap of the source was reached */
    char *over_why;         /* which one */
    int stop;               /* a callback asked to stop the walk */
};

/* An archive being read: on disk, or nested in another one. */
struct arc {
    struct archive *a;
    const char *label;      /* "" on disk, else the outer entry's label */
    int compressed;         /* a compression filter: skipping costs work */
    uint64_t file_size;     /* on disk: to tell a truncated archive */
    struct nested *ns;      /* nested: where its bytes come from */
    int dead;               /* a fatal error: nothing more can be read */
    char *why;              /* why it died */
    uint64_t entries;       /* headers read from it */
};

/* The source of a nested archive: the data of an entry of the outer one. */
struct nested {
    struct walker *w;
    struct arc *outer;
    uint64_t bytes;         /* pulled from the outer entry */
    int eof, failed;
    char *why;              /* why the bytes stopped */
    unsigned char *buf;
    unsigned char *tail;    /* the last bytes pulled, for zip_end_in() */
    size_t tail_len;
    unsigned char *head;    /* the first SNIFF bytes, pulled before the
                             * archive is opened, to tell its format */
    size_t head_len;
    int head_given;         /* handed to libarchive already */
};

enum input_state { IN_OPEN, IN_END, IN_ERROR };

struct walk_input {
    struct walker *w;
    int fd;                 /* a file on disk, or -1 */
    struct arc *arc;        /* else the archive positioned at the entry */
    enum input_state state;
    int finished;
    int seen_error;         /* the caller was told of the error */
    uint64_t bytes;
    char *error;
    unsigned char sha[32];
};

static void set_over(struct walker *w, char *why)
{
    if (w->over) {
        free(why);
        return;
    }
    w->over = 1;
    w->over_why = why;
}

static const char *over_why(const struct walker *w)
{
    return w->over_why ? w->over_why : "out of memory";
}

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

/*
 * archive_error_string(a) on one line, for a reason: libarchive's messages
 * may end in a line break ("ZIP uncompressed data is wrong size (...)\n")
 * or carry bytes of the archive.  Trailing white space goes; the rest is
 * escaped by printable_copy().  NULL when there is no message.  The buffer
 * is reused by the next call.
 */
static const char *arc_msg(struct archive *a)
{
    static _Thread_local char buf[512];
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

/* The reason for a fatal error of archive c: truncated or damaged. */
static char *dead_reason(struct arc *c)
{
    if (c->ns && c->ns->failed && c->ns->why)
        return str_printf("%s", c->ns->why);
    const char *msg = arc_msg(c->a);
    int truncated = msg && contains_ci(msg, "truncated");
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
        return str_printf("truncated archive: the %s stream ends early",
                          filter ? filter : "compressed");
    }
    if (!msg)
        msg = truncated ? "it ends part way" : "libarchive gives no reason";
    return str_printf("%s archive: %s", truncated ? "truncated" : "damaged",
                      msg);
}

static void kill_arc(struct arc *c)
{
    if (c->dead)
        return;
    c->dead = 1;
    c->why = dead_reason(c);
}

/* ------------------------------------------------------------------------ */
/* Inputs.                                                                   */

static void input_fail(struct walk_input *in, char *why)
{
    in->state = IN_ERROR;
    free(in->error);
    in->error = why;
}

/* Read raw bytes of the entry: the count, 0 at the end, -1 on error (with
 * the input failed). */
static ssize_t input_raw(struct walk_input *in, void *buf, size_t len)
{
    if (in->fd >= 0) {
        for (;;) {
            ssize_t n = read(in->fd, buf, len);
            if (n >= 0)
                return n;
            if (errno != EINTR) {
                input_fail(in, str_printf("read error: %s", strerror(errno)));
                return -1;
            }
        }
    }
    struct arc *c = in->arc;
    if (c->dead) {
        input_fail(in, str_printf("%s", c->why ? c->why : "unreadable"));
        return -1;
    }
    la_ssize_t n;
    int tries = 0;
    do
        n = archive_read_data(c->a, buf, len);
    while (n == ARCHIVE_RETRY && ++tries < WALK_RETRIES);
    if (n >= 0)
        return n;
    if (n == ARCHIVE_FATAL || n == ARCHIVE_RETRY) {
        kill_arc(c);
        input_fail(in, str_printf("%s", c->why ? c->why : "unreadable"));
    } else {
        const char *msg = arc_msg(c->a);
        if (c->ns && c->ns->failed && c->ns->why)
            input_fail(in, str_printf("%s", c->ns->why));
        else
            input_fail(in, str_printf("%s entry: %s",
                                      n == ARCHIVE_WARN ? "damaged"
                                                        : "cannot read",
                                      msg ? msg : "libarchive gives no reason"));
    }
    return -1;
}

static char *entry_cap_why(uint64_t cap, int nested)
{
    char size[32];
    format_size(cap, size, sizeof size);
    return str_printf("%s larger than the cap of %s decompressed "
                      "(--max-entry-bytes)",
                      nested ? "nested archive" : "entry", size);
}

static char *total_cap_why(uint64_t cap)
{
    char size[32];
    format_size(cap, size, sizeof size);
    return str_printf("more than the cap of %s decompressed from one "
                      "archive (--max-total-bytes)", size);
}

/* Count n more bytes against the source's total.  0, or -1 (and the
 * source is over) when the cap is passed. */
static int count_total(struct walker *w, uint64_t n)
{
    if (w->lim.total_bytes && w->total + n > w->lim.total_bytes) {
        set_over(w, total_cap_why(w->lim.total_bytes));
        return -1;
    }
    w->total += n;
    return 0;
}

ssize_t walk_input_read(struct walk_input *in, void *buf, size_t len)
{
    if (in->finished || in->state == IN_END)
        return 0;
    if (in->state == IN_ERROR) {
        in->seen_error = 1;
        return -1;
    }
    if (len == 0)
        return 0;
    if (len > (size_t)1 << 30)
        len = (size_t)1 << 30;
    if (in->w->over) {
        input_fail(in, str_printf("%s", over_why(in->w)));
        in->seen_error = 1;
        return -1;
    }
    ssize_t n = input_raw(in, buf, len);
    if (n < 0) {
        in->seen_error = 1;
        return -1;
    }
    if (n == 0) {
        in->state = IN_END;
        return 0;
    }
    struct walker *w = in->w;
    if (w->lim.entry_bytes && in->bytes + (uint64_t)n > w->lim.entry_bytes) {
        input_fail(in, entry_cap_why(w->lim.entry_bytes, 0));
        in->seen_error = 1;
        return -1;
    }
    if (count_total(w, (uint64_t)n) != 0) {
        input_fail(in, str_printf("%s", over_why(w)));
        in->seen_error = 1;
        return -1;
    }
    in->bytes += (uint64_t)n;
    EVP_DigestUpdate(w->md, buf, (size_t)n);
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
               walk_input_read(in, in->w->buf, WALK_BLOCK) > 0)
            ;
        unsigned int mdlen = 0;
        EVP_DigestFinal_ex(in->w->md, in->sha, &mdlen);
        in->finished = 1;
    }
    if (sha256)
        memcpy(sha256, in->sha, 32);
    if (bytes)
        *bytes = in->bytes;
    if (in->state == IN_ERROR) {
        in->seen_error = 1;
        return -1;
    }
    return 0;
}

static void input_init(struct walk_input *in, struct walker *w, int fd,
                       struct arc *c)
{
    memset(in, 0, sizeof *in);
    in->w = w;
    in->fd = fd;
    in->arc = c;
    in->state = IN_OPEN;
    EVP_DigestInit_ex(w->md, EVP_sha256(), NULL);
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

/* ------------------------------------------------------------------------ */
/* Archives.                                                                 */

static struct archive *arc_new(void)
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

/* After an entry: read what the caller left of it, where skipping would
 * decompress it anyway, so that those bytes count against the cap.  Read by
 * blocks: the holes of a sparse tar entry are not handed out as zeros, and
 * cost nothing to skip. */
static void drain_entry(struct walker *w, struct arc *c)
{
    if (c->dead || !(c->compressed || c->ns))
        return; /* archive_read_next_header skips it by seeking */
    for (;;) {
        if (w->over)
            return;
        const void *block;
        size_t size;
        la_int64_t offset;
        int r = archive_read_data_block(c->a, &block, &size, &offset);
        if (r == ARCHIVE_FATAL) {
            kill_arc(c);
            return;
        }
        if (r != ARCHIVE_OK)
            return; /* the end, or the entry's own trouble: next_header
                     * decides */
        if (count_total(w, (uint64_t)size) != 0)
            return;
    }
}

static void walk_archive(struct walker *w, struct arc *c, int depth);

/*
 * A zip ends in its end-of-central-directory record ("PK\5\6" within the
 * last 64 KiB + 22 bytes).  Without it libarchive falls back to reading the
 * zip as a stream and stops quietly where the central directory was cut:
 * the entries read may be whole, but the archive is not.
 */
#define ZIP_TAIL (65535 + 22)
static const char ZIP_CUT[] =
    "truncated archive: the zip's central directory is missing or cut off";

static int zip_end_in(const unsigned char *tail, size_t n)
{
    for (size_t i = n >= 22 ? n - 22 + 1 : 0; i-- > 0;)
        if (memcmp(tail + i, "PK\5\6", 4) == 0)
            return 1;
    return 0;
}

/* The same for the zip file at path; 1 when it cannot tell. */
static int zip_file_has_end(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 1;
    struct stat st;
    int found = 1;
    unsigned char *buf = malloc(ZIP_TAIL);
    if (buf && fstat(fd, &st) == 0) {
        off_t from = st.st_size > ZIP_TAIL ? st.st_size - ZIP_TAIL : 0;
        ssize_t n = pread(fd, buf, ZIP_TAIL, from);
        found = n < 0 || zip_end_in(buf, (size_t)n);
    }
    free(buf);
    close(fd);
    return found;
}

static int is_zip(struct archive *a)
{
    return (archive_format(a) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_ZIP;
}

static int is_tar(struct archive *a)
{
    return (archive_format(a) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_TAR;
}

/*
 * A tar ends in two blocks of 512 zero bytes.  libarchive takes a tar that
 * stops at the boundary between two entries, without them, for a whole one
 * ("some writers omit the block of nulls"); but that is exactly what a tar
 * cut off between two entries looks like, and the entries after the cut are
 * lost without a word.  So a tar must end in at least one zero block: at
 * ARCHIVE_EOF libarchive has then consumed it, past the position where it
 * looked for the next header.
 */
static const char TAR_CUT[] =
    "truncated archive: the tar stops between two entries, without its "
    "end-of-archive blocks";

static int tar_end_missing(struct archive *a)
{
    return is_tar(a) &&
           archive_filter_bytes(a, 0) == archive_read_header_position(a);
}

static const char EMPTY[] = "empty archive: no entries";
#define EMPTY_FILE UNSUPPORTED ": an empty file (0 bytes)"

/*
 * Formats is248 does not read, told by their signatures before libarchive
 * sees them, so that the answer names what the file is rather than what
 * libarchive makes of it: its tar reader takes anything that begins with
 * 512 zero bytes for an empty tar, an ISO 9660 image among them (its first
 * 32 KiB are a system area, zeros as a rule).  SNIFF bytes are enough to
 * see ISO 9660's first volume descriptor.
 */
#define SNIFF (0x8001 + 5)

/* A tar header with a good checksum: the file is a tar, whatever else its
 * first bytes look like. */
static int tar_header_ok(const unsigned char *p, size_t n)
{
    if (n < 512)
        return 0;
    unsigned long sum = 0, want = 0;
    for (size_t i = 0; i < 512; i++)
        sum += i >= 148 && i < 156 ? ' ' : p[i];
    int digits = 0;
    for (size_t i = 148; i < 156; i++) {
        if (p[i] >= '0' && p[i] <= '7') {
            if (digits > 0 && (p[i - 1] == ' ' || p[i - 1] == '\0'))
                return 0;
            want = want * 8 + (unsigned long)(p[i] - '0');
            digits++;
        } else if (p[i] != ' ' && p[i] != '\0') {
            return 0;
        }
    }
    return digits > 0 && sum == want;
}

static const char *foreign_format(const unsigned char *p, size_t n)
{
    static const struct {
        size_t at;
        const char *magic;
        size_t len;
        const char *what;
    } sig[] = {
        { 0, "Rar!\x1A\x07", 6, "a RAR archive" },
        { 0, "7z\xBC\xAF\x27\x1C", 6, "a 7z archive" },
        { 0, "MSCF\0\0\0\0", 8, "a Microsoft cabinet (CAB)" },
        { 0x8001, "CD001", 5, "an ISO 9660 image" },
        { 0x8001, "BEA01", 5, "a UDF image" },
        { 0, "xar!", 4, "a xar archive" },
        { 0, "!<arch>\n", 8, "an ar archive" },
        { 0, "070701", 6, "a cpio archive" },
        { 0, "070702", 6, "a cpio archive" },
        { 0, "070707", 6, "a cpio archive" },
        { 0, "\x28\xB5\x2F\xFD", 4, "zstd-compressed data" },
        { 0, "\x04\x22\x4D\x18", 4, "lz4-compressed data" },
        { 0, "LZIP", 4, "lzip-compressed data" },
        { 0, "\x89PNG", 4, "a PNG image" },
        { 0, "%PDF-", 5, "a PDF document" },
    };
    if (tar_header_ok(p, n))
        return NULL;
    for (size_t i = 0; i < sizeof sig / sizeof sig[0]; i++)
        if (n >= sig[i].at + sig[i].len &&
            memcmp(p + sig[i].at, sig[i].magic, sig[i].len) == 0)
            return sig[i].what;
    return NULL;
}

/* A whole file of n bytes too short for libarchive to tell its format, but
 * the start of one it reads: truncated, not something else. */
static const char *cut_short(const unsigned char *p, size_t n)
{
    if (n >= 257 + 5 && n < 512 && memcmp(p + 257, "ustar", 5) == 0)
        return "truncated archive: it stops inside its first tar header";
    if (n >= 2 && n < 10 && p[0] == 0x1F && p[1] == 0x8B)
        return "truncated archive: it stops inside its gzip header";
    return NULL;
}

/* The compression an archive's first bytes announce, or NULL. */
static const char *compression_of(const unsigned char *p, size_t n)
{
    if (n >= 2 && p[0] == 0x1F && p[1] == 0x8B)
        return "gzip";
    if (n >= 6 && memcmp(p, "\xFD" "7zXZ\0", 6) == 0)
        return "xz";
    if (n >= 3 && memcmp(p, "BZh", 3) == 0)
        return "bzip2";
    return NULL;
}

/* Why an archive could not be opened: libarchive's reason, said plainly.
 * head: its first n bytes. */
static char *open_failed_why(struct archive *a, const unsigned char *head,
                             size_t n)
{
    const char *msg = arc_msg(a);
    if (msg && contains_ci(msg, "truncated"))
        return str_printf("truncated archive: %s", msg);
    const char *comp = compression_of(head, n);
    if (!msg && comp) {
        /* a decompressor that ran out of input without a word: libarchive's
         * gzip reader cut inside its trailer */
        return str_printf("truncated archive: the %s stream ends early",
                          comp);
    }
    if (msg && contains_ci(msg, "unrecognized archive format") &&
        archive_filter_count(a) > 1) {
        const char *filter = archive_filter_name(a, 0);
        return str_printf(UNSUPPORTED ": %s-compressed, but what it holds is "
                          "not a tar archive", filter ? filter : "?");
    }
    return str_printf(UNSUPPORTED ": %s",
                      msg ? msg : "libarchive gives no reason");
}

/* Keep the last ZIP_TAIL bytes that passed through a nested archive. */
static void keep_tail(struct nested *ns, const unsigned char *p, size_t n)
{
    if (!ns->tail)
        return;
    if (n >= ZIP_TAIL) {
        memcpy(ns->tail, p + n - ZIP_TAIL, ZIP_TAIL);
        ns->tail_len = ZIP_TAIL;
        return;
    }
    size_t keep = ns->tail_len + n > ZIP_TAIL ? ZIP_TAIL - n : ns->tail_len;
    memmove(ns->tail, ns->tail + ns->tail_len - keep, keep);
    memcpy(ns->tail + keep, p, n);
    ns->tail_len = keep + n;
}

/* Pull up to len bytes of the outer entry into dst, counted against the
 * caps: the count, 0 at its end, -1 when the bytes stop (ns->why says
 * why). */
static la_ssize_t nested_pull(struct nested *ns, unsigned char *dst,
                              size_t len)
{
    struct walker *w = ns->w;
    if (ns->failed)
        return -1;
    if (ns->eof)
        return 0;
    const char *stop = NULL;
    if (w->over) {
        stop = over_why(w);
    } else if (ns->outer->dead) {
        stop = ns->outer->why;
    } else {
        la_ssize_t n;
        int tries = 0;
        do
            n = archive_read_data(ns->outer->a, dst, len);
        while (n == ARCHIVE_RETRY && ++tries < WALK_RETRIES);
        if (n == 0) {
            ns->eof = 1;
            return 0;
        }
        if (n > 0) {
            if (w->lim.entry_bytes &&
                ns->bytes + (uint64_t)n > w->lim.entry_bytes) {
                ns->failed = 1;
                ns->why = entry_cap_why(w->lim.entry_bytes, 1);
            } else if (count_total(w, (uint64_t)n) != 0) {
                stop = over_why(w);
            } else {
                ns->bytes += (uint64_t)n;
                keep_tail(ns, dst, (size_t)n);
                return n;
            }
        } else if (n == ARCHIVE_FATAL || n == ARCHIVE_RETRY) {
            kill_arc(ns->outer);
            stop = ns->outer->why;
        } else {
            const char *msg = arc_msg(ns->outer->a);
            ns->failed = 1;
            ns->why = str_printf("%s entry: %s",
                                 n == ARCHIVE_WARN ? "damaged" : "cannot read",
                                 msg ? msg : "libarchive gives no reason");
        }
    }
    if (!ns->failed) {
        ns->failed = 1;
        ns->why = str_printf("%s", stop ? stop : "read error");
    }
    return -1;
}

/* The first SNIFF bytes of the outer entry (fewer if it is shorter or its
 * bytes stop), to tell the format before libarchive guesses. */
static void nested_prefetch(struct nested *ns)
{
    while (ns->head_len < SNIFF) {
        size_t want = SNIFF - ns->head_len;
        if (want > WALK_BLOCK)
            want = WALK_BLOCK;
        la_ssize_t n = nested_pull(ns, ns->head + ns->head_len, want);
        if (n <= 0)
            break;
        ns->head_len += (size_t)n;
    }
}

/* Nested archives read their bytes from the outer entry: first what
 * nested_prefetch() took, then the rest as it comes. */
static la_ssize_t nested_read(struct archive *a, void *data,
                              const void **block)
{
    struct nested *ns = data;
    if (!ns->head_given) {
        ns->head_given = 1;
        if (ns->head_len > 0) {
            *block = ns->head;
            return (la_ssize_t)ns->head_len;
        }
    }
    *block = ns->buf;
    la_ssize_t n = nested_pull(ns, ns->buf, WALK_BLOCK);
    if (n < 0)
        archive_set_error(a, WALK_ERRNO_MISC, "%s",
                          ns->why ? ns->why : "out of memory");
    return n;
}

static int nested_close(struct archive *a, void *data)
{
    (void)a;
    (void)data;
    return ARCHIVE_OK;
}

/* The entry of c just read is an archive: walk it. */
static void walk_nested(struct walker *w, struct arc *outer,
                        const char *label)
{
    struct nested ns = { .w = w, .outer = outer };
    struct arc inner = { .label = label };
    ns.buf = malloc(WALK_BLOCK);
    ns.head = malloc(SNIFF);
    ns.tail = malloc(ZIP_TAIL); /* NULL: the check is skipped */
    inner.a = ns.buf && ns.head ? arc_new() : NULL;
    if (!inner.a) {
        free(ns.buf);
        free(ns.head);
        free(ns.tail);
        report_failed(w, label, "out of memory");
        return;
    }
    inner.ns = &ns;
    nested_prefetch(&ns);
    const char *foreign = foreign_format(ns.head, ns.head_len);
    const char *cut = ns.eof ? cut_short(ns.head, ns.head_len) : NULL;
    if (foreign || cut || (ns.eof && ns.head_len == 0)) {
        /* the outer's own trouble is told for the outer */
        if (!w->over && !outer->dead) {
            char *why = foreign ? str_printf(UNSUPPORTED ": %s", foreign)
                        : cut   ? str_printf("%s", cut)
                                : str_printf("%s", EMPTY_FILE);
            report_failed(w, label, why);
            free(why);
        }
    } else if (archive_read_open(inner.a, &ns, NULL, nested_read,
                                 nested_close) != ARCHIVE_OK) {
        if (!w->over && !outer->dead) {
            char *why = ns.failed
                            ? str_printf("%s", ns.why ? ns.why : "read error")
                            : open_failed_why(inner.a, ns.head,
                                              ns.head_len);
            report_failed(w, label, why);
            free(why);
        }
    } else {
        inner.compressed = archive_filter_count(inner.a) > 1;
        walk_archive(w, &inner, 1);
        if (inner.dead && !w->over && !outer->dead) {
            report_failed(w, label, inner.why);
        } else if (!inner.dead && !w->over && !w->stop && !outer->dead &&
                   ns.tail && is_zip(inner.a)) {
            /* read the zip to its end, then look for its end record */
            const void *block;
            while (!ns.eof && !ns.failed && !outer->dead &&
                   nested_read(inner.a, &ns, &block) > 0)
                ;
            if (ns.eof && !zip_end_in(ns.tail, ns.tail_len))
                report_failed(w, label, ZIP_CUT);
            else if (ns.eof && inner.entries == 0)
                report_failed(w, label, EMPTY);
        } else if (!inner.dead && !w->over && !w->stop && !outer->dead &&
                   inner.entries == 0) {
            report_failed(w, label, EMPTY);
        }
    }
    archive_read_free(inner.a);
    free(inner.why);
    free(ns.why);
    free(ns.buf);
    free(ns.head);
    free(ns.tail);
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
        return str_printf("its name is not valid UTF-8, though the archive "
                          "says it is");
    const char *msg = arc_msg(a);
    return str_printf("its name cannot be read (%s)",
                      msg ? msg : "libarchive gives no reason");
}

/* One entry of archive c.  Returns -1 when the archive is to be left. */
static int walk_entry(struct walker *w, struct arc *c, int depth,
                      struct archive_entry *e, char *name)
{
    char *label = name && depth > 0 ? str_printf("%s!%s", c->label, name)
                                    : NULL;
    const char *shown = depth > 0 ? label : name;
    if (!shown) {
        free(name);
        report_failed(w, c->label, "out of memory");
        return -1;
    }

    mode_t type = archive_entry_filetype(e);
    int finished = 0;
    if (is_os_litter(name)) {
        report_skipped(w, shown, "system metadata, not a report");
    } else if (type == AE_IFDIR) {
        report_skipped(w, shown, "folder");
    } else if (archive_entry_hardlink(e) || type == AE_IFLNK) {
        report_failed(w, shown, "link, not a regular file");
    } else if (type != AE_IFREG) {
        const char *skip = special_skip_why(name, type);
        if (skip)
            report_skipped(w, shown, skip);
        else
            report_failed(w, shown, "not a regular file");
    } else if (archive_entry_is_encrypted(e) ||
               archive_entry_is_data_encrypted(e)) {
        report_failed(w, shown, "encrypted entry");
    } else if (is_xml_name(name)) {
        struct walk_input in;
        input_init(&in, w, -1, c);
        deliver(w, shown, &in);
        finished = in.state == IN_END;
        free(in.error);
    } else if (is_archive_name(name)) {
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
        drain_entry(w, c);
    free(name);
    free(label);
    return 0;
}

/* The entries of archive c, till its end, a fatal error, a cap or a stop. */
static void walk_archive(struct walker *w, struct arc *c, int depth)
{
    int retries = 0;
    while (!w->stop && !w->over && !c->dead) {
        struct archive_entry *e = NULL;
        locale_t prev = names_begin(w);
        int r = archive_read_next_header(c->a, &e);
        int unreadable = 0;
        char *name = r == ARCHIVE_OK || r == ARCHIVE_WARN ||
                             r == ARCHIVE_FAILED
                         ? entry_name(e, &unreadable)
                         : NULL;
        names_end(w, prev);
        if (r != ARCHIVE_OK && r != ARCHIVE_WARN && r != ARCHIVE_FAILED) {
            free(name);
            name = NULL;
        }
        if (r == ARCHIVE_EOF) {
            if (tar_end_missing(c->a)) {
                c->dead = 1;
                c->why = str_printf("%s", TAR_CUT);
            }
            break;
        }
        if (r == ARCHIVE_RETRY && ++retries < WALK_RETRIES)
            continue;
        retries = 0;
        if (r == ARCHIVE_FATAL || r == ARCHIVE_RETRY) {
            kill_arc(c);
            break;
        }
        if (c->entries == 0 && is_zip(c->a) && c->compressed) {
            /* libarchive reads a zip inside gzip as a stream; deliveries
             * compress tar only */
            free(name);
            c->dead = 1;
            c->why = str_printf(UNSUPPORTED ": a zip inside %s compression",
                                archive_filter_name(c->a, 0));
            break;
        }
        c->entries++;
        /* The headers of a compressed tar are decompressed too: pax and
         * GNU long-name headers may hold up to 1 MiB each. */
        if (c->compressed && is_tar(c->a)) {
            la_int64_t at = archive_filter_bytes(c->a, 0);
            la_int64_t from = archive_read_header_position(c->a);
            if (at > from && count_total(w, (uint64_t)(at - from)) != 0) {
                free(name);
                break;
            }
        }
        if (w->lim.entries && w->entries >= w->lim.entries) {
            free(name);
            set_over(w, str_printf("more than the cap of %" PRIu64
                                   " entries in one archive (--max-entries)",
                                   w->lim.entries));
            break;
        }
        w->entries++;
        if (unreadable || r == ARCHIVE_FAILED) {
            /* this entry cannot be read (nor, perhaps, its name); the
             * archive goes on */
            const char *msg = arc_msg(c->a);
            if (unreadable)
                name = str_printf("#%" PRIu64, c->entries);
            char *label = name && depth > 0
                              ? str_printf("%s!%s", c->label, name)
                              : NULL;
            int encrypted = (e && archive_entry_is_encrypted(e)) ||
                            (msg && contains_ci(msg, "passphrase"));
            char *why = encrypted    ? str_printf("encrypted entry")
                        : unreadable ? unreadable_why(w, c->a)
                                     : str_printf("cannot read entry: %s",
                                                  msg ? msg
                                                      : "libarchive gives "
                                                        "no reason");
            report_failed(w, depth > 0 ? label : name, why);
            free(why);
            free(label);
            free(name);
            if (!w->stop && r != ARCHIVE_FAILED)
                drain_entry(w, c); /* (after FAILED libarchive skips) */
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
    w->total = 0;
    w->entries = 0;
    w->over = 0;
    free(w->over_why);
    w->over_why = NULL;
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
        char *why = errno == ELOOP && in_dir
                        ? str_printf("symbolic link, not a regular file")
                        : str_printf("cannot open: %s", strerror(errno));
        report_failed(w, "", why);
        free(why);
        return -1;
    }
    struct stat st;
    if (in_dir && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
        report_failed(w, "", "not a regular file");
        close(fd);
        return -1;
    }
    struct walk_input in;
    input_init(&in, w, fd, NULL);
    deliver(w, "", &in);
    free(in.error);
    close(fd);
    return 0;
}

/* An archive on disk.  Returns -1 when it cannot be opened. */
static int walk_disk_archive(struct walker *w, const char *path)
{
    /* open(2) first, for a plain reason when the file cannot be read, and
     * for its first bytes: formats that are not read are told by them */
    int fd;
    do
        fd = open(path, O_RDONLY | O_CLOEXEC);
    while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        char *why = str_printf("cannot open: %s", strerror(errno));
        report_failed(w, "", why);
        free(why);
        return -1;
    }
    struct stat st;
    int have_size = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    unsigned char *head = malloc(SNIFF);
    ssize_t head_len = -1;
    if (head && have_size) {
        do
            head_len = pread(fd, head, SNIFF, 0);
        while (head_len < 0 && errno == EINTR);
    }
    close(fd);
    const char *foreign =
        head_len > 0 ? foreign_format(head, (size_t)head_len) : NULL;
    const char *cut =
        head_len > 0 && (uint64_t)head_len == (uint64_t)st.st_size
            ? cut_short(head, (size_t)head_len)
            : NULL;
    if (foreign || cut || head_len == 0) {
        char *why = foreign ? str_printf(UNSUPPORTED ": %s", foreign)
                    : cut   ? str_printf("%s", cut)
                            : str_printf("%s", EMPTY_FILE);
        report_failed(w, "", why);
        free(why);
        free(head);
        return -1;
    }

    struct arc c = { .label = "" };
    c.file_size = have_size ? (uint64_t)st.st_size : 0;
    c.a = arc_new();
    if (!c.a) {
        free(head);
        report_failed(w, "", "out of memory");
        return -1;
    }
    int rc = 0;
    if (archive_read_open_filename(c.a, path, WALK_BLOCK) != ARCHIVE_OK) {
        char *why = open_failed_why(c.a, head,
                                    head_len > 0 ? (size_t)head_len : 0);
        report_failed(w, "", why);
        free(why);
        rc = -1;
    } else {
        c.compressed = archive_filter_count(c.a) > 1;
        w->top = c.a;
        walk_archive(w, &c, 0);
        w->top = NULL;
        if (c.dead)
            report_failed(w, "", c.why);
        else if (w->over)
            report_failed(w, "", over_why(w));
        else if (!w->stop && is_zip(c.a) && !zip_file_has_end(path))
            report_failed(w, "", ZIP_CUT);
        else if (!w->stop && c.entries == 0)
            report_failed(w, "", EMPTY);
    }
    archive_read_free(c.a);
    free(c.why);
    free(head);
    return rc;
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
    if (st_rc != 0) {
        char *why = str_printf("cannot open: %s", strerror(errno));
        report_failed(w, "", why);
        free(why);
        rc = -1;
    } else if (S_ISDIR(st.st_mode)) {
        rc = walk_dir(w, path, label);
    } else if (S_ISLNK(st.st_mode)) {
        report_failed(w, "", "symbolic link, not a regular file");
    } else if (!top && !S_ISREG(st.st_mode)) {
        const char *skip = special_skip_why(path, st.st_mode);
        if (skip)
            report_skipped(w, "", skip);
        else
            report_failed(w, "", "not a regular file");
    } else if (is_xml_name(path)) {
        rc = walk_file(w, path, !top);
    } else if (top || is_archive_name(path)) {
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
        char *why = str_printf("cannot read folder: %s", strerror(errno));
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
            char *child = str_printf("%s%s%s", path, slash ? "" : "/",
                                     names[i]->d_name);
            if (child) {
                if (is_os_litter(names[i]->d_name)) {
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
        w.lim = *lim;
    else
        w.lim = (struct walk_limits){ WALK_DEFAULT_ENTRY_BYTES,
                                      WALK_DEFAULT_TOTAL_BYTES,
                                      WALK_DEFAULT_ENTRIES };
    w.h = h;
    w.utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    w.md = EVP_MD_CTX_new();
    w.buf = malloc(WALK_BLOCK);
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
    free(w.over_why);
    if (w.utf8)
        freelocale(w.utf8);
    return rc;
}
