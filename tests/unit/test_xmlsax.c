/*
 * test_xmlsax.c - the SAX2 handlers and the report state machine: the
 * DOCTYPE backstop (fed to xmlsax.h directly, past the byte guard, in
 * encodings the guard never lets through too), the limits the handlers
 * keep (depth, text, what follows the root, one report's answers and
 * bytes), attribute values with references, and elements in a foreign
 * namespace.
 */
#include "xmlrun.h"

#include <libxml/parser.h>

#include "ingest/rawbuild.h"
#include "ingest/xmlsax.h"

#define NS "urn:no:helsedirektoratet:is-24-8:2"

/* ---- the DOCTYPE backstop ------------------------------------------------ */

/* bytes straight into the handlers, in chunks of chunk bytes (0: one);
 * the reason, or "" */
static const char *sax_only(const char *bytes, size_t n, size_t chunk,
                            struct out *o, char *why, size_t len)
{
    struct xmlrep_sink sink = { on_report, on_warning, o };
    struct xmlsax_config c = { &sink, 1 << 20, NULL };
    struct xmlsax *s = xmlsax_new(&c);
    int done = 0;
    for (size_t at = 0; at < n && !done;) {
        size_t k = chunk && n - at > chunk ? chunk : n - at;
        done = xmlsax_feed(s, bytes + at, k, 0);
        at += k;
    }
    if (!done)
        xmlsax_feed(s, NULL, 0, 1);
    snprintf(why, len, "%s", xmlsax_reason(s) ? xmlsax_reason(s) : "");
    xmlsax_free(s);
    return why;
}

