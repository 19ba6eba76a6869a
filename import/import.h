/*
 * import.h - an import or a validation run as a library: walk the paths
 * given (ingest/), read every report file and normalize its reports
 * (transform/), and, with a database, load them (load/) in batches, each
 * batch one transaction, the database working on batch k while the next
 * is read.  What happens is told through an event sink, as curl's easy
 * interface tells its callbacks: this module prints nothing.
 *
 * An import takes the import lock, begins a run (is248.import_run), loads,
 * and ends the run; validate (conn NULL) reads and checks the same way and
 * writes nothing anywhere.
 *
 * Events come on the calling thread, in the order of the files: the
 * problems of a file and its outcome once its batch is committed (a file
 * set aside by a database failure or an interrupt is told as rolled back),
 * entries skipped in their place among the files, progress as reports are
 * read.  Every pointer in an event is valid during the callback only.
 */
#ifndef IS248_IMPORT_IMPORT_H
#define IS248_IMPORT_IMPORT_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "../ingest/walk.h"
#include "../ingest/xmlreport.h"
#include "../transform/normalize.h"
#include "../transform/units.h"

/* What a run counted (of what was committed, for an import). */
struct import_totals {
    uint64_t files, files_loaded, files_already, files_rejected;
    uint64_t reports_loaded, reports_unchanged, reports_rejected;
    uint64_t answers_rejected, warnings, skipped;
    uint64_t files_rejected_before; /* the bytes were set aside whole by
                                     * an earlier run: told, not again */
    uint64_t reports_correcting;    /* of reports_loaded: corrections of a
                                     * report loaded before */
};

enum import_outcome {
    IMPORT_LOADED = 0,      /* import: committed; validate: read whole */
    IMPORT_ALREADY,         /* the same bytes were loaded before */
    IMPORT_REJECTED,        /* set aside whole */
    IMPORT_REJECTED_BEFORE, /* set aside whole, as its bytes were before
                             * (came_from: "run N (reason)"): known, not
                             * recorded again */
    IMPORT_ROLLED_BACK      /* its batch was rolled back (database failure,
                             * interrupt): nothing of it stays */
};

enum import_event_kind {
    IMPORT_RUN_BEGIN,       /* the run began: run_id, abandoned */
    IMPORT_PATH_BEGIN,      /* path path_index is walked next */
    IMPORT_PATH_END,        /* its walk ended */
    IMPORT_PROGRESS,        /* a file begun or a report read: progress */
    IMPORT_SKIPPED,         /* an entry that is not a report: reason */
    IMPORT_PROBLEM,         /* about a report of the file: problem */
    IMPORT_FILE,            /* what became of the file: file */
    IMPORT_DELIVERY,        /* the path was read whole before, by another
                             * run: delivery; it is not read again */
    IMPORT_BATCH            /* a batch was committed, after its files were
                             * told: batch */
};

/* A batch committed (IMPORT_BATCH). */
struct import_batch {
    uint64_t number;            /* 1, 2, ... in the run */
    size_t files;               /* report files in it */
    uint64_t bytes;             /* their bytes */
    double seconds;             /* from its first file read to its commit */
};

/* A path read whole before (is248.delivery, import/delivery.h). */
struct import_delivery {
    int64_t run_id;             /* the run that read it */
    const char *completed_at;   /* when ("2026-12-03 10:00") */
    int files, files_loaded, files_already, files_rejected;
};

/* A problem of a report, or a reason of the merge's. */
struct import_problem {
    enum problem_level level;
    int report_index;       /* 1-based; 0: about the file as a whole */
    const char *text;       /* what follows the file's label, ready to
                             * print: ", report 3 (1103 2019), question
                             * ARB_NAV_SAMHANDLING: answer set aside:
                             * unknown label 'Kjempebra'" */
};

