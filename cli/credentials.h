/*
 * credentials.h - where libpq would find a password, checked before
 * is248 connects, so that a password others can read is refused as
 * PGPASSWORD is (docs/operator-guide.md, "Connecting"; docs/security.md).
 *
 * libpq reads a password from PGPASSWORD, from the password file (the
 * passfile keyword, PGPASSFILE, or ~/.pgpass) and from the connection
 * service file that defines the service named (the service keyword or
 * PGSERVICE): PGSERVICEFILE or ~/.pg_service.conf, then the system's
 * pg_service.conf (in PGSYSCONFDIR or libpq's own directory).  Those files
 * are found here as libpq finds them (PostgreSQL's documentation, "The
 * Connection Service File" and "The Password File"); "~" is $HOME, or the
 * user's home directory in the password database when HOME is not set.
 */
#ifndef IS248_CLI_CREDENTIALS_H
#define IS248_CLI_CREDENTIALS_H

#include <stddef.h>

/*
 * Check where libpq would find a password for conninfo (--db; NULL: the
 * environment alone): PGPASSWORD set, a password file that group or others
 * may open (libpq ignores it, with a warning of its own), and a service
 * file defining the service named that holds password= and that group or
 * others may read are refused.  EXIT_OK (0), or EXIT_USAGE (2) after a
 * message.  Files that do not exist, or are not regular files, are left to
 * libpq, which says what it makes of them.
 */
int cli_check_credentials(const char *conninfo);

/* What the section [service] of a connection service file says. */
struct pgservice {
    int has_password;       /* a password= line with a value */
    char passfile[1024];    /* its passfile=, or "" */
};

/*
 * Look the section [service] up in the service file path, as libpq reads
 * it: lines trimmed of surrounding white space, '#' comments, the first
 * section of that name up to the next '[', keys exactly as written before
 * the first '='.  Returns 1 with *out filled when the section is there, 0
 * when it is not, -1 when the file cannot be read (errno set).
 */
int pgservice_lookup(const char *path, const char *service,
                     struct pgservice *out);

#endif
