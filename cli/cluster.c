/*
 * cluster.c - start and remove the throwaway PostgreSQL of "is248 demo".
 */
#define _DEFAULT_SOURCE /* initgroups */
#define _XOPEN_SOURCE 700 /* nftw */
#include "cluster.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define DEMO_PORT "5432" /* the socket lives in our own directory */

static int is_executable(const char *path)
{
    return access(path, X_OK) == 0;
}

/* Find the directory holding initdb and pg_ctl. */
static int find_bindir(char *out, size_t len)
{
    char path[PATH_MAX];
    const char *env = getenv("IS248_PG_BINDIR");
    if (env && *env) {
        snprintf(path, sizeof path, "%s/initdb", env);
        if (is_executable(path)) {
            snprintf(out, len, "%s", env);
            return 0;
        }
    }
    const char *p = getenv("PATH");
    while (p && *p) {
        const char *colon = strchr(p, ':');
        size_t n = colon ? (size_t)(colon - p) : strlen(p);
        if (n > 0 && n < sizeof path - 16) {
            snprintf(path, sizeof path, "%.*s/initdb", (int)n, p);
            if (is_executable(path)) {
                snprintf(out, len, "%.*s", (int)n, p);
                return 0;
            }
        }
        p = colon ? colon + 1 : NULL;
    }
    DIR *d = opendir("/usr/lib/postgresql");
    if (!d)
        return -1;
    long best = -1;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        char *end;
        long v = strtol(de->d_name, &end, 10);
        if (end == de->d_name || *end != '\0' || v <= best)
            continue;
        snprintf(path, sizeof path, "/usr/lib/postgresql/%s/bin/initdb",
                 de->d_name);
        if (is_executable(path)) {
            best = v;
            snprintf(out, len, "/usr/lib/postgresql/%s/bin", de->d_name);
        }
    }
    closedir(d);
    return best < 0 ? -1 : 0;
}

/* Run a server program as the cluster's user, its output appended to
 * DIR/setup.log.  Returns its exit status, or -1. */
static int run(const struct cluster *cl, char *const argv[])
{
    char log[300];
    snprintf(log, sizeof log, "%s/setup.log", cl->dir);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
            close(fd);
        }
        int null = open("/dev/null", O_RDONLY);
        if (null >= 0) {
            dup2(null, 0);
            close(null);
        }
        setsid(); /* keep the terminal's ^C away from the server */
        if (geteuid() == 0 && cl->uid != 0) {
            struct passwd *pw = getpwuid(cl->uid);
            if ((pw && initgroups(pw->pw_name, cl->gid) != 0) ||
                setgid(cl->gid) != 0 || setuid(cl->uid) != 0) {
                perror("cannot drop privileges");
                _exit(127);
            }
        }
        execv(argv[0], argv);
        perror(argv[0]);
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The last lines of setup.log, for an error message. */
static void log_tail(const struct cluster *cl, char *buf, size_t len)
{
    char log[300];
    snprintf(log, sizeof log, "%s/setup.log", cl->dir);
    buf[0] = '\0';
    FILE *f = fopen(log, "r");
    if (!f)
        return;
    char line[512], last[512] = "";
    while (fgets(line, sizeof line, f))
        if (line[0] != '\n')
            snprintf(last, sizeof last, "%s", line);
    fclose(f);
    last[strcspn(last, "\n")] = '\0';
    snprintf(buf, len, "%s", last);
}

