/*
 * catalog.h - the catalogue of the indicators, the words for the answers
 * and the counties, as the program carries them: the CSV files of
 * sql/catalogue/ and sql/reference/counties.csv, compiled in (CMake, like
 * the municipality codes) and parsed here on first use.  migrate loads the
 * same files into is248.indicator, is248.indicator_column,
 * is248.question_column, is248.answer_code and is248.county
 * (load/migrate.c), so the program and SQL read one definition.  The
 * questions themselves are the form's catalogue (transform/codes.h): an
 * indicator names its question and takes its text and first year from it.
 *
 * Everything returned is owned by this module, parsed once and kept for
 * the life of the process; callers never free it.  The language of labels
 * is a enum lang; texts for both are in the catalogue.
 */
#ifndef IS248_CLI_CATALOG_H
#define IS248_CLI_CATALOG_H

#include <stddef.h>

enum lang { LANG_NB = 0, LANG_EN = 1 };
#define LANG_COUNT 2

/* "nb" or "en" into *out: 0, or -1 for anything else. */
int lang_parse(const char *s, enum lang *out);
/* The language of the environment: the first of LC_ALL, LC_MESSAGES and
 * LANG that is set and not empty decides; nb for nb, nn and no (nb_NO,
 * nn_NO.UTF-8, no_NO, ...), en otherwise.  Cannot fail. */
enum lang lang_from_environment(void);
/* "nb" or "en". */
const char *lang_code(enum lang l);
/* The program's own words (not the catalogue's) in both languages, side
 * by side where they are used. */
#define L(lang, en, nb) ((lang) == LANG_NB ? (nb) : (en))

/* How a value is written: a count or year, a percentage (one decimal), text,
 * a truth value (PostgreSQL's t and f), a number with decimals (a sum or
 * median of a numeric question). */
enum column_type { COL_INT, COL_PCT, COL_TEXT, COL_BOOL, COL_NUM };

struct indicator_column {
    const char *name;               /* in the trend view and function */
    enum column_type type;
    int report;                     /* 1: a column of report's tables */
    const char *label[LANG_COUNT];  /* header */
    const char *about[LANG_COUNT];  /* what it holds */
};

struct indicator {
    const char *name;        /* nav_collab, ...: --indicator, JSON keys,
                              * chart files, sheets */
    int first_year;          /* the first year the form asks it */
    const char *function;    /* the trend function: its rows */
    const char *field;       /* trend_ips_se_filtered's field; NULL: all */
    const char *n_column;    /* the units behind the percentage charted */
    const char *pct_column;  /* the percentage charted */
    const char *question;    /* as on the form, Norwegian */
    const char *title[LANG_COUNT];       /* heading of its table */
    const char *chart_title[LANG_COUNT]; /* what its chart shows */
    const char *y_label[LANG_COUNT];     /* the chart's y axis */
    const char *base[LANG_COUNT];        /* what the percentage is of */
    const char *note[LANG_COUNT];        /* footnote of its table */
    const struct indicator_column *columns; /* in order: year, size_class,
                                             * then the figures */
    int ncolumns;
    const char *argument;    /* a question's: its key, the function's
                              * first argument; NULL for the catalogue's */
    int number;              /* 1: a numeric question's (no percentages:
                              * pct_column is per 10 000 inhabitants) */
};

/* At most this many indicators (they are bits of an unsigned). */
#define CATALOG_MAX_INDICATORS 32

/* The indicators in order; *n set.  NULL after a message when the
 * compiled-in catalogue cannot be read (an internal error: the build
 * checks nothing, the tests do). */
const struct indicator *catalog_indicators(int *n);
/* The indicator named s[0..len), or NULL. */
const struct indicator *catalog_indicator(const char *s, size_t len);
/* Its column named name, or NULL. */
const struct indicator_column *indicator_column(const struct indicator *ind,
                                                const char *name);
/* "nav_collab, nav_rating, ..." for messages; static. */
const char *catalog_indicator_names(void);

/*
 * Any question of the form's catalogue (transform/codes.h) as an
 * indicator, for --question: a coded one through
 * is248.trend_question_filtered() (the shares of its answers), a number
 * through is248.trend_number_filtered() (sum, quartiles, per 10 000
 * inhabitants), its columns from sql/catalogue/question_column.csv.
 * catalog_find_question() finds s[0..len) as a key, a version 2 sporsmal or
 * a version 1 id (NULL: none); catalog_question_indicator() makes its
 * indicator once (NULL for free text, which has no trend, or when memory
 * runs out).  catalog_question_names(): "nav_collab, ..., man_years" of the
 * questions that have trends, for messages; static.
 */
struct question;
const struct question *catalog_find_question(const char *s, size_t len);
const struct indicator *catalog_question_indicator(const struct question *q);
/* 1 when q is free text (no trend), else 0. */
int catalog_question_is_text(const struct question *q);
const char *catalog_question_names(void);

/* The word for an answer code (yes, dont_know, very_good, true, ...) in
 * l, or code itself when the catalogue has none. */
const char *catalog_answer_label(const char *code, enum lang l);

/*
 * A county as people give it: a code of two digits, or a name in any
 * case (Norwegian letters included; "vestland", "MØRE OG ROMSDAL").  A name
 * that several codes had (Østfold: 01 to 2019, 31 from 2024) is the county
 * of today.  Returns 0 with code[3] filled and *name its name (static), or
 * -1 when s is neither a code nor a known name.  A two-digit code is
 * returned as it is, whether known or not (the database says).
 */
int catalog_county(const char *s, size_t len, char code[3],
                   const char **name);
/* The name of county code in year (0: the latest it had), or NULL. */
const char *catalog_county_name(const char *code, int year);

#endif
