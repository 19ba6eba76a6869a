/*
 * cmd_import.c - "is248 import" and "is248 validate": the run of import/
 * with a database (import) or without (validate), its events turned into
 * lines on stderr (stdout for validate), the progress line, the summary
 * table and the JSON summary.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "import/import.h"
#include "ingest/hex.h"
#include "ingest/printable.h"
#include "msg.h"
#include "progress.h"
#include "summary.h"

/* What the event sink keeps. */
struct printer {
    const struct cli *c;
    int validate;
    int dry_run;        /* import --dry-run: "would", nothing kept */
    struct progress *progress;
    struct summary_row *rows;   /* one per path */
    int n_rows;
    double path_started;
    char last_group[2048];      /* validate: the file whose problems are
                                 * being listed */
};

static double seconds_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* "'source'" or "'source' entry 'entry'" */
static void file_label(const char *source, const char *entry, char *buf,
                       size_t len)
{
    if (entry && entry[0])
        snprintf(buf, len, "'%s' entry '%s'", source, entry);
    else
        snprintf(buf, len, "'%s'", source);
}

/* "none" when no bytes were read */
static const char *sha_hex(const unsigned char sha[32], char hex[HEX_SHA256_SIZE])
{
    return sha ? hex_encode(hex, sha, 32) : "none";
}

/* validate: the file's label once, then its problems indented under it.
 * text starts with ", " (about a report) or ": " (the whole file). */
static void grouped(struct printer *pr, const char *label, int warning,
                    const char *text)
{
    if (strcmp(label, pr->last_group) != 0) {
        printf("%s\n", label);
        snprintf(pr->last_group, sizeof pr->last_group, "%s", label);
    }
    printf("  %s%s\n", warning ? "warning: " : "", text + 2);
}

static void on_problem(struct printer *pr, const char *label,
                       const struct import_problem *p)
{
    int warning = p->level == PROBLEM_WARNING;
    if (warning && msg_level < MSG_NORMAL)
        return;
    if (pr->validate)
        grouped(pr, label, warning, p->text);
    else if (warning)
        msg_warn("%s%s", label, p->text);
    else
        msg_notice("%s%s", label, p->text);
}

static void on_file(struct printer *pr, const char *label,
                    const struct import_file *f)
{
    char hex[HEX_SHA256_SIZE];
    if (f->problems_unheld) {
        if (pr->validate)
            printf("  ... and %llu more problems\n",
                   (unsigned long long)f->problems_unheld);
        else
            msg_notice("%s: %llu more problems not shown (all are recorded)",
                       label, (unsigned long long)f->problems_unheld);
    }
    switch (f->outcome) {
    case IMPORT_REJECTED:
        if (pr->validate) {
            char text[1200];
            snprintf(text, sizeof text, ": file set aside: %s", f->reason);
            grouped(pr, label, 0, text);
        } else if (f->sha256) {
            msg_notice("%s: %s: %s; sha256 %s", label, pr->dry_run
                       ? "file would be set aside" : "file set aside",
                       f->reason, sha_hex(f->sha256, hex));
        } else {
            msg_notice("%s: %s: %s", label, pr->dry_run
                       ? "file would be set aside" : "file set aside",
                       f->reason);
        }
        break;
    case IMPORT_REJECTED_BEFORE:
        /* a known problem: told, not raised again (not under --quiet) */
        msg_info("%s: set aside before, in %s; not recorded again; "
                 "sha256 %s", label, f->came_from ? f->came_from : "?",
                 sha_hex(f->sha256, hex));
        break;
    case IMPORT_ALREADY:
        (pr->c->file_lines_verbose ? msg_debug : msg_info)(
            "%s: already loaded (from '%s'), nothing changed; sha256 %s",
            label, f->came_from ? f->came_from : "?",
            sha_hex(f->sha256, hex));
        break;
    case IMPORT_ROLLED_BACK:
        msg_notice("%s: not loaded: its batch was rolled back", label);
        break;
    case IMPORT_LOADED:
        if (pr->validate)
            break;
        {
            int problems = f->reports_rejected || f->answers_rejected;
            char corrections[64] = "";
            if (f->reports_correcting)
                snprintf(corrections, sizeof corrections, "; %llu "
                         "correction(s) of a report loaded before",
                         (unsigned long long)f->reports_correcting);
            (problems ? msg_notice
                      : pr->c->file_lines_verbose ? msg_debug : msg_info)(
                "%s: %s: %llu report(s) new, %llu unchanged, %llu set aside; "
                "%llu answer(s) set aside%s; sha256 %s", label,
                pr->dry_run ? (problems ? "would load, with something set "
                                          "aside" : "would load")
                            : (problems ? "loaded, with something set aside"
                                        : "loaded"),
                (unsigned long long)f->reports_loaded,
                (unsigned long long)f->reports_unchanged,
                (unsigned long long)f->reports_rejected,
                (unsigned long long)f->answers_rejected, corrections,
                sha_hex(f->sha256, hex));
        }
        break;
    }
}

