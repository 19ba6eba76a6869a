/*
 * db.c - connecting, migrating the schema, loading the reference data, the
 * import lock, and the import_run bookkeeping (see db.h).
 *
 * Migrations are applied in one transaction under an advisory lock, so two
 * migrates run one after the other and the second finds nothing to do.  The
 * reference CSVs are parsed here (header line, comma-separated, no quoting:
 * anything else is refused) and sent with COPY; the catalogue's CSVs
 * (sql/catalogue/, RFC 4180, quoted where a text holds a comma) have their
 * header checked here and are parsed by COPY's CSV format.  All are
 * reloaded only when the SHA-256 of the compiled-in bytes differs from
 * is248.reference_meta.
 */
#include "db.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "copybuf.h"
#include "pgbin.h"
#include "tools/embed.h"

extern const struct embedded_file schema_files[];
extern const size_t schema_count;
extern const struct embedded_file upgrade_files[];
extern const size_t upgrade_count;
extern const struct embedded_file reference_files[];
extern const size_t reference_count;

/* Advisory lock keys: (DB_LOCK_SPACE, what), "IS24" as an int4. */
#define DB_LOCK_SPACE "1230188084"
#define DB_LOCK_MIGRATE DB_LOCK_SPACE ", 1"
#define DB_LOCK_IMPORT DB_LOCK_SPACE ", 2"

/* ------------------------------------------------------------------------ */
/* Messages                                                                  */

/* Append s to out (NUL-terminated, outlen bytes) as one line: runs of
 * white space that hold a line break become "; ", other runs one space;
 * leading and trailing white space goes. */
static void append_line(char *out, size_t outlen, const char *s)
{
    size_t o = strlen(out);
    while (*s && isspace((unsigned char)*s))
        s++;
    while (*s && o + 1 < outlen) {
        if (isspace((unsigned char)*s)) {
            int nl = 0;
            while (*s && isspace((unsigned char)*s)) {
                nl |= *s == '\n' || *s == '\r';
                s++;
            }
            if (!*s)
                break;
            for (const char *sep = nl ? "; " : " "; *sep && o + 1 < outlen;)
                out[o++] = *sep++;
            continue;
        }
        out[o++] = *s++;
    }
    out[o] = '\0';
}

/* Append s to out as it is, as far as it fits. */
static void append_raw(char *out, size_t outlen, const char *s)
{
    size_t o = strlen(out);
    while (*s && o + 1 < outlen)
        out[o++] = *s++;
    out[o] = '\0';
}

/* Strip libpq's "ERROR:  " style severity prefix. */
static const char *skip_severity(const char *m)
{
    static const char *const prefixes[] = { "ERROR:", "FATAL:", "PANIC:" };
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        size_t n = strlen(prefixes[i]);
        if (strncmp(m, prefixes[i], n) == 0)
            return m + n;
    }
    return m;
}

void db_error(char *err, size_t errlen, PGconn *conn, const PGresult *res,
              const char *what)
{
    if (!err || errlen == 0)
        return;
    err[0] = '\0';
    if (what && *what) {
        append_line(err, errlen, what);
        append_raw(err, errlen, ": ");
    }
    const char *primary =
        res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    if (primary) {
        append_line(err, errlen, primary);
        const char *detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
        const char *hint = PQresultErrorField(res, PG_DIAG_MESSAGE_HINT);
        if (detail) {
            append_raw(err, errlen, "; ");
            append_line(err, errlen, detail);
        }
        if (hint) {
            append_raw(err, errlen, "; hint: ");
            append_line(err, errlen, hint);
        }
    } else {
        const char *m = res ? PQresultErrorMessage(res) : NULL;
        if (!m || !*m)
            m = conn ? PQerrorMessage(conn) : NULL;
        if (!m || !*m)
            m = conn ? "unknown error" : "out of memory";
        append_line(err, errlen, skip_severity(m));
    }
    /* one line, no final full stop */
    size_t o = strlen(err);
    while (o > 0 && (err[o - 1] == '.' || err[o - 1] == ' ' ||
                     err[o - 1] == ';' || err[o - 1] == ':'))
        err[--o] = '\0';
}

static void set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || errlen == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/*
 * Run sql (no parameters) and require status want.  Returns the result
 * (caller clears it) or NULL with err set ("what: message").
 */
