/*
 * test_walk.c - ingest/walk.c on archives and trees built here with
 * libarchive's write API in a temporary directory: every callback is
 * written to a log ("file", "skipped", "failed", with source, entry and
 * reason, the temporary directory shown as $T) and the log is compared
 * with the expected one as a whole.  Each file's bytes are read, hashed
 * with EVP here and compared with walk_input_finish()'s SHA-256.
 */
#define _XOPEN_SOURCE 700 /* mknod */
#include "check.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <openssl/evp.h>

#include "ingest/walk.h"

static char tmp[64]; /* the temporary directory */

/* ---- building archives ------------------------------------------------- */

enum etype { REG, DIR_, SYMLINK, HARDLINK, FIFO_, CHR_ };

struct ent {
    const char *name;
    enum etype type;
    const char *data; /* REG: the content; links: the target */
    size_t len;       /* REG: 0 means strlen(data) */
};

#define F(name, data) { name, REG, data, 0 }

static void write_entries(struct archive *a, const struct ent *e, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct archive_entry *ae = archive_entry_new();
        archive_entry_set_pathname(ae, e[i].name);
        archive_entry_set_mtime(ae, 1700000000, 0);
        size_t len = 0;
        switch (e[i].type) {
        case REG:
            len = e[i].len ? e[i].len : strlen(e[i].data);
            archive_entry_set_filetype(ae, AE_IFREG);
            archive_entry_set_perm(ae, 0644);
            archive_entry_set_size(ae, (la_int64_t)len);
            break;
        case DIR_:
            archive_entry_set_filetype(ae, AE_IFDIR);
            archive_entry_set_perm(ae, 0755);
            break;
        case SYMLINK:
            archive_entry_set_filetype(ae, AE_IFLNK);
            archive_entry_set_perm(ae, 0777);
            archive_entry_set_symlink(ae, e[i].data);
            break;
        case HARDLINK:
            archive_entry_set_filetype(ae, AE_IFREG);
            archive_entry_set_perm(ae, 0644);
            archive_entry_set_hardlink(ae, e[i].data);
            break;
        case FIFO_:
        case CHR_:
            archive_entry_set_filetype(ae, e[i].type == FIFO_ ? AE_IFIFO
                                                              : AE_IFCHR);
            archive_entry_set_perm(ae, 0644);
            break;
        }
        if (archive_write_header(a, ae) != ARCHIVE_OK)
            fprintf(stderr, "write_header %s: %s\n", e[i].name,
                    archive_error_string(a));
        if (len && archive_write_data(a, e[i].data, len) != (la_ssize_t)len)
            fprintf(stderr, "write_data %s: %s\n", e[i].name,
                    archive_error_string(a));
        archive_entry_free(ae);
    }
}

/* kind: "zip", "tar", "tgz", "txz", "tbz2", "zipcrypt" (encrypted),
 * "ustar" (names stored as raw bytes), "zipgz" (a zip, gzipped) or "gz"
 * (the one entry's data, gzipped). */
static struct archive *writer(const char *kind)
{
    struct archive *a = archive_write_new();
    if (strcmp(kind, "zipgz") == 0) {
        archive_write_set_format_zip(a);
        archive_write_add_filter_gzip(a);
    } else if (strncmp(kind, "zip", 3) == 0) {
        archive_write_set_format_zip(a);
        if (strcmp(kind, "zipcrypt") == 0) {
            if (archive_write_set_options(a, "zip:encryption=zipcrypt") !=
                    ARCHIVE_OK ||
                archive_write_set_passphrase(a, "secret") != ARCHIVE_OK)
                fprintf(stderr, "zipcrypt: %s\n", archive_error_string(a));
        }
    } else if (strcmp(kind, "ustar") == 0) {
        archive_write_set_format_ustar(a);
    } else if (strcmp(kind, "gz") == 0) {
        archive_write_set_format_raw(a); /* one file, gzipped: no tar */
        archive_write_add_filter_gzip(a);
    } else {
        archive_write_set_format_pax_restricted(a);
        if (strcmp(kind, "tgz") == 0)
            archive_write_add_filter_gzip(a);
        else if (strcmp(kind, "txz") == 0)
            archive_write_add_filter_xz(a);
        else if (strcmp(kind, "tbz2") == 0)
            archive_write_add_filter_bzip2(a);
    }
    return a;
}

static void make_file(const char *name, const char *kind, const struct ent *e,
                      size_t n)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", tmp, name);
    struct archive *a = writer(kind);
    if (archive_write_open_filename(a, path) != ARCHIVE_OK)
        fprintf(stderr, "open %s: %s\n", path, archive_error_string(a));
    write_entries(a, e, n);
    archive_write_close(a);
    archive_write_free(a);
}

/* An archive in memory, to put inside another; free() it. */
static char *make_mem(const char *kind, const struct ent *e, size_t n,
                      size_t *len)
{
    size_t cap = 1 << 20;
    char *buf = malloc(cap);
    struct archive *a = writer(kind);
    archive_write_set_bytes_in_last_block(a, 1);
    if (archive_write_open_memory(a, buf, cap, len) != ARCHIVE_OK)
        fprintf(stderr, "open memory: %s\n", archive_error_string(a));
    write_entries(a, e, n);
    archive_write_close(a);
    archive_write_free(a);
    return buf;
}

static void put_file(const char *name, const void *data, size_t len)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", tmp, name);
    FILE *f = fopen(path, "wb");
    fwrite(data, 1, len, f);
    fclose(f);
}

static void cut_file(const char *name, size_t keep_percent)
{
    char path[256];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", tmp, name);
    stat(path, &st);
    if (truncate(path, st.st_size * (off_t)keep_percent / 100) != 0)
        perror("truncate");
}

static uint32_t crc32_of(const void *data, size_t len)
{
    const unsigned char *p = data;
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < len; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = c & 1 ? (c >> 1) ^ 0xEDB88320u : c >> 1;
    }
    return ~c;
}

static size_t le(unsigned char *p, uint32_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        p[i] = (unsigned char)(v >> (8 * i));
    return (size_t)bytes;
}

/* A zip of one stored entry, written byte by byte, with the general purpose
 * flags given (0x800: the name is UTF-8, whatever it holds). */
