/*
 * normalize.h - give a raw report its meaning: the year, the unit, the size
 * class, the submission instant, and the answers of the work chapter mapped
 * onto one set of values that is the same for both report versions.
 *
 * normalize_report() is a pure function of the raw report, the reference
 * data and the time of the run (given, never read from a clock): no I/O, no
 * globals.  What it finds wrong it lists as problems, each with a level:
 *   PROBLEM_REPORT   the report is set aside whole (no valid year, unit or
 *                    submission time, a submission time that cannot be
 *                    true, a code of the wrong year, ...);
 *   PROBLEM_ANSWER   one answer is set aside; its value is left "not
 *                    answered" and the rest of the report loads;
 *   PROBLEM_WARNING  nothing is set aside (a unit name that differs from
 *                    the reference, a missing population, ...).
 */
#ifndef IS248_TRANSFORM_NORMALIZE_H
#define IS248_TRANSFORM_NORMALIZE_H

#include <stddef.h>
#include <stdint.h>

#include "../ingest/report.h"
#include "codes.h"
#include "units.h"

enum problem_level { PROBLEM_WARNING = 0, PROBLEM_ANSWER, PROBLEM_REPORT };

#define PROBLEM_MAX 32          /* further problems are counted, not kept */
#define PROBLEM_TEXT 512

struct problem {
    enum problem_level level;
    char question[64];          /* question id ("ARB_NAV_SAMHANDLING",
                                 * "7.2", "innbyggere"); "" if none */
    char reason[PROBLEM_TEXT];  /* one line, lowercase, no final stop */
};

enum unit_type { UNIT_NONE = 0, UNIT_KOMMUNE, UNIT_BYDEL };

/* What became of one question of the catalogue (codes.h) in a report. */
enum answer_state {
    ANSWER_NONE = 0,     /* not answered, or not judged (a number, free
                          * text, a question not on the year's form) */
    ANSWER_GIVEN,        /* code (and choices) hold the answer */
    ANSWER_SET_ASIDE     /* a PROBLEM_ANSWER says why */
};

struct norm_answer {
    unsigned char state;        /* enum answer_state */
    signed char code;           /* the code's index in the version's list;
                                 * for Valg, the chosen code of the lowest
                                 * ord (its implies is the answer) */
    uint64_t choices;           /* Valg: bit i for code i of the list */
};

struct norm_report {
    int ok;                     /* 0 when a PROBLEM_REPORT was found: the
                                 * fields below are then partly unset */
    enum report_version version;
    int year;                   /* 0 when unknown */
    char unit_code[8];          /* "" when unknown */
    enum unit_type unit_type;
    char county_code[3];        /* the code's first two digits */
    long population;            /* -1 when missing or faulty */
    const char *size_class;     /* static string (§6 label) or NULL */
    int64_t submitted_us;       /* microseconds since 1970-01-01 UTC */

    /* The work chapter, as is248.report's wide columns hold it: the
     * questions of the catalogue with these keys.  0 (*_NONE) is "not
     * answered or not asked", and also a value of the catalogue that the
     * column cannot hold (a warning says so). */
    enum yesno nav_collab;
    enum yesno nav_collab_specialist;   /* as given, even after "no" */
    enum rating nav_rating;
    enum yesno ips_se_mental_health;    /* "IPS or SE" */
    enum tristate ips_mental_health;    /* TRI_NULL unless v2 told them apart */
    enum tristate se_mental_health;
    enum yesno ips_se_substance;
    enum tristate ips_substance;
    enum tristate se_substance;

    /* Every coded question of the catalogue, by its index (codes.h):
     * answers[0, codes_count()).  The fields above are the wide columns,
     * filled from here for the five questions they name. */
    struct norm_answer answers[CODES_MAX_QUESTIONS];

    unsigned char digest[32];   /* SHA-256 of the report's raw content
                                 * (everything but where it came from), to
                                 * tell a repeat from a correction */

    struct problem problems[PROBLEM_MAX];
    size_t n_problems;          /* kept in problems[] */
    size_t n_dropped;           /* found beyond PROBLEM_MAX */
};

/*
 * Normalize one report.  units may be NULL only in unit tests that check
 * answers alone (every unit code is then taken as valid).  now_us is the
 * time of the run in microseconds since the epoch (instant_now(); tests
 * pass a fixed instant): the submission time must lie between 00:00 on 1
 * January of the reporting year, Norwegian time, and now_us plus one day,
 * else the report is set aside (the latest submission time decides which
 * report is current, §7: one that cannot be true would decide it wrongly,
 * and a future one for ever).  Always fills *out; out->ok says whether the
 * report can be loaded.  Can't fail otherwise.
 */
void normalize_report(const struct raw_report *raw, const struct units *units,
                      int64_t now_us, struct norm_report *out);

/* Highest level among out's problems, or -1 when there are none. */
int normalize_worst(const struct norm_report *n);

const char *unit_type_name(enum unit_type t); /* "kommune", "bydel", NULL */

#endif