static PGresult *exec_params(PGconn *conn, const char *sql, int n,
                             const char *const *params, ExecStatusType want,
                             const char *what, char *err, size_t errlen);

static PGresult *exec_want(PGconn *conn, const char *sql, ExecStatusType want,
                           const char *what, char *err, size_t errlen)
{
    return exec_params(conn, sql, 0, NULL, want, what, err, errlen);
}

/* exec_want() with n text parameters $1..$n (n == 0: sql may hold several
 * statements). */
static PGresult *exec_params(PGconn *conn, const char *sql, int n,
                             const char *const *params, ExecStatusType want,
                             const char *what, char *err, size_t errlen)
{
    PGresult *res = n ? PQexecParams(conn, sql, n, NULL, params, NULL, NULL, 0)
                      : PQexec(conn, sql);
    if (PQresultStatus(res) != want) {
        db_error(err, errlen, conn, res, what);
        PQclear(res);
        return NULL;
    }
    return res;
}

static int exec_cmd(PGconn *conn, const char *sql, const char *what,
                    char *err, size_t errlen)
{
    PGresult *res = exec_want(conn, sql, PGRES_COMMAND_OK, what, err, errlen);
    PQclear(res);
    return res ? 0 : -1;
}

/* Roll back whatever transaction is open; errors are ignored (the caller
 * already has one to report). */
static void rollback(PGconn *conn)
{
    if (PQtransactionStatus(conn) == PQTRANS_INTRANS ||
        PQtransactionStatus(conn) == PQTRANS_INERROR)
        PQclear(PQexec(conn, "ROLLBACK"));
}

/* ------------------------------------------------------------------------ */
/* Connecting                                                                */

PGconn *db_connect(const char *conninfo, char *err, size_t errlen)
{
    /* Keywords before "dbname" are defaults that the conninfo overrides
     * (an unattended run must not hang on a server that never answers:
     * connect_timeout, and TCP keepalives that notice a dead peer within
     * a minute or two); keywords after it override what an expanded
     * conninfo says: the loader sends UTF-8, whatever PGCLIENTENCODING
     * says.  PGCONNECT_TIMEOUT, when set, wins over our default. */
    const char *keys[8], *vals[8];
    int n = 0;
    if (!getenv("PGCONNECT_TIMEOUT")) {
        keys[n] = "connect_timeout";
        vals[n++] = "30";
    }
    keys[n] = "keepalives_idle";
    vals[n++] = "60";
    keys[n] = "keepalives_interval";
    vals[n++] = "10";
    keys[n] = "keepalives_count";
    vals[n++] = "6";
    keys[n] = "dbname";
    vals[n++] = conninfo;
    keys[n] = "fallback_application_name";
    vals[n++] = "is248";
    keys[n] = "client_encoding";
    vals[n++] = "UTF8";
    keys[n] = NULL;
    vals[n] = NULL;
    PGconn *conn = PQconnectdbParams(keys, vals, 1);
    if (!conn) {
        set_err(err, errlen, "cannot connect: out of memory");
        return NULL;
    }
    if (PQstatus(conn) != CONNECTION_OK) {
        db_error(err, errlen, conn, NULL, NULL);
        PQfinish(conn);
        return NULL;
    }
    return conn;
}

int db_set_timeouts(PGconn *conn, long lock_timeout_ms,
                    long statement_timeout_ms, char *err, size_t errlen)
{
    char lock[32], stmt[32];
    snprintf(lock, sizeof lock, "%ldms", lock_timeout_ms);
    snprintf(stmt, sizeof stmt, "%ldms", statement_timeout_ms);
    const char *params[2] = { lock, stmt };
    PGresult *res = exec_params(conn,
                                "SELECT pg_catalog.set_config('lock_timeout', $1, false),"
                                " pg_catalog.set_config('statement_timeout', $2, false)",
                                2, params, PGRES_TUPLES_OK,
                                "cannot set the time-outs", err, errlen);
    PQclear(res);
    return res ? 0 : -1;
}

/* ------------------------------------------------------------------------ */
/* Migrations                                                                */

/* The version an upgrade file "NNNN_name.sql" takes the schema to, or -1. */
static int upgrade_version(const char *name)
{
    int v = 0;
    for (int i = 0; i < 4; i++) {
        if (!isdigit((unsigned char)name[i]))
            return -1;
        v = v * 10 + (name[i] - '0');
    }
    return name[4] == '_' && v >= 2 ? v : -1;
}

