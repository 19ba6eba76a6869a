/*
 * about.c - the about sheet's tables (see about.h).
 */
#include "about.h"

#include <stdlib.h>
#include <string.h>

#include "msg.h"

/* A string kept until about_free(); NULL out of memory. */
static const char *keep(struct about *a, const char *s)
{
    char **p = realloc(a->strings, (size_t)(a->nstrings + 1) * sizeof *p);
    if (!p)
        return NULL;
    a->strings = p;
    if (!(p[a->nstrings] = strdup(s)))
        return NULL;
    return p[a->nstrings++];
}

static PGresult *query(PGconn *conn, const char *sql, int n,
                       const char *const *params, const char *what, int *rc)
{
    PGresult *res = PQexecParams(conn, sql, n, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) == PGRES_TUPLES_OK)
        return res;
    const char *primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
    msg_error("cannot read %s: %s", what, primary ? primary : "no answer");
    PQclear(res);
    *rc = EXIT_DB;
    return NULL;
}

static const struct rtable_column kv_cols[2][2] = {
    { { "item", "Hva", NULL, COL_TEXT }, { "value", "Verdi", NULL, COL_TEXT } },
    { { "item", "What", NULL, COL_TEXT }, { "value", "Value", NULL, COL_TEXT } },
};
static const struct rtable_column col_cols[2][4] = {
    { { "sheet", "Ark", NULL, COL_TEXT }, { "column", "Kolonne", NULL, COL_TEXT },
      { "header", "Overskrift", NULL, COL_TEXT },
      { "about", "Hva den inneholder", NULL, COL_TEXT } },
    { { "sheet", "Sheet", NULL, COL_TEXT }, { "column", "Column", NULL, COL_TEXT },
      { "header", "Header", NULL, COL_TEXT },
      { "about", "What it holds", NULL, COL_TEXT } },
};
static const struct rtable_column run_cols[2][6] = {
    { { "run_id", "Kjøring", NULL, COL_INT }, { "started_at", "Startet", NULL, COL_TEXT },
      { "finished_at", "Ferdig", NULL, COL_TEXT }, { "status", "Status", NULL, COL_TEXT },
      { "files_loaded", "Filer lastet", NULL, COL_INT },
      { "reports_loaded", "Nye rapporter", NULL, COL_INT } },
    { { "run_id", "Run", NULL, COL_INT }, { "started_at", "Started", NULL, COL_TEXT },
      { "finished_at", "Finished", NULL, COL_TEXT }, { "status", "Status", NULL, COL_TEXT },
      { "files_loaded", "Files loaded", NULL, COL_INT },
      { "reports_loaded", "Reports new", NULL, COL_INT } },
};
static const struct rtable_column file_cols[2][4] = {
    { { "source", "Fil", NULL, COL_TEXT }, { "reports", "Rapporter", NULL, COL_INT },
      { "first_year", "Fra år", NULL, COL_INT }, { "last_year", "Til år", NULL, COL_INT } },
    { { "source", "File", NULL, COL_TEXT }, { "reports", "Reports", NULL, COL_INT },
      { "first_year", "First year", NULL, COL_INT }, { "last_year", "Last year", NULL, COL_INT } },
};

/* The time, the database, the runs and the files of the reports selected;
 * EXIT_OK, or the exit code after a message. */
static int about_queries(struct about *a, PGconn *conn,
                         const struct trend_selection *sel)
{
    int rc = EXIT_OK;
    a->made = query(conn,
                    "SELECT to_char(now() AT TIME ZONE 'UTC', "
                    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), current_database(), "
                    "current_user", 0, NULL, "the time and the database", &rc);
    if (!a->made)
        return rc;
    a->runs = query(conn,
                    "SELECT run_id, to_char(started_at AT TIME ZONE 'UTC', "
                    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS started_at, "
                    "to_char(finished_at AT TIME ZONE 'UTC', "
                    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS finished_at, status, "
                    "files_loaded, reports_loaded FROM is248.import_summary "
                    "ORDER BY run_id", 0, NULL, "the import runs", &rc);
    if (!a->runs)
        return rc;
    const char *params[3] = { sel ? sel->years : NULL,
                              sel ? sel->size_classes : NULL,
                              sel ? sel->counties : NULL };
    a->sources = query(conn,
                       "SELECT source, count(*) AS reports, min(year) AS "
                       "first_year, max(year) AS last_year "
                       "FROM is248.export_reports($1::int[], $2::text[], "
                       "$3::text[]) GROUP BY source ORDER BY source",
                       3, params, "the files of the reports", &rc);
    if (!a->sources)
        return rc;

    return EXIT_OK;
}

