/*
 * problem.h - the problems of a report (normalize.h's struct problem), as
 * the checks of normalize.c and answers.c add them, and how a value from
 * the report is shown in a reason: cut to PROBLEM_QUOTE_CHARS characters
 * and escaped by printable_copy() (controls, bytes that are not UTF-8,
 * invisible and bidirectional characters, backslashes), so that a reason is
 * always one short line that shows every character of the value.  Internal
 * to transform/.  Nothing here allocates or fails.
 */
#ifndef IS248_TRANSFORM_PROBLEM_H
#define IS248_TRANSFORM_PROBLEM_H

#include <stddef.h>

#include "normalize.h"

#define PROBLEM_QUOTE_CHARS 60  /* characters of a value shown in a reason */
#define PROBLEM_QUOTE_BUF 400   /* a quoted value; escapes of up to 10 bytes
                                 * a character may cut it short of
                                 * PROBLEM_QUOTE_CHARS */

/*
 * Add a problem to out: for question ("" or NULL: the report as a whole),
 * the reason printf'd from fmt (cut to PROBLEM_TEXT bytes without splitting
 * a character).  A PROBLEM_REPORT clears out->ok.  Beyond PROBLEM_MAX
 * problems only out->n_dropped is counted.
 */
void problem_add(struct norm_report *out, enum problem_level level,
                 const char *question, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The n bytes at s as shown inside quotes in a reason, in buf.  Returns
 * buf. */
const char *problem_quote(char buf[PROBLEM_QUOTE_BUF], const char *s,
                          size_t n);

/* The same for the NUL-terminated s (NULL: ""). */
const char *problem_quote_str(char buf[PROBLEM_QUOTE_BUF], const char *s);

#endif