int db_schema_target(void)
{
    int target = 1;
    for (size_t i = 0; i < upgrade_count; i++) {
        int v = upgrade_version(upgrade_files[i].name);
        if (v > target)
            target = v;
    }
    return target;
}

/* 1 when is248.schema_version exists, 0 when not, -1 on error. */
static int have_version_table(PGconn *conn, char *err, size_t errlen)
{
    PGresult *res = exec_want(
        conn,
        "SELECT pg_catalog.to_regclass('is248.schema_version') IS NOT NULL",
        PGRES_TUPLES_OK, "cannot read the schema version", err, errlen);
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
    PGresult *res = exec_want(
        conn,
        "SELECT coalesce(max(version), 0),"
        " bool_or(name ~ '^[0-9]{4}_.*[.]sql$'), max(version) FILTER"
        " (WHERE name ~ '^[0-9]{4}_.*[.]sql$')"
        " FROM is248.schema_version",
        PGRES_TUPLES_OK, "cannot read the schema version", err, errlen);
    if (!res)
        return -1;
    int v = atoi(PQgetvalue(res, 0, 0));
    if (strcmp(PQgetvalue(res, 0, 1), "t") == 0) {
        set_err(err, errlen,
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

/* Run one embedded SQL file (dir/name in messages). */
static int run_sql_file(PGconn *conn, const char *dir,
                        const struct embedded_file *f, char *err,
                        size_t errlen)
{
    PGresult *res = PQexec(conn, (const char *)f->data);
    ExecStatusType st = PQresultStatus(res);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        char what[256];
        const char *pos = PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION);
        if (pos)
            snprintf(what, sizeof what, "sql/%s/%s failed at line %ld", dir,
                     f->name, line_of((const char *)f->data, atol(pos)));
        else
            snprintf(what, sizeof what, "sql/%s/%s failed", dir, f->name);
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
    char vtext[16];
    snprintf(vtext, sizeof vtext, "%d", version);
    const char *params[2] = { vtext, name };
    PGresult *res = exec_params(conn,
                                "INSERT INTO is248.schema_version (version, name) "
                                "VALUES ($1::int, $2)",
                                2, params, PGRES_COMMAND_OK,
                                "cannot record the schema version", err, errlen);
    PQclear(res);
    return res ? 0 : -1;
}

/* ------------------------------------------------------------------------ */
/* Reference data                                                            */

struct reference_table {
    const char *file;     /* name of the embedded CSV */
    const char *header;   /* its first line, exactly */
    int fields;           /* 0: RFC 4180, sent whole to COPY's CSV format */
    const char *copy;     /* COPY statement */
};

static const struct reference_table reference_tables[] = {
    { "municipalities_by_year.csv", "year,code,name,county_code", 4,
      "COPY is248.municipality (year, code, name, county_code) FROM STDIN" },
    { "municipality_changes.csv",
      "valid_from,old_code,old_name,new_code,new_name,change", 6,
      "COPY is248.municipality_change (valid_from, old_code, old_name, "
      "new_code, new_name, change) FROM STDIN" },
    { "oslo_districts.csv", "bydelsnummer,bydelsnavn,kommunenummer", 3,
      "COPY is248.oslo_district (code, name, municipality_code) FROM STDIN" },
    { "counties.csv", "code,name,first_year,last_year", 4,
      "COPY is248.county (code, name, first_year, last_year) FROM STDIN" },
    /* the catalogue; indicator before the columns that refer to it */
    { "indicator.csv",
      "name,ord,first_year,function,field,n_column,pct_column,question,"
      "title_nb,title_en,chart_title_nb,chart_title_en,y_label_nb,y_label_en,"
      "base_nb,base_en,note_nb,note_en", 0,
      "COPY is248.indicator FROM STDIN (FORMAT csv, HEADER true)" },
    { "indicator_column.csv",
      "indicator,ord,column_name,type,report,label_nb,label_en,about_nb,"
      "about_en", 0,
      "COPY is248.indicator_column FROM STDIN (FORMAT csv, HEADER true)" },
    { "answer_label.csv", "code,language,label", 0,
      "COPY is248.answer_label FROM STDIN (FORMAT csv, HEADER true)" },
};
#define N_REFERENCE_TABLES \
    (sizeof reference_tables / sizeof reference_tables[0])

static const struct embedded_file *find_reference(const char *name)
{
    for (size_t i = 0; i < reference_count; i++)
        if (reference_files[i].name && strcmp(reference_files[i].name, name) == 0)
            return &reference_files[i];
    return NULL;
}

/* SHA-256 of every reference file (name, length, bytes) as hex. */
static int reference_fingerprint(char hex[65], char *err, size_t errlen)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1;
    /* the layout of the tables is part of what is loaded */
    static const char layout[] = "is248 reference 1\n";
    ok = ok && EVP_DigestUpdate(ctx, layout, sizeof layout - 1) == 1;
    for (size_t i = 0; ok && i < N_REFERENCE_TABLES; i++) {
        const struct embedded_file *f = find_reference(reference_tables[i].file);
        if (!f) {
            EVP_MD_CTX_free(ctx);
            set_err(err, errlen,
                    "reference data '%s' is not compiled into the program",
                    reference_tables[i].file);
            return -1;
        }
        char head[64];
        int n = snprintf(head, sizeof head, "%zu\n", f->len);
        ok = EVP_DigestUpdate(ctx, f->name, strlen(f->name) + 1) == 1 &&
             EVP_DigestUpdate(ctx, head, (size_t)n) == 1 &&
             EVP_DigestUpdate(ctx, f->data, f->len) == 1;
    }
    ok = ok && EVP_DigestFinal_ex(ctx, md, &mdlen) == 1 && mdlen == 32;
    EVP_MD_CTX_free(ctx);
    if (!ok) {
        set_err(err, errlen, "cannot compute the reference data's SHA-256");
        return -1;
    }
    for (unsigned i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    return 0;
}

/*
 * Turn the CSV into COPY rows in cb.  Returns 0, or -1 with why set
 * ("line N: ...").
 */
static int csv_to_rows(const struct reference_table *t,
                       const struct embedded_file *f, struct copybuf *cb,
                       PGconn *conn, char *why, size_t whylen)
{
    const char *p = (const char *)f->data, *end = p + f->len;
    long line = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl ? nl : end;
        const char *next = nl ? nl + 1 : end;
        line++;
        if (eol > p && eol[-1] == '\r')
            eol--;
        if (line == 1) {
            size_t hl = strlen(t->header);
            /* a byte order mark is tolerated */
            if (eol - p >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
                p += 3;
            if ((size_t)(eol - p) != hl || memcmp(p, t->header, hl) != 0) {
                snprintf(why, whylen, "line 1: expected the header '%s'",
                         t->header);
                return -1;
            }
            p = next;
            continue;
        }
        if (eol == p) {         /* blank line: only at the end */
            if (next < end) {
                snprintf(why, whylen, "line %ld: empty line", line);
                return -1;
            }
            break;
        }
        if (memchr(p, '"', (size_t)(eol - p))) {
            snprintf(why, whylen, "line %ld: quoted fields are not supported",
                     line);
            return -1;
        }
        int n = 0;
        const char *field = p;
        for (const char *q = p;; q++) {
            if (q == eol || *q == ',') {
                if (++n > t->fields)
                    break;
                int rc = q == field ? copybuf_null(cb)
                                    : copybuf_textn(cb, field,
                                                    (size_t)(q - field));
                if (rc != COPYBUF_OK) {
                    snprintf(why, whylen, "line %ld: %s", line,
                             copybuf_strerror(rc));
                    return -1;
                }
                field = q + 1;
                if (q == eol)
                    break;
            }
        }
        if (n != t->fields) {
            copybuf_cancel_row(cb);
            snprintf(why, whylen, "line %ld: expected %d fields, found %s",
                     line, t->fields, n > t->fields ? "more" : "fewer");
            return -1;
        }
        if (copybuf_end_row(cb) != COPYBUF_OK) {
            snprintf(why, whylen, "line %ld: out of memory", line);
            return -1;
        }
        if (copybuf_flush(cb, conn, 0) != COPYBUF_OK) {
            snprintf(why, whylen, "cannot send COPY data");
            return -1;
        }
        p = next;
    }
    if (line < 2) {
        snprintf(why, whylen, "no rows");
        return -1;
    }
    return 0;
}

/* COPY one reference table.  Returns 0 or -1 with err set. */
static int load_reference_table(PGconn *conn, const struct reference_table *t,
                                char *err, size_t errlen)
{
    const struct embedded_file *f = find_reference(t->file);
    char what[256];
    snprintf(what, sizeof what, "cannot load reference data '%s'", t->file);
    if (!f) {
        set_err(err, errlen, "%s: not compiled into the program", what);
        return -1;
    }
    PGresult *res = exec_want(conn, t->copy, PGRES_COPY_IN, what, err, errlen);
    if (!res)
        return -1;
    PQclear(res);

    struct copybuf cb = COPYBUF_INIT;
    char why[256] = "";
    int ok;
    if (t->fields == 0) {
        /* COPY parses the CSV; its header is ours to check */
        size_t hl = strlen(t->header);
        ok = f->len > hl && memcmp(f->data, t->header, hl) == 0 &&
             (f->data[hl] == '\n' || f->data[hl] == '\r');
        if (!ok)
            snprintf(why, sizeof why, "line 1: expected the header '%s'",
                     t->header);
        else if (PQputCopyData(conn, (const char *)f->data, (int)f->len) <= 0) {
            snprintf(why, sizeof why, "cannot send COPY data");
            ok = 0;
        }
    } else
        ok = csv_to_rows(t, f, &cb, conn, why, sizeof why) == 0 &&
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
                set_err(err, errlen, "%s: %s", what, why);
            else
                db_error(err, errlen, conn, res, what);
            rc = -1;
        }
        PQclear(res);
    }
    if (rc == 0 && !ok) {       /* the server took a COPY we abandoned? */
        set_err(err, errlen, "%s: %s", what, why);
        rc = -1;
    }
    return rc;
}

