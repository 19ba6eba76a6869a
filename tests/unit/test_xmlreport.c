/*
 * test_xmlreport.c - ingest/xmlreport.c against the spec's examples and the
 * faults of §8 of the delivery format: each case feeds bytes through a
 * read function and compares a dump of every report delivered (golden
 * text, as libxml2's runtest does) and the reason of a rejection.
 *
 * stderr is redirected to a temporary file for the whole run: libxml2 must
 * print nothing itself.
 */
#include "xmlrun.h"

#include <libxml/parser.h>

/* ---- the spec's examples ----------------------------------------------- */

/* examples/v1-2017-1601.xml, ISO-8859-1: \xC5 is Å, \xF8 is ø */
static const char v1_example[] =
    "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
    "<kommunerapport skjema=\"IS-24/8\" versjon=\"1\">\n"
    "  <aargang>2017</aargang>\n"
    "  <innsendt>2018-03-01T14:05:00</innsendt>\n"
    "  <enhet type=\"kommune\">\n"
    "    <nummer>1601</nummer>\n"
    "    <navn>Trondheim</navn>\n"
    "    <innbyggere>190464</innbyggere>\n"
    "  </enhet>\n"
    "  <svar>\n"
    "    <sporsmal id=\"3.1\">412,5</sporsmal>\n"
    "    <sporsmal id=\"3.2\">\xC5rsverk i rusarbeid er f\xF8rt under psykisk "
    "helsearbeid</sporsmal>\n"
    "    <sporsmal id=\"7.1\">1</sporsmal>\n"
    "    <sporsmal id=\"7.1.1\">2</sporsmal>\n"
    "    <sporsmal id=\"7.2\">3</sporsmal>\n"
    "    <sporsmal id=\"7.3\">1</sporsmal>\n"
    "    <sporsmal id=\"7.4\">9</sporsmal>\n"
    "  </svar>\n"
    "</kommunerapport>\n";

static const char v1_expected[] =
    "report 1 v1 line 2\n"
    " year=2017 submitted=2018-03-01T14:05:00 id=NULL\n"
    " unit type=kommune code=1601 name=Trondheim population=190464\n"
    " 0: chapter=NULL question=3.1 code=NULL text='412,5' parent=-1 line=11\n"
    " 1: chapter=NULL question=3.2 code=NULL text='Årsverk i rusarbeid er "
    "ført under psykisk helsearbeid' parent=-1 line=12\n"
    " 2: chapter=NULL question=7.1 code=NULL text='1' parent=-1 line=13\n"
    " 3: chapter=NULL question=7.1.1 code=NULL text='2' parent=-1 line=14\n"
    " 4: chapter=NULL question=7.2 code=NULL text='3' parent=-1 line=15\n"
    " 5: chapter=NULL question=7.3 code=NULL text='1' parent=-1 line=16\n"
    " 6: chapter=NULL question=7.4 code=NULL text='9' parent=-1 line=17\n";

