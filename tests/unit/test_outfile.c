/*
 * test_outfile.c - cli/outfile.c: a file written never harms what is at
 * its target.  Every case runs in a directory of its own under a fresh
 * temporary directory; device nodes are made there (as root), never aimed
 * at the machine's own.  Cases that end a process (signals, exit(), a file
 * size limit) run in a child.
 */
#define _DEFAULT_SOURCE /* mknod, makedev */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "cli.h"
#include "outfile.h"

static char base[] = "/tmp/test_outfile-XXXXXX";
static char dir[512];
static int cases;

/* A new, empty directory for the next case; its path in dir. */
static void new_case(void)
{
    snprintf(dir, sizeof dir, "%s/%d", base, ++cases);
    if (mkdir(dir, 0755) != 0) {
        perror(dir);
        exit(2);
    }
}

/* dir/name, in one of four buffers that take turns */
static const char *at(const char *name)
{
    static char buf[4][600];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
    return buf[k];
}

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) == EOF || fclose(f) != 0) {
        perror(path);
        exit(2);
    }
}

/* The content of path (up to 4 KiB, static), or NULL. */
static const char *content(const char *path)
{
    static char buf[4096];
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

/* How many entries dir holds. */
static int entries(void)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    if (d)
        closedir(d);
    return n;
}

static void write_text(struct outfile *of, const char *text)
{
    fputs(text, of->f);
}

/* Run fn in a child; its wait status. */
static int in_child(void (*fn)(void))
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        fn();
        _exit(99);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return status;
}

/* --- what is allowed ----------------------------------------------------- */

static void test_absent_target(void)
{
    new_case();
    struct outfile of;
    CHECK_INT(outfile_open(&of, at("t.svg"), "the chart"), EXIT_OK);
    CHECK(of.f != NULL);
    /* the temporary file is beside the target, named after it */
    CHECK_INT(entries(), 1);
    CHECK(of.tmp && strncmp(of.tmp, at("t.svg."), strlen(at("t.svg."))) == 0);
    CHECK(access(at("t.svg"), F_OK) != 0);
    write_text(&of, "new");
    CHECK_INT(outfile_close(&of), EXIT_OK);
    CHECK_STR(content(at("t.svg")), "new");
    CHECK_INT(entries(), 1);
    CHECK(of.f == NULL && of.tmp == NULL);
    /* closing or discarding again does nothing */
    CHECK_INT(outfile_close(&of), EXIT_OK);
    outfile_discard(&of);
    CHECK_STR(content(at("t.svg")), "new");
}

static void test_regular_target(void)
{
    new_case();
    put(at("t.json"), "old");
    struct outfile of;
    CHECK_INT(outfile_open(&of, at("t.json"), "the summary to"), EXIT_OK);
    write_text(&of, "half");
    outfile_discard(&of);
    CHECK_STR(content(at("t.json")), "old");
    CHECK_INT(entries(), 1);

    CHECK_INT(outfile_open(&of, at("t.json"), "the summary to"), EXIT_OK);
    CHECK_STR(content(at("t.json")), "old"); /* not emptied on open */
    write_text(&of, "new");
    CHECK_INT(outfile_close(&of), EXIT_OK);
    CHECK_STR(content(at("t.json")), "new");
    CHECK_INT(entries(), 1);
}

static void test_mode_follows_umask(void)
{
    new_case();
    mode_t old = umask(022);
    struct outfile of;
    CHECK_INT(outfile_open(&of, at("a"), "the chart"), EXIT_OK);
    CHECK_INT(outfile_close(&of), EXIT_OK);
    umask(077);
    CHECK_INT(outfile_open(&of, at("b"), "the chart"), EXIT_OK);
    CHECK_INT(outfile_close(&of), EXIT_OK);
    umask(old);
    struct stat a, b;
    CHECK(stat(at("a"), &a) == 0 && (a.st_mode & 0777) == 0644);
    CHECK(stat(at("b"), &b) == 0 && (b.st_mode & 0777) == 0600);
}

static void test_stdout(void)
{
    struct outfile of;
    CHECK_INT(outfile_open(&of, "-", "the chart"), EXIT_OK);
    CHECK(of.f == stdout && of.tmp == NULL);
    CHECK_INT(outfile_close(&of), EXIT_OK);
    outfile_discard(&of); /* stdout stays open */
    CHECK(fflush(stdout) == 0);
}

static void test_reserve_then_shorter(void)
{
    new_case();
    struct outfile of;
    CHECK_INT(outfile_open(&of, at("s.json"), "the summary to"), EXIT_OK);
    CHECK_INT(outfile_reserve(&of, 100000), EXIT_OK);
    struct stat st;
    CHECK(stat(of.tmp, &st) == 0 && st.st_size == 100000);
    write_text(&of, "{}\n");
    CHECK_INT(outfile_close(&of), EXIT_OK);
    CHECK(stat(at("s.json"), &st) == 0 && st.st_size == 3);
    CHECK_STR(content(at("s.json")), "{}\n");
}

