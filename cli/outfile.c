/*
 * outfile.c - files written without harm to what is there (see
 * outfile.h): the target checked, a temporary file beside it, the content
 * completed to the last byte before it is renamed into place, and a
 * registry that removes temporary files on every way out.
 */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "msg.h"

/* ------------------------------------------------------------------------ */
/* The registry of temporary files                                          */

/* More than is248 ever has open at once (report: 4 charts).  An entry is
 * a name allocated before it is entered and freed after it is cleared,
 * and the process that made the file; entries change with the signals
 * below blocked, so a handler sees either a whole entry or none.  A child
 * made by fork() inherits the entries but not the files: it removes only
 * those it made itself. */
#define OUTFILE_SLOTS 16
static struct {
    char *volatile name;
    volatile pid_t pid;
} slots[OUTFILE_SLOTS];
static int installed; /* handlers and atexit in place (inherited) */

static const int fatal_signals[] = { SIGINT, SIGTERM, SIGHUP };
#define NFATAL (sizeof fatal_signals / sizeof fatal_signals[0])

static void block_signals(sigset_t *old)
{
    sigset_t set;
    sigemptyset(&set);
    for (size_t i = 0; i < NFATAL; i++)
        sigaddset(&set, fatal_signals[i]);
    sigprocmask(SIG_BLOCK, &set, old);
}

static void restore_signals(const sigset_t *old)
{
    sigprocmask(SIG_SETMASK, old, NULL);
}

void outfile_remove_all(void)
{
    int saved = errno;
    pid_t self = getpid();
    for (size_t i = 0; i < OUTFILE_SLOTS; i++) {
        char *name = slots[i].name;
        if (name && slots[i].pid == self)
            unlink(name);
    }
    errno = saved;
}

static void remove_at_exit(void)
{
    outfile_remove_all();
}

/* SIGINT, SIGTERM, SIGHUP where the program does not handle them: remove
 * the files and end as the signal would have. */
static void on_fatal_signal(int sig)
{
    outfile_remove_all();
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
    raise(sig); /* blocked until we return, then fatal */
}

static void install(void)
{
    if (installed)
        return;
    installed = 1;
    atexit(remove_at_exit);
    for (size_t i = 0; i < NFATAL; i++) {
        struct sigaction old;
        if (sigaction(fatal_signals[i], NULL, &old) != 0 ||
            old.sa_handler != SIG_DFL)
            continue; /* ignored, or the program's own handler */
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_fatal_signal;
        sigemptyset(&sa.sa_mask);
        for (size_t k = 0; k < NFATAL; k++)
            sigaddset(&sa.sa_mask, fatal_signals[k]);
        sigaction(fatal_signals[i], &sa, NULL);
    }
    /* a file size limit (ulimit -f) is a write error, EFBIG */
    struct sigaction old;
    if (sigaction(SIGXFSZ, NULL, &old) == 0 && old.sa_handler == SIG_DFL)
        signal(SIGXFSZ, SIG_IGN);
}

/* Enter of->tmp; call with the signals blocked.  0, or -1 when full. */
static int enter(struct outfile *of)
{
    for (int i = 0; i < OUTFILE_SLOTS; i++)
        if (!slots[i].name) {
            slots[i].pid = getpid();
            slots[i].name = of->tmp;
            of->slot = i;
            return 0;
        }
    return -1;
}

/* ------------------------------------------------------------------------ */
/* The target                                                               */

static const char *kind_of(mode_t mode)
{
    if (S_ISLNK(mode)) return "a symbolic link";
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISFIFO(mode)) return "a FIFO";
    if (S_ISSOCK(mode)) return "a socket";
    return "not a regular file";
}

const char *outfile_refused(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0) {
        if (errno == ENOENT)
            errno = 0;
        return NULL;
    }
    errno = 0;
    return S_ISREG(st.st_mode) ? NULL : kind_of(st.st_mode);
}

