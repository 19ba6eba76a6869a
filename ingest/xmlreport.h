/*
 * xmlreport.h - read IS-24/8 report files with libxml2's SAX2 push parser.
 *
 * Bytes come in through a read callback (in practice straight out of
 * libarchive) and reports go out through a sink, one at a time, as soon as
 * each report's end tag has been read: a county file with thousands of
 * reports is never held in memory whole, and one report holds at most
 * RAWBUILD_MAX_ANSWERS answers and RAWBUILD_MAX_BYTES bytes of values
 * (rawbuild.h; beyond either it is set aside through raw_report.fault).
 *
 * The input is untrusted.  The parser runs with XML_PARSE_NONET and without
 * entity substitution, DTD loading or validation; a file with a DOCTYPE is
 * set aside before any of its reports is delivered and before libxml2 has
 * seen a byte of the declaration (xmlguard.h), and no entity can ever be
 * declared, expanded or fetched (xmlsax.h).  Limits on hostile input
 * (nesting depth, the length of text, names, markup and start tags, the
 * attributes of one start tag, what follows the root element) set the file
 * aside with a reason that names the limit.
 *
 * Encodings (xmlenc.h): UTF-8, US-ASCII, ISO-8859-1 to -16 and
 * windows-1250 to -1258 are read, and UTF-16 (with a warning: the format's
 * files are UTF-8 or ISO-8859-1); anything else is set aside.  A file
 * declared ISO-8859-1 that is valid UTF-8 as a whole with at least one
 * multi-byte sequence is read as UTF-8, with a warning (§8), decided on the
 * whole file as it streams past: see xmlrep_limits.sniff_bytes.
 *
 * Reports delivered before the reader finds that the file is to be set
 * aside must be discarded by the caller: the return value says so.
 */
#ifndef IS248_INGEST_XMLREPORT_H
#define IS248_INGEST_XMLREPORT_H

#include <stddef.h>
#include <sys/types.h>

#include "report.h"

/* Same contract as read(2): bytes read, 0 at the end, -1 on error. */
typedef ssize_t (*xmlrep_read_fn)(void *src, void *buf, size_t len);

struct xmlrep_sink {
    /* One complete report.  Return 0 to go on, non-zero to stop reading
     * (xmlrep_read then returns XMLREP_STOPPED). */
    int (*report)(void *ctx, const struct raw_report *r);
    /* Something worth telling that sets nothing aside (the encoding
     * fallback, for one).  line is 0 when it concerns the whole file. */
    void (*warning)(void *ctx, long line, const char *msg);
    void *ctx;
};

struct xmlrep_limits {
    size_t value_bytes;  /* longest value (text or attribute) kept; a longer
                          * one sets the file aside; 0: no cap */
    size_t sniff_bytes;  /* a file declared ISO-8859-1: bytes held back from
                          * its first non-ASCII byte on, to decide between
                          * ISO-8859-1 and UTF-8 before any of them is
                          * parsed.  When that many are held and all are
                          * UTF-8, the file is read as UTF-8 from there on,
                          * and a byte that is not UTF-8 after that sets it
                          * aside ("mixed encodings").  0: decide at the
                          * first non-ASCII character. */
};

/* Room for the reason a file is set aside (the err of xmlrep_read());
 * a longer one is cut. */
#define XMLREP_REASON_MAX 1024

#define XMLREP_DEFAULT_VALUE_BYTES (1U << 20) /* 1 MiB */
#define XMLREP_DEFAULT_SNIFF_BYTES (64U << 20) /* 64 MiB */

enum xmlrep_status {
    XMLREP_OK = 0,      /* well-formed; every report was delivered */
    XMLREP_REJECTED,    /* set the whole file aside; err says why */
    XMLREP_STOPPED      /* the sink asked to stop */
};

/*
 * Read one file.  err receives a one-line reason (with the line number where
 * there is one) when XMLREP_REJECTED is returned, for example
 * "not well-formed XML at line 12: Premature end of data in tag Rapport",
 * "DOCTYPE declarations are not allowed (line 2)",
 * "elements nested more than 256 deep at line 7",
 * "not an IS-24/8 report: root element 'html'", "empty file",
 * "encoded in EBCDIC: only UTF-8, ISO-8859-1 and UTF-16 are read" or
 * "mixed encodings: declared ISO-8859-1, read as UTF-8 after more than
 * 64 MiB of UTF-8, but line 912345 is not UTF-8".
 * src_error, when not NULL, is asked for the source's own reason after a
 * read error, so that a truncated archive is reported as such.  lim NULL
 * means the defaults above.  Memory: at most a 64 KiB read buffer, the
 * bytes held back for the encoding decision (sniff_bytes), libxml2's parser
 * and one report; all freed before return.
 *
 * The reader stops at the first problem, so reports of a file that is set
 * aside may or may not have been delivered before XMLREP_REJECTED (a file
 * cut off at the end, a byte that is not UTF-8 far into a file read as
 * UTF-8, ...); the caller discards them either way.  Structural faults
 * inside a report that leave the XML well-formed (a second <Enhet>, a
 * <Svar> outside a <Kapittel>, a limit of one report, ...) do not reject
 * the file: they set raw_report.fault.  libxml2 prints nothing: for the
 * duration of each call into it the thread's global libxml2 error handlers
 * are replaced (and restored).
 */
enum xmlrep_status xmlrep_read(xmlrep_read_fn read, void *src,
                               const char *(*src_error)(void *src),
                               const struct xmlrep_limits *lim,
                               const struct xmlrep_sink *sink,
                               char *err, size_t errlen);

#endif