static int remove_entry(const char *path, const struct stat *st, int flag,
                        struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

void cluster_stop(struct cluster *cl)
{
    if (cl->running) {
        char data[300];
        snprintf(data, sizeof data, "%s/data", cl->dir);
        char pg_ctl[PATH_MAX + 16];
        snprintf(pg_ctl, sizeof pg_ctl, "%s/pg_ctl", cl->bindir);
        char *argv[] = { pg_ctl, "-D", data, "-m", "fast", "-w", "stop", NULL };
        run(cl, argv);
        cl->running = 0;
    }
    if (cl->dir[0]) {
        nftw(cl->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
        cl->dir[0] = '\0';
    }
}

/* The user the server runs as: ours, or (as root, whom initdb refuses)
 * postgres, else nobody.  0, or -1 with err set. */
static int server_user(struct cluster *cl, char *err, size_t errlen)
{
    cl->uid = geteuid();
    cl->gid = getegid();
    if (cl->uid == 0) {
        struct passwd *pw = getpwnam("postgres");
        if (!pw)
            pw = getpwnam("nobody");
        if (!pw) {
            snprintf(err, errlen, "running as root and no user 'postgres' or "
                     "'nobody' to run PostgreSQL as");
            return -1;
        }
        cl->uid = pw->pw_uid;
        cl->gid = pw->pw_gid;
    }
    return 0;
}

/* A new temporary directory for the cluster, the server user's.  0, or -1
 * with err set (and nothing left behind). */
static int server_dir(struct cluster *cl, char *err, size_t errlen)
{
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp || strlen(tmp) > 60)
        tmp = "/tmp";
    snprintf(cl->dir, sizeof cl->dir, "%s/is248-demo-XXXXXX", tmp);
    if (!mkdtemp(cl->dir)) {
        snprintf(err, errlen, "cannot create a temporary directory in '%s': %s",
                 tmp, strerror(errno));
        cl->dir[0] = '\0';
        return -1;
    }
    if (chown(cl->dir, cl->uid, cl->gid) != 0) {
        snprintf(err, errlen, "cannot hand '%s' to the server's user: %s",
                 cl->dir, strerror(errno));
        cluster_stop(cl);
        return -1;
    }
    return 0;
}

int cluster_start(struct cluster *cl, char *err, size_t errlen)
{
    memset(cl, 0, sizeof *cl);
    if (find_bindir(cl->bindir, sizeof cl->bindir) != 0) {
        snprintf(err, errlen, "cannot find PostgreSQL's initdb (install the "
                 "Debian package postgresql, or set IS248_PG_BINDIR)");
        return -1;
    }
    if (server_user(cl, err, errlen) != 0 || server_dir(cl, err, errlen) != 0)
        return -1;

    char data[300], initdb[PATH_MAX + 16], pg_ctl[PATH_MAX + 16], conf[320],
        log[300], tail[512];
    snprintf(data, sizeof data, "%s/data", cl->dir);
    snprintf(initdb, sizeof initdb, "%s/initdb", cl->bindir);
    snprintf(pg_ctl, sizeof pg_ctl, "%s/pg_ctl", cl->bindir);
    snprintf(log, sizeof log, "%s/server.log", cl->dir);

    char *init_argv[] = { initdb, "-D", data, "-A", "trust", "-U", "is248",
                          "-E", "UTF8", "--locale=C", "--no-sync", NULL };
    if (run(cl, init_argv) != 0) {
        log_tail(cl, tail, sizeof tail);
        snprintf(err, errlen, "initdb failed: %s", tail);
        cluster_stop(cl);
        return -1;
    }

    snprintf(conf, sizeof conf, "%s/postgresql.conf", data);
    FILE *f = fopen(conf, "a");
    if (!f || fprintf(f, "\n# is248 demo\nlisten_addresses = ''\n"
                         "unix_socket_directories = '%s'\nport = %s\n"
                         "fsync = off\nfull_page_writes = off\n"
                         "synchronous_commit = off\n",
                      cl->dir, DEMO_PORT) < 0 ||
        fclose(f) != 0) {
        snprintf(err, errlen, "cannot write '%s'", conf);
        cluster_stop(cl);
        return -1;
    }

    char *start_argv[] = { pg_ctl, "-D", data, "-l", log, "-w", "-t", "60",
                           "start", NULL };
    if (run(cl, start_argv) != 0) {
        log_tail(cl, tail, sizeof tail);
        snprintf(err, errlen, "the server did not start: %s", tail);
        cl->running = 1; /* stop whatever may have started */
        cluster_stop(cl);
        return -1;
    }
    cl->running = 1;
    cluster_conninfo(cl, "postgres", cl->conninfo, sizeof cl->conninfo);
    return 0;
}

void cluster_conninfo(const struct cluster *cl, const char *dbname, char *buf,
                      size_t len)
{
    snprintf(buf, len, "host=%s port=%s user=is248 dbname=%s", cl->dir,
             DEMO_PORT, dbname);
}
