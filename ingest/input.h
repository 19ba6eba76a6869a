/*
 * input.h - the metered, hashed input of the walk: the caps one source may
 * use up (struct walk_meter) and the bytes of one report file (struct
 * walk_input, whose face to callers is walk_input_read(),
 * walk_input_error() and walk_input_finish() in walk.h).  Internal to
 * ingest/: walk.c and arc.c make and use these, nothing else does.
 *
 * Every byte handed out passes through a walk_input, which counts the bytes
 * really decompressed (header sizes are never trusted), holds them against
 * the caps of its meter, and feeds the SHA-256.  The raw bytes come from a
 * file descriptor or from a source function (an archive entry: arc.h).
 *
 * Ownership: a meter owns its over_why, an input its error; an input does
 * not own the meter, the EVP context or the drain buffer it is given (the
 * walker's, used for one file after another).
 */
#ifndef IS248_INGEST_INPUT_H
#define IS248_INGEST_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <openssl/evp.h>

#include "walk.h"

/* Bytes read at a time: libarchive's block, the drain buffer. */
#define INPUT_BLOCK (64 * 1024)

/* The caps of one source (the path given, or a file met in a directory,
 * with the archives inside it) and what it has used of them. */
struct walk_meter {
    struct walk_limits lim;
    uint64_t total;         /* bytes decompressed from the source */
    uint64_t entries;       /* entries read from it */
    int over;               /* a cap of the source was reached */
    char *over_why;         /* which one (NULL: out of memory) */
};

/* A new source: nothing used, no cap reached (the limits stay). */
void meter_begin(struct walk_meter *m);

/* Free over_why.  Can't fail. */
void meter_free(struct walk_meter *m);

/* Mark the source over a cap; why is a malloc'd reason the meter takes
 * (NULL: out of memory).  The first reason given stays. */
void meter_set_over(struct walk_meter *m, char *why);

/* Why the source is over a cap; "out of memory" when no reason could be
 * made.  Owned by the meter. */
const char *meter_over_why(const struct walk_meter *m);

/* Count n more bytes decompressed from the source: 0, or -1 (and the
 * source is over) when that passes the cap on the total. */
int meter_count(struct walk_meter *m, uint64_t n);

/* Count one more entry read: 0, or -1 (and the source is over) when the
 * cap on entries was reached already. */
int meter_count_entry(struct walk_meter *m);

/* Whether n more bytes of one entry, after had bytes, stay within the cap
 * on an entry; and, when they do not, the reason in a new string (NULL:
 * out of memory), for an entry or for a nested archive. */
int meter_entry_fits(const struct walk_meter *m, uint64_t had, uint64_t n);
char *meter_entry_cap_why(const struct walk_meter *m, int nested);

/* Raw bytes of a report file: the count, 0 at the end, or -1 with *why a
 * reason in a new string (NULL: out of memory). */
typedef ssize_t (*input_source_fn)(void *src, void *buf, size_t len,
                                   char **why);

enum input_state { IN_OPEN, IN_END, IN_ERROR };

struct walk_input {
    struct walk_meter *meter;
    EVP_MD_CTX *md;         /* the SHA-256 of the bytes handed out */
    unsigned char *drain;   /* INPUT_BLOCK bytes, for walk_input_finish() */
    int fd;                 /* a file on disk, or -1 ... */
    input_source_fn read;   /* ... and then the bytes come from here */
    void *src;
    enum input_state state;
    int finished;           /* walk_input_finish() was called */
    uint64_t bytes;         /* handed out so far */
    char *error;            /* IN_ERROR: why (NULL: out of memory) */
    unsigned char sha[32];
};

/* Begin an input on a file descriptor (the caller closes it), or on a
 * source function.  Starts the SHA-256 on md.  Can't fail. */
void input_init_fd(struct walk_input *in, struct walk_meter *m,
                   EVP_MD_CTX *md, unsigned char *drain, int fd);
void input_init_source(struct walk_input *in, struct walk_meter *m,
                       EVP_MD_CTX *md, unsigned char *drain,
                       input_source_fn read, void *src);

/* The input was read to its end without an error. */
int input_at_end(const struct walk_input *in);

/* Free what the input holds (its error).  Can't fail. */
void input_release(struct walk_input *in);

#endif
