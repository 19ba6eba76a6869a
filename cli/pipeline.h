/*
 * pipeline.h - the import and validate pipeline: walk a path (ingest/),
 * read its report files (ingest/), normalize each report (transform/) and,
 * when a loader is given, load them (load/); print what is set aside.
 *
 * Without a loader (validate) the same reading and checks run and nothing is
 * written anywhere but stderr.
 */
#ifndef IS248_CLI_PIPELINE_H
#define IS248_CLI_PIPELINE_H

#include <stdint.h>

#include "cli.h"
#include "load/db.h"
#include "load/loader.h"
#include "transform/units.h"

struct pipeline {
    const struct units *units;
    int64_t now_us;             /* the time of the run (instant_now()), for
                                 * normalize_report() */
    struct loader *loader;      /* NULL: validate only */
    const struct walk_limits *walk;
    const struct xmlrep_limits *xml;
    int file_lines_verbose;     /* see struct cli */
    struct stage_times {        /* seconds spent in each stage */
        double unpack, parse, normalize, send, merge;
    } times;
    struct progress *progress;  /* the progress line, or NULL */
    unsigned char *ahead;       /* import reads files ahead into this
                                 * (pipeline.c); free() it when done */
    struct run_totals totals;
    int failed;                 /* a fatal database error happened */
    int interrupted;            /* stopped by a signal */
    char error[1024];           /* the fatal error */
    char stopped_at[2048];      /* the file where a signal or a fatal error
                                 * stopped the run, or "" */
    int stopped_in_file;        /* 1: while reading it (it was rolled
                                 * back); 0: before it was begun */
};

/*
 * Run one path through the pipeline.  Returns 0 when the path was walked
 * to its end, -1 when a fatal error (database) or a signal stopped it (see
 * failed / interrupted / error).
 */
int pipeline_run(struct pipeline *p, const char *path);

/* The exit code the totals call for (EXIT_OK or EXIT_PROBLEMS), or the
 * fatal one. */
int pipeline_exit_code(const struct pipeline *p);

/* "is248: stages: unpack 0.12 s, ..." on stderr: where the time of a run
 * of total seconds went (IS248_STAGE_TIMES=1; for benchmarks). */
void pipeline_stage_times(const struct pipeline *p, double total);

/* Seconds on a monotonic clock. */
double pipeline_now(void);

/* One summary line on stderr ("N files, N reports loaded, ..."). */
void pipeline_summary(const struct pipeline *p, const char *verb);

#endif
