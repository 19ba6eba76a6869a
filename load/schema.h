/*
 * schema.h - the SQL text of the schema, compiled into the program: the
 * files of sql/schema/ (NN_name.sql, run in order to make version 1) and of
 * sql/upgrade/ (NNNN_name.sql, each taking the schema to version NNNN; none
 * yet).  The functions are generated at build time by tools/embed.c
 * (schema_data.c, upgrade_data.c; see CMakeLists.txt); migrate.c runs the
 * files.
 *
 * The data is static and read-only: nothing here allocates or fails.
 */
#ifndef IS248_LOAD_SCHEMA_H
#define IS248_LOAD_SCHEMA_H

#include <stddef.h>

/* The files of sql/schema/, in the order they are run: how many, the i-th's
 * base name ("01_tables.sql"), and its text (NUL-terminated; *len, when
 * not NULL, its length).  NULL past the last. */
size_t schema_count(void);
const char *schema_name(size_t i);
const char *schema_text(size_t i, size_t *len);

/* The same for the files of sql/upgrade/. */
size_t schema_upgrade_count(void);
const char *schema_upgrade_name(size_t i);
const char *schema_upgrade_text(size_t i, size_t *len);

#endif
