/*
 * batch.h - the files of one batch as the reading thread collects them:
 * their names, bytes, stage rows (load/stage.h) and the problems to tell,
 * in the order the walk met them, with the entries skipped among them.
 *
 * A batch is filled by the reading thread, then handed whole to the
 * database thread (dbworker.h) and back; only one thread touches it at a
 * time.  Strings and bytes live in the batch's buffers, which only grow
 * while it is filled: an item names its strings by offset, and pointers
 * into the buffers are made by batch_seal(), once nothing more is added.
 * batch_reset() empties a batch and keeps its memory for the next.
 */
#ifndef IS248_IMPORT_BATCH_H
#define IS248_IMPORT_BATCH_H

#include <stddef.h>
#include <stdint.h>

#include "../load/loader.h"
#include "../load/pgbin.h"
#include "../transform/normalize.h"

enum batch_item_kind { ITEM_FILE, ITEM_SKIPPED };

struct batch_item {
    enum batch_item_kind kind;
    int path_index;
    size_t source, entry;       /* offsets in batch.text */
    size_t reason;              /* offset, or BATCH_NONE: the file was read
                                 * whole / the skip's reason */
    /* files */
    int file_no;                /* among the batch's files, from 0 */
    size_t content;             /* offset in batch.content */
    uint64_t bytes;             /* its size */
    unsigned char sha256[32];
    int have_sha;               /* its bytes could be read */
    int streamed;               /* its bytes went as stage pieces */
    size_t first_problem, n_problems;   /* in batch.problems */
    uint64_t problems_unheld;
    /* what the reading thread counted (validate's outcome) */
    uint64_t reports_ok, reports_rejected, answers_rejected, warnings;
};

#define BATCH_NONE ((size_t)-1)

struct batch_problem {
    enum problem_level level;
    int report_index;
    size_t text;                /* offset in batch.text */
};

struct batch {
    struct batch_item *items;
    size_t n_items, cap_items;
    size_t n_files;
    struct batch_problem *problems;
    size_t n_problems, cap_problems;
    struct pgbin text;          /* NUL-terminated strings */
    struct pgbin content;       /* the files' bytes, one after the other */
    struct pgbin stage;         /* stage rows */
    double started;             /* when its first item came (monotonic s) */
    int failed;                 /* memory ran out while it was filled */
    /* made by batch_seal(), for the loader */
    struct loader_file *files;
    struct loader_result *results;
    size_t cap_files;
};

void batch_free(struct batch *b);
/* Empty (results' strings freed); keeps memory. */
void batch_reset(struct batch *b);

/* Store a NUL-terminated copy of s (NULL as "") and return its offset. */
size_t batch_string(struct batch *b, const char *s);
/* The string at offset off (NULL for BATCH_NONE). */
const char *batch_str(const struct batch *b, size_t off);

/* A new item at the end (zeroed but for what is given); NULL when memory
 * ran out (b->failed is then set). */
struct batch_item *batch_add(struct batch *b, enum batch_item_kind kind,
                             int path_index, const char *source,
                             const char *entry);

/* A problem of the last item, with its text; dropped (and counted as
 * unheld) beyond BATCH_HELD_MAX per file. */
#define BATCH_HELD_MAX 200
void batch_problem(struct batch *b, enum problem_level level,
                   int report_index, const char *text);

/* Forget the problems of the last item (a file set aside whole). */
void batch_drop_problems(struct batch *b);

/* Make b->files[0, n_files) for loader_commit() and room for as many
 * results.  0, or -1 when memory ran out. */
int batch_seal(struct batch *b);

#endif
