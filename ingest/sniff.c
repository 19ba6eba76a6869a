/*
 * sniff.c - what a file is, by its name and by its first and last bytes
 * (see sniff.h).  Names are compared byte by byte, ASCII case ignored:
 * never through the locale.  The signatures are those of the formats
 * deliveries have been seen in, or could be mistaken for.
 */
#include "sniff.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>

/* A tar block, and where a tar header keeps its checksum and ustar magic. */
#define TAR_BLOCK 512
#define TAR_CHKSUM_AT 148
#define TAR_CHKSUM_LEN 8
#define TAR_MAGIC_AT 257
#define GZIP_HEADER_MIN 10
#define ZIP_END_RECORD 22 /* "PK\5\6" and the fixed fields after it */

const char SNIFF_EMPTY[] = "empty archive: no entries";
const char SNIFF_ZIP_CUT[] =
    "truncated archive: the zip's central directory is missing or cut off";
const char SNIFF_TAR_CUT[] =
    "truncated archive: the tar stops between two entries, without its "
    "end-of-archive blocks";

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

int sniff_is_xml_name(const char *path)
{
    size_t n;
    const char *b = base_name(path, &n);
    return ends_with_ci(b, n, ".xml");
}

int sniff_is_archive_name(const char *path)
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

const char *sniff_special_skip_why(const char *name, mode_t mode)
{
    if (sniff_is_xml_name(name) || sniff_is_archive_name(name))
        return NULL;
    switch (mode & S_IFMT) {
    case S_IFIFO: return "not a report (a FIFO)";
    case S_IFSOCK: return "not a report (a socket)";
    case S_IFCHR: return "not a report (a character device)";
    case S_IFBLK: return "not a report (a block device)";
    }
    return "not a report (not a regular file)";
}

int sniff_is_os_litter(const char *path)
{
    static const char macosx[] = "__MACOSX", ds_store[] = ".DS_Store";
    const char *p = path;
    while (*p) {
        size_t n = strcspn(p, "/");
        if (n == sizeof macosx - 1 && memcmp(p, macosx, n) == 0)
            return 1;
        p += n;
        while (*p == '/')
            p++;
    }
    size_t n;
    const char *b = base_name(path, &n);
    if (n >= 2 && b[0] == '.' && b[1] == '_')
        return 1;
    if (n == sizeof ds_store - 1 && memcmp(b, ds_store, n) == 0)
        return 1;
    if (n == sizeof "thumbs.db" - 1 && ends_with_ci(b, n, "thumbs.db"))
        return 1;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* First bytes.                                                              */

/* A tar header with a good checksum: the file is a tar, whatever else its
 * first bytes look like. */
static int tar_header_ok(const unsigned char *p, size_t n)
{
    if (n < TAR_BLOCK)
        return 0;
    unsigned long sum = 0, want = 0;
    const size_t from = TAR_CHKSUM_AT, to = TAR_CHKSUM_AT + TAR_CHKSUM_LEN;
    for (size_t i = 0; i < TAR_BLOCK; i++)
        sum += i >= from && i < to ? ' ' : p[i];
    int digits = 0;
    for (size_t i = from; i < to; i++) {
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

const char *sniff_foreign_format(const unsigned char *p, size_t n)
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

const char *sniff_cut_short(const unsigned char *p, size_t n)
{
    if (n >= TAR_MAGIC_AT + 5 && n < TAR_BLOCK &&
        memcmp(p + TAR_MAGIC_AT, "ustar", 5) == 0)
        return "truncated archive: it stops inside its first tar header";
    if (n >= 2 && n < GZIP_HEADER_MIN && p[0] == 0x1F && p[1] == 0x8B)
        return "truncated archive: it stops inside its gzip header";
    return NULL;
}

const char *sniff_compression(const unsigned char *p, size_t n)
{
    if (n >= 2 && p[0] == 0x1F && p[1] == 0x8B)
        return "gzip";
    if (n >= 6 && memcmp(p, "\xFD" "7zXZ\0", 6) == 0)
        return "xz";
    if (n >= 3 && memcmp(p, "BZh", 3) == 0)
        return "bzip2";
    return NULL;
}

/* ------------------------------------------------------------------------ */
/* End records.                                                              */

int sniff_zip_end_in(const unsigned char *tail, size_t n)
{
    for (size_t i = n >= ZIP_END_RECORD ? n - ZIP_END_RECORD + 1 : 0; i-- > 0;)
        if (memcmp(tail + i, "PK\5\6", 4) == 0)
            return 1;
    return 0;
}

int sniff_zip_file_has_end(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 1;
    struct stat st;
    int found = 1;
    unsigned char *buf = malloc(SNIFF_ZIP_TAIL);
    if (buf && fstat(fd, &st) == 0) {
        off_t from = st.st_size > SNIFF_ZIP_TAIL ? st.st_size - SNIFF_ZIP_TAIL
                                                 : 0;
        ssize_t n = pread(fd, buf, SNIFF_ZIP_TAIL, from);
        found = n < 0 || sniff_zip_end_in(buf, (size_t)n);
    }
    free(buf);
    close(fd);
    return found;
}

void sniff_tail_keep(struct sniff_tail *t, const unsigned char *p, size_t n)
{
    if (!t->buf)
        return;
    if (n >= SNIFF_ZIP_TAIL) {
        memcpy(t->buf, p + n - SNIFF_ZIP_TAIL, SNIFF_ZIP_TAIL);
        t->len = SNIFF_ZIP_TAIL;
        return;
    }
    size_t keep = t->len + n > SNIFF_ZIP_TAIL ? SNIFF_ZIP_TAIL - n : t->len;
    memmove(t->buf, t->buf + t->len - keep, keep);
    memcpy(t->buf + keep, p, n);
    t->len = keep + n;
}

int sniff_is_zip(struct archive *a)
{
    return (archive_format(a) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_ZIP;
}

int sniff_is_tar(struct archive *a)
{
    return (archive_format(a) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_TAR;
}

int sniff_tar_end_missing(struct archive *a)
{
    return sniff_is_tar(a) &&
           archive_filter_bytes(a, 0) == archive_read_header_position(a);
}
