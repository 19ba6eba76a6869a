/*
 * walk.h - find the report files in a path: an XML file, a directory, or an
 * archive (zip, tar, tar.gz/tgz, tar.xz, tar.bz2), with archives inside an
 * archive one level deep.  Nothing is ever extracted to disk: each report file
 * is handed to the caller as a byte stream straight out of libarchive.
 *
 * The walker calls back for every entry it meets, in the order met
 * (directories in sorted order):
 *   - file():    a report file (a regular file or entry whose name ends in
 *                ".xml", any case).  The callback reads it through
 *                walk_input_read() as far as it likes, then calls
 *                walk_input_finish() for the SHA-256 of all of its bytes.
 *   - skipped(): an entry that is not a report (README.txt, folders,
 *                __MACOSX/, a FIFO, socket or device not named like a
 *                report or an archive, ...), with the reason.  Nothing is
 *                wrong, and nothing skipped is opened.
 *   - failed():  an entry or a whole archive that cannot be read (truncated,
 *                encrypted, a link, a FIFO or device named like a report or
 *                an archive, too large, nested too deep, not an archive, an
 *                archive of no entries), with the reason.  The walk goes on
 *                with the next entry where it can.
 *
 * Formats: libarchive reads zip and tar only, tar compressed with gzip, xz,
 * lzma or bzip2.  Formats it would otherwise guess at are told by their
 * signatures first and set aside by name ("not a supported archive (...):
 * an ISO 9660 image", RAR, 7z, CAB, ...): an ISO image begins with zero
 * blocks, which libarchive's tar reader takes for an empty tar.  A zip
 * inside gzip is not read either.  An archive with no entries at all is set
 * aside ("empty archive: no entries"), and so is an empty file.  A tar must
 * end in its end-of-archive block: one cut between two entries is
 * truncated, though libarchive takes it for whole.  Archives inside an
 * archive are read one level deep; one deeper is set aside unread ("archive
 * nested more than one level deep"), however deep the nesting goes.
 *
 * Names: entry names are labels for messages only: never paths, nothing is
 * written.  They arrive converted to UTF-8 where the archive says how (read
 * with LC_CTYPE C.UTF-8 for the walking thread, whatever the process's
 * locale), and escaped by printable_dup() (printable.h: controls, bytes
 * that are not UTF-8, invisible and bidirectional characters, backslashes),
 * so they are safe to print and to store.  An entry whose name libarchive
 * cannot give at all (flagged UTF-8 but not UTF-8) is set aside under its
 * number in the archive, "#7".  The same goes for walk_entry.source (the
 * path is opened as given, the label is escaped).  Directories are walked
 * in byte order of the names (strcmp, not the locale); symbolic links met
 * in a directory are not followed (failed: "symbolic link, not a regular
 * file"); a path given is followed.  Links inside archives are set aside
 * ("link, not a regular file"), never followed.
 *
 * Failures are reported once each: a read error returned to file() (through
 * walk_input_read() or walk_input_finish()) is the callback's to report.
 * When an archive cannot be read to its end (truncated, damaged, a cap of
 * walk_limits reached), failed() is called for the archive as well (entry ""
 * for the archive on disk, "inner.zip" for a nested one), since whatever
 * came after the break was never seen.
 */
#ifndef IS248_INGEST_WALK_H
#define IS248_INGEST_WALK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * Caps on what one delivery may make us decompress.  0 means no cap.
 * "One top-level path" is one file on disk: the path given, or each file met
 * while walking a directory, with the archives inside it.  Bytes pulled out
 * of an outer archive to read a nested one count towards total_bytes as
 * well as the bytes of the nested archive's entries, and so do the bytes of
 * entries that are not reports where skipping them means decompressing
 * them (compressed tar, nested archives), and the headers of a compressed
 * tar (a pax header may hold 1 MiB).  The holes of a sparse entry that is
 * skipped are not bytes decompressed; those of a report read are.
 */
struct walk_limits {
    uint64_t entry_bytes;     /* bytes decompressed from one entry (a nested
                               * archive is an entry of its outer one) */
    uint64_t total_bytes;     /* bytes decompressed from one top-level path */
    uint64_t entries;         /* entries read from one top-level path */
};

/* The defaults documented in the README and in "is248 --help". */
#define WALK_DEFAULT_ENTRY_BYTES (512ULL << 20)   /* 512 MiB */
#define WALK_DEFAULT_TOTAL_BYTES (64ULL << 30)    /* 64 GiB */
#define WALK_DEFAULT_ENTRIES 10000000ULL

struct walk_entry {
    const char *source; /* the path as given: the archive, or the file */
    const char *entry;  /* path inside the archive; for an archive inside an
                         * archive "outer.zip/inner.zip!dir/x.xml" is given as
                         * "inner.zip!dir/x.xml" relative to source; "" for a
                         * plain file */
    uint64_t source_read; /* bytes of source (the file on disk) read so far,
                           * for progress: compressed bytes of an archive;
                           * 0 for a plain file */
};

struct walk_input; /* opaque: the bytes of one report file */

/*
 * Read up to len bytes.  Returns the number of bytes read, 0 at the end,
 * -1 on error (walk_input_error() says why: a truncated archive, a cap
 * exceeded, an I/O error).
 */
ssize_t walk_input_read(struct walk_input *in, void *buf, size_t len);

/* Why the last read failed, or NULL.  Owned by the input. */
const char *walk_input_error(const struct walk_input *in);

/*
 * Read the rest of the input (discarding it) and give the SHA-256 of all of
 * the file's bytes and their number.  Returns 0, or -1 when the rest could
 * not be read (walk_input_error() says why; sha256 and bytes then cover what
 * was read).  Can be called once; reads after it return 0.
 */
int walk_input_finish(struct walk_input *in, unsigned char sha256[32],
                      uint64_t *bytes);

struct walk_handler {
    /* Return 0 to go on, non-zero to stop the whole walk (e.g. on SIGTERM). */
    int (*file)(void *ctx, const struct walk_entry *e, struct walk_input *in);
    void (*skipped)(void *ctx, const struct walk_entry *e, const char *why);
    void (*failed)(void *ctx, const struct walk_entry *e, const char *why);
    void *ctx;
};

/*
 * Walk one path.  Returns 0 when the walk reached its end (failures of
 * entries are reported through failed() and do not count), 1 when a
 * callback asked to stop, -1 when the path itself cannot be opened (also
 * reported through failed()), which includes a path given that is not a
 * supported archive.  lim NULL means the defaults above.
 */
int walk_path(const char *path, const struct walk_limits *lim,
              const struct walk_handler *h);

#endif
