/*
 * migrate.c - "is248 migrate" (see db.h): the schema's files run in order
 * to make version 1, the upgrades after it, each version recorded in
 * is248.schema_version, and the reference data (re)loaded, all in one
 * transaction under an advisory lock, so that two migrates run one after
 * the other and the second finds nothing to do.
 *
 * The schema's text is load/schema.h's, compiled in.  The reference CSVs
 * (transform/refdata.h, compiled in) are read with refdata.h's reader, the
 * one units.c builds its table with, and sent with COPY; they are reloaded
 * only when the SHA-256 of the compiled-in bytes differs from
 * is248.reference_meta.
 */
#include "db.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "../ingest/hex.h"
#include "../transform/refdata.h"
#include "copybuf.h"
#include "schema.h"

#define DB_LOCK_MIGRATE DB_LOCK_SPACE ", " DB_LOCK_MIGRATE_KEY

/* Room for "what" of a message about one SQL or reference file. */
#define WHAT_MAX 256

/* The schema's first version, made by the files of sql/schema/; upgrades
 * are numbered from the next. */
#define SCHEMA_FIRST_VERSION 1

/* The version an upgrade file "NNNN_name.sql" takes the schema to, or -1. */
static int upgrade_version(const char *name)
{
    int v = 0;
    for (int i = 0; i < 4; i++) {
        if (!isdigit((unsigned char)name[i]))
            return -1;
        v = v * 10 + (name[i] - '0');
    }
    return name[4] == '_' && v > SCHEMA_FIRST_VERSION ? v : -1;
}

int db_schema_target(void)
{
    int target = SCHEMA_FIRST_VERSION;
    for (size_t i = 0; i < schema_upgrade_count(); i++) {
        int v = upgrade_version(schema_upgrade_name(i));
        if (v > target)
            target = v;
    }
    return target;
}

/* 1 when is248.schema_version exists, 0 when not, -1 on error. */
static int have_version_table(PGconn *conn, char *err, size_t errlen)
{
    PGresult *res = db_exec(
        conn,
        "SELECT pg_catalog.to_regclass('is248.schema_version') IS NOT NULL",
        0, NULL, PGRES_TUPLES_OK, "cannot read the schema version", err,
        errlen);
    if (!res)
        return -1;
    int have = PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), "t") == 0;
    PQclear(res);
    return have;
}

/*
 * The version recorded, 0 when none; DB_SCHEMA_DEVELOPMENT when the schema
 * was made by a development version of is248 (before the schema of
 * sql/schema/, its migrations were recorded by their file names,
 * "0001_schema.sql" ...), which cannot be upgraded; -1 on error.
 */
static int read_version(PGconn *conn, char *err, size_t errlen)
{
    PGresult *res = db_exec(
        conn,
        "SELECT coalesce(max(version), 0),"
        " bool_or(name ~ '^[0-9]{4}_.*[.]sql$'), max(version) FILTER"
        " (WHERE name ~ '^[0-9]{4}_.*[.]sql$')"
        " FROM is248.schema_version", 0, NULL,
        PGRES_TUPLES_OK, "cannot read the schema version", err, errlen);
    if (!res)
        return -1;
    int v = atoi(PQgetvalue(res, 0, 0));
    if (strcmp(PQgetvalue(res, 0, 1), "t") == 0) {
        snprintf(err, errlen,
                 "the is248 schema of this database was made by a development "
                 "version of is248 (its migration %s) and cannot be upgraded: "
                 "drop it (DROP SCHEMA is248 CASCADE, as its owner), then run "
                 "'is248 migrate' and load the deliveries again",
                 PQgetvalue(res, 0, 2));
        v = DB_SCHEMA_DEVELOPMENT;
    }
    PQclear(res);
    return v;
}

int db_schema_version(PGconn *conn, char *err, size_t errlen)
{
    int have = have_version_table(conn, err, errlen);
    if (have <= 0)
        return have;
    return read_version(conn, err, errlen);
}