static void add_row(struct import_totals *t, const struct import_event *ev)
{
    if (ev->kind == IMPORT_SKIPPED) {
        t->skipped++;
        return;
    }
    import_totals_add(t, ev->file);
}

static void on_event(void *ctx, const struct import_event *ev)
{
    struct printer *pr = ctx;
    char label[2048];
    switch (ev->kind) {
    case IMPORT_RUN_BEGIN:
        if (pr->dry_run)
            msg_info("dry run: everything as an import would do it, in one "
                     "transaction rolled back at the end; nothing is kept");
        if (ev->abandoned && !pr->dry_run)
            msg_warn("%lld earlier import run(s) ended without a word (the "
                     "server stopped, the connection was cut, or is248 was "
                     "killed); marked 'abandoned' in is248.import_run; what "
                     "they loaded is whole and stays", (long long)ev->abandoned);
        break;
    case IMPORT_PATH_BEGIN:
        pr->path_started = seconds_now();
        if (pr->rows && ev->path_index == pr->n_rows) {
            pr->rows[pr->n_rows].path = ev->path;
            pr->n_rows++;
        }
        break;
    case IMPORT_PATH_END:
        if (pr->rows && ev->path_index < pr->n_rows)
            pr->rows[ev->path_index].seconds = seconds_now() - pr->path_started;
        break;
    case IMPORT_PROGRESS:
        if (ev->at)
            progress_at(pr->progress, ev->at);
        progress_show(pr->progress, ev->files_read, ev->reports_read, 0);
        break;
    case IMPORT_SKIPPED:
        file_label(ev->source, ev->entry, label, sizeof label);
        msg_debug("%s: skipped: %s", label, ev->reason);
        if (pr->rows && ev->path_index < pr->n_rows)
            add_row(&pr->rows[ev->path_index].t, ev);
        break;
    case IMPORT_PROBLEM:
        file_label(ev->source, ev->entry, label, sizeof label);
        on_problem(pr, label, ev->problem);
        break;
    case IMPORT_FILE:
        file_label(ev->source, ev->entry, label, sizeof label);
        on_file(pr, label, ev->file);
        if (pr->rows && ev->path_index < pr->n_rows)
            add_row(&pr->rows[ev->path_index].t, ev);
        break;
    case IMPORT_DELIVERY: {
        const struct import_delivery *d = ev->delivery;
        file_label(ev->source, ev->entry, label, sizeof label);
        (pr->c->file_lines_verbose ? msg_debug : msg_info)(
            "%s: read to its end before, by run %lld (%s): %d file(s) "
            "loaded, %d loaded before, %d set aside (is248 status); "
            "nothing to do", label, (long long)d->run_id, d->completed_at,
            d->files_loaded, d->files_already, d->files_rejected);
        if (pr->rows && ev->path_index < pr->n_rows) {
            struct import_totals *t = &pr->rows[ev->path_index].t;
            t->files += (uint64_t)d->files;
            t->files_already += (uint64_t)(d->files_loaded + d->files_already);
            t->files_rejected_before += (uint64_t)d->files_rejected;
        }
        break;
    }
    case IMPORT_BATCH: {    /* -v: where a long import stands */
        double bytes = (double)ev->batch->bytes;
        msg_debug("batch %llu committed: %zu file(s), %.1f %s, %.3f s",
                  (unsigned long long)ev->batch->number, ev->batch->files,
                  bytes < 1e6 ? bytes / 1e3 : bytes / 1e6,
                  bytes < 1e6 ? "kB" : "MB", ev->batch->seconds);
        break;
    }
    }
}

/* "N file(s): ..." on stderr */
static void summary_line(const struct import_totals *t, int validate,
                         int dry_run)
{
    if (!validate)
        msg_info("%s%llu file(s): %llu loaded, %llu already loaded, %llu set "
                 "aside, %llu set aside before; reports: %llu loaded (%llu "
                 "correction(s)), %llu unchanged, %llu set aside; %llu "
                 "answer(s) set aside, %llu warning(s), %llu entr%s skipped",
                 dry_run ? "dry run, all rolled back, nothing kept: " : "",
                 (unsigned long long)t->files,
                 (unsigned long long)t->files_loaded,
                 (unsigned long long)t->files_already,
                 (unsigned long long)t->files_rejected,
                 (unsigned long long)t->files_rejected_before,
                 (unsigned long long)t->reports_loaded,
                 (unsigned long long)t->reports_correcting,
                 (unsigned long long)t->reports_unchanged,
                 (unsigned long long)t->reports_rejected,
                 (unsigned long long)t->answers_rejected,
                 (unsigned long long)t->warnings,
                 (unsigned long long)t->skipped, t->skipped == 1 ? "y" : "ies");
    else
        msg_info("%llu file(s): %llu would be set aside; reports: %llu would "
                 "load, %llu would be set aside; %llu answer(s) would be set "
                 "aside, %llu warning(s), %llu entr%s skipped",
                 (unsigned long long)t->files,
                 (unsigned long long)t->files_rejected,
                 (unsigned long long)t->reports_loaded,
                 (unsigned long long)t->reports_rejected,
                 (unsigned long long)t->answers_rejected,
                 (unsigned long long)t->warnings,
                 (unsigned long long)t->skipped, t->skipped == 1 ? "y" : "ies");
}

