/*
 * answers.h - the answers to the coded questions of the catalogue (codes.h;
 * delivery-format.md §4, §5), for both report versions, judged against
 * each question's code list into struct norm_report's answers[], and the
 * wide columns (nav_collab, nav_rating, ips_se_*, ...) filled from them.
 * Internal to transform/: normalize_report() calls it.
 */
#ifndef IS248_TRANSFORM_ANSWERS_H
#define IS248_TRANSFORM_ANSWERS_H

#include "../ingest/report.h"
#include "normalize.h"

/*
 * Read the answers of raw, in document order, into out->answers[] and the
 * wide fields, adding a problem for each answer set aside (PROBLEM_ANSWER:
 * its value stays "not answered") or ignored (PROBLEM_WARNING), and a
 * warning for a value a wide column cannot hold.  An answering element is a
 * sporsmal/Svar (not a Valg) for a coded question of the catalogue that
 * carries a code, text or a Valg; empty ones mean "not answered".  A
 * question answered more than once is set aside; one not on the form of
 * out->year is ignored.  out->version and out->year must be set, and the
 * fields cleared.  When the catalogue cannot be read, a PROBLEM_REPORT says
 * so.  Can't fail otherwise.
 */
void answers_check(const struct raw_report *raw, struct norm_report *out);

#endif
