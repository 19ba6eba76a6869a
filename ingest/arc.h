/*
 * arc.h - one archive being read through libarchive, for walk.c: opened
 * for the formats deliveries use (zip and tar, tar compressed with gzip,
 * xz, lzma or bzip2), the data of its current entry read with libarchive's
 * graded returns told apart, the reason it died said plainly, and the
 * archive nested in an entry of another read straight out of that entry's
 * data (struct arc_nested), with its first bytes pulled before libarchive
 * opens it, so that sniff.h can look at them.  Internal to ingest/.
 *
 * Errors: a fatal error (ARCHIVE_FATAL, or ARCHIVE_RETRY too often) kills
 * the archive (arc_kill(): dead, with why); nothing more is read from it.
 * An entry's own trouble (ARCHIVE_WARN, ARCHIVE_FAILED) fails that entry
 * only.  Bytes pulled out of an outer archive for a nested one count
 * against the caps of the meter (input.h) as they are pulled.
 *
 * Ownership: struct arc owns its why and, once walk.c has made it, its
 * struct archive (archive_read_free()); struct arc_nested owns its buffers
 * and its why (arc_nested_free()), not the outer archive or the meter.
 */
#ifndef IS248_INGEST_ARC_H
#define IS248_INGEST_ARC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <archive.h>

#include "input.h"
#include "sniff.h"

/* ARCHIVE_RETRY tolerated in a row before an archive is given up. */
#define ARC_RETRIES 8

/* An archive being read: on disk, or nested in another one. */
struct arc {
    struct archive *a;
    const char *label;      /* "" on disk, else the outer entry's label */
    int compressed;         /* a compression filter: skipping costs work */
    uint64_t file_size;     /* on disk: to tell a truncated archive */
    struct arc_nested *ns;  /* nested: where its bytes come from */
    int dead;               /* a fatal error: nothing more can be read */
    char *why;              /* why it died (NULL: out of memory) */
    uint64_t entries;       /* headers read from it */
};

/* The source of a nested archive: the data of an entry of the outer one. */
struct arc_nested {
    struct walk_meter *meter;
    struct arc *outer;
    uint64_t bytes;         /* pulled from the outer entry */
    int eof, failed;
    char *why;              /* why the bytes stopped */
    unsigned char *buf;     /* INPUT_BLOCK bytes */
    struct sniff_tail tail; /* the last bytes pulled, for a zip's end */
    unsigned char *head;    /* the first SNIFF_HEAD_BYTES, pulled before
                             * the archive is opened, to tell its format */
    size_t head_len;
    int head_given;         /* handed to libarchive already */
};

/* A reader for the formats deliveries use; NULL when out of memory. */
struct archive *arc_new(void);

/*
 * archive_error_string(a) on one line, for a reason: libarchive's messages
 * may end in a line break or carry bytes of the archive.  Trailing white
 * space goes; the rest is escaped by printable_copy().  NULL when there is
 * no message.  The buffer is the thread's, reused by the next call.
 */
const char *arc_msg(struct archive *a);

/* Whether libarchive's message msg (NULL: none) holds word, ASCII case
 * ignored. */
int arc_says(const char *msg, const char *word);

/* A fatal error of c: dead from now on, with the reason (truncated or
 * damaged, and libarchive's words).  Does nothing to one dead already. */
void arc_kill(struct arc *c);

/* An input_source_fn (input.h) over the current entry of the struct arc
 * at c: its data, the count, 0 at its end, -1 with *why. */
ssize_t arc_entry_read(void *c, void *buf, size_t len, char **why);

/* After an entry: read what the caller left of it, where skipping would
 * decompress it anyway (a compressed or a nested archive), so that those
 * bytes count against the meter's cap.  Can't fail (a fatal error kills
 * c). */
void arc_drain(struct arc *c, struct walk_meter *m);

/* Why an archive could not be opened, libarchive's reason said plainly,
 * in a new string (NULL: out of memory).  head: its first n bytes. */
char *arc_open_failed_why(struct archive *a, const unsigned char *head,
                          size_t n);

/* --- nested archives ---------------------------------------------------- */

/* Buffers for reading a nested archive out of outer's current entry: 0, or
 * -1 when out of memory (ns then holds nothing).  Without room for the
 * tail, the zip end check is skipped (tail.buf NULL). */
int arc_nested_init(struct arc_nested *ns, struct walk_meter *m,
                    struct arc *outer);
void arc_nested_free(struct arc_nested *ns);

/* Pull the first SNIFF_HEAD_BYTES of the entry (fewer if it is shorter or
 * its bytes stop) into head, before libarchive sees them. */
void arc_nested_prefetch(struct arc_nested *ns);

/* Open inner->a on ns: first what arc_nested_prefetch() took, then the
 * rest as it comes.  archive_read_open()'s answer. */
int arc_nested_open(struct arc *inner, struct arc_nested *ns);

/* Pull the rest of the entry through inner (for the zip's end record). */
void arc_nested_read_to_end(struct arc_nested *ns, struct archive *inner);

#endif
