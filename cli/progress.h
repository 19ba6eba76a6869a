/*
 * progress.h - the progress line of an import on a terminal: files,
 * reports, megabytes read, reports per second and the time left, redrawn
 * in place on stderr a few times a second.
 *
 * Only for a person watching: progress_new() returns NULL (and every other
 * function does nothing with NULL) unless stderr is a terminal, TERM is not
 * "dumb" and --quiet was not given, so cron and pipes never see it.
 *
 * The time left comes from bytes: the sizes on disk of the paths given (a
 * directory's regular files summed) against the bytes read of them so far;
 * for an archive that is its compressed bytes (walk_entry.source_read).
 */
#ifndef IS248_CLI_PROGRESS_H
#define IS248_CLI_PROGRESS_H

#include <stdint.h>

#include "ingest/walk.h"

struct progress;

struct progress *progress_new(int npaths, char *const *paths);
/* Where the walk is: call with every entry met. */
void progress_at(struct progress *pg, const struct walk_entry *e);
/* Redraw (at most four times a second unless force): files met so far and
 * reports read so far. */
void progress_show(struct progress *pg, uint64_t files, uint64_t reports,
                   int force);
/* Erase the line and free. */
void progress_free(struct progress *pg);

#endif
