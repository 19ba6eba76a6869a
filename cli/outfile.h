/*
 * outfile.h - every file is248 writes (trends' and demo's chart, report's
 * charts, import's JSON summary) is written through here, so that writing
 * never harms what is at the target.
 *
 * outfile_open() checks the target before any work: it must be absent or a
 * regular file; a symbolic link, a directory, a device, a FIFO or a socket
 * is refused (nothing is opened, so a FIFO cannot hang us).  It then
 * creates a temporary file beside the target, TARGET.XXXXXX, with O_CREAT,
 * O_EXCL and O_NOFOLLOW (mode 0666 less the umask, as any new file).  What
 * the caller writes to of->f is kept in memory; outfile_close() writes it
 * to the temporary file, checks every step (write, fsync, close), checks
 * the target again, renames the temporary file over it and syncs the
 * directory.  Until the rename the target stays exactly as it was.
 *
 * Every temporary file not yet renamed is in a registry that removes it on
 * every way out: outfile_discard(), exit() (an atexit handler), and
 * SIGINT, SIGTERM and SIGHUP.  For those signals outfile_open() installs a
 * handler that removes the files and ends the process by the signal,
 * unless the program already handles them; a program that does (main.c's
 * cli_catch_signals()) calls outfile_remove_all() from its handler before
 * it lets a signal end the process.  SIGXFSZ is ignored, so that a file
 * size limit is a write error (EFBIG) rather than the end of the process.
 *
 * The path "-" is standard output: nothing is checked, made or renamed;
 * outfile_close() flushes it and checks for errors (main closes it).
 *
 * Limits, by design: only the last component of the path is checked (a
 * directory on the way may be a symbolic link, as the caller chose it);
 * between the second check and the rename there is a window of a few
 * system calls in which a target replaced by another process is replaced
 * again.
 */
#ifndef IS248_CLI_OUTFILE_H
#define IS248_CLI_OUTFILE_H

#include <stddef.h>
#include <stdio.h>

/* A file being written.  Zeroed (OUTFILE_INIT or memset) it is closed and
 * may be passed to outfile_close() and outfile_discard(), which do
 * nothing.  Between open and close it must stay where it is: the stream
 * writes into buf and size. */
struct outfile {
    FILE *f;          /* write here between open and close; NULL: closed */
    const char *path; /* the target as given; borrowed */
    const char *what; /* the words before the quoted path in messages
                       * ("the chart", "the summary to"); borrowed */
    char *tmp;        /* the temporary file's name, owned; NULL: none */
    int fd;           /* the temporary file, open (only with tmp) */
    int slot;         /* the registry's entry of tmp; -1: none */
    size_t reserved;  /* bytes set aside on disk (outfile_reserve) */
    char *buf;        /* what was written, until close (open_memstream) */
    size_t size;
};
#define OUTFILE_INIT { NULL, NULL, NULL, NULL, -1, -1, 0, NULL, 0 }

/* What is at path, when it may not be written: "a symbolic link", "a
 * directory", "a character device", ...; NULL when path is absent or a
 * regular file, or cannot be looked at (errno set, ENOENT cleared to 0). */
const char *outfile_refused(const char *path);

/* Check path and create the temporary file beside it.  Returns EXIT_OK;
 * EXIT_USAGE after a message when the target is refused ("refusing to
 * write the chart 'x': it is a FIFO") or cannot be written there (no such
 * directory, no permission); EXIT_INTERNAL after a message when memory ran
 * out.  On failure nothing is left behind and of is closed. */
int outfile_open(struct outfile *of, const char *path, const char *what);

/* Set aside bytes on disk for the content (posix_fallocate on the
 * temporary file), so that a full disk, a quota or a file size limit is
 * found now, before any work, rather than at outfile_close(); the content
 * may be shorter (the file is cut to it) but should not be longer.
 * Returns EXIT_OK (also for standard output, and where the file system
 * cannot reserve), or EXIT_USAGE after a message, of discarded. */
int outfile_reserve(struct outfile *of, size_t bytes);

/* Complete the file: into place, every byte on disk.  Returns EXIT_OK
 * (also for an of closed already); EXIT_USAGE after a message when it
 * could not be completed (a write, fsync or rename failed, or the target
 * became something that may not be replaced), the temporary file removed
 * and the target as it was; EXIT_INTERNAL after a message when memory ran
 * out while writing.  Either way of is closed afterwards. */
int outfile_close(struct outfile *of);

/* Give up the file: the temporary file removed, the target as it was.
 * Nothing for an of closed already. */
void outfile_discard(struct outfile *of);

/* Remove every temporary file of this process not yet completed.
 * Async-signal-safe: for a signal handler that is about to end the
 * process.  A child made by fork() removes only the files it made. */
void outfile_remove_all(void);

#endif
