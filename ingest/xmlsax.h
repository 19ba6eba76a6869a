/*
 * xmlsax.h - inside the XML reader (for xmlreport.c and the unit test, not
 * for use outside ingest/): libxml2's SAX2 push parser, set up for
 * untrusted input, feeding the report state machine (rawbuild.h).
 *
 * The parser runs with XML_PARSE_NONET and XML_PARSE_IGNORE_ENC only: no
 * entity substitution, DTD loading or validation, no recovery, no XInclude,
 * no "huge" mode, and the encoding declaration is ignored because xmlenc.h
 * decides the encoding.  Every handler of the DTD is is248's: a DOCTYPE
 * (which the byte guard refuses before libxml2 sees it) sets the file aside
 * again here, with its line, and no entity is ever declared, looked up,
 * expanded or fetched.
 *
 * Beyond libxml2's own limits (names, markup), the handlers set the file
 * aside, with a reason naming the limit, at elements nested more than
 * XMLSAX_MAX_DEPTH deep, a text node (text, or a CDATA section, between two
 * other pieces of markup) of more than XMLSAX_MAX_TEXT bytes, and more than
 * XMLSAX_MAX_EPILOGUE bytes after the root element (the limits libxml2's
 * own tree builder and reader keep).
 *
 * libxml2 prints nothing: errors go to a structured handler, and around
 * every call into libxml2 the thread's global error handlers are replaced
 * (and restored), for errors raised without a parser context.
 */
#ifndef IS248_INGEST_XMLSAX_H
#define IS248_INGEST_XMLSAX_H

#include <stddef.h>

#include "xmlreport.h"

#define XMLSAX_MAX_DEPTH 256
#define XMLSAX_MAX_TEXT 10000000            /* libxml2's XML_MAX_TEXT_LENGTH */
#define XMLSAX_MAX_EPILOGUE (1U << 20)

struct xmlsax;

struct xmlsax_config {
    const struct xmlrep_sink *sink;
    size_t value_cap;      /* longest value kept; 0: no cap */
    const char *encoding;  /* libxml2 decodes with this encoding; NULL: UTF-8,
                            * or the UTF-16 the first four bytes show */
};

/* A parser for one file.  NULL when out of memory (or when libxml2 knows
 * no such encoding: xmlreport.c asks it first). */
struct xmlsax *xmlsax_new(const struct xmlsax_config *c);

/*
 * Parse the next n bytes; terminate: they are the last (n may be 0).
 * Returns 0 to go on, or 1 when the file is done with: set aside
 * (xmlsax_reason() says why) or stopped by the sink (xmlsax_stopped()).
 * Reports are handed to the sink from inside this call.
 */
int xmlsax_feed(struct xmlsax *s, const char *p, size_t n, int terminate);

/* The reason the file is set aside, or NULL when it is not. */
const char *xmlsax_reason(const struct xmlsax *s);

/* Whether the sink asked to stop. */
int xmlsax_stopped(const struct xmlsax *s);

/* Frees the parser and all it holds.  Can't fail; NULL is fine. */
void xmlsax_free(struct xmlsax *s);

#endif
