/*
 * xmlsax.c - libxml2's SAX2 push parser as the XML reader drives it: the
 * parser context and its options, the handlers (elements and text go to the
 * report state machine, rawbuild.c; everything of a DTD is refused), the
 * limits libxml2's tree builder used to apply, and libxml2's errors turned
 * into one-line reasons (xmlsax.h has the contract).
 *
 * The handlers never stop the parser themselves: a reason or the sink's
 * wish to stop marks the file done, every later handler call returns at
 * once, and xmlsax_feed() hands no more bytes to libxml2.  (Stopping the
 * parser frees its input while the parser may still hold pointers into it;
 * only libxml2's own error path and the DOCTYPE handler, after which
 * libxml2 checks for it, stop it.)
 */
#include "xmlsax.h"
#include "rawbuild.h"
#include "printable.h"
#include "utf8.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>

#define XERR_MAX 512 /* room for libxml2's first message, escaped */

/* libxml2 2.12 made the error passed to handlers const. */
#if LIBXML_VERSION >= 21200
typedef const xmlError *xs_error_ptr;
#else
typedef xmlErrorPtr xs_error_ptr;
#endif

struct xmlsax {
    xmlParserCtxtPtr ctxt;
    struct rawbuild *build;
    long depth;            /* elements open */
    long skip;             /* depth of an element skipped whole; 0: none */
    size_t text;           /* bytes of the text node being read */
    int text_kind;         /* of it: 0 none, 1 text, 2 CDATA */
    int root_closed;
    uint64_t after_root;   /* bytes given to libxml2 after the root's end */
    int done;              /* set aside or stopped: the handlers do nothing */
    int rejected;
    char reason[XMLREP_REASON_MAX];

    /* the first error libxml2 raised */
    int xerr_set;
    int xerr_limit;        /* a limit of libxml2's: xerr says which */
    long xerr_line;
    char xerr[XERR_MAX];
};

static void reject(struct xmlsax *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Set the file aside; the first reason is the one given. */
static void reject(struct xmlsax *s, const char *fmt, ...)
{
    s->done = 1;
    if (s->rejected)
        return;
    s->rejected = 1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->reason, sizeof s->reason, fmt, ap);
    va_end(ap);
}

static void on_build_reject(void *ctx, const char *reason)
{
    reject(ctx, "%s", reason);
}

static long line_now(const struct xmlsax *s)
{
    return s->ctxt && s->ctxt->input ? s->ctxt->input->line : 0;
}

/* After a handler that may have delivered a report. */
static void check_stop(struct xmlsax *s)
{
    if (rawbuild_stopped(s->build))
        s->done = 1;
}

/* ------------------------------------------------------------------------ */
/* Elements and text.                                                        */

static void on_start(void *ctx, const xmlChar *local, const xmlChar *prefix,
                     const xmlChar *uri, int nb_namespaces,
                     const xmlChar **namespaces, int nb_attributes,
                     int nb_defaulted, const xmlChar **attributes)
{
    struct xmlsax *s = ctx;
    (void)prefix;
    (void)nb_namespaces;
    (void)namespaces;
    (void)nb_defaulted;
    if (s->done)
        return;
    s->text_kind = 0;
    if (++s->depth > XMLSAX_MAX_DEPTH) {
        reject(s, "elements nested more than %d deep at line %ld",
               XMLSAX_MAX_DEPTH, line_now(s));
        return;
    }
    if (s->skip)
        return;
    if (rawbuild_start(s->build, local, uri, nb_attributes, attributes,
                       line_now(s)))
        s->skip = s->depth;
}

static void on_end(void *ctx, const xmlChar *local, const xmlChar *prefix,
                   const xmlChar *uri)
{
    struct xmlsax *s = ctx;
    (void)local;
    (void)prefix;
    (void)uri;
    if (s->done)
        return;
    s->text_kind = 0;
    if (s->skip == s->depth)
        s->skip = 0;
    else if (!s->skip)
        rawbuild_end(s->build);
    if (--s->depth == 0 && !s->root_closed) {
        /* what libxml2 holds past the root's end tag */
        s->root_closed = 1;
        s->after_root = (uint64_t)(s->ctxt->input->end - s->ctxt->input->cur);
    }
    check_stop(s);
}

/* Text and CDATA alike, but the limit is on one text node, as libxml2's
 * tree builder kept it: a run of text, or of CDATA, between any two other
 * pieces of markup (tags, comments, processing instructions). */
