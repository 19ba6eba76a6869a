/*
 * report.h - a report as read from the XML, before any meaning is given to it.
 *
 * The XML reader (xmlreport.h; rawbuild.c, its report state machine, builds
 * the reports) fills one struct raw_report per <kommunerapport> (version 1)
 * or <Rapport> (version 2) and hands it to its caller.  Every value
 * is the text as it stood in the file, converted to UTF-8 and nothing more: no
 * trimming, no code lookup, no range checks.  Giving the values meaning is the
 * job of transform/.
 *
 * Ownership: every pointer in a raw_report points into memory owned by the
 * reader.  It is valid only during the callback that receives the report; a
 * caller that needs a value later must copy it.
 */
#ifndef IS248_INGEST_REPORT_H
#define IS248_INGEST_REPORT_H

#include <stddef.h>

enum report_version {
    REPORT_V1 = 1, /* <kommunerapport versjon="1">, reporting years 2015-2017 */
    REPORT_V2 = 2  /* urn:no:helsedirektoratet:is-24-8:2, from 2018 */
};

/*
 * One answer.  Version 1: a <sporsmal id=".."> element, its value in text.
 * Version 2: a <Svar sporsmal=".." kode=".."> element; each <Valg> inside a
 * Svar follows it as an answer of its own whose parent is the Svar's index.
 */
struct raw_answer {
    const char *chapter;  /* v2: the enclosing Kapittel/@nr; v1: NULL */
    const char *question; /* v1 sporsmal/@id, v2 Svar/@sporsmal (a Valg repeats
                           * its Svar's); NULL when the attribute is missing */
    const char *code;     /* v2 kode attribute; NULL when absent */
    const char *text;     /* the element's own character data; NULL when it
                           * has none or only white space */
    int parent;           /* -1 for a Svar or sporsmal; for a Valg, the index
                           * of its Svar in raw_report.answers */
    long line;            /* line of the element's start tag */
};

struct raw_report {
    enum report_version version;
    int index;                 /* 1-based position of the report in its file */
    long line;                 /* line of the report's start tag */

    const char *year;          /* v1 <aargang>, v2 @rapporteringsaar */
    const char *submitted;     /* v1 <innsendt>, v2 Innsending/@tidspunkt */
    const char *submission_id; /* v2 Innsending/@id; v1: NULL */
    const char *unit_type;     /* enhet/@type, Enhet/@type */
    const char *unit_code;     /* v1 <nummer>, v2 Enhet/@nummer */
    const char *unit_name;     /* v1 <navn>, v2 Enhet's text */
    const char *population;    /* v1 <innbyggere>, v2 Enhet/@innbyggere */

    const struct raw_answer *answers; /* in document order */
    size_t n_answers;

    /*
     * A structural fault the reader noticed inside this report that does not
     * make the file ill-formed, such as a second <Enhet> or <aargang>, or a
     * limit of one report met ("more than 500000 answers in one report
     * (line N)", "more than 67108864 bytes of values in one report (line
     * N)"; see rawbuild.h): then answers is empty and the values met after
     * the limit are NULL.  NULL when there is none.  transform/ sets such a
     * report aside.
     */
    const char *fault;
};

#endif