/* Line number of 1-based character position pos (as the server counts
 * characters, not bytes) in the UTF-8 text sql. */
static long line_of(const char *sql, long pos)
{
    long line = 1, chars = 0;
    for (const unsigned char *p = (const unsigned char *)sql; *p; p++) {
        if ((*p & 0xC0) != 0x80 && ++chars >= pos)
            break;
        if (*p == '\n')
            line++;
    }
    return line;
}

/* Run one embedded SQL file, sql (sql/dir/name in messages). */
static int run_sql_file(PGconn *conn, const char *dir, const char *name,
                        const char *sql, char *err, size_t errlen)
{
    PGresult *res = PQexec(conn, sql);
    ExecStatusType st = PQresultStatus(res);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        char what[WHAT_MAX];
        const char *pos = PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION);
        if (pos)
            snprintf(what, sizeof what, "sql/%s/%s failed at line %ld", dir,
                     name, line_of(sql, atol(pos)));
        else
            snprintf(what, sizeof what, "sql/%s/%s failed", dir, name);
        db_error(err, errlen, conn, res, what);
        PQclear(res);
        return -1;
    }
    PQclear(res);
    return 0;
}

static int record_version(PGconn *conn, int version, const char *name,
                          char *err, size_t errlen)
{
    char vtext[DB_INT_TEXT];
    snprintf(vtext, sizeof vtext, "%d", version);
    const char *params[2] = { vtext, name };
    return db_exec_ok(conn,
                      "INSERT INTO is248.schema_version (version, name) "
                      "VALUES ($1::int, $2)",
                      2, params, PGRES_COMMAND_OK,
                      "cannot record the schema version", err, errlen);
}

/* ------------------------------------------------------------------------ */
/* Reference data                                                            */

/* The reference tables, in the order they are loaded and fingerprinted,
 * and the COPY that takes each (refdata.h gives the file's layout). */
static const struct reference_copy {
    enum refdata_table table;
    const char *copy;
} reference_copies[] = {
    { REFDATA_MUNICIPALITIES,
      "COPY is248.municipality (year, code, name, county_code) FROM STDIN" },
    { REFDATA_CHANGES,
      "COPY is248.municipality_change (valid_from, old_code, old_name, "
      "new_code, new_name, change) FROM STDIN" },
    { REFDATA_DISTRICTS,
      "COPY is248.oslo_district (code, name, municipality_code) FROM STDIN" },
    { REFDATA_COUNTIES,
      "COPY is248.county (code, name, first_year, last_year) FROM STDIN" },
    /* the catalogue: the form (code lists, their codes, the questions
     * that name them), the columns of its trends, the indicators (each
     * naming its question), each before what refers to it */
    { REFDATA_CODE_LISTS,
      "COPY is248.code_list FROM STDIN (FORMAT csv, HEADER true)" },
    { REFDATA_ANSWER_CODES,
      "COPY is248.answer_code FROM STDIN (FORMAT csv, HEADER true)" },
    { REFDATA_QUESTIONS,
      "COPY is248.question FROM STDIN (FORMAT csv, HEADER true)" },
    { REFDATA_QUESTION_COLUMNS,
      "COPY is248.question_column FROM STDIN (FORMAT csv, HEADER true)" },
    { REFDATA_INDICATORS,
      "COPY is248.indicator (name, ord, question_key, function, field, "
      "n_column, pct_column, title_nb, title_en, chart_title_nb, "
      "chart_title_en, y_label_nb, y_label_en, base_nb, base_en, note_nb, "
      "note_en) FROM STDIN (FORMAT csv, HEADER true)" },
    { REFDATA_INDICATOR_COLUMNS,
      "COPY is248.indicator_column FROM STDIN (FORMAT csv, HEADER true)" },
};
#define N_REFERENCE_TABLES \
    (sizeof reference_copies / sizeof reference_copies[0])

