/* The per-event baseline: the cheapest program a tracepoint can run,
 * `r0 = 0; exit`, attached to syscalls:sys_enter_getppid the way bpftrace
 * attaches its tracepoint programs (a perf event with PERF_EVENT_IOC_SET_BPF).
 * What the kernel accounts for it (bpf_stats) is what any tracer pays before
 * its first instruction of real work.
 *
 *   empty_program [TRACEFS]
 *
 * TRACEFS defaults to /sys/kernel/tracing and must be mounted.  Prints
 * "attached" once the program is attached, then waits for SIGINT or SIGTERM;
 * the kernel detaches everything when the process exits. */
#define _GNU_SOURCE
#include <bpf/bpf.h>
#include <errno.h>
#include <linux/perf_event.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static int tracepoint_id(const char *tracefs)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/events/syscalls/sys_enter_getppid/id", tracefs);
    FILE *file = fopen(path, "r");
    if (!file) {
        fprintf(stderr, "empty_program: %s: %s (is tracefs mounted?)\n", path, strerror(errno));
        return -1;
    }
    int id = -1;
    if (fscanf(file, "%d", &id) != 1)
        id = -1;
    fclose(file);
    return id;
}

int main(int argc, char **argv)
{
    const char *tracefs = argc > 1 ? argv[1] : "/sys/kernel/tracing";
    int id = tracepoint_id(tracefs);
    if (id < 0)
        return 1;

    struct bpf_insn instructions[] = {
        {.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0},
        {.code = BPF_JMP | BPF_EXIT},
    };
    int program = bpf_prog_load(BPF_PROG_TYPE_TRACEPOINT, "empty", "GPL", instructions,
                                sizeof(instructions) / sizeof(instructions[0]), NULL);
    if (program < 0) {
        fprintf(stderr, "empty_program: loading the program failed: %s\n", strerror(-program));
        return 1;
    }

    /* pid -1 on CPU 0: a tracepoint's program runs for every CPU's hits
     * whichever CPU its perf event names; this is bpftrace's way. */
    struct perf_event_attr attr;
    memset(&attr, 0, sizeof(attr));
    attr.size = sizeof(attr);
    attr.type = PERF_TYPE_TRACEPOINT;
    attr.config = (unsigned long long)id;
    attr.sample_period = 1;
    attr.wakeup_events = 1;
    int event = (int)syscall(SYS_perf_event_open, &attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
    if (event < 0 || ioctl(event, PERF_EVENT_IOC_SET_BPF, program) < 0 ||
        ioctl(event, PERF_EVENT_IOC_ENABLE, 0) < 0) {
        fprintf(stderr, "empty_program: attaching to syscalls:sys_enter_getppid failed: %s\n", strerror(errno));
        return 1;
    }

    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    sigprocmask(SIG_BLOCK, &stop, NULL);
    printf("attached\n");
    fflush(stdout);
    int signal_number;
    sigwait(&stop, &signal_number);
    return 0;
}
