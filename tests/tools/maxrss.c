/*
 * maxrss - run a command and write its peak resident memory, in KiB, to a
 * file: "maxrss OUT COMMAND [ARG]...".  Exits with the command's status
 * (128 + N when killed by signal N).  Tests use it to check that hostile
 * input is met in bounded memory; the benchmark uses it for its figures.
 */
#define _DEFAULT_SOURCE /* wait4() */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 3) {
        fputs("usage: maxrss OUT COMMAND [ARG]...\n", stderr);
        return 2;
    }
    pid_t pid = fork();
    if (pid < 0) {
        perror("maxrss: fork");
        return 2;
    }
    if (pid == 0) {
        execvp(argv[2], argv + 2);
        perror("maxrss: exec");
        _exit(127);
    }
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0) {
        perror("maxrss: wait4");
        return 2;
    }
    FILE *f = fopen(argv[1], "w");
    if (!f || fprintf(f, "%ld\n", ru.ru_maxrss) < 0 || fclose(f) != 0) {
        perror("maxrss: writing the figure");
        return 2;
    }
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}
