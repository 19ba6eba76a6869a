/*
 * msg.h - every message is248 prints goes through here, so that --quiet,
 * the wording and the escaping of untrusted names are the same everywhere.
 *
 * Messages are one line each on stderr, in the form
 *   is248: <what>: <subject>: <why>
 * lowercase, no final full stop, names of files and values in quotes.  Names
 * that come from a delivery (entry names, values) are escaped by the ingest
 * and transform stages before they reach a message.
 */
#ifndef IS248_CLI_MSG_H
#define IS248_CLI_MSG_H

#include <stdio.h>

enum msg_level { MSG_QUIET = 0, MSG_NORMAL = 1, MSG_VERBOSE = 2 };

extern enum msg_level msg_level;

/* "is248: error: ..." always printed. */
void msg_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "is248: warning: ..." printed unless --quiet. */
void msg_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "is248: ..." printed even with --quiet: something was set aside, or an
 * import stopped; not an error of is248's. */
void msg_notice(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "is248: ..." printed unless --quiet. */
void msg_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "is248: ..." printed with --verbose only. */
void msg_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A status line (progress) on stderr, redrawn in place: written with a
 * carriage return and no newline, and erased before any other message.
 * Only for a terminal: the caller decides (see progress.c). */
void msg_status(const char *line);
void msg_status_clear(void);

/*
 * Flush and close stdout, so that a full disk or a closed pipe is an error
 * rather than silent loss.  Returns 0, or -1 after printing why.
 */
int msg_close_stdout(void);

#endif