static void put_zip1(const char *file, const char *name, unsigned flags,
                     const char *data)
{
    unsigned char b[4096];
    size_t o = 0, nl = strlen(name), dl = strlen(data);
    uint32_t crc = crc32_of(data, dl);
    o += le(b + o, 0x04034b50, 4);
    o += le(b + o, 20, 2);
    o += le(b + o, flags, 2);
    o += le(b + o, 0, 2); /* stored */
    o += le(b + o, 0, 4); /* time, date */
    o += le(b + o, crc, 4);
    o += le(b + o, (uint32_t)dl, 4);
    o += le(b + o, (uint32_t)dl, 4);
    o += le(b + o, (uint32_t)nl, 2);
    o += le(b + o, 0, 2);
    memcpy(b + o, name, nl);
    o += nl;
    memcpy(b + o, data, dl);
    o += dl;
    size_t cd = o;
    o += le(b + o, 0x02014b50, 4);
    o += le(b + o, 20, 2);
    o += le(b + o, 20, 2);
    o += le(b + o, flags, 2);
    o += le(b + o, 0, 2);
    o += le(b + o, 0, 4);
    o += le(b + o, crc, 4);
    o += le(b + o, (uint32_t)dl, 4);
    o += le(b + o, (uint32_t)dl, 4);
    o += le(b + o, (uint32_t)nl, 2);
    o += le(b + o, 0, 2); /* extra */
    o += le(b + o, 0, 2); /* comment */
    o += le(b + o, 0, 2); /* disk */
    o += le(b + o, 0, 2); /* internal attributes */
    o += le(b + o, 0, 4); /* external attributes */
    o += le(b + o, 0, 4); /* local header at 0 */
    memcpy(b + o, name, nl);
    o += nl;
    size_t cdlen = o - cd;
    o += le(b + o, 0x06054b50, 4);
    o += le(b + o, 0, 2);
    o += le(b + o, 0, 2);
    o += le(b + o, 1, 2);
    o += le(b + o, 1, 2);
    o += le(b + o, (uint32_t)cdlen, 4);
    o += le(b + o, (uint32_t)cd, 4);
    o += le(b + o, 0, 2);
    put_file(file, b, o);
}

/* ---- the log ------------------------------------------------------------ */

struct log {
    char *text;
    size_t len, cap;
    int read_none;    /* file(): do not read, do not finish */
    int read_some;    /* file(): read 10 bytes, do not finish */
    int stop_after;   /* file(): ask to stop after this many files */
    int files;
    size_t chunk;     /* bytes per walk_input_read */
};

