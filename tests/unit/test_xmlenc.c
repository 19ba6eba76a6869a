/*
 * test_xmlenc.c - encodings and the byte guard, through xmlrep_read(): the
 * ISO-8859-1 versus UTF-8 decision of §8 on the whole file (held bytes,
 * the cap, "mixed encodings"), the encodings read and those refused, and
 * the guard's start tags, comments and lines across blocks.
 */
#include "xmlrun.h"

#include "ingest/xmlguard.h"

#include <libxml/parser.h>

/* A version 1 file declared ISO-8859-1: FIRST as the unit name (line 3),
 * a comment of pad bytes (line 4), SECOND as an answer (line 5). */
static char *v1_file(const char *first, size_t pad, const char *second,
                     size_t *len)
{
    size_t cap = pad + 512;
    char *s = malloc(cap);
    int n = snprintf(s, cap,
                     "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
                     "<kommunerapport>\n"
                     "<enhet><navn>%s</navn></enhet>\n<!--", first);
    memset(s + n, 'x', pad);
    n += (int)pad;
    n += snprintf(s + n, cap - (size_t)n,
                  "-->\n<svar><sporsmal id=\"3.2\">%s</sporsmal></svar>\n"
                  "</kommunerapport>\n", second);
    *len = (size_t)n;
    return s;
}

static const char warned[] =
    "warning line 0: declared ISO-8859-1 but is UTF-8; read as UTF-8\n";

/* What a report of v1_file() says: its name and its answer. */
static int says(const struct result *r, const char *name, const char *answer)
{
    char want[256];
    snprintf(want, sizeof want, "name=%s population", name);
    if (!strstr(r->out.text, want))
        return 0;
    snprintf(want, sizeof want, "text='%s'", answer);
    return strstr(r->out.text, want) != NULL;
}

static void test_decision(void)
{
    struct result r = { 0 };
    struct xmlrep_limits cap16 = { XMLREP_DEFAULT_VALUE_BYTES, 16 };
    struct xmlrep_limits cap0 = { XMLREP_DEFAULT_VALUE_BYTES, 0 };
    size_t len;

    /* UTF-8 first (C3 B8), ISO-8859-1 later (F8), within the cap: the file
     * is not UTF-8 as a whole, so all of it is ISO-8859-1, as declared */
    char *f = v1_file("Troms\xC3\xB8", 100, "Bod\xF8", &len);
    run(&r, f, len, 0, 0, NULL);
    CHECK_INT(r.st, XMLREP_OK);
    CHECK(says(&r, "Troms\xC3\x83\xC2\xB8", "Bod\xC3\xB8"));
    CHECK(strstr(r.out.text, "warning") == NULL);

    /* the same with a cap of 16 bytes: the block they arrive in is held
     * whole, and decides the same */
    run(&r, f, len, 3, 0, &cap16);
    CHECK_INT(r.st, XMLREP_OK);
    CHECK(says(&r, "Troms\xC3\x83\xC2\xB8", "Bod\xC3\xB8"));
    free(f);

    /* ISO-8859-1 200 KB after the first UTF-8, far past a cap of 16 (or
     * 0): read as UTF-8 from the cap on, then a byte that is not: set
     * aside, whatever the reads */
    f = v1_file("Troms\xC3\xB8", 200000, "Bod\xF8", &len);
    for (size_t chunk = 0; chunk <= 3; chunk += 3) {
        run(&r, f, len, chunk, 0, chunk ? &cap0 : &cap16);
        CHECK_INT(r.st, XMLREP_REJECTED);
        CHECK(strncmp(r.out.text, warned, strlen(warned)) == 0);
        CHECK_INT(r.out.reports, 0);
    }
    CHECK_STR(r.err, "mixed encodings: declared ISO-8859-1, read as UTF-8 "
                     "after more than 0 bytes of UTF-8, but line 5 is not "
                     "UTF-8");
    run(&r, f, len, 0, 0, &cap16);
    CHECK_STR(r.err, "mixed encodings: declared ISO-8859-1, read as UTF-8 "
                     "after more than 16 bytes of UTF-8, but line 5 is not "
                     "UTF-8");
    /* within the default 64 MiB: ISO-8859-1, exactly */
    run(&r, f, len, 0, 0, NULL);
    CHECK_INT(r.st, XMLREP_OK);
    CHECK(says(&r, "Troms\xC3\x83\xC2\xB8", "Bod\xC3\xB8"));
    free(f);

    /* UTF-8 throughout: UTF-8 whatever the cap */
    f = v1_file("Troms\xC3\xB8", 100, "Bod\xC3\xB8", &len);
    struct xmlrep_limits *caps[] = { NULL, &cap16, &cap0 };
    for (size_t i = 0; i < 3; i++) {
        run(&r, f, len, i, 0, caps[i]);
        CHECK_INT(r.st, XMLREP_OK);
        CHECK(strncmp(r.out.text, warned, strlen(warned)) == 0);
        CHECK(says(&r, "Troms\xC3\xB8", "Bod\xC3\xB8"));
    }
    free(f);

    /* the first non-ASCII byte 200 KB in (far past the first block):
     * UTF-8 read as UTF-8, ISO-8859-1 as ISO-8859-1 */
    f = v1_file("Tromso", 200000, "Bod\xC3\xB8", &len);
    run(&r, f, len, 0, 0, NULL);
    CHECK_INT(r.st, XMLREP_OK);
    CHECK(strncmp(r.out.text, warned, strlen(warned)) == 0);
    CHECK(says(&r, "Tromso", "Bod\xC3\xB8"));
    free(f);
    f = v1_file("Tromso", 200000, "Bod\xF8", &len);
    run(&r, f, len, 7, 0, &cap16);
    CHECK_INT(r.st, XMLREP_OK);
    CHECK(strstr(r.out.text, "warning") == NULL);
    CHECK(says(&r, "Tromso", "Bod\xC3\xB8"));
    free(f);

    /* read as UTF-8, and the file ends inside a sequence */
    const char cut[] = "<?xml version=\"1.0\" encoding=\"latin1\"?>\n"
                       "<kommunerapport><aargang>\xC3\xA5r</aargang>"
                       "</kommunerapport>\n\n\xC3";
    run(&r, cut, strlen(cut), 0, 0, &cap0);
    CHECK_INT(r.st, XMLREP_REJECTED);
    CHECK_STR(r.err, "mixed encodings: declared ISO-8859-1, read as UTF-8 "
                     "after more than 0 bytes of UTF-8, but line 4 is not "
                     "UTF-8");
    free(r.out.text);
}

