/*
 * xmlreport.c - read IS-24/8 report files with libxml2's streaming reader
 * (xmlTextReader, never a DOM) and hand out one struct raw_report per
 * <kommunerapport> (version 1) or <Rapport> (version 2).
 *
 * The bytes arrive through the caller's read function and pass through a
 * 64 KiB buffer (struct feed) into xmlReaderForIO.  Before the parser sees
 * anything, the first block is sniffed:
 *   - the prolog is watched for "<!DOCTYPE" (struct prolog, on every byte
 *     as it arrives, in ASCII-compatible encodings and in UTF-16), so that
 *     a file with a DOCTYPE is set aside before libxml2 has been given a
 *     byte of the declaration; the reader's own DOCUMENT_TYPE node is the
 *     backstop (for encodings not watched, such as EBCDIC);
 *   - the encoding declaration is read; a file declared ISO-8859-1 is
 *     buffered whole (up to xmlrep_limits.sniff_bytes) and, when it is valid
 *     UTF-8 with at least one multi-byte sequence, parsed as UTF-8
 *     (encoding "UTF-8" with XML_PARSE_IGNORE_ENC) with a warning.
 *
 * Parser options: XML_PARSE_NONET and XML_PARSE_BIG_LINES only.  No entity
 * substitution, no DTD loading or validation, no recovery, no XInclude, no
 * "huge" mode.  XML_PARSE_NOBLANKS is deliberately not used: it drops
 * white space that libxml2 guesses is ignorable (for instance between a
 * comment and text), and values must be kept exactly as they stand.
 * libxml2 prints nothing: the reader gets a structured error handler and,
 * for the duration of the call, so do the thread's global handlers (errors
 * raised without a parser context, such as encoding conversion errors).
 *
 * Elements are matched on namespace URI and local name (any prefix).  The
 * walk over the tree is a small state machine over a stack of the known
 * elements that are open; unknown elements, and known ones in the wrong
 * place, are skipped whole with xmlTextReaderNext.  A known element in the
 * wrong place inside a report, or given twice, sets raw_report.fault (the
 * first fault wins) and the report is still delivered; outside a report
 * (directly under <Rapporter>) it gives a warning.
 *
 * Memory: the strings of one report live in an arena that is reset after the
 * report is delivered; the answers vector, the text buffers and the arena's
 * blocks are reused, so memory is bounded by the largest report, not by the
 * file.  No allocation happens per node except when a buffer has to grow.
 */
#include "xmlreport.h"
#include "utf8.h"

#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>

#define XR_NS2 "urn:no:helsedirektoratet:is-24-8:2"
#define XR_BLOCK (64 * 1024)   /* read buffer */
#define XR_FRAMES 8            /* known elements nest at most 5 deep */
#define XR_ARENA_BLOCK 16384

/* libxml2 2.12 made the error passed to handlers const. */
#if LIBXML_VERSION >= 21200
typedef const xmlError *xr_error_ptr;
#else
typedef xmlErrorPtr xr_error_ptr;
#endif