static void text(struct xmlsax *s, const xmlChar *p, int len, int kind)
{
    if (s->done || len <= 0)
        return;
    if (s->text_kind != kind) {
        s->text_kind = kind;
        s->text = 0;
    }
    s->text += (size_t)len;
    if (s->text > XMLSAX_MAX_TEXT) {
        reject(s, "text longer than %d bytes at line %ld", XMLSAX_MAX_TEXT,
               line_now(s));
        return;
    }
    if (!s->skip)
        rawbuild_text(s->build, (const char *)p, (size_t)len);
}

static void on_text(void *ctx, const xmlChar *p, int len)
{
    text(ctx, p, len, 1);
}

static void on_cdata(void *ctx, const xmlChar *p, int len)
{
    text(ctx, p, len, 2);
}

/* Comments and processing instructions end a text node. */
static void on_comment(void *ctx, const xmlChar *value)
{
    struct xmlsax *s = ctx;
    (void)value;
    s->text_kind = 0;
}

static void on_pi(void *ctx, const xmlChar *target, const xmlChar *data)
{
    struct xmlsax *s = ctx;
    (void)target;
    (void)data;
    s->text_kind = 0;
}

/* ------------------------------------------------------------------------ */
/* The DTD: never.                                                           */

/* The line of the "<!DOCTYPE" the parser has just read the name of: back
 * from where it stands, in what it holds of the input (already UTF-8). */
static long doctype_line(const struct xmlsax *s)
{
    const xmlParserInput *in = s->ctxt->input;
    long line = in->line;
    for (const xmlChar *q = in->cur; q > in->base;) {
        q--;
        if (*q == '\n')
            line--;
        else if (*q == '<' && in->cur - q >= 9 &&
                 memcmp(q, "<!DOCTYPE", 9) == 0)
            return line;
    }
    return in->line;
}

static void on_internal_subset(void *ctx, const xmlChar *name,
                               const xmlChar *external_id,
                               const xmlChar *system_id)
{
    struct xmlsax *s = ctx;
    (void)name;
    (void)external_id;
    (void)system_id;
    if (s->done)
        return;
    reject(s, "DOCTYPE declarations are not allowed (line %ld)",
           doctype_line(s));
    /* libxml2 checks for this right after the call: the internal subset
     * is never parsed */
    xmlStopParser(s->ctxt);
}

/* Declarations of a DTD, and the external subset: only after a DOCTYPE,
 * which has set the file aside already. */
static void on_dtd(struct xmlsax *s)
{
    if (!s->done)
        reject(s, "DOCTYPE declarations are not allowed (line %ld)",
               line_now(s));
}

static void on_external_subset(void *ctx, const xmlChar *name,
                               const xmlChar *external_id,
                               const xmlChar *system_id)
{
    (void)name;
    (void)external_id;
    (void)system_id;
    on_dtd(ctx);
}

static void on_entity_decl(void *ctx, const xmlChar *name, int type,
                           const xmlChar *public_id, const xmlChar *system_id,
                           xmlChar *content)
{
    (void)name;
    (void)type;
    (void)public_id;
    (void)system_id;
    (void)content;
    on_dtd(ctx);
}

static void on_notation_decl(void *ctx, const xmlChar *name,
                             const xmlChar *public_id,
                             const xmlChar *system_id)
{
    (void)name;
    (void)public_id;
    (void)system_id;
    on_dtd(ctx);
}

static void on_attribute_decl(void *ctx, const xmlChar *elem,
                              const xmlChar *fullname, int type, int def,
                              const xmlChar *default_value,
                              xmlEnumerationPtr tree)
{
    (void)elem;
    (void)fullname;
    (void)type;
    (void)def;
    (void)default_value;
    /* the handler owns the enumeration (as xmlSAX2AttributeDecl frees it
     * when it does not keep it) */
    xmlFreeEnumeration(tree);
    on_dtd(ctx);
}

static void on_element_decl(void *ctx, const xmlChar *name, int type,
                            xmlElementContentPtr content)
{
    (void)name;
    (void)type;
    (void)content;
    on_dtd(ctx);
}

static void on_unparsed_entity_decl(void *ctx, const xmlChar *name,
                                    const xmlChar *public_id,
                                    const xmlChar *system_id,
                                    const xmlChar *notation_name)
{
    (void)name;
    (void)public_id;
    (void)system_id;
    (void)notation_name;
    on_dtd(ctx);
}

/* No entity exists: every lookup fails, nothing is resolved or fetched. */
static xmlEntityPtr on_get_entity(void *ctx, const xmlChar *name)
{
    (void)ctx;
    (void)name;
    return NULL;
}

static xmlParserInputPtr on_resolve_entity(void *ctx, const xmlChar *public_id,
                                           const xmlChar *system_id)
{
    (void)public_id;
    (void)system_id;
    on_dtd(ctx);
    return NULL;
}

