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
 * is static and read-only.  The plain reader (refdata_csv_next()) allocates
 * nothing, a field points into the text it reads; the catalogue's RFC 4180
 * reader (refdata_rows_parse()) copies its fields, freed by refdata_rows_free().
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
    /* the catalogue (sql/catalogue/): RFC 4180, quoted where a text
     * holds a comma, so fields is 0 and COPY's CSV format parses them;
     * the program reads them with refdata_rows_parse(): the form
     * (question, code_list, answer_code) in transform/codes.c, the
     * indicators in cli/catalog.c */
    REFDATA_QUESTIONS,           /* question.csv */
    REFDATA_CODE_LISTS,          /* code_list.csv */
    REFDATA_ANSWER_CODES,        /* answer_code.csv */
    REFDATA_QUESTION_COLUMNS,    /* question_column.csv */
    REFDATA_INDICATORS,          /* indicator.csv */
    REFDATA_INDICATOR_COLUMNS,   /* indicator_column.csv */
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

/* --- RFC 4180 files (the catalogue) ------------------------------------ */

/*
 * A whole RFC 4180 file: fields separated by commas, quoted with '"' (a
 * quote inside doubled) where they hold a comma, a quote or a line break;
 * lines end in LF or CRLF.  Row 0 is the header; fields are found by its
 * names, so a column added for SQL's sake disturbs no reader.  Every
 * string is owned by the table (refdata_rows_free()).
 */
struct refdata_rows {
    char ***row;
    int *nfields;
    int nrows;
};

/* Parse text[0, len) into *t (emptied first).  Returns 0, or -1 when
 * memory runs out or a quote is not closed (*t is then empty). */
int refdata_rows_parse(const char *text, size_t len, struct refdata_rows *t);
/* The index of the header's column name, or -1. */
int refdata_rows_col(const struct refdata_rows *t, const char *name);
/* Field name of row r ("" when empty); NULL when the file has no such
 * column or the row is short. */
const char *refdata_rows_get(const struct refdata_rows *t, int r,
                              const char *name);
void refdata_rows_free(struct refdata_rows *t);

/*
 * The embedded file name parsed into *t, checked: it has the columns of
 * need (NULL-terminated), and every row as many fields as the header.
 * Returns 0, or -1 with why set ("the catalogue file 'x.csv' has no column
 * 'y'", "..., line 3: 4 fields, the header has 5"); *t is then empty.
 */
int refdata_rows_load(const char *name, const char *const *need,
                       struct refdata_rows *t, char *why, size_t whylen);

#endif