/* examples/v2-2018-5001.xml */
static const char v2_example[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<Rapport xmlns=\"urn:no:helsedirektoratet:is-24-8:2\" "
    "rapporteringsaar=\"2018\">\n"
    "  <Innsending id=\"5f0c7c1e-2b4a-4e55-9d0e-3a1f4c2b9e01\" "
    "tidspunkt=\"2019-02-11T10:03:00+01:00\"/>\n"
    "  <Enhet type=\"kommune\" nummer=\"5001\" "
    "innbyggere=\"193501\">Trondheim</Enhet>\n"
    "  <Kapittel nr=\"4\" tittel=\"Årsverk\">\n"
    "    <Svar sporsmal=\"4.1\">431,2</Svar>\n"
    "  </Kapittel>\n"
    "  <Kapittel nr=\"21\" tittel=\"Arbeidstiltak\">\n"
    "    <Svar sporsmal=\"ARB_NAV_SAMARBEID\" kode=\"1\">Ja</Svar>\n"
    "    <Svar sporsmal=\"ARB_NAV_SAMARBEID_SPES\" kode=\"2\">Nei</Svar>\n"
    "    <Svar sporsmal=\"ARB_NAV_SAMHANDLING\" kode=\"4\">God</Svar>\n"
    "    <Svar sporsmal=\"ARB_IPS_SE_PSYK\">\n"
    "      <Valg kode=\"IPS\">Individuell jobbstøtte (IPS)</Valg>\n"
    "      <Valg kode=\"SE\">Supported employment (SE)</Valg>\n"
    "    </Svar>\n"
    "    <Svar sporsmal=\"ARB_IPS_SE_RUS\">\n"
    "      <Valg kode=\"INGEN\">Ingen av disse</Valg>\n"
    "    </Svar>\n"
    "  </Kapittel>\n"
    "</Rapport>\n";

static const char v2_expected[] =
    "report 1 v2 line 2\n"
    " year=2018 submitted=2019-02-11T10:03:00+01:00 "
    "id=5f0c7c1e-2b4a-4e55-9d0e-3a1f4c2b9e01\n"
    " unit type=kommune code=5001 name=Trondheim population=193501\n"
    " 0: chapter=4 question=4.1 code=NULL text='431,2' parent=-1 line=6\n"
    " 1: chapter=21 question=ARB_NAV_SAMARBEID code=1 text='Ja' parent=-1 "
    "line=9\n"
    " 2: chapter=21 question=ARB_NAV_SAMARBEID_SPES code=2 text='Nei' "
    "parent=-1 line=10\n"
    " 3: chapter=21 question=ARB_NAV_SAMHANDLING code=4 text='God' "
    "parent=-1 line=11\n"
    " 4: chapter=21 question=ARB_IPS_SE_PSYK code=NULL text=NULL parent=-1 "
    "line=12\n"
    " 5: chapter=21 question=ARB_IPS_SE_PSYK code=IPS text='Individuell "
    "jobbstøtte (IPS)' parent=4 line=13\n"
    " 6: chapter=21 question=ARB_IPS_SE_PSYK code=SE text='Supported "
    "employment (SE)' parent=4 line=14\n"
    " 7: chapter=21 question=ARB_IPS_SE_RUS code=NULL text=NULL parent=-1 "
    "line=16\n"
    " 8: chapter=21 question=ARB_IPS_SE_RUS code=INGEN text='Ingen av "
    "disse' parent=7 line=17\n";

/* examples/v2-2019-county-03.xml */
static const char county_example[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<!-- Oslo: all city districts in one file -->\n"
    "<is:Rapporter xmlns:is=\"urn:no:helsedirektoratet:is-24-8:2\">\n"
    "  <is:Rapport rapporteringsaar=\"2019\">\n"
    "    <is:Innsending id=\"0b7d2f52-51e4-4a8e-8a59-0e3c7f6f1a10\" "
    "tidspunkt=\"2020-01-28T09:12:44+01:00\"/>\n"
    "    <is:Enhet type=\"bydel\" nummer=\"030112\" "
    "innbyggere=\"49801\">Alna</is:Enhet>\n"
    "    <is:Kapittel nr=\"21\" tittel=\"Arbeidstiltak\">\n"
    "      <is:Svar sporsmal=\"ARB_NAV_SAMARBEID\">ja</is:Svar>\n"
    "      <is:Svar sporsmal=\"ARB_NAV_SAMARBEID_SPES\">Vet ikke</is:Svar>\n"
    "      <is:Svar sporsmal=\"ARB_NAV_SAMHANDLING\">Svært  god</is:Svar>\n"
    "      <is:Svar sporsmal=\"ARB_IPS_SE_PSYK\"><is:Valg "
    "kode=\"IPS\"/></is:Svar>\n"
    "      <is:Svar sporsmal=\"ARB_IPS_SE_RUS\"><is:Valg "
    "kode=\"IPS\"/></is:Svar>\n"
    "    </is:Kapittel>\n"
    "  </is:Rapport>\n"
    "  <is:Rapport rapporteringsaar=\"2019\">\n"
    "    <is:Innsending id=\"8c7d1e0a-6f7e-4d0b-b7a2-31c4e2f9d3aa\" "
    "tidspunkt=\"2020-02-03T13:40:00+01:00\"/>\n"
    "    <is:Enhet type=\"bydel\" nummer=\"030115\" "
    "innbyggere=\"39021\">Søndre Nordstrand</is:Enhet>\n"
    "    <is:Kapittel nr=\"21\" tittel=\"Arbeidstiltak\">\n"
    "      <is:Svar sporsmal=\"ARB_NAV_SAMARBEID\" kode=\"2\">Nei</is:Svar>\n"
    "      <is:Svar sporsmal=\"ARB_NAV_SAMHANDLING\" kode=\"3\">Verken god "
    "eller dårlig</is:Svar>\n"
    "      <is:Svar sporsmal=\"ARB_IPS_SE_PSYK\"><is:Valg>Vet "
    "ikke</is:Valg></is:Svar>\n"
    "      <is:Svar sporsmal=\"ARB_IPS_SE_RUS\"/>\n"
    "    </is:Kapittel>\n"
    "  </is:Rapport>\n"
    "</is:Rapporter>\n";

static const char county_expected[] =
    "report 1 v2 line 4\n"
    " year=2019 submitted=2020-01-28T09:12:44+01:00 "
    "id=0b7d2f52-51e4-4a8e-8a59-0e3c7f6f1a10\n"
    " unit type=bydel code=030112 name=Alna population=49801\n"
    " 0: chapter=21 question=ARB_NAV_SAMARBEID code=NULL text='ja' "
    "parent=-1 line=8\n"
    " 1: chapter=21 question=ARB_NAV_SAMARBEID_SPES code=NULL text='Vet "
    "ikke' parent=-1 line=9\n"
    " 2: chapter=21 question=ARB_NAV_SAMHANDLING code=NULL text='Svært  god' "
    "parent=-1 line=10\n"
    " 3: chapter=21 question=ARB_IPS_SE_PSYK code=NULL text=NULL parent=-1 "
    "line=11\n"
    " 4: chapter=21 question=ARB_IPS_SE_PSYK code=IPS text=NULL parent=3 "
    "line=11\n"
    " 5: chapter=21 question=ARB_IPS_SE_RUS code=NULL text=NULL parent=-1 "
    "line=12\n"
    " 6: chapter=21 question=ARB_IPS_SE_RUS code=IPS text=NULL parent=5 "
    "line=12\n"
    "report 2 v2 line 15\n"
    " year=2019 submitted=2020-02-03T13:40:00+01:00 "
    "id=8c7d1e0a-6f7e-4d0b-b7a2-31c4e2f9d3aa\n"
    " unit type=bydel code=030115 name=Søndre Nordstrand population=39021\n"
    " 0: chapter=21 question=ARB_NAV_SAMARBEID code=2 text='Nei' parent=-1 "
    "line=19\n"
    " 1: chapter=21 question=ARB_NAV_SAMHANDLING code=3 text='Verken god "
    "eller dårlig' parent=-1 line=20\n"
    " 2: chapter=21 question=ARB_IPS_SE_PSYK code=NULL text=NULL parent=-1 "
    "line=21\n"
    " 3: chapter=21 question=ARB_IPS_SE_PSYK code=NULL text='Vet ikke' "
    "parent=2 line=21\n"
    " 4: chapter=21 question=ARB_IPS_SE_RUS code=NULL text=NULL parent=-1 "
    "line=22\n";

static void test_examples(void)
{
    struct result r = { 0 };
    run_str(&r, v1_example);
    CHECK_INT(r.st, XMLREP_OK);
    CHECK_STR(r.out.text, v1_expected);
    CHECK_STR(r.err, "");

    run_str(&r, v2_example);
    CHECK_INT(r.st, XMLREP_OK);
    CHECK_STR(r.out.text, v2_expected);

    run_str(&r, county_example);
    CHECK_INT(r.st, XMLREP_OK);
    CHECK_STR(r.out.text, county_expected);
    CHECK_INT(r.out.reports, 2);
    free(r.out.text);
}

/* One byte per read, and a few odd chunk sizes: the same reports. */
static void test_streaming(void)
{
    struct result r = { 0 };
    static const size_t chunks[] = { 1, 2, 3, 7, 64, 4095 };
    for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
        run(&r, county_example, strlen(county_example), chunks[i], 0, NULL);
        CHECK_INT(r.st, XMLREP_OK);
        CHECK_STR(r.out.text, county_expected);
        run(&r, v1_example, strlen(v1_example), chunks[i], 0, NULL);
        CHECK_INT(r.st, XMLREP_OK);
        CHECK_STR(r.out.text, v1_expected);
    }
    free(r.out.text);
}

/* ---- encodings ---------------------------------------------------------- */

static const char v1_mislabelled[] = /* declared ISO-8859-1, is UTF-8 */
    "<?xml version='1.0' encoding='iso-8859-1'?>\n"
    "<kommunerapport versjon=\"1\">\n"
    "<aargang>2016</aargang>\n"
    "<enhet type=\"kommune\"><nummer>1902</nummer>"
    "<navn>Troms\xC3\xB8</navn></enhet>\n"
    "<svar><sporsmal id=\"3.2\">\xC3\x85rsverk</sporsmal></svar>\n"
    "</kommunerapport>\n";

static const char v1_mislabelled_expected[] =
    "warning line 0: declared ISO-8859-1 but is UTF-8; read as UTF-8\n"
    "report 1 v1 line 2\n"
    " year=2016 submitted=NULL id=NULL\n"
    " unit type=kommune code=1902 name=Tromsø population=NULL\n"
    " 0: chapter=NULL question=3.2 code=NULL text='Årsverk' parent=-1 "
    "line=5\n";

static void test_encodings(void)
{
    struct result r = { 0 };

    /* a real ISO-8859-1 byte: ø is 0xF8, handed out as UTF-8 C3 B8 */
    const char latin1[] =
        "<?xml version=\"1.0\" encoding=\"latin1\"?>"
        "<kommunerapport><enhet><navn>Troms\xF8</navn></enhet>"
        "</kommunerapport>";
    run_str(&r, latin1);
    CHECK_INT(r.st, XMLREP_OK);
    CHECK(strstr(r.out.text, "name=Troms\xC3\xB8 ") != NULL);
    CHECK(strstr(r.out.text, "warning") == NULL);

    run_str(&r, v1_mislabelled);
    CHECK_INT(r.st, XMLREP_OK);
    CHECK_STR(r.out.text, v1_mislabelled_expected);
    CHECK(strstr(r.out.text, "Troms\xC3\x83\xC2\xB8") == NULL); /* TromsÃ¸ */

    /* the same one byte at a time */
    run(&r, v1_mislabelled, strlen(v1_mislabelled), 1, 0, NULL);
    CHECK_STR(r.out.text, v1_mislabelled_expected);

    /* more than sniff_bytes from the first non-ASCII byte on: read as
     * UTF-8 from where the cap is met, and still right */
    struct xmlrep_limits small = { XMLREP_DEFAULT_VALUE_BYTES, 16 };
    for (size_t chunk = 0; chunk <= 1; chunk++) {
        run(&r, v1_mislabelled, strlen(v1_mislabelled), chunk, 0, &small);
        CHECK_INT(r.st, XMLREP_OK);
        CHECK_STR(r.out.text, v1_mislabelled_expected);
    }

    /* ASCII only: nothing to warn about */
    run_str(&r, "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"
                "<kommunerapport><aargang>2015</aargang></kommunerapport>");
    CHECK_INT(r.st, XMLREP_OK);
    CHECK(strstr(r.out.text, "warning") == NULL);
    CHECK(strstr(r.out.text, "year=2015 ") != NULL);

    /* byte order mark, version 2 */
    const char bom[] =
        "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<Rapport xmlns=\"urn:no:helsedirektoratet:is-24-8:2\" "
        "rapporteringsaar=\"2020\"><Enhet>Bod\xC3\xB8</Enhet></Rapport>";
    run_str(&r, bom);
    CHECK_INT(r.st, XMLREP_OK);
    CHECK_STR(r.out.text, "report 1 v2 line 2\n"
                          " year=2020 submitted=NULL id=NULL\n"
                          " unit type=NULL code=NULL name=Bodø "
                          "population=NULL\n");

    /* byte order mark on a file declared ISO-8859-1 that is UTF-8 */
    const char bom_latin1[] =
        "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"ISO_8859-1\"?>\n"
        "<kommunerapport><enhet><navn>Bod\xC3\xB8</navn></enhet>"
        "</kommunerapport>";
    run_str(&r, bom_latin1);
    CHECK_INT(r.st, XMLREP_OK);
    CHECK(strstr(r.out.text, "name=Bodø ") != NULL);
    CHECK(strstr(r.out.text, "warning line 0: declared ISO-8859-1 but is "
                             "UTF-8; read as UTF-8\n") != NULL);

    /* not UTF-8 although it says so: set aside, never handed out */
    run_str(&r, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                "<Rapport xmlns=\"urn:no:helsedirektoratet:is-24-8:2\">\n"
                "<Enhet>Troms\xF8</Enhet></Rapport>");
    CHECK_INT(r.st, XMLREP_REJECTED);
    CHECK_INT(r.out.reports, 0);
    CHECK(strncmp(r.err, "not well-formed XML at line 3: ", 31) == 0);

    /* CRLF line ends: lines counted, CR LF read as LF (XML 2.11); the
     * name spans lines 3 and 4, so the Svar is on line 6 */
    const char crlf[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n"
        "<Rapport xmlns=\"urn:no:helsedirektoratet:is-24-8:2\">\r\n"
        "  <Enhet nummer=\"5001\">Trond\r\nheim</Enhet>\r\n"
        "  <Kapittel nr=\"21\">\r\n"
        "    <Svar sporsmal=\"A\">Ja</Svar>\r\n"
        "  </Kapittel>\r\n"
        "</Rapport>\r\n";
    run_str(&r, crlf);
    CHECK_INT(r.st, XMLREP_OK);
    CHECK_STR(r.out.text, "report 1 v2 line 2\n"
                          " year=NULL submitted=NULL id=NULL\n"
                          " unit type=NULL code=5001 name=Trond\nheim "
                          "population=NULL\n"
                          " 0: chapter=21 question=A code=NULL text='Ja' "
                          "parent=-1 line=6\n");
    free(r.out.text);
}

/* ---- text values -------------------------------------------------------- */

static void test_text(void)
{
    struct result r = { 0 };
    const char xml[] =
        "<?xml version=\"1.0\"?>\n"
        "<?pi before the root?>\n"
        "<!-- a comment -->\n"
        "<x:Rapport xmlns:x=\"urn:no:helsedirektoratet:is-24-8:2\">\n"
        "  <!-- comment --><?pi?>\n"
        "  <x:Kapittel nr=\"21\">\n"
        "    <x:Svar sporsmal=\"A\">J<!-- c -->a<?pi x?></x:Svar>\n"
        "    <x:Svar sporsmal=\"B\">  Ja  </x:Svar>\n"
        "    <x:Svar sporsmal=\"C\"> \t\n </x:Svar>\n"
        "    <x:Svar sporsmal=\"D\"></x:Svar>\n"
        "    <x:Svar sporsmal=\"E\"><![CDATA[<Nei>]]> &amp; &#x263A;</x:Svar>\n"
        "    <x:Svar sporsmal=\"F\">a<?pi?>c</x:Svar>\n"
        "    <x:Svar sporsmal=\"G\" kode=\"1\"/>\n"
        "    <x:Svar sporsmal=\"H\">\n"
        "      <!-- x --><x:Valg kode=\"SE\"> SE </x:Valg>\n"
        "    </x:Svar>\n"
        "  </x:Kapittel>\n"
        "</x:Rapport>\n"
        "<!-- after --><?pi after?>\n";
    run_str(&r, xml);
    CHECK_INT(r.st, XMLREP_OK);
    CHECK_STR(r.out.text,
              "report 1 v2 line 4\n"
              " year=NULL submitted=NULL id=NULL\n"
              " unit type=NULL code=NULL name=NULL population=NULL\n"
              " 0: chapter=21 question=A code=NULL text='Ja' parent=-1 "
              "line=7\n"
              " 1: chapter=21 question=B code=NULL text='  Ja  ' parent=-1 "
              "line=8\n"
              " 2: chapter=21 question=C code=NULL text=NULL parent=-1 "
              "line=9\n"
              " 3: chapter=21 question=D code=NULL text=NULL parent=-1 "
              "line=11\n"
              " 4: chapter=21 question=E code=NULL text='<Nei> & ☺' "
              "parent=-1 line=12\n"
              " 5: chapter=21 question=F code=NULL text='ac' parent=-1 "
              "line=13\n"
              " 6: chapter=21 question=G code=1 text=NULL parent=-1 "
              "line=14\n"
              " 7: chapter=21 question=H code=NULL text=NULL parent=-1 "
              "line=15\n"
              " 8: chapter=21 question=H code=SE text=' SE ' parent=7 "
              "line=16\n");
    free(r.out.text);
}

/* ---- files set aside ---------------------------------------------------- */

static void test_truncated(void)
{
    struct result r = { 0 };
    /* cut after line 17, inside a Svar */
    const char *cut = strstr(v2_example, "Ingen av disse</Valg>\n") + 22;
    run(&r, v2_example, (size_t)(cut - v2_example), 0, 0, NULL);
    CHECK_INT(r.st, XMLREP_REJECTED);
    CHECK_INT(r.out.reports, 0);
    CHECK_STR(r.err, "not well-formed XML at line 17: Premature end of data "
                     "in tag Svar");
    run(&r, v2_example, (size_t)(cut - v2_example), 1, 0, NULL);
    CHECK_STR(r.err, "not well-formed XML at line 17: Premature end of data "
                     "in tag Svar");

    /* A county file cut in its second report, far enough from the first
     * for the reader to deliver that one first: the return value says to
     * discard it.  (In a small file the error can be met first.) */
    const char *second = strstr(county_example + 200, "  <is:Rapport");
    size_t head = (size_t)(second - county_example), pad = 100000;
    char *cutfile = malloc(head + pad + 64);
    memcpy(cutfile, county_example, head);
    memcpy(cutfile + head, "<!--", 4);
    memset(cutfile + head + 4, 'x', pad);
    strcpy(cutfile + head + 4 + pad, "-->\n<is:Rapport>\n<is:Enh");
    run_str(&r, cutfile);
    CHECK_INT(r.st, XMLREP_REJECTED);
    CHECK_INT(r.out.reports, 1);
    /* cut inside a start tag: said as the end of the data it is */
    CHECK_STR(r.err, "not well-formed XML at line 17: Premature end of data "
                     "in tag Rapport");
    free(cutfile);

    /* extra content after the root */
    run_str(&r, "<kommunerapport/>\n<b/>");
    CHECK_INT(r.st, XMLREP_REJECTED);
    CHECK_STR(r.err, "not well-formed XML at line 2: Extra content at the end "
                     "of the document");

    /* the source fails: its reason, not libxml2's */
    run(&r, county_example, strlen(county_example), 0, 300, NULL);
    CHECK_INT(r.st, XMLREP_REJECTED);
    CHECK_STR(r.err, "truncated archive: test source cut off");
    run(&r, county_example, strlen(county_example), 1, 5, NULL);
    CHECK_INT(r.st, XMLREP_REJECTED);
    CHECK_STR(r.err, "truncated archive: test source cut off");
    /* declared ISO-8859-1: fails while buffering */
    run(&r, v1_example, strlen(v1_example), 0, 100, NULL);
    CHECK_INT(r.st, XMLREP_REJECTED);
    CHECK_STR(r.err, "truncated archive: test source cut off");

    /* nothing at all, and nothing but a declaration and a comment */
    run_str(&r, "");
    CHECK_INT(r.st, XMLREP_REJECTED);
    CHECK_STR(r.err, "empty file");
    run(&r, "", 0, 0, 0, NULL);
    CHECK_STR(r.err, "empty file");
    run_str(&r, "<?xml version=\"1.0\"?>\n<!-- nothing -->\n\n");
    CHECK_INT(r.st, XMLREP_REJECTED);
    CHECK_STR(r.err, "not well-formed XML at line 4: no root element");

    /* namespace not declared: not namespace-well-formed */
    run_str(&r, "<Rapport xmlns=\"urn:no:helsedirektoratet:is-24-8:2\">"
                "<is:Enhet/></Rapport>");
    CHECK_INT(r.st, XMLREP_REJECTED);
    CHECK(strncmp(r.err, "not well-formed XML at line 1: ", 31) == 0);
    free(r.out.text);
}

static void test_doctype(void)
{
    struct result r = { 0 };
    const char internal[] =
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE Rapport [\n"
        "  <!ENTITY a \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">\n"
        "  <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
        "]>\n"
        "<Rapport xmlns=\"urn:no:helsedirektoratet:is-24-8:2\">"
        "<Enhet>&b;</Enhet></Rapport>\n";
    run_str(&r, internal);
    CHECK_INT(r.st, XMLREP_REJECTED);
    CHECK_STR(r.err, "DOCTYPE declarations are not allowed (line 2)");
    CHECK_INT(r.out.reports, 0);

    const char external[] =
        "<?xml version=\"1.0\"?>\n"
        "<!-- x -->\n"
        "<!DOCTYPE Rapport [\n"
        "  <!ENTITY passwd SYSTEM \"file:///etc/passwd\">\n"
        "]>\n"
        "<Rapport xmlns=\"urn:no:helsedirektoratet:is-24-8:2\">"
        "<Enhet>&passwd;</Enhet></Rapport>\n";
    run_str(&r, external);
    CHECK_INT(r.st, XMLREP_REJECTED);
    CHECK_STR(r.err, "DOCTYPE declarations are not allowed (line 3)");
    CHECK_INT(r.out.reports, 0);
    CHECK(strstr(r.out.text, "root:") == NULL);

    /* The same after a prolog longer than the first 64 KiB block: the
     * bytes are watched as they arrive, so the line is still exact and the
     * external entity is never read. */
    size_t pad = 70000;
    size_t len = pad + sizeof external + 16;
    char *big = malloc(len);
    memcpy(big, "<!--", 4);
    memset(big + 4, 'x', pad - 7);
    memcpy(big + pad - 3, "-->", 3);
    memcpy(big + pad, external + 22, sizeof external - 22); /* no decl */
    run_str(&r, big);
    CHECK_INT(r.st, XMLREP_REJECTED);
    CHECK_STR(r.err, "DOCTYPE declarations are not allowed (line 2)");
    CHECK_INT(r.out.reports, 0);
    CHECK(strstr(r.out.text, "root:") == NULL);
    CHECK(strstr(r.err, "root:") == NULL);
    /* one byte at a time */
    run(&r, big, strlen(big), 1, 0, NULL);
    CHECK_INT(r.st, XMLREP_REJECTED);
    CHECK_STR(r.err, "DOCTYPE declarations are not allowed (line 2)");

    /* UTF-16 is watched as well (its code units as characters), so the
     * DOCTYPE is refused as early and its line is exact, in both byte
     * orders, with or without a byte order mark, however the bytes come. */
    const char *u8 = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n"
                     "<!DOCTYPE kommunerapport [\n"
                     "<!ENTITY p SYSTEM \"file:///etc/passwd\">]>\n"
                     "<kommunerapport><aargang>&p;</aargang>"
                     "</kommunerapport>\n";
    size_t n16;
    for (int be = 0; be <= 1; be++) {
        for (int bom = 0; bom <= 1; bom++) {
            char *u16 = utf16(u8, be, bom, &n16);
            for (size_t chunk = 0; chunk <= 1; chunk++) {
                run(&r, u16, n16, chunk, 0, NULL);
                CHECK_INT(r.st, XMLREP_REJECTED);
                CHECK_STR(r.err,
                          "DOCTYPE declarations are not allowed (line 2)");
                CHECK_INT(r.out.reports, 0);
                CHECK(strstr(r.out.text, "root:") == NULL);
            }
            free(u16);
        }
    }

    /* a DOCTYPE without a subset is refused just the same */
    run_str(&r, "<!DOCTYPE kommunerapport SYSTEM \"http://example.com/x.dtd\">"
                "<kommunerapport/>");
    CHECK_INT(r.st, XMLREP_REJECTED);
    CHECK_STR(r.err, "DOCTYPE declarations are not allowed (line 1)");
    free(big);
    free(r.out.text);
}

static void test_roots(void)
{
    struct result r = { 0 };
    run_str(&r, "<html><body/></html>");
    CHECK_INT(r.st, XMLREP_REJECTED);
    CHECK_STR(r.err, "not an IS-24/8 report: root element 'html'");

    run_str(&r, "<Rapport rapporteringsaar=\"2018\"/>");
    CHECK_INT(r.st, XMLREP_REJECTED);
    CHECK_STR(r.err, "not an IS-24/8 report: root element 'Rapport'");

    run_str(&r, "<k:kommunerapport xmlns:k=\"urn:x\"/>");
    CHECK_INT(r.st, XMLREP_REJECTED);
    CHECK_STR(r.err, "not an IS-24/8 report: root element 'kommunerapport' "
                     "in namespace 'urn:x'");

    /* a root alone is a report without values */
    run_str(&r, "<kommunerapport/>");
    CHECK_INT(r.st, XMLREP_OK);
    CHECK_STR(r.out.text, "report 1 v1 line 1\n"
                          " year=NULL submitted=NULL id=NULL\n"
                          " unit type=NULL code=NULL name=NULL "
                          "population=NULL\n");

    /* an empty Rapporter: no reports, nothing wrong */
    run_str(&r, "<Rapporter xmlns=\"urn:no:helsedirektoratet:is-24-8:2\"/>");
    CHECK_INT(r.st, XMLREP_OK);
    CHECK_INT(r.out.reports, 0);
    free(r.out.text);
}

static void test_many(void)
{
    struct result r = { 0 };
    const char xml[] =
        "<r:Rapporter xmlns:r=\"urn:no:helsedirektoratet:is-24-8:2\">\n"
        " <r:Rapport rapporteringsaar=\"2021\"><r:Enhet nummer=\"3001\"/>"
        "</r:Rapport>\n"
        " <r:Enhet nummer=\"9999\"/>\n"
        " <r:Rapport rapporteringsaar=\"2022\"><r:Enhet nummer=\"3002\"/>"
        "</r:Rapport>\n"
        " <annet><r:Rapport/></annet>\n"
        " <r:Rapport rapporteringsaar=\"2023\"><r:Enhet nummer=\"3003\"/>"
        "</r:Rapport>\n"
        "</r:Rapporter>\n";
    run_str(&r, xml);
    CHECK_INT(r.st, XMLREP_OK);
    CHECK_STR(r.out.text,
              "report 1 v2 line 2\n"
              " year=2021 submitted=NULL id=NULL\n"
              " unit type=NULL code=3001 name=NULL population=NULL\n"
              "warning line 3: 'Enhet' outside a 'Rapport' ignored\n"
              "report 2 v2 line 4\n"
              " year=2022 submitted=NULL id=NULL\n"
              " unit type=NULL code=3002 name=NULL population=NULL\n"
              "report 3 v2 line 6\n"
              " year=2023 submitted=NULL id=NULL\n"
              " unit type=NULL code=3003 name=NULL population=NULL\n");

    /* the sink stops after the second */
    r.out.stop_after = 2;
    run_str(&r, xml);
    CHECK_INT(r.st, XMLREP_STOPPED);
    CHECK_INT(r.out.reports, 2);
    r.out.stop_after = 0;
    free(r.out.text);
}

static void test_faults(void)
{
    struct result r = { 0 };
    run_str(&r, "<Rapport xmlns=\"urn:no:helsedirektoratet:is-24-8:2\">\n"
                "<Enhet nummer=\"1\">A</Enhet>\n"
                "<Enhet nummer=\"2\">B</Enhet>\n"
                "</Rapport>");
    CHECK_INT(r.st, XMLREP_OK);
    CHECK_STR(r.out.text, "report 1 v2 line 1\n"
                          " year=NULL submitted=NULL id=NULL\n"
                          " unit type=NULL code=1 name=A population=NULL\n"
                          " fault='Enhet' given twice\n");

    static const struct {
        const char *body, *fault;
    } cases[] = {
        { "<Innsending id=\"1\"/><Innsending id=\"2\"/>",
          "'Innsending' given twice" },
        { "<Svar sporsmal=\"A\"/>", "'Svar' outside a 'Kapittel'" },
        { "<Kapittel><Valg kode=\"IPS\"/></Kapittel>",
          "'Valg' outside a 'Svar'" },
        { "<Rapport/>", "'Rapport' inside a report" },
        { "<Kapittel><Enhet/></Kapittel>", "'Enhet' inside 'Kapittel'" },
        { "<Kapittel><Kapittel/></Kapittel>", "'Kapittel' inside 'Kapittel'" },
        /* the first fault wins */
        { "<Svar/><Enhet/><Enhet/>", "'Svar' outside a 'Kapittel'" },
        /* an unknown element would hide part of a value */
        { "<Kapittel><Svar sporsmal=\"A\"><span>Ja</span></Svar></Kapittel>",
          "unexpected element 'span' inside 'Svar' (line 1)" },
        { "<Enhet nummer=\"1\"><b>A</b></Enhet>",
          "unexpected element 'b' inside 'Enhet' (line 1)" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char xml[512];
        snprintf(xml, sizeof xml,
                 "<Rapport xmlns=\"urn:no:helsedirektoratet:is-24-8:2\">%s"
                 "</Rapport>", cases[i].body);
        run_str(&r, xml);
        CHECK_INT(r.st, XMLREP_OK);
        CHECK_INT(r.out.reports, 1);
        char want[256];
        snprintf(want, sizeof want, " fault=%s\n", cases[i].fault);
        if (!strstr(r.out.text, want))
            fprintf(stdout, "case %zu: %s", i, r.out.text);
        CHECK(strstr(r.out.text, want) != NULL);
    }

    static const struct {
        const char *body, *fault;
    } v1[] = {
        { "<aargang>1</aargang><aargang>2</aargang>",
          "'aargang' given twice" },
        { "<innsendt/><innsendt/>", "'innsendt' given twice" },
        { "<enhet><nummer>1</nummer><nummer>2</nummer></enhet>",
          "'nummer' given twice" },
        { "<sporsmal id=\"7.1\">1</sporsmal>", "'sporsmal' outside a 'svar'" },
        { "<svar><navn/></svar>", "'navn' inside 'svar'" },
        { "<svar/><svar/>", "'svar' given twice" },
    };
    for (size_t i = 0; i < sizeof v1 / sizeof v1[0]; i++) {
        char xml[512];
        snprintf(xml, sizeof xml, "<kommunerapport>%s</kommunerapport>",
                 v1[i].body);
        run_str(&r, xml);
        CHECK_INT(r.st, XMLREP_OK);
        char want[256];
        snprintf(want, sizeof want, " fault=%s\n", v1[i].fault);
        if (!strstr(r.out.text, want))
            fprintf(stdout, "v1 case %zu: %s", i, r.out.text);
        CHECK(strstr(r.out.text, want) != NULL);
    }

    /* unknown elements and attributes: ignored, known ones inside them too */
    run_str(&r, "<Rapport xmlns=\"urn:no:helsedirektoratet:is-24-8:2\" "
                "xmlns:f=\"urn:future\" f:x=\"1\" rapporteringsaar=\"2030\">"
                "<Ny><Enhet nummer=\"1\"/></Ny><f:Enhet nummer=\"2\"/>"
                "<Enhet nummer=\"3\" ny=\"x\"/></Rapport>");
    CHECK_INT(r.st, XMLREP_OK);
    CHECK_STR(r.out.text, "warning line 1: 'Enhet' in namespace 'urn:future' "
                          "ignored with everything inside it\n"
                          "report 1 v2 line 1\n"
                          " year=2030 submitted=NULL id=NULL\n"
                          " unit type=NULL code=3 name=NULL "
                          "population=NULL\n");
    free(r.out.text);
}

static void test_value_cap(void)
{
    struct result r = { 0 };
    struct xmlrep_limits lim = { 8, XMLREP_DEFAULT_SNIFF_BYTES };
    const char text[] = "<Rapport xmlns=\"urn:no:helsedirektoratet:is-24-8:2\">\n"
                        "<Enhet>12345678</Enhet>\n"
                        "<Kapittel nr=\"1\">\n"
                        "<Svar sporsmal=\"A\">123456789</Svar>\n"
                        "</Kapittel></Rapport>";
    run(&r, text, strlen(text), 0, 0, &lim);
    CHECK_INT(r.st, XMLREP_REJECTED);
    CHECK_STR(r.err, "value longer than 8 bytes at line 4");
    CHECK_INT(r.out.reports, 0);

    const char attr[] = "<Rapport xmlns=\"urn:no:helsedirektoratet:is-24-8:2\">\n"
                        "\n<Enhet nummer=\"123456789\"/></Rapport>";
    run(&r, attr, strlen(attr), 0, 0, &lim);
    CHECK_INT(r.st, XMLREP_REJECTED);
    CHECK_STR(r.err, "value longer than 8 bytes at line 3");

    /* text made of several nodes counts as a whole */
    const char parts[] = "<kommunerapport><aargang>12345<!---->6789</aargang>"
                         "</kommunerapport>";
    run(&r, parts, strlen(parts), 0, 0, &lim);
    CHECK_INT(r.st, XMLREP_REJECTED);
    CHECK_STR(r.err, "value longer than 8 bytes at line 1");
    free(r.out.text);
}

/* UTF-16 is read, with a warning; an encoding libxml2 cannot read at all
 * is set aside without a line 0. */
static void test_utf16(void)
{
    struct result r = { 0 };
    const char *u8 = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n"
                     "<!-- a comment, then the root -->\n"
                     "<Rapport xmlns=\"urn:no:helsedirektoratet:is-24-8:2\" "
                     "rapporteringsaar=\"2019\">\n"
                     "<Enhet nummer=\"1804\">Bod\xC3\xB8</Enhet>\n"
                     "<Kapittel nr=\"4\"><Svar sporsmal=\"4.2\">\xE2\x80\x93"
                     "</Svar></Kapittel>\n"
                     "</Rapport>\n";
    static const char *const want[2] = {
        "warning line 0: encoded in UTF-16LE (the format says UTF-8 or "
        "ISO-8859-1); read as UTF-16LE\n",
        "warning line 0: encoded in UTF-16BE (the format says UTF-8 or "
        "ISO-8859-1); read as UTF-16BE\n",
    };
    size_t n16;
    for (int big = 0; big <= 1; big++) {
        for (int bom = 0; bom <= 1; bom++) {
            char *u16 = utf16(u8, big, bom, &n16);
            run(&r, u16, n16, bom ? 0 : 3, 0, NULL);
            CHECK_INT(r.st, XMLREP_OK);
            char all[512];
            snprintf(all, sizeof all, "%s"
                     "report 1 v2 line 3\n"
                     " year=2019 submitted=NULL id=NULL\n"
                     " unit type=NULL code=1804 name=Bod\xC3\xB8 "
                     "population=NULL\n"
                     " 0: chapter=4 question=4.2 code=NULL text='\xE2\x80\x93' "
                     "parent=-1 line=5\n", want[big]);
            CHECK_STR(r.out.text, all);
            free(u16);
        }
    }

    /* UCS-4: libxml2 2.9 cannot convert it; said without "line 0" */
    static const char ucs4[] = { 0, 0, 0, '<', 0, 0, 0, 'a', 0, 0, 0, '/',
                                 0, 0, 0, '>' };
    run(&r, ucs4, sizeof ucs4, 0, 0, NULL);
    CHECK_INT(r.st, XMLREP_REJECTED);
    CHECK(strstr(r.err, "line 0") == NULL);
    free(r.out.text);
}

/* libxml2's limits, said as limits; start tags with too many attributes. */
static void test_limits(void)
{
    struct result r = { 0 };
    const char head[] = "<Rapport xmlns=\"urn:no:helsedirektoratet:is-24-8:2\">\n"
                        "<Kapittel nr=\"4\">\n";
    size_t cap = 2 * 1000 * 1000;
    char *xml = malloc(cap), *p;

    /* 300 levels on line 3 */
    p = xml + sprintf(xml, "%s", head);
    for (int i = 0; i < 300; i++)
        p += sprintf(p, "<a>");
    p += sprintf(p, "\n");
    for (int i = 0; i < 300; i++)
        p += sprintf(p, "</a>");
    sprintf(p, "</Kapittel></Rapport>\n");
    run_str(&r, xml);
    CHECK_INT(r.st, XMLREP_REJECTED);
    CHECK_STR(r.err, "elements nested more than 256 deep at line 3");

    /* a name of 60 000 bytes on line 3 */
    p = xml + sprintf(xml, "%s<", head);
    memset(p, 'n', 60000);
    p += 60000;
    sprintf(p, "/>\n</Kapittel></Rapport>\n");
    run_str(&r, xml);
    CHECK_INT(r.st, XMLREP_REJECTED);
    CHECK_STR(r.err, "a name longer than 50000 bytes at line 3");

    /* 256 attributes are fine; '=' in values, comments, PIs and CDATA
     * sections (before, in the prolog and in the body) does not count */
    const char *eqs = "= = = = = = = = = = = = = = = = = = = = = = = = = = = =";
    for (int n = 256; n <= 257; n++) {
        p = xml;
        p += sprintf(p, "<?xml version=\"1.0\"?>\n<!-- %s --><?pi %s?>\n"
                     "<Rapport xmlns=\"urn:no:helsedirektoratet:is-24-8:2\">"
                     "<!--%s--><![CDATA[%s]]><?pi %s?>\n<Enhet",
                     eqs, eqs, eqs, eqs, eqs);
        for (int i = 0; i < n; i++)
            p += sprintf(p, i % 2 ? " a%d=\"=>'\"" : " a%d='=>\"'", i);
        sprintf(p, ">x=y</Enhet></Rapport>\n");
        for (size_t chunk = 0; chunk <= 1; chunk++) {
            run(&r, xml, strlen(xml), chunk, 0, NULL);
            if (n == 256) {
                CHECK_INT(r.st, XMLREP_OK);
                CHECK_INT(r.out.reports, 1);
            } else {
                CHECK_INT(r.st, XMLREP_REJECTED);
                CHECK_STR(r.err, "more than 256 attributes on one element "
                                 "at line 4");
                CHECK_INT(r.out.reports, 0);
            }
        }
    }
    free(xml);
    free(r.out.text);
}

/* A county file of many reports, far past 65535 lines: line numbers hold. */
static void test_big(void)
{
    struct out o = { 0 };
    const char head[] =
        "<Rapporter xmlns=\"urn:no:helsedirektoratet:is-24-8:2\">\n";
    const char one[] =
        "<Rapport rapporteringsaar=\"2019\">\n"
        "<Enhet nummer=\"0301\">x</Enhet>\n"
        "<Kapittel nr=\"21\">\n"
        "<Svar sporsmal=\"A\" kode=\"1\">Ja</Svar>\n"
        "</Kapittel>\n"
        "</Rapport>\n";
    size_t n = 20000, len = strlen(head) + n * strlen(one) + 20;
    char *xml = malloc(len), *p = xml;
    p += sprintf(p, "%s", head);
    for (size_t i = 0; i < n; i++)
        p += sprintf(p, "%s", one);
    sprintf(p, "</Rapporter>\n");

    struct result r = { 0 };
    run_str(&r, xml);
    CHECK_INT(r.st, XMLREP_OK);
    CHECK_INT(r.out.reports, 20000);
    /* the last report starts at line 2 + 19999 * 6 */
    char want[64];
    snprintf(want, sizeof want, "report 20000 v2 line %d\n", 2 + 19999 * 6);
    CHECK(strstr(r.out.text, want) != NULL);
    snprintf(want, sizeof want, "parent=-1 line=%d\n", 5 + 19999 * 6);
    CHECK(strstr(r.out.text, want) != NULL);
    free(r.out.text);
    free(xml);
    free(o.text);
}

int main(void)
{
    struct caught c;
    catch_stderr(&c);

    test_examples();
    test_streaming();
    test_encodings();
    test_text();
    test_truncated();
    test_doctype();
    test_roots();
    test_many();
    test_faults();
    test_value_cap();
    test_utf16();
    test_limits();
    test_big();

    release_stderr(&c);
    xmlCleanupParser();
    return check_done();
}
