/*
 * cmd_status.c - "is248 status": the recent import runs, reporting coverage
 * per year, and what was set aside and warned about, grouped by reason, as
 * aligned tables the way psql prints them; with --open, what is still set
 * aside, one line each.
 *
 * It reads only views that is248_reader may read (is248.import_summary,
 * is248.coverage, is248.rejection_summary, is248.warning_summary and
 * is248.open_rejection, from sql/schema/05_status.sql), so an analyst's
 * login shows the same as the operator's.
 */
#include <stdio.h>

#include "cli.h"
#include "load/db.h"
#include "msg.h"
#include "table.h"

/* Reasons and examples longer than this are cut (with "…"): the whole
 * text is in the view. */
#define STATUS_TEXT_CHARS "72"

/* $1: how many runs (NULL: all). */
static const char runs_sql[] =
    "SELECT run_id AS run,"
    "       to_char(started_at, 'YYYY-MM-DD HH24:MI:SS') AS started,"
    "       CASE WHEN s < 60 THEN to_char(s, 'FM9990.0') || ' s'"
    "            WHEN s < 3600 THEN floor(s / 60) || ' min ' || floor(s) % 60 || ' s'"
    "            ELSE floor(s / 3600) || ' h ' || floor(s / 60) % 60 || ' min'"
    "       END AS duration,"
    "       db_user AS user, status,"
    "       files_loaded || '/' || files_already || '/' || files_rejected"
    "           || '/' || files_rejected_before AS files,"
    "       reports_loaded || '/' || reports_unchanged || '/' || reports_rejected"
    "           AS reports,"
    "       answers_rejected AS answers_set_aside, warnings, skipped"
    "  FROM (SELECT *, extract(epoch FROM duration) AS s"
    "          FROM is248.import_summary) r"
    " ORDER BY run_id DESC"
    " LIMIT $1::bigint";

static const char coverage_sql[] =
    "SELECT year, units_expected, units_reporting,"
    "       units_expected - units_reporting AS units_missing, pct_reporting"
    "  FROM is248.coverage"
    " ORDER BY year";

/* $1: how many runs (NULL: all). */
static const char reasons_sql[] =
    "WITH runs AS (SELECT run_id FROM is248.import_summary"
    "               ORDER BY run_id DESC LIMIT $1::bigint),"
    " g AS (SELECT s.level, sum(s.rejections)::int AS count,"
    "              s.reason_class,"
    "              (array_agg(s.example ORDER BY s.run_id DESC))[1] AS example"
    "         FROM is248.rejection_summary s"
    "        WHERE s.run_id IN (SELECT run_id FROM runs)"
    "        GROUP BY s.level, s.reason_class)"
    "SELECT level, count,"
    "       CASE WHEN length(reason_class) > " STATUS_TEXT_CHARS
    "            THEN left(reason_class, " STATUS_TEXT_CHARS " - 1) || '…'"
    "            ELSE reason_class END AS reason,"
    "       CASE WHEN length(example) > " STATUS_TEXT_CHARS
    "            THEN left(example, " STATUS_TEXT_CHARS " - 1) || '…'"
    "            ELSE example END AS example"
    "  FROM g"
    " ORDER BY CASE level WHEN 'file' THEN 1 WHEN 'report' THEN 2 ELSE 3 END,"
    "          count DESC, reason_class";

/* $1: how many runs (NULL: all). */
static const char warnings_sql[] =
    "WITH runs AS (SELECT run_id FROM is248.import_summary"
    "               ORDER BY run_id DESC LIMIT $1::bigint),"
    " g AS (SELECT sum(s.warnings)::int AS count, s.reason_class,"
    "              (array_agg(s.example ORDER BY s.run_id DESC))[1] AS example,"
    "              (array_agg(array_to_string(s.units, ' ')"
    "                         ORDER BY s.run_id DESC))[1] AS units"
    "         FROM is248.warning_summary s"
    "        WHERE s.run_id IN (SELECT run_id FROM runs)"
    "        GROUP BY s.reason_class)"
    "SELECT count,"
    "       CASE WHEN length(reason_class) > " STATUS_TEXT_CHARS
    "            THEN left(reason_class, " STATUS_TEXT_CHARS " - 1) || '…'"
    "            ELSE reason_class END AS reason,"
    "       CASE WHEN length(example) > " STATUS_TEXT_CHARS
    "            THEN left(example, " STATUS_TEXT_CHARS " - 1) || '…'"
    "            ELSE example END AS example,"
    "       units"
    "  FROM g"
    " ORDER BY count DESC, reason_class";