/* SHA-256 of every reference file (name, length, bytes) as hex. */
static int reference_fingerprint(char hex[HEX_SHA256_SIZE], char *err,
                                 size_t errlen)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1;
    /* the layout of the tables is part of what is loaded */
    static const char layout[] = "is248 reference 2\n";
    ok = ok && EVP_DigestUpdate(ctx, layout, sizeof layout - 1) == 1;
    for (size_t i = 0; ok && i < N_REFERENCE_TABLES; i++) {
        const char *name = refdata_layouts[reference_copies[i].table].file;
        size_t len = 0;
        const char *text = refdata_find(name, &len);
        if (!text) {
            EVP_MD_CTX_free(ctx);
            snprintf(err, errlen,
                     "reference data '%s' is not compiled into the program",
                     name);
            return -1;
        }
        char head[DB_INT_TEXT]; /* the length in decimal, a line feed */
        int n = snprintf(head, sizeof head, "%zu\n", len);
        ok = EVP_DigestUpdate(ctx, name, strlen(name) + 1) == 1 &&
             EVP_DigestUpdate(ctx, head, (size_t)n) == 1 &&
             EVP_DigestUpdate(ctx, text, len) == 1;
    }
    ok = ok && EVP_DigestFinal_ex(ctx, md, &mdlen) == 1 && mdlen == 32;
    EVP_MD_CTX_free(ctx);
    if (!ok) {
        snprintf(err, errlen, "cannot compute the reference data's SHA-256");
        return -1;
    }
    hex_encode(hex, md, mdlen);
    return 0;
}

/*
 * The rows of the CSV as COPY rows in cb, sent as they fill.  Returns 0, or
 * -1 with why set ("line N: ...").
 */
static int csv_to_rows(const struct refdata_layout *t, const char *text,
                       size_t len, struct copybuf *cb, PGconn *conn,
                       char *why, size_t whylen)
{
    struct refdata_csv c;
    if (refdata_csv_begin(&c, t, text, len, why, whylen) != 0)
        return -1;
    struct refdata_field field[REFDATA_FIELDS_MAX];
    long rows = 0;
    int r;
    while ((r = refdata_csv_next(&c, field, why, whylen)) > 0) {
        for (int i = 0; i < t->fields; i++) {
            int rc = field[i].n == 0
                         ? copybuf_null(cb)
                         : copybuf_textn(cb, field[i].p, field[i].n);
            if (rc != COPYBUF_OK) {
                snprintf(why, whylen, "line %ld: %s", c.line,
                         copybuf_strerror(rc));
                return -1;
            }
        }
        if (copybuf_end_row(cb) != COPYBUF_OK) {
            snprintf(why, whylen, "line %ld: out of memory", c.line);
            return -1;
        }
        if (copybuf_flush(cb, conn, 0) != COPYBUF_OK) {
            snprintf(why, whylen, "cannot send COPY data");
            return -1;
        }
        rows++;
    }
    if (r < 0)
        return -1;
    if (rows == 0) {
        snprintf(why, whylen, "no rows");
        return -1;
    }
    return 0;
}