static void on_reference(void *ctx, const xmlChar *name)
{
    struct xmlsax *s = ctx;
    (void)name;
    if (!s->done)
        reject(s, "entity references are not allowed (line %ld)",
               line_now(s));
}

/* ------------------------------------------------------------------------ */
/* libxml2's errors.                                                         */

/*
 * libxml2's own limits on hostile input (without XML_PARSE_HUGE, which is
 * never set): nesting depth, the length of a text node, of a name, and of
 * one piece of markup.  Such a file may be well-formed, and libxml2's
 * message advises a parser option the operator cannot set ("internal
 * error: Huge input lookup"), so say in buf which limit was met instead.
 * Returns 1 when e is one of them.
 */
static int limit_met(xs_error_ptr e, char *buf, size_t len)
{
    const char *m = e->message ? e->message : "";
    static const char depth[] = "Excessive depth in document:";
    int n;
    if (strncmp(m, depth, sizeof depth - 1) == 0) {
        if (sscanf(m + sizeof depth - 1, "%d", &n) == 1)
            snprintf(buf, len, "elements nested more than %d deep", n);
        else
            snprintf(buf, len, "elements nested too deep");
    } else if (strstr(m, "huge text node")) {
        snprintf(buf, len, "text longer than %d bytes", XML_MAX_TEXT_LENGTH);
    } else if (strstr(m, "Huge input lookup")) {
        snprintf(buf, len, "a tag, comment or other markup longer than %d "
                 "bytes", XML_MAX_LOOKUP_LIMIT);
    } else if (e->code == XML_ERR_NAME_TOO_LONG) {
        snprintf(buf, len, "a name longer than %d bytes", XML_MAX_NAME_LENGTH);
    } else {
        return 0;
    }
    return 1;
}

static void record_error(struct xmlsax *s, xs_error_ptr e)
{
    s->xerr_set = 1;
    s->xerr_line = e->line;
    const char *m = e->message ? e->message : "unknown error";
    if (limit_met(e, s->xerr, sizeof s->xerr)) {
        s->xerr_limit = 1;
        return;
    }
    /*
     * When the data ends with elements still open, libxml2 2.9's push
     * parser says "Extra content at the end of the document", and so it
     * does when the parser stops at the very end of the data inside a tag
     * or attribute: the file ends part way.  Say so, as its pull parser
     * would; and when there was no element at all, that there is none.
     */
    xmlParserCtxtPtr c = e->domain == XML_FROM_PARSER ? e->ctxt : NULL;
    int at_end = c && c->input && c->input->cur && c->input->end &&
                 c->input->cur >= c->input->end;
    if ((e->code == XML_ERR_DOCUMENT_END || at_end) && c && c->nameNr > 0 &&
        c->name) {
        snprintf(s->xerr, sizeof s->xerr, "Premature end of data in tag %s",
                 (const char *)c->name);
        return;
    }
    if (e->code == XML_ERR_DOCUMENT_END && s->depth == 0 && !s->root_closed) {
        snprintf(s->xerr, sizeof s->xerr, "no root element");
        return;
    }
    /* One line: inner newlines become blanks, trailing ones go, and what
     * it quotes of the file is escaped. */
    char line[sizeof s->xerr];
    size_t o = 0;
    for (; *m && o + 1 < sizeof line; m++)
        line[o++] = (*m == '\n' || *m == '\r') ? ' ' : *m;
    while (o > 0 && line[o - 1] == ' ')
        o--;
    line[o] = '\0';
    printable_copy(s->xerr, sizeof s->xerr, line, strlen(line), 300);
}

/*
 * The first error decides; the parser is then stopped, once the message is
 * made (stopping moves its input).  libxml2 2.9 would otherwise go on after
 * an error, and some errors it raises again and again: in a comment of n
 * "--" each one copies the comment so far, n * n in all (found by
 * tests/fuzz: 200 KB took 20 s).
 */
static void on_error(void *ctx, xs_error_ptr e)
{
    struct xmlsax *s = ctx;
    if (!e || e->level < XML_ERR_ERROR || s->xerr_set || s->done)
        return;
    record_error(s, e);
    s->done = 1; /* nothing more of the file is handed on */
    if (e->domain == XML_FROM_PARSER && e->ctxt)
        xmlStopParser((xmlParserCtxtPtr)e->ctxt);
}

