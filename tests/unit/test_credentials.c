/*
 * test_credentials.c - the service file read as libpq reads it (a case a
 * line: the file's text, the service looked up, whether it is there and
 * holds a password, its passfile), and cli_check_credentials() against
 * files of its own in a temporary directory (HOME, PGSERVICEFILE,
 * PGSYSCONFDIR and PGPASSFILE point there, never at the machine's files).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "cli.h"
#include "credentials.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
    const char *text;
    const char *service;
    int found, has_password;
    const char *passfile;
} cases[] = {
    { "[is248]\nhost=db\npassword=secret\n", "is248", 1, 1, "" },
    { "[is248]\nhost=db\n", "is248", 1, 0, "" },
    { "[is248]\nhost=db\npassword=\n", "is248", 1, 0, "" },      /* empty */
    { "[other]\npassword=x\n[is248]\nhost=db\n", "is248", 1, 0, "" },
    { "[is248]\nhost=db\n[other]\npassword=x\n", "is248", 1, 0, "" },
    { "[is248]\nhost=db\n", "is", 0, 0, "" },          /* not a prefix */
    { "[is]\npassword=x\n", "is248", 0, 0, "" },
    { "[is248] trailing\npassword=x\n", "is248", 1, 1, "" }, /* as libpq */
    { "  [is248]  \n\t password=x  \n", "is248", 1, 1, "" }, /* trimmed */
    { "[is248]\n# password=x\n", "is248", 1, 0, "" },  /* a comment */
    { "[is248]\npassword = x\n", "is248", 1, 0, "" },  /* key "password " */
    { "[is248]\nPASSWORD=x\n", "is248", 1, 0, "" },    /* keys are exact */
    { "[is248]\npassfile=/srv/pgpass\n", "is248", 1, 0, "/srv/pgpass" },
    /* the first section of the name only, as libpq stops at its end */
    { "[is248]\nhost=a\n[is248]\npassword=x\n", "is248", 1, 0, "" },
    { "", "is248", 0, 0, "" },
    { "password=x\n", "is248", 0, 0, "" },
};

static char dir[256];

static void write_file(const char *name, const char *text, mode_t mode)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    chmod(path, mode);
}

static char *at(const char *name)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return path;
}