/* Reload the reference data when its fingerprint differs.  Sets *loaded. */
static int sync_reference(PGconn *conn, int *loaded, char *err, size_t errlen)
{
    char hex[65];
    if (reference_fingerprint(hex, err, errlen) != 0)
        return -1;
    PGresult *res = exec_want(conn, "SELECT sha256 FROM is248.reference_meta",
                              PGRES_TUPLES_OK,
                              "cannot read the reference data's fingerprint",
                              err, errlen);
    if (!res)
        return -1;
    int same = PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), hex) == 0;
    PQclear(res);
    if (same)
        return 0;

    if (exec_cmd(conn,
                 "TRUNCATE is248.municipality, is248.municipality_change, "
                 "is248.oslo_district, is248.county, is248.indicator, "
                 "is248.indicator_column, is248.answer_label",
                 "cannot empty the reference tables", err, errlen) != 0)
        return -1;
    for (size_t i = 0; i < N_REFERENCE_TABLES; i++)
        if (load_reference_table(conn, &reference_tables[i], err, errlen) != 0)
            return -1;
    /* what follows from them, computed once */
    if (exec_cmd(conn, "REFRESH MATERIALIZED VIEW is248.unit_county",
                 "cannot compute the counties of today (is248.unit_county)",
                 err, errlen) != 0)
        return -1;
    if (exec_cmd(conn, "DELETE FROM is248.reference_meta",
                 "cannot record the reference data's fingerprint", err,
                 errlen) != 0)
        return -1;
    const char *params[1] = { hex };
    res = exec_params(conn,
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
    if (exec_cmd(conn,
                 "SET LOCAL client_min_messages = warning; "
                 "SET LOCAL search_path = pg_catalog, pg_temp",
                 "cannot prepare the migration", err, errlen) != 0)
        return -1;
    PGresult *res = exec_want(conn,
                              "SELECT pg_catalog.pg_advisory_xact_lock("
                              DB_LOCK_MIGRATE ")",
                              PGRES_TUPLES_OK, "cannot take the migration lock",
                              err, errlen);
    if (!res)
        return -1;
    PQclear(res);

    int have = have_version_table(conn, err, errlen);
    if (have < 0)
        return -1;
    if (!have &&
        exec_cmd(conn,
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
        set_err(err, errlen,
                "the database's schema version %d is newer than this "
                "program's (%d): use a newer is248", current, target);
        return -1;
    }
    if (current == 0) {
        for (size_t i = 0; i < schema_count; i++)
            if (run_sql_file(conn, "schema", &schema_files[i], err,
                             errlen) != 0)
                return -1;
        if (record_version(conn, 1, "schema", err, errlen) != 0)
            return -1;
        current = 1;
    }
    int last = 1;
    for (size_t i = 0; i < upgrade_count; i++) {
        const struct embedded_file *f = &upgrade_files[i];
        int v = upgrade_version(f->name);
        if (v != last + 1) {
            set_err(err, errlen, "upgrade '%s' is out of order or has no "
                    "NNNN_ version after %d", f->name, last);
            return -1;
        }
        last = v;
        if (v > current) {
            char name[300];
            snprintf(name, sizeof name, "upgrade/%s", f->name);
            if (run_sql_file(conn, "upgrade", f, err, errlen) != 0 ||
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
        set_err(err, errlen, "cannot migrate: the connection is busy or in a "
                "transaction");
        return -1;
    }
    if (exec_cmd(conn, "BEGIN", "cannot start the migration", err, errlen) != 0)
        return -1;
    if (migrate_in_transaction(conn, &f, &t, &loaded, err, errlen) != 0 ||
        exec_cmd(conn, "COMMIT", "cannot commit the migration", err,
                 errlen) != 0) {
        rollback(conn);
        return -1;
    }
    if (from)
        *from = f;
    if (to)
        *to = t;
    if (reference_loaded)
        *reference_loaded = loaded;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* The import lock and runs                                                  */

int db_lock_import(PGconn *conn, long wait_ms, char *err, size_t errlen)
{
    static const char what[] = "cannot take the import lock";
    PGresult *res;
    if (wait_ms == 0) {
        res = exec_want(conn,
                        "SELECT pg_catalog.pg_try_advisory_lock("
                        DB_LOCK_IMPORT ")",
                        PGRES_TUPLES_OK, what, err, errlen);
        if (!res)
            return -1;
        int taken = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
        PQclear(res);
        return taken;
    }

    /* Wait at most wait_ms (< 0: forever): lock_timeout for this
     * transaction only (a session-level advisory lock outlives the
     * transaction), and no statement_timeout while waiting. */
    if (PQtransactionStatus(conn) != PQTRANS_IDLE) {
        set_err(err, errlen, "%s: the connection is in a transaction", what);
        return -1;
    }
    if (exec_cmd(conn, "BEGIN", what, err, errlen) != 0)
        return -1;
    char ms[32];
    snprintf(ms, sizeof ms, "%ldms", wait_ms < 0 ? 0 : wait_ms);
    const char *params[1] = { ms };
    res = exec_params(conn,
                      "SELECT pg_catalog.set_config('lock_timeout', $1, true),"
                      " pg_catalog.set_config('statement_timeout', '0', true)",
                      1, params, PGRES_TUPLES_OK, what, err, errlen);
    if (!res) {
        rollback(conn);
        return -1;
    }
    PQclear(res);
    res = PQexec(conn,
                 "SELECT pg_catalog.pg_advisory_lock(" DB_LOCK_IMPORT ")");
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
        int timeout = state && strcmp(state, "55P03") == 0; /* lock_not_available */
        if (!timeout)
            db_error(err, errlen, conn, res, what);
        PQclear(res);
        rollback(conn);
        return timeout ? 0 : -1;
    }
    PQclear(res);
    return exec_cmd(conn, "COMMIT", what, err, errlen) == 0 ? 1 : -1;
}

int64_t db_run_begin(PGconn *conn, const char *command, int64_t *abandoned,
                     char *err, size_t errlen)
{
    const char *params[1] = { command };
    PGresult *res = exec_params(conn,
                                "SELECT run_id, abandoned"
                                " FROM is248.run_begin($1::text)",
                                1, params, PGRES_TUPLES_OK,
                                "cannot record the import run", err, errlen);
    if (!res)
        return -1;
    int64_t id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    if (abandoned)
        *abandoned = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
    PQclear(res);
    return id;
}

int db_run_end(PGconn *conn, int64_t run_id, const char *status, char *err,
               size_t errlen)
{
    char run[24];
    snprintf(run, sizeof run, "%" PRId64, run_id);
    const char *params[2] = { run, status };
    PGresult *res = exec_params(conn,
                                "SELECT is248.run_end($1::bigint, $2::text)",
                                2, params, PGRES_TUPLES_OK,
                                "cannot record the end of the import run",
                                err, errlen);
    PQclear(res);
    return res ? 0 : -1;
}

/* ------------------------------------------------------------------------ */
/* Deliveries                                                                */

int db_delivery_read(PGconn *conn, int64_t run_id, const char *source,
                     const unsigned char digest[32], struct db_delivery *d,
                     char *err, size_t errlen)
{
    char run[24];
    snprintf(run, sizeof run, "%" PRId64, run_id);
    const char *values[3] = { run, source, (const char *)digest };
    const int lengths[3] = { 0, 0, 32 }, formats[3] = { 0, 0, 1 };
    PGresult *res = PQexecParams(conn,
                                 "SELECT run_id, files, files_loaded,"
                                 " files_already, files_rejected,"
                                 " to_char(completed_at, 'YYYY-MM-DD HH24:MI')"
                                 " FROM is248.delivery_read($1::bigint,"
                                 " $2::text, $3::bytea)",
                                 3, NULL, values, lengths, formats, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_error(err, errlen, conn, res, "cannot look the delivery up");
        PQclear(res);
        return -1;
    }
    int found = PQntuples(res) == 1;
    if (found) {
        memset(d, 0, sizeof *d);
        d->run_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
        d->files = atoi(PQgetvalue(res, 0, 1));
        d->files_loaded = atoi(PQgetvalue(res, 0, 2));
        d->files_already = atoi(PQgetvalue(res, 0, 3));
        d->files_rejected = atoi(PQgetvalue(res, 0, 4));
        snprintf(d->completed_at, sizeof d->completed_at, "%s",
                 PQgetvalue(res, 0, 5));
    }
    PQclear(res);
    return found;
}

int64_t db_delivery_begin(PGconn *conn, int64_t run_id, const char *source,
                          uint64_t bytes, char *err, size_t errlen)
{
    char run[24], size[24];
    snprintf(run, sizeof run, "%" PRId64, run_id);
    snprintf(size, sizeof size, "%" PRIu64, bytes);
    const char *params[3] = { run, source, size };
    PGresult *res = exec_params(conn,
                                "SELECT is248.delivery_begin($1::bigint,"
                                " $2::text, $3::bigint)",
                                3, params, PGRES_TUPLES_OK,
                                "cannot begin the delivery", err, errlen);
    if (!res)
        return -1;
    int64_t id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    return id;
}

int db_delivery_pieces(PGconn *conn, int64_t id, int first,
                       const unsigned char *data, size_t len, char *err,
                       size_t errlen)
{
    struct pgbin elems = PGBIN_INIT, arr = PGBIN_INIT;
    int n = 0;
    for (size_t off = 0; off < len; off += DB_DELIVERY_PIECE, n++) {
        size_t k = len - off < DB_DELIVERY_PIECE ? len - off
                                                 : DB_DELIVERY_PIECE;
        pgbin_bytes(&elems, data + off, k);
    }
    pgbin_array(&arr, PGBIN_BYTEA, n, 0, &elems);
    pgbin_free(&elems);
    if (pgbin_failed(&arr)) {
        pgbin_free(&arr);
        set_err(err, errlen, "cannot send the delivery: out of memory");
        return -1;
    }
    char idt[24], firstt[16];
    snprintf(idt, sizeof idt, "%" PRId64, id);
    snprintf(firstt, sizeof firstt, "%d", first);
    const char *values[3] = { idt, firstt, (const char *)arr.data };
    const int lengths[3] = { 0, 0, (int)arr.len }, formats[3] = { 0, 0, 1 };
    PGresult *res = PQexecParams(conn,
                                 "SELECT is248.delivery_pieces($1::bigint,"
                                 " $2::int, $3::bytea[])",
                                 3, NULL, values, lengths, formats, 0);
    pgbin_free(&arr);
    int rc = 0;
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_error(err, errlen, conn, res, "cannot send the delivery");
        rc = -1;
    }
    PQclear(res);
    return rc;
}

int db_delivery_end(PGconn *conn, int64_t id, const unsigned char digest[32],
                    char *err, size_t errlen)
{
    char idt[24];
    snprintf(idt, sizeof idt, "%" PRId64, id);
    const char *values[2] = { idt, (const char *)digest };
    const int lengths[2] = { 0, 32 }, formats[2] = { 0, 1 };
    PGresult *res = PQexecParams(conn,
                                 "SELECT is248.delivery_end($1::bigint,"
                                 " $2::bytea)",
                                 2, NULL, values, lengths, formats, 0);
    int rc = 0;
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_error(err, errlen, conn, res,
                 "cannot record the delivery as read");
        rc = -1;
    }
    PQclear(res);
    return rc;
}