/* COPY one reference table.  Returns 0 or -1 with err set. */
static int load_reference_table(PGconn *conn, const struct reference_copy *t,
                                char *err, size_t errlen)
{
    const struct refdata_layout *layout = &refdata_layouts[t->table];
    size_t len = 0;
    const char *text = refdata_find(layout->file, &len);
    char what[WHAT_MAX];
    snprintf(what, sizeof what, "cannot load reference data '%s'",
             layout->file);
    if (!text) {
        snprintf(err, errlen, "%s: not compiled into the program", what);
        return -1;
    }
    PGresult *res = db_exec(conn, t->copy, 0, NULL, PGRES_COPY_IN, what, err,
                            errlen);
    if (!res)
        return -1;
    PQclear(res);

    struct copybuf cb = COPYBUF_INIT;
    char why[REFDATA_WHY_MAX] = "";
    int ok;
    if (layout->fields == 0) {
        /* RFC 4180: COPY parses it; its header is ours to check */
        size_t hl = strlen(layout->header);
        ok = len > hl && memcmp(text, layout->header, hl) == 0 &&
             (text[hl] == '\n' || text[hl] == '\r');
        if (!ok)
            snprintf(why, sizeof why, "line 1: expected the header '%s'",
                     layout->header);
        else if (PQputCopyData(conn, text, (int)len) <= 0) {
            snprintf(why, sizeof why, "cannot send COPY data");
            ok = 0;
        }
    } else
        ok = csv_to_rows(layout, text, len, &cb, conn, why, sizeof why) == 0 &&
             copybuf_flush(&cb, conn, 1) == COPYBUF_OK;
    copybuf_free(&cb);
    if (!ok && !why[0])
        snprintf(why, sizeof why, "cannot send COPY data");

    int rc = 0;
    if (PQputCopyEnd(conn, ok ? NULL : why) <= 0) {
        db_error(err, errlen, conn, NULL, what);
        rc = -1;
    }
    /* Read every result; the first bad one is the error. */
    while ((res = PQgetResult(conn)) != NULL) {
        if (rc == 0 && PQresultStatus(res) != PGRES_COMMAND_OK) {
            if (!ok)
                snprintf(err, errlen, "%s: %s", what, why);
            else
                db_error(err, errlen, conn, res, what);
            rc = -1;
        }
        PQclear(res);
    }
    if (rc == 0 && !ok) {       /* the server took a COPY we abandoned? */
        snprintf(err, errlen, "%s: %s", what, why);
        rc = -1;
    }
    return rc;
}

/* Reload the reference data when its fingerprint differs.  Sets *loaded. */
static int sync_reference(PGconn *conn, int *loaded, char *err, size_t errlen)
{
    char hex[HEX_SHA256_SIZE];
    if (reference_fingerprint(hex, err, errlen) != 0)
        return -1;
    PGresult *res = db_exec(conn, "SELECT sha256 FROM is248.reference_meta",
                            0, NULL, PGRES_TUPLES_OK,
                            "cannot read the reference data's fingerprint",
                            err, errlen);
    if (!res)
        return -1;
    int same = PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), hex) == 0;
    PQclear(res);
    if (same)
        return 0;

    if (db_command(conn,
                   "TRUNCATE is248.municipality, is248.municipality_change, "
                   "is248.oslo_district, is248.county, is248.indicator, "
                   "is248.indicator_column, is248.question_column, "
                   "is248.question, is248.answer_code, is248.code_list",
                   "cannot empty the reference tables", err, errlen) != 0)
        return -1;
    for (size_t i = 0; i < N_REFERENCE_TABLES; i++)
        if (load_reference_table(conn, &reference_copies[i], err, errlen) != 0)
            return -1;
    /* what follows from them, computed once */
    if (db_command(conn, "REFRESH MATERIALIZED VIEW is248.unit_county",
                   "cannot compute the counties of today (is248.unit_county)",
                   err, errlen) != 0)
        return -1;
    res = db_exec(conn, "SELECT is248.catalogue_loaded()", 0, NULL,
                  PGRES_TUPLES_OK, "cannot take in the catalogue of the form",
                  err, errlen);
    if (!res)
        return -1;
    PQclear(res);
    if (db_command(conn, "DELETE FROM is248.reference_meta",
                   "cannot record the reference data's fingerprint", err,
                   errlen) != 0)
        return -1;
    const char *params[1] = { hex };
    res = db_exec(conn,
                  "INSERT INTO is248.reference_meta (sha256) VALUES ($1)",
                  1, params, PGRES_COMMAND_OK,
                  "cannot record the reference data's fingerprint", err,
                  errlen);
    if (!res)
        return -1;
    PQclear(res);
    *loaded = 1;
    return 0;
}