int main(void)
{
    snprintf(dir, sizeof dir, "%s/is248-cred-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    for (size_t i = 0; i < COUNT(cases); i++) {
        write_file("services", cases[i].text, 0600);
        struct pgservice svc;
        int found = pgservice_lookup(at("services"), cases[i].service, &svc);
        CHECK_INT(found, cases[i].found);
        if (found == 1) {
            CHECK_INT(svc.has_password, cases[i].has_password);
            CHECK_STR(svc.passfile, cases[i].passfile);
        }
    }
    struct pgservice svc;
    CHECK_INT(pgservice_lookup(at("none"), "is248", &svc), -1);

    /* cli_check_credentials(): only what this test made counts */
    mkdir(at("home"), 0700);
    mkdir(at("etc"), 0755);
    setenv("HOME", at("home"), 1);
    setenv("PGSYSCONFDIR", at("etc"), 1);
    unsetenv("PGSERVICEFILE");
    unsetenv("PGSERVICE");
    unsetenv("PGPASSFILE");
    unsetenv("PGPASSWORD");
    CHECK_INT(cli_check_credentials(NULL), EXIT_OK);
    CHECK_INT(cli_check_credentials("dbname=x"), EXIT_OK);

    /* ~/.pgpass: mode 600 is fine, anything more is refused */
    write_file("home/.pgpass", "*:*:*:u:pw\n", 0600);
    CHECK_INT(cli_check_credentials(NULL), EXIT_OK);
    chmod(at("home/.pgpass"), 0644);
    CHECK_INT(cli_check_credentials(NULL), EXIT_USAGE);
    chmod(at("home/.pgpass"), 0620);
    CHECK_INT(cli_check_credentials(NULL), EXIT_USAGE);
    chmod(at("home/.pgpass"), 0400);
    CHECK_INT(cli_check_credentials(NULL), EXIT_OK);
    /* PGPASSFILE, and passfile in --db, instead of it */
    write_file("pgpass", "*:*:*:u:pw\n", 0640);
    setenv("PGPASSFILE", at("pgpass"), 1);
    CHECK_INT(cli_check_credentials(NULL), EXIT_USAGE);
    char conninfo[700];
    snprintf(conninfo, sizeof conninfo, "dbname=x passfile=%s",
             at("home/.pgpass"));
    CHECK_INT(cli_check_credentials(conninfo), EXIT_OK);
    chmod(at("pgpass"), 0600);
    CHECK_INT(cli_check_credentials(NULL), EXIT_OK);
    /* a password file that is not there, or not a regular file: libpq's */
    setenv("PGPASSFILE", at("nothing"), 1);
    CHECK_INT(cli_check_credentials(NULL), EXIT_OK);
    setenv("PGPASSFILE", at("etc"), 1);
    CHECK_INT(cli_check_credentials(NULL), EXIT_OK);
    unsetenv("PGPASSFILE");

    /* ~/.pg_service.conf with a password: mode 600 only */
    write_file("home/.pg_service.conf", "[is248]\ndbname=x\npassword=pw\n",
               0644);
    CHECK_INT(cli_check_credentials(NULL), EXIT_OK);     /* no service named */
    setenv("PGSERVICE", "other", 1);
    CHECK_INT(cli_check_credentials(NULL), EXIT_OK);     /* not this one */
    setenv("PGSERVICE", "is248", 1);
    CHECK_INT(cli_check_credentials(NULL), EXIT_USAGE);
    unsetenv("PGSERVICE");
    CHECK_INT(cli_check_credentials("service=is248"), EXIT_USAGE);
    CHECK_INT(cli_check_credentials("postgresql:///x?service=is248"),
              EXIT_USAGE);
    chmod(at("home/.pg_service.conf"), 0600);
    CHECK_INT(cli_check_credentials("service=is248"), EXIT_OK);
    /* without a password it may be read by all */
    write_file("home/.pg_service.conf", "[is248]\ndbname=x\n", 0644);
    CHECK_INT(cli_check_credentials("service=is248"), EXIT_OK);
    /* a passfile the service names is the password file */
    snprintf(conninfo, sizeof conninfo, "[is248]\ndbname=x\npassfile=%s\n",
             at("pgpass"));
    write_file("home/.pg_service.conf", conninfo, 0644);
    chmod(at("pgpass"), 0644);
    CHECK_INT(cli_check_credentials("service=is248"), EXIT_USAGE);
    chmod(at("pgpass"), 0600);
    CHECK_INT(cli_check_credentials("service=is248"), EXIT_OK);

    /* PGSERVICEFILE instead of ~/.pg_service.conf; the system's file when
     * neither defines the service */
    write_file("services", "[is248]\npassword=pw\n", 0640);
    setenv("PGSERVICEFILE", at("services"), 1);
    CHECK_INT(cli_check_credentials("service=is248"), EXIT_USAGE);
    write_file("services", "[other]\n", 0644);
    write_file("etc/pg_service.conf", "[is248]\npassword=pw\n", 0644);
    CHECK_INT(cli_check_credentials("service=is248"), EXIT_USAGE);
    chmod(at("etc/pg_service.conf"), 0600);
    CHECK_INT(cli_check_credentials("service=is248"), EXIT_OK);
    /* found in the user's file first: the system's is not read */
    write_file("services", "[is248]\ndbname=x\n", 0644);
    chmod(at("etc/pg_service.conf"), 0644);
    CHECK_INT(cli_check_credentials("service=is248"), EXIT_OK);

    /* PGPASSWORD, whatever the files */
    setenv("PGPASSWORD", "x", 1);
    CHECK_INT(cli_check_credentials(NULL), EXIT_USAGE);
    unsetenv("PGPASSWORD");

    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", dir);
    return check_done();
}