static const char open_sql[] =
    "SELECT run_id AS run, level,"
    "       CASE WHEN length(file) > " STATUS_TEXT_CHARS
    "            THEN '…' || right(file, " STATUS_TEXT_CHARS " - 1)"
    "            ELSE file END AS file,"
    "       report_index AS report, unit_code AS unit, year, question,"
    "       CASE WHEN length(reason) > " STATUS_TEXT_CHARS
    "            THEN left(reason, " STATUS_TEXT_CHARS " - 1) || '…'"
    "            ELSE reason END AS reason"
    "  FROM is248.open_rejection o"
    /* o.file: the whole name, not the shortened output column */
    " ORDER BY o.run_id, o.file, o.report_index NULLS FIRST, o.recorded_at";


/* Run sql, with runs as $1 when it takes one (NULL: all runs), and print
 * its rows under title; *shown (unless NULL) is set to the number of rows.
 * Returns an exit code. */
static int show(PGconn *conn, const char *title, const char *sql,
                int takes_runs, const char *runs, int *shown)
{
    const char *params[1] = { runs };
    PGresult *res = PQexecParams(conn, sql, takes_runs ? 1 : 0, NULL, params,
                                 NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        char err[1024];
        db_error(err, sizeof err, conn, res, NULL);
        msg_error("cannot read the status (%s): %s", title, err);
        PQclear(res);
        return EXIT_DB;
    }
    printf("%s\n\n", title);
    if (shown)
        *shown = PQntuples(res);
    int rc = table_print(res) == 0 ? EXIT_OK : EXIT_INTERNAL;
    PQclear(res);
    if (rc != EXIT_OK)
        msg_error("out of memory");
    return rc;
}

int cmd_status(struct cli *c)
{
    int rc;
    PGconn *conn = cli_connect(c, &rc);
    if (!conn)
        return rc;
    rc = cli_check_schema(conn, CLI_NEED_READ);
    if (rc != EXIT_OK) {
        cli_disconnect(conn);
        return rc;
    }

    char runs[24], title[160];
    const char *limit = NULL;   /* all runs */
    if (c->status_runs > 0) {
        snprintf(runs, sizeof runs, "%ld", c->status_runs);
        limit = runs;
    }
    printf("Database '%s' as %s, is248 schema version %d\n\n", PQdb(conn),
           PQuser(conn), db_schema_target());

    if (c->status_open) {
        int n = 0;
        rc = show(conn, "Still set aside, of every run: never replaced by a "
                  "report of its unit and year or a file of its name "
                  "(is248.open_rejection)", open_sql, 0, NULL, &n);
        cli_disconnect(conn);
        return rc;
    }

    snprintf(title, sizeof title, "Import runs, %s%s (is248.import_summary; "
             "files: loaded/loaded before/set aside/set aside before; "
             "reports: new/unchanged/set aside)", limit ? "the last " : "all",
             limit ? limit : "");
    int n_runs = 0;
    rc = show(conn, title, runs_sql, 1, limit, &n_runs);

    if (rc == EXIT_OK) {
        putchar('\n');
        rc = show(conn, "Units reporting against units expected, by year "
                  "(is248.coverage; who: is248.missing_report)",
                  coverage_sql, 0, NULL, NULL);
    }

    /* those shown above: fewer than --runs when fewer exist */
    char runs_text[48];
    if (limit)
        snprintf(runs_text, sizeof runs_text, "those %d runs", n_runs);
    else
        snprintf(runs_text, sizeof runs_text, "all runs");
    if (rc == EXIT_OK) {
        snprintf(title, sizeof title, "Set aside in %s, by level and reason "
                 "(is248.rejection_summary; what is still open: --open)",
                 runs_text);
        putchar('\n');
        rc = show(conn, title, reasons_sql, 1, limit, NULL);
    }
    if (rc == EXIT_OK) {
        snprintf(title, sizeof title, "Warned about in %s, by reason "
                 "(is248.warning_summary; nothing was set aside for these)",
                 runs_text);
        putchar('\n');
        rc = show(conn, title, warnings_sql, 1, limit, NULL);
    }
    cli_disconnect(conn);
    return rc;
}
