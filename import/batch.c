/*
 * batch.c - the files of one batch (see batch.h).
 */
#include "batch.h"

#include <stdlib.h>
#include <string.h>

void batch_free(struct batch *b)
{
    batch_reset(b);
    free(b->items);
    free(b->problems);
    free(b->files);
    free(b->results);
    pgbin_free(&b->text);
    pgbin_free(&b->content);
    pgbin_free(&b->stage);
    memset(b, 0, sizeof *b);
}

void batch_reset(struct batch *b)
{
    if (b->results)
        loader_results_clear(b->results, b->n_files < b->cap_files
                                             ? b->n_files : b->cap_files);
    b->n_items = b->n_files = b->n_problems = 0;
    pgbin_reset(&b->text);
    pgbin_reset(&b->content);
    pgbin_reset(&b->stage);
    b->started = 0;
    b->failed = 0;
}

size_t batch_string(struct batch *b, const char *s)
{
    size_t off = b->text.len;
    if (!s)
        s = "";
    pgbin_put(&b->text, s, strlen(s) + 1);
    if (pgbin_failed(&b->text)) {
        b->failed = 1;
        return BATCH_NONE;
    }
    return off;
}

const char *batch_str(const struct batch *b, size_t off)
{
    if (off == BATCH_NONE || off >= b->text.len)
        return NULL;
    return (const char *)b->text.data + off;
}

/* Room for one more element of an array of size elements. */
static int grow(void **p, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return 0;
    size_t c = *cap ? 2 * *cap : 64;
    void *q = realloc(*p, c * size);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

struct batch_item *batch_add(struct batch *b, enum batch_item_kind kind,
                             int path_index, const char *source,
                             const char *entry)
{
    if (grow((void **)&b->items, &b->cap_items, b->n_items,
             sizeof *b->items) != 0) {
        b->failed = 1;
        return NULL;
    }
    size_t src = batch_string(b, source), ent = batch_string(b, entry);
    if (src == BATCH_NONE || ent == BATCH_NONE)
        return NULL;
    struct batch_item *it = &b->items[b->n_items++];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    it->path_index = path_index;
    it->source = src;
    it->entry = ent;
    it->reason = BATCH_NONE;
    it->content = BATCH_NONE;
    it->first_problem = b->n_problems;
    it->file_no = kind == ITEM_FILE ? (int)b->n_files++ : -1;
    return it;
}

void batch_problem(struct batch *b, enum problem_level level,
                   int report_index, const char *text)
{
    if (b->n_items == 0)
        return;
    struct batch_item *it = &b->items[b->n_items - 1];
    if (it->n_problems >= BATCH_HELD_MAX ||
        grow((void **)&b->problems, &b->cap_problems, b->n_problems,
             sizeof *b->problems) != 0) {
        it->problems_unheld++;
        return;
    }
    size_t off = batch_string(b, text);
    if (off == BATCH_NONE) {
        it->problems_unheld++;
        return;
    }
    struct batch_problem *p = &b->problems[b->n_problems++];
    p->level = level;
    p->report_index = report_index;
    p->text = off;
    it->n_problems++;
}

void batch_drop_problems(struct batch *b)
{
    if (b->n_items == 0)
        return;
    struct batch_item *it = &b->items[b->n_items - 1];
    b->n_problems = it->first_problem;
    it->n_problems = 0;
    it->problems_unheld = 0;
}

int batch_seal(struct batch *b)
{
    if (b->n_files > b->cap_files) {
        size_t cap = b->n_files;
        struct loader_file *f = realloc(b->files, cap * sizeof *f);
        if (!f)
            return -1;
        b->files = f;
        struct loader_result *r = realloc(b->results, cap * sizeof *r);
        if (!r)
            return -1;
        b->results = r;
        b->cap_files = cap;
    }
    if (b->results)
        memset(b->results, 0, b->cap_files * sizeof *b->results);
    for (size_t i = 0; i < b->n_items; i++) {
        const struct batch_item *it = &b->items[i];
        if (it->kind != ITEM_FILE)
            continue;
        struct loader_file *f = &b->files[it->file_no];
        f->source = batch_str(b, it->source);
        f->entry = batch_str(b, it->entry);
        memcpy(f->sha256, it->sha256, sizeof f->sha256);
        f->have_sha = it->have_sha;
        f->bytes = it->bytes;
        f->content = it->content == BATCH_NONE || it->streamed
                         ? NULL : b->content.data + it->content;
        f->reason = batch_str(b, it->reason);
    }
    return 0;
}
