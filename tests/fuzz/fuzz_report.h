/*
 * fuzz_report.h - what both fuzz targets do with the bytes of one report
 * file: read it with xmlrep_read() and normalize every report, as
 * import/import.c does, without a database; and the checks (oracles) that
 * abort() when a stage breaks its own header's promises, so that libFuzzer
 * reports them like a sanitizer's finding.
 */
#ifndef IS248_FUZZ_REPORT_H
#define IS248_FUZZ_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "ingest/xmlreport.h"

/* libFuzzer's entry points, defined by each target. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Abort with a message naming the broken promise (and, for
 * FUZZ_CHECK_S, the string concerned, escaped). */
#define FUZZ_CHECK(cond, what) FUZZ_CHECK_S(cond, what, NULL)
#define FUZZ_CHECK_S(cond, what, str)                                        \
    do {                                                                     \
        if (!(cond))                                                         \
            fuzz_fail(__FILE__, __LINE__, #cond, (what), (str));             \
    } while (0)

_Noreturn void fuzz_fail(const char *file, int line, const char *cond,
                         const char *what, const char *str);

/* 1 when s[0, n) is valid UTF-8 (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF). */
int fuzz_utf8_valid(const char *s, size_t n);

/* 1 when s is safe to print on one line: valid UTF-8 without C0/C1
 * controls, DEL, line/paragraph separators or bidi formatting. */
int fuzz_printable(const char *s);

/* The units table, built once (LLVMFuzzerInitialize). */
void fuzz_init(void);
struct units;
const struct units *fuzz_units(void);

struct fuzz_read_opts {
    const struct xmlrep_limits *lim; /* NULL: the defaults */
    int stop_after;                  /* sink stops after N reports; 0: never */
};

/*
 * Read one file through read/src/src_error (as xmlrep_read takes them) and
 * normalize every report delivered, checking the promises of xmlreport.h,
 * report.h and normalize.h on the way.  Returns xmlrep_read's status.
 */
enum xmlrep_status fuzz_read_file(xmlrep_read_fn read, void *src,
                                  const char *(*src_error)(void *),
                                  const struct fuzz_read_opts *o);

/* FNV-1a of the input: options chosen by it stay the same for one input. */
uint64_t fuzz_hash(const uint8_t *data, size_t size);

#endif
