/*
 * suggest.h - "did you mean": the names closest to a word mistyped, by
 * edit distance, as git suggests a command for "git comit".
 */
#ifndef IS248_CLI_SUGGEST_H
#define IS248_CLI_SUGGEST_H

#include <stddef.h>

/* Edit distance between a and b: insertions, deletions, substitutions
 * and swaps of two neighbours count 1 each (the optimal string alignment
 * distance); case is ignored.  Words longer than 64 bytes are at a
 * distance of 1000 from everything.  Can't fail. */
int suggest_distance(const char *a, const char *b);

/* The names of names[0..n) close enough to word to suggest: at most 2
 * edits away and fewer edits than half of the name's length, the closest
 * only, in the order of names; at most max of them go into out.  Returns
 * how many were written (0: none close enough).  The strings stay the
 * caller's.  Can't fail. */
size_t suggest(const char *word, const char *const *names, size_t n,
               const char **out, size_t max);

#endif