/* "is248: stages: ..." (IS248_STAGE_TIMES=1; for benchmarks) */
static void stage_times(const struct import_times *t)
{
    const char *v = getenv("IS248_STAGE_TIMES");
    if (!v || strcmp(v, "1") != 0)
        return;
    msg_notice("stages: unpack %.3f s, parse %.3f s, normalize %.3f s, "
               "stage %.3f s, waited for the database %.3f s (reading "
               "thread); database %.3f s (its thread); of %.3f s",
               t->unpack, t->parse, t->normalize, t->stage, t->waited,
               t->database, t->total);
}

static void config_of(const struct cli *c, struct import_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->walk = &c->walk;
    cfg->xml = &c->xml;
    cfg->units = units_builtin();
    cfg->lock_wait_ms = c->lock_wait_ms;
    cfg->command = cli_command_line();
    cfg->stop = &cli_stop_signal;
    cfg->batch_files = c->batch_files > 0 ? (size_t)c->batch_files : 0;
    cfg->dry_run = c->dry_run;
}

/* The JSON summary of an import that stopped before it began (no
 * connection, the schema at another version, another import running);
 * outfile_close() says why when it cannot be written. */
static void json_not_run(struct outfile *json, int rc)
{
    static const struct summary_row none = { "total", { 0 }, 0.0 };
    summary_json_file(json, 0, rc, NULL, 0, &none);
}

static int import_paths(const struct cli *c, PGconn *conn, int npaths,
                        char *const *paths, struct outfile **json);

int cli_import(const struct cli *c, PGconn *conn, int npaths,
               char *const *paths)
{
    struct outfile *json = c->json_out;
    int rc = cli_check_schema(conn, CLI_NEED_IMPORT);
    if (rc == EXIT_OK)
        rc = import_paths(c, conn, npaths, paths, &json);
    if (json)
        json_not_run(json, rc);
    return rc;
}

/* Say why a run stopped, and return its exit code. */
static int ending(const struct cli *c, const struct import_result *res)
{
    const char *sig = cli_stop_signal == SIGINT ? "SIGINT" : "SIGTERM";
    const char *at = res->stopped_at;
    switch (res->status) {
    case IMPORT_OK:
        return EXIT_OK;
    case IMPORT_PROBLEMS:
        return EXIT_PROBLEMS;
    case IMPORT_LOCKED:
        if (c->lock_wait_ms > 0)
            msg_error("another import is still running in this database "
                      "after waiting %ld ms; try again later", c->lock_wait_ms);
        else
            msg_error("another import is running in this database; try again "
                      "later or use --wait");
        return EXIT_LOCKED;
    case IMPORT_INTERRUPTED:
        if (c->dry_run && res->run_id) {
            msg_error("interrupted by %s: the dry run was rolled back, "
                      "nothing kept", sig);
            return EXIT_INTERRUPTED;
        }
        if (!res->run_id)
            msg_error("interrupted by %s while waiting for another import; "
                      "nothing loaded", sig);
        else if (at[0])
            msg_error("interrupted by %s while loading %s, which was rolled "
                      "back; files before it stay loaded; run the import again "
                      "to complete it", sig, at);
        else
            msg_error("interrupted by %s between two batches; the files "
                      "before stay loaded; run the import again to complete "
                      "it", sig);
        return EXIT_INTERRUPTED;
    case IMPORT_FAILED:
        if (c->dry_run && res->run_id) {
            msg_error("database failure%s%s: the dry run was rolled back, "
                      "nothing kept: %s", at[0] ? " while loading " : "", at,
                      res->error);
            return EXIT_DB;
        }
        if (at[0])
            msg_error("database failure while loading %s, which was rolled "
                      "back; files before it stay loaded; run the import "
                      "again to complete it: %s", at, res->error);
        else
            msg_error("database failure: %s", res->error);
        return EXIT_DB;
    case IMPORT_NOMEM:
        msg_error("%s", res->error[0] ? res->error : "out of memory");
        return EXIT_INTERNAL;
    }
    return EXIT_INTERNAL;
}

/* The import proper; writes the JSON summary to *json (when not NULL),
 * which it completes and sets to NULL. */