static void on_generic_error(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

/* The reason of the first error, as the file's. */
static void error_reason(struct xmlsax *s)
{
    if (!s->xerr_set || s->rejected)
        return;
    if (s->xerr_limit)
        reject(s, "%s at line %ld", s->xerr, s->xerr_line);
    else if (s->xerr_line <= 0) /* before any line was read (an encoding
                                 * libxml2 cannot convert): "at line 0"
                                 * would say nothing */
        reject(s, "not well-formed XML: %s", s->xerr);
    else
        reject(s, "not well-formed XML at line %ld: %s", s->xerr_line,
               s->xerr);
}

/* libxml2's global error handlers, while it is called from here. */
struct saved_handlers {
    xmlGenericErrorFunc generic;
    void *generic_ctx;
    xmlStructuredErrorFunc structured;
    void *structured_ctx;
};

static void handlers_replace(struct xmlsax *s, struct saved_handlers *h)
{
    h->generic = xmlGenericError;
    h->generic_ctx = xmlGenericErrorContext;
    h->structured = xmlStructuredError;
    h->structured_ctx = xmlStructuredErrorContext;
    xmlSetGenericErrorFunc(NULL, on_generic_error);
    xmlSetStructuredErrorFunc(s, on_error);
}

static void handlers_restore(const struct saved_handlers *h)
{
    xmlSetStructuredErrorFunc(h->structured_ctx, h->structured);
    xmlSetGenericErrorFunc(h->generic_ctx, h->generic);
}

/* ------------------------------------------------------------------------ */
/* The parser.                                                               */

static xmlSAXHandler handler = {
    .internalSubset = on_internal_subset,
    .externalSubset = on_external_subset,
    .getEntity = on_get_entity,
    .getParameterEntity = on_get_entity,
    .resolveEntity = on_resolve_entity,
    .entityDecl = on_entity_decl,
    .notationDecl = on_notation_decl,
    .attributeDecl = on_attribute_decl,
    .elementDecl = on_element_decl,
    .unparsedEntityDecl = on_unparsed_entity_decl,
    .reference = on_reference,
    .characters = on_text,
    .ignorableWhitespace = on_text, /* the same: white space is kept */
    .cdataBlock = on_cdata,
    .comment = on_comment,
    .processingInstruction = on_pi,
    .startElementNs = on_start,
    .endElementNs = on_end,
    .serror = on_error,
    .initialized = XML_SAX2_MAGIC,
};

struct xmlsax *xmlsax_new(const struct xmlsax_config *c)
{
    struct xmlsax *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    struct saved_handlers h;
    handlers_replace(s, &h);
    s->ctxt = xmlCreatePushParserCtxt(&handler, s, NULL, 0, NULL);
    if (s->ctxt) {
        xmlCtxtUseOptions(s->ctxt, XML_PARSE_NONET | XML_PARSE_IGNORE_ENC);
        s->build = rawbuild_new(s->ctxt->dict, c->sink, c->value_cap,
                                on_build_reject, s);
    }
    int ok = s->ctxt && s->build;
    if (ok && c->encoding) {
        xmlCharEncodingHandlerPtr enc = xmlFindCharEncodingHandler(c->encoding);
        ok = enc && xmlSwitchToEncoding(s->ctxt, enc) == 0;
    }
    handlers_restore(&h);
    if (!ok) {
        xmlsax_free(s);
        return NULL;
    }
    return s;
}

int xmlsax_feed(struct xmlsax *s, const char *p, size_t n, int terminate)
{
    if (s->done)
        return 1;
    if (s->root_closed && (s->after_root += n) > XMLSAX_MAX_EPILOGUE) {
        reject(s, "more than %u bytes after the end of the root element",
               XMLSAX_MAX_EPILOGUE);
        return 1;
    }
    struct saved_handlers h;
    handlers_replace(s, &h);
    xmlParseChunk(s->ctxt, p, (int)n, terminate);
    handlers_restore(&h);
    error_reason(s);
    if (!s->done && s->root_closed && s->after_root > XMLSAX_MAX_EPILOGUE)
        reject(s, "more than %u bytes after the end of the root element",
               XMLSAX_MAX_EPILOGUE);
    if (!s->done && terminate && !s->root_closed)
        reject(s, "not well-formed XML at line %ld", line_now(s));
    return s->done;
}

const char *xmlsax_reason(const struct xmlsax *s)
{
    return s->rejected ? s->reason : NULL;
}

int xmlsax_stopped(const struct xmlsax *s)
{
    return !s->rejected && s->done;
}

void xmlsax_free(struct xmlsax *s)
{
    if (!s)
        return;
    if (s->ctxt)
        xmlFreeParserCtxt(s->ctxt);
    rawbuild_free(s->build);
    free(s);
}