static void log_add(struct log *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void log_add(struct log *l, const char *fmt, ...)
{
    char line[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    /* the temporary directory as $T */
    char out[2048];
    size_t o = 0, tl = strlen(tmp);
    for (const char *p = line; *p && o + 3 < sizeof out;) {
        if (strncmp(p, tmp, tl) == 0) {
            memcpy(out + o, "$T", 2);
            o += 2;
            p += tl;
        } else {
            out[o++] = *p++;
        }
    }
    out[o++] = '\n';
    out[o] = '\0';
    if (l->len + o + 1 > l->cap) {
        l->cap = (l->len + o + 1) * 2;
        l->text = realloc(l->text, l->cap);
    }
    memcpy(l->text + l->len, out, o + 1);
    l->len += o;
}

static int on_file(void *ctx, const struct walk_entry *e, struct walk_input *in)
{
    struct log *l = ctx;
    l->files++;
    if (l->read_none) {
        log_add(l, "file %s | %s | not read", e->source, e->entry);
        return 0;
    }
    char buf[70000];
    size_t got = 0;
    ssize_t n = 0;
    size_t chunk = l->chunk ? l->chunk : 4096;
    size_t want = l->read_some ? 10 : sizeof buf;
    while (got < want) {
        size_t ask = want - got < chunk ? want - got : chunk;
        n = walk_input_read(in, buf + got, ask);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    if (l->read_some) {
        log_add(l, "file %s | %s | read %zu", e->source, e->entry, got);
        return 0;
    }
    const char *err = n < 0 ? walk_input_error(in) : NULL;
    unsigned char sha[32], mine[32];
    uint64_t bytes = 0;
    int fin = walk_input_finish(in, sha, &bytes);
    unsigned int mdlen = 0;
    EVP_Digest(buf, got, mine, &mdlen, EVP_sha256(), NULL);
    int sha_ok = memcmp(sha, mine, 32) == 0 && bytes == got;
    char head[24];
    size_t hl = got < 16 ? got : 16;
    memcpy(head, buf, hl);
    head[hl] = '\0';
    for (size_t i = 0; i < hl; i++)
        if ((unsigned char)head[i] < 0x20 || (unsigned char)head[i] >= 0x7f)
            head[i] = '.';
    if (err)
        log_add(l, "file %s | %s | %zu bytes%s | error: %s (finish %d)",
                e->source, e->entry, got, sha_ok ? ", sha ok" : ", SHA WRONG",
                err, fin);
    else
        log_add(l, "file %s | %s | %zu bytes%s | %s%s", e->source, e->entry,
                got, sha_ok ? ", sha ok" : ", SHA WRONG", head,
                fin == 0 ? "" : " | FINISH FAILED");
    /* reads after finish give 0 */
    if (walk_input_read(in, buf, 1) != 0)
        log_add(l, "read after finish not 0");
    return l->stop_after && l->files >= l->stop_after;
}

static void on_skipped(void *ctx, const struct walk_entry *e, const char *why)
{
    log_add(ctx, "skipped %s | %s | %s", e->source, e->entry, why);
}

static void on_failed(void *ctx, const struct walk_entry *e, const char *why)
{
    log_add(ctx, "failed %s | %s | %s", e->source, e->entry, why);
}

static struct log lg;
static const struct walk_limits defaults = {
    WALK_DEFAULT_ENTRY_BYTES, WALK_DEFAULT_TOTAL_BYTES, WALK_DEFAULT_ENTRIES
};

/* Walk tmp/name; returns walk_path()'s code, the log in lg.text. */
static int walk(const char *name, const struct walk_limits *lim)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", tmp, name);
    lg.len = 0;
    lg.files = 0;
    if (lg.text)
        lg.text[0] = '\0';
    log_add(&lg, "walk %s", path);
    struct walk_handler h = { on_file, on_skipped, on_failed, &lg };
    return walk_path(path, lim ? lim : &defaults, &h);
}

/* ---- content ------------------------------------------------------------ */

static const char xml_a[] = "<kommunerapport>a</kommunerapport>\n";
static const char xml_b[] = "<kommunerapport>bb</kommunerapport>\n";
static char noise[3][60000]; /* incompressible, for truncation */

static void make_noise(void)
{
    uint32_t x = 2463534242u;
    for (int k = 0; k < 3; k++)
        for (size_t i = 0; i < sizeof noise[k]; i++) {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            noise[k][i] = (char)('A' + x % 26);
        }
}

/* ---- tests -------------------------------------------------------------- */

static const struct ent basic[] = {
    F("a.xml", xml_a),
    { "dir/", DIR_, NULL, 0 },
    F("dir/b.XML", xml_b),
    F("README.txt", "read me"),
};

static const char basic_log[] =
    "walk $T/%s\n"
    "file $T/%s | a.xml | 35 bytes, sha ok | <kommunerapport>\n"
    "skipped $T/%s | dir/ | folder\n"
    "file $T/%s | dir/b.XML | 36 bytes, sha ok | <kommunerapport>\n"
    "skipped $T/%s | README.txt | not a report\n";

static void test_formats(void)
{
    static const char *const kinds[][2] = {
        { "zip", "d.zip" }, { "tar", "d.tar" }, { "tgz", "d.tar.gz" },
        { "tgz", "d.TGZ" }, { "txz", "d.tar.xz" }, { "tbz2", "d.tar.bz2" },
    };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        make_file(kinds[i][1], kinds[i][0], basic, 4);
        CHECK_INT(walk(kinds[i][1], NULL), 0);
        char want[1024];
        const char *n = kinds[i][1];
        snprintf(want, sizeof want, basic_log, n, n, n, n, n);
        CHECK_STR(lg.text, want);
    }
    /* one byte per read */
    lg.chunk = 1;
    CHECK_INT(walk("d.tar.xz", NULL), 0);
    char want[1024];
    snprintf(want, sizeof want, basic_log, "d.tar.xz", "d.tar.xz", "d.tar.xz",
             "d.tar.xz", "d.tar.xz");
    CHECK_STR(lg.text, want);
    lg.chunk = 0;

    /* The SHA-256 of an entry is that of its bytes */
    unsigned char want_sha[32];
    unsigned int mdlen = 0;
    EVP_Digest(xml_b, strlen(xml_b), want_sha, &mdlen, EVP_sha256(), NULL);
    CHECK_INT(mdlen, 32);
}

/* walk_input_finish() without reading first: the SHA of the whole entry */
static unsigned char fin_sha[32];
static uint64_t fin_bytes;
static int finish_only(void *ctx, const struct walk_entry *e,
                       struct walk_input *in)
{
    (void)ctx;
    if (strcmp(e->entry, "dir/b.XML") == 0)
        walk_input_finish(in, fin_sha, &fin_bytes);
    return 0;
}

static void test_sha(void)
{
    struct walk_handler h = { finish_only, NULL, NULL, NULL };
    char path[256];
    snprintf(path, sizeof path, "%s/d.tar.bz2", tmp);
    CHECK_INT(walk_path(path, &defaults, &h), 0);
    unsigned char want[32];
    unsigned int mdlen = 0;
    EVP_Digest(xml_b, strlen(xml_b), want, &mdlen, EVP_sha256(), NULL);
    CHECK(memcmp(fin_sha, want, 32) == 0);
    CHECK_INT(fin_bytes, strlen(xml_b));
}

static void test_nested(void)
{
    size_t ilen;
    const struct ent inner_e[] = {
        F("x.xml", xml_a), F("sub/y.xml", xml_b), F("notes.pdf", "%PDF"),
    };
    char *inner = make_mem("zip", inner_e, 3, &ilen);
    size_t tlen;
    char *innertgz = make_mem("tgz", inner_e, 1, &tlen);
    const struct ent outer_e[] = {
        F("top.xml", xml_a),
        { "county/03.zip", REG, inner, ilen },
        { "county/11.tar.gz", REG, innertgz, tlen },
        F("last.xml", xml_b),
    };
    make_file("outer.zip", "zip", outer_e, 4);
    CHECK_INT(walk("outer.zip", NULL), 0);
    CHECK_STR(lg.text,
              "walk $T/outer.zip\n"
              "file $T/outer.zip | top.xml | 35 bytes, sha ok | "
              "<kommunerapport>\n"
              "file $T/outer.zip | county/03.zip!x.xml | 35 bytes, sha ok | "
              "<kommunerapport>\n"
              "file $T/outer.zip | county/03.zip!sub/y.xml | 36 bytes, sha ok "
              "| <kommunerapport>\n"
              "skipped $T/outer.zip | county/03.zip!notes.pdf | not a report\n"
              "file $T/outer.zip | county/11.tar.gz!x.xml | 35 bytes, sha ok | "
              "<kommunerapport>\n"
              "file $T/outer.zip | last.xml | 36 bytes, sha ok | "
              "<kommunerapport>\n");

    /* the same with a reader that leaves the files unread */
    lg.read_none = 1;
    CHECK_INT(walk("outer.zip", NULL), 0);
    CHECK_STR(lg.text,
              "walk $T/outer.zip\n"
              "file $T/outer.zip | top.xml | not read\n"
              "file $T/outer.zip | county/03.zip!x.xml | not read\n"
              "file $T/outer.zip | county/03.zip!sub/y.xml | not read\n"
              "skipped $T/outer.zip | county/03.zip!notes.pdf | not a report\n"
              "file $T/outer.zip | county/11.tar.gz!x.xml | not read\n"
              "file $T/outer.zip | last.xml | not read\n");
    lg.read_none = 0;
    lg.read_some = 1;
    CHECK_INT(walk("outer.zip", NULL), 0);
    CHECK(strstr(lg.text, "county/11.tar.gz!x.xml | read 10\n") != NULL);
    CHECK(strstr(lg.text, "last.xml | read 10\n") != NULL);
    lg.read_some = 0;

    /* a zip in a zip in a zip: the innermost is not opened */
    const struct ent deep_e[] = { F("z.xml", xml_a) };
    size_t dlen;
    char *deep = make_mem("zip", deep_e, 1, &dlen);
    const struct ent mid_e[] = {
        { "inner.zip", REG, deep, dlen }, F("m.xml", xml_b),
    };
    size_t mlen;
    char *mid = make_mem("zip", mid_e, 2, &mlen);
    const struct ent top_e[] = { { "mid.zip", REG, mid, mlen } };
    make_file("deep.zip", "zip", top_e, 1);
    CHECK_INT(walk("deep.zip", NULL), 0);
    CHECK_STR(lg.text,
              "walk $T/deep.zip\n"
              "failed $T/deep.zip | mid.zip!inner.zip | archive nested more "
              "than one level deep\n"
              "file $T/deep.zip | mid.zip!m.xml | 36 bytes, sha ok | "
              "<kommunerapport>\n");

    /* an inner "archive" that is none */
    const struct ent bad_e[] = { F("fake.tar.gz", "no archive at all"),
                                 F("ok.xml", xml_a) };
    make_file("badinner.tar", "tar", bad_e, 2);
    CHECK_INT(walk("badinner.tar", NULL), 0);
    CHECK_STR(lg.text,
              "walk $T/badinner.tar\n"
              "failed $T/badinner.tar | fake.tar.gz | not a supported archive "
              "(zip, tar, tar.gz, tar.xz, tar.bz2): Unrecognized archive "
              "format\n"
              "file $T/badinner.tar | ok.xml | 35 bytes, sha ok | "
              "<kommunerapport>\n");
    free(inner);
    free(innertgz);
    free(deep);
    free(mid);
}

static void test_links_and_litter(void)
{
    const struct ent links[] = {
        F("real.xml", xml_a),
        { "soft.xml", SYMLINK, "real.xml", 0 },
        { "hard.xml", HARDLINK, "real.xml", 0 },
        { "up.xml", SYMLINK, "../../etc/passwd", 0 },
    };
    make_file("links.tar", "tar", links, 4);
    CHECK_INT(walk("links.tar", NULL), 0);
    CHECK_STR(lg.text,
              "walk $T/links.tar\n"
              "file $T/links.tar | real.xml | 35 bytes, sha ok | "
              "<kommunerapport>\n"
              "failed $T/links.tar | soft.xml | link, not a regular file\n"
              "failed $T/links.tar | hard.xml | link, not a regular file\n"
              "failed $T/links.tar | up.xml | link, not a regular file\n");

    const struct ent litter[] = {
        { "__MACOSX/", DIR_, NULL, 0 },
        F("__MACOSX/x/._a.xml", "junk"),
        F("x/._b.xml", "junk"),
        F("x/.DS_Store", "junk"),
        F("x/Thumbs.db", "junk"),
        F("README.txt", "read me"),
        { "folder/", DIR_, NULL, 0 },
        F("folder/c.xml", xml_b),
        F("../escape.xml", xml_a),
        F("/abs/d.xml", xml_a),
    };
    make_file("litter.tgz", "tgz", litter, 10);
    CHECK_INT(walk("litter.tgz", NULL), 0);
    CHECK_STR(lg.text,
              "walk $T/litter.tgz\n"
              "skipped $T/litter.tgz | __MACOSX/ | system metadata, not a "
              "report\n"
              "skipped $T/litter.tgz | __MACOSX/x/._a.xml | system metadata, "
              "not a report\n"
              "skipped $T/litter.tgz | x/._b.xml | system metadata, not a "
              "report\n"
              "skipped $T/litter.tgz | x/.DS_Store | system metadata, not a "
              "report\n"
              "skipped $T/litter.tgz | x/Thumbs.db | system metadata, not a "
              "report\n"
              "skipped $T/litter.tgz | README.txt | not a report\n"
              "skipped $T/litter.tgz | folder/ | folder\n"
              "file $T/litter.tgz | folder/c.xml | 36 bytes, sha ok | "
              "<kommunerapport>\n"
              "file $T/litter.tgz | ../escape.xml | 35 bytes, sha ok | "
              "<kommunerapport>\n"
              "file $T/litter.tgz | /abs/d.xml | 35 bytes, sha ok | "
              "<kommunerapport>\n");
}

static void test_encrypted(void)
{
    const struct ent e[] = { F("secret.xml", xml_a), F("README.txt", "x") };
    make_file("crypt.zip", "zipcrypt", e, 2);
    CHECK_INT(walk("crypt.zip", NULL), 0);
    CHECK_STR(lg.text,
              "walk $T/crypt.zip\n"
              "failed $T/crypt.zip | secret.xml | encrypted entry\n"
              "failed $T/crypt.zip | README.txt | encrypted entry\n");
}

static void test_names(void)
{
    /* escaped by printable_dup(): tests/unit/test_printable.c has them all */
    const struct ent e[] = {
        F("bad\x01name\xff.xml", xml_a),
        F("Troms\xC3\xB8/\xE2\x80\xAE" "lmx.xml", xml_a), /* U+202E */
        F("J\xE2\x80\x8B" "a\\b\n.xml", xml_a), /* U+200B, \, LF */
    };
    make_file("names.tar", "ustar", e, 3);
    CHECK_INT(walk("names.tar", NULL), 0);
    CHECK_STR(lg.text,
              "walk $T/names.tar\n"
              "file $T/names.tar | bad\\x01name\\xFF.xml | 35 bytes, sha ok | "
              "<kommunerapport>\n"
              "file $T/names.tar | Troms\xC3\xB8/\\u202Elmx.xml | 35 "
              "bytes, sha ok | <kommunerapport>\n"
              "file $T/names.tar | J\\u200Ba\\\\b\\n.xml | 35 "
              "bytes, sha ok | <kommunerapport>\n");
}

static void test_truncated(void)
{
    const struct ent e[] = {
        { "a.xml", REG, noise[0], sizeof noise[0] },
        { "b.xml", REG, noise[1], sizeof noise[1] },
        { "c.xml", REG, noise[2], sizeof noise[2] },
    };
    make_file("cut.tar.gz", "tgz", e, 3);
    cut_file("cut.tar.gz", 50);
    CHECK_INT(walk("cut.tar.gz", NULL), 0);
    CHECK_STR(lg.text,
              "walk $T/cut.tar.gz\n"
              "file $T/cut.tar.gz | a.xml | 60000 bytes, sha ok | FIQAPWANHRDTMOWE\n"
              "file $T/cut.tar.gz | b.xml | 4096 bytes, sha ok | "
              "error: truncated archive: truncated gzip input (finish -1)\n"
              "failed $T/cut.tar.gz |  | truncated archive: truncated gzip "
              "input\n");

    /* seekable zip: no central directory, read as a stream */
    make_file("cut.zip", "zip", e, 3);
    cut_file("cut.zip", 50);
    CHECK_INT(walk("cut.zip", NULL), 0);
    CHECK_STR(lg.text,
              "walk $T/cut.zip\n"
              "file $T/cut.zip | a.xml | 60000 bytes, sha ok | FIQAPWANHRDTMOWE\n"
              "file $T/cut.zip | b.xml | 28672 bytes, sha ok | error: "
              "truncated archive: ZIP decompression failed (-5) (finish -1)\n"
              "failed $T/cut.zip |  | truncated archive: ZIP decompression "
              "failed (-5)\n");

    /* bzip2 decompresses a whole block to find the format: cut there, the
     * archive does not open */
    make_file("cut.tar.bz2", "tbz2", e, 3);
    cut_file("cut.tar.bz2", 50);
    CHECK_INT(walk("cut.tar.bz2", NULL), -1);
    CHECK_STR(lg.text,
              "walk $T/cut.tar.bz2\n"
              "failed $T/cut.tar.bz2 |  | truncated archive: truncated bzip2 "
              "input\n");

    make_file("cut.tar", "tar", e, 3);
    cut_file("cut.tar", 50);
    CHECK_INT(walk("cut.tar", NULL), 0);
    CHECK_STR(lg.text,
              "walk $T/cut.tar\n"
              "file $T/cut.tar | a.xml | 60000 bytes, sha ok | FIQAPWANHRDTMOWE\n"
              "file $T/cut.tar | b.xml | 28672 bytes, sha ok | error: "
              "truncated archive: Truncated tar archive (finish -1)\n"
              "failed $T/cut.tar |  | truncated archive: Truncated tar "
              "archive\n");

    /* cut between entries: the next header cannot be read */
    make_file("cut2.tar", "tar", e, 3);
    char path[256];
    snprintf(path, sizeof path, "%s/cut2.tar", tmp);
    CHECK_INT(truncate(path, 512 + 60416 + 100), 0);
    CHECK_INT(walk("cut2.tar", NULL), 0);
    CHECK_STR(lg.text,
              "walk $T/cut2.tar\n"
              "file $T/cut2.tar | a.xml | 60000 bytes, sha ok | FIQAPWANHRDTMOWE\n"
              "failed $T/cut2.tar |  | truncated archive: Truncated tar "
              "archive\n");

    /* a truncated archive inside an archive: the outer one goes on */
    size_t ilen;
    char *inner = make_mem("tgz", e, 3, &ilen);
    const struct ent outer_e[] = {
        { "in.tar.gz", REG, inner, ilen / 2 }, F("after.xml", xml_a),
    };
    make_file("outer-cut.zip", "zip", outer_e, 2);
    CHECK_INT(walk("outer-cut.zip", NULL), 0);
    CHECK_STR(lg.text,
              "walk $T/outer-cut.zip\n"
              "file $T/outer-cut.zip | in.tar.gz!a.xml | 60000 bytes, sha ok "
              "| FIQAPWANHRDTMOWE\n"
              "file $T/outer-cut.zip | in.tar.gz!b.xml | 4096 bytes, sha ok | "
              "error: truncated archive: truncated gzip input (finish -1)\n"
              "failed $T/outer-cut.zip | in.tar.gz | truncated archive: "
              "truncated gzip input\n"
              "file $T/outer-cut.zip | after.xml | 35 bytes, sha ok | "
              "<kommunerapport>\n");
    free(inner);
}

static void test_not_archives(void)
{
    put_file("notes.zip", "just text\n", 10);
    CHECK_INT(walk("notes.zip", NULL), -1);
    CHECK_STR(lg.text,
              "walk $T/notes.zip\n"
              "failed $T/notes.zip |  | not a supported archive (zip, tar, "
              "tar.gz, tar.xz, tar.bz2): Unrecognized archive format\n");

    put_file("x.rar", "Rar!\x1a\x07\x01\x00 more bytes here", 24);
    CHECK_INT(walk("x.rar", NULL), -1);
    CHECK_STR(lg.text,
              "walk $T/x.rar\n"
              "failed $T/x.rar |  | not a supported archive (zip, tar, "
              "tar.gz, tar.xz, tar.bz2): a RAR archive\n");

    put_file("empty.zip", "", 0);
    CHECK_INT(walk("empty.zip", NULL), -1);
    CHECK_STR(lg.text,
              "walk $T/empty.zip\n"
              "failed $T/empty.zip |  | not a supported archive (zip, tar, "
              "tar.gz, tar.xz, tar.bz2): an empty file (0 bytes)\n");

    CHECK_INT(walk("missing.zip", NULL), -1);
    CHECK_STR(lg.text,
              "walk $T/missing.zip\n"
              "failed $T/missing.zip |  | cannot open: No such file or "
              "directory\n");

    /* archives with no entries: set aside, a delivery that holds nothing
     * is not a good one */
    make_file("none.zip", "zip", NULL, 0);
    CHECK_INT(walk("none.zip", NULL), 0);
    CHECK_STR(lg.text, "walk $T/none.zip\n"
                       "failed $T/none.zip |  | empty archive: no entries\n");
    make_file("none.tar.gz", "tgz", NULL, 0);
    CHECK_INT(walk("none.tar.gz", NULL), 0);
    CHECK_STR(lg.text, "walk $T/none.tar.gz\n"
                       "failed $T/none.tar.gz |  | empty archive: no "
                       "entries\n");
}

static void test_caps(void)
{
    const struct ent e[] = {
        { "a.xml", REG, noise[0], 1000 },
        { "b.xml", REG, noise[1], 100 },
        F("c.txt", "x"),
        { "d.xml", REG, noise[2], 1000 },
    };
    make_file("caps.tar.gz", "tgz", e, 4);

    struct walk_limits lim = defaults;
    lim.entry_bytes = 500;
    CHECK_INT(walk("caps.tar.gz", &lim), 0);
    CHECK_STR(lg.text,
              "walk $T/caps.tar.gz\n"
              "file $T/caps.tar.gz | a.xml | 0 bytes, sha ok | error: entry "
              "larger than the cap of 500 bytes decompressed "
              "(--max-entry-bytes) (finish -1)\n"
              "file $T/caps.tar.gz | b.xml | 100 bytes, sha ok | "
              "YYXSRCEPXWAQOSRN\n"
              "skipped $T/caps.tar.gz | c.txt | not a report\n"
              "file $T/caps.tar.gz | d.xml | 0 bytes, sha ok | error: entry "
              "larger than the cap of 500 bytes decompressed "
              "(--max-entry-bytes) (finish -1)\n");

    /* the headers of a compressed tar count too (512 bytes each here):
     * a 1512, b 2124, c 2637 (drained), d's header 3149, its data no */
    lim = defaults;
    lim.total_bytes = 3700;
    CHECK_INT(walk("caps.tar.gz", &lim), 0);
    CHECK_STR(lg.text,
              "walk $T/caps.tar.gz\n"
              "file $T/caps.tar.gz | a.xml | 1000 bytes, sha ok | FIQAPWANHRDTMOWE\n"
              "file $T/caps.tar.gz | b.xml | 100 bytes, sha ok | YYXSRCEPXWAQOSRN\n"
              "skipped $T/caps.tar.gz | c.txt | not a report\n"
              "file $T/caps.tar.gz | d.xml | 0 bytes, sha ok | error: more "
              "than the cap of 3700 bytes decompressed from one archive "
              "(--max-total-bytes) (finish -1)\n"
              "failed $T/caps.tar.gz |  | more than the cap of 3700 bytes "
              "decompressed from one archive (--max-total-bytes)\n");
    lim.total_bytes = 3148;
    CHECK_INT(walk("caps.tar.gz", &lim), 0);
    CHECK_STR(lg.text,
              "walk $T/caps.tar.gz\n"
              "file $T/caps.tar.gz | a.xml | 1000 bytes, sha ok | FIQAPWANHRDTMOWE\n"
              "file $T/caps.tar.gz | b.xml | 100 bytes, sha ok | YYXSRCEPXWAQOSRN\n"
              "skipped $T/caps.tar.gz | c.txt | not a report\n"
              "failed $T/caps.tar.gz |  | more than the cap of 3148 bytes "
              "decompressed from one archive (--max-total-bytes)\n");

    lim = defaults;
    lim.entries = 2;
    CHECK_INT(walk("caps.tar.gz", &lim), 0);
    CHECK_STR(lg.text,
              "walk $T/caps.tar.gz\n"
              "file $T/caps.tar.gz | a.xml | 1000 bytes, sha ok | FIQAPWANHRDTMOWE\n"
              "file $T/caps.tar.gz | b.xml | 100 bytes, sha ok | YYXSRCEPXWAQOSRN\n"
              "failed $T/caps.tar.gz |  | more than the cap of 2 entries in "
              "one archive (--max-entries)\n");

    lim = defaults;
    lim.entry_bytes = 1 << 20;
    CHECK_INT(walk("caps.tar.gz", &lim), 0);
    CHECK(strstr(lg.text, "error") == NULL);

    /* A nested archive is an entry of its outer one: the cap applies to
     * the bytes pulled out of the outer archive: its first 32774 bytes (to
     * tell its format), then 64 KiB at a time.  Here the first 98310
     * bytes hold a.xml and 36864 bytes of b.xml; b.xml needs more than the
     * cap. */
    const struct ent big[] = {
        { "a.xml", REG, noise[0], sizeof noise[0] },
        { "b.xml", REG, noise[1], sizeof noise[1] },
        { "c.xml", REG, noise[2], sizeof noise[2] },
    };
    size_t ilen;
    char *inner = make_mem("tar", big, 3, &ilen);
    const struct ent outer_e[] = {
        { "in.tar", REG, inner, ilen }, F("after.xml", xml_a),
    };
    make_file("capnest.zip", "zip", outer_e, 2);
    lim = defaults;
    lim.entry_bytes = 100000;
    CHECK_INT(walk("capnest.zip", &lim), 0);
    CHECK_STR(lg.text,
              "walk $T/capnest.zip\n"
              "file $T/capnest.zip | in.tar!a.xml | 60000 bytes, sha ok | "
              "FIQAPWANHRDTMOWE\n"
              "file $T/capnest.zip | in.tar!b.xml | 36864 bytes, sha ok | "
              "error: nested archive larger than the cap of 100000 bytes "
              "decompressed (--max-entry-bytes) (finish -1)\n"
              "failed $T/capnest.zip | in.tar | nested archive larger than "
              "the cap of 100000 bytes decompressed (--max-entry-bytes)\n"
              "file $T/capnest.zip | after.xml | 35 bytes, sha ok | "
              "<kommunerapport>\n");

    /* the total counts the nested archive's bytes and its entries' */
    lim = defaults;
    lim.total_bytes = 200000;
    CHECK_INT(walk("capnest.zip", &lim), 0);
    CHECK_STR(lg.text,
              "walk $T/capnest.zip\n"
              "file $T/capnest.zip | in.tar!a.xml | 60000 bytes, sha ok | "
              "FIQAPWANHRDTMOWE\n"
              "file $T/capnest.zip | in.tar!b.xml | 36864 bytes, sha ok | "
              "error: more than the cap of 200000 bytes decompressed from one "
              "archive (--max-total-bytes) (finish -1)\n"
              "failed $T/capnest.zip |  | more than the cap of 200000 bytes "
              "decompressed from one archive (--max-total-bytes)\n");
    free(inner);
}

/* Archives made to mislead: cut where libarchive sees no cut, formats it
 * would take for something else, archives of nothing, names it cannot
 * convert. */
static void test_hostile(void)
{
    const struct ent e[] = {
        { "a.xml", REG, noise[0], sizeof noise[0] },
        { "b.xml", REG, noise[1], sizeof noise[1] },
    };
    /* a tar cut between its two entries: no end-of-archive blocks */
    make_file("between.tar", "ustar", e, 2);
    char path[256];
    snprintf(path, sizeof path, "%s/between.tar", tmp);
    CHECK_INT(truncate(path, 512 + 60416), 0);
    CHECK_INT(walk("between.tar", NULL), 0);
    CHECK_STR(lg.text,
              "walk $T/between.tar\n"
              "file $T/between.tar | a.xml | 60000 bytes, sha ok | "
              "FIQAPWANHRDTMOWE\n"
              "failed $T/between.tar |  | truncated archive: the tar stops "
              "between two entries, without its end-of-archive blocks\n");
    /* with one of its two zero blocks it is whole */
    make_file("oneblock.tar", "ustar", e, 1);
    snprintf(path, sizeof path, "%s/oneblock.tar", tmp);
    CHECK_INT(truncate(path, 512 + 60416 + 512), 0);
    CHECK_INT(walk("oneblock.tar", NULL), 0);
    CHECK_STR(lg.text, "walk $T/oneblock.tar\n"
                       "file $T/oneblock.tar | a.xml | 60000 bytes, sha ok | "
                       "FIQAPWANHRDTMOWE\n");
    /* cut inside the first header, or the gzip header: truncated, though
     * libarchive cannot tell the format */
    make_file("short.tar", "ustar", e, 1);
    snprintf(path, sizeof path, "%s/short.tar", tmp);
    CHECK_INT(truncate(path, 300), 0);
    CHECK_INT(walk("short.tar", NULL), -1);
    CHECK_STR(lg.text, "walk $T/short.tar\n"
                       "failed $T/short.tar |  | truncated archive: it stops "
                       "inside its first tar header\n");
    put_file("short.tar.gz", "\x1F\x8B\x08\0\0", 5);
    CHECK_INT(walk("short.tar.gz", NULL), -1);
    CHECK_STR(lg.text, "walk $T/short.tar.gz\n"
                       "failed $T/short.tar.gz |  | truncated archive: it "
                       "stops inside its gzip header\n");

    /* zero blocks read as an empty tar; an ISO 9660 image begins so */
    static char zeros[0x8800];
    put_file("zeros.zip", zeros, sizeof zeros);
    CHECK_INT(walk("zeros.zip", NULL), 0);
    CHECK_STR(lg.text, "walk $T/zeros.zip\n"
                       "failed $T/zeros.zip |  | empty archive: no entries\n");
    memcpy(zeros + 0x8000, "\x01" "CD001\x01", 7);
    put_file("iso.zip", zeros, sizeof zeros);
    CHECK_INT(walk("iso.zip", NULL), -1);
    CHECK_STR(lg.text, "walk $T/iso.zip\n"
                       "failed $T/iso.zip |  | not a supported archive (zip, "
                       "tar, tar.gz, tar.xz, tar.bz2): an ISO 9660 image\n");
    put_file("x.7z.zip", "7z\xBC\xAF\x27\x1C\0\x04 and more", 18);
    CHECK_INT(walk("x.7z.zip", NULL), -1);
    CHECK_STR(lg.text, "walk $T/x.7z.zip\n"
                       "failed $T/x.7z.zip |  | not a supported archive (zip, "
                       "tar, tar.gz, tar.xz, tar.bz2): a 7z archive\n");
    put_file("x.cab.zip", "MSCF\0\0\0\0 and more", 17);
    CHECK_INT(walk("x.cab.zip", NULL), -1);
    CHECK(strstr(lg.text, "a Microsoft cabinet (CAB)") != NULL);

    /* a tar whose first file is named like a RAR archive is a tar */
    const struct ent rar_named[] = { F("Rar!\x1A\x07.xml", xml_a) };
    make_file("rarname.tar", "ustar", rar_named, 1);
    CHECK_INT(walk("rarname.tar", NULL), 0);
    CHECK_STR(lg.text, "walk $T/rarname.tar\n"
                       "file $T/rarname.tar | Rar!\\x1A\\x07.xml | 35 bytes, "
                       "sha ok | <kommunerapport>\n");

    /* compressed, but no tar inside */
    const struct ent one[] = { F("a.xml", xml_a) };
    make_file("zip.tar.gz", "zipgz", one, 1);
    CHECK_INT(walk("zip.tar.gz", NULL), 0);
    CHECK_STR(lg.text, "walk $T/zip.tar.gz\n"
                       "failed $T/zip.tar.gz |  | not a supported archive "
                       "(zip, tar, tar.gz, tar.xz, tar.bz2): a zip inside "
                       "gzip compression\n");
    make_file("xml.tar.gz", "gz", one, 1);
    CHECK_INT(walk("xml.tar.gz", NULL), -1);
    CHECK_STR(lg.text, "walk $T/xml.tar.gz\n"
                       "failed $T/xml.tar.gz |  | not a supported archive "
                       "(zip, tar, tar.gz, tar.xz, tar.bz2): gzip-compressed, "
                       "but what it holds is not a tar archive\n");

    /* the same inside a zip, beside a report */
    size_t tlen;
    char *empty_tar = make_mem("tar", NULL, 0, &tlen);
    const struct ent outer[] = {
        { "iso.zip", REG, zeros, sizeof zeros },
        { "none.tar", REG, empty_tar, tlen },
        { "nothing.zip", REG, "", 0 },
        F("after.xml", xml_a),
    };
    make_file("outer.zip", "zip", outer, 4);
    CHECK_INT(walk("outer.zip", NULL), 0);
    CHECK_STR(lg.text,
              "walk $T/outer.zip\n"
              "failed $T/outer.zip | iso.zip | not a supported archive (zip, "
              "tar, tar.gz, tar.xz, tar.bz2): an ISO 9660 image\n"
              "failed $T/outer.zip | none.tar | empty archive: no entries\n"
              "failed $T/outer.zip | nothing.zip | not a supported archive "
              "(zip, tar, tar.gz, tar.xz, tar.bz2): an empty file (0 bytes)\n"
              "file $T/outer.zip | after.xml | 35 bytes, sha ok | "
              "<kommunerapport>\n");
    free(empty_tar);

    /* names flagged UTF-8: read though is248 runs in the C locale; one
     * that is not UTF-8 is set aside under its number */
    put_zip1("utf8.zip", "Troms\xC3\xB8.xml", 0x800, xml_a);
    CHECK_INT(walk("utf8.zip", NULL), 0);
    CHECK_STR(lg.text, "walk $T/utf8.zip\n"
                       "file $T/utf8.zip | Troms\xC3\xB8.xml | 35 bytes, sha "
                       "ok | <kommunerapport>\n");
    put_zip1("notutf8.zip", "bad\xFF.xml", 0x800, xml_a);
    CHECK_INT(walk("notutf8.zip", NULL), 0);
    CHECK_STR(lg.text, "walk $T/notutf8.zip\n"
                       "failed $T/notutf8.zip | #1 | its name is not valid "
                       "UTF-8, though the archive says it is\n");
    put_zip1("raw.zip", "bad\xFF.xml", 0, xml_a);
    CHECK_INT(walk("raw.zip", NULL), 0);
    CHECK_STR(lg.text, "walk $T/raw.zip\n"
                       "file $T/raw.zip | bad\\xFF.xml | 35 bytes, sha ok | "
                       "<kommunerapport>\n");
}

static void test_tree(void)
{
    char path[512];
    static const char *const dirs[] = { "tree", "tree/b", "tree/a",
                                        "tree/a/sub", "tree/__MACOSX" };
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", tmp, dirs[i]);
        mkdir(path, 0755);
    }
    put_file("tree/b/2.xml", xml_b, strlen(xml_b));
    put_file("tree/a/1.xml", xml_a, strlen(xml_a));
    put_file("tree/a/sub/0.XML", xml_a, strlen(xml_a));
    put_file("tree/c.xml", xml_b, strlen(xml_b));
    put_file("tree/README.txt", "x", 1);
    put_file("tree/.DS_Store", "x", 1);
    put_file("tree/__MACOSX/._c.xml", "x", 1);
    put_file("tree/notes.zip", "not a zip", 9);
    const struct ent z[] = { F("in.xml", xml_a) };
    make_file("tree/a/d.zip", "zip", z, 1);
    char target[512];
    snprintf(path, sizeof path, "%s/tree/link.xml", tmp);
    snprintf(target, sizeof target, "%s/tree/c.xml", tmp);
    symlink(target, path);
    snprintf(path, sizeof path, "%s/tree/linkdir", tmp);
    snprintf(target, sizeof target, "%s/tree/a", tmp);
    symlink(target, path);

    CHECK_INT(walk("tree", NULL), 0);
    CHECK_STR(lg.text,
              "walk $T/tree\n"
              "skipped $T/tree/.DS_Store |  | system metadata, not a report\n"
              "skipped $T/tree/README.txt |  | not a report\n"
              "skipped $T/tree/__MACOSX |  | system metadata, not a report\n"
              "file $T/tree/a/1.xml |  | 35 bytes, sha ok | "
              "<kommunerapport>\n"
              "file $T/tree/a/d.zip | in.xml | 35 bytes, sha ok | "
              "<kommunerapport>\n"
              "file $T/tree/a/sub/0.XML |  | 35 bytes, sha ok | "
              "<kommunerapport>\n"
              "file $T/tree/b/2.xml |  | 36 bytes, sha ok | "
              "<kommunerapport>\n"
              "file $T/tree/c.xml |  | 36 bytes, sha ok | "
              "<kommunerapport>\n"
              "failed $T/tree/link.xml |  | symbolic link, not a regular "
              "file\n"
              "failed $T/tree/linkdir |  | symbolic link, not a regular file\n"
              "failed $T/tree/notes.zip |  | not a supported archive (zip, "
              "tar, tar.gz, tar.xz, tar.bz2): Unrecognized archive format\n");

    /* a plain file given, and a link given: followed */
    CHECK_INT(walk("tree/c.xml", NULL), 0);
    CHECK_STR(lg.text, "walk $T/tree/c.xml\n"
                       "file $T/tree/c.xml |  | 36 bytes, sha ok | "
                       "<kommunerapport>\n");
    CHECK_INT(walk("tree/link.xml", NULL), 0);
    CHECK(strstr(lg.text, "file $T/tree/link.xml |  | 36 bytes, sha ok") !=
          NULL);

    /* the callback asks to stop */
    lg.stop_after = 2;
    CHECK_INT(walk("tree", NULL), 1);
    CHECK_INT(lg.files, 2);
    CHECK(strstr(lg.text, "b/2.xml") == NULL);
    lg.stop_after = 0;
}