/* A UTF-8 byte order mark on a file declared ISO-8859-1. */
static void test_bom(void)
{
    struct result r = { 0 };
    /* the mark is a multi-byte sequence: ASCII after it is UTF-8 too */
    const char ascii[] = "\xEF\xBB\xBF<?xml version=\"1.0\" encoding="
                         "\"ISO-8859-1\"?><kommunerapport><aargang>2016"
                         "</aargang></kommunerapport>";
    run_str(&r, ascii);
    CHECK_INT(r.st, XMLREP_OK);
    CHECK(strncmp(r.out.text, warned, strlen(warned)) == 0);
    /* a byte that is not UTF-8: ISO-8859-1 after the mark */
    const char latin1[] = "\xEF\xBB\xBF<?xml version=\"1.0\" encoding="
                          "\"ISO-8859-1\"?><kommunerapport><enhet><navn>"
                          "Bod\xF8</navn></enhet></kommunerapport>";
    run_str(&r, latin1);
    CHECK_INT(r.st, XMLREP_OK);
    CHECK(strstr(r.out.text, "warning") == NULL);
    CHECK(strstr(r.out.text, "name=Bod\xC3\xB8 ") != NULL);
    free(r.out.text);
}

static void test_refused(void)
{
    struct result r = { 0 };
    static const char body[] =
        "<!DOCTYPE kommunerapport [\n"
        "<!ENTITY p SYSTEM \"file:///etc/passwd\">]>\n"
        "<kommunerapport><aargang>&p;</aargang></kommunerapport>\n";
    static const struct {
        const char *iconv, *declared;
        int whole; /* the declaration converted too */
        const char *why;
    } cases[] = {
        { "IBM037", "IBM037", 1, "encoded in EBCDIC: only UTF-8, ISO-8859-1 "
                                 "and UTF-16 are read" },
        { "UCS-4BE", "UCS-4", 1, "encoded in UCS-4: only UTF-8, ISO-8859-1 "
                                 "and UTF-16 are read" },
        { "UCS-4LE", "UCS-4", 1, "encoded in UCS-4: only UTF-8, ISO-8859-1 "
                                 "and UTF-16 are read" },
        /* in UTF-7 the DOCTYPE is "+ADw-!DOCTYPE": ASCII bytes that are not
         * the characters they look like */
        { "UTF-7", "UTF-7", 0, "encoding 'UTF-7' is not read: only UTF-8, "
                               "US-ASCII, ISO-8859-1 to -16, windows-1250 to "
                               "-1258 and UTF-16 are" },
        { "ISO-2022-JP", "ISO-2022-JP", 0,
          "encoding 'ISO-2022-JP' is not read: only UTF-8, US-ASCII, "
          "ISO-8859-1 to -16, windows-1250 to -1258 and UTF-16 are" },
        { "UTF-8", "UTF-16", 0, "declared 'UTF-16' but not encoded in "
                                "UTF-16" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char decl[128], text[512];
        snprintf(decl, sizeof decl, "<?xml version=\"1.0\" encoding=\"%s\"?>\n",
                 cases[i].declared);
        snprintf(text, sizeof text, "%s%s", cases[i].whole ? decl : "", body);
        size_t n, d = cases[i].whole ? 0 : strlen(decl);
        char *conv = convert(cases[i].iconv, text, &n);
        char *bytes = malloc(d + n);
        memcpy(bytes, decl, d);
        memcpy(bytes + d, conv, n);
        run(&r, bytes, d + n, 0, 0, NULL);
        CHECK_INT(r.st, XMLREP_REJECTED);
        CHECK_STR(r.err, cases[i].why);
        CHECK_INT(r.out.reports, 0);
        free(conv);
        free(bytes);
    }
    free(r.out.text);
}

static void test_single_byte(void)
{
    struct result r = { 0 };
    static const struct {
        const char *declared, *byte, *utf8;
    } cases[] = {
        { "windows-1252", "\x80", "\xE2\x82\xAC" },   /* € */
        { "CP1252", "\x9A", "\xC5\xA1" },             /* š */
        { "ISO-8859-15", "\xA4", "\xE2\x82\xAC" },    /* € */
        { "latin9", "\xBD", "\xC5\x93" },             /* œ */
        { "ISO-8859-2", "\xB1", "\xC4\x85" },         /* ą */
        { "US-ASCII", "a", "a" },
        { "utf8", "\xC3\xB8", "\xC3\xB8" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char xml[256], want[64];
        snprintf(xml, sizeof xml, "%s<?xml version=\"1.0\" encoding=\"%s\"?>"
                 "<kommunerapport><enhet><navn>%s</navn></enhet>"
                 "</kommunerapport>", i == 0 ? "\xEF\xBB\xBF" : "",
                 cases[i].declared, cases[i].byte);
        run_str(&r, xml);
        CHECK_INT(r.st, XMLREP_OK);
        snprintf(want, sizeof want, "name=%s ", cases[i].utf8);
        if (!strstr(r.out.text, want))
            fprintf(stderr, "case %zu: %s%s\n", i, r.out.text, r.err);
        CHECK(strstr(r.out.text, want) != NULL);
        CHECK(strstr(r.out.text, "warning") == NULL);
    }
    /* declared US-ASCII, and a byte that is not */
    run_str(&r, "<?xml version=\"1.0\" encoding=\"US-ASCII\"?>"
                "<kommunerapport><aargang>\xF8</aargang></kommunerapport>");
    CHECK_INT(r.st, XMLREP_REJECTED);
    CHECK(strncmp(r.err, "not well-formed XML", 19) == 0);
    free(r.out.text);
}

/* The guard: start tags as long as allowed, markup it must step over, and
 * lines past the first block. */
static void test_guard(void)
{
    struct result r = { 0 };
    const char head[] = "<Rapport xmlns=\"urn:no:helsedirektoratet:is-24-8:2\">\n"
                        "<!-- <a x=\" -->\n<![CDATA[ <b y=' ]]><?pi > ?>\n";
    size_t cap = 300000;
    char *xml = malloc(cap);
    for (size_t tag = XMLGUARD_MAX_TAG; tag <= XMLGUARD_MAX_TAG + 1;
         tag++) {
        /* "<Enhet x=\"...\">" of tag bytes in all, on line 4 */
        int n = snprintf(xml, cap, "%s<Enhet x=\"", head);
        size_t fill = tag - strlen("<Enhet x=\"\">");
        memset(xml + n, '>', fill);
        snprintf(xml + n + fill, cap - (size_t)n - fill,
                 "\">x</Enhet></Rapport>\n");
        for (size_t chunk = 0; chunk <= 1000; chunk += 1000) {
            run(&r, xml, strlen(xml), chunk, 0, NULL);
            if (tag == XMLGUARD_MAX_TAG) {
                CHECK_INT(r.st, XMLREP_OK);
                CHECK_INT(r.out.reports, 1);
            } else {
                CHECK_INT(r.st, XMLREP_REJECTED);
                CHECK_STR(r.err, "a start tag longer than 131072 characters "
                                 "at line 4");
            }
        }
    }
    /* 257 attributes after 3000 lines of comments (past the first block) */
    char *p = xml + sprintf(xml, "%s", head);
    for (int i = 0; i < 3000; i++)
        p += sprintf(p, "<!-- %d -->\n", i);
    p += sprintf(p, "<Enhet");
    for (int i = 0; i < 257; i++)
        p += sprintf(p, "\n a%d='='", i);
    sprintf(p, "/></Rapport>\n");
    run_str(&r, xml);
    CHECK_INT(r.st, XMLREP_REJECTED);
    CHECK_STR(r.err, "more than 256 attributes on one element at line 3004");
    free(xml);
    free(r.out.text);
}

int main(void)
{
    struct caught c;
    catch_stderr(&c);
    test_decision();
    test_bom();
    test_refused();
    test_single_byte();
    test_guard();
    release_stderr(&c);
    xmlCleanupParser();
    return check_done();
}
