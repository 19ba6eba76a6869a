/*
 * about.h - what a workbook says about itself: when and from which
 * database it was made, what each column of each sheet is, the import runs
 * that loaded the data and the files its reports came from.  Read from
 * views is248_reader may read (import_summary, export_reports()), as
 * rtables for the xlsx writer's about sheet.
 */
#ifndef IS248_CLI_ABOUT_H
#define IS248_CLI_ABOUT_H

#include <libpq-fe.h>

#include "cli.h"
#include "rtable.h"

#define ABOUT_BLOCKS 4

struct about {
    const char *title;                /* the sheet's name ("About", "Om") */
    struct rtable block[ABOUT_BLOCKS]; /* one after the other, each with its
                                       * title and header */
    int nblock;
    /* owned */
    PGresult *made, *runs, *sources;
    char **strings;                   /* cells made here */
    int nstrings;
};

/* Read and describe: the tables described (their columns' labels and
 * abouts), the selection (its reports' files).  Returns EXIT_OK, or after
 * a message EXIT_DB (a query failed) or EXIT_INTERNAL (out of memory); a
 * is always ready for about_free(). */
int about_load(struct about *a, PGconn *conn, const struct trend_selection *sel,
               const struct rtable *described, int n, enum lang lang);
void about_free(struct about *a);

#endif
