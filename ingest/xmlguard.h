/*
 * xmlguard.h - a byte-level watch in front of libxml2, for what libxml2
 * 2.9 must never be given.
 *
 * Every block of a report file passes xmlguard_scan() before the parser
 * sees it.  The guard follows just enough of the markup to know where start
 * tags are (comments, processing instructions, CDATA sections, end tags and
 * quoted attribute values are stepped over, so that a '<', '=' or '>'
 * inside them does not count), and stops the file, before libxml2 is given
 * a byte of it, at:
 *   - "<!DOCTYPE" in the prolog (XMLGUARD_DOCTYPE): a DOCTYPE is never
 *     allowed, so no entity is declared, expanded or fetched (the SAX
 *     handlers refuse one too, as a backstop);
 *   - a start tag with more than XMLGUARD_MAX_ATTRS attributes ('=' outside
 *     quotes; XMLGUARD_ATTRS): libxml2 2.9 compares every attribute of a
 *     start tag with each one before it, n * n (100 000 attributes in 1 MB
 *     took 33 s);
 *   - a start tag longer than XMLGUARD_MAX_TAG bytes from its '<' to its
 *     '>' (XMLGUARD_TAG): libxml2 2.9's push parser looks for the end of a
 *     start tag at every '>', also inside quoted values, and starts the tag
 *     again each time (8 MB of '>' in one value took 78 s).
 * The elements of a report carry at most four short attributes.
 *
 * It works on bytes in which every ASCII character is that byte (UTF-8 and
 * the single-byte encodings xmlenc.h lets through), and on UTF-16, whose
 * 16-bit units it reads as characters.  Runs of bytes that cannot change
 * its state (character data, comments, quoted values) are stepped over with
 * memchr(); it counts newlines only to say on which line the markup it
 * stops starts.  It allocates nothing but a scratch buffer for UTF-16
 * (xmlguard_free() releases it) and prints nothing.
 */
#ifndef IS248_INGEST_XMLGUARD_H
#define IS248_INGEST_XMLGUARD_H

#include <stddef.h>
#include <stdint.h>

#define XMLGUARD_MAX_ATTRS 256
#define XMLGUARD_MAX_TAG (128U << 10)

enum xmlguard_width {
    XMLGUARD_BYTES = 0,
    XMLGUARD_UTF16LE,
    XMLGUARD_UTF16BE
};

enum xmlguard_verdict {
    XMLGUARD_OK = 0,   /* the bytes may be given to the parser */
    XMLGUARD_DOCTYPE,
    XMLGUARD_ATTRS,
    XMLGUARD_TAG,
    XMLGUARD_NOMEM     /* no scratch buffer for UTF-16 */
};

struct xmlguard {
    enum xmlguard_width width;
    int state;             /* private: enum in xmlguard.c */
    int prolog;            /* before the root element's start tag */
    int run;               /* '-', '?' or ']' in a row; chars of a keyword */
    const char *word;      /* the keyword being matched */
    unsigned attrs;        /* '=' outside quotes in the open start tag */
    size_t skip;           /* byte order mark still to step over (units) */
    uint64_t off;          /* characters before the block being scanned */
    uint64_t mark;         /* where the markup being watched starts */
    long lines;            /* newlines before the block being scanned */
    long prev_lines;       /* newlines before the block scanned last */
    long mark_line;        /* the line of mark, once its block is done */
    unsigned char odd;     /* UTF-16: a byte left over from the last block */
    int has_odd;
    unsigned char *units;  /* UTF-16: the block as one byte per unit */
    size_t units_cap;
};

/* Start watching a file: width says how to read its bytes, bom how many
 * bytes of byte order mark it starts with.  Can't fail. */
void xmlguard_init(struct xmlguard *g, enum xmlguard_width width, size_t bom);

/*
 * The next n bytes of the file.  XMLGUARD_OK: they may go to the parser.
 * Any other verdict: they, and all after them, must not; the guard is then
 * spent.
 */
enum xmlguard_verdict xmlguard_scan(struct xmlguard *g, const unsigned char *p,
                                    size_t n);

/* After a verdict: the line of the '<' that starts the markup stopped. */
long xmlguard_line(const struct xmlguard *g);

/* The line of byte at of the block last scanned (XMLGUARD_BYTES only; at
 * most its length). */
long xmlguard_line_at(const struct xmlguard *g, const unsigned char *block,
                      size_t at);

/* Frees the scratch buffer.  Can't fail. */
void xmlguard_free(struct xmlguard *g);

#endif