static void test_backstop(void)
{
    struct out o = { 0 };
    char why[512];
    static const struct {
        const char *code, *text;
        const char *why;
    } cases[] = {
        { "UTF-8",
          "<?xml version=\"1.0\"?>\n<!-- x -->\n<!DOCTYPE kommunerapport [\n"
          "<!ENTITY p SYSTEM \"file:///etc/passwd\">]>\n"
          "<kommunerapport><aargang>&p;</aargang></kommunerapport>\n",
          "DOCTYPE declarations are not allowed (line 3)" },
        /* the line of "<!DOCTYPE", not of the name the parser stands at */
        { "UTF-8",
          "<!DOCTYPE\n  kommunerapport\n  SYSTEM\n  \"http://127.0.0.1:9/x\">\n"
          "<kommunerapport/>\n",
          "DOCTYPE declarations are not allowed (line 1)" },
        /* (EBCDIC and UCS-4, which the guard cannot watch, the reader
         * refuses: test_xmlenc.c; libxml2 2.9's push parser cannot read
         * them anyway) */
        { "UTF-16LE",
          "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<!DOCTYPE k [\n"
          "<!ENTITY a SYSTEM \"file:///etc/passwd\">]>\n<k>&a;</k>\n",
          "DOCTYPE declarations are not allowed (line 2)" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n;
        char *bytes = convert(cases[i].code, cases[i].text, &n);
        for (size_t chunk = 0; chunk <= 1; chunk++) {
            o.reports = 0;
            CHECK_STR(sax_only(bytes, n, chunk, &o, why, sizeof why),
                      cases[i].why);
            CHECK_INT(o.reports, 0);
        }
        free(bytes);
    }
    CHECK(o.text == NULL || strstr(o.text, "root:") == NULL);
    free(o.text);
}

/* ---- limits of the handlers ---------------------------------------------- */

static void test_depth_text(void)
{
    struct result r = { 0 };
    size_t cap = 21 * 1000 * 1000;
    char *xml = malloc(cap);
    for (int depth = 256; depth <= 257; depth++) {
        char *p = xml + sprintf(xml, "<Rapport xmlns=\"" NS "\">\n");
        for (int i = 1; i < depth; i++)
            p += sprintf(p, "<a>");
        p += sprintf(p, "\n");
        for (int i = 1; i < depth; i++)
            p += sprintf(p, "</a>");
        sprintf(p, "</Rapport>\n");
        run_str(&r, xml);
        if (depth == 256) {
            CHECK_INT(r.st, XMLREP_OK);
        } else {
            CHECK_INT(r.st, XMLREP_REJECTED);
            CHECK_STR(r.err, "elements nested more than 256 deep at line 2");
        }
    }
    /* one text node: 10 000 000 bytes are fine, one more is not; a
     * comment, a PI or a CDATA section in between makes two nodes, each
     * of which may have as many */
    static const char *const between[] = { "", "<!-- - -->", "<?pi x?>",
                                            "<![CDATA[c]]>" };
    for (size_t b = 0; b < 4; b++) {
        for (int more = 0; more <= 1; more++) {
            size_t first = b ? 10000000 : 5000000;
            char *p = xml + sprintf(xml, "<Rapport xmlns=\"" NS "\">\n<Ny>");
            memset(p, 't', first);
            p += first;
            p += sprintf(p, "%s", between[b]);
            memset(p, 't', 10000000 - first + (size_t)more + (b ? first : 0));
            p += 10000000 - first + (size_t)more + (b ? first : 0);
            sprintf(p, "</Ny>\n</Rapport>\n");
            run_str(&r, xml);
            if (!more) {
                CHECK_INT(r.st, XMLREP_OK);
            } else {
                CHECK_INT(r.st, XMLREP_REJECTED);
                CHECK_STR(r.err, "text longer than 10000000 bytes at line 2");
            }
        }
    }
    free(xml);
    free(r.out.text);
}

/* What follows the root element: 1 MiB (and a comment) at most. */
static void test_epilogue(void)
{
    struct result r = { 0 };
    size_t max = XMLSAX_MAX_EPILOGUE;
    char *xml = malloc(max + 256);
    for (size_t extra = 0; extra <= 1; extra++) {
        int n = sprintf(xml, "<kommunerapport/>");
        memset(xml + n, '\n', max - 7 + extra);
        memcpy(xml + n + max - 7 + extra, "<!---->", 8);
        for (size_t chunk = 0; chunk <= 1000; chunk += 1000) {
            run(&r, xml, strlen(xml), chunk, 0, NULL);
            if (!extra) {
                CHECK_INT(r.st, XMLREP_OK);
            } else {
                CHECK_INT(r.st, XMLREP_REJECTED);
                CHECK_STR(r.err, "more than 1048576 bytes after the end of "
                                 "the root element");
            }
        }
    }
    free(xml);
    free(r.out.text);
}

/* One report's limits: it is set aside, its answers dropped; the next
 * report of the file is whole. */
static void test_report_limits(void)
{
    struct result r = { 0 };
    const char next[] = "<Rapport rapporteringsaar=\"2020\"><Enhet nummer=\"2\"/>"
                        "<Kapittel nr=\"1\"><Svar sporsmal=\"B\">Nei</Svar>"
                        "</Kapittel></Rapport>\n</Rapporter>\n";
    size_t cap = 72 * 1000 * 1000;
    char *xml = malloc(cap), *p;

    /* 500 001 empty answers, on line 3 */
    p = xml + sprintf(xml, "<Rapporter xmlns=\"" NS "\">\n<Rapport "
                      "rapporteringsaar=\"2019\"><Enhet nummer=\"1\"/>\n"
                      "<Kapittel nr=\"1\">");
    for (int i = 0; i <= RAWBUILD_MAX_ANSWERS; i++)
        p += sprintf(p, "<Svar sporsmal=\"A\"/>");
    sprintf(p, "</Kapittel></Rapport>\n%s", next);
    run_str(&r, xml);
    CHECK_INT(r.st, XMLREP_OK);
    CHECK_STR(r.out.text,
              "report 1 v2 line 2\n"
              " year=2019 submitted=NULL id=NULL\n"
              " unit type=NULL code=1 name=NULL population=NULL\n"
              " fault=more than 500000 answers in one report (line 3)\n"
              "report 2 v2 line 4\n"
              " year=2020 submitted=NULL id=NULL\n"
              " unit type=NULL code=2 name=NULL population=NULL\n"
              " 0: chapter=1 question=B code=NULL text='Nei' parent=-1 "
              "line=4\n");

    /* 68 answers of 1 000 000 bytes: more than 64 MiB, met on line 70 (the
     * 68th) */
    p = xml + sprintf(xml, "<Rapporter xmlns=\"" NS "\">\n<Rapport "
                      "rapporteringsaar=\"2019\"><Enhet nummer=\"1\"/>\n"
                      "<Kapittel nr=\"1\">");
    for (int i = 0; i < 68; i++) {
        p += sprintf(p, "<Svar sporsmal=\"A\">");
        memset(p, 'v', 1000000);
        p += 1000000;
        p += sprintf(p, "</Svar>\n");
    }
    sprintf(p, "</Kapittel></Rapport>\n%s", next);
    run_str(&r, xml);
    CHECK_INT(r.st, XMLREP_OK);
    CHECK(strstr(r.out.text, " fault=more than 67108864 bytes of values in one "
                             "report (line 70)\nreport 2 ") != NULL);
    CHECK(strstr(r.out.text, "vvvv") == NULL);
    CHECK(strstr(r.out.text, "text='Nei'") != NULL);
    free(xml);
    free(r.out.text);
}

/* ---- values and names ----------------------------------------------------- */

static void test_attributes(void)
{
    struct result r = { 0 };
    run_str(&r, "<Rapport xmlns=\"" NS "\" rapporteringsaar=\"20&#x31;9\">"
                "<Enhet nummer=\"1&amp;2&#38;3&lt;4&#x41;&quot;\" "
                "type=\"a&#10;b\tc\"/></Rapport>");
    CHECK_INT(r.st, XMLREP_OK);
    CHECK_STR(r.out.text, "report 1 v2 line 1\n"
                          " year=2019 submitted=NULL id=NULL\n"
                          " unit type=a\nb c code=1&2&3<4A\" name=NULL "
                          "population=NULL\n");
    free(r.out.text);
}

static void test_foreign(void)
{
    struct result r = { 0 };
    /* a whole Kapittel in another namespace, one without a namespace, and
     * an unknown element (an extension: silent, as before) */
    run_str(&r, "<Rapport xmlns=\"" NS "\" xmlns:f=\"urn:other\">\n"
                "<f:Kapittel nr=\"21\"><Svar sporsmal=\"A\">Ja</Svar>"
                "</f:Kapittel>\n"
                "<Kapittel xmlns=\"\" nr=\"22\"/>\n"
                "<Ny><Kapittel nr=\"23\"/></Ny>\n"
                "<Kapittel nr=\"4\"><Svar sporsmal=\"B\">x</Svar></Kapittel>\n"
                "</Rapport>");
    CHECK_INT(r.st, XMLREP_OK);
    CHECK_STR(r.out.text,
              "warning line 2: 'Kapittel' in namespace 'urn:other' ignored "
              "with everything inside it\n"
              "warning line 3: 'Kapittel' without the namespace '" NS "' "
              "ignored with everything inside it\n"
              "report 1 v2 line 1\n"
              " year=NULL submitted=NULL id=NULL\n"
              " unit type=NULL code=NULL name=NULL population=NULL\n"
              " 0: chapter=4 question=B code=NULL text='x' parent=-1 line=5\n");

    /* version 1; a namespace that would break or reorder the line is
     * quoted escaped (libxml2 finds it is not a URI, and says so quoting
     * it: escaped too) */
    run_str(&r, "<kommunerapport><svar>\n"
                "<x:sporsmal xmlns:x=\"urn:x\" id=\"7.1\">1"
                "</x:sporsmal></svar></kommunerapport>");
    CHECK_INT(r.st, XMLREP_OK);
    CHECK_STR(r.out.text,
              "warning line 2: 'sporsmal' in namespace 'urn:x' "
              "ignored with everything inside it\n"
              "report 1 v1 line 1\n"
              " year=NULL submitted=NULL id=NULL\n"
              " unit type=NULL code=NULL name=NULL population=NULL\n");
    run_str(&r, "<kommunerapport><svar>\n"
                "<x:sporsmal xmlns:x=\"urn:a&#9;b\xE2\x80\xAE\" id=\"7.1\">1"
                "</x:sporsmal></svar></kommunerapport>");
    CHECK_INT(r.st, XMLREP_REJECTED);
    CHECK_STR(r.err, "not well-formed XML at line 2: xmlns:x: "
                     "'urn:a\\tb\\u202E' is not a valid URI");
    CHECK(strstr(r.out.text, "\xE2\x80\xAE") == NULL);

    /* directly under Rapporter */
    run_str(&r, "<Rapporter xmlns=\"" NS "\" xmlns:f=\"urn:other\">\n"
                "<f:Rapport rapporteringsaar=\"2019\"/>\n</Rapporter>");
    CHECK_INT(r.st, XMLREP_OK);
    CHECK_STR(r.out.text, "warning line 2: 'Rapport' in namespace 'urn:other' "
                          "ignored with everything inside it\n");
    free(r.out.text);
}

int main(void)
{
    struct caught c;
    catch_stderr(&c);
    test_backstop();
    test_depth_text();
    test_epilogue();
    test_report_limits();
    test_attributes();
    test_foreign();
    release_stderr(&c);
    xmlCleanupParser();
    return check_done();
}
