/*
 * schema.h - the SQL text of the schema, compiled into the program: the
 * files of sql/schema/ (NN_name.sql, run in order to make version 1) and of
 * sql/upgrade/ (NNNN_name.sql, each taking the schema to version NNNN; none
 * yet).  The functions are generated at build time by tools/embed.c
 * (schema_data.c, upgrade_data.c; see CMakeLists.txt); db.c runs the files.
 *
 * The data is static and read-only: nothing here allocates or fails.  Each
 * file's text is followed by a NUL byte not counted in len.
 */
#ifndef IS248_LOAD_SCHEMA_H
#define IS248_LOAD_SCHEMA_H

#include <stddef.h>

struct schema_file {
    const char *name;            /* base name: "01_tables.sql" */
    const unsigned char *data;   /* its text, NUL-terminated */
    size_t len;                  /* bytes, the NUL not counted */
};

/* The files of sql/schema/, in the order they are run; NULL past the
 * last. */
size_t schema_count(void);
const struct schema_file *schema_file(size_t i);

/* The files of sql/upgrade/, in the order they are run; NULL past the
 * last. */
size_t schema_upgrade_count(void);
const struct schema_file *schema_upgrade_file(size_t i);

#endif
