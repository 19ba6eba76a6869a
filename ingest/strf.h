/*
 * strf.h - printf into a new string, for the reasons the walk hands out.
 */
#ifndef IS248_INGEST_STRF_H
#define IS248_INGEST_STRF_H

/* The formatted text in a new string the caller frees with free(); NULL
 * when out of memory. */
char *strf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