/* --- what is refused, before anything is made ------------------------------ */

/* outfile_open(path) is refused; nothing new in dir */
static void refused(const char *path, const char *why)
{
    int before = entries();
    struct outfile of;
    CHECK_INT(outfile_open(&of, path, "the chart"), EXIT_USAGE);
    CHECK(of.f == NULL && of.tmp == NULL);
    CHECK_INT(entries(), before);
    outfile_discard(&of);
    (void)why;
}

static void test_refused_targets(void)
{
    new_case();
    put(at("kept"), "kept");
    CHECK(symlink("kept", at("link")) == 0);
    refused(at("link"), "a symbolic link to a file");
    char buf[16] = "";
    CHECK(readlink(at("link"), buf, sizeof buf - 1) == 4 &&
          strcmp(buf, "kept") == 0);
    CHECK_STR(content(at("kept")), "kept");
    CHECK_STR(outfile_refused(at("link")), "a symbolic link");

    /* a link to nowhere: following it would make a file where it points */
    CHECK(symlink("elsewhere", at("dangling")) == 0);
    refused(at("dangling"), "a dangling symbolic link");
    CHECK(access(at("elsewhere"), F_OK) != 0);

    CHECK(mkdir(at("d"), 0755) == 0);
    refused(at("d"), "a directory");
    CHECK_STR(outfile_refused(at("d")), "a directory");
    refused(at("d/"), "a name ending in /");
    refused("", "an empty name");

    /* a FIFO with no reader: refused at once, never opened */
    CHECK(mkfifo(at("fifo"), 0644) == 0);
    time_t t0 = time(NULL);
    refused(at("fifo"), "a FIFO");
    CHECK(time(NULL) - t0 < 2);
    CHECK_STR(outfile_refused(at("fifo")), "a FIFO");

    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s", at("sock"));
    CHECK(s >= 0 && bind(s, (struct sockaddr *)&sa, sizeof sa) == 0);
    refused(at("sock"), "a socket");
    CHECK_STR(outfile_refused(at("sock")), "a socket");
    close(s);

    CHECK_STR(outfile_refused(at("absent")), NULL);
    CHECK_INT(errno, 0);
    CHECK_STR(outfile_refused(at("kept")), NULL);

    /* no such directory, or not a directory on the way */
    refused(at("no/such/t.svg"), "a directory that does not exist");
    refused(at("kept/t.svg"), "a file on the way");
}

static void test_device_untouched(void)
{
    if (geteuid() != 0) {
        printf("skipped: a private device node needs root (mknod)\n");
        return;
    }
    new_case();
    /* a private node with /dev/null's numbers, never the real one */
    CHECK(mknod(at("null"), S_IFCHR | 0666, makedev(1, 3)) == 0);
    refused(at("null"), "a character device");
    struct stat st;
    CHECK(lstat(at("null"), &st) == 0 && S_ISCHR(st.st_mode) &&
          major(st.st_rdev) == 1 && minor(st.st_rdev) == 3);
    CHECK_STR(outfile_refused(at("null")), "a character device");
    CHECK(mknod(at("blk"), S_IFBLK | 0600, makedev(7, 200)) == 0);
    refused(at("blk"), "a block device");
    CHECK(lstat(at("blk"), &st) == 0 && S_ISBLK(st.st_mode));
}

/* The target made a symbolic link, then a directory, while the file was
 * being written: the second look refuses it, and it stays. */
static void test_target_changed_meanwhile(void)
{
    new_case();
    put(at("kept"), "kept");
    put(at("t.svg"), "old");
    struct outfile of;
    CHECK_INT(outfile_open(&of, at("t.svg"), "the chart"), EXIT_OK);
    write_text(&of, "new");
    CHECK(unlink(at("t.svg")) == 0 && symlink("kept", at("t.svg")) == 0);
    CHECK_INT(outfile_close(&of), EXIT_USAGE);
    CHECK_STR(outfile_refused(at("t.svg")), "a symbolic link");
    CHECK_STR(content(at("kept")), "kept");
    CHECK_INT(entries(), 2);

    CHECK(unlink(at("t.svg")) == 0 && mkdir(at("t.svg"), 0755) == 0);
    CHECK_INT(outfile_open(&of, at("t.svg"), "the chart"), EXIT_USAGE);
    CHECK(rmdir(at("t.svg")) == 0);
    CHECK_INT(outfile_open(&of, at("t.svg"), "the chart"), EXIT_OK);
    CHECK(mkdir(at("t.svg"), 0755) == 0);
    CHECK_INT(outfile_close(&of), EXIT_USAGE);
    CHECK_INT(entries(), 2);
}

