/*
 * sniff.h - what a file or an archive entry is, told before anything reads
 * it: by its name (a report, an archive, what operating systems leave
 * behind, a FIFO or device that is not a report), by its first bytes (the
 * formats is248 does not read, and archives cut inside their first
 * header), and by its last bytes (a zip's end-of-central-directory record,
 * a tar's end-of-archive blocks).  walk.c asks; nothing here reads a file
 * but sniff_zip_file_has_end(), and nothing allocates but that one.
 *
 * Every function works on memory the caller owns.  The reasons returned
 * are static strings.
 */
#ifndef IS248_INGEST_SNIFF_H
#define IS248_INGEST_SNIFF_H

#include <stddef.h>
#include <sys/types.h>

struct archive;

/* The first bytes looked at: enough to see ISO 9660's first volume
 * descriptor at 0x8001. */
#define SNIFF_HEAD_BYTES (0x8001 + 5)

/* A zip's end-of-central-directory record ("PK\5\6", 22 bytes and a
 * comment of up to 65535) lies within its last SNIFF_ZIP_TAIL bytes. */
#define SNIFF_ZIP_TAIL (65535 + 22)

/* Reasons, as walk.h's failed() gives them. */
#define SNIFF_UNSUPPORTED "not a supported archive (zip, tar, tar.gz, " \
                          "tar.xz, tar.bz2)"
#define SNIFF_EMPTY_FILE SNIFF_UNSUPPORTED ": an empty file (0 bytes)"
extern const char SNIFF_EMPTY[];    /* an archive of no entries */
extern const char SNIFF_ZIP_CUT[];  /* a zip without its end record */
extern const char SNIFF_TAR_CUT[];  /* a tar without its end blocks */

/* --- names -------------------------------------------------------------- */

/* The last component of path ends in ".xml" (any case). */
int sniff_is_xml_name(const char *path);

/* ... in ".zip", ".tar", ".tgz", ".tar.gz", ".tar.xz", ".txz", ".tar.bz2"
 * or ".tbz2" (any case). */
int sniff_is_archive_name(const char *path);

/* What operating systems leave behind: a __MACOSX/ component, ._*,
 * .DS_Store, Thumbs.db. */
int sniff_is_os_litter(const char *path);

/*
 * Why a file that is not a regular file (a FIFO, socket or device; links
 * are told apart before) is skipped, by its name: NULL for one named like
 * a report or an archive (a report file that cannot be read: it fails),
 * else "not a report (a FIFO)" and the like: skipped without being opened
 * (opening a FIFO would wait for a writer).  mode is stat's or
 * libarchive's (AE_IF* are the S_IF* values).
 */
const char *sniff_special_skip_why(const char *name, mode_t mode);

/* --- first bytes -------------------------------------------------------- */

/*
 * A format is248 does not read, told by its signature in the first n bytes
 * (p[0, n), n up to SNIFF_HEAD_BYTES), so that the answer names what the
 * file is rather than what libarchive makes of it: its tar reader takes
 * anything that begins with 512 zero bytes for an empty tar, an ISO 9660
 * image among them.  "a RAR archive", "an ISO 9660 image", ...; NULL when
 * none is seen, and always for a tar header with a good checksum.
 */
const char *sniff_foreign_format(const unsigned char *p, size_t n);

/* A whole file of n bytes too short for libarchive to tell its format, but
 * the start of one it reads: "truncated archive: ...", or NULL. */
const char *sniff_cut_short(const unsigned char *p, size_t n);

/* The compression the first bytes announce ("gzip", "xz", "bzip2"), or
 * NULL. */
const char *sniff_compression(const unsigned char *p, size_t n);

/* --- end records -------------------------------------------------------- */

/*
 * A zip ends in its end-of-central-directory record.  Without it
 * libarchive falls back to reading the zip as a stream and stops quietly
 * where the central directory was cut: the entries read may be whole, but
 * the archive is not.  sniff_zip_end_in() looks for the record in the last
 * n bytes of an archive; sniff_zip_file_has_end() in the file at path (1
 * when it cannot tell: the file cannot be opened or memory runs out).
 */
int sniff_zip_end_in(const unsigned char *tail, size_t n);
int sniff_zip_file_has_end(const char *path);

/* The last SNIFF_ZIP_TAIL bytes that passed, kept for sniff_zip_end_in().
 * buf is the caller's, SNIFF_ZIP_TAIL bytes or NULL (nothing is kept). */
struct sniff_tail {
    unsigned char *buf;
    size_t len;
};
void sniff_tail_keep(struct sniff_tail *t, const unsigned char *p, size_t n);

/* The format libarchive is reading a (after its first header). */
int sniff_is_zip(struct archive *a);
int sniff_is_tar(struct archive *a);

/*
 * A tar ends in two blocks of 512 zero bytes.  libarchive takes a tar that
 * stops at the boundary between two entries, without them, for a whole one
 * ("some writers omit the block of nulls"); but that is exactly what a tar
 * cut off between two entries looks like, and the entries after the cut
 * are lost without a word.  So a tar must end in at least one zero block:
 * at ARCHIVE_EOF libarchive has then consumed it, past the position where
 * it looked for the next header.  Ask at ARCHIVE_EOF: 1 when a is a tar
 * that did not.
 */
int sniff_tar_end_missing(struct archive *a);

#endif
