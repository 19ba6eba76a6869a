/*
 * credentials.c - the password file and the service file, checked before
 * connecting (see credentials.h).
 */
#include "credentials.h"

#include <ctype.h>
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "cli.h"
#include "ingest/printable.h"
#include "msg.h"

/* libpq's own directory of pg_service.conf when PGSYSCONFDIR is not set
 * (pg_config --sysconfdir at build time; "" when it was not known). */
#ifndef IS248_PG_SYSCONFDIR
#define IS248_PG_SYSCONFDIR ""
#endif

int pgservice_lookup(const char *path, const char *service,
                     struct pgservice *out)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    memset(out, 0, sizeof *out);
    size_t slen = strlen(service);
    int in_section = 0, found = 0;
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) >= 0) {
        size_t len = strlen(line);
        while (len > 0 && isspace((unsigned char)line[len - 1]))
            line[--len] = '\0';
        char *p = line;
        while (*p && isspace((unsigned char)*p))
            p++;
        if (*p == '\0' || *p == '#')
            continue;
        if (*p == '[') {
            if (in_section)
                break;          /* the end of the section */
            in_section = strncmp(p + 1, service, slen) == 0 &&
                         p[slen + 1] == ']';
            found |= in_section;
            continue;
        }
        if (!in_section)
            continue;
        char *eq = strchr(p, '=');
        if (!eq)
            continue;           /* libpq: a syntax error; it says so */
        *eq = '\0';
        if (strcmp(p, "password") == 0 && eq[1] != '\0')
            out->has_password = 1;
        else if (strcmp(p, "passfile") == 0)
            snprintf(out->passfile, sizeof out->passfile, "%s", eq + 1);
    }
    free(line);
    fclose(f);
    return found;
}

/* "~" as libpq takes it; NULL when there is none. */
static const char *home_dir(void)
{
    const char *home = getenv("HOME");
    if (home && *home)
        return home;
    struct passwd *pw = getpwuid(geteuid());
    return pw && pw->pw_dir && *pw->pw_dir ? pw->pw_dir : NULL;
}

/* The value of keyword in conninfo (NULL: none), copied into buf. */
static const char *conninfo_value(const char *conninfo, const char *keyword,
                                  char *buf, size_t len)
{
    if (!conninfo)
        return NULL;
    PQconninfoOption *opts = PQconninfoParse(conninfo, NULL);
    const char *value = NULL;
    for (PQconninfoOption *o = opts; o && o->keyword; o++)
        if (strcmp(o->keyword, keyword) == 0 && o->val && *o->val) {
            snprintf(buf, len, "%s", o->val);
            value = buf;
        }
    PQconninfoFree(opts);
    return value;
}

static void quoted(char *buf, size_t len, const char *path)
{
    printable_copy(buf, len, path, strlen(path), 0);
}

/* What group and others may do with a file, in words, as "can be read by
 * others (mode 0644)", into buf; NULL when they may do nothing of mask. */
static const char *open_to_others(const struct stat *st, mode_t mask,
                                  char *buf, size_t len)
{
    if ((st->st_mode & mask) == 0)
        return NULL;
    snprintf(buf, len, "%s (mode %04o)",
             st->st_mode & (S_IRGRP | S_IROTH) ? "can be read by others"
                                               : "is open to others",
             (unsigned)(st->st_mode & 07777));
    return buf;
}

/* The service file that defines service, as libpq searches: PGSERVICEFILE
 * or ~/.pg_service.conf, then the system's.  Returns 1 with its path in
 * path and its section in *svc, 0 when none defines it. */
static int find_service(const char *service, char *path, size_t len,
                        struct pgservice *svc)
{
    const char *env = getenv("PGSERVICEFILE");
    const char *home = home_dir();
    if (env)
        snprintf(path, len, "%s", env);
    else if (home)
        snprintf(path, len, "%s/.pg_service.conf", home);
    else
        path[0] = '\0';
    struct stat st;
    if (path[0] && stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
        pgservice_lookup(path, service, svc) == 1)
        return 1;
    const char *sys = getenv("PGSYSCONFDIR");
    if (!sys)
        sys = IS248_PG_SYSCONFDIR;
    if (!*sys)
        return 0;
    snprintf(path, len, "%s/pg_service.conf", sys);
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
           pgservice_lookup(path, service, svc) == 1;
}

int cli_check_credentials(const char *conninfo)
{
    if (getenv("PGPASSWORD")) {
        msg_error("PGPASSWORD is set: is248 takes passwords only from libpq's "
                  "password file (~/.pgpass or PGPASSFILE) or a service file "
                  "(PGSERVICE), which other users cannot read; unset "
                  "PGPASSWORD");
        return EXIT_USAGE;
    }
    char buf[1024], path[1200], passfile[1200] = "";
    struct stat st;
    const char *service = conninfo_value(conninfo, "service", buf, sizeof buf);
    if (!service)
        service = getenv("PGSERVICE");
    struct pgservice svc = { 0 };
    char how[64], shown[1024];
    if (service && *service && find_service(service, path, sizeof path, &svc) &&
        svc.has_password && stat(path, &st) == 0 &&
        open_to_others(&st, S_IRGRP | S_IROTH, how, sizeof how)) {
        quoted(shown, sizeof shown, path);
        msg_error("the service file '%s' holds a password and %s: make it "
                  "readable by its owner only (chmod 600)", shown, how);
        return EXIT_USAGE;
    }
    /* the password file: passfile in --db, in the service, PGPASSFILE,
     * ~/.pgpass */
    const char *pf = conninfo_value(conninfo, "passfile", buf, sizeof buf);
    if (!pf && svc.passfile[0])
        pf = svc.passfile;
    if (!pf)
        pf = getenv("PGPASSFILE");
    if (pf && *pf)
        snprintf(passfile, sizeof passfile, "%s", pf);
    else if (home_dir())
        snprintf(passfile, sizeof passfile, "%s/.pgpass", home_dir());
    /* libpq ignores a password file group or others may open at all */
    if (passfile[0] && stat(passfile, &st) == 0 && S_ISREG(st.st_mode) &&
        open_to_others(&st, S_IRWXG | S_IRWXO, how, sizeof how)) {
        quoted(shown, sizeof shown, passfile);
        msg_error("the password file '%s' %s, so libpq would not use it: "
                  "make it readable by its owner only (chmod 600)", shown,
                  how);
        return EXIT_USAGE;
    }
    return EXIT_OK;
}
