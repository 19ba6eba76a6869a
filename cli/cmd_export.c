/*
 * cmd_export.c - "is248 export": the current report of every unit and
 * year selected, one row each, for researchers: every normalized answer,
 * the population, size class, county and its name that year, the
 * submission time and the file it came from (is248.export_reports(), the
 * selection of the trend functions).  CSV, JSON or an xlsx workbook, to
 * standard output or --output through outfile.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "about.h"
#include "cli.h"
#include "msg.h"
#include "xlsx.h"

/* The columns, as export_reports() returns them; the answers' words are in
 * is248.answer_label. */
static const struct rtable_column export_columns[2][19] = {
    {
        { "year", "År", "Rapporteringsår", COL_INT },
        { "unit_code", "Enhetsnummer", "Kommunenummer (4 sifre, gyldig 1. januar i året) eller bydel i Oslo (6 sifre)", COL_TEXT },
        { "unit_type", "Enhetstype", "kommune eller bydel", COL_TEXT },
        { "unit_name", "Navn", "Enhetens navn slik rapporten oppgir det", COL_TEXT },
        { "county_code", "Fylkesnummer", "Fylket det året: de to første sifrene i enhetsnummeret", COL_TEXT },
        { "county_name", "Fylke", "Fylkets navn det året", COL_TEXT },
        { "population", "Innbyggere", "Innbyggere 1. januar, slik enheten rapporterte det", COL_INT },
        { "size_class", "Størrelsesgruppe", "Størrelsesgruppe etter innbyggertall (is248.size_class); tom uten innbyggertall", COL_TEXT },
        { "nav_collab", "Samarbeid med Nav", "Har kommunen etablert et samarbeid mellom helse- og omsorgstjenesten og NAV om arbeidsrettet rehabilitering ...? (yes, no, dont_know)", COL_TEXT },
        { "nav_collab_specialist", "Med spesialisthelsetjenesten", "Hvis ja, gjøres dette i samarbeid med spesialisthelsetjenesten? (bare når nav_collab er yes)", COL_TEXT },
        { "nav_rating", "Vurdering av samhandlingen", "Hvordan vurderer kommunen samhandlingen med NAV om arbeidstiltak ...? (very_good, good, neither, less_good, bad, dont_know)", COL_TEXT },
        { "ips_se_mental_health", "IPS/SE psykisk helse", "IPS eller SE tatt i bruk innen psykisk helsearbeid (yes, no, dont_know)", COL_TEXT },
        { "ips_mental_health", "IPS psykisk helse", "IPS innen psykisk helsearbeid (fra 2018)", COL_BOOL },
        { "se_mental_health", "SE psykisk helse", "SE innen psykisk helsearbeid (fra 2018)", COL_BOOL },
        { "ips_se_substance", "IPS/SE rus", "IPS eller SE tatt i bruk innen rusarbeid (yes, no, dont_know)", COL_TEXT },
        { "ips_substance", "IPS rus", "IPS innen rusarbeid (fra 2018)", COL_BOOL },
        { "se_substance", "SE rus", "SE innen rusarbeid (fra 2018)", COL_BOOL },
        { "submitted_at", "Sendt inn", "Når rapporten ble sendt inn (UTC)", COL_TEXT },
        { "source", "Fil", "Filen rapporten ble lastet fra: arkiv!oppføring", COL_TEXT },
    },
    {
        { "year", "Year", "Reporting year", COL_INT },
        { "unit_code", "Unit code", "Municipality code (4 digits, valid on 1 January of the year) or Oslo city district (6 digits)", COL_TEXT },
        { "unit_type", "Unit type", "kommune or bydel", COL_TEXT },
        { "unit_name", "Name", "The unit's name as the report gives it", COL_TEXT },
        { "county_code", "County code", "The county that year: the first two digits of the unit code", COL_TEXT },
        { "county_name", "County", "The county's name that year", COL_TEXT },
        { "population", "Population", "Population on 1 January, as the unit reported it", COL_INT },
        { "size_class", "Size class", "Size class by population (is248.size_class); empty without a population", COL_TEXT },
        { "nav_collab", "Collaboration with Nav", "Har kommunen etablert et samarbeid mellom helse- og omsorgstjenesten og NAV om arbeidsrettet rehabilitering ...? (yes, no, dont_know)", COL_TEXT },
        { "nav_collab_specialist", "With specialist health services", "Hvis ja, gjøres dette i samarbeid med spesialisthelsetjenesten? (only when nav_collab is yes)", COL_TEXT },
        { "nav_rating", "Collaboration rated", "Hvordan vurderer kommunen samhandlingen med NAV om arbeidstiltak ...? (very_good, good, neither, less_good, bad, dont_know)", COL_TEXT },
        { "ips_se_mental_health", "IPS/SE mental health", "IPS or SE in use in mental health work (yes, no, dont_know)", COL_TEXT },
        { "ips_mental_health", "IPS mental health", "IPS in mental health work (from 2018)", COL_BOOL },
        { "se_mental_health", "SE mental health", "SE in mental health work (from 2018)", COL_BOOL },
        { "ips_se_substance", "IPS/SE substance", "IPS or SE in use in substance abuse work (yes, no, dont_know)", COL_TEXT },
        { "ips_substance", "IPS substance", "IPS in substance abuse work (from 2018)", COL_BOOL },
        { "se_substance", "SE substance", "SE in substance abuse work (from 2018)", COL_BOOL },
        { "submitted_at", "Submitted", "When the report was submitted (UTC)", COL_TEXT },
        { "source", "File", "The file it was loaded from: archive!entry", COL_TEXT },
    },
};
#define EXPORT_COLUMNS 19

