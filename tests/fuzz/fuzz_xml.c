/*
 * fuzz_xml.c - libFuzzer target: the bytes are one report file, read with
 * xmlrep_read() from memory through its read callback, and every report
 * delivered is normalized against the built-in units table (built once).
 *
 * Each input is read twice:
 *   1. as an import reads a file (import/): default limits, reads as large as
 *      the reader asks for;
 *   2. at the edges, with choices drawn from a hash of the input (the same
 *      input always takes the same path): short reads of 1-64 bytes, a cap
 *      on values of 1-256 bytes, a cap on the bytes an ISO-8859-1 file holds
 *      back for its encoding decision of 0, below, at or above the file's
 *      size, sometimes a read error part way (the file must
 *      then be rejected, not pass as read whole), sometimes a sink that
 *      stops after one or two reports.
 * The seeds (tests/fuzz/run.sh) are the fixtures, so both the success path
 * (well-formed reports, every answer kind) and the reject paths (§8's
 * defects) are covered from the first run.  Nothing outlives an input:
 * libFuzzer's leak check (-detect_leaks, on under AddressSanitizer) fails
 * an input whose allocations are not freed.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>

#include "fuzz_report.h"
#include "tests/common/memsrc.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_init();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* 1. as an import reads a file */
    struct mem_src m = { .data = data, .len = size,
                         .why = "fuzz source: read error" };
    struct fuzz_read_opts o = { .lim = NULL };
    fuzz_read_file(mem_read, &m, mem_error, &o);

    /* 2. at the edges */
    uint64_t h = fuzz_hash(data, size);
    struct xmlrep_limits lim;
    lim.value_bytes = 1 + (size_t)(h % 256);
    switch ((h >> 8) % 4) {
    case 0: lim.sniff_bytes = 0; break;         /* decide at once */
    case 1: lim.sniff_bytes = size / 2; break;  /* UTF-8 part way: "mixed" */
    case 2: lim.sniff_bytes = size; break;      /* the whole file */
    default: lim.sniff_bytes = XMLREP_DEFAULT_SNIFF_BYTES; break;
    }
    m = (struct mem_src){ .data = data, .len = size,
                          .chunk = 1 + (size_t)((h >> 16) % 64),
                          .why = "fuzz source: read error" };
    if ((h >> 24) % 4 == 0 && size > 0)
        m.fail_at = 1 + (size_t)((h >> 32) % size);
    o = (struct fuzz_read_opts){ .lim = &lim,
                                 .stop_after = (int)((h >> 48) % 3) };
    enum xmlrep_status st = fuzz_read_file(mem_read, &m, mem_error, &o);
    FUZZ_CHECK(!m.failed || st == XMLREP_REJECTED,
               "xmlreport.h: a file whose source failed is not read whole");
    return 0;
}
