/*
 * refdata.h - the reference data compiled into the program, and the one
 * reader of it.  The files are the CSV files of sql/reference/: the
 * municipalities valid in each year, every change of a municipality code,
 * and Oslo's city districts (from SSB's classification, as collected by
 * bord4-data).  units.c builds its table of reporting units from them, so
 * that "validate" needs no database; load/migrate.c copies them into the
 * database's reference tables with "is248 migrate".  Both read them here,
 * so both take the same rows.
 *
 * The files are plain: a header line (given exactly by refdata_layouts[];
 * a UTF-8 byte order mark before it is tolerated), comma-separated fields,
 * no quoting (no name contains a comma), LF or CRLF line ends, a blank line
 * only at the very end.  Anything else is refused with the line number.
 *
 * refdata_count(), refdata_name() and refdata_text() are generated at build
 * time by tools/embed.c (reference_data.c; see CMakeLists.txt).  The data
 * is static and read-only; the reader allocates nothing, and a field points
 * into the text it reads.
 */
#ifndef IS248_TRANSFORM_REFDATA_H
#define IS248_TRANSFORM_REFDATA_H

#include <stddef.h>

/* The files compiled in, in the order of CMakeLists.txt: how many, the
 * i-th's base name ("oslo_districts.csv"), and its text (NUL-terminated;
 * *len, when not NULL, its length).  NULL past the last. */
size_t refdata_count(void);
const char *refdata_name(size_t i);
const char *refdata_text(size_t i, size_t *len);

/* The text of the file called name (and *len, when not NULL), or NULL when
 * none is compiled in. */
const char *refdata_find(const char *name, size_t *len);

/* --- the tables ----------------------------------------------------------- */

enum refdata_table {
    REFDATA_MUNICIPALITIES,      /* municipalities_by_year.csv */
    REFDATA_CHANGES,             /* municipality_changes.csv */
    REFDATA_DISTRICTS,           /* oslo_districts.csv */
    REFDATA_COUNTIES,            /* counties.csv */
    /* the catalogue of indicators (sql/catalogue/): RFC 4180, quoted
     * where a text holds a comma, so fields is 0 and COPY's CSV format
     * parses them (cli/catalog.c reads them for the program) */
    REFDATA_INDICATORS,          /* indicator.csv */
    REFDATA_INDICATOR_COLUMNS,   /* indicator_column.csv */
    REFDATA_ANSWER_LABELS,       /* answer_label.csv */
    REFDATA_TABLES
};

#define REFDATA_FIELDS_MAX 6     /* the most fields a table has */

struct refdata_layout {
    const char *file;            /* the file's base name */
    const char *header;          /* its first line, exactly */
    int fields;                  /* fields on every line; 0: RFC 4180,
                                  * not for refdata_csv_*() */
};

/* By enum refdata_table. */
extern const struct refdata_layout refdata_layouts[REFDATA_TABLES];

/* --- reading ------------------------------------------------------------ */

/* Room for a reason the reader gives ("line N: ..."). */
#define REFDATA_WHY_MAX 256

/* A field of a row: n bytes at p, inside the text read (not terminated). */
struct refdata_field {
    const char *p;
    size_t n;
};

/* A reader of one file's text.  line is the number of the line last read
 * (1 after the header). */
struct refdata_csv {
    const char *p, *end;
    long line;
    const struct refdata_layout *layout;
};

/*
 * Begin reading text[0, len) as a file of layout: its header line is
 * checked.  Returns 0, or -1 with why set ("line 1: expected the header
 * '...'").
 */
int refdata_csv_begin(struct refdata_csv *c,
                      const struct refdata_layout *layout, const char *text,
                      size_t len, char *why, size_t whylen);

/*
 * The next row: 1 with f[0, layout->fields) set, 0 at the end, or -1 with
 * why set ("line N: empty line", "line N: quoted fields are not
 * supported", "line N: expected 4 fields, found more").
 */
int refdata_csv_next(struct refdata_csv *c, struct refdata_field *f,
                     char *why, size_t whylen);

#endif
