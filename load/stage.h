/*
 * stage.h - the rows of is248.stage (sql/schema/03_merge.sql) in COPY's
 * binary format: what the loader sends of a batch besides the files' names
 * and bytes.  One function per kind of row; STAGE_COPY is the statement
 * that takes them, and its column list, the table and the functions here
 * must agree (tests/integration/t_answers.sh and t_security.sh check the
 * result from both sides).
 *
 * A report's raw answers go packed into one text value, in document order:
 * answers separated by U+001E, the fields of one (parent_seq, chapter,
 * question, code, text) by U+001F, U+001A for NULL (is248.answer unpacks
 * them).  XML cannot hold those characters, so no value contains them;
 * stage_report() checks it all the same, with the rest of what the server
 * would refuse.
 */
#ifndef IS248_LOAD_STAGE_H
#define IS248_LOAD_STAGE_H

#include <stddef.h>

#include "../ingest/report.h"
#include "../transform/normalize.h"
#include "pgbin.h"

extern const char STAGE_COPY[];

enum stage_status {
    STAGE_OK = 0,
    STAGE_NOMEM = -1,      /* out of memory (the buffer is failed) */
    STAGE_BAD_TEXT = -2    /* a value cannot be stored: nothing appended */
};

/*
 * The report row ('r') of a report that normalized (n->ok): its columns and
 * its packed raw answers.  STAGE_BAD_TEXT when a value is not valid UTF-8
 * or holds a control character other than tab, line feed and carriage
 * return (the report is then to be set aside: it is never stored
 * altered); b is unchanged then.
 */
int stage_report(struct pgbin *b, int file_no, const struct raw_report *raw,
                 const struct norm_report *n);

/*
 * The problem ('p') and warning ('w') rows of a report: every problem of n
 * (and a line for those beyond PROBLEM_MAX), filed under the report's year
 * and unit as far as they could be read.  Text that is not valid UTF-8 is
 * written with U+FFFD.
 */
void stage_problems(struct pgbin *b, int file_no,
                    const struct raw_report *raw,
                    const struct norm_report *n);

/* A warning about file file_no as a whole. */
void stage_file_warning(struct pgbin *b, int file_no, const char *reason);

/* An entry that is not a report ('s'). */
void stage_skipped(struct pgbin *b, const char *source, const char *entry,
                   const char *reason);

/* Piece piece_no of file file_no ('b'), for a file too large to go with
 * merge_batch()'s arguments. */
void stage_piece(struct pgbin *b, int file_no, int piece_no, const void *p,
                 size_t n);

/* Whether s[0, n) can be stored as a value (see stage_report()). */
int stage_text_ok(const char *s, size_t n);

#endif
