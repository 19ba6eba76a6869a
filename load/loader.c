/*
 * loader.c - one report file per transaction (see loader.h).
 *
 * A file's transaction: "BEGIN; SELECT nextval(...)" draws the base of
 * its report ids (report n of the file becomes report_id base + n); the
 * raw answers then stream straight into is248.answer with one COPY, under
 * those ids, in 64 KiB CopyData messages; the reports, problems and
 * warnings are held and follow into the staging table with a COPY of
 * their own (every STAGE_HOLD bytes, and at the end); finally
 * is248.merge_file(), the clearing of the stage and COMMIT go together in
 * pipeline mode.  The merge keeps the answers of the reports it loads and
 * deletes the others' (sql/0007_answers_straight_in.sql).  A small file
 * read whole is looked up first, one more round trip.  The merge and the
 * look-up are prepared once.
 *
 * The staging table is temporary (one per connection, created by
 * loader_new()).  Each file's transaction deletes its rows after the
 * merge, so it is empty at the start of every file (see CLEAR_STAGE).  It
 * holds every kind of row of a file but answers, told apart by `kind`:
 * 'r' report, 'p' problem that sets something aside, 'w' warning.  Its
 * columns are the union of theirs; the merge
 * (sql/0007_answers_straight_in.sql) reads them by name, so the two must
 * agree.
 *
 * Text that is data (answers, names) must be valid UTF-8: a report holding
 * anything else is set aside rather than loaded altered.  Labels and
 * messages (file names, reasons) are stored with invalid bytes as U+FFFD.
 */
#include "loader.h"

#include <ctype.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "copybuf.h"
#include "db.h"
#include "transform/codes.h"
#include "transform/instant.h"

/* Columns of the staging table, in COPY order. */
static const char STAGE_DDL[] =
    "DO $stage$ BEGIN "
    "IF pg_catalog.to_regclass('pg_temp.is248_stage') IS NULL THEN "
    "CREATE TEMPORARY TABLE is248_stage ("
    " kind text NOT NULL,"              /*  1 r p w */
    " report_index int,"                /*  2 */
    " question text,"                   /*  3 problems */
    " level text,"
    " reason text,"                     /*  5 */
    " year int,"                        /*  6 reports and problems */
    " unit_code text,"                  /*  7 */
    " version smallint,"                /*  8 reports */
    " unit_type text,"
    " unit_name text,"
    " county_code text,"
    " population int,"
    " size_class text,"
    " submitted_at timestamptz,"
    " submission_id text,"
    " digest bytea,"
    " nav_collab text,"
    " nav_collab_specialist text,"
    " nav_rating text,"
    " ips_se_mental_health text,"
    " ips_mental_health boolean,"
    " se_mental_health boolean,"
    " ips_se_substance text,"
    " ips_substance boolean,"
    " se_substance boolean"             /* 25 */
    ") ON COMMIT PRESERVE ROWS; "
    /* is248.merge_file() runs as its owner, who must read the stage */
    "EXECUTE pg_catalog.format('GRANT SELECT ON pg_temp.is248_stage TO %I',"
    " (SELECT pg_catalog.pg_get_userbyid(p.proowner)"
    " FROM pg_catalog.pg_proc p WHERE p.oid ="
    " 'is248.merge_file(bigint, text, text, bytea, bigint, bigint)'"
    "::pg_catalog.regprocedure)); "
    "END IF; END $stage$";

#define STAGE_COLUMNS 25
#define PROBLEM_COLUMNS 7               /* kind .. unit_code */

/* A file's transaction begins with the base of its report ids: report n
 * of the file will be report_id base + n (see is248.merge_file()). */
static const char BEGIN_FILE[] =
    "BEGIN; SELECT pg_catalog.nextval('is248.report_report_id_seq')";
static const char TRUNCATE_BEGIN_FILE[] =
    "TRUNCATE pg_temp.is248_stage; BEGIN;"
    " SELECT pg_catalog.nextval('is248.report_report_id_seq')";
static const char COPY_ANSWERS[] =
    "COPY is248.answer (report_id, seq, parent_seq, chapter, question, code,"
    " text) FROM STDIN";
static const char COPY_STAGE[] = "COPY pg_temp.is248_stage FROM STDIN";
/* Staged rows (reports, problems) held while the answers stream, at most;
 * then they are sent with a COPY of their own. */
