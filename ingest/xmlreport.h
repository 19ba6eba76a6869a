/*
 * xmlreport.h - read IS-24/8 report files with libxml2's streaming reader.
 *
 * Bytes come in through a read callback (in practice straight out of
 * libarchive) and reports go out through a sink, one at a time, as soon as
 * each report's end tag has been read: a county file with thousands of
 * reports is never held in memory whole.
 *
 * The input is untrusted.  The parser runs with XML_PARSE_NONET and without
 * entity substitution, DTD loading or validation; a file with a DOCTYPE is
 * set aside before any of its reports is delivered (in UTF-16 as well,
 * which is read, with a warning: the format's files are UTF-8 or
 * ISO-8859-1).  libxml2's own limits on hostile input (nesting depth, the
 * length of text, names and markup) set the file aside with a reason that
 * names the limit, and so does a start tag of more than 256 attributes
 * (libxml2 2.9 spends n * n on one of n).
 *
 * Version 1 files that declare ISO-8859-1 but are in fact UTF-8 (at least one
 * multi-byte sequence, and valid UTF-8 as a whole) are read as UTF-8 and a
 * warning is given.  To decide that, a file declared ISO-8859-1 is buffered
 * whole (up to xmlrep_limits.sniff_bytes; a larger one is read as declared).
 *
 * Reports delivered before the reader finds that the file is not well-formed
 * must be discarded by the caller: the return value says so.
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
    size_t sniff_bytes;  /* largest ISO-8859-1 file buffered for the UTF-8
                          * check; 0: never buffer (read as declared) */
};

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
 * "not well-formed XML at line 12: Premature end of data in tag Rapport" or
 * "DOCTYPE declarations are not allowed (line 2)" or
 * "elements nested more than 256 deep at line 7" or
 * "not an IS-24/8 report: root element 'html'".
 * src_error, when not NULL, is asked for the source's own reason after a
 * read error, so that a truncated archive is reported as such.  lim NULL
 * means the defaults above.
 *
 * The reader stops at the first problem, so reports of a file that is not
 * well-formed may or may not have been delivered before XMLREP_REJECTED;
 * the caller discards them either way.  Structural faults inside a report
 * that leave the XML well-formed (a second <Enhet>, a <Svar> outside a
 * <Kapittel>, ...) do not reject the file: they set raw_report.fault.
 * libxml2 prints nothing: for the duration of the call the thread's global
 * libxml2 error handlers are replaced (and restored on return).
 */
enum xmlrep_status xmlrep_read(xmlrep_read_fn read, void *src,
                               const char *(*src_error)(void *src),
                               const struct xmlrep_limits *lim,
                               const struct xmlrep_sink *sink,
                               char *err, size_t errlen);

#endif