static int import_paths(const struct cli *c, PGconn *conn, int npaths,
                        char *const *paths, struct outfile **json)
{
    cli_catch_signals();
    struct import_config cfg;
    config_of(c, &cfg);
    if (!cfg.units) {
        msg_error("out of memory reading the built-in municipality codes");
        return EXIT_INTERNAL;
    }
    struct printer pr = { .c = c, .dry_run = c->dry_run };
    pr.rows = calloc((size_t)npaths, sizeof *pr.rows);
    if (!pr.rows) {
        msg_error("out of memory");
        return EXIT_INTERNAL;
    }
    pr.progress = progress_new(npaths, paths);
    struct import_sink sink = { on_event, &pr };
    struct import_result res;
    import_run(&cfg, conn, npaths, paths, &sink, &res);
    progress_free(pr.progress);
    stage_times(&res.times);
    int rc = ending(c, &res);
    if (res.run_id == 0) {      /* it never began */
        free(pr.rows);
        return rc;
    }
    summary_line(&res.totals, 0, c->dry_run);
    struct summary_row total = { "total", res.totals, res.times.total };
    if (c->summary_table && msg_level >= MSG_NORMAL &&
        !(*json && (*json)->f == stdout))
        summary_table(stdout, pr.rows, pr.n_rows, &total);
    if (*json) {
        struct outfile *out = *json;
        *json = NULL;
        /* the load stands; the place given for its summary could not
         * take it: exit 2 (docs/operator-guide.md, --json-summary) */
        if (summary_json_file(out, c->dry_run ? -1 : res.run_id, rc,
                              pr.rows, pr.n_rows, &total) != EXIT_OK) {
            msg_error("the import itself is complete, recorded as run %lld "
                      "(%s) in is248.import_run; only its summary is missing",
                      (long long)res.run_id, summary_status(rc));
            if (rc == EXIT_OK || rc == EXIT_PROBLEMS)
                rc = EXIT_USAGE;
        }
    }
    free(pr.rows);
    return rc;
}

/* Every PATH exists and can be read (a directory also searched): else,
 * after a message for each that cannot, EXIT_USAGE.  A delivery that is
 * missing (an incoming directory not mounted, a name mistyped) is a
 * configuration error found before anything is done, not a file set
 * aside.  "-" is standard input. */
static int check_paths(int npaths, char *const *paths)
{
    int rc = EXIT_OK;
    for (int i = 0; i < npaths; i++) {
        if (strcmp(paths[i], "-") == 0)
            continue;
        struct stat st;
        int ok = stat(paths[i], &st) == 0 &&
                 access(paths[i], S_ISDIR(st.st_mode) ? R_OK | X_OK
                                                      : R_OK) == 0;
        if (ok)
            continue;
        int err = errno;
        char shown[1024];
        printable_copy(shown, sizeof shown, paths[i], strlen(paths[i]), 0);
        msg_error("cannot read '%s': %s", shown, strerror(err));
        rc = EXIT_USAGE;
    }
    return rc;
}

int cmd_import(struct cli *c)
{
    c->summary_table = 1;
    /* opened first, with room set aside for it: a path that cannot be
     * written stops us before anything is done, and a machine hears of
     * every ending */
    struct outfile json = OUTFILE_INIT;
    if (c->json_summary) {
        int rc = outfile_open(&json, c->json_summary, "the summary to");
        if (rc == EXIT_OK)
            rc = outfile_reserve(&json, summary_json_bound(c->argc, c->argv));
        if (rc != EXIT_OK)
            return rc;
        c->json_out = &json;
    }
    int prc = check_paths(c->argc, c->argv);
    if (prc != EXIT_OK) {
        if (c->json_out)
            json_not_run(c->json_out, prc);
        return prc;
    }
    int crc;
    PGconn *conn = cli_connect(c, &crc);
    if (!conn) {
        if (c->json_out)
            json_not_run(c->json_out, crc);
        return crc;
    }
    int rc = cli_import(c, conn, c->argc, c->argv);
    cli_disconnect(conn);
    outfile_discard(&json); /* written already, unless memory ran out */
    return rc;
}

int cmd_validate(struct cli *c)
{
    int prc = check_paths(c->argc, c->argv);
    if (prc != EXIT_OK)
        return prc;
    cli_catch_signals();
    struct import_config cfg;
    config_of(c, &cfg);
    if (!cfg.units) {
        msg_error("out of memory reading the built-in municipality codes");
        return EXIT_INTERNAL;
    }
    struct printer pr = { .c = c, .validate = 1 };
    struct import_sink sink = { on_event, &pr };
    struct import_result res;
    import_run(&cfg, NULL, c->argc, c->argv, &sink, &res);
    summary_line(&res.totals, 1, 0);
    return ending(c, &res);
}