#define STAGE_HOLD (1U << 20)
/* After its merge, a file's staged rows are deleted in its transaction;
 * the space they took is given back by a TRUNCATE only every
 * TRUNCATE_FILES files or TRUNCATE_BYTES bytes staged, since a TRUNCATE
 * (or ON COMMIT DELETE ROWS) costs about half a millisecond, as much as
 * merging a file of one report. */
static const char CLEAR_STAGE[] = "DELETE FROM pg_temp.is248_stage";
#define TRUNCATE_FILES 32
#define TRUNCATE_BYTES (16U << 20)

/* Is a file known before reading it (loader_file_known()) */
static const char KNOWN[] =
    "WITH prev AS ("
    " SELECT is248.loaded_from($4::bytea) AS came_from), "
    "ins AS ("
    " INSERT INTO is248.source_file (run_id, source, entry, sha256,"
    "  bytes, outcome)"
    " SELECT $1::bigint, $2::text, $3::text, $4::bytea, $5::bigint,"
    "  'already_loaded' FROM prev WHERE prev.came_from IS NOT NULL"
    "  RETURNING 1) "
    "SELECT prev.came_from FROM prev, ins";

static const char MERGE[] =
    "SELECT outcome, reports_loaded, reports_unchanged, reports_rejected,"
    " answers_rejected, warnings, already_entry, conflicts"
    " FROM is248.merge_file($1::bigint, $2::text, $3::text, $4::bytea,"
    " $5::bigint, $6::bigint)";

enum copy_target { TO_NONE, TO_ANSWERS, TO_STAGE };

enum loader_state {
    LD_IDLE,        /* no file open, no transaction */
    LD_COPY         /* a file's transaction and COPY are open */
};

struct loader {
    PGconn *conn;
    int64_t run_id;
    char run_text[24];
    enum loader_state state;
    struct copybuf cb;      /* staged rows: reports, problems, warnings */
    struct copybuf ans;     /* raw answers, for is248.answer */
    enum copy_target copying; /* the COPY open in the file's transaction */
    int64_t base;           /* report ids of the open file: base + index */
    char *source, *entry;   /* of the open file, valid UTF-8 */
    unsigned staged_files;  /* files staged since the last TRUNCATE */
    uint64_t staged_from;   /* cb.sent at the last TRUNCATE */
    struct copybuf skipped; /* rows of is248.skipped_entry not yet sent */
    size_t n_skipped;
    char err[1024];
};

/* ------------------------------------------------------------------------ */
/* Errors and small helpers                                                  */

static void ld_err(struct loader *ld, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void ld_err(struct loader *ld, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ld->err, sizeof ld->err, fmt, ap);
    va_end(ap);
}

const char *loader_error(const struct loader *ld)
{
    return ld ? ld->err : "out of memory";
}

/* A copy of s (NULL taken as "") in which bytes that are not valid UTF-8
 * are U+FFFD.  NULL when memory ran out. */
static char *utf8_dup(const char *s)
{
    if (!s)
        s = "";
    size_t n = strlen(s);
    char *out = malloc(3 * n + 1);
    if (!out)
        return NULL;
    size_t i = 0, o = 0;
    while (i < n) {
        size_t ok = copybuf_utf8_valid(s + i, n - i);
        memcpy(out + o, s + i, ok);
        o += ok;
        i += ok;
        if (i < n) {
            memcpy(out + o, "\xEF\xBF\xBD", 3);
            o += 3;
            i++;
        }
    }
    out[o] = '\0';
    return out;
}

/* s without surrounding white space, as pointer and length; NULL when s is
 * NULL or nothing is left. */
static const char *trimmed(const char *s, size_t *len)
{
    if (!s)
        return NULL;
    while (*s && isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        n--;
    *len = n;
    return n ? s : NULL;
}

/* The year of a raw report as an int, when it is one (four digits,
 * surrounding white space allowed); 0 otherwise. */
static int raw_year(const char *s)
{
    size_t n;
    const char *p = trimmed(s, &n);
    if (!p || n != 4)
        return 0;
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return 0;
        v = v * 10 + (p[i] - '0');
    }
    return v;
}

/* Roll back whatever transaction is open (errors ignored: the caller has
 * one to report already, or the connection is gone). */
static void rollback(PGconn *conn)
{
    PGTransactionStatusType ts = PQtransactionStatus(conn);
    if (ts == PQTRANS_INTRANS || ts == PQTRANS_INERROR)
        PQclear(PQexec(conn, "ROLLBACK"));
}

/*
 * End an open COPY: with reason NULL, cleanly (returns 0 when the server
 * took it, else -1 with ld->err set); otherwise abort it with that reason
 * (returns 0; the server's error is expected and dropped).  Reads every
 * result.
 */
