/*
 * msg.c - diagnostics on stderr, honouring --quiet and --verbose.
 */
#include "msg.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>

enum msg_level msg_level = MSG_NORMAL;

static int status_shown; /* a status line stands on stderr, no newline */

void msg_status(const char *line)
{
    /* carriage return, the line, erase to the end of the line */
    fprintf(stderr, "\r%s\033[K", line);
    fflush(stderr);
    status_shown = 1;
}

void msg_status_clear(void)
{
    if (!status_shown)
        return;
    fputs("\r\033[K", stderr);
    fflush(stderr);
    status_shown = 0;
}

static void vsay(const char *prefix, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

static void vsay(const char *prefix, const char *fmt, va_list ap)
{
    msg_status_clear(); /* the next update draws it again */
    fputs("is248: ", stderr);
    fputs(prefix, stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void msg_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsay("error: ", fmt, ap);
    va_end(ap);
}

void msg_warn(const char *fmt, ...)
{
    if (msg_level < MSG_NORMAL)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsay("warning: ", fmt, ap);
    va_end(ap);
}

void msg_notice(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsay("", fmt, ap);
    va_end(ap);
}

void msg_info(const char *fmt, ...)
{
    if (msg_level < MSG_NORMAL)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsay("", fmt, ap);
    va_end(ap);
}

void msg_debug(const char *fmt, ...)
{
    if (msg_level < MSG_VERBOSE)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsay("", fmt, ap);
    va_end(ap);
}

int msg_close_stdout(void)
{
    int failed = fflush(stdout) != 0 || ferror(stdout);
    int err = errno;
    if (fclose(stdout) != 0 && !failed) {
        failed = 1;
        err = errno;
    }
    if (failed) {
        fprintf(stderr, "is248: error: cannot write standard output: %s\n",
                strerror(err));
        return -1;
    }
    return 0;
}
