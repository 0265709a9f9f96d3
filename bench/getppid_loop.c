/* The event generator of the per-event and streaming benchmarks: getppid()
 * in a tight loop, each call one hit of syscalls:sys_enter_getppid.
 *
 *   getppid_loop COUNT                 COUNT calls
 *   getppid_loop -t SECONDS [-r FILE]  as many calls as fit in SECONDS
 *
 * It writes "calls N" and "seconds S" (first call to last) to FILE, or to
 * stdout without -r: under a tracer's -c the tracer owns stdout.  getppid
 * goes through syscall(2) because libc may someday cache it. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* Calls between two looks at the clock: the vDSO clock costs far less than
 * a system call, and this keeps it under 1% of the loop. */
enum { CALLS_PER_CLOCK_CHECK = 256 };

static int usage(void)
{
    fprintf(stderr, "usage: getppid_loop COUNT | getppid_loop -t SECONDS [-r FILE]\n");
    return 2;
}

static double now_seconds(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    double seconds = 0;
    long long count = 0;
    const char *report_path = NULL;
    int option;
    while ((option = getopt(argc, argv, "t:r:")) != -1) {
        if (option == 't')
            seconds = strtod(optarg, NULL);
        else if (option == 'r')
            report_path = optarg;
        else
            return usage();
    }
    if (seconds <= 0) {
        if (optind != argc - 1)
            return usage();
        char *end;
        count = strtoll(argv[optind], &end, 10);
        if (end == argv[optind] || *end != '\0' || count < 0)
            return usage();
    } else if (optind != argc) {
        return usage();
    }

    long long calls = 0;
    double start = now_seconds(), finish = start;
    if (seconds > 0) {
        double deadline = start + seconds;
        while (finish < deadline) {
            for (int i = 0; i < CALLS_PER_CLOCK_CHECK; i++)
                syscall(SYS_getppid);
            calls += CALLS_PER_CLOCK_CHECK;
            finish = now_seconds();
        }
    } else {
        for (; calls < count; calls++)
            syscall(SYS_getppid);
        finish = now_seconds();
    }

    FILE *report = report_path ? fopen(report_path, "w") : stdout;
    if (!report) {
        perror(report_path);
        return 1;
    }
    fprintf(report, "calls %lld\nseconds %.6f\n", calls, finish - start);
    return fclose(report) == 0 ? 0 : 1;
}