static void test_registry_full(void)
{
    new_case();
    struct outfile of[17];
    char name[17][16];
    int opened = 0;
    for (int i = 0; i < 17; i++) {
        snprintf(name[i], sizeof name[i], "f%d", i);
        if (outfile_open(&of[i], at(name[i]), "the chart") == EXIT_OK)
            opened++;
    }
    CHECK_INT(opened, 16); /* the 17th is refused, and leaves nothing */
    CHECK_INT(entries(), 16);
    for (int i = 0; i < 17; i++)
        outfile_discard(&of[i]);
    CHECK_INT(entries(), 0);
}

/* --- a write that fails: the old file stays, no temporary file --------------- */

static void limit_file_size(rlim_t bytes)
{
    struct rlimit rl = { bytes, bytes };
    if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
        _exit(98);
}

static void child_too_large(void)
{
    limit_file_size(1000);
    struct outfile of;
    if (outfile_open(&of, at("t.svg"), "the chart") != EXIT_OK)
        _exit(97);
    for (int i = 0; i < 5000; i++)
        fputc('x', of.f);
    _exit(outfile_close(&of) == EXIT_USAGE && of.tmp == NULL ? 0 : 1);
}

static void child_reserve_too_large(void)
{
    limit_file_size(1000);
    struct outfile of;
    if (outfile_open(&of, at("t.svg"), "the chart") != EXIT_OK)
        _exit(97);
    _exit(outfile_reserve(&of, 5000) == EXIT_USAGE && of.f == NULL ? 0 : 1);
}

static void test_write_fails(void)
{
    new_case();
    put(at("t.svg"), "old");
    int status = in_child(child_too_large);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK_STR(content(at("t.svg")), "old");
    CHECK_INT(entries(), 1);

    status = in_child(child_reserve_too_large);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK_STR(content(at("t.svg")), "old");
    CHECK_INT(entries(), 1);
}

/* --- every way out removes the temporary file -------------------------------- */

static int signal_to_raise;

static void child_open_and_raise(void)
{
    struct outfile of;
    if (outfile_open(&of, at("t.svg"), "the chart") != EXIT_OK)
        _exit(97);
    write_text(&of, "half");
    raise(signal_to_raise);
    _exit(96); /* not reached: the signal ends us */
}

static void child_open_and_exit(void)
{
    struct outfile of;
    if (outfile_open(&of, at("t.svg"), "the chart") != EXIT_OK)
        _exit(97);
    exit(0);
}

/* A grandchild that exits (atexit handlers run) removes none of its
 * parent's files. */
static void child_with_grandchild(void)
{
    struct outfile of;
    if (outfile_open(&of, at("t.svg"), "the chart") != EXIT_OK)
        _exit(97);
    pid_t pid = fork();
    if (pid == 0)
        exit(0);
    waitpid(pid, NULL, 0);
    int kept = access(of.tmp, F_OK) == 0;
    write_text(&of, "new");
    _exit(kept && outfile_close(&of) == EXIT_OK ? 0 : 1);
}

static volatile sig_atomic_t got;
static void note_signal(int sig)
{
    got = sig;
}

/* A program with a handler of its own keeps it; it calls
 * outfile_remove_all() itself when it ends. */
static void child_own_handler(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = note_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    struct outfile of;
    if (outfile_open(&of, at("t.svg"), "the chart") != EXIT_OK)
        _exit(97);
    raise(SIGTERM);
    int kept = got == SIGTERM && access(of.tmp, F_OK) == 0;
    outfile_remove_all();
    _exit(kept && access(of.tmp, F_OK) != 0 ? 0 : 1);
}

static void test_every_way_out(void)
{
    static const int sigs[] = { SIGTERM, SIGINT, SIGHUP };
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        new_case();
        put(at("t.svg"), "old");
        signal_to_raise = sigs[i];
        int status = in_child(child_open_and_raise);
        CHECK(WIFSIGNALED(status) && WTERMSIG(status) == sigs[i]);
        CHECK_STR(content(at("t.svg")), "old");
        CHECK_INT(entries(), 1);
    }

    new_case();
    int status = in_child(child_open_and_exit);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK_INT(entries(), 0);

    new_case();
    status = in_child(child_with_grandchild);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK_STR(content(at("t.svg")), "new");
    CHECK_INT(entries(), 1);

    new_case();
    status = in_child(child_own_handler);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK_INT(entries(), 0);
}

int main(void)
{
    if (!mkdtemp(base)) {
        perror("mkdtemp");
        return 2;
    }
    test_absent_target();
    test_regular_target();
    test_mode_follows_umask();
    test_stdout();
    test_reserve_then_shorter();
    test_refused_targets();
    test_device_untouched();
    test_target_changed_meanwhile();
    test_registry_full();
    test_write_fails();
    test_every_way_out();
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", base);
    return check_done();
}