struct import_file {
    enum import_outcome outcome;
    uint64_t reports_loaded;    /* validate: reports that would load */
    uint64_t reports_correcting;/* of them, later submissions of a report
                                 * loaded before */
    uint64_t reports_unchanged;
    uint64_t reports_rejected;
    uint64_t answers_rejected;
    uint64_t warnings;
    uint64_t problems_unheld;   /* problems not told (more than are kept
                                 * per file), all recorded */
    const unsigned char *sha256;/* of its bytes; NULL when none were read */
    uint64_t bytes;
    const char *came_from;      /* IMPORT_ALREADY: where from ("a!b");
                                 * IMPORT_REJECTED_BEFORE: "run N (reason)" */
    const char *reason;         /* IMPORT_REJECTED: why */
};

/* Count the file f into t (as a run counts what it tells). */
void import_totals_add(struct import_totals *t, const struct import_file *f);

struct import_event {
    enum import_event_kind kind;
    int path_index;             /* of the path being walked */
    const char *path;           /* as given */
    const char *source;         /* the file's labels (walk_entry) */
    const char *entry;
    int64_t run_id;             /* IMPORT_RUN_BEGIN */
    int64_t abandoned;          /* IMPORT_RUN_BEGIN: runs marked so */
    uint64_t files_read;        /* IMPORT_PROGRESS: report files begun */
    uint64_t reports_read;      /* IMPORT_PROGRESS: reports read */
    const struct walk_entry *at;/* IMPORT_PROGRESS: the entry being read */
    const char *reason;         /* IMPORT_SKIPPED */
    const struct import_problem *problem;   /* IMPORT_PROBLEM */
    const struct import_file *file;         /* IMPORT_FILE */
    const struct import_delivery *delivery; /* IMPORT_DELIVERY */
    const struct import_batch *batch;       /* IMPORT_BATCH */
};

struct import_sink {
    void (*event)(void *ctx, const struct import_event *ev);
    void *ctx;
};

struct import_config {
    const struct walk_limits *walk;     /* NULL: the defaults */
    const struct xmlrep_limits *xml;    /* NULL: the defaults */
    const struct units *units;          /* the municipality codes */
    long lock_wait_ms;          /* 0: do not wait; < 0: for ever */
    const char *command;        /* for is248.import_run.command */
    int64_t now_us;             /* the time of the run (microseconds since
                                 * 1970, UTC), which bounds submission
                                 * times; 0: the clock's, once */
    volatile sig_atomic_t *stop;/* non-zero: stop (a signal came) */
    /* A batch is sent when it holds this many files, bytes of files, or
     * has been read for this long, whichever comes first (0: defaults) */
    size_t batch_files;
    size_t batch_bytes;
    double batch_seconds;
    /* the whole run in one transaction, rolled back at its end: what
     * would happen, and nothing kept (not even the run) */
    int dry_run;
};

enum import_status {
    IMPORT_OK = 0,          /* everything loaded (or loaded before) */
    IMPORT_PROBLEMS,        /* done, something set aside */
    IMPORT_FAILED,          /* the database failed (or refused) */
    IMPORT_LOCKED,          /* another import holds the lock */
    IMPORT_INTERRUPTED,     /* stop was set */
    IMPORT_NOMEM            /* out of memory */
};

/* Where the time went (IS248_STAGE_TIMES): seconds on the reading thread,
 * and the database thread's busy time. */
struct import_times {
    double unpack, parse, normalize, stage, waited, database, total;
};

struct import_result {
    enum import_status status;
    int64_t run_id;             /* 0: no run was begun */
    struct import_totals totals;
    struct import_times times;
    char error[1024];           /* IMPORT_FAILED, IMPORT_LOCKED, NOMEM */
    char stopped_at[2048];      /* FAILED, INTERRUPTED: the batch or file
                                 * where it stopped ("" when between
                                 * batches) */
    uint64_t rolled_back;       /* files told as IMPORT_ROLLED_BACK */
    int run_ended;              /* is248.run_end() recorded the end */
};

/*
 * Run the paths: an import into conn (which must be connected with
 * client_encoding UTF8, as db_connect() does; schema checked by the
 * caller), or with conn NULL a validation.  Returns res->status (res is
 * always filled).  Can't fail otherwise.
 */
enum import_status import_run(const struct import_config *cfg, PGconn *conn,
                              int npaths, char *const *paths,
                              const struct import_sink *sink,
                              struct import_result *res);

#endif