/* The body of db_migrate(), inside its transaction. */
static int migrate_in_transaction(PGconn *conn, int *from, int *to,
                                  int *reference_loaded, char *err,
                                  size_t errlen)
{
    /* Fixed settings for this transaction only: no NOTICEs about objects
     * that already exist; nothing resolved through a user's search_path. */
    if (db_command(conn,
                   "SET LOCAL client_min_messages = warning; "
                   "SET LOCAL search_path = pg_catalog, pg_temp",
                   "cannot prepare the migration", err, errlen) != 0)
        return -1;
    PGresult *res = db_exec(conn,
                            "SELECT pg_catalog.pg_advisory_xact_lock("
                            DB_LOCK_MIGRATE ")", 0, NULL,
                            PGRES_TUPLES_OK, "cannot take the migration lock",
                            err, errlen);
    if (!res)
        return -1;
    PQclear(res);

    int have = have_version_table(conn, err, errlen);
    if (have < 0)
        return -1;
    if (!have &&
        db_command(conn,
                   "CREATE SCHEMA IF NOT EXISTS is248; "
                   "CREATE TABLE IF NOT EXISTS is248.schema_version ("
                   " version int PRIMARY KEY,"
                   " applied_at timestamptz NOT NULL DEFAULT now(),"
                   " name text)",
                   "cannot create schema is248", err, errlen) != 0)
        return -1;
    int current = read_version(conn, err, errlen);
    if (current < 0)
        return -1;
    *from = current;
    int target = db_schema_target();
    if (current > target) {
        snprintf(err, errlen,
                 "the database's schema version %d is newer than this "
                 "program's (%d): use a newer is248", current, target);
        return -1;
    }
    if (current == 0) {
        for (size_t i = 0; i < schema_count(); i++)
            if (run_sql_file(conn, "schema", schema_name(i),
                             schema_text(i, NULL), err, errlen) != 0)
                return -1;
        if (record_version(conn, SCHEMA_FIRST_VERSION, "schema", err,
                           errlen) != 0)
            return -1;
        current = SCHEMA_FIRST_VERSION;
    }
    int last = SCHEMA_FIRST_VERSION;
    for (size_t i = 0; i < schema_upgrade_count(); i++) {
        const char *file = schema_upgrade_name(i);
        int v = upgrade_version(file);
        if (v != last + 1) {
            snprintf(err, errlen, "upgrade '%s' is out of order or has no "
                     "NNNN_ version after %d", file, last);
            return -1;
        }
        last = v;
        if (v > current) {
            char name[WHAT_MAX];
            snprintf(name, sizeof name, "upgrade/%s", file);
            if (run_sql_file(conn, "upgrade", file,
                             schema_upgrade_text(i, NULL), err, errlen) != 0 ||
                record_version(conn, v, name, err, errlen) != 0)
                return -1;
        }
    }
    *to = target;
    return sync_reference(conn, reference_loaded, err, errlen);
}

int db_migrate(PGconn *conn, int *from, int *to, int *reference_loaded,
               char *err, size_t errlen)
{
    int f = 0, t = 0, loaded = 0;
    if (PQtransactionStatus(conn) != PQTRANS_IDLE) {
        snprintf(err, errlen, "cannot migrate: the connection is busy or in a "
                 "transaction");
        return -1;
    }
    if (db_command(conn, "BEGIN", "cannot start the migration", err,
                   errlen) != 0)
        return -1;
    if (migrate_in_transaction(conn, &f, &t, &loaded, err, errlen) != 0 ||
        db_command(conn, "COMMIT", "cannot commit the migration", err,
                   errlen) != 0) {
        const char *state = db_error_sqlstate();
        int refused = strcmp(state, "42501") == 0 ||  /* insufficient_privilege */
                      strncmp(state, "0L", 2) == 0;   /* invalid_grantor ... */
        db_rollback(conn);
        return refused ? DB_MIGRATE_REFUSED : -1;
    }
    if (from)
        *from = f;
    if (to)
        *to = t;
    if (reference_loaded)
        *reference_loaded = loaded;
    return 0;
}