/* EXIT_OK when path may be written; else EXIT_USAGE after a message. */
static int check_target(const char *path, const char *what)
{
    size_t len = strlen(path);
    if (len == 0 || path[len - 1] == '/') {
        msg_error("refusing to write %s '%s': it names a directory, not a "
                  "file", what, path);
        return EXIT_USAGE;
    }
    const char *kind = outfile_refused(path);
    if (kind) {
        msg_error("refusing to write %s '%s': it is %s", what, path, kind);
        return EXIT_USAGE;
    }
    if (errno) {
        msg_error("cannot write %s '%s': %s", what, path, strerror(errno));
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

/* A name for the temporary file: path and six characters that no one
 * could guess in advance.  O_EXCL is what makes it safe; this only keeps
 * someone from making us give up by taking the names first. */
static void temp_name(char *tmp, size_t len)
{
    static const char chars[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    static uint64_t counter;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t x = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 30) ^
                 ((uint64_t)getpid() << 16) ^ (++counter * 0x9E3779B97F4A7C15u);
    /* splitmix64's finaliser */
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9u;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBu;
    x ^= x >> 31;
    tmp[len] = '.';
    for (size_t i = 1; i <= 6; i++, x /= 62)
        tmp[len + i] = chars[x % 62];
    tmp[len + 7] = '\0';
}

int outfile_open(struct outfile *of, const char *path, const char *what)
{
    static const struct outfile closed = OUTFILE_INIT;
    *of = closed;
    of->path = path;
    of->what = what;
    if (strcmp(path, "-") == 0) {
        of->f = stdout;
        return EXIT_OK;
    }
    int rc = check_target(path, what);
    if (rc != EXIT_OK)
        return rc;
    install();

    size_t len = strlen(path);
    of->tmp = malloc(len + 8);
    if (!of->tmp) {
        msg_error("out of memory");
        return EXIT_INTERNAL;
    }
    memcpy(of->tmp, path, len);
    int err = EEXIST;
    for (int tries = 0; tries < 100 && err == EEXIST; tries++) {
        temp_name(of->tmp, len);
        /* made and entered with the signals blocked: a signal finds it
         * entered or not made */
        sigset_t old;
        block_signals(&old);
        of->fd = open(of->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
                                   O_CLOEXEC, 0666);
        err = of->fd < 0 ? errno : 0;
        if (of->fd >= 0 && enter(of) != 0) {
            unlink(of->tmp);
            close(of->fd);
            of->fd = -1;
            err = -1;
        }
        restore_signals(&old);
    }
    if (err < 0)
        msg_error("cannot write %s '%s': more than %d files open at once",
                  what, path, OUTFILE_SLOTS);
    else if (err)
        msg_error("cannot write %s '%s': %s", what, path, strerror(err));
    if (err) {
        free(of->tmp);
        of->tmp = NULL;
        return EXIT_USAGE;
    }
    of->f = open_memstream(&of->buf, &of->size);
    if (!of->f) {
        msg_error("out of memory");
        outfile_discard(of);
        return EXIT_INTERNAL;
    }
    return EXIT_OK;
}

int outfile_reserve(struct outfile *of, size_t bytes)
{
    if (!of->f || !of->tmp || bytes == 0)
        return EXIT_OK;
    int err = posix_fallocate(of->fd, 0, (off_t)bytes);
    if (err == EINVAL || err == EOPNOTSUPP)
        return EXIT_OK; /* a file system that cannot: found at close */
    if (err) {
        msg_error("cannot write %s '%s': %s (setting aside %zu bytes for "
                  "it)", of->what, of->path, strerror(err), bytes);
        outfile_discard(of);
        return EXIT_USAGE;
    }
    of->reserved = bytes;
    return EXIT_OK;
}

/* Write all of buf to fd from its start; 0, or an errno. */
static int write_all(int fd, const char *buf, size_t size)
{
    size_t done = 0;
    while (done < size) {
        ssize_t n = pwrite(fd, buf + done, size - done, (off_t)done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return errno;
        if (n == 0)
            return EIO;
        done += (size_t)n;
    }
    return 0;
}

/* fsync the directory that holds path; 0, or an errno. */
static int sync_directory(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = NULL;
    if (slash) {
        size_t len = slash == path ? 1 : (size_t)(slash - path);
        if (!(dir = malloc(len + 1)))
            return ENOMEM;
        memcpy(dir, path, len);
        dir[len] = '\0';
    }
    int fd = open(dir ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int err = fd < 0 ? errno : 0;
    free(dir);
    if (fd >= 0) {
        if (fsync(fd) != 0 && errno != EINVAL && errno != EROFS)
            err = errno; /* EINVAL: a file system without it */
        close(fd);
    }
    return err;
}

int outfile_close(struct outfile *of)
{
    if (!of->f)
        return EXIT_OK;
    if (!of->tmp) { /* standard output: main closes it */
        of->f = NULL;
        errno = 0;
        if (fflush(stdout) != 0 || ferror(stdout)) {
            msg_error("cannot write standard output: %s",
                      strerror(errno ? errno : EIO));
            return EXIT_USAGE;
        }
        return EXIT_OK;
    }
    /* what was written, from memory: the only error there is no memory */
    int nomem = ferror(of->f);
    if (fclose(of->f) != 0)
        nomem = 1;
    of->f = NULL;
    if (nomem) {
        msg_error("out of memory writing %s '%s'", of->what, of->path);
        outfile_discard(of);
        return EXIT_INTERNAL;
    }

    int err = write_all(of->fd, of->buf, of->size);
    if (!err && of->reserved > of->size &&
        ftruncate(of->fd, (off_t)of->size) != 0)
        err = errno;
    if (!err && fsync(of->fd) != 0)
        err = errno;
    if (close(of->fd) != 0 && !err)
        err = errno;
    of->fd = -1;
    free(of->buf);
    of->buf = NULL;
    const char *kind = NULL;
    if (!err && !(kind = outfile_refused(of->path)) && errno)
        err = errno;
    if (kind) {
        msg_error("refusing to write %s '%s': it became %s while is248 was "
                  "working; left as it is", of->what, of->path, kind);
        outfile_discard(of);
        return EXIT_USAGE;
    }
    if (!err) {
        /* renamed and cleared together: a handler never removes the
         * name once someone else may have taken it */
        sigset_t old;
        block_signals(&old);
        if (rename(of->tmp, of->path) != 0)
            err = errno;
        else if (of->slot >= 0)
            slots[of->slot].name = NULL;
        restore_signals(&old);
    }
    if (err) {
        msg_error("cannot write %s '%s': %s; what was there before is left "
                  "as it was", of->what, of->path, strerror(err));
        outfile_discard(of);
        return EXIT_USAGE;
    }
    of->slot = -1;
    free(of->tmp);
    of->tmp = NULL;
    if ((err = sync_directory(of->path)) != 0) {
        msg_error("cannot sync the directory of %s '%s': %s (the file is "
                  "in place but may not survive a crash)", of->what,
                  of->path, strerror(err));
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

void outfile_discard(struct outfile *of)
{
    if (of->f && of->f != stdout)
        fclose(of->f);
    of->f = NULL;
    free(of->buf);
    of->buf = NULL;
    of->size = 0;
    if (!of->tmp)
        return; /* never made, completed, or standard output */
    if (of->fd >= 0)
        close(of->fd);
    of->fd = -1;
    /* removed and cleared together: a handler never removes a name that
     * someone else may have taken since */
    sigset_t old;
    block_signals(&old);
    unlink(of->tmp);
    if (of->slot >= 0)
        slots[of->slot].name = NULL;
    restore_signals(&old);
    of->slot = -1;
    free(of->tmp);
    of->tmp = NULL;
}