enum format { EXPORT_CSV, EXPORT_JSON, EXPORT_XLSX };

static int export_run(PGconn *conn, const struct trend_selection *sel,
                      enum format format, enum csv_dialect dialect,
                      enum lang lang, FILE *out, struct outfile *of)
{
    int rc = cli_check_schema(conn, CLI_NEED_READ);
    if (rc != EXIT_OK)
        return rc;
    /* the time in UTC, whoever reads it */
    PGresult *res = PQexec(conn, "SET TIME ZONE 'UTC'");
    PQclear(res);
    const char *params[3] = { sel->years, sel->size_classes, sel->counties };
    res = PQexecParams(conn,
                       "SELECT * FROM is248.export_reports($1::int[], "
                       "$2::text[], $3::text[])",
                       3, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
        const char *primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
        const char *hint = PQresultErrorField(res, PG_DIAG_MESSAGE_HINT);
        if (state && strcmp(state, "22023") == 0 && primary) {
            msg_error("%s%s%s", primary, hint ? ": " : "", hint ? hint : "");
            rc = EXIT_USAGE;
        } else {
            msg_error("cannot read the reports: %s",
                      primary ? primary : "no answer");
            rc = EXIT_DB;
        }
        PQclear(res);
        return rc;
    }
    if (PQntuples(res) == 0)
        msg_warn("no current reports%s%s", sel->text ? " for " : "",
                 sel->text ? sel->text : " in the database");
    struct rtable t = { .name = "reports",
                        .title = L(lang, "Current reports", "Gjeldende rapporter"),
                        .cols = export_columns[lang], .ncols = EXPORT_COLUMNS,
                        .freeze_cols = 2 };
    if (rtable_from_pg(&t, res, NULL, NULL) != 0) {
        msg_error("out of memory");
        PQclear(res);
        return EXIT_INTERNAL;
    }
    if (format == EXPORT_CSV) {
        if (rtable_csv(out, &t, 1, NULL, dialect) != 0) {
            msg_error("out of memory");
            rc = EXIT_INTERNAL;
        }
    } else if (format == EXPORT_JSON)
        rtable_json(out, &t, 1);
    else {
        struct about about;
        rc = about_load(&about, conn, sel, &t, 1, lang);
        if (rc == EXIT_OK)
            rc = xlsx_write(of, &t, 1, &about);
        about_free(&about);
    }
    rtable_free(&t);
    PQclear(res);
    return rc;
}

int cmd_export(struct cli *c)
{
    enum format format = EXPORT_CSV;
    enum csv_dialect dialect = CSV_RFC4180;
    enum lang lang;
    if (c->format && strcmp(c->format, "json") == 0)
        format = EXPORT_JSON;
    else if (c->format && strcmp(c->format, "xlsx") == 0)
        format = EXPORT_XLSX;
    else if (c->format && strcmp(c->format, "csv") != 0) {
        msg_error("unknown --format '%s' (formats: csv, json, xlsx)", c->format);
        return EXIT_USAGE;
    }
    if (c->indicators.n || c->chart || c->weight) {
        msg_error("--indicator, --chart and --weight are for trends: export "
                  "writes every answer");
        return EXIT_USAGE;
    }
    if (c->csv_dialect && format != EXPORT_CSV) {
        msg_error("--csv-dialect is for --format csv");
        return EXIT_USAGE;
    }
    if (c->csv_dialect && csv_dialect_parse(c->csv_dialect, &dialect) != 0) {
        msg_error("unknown --csv-dialect '%s' (dialects: rfc4180, excel-nb)",
                  c->csv_dialect);
        return EXIT_USAGE;
    }
    int rc = cli_lang(c, &lang);
    if (rc != EXIT_OK)
        return rc;
    int to_file = c->output && strcmp(c->output, "-") != 0;
    if (format == EXPORT_XLSX && !to_file) {
        msg_error("--format xlsx writes a file: give it with --output FILE.xlsx");
        return EXIT_USAGE;
    }
    struct trend_selection sel;
    if ((rc = trend_selection_parse(c, &sel)) != EXIT_OK)
        return rc;
    if (sel.shown) {
        msg_error("invalid --size-class: 'Alle' is not a size class of a unit");
        trend_selection_free(&sel);
        return EXIT_USAGE;
    }
    struct outfile of = OUTFILE_INIT;
    if (to_file && (rc = outfile_open(&of, c->output, "the export")) != EXIT_OK) {
        trend_selection_free(&sel);
        return rc;
    }
    PGconn *conn = cli_connect(c, &rc);
    if (conn)
        rc = export_run(conn, &sel, format, dialect, lang,
                        to_file ? of.f : stdout, &of);
    cli_disconnect(conn);
    if (rc == EXIT_OK && to_file) {
        rc = outfile_close(&of);
        if (rc == EXIT_OK)
            msg_info("export written to '%s'", c->output);
    }
    outfile_discard(&of);
    trend_selection_free(&sel);
    return rc;
}
