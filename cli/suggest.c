/*
 * suggest.c - the edit distance behind "did you mean" (see suggest.h).
 */
#include "suggest.h"

#include <ctype.h>
#include <string.h>

#define SUGGEST_MAX_LEN 64

int suggest_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > SUGGEST_MAX_LEN || lb > SUGGEST_MAX_LEN)
        return 1000;
    /* d[i][j]: the distance between a[0..i) and b[0..j) */
    int d[SUGGEST_MAX_LEN + 1][SUGGEST_MAX_LEN + 1];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            int ca = tolower((unsigned char)a[i - 1]);
            int cb = tolower((unsigned char)b[j - 1]);
            int best = d[i - 1][j - 1] + (ca != cb);
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
                tolower((unsigned char)a[i - 2]) == cb &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[la][lb];
}

size_t suggest(const char *word, const char *const *names, size_t n,
               const char **out, size_t max)
{
    int best = 3; /* at most 2 edits */
    size_t found = 0;
    for (size_t k = 0; k < n; k++) {
        int dist = suggest_distance(word, names[k]);
        /* "db" for "ab" would be a guess, not a suggestion */
        if (dist > best || 2 * (size_t)dist >= strlen(names[k]))
            continue;
        if (dist < best) {
            best = dist;
            found = 0;
        }
        if (found < max)
            out[found] = names[k];
        found++;
    }
    return found < max ? found : max;
}
