/*
 * units.h - the reporting units valid in each year (delivery-format.md §2):
 * every municipality valid on 1 January of each year 2015-2026 and Oslo's
 * city districts, from SSB's classification as shipped in sql/reference/.
 *
 * The same CSV files are compiled into the program (refdata.h) and loaded
 * into the database by "is248 migrate", both read by refdata.h's reader, so
 * "validate" without a database and "import" judge codes alike.
 */
#ifndef IS248_TRANSFORM_UNITS_H
#define IS248_TRANSFORM_UNITS_H

#include <stddef.h>

struct units; /* opaque, immutable once built */

/*
 * Build the table from the CSV text of municipalities_by_year.csv
 * (year,code,name,county_code) and oslo_districts.csv
 * (bydelsnummer,bydelsnavn,kommunenummer).  Returns NULL when the text is
 * malformed or memory ran out (err says which line).
 */
struct units *units_parse(const char *by_year_csv, const char *districts_csv,
                          char *err, size_t errlen);

/* The table built from the data compiled into the program.  Built on first
 * use; returns NULL only when memory runs out. */
const struct units *units_builtin(void);

void units_free(struct units *u);

int units_first_year(const struct units *u);  /* 2015 */
int units_last_year(const struct units *u);   /* 2026 */

enum unit_check {
    UNIT_VALID = 0,      /* valid in that year */
    UNIT_OSLO_WHOLE,     /* "0301": Oslo reports through its districts */
    UNIT_OTHER_YEARS,    /* a municipality code, but not valid that year */
    UNIT_UNKNOWN,        /* not a code of any year we know */
    UNIT_YEAR_UNKNOWN    /* the year is outside the table */
};

/*
 * Check a unit code (4 digits for a municipality, 6 for a district) for a
 * year.  On UNIT_VALID, *name is the reference name (static, owned by the
 * table).  On UNIT_OTHER_YEARS, *first and *last are the first and last
 * years the code is valid in (a code valid in several separate spans gives
 * the span nearest to the year), and *name the name it had then.
 */
enum unit_check units_check(const struct units *u, const char *code, int year,
                            const char **name, int *first, int *last);

/* Number of reporting units expected in a year (municipalities without
 * Oslo as a whole, plus Oslo's districts); 0 for a year outside the table. */
int units_expected(const struct units *u, int year);

#endif
