/*
 * embed.h - files compiled into the program (SQL migrations, reference CSV).
 * The arrays are generated at build time by tools/embed.c; each data block is
 * followed by a NUL byte not counted in len, so text can be used as a string.
 */
#ifndef IS248_EMBED_H
#define IS248_EMBED_H

#include <stddef.h>

struct embedded_file {
    const char *name;            /* base name, e.g. "01_tables.sql" */
    const unsigned char *data;
    size_t len;
};

#endif