static int is_xml_space(int c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* ------------------------------------------------------------------------ */
/* Arena: the strings of one report.                                         */

struct arena_block {
    struct arena_block *next;
    size_t cap, used;
    char data[];
};

struct arena {
    struct arena_block *first, *cur;
};

static void arena_reset(struct arena *a)
{
    for (struct arena_block *b = a->first; b; b = b->next)
        b->used = 0;
    a->cur = a->first;
}

static void arena_free(struct arena *a)
{
    struct arena_block *b = a->first;
    while (b) {
        struct arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->first = a->cur = NULL;
}

/* n bytes, or NULL when out of memory. */
static char *arena_alloc(struct arena *a, size_t n)
{
    struct arena_block *b = a->cur;
    while (b && b->cap - b->used < n) {
        b = b->next;
        if (b)
            b->used = 0;
    }
    if (!b) {
        size_t cap = n > XR_ARENA_BLOCK ? n : XR_ARENA_BLOCK;
        b = malloc(sizeof *b + cap);
        if (!b)
            return NULL;
        b->cap = cap;
        b->used = 0;
        /* Insert after the current block so that the blocks already used
         * in this report stay where they are. */
        if (a->cur) {
            b->next = a->cur->next;
            a->cur->next = b;
        } else {
            b->next = NULL;
            a->first = b;
        }
    }
    a->cur = b;
    char *p = b->data + b->used;
    b->used += n;
    return p;
}

static char *arena_strndup(struct arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

/* ------------------------------------------------------------------------ */
/* A growable byte buffer, reused.                                           */

struct sbuf {
    char *p;
    size_t len, cap;
};

static int sbuf_append(struct sbuf *b, const char *s, size_t n)
{
    if (b->cap - b->len < n + 1) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap - b->len < n + 1) {
            if (cap > SIZE_MAX / 2)
                return -1;
            cap *= 2;
        }
        char *p = realloc(b->p, cap);
        if (!p)
            return -1;
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
    return 0;
}

/* ------------------------------------------------------------------------ */
/* The prolog, watched as the bytes arrive, for a DOCTYPE.                   */

/*
 * A character-at-a-time scanner of the prolog: byte order mark, XML
 * declaration, processing instructions, comments and white space, up to the
 * first other markup.  It sees every byte as it comes from the source,
 * before libxml2 does, so a DOCTYPE is found (with its line) before the
 * parser has been given a byte of it, however long the prolog.
 *
 * The prolog is ASCII, so it can be watched in any encoding whose ASCII
 * characters are single bytes (UTF-8, ISO-8859-1, ...) and in UTF-16,
 * whose code units are read as characters: the first four bytes tell which
 * (as libxml2 decides, XML 1.0 appendix F: a UTF-16 byte order mark, or
 * "<?" as two 16-bit units).  Without this a UTF-16 file would have its
 * DOCTYPE, entity declarations and all, parsed by libxml2 before the
 * reader's DOCUMENT_TYPE node (the backstop, for the encodings still not
 * watched: UCS-4, EBCDIC) could stop it.
 */
/*
 * After the prolog the same watcher goes on through the body, for one more
 * thing: start tags with too many attributes.  libxml2 2.9 checks a start
 * tag for a repeated attribute by comparing every attribute with each one
 * before it, and the reader adds every attribute to its element by walking
 * the list of those before: a start tag of n attributes costs n * n.  One
 * tag of 100 000 empty attributes (1 MB) took 33 s; a 20 MB file of them
 * would take hours.  The elements of a report carry at most four
 * attributes, so a start tag with more than XR_MAX_ATTRS ('=' outside
 * quotes) sets the file aside before libxml2 is given it.  Comments,
 * processing instructions, CDATA sections and attribute values are stepped
 * over, so that an '=' inside them does not count.
 */
#define XR_MAX_ATTRS 256

/*
 * Once the root element has ended only a newline or a comment should
 * follow, but libxml2 2.9's reader reads everything after it into memory
 * before it says the root has ended: a report followed by 500 MB of white
 * space cost 500 MB.  The watcher follows the nesting of elements too, and
 * more than XR_MAX_EPILOGUE characters after the root's end tag set the
 * file aside.
 */
#define XR_MAX_EPILOGUE (1U << 20)

/*
 * A start tag whose attribute values hold many '>' costs libxml2 2.9 n * n
 * (it looks for the tag's end at every '>', fails inside the quotes, and
 * starts the tag again): 8 MB of them took 78 s (found by tests/fuzz).  The
 * elements of a report need a few hundred characters; a start tag longer
 * than XR_MAX_TAG characters sets the file aside.
 */
#define XR_MAX_TAG (128U << 10)

enum tag_state {
    TAG_TEXT = 0, /* character data */
    TAG_LT,       /* after '<' */
    TAG_START,    /* inside a start tag, outside quotes */
    TAG_QUOT,     /* inside "..." in a start tag */
    TAG_APOS,     /* inside '...' in a start tag */
    TAG_OTHER,    /* an end tag, or other "<!" markup: up to '>' */
    TAG_BANG,     /* after "<!" */
    TAG_PI,       /* inside <? ... ?> */
    TAG_COMMENT,  /* inside <!-- ... --> */
    TAG_CDATA     /* inside <![CDATA[ ... ]]> */
};

struct tags {
    enum tag_state state;
    int run;          /* '-' or ']' in a row; in a PI, the last was '?' */
    int attrs;        /* attributes of the open start tag */
    long line;        /* the line of its '<' */
    int too_many;     /* a start tag with more than XR_MAX_ATTRS */
    uint64_t tag_len; /* characters of the open start tag */
    int too_long;     /* a start tag longer than XR_MAX_TAG */
    int slash;        /* in a start tag, the last character was '/' */
    int end_tag;      /* TAG_OTHER is an end tag */
    uint64_t depth;   /* elements open */
    int closed;       /* the root element has ended */
    uint64_t after;   /* characters since */
};

static void tags_char(struct tags *t, unsigned c, long line)
{
    if (t->closed)
        t->after++;
    if ((t->state == TAG_START || t->state == TAG_QUOT ||
         t->state == TAG_APOS) && ++t->tag_len > XR_MAX_TAG)
        t->too_long = 1;
    switch (t->state) {
    case TAG_TEXT:
        if (c == '<') {
            t->state = TAG_LT;
            t->line = line;
        }
        break;
    case TAG_LT:
        t->run = 0;
        if (c == '!') {
            t->state = TAG_BANG;
        } else if (c == '?') {
            t->state = TAG_PI;
        } else if (c == '/') {
            t->state = TAG_OTHER;
            t->end_tag = 1;
        } else {
            t->state = TAG_START;
            t->attrs = 0;
            t->tag_len = 0;
            t->slash = 0;
        }
        break;
    case TAG_START:
        if (c == '"') {
            t->state = TAG_QUOT;
        } else if (c == '\'') {
            t->state = TAG_APOS;
        } else if (c == '>') {
            t->state = TAG_TEXT;
            if (!t->slash)
                t->depth++;
            else if (t->depth == 0)
                t->closed = 1; /* an empty root element */
        } else if (c == '=' && ++t->attrs > XR_MAX_ATTRS) {
            t->too_many = 1;
        }
        t->slash = c == '/'; /* tags_skip() stops at '/' for this */
        break;
    case TAG_QUOT:
        if (c == '"')
            t->state = TAG_START;
        break;
    case TAG_APOS:
        if (c == '\'')
            t->state = TAG_START;
        break;
    case TAG_OTHER:
        if (c == '>') {
            t->state = TAG_TEXT;
            if (t->end_tag && t->depth > 0 && --t->depth == 0)
                t->closed = 1;
            t->end_tag = 0;
        }
        break;
    case TAG_BANG: /* "<!--" a comment, "<![" a CDATA section */
        if (c == '-' && t->run == 0) {
            t->run = 1;
        } else if (c == '-') {
            t->state = TAG_COMMENT;
            t->run = 0;
        } else if (c == '[' && t->run == 0) {
            t->state = TAG_CDATA;
        } else {
            t->state = c == '>' ? TAG_TEXT : TAG_OTHER;
        }
        break;
    case TAG_PI:
        if (t->run && c == '>')
            t->state = TAG_TEXT;
        t->run = c == '?';
        break;
    case TAG_COMMENT:
    case TAG_CDATA:
        if (t->run >= 2 && c == '>')
            t->state = TAG_TEXT;
        else
            t->run = c == (t->state == TAG_COMMENT ? '-' : ']') ? t->run + 1
                                                                 : 0;
        break;
    }
}

enum prolog_state {
    PRO_TOP,      /* between markup */
    PRO_LT,       /* after '<' */
    PRO_BANG,     /* after "<!": "--" or "DOCTYPE" follows */
    PRO_PI,       /* inside <? ... ?> */
    PRO_COMMENT,  /* inside <!-- ... --> */
    PRO_DONE,     /* past the prolog: start tags are watched (tags) */
    PRO_DOCTYPE   /* found one */
};

struct prolog {
    enum prolog_state state;
    uint64_t chars;   /* characters (code units) seen */
    long line;        /* the current line */
    long mark;        /* the line of the last '<' */
    int kw;           /* characters of "--" or "DOCTYPE" matched */
    int dashes;       /* '-' in a row, in a comment */
    int question;     /* the last character was '?', in a PI */
    int bom;          /* characters of a byte order mark seen */
    int width;        /* bytes per code unit: 1, or 2 (UTF-16); 0 until
                       * the first four bytes have been seen */
    int big_endian;   /* UTF-16BE */
    unsigned char head[4]; /* the first bytes, until width is known */
    int nhead;
    unsigned unit;    /* a UTF-16 code unit being put together */
    int unit_bytes;
    struct tags tags; /* after the prolog */
};

static void prolog_char(struct prolog *s, unsigned c)
{
    static const char doctype[] = "DOCTYPE";
    static const unsigned char bom[] = { 0xEF, 0xBB, 0xBF };
    uint64_t at = s->chars++;
    if (c == '\n')
        s->line++;
    switch (s->state) {
    case PRO_TOP:
        if (at < 3 && s->bom == (int)at &&
            (s->width == 1 ? c == bom[at] : at == 0 && c == 0xFEFF)) {
            s->bom++; /* the byte order mark */
            break;
        }
        if (c == '<') {
            s->state = PRO_LT;
            s->mark = s->line;
        } else if (c > 0x7F || !is_xml_space((int)c)) {
            s->state = PRO_DONE; /* text: tags.state is TAG_TEXT */
        }
        break;
    case PRO_LT:
        if (c == '?') {
            s->state = PRO_PI;
            s->question = 0;
        } else if (c == '!') {
            s->state = PRO_BANG;
            s->kw = 0;
        } else {
            s->state = PRO_DONE; /* the root element */
            s->tags.state = TAG_START;
            s->tags.line = s->mark;
        }
        break;
    case PRO_BANG:
        if (s->kw == 0 && c == '-') {
            s->kw = -1; /* "<!-" */
        } else if (s->kw == -1) {
            s->state = c == '-' ? PRO_COMMENT : PRO_DONE;
            s->dashes = 0;
        } else if (s->kw >= 0 && c == (unsigned char)doctype[s->kw]) {
            if (++s->kw == 7)
                s->state = PRO_DOCTYPE;
        } else {
            s->state = PRO_DONE;
            s->tags.state = TAG_OTHER;
        }
        break;
    case PRO_PI:
        if (s->question && c == '>')
            s->state = PRO_TOP;
        s->question = c == '?';
        break;
    case PRO_COMMENT:
        if (s->dashes >= 2 && c == '>')
            s->state = PRO_TOP;
        s->dashes = c == '-' ? s->dashes + 1 : 0;
        break;
    case PRO_DONE:
        tags_char(&s->tags, c, s->line);
        break;
    case PRO_DOCTYPE:
        break;
    }
}

/* Whether the watcher has seen enough to set the file aside. */
static int prolog_stop(const struct prolog *s)
{
    return s->state == PRO_DOCTYPE || s->tags.too_many ||
           s->tags.too_long || s->tags.after > XR_MAX_EPILOGUE;
}

/*
 * Bytes that cannot change the state of t: most of a file (character data,
 * names, attribute values) is stepped over here, in a loop of its own,
 * rather than a call per byte.  Returns the first byte that may matter.
 */
static const unsigned char *tags_skip(struct tags *t,
                                      const unsigned char *p,
                                      const unsigned char *end)
{
    const unsigned char *start = p;
    switch (t->state) {
    case TAG_TEXT:
        while (p < end && *p != '<' && *p != '\n')
            p++;
        break;
    case TAG_START:
        while (p < end && *p != '"' && *p != '\'' && *p != '>' &&
               *p != '=' && *p != '/' && *p != '\n')
            p++;
        break;
    case TAG_QUOT:
        while (p < end && *p != '"' && *p != '\n')
            p++;
        break;
    case TAG_APOS:
        while (p < end && *p != '\'' && *p != '\n')
            p++;
        break;
    case TAG_OTHER:
        while (p < end && *p != '>' && *p != '\n')
            p++;
        break;
    default:
        break;
    }
    if (t->closed)
        t->after += (uint64_t)(p - start);
    if ((t->state == TAG_START || t->state == TAG_QUOT ||
         t->state == TAG_APOS) &&
        (t->tag_len += (uint64_t)(p - start)) > XR_MAX_TAG)
        t->too_long = 1;
    return p;
}

/* Bytes to characters, once the width is known. */
static void prolog_bytes(struct prolog *s, const unsigned char *p, size_t n)
{
    const unsigned char *end = p + n;
    while (p < end && !prolog_stop(s)) {
        if (s->width == 1) {
            if (s->state == PRO_DONE) {
                p = tags_skip(&s->tags, p, end);
                if (p == end)
                    break;
            }
            prolog_char(s, *p++);
            continue;
        }
        if (s->big_endian)
            s->unit = s->unit << 8 | *p++;
        else
            s->unit |= (unsigned)*p++ << (8 * s->unit_bytes);
        if (++s->unit_bytes == 2) {
            prolog_char(s, s->unit);
            s->unit = 0;
            s->unit_bytes = 0;
        }
    }
}

static void prolog_scan(struct prolog *s, const unsigned char *p, size_t n)
{
    size_t i = 0;
    while (s->width == 0 && i < n && s->nhead < 4)
        s->head[s->nhead++] = p[i++];
    if (s->width == 0) {
        if (s->nhead < 4)
            return; /* too short to hold a DOCTYPE yet */
        const unsigned char *h = s->head;
        if ((h[0] == 0xFF && h[1] == 0xFE && (h[2] || h[3])) ||
            (h[0] == '<' && !h[1] && h[2] == '?' && !h[3])) {
            s->width = 2; /* UTF-16LE (FF FE 00 00 would be UCS-4) */
        } else if ((h[0] == 0xFE && h[1] == 0xFF) ||
                   (!h[0] && h[1] == '<' && !h[2] && h[3] == '?')) {
            s->width = 2;
            s->big_endian = 1;
        } else {
            s->width = 1;
        }
        prolog_bytes(s, h, 4);
    }
    prolog_bytes(s, p + i, n - i);
}

/* ------------------------------------------------------------------------ */
/* The byte feed between the caller's read function and libxml2.            */

struct feed {
    xmlrep_read_fn read;
    void *src;
    unsigned char *buf;
    size_t cap, len, pos; /* buf[pos..len) not yet handed to libxml2 */
    int eof, failed;       /* failed: the source's read failed */
    int oom;               /* out of memory */
    struct prolog prolog;  /* watches the bytes for a DOCTYPE, and start
                            * tags for their attributes */
};

/* Read once more into the free space of buf (growing it to at least
 * want bytes of room).  Returns the bytes read, 0 at the end, or -1 after a
 * read error (failed), when out of memory (oom), or on a DOCTYPE or a start
 * tag with too many attributes (prolog_stop() says so; those bytes are
 * never handed on). */
static ssize_t feed_more(struct feed *f, size_t want)
{
    if (f->eof)
        return 0;
    if (f->failed || f->oom || prolog_stop(&f->prolog))
        return -1;
    if (f->cap - f->len < want) {
        size_t cap = f->cap ? f->cap : XR_BLOCK;
        while (cap - f->len < want) {
            if (cap > SIZE_MAX / 2) {
                f->oom = 1;
                return -1;
            }
            cap *= 2;
        }
        unsigned char *p = realloc(f->buf, cap);
        if (!p) {
            f->oom = 1;
            return -1;
        }
        f->buf = p;
        f->cap = cap;
    }
    size_t room = f->cap - f->len;
    if (room > XR_BLOCK && want <= XR_BLOCK)
        room = XR_BLOCK;
    ssize_t n = f->read(f->src, f->buf + f->len, room);
    if (n < 0) {
        f->failed = 1;
        return -1;
    }
    if (n == 0) {
        f->eof = 1;
        return 0;
    }
    if ((size_t)n > room) /* a broken read function */
        n = (ssize_t)room;
    prolog_scan(&f->prolog, f->buf + f->len, (size_t)n);
    if (prolog_stop(&f->prolog))
        return -1;
    f->len += (size_t)n;
    return n;
}

/* libxml2's read callback: bytes read, 0 at the end, -1 on error. */
static int feed_read(void *ctx, char *out, int len)
{
    struct feed *f = ctx;
    if (len <= 0)
        return 0;
    if (f->pos == f->len) {
        f->pos = f->len = 0;
        ssize_t n = feed_more(f, 1);
        if (n < 0)
            return -1;
        if (n == 0)
            return 0;
    }
    size_t n = f->len - f->pos;
    if (n > (size_t)len)
        n = (size_t)len;
    memcpy(out, f->buf + f->pos, n);
    f->pos += n;
    return (int)n;
}

/* ------------------------------------------------------------------------ */
/* Sniffing the first block: BOM, XML declaration, DOCTYPE in the prolog.    */

static size_t bom_len(const unsigned char *p, size_t n)
{
    return n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF ? 3 : 0;
}

static const unsigned char *find_bytes(const unsigned char *p, size_t n,
                                       const char *pat)
{
    size_t m = strlen(pat);
    for (size_t i = 0; m <= n && i <= n - m; i++)
        if (p[i] == (unsigned char)pat[0] && memcmp(p + i, pat, m) == 0)
            return p + i;
    return NULL;
}

/* The encoding named in the XML declaration, copied into out ("" when
 * there is none). */
static void declared_encoding(const unsigned char *buf, size_t n, char *out,
                              size_t outlen)
{
    out[0] = '\0';
    size_t i = bom_len(buf, n);
    if (n - i < 6 || memcmp(buf + i, "<?xml", 5) != 0 ||
        !is_xml_space(buf[i + 5]))
        return;
    const unsigned char *end = find_bytes(buf + i, n - i, "?>");
    if (!end)
        return;
    size_t stop = (size_t)(end - buf);
    const unsigned char *p = find_bytes(buf + i, stop - i, "encoding");
    if (!p || !is_xml_space(p[-1]))
        return;
    size_t j = (size_t)(p - buf) + 8;
    while (j < stop && is_xml_space(buf[j]))
        j++;
    if (j >= stop || buf[j] != '=')
        return;
    j++;
    while (j < stop && is_xml_space(buf[j]))
        j++;
    if (j >= stop || (buf[j] != '"' && buf[j] != '\''))
        return;
    unsigned char q = buf[j++];
    size_t o = 0;
    while (j < stop && buf[j] != q && o + 1 < outlen)
        out[o++] = (char)buf[j++];
    out[o] = '\0';
}

/* Is the encoding name one of ISO-8859-1's (case, '-', '_' and blanks
 * ignored)? */
static int is_latin1(const char *name)
{
    static const char *const names[] = {
        "iso88591", "latin1", "l1", "isolatin1", "iso885911987",
        "isoir100", "cp819", "ibm819", "csisolatin1",
    };
    char norm[32];
    size_t o = 0;
    for (const char *c = name; *c; c++) {
        if (*c == '-' || *c == '_' || *c == ' ' || *c == ':')
            continue;
        if (o + 1 >= sizeof norm)
            return 0;
        char ch = *c;
        norm[o++] = (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch;
    }
    norm[o] = '\0';
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
        if (strcmp(norm, names[k]) == 0)
            return 1;
    return 0;
}

/* 1 when p[0..n) is valid UTF-8 (no overlong forms, no surrogates, nothing
 * above U+10FFFF); *multi says whether a multi-byte sequence occurred. */
static int valid_utf8(const unsigned char *p, size_t n, int *multi)
{
    *multi = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = utf8_next(p + i, n - i, &cp);
        if (len == 0)
            return 0;
        if (len > 1)
            *multi = 1;
        i += len;
    }
    return 1;
}

/* ------------------------------------------------------------------------ */
/* The elements we know.                                                     */

enum kind {
    K_OTHER = 0,
    /* version 2, in XR_NS2 */
    K_RAPPORTER, K_RAPPORT, K_INNSENDING, K_ENHET, K_KAPITTEL, K_SVAR, K_VALG,
    /* version 1, no namespace */
    K_KOMMUNERAPPORT, K_AARGANG, K_INNSENDT, K_ENHET1, K_NUMMER, K_NAVN,
    K_INNBYGGERE, K_SVAR1, K_SPORSMAL,
    K_COUNT
};

static const char *const kind_name[K_COUNT] = {
    [K_OTHER] = "?",
    [K_RAPPORTER] = "Rapporter", [K_RAPPORT] = "Rapport",
    [K_INNSENDING] = "Innsending", [K_ENHET] = "Enhet",
    [K_KAPITTEL] = "Kapittel", [K_SVAR] = "Svar", [K_VALG] = "Valg",
    [K_KOMMUNERAPPORT] = "kommunerapport", [K_AARGANG] = "aargang",
    [K_INNSENDT] = "innsendt", [K_ENHET1] = "enhet", [K_NUMMER] = "nummer",
    [K_NAVN] = "navn", [K_INNBYGGERE] = "innbyggere", [K_SVAR1] = "svar",
    [K_SPORSMAL] = "sporsmal",
};

static enum kind classify(const char *local, const char *ns, int version)
{
    int first, last;
    if (version == REPORT_V2) {
        if (!ns || strcmp(ns, XR_NS2) != 0)
            return K_OTHER;
        first = K_RAPPORTER;
        last = K_VALG;
    } else {
        if (ns)
            return K_OTHER;
        first = K_KOMMUNERAPPORT;
        last = K_SPORSMAL;
    }
    for (int k = first; k <= last; k++)
        if (local[0] == kind_name[k][0] && strcmp(local, kind_name[k]) == 0)
            return (enum kind)k;
    return K_OTHER;
}

/* Does the element's own text become a value? */
static int collects_text(enum kind k)
{
    switch (k) {
    case K_ENHET: case K_SVAR: case K_VALG: case K_AARGANG: case K_INNSENDT:
    case K_NUMMER: case K_NAVN: case K_INNBYGGERE: case K_SPORSMAL:
        return 1;
    default:
        return 0;
    }
}

/* ------------------------------------------------------------------------ */
/* Parser state.                                                             */

struct frame {
    enum kind kind;
    long line;
    int answer;       /* index in answers, or -1 */
    struct sbuf text; /* the element's own character data (reused) */
};

struct parse {
    xmlTextReaderPtr r;
    const struct xmlrep_sink *sink;
    size_t value_cap;         /* 0: none */

    int version;              /* 0 until the root is seen */
    struct frame frames[XR_FRAMES];
    int nframes;

    /* the report being read */
    int in_report, index;
    struct raw_report rep;
    struct raw_answer *answers;
    size_t n_answers, cap_answers;
    const char *chapter;      /* the open Kapittel's nr */
    int seen[K_COUNT];        /* elements met in this report */
    struct arena arena;

    /* the outcome */
    int rejected, stopped, oom;
    char *err;
    size_t errlen;

    /* the first libxml2 error */
    int xerr_set;
    int xerr_limit;           /* a limit of libxml2's, not a fault of
                               * well-formedness: xerr says which */
    long xerr_line;
    char xerr[512];
};

static void reject(struct parse *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void reject(struct parse *p, const char *fmt, ...)
{
    if (p->rejected)
        return;
    p->rejected = 1;
    if (p->err && p->errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(p->err, p->errlen, fmt, ap);
        va_end(ap);
    }
}

static void out_of_memory(struct parse *p)
{
    p->oom = 1;
    reject(p, "out of memory");
}

/*
 * libxml2's own limits on hostile input (without XML_PARSE_HUGE, which is
 * never set): nesting depth, the length of a text node, of a name, and of
 * one piece of markup (a tag with its attributes, a comment, a CDATA
 * section).  Such a file may be well-formed, and libxml2's message advises
 * a parser option the operator cannot set ("Excessive depth in document:
 * 256 use XML_PARSE_HUGE option", "internal error: Huge input lookup"), so
 * say in buf which limit was met instead.  The messages are libxml2 2.9's;
 * others fall through to "not well-formed XML" with libxml2's own words.
 * Returns 1 when e is one of them.
 */
static int limit_met(xr_error_ptr e, char *buf, size_t len)
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

static void record_xml_error(struct parse *p, xr_error_ptr e)
{
    p->xerr_set = 1;
    p->xerr_line = e->line;
    const char *m = e->message ? e->message : "unknown error";
    if (limit_met(e, p->xerr, sizeof p->xerr)) {
        p->xerr_limit = 1;
        return;
    }
    /*
     * When the data ends with elements still open, libxml2 2.9's push
     * parser (which the reader drives) says "Extra content at the end of
     * the document".  Say what its pull parser would say.
     */
    xmlParserCtxtPtr ctxt = e->domain == XML_FROM_PARSER ? e->ctxt : NULL;
    /* Likewise when the parser stopped at the very end of the data, in the
     * middle of a tag or attribute: the file ends part way. */
    int at_end = ctxt && ctxt->input && ctxt->input->cur &&
                 ctxt->input->end && ctxt->input->cur >= ctxt->input->end;
    if ((e->code == XML_ERR_DOCUMENT_END || at_end) && ctxt &&
        ctxt->nameNr > 0 && ctxt->name) {
        snprintf(p->xerr, sizeof p->xerr, "Premature end of data in tag %s",
                 (const char *)ctxt->name);
        return;
    }
    /* One line: inner newlines become blanks, trailing ones go. */
    size_t o = 0;
    for (; *m && o + 1 < sizeof p->xerr; m++)
        p->xerr[o++] = (*m == '\n' || *m == '\r') ? ' ' : *m;
    while (o > 0 && p->xerr[o - 1] == ' ')
        o--;
    p->xerr[o] = '\0';
}

/*
 * The first error decides; the parser is then stopped, once the message is
 * made (stopping moves its input).  libxml2 2.9 would otherwise go on after
 * an error, and some errors it raises again and again: in a comment of n
 * "--" each one copies the comment so far, n * n in all (found by
 * tests/fuzz: 200 KB took 20 s).
 */
static void on_xml_error(void *ctx, xr_error_ptr e)
{
    struct parse *p = ctx;
    if (!e || e->level < XML_ERR_ERROR || p->xerr_set)
        return;
    record_xml_error(p, e);
    if (e->domain == XML_FROM_PARSER && e->ctxt)
        xmlStopParser((xmlParserCtxtPtr)e->ctxt);
}

static void on_generic_error(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

static void warn(struct parse *p, long line, const char *msg)
{
    if (p->sink && p->sink->warning)
        p->sink->warning(p->sink->ctx, line, msg);
}

/*
 * The line of the current node's start tag.  libxml2 keeps element lines in
 * an unsigned short; past 65535 (county files can be that long) it stores
 * the line of a text node in its psvi field (XML_PARSE_BIG_LINES), taken
 * when the text has been read, that is at its end.  The element's first
 * child is most often the text right after the start tag, so its line less
 * its newlines is the element's line; failing that, xmlGetLineNo() guesses.
 */
static long node_line(struct parse *p)
{
    xmlNodePtr n = xmlTextReaderCurrentNode(p->r);
    long line = -1;
    if (n && n->line < 65535) {
        line = n->line;
    } else if (n) {
        xmlNodePtr c = n->children;
        if (c && c->type == XML_TEXT_NODE && c->psvi && c->content) {
            line = (long)(ptrdiff_t)c->psvi;
            for (const xmlChar *s = c->content; *s; s++)
                line -= *s == '\n';
        } else {
            line = xmlGetLineNo(n);
        }
    }
    if (line <= 0)
        line = xmlTextReaderGetParserLineNumber(p->r);
    return line;
}

/* Keep a value: copied into the arena, checked against the cap. */
static const char *keep(struct parse *p, const char *s, size_t n, long line)
{
    if (p->value_cap && n > p->value_cap) {
        reject(p, "value longer than %zu bytes at line %ld", p->value_cap,
               line);
        return NULL;
    }
    char *c = arena_strndup(&p->arena, s, n);
    if (!c)
        out_of_memory(p);
    return c;
}

static void set_fault(struct parse *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void set_fault(struct parse *p, const char *fmt, ...)
{
    if (p->rep.fault)
        return;
    char buf[160];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    size_t len = (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1;
    p->rep.fault = arena_strndup(&p->arena, buf, len);
    if (!p->rep.fault)
        out_of_memory(p);
}

/* The attributes the reader wants of the current element, by local name
 * (no namespace, or the report namespace).  names[i] receives a copy of the
 * value or stays NULL. */
static void get_attrs(struct parse *p, const char *const *names,
                      const char **values, int n, long line)
{
    for (int i = 0; i < n; i++)
        values[i] = NULL;
    if (xmlTextReaderHasAttributes(p->r) != 1)
        return;
    for (int more = xmlTextReaderMoveToFirstAttribute(p->r); more == 1;
         more = xmlTextReaderMoveToNextAttribute(p->r)) {
        if (xmlTextReaderIsNamespaceDecl(p->r) == 1)
            continue;
        const char *ns = (const char *)xmlTextReaderConstNamespaceUri(p->r);
        if (ns && strcmp(ns, XR_NS2) != 0)
            continue;
        const char *local = (const char *)xmlTextReaderConstLocalName(p->r);
        if (!local)
            continue;
        for (int i = 0; i < n; i++) {
            if (values[i] || strcmp(local, names[i]) != 0)
                continue;
            const char *v = (const char *)xmlTextReaderConstValue(p->r);
            if (!v)
                v = "";
            values[i] = keep(p, v, strlen(v), line);
            if (p->rejected) {
                xmlTextReaderMoveToElement(p->r);
                return;
            }
        }
    }
    xmlTextReaderMoveToElement(p->r);
}

/* Append an answer; its index, or -1 when out of memory. */
static int add_answer(struct parse *p, const char *question, const char *code,
                      int parent, long line)
{
    if (p->n_answers == p->cap_answers) {
        size_t cap = p->cap_answers ? p->cap_answers * 2 : 32;
        struct raw_answer *a = realloc(p->answers, cap * sizeof *a);
        if (!a) {
            out_of_memory(p);
            return -1;
        }
        p->answers = a;
        p->cap_answers = cap;
    }
    if (p->n_answers >= INT_MAX) {
        out_of_memory(p);
        return -1;
    }
    struct raw_answer *a = &p->answers[p->n_answers];
    a->chapter = p->version == REPORT_V2 ? p->chapter : NULL;
    a->question = question;
    a->code = code;
    a->text = NULL;
    a->parent = parent;
    a->line = line;
    return (int)p->n_answers++;
}

static void begin_report(struct parse *p, long line)
{
    arena_reset(&p->arena);
    memset(&p->rep, 0, sizeof p->rep);
    memset(p->seen, 0, sizeof p->seen);
    p->n_answers = 0;
    p->chapter = NULL;
    p->in_report = 1;
    p->rep.version = (enum report_version)p->version;
    p->rep.index = ++p->index;
    p->rep.line = line;
    if (p->version == REPORT_V2) {
        static const char *const names[] = { "rapporteringsaar" };
        const char *v[1];
        get_attrs(p, names, v, 1, line);
        p->rep.year = v[0];
    }
}

static void end_report(struct parse *p)
{
    p->in_report = 0;
    p->rep.answers = p->answers;
    p->rep.n_answers = p->n_answers;
    if (p->sink && p->sink->report &&
        p->sink->report(p->sink->ctx, &p->rep) != 0)
        p->stopped = 1;
    arena_reset(&p->arena);
}

/* The value of a text-collecting element: NULL when empty or blank. */
static const char *own_text(struct parse *p, struct frame *f)
{
    for (size_t i = 0; i < f->text.len; i++)
        if (!is_xml_space((unsigned char)f->text.p[i]))
            return keep(p, f->text.p, f->text.len, f->line);
    return NULL;
}

static void end_element(struct parse *p)
{
    struct frame *f = &p->frames[p->nframes - 1];
    const char *text = collects_text(f->kind) ? own_text(p, f) : NULL;
    switch (f->kind) {
    case K_RAPPORT:
    case K_KOMMUNERAPPORT:
        if (!p->rejected)
            end_report(p);
        break;
    case K_KAPITTEL: p->chapter = NULL; break;
    case K_ENHET: p->rep.unit_name = text; break;
    case K_AARGANG: p->rep.year = text; break;
    case K_INNSENDT: p->rep.submitted = text; break;
    case K_NUMMER: p->rep.unit_code = text; break;
    case K_NAVN: p->rep.unit_name = text; break;
    case K_INNBYGGERE: p->rep.population = text; break;
    case K_SVAR:
    case K_VALG:
    case K_SPORSMAL:
        if (f->answer >= 0)
            p->answers[f->answer].text = text;
        break;
    default:
        break;
    }
    p->nframes--;
}

/* Where may kind k stand, given the kind of its parent?  NULL when it is
 * in its place, else why not. */
static const char *misplaced(enum kind k, enum kind parent, char *buf,
                             size_t len)
{
    static const enum kind place[K_COUNT] = {
        [K_RAPPORT] = K_RAPPORTER, [K_INNSENDING] = K_RAPPORT,
        [K_ENHET] = K_RAPPORT, [K_KAPITTEL] = K_RAPPORT,
        [K_SVAR] = K_KAPITTEL, [K_VALG] = K_SVAR,
        [K_AARGANG] = K_KOMMUNERAPPORT, [K_INNSENDT] = K_KOMMUNERAPPORT,
        [K_ENHET1] = K_KOMMUNERAPPORT, [K_SVAR1] = K_KOMMUNERAPPORT,
        [K_NUMMER] = K_ENHET1, [K_NAVN] = K_ENHET1,
        [K_INNBYGGERE] = K_ENHET1, [K_SPORSMAL] = K_SVAR1,
    };
    if (place[k] == parent)
        return NULL;
    if (k == K_RAPPORT || k == K_RAPPORTER || k == K_KOMMUNERAPPORT)
        snprintf(buf, len, "'%s' inside a report", kind_name[k]);
    else if (k == K_SVAR || k == K_VALG || k == K_SPORSMAL)
        snprintf(buf, len, "'%s' outside a '%s'", kind_name[k],
                 kind_name[place[k]]);
    else
        snprintf(buf, len, "'%s' inside '%s'", kind_name[k],
                 kind_name[parent]);
    return buf;
}

/* Kinds that may stand only once in a report. */
static int once_only(enum kind k)
{
    switch (k) {
    case K_INNSENDING: case K_ENHET: case K_AARGANG: case K_INNSENDT:
    case K_ENHET1: case K_NUMMER: case K_NAVN: case K_INNBYGGERE:
    case K_SVAR1:
        return 1;
    default:
        return 0;
    }
}

static int push(struct parse *p, enum kind k, long line, int answer)
{
    if (p->nframes == XR_FRAMES) {
        /* cannot happen: known elements nest at most 5 deep */
        reject(p, "elements nested too deep at line %ld", line);
        return -1;
    }
    struct frame *f = &p->frames[p->nframes++];
    f->kind = k;
    f->line = line;
    f->answer = answer;
    f->text.len = 0;
    if (f->text.p)
        f->text.p[0] = '\0';
    return 0;
}

/* The root element.  Returns 0, or -1 when the file is not a report. */
static int start_root(struct parse *p, const char *local, const char *ns,
                      long line)
{
    if (ns && strcmp(ns, XR_NS2) == 0 &&
        (strcmp(local, "Rapport") == 0 || strcmp(local, "Rapporter") == 0)) {
        p->version = REPORT_V2;
    } else if (!ns && strcmp(local, "kommunerapport") == 0) {
        p->version = REPORT_V1;
    } else {
        if (ns)
            reject(p, "not an IS-24/8 report: root element '%s' in namespace "
                   "'%s'", local, ns);
        else
            reject(p, "not an IS-24/8 report: root element '%s'", local);
        return -1;
    }
    enum kind k = classify(local, ns, p->version);
    if (push(p, k, line, -1) != 0)
        return -1;
    if (k != K_RAPPORTER)
        begin_report(p, line);
    return 0;
}

/*
 * An element start.  Returns 1 when its subtree is to be skipped, else 0.
 * Sets p->rejected on a fatal problem.
 */
static int start_element(struct parse *p, int empty)
{
    const char *local = (const char *)xmlTextReaderConstLocalName(p->r);
    const char *ns = (const char *)xmlTextReaderConstNamespaceUri(p->r);
    if (!local)
        local = "";
    long line = node_line(p);

    if (!p->version) {
        if (start_root(p, local, ns, line) != 0)
            return 1;
        if (empty && !p->rejected)
            end_element(p);
        return 0;
    }

    enum kind k = classify(local, ns, p->version);
    if (p->nframes == 0)
        return 1;
    enum kind parent = p->frames[p->nframes - 1].kind;
    if (k == K_OTHER) {
        /* unknown: ignored with everything inside it, unless it would hide
         * part of a value (<Svar><span>Ja</span></Svar>) */
        if (p->in_report && collects_text(parent))
            set_fault(p, "unexpected element '%.40s' inside '%s' (line %ld)",
                      local, kind_name[parent], line);
        return 1;
    }

    char why[160];
    if (!p->in_report) {
        /* directly under <Rapporter> */
        if (k != K_RAPPORT) {
            snprintf(why, sizeof why, "'%s' outside a 'Rapport' ignored",
                     kind_name[k]);
            warn(p, line, why);
            return 1;
        }
        if (push(p, k, line, -1) != 0)
            return 1;
        begin_report(p, line);
        if (empty && !p->rejected)
            end_element(p);
        return 0;
    }

    const char *bad = misplaced(k, parent, why, sizeof why);
    if (bad) {
        set_fault(p, "%s", bad);
        return 1;
    }
    if (once_only(k) && p->seen[k]++) {
        set_fault(p, "'%s' given twice", kind_name[k]);
        return 1;
    }

    int answer = -1;
    switch (k) {
    case K_INNSENDING: {
        static const char *const names[] = { "id", "tidspunkt" };
        const char *v[2];
        get_attrs(p, names, v, 2, line);
        p->rep.submission_id = v[0];
        p->rep.submitted = v[1];
        break;
    }
    case K_ENHET: {
        static const char *const names[] = { "type", "nummer", "innbyggere" };
        const char *v[3];
        get_attrs(p, names, v, 3, line);
        p->rep.unit_type = v[0];
        p->rep.unit_code = v[1];
        p->rep.population = v[2];
        break;
    }
    case K_ENHET1: {
        static const char *const names[] = { "type" };
        const char *v[1];
        get_attrs(p, names, v, 1, line);
        p->rep.unit_type = v[0];
        break;
    }
    case K_KAPITTEL: {
        static const char *const names[] = { "nr" };
        const char *v[1];
        get_attrs(p, names, v, 1, line);
        p->chapter = v[0];
        break;
    }
    case K_SVAR: {
        static const char *const names[] = { "sporsmal", "kode" };
        const char *v[2];
        get_attrs(p, names, v, 2, line);
        if (!p->rejected)
            answer = add_answer(p, v[0], v[1], -1, line);
        break;
    }
    case K_VALG: {
        static const char *const names[] = { "kode" };
        const char *v[1];
        get_attrs(p, names, v, 1, line);
        int svar = p->frames[p->nframes - 1].answer;
        if (!p->rejected && svar >= 0)
            answer = add_answer(p, p->answers[svar].question, v[0], svar,
                                line);
        break;
    }
    case K_SPORSMAL: {
        static const char *const names[] = { "id" };
        const char *v[1];
        get_attrs(p, names, v, 1, line);
        if (!p->rejected)
            answer = add_answer(p, v[0], NULL, -1, line);
        break;
    }
    default:
        break;
    }
    if (p->rejected)
        return 1;
    if (push(p, k, line, answer) != 0)
        return 1;
    if (empty)
        end_element(p);
    return 0;
}

static void add_text(struct parse *p)
{
    if (p->nframes == 0)
        return;
    struct frame *f = &p->frames[p->nframes - 1];
    if (!collects_text(f->kind))
        return;
    const char *v = (const char *)xmlTextReaderConstValue(p->r);
    if (!v)
        return;
    size_t n = strlen(v);
    if (p->value_cap && f->text.len + n > p->value_cap) {
        reject(p, "value longer than %zu bytes at line %ld", p->value_cap,
               f->line);
        return;
    }
    if (sbuf_append(&f->text, v, n) != 0)
        out_of_memory(p);
}

/* Whether the watcher of the bytes (struct prolog) stopped the file.  Sets
 * the reason when so. */
static int watch_rejected(struct parse *p, const struct feed *feed)
{
    if (feed->prolog.state == PRO_DOCTYPE) {
        reject(p, "DOCTYPE declarations are not allowed (line %ld)",
               feed->prolog.mark);
        return 1;
    }
    if (feed->prolog.tags.too_many) {
        reject(p, "more than %d attributes on one element at line %ld",
               XR_MAX_ATTRS, feed->prolog.tags.line);
        return 1;
    }
    if (feed->prolog.tags.too_long) {
        reject(p, "a start tag longer than %u characters at line %ld",
               XR_MAX_TAG, feed->prolog.tags.line);
        return 1;
    }
    if (feed->prolog.tags.after > XR_MAX_EPILOGUE) {
        reject(p, "more than %u characters after the end of the root element",
               XR_MAX_EPILOGUE);
        return 1;
    }
    return 0;
}

/* The loop over the reader's nodes. */
static void walk_nodes(struct parse *p, struct feed *feed)
{
    int skip = 0;
    for (;;) {
        int ret = skip ? xmlTextReaderNext(p->r) : xmlTextReaderRead(p->r);
        skip = 0;
        if (watch_rejected(p, feed))
            return;
        if (p->xerr_set || feed->failed || feed->oom || ret < 0) {
            p->rejected = 1; /* the reason is chosen by the caller */
            return;
        }
        if (ret == 0)
            return;

        /*
         * Text is the most frequent node.  Its type is read from the node
         * itself: xmlTextReaderNodeType() would look for xml:space on every
         * ancestor of every blank text node to tell the two kinds of white
         * space apart, which we do not need.
         */
        xmlNodePtr cur = xmlTextReaderCurrentNode(p->r);
        if (cur && (cur->type == XML_TEXT_NODE ||
                    cur->type == XML_CDATA_SECTION_NODE)) {
            add_text(p);
        } else {
            switch (xmlTextReaderNodeType(p->r)) {
            case XML_READER_TYPE_ELEMENT:
                skip = start_element(p, xmlTextReaderIsEmptyElement(p->r) == 1);
                break;
            case XML_READER_TYPE_END_ELEMENT:
                if (p->nframes > 0)
                    end_element(p);
                break;
            case XML_READER_TYPE_DOCUMENT_TYPE:
                reject(p, "DOCTYPE declarations are not allowed (line %d)",
                       xmlTextReaderGetParserLineNumber(p->r));
                break;
            case XML_READER_TYPE_ENTITY_REFERENCE:
                reject(p, "entity references are not allowed (line %ld)",
                       node_line(p));
                break;
            default:
                break; /* comments, processing instructions, ... */
            }
        }
        if (p->rejected || p->stopped)
            return;
    }
}

/* The reason for a file that did not parse, into p->err. */
static void parse_failure(struct parse *p, struct feed *feed,
                          const char *(*src_error)(void *), void *src)
{
    if (!p->err || !p->errlen)
        return;
    if (feed->oom) {
        snprintf(p->err, p->errlen, "out of memory");
    } else if (feed->failed) {
        const char *why = src_error ? src_error(src) : NULL;
        snprintf(p->err, p->errlen, "%s", why ? why : "read error");
    } else if (p->xerr_set && p->xerr_limit) {
        snprintf(p->err, p->errlen, "%s at line %ld", p->xerr, p->xerr_line);
    } else if (p->xerr_set && p->xerr_line <= 0) {
        /* raised before any line was read (an encoding libxml2 cannot
         * convert): "at line 0" would say nothing */
        snprintf(p->err, p->errlen, "not well-formed XML: %s", p->xerr);
    } else if (p->xerr_set) {
        snprintf(p->err, p->errlen, "not well-formed XML at line %ld: %s",
                 p->xerr_line, p->xerr);
    } else if (p->r) {
        snprintf(p->err, p->errlen, "not well-formed XML at line %d",
                 xmlTextReaderGetParserLineNumber(p->r));
    }
}

/* Whether reading ahead (the prolog, or a whole file declared ISO-8859-1)
 * ended the file: the watcher of the bytes, or the source's read error.
 * Sets the reason when so. */
static int feed_rejected(struct parse *p, const struct feed *feed,
                         const char *(*src_error)(void *), void *src)
{
    if (watch_rejected(p, feed))
        return 1;
    if (feed->failed) {
        const char *why = src_error ? src_error(src) : NULL;
        reject(p, "%s", why ? why : "read error");
        return 1;
    }
    return 0;
}

enum xmlrep_status xmlrep_read(xmlrep_read_fn read, void *src,
                               const char *(*src_error)(void *src),
                               const struct xmlrep_limits *lim,
                               const struct xmlrep_sink *sink,
                               char *err, size_t errlen)
{
    static const struct xmlrep_limits defaults = {
        XMLREP_DEFAULT_VALUE_BYTES, XMLREP_DEFAULT_SNIFF_BYTES
    };
    if (!lim)
        lim = &defaults;
    if (err && errlen)
        err[0] = '\0';

    struct parse p;
    memset(&p, 0, sizeof p);
    p.sink = sink;
    p.value_cap = lim->value_bytes;
    p.err = err;
    p.errlen = errlen;

    struct feed feed = { .read = read, .src = src };
    enum xmlrep_status status = XMLREP_REJECTED;

    /* The first block: enough to see the declaration and the prolog. */
    feed.prolog.line = 1;
    while (!feed.eof && !feed.failed && feed.len < XR_BLOCK &&
           feed.prolog.state < PRO_DONE) {
        ssize_t n = feed_more(&feed, XR_BLOCK - feed.len);
        if (n < 0 && feed.oom) {
            out_of_memory(&p);
            goto out;
        }
    }
    if (feed_rejected(&p, &feed, src_error, src))
        goto out;

    /* UTF-16 is read as what it is (every XML parser must), but it is not
     * what the format promises: tell. */
    if (feed.prolog.width == 2)
        warn(&p, 0, feed.prolog.big_endian
                        ? "encoded in UTF-16BE (the format says UTF-8 or "
                          "ISO-8859-1); read as UTF-16BE"
                        : "encoded in UTF-16LE (the format says UTF-8 or "
                          "ISO-8859-1); read as UTF-16LE");

    /* A file declared ISO-8859-1 that is really UTF-8? */
    int as_utf8 = 0;
    char enc[40];
    declared_encoding(feed.buf, feed.len, enc, sizeof enc);
    if (is_latin1(enc) && lim->sniff_bytes > 0) {
        while (!feed.eof && !feed.failed && feed.len <= lim->sniff_bytes) {
            size_t left = lim->sniff_bytes - feed.len; /* + 1 to see more */
            ssize_t n = feed_more(&feed, left < XR_BLOCK ? left + 1 : XR_BLOCK);
            if (n < 0 && feed.oom) {
                out_of_memory(&p);
                goto out;
            }
            if (n < 0)
                break;
        }
        if (feed_rejected(&p, &feed, src_error, src))
            goto out;
        int multi;
        if (feed.eof && feed.len <= lim->sniff_bytes &&
            valid_utf8(feed.buf, feed.len, &multi) && multi) {
            as_utf8 = 1;
            warn(&p, 0, "declared ISO-8859-1 but is UTF-8; read as UTF-8");
        }
    }

    /* Nothing of libxml2's reaches stderr during the call. */
    xmlGenericErrorFunc old_generic = xmlGenericError;
    void *old_generic_ctx = xmlGenericErrorContext;
    xmlStructuredErrorFunc old_structured = xmlStructuredError;
    void *old_structured_ctx = xmlStructuredErrorContext;
    xmlSetGenericErrorFunc(NULL, on_generic_error);
    xmlSetStructuredErrorFunc(&p, on_xml_error);

    int options = XML_PARSE_NONET | XML_PARSE_BIG_LINES;
    if (as_utf8)
        options |= XML_PARSE_IGNORE_ENC;
    p.r = xmlReaderForIO(feed_read, NULL, &feed, NULL,
                         as_utf8 ? "UTF-8" : NULL, options);
    if (!p.r) {
        if (feed.failed || feed.oom || p.xerr_set)
            parse_failure(&p, &feed, src_error, src);
        else
            out_of_memory(&p);
        p.rejected = 1;
    } else {
        xmlTextReaderSetStructuredErrorHandler(p.r, on_xml_error, &p);
        walk_nodes(&p, &feed);
        if (p.rejected && !(err && err[0]))
            parse_failure(&p, &feed, src_error, src);
        else if (!p.rejected && !p.stopped && p.xerr_set) {
            /* an error raised after the last node */
            p.rejected = 1;
            parse_failure(&p, &feed, src_error, src);
        }
        xmlFreeTextReader(p.r);
    }

    xmlSetStructuredErrorFunc(old_structured_ctx, old_structured);
    xmlSetGenericErrorFunc(old_generic_ctx, old_generic);

    if (p.rejected)
        status = XMLREP_REJECTED;
    else if (p.stopped)
        status = XMLREP_STOPPED;
    else
        status = XMLREP_OK;

out:
    if (status == XMLREP_REJECTED && err && errlen && !err[0])
        snprintf(err, errlen, "not well-formed XML");
    for (int i = 0; i < XR_FRAMES; i++)
        free(p.frames[i].text.p);
    free(p.answers);
    arena_free(&p.arena);
    free(feed.buf);
    return status;
}