static int end_copy(struct loader *ld, const char *reason)
{
    PGconn *conn = ld->conn;
    int rc = 0;
    if (PQputCopyEnd(conn, reason) <= 0) {
        if (!reason) {
            db_error(ld->err, sizeof ld->err, conn, NULL,
                     "cannot end the COPY");
            rc = -1;
        }
    }
    PGresult *res;
    while ((res = PQgetResult(conn)) != NULL) {
        if (!reason && rc == 0 && PQresultStatus(res) != PGRES_COMMAND_OK) {
            db_error(ld->err, sizeof ld->err, conn, res,
                     "the server refused the staged file");
            rc = -1;
        }
        PQclear(res);
        if (PQstatus(conn) == CONNECTION_BAD)
            break;
    }
    return rc;
}

/* Leave the file: abort the COPY if open, roll back, forget the file. */
static void drop_file(struct loader *ld, const char *reason)
{
    if (ld->state == LD_COPY && ld->copying != TO_NONE)
        end_copy(ld, reason ? reason : "file abandoned");
    ld->copying = TO_NONE;
    rollback(ld->conn);
    ld->state = LD_IDLE;
    copybuf_reset(&ld->cb);
    copybuf_reset(&ld->ans);
    free(ld->source);
    free(ld->entry);
    ld->source = ld->entry = NULL;
}

/* The buffer of the COPY open now. */
static struct copybuf *open_buf(struct loader *ld)
{
    return ld->copying == TO_ANSWERS ? &ld->ans : &ld->cb;
}

/* Make target the open COPY of the file's transaction: send what the one
 * open holds, end it, start target's.  0, or -1 with ld->err set. */
static int copy_to(struct loader *ld, enum copy_target target)
{
    if (ld->copying == target)
        return 0;
    if (ld->copying != TO_NONE) {
        if (copybuf_flush(open_buf(ld), ld->conn, 1) != COPYBUF_OK) {
            db_error(ld->err, sizeof ld->err, ld->conn, NULL,
                     "cannot send COPY data");
            return -1;
        }
        ld->copying = TO_NONE;
        if (end_copy(ld, NULL) != 0)
            return -1;
    }
    if (target == TO_NONE)
        return 0;
    PGresult *res = PQexec(ld->conn, target == TO_ANSWERS ? COPY_ANSWERS
                                                          : COPY_STAGE);
    if (PQresultStatus(res) != PGRES_COPY_IN) {
        db_error(ld->err, sizeof ld->err, ld->conn, res,
                 "cannot begin loading a file");
        PQclear(res);
        return -1;
    }
    PQclear(res);
    ld->copying = target;
    return 0;
}

/* Skipped entries are collected and sent SKIPPED_BATCH at a time with one
 * COPY, before anything else the loader sends: an archive of 100 000
 * entries that are not reports used to cost 100 000 INSERTs. */
#define SKIPPED_BATCH 4096

static int flush_skipped(struct loader *ld)
{
    if (ld->n_skipped == 0)
        return 0;
    PGconn *conn = ld->conn;
    PGresult *res = PQexec(conn, "COPY is248.skipped_entry (run_id, source,"
                                 " entry, reason) FROM STDIN");
    int rc = -1;
    if (PQresultStatus(res) != PGRES_COPY_IN) {
        db_error(ld->err, sizeof ld->err, conn, res,
                 "cannot record the skipped entries");
        PQclear(res);
    } else {
        PQclear(res);
        if (copybuf_flush(&ld->skipped, conn, 1) != COPYBUF_OK) {
            db_error(ld->err, sizeof ld->err, conn, NULL,
                     "cannot record the skipped entries");
            end_copy(ld, "cannot send");
        } else {
            rc = end_copy(ld, NULL);
        }
    }
    copybuf_reset(&ld->skipped);
    ld->n_skipped = 0;
    return rc;
}

int loader_flush(struct loader *ld)
{
    if (ld->state != LD_IDLE) {
        ld_err(ld, "cannot record skipped entries while a file is open");
        return -1;
    }
    return flush_skipped(ld);
}

/* ------------------------------------------------------------------------ */
/* Life cycle                                                                */

