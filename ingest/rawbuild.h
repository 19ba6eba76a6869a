/*
 * rawbuild.h - inside the XML reader (for xmlsax.c, not for use outside
 * ingest/): the state machine that turns the elements of a report file into
 * struct raw_report (report.h), one per <kommunerapport> or <Rapport>,
 * handed to the sink as soon as the report's end tag is met.
 *
 * It knows the format: the elements of both versions and where each may
 * stand, the attributes kept, what a fault inside a report is, and what is
 * warned about.  It is told of elements and text in the shape libxml2's
 * SAX2 handlers receive them, and matches names by pointer: libxml2 interns
 * every element name, attribute name and namespace URI in the parser's
 * dictionary, and rawbuild_new() interns the format's names there too.
 *
 * Limits of one report (a real one holds tens to a few hundred answers of
 * a few bytes each): more than RAWBUILD_MAX_ANSWERS answers (Svar, Valg,
 * sporsmal), or more than RAWBUILD_MAX_BYTES bytes of values kept (text and
 * attributes), set the report aside through raw_report.fault with a reason
 * naming the limit; its answers are then dropped (n_answers is 0) and
 * nothing more of it is kept while the rest of the file is read.  A single
 * value longer than the value cap (xmlrep_limits.value_bytes) sets the
 * whole file aside.
 *
 * Memory: the strings of one report live in an arena that is reset after
 * the report is delivered, the answers in a vector that is reused; both are
 * given back to the allocator after a report that made them large.  The
 * builder owns all of it until rawbuild_free().
 */
#ifndef IS248_INGEST_RAWBUILD_H
#define IS248_INGEST_RAWBUILD_H

#include <stddef.h>

#include <libxml/xmlstring.h> /* xmlChar; before dict.h, which needs it */
#include <libxml/dict.h>

#include "xmlreport.h"

#define RAWBUILD_MAX_ANSWERS 500000
#define RAWBUILD_MAX_BYTES (64U << 20)

struct rawbuild;

/* How the builder tells its owner that the file is to be set aside (the
 * reason is one line; called at most once). */
typedef void (*rawbuild_reject_fn)(void *ctx, const char *reason);

/*
 * A builder for one file.  dict is the parser's dictionary (names are
 * interned in it); sink receives reports and warnings; value_cap is the
 * longest value kept (0: none).  NULL when out of memory.
 */
struct rawbuild *rawbuild_new(xmlDictPtr dict, const struct xmlrep_sink *sink,
                              size_t value_cap, rawbuild_reject_fn reject,
                              void *ctx);

/*
 * An element starts, at line: its local name and namespace URI (NULL:
 * none), and its nattrs attributes as SAX2 gives them (five pointers each:
 * local name, prefix, URI, value, end of value).  Returns 1 when its content
 * is of no interest (an unknown element, or a known one out of place): the
 * caller then reports neither the elements and text inside it nor its end;
 * 0 otherwise.
 */
int rawbuild_start(struct rawbuild *b, const xmlChar *local,
                   const xmlChar *uri, int nattrs, const xmlChar **attrs,
                   long line);

/* The element last started (and not skipped) ends. */
void rawbuild_end(struct rawbuild *b);

/* Character data (text or CDATA) of the element last started. */
void rawbuild_text(struct rawbuild *b, const char *p, size_t n);

/* Whether the sink asked to stop; no report follows then. */
int rawbuild_stopped(const struct rawbuild *b);

/* Frees everything the builder holds.  Can't fail; NULL is fine. */
void rawbuild_free(struct rawbuild *b);

#endif