/*
 * FIFOs, sockets and devices: one named like a report or an archive is a
 * report file that cannot be read (failed); any other is not a report
 * (skipped), and is never opened: opening the FIFO would wait for a
 * writer, which alarm() turns into a failure of this test.
 */
static void test_special(void)
{
    char path[512];
    snprintf(path, sizeof path, "%s/special", tmp);
    mkdir(path, 0755);
    put_file("special/r.xml", xml_a, strlen(xml_a));
    static const char *const fifos[] = { "notes.txt", "x.xml", "y.zip",
                                         "zz" };
    for (size_t i = 0; i < sizeof fifos / sizeof fifos[0]; i++) {
        snprintf(path, sizeof path, "%s/special/%s", tmp, fifos[i]);
        CHECK(mkfifo(path, 0644) == 0);
    }
    /* a socket bound to a name in the directory */
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s/special/sock", tmp);
    int sock = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK(sock >= 0 && bind(sock, (struct sockaddr *)&sa, sizeof sa) == 0);
    /* a device node of our own, where we may make one (root) */
    snprintf(path, sizeof path, "%s/special/tty", tmp);
    int dev = mknod(path, S_IFCHR | 0600, makedev(1, 3)) == 0;

    alarm(20);
    CHECK_INT(walk("special", NULL), 0);
    alarm(0);
    char want[2048];
    snprintf(want, sizeof want,
             "walk $T/special\n"
             "skipped $T/special/notes.txt |  | not a report (a FIFO)\n"
             "file $T/special/r.xml |  | 35 bytes, sha ok | "
             "<kommunerapport>\n"
             "skipped $T/special/sock |  | not a report (a socket)\n"
             "%s"
             "failed $T/special/x.xml |  | not a regular file\n"
             "failed $T/special/y.zip |  | not a regular file\n"
             "skipped $T/special/zz |  | not a report (a FIFO)\n",
             dev ? "skipped $T/special/tty |  | not a report (a character "
                   "device)\n"
                 : "");
    CHECK_STR(lg.text, want);
    if (sock >= 0)
        close(sock);

    /* the same inside an archive */
    const struct ent e[] = {
        { "notes.txt", FIFO_, NULL, 0 },
        { "d/fifo.xml", FIFO_, NULL, 0 },
        { "d/tty", CHR_, NULL, 0 },
        { "d/tty.tgz", CHR_, NULL, 0 },
        F("r.xml", xml_a),
    };
    make_file("special.tar", "tar", e, 5);
    CHECK_INT(walk("special.tar", NULL), 0);
    CHECK_STR(lg.text,
              "walk $T/special.tar\n"
              "skipped $T/special.tar | notes.txt | not a report (a FIFO)\n"
              "failed $T/special.tar | d/fifo.xml | not a regular file\n"
              "skipped $T/special.tar | d/tty | not a report (a character "
              "device)\n"
              "failed $T/special.tar | d/tty.tgz | not a regular file\n"
              "file $T/special.tar | r.xml | 35 bytes, sha ok | "
              "<kommunerapport>\n");
}

static void rm_rf(const char *path)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", path);
}

int main(void)
{
    snprintf(tmp, sizeof tmp, "/tmp/test_walk_XXXXXX");
    if (!mkdtemp(tmp)) {
        perror("mkdtemp");
        return 1;
    }
    make_noise();
    test_formats();
    test_sha();
    test_nested();
    test_links_and_litter();
    test_encrypted();
    test_names();
    test_truncated();
    test_not_archives();
    test_caps();
    test_hostile();
    test_tree();
    test_special();
    free(lg.text);
    rm_rf(tmp);
    return check_done();
}
