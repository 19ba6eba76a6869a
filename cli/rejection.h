/*
 * rejection.h - what was set aside (is248.rejection), read for the data
 * provider: the run to list, its rows in their order, their text made safe
 * to show, and CSV.  Shared by "is248 rejections" (cmd_rejections.c), which
 * lists them, and "is248 extract" (cmd_extract.c), whose manifest lists
 * them beside the files it wrote.
 *
 * Only the schema's owner may read is248.rejection (docs/security.md): a
 * login of is248_loader or is248_reader is refused by the server, and these
 * functions then return EXIT_USAGE after saying whom to run as.
 */
#ifndef IS248_CLI_REJECTION_H
#define IS248_CLI_REJECTION_H

#include <stdio.h>

#include <libpq-fe.h>

/* The columns of rejection_rows(), in order; the first REJ_COLUMNS are
 * those listed (their names in rejection_columns), REJ_BYTES follows when
 * asked for. */
enum rejection_col {
    REJ_RUN, REJ_SOURCE, REJ_ENTRY, REJ_SHA256, REJ_REPORT, REJ_YEAR,
    REJ_UNIT, REJ_QUESTION, REJ_LEVEL, REJ_REASON,
    REJ_COLUMNS,
    REJ_BYTES = REJ_COLUMNS /* the file's size (is248.source_file.bytes) */
};
extern const char *const rejection_columns[REJ_COLUMNS];

/* A run, as rejection_run() found it. */
struct rejection_run {
    long long run_id;     /* 0: none (no run has set anything aside) */
    char started[32];     /* YYYY-MM-DD HH:MM:SS, the session's time zone */
    char status[16];      /* ok, problems, ... (is248.import_summary) */
    long long later_runs; /* runs after it */
    long long runs;       /* runs in all */
};

/* The run to list: run >= 0 that run, run < 0 the last that set anything
 * aside (r->run_id 0 when none did).  Returns EXIT_OK with *r filled;
 * EXIT_USAGE after "no import run N" or a refusal (see above); EXIT_DB
 * after a message. */
int rejection_run(PGconn *conn, long run, struct rejection_run *r);

/* The rows of run (0: every run; < 0: none, the columns only), in the
 * order listed: by file (source,
 * then entry, in byte order), run, report (the file's own first, then by
 * position), and as recorded.  sha256 in hex, NULL for a file never read
 * (a link, an archive cut short).  With with_bytes the column
 * REJ_BYTES too (read from is248.source_file).  The caller PQclear()s;
 * NULL after a message, *rc set as for rejection_run(). */
PGresult *rejection_rows(PGconn *conn, long long run, int with_bytes,
                         int *rc);

/* s as it may be shown and written: as it stands when it is in the
 * escaped form of ingest/printable.h (the labels and reasons is248
 * stores), else escaped by printable_dup(), so that text put in the table
 * by other hands cannot reach a terminal or a spreadsheet with a control
 * character in it.  A new string the caller frees; NULL when out of
 * memory. */
char *rejection_shown(const char *s);

/* One RFC 4180 field to out: in double quotes, quotes doubled, when it
 * holds a comma, a double quote, CR or LF (rejection_shown() text holds no
 * CR or LF); as it stands otherwise. */
void rejection_csv_field(FILE *out, const char *s);

/* The CSV header of the columns (after prefix, a column name and a comma,
 * when not NULL), ending in CRLF. */
void rejection_csv_header(FILE *out, const char *prefix);

/* Row i of res as CSV fields (shown text; NULL as an empty field), each
 * after a comma but the first, without the line's end.  Returns 0, or -1
 * when out of memory. */
int rejection_csv_row(FILE *out, const PGresult *res, int i, int first);

#endif