struct loader *loader_new(PGconn *conn, int64_t run_id, char *err,
                          size_t errlen)
{
    if (PQtransactionStatus(conn) != PQTRANS_IDLE) {
        snprintf(err, errlen, "cannot prepare the loader: the connection is "
                 "busy or in a transaction");
        return NULL;
    }
    struct loader *ld = calloc(1, sizeof *ld);
    if (!ld) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    ld->conn = conn;
    ld->run_id = run_id;
    snprintf(ld->run_text, sizeof ld->run_text, "%" PRId64, run_id);
    copybuf_init(&ld->cb);
    copybuf_init(&ld->ans);
    copybuf_init(&ld->skipped);
    PGresult *res = PQexec(conn, STAGE_DDL);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        db_error(err, errlen, conn, res, "cannot create the staging table");
        PQclear(res);
        loader_free(ld);
        return NULL;
    }
    PQclear(res);
    /* the two statements of every file, parsed once */
    static const struct { const char *name, *sql; } prepared[] = {
        { "is248_merge", MERGE }, { "is248_known", KNOWN }
    };
    for (size_t i = 0; i < sizeof prepared / sizeof prepared[0]; i++) {
        res = PQprepare(conn, prepared[i].name, prepared[i].sql, 0, NULL);
        if (PQresultStatus(res) != PGRES_COMMAND_OK) {
            db_error(err, errlen, conn, res, "cannot prepare loading");
            PQclear(res);
            loader_free(ld);
            return NULL;
        }
        PQclear(res);
    }
    return ld;
}

void loader_free(struct loader *ld)
{
    if (!ld)
        return;
    if (ld->state != LD_IDLE)
        drop_file(ld, "import stopped");
    /* the connection may load again (errors ignored: it may be gone) */
    if (PQstatus(ld->conn) == CONNECTION_OK &&
        PQtransactionStatus(ld->conn) == PQTRANS_IDLE)
        PQclear(PQexec(ld->conn, "DEALLOCATE PREPARE is248_merge; "
                                 "DEALLOCATE PREPARE is248_known"));
    copybuf_free(&ld->cb);
    copybuf_free(&ld->ans);
    copybuf_free(&ld->skipped);
    free(ld->source);
    free(ld->entry);
    free(ld);
}

