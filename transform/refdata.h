/*
 * refdata.h - the reference data compiled into the program: the CSV files
 * of sql/reference/ (the municipalities valid in each year, every change
 * of a municipality code, and Oslo's city districts, from SSB's
 * classification as collected by bord4-data).  units.c builds its table of
 * reporting units from them, so that "validate" needs no database;
 * load/db.c copies them into the database's reference tables with "is248
 * migrate".
 *
 * refdata_count() and refdata_file() are generated at build time by
 * tools/embed.c (reference_data.c; see CMakeLists.txt).  The data is static
 * and read-only: nothing here allocates or fails.
 */
#ifndef IS248_TRANSFORM_REFDATA_H
#define IS248_TRANSFORM_REFDATA_H

#include <stddef.h>

struct refdata_file {
    const char *name;            /* base name: "oslo_districts.csv" */
    const unsigned char *data;   /* its text, NUL-terminated */
    size_t len;                  /* bytes, the NUL not counted */
};

/* The files compiled in, in the order of CMakeLists.txt; NULL past the
 * last. */
size_t refdata_count(void);
const struct refdata_file *refdata_file(size_t i);

/* The file called name, or NULL when none is compiled in. */
const struct refdata_file *refdata_find(const char *name);

#endif
