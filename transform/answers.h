/*
 * answers.h - the answers of the work chapter (delivery-format.md §5), for
 * both report versions, mapped onto the one set of values of struct
 * norm_report (nav_collab, nav_rating, ips_se_*, ...).  Internal to
 * transform/: normalize_report() calls it.
 */
#ifndef IS248_TRANSFORM_ANSWERS_H
#define IS248_TRANSFORM_ANSWERS_H

#include "../ingest/report.h"
#include "normalize.h"

/*
 * Read the answers of raw, in document order, into out's answer fields,
 * adding a problem for each answer set aside (PROBLEM_ANSWER: its value
 * stays "not answered") or ignored (PROBLEM_WARNING).  An answering element
 * is a sporsmal/Svar (not a Valg) for one of the questions of codes.h that
 * carries a code, text or a Valg; empty ones mean "not answered".  A
 * question answered more than once is set aside; one not on the form of
 * out->year is ignored.  out->version and out->year must be set.  Can't
 * fail.
 */
void answers_check(const struct raw_report *raw, struct norm_report *out);

#endif