int loader_file_begin(struct loader *ld, const char *source,
                      const char *entry)
{
    if (ld->state != LD_IDLE) {
        ld_err(ld, "cannot begin a file: '%s' is still open",
               ld->entry && *ld->entry ? ld->entry : ld->source);
        return -1;
    }
    if (PQtransactionStatus(ld->conn) != PQTRANS_IDLE) {
        ld_err(ld, "cannot begin a file: the connection is busy or in a "
               "transaction");
        return -1;
    }
    if (flush_skipped(ld) != 0)
        return -1;
    ld->source = utf8_dup(source);
    ld->entry = utf8_dup(entry);
    if (!ld->source || !ld->entry) {
        free(ld->source);
        free(ld->entry);
        ld->source = ld->entry = NULL;
        ld_err(ld, "out of memory");
        return -1;
    }
    copybuf_reset(&ld->cb);
    copybuf_reset(&ld->ans);
    int truncate = ++ld->staged_files > TRUNCATE_FILES ||
                   ld->cb.sent - ld->staged_from > TRUNCATE_BYTES;
    if (truncate) {
        ld->staged_files = 1;
        ld->staged_from = ld->cb.sent;
    }
    PGresult *res = PQexec(ld->conn, truncate ? TRUNCATE_BEGIN_FILE
                                              : BEGIN_FILE);
    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
        db_error(ld->err, sizeof ld->err, ld->conn, res,
                 "cannot begin loading a file");
        PQclear(res);
        drop_file(ld, NULL);
        return -1;
    }
    ld->base = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    ld->state = LD_COPY;
    if (copy_to(ld, TO_ANSWERS) != 0) {
        drop_file(ld, NULL);
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Staging rows                                                              */

static int put_tri(struct copybuf *cb, enum tristate t)
{
    return t == TRI_NULL ? copybuf_null(cb) : copybuf_bool(cb, t == TRI_TRUE);
}

/* Text of the file, trimmed; COPYBUF_INVALID when not valid UTF-8. */
static int put_trimmed(struct copybuf *cb, const char *s)
{
    size_t n = 0;
    const char *p = trimmed(s, &n);
    return copybuf_textn(cb, p, n);
}

/* The report row and its raw answers.  COPYBUF_* status; on failure the
 * caller rewinds. */
static int stage_report(struct copybuf *cb, struct copybuf *ans,
                        int64_t base, const struct raw_report *raw,
                        const struct norm_report *n)
{
    char when[64];
    instant_format(n->submitted_us, when, sizeof when);
    long pop = n->population;
    int rc = 0;
    rc |= copybuf_text(cb, "r");
    rc |= copybuf_int(cb, raw->index);
    rc |= copybuf_nulls(cb, 3);                     /* question .. reason */
    rc |= copybuf_int(cb, n->year);
    rc |= copybuf_text(cb, n->unit_code);
    rc |= copybuf_int(cb, n->version);
    rc |= copybuf_text(cb, unit_type_name(n->unit_type));
    int name_rc = put_trimmed(cb, raw->unit_name);
    rc |= copybuf_text(cb, n->county_code);
    rc |= pop >= 0 && pop <= INT_MAX ? copybuf_int(cb, pop) : copybuf_null(cb);
    rc |= copybuf_text(cb, n->size_class);
    rc |= copybuf_text(cb, when);
    int id_rc = put_trimmed(cb, raw->submission_id);
    rc |= copybuf_bytea(cb, n->digest, sizeof n->digest);
    rc |= copybuf_text(cb, codes_yesno_name(n->nav_collab));
    rc |= copybuf_text(cb, codes_yesno_name(n->nav_collab_specialist));
    rc |= copybuf_text(cb, codes_rating_name(n->nav_rating));
    rc |= copybuf_text(cb, codes_yesno_name(n->ips_se_mental_health));
    rc |= put_tri(cb, n->ips_mental_health);
    rc |= put_tri(cb, n->se_mental_health);
    rc |= copybuf_text(cb, codes_yesno_name(n->ips_se_substance));
    rc |= put_tri(cb, n->ips_substance);
    rc |= put_tri(cb, n->se_substance);
    /* Statuses are 0 or negative: an OR is non-zero when any failed.  Out
     * of memory wins over invalid text. */
    if (rc != 0 || name_rc != 0 || id_rc != 0) {
        copybuf_cancel_row(cb);
        return (rc | name_rc | id_rc) == COPYBUF_INVALID ? COPYBUF_INVALID
                                                          : COPYBUF_NOMEM;
    }
    if (cb->fields != STAGE_COLUMNS)
        return COPYBUF_NOMEM;   /* cannot happen: a column list out of step */
    rc = copybuf_end_row(cb);
    /* the raw answers, under the report's id (see BEGIN_FILE) */
    for (size_t i = 0; rc == 0 && i < raw->n_answers; i++) {
        const struct raw_answer *a = &raw->answers[i];
        rc |= copybuf_int(ans, base + raw->index);
        rc |= copybuf_int(ans, (long long)i);
        rc |= a->parent >= 0 ? copybuf_int(ans, a->parent)
                             : copybuf_null(ans);
        rc |= copybuf_text(ans, a->chapter);
        rc |= copybuf_text(ans, a->question);
        rc |= copybuf_text(ans, a->code);
        rc |= copybuf_text(ans, a->text);
        if (rc != 0)
            break;
        rc = copybuf_end_row(ans);
    }
    if (rc != 0) {
        copybuf_cancel_row(ans);
        return rc == COPYBUF_INVALID ? COPYBUF_INVALID : COPYBUF_NOMEM;
    }
    return COPYBUF_OK;
}

/*
 * One problem row: kind 'p' (level "report" or "answer") or 'w' (level
 * NULL).  report_index < 0 and year 0 are NULL; unit_code and question may
 * be NULL or "".  Never fails for bad text (it is made valid).
 */
static int stage_problem(struct copybuf *cb, char kind, int report_index,
                         const char *level, const char *question, int year,
                         const char *unit_code, size_t unit_len,
                         const char *reason)
{
    int rc = 0;
    rc |= copybuf_text(cb, kind == 'w' ? "w" : "p");
    rc |= report_index >= 0 ? copybuf_int(cb, report_index) : copybuf_null(cb);
    rc |= copybuf_text_lossy(cb, question && *question ? question : NULL);
    rc |= copybuf_text(cb, level);
    rc |= copybuf_text_lossy(cb, reason ? reason : "");
    rc |= year ? copybuf_int(cb, year) : copybuf_null(cb);
    rc |= unit_len ? copybuf_textn_lossy(cb, unit_code, unit_len)
                   : copybuf_null(cb);
    rc |= copybuf_nulls(cb, STAGE_COLUMNS - PROBLEM_COLUMNS);
    if (rc != 0) {
        copybuf_cancel_row(cb);
        return COPYBUF_NOMEM;
    }
    return copybuf_end_row(cb);
}

/* Send full chunks; -1 with ld->err set when the connection failed. */
static int flush_some(struct loader *ld)
{
    if (copybuf_flush(open_buf(ld), ld->conn, 0) != COPYBUF_OK) {
        db_error(ld->err, sizeof ld->err, ld->conn, NULL,
                 "cannot send COPY data");
        return -1;
    }
    /* staged rows pile up while the answers stream: send them now and
     * then, so that a file of any size takes the same memory */
    if (ld->copying == TO_ANSWERS && copybuf_pending(&ld->cb) > STAGE_HOLD)
        return copy_to(ld, TO_STAGE) == 0 && copy_to(ld, TO_ANSWERS) == 0
                   ? 0 : -1;
    return 0;
}

static int need_file(struct loader *ld, const char *what)
{
    if (ld->state == LD_COPY)
        return 0;
    ld_err(ld, "cannot %s: no file is open", what);
    return -1;
}

int loader_file_report(struct loader *ld, const struct raw_report *raw,
                       const struct norm_report *n)
{
    if (need_file(ld, "stage a report") != 0)
        return -1;
    struct copybuf *cb = &ld->cb;
    uint64_t mark = copybuf_mark(cb), ans_mark = copybuf_mark(&ld->ans);

    /* What to file problems under: as much of the unit and year as could
     * be read. */
    int year = n->year ? n->year : raw_year(raw->year);
    size_t unit_len = 0;
    const char *unit = n->unit_code[0] ? n->unit_code
                                       : trimmed(raw->unit_code, &unit_len);
    if (unit == n->unit_code)
        unit_len = strlen(unit);

    int rc = COPYBUF_OK;
    if (n->ok) {
        rc = stage_report(cb, &ld->ans, ld->base, raw, n);
        if (rc == COPYBUF_INVALID) {
            /* Not loaded altered: the report is set aside instead. */
            if (copybuf_rewind(cb, mark) != COPYBUF_OK ||
                copybuf_rewind(&ld->ans, ans_mark) != COPYBUF_OK) {
                ld_err(ld, "cannot stage report %d: rows already sent",
                       raw->index);
                return -1;
            }
            rc = stage_problem(cb, 'p', raw->index, "report", NULL, year,
                               unit, unit_len,
                               "the report holds text that is not valid "
                               "UTF-8 or holds a NUL byte");
        }
    }
    for (size_t i = 0; rc == COPYBUF_OK && i < n->n_problems; i++) {
        const struct problem *p = &n->problems[i];
        char kind = p->level == PROBLEM_WARNING ? 'w' : 'p';
        const char *level = p->level == PROBLEM_REPORT   ? "report"
                            : p->level == PROBLEM_ANSWER ? "answer"
                                                         : NULL;
        rc = stage_problem(cb, kind, raw->index, level, p->question, year,
                           unit, unit_len, p->reason);
    }
    if (rc == COPYBUF_OK && n->n_dropped > 0) {
        char text[96];
        snprintf(text, sizeof text, "%zu further problems not listed",
                 n->n_dropped);
        rc = stage_problem(cb, n->ok ? 'w' : 'p', raw->index,
                           n->ok ? NULL : "report", NULL, year, unit,
                           unit_len, text);
    }
    if (rc != COPYBUF_OK) {
        ld_err(ld, "cannot stage report %d: %s", raw->index,
               copybuf_strerror(rc));
        return -1;
    }
    return flush_some(ld);
}

int loader_file_warning(struct loader *ld, const char *reason)
{
    if (need_file(ld, "stage a warning") != 0)
        return -1;
    int rc = stage_problem(&ld->cb, 'w', -1, NULL, NULL, 0, NULL, 0, reason);
    if (rc != COPYBUF_OK) {
        ld_err(ld, "cannot stage a warning: %s", copybuf_strerror(rc));
        return -1;
    }
    return flush_some(ld);
}

/* ------------------------------------------------------------------------ */
/* Ending a file                                                             */

static uint64_t count_of(const PGresult *res, int col)
{
    if (PQgetisnull(res, 0, col))
        return 0;
    return strtoull(PQgetvalue(res, 0, col), NULL, 10);
}

/*
 * Merge and commit in one round trip (pipeline mode).  Returns 0 with res
 * filled, or -1 with ld->err set; the transaction is then rolled back.
 */
static int merge_and_commit(struct loader *ld, const unsigned char *sha256,
                            uint64_t bytes, struct file_result *out)
{
    PGconn *conn = ld->conn;
    char bytes_text[24], base_text[24];
    snprintf(bytes_text, sizeof bytes_text, "%" PRIu64, bytes);
    snprintf(base_text, sizeof base_text, "%" PRId64, ld->base);
    const char *values[6] = { ld->run_text, ld->source, ld->entry,
                              (const char *)sha256, bytes_text, base_text };
    const int lengths[6] = { 0, 0, 0, 32, 0, 0 };
    const int formats[6] = { 0, 0, 0, 1, 0, 0 };   /* the SHA-256 as bytes */

    if (PQenterPipelineMode(conn) != 1) {
        db_error(ld->err, sizeof ld->err, conn, NULL, "cannot merge the file");
        return -1;
    }
    int sent = PQsendQueryPrepared(conn, "is248_merge", 6, values, lengths,
                                   formats, 0) == 1 &&
               PQsendQueryParams(conn, CLEAR_STAGE, 0, NULL, NULL, NULL,
                                 NULL, 0) == 1 &&
               PQsendQueryParams(conn, "COMMIT", 0, NULL, NULL, NULL, NULL,
                                 0) == 1 &&
               PQpipelineSync(conn) == 1;
    if (!sent)
        db_error(ld->err, sizeof ld->err, conn, NULL, "cannot merge the file");

    /* Results: the merge's, NULL, the DELETE's, NULL, COMMIT's, NULL,
     * then the sync. */
    int merged = 0, committed = 0, failed = !sent, nulls = 0, done = 0;
    while (sent) {
        PGresult *res = PQgetResult(conn);
        if (!res) {
            if (PQstatus(conn) == CONNECTION_BAD || ++nulls > 4)
                break;
            continue;
        }
        nulls = 0;
        ExecStatusType st = PQresultStatus(res);
        if (st == PGRES_PIPELINE_SYNC) {
            PQclear(res);
            break;
        }
        if (st == PGRES_TUPLES_OK && !merged && PQntuples(res) == 1 &&
            PQnfields(res) == 8) {
            merged = 1;
            const char *outcome = PQgetvalue(res, 0, 0);
            out->outcome = strcmp(outcome, "already_loaded") == 0
                               ? FILE_ALREADY : FILE_LOADED;
            out->reports_loaded = count_of(res, 1);
            out->reports_unchanged = count_of(res, 2);
            out->reports_rejected = count_of(res, 3);
            out->answers_rejected = count_of(res, 4);
            out->warnings = count_of(res, 5);
            if (!PQgetisnull(res, 0, 6))
                snprintf(out->already_entry, sizeof out->already_entry, "%s",
                         PQgetvalue(res, 0, 6));
            if (!PQgetisnull(res, 0, 7))
                snprintf(out->conflicts, sizeof out->conflicts, "%s",
                         PQgetvalue(res, 0, 7));
        } else if (st == PGRES_COMMAND_OK && merged) {
            committed = ++done == 2;
        } else if (st != PGRES_PIPELINE_ABORTED && !failed) {
            db_error(ld->err, sizeof ld->err, conn, res,
                     merged ? "cannot commit the file" : "cannot merge the file");
            failed = 1;
        }
        PQclear(res);
    }
    if (PQexitPipelineMode(conn) != 1 && !failed) {
        db_error(ld->err, sizeof ld->err, conn, NULL, "cannot merge the file");
        failed = 1;
    }
    if (failed || !merged || !committed) {
        if (!failed)
            ld_err(ld, "cannot merge the file: the server gave no result");
        rollback(conn);
        return -1;
    }
    return 0;
}

int loader_file_commit(struct loader *ld, const unsigned char sha256[32],
                       uint64_t bytes, struct file_result *res)
{
    static const struct file_result empty;
    *res = empty;
    if (need_file(ld, "commit the file") != 0)
        return -1;
    if (!sha256) {
        ld_err(ld, "cannot commit the file: no SHA-256");
        drop_file(ld, "no SHA-256");
        return -1;
    }
    if (ld->cb.fields != 0 || ld->ans.fields != 0) {
        /* an unfinished row: a bug of ours */
        ld_err(ld, "cannot commit the file: a staged row is unfinished");
        drop_file(ld, "unfinished row");
        return -1;
    }
    /* the answers' COPY ends; the staged rows follow in a COPY of their
     * own */
    if (copy_to(ld, copybuf_pending(&ld->cb) ? TO_STAGE : TO_NONE) != 0 ||
        copy_to(ld, TO_NONE) != 0) {
        drop_file(ld, "cannot send COPY data");
        return -1;
    }
    ld->state = LD_IDLE;
    int rc = merge_and_commit(ld, sha256, bytes, res);
    drop_file(ld, NULL);        /* rolls back unless committed */
    if (rc != 0)
        *res = empty;
    return rc;
}

int loader_file_cancel(struct loader *ld)
{
    if (!ld)
        return 0;
    drop_file(ld, "import interrupted");
    return PQstatus(ld->conn) == CONNECTION_OK ? 0 : -1;
}

int loader_file_abort(struct loader *ld, const char *source,
                      const char *entry, const unsigned char *sha256,
                      uint64_t bytes, const char *reason)
{
    char *why = utf8_dup(reason && *reason ? reason : "set aside");
    char *src = utf8_dup(source);
    char *ent = utf8_dup(entry);
    int rc = -1;
    if (!why || !src || !ent) {
        drop_file(ld, "out of memory");
        ld_err(ld, "out of memory");
        goto out;
    }
    drop_file(ld, why);
    if (flush_skipped(ld) != 0)
        goto out;

    char bytes_text[24];
    snprintf(bytes_text, sizeof bytes_text, "%" PRIu64, bytes);
    const char *values[6] = { ld->run_text, src, ent, (const char *)sha256,
                              sha256 || bytes ? bytes_text : NULL, why };
    const int lengths[6] = { 0, 0, 0, sha256 ? 32 : 0, 0, 0 };
    const int formats[6] = { 0, 0, 0, 1, 0, 0 };
    PGresult *res = PQexecParams(
        ld->conn,
        "WITH f AS ("
        " INSERT INTO is248.source_file (run_id, source, entry, sha256,"
        "  bytes, outcome)"
        " VALUES ($1::bigint, $2::text, $3::text, $4::bytea, $5::bigint,"
        "  'rejected')"
        " RETURNING file_id) "
        "INSERT INTO is248.rejection (run_id, file_id, source, entry, sha256,"
        " level, reason) "
        "SELECT $1::bigint, f.file_id, $2::text, $3::text, $4::bytea, 'file',"
        " $6::text FROM f",
        6, NULL, values, lengths, formats, 0);
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        db_error(ld->err, sizeof ld->err, ld->conn, res,
                 "cannot record the file as set aside");
    else
        rc = 0;
    PQclear(res);
out:
    free(why);
    free(src);
    free(ent);
    return rc;
}

int loader_file_known(struct loader *ld, const char *source,
                      const char *entry, const unsigned char sha256[32],
                      uint64_t bytes, char *already, size_t alen)
{
    if (ld->state != LD_IDLE) {
        ld_err(ld, "cannot look a file up while a file is open");
        return -1;
    }
    if (flush_skipped(ld) != 0)
        return -1;
    char *src = utf8_dup(source), *ent = utf8_dup(entry);
    int rc = -1;
    if (!src || !ent) {
        ld_err(ld, "out of memory");
        goto out;
    }
    char bytes_text[24];
    snprintf(bytes_text, sizeof bytes_text, "%" PRIu64, bytes);
    const char *values[5] = { ld->run_text, src, ent, (const char *)sha256,
                              bytes_text };
    const int lengths[5] = { 0, 0, 0, 32, 0 };
    const int formats[5] = { 0, 0, 0, 1, 0 };
    /* the same test as is248.merge_file()'s, without reading the file */
    PGresult *res = PQexecPrepared(ld->conn, "is248_known", 5, values,
                                   lengths, formats, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_error(ld->err, sizeof ld->err, ld->conn, res,
                 "cannot look the file up");
    } else if (PQntuples(res) == 1) {
        snprintf(already, alen, "%s", PQgetvalue(res, 0, 0));
        rc = 1;
    } else {
        rc = 0;
    }
    PQclear(res);
out:
    free(src);
    free(ent);
    return rc;
}

int loader_skipped(struct loader *ld, const char *source, const char *entry,
                   const char *why)
{
    if (ld->state != LD_IDLE) {
        ld_err(ld, "cannot record a skipped entry while a file is open");
        return -1;
    }
    struct copybuf *cb = &ld->skipped;
    if (copybuf_int(cb, ld->run_id) != COPYBUF_OK ||
        copybuf_text_lossy(cb, source ? source : "") != COPYBUF_OK ||
        copybuf_text_lossy(cb, entry ? entry : "") != COPYBUF_OK ||
        copybuf_text_lossy(cb, why ? why : "") != COPYBUF_OK ||
        copybuf_end_row(cb) != COPYBUF_OK) {
        copybuf_cancel_row(cb);
        ld_err(ld, "out of memory");
        return -1;
    }
    if (++ld->n_skipped >= SKIPPED_BATCH)
        return flush_skipped(ld);
    return 0;
}