/* The block of what, when and from where; 0, or -1 out of memory. */
static int made_block(struct about *a, const struct trend_selection *sel,
                      enum lang lang)
{
    /* what, when, from where */
    const char *kv[7][2] = {
        { L(lang, "Made by", "Laget av"), "is248 " IS248_VERSION },
        { L(lang, "Made at (UTC)", "Laget (UTC)"), PQgetvalue(a->made, 0, 0) },
        { L(lang, "Database", "Database"), PQgetvalue(a->made, 0, 1) },
        { L(lang, "Read as", "Lest som"), PQgetvalue(a->made, 0, 2) },
        { L(lang, "Data", "Data"),
          L(lang, "IS-24/8 municipal returns: the current report (the latest submission) of each unit and year",
            "IS-24/8 kommunal rapportering: gjeldende rapport (siste innsending) for hver enhet og år") },
        { L(lang, "Selection", "Utvalg"),
          sel && sel->text ? sel->text : L(lang, "all", "alt") },
        { L(lang, "Percentages", "Prosenter"),
          L(lang, "stored as fractions shown in a percent format: 45.5 % is the number 0.455",
            "lagret som andeler vist i prosentformat: 45,5 % er tallet 0,455") },
    };
    int nkv = 7;
    const char **cells = calloc((size_t)(nkv * 2), sizeof *cells);
    if (!cells)
        return -1;
    a->block[0] = (struct rtable){ .name = "made",
                                   .title = L(lang, "This workbook", "Denne arbeidsboken"),
                                   .cols = kv_cols[lang], .ncols = 2,
                                   .nrows = nkv, .cells = cells };
    for (int r = 0; r < nkv; r++)
        for (int c = 0; c < 2; c++)
            if (!(cells[r * 2 + c] = keep(a, kv[r][c])))
                return -1;

    return 0;
}

/* The block of the columns of every sheet; 0, or -1 out of memory. */
static int columns_block(struct about *a, const struct rtable *described,
                         int n, enum lang lang)
{
    /* the columns of every sheet */
    int rows = 0;
    for (int i = 0; i < n; i++)
        rows += described[i].ncols;
    const char **cells = calloc((size_t)(rows ? rows : 1) * 4, sizeof *cells);
    if (!cells)
        return -1;
    a->block[1] = (struct rtable){ .name = "columns",
                                   .title = L(lang, "The columns", "Kolonnene"),
                                   .cols = col_cols[lang], .ncols = 4,
                                   .nrows = rows, .cells = cells };
    int r = 0;
    for (int i = 0; i < n; i++)
        for (int c = 0; c < described[i].ncols; c++, r++) {
            const struct rtable_column *col = &described[i].cols[c];
            cells[r * 4 + 0] = described[i].name;
            cells[r * 4 + 1] = col->name;
            cells[r * 4 + 2] = col->label ? col->label : col->name;
            cells[r * 4 + 3] = col->about ? col->about : "";
        }

    return 0;
}

int about_load(struct about *a, PGconn *conn, const struct trend_selection *sel,
               const struct rtable *described, int n, enum lang lang)
{
    memset(a, 0, sizeof *a);
    a->title = L(lang, "About", "Om");
    int rc = about_queries(a, conn, sel);
    if (rc != EXIT_OK)
        return rc;
    if (made_block(a, sel, lang) != 0 || columns_block(a, described, n, lang) != 0)
        goto oom;

    a->block[2] = (struct rtable){ .name = "runs",
                                   .title = L(lang, "Import runs (is248.import_summary)",
                                              "Importkjøringer (is248.import_summary)"),
                                   .cols = run_cols[lang], .ncols = 6 };
    a->block[3] = (struct rtable){ .name = "files",
                                   .title = L(lang, "Files the reports came from",
                                              "Filene rapportene kom fra"),
                                   .cols = file_cols[lang], .ncols = 4 };
    if (rtable_from_pg(&a->block[2], a->runs, NULL, NULL) != 0 ||
        rtable_from_pg(&a->block[3], a->sources, NULL, NULL) != 0)
        goto oom;
    a->nblock = 4;
    return EXIT_OK;
oom:
    msg_error("out of memory");
    a->nblock = 4;
    return EXIT_INTERNAL;
}

void about_free(struct about *a)
{
    for (int i = 0; i < ABOUT_BLOCKS; i++)
        rtable_free(&a->block[i]);
    for (int i = 0; i < a->nstrings; i++)
        free(a->strings[i]);
    free(a->strings);
    PQclear(a->made);
    PQclear(a->runs);
    PQclear(a->sources);
    memset(a, 0, sizeof *a);
}
