/* Times whole processes: fork/exec a command many times and report the
 * median wall time, CPU time and peak RSS.  Several commands given at once
 * run alternately (A B A B ...), so that a slow drift of the machine (page
 * cache, frequency, other load) touches each the same way.
 *
 *   measure [-n RUNS] [-w WARMUPS] -- LABEL PROGRAM [ARGS...] [-- LABEL PROGRAM [ARGS...]]...
 *
 * Each run has stdin, stdout and stderr on /dev/null.  Wall time is
 * CLOCK_MONOTONIC from before fork() to after wait4(); peak RSS and CPU time
 * are wait4()'s rusage of the child (ru_maxrss covers the child and the
 * descendants it waited for).  `/usr/bin/time` reports 10 ms steps, too
 * coarse for runs of a few milliseconds.
 *
 * One line per command on stdout:
 *   LABEL runs=N failures=F status=S wall_ms=M wall_min_ms=M wall_max_ms=M cpu_ms=M rss_kib=K
 * where status is the first failing run's wait status text ("ok" when none
 * failed); the medians cover the successful runs only. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef struct {
    const char *label;
    char **argv;
    double *wall_ms;
    double *cpu_ms;
    double *rss_kib;
    int successes;
    int failures;
    char status[64];
} command;

static int usage(void)
{
    fprintf(stderr, "usage: measure [-n RUNS] [-w WARMUPS] -- LABEL PROGRAM [ARGS...] "
                    "[-- LABEL PROGRAM [ARGS...]]...\n");
    return 2;
}

static double now_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec * 1e3 + (double)now.tv_nsec / 1e6;
}

static double timeval_ms(struct timeval value)
{
    return (double)value.tv_sec * 1e3 + (double)value.tv_usec / 1e3;
}

static void describe_status(int status, char *text, size_t size)
{
    if (WIFEXITED(status))
        snprintf(text, size, "exit-%d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        snprintf(text, size, "signal-%d", WTERMSIG(status));
    else
        snprintf(text, size, "status-%d", status);
}

/* One run of one command; returns false when it could not be started. */
static int run_once(command *cmd, int record)
{
    double start = now_ms();
    pid_t pid = fork();
    if (pid < 0) {
        perror("measure: fork");
        return 0;
    }
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        if (null >= 0) {
            dup2(null, STDIN_FILENO);
            dup2(null, STDOUT_FILENO);
            dup2(null, STDERR_FILENO);
        }
        execvp(cmd->argv[0], cmd->argv);
        _exit(127);
    }
    int status = 0;
    struct rusage usage;
    while (wait4(pid, &status, 0, &usage) < 0) {
        if (errno != EINTR) {
            perror("measure: wait4");
            return 0;
        }
    }
    double wall = now_ms() - start;
    if (!record)
        return 1;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        if (cmd->failures++ == 0)
            describe_status(status, cmd->status, sizeof(cmd->status));
        return 1;
    }
    int index = cmd->successes++;
    cmd->wall_ms[index] = wall;
    cmd->cpu_ms[index] = timeval_ms(usage.ru_utime) + timeval_ms(usage.ru_stime);
    cmd->rss_kib[index] = (double)usage.ru_maxrss;
    return 1;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *values, int count)
{
    if (count == 0)
        return 0;
    qsort(values, (size_t)count, sizeof(*values), compare_doubles);
    return count % 2 ? values[count / 2] : (values[count / 2 - 1] + values[count / 2]) / 2;
}

static void report(command *cmd)
{
    int n = cmd->successes;
    double wall = median(cmd->wall_ms, n); /* sorts, so min and max are at the ends */
    printf("%s runs=%d failures=%d status=%s wall_ms=%.3f wall_min_ms=%.3f wall_max_ms=%.3f cpu_ms=%.3f "
           "rss_kib=%.0f\n",
           cmd->label, n + cmd->failures, cmd->failures, cmd->failures ? cmd->status : "ok", wall,
           n ? cmd->wall_ms[0] : 0, n ? cmd->wall_ms[n - 1] : 0, median(cmd->cpu_ms, n),
           median(cmd->rss_kib, n));
}

static int parse_count(const char *text, int *value)
{
    char *end;
    long parsed = strtol(text, &end, 10);
    if (end == text || *end != '\0' || parsed < 0 || parsed > 100000)
        return 0;
    *value = (int)parsed;
    return 1;
}

int main(int argc, char **argv)
{
    int runs = 11, warmups = 2, option;
    while ((option = getopt(argc, argv, "+n:w:")) != -1) {
        if (option == 'n' && parse_count(optarg, &runs) && runs > 0)
            continue;
        if (option == 'w' && parse_count(optarg, &warmups))
            continue;
        return usage();
    }
    /* getopt stops after "--" and leaves optind past it. */
    if (optind >= argc || strcmp(argv[optind - 1], "--") != 0)
        return usage();

    command *commands = calloc((size_t)argc, sizeof(*commands));
    int count = 0;
    for (int i = optind; i < argc;) {
        int end = i;
        while (end < argc && strcmp(argv[end], "--") != 0)
            end++;
        if (end - i < 2)
            return usage();
        argv[end] = NULL; /* ends this command's argv (argv[argc] is NULL already) */
        command *cmd = &commands[count++];
        cmd->label = argv[i];
        cmd->argv = &argv[i + 1];
        cmd->wall_ms = calloc((size_t)runs, sizeof(double));
        cmd->cpu_ms = calloc((size_t)runs, sizeof(double));
        cmd->rss_kib = calloc((size_t)runs, sizeof(double));
        i = end + 1;
    }

    for (int round = 0; round < warmups + runs; round++) {
        for (int c = 0; c < count; c++) {
            if (!run_once(&commands[c], round >= warmups))
                return 1;
        }
    }
    for (int c = 0; c < count; c++)
        report(&commands[c]);
    return 0;
}
