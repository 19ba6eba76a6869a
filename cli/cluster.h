/*
 * cluster.h - a throwaway PostgreSQL for "is248 demo": initdb in a
 * temporary directory, a server listening on a Unix socket in that
 * directory only (no TCP), run as an unprivileged user when we are root
 * (initdb refuses root), and everything removed again by cluster_stop().
 *
 * The server programs are found through $IS248_PG_BINDIR, then $PATH, then
 * the newest /usr/lib/postgresql/VERSION/bin (Debian's layout).
 */
#ifndef IS248_CLI_CLUSTER_H
#define IS248_CLI_CLUSTER_H

#include <limits.h>
#include <stddef.h>
#include <sys/types.h>

struct cluster {
    char dir[256];         /* the temporary directory; "" when none */
    char bindir[PATH_MAX];
    uid_t uid;             /* who runs the server */
    gid_t gid;
    int running;
    char conninfo[512];    /* for libpq, once running: database postgres */
};

/* A conninfo for database dbname of the running cluster. */
void cluster_conninfo(const struct cluster *cl, const char *dbname, char *buf,
                      size_t len);

/* Create and start the cluster.  Returns 0, or -1 with err set (and
 * whatever was made removed again). */
int cluster_start(struct cluster *cl, char *err, size_t errlen);

/* Stop the server (if running) and remove the directory.  Safe to call on
 * a cluster that failed to start, and more than once. */
void cluster_stop(struct cluster *cl);

#endif
